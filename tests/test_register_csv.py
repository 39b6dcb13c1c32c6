"""The register as CSV: import, export, bad rows, nothing half-imported (issue 10)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_cli import LOVBOT

from store.models import Provider, Unit
from store.register import export_rows, import_rows
from store.register_csv import (
    RegisterCsvError,
    parse_register_csv,
    write_register_csv,
)

HEADER = "provider,organisationsnummer,unit,earlier_names,area,ansvarskod,state,state_from"
GOOD = f"""{HEADER},municipal,provider_domains,capacity,period_end,options_left
Omsorgsgruppen AB,5566778899,Hemtjänst Hovås,Care4U Hovås;Hovås HT,Hemtjänst,,valbar,2025-01-01,nej,omsorgsgruppen.se,,2027-06-30,2
Omsorgsgruppen AB,556677-8899,DV Lyktan,,Daglig verksamhet,,full,2026-11-01,nej,omsorgsgruppen.se,12,2027-06-30,2
Funktionsstödsförvaltningen,,Daglig verksamhet Björkängen,,Daglig verksamhet,1234567,valbar,2024-08-01,ja,funktionsstod.goteborg.se,20,,
"""


def test_a_good_file_reads_every_row_with_normalised_numbers() -> None:
    rows = parse_register_csv(GOOD)
    assert [r.unit for r in rows] == [
        "Hemtjänst Hovås",
        "DV Lyktan",
        "Daglig verksamhet Björkängen",
    ]
    assert {r.organisationsnummer for r in rows[:2]} == {"556677-8899"}
    assert rows[0].earlier_names == ("Care4U Hovås", "Hovås HT")
    assert rows[1].capacity == 12 and rows[1].state == "full"
    assert rows[2].municipal and rows[2].organisationsnummer is None


def test_every_bad_row_is_named_in_swedish_and_nothing_is_returned() -> None:
    text = f"""{HEADER},municipal
