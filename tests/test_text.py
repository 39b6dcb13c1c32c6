"""Bodies as people send them: HTML, quoted history, signatures, subject prefixes."""

import pytest

from parsers.text import case_numbers, clean_header, clean_subject, html_to_text, split_body


def test_html_becomes_lines() -> None:
    html = (
        "<html><head><style>p{}</style></head><body><div><p class=MsoNormal>Hej,</p>"
        "<p>&nbsp;</p><p>Enheten har <b>ledig</b> kapacitet.</p></div></body></html>"
    )
    assert html_to_text(html) == "Hej,\n\nEnheten har ledig kapacitet."


def test_html_blockquote_is_quoted() -> None:
    text = html_to_text("<p>Nytt datum 1 maj.</p><blockquote><p>Gammalt 1 april.</p></blockquote>")
    parts = split_body(text)
    assert "1 maj" in parts.new
    assert "1 april" not in parts.new


@pytest.mark.parametrize(
    "history",
    [
        "> Från: LOV\n> Skickat: den 2 mars 2027 09:12\n> Hej Karin",
        "Från: LOV <lov@goteborg.se>\nSkickat: den 2 mars 2027 09:12\nTill: Karin\nÄmne: X\n\nHej",
        "From: LOV\nSent: Tuesday, March 2, 2027 9:12 AM\nTo: Karin\nSubject: X\n\nHi",
        "-----Ursprungligt meddelande-----\nFrån: LOV\nHej",
        "-----Original Message-----\nFrom: LOV\nHi",
        "Den 2 mars 2027 kl. 09:12 skrev LOV <lov@goteborg.se>:\n> Hej",
        "On Tue, 2 Mar 2027 at 09:12, LOV <lov@goteborg.se> wrote:\n> Hi",
        "________________________________\nFrån: LOV\nHej",
    ],
)
def test_history_is_separated(history: str) -> None:
    parts = split_body(f"Hej igen,\nDatumet är 1 maj.\n\n{history}")
    assert parts.new == "Hej igen,\nDatumet är 1 maj."
    assert parts.quoted.strip()


@pytest.mark.parametrize(
    "signature",
    [
        "Med vänliga hälsningar\nAnna Lind\nTelefon: 031-365 12 34",
        "Vänliga hälsningar\nAnna",
        "Mvh Karin Ek",
        "Hälsningar Karin Ek, enhetschef",
        "--\nAnna Lind",
        "Best regards\nAnna",
        "Detta e-postmeddelande kan innehålla konfidentiell information.",
    ],
)
def test_signature_is_separated(signature: str) -> None:
    parts = split_body(f"Hej,\nDV Ek upphör 30 juni.\n\n{signature}")
    assert parts.new == "Hej,\nDV Ek upphör 30 juni."
    assert parts.signature


@pytest.mark.parametrize(
    ("subject", "clean"),
    [
        ("SV: Namnbyte", "Namnbyte"),
        ("SV: VB: RE: FW: Fwd: AW: Namnbyte", "Namnbyte"),
        ("Re[2]: Namnbyte", "Namnbyte"),
        ("sv:Namnbyte", "Namnbyte"),
        ("Svar: Namnbyte", "Namnbyte"),
        ("Ny enhet", "Ny enhet"),
    ],
)
def test_clean_subject(subject: str, clean: str) -> None:
    assert clean_subject(subject) == clean


def test_header_values_lose_line_breaks() -> None:
    assert clean_header("Hej\r\nBcc: evil@example.com") == "Hej Bcc: evil@example.com"


def test_case_numbers() -> None:
    assert case_numbers("SV: Kvittens [LOV-2027-0012] och lov-2026-0100") == [
        "LOV-2027-0012",
        "LOV-2026-0100",
    ]


