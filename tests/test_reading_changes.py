"""Which change, and of which unit: details, managers, parts of units, closings beside others, terse mail, tables.

Each test is a wording of our own for a class of misreading that a blind corpus (or issue 7)
found; none of these sentences is in a corpus. See tests/corpus/README.md for the corpora.
"""

from __future__ import annotations

import datetime as dt

import pytest
from mails import build_mail
from reading import NOVEMBER_20, POLICY, PRIVATE
from test_understand import read

from intake.pipeline import analyse
from parsers.mail import parse_mail
from parsers.mail_fields import fields_in_mail
from parsers.text import html_to_text
from parsers.understand import understand


# Class 1: a cue said of something else than the unit decides nothing.
@pytest.mark.parametrize(
    ("subject", "body", "kind"),
    [
        (
            "Ny växel",
            "Från 1 april når ni Daglig verksamhet Tornet på 031-555 10 10. "
            "Det gamla växelnumret upphör samma dag.",
            "update_details",
        ),
        (
            "Ändrad e-post",
            "Hemtjänst Gårda har fått en ny funktionsbrevlåda från 15 april: "
            "garda@goteborg.se. Den gamla brevlådan avslutas vid månadsskiftet.",
            "update_details",
        ),
        (
            "New phone number",
            "From 1 April the phone number of Daglig verksamhet Tornet is 031-555 10 10. "
            "The old line closes on the same day.",
            "update_details",
        ),
        (
            "Avveckling",
            "Daglig verksamhet Kastanjen avvecklas den 30 april. Brukarna har fått hjälp "
            "att hitta en ny daglig verksamhet.",
            "close_unit",
        ),
        (
            "Closing",
            "We are closing Daglig verksamhet Kastanjen on 30 April. All participants "
            "have found a new daily activity unit.",
            "close_unit",
        ),
        (
            "Tillförordnad chef",
            "Från 1 april är Omar Berg tillförordnad enhetschef för Daglig verksamhet "
            "Tornet. Jag är föräldraledig till 1 oktober.",
            "update_details",
        ),
        (
            "Acting manager",
            "Jonas Ek is acting manager of Daglig verksamhet Tornet from 1 April while I am "
            "on leave. I will be back on 1 October.",
            "update_details",
        ),
        (
            "Kapacitet",
            "Vi har varit fullbelagda sedan januari men kan ta emot nya deltagare igen från "
            "1 april på Daglig verksamhet Tornet.",
            "capacity_available",
        ),
        (
            "Capacity",
            "Daglig verksamhet Tornet is full until 31 March; from 1 April we can accept new "
            "participants again.",
            "capacity_available",
        ),
        (
            "Kapacitet",
            "Daglig verksamhet Tornet har nått sitt kapacitetstak från 1 april. Vi hör av oss "
            "så snart vi har lediga platser igen.",
            "capacity_full",
        ),
    ],
)
def test_a_cue_counts_only_when_it_is_said_of_the_unit(subject: str, body: str, kind: str) -> None:
    u = read(body, subject)

    assert u.kind == kind
    assert u.unsure is None


# Class 4, the mail's side: what the mail gives is not asked again from the form.
@pytest.mark.parametrize(
    ("text", "fields"),
    [
        (
            "Två rader blev tomma: enhetens telefonnummer blir 031-12 34 90, och enhetschef "
            "Lina Ek nås på lina.ek@solvikenomsorg.se.",
            {"telefon", "ansvarig_chef_epost"},
        ),
        ("Funktionsbrevlådan är tuppen@goteborg.se.", {"epost"}),
        ("The unit's phone number is 031-701 22 90.", {"telefon"}),
        ("Ring mig på 031-12 34 56 om ni undrar något.", set()),
        ("Vi öppnar den 1 april.", set()),
        (
            "Jag glömde fylla i e-postadressen till ansvarig chef. Per Holm nås på "
            "per.holm@goteborg.se.",
            {"ansvarig_chef_epost"},
        ),
    ],
)
def test_contact_fields_the_mail_gives(text: str, fields: set[str]) -> None:
    assert fields_in_mail(text) == fields


# The unit that takes over a closing unit's users goes on: it is not closed with it.
@pytest.mark.parametrize(
    "body",
    [
        "Daglig verksamhet Ugglan läggs ned den 31 mars. Deltagarna får plats på Daglig "
        "verksamhet Falken.",
        "Hemtjänst Ugglan upphör den 31 mars, därefter tar Hemtjänst Falken över alla brukare.",
        "Hemtjänst Ugglan avvecklas 31 mars och brukarna förs över till Hemtjänst Falken.",
    ],
)
def test_the_receiving_unit_is_not_closed(body: str) -> None:
    u = read(body, "Avveckling")

    assert (u.kind, u.units) == ("close_unit", (u.units[0],))
    assert "Ugglan" in u.units[0]


def test_html_table_cells_stay_apart() -> None:
    html = (
        "<table><tr><td><p>Nuvarande namn</p></td><td><p>Nytt namn</p></td></tr>"
        "<tr><td><p>Hemtjänst Ugglan</p></td><td><p>Hemtjänst Stenugglan</p></td></tr></table>"
    )

    assert html_to_text(html) == (
        "Nuvarande namn | Nytt namn\nHemtjänst Ugglan | Hemtjänst Stenugglan"
    )


def test_a_unit_added_to_the_change_in_a_sentence_of_its_own_is_kept() -> None:
    u = read("Vi stänger Hemtjänst Ugglan den 1 mars.\nDet gäller också Hemtjänst Falken.")

    assert (u.kind, u.units) == ("close_unit", ("Hemtjänst Ugglan", "Hemtjänst Falken"))


