"""The hostile corpus of issue 8, generated: mail built to break, stall or mislead the bot.

Nothing large is checked in: each message is built from a few lines of code when it is
used, so the 25 MB ones cost nothing until a test or ``scripts/bench_hostile.py`` asks
for them. Every message still carries a real notice at its start ("Daglig verksamhet
Hamnen upphör 2027-06-30."), so a test can tell that the bot read what a person would.

The classes are those of issue 8: dates that overflow (3), From and Reply-To forms (4),
personnummer written to slip past the mask (5), huge texts (6), huge echoed values (7),
line separators in what ``check --json`` prints (10), and the shapes around them that
the bounds must also survive (many parts, deep nesting, endless References). Item 2 (a
.docx that lies about its sizes) belongs to the form reader and its own tests.
"""

from __future__ import annotations

import base64
import email
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

__all__ = [
    "ADDRESS_FORMS",
    "DATE_OVERFLOWS",
    "LINE_SEPARATORS",
    "NOTICE",
    "PERSONNUMMER_SERIALS",
    "HostileMail",
    "acknowledgements",
    "corpus",
    "outgoing",
    "raw_mail",
]

NOTICE = "Hej!\r\nDaglig verksamhet Hamnen upphör 2027-06-30.\r\n"
SENDER = "anna.lind@funktionsstod.goteborg.se"
DATE = "Mon, 01 Mar 2027 09:00:00 +0100"
# The serial digits of every personnummer in the corpus, as they must never be shown.
PERSONNUMMER_SERIALS = ("9805", "９８０５")

_ids = itertools.count(1)


@dataclass(frozen=True, slots=True)
class HostileMail:
    kind: str  # the class, as bench_hostile.py reports it
    name: str
    build: Callable[[], bytes]
    # The notice at the top is plain enough that the bot must read it: close_unit of
    # "Daglig verksamhet Hamnen" (others test the bounds, not the reading).
    notice: bool = False


def raw_mail(
    body: bytes | str = NOTICE,
    *,
    subject: str = "Avslut",
    sender: str = SENDER,
    date: str | None = DATE,
    message_id: str | None = None,
    headers: tuple[tuple[str, str], ...] = (),
    content_type: str = "text/plain; charset=utf-8",
    encoding: str = "8bit",
) -> bytes:
    """A message written out byte by byte, as hostile senders do, with no library fixing it."""
    lines = [
        f"From: {sender}",
        "To: LOV@stadshuset.goteborg.se",
        f"Subject: {subject}",
        *([f"Date: {date}"] if date is not None else []),
        f"Message-ID: {message_id or f'<hostile-{next(_ids)}@funktionsstod.goteborg.se>'}",
        *(f"{name}: {value}" for name, value in headers),
        "MIME-Version: 1.0",
        f"Content-Type: {content_type}",
        f"Content-Transfer-Encoding: {encoding}",
    ]
    data = body.encode("utf-8") if isinstance(body, str) else body
    return "\r\n".join(lines).encode("utf-8") + b"\r\n\r\n" + data


def outgoing(outbox: Path) -> list[EmailMessage]:
    """The mail the file transport wrote, parsed."""
    return [
        email.message_from_bytes(path.read_bytes(), policy=default)  # type: ignore[misc]
        for path in sorted(outbox.glob("*.eml"))
    ]


def acknowledgements(outbox: Path) -> list[EmailMessage]:
    """The acknowledgements among them (orders to system owners are not auto-replies)."""
    return [m for m in outgoing(outbox) if m["Auto-Submitted"] == "auto-replied"]


