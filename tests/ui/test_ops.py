from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QLabel
from shiboken6 import Shiboken

from common.errors import InvalidInput, UserCancelled
from ui.ops import Op, running_ops


def _gui_thread() -> QThread:
    app = QApplication.instance()
    assert app is not None
    return app.thread()


def test_success_callback_runs_on_gui_thread_with_result(qtbot) -> None:
    worker_threads: list[int] = []
    results: list[tuple[int, bool]] = []

    def work() -> int:
        worker_threads.append(threading.get_ident())
        return 42

    def done(value: int) -> None:
        results.append((value, QThread.currentThread() is _gui_thread()))

    Op(None, work).success(done).run()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results == [(42, True)]
    assert worker_threads and worker_threads[0] != threading.get_ident()
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=5000)


def test_failure_callback_gets_exception_on_gui_thread(qtbot) -> None:
    failures: list[tuple[BaseException, bool]] = []

    def work() -> None:
        raise InvalidInput("bad meter")

    Op(None, work).failure(
        lambda exc: failures.append((exc, QThread.currentThread() is _gui_thread()))
    ).run()
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    exc, on_gui = failures[0]
    assert isinstance(exc, InvalidInput) and on_gui


def test_without_failure_callback_error_is_shown(qtbot, shown_errors) -> None:
    finished: list[bool] = []

    def work() -> None:
        raise InvalidInput("The meter number must be 11 or 13 digits.")

    Op(None, work).finally_(lambda: finished.append(True)).run()
    qtbot.waitUntil(lambda: bool(finished), timeout=5000)
    assert shown_errors.shown == [
        ("Please check the input", "The meter number must be 11 or 13 digits.", False)
    ]


def test_cancelled_is_silent(qtbot, shown_errors) -> None:
    finished: list[bool] = []

    def work() -> None:
        raise UserCancelled()

    Op(None, work).finally_(lambda: finished.append(True)).run()
    qtbot.waitUntil(lambda: bool(finished), timeout=5000)
    assert shown_errors.shown == []


@pytest.mark.parametrize("count", [20])
def test_many_ops_all_complete(qtbot, count: int) -> None:
    results: list[int] = []
    def doubler(i: int):
        return lambda: i * 2

    for i in range(count):
        Op(None, doubler(i)).success(results.append).run()
    qtbot.waitUntil(lambda: len(results) == count, timeout=10000)
    assert sorted(results) == [i * 2 for i in range(count)]


def test_callbacks_skipped_when_parent_was_deleted(qtbot, shown_errors) -> None:
    gate = threading.Event()
    label = QLabel("waiting")
    called: list[str] = []

    def work() -> str:
        assert gate.wait(5)
        return "done"

    Op(label, work).success(lambda text: called.append(text)).finally_(
        lambda: called.append("finally")).run()
    label.deleteLater()
    qtbot.waitUntil(lambda: not Shiboken.isValid(label), timeout=5000)
    gate.set()
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=5000)
    assert called == []
    assert shown_errors.shown == []
