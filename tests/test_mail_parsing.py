"""Raw message bytes in, ParsedMail out: charsets, transfer encodings, HTML, attachments.

Literal bytes, as mail servers hand them over, including the ways clients get MIME wrong.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from email.message import EmailMessage
from email.policy import SMTP

import pytest

from parsers.errors import MailParseError
from parsers.mail import parse_mail
from parsers.text import split_body

HEAD = (
    b"From: Anna Lind <anna.lind@funktionsstod.goteborg.se>\r\n"
    b"To: LOV <lov@stadshuset.goteborg.se>\r\n"
    b"Subject: Avslut\r\n"
    b"Date: Mon, 01 Mar 2027 09:00:00 +0100\r\n"
    b"Message-ID: <abc@funktionsstod.goteborg.se>\r\n"
    b"MIME-Version: 1.0\r\n"
)
SWEDISH = "Hälsningar – DV Ek stänger den 30 april. Åsa’s “kö” är slut."


def message(content_type: bytes, encoding: bytes, body: bytes, head: bytes = HEAD) -> bytes:
    return (
        head
        + b"Content-Type: "
        + content_type
        + b"\r\nContent-Transfer-Encoding: "
        + encoding
        + b"\r\n\r\n"
        + body
        + b"\r\n"
    )


@pytest.mark.parametrize(
    ("content_type", "encoding", "body"),
    [
        (b"text/plain; charset=utf-8", b"8bit", SWEDISH.encode("utf-8")),
        (b"text/plain; charset=windows-1252", b"8bit", SWEDISH.encode("cp1252")),
        # Outlook's label for Windows-1252 text: the en dash is 0x96, a C1 control in Latin-1.
        (b"text/plain; charset=iso-8859-1", b"8bit", SWEDISH.encode("cp1252")),
        (b'text/plain; charset="ISO-8859-1"', b"8bit", SWEDISH.encode("cp1252")),
        # No charset at all, or a wrong one: UTF-8 if it decodes, else Windows-1252.
        (b"text/plain", b"8bit", SWEDISH.encode("utf-8")),
        (b"text/plain", b"8bit", SWEDISH.encode("cp1252")),
        (b"text/plain; charset=us-ascii", b"8bit", SWEDISH.encode("cp1252")),
        (b"text/plain; charset=utf-8", b"8bit", SWEDISH.encode("cp1252")),
        (b"text/plain; charset=x-unknown", b"8bit", SWEDISH.encode("utf-8")),
        (
            b"text/plain; charset=iso-8859-1",
            b"quoted-printable",
            b"H=E4lsningar =96 DV Ek st=E4nger den 30 april. =C5sa=92s =93k=F6=94 =\r\n=E4r slut.",
        ),
        (
            b"text/plain; charset=utf-8",
            b"quoted-printable",
            b"H=C3=A4lsningar =E2=80=93 DV Ek st=C3=A4nger den 30 april. =C3=85sa=E2=80=99s =\r\n"
            b"=E2=80=9Ck=C3=B6=E2=80=9D =C3=A4r slut.",
        ),
        (b"text/plain; charset=utf-8", b"base64", base64.encodebytes(SWEDISH.encode("utf-8"))),
        (
            b"text/plain; charset=windows-1252",
            b"base64",
            base64.b64encode(SWEDISH.encode("cp1252")),
        ),
        (b"text/plain; charset=utf-8", b"BASE64", base64.b64encode(SWEDISH.encode("utf-8"))),
    ],
)
def test_body_charsets_and_encodings(content_type: bytes, encoding: bytes, body: bytes) -> None:
    mail = parse_mail(message(content_type, encoding, body))
    assert mail.text == SWEDISH
    json.dumps(mail.text)  # no lone surrogates reach the JSON output


def test_headers() -> None:
    mail = parse_mail(message(b"text/plain; charset=utf-8", b"7bit", b"Hej"))
    assert mail.message_id == "<abc@funktionsstod.goteborg.se>"
    assert (mail.from_name, mail.from_address) == (
        "Anna Lind",
        "anna.lind@funktionsstod.goteborg.se",
    )
    assert mail.sender_domain == "funktionsstod.goteborg.se"
    assert mail.date == dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert mail.subject == "Avslut"


@pytest.mark.parametrize(
    ("raw_subject", "subject"),
    [
        (b"=?iso-8859-1?Q?SV:_Nedl=E4ggning_av_DV_=D6stra?=", "SV: Nedläggning av DV Östra"),
        (b"=?utf-8?B?TmFtbsOkbmRyaW5n?=", "Namnändring"),
        (b"=?windows-1252?Q?Ny_enhet_=96_DV_Ek?=", "Ny enhet – DV Ek"),
        # Folded across lines: the space between encoded words is not part of the text.
        (
            b"=?utf-8?Q?Sammanslagning_av_?=\r\n =?utf-8?Q?DV_Ek_och_DV_Ask?=",
            "Sammanslagning av DV Ek och DV Ask",
        ),
        (b"Kapacitet =?utf-8?Q?n=C3=A5dd?= DV Lunden", "Kapacitet nådd DV Lunden"),
        # Raw 8-bit headers, as old clients send them.
        ("Nedläggning – DV Ek".encode(), "Nedläggning – DV Ek"),
        ("Nedläggning – DV Ek".encode("cp1252"), "Nedläggning – DV Ek"),
        # A line break smuggled into a subject cannot break a reply's headers.
        (b"=?utf-8?Q?Hej=0D=0ABcc:_x@example.com?=", "Hej Bcc: x@example.com"),
    ],
)
def test_encoded_subjects(raw_subject: bytes, subject: str) -> None:
    head = HEAD.replace(b"Subject: Avslut\r\n", b"Subject: " + raw_subject + b"\r\n")
    assert parse_mail(message(b"text/plain", b"7bit", b"Hej", head)).subject == subject


@pytest.mark.parametrize(
    ("raw_from", "name", "address"),
    [
        (
            b"=?utf-8?Q?=C3=85sa_=C3=96berg?= <Asa.Oberg@Goteborg.se>",
            "Åsa Öberg",
            "asa.oberg@goteborg.se",
        ),
        (b'"Lind, Anna" <anna.lind@goteborg.se>', "Lind, Anna", "anna.lind@goteborg.se"),
        (
            b"=?iso-8859-1?Q?Lind=2C_Anna?= <anna.lind@goteborg.se>",
            "Lind, Anna",
            "anna.lind@goteborg.se",
        ),
        ("Åsa Öberg <asa@goteborg.se>".encode("cp1252"), "Åsa Öberg", "asa@goteborg.se"),
        (b"anna.lind@goteborg.se", None, "anna.lind@goteborg.se"),
        (b"Anna Lind", "Anna Lind", None),
    ],
)
def test_sender(raw_from: bytes, name: str | None, address: str | None) -> None:
    head = HEAD.replace(
        b"From: Anna Lind <anna.lind@funktionsstod.goteborg.se>\r\n", b"From: " + raw_from + b"\r\n"
    )
    mail = parse_mail(message(b"text/plain", b"7bit", b"Hej", head))
    assert (mail.from_name, mail.from_address) == (name, address)


OUTLOOK_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office">
<head><meta http-equiv=Content-Type content="text/html; charset=windows-1252">
<style><!--
p.MsoNormal {margin:0cm;font-size:11.0pt;font-family:"Calibri",sans-serif;}
--></style><!--[if gte mso 9]><xml><o:shapedefaults v:ext="edit" spidmax="1026" /></xml>
<![endif]--></head>
<body lang=SV link="#0563C1"><div class=WordSection1>
<p class=MsoNormal>Hej!<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal>Vi vill meddela att <b>Daglig verksamhet Lunden</b> har n&aring;tt
kapacitetstaket fr&aring;n och med 15 mars 2027 &#8211; ingen k&ouml; finns.<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal>Med v&auml;nliga h&auml;lsningar<o:p></o:p></p>
<p class=MsoNormal>Per Holm<br>Telefon: 0706-12 34 56<o:p></o:p></p>
<div style='border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm'>
<p class=MsoNormal><b>Fr&aring;n:</b> LOV &lt;lov@stadshuset.goteborg.se&gt;<br>
<b>Skickat:</b> den 2 mars 2027 09:12<br><b>Till:</b> Per Holm<br>
<b>&Auml;mne:</b> Kapacitet<o:p></o:p></p></div>
<p class=MsoNormal>Hej Per, g&auml;ller det fr&aring;n 1 april?<o:p></o:p></p>
</div></body></html>"""

