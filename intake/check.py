"""``lovbot check``: the offline path of contract.md, with nothing written or sent.

Kept apart from the other commands so that it loads no database or mailbox code.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from intake.pipeline import analyse, sender_policy
from intake.settings import Settings
from parsers.errors import MailParseError
from rules.report import error_line
from store.register_csv import read_register_csv, snapshot_from_csv

__all__ = ["check", "json_line"]

logger = logging.getLogger(__name__)

# Characters that some line readers take for a line end although JSON allows them raw:
# NEL (U+0085, and the other C1 controls with it), LINE SEPARATOR and PARAGRAPH SEPARATOR
# (Python's str.splitlines, JavaScript before ES2019). json.dumps already escapes the C0
# ones (vertical tab, form feed, the information separators). Outside strings JSON has
# none of these, so replacing them everywhere only touches string contents.
_LINE_BREAKERS = re.compile("[\x80-\x9f\u2028\u2029]")


def check(settings: Settings, files: Sequence[Path], *, as_json: bool) -> int:
    """contract.md: one JSON line per file, in order; exit 1 if any file was unreadable."""
    policy = sender_policy(settings)
    register_file = settings.register_.file
    register = None
    if register_file is not None:
        # Issue 10: the register is a CSV here, never the database, so check stays offline;
        # its providers' domains are known senders (contract.md).
        rows = read_register_csv(register_file)
        register = snapshot_from_csv(rows)
        domains = [d for row in rows if row.organisationsnummer for d in row.provider_domains]
        policy = policy.model_copy(update={"known_providers": (*policy.known_providers, *domains)})
    failed = False
    for path in files:
        try:
            raw = path.read_bytes()
            line = analyse(raw, policy, file=str(path), register=register).line
        except OSError as err:
            line = error_line(str(path), f"Filen kunde inte läsas: {err.strerror or err}")
        except MailParseError as err:
            line = error_line(str(path), str(err))
        except Exception as err:  # check must give a line for every file, whatever happens
            logger.exception("check failed on %s", path)
            line = error_line(str(path), f"Meddelandet kunde inte behandlas: {err!r}")
        failed = failed or line["status"] == "error"
        if as_json:
            print(json_line(line), flush=True)
        else:
            print(_human(line), flush=True)
    return 1 if failed else 0


def json_line(line: dict[str, Any]) -> str:
    """One JSON object on exactly one line, for every line reader (contract.md)."""
    text = json.dumps(line, ensure_ascii=False)
    return _LINE_BREAKERS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _human(line: dict[str, Any]) -> str:
    findings = line.get("findings") or []
    codes = ", ".join(f["code"] for f in findings if isinstance(f, dict)) or "inga anmärkningar"
    return (
        f"{line.get('file')}: {line.get('kind')} / {line.get('status')}; "
        f"enheter {line.get('units')}; gäller från {line.get('effective_date')}; {codes}"
    )
