"""Which kind of change a message announces, how sure that reading is, and its words.

A cue word (parsers/cues.py) is only a candidate. It becomes a *statement* when it is said
of the unit: "gamla numret stängs" closes a phone number, "deltagarna har valt ny
verksamhet" starts nothing (contract.md, "How a message is read"). Statements in the new
text decide; the subject line counts with them unless it is the subject a reply or a
forward inherited and the new text says something itself. The form's ticked boxes and the
quoted history only fill a gap.

A reading that rests on words not clearly said of a unit, or on two kinds that contradict
each other, is marked unsure: EKU looks before any order goes out.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from parsers.cues import (
    ABOVE_UNITS,
    AFFIRMATIVE,
    ATTRIBUTE_PREPOSITION,
    AUTO_BODY,
    AUTO_RECEIPT,
    AUTO_SUBJECT,
    AUTOMATED_SENDER,
    BARE_START,
    BESIDE_AFTER,
    BESIDE_BEFORE,
    BOUNCE_SENDER,
    BOUNDED_STATE,
    CONTRAST,
    CONTRAST_REACH,
    CUES,
    FALSE_AFTER,
    FALSE_BEFORE,
    FALSE_REACH,
    HYPOTHETICAL,
    INDIRECT_QUESTION,
    NEGATED_TO,
    NEGATION_AFTER,
    NEGATION_BEFORE,
    NEGATION_REACH,
    NOT_COMING,
    NOT_UNIT_SUBJECT,
    OPEN_QUESTION,
    ORDER_DONE,
    PART_OF_UNIT,
    PAST_TENSE,
    PERIOD,
    PROPOSED_WORDING,
    QUEUE,
    RECEIPT,
    REPORTED,
    RESTORED,
    TENTATIVE,
    UNDECIDED,
    UNIT_CHANGES,
    UNIT_REFERENCE,
    WITHDRAWN,
    YES_NO_QUESTION,
    Kind,
)
from parsers.dates import find_dates
from parsers.sentences import Sentence, sentence_at, sentences
from parsers.text import clean_header, clean_subject
from parsers.units import (
    UnitMention,
    company_named,
    find_providers,
    find_unit_mentions,
    same_unit,
    says_what_remains,
)

__all__ = [
    "KIND_ORDER",
    "Classification",
    "Cue",
    "Kind",
    "automated_reason",
    "classify",
    "find_cues",
    "inherited_subject",
    "statements",
    "sums_up",
]

# contract.md: a message with several changes takes the first of this order as its kind.
KIND_ORDER: tuple[Kind, ...] = (
    "new_unit",
    "merge_units",
    "close_unit",
    "rename_unit",
    "capacity_full",
    "capacity_available",
    "update_details",
    "onboarding",
)

# Determiners and adjectives between a verb and the thing it is said of: "stängs det
# gamla numret".
_THING_AFTER = re.compile(
    r"[ \t]+(?:(?:vi|ni|man|we|they|det|den|de|vårt|vår|våra|ert|er|gamla|nuvarande|befintliga"
    # "avslutar då sitt förordnande": the person's own thing.
    r"|då|sitt|sin|sina|his|her|their"
    r"|the|our|old|current)[ \t]+){0,3}",
    re.IGNORECASE,
)
# Where a clause of its own begins inside a sentence: "..., då inga lediga platser finns".
# A conjunction starts a clause of its own only with a subject of its own: in "har valt ny
# verksamhet och flyttar över till en annan utförare" the participants still do both.
_CLAUSE_BOUNDARY = re.compile(
    r"[,;:–→]\s*|\s(?i:och|men|då|eftersom|samt|but|and|because|since|while)\s"
    r"(?=(?i:vi|jag|ni|de|den|det|han|hon|enheten|verksamheten|we|they|it|I)\b|[A-ZÅÄÖ])"
)
_WORD = re.compile(r"[^\W\d_]{2,}")
# A change named in the plural speaks of such changes in general.
_PLURAL_TOPIC = re.compile(
    r"(?:ningar|ningarna|byten|bytena|ändringar|ändringarna|starter|starterna|öppningar"
    r"|stängningar|mergers|closures|openings|renamings)$",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"\s*(?:\d{1,2}[.)]|[-*•–])\s")
_SPEAKS_OF_FORM = re.compile(
    r"(?<![\wåäö])(?:blankett\w*|bifoga\w*|bilaga\w*|formulär\w*|verksamhetsuppgifter|form|attach\w*)"
    r"(?![\wåäö])",
    re.IGNORECASE,
)
_PEOPLE = re.compile(
    r"(?:kund|brukar|deltagar|användar)\w*|clients?|customers?|participants?|users?", re.I
)
_MANAGER = re.compile(r"chef|manager", re.IGNORECASE)
# A person, or what a person has (a leave): "Jag är tillbaka efter min föräldraledighet och
# går åter in som enhetschef".
_PERSON = re.compile(
    r"jag|mig|min|mitt|mina|han|hon|hen|he|she|me|my"
    r"|\w*ledighet\w*|semester\w*|förordnande\w*|tjänstgöring\w*",
    re.IGNORECASE,
)
_LANGUAGES = re.compile(r"språk|language", re.IGNORECASE)
_STAFF = re.compile(r"personal\w*|medarbetar\w*|staff|employees?", re.IGNORECASE)
_DATE_AFTER = re.compile(r"[ \t]+(?:(?:den|the|on|from|från|per)[ \t]+)?\d")
_NEW_CLAUSE = re.compile(
    r"\s(?:och|men|samt|and|but)\s+(?:vi\s+|we\s+)?(?:är|blir|har|kan|ska|kommer|går|tar|börjar"
    r"|återgår|are|will|have)\s",
    re.IGNORECASE,
)
_ONLY_AND = re.compile(r"\s+(?:och|samt|and)\s+(?:(?:sedan|därefter|även|också|then|also)\s+)?")
# A relative clause after a noun: "som vi samarbetat med", "which we used".
# Also without "som": "De deltagare vi har i dag flyttar tillfälligt" (a contact clause).
_RELATIVE = re.compile(
    r"\s*,?\s*(?:som|vilken|vilket|vilka|där|which|that|who|where)\s"
    r"|\s+(?:vi|ni|jag)\s+(?:har|hade|tar|tog|får|fick)\s",
    re.I,
)
# A remark in brackets, or a relative clause between commas, closed before the verb.
_ENCLOSED_REMARK = re.compile(
    r"\([^()\n]*\)|,\s*(?:som|vilken|vilket|vilka|där|which|who)\s[^,.;:\n]*,(?=\s*\S)",
    re.IGNORECASE,
)
# A finite verb, its subject, then the negation: "kan Omsorg Direkt inte", "tar Hemtjänst
# Kungsporten inte emot" (not "kan inte", "tar nu inte": no subject between).
_INVERTED = re.compile(
    r"(?i:kan|tar)\s+(?!(?i:inte|ej|nu|tyvärr|längre|heller|just)\b)[A-ZÅÄÖ\d]\S*"
    r"(?:\s+\S+){0,5}?\s+(?i:inte|ej)\b"
)
# A conjunction or relative word after a comma begins a clause of its own.
_JOINS_CLAUSE = re.compile(r"(?i:och|men|samt|som|eller|and|but|or|which|who)\b")
# Between two commas, only a name (capitalised words), a number or a remark in brackets.
_APPOSITION = re.compile(r"(?:\s*(?:\([^()]*\)|[A-ZÅÄÖ][\w.'-]*|[\d][\d\s+-]*))+\s*")
_ARRIVED = re.compile(
    r"(?<![\wåäö])(?:har|fick|hann)\s+(?:ni|du)\s+(?:\w+\s+)?(?:fått|sett|läst|mottagit|tagit\s+emot)"
    # The sender's own message ("mitt mejl om att ..."); "något besked från Nova om att de
    # är fulla" asks what a third party said.
    r"\s+(?:(?:mitt|min|mina|vårt|vår|våra|det|detta|denna|den)(?![\wåäö])"
    r"|(?:mejl|mail|meddelande|brev|blankett|anmälan)\w*)"
    r"|(?:did|have)\s+you\s+(?:\w+\s+)?(?:receive[d]?|get|got|see|seen)\s+(?:my|our|the|this)\b",
    re.IGNORECASE,
)
_REQUEST = re.compile(
    r"(?<![\wåäö])(?:kan|kunde|skulle|vill|får)\s+(?:ni|du)\s+(?:\w+\s+)?(?:meddela|ändra|uppdatera"
    r"|lägga|rätta|ta\s+bort|byta|föra|informera|hjälpa|se\s+till)|(?:could|can|would)\s+you\s+"
    r"(?:please\s+)?(?:update|change|tell|inform|remove|correct)",
    re.IGNORECASE,
)
_DETAIL_KINDS = frozenset({"update_details", "capacity_available", "onboarding"})
_UNIT_KINDS = UNIT_CHANGES
_INTRANSITIVE = frozenset({"close_unit", "new_unit"})
_UNIT_WORD = re.compile(r"enhet|verksamhet|hemtjänst|grupp|unit|service|activit", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue word found in a text, at ``start:end``."""

    kind: Kind
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Classification:
    """A kind with the words that decided it; ``cues`` index the text they were found in.

    ``unsure`` says, in Swedish, why the reading is not certain (None when it is).
    """

    kind: Kind
    also: tuple[Kind, ...]
    evidence: tuple[str, ...]
    cues: tuple[Cue, ...]
    from_history: bool = False
    unsure: str | None = None
    # The sender weighs the change or says it is not decided: nothing is asked for yet.
    undecided: bool = False


def find_cues(text: str, companies: Sequence[str] = ()) -> list[Cue]:
    """Every cue of every kind in the text, false friends dropped and negation applied.

    Cues in an open question ("Hur gör vi om vi vill stänga en enhet?") announce nothing.
    """
    # Reading one message asks for the same text's cues several times (the kind, the
    # subject's denials, the date): found once.
    return list(_cues_in(text, tuple(companies)))


