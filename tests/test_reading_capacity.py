"""Capacity, said in many ways: full, free again, stops, queues, ceilings.

Each test is a wording of our own for a class of misreading that a blind corpus (or issue 7)
found; none of these sentences is in a corpus. See tests/corpus/README.md for the corpora.
"""

from __future__ import annotations

import datetime as dt

import pytest
from reading import NOVEMBER_20, PRIVATE
from test_understand import read

from parsers.understand import STOCKHOLM


# Capacity, said in many ways: the state the mail announces, and whether a queue remains.
@pytest.mark.parametrize(
    ("body", "kind", "queue"),
    [
        (
            "Daglig verksamhet Parken has been full since January. We will be able to take "
            "new clients again from 1 April.",
            "capacity_available",
            False,
        ),
        (
            "Daglig verksamhet Parken will not accept new participants from 1 April.",
            "capacity_full",
            False,
        ),
        ("Daglig verksamhet Parken has one vacancy from 1 April.", "capacity_available", False),
        (
            "Daglig verksamhet Parken has one vacancy from 1 April. Three people are on our "
            "waiting list.",
            "capacity_available",
            True,
        ),
        ("Vi har nått taket på DV Parken, 18 deltagare, från 1 april.", "capacity_full", False),
        ("DV Parken har inga platser kvar från 1 april.", "capacity_full", False),
        ("DV Parken kan ta emot två nya deltagare från 1 april.", "capacity_available", False),
        (
            "Från 1 april har DV Parken en ledig plats igen. Ingen står i kö.",
            "capacity_available",
            False,
        ),
        (
            "DV Parken har en ledig plats från 1 april, men två personer väntar i kön och jag "
            "vet inte om det spelar roll.",
            "capacity_available",
            True,
        ),
        ("Intagsstoppet för Hemtjänst Askim hävs från 1 april.", "capacity_available", False),
        (
            "DV Parken har lediga platser från 1 april, men kön är inte tom.",
            "capacity_available",
            True,
        ),
        (
            "Väntelistan till Daglig verksamhet Parken är nu slut, så vi har två lediga "
            "platser från 1 april.",
            "capacity_available",
            False,
        ),
    ],
)
def test_capacity_is_read_by_what_it_says(body: str, kind: str, queue: bool) -> None:
    u = read(body, "Kapacitet")

    assert (u.kind, u.effective_date, u.unsure) == (kind, dt.date(2027, 4, 1), None)
    assert (u.queue_evidence is not None) == queue


def test_not_valbar_because_of_a_queue_does_not_compete_with_free_places() -> None:
    u = read(
        "En av deltagarna på Daglig verksamhet Parken slutar, så en plats blir ledig från "
        "1 april. Två personer står dock i kö hos oss, så vi är inte valbara ännu.",
        "Ledig plats Daglig verksamhet Parken",
    )

    assert (u.kind, u.unsure) == ("capacity_available", None)
    assert u.queue_evidence is not None


def test_a_stop_for_a_period_is_full_from_its_first_day() -> None:
    u = read(
        "Daglig verksamhet Ugglan tar inte emot nya deltagare 8–19 mars 2027 på grund av "
        "flytt. Från 22 mars tar vi emot nya igen.",
        "Intagsstopp",
    )

    assert (u.kind, u.also, u.effective_date) == (
        "capacity_full",
        ("capacity_available",),
        dt.date(2027, 3, 8),
    )


# A third blind corpus (tests/corpus/eleven) found these; again in wordings of our own.


@pytest.mark.parametrize(
    "body",
    [
        "Hemtjänst Kärra har inte kapacitet att ta emot fler brukare från 1 april.",
        "Daglig verksamhet Ugglan saknar lediga platser från 1 april.",
        "Hemtjänst Kärra har ingen kapacitet kvar för nya kunder från 1 april.",
        "Hemtjänst Kärra has no capacity left for new clients from 1 April.",
    ],
)
def test_capacity_said_not_to_be_there_is_full(body: str) -> None:
    assert read(body, "Kapacitet").kind == "capacity_full"


