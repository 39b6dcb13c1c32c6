"""The review app's commands: ``lovbot user add`` and ``lovbot corpus export``."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from review_helpers import OFFICER_PASSWORD, seed
from sqlalchemy.orm import Session

from intake.check import check
from intake.cli import main
from intake.settings import Settings
from review.actions import Correction, apply_correction
from review.auth import verify_login
from store.repository import find_case_by_number


def _use(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOVBOT_DATABASE__URL", settings.database.url)
    monkeypatch.delenv("LOVBOT_CONFIG", raising=False)


def test_user_add_reads_the_password_from_stdin_and_signs_in(
    tmp_path: Path,
    db_url: str,
    sessions: Callable[[], Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seeded = seed(tmp_path, db_url, sessions)
    _use(seeded.settings, monkeypatch)
    monkeypatch.setattr("sys.stdin", io.StringIO("ett-långt-lösenord-för-kim\n"))
    assert main(["user", "add", "kim", "--role", "lasare"]) == 0
    assert "Kontot kim (lasare) är sparat." in capsys.readouterr().out
    with sessions() as session:
        user = verify_login(session, "kim", "ett-långt-lösenord-för-kim")
        assert user is not None and (user.role, user.can_change) == ("lasare", False)
        assert verify_login(session, "kim", OFFICER_PASSWORD) is None

    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    assert main(["user", "add", "kim", "--role", "lasare"]) == 1
    assert "minst 12 tecken" in capsys.readouterr().err


def _check_lines(corpus: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    expected = [json.loads(line) for line in (corpus / "expected.jsonl").read_text().splitlines()]
    settings = Settings.model_validate({"senders": {"trusted_domains": ["goteborg.se"]}})
    capsys.readouterr()
    check(settings, [corpus / e["file"] for e in expected], as_json=True)
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_corpus_export_masks_the_mail_and_check_agrees_until_a_correction(
    tmp_path: Path,
    db_url: str,
    sessions: Callable[[], Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seeded = seed(tmp_path, db_url, sessions)
    _use(seeded.settings, monkeypatch)
    corpus = tmp_path / "corpus"
    assert main(["corpus", "export", seeded.held, seeded.question, str(corpus)]) == 0

    question = (corpus / "mail" / f"{seeded.question}.eml").read_bytes()
    assert b"19121212-1212" not in question and b"19121212-****" in question
    assert (corpus / "lovbot.toml").is_file()
    expected = [json.loads(line) for line in (corpus / "expected.jsonl").read_text().splitlines()]
    assert [e["file"] for e in expected] == [
        f"mail/{seeded.held}.eml",
        f"mail/{seeded.question}.eml",
    ]
    # What the bot did is what check says of the masked mail: the corpus is consistent.
    for e, got in zip(expected, _check_lines(corpus, capsys), strict=True):
        assert (got["kind"], got["status"], got["effective_date"]) == (
            e["kind"],
            e["status"],
            e["effective_date"],
        )

    # EKU corrects the question into a closing; exported again, the entry is replaced and
    # now says what the bot should have read, which check does not (yet) say.
    with sessions() as session, session.begin():
        case = find_case_by_number(session, seeded.question)
        assert case is not None
        apply_correction(
            session,
            seeded.settings,
            case,
            Correction("close_unit", ("Daglig verksamhet Hamnen",), None, None),
            seen_version=case.version,
            actor="eva",
        )
    assert main(["corpus", "export", seeded.question, str(corpus)]) == 0
    lines = (corpus / "expected.jsonl").read_text().splitlines()
    corrected = json.loads(lines[-1])
    assert len(lines) == 2 and corrected["file"] == f"mail/{seeded.question}.eml"
    assert (corrected["kind"], corrected["units_include"]) == (
        "close_unit",
        ["Daglig verksamhet Hamnen"],
    )
    assert "missing_effective_date" in corrected["errors"]
    assert _check_lines(corpus, capsys)[-1]["kind"] != "close_unit"


def test_corpus_export_of_an_unknown_case_says_so(
    tmp_path: Path,
    db_url: str,
    sessions: Callable[[], Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seeded = seed(tmp_path, db_url, sessions)
    _use(seeded.settings, monkeypatch)
    assert main(["corpus", "export", "LOV-2027-9999", str(tmp_path / "c")]) == 1
    assert "Ärendet LOV-2027-9999 finns inte." in capsys.readouterr().err
