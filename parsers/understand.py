"""What a message says, as a person at EKU would read it: one ``Understanding``.

The new text decides; the subject helps; the attached form fills what the mail leaves out;
the quoted history may only fill a gap. Every decision keeps the words it rests on.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from parsers.classify import Classification, Kind, automated_reason, classify
from parsers.dates import DateMention, find_dates, parse_date
from parsers.errors import FormUnreadable
from parsers.form import VerksamhetsForm, is_word_attachment, read_form
from parsers.mail import ParsedMail
from parsers.personnummer import find_personnummer, mask_personnummer
from parsers.text import split_body
from parsers.units import core_name, find_units, merge_info, rename_info

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
    r"(?i:(?:ekonomisk\s+)?ansvarskod(?:en)?|ansvarsnummer)(?:\s+för\s+[^:\n]{1,40}?)?"
    r"\s*(?::|är|=|nr\.?)?\s*(?P<code>\d{3,10})(?!\d)"
)
_QUOTE_HEADER_LINE = re.compile(
    r"^\s*>*\s*\*?(?:Från|From|Skickat|Sent|Datum|Date|Till|To|Kopia|Cc|Ämne|Subject)\s*:",
    re.IGNORECASE | re.MULTILINE,
)
_SENTENCE_END = re.compile(r"[.!?;\n]")


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
    automated: str | None = None
    units: tuple[str, ...] = ()
    new_name: str | None = None
    merge_remaining_stated: bool = False
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


def understand(mail: ParsedMail, *, received: dt.datetime | None = None) -> Understanding:
    """Read one parsed message. ``received`` is the server's date when the mail has none."""
    sent_on = local_date(mail.date or received)
    today = sent_on or dt.date(2000, 1, 1)
    body = split_body(mail.text)
    form, unreadable = _read_attachments(mail)
    automated = automated_reason(mail.headers, mail.from_address, mail.subject, body.new)
    form_kinds = (
        tuple(_FORM_KINDS[t] for t in form.typ_av_andring if t in _FORM_KINDS) if form else ()
    )
    classification = classify(mail.subject, body.new, automated=automated, form_kinds=form_kinds)
    personal = _personal_data(mail, form)
    if classification.kind == "auto_reply":
        return Understanding(
            sent_on=sent_on,
            kind="auto_reply",
            kind_evidence=classification.evidence,
            automated=automated,
            personal_data=personal,
        )

    combined = f"{mail.subject}\n{body.new}"
    units, new_name, remaining = _units(classification, combined, body.new, mail.subject, form)
    effective, date_evidence = _effective_date(classification, combined, body.quoted, today)
    if effective is None and form and form.startdatum and classification.kind in _DATED_KINDS:
        effective = parse_date(form.startdatum, today)
        date_evidence = f"blanketten: {form.startdatum}" if effective else None
    if classification.kind not in _DATED_KINDS:
        effective, date_evidence = None, None
    code, code_evidence = _ansvarskod(combined, form)
    return Understanding(
        sent_on=sent_on,
        kind=classification.kind,
        also=classification.also,
        kind_evidence=classification.evidence,
        units=tuple(units),
        new_name=new_name,
        merge_remaining_stated=remaining,
        effective_date=effective,
        date_evidence=date_evidence,
        ansvarskod=code,
        ansvarskod_evidence=code_evidence,
        form=form,
        unreadable=tuple(unreadable),
        personal_data=personal,
    )


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
    classification: Classification,
    combined: str,
    new_text: str,
    subject: str,
    form: VerksamhetsForm | None,
) -> tuple[list[str], str | None, bool]:
    kind = classification.kind
    new_name: str | None = None
    remaining = False
    if kind == "merge_units":
        merge = merge_info(new_text) if merge_info(new_text).units else merge_info(combined)
        units = list(merge.units)
        new_name = merge.new_name
        remaining = merge.remaining_stated
        if form:
            if not units and form.tidigare_namn:
                units = [
                    u.strip() for u in re.split(r",|;|\boch\b|\n", form.tidigare_namn) if u.strip()
                ]
            new_name = new_name or form.enhetens_namn
        return units, new_name, remaining
    units = find_units(new_text, subject)
    if kind == "rename_unit" or "rename_unit" in classification.also:
        info = rename_info(new_text) if rename_info(new_text).new else rename_info(combined)
        new_name = info.new
        if form and not new_name and form.tidigare_namn and form.enhetens_namn:
            new_name = form.enhetens_namn
        old = info.old or (form.tidigare_namn if form else None)
        if new_name:
            units = [u for u in units if core_name(u) != core_name(new_name)]
        if old and all(core_name(old) != core_name(u) for u in units):
            units.insert(0, old)
    if not units and form and form.enhetens_namn:
        units = [form.enhetens_namn]
    return units, new_name, remaining


