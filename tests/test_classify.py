"""Kinds from wording: Swedish as written, English too, with evidence and negation."""

import pytest

from parsers.classify import automated_reason, classify


@pytest.mark.parametrize(
    ("subject", "text", "kind"),
    [
        ("Ny enhet", "Vi startar en ny enhet, DV Eriksbo 2, den 1 april.", "new_unit"),
        ("", "Daglig verksamhet Kvarnen öppnar den 1 mars 2027.", "new_unit"),
        ("Nystart", "Hemtjänstgruppen Kortedala nystartar i höst.", "new_unit"),
        ("New unit", "We will open a new unit, DV Lyktan, on 1 May 2027.", "new_unit"),
        ("", "Daglig verksamhet Hamnen upphör 2027-06-30.", "close_unit"),
        ("", "Hemtjänstgruppen Majorna Norra läggs ned, sista dag är 15 april.", "close_unit"),
        ("", "Vi stänger DV Berget vid månadsskiftet.", "close_unit"),
        ("", "Verksamheten avvecklas under våren.", "close_unit"),
        ("", "DV Lyktan will close on 30 June.", "close_unit"),
        ("", "DV Ek och DV Ask slås samman den 1 maj.", "merge_units"),
        ("Sammanslagning", "Vi slår ihop två grupper.", "merge_units"),
        ("", "The two units merge on 1 May.", "merge_units"),
        ("", "DV Lillegården byter namn till DV Gröna Gården.", "rename_unit"),
        ("Namnändring", "Nytt namn från 1 maj.", "rename_unit"),
        ("", "The unit is renamed to DV Ljuset.", "rename_unit"),
        ("", "Kapacitetstaket är nått från 1 februari.", "capacity_full"),
        ("", "Vi har inga lediga platser just nu.", "capacity_full"),
        ("", "Vi kan inte ta emot nya brukare tills vidare.", "capacity_full"),
        ("", "Vi har ledig kapacitet igen.", "capacity_available"),
        ("", "Nu kan vi ta emot nya brukare igen.", "capacity_available"),
        ("", "Lena Berg är ny enhetschef från 15 mars.", "update_details"),
        ("", "Enheten har nytt telefonnummer: 031-123 45 67.", "update_details"),
        ("", "We have a new manager from 1 March.", "update_details"),
        ("", "Här kommer vårt försäkringsbrev.", "onboarding"),
        ("", "Vår IT-kontaktperson är Jonas.", "onboarding"),
        ("", "Hur lång tid tar det innan ändringar syns i Jämför service?", "other"),
    ],
)
def test_kind(subject: str, text: str, kind: str) -> None:
    result = classify(subject, text)
    assert result.kind == kind
    if kind != "other":
        assert result.evidence, "a decision must carry the words that triggered it"


def test_several_changes_take_the_contract_order() -> None:
    result = classify("", "DV Eken byter namn till DV Almen och får ny enhetschef från 1 maj.")
    assert result.kind == "rename_unit"
    assert result.also == ("update_details",)


def test_new_unit_wins_over_close() -> None:
    result = classify("", "DV Gamla stänger 30 april och vi startar en ny enhet, DV Nya, 1 maj.")
    assert result.kind == "new_unit"
    assert "close_unit" in result.also


def test_merge_absorbs_its_new_name_and_closing_units() -> None:
    text = "DV Ek och DV Ask slås samman. Den nya enheten heter DV Lind. DV Ask upphör."
    result = classify("", text)
    assert result.kind == "merge_units"
    assert result.also == ()


def test_form_boxes_fill_a_gap_only() -> None:
    assert (
        classify("Blankett", "Här kommer blanketten.", form_kinds=("new_unit",)).kind == "new_unit"
    )
    assert classify("", "DV Ek upphör 1 maj.", form_kinds=("new_unit",)).kind == "close_unit"


