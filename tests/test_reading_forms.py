"""The form beside the mail: which form is the change's, answers that are none, attachments, onboarding papers.

Each test is a wording of our own for a class of misreading that a blind corpus (or issue 7)
found; none of these sentences is in a corpus. See tests/corpus/README.md for the corpora.
"""

from __future__ import annotations

import datetime as dt

import pytest
from formbuilders import build_form
from mails import build_mail
from reading import NOVEMBER_20, POLICY, PRIVATE
from test_understand import DOCX, read

from intake.pipeline import analyse
from parsers.mail import parse_mail
from parsers.understand import understand
from rules.senders import SenderPolicy


def test_a_form_the_sender_disowns_does_not_count() -> None:
    u = read(
        "Från 1 april har Hemtjänst Kärra ny enhetschef, Lena Berg. Strunta i den bifogade "
        "blanketten, den är fel.",
        "Ny chef",
        form={"typ_av_andring": ["Ny enhet"], "enhetens_namn": "Hemtjänst Kärra"},
    )

    assert (u.kind, u.form) == ("update_details", None)


def test_an_old_new_unit_form_does_not_make_a_new_manager_a_new_unit() -> None:
    u = read(
        "Ny enhetschef för Hemtjänst Kärra från 1 april är Lena Berg, 031-10 20 30.",
        "Ny chef",
        form={"typ_av_andring": ["Ny enhet"], "enhetens_namn": "Hemtjänst Kärra"},
    )

    assert u.kind == "update_details"


def test_a_new_units_form_names_it_when_another_provider_ran_the_unit() -> None:
    u = read(
        "Vi har tagit över Hemtjänst Kärra från Omsorg Väst AB. Från 1 juni drivs den av oss "
        "och byter då namn till Lindomsorg Hemtjänst Kärra. Blanketten för den nya enheten "
        "är bifogad.",
        "Övertagande",
        form={"typ_av_andring": ["Ny enhet"], "enhetens_namn": "Lindomsorg Hemtjänst Kärra"},
    )

    assert u.kind == "new_unit"
    assert u.units[0] == "Lindomsorg Hemtjänst Kärra"


def test_two_forms_for_two_new_units_are_both_read() -> None:
    first = {
        "typ_av_andring": ["Ny enhet"],
        "enhetens_namn": "Daglig verksamhet Tallen",
        "ansvarskod": "4711322",
        "startdatum": "2027-10-01",
        "ansvarig_chef_epost": "eva@goteborg.se",
    }
    second = first | {"enhetens_namn": "Daglig verksamhet Granen", "ansvarig_chef_epost": ""}
    # An older version of the first unit's form, less filled in, is no third unit.
    old = {"typ_av_andring": ["Ny enhet"], "enhetens_namn": "Daglig verksamhet Tallen"}
    raw = build_mail(
        "Hej! Vi startar två nya enheter, Daglig verksamhet Tallen och Daglig verksamhet "
        "Granen, den 1 oktober. Blanketterna bifogas.",
        subject="Två nya enheter",
        attachments=[
            ("Tallen.docx", DOCX, build_form(first)),
            ("Granen.docx", DOCX, build_form(second)),
            ("Tallen_gammal.docx", DOCX, build_form(old)),
        ],
    )

    u = understand(parse_mail(raw))

    assert u.form is not None and u.form.enhetens_namn == "Daglig verksamhet Tallen"
    assert [f.enhetens_namn for f in u.other_forms] == ["Daglig verksamhet Granen"]


@pytest.mark.parametrize(
    ("filename", "kind"),
    [
        ("Avslut_Daglig_verksamhet_Lyktan_2027-03-31.pdf", "close_unit"),
        ("Faktura november.pdf", "other"),
    ],
)
def test_a_bare_text_is_read_with_its_attachments_names(filename: str, kind: str) -> None:
    raw = build_mail(
        "Se bifogat.\n\nMvh Eva",
        subject="Brev",
        date=NOVEMBER_20,
        attachments=[(filename, "application/pdf", b"%PDF-1.4 ...")],
    )

    u = understand(parse_mail(raw))

    assert u.kind == kind
    if kind != "other":
        # The file itself is not read: EKU looks before anything is ordered.
        assert u.unsure


def test_an_ansvarskod_given_after_a_contrast() -> None:
    u = read(
        "Vi startar Daglig verksamhet Ek 1 mars 2027. Ansvarskoden hade jag inte när jag "
        "skrev blanketten, men den är 4713189.",
        "Ny enhet",
        date=NOVEMBER_20,
    )

    assert u.ansvarskod == "4713189"


