"""What a message says, as a person at EKU would read it: one ``Understanding``.

The new text decides; the subject helps; the attached form fills what the mail leaves out;
the quoted history may only fill a gap. Every decision keeps the words it rests on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from parsers.classify import Classification, Cue, Kind, automated_reason, classify, find_cues
from parsers.cues import FUTURE_TENSE, PAST_TENSE
from parsers.dates import MONTHS, DateMention, find_dates, last_occurrence, parse_date
from parsers.errors import FormUnreadable
from parsers.form import VerksamhetsForm, is_word_attachment, read_form
from parsers.mail import ParsedMail
from parsers.personnummer import find_personnummer, mask_personnummer
from parsers.sentences import Sentence, sentence_at, sentence_starts, sentences
from parsers.text import split_body
from parsers.units import (
    MergeInfo,
    find_providers,
    find_units,
    merge_info,
    rename_info,
    same_unit,
)

__all__ = [
    "STOCKHOLM",
    "Understanding",
    "UnreadableAttachment",
    "local_date",
    "merge_understandings",
    "understand",
]

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# Ticked boxes on the form → kinds (form.md, typ_av_andring).
_FORM_KINDS: dict[str, Kind] = {
    "Ny enhet": "new_unit",
    "Sammanslagning": "merge_units",
    "Namnändring": "rename_unit",
    "Övriga ändringar": "update_details",
}
# Kinds for which a date in the text is the date the change takes effect.
_DATED_KINDS = frozenset(
    {
        "new_unit",
        "close_unit",
        "merge_units",
        "rename_unit",
        "update_details",
        "capacity_full",
        "capacity_available",
    }
)
_ANSVARSKOD = re.compile(
    r"(?i:(?:ekonomisk\s+)?ansvarskod(?:en|er)?|ansvarsnummer|ansvar\s*nr\.?"
    r"|cost\s+cent(?:re|er)(?:\s+code)?|responsibility\s+code)"
    r"(?P<gap>[^\d\n]{0,40}?)(?<![\d\-/])(?P<code>\d{3,10}(?:[ \u00a0]\d{3,4})?)(?![\d\-/.:,]?\d)"
)
# "Ansvarskod saknas, återkommer 15 maj": the number after such words is no code.
_NO_CODE = re.compile(r"saknas|inte|ej\b|återkommer|senare|kommer|missing|not\b", re.I)
# "> " in front of quoted lines; without it a quoted sentence wrapped over two lines reads
# as one again.
_QUOTE_MARK = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)
_QUOTE_HEADER_LINE = re.compile(
    r"^\s*>*\s*\*?(?:Från|From|Skickat|Sent|Datum|Date|Till|To|Kopia|Cc|Ämne|Subject)\s*:.*$",
    re.IGNORECASE | re.MULTILINE,
)
# Words just before a date that make it something other than the day of the change: an
# absence ("tillbaka 9 augusti", "ledig till 5 april"), an earlier mail, meeting or
# decision ("i mitt mail den 2 februari", "beslutade vi den 10 mars"), a deadline ("svara
# senast 15 mars"). They weigh against the date, not veto it: "vi stänger senast 30 juni"
# still names the last day.
_NOT_EFFECTIVE = re.compile(
    r"(?<![\wåäö])(?:"
    r"(?:tillbaka|åter|ledig|semester\w*|frånvarande|borta|back|returning|return|away)"
    r"(?:[ \t]+(?:igen|till|på\s+kontoret|i\s+tjänst|on|from|mellan|från|om))?"
    r"|(?:skickat|skickade|skrev|sent|wrote|mail(?:et)?|mejl(?:et)?|brev(?:et)?|möte(?:t)?"
    r"|träff(?:en)?|samtal(?:et)?|pratade|talade|beslut(?:ade|et)?|beslöt|daterad|daterat"
    r"|undertecknad|signerad|ifylld|inkom|inkommit|meeting|letter|email|e-mail)"
    r"(?:[ \t]+(?:den|i|på|vi|jag|du|ni|som|med|av|oss|er|ert|ditt|mitt|vårt|vår|förra"
    r"|senaste|on|the|my|your|our|of|dated)){0,3}"
    r"|(?:senast|svara|svar|deadline|reply\s+by|respond\s+by|no\s+later\s+than)"
    r")[ \t,:]*$",
    re.IGNORECASE,
)
_NOT_EFFECTIVE_WEIGHT = 3
# A label that says the date is the one that counts: "Startdatum: 1 maj", "Datum för
# stängning är 30 juni".
_DATE_LABEL = re.compile(
    r"(?:datum|startdatum|slutdatum|gäller|per|start(?:ar)?|sista\s+\w*dag(?:en)?|date)"
    r"(?:[ \t]+[\wåäö]+){0,3}?[ \t]*(?:är|blir|:|=)?[ \t]*$",
    re.IGNORECASE,
)
_CONTEXT_REACH = 48

# Dates written as words ("vid månadsskiftet", "med omedelbar verkan"), which dates.py
# leaves to the reader because they need the message's own date.
_RELATIVE = re.compile(
    r"(?<![\wåäö])(?:(?P<today>(?:från\s+och\s+med|fr\.?\s?o\.?\s?m\.?|från|from|as\s+of)\s+"
    r"(?:i\s?dag|today|nu|now)|med\s+omedelbar\s+verkan|omgående|effective\s+immediately)"
    r"|(?P<month>(?:vid|från|per|efter)\s+månadsskiftet)"
    r"(?:\s+(?P<m1>[a-zåäö]+)\s*[/–-]\s*(?P<m2>[a-zåäö]+))?"
    r"|(?P<year>(?:vid|från|per|efter)\s+årsskiftet))(?![\wåäö])",
    re.IGNORECASE,
)


class UnreadableAttachment(BaseModel):
    model_config = ConfigDict(frozen=True)

    filename: str | None
    reason: str


class Understanding(BaseModel):
    """Everything lovbot read from one message (or, merged, from one case's messages)."""

    model_config = ConfigDict(frozen=True)

    sent_on: dt.date | None
    kind: Kind
    also: tuple[Kind, ...] = ()
    kind_evidence: tuple[str, ...] = ()
    # Why the kind is not certain (contract.md: kind_unsure), None when it is.
    unsure: str | None = None
    # A capacity_available mail that says a waiting list remains (process.md, seed 004).
    queue_evidence: str | None = None
    automated: str | None = None
    units: tuple[str, ...] = ()
    new_name: str | None = None
    merge_remaining_stated: bool = False
    # For a merge: the unit that continues (None: none does, or not said) and whether the
    # merged unit gets a new name (None: not said).
    merge_remaining_unit: str | None = None
    merge_renamed: bool | None = None
    merge_evidence: str | None = None
    effective_date: dt.date | None = None
    date_evidence: str | None = None
    ansvarskod: str | None = None
    ansvarskod_evidence: str | None = None
    form: VerksamhetsForm | None = None
    unreadable: tuple[UnreadableAttachment, ...] = ()
    personal_data: tuple[str, ...] = ()  # masked evidence

    @property
    def kinds(self) -> tuple[Kind, ...]:
        return (self.kind, *self.also)


def local_date(moment: dt.datetime | None) -> dt.date | None:
    """The calendar day in Sweden of a moment (contract.md: notice counts in Swedish time)."""
    return moment.astimezone(STOCKHOLM).date() if moment else None


@dataclass(frozen=True, slots=True)
class _Texts:
    """The parts of one message, in the order they may speak."""

    main: str  # subject, then the new text: these decide
    new: str
    subject: str
    signature: str  # may name the unit, never the date
    history: str  # quoted thread without its header lines: fills gaps only
    companies: tuple[str, ...]  # the sender's company as written, and its mail domain


@dataclass(frozen=True, slots=True)
class _UnitFacts:
    units: list[str]
    new_name: str | None = None
    merge: MergeInfo | None = None


def understand(mail: ParsedMail, *, received: dt.datetime | None = None) -> Understanding:
    """Read one parsed message. ``received`` is the server's date when the mail has none."""
    sent_on = local_date(mail.date or received)
    body = split_body(mail.text)
    texts = _Texts(
        main=f"{mail.subject}\n{body.new}",
        new=body.new,
        subject=mail.subject,
        signature=body.signature,
        history=_QUOTE_MARK.sub("", _QUOTE_HEADER_LINE.sub("", body.quoted)).strip(),
        companies=_companies(mail, body.signature, body.new),
    )
    form, unreadable = _read_attachments(mail)
    automated = automated_reason(mail.headers, mail.from_address, mail.subject, body.new)
    form_kinds = (
        tuple(_FORM_KINDS[t] for t in form.typ_av_andring if t in _FORM_KINDS) if form else ()
    )
    classification = classify(
        mail.subject, body.new, automated=automated, form_kinds=form_kinds, history=texts.history
    )
    personal = _personal_data(mail, form)
    if classification.kind == "auto_reply":
        return Understanding(
            sent_on=sent_on,
            kind="auto_reply",
            kind_evidence=classification.evidence,
            automated=automated,
            personal_data=personal,
        )

    kinds = (classification.kind, *classification.also)
    facts = _units(classification, texts, form)
    effective: dt.date | None = None
    date_evidence: str | None = None
    if classification.kind in _DATED_KINDS:
        effective, date_evidence = _effective_date(classification, texts, form, sent_on)
    code, code_evidence = _ansvarskod(texts, form)
    merge = facts.merge
    return Understanding(
        sent_on=sent_on,
        kind=classification.kind,
        also=classification.also,
        kind_evidence=classification.evidence,
        unsure=classification.unsure,
        queue_evidence=_queue_remains(texts.main) if "capacity_available" in kinds else None,
        units=tuple(facts.units),
        new_name=facts.new_name,
        merge_remaining_stated=bool(merge and merge.remaining_stated),
        merge_remaining_unit=merge.remaining if merge else None,
        merge_renamed=merge.renamed if merge else None,
        merge_evidence=merge.evidence if merge else None,
        effective_date=effective,
        date_evidence=date_evidence,
        ansvarskod=code,
        ansvarskod_evidence=code_evidence,
        form=form,
        unreadable=tuple(unreadable),
        personal_data=personal,
    )


def _companies(mail: ParsedMail, signature: str, new: str) -> tuple[str, ...]:
    """The sender's company: as the signature or text writes it, and its mail domain's name."""
    found = find_providers(signature, new)
    domain = (mail.from_address or "").rpartition("@")[2].lower()
    labels = [label for label in domain.split(".")[:-1] if label not in {"www", "mail"}]
    if labels:
        found.append(labels[-1])
    return tuple(found)


def _read_attachments(
    mail: ParsedMail,
) -> tuple[VerksamhetsForm | None, list[UnreadableAttachment]]:
    form: VerksamhetsForm | None = None
    unreadable: list[UnreadableAttachment] = []
    for attachment in mail.attachments:
        if not is_word_attachment(attachment.filename, attachment.content_type):
            continue
        try:
            found = read_form(attachment.data, attachment.filename)
        except FormUnreadable as err:
            unreadable.append(UnreadableAttachment(filename=attachment.filename, reason=str(err)))
            continue
        if found is not None and form is None:
            form = found
    return form, unreadable


def _units(
    classification: Classification, texts: _Texts, form: VerksamhetsForm | None
) -> _UnitFacts:
    """The units the message is about, the new name, and for a merge what remains."""
    kinds = (classification.kind, *classification.also)
    # The new text decides; the subject, signature and quoted thread fill gaps in turn.
    sources = [texts.new, texts.main, texts.history]
    if classification.kind == "merge_units":
        merge = next(
            (m for m in (merge_info(t) for t in sources if t) if m.units or m.new_name),
            merge_info(texts.main),
        )
        units = list(merge.units)
        merged_name = merge.new_name
        if form:
            if not units and form.tidigare_namn:
                units = [
                    u.strip() for u in re.split(r",|;|\boch\b|\n", form.tidigare_namn) if u.strip()
                ]
            if (
                merged_name is None
                and merge.remaining is None
                and form.enhetens_namn
                and not any(same_unit(u, form.enhetens_namn) for u in units)
            ):
                merged_name = form.enhetens_namn
        return _UnitFacts(units, merged_name, merge)

    companies = texts.companies
    units = (
        find_units(texts.new, texts.subject, companies=companies)
        or find_units(texts.signature, companies=companies)
        or find_units(texts.history, companies=companies)
    )
    if not units and classification.kind in _DATED_KINDS:
        # A private provider may name only its company; for a change to a unit that is the
        # unit it means (a supplier named in an onboarding mail is not).
        units = find_providers(texts.new, texts.subject, texts.signature)
    new_name: str | None = None
    if "rename_unit" in kinds:
        info = next(
            (r for r in (rename_info(t) for t in sources if t) if r.new), rename_info(texts.main)
        )
        new_name = info.new
        if form and not new_name and form.tidigare_namn and form.enhetens_namn:
            new_name = form.enhetens_namn
        old = info.old or (form.tidigare_namn if form else None)
        if new_name:
            units = [u for u in units if not same_unit(u, new_name)]
        if old and not any(same_unit(old, u) for u in units):
            units.insert(0, old)
    if not units and form and form.enhetens_namn:
        units = [form.enhetens_namn]
    return _UnitFacts(units, new_name)


@dataclass(frozen=True, slots=True)
class _Scored:
    score: int
    distance: int
    mention: DateMention


def _effective_date(
    classification: Classification,
    texts: _Texts,
    form: VerksamhetsForm | None,
    sent_on: dt.date | None,
) -> tuple[dt.date | None, str | None]:
    """The date the change takes effect, with the words it was read from.

    In order: a date the new text ties to the change (a "from" word, a kind's cue or a
    date label in its clause), the form's start date, any other date of the new text, a
    date the quoted thread ties to the change.
    """
    main_cues = (
        list(find_cues(texts.main)) if classification.from_history else list(classification.cues)
    )
    body_from = texts.main.find("\n") + 1
    best = _best_date(texts.main, main_cues, classification.kind, sent_on, body_from=body_from)
    if best is not None and best.score > 0:
        return best.mention.value, best.mention.text
    if form and form.startdatum:
        value = parse_date(form.startdatum, sent_on)
        if value is not None:
            return value, f"blanketten: {form.startdatum}"
    if best is not None and best.score == 0:
        return best.mention.value, best.mention.text
    if classification.kind in _CAPACITY and not classification.from_history:
        # "är fullbelagd tills vidare", "kan nu ta emot nya brukare": a state said in the
        # present takes effect the day it is said (contract.md).
        statement = next(
            (s.text for s in sentences(texts.main) if _said_in(s, classification.cues)), None
        )
        if statement and not FUTURE_TENSE.search(statement) and sent_on is not None:
            return sent_on, statement.strip()[:120]
    if texts.history:
        old = _best_date(
            texts.history, list(find_cues(texts.history)), classification.kind, sent_on, body_from=0
        )
        if old is not None and old.score >= 2:
            return old.mention.value, f"citerad text: {old.mention.text}"
    return None, None


def _best_date(
    text: str, cues: list[Cue], kind: Kind, sent_on: dt.date | None, *, body_from: int
) -> _Scored | None:
    clauses = sentence_starts(text)
    best: _Scored | None = None
    for mention in _mentions(text, sent_on):
        scored = _score(text, mention, cues, kind, clauses, body_from)
        if scored.score < 0:
            continue
        if best is None or (scored.score, -scored.distance) > (best.score, -best.distance):
            best = scored
    return best


def _score(
    text: str,
    mention: DateMention,
    cues: list[Cue],
    kind: Kind,
    clauses: list[int],
    body_from: int,
) -> _Scored:
    clause_start = max((s for s in clauses if s <= mention.start), default=0)
    clause_end = min((s for s in clauses if s > mention.start), default=len(text))
    before = text[max(clause_start, mention.start - _CONTEXT_REACH) : mention.start]
    score = -_NOT_EFFECTIVE_WEIGHT if _NOT_EFFECTIVE.search(before) else 0
    if mention.cue == "from":
        score += 3
    elif mention.cue == "until":
        # "t.o.m. 30 juni" is the last day of a closing unit; of anything else it is the day
        # the change ends ("fullt t.o.m. 30 juni"), never the day it takes effect.
        if kind != "close_unit":
            return _Scored(-1, 0, mention)
        score += 2
    if _DATE_LABEL.search(before):
        score += 2
    in_clause = [c for c in cues if clause_start <= c.start < clause_end]
    # A date belongs to the cue nearest to it: in "DV A stänger 30 april och vi startar
    # DV B 1 maj" the first date is the closing's, the second the start's.
    nearest = min(in_clause, key=lambda c: _gap(c, mention), default=None)
    if nearest is not None:
        score += 2 if nearest.kind == kind else 1
    if mention.start >= body_from and score > 0:
        score += 1  # the body is written with more care than the subject
    near = [c for c in cues if c.kind == kind] or cues
    distance = min((_gap(c, mention) for c in near), default=len(text))
    return _Scored(score, distance, mention)


def _gap(cue: Cue, mention: DateMention) -> int:
    return max(0, mention.start - cue.end, cue.start - mention.end)


def _mentions(text: str, sent_on: dt.date | None) -> list[DateMention]:
    """The dates in the text, those written in words included."""
    if sent_on is not None:
        mentions = find_dates(text, sent_on)
    else:
        # Without the message's date a date with no year cannot be placed (contract.md):
        # keep only the dates that read the same whatever "today" is.
        early = find_dates(text, dt.date(2000, 1, 1))
        late = {(m.start, m.value) for m in find_dates(text, dt.date(2003, 7, 1))}
        mentions = [m for m in early if (m.start, m.value) in late]
    if sent_on is not None:
        # The year of a date written without one follows the tense of its sentence.
        found = sentences(text)
        for i, mention in enumerate(mentions):
            sentence = sentence_at(found, mention.start) if mention.yearless else None
            if sentence and _past(sentence.text):
                mentions[i] = replace(mention, value=last_occurrence(mention, sent_on))
        taken = [(m.start, m.end) for m in mentions]
        for match in _RELATIVE.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            value = _relative_value(match, sent_on)
            if value is not None:
                mentions.append(
                    DateMention(value, match.start(), match.end(), match.group(0), "from")
                )
        mentions.sort(key=lambda m: m.start)
    return mentions


_CAPACITY = frozenset({"capacity_full", "capacity_available"})
_QUEUE = re.compile(
    r"(?<![\wåäö])(?:kö|kön|köer|väntelista\w*|waiting\s+list|queue)(?![\wåäö])", re.I
)
_NO_QUEUE = re.compile(
    r"(?<![\wåäö])(?:(?:ingen|utan|inte\s+någon|ej\s+någon|no|without|empty)\s+(?:\w+\s+)?"
    r"(?:kö|väntelista|waiting\s+list|queue)|(?:kön|väntelistan|the\s+queue|the\s+waiting\s+list)"
    r"\s+(?:är|is)\s+(?:nu\s+|now\s+)?(?:tom|slut|empty)|kön\s+(?:finns\s+)?(?:inte|ej)"
    r"|tom\s+kö)",
    re.IGNORECASE,
)


def _queue_remains(text: str) -> str | None:
    """The sentence saying that a waiting list remains, if the mail says so."""
    for sentence in sentences(text):
        if _QUEUE.search(sentence.text) and not _NO_QUEUE.search(sentence.text):
            return sentence.text.strip()
    return None


def _said_in(sentence: Sentence, cues: tuple[Cue, ...]) -> bool:
    return any(sentence.start <= c.start < sentence.end for c in cues)


def _past(sentence: str) -> bool:
    """Whether a sentence tells what has happened, not what will."""
    return bool(PAST_TENSE.search(sentence)) and not FUTURE_TENSE.search(sentence)


def _relative_value(match: re.Match[str], today: dt.date) -> dt.date | None:
    if match.group("today"):
        return today
    if match.group("year"):
        return dt.date(today.year + 1, 1, 1)
    month = MONTHS.get((match.group("m2") or "").lower())
    if month is not None:
        year = today.year if month >= today.month else today.year + 1
        return dt.date(year, month, 1)
    return dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)