@pytest.mark.parametrize(
    ("headers", "sender", "subject", "text"),
    [
        ({"auto-submitted": "auto-replied"}, "a@goteborg.se", "Kvittens", ""),
        ({"auto-submitted": "auto-generated"}, "a@goteborg.se", "x", ""),
        ({"x-autoreply": "yes"}, "a@goteborg.se", "x", ""),
        ({"content-type": "multipart/report; report-type=delivery-status"}, "a@b.se", "x", ""),
        ({}, "MAILER-DAEMON@mx.goteborg.se", "Undelivered", ""),
        ({}, "a@goteborg.se", "Automatiskt svar: Kvittens LOV-2027-0012", ""),
        ({}, "a@goteborg.se", "Frånvaro", ""),
        ({}, "a@goteborg.se", "Out of Office: LOV", ""),
        ({}, "a@goteborg.se", "Frånvarande: Kvittens LOV-2027-0012", ""),
        ({}, "a@goteborg.se", "Ej på kontoret: Kvittens LOV-2027-0012", ""),
        ({}, "a@goteborg.se", "Re: x", "Jag är på semester till och med 31 juli."),
    ],
)
def test_automated_mail(headers: dict[str, str], sender: str, subject: str, text: str) -> None:
    assert automated_reason(headers, sender, subject, text)


def test_human_mail_is_not_automated() -> None:
    assert automated_reason({"auto-submitted": "no"}, "a@goteborg.se", "Ny enhet", "Hej") is None


@pytest.mark.parametrize(
    ("subject", "text", "kind"),
    [
        # More wordings per kind.
        ("", "Daglig verksamhet Solrosen kommer att stängas den 31 augusti.", "close_unit"),
        ("", "Verksamheten bedrivs t.o.m. 31 augusti, därefter läggs den ned.", "close_unit"),
        ("", "DV Hamnen upphörde den 15 februari.", "close_unit"),
        ("", "DV Oak will cease operations on 31 July.", "close_unit"),
        ("", "Hemtjänsten Askim Södra är en ny enhet som öppnar 1 september.", "new_unit"),
        ("", "Vi öppnar ny daglig verksamhet, DV Kastanjen, v. 34.", "new_unit"),
        ("", "Från 1 oktober slås Hemtjänst A och Hemtjänst B samman.", "merge_units"),
        ("", "DV Solen och DV Månen blir en enhet från 1 juni.", "merge_units"),
        ("", "Hemtjänsten Centrum heter från 1 juni Hemtjänst Inom Vallgraven.", "rename_unit"),
        ("", "DV Eken döps om till DV Almen.", "rename_unit"),
        ("", "DV Gläntan kommer från 1 april att heta DV Skogsgläntan.", "rename_unit"),
        ("", "Kapacitetstaket för DV Lunden är nått från 1 april.", "capacity_full"),
        ("", "Vi har tyvärr fullt.", "capacity_full"),
        ("", "Vi kan inte ta emot fler brukare.", "capacity_full"),
        ("", "DV Sun can no longer accept new participants.", "capacity_full"),
        ("", "Kapacitetstaket för DV Solen är inte längre nått.", "capacity_available"),
        ("", "Vi öppnar upp för nya brukare igen.", "capacity_available"),
        ("", "Lena Berg tar över som enhetschef den 1 april.", "update_details"),
        ("", "DV Kvarnen byter lokal den 1 juni.", "update_details"),
        # False friends: daily and temporary closing, opening hours, deadlines.
        ("", "DV Kvarnen stänger kl 12 på julafton.", "other"),
        ("", "DV Kvarnen stänger under vecka 29-31.", "other"),
        ("", "Vi stänger för sommaren.", "other"),
        ("", "Sista dag att anmäla sig är 1 maj.", "other"),
        ("", "Brukarens insats avslutas den 1 maj.", "other"),
        ("", "Vi öppnar kl 8 i stället för kl 9.", "other"),
        ("", "Det är fullt möjligt att ringa oss.", "other"),
        # Negation before and after the cue.
        ("", "Vi stänger inte DV Ek som planerat.", "other"),
        ("", "Vi kommer inte att starta DV Ek i år.", "other"),
        ("", "DV Ek stänger inte förrän den 30 juni.", "close_unit"),
        (
            "",
            "DV Solen tar emot nya brukare igen efter att ha varit fullbelagd.",
            "capacity_available",
        ),
    ],
)
def test_more_wordings(subject: str, text: str, kind: str) -> None:
    assert classify(subject, text).kind == kind


