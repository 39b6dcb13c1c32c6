"""Issue 8.10: ``check --json`` prints one line per file even when the mail holds
characters that line readers take for line ends (NEL, LINE and PARAGRAPH SEPARATOR)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import LINE_SEPARATORS, raw_mail

from intake.check import json_line

LOVBOT = str(Path(sys.executable).parent / "lovbot")


def test_each_file_is_one_line_for_every_line_reader(tmp_path: Path) -> None:
    # The mail's own texts lose these characters on the way (headers are single-spaced,
    # the form reader normalises space); a file name keeps them, and so does an
    # unreadable file's error.
    files = []
    for i, mail in enumerate(
        [
            raw_mail(subject=f"Avslut{LINE_SEPARATORS}Hamnen"),
            raw_mail(f"Daglig verksamhet Ham{LINE_SEPARATORS}nen upphör 2027-06-30.\r\n"),
            raw_mail(sender=f'"Anna{LINE_SEPARATORS}Lind" <anna.lind@goteborg.se>'),
        ]
    ):
        path = tmp_path / f"{i} Hamnen{LINE_SEPARATORS}.eml"
        path.write_bytes(mail)
        files.append(str(path))
    missing = str(tmp_path / f"saknas{LINE_SEPARATORS}.eml")

    result = subprocess.run(
        [LOVBOT, "check", "--json", *files, missing],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 1, result.stderr  # the missing file
    text = result.stdout.decode("utf-8")
    # str.splitlines() splits at every Unicode line boundary, as JavaScript, Java's
    # readers and many log shippers do; byte readers split at LF only.
    assert len(text.splitlines()) == len(result.stdout.splitlines()) == len(files) + 1
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["file"] for line in lines] == [*files, missing]  # escaped, not lost
    assert [line["status"] for line in lines] == ["complete"] * 3 + ["error"]


@pytest.mark.parametrize("character", ["\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x80"])
def test_a_line_breaking_character_is_escaped(character: str) -> None:
    line = json_line({"subject": f"a{character}b"})

    assert line.splitlines() == [line]
    assert json.loads(line) == {"subject": f"a{character}b"}
