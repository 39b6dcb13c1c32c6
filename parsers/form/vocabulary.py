"""How units word each label: the data the label matcher reads (labels.py)."""

from __future__ import annotations

from typing import Final

__all__ = [
    "COMBINED_FIELDS",
    "CONCEPT_WORDS",
    "CONTEXT_LABELS",
    "EXCLUSIVE_CONCEPTS",
    "FIELD_RULES",
    "FILLER_WORDS",
    "IGNORED",
    "SECTION_FIELDS",
    "SECTION_WORDS",
    "SYNONYMS",
]

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
    "ansvarskod": (
        "Ekonomisk ansvarskod|Ansvarskod|Ansvarsnummer|Ansvarsnr|Kostnadsställe|Ekonomiskt ansvar"
    ),
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
    "": {"Namn": IGNORED, "Name": IGNORED, "Mobil": IGNORED, "Mobilnummer": IGNORED},
    "chef": {
        "Namn": "ansvarig_chef",
        "Name": "ansvarig_chef",
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
    "enhet": {
        "Namn": "enhetens_namn",
        "Name": "enhetens_namn",
        "Mobil": IGNORED,
        "Mobilnummer": IGNORED,
    },
    "utforare": {"Namn": "utforare", "Name": "utforare", "Mobil": IGNORED, "Mobilnummer": IGNORED},
    "underskrift": {
        "Namn": "ifylld_av",
        "Name": "ifylld_av",
        "Datum": "datum",
        "Date": "datum",
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


# --- labels by meaning (labels.py, after the exact lists above) ----------------------
#
# A label worded in a way no list above holds ("Tel. enheten", "Mejladress till
# enheten", "Datum då ändringen gäller", "Manager's phone") is read by the words that
# carry its meaning. Each word names a concept; the concepts together name the field by
# FIELD_RULES. Words are compared as text.squash leaves them (lower case, no diacritics,
# letters and digits only), after "e-post" has become "epost". Swedish inflections
# ("enhetens", "chefens", "utförarens") and compounds ("chefstelefon") are reduced to
# these words in labels.py; misspellings reach them through a similarity fallback.
CONCEPT_WORDS: Final[dict[str, str]] = {
    "orgnr": (
        "organisationsnummer|organisationsnr|orgnr|org|orgnummer|corporate|registration|"
        "organisationsnumret|regnr|momsregistreringsnummer|foretagsnummer|organisation number|"
        "organization number|company number|registration number|corporate identity|"
        "identity number|company id|corporate id"
    ),
    "ansvarskod": (
        "ansvarskod|ansvarsnummer|kostnadsstalle|ekonomisk|ekonomiskt ansvar|ekonomiskt|kst|"
        "ansvar|ansvarskoden|cost centre|cost center|costcentre|costcenter|responsibility code|"
        "responsibility|budget code|accounting code"
    ),
    "previous": (
        "fore|tidigare|gammalt|gamla|nuvarande|fd|f d|fore detta|previous|former|old|current|"
        "hittillsvarande"
    ),
    "merge": (
        "slas ihop|sammanslagning|sammanslagna|sammanslas|slas samman|sammanslagen|merge|"
        "merged|merger"
    ),
    "new": "ny|nytt|nya|efter|new|after|kommande|framtida",
    "phone": (
        "telefon|telefonnummer|telefonnr|tel|telnr|tfn|telephone|phone|phonenumber|mobil|"
        "mobilnummer|mobiltelefon|mobile|vaxel|vaxelnummer|switchboard|telefonnumret|"
        "telefonnumer|cell|cellphone"
    ),
    "email": (
        "epost|epostadress|epostadressen|mejl|mejladress|mejladressen|mail|mailadress|email|"
        "emailadress|emailaddress|funktionsbrevlada|funktionsadress|funktionsmejl|emejl|mejla"
    ),
    "web": (
        "sida|sidan|webbadress|webbadressen|hemsida|hemsidan|hemsideadress|webbplats|webbsida|"
        "webbsidan|webb|webben|lank|lanken|url|enhetssida|enhetssidan|website|web|homepage|"
        "webpage|internet|internetadress|site|link"
    ),
    "postcode": "postnummer|postnr|post|postkod|postal code|postcode|postal|zip|zipcode",
    "city": "ort|postort|orten|stad|city|town|locality|kommun",
    "address": (
        "adress|besoksadress|gatuadress|gata|adressen|besoksadressen|postadress|address|"
        "visiting|street|streetaddress|besok|lokal|lokalens"
    ),
    "filled": (
        "ifylld|ifyllt|ifyllnad|ifyllande|ifylld av|fyllt|ifyllare|uppgiftslamnare|"
        "namnfortydligande|underskrift|undertecknad|filled|completed|submitted|signed|"
        "signature|lamnad|lamnat|uppgifterna lamnade"
    ),
    "start": (
        "forsta dag|forsta dagen|startdatum|start|startar|starta|galler fran|fran|from|fr|"
        "fran och med|giltig|giltigt|ikrafttradande|oppningsdatum|oppnar|oppning|borjar|"
        "andringsdatum|effective|valid|starting|starts|commencement|opening|valbar|valja|"
        "tilltrade|trader i kraft|i kraft|kraft"
    ),
    "date": "datum|date|datumet",
    # "Gäller" is a start only with a date or "från": "Ändringen gäller" asks what changes.
    "applies": "galler|galler for|applies",
    "change": (
        "andring|andringen|andringar|andringstyp|forandring|forandringen|andras|namnandring|"
        "namnbyte|arende|arendetyp|change|changes|changed|amendment"
    ),
    "manager": (
        "chef|chefen|chefs|chefens|enhetschef|verksamhetschef|forestandare|ansvarig|ansvarige|"
        "ansvariga|narmaste chef|ledare|manager|managers|head|director|responsible|supervisor|"
        "rektor|samordnare|gruppledare"
    ),
    "name": "namn|namnet|name|named|benamning|heter|hette|kallas|enhetsnamn|verksamhetsnamn",
    "unit": (
        "enhet|enheten|enhetens|enheter|enheterna|enhetsnamn|verksamhet|verksamheten|"
        "verksamhetens|verksamhetsnamn|unit|units|service|facility|verksamheter"
    ),
    "language": (
        "sprak|spraken|sprakkompetens|sprakkunskaper|modersmal|language|languages|spoken languages"
    ),
    "capacity": (
        "brukare|brukarplatser|deltagarplatser|clients|antal platser|platser|kapacitet|"
        "kapacitetstak|kapacitetstaket|platsantal|maxantal|capacity|places|seats|spots|"
        "number of places|deltagare"
    ),
    "hours": (
        "oppettider|oppettid|oppet|oppethallande|verksamhetstid|verksamhetstider|tider|"
        "opening hours|hours|open|openinghours|business hours"
    ),
    "focus": (
        "malgrupp|malgrupper|target group|inriktning|inriktningar|kompetens|kompetenser|profil|"
        "specialisering|specialkompetens|expertis|focus|specialisation|specialization|"
        "specialty|speciality|competence|competences|expertise|skills|profile|orientation"
    ),
    "description": (
        "om oss|presentationstext|beskrivning|beskriv|beskrivningen|verksamhetsbeskrivning|"
        "presentation|presentera|om verksamheten|om enheten|description|describe|about|"
        "overview|summary|about the unit|about the service|gor|erbjuder|arbetar med|what we do"
    ),
    "area": (
        "verksamhetsomrade|verksamhetsform|verksamhetstyp|typ av verksamhet|omrade|area|"
        "service area|type of service|kind of service|insats|insatstyp"
    ),
    "provider": (
        "utforare|utforaren|utforarens|anordnare|leverantor|foretag|foretaget|foretagets|bolag|"
        "bolaget|huvudman|forvaltning|forvaltningen|organisation|organisationen|provider|"
        "providers|company|organization|operator|supplier|vardgivare|care provider|"
        "stadsdelsforvaltning"
    ),
}

# Words that carry no meaning of their own in a label; any other word the matcher cannot
# place means the text is not a label (an answer such as "Daglig verksamhet Kvarnen"
# holds "verksamhet" but also "daglig" and "kvarnen").
FILLER_WORDS: Final = (
    # Prefixes of Word control names ("txtTelefon", "fldEpost") are among them: txt, fld.
    "av|for|pa|till|i|och|eller|samt|som|vid|om|med|hos|ar|det|den|de|ska|skall|kan|nar|dar|da|"
    "var|vilken|vilket|vilka|er|ert|era|din|ditt|dina|var|vart|vara|nr|nummer|numret|kort|"
    "kortfattad|kortfattat|sarskild|sarskilda|sarskilt|totalt|total|max|maximalt|antal|ange|"
    "anges|fyll|fyllas|kryssa|markera|typ|type|kind|sort|vem|vad|hur|manga|har|ni|kod|planerad|"
    "planerat|txt|fld|falt|tb|gemensam|gemensamt|bland|personal|personalen|talar|dagar|jamfor|"
    "kontakt|blanketten|blankett|formularet|talas|dess|sin|sitt|the|of|for|to|at|in|on|and|or|"
    "if|your|our|a|an|by|is|its|s|no|number|code|contact|details|form|please|enter|spoken|"
    "which|when|per|x|o|m|t|fullstandigt|fullstandig|fullstandiga|hela|alla|aktuell|aktuellt|"
    "aktuella|officiellt|officiell"
)

# Which field a label names, by the concepts its words carry: the first rule whose
# concepts are all present and whose excluded concepts are all absent wins. The order
# settles labels that share words: "Ansvarig chef, telefon" is the manager's phone, not
# the unit's; "Datum då ändringen gäller" is the start date, "Datum" alone the date the
# form was filled in; "Tidigare namn" is not "Enhetens namn".
FIELD_RULES: Final[tuple[tuple[str, frozenset[str], frozenset[str]], ...]] = tuple(
    (key, frozenset(needs.split()), frozenset(excludes.split()))
    for key, needs, excludes in (
        ("organisationsnummer", "orgnr", ""),
        ("ansvarskod", "ansvarskod", "manager"),
        ("tidigare_namn", "previous", "phone email web address postcode city manager date start"),
        ("ansvarig_chef_telefon", "manager phone", ""),
        ("ansvarig_chef_epost", "manager email", ""),
        ("telefon", "phone", ""),
        ("epost", "email", ""),
        ("webbadress", "web", ""),
        ("postnummer", "postcode", ""),
        ("ort", "city", ""),
        ("datum", "filled date", ""),
        ("ifylld_av", "filled", ""),
        ("startdatum", "start", ""),
        ("startdatum", "change date", ""),
        ("startdatum", "merge date", ""),
        ("startdatum", "applies date", ""),
        ("datum", "date", ""),
        ("enhetens_namn", "name new", "previous"),
        ("typ_av_andring", "change", ""),
        ("ansvarig_chef", "manager", ""),
        ("besoksadress", "address", ""),
        ("enhetens_namn", "merge new", ""),
        ("tidigare_namn", "merge", ""),
        ("sprak", "language", ""),
        ("antal_platser", "capacity", ""),
        ("oppettider", "hours", ""),
        ("inriktning", "focus", ""),
        ("beskrivning", "description", ""),
        ("verksamhetsomrade", "area", ""),
        ("utforare", "provider", ""),
        ("enhetens_namn", "unit name", ""),
        ("enhetens_namn", "new name", ""),
    )
)

# Concepts that each name a field of their own: a label with two of them ("Telefon/E-post",
# "Postnummer och ort", "Ort och datum") is two questions in one and names no field.
EXCLUSIVE_CONCEPTS: Final = frozenset(
    {"phone", "email", "web", "postcode", "city", "language", "capacity", "hours", "orgnr"}
    | {"ansvarskod", "date"}
)

# Below a section heading, a label that names no owner means the section's: "E-post"
# below "ANSVARIG CHEF" is the manager's address; below "UNDERSKRIFT" the signer's own
# contact details belong to no field.
SECTION_FIELDS: Final[dict[str, dict[str, str]]] = {
    "chef": {"telefon": "ansvarig_chef_telefon", "epost": "ansvarig_chef_epost"},
    "underskrift": {"telefon": IGNORED, "epost": IGNORED},
}

# Labels that ask for several fields in one answer, as Swedish forms often print them
# ("Postnummer och ort", "Adress, postnummer och ort"): the answer is split into the
# fields ("431 34 Mölndal"), or listed as unmatched when it does not split.
COMBINED_FIELDS: Final[dict[frozenset[str], str]] = {
    frozenset({"postcode", "city"}): "postnummer+ort",
    frozenset({"address", "postcode", "city"}): "besoksadress+postnummer+ort",
}