def test_the_form_of_the_unit_the_mail_names_is_the_one_it_sends() -> None:
    stray = {"typ_av_andring": ["Övriga ändringar"], "enhetens_namn": "Daglig verksamhet Sörby"}
    mine = {
        "typ_av_andring": ["Ny enhet"],
        "enhetens_namn": "Daglig verksamhet Ek",
        "startdatum": "2027-03-01",
    }
    raw = build_mail(
        "Vi öppnar Daglig verksamhet Ek den 1 mars 2027. Blanketten bifogas.",
        subject="Ny enhet Daglig verksamhet Ek",
        date=NOVEMBER_20,
        attachments=[
            ("Sörby.docx", DOCX, build_form(stray)),
            ("Ek.docx", DOCX, build_form(mine)),
        ],
    )

    u = understand(parse_mail(raw))

    assert u.form is not None and u.form.enhetens_namn == "Daglig verksamhet Ek"
    assert u.other_forms == ()


@pytest.mark.parametrize(
    "sentence",
    [
        "Ansvarskoden skickar jag så snart budgeten för 2027 är fastställd.",
        "Ansvarskod meddelar vi när ekonomi har lagt upp den inför 2027.",
    ],
)
def test_an_ansvarskod_promised_is_none_given(sentence: str) -> None:
    u = read(
        "Hemtjänst Ek och Hemtjänst Ask slås samman den 1 mars 2027. Hemtjänst Ask finns kvar "
        f"och behåller sitt namn. {sentence}",
        "Sammanslagning",
        date=NOVEMBER_20,
    )

    assert u.ansvarskod is None


def test_a_new_providers_checklist_mail_with_a_new_unit_form_and_no_day_is_onboarding() -> None:
    u = read(
        "Tack för ett bra uppstartsmöte! Här kommer vårt försäkringsbrev och blanketten "
        "Verksamhetsuppgifter med uppgifterna till Jämför service. IT-kontaktperson blir "
        "Mattias Rönn, mattias@lindomsorg.se.",
        "Försäkringsbrev och verksamhetsuppgifter – Lind Omsorg AB",
        date=NOVEMBER_20,
        sender=PRIVATE,
        form={"typ_av_andring": ["Ny enhet"], "enhetens_namn": "Lind Omsorg Hemtjänst"},
    )

    assert u.kind == "onboarding"


def test_a_new_providers_checklist_mail_that_starts_its_unit_on_a_day_is_a_new_unit() -> None:
    u = read(
        "Vi har varit på uppstartsmötet och skickar försäkringsbrevet och blanketten "
        "Verksamhetsuppgifter. Vi startar vår enhet Lind Omsorg Hemtjänst och vill kunna väljas "
        "från den 1 mars 2027.",
        "Försäkringsbrev och verksamhetsuppgifter – Lind Omsorg AB",
        date=NOVEMBER_20,
        sender=PRIVATE,
        form={
            "typ_av_andring": ["Ny enhet"],
            "enhetens_namn": "Lind Omsorg Hemtjänst",
            "startdatum": "2027-03-01",
        },
    )

    assert (u.kind, u.effective_date) == ("new_unit", dt.date(2027, 3, 1))


def test_the_text_that_corrects_the_forms_date_wins() -> None:
    u = read(
        "Bifogar blanketten för Hemtjänst Ek. Observera att datumet i blanketten inte längre "
        "stämmer: vi öppnar för val den 1 april 2027, inte den 1 mars.",
        "Hemtjänst Ek – blankett",
        date=NOVEMBER_20,
        form={
            "typ_av_andring": ["Ny enhet"],
            "enhetens_namn": "Hemtjänst Ek",
            "startdatum": "2027-03-01",
        },
    )

    assert (u.kind, u.effective_date) == ("new_unit", dt.date(2027, 4, 1))


def test_a_merge_ticked_on_the_form_takes_the_texts_words_about_one_unit() -> None:
    u = read(
        "Här är blanketten. Verkstaden blir kvar men får ett nytt namn, och caféets deltagare "
        "flyttar in där.",
        "Blankett Ek",
        date=NOVEMBER_20,
        form={
            "typ_av_andring": ["Sammanslagning", "Namnändring"],
            "enhetens_namn": "Daglig verksamhet Ek Kvarteret",
            "tidigare_namn": "Daglig verksamhet Ek Verkstad, Daglig verksamhet Ek Café",
            "startdatum": "2027-01-18",
        },
    )

    assert (u.kind, u.unsure, u.new_name) == ("merge_units", None, "Daglig verksamhet Ek Kvarteret")