def _effective_date(
    classification: Classification, combined: str, quoted: str, today: dt.date
) -> tuple[dt.date | None, str | None]:
    mentions = find_dates(combined, today)
    cue_spans = [(c.start, c.end) for c in classification.cues]
    best = _best_mention(mentions, combined, cue_spans, first_line_end=combined.find("\n"))
    if best is not None:
        return best.value, best.text
    # The quoted history may fill the gap, but only with a date tied to a change ("från och
    # med ..."), never a quoted header's send date or a time.
    history = _QUOTE_HEADER_LINE.sub(" ", "\n".join(_without_header_lines(quoted)))
    for mention in find_dates(history, today):
        if mention.cue == "from":
            return mention.value, mention.text
    return None, None


def _without_header_lines(quoted: str) -> list[str]:
    return [line for line in quoted.split("\n") if not _QUOTE_HEADER_LINE.match(line)]


def _best_mention(
    mentions: list[DateMention],
    text: str,
    cue_spans: list[tuple[int, int]],
    first_line_end: int,
) -> DateMention | None:
    best: tuple[int, int, DateMention] | None = None
    for index, mention in enumerate(mentions):
        score = 0
        if mention.cue is not None:
            score += 3
        sentence_start = max(
            (m.end() for m in _SENTENCE_END.finditer(text, 0, mention.start)), default=0
        )
        end_match = _SENTENCE_END.search(text, mention.end)
        sentence_end = end_match.start() if end_match else len(text)
        if any(sentence_start <= s < sentence_end for s, _ in cue_spans):
            score += 2
        if mention.start > first_line_end:
            score += 1  # the body is written with more care than the subject
        key = (score, -index)
        if best is None or key > best[:2]:
            best = (score, -index, mention)
    return best[2] if best else None


def _ansvarskod(combined: str, form: VerksamhetsForm | None) -> tuple[str | None, str | None]:
    match = _ANSVARSKOD.search(combined)
    if match:
        return match.group("code"), match.group(0)
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
    unreadable = later.unreadable if form is not None else (*first.unreadable, *later.unreadable)
    return Understanding(
        sent_on=first.sent_on or later.sent_on,
        kind=kind,
        also=also,
        kind_evidence=tuple(dict.fromkeys((*first.kind_evidence, *later.kind_evidence))),
        units=first.units or later.units,
        new_name=later.new_name or first.new_name,
        merge_remaining_stated=first.merge_remaining_stated or later.merge_remaining_stated,
        effective_date=later.effective_date or first.effective_date,
        date_evidence=later.date_evidence if later.effective_date else first.date_evidence,
        ansvarskod=later.ansvarskod or first.ansvarskod,
        ansvarskod_evidence=later.ansvarskod_evidence or first.ansvarskod_evidence,
        form=form,
        unreadable=tuple(u for u in unreadable if form is None),
        personal_data=tuple(dict.fromkeys((*first.personal_data, *later.personal_data))),
    )
