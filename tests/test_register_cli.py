"""`lovbot register show|apply|undo` and `lovbot provider valbar` as EKU types them."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from test_cli import LOVBOT

CSV = (
    "provider,organisationsnummer,unit,earlier_names,area,ansvarskod,state,state_from,"
    "provider_domains,starts_on\n"
    "Daglig Aktiv AB,5566778899,DV Aktiva,,Daglig verksamhet,,planned,2027-01-01,"
    "dagligaktiv.se,2026-01-01\n"
)


def _lovbot(tmp_path: Path, db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "lovbot.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n', encoding="utf-8")
    return subprocess.run(
        [LOVBOT, *args, "--config", str(config)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_eku_decides_a_provider_valbar_and_takes_it_back(tmp_path: Path, db_url: str) -> None:
    register = tmp_path / "register.csv"
    register.write_text(CSV, encoding="utf-8")
    assert _lovbot(tmp_path, db_url, "register", "import", str(register)).returncode == 0

    shown = _lovbot(tmp_path, db_url, "register", "show")
    assert "Valbara enheter i dag (0)" in shown.stdout
    assert "Planerade enheter (1):\n  DV Aktiva (Daglig Aktiv AB), start 2026-01-01" in shown.stdout

    bad = _lovbot(tmp_path, db_url, "provider", "valbar", "5566778898")
    assert bad.returncode == 1 and "ogiltigt" in bad.stderr and "5566778898" not in bad.stderr
    decided = _lovbot(tmp_path, db_url, "provider", "valbar", "556677-8899", "--by", "Eva")
    assert decided.returncode == 0, decided.stderr
    assert "Obs: checklistan saknar deltagit i uppstartsmöte" in decided.stdout
    assert "Daglig Aktiv AB är valbar från och med i dag. Valbara enheter: DV Aktiva." in (
        decided.stdout
    )
    assert "Valbara enheter i dag (1)" in _lovbot(tmp_path, db_url, "register", "show").stdout

    history = _lovbot(tmp_path, db_url, "register", "show", "--history").stdout
    newest = re.search(r"#(\d+) DV Aktiva: planerad → valbar", history)
    assert newest is not None
    undone = _lovbot(tmp_path, db_url, "register", "undo", newest.group(1))
    assert undone.returncode == 0 and undone.stdout.startswith("Ångrat: #")
    assert "Valbara enheter i dag (0)" in _lovbot(tmp_path, db_url, "register", "show").stdout
    again = _lovbot(tmp_path, db_url, "register", "undo", newest.group(1))
    assert again.returncode == 1 and "redan ångrad" in again.stderr

    applied = _lovbot(tmp_path, db_url, "register", "apply")
    assert applied.returncode == 0 and "inget att ändra" in applied.stdout
