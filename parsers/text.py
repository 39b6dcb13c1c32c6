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
        self._skip = 0
        self._quote = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "blockquote":
            self._quote += 1
        if tag == "td":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self._skip:
            self._skip -= 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "blockquote" and self._quote:
            self._quote -= 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        text = data.replace("\xa0", " ")
        if self._quote:
            # Keep HTML quotes recognisable to split_body, as plain-text mail shows them.
            text = "\n".join("> " + line for line in text.split("\n"))
        self.parts.append(text)


def html_to_text(html: str) -> str:
    """Turn an HTML body into plain lines, one block element per line."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


# A line where the quoted history begins (everything from it on is history).
_QUOTE_START = re.compile(
    r"""^\s*(?:
        -{2,}\s*(?:Ursprungligt\s+meddelande|Original\s+Message|Vidarebefordrat\s+meddelande
            |Forwarded\s+message|Originalmeddelande)\s*-{2,}
      | _{10,}
      | (?:Den|On|Am|Le)\s.{4,120}\s(?:skrev|wrote|schrieb|a\s+écrit)\s*.{0,80}:\s*
      | \S.{0,120}\s(?:skrev|wrote)\s*:\s*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Outlook's header block: "Från:" followed within a few lines by "Skickat:"/"Datum:"/"Sent:".
_HEADER_FROM = re.compile(r"^\s*>?\s*\*?(?:Från|From|Von)\s*:\*?", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\s*>?\s*\*?(?:Skickat|Datum|Sent|Date|Gesendet|Till|To|Ämne|Subject)\s*:", re.IGNORECASE
)
# Where a signature or disclaimer begins within the new text.
_SIGNATURE_START = re.compile(
    r"""^\s*(?:
        --\s*
      | (?:med\s+)?(?:vänlig(?:a)?|bästa|varma)\s+hälsning(?:ar)?\b.*
      | mvh\b.*
      | hälsningar\b.*
      | (?:best|kind|warm)\s+regards\b.*
      | regards\b.*
      | (?:detta|det\s+här)\s+e-?(?:post)?(?:meddelande|brev|mejl)\s.*
      | this\s+e-?mail\s.*
      | skickat\s+från\s+min\s.*
      | sent\s+from\s+my\s.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
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
    cut = len(lines)
    for i, line in enumerate(lines):
        if line.lstrip().startswith(">") and _quoted_from_here(lines, i):
            cut = i
            break
        if _QUOTE_START.match(line):
            cut = i
            break
        if _HEADER_FROM.match(line) and any(_HEADER_NEXT.match(n) for n in lines[i + 1 : i + 5]):
            cut = i
            break
    head, quoted = lines[:cut], lines[cut:]
    sig_at = len(head)
    for i, line in enumerate(head):
        if i > 0 and _SIGNATURE_START.match(line):
            sig_at = i
            break
    new = "\n".join(line for line in head[:sig_at] if not line.lstrip().startswith(">"))
    return BodyParts(
        new=new.strip(),
        signature="\n".join(head[sig_at:]).strip(),
        quoted="\n".join(quoted).strip(),
    )


def _quoted_from_here(lines: list[str], i: int) -> bool:
    """A '>' line starts the history when nothing but quotes and blanks follow it."""
    rest = [line for line in lines[i:] if line.strip()]
    unquoted = [line for line in rest if not line.lstrip().startswith(">")]
    return len(unquoted) <= 2


_PREFIX = re.compile(
    r"^\s*(?:(?:SV|VB|RE|FW|FWD|AW|WG|VS|TR|ANTW|SVAR|VS|Vidarebefordra)\s*(?:\[\d+\])?\s*[:：]\s*)+",
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
