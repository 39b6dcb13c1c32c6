"""What a whole message says: kind, units, new name, effective date, ansvarskod.

Mail is built as units and providers write it (tests/mails.py) and read through
``parse_mail`` and ``understand``, so splitting, classification, unit names and date
choice are tested together. Messages are dated Monday 1 March 2027 unless a case says
otherwise; a date without a year is the next such day on or after that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest
from formbuilders import build_form
from mails import build_mail

from parsers.mail import parse_mail
from parsers.understand import STOCKHOLM, Understanding, merge_understandings, understand

MONDAY = dt.datetime(2027, 3, 1, 9, 0, tzinfo=STOCKHOLM)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def read(
    body: str,
    subject: str = "Ändring",
    *,
    date: dt.datetime | None = MONDAY,
    headers: dict[str, str] | None = None,
    sender: str = "anna.lind@funktionsstod.goteborg.se",
    form: dict[str, str | Sequence[str]] | None = None,
) -> Understanding:
    attachments = [("Verksamhetsuppgifter.docx", DOCX, build_form(form))] if form else []
    raw = build_mail(
        body, subject=subject, date=date, headers=headers, sender=sender, attachments=attachments
    )
    return understand(parse_mail(raw))


@dataclass(frozen=True)
class Expect:
    kind: str
    units: tuple[str, ...] = ()
    date: str | None = None
    new_name: str | None = None
    also: tuple[str, ...] = ()
    ansvarskod: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


def case(subject: str, body: str, expect: Expect, id: str) -> object:
    return pytest.param(subject, body, expect, id=id)


def check(u: Understanding, expect: Expect, *, subject: str, body: str) -> None:
    got = (u.kind, u.also, u.units, u.new_name, u.effective_date, u.ansvarskod)
    want = (
        expect.kind,
        expect.also,
        expect.units,
        expect.new_name,
        dt.date.fromisoformat(expect.date) if expect.date else None,
        expect.ansvarskod,
    )
    assert got == want
    for name, value in expect.extra.items():
        assert getattr(u, name) == value, name
    # Every decision is explainable: the words it rests on are in the message.
    if u.kind != "other":
        assert u.kind_evidence
    if u.effective_date is not None:
        assert u.date_evidence
        if not u.date_evidence.startswith(("blanketten:", "citerad text:")):
            assert u.date_evidence in f"{subject}\n{body}"


# --- one change per message, many wordings --------------------------------------------

NEW_UNIT = [
    case(
        "Ny enhet",
        "Hej!\n\nVi startar en ny enhet, Daglig verksamhet Björkängen, som blir valbar för "
        "brukare från och med 2027-06-01.\nEkonomisk ansvarskod: 4711203\n\n"
        "Med vänliga hälsningar\nAnna Lind\nEnhetschef\nTelefon: 031-365 12 34",
        Expect("new_unit", ("Daglig verksamhet Björkängen",), "2027-06-01", ansvarskod="4711203"),
        "startar-ny-enhet",
    ),
    case(
        "Ny verksamhet",
        "Vi öppnar ny daglig verksamhet, DV Kastanjen, v. 34.",
        Expect("new_unit", ("DV Kastanjen",), "2027-08-23"),
        "oppnar-vecka",
    ),
    case(
        "Nystart",
        "Hemtjänstgruppen Kortedala nystartar den 1 november.",
        Expect("new_unit", ("Hemtjänstgruppen Kortedala",), "2027-11-01"),
        "nystartar",
    ),
    case(
        "Information",
        "Den 15 augusti öppnar vi vår nya enhet DV Ateljén.",
        Expect("new_unit", ("DV Ateljén",), "2027-08-15"),
        "date-first",
    ),
    case(
        "Ny daglig verksamhet",
        "Förvaltningen planerar att starta upp en ny verksamhet, Daglig verksamhet "
        "Hamnkanten, med start 2027-09-01.",
        Expect("new_unit", ("Daglig verksamhet Hamnkanten",), "2027-09-01"),
        "med-start",
    ),
    case(
        "Start av ny hemtjänstgrupp",
        "Hemtjänst Guldheden startar måndag 4 oktober 2027. Ansvarskod 4711 555.",
        Expect("new_unit", ("Hemtjänst Guldheden",), "2027-10-04", ansvarskod="4711555"),
        "weekday-and-spaced-code",
    ),
    case(
        "Ny enhet Daglig verksamhet Tallen",
        "Hej,\nNy enhet Daglig verksamhet Tallen startar 2027-10-01, ansvarskod 4711322. "
        "Blankett bifogas.",
        Expect("new_unit", ("Daglig verksamhet Tallen",), "2027-10-01", ansvarskod="4711322"),
        "unit-in-subject-and-body",
    ),
    case(
        "Nyöppning",
        'Vi startar "Kastanjen" den 1 september, en ny daglig verksamhet i Angered.',
        Expect("new_unit", ("Kastanjen",), "2027-09-01"),
        "quoted-name",
    ),
    case(
        "New unit",
        "We will open a new unit, DV Lyktan, on 1 May 2027.",
        Expect("new_unit", ("DV Lyktan",), "2027-05-01"),
        "english-open",
    ),
    case(
        "Opening",
        "Our new daily activity unit DV Seaside starts on September 1st, 2027.",
        Expect("new_unit", ("DV Seaside",), "2027-09-01"),
        "english-month-first",
    ),
]

CLOSE_UNIT = [
    case(
        "Stängning",
        # Closed from the 1st: the last day is the day before.
        "Från och med 1/9 stänger vi DV Lyktan.",
        Expect("close_unit", ("DV Lyktan",), "2027-08-31"),
        "from-slash-date",
    ),
    case(
        "Avslut",
        "Hej,\nDV Lyktans sista öppetdag är fredag 30 juli.\n\nMvh Karin",
        Expect("close_unit", ("DV Lyktan",), "2027-07-30"),
        "genitive-last-day",
    ),
    case(
        "Nedläggning",
        "Hemtjänstgruppen Majorna Norra läggs ned, sista dag är 15 april 2027.",
        Expect("close_unit", ("Hemtjänstgruppen Majorna Norra",), "2027-04-15"),
        "laggs-ned",
    ),
    case(
        "Avveckling",
        "Vi kommer att avveckla Daglig verksamhet Berget. Verksamheten upphör den 31 maj 2027.",
        Expect("close_unit", ("Daglig verksamhet Berget",), "2027-05-31"),
        "avveckla-upphor",
    ),
    case(
        "Avslut av enhet",
        "Daglig verksamhet Hamnen avslutas per den 30 juni 2027. Vi har informerat berörda "
        "socialsekreterare.",
        Expect("close_unit", ("Daglig verksamhet Hamnen",), "2027-06-30"),
        "avslutas-per",
    ),
    case(
        "DV Ek stänger",
        "Hej,\nvi stänger DV Ek den 30 april. Socialsekreterarna är informerade.\n/Karin",
        Expect("close_unit", ("DV Ek",), "2027-04-30"),
        "slash-signature",
    ),
    case(
        "Information",
        "Verksamheten vid DV Solgården bedrivs t.o.m. 2027-08-31, därefter läggs den ned.",
        Expect("close_unit", ("DV Solgården",), "2027-08-31"),
        "until-last-day",
    ),
    case(
        "Avslut",
        "Daglig verksamhet Hamnen\nupphör 2027-06-30.",
        Expect("close_unit", ("Daglig verksamhet Hamnen",), "2027-06-30"),
        "wrapped-line",
    ),
    case(
        "Closure of DV Oak",
        "DV Oak will close on 30 June 2027. The last day of operation is 30 June.",
        Expect("close_unit", ("DV Oak",), "2027-06-30"),
        "english-close",
    ),
]

MERGE_UNITS = [
    case(
        "Sammanslagning",
        "DV Ek och DV Ask slås ihop 1 maj; DV Ek finns kvar och behåller namnet.",
        Expect(
            "merge_units",
            ("DV Ek", "DV Ask"),
            "2027-05-01",
            extra={
                "merge_remaining_unit": "DV Ek",
                "merge_renamed": False,
                "merge_remaining_stated": True,
            },
        ),
        "one-remains-keeps-name",
    ),
    case(
        "Sammanslagning Angered Centrum och Hjällbo",
        "Daglig verksamhet Angered Centrum och Daglig verksamhet Hjällbo slås samman till en "
        "enhet från 1 september 2027. Den nya enheten heter Daglig verksamhet Vättlefjäll. "
        "Ingen av de gamla enheterna finns kvar.\nAnsvarskod för den nya enheten: 4711301.",
        Expect(
            "merge_units",
            ("Daglig verksamhet Angered Centrum", "Daglig verksamhet Hjällbo"),
            "2027-09-01",
            new_name="Daglig verksamhet Vättlefjäll",
            ansvarskod="4711301",
            extra={"merge_remaining_unit": None, "merge_renamed": True},
        ),
        "new-unit-named",
    ),
    case(
        "Sammanslagning",
        "Hemtjänst Lundby och Hemtjänst Kvillebäcken går samman den 1 oktober under namnet "
        "Hemtjänst Hisingen Syd.",
        Expect(
            "merge_units",
            ("Hemtjänst Lundby", "Hemtjänst Kvillebäcken"),
            "2027-10-01",
            new_name="Hemtjänst Hisingen Syd",
        ),
        "under-namnet",
    ),
    case(
        "Information",
        "DV Ask går upp i DV Ek den 1 maj.",
        Expect(
            "merge_units",
            ("DV Ask", "DV Ek"),
            "2027-05-01",
            extra={"merge_remaining_unit": "DV Ek", "merge_renamed": False},
        ),
        "gar-upp-i",
    ),
    case(
        "Sammanslagning",
        "Sammanslagning av DV Norr och DV Söder från och med 2027-08-01. Den sammanslagna "
        "enheten får namnet DV Mitt.",
        Expect("merge_units", ("DV Norr", "DV Söder"), "2027-08-01", new_name="DV Mitt"),
        "sammanslagna-enheten",
    ),
    case(
        "Sammanslagning",
        "DV Ek och DV Ask slås samman den 1 maj.",
        Expect(
            "merge_units",
            ("DV Ek", "DV Ask"),
            "2027-05-01",
            extra={"merge_remaining_stated": False, "merge_remaining_unit": None},
        ),
        "remaining-not-said",
    ),
    case(
        "Merger",
        "From 1 May 2027, DV Oak and DV Ash will merge into DV Oak.",
        Expect(
            "merge_units",
            ("DV Oak", "DV Ash"),
            "2027-05-01",
            extra={"merge_remaining_unit": "DV Oak", "merge_renamed": False},
        ),
        "english-merge-into-one",
    ),
]

RENAME_UNIT = [
    case(
        "Namn",
        "Hemtjänsten Centrum heter från 1 juni Hemtjänst Inom Vallgraven.",
        Expect("rename_unit", ("Hemtjänsten Centrum",), "2027-06-01", "Hemtjänst Inom Vallgraven"),
        "heter-fran",
    ),
    case(
        "Namnändring",
        "Daglig verksamhet Lillegården byter namn till Daglig verksamhet Gröna Gården från och "
        "med 2027-05-01.",
        Expect(
            "rename_unit",
            ("Daglig verksamhet Lillegården",),
            "2027-05-01",
            "Daglig verksamhet Gröna Gården",
        ),
        "byter-namn-till",
    ),
    case(
        "Namnbyte",
        "Från och med 1 juni byter Hemtjänst Centrum namn till Hemtjänst Inom Vallgraven.",
        Expect("rename_unit", ("Hemtjänst Centrum",), "2027-06-01", "Hemtjänst Inom Vallgraven"),
        "verb-first",
    ),
    case(
        "Namnbyte",
        "DV Eken -> DV Almen från 1 maj",
        Expect("rename_unit", ("DV Eken",), "2027-05-01", "DV Almen"),
        "arrow",
    ),
    case(
        "Nytt namn",
        "Nytt namn på DV Eken från 1 maj: DV Almen.",
        Expect("rename_unit", ("DV Eken",), "2027-05-01", "DV Almen"),
        "nytt-namn-colon",
    ),
    case(
        "Information",
        "DV Eken döps om till DV Almen den 15 maj.",
        Expect("rename_unit", ("DV Eken",), "2027-05-15", "DV Almen"),
        "dops-om",
    ),
    case(
        "Namnändring",
        "Hemtjänsten Centrum kommer från 1 juni att heta Hemtjänst Inom Vallgraven.",
        Expect("rename_unit", ("Hemtjänsten Centrum",), "2027-06-01", "Hemtjänst Inom Vallgraven"),
        "kommer-att-heta",
    ),
    case(
        "Namnbyte",
        "Vi vill byta namn på Daglig verksamhet Solgläntan till Daglig verksamhet Solbacken.",
        Expect(
            "rename_unit",
            ("Daglig verksamhet Solgläntan",),
            None,
            "Daglig verksamhet Solbacken",
        ),
        "no-date",
    ),
    case(
        "Name change",
        "DV Oak will be renamed DV Willow from 1 May 2027.",
        Expect("rename_unit", ("DV Oak",), "2027-05-01", "DV Willow"),
        "english-renamed",
    ),
]

CAPACITY = [
    case(
        "Kapacitet",
        "Kapacitetstaket är nått fr.o.m. 15/3 för DV Solen.",
        Expect("capacity_full", ("DV Solen",), "2027-03-15"),
        "tak-natt-from",
    ),
    case(
        "Fullt",
        "Daglig verksamhet Lunden är fullbelagd från och med 1 april.",
        Expect("capacity_full", ("Daglig verksamhet Lunden",), "2027-04-01"),
        "fullbelagd",
    ),
    case(
        "Information",
        "Vi kan inte ta emot fler brukare på DV Solen från och med 2027-04-01.",
        Expect("capacity_full", ("DV Solen",), "2027-04-01"),
        "inte-fler",
    ),
    case(
        "Kapacitetstak",
        "Vi sänker kapacitetstaket för DV Solen till 12 platser från 1 maj.",
        Expect("capacity_full", ("DV Solen",), "2027-05-01"),
        "sanker-tak",
    ),
    case(
        "Information",
        "Vi har inga lediga platser på DV Solen från den 1 april.",
        Expect("capacity_full", ("DV Solen",), "2027-04-01"),
        "inga-lediga",
    ),
    case(
        "Full capacity",
        "DV Sun is at full capacity as of 1 April 2027.",
        Expect("capacity_full", ("DV Sun",), "2027-04-01"),
        "english-full",
    ),
    case(
        "Platser",
        "Vi har åter lediga platser från vecka 12 på DV Solen.",
        Expect("capacity_available", ("DV Solen",), "2027-03-22"),
        "ater-lediga-vecka",
    ),
    case(
        "Ledig kapacitet",
        "DV Solen kan ta emot nya brukare igen från 1 april.",
        Expect("capacity_available", ("DV Solen",), "2027-04-01"),
        "ta-emot-igen",
    ),
    case(
        "Information",
        "Kapacitetstaket för DV Solen är inte längre nått från och med 2027-04-15.",
        Expect("capacity_available", ("DV Solen",), "2027-04-15"),
        "tak-inte-langre-natt",
    ),
    case(
        "Platser",
        "Vi öppnar upp för nya brukare på DV Solen igen från den 10 mars.",
        Expect("capacity_available", ("DV Solen",), "2027-03-10"),
        "oppnar-for-nya-is-not-new-unit",
    ),
    case(
        "Available places",
        "DV Sun has free places again from 1 April 2027.",
        Expect("capacity_available", ("DV Sun",), "2027-04-01"),
        "english-free-places",
    ),
]

UPDATE_AND_ONBOARDING = [
    case(
        "Ny chef",
        "Lena Berg är ny enhetschef för Daglig verksamhet Kvarnen från 15 mars.",
        Expect("update_details", ("Daglig verksamhet Kvarnen",), "2027-03-15"),
        "ny-chef",
    ),
    case(
        "Information",
        "Från och med den 1 april har DV Kvarnen nytt telefonnummer: 031-365 22 10.",
        Expect("update_details", ("DV Kvarnen",), "2027-04-01"),
        "phone-is-no-date",
    ),
    case(
        "Ny adress",
        "DV Kvarnen flyttar till Storgatan 5, 411 38 Göteborg, den 1 maj.",
        Expect("update_details", ("DV Kvarnen",), "2027-05-01"),
        "flyttar",
    ),
    case(
        "Nya öppettider",
        "Vi öppnar kl 8 i stället för kl 9 från 1 april på DV Kvarnen.",
        Expect("update_details", ("DV Kvarnen",), "2027-04-01"),
        "opening-hours-not-new-unit",
    ),
    case(
        "New manager",
        "DV Mill has a new manager from 1 March 2027: Lena Berg.",
        Expect("update_details", ("DV Mill",), "2027-03-01"),
        "english-manager",
    ),
    case(
        "Försäkringsbrev",
        "Bifogat finns vårt försäkringsbrev. Vår IT-kontaktperson är Jonas Ström.",
        Expect("onboarding"),
        "forsakringsbrev",
    ),
    case(
        "Matleverans",
        "Vi har ordnat matleverans via Dinners AB från 1 april.",
        Expect("onboarding"),
        "onboarding-has-no-date",
    ),
]

OTHER = [
    case(
        "Fråga om Jämför service",
        "Hur lång tid tar det innan ändringar syns i Jämför service?",
        Expect("other"),
        "question",
    ),
    case(
        "Nyhetsbrev",
        "Välkommen till vårens nyhetsbrev från förvaltningen!",
        Expect("other"),
        "newsletter",
    ),
    case(
        "Sommarstängt",
        "DV Kvarnen stänger under vecka 29-31 i sommar.",
        Expect("other", ("DV Kvarnen",)),
        "temporary-closure",
    ),
    case(
        "Julen",
        "DV Kvarnen stänger kl 12 på julafton.",
        Expect("other", ("DV Kvarnen",)),
        "daily-closing-time",
    ),
    case(
        "Rättelse",
        "Vi stänger inte DV Ek som planerat, verksamheten fortsätter.",
        Expect("other", ("DV Ek",)),
        "negated-close",
    ),
]


MORE_WORDINGS = [
    case(
        "Information om förändring",
        "Hej!\n\nVi vill informera om att Daglig verksamhet Solrosen kommer att stängas den 31 "
        "augusti 2027. Alla brukare har fått information.\n\nVänliga hälsningar\nEva",
        Expect("close_unit", ("Daglig verksamhet Solrosen",), "2027-08-31"),
        "kommer-att-stangas",
    ),
    case(
        "Ny enhet hösten 2027",
        "Hej EKU! Hemtjänsten Askim Södra är en ny enhet som öppnar 2027-09-01. Ansvarskod: "
        "4712000. Blanketten kommer inom kort.",
        Expect("new_unit", ("Hemtjänsten Askim Södra",), "2027-09-01", ansvarskod="4712000"),
        "ar-en-ny-enhet",
    ),
    case(
        "Ny enhet",
        "Hej!\nVi har fått klartecken att starta Daglig verksamhet Tornet. Planerat "
        "startdatum är 1 augusti.",
        Expect("new_unit", ("Daglig verksamhet Tornet",), "2027-08-01"),
        "startdatum-label",
    ),
    case(
        "Namnbyte",
        "Hej,\nDV Gläntan kommer att byta namn. Det nya namnet blir DV Skogsgläntan och "
        "gäller from 1 april.",
        Expect("rename_unit", ("DV Gläntan",), "2027-04-01", "DV Skogsgläntan"),
        "nya-namnet-blir",
    ),
    case(
        "Kapacitetstak",
        "Hej!\nOmsorgsgruppen Väst AB meddelar att Daglig verksamhet Lunden har nått sitt "
        "kapacitetstak. Gäller från 2027-03-15.",
        Expect("capacity_full", ("Daglig verksamhet Lunden",), "2027-03-15"),
        "date-in-next-sentence",
    ),
    case(
        "Lediga platser",
        "Hej, vi på DV Solen har nu två lediga platser. Gäller omgående.",
        Expect("capacity_available", ("DV Solen",), "2027-03-01"),
        "omgaende",
    ),
    case(
        "Ändrade kontaktuppgifter",
        "Hej,\nfrån 1 april nås DV Kvarnen på nytt nummer 031-365 99 00 och ny e-post "
        "kvarnen@goteborg.se.",
        Expect("update_details", ("DV Kvarnen",), "2027-04-01"),
        "contact-details",
    ),
    case(
        "Ny enhetschef",
        "Hej!\nOmar Haddad slutar och Lena Berg tar över som enhetschef för Hemtjänst "
        "Frölunda den 1 april.",
        Expect("update_details", ("Hemtjänst Frölunda",), "2027-04-01"),
        "tar-over-som-chef",
    ),
    case(
        "Closing",
        "Dear EKU,\nWe regret to inform you that DV Oak will cease operations on 31 July "
        "2027.\nBest regards\nJohn",
        Expect("close_unit", ("DV Oak",), "2027-07-31"),
        "english-cease",
    ),
    case(
        "Capacity",
        "Hello, DV Sun can no longer accept new participants from April 1, 2027.",
        Expect("capacity_full", ("DV Sun",), "2027-04-01"),
        "english-no-longer-accept",
    ),
    case(
        "Sammanslagning hemtjänst",
        "Hej,\nFrån 1 oktober slås Hemtjänst Biskopsgården och Hemtjänst Svängen samman. Den "
        "nya gruppen heter Hemtjänst Biskopsgården. Ansvarskod 4713001.",
        Expect(
            "merge_units",
            ("Hemtjänst Biskopsgården", "Hemtjänst Svängen"),
            "2027-10-01",
            ansvarskod="4713001",
            extra={"merge_remaining_unit": "Hemtjänst Biskopsgården", "merge_renamed": False},
        ),
        "merged-name-is-an-old-one",
    ),
    case(
        "Information",
        "DV Solen och DV Månen blir en enhet från 1 juni och heter då DV Himlen.",
        Expect("merge_units", ("DV Solen", "DV Månen"), "2027-06-01", new_name="DV Himlen"),
        "blir-en-enhet",
    ),
    case(
        "Avslut",
        "Hej,\nHemtjänst Torslanda avslutar sin verksamhet 2027-12-31.\nHälsningar\nKarin",
        Expect("close_unit", ("Hemtjänst Torslanda",), "2027-12-31"),
        "avslutar-sin-verksamhet",
    ),
    case(
        "DV Eriksbo 2 stänger",
        "Hej, DV Eriksbo 2 stänger 1 juni.",
        Expect("close_unit", ("DV Eriksbo 2",), "2027-06-01"),
        "number-in-name",
    ),
    case(
        "Nya lokaler",
        "DV Kvarnen byter lokal den 1 juni till Storgatan 1.",
        Expect("update_details", ("DV Kvarnen",), "2027-06-01"),
        "byter-lokal",
    ),
    case(
        "Kapacitetstak",
        "Hej! Vi på Aktivitetshuset Ljuset AB har nått vårt kapacitetstak från och med 1 april.",
        Expect("capacity_full", ("Aktivitetshuset Ljuset AB",), "2027-04-01"),
        "provider-company-as-unit",
    ),
    case(
        "Kö",
        "Vi startar en väntelista för DV Solen från 1 april, då inga lediga platser finns.",
        Expect("capacity_full", ("DV Solen",), "2027-04-01"),
        "waiting-list-is-not-a-new-unit",
    ),
    case(
        "Info",
        "DV Solen tar emot nya brukare från den 1 april igen efter att ha varit fullbelagd.",
        Expect("capacity_available", ("DV Solen",), "2027-04-01"),
        "past-full-state",
    ),
]


@pytest.mark.parametrize(
    ("subject", "body", "expect"),
    NEW_UNIT
    + CLOSE_UNIT
    + MERGE_UNITS
    + RENAME_UNIT
    + CAPACITY
    + UPDATE_AND_ONBOARDING
    + OTHER
    + MORE_WORDINGS,
)
def test_one_change(subject: str, body: str, expect: Expect) -> None:
    check(read(body, subject), expect, subject=subject, body=body)


# --- several changes in one message: kind and also in contract order --------------------

SEVERAL = [
    case(
        "Namnbyte och ny chef",
        "DV Eken byter namn till DV Almen och får ny enhetschef från 1 maj.",
        Expect("rename_unit", ("DV Eken",), "2027-05-01", "DV Almen", also=("update_details",)),
        "rename-and-manager",
    ),
    case(
        "Förändringar",
        "DV Gamla stänger 30 april och vi startar en ny enhet, DV Framtiden, 1 maj.",
        Expect("new_unit", ("DV Gamla", "DV Framtiden"), "2027-05-01", also=("close_unit",)),
        "new-before-close-and-its-date",
    ),
    case(
        "Kapacitet",
        "DV Solen är fullbelagd från 1 april. DV Månen har däremot lediga platser från 8 april.",
        Expect(
            "capacity_full",
            ("DV Solen", "DV Månen"),
            "2027-04-01",
            also=("capacity_available",),
        ),
        "full-and-available",
    ),
    case(
        "Sammanslagning",
        "DV Ek och DV Ask slås samman 1 maj. Samtidigt får enheten nytt telefonnummer.",
        Expect("merge_units", ("DV Ek", "DV Ask"), "2027-05-01", also=("update_details",)),
        "merge-and-phone",
    ),
    case(
        "Information",
        "Vi har nått kapacitetstaket på DV Lunden från 1 april, och Lena Berg är ny "
        "enhetschef från 15 april.",
        Expect("capacity_full", ("DV Lunden",), "2027-04-01", also=("update_details",)),
        "full-and-manager",
    ),
]


@pytest.mark.parametrize(("subject", "body", "expect"), SEVERAL)
def test_several_changes(subject: str, body: str, expect: Expect) -> None:
    check(read(body, subject), expect, subject=subject, body=body)


# --- which date is the effective one -----------------------------------------------------

DATE_TRAPS = [
    case(
        "Avslut",
        "Hej,\nDV Ek upphör 30 april.\n\nAnna Lind\nTel 031-365 12 34\nMobil 070-123 45 67",
        Expect("close_unit", ("DV Ek",), "2027-04-30"),
        "signature-phone-numbers",
    ),
    case(
        "Avslut",
        "Hej,\nJag är ledig till 5 april, men DV Ek stänger den 30 april.",
        Expect("close_unit", ("DV Ek",), "2027-04-30"),
        "absence-in-same-sentence",
    ),
    case(
        "Ny enhet",
        "Som vi pratade om på mötet den 12 februari startar vi Daglig verksamhet Kastanjen "
        "den 1 juni.",
        Expect("new_unit", ("Daglig verksamhet Kastanjen",), "2027-06-01"),
        "meeting-date",
    ),
    case(
        "Beslut",
        "Nämnden beslutade den 10 februari att DV Ek stänger den 30 april.",
        Expect("close_unit", ("DV Ek",), "2027-04-30"),
        "decision-date",
    ),
    case(
        "Avslut",
        "Ni behöver svara senast 15 mars. DV Ek stänger 30 april.",
        Expect("close_unit", ("DV Ek",), "2027-04-30"),
        "deadline",
    ),
    case(
        "Stängning 30/4",
        "DV Ek stänger den 31 maj.",
        Expect("close_unit", ("DV Ek",), "2027-05-31"),
        "body-over-subject",
    ),
    case(
        "Avslut",
        "Daglig verksamhet Hamnen upphörde 2027-02-15.",
        Expect("close_unit", ("Daglig verksamhet Hamnen",), "2027-02-15"),
        "date-in-the-past",
    ),
    case(
        "Kapacitet",
        "DV Solen är fullbelagd från 1 april till 30 juni.",
        Expect("capacity_full", ("DV Solen",), "2027-04-01"),
        "range-start",
    ),
    case(
        "Avslut",
        "DV Ek stänger vid månadsskiftet.",
        Expect("close_unit", ("DV Ek",), "2027-03-31"),
        "month-end",
    ),
    case(
        "Intagsstopp",
        "DV Solen tar inte emot nya brukare med omedelbar verkan.",
        Expect("capacity_full", ("DV Solen",), "2027-03-01"),
        "immediately",
    ),
    case(
        "Kapacitet",
        "DV Solen har inga lediga platser t.o.m. 30 juni.",
        # Said in the present: full from the message's day (contract.md), not from 30 June.
        Expect("capacity_full", ("DV Solen",), "2027-03-01"),
        "until-is-the-end-not-the-start",
    ),
    case(
        "Ny enhet",
        "Blanketten är ifylld 2027-02-20. DV Tallen startar 2027-10-01.",
        Expect("new_unit", ("DV Tallen",), "2027-10-01"),
        "form-filled-date-in-text",
    ),
    case(
        "Namnbyte",
        "Vi byter namn på Hemtjänst Centrum.\nNytt namn: Hemtjänst Inom Vallgraven\n"
        "Från: 2027-06-01",
        Expect("rename_unit", ("Hemtjänst Centrum",), "2027-06-01", "Hemtjänst Inom Vallgraven"),
        "label-lines",
    ),
    case(
        "Ny enhet",
        "Uppgifter om ny enhet:\nNamn: Daglig verksamhet Tornet\nStartdatum: 2027-08-01\n"
        "Ansvarskod: 4711444",
        Expect("new_unit", ("Daglig verksamhet Tornet",), "2027-08-01", ansvarskod="4711444"),
        "form-like-mail",
    ),
    case(
        "Closure",
        "DV Oak closes on the 1st of September.",
        Expect("close_unit", ("DV Oak",), "2027-09-01"),
        "english-ordinal",
    ),
    case(
        "Nedläggning",
        "Hej!\nPå grund av för få brukare har förvaltningen beslutat att lägga ned Daglig "
        "verksamhet Hamnen. Sista dagen blir fredag 25 juni.",
        Expect("close_unit", ("Daglig verksamhet Hamnen",), "2027-06-25"),
        "decided-to-close",
    ),
    case(
        "Kapacitet",
        "Vi har tyvärr fullt på DV Solen just nu.",
        Expect("capacity_full", ("DV Solen",), "2027-03-01"),
        "no-date-given",
    ),
]


@pytest.mark.parametrize(("subject", "body", "expect"), DATE_TRAPS)
def test_date_choice(subject: str, body: str, expect: Expect) -> None:
    check(read(body, subject), expect, subject=subject, body=body)


@pytest.mark.parametrize(
    ("sent", "body", "effective"),
    [
        # December mail about January is about next January.
        (
            dt.datetime(2027, 12, 10, 9, 0, tzinfo=STOCKHOLM),
            "DV Ek stänger 15 januari.",
            "2028-01-15",
        ),
        # The day itself counts; the day before is next year's.
        (dt.datetime(2027, 3, 1, 9, 0, tzinfo=STOCKHOLM), "DV Ek stänger 1 mars.", "2027-03-01"),
        (dt.datetime(2027, 3, 2, 9, 0, tzinfo=STOCKHOLM), "DV Ek stänger 1 mars.", "2028-03-01"),
        # 23:30 UTC on New Year's Eve is already 2028 in Göteborg.
        (
            dt.datetime(2027, 12, 31, 23, 30, tzinfo=dt.UTC),
            "DV Ek stänger 31 december.",
            "2028-12-31",
        ),
        (
            dt.datetime(2027, 12, 31, 20, 0, tzinfo=dt.UTC),
            "DV Ek stänger 31 december.",
            "2027-12-31",
        ),
        # A week without a year: this year's unless it has passed.
        (dt.datetime(2027, 6, 15, 9, 0, tzinfo=STOCKHOLM), "DV Ek stänger vecka 2.", "2028-01-10"),
        # A year written is kept, even in the past.
        (
            dt.datetime(2027, 3, 1, 9, 0, tzinfo=STOCKHOLM),
            "DV Ek stänger 1 mars 2026.",
            "2026-03-01",
        ),
        (
            dt.datetime(2027, 11, 20, 9, 0, tzinfo=STOCKHOLM),
            "DV Ek stänger vid årsskiftet.",
            "2027-12-31",
        ),
        (
            dt.datetime(2027, 3, 10, 9, 0, tzinfo=STOCKHOLM),
            "DV Ek stänger vid månadsskiftet april/maj.",
            "2027-04-30",
        ),
    ],
)
def test_year_from_the_message_date(sent: dt.datetime, body: str, effective: str) -> None:
    u = read(body, "Avslut", date=sent)
    assert u.effective_date == dt.date.fromisoformat(effective)


def test_without_a_date_header_only_full_dates_count() -> None:
    raw = build_mail("DV Ek stänger 30 april. Sista dag 2027-04-30.", subject="Avslut")
    raw = b"\r\n".join(line for line in raw.split(b"\r\n") if not line.startswith(b"Date:"))
    mail = parse_mail(raw)
    assert mail.date is None
    u = understand(mail)
    assert (u.sent_on, u.effective_date) == (None, dt.date(2027, 4, 30))
    assert u.date_evidence == "2027-04-30"
    # The server's date stands in for the missing header.
    received = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
    assert understand(mail, received=received).sent_on == dt.date(2027, 3, 1)


# --- the quoted thread and the signature only fill gaps ------------------------------------


def test_quoted_send_date_is_not_the_effective_date() -> None:
    body = (
        "Hej,\nnamnet gäller från 1 maj.\n\nKarin\n\n"
        "> Från: LOV\n> Skickat: den 2 mars 2027 09:12\n> Ämne: Namnbyte DV Eken\n"
        "> Hej Karin, vilket datum gäller namnbytet för DV Eken till DV Almen?"
    )
    u = read(body, "SV: Namnbyte DV Eken", date=dt.datetime(2027, 3, 3, 9, 0, tzinfo=STOCKHOLM))
    assert (u.kind, u.units, u.new_name) == ("rename_unit", ("DV Eken",), "DV Almen")
    assert (u.effective_date, u.date_evidence) == (dt.date(2027, 5, 1), "gäller från 1 maj")


def test_quoted_header_alone_gives_no_date() -> None:
    body = (
        "Vi vill byta namn på DV Eken till DV Almen.\n\n"
        "-----Ursprungligt meddelande-----\nFrån: LOV\nSkickat: den 2 mars 2027 09:12\n"
        "Till: Karin\nÄmne: Fråga\n\nHej, har ni några ändringar?"
    )
    u = read(body, "SV: Fråga")
    assert (u.kind, u.effective_date) == ("rename_unit", None)


def test_forwarded_notice_fills_kind_units_date_and_code() -> None:
    body = (
        "Vidarebefordrar enligt önskemål.\n\n"
        "-----Ursprungligt meddelande-----\nFrån: Karin Ek\nSkickat: den 20 februari 2027 10:00\n"
        "Till: Omar\nÄmne: Nedläggning\n\n"
        "Daglig verksamhet Hamnen upphör den 30 juni 2027. Ansvarskod 4711290."
    )
    u = read(body, "VB: Nedläggning")
    assert (u.kind, u.units, u.effective_date, u.ansvarskod) == (
        "close_unit",
        ("Daglig verksamhet Hamnen",),
        dt.date(2027, 6, 30),
        "4711290",
    )
    # contract.md: a bare forward's content is the forwarded mail, read as its own text.
    assert u.date_evidence == "den 30 juni 2027"
    assert u.ansvarskod_evidence is not None


def test_forward_without_any_words_of_its_own_classifies_from_the_quote() -> None:
    body = (
        "Se nedan.\n\n---------- Forwarded message ---------\nFrom: Karin <karin@x.se>\n"
        "Date: Fri, 19 Feb 2027\nSubject: Info\nTo: LOV\n\nDV Ek stänger den 30 april."
    )
    u = read(body, "Fwd: Info")
    assert (u.kind, u.units, u.effective_date) == ("close_unit", ("DV Ek",), dt.date(2027, 4, 30))
    assert u.kind_evidence == ("stänger",)


def test_the_new_text_decides_over_the_quote() -> None:
    body = (
        "Nytt datum: DV Ek stänger i stället den 31 maj.\n\n"
        "Den 20 februari 2027 kl. 10:00 skrev Karin <karin@goteborg.se>:\n"
        "> DV Ek stänger den 30 april."
    )
    assert read(body, "SV: Avslut").effective_date == dt.date(2027, 5, 31)


def test_the_signature_names_the_unit_when_the_text_does_not() -> None:
    body = (
        "Hej,\nvi har inga lediga platser från och med 1 april.\n\n"
        "Med vänliga hälsningar\nPer Holm\nVerksamhetschef, Daglig verksamhet Lunden\n"
        "Telefon: 0706-12 34 56"
    )
    u = read(body, "Kapacitet")
    assert (u.kind, u.units, u.effective_date) == (
        "capacity_full",
        ("Daglig verksamhet Lunden",),
        dt.date(2027, 4, 1),
    )


# --- automated mail ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "body", "headers", "sender"),
    [
        ("Automatiskt svar: Ny enhet", "Jag är på semester till och med 2027-07-31.", {}, None),
        ("Frånvaro", "Jag är tillbaka måndag 9 augusti.", {}, None),
        ("Out of Office: DV Oak", "I am out of the office until 9 August.", {}, None),
        ("Re: Ny enhet", "Tack för ditt mejl.", {"Auto-Submitted": "auto-replied"}, None),
        (
            "Undelivered Mail Returned to Sender",
            "This is the mail system at host mx.example.se.",
            {},
            "MAILER-DAEMON@mx.example.se",
        ),
        (
            "Olevererbart: Nedläggning DV Ek",
            "Det gick inte att leverera till mottagaren.",
            {},
            None,
        ),
        (
            "SV: Nedläggning",
            "Hej! Jag är föräldraledig och åter i tjänst den 1 september.",
            {},
            None,
        ),
    ],
)
def test_automated_mail_is_auto_reply_without_date(
    subject: str, body: str, headers: dict[str, str], sender: str | None
) -> None:
    kwargs = {"sender": sender} if sender else {}
    u = read(body, subject, headers=headers, **kwargs)  # type: ignore[arg-type]
    assert (u.kind, u.effective_date, u.units) == ("auto_reply", None, ())
    assert u.automated
    assert u.kind_evidence == (u.automated,)


# --- ansvarskod -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Ekonomisk ansvarskod: 4711203", "4711203"),
        ("Ansvarskod 4711 203.", "4711203"),
        ("ansvarskoden är 4711203", "4711203"),
        ("Ansvarskoden för den nya enheten blir 4711301.", "4711301"),
        ("Cost centre code: 4711203", "4711203"),
        ("Ansvarskod saknas ännu, återkommer 15 maj.", None),
        ("Ansvarskod kommer senare. Ring 031-365 12 34.", None),
        ("Ansvarskod:\n031-365 12 34", None),
    ],
)
def test_ansvarskod(text: str, code: str | None) -> None:
    u = read(f"Vi startar en ny enhet, DV Tallen, den 1 oktober.\n{text}", "Ny enhet")
    assert u.ansvarskod == code
    if code:
        assert u.ansvarskod_evidence


# --- the form fills what the mail leaves out --------------------------------------------------

FORM_NEW = {
    "typ_av_andring": ["Ny enhet"],
    "enhetens_namn": "Daglig verksamhet Tallen",
    "ansvarskod": "4711322",
    "startdatum": "2027-10-01",
    "datum": "2027-02-20",
}


def test_form_gives_kind_unit_start_date_and_code() -> None:
    u = read("Hej,\nhär kommer blanketten.", "Blankett", form=FORM_NEW)
    assert (u.kind, u.units, u.effective_date, u.ansvarskod) == (
        "new_unit",
        ("Daglig verksamhet Tallen",),
        dt.date(2027, 10, 1),  # the start date, not the day the form was signed
        "4711322",
    )
    assert u.kind_evidence == ("blanketten: new_unit",)
    assert u.date_evidence == "blanketten: 2027-10-01"
    assert u.ansvarskod_evidence == "blanketten: 4711322"


def test_the_mail_date_wins_over_the_form() -> None:
    u = read("Vi startar Daglig verksamhet Tallen den 1 november.", "Ny enhet", form=FORM_NEW)
    assert u.effective_date == dt.date(2027, 11, 1)


def test_form_date_wins_over_a_date_the_mail_does_not_tie_to_the_change() -> None:
    body = "Här kommer blanketten för vår nya enhet, som vi pratade om på mötet 12 februari."
    assert read(body, "Blankett", form=FORM_NEW).effective_date == dt.date(2027, 10, 1)


def test_form_gives_the_units_of_a_merge() -> None:
    form = {
        "typ_av_andring": ["Sammanslagning"],
        "tidigare_namn": "DV Norr, DV Söder",
        "enhetens_namn": "DV Mitt",
        "startdatum": "2027-08-01",
    }
    u = read("Blankett för sammanslagningen bifogas.", "Blankett", form=form)
    assert (u.kind, u.units, u.new_name, u.effective_date) == (
        "merge_units",
        ("DV Norr", "DV Söder"),
        "DV Mitt",
        dt.date(2027, 8, 1),
    )


def test_form_gives_old_and_new_name() -> None:
    form = {
        "typ_av_andring": ["Namnändring"],
        "tidigare_namn": "DV Eken",
        "enhetens_namn": "DV Almen",
        "startdatum": "2027-05-01",
    }
    u = read("Se bifogad blankett.", "Blankett", form=form)
    assert (u.kind, u.units, u.new_name, u.effective_date) == (
        "rename_unit",
        ("DV Eken",),
        "DV Almen",
        dt.date(2027, 5, 1),
    )


# --- follow-ups complete a case -----------------------------------------------------------------


def test_follow_up_gives_the_missing_date() -> None:
    first = read("Vi vill byta namn på DV Eken till DV Almen.", "Namnbyte")
    later = read(
        "Det nya namnet gäller från 1 maj.\n\n> Vi vill byta namn på DV Eken till DV Almen.",
        "SV: Namnbyte",
        date=dt.datetime(2027, 3, 8, 9, 0, tzinfo=STOCKHOLM),
    )
    merged = merge_understandings(first, later)
    assert (merged.kind, merged.units, merged.new_name, merged.effective_date) == (
        "rename_unit",
        ("DV Eken",),
        "DV Almen",
        dt.date(2027, 5, 1),
    )
    # Notice counts from the first message.
    assert merged.sent_on == dt.date(2027, 3, 1)


def test_follow_up_gives_the_missing_ansvarskod() -> None:
    first = read("Vi startar en ny enhet, DV Tallen, den 1 oktober.", "Ny enhet")
    later = read("Ansvarskoden är 4711203.", "SV: Ny enhet")
    merged = merge_understandings(first, later)
    assert (merged.kind, merged.ansvarskod, merged.effective_date) == (
        "new_unit",
        "4711203",
        dt.date(2027, 10, 1),
    )


def test_follow_up_classifies_an_unclear_first_message() -> None:
    first = read("Hej, vi har en fråga om DV Ek.", "Fråga")
    later = read("DV Ek stänger den 30 april.", "SV: Fråga")
    merged = merge_understandings(first, later)
    assert (merged.kind, merged.effective_date) == ("close_unit", dt.date(2027, 4, 30))


def test_follow_up_adds_another_change() -> None:
    first = read("DV Ek stänger den 30 april.", "Avslut")
    later = read("DV Ask har inga lediga platser från 1 april.", "Kapacitet")
    merged = merge_understandings(first, later)
    assert (merged.kind, merged.also) == ("close_unit", ("capacity_full",))


def test_an_auto_reply_changes_nothing() -> None:
    first = read("DV Ek stänger den 30 april.", "Avslut")
    later = read("Jag är på semester.", "Automatiskt svar: Avslut")
    assert merge_understandings(first, later) == first


# --- personal data ---------------------------------------------------------------------------


def test_personnummer_is_reported_masked() -> None:
    u = read(
        "Vi har nått kapacitetstaket på DV Lunden från 2027-05-01. Första person i kön är "
        "19850412-1230.",
        "Kö",
    )
    assert u.kind == "capacity_full"
    assert u.effective_date == dt.date(2027, 5, 1)  # the personnummer is no date
    assert u.personal_data
    assert "1230" not in " ".join(u.personal_data)


# --- whole messages as clients send them ------------------------------------------------------


def test_outlook_html_reply() -> None:
    raw = (
        "From: Per Holm <per.holm@omsorgsgruppen.se>\r\nTo: lov@stadshuset.goteborg.se\r\n"
        "Subject: SV: Kapacitet\r\nDate: Wed, 03 Mar 2027 10:00:00 +0100\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        "<html><body><div class=WordSection1><p class=MsoNormal>Hej!<o:p></o:p></p>"
        "<p class=MsoNormal>Daglig verksamhet Lunden har nått kapacitetstaket från och med "
        "15 mars 2027 – ingen kö finns.</p><p class=MsoNormal>&nbsp;</p>"
        "<p class=MsoNormal>Med vänliga hälsningar</p><p class=MsoNormal>Per Holm<br>"
        "Telefon: 0706-12 34 56</p><div style='border:none;border-top:solid #E1E1E1 1.0pt'>"
        "<p class=MsoNormal><b>Från:</b> LOV<br><b>Skickat:</b> den 2 mars 2027 09:12<br>"
        "<b>Till:</b> Per Holm<br><b>Ämne:</b> Kapacitet</p></div>"
        "<p class=MsoNormal>Hej Per, gäller det från 1 april?</p></div></body></html>\r\n"
    ).encode("cp1252")
    u = understand(parse_mail(raw))
    assert (u.kind, u.units, u.effective_date) == (
        "capacity_full",
        ("Daglig verksamhet Lunden",),
        dt.date(2027, 3, 15),
    )


def test_apple_mail_forward_from_a_phone() -> None:
    body = (
        "FYI\n\nSkickat från min iPhone\n\nBörjan av vidarebefordrat meddelande:\n\n"
        "Från: Anna Lind <anna.lind@funktionsstod.goteborg.se>\n"
        "Datum: 26 februari 2027 kl. 14:03:11 CET\nTill: Omar\nÄmne: Ny enhet\n\n"
        "Vi startar DV Hamnkanten den 1 september."
    )
    u = read(body, "VB: Ny enhet")
    assert (u.kind, u.units, u.effective_date) == (
        "new_unit",
        ("DV Hamnkanten",),
        dt.date(2027, 9, 1),
    )
    assert u.date_evidence == "den 1 september"


def test_reply_to_a_question_takes_the_new_name_from_the_question() -> None:
    body = (
        "Hej!\nDatumet blir 15 april.\n\nMvh Karin\n\nFrån: LOV <lov@stadshuset.goteborg.se>\n"
        "Skickat: den 1 mars 2027 08:00\nTill: Karin Ek\nÄmne: Namnbyte\n\n"
        "Hej Karin! Vilket datum gäller det nya namnet DV Skogsgläntan?"
    )
    u = read(body, "SV: Namnbyte")
    assert (u.kind, u.new_name, u.effective_date) == (
        "rename_unit",
        "DV Skogsgläntan",
        dt.date(2027, 4, 15),
    )


def test_an_answer_below_the_quote_takes_the_rest_from_the_quote() -> None:
    body = "> Stämmer det att DV Ek stänger\n> den 30 april?\nJa, det stämmer.\n/Karin"
    u = read(body, "SV: Fråga")
    assert (u.kind, u.units, u.effective_date) == ("close_unit", ("DV Ek",), dt.date(2027, 4, 30))
    assert u.kind_evidence == ("stänger",)