def test_stop_for_new_users_is_full_not_closed() -> None:
    result = classify("", "DV Solen stänger för nya brukare från 1 april.")
    assert (result.kind, result.also) == ("capacity_full", ())


def test_evidence_is_the_words_as_written() -> None:
    result = classify("Avslut", "Daglig verksamhet Hamnen Upphör 2027-06-30.")
    assert result.evidence == ("Avslut", "Upphör")
    assert all(c.text in "Avslut\nDaglig verksamhet Hamnen Upphör 2027-06-30." for c in result.cues)


def test_quoted_history_fills_a_gap() -> None:
    result = classify("Fwd: Info", "Se nedan.", history="DV Ek stänger den 30 april.")
    assert (result.kind, result.from_history) == ("close_unit", True)
    assert result.evidence == ("citerad text: stänger",)


def test_the_new_text_decides_over_history_and_form() -> None:
    result = classify(
        "SV: Info",
        "Vi har inga lediga platser från 1 april.",
        form_kinds=("new_unit",),
        history="DV Ek stänger den 30 april.",
    )
    assert (result.kind, result.from_history) == ("capacity_full", False)


def test_the_form_comes_before_the_history() -> None:
    result = classify(
        "Blankett", "Här är den.", form_kinds=("rename_unit",), history="DV Ek stänger."
    )
    assert (result.kind, result.evidence) == ("rename_unit", ("blanketten: rename_unit",))


@pytest.mark.parametrize(
    ("headers", "sender", "subject", "text"),
    [
        ({}, "a@goteborg.se", "Olevererbart: Nedläggning", ""),
        ({}, "a@goteborg.se", "Det gick inte att leverera: Ny enhet", ""),
        ({}, "a@goteborg.se", "Läskvitto: Ny enhet", ""),
        ({}, "a@goteborg.se", "Automatic reply: New unit", ""),
        ({}, "noreply@example.se", "Ditt ärende", ""),
        ({}, "a@goteborg.se", "SV: Ny enhet", "Jag har slutat min anställning, kontakta Omar."),
        ({}, "a@goteborg.se", "SV: Ny enhet", "I will be back on 9 August."),
    ],
)
def test_more_automated_mail(headers: dict[str, str], sender: str, subject: str, text: str) -> None:
    assert automated_reason(headers, sender, subject, text)


def test_an_absence_mentioned_in_a_real_notice_is_not_automation() -> None:
    text = "Jag är ledig till 5 april, men DV Ek stänger den 30 april."
    assert automated_reason({}, "a@goteborg.se", "Avslut", text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Daglig verksamhet Kvarnen öppnar den 1 mars.", "new_unit"),
        ("Den 1/10 startar vi Daglig verksamhet Ljuset.", "new_unit"),
        ("Vi kommer att starta Daglig verksamhet Solrosen den 2 augusti.", "new_unit"),
        ("DV Seaside will open on 1 September.", "new_unit"),
        # A start or opening with no unit beside it is something else.
        ("Vi startar en väntelista från 1 april.", "other"),
        ("Mötet startar klockan tio.", "other"),
        ("Kön öppnas för anmälan i april.", "other"),
    ],
)
def test_a_bare_start_needs_the_unit_beside_it(text: str, kind: str) -> None:
    assert classify("", text).kind == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Hur gör vi om vi vill stänga en enhet?", "other"),
        ("Vilken blankett ska vi använda när vi startar en ny enhet?", "other"),
        ("När syns det nya namnet i Jämför service?", "other"),
        # A yes/no question asks whether a change is so: a question (contract.md, kind
        # other) that EKU answers; no order may rest on it. A request is not a question.
        ("Stämmer det att DV Ek stänger den 30 april?", "other"),
        ("Hemtjänst Tynnered stänger?", "other"),
        ("Kan ni stänga DV Ek i Jämför service från 1 april?", "close_unit"),
        ("Hur gör vi? DV Ek stänger den 30 april.", "close_unit"),
    ],
)
def test_open_questions_announce_nothing(text: str, kind: str) -> None:
    assert classify("", text).kind == kind
