"""Corrections teach the bot: a case as a corpus entry for ``lovbot check`` (issue 9).

The message is written with every personnummer masked (in the headers, every text part
and the text of a Word attachment), so a corpus can live in the repository; the case as
the officer left it is the expectation, in the format of ``shared/samples/expected.jsonl``.
A case of several messages exports its first: ``check`` reads one file at a time, and the
first message is the notice the rest of the thread completes.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from intake.settings import SendersSettings
from parsers.errors import LovbotError
from parsers.personnummer import mask_personnummer
from store.models import Case

__all__ = ["CorpusError", "corpus_entry", "export_cases", "mask_message"]

# Warnings that come from the message's personal data, which the masked copy no longer has.
_NOT_KEPT = frozenset({"personal_data"})


class CorpusError(LovbotError):
    """A case cannot be exported as a corpus entry."""


def mask_message(raw: bytes) -> bytes:
    """The message with personal identity numbers masked wherever a reader would see them."""
    message = message_from_bytes(raw, policy=default)
    assert isinstance(message, EmailMessage)
    for name in ("Subject", "From", "To", "Cc"):
        if message[name] is not None:
            value = str(message[name])
            del message[name]
            message[name] = mask_personnummer(value)
    for part in message.walk():
        if part.is_multipart():
            continue
        assert isinstance(part, EmailMessage)
        content_type = part.get_content_type()
        filename = part.get_filename() or ""
        if content_type.startswith("text/") and part.get_content_disposition() != "attachment":
            text = part.get_content()
            part.set_content(
                mask_personnummer(text),
                subtype=part.get_content_subtype(),
                charset="utf-8",
            )
        elif filename.lower().endswith((".docx", ".docm")):
            data = part.get_payload(decode=True)
            if isinstance(data, bytes):
                part.set_content(
                    _mask_docx(data),
                    maintype="application",
                    subtype=content_type.split("/", 1)[1],
                    filename=filename,
                )
    return message.as_bytes()


def _mask_docx(data: bytes) -> bytes:
    """A Word package with the numbers in its XML parts masked; unreadable ones as they are."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return data
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.endswith(".xml"):
                content = mask_personnummer(content.decode("utf-8", "replace")).encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def _file_name(case: Case) -> str:
    return re.sub(r"[^A-Za-z0-9-]", "_", case.number) + ".eml"


def corpus_entry(case: Case) -> tuple[str, bytes, str]:
    """(file name, masked message, expected.jsonl line) for ``case``."""
    raw = next((m.raw for m in case.messages if m.raw and m.purged_at is None), None)
    if raw is None:
        raise CorpusError(f"{case.number} har inget meddelande kvar att exportera (gallrat?).")
    result = case.result or {}
    findings = [f for f in result.get("findings") or [] if isinstance(f, dict)]
    name = _file_name(case)
    expected = {
        "kind": case.kind,
        "status": case.status,
        "effective_date": case.effective_date.isoformat() if case.effective_date else None,
        "units_include": list(case.units or []),
        "new_name": case.new_name,
        "errors": sorted({f["code"] for f in findings if f.get("severity") == "error"}),
        "warnings_include": sorted(
            {f["code"] for f in findings if f.get("severity") == "warning"} - _NOT_KEPT
        ),
        "form_missing_include": list((result.get("form") or {}).get("missing") or []),
        "file": f"mail/{name}",
    }
    line = mask_personnummer(json.dumps(expected, ensure_ascii=False))
    return name, mask_message(raw), line


def export_cases(cases: list[Case], directory: Path, *, senders: SendersSettings) -> list[Path]:
    """Write each case into the corpus ``directory``; a case exported before is replaced."""
    (directory / "mail").mkdir(parents=True, exist_ok=True)
    config = directory / "lovbot.toml"
    if not config.exists():
        config.write_text(
            "# The senders lovbot knew when these cases were exported (lovbot corpus export).\n"
            "[senders]\n"
            f"trusted_domains = {json.dumps(senders.trusted_domains)}\n"
            f"municipal_domains = {json.dumps(senders.municipal_domains)}\n"
            f"known_providers = {json.dumps(senders.known_providers)}\n",
            encoding="utf-8",
        )
    expected_path = directory / "expected.jsonl"
    lines = expected_path.read_text(encoding="utf-8").splitlines() if expected_path.exists() else []
    written: list[Path] = []
    for case in cases:
        name, raw, line = corpus_entry(case)
        path = directory / "mail" / name
        path.write_bytes(raw)
        lines = [old for old in lines if json.loads(old).get("file") != f"mail/{name}"]
        lines.append(line)
        written.append(path)
    expected_path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return written
