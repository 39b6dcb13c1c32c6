"""Which field a label, a control's tag or title, or a section heading names.

A label is first looked up whole among the wordings of vocabulary.SYNONYMS and, below a
section heading, vocabulary.CONTEXT_LABELS. A label found there is read as before. Any
other text is read by meaning (contract.md, "Form labels are matched by meaning"): its
words are reduced to concepts (vocabulary.CONCEPT_WORDS) and the concepts name the field
(vocabulary.FIELD_RULES). Text with a word that carries no known meaning is not a label,
which keeps answers such as "Daglig verksamhet Kvarnen" or "Förvaltningen för
funktionsstöd" from being taken for labels.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence
from typing import Final

from parsers.form.checkboxes import AREA_RE, CHANGE_RE
from parsers.form.model import FORM_LABELS
from parsers.form.text import squash
from parsers.form.vocabulary import (
    COMBINED_FIELDS,
    CONCEPT_WORDS,
    CONTEXT_LABELS,
    EXCLUSIVE_CONCEPTS,
    FIELD_RULES,
    FILLER_WORDS,
    IGNORED,
    SECTION_FIELDS,
    SYNONYMS,
)

__all__ = ["CONTEXT_WORDS", "IGNORED", "is_printed_label", "label_key", "name_key", "section_of"]


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
    return _label_key(text, section)


def is_printed_label(text: str) -> bool:
    """True for a wording the lists hold (vocabulary.SYNONYMS and the section labels),
    False for a label read only by its meaning: weaker evidence that a document is the
    form (reader.py)."""
    text = text.strip()
    if not text or len(text) > _MAX_LABEL_CHARS:
        return False
    return _printed_key(_NUMBERING_RE.sub("", text).replace("*", ""), "") is not None


@functools.lru_cache(maxsize=8192)
def _label_key(text: str, section: str) -> str | None:
    # A trailing ":" or "*" marks the text as a label, so one word of no known meaning
    # may stand in it ("Telefon dagtid:"); without the mark every word must be known.
    marked = text.endswith((":", "*"))
    text = _NUMBERING_RE.sub("", text).replace("*", "")
    printed = _printed_key(text, section)
    if printed is not None:
        return printed
    return _meaning_key(text, section, unknown_words=1 if marked else 0)


def _printed_key(text: str, section: str) -> str | None:
    notes = " ".join(note[1:-1] for note in _PAREN_RE.findall(text))
    if squash(_PAREN_RE.sub(" ", text)) == "verksamhet" and len(AREA_RE.findall(notes)) >= 2:
        # An older template: "Verksamhet (hemtjänst / daglig verksamhet)" asks for the area.
        return "verksamhetsomrade"
    # A note may name the section itself: "Namn (enhet)", "Telefon (chef)".
    section = section_of(notes) or section
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


# --- labels by meaning ---------------------------------------------------------------

# A label is a short phrase: "Datum då ändringen gäller", "Mejladress till enheten".
_MAX_LABEL_WORDS: Final = 8
# A note after the label proper: "Startdatum – när kan brukare välja enheten?", "Antal
# platser enligt IVO-tillstånd", "Enhetens namn så som det ska visas".
_NOTE_RE: Final = re.compile(
    r"\s[–—-]\s.*$|\?.*$|\s(?:enligt|according\s+to|as\s+per|så\s+som|såsom|as\s+it)\s.*$",
    re.IGNORECASE,
)
# "e-post", "E-mail", "fr.o.m.": joined before the text is cut into words.
_JOINED_RE: Final = re.compile(r"(?<=\w)[-‐‑](?=\w)")
_WORD_RE: Final = re.compile(r"[^\W_]+")
_LINKING_S: Final = "s"
# Similarity needed for a misspelt word to count as the word it resembles
# ("telefonummer", "besöksadres"); lower lets answers pass for labels.
_SIMILARITY: Final = 0.84
_MIN_FUZZY_CHARS: Final = 5
_FUZZY_PREFIX: Final = 2


def _concept_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for concept, words in CONCEPT_WORDS.items():
        for word in words.split("|"):
            index.setdefault(" ".join(squash(part) for part in word.split()), set()).add(concept)
    return {word: frozenset(concepts) for word, concepts in index.items()}


_CONCEPTS: Final = _concept_index()
_LONGEST_PHRASE: Final = max(len(word.split()) for word in _CONCEPTS)


def _fuzzy_index() -> dict[str, list[str]]:
    # Candidates by their first two letters: a misspelling rarely starts wrong, and a
    # short list keeps a document of thousands of unknown "Word:" lines cheap.
    index: dict[str, list[str]] = {}
    for word in sorted(_CONCEPTS):
        if " " not in word and len(word) >= _MIN_FUZZY_CHARS - 1:
            index.setdefault(word[:_FUZZY_PREFIX], []).append(word)
    return index


_FUZZY_CANDIDATES: Final = _fuzzy_index()
_MAX_LENGTH_GAP: Final = 3
_FILLERS: Final = frozenset(squash(word) for word in FILLER_WORDS.split("|"))
_INFLECTIONS: Final = ("arna", "erna", "ens", "ets", "en", "et", "na", "s", "n", "t", "a")


def _inflected_forms() -> dict[str, frozenset[str]]:
    # Every known word with every Swedish ending, looked up in one step: unknown words
    # are tried at every cut as compounds, so this lookup must stay cheap.
    forms: dict[str, frozenset[str]] = {}
    for word, concepts in _CONCEPTS.items():
        if " " in word or len(word) < 3:
            continue
        for ending in _INFLECTIONS:
            forms.setdefault(word + ending, concepts)
    forms.update({word: concepts for word, concepts in _CONCEPTS.items() if " " not in word})
    return forms


_FORMS: Final = _inflected_forms()


def _meaning_key(text: str, section: str, *, unknown_words: int) -> str | None:
    """The field the words of a label mean, or None when more than ``unknown_words`` of
    its words mean nothing known."""
    if CHANGE_RE.fullmatch(text.strip(" :")) or AREA_RE.fullmatch(text.strip(" :")):
        return None  # an option printed beside a check box, not a label
    if text.partition(":")[2].strip():
        return None  # "Label: answer"; the caller reads the part before the colon
    without_brackets = _PAREN_RE.sub(" ", text)
    main = _NOTE_RE.sub("", without_brackets)
    notes = " ".join(_PAREN_RE.findall(text)) + " " + without_brackets[len(main) :]
    main_words = _words(main)
    if not main_words or len(main_words) > _MAX_LABEL_WORDS:
        return None
    concepts = _concepts_of(main_words, unknown_words=unknown_words, fuzzy=False)
    unknown = sum(w not in _FILLERS and _word_concepts(w) is None for w in main_words)
    if 0 < unknown <= unknown_words + 1:
        # Perhaps a misspelling ("Telefonummer", "Besöksadr."): only when a word is
        # unknown and the rest would pass is similarity worth its cost.
        concepts = _concepts_of(main_words, unknown_words=unknown_words, fuzzy=True) or concepts
    if not concepts:
        return None
    notes_concepts = _concepts_of(_words(notes), unknown_words=None, fuzzy=False)
    concepts = concepts | (notes_concepts or frozenset())
    combined = COMBINED_FIELDS.get(concepts - {"unit", "name"})
    if combined is not None:
        return combined
    if {"date", "start"} <= concepts:
        # "Datum från vilket brukare kan välja enheten": a start date, whoever it is for.
        return "startdatum"
    if len(concepts & EXCLUSIVE_CONCEPTS) > 1:
        return None
    key = next(
        (
            field
            for field, needs, excludes in FIELD_RULES
            if needs <= concepts and not excludes & concepts
        ),
        None,
    )
    if key is None:
        return None
    if "unit" not in concepts:
        key = SECTION_FIELDS.get(section, {}).get(key, key)
    return key


def _words(text: str) -> list[str]:
    return [squash(word) for word in _WORD_RE.findall(_JOINED_RE.sub("", text.lower()))]


def _concepts_of(
    words: list[str], *, unknown_words: int | None, fuzzy: bool
) -> frozenset[str] | None:
    """The concepts the words carry; None if more than ``unknown_words`` carry none
    (any number when ``unknown_words`` is None). ``fuzzy`` lets a word count as the
    known word it closely resembles."""
    unknown = 0
    found: set[str] = set()
    position = 0
    while position < len(words):
        for size in range(min(_LONGEST_PHRASE, len(words) - position), 0, -1):
            phrase = " ".join(words[position : position + size])
            concepts = _CONCEPTS.get(phrase) if size > 1 else _word_concepts(phrase)
            if concepts:
                found |= concepts
                position += size
                break
        else:
            word = words[position]
            near = _near_concepts(word) if fuzzy and word not in _FILLERS else None
            if near:
                found |= near
            elif word not in _FILLERS:
                unknown += 1
                if unknown_words is not None and (unknown > unknown_words or word.isdigit()):
                    return None
            position += 1
    return frozenset(found)


@functools.lru_cache(maxsize=8192)
def _word_concepts(word: str) -> frozenset[str] | None:
    """A word's concepts, through its inflections and compounds."""
    if word in _FILLERS or word.isdigit():
        return None
    known = _inflected(word)
    if known is not None:
        return known
    # "chefstelefon", "enhetsmejl": two known words, perhaps joined by an "s".
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        tail_concepts = _inflected(tail)
        if tail_concepts is None:
            continue
        if head in _FILLERS:
            return tail_concepts  # "kontakttelefon", "kontaktepost"
        head_concepts = _inflected(head) or (
            _inflected(head[:-1]) if head.endswith(_LINKING_S) else None
        )
        if head_concepts is not None:
            return head_concepts | tail_concepts
    return None