def _ansvarskod(texts: _Texts, form: VerksamhetsForm | None) -> tuple[str | None, str | None]:
    for text, label in ((texts.main, ""), (texts.history, "citerad text: ")):
        for match in _ANSVARSKOD.finditer(text):
            if _NO_CODE.search(match.group("gap")):
                continue
            code = re.sub(r"\D", "", match.group("code"))
            return code, label + match.group(0)
    if form and form.ansvarskod:
        digits = re.sub(r"\D", "", form.ansvarskod)
        if digits:
            return digits, f"blanketten: {form.ansvarskod}"
    return None, None


def _personal_data(mail: ParsedMail, form: VerksamhetsForm | None) -> tuple[str, ...]:
    texts = [mail.subject, mail.text]
    if form:
        texts.extend(str(v) for v in form.answers().values())
    found: list[str] = []
    for text in texts:
        for number in find_personnummer(text):
            masked = mask_personnummer(number.text)
            if masked not in found:
                found.append(masked)
    return tuple(found)


def _merged_unsure(first: Understanding, later: Understanding) -> str | None:
    """A follow-up that clearly says the same change settles an unsure first reading."""
    if later.kind == "other":
        return first.unsure
    if first.kind == "other":
        return later.unsure
    if later.kind == first.kind:
        return later.unsure if first.unsure else None
    return later.unsure or first.unsure


