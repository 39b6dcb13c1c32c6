"""The ``lovbot-uidlist`` file: IMAP-like UIDs and a UIDVALIDITY for a Maildir folder.

Every message file gets an increasing UID the first time it is seen; the list is rewritten
atomically under a lock, so two processes never hand out one UID twice.
"""

from __future__ import annotations

import fcntl
import os
import time
from dataclasses import dataclass
from pathlib import Path

from intake.mailbox.errors import MailboxError

__all__ = ["UIDLIST", "UidList", "sync_uidlist"]

UIDLIST = "lovbot-uidlist"
_UIDLIST_VERSION = "1"


@dataclass(frozen=True, slots=True)
class UidList:
    uidvalidity: int
    next_uid: int
    files: dict[int, Path]


def sync_uidlist(folder: Path) -> UidList:
    """Give every message file in ``folder`` a UID, remembering earlier ones."""
    lock_path = folder / f"{UIDLIST}.lock"
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        uidvalidity, next_uid, known = _read_uidlist(folder / UIDLIST)
        present = _scan_maildir(folder)
        unseen = sorted(
            (key for key in present if key not in known),
            key=lambda key: (_mtime(present[key]), key),
        )
        for key in unseen:
            known[key] = next_uid
            next_uid += 1
        kept = {key: uid for key, uid in known.items() if key in present}
        if unseen or len(kept) != len(known) or not (folder / UIDLIST).exists():
            _write_uidlist(folder / UIDLIST, uidvalidity, next_uid, kept)
    return UidList(uidvalidity, next_uid, {uid: present[key] for key, uid in kept.items()})


def _read_uidlist(path: Path) -> tuple[int, int, dict[str, int]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return int(time.time()), 1, {}
    try:
        version, validity, next_uid = lines[0].split()
        if version != _UIDLIST_VERSION or validity[0] != "V" or next_uid[0] != "N":
            raise ValueError(lines[0])
        known = {}
        for line in lines[1:]:
            uid, key = line.split(" ", 1)
            known[key] = int(uid)
        return int(validity[1:]), int(next_uid[1:]), known
    except (ValueError, IndexError) as err:
        # Renumbering silently would hand out old UIDs under the same UIDVALIDITY.
        raise MailboxError(f"{path} is damaged; delete it to renumber the folder") from err


def _write_uidlist(path: Path, uidvalidity: int, next_uid: int, known: dict[str, int]) -> None:
    lines = [f"{_UIDLIST_VERSION} V{uidvalidity} N{next_uid}"]
    lines += [f"{uid} {key}" for key, uid in sorted(known.items(), key=lambda item: item[1])]
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


def _scan_maildir(folder: Path) -> dict[str, Path]:
    """Message files in new/ and cur/ by their Maildir key (the name before ':')."""
    found: dict[str, Path] = {}
    for sub in ("new", "cur"):
        for entry in os.scandir(folder / sub):
            if entry.name.startswith(".") or not entry.is_file():
                continue
            found[entry.name.split(":", 1)[0]] = Path(entry.path)
    return found


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0