@pytest.mark.parametrize(
    "history",
    [
        "Början av vidarebefordrat meddelande:\n\nFrån: Anna <anna@goteborg.se>\nDatum: 26 "
        "februari 2027\nÄmne: Ny enhet",
        "Begin forwarded message:\n\nFrom: Anna <anna@goteborg.se>",
        "---------- Forwarded message ---------\nFrom: Anna <anna@goteborg.se>",
        "---------- Vidarebefordrat meddelande ---------\nFrån: Anna",
        # Apple Mail and Gmail wrap a long attribution line.
        "Den 2 mars 2027 kl. 09:12 skrev Lovbrevlådan Göteborgs Stad\n<lov@stadshuset.goteborg.se>:\n> Hej",
        "On Tue, 2 Mar 2027 at 09:12, LOV Göteborgs Stad <lov@stadshuset.goteborg.se>\nwrote:\n> Hi",
        "*Från:* LOV <lov@goteborg.se>\n*Skickat:* den 2 mars 2027 09:12\n*Till:* Karin",
    ],
)
def test_more_history_is_separated(history: str) -> None:
    parts = split_body(f"Hej igen,\nDatumet är 1 maj.\n\n{history}")
    assert parts.new == "Hej igen,\nDatumet är 1 maj."
    assert parts.quoted.strip()


@pytest.mark.parametrize(
    "signature",
    [
        "/Karin",
        "/ Karin Ek",
        "Vh Karin",
        "Bästa hälsningar\nKarin",
        "Skickat från Outlook för iOS",
        "Hämta Outlook för Android",
        "Sent from my iPhone",
        "När du skickar e-post till Göteborgs Stad behandlar vi dina personuppgifter.",
        "Detta e-postmeddelande och eventuella bilagor kan innehålla konfidentiell information.",
        "This email and any attachments may contain confidential information.",
    ],
)
def test_more_signatures_are_separated(signature: str) -> None:
    parts = split_body(f"Hej,\nDV Ek upphör 30 juni.\n\n{signature}")
    assert parts.new == "Hej,\nDV Ek upphör 30 juni."
    assert parts.signature


@pytest.mark.parametrize(
    "line",
    [
        "Detta mejl gäller nedläggningen av DV Ek den 30 juni.",
        "Hälsar er välkomna till DV Ek.",
        "This email is about DV Oak closing on 30 June.",
    ],
)
def test_message_lines_that_look_like_a_signature_stay(line: str) -> None:
    assert line in split_body(f"Hej,\n{line}\nMvh Karin").new


def test_inline_replies_keep_the_new_words() -> None:
    text = "> Vilket datum?\n1 maj.\n> Och ansvarskoden?\n4711203.\n\nMvh Karin"
    assert split_body(text).new == "1 maj.\n4711203."


@pytest.mark.parametrize(
    ("html", "text"),
    [
        # Outlook writes each line as a paragraph; an empty one is the blank line.
        (
            "<div>\n<p class=MsoNormal>Hej!<o:p></o:p></p>\n<p class=MsoNormal><o:p>&nbsp;</o:p>"
            "</p>\n<p class=MsoNormal>DV Ek st&auml;nger.<o:p></o:p></p>\n"
            "<p class=MsoNormal>Mvh<br>Karin</p></div>",
            "Hej!\n\nDV Ek stänger.\nMvh\nKarin",
        ),
        (
            "<p>Daglig&nbsp;verksamhet\n  Ek st&auml;nger\n den 30 april.</p>",
            "Daglig verksamhet Ek stänger den 30 april.",
        ),
        (
            "<table><tr><td>Enhet:</td><td>DV Ek</td></tr><tr><th>Datum</th><td>1 maj</td></tr></table>",
            "Enhet: DV Ek\nDatum 1 maj",
        ),
        ("<ul><li>DV Ek</li><li>DV Ask</li></ul>", "DV Ek\nDV Ask"),
        (
            "<!--[if gte mso 9]><xml><o:x/></xml><![endif]--><script>var a=1;</script><p>Hej</p>",
            "Hej",
        ),
    ],
)
def test_more_html(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("subject", "clean"),
    [
        ("[EXTERN] SV: Namnbyte", "Namnbyte"),
        ("SV: [EXTERNAL] Re: Namnbyte", "Namnbyte"),
        ("VS: TR: Namnbyte", "Namnbyte"),
        ("Re(2): Namnbyte", "Namnbyte"),
        ("Kvittens [LOV-2027-0012]", "Kvittens [LOV-2027-0012]"),
        ("Svar på fråga", "Svar på fråga"),
    ],
)
def test_more_clean_subjects(subject: str, clean: str) -> None:
    assert clean_subject(subject) == clean