def test_a_rename_beside_a_move_is_not_a_contradiction() -> None:
    u = read(
        "Hemtjänst Kärra flyttar den 1 april till Kärravägen 4 och byter också namn till "
        "Hemtjänst Kärra Torg.",
        "Flytt och namnbyte",
    )

    assert (u.kind, u.also, u.unsure, u.new_name) == (
        "rename_unit",
        ("update_details",),
        None,
        "Hemtjänst Kärra Torg",
    )


def test_no_new_customers_and_a_closing_in_one_sentence() -> None:
    u = read("Hemtjänst Kärra tar inte emot nya brukare och läggs ned den 30 april.", "Avveckling")

    assert (u.kind, u.effective_date) == ("close_unit", dt.date(2027, 4, 30))
    # The address changes; nothing closes.
    assert read("Vi byter mejladress och stänger den 1 april.", "Info").kind == "update_details"


def test_a_unit_said_to_go_on_is_not_closed() -> None:
    u = read(
        "Jag ansvarar för Daglig verksamhet Ugglan och Daglig verksamhet Falken. Ugglan läggs "
        "ned den 30 april; Falken påverkas inte.",
        "Ugglan",
    )

    assert (u.kind, u.units) == ("close_unit", ("Daglig verksamhet Ugglan",))


def test_a_split_into_new_units_keeps_the_new_ones() -> None:
    u = read(
        "Daglig verksamhet Ugglan delas upp i två nya enheter från 1 juli:\n"
        "Daglig verksamhet Ugglan Snickeri\nDaglig verksamhet Ugglan Textil\n"
        "Daglig verksamhet Ugglan i nuvarande form upphör den 30 juni.",
        "Uppdelning",
    )

    assert u.kind == "new_unit"
    assert {"Daglig verksamhet Ugglan Snickeri", "Daglig verksamhet Ugglan Textil"} <= set(u.units)


@pytest.mark.parametrize(
    ("subject", "kind"),
    [
        ("Stängning DV Kastanjen 2027-05-31", "close_unit"),
        ("Tillfällig stängning DV Kastanjen 24-26 december", "other"),
    ],
)
def test_a_closing_named_as_a_noun_in_the_subject(subject: str, kind: str) -> None:
    assert read("Hej, enligt ämnesraden.", subject).kind == kind


@pytest.mark.parametrize(
    "body",
    [
        "En av våra deltagare har flyttat, så vi avslutar hans insats från och med 31 mars.",
        "Brukaren har fått plats på boende och vi avslutar uppdraget den 31 mars.",
        "Vi stänger ärendet hos oss nu.",
    ],
)
def test_a_persons_service_or_a_matter_that_ends_closes_no_unit(body: str) -> None:
    assert read(body, "Information").kind != "close_unit"


def test_the_last_day_in_the_old_premises_is_a_move() -> None:
    u = read(
        "Daglig verksamhet Skeppet flyttar till nya lokaler. Från och med 5 april är "
        "besöksadressen Varvsgatan 12. Sista dagen i de gamla lokalerna är 2 april.",
        "Skeppet flyttar",
    )

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2027, 4, 5))


# Round eighteen: an onboarding mail is about the provider, which has no unit yet.
@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Hej! Här kommer vårt försäkringsbrev.\n\nMvh\nLena\nNordljus Hemtjänst AB",
            "lena@nordljus.se",
            "Nordljus Hemtjänst",
        ),
        (
            "Vi på Mångfaldens Omsorg tackar för inbjudan till uppstartsmötet och kommer gärna.",
            "ali@mangfaldensomsorg.se",
            "Mångfaldens Omsorg",
        ),
    ],
)
def test_an_onboarding_mail_names_its_provider(body: str, sender: str, name: str) -> None:
    u = read(body, "Uppstart", sender=sender)

    assert u.kind == "onboarding"
    assert u.units == (name,)


def test_did_you_get_my_mail_about_states_what_it_was_about() -> None:
    u = read(
        "Har ni fått mitt mejl om att Hemtjänst Högsbo Centrum stänger 31 maj? Jag har inte "
        "fått någon bekräftelse.",
        "Har ni fått mitt mejl?",
    )

    assert (u.kind, u.effective_date) == ("close_unit", dt.date(2027, 5, 31))


@pytest.mark.parametrize(
    "body",
    [
        "Daglig verksamhet Tornet stänger 24 december–6 januari.",
        "Vi har stängt Daglig verksamhet Tornet v. 52-53.",
        "Daglig verksamhet Tornet är stängd 1/7 till 31/7.",
    ],
)
def test_a_closing_for_a_period_ends_no_unit(body: str) -> None:
    assert read(body, "Information", date=NOVEMBER_20).kind != "close_unit"


@pytest.mark.parametrize(
    "body",
    [
        "Grupp Blå inom Daglig verksamhet Tornet avslutas vid årsskiftet. Deltagarna går "
        "över till Grupp Grön.",
        "trädgårdsgruppen på Daglig verksamhet Tornet avslutas vid årsskiftet.",
        "Kvällsverksamheten på Daglig verksamhet Tornet läggs ned från 1 januari.",
        "Vi avslutar Grupp Blå på Daglig verksamhet Tornet den 31 december.",
        "Vi startar en ny grupp för unga vuxna på Daglig verksamhet Tornet den 1 mars.",
    ],
)
def test_a_part_of_the_unit_that_starts_or_ends_changes_no_unit(body: str) -> None:
    # The systems know units, not their groups: EKU reads it (kind other).
    assert read(body, "Information", date=NOVEMBER_20).kind == "other"


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("Daglig verksamhet Tornet stänger den 31 januari.", "close_unit"),
        ("Hemtjänstgruppen Gårda stänger den 31 januari.", "close_unit"),
        (
            "I ledningsgruppen har vi beslutat att Daglig verksamhet Tornet stänger 31 januari.",
            "close_unit",
        ),
        ("Vi startar en ny hemtjänstgrupp, Hemtjänst Gårda, den 1 mars.", "new_unit"),
    ],
)
def test_a_group_that_is_the_unit_or_decides_is_no_part(body: str, kind: str) -> None:
    u = read(body, "Information", date=NOVEMBER_20)

    assert (u.kind, u.unsure) == (kind, None)


