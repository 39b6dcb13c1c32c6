"""The validated answers of one form, and the labels EKU's form prints for them."""

from __future__ import annotations

from typing import Any, Final

from pydantic import BaseModel, ConfigDict, field_validator

from parsers.form.checkboxes import CHANGE_TYPES, change_type, normalise_area
from parsers.form.text import clean_answer

__all__ = ["CHANGE_TYPES", "FORM_LABELS", "UnmatchedLabel", "VerksamhetsForm"]

# The labels as printed on EKU's form, in the order of domain/form.md. They name fields in
# the messages the bot writes ("Blanketten saknar: Ansvarig chef, e-post").
FORM_LABELS: Final[dict[str, str]] = {
    "typ_av_andring": "Typ av ändring",
    "verksamhetsomrade": "Verksamhetsområde",
    "utforare": "Utförare",
    "organisationsnummer": "Organisationsnummer",
    "enhetens_namn": "Enhetens namn",
    "tidigare_namn": "Tidigare namn (vid namnändring/sammanslagning)",
    "ansvarskod": "Ekonomisk ansvarskod",
    "startdatum": "Gäller från datum",
    "besoksadress": "Besöksadress",
    "postnummer": "Postnummer",
    "ort": "Ort",
    "telefon": "Telefonnummer",
    "epost": "E-postadress",
    "webbadress": "Webbadress",
    "ansvarig_chef": "Ansvarig chef, namn",
    "ansvarig_chef_telefon": "Ansvarig chef, telefon",
    "ansvarig_chef_epost": "Ansvarig chef, e-post",
    "beskrivning": "Beskrivning av verksamheten",
    "inriktning": "Inriktning / särskilda kompetenser",
    "sprak": "Språk som talas i verksamheten",
    "antal_platser": "Antal platser (kapacitetstak)",
    "oppettider": "Öppettider",
    "ifylld_av": "Ifylld av (namn)",
    "datum": "Datum",
}


class UnmatchedLabel(BaseModel):
    """A label the reader could not place on any field, with the answer written beside it.

    Kept so that nothing the sender wrote is silently lost, and EKU can see why a field
    was reported missing (contract.md, ``form.unmatched_labels``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str
    answer: str


class VerksamhetsForm(BaseModel):
    """The answers of one filled-in form; every field is optional, rules decide."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    typ_av_andring: tuple[str, ...] = ()
    verksamhetsomrade: str | None = None
    utforare: str | None = None
    organisationsnummer: str | None = None
    enhetens_namn: str | None = None
    tidigare_namn: str | None = None
    ansvarskod: str | None = None
    startdatum: str | None = None
    besoksadress: str | None = None
    postnummer: str | None = None
    ort: str | None = None
    telefon: str | None = None
    epost: str | None = None
    webbadress: str | None = None
    ansvarig_chef: str | None = None
    ansvarig_chef_telefon: str | None = None
    ansvarig_chef_epost: str | None = None
    beskrivning: str | None = None
    inriktning: str | None = None
    sprak: str | None = None
    antal_platser: str | None = None
    oppettider: str | None = None
    ifylld_av: str | None = None
    datum: str | None = None
    unmatched_labels: tuple[UnmatchedLabel, ...] = ()

    @field_validator("typ_av_andring", mode="before")
    @classmethod
    def _canonical_change_types(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = (value,)
        if not isinstance(value, (list, tuple)):
            return value
        wanted = set()
        for item in value:
            canonical = change_type(str(item))
            if canonical is None:
                raise ValueError(f"unknown change type: {item!r}")
            wanted.add(canonical)
        return tuple(name for name in CHANGE_TYPES if name in wanted)

    @field_validator("verksamhetsomrade", mode="before")
    @classmethod
    def _canonical_area(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        cleaned = clean_answer(value)
        return None if cleaned is None else normalise_area(cleaned)

    @field_validator(
        *[key for key in FORM_LABELS if key not in ("typ_av_andring", "verksamhetsomrade")],
        mode="before",
    )
    @classmethod
    def _empty_answers_are_none(cls, value: Any) -> Any:
        return clean_answer(value) if isinstance(value, str) else value

    def answers(self) -> dict[str, str | list[str]]:
        """The non-empty answers keyed as in domain/form.md, in the form's order."""
        result: dict[str, str | list[str]] = {}
        for key in FORM_LABELS:
            value = getattr(self, key)
            if key == "typ_av_andring":
                if value:
                    result[key] = list(value)
            elif value is not None:
                result[key] = value
        return result