@functools.lru_cache(maxsize=32)
def _cues_in(text: str, companies: tuple[str, ...]) -> tuple[Cue, ...]:
    questions = [(m.start(), m.end()) for m in OPEN_QUESTION.finditer(text)]
    found: list[Cue] = []
    # A cue lies within one sentence: "Kapacitetstak nått, kö\nHej,\nVi har nått ..." is
    # no single statement, and must not hide the one that follows.
    spans = [(s.start, s.end) for s in sentences(text)]
    for kind, pattern in CUES.items():
        for match in (m for start, end in spans for m in pattern.finditer(text, start, end)):
            if _false_friend(kind, text, match) or _inside(match.start(), questions):
                continue
            actual: Kind | None = kind
            if kind in NEGATED_TO and _negated(text, match):
                actual = NEGATED_TO[kind]
            if actual is not None:
                found.append(Cue(actual, match.group(0), match.start(), match.end()))
    bare = [
        m
        for m in BARE_START.finditer(text)
        if not _false_friend("new_unit", text, m) and not _inside(m.start(), questions)
    ]
    if bare:
        mentions = find_unit_mentions(text, companies=companies)
        for match in bare:
            if _unit_beside(text, match, mentions) and not _negated(text, match):
                found.append(Cue("new_unit", match.group(0), match.start(), match.end()))
    found.sort(key=lambda c: (c.start, -c.end))
    # "inga lediga platser" holds "lediga platser": the longer reading is the one meant.
    kept = [
        c
        for c in found
        if not any(
            o is not c
            and o.start <= c.start
            and c.end <= o.end
            and (o.end - o.start) > (c.end - c.start)
            for o in found
        )
    ]
    return tuple(_without_lists_of_kinds(text, kept))


# Between the items of a list: "ny enhet, namnbyte, sammanslagning och avslut".
_LIST_GAP = re.compile(r"\s*(?:,|/|;|\s(?:och|eller|samt|and|or))\s*", re.IGNORECASE)
_LIST_OF_KINDS = 3


def _without_lists_of_kinds(text: str, cues: list[Cue]) -> list[Cue]:
    """Cues that stand as a list of kinds of change ("Så anmäler ni ny enhet, namnbyte,
    sammanslagning och avslut") name the kinds in general: they announce none."""
    listed: set[int] = set()
    run = [0] if cues else []
    for i in range(1, len(cues) + 1):
        if i < len(cues) and _LIST_GAP.fullmatch(text, cues[i - 1].end, cues[i].start):
            run.append(i)
            continue
        if len(run) >= _LIST_OF_KINDS and len({cues[j].kind for j in run}) >= 2:
            listed.update(run)
        run = [i]
    return [c for i, c in enumerate(cues) if i not in listed]


def statements(text: str, companies: Sequence[str] = ()) -> list[Cue]:
    """The cues of the text that are said of the unit, not of a number, a person or a date."""
    return _read(text, companies)[0]


def _read(text: str, companies: Sequence[str] = ()) -> tuple[list[Cue], list[Cue], list[Cue]]:
    """What the text states of the unit, what it only asks ("Stämmer det att DV Ek
    stänger?") and what it only weighs ("vi funderar på att starta ..."), in one pass."""
    stated, asked, weighed = _read_once(text, tuple(companies))
    return list(stated), list(asked), list(weighed)


@functools.lru_cache(maxsize=32)
def _read_once(
    text: str, companies: tuple[str, ...]
) -> tuple[tuple[Cue, ...], tuple[Cue, ...], tuple[Cue, ...]]:
    cues = find_cues(text, companies)
    found = sentences(text)
    mentions = find_unit_mentions(text, companies=companies)
    questions = [
        (m.start(), m.end())
        for m in YES_NO_QUESTION.finditer(text)
        # "Hej Lotta, kan du meddela EKU att DV Lärkan stänger?" asks for a favour, not a
        # fact; "Har ni fått mitt mejl om att X stänger 31 januari?" asks whether it arrived.
        if not _REQUEST.search(m.group(0)) and not _ARRIVED.search(m.group(0))
    ]
    stated: list[Cue] = []
    asked: list[Cue] = []
    weighed: list[Cue] = []
    name_words = {w for m in mentions for w in m.name.split()[1:]}
    summary = _SUMMARY.search(text)
    for cue in cues:
        sentence = sentence_at(found, cue.start) or Sentence(0, len(text), text)
        if not _VERB_ENDING.search(cue.text) and (
            any(m.start <= cue.start and cue.end <= m.end for m in mentions)
            or (cue.text[:1].isupper() and cue.text in name_words)
        ):
            # "Daglig verksamhet Nystarten har ändrat inriktning", "På Nystarten arbetar vi":
            # a noun of a unit's name ("nystart") says no change. (A verb does, even when
            # written with a capital: "Daglig verksamhet Hamnen Upphör 2027-06-30".)
            continue
        if cue.kind != "onboarding" and not _said_of_unit(text, cue, sentence, mentions):
            # (Onboarding is said of the provider, not of a unit: "Anmälan matleverans".)
            continue
        if _ALREADY_REPORTED.search(sentence.text):
            # "Vår nya enhetschef, som vi anmälde till er i augusti", "Avslutet den 31
            # december är anmält till EKU": news already given is no notice now.
            continue
        if cue.kind == "capacity_available" and (
            _STILL.search(text, sentence.start, cue.start) or _STILL_INSIDE.search(cue.text)
        ):
            # "vi har inte nått kapacitetstaket och tar fortfarande emot nya deltagare": a
            # state that goes on is no change.
            continue
        if summary and _told_as_past(sentence.text):
            # "Här kommer sammanställningen över årets förändringar: DV Stampen avslutades
            # den 30 juni 2026": a summary's past is history, not news.
            continue
        if _DEFINITE_NOUN.fullmatch(cue.text) and _PAST_TIME.match(text, cue.end):
            # "Efter sammanslagningen i våras har X haft tillförordnad chef": a change named
            # with the time it happened is history, not news.
            continue
        if _in_background(text, sentence, cue):
            # "Sedan de fick ny enhetschef i augusti har det blivit svårt att nå dem": what
            # happened is the time of what the sentence says, not a change it announces.
            continue
        if _inside(cue.start, questions):
            asked.append(cue)
        elif (
            TENTATIVE.search(text, sentence.start, cue.start)
            or _CONDITIONAL.match(text, sentence.start, cue.start)
        ) and not _proposed_wording(text, sentence, cue):
            weighed.append(cue)
        else:
            stated.append(cue)
    return tuple(stated), tuple(asked), tuple(weighed)


def _proposed_wording(text: str, sentence: Sentence, cue: Cue) -> bool:
    """ "Förslag på ny text:": the cue is the wording the sender proposes for us to publish,
    not a change only proposed."""
    return any(
        m.start() <= cue.start and m.end() >= cue.end
        for m in PROPOSED_WORDING.finditer(text, sentence.start, sentence.end)
    )


_QUESTION_SUBJECT = re.compile(
    r"\s*(?:(?:sv|re|vb|fw|fwd|vs)\s*:\s*)*(?:fråga|frågor|frågeställning|undran|question"
    r"|questions|query|inquiry)(?![\wåäö])",
    re.IGNORECASE,
)

# A Swedish verb in the present or the passive: "upphör", "stänger", "läggs".
_VERB_ENDING = re.compile(r"(?:r|s)\Z", re.IGNORECASE)

# A sentence that opens with its condition: "Om vi inte får förlängt avtal kommer X att
# behöva stänga den 28 februari" plans for a case that may not come.
_CONDITIONAL = re.compile(
    r"\W*(?:om|ifall|såvida|if|unless|should)\s+(?:vi|ni|de|den|det|enheten|verksamheten|man"
    r"|nämnden|styrelsen|hyresvärden|inget|ingen|allt|we|the|our|it|they)(?![\wåäö])",
    re.IGNORECASE,
)


# A mail that sums up changes made: "sammanställningen ... över de förändringar vi har
# gjort under året", "sammanfattning av förra årets förändringar", "a summary of".
_SUMMARY = re.compile(
    r"(?<![\wåäö])(?:sammanställning\w*|sammanfattning\w*|summering\w*|översikt\w*"
    r"|årsredovisning\w*|summary|overview|recap)(?![\wåäö])",
    re.IGNORECASE,
)


def sums_up(text: str) -> bool:
    """Whether the text is a summary of changes made ("sammanställningen ni bad om")."""
    return bool(_SUMMARY.search(text))


def _told_as_past(sentence: str) -> bool:
    """Told in the past, whatever day it names ("fick ny enhetschef från 15 augusti")."""
    return bool(PAST_TENSE.search(sentence)) and not _FUTURE_VERB.search(sentence)


_FUTURE_VERB = re.compile(
    r"(?<![\wåäö])(?:kommer\s+att|ska|skall|planerar|will|shall|going\s+to|startar|öppnar"
    r"|stänger|upphör|avslutas|läggs|blir|byter|heter|får|tar|opens|starts|closes)(?![\wåäö])",
    re.IGNORECASE,
)


# A sentence that opens with what has happened since: "Sedan de fick ny chef ...", "Ever
# since they closed ..." (not "Sedan 1 november har vi ny chef", which gives the day of a
# change; not "Efter att styrelsen beslutat att stänga DV Ek har vi informerat ...", whose
# opening may be the news itself).
_SINCE_OPENING = re.compile(
    r"\W*(?:sedan|sen|ända\s+sedan|ever\s+since|since|(?P<after>efter\s+att|after))\s+"
    r"(?!(?:den\s+)?\d)",
    re.IGNORECASE,
)
_DECISION = re.compile(r"(?<![\wåäö])(?:beslut\w*|decid\w*|decision)", re.IGNORECASE)
# Where the main clause takes over: a comma, or its verb before its subject ("... i augusti
# har det blivit", "... är vi fullbelagda").
_MAIN_CLAUSE = re.compile(
    r",|\s(?:har|hade|är|var|blir|blev|kan|kunde|går|gick|tar|fungerar|märks|känns|have|has"
    r"|is|are|was|were)\s+(?:det|vi|ni|de|dom|han|hon|hen|allt|man|jag|it|we|they|things"
    r"|många|flera|alla|några|kunderna|deltagarna|brukarna)"
    r"(?![\wåäö])",
    re.IGNORECASE,
)


