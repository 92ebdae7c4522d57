"""The cashier screens on a vending server that offers less: the real till on a second
backend (no search, reversal, tariff documents, events, Z upload or engineering tokens) over
the reference server. What is not offered is disabled and says so; a sale by keyboard still
goes through; nothing absent is ever called.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.settings import Settings
from app.till.build import build_till
from common.events import EventBus
from offline_store import open_store
from tests.app.test_till_backend import CounterBackend
from ui.application import disable_not_offered
from ui.bootstrap import services_for
from ui.main_window import MainWindow
from ui.qt_bridge import QtEventBridge
from ui.sale_flow import Step
from ui.sales_dialogs import ReprintDialog
from ui.shell import Shell
from ui.supervisor.install import actor_from_ui_operator, install_supervisor
from vendserver.testing import RunningServer, running_server

pytestmark = [pytest.mark.e2e, pytest.mark.qt_log_ignore(r"^This plugin does not support")]


@pytest.fixture
def counter(qtbot, tmp_path: Path) -> Iterator[tuple[Shell, CounterBackend, RunningServer]]:
    with running_server(tmp_path / "server", demo=True) as srv:
        activation = srv.activate("Counter with a small backend")
        backend = CounterBackend(srv.base_url, str(activation["credential"]))
        store = open_store(tmp_path / "client" / "vend.db", secrets.token_bytes(32),
                           create=True)
        bus = EventBus()
        bridge = QtEventBridge(bus)
        settings = Settings({})
        till = build_till(settings, bus=bus, store=store, backend=backend,
                          data_dir=tmp_path / "client", closers=(store.close,))
        window = MainWindow(demo=False, server_url=srv.base_url)
        qtbot.addWidget(window)
        window.resize(1024, 768)
        window.show()
        shell = Shell(window, services_for(till, settings), settings=settings, bridge=bridge,
                      idle_ms=0, status_interval_ms=60_000)
        shell.start()
        menu = install_supervisor(window, till.supervisor,
                                  lambda: actor_from_ui_operator(shell.operator))
        disable_not_offered(menu, till.capabilities)
        try:
            yield shell, backend, srv
            assert not menu.actions["engineering"].isEnabled()
        finally:
            menu.menu.deleteLater()
            shell.stop()
            window.close()
            till.close()
            bridge.close()


def test_what_the_server_does_not_offer_is_disabled_and_a_sale_still_goes_through(
        qtbot, counter: tuple[Shell, CounterBackend, RunningServer]) -> None:
    shell, backend, srv = counter
    window, view = shell.window, shell.sale_view
    qtbot.waitUntil(lambda: shell.status.last is not None, timeout=20000)
    shell.login_view.username.setText("thandi")
    shell.login_view.pin.setText("1234")
    with qtbot.waitSignal(shell.operator_changed, timeout=20000):
        shell.login.submit()
    assert not view.search_button.isEnabled()
    assert view.search_button.toolTip() == "Not offered by this vending server."
    missing = window.status_view.missing  # short on the bar, every one in its tooltip
    assert "Not offered by this server" in missing.text()
    assert "Customer search" in missing.toolTip() and "Sale reversal" in missing.toolTip()
    qtbot.keyClick(view.meter, Qt.Key.Key_F3)
    assert shell.dialog is None
    assert "not offered by this vending server" in window.notifications.text.text().lower()
    qtbot.keyClick(view.meter, Qt.Key.Key_F6)  # no signed tariffs from this server
    assert shell.dialog is None
    assert "Signed tariffs" in window.notifications.text.text()

    meter = str(srv.meter("normal")["meter_number"])
    qtbot.keyClicks(view.meter, meter)
    qtbot.keyClick(view.meter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell.sale.step is Step.CONFIRMED, timeout=20000)
    qtbot.keyClicks(view.amount, "100")
    qtbot.keyClick(view.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell.sale.step is Step.QUOTED, timeout=20000)
    with qtbot.waitSignal(shell.sale.sold, timeout=20000) as sold:
        qtbot.keyClick(view.tendered, Qt.Key.Key_Return)
    result = sold.args[0]
    assert result.tokens and view.tokens.token_labels
    assert "No printer is set up" in view.tokens.print_state.text()

    qtbot.keyClick(view.next_button, Qt.Key.Key_F8)
    reprint = shell.dialog
    assert isinstance(reprint, ReprintDialog)
    assert not reprint.reverse_button.isEnabled()
    reprint.reverse()  # F7: says why, sends nothing
    assert "Not offered" in reprint.message.text()
    reprint.reject()
    assert not {"search_meters", "reverse", "tariffs", "poll_events"} & set(backend.calls)
