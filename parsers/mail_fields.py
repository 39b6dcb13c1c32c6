"""Form fields the mail itself gives ("Två rader blev tomma: enhetens telefonnummer blir
031-12 34 90, och enhetschef Lina Ek nås på lina.ek@...").

A field the mail gives is not asked for again from the form (contract.md: never ask the
sender for what they gave). Only contact details are read here, each by a word that names
it in the same sentence as a value of its format; the start date, the ansvarskod and the
unit's name are read by the reading itself.
"""

from __future__ import annotations

import re

from parsers.sentences import sentences

__all__ = ["fields_in_mail"]

_PHONE = re.compile(
    r"(?<![\d-])(?:\+46[\s-]?\(?0?\)?|0)\d{1,3}[\s-]?\d{2,3}(?:[\s-]?\d{2,3}){1,3}(?!\d)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MANAGER = re.compile(
    r"(?<![\wåäö])(?:enhetschef\w*|verksamhetschef\w*|chef\w*|manager)(?![\wåäö])", re.I
)
_PHONE_WORD = re.compile(r"(?:telefon\w*|tel\.?|tfn|nummer|numret|växel\w*|phone)", re.I)
_EMAIL_WORD = re.compile(r"(?:e-?post\w*|mejl\w*|mail\w*|e-mail\w*|brevlåd\w*|nås)", re.I)


_REACHED = re.compile(r"\s*(?:[A-ZÅÄÖ][\wåäöé\-]+\s+){1,3}(?:nås|kan\s+nås)\s", re.UNICODE)
_CLAUSE = re.compile(r";|,\s*(?=och\s)|\s(?:och|samt)\s(?=\D)")


def fields_in_mail(text: str) -> frozenset[str]:
    """The contact fields of form.md that a clause of the text gives a value for."""
    given: set[str] = set()
    found = sentences(text)
    # "Jag har glömt fylla i e-postadressen till ansvarig chef. Peter Wallin nås på
    # peter.wallin@...": a sentence that says how a person is reached, right after one
    # about the manager's field, gives the manager's.
    after_manager = {i for i in range(1, len(found)) if _MANAGER.search(found[i - 1].text)}
    clauses = (
        (c, i in after_manager and _REACHED.match(c) is not None)
        for i, s in enumerate(found)
        for c in _CLAUSE.split(s.text)
    )
    for said, reached in clauses:
        manager = bool(_MANAGER.search(said)) or reached
        if _PHONE.search(said) and _PHONE_WORD.search(said):
            given.add("ansvarig_chef_telefon" if manager else "telefon")
        if _EMAIL.search(said) and _EMAIL_WORD.search(said):
            given.add("ansvarig_chef_epost" if manager else "epost")
        if manager and _PHONE.search(said) and _EMAIL.search(said):
            given |= {"ansvarig_chef_telefon", "ansvarig_chef_epost"}
    return frozenset(given)