Lind Omsorg AB,5566778898,Hemtjänst Lind,,,,valbar,,nej
,5566778899,DV Eken,,,,valbar,,nej
Eken AB,5566778899,DV Eken,,,,öppen,2026-13-01,nej
Eken AB,5566778899,DV Eken 2,,,,valbar,,kanske
Privat AB,,DV Ljuset,,,,valbar,,nej
"""
    with pytest.raises(RegisterCsvError) as caught:
        parse_register_csv(text, source="reg.csv")
    message = str(caught.value)
    assert "inget har importerats" in message
    assert "rad 2: organisationsnumret är ogiltigt" in message
    assert "5566778898" not in message  # a sole trader's number is a personnummer
    assert "rad 3: provider (utförarens namn) saknas" in message
    assert "rad 4: state_from '2026-13-01' är inget datum" in message
    assert "rad 4: okänt tillstånd 'öppen'" in message
    assert "rad 5: municipal 'kanske' ska vara ja eller nej" in message
    assert "rad 6: organisationsnummer saknas för en privat utförare" in message


def test_a_header_without_the_fixed_columns_is_refused() -> None:
    with pytest.raises(RegisterCsvError, match="saknar kolumnerna unit, state"):
        parse_register_csv("provider,organisationsnummer\nA AB,5566778899\n")
    with pytest.raises(RegisterCsvError, match="okända kolumner farg"):
        parse_register_csv(f"{HEADER},farg\n")


def test_semicolon_files_from_excel_are_read() -> None:
    text = GOOD.replace(",", ";").replace("Care4U Hovås;Hovås HT", "Care4U Hovås")
    # Excel's Swedish CSV uses ";" between columns; earlier names then need quotes.
    rows = parse_register_csv(text)
    assert len(rows) == 3 and rows[0].earlier_names == ("Care4U Hovås",)


def test_import_then_export_gives_the_same_register(
    sessions: Callable[[], Session],
) -> None:
    rows = parse_register_csv(GOOD)
    with sessions() as session, session.begin():
        assert import_rows(session, rows, actor="EKU") == (2, 3)
    with sessions() as session, session.begin():
        # A second import of the same file changes nothing and adds nothing.
        import_rows(session, rows, actor="EKU")
    with sessions() as session:
        assert len(session.scalars(select(Unit)).all()) == 3
        assert len(session.scalars(select(Provider)).all()) == 2
        exported = export_rows(session)
    out = io.StringIO()
    write_register_csv(exported, out)
    again = parse_register_csv(out.getvalue())
    assert sorted(
        (r.provider, r.organisationsnummer, r.unit, r.earlier_names, r.state, r.state_from)
        for r in again
    ) == sorted(
        (r.provider, r.organisationsnummer, r.unit, r.earlier_names, r.state, r.state_from)
        for r in rows
    )
    private = [r for r in again if r.provider == "Omsorgsgruppen AB"]
    assert {(r.period_end, r.options_left) for r in private} == {(dt.date(2027, 6, 30), 2)}


def _config(tmp_path: Path, db_url: str) -> Path:
    config = tmp_path / "lovbot.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n', encoding="utf-8")
    return config


def _lovbot(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LOVBOT, *args], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )


def test_the_command_imports_nothing_when_one_row_is_bad(tmp_path: Path, db_url: str) -> None:
    config = _config(tmp_path, db_url)
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "Eken AB,5566778899,DV Eken,,,,öppen,,nej,,,,\n", encoding="utf-8")
    result = _lovbot(tmp_path, "register", "import", str(bad), "--config", str(config))
    assert result.returncode == 1
    assert "rad 5: okänt tillstånd 'öppen'" in result.stderr
    assert "Traceback" not in result.stderr
    exported = _lovbot(tmp_path, "register", "export", "--config", str(config))
    assert exported.returncode == 0
    assert exported.stdout.strip() == ",".join(parse_columns())

    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    result = _lovbot(tmp_path, "register", "import", str(good), "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "2 utförare, 3 enheter" in result.stdout
    out = tmp_path / "out.csv"
    result = _lovbot(tmp_path, "register", "export", str(out), "--config", str(config))
    assert result.returncode == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith(HEADER)
    assert any(
        line.startswith(
            "Omsorgsgruppen AB,556677-8899,Hemtjänst Hovås,Care4U Hovås;Hovås HT,Hemtjänst,,"
            "valbar,2025-01-01"
        )
        for line in lines
    )


def parse_columns() -> list[str]:
    from store.register_csv import COLUMNS

    return list(COLUMNS)


def test_the_readme_example_is_a_valid_register() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```csv\n", 1)[1].split("```", 1)[0]
    rows = parse_register_csv(example)
    assert [(r.unit, r.state, r.capacity) for r in rows] == [
        ("DV Lyktan", "full", 12),
        ("Daglig verksamhet Björkängen", "valbar", 18),
    ]


def test_a_long_import_shows_its_progress(tmp_path: Path, db_url: str) -> None:
    config = _config(tmp_path, db_url)
    big = tmp_path / "big.csv"
    big.write_text(
        HEADER
        + "\n"
        + "".join(f"Omsorgsgruppen AB,5566778899,DV Enhet {n},,,,valbar,,\n" for n in range(1200)),
        encoding="utf-8",
    )
    result = _lovbot(tmp_path, "register", "import", str(big), "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "Importerat 1000/1200 rader" in result.stderr
    assert "Importerat 1200/1200 rader" in result.stderr
    assert "1 utförare, 1200 enheter" in result.stdout


def test_a_name_that_excel_would_run_as_a_formula_is_written_inert_and_read_back(
    sessions: Callable[[], Session],
) -> None:
    with sessions() as session, session.begin():
        city = Provider(name="Stadsdelen", municipal=True, domains=[])
        session.add(city)
        session.flush()
        session.add(
            Unit(
                provider_id=city.id,
                name='=HYPERLINK("http://evil.example","DV Eken")',
                phone="+46 31 365 00 00",
                state="valbar",
                earlier_names=["@Eken"],
            )
        )
    out = io.StringIO()
    with sessions() as session:
        write_register_csv(export_rows(session), out)
    text = out.getvalue()
    assert "'=HYPERLINK" in text and ",'+46 31" in text and ",'@Eken," in text
    assert ",=HYPERLINK" not in text and ',"=HYPERLINK' not in text
    (row,) = parse_register_csv(text)
    assert (row.unit, row.phone, row.earlier_names) == (
        '=HYPERLINK("http://evil.example","DV Eken")',
        "+46 31 365 00 00",
        ("@Eken",),
    )
