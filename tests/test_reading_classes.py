"""The five classes of misreading of issue 7, each a table of wordings of our own.

None of these sentences is in the sample corpus: they are other ways to say the same
thing, Swedish and English, so that the rules are tested for what they mean, not for the
samples' words. Messages are dated Monday 1 March 2027 (Stockholm).
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from formbuilders import build_form
from mails import build_mail
from test_understand import DOCX, read

from intake.pipeline import analyse
from parsers.mail import parse_mail
from parsers.mail_fields import fields_in_mail
from parsers.text import html_to_text
from parsers.understand import STOCKHOLM, understand
from rules.evaluate import evaluate
from rules.senders import SenderPolicy

NOVEMBER = dt.datetime(2027, 11, 15, 9, 0, tzinfo=STOCKHOLM)
PRIVATE = "sara.holm@lindomsorg.se"
POLICY = SenderPolicy(trusted_domains=("goteborg.se",), municipal_domains=("goteborg.se",))


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


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        # The subject and the text announce different changes.
        ("Ny enhet", "Daglig verksamhet Tornet läggs ned den 30 juni."),
        ("New unit", "Daglig verksamhet Tornet closes on 30 June."),
        # Full and free at once, with nothing to tell which is the news.
        ("Platser", "Daglig verksamhet Tornet är fullbelagd. Vi har lediga platser från 1 maj."),
        # Said of no unit at all.
        ("Info", "Sista dagen blir 30 juni."),
    ],
)
def test_a_reading_that_is_not_sure_says_so(subject: str, body: str) -> None:
    u = read(body, subject)

    assert u.unsure


# Class 2: the new text decides, not the mail it quotes.
@pytest.mark.parametrize(
    ("subject", "body", "kind"),
    [
        (
            "SV: Daglig verksamhet Tornet är fullbelagd",
            "Hej! Nu har Daglig verksamhet Tornet lediga platser igen från 1 april.\n\n"
            "> Daglig verksamhet Tornet är fullbelagd från 1 februari.",
            "capacity_available",
        ),
        (
            "RE: Daglig verksamhet Tornet has free places",
            "Daglig verksamhet Tornet is fully booked again from 1 April.\n\n"
            "> We can accept new participants at Daglig verksamhet Tornet.",
            "capacity_full",
        ),
        (
            "SV: Ny enhet Daglig verksamhet Tornet",
            "Vi har tyvärr fått ändra planerna: Daglig verksamhet Tornet byter namn till "
            "Daglig verksamhet Spiran från 1 juni.\n\n> Daglig verksamhet Tornet startar 1 maj.",
            "rename_unit",
        ),
    ],
)
def test_the_new_text_decides_not_the_quote(subject: str, body: str, kind: str) -> None:
    assert read(body, subject).kind == kind


# Class 3: unit names are kept whole.
@pytest.mark.parametrize(
    ("subject", "body", "units", "new_name"),
    [
        (
            "Namnbyte",
            "Lind Omsorg Hemtjänst Centrum byter namn till Lind Omsorg Hemtjänst Inom "
            "Vallgraven från 1 juni.",
            ("Lind Omsorg Hemtjänst Centrum",),
            "Lind Omsorg Hemtjänst Inom Vallgraven",
        ),
        (
            "Namnbyte",
            'Enheten vill heta "Hemtjänst Kärra-Rödbo" istället för "Hemtjänst Kärra" från 1 juni.',
            ("Hemtjänst Kärra",),
            "Hemtjänst Kärra-Rödbo",
        ),
        (
            "Name change",
            "From 1 June Daglig verksamhet Ler och Lera will be called Daglig verksamhet "
            "Lerverkstaden.",
            ("Daglig verksamhet Ler och Lera",),
            "Daglig verksamhet Lerverkstaden",
        ),
    ],
)
def test_unit_names_are_kept_whole(
    subject: str, body: str, units: tuple[str, ...], new_name: str
) -> None:
    u = read(body, subject, sender=PRIVATE)

    assert u.kind == "rename_unit"
    assert u.units[: len(units)] == units
    assert u.new_name == new_name


def test_a_private_providers_brand_and_district_name_its_unit() -> None:
    body = (
        "Hej! Lind Omsorg Majorna är fullbelagd från 1 april.\n\n"
        "Med vänlig hälsning\nSara Holm\nLind Omsorg i Göteborg AB"
    )

    u = read(body, "Kapacitet", sender=PRIVATE)

    assert u.units == ("Lind Omsorg Majorna",)


def test_a_private_provider_may_name_its_only_unit_by_its_company() -> None:
    body = "Hej! Vi har lediga platser igen från 1 april.\n\nHälsningar\nSara\nLind Omsorg AB"

    u = read(body, "Lediga platser", sender=PRIVATE)

    assert (u.kind, u.units) == ("capacity_available", ("Lind Omsorg AB",))


# Class 5: the year of a date follows the tense; weeks are their Monday.
@pytest.mark.parametrize(
    ("subject", "body", "date"),
    [
        ("Ny enhet", "Daglig verksamhet Tornet startade 1 oktober.", "2027-10-01"),
        ("Ny enhet", "Daglig verksamhet Tornet öppnade den 1/10.", "2027-10-01"),
        ("New unit", "Daglig verksamhet Tornet opened on October 1st.", "2027-10-01"),
        ("Ny enhet", "Daglig verksamhet Tornet öppnar 1 februari.", "2028-02-01"),
        ("New unit", "Daglig verksamhet Tornet will open on 1 February.", "2028-02-01"),
        (
            "Namnbyte",
            "Från och med första februari heter vi Daglig verksamhet Spiran.",
            "2028-02-01",
        ),
        (
            "Ny chef",
            "Under vecka 48–50 är Per Ek vikarierande enhetschef på DV Tornet.",
            "2027-11-29",
        ),
        # A week in the past keeps its weekday: Monday of week 46 of this year, of last
        # year's week 48 (the message is dated Monday 15 November, week 46).
        ("Ny chef", "Per Ek tillträdde som ny enhetschef på DV Tornet v. 46.", "2027-11-15"),
        ("Ny chef", "Per Ek tog över som enhetschef på DV Tornet v. 48.", "2026-11-23"),
    ],
)
def test_a_date_without_a_year_follows_the_tense(subject: str, body: str, date: str) -> None:
    u = read(body, subject, date=NOVEMBER)

    assert u.effective_date == dt.date.fromisoformat(date)


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


# Dates written relative to the message's own day (Monday 1 March 2027), or too vague.
@pytest.mark.parametrize(
    ("body", "date"),
    [
        ("Hemtjänst Askim flyttar till Storgatan 1 nästa måndag.", "2027-03-08"),
        ("Hemtjänst Askim moves to Storgatan 1 next Friday.", "2027-03-05"),
        ("Hemtjänst Askim stänger om två veckor.", "2027-03-15"),
        # A closing's date is its last day: the day before the turn of the half-year.
        ("Hemtjänst Askim läggs ner vid halvårsskiftet.", "2027-06-30"),
        # A date in figures says more than a turn of the year beside it.
        ("Hemtjänst Askim upphör vid årsskiftet; sista dagen är 2027-12-31.", "2027-12-31"),
        ("Hemtjänst Askim flyttar vid halvårsskiftet till Storgatan 1.", "2027-07-01"),
        ("Hemtjänst Askim läggs ner den sista april.", "2027-04-30"),
        ("Hemtjänst Askim läggs ner 30:e april.", "2027-04-30"),
        ("Vi säger upp avtalet för Hemtjänst Askim från 31 maj.", "2027-05-31"),
        # A named weekday elsewhere does not outweigh the change's own date.
        ("Hemtjänst Askim stänger 30 april. Nästa måndag har vi personalmöte.", "2027-04-30"),
        # Vague: EKU asks for the date.
        ("Hemtjänst Askim flyttar till Storgatan 1 i början av april.", None),
        ("Hemtjänst Askim läggs ner någon gång efter sommaren.", None),
    ],
)
def test_dates_relative_to_the_message_and_vague_ones(body: str, date: str | None) -> None:
    u = read(body, "Ändring")

    assert u.effective_date == (dt.date.fromisoformat(date) if date else None)


def test_only_what_a_person_reads_is_read() -> None:
    """A notice buried after pages of text is not read (and a 1 MB body costs no more)."""
    filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 600  # ~34 kB
    u = read(filler + "Daglig verksamhet Tornet stänger den 30 april.", "Info")

    assert u.kind == "other"


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


@pytest.mark.parametrize(
    ("body", "kind", "date"),
    [
        # A period: its first day, not its last.
        (
            "Jag går på föräldraledighet 1 april–30 september. Under tiden är Per Ek tf. "
            "enhetschef för DV Tornet.",
            "update_details",
            "2027-04-01",
        ),
        (
            "Per Ek vikarierar som enhetschef för DV Tornet 1/4-30/9.",
            "update_details",
            "2027-04-01",
        ),
        # The unit between the verb and its particle.
        ("Som du vet läggs Daglig verksamhet Tornet ned den 30 april.", "close_unit", "2027-04-30"),
        (
            "Enheten läggs inte ned utan får en ny enhetschef från 1 april, DV Tornet.",
            "update_details",
            "2027-04-01",
        ),
    ],
)
def test_periods_and_split_verbs(body: str, kind: str, date: str) -> None:
    u = read(body, "Information")

    assert (u.kind, u.effective_date) == (kind, dt.date.fromisoformat(date))


# Found on a blind corpus written from the domain documents (2026-12-01); the wordings
# here are new ones for the same classes.


# A reply that adds nothing announces nothing: its subject and quote are the old mail's.
@pytest.mark.parametrize(
    ("subject", "body", "kind"),
    [
        (
            "SV: Kvittens: Stängning Daglig verksamhet Lyktan [LOV-2027-0042]",
            "Toppen, tack så mycket!\n\nHälsningar Pia\n\n"
            "> Vi har tagit emot ert meddelande.\n> Ärende: Stängning\n"
            "> Enhet: Daglig verksamhet Lyktan\n> Gäller från: 2027-04-30",
            "other",
        ),
        ("Re: Namnbyte Hemtjänst Kärra", "Tack för beskedet, ha en fin dag!", "other"),
        # A reply that gives something of its own still leans on the subject it answers.
        ("SV: Stängning Daglig verksamhet Lyktan", "Sista dagen blir den 30 april.", "close_unit"),
        (
            "VB: Stängning",
            "Se nedan.\n\n> Daglig verksamhet Lyktan stänger 30 april.",
            "close_unit",
        ),
    ],
)
def test_a_reply_that_adds_nothing_orders_nothing(subject: str, body: str, kind: str) -> None:
    assert read(body, subject).kind == kind


# A name or number in apposition does not hide who the change is said of.
@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("En deltagare, Johan Nilsson, 19990101-2384, slutar hos oss den 1 mars.", "other"),
        ("Vår kund, Berit Ek (92 år!), avslutar sin insats hos oss den 15 april.", "other"),
        ("Daglig verksamhet Lyktan, Hisingen, stänger den 30 april.", "close_unit"),
    ],
)
def test_an_apposition_keeps_the_subject_of_the_sentence(body: str, kind: str) -> None:
    assert read(body, "Information").kind == kind


# A change that is only weighed, or said not to be decided, orders nothing and asks for
# nothing; with a question it is a question.
@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("Vi överväger att lägga ned Daglig verksamhet Lyktan till sommaren.", "close_unit"),
        (
            "Stadsdelen diskuterar att starta en ny hemtjänstgrupp, Hemtjänst Kärra Norra, "
            "under våren.",
            "new_unit",
        ),
        (
            "Vi stänger Daglig verksamhet Lyktan den 30 april, men inget är beslutat ännu.",
            "close_unit",
        ),
        ("We are considering closing Daglig verksamhet Lyktan on 30 April.", "close_unit"),
    ],
)
def test_a_change_only_weighed_is_held_and_asks_nothing(body: str, kind: str) -> None:
    u = read(body, "Information")
    evaluation = evaluate(u, sender="anna.lind@funktionsstod.goteborg.se", policy=POLICY)

    assert (u.kind, u.undecided) == (kind, True)
    assert evaluation.status == "needs_review"
    assert not [f.code for f in evaluation.findings if f.severity == "error"]


@pytest.mark.parametrize(
    "body",
    [
        "Vi funderar på att öppna en ny daglig verksamhet i Kärra. Vad behöver ni från oss?",
        "Vem informerar handläggarna om en enhet läggs ned? Och hur länge finns enheten kvar "
        "i Treserva efter sista dagen?",
    ],
)
def test_a_question_about_a_change_is_a_question(body: str) -> None:
    assert read(body, "Fråga").kind == "other"


def test_a_decided_change_is_not_held_for_the_word_plan() -> None:
    u = read("Vi planerar att stänga Daglig verksamhet Lyktan den 30 april.", "Stängning")

    assert (u.kind, u.undecided, u.unsure) == ("close_unit", False, None)


# Two changes in one sentence: each keeps its own date.
@pytest.mark.parametrize(
    ("body", "kind", "also", "date"),
    [
        (
            "Vi lägger ned Daglig verksamhet Ugglan den 31 mars och startar i stället Daglig "
            "verksamhet Falken den 1 april.",
            "new_unit",
            ("close_unit",),
            "2027-04-01",
        ),
        (
            "Den 31 mars stänger Daglig verksamhet Ugglan och den 12 april öppnar Daglig "
            "verksamhet Falken.",
            "new_unit",
            ("close_unit",),
            "2027-04-12",
        ),
    ],
)
def test_each_change_keeps_its_own_date(
    body: str, kind: str, also: tuple[str, ...], date: str
) -> None:
    u = read(body, "Förändring")

    assert (u.kind, u.also, u.effective_date) == (kind, also, dt.date.fromisoformat(date))


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


def test_a_word_in_capitals_for_emphasis_is_not_part_of_the_name() -> None:
    u = read("Vi flyttar INTE Daglig verksamhet Ugglan, men telefonnumret ändras 1 april.")

    assert all(not name.startswith("INTE") for name in u.units)


def test_not_valbar_because_of_a_queue_does_not_compete_with_free_places() -> None:
    u = read(
        "En av deltagarna på Daglig verksamhet Parken slutar, så en plats blir ledig från "
        "1 april. Två personer står dock i kö hos oss, så vi är inte valbara ännu.",
        "Ledig plats Daglig verksamhet Parken",
    )

    assert (u.kind, u.unsure) == ("capacity_available", None)
    assert u.queue_evidence is not None


# A second blind corpus (tests/corpus/ten) found these; again in wordings of our own.


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        # A place or partner beside the unit closes, not the unit.
        (
            "Restaurangen som vi har haft avtal med stänger den 20 december, så Daglig "
            "verksamhet Ugglan ordnar egen lunch från januari.",
            "other",
        ),
        ("Our former office on Vasagatan closes on 15 January.", "other"),
        # A unit whose name holds such a word still closes.
        ("Daglig verksamhet Ugglans Kafé läggs ned den 31 mars.", "close_unit"),
    ],
)
def test_what_closes_beside_the_unit_is_not_the_unit(body: str, kind: str) -> None:
    assert read(body, "Information").kind == kind


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (
            "SV: Hemtjänst Ugglan avvecklas",
            "Hej, vi lägger ändå inte ned Hemtjänst Ugglan. Glöm mitt förra mejl.\n\n"
            "> Hemtjänst Ugglan avvecklas den 31 mars.",
        ),
        (
            "Re: Nedläggning Daglig verksamhet Falken",
            "Styrelsen har ändrat sig, nedläggningen blir inte av.\n\n"
            "> Daglig verksamhet Falken läggs ned den 28 februari.",
        ),
    ],
)
def test_a_withdrawn_notice_orders_nothing(subject: str, body: str) -> None:
    assert read(body, subject).kind == "other"


def test_a_forwards_own_correction_decides_the_date() -> None:
    u = read(
        "Hej! Skickar vidare från vår chef. Obs att sista dagen nu blir 26 mars, inte "
        "19 mars.\n\n---------- Forwarded message ---------\nFrån: Eva Ek <eva@goteborg.se>\n"
        "Ämne: Avslut Daglig verksamhet Ugglan\n\nDaglig verksamhet Ugglan stänger 19 mars.",
        "Fwd: Avslut Daglig verksamhet Ugglan",
    )

    assert (u.kind, u.effective_date) == ("close_unit", dt.date(2027, 3, 26))


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


def test_an_agenda_item_announces_nothing() -> None:
    u = read(
        "Välkomna till träff för enhetschefer tisdag 9 mars kl 9–11.\n\nDagordning:\n"
        "1. Nyheter från förvaltningen\n2. Kommande nedläggningar och namnbyten\n3. Övrigt",
        "Kallelse",
    )

    assert u.kind == "other"


@pytest.mark.parametrize(
    "body",
    [
        # As an HTML table becomes text (parsers/text.py), and as typed with tabs.
        "Vi byter namn på två enheter från 1 april:\nTidigare namn | Nytt namn\n"
        "Hemtjänst Ugglan | Hemtjänst Stenugglan\nHemtjänst Falken | Hemtjänst Tornfalken",
        "Vi byter namn på två enheter från 1 april:\nGammalt namn\tNytt namn\n"
        "Hemtjänst Ugglan\tHemtjänst Stenugglan\nHemtjänst Falken\tHemtjänst Tornfalken",
        "Från 1 april byter Hemtjänst Ugglan namn till Hemtjänst Stenugglan och Hemtjänst "
        "Falken byter namn till Hemtjänst Tornfalken.",
    ],
)
def test_several_renames_name_the_old_units_and_the_first_new_name(body: str) -> None:
    u = read(body, "Namnbyten")

    assert (u.kind, u.new_name) == ("rename_unit", "Hemtjänst Stenugglan")
    assert u.units == ("Hemtjänst Ugglan", "Hemtjänst Falken")


def test_html_table_cells_stay_apart() -> None:
    html = (
        "<table><tr><td><p>Nuvarande namn</p></td><td><p>Nytt namn</p></td></tr>"
        "<tr><td><p>Hemtjänst Ugglan</p></td><td><p>Hemtjänst Stenugglan</p></td></tr></table>"
    )

    assert html_to_text(html) == (
        "Nuvarande namn | Nytt namn\nHemtjänst Ugglan | Hemtjänst Stenugglan"
    )


def test_a_unit_named_only_as_background_is_not_the_one_that_changes() -> None:
    u = read(
        "Förra veckan skrev jag om Hemtjänst Ugglan, den fortsätter som vanligt. Nu gäller "
        "det Hemtjänst Falken: den läggs ned den 30 april.",
        "Avveckling",
    )

    assert (u.kind, u.units) == ("close_unit", ("Hemtjänst Falken",))


def test_a_unit_added_to_the_change_in_a_sentence_of_its_own_is_kept() -> None:
    u = read("Vi stänger Hemtjänst Ugglan den 1 mars.\nDet gäller också Hemtjänst Falken.")

    assert (u.kind, u.units) == ("close_unit", ("Hemtjänst Ugglan", "Hemtjänst Falken"))


@pytest.mark.parametrize(
    ("body", "unit"),
    [
        ("Vi startar Hemtjänst Lindholmen Nya Kajen den 1 juni.", "Hemtjänst Lindholmen Nya Kajen"),
    ],
)
def test_nya_in_a_place_name_is_part_of_it(body: str, unit: str) -> None:
    assert read(body, "Ny enhet").units == (unit,)


def test_an_indirect_question_states_nothing() -> None:
    u = read(
        "Vi planerar kanske en ny daglig verksamhet i Tuve, men vi vet inte när den ska "
        "starta eller vad den ska heta.",
        "Förfrågan",
    )

    assert u.kind == "other"


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


def test_a_vague_time_is_no_date_for_capacity() -> None:
    u = read("Daglig verksamhet Ugglan kan ta emot nya deltagare igen till påsk.", "Platser")

    assert (u.kind, u.effective_date) == ("capacity_available", None)


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


def test_a_name_ending_in_s_before_a_verb_is_kept_whole() -> None:
    assert read("Hemtjänst Askim Kungsås startar den 1 juni.", "Ny enhet").units == (
        "Hemtjänst Askim Kungsås",
    )


# A fourth blind corpus (not kept: two of its cases are still read otherwise, see the
# closing note of 2026-12-01) found these; again in wordings of our own.


@pytest.mark.parametrize(
    ("body", "date"),
    [
        # 30 April 2027 is a Friday; 31 July 2027 a Saturday.
        ("Daglig verksamhet Ugglan läggs ned sista vardagen i april.", "2027-04-30"),
        ("Daglig verksamhet Ugglan läggs ned sista vardagen i juli.", "2027-07-30"),
        ("Daglig verksamhet Ugglan läggs ned sista dagen i juli.", "2027-07-31"),
    ],
)
def test_the_last_day_of_a_month(body: str, date: str) -> None:
    assert read(body, "Avslut").effective_date == dt.date.fromisoformat(date)


def test_the_first_of_the_month_without_its_name() -> None:
    # Dated Monday 1 March 2027 (read's default): "den 1:a" is 1 April.
    u = read("Från den 1:a har Hemtjänst Kärra ny besöksadress, Kärravägen 4.", "Ny adress")

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2027, 4, 1))


@pytest.mark.parametrize(
    "body",
    [
        "Vår bokningsapp stängs den 5 april och den gamla inloggningssidan upphör.",
        "Daglig verksamhet Ugglan stänger för renovering den 5 april.",
    ],
)
def test_an_app_or_a_pause_is_no_closing(body: str) -> None:
    assert read(body, "Information").kind != "close_unit"


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


def test_a_split_into_new_units_keeps_the_new_ones() -> None:
    u = read(
        "Daglig verksamhet Ugglan delas upp i två nya enheter från 1 juli:\n"
        "Daglig verksamhet Ugglan Snickeri\nDaglig verksamhet Ugglan Textil\n"
        "Daglig verksamhet Ugglan i nuvarande form upphör den 30 juni.",
        "Uppdelning",
    )

    assert u.kind == "new_unit"
    assert {"Daglig verksamhet Ugglan Snickeri", "Daglig verksamhet Ugglan Textil"} <= set(u.units)


# Round thirteen/fourteen (2026-12-01): mail as busy people write it, and dates and forms.
@pytest.mark.parametrize(
    ("subject", "body", "kind", "date"),
    [
        (
            "Ny enhet Daglig verksamhet Ugglan",
            "Daglig verksamhet Ugglan startar inte den 1 april utan den 3 maj 2027.",
            "new_unit",
            dt.date(2027, 5, 3),
        ),
        (
            "Stängning Hemtjänst Ek",
            "Hemtjänst Ek stänger inte 31 december som planerat, utan redan 30 april 2027.",
            "close_unit",
            dt.date(2027, 4, 30),
        ),
        (
            "Closing",
            "Home care Oak in Hemtjänst Ek will not close on 31 December but on 30 April 2027.",
            "close_unit",
            dt.date(2027, 4, 30),
        ),
    ],
)
def test_not_this_but_that_denies_the_first_date_not_the_change(
    subject: str, body: str, kind: str, date: dt.date
) -> None:
    u = read(body, subject)

    assert (u.kind, u.effective_date) == (kind, date)


def test_not_this_name_but_that_gives_the_second_name() -> None:
    u = read(
        "Hemtjänst Ek byter inte namn till Hemtjänst Ekbacken, utan till Hemtjänst Ekåsen, "
        "från 1 maj 2027.",
        "Namnbyte",
    )

    assert (u.kind, u.new_name) == ("rename_unit", "Hemtjänst Ekåsen")


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (
            "Namnbyte Hemtjänst Ek",
            "Det blir inget namnbyte i år. Däremot byter Hemtjänst Ek telefonnummer från "
            "1 april till 031-12 34 56.",
        ),
        (
            "Stängning Hemtjänst Ek",
            "Vi stänger inte Hemtjänst Ek. Däremot byter enheten mejladress från 1 april: "
            "ek@example.se.",
        ),
    ],
)
def test_a_text_that_denies_the_subjects_change_is_read_for_its_own(
    subject: str, body: str
) -> None:
    u = read(body, subject)

    assert (u.kind, u.also, u.effective_date) == ("update_details", (), dt.date(2027, 4, 1))


@pytest.mark.parametrize(
    "body",
    [
        "Vi på Daglig verksamhet Lunden är full nu och kan inte ta emot ny deltagare.",
        "Enheten Daglig verksamhet Lunden är full. Vi kan inte ta emot deltagare just nu.",
    ],
)
def test_full_as_a_second_language_writes_it(body: str) -> None:
    assert read(body, "platser").kind == "capacity_full"


@pytest.mark.parametrize(
    "body",
    [
        "Min brukare vill byta till Daglig verksamhet Lunden, men där säger de att de är "
        "fulla. Kan hen ställas i kö?",
        "Anhörig här. Personalen på Daglig verksamhet Lunden sa att de stänger, stämmer det?",
    ],
)
def test_another_partys_words_passed_on_announce_nothing(body: str) -> None:
    u = read(body, "Fråga")

    assert u.kind == "other"


@pytest.mark.parametrize(
    ("body", "unit"),
    [
        (
            "Delta Daglig verksamhet Gamlestaden kan inte ta emot nya deltagare från 1 april."
            "\n\nMvh\nRebecka\nAktivitetshuset Delta AB",
            "Delta Daglig verksamhet Gamlestaden",
        ),
        (
            "1. Fyrbåkens Dagverksamhet Frölunda är fullbelagd från 1 april.\n\nHälsningar\n"
            "Linnea\nFyrbåken Omsorg AB",
            "Fyrbåkens Dagverksamhet Frölunda",
        ),
        (
            "Under perioden 1/4–15/4 har Ljusgårdens Dagliga Verksamhet inga lediga platser.",
            "Ljusgårdens Dagliga Verksamhet",
        ),
    ],
)
def test_a_company_or_genitive_name_in_front_of_the_type_stays_in_the_unit(
    body: str, unit: str
) -> None:
    u = read(body, "Kapacitet")

    assert u.kind == "capacity_full"
    assert u.units == (unit,)


def test_the_day_a_mail_was_sent_is_not_the_day_of_the_change() -> None:
    u = read(
        "Jag skickade blanketten för vår nya enhet Hemtjänst Kärra redan den 2 februari men "
        "har inte fått svar, så jag skickar den igen.",
        "Blankett",
        form={
            "typ_av_andring": ["Ny enhet"],
            "enhetens_namn": "Hemtjänst Kärra",
            "startdatum": "2027-06-01",
        },
    )

    assert (u.kind, u.effective_date) == ("new_unit", dt.date(2027, 6, 1))


@pytest.mark.parametrize(
    ("body", "date"),
    [
        ("Hemtjänst Ek stängde i går. Kunderna har flyttats.", dt.date(2027, 2, 28)),
        ("Hemtjänst Ek stängde i förrgår.", dt.date(2027, 2, 27)),
        ("Från i morgon kan Daglig verksamhet Ek ta emot nya deltagare.", dt.date(2027, 3, 2)),
    ],
)
def test_yesterday_and_tomorrow_count_from_the_message(body: str, date: dt.date) -> None:
    assert read(body, "Information").effective_date == date


@pytest.mark.parametrize(
    ("subject", "kind"),
    [
        ("Stängning DV Kastanjen 2027-05-31", "close_unit"),
        ("Tillfällig stängning DV Kastanjen 24-26 december", "other"),
    ],
)
def test_a_closing_named_as_a_noun_in_the_subject(subject: str, kind: str) -> None:
    assert read("Hej, enligt ämnesraden.", subject).kind == kind


# Round fifteen (2026-12-01): mail that is not a notice, and notices that sound like it.
def test_a_past_day_said_with_var_is_in_the_past() -> None:
    u = read(
        "Som vi meddelade i januari har vi nu stängt Daglig verksamhet Ugglan. Sista dagen "
        "var fredag 19 februari och alla deltagare har fått nya platser.",
        "Ugglan stängd",
    )

    assert (u.kind, u.effective_date) == ("close_unit", dt.date(2027, 2, 19))


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


@pytest.mark.parametrize(
    "body",
    [
        "Agenda:\n1. Så anmäler ni ny enhet, namnbyte, sammanslagning och avslut\n2. Övrigt",
        "Vi går igenom rutinerna för nedläggning, namnbyte och ny enhet på mötet.",
    ],
)
def test_a_list_of_kinds_of_change_announces_none(body: str) -> None:
    assert read(body, "Inbjudan till nätverksträff").kind == "other"


def test_what_the_sender_read_somewhere_is_no_notice() -> None:
    u = read(
        "Jag läste att Lindomsorg startar en ny hemtjänstenhet i Kärra och vill söka jobb "
        "där. Mitt CV finns bifogat.",
        "Ansökan till nya enheten i Kärra",
    )

    assert u.kind == "other"


def test_no_plans_to_close_or_merge_is_no_change() -> None:
    u = read(
        "Vi har inte bytt namn eller adress och har heller inga planer på att stänga eller "
        "slå samman något.",
        "SV: Kontroll av uppgifter",
    )

    assert u.kind == "other"


@pytest.mark.parametrize(
    "body",
    [
        "Ändrat i Treserva – enheten står nu som avslutad.\n\nFrån: LOV\nÄmne: Beställning\n\n"
        "Daglig verksamhet Ugglan stänger 31 mars. Vänligen avsluta enheten i Treserva.",
        "Done – the page title now reads Daglig verksamhet Eken.\n\nFrån: LOV\nÄmne: Beställning"
        "\n\nDaglig verksamhet Ugglan byter namn till Daglig verksamhet Eken från 1 april.",
    ],
)
def test_a_system_owners_receipt_orders_nothing_again(body: str) -> None:
    assert read(body, "SV: Beställning").kind == "other"


def test_a_reply_that_answers_with_a_number_is_no_receipt() -> None:
    u = read(
        "Klart! Ansvarskoden är 1234567.\n\nFrån: LOV\nÄmne: Ny enhet\n\nVi saknar ansvarskod "
        "för Daglig verksamhet Ugglan som startar 1 juni.",
        "SV: Ny enhet Daglig verksamhet Ugglan",
    )

    assert u.kind == "new_unit"


def test_a_brand_spelled_without_diacritics_in_the_domain_names_the_unit() -> None:
    u = read(
        "Fjärilen Trädgård har fått två lediga platser från och med 14 april.",
        "Lediga platser",
        sender="greta@fjarilen-dv.se",
    )

    assert u.units == ("Fjärilen Trädgård",)


# Rounds sixteen and seventeen (2026-12-01): several dates, tense and certainty.
def test_a_list_dash_after_a_number_is_no_range() -> None:
    u = read(
        "Lite nytt från Daglig verksamhet Kvarnen:\n- Från 1 april har vi nytt telefonnummer, "
        "031-20 30 40.\n- Från den 14 april är vi fullbelagda och kan inte ta emot fler.",
        "Nytt nummer och fullt",
    )

    assert (u.kind, u.effective_date) == ("capacity_full", dt.date(2027, 4, 14))


def test_a_stand_in_period_starts_the_change_not_the_return() -> None:
    u = read(
        "Under perioden 2027-04-05 – 2027-08-31 är Johan Ek tillförordnad enhetschef för "
        "Hemtjänst Högsbo. Från 1 september är jag tillbaka som ordinarie chef.",
        "Tf enhetschef",
    )

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2027, 4, 5))


@pytest.mark.parametrize(
    "body",
    [
        "Förvaltningen föreslår att Daglig verksamhet Ekliden avvecklas den 30 juni. Beslut "
        "väntas i nämnden i maj.",
        "Om allt går enligt plan byter Hemtjänst Norra namn till Hemtjänst Länsmansgården den "
        "1 juni. Det är inte säkert att det blir just det namnet.",
        "Vi planerar att starta en ny enhet, Daglig verksamhet Vattentornet, förhoppningsvis "
        "från 1 september. Nämnden har inte fattat beslut ännu.",
        "Om vi inte får förlängt hyresavtal kommer Daglig verksamhet Ankaret att behöva stänga "
        "den 30 juni.",
        "Subject to approval by our board, we intend to rebrand NCU Hemtjänst Frölunda as "
        "Nordcare Hemtjänst Frölunda from 1 June 2027. Please do not make any changes yet.",
    ],
)
def test_a_proposed_hoped_or_conditional_change_is_held_for_eku(body: str) -> None:
    u = read(body, "Information")

    assert u.kind in {"close_unit", "rename_unit", "new_unit"}
    assert u.undecided and u.unsure


def test_a_decision_taken_since_settles_the_proposal() -> None:
    u = read(
        "Nu är det beslutat: nämnden fattade i går beslut om att avveckla Daglig verksamhet "
        "Rönnbäret. Sista dagen blir 30 juni 2027, samma datum som vi skrev preliminärt.",
        "SV: Preliminär avveckling Daglig verksamhet Rönnbäret",
    )

    assert (u.kind, u.undecided, u.unsure) == ("close_unit", False, None)


def test_a_plan_for_another_unit_leaves_the_decided_change_decided() -> None:
    u = read(
        "1. Hemtjänst Kärra upphör den 30 april. Brukarna är informerade.\n\n"
        "2. Hemtjänst Säve planerar att flytta till nya lokaler under hösten.",
        "Förändringar",
    )

    assert (u.kind, u.undecided, u.effective_date) == ("close_unit", False, dt.date(2027, 4, 30))


@pytest.mark.parametrize(
    ("body", "date"),
    [
        ("Daglig verksamhet Ek har sedan i tisdags inga lediga platser.", dt.date(2027, 2, 23)),
        ("Sedan i måndags är Karin Ek enhetschef på Hemtjänst Ek.", dt.date(2027, 2, 22)),
        ("Hemtjänst Ek stängde i fredags, den 26 februari.", dt.date(2027, 2, 26)),
    ],
)
def test_last_weekday_and_a_date_in_apposition_are_in_the_past(body: str, date: dt.date) -> None:
    assert read(body, "Information").effective_date == date


def test_a_rename_said_with_its_date_first() -> None:
    u = read(
        "Vi vill meddela att Daglig verksamhet Ängslyckan sedan den 1 februari heter Daglig "
        "verksamhet Ängen.",
        "Namnändring",
    )

    assert (u.kind, u.units, u.new_name) == (
        "rename_unit",
        ("Daglig verksamhet Ängslyckan",),
        "Daglig verksamhet Ängen",
    )


def test_a_new_brand_in_the_same_district_is_another_unit() -> None:
    u = read(
        "Från 1 juni byter NCU Hemtjänst Frölunda namn till Nordcare Hemtjänst Frölunda.",
        "Namnbyte",
    )

    assert (u.units, u.new_name) == (("NCU Hemtjänst Frölunda",), "Nordcare Hemtjänst Frölunda")


def test_a_postponed_change_keeps_no_old_date() -> None:
    u = read(
        "Namnbytet från Hemtjänst Angered Centrum till Hemtjänst Angered Torg skjuts upp. "
        "Något nytt datum är inte bestämt än.\n\nFrån: Lina\nÄmne: Namnbyte\n\nHemtjänst "
        "Angered Centrum byter namn till Hemtjänst Angered Torg från 1 april 2027.",
        "SV: Namnbyte Hemtjänst Angered Centrum 1 april",
    )

    assert (u.kind, u.effective_date) == ("rename_unit", None)


def test_a_lease_that_ends_is_no_label_for_the_date() -> None:
    # "löper ut" holds "per": no date label.
    u = read(
        "Hyresavtalet för vår lokal löper ut vid årsskiftet. Daglig verksamhet Ankaret stänger "
        "den 30 juni 2027.",
        "Lokalen",
    )

    assert (u.kind, u.effective_date) == ("close_unit", dt.date(2027, 6, 30))


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


# Round nineteen: how mail is laid out.
def test_a_brand_before_a_capitalised_type_is_a_unit() -> None:
    u = read(
        "Hej, svar nedan.\n\nDen 2027-02-26 kl. 13:30, skrev LOV:\n> Tack för ert mejl om ny "
        "adress för Vinga Hemtjänst. Från vilket datum gäller den?\n\nFrån 5 april.\n\n"
        "Nya adressen är Kvibergs Park 12.",
        "Re: Ny adress Vinga Hemtjänst",
        sender="viktor@vinga.se",
    )

    assert (u.kind, u.units, u.effective_date, u.unsure) == (
        "update_details",
        ("Vinga Hemtjänst",),
        dt.date(2027, 4, 5),
        None,
    )


def test_a_closing_answered_below_the_question_is_read() -> None:
    u = read(
        "Den tors 25 feb. 2027 kl 09:12 skrev LOV <LOV@stadshuset.goteborg.se>:\n\n> Stämmer "
        "det att Solgläntan Daglig Verksamhet ska avslutas?\n>\n\nJa det stämmer. Vi stängde "
        "verksamheten den 26 februari, det var sista dagen.\n\nRasmus",
        "Re: Solgläntan Daglig Verksamhet",
        sender="rasmus@solglantan.se",
    )

    assert (u.kind, u.effective_date) == ("close_unit", dt.date(2027, 2, 26))


# Rounds twenty and twentyone (2026-12-01): an ordinary fortnight, and threads.
def test_a_reason_that_names_a_new_unit_is_not_the_change() -> None:
    u = read(
        "Eftersom en del av personalen flyttar till nya enheten i Frölunda sänker vi "
        "kapacitetstaket för Daglig verksamhet Linné från 20 till 16 platser från och med "
        "1 april 2027. Vi kan inte ta emot nya deltagare från det datumet.",
        "Sänkt kapacitetstak",
    )

    assert (u.kind, u.effective_date) == ("capacity_full", dt.date(2027, 4, 1))


def test_the_units_new_name_wins_over_the_companys() -> None:
    u = read(
        "Vi byter namn på företaget från Al-Amal Hemtjänst AB till Amal Omsorg AB från 1 "
        "juni. Vår enhet Al-Amal Hemtjänst heter då Amal Omsorg Hemtjänst.",
        "Namnbyte",
    )

    assert (u.kind, u.new_name) == ("rename_unit", "Amal Omsorg Hemtjänst")


@pytest.mark.parametrize(
    ("body", "unit"),
    [
        (
            "Styrelsen har beslutat att avveckla Familjeomsorg Hemtjänst Södra skärgården. "
            "Sista dag är 2027-05-31.",
            "Familjeomsorg Hemtjänst Södra skärgården",
        ),
        (
            "hej\n\nvi är fulla från 1 april.\n\n/Nils\nLilla Verkstaden Daglig Verksamhet",
            "Lilla Verkstaden Daglig Verksamhet",
        ),
    ],
)
def test_place_words_stay_in_the_name(body: str, unit: str) -> None:
    assert unit in read(body, "Information").units


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (
            "Re: Ny enhet – Daglig verksamhet Ljuspunkten",
            "Tyvärr måste vi dra tillbaka vår anmälan nedan. Starten är uppskjuten på obestämd "
            "tid.\n\n16 feb. 2027 kl. 10:22 skrev Oskar Lund <oskar@ljuspunkten.se>:\n> "
            "Daglig verksamhet Ljuspunkten öppnar den 1 juni 2027.",
        ),
        (
            "SV: Ny enhet Daglig verksamhet Vävstugan",
            "Vilken version av blanketten ska vi använda?\n\nFrån: LOV\nSkickat: den 16 februari"
            " 2027\nÄmne: Ny enhet\n\nDaglig verksamhet Vävstugan som startar 1 juni 2027 "
            "behöver blanketten.",
        ),
        (
            "SV: Ny chef",
            "Har ni fått mitt mejl nedan?\n\nFrån: Anna\nSkickat: den 16 februari 2027\nÄmne: "
            "Ny chef\n\nHemtjänst Torslanda har ny enhetschef från 1 april 2027.",
        ),
    ],
)
def test_a_reply_that_withdraws_or_only_asks_back_orders_nothing(subject: str, body: str) -> None:
    assert read(body, subject).kind == "other"


def test_did_you_get_my_mail_about_states_what_it_was_about() -> None:
    u = read(
        "Har ni fått mitt mejl om att Hemtjänst Högsbo Centrum stänger 31 maj? Jag har inte "
        "fått någon bekräftelse.",
        "Har ni fått mitt mejl?",
    )

    assert (u.kind, u.effective_date) == ("close_unit", dt.date(2027, 5, 31))


def test_a_corrected_new_name_replaces_the_quoted_one() -> None:
    u = read(
        "Rättelse: det nya namnet ska vara Daglig verksamhet Ängsgården – jag skrev "
        "Ängagården i mejlet nedan.\n\n23 feb. 2027 kl. 16:40 skrev Sanna <s@x.se>:\n> "
        "Daglig verksamhet Lärkan byter namn till Daglig verksamhet Ängagården från och med "
        "15 april 2027.",
        "Re: Namnändring Daglig verksamhet Lärkan",
    )

    assert (u.kind, u.new_name) == ("rename_unit", "Daglig verksamhet Ängsgården")


# Rounds twentytwo and twentythree (2026-12-01): reorganisations, capacity and English.
def test_a_district_list_keeps_each_change_with_its_date_and_notice() -> None:
    u = read(
        "Följande förändringar i område Hisingen Norr:\n\n"
        "1. Hemtjänst Tuve och Hemtjänst Säve slås samman den 1 juni 2027 till Hemtjänst "
        "Tuve-Säve.\n"
        "2. Hemtjänst Kärra Backe upphör den 10 mars 2027.\n"
        "3. Hemtjänst Skogome byter namn till Hemtjänst Skogome-Kärra från 1 maj 2027.",
        "Förändringar",
    )
    evaluation = evaluate(u, sender="anna.lind@funktionsstod.goteborg.se", policy=POLICY)

    assert (u.kind, set(u.also), u.effective_date) == (
        "merge_units",
        {"close_unit", "rename_unit"},
        dt.date(2027, 6, 1),
    )
    assert {c.kind: (c.units, c.new_name) for c in u.changes}["rename_unit"] == (
        ("Hemtjänst Skogome",),
        "Hemtjänst Skogome-Kärra",
    )
    # The closing on 10 March, nine days after the message, is late on its own.
    assert "late_notice" in {f.code for f in evaluation.findings}


@pytest.mark.parametrize(
    ("body", "new_name"),
    [
        (
            "Hemtjänst Kortedala Norra och Hemtjänst Kortedala Södra slogs samman den 1 "
            "februari till Hemtjänst Kortedala.",
            "Hemtjänst Kortedala",
        ),
        (
            "Vi slår ihop våra två enheter Solstrålen Hemtjänst Angered och Solstrålen "
            "Hemtjänst Gunnared från den 15 maj 2027.",
            None,
        ),
    ],
)
def test_a_merge_names_its_new_unit_only_where_it_says_one(body: str, new_name: str | None) -> None:
    u = read(body, "Sammanslagning")

    assert (u.kind, u.new_name) == ("merge_units", new_name)


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


def test_a_brand_before_the_type_is_not_cut_at_the_type() -> None:
    u = read(
        "Blåklinten Daglig verksamhet har varit fullbelagd sedan den 9 februari.",
        "Blåklinten Daglig verksamhet – fullbelagd",
        sender="maja@blaklinten.se",
    )

    assert u.units == ("Blåklinten Daglig verksamhet",)


NOVEMBER_20 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    ("subject", "body", "kind", "date"),
    [
        (
            "Ny enhet Daglig verksamhet Lärkan",
            "Starten för Daglig verksamhet Lärkan flyttas från 1 februari till 1 mars 2027 "
            "eftersom lokalen inte är klar.",
            "new_unit",
            dt.date(2027, 3, 1),
        ),
        (
            "Stängning Hemtjänst Gårda",
            "Vi har skjutit upp stängningen av Hemtjänst Gårda från 31 januari till 28 februari.",
            "close_unit",
            dt.date(2027, 2, 28),
        ),
        (
            "Namnbyte",
            "Namnbytet för Hemtjänst Gårda till Hemtjänst Gårdsten flyttas fram, från 1 januari "
            "till 1 februari 2027.",
            "rename_unit",
            dt.date(2027, 2, 1),
        ),
        (
            "New unit",
            "The start of our new unit Daglig verksamhet Oak has been postponed from "
            "1 February to 1 March 2027.",
            "new_unit",
            dt.date(2027, 3, 1),
        ),
        # Not a date moved: a period ("från ... till") keeps its first day.
        (
            "Fullt",
            "Daglig verksamhet Lärkan är fullbelagd från 1 december till 31 januari.",
            "capacity_full",
            dt.date(2026, 12, 1),
        ),
        (
            "Öppettider",
            "Ändrade öppettider för Daglig verksamhet Lärkan från 1 december till 31 januari.",
            "update_details",
            dt.date(2026, 12, 1),
        ),
    ],
)
def test_a_date_moved_from_one_day_to_another_takes_the_new_day(
    subject: str, body: str, kind: str, date: dt.date
) -> None:
    u = read(body, subject, date=NOVEMBER_20)

    assert (u.kind, u.effective_date) == (kind, date)


def test_a_unit_named_by_the_companys_own_word_is_the_unit_not_the_company() -> None:
    u = read(
        "Hej,\nFrån och med 1 april har vi inte möjlighet att ta emot nya deltagare på "
        "Ateljé Tranan.\nMvh Karin Ek\nTranan Konst & Form AB",
        "Fullt",
        sender="karin@tranan.se",
    )

    assert (u.kind, u.units) == ("capacity_full", ("Ateljé Tranan",))


def test_the_company_is_the_unit_when_the_mail_names_no_other() -> None:
    u = read(
        "Hej,\nFrån och med 1 april tar vi inte emot nya deltagare.\nMvh Karin Ek\n"
        "Tranan Konst & Form AB",
        "Fullt",
        sender="karin@tranan.se",
    )

    assert u.units == ("Tranan Konst & Form AB",)


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
    ("body", "unit"),
    [
        (
            "Från och med måndag 7 december finns Daglig verksamhet Tornet på Storgatan 5, "
            "411 38 Göteborg.",
            "Daglig verksamhet Tornet",
        ),
        (
            "Hemtjänst Gårda vid Ullevigatan 12 har ny adress från 1 mars: Storgatan 5.",
            "Hemtjänst Gårda",
        ),
        # A district after "på" is part of the name.
        (
            "Daglig verksamhet Tornet på Hisingen flyttar till Backavägen 3 den 1 februari.",
            "Daglig verksamhet Tornet på Hisingen",
        ),
    ],
)
def test_a_street_address_after_the_name_is_where_the_unit_is(body: str, unit: str) -> None:
    u = read(body, "Ny adress", date=NOVEMBER_20)

    assert (u.kind, u.units) == ("update_details", (unit,))


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


def test_a_part_of_the_unit_that_is_full_is_for_eku_to_judge() -> None:
    u = read(
        "Gruppen Snickeriet på Daglig verksamhet Tornet är full från 1 december.",
        "Information",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.units) == ("capacity_full", ("Daglig verksamhet Tornet",))
    assert u.unsure is not None and "del av enheten" in u.unsure


@pytest.mark.parametrize(
    ("body", "date"),
    [
        (
            "Daglig verksamhet Tornet stänger den 31 januari 2027 - sista dagen.",
            dt.date(2027, 1, 31),
        ),
        (
            "Daglig verksamhet Tornet stänger 31 januari och Hemtjänst Gårda tar över.",
            dt.date(2027, 1, 31),
        ),
        ("Hemtjänst Biskopsgården upphör omedelbart.", dt.date(2026, 11, 20)),
        ("Hemtjänst Biskopsgården closes immediately.", dt.date(2026, 11, 20)),
        ("Vi måste tyvärr stänga Hemtjänst Biskopsgården med en gång.", dt.date(2026, 11, 20)),
    ],
)
def test_an_ending_has_its_last_day_or_the_days_own(body: str, date: dt.date) -> None:
    u = read(body, "Information", date=NOVEMBER_20)

    assert (u.kind, u.effective_date) == ("close_unit", date)


@pytest.mark.parametrize(
    ("body", "date"),
    [
        ("Hemtjänst Kortedala upphör från och med den 1 februari 2027.", dt.date(2027, 1, 31)),
        ("Vardagsro Hemtjänst upphör vid månadsskiftet december/januari.", dt.date(2026, 12, 31)),
        ("Hemtjänst Kortedala closes as of 1 February 2027.", dt.date(2027, 1, 31)),
        # A day within a month is read as written; "i dag" is the day itself.
        ("Hemtjänst Kortedala stänger från och med 16 december.", dt.date(2026, 12, 16)),
        ("Hemtjänst Kortedala stänger från och med i dag.", dt.date(2026, 11, 20)),
        # A last day said outright wins over the "från och med" that implies one.
        (
            "Hemtjänst Kortedala stänger från och med 1 februari. Sista dag är 29 januari.",
            dt.date(2027, 1, 29),
        ),
        # Not a closing: a new unit starts on the first day itself.
        ("Hemtjänst Kortedala startar från och med den 1 februari 2027.", dt.date(2027, 2, 1)),
    ],
)
def test_a_closing_from_the_first_of_a_month_ends_the_day_before(body: str, date: dt.date) -> None:
    assert read(body, "Avslut", date=NOVEMBER_20).effective_date == date


def test_the_day_a_body_decides_is_not_the_day_of_the_change() -> None:
    u = read(
        "Förvaltningen har lämnat ett förslag till nämnden om att avveckla Daglig verksamhet "
        "Slottsberget. Nämnden behandlar ärendet den 15 december. Om nämnden beslutar enligt "
        "förslaget upphör verksamheten 2027-06-30.",
        "Förslag",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("close_unit", dt.date(2027, 6, 30))
    assert u.unsure is not None


def test_a_compass_place_name_keeps_the_name_after_it() -> None:
    u = read(
        "Hemtjänst Södra skärgården Styrsö läggs ned. Sista dag är tisdag 1 december 2026. "
        "Insatserna tas över av Hemtjänst Södra skärgården Vrångö, som finns kvar.",
        "Avslut",
        date=NOVEMBER_20,
    )

    assert u.units == ("Hemtjänst Södra skärgården Styrsö",)


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


def test_words_joined_by_an_ampersand_are_one_name() -> None:
    u = read(
        "Från 1 januari är Lejla Mehić ny enhetschef för Hem & Hjärta Hemtjänst.",
        "ny chef",
        sender="hemohjarta@gmail.com",
        date=NOVEMBER_20,
    )

    assert u.units == ("Hem & Hjärta Hemtjänst",)


@pytest.mark.parametrize(
    "greeting",
    ["God jul i förväg!", "Gott nytt år!", "Glad påsk", "Merry Christmas!", "Happy New Year,"],
)
def test_a_greeting_of_the_season_closes_the_mail(greeting: str) -> None:
    u = read(
        "Daglig verksamhet Lärkan kan inte ta emot nya deltagare från 1 december.\n\n"
        f"{greeting}\nMaria\nNyhet: Daglig verksamhet Tallbacken öppnar 1 mars",
        "Fullt",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.units) == ("capacity_full", ("Daglig verksamhet Lärkan",))


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


def test_a_name_held_since_a_day_is_a_rename_from_that_day() -> None:
    u = read(
        "Till er kännedom: Hemtjänst Lunden heter sedan den 1 november Hemtjänst Lindgården. "
        "Inget annat har ändrats.",
        "Namnbyte",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.new_name, u.effective_date) == (
        "rename_unit",
        "Hemtjänst Lindgården",
        dt.date(2026, 11, 1),
    )


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


def test_a_day_after_a_date_is_the_next_day() -> None:
    u = read(
        "Hemtjänst Lunden har sin sista dag under det namnet den 31 december. Det nya namnet, "
        "Hemtjänst Lindgården, gäller från dagen efter.",
        "Nytt namn",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("rename_unit", dt.date(2027, 1, 1))


def test_a_unit_named_by_its_street_closes_and_the_receiving_unit_goes_on() -> None:
    u = read(
        "Enheten på Tallbacksgatan läggs ner den 28 februari 2027. Brukarna flyttas till "
        "Hemtjänst Tynnered, som tar över alla insatser.",
        "Avveckling",
        date=NOVEMBER_20,
    )

    assert u.kind == "close_unit"
    assert "Hemtjänst Tynnered" not in u.units
    assert u.units == ("Enheten på Tallbacksgatan",)


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
    ("body", "unit"),
    [
        ("Min pappa får hemtjänst av Havsörn Omsorg. Stämmer det att de slutar?", "Havsörn Omsorg"),
        ("Hej! Nordljus Care har inga lediga platser från 1 december.", "Nordljus Care"),
    ],
)
def test_a_provider_named_by_its_brand_and_a_company_word(body: str, unit: str) -> None:
    u = read(body, "Fråga", sender="someone@example.com", date=NOVEMBER_20)

    assert unit in u.units


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


def test_a_name_in_brackets_after_a_unit_is_what_it_is_called() -> None:
    u = read(
        "Hemtjänst Västra Hisingen (”Hisingsteamet”) stänger den 31 mars 2027.",
        "Avslut",
        date=NOVEMBER_20,
    )

    assert u.units == ("Hemtjänst Västra Hisingen",)


def test_a_lower_case_name_keeps_its_noun() -> None:
    u = read(
        "hej vi stanger daglig verksamhet angered ateljen, sista dag ar 26/2 2027. mvh sara",
        "stanger",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.units) == ("close_unit", ("daglig verksamhet angered ateljen",))


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


def test_a_vague_time_in_the_text_outweighs_a_heading_without_one() -> None:
    u = read(
        "Hemtjänst Tuve kommer att kunna ta emot nya brukare igen i slutet av januari.",
        "Kan ta emot nya brukare igen",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("capacity_available", None)


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


def test_a_system_owner_reporting_an_order_done_announces_nothing() -> None:
    u = read(
        "Hej! Ärendet är åtgärdat: Hemtjänst Tuve är upplagd i Treserva från 2027-03-01 med "
        "ansvarskod 4471209.\n\nServicedesk",
        "SV: Beställning Treserva - ny enhet Hemtjänst Tuve",
        sender="servicedesk@intraservice.goteborg.se",
        date=NOVEMBER_20,
    )

    assert u.kind == "other"


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


def test_what_the_sender_does_not_see_shown_is_no_change() -> None:
    u = read(
        "Hur lång tid tar det innan Jämför service uppdateras? Vi skickade blanketten i "
        "oktober men jag hittar inte vår nya adress där.",
        "Fråga",
        sender="info@lovgardet.se",
        date=NOVEMBER_20,
    )

    assert u.kind == "other"


def test_split_compounds_of_a_second_language_are_read() -> None:
    u = read(
        "Enligt uppstart mötet skickar jag vår försäkrings brev. IT kontakt person är Ali Hassan.",
        "Nytt avtal",
        sender="info@lovgardet.se",
        date=NOVEMBER_20,
    )

    assert u.kind == "onboarding"


def test_a_brand_in_lower_case_before_its_type() -> None:
    u = read(
        "hej vi ar fulla nu pa blue sky hemtjanst, kan inte ta nya kunder. mvh ali",
        "fullt",
        sender="ali1987@gmail.com",
        date=NOVEMBER_20,
    )

    assert u.kind == "capacity_full"
    assert any("blue sky hemtjanst" in unit for unit in u.units)


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


def test_a_compound_of_unit_is_no_new_unit() -> None:
    u = read(
        "Vi öppnar en ny enhetssida för Daglig verksamhet Lyktan med bilder.",
        "Enhetssida",
        date=NOVEMBER_20,
    )

    assert u.kind != "new_unit"


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


def test_a_manager_who_leaves_changes_the_units_details_from_the_last_day() -> None:
    u = read(
        "Jag slutar som enhetschef för Hemtjänst Tuve. Min sista arbetsdag blir 29 januari "
        "2027. Någon efterträdare är inte klar.",
        "Jag slutar",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2027, 1, 29))


def test_the_companys_new_name_is_a_detail_and_its_units_keep_theirs() -> None:
    u = read(
        "Solkust Omsorg AB byter firmanamn till Solkust Vård och Omsorg AB från 1 januari "
        "2027. Våra enheter Solkust Hemtjänst Askim och Solkust Hemtjänst Billdal heter som "
        "förut.",
        "Nytt firmanamn",
        sender="info@solkust.se",
        date=NOVEMBER_20,
    )

    assert u.kind == "update_details"
    assert {"Solkust Hemtjänst Askim", "Solkust Hemtjänst Billdal"} <= set(u.units)
    assert "Solkust Vård" not in u.units


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


def test_a_changed_period_takes_effect_when_it_starts_not_when_it_ends() -> None:
    u = read(
        "Under perioden 22 december – 5 januari har Daglig verksamhet Lyktan öppet 9–14. "
        "Från 7 januari gäller våra vanliga öppettider igen. Kan ni lägga in det i Jämför "
        "service?",
        "Öppettider i jul",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2026, 12, 22))


def test_a_companys_own_address_with_the_units_unchanged_is_no_change_of_a_unit() -> None:
    u = read(
        "Från 1 december har Solkust Omsorg AB ny fakturaadress: Box 12, 402 24 Göteborg. "
        "Våra enheters besöksadresser och telefonnummer är oförändrade.",
        "Ny fakturaadress",
        sender="info@solkust.se",
        date=NOVEMBER_20,
    )

    assert u.kind == "other"


@pytest.mark.parametrize(
    "body",
    [
        "Vår nya enhetschef på Hemtjänst Tuve, som vi anmälde till er i oktober, trivs bra. "
        "God jul!",
        "Nedläggningen av Daglig verksamhet Lyktan den 31 januari är redan anmäld till EKU. "
        "Deltagarna har fått besked.",
    ],
)
def test_news_already_reported_is_no_notice(body: str) -> None:
    u = read(body, "Hälsning", date=NOVEMBER_20)

    assert u.kind == "other"


def test_a_change_whose_day_is_to_come_does_not_borrow_another_changes_day() -> None:
    u = read(
        "Två saker:\n\n- Hemtjänst Säve får ny e-postadress från 1 december.\n- Hemtjänst "
        "Tuve byter namn till Hemtjänst Tuve-Kärra under våren. Datumet är inte bestämt.",
        "Ändringar",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("rename_unit", None)


def test_a_detail_that_changed_is_a_change_in_the_past() -> None:
    u = read(
        "Adressen ändrades redan 1 oktober – Hemtjänst Tuve sitter nu på Tuvevägen 5.",
        "SV: Stämmer era uppgifter?",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2026, 10, 1))


def test_a_name_held_now_with_the_old_name_before_numera() -> None:
    u = read(
        "Som ni vet heter Hemtjänst Tuve numera Hemtjänst Tuve-Kärra sedan 1 november.",
        "Veckobrev",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.new_name) == ("rename_unit", "Hemtjänst Tuve-Kärra")
    assert u.units == ("Hemtjänst Tuve",)


def test_a_unit_named_whole_later_keeps_its_company() -> None:
    u = read(
        "Läget i Hemtjänst Centrum är gott.\n\nKim Ek blir ny enhetschef för Solkust "
        "Hemtjänst Centrum från 1 december.",
        "Månadsbrev",
        sender="info@solkust.se",
        date=NOVEMBER_20,
    )

    assert u.units == ("Solkust Hemtjänst Centrum",)


def test_a_notice_from_a_no_reply_address_is_read_and_never_answered() -> None:
    from rules.replies import reply_block_reason

    raw = build_mail(
        "Enhet | Hemtjänst Tuve\nVad ändras | Ny enhetschef\nNy uppgift | Kim Ek, "
        "kim.ek@goteborg.se\nÄndringen gäller från | 2027-01-04\n\nDetta är ett automatiskt "
        "utskick. Det går inte att svara på detta mejl.",
        subject="Nytt ärende: Ändring av verksamhetsuppgifter",
        sender="noreply@etjanster.goteborg.se",
        date=NOVEMBER_20,
    )
    mail = parse_mail(raw)
    u = understand(mail)

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2027, 1, 4))
    assert reply_block_reason(mail.headers, mail.from_address, kind=u.kind, own_addresses=())


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (
            "Automatisk svar: Nedleggelse av Hemtjänst Tuve",
            "Takk for e-posten. Jeg er på ferie og er tilbake mandag 7. desember.",
        ),
        (
            "[Support] Re: Merger of Hemtjänst Tuve and Hemtjänst Säve",
            "##- Please type your reply above this line -##\n\nYour request (51234) has been "
            "received and is being reviewed.",
        ),
    ],
)
def test_machines_answering_in_other_languages_and_ticket_systems(subject: str, body: str) -> None:
    u = read(body, subject, sender="support@example.com", date=NOVEMBER_20)

    assert u.kind == "auto_reply"


def test_a_ticket_system_reporting_an_order_done_announces_nothing() -> None:
    u = read(
        "Din begäran RITM0012345 har slutförts.\n\nKommentar: Daglig verksamhet Lyktan är "
        "avslutad i Treserva från och med 2027-01-31.",
        "RITM0012345 har slutförts: Avsluta enhet i Treserva",
        sender="servicedesk@intraservice.goteborg.se",
        date=NOVEMBER_20,
    )

    assert u.kind == "other"


@pytest.mark.parametrize(
    ("body", "kind", "date"),
    [
        (
            "Fra mandag 7. desember bytter Havblikk Hemtjänst Askim navn til Havblikk "
            "Hemtjänst Askim-Billdal.",
            "rename_unit",
            dt.date(2026, 12, 7),
        ),
        (
            "Havblikk Daglig verksamhet Lundby har igen ledige pladser fra mandag den 7. december.",
            "capacity_available",
            dt.date(2026, 12, 7),
        ),
        (
            "Havblikk Daglig verksamhet Lundby kan ikke ta imot nye deltakere fra 1. desember.",
            "capacity_full",
            dt.date(2026, 12, 1),
        ),
    ],
)
def test_norwegian_and_danish_notices(body: str, kind: str, date: dt.date) -> None:
    u = read(body, "Melding", sender="post@havblikk.no", date=NOVEMBER_20)

    assert (u.kind, u.effective_date) == (kind, date)


def test_a_reply_takes_no_date_from_a_quote_about_another_change() -> None:
    u = read(
        "Thanks! Also: Kim Ek has taken over as unit manager of Hemtjänst Säve. Could you "
        "update this in Jämför service?\n\nFrom: LOV\nSent: 17 November 2026\n\nVi har tagit "
        "emot ert meddelande om att Hemtjänst Tuve startar 2027-02-01.",
        "RE: Kvittens: Ny enhet Hemtjänst Tuve",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("update_details", None)


def test_a_meeting_invitation_announces_nothing() -> None:
    u = read(
        "Välkommen till dialogmöte!\n\nAgenda:\n1. Kapacitet inför jul\n2. Matleveranser "
        "under helgerna\n3. Övriga frågor",
        "Inbjudan: Dialogmöte privata utförare",
        date=NOVEMBER_20,
    )

    assert u.kind == "other"


def test_a_finnish_company_written_ab_names_its_brand() -> None:
    u = read(
        "Skärgård Dagverksamhet Majorna avslutas, sista verksamhetsdag är 26.2.2027.\n\n"
        "Mvh\nMikko\nSkärgård Omsorg Ab",
        "Avslut",
        sender="mikko@example.fi",
        date=NOVEMBER_20,
    )

    assert u.units == ("Skärgård Dagverksamhet Majorna",)


def test_a_message_forwarded_as_an_attachment_is_the_forwards_content() -> None:
    from email.message import EmailMessage
    from email.policy import SMTP

    inner = EmailMessage(policy=SMTP)
    inner["From"] = "eva@funktionsstod.goteborg.se"
    inner["Subject"] = "Avslut Daglig verksamhet Lyktan"
    inner.set_content("Daglig verksamhet Lyktan avslutas. Sista dag är 29 januari 2027.\n")
    outer = EmailMessage(policy=SMTP)
    outer["From"] = "registrator@funktionsstod.goteborg.se"
    outer["To"] = "LOV@stadshuset.goteborg.se"
    outer["Subject"] = "VB: Avslut Daglig verksamhet Lyktan"
    outer["Date"] = "Fri, 20 Nov 2026 09:00:00 +0100"
    outer.set_content("Vidarebefordrat automatiskt. Originalmeddelandet bifogas.\n")
    outer.add_attachment(inner)

    u = understand(parse_mail(outer.as_bytes()))

    assert (u.kind, u.effective_date) == ("close_unit", dt.date(2027, 1, 29))


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


@pytest.mark.parametrize(
    ("body", "new_name"),
    [
        (
            "Daglig verksamhet Ek och Daglig verksamhet Ask slås samman. Från 1 mars 2027 blir "
            "de en gemensam enhet som heter Daglig verksamhet Lunden.",
            "Daglig verksamhet Lunden",
        ),
        (
            "Inför förändringen i Tuve: Hemtjänst Tuve Östra och Hemtjänst Tuve Västra slås "
            "samman 1 mars 2027. Tuve Östra finns kvar men byter i samband med det namn till "
            "Hemtjänst Tuve.",
            "Hemtjänst Tuve",
        ),
        (
            "Vi skjuter upp sammanslagningen av Hemtjänst Ek och Hemtjänst Ask till 1 april "
            "2027. Namnet (Hemtjänst Eskil) och ansvarskoden är desamma.",
            "Hemtjänst Eskil",
        ),
    ],
)
def test_a_merges_new_name_said_in_other_words(body: str, new_name: str) -> None:
    u = read(body, "Sammanslagning", date=NOVEMBER_20)

    assert (u.kind, u.new_name) == ("merge_units", new_name)


@pytest.mark.parametrize(
    "body",
    [
        "Från 11 januari slås områdets två kontor samman på Marconigatan 3.",
        "Inom Hemtjänst Tuve slås arbetslagen Tuve Norr och Tuve Söder ihop från 1 januari. "
        "Enheten är densamma.",
    ],
)
def test_what_merges_inside_the_verb_is_no_unit(body: str) -> None:
    u = read(body, "Information", date=NOVEMBER_20)

    assert u.kind != "merge_units"


def test_a_split_starts_new_units() -> None:
    u = read(
        "Hemtjänst Tuve kommer att delas i två enheter från 1 april 2027, Hemtjänst Tuve "
        "Norra och Hemtjänst Tuve Södra. Tuve upphör när de nya startar.",
        "Delning",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("new_unit", dt.date(2027, 4, 1))


def test_a_present_state_after_a_past_event_is_from_today() -> None:
    u = read(
        "Sedan Daglig verksamhet Ek slogs ihop med oss i oktober är Daglig verksamhet Ask nu "
        "fullbelagd.",
        "Fullt",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("capacity_full", dt.date(2026, 11, 20))


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


def test_the_day_of_a_meeting_is_not_the_changes() -> None:
    u = read(
        "Tack för uppstartsmötet i tisdags! Som vi sa startar vi Daglig verksamhet Ek till "
        "våren; blanketten kommer.",
        "Ny enhet",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("new_unit", None)


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


@pytest.mark.parametrize(
    ("body", "subject"),
    [
        ("Från 1 mars har Till Hands Hemtjänst Kortedala nytt nummer: 031-711 45 00.", "Nummer"),
        ("Till Hands Hemtjänst Kortedala stänger den 31 mars 2027.", "Avslut"),
    ],
)
def test_a_company_that_begins_with_a_small_word_keeps_it(body: str, subject: str) -> None:
    u = read(body, subject, date=NOVEMBER_20, sender="eva@tillhands.se")

    assert list(u.units) == ["Till Hands Hemtjänst Kortedala"]


def test_a_new_name_that_begins_with_a_small_word_is_the_new_name() -> None:
    u = read(
        "Från den 1 mars 2027 byter Till Hands Hemtjänst Kortedala namn till Till Hands "
        "Hemtjänst Kortedala-Bergsjön.",
        "Namnbyte",
        date=NOVEMBER_20,
        sender="eva@tillhands.se",
    )

    assert (list(u.units), u.new_name) == (
        ["Till Hands Hemtjänst Kortedala"],
        "Till Hands Hemtjänst Kortedala-Bergsjön",
    )


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


def test_a_rumour_denied_is_no_change_and_the_real_one_stands() -> None:
    u = read(
        "Det går rykten bland anhöriga om att Daglig verksamhet Ek ska läggas ned. Det stämmer "
        "inte. Från den 1 mars 2027 har Daglig verksamhet Ek ny besöksadress: Storgatan 1.",
        "Ny adress",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.also, u.effective_date) == ("update_details", (), dt.date(2027, 3, 1))


@pytest.mark.parametrize(
    "body",
    [
        "Vi har pratat om att kanske byta namn på Hemtjänst Ek nästa år. Hur gör man då?",
        "Hemtjänst Ek ska möjligen få ett nytt namn, men vi har inte bestämt oss än.",
    ],
)
def test_a_change_talked_of_and_undecided_is_no_notice(body: str) -> None:
    u = read(body, "Fråga", date=NOVEMBER_20)

    # Held for EKU either way: no kind, or the kind with nothing asked of the sender.
    assert u.kind == "other" or u.undecided


@pytest.mark.parametrize(
    "body",
    [
        "Lite sent kanske, men Hemtjänst Ek byter namn till Hemtjänst Lind från 1 april 2027.",
        "Hemtjänst Ek byter namn till Hemtjänst Lind. Vi har inte bestämt från vilket datum.",
        "Som vi pratat om: Hemtjänst Ek byter namn till Hemtjänst Lind från 1 april 2027.",
    ],
)
def test_a_hedge_on_something_else_leaves_the_change_decided(body: str) -> None:
    u = read(body, "Namnbyte", date=NOVEMBER_20)

    assert (u.kind, u.new_name, u.unsure, u.undecided) == (
        "rename_unit",
        "Hemtjänst Lind",
        None,
        False,
    )


def test_a_change_called_off_in_the_subject_announces_nothing() -> None:
    u = read(
        "I oktober meddelade vi att Hemtjänst Ek och Hemtjänst Ask skulle slås samman den 1 "
        "januari 2027. Ledningen har nu beslutat att inte genomföra sammanslagningen. Båda "
        "enheterna fortsätter som i dag.",
        "Sammanslagningen Ek/Ask blir inte av",
        date=NOVEMBER_20,
    )

    assert u.kind == "other"


def test_asking_whether_a_third_party_said_a_change_is_no_notice() -> None:
    u = read(
        "En brukare valde Hemtjänst Ek, men när jag ringde sa de i telefon att de inte tar emot "
        "några nya kunder. Har ni fått något besked från Hemtjänst Ek om att de är fulla?",
        "Fråga om Hemtjänst Ek",
        date=NOVEMBER_20,
        sender="hanna.ek@socialtjanst.goteborg.se",
    )

    assert u.kind == "other"


def test_a_reorganisations_table_names_the_merge_and_what_it_becomes() -> None:
    u = read(
        "Så här ser det ut efter omorganisationen:\n\n"
        "Enhet i dag\tVad händer\tEnhet från 1 mars 2027\n"
        "Hemtjänst Ek\tGår ihop med Hemtjänst Ask\tHemtjänst Lind\n"
        "Hemtjänst Ask\tGår ihop med Hemtjänst Ek\tHemtjänst Lind\n"
        "Hemtjänst Alm\tOförändrad\tHemtjänst Alm\n\n"
        "Sammanslagningen gäller från den 1 mars 2027.",
        "Omorganisation",
        date=NOVEMBER_20,
    )

    assert (u.kind, sorted(u.units), u.new_name) == (
        "merge_units",
        ["Hemtjänst Ask", "Hemtjänst Ek"],
        "Hemtjänst Lind",
    )


def test_a_merges_new_name_said_in_apposition() -> None:
    u = read(
        "Hemtjänst Ek och Hemtjänst Ask slås samman den 1 mars 2027. Den sammanslagna enheten "
        "får ett nytt namn, Hemtjänst Lind, och ingen av de nuvarande enheterna finns kvar.",
        "Sammanslagning",
        date=NOVEMBER_20,
    )

    assert (sorted(u.units), u.new_name) == (["Hemtjänst Ask", "Hemtjänst Ek"], "Hemtjänst Lind")


def test_a_reply_that_asks_leave_does_not_announce_the_quoted_change_again() -> None:
    raw = build_mail(
        "Hej!\n\nEn socialsekreterare ber oss sätta en deltagare först i kön. Får vi göra så, "
        "eller ska vi följa datumordningen?\n\nHälsningar\nMaria\n\n"
        "Från: LOV\nSkickat: den 30 november 2026 09:30\nÄmne: SV: Fullt på DV Ek\n\n"
        "Tack, vi har noterat att Daglig verksamhet Ek är fullbelagd från 1 december.",
        subject="SV: SV: Fullt på DV Ek",
        date=NOVEMBER_20,
    )

    assert understand(parse_mail(raw)).kind == "other"


@pytest.mark.parametrize(
    ("written", "day"),
    [("den förste januari 2027", 1), ("den tjugoförste januari 2027", 21)],
)
def test_the_masculine_ordinal_is_a_day(written: str, day: int) -> None:
    u = read(
        f"Från {written} byter Hemtjänst Ek namn till Hemtjänst Lind.",
        "Namnbyte",
        date=NOVEMBER_20,
    )

    assert u.effective_date == dt.date(2027, 1, day)


def test_a_company_read_at_the_end_of_the_new_name_is_part_of_it() -> None:
    u = read(
        "Från den 1 januari 2027 byter Hemma Trygg Hemtjänst namn till Tryggt Hemma Omsorg.",
        "Vi byter namn",
        date=NOVEMBER_20,
        sender="camilla@hemmatrygg.nu",
    )

    assert (list(u.units), u.new_name) == (["Hemma Trygg Hemtjänst"], "Tryggt Hemma Omsorg")


def test_today_before_the_old_value_is_what_it_is_now_not_a_day() -> None:
    u = read(
        "Efter årsskiftet får Hemtjänst Ek en ny e-postadress: ek@exempel.se (i dag "
        "hemtjanst.ek@exempel.se). Exakt när vet vi inte ännu.",
        "Ny e-postadress",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("update_details", None)


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


def test_a_name_ending_in_s_written_whole_elsewhere_keeps_its_s() -> None:
    u = read(
        "Från och med den 1 april 2027 byter Daglig verksamhet Sävenäs namn till Daglig "
        "verksamhet Sävenäs Ateljé.",
        "Namnbyte Daglig verksamhet Sävenäs",
        date=NOVEMBER_20,
    )

    assert (list(u.units), u.new_name) == (
        ["Daglig verksamhet Sävenäs"],
        "Daglig verksamhet Sävenäs Ateljé",
    )


@pytest.mark.parametrize(
    "body",
    [
        "Från den 1 april 2027 heter vår hemtjänst Lind Omsorg Hemtjänst i stället för Lind "
        "Hemtjänst.",
        "Från den 1 april 2027 heter Lind Omsorg Hemtjänst i stället för Lind Hemtjänst.",
    ],
)
def test_heter_x_i_stallet_for_y_renames_y(body: str) -> None:
    u = read(body, "Vi byter namn", date=NOVEMBER_20, sender=PRIVATE)

    assert (u.kind, list(u.units), u.new_name) == (
        "rename_unit",
        ["Lind Hemtjänst"],
        "Lind Omsorg Hemtjänst",
    )


def test_old_numbers_that_close_are_no_closing() -> None:
    u = read(
        "Från och med 1 januari 2027 nås Hemtjänst Ek och Hemtjänst Ask på ett gemensamt "
        "nummer, 031-788 40 00, och de gamla direktnumren stängs samtidigt.",
        "Nytt telefonnummer",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.also) == ("update_details", ())


def test_which_unit_closes_still_open_is_held_for_eku() -> None:
    u = read(
        "Vi kommer att behöva stänga en av våra två enheter, Hemtjänst Ek eller Hemtjänst Ask. "
        "Vilken det blir avgörs på styrelsemötet den 14 december. Den enhet som berörs har "
        "sista dag den 28 februari 2027. Vi skickar ett nytt mejl när beslutet är fattat.",
        "Förvarning",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.also, u.undecided) == ("close_unit", (), True)


def test_a_detail_still_open_leaves_the_change_decided() -> None:
    u = read(
        "Daglig verksamhet Ek startar den 3 januari 2028. Antalet platser är inte klart, det "
        "avgörs när lokalen är besiktigad.",
        "Ny enhet",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.undecided) == ("new_unit", False)


def test_three_units_that_become_one_new_unit_are_a_merge_with_its_name() -> None:
    u = read(
        "Från och med 1 februari 2027 blir Hemtjänst Ek Västra, Hemtjänst Ek Östra och "
        "Hemtjänst Ask en gemensam enhet med namnet Hemtjänst Lind. Ingen av de tre enheterna "
        "blir kvar och ersätts av den nya enheten.",
        "Sammanslagning",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.new_name) == ("merge_units", "Hemtjänst Lind")
    assert "Hemtjänst Lind" not in u.units


def test_places_for_new_people_again_are_free_places() -> None:
    u = read(
        "Kön är nu tom. Från måndag 7 december 2026 har Daglig verksamhet Ek därför plats för "
        "nya deltagare igen.",
        "Platser",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("capacity_available", dt.date(2026, 12, 7))


@pytest.mark.parametrize(
    ("body", "unit"),
    [
        ("Vi på Ekgruppen har plats för nya deltagare igen från 7 december 2026.", "Ekgruppen"),
        (
            "Verksamheten på Storgatan 8 är full från och med i dag.",
            "Verksamheten på Storgatan",
        ),
    ],
)
def test_a_unit_named_without_a_type_outweighs_the_signatures_company(body: str, unit: str) -> None:
    u = read(
        f"{body}\n\nHälsningar\nJohan\nVerksamhetsledare\nLind Daglig Verksamhet AB",
        "Kapacitet",
        date=NOVEMBER_20,
        sender=PRIVATE,
    )

    assert list(u.units) == [unit]


def test_a_table_typed_with_wide_spaces_is_read_row_by_row() -> None:
    u = read(
        "Här är vårt läge från och med måndag 14 december 2026:\n\n"
        "Enhet                        Läge från 14/12\n"
        "Ek Omsorg Hemtjänst Centrum     Fullt – tar inte emot nya kunder\n"
        "Ek Omsorg Hemtjänst Hisingen    Har plats för nya kunder igen (ingen kö)\n"
        "Ek Omsorg Hemtjänst Östra       Oförändrat\n",
        "Kapacitet per enhet",
        date=NOVEMBER_20,
        sender="lina@ekomsorg.se",
    )

    assert (u.kind, u.also) == ("capacity_full", ("capacity_available",))
    assert list(u.units) == ["Ek Omsorg Hemtjänst Centrum", "Ek Omsorg Hemtjänst Hisingen"]


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


def test_today_in_the_reason_for_a_change_is_not_its_day() -> None:
    u = read(
        "Två förändringar från och med 1 februari 2027:\n"
        "1. Oskar Hedlund blir ny enhetschef.\n"
        "2. Samtidigt byter Daglig verksamhet Ek namn till Daglig verksamhet Eks Café, eftersom "
        "caféet i dag är den största delen av verksamheten.",
        "Förändringar",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("rename_unit", dt.date(2027, 2, 1))


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


def test_a_second_unit_decided_for_a_season_asks_for_its_day() -> None:
    u = read(
        "Styrelsen har beslutat att vi ska öppna en andra enhet, Lind Hemtjänst Hisingen. "
        "Starten blir under hösten 2027; exakt startdatum kan vi inte ge ännu.",
        "Vi startar på Hisingen 2027",
        date=NOVEMBER_20,
        sender="annelie@lind.se",
    )

    assert (u.kind, u.effective_date) == ("new_unit", None)


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


def test_a_terse_merge_with_an_arrow_names_its_unit_and_code() -> None:
    u = read(
        "- DV Ek Verkstad + DV Ek Café → Daglig verksamhet Ek\n- fr 1/2\n- ingen av de två finns "
        "kvar\n- ansv.kod 4713305",
        "Sammanslagning DV Ek",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.new_name, u.ansvarskod) == (
        "merge_units",
        "Daglig verksamhet Ek",
        "4713305",
    )


def test_a_rename_line_with_an_arrow_is_not_run_into_the_next() -> None:
    u = read(
        "Daglig verksamhet Bagaregården → Daglig verksamhet Bagaregårdens Kafé\n"
        "KOM informerad via förv.redaktör.",
        "Namnbyte fr.o.m. 1/1",
        date=NOVEMBER_20,
    )

    assert u.new_name == "Daglig verksamhet Bagaregårdens Kafé"


def test_a_lower_case_unit_keeps_its_place_word() -> None:
    u = read("ht angered centrum fullt fr o m idag, inga nya brukare tills vidare. /sanna", "fullt")

    assert list(u.units) == ["ht angered centrum"]


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


def test_a_new_name_not_decided_yet_leaves_the_rename_asking_for_it() -> None:
    u = read(
        "Nytt namn ej beslutat än, återkommer. /Ali",
        "Hemtjänst Ek – namnbyte 1/2",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.new_name, u.effective_date) == ("rename_unit", None, dt.date(2027, 2, 1))


@pytest.mark.parametrize(
    ("body", "new_name"),
    [
        (
            "Från 1 april 2027 byter Daglig verksamhet Ek namn till Daglig verksamhet Eks Kafé "
            "och Bageri.",
            "Daglig verksamhet Eks Kafé och Bageri",
        ),
        (
            "Från 1 april 2027 byter Daglig verksamhet Ek namn till Daglig verksamhet Eks Kafé "
            "& Bageri.",
            "Daglig verksamhet Eks Kafé & Bageri",
        ),
        (
            "Från 1 april 2027 byter Daglig verksamhet Ek namn till Daglig verksamhet Lind och "
            "Hemtjänst Ask byter namn till Hemtjänst Alm.",
            "Daglig verksamhet Lind",
        ),
    ],
)
def test_a_new_name_with_och_inside_is_one_name(body: str, new_name: str) -> None:
    assert read(body, "Namnbyte", date=NOVEMBER_20).new_name == new_name


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


def test_a_new_name_with_an_ampersand_is_one_name() -> None:
    u = read(
        "Från 1 juni 2027 byter Kreativa Händer Textilverkstan Lindholmen namn till Kreativa "
        "Händer Textil & Tryck Lindholmen.",
        "Namnbyte",
        date=NOVEMBER_20,
        sender="info@kreativahander.se",
    )

    assert u.new_name == "Kreativa Händer Textil & Tryck Lindholmen"


def test_a_proper_name_before_a_capitalised_type_opens_a_sentence() -> None:
    u = read(
        "Solstrålen Daglig verksamhet har två lediga platser från 1 april 2027 och ingen kö.",
        "Lediga platser",
        date=NOVEMBER_20,
        sender="solstralen@gmail.com",
    )

    assert list(u.units) == ["Solstrålen Daglig verksamhet"]


def test_a_renames_arrow_in_a_list_item_is_a_rename() -> None:
    u = read(
        "Några ändringar:\n- Namn: Lind Hemtjänst Ek → Lind Hemtjänst Ask (gäller från 1 "
        "januari 2027)\n- Telefon och adress är oförändrade.",
        "Ändringar",
        date=NOVEMBER_20,
        sender=PRIVATE,
    )

    assert (u.kind, u.new_name, u.effective_date) == (
        "rename_unit",
        "Lind Hemtjänst Ask",
        dt.date(2027, 1, 1),
    )


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


def test_places_still_taken_beside_a_real_change_are_no_change() -> None:
    u = read(
        "För att undvika missförstånd: vi har inte nått kapacitetstaket och tar fortfarande "
        "emot nya deltagare.\nMen Daglig verksamhet Ek flyttar. Från och med 18 januari 2027 "
        "är besöksadressen Storgatan 5.",
        "Ny adress – Daglig verksamhet Ek",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.also) == ("update_details", ())


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


# Dates as people write them (blind corpora fiftyfive, fiftyseven): words, weeks and turns
# counted from the mail's own day, Friday 20 November 2026 here.
@pytest.mark.parametrize(
    ("body", "subject", "kind", "day"),
    [
        # A perfect tense with a day ahead is a state from that day, not last year's.
        (
            "Hemtjänst Kärra har nått taket från och med första december och tar inte emot "
            "fler brukare tills vidare.",
            "Fullt",
            "capacity_full",
            dt.date(2026, 12, 1),
        ),
        # A name ending in -en after "har" is no participle.
        (
            "Från v 2 har Hemtjänst Kärra Centrumgården ett nytt telefonnummer: 031-365 00 00.",
            "Nytt nummer",
            "update_details",
            dt.date(2027, 1, 11),
        ),
        (
            "Daglig verksamhet Eken tar emot nya deltagare igen efter helgen. Ingen kö.",
            "Lediga platser",
            "capacity_available",
            dt.date(2026, 11, 23),
        ),
        (
            "Hemtjänst Kärra läggs ned. Verksamheten pågår fram till månadsskiftet och "
            "upphör sedan.",
            "Nedläggning",
            "close_unit",
            dt.date(2026, 11, 30),
        ),
        (
            "Från den första i nästa månad har Daglig verksamhet Eken ny besöksadress: "
            "Storgatan 4. Själv är jag ledig 21/12–6/1.",
            "Ny adress",
            "update_details",
            dt.date(2026, 12, 1),
        ),
        (
            "Vi avvecklar Lindens Hemtjänst Askim. Sista dagen med insatser blir torsdag "
            "nästa vecka.",
            "Avveckling",
            "close_unit",
            dt.date(2026, 11, 26),
        ),
        (
            "Hemtjänst Kärra stängs från och med 1 februari 2027. Sista dag med besök hos "
            "brukarna är torsdag 28 januari.",
            "Stängning",
            "close_unit",
            dt.date(2027, 1, 28),
        ),
        (
            "Daglig verksamhet Eken byter namn till Daglig verksamhet Ekbacken från 1 "
            "januari.\nRättelse: jag skrev fel, det gäller från 1 februari 2027, inte 1 "
            "januari.",
            "Namnbyte",
            "rename_unit",
            dt.date(2027, 2, 1),
        ),
    ],
)
def test_days_written_in_words_weeks_and_turns_are_counted_from_the_mail(
    body: str, subject: str, kind: str, day: dt.date
) -> None:
    u = read(body, subject, date=NOVEMBER_20)

    assert (u.kind, u.effective_date) == (kind, day)


def test_from_other_units_is_no_day_ahead() -> None:
    u = read(
        "Vi har startat en ny enhet, Daglig verksamhet Kompassen. Den startade 1 oktober "
        "med fyra deltagare som flyttat över från andra enheter.",
        "Ny enhet",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("new_unit", dt.date(2026, 10, 1))


# Lookalikes (blind corpus fiftysix): the words of a change said of something else, or as
# background, or long ago.
@pytest.mark.parametrize(
    ("subject", "body"),
    [
        # The books, an account, a login close, not the unit.
        (
            "Fråga om utbetalning – Lindens Hemtjänst Askim",
            "Vi saknar ersättning för 12 timmar i september. Vi stänger räkenskapsåret den "
            "20 december, så svara gärna före dess.",
        ),
        (
            "Avsluta konto i Treserva",
            "Lisa Berg har slutat hos oss på Lindens Hemtjänst Askim. Kan ni avsluta kontot?",
        ),
        # A post advertised is not a manager appointed.
        (
            "Annons: enhetschef",
            "Vi rekryterar en ny enhetschef till Daglig verksamhet Eken. Sista ansökningsdag "
            "är 15 december.",
        ),
        # What happened since is the time of a complaint, not a notice.
        (
            "Synpunkter",
            "Jag vill lämna synpunkter på Lindens Hemtjänst Askim. Sedan de fick ny "
            "enhetschef i våras har det blivit svårt att nå dem. Vart vänder jag mig?",
        ),
        # A wish some day is no new unit.
        (
            "Ny enhet?",
            "Vi drömmer om att öppna en ny enhet i Kortedala, kanske om några år. Hur gör man då?",
        ),
        # Capacity a year ago, in a report.
        (
            "Beläggning 2025",
            "Sammanställning för 2025: Daglig verksamhet Eken hade inga lediga platser från "
            "2025-03-01 och ledig kapacitet från 2025-08-15.",
        ),
    ],
)
def test_a_lookalike_orders_nothing(subject: str, body: str) -> None:
    u = read(body, subject, date=NOVEMBER_20, sender=PRIVATE)

    assert u.kind == "other"


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (
            "Jag går vidare till en ny tjänst. Anna Lund har tagit över som enhetschef för "
            "Daglig verksamhet Eken; hon nås på 031-365 00 00.",
            "update_details",
        ),
        # Since a day is the day of the change.
        (
            "Sedan 1 november har Daglig verksamhet Eken en ny enhetschef, Anna Lund.",
            "update_details",
        ),
        # Politeness is no doubt.
        (
            "Jag skulle vilja meddela att Daglig verksamhet Eken läggs ned den 31 mars 2027.",
            "close_unit",
        ),
    ],
)
def test_the_real_change_beside_the_lookalikes_is_read(body: str, kind: str) -> None:
    u = read(body, "Information", date=NOVEMBER_20)

    assert (u.kind, u.unsure) == (kind, None)


def test_a_temporary_number_between_two_days_takes_the_first() -> None:
    u = read(
        "Mellan den 21 och 27 december når man Hemtjänst Kärra på 0709-00 00 00 i stället "
        "för det vanliga numret. Kan ni lägga in det i Jämför service?",
        "Tillfälligt nummer",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2026, 12, 21))


def test_a_merged_units_name_both_old_names_began_with_is_the_new_name() -> None:
    u = read(
        "Hemtjänst Kärra Östra och Hemtjänst Kärra Västra slås samman den 1 mars 2027. Den "
        "sammanslagna enheten heter Hemtjänst Kärra; ingen av de två nuvarande enheterna "
        "finns kvar under sitt gamla namn. Ansvarskod 5530999.",
        "Sammanslagning",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.new_name) == ("merge_units", "Hemtjänst Kärra")


# Dictated and written in a hurry (blind corpus fiftyseven): names in lower case, brands as
# the mail domain spells them, a closing for a while.
@pytest.mark.parametrize(
    ("body", "new_name"),
    [
        (
            "hej dv kvarnen byter namn till daglig verksamhet kvarnens bageri från första "
            "mars mvh lena",
            "daglig verksamhet kvarnens bageri",
        ),
        (
            "hej hemtjänst kärra byter namn den första mars till hemtjänst kärra norr",
            "hemtjänst kärra norr",
        ),
        (
            "daglig verksamhet kvarnen ska byta namn och det nya namnet blir daglig "
            "verksamhet kvarnens bageri datum kommer",
            "daglig verksamhet kvarnens bageri",
        ),
    ],
)
def test_a_new_name_in_lower_case_is_read(body: str, new_name: str) -> None:
    u = read(body, "namnbyte", date=NOVEMBER_20)

    assert (u.kind, u.new_name) == ("rename_unit", new_name)


@pytest.mark.parametrize(
    ("body", "sender", "unit"),
    [
        (
            "hej lind omsorg hemtjänst askim har fått ny enhetschef från första december "
            "hon heter sara holm",
            PRIVATE,
            "lind omsorg hemtjänst askim",
        ),
        (
            "hej lind omsorg askim har ny enhetschef från första december hon heter sara holm",
            PRIVATE,
            "lind omsorg askim",
        ),
        (
            "hej hem tjänst kärra har nått taket från och med första december",
            "anna.lind@aldrevardomsorg.goteborg.se",
            "hem tjänst kärra",
        ),
    ],
)
def test_a_unit_in_lower_case_is_named_with_its_brand(body: str, sender: str, unit: str) -> None:
    u = read(body, "ändring", date=NOVEMBER_20, sender=sender)

    assert unit in u.units


def test_a_closing_for_a_while_is_held_for_eku() -> None:
    u = read(
        "Vi måste stänga Daglig verksamhet Eken från och med 1 januari på grund av en "
        "vattenskada. Vi vet inte hur länge det blir, kanske några månader.",
        "Vattenskada",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.unsure is not None) == ("close_unit", True)


def test_a_closing_that_will_not_open_again_is_for_good() -> None:
    u = read(
        "Daglig verksamhet Eken stänger den 31 januari 2027 efter en vattenskada och "
        "kommer inte att öppna igen. Deltagarna har fått nya platser.",
        "Stängning",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.unsure) == ("close_unit", None)


@pytest.mark.parametrize(
    ("subject", "body", "kind", "day", "unit"),
    [
        # Without å, ä and ö, as a foreign keyboard writes.
        (
            "stangning",
            "hej vi stanger hemtjanst kullen fran och med forsta februari tjugotjugosju sista "
            "dagen ar den trettioforsta januari mvh sara",
            "close_unit",
            dt.date(2027, 1, 31),
            "hemtjanst kullen",
        ),
        # In capitals, and without å, ä and ö.
        (
            "LEDIGA PLATSER",
            "HEJ DAGLIG VERKSAMHET EKEN KAN TA EMOT NYA DELTAGARE IGEN FRAN OCH MED FORSTA "
            "DECEMBER INGEN KO MVH PER",
            "capacity_available",
            dt.date(2026, 12, 1),
            "daglig verksamhet eken",
        ),
        # A spoken year after a day in words.
        (
            "ny enhet",
            "hej vi startar daglig verksamhet kvarnen den första mars tjugotjugosju blanketten "
            "kommer",
            "new_unit",
            dt.date(2027, 3, 1),
            "daglig verksamhet kvarnen",
        ),
    ],
)
def test_mail_without_swedish_letters_or_in_capitals_is_read(
    subject: str, body: str, kind: str, day: dt.date, unit: str
) -> None:
    u = read(body, subject, date=NOVEMBER_20)

    assert (u.kind, u.effective_date, unit in u.units) == (kind, day, True)


def test_an_english_mail_without_swedish_letters_is_left_as_it_is() -> None:
    u = read(
        "Hi, from 1 March 2027 the phone number of Daglig verksamhet Eken is 031-365 00 00. "
        "Calls for the old number are forwarded over the holidays; for questions, ask Anna.",
        "New phone number",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2027, 3, 1))


def test_a_new_name_without_swedish_letters_keeps_the_senders_spelling() -> None:
    u = read(
        "namnbyt pa var enhet lind omsorg hemtjanst askim fran och med forsta januari "
        "tjugotjugosju heter den lind omsorg hemtjanst askim hovas",
        "namnbyt",
        date=NOVEMBER_20,
        sender=PRIVATE,
    )

    assert (u.kind, u.new_name, u.effective_date) == (
        "rename_unit",
        "lind omsorg hemtjanst askim hovas",
        dt.date(2027, 1, 1),
    )


def test_a_brand_ending_in_gruppen_is_no_group_of_the_unit() -> None:
    u = read(
        "hej lindgruppen hemtjänst askim kan ta emot nya brukare igen nu och har ingen kö",
        "kan ta emot igen",
        date=NOVEMBER_20,
        sender="per.holm@lindgruppen.se",
    )

    assert (u.kind, u.unsure) == ("capacity_available", None)


def test_a_full_unit_that_keeps_a_queue_is_full() -> None:
    u = read(
        "Daglig verksamhet Eken har nått taket. Från och med 1 december kan vi inte ta emot "
        "fler deltagare. Handläggare som har någon som vill hit kan ställa dem i kö, så hör "
        "vi av oss när en plats blir ledig.",
        "Fullt",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.unsure) == ("capacity_full", None)


def test_the_senders_own_account_of_a_meeting_is_no_hearsay() -> None:
    u = read(
        "Som vi kom överens om på uppstartsmötet: enligt vad vi sa där skickar vi här våra "
        "IT-kontaktpersoner, Sara Holm och Per Lind.",
        "IT-kontaktpersoner Lind Omsorg AB",
        date=NOVEMBER_20,
        sender=PRIVATE,
    )

    assert u.kind == "onboarding"


# Unit names as people write them (blind corpus fiftynine).
@pytest.mark.parametrize(
    ("subject", "body", "unit"),
    [
        (
            "Avslut",
            "Daglig verksamhet Kvarnens trädgård läggs ned. Sista dag är 31 mars 2027.",
            "Daglig verksamhet Kvarnens trädgård",
        ),
        (
            "Avslut",
            "Vi har fått beslut om att verksamheten ska avvecklas och därför avslutas Daglig "
            "verksamhet Lindens\nbageri. Sista dag är 31 mars 2027.",
            "Daglig verksamhet Lindens bageri",
        ),
        (
            "Fullt",
            "Daglig verksamhet S:t Jörgens gård har inga lediga platser från 1 december.",
            "Daglig verksamhet S:t Jörgens gård",
        ),
        (
            "Ny adress",
            "Hemtjänst Kortedala–Bergsjön flyttar. Från 11 januari 2027 är besöksadressen "
            "Storgatan 4.",
            "Hemtjänst Kortedala–Bergsjön",
        ),
        (
            "Avslut",
            "Dagl. verks. Kastanjen avslutas. Sista dag är 31 mars 2027.",
            "Dagl. verks. Kastanjen",
        ),
        (
            "Avslut",
            "Kvarnbäckens dagliga verksamhet i Angered upphör den 31 mars 2027.",
            "Kvarnbäckens dagliga verksamhet",
        ),
        (
            "Lediga platser",
            "Daglig verksamhet Över Ån kan ta emot nya deltagare från 1 december.",
            "Daglig verksamhet Över Ån",
        ),
        (
            "Nytt nummer",
            "Från 1 januari 2027 har Vård 365 Hemtjänst Kärra ett nytt telefonnummer: "
            "031-700 00 00.",
            "Vård 365 Hemtjänst Kärra",
        ),
    ],
)
def test_a_unit_name_is_read_whole(subject: str, body: str, unit: str) -> None:
    u = read(body, subject, date=NOVEMBER_20)

    assert unit in u.units


def test_a_new_name_ending_in_a_lower_case_noun_is_read_whole() -> None:
    u = read(
        'Daglig verksamhet Kvarnen byter namn till "Kvarnens bageri" från 1 februari 2027.',
        "Namnbyte",
        date=NOVEMBER_20,
    )

    assert u.new_name == "Kvarnens bageri"


def test_a_unit_whose_name_holds_a_word_of_change_is_no_change() -> None:
    u = read(
        "Daglig verksamhet Nyöppningen har bytt inriktning. Vi vill ha en ny beskrivning i "
        "Jämför service från 1 januari 2027: På Nyöppningen arbetar vi med återbruk.",
        "Ny beskrivning",
        date=NOVEMBER_20,
    )

    assert u.kind == "update_details"


def test_a_day_before_a_type_is_no_brand() -> None:
    u = read(
        "Från den 1/12 Hemtjänst Kärra har nytt telefonnummer 031-700 00 00.",
        "Nytt nummer",
        date=NOVEMBER_20,
    )

    assert "Hemtjänst Kärra" in u.units and not any("1/12" in unit for unit in u.units)


# New providers (blind corpus sixty).
@pytest.mark.parametrize(
    "subject",
    ["Question about the insurance letter", "Fråga om försäkringsbrev", "SV: Fråga om avslut"],
)
def test_a_subject_that_names_a_question_announces_nothing(subject: str) -> None:
    u = read(
        "Hej! Räcker det med ett försäkringsbrev för hela bolaget, eller behövs ett per enhet?",
        subject,
        date=NOVEMBER_20,
        sender=PRIVATE,
    )

    assert u.kind == "other"


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


def test_a_new_unit_sent_with_the_providers_papers_is_no_contradiction() -> None:
    u = read(
        "Lind Omsorg Hemtjänst Askim, vår första enhet, startar den 1 april 2027.\nBifogar "
        "verksamhetsuppgifter och försäkringsbrev.",
        "Ny enhet Lind Omsorg Hemtjänst Askim",
        date=NOVEMBER_20,
        sender=PRIVATE,
    )

    assert (u.kind, u.unsure) == ("new_unit", None)


def test_an_english_rename_with_a_day_in_words_is_read() -> None:
    u = read(
        "Hi, we are changing the name of our unit Northwind Home Care Lindholmen from the "
        "first of February. It will be called Northwind Home Care Hisingen.",
        "Name change",
        date=NOVEMBER_20,
        sender="anna@northwind.se",
    )

    assert (u.kind, u.new_name, u.effective_date) == (
        "rename_unit",
        "Northwind Home Care Hisingen",
        dt.date(2027, 2, 1),
    )
    assert "Northwind Home Care Lindholmen" in u.units


def test_home_care_in_small_letters_names_no_unit() -> None:
    u = read(
        "We regret to inform you that Sunrise Services will cease its home care operations. "
        "Our last day of service will be 31 January 2027.",
        "Notice of closure - Sunrise Services",
        date=NOVEMBER_20,
        sender="anna@sunriseservices.se",
    )

    assert not any("operations" in unit for unit in u.units)


def test_a_brand_in_small_letters_takes_the_words_of_its_place() -> None:
    u = read(
        "hej lind omsorg daglig verksamhet eken byter namn till lind omsorg daglig verksamhet "
        "ekbacken från första mars",
        "namnbyte",
        date=NOVEMBER_20,
        sender=PRIVATE,
    )

    assert u.new_name == "lind omsorg daglig verksamhet ekbacken"


def test_a_relative_day_in_a_bare_forward_counts_from_the_forwarded_mail() -> None:
    raw = build_mail(
        "Glömde skicka den här förra veckan!\n/Jenny\n\nFrån: Anna Lind\nSkickat: den 12 "
        "november 2026 10:02\nTill: Jenny\nÄmne: Ny enhetschef Eken\n\nHej! Från och med "
        "nästa måndag har Daglig verksamhet Eken ny enhetschef, Per Holm.",
        subject="VB: Ny enhetschef Eken",
        date=NOVEMBER_20,
    )

    u = understand(parse_mail(raw))

    assert (u.kind, u.effective_date, u.sent_on) == (
        "update_details",
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 20),
    )


def test_a_unit_named_short_in_the_subject_is_the_one_named_whole_in_the_text() -> None:
    u = read(
        "Hej!\n\nFrån och med 12 januari ändras öppettiderna på Kvarnen Daglig verksamhet "
        "Masthugget till vardagar 08.30–15.30.\n\nTack!\nLisa Berg\nVerksamhetschef\n"
        "Kvarnen Daglig Verksamhet AB",
        "Nya öppettider Kvarnen Masthugget",
        date=NOVEMBER_20,
        sender="lisa.berg@kvarnendv.se",
    )

    assert list(u.units) == ["Kvarnen Daglig verksamhet Masthugget"]


def test_a_decision_told_in_an_opening_clause_is_the_news() -> None:
    u = read(
        "Efter att nämnden har beslutat att lägga ned Daglig verksamhet Eken den 31 mars 2027 "
        "har vi informerat alla deltagare.",
        "Information",
        date=NOVEMBER_20,
    )

    assert u.kind == "close_unit"


# Traps of meaning (blind corpus sixtythree).
def test_a_plan_that_was_is_no_change_beside_the_change_that_stands() -> None:
    u = read(
        "Vi hade tänkt att Daglig verksamhet Eken skulle byta namn till Daglig verksamhet "
        "Ekbacken den 1 mars 2027, men det blir inget namnbyte nu. Enheten får däremot en ny "
        "enhetschef, Per Holm, från 1 mars 2027.",
        "Namnbyte och ny chef – Daglig verksamhet Eken",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.new_name) == ("update_details", None)


def test_a_day_the_sender_says_no_longer_holds_is_not_the_day() -> None:
    u = read(
        "Daglig verksamhet Eken avslutas den 31 januari 2027.\nUppdatering: avslutet skjuts "
        "fram, sista dag blir i stället 2027-04-30. Datumet 31 januari gäller alltså inte "
        "längre.",
        "Avslut Daglig verksamhet Eken",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.effective_date) == ("close_unit", dt.date(2027, 4, 30))


def test_a_summary_of_changes_made_announces_none() -> None:
    u = read(
        "Här kommer sammanställningen ni bad om över årets förändringar:\n- Daglig verksamhet "
        "Eken bytte namn till Daglig verksamhet Ekbacken den 1 mars 2026.\n- Daglig "
        "verksamhet Ask avslutades den 30 juni 2026.\n- Daglig verksamhet Alm fick ny "
        "enhetschef från 15 augusti 2026.\nInga nya förändringar är planerade.",
        "SV: Avstämning inför årsskiftet",
        date=NOVEMBER_20,
    )

    assert u.kind == "other"


def test_the_new_change_in_a_summary_is_read_with_its_own_name() -> None:
    u = read(
        "Sammanfattning av förra årets förändringar:\n1. Hemtjänst Ek bytte namn till "
        "Hemtjänst Ekbacken i december 2025.\n2. Hemtjänst Ask avslutades den 31 maj 2025.\n"
        "Och en sak som är ny: Hemtjänst Alm byter namn till Hemtjänst Almhöjden från och "
        "med 1 februari 2027.",
        "Sammanfattning 2025 + namnbyte Hemtjänst Alm",
        date=NOVEMBER_20,
    )

    assert (u.kind, u.new_name, u.effective_date) == (
        "rename_unit",
        "Hemtjänst Almhöjden",
        dt.date(2027, 2, 1),
    )


JANUARY_12 = dt.datetime(2027, 1, 12, 9, 0, tzinfo=STOCKHOLM)


def test_since_a_weekday_and_a_day_just_gone_is_this_year() -> None:
    u = read(
        "Sedan tisdag den 5 januari är Per Holm tillförordnad enhetschef för Hemtjänst Kärra.",
        "Tf enhetschef Hemtjänst Kärra",
        date=JANUARY_12,
    )

    assert (u.kind, u.effective_date) == ("update_details", dt.date(2027, 1, 5))


def test_a_turn_of_the_year_just_gone_is_the_one_meant() -> None:
    u = read(
        "I samband med omorganisationen vid årsskiftet upphörde Hemtjänst Kärra den 31 "
        "december 2026. Kan ni ta bort enheten från Jämför service?",
        "Avslutad enhet – Hemtjänst Kärra",
        date=JANUARY_12,
    )

    assert (u.kind, u.effective_date) == ("close_unit", dt.date(2026, 12, 31))


def test_a_company_named_with_a_small_word_is_its_unit() -> None:
    u = read(
        "Hej igen!\n\nNu kan Hemtjänst med Omtanke ta emot nya kunder igen från och med måndag "
        "25 januari. Vi har ingen kö.\n\nMvh\nAhmed Yusuf\nVerksamhetschef\nHemtjänst med "
        "Omtanke AB",
        "SV: Kapacitetstak Hemtjänst med Omtanke",
        date=JANUARY_12,
        sender="ahmed@hemtjanstmedomtanke.se",
    )

    assert u.kind == "capacity_available"
    assert any("Hemtjänst med Omtanke" in unit for unit in u.units)
    assert not any("Kapacitetstak" in unit for unit in u.units)


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


@pytest.mark.parametrize(
    ("body", "new_name"),
    [
        (
            "Från och med 1 december stavas vår enhet med accent: Daglig verksamhet Cafe "
            "Solen blir Daglig verksamhet Café Solen. Inget annat ändras.",
            "Daglig verksamhet Café Solen",
        ),
        (
            "Vi ändrar stavningen på ett enhetsnamn: Hemtjänst Backa Tuve skrivs från och med "
            "1 januari 2027 med bindestreck, alltså Hemtjänst Backa-Tuve.",
            "Hemtjänst Backa-Tuve",
        ),
    ],
)
def test_a_name_spelled_anew_is_a_rename(body: str, new_name: str) -> None:
    u = read(body, "Rätt stavning", date=NOVEMBER_20)

    assert (u.kind, u.new_name) == ("rename_unit", new_name)


def test_spelling_corrected_in_a_description_is_no_rename() -> None:
    u = read(
        "Vi har rättat stavningen i beskrivningen av Daglig verksamhet Eken i Jämför "
        "service. Kan ni uppdatera texten från 1 december?",
        "Beskrivning",
        date=NOVEMBER_20,
    )

    assert u.kind != "rename_unit"


def test_a_new_name_in_a_table_row_is_the_new_name() -> None:
    message = EmailMessage()
    message["From"] = "anna.lind@aldrevardomsorg.goteborg.se"
    message["Subject"] = "Namnbyte Hemtjänst Kärra"
    message["Date"] = format_datetime(NOVEMBER_20)
    message.set_content(
        "<p>Hej,</p><table><tr><td>Nuvarande namn</td><td>Hemtjänst Kärra</td></tr>"
        "<tr><td>Nytt namn</td><td>Hemtjänst Kärra-Tuve</td></tr><tr><td>Gäller från</td>"
        "<td>Datum meddelas senare</td></tr></table><p>Hemtjänst Kärra byter alltså namn."
        "</p>",
        subtype="html",
    )

    u = understand(parse_mail(message.as_bytes()))

    assert (u.kind, u.new_name) == ("rename_unit", "Hemtjänst Kärra-Tuve")


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
