"""Unit names as written, renames and merges."""

import pytest

from parsers.units import find_providers, find_units, merge_info, rename_info, same_unit


@pytest.mark.parametrize(
    ("text", "units"),
    [
        (
            "Vi startar Daglig verksamhet Björkängen, som blir valbar",
            ["Daglig verksamhet Björkängen"],
        ),
        ("DV Eriksbo 2 stänger 1 mars", ["DV Eriksbo 2"]),
        ("Start av ny daglig verksamhet Kvarnen 1 mars", ["Daglig verksamhet Kvarnen"]),
        ("Hemtjänstgruppen Majorna Norra läggs ned", ["Hemtjänstgruppen Majorna Norra"]),
        (
            "för vår nya enhet Daglig verksamhet Ateljé Linnea som startar",
            ["Daglig verksamhet Ateljé Linnea"],
        ),
        ('Enheten "Solrosen" stänger', ["Solrosen"]),
        ("enheten Solrosen stänger", ["Solrosen"]),
        (
            "Daglig verksamhet Angered Centrum och Daglig verksamhet Hjällbo slås samman",
            ["Daglig verksamhet Angered Centrum", "Daglig verksamhet Hjällbo"],
        ),
        ("Hur lång tid tar det innan ändringar syns?", []),
    ],
)
def test_find_units(text: str, units: list[str]) -> None:
    assert find_units(text) == units


def test_the_same_unit_written_twice_is_one() -> None:
    assert find_units("Hemtjänstgruppen Majorna Norra stänger.", "Hemtjänst Majorna Norra") == [
        "Hemtjänstgruppen Majorna Norra"
    ]


@pytest.mark.parametrize(
    ("text", "old", "new"),
    [
        (
            "Daglig verksamhet Lillegården byter namn till Daglig verksamhet Gröna Gården från och med 2027-05-01.",
            "Daglig verksamhet Lillegården",
            "Daglig verksamhet Gröna Gården",
        ),
        (
            "Vi vill byta namn på Daglig verksamhet Solgläntan till Daglig verksamhet Solbacken.",
            "Daglig verksamhet Solgläntan",
            "Daglig verksamhet Solbacken",
        ),
        ("DV Eken ska heta DV Almen från 1 maj.", "DV Eken", "DV Almen"),
        ("DV Eken heter numera Almen.", "DV Eken", "Almen"),
    ],
)
def test_rename(text: str, old: str | None, new: str | None) -> None:
    info = rename_info(text)
    assert (info.old, info.new) == (old, new)


def test_rename_without_new_name() -> None:
    assert rename_info("Vi vill byta namn på DV Eken.").new is None


def test_merge_with_new_name_and_what_remains() -> None:
    info = merge_info(
        "Daglig verksamhet Angered Centrum och Daglig verksamhet Hjällbo slås samman till en enhet "
        "från 1 september 2027. Den nya enheten heter Daglig verksamhet Vättlefjäll. "
        "Ingen av de gamla enheterna finns kvar."
    )
    assert info.units == ("Daglig verksamhet Angered Centrum", "Daglig verksamhet Hjällbo")
    assert info.new_name == "Daglig verksamhet Vättlefjäll"
    assert info.remaining_stated


def test_merge_that_does_not_say_what_remains() -> None:
    info = merge_info("DV Ek och DV Ask slås samman den 1 maj.")
    assert info.units == ("DV Ek", "DV Ask")
    assert info.new_name is None
    assert not info.remaining_stated


def test_merge_where_one_unit_remains() -> None:
    info = merge_info("DV Ask går upp i DV Ek den 1 maj; DV Ek behåller sitt namn.")
    assert info.remaining_stated


@pytest.mark.parametrize(
    ("text", "units"),
    [
        # A genitive is the unit's own name, when a noun follows it.
        ("DV Lyktans sista öppetdag är 30 juni", ["DV Lyktan"]),
        ("Daglig verksamhet Ekens nya chef heter Lena", ["Daglig verksamhet Eken"]),
        ("DV Kompass stänger", ["DV Kompass"]),
        ("DV Solhus stänger 1 maj", ["DV Solhus"]),
        # Names that only share a beginning are different units.
        ("DV Ek och DV Ekbacken", ["DV Ek", "DV Ekbacken"]),
        ("DV Eriksbo och DV Eriksbo 2", ["DV Eriksbo", "DV Eriksbo 2"]),
        (
            "Hemtjänsten Centrum heter nu Hemtjänst Inom Vallgraven",
            ["Hemtjänsten Centrum", "Hemtjänst Inom Vallgraven"],
        ),
        ("daglig verksamhet Kvarnen öppnar", ["Daglig verksamhet Kvarnen"]),
        ("the unit Oak will close", ["Oak"]),
        ("Daglig verksamhet LSS i Göteborg", []),
    ],
)
def test_more_unit_names(text: str, units: list[str]) -> None:
    assert find_units(text) == units


def test_a_genitive_and_the_plain_name_are_one_unit() -> None:
    assert find_units("DV Lyktans sista dag är 30 juni.", "Avslut DV Lyktan") == ["DV Lyktan"]
    assert same_unit("Hemtjänstgruppen Majorna Norra", "Hemtjänst Majorna Norra")
    assert not same_unit("DV Ek", "DV Ekbacken")


