"""Which field a label, a control's tag or title, or a section heading names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from parsers.form.model import FORM_LABELS
from parsers.form.text import squash
from parsers.form.vocabulary import CONTEXT_LABELS, IGNORED, SYNONYMS

__all__ = ["CONTEXT_WORDS", "IGNORED", "label_key", "name_key", "section_of"]


def _index(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    return {squash(label): key for label, key in pairs}


_LABEL_INDEX: Final = _index(
    [(label, key) for key, labels in SYNONYMS.items() for label in labels.split("|")]
    + [(label, key) for key, label in FORM_LABELS.items()]
    + [(key, key) for key in FORM_LABELS]
)
_CONTEXT_INDEX: Final = {
    section: _index(list(labels.items())) for section, labels in CONTEXT_LABELS.items()
}
_NUMBERING_RE: Final = re.compile(r"^\s*(?:\d{1,2}|[a-zA-Z])\s*[.)]\s+")
CONTEXT_WORDS: Final = frozenset(word for index in _CONTEXT_INDEX.values() for word in index)
_PAREN_RE: Final = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_MAX_LABEL_CHARS: Final = 80


def label_key(text: str, section: str) -> str | None:
    """The field a label names in this section, ``""`` for a known label of no field here,
    ``None`` when the text is not a label."""
    text = text.strip()
    if not text or len(text) > _MAX_LABEL_CHARS:
        return None
    text = _NUMBERING_RE.sub("", text).replace("*", "")
    context = _CONTEXT_INDEX.get(section, _CONTEXT_INDEX[""])

    def lookup(candidate: str) -> str | None:
        squashed = squash(candidate)
        if squashed in context:
            return context[squashed]
        if squashed in _LABEL_INDEX:
            return _LABEL_INDEX[squashed]
        return IGNORED if squashed in _CONTEXT_INDEX[""] else None

    without_notes = _PAREN_RE.sub(" ", text)
    for candidate in (text, without_notes):
        key = lookup(candidate)
        if key is not None:
            return key
    # "Hemsida/Webbadress" names one field twice; "Telefon/E-post" is two fields, no label.
    if "/" in without_notes:
        keys = {lookup(part) for part in without_notes.split("/")}
        if len(keys) == 1 and None not in keys:
            return keys.pop()
    return None


def name_key(name: str | None) -> str | None:
    """The field a control's tag or title, or a legacy field's bookmark name, stands for."""
    if not name or not name.strip():
        return None
    spaced = re.sub(r"(?<=[a-zåäö])(?=[A-ZÅÄÖ])", " ", name).replace("_", " ")
    key = label_key(spaced, "")
    return key or None


def section_of(text: str) -> str:
    """The section a heading opens, which decides what "Namn" or "Telefon" means below it."""
    squashed = squash(_PAREN_RE.sub(" ", text))
    if "chef" in squashed:
        return "chef"
    if any(word in squashed for word in ("underskrift", "ifylldav", "uppgiftslamnare", "intyg")):
        return "underskrift"
    if any(word in squashed for word in ("utforar", "anordnare", "leverantor", "foretag")):
        return "utforare"
    if "enhet" in squashed:
        return "enhet"
    return ""
