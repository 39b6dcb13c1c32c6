"""How units word each label: the data the label matcher reads (labels.py)."""

from __future__ import annotations

from typing import Final

__all__ = ["CONTEXT_LABELS", "IGNORED", "SECTION_WORDS", "SYNONYMS"]

# Ways the form, its older versions and the units phrase each label. Matching ignores
# case, spacing, punctuation, "*", a trailing ":" and Swedish diacritics (see squash).
# One string per field, alternatives separated by "|".
SYNONYMS: Final[dict[str, str]] = {
    "typ_av_andring": (
        "Typ av ändring|Typ av förändring|Ändringstyp|Ändringen avser|Ändring avser|Typ av ärende"
    ),
    "verksamhetsomrade": (
        "Verksamhetsområde|Verksamhetsform|Verksamhetstyp|Typ av verksamhet|Verksamhet avser"
    ),
    "utforare": (
        "Utförare|Utförarens namn|Utförarnamn|Namn på utförare|Namn på utföraren|Anordnare|"
        "Leverantör|Företag|Företagets namn|Företagsnamn|Huvudman|Förvaltning"
    ),
    "organisationsnummer": (
        "Organisationsnummer|Org.nr|Org nr|Orgnr|Org.nummer|Organisationsnr|"
        "Utförarens organisationsnummer"
    ),
    "enhetens_namn": (
        "Enhetens namn|Namn på enheten|Namn på enhet|Enhet|Enhetsnamn|Verksamhetens namn|"
        "Namn på verksamheten|Enhetens nya namn|Nytt namn"
    ),
    "tidigare_namn": (
        "Tidigare namn|Enhetens tidigare namn|Tidigare enhetsnamn|Gammalt namn|"
        "Tidigare enheter|Enheter som slås samman|Sammanslagna enheter"
    ),
    "ansvarskod": "Ekonomisk ansvarskod|Ansvarskod|Ansvarsnummer|Kostnadsställe|Ekonomiskt ansvar",
    "startdatum": (
        "Gäller från datum|Gäller från|Gäller fr.o.m.|Gäller från och med|Gäller from|"
        "Startdatum|Datum för start|Startar|Från och med|Ändringen gäller från|"
        "Datum för ändring|Datum för ändringen|Ändringsdatum"
    ),
    "besoksadress": "Besöksadress|Adress|Gatuadress|Enhetens adress",
    "postnummer": "Postnummer|Postnr|Post nr",
    "ort": "Ort|Postort",
    "telefon": (
        "Telefonnummer|Telefon|Tel|Tfn|Telefonnr|Tel.nr|Telefon enhet|Telefon till enheten|"
        "Enhetens telefon|Enhetens telefonnummer|Växel"
    ),
    "epost": (
        "E-postadress|E-post|Epost|E-mail|Mejl|Mejladress|Mail|Mailadress|E-post enhet|"
        "E-post till enheten|Enhetens e-post|Enhetens e-postadress|Funktionsbrevlåda"
    ),
    "webbadress": "Webbadress|Hemsida|Webbplats|Webbsida|Hemsideadress|Länk till hemsida|URL",
    "ansvarig_chef": (
        "Ansvarig chef, namn|Ansvarig chef|Namn ansvarig chef|Ansvarig chefs namn|Chefens namn|"
        "Enhetschef|Chef|Verksamhetschef"
    ),
    "ansvarig_chef_telefon": (
        "Ansvarig chef, telefon|Ansvarig chef, telefonnummer|Telefon chef|Telefonnummer chef|"
        "Telefon ansvarig chef|Telefonnummer ansvarig chef|Chefens telefon|"
        "Chefens telefonnummer|Enhetschef telefon|Telefon enhetschef|Mobil chef"
    ),
    "ansvarig_chef_epost": (
        "Ansvarig chef, e-post|Ansvarig chef, e-postadress|E-post chef|E-postadress chef|"
        "E-post ansvarig chef|E-postadress ansvarig chef|Chefens e-post|Chefens e-postadress|"
        "Enhetschef e-post|E-post enhetschef|Mejl chef"
    ),
    "beskrivning": (
        "Beskrivning av verksamheten|Beskrivning|Verksamhetsbeskrivning|Kort beskrivning|"
        "Kort beskrivning av verksamheten|Beskrivning av enheten|Om verksamheten|"
        "Presentation av verksamheten"
    ),
    "inriktning": (
        "Inriktning / särskilda kompetenser|Inriktning|Särskilda kompetenser|"
        "Särskild inriktning|Inriktning och kompetenser|Inriktning/profil|Kompetenser"
    ),
    "sprak": "Språk som talas i verksamheten|Språk|Språkkompetens|Talade språk",
    "antal_platser": (
        "Antal platser (kapacitetstak)|Antal platser|Kapacitetstak|Platser|Max antal platser"
    ),
    "oppettider": "Öppettider|Öppet|Öppettid|Öppethållande|Verksamhetstid",
    "ifylld_av": "Ifylld av (namn)|Ifylld av|Ifyllt av|Uppgiftslämnare|Namnförtydligande",
    "datum": "Datum|Datum för ifyllnad|Datum för ifyllande|Ifylld datum",
}

# Labels that name a different field under a section heading: "Telefon" below
# "ANSVARIG CHEF" is the manager's phone, "Namn" below "ENHET" the unit's name. "" marks a
# label that belongs to no field there (it still ends the answer above it).
IGNORED: Final = ""
CONTEXT_LABELS: Final[dict[str, dict[str, str]]] = {
    "": {"Namn": IGNORED, "Mobil": IGNORED, "Mobilnummer": IGNORED},
    "chef": {
        "Namn": "ansvarig_chef",
        "Telefon": "ansvarig_chef_telefon",
        "Telefonnummer": "ansvarig_chef_telefon",
        "Tel": "ansvarig_chef_telefon",
        "Tfn": "ansvarig_chef_telefon",
        "Mobil": "ansvarig_chef_telefon",
        "Mobilnummer": "ansvarig_chef_telefon",
        "E-post": "ansvarig_chef_epost",
        "E-postadress": "ansvarig_chef_epost",
        "Epost": "ansvarig_chef_epost",
        "E-mail": "ansvarig_chef_epost",
        "Mejl": "ansvarig_chef_epost",
        "Mail": "ansvarig_chef_epost",
    },
    "enhet": {"Namn": "enhetens_namn", "Mobil": IGNORED, "Mobilnummer": IGNORED},
    "utforare": {"Namn": "utforare", "Mobil": IGNORED, "Mobilnummer": IGNORED},
    "underskrift": {
        "Namn": "ifylld_av",
        "Datum": "datum",
        "Telefon": IGNORED,
        "Telefonnummer": IGNORED,
        "E-post": IGNORED,
        "E-postadress": IGNORED,
        "Mobil": IGNORED,
        "Mobilnummer": IGNORED,
    },
}

# An empty label line with one of these texts opens a section even when it is not styled
# as a heading ("Ansvarig chef" alone, then "Namn:", "Telefon:").
SECTION_WORDS: Final = frozenset(
    {"ansvarigchef", "chef", "enhetschef", "enhet", "enheten", "utforare", "utforaren"}
    | {"underskrift", "ifylldav"}
)
