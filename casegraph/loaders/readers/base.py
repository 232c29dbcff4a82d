"""What every reader shares: the reader signature, a document's hash, and the first
guesses about it (title, publication date, news or report).

These guesses are made from the text a reader built, so plain text, PDF and Word
files are judged the same way; a reader with better metadata (a web page's or a
record's own date) gives that instead.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime

from casegraph.schema.record import Document

__all__ = [
    "TITLE_MAX",
    "Reader",
    "find_published",
    "first_line",
    "title_of",
    "guess_kind",
    "one_line",
    "quiet_logger",
    "sha256",
    "strip_date_label",
    "to_iso",
]

Reader = Callable[[str, bytes], Document]
"""A reader takes the path as given (for messages) and the raw bytes."""

TITLE_MAX = 200


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def one_line(value: object, limit: int = 160) -> str:
    """Squash an exception message to one short line for a user-facing reason."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def first_line(text: str) -> str:
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return line[:TITLE_MAX].rstrip()
    return ""


def title_of(title: str | None, text: str) -> str:
    """The document's own title, else its first line, cut to TITLE_MAX."""
    return (title or first_line(text))[:TITLE_MAX].rstrip()


# --------------------------------------------------------------------------- dates

_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_FORMS = [
    re.compile(r"(?P<year>\d{4})[-/](?P<mon>\d{1,2})[-/](?P<day>\d{1,2})(?!\d)"),
    re.compile(
        rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I
    ),
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(rf"{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I),
    # UK order: 29/06/2022.
    re.compile(r"(?P<day>\d{1,2})[/.](?P<mon>\d{1,2})[/.](?P<year>\d{4})\b"),
]
# Labels that introduce a publication date; "Date of birth" etc. do not match because
# a date must follow the label directly.
_PUBLISHED_LINE = re.compile(
    r"^[\s>#*_|-]*(?:first\s+)?"
    r"(?:date\s+of\s+(?:report|publication)|date\s+published|publication\s+date|report\s+date"
    r"|published(?:\s+on)?|posted(?:\s+on)?|date)"
    r"[\s:*_|–—-]*",
    re.I,
)
_PARTIAL_ISO = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def _parse_date(text: str) -> str | None:
    """The date at the start of ``text`` as YYYY-MM-DD, or YYYY-MM when no day is given."""
    text = text.strip()
    for form in _DATE_FORMS:
        m = form.match(text)
        if not m:
            continue
        parts = m.groupdict()
        year = int(parts["year"])
        month = _MONTHS[parts["month"][:3].lower()] if parts.get("month") else int(parts["mon"])
        if not 1900 <= year <= 2100:
            return None
        if parts.get("day") is None:
            return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
        try:
            return date(year, month, int(parts["day"])).isoformat()
        except ValueError:
            return None
    return None


def find_published(text: str) -> str | None:
    """Publication date from a labelled line near the top ("Posted: 29th June 2022").

    Looks at the first 40 lines only: a date further down is about the case, not
    the document. Returns ISO ``YYYY-MM-DD``, or ``YYYY-MM`` for "January 2016".
    """
    for line in text.split("\n", 40)[:40]:
        m = _PUBLISHED_LINE.match(line)
        if m:
            found = _parse_date(line[m.end() :])
            if found:
                return found
    return None


def strip_date_label(line: str) -> str:
    """A title line like "date 2022-06-27 Some headline" minus its date label."""
    m = _PUBLISHED_LINE.match(line)
    if not m:
        return line
    rest = line[m.end() :]
    for form in _DATE_FORMS:
        d = form.match(rest)
        if d:
            return rest[d.end() :].strip(" \t:|–—-")
    return line


def to_iso(value: object) -> str | None:
    """A date from YAML/HTML metadata (date object, ISO string or prose) as ISO text."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and 1900 <= value <= 2100:
        return str(value)
    if isinstance(value, str):
        value = value.strip()
        if _PARTIAL_ISO.match(value):
            return value
        return _parse_date(value)
    return None


# --------------------------------------------------------------------------- kind

_NUMBERED_PARA = re.compile(r"^[ \t]*(?:-[ \t]+)?\d{1,2}\.\d{1,3}\.?[ \t]+\S", re.M)
_RECS_HEADING = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\d{1,2}\.?[ \t]+)?(?:key[ \t]+)?recommendations?[ \t]*:?[ \t]*$",
    re.I | re.M,
)
REPORT_MIN_CHARS = 15000
REPORT_MIN_NUMBERED = 8


def guess_kind(text: str) -> str:
    """Guess "report" or "news": reports are long and numbered or have recommendations.

    A review report is long (> 15000 chars) and either has at least 8 numbered
    paragraphs ("6.3 ...", also "- 6.3 ...") or a Recommendations heading; anything
    else (press stories, briefings) is "news".
    """
    if len(text) <= REPORT_MIN_CHARS:
        return "news"
    numbered = 0
    for _ in _NUMBERED_PARA.finditer(text):
        numbered += 1
        if numbered >= REPORT_MIN_NUMBERED:
            return "report"
    return "report" if _RECS_HEADING.search(text) else "news"


@contextmanager
def quiet_logger(logger_name: str) -> Iterator[None]:
    """pypdf logs a warning for every repaired xref, and at ERROR level for what it
    works around (an unknown font encoding: kilobytes per page); users only need our
    one error, so all of it is silenced while a PDF is read."""
    logger = logging.getLogger(logger_name)
    old = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(old)
