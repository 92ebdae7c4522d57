"""VendPoint entry point: parse arguments, load settings, set up logging, wire, start Qt."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from app.logging_setup import setup_logging
from app.settings import Settings, default_config_path, default_data_dir, describe_settings
from app.version import APP_NAME, VERSION
from common.errors import ConfigError, UserFacingError

log = logging.getLogger("vendpoint.main")

ROOT = Path(__file__).resolve().parent


def build_parser() -> argparse.ArgumentParser:
    """The command line; every option has a help text."""
    parser = argparse.ArgumentParser(
        prog="vendpoint",
        description=f"{APP_NAME}: point-of-sale client for prepaid STS tokens.",
    )
    parser.add_argument("--demo", action="store_true",
                        help="start the reference server on demo data and use a throwaway store")
    parser.add_argument("--market", metavar="CODE", type=str.upper,
                        choices=("ZAR", "UGX", "XOF", "LYD", "MZN"),
                        help="with --demo: the demo utility's market (currency): ZAR (default), "
                        "UGX, XOF, LYD or MZN; each has its own demo folder")
    parser.add_argument("--config", type=Path, metavar="PATH",
                        help=f"settings file (default: {default_config_path()})")
    parser.add_argument("--data-dir", type=Path, metavar="PATH",
                        help=f"where the store and logs live (default: {default_data_dir()})")
    parser.add_argument("--server", metavar="URL", help="central vending API base URL")
    parser.add_argument("--backend", choices=("rest", "xmlvend"),
                        help="the vending server's protocol (setting server.backend)")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {VERSION}")
    parser.add_argument("--help-settings", action="store_true",
                        help="list every setting with its type, default and description")
    parser.add_argument("--self-test", action="store_true",
                        help="check that the store, receipts, STS engine and Qt work, then exit")
    parser.add_argument("--verify-journal", nargs="?", const="", metavar="STORE",
                        help="check the audit journal's hash chain (of STORE, default: this "
                        "install's store) and report the first broken entry, then exit")
    parser.add_argument("--quit-after", type=int, metavar="MS", help=argparse.SUPPRESS)
    # For start-up tests: quit as soon as the login screen is up (or start-up failed).
    parser.add_argument("--quit-when-ready", action="store_true", help=argparse.SUPPRESS)
    return parser


def load_settings(args: argparse.Namespace) -> Settings:
    """Settings from the file, then overridden by command-line flags."""
    settings = Settings.load(args.config or default_config_path())
    if args.server:
        settings.set("server.url", args.server)
    if args.backend:
        settings.set("server.backend", args.backend)
    return settings


def _check_qt() -> str:
    """Start Qt on the offscreen platform and build the main window."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(["VendPoint-selftest"])
    window = MainWindow(demo=False, server_url="")
    image = window.grab()
    platform = QApplication.platformName() if isinstance(app, QApplication) else "?"
    window.close()
    if image.isNull():
        raise AssertionError("the main window could not be drawn")
    return f"platform {platform}, main window drawn {image.width()}x{image.height()}"


def self_test() -> int:
    """Run every self-test check; one line each; exit code 0 only if all pass."""
    from app.selftest import CORE_CHECKS, run_checks

    results = run_checks([*CORE_CHECKS, ("Qt", _check_qt)])
    for result in results:
        print(result.line(), flush=True)
    ok = all(r.ok for r in results)
    print(f"self-test {'passed' if ok else 'FAILED'}: {sum(r.ok for r in results)}/{len(results)}")
    return 0 if ok else 1


def _demo_root(args: argparse.Namespace) -> Path:
    """The demo folder of the chosen market (demo-data, or demo-data/UGX and so on)."""
    from app.demo_server import demo_dir

    return demo_dir(ROOT / "demo-data", args.market)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the application; returns the process exit code."""
    args = build_parser().parse_args(argv)
    if args.market and args.demo:
        from app.demo_server import MARKET_ENV

        # Read by the demo server's start (the demo's wiring passes no market itself).
        os.environ[MARKET_ENV] = args.market
    if args.help_settings:
        print(describe_settings())
        return 0
    if args.self_test:
        return self_test()
    if args.verify_journal is not None:
        from app.supervisor.audit import verify_journal_cli

        journal_dir = args.data_dir or (_demo_root(args) if args.demo else default_data_dir())
        store = Path(args.verify_journal) if args.verify_journal else None
        return verify_journal_cli(store, data_dir=journal_dir, demo=args.demo)
    try:
        settings = load_settings(args)
    except ConfigError as exc:
        print(f"{APP_NAME}: {exc}", file=sys.stderr)
        return 2
    data_dir: Path = args.data_dir or (_demo_root(args) if args.demo else default_data_dir())
    setup_logging(data_dir / "logs", json_lines=settings["log.json"], level=settings["log.level"])
    log.info("%s %s starting (demo=%s)", APP_NAME, VERSION, args.demo)
    from ui.qt_preflight import check

    problem = check(os.environ)
    if problem:  # before Qt: its own message says "reinstalling may fix this", it will not
        log.error("Qt cannot start: system libraries missing")
        print(f"{APP_NAME}: {problem}", file=sys.stderr)
        return 1
    try:
        from ui.application import run_app
    except ImportError as exc:  # PySide6 missing or broken: say so plainly
        print(f"{APP_NAME}: the Qt user interface cannot start: {exc}", file=sys.stderr)
        return 1
    try:
        return run_app(settings, data_dir=data_dir, demo=args.demo, quit_after_ms=args.quit_after,
                       settings_path=args.config or default_config_path(),
                       quit_when_ready=args.quit_when_ready)
    except UserFacingError as exc:
        print(f"{APP_NAME}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
