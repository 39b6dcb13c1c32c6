"""Unit names as written, renames and merges."""

import pytest

from parsers.units import find_units, merge_info, rename_info


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
