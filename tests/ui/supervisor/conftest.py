"""Supervisor screen fixtures: real SQLCipher store, seeded sales, services, a context."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.supervisor import Actor, Approval, ScryptVerifier, SupervisorServices
from app.supervisor.context import TerminalContext
from common.errors import UserCancelled
from offline_store import Store, open_store
from tests.app.supervisor.helpers_supervisor import (
    CREDENTIALS,
    SUPERVISOR,
    FakeApi,
    Printed,
    Seeder,
)
from ui.supervisor.common import ScreenContext


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "ui-store.db", secrets.token_bytes(32), create=True)
    yield s
    s.close()


@pytest.fixture
def seed(store: Store) -> Seeder:
    return Seeder(store)


@pytest.fixture
def printed() -> Printed:
    return Printed()


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def services(store: Store, api: FakeApi, printed: Printed) -> SupervisorServices:
    terminal = TerminalContext("T0001", "V001", "Spaza", "City Power", "1 Main Rd", "4", "ZAR")
    return SupervisorServices.build(store, ScryptVerifier(store, lambda: CREDENTIALS), terminal,
                                    api=api, printer=printed)


class Answers:
    """Scripted dialog answers: approvals and save paths (None = cancel)."""

    def __init__(self, tmp_path: Path) -> None:
        self.approval: Approval | None = Approval("sipho", "4321")
        self.paths: list[Path | None] = []
        self.asked: list[str] = []
        self.actor: Actor | None = SUPERVISOR
        self.confirm_answer = True
        self.confirmations: list[str] = []

    def ask(self, action: str, parent: object) -> Approval:
        self.asked.append(action)
        if self.approval is None:
            raise UserCancelled()
        return self.approval

    def ask_path(self, parent: object, title: str, suggested: str, filt: str) -> Path | None:
        return self.paths.pop(0)

    def confirm(self, parent: object, title: str, text: str) -> bool:
        self.confirmations.append(text)
        return self.confirm_answer


@pytest.fixture
def answers(tmp_path: Path) -> Answers:
    return Answers(tmp_path)


@pytest.fixture
def ctx(services: SupervisorServices, answers: Answers) -> ScreenContext:
    return ScreenContext(services, lambda: answers.actor, answers.ask, answers.ask_path,
                         answers.confirm)


@pytest.fixture(autouse=True)
def shown_errors() -> Iterator[list[str]]:
    """Errors the screens would show (recorded instead of a modal box that blocks tests)."""
    from ui.errors import set_presenter

    shown: list[str] = []
    previous = set_presenter(lambda title, text, bug, parent: shown.append(text))
    yield shown
    set_presenter(previous)
