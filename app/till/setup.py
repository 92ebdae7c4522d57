"""Setting a till up before it is built: activation, the activation's keys, the store, the
demo server's data. Qt-free and blocking.

Activation sends the utility's code once; the credential goes to the OS keyring, bound to the
server's origin and public key (`app.api.origin`), together with the activation answer's
tariff-signing keys: the root of trust, set only by an activation, which `build_till`
provisions into the encrypted store. A plaintext `activation-keys.json` beside the store (what
older versions kept) is read once only, as a migration, when neither the keyring entry nor the
store has anchors yet; it is removed at every start either way, so editing it does nothing.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import requests

from app.api import models as api
from app.api.origin import CredentialBinding, SpkiPinnedAdapter, fetch_spki, origin_of
from app.backend import ClientBackend
from app.keystore import (
    KeyringCredentialProvider,
    KeyringLike,
    KeyringUnavailable,
    create_store_key,
    load_store_key,
    sidecar_path,
)
from app.settings import Settings
from app.till.results import SearchHit
from common.errors import StorageError, UserFacingError
from common.i18n import N_, Translator, _, translator
from offline_store import Store
from offline_store.store import open_store

log = logging.getLogger("vendpoint.till.setup")

ROOT = Path(__file__).resolve().parent.parent.parent
#: the tariff-signing keys of the activation answer, kept for the first start of a new store
ACTIVATION_KEYS_FILE = "activation-keys.json"
#: this till's random activation fingerprint (not a secret on its own: useless without the
#: activation code, and only until the credential is first used)
FINGERPRINT_FILE = "terminal-fingerprint"


class NotSetUp(UserFacingError):
    """The till has no server address or no activation yet: open Settings (F11)."""

    title = N_("Till not set up")


def quick_amounts(settings: Settings) -> list[Decimal]:
    """The quick-amount keys from the settings (bad entries are skipped with a log line)."""
    amounts = []
    for part in str(settings["ui.quick_amounts"]).split(","):
        try:
            value = Decimal(part.strip())
        except InvalidOperation:
            log.warning("ignoring quick amount %r", part)
            continue
        if value > 0:
            amounts.append(value)
    return amounts


def trust_anchors(data_dir: Path, provider: KeyringCredentialProvider,
                  store_has_anchors: bool) -> list[dict[str, Any]] | None:
    """The tariff-signing keys to provision at this start (None: none to add).

    From the keyring entry written at activation. The plaintext file older versions kept is
    a one-time migration only (no anchors in the keyring entry nor in the store); it is
    deleted whatever happens, so a key added to it is never trusted.
    """
    kept = provider.anchors()
    path = data_dir / ACTIVATION_KEYS_FILE
    if not path.exists():
        return kept
    legacy = None
    if kept is None and not store_has_anchors:
        legacy = load_activation_keys(data_dir)
        log.warning("tariff signing keys migrated once from %s into the store", path.name)
    else:
        log.warning("%s ignored: the root of trust is kept in the keyring and the store",
                    path.name)
    try:
        path.unlink()
    except OSError as exc:
        log.error("could not remove %s: %s", path.name, type(exc).__name__)
    return kept if kept is not None else legacy


def save_activation_keys(data_dir: Path, activation: api.Activation) -> Path:
    """Keep the activation answer's `tariff_signing_keys` (public keys) beside the store,
    written to a temporary file first and renamed (never half-written)."""
    path = data_dir / ACTIVATION_KEYS_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    body = {"terminal_id": activation.terminal.terminal_id,
            "tariff_signing_keys": activation.terminal.raw.get("tariff_signing_keys") or []}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(body, indent=1), encoding="utf-8")
    tmp.replace(path)
    return path


def load_activation_keys(data_dir: Path) -> list[dict[str, Any]] | None:
    """The keys `save_activation_keys` kept, or None (no file, or not readable: logged)."""
    path = data_dir / ACTIVATION_KEYS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.error("activation keys file %s unreadable: %s", path, type(exc).__name__)
        return None
    keys = data.get("tariff_signing_keys") if isinstance(data, dict) else None
    if not isinstance(keys, list):
        log.error("activation keys file %s has no key list", path)
        return None
    return [dict(k) for k in keys if isinstance(k, dict)]


class Activation:
    """Terminal activation: the code becomes a credential in the OS keyring, kept with the
    activation's tariff-signing keys (the root of trust)."""

    def __init__(self, keyring: KeyringLike | None = None, *,
                 data_dir: Path | None = None) -> None:
        self._provider = KeyringCredentialProvider(keyring)
        self._data_dir = data_dir
        self._fingerprint: str | None = None

    def fingerprint(self) -> str:
        """This till's activation fingerprint: random, made once and kept in the data folder
        (in memory without one), written before the code is sent, so every retry of an
        activation carries the same one."""
        if self._fingerprint is not None:
            return self._fingerprint
        if self._data_dir is None:
            self._fingerprint = secrets.token_urlsafe(24)
            return self._fingerprint
        path = self._data_dir / FINGERPRINT_FILE
        try:
            kept = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeError):
            kept = ""
        if len(kept) < 16 or not all(c.isalnum() or c in "-_" for c in kept):
            kept = secrets.token_urlsafe(24)
            self._data_dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(kept + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            tmp.replace(path)
        self._fingerprint = kept
        return kept

    def is_activated(self) -> bool:
        """Whether a credential is kept for this till."""
        try:
            self._provider()
        except UserFacingError:
            return False
        return True

    def activate(self, server_url: str, code: str, terminal_name: str) -> str:
        """Activate with the utility's code; returns the terminal id.

        The credential is kept bound to this server: its origin and, over https, the public
        key its certificate presented (the activation answer itself came over a connection
        pinned to that key). It is never sent to another server address.

        Safe to retry: the code goes with this till's fingerprint, so when keeping the
        credential fails (a keyring that refuses) the same code activates again and gets the
        same credential, until the till first uses it.
        """
        url = server_url.strip().rstrip("/")
        fingerprint = self.fingerprint()
        spki = fetch_spki(url) if url.lower().startswith("https://") else None
        session = requests.Session()
        client = ClientBackend(session, url, lambda: "")
        if spki is not None:
            session.mount(url + "/", SpkiPinnedAdapter(spki))
        activation = client.activate(code, terminal_name, fingerprint=fingerprint)
        anchors = [dict(k) for k in activation.terminal.raw.get("tariff_signing_keys") or []
                   if isinstance(k, dict)]
        try:
            self._provider.save(activation.credential, CredentialBinding(origin_of(url), spki),
                                anchors=anchors)
        except Exception as exc:
            # The server counted the code; it answers this till's fingerprint again with the
            # same credential, so the code is not lost.
            log.error("terminal credential not kept: %s", type(exc).__name__)
            raise KeyringUnavailable(
                _("The terminal was activated, but its credential could not be kept in this "
                "computer's keyring."),
                hint=_("The activation code is not used up: fix the keyring (or choose "
                "passphrase mode) and activate again with the same code.")) from exc
        log.info("terminal activated as %s", activation.terminal.terminal_id)
        return activation.terminal.terminal_id


    def server_changed(self, server_url: str) -> bool:
        """The server address is being set to `server_url`: a credential bound to another
        origin is made unusable (the till must be activated again); True if it was."""
        binding = self._provider.binding()
        if binding is None or binding.origin == origin_of(server_url):
            return False
        self._provider.forget()
        log.warning("server address changed from %s: the terminal credential was cleared; "
                    "activate again", binding.origin)
        return True

    def bind_legacy(self, server_url: str) -> None:
        """Bind a credential kept before bindings were recorded to the configured server."""
        self._provider.bind_legacy(CredentialBinding(origin_of(server_url)))


def open_production_store(data_dir: Path, keyring: KeyringLike | None) -> Store:
    """The till's encrypted store (created with a new keyring key on the first start)."""
    path = data_dir / "store" / "vendpoint.db"
    if path.exists() or sidecar_path(path).exists():
        return open_store(path, load_store_key(path, backend=keyring))
    key = create_store_key(path, backend=keyring)
    return open_store(path, key, create=True)


def demo_info(db_path: Path) -> dict[str, Any]:
    """The demo data of the demo server's database (`python -m vendserver demo-info`)."""
    done = subprocess.run(
        [sys.executable, "-m", "vendserver", "demo-info", "--db", str(db_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise StorageError(_("The demo data could not be read from the demo server."),
                           hint=_("See the log for details."))
    data: dict[str, Any] = json.loads(done.stdout)
    return data


#: one demo meter of each of these kinds is offered as an example, in this order
DEMO_EXAMPLE_TAGS = ("normal", "arrears", "blocked", "key_change", "tid_rollover", "fbe",
                     "two_way")


def demo_examples(info: dict[str, Any]) -> tuple[SearchHit, ...]:
    """Demo meters offered as examples on the sale screen (one of each interesting kind)."""
    hits: list[SearchHit] = []
    for tag in DEMO_EXAMPLE_TAGS:
        meter = next((m for m in info.get("meters", []) if tag in m.get("tags", [])
                      and m["meter_number"] not in {h.meter_number for h in hits}), None)
        if meter is None:
            continue
        # The address column holds the address; the kind of demo meter goes with the name.
        name = f'{meter.get("customer_name", "")} (demo: {tag.replace("_", " ")})'
        hits.append(SearchHit(str(meter["meter_number"]), name, str(meter.get("account", "")),
                              str(meter.get("address", "")),
                              bool(meter.get("blocked", False))))
    return tuple(hits)


_DEMO_ROLES = {"cashier": N_("cashier"), "supervisor": N_("supervisor")}


def demo_login_hint(info: dict[str, Any], t: Translator | None = None) -> str:
    """'Demo: cashier thandi (PIN 1234) · supervisor sipho (PIN 4321)' (public demo data), in
    `t`'s language (the terminal's: the sign-in screen is the first thing shown)."""
    t = t or translator()
    parts = [t.gettext("{role} {user} (PIN {pin})").format(
                 role=t.gettext(_DEMO_ROLES[str(op["role"])]), user=op["id"], pin=op["pin"])
             for op in info.get("operators", []) if op.get("role") in _DEMO_ROLES]
    return t.gettext("Demo: {accounts}").format(accounts=" · ".join(parts)) if parts else ""


def demo_cashier(info: dict[str, Any]) -> str:
    """The demo's first cashier (suggested on the login screen)."""
    return next((str(op["id"]) for op in info.get("operators", [])
                 if op.get("role") == "cashier"), "")
