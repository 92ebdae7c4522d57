"""`--self-test`: prove that a (frozen) build has every part it needs, one line per check.

Used by the desktop build's test (`dist/VendPoint/VendPoint --self-test`) and by support staff
on a counter PC. Each check exercises the real code path: an encrypted store is created and
reopened, a receipt becomes ESC/POS bytes, the STS engine issues and decodes a token.
"""

from __future__ import annotations

import secrets
import tempfile
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one self-test check."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        """`OK   name: detail` or `FAIL name: detail`."""
        return f"{'OK  ' if self.ok else 'FAIL'} {self.name}: {self.detail}"


def check_store() -> str:
    """Create an encrypted store in a temp dir, write, reopen with the key, read back."""
    from offline_store import WrongKeyOrCorrupt, open_store

    with tempfile.TemporaryDirectory(prefix="vendpoint-selftest-") as tmp:
        path = Path(tmp) / "selftest.db"
        key = secrets.token_bytes(32)
        store = open_store(path, key, create=True)
        try:
            store.call(lambda c: c.execute("CREATE TABLE selftest (v TEXT)"))
            store.call(lambda c: c.execute("INSERT INTO selftest VALUES ('ok')"))
        finally:
            store.close()
        header = path.read_bytes()[:16]
        if header.startswith(b"SQLite format 3"):
            raise AssertionError("the store file is not encrypted")
        store = open_store(path, key)
        try:
            value = store.call(lambda c: c.execute("SELECT v FROM selftest").fetchone()[0])
        finally:
            store.close()
        if value != "ok":
            raise AssertionError(f"read back {value!r}")
        try:
            open_store(path, secrets.token_bytes(32)).close()
        except WrongKeyOrCorrupt:
            pass
        else:
            raise AssertionError("a wrong key was accepted")
        import sqlcipher3

        version = sqlcipher3.connect(":memory:").execute("PRAGMA cipher_version").fetchone()[0]
        return f"SQLCipher {version}, created, reopened, wrong key refused"


def check_receipt() -> str:
    """Render a sample token receipt to ESC/POS bytes (needs python-escpos's data files)."""
    from printers.model import TokenReceipt
    from printers.profile import PrinterProfile
    from printers.render import render_escpos
    from printers.samples import sale

    data = render_escpos(TokenReceipt(sale()), PrinterProfile(columns=48))
    if not data.startswith(b"\x1b@") or b"\x1dV" not in data:
        raise AssertionError("receipt bytes lack initialise or cut")
    return f"{len(data)} ESC/POS bytes"


def check_sts() -> str:
    """Derive a key, issue a credit token and decode it again."""
    from sts.keys import EA, MeterKeyData, derive_decoder_key
    from sts.tokens import CreditSubclass, credit_token, decode_token

    key = MeterKeyData(sgc="123457", ti=1, krn=1, kt=2, ea=EA.MISTY1, base_date=2014)
    vk = bytes.fromhex("abababababababab949494949494949401234567")
    dk = derive_decoder_key(4, vk, "600727000000000009", key)
    issued = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    token = credit_token(EA.MISTY1, dk, CreditSubclass.ELECTRICITY, Decimal("25.6"), issued,
                         rnd=5, base_date=2014)
    decoded = decode_token(EA.MISTY1, dk, token, base_date=2014)
    if not decoded.crc_ok or decoded.amount != Decimal("25.6"):
        raise AssertionError("token did not decode to what was issued")
    return "EA11/DKGA04 token issued and decoded"


def check_languages() -> str:
    """Every language's compiled catalog loads and translates, and CLDR formats money in
    each demo market's locale (the build must carry the .mo files and Babel's locale data)."""
    from common.i18n import LANGUAGES, catalog_dir, translator
    from common.money import Money, format_money

    for lang in LANGUAGES[1:]:
        if not (catalog_dir() / f"{lang}.mo").exists():
            raise AssertionError(f"the {lang} catalog is missing")
        if translator(lang).gettext("Amount") == "Amount":
            raise AssertionError(f"the {lang} catalog does not translate")
    shown = [format_money(Money(1250000, "XOF"), "fr_CI"), format_money(Money(123450, "MZN"),
                                                                         "pt_MZ")]
    if shown != ["1 250 000 XOF", "1 234,50 MZN"]:
        raise AssertionError(f"CLDR money formats wrong: {shown}")
    return f"{', '.join(LANGUAGES)}; {shown[0]}, {shown[1]}"


CORE_CHECKS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("encrypted store", check_store),
    ("receipt", check_receipt),
    ("STS engine", check_sts),
    ("languages", check_languages),
)


def run_checks(checks: Iterable[tuple[str, Callable[[], str]]]) -> list[CheckResult]:
    """Run each check, catching its failure so every check reports."""
    results = []
    for name, check in checks:
        try:
            results.append(CheckResult(name, True, check()))
        except Exception as exc:
            last = traceback.extract_tb(exc.__traceback__)[-1:]
            where = f" at {last[0].filename}:{last[0].lineno}" if last else ""
            results.append(CheckResult(name, False, f"{type(exc).__name__}: {exc}{where}"))
    return results
