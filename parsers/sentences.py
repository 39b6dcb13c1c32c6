"""Sentences as a reader sees them in a mail: where one ends and the next begins.

A stop before a new sentence, a semicolon or a line that starts anew ends one; "fr.o.m.
15/3" and "v. 34" keep their dots, and a wrapped line that goes on in lower case or with a
number is the same sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "sentence_at", "sentence_starts", "sentences"]

_END = re.compile(r"(?:[.!?;]+|\n)(?=[ \t]*(?:\n|[^\s\da-zåäöé(,]))|\n[ \t]*\n")


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
    """The sentence that holds ``position``."""
    return next((s for s in found if s.start <= position < s.end), None)