def test_one_form_per_unit_makes_every_forms_unit_one_of_the_change() -> None:
    raw = build_mail(
        "Här kommer blanketterna för de två verksamheterna, en blankett per enhet.",
        subject="Två blanketter",
        date=NOVEMBER_20,
        attachments=[
            (
                "Ek.docx",
                DOCX,
                build_form(
                    {
                        "typ_av_andring": ["Ny enhet"],
                        "enhetens_namn": "Daglig verksamhet Ek",
                        "startdatum": "2027-03-01",
                    }
                ),
            ),
            (
                "Ask.docx",
                DOCX,
                build_form(
                    {
                        "typ_av_andring": ["Ny enhet"],
                        "enhetens_namn": "Daglig verksamhet Ask",
                        "startdatum": "2027-03-01",
                    }
                ),
            ),
        ],
    )

    u = understand(parse_mail(raw))

    assert (u.kind, list(u.units)) == (
        "new_unit",
        ["Daglig verksamhet Ek", "Daglig verksamhet Ask"],
    )


def test_the_forms_unit_that_the_text_says_remains_is_no_new_name() -> None:
    u = read(
        "Från den 1 februari 2027 går Tuvegruppen upp i Backa, så vi har bara en enhet på "
        "norra Hisingen. Backa behåller sitt namn. Blanketten bifogas.",
        "Tuve och Backa",
        date=NOVEMBER_20,
        sender=PRIVATE,
        form={
            "typ_av_andring": ["Sammanslagning"],
            "enhetens_namn": "Lind Omsorg Hemtjänst Backa",
            "tidigare_namn": "Lind Omsorg Hemtjänst Tuve",
            "startdatum": "2027-02-01",
        },
    )

    assert (u.kind, u.new_name, list(u.units), u.merge_remaining_stated) == (
        "merge_units",
        None,
        ["Lind Omsorg Hemtjänst Tuve", "Lind Omsorg Hemtjänst Backa"],
        True,
    )


@pytest.mark.parametrize(
    ("description", "ticked", "kind"),
    [
        (
            "Enheten läggs ned. Sista öppetdag är den 31 mars 2027; brukarna har fått hjälp "
            "att välja en ny utförare.",
            ["Övriga ändringar"],
            "close_unit",
        ),
        (
            "Från 1 april 2027 heter enheten Lind Omsorg Hemtjänst Väster.",
            ["Övriga ändringar"],
            "rename_unit",
        ),
        ("Vi har inga lediga platser från och med 1 april 2027.", [], "capacity_full"),
        # A description that describes, and announces nothing: the box decides.
        (
            "Vi ger hemtjänst i hela Askim med fokus på trygghet och kontinuitet.",
            ["Övriga ändringar"],
            "update_details",
        ),
        # A closing only weighed in the description is not read as decided.
        (
            "Vi funderar på om enheten ska läggas ned till sommaren.",
            ["Övriga ändringar"],
            "update_details",
        ),
    ],
)
def test_a_bare_mail_whose_form_describes_the_change_is_read_from_the_description(
    description: str, ticked: list[str], kind: str
) -> None:
    u = read(
        "Hej! Bifogar ifylld blankett.\nMvh Sara",
        "Lind Omsorg Hemtjänst Askim",
        date=NOVEMBER_20,
        sender=PRIVATE,
        form={
            "typ_av_andring": ticked,
            "enhetens_namn": "Lind Omsorg Hemtjänst Askim",
            "beskrivning": description,
            "startdatum": "2027-04-01",
        },
    )

    assert (u.kind, list(u.units)) == (kind, ["Lind Omsorg Hemtjänst Askim"])


def test_a_new_units_description_does_not_overrule_its_ticked_box() -> None:
    u = read(
        "Hej! Här kommer blanketten för vår nya enhet.\nMvh Sara",
        "Ny enhet",
        date=NOVEMBER_20,
        sender=PRIVATE,
        form={
            "typ_av_andring": ["Ny enhet"],
            "enhetens_namn": "Lind Omsorg Hemtjänst Askim",
            "beskrivning": "Vi tar över efter Hemtjänst Kullen, som läggs ned i mars.",
            "startdatum": "2027-04-01",
        },
    )

    assert u.kind == "new_unit"