OUTLOOK_TEXT = (
    "Hej!\n\nVi vill meddela att Daglig verksamhet Lunden har nått kapacitetstaket från och "
    "med 15 mars 2027 – ingen kö finns.\n\nMed vänliga hälsningar\nPer Holm\n"
    "Telefon: 0706-12 34 56\nFrån: LOV <lov@stadshuset.goteborg.se>\n"
    "Skickat: den 2 mars 2027 09:12\nTill: Per Holm\nÄmne: Kapacitet\n"
    "Hej Per, gäller det från 1 april?"
)


@pytest.mark.parametrize(
    ("charset", "encoding"),
    [("windows-1252", b"quoted-printable"), ("utf-8", b"base64"), ("iso-8859-1", b"8bit")],
)
def test_html_only_outlook_mail(charset: str, encoding: bytes) -> None:
    data = OUTLOOK_HTML.encode("cp1252" if charset != "utf-8" else "utf-8")
    if encoding == b"base64":
        data = base64.encodebytes(data)
    elif encoding == b"quoted-printable":
        import quopri

        data = quopri.encodestring(data)
    raw = message(b"text/html; charset=" + charset.encode(), encoding, data)
    assert parse_mail(raw).text == OUTLOOK_TEXT


def test_multipart_alternative_prefers_plain_text() -> None:
    mail = EmailMessage(policy=SMTP)
    mail["From"] = "anna.lind@goteborg.se"
    mail["Subject"] = "Avslut"
    mail["Date"] = "Mon, 01 Mar 2027 09:00:00 +0100"
    mail.set_content("DV Ek stänger den 30 april.\n")
    mail.add_alternative("<p>DV Ek st&auml;nger den <b>30 april</b>.</p>", subtype="html")
    assert parse_mail(mail.as_bytes()).text == "DV Ek stänger den 30 april."


