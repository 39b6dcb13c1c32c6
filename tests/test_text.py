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