@pytest.mark.parametrize(
    ("subject", "body", "date"),
    [
        (
            "Uppdatering språk",
            "Från och med 1 december talar personalen i Hemtjänst Gårda följande språk:\n"
            "- svenska\n- arabiska\n- dari (nytt)",
            dt.date(2026, 12, 1),
        ),
        (
            "Languages",
            "From 1 December the staff of Daglig verksamhet Oak speak the following "
            "languages: Swedish, Polish and Tigrinya.",
            dt.date(2026, 12, 1),
        ),
        (
            "New web address",
            "As of December 1st, Daglig verksamhet Oak has a new website: https://oak.se. "
            "The old address (oak.wixsite.com) will be shut down at the same time.",
            dt.date(2026, 12, 1),
        ),
        (
            "Ny chef",
            "jag glömde visst att meddela er: sedan 1 november är jag, Robert Sandström, "
            "enhetschef för Daglig verksamhet Bagarstugan.",
            dt.date(2026, 11, 1),
        ),
        (
            "New unit manager",
            "From 1 December, Anna Petrov takes over as unit manager for Hemtjänst Askim. She "
            "can be reached at anna.petrov@example.com.",
            dt.date(2026, 12, 1),
        ),
    ],
)
def test_details_said_in_other_words(subject: str, body: str, date: dt.date) -> None:
    u = read(body, subject, date=NOVEMBER_20)

    assert (u.kind, u.effective_date) == ("update_details", date)


def test_a_persons_own_new_number_is_no_change_of_the_unit() -> None:
    u = read(
        "Jag vill bara meddela att jag har fått ett nytt mobilnummer i tjänsten: 072-533 18 40. "
        "Jag är administratör på Lundby Omsorg och sköter fakturor. Enheternas telefonnummer "
        "och allt annat är som förut.",
        "Nytt mobilnummer",
        sender="sara@lundbyomsorg.se",
        date=NOVEMBER_20,
    )

    assert u.kind == "other"


@pytest.mark.parametrize(
    "title", ["Biträdande enhetschef", "Tf. enhetschef", "Acting unit manager"]
)
def test_a_stand_in_title_in_the_signature_is_no_change(title: str) -> None:
    u = read(
        "Hej! Jag undrar om ni har fått vår faktura för oktober. Den skickades den 3 november.\n\n"
        f"Lena Ek\n{title}\nHemtjänst Kortedala\n031-123 45 67",
        "Fråga om faktura",
        date=NOVEMBER_20,
    )

    assert u.kind == "other"


def test_a_stand_in_announced_in_the_text_is_still_a_change() -> None:
    u = read(
        "Från 1 december är Per Lind tillförordnad enhetschef för Hemtjänst Kortedala.",
        "Ny chef",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2026, 12, 1))


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (
            "Information",
            "Daglig verksamhet Ankaret har sin sista öppetdag den 29 januari 2027. Sedan är "
            "dörrarna stängda för gott.",
        ),
        (
            "Closing",
            "Daglig verksamhet Ankaret will be closed for good after 29 January 2027.",
        ),
        (
            "Information om Ankaret",
            "Efter den 29 januari 2027 bedrivs ingen verksamhet längre i Daglig verksamhet "
            "Ankaret.",
        ),
    ],
)
def test_a_closing_said_without_a_word_for_closing(subject: str, body: str) -> None:
    u = read(body, subject, date=NOVEMBER_20)

    assert (u.kind, u.units) == ("close_unit", ("Daglig verksamhet Ankaret",))


def test_a_reply_naming_only_the_remaining_unit_keeps_the_merged_ones() -> None:
    u = read(
        "Hej igen! Ansvarskoden är 4471200. Det är Daglig verksamhet Sländan som blir kvar, "
        "och den byter namn till Daglig verksamhet Trollsländan samma dag.\n\n"
        "Från: LOV\nSkickat: den 10 november 2026\n\n"
        "Vi behöver veta vilken enhet som blir kvar.\n\n"
        "Från: Eva Berg\n\n"
        "Daglig verksamhet Sländan och Daglig verksamhet Humlan slås ihop den 1 mars 2027.",
        "SV: Sammanslagning Sländan och Humlan",
        date=NOVEMBER_20,
    )

    assert u.kind == "merge_units"
    assert set(u.units) == {"Daglig verksamhet Sländan", "Daglig verksamhet Humlan"}