def test_multipart_alternative_with_empty_plain_part_uses_html() -> None:
    mail = EmailMessage(policy=SMTP)
    mail["From"] = "anna.lind@goteborg.se"
    mail["Subject"] = "Avslut"
    mail.set_content("\n")
    mail.add_alternative("<p>DV Ek st&auml;nger den <b>30 april</b>.</p>", subtype="html")
    assert parse_mail(mail.as_bytes()).text == "DV Ek stänger den 30 april."


@pytest.mark.parametrize(
    "placeholder",
    [
        "Det här meddelandet är skickat i HTML-format. Öppna det i ett e-postprogram som kan "
        "visa HTML.",
        "This message is in HTML format. View it in your browser.",
    ],
)
def test_a_plain_part_that_only_points_at_the_html_is_read_from_the_html(
    placeholder: str,
) -> None:
    mail = EmailMessage(policy=SMTP)
    mail["From"] = "anna.lind@goteborg.se"
    mail["Subject"] = "Ledig kapacitet"
    mail.set_content(placeholder + "\n")
    mail.add_alternative(
        "<p>Hemtjänst Ek kan ta emot nya brukare från <b>7 december</b>.</p>", subtype="html"
    )

    assert (
        parse_mail(mail.as_bytes()).text == "Hemtjänst Ek kan ta emot nya brukare från 7 december."
    )


def test_a_plain_part_of_its_own_is_kept_beside_the_html() -> None:
    mail = EmailMessage(policy=SMTP)
    mail["From"] = "anna.lind@goteborg.se"
    mail["Subject"] = "Avslut"
    mail.set_content("DV Ek stänger den 30 april.\n")
    mail.add_alternative("<p>DV Ek st&auml;nger den 30 april. Mer i HTML.</p>", subtype="html")

    assert parse_mail(mail.as_bytes()).text == "DV Ek stänger den 30 april."


