"""Issue 8.5: a personnummer written with a space, in full-width digits or inside a
Message-ID is masked wherever the bot shows or sends text: stored subject, replies and
their thread headers, ``check`` output, logs."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from hostile import PERSONNUMMER_SERIALS, outgoing, raw_mail
from local_intake import local_settings, poll_local
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import check as check_module
from intake.cli import main
from intake.pipeline import analyse, sender_policy
from intake.settings import Settings
from store.models import AuditEntry, Case, MailMessage, OutgoingMail

# A trusted sender's notice that names a person three ways, and a Message-ID built from
# the number (some case systems do), which the acknowledgement would copy.
RAW = raw_mail(
    "Hej!\r\nDaglig verksamhet Hamnen upphör 2027-06-30.\r\n"
    "Gäller brukare ８５０７０９－９８０５ och 19850709 9805.\r\n",
    subject="Brukare 850709 9805 flyttar",
    message_id="<850709-9805.2027@verksamhet.goteborg.se>",
    headers=(("References", "<19850709 9805@verksamhet.goteborg.se>"),),
)


def _shown(message: EmailMessage) -> str:
    """Everything of a mail a person or a mail client reads: headers and text parts."""
    # Content-Type aside: its random MIME boundary may hold any four digits.
    texts = [f"{k}: {v}" for k, v in message.items() if k.lower() != "content-type"]
    texts += [
        part.get_content() for part in message.walk() if part.get_content_maintype() == "text"
    ]
    return "\n".join(texts)


def _unmasked(text: str) -> list[str]:
    return [serial for serial in PERSONNUMMER_SERIALS if serial in text]


def test_the_poller_masks_every_form_in_what_it_stores_and_sends(
    tmp_path: Path, db_url: str, sessions: Callable[[], Session]
) -> None:
    settings = local_settings(tmp_path, db_url)

    poll_local(settings, sessions, RAW)

    mails = outgoing(tmp_path / "outbox")
    assert mails, "the notice is answered and ordered"
    for message in mails:
        assert _unmasked(_shown(message)) == []
    [ack] = [m for m in mails if m["In-Reply-To"]]
    assert ack["In-Reply-To"] == "<850709-****.2027@verksamhet.goteborg.se>"
    with sessions() as session:
        row = session.scalars(select(MailMessage)).one()
        assert row.subject == "Brukare 850709 **** flyttar"
        assert row.raw == RAW  # the public record stays as it came
        case = session.scalars(select(Case)).one()
        assert _unmasked(json.dumps(case.result, ensure_ascii=False)) == []
        assert "personal_data" in {f.code for f in case.findings}
        for sent in session.scalars(select(OutgoingMail)):
            assert _unmasked(sent.subject) == []
        # The audit keeps Message-IDs as written, like the raw message: they link the
        # record to the mail; the texts in it are masked.
        for event in session.scalars(select(AuditEntry)):
            texts = {k: v for k, v in event.detail.items() if k != "message_id"}
            assert _unmasked(json.dumps(texts, ensure_ascii=False, default=str)) == []


def test_check_output_masks_every_form() -> None:
    line = analyse(RAW, sender_policy(Settings())).line

    text = json.dumps(line, ensure_ascii=False)
    assert _unmasked(text) == []
    assert line["message_id"] == "<850709-****.2027@verksamhet.goteborg.se>"
    assert "personal_data" in [f["code"] for f in line["findings"]]


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_a_traceback_in_the_log_is_masked(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
) -> None:
    message = tmp_path / "pnr.eml"
    message.write_bytes(RAW)

    def broken(raw: bytes, *args: object, **kwargs: object) -> None:
        # A fault whose message quotes the mail, as library errors do.
        raise RuntimeError(f"cannot read {raw[-60:].decode()}")

    monkeypatch.setattr(check_module, "analyse", broken)

    assert main(["-v", "check", "--json", str(message)]) == 1

    out, err = capsys.readouterr()
    assert "RuntimeError: cannot read" in err  # the traceback is there, masked
    assert _unmasked(err) == []
    assert _unmasked(out) == []
