"""Command line of the reference vending server (see docs/api.md §8).

    python -m vendserver serve [--host 127.0.0.1] [--port 8080] [--db PATH|URL] [--demo]
                               [--market ZAR|UGX|XOF|LYD|MZN]
                               [--workers N]     (N > 1 needs --db postgresql://...)
    python -m vendserver demo-info [--db PATH] [--market CODE]
    python -m vendserver publish-tariff FILE --db PATH
    python -m vendserver audit --db PATH
    python -m vendserver vendor-topup --db PATH --vendor V001 --amount 1000.00
    python -m vendserver meter-enter --db PATH METER TOKEN
    python -m vendserver set-policy --db PATH --terminal T0001 '{"max_count": 10}'
    python -m vendserver rotate-signing-key --db PATH
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vendserver.db import StoreUnavailable, is_postgres_url, open_store
from vendserver.errors import ApiError
from vendserver.mailer import SmtpConfig
from vendserver.service import DEFAULT_POLICY, VendingService


class CliRefusal(Exception):
    """Bad input to a command: the message is printed as one line, then exit with `code`."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


if TYPE_CHECKING:
    from fastapi import FastAPI

#: The environment variable that hands a worker process its settings (`worker_app`).
WORKER_ENV = "VENDSERVER_WORKER"


def _service(db: str, smtp: SmtpConfig | None = None) -> VendingService:
    return VendingService(open_store(db), smtp=smtp)


def _existing(db: str) -> VendingService:
    """The service over an EXISTING database: back-office commands never create one, so a
    mistyped --db cannot make `audit` report a false "OK" on a new empty database."""
    if is_postgres_url(db):
        try:
            service = _service(db)
        except StoreUnavailable as exc:
            raise CliRefusal(f"error: cannot open the database: {exc}") from None
        if service.store.utility() is None:
            service.store.close()
            raise CliRefusal("error: that PostgreSQL database holds no vending data "
                             "(check --db).")
        return service
    if not Path(db).is_file():
        raise CliRefusal(f"error: no vending database at {db} (check --db).")
    return _service(db)


def worker_app() -> FastAPI:
    """The app of one `serve --workers N` process, from the settings in WORKER_ENV (uvicorn
    starts each worker afresh and calls this factory in it)."""
    from vendserver.api import create_app

    settings: dict[str, Any] = json.loads(os.environ[WORKER_ENV])
    smtp = SmtpConfig(*settings["smtp"]) if settings["smtp"] else None
    service = _service(settings["db"], smtp)
    return create_app(service, heartbeat=float(settings["heartbeat"]),
                      xmlvend=str(settings["xmlvend"]))


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from vendserver.api import create_app
    from vendserver.demo import seed
    from vendserver.http import ContractH11Protocol
    from vendserver.listen import free_socket

    if args.db is None:
        if not args.demo:
            print("serve needs --db PATH (or --demo for a throwaway database)", file=sys.stderr)
            return 2
        args.db = str(Path(tempfile.mkdtemp(prefix="vendserver-demo-")) / "vendserver.db")
    if args.workers < 1:
        raise CliRefusal("error: argument --workers: must be 1 or more.")
    if args.workers > 1 and not is_postgres_url(args.db):
        raise CliRefusal("error: --workers N needs a PostgreSQL database (--db postgresql://"
                         "...): an SQLite file is served by one process.")
    smtp = None
    if args.smtp:
        host, _, port = args.smtp.rpartition(":")
        if not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
            raise CliRefusal("error: argument --smtp: must be HOST:PORT, e.g. localhost:25.")
        smtp = SmtpConfig(host or "127.0.0.1", int(port), args.smtp_from)
    try:
        service = _service(args.db, smtp)
    except (OSError, sqlite3.Error) as exc:
        raise CliRefusal(f"error: cannot open the database {args.db}: {exc}") from None
    except StoreUnavailable as exc:  # never the URL itself: it may carry a password
        raise CliRefusal(f"error: cannot open the database: {exc}") from None
    if args.demo and seed(service, args.market):
        logging.getLogger("vendserver").info("demo data (market %s) created in %s",
                                             args.market, args.db)
    elif args.demo and service.currency() != args.market:
        logging.getLogger("vendserver").warning(
            "the database already holds the %s market; --market %s is ignored",
            service.currency(), args.market)
    try:
        sock = free_socket(args.host, args.port)
    except (OSError, OverflowError) as exc:
        service.store.close()
        raise CliRefusal(f"error: cannot listen on {args.host}:{args.port}: {exc}") from None
    if args.workers > 1:
        return _serve_workers(args, service, sock, smtp)
    host, port = sock.getsockname()[:2]
    shutdown = threading.Event()

    def announce() -> None:
        print(f"VENDSERVER LISTENING http://{host}:{port}", flush=True)

    app = create_app(service, heartbeat=args.heartbeat, shutdown=shutdown, on_ready=announce,
                     xmlvend=args.xmlvend)
    server = uvicorn.Server(uvicorn.Config(app, log_level="info", lifespan="on",
                                           http=ContractH11Protocol,
                                           timeout_graceful_shutdown=3))
    try:
        server.run(sockets=[sock])
    finally:
        shutdown.set()
        service.store.close()
    return 0


