"""From text to answers: every style's candidates, one answer per field."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from parsers.errors import FormUnreadable
from parsers.form.checkboxes import (
    AREA_OPTIONS,
    AREA_RE,
    CHANGE_OPTIONS,
    CHANGE_RE,
    CHANGE_TYPES,
    DAGLIG_VERKSAMHET,
    HEMTJANST,
    normalise_area,
    option_name,
    scan_boxes,
)
from parsers.form.labels import (
    CONTEXT_WORDS,
    IGNORED,
    is_printed_label,
    label_key,
    section_of,
)
from parsers.form.model import FORM_LABELS, UnmatchedLabel, VerksamhetsForm
from parsers.form.package import open_package
from parsers.form.text import clean_answer, squash
from parsers.form.vocabulary import SECTION_WORDS
from parsers.form.walker import BODY, Block, Named, Para, PartWalker, Table, blocks_text

__all__ = ["read_form"]

# A document is the form when the title is there and two fields are, or, without the
# title, five fields of which two belong to this form only: a letter's signature block
# ("Telefon", "E-post", "Datum") must not pass for a form.
_MIN_FIELDS_WITH_TITLE: Final = 2
_MIN_FIELDS_WITHOUT_TITLE: Final = 5
_MIN_SPECIFIC_FIELDS: Final = 2
_GENERIC_FIELDS: Final = frozenset(
    {"besoksadress", "postnummer", "ort", "telefon", "epost", "webbadress", "sprak"}
    | {"oppettider", "ifylld_av", "datum"}
)

# Answers that hold several paragraphs; every other field takes the first line only when
# it is read from free-flowing paragraphs (a table cell bounds its answer by itself).
_MULTILINE_KEYS: Final = frozenset(
    {"typ_av_andring", "tidigare_namn", "beskrivning", "inriktning", "sprak", "oppettider"}
)


def read_form(data: bytes, filename: str | None = None) -> VerksamhetsForm | None:
    """Read the form from a Word attachment.

    Returns ``None`` for a readable Word document that is not the form and raises
    :class:`FormUnreadable` with a short Swedish reason for anything that cannot be read:
    .doc and encrypted files (both OLE2), RTF, macro-enabled documents, corrupt packages
    and packages beyond the bounds.
    """
    parts = open_package(data, filename)
    try:
        reader = _Reader()
        for position, root in enumerate(parts):
            reader.read_part(root, is_body=position == 0)
        return reader.result()
    except RecursionError as err:
        raise FormUnreadable("Dokumentet är för djupt nästlat för att läsas.") from err


_RANK_NAMED, _RANK_TABLE, _RANK_FLOW = 0, 1, 2
# Chunks of one line: tabs, wide spaces, " | ", and the dot or underscore leaders of a
# printed form ("Telefon ........ 031-365 40 00").
_CHUNK_SPLIT_RE: Final = re.compile(r"\t+| {3,}|\s\|\s|\s*(?:\.{4,}|…{2,}|_{4,})\s*")
_TITLE: Final = "verksamhetsuppgifter"
# "Verksamhetsuppgifter – daglig verksamhet" is a title; a sentence that mentions the
# form ("Här kommer blanketten Verksamhetsuppgifter för ...") is not.
_MAX_TITLE_WORDS: Final = 6


@dataclass
class _Candidate:
    key: str
    value: str | None
    rank: int
    order: int
    by_meaning: bool = False


@dataclass
class _Pending:
    """A label waiting for its answer in the lines that follow."""

    key: str
    label: str
    heading: bool
    lines: list[str] = field(default_factory=list)


class _Flow:
    """Reads a run of lines: "Label: value", or a label with the answer in later lines."""

    def __init__(self, reader: _Reader, rank: int) -> None:
        self._reader = reader
        self._rank = rank
        self._pending: _Pending | None = None

    def line(self, text: str, *, heading: bool = False, weak_heading: bool = False) -> None:
        text = text.strip()
        if not text:
            return
        pairs = self._reader.label_line(text)
        if pairs is not None:
            self.flush()
            # Resolve again: closing an empty section label above may have changed context.
            pairs = self._reader.label_line(text) or pairs
            for key, label, value in pairs[:-1]:
                self._reader.add(key, value, self._rank, label=label)
            key, label, value = pairs[-1]
            self._pending = _Pending(key, label, heading or weak_heading or _all_caps(label))
            if value:
                self._take(value)
            return
        waiting_for_answer = self._pending is not None and not self._pending.lines
        if heading or ((weak_heading or _all_caps(text)) and not waiting_for_answer):
            self.flush()
            self._reader.section = section_of(text)
            return
        if self._pending is not None:
            self._take(text)
        else:
            self._reader.unplaced_line(text)

    def _take(self, text: str) -> None:
        if self._pending is None:
            return
        self._pending.lines.append(text)
        if self._pending.key not in _MULTILINE_KEYS:
            self.flush()

    def flush(self) -> None:
        pending, self._pending = self._pending, None
        if pending is None:
            return
        if pending.lines:
            self._reader.add(pending.key, "\n".join(pending.lines), self._rank, label=pending.label)
            return
        self._reader.add(pending.key, None, self._rank, label=pending.label)
        squashed = squash(pending.label)
        if squashed in SECTION_WORDS or (pending.heading and squashed not in CONTEXT_WORDS):
            # An empty "ANSVARIG CHEF" opens a section; an empty "TELEFON" inside one does not.
            self._reader.section = section_of(pending.label)


# "Kvarnbygatan 12, 431 34 Mölndal", "431 34 Mölndal", "S-431 34 Mölndal".
_ADDRESS_LINE_RE: Final = re.compile(
    r"^(?P<address>.*?)[,\s]*(?:[Ss][Ee]?-)?(?P<postnummer>\d{3}\s?\d{2})\s+(?P<ort>[^\d,]+?)\s*$"
)

# The form has some 25 labels; a document with hundreds of unplaced "label: answer"
# lines is not the form filled in, and its listing is echoed in the JSON line and the
# case record, so both the list and each answer are bounded.
_MAX_UNMATCHED: Final = 40
_MAX_UNMATCHED_ANSWER_CHARS: Final = 500

# What may stand as a label beside an answer: a short line of words, not a sentence, a
# number, a check box or one of the printed options ("Ny enhet", "Hemtjänst").
_MAX_UNPLACED_LABEL_CHARS: Final = 60
_MAX_FLOW_LABEL_WORDS: Final = 5
_SENTENCE_END: Final = (".", "!", "?")
# A label may ask a question ("Har enheten parkering?"); a statement is not a label.
_STATEMENT_END: Final = (".", "!")


def _could_be_label(text: str) -> bool:
    text = " ".join(text.split()).rstrip(" :*")
    if not text or len(text) > _MAX_UNPLACED_LABEL_CHARS or text.endswith(_STATEMENT_END):
        return False
    if not text[0].isalpha() or any(ch.isdigit() for ch in text):
        return False
    if CHANGE_RE.fullmatch(text) or AREA_RE.fullmatch(text) or _TITLE in text.lower():
        return False
    return not ("http" in text.lower() or "@" in text)


def _split_address(answers: dict[str, Any]) -> None:
    """ "Besöksadress: Kvarnbygatan 12, 431 34 Mölndal" with no postnummer or ort of their
    own answers those too, as the sender meant."""
    address = answers.get("besoksadress")
    if not address or answers.get("postnummer") or answers.get("ort"):
        return
    match = _ADDRESS_LINE_RE.match(", ".join(address.split("\n")))
    if match is not None and match["address"]:
        answers["besoksadress"] = match["address"]
        answers["postnummer"] = match["postnummer"]
        answers["ort"] = match["ort"]


def _all_caps(text: str) -> bool:
    """A short line in capitals is a section heading ("KONTAKTUPPGIFTER", "CHEF", "UNIT"),
    not "LSS"."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(text) > 60 or not letters or not all(ch.isupper() for ch in letters):
        return False
    return len(letters) >= 5 or (len(letters) >= 3 and section_of(text) != "")


class _Reader:
    """Collects candidate answers from every style and picks one per field."""

    def __init__(self) -> None:
        self.section = ""
        self.title = False
        self._candidates: list[_Candidate] = []
        self._named: list[Named] = []
        self._boxes: list[tuple[str, str, bool]] = []
        self._change_states: dict[str, bool] = {}
        self._area_states: dict[str, bool] = {}
        # Insertion-ordered and unique: (label, answer) -> None.
        self._unmatched: dict[tuple[str, str], None] = {}
        self._named_lines: set[str] = set()

    # Input -------------------------------------------------------------------------

    def read_part(self, root: Any, *, is_body: bool) -> None:
        body = root.find(BODY) if is_body else root
        if body is None:
            return
        before = len(self._named)
        blocks = PartWalker(self._named, self._boxes).blocks(body)
        for named in self._named[before:]:
            value = self._without_own_label(named.key, named.value)
            self.add(named.key, value, _RANK_NAMED)
            self._named_lines.update(line.strip() for line in named.value.split("\n"))
        self.section = ""
        flow = _Flow(self, _RANK_FLOW)
        self._blocks(blocks, flow)
        flow.flush()

    def add(self, key: str, value: str | None, rank: int, *, label: str = "") -> None:
        if key == IGNORED:
            # A label known to name no field here ("Namn" outside any section, the
            # signer's own phone): its answer is still listed, not dropped.
            self.unplaced(label, value)
            return
        if "+" in key:
            self._add_combined(key, value, rank, label)
            return
        by_meaning = bool(label) and not is_printed_label(label)
        self._candidates.append(
            _Candidate(key, value, rank, len(self._candidates), by_meaning=by_meaning)
        )

    def _add_combined(self, key: str, value: str | None, rank: int, label: str) -> None:
        """ "Postnummer och ort: 431 34 Mölndal" answers two fields (vocabulary.py)."""
        keys = key.split("+")
        text = ", ".join(line.strip() for line in (value or "").split("\n") if line.strip())
        match = _ADDRESS_LINE_RE.match(text)
        if match is None or (match["address"] and "besoksadress" not in keys):
            for part in keys:
                self.add(part, None, rank)
            self.unplaced(label, value)
            return
        parts = {"besoksadress": match["address"], "postnummer": match["postnummer"]}
        parts["ort"] = match["ort"]
        for part in keys:
            self.add(part, parts[part] or None, rank)

    def label_line(self, text: str) -> list[tuple[str, str, str]] | None:
        """(key, label, value) for each label on a line that starts with one, else None.

        Labels and answers may share a line as "Label: value", or sit in tab-separated
        chunks ("Postnummer:<tab>415 05<tab>Ort:<tab>Göteborg").
        """
        pairs: list[list[str]] = []
        for chunk in _CHUNK_SPLIT_RE.split(text):
            chunk = chunk.strip()
            if not chunk:
                continue
            found = self._chunk_label(chunk)
            if found is not None:
                pairs.append(list(found))
            elif pairs:
                pairs[-1][2] = f"{pairs[-1][2]} {chunk}".strip()
            else:
                return None
        if not pairs:
            return None
        result: list[tuple[str, str, str]] = []
        for key, label, value in pairs:
            result.extend(self._split_embedded(key, label, value))
        return result

    def _chunk_label(self, chunk: str) -> tuple[str, str, str] | None:
        key = label_key(chunk, self.section)
        if key is not None:
            return key, chunk, ""
        head, colon, rest = chunk.partition(":")
        if colon and head.strip():
            # The colon stays: it marks the head as a label (labels.label_key).
            key = label_key(head.rstrip() + ":", self.section)
            if key is not None:
                return key, head, rest.lstrip(" :").strip()
        return None

    def _split_embedded(self, key: str, label: str, value: str) -> list[tuple[str, str, str]]:
        """A value like "415 05 Ort: Göteborg" holds a second label; free text may not."""
        if key in _MULTILINE_KEYS or ":" not in value:
            return [(key, label, value)]
        for match in re.finditer(":", value):
            words = value[: match.start()].split()
            for size in range(min(4, len(words)), 0, -1):
                inner_label = " ".join(words[-size:])
                inner_key = label_key(inner_label, self.section)
                if inner_key is not None and size < len(words):
                    head = " ".join(words[:-size])
                    rest = value[match.end() :].strip()
                    return [(key, label, head), *self._split_embedded(inner_key, inner_label, rest)]
        return [(key, label, value)]

    def _without_own_label(self, key: str, value: str) -> str:
        """A control wrapped around "Enhetens namn: Kvarnen" answers "Kvarnen"."""
        lines = value.split("\n")
        first = lines[0].strip()
        pairs = self.label_line(first) if first else None
        if pairs and pairs[0][0] == key:
            lines[0] = pairs[0][2]
        return "\n".join(lines)

    # Walking blocks ------------------------------------------------------------------

    def _blocks(self, blocks: Sequence[Block], flow: _Flow) -> None:
        for block in blocks:
            if isinstance(block, Para):
                for line in block.lines:
                    self._scan(line)
                    flow.line(line, heading=block.heading)
            else:
                self._table(block, flow)

    def _table(self, table: Table, flow: _Flow) -> None:
        rows = table.rows
        index = 0
        while index < len(rows):
            cells = rows[index]
            next_row = rows[index + 1] if index + 1 < len(rows) else None
            if len(cells) <= 1:
                # A full-width row: a section heading, a label above its answer, or
                # free text. It continues the surrounding flow of lines.
                blocks = cells[0] if cells else []
                text = blocks_text(blocks).strip()
                single_line = "\n" not in text and len(text) <= 60
                before_pairs = next_row is not None and len(next_row) > 1
                for block in blocks:
                    if isinstance(block, Para) and single_line:
                        for line in block.lines:
                            self._scan(line)
                            flow.line(line, heading=block.heading, weak_heading=before_pairs)
                    else:
                        self._blocks([block], flow)
                index += 1
                continue
            flow.flush()
            texts = [blocks_text(cell).strip() for cell in cells]
            # Boxes may sit in one cell and their options in the next ("☒" | "Ny enhet");
            # label cells stay out so that options printed in a label are not read as marked.
            self._scan(
                " ".join(
                    " ".join(text.split())
                    for text in texts
                    if label_key(text.split("\n", 1)[0], self.section) is None
                )
            )
            if next_row is not None and self._header_row(texts, next_row):
                for text, value_cell in zip(texts, next_row, strict=False):
                    key = label_key(text, self.section)
                    if key is not None:
                        self.add(key, blocks_text(value_cell), _RANK_TABLE, label=text)
                index += 2
                continue
            self._pairs(cells, texts)
            index += 1

    def _header_row(self, texts: list[str], next_row: list[list[Block]]) -> bool:
        """A row of labels whose answers stand in the row below, column by column."""
        labels = [text for text in texts if text]
        if len(labels) < 2 or len(next_row) != len(texts):
            return False
        if any(label_key(text, self.section) is None for text in labels):
            return False
        below = [blocks_text(cell).strip() for cell in next_row]
        return any(below) and all(label_key(text, self.section) is None for text in below)

    def _pairs(self, cells: list[list[Block]], texts: list[str]) -> None:
        """Label in one cell, answer in the next; any other cell is read as free text."""
        position = 0
        while position < len(cells):
            text = texts[position]
            first_line = text.split("\n", 1)[0]
            key = label_key(first_line, self.section)
            has_next = position + 1 < len(cells)
            next_is_answer = (
                has_next and label_key(texts[position + 1].split("\n", 1)[0], self.section) is None
            )
            if key is None and next_is_answer and texts[position + 1] and "\n" not in text:
                # A cell beside an answer stands where a label stands: like a label that
                # ends in ":", it may hold one word of no known meaning ("Telefon dagtid").
                key = label_key(first_line.rstrip() + ":", self.section)
            if key is not None and ("\n" not in text or (next_is_answer and texts[position + 1])):
                if next_is_answer:
                    answer = blocks_text(cells[position + 1])
                    self.add(key, answer, _RANK_TABLE, label=first_line)
                    position += 2
                else:
                    self.add(key, None, _RANK_TABLE, label=first_line)
                    position += 1
                continue
            unplaced = (
                key is None
                and next_is_answer
                and "\n" not in text
                and self._unplaced_pair(text, texts[position + 1])
            )
            for cell in cells[position : position + (2 if unplaced else 1)]:
                cell_flow = _Flow(self, _RANK_TABLE)
                self._blocks(cell, cell_flow)
                cell_flow.flush()
            position += 2 if unplaced else 1

    def _unplaced_pair(self, label: str, answer: str) -> bool:
        """Records "label | answer" cells whose label names no field; True if it did."""
        if not _could_be_label(label) or any(
            self.label_line(line.strip()) for line in answer.split("\n") if line.strip()
        ):
            return False
        return self.unplaced(label, answer)

    def unplaced_line(self, text: str) -> None:
        """A "Label: answer" line whose label names no field.

        Not a line of an answer a control or form field already gave, and not a sentence
        that goes on after a colon ("Vi erbjuder arbete: café och trädgård.").
        """
        head, colon, rest = text.partition(":")
        rest = rest.strip()
        if not colon or text.strip() in self._named_lines:
            return
        if rest[:1].islower() and rest.endswith(_SENTENCE_END):
            return
        if len(head.split()) <= _MAX_FLOW_LABEL_WORDS and _could_be_label(head):
            self.unplaced(head, rest)

    def unplaced(self, label: str, answer: str | None) -> bool:
        label = " ".join(label.split()).rstrip(" :*").strip()
        cleaned = clean_answer(answer or "")
        if not label or cleaned is None:
            return False
        if len(self._unmatched) < _MAX_UNMATCHED:
            self._unmatched.setdefault((label, cleaned[:_MAX_UNMATCHED_ANSWER_CHARS]), None)
        return True

    def _scan(self, line: str) -> None:
        if _TITLE in line.lower() and len(line.split()) <= _MAX_TITLE_WORDS:
            self.title = True
        if not line.strip():
            return
        for option, state in scan_boxes(line, CHANGE_RE, CHANGE_OPTIONS).items():
            self._change_states[option] = self._change_states.get(option, False) or state
        for option, state in scan_boxes(line, AREA_RE, AREA_OPTIONS).items():
            self._area_states[option] = self._area_states.get(option, False) or state

    # Output ------------------------------------------------------------------------

    def _best(self, key: str) -> str | None:
        found = [c for c in self._candidates if c.key == key and c.value is not None]
        answered = [c for c in found if clean_answer(c.value or "") is not None]
        if not answered:
            return None
        return min(answered, key=lambda c: (c.rank, c.order)).value

    def result(self) -> VerksamhetsForm | None:
        for key, option, state in self._boxes:
            states = self._change_states if key == "typ_av_andring" else self._area_states
            states[option] = states.get(option, False) or state
        recognised = {c.key for c in self._candidates}
        if self._change_states:
            recognised.add("typ_av_andring")
        if self._area_states:
            recognised.add("verksamhetsomrade")
        # A label read only by its meaning ("Ansvarig:", "Verksamhetens inriktning:") is
        # half the evidence of one the form prints: minutes or a letter must not pass.
        printed = {c.key for c in self._candidates if not c.by_meaning}
        printed |= recognised - {c.key for c in self._candidates}  # check boxes
        specific = recognised - _GENERIC_FIELDS
        evidence = len(specific & printed) + len(specific - printed) / 2
        is_form = (self.title and len(recognised) >= _MIN_FIELDS_WITH_TITLE) or (
            len(recognised) >= _MIN_FIELDS_WITHOUT_TITLE and evidence >= _MIN_SPECIFIC_FIELDS
        )
        if not is_form:
            return None
        answers: dict[str, Any] = {key: self._best(key) for key in FORM_LABELS}
        _split_address(answers)
        answers["typ_av_andring"] = self._change_types(answers["typ_av_andring"])
        answers["verksamhetsomrade"] = self._area(answers["verksamhetsomrade"])
        unmatched = list(self._unmatched)
        if not answers["verksamhetsomrade"]:
            # A label the reader cannot place ("Verksamhet") whose answer is one of the two
            # areas ("Daglig verksamhet enligt LSS") is the area: the answer tells the field.
            for label, answer in unmatched:
                area = normalise_area(answer)
                if area in (DAGLIG_VERKSAMHET, HEMTJANST):
                    answers["verksamhetsomrade"] = area
                    unmatched.remove((label, answer))
                    break
        answers["unmatched_labels"] = tuple(
            UnmatchedLabel(label=label, answer=answer) for label, answer in unmatched
        )
        return VerksamhetsForm(**answers)

    def _change_types(self, text: str | None) -> tuple[str, ...]:
        if self._change_states:
            ticked = {option for option, state in self._change_states.items() if state}
        else:
            # No boxes anywhere: the answer names the change in words ("Ny enhet"), unless
            # it names all four, which is the printed list of options left unmarked.
            ticked = {
                option_name(match.group(0), CHANGE_OPTIONS)
                for match in CHANGE_RE.finditer(text or "")
            }
            if len(ticked) == len(CHANGE_TYPES):
                ticked = set()
        return tuple(option for option in CHANGE_TYPES if option in ticked)

    def _area(self, text: str | None) -> str | None:
        if not self._area_states:
            return text
        ticked = [name for name in (HEMTJANST, DAGLIG_VERKSAMHET) if self._area_states.get(name)]
        return ", ".join(ticked) or None
