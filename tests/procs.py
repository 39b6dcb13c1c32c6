"""What /proc says of a process, for tests that start lovbot's own processes (Linux)."""

from __future__ import annotations

from pathlib import Path


def name(pid: int) -> str:
    """The process's name as ``ps -o comm`` shows it; "(gone)" once it has ended."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "(gone)"


def alive(pid: int) -> bool:
    """Running: not gone, and not a zombie waiting for init to reap it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status