def test_another_document_that_cannot_be_read_is_no_unreadable_form() -> None:
    raw = build_mail(
        "Hej! Här kommer vårt försäkringsbrev enligt checklistan från uppstartsmötet.",
        subject="Försäkringsbrev Lind Omsorg AB",
        date=NOVEMBER_20,
        sender=PRIVATE,
        attachments=[("Försäkringsbrev Lind Omsorg.doc", "application/msword", b"\xd0\xcf\x11")],
    )

    policy = SenderPolicy(trusted_domains=("goteborg.se", "lindomsorg.se"))
    line = analyse(raw, policy).line

    assert (line["kind"], line["status"], line["findings"]) == ("onboarding", "complete", [])


# Forms filled in as people fill them in (blind corpus sixtytwo).
def test_the_form_of_another_unit_is_not_the_new_units_form() -> None:
    raw = build_mail(
        "Hej!\n\nDaglig verksamhet Tallbacken startar som ny enhet 1 mars 2027. Ansvarskod "
        "4711640. Blanketten bifogas.\n\nMvh\nPer Holm\nEnhetschef för Eken och Tallbacken",
        subject="Ny enhet Daglig verksamhet Tallbacken",
        date=NOVEMBER_20,
        attachments=[
            (
                "Verksamhetsuppgifter.docx",
                DOCX,
                build_form(
                    {"typ_av_andring": ["Ny enhet"], "enhetens_namn": "Daglig verksamhet Eken"}
                ),
            )
        ],
    )

    line = analyse(raw, POLICY).line

    assert [f["code"] for f in line["findings"]] == ["missing_form"]
    assert "Daglig verksamhet Eken" in line["findings"][0]["evidence"]
    assert line["units"] == ["Daglig verksamhet Tallbacken"]


def test_a_merged_units_form_named_only_in_the_form_is_its_form() -> None:
    u = read(
        "Från 1 januari 2027 slår vi samman Lind Omsorg Hemtjänst Askim och Lind Omsorg "
        "Hemtjänst Hovås till en enhet. Uppgifterna om den sammanslagna enheten står i "
        "bifogad blankett.",
        "Sammanslagning",
        date=NOVEMBER_20,
        sender=PRIVATE,
        form={
            "typ_av_andring": ["Sammanslagning"],
            "enhetens_namn": "Lind Omsorg Hemtjänst Söder",
            "tidigare_namn": "Lind Omsorg Hemtjänst Askim, Lind Omsorg Hemtjänst Hovås",
        },
    )

    assert (u.kind, u.form is not None, u.stray_form) == ("merge_units", True, None)


@pytest.mark.parametrize("answer", ["samma som förut", "Samma som tidigare", "x", "oförändrat"])
def test_an_answer_that_points_elsewhere_is_no_answer(answer: str) -> None:
    u = read(
        "Hej! Vi startar Daglig verksamhet Tallbacken den 1 mars 2027. Blanketten bifogas.",
        "Ny enhet",
        date=NOVEMBER_20,
        form={
            "typ_av_andring": ["Ny enhet"],
            "enhetens_namn": "Daglig verksamhet Tallbacken",
            "ansvarig_chef": answer,
        },
    )

    assert u.form is not None and u.form.ansvarig_chef is None


def test_spelling_corrected_in_a_description_is_no_rename() -> None:
    u = read(
        "Vi har rättat stavningen i beskrivningen av Daglig verksamhet Eken i Jämför "
        "service. Kan ni uppdatera texten från 1 december?",
        "Beskrivning",
        date=NOVEMBER_20,
    )

    assert u.kind != "rename_unit"


# New providers getting started (blind corpus seventynine; sixty/20 read the same).
@pytest.mark.parametrize(
    ("start", "kind"),
    [("2027-03-01", "new_unit"), ("När vi blir valbara", "onboarding")],
)
def test_a_first_units_form_with_its_start_date_starts_the_unit(start: str, kind: str) -> None:
    u = read(
        "Vi skickar verksamhetsuppgifterna redan nu så att ni hinner titta på dem inför "
        "uppstartsmötet på tisdag. Blanketten gäller vår första enhet, Lind Omsorg Hemtjänst.",
        "Verksamhetsuppgifter inför uppstartsmötet",
        date=NOVEMBER_20,
        sender=PRIVATE,
        form={
            "typ_av_andring": ["Ny enhet"],
            "enhetens_namn": "Lind Omsorg Hemtjänst",
            "startdatum": start,
        },
    )

    assert u.kind == kind
