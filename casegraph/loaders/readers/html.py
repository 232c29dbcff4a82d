"""Web pages: the article's text, its headline and its publication date.

trafilatura finds the article among the menus, banners, share bars, comments and
related links of a page, and its headline and date in the page's metadata. Its
XML result becomes blocks separated by blank lines, as the layout stage expects: a
paragraph, heading or list item is a block, a table is a block with a line per
row and its cells tab-separated. On the project's test pages (tests/data/webpages)
it keeps every article block, as the hand-written walk it replaced did, with a
fifth of the boilerplate (benchmarks/webpages.py; figures in docs/evaluation.md).

A page trafilatura gives nothing for (nesting deeper than lxml parses, a file of
text without markup) has its tags stripped instead, so no text is lost. trafilatura
is imported when a page is read, so the CLI starts quickly.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from casegraph.errors import UnreadableDocument
from casegraph.loaders.readers.base import (
    find_published,
    guess_kind,
    quiet_logger,
    sha256,
    title_of,
    to_iso,
)
from casegraph.loaders.readers.decoding import decode_text
from casegraph.schema.record import Document

__all__ = ["read_html", "strip_tags"]

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Below trafilatura's minimum article length (250 characters) it dumps the whole
# page as one paragraph, menus and all; a short result is read again with a lower
# minimum. Not lowered for every page: above it, trafilatura stops comparing its
# result with its other algorithms, which recover subheadings it sometimes drops.
_DEFAULT_MIN_CHARS = 250
_SHORT_MIN_CHARS = 25


def read_html(name: str, data: bytes) -> Document:
    """Article text of a web page: page furniture dropped, blocks as blank-line paragraphs."""
    m = _CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii", "ignore") if m else None
    html = decode_text(name, data, declared=declared)
    text, title, published = _article(html) or (strip_tags(html), "", None)
    if not text.strip():
        raise UnreadableDocument(name, "web page has no readable text")
    title = " ".join(title.split())
    # The headline names the case more often than any other line: keep it in the text
    # the extractors read when the article body leaves it out.
    if title and title not in text.split("\n\n"):
        text = f"{title}\n\n{text}"
    return Document(
        path=name,
        sha256=sha256(data),
        text=text,
        kind=guess_kind(text),
        title=title_of(title, text),
        published=published or find_published(text),
    )


def _article(html: str) -> tuple[str, str, str | None] | None:
    """(text, headline, ISO date) of the page's article, or None when none is found."""
    found = _extract(html, _DEFAULT_MIN_CHARS)
    if found is not None and len(found.text or "") < _DEFAULT_MIN_CHARS:
        found = _extract(html, _SHORT_MIN_CHARS) or found
    if found is None or found.body is None:
        return None
    return "\n\n".join(_blocks(found.body)), found.title or "", to_iso(found.date)


def _extract(html: str, min_chars: int) -> Any:
    """trafilatura's Document for the page, or None."""
    import trafilatura
    from trafilatura.settings import set_date_params

    # trafilatura logs every page it gives up on; the user needs none of it.
    with quiet_logger("trafilatura"), quiet_logger("htmldate"):
        try:
            return trafilatura.bare_extraction(
                html,
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                # On the test pages, recall keeps subheadings and <div>-only paragraphs
                # that the default drops or runs together, for 2 more of 182 lines of
                # boilerplate.
                favor_recall=True,
                # Dates the page states as its own; the extensive search also takes
                # a year from the story ("in February 2021") for a page without one.
                date_extraction_params=set_date_params(False),
                config=_config(min_chars),
            )
        except Exception:  # markup the parser cannot take: the tags are stripped instead
            return None


@cache
def _config(min_chars: int) -> Any:
    """trafilatura's settings with this minimum article length (read from its file once)."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(min_chars))
    return config


def _blocks(parent: Any) -> list[str]:
    """trafilatura's XML elements (p, head, list, table, quote, ...) as text blocks."""
    blocks: list[str] = []
    for element in parent:
        tag = element.tag
        if tag == "list":
            numbered = element.get("rend") == "ol"
            for number, item in enumerate(element.iterfind("item"), 1):
                if text := _inline(item):
                    blocks.append(f"{number}. {text}" if numbered else f"- {text}")
        elif tag == "table":
            rows = ("\t".join(_inline(cell).replace("\n", " ") for cell in row) for row in element.iter("row"))
            if table := "\n".join(row for row in rows if row.strip("\t")):
                blocks.append(table)
        elif tag in ("quote", "div") and any(child.tag in _BLOCK_TAGS for child in element):
            blocks += _blocks(element)
        elif tag != "graphic" and (text := _inline(element)):
            blocks.append(text)
    return blocks


_BLOCK_TAGS = frozenset("p head list table quote div code".split())


def _inline(element: Any) -> str:
    """An element's text with <lb/> as a line break and whitespace collapsed per line."""
    from lxml import etree

    parts: list[str] = []
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if event == "start":
            parts.append("\n" if node.tag == "lb" else node.text or "")
        elif node is not element:
            parts.append(node.tail or "")
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def strip_tags(html: str) -> str:
    """Every tag stripped, block tags as paragraph breaks: crude, but it never fails."""
    import html as htmllib

    html = re.sub(r"(?is)<(script|style|noscript|svg|template)\b.*?</\1\s*>", " ", html)
    html = re.sub(r"(?s)<!--.*?-->", " ", html)
    html = re.sub(r"(?i)<br\b[^>]*>", "\n", html)
    html = re.sub(
        r"(?i)</?(?:p|div|h[1-6]|li|tr|section|article|main|blockquote|ul|ol|table|pre)\b[^>]*>",
        "\n\n",
        html,
    )
    # A page cut off inside a tag ends with "<title" and no ">".
    html = htmllib.unescape(re.sub(r"<[^>]*>|<[A-Za-z!/?][^>]*$", " ", html))
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", html))
    return "\n\n".join(p for p in paragraphs if p)
