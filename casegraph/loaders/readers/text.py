"""Plain text and markdown, kept character for character apart from newlines."""

from __future__ import annotations

import re

from casegraph.errors import UnreadableDocument
from casegraph.loaders.readers.base import (
    TITLE_MAX,
    find_published,
    first_line,
    guess_kind,
    sha256,
    strip_date_label,
)
from casegraph.loaders.readers.decoding import decode_text
from casegraph.schema.record import Document

__all__ = ["read_text"]


def read_text(name: str, data: bytes) -> Document:
    """Plain text or markdown, kept character for character apart from newlines."""
    text = decode_text(name, data)
    if not text.strip():
        raise UnreadableDocument(name, "empty file (only whitespace)")
    return Document(
        path=name,
        sha256=sha256(data),
        text=text,
        kind=guess_kind(text),
        title=_text_title(text),
        published=find_published(text),
    )


def _text_title(text: str) -> str:
    """First non-empty line, minus markdown hashes and a leading date label."""
    for line in text.split("\n", 40)[:40]:
        line = re.sub(r"^#{1,6}\s+", "", line.strip())
        line = strip_date_label(line).strip()
        if line:
            return line[:TITLE_MAX].rstrip()
    return first_line(text)
