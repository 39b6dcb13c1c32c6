"""The lovbot command as operators use it: check, db, poll on the embedded defaults, run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from mails import build_mail

from intake.settings import load_settings

LOVBOT = str(Path(sys.executable).parent / "lovbot")
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"


def lovbot(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LOVBOT, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_check_prints_one_line_per_file_in_order_and_exit_1_for_unreadable(tmp_path: Path) -> None:
    good = tmp_path / "good.eml"
    good.write_bytes(build_mail("Daglig verksamhet Hamnen upphör 2027-06-30.", subject="Avslut"))
    garbage = tmp_path / "garbage.eml"
    garbage.write_bytes(b"\x00\x01\x02 not a mail")
    missing = tmp_path / "missing.eml"

    result = lovbot("check", str(good), str(garbage), str(missing), "--json", cwd=tmp_path)

    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(good), str(garbage), str(missing)]
    assert lines[0]["kind"] == "close_unit" and lines[0]["status"] == "complete"
    assert lines[1]["status"] == lines[2]["status"] == "error"
    assert lines[1]["findings"][0]["severity"] == "error"
    assert "Traceback" not in result.stderr


def test_check_masks_personnummer_everywhere(tmp_path: Path) -> None:
    mail = tmp_path / "pnr.eml"
    mail.write_bytes(
        build_mail(
            "Kapacitetstaket är nått från 2027-05-01. Först i kön: 19850412-1230.",
            subject="Kö 19850412-1230",
        )
    )

    result = lovbot("check", str(mail), "--json", cwd=tmp_path)

    assert "1230" not in result.stdout
    line = json.loads(result.stdout)
    assert "personal_data" in [f["code"] for f in line["findings"]]
    assert "19850412-****" in line["subject"]


CORPORA = [
    SAMPLES,
    *sorted(p.parent for p in (Path(__file__).parent / "corpus").glob("*/expected.jsonl")),
]
_EXPECTED = [
    (corpus, json.loads(line))
    for corpus in CORPORA
    if corpus.is_dir()
    for line in (corpus / "expected.jsonl").read_text(encoding="utf-8").splitlines()
]


def _norm(value: str | None) -> str:
    return " ".join((value or "").lower().replace('"', "").split())


@pytest.fixture(scope="module")
def corpus_answers(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[tuple[str, str], dict[str, Any]]:
    """``lovbot check`` over each corpus, as one command per corpus, keyed by (corpus, file)."""
    if not SAMPLES.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the shared sample corpus is missing at {SAMPLES}")
        pytest.skip(f"SKIPPING THE SAMPLE CORPUS: nothing at {SAMPLES}")
    answers: dict[tuple[str, str], dict[str, Any]] = {}
    for corpus in CORPORA:
        expected = [e for c, e in _EXPECTED if c == corpus]
        files = [str(corpus / e["file"]) for e in expected]
        config = str(corpus / "lovbot.toml")
        result = lovbot(
            "check", "--config", config, "--json", *files, cwd=tmp_path_factory.mktemp("c")
        )
        got = [json.loads(line) for line in result.stdout.splitlines()]
        assert len(got) == len(expected), result.stderr
        for e, g in zip(expected, got, strict=True):
            answers[(corpus.name, e["file"])] = g
    return answers


@pytest.mark.parametrize(
    ("corpus", "expected"),
    [pytest.param(corpus, e, id=f"{corpus.name}/{e['file']}") for corpus, e in _EXPECTED],
)
def test_check_agrees_with_every_corpus(
    corpus: Path,
    expected: dict[str, Any],
    corpus_answers: dict[tuple[str, str], dict[str, Any]],
) -> None:
    """Every field ../shared/bin/score-corpus scores, for each case of each corpus."""
    got = corpus_answers[(corpus.name, expected["file"])]
    findings = got["findings"]
    units = " | ".join(_norm(u) for u in got["units"])
    form = got.get("form") or {}
    assert {
        "kind": got["kind"],
        "status": got["status"],
        "effective_date": got["effective_date"],
        "new_name": _norm(got["new_name"]) if expected["new_name"] else None,
        "errors": sorted({f["code"] for f in findings if f["severity"] == "error"}),
    } == {
        "kind": expected["kind"],
        "status": expected["status"],
        "effective_date": expected["effective_date"],
        "new_name": _norm(expected["new_name"]) if expected["new_name"] else None,
        "errors": expected["errors"],
    }
    for name in expected["units_include"]:
        assert _norm(name) in units
    assert set(expected["warnings_include"]) <= {f["code"] for f in findings}
    assert set(expected["form_missing_include"]) <= set(form.get("missing") or [])


def test_poll_refuses_an_old_schema_with_a_clear_message(tmp_path: Path) -> None:
    result = lovbot("poll", "--once", cwd=tmp_path)

    assert result.returncode == 1
    assert "lovbot db upgrade" in result.stderr
    assert "Traceback" not in result.stderr


def test_embedded_defaults_poll_a_maildir_and_write_the_outbox(tmp_path: Path) -> None:
    inbox = tmp_path / "var" / "mailbox"
    for sub in ("new", "cur", "tmp"):
        (inbox / sub).mkdir(parents=True)
    (inbox / "new" / "1.eml").write_bytes(
        build_mail("Daglig verksamhet Hamnen upphör 2027-06-30.", subject="Avslut")
    )
    (inbox / "new" / "2.eml").write_bytes(b"garbage")

    assert lovbot("db", "upgrade", cwd=tmp_path).returncode == 0
    first = lovbot("poll", "--once", cwd=tmp_path)
    second = lovbot("poll", "--once", cwd=tmp_path)

    assert first.returncode == 0, first.stderr
    assert "2 nya meddelanden" in first.stdout and "1 i karantän" in first.stdout
    assert "0 nya meddelanden" in second.stdout
    outbox = sorted(p.name for p in (tmp_path / "var" / "outbox").iterdir())
    assert len([name for name in outbox if name.endswith("-ack.eml")]) == 1
    assert len([name for name in outbox if name.endswith("-order.eml")]) == 2
    assert len(list((inbox / ".Behandlat" / "new").iterdir())) == 1
    assert len(list((inbox / ".Karant&AOQ-n" / "new").iterdir())) == 1
    digest = lovbot("digest", "--print", cwd=tmp_path)
    assert "Meddelanden i Karantän (1)" in digest.stdout


def test_db_upgrade_is_idempotent(tmp_path: Path) -> None:
    assert "uppgraderad" in lovbot("db", "upgrade", cwd=tmp_path).stdout
    assert "redan aktuell" in lovbot("db", "upgrade", cwd=tmp_path).stdout
    assert lovbot("db", "status", cwd=tmp_path).returncode == 0


def test_missing_config_file_is_a_swedish_error(tmp_path: Path) -> None:
    result = lovbot("--config", str(tmp_path / "nope.toml"), "poll", "--once", cwd=tmp_path)
    assert result.returncode == 1
    assert "Konfigurationsfilen finns inte" in result.stderr


def test_settings_from_toml_overridden_by_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "lovbot.toml"
    config.write_text(
        '[mailbox]\nkind = "imap"\nhost = "imap.example"\npassword = "hemligt"\n'
        '[senders]\ntrusted_domains = ["a.se"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("LOVBOT_MAILBOX__HOST", "imap.override")
    monkeypatch.setenv("LOVBOT_SENDERS__TRUSTED_DOMAINS", '["b.se", "c.se"]')

    settings = load_settings(config)

    assert settings.mailbox.kind == "imap"
    assert settings.mailbox.host == "imap.override"
    assert settings.senders.trusted_domains == ["b.se", "c.se"]
    assert "hemligt" not in repr(settings)
    assert settings.mailbox.password.get_secret_value() == "hemligt"


def test_run_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    assert lovbot("db", "upgrade", cwd=tmp_path).returncode == 0
    process = subprocess.Popen(
        [LOVBOT, "run"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "LOVBOT_POLL__INTERVAL_SECONDS": "5"},
    )
    assert process.stdout is not None
    banner = process.stdout.readline()
    assert "lovbot kör" in banner
    # The first poll runs at once; wait for its mark in the database (no blind sleep).
    deadline = time.monotonic() + 30
    while not (tmp_path / "var" / "mailbox").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)

    assert process.returncode == 0, err
    assert "lovbot har stoppats" in out


def test_unreachable_database_is_a_swedish_error_not_a_traceback(tmp_path: Path) -> None:
    closed = "postgresql+psycopg://postgres@127.0.0.1:1/test"
    result = lovbot("poll", "--once", cwd=tmp_path, env={"LOVBOT_DATABASE__URL": closed})

    assert result.returncode == 1
    assert "Databasen går inte att nå" in result.stderr
    assert "Traceback" not in result.stderr