def test_each_row_of_a_table_of_changes_is_a_change_of_its_own() -> None:
    u = read(
        "Hej! Här är vårens förändringar:\n\n"
        "Enhet\tFörändring\tFrån\n"
        "Hemtjänst Kvillebäcken\tNytt namn: Hemtjänst Kvillestaden\t2027-02-01\n"
        "Hemtjänst Ringön\tEnheten läggs ned, sista dag\t2027-02-28\n\n"
        "Hälsningar\nOmrådeschef Hisingen",
        "Förändringar i vår",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("close_unit", dt.date(2027, 2, 28))
    assert "rename_unit" in u.also
    assert "Förändring" not in u.units
    assert "Hemtjänst Ringön" in u.units


@pytest.mark.parametrize(
    "body",
    [
        "Daglig verksamhet Näckrosen (som deltagarna kallar Rosen) tar inte emot fler "
        "deltagare från 1 december.",
        "Daglig verksamhet Näckrosen, där deltagarna odlar grönsaker, tar inte emot fler "
        "deltagare från 1 december.",
    ],
)
def test_a_remark_about_the_unit_does_not_take_its_verb(body: str) -> None:
    u = read(body, "Platser", date=NOVEMBER_20)

    assert (u.kind, u.units) == ("capacity_full", ("Daglig verksamhet Näckrosen",))


@pytest.mark.parametrize(
    "body",
    [
        "För kännedom: Daglig verksamhet Lyktan har stängt 24–26 december samt 31 december.",
        "Hemtjänst Majorna Kväll har stängt 24/12, övriga dagar som vanligt.",
    ],
)
def test_shut_on_some_days_is_no_closing(body: str) -> None:
    # "har stängt 24/12" is everyday Swedish for being shut that day; a unit closed from
    # it would be a wrong order to every system owner.
    u = read(body, "Jul", date=NOVEMBER_20)

    assert u.kind != "close_unit"


def test_a_unit_that_has_closed_down_is_a_closing_in_the_past() -> None:
    u = read(
        "Hemtjänst Majorna Kväll har stängt ner den 16 november. Brukarna har nya utförare.",
        "Majorna Kväll",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("close_unit", dt.date(2026, 11, 16))


def test_a_start_said_as_a_noun_that_moves() -> None:
    u = read(
        "Vi behöver flytta öppningen av Daglig verksamhet Fyren från 1 februari till 1 april "
        "2027, lokalen blir inte klar.",
        "Fyren",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("new_unit", dt.date(2027, 4, 1))


def test_a_new_unit_is_not_the_senders_unit_in_the_signature() -> None:
    u = read(
        "Vi kommer att starta en ny daglig verksamhet i Angered under hösten 2027. Namnet är "
        "inte bestämt.\n\nMvh\nPer Ek\nEnhetschef Daglig verksamhet Hjällbo",
        "Ny verksamhet",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.units) == ("new_unit", ())


def test_how_a_named_person_is_reached_is_not_the_units_contact() -> None:
    u = read(
        "Vi har anställt en ekonom, Jonas Ek, som börjar 1 december.\n\nJonas nås på "
        "jonas.ek@lovgardet.se eller 031-44 55 66.",
        "Ny ekonom",
        sender="info@lovgardet.se",
        date=NOVEMBER_20,
    )

    assert u.kind == "other"


def test_a_change_in_a_remark_in_brackets_is_said_of_what_it_remarks_on() -> None:
    u = read(
        "Från 1 december har Hemtjänst Tuve en ny hemsida, www.tuvehemtjanst.se (den gamla, "
        "tuve-omsorg.se, stängs vid årsskiftet).",
        "Ny hemsida",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2026, 12, 1))


@pytest.mark.parametrize(
    "body",
    [
        "Från 1 december har Hemtjänst Tuve öppet 7–22. Kan ni ändra det i Jämför service?",
        "Hemtjänst Tuve har nu medarbetare som talar tigrinja. Vänligen lägg till det bland "
        "språken i Jämför service.",
        "Från 1 december kan Hemtjänst Tuve erbjuda insatser på polska.",
    ],
)
def test_what_the_sender_asks_to_have_changed_is_a_change_of_details(body: str) -> None:
    u = read(body, "Uppgifter", date=NOVEMBER_20)

    assert u.kind == "update_details"


def test_a_list_announced_by_a_colon_names_the_units_of_the_change() -> None:
    u = read(
        "När vi byter växel får två av våra grupper nya telefonnummer från 1 december:\n\n"
        "Hemtjänst Tuve – 031-366 10 10\nHemtjänst Säve – 031-366 10 20\n\nHälsningar",
        "Nya nummer hemtjänsten Norra Hisingen",
        date=NOVEMBER_20,
    )

    assert {"Hemtjänst Tuve", "Hemtjänst Säve"} <= set(u.units)


def test_a_persons_new_surname_is_no_rename_of_the_unit() -> None:
    u = read(
        "Jag har gift mig och heter från 1 december Berg i efternamn. Min nya mejladress är "
        "lisa.berg@goteborg.se. Kan ni ändra mina uppgifter som ansvarig chef i Jämför "
        "service?\n\nLisa Ek\nEnhetschef\nHemtjänst Tuve",
        "Namnbyte",
        date=NOVEMBER_20,
    )

    assert u.kind == "update_details"
    assert u.new_name is None


def test_a_companys_own_address_with_the_units_unchanged_is_no_change_of_a_unit() -> None:
    u = read(
        "Från 1 december har Solkust Omsorg AB ny fakturaadress: Box 12, 402 24 Göteborg. "
        "Våra enheters besöksadresser och telefonnummer är oförändrade.",
        "Ny fakturaadress",
        sender="info@solkust.se",
        date=NOVEMBER_20,
    )

    assert u.kind == "other"


def test_a_detail_that_changed_is_a_change_in_the_past() -> None:
    u = read(
        "Adressen ändrades redan 1 oktober – Hemtjänst Tuve sitter nu på Tuvevägen 5.",
        "SV: Stämmer era uppgifter?",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2026, 10, 1))


def test_a_split_starts_new_units() -> None:
    u = read(
        "Hemtjänst Tuve kommer att delas i två enheter från 1 april 2027, Hemtjänst Tuve "
        "Norra och Hemtjänst Tuve Södra. Tuve upphör när de nya startar.",
        "Delning",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("new_unit", dt.date(2027, 4, 1))


def test_a_closing_in_a_paragraph_of_its_own_beside_a_merge_keeps_its_notice() -> None:
    u = read(
        "Daglig verksamhet Ek slås samman med Daglig verksamhet Ask den 15 januari 2027. Ask "
        "finns kvar och behåller sitt namn. Ek upphör som egen enhet.\n\n"
        "Daglig verksamhet Lind stänger redan den 30 november 2026, lokalen är uppsagd.",
        "Förändringar",
        date=NOVEMBER_20,
    )

    assert u.kind == "merge_units"
    assert "close_unit" in u.also
    assert [c.effective_date for c in u.changes if c.kind == "close_unit"] == [
        dt.date(2026, 11, 30)
    ]


def test_part_of_a_reorganisation_is_not_part_of_a_unit() -> None:
    u = read(
        "Som en del av omorganisationen slås Hemtjänst Ek och Hemtjänst Ask samman till en "
        "enhet den 1 mars 2027. Den nya enheten heter Hemtjänst Lind.",
        "Sammanslagning",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.new_name) == ("merge_units", "Hemtjänst Lind")


def test_areas_merged_above_the_units_merge_no_unit() -> None:
    u = read(
        "Stadsdelarna Väster och Centrum inom äldreomsorgen slås samman till en stadsdel den "
        "1 mars 2027. Enheterna påverkas inte; Hemtjänst Ek och Hemtjänst Ask finns kvar som i "
        "dag.",
        "Organisation",
        date=NOVEMBER_20,
    )

    assert u.kind != "merge_units"


def test_who_acts_on_a_closing_is_not_what_closes() -> None:
    u = read(
        "Förvaltningen har beslutat att lägga ned Hemtjänst Ek den 31 mars 2027.",
        "Nedläggning",
        date=NOVEMBER_20,
    )

    assert (u.kind, list(u.units)) == ("close_unit", ["Hemtjänst Ek"])


def test_units_given_new_cost_codes_change_their_details() -> None:
    u = read(
        "Från 1 februari 2027 tilldelas Hemtjänst Ek och Hemtjänst Ask nya ansvarskoder: "
        "4521601 och 4521602.",
        "Ansvarskoder",
        date=NOVEMBER_20,
    )

    assert u.kind == "update_details"
    assert u.effective_date == dt.date(2027, 2, 1)


def test_old_numbers_that_close_are_no_closing() -> None:
    u = read(
        "Från och med 1 januari 2027 nås Hemtjänst Ek och Hemtjänst Ask på ett gemensamt "
        "nummer, 031-788 40 00, och de gamla direktnumren stängs samtidigt.",
        "Nytt telefonnummer",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.also) == ("update_details", ())


def test_a_stand_in_who_ends_his_term_closes_nothing() -> None:
    u = read(
        "Jag är tillbaka efter min ledighet från och med måndag 7 december 2026. Victor Lind, "
        "som har vikarierat som enhetschef för Hemtjänst Ek, avslutar då sitt förordnande.",
        "Åter i tjänst",
        date=NOVEMBER_20,
    )

    assert u.kind != "close_unit"


@pytest.mark.parametrize(
    "body",
    [
        "Från och med 1 januari 2027 blir Henrik Sjögren enhetschef för både Hemtjänst Ek och "
        "Hemtjänst Ask.",
        "Från och med 1 januari 2027 har Hemtjänst Ek två enhetschefer som delar på uppdraget: "
        "Anna Persson och Maria Nilsson.",
    ],
)
def test_a_manager_given_or_shared_is_a_change_of_manager(body: str) -> None:
    u = read(body, "Chef", date=NOVEMBER_20)

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2027, 1, 1))