def test_a_vague_time_is_no_date_for_capacity() -> None:
    u = read("Daglig verksamhet Ugglan kan ta emot nya deltagare igen till påsk.", "Platser")

    assert (u.kind, u.effective_date) == ("capacity_available", None)


@pytest.mark.parametrize(
    "body",
    [
        "Vi på Daglig verksamhet Lunden är full nu och kan inte ta emot ny deltagare.",
        "Enheten Daglig verksamhet Lunden är full. Vi kan inte ta emot deltagare just nu.",
    ],
)
def test_full_as_a_second_language_writes_it(body: str) -> None:
    assert read(body, "platser").kind == "capacity_full"


def test_a_full_period_then_free_again_is_two_changes() -> None:
    u = read(
        "Daglig verksamhet Solkatten kan inte ta emot nya brukare under perioden 21 mars "
        "2027 – 10 april 2027. Från och med 11 april 2027 kan vi ta emot nya brukare igen.",
        "Inget intag under påsken",
    )

    assert (u.kind, u.also, u.effective_date) == (
        "capacity_full",
        ("capacity_available",),
        dt.date(2027, 3, 21),
    )
    assert [c.effective_date for c in u.changes] == [dt.date(2027, 3, 21), dt.date(2027, 4, 11)]


def test_full_again_in_a_reply_overrides_the_quoted_free_places() -> None:
    u = read(
        "Vi har fått fyra nya uppdrag denna vecka och är från och med i dag fullbelagda igen. "
        "Vi ska alltså INTE bli valbara den 1 april.\n\nFrån: LOV\nÄmne: Ledig kapacitet\n\n"
        "> Daglig verksamhet Ljungdala har ledig kapacitet från den 1 april 2027.",
        "SV: Ledig kapacitet Daglig verksamhet Ljungdala",
    )

    assert (u.kind, u.effective_date) == ("capacity_full", dt.date(2027, 3, 1))


@pytest.mark.parametrize(
    ("body", "kind", "date"),
    [
        (
            "vi på Daglig verksamhet Sagoskogen kan ta emot två till från 8/3",
            "capacity_available",
            dt.date(2027, 3, 8),
        ),
        (
            "Two places will become free at Daglig verksamhet Oak from 1 April 2027.",
            "capacity_available",
            dt.date(2027, 4, 1),
        ),
        (
            "Daglig verksamhet Oak is at full capacity and will not be accepting new referrals "
            "until further notice.",
            "capacity_full",
            dt.date(2027, 3, 1),
        ),
        (
            "We are pausing intake of new clients at Daglig verksamhet Oak until further notice.",
            "capacity_full",
            dt.date(2027, 3, 1),
        ),
    ],
)
def test_capacity_as_people_write_it(body: str, kind: str, date: dt.date) -> None:
    u = read(body, "Capacity")

    assert (u.kind, u.effective_date) == (kind, date)


def test_full_said_in_the_subject_only() -> None:
    u = read("Enligt rubriken.", "Fullt på Daglig verksamhet Kolonilotten från 1/4")

    assert (u.kind, u.effective_date) == ("capacity_full", dt.date(2027, 4, 1))


def test_a_part_of_the_unit_that_is_full_is_for_eku_to_judge() -> None:
    u = read(
        "Gruppen Snickeriet på Daglig verksamhet Tornet är full från 1 december.",
        "Information",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.units) == ("capacity_full", ("Daglig verksamhet Tornet",))
    assert u.unsure is not None and "del av enheten" in u.unsure


@pytest.mark.parametrize(
    "body",
    [
        "Vi stänger intaget till Daglig verksamhet Lyktan från 1 december, alla platser är tagna.",
        "Intaget till Daglig verksamhet Lyktan stängs från 1 december.",
    ],
)
def test_an_intake_that_closes_is_a_unit_that_is_full(body: str) -> None:
    u = read(body, "Intag", date=NOVEMBER_20)

    assert (u.kind, u.effective_date) == ("capacity_full", dt.date(2026, 12, 1))