@functools.lru_cache(maxsize=8192)
def _near_concepts(word: str) -> frozenset[str] | None:
    """The concepts of the known word this one closely resembles (difflib)."""
    if len(word) < _MIN_FUZZY_CHARS or word.isdigit():
        return None
    candidates = [
        known
        for known in _FUZZY_CANDIDATES.get(word[:_FUZZY_PREFIX], ())
        if abs(len(known) - len(word)) <= _MAX_LENGTH_GAP
    ]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=_SIMILARITY)
    return _CONCEPTS[close[0]] if close else None


def _inflected(word: str) -> frozenset[str] | None:
    return _FORMS.get(word)


# --- control names and sections ------------------------------------------------------


def name_key(name: str | None) -> str | None:
    """The field a control's tag or title, or a legacy field's bookmark name, stands for."""
    if not name or not name.strip():
        return None
    # "ChefEpost", "telefon_enhet", "Telefon2": words apart, a control's number dropped.
    spaced = re.sub(r"(?<=[a-zåäö])(?=[A-ZÅÄÖ])", " ", name).replace("_", " ")
    spaced = re.sub(r"\d+$", "", spaced)
    key = label_key(spaced, "")
    return key or None


def section_of(text: str) -> str:
    """The section a heading opens, which decides what "Namn" or "Telefon" means below it."""
    squashed = squash(_PAREN_RE.sub(" ", text))
    if any(word in squashed for word in ("chef", "manager", "forestandare")):
        return "chef"
    if any(
        word in squashed
        for word in ("underskrift", "ifylldav", "uppgiftslamnare", "intyg", "signature")
    ):
        return "underskrift"
    if any(
        word in squashed
        for word in ("utforar", "anordnare", "leverantor", "foretag", "provider", "company")
    ):
        return "utforare"
    if "enhet" in squashed or "unit" in squashed:
        return "enhet"
    return ""