def test_a_new_group_the_sender_says_is_no_new_unit_changes_the_units_details() -> None:
    u = read(
        "Från och med 1 februari 2027 startar vi en ny grupp inom Daglig verksamhet Ek, för "
        "unga vuxna med autism. Det är ingen ny enhet, utan samma enhet och ansvarskod som i "
        'dag. Lägg gärna till under särskilda kompetenser: "Autism, unga vuxna, digitalt '
        'skapande".',
        "Ny inriktning",
        date=NOVEMBER_20,
    )

    assert (u.kind, list(u.units)) == ("update_details", ["Daglig verksamhet Ek"])


def test_the_unit_left_out_of_a_change_is_not_its_unit() -> None:
    u = read(
        "Från måndag 11 januari 2027 kan alla våra enheter utom Daglig verksamhet Bagaregården "
        "ta emot nya deltagare. Ingen av enheterna har någon kö. Det betyder att Kviberg och "
        "Redbergslid kan bli valbara igen. Bagaregården är fortfarande fullbelagd.",
        "Lediga platser",
        date=NOVEMBER_20,
        sender="sara@lind.se",
    )

    assert (u.kind, list(u.units), u.queue_evidence) == (
        "capacity_available",
        ["Kviberg", "Redbergslid"],
        None,
    )


def test_new_managers_in_the_plural_are_a_change_of_managers() -> None:
    u = read(
        "Efter omorganisationen får tre enheter nya enhetschefer från och med måndag 4 januari "
        "2027:\nHemtjänst Ek – Karin Dahl\nHemtjänst Ask – Mikael Rosén\nHemtjänst Alm – Karin "
        "Dahl",
        "Chefsbyten",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date, len(u.units)) == ("update_details", dt.date(2027, 1, 4), 3)


