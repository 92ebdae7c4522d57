"""The tariff service: accepts, stores and looks up signed tariff versions on the terminal.

The server announces "tariff X has version N" (push or reconciliation); `TariffService`
fetches that version through its `TariffSource`, has it checked (`trust`) and stores it
(`records`). Everything refused is written to `tariff_rejections` and the audit journal in one
transaction, logged, and published as `tariff.rejected`; an accepted version is published as
`tariff.applied`, and again as `tariff.in_force` when its `effective_from` time arrives. The
version in force at a time is the highest accepted version whose `effective_from` is not later
than that time (the server's pricing rule, docs/api.md §6). See docs/tariffs.md.
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.tariffs import records
from app.tariffs.document import TariffDocument, iso
from app.tariffs.errors import Refusal, TariffNotFound, TariffRefused, TariffSourceError
from app.tariffs.events import TariffApplied, TariffInForce, TariffRejected
from app.tariffs.source import TariffSource
from app.tariffs.trust import TrustedKey, endorsed_offers, verify_envelope
from common.events import EventBus
from common.i18n import _
from offline_store import Store

log = logging.getLogger("vendpoint.tariffs")

__all__ = ["MAX_FETCHES_PER_RECONCILE", "MAX_VERSIONS_PER_TARIFF", "Outcome", "QuoteCheck",
           "TariffService"]

#: Most versions of one tariff fetched and verified in one reconciliation (a reconnect).
MAX_VERSIONS_PER_TARIFF = 8
#: Most versions fetched in one reconciliation, all tariffs together.
MAX_FETCHES_PER_RECONCILE = 32


@dataclass(frozen=True)
class Outcome:
    """What happened to one announced version: applied, known (already have it) or refused."""

    status: str
    tariff_id: str
    version: int
    reason: str = ""


@dataclass(frozen=True)
class QuoteCheck:
    """Whether a quote's tariff version is still the one in force (see `check_quote`)."""

    status: str  # "current" | "superseded" | "newer_than_local" | "unknown_tariff"
    quoted_version: int
    in_force_version: int | None

    @property
    def stale(self) -> bool:
        """True when the server will price a sale now on another version than the quote."""
        return self.status == "superseded"