def _multipart(parts: list[bytes], *, subtype: str = "mixed", boundary: str = "b0") -> bytes:
    inner = b"".join(b"--" + boundary.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    return inner + b"--" + boundary.encode() + b"--\r\n"


def _text_part(text: str, subtype: str = "plain") -> bytes:
    return (
        f"Content-Type: text/{subtype}; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + text.encode("utf-8")


# -- 3: Date headers ---------------------------------------------------------------------

DATE_OVERFLOWS = (
    "Fri, 31 Dec 9999 23:59:59 +0000",
    "Fri, 31 Dec 9999 23:59:59 -1200",
    "Mon, 12345678901234567890 Mar 2027 09:00:00 +0100",
    "Mon, 1 Mar 12345678901234567890 09:00:00 +0100",
    "Mon, 1 Mar 2027 99:99:99 +0100",
    "Mon, 1 Mar 2027 09:00:00 +9999",
    "Mon, 1 Jan 1900 00:00:00 +0000",
    "igår",
)


def _dates() -> Iterator[HostileMail]:
    for i, date in enumerate(DATE_OVERFLOWS):
        yield HostileMail("date", f"date-{i}", lambda date=date: raw_mail(date=date), notice=True)


# -- 4: From and Reply-To --------------------------------------------------------------

# (From header as written, the address RFC 5322 gives, the display name)
ADDRESS_FORMS: tuple[tuple[str, str | None, str | None], ...] = (
    # The attack of issue 8.4: an encoded word whose decoded text holds ':' '@' '<'.
    (
        "=?utf-8?Q?Karin:=20x@evil.example?= <karin.ek@vastra.goteborg.se>",
        "karin.ek@vastra.goteborg.se",
        "Karin: x@evil.example",
    ),
    (
        "=?utf-8?B?S2FyaW4gPHhAZXZpbC5leGFtcGxlPg==?= <karin.ek@vastra.goteborg.se>",
        "karin.ek@vastra.goteborg.se",
        "Karin <x@evil.example>",
    ),
    (
        "=?utf-8?Q?=22Karin=22_=3Cx@evil.example=3E?= <karin.ek@vastra.goteborg.se>",
        "karin.ek@vastra.goteborg.se",
        '"Karin" <x@evil.example>',
    ),
    # Quoted strings may hold every special.
    (
        '"Karin <x@evil.example>" <karin.ek@vastra.goteborg.se>',
        "karin.ek@vastra.goteborg.se",
        "Karin <x@evil.example>",
    ),
    ('"Lind, Anna" <anna.lind@goteborg.se>', "anna.lind@goteborg.se", "Lind, Anna"),
    ('"Ek \\"K\\" Karin" <karin.ek@goteborg.se>', "karin.ek@goteborg.se", 'Ek "K" Karin'),
    ("=?utf-8?q?Lind=2C_Anna?= <anna.lind@goteborg.se>", "anna.lind@goteborg.se", "Lind, Anna"),
    (
        "=?iso-8859-1?q?=C5sa_=D6berg?= <asa.oberg@goteborg.se>",
        "asa.oberg@goteborg.se",
        "Åsa Öberg",
    ),
    # Plain forms.
    ("Anna Lind <anna.lind@goteborg.se>", "anna.lind@goteborg.se", "Anna Lind"),
    ("<anna.lind@goteborg.se>", "anna.lind@goteborg.se", None),
    ("anna.lind@goteborg.se", "anna.lind@goteborg.se", None),
    ("Anna.Lind@GOTEBORG.SE", "anna.lind@goteborg.se", None),
    ('=?utf-8?q?Karin?= "Ek" <karin.ek@goteborg.se>', "karin.ek@goteborg.se", "Karin Ek"),
    ("=?unknown-8bit?q?=E5sa?= <asa.oberg@goteborg.se>", "asa.oberg@goteborg.se", "åsa"),
    ("Åsa Öberg <asa.oberg@goteborg.se>", "asa.oberg@goteborg.se", "Åsa Öberg"),
    ('Anna <"anna lind"@goteborg.se>', '"anna lind"@goteborg.se', "Anna"),
    ('"anna lind"@goteborg.se', '"anna lind"@goteborg.se', None),
    ("anna@[192.0.2.1]", "anna@[192.0.2.1]", None),
    # Comments: a trailing one was the old way to give a name.
    ("anna.lind@goteborg.se (Anna Lind)", "anna.lind@goteborg.se", "Anna Lind"),
    ("Anna Lind <anna.lind@goteborg.se> (enhetschef)", "anna.lind@goteborg.se", "Anna Lind"),
    ("Anna (x@evil.example) Lind <anna.lind@goteborg.se>", "anna.lind@goteborg.se", "Anna Lind"),
    # Groups (RFC 5322 §3.4): the first mailbox in them; an empty group has none.
    ("Enheten: anna.lind@goteborg.se, bo.ek@goteborg.se;", "anna.lind@goteborg.se", None),
    ("undisclosed-recipients:;", None, "undisclosed-recipients:;"),
    # Several mailboxes (From may hold more than one with a Sender): the first.
    ("anna.lind@goteborg.se, x@evil.example", "anna.lind@goteborg.se", None),
    ("<anna.lind@goteborg.se>, <x@evil.example>", "anna.lind@goteborg.se", None),
    # Obsolete syntax (RFC 5322 §4.4): routes, CFWS around dots, a period in a phrase,
    # empty list elements.
    (
        "Anna Lind <@relay.example,@x.example:anna.lind@goteborg.se>",
        "anna.lind@goteborg.se",
        "Anna Lind",
    ),
    ("Anna Lind <anna . lind @ goteborg . se>", "anna.lind@goteborg.se", "Anna Lind"),
    ("Anna L. Lind <anna.lind@goteborg.se>", "anna.lind@goteborg.se", "Anna L. Lind"),
    (",, anna.lind@goteborg.se", "anna.lind@goteborg.se", None),
    ('"anna".lind@goteborg.se', "anna.lind@goteborg.se", None),
    (
        "Enheten (alla): (chef) anna.lind@goteborg.se (Anna), bo.ek@goteborg.se;",
        "anna.lind@goteborg.se",
        "Anna",
    ),
    # Broken forms as they arrive: missing angle brackets, an unclosed one, no address.
    ("Anna Lind anna.lind@goteborg.se", "anna.lind@goteborg.se", "Anna Lind"),
    ("=?utf-8?Q?x@evil.example?= anna.lind@goteborg.se", "anna.lind@goteborg.se", "x@evil.example"),
    ('"Anna" <anna.lind@goteborg.se', "anna.lind@goteborg.se", "Anna"),
    ("<anna.lind@goteborg.se> Anna", "anna.lind@goteborg.se", "Anna"),
    ("anna.lind@goteborg.se>", "anna.lind@goteborg.se", None),
    ("Anna Lind", None, "Anna Lind"),
    ("<>", None, None),
    ("x@y@evil.example", None, "x@y@evil.example"),
    ("=?utf-8?Q?anna.lind@goteborg.se?=", None, "anna.lind@goteborg.se"),
)


def _addresses() -> Iterator[HostileMail]:
    for i, (header, _address, _name) in enumerate(ADDRESS_FORMS):
        yield HostileMail("from", f"from-{i}", lambda header=header: raw_mail(sender=header))
    yield HostileMail(
        "from",
        "from-long-name",
        lambda: raw_mail(sender=f'"{"Karin " * 100_000}" <karin.ek@vastra.goteborg.se>'),
    )


# -- 5: personnummer -------------------------------------------------------------------


def _personnummer() -> Iterator[HostileMail]:
    yield HostileMail(
        "personnummer",
        "pnr-space",
        lambda: raw_mail(
            NOTICE + "Brukare 850709 9805 flyttar.\r\n", subject="Brukare 850709 9805"
        ),
    )
    yield HostileMail(
        "personnummer",
        "pnr-fullwidth",
        lambda: raw_mail(
            NOTICE + "Personnummer ８５０７０９－９８０５.\r\n", subject="Om ８５０７０９９８０５"
        ),
    )
    yield HostileMail(
        "personnummer",
        "pnr-message-id",
        lambda: raw_mail(
            message_id="<850709-9805.2027@verksamhet.example>",
            headers=(
                ("In-Reply-To", "<19850709-9805@verksamhet.example>"),
                ("References", "<850709 9805@x.example> <19850709-9805@verksamhet.example>"),
            ),
        ),
    )


# -- 6 and 7: size ---------------------------------------------------------------------

_MB = 1024 * 1024


def _big_text() -> bytes:
    line = "Vi har informerat berörda socialsekreterare om förändringen i verksamheten.\r\n"
    return raw_mail(NOTICE + line * (25 * _MB // len(line)))


def _big_text_one_line() -> bytes:
    return raw_mail(NOTICE + "upphör 2027-06-30 " * (25 * _MB // 18))


def _big_text_base64() -> bytes:
    text = (NOTICE + "Daglig verksamhet Kvarnen öppnar 2027-09-01.\r\n" * 200_000).encode()
    encoded = base64.encodebytes(text)
    return raw_mail(encoded, encoding="base64")


def _big_html() -> bytes:
    rows = "<tr><td>Daglig verksamhet Hamnen</td><td>2027-06-30</td><td>upphör</td></tr>\r\n"
    html = (
        f"<html><body><p>{NOTICE}</p><table>{rows * (7_800_000 // len(rows))}</table></body></html>"
    )
    return raw_mail(html, content_type="text/html; charset=utf-8")


def _empty_cells_html() -> bytes:
    # Whitespace-only cells: the text extractor once looked back over all of them per tag.
    html = f"<p>{NOTICE}</p><table><tr>{'<td> </td>' * 700_000}</tr></table>"
    return raw_mail(html, content_type="text/html; charset=utf-8")


def _big_alternative() -> bytes:
    rows = "<tr><td>Hamnen</td><td>2027-06-30</td></tr>\r\n" * 150_000
    body = _multipart(
        [_text_part(NOTICE), _text_part(f"<p>{NOTICE}</p><table>{rows}</table>", "html")],
        subtype="alternative",
    )
    return raw_mail(body, content_type='multipart/alternative; boundary="b0"')


def _big_subject() -> bytes:
    return raw_mail(subject="Avslut Daglig verksamhet Hamnen " * (2 * _MB // 32))


def _big_encoded_subject() -> bytes:
    word = "=?utf-8?Q?Avslut_Daglig_verksamhet_H=C3=A4mnen?="
    return raw_mail(subject=" ".join([word] * (2 * _MB // len(word))))


def _many_parts() -> bytes:
    parts = [_text_part(NOTICE)] + [_text_part("Hamnen upphör. " * 700) for _ in range(3_000)]
    return raw_mail(_multipart(parts), content_type='multipart/mixed; boundary="b0"')


def _deep_nesting() -> bytes:
    part = _text_part(NOTICE + "upphör 2027-06-30. " * 200_000)
    for depth in range(60):
        boundary = f"d{depth}"
        part = (
            f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'.encode()
            + _multipart([part], boundary=boundary)
        )
    head, body = part.split(b"\r\n\r\n", 1)
    return raw_mail(body, content_type=head.decode().split(": ", 1)[1])


def _endless_references() -> bytes:
    ids = " ".join(f"<ref-{i}@funktionsstod.goteborg.se>" for i in range(100_000))
    return raw_mail(headers=(("References", ids), ("In-Reply-To", "<ref-99999@x.example>")))


def _with_attachment(filename: str, content_type: str, data: bytes) -> bytes:
    """The notice with one attachment, base64 as every mail client sends it."""
    attachment = (
        f'Content-Type: {content_type}; name="{filename}"\r\n'
        f'Content-Disposition: attachment; filename="{filename}"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode() + base64.encodebytes(data).replace(b"\n", b"\r\n")
    body = _multipart([_text_part(NOTICE), attachment])
    return raw_mail(body, content_type='multipart/mixed; boundary="b0"')


def _noise(size: int) -> bytes:
    """``size`` bytes that do not compress, the same every time (a scan, a photo)."""
    block = bytes(range(256)) * 4096
    return (block * (size // len(block) + 1))[:size]


def _big_pdf() -> bytes:
    return _with_attachment("Protokoll.pdf", "application/pdf", _noise(25 * _MB))


def _big_docx() -> bytes:
    # Too large to be read as the form: its finding says so, as for any .docx over 15 MB.
    return _with_attachment(
        "Verksamhetsuppgifter.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04" + _noise(25 * _MB),
    )


def _size() -> Iterator[HostileMail]:
    yield HostileMail("attachment", "attachment-25mb-pdf", _big_pdf, notice=True)
    yield HostileMail("attachment", "attachment-25mb-docx", _big_docx)
    yield HostileMail("text", "text-25mb", _big_text, notice=True)
    yield HostileMail("text", "text-25mb-one-line", _big_text_one_line, notice=True)
    yield HostileMail("text", "text-base64", _big_text_base64)
    yield HostileMail("html", "html-7.8mb-table", _big_html, notice=True)
    yield HostileMail("html", "html-empty-cells", _empty_cells_html, notice=True)
    yield HostileMail("html", "html-alternative", _big_alternative, notice=True)
    yield HostileMail("subject", "subject-2mb", _big_subject)
    yield HostileMail("subject", "subject-2mb-encoded-words", _big_encoded_subject)
    yield HostileMail("structure", "parts-3000", _many_parts)
    yield HostileMail("structure", "nesting-60", _deep_nesting)
    yield HostileMail("structure", "references-100000", _endless_references)


# -- 10: line separators ---------------------------------------------------------------

LINE_SEPARATORS = "\x85\u2028\u2029\x0b\x0c\x1c\x1d\x1e"


def _separators() -> Iterator[HostileMail]:
    subject = f"Avslut{LINE_SEPARATORS}Hamnen"
    body = f"Daglig verksamhet Ham{LINE_SEPARATORS}nen upphör 2027-06-30.{LINE_SEPARATORS}\r\n"
    yield HostileMail(
        "separators", "separators-subject", lambda: raw_mail(subject=subject), notice=True
    )
    yield HostileMail("separators", "separators-body", lambda: raw_mail(body))
    yield HostileMail(
        "separators",
        "separators-from",
        lambda: raw_mail(sender=f'"Anna{LINE_SEPARATORS}Lind" <anna.lind@goteborg.se>'),
    )


def corpus() -> list[HostileMail]:
    """Every hostile message, in class order; each is built only when its ``build`` runs."""
    return [
        *_dates(),
        *_addresses(),
        *_personnummer(),
        *_size(),
        *_separators(),
    ]