def test_a_providers_next_unit_by_its_ordinal_is_a_new_unit() -> None:
    u = read(
        "I februari öppnar vi en fjärde verksamhet, Lind Verkstaden, på Ringögatan 12. "
        "Deltagare kan välja Verkstaden från och med måndag 15 februari 2027.",
        "Nyheter",
        date=NOVEMBER_20,
        sender="mirja@lind.se",
    )

    assert (u.kind, u.effective_date) == ("new_unit", dt.date(2027, 2, 15))


def test_a_manager_back_from_leave_is_a_change_of_manager() -> None:
    u = read(
        "Jag är tillbaka efter min föräldraledighet och går åter in som enhetschef för "
        "Hemtjänst Ek från och med måndag 7 december 2026. Kan ni byta tillbaka till mig?",
        "Åter i tjänst – Hemtjänst Ek",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2026, 12, 7))


@pytest.mark.parametrize(
    ("sender", "kind"),
    [("hampus.lilja@funktionsstod.goteborg.se", "other"), (PRIVATE, "onboarding")],
)
def test_a_city_units_it_contact_is_no_onboarding(sender: str, kind: str) -> None:
    raw = build_mail(
        "Vår IT-kontaktperson Jonas Ek har gått i pension. Ny IT-kontaktperson blir Eva Berg, "
        "eva.berg@exempel.se.",
        subject="IT-kontaktperson",
        date=NOVEMBER_20,
        sender=sender,
    )

    assert analyse(raw, POLICY).understanding.kind == kind


@pytest.mark.parametrize(
    ("body", "subject", "kind", "day"),
    [
        (
            "Nytt nr 031-365 44 00 fr 14/12. Gamla (031-365 44 90) stängs 31/12.\n/Robert",
            "Tel DV Ek",
            "update_details",
            dt.date(2026, 12, 14),
        ),
        (
            "hej. dv solrosen stanger for gott, sista dag 31/12. socialsekr ar informerade. /ulla",
            "dv solrosen",
            "close_unit",
            dt.date(2026, 12, 31),
        ),
        (
            "Ny enh.chef fr 1/1: Sara Lund, sara.lund@exempel.se, 031-365 30 30.\n/Jan",
            "Chef Hemtjänst Ek",
            "update_details",
            dt.date(2027, 1, 1),
        ),
    ],
)
def test_terse_mail_is_read_as_written(body: str, subject: str, kind: str, day: dt.date) -> None:
    u = read(body, subject, date=NOVEMBER_20)

    assert (u.kind, u.effective_date) == (kind, day)


@pytest.mark.parametrize(
    ("body", "subject", "kind"),
    [
        ("Ledigt 2 pl fr 7/12 men 3 i kö, de går först. /Per", "Kliv DV Ek", "capacity_available"),
        (
            "2 deltagare har valt ny verksamhet → 2 lediga pl fr 14/12. Ingen kö.",
            "DV Ek",
            "capacity_available",
        ),
        ("Fullt hos oss fr.o.m. 14/12.\nMvh Reza, DV Ek", "Fullt", "capacity_full"),
        (
            "Startar 1/4, valbar samma dag. Blankett + ansv.kod nästa vecka.",
            "Ny enh. DV Ek",
            "new_unit",
        ),
        (
            "/Cecilia",
            "Vik. enh.chef HT Ek v.51 t.o.m. v.2: Per Ek, 031-365 12 00",
            "update_details",
        ),
    ],
)
def test_terse_mail_says_its_kind_in_short(body: str, subject: str, kind: str) -> None:
    assert read(body, subject, date=NOVEMBER_20).kind == kind


def test_a_forwarders_correction_of_the_unit_wins() -> None:
    raw = build_mail(
        "Hej EKU,\nvidarebefordrar från Linnea. Rättelse från mig: det gäller Hemtjänst Ask, "
        "inte Ek – Linnea skrev fel enhet. Ek tar emot som vanligt.\nCamilla\n\n"
        "Från: Linnea\nSkickat: den 19 november 2026 17:05\nÄmne: Inga lediga platser\n\n"
        "Hemtjänst Ek har inga lediga platser från och med 14 december 2026.",
        subject="VB: Inga lediga platser från 14/12",
        date=NOVEMBER_20,
    )

    u = understand(parse_mail(raw))

    assert (u.kind, list(u.units)) == ("capacity_full", ["Hemtjänst Ask"])


def test_a_new_unit_sent_with_the_providers_papers_is_no_contradiction() -> None:
    u = read(
        "Lind Omsorg Hemtjänst Askim, vår första enhet, startar den 1 april 2027.\nBifogar "
        "verksamhetsuppgifter och försäkringsbrev.",
        "Ny enhet Lind Omsorg Hemtjänst Askim",
        date=NOVEMBER_20,
        sender=PRIVATE,
    )

    assert (u.kind, u.unsure) == ("new_unit", None)


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (
            "Closing our Angered office / ny adress",
            "We are closing our office at Storgatan 2 on December 18th. Vi lägger inte ner "
            "verksamheten, vi flyttar bara kontoret. From Monday 21 December 2026 the new "
            "besöksadress of Lind Omsorg Hemtjänst Askim is Torget 4. Kan ni uppdatera "
            "adressen i Jämför service?",
        ),
        (
            "Ny adress",
            "Vi stänger vårt kontor på Storgatan 2 den 18 december. Från 21 december 2026 har "
            "Lind Omsorg Hemtjänst Askim ny besöksadress: Torget 4.",
        ),
    ],
)
def test_an_office_that_closes_is_a_move(subject: str, body: str) -> None:
    u = read(body, subject, date=NOVEMBER_20, sender=PRIVATE)

    assert (u.kind, u.unsure) == ("update_details", None)


