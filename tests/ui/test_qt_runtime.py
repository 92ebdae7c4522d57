"""The pinned Qt binding keeps Python's reference counts right.

PySide6 6.12.0's `Signal.emit()` returned `True` without a new reference, so every emit took one
from `Py_True`; on Python 3.11 a fresh process aborted ("bool_dealloc: deallocating True or
False") after about a thousand emits — a cashier app would die in its first hour. This runs a
fresh interpreter (a test process holds too many references to `True` to notice) that emits
20,000 signals and checks it ends normally with `True`'s count unchanged.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QObject, Signal

class Emitter(QObject):
    ping = Signal(int)

emitter = Emitter()
seen = []
emitter.ping.connect(seen.append)
before = sys.getrefcount(True)
for i in range(20000):
    emitter.ping.emit(i)
print(len(seen), sys.getrefcount(True) - before)
"""


def test_many_signal_emits_leave_the_process_alive_and_true_counted() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["20000", "0"]