def _in_background(text: str, sentence: Sentence, cue: Cue) -> bool:
    """The cue is in a sentence's opening clause of what has happened since."""
    opening = _SINCE_OPENING.match(text, sentence.start, sentence.end)
    if opening is None:
        return False
    main = _MAIN_CLAUSE.search(text, opening.end(), sentence.end)
    if main is None or main.start() < cue.end:
        return False
    if opening.group("after") and _DECISION.search(text, opening.end(), main.start()):
        # "Efter att nämnden har beslutat att lägga ned X ... har vi informerat": the
        # decision told in the opening is the news. ("Efter att vi stängde i Majorna har
        # många kunder valt oss": what happened is background.)
        return False
    return bool(PAST_TENSE.search(text, opening.end(), main.start()))


_MERGED_UNIT = re.compile(
    r"(?:den\s+|en\s+)?nya?\s+(?:enhet(?:en|er)?|verksamhet(?:en)?|gruppen|daglig\s+verksamhet"
    r"|hemtjänst\w*)",
    re.IGNORECASE,
)
_DEFINITE_NOUN = re.compile(r"[A-ZÅÄÖa-zåäö]+(?:en|et|na)", re.IGNORECASE)
_PAST_TIME = re.compile(
    r"\s+(?:i\s+(?:våras|höstas|vintras|somras|fjol)|förra\s+(?:året|månaden|veckan|våren|hösten)"
    r"|(?:last|earlier\s+this)\s+(?:year|spring|autumn|summer|winter|month))(?![\wåäö])",
    re.IGNORECASE,
)
_STILL = re.compile(
    r"(?<![\wåäö])(?:fortfarande|alltjämt|som\s+vanligt|still|as\s+usual)(?:\s+\S+){0,2}\s*$",
    re.IGNORECASE,
)


_STILL_INSIDE = re.compile(r"(?<![\wåäö])(?:fortfarande|alltjämt|still)(?![\wåäö])", re.IGNORECASE)


def inherited_subject(subject: str) -> bool:
    """Whether the subject is a reply's or forward's ("SV: ...", "VB: ..."): the old mail's."""
    return clean_subject(subject) != clean_header(subject)


def _said_of_unit(text: str, cue: Cue, sentence: Sentence, mentions: list[UnitMention]) -> bool:
    """False when the sentence says the cue of something that is not the unit."""
    clause_start = sentence.start
    # "DV Solrosen (kallas Rosen av deltagarna) tar inte emot", "DV Solrosen, som
    # deltagarna kallar Rosen, tar inte emot": a remark enclosed in brackets, or a relative
    # clause enclosed in commas, describes the unit; the verb after it is still the unit's.
    remarks = [
        (m.start(), m.end())
        for m in _ENCLOSED_REMARK.finditer(text, sentence.start, sentence.end)
        if m.end() <= cue.start
    ]
    boundaries = [
        b
        for b in _CLAUSE_BOUNDARY.finditer(text, sentence.start, cue.start)
        if not _inside(b.start(), remarks)
    ]
    closes_apposition = None
    for index, boundary in enumerate(boundaries):
        following = boundaries[index + 1] if index + 1 < len(boundaries) else None
        if boundary is closes_apposition:
            # "En av våra brukare, Gösta Nilsson, flyttar": the comma that closes a name in
            # apposition closes no clause either; the verb is still the customer's.
            continue
        # "Det gamla numret, 031-365 47 00, stängs", "En brukare, Eva Ek (83 år), 400212-
        # 4487, avslutar sin insats": a clause of only a number or a name in apposition
        # does not separate the verb from its subject.
        if boundary.group(0).strip() in {":", ";"}:
            # "Rättelse till mitt mejl i går: kapacitetstaket nås först den 1 januari":
            # what follows a colon is a clause of its own.
            clause_start = boundary.end()
            continue
        if not _WORD.search(text, boundary.end(), cue.start) and "→" not in boundary.group(0):
            # ("→" always parts: "2 deltagare har valt ny verksamhet → 2 lediga pl".)
            continue
        if cue.kind == "merge_units" and boundary.group(0)[:1].isspace():
            # "Områdena Östra och Härlanda slås samman": a merge's subject is two things
            # joined by "och"; the conjunction begins no clause of its own.
            continue
        if following is not None and _APPOSITION.fullmatch(text, boundary.end(), following.start()):
            if not _JOINS_CLAUSE.match(text, following.end()):
                # (Not "till nya lokaler på Mariaplan 3, 414 63 Göteborg, och byter namn":
                # what follows the comma is a clause of its own.)
                closes_apposition = following
            continue
        clause_start = boundary.end()
    before = text[clause_start : cue.start]
    # A word of a unit's own name ("Daglig verksamhet Bergsjön Café") is not a thing.
    found = list(NOT_UNIT_SUBJECT.finditer(before))
    if cue.kind == "merge_units":
        found = sorted([*found, *ABOVE_UNITS.finditer(before)], key=lambda t: t.start())
    things = [
        t
        for t in found
        if not any(m.start <= clause_start + t.start() < m.end for m in mentions)
        and not _inside(clause_start + t.start(), remarks)
    ]
    if _INVERTED.match(cue.text):
        # "På grund av många ledigheter under helgerna kan Omsorg Direkt inte ta emot nya":
        # the verb comes before its subject, which the cue holds; what stands before the
        # verb is an adverbial, never the subject.
        things = []
    if cue.kind == "update_details" and _MANAGER.search(cue.text):
        # "sedan 1 november är jag, Robert Sandström, enhetschef för DV Bagarstugan": a
        # manager is a person; the person is whom the change of manager is said of.
        things = [t for t in things if not _PERSON.fullmatch(t.group(0).strip())]
    if cue.kind == "update_details" and _LANGUAGES.search(cue.text):
        # "the staff of DV Oak speak the following languages": the staff's languages are
        # the unit's (form.md's `sprak`).
        things = [t for t in things if not _STAFF.fullmatch(t.group(0).strip())]
    if (
        things
        and _PEOPLE.fullmatch(things[-1].group(0).strip())
        and _ONLY_AND.fullmatch(text, clause_start + things[-1].end(), cue.start)
        and not _takes_object(text, cue, sentence)
    ):
        # "tar inte emot nya kunder och stänger den 31 januari": the customers are whom
        # the first verb takes; the second has the sentence's subject, the unit. Only
        # people taken in, and not when the second verb takes an object of its own; "byter
        # mejladress och stänger den 1 mars" stays said of the address.
        things.pop()
    elif things and _NEW_CLAUSE.search(text, clause_start + things[-1].end(), cue.start):
        # "vi har fått fyra nya uppdrag denna vecka och är från i dag fullbelagda": "och
        # är" begins a clause whose subject is the sentence's, not the thing before it.
        things.pop()
    if (
        things
        and not UNIT_REFERENCE.search(cue.text)
        # "byter Hemtjänst Norra namn": the cue names its unit itself.
        and not any(cue.start <= m.start < cue.end for m in mentions)
    ):
        # ("kan vi inte ta emot nya": the cue names its own subject.)
        # The nearest thing before the cue is what the cue is said of, unless a unit stands
        # between them as a subject of its own ("jag meddelar att DV Ek stänger"), not as an
        # attribute ("numret till DV Ek stängs").
        gap_from = clause_start + things[-1].end()
        if _RELATIVE.match(text, gap_from, cue.start):
            # "caféet som vi samarbetat med stänger": who is named in a clause that
            # describes the thing is not what the cue is said of.
            return False
        units_between = [
            m.start for m in mentions if gap_from <= m.start and m.end <= cue.start
        ] + [m.start() for m in UNIT_REFERENCE.finditer(text, gap_from, cue.start)]
        if not any(not ATTRIBUTE_PREPOSITION.search(text[gap_from:at]) for at in units_between):
            return False
    if (
        cue.kind == "merge_units"
        and NOT_UNIT_SUBJECT.search(cue.text)
        and not any(cue.start <= m.start < cue.end for m in mentions)
    ):
        # "slås områdesledningens två kontor ... samman", "slås arbetslagen Backa Norr och
        # Backa Söder ihop": what the verb joins is named inside it, and is no unit.
        return False
    bracket = _BRACKET.search(text, sentence.start, cue.start)
    if (
        cue.kind in _STRUCTURAL
        and bracket is not None
        and text.find(")", cue.end, sentence.end) >= 0
        and not any(bracket.end() <= m.start < cue.start for m in mentions)
        and not UNIT_REFERENCE.search(text, bracket.end(), cue.start)
    ):
        # "vår webbadress är www.x.se (den gamla, x-omsorg.se, läggs ner vid årsskiftet)": a
        # remark in brackets says its change of what it remarks on, not of the unit.
        return False
    if cue.kind == "update_details" and _REACH.match(cue.text):
        # "Nadia nås på nadia@... eller 031-...", "Han kan nås på": how a person is reached,
        # not the unit's contact details.
        person = _REACHED_PERSON.search(text, sentence.start, cue.start)
        if (
            person
            and not UNIT_REFERENCE.search(person.group(0))
            and not any(m.start <= person.start() < m.end for m in mentions)
        ):
            return False
    if HYPOTHETICAL.search(text, sentence.start, cue.start) and not _CONDITIONAL.match(
        text, sentence.start, cue.start
    ):
        # ("Om allt går enligt plan byter X namn ...": a plan with its condition first is
        # weighed, see _read.)
        return False
    if (
        _PLURAL_TOPIC.search(cue.text)
        and _LIST_ITEM.match(text, text.rfind("\n", 0, cue.start) + 1)
        and not any(sentence.start <= m.start < sentence.end for m in mentions)
        and not UNIT_REFERENCE.search(text, sentence.start, sentence.end)
    ):
        # "2. Planerade sammanslagningar under 2027" on an agenda: changes in general,
        # said of no unit, announce none (a subject "Namnbyten" still announces).
        return False
    if REPORTED.search(text, sentence.start, cue.start):
        return False
    if INDIRECT_QUESTION.search(text, sentence.start, cue.start):
        return False
    if cue.kind in _INTRANSITIVE and not _UNIT_WORD.search(cue.text):
        # A verb followed by its subject ("stängs det gamla numret"); verbs that take an
        # object ("cannot accept new participants") are followed by the object instead.
        gap = _THING_AFTER.match(text, cue.end, sentence.end)
        at = gap.end() if gap else cue.end
        if gap and NOT_UNIT_SUBJECT.match(text, at, sentence.end):
            return False
    return True