# Changes of details and what only resembles them (blind corpus sixtynine).
@pytest.mark.parametrize(
    "body",
    [
        "En av våra brukare, Gösta Nilsson, flyttar till en ny adress från och med 1 april: "
        "Storgatan 14. Behöver vi meddela er det?",
        "Vår kund, Eva Ek (19420315-2147), har fått ett nytt telefonnummer från 1 april.",
    ],
)
def test_a_customer_named_in_apposition_is_whom_the_change_is_said_of(body: str) -> None:
    assert read(body, "Fråga", date=NOVEMBER_20, sender=PRIVATE).kind == "other"


def test_an_address_in_apposition_before_and_starts_a_clause_of_its_own() -> None:
    u = read(
        "Daglig verksamhet Tornet flyttar den 1 mars 2027 till Storgatan 5, 411 38 Göteborg, "
        "och byter samtidigt namn till Daglig verksamhet Tornet Centrum.",
        "Flytt och namnbyte",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.new_name, u.unsure) == (
        "rename_unit",
        "Daglig verksamhet Tornet Centrum",
        None,
    )


@pytest.mark.parametrize(
    "body",
    [
        "På grund av ett fel hos vår operatör går det i dag inte att ringa Hemtjänst Lind på "
        "031-55 32 10. Tills felet är åtgärdat nås vi på 072-160 44 10. Ingen ändring behövs "
        "i Jämför service.",
        "Our phone line at Hemtjänst Lind is down today. Until it is fixed, please call "
        "072-160 44 10. No changes are needed in Jämför service.",
        "Hemtjänst Lind nås på 072-160 44 10 i dag, växeln har problem. Ni behöver inte "
        "ändra något.",
    ],
)
def test_a_detail_the_sender_says_is_not_to_be_changed_is_news_only(body: str) -> None:
    assert read(body, "Driftstörning", date=NOVEMBER_20, sender=PRIVATE).kind == "other"


def test_no_other_changes_needed_leaves_the_change_of_details() -> None:
    u = read(
        "Hemtjänst Lind får nytt telefonnummer från 1 april: 031-55 32 11. Inga andra "
        "ändringar behövs.",
        "Nytt nummer",
        date=NOVEMBER_20,
        sender=PRIVATE,
    )

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2027, 4, 1))


# Several units, several things (blind corpus seventy).
def test_an_answer_that_denies_the_merge_asked_about_keeps_its_closing() -> None:
    u = read(
        "Nej, någon sammanslagning blir det inte. Hemtjänst Ek och Hemtjänst Ask fortsätter "
        "som vanligt. Det som händer är att Hemtjänst Lind läggs ned, sista dag 30 april "
        "2027.\n\n"
        "Från: LOV\nSkickat: den 10 november 2026\nÄmne: Sammanslagning?\n\n"
        "Vi har hört att Hemtjänst Ek, Hemtjänst Ask och Hemtjänst Lind ska slås samman. "
        "Stämmer det?",
        "SV: Sammanslagning?",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.units, u.effective_date) == (
        "close_unit",
        ("Hemtjänst Lind",),
        dt.date(2027, 4, 30),
    )


# New providers and languages (blind corpora seventynine, eighty).
def test_a_new_unit_a_person_goes_over_to_is_no_new_unit_of_the_mail() -> None:
    u = read(
        "Från och med 1 april är Sara Lind ny enhetschef för Hemtjänst Bergsjön. Hon ersätter "
        "Nadia Ek, som går över till vår nya enhet i Kortedala.",
        "Ny enhetschef",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.units) == ("update_details", ("Hemtjänst Bergsjön",))


def test_starting_the_providers_service_in_a_place_is_a_new_unit() -> None:
    u = read(
        "Vi på Lind Omsorg AB vill starta vår hemtjänst i Torslanda den 1 augusti. Vad behöver "
        "vi skicka in förutom blanketten?",
        "Start",
        date=NOVEMBER_20,
        sender=PRIVATE,
    )

    assert (u.kind, u.effective_date) == ("new_unit", dt.date(2027, 8, 1))


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("Vi har stängt Daglig verksamhet Ek den 31 oktober.", "close_unit"),
        ("Daglig verksamhet Ek har stängt 24/12 och 31/12.", "other"),
    ],
)
def test_a_unit_the_sender_has_closed_is_a_closing(body: str, kind: str) -> None:
    assert read(body, "Information", date=NOVEMBER_20).kind == kind


