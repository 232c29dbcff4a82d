"""Format readers: one file in, one :class:`~casegraph.schema.record.Document` out.

This module owns everything between the bytes on disk and plain text: choosing a
reader by suffix, decoding, stripping page furniture (HTML menus, PDF running
headers), and the first guesses about a document (title, publication date, news
or report). It knows nothing about safeguarding; extractors work on
``Document.text`` and compute character spans into it, so readers never alter
text after building it.

Every failure on bad input is an :class:`~casegraph.errors.UnreadableDocument`
naming the file and a short reason a user can act on. pypdf, bs4 and docx are
imported inside the readers that need them so the CLI starts quickly.
"""

from __future__ import annotations

import codecs
import glob
import hashlib
import importlib
import io
import json
import logging
import os
import re
import stat
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from casegraph.errors import UnreadableDocument
from casegraph.schema.record import Document

__all__ = [
    "MAX_EXTRACT_CHARS",
    "MAX_TEXT_BYTES",
    "READERS",
    "SUFFIXES",
    "Reader",
    "find_published",
    "guess_kind",
    "iter_paths",
    "read_document",
    "read_docx",
    "read_html",
    "read_pdf",
    "read_record",
    "read_text",
]

Reader = Callable[[str, bytes], Document]
"""A reader takes the path as given (for messages) and the raw bytes."""

MAX_TEXT_BYTES = 100 * 1024 * 1024
# Binary formats hold images, so they may be larger than text; still refuse absurd sizes
# rather than read gigabytes into memory.
MAX_BINARY_BYTES = 1024 * 1024 * 1024
# The extractors run about a thousand vocabulary patterns over every sentence, some
# 20-30 s per million characters: a document whose text is longer than this is refused
# with a clear reason instead of tying up a load for many minutes. Two million
# characters is some 650 pages, several times the longest published review.
MAX_EXTRACT_CHARS = 2_000_000
TITLE_MAX = 200


