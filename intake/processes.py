"""Names for lovbot's processes, so that ``ps``, ``top`` and the benchmark tell them apart.

The reader and delivery processes are started by ``multiprocessing`` (spawn) and would all
be called ``python``; IT operations looking at a busy or large process should see which of
lovbot's jobs it is.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

__all__ = ["name_process"]

# What Linux keeps of a process name (comm): 15 bytes.
_MAX_NAME = 15


def name_process(name: str) -> None:
    """Set the calling process's name as ``ps -o comm`` shows it; nothing where the system
    has no /proc (the name is a convenience, never a reason to fail)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/comm").write_text(name[:_MAX_NAME], encoding="ascii")
