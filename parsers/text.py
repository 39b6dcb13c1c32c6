"""Readable text out of a mail body: HTML to text, new text versus quoted history and signature.

A reply carries the whole thread below it; only the new text decides what the sender
says now (the quoted part may fill gaps). Swedish Outlook, Gmail and Apple Mail each quote
in their own way, hence the list of patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = [
    "BodyParts",
    "case_numbers",
    "clean_header",
    "clean_subject",
    "html_to_text",
    "split_body",
]

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "ul",
        "ol",
        "blockquote",
        "hr",
        "pre",
        "section",
        "article",
    ]
)
_SKIP_TAGS = frozenset({"script", "style", "head", "title"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.size = 0  # characters in parts
        self._skip = 0
        self._quote = 0
        # Table cells: a row is one line with its cells apart ("Hemtjänst Lundby Östra |
        # Hemtjänst Lindholmen | 2026-12-01"), whatever blocks a cell holds; two names in
        # neighbouring cells must not read as one.
        self._cell = 0  # depth of open td/th
        self._cells_in_row = 0
        self._row_from = 0  # where the row's text begins in parts
        self._first_cell_th = False
        # Whether the last part that is not blank ended a line. Kept as state, not looked
        # up backwards, so that a table of empty cells costs linear time.
        self._line_ended = True

    def _cell_separator(self, tag: str) -> str:
        """' | ' between a row's cells; a label and its value ("<th>Datum</th><td>1 maj",
        "Enhet:" then "DV Ek") read as one line of text, "Datum 1 maj"."""
        if self._cells_in_row == 0:
            self._first_cell_th = tag == "th"
            return " "
        if self._cells_in_row == 1:
            label = "".join(self.parts[self._row_from :]).rstrip()
            if (self._first_cell_th and tag == "td") or label.endswith(":"):
                return " "
        return " | "

    def _append(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        # Whitespace between tags is source formatting; &nbsp; is content.
        if text.strip(" \t"):
            self._line_ended = text.endswith("\n")

    def _at_line_start(self) -> bool:
        return self._line_ended

    def _line_break(self) -> None:
        # A block starts a new line but adds no blank one: Outlook writes every line as a
        # <p>, and an empty <p>&nbsp;</p> is the blank line its user typed.
        if not self._at_line_start():
            self._append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self._append(self._cell_separator(tag))
            self._cells_in_row += 1
            self._cell += 1
        elif tag in _SKIP_TAGS:
            self._skip += 1
        elif self._cell and tag in _BLOCK_TAGS and tag not in ("table", "tr"):
            self._append(" ")  # a paragraph or line break inside a cell
        elif tag == "br":
            self._append("\n")
        elif tag in _BLOCK_TAGS:
            self._line_break()
        if tag == "tr":
            self._cells_in_row = 0
            self._row_from = len(self.parts)
        if tag == "blockquote":
            self._quote += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._cell = max(0, self._cell - 1)
        elif tag in _SKIP_TAGS and self._skip:
            self._skip -= 1
        elif self._cell and tag in _BLOCK_TAGS and tag not in ("table", "tr"):
            self._append(" ")
        elif tag in _BLOCK_TAGS and tag != "br":
            self._line_break()
        if tag in ("tr", "table"):
            self._cell = 0
            self._cells_in_row = 0
        if tag == "blockquote" and self._quote:
            self._quote -= 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        # Source line breaks inside a paragraph are just spaces in HTML.
        # Keep &nbsp; for now: an empty paragraph holding one is a blank line.
        text = re.sub(r"[ \t\r\n]*\n[ \t\r\n]*", " ", data)
        # Keep HTML quotes recognisable to split_body, as plain-text mail shows them.
        if self._quote and text.strip(" \t") and self._at_line_start():
            text = "> " + text.lstrip(" \t")
        self._append(text)


# HTML is fed in pieces of this size, so that reading can stop once enough text is out.
_FEED_CHUNK = 65_536


def html_to_text(html: str, *, max_chars: int | None = None) -> str:
    """Turn an HTML body into plain lines, one block element per line.

    With ``max_chars``, only the start of the text, as far as a person reads it: the HTML
    after it is not parsed at all.
    """
    parser = _TextExtractor()
    for start in range(0, len(html), _FEED_CHUNK):
        parser.feed(html[start : start + _FEED_CHUNK])
        if max_chars is not None and parser.size > max_chars:
            break
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()[:max_chars]


# A line where the quoted history begins (everything from it on is history).
_QUOTE_START = re.compile(
    r"""^\s*(?:
        -{2,}\s*(?:Ursprungligt\s+meddelande|Original\s+Message|Vidarebefordrat\s+meddelande
            |Forwarded\s+message|Originalmeddelande|Ursprungligt\s+e-?post\w*)\s*-{2,}
      | (?:Början\s+av\s+vidarebefordrat\s+meddelande|Begin\s+forwarded\s+message)\s*:
      | _{10,}
      | (?:Den|On|Am|Le)\s.{4,160}\s(?:skrev|wrote|schrieb|a\s+écrit)\s*.{0,80}:\s*
      | \S.{0,120}\s(?:skrev|wrote)\s*:\s*
      | \d{1,4}[\s./-]\S.{0,60}\s(?:skrev|wrote)\s.{1,120}:\s*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Apple Mail and Gmail wrap a long "Den ... skrev ...:" line; the two halves are joined.
_QUOTE_INTRO = re.compile(r"^\s*(?:Den|On|Am|Le)\s", re.IGNORECASE)
# Outlook's header block: "Från:" followed within a few lines by "Skickat:"/"Datum:"/"Sent:".
_HEADER_FROM = re.compile(r"^\s*>?\s*\*?(?:Från|From|Von)\s*:\*?", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\s*>?\s*\*?(?:Skickat|Datum|Sent|Date|Gesendet|Till|To|Ämne|Subject)\s*:", re.IGNORECASE
)
# Where a signature or disclaimer begins within the new text. Disclaimers are matched on
# their typical wording only: "Detta mejl gäller nedläggningen ..." is a message, not one.
_SIGNATURE_START = re.compile(
    r"""^\s*(?:
        --\s*
      | (?:med\s+)?(?:vänlig(?:a)?|bästa|varma|glada)\s+hälsning(?:ar)?\b.*
      | mvh\b.*
      | vh\b[\s,]*\S*
      | hälsning(?:ar)?\b.*
      | (?:best|kind|warm)\s+(?:regards|wishes)\b.*
      | (?:med\s+)?(?:vennlig|venlig|vennligst)(?:e|ste)?\s+hilsen?\b.*
      | (?:mange\s+)?hilsen?\b.*
      | (?:ystävällisin\s+)?terveisin\b.*
      | (?:mit\s+)?(?:freundliche[nr]?|viele|beste|liebe)\s+grü(?:ß|ss)en?\b.*
      | (?:bien\s+)?cordialement\b.*
      | regards\b.*
      | (?:yours\s+)?sincerely\b.*
      | /\s?[A-ZÅÄÖ][\wåäö]*(?:\s+[A-ZÅÄÖ][\wåäö]*)?\s*
      | (?:detta|det\s+här)\s+e-?(?:post)?(?:meddelande|brev|mejl|mail)\b.{0,60}?
            (?:kan\s+innehålla|innehåller|är\s+(?:avsett|endast|konfidentiell|sekretess)).*
      | this\s+e-?mail\b.{0,60}?(?:may\s+contain|contains|is\s+(?:intended|confidential)).*
      | när\s+du\s+(?:skickar|har\s+kontakt).{0,40}(?:e-?post|mejl|mail).*
      | (?:tänk\s+på\s+miljön|please\s+consider\s+the\s+environment).*
      | (?:skickat|sänt)\s+från\s+(?:min|outlook|mail)\b.*
      | hämta\s+outlook\s+för.*
      | sent\s+from\s+(?:my|outlook|mail)\b.*
      | get\s+outlook\s+for.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


# A thanks or a wish that ends many mails ("Tack!", "Tack på förhand", "Ha en fin helg",
# "Thanks,") but may as well start a paragraph: a sign-off only when no more than a few
# short lines (a name, a title, a phone number) follow it.
_CLOSING = re.compile(
    r"""^\s*(?:
        tack(?:\s+(?:på\s+förhand|så\s+mycket|för\s+(?:hjälpen|mig|nu)))?
      | (?:ha\s+en\s+)?(?:fin|trevlig|god|skön)\s+(?:dag|helg|jul|kväll|fortsättning)
      | allt\s+gott | ha\s+det\s+(?:bra|gott|fint)
      # Greetings of the season: "God jul i förväg!", "Gott nytt år", "Glad påsk".
      | (?:god\s+jul|gott\s+nytt\s+år|glad\s+påsk|trevlig\s+sommar|glad\s+midsommar)
        (?:\s+(?:i\s+förväg|och\s+gott\s+nytt\s+år|önskar\s+\w+))?
      | (?:merry\s+christmas|happy\s+(?:new\s+year|holidays|easter))
      | thanks?(?:\s+(?:you|in\s+advance|again))? | many\s+thanks | cheers | all\s+the\s+best
      | takk | tak | kiitos | danke | merci
    )\s*[!,.]*\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_CLOSING_TAIL = 6  # lines: a name, a title, a unit, a phone number, an address


def _only_names(rest: list[str]) -> bool:
    """What follows a sign-off is a signature: a few short lines, none a sentence."""
    lines = [line.strip() for line in rest if line.strip()]
    return 0 < len(lines) <= _CLOSING_TAIL and all(
        len(line) <= 60 and not re.search(r"[.!?]\s+\S", line) for line in lines
    )


@dataclass(frozen=True, slots=True)
class BodyParts:
    """A body split as a reader sees it."""

    new: str
    signature: str
    quoted: str


def split_body(text: str) -> BodyParts:
    """Separate the sender's new words from the signature and the quoted history."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _history_start(lines)
    head, quoted = lines[:cut], lines[cut:]
    below = _answered_below(quoted)
    if below is not None:
        # Bottom-posted or answered between the quoted lines ("Den ... skrev LOV:" then
        # "> ..." then the answer): what is written outside the quote marks is new.
        head = [*head, *(line for line in quoted[1:] if not line.lstrip().startswith(">"))]
        quoted = [quoted[0], *below]
    sig_at = len(head)
    for i, line in enumerate(head):
        if i > 0 and _DISCLAIMER.match(line) and _greeting_after(head, i):
            # A notice above the message ("Detta e-postmeddelande kan innehålla ...",
            # then "Hej,"): not where the signature begins.
            continue
        if i > 0 and (
            _SIGNATURE_START.match(line) or (_CLOSING.match(line) and _only_names(head[i + 1 :]))
        ):
            sig_at = i
            break
    disclaimer_end = _disclaimer_end(head[:sig_at])
    head = [*head[disclaimer_end:sig_at], *head[sig_at:]]
    sig_at -= disclaimer_end
    new = [line for line in head[:sig_at] if not line.lstrip().startswith(">")]
    # Lines quoted between the answers are history too, so they may still fill a gap.
    inline = [line for line in head[:sig_at] if line.lstrip().startswith(">")]
    return BodyParts(
        new="\n".join(new).strip(),
        signature="\n".join(head[sig_at:]).strip(),
        quoted="\n".join([*inline, *quoted]).strip(),
    )


_DISCLAIMER = re.compile(
    r"""^\s*(?:(?:detta|det\s+här)\s+e-?(?:post)?(?:meddelande|brev|mejl|mail)\b
      | this\s+e-?mail\b | konfidentialitet | confidentiality | sekretess\w* | disclaimer)""",
    re.IGNORECASE | re.VERBOSE,
)
_GREETING = re.compile(
    r"^\s*(?:hej|hejsan|hallå|god\s+(?:morgon|dag|eftermiddag)|hello|hi|dear|till\s+\w+)\b",
    re.IGNORECASE,
)


def _greeting_after(lines: list[str], i: int) -> bool:
    return any(_GREETING.match(line) for line in lines[i + 1 :])


def _disclaimer_end(lines: list[str]) -> int:
    """Where the message begins after a notice above it: at its greeting, else 0."""
    for i, line in enumerate(lines):
        if _DISCLAIMER.match(line):
            greeting = next(
                (j for j in range(i + 1, len(lines)) if _GREETING.match(lines[j])), None
            )
            return greeting if greeting is not None else 0
        if line.strip() and i > 1:
            return 0
    return 0


def _answered_below(quoted: list[str]) -> list[str] | None:
    """The quoted lines of a history that starts with "Den ... skrev X:" and "> ..." and
    has the sender's own lines after or between them; None when nothing is written
    outside the quote marks (a reply written above the quote)."""
    if not quoted or not _WROTE.match(quoted[0]):
        return None
    rest = quoted[1:]
    first = next((line for line in rest if line.strip()), "")
    if not first.lstrip().startswith(">"):
        return None
    own = [line for line in rest if line.strip() and not line.lstrip().startswith(">")]
    if not own or _QUOTE_START.match(own[0]) or _HEADER_FROM.match(own[0]):
        return None
    return [line for line in rest if line.lstrip().startswith(">")]


# "Den 2026-10-09 kl. 11:02, skrev LOV:", "On Mon, ... wrote:": a quote that marks its lines.
_WROTE = re.compile(r"^\s*\S.{0,200}\s(?:skrev|wrote|schrieb)\b.{0,80}:\s*$", re.IGNORECASE)


def _history_start(lines: list[str]) -> int:
    """The index of the first line of quoted history, or len(lines) if there is none."""
    for i, line in enumerate(lines):
        if line.lstrip().startswith(">") and _quoted_from_here(lines, i):
            return i
        if _QUOTE_START.match(line):
            return i
        if (
            _QUOTE_INTRO.match(line)
            and i + 1 < len(lines)
            and _QUOTE_START.match(f"{line} {lines[i + 1].strip()}")
        ):
            return i
        if _HEADER_FROM.match(line) and any(_HEADER_NEXT.match(n) for n in lines[i + 1 : i + 5]):
            return i
    return len(lines)


def _quoted_from_here(lines: list[str], i: int) -> bool:
    """A '>' line starts the history when only a sign-off follows the quotes.

    Otherwise the sender answers between the quoted lines, and those answers are new text.
    """
    rest = [line.strip() for line in lines[i:] if line.strip()]
    unquoted = [line for line in rest if not line.startswith(">")]
    if unquoted and _SIGNATURE_START.match(unquoted[0]):
        return True
    return len(unquoted) <= 2 and all(_SIGN_OFF.match(line) for line in unquoted)


# A name, perhaps with a title, as people sign below a quote ("Karin", "/Anna Lind,
# enhetschef"); an answer ("Det blir 1 maj.") is a sentence.
_SIGN_OFF = re.compile(
    r"^/?\s*[A-ZÅÄÖ][\wåäö\-]*(?:\s+[A-ZÅÄÖ][\wåäö\-]*){0,2}(?:\s*,\s*[\wåäö ]{1,30})?$"
)


# Reply and forward prefixes, stacked, and the tags mail gateways put in front of them
# ("[EXTERN]" marks mail from outside the city's network).
_PREFIX = re.compile(
    r"^\s*(?:(?:SV|VB|RE|FW|FWD|AW|WG|VS|TR|ANTW|SVAR|Vidarebefordra)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*"
    r"|\[(?:EXTERN(?:AL|T)?|EXT|SPAM\??|SUSPECTED\s+SPAM)\]\s*)+",
    re.IGNORECASE,
)
_CASE_NUMBER = re.compile(r"\bLOV-(\d{4})-(\d{4,})\b", re.IGNORECASE)


def clean_header(value: str | None) -> str:
    """A header value safe to reuse: no CR, LF or other control characters, single spaces."""
    if not value:
        return ""
    return " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", value).split())


def clean_subject(subject: str | None) -> str:
    """The subject without stacked reply and forward prefixes (SV: VB: RE: FW: Fwd: AW: ...)."""
    return _PREFIX.sub("", clean_header(subject)).strip()


def case_numbers(text: str) -> list[str]:
    """Case numbers such as LOV-2027-0012 mentioned in a subject or text, normalised."""
    return [f"LOV-{y}-{n}" for y, n in _CASE_NUMBER.findall(text or "")]