def _takes_object(text: str, cue: Cue, sentence: Sentence) -> bool:
    """The verb is followed by a thing of its own ("stänger det gamla"), not a date."""
    after = _THING_AFTER.match(text, cue.end, sentence.end)
    return bool(
        after and after.group(0).strip() and not _DATE_AFTER.match(text, cue.end, sentence.end)
    )


def _refers_to_unit(
    text: str, sentence: Sentence, mentions: list[UnitMention], companies: Sequence[str] = ()
) -> bool:
    """A unit name, "enheten", "vi", or the company (a provider's only unit) is in it."""
    return bool(
        any(sentence.start <= m.start < sentence.end for m in mentions)
        or UNIT_REFERENCE.search(text, sentence.start, sentence.end)
        or find_providers(sentence.text)
        or any(company_named(sentence.text, company) for company in companies if len(company) > 3)
    )


def _unit_beside(text: str, match: re.Match[str], mentions: list[UnitMention]) -> bool:
    return any(
        (m.end <= match.start() and BESIDE_BEFORE.match(text[m.end : match.start()]))
        or (m.start >= match.end() and BESIDE_AFTER.match(text[match.end() : m.start]))
        for m in mentions
    )


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


# A line that is only a title, in a signature under the text: "Biträdande enhetschef",
# "Tf. enhetschef, DV Ek". The first line (a subject read alone) may announce one.
_TITLE = re.compile(
    r"(?:vikarierande|tillförordnad|t\.?\s?f\.?|biträdande|ställföreträdande|acting|interim"
    r"|deputy)\s",
    re.IGNORECASE,
)
_TITLE_REST = re.compile(r"[ \t]*(?:[,–\-][ \t]*)?(?:(?:för|på|vid|i|at|for)[ \t]+)?[^\d\n.!?]*$")


def _title_line(text: str, match: re.Match[str]) -> bool:
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    line_end = len(text) if line_end < 0 else line_end
    return (
        line_start > 0
        and not text[line_start : match.start()].strip()
        and bool(_TITLE.match(match.group(0)))
        and bool(_TITLE_REST.fullmatch(text, match.end(), line_end))
        and len(text[match.end() : line_end]) <= 40
    )


# What was reported before: "som vi anmälde till er i augusti", "anmälde jag till er redan
# 2 november", "är anmält till EKU", "as we reported in October".
_ALREADY_REPORTED = re.compile(
    r"(?<![\wåäö])(?:(?:vi|jag)\s+(?:har\s+)?(?:redan\s+)?(?:anmälde|anmält|rapporterade|rapporterat)"
    r"|(?:anmälde|anmält|rapporterade)\s+(?:vi|jag)\s+(?:\S+\s+){0,3}?(?:redan|tidigare|i\s+\w+)"
    # "I oktober anmälde vi att X och Y skulle slås samman": the past tense of the notice.
    r"|(?:anmälde|rapporterade|meddelade)\s+(?:vi|jag)\s+(?:till\s+er\s+|er\s+)?att"
    r"|(?:är|var|har\s+(?:redan\s+)?(?:varit|blivit))\s+(?:redan\s+)?(?:anmäld|anmält|anmälda)\s+"
    r"(?:till|hos)|(?:we|I)\s+(?:have\s+)?already\s+(?:reported|notified|told\s+you)"
    r"|as\s+(?:we|I)\s+reported)(?![\wåäö])",
    re.IGNORECASE,
)
# The sender says the units' own details stay as they are.
_UNITS_UNCHANGED = re.compile(
    r"(?<![\wåäö])(?:våra\s+(?:verksamheters|enheters)|enheternas|verksamheternas|our\s+units')"
    r"\s[^.!?]{0,80}?\s(?:är|förblir|are|remain)\s+(?:\w+\s+)?(?:oförändrade?|desamma|detsamma"
    r"|som\s+förut|som\s+tidigare|unchanged|the\s+same)",
    re.IGNORECASE,
)
# The sender says nothing is to be changed: "Ingen ändring behövs i Jämför service, det här
# är tillfälligt", "ni behöver inte ändra något", "no changes are needed".
_NOTHING_TO_CHANGE = re.compile(
    r"(?<![\wåäö])(?:(?:ingen|inga)\s+(?:ändring(?:ar)?|uppdatering(?:ar)?)\s+(?:behövs|krävs"
    r"|behöver\s+göras|ska\s+göras)|ingenting\s+behöver\s+(?:ändras|uppdateras|göras)"
    r"|(?:ni|du)\s+behöver\s+(?:alltså\s+|därför\s+|då\s+)?inte\s+(?:ändra|uppdatera|göra)\s+"
    r"(?:något|någonting|några)"
    r"|no\s+(?:changes?|updates?)\s+(?:is\s+|are\s+)?(?:needed|required|necessary)"
    r"|nothing\s+needs\s+to\s+(?:be\s+)?(?:changed|updated|done)"
    r"|(?:you\s+)?(?:do\s+not|don't)\s+need\s+to\s+(?:change|update)\s+anything)(?![\wåäö])",
    re.IGNORECASE,
)
# A person's new name: "... Nordin i efternamn", "my surname is now ...".
_PERSONS_NAME = re.compile(
    r"[^.!?\n]{0,80}?(?<![\wåäö])(?:i\s+efternamn|i\s+förnamn|efternamn\w*|förnamn\w*|surname"
    r"|last\s+name|maiden\s+name|gift\s+mig|got\s+married)(?![\wåäö])",
    re.IGNORECASE,
)


def _false_friend(kind: Kind, text: str, match: re.Match[str]) -> bool:
    if (
        kind == "new_unit"
        and _DEFINITE_NEW.fullmatch(match.group(0))
        and _PLACE_PREPOSITION.search(text, max(0, match.start() - 12), match.start())
    ):
        # "personalen flyttar till nya enheten i Frölunda": a unit already known, named
        # as where something goes, is not announced here.
        return True
    if kind == "update_details" and _title_line(text, match):
        return True
    if kind == "rename_unit" and _PERSONS_NAME.match(text, match.end()):
        # "Jag har gift mig och heter från och med 1 december Nordin i efternamn".
        return True
    after = FALSE_AFTER.get(kind)
    if after and after.search(text[match.end() : match.end() + FALSE_REACH]):
        return True
    named = _NAME_AFTER.match(text, match.end()) if kind == "close_unit" else None
    if after and named and after.search(text[named.end() - 1 : named.end() + FALSE_REACH]):
        # "stänger Daglig verksamhet Blåklinten kl. 13.00 på fredagar", "stänger Linnea
        # Omsorg Hemtjänst Linnéstaden för nya kunder": the unit named between the verb and
        # what makes it something else.
        return True
    before = FALSE_BEFORE.get(kind)
    return bool(before and before.search(text[max(0, match.start() - FALSE_REACH) : match.start()]))


def _hearsay(text: str, companies: Sequence[str]) -> set[Kind]:
    """The kinds the text passes on from others only ("Jag läste att Vindrosen startar en
    ny hemtjänstenhet"): a subject that names them summarises hearsay, not a notice."""
    said = {c.kind for c in statements(text, companies)}
    return {
        c.kind
        for c in find_cues(text, companies)
        if c.kind not in said and REPORTED.search(text, _line_start(text, c.start), c.start)
    }


def _line_start(text: str, at: int) -> int:
    return max(text.rfind(".", 0, at), text.rfind("\n\n", 0, at), 0)


# A unit's name right after a verb: capitalised words, with a type's lower-case words.
_NAME_AFTER = re.compile(
    r"[ \t]+(?-i:[A-ZÅÄÖ])[\wåäöé\-]*(?:[ \t]+(?:(?-i:[A-ZÅÄÖ])[\wåäöé\-]*|verksamhet))*[ \t]"
)
_DEFINITE_NEW = re.compile(r"(?:den\s+)?nya\s+(?:enheten|verksamheten|gruppen)", re.IGNORECASE)
_PLACE_PREPOSITION = re.compile(
    r"(?<![\wåäö])(?:till|från|hos|vid|inom|med)\s+(?:den\s+)?$", re.IGNORECASE
)


_NO_NEW_UNIT = re.compile(
    r"(?<![\wåäö])(?:det|detta|den|gruppen|it|this)\s+(?:är|blir|is|will\s+be)\s+"
    r"(?:ingen|inte\s+(?:en|någon)|not\s+a|no)\s+(?:ny|egen|new|separate)\s+(?:enhet|unit)",
    re.IGNORECASE,
)


def _denied(text: str, kinds: set[Kind]) -> set[Kind]:
    """Of ``kinds``, those the text says, negated, will not happen ("det blir inget
    namnbyte", "vi stänger inte")."""
    return {
        kind
        for kind, pattern in CUES.items()
        if kind in NEGATED_TO and kind in kinds
        for match in pattern.finditer(text)
        if not _false_friend(kind, text, match) and _negated(text, match)
    }


def _said_of_another(text: str, kinds: set[Kind], companies: Sequence[str]) -> set[Kind]:
    """Of ``kinds``, a change of details the text says only of something that is not the
    unit ("Nytt mobilnummer" over "jag har fått ett nytt mobilnummer i tjänsten"): the
    subject names that, not a change of the unit."""
    if "update_details" not in kinds:
        # Contact details are what people have of their own (a mobile, an address); the
        # other changes are said of units, or of nothing.
        return set()
    stated, asked, weighed = _read(text, companies)
    if any(c.kind == "update_details" for c in (*stated, *asked, *weighed)):
        return set()
    found = any(c.kind == "update_details" for c in find_cues(text, companies))
    return {"update_details"} if found else set()


def _negated(text: str, match: re.Match[str]) -> bool:
    after = text[match.end() : match.end() + NEGATION_REACH]
    negated = bool(
        NEGATION_BEFORE.search(text[max(0, match.start() - NEGATION_REACH) : match.start()])
        or (NEGATION_AFTER.search(after) and not _NOT_DECIDED.match(after))
        or NOT_COMING.match(after)
    )
    return negated and not _contrasted(text, match.end())


