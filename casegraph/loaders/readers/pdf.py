"""PDF: the text layer page by page, running headers, footers and page numbers
peeled off, hyphenation repaired and wrapped lines rejoined.

pypdf is imported when a PDF is read, so the CLI starts quickly.
"""

from __future__ import annotations

import io
import re
from typing import Any

from casegraph.errors import UnreadableDocument
from casegraph.loaders.readers.base import find_published, quiet_logger, sha256, title_of
from casegraph.loaders.readers.decoding import normalise_newlines
from casegraph.schema.record import Document

__all__ = ["read_pdf"]

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
    with quiet_logger("pypdf"):
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
            text = _PDF_CONTROLS.sub("", normalise_newlines(text).translate(_LIGATURES))
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
        sha256=sha256(data),
        text=text,
        kind="report",
        title=title_of(title, text),
        published=find_published(text),
        pages=offsets,
    )
