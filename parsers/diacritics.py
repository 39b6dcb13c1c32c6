"""Mail written without å, ä and ö, or in capitals, as a phone or a foreign keyboard writes it.

"hej vi slas samman vara tva enheter fran och med forsta januari" is Swedish read by eye
at once; the reading's words are spelled with å, ä and ö. ``as_written_by_hand`` gives
such a text back with the common words restored and capitals lowered, letter for letter
(the length stays, so every position found in it holds in the original), and leaves any
text that writes å, ä or ö, or reads as another language, as it is. Names are not
restored: "frolunda" stays as the sender wrote it.
"""

from __future__ import annotations

import re

__all__ = ["as_written_by_hand"]

# Swedish words as written without å, ä and ö, each with its spelling. Only words that
# are nothing else in Swedish or in English mail ("vara", "var", "sa", "natt" are left).
_RESTORED = {
    word.translate(str.maketrans("åäö", "aao")): word
    for word in (
        "från",
        "på",
        "är",
        "när",
        "där",
        "två",
        "för",
        "före",
        "över",
        "också",
        "även",
        "ännu",
        "något",
        "någon",
        "några",
        "få",
        "fått",
        "går",
        "gå",
        "hör",
        "återkommer",
        "åter",
        "första",
        "förste",
        "fjärde",
        "sjätte",
        "åttonde",
        "tjugoförsta",
        "trettioförsta",
        "måndag",
        "lördag",
        "söndag",
        "månad",
        "månader",
        "nästa",
        "månadsskiftet",
        "årsskiftet",
        "hemtjänst",
        "hemtjänsten",
        "stänger",
        "stängs",
        "stänga",
        "stängt",
        "stängning",
        "stängningen",
        "öppnar",
        "öppna",
        "öppnas",
        "öppnade",
        "öppning",
        "slås",
        "slår",
        "läggs",
        "lägger",
        "lägga",
        "upphör",
        "upphöra",
        "börjar",
        "börja",
        "började",
        "tillträder",
        "besöksadress",
        "kö",
        "kön",
        "välja",
        "hälsningar",
        "hälsning",
        "förvaltningen",
        "biståndshandläggare",
        "biståndshandläggarna",
        "företag",
        "kapacitetstaket",
    )
}
# Words that only Swedish written without å, ä and ö has: two of them make a text one.
_ONLY_SWEDISH = frozenset(
    {"fran", "pa", "ar", "nar", "tva", "forsta", "hemtjanst", "stanger", "oppnar", "slas"}
    | {"stangs", "laggs", "upphor", "manad", "nasta", "borjar", "hemtjansten", "oppna"}
)
_WORD = re.compile(r"[A-Za-z]+")
_SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")


def as_written_by_hand(*texts: str) -> tuple[str, ...]:
    """The texts with capitals lowered when they are written in capitals, and with å, ä
    and ö restored in common words when they write none: decided once, on all of them
    together (a mail's subject and text are one writer's)."""
    context = "\n".join(texts)
    shouting = _shouting(context)
    restore = (
        not _SWEDISH_LETTERS.search(context)
        and len({w.lower() for w in _WORD.findall(context)} & _ONLY_SWEDISH) >= 2
    )
    return tuple(_by_hand(text, lower=shouting, restore=restore) for text in texts)


def _by_hand(text: str, *, lower: bool, restore: bool) -> str:
    if lower:
        lowered = text.lower()
        if len(lowered) == len(text):
            text = lowered
    return _WORD.sub(_restore, text) if restore else text


def _restore(match: re.Match[str]) -> str:
    word = match.group(0)
    restored = _RESTORED.get(word.lower())
    if restored is None:
        return word
    if word.isupper() and len(word) > 1:
        return restored.upper()
    if word[0].isupper():
        return restored[0].upper() + restored[1:]
    return restored


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 20 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def as_the_sender_wrote(name: str, original: str) -> str:
    """A name read from the restored text, spelled as ``original`` writes it: "nordanvind
    hemtjanst askim hovas" stays so, not half restored ("hemtjänst ... hovas")."""
    if name.lower() in original.lower():
        return name
    folded = name.translate(_FOLD).lower()
    at = original.translate(_FOLD).lower().find(folded)
    if at < 0:
        return name
    written = original[at : at + len(name)]
    return name if _shouting(original) else written


_FOLD = str.maketrans("åäöÅÄÖ", "aaoAAO")