# --------------------------------------------------------------------------- helpers


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _one_line(value: object, limit: int = 160) -> str:
    """Squash an exception message to one short line for a user-facing reason."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return line[:TITLE_MAX].rstrip()
    return ""


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


def _strip_date_label(line: str) -> str:
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


def _to_iso(value: object) -> str | None:
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


# --------------------------------------------------------------------------- decoding

# Control bytes that do not occur in text (tab, newlines, form feed and ESC aside).
_CONTROL_BYTES = bytes([*range(1, 9), 0x0E, 0x0F, *range(0x10, 0x1B), *range(0x1C, 0x20), 0x7F])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_MAGIC_HINTS = [
    (b"%PDF-", "looks like a PDF; give it a .pdf suffix"),
    (b"PK\x03\x04", "looks like a zip archive or an Office file"),
    (b"\xd0\xcf\x11\xe0", "looks like an old Office file such as .doc; save it as .docx or PDF"),
]
_C1 = re.compile("[\x80-\x9f]")


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    # A mostly-UTF-8 file with a few stray Windows bytes (pasted smart quotes): decode
    # just the bad bytes as cp1252 instead of mangling every UTF-8 character.
    assert isinstance(exc, UnicodeDecodeError)
    bad = exc.object[exc.start : exc.end]
    return bad.decode("cp1252", errors="replace"), exc.end


codecs.register_error("casegraph-cp1252", _cp1252_fallback)


def _check_not_binary(name: str, data: bytes) -> None:
    hint = next((h for magic, h in _MAGIC_HINTS if data.startswith(magic)), None)
    sample = data[:65536]
    controls = len(sample.translate(None, _NOT_CONTROL))
    if hint or b"\x00" in data or controls > len(sample) * 0.1:
        reason = "binary file, not text"
        raise UnreadableDocument(name, f"{reason} ({hint})" if hint else reason)


def _utf8_share(data: bytes) -> float:
    """Share of non-ASCII bytes that sit in valid UTF-8 multibyte sequences."""
    sample = data[:262144]
    non_ascii = len(sample.translate(None, bytes(range(128))))
    if not non_ascii:
        return 0.0
    valid = sum(len(m.group()) for m in re.finditer(rb"[\xc2-\xf4][\x80-\xbf]+", sample))
    return valid / non_ascii


def _decode_text(name: str, data: bytes, declared: str | None = None) -> str:
    """Bytes to str: UTF-8 (BOM stripped), else cp1252, else latin-1, guided by
    charset_normalizer when the simple answers fail. Newlines normalised to \\n."""
    if not data:
        raise UnreadableDocument(name, "empty file")
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom) and not data.startswith(codecs.BOM_UTF32_LE):
            try:
                return _normalise_newlines(data[len(bom) :].decode(codec))
            except UnicodeDecodeError:
                raise UnreadableDocument(name, f"cannot decode text (tried {codec})") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    _check_not_binary(name, data)
    tried: list[str] = []

    def attempt(encoding: str | None) -> str | None:
        try:
            codec = codecs.lookup(encoding).name if encoding else None
        except LookupError:  # a made-up charset in a <meta> tag
            return None
        if codec is None or codec in tried:
            return None
        try:
            return _normalise_newlines(data.decode(codec))
        except UnicodeDecodeError:
            tried.append(codec)
            return None

    for encoding in ("utf-8", declared):
        if (text := attempt(encoding)) is not None:
            return text
    if _utf8_share(data) > 0.5:
        return _normalise_newlines(data.decode("utf-8", errors="casegraph-cp1252"))
    if (text := attempt("cp1252")) is not None:
        return text
    # cp1252 failed, so the file has bytes 0x81/0x8D/0x8F/0x90/0x9D: latin-1 would turn
    # them into control characters. Ask charset_normalizer what the file really is.
    if (text := attempt(_guess_encoding(data))) is not None:
        return text
    text = data.decode("latin-1")
    if len(_C1.findall(text)) <= max(1, len(text) // 1000):
        return _normalise_newlines(text)
    tried.append("latin-1")
    raise UnreadableDocument(name, f"cannot decode text (tried {', '.join(tried)})")


def _guess_encoding(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:1_000_000]).best()
    except Exception:  # a guide only; never the reason a file fails
        return None
    if best is None:
        return None
    try:
        encoding = codecs.lookup(best.encoding).name
    except LookupError:
        return None
    # latin-1 is handled (and vetted) separately.
    return None if encoding == "iso8859-1" else encoding


# --------------------------------------------------------------------------- text


def read_text(name: str, data: bytes) -> Document:
    """Plain text or markdown, kept character for character apart from newlines."""
    text = _decode_text(name, data)
    if not text.strip():
        raise UnreadableDocument(name, "empty file (only whitespace)")
    return Document(
        path=name,
        sha256=_sha256(data),
        text=text,
        kind=guess_kind(text),
        title=_text_title(text),
        published=find_published(text),
    )


def _text_title(text: str) -> str:
    """First non-empty line, minus markdown hashes and a leading date label."""
    for line in text.split("\n", 40)[:40]:
        line = re.sub(r"^#{1,6}\s+", "", line.strip())
        line = _strip_date_label(line).strip()
        if line:
            return line[:TITLE_MAX].rstrip()
    return _first_line(text)


# --------------------------------------------------------------------------- HTML

_HTML_DROP = frozenset(
    "script style noscript nav header footer aside form iframe svg template button select "
    "textarea object embed canvas dialog head".split()
)
_HTML_BLOCK = frozenset(
    "address article aside blockquote body caption center dd details div dl dt fieldset "
    "figcaption figure h1 h2 h3 h4 h5 h6 hr li main ol p pre section summary table "
    "ul".split()
)
# Never dropped for their class: a <body class="has-sidebar"> is still the page.
_HTML_KEEP = frozenset("html body main article".split())
_JUNK_TOKENS = frozenset(
    "menu menus nav navbar navigation breadcrumb breadcrumbs cookie cookies consent gdpr "
    "share sharing sharebar social comment comments disqus related recommended sidebar "
    "newsletter subscribe signup advert advertisement ads ad promo popup modal skip "
    "pagination pager footer".split()
)
_JUNK_ROLES = frozenset("navigation banner contentinfo complementary search dialog".split())
_TOKEN_SPLIT = re.compile(r"[\s_-]+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_NUMBERED_START = re.compile(r"\d+(?:\.\d+)*[.)]?\s")


def _is_junk(tag: Any) -> bool:
    """Menus, cookie banners, share bars, comments, hidden bits: not the article."""
    name = tag.name
    if name in _HTML_DROP:
        # A <header> inside an <article> holds its headline and date, not site chrome.
        return not (name == "header" and tag.find_parent("article") is not None)
    if name in _HTML_KEEP:
        return False
    attrs = tag.attrs
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    if str(attrs.get("role", "")).lower() in _JUNK_ROLES:
        return True
    if re.search(r"display\s*:\s*none", str(attrs.get("style", "")), re.I):
        return True
    classes = attrs.get("class") or []
    words = " ".join([*classes, str(attrs.get("id", ""))]).lower()
    if _JUNK_TOKENS.isdisjoint(_TOKEN_SPLIT.split(words)):
        return False
    # Class names are only a hint: a container of several paragraphs with an unlucky
    # class ("share-enabled") is the article itself. Direct children only, to stay cheap.
    return len(tag.find_all("p", recursive=False, limit=3)) < 3


def _outside_junk(tag: Any, root: Any) -> bool:
    """Whether ``tag`` is shown by :func:`_html_paragraphs` (no junk ancestor below root)."""
    node = tag
    while node is not None and node is not root:
        if _is_junk(node):
            return False
        node = node.parent
    return True


def _html_paragraphs(root: Any) -> list[str]:
    """Block elements to paragraphs, by an explicit-stack walk (no recursion, so
    100000 nested <div>s are fine)."""
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    paragraphs: list[str] = []
    buf: list[str] = []
    prefix = ""
    ol_counters: list[int] = []

    def flush() -> None:
        nonlocal prefix
        # Collapse whitespace per line and per table cell; keep <br> lines and cell tabs.
        lines = (
            "\t".join(" ".join(cell.split()) for cell in line.split("\t")).strip("\t")
            for line in "".join(buf).split("\n")
        )
        text = "\n".join(line for line in lines if line)
        buf.clear()
        if text:
            if prefix and not (prefix[0].isdigit() and _NUMBERED_START.match(text)):
                text = prefix + text
            paragraphs.append(text)
        prefix = ""

    pre_depth = 0
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            if node.name in _HTML_BLOCK:
                flush()
            if node.name == "pre":
                pre_depth -= 1
            elif node.name == "ol":
                ol_counters.pop()
            continue
        if isinstance(node, NavigableString):
            # Comments, CDATA, doctype and processing instructions are not text.
            if not isinstance(node, PreformattedString):
                # Source newlines are just spaces outside <pre>; flush() splits on "\n".
                buf.append(str(node) if pre_depth else str(node).replace("\n", " "))
            continue
        if not isinstance(node, Tag) or (node is not root and _is_junk(node)):
            continue
        name = node.name
        if name == "br":
            buf.append("\n")
            continue
        if name in _HTML_BLOCK:
            flush()
        # A table is one paragraph, a row one line, cells tab-separated; flush() drops
        # the empty lines and edge tabs this leaves.
        if name == "tr" and buf:
            buf.append("\n")
        elif name in ("td", "th") and buf and buf[-1] != "\n":
            buf.append("\t")
        elif name == "pre":
            pre_depth += 1
        elif name == "ol":
            start = str(node.get("start", "1"))
            ol_counters.append(int(start) - 1 if start.isdigit() else 0)
        elif name == "li":
            if node.parent is not None and node.parent.name == "ol" and ol_counters:
                ol_counters[-1] += 1
                prefix = f"{ol_counters[-1]}. "
            else:
                prefix = "- "
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    flush()
    return paragraphs


def _html_text_fallback(html: str) -> str:
    """Regex tag strip for HTML the parser cannot handle; crude but never recursive."""
    import html as htmllib

    html = re.sub(r"(?is)<(script|style|noscript|svg|template)\b.*?</\1\s*>", " ", html)
    html = re.sub(r"(?s)<!--.*?-->", " ", html)
    html = re.sub(r"(?i)<br\b[^>]*>", "\n", html)
    html = re.sub(
        r"(?i)</?(?:p|div|h[1-6]|li|tr|section|article|main|blockquote|ul|ol|table|pre)\b[^>]*>",
        "\n\n",
        html,
    )
    html = htmllib.unescape(re.sub(r"<[^>]*>", " ", html))
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", html))
    return "\n\n".join(p for p in paragraphs if p)


def _html_published(soup: Any, root: Any) -> str | None:
    metas = [
        {"property": "article:published_time"},
        {"itemprop": "datePublished"},
        {"name": re.compile(r"^(date|dc\.date(\.issued)?|publish(ed)?[-_]?date|pubdate)$", re.I)},
    ]
    head = soup.head or soup  # metadata lives in <head>; avoid scanning a huge body
    for attrs in metas:
        tag = head.find("meta", attrs=attrs)
        if tag is not None and (found := _to_iso(str(tag.get("content", "")))):
            return found
    for scope in (root, soup):
        tag = scope.find("time", attrs={"datetime": True})
        if tag is not None and (found := _to_iso(str(tag["datetime"]))):
            return found
    return None


def read_html(name: str, data: bytes) -> Document:
    """Article text of a web page: chrome dropped, blocks as blank-line paragraphs."""
    m = _CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii", "ignore") if m else None
    html = _decode_text(name, data, declared=declared)
    title = ""
    published = None
    try:
        from bs4 import BeautifulSoup

        # bs4 warns (a dozen lines on stderr) about markup that looks like a URL or a
        # file name; the page is read all the same, so the user needs none of it.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            soup = BeautifulSoup(html, "html.parser")
        # The longest <article> (a listing page may hold several), else <main>, else body.
        root = None
        for tag_name in ("article", "main"):
            found = soup.find_all(tag_name)
            if found:
                root = max(found, key=lambda t: len(t.get_text()))
                break
        root = root or soup.body or soup
        text = "\n\n".join(_html_paragraphs(root))
        # The article's own <h1>, else <title>; an <h1> in page chrome is often the logo.
        h1 = next((h for h in root.find_all("h1", limit=5) if _outside_junk(h, root)), None)
        for candidate in (h1, soup.title, soup.find("h1")):
            if candidate is not None and not title:
                title = " ".join(candidate.get_text(" ").split())
        published = _html_published(soup, root)
    except Exception:  # RecursionError or a parser failure on odd markup: strip tags instead
        text = _html_text_fallback(html)
    if not text.strip():
        raise UnreadableDocument(name, "web page has no readable text")
    return Document(
        path=name,
        sha256=_sha256(data),
        text=text,
        kind=guess_kind(text),
        title=(title or _first_line(text))[:TITLE_MAX].rstrip(),
        published=published or find_published(text),
    )


# --------------------------------------------------------------------------- PDF

# "3", "- 3 -", "Page 3 of 16", "3/16", "iv" (lowercase roman only: "CIVIL" is a word).
_PAGE_NUMBER = re.compile(
    r"^(?:[Pp]age\s+)?[-–(\[]?\s*(?:\d{1,4}|[ivxlc]{1,7})\s*[-–)\]]?(?:\s*(?:of|/)\s*\d{1,4})?$"
)
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
_LIST_MARKER = re.compile(r"^(?:[a-h][.)]|\(?[ivx]{1,4}[.)]|\([a-h]\)|[•▪◦●\-–*])\s")
_NUMBERED_LINE = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[A-Z][.)])\s")
# Ligature glyphs and no-break spaces would defeat keyword matching downstream.
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st", "\u00a0": " "}
)
_PDF_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_ZONE = 2  # lines at the top and bottom of a page where running headers live


@contextmanager
def _quiet_logger(logger_name: str) -> Iterator[None]:
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


def _furniture_key(line: str) -> str:
    return " ".join(re.sub(r"\d+", "#", line).lower().split())


def _strip_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Drop running headers/footers and page numbers from each page's top and bottom.

    A header is one of the top (footer: bottom) few non-blank lines that repeats,
    digits ignored, on more than half of the pages. Only lines at the very edge of a
    page are peeled off, so body text that happens to repeat stays.
    """
    top: dict[str, int] = {}
    bottom: dict[str, int] = {}
    for lines in pages:
        body = [ln for ln in lines if ln.strip()]
        for zone, counts in ((body[:_ZONE], top), (body[-_ZONE:], bottom)):
            for key in {_furniture_key(ln) for ln in zone}:
                counts[key] = counts.get(key, 0) + 1
    headers = {k for k, n in top.items() if n >= 2 and n > len(pages) / 2}
    footers = {k for k, n in bottom.items() if n >= 2 and n > len(pages) / 2}

    def furniture(line: str, repeated: set[str]) -> bool:
        return _furniture_key(line) in repeated or bool(_PAGE_NUMBER.match(line.strip()))

    cleaned = []
    for lines in pages:
        start, end, peeled = 0, len(lines), 0
        while start < end and (not lines[start].strip() or peeled < _ZONE):
            if lines[start].strip():
                if not furniture(lines[start], headers):
                    break
                peeled += 1
            start += 1
        peeled = 0
        while end > start and (not lines[end - 1].strip() or peeled < _ZONE):
            if lines[end - 1].strip():
                if not furniture(lines[end - 1], footers):
                    break
                peeled += 1
            end -= 1
        cleaned.append(lines[start:end])
    return cleaned