# "Nytt namn ej beslutat än": what is not decided yet is a detail, not the change denied.
_NOT_DECIDED = re.compile(
    r"\s+(?:är\s+)?(?:ej|inte)\s+(?:\w+\s+)?(?:beslutat|bestämt|klart|fastställt|spikat)",
    re.IGNORECASE,
)


def _contrasted(text: str, at: int) -> bool:
    """A contrast follows in the sentence: "startar inte 1 januari utan 1 mars"."""
    rest = _SENTENCE_REST.match(text, at, at + CONTRAST_REACH)
    return bool(rest and CONTRAST.search(rest.group(0)))


_SENTENCE_REST = re.compile(r"(?:[^.!?\n]|\.(?=\d))*")


def automated_reason(
    headers: Mapping[str, str], from_address: str | None, subject: str, text: str
) -> str | None:
    """Why a message is machine-made (RFC 3834 and common practice), or None.

    Without headers that say so, an out-of-office text counts only where such a text puts
    it, at the opening, and only when the mail announces no change of its own: a stand-in
    manager's notice that ends "jag är tillbaka 16 augusti" is written by a person.
    """
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    if headers.get("x-autoreply") or headers.get("x-autorespond"):
        return "X-Autoreply"
    if "multipart/report" in headers.get("content-type", "").lower():
        return "leveransrapport (multipart/report)"
    if from_address and BOUNCE_SENDER.match(from_address):
        return f"automatisk avsändare {from_address}"
    if AUTO_SUBJECT.match(subject):
        return f"ämnesraden: {subject[:60]}"
    receipt = AUTO_RECEIPT.search(text[:_AUTO_RECEIPT_REACH])
    if receipt:
        return f"ärendesystemets kvitto: {receipt.group(0)[:60]}"
    opening = " ".join(s.text for s in sentences(text)[:2])
    own_subject = "" if inherited_subject(subject) else subject
    if AUTO_BODY.search(opening) and not statements(f"{own_subject}\n{text}"):
        return "frånvaromeddelande"
    if (
        from_address
        and AUTOMATED_SENDER.match(from_address)
        and not statements(f"{own_subject}\n{text}")
    ):
        # A no-reply address may carry a real notice (a provider's contract system, the
        # city's e-service): it is read, and rules/replies.py keeps it from being answered.
        return f"automatisk avsändare {from_address}"
    return None


def classify(
    subject: str,
    new_text: str,
    *,
    automated: str | None = None,
    form_kinds: tuple[Kind, ...] = (),
    history: str = "",
    companies: Sequence[str] = (),
    attached: bool = False,
    form_dated: bool = False,
) -> Classification:
    """Decide the kind from the statements of the subject and the new text.

    Gaps only: the form's ticked boxes, then the quoted history (a forwarded notice, the
    thread a short reply answers), each marked as such in the evidence. ``cues`` index
    ``subject + "\\n" + new_text`` (or the history, when it decided). ``attached``: the
    mail carries a Word document (the form), which is something of its own.
    ``form_dated``: the form gives a start date.
    """
    if automated:
        return Classification("auto_reply", (), (automated,), ())
    if _receipt(subject, new_text, attached):
        # A system owner's "Ändrat i Treserva" under EKU's order: the order is done, and
        # the change it quotes is not announced again.
        return Classification("other", (), ("kvitto",), ())
    text = f"{subject}\n{new_text}"
    body_from = len(subject) + 1
    # The subject and the text are read apart: a cue never runs from one into the other
    # ("Platser på Lunden\nTvå platser ...").
    head_said, head_asked, head_weighed = _read(subject, companies)
    if _QUESTION_SUBJECT.match(subject):
        # "Fråga om avslut", "Question about insurance letter": the subject names what the
        # sender asks about.
        head_said, head_asked = [], head_asked + head_said
    body_said, body_asked, body_weighed = (
        [Cue(c.kind, c.text, c.start + body_from, c.end + body_from) for c in cues]
        for cues in _read(new_text, companies)
    )
    # A reply's subject is the old mail's: "SV: Preliminär avveckling" weighs nothing now.
    weighed = _kinds(body_weighed if inherited_subject(subject) else head_weighed + body_weighed)
    weighed &= _UNIT_KINDS
    if WITHDRAWN.search(subject):
        # "Sammanslagningen Krokslätt/Johanneberg blir inte av": the subject takes back
        # the change it names.
        head_said = []
    withdrawn = bool(WITHDRAWN.search(new_text))
    if withdrawn:
        # "Nedläggningen blir inte av": the words of a change that a sentence takes back.
        taken_back = [
            (s.start + body_from, s.end + body_from)
            for s in sentences(new_text)
            if WITHDRAWN.search(s.text)
        ]
        body_said = [c for c in body_said if not _inside(c.start, taken_back)]
    # "Namnbyte Hemtjänst X" over "det blir inget namnbyte i år": the text denies what
    # the subject announces.
    announced = {c.kind for c in head_said}
    denied = (
        (
            _denied(new_text, announced)
            # "Namnbyte" over "jag har gift mig och heter ... Nordin i efternamn".
            | ({"rename_unit"} if _PERSONS_NAME.search(new_text) else set())
            | _hearsay(new_text, companies)
            | _said_of_another(
                new_text,
                # A new manager's contact details in the text are the manager's.
                {c.kind for c in head_said if not _MANAGER.search(c.text)},
                companies,
            )
        )
        if announced
        else set()
    )
    said = [c for c in head_said if c.kind not in denied] + body_said
    body = [c for c in said if c.start >= body_from]
    head = [c for c in said if c.start < body_from]
    if inherited_subject(subject) and (
        body
        or withdrawn
        or not _adds_to_thread(new_text, attached, companies)
        or _asks_back(new_text)
    ):
        # The subject is the old mail's. A reply that says nothing of a change itself
        # ("Tack för snabbt svar!" under our acknowledgement), or takes the old notice
        # back ("vi stänger ändå inte, bortse från mitt mejl nedan"), does not announce it.
        head = []
        if not body:
            history = ""
    chosen = head + body
    # "Trädgårdsgruppen på DV Kvarnbyn avslutas vid årsskiftet": the group ends, the unit
    # does not.
    chosen = [c for c in chosen if not (c.kind in _STRUCTURAL and _said_of_a_part(text, c))]
    if _NO_NEW_UNIT.search(text):
        # "Vi startar en ny grupp inom DV Guldheden ... Det är ingen ny enhet": the sender
        # says what it is not; the rest of the mail is the change.
        chosen = [c for c in chosen if c.kind != "new_unit"]
    if any(c.kind == "merge_units" for c in chosen):
        # "... slås samman. Den nya enheten heter Daglig verksamhet Angered Mitt": the unit the
        # merge makes, not one that starts beside it.
        chosen = [
            c for c in chosen if not (c.kind == "new_unit" and _MERGED_UNIT.fullmatch(c.text))
        ]
    kinds = _kinds(chosen, items=_list_items(text) + _paragraphs_apart(text, chosen, companies))
    if kinds == {"update_details"} and _UNITS_UNCHANGED.search(new_text):
        # "Aurora LSS AB har ny postadress och fakturaadress ... Våra verksamheters
        # besöksadresser, telefonnummer och e-post är oförändrade": the company's details
        # change, the units' do not.
        kinds = set()
    if kinds == {"update_details"} and _NOTHING_TO_CHANGE.search(new_text):
        # "Tills felet är åtgärdat nås vi på 0721-... Ingen ändring behövs i Jämför
        # service": a detail the sender says is not to be changed is news only.
        kinds = set()
    if (
        inherited_subject(subject)
        and kinds <= {"rename_unit", "close_unit"}
        and says_what_remains(new_text)
        and any(c.kind == "merge_units" for c in head_said + _read(history, companies)[0])
        # Not "Nej, någon sammanslagning blir det inte. Kortedala och Bergsjön fortsätter
        # som vanligt": the answer denies the merge, and the units that remain are just that.
        and not _denied(new_text, {"merge_units"})
    ):
        # EKU asked which unit a merge leaves: "Det är DV Ek som blir kvar, och den byter
        # namn till DV Lind" answers the merge in the thread; it is no rename of its own.
        merge_cues = [c for c in head_said if c.kind == "merge_units"]
        chosen = merge_cues + chosen
        kinds = {"merge_units"}
    ticked = set(form_kinds) - {"update_details"}
    merge_by_form = (
        "merge_units" in ticked and bool(kinds) and kinds <= {"rename_unit", "close_unit"}
    )
    if merge_by_form:
        # The form ticks a merge, and the text says what the merge does to one unit
        # ("Verkstaden blir kvar men får ett nytt namn, och caféets deltagare flyttar in"):
        # those words are the merge's, and the form names its units.
        kinds = _kinds(chosen, ticked)
    if (
        kinds
        and ticked
        and kinds <= _DETAIL_KINDS
        # A new provider's checklist mail whose form says "Ny enhet" but that names no
        # day, in the mail or as the form's start: the form is the details for Jämför
        # service (seed 000), not a start. (Two authors, sixty/20 and seventynine/04, read
        # a first unit's form with its start date as the unit that starts.)
        and ("onboarding" not in kinds or find_dates(text, _SOME_DATE) or form_dated)
        and _SPEAKS_OF_FORM.search(text)
    ):
        # The form says "Ny enhet" and the mail fills in its phone and manager: the
        # details belong to the new unit. Not when the mail never speaks of the form:
        # "Ny enhetschef för Hemtjänst X från 4 januari" with an old form attached is a
        # new manager, not a new unit.
        kinds = _kinds(chosen, ticked)
    if kinds:
        kinds, contradiction = _settle_capacity(text, chosen, kinds, companies)
        # Only the changes announced are undecided: "Kärra upphör 31 januari. Säve planerar
        # att flytta under våren" decides the closing.
        undecided = _undecided(text, weighed & kinds)
        unsure = (
            contradiction
            or undecided
            or _competing(head, body, kinds)
            or _of_a_part(text, [c for c in chosen if c.kind in kinds])
            or _some_work_only(text, [c for c in chosen if c.kind in kinds])
            or _for_a_while(text, kinds)
            or _still_choosable(text, kinds)
            or _some_days_only(text, [c for c in chosen if c.kind in kinds])
            or (
                None
                if merge_by_form
                else _unbound(
                    text, chosen, body_from, thread=f"{subject}\n{history}", companies=companies
                )
            )
        )
        evidence = tuple(dict.fromkeys(c.text for c in chosen if c.kind in kinds))
        return _result(kinds, evidence, chosen, unsure=unsure, undecided=bool(undecided))
    if form_kinds:
        return _result(set(form_kinds), tuple(f"blanketten: {k}" for k in form_kinds), [])
    old, old_asked, _ = _read(history, companies) if history else ([], [], [])
    if history and _NOTHING_CHANGED.search(new_text):
        # "Ja, det stämmer. Vi har fortfarande lediga platser ... Inget har förändrats" under
        # EKU's check: the state the thread names goes on; nothing is announced.
        return Classification("other", (), ("oförändrat",), ())
    if history and AFFIRMATIVE.match(new_text):
        # "Ja, det stämmer." under "Stämmer det att DV Ek stänger?": the sender says it.
        confirmed = sorted(old + old_asked, key=lambda c: c.start)
        if _kinds(confirmed):
            evidence = tuple(dict.fromkeys(c.text for c in confirmed))
            return _result(_kinds(confirmed), evidence, confirmed, from_history=True)
    if (
        _kinds(head_asked + body_asked)
        or (weighed and "?" in new_text)
        or (history and _asks_back(new_text))
    ):
        # Only asked about ("Stänger DV Fyrtornet?", "we are thinking of opening a unit:
        # what do you need from us?"): a question, which EKU answers.
        return Classification("other", (), ("fråga",), ())
    if weighed:
        # Only weighed ("förvaltningen utreder att lägga ned ..."): EKU looks, nothing is
        # ordered.
        cues = [c for c in head_weighed + body_weighed if c.kind in weighed]
        return _result(
            weighed,
            tuple(dict.fromkeys(c.text for c in cues)),
            cues,
            unsure=_undecided(text, weighed),
            undecided=True,
        )
    kinds = _kinds(old)
    if kinds:
        kinds, contradiction = _settle_capacity(history, old, kinds, companies)
        evidence = tuple(dict.fromkeys(f"citerad text: {c.text}" for c in old if c.kind in kinds))
        return _result(kinds, evidence, old, from_history=True, unsure=contradiction)
    return Classification("other", (), (), tuple(said))