@pytest.mark.parametrize(
    "signature",
    [
        "Med vennlig hilsen\nKari Nilsen\nDaglig leder, Omsorgspartner AS",
        "Venlig hilsen\nMette Hansen",
        "Ystävällisin terveisin\nAino Virtanen",
        "Mit freundlichen Grüßen\nJonas Weber",
        "Tack på förhand!\nAnna Berg\nEnhetschef, Hemtjänst Ek\n031-123 45 67",
        "Trevlig helg!\nKarin",
        "Thanks,\nJohn Smith\nCareCo Ltd",
    ],
)
def test_closings_in_other_languages_and_thanks_begin_the_signature(signature: str) -> None:
    parts = split_body(f"Hej,\nDV Ek upphör 30 juni.\n\n{signature}")

    assert parts.new == "Hej,\nDV Ek upphör 30 juni."
    assert parts.signature == signature


@pytest.mark.parametrize(
    "text",
    [
        "Tack!\nDV Ek upphör 30 juni. Deltagarna har fått nya platser.\nKarin",
        "Hej,\nTack för svaret.\nDV Ek upphör 30 juni.\nKarin",
        "Tack så mycket!\nVi har nu bestämt oss. DV Ek upphör 30 juni.",
    ],
)
def test_a_thanks_followed_by_the_message_is_no_signature(text: str) -> None:
    assert "DV Ek upphör 30 juni." in split_body(text).new


def test_a_reply_written_below_the_quote_is_the_new_text() -> None:
    text = (
        "Den 2026-10-09 kl. 11:02, skrev LOV:\n> Meddela oss när ni har ledig kapacitet.\n"
        ">\n>> Den 2026-10-08 skrev Ahmad:\n>> Vi är fulla.\n\nHej igen!\n\nNu har vi två "
        "lediga platser från 1 december.\n\nHälsningar\nAhmad"
    )
    parts = split_body(text)

    assert parts.new == "Hej igen!\n\nNu har vi två lediga platser från 1 december."
    assert "Vi är fulla." in parts.quoted
    assert "lediga platser" not in parts.quoted


def test_answers_between_the_quoted_questions_are_new() -> None:
    text = (
        "Hej, svar i texten nedan.\n\nDen 2026-11-19 kl. 13:30, skrev LOV:\n"
        "> 1. Från vilket datum?\n\nFrån 7 december.\n\n> 2. Ny adress?\n\n"
        "Kvibergs Park 12.\n\n-- \nViktor"
    )
    parts = split_body(text)

    assert "Från 7 december." in parts.new and "Kvibergs Park 12." in parts.new
    assert "Från vilket datum?" in parts.quoted
    assert parts.signature == "-- \nViktor"


def test_a_reply_above_the_quote_keeps_the_quote_as_history() -> None:
    text = "Det stämmer.\n\nDen 1 mars 2027 skrev LOV:\n> Stänger DV Ek?\n> /EKU"

    assert split_body(text).new == "Det stämmer."


def test_a_notice_above_the_message_is_neither_message_nor_signature() -> None:
    text = (
        "KONFIDENTIALITET\nDetta e-postmeddelande kan innehålla konfidentiell information.\n"
        "-----\n\nHej,\n\nDV Ek upphör 30 juni.\n\nVänliga hälsningar\nKarin"
    )
    parts = split_body(text)

    assert parts.new == "Hej,\n\nDV Ek upphör 30 juni."
    assert parts.signature == "Vänliga hälsningar\nKarin"