def _join_wrapped(lines: list[str]) -> str:
    """Repair end-of-line hyphenation and rejoin lines wrapped inside a paragraph.

    A line is joined to the next when it does not end a sentence and the next starts
    lowercase, or when it is full width (a wrap) and the next is not a numbered
    paragraph, list item or heading. Numbered paragraphs and headings keep their own
    lines; blank lines stay as paragraph breaks.
    """
    widths = sorted(len(ln) for ln in lines if len(ln) >= 20)
    full = widths[int(len(widths) * 0.8)] * 0.8 if len(widths) >= 5 else float("inf")
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1]:
                out.append("")
            continue
        prev = out[-1] if out else ""
        if prev:
            starts_lower = line[0].islower() and not _LIST_MARKER.match(line)
            if prev[-1] in "-\u00ad" and len(prev) > 1 and prev[-2].isalpha() and starts_lower:
                out[-1] = prev[:-1] + line
                continue
            if not _SENTENCE_END.search(prev):
                wrapped = (
                    len(prev) >= full
                    and (line[0].isupper() or line[0].isdigit() or line[0] in "(\"'“‘")
                    and not _NUMBERED_LINE.match(line)
                    and not _LIST_MARKER.match(line)
                )
                if starts_lower or wrapped:
                    out[-1] = f"{prev} {line}"
                    continue
        out.append(line)
    return "\n".join(out).strip("\n")