def merge_understandings(first: Understanding, later: Understanding) -> Understanding:
    """A case's understanding after a follow-up: the later message corrects and completes.

    Notice still counts from the first message (that is when EKU was told).
    """
    if later.kind == "auto_reply":
        return first
    kind, also = first.kind, first.also
    if first.kind == "other" and later.kind != "other":
        kind, also = later.kind, later.also
    elif later.kind not in ("other", first.kind):
        also = tuple(dict.fromkeys((*first.also, later.kind, *later.also)))
        also = tuple(k for k in also if k != kind)
    form = later.form or first.form
    # An unreadable attachment stops mattering once a readable form has arrived.
    unreadable = () if form is not None else (*first.unreadable, *later.unreadable)
    return Understanding(
        sent_on=first.sent_on or later.sent_on,
        kind=kind,
        also=also,
        kind_evidence=tuple(dict.fromkeys((*first.kind_evidence, *later.kind_evidence))),
        unsure=_merged_unsure(first, later),
        queue_evidence=later.queue_evidence if later.kind != "other" else first.queue_evidence,
        units=first.units or later.units,
        new_name=later.new_name or first.new_name,
        merge_remaining_stated=first.merge_remaining_stated or later.merge_remaining_stated,
        merge_remaining_unit=later.merge_remaining_unit or first.merge_remaining_unit,
        merge_renamed=later.merge_renamed
        if later.merge_renamed is not None
        else first.merge_renamed,
        merge_evidence=later.merge_evidence or first.merge_evidence,
        effective_date=later.effective_date or first.effective_date,
        date_evidence=later.date_evidence if later.effective_date else first.date_evidence,
        ansvarskod=later.ansvarskod or first.ansvarskod,
        ansvarskod_evidence=later.ansvarskod_evidence or first.ansvarskod_evidence,
        form=form,
        unreadable=tuple(unreadable),
        personal_data=tuple(dict.fromkeys((*first.personal_data, *later.personal_data))),
    )
