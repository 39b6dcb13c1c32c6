"""parse_mail's memory: large attachments set aside, texts cut, what a user sees unchanged.

Memory is measured with tracemalloc in a fresh process (what parse_mail allocates, the
raw message aside), never with a clock. What the user sees is compared with what the same
message with a small attachment gives, and with what the form reader says of the bytes.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import os
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from formbuilders import build_form
from hostile import NOTICE, raw_mail
from mails import build_mail

from intake.pipeline import analyse, sender_policy
from intake.settings import Settings
from parsers.errors import FormUnreadable
from parsers.form import MAX_ATTACHMENT_BYTES, read_form
from parsers.mail import MAX_KEPT_ATTACHMENT_BYTES, Attachment, header_block, parse_mail
from rules.findings import finding

_MB = 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TESTS = Path(__file__).resolve().parent
LOVBOT = str(Path(sys.executable).parent / "lovbot")
POLICY = sender_policy(Settings())
FORM = {
    "enhetens_namn": "Daglig verksamhet Björkängen",
    "typ_av_andring": ["Ny enhet"],
    "startdatum": "2027-09-01",
}


def _noise(size: int) -> bytes:
    """Bytes that do not compress, the same every time."""
    block = bytes(range(256)) * 4096
    return (block * (size // len(block) + 1))[:size]


def _traced_peak_of_parse(message: str) -> float:
    """MB that parse_mail allocates at its peak for a message of tests/hostile.py, in a
    process of its own (the message is built before tracing starts)."""
    script = (
        "import sys, tracemalloc\n"
        f"sys.path.insert(0, {str(TESTS)!r})\n"
        "from hostile import corpus\n"
        "from parsers.mail import parse_mail\n"
        f"raw = next(m for m in corpus() if m.name == {message!r}).build()\n"
        "tracemalloc.start()\n"
        "mail = parse_mail(raw)\n"
        "print(tracemalloc.get_traced_memory()[1])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    return int(done.stdout.split()[-1]) / _MB


def _traced_peak_of_raw(raw: bytes) -> float:
    """MB that parse_mail allocates at its peak for ``raw`` (in this process)."""
    tracemalloc.start()
    try:
        parse_mail(raw)
        return tracemalloc.get_traced_memory()[1] / _MB
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("message", "bound_mb"),
    [
        # mail-parser copied a 25 MB attachment some nine times: 300 MB.
        ("attachment-25mb-pdf", 4),
        ("attachment-25mb-docx", 4),
        # The text is cut to 1 MB before mail-parser sees it; its copies of that remain.
        ("text-25mb", 24),
        ("text-25mb-one-line", 24),
        ("parts-3000", 24),
    ],
)
def test_a_25_mb_message_is_parsed_in_bounded_memory(message: str, bound_mb: float) -> None:
    assert _traced_peak_of_parse(message) < bound_mb


def _with(filename: str, content_type: str, data: bytes, encoding: str = "base64") -> bytes:
    if encoding == "base64":
        body = base64.encodebytes(data).replace(b"\n", b"\r\n")
    elif encoding == "quoted-printable":
        # Binary: line ends in the data are encoded (=0D=0A); the soft breaks are CRLF.
        body = binascii.b2a_qp(data, istext=False).replace(b"\n", b"\r\n")
    else:
        body = data
    attachment = (
        f'Content-Type: {content_type}; name="{filename}"\r\n'
        f'Content-Disposition: attachment; filename="{filename}"\r\n'
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
    ).encode() + body
    text = (
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + NOTICE
    ).encode()
    return raw_mail(
        b"--b0\r\n" + text + b"\r\n--b0\r\n" + attachment + b"\r\n--b0--\r\n",
        content_type='multipart/mixed; boundary="b0"',
    )


def test_a_set_aside_attachment_keeps_its_name_type_and_real_size() -> None:
    mail = parse_mail(_with("Protokoll.pdf", "application/pdf", _noise(25 * _MB)))

    assert mail.attachments == (
        Attachment("Protokoll.pdf", "application/pdf", b"", size=25 * _MB, set_aside=True),
    )
    assert mail.text.startswith("Hej!\nDaglig verksamhet Hamnen upphör 2027-06-30.")


@pytest.mark.parametrize("encoding", ["base64", "quoted-printable", "8bit"])
def test_the_real_size_is_given_in_every_transfer_encoding(encoding: str) -> None:
    data = _noise(2 * _MB)
    if encoding == "8bit":
        data = data.replace(b"\r", b"").replace(b"\n", b"")

    (attachment,) = parse_mail(_with("bild.png", "image/png", data, encoding)).attachments

    assert (attachment.filename, attachment.set_aside, attachment.size) == (
        "bild.png",
        True,
        len(data),
    )


def test_small_attachments_still_come_whole() -> None:
    data = _noise(MAX_KEPT_ATTACHMENT_BYTES // 4)

    (attachment,) = parse_mail(_with("logga.png", "image/png", data)).attachments

    assert attachment == Attachment("logga.png", "image/png", data)
    assert attachment.size == len(data) and not attachment.set_aside


def _large_form() -> bytes:
    """The form, with a 2 MB picture in it (as a pasted logo or signature makes it)."""
    buffer = io.BytesIO(build_form(FORM))
    with zipfile.ZipFile(buffer, "a") as package:
        package.writestr("word/media/image1.png", _noise(2 * _MB))
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["base64", "quoted-printable"])
def test_a_word_file_that_may_be_the_form_is_decoded_from_the_raw_bytes(encoding: str) -> None:
    docx = _large_form()
    assert len(docx) > MAX_KEPT_ATTACHMENT_BYTES

    mail = parse_mail(_with("Verksamhetsuppgifter.docx", DOCX, docx, encoding))

    assert mail.attachments == (Attachment("Verksamhetsuppgifter.docx", DOCX, docx),)
    line = analyse(_with("Verksamhetsuppgifter.docx", DOCX, docx, encoding), POLICY).line
    assert line["form"]["attached"] is True
    assert line["form"]["fields"]["enhetens_namn"] == "Daglig verksamhet Björkängen"


def test_a_word_file_too_large_to_be_the_form_gives_the_same_finding_as_before() -> None:
    data = b"PK\x03\x04" + _noise(MAX_ATTACHMENT_BYTES + 1)
    with pytest.raises(FormUnreadable) as refused:  # what read_form says of the bytes
        read_form(data, "Verksamhetsuppgifter.docx")
    expected = finding(
        "unreadable_attachment",
        evidence="Verksamhetsuppgifter.docx",
        filename="Verksamhetsuppgifter.docx",
        reason=str(refused.value),
    ).model_dump()

    mail = parse_mail(_with("Verksamhetsuppgifter.docx", DOCX, data))
    line = analyse(_with("Verksamhetsuppgifter.docx", DOCX, data), POLICY).line

    assert mail.attachments[0].set_aside and mail.attachments[0].size == len(data)
    assert expected in line["findings"]
    assert line["status"] == "needs_review"


def test_check_shows_a_message_with_a_25_mb_attachment_as_with_a_small_one(
    tmp_path: Path,
) -> None:
    files = []
    for name, size in (("small", 1000), ("large", 25 * _MB)):
        path = tmp_path / f"{name}.eml"
        path.write_bytes(
            build_mail(
                "Daglig verksamhet Hamnen upphör 2027-06-30.",
                subject="Avslut",
                message_id="<same@funktionsstod.goteborg.se>",
                attachments=[("Protokoll.pdf", "application/pdf", _noise(size))],
            )
        )
        files.append(str(path))

    done = subprocess.run(
        [LOVBOT, "check", "--json", *files],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ},
    )

    small, large = (json.loads(line) for line in done.stdout.splitlines())
    assert {**small, "file": None} == {**large, "file": None}
    assert large["kind"] == "close_unit" and large["status"] == "complete"


@pytest.mark.parametrize(
    ("raw", "block"),
    [
        (
            b"From: a@b.se\r\nSubject: x\r\n\r\nText\r\n\r\nMore",
            b"From: a@b.se\r\nSubject: x\r\n\r\n",
        ),
        (b"From: a@b.se\nSubject: x\n\nText", b"From: a@b.se\nSubject: x\n\n"),
        (b"From: a@b.se\r\n", b"From: a@b.se\r\n"),  # no body at all
    ],
)
def test_header_block_is_the_headers_and_the_blank_line(raw: bytes, block: bytes) -> None:
    assert header_block(raw) == block


def test_an_attached_message_keeps_its_form_and_sets_aside_its_large_attachments() -> None:
    docx = build_form(FORM)
    inner = build_mail(
        "Se bifogad blankett.",
        attachments=[
            ("Verksamhetsuppgifter.docx", DOCX, docx),
            ("Protokoll.pdf", "application/pdf", _noise(5 * _MB)),
        ],
    )
    raw = raw_mail(
        b"--b0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + NOTICE.encode()
        + b"\r\n--b0\r\nContent-Type: message/rfc822\r\n"
        b'Content-Disposition: attachment; filename="Vidarebefordrat.eml"\r\n\r\n'
        + inner
        + b"\r\n--b0--\r\n",
        content_type='multipart/mixed; boundary="b0"',
    )

    attachments = {a.filename: a for a in parse_mail(raw).attachments}

    assert attachments["Verksamhetsuppgifter.docx"].data == docx
    assert attachments["Protokoll.pdf"].set_aside
    assert attachments["Protokoll.pdf"].size == 5 * _MB
    forwarded = attachments["Vidarebefordrat.eml"]
    assert forwarded.set_aside and forwarded.size > 5 * _MB
    assert _traced_peak_of_raw(raw) < 4