def _pdf_title(reader: Any) -> str:
    try:
        meta = reader.metadata
        title = str(meta.title or "").strip() if meta else ""
    except Exception:  # damaged info dictionary: fall back to the first line
        return ""
    junk = re.match(r"(?i)^(microsoft word|untitled|document\d*$|.*\.(docx?|pdf|rtf)$)", title)
    return "" if junk or len(title) < 3 else title


def read_pdf(name: str, data: bytes) -> Document:
    """Text layer of a PDF, page by page, with page furniture removed and lines rejoined."""
    if not data:
        raise UnreadableDocument(name, "empty file")
    head = data[:1024]
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableDocument(name, "is a zip archive, not a PDF")
    if b"%PDF-" not in head:
        if re.search(rb"(?i)<!doctype html|<html", head):
            raise UnreadableDocument(name, "is a web page (HTML), not a PDF")
        raise UnreadableDocument(name, "not a PDF file (no %PDF header)")

    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    damaged = "not a valid PDF (truncated or damaged)"
    with _quiet_logger("pypdf"):
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                # Many PDFs are "encrypted" with an empty user password and open fine.
                try:
                    decrypted = reader.decrypt("")
                except DependencyError:
                    raise UnreadableDocument(
                        name, "PDF is encrypted (AES; install 'cryptography' to try opening it)"
                    ) from None
                if not decrypted:
                    raise UnreadableDocument(name, "PDF is encrypted")
            pages = list(reader.pages)
        except UnreadableDocument:
            raise
        except Exception:
            raise UnreadableDocument(name, damaged) from None
        if not pages:
            raise UnreadableDocument(name, f"{damaged}: no pages")
        raw: list[list[str]] = []
        failed = 0
        for page in pages:
            try:
                text = page.extract_text() or ""
            except Exception:  # one bad page should not lose the rest of the report
                failed += 1
                text = ""
            text = _PDF_CONTROLS.sub("", _normalise_newlines(text).translate(_LIGATURES))
            raw.append([ln.rstrip() for ln in text.split("\n")])
        title = _pdf_title(reader)
    if failed == len(pages):
        raise UnreadableDocument(name, damaged)

    page_texts = [_join_wrapped(lines) for lines in _strip_furniture(raw)]
    if not any(t.strip() for t in page_texts):
        raise UnreadableDocument(name, "PDF has no text layer; OCR it first")
    offsets, pos = [], 0
    for t in page_texts:
        offsets.append(pos)
        pos += len(t) + 2
    text = "\n\n".join(page_texts)
    return Document(
        path=name,
        sha256=_sha256(data),
        text=text,
        kind="report",
        title=(title or _first_line(text))[:TITLE_MAX].rstrip(),
        published=find_published(text),
        pages=offsets,
    )