# A reply this short with no date, unit, number, question or cue of its own only thanks
# or greets; a longer one explains something and may lean on the subject it answers.
_BARE_REPLY_WORDS = 30
_NUMBER = re.compile(r"\d{3,}")
# Words that point at the quoted or attached mail: "Se nedan.", "För kännedom", "FYI".
_POINTER = re.compile(
    r"(?<![\wåäö])(?:nedan\w*|enligt\s+bifogat?|bifoga\w*|vidarebefordr\w*|kännedom|fyi|below"
    r"|forward\w*|attached|see\s+mail)(?![\wåäö])",
    re.IGNORECASE,
)
_SOME_DATE = dt.date(2000, 1, 1)  # only whether a date is written, not which


def _adds_to_thread(new_text: str, attached: bool, companies: Sequence[str]) -> bool:
    """Whether a reply gives something of its own: a date, a unit, a number (ansvarskod,
    phone), a question, a yes, a document or a pointer to one ("Se nedan"), a cue of any
    kind, or more than a few lines."""
    if attached or AFFIRMATIVE.match(new_text) or _POINTER.search(new_text) or "?" in new_text:
        return True
    if len(_WORD.findall(new_text)) > _BARE_REPLY_WORDS:
        return True
    return bool(
        _NUMBER.search(new_text)
        or find_dates(new_text, _SOME_DATE)
        or find_unit_mentions(new_text, companies=companies)
        or find_cues(new_text, companies)
    )


def _asks_back(new_text: str) -> bool:
    """A reply that only asks ("Vilken version av blanketten ska vi använda?", "Har ni
    fått mitt mejl nedan?"): the change in the quote it answers is not announced again."""
    return "?" in new_text and bool(
        OPEN_QUESTION.search(new_text)
        or YES_NO_QUESTION.search(new_text)
        or _MAY_WE.search(new_text)
    )


# The sender asks leave or advice for what it does ("Får vi göra så, eller ska vi följa
# datumordningen?"); a request to EKU ("Kan ni uppdatera ...?") asks EKU to act instead.
_MAY_WE = re.compile(
    r"(?:^|(?<=[.!?:\n]))\s*(?:får|kan|ska|skall|bör|måste|may|can|should|shall)\s+"
    r"(?:vi|jag|we|I)(?![\wåäö])[^.!?\n]*\?",
    re.IGNORECASE,
)


def _own_item(cues: list[Cue], items: Sequence[tuple[int, int]], kind: Kind, other: Kind) -> bool:
    """A cue of ``kind`` stands in a list item where no cue of ``other`` does."""
    return any(
        s <= c.start < e and not any(o.kind == other and s <= o.start < e for o in cues)
        for c in cues
        if c.kind == kind
        for s, e in items
    )


_LIST_MARK = re.compile(r"^[ \t]*(?:\d{1,2}[.)]|[-•*–])[ \t]+", re.MULTILINE)


# A row of a table typed or pasted into a mail (cells apart by tabs) or read from HTML
# (cells apart by " | ", parsers/text.py).
_TABLE_ROW = re.compile(
    r"^[^\t\n|]*\S[^\t\n|]*(?:(?:\t+| \| |(?<=\S) {3,}(?=\S))[^\t\n|]*\S[^\t\n|]*)+$",
    re.MULTILINE,
)


def _list_items(text: str) -> list[tuple[int, int]]:
    """The spans of a text's numbered or bulleted list items (to the next item or a blank
    line), and of the rows of a table of two rows or more: each says a change of its own
    ("Hemtjänst Hammarkullen Centrum<TAB>Enheten stängs<TAB>2027-01-31")."""
    starts = [m.start() for m in _LIST_MARK.finditer(text)]
    spans: list[tuple[int, int]] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        blank = text.find("\n\n", start, end)
        spans.append((start, blank if blank >= 0 else end))
    rows = [(m.start(), m.end()) for m in _TABLE_ROW.finditer(text)]
    for i, (start, end) in enumerate(rows):
        after = i + 1 < len(rows) and rows[i + 1][0] == end + 1
        before = i > 0 and rows[i - 1][1] + 1 == start
        if (after or before) and not _inside(start, spans):
            spans.append((start, end))
    return sorted(spans)


_PARAGRAPH = re.compile(r"\S(?:.|\n(?![ \t]*\n))*")


def _paragraphs_apart(
    text: str, cues: list[Cue], companies: Sequence[str]
) -> list[tuple[int, int]]:
    """Beside a merge, the paragraphs that say nothing of it and name a unit it does not
    join: "DV Brunnsbo slås samman med DV Tingstad ...\n\nDV Backa Verkstad stänger redan
    den 30 november" closes a unit of its own, with its own notice."""
    if not any(c.kind == "merge_units" for c in cues):
        return []
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    mentions = find_unit_mentions(text, companies=companies)
    # Every word for merging counts here, said of a unit or not: a paragraph that speaks
    # of the merge is no paragraph apart from it.
    merging = [c.start for c in find_cues(text, companies) if c.kind == "merge_units"]

    def has_merge(start: int, end: int) -> bool:
        return any(start <= at < end for at in merging)

    merged = [
        m.name for m in mentions if any(s <= m.start < e and has_merge(s, e) for s, e in paragraphs)
    ]
    return [
        (start, end)
        for start, end in paragraphs
        if not has_merge(start, end)
        and any(
            start <= m.start < end and not any(same_unit(m.name, u) for u in merged)
            for m in mentions
        )
    ]


def _receipt(subject: str, new_text: str, attached: bool) -> bool:
    """A reply that says only that something was done: no document, number or date of its
    own ("Klart! Ansvarskoden är 1234567" answers EKU's question, it reports no work)."""
    if attached:
        return False
    if ORDER_DONE.search(new_text[:_ORDER_DONE_REACH]):
        # "Beställningen är utförd. Enheten ... är upplagd i Treserva från 2027-02-01.
        # Ärendet avslutas.": a system owner reports the order done, with its date.
        return True
    return (
        inherited_subject(subject)
        and RECEIPT.match(new_text) is not None
        and not _NUMBER.search(new_text)
        and not find_dates(new_text, _SOME_DATE)
    )


_ORDER_DONE_REACH = 200
_AUTO_RECEIPT_REACH = 2000


def _kinds(
    cues: list[Cue], extra: set[Kind] | None = None, items: Sequence[tuple[int, int]] = ()
) -> set[Kind]:
    """The kinds the cues (and ``extra``, e.g. the form's ticks) announce, after the rules
    for words that belong to another kind. ``items``: the list items of the text, each a
    change of its own."""
    kinds = {c.kind for c in cues} | (extra or set())
    if "merge_units" in kinds:
        # A merge names its new unit and ends the old ones: those words belong to the merge,
        # unless a list item of their own says them ("1. Tuve och Säve slås samman ... 2.
        # Kärra Backe upphör den 30 november").
        merged = [
            i
            for i, (s, e) in enumerate(items)
            for c in cues
            if c.kind == "merge_units" and s <= c.start < e
        ]
        apart = {
            c.kind
            for c in cues
            for i, (s, e) in enumerate(items)
            if s <= c.start < e and i not in merged
        }
        kinds -= {"new_unit", "rename_unit", "close_unit"} - apart
    if "new_unit" in kinds:
        # A new unit's notice describes its address, manager and free places.
        kinds -= {"update_details", "capacity_available"}
    if "new_unit" in kinds and not _strong_rename(cues):
        # "den nya enheten får namnet X", "it will be called X": a new unit's name.
        kinds.discard("rename_unit")
    if "onboarding" in kinds and all(
        _REACH.match(c.text) for c in cues if c.kind == "update_details"
    ):
        # "Vår IT-kontaktperson ... nås på ...": how to reach the person named.
        kinds.discard("update_details")
    if (
        "rename_unit" in kinds
        and "close_unit" in kinds
        and not _strong_close(cues)
        and not _own_item(cues, items, "close_unit", "rename_unit")
    ):
        # "det gamla namnet upphör" is part of the rename.
        kinds.discard("close_unit")
    return kinds