@pytest.mark.parametrize(
    "body",
    [
        "Hemtjänst Tuve tar inte emot nya brukare under påskhelgen. Efter påsk tar vi emot "
        "nya brukare som vanligt igen.",
        "Daglig verksamhet Lyktan tar inte emot nya deltagare v. 2 t.o.m. v. 4 2027. Från "
        "1 februari tar vi emot nya deltagare igen.",
    ],
)
def test_a_stop_for_a_while_is_news_though_the_mail_says_when_it_ends(body: str) -> None:
    u = read(body, "Intag", date=NOVEMBER_20)

    assert u.kind == "capacity_full"


def test_a_stop_said_with_words_between_and_without_emot() -> None:
    u = read(
        "Tyvärr kan vi på Lövgärdets Hemtjänst inte ta nya kunder från 1 december.",
        "Kunder",
        sender="info@lovgardet.se",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("capacity_full", dt.date(2026, 12, 1))


def test_places_free_until_the_ceiling_is_reached_make_the_ceiling_the_news() -> None:
    u = read(
        "En rättelse: kapacitetstaket nås först den 1 februari, inte den 1 januari. Vi tar "
        "alltså emot nya deltagare under hela januari.",
        "SV: Kapacitetstak Daglig verksamhet Lyktan",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date, u.unsure) == ("capacity_full", dt.date(2027, 2, 1), None)


@pytest.mark.parametrize(
    "body",
    [
        "Från 1 december tar Hemtjänst Tuve inte emot nya uppdrag som kräver nattinsatser. "
        "Övriga uppdrag tar vi emot som vanligt.",
        "Hemtjänst Tuve kan inte ta emot nya kunder med insatser på helger från 1 december.",
    ],
)
def test_a_stop_for_some_kinds_of_work_only_is_for_eku_to_judge(body: str) -> None:
    u = read(body, "Intag", date=NOVEMBER_20)

    assert u.kind == "capacity_full"
    assert u.unsure


@pytest.mark.parametrize(
    "body",
    [
        "Läget på Daglig verksamhet Lyktan: vi har tre platser kvar under taket och räknar "
        "med att de fylls under våren.",
        "Vi har full bemanning på Hemtjänst Tuve under hela julen och alla insatser utförs.",
    ],
)
def test_a_state_that_goes_on_is_no_change_of_capacity(body: str) -> None:
    u = read(body, "Läget", date=NOVEMBER_20)

    assert u.kind == "other"


def test_a_unit_taking_over_the_users_that_becomes_full_is_among_the_units() -> None:
    u = read(
        "Daglig verksamhet Lyktan läggs ned. Sista dag är 26 februari 2027. Deltagarna "
        "flyttar till Daglig verksamhet Fyren, som därmed blir fullbelagd från 1 mars.",
        "Avslut",
        date=NOVEMBER_20,
    )

    assert u.kind == "close_unit"
    assert set(u.units) == {"Daglig verksamhet Lyktan", "Daglig verksamhet Fyren"}


def test_places_for_new_people_again_are_free_places() -> None:
    u = read(
        "Kön är nu tom. Från måndag 7 december 2026 har Daglig verksamhet Ek därför plats för "
        "nya deltagare igen.",
        "Platser",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("capacity_available", dt.date(2026, 12, 7))


def test_a_stop_with_a_return_still_to_come_is_full() -> None:
    u = read(
        "Våra deltagare flyttar tillfälligt till en lånad lokal, men där finns inte plats för "
        "fler. Daglig verksamhet Ek kan därför inte ta emot några nya deltagare från och med "
        "måndag 11 januari 2027. Vi räknar med att vara tillbaka i maj och hör av oss då, så att "
        "ni kan göra oss valbara igen.",
        "Inga nya deltagare",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("capacity_full", dt.date(2027, 1, 11))


def test_a_place_that_has_become_free_with_a_queue_stays_with_its_queue() -> None:
    u = read(
        "Daglig verksamhet Ek har nått sitt kapacitetstak och kan inte ta emot fler deltagare "
        "från och med torsdag 3 december 2026.\nPå Daglig verksamhet Ask har en plats blivit "
        "ledig, men där har vi tre personer i kö.",
        "Platsläge",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.also) == ("capacity_full", ("capacity_available",))
    assert u.queue_evidence is not None


def test_places_still_taken_beside_a_real_change_are_no_change() -> None:
    u = read(
        "För att undvika missförstånd: vi har inte nått kapacitetstaket och tar fortfarande "
        "emot nya deltagare.\nMen Daglig verksamhet Ek flyttar. Från och med 18 januari 2027 "
        "är besöksadressen Storgatan 5.",
        "Ny adress – Daglig verksamhet Ek",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.also) == ("update_details", ())


def test_a_full_unit_that_keeps_a_queue_is_full() -> None:
    u = read(
        "Daglig verksamhet Eken har nått taket. Från och med 1 december kan vi inte ta emot "
        "fler deltagare. Handläggare som har någon som vill hit kan ställa dem i kö, så hör "
        "vi av oss när en plats blir ledig.",
        "Fullt",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.unsure) == ("capacity_full", None)


# Blind corpus seventyone (an ordinary June).
@pytest.mark.parametrize(
    "body",
    [
        "På grund av semesterperioden tar Hemtjänst Kungsgatan inte emot nya kunder från och "
        "med 28 juni till och med 15 augusti. Från 16 augusti kan vi ta emot nya kunder igen.",
        "Hemtjänst Kungsgatan tar inte emot nya kunder fr.o.m. 28/6 t.o.m. den 15/8. Från "
        "16/8 tar vi emot nya kunder igen.",
        "Hemtjänst Kungsgatan tar inte emot nya kunder 28/6–15/8. Därefter tar vi emot nya "
        "kunder igen.",
    ],
)
def test_a_stop_from_one_day_to_another_then_free_again_is_full_first(body: str) -> None:
    u = read(body, "Sommaren", date=dt.datetime(2027, 6, 14, 9, 0, tzinfo=STOCKHOLM))

    assert (u.kind, u.effective_date) == ("capacity_full", dt.date(2027, 6, 28))


@pytest.mark.parametrize(
    "body",
    [
        "Från och med måndag 22 november kan vi varken ta emot nya deltagare på Daglig "
        "verksamhet Tagene eller på Daglig verksamhet Skogome.",
        "From Monday 22 November we can neither take new participants at Daglig verksamhet "
        "Tagene nor at Daglig verksamhet Skogome.",
    ],
)
def test_neither_nor_is_full_at_both(body: str) -> None:
    u = read(body, "Platser", date=NOVEMBER_20)

    assert (u.kind, u.effective_date, u.unsure) == ("capacity_full", dt.date(2026, 11, 22), None)
    assert set(u.units) == {"Daglig verksamhet Tagene", "Daglig verksamhet Skogome"}


# Capacity said every way (blind corpora seventysix and seventyeight).
@pytest.mark.parametrize(
    ("body", "kind", "date"),
    [
        (
            "Hemtjänst Ek har stopp för nya brukare fr.o.m. måndag 23/11.",
            "capacity_full",
            dt.date(2026, 11, 23),
        ),
        (
            "Stoppet för nya brukare på Hemtjänst Ek hävs från 1 december.",
            "capacity_available",
            dt.date(2026, 12, 1),
        ),
        (
            "Nu är det tyvärr fullt igen på Hemtjänst Ek från 1/12. Kan ni ändra i Jämför service?",
            "capacity_full",
            dt.date(2026, 12, 1),
        ),
        (
            "Vi bygger om och har därför färre platser under perioden 1 mars – 30 april. Det "
            "innebär att Daglig verksamhet Regnbågen är fullbelagd under den perioden.\n\n"
            "Från den 1 maj räknar vi med att ha alla platser igen och kan då ta emot nya.",
            "capacity_full",
            dt.date(2027, 3, 1),
        ),
        (
            "På grund av många ledigheter under helgerna kan Lind Omsorg inte ta emot nya "
            "brukare under perioden 20 december–9 januari.\n\nHälsningar\nSara\nLind Omsorg AB",
            "capacity_full",
            dt.date(2026, 12, 20),
        ),
    ],
)
def test_capacity_in_more_words(body: str, kind: str, date: dt.date) -> None:
    u = read(body, "Platser", date=NOVEMBER_20, sender=PRIVATE)

    assert (u.kind, u.effective_date, u.unsure) == (kind, date, None)


@pytest.mark.parametrize(
    "body",
    [
        "Vår grupp för unga vuxna med autism på Daglig verksamhet Ek är full från 1 mars. I "
        "trädgårdsgruppen finns fortfarande lediga platser.",
        "Vi sänker vårt kapacitetstak på Daglig verksamhet Ek från 24 till 20 platser från 1 "
        "april. Vi har fortfarande lediga platser och ska vara kvar som valbara.",
        "Från 1 mars är Daglig verksamhet Ek fullbelagd måndagar och tisdagar. Onsdag–fredag "
        "har vi platser.",
    ],
)
def test_full_but_still_choosable_is_for_eku_to_judge(body: str) -> None:
    u = read(body, "Platser", date=NOVEMBER_20)

    assert (u.kind, u.unsure is not None) == ("capacity_full", True)


def test_full_on_some_days_before_is_background_to_full_now() -> None:
    u = read(
        "Som ni vet har vi varit fullbelagda på tisdagar ett tag, men nu har Daglig "
        "verksamhet Ek nått kapacitetstaket helt från 1 december.",
        "Kapacitetstaket nått",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date, u.unsure) == ("capacity_full", dt.date(2026, 12, 1), None)


def test_each_row_named_with_its_state_is_a_change_of_its_own() -> None:
    u = read(
        "Från och med måndag 23/11 gäller följande för mina enheter:\n\n"
        "Tuve Bageri – fullt, inga lediga platser\nSäve Stall – 1 ledig plats, ingen kö\n\n"
        "Mvh\nMalin\nEnhetschef Daglig verksamhet Tuve Bageri och Daglig verksamhet Säve Stall",
        "Ändrat platsläge",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.also, u.unsure) == ("capacity_full", ("capacity_available",), None)


def test_a_reply_that_says_nothing_has_changed_announces_nothing() -> None:
    u = read(
        "Ja, det stämmer. Vi har fortfarande lediga platser och ingen kö. Inget har "
        "förändrats sedan i höstas.\n\n"
        "Från: LOV\nSkickat: den 18 november 2026\nÄmne: Avstämning\n\n"
        "Enligt våra uppgifter har Daglig verksamhet Ek lediga platser och är valbar. "
        "Stämmer det?",
        "SV: Avstämning",
        date=NOVEMBER_20,
    )

    assert u.kind == "other"


def test_a_unit_after_a_verb_is_the_subject_not_an_attribute_of_the_thing_before() -> None:
    # Blind corpus eightyfive/39: "på måndag är X" does not make X the participant's.
    u = read(
        "När den nya deltagaren börjar på måndag är Daglig verksamhet Backaplan Ateljé "
        "fullbelagd från och med 23 november.",
        "Fullt",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("capacity_full", dt.date(2026, 11, 23))


def test_one_taken_in_that_fills_the_unit_is_full() -> None:
    u = read(
        "Daglig verksamhet Ek har inga lediga platser från och med 1 december. Vi tar emot en "
        "ny deltagare den veckan och är då fullbelagda.",
        "Inga lediga platser",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.also, u.unsure) == ("capacity_full", (), None)