class TariffService:
    """Accepts, stores and looks up signed tariff versions; thread-safe.

    `handle_announcement` / `reconcile` are called by the push listener's worker; lookups
    (`in_force`, `history`, `tariffs`) read an in-memory index rebuilt from the store.
    """

    def __init__(self, store: Store, source: TariffSource | None, bus: EventBus, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 key_updates: str = "endorsed") -> None:
        if key_updates not in ("off", "endorsed", "server"):
            raise ValueError("key_updates must be 'off', 'endorsed' or 'server'")
        self.store = store
        self.source = source
        self.bus = bus
        self._clock = clock
        #: How a key id first seen on a document may become trusted (see `refresh_keys`).
        self.key_updates = key_updates
        self._lock = threading.RLock()  # serialises fetch → verify → commit
        self._index: dict[str, list[TariffDocument]] = {}
        self._keys: dict[str, bytes] = {}
        self._all_keys: dict[str, bytes] = {}
        self._timer_cond = threading.Condition()
        self._timer: threading.Thread | None = None
        self._stopping = False
        self._announced_in_force: set[tuple[str, int]] = set()
        # Versions a reconciliation fetched and found refused or missing, and the listings
        # refused as too long: not fetched or journaled again on every reconnect.
        self._given_up: set[tuple[str, int]] = set()
        self._listings_refused: set[tuple[str, int, int]] = set()
        self.load()

    # -- keys ------------------------------------------------------------------------------
    def provision_keys(self, keys: Iterable[Mapping[str, Any]], source: str = "activation") -> int:
        """Trust the activation answer's `tariff_signing_keys`; returns how many are new.

        A key id that is already trusted must carry the same bytes: re-binding an id to another
        key is refused (`TariffRefused` UNKNOWN_KEY), so a key cannot be swapped in silently.
        """
        parsed = [TrustedKey.from_wire(k) for k in keys]
        added = self.store.call(lambda c: records.insert_keys(c, parsed, source))
        self._load_keys()
        if added:
            log.info("trusted %d new tariff signing key(s) from %s", added, source)
        return added

    def refresh_keys(self) -> int:
        """Learn rotated keys from GET /v1/terminal; returns how many became trusted.

        `key_updates` decides: "off" (only activation provisions keys), "endorsed" (a new key
        is trusted only with an `endorsement` — an Ed25519 signature over
        `endorsement_payload(key_id, public_key)` by a key already trusted, named in
        `endorsed_by`), or "server" (trust what the authenticated server lists: rotation works
        with today's server, but a compromised server could then add its own key).
        Re-binding a known key id to other bytes is always refused.
        """
        if self.key_updates == "off" or self.source is None:
            return 0
        offered = self.source.signing_keys()
        with self._lock:
            trusted = dict(self._keys)
            known = set(self._all_keys)
        accepted = endorsed_offers(offered, trusted, known, self.key_updates)
        if not accepted:
            return 0
        return self.provision_keys(accepted, "terminal:" + self.key_updates)

    def retire_key(self, key_id: str) -> None:
        """Stop accepting new documents signed by `key_id` (stored ones stay readable)."""
        self.store.call(lambda c: records.retire_key(c, key_id))
        self._load_keys()

    def trusted_key_ids(self) -> list[str]:
        """Key ids that new documents may be signed with."""
        with self._lock:
            return sorted(self._keys)

    def _load_keys(self) -> None:
        keys, every = self.store.call(records.read_keys)
        with self._lock:
            self._keys, self._all_keys = keys, every

    # -- loading -----------------------------------------------------------------------------
    def load(self) -> None:
        """(Re)build the index from the store, verifying every stored signature again."""
        self._load_keys()
        rows = self.store.call(records.stored_versions)
        index: dict[str, list[TariffDocument]] = {}
        with self._lock:
            keys = dict(self._all_keys)
        for tariff_id, version, payload_text, signature, key_id in rows:
            payload = payload_text.encode("utf-8")
            envelope = {"tariff_id": tariff_id, "version": version, "alg": "Ed25519",
                        "key_id": key_id, "signature": signature,
                        "payload": base64.b64encode(payload).decode("ascii")}
            try:
                doc = verify_envelope(envelope, keys, (tariff_id, version))
            except TariffRefused as exc:
                # The store is encrypted, so this means a bug or a tampered file: never use it.
                log.error("stored tariff %s v%s fails verification (%s); ignored",
                          tariff_id, version, exc.code)
                continue
            index.setdefault(tariff_id, []).append(doc)
        now = self._clock()
        with self._lock:
            self._index = index
            self._announced_in_force = {(d.tariff_id, d.version) for docs in index.values()
                                        for d in docs if d.in_force_at(now)}
        with self._timer_cond:
            self._timer_cond.notify_all()

    # -- accepting ---------------------------------------------------------------------------
    def highest(self, tariff_id: str) -> int:
        """The highest version accepted for `tariff_id` (0 if none)."""
        return self.store.call(lambda c: records.highest_version(c, tariff_id))

    def handle_announcement(self, tariff_id: str, version: int) -> Outcome:
        """Fetch and accept an announced version unless it is already known or older.

        An announcement itself is not signed, so a lower or known version is simply ignored
        ("known"); only a fetched document can be refused.
        Raises `TariffSourceError` when the server cannot be asked (retry later).
        """
        if self.source is None:
            raise TariffSourceError(_("No tariff server is configured."))
        with self._lock:
            if version <= self.highest(tariff_id):
                return Outcome("known", tariff_id, version)
            try:
                envelope = self.source.fetch_version(tariff_id, version)
            except TariffNotFound:
                log.warning("announced tariff %s v%d is not on the server", tariff_id, version)
                return Outcome("missing", tariff_id, version)
            key_id = envelope.get("key_id") if isinstance(envelope, dict) else None
            if isinstance(key_id, str) and key_id not in self._all_keys:
                try:
                    self.refresh_keys()
                except TariffSourceError:
                    log.info("could not ask the server for rotated keys")
            return self.accept(envelope, expected=(tariff_id, version))

    def reconcile(self) -> list[Outcome]:
        """Compare with the server's tariff list and fetch the newer versions, oldest first.

        The work is bounded whatever the list says: versions older than the one the server
        has in force (`current_version`) are skipped (no sale is priced on them any more), a
        version this service already found refused or missing is not fetched again (an
        announcement still fetches it), at most `MAX_VERSIONS_PER_TARIFF` versions of a tariff
        and `MAX_FETCHES_PER_RECONCILE` in all are fetched; the rest wait for the next
        reconciliation. A tariff announcing more new versions than that is recorded once as a
        refused listing (`LISTING`), not once per version; its first versions are tried that
        once, and the same listing is not acted on again (a changed one is judged afresh).
        """
        if self.source is None:
            return []
        outcomes: list[Outcome] = []
        budget = MAX_FETCHES_PER_RECONCILE
        for item in self.source.list_tariffs():
            tariff_id, versions = item.get("id"), item.get("versions")
            if not isinstance(tariff_id, str) or not isinstance(versions, list):
                continue
            current = item.get("current_version")
            if isinstance(current, bool) or not isinstance(current, int):
                current = 0
            listed = sorted({v for v in versions if isinstance(v, int)
                             and not isinstance(v, bool)})
            listing = (tariff_id, current, hash(tuple(listed)))
            if listing in self._listings_refused:
                continue  # refused once already: its first versions were tried then
            highest = self.highest(tariff_id)
            wanted = [v for v in listed if v > highest and v >= current
                      and (tariff_id, v) not in self._given_up]
            if len(wanted) > MAX_VERSIONS_PER_TARIFF:
                self._listings_refused.add(listing)
                self._refuse_listing(tariff_id, wanted)
                wanted = wanted[:MAX_VERSIONS_PER_TARIFF]
            for v in wanted:
                if budget <= 0:
                    log.info("tariff list: more versions than one reconciliation fetches; "
                             "the rest wait for the next one")
                    return outcomes
                budget -= 1
                outcome = self.handle_announcement(tariff_id, v)
                outcomes.append(outcome)
                if outcome.status in ("refused", "missing"):
                    self._given_up.add((tariff_id, v))
        return outcomes

    def _refuse_listing(self, tariff_id: str, wanted: list[int]) -> None:
        self._record_refusal(TariffRefused(
            Refusal.LISTING, f"{len(wanted)} new versions listed, {wanted[0]} to {wanted[-1]}; "
            f"at most {MAX_VERSIONS_PER_TARIFF} are fetched per reconnect",
            tariff_id=tariff_id[:64]))

    def accept(self, envelope: Any, *, expected: tuple[str, int] | None = None) -> Outcome:
        """Verify and store one signed envelope; refusals are recorded and published."""
        with self._lock:
            keys = dict(self._keys)
            try:
                doc = verify_envelope(envelope, keys, expected)
                payload = base64.b64decode(envelope["payload"])
                signature = str(envelope["signature"])
                previous = self.store.call(
                    lambda c: records.commit_version(c, doc, payload, signature, self._clock()))
            except TariffRefused as exc:
                self._record_refusal(exc)
                return Outcome("refused", exc.tariff_id, exc.version or 0, exc.code)
            self._index.setdefault(doc.tariff_id, []).append(doc)
            self._index[doc.tariff_id].sort(key=lambda d: d.version)
            now = self._clock()
            in_force = doc.in_force_at(now)
            if in_force:
                self._announced_in_force.add((doc.tariff_id, doc.version))
        log.info("tariff %s version %d accepted (key %s, effective %s)", doc.tariff_id,
                 doc.version, doc.key_id, iso(doc.effective_from))
        self.bus.publish(TariffApplied(
            tariff_id=doc.tariff_id, tariff_name=doc.name, version=doc.version,
            previous_version=previous, effective_from=iso(doc.effective_from),
            expires_at=iso(doc.expires_at), in_force=in_force))
        with self._timer_cond:
            self._timer_cond.notify_all()
        return Outcome("applied", doc.tariff_id, doc.version)

    def _record_refusal(self, exc: TariffRefused) -> None:
        log.warning("tariff document refused: %s %s v%s key=%s sha256=%s", exc.code,
                    exc.tariff_id or "?", exc.version, exc.key_id or "-",
                    (exc.payload_sha256 or "-")[:16])
        tariff_id = (exc.tariff_id or "?")[:64]

        try:
            self.store.call(lambda c: records.write_refusal(c, exc, tariff_id))
        except Exception:
            log.exception("could not record a tariff refusal")
        self.bus.publish(TariffRejected(tariff_id=tariff_id, version=exc.version,
                                        reason=exc.code, message=exc.message))

    def rejections(self, limit: int = 50) -> list[dict[str, Any]]:
        """The most recent refusals, newest first (for the viewer and support)."""
        return self.store.call(lambda c: records.read_rejections(c, limit))

    # -- lookups -------------------------------------------------------------------------------
    def tariff_ids(self) -> list[str]:
        """Tariffs with at least one accepted version."""
        with self._lock:
            return sorted(self._index)

    def history(self, tariff_id: str) -> list[TariffDocument]:
        """Accepted versions of `tariff_id`, newest first."""
        with self._lock:
            return sorted(self._index.get(tariff_id, []), key=lambda d: -d.version)

    def in_force(self, tariff_id: str, at: datetime | None = None) -> TariffDocument | None:
        """The version the server prices on at `at`: the highest effective one (may be expired)."""
        at = at or self._clock()
        with self._lock:
            docs = [d for d in self._index.get(tariff_id, []) if d.in_force_at(at)]
        return max(docs, key=lambda d: d.version) if docs else None

    def check_quote(self, tariff_id: str, quoted_version: int,
                    at: datetime | None = None) -> QuoteCheck:
        """Is a quote on `quoted_version` still priced on the version in force at `at`?

        `superseded` means a newer version came into force since the quote: the sale would be
        priced differently, so the cashier must see a new quote before confirming.
        `newer_than_local` means the server knows a version this terminal has not accepted yet
        (the caller should run `reconcile`).
        """
        current = self.in_force(tariff_id, at)
        if current is None:
            return QuoteCheck("unknown_tariff", quoted_version, None)
        if quoted_version == current.version:
            return QuoteCheck("current", quoted_version, current.version)
        if quoted_version < current.version:
            return QuoteCheck("superseded", quoted_version, current.version)
        return QuoteCheck("newer_than_local", quoted_version, current.version)

    # -- effective-from timer ----------------------------------------------------------------------
    def start(self) -> None:
        """Start the thread that publishes `tariff.in_force` when a version's time comes."""
        with self._timer_cond:
            if self._timer is not None:
                return
            self._stopping = False
            self._timer = threading.Thread(target=self._timer_loop, name="tariff-effective",
                                           daemon=True)
            self._timer.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop the timer thread; True if it ended."""
        with self._timer_cond:
            self._stopping = True
            self._timer_cond.notify_all()
            thread, self._timer = self._timer, None
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def due(self, now: datetime) -> tuple[list[TariffDocument], datetime | None]:
        """Versions that came into force by `now` and were not announced yet; the next time."""
        due: list[TariffDocument] = []
        upcoming: datetime | None = None
        with self._lock:
            for docs in self._index.values():
                for d in docs:
                    if (d.tariff_id, d.version) in self._announced_in_force:
                        continue
                    if d.in_force_at(now):
                        due.append(d)
                        self._announced_in_force.add((d.tariff_id, d.version))
                    elif upcoming is None or d.effective_from < upcoming:
                        upcoming = d.effective_from
        return due, upcoming

    def _timer_loop(self) -> None:
        while True:
            now = self._clock()
            due, upcoming = self.due(now)
            for d in due:
                current = self.in_force(d.tariff_id, now)
                if current is not None and current.version == d.version:
                    self.bus.publish(TariffInForce(
                        tariff_id=d.tariff_id, tariff_name=d.name, version=d.version,
                        effective_from=iso(d.effective_from)))
            with self._timer_cond:
                if self._stopping:
                    return
                # Wake at the next effective time (bounded so a changed wall clock is noticed).
                wait = 60.0 if upcoming is None else (upcoming - now).total_seconds()
                self._timer_cond.wait(min(max(wait, 0.05), 60.0))
                if self._stopping:
                    return
