"""The register page of the review app: what `lovbot register show` answers (issue 10)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from review_helpers import SOLE_TRADER, Seeded, client_for, seed, seed_register, sign_in
from sqlalchemy.orm import Session

from parsers.understand import STOCKHOLM
from store.models import utcnow


@pytest.fixture
def seeded(tmp_path: Path, db_url: str, sessions: Callable[[], Session]) -> Seeded:
    return seed(tmp_path, db_url, sessions)


def _today() -> dt.date:
    return utcnow().astimezone(STOCKHOLM).date()


def _tables(page: str) -> dict[str, list[str]]:
    """Each table's caption → its body rows, as a reader hears them (cells joined by |)."""
    found: dict[str, list[str]] = {}
    for table in re.findall(r"<table>(.*?)</table>", page, re.S):
        caption = re.search(r"<caption>(.*?)</caption>", table, re.S)
        assert caption, table
        body = re.search(r"<tbody>(.*?)</tbody>", table, re.S)
        assert body
        rows = []
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            rows.append(
                " | ".join(
                    " ".join(html.unescape(re.sub(r"<[^>]+>", "", c)).split()) for c in cells
                )
            )
        found[" ".join(html.unescape(caption.group(1)).split())] = rows
    return found


def test_the_register_page_asks_for_sign_in(
    seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    response = client_for(seeded, sessions).get("/register")
    assert (response.status_code, response.headers["location"]) == (303, "/login")


@pytest.mark.parametrize("name", ["eva", "lars"])  # handläggare and läsbehörighet
def test_an_officer_sees_the_register_as_register_show_answers_it(
    seeded: Seeded, sessions: Callable[[], Session], name: str
) -> None:
    today = _today()
    seed_register(sessions, today)
    client = client_for(seeded, sessions)
    sign_in(client, name)
    front = client.get("/")
    assert '<a href="/register">Registret</a>' in front.text
    response = client.get("/register")
    assert response.status_code == 200
    page = response.text
    assert "<h1>Registret</h1>" in page
    assert SOLE_TRADER not in page and "121212-****" in page
    tables = _tables(page)

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    def ahead(days: int) -> dt.date:
        return today + dt.timedelta(days=days)

    assert tables["Valbara enheter (1)"] == ["Hemtjänst Hovås | Omsorgsgruppen AB | –"]
    assert tables["Fulla enheter (2), längst först"] == [
        f"DV Lyktan | Omsorgsgruppen AB | {ago(40)} | 40 dagar full längre än 30 dagar | 12",
        f"DV Fyren | Omsorgsgruppen AB | {ago(3)} | 3 dagar | –",
    ]
    assert tables["Planerade enheter (2)"] == [
        f"DV Aktiva | Daglig Aktiv AB | {ahead(5)}",
        f"DV Senare | Omsorgsgruppen AB | {ahead(30)}",
    ]
    assert tables["Avslutade de senaste 30 dagarna (1)"] == [
        f"DV Stängd | Omsorgsgruppen AB | {ago(3)}"
    ]
    assert tables[f"Enheter som byter läge till och med {ahead(14)}"] == [
        f"{ahead(5)} | DV Aktiva (Daglig Aktiv AB) | "
        f"start {ahead(5)}, men utföraren väntar på EKU:s beslut om valbarhet | –"
    ]
    assert tables["Nya utförare, checklistan för valbarhet (2)"] == [
        "Pers Assistans | 121212-**** | Klar för beslut – EKU beslutar om utföraren blir valbar",
        "Daglig Aktiv AB | dagligaktiv.se | Saknas: försäkringsbrev, "
        "blanketten Verksamhetsuppgifter, IT-kontaktperson",
    ]
    end = ahead(60)
    decide_by = dt.date(end.year - (end.month <= 3), (end.month - 4) % 12 + 1, 1)
    [contract] = tables["Avtalsperioder och sista dag för besked om förlängning"]
    assert contract.startswith(f"Omsorgsgruppen AB | 556677-8899 | {end} | ")
    assert contract.endswith("sista dag för beslut har passerat | 2")
    assert decide_by.strftime("%Y-%m") in contract


def test_an_empty_register_says_so(seeded: Seeded, sessions: Callable[[], Session]) -> None:
    client = client_for(seeded, sessions)
    sign_in(client, "lars")
    tables = _tables(client.get("/register").text)
    assert tables["Valbara enheter (0)"] == ["Inga valbara enheter."]
    assert tables["Nya utförare, checklistan för valbarhet (0)"] == [
        "Inga utförare väntar på beslut."
    ]