_STRONG_RENAME = re.compile(
    r"(?:byt|ändr|namnbyte|namnändring|nytt\s+namn|döp|renam|change)", re.IGNORECASE
)
# An open bracket with no close before the position searched to.
_BRACKET = re.compile(r"\((?=[^()]*$)")
_REACH = re.compile(r"(?:nås|reached|can\s+be\s+reached)", re.IGNORECASE)
# The person before "nås": a first name (and surname) or a pronoun, right before the verb.
_REACHED_PERSON = re.compile(
    r"(?:(?-i:[A-ZÅÄÖ][a-zåäöéü]+)(?:[ \t]+(?-i:[A-ZÅÄÖ][a-zåäöéü\-]+))?|han|hon|hen|he|she)"
    r"[ \t]+(?:(?:kan|can|will|går\s+att)[ \t]+)?(?:(?:be|bäst|enklast|best)[ \t]+)?$",
    re.IGNORECASE,
)


def _strong_rename(cues: list[Cue]) -> bool:
    return any(c.kind == "rename_unit" and _STRONG_RENAME.match(c.text) for c in cues)


def _strong_close(cues: list[Cue]) -> bool:
    return any(
        c.kind == "close_unit" and c.text.lower().startswith(("läggs", "nedlägg", "avveckl"))
        for c in cues
    )


# A return the sender expects and will announce: "vi räknar med att vara tillbaka i maj och
# hör av oss då".
_LATER_RETURN = re.compile(
    r"(?<![\wåäö])(?:räknar\s+med|beräknar|hoppas|hör\s+av\s+oss|återkommer|expect\w*|hope"
    r"|will\s+let\s+you\s+know)(?![\wåäö])",
    re.IGNORECASE,
)


def _settle_capacity(
    text: str, cues: list[Cue], kinds: set[Kind], companies: Sequence[str] = ()
) -> tuple[set[Kind], str | None]:
    """Full and free at once: the state the mail returns to is the news.

    "Vi har varit fullbelagda men kan ta emot nya igen", "full until 1 March, then we take
    new clients": free. "Vi är fullbelagda igen": full. Otherwise the reading is unsure.
    """
    if not {"capacity_full", "capacity_available"} <= kinds:
        return kinds, None
    found = sentences(text)
    mentions = find_unit_mentions(text, companies=companies)
    items = _list_items(text)

    def units_of(kind: Kind) -> set[str]:
        named: set[str] = set()
        for cue in cues:
            sentence = sentence_at(found, cue.start)
            if cue.kind != kind or not sentence:
                continue
            # A list item or a table's row is a change of its own ("DV A<TAB>Fullt – tar
            # inte emot nya<TAB>...", a row under it for DV B "Har plats ... igen").
            start, end = next(
                ((s, e) for s, e in items if s <= cue.start < e), (sentence.start, sentence.end)
            )
            named |= {m.name for m in mentions if start <= m.start < end}
            row = _row_name(text, cue)
            if row:
                named.add(row)
        return named

    full_units, free_units = units_of("capacity_full"), units_of("capacity_available")
    if full_units and free_units and not full_units & free_units:
        # "DV A – två lediga platser; DV B – kapacitetstaket nått": two units, two changes.
        return kinds, None

    def said(kind: Kind, pattern: re.Pattern[str]) -> bool:
        for cue in cues:
            sentence = sentence_at(found, cue.start)
            if cue.kind == kind and sentence and pattern.search(text, sentence.start, sentence.end):
                return True
        return False

    if said("capacity_available", _LATER_RETURN) and not said("capacity_full", _LATER_RETURN):
        # "kan inte ta emot nya från 11 januari. ... vi räknar med att vara tillbaka i maj
        # och hör av oss då, så att ni kan göra oss valbara igen": the return is to come.
        return kinds - {"capacity_available"}, None
    free_cues = [c for c in cues if c.kind == "capacity_available"]
    if (
        free_cues
        and not QUEUE.search(text)
        and all(
            any(
                o.kind == "capacity_full"
                and o.start > c.end
                and sentence_at(found, o.start) == sentence_at(found, c.start)
                for o in cues
            )
            for c in free_cues
        )
    ):
        # "Vi tar emot en ny deltagare den veckan och är då fullbelagda": the one taken in
        # fills the unit; full is what the sentence ends in.
        return kinds - {"capacity_available"}, None
    if said("capacity_full", PERIOD):
        # "kan inte ta emot nya deltagare 1–15 mars; från 16 mars tar vi emot igen": a
        # stop with its own start and end is a change of its own, then free again.
        return kinds, None
    if said("capacity_available", RESTORED) or said("capacity_full", BOUNDED_STATE):
        return kinds - {"capacity_full"}, None
    if QUEUE.search(text):
        # Free places with a queue: "not valbar yet" is the queue's doing (seed 004); the
        # mail reports free places, and queue_remains keeps the unit not valbar.
        return kinds - {"capacity_full"}, None
    if said("capacity_full", RESTORED):
        return kinds - {"capacity_available"}, None
    if said("capacity_available", BOUNDED_STATE):
        # "kapacitetstaket nås först den 1 januari ... Vi tar alltså emot nya deltagare
        # under hela december": places are free until the unit is full; the full is news.
        return kinds - {"capacity_available"}, None
    return kinds, "Meddelandet säger både att enheten är fullbelagd och att den har lediga platser."


_NOTHING_CHANGED = re.compile(
    r"(?<![\wåäö])(?:(?:inget|ingenting)\s+har\s+(?:\w+\s+)?(?:förändrats|ändrats)"
    r"|(?:allt|det)\s+är\s+(?:\w+\s+)?oförändrat|nothing\s+has\s+changed)(?![\wåäö])",
    re.IGNORECASE,
)
_ROW_NAME = re.compile(
    r"[ \t]*(?:[-*•][ \t]+)?(?P<name>[A-ZÅÄÖ][\wåäö]+(?:[ \t]+[A-ZÅÄÖ][\wåäö]+){0,4})"
    r"[ \t]*(?:[–—:|]|-[ \t]|\t)"
)


def _row_name(text: str, cue: Cue) -> str | None:
    """The name a row of a table typed in the mail begins with, before the cue: "Tuve
    Bageri – fullt\nSäve Stall – 1 ledig plats" names what each row is about."""
    row = _ROW_NAME.match(text, text.rfind("\n", 0, cue.start) + 1)
    return row.group("name") if row and row.end() <= cue.start else None


_DECIDED_NOW = re.compile(
    r"(?<![\wåäö])(?:(?:nu\s+är\s+det|det\s+är\s+nu|är\s+nu)\s+(?:beslutat|bestämt|spikat|fastställt)"
    r"|beslutet\s+är\s+(?:nu\s+)?(?:fattat|taget)"
    r"|(?:fattade|tog|har\s+(?:nu\s+)?fattat|har\s+(?:nu\s+)?tagit)\s+(?:\w+\s+){0,2}?beslut"
    r"|(?:nämnden|styrelsen|förvaltningen|ledningen)\s+(?:har\s+(?:nu\s+)?)?beslut(?:at|ade)"
    r"|(?:has|have)\s+now\s+been\s+(?:decided|approved)|is\s+now\s+(?:decided|final|confirmed))"
    r"(?![\wåäö])",
    re.IGNORECASE,
)


_NOT_DECIDED_BEFORE = re.compile(
    r"(?<![\wåäö])(?:inte|ej|när|så\s+snart|så\s+fort|innan|tills|efter\s+att|om|once|when"
    r"|until|not)(?:\s+\w+)?\s+$",
    re.IGNORECASE,
)


def _undecided(text: str, weighed: set[Kind]) -> str | None:
    """The sender says the change is only weighed, or not decided yet."""
    if any(
        not _NOT_DECIDED_BEFORE.search(text, max(0, m.start() - 20), m.start())
        for m in _DECIDED_NOW.finditer(text)
    ):
        # "Nu är det beslutat: nämnden fattade i går beslut om att avveckla ..." (not "så
        # snart beslutet är fattat", "nämnden har inte fattat beslut").
        return None
    said = UNDECIDED.search(text)
    if weighed or said:
        words = f' ("{said.group(0)}")' if said else ""
        return f"Ändringen är inte beslutad än, enligt avsändaren{words}."
    return None


def _competing(head: list[Cue], body: list[Cue], settled: set[Kind]) -> str | None:
    """The subject announces one change and the text another.

    Not when one side's words belong to the other's change ("Sammanslagning" over "den
    nya enheten heter ...": a merge names its new unit), nor when one side's change was
    settled away ("Lediga platser" over "vi är inte valbara än" with a queue: seed 004).
    """
    # (A new provider's papers, onboarding, go with any unit's change: "Ny enhet X" over
    # "Bifogar verksamhetsuppgifter och försäkringsbrev".)
    together = _kinds(head + body) & settled - {"onboarding"}
    said_in_subject, said_in_text = _kinds(head) & together, _kinds(body) & together
    if said_in_subject and said_in_text and not said_in_subject & said_in_text:
        return (
            "Ämnesraden och texten talar om olika ändringar "
            f"({', '.join(sorted(said_in_subject))} / {', '.join(sorted(said_in_text))})."
        )
    return None


