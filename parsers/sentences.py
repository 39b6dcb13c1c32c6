"""Sentences as a reader sees them in a mail: where one ends and the next begins.

A stop before a new sentence, a semicolon or a line that starts anew ends one; "fr.o.m.
15/3" and "v. 34" keep their dots, and a wrapped line that goes on in lower case or with a
number is the same sentence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from parsers.cues import ARROW

__all__ = ["Sentence", "sentence_at", "sentence_starts", "sentences", "unwrap"]

# A line a mail program broke because it was long, not because the writer ended it.
_WRAP_WIDTH = 60
_TABLE_CELLS = " | "
_NEW_LINE_ITEM = re.compile(r"^\s*(?:[-*•>]|\d+[.)]\s|[A-ZÅÄÖ][\wåäö ]{0,30}:\s)")


# Cells apart by wide spaces, as a table typed in plain text: "Hemtjänst Ek     Fullt".
_WIDE_GAP = re.compile(r"\S {3,}\S")
_ARROW = re.compile(ARROW)


def unwrap(text: str) -> str:
    """Join lines that a mail program wrapped ("Daglig verksamhet\nBiskopsgården startade").

    A line at least 60 characters long that does not end a sentence runs on into the next
    line, unless that line starts a list item or a "Label: value" line, or the line is a
    table's row. Short lines (an address, a signature) stay as they are.
    """
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        if (
            out
            and len(out[-1]) >= _WRAP_WIDTH
            and out[-1].rstrip()[-1:] not in {".", "!", "?", ":", ";"}
            and line.strip()
            and not _NEW_LINE_ITEM.match(line)
            # A table's row (" | " from parsers/text.py, tabs as typed) is never wrapped.
            and _TABLE_CELLS not in out[-1]
            and "\t" not in out[-1].strip()
            and not _WIDE_GAP.search(out[-1].strip())
            # "Daglig verksamhet A → Daglig verksamhet B" is a line of its own.
            and not _ARROW.search(out[-1])
        ):
            out[-1] = f"{out[-1].rstrip()} {line.lstrip()}"
        else:
            out.append(line)
    return "\n".join(out)


# A stop ends a sentence unless what follows goes on with it: a digit, a lower-case word,
# a comma, or the bracket or quote that closes a remark ("(inte den kända!), 400212-...").
_END = re.compile(r"(?:[.!?;]+|\n)(?=[ \t]*(?:\n|[^\s\da-zåäöé(,)\]”»]))|\n[ \t]*\n")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence at ``start:end`` of the text it was found in."""

    start: int
    end: int
    text: str


def sentence_starts(text: str) -> list[int]:
    """Where each sentence of the text begins, the first at 0."""
    return [0, *(m.end() for m in _END.finditer(text))]


def sentences(text: str) -> list[Sentence]:
    """The text's sentences in order, blank ones left out."""
    starts = sentence_starts(text)
    found: list[Sentence] = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        if text[start:end].strip():
            found.append(Sentence(start, end, text[start:end]))
    return found


def sentence_at(found: list[Sentence], position: int) -> Sentence | None:
    """The sentence that holds ``position`` (``found`` in text order)."""
    i = bisect.bisect_right([s.start for s in found], position) - 1
    return found[i] if i >= 0 and position < found[i].end else None
