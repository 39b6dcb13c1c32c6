"""The ekonomisk ansvarskod a municipal unit gives for a new unit or a merge."""

from __future__ import annotations

import re

__all__ = ["find_ansvarskod"]

_ANSVARSKOD = re.compile(
    r"(?i:(?:ekonomisk\s+)?ansvarskod(?:en|er)?|ansvarsnummer|ansvar\s*nr\.?"
    # Written short: "Ansv.kod 4713120", "ansv kod", "ansv.nr".
    r"|ansv\.?\s?(?:kod(?:en)?|nr\.?)"
    r"|cost\s+cent(?:re|er)(?:\s+code)?|responsibility\s+code)"
    # "Ansvarskoden för den sammanslagna enheten blir Linbanans nuvarande, 3318260": the
    # code may come a clause later, within the sentence.
    r"(?P<gap>[^\d\n.!?]{0,80}?)(?<![\d\-/])(?P<code>\d{3,10}(?:[ \u00a0]\d{3,4})?)(?![\d\-/.:,]?\d)"
)
_CONTRAST = re.compile(r"(?<![\wåäö])(?:men|but|dock)(?![\wåäö])", re.I)
# "Ansvarskod saknas, återkommer 15 maj": the number after such words is no code.
# "Ansvarskoden skickar jag så snart budgeten är klar": a code promised is no code given.
_NO_CODE = re.compile(
    r"saknas|inte|ej\b|återkommer|senare|kommer|missing|not\b"
    r"|skicka[rs]?\b|meddela[rs]?\b|lämna[rs]?\b|så\s+snart",
    re.I,
)
# "... budgeten för 2027", "inför år 2027": a year, not a code.
_YEAR = re.compile(r"(?:för|i|under|inför|till|från|år|året|in|for|until)\s+$", re.I)


def find_ansvarskod(
    main: str, history: str, form_code: str | None
) -> tuple[str | None, str | None]:
    """The unit's ekonomisk ansvarskod and the words it was read from.

    The new text first, then the quoted thread, then the form; "Ansvarskod saknas,
    återkommer 15 maj" gives none.
    """
    for text, label in ((main, ""), (history, "citerad text: ")):
        for match in _ANSVARSKOD.finditer(text):
            # "Ansvarskoden hade jag inte fått när jag fyllde i blanketten, men den är
            # 4713189": what the contrast says is what holds.
            if _NO_CODE.search(_CONTRAST.split(match.group("gap"))[-1]):
                continue
            code = re.sub(r"\D", "", match.group("code"))
            if re.fullmatch(r"(?:19|20)\d\d", code) and _YEAR.search(match.group("gap")):
                continue
            return code, label + match.group(0)
    if form_code:
        digits = re.sub(r"\D", "", form_code)
        if digits:
            return digits, f"blanketten: {form_code}"
    return None, None