def _serve_workers(args: argparse.Namespace, service: VendingService, sock: Any,
                   smtp: SmtpConfig | None) -> int:
    """N server processes on one listening socket over one PostgreSQL database. The schema
    was migrated (and the demo seeded) above, once; each worker opens its own connections."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from vendserver.http import ContractH11Protocol

    service.store.close()
    os.environ[WORKER_ENV] = json.dumps({
        "db": args.db, "heartbeat": args.heartbeat, "xmlvend": args.xmlvend,
        "smtp": None if smtp is None else [smtp.host, smtp.port, smtp.sender]})
    config = uvicorn.Config("vendserver.__main__:worker_app", factory=True,
                            workers=args.workers, log_level="info", lifespan="on",
                            http=ContractH11Protocol, timeout_graceful_shutdown=3)
    host, port = sock.getsockname()[:2]
    # Connections wait in the socket's backlog until a worker accepts them.
    print(f"VENDSERVER LISTENING http://{host}:{port}", flush=True)
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
    return 0


def cmd_demo_info(args: argparse.Namespace) -> int:
    from vendserver.demo import demo_info, dumps

    service = _service(args.db) if args.db else None
    try:
        info = demo_info(service, args.market)
    except KeyError as exc:
        raise CliRefusal(f"error: {exc.args[0]}") from None
    print(dumps(info))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    service = _existing(args.db)
    try:
        doc = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
        print(f"cannot read tariff file: {reason}", file=sys.stderr)
        return 2
    try:
        signed = service.publish_tariff(doc)
    except (KeyError, ValueError, TypeError, ApiError) as exc:
        print(f"tariff refused: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(signed, ensure_ascii=False, indent=2))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    findings = _existing(args.db).audit()
    if not findings:
        print("audit: OK (every virtual-meter credit is backed by a recorded sale)")
        return 0
    for f in findings:
        print(f"UNBACKED CREDIT meter {f['meter_number']} +{f['credit_added']} at {f['at']} "
              f"(source {f['source']}, token ...{f['token_tail']})")
    print(f"audit: {len(findings)} unbacked credit increase(s): possible illegal vending")
    return 1


def cmd_topup(args: argparse.Namespace) -> int:
    from vendserver.money import fmt_cents, parse_amount

    service = _existing(args.db)
    currency = service.currency()
    try:
        credit = service.top_up(args.vendor, parse_amount(args.amount, "amount", currency))
    except KeyError:
        print(f"top-up refused: no vendor {args.vendor}", file=sys.stderr)
        return 1
    except ApiError as exc:
        print(f"top-up refused: {exc}", file=sys.stderr)
        return 1
    print(f"vendor {args.vendor} credit now {fmt_cents(credit, currency)}")
    return 0


def cmd_meter_enter(args: argparse.Namespace) -> int:
    service = _existing(args.db)
    meter = service.store.meter(args.meter)
    if meter is None or not meter["two_way"]:
        raise CliRefusal(f"error: {args.meter} is not a two-way smart meter of this database.")
    result = service.enter_token(args.meter, args.token, source="keypad")
    print(json.dumps(result))
    return 0 if result["accepted"] else 1


def cmd_rotate_key(args: argparse.Namespace) -> int:
    service = _existing(args.db)
    key_id = service.rotate_signing_key()
    print(f"tariffs are now signed with {key_id}")
    # The new public key with its endorsement by the previous key, as terminals receive it.
    entry = next(k for k in service.signing_keys_wire() if k["key_id"] == key_id)
    print(json.dumps(entry, sort_keys=True))
    return 0


def cmd_set_policy(args: argparse.Namespace) -> int:
    try:
        changes = json.loads(args.changes)
        if not isinstance(changes, dict):
            raise ValueError("not a JSON object")
        unknown = set(changes) - set(DEFAULT_POLICY)
        if unknown:
            raise ValueError(f"unknown policy fields: {', '.join(sorted(unknown))}")
        service = _existing(args.db)
        service.set_policy(args.terminal, changes)
    except KeyError:
        print(f"policy refused: no terminal {args.terminal}", file=sys.stderr)
        return 1
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
        print(f"policy refused: {reason}", file=sys.stderr)
        return 1
    print(f"terminal {args.terminal} policy updated")
    return 0


def _market_codes() -> list[str]:
    from vendserver.demo import MARKETS

    return list(MARKETS)


def _market_code(text: str) -> str:
    code = text.upper()
    if code not in _market_codes():
        raise argparse.ArgumentTypeError(
            f"no demo market {text!r} (choose from {', '.join(_market_codes())})")
    return code


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m vendserver",
                                     description="VendPoint reference vending server")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve", help="run the HTTP server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--db", help="an SQLite file, or postgresql://user@host:port/dbname")
    p.add_argument("--demo", action="store_true", help="seed the demo data if empty")
    p.add_argument("--market", type=_market_code, default="ZAR",
                   help="which demo market --demo seeds: " + ", ".join(_market_codes())
                   + " (default ZAR)")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes on the one port (more than 1 needs PostgreSQL)")
    p.add_argument("--heartbeat", type=float, default=15.0, help="SSE heartbeat seconds")
    p.add_argument("--xmlvend", choices=("hexing", "conlog"), default="hexing",
                   help="personality of the XMLVend 2.1 SOAP face at /xmlvend/2.1")
    p.add_argument("--smtp", help="HOST:PORT of an SMTP relay for e-mail notifications")
    p.add_argument("--smtp-from", default="tokens@vendpoint.invalid")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("demo-info", help="print the demo data as JSON")
    p.add_argument("--db")
    p.add_argument("--market", type=_market_code, default=None,
                   help="the market to describe (default: the --db's market, else ZAR)")
    p.set_defaults(func=cmd_demo_info)
    p = sub.add_parser("publish-tariff", help="sign and publish a tariff version")
    p.add_argument("file")
    p.add_argument("--db", required=True)
    p.set_defaults(func=cmd_publish)
    p = sub.add_parser("audit", help="flag virtual-meter credit no sale backs")
    p.add_argument("--db", required=True)
    p.set_defaults(func=cmd_audit)
    p = sub.add_parser("vendor-topup", help="add to a vendor's credit float")
    p.add_argument("--db", required=True)
    p.add_argument("--vendor", required=True)
    p.add_argument("--amount", required=True)
    p.set_defaults(func=cmd_topup)
    p = sub.add_parser("meter-enter", help="type a token into a virtual smart meter")
    p.add_argument("--db", required=True)
    p.add_argument("meter")
    p.add_argument("token")
    p.set_defaults(func=cmd_meter_enter)
    p = sub.add_parser("set-policy", help="change a terminal's offline policy (JSON fields)")
    p.add_argument("--db", required=True)
    p.add_argument("--terminal", required=True)
    p.add_argument("changes", help='e.g. \'{"max_count": 10, "refuse_after_hours": 48}\'')
    p.set_defaults(func=cmd_set_policy)
    p = sub.add_parser("rotate-signing-key", help="sign new tariff versions with a new key")
    p.add_argument("--db", required=True)
    p.set_defaults(func=cmd_rotate_key)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args))
    except CliRefusal as exc:
        print(str(exc), file=sys.stderr)
        return exc.code


if __name__ == "__main__":
    sys.exit(main())