def test_attachments_are_not_body_text() -> None:
    docx = b"PK\x03\x04" + bytes(range(256)) * 4
    mail = EmailMessage(policy=SMTP)
    mail["From"] = "anna.lind@goteborg.se"
    mail["Subject"] = "Ny enhet"
    mail["Date"] = "Mon, 01 Mar 2027 09:00:00 +0100"
    mail.set_content("Blanketten bifogas.\n")
    mail.add_attachment(
        docx,
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
        filename="Verksamhetsuppgifter Ängen.docx",
    )
    mail.add_attachment("Texten i en bilaga.\n", filename="notes.txt")
    mail.add_attachment(b"%PDF-1.4 ...", maintype="application", subtype="pdf", filename="brev.pdf")
    parsed = parse_mail(mail.as_bytes())
    assert parsed.text == "Blanketten bifogas."
    names = [a.filename for a in parsed.attachments]
    assert names == ["Verksamhetsuppgifter Ängen.docx", "notes.txt", "brev.pdf"]
    assert parsed.attachments[0].data == docx
    assert parsed.attachments[0].content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    # A text attachment travels with CRLF line ends, as SMTP wants them.
    assert parsed.attachments[1].data.replace(b"\r\n", b"\n") == b"Texten i en bilaga.\n"


def test_an_attached_message_is_read_as_the_forwarded_message_below_the_text() -> None:
    # "Originalmeddelandet bifogas": a mail client shows it below the text, and so does
    # lovbot, as a forward, never as the sender's own words.
    inner = EmailMessage(policy=SMTP)
    inner["From"] = "karin@goteborg.se"
    inner["Subject"] = "Gammalt"
    inner.set_content("DV Ask stänger 1 april.\n")
    mail = EmailMessage(policy=SMTP)
    mail["From"] = "anna.lind@goteborg.se"
    mail["Subject"] = "VB: Gammalt"
    mail.set_content("Se bifogat.\n")
    mail.add_attachment(inner)
    body = split_body(parse_mail(mail.as_bytes()).text)
    assert body.new == "Se bifogat."
    assert "Ämne: Gammalt" in body.quoted
    assert "DV Ask stänger 1 april." in body.quoted


def test_mail_without_date() -> None:
    raw = HEAD.replace(b"Date: Mon, 01 Mar 2027 09:00:00 +0100\r\n", b"")
    mail = parse_mail(message(b"text/plain", b"7bit", b"Hej", raw))
    assert mail.date is None
    assert mail.subject == "Avslut"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"Mon, 01 Mar 2027 09:00:00 +0100", dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)),
        (b"1 Mar 2027 09:00:00 -0000", dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)),
        (b"Mon, 1 Mar 2027 09:00 CET", dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)),
        (b"monday 1 march", None),
    ],
)
def test_date_header(value: bytes, expected: dt.datetime | None) -> None:
    head = HEAD.replace(b"Mon, 01 Mar 2027 09:00:00 +0100", value)
    assert parse_mail(message(b"text/plain", b"7bit", b"Hej", head)).date == expected


def test_lf_only_line_endings() -> None:
    raw = message(b"text/plain; charset=utf-8", b"8bit", SWEDISH.encode()).replace(b"\r\n", b"\n")
    mail = parse_mail(raw)
    assert (mail.subject, mail.text) == ("Avslut", SWEDISH)
    assert mail.date is not None


def test_bom_and_blank_lines_before_the_headers() -> None:
    raw = b"\xef\xbb\xbf\r\n" + message(b"text/plain", b"7bit", b"Hej")
    assert parse_mail(raw).subject == "Avslut"


def test_threading_headers() -> None:
    head = HEAD + (
        b"In-Reply-To: <kvittens-12@lovbot.goteborg.se>\r\n"
        b"References: <first@x.se>\r\n <kvittens-12@lovbot.goteborg.se>\r\n"
        b"Auto-Submitted: auto-replied\r\n"
    )
    mail = parse_mail(message(b"text/plain", b"7bit", b"Hej", head))
    assert mail.in_reply_to == "<kvittens-12@lovbot.goteborg.se>"
    assert mail.references == ("<first@x.se>", "<kvittens-12@lovbot.goteborg.se>")
    assert mail.headers["auto-submitted"] == "auto-replied"


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"   \r\n\r\n",
        bytes(range(256)) * 20,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200,
        b"PK\x03\x04" + b"\x00" * 200,
        "Hej, det här är bara text utan e-posthuvud.\n".encode(),
    ],
    ids=["empty", "blank", "garbage", "png", "zip", "plain-text"],
)
def test_not_a_message(raw: bytes) -> None:
    with pytest.raises(MailParseError):
        parse_mail(raw)
