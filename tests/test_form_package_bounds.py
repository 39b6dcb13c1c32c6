"""parsers.form: a .docx that lies about its sizes is refused without exhausting memory.

A hostile attachment's zip directory can declare a tiny size for a member that inflates
to gigabytes (issue 8, item 2). The packages here are real zips built by streaming, with
their central directory rewritten to lie; the tests measure the reader's peak memory.
"""

from __future__ import annotations

import base64
import io
import json
import random
import struct
import subprocess
import sys
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from mails import build_mail

from parsers.errors import FormUnreadable
from parsers.form import read_form

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "forms" / "01_table.docx"

_MB = 1024 * 1024
_DOCX_NAME = "Verksamhetsuppgifter.docx"
_DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# What the bomb really inflates to, and what reading it may cost at most: far apart, so
# that inflating the member whole can never pass for a bounded read.
_REAL_SIZE = 128 * _MB
_PEAK_LIMIT = 24 * _MB


def _docx_with(
    part: str,
    write: Callable[[io.BufferedIOBase], None],
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """The sample form with ``part`` replaced (or added) by what ``write`` streams."""
    source = zipfile.ZipFile(io.BytesIO(SAMPLE.read_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            if info.filename != part:
                package.writestr(info.filename, source.read(info))
        member = zipfile.ZipInfo(part)
        member.compress_type = compression
        with package.open(member, "w") as stream:
            write(stream)  # type: ignore[arg-type]
    return buffer.getvalue()


def _whitespace(size: int) -> Callable[[io.BufferedIOBase], None]:
    def write(stream: io.BufferedIOBase) -> None:
        stream.write(b"<?xml version='1.0' encoding='UTF-8'?>")
        chunk = b" " * _MB
        for _ in range(size // _MB):
            stream.write(chunk)

    return write


def _declare(data: bytes, part: str, size: int) -> bytes:
    """The zip with the central directory entry of ``part`` claiming ``size`` bytes."""
    at = data.index(b"PK\x01\x02")
    while True:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == part.encode():
            return data[: at + 24] + struct.pack("<I", size) + data[at + 28 :]
        at = data.index(b"PK\x01\x02", at + 46)


def _lying_docx(part: str, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """``part`` inflates to 128 MB; the directory says 1 KB."""
    return _declare(_docx_with(part, _whitespace(_REAL_SIZE), compression), part, 1024)


def _peak_while_refused(data: bytes) -> int:
    tracemalloc.start()
    try:
        with pytest.raises(FormUnreadable) as raised:
            read_form(data, "Verksamhetsuppgifter.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(raised.value)  # a Swedish reason for the unreadable_attachment finding
    return peak


def test_the_lying_package_is_small_and_declares_a_small_size() -> None:
    # The premise of the tests below: a small mail attachment whose directory lies.
    data = _lying_docx("word/document.xml")
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size == 1024
    assert len(data) < 1 * _MB


# Every part the reader opens: the package's own indexes, the body and a header.
PARTS_READ = ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/header1.xml"]


@pytest.mark.parametrize("part", PARTS_READ)
def test_a_part_that_lies_about_its_size_is_refused_in_bounded_memory(part: str) -> None:
    assert _peak_while_refused(_lying_docx(part)) < _PEAK_LIMIT


@pytest.mark.parametrize("compression", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_compression_word_never_writes_is_refused_in_bounded_memory(compression: int) -> None:
    # zipfile inflates bzip2 and LZMA members without an output bound.
    data = _lying_docx("word/document.xml", compression)
    assert _peak_while_refused(data) < _PEAK_LIMIT


def test_a_part_too_large_to_be_a_form_is_refused_even_when_its_size_is_declared_truly() -> None:
    # 10 MB of text that packs like ordinary XML (no zip-bomb ratio): still no form, read
    # whole, would cost the poller tens of MB of tree.
    text = base64.b64encode(random.Random(8).randbytes(10 * _MB * 3 // 4))

    def write(stream: io.BufferedIOBase) -> None:
        stream.write(b"<?xml version='1.0' encoding='UTF-8'?><x>")
        for start in range(0, len(text), 1000):
            stream.write(b"<p>" + text[start : start + 1000] + b"</p>")
        stream.write(b"</x>")

    data = _docx_with("word/document.xml", write)
    with pytest.raises(FormUnreadable, match="storlek"):
        read_form(data, "Verksamhetsuppgifter.docx")


def test_an_ordinary_form_is_still_read() -> None:
    form = read_form(SAMPLE.read_bytes(), "Verksamhetsuppgifter.docx")
    assert form is not None and form.enhetens_namn


def test_check_reports_the_lying_attachment_as_unreadable(tmp_path: Path) -> None:
    mail = tmp_path / "bomb.eml"
    mail.write_bytes(
        build_mail(
            "Hej! Vi startar Daglig verksamhet Kvarnen 2027-09-01. Blanketten bifogas.",
            subject="Ny enhet",
            attachments=[(_DOCX_NAME, _DOCX_TYPE, _lying_docx("word/document.xml"))],
        )
    )
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lovbot"), "check", str(mail), "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = json.loads(result.stdout)
    assert "unreadable_attachment" in {f["code"] for f in line["findings"]}
    assert line["status"] == "needs_review"
