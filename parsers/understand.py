"""What a message says, as a person at EKU would read it: one ``Understanding``.

The new text decides; the subject helps; the attached form fills what the mail leaves out;
the quoted history may only fill a gap. Every decision keeps the words it rests on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from parsers.ansvarskod import find_ansvarskod
from parsers.classify import (
    Classification,
    Kind,
    automated_reason,
    classify,
    inherited_subject,
    statements,
    sums_up,
)
from parsers.cues import CONTRAST, PERIOD_BEFORE, QUEUE, UNIT_CHANGES
from parsers.dates import find_dates
from parsers.diacritics import as_the_sender_wrote, as_written_by_hand
from parsers.effective_date import effective_date
from parsers.errors import FormUnreadable
from parsers.form import VerksamhetsForm, is_word_attachment, read_form, refuse_oversized
from parsers.mail import ParsedMail
from parsers.mail_fields import fields_in_mail
from parsers.personnummer import find_personnummer, mask_personnummer
from parsers.sentences import Sentence, sentence_at, sentences, unwrap
from parsers.text import split_body
from parsers.units import (
    MergeInfo,
    bare_names,
    core_name,
    find_company_by_domain,
    find_providers,
    find_unit_mentions,
    find_units,
    merge_info,
    rename_info,
    same_unit,
    table_before_after,
    units_by_street,
    units_left_out,
    units_named_after,
    units_we_are_at,
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
_DATED_KINDS = UNIT_CHANGES
# A forward's subject, and how much text of its own a forward may have to be "a bare
# forward" whose content is the forwarded mail.
_FORWARD = re.compile(
    r"^\s*(?:\[[^\]]{1,20}\]\s*)?(?:VB|FWD?|VS|TR|WG|Vidarebefordra)\s*:", re.IGNORECASE
)
_OWN_TEXT = 300
# About eight printed pages: more than any notice, little enough to read in milliseconds.
_READ_LIMIT = 20_000
_SUBJECT_LIMIT = 500
# "> " in front of quoted lines; without it a quoted sentence wrapped over two lines reads
# as one again.
_QUOTE_MARK = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)
_QUOTE_HEADER_LINE = re.compile(
    r"^\s*>*\s*\*?(?:Från|From|Skickat|Sent|Datum|Date|Till|To|Kopia|Cc|Ämne|Subject)\s*:.*$",
    re.IGNORECASE | re.MULTILINE,
)


class UnreadableAttachment(BaseModel):
    model_config = ConfigDict(frozen=True)

    filename: str | None
    reason: str


class Change(BaseModel):
    """One of several changes a message announces, with its own units and date."""

    model_config = ConfigDict(frozen=True)

    kind: Kind
    units: tuple[str, ...] = ()
    effective_date: dt.date | None = None
    new_name: str | None = None
    date_evidence: str | None = None


class Understanding(BaseModel):
    """Everything lovbot read from one message (or, merged, from one case's messages)."""

    model_config = ConfigDict(frozen=True)

    sent_on: dt.date | None
    kind: Kind
    also: tuple[Kind, ...] = ()
    kind_evidence: tuple[str, ...] = ()
    # Why the kind is not certain (contract.md: kind_unsure), None when it is.
    unsure: str | None = None
    # The sender only weighs the change or says it is not decided yet: EKU reads it, and
    # the sender is not asked for the form, the date or the code of a change not yet made.
    undecided: bool = False
    # A capacity_available mail that says a waiting list remains (process.md, seed 004).
    queue_evidence: str | None = None
    # Form fields the mail's own text gives (parsers/mail_fields.py): never asked again.
    given_fields: tuple[str, ...] = ()
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
    # Forms of other units attached with it ("två nya enheter, en blankett för var och en"):
    # each is checked for its required fields.
    other_forms: tuple[VerksamhetsForm, ...] = ()
    # The unit of an attached form that is another unit's than the one that starts or
    # merges ("Ny enhet DV Tuvevägen" with DV Kärra Centrum's form): not this change's form.
    stray_form: str | None = None
    unreadable: tuple[UnreadableAttachment, ...] = ()
    personal_data: tuple[str, ...] = ()  # masked evidence
    # With several kinds: each change with the units and the date said with it ("A läggs
    # ned 31 januari; B byter namn från 1 februari"), so that an order says which is which.
    changes: tuple[Change, ...] = ()

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


# The sender sends one form per unit: "blanketterna", "en blankett per enhet", "två
# blanketter".
_EACH_FORM = re.compile(
    r"(?<![\wåäö])(?:blanketterna|blanketter(?!na)|(?:en|1)\s+blankett\s+(?:per|för\s+varje|till\s+varje)"
    r"|forms\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _UnitFacts:
    units: list[str]
    new_name: str | None = None
    merge: MergeInfo | None = None


def understand(mail: ParsedMail, *, received: dt.datetime | None = None) -> Understanding:
    """Read one parsed message. ``received`` is the server's date when the mail has none."""
    sent_on = local_date(mail.date or received)
    body = split_body(mail.text)
    # What a person reads: the start of a long text, not all of it (issue 8: a 25 MB body
    # must not hold the poller).
    subject = mail.subject[:_SUBJECT_LIMIT]
    new = unwrap(body.new[:_READ_LIMIT])
    history = unwrap(
        _QUOTE_MARK.sub("", _QUOTE_HEADER_LINE.sub("", body.quoted[:_READ_LIMIT])).strip()
    )
    # "KUST OMSORG HEMTJANST DONSO STANGER TRETTIOFORSTA DECEMBER": read as if written
    # by hand, in small letters and with å, ä and ö (parsers/diacritics.py).
    written = f"{subject}\n{new}\n{history}"
    subject, new = as_written_by_hand(subject, new)
    (history,) = as_written_by_hand(history)
    # The day relative words ("nästa måndag") count from: the message's own, or in a bare
    # forward the forwarded mail's ("Skickat: den 19 november 2026 10:02").
    days_from = sent_on
    if _FORWARD.match(subject) and len(new) < _OWN_TEXT and not _says_itself(new, sent_on):
        days_from = _quoted_on(body.quoted, sent_on) or sent_on
        # contract.md: a forward with little text of its own has the forwarded mail as its
        # content (the notice still counts from the forward's own Date). Own words that
        # state a change or a date ("OBS: sista dag blir 18 december, inte 11 december")
        # stay the new text; the forwarded mail then fills gaps, as a quote does.
        new, history = f"{new}\n{history}".strip(), ""
    texts = _Texts(
        main=f"{subject}\n{new}",
        new=new,
        subject=subject,
        signature=body.signature,
        history=history,
        companies=_companies(mail, body.signature, new),
    )
    form, other_forms, unreadable = _read_attachments(mail)
    if form is not None and other_forms:
        # "Vi öppnar DV Biskopsgården Textil" with last year's form for DV Sörgården attached
        # first: the form of the unit the mail names is the one it sends.
        mail_units = find_units(subject, new)
        if not _names_any(form, mail_units):
            mine = next((f for f in other_forms if _names_any(f, mail_units)), None)
            if mine is not None:
                other_forms = tuple(f for f in (form, *other_forms) if f is not mine)
                form = mine
        if _names_any(form, mail_units):
            # A form of a unit the mail does not name was attached by mistake.
            other_forms = tuple(f for f in other_forms if _names_any(f, mail_units))
    if form is not None and _DISOWNED_FORM.search(new):
        # "Bortse från den bifogade blanketten – den är gammal": the sender says the form
        # does not count.
        form, other_forms = None, ()
    automated = automated_reason(mail.headers, mail.from_address, subject, new)
    form_kinds = (
        tuple(_FORM_KINDS[t] for t in form.typ_av_andring if t in _FORM_KINDS) if form else ()
    )
    bulk = _bulk_reason(mail.headers) or (
        "kalenderinbjudan" if _INVITATION.match(subject) else None
    )
    classification = (
        Classification("other", (), (bulk,), ())
        if bulk and not automated
        else classify(
            subject,
            texts.new,
            automated=automated,
            form_kinds=form_kinds,
            history=texts.history,
            companies=texts.companies,
            attached=bool(mail.attachments),
            # ("När vi blir valbara" is no start date.)
            form_dated=bool(form and find_dates(form.startdatum or "", _ANY_DAY)),
        )
    )
    stray_form = _stray_form(form, other_forms, classification, subject, new)
    if stray_form is not None:
        form, other_forms = None, ()
    named = _attachment_names(mail) if classification.kind == "other" and not bulk else ""
    if named and len(texts.new) <= _BARE_TEXT and form is None:
        # "Se bifogat." with "Avslut Daglig verksamhet Tuve Gård 2027-01-31.pdf": the change
        # is said only in a file's name. Read it, and hold it for EKU: the file itself,
        # which says more, is not read.
        with_names = f"{texts.new}\n\n{named}".strip()
        by_name = classify(subject, with_names, history="", companies=texts.companies)
        if by_name.kind in UNIT_CHANGES:
            classification = replace(
                by_name,
                evidence=tuple(f"bilagans namn: {e}" for e in by_name.evidence),
                unsure="Ändringen står bara i en bilagas filnamn; bilagan är inte läst.",
            )
            texts = replace(texts, new=with_names, main=f"{subject}\n{with_names}")
    if (
        form is not None
        and form.beskrivning
        and _only_the_form(classification, form_kinds, texts.new)
    ):
        # "Bifogar ifylld blankett." with only "Övriga ändringar" ticked, and the form's
        # description says "Verksamheten upphör. Sista dag ... 28 februari 2027": the
        # sender wrote the change in the form, in words of their own. A description
        # that announces nothing ("Vi erbjuder ...") leaves the ticked box to decide.
        with_description = f"{texts.new}\n\n{form.beskrivning}".strip()
        described = classify(subject, with_description, history="", companies=texts.companies)
        if described.kind in _DESCRIBED_KINDS and described.unsure is None:
            classification = replace(
                described,
                evidence=tuple(f"blankettens beskrivning: {e}" for e in described.evidence),
            )
            texts = replace(texts, new=with_description, main=f"{subject}\n{with_description}")
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
    corrected = _corrected_unit(texts.new, texts.companies)
    if corrected is not None:
        # "Rättelse från mig: det gäller Hemtjänst Askim, inte Hovås" above a forwarded
        # notice about Hovås: the unit the sender corrects to is the change's.
        right, wrong = corrected
        kept = [
            u for u in facts.units if wrong.lower() not in u.lower() and not same_unit(u, right)
        ]
        facts.units[:] = [right, *kept]
    if other_forms and _EACH_FORM.search(texts.main):
        # "Här kommer blanketterna för de två verksamheterna, en blankett per enhet": every
        # form sent is a unit of the change, none a stray.
        facts.units.extend(
            f.enhetens_namn
            for f in other_forms
            if f.enhetens_namn and not any(same_unit(f.enhetens_namn, u) for u in facts.units)
        )
    effective: dt.date | None = None
    date_evidence: str | None = None
    if classification.kind in _DATED_KINDS:
        main, history = texts.main, texts.history
        if _POSTPONED.search(texts.new):
            # "Namnbytet skjuts upp till efter årsskiftet; nytt datum är inte bestämt": the
            # old mail's date, in the quote or a reply's subject, no longer holds.
            history = ""
            if inherited_subject(subject):
                main = " " * len(subject) + main[len(subject) :]
            # "I oktober meddelade vi att X skulle byta namn den 1 december. Namnbytet skjuts
            # upp": what was told before is the old date, in the new text too.
            for told in sentences(main):
                if (
                    _TOLD_BEFORE.search(told.text)
                    and not _POSTPONED.search(told.text)
                    # ("inte 31 december som vi skrev i september, utan 31 mars 2028")
                    and not CONTRAST.search(told.text)
                ):
                    main = main[: told.start] + " " * (told.end - told.start) + main[told.end :]
        effective, date_evidence = effective_date(
            classification, main, history, form.startdatum if form else None, days_from
        )
    code, code_evidence = find_ansvarskod(
        texts.main, texts.history, form.ansvarskod if form else None
    )
    changes = (
        _changes(classification, texts, facts, form.startdatum if form else None, days_from)
        if classification.also and not classification.from_history
        else ()
    )
    if changes and changes[0].effective_date and changes[0].effective_date != effective:
        # The first change's own date is the message's ("Tuve och Säve slås samman 1 februari.
        # Backa byter namn 1 januari": the merge decides the kind, and its date).
        effective, date_evidence = changes[0].effective_date, changes[0].date_evidence
    elif (
        changes
        and changes[0].effective_date is None
        and effective is not None
        and effective in {c.effective_date for c in changes[1:]}
        and _DATE_TO_COME.search(_own_sentences(texts.main, classification, changes[0].kind))
    ):
        # "Backa Röd får nytt nummer från 1 december. Kärra byter namn i samband med
        # årsskiftet; exakt datum återkommer jag med": the rename has no day of its own.
        effective, date_evidence = None, None
    if (
        set(kinds) <= _CAPACITY
        and effective is not None
        and sent_on is not None
        and (sent_on - effective).days > _CAPACITY_NEWS_DAYS
    ):
        # "Kapacitetstaket nått 2025-02-01, ledig kapacitet från 2025-06-02" in a report
        # of last year: whether a unit can be chosen is news about now, not a year ago.
        classification = Classification("other", (), ("historik",), ())
        kinds = ("other",)
        effective = date_evidence = None
    merge = facts.merge
    return Understanding(
        sent_on=sent_on,
        kind=classification.kind,
        also=classification.also,
        kind_evidence=classification.evidence,
        unsure=classification.unsure,
        undecided=classification.undecided,
        queue_evidence=_queue_remains(texts.main) if "capacity_available" in kinds else None,
        given_fields=tuple(sorted(fields_in_mail(texts.new))) if form else (),
        units=tuple(as_the_sender_wrote(u, written) for u in facts.units),
        new_name=as_the_sender_wrote(facts.new_name, written) if facts.new_name else None,
        merge_remaining_stated=bool(merge and merge.remaining_stated),
        merge_remaining_unit=merge.remaining if merge else None,
        merge_renamed=merge.renamed if merge else None,
        merge_evidence=merge.evidence if merge else None,
        effective_date=effective,
        date_evidence=date_evidence,
        ansvarskod=code,
        ansvarskod_evidence=code_evidence,
        form=form,
        other_forms=other_forms,
        stray_form=stray_form,
        unreadable=tuple(unreadable),
        personal_data=personal,
        changes=changes,
    )


def _changes(
    classification: Classification,
    texts: _Texts,
    facts: _UnitFacts,
    form_start: str | None,
    sent_on: dt.date | None,
) -> tuple[Change, ...]:
    """Each kind of the message with the units named where it is said, and its own date.

    A unit belongs to a change when it is named in a sentence (or list item) that says
    that change; a change said of none of them is said of them all.
    """
    found = sentences(texts.main)
    mentions = find_unit_mentions(texts.main, companies=texts.companies)
    changes: list[Change] = []
    owns: list[str] = []  # each change's own sentences, the others blanked
    for kind in (classification.kind, *classification.also):
        spans = [
            (s.start, s.end)
            for cue in classification.cues
            if cue.kind == kind and (s := sentence_at(found, cue.start)) is not None
        ]
        # "... färre platser under perioden 1 mars – 30 april. Det innebär att vi är
        # fullbelagda under den perioden": the period named before is this change's time.
        spans += [
            (found[i - 1].start, found[i - 1].end)
            for i, s in enumerate(found)
            if i and (s.start, s.end) in spans and PERIOD_BEFORE.search(s.text)
        ]
        units = [
            u
            for u in facts.units
            if any(
                start <= m.start < end and same_unit(u, m.name)
                for m in mentions
                for start, end in spans
            )
        ] or list(facts.units)
        new_name = facts.new_name if kind in ("rename_unit", "merge_units") else None
        own_text = " ".join(texts.main[start:end] for start, end in spans)
        if kind == "rename_unit" and classification.kind != "rename_unit" and own_text:
            # Beside a merge or a closing, a rename's new name is the one said with it.
            new_name = rename_info(own_text).new or new_name
        if new_name:
            units = [u for u in units if not same_unit(u, new_name)] or units
        # The date said in this change's own sentences ("Hemtjänst Rödbo är fullbelagd.
        # ... sista dagen blir den 31 december": full now, closed then); the other
        # sentences are blanked, so the cues keep their places.
        own = "".join(
            ch if any(start <= i < end for start, end in spans) or ch == "\n" else " "
            for i, ch in enumerate(texts.main)
        )
        owns.append(own)
        date, evidence = None, None
        if kind in _DATED_KINDS:
            date, evidence = effective_date(
                replace(classification, kind=kind), own, "", None, sent_on, present=False
            )
        changes.append(
            Change(
                kind=kind,
                units=tuple(units),
                effective_date=date,
                new_name=new_name,
                date_evidence=evidence,
            )
        )
    # A change whose own sentences give no date takes the message's, unless that is the
    # date of another of its changes ("Norra läggs ned. Södra byter namn från 1 juli").
    taken = {c.effective_date for c in changes if c.effective_date}
    for i, change in enumerate(changes):
        if change.effective_date is None and change.kind in _DATED_KINDS:
            like = replace(classification, kind=change.kind)
            date, evidence = effective_date(like, texts.main, texts.history, form_start, sent_on)
            if date in taken and not _SAME_DAY.search(owns[i]):
                # Only another change's date, and not said to share it ("från samma dag"):
                # a state in the present is from today ("Rödbo är fullbelagd ... läggs ned
                # 31 december").
                date, evidence = effective_date(like, owns[i], "", None, sent_on)
                date = date if date not in taken else None
            changes[i] = change.model_copy(
                update={"effective_date": date, "date_evidence": evidence if date else None}
            )
    return tuple(changes)


# A change whose day is still to come: "Exakt datum återkommer jag med", "datumet är inte
# bestämt", "date to be confirmed".
_DATE_TO_COME = re.compile(
    r"(?<![\wåäö])(?:(?:exakt\s+|nytt\s+)?datum(?:et)?\s+(?:\S+\s+){0,3}?(?:återkommer|är\s+inte"
    r"\s+(?:\S+\s+)?(?:bestämt|klart|satt|spikat)|meddelar\s+(?:vi|jag)\s+senare|kommer\s+senare)"
    r"|återkommer\s+(?:\S+\s+){0,3}?(?:med\s+)?(?:exakt\s+|ett\s+)?datum"
    r"|date\s+(?:to\s+be\s+confirmed|is\s+not\s+(?:yet\s+)?(?:set|decided|known))|tbc)(?![\wåäö])",
    re.IGNORECASE,
)


def _own_sentences(main: str, classification: Classification, kind: Kind) -> str:
    """The sentences that say a change of ``kind``, and the sentence after each."""
    found = sentences(main)
    said: list[str] = []
    for cue in classification.cues:
        if cue.kind != kind or (at := sentence_at(found, cue.start)) is None:
            continue
        index = found.index(at)
        said.extend(s.text for s in found[index : index + 2])
    return " ".join(said)


_SAME_DAY = re.compile(
    r"(?<![\wåäö])(?:(?:från\s+)?samma\s+(?:dag|datum|tidpunkt)|samtidigt"
    # "i samband med det/flytten", not "i samband med årsskiftet" (a time of its own).
    r"|i\s+samband\s+med\s+(?:det|detta|den|denna|att|flytt\w*|namnbyt\w*|sammanslagning\w*"
    r"|stängning\w*|bytet|ändring\w*|övergång\w*)"
    r"|(?:from\s+|on\s+)?the\s+same\s+(?:day|date)|at\s+the\s+same\s+time)(?![\wåäö])",
    re.IGNORECASE,
)

# The words in front of a company the provider deals with rather than is.
_SUPPLIER = re.compile(
    r"(?<![\wåäö])(?:via|från|med|hos|genom|av|through|from|with|by)\s+$", re.IGNORECASE
)

_POSTPONED = re.compile(
    r"(?<![\wåäö])(?:skjuts\s+upp|sköts\s+upp|skjuter\s+(?:vi\s+)?upp|senareläggs|senarelägger"
    r"|(?:nytt|något\s+nytt)\s+datum\s+(?:är|har)\s+(?:ännu\s+|än\s+)?(?:inte|ej)"
    r"|datumet\s+är\s+(?:ännu\s+|än\s+)?(?:inte|ej)\s+(?:bestämt|klart|satt|spikat)"
    # "Exakt datum för övergången är inte bestämt än": the quote's day is another change's.
    r"|datum\s+(?:\S+\s+){0,4}?(?:är|blir)\s+(?:ännu\s+|än\s+)?(?:inte|ej)\s+(?:\w+\s+)?"
    r"(?:bestämt|klart|satt|spikat)"
    r"|(?:is|has\s+been)\s+postponed|new\s+date\s+(?:is\s+)?(?:not|tbd|to\s+be))",
    re.IGNORECASE,
)

_ANY_DAY = dt.date(2000, 1, 1)  # only whether a date is written, not which

# What the sender told before, in a clause of its own: "I oktober meddelade vi att ...",
# "we wrote in May that ..." (not "(inte 29 januari som jag skrev tidigare)", a date
# corrected beside the new one).
_TOLD_BEFORE = re.compile(
    r"(?<![\wåäö])(?:meddelade|meddelat|skrev|skrivit|informerade|informerat|aviserade|aviserat"
    r"|anmälde|anmält|told|wrote|informed|announced|notified)(?:\s+[\wåäö]+){0,4}?\s+(?:om\s+)?"
    r"(?:att|that)(?![\wåäö])",
    re.IGNORECASE,
)

_DISOWNED_FORM = re.compile(
    r"(?<![\wåäö])(?:(?:bortse\s+från|ignorera|strunta\s+i|glöm)\s+(?:[\wåäö]+\s+){0,3}"
    r"(?:blankett\w*|bilag\w*|formulär\w*|dokument\w*)"
    r"|(?:blankett\w*|bilagan)\s+(?:[\wåäö]+\s+){0,3}(?:är\s+(?:gammal|fel|inaktuell)|gäller\s+inte)"
    r"|ignore\s+the\s+(?:attached\s+|old\s+)*(?:form|attachment|document))",
    re.IGNORECASE,
)


# The quoted mail's date line: "Skickat: den 19 november 2026 10:02", "Date: ...".
_QUOTED_DATE_LINE = re.compile(
    r"^\s*>*\s*\*?(?:Skickat|Sent|Datum|Date)\s*:\s*(?P<date>.+)$", re.IGNORECASE | re.MULTILINE
)


def _quoted_on(quoted: str, sent_on: dt.date | None) -> dt.date | None:
    """The day the first quoted mail was written, when its header says so with a year, and
    it is not after the message's own day."""
    line = _QUOTED_DATE_LINE.search(quoted)
    if line is None or sent_on is None:
        return None
    found = [m for m in find_dates(line.group("date"), sent_on) if not m.yearless]
    if not found or found[0].value > sent_on:
        return None
    return found[0].value


def _says_itself(own: str, sent_on: dt.date | None) -> bool:
    """Whether a forward's own words state a change or give a date of their own."""
    return bool(statements(own) or find_dates(own, sent_on or _ANY_DAY))


# A meeting invitation from a calendar (Outlook, Google): its agenda names topics, not
# changes ("3. Matleveranser under helgerna").
_INVITATION = re.compile(
    r"^\s*(?:inbjudan|mötesinbjudan|uppdaterad\s+inbjudan|invitation|updated\s+invitation"
    r"|invitasjon|invitation\s+updated)\s*:",
    re.IGNORECASE,
)


def _cue_sentences(classification: Classification, main: str, kind: str) -> str:
    """The sentences of ``main`` that say the classification's cues of ``kind``."""
    if classification.from_history:
        return ""
    found = sentences(main)
    said = {
        (s.start, s.end)
        for c in classification.cues
        if c.kind == kind and c.end <= len(main) and (s := sentence_at(found, c.start))
    }
    return "\n".join(main[start:end] for start, end in sorted(said))


def _only_the_form(classification: Classification, form_kinds: Sequence[str], new: str) -> bool:
    """Whether the kind came from the form's boxes alone, and they say no more than that
    something changed: "Övriga ändringar" ticked, or nothing ticked under a bare text."""
    if not set(form_kinds) <= {"update_details"}:
        return False
    if classification.kind == "other":
        return not classification.evidence and len(new) <= _BARE_TEXT
    return all(e.startswith("blanketten: ") for e in classification.evidence)


# What a form's description can announce that "Övriga ändringar" does not say: a new
# unit's description describes the unit, so a start is the boxes' to say.
_DESCRIBED_KINDS = frozenset(
    {"close_unit", "rename_unit", "merge_units", "capacity_full", "capacity_available"}
)

_CAPACITY = frozenset({"capacity_full", "capacity_available"})
# A capacity state that began longer ago than this is history, not a notice.
_CAPACITY_NEWS_DAYS = 92

# Word files whose names say they are another document than the form.
_NOT_THE_FORM = re.compile(
    r"försäkring|forsakring|insurance|faktura|invoice|avtal|kontrakt|contract|protokoll"
    r"|minutes|intyg|certifikat|certificate|offert|policy|cv(?![a-zåäö])",
    re.IGNORECASE,
)

# A text this short says no more than "se bifogat".
_BARE_TEXT = 200
_NAME_PARTS = re.compile(r"[_+]+|(?<=\D)\.(?=\D)")


def _attachment_names(mail: ParsedMail) -> str:
    """The attachments' file names as words ("Avslut_DV_Tuve_Gard.pdf" → "Avslut DV Tuve
    Gard"), one per line; not the form's."""
    names = []
    for attachment in mail.attachments:
        if not attachment.filename or is_word_attachment(
            attachment.filename, attachment.content_type
        ):
            continue
        stem = attachment.filename.rsplit(".", 1)[0]
        names.append(_NAME_PARTS.sub(" ", stem).strip())
    return "\n".join(n for n in names if n)


def _stray_form(
    form: VerksamhetsForm | None,
    other_forms: tuple[VerksamhetsForm, ...],
    classification: Classification,
    subject: str,
    new: str,
) -> str | None:
    """The unit of the only form attached, when it is another unit than the one the
    mail starts or merges: "Daglig verksamhet Tuvevägen startar som ny enhet" with the
    form of Daglig verksamhet Kärra Centrum, named nowhere in the subject or text (the
    signature may name it: the manager has both)."""
    if form is None or other_forms or not form.enhetens_namn:
        return None
    if classification.kind not in ("new_unit", "merge_units"):
        return None
    if classification.kind == "merge_units":
        merge = merge_info(f"{subject}\n{new}")
        if merge.new_name is None and merge.remaining is None:
            # "Uppgifterna om den sammanslagna enheten står i bifogad blankett": the form
            # names the merged unit, which the text does not.
            return None
    # Only units named whole, with their type: "vår nya enhet i Kortedala" may be the
    # form's "Daglig verksamhet Kortedala Ateljé".
    named = [u for u in find_units(subject, new) if _UNIT_TYPE.search(u)]
    said = f"{subject}\n{new}".lower()
    theirs = form.enhetens_namn.lower()
    if (
        not named
        or _names_any(form, named)
        or core_name(form.enhetens_namn) in said
        or any(core_name(u) in theirs or theirs in u.lower() for u in named)
    ):
        return None
    return form.enhetens_namn


_UNIT_TYPE = re.compile(
    r"(?i:daglig\w*\s+verksamhet|dagverksamhet|hemtj[äa]nst|(?<![\wåäö])(?:DV|HT)(?![\wåäö]))"
)


def _names_any(form: VerksamhetsForm, units: list[str]) -> bool:
    return bool(form.enhetens_namn) and any(same_unit(form.enhetens_namn or "", u) for u in units)


def _bulk_reason(headers: Mapping[str, str]) -> str | None:
    """contract.md: newsletters and lists (List-Id, Precedence: bulk) are kind other."""
    if headers.get("list-id"):
        return "nyhetsbrev eller lista (List-Id)"
    if headers.get("precedence", "").strip().lower() in {"bulk", "list", "junk"}:
        return f"massutskick (Precedence: {headers['precedence'].strip().lower()})"
    return None


def _company_in_text(text: str, companies: Sequence[str]) -> list[str]:
    """The sender's company as the text writes it whole, without "AB"."""
    for company in companies:
        name = re.sub(r"[ \t]+(?:AB|Ab)$", "", company)
        if name == company or " " not in name:
            continue
        for written in (company, name):
            # ("Vi på Aktivitetshuset Ljuset AB": as the text writes it.)
            if re.search(rf"(?<![\wåäö]){re.escape(written)}(?![\wåäö])", text):
                return [written]
    return []


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
) -> tuple[VerksamhetsForm | None, tuple[VerksamhetsForm, ...], list[UnreadableAttachment]]:
    """The form, the forms of other units attached with it, and what could not be read."""
    forms: list[VerksamhetsForm] = []
    unreadable: list[UnreadableAttachment] = []
    for attachment in mail.attachments:
        if not is_word_attachment(attachment.filename, attachment.content_type):
            continue
        try:
            if attachment.set_aside:
                # parse_mail decodes every Word file that may be the form; one it set
                # aside is too large to be it, and is refused as read_form refuses it.
                refuse_oversized(attachment.size)
            found = read_form(attachment.data, attachment.filename)
        except FormUnreadable as err:
            if not _NOT_THE_FORM.search(attachment.filename or ""):
                # ("Försäkringsbrev Familjeomsorg.doc" is another document: that it cannot be
                # read as the form is no finding, contract.md's unreadable_attachment.)
                unreadable.append(
                    UnreadableAttachment(filename=attachment.filename, reason=str(err))
                )
            continue
        if found is not None:
            forms.append(found)
    form, others = _forms_by_unit(forms)
    return form, others, unreadable


def _forms_by_unit(
    forms: Sequence[VerksamhetsForm],
) -> tuple[VerksamhetsForm | None, tuple[VerksamhetsForm, ...]]:
    """The form, and one form for each other unit the forms name ("två nya enheter,
    blanketterna bifogade"). Of several forms for the same unit, or that name none, the
    most filled in counts: a cover letter or an old version must not hide it."""
    best: dict[str, VerksamhetsForm] = {}
    for form in forms:
        name = form.enhetens_namn or ""
        key = next((k for k in best if name and k and same_unit(k, name)), name)
        if key not in best or len(form.answers()) > len(best[key].answers()):
            best[key] = form
    if not best:
        return None, ()
    ranked = sorted(best.values(), key=lambda f: len(f.answers()), reverse=True)
    primary = ranked[0]
    if "" in best and primary.enhetens_namn:
        # A form that names no unit may be any of them: it does not stand beside the others.
        ranked = [f for f in ranked if f is not best[""]]
    # The others in the order they were attached.
    others = tuple(f for f in forms if f in ranked[1:] and f is not primary)
    return primary, others


def _units(
    classification: Classification, texts: _Texts, form: VerksamhetsForm | None
) -> _UnitFacts:
    """The units the message is about, the new name, and for a merge what remains."""
    kinds = (classification.kind, *classification.also)
    # The new text decides; the subject, signature and quoted thread fill gaps in turn.
    sources = [texts.new, texts.main, texts.history]
    if classification.kind == "merge_units":
        merge = next(
            (
                m
                for m in (merge_info(t, texts.companies) for t in sources if t)
                if m.units or m.new_name
            ),
            merge_info(texts.main, texts.companies),
        )
        units = list(merge.units)
        merged_name = merge.new_name
        table = next((rows for rows in (table_before_after(t) for t in sources if t) if rows), [])
        changed = [(b, a) for b, a in table if not same_unit(b, a)]
        if changed:
            # "Hemtjänst Hjällbo | Slås samman ... | Hemtjänst Lärjedalen", "Hemtjänst
            # Gårdsten | Ingen förändring | Hemtjänst Gårdsten": the rows that change are
            # the merge; the others go on as they are, and what they become is its name.
            afters = {a for _, a in changed}
            if merged_name is None and len(afters) == 1:
                merged_name = afters.pop()
            kept = [b for b, a in table if same_unit(b, a)]
            units = [
                u
                for u in units
                if not any(same_unit(u, k) for k in kept)
                and not (merged_name and same_unit(u, merged_name))
            ]
            units += [b for b, _ in changed if not any(same_unit(b, u) for u in units)]
        if len(units) < 2:
            # A merge joins two units at least: a reply that names only the one that
            # remains ("Det är Hemtjänst Eriksberg som finns kvar") takes the others from
            # its subject and the thread it answers.
            for text in sources[1:]:
                for unit in merge_info(text, texts.companies).units if text else ():
                    if not any(same_unit(unit, u) for u in units) and not (
                        merged_name and same_unit(unit, merged_name)
                    ):
                        units.append(unit)
                if len(units) >= 2:
                    break
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
                if _remains(core_name(form.enhetens_namn), texts.main):
                    # "Tuvegruppen går upp i Backa ... Backa behåller sitt namn" with Backa's
                    # form: the form's unit is the one that remains, not a new name.
                    units.append(form.enhetens_namn)
                    merge = replace(
                        merge,
                        remaining=form.enhetens_namn,
                        remaining_stated=True,
                        renamed=False if merge.renamed is None else merge.renamed,
                    )
                else:
                    merged_name = form.enhetens_namn
        return _UnitFacts(units, merged_name, merge)

    companies = texts.companies
    new_name: str | None = None
    info = None
    if "rename_unit" in kinds:
        # In a summary, the rename's own sentences first: "1. Bergsjön Östra bytte namn
        # till Rymdtorget i december 2025. ... Kortedala Nord byter namn till Kortedala
        # Kvibergsnäs från 1 februari 2027".
        own = (
            _cue_sentences(classification, texts.main, "rename_unit") if sums_up(texts.main) else ""
        )
        info = next(
            (r for r in (rename_info(t) for t in (own, *sources) if t) if r.new),
            rename_info(texts.main),
        )
        new_name = info.new
        if form and not new_name and form.tidigare_namn and form.enhetens_namn:
            new_name = form.enhetens_namn
    # The new text decides; the signature and the quoted thread fill the gap in turn. A
    # rename's new name is not the unit it is about.
    units = []
    for texts_here in ((texts.new, texts.subject), (texts.signature,), (texts.history,)):
        if texts_here == (texts.signature,) and classification.kind == "new_unit":
            # A unit that starts is not yet the sender's: "Verksamhetschef daglig
            # verksamhet Nordost" under "vi kommer att starta en ny daglig verksamhet" names
            # where the sender works now.
            continue
        if texts_here == (texts.signature,) and classification.kind in _DATED_KINDS:
            # "Vi på Kastanjegruppen har plats igen", "verksamheten på Tunnlandsgatan 8 är
            # full": the new text names its unit without a unit type, which the signature's
            # company does not outweigh.
            units = (
                units_we_are_at(texts.new, companies)
                or units_by_street(texts.new)
                # "Kvibergs Verkstad upphör ... /Kvibergs Verkstad AB, Kvibergs Park, hus 14":
                # the company named whole in the text is its unit, not a name in the
                # signature's address.
                or _company_in_text(texts.new, companies)
                # "har Ateljé Mångfald en ledig plats ... /Mångfald Daglig Verksamhet i
                # Göteborg AB": a name in the text that carries the company's own word.
                or [n for c in companies if " " in c for n in units_named_after(c, texts.new)][:1]
            )
            if units:
                break
        found = find_units(*texts_here, companies=companies)
        units = [u for u in found if not (new_name and same_unit(u, new_name))]
        if units:
            break
    if len(units) > 1 and not classification.from_history and not classification.also:
        # One change only: with several ("delas upp i två nya enheter: A, B. X upphör";
        # a list of units each full or free) each change has units of its own.
        # "Som vi skrev om gällande Hemtjänst Askim – den fortsätter. Nu gäller det
        # Hemtjänst Billdal, som stänger": the units the change is said of, when its
        # sentences name any; a unit named only around them is background.
        said = _units_said_with(texts.main, classification, companies)
        units = [u for u in units if any(same_unit(u, n) for n in said)] or units
    left_out = units_left_out(texts.main, companies)
    if left_out and classification.kind in _DATED_KINDS:
        # "alla våra enheter utom Livskraft Bagaregården kan ta emot nya": not that one.
        units = [u for u in units if not any(same_unit(u, x) for x in left_out)]
        if not units:
            # "Det betyder att Kviberg och Redbergslid kan bli valbara igen": the units the
            # change's own sentences name, bare.
            units = [
                name
                for s in sentences(texts.main)
                if any(s.start <= c.start < s.end for c in classification.cues)
                for name in bare_names(s.text)
                if not any(same_unit(name, x) or name in x.split() for x in left_out)
            ] or [
                u
                for u in _units_said_with(texts.main, classification, companies)
                if not any(same_unit(u, x) for x in left_out)
            ]
    if classification.kind in _DATED_KINDS and len(units) > 1:
        # "Silverringen läggs ned. Deltagarna flyttar till Guldringen, som fortsätter som
        # i dag": a unit the sender says goes on unchanged is not one that changes.
        going_on = [u for u in units if _continues(u, texts.main)]
        units = [u for u in units if u not in going_on] or units
    if classification.kind == "close_unit" and units:
        # "Brukarna flyttas till Hemtjänst Gamlestaden": the unit that takes over the
        # users goes on; it is not closed with the one that closes, even when it is the
        # only unit the mail names in full ("Gruppen på Vårvädersgatan läggs ner ...
        # flyttas till Hemtjänst Tynnered").
        receiving = [
            r
            for r in _receiving_units(texts.main, companies)
            if not _changes_itself(r, texts.main, classification)
        ]
        kept = [u for u in units if not any(same_unit(u, r) for r in receiving)]
        by_street = [] if kept else units_by_street(texts.main)
        if kept or by_street or len(units) == len(receiving):
            units = kept or by_street
    if not units and (classification.kind in _DATED_KINDS or classification.kind == "onboarding"):
        # A private provider may name only its company; for a change to a unit that is the
        # unit it means (a supplier named in an onboarding mail is not). An onboarding mail
        # is about the provider itself, which has no unit yet: its name is what there is.
        units = find_providers(texts.new, texts.subject, texts.signature)
        if units and classification.kind != "onboarding":
            # "... på Ateljé Tranan. /Tranan Konst & Form AB": the unit the mail names by
            # the company's own name, though with no unit type, is the one it means.
            named = units_named_after(units[0], f"{texts.subject}\n{texts.new}")
            units = named[:1] or units
        if classification.kind == "onboarding":
            # "matleverans via Dinners AB": a supplier the provider names is not itself.
            units = [u for u in units if not _SUPPLIER.search(texts.new.partition(u)[0])]
        by_domain = find_company_by_domain(
            texts.companies[-1] if texts.companies else "", texts.new
        )
        if not units and by_domain:
            units = [by_domain]
    if info is not None:
        old = info.old or (form.tidigare_namn if form else None)
        if new_name:
            # ("Hemma Omsorg" read at the end of the new name "Tryggt Hemma Omsorg" is part
            # of it; an old name may begin the new one, "X" → "X-Guldheden".)
            units = [
                u for u in units if not same_unit(u, new_name) and not new_name.endswith(f" {u}")
            ]
        # A table renames several units: none of their new names is a unit it is about.
        units = [u for u in units if not any(same_unit(u, n) for _, n in info.pairs)]
        if old and not any(same_unit(old, u) for u in units):
            units.insert(0, old)
    if not units and form and form.enhetens_namn:
        units = [form.enhetens_namn]
    elif (
        classification.kind == "new_unit"
        and form
        and form.enhetens_namn
        and "Ny enhet" in form.typ_av_andring
        # Compared whole: "Kustomsorg Hemtjänst Långedrag" is not "Vårdhuset Hemtjänst
        # Långedrag", though same_unit compares only the place.
        and form.enhetens_namn.casefold() not in {u.casefold() for u in units}
    ):
        # A new unit's form names it: "Kustomsorg AB har köpt Vårdhuset Hemtjänst
        # Långedrag ... vi har fyllt i blanketten som ny enhet" starts the form's unit.
        units.insert(0, form.enhetens_namn)
    return _UnitFacts(units, new_name)


# Where the users of a closing unit go: "brukarna flyttas till X", "deltagarna erbjuds
# plats på X", "tas över av X", "X tar över brukarna", "tar X över alla brukare".
_RECEIVES_BEFORE = re.compile(
    r"(?<![\wåäö])(?:flytt\w*|förs\s+över|överförs|övergår|erbjud\w*|hänvisa\w*|placera\w*"
    r"|plats|platser|över|moved?|transferr\w*|offered|places?)"
    r"(?:\s+[\wåäö]+){0,3}?\s+(?:till|på|hos|av|vid|to|at|by)\s+$",
    re.IGNORECASE,
)
_RECEIVES_AFTER = re.compile(
    r"\s+(?:tar\s+över|tar\s+emot|övertar|över\s+(?:\w+\s+)?(?:brukar|deltagar|kund)\w*"
    r"|takes?\s+over|will\s+take\s+over)",
    re.IGNORECASE,
)
_RECEIVES_REACH = 60

_GOES_ON = re.compile(
    r"[^.!?;\n]{0,30}?(?<![\wåäö])(?:fortsätter|finns\s+kvar|är\s+kvar|blir\s+kvar"
    r"|påverkas\s+inte|berörs\s+inte|oförändra[dt]\w*|ingen\s+(?:för)?ändring"
    r"|som\s+vanligt|som\s+i\s+dag|som\s+idag"
    r"|continues|carries\s+on|unaffected|not\s+affected|stays\s+open|remains\s+open)"
    r"(?![\wåäö])",
    re.IGNORECASE,
)


# "det gäller Hemtjänst Askim, inte Hovås", "avser DV Ek och inte DV Ask".
_CORRECTION = re.compile(
    r"(?<![\wåäö])(?:gäller|avser)\s+(?P<right>[^,.;\n]{3,60}?)\s*,?\s+(?:och\s+)?(?:inte|ej)\s+"
    r"(?P<wrong>[A-ZÅÄÖ][\wåäö\-]+(?:\s+[A-ZÅÄÖ][\wåäö\-]+){0,3})",
)


def _corrected_unit(text: str, companies: tuple[str, ...]) -> tuple[str, str] | None:
    """The unit a sender corrects to, and the name it corrects: "det gäller X, inte Y"."""
    for match in _CORRECTION.finditer(text):
        right = find_units(match.group("right"), companies=companies)
        if right:
            wrong = match.group("wrong").split()[-1]
            return right[0], wrong
    return None


def _remains(name: str, text: str) -> bool:
    """Whether the text says the unit called ``name`` (its proper name) is the one a
    merge leaves: "Backa behåller sitt namn", "går upp i Backa", "Backa blir kvar"."""
    if len(name) < 3:
        return False
    word = re.escape(name)
    return bool(
        re.search(
            rf"(?<![\wåäö]){word}\s+(?:behåller\s+(?:sitt\s+)?namn\w*|blir\s+kvar|finns\s+kvar"
            rf"|är\s+kvar|kvarstår)|(?:går\s+upp\s+i|uppgår\s+i|införlivas\s+(?:i|med))\s+"
            rf"(?:\S+\s+){{0,3}}?{word}(?![\wåäö])",
            text,
            re.IGNORECASE,
        )
    )


def _continues(unit: str, text: str) -> bool:
    """Whether the text says of ``unit`` (by its proper name) that it goes on unchanged."""
    name = core_name(unit)
    if len(name) < 3:
        return False
    return any(
        _GOES_ON.match(text, at.end())
        for at in re.finditer(rf"(?<![\wåäö]){re.escape(name)}(?![\wåäö])", text, re.IGNORECASE)
    )


# A sentence that adds a unit to the change said before: "Det gäller även Hemtjänst B."
_ALSO = re.compile(
    r"(?<![\wåäö])(?:även|också|likaså|dessutom|samma\s+(?:dag|datum)|both|also|as\s+well)(?![\wåäö])",
    re.IGNORECASE,
)


def _units_said_with(
    main: str, classification: Classification, companies: tuple[str, ...]
) -> list[str]:
    """Units named in the sentences that state the message's change."""
    found = sentences(main)
    spans = {
        (s.start, _with_list(main, s))
        for cue in classification.cues
        if (s := sentence_at(found, cue.start)) is not None
    } | {(s.start, s.end) for s in found if _ALSO.search(s.text)}
    return [
        m.name
        for m in find_unit_mentions(main, companies=companies)
        if any(start <= m.start < end for start, end in spans)
    ]


def _with_list(text: str, sentence: Sentence) -> int:
    """Where a sentence ends, with the list it announces: "tre av våra hemtjänstgrupper
    får nya telefonnummer:" goes on over the lines below it, to a blank line."""
    if not sentence.text.rstrip().endswith(":"):
        return sentence.end
    blank = text.find("\n\n", sentence.end + 1)
    return len(text) if blank < 0 else blank


# "... flyttar till DV Hammarkullen Verkstad, som därmed blir fullbelagd": the words between
# a unit and a change of its own.
_OWN_CHANGE_GAP = re.compile(r"\s*,?\s*(?:som|which)\s+(?:\S+\s+){0,3}?", re.IGNORECASE)


def _changes_itself(unit: str, text: str, classification: Classification) -> bool:
    """A unit that takes over a closing unit's users but has a change of its own."""
    at = text.find(unit)
    return at >= 0 and any(
        c.kind != "close_unit"
        and c.kind in classification.also
        and _OWN_CHANGE_GAP.fullmatch(text, at + len(unit), c.start)
        for c in classification.cues
    )


def _receiving_units(text: str, companies: tuple[str, ...]) -> list[str]:
    """Units named only as where a closing unit's users go."""
    receiving: list[str] = []
    named_otherwise: list[str] = []
    for mention in find_unit_mentions(text, companies=companies):
        before = text[max(0, mention.start - _RECEIVES_REACH) : mention.start]
        if _RECEIVES_BEFORE.search(before) or _RECEIVES_AFTER.match(text, mention.end):
            receiving.append(mention.name)
        else:
            named_otherwise.append(mention.name)
    return [r for r in receiving if not any(same_unit(r, n) for n in named_otherwise)]


# A sentence about the queue that denies it: "ingen kö", "ingen står i kö", "kön är tom",
# "nobody is waiting", "no waiting list".
_NO_QUEUE = re.compile(
    r"(?<![\wåäö])(?:ingen|inga|inte|ej|utan|no|not|nobody|none|without|tom|tomt|slut|empty)"
    r"(?![\wåäö])",
    re.IGNORECASE,
)


_QUEUE_REACH = 60
_NOT_EMPTY = re.compile(r"(?:inte|ej|not)\s+(?:tom|tomt|slut|empty)", re.IGNORECASE)
_CLAUSE_SPLIT = re.compile(r"[,;]|\s(?:och|men|så|and|but)\s", re.IGNORECASE)


def _queue_remains(text: str) -> str | None:
    """The sentence saying that a waiting list remains, if the mail says so.

    A denial close to the queue word ("ingen står i kö", "kön är tom") says there is none.
    """
    for sentence in sentences(text):
        for queue in QUEUE.finditer(sentence.text):
            before = _CLAUSE_SPLIT.split(sentence.text[max(0, queue.start() - 40) : queue.start()])
            # The queue's own clause: "Kön till Daglig verksamhet Backaplan är nu tom".
            after = _CLAUSE_SPLIT.split(sentence.text[queue.end() : queue.end() + _QUEUE_REACH])
            near = f"{before[-1]} {queue.group(0)} {after[0]}"
            # "kön är inte tom" denies the denial: the queue remains.
            if _NOT_EMPTY.search(near) or not _NO_QUEUE.search(near):
                return sentence.text.strip()
    return None


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
    # The other units' forms, a later one replacing an earlier one of the same unit.
    other_forms: list[VerksamhetsForm] = []
    for other in (*later.other_forms, *first.other_forms, first.form):
        name = other.enhetens_namn if other else None
        if other is None or other is form or not name:
            continue
        if not any(
            f.enhetens_namn and same_unit(f.enhetens_namn, name) for f in other_forms
        ) and not (form and form.enhetens_namn and same_unit(form.enhetens_namn, name)):
            other_forms.append(other)
    # An unreadable attachment stops mattering once a readable form has arrived.
    unreadable = () if form is not None else (*first.unreadable, *later.unreadable)
    return Understanding(
        sent_on=first.sent_on or later.sent_on,
        kind=kind,
        also=also,
        kind_evidence=tuple(dict.fromkeys((*first.kind_evidence, *later.kind_evidence))),
        unsure=_merged_unsure(first, later),
        # A follow-up that states the change settles that it was only weighed.
        undecided=later.undecided if later.kind != "other" else first.undecided,
        queue_evidence=later.queue_evidence if later.kind != "other" else first.queue_evidence,
        given_fields=tuple(sorted({*first.given_fields, *later.given_fields})),
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
        other_forms=tuple(other_forms),
        unreadable=tuple(unreadable),
        personal_data=tuple(dict.fromkeys((*first.personal_data, *later.personal_data))),
        changes=_merged_changes(first, later, (kind, *also)),
    )


def _merged_changes(
    first: Understanding, later: Understanding, kinds: tuple[Kind, ...]
) -> tuple[Change, ...]:
    """The later message's breakdown when it gives one, else the first's while the kinds
    are still the same; a date a change lacked is the one the follow-up gives."""
    for changes in (later.changes, first.changes):
        if changes and {c.kind for c in changes} == set(kinds):
            filled = later.effective_date
            return tuple(
                c
                if c.effective_date or filled is None
                else c.model_copy(update={"effective_date": filled})
                for c in changes
            )
    return ()