@pytest.mark.parametrize(
    ("text", "old", "new"),
    [
        (
            "Hemtjänsten Centrum heter från 1 juni Hemtjänst Inom Vallgraven.",
            "Hemtjänsten Centrum",
            "Hemtjänst Inom Vallgraven",
        ),
        (
            "Från och med 1 juni byter Hemtjänst Centrum namn till Hemtjänst Inom Vallgraven.",
            "Hemtjänst Centrum",
            "Hemtjänst Inom Vallgraven",
        ),
        (
            "Hemtjänsten Centrum kommer från 1 juni att heta Hemtjänst Inom Vallgraven.",
            "Hemtjänsten Centrum",
            "Hemtjänst Inom Vallgraven",
        ),
        ("Namnbyte: DV Eken -> DV Almen från 1 maj", "DV Eken", "DV Almen"),
        ("Nytt namn på DV Eken från 1 maj: DV Almen.", "DV Eken", "DV Almen"),
        ("DV Eken döps om till DV Almen.", "DV Eken", "DV Almen"),
        ("DV Lyktans nya namn blir DV Ljuset.", "DV Lyktan", "DV Ljuset"),
        ("DV Oak will be renamed DV Willow from 1 May 2027.", "DV Oak", "DV Willow"),
        ("DV Oak changes its name to DV Willow on May 1.", "DV Oak", "DV Willow"),
        ("Vilket datum gäller det nya namnet DV Skogsgläntan?", None, "DV Skogsgläntan"),
        # "till" alone is no rename without a word about names nearby.
        ("DV Eken flyttar till DV Almens lokaler.", None, None),
    ],
)
def test_more_renames(text: str, old: str | None, new: str | None) -> None:
    info = rename_info(text)
    assert (info.old, info.new) == (old, new)
    if new:
        assert info.evidence and info.evidence in text


@pytest.mark.parametrize(
    ("text", "units", "new_name", "remaining", "renamed", "stated"),
    [
        (
            "DV Ek och DV Ask slås ihop 1 maj; DV Ek finns kvar och behåller namnet.",
            ("DV Ek", "DV Ask"),
            None,
            "DV Ek",
            False,
            True,
        ),
        ("DV Ask går upp i DV Ek den 1 maj.", ("DV Ask", "DV Ek"), None, "DV Ek", False, True),
        (
            "DV Ek och DV Ask slås samman till DV Ek.",
            ("DV Ek", "DV Ask"),
            None,
            "DV Ek",
            False,
            True,
        ),
        (
            "Det är DV Ek som finns kvar efter sammanslagningen med DV Ask.",
            ("DV Ek", "DV Ask"),
            None,
            "DV Ek",
            False,
            True,
        ),
        (
            "DV Ek och DV Ask slås samman. DV Ek finns kvar men byter namn till DV Lind.",
            ("DV Ek", "DV Ask"),
            "DV Lind",
            "DV Ek",
            True,
            True,
        ),
        (
            "Hemtjänst Lundby och Hemtjänst Kvillebäcken går samman under namnet Hemtjänst "
            "Hisingen Syd.",
            ("Hemtjänst Lundby", "Hemtjänst Kvillebäcken"),
            "Hemtjänst Hisingen Syd",
            None,
            True,
            True,
        ),
        (
            "DV Solen och DV Månen blir en enhet från 1 juni och heter då DV Himlen.",
            ("DV Solen", "DV Månen"),
            "DV Himlen",
            None,
            True,
            True,
        ),
        (
            "DV Oak is merged into DV Ash on 1 May.",
            ("DV Oak", "DV Ash"),
            None,
            "DV Ash",
            False,
            True,
        ),
        (
            "DV Oak and DV Ash are merged into DV Birch.",
            ("DV Oak", "DV Ash"),
            "DV Birch",
            None,
            True,
            True,
        ),
        (
            "DV Ek och DV Ask slås samman till en enhet.",
            ("DV Ek", "DV Ask"),
            None,
            None,
            None,
            False,
        ),
    ],
)
def test_merge_what_remains(
    text: str,
    units: tuple[str, ...],
    new_name: str | None,
    remaining: str | None,
    renamed: bool | None,
    stated: bool,
) -> None:
    info = merge_info(text)
    assert (info.units, info.new_name, info.remaining, info.renamed, info.remaining_stated) == (
        units,
        new_name,
        remaining,
        renamed,
        stated,
    )
    if stated:
        assert info.evidence


def test_providers_named_by_company() -> None:
    assert find_providers(
        "Hej! Vi på Aktivitetshuset Ljuset AB har nått kapacitetstaket.", "Daglig Aktiv i Väst AB"
    ) == ["Aktivitetshuset Ljuset AB", "Daglig Aktiv i Väst AB"]
    assert find_providers("Vi AB och ingenting") == []


def test_the_unit_a_merge_continues_in() -> None:
    info = merge_info("DV Ask och DV Ek slås samman; verksamheten fortsätter i DV Ek.")
    assert (info.remaining, info.renamed) == ("DV Ek", False)
    # "fortsätter" alone says nothing about which unit remains.
    assert merge_info("DV Ask stänger och verksamheten fortsätter som vanligt.").remaining is None
