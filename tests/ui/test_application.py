from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.backend import Capabilities
from app.settings import Settings
from common.events import EventBus
from common.i18n import translator
from tests.ui.fakes import FakeAuth, FakeSales, FakeStatus
from ui.application import AppController
from ui.bootstrap import NotSetUp, quick_amounts
from ui.main_window import MainWindow
from ui.ports import Services
from ui.qt_bridge import QtEventBridge


@dataclass
class FakeCore:
    services: Services
    server_url: str = "http://127.0.0.1:9"
    supervisor: object = None  # the menu builds its console lazily
    capabilities: Capabilities = field(default_factory=Capabilities)
    language: str | None = None  # the terminal's language; None: the settings'
    closed: list[bool] = field(default_factory=list)

    def close(self) -> None:
        self.closed.append(True)


def test_start_failure_explains_then_retry_starts(qtbot, shown_errors, tmp_path: Path) -> None:
    window = MainWindow(demo=False, server_url="")
    qtbot.addWidget(window)
    bus = EventBus()
    bridge = QtEventBridge(bus)
    attempts: list[int] = []
    core = FakeCore(Services(auth=FakeAuth(), sales=FakeSales(), status=FakeStatus()))

    def builder():
        attempts.append(1)
        if len(attempts) == 1:
            raise NotSetUp("This till does not know its server yet.",
                           hint="Press F11 (Settings), type the server URL.")
        return core

    controller = AppController(window, bridge, bus, Settings(), data_dir=tmp_path, demo=False,
                               settings_path=tmp_path / "settings.toml", builder=builder)
    controller.start()
    qtbot.waitUntil(lambda: bool(shown_errors.shown), timeout=5000)
    assert shown_errors.shown[0][0] == "Till not set up"
    assert "does not know its server" in controller.startup.message.text()
    assert not controller.startup.retry.isHidden()
    controller.startup.retry.click()
    qtbot.waitUntil(lambda: controller.shell is not None, timeout=5000)
    shell = controller.shell
    assert shell is not None
    assert window.current_screen() is shell.login_view
    assert controller.supervisor_menu is not None
    assert "Supervisor" in controller.supervisor_menu.menu.title()
    # Nobody is signed in yet: the menu is off (the server offers engineering tokens).
    assert not controller.supervisor_menu.menu.menuAction().isEnabled()
    assert "engineering" not in controller.supervisor_menu.unavailable
    controller.stop()
    assert core.closed == [True]
    bridge.close()


def test_quick_amounts_skip_bad_entries() -> None:
    settings = Settings({"ui.quick_amounts": "20, 50,abc,-5, 100"})
    assert [str(a) for a in quick_amounts(settings)] == ["20", "50", "100"]


def test_demo_examples_one_per_kind_and_login_hint() -> None:
    from ui.bootstrap import demo_examples, demo_login_hint

    info = {
        "operators": [{"id": "thandi", "role": "cashier", "pin": "1234"},
                      {"id": "sipho", "role": "supervisor", "pin": "4321"},
                      {"id": "admin", "role": "admin", "pin": "9999"}],
        "meters": [
            {"meter_number": "04200000117", "customer_name": "A", "tags": ["normal"],
             "address": "12 Acacia Street"},
            {"meter_number": "04200001305", "customer_name": "B", "tags": ["normal"]},
            {"meter_number": "04200000182", "customer_name": "C", "tags": ["blocked"],
             "blocked": True},
            {"meter_number": "04200000398", "customer_name": "D",
             "tags": ["key_change", "tid_rollover"]},
        ],
    }
    hits = demo_examples(info)
    # The address column shows the address, never the demo kind; the kind goes with the name.
    assert [(h.meter_number, h.address) for h in hits] == [
        ("04200000117", "12 Acacia Street"), ("04200000182", ""), ("04200000398", "")]
    assert [h.customer_name for h in hits] == [
        "A (demo: normal)", "C (demo: blocked)", "D (demo: key change)"]
    assert hits[1].blocked
    assert demo_login_hint(info) == "Demo: cashier thandi (PIN 1234) · supervisor sipho (PIN 4321)"
    # In the terminal's language: the sign-in screen is the first thing a French till shows.
    assert demo_login_hint(info, translator("fr")) == \
        "Démo : caissier thandi (PIN 1234) · superviseur sipho (PIN 4321)"


def test_supervisor_entries_not_offered_are_disabled(qtbot, tmp_path: Path) -> None:
    window = MainWindow(demo=False, server_url="")
    qtbot.addWidget(window)
    bus = EventBus()
    bridge = QtEventBridge(bus)
    core = FakeCore(Services(auth=FakeAuth(), sales=FakeSales(), status=FakeStatus()),
                    capabilities=Capabilities(engineering_tokens=False))
    def builder():
        return core

    controller = AppController(window, bridge, bus, Settings(), data_dir=tmp_path, demo=False,
                               settings_path=None, builder=builder)
    controller.start()
    qtbot.waitUntil(lambda: controller.supervisor_menu is not None, timeout=5000)
    menu = controller.supervisor_menu
    assert menu is not None
    engineering = menu.actions["engineering"]
    assert not engineering.isEnabled()
    assert engineering.toolTip() == "Not offered by this vending server."
    assert not menu.actions["shift"].isEnabled()  # nobody signed in yet
    shell = controller.shell
    assert shell is not None
    shell.login_view.username.setText("thandi")
    shell.login_view.pin.setText("1234")
    shell.login.submit()
    qtbot.waitUntil(lambda: shell.operator is not None, timeout=5000)
    assert menu.actions["shift"].isEnabled()
    assert not engineering.isEnabled()  # a sign-in does not bring back what is not offered
    controller.stop()
    bridge.close()


def test_main_window_starts_maximised(qtbot) -> None:
    from PySide6.QtCore import Qt

    from ui.application import show_main_window

    window = MainWindow(demo=True, server_url="")
    qtbot.addWidget(window)
    show_main_window(window)
    qtbot.waitExposed(window)
    assert window.windowState() & Qt.WindowState.WindowMaximized