def test_an_english_request_to_update_the_description_is_a_change_of_details() -> None:
    u = read(
        "We would like to update the description of Hemtjänst Ek in Jämför service. Please "
        "replace the current text with the text below.",
        "Updated description",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("update_details", None)


@pytest.mark.parametrize(
    ("quoted", "kind"),
    [("lena@gotahemomsorg.se", "onboarding"), ("eva.berg@aldrevardomsorg.goteborg.se", "other")],
)
def test_eku_forwarding_a_providers_insurance_letter_is_the_providers_onboarding(
    quoted: str, kind: str
) -> None:
    raw = build_mail(
        "Kom till min mejl, lägger det i LOV-lådan.\n/Malin\n\n"
        f"-----Ursprungligt meddelande-----\nFrån: Lena <{quoted}>\n"
        "Skickat: den 19 november 2026 14:55\nÄmne: Försäkringsbrev\n\n"
        "Hej Malin, bifogar försäkringsbrevet som vi pratade om.",
        subject="VB: Försäkringsbrev",
        date=NOVEMBER_20,
        sender="malin.fors@stadshuset.goteborg.se",
    )

    assert analyse(raw, POLICY).understanding.kind == kind


# Endings and structure (blind corpora eightythree, eightyfour).
@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (
            "Från och med 1 december stänger Daglig verksamhet Ek kl. 13.00 på fredagar. Kan ni "
            "ändra öppettiderna i Jämför service?",
            "update_details",
        ),
        (
            "Vi har nått vårt kapacitetstak. Vi stänger därför Hemtjänst Ek för nya kunder från "
            "och med måndag 23 november.",
            "capacity_full",
        ),
        (
            "Efter att vi stängde i Majorna har många kunder valt oss. Hemtjänst Ek kan därför "
            "inte ta emot nya kunder från 1 december.",
            "capacity_full",
        ),
        (
            "Snickargruppen på Daglig verksamhet Ek läggs ned från 1 december. Deltagarna "
            "fortsätter i våra andra grupper.",
            "other",
        ),
        (
            "Vi vill att beskrivningen i Jämför service för Daglig verksamhet Ek ändras från och "
            "med 1 december, eftersom köket stänger.",
            "update_details",
        ),
        (
            "Område Hisingen delas i två verksamhetsområden från 1 januari. Alla grupper behåller "
            "sina namn och ingen grupp slås samman eller delas.",
            "other",
        ),
    ],
)
def test_what_closes_or_merges_and_what_only_sounds_like_it(body: str, kind: str) -> None:
    assert read(body, "Information", date=NOVEMBER_20).kind == kind


def test_a_change_named_with_the_season_it_happened_is_history() -> None:
    u = read(
        "Efter sammanslagningen i våras har Hemtjänst Ek haft tillförordnad chef. Från och med "
        "1 december är Sara Holm ordinarie enhetschef.",
        "Ny enhetschef",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2026, 12, 1))


def test_the_new_unit_of_a_merge_is_no_new_unit_and_ampersands_join_names() -> None:
    u = read(
        "Från och med 1 mars 2027 slås Daglig verksamhet Café & Bageri Ek och Daglig verksamhet "
        "Trädgård & Odling Ek samman. Den nya enheten heter Daglig verksamhet Ekgården. Ingen "
        "av de nuvarande enheterna finns kvar.",
        "Sammanslagning",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.new_name) == ("merge_units", "Daglig verksamhet Ekgården")
    assert set(u.units) == {
        "Daglig verksamhet Café & Bageri Ek",
        "Daglig verksamhet Trädgård & Odling Ek",
    }


@pytest.mark.parametrize(
    ("body", "sender", "unit"),
    [
        (
            "Kvibergs Verkstad upphör den 31 mars 2027, när vårt kontrakt för daglig verksamhet "
            "löper ut.\n\nHälsningar\nHelena\nKvibergs Verkstad AB\nKvibergs Park, hus 14",
            "helena@kvibergsverkstad.se",
            "Kvibergs Verkstad",
        ),
        (
            "Gröna Dalen daglig verksamhet läggs ned. Sista dagen är 30 november.\n\n"
            "Hälsningar\nPeter\nGröna Dalen AB\nTrädgård – daglig verksamhet enligt LSS",
            "peter@gronadalen.se",
            "Gröna Dalen",
        ),
        (
            "Från den 1 december har Ateljé Mångfald en ledig plats.\n\nHälsningar\nEva\n"
            "Mångfald Daglig Verksamhet i Göteborg AB",
            "eva@mangfald.se",
            "Ateljé Mångfald",
        ),
    ],
)
def test_the_unit_the_text_names_outweighs_the_signatures_words(
    body: str, sender: str, unit: str
) -> None:
    assert read(body, "Ändring", date=NOVEMBER_20, sender=sender).units == (unit,)


def test_a_place_renamed_before_the_unit_is_not_the_units_new_name() -> None:
    u = read(
        "Nämnden har beslutat att Brunnsbotorget ska heta Backa Torg. Vi följer med, så Daglig "
        "verksamhet Brunnsbotorget byter namn till Daglig verksamhet Backa Torg från 1 mars 2027.",
        "Namnändring",
        date=NOVEMBER_20,
    )

    assert u.new_name == "Daglig verksamhet Backa Torg"


# The three ordinary corpora run against the final code (eightysix–eightyeight).
@pytest.mark.parametrize(
    ("body", "day"),
    [
        (
            "Kan ni lägga till somaliska och tigrinja under språk för Hemtjänst Ek från och med "
            "1 december?",
            dt.date(2026, 12, 1),
        ),
        (
            "Hemtjänst Ek har anställt personal som talar somaliska. Vi vill gärna att språken "
            "läggs till i Jämför service från och med 1 december.",
            dt.date(2026, 12, 1),
        ),
        ("Vi skulle vilja byta beskrivningen av Hemtjänst Ek i Jämför service till den här.", None),
    ],
)
def test_languages_and_a_description_to_be_changed_are_details(body: str, day: object) -> None:
    u = read(body, "Uppdatering", date=NOVEMBER_20)

    assert (u.kind, u.effective_date) == ("update_details", day)


def test_we_have_not_changed_name_or_address_is_no_change() -> None:
    u = read(
        "Vi har inte bytt namn eller adress för Hemtjänst Ek, och jag är fortfarande "
        "enhetschef. Ni behöver alltså inte ändra något.",
        "SV: Kontroll av uppgifter",
        date=NOVEMBER_20,
    )

    assert u.kind == "other"