# --------------------------------------------------------------------------- DOCX


def read_docx(name: str, data: bytes) -> Document:
    """Body paragraphs and tables of a Word file in document order."""
    import zipfile

    if not data:
        raise UnreadableDocument(name, "empty file")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableDocument(name, "not a DOCX file (old Word .doc; save it as .docx)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            is_word = "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UnreadableDocument(name, "not a DOCX file") from None
    if not is_word:
        raise UnreadableDocument(name, "not a DOCX file (zip archive without a Word document)")

    import docx
    from docx.table import Table

    blocks: list[str] = []
    title = ""
    try:
        document = docx.Document(io.BytesIO(data))
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                rows = []
                for row in item.rows:
                    cells, seen = [], set()
                    for cell in row.cells:
                        # Merged cells come back once per grid column; keep one.
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        cells.append(" ".join(cell.text.split()))
                    if any(cells):
                        rows.append("\t".join(cells))
                if rows:
                    blocks.append("\n".join(rows))
                continue
            text = item.text.strip()
            if not text:
                continue
            style = (item.style.name if item.style is not None else "") or ""
            if not title and (style == "Title" or style.startswith("Heading 1")):
                title = text
            blocks.append(text)
        title = (document.core_properties.title or "").strip() or title
    except Exception:  # lxml, KeyError, ValueError: any of them means a broken package
        raise UnreadableDocument(name, "damaged DOCX file") from None
    text = _normalise_newlines("\n\n".join(blocks))
    if not text.strip():
        raise UnreadableDocument(name, "DOCX file has no text")
    return Document(
        path=name,
        sha256=_sha256(data),
        text=text,
        kind="report",
        title=(title or _first_line(text))[:TITLE_MAX].rstrip(),
        published=find_published(text),
    )


# --------------------------------------------------------------------------- records

_NOT_A_RECORD = "not a casegraph review record (needs a 'review' or 'case' mapping)"
_RECORD_MAX_NODES = 1_000_000


def _jsonable(value: Any, budget: list[int]) -> Any:
    """YAML values made JSON-safe (dates to ISO, keys to str), with a size budget so
    alias bombs ("billion laughs") fail instead of eating memory."""
    budget[0] -= 1
    if budget[0] < 0:
        raise UnreadableDocument("", f"record too large (more than {_RECORD_MAX_NODES:,} values)")
    if isinstance(value, dict):
        return {str(k): _jsonable(v, budget) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v, budget) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def _record_text(record: dict[str, Any]) -> str:
    """A readable rendering: the record's "text", else its summary, findings and
    recommendations, one per line."""
    text = record.get("text")
    if isinstance(text, str) and text.strip():
        return _normalise_newlines(text)
    scopes = [s for s in (record, record.get("review"), record.get("case")) if isinstance(s, dict)]
    parts: list[str] = []
    for scope in scopes:
        if isinstance(scope.get("summary"), str):
            parts.append(scope["summary"].strip())
    for key in ("findings", "recommendations"):
        for scope in scopes:
            items = scope.get(key)
            for item in items if isinstance(items, list) else []:
                value = item.get("text") if isinstance(item, dict) else item
                if isinstance(value, str) and value.strip():
                    parts.append(value.strip())
    return _normalise_newlines("\n".join(p for p in parts if p))


def read_record(name: str, data: bytes) -> Document:
    """A curated review record (YAML or JSON): hand-checked facts plus readable text."""
    source = _decode_text(name, data)
    is_json = name.lower().endswith(".json")
    try:
        if is_json:
            loaded = json.loads(source)
        else:
            import yaml

            loaded = yaml.safe_load(source)
    except json.JSONDecodeError as exc:
        raise UnreadableDocument(
            name, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise UnreadableDocument(name, "invalid record: nested too deeply") from None
    except Exception as exc:  # yaml.YAMLError and its many subclasses
        raise UnreadableDocument(name, f"invalid YAML: {_yaml_problem(exc)}") from None
    if not isinstance(loaded, dict) or not any(
        isinstance(loaded.get(k), dict) for k in ("review", "case")
    ):
        raise UnreadableDocument(name, _NOT_A_RECORD)
    try:
        record = _jsonable(loaded, [_RECORD_MAX_NODES])
    except RecursionError:
        raise UnreadableDocument(
            name, "invalid record: nested too deeply or refers to itself"
        ) from None
    except UnreadableDocument as exc:
        raise UnreadableDocument(name, exc.reason) from None
    review = record.get("review") if isinstance(record.get("review"), dict) else {}
    case = record.get("case") if isinstance(record.get("case"), dict) else {}
    candidates = (record.get("title"), review.get("title"), case.get("id"), review.get("id"))
    title = next((str(v).strip() for v in candidates if v not in (None, "")), Path(name).stem)
    published = _to_iso(record.get("published")) or _to_iso(review.get("published"))
    return Document(
        path=name,
        sha256=_sha256(data),
        text=_record_text(record),
        kind="record",
        title=title[:TITLE_MAX],
        published=published,
        record=record,
    )


def _yaml_problem(exc: Exception) -> str:
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    text = _one_line(problem or exc)
    if mark is not None:
        text += f" (line {mark.line + 1}, column {mark.column + 1})"
    return text


# --------------------------------------------------------------------------- registry

READERS: dict[str, str | Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_text,
    ".markdown": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".yaml": read_record,
    ".yml": read_record,
    ".json": read_record,
}
"""Suffix -> reader: a function, or a lazy "module:attr" string imported on first use."""

SUFFIXES: tuple[str, ...] = tuple(READERS)

# Formats whose whole content becomes text: held to the text size limit.
_TEXT_READERS = {read_text, read_html, read_record}


def _resolve(reader: str | Reader) -> Reader:
    if callable(reader):
        return reader
    module, _, attr = reader.partition(":")
    return getattr(importlib.import_module(module), attr)


def read_document(path: str | Path) -> Document:
    """Read one file with the reader for its suffix (unknown suffixes are tried as text).

    Raises :class:`UnreadableDocument` naming the file and the reason for anything
    wrong with the file itself.
    """
    name = str(path)
    p = Path(path)
    reader = _resolve(READERS.get(p.suffix.lower(), read_text))
    try:
        info = p.stat()
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableDocument(name, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableDocument(name, "not a regular file")
        limit = MAX_TEXT_BYTES if reader in _TEXT_READERS else MAX_BINARY_BYTES
        if info.st_size > limit:
            kind = "a text file" if limit == MAX_TEXT_BYTES else "reading"
            size, cap = info.st_size // 2**20, limit // 2**20
            raise UnreadableDocument(name, f"file too large for {kind} ({size} MB; limit {cap} MB)")
        data = p.read_bytes()
    except FileNotFoundError:
        raise UnreadableDocument(name, "no such file") from None
    except PermissionError:
        raise UnreadableDocument(name, "permission denied") from None
    except IsADirectoryError:
        raise UnreadableDocument(name, "is a folder, not a file") from None
    except OSError as exc:
        raise UnreadableDocument(name, f"cannot read file ({exc.strerror or exc})") from None
    try:
        doc = reader(name, data)
    except UnreadableDocument:
        raise
    except RecursionError:
        raise UnreadableDocument(name, "structure nested too deeply to read") from None
    except MemoryError:
        raise UnreadableDocument(name, "file too large to read into memory") from None
    except Exception as exc:  # a library failing on odd input must not escape as a crash
        reason = f"cannot read file ({type(exc).__name__}: {_one_line(exc)})"
        raise UnreadableDocument(name, reason) from exc
    # Curated records are not run through the extractors, so their text may be long.
    if doc.record is None and len(doc.text) > MAX_EXTRACT_CHARS:
        raise UnreadableDocument(
            name,
            f"text too long to extract ({len(doc.text):,} characters; limit "
            f"{MAX_EXTRACT_CHARS:,}); split the document into parts",
        )
    return doc


# --------------------------------------------------------------------------- paths


_GLOB_CHARS = re.compile(r"[*?[]")


def _hidden(name: str) -> bool:
    # "~$report.docx" is the lock file Word leaves beside an open document.
    return name.startswith((".", "~$"))


def _known(path: Path) -> bool:
    return path.suffix.lower() in READERS


def _walk(root: Path) -> Iterator[Path]:
    """Files under a folder in path order, known suffixes only, hidden files and
    folders skipped."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not _hidden(d)]
        base = Path(dirpath)
        found += (
            base / f
            for f in filenames
            if not _hidden(f) and _known(Path(f)) and (base / f).is_file()
        )
    # Sort by path components, not by string, so a folder sorts as a unit ("a/x" before
    # "a-b/y", where a plain string sort would put "-" before "/").
    yield from sorted(found, key=lambda p: p.parts)


def iter_paths(paths: Iterable[str]) -> Iterator[Path]:
    """Expand files, folders (recursively) and glob patterns into files to read.

    A file named explicitly is yielded whatever its suffix; folders and globs yield
    only suffixes in :data:`READERS`. Each file is yielded once. A path that does not
    exist raises :class:`UnreadableDocument` with reason "no such file".
    """
    seen: set[str] = set()

    def once(path: Path) -> Iterator[Path]:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            yield path

    for raw in paths:
        raw = str(raw)
        path = Path(raw)
        if path.is_dir():
            for found in _walk(path):
                yield from once(found)
        elif path.exists():
            yield from once(path)
        elif _GLOB_CHARS.search(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                raise UnreadableDocument(raw, "no files match this pattern")
            for match in map(Path, matches):
                found_files = _walk(match) if match.is_dir() else [match] if _known(match) else []
                for found in found_files:
                    yield from once(found)
        else:
            raise UnreadableDocument(raw, "no such file")
