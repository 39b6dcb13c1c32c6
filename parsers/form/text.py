"""How labels are compared and answers tidied: the text rules every other module shares."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["clean_answer", "squash"]


def _alternatives(text: str) -> frozenset[str]:
    """Long word lists are written as one "a|b|c" string to keep them readable."""
    return frozenset(text.split("|"))


_EMPTY_ANSWERS: Final = _alternatives(
    "bifogas|e/a|ea|ej|ej aktuell|ej aktuellt|ej bestämt|ej klart|ej tillämplig|"
    "ej tillämpligt|finns ej|finns inte|inga|ingen|inget|inte aktuellt|kommer senare|n/a|"
    "na|nej|none|saknas|se bifogad bilaga|se bifogad fil|se bifogat|se bilaga|se ovan|tbd|"
    # An answer that points at an earlier one ("samma som förut") gives nothing on a form
    # that is read alone; "x" is a filler, as "-" is.
    "samma som förut|samma som tidigare|samma som innan|som förut|som tidigare|oförändrat|"
    "oförändrad|same as before|x"
)

# Word's own placeholder texts (Swedish and English installations) and the home-made ones.
_PLACEHOLDERS: Final = _alternatives(
    "ange datum|ange ett datum|ange text|choose an item|click here to enter a date|"
    "click here to enter text|click or tap here to enter text|click or tap to enter a date|"
    "fyll i här|klicka eller tryck för att ange ett datum|"
    "klicka eller tryck här för att ange text|klicka här för att ange ett datum|"
    "klicka här för att ange text|skriv här|skriv text här|välj ett objekt"
)


# After NFKD, diacritics are combining marks, which are not word characters: one pass
# drops them with the punctuation and spaces (every line of a document goes through here).
_NOT_LETTERS_OR_DIGITS: Final = re.compile(r"[\W_]+")


def squash(text: str) -> str:
    """Letters and digits only, lower case, without diacritics: how labels are compared."""
    return _NOT_LETTERS_OR_DIGITS.sub("", unicodedata.normalize("NFKD", text.lower()))


def clean_answer(text: str) -> str | None:
    """Whitespace tidied, one line per paragraph; ``None`` for answers that say nothing."""
    lines = []
    for raw in text.replace("\r", "\n").split("\n"):
        line = " ".join(raw.split())
        if line and not _is_empty_answer(line):
            lines.append(line)
    if not lines:
        return None
    joined = "\n".join(lines)
    return None if _is_empty_answer(joined) else joined


# An answer that says the answer is still to come ("(meddelas senare)", "rekrytering pågår
# – meddelas senare", "ej tillsatt ännu", "TBD"): no answer yet, so the field is missing.
_PENDING: Final = re.compile(
    r"(?:meddelas|lämnas|skickas|kompletteras|uppdateras|anges|fylls\s+i|bestäms|beslutas"
    r"|klart|klar|kommer)\s+(?:senare|snarast|inom\s+kort|så\s+snart\s+\w+(?:\s+\w+)?)"
    r"|(?:rekrytering|rekryteringen|anställning|anställningen)\s+pågår|under\s+rekrytering"
    r"|(?:ej|inte)\s+(?:ännu\s+|än\s+)?(?:klar|klart|bestämt|bestämd|tillsatt|tillsatta"
    r"|rekryterad|känd|känt|beslutat|färdigt)(?:\s+(?:än|ännu))?"
    r"|(?:ännu|än)\s+(?:ej|inte)\s+\w+|återkommer(?:\s+\w+){0,4}|vakant|oklart"
    r"|vet\s+(?:ej|inte)(?:\s+än|\s+ännu)?|tb[ad]|to\s+be\s+(?:confirmed|announced|decided)"
    r"|pending|not\s+(?:yet\s+)?(?:known|decided|appointed)",
    re.IGNORECASE,
)
_PENDING_PARTS: Final = re.compile(r"\s*[–—,;/]\s*|\s+-\s+")


def _is_pending(lowered: str) -> bool:
    inner = lowered.strip("()[] ").strip(" .:;!")
    parts = [p.strip(" .:;!()[]") for p in _PENDING_PARTS.split(inner)]
    return bool(inner) and all(not p or p in _EMPTY_ANSWERS or _PENDING.fullmatch(p) for p in parts)


def _is_empty_answer(text: str) -> bool:
    lowered = " ".join(text.lower().split()).strip(" .:;!")
    if not lowered or lowered in _EMPTY_ANSWERS or lowered in _PLACEHOLDERS:
        return True
    if _is_pending(lowered):
        return True
    # Lines of underscores, dots or dashes are the blanks of a printed form.
    return not any(ch.isalnum() for ch in lowered)