def _said_of_a_part(text: str, cue: Cue) -> bool:
    """The cue is said of a part of the unit: "Grupp Blå inom DV Tornet avslutas",
    "trädgårdsgruppen på DV Kvarnbyn är full", "Vi stänger kvällsverksamheten"."""
    found = sentences(text)
    sentence = sentence_at(found, cue.start)
    start = sentence.start if sentence else 0
    boundaries = list(_CLAUSE_BOUNDARY.finditer(text, start, cue.start))
    clause_start = boundaries[-1].end() if boundaries else start
    after = _OBJECT_START.match(text, cue.end)
    at = after.end() if after else cue.end
    before = [
        p
        for p in PART_OF_UNIT.finditer(text, clause_start, cue.start)
        # "omsorgsgruppen hemtjänst härlanda": a brand before a unit type, not a group.
        if not _TYPE_NEXT.match(text, p.end())
    ]
    return bool(
        # The part is the subject only with no clause of its own between it and the cue:
        # "trädgårdsgruppen på DV Kvarnbyn avslutas", not "i gruppen beslutade vi att X
        # stänger".
        (before and not _SUBJECT_BETWEEN.search(text, before[-1].end(), cue.start))
        or _starts_within(PART_OF_UNIT.search(text, cue.start), cue.end)
        or PART_OF_UNIT.match(text, at)
    )


_TYPE_NEXT = re.compile(
    r"[ \t]+(?:hemtj[äa]nst|daglig\w*\s+verksamhet|dagverksamhet|dv|ht)(?![\wåäö])", re.IGNORECASE
)
_SUBJECT_BETWEEN = re.compile(
    r"(?<![\wåäö])(?:att|som|vi|jag|ni|de|hon|han|hen|när|eftersom|om|that|we|they)(?![\wåäö])",
    re.IGNORECASE,
)


def _starts_within(match: re.Match[str] | None, end: int) -> bool:
    return match is not None and match.start() < end


_OBJECT_START = re.compile(r"\s*(?:(?:en|ett|ny|nytt|nya|vår|vårt|den|det|a|new|our|the)\s+){0,2}")


# A part of a unit that starts, ends, merges or is renamed changes no unit in the systems
# (they know units, not groups); one that is full may still matter to who can choose it.
_STRUCTURAL = frozenset({"new_unit", "close_unit", "merge_units", "rename_unit"})


def _of_a_part(text: str, cues: list[Cue]) -> str | None:
    """Every change is capacity said of a part of the unit ("Gruppen Snickeriet på DV
    Tallåsen är full"): the unit goes on, and EKU judges whether it is still valbar."""
    unit_cues = [c for c in cues if c.kind in _UNIT_KINDS]
    if not unit_cues or not all(_said_of_a_part(text, c) for c in unit_cues):
        return None
    return "Ändringen sägs om en del av enheten (en grupp eller avdelning), inte om hela enheten."


# "inte ta emot nya uppdrag som kräver dubbelbemanning", "nya kunder som har insatser på
# kvällar": the stop is for some kinds of work only.
_ONLY_SOME_WORK = re.compile(
    # (Within the sentence: "... inte ta emot nya deltagare. Socialsekreterare som har
    # deltagare som vill till oss" is another sentence.)
    r"[ \t]*(?:[^\s.!?]+[ \t]+){0,3}?(?:som\s+(?:kräver|har|behöver|gäller|omfattar)|med\s+(?:insatser|behov)"
    r"|(?:för|på)\s+(?:insatser|uppdrag)\s+(?:med|som|på)|that\s+(?:require|need|have)"
    r"|(?:requiring|needing|with)\s+(?:double|evening|night|weekend))(?![\wåäö])",
    re.IGNORECASE,
)
# "Övriga nya uppdrag tar vi emot som vanligt", "Kunder med bara dagtid tar vi gärna emot".
_OTHERS_TAKEN = re.compile(
    r"(?<![\wåäö])(?:övriga|andra|alla\s+andra|resten|\w+\s+med\s+bara|other|all\s+other)"
    r"(?:\s+\S+){0,4}?\s+(?:tar\s+(?:vi\s+)?(?:gärna\s+)?emot|we\s+(?:still\s+)?(?:take|accept))",
    re.IGNORECASE,
)


# A closing for a while: "vi vet inte hur länge det blir, kanske några månader", "tills
# lokalen är sanerad", "vi räknar med att öppna igen i mars", "closed until further notice".
_FOR_A_WHILE = re.compile(
    r"(?<![\wåäö])(?:vet\s+(?:ännu\s+|än\s+)?(?:inte|ej)\s+hur\s+länge|hur\s+länge\s+det"
    r"|tillfällig\w*|återöppn\w*|(?:öppna|öppnar|öppnas)\s+(?:\w+\s+){0,2}igen"
    r"|tills\s+(?:lokal\w*|skadan|renovering\w*|sanering\w*|reparation\w*)"
    r"|under\s+(?:renovering\w*|ombyggnad\w*|sanering\w*|reparation\w*)"
    r"|temporar\w*|until\s+further\s+notice|reopen\w*|for\s+a\s+while)(?![\wåäö])",
    re.IGNORECASE,
)


# The sender says the unit stays choosable: "vi har fortfarande lediga platser och ska vara
# kvar som valbara", "we still have free places".
_STILL_CHOOSABLE = re.compile(
    r"(?<![\wåäö])(?:(?:ska|vill|kan|bör)\s+(?:\w+\s+)?(?:vara|stå|förbli)\s+kvar\s+som\s+valbar\w*"
    r"|(?:är|förblir)\s+(?:\w+\s+)?fortfarande\s+valbar\w*"
    r"|(?:har|finns)\s+(?:vi\s+|det\s+)?fortfarande\s+(?:\w+\s+){0,2}?lediga\s+platser"
    r"|remain\s+(?:choosable|selectable|valbar)|still\s+have\s+(?:\w+\s+)?(?:free|available)\s+places)"
    r"(?![\wåäö])",
    re.IGNORECASE,
)


def _still_choosable(text: str, kinds: set[Kind]) -> str | None:
    """A unit said to be full that the sender says stays choosable ("vi sänker vårt
    kapacitetstak ... har fortfarande lediga platser och ska vara kvar som valbara"): whether
    it is valbar is EKU's to judge."""
    if "capacity_full" not in kinds or "capacity_available" in kinds:
        return None
    if not _STILL_CHOOSABLE.search(text):
        return None
    return "Avsändaren säger att enheten har platser kvar och ska vara valbar."


_NOT_AGAIN = re.compile(r"(?<![\wåäö])(?:inte|ej|aldrig|never|not|won't)(?![\wåäö])", re.IGNORECASE)


def _for_a_while(text: str, kinds: set[Kind]) -> str | None:
    """A closing the sender says is for a time: whether the unit ends, or only pauses,
    is EKU's to judge."""
    if "close_unit" not in kinds:
        return None
    # ("öppnar vi inte igen", "kommer inte att öppna igen": for good.)
    if not any(
        not _NOT_AGAIN.search(text, max(0, m.start() - 16), m.start())
        and not ("igen" in m.group(0).lower() and _NOT_AGAIN.search(m.group(0)))
        for m in _FOR_A_WHILE.finditer(text)
    ):
        return None
    return "Stängningen verkar vara tillfällig; det är inte säkert att enheten upphör."


def _some_work_only(text: str, cues: list[Cue]) -> str | None:
    """A stop for new work of some kinds only (double staffing, evenings): the unit still
    takes other work, and EKU judges whether it stays valbar."""
    full = [c for c in cues if c.kind == "capacity_full"]
    if not full or not (
        any(_ONLY_SOME_WORK.match(text, c.end) for c in full) or _OTHERS_TAKEN.search(text)
    ):
        return None
    return "Stoppet gäller bara vissa slags uppdrag; enheten tar emot andra som vanligt."


# Days of the week in the plural, or "on Mondays": "fullbelagd måndagar och tisdagar".
_SOME_DAYS = re.compile(
    r"(?<![\wåäö])(?:(?:mån|tis|ons|tors|fre|lör|sön)dagar(?:na)?"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)days)(?![\wåäö])",
    re.IGNORECASE,
)


def _some_days_only(text: str, cues: list[Cue]) -> str | None:
    """Full on some days of the week only ("fullbelagd måndagar och tisdagar. Onsdag–fredag
    har vi fortfarande platser"): whether the unit stays valbar is EKU's to judge."""
    found = sentences(text)
    for cue in cues:
        sentence = sentence_at(found, cue.start)
        if cue.kind != "capacity_full" or sentence is None:
            continue
        # Within the cue's own clause: not "har varit fully booked on Tuesdays ett tag, men
        # nu har vi nått kapacitetstaket helt".
        cuts = [b.end() for b in _DAYS_CLAUSE.finditer(text, sentence.start, cue.start)]
        end = _DAYS_CLAUSE.search(text, cue.end, sentence.end)
        if _SOME_DAYS.search(
            text, max(cuts, default=sentence.start), end.start() if end else sentence.end
        ):
            return "Enheten är fullbelagd bara vissa veckodagar."
    return None


_DAYS_CLAUSE = re.compile(r"[,;:–]|\s(?:men|but|och\s+nu|and\s+now)\s", re.IGNORECASE)


def _unbound(
    text: str, cues: list[Cue], body_from: int, *, thread: str, companies: Sequence[str]
) -> str | None:
    """No statement is said of a unit: no unit name, "enheten", "vi" or company near it.

    In a reply the thread it answers names the unit ("Det nya namnet gäller från 1 juni").
    """
    if not {c.kind for c in cues} & _UNIT_KINDS:
        return None  # onboarding is about the provider, not a unit
    if not cues or find_unit_mentions(thread):
        return None
    found = sentences(text)
    mentions = find_unit_mentions(text, companies=companies)
    for cue in cues:
        if cue.start < body_from or _UNIT_WORD.search(cue.text):
            return None
        sentence = sentence_at(found, cue.start)
        if sentence is None or _refers_to_unit(text, sentence, mentions, companies):
            return None
        if _row_name(text, cue):
            return None
    if mentions:
        # A unit named anywhere in the mail is what a sentence without a name speaks of
        # ("Vi har pratat om DV Kvarnängen. Den stänger sista maj.").
        return None
    return "Ändringen sägs inte tydligt om någon enhet."


def _result(
    kinds: set[Kind],
    evidence: tuple[str, ...],
    cues: list[Cue],
    *,
    from_history: bool = False,
    unsure: str | None = None,
    undecided: bool = False,
) -> Classification:
    ordered = [k for k in KIND_ORDER if k in kinds]
    return Classification(
        ordered[0],
        tuple(ordered[1:]),
        evidence,
        tuple(c for c in cues if c.kind in kinds),
        from_history,
        unsure,
        undecided,
    )
