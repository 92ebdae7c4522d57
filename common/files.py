"""Moving a finished temporary file into place, also while another process holds the target.

On Windows `os.replace` fails with PermissionError (sharing violation, access denied) while
another process has the target open: an antivirus scan, the search indexer, a backup tool, an
editor showing the settings file. Those holds last milliseconds to a second, so
`replace_file` tries again with a short, growing pause before giving up with the last error.
On POSIX the first attempt succeeds (a rename never cares who has the file open).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

#: Pauses between attempts, in seconds (about 2.5 s in all).
RETRY_PAUSES = (0.02, 0.05, 0.1, 0.2, 0.4, 0.7, 1.0)


def replace_file(source: str | os.PathLike[str], target: str | os.PathLike[str], *,
                 pauses: tuple[float, ...] = RETRY_PAUSES,
                 sleep: Callable[[float], None] = time.sleep,
                 replace: Callable[[str | os.PathLike[str], str | os.PathLike[str]], None]
                 = os.replace) -> Path:
    """`os.replace(source, target)`, retried on PermissionError; returns the target path."""
    for pause in (*pauses, None):
        try:
            replace(source, target)
            return Path(target)
        except PermissionError:
            if pause is None:
                raise
            sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover
