"""Walking one XML part into paragraphs and tables of plain text."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from parsers.form.checkboxes import SYMBOL_BOXES, option_for_name
from parsers.form.labels import name_key
from parsers.form.package import W_NS

__all__ = ["BODY", "Block", "Named", "Para", "PartWalker", "Table", "blocks_text"]


def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


_W14_NS: Final = "http://schemas.microsoft.com/office/word/2010/wordml"
_MC_NS: Final = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _R, _T, _TBL, _TR, _TC = _w("p"), _w("r"), _w("t"), _w("tbl"), _w("tr"), _w("tc")
_SDT, _SDT_PR, _SDT_CONTENT = _w("sdt"), _w("sdtPr"), _w("sdtContent")
_TXBX = _w("txbxContent")
_MC_ALTERNATE, _MC_CHOICE = f"{{{_MC_NS}}}AlternateContent", f"{{{_MC_NS}}}Choice"
_W14_CHECKBOX, _W14_CHECKED = f"{{{_W14_NS}}}checkbox", f"{{{_W14_NS}}}checked"
_W14_VAL = f"{{{_W14_NS}}}val"
_VAL = _w("val")
# Containers whose children are read as if they stood in the parent.
_INLINE_WRAPPERS: Final = frozenset(
    _w(name)
    for name in ("hyperlink", "smartTag", "customXml", "ins", "moveTo", "fldSimple", "dir", "bdo")
)
_BLOCK_WRAPPERS: Final = frozenset(_w(name) for name in ("customXml", "ins", "moveTo"))
_HEADING_STYLE_RE: Final = re.compile(r"^(heading|rubrik|title|titel|overskrift)", re.IGNORECASE)
_ISO_DATE_RE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class Para:
    lines: list[str]
    heading: bool


@dataclass
class Table:
    rows: list[list[list[Para | Table]]]


Block = Para | Table


@dataclass
class _Field:
    """An open legacy form field (w:fldChar begin ... separate ... end)."""

    ffdata: Any
    in_result: bool = False
    result: list[str] = field(default_factory=list)


@dataclass
class Named:
    """An answer whose field a control's tag/title or a field's name gives directly."""

    key: str
    value: str


@dataclass
class _ControlInfo:
    tag: str | None
    alias: str | None
    placeholder: bool
    checked: bool | None
    full_date: str | None


def _on(element: Any, attribute: str = _VAL) -> bool:
    if element is None:
        return False
    value = element.get(attribute)
    return value is None or value.strip().lower() in ("1", "true", "on")


def _control_info(properties: Any) -> _ControlInfo:
    if properties is None:
        return _ControlInfo(None, None, False, None, None)
    tag = properties.find(_w("tag"))
    alias = properties.find(_w("alias"))
    placeholder = properties.find(_w("showingPlcHdr"))
    checkbox = properties.find(_W14_CHECKBOX)
    checked = None
    if checkbox is not None:
        checked = _on(checkbox.find(_W14_CHECKED), _W14_VAL)
    date = properties.find(_w("date"))
    full_date = date.get(_w("fullDate")) if date is not None else None
    return _ControlInfo(
        tag=tag.get(_VAL) if tag is not None else None,
        alias=alias.get(_VAL) if alias is not None else None,
        placeholder=placeholder is not None and _on(placeholder),
        checked=checked,
        full_date=full_date if full_date and _ISO_DATE_RE.match(full_date) else None,
    )


def _find_textboxes(element: Any) -> Iterator[Any]:
    for child in element:
        if child.tag == _TXBX:
            yield child
        elif child.tag == _MC_ALTERNATE:
            # The Fallback repeats the Choice as VML; reading both would double the text.
            choice = child.find(_MC_CHOICE)
            if choice is not None:
                yield from _find_textboxes(choice)
        else:
            yield from _find_textboxes(child)


def blocks_text(blocks: Sequence[Block]) -> str:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            lines.extend(block.lines)
        else:
            for row in block.rows:
                for cell in row:
                    lines.append(blocks_text(cell))
    return "\n".join(lines)


class PartWalker:
    """Turns one XML part into paragraphs and tables of plain text.

    On the way it renders check box controls and legacy check boxes as ☒/☐, drops
    placeholder text, and records answers that a control's tag or title, or a legacy
    field's name, ties to a field.
    """

    def __init__(self, named: list[Named], boxes: list[tuple[str, str, bool]]) -> None:
        self._named = named
        self._boxes = boxes
        self._fields: list[_Field] = []
        self._out: list[str] = []
        self._textboxes: list[Any] = []

    def blocks(self, container: Any) -> list[Block]:
        result: list[Block] = []
        for child in container:
            tag = child.tag
            if tag == _P:
                result.append(self._paragraph(child))
                boxes, self._textboxes = self._textboxes, []
                for box in boxes:
                    result.extend(self.blocks(box))
            elif tag == _TBL:
                result.append(self._table(child))
            elif tag == _SDT:
                result.extend(self._block_control(child))
            elif tag in _BLOCK_WRAPPERS:
                result.extend(self.blocks(child))
            elif tag == _MC_ALTERNATE:
                choice = child.find(_MC_CHOICE)
                if choice is not None:
                    result.extend(self.blocks(choice))
        return result

    def _paragraph(self, paragraph: Any) -> Para:
        self._out = []
        self._inline(paragraph)
        text = "".join(self._out).translate(SYMBOL_BOXES)
        style = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
        heading = style is not None and bool(_HEADING_STYLE_RE.match(style.get(_VAL) or ""))
        return Para(lines=text.split("\n"), heading=heading)

    def _table(self, table: Any) -> Table:
        rows = []
        for row in self._rows(table):
            cells: list[list[Block]] = []
            for cell, key, placeholder in self._cells(row, None, False):
                blocks = [] if placeholder else self.blocks(cell)
                if key:
                    self._named.append(Named(key, "" if placeholder else blocks_text(blocks)))
                cells.append(blocks)
            rows.append(cells)
        return Table(rows=rows)

    def _rows(self, element: Any) -> Iterator[Any]:
        for child in element:
            if child.tag == _TR:
                yield child
            elif child.tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    yield from self._rows(content)
            elif child.tag in _BLOCK_WRAPPERS:
                yield from self._rows(child)

    def _cells(
        self, row: Any, key: str | None, placeholder: bool
    ) -> Iterator[tuple[Any, str | None, bool]]:
        """Each cell with the field and placeholder state of a control wrapped around it."""
        for child in row:
            if child.tag == _TC:
                yield child, key, placeholder
            elif child.tag == _SDT:
                info = _control_info(child.find(_SDT_PR))
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    inner_key = name_key(info.tag) or name_key(info.alias)
                    yield from self._cells(content, inner_key, info.placeholder)
            elif child.tag in _BLOCK_WRAPPERS:
                yield from self._cells(child, key, placeholder)

    def _block_control(self, control: Any) -> list[Block]:
        info = _control_info(control.find(_SDT_PR))
        content = control.find(_SDT_CONTENT)
        key = name_key(info.tag) or name_key(info.alias)
        if info.placeholder:
            if key:
                self._named.append(Named(key, ""))
            return []
        if content is None:
            return []
        blocks = self.blocks(content)
        structured = (
            content.find(f".//{_TBL}") is not None or content.find(f".//{_SDT}") is not None
        )
        if key and not structured:
            self._named.append(Named(key, blocks_text(blocks)))
        return blocks

    # Inline content ----------------------------------------------------------------

    def _in_field_code(self) -> bool:
        return any(not open_field.in_result for open_field in self._fields)

    def _emit(self, text: str) -> None:
        if self._in_field_code():
            return
        self._out.append(text)
        for open_field in self._fields:
            open_field.result.append(text)

    def _inline(self, element: Any) -> None:
        for child in element:
            tag = child.tag
            if tag == _R:
                self._run(child)
            elif tag == _SDT:
                self._inline_control(child)
            elif tag in _INLINE_WRAPPERS:
                self._inline(child)
            elif tag == _MC_ALTERNATE:
                choice = child.find(_MC_CHOICE)
                if choice is not None:
                    self._inline(choice)

    def _run(self, run: Any) -> None:
        for child in run:
            tag = child.tag
            if tag == _T:
                self._emit(child.text or "")
            elif tag in (_w("tab"), _w("ptab")):
                self._emit("\t")
            elif tag in (_w("br"), _w("cr")):
                self._emit("\n")
            elif tag == _w("noBreakHyphen"):
                self._emit("-")
            elif tag == _w("sym"):
                self._emit(_symbol(child.get(_w("char"))))
            elif tag == _w("fldChar"):
                self._field_char(child)
            elif tag in (_w("drawing"), _w("pict"), _w("object"), _MC_ALTERNATE):
                self._textboxes.extend(_find_textboxes(child))

    def _inline_control(self, control: Any) -> None:
        info = _control_info(control.find(_SDT_PR))
        if info.checked is not None:
            self._emit("☒" if info.checked else "☐")
            option = option_for_name(info.alias) or option_for_name(info.tag)
            if option:
                self._boxes.append((option[0], option[1], info.checked))
            return
        content = control.find(_SDT_CONTENT)
        saved, self._out = self._out, []
        if content is not None:
            self._inline(content)
        text = "".join(self._out)
        self._out = saved
        if info.placeholder:
            text = ""
        elif info.full_date:
            # The date picker stores the chosen day locale-free; prefer it to the display.
            text = info.full_date[:10]
        if not self._in_field_code():
            self._out.append(text)
        key = name_key(info.tag) or name_key(info.alias)
        if key:
            self._named.append(Named(key, text))

    def _field_char(self, char: Any) -> None:
        kind = char.get(_w("fldCharType"))
        if kind == "begin":
            self._fields.append(_Field(ffdata=char.find(_w("ffData"))))
        elif kind == "separate" and self._fields:
            self._fields[-1].in_result = True
        elif kind == "end" and self._fields:
            self._finish_field(self._fields.pop())

    def _finish_field(self, closed: _Field) -> None:
        ffdata = closed.ffdata
        if ffdata is None:
            return
        name_element = ffdata.find(_w("name"))
        name = name_element.get(_VAL) if name_element is not None else None
        checkbox = ffdata.find(_w("checkBox"))
        if checkbox is not None:
            checked_element = checkbox.find(_w("checked"))
            if checked_element is None:
                checked_element = checkbox.find(_w("default"))
            checked = _on(checked_element)
            self._emit("☒" if checked else "☐")
            option = option_for_name(name)
            if option:
                self._boxes.append((option[0], option[1], checked))
            return
        dropdown = ffdata.find(_w("ddList"))
        if dropdown is not None:
            # A legacy drop-down shows its chosen entry without any result runs.
            entries = [entry.get(_VAL) or "" for entry in dropdown.findall(_w("listEntry"))]
            chosen = dropdown.find(_w("result"))
            if chosen is None:
                chosen = dropdown.find(_w("default"))
            index = _int_or_zero(chosen.get(_VAL) if chosen is not None else None)
            value = entries[index] if 0 <= index < len(entries) else ""
            self._emit(value)
        else:
            value = "".join(closed.result)
        key = name_key(name)
        if key:
            self._named.append(Named(key, value))


def _int_or_zero(text: str | None) -> int:
    try:
        return int(text or "0")
    except ValueError:
        return 0


def _symbol(char: str | None) -> str:
    try:
        code = int(char or "", 16)
    except ValueError:
        return ""
    if code < 0xF000:
        code += 0xF000
    return SYMBOL_BOXES.get(code, "")


BODY: Final = _w("body")
