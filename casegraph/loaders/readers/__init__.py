"""Format readers: one file in, one :class:`~casegraph.schema.record.Document` out.

This package owns everything between the bytes on disk and plain text: choosing a
reader by suffix (:mod:`.registry`), decoding (:mod:`.decoding`), one module per
format (:mod:`.text`, :mod:`.html`, :mod:`.pdf`, :mod:`.docx`, :mod:`.record`)
stripping its own furniture (web page menus, PDF running headers), and the first
guesses about a document (title, publication date, news or report, :mod:`.base`).
It knows nothing about safeguarding; extractors work on ``Document.text`` and
compute character spans into it, so readers never alter text after building it.

Every failure on bad input is an :class:`~casegraph.errors.UnreadableDocument`
naming the file and a short reason a user can act on. pypdf, trafilatura and
python-docx are imported inside the readers that need them so the CLI starts quickly.
"""

from __future__ import annotations

from casegraph.loaders.readers.base import Reader, find_published, guess_kind
from casegraph.loaders.readers.docx import read_docx
from casegraph.loaders.readers.html import read_html
from casegraph.loaders.readers.pdf import read_pdf
from casegraph.loaders.readers.record import read_record
from casegraph.loaders.readers.registry import (
    MAX_EXTRACT_CHARS,
    MAX_TEXT_BYTES,
    READERS,
    SUFFIXES,
    iter_paths,
    read_document,
)
from casegraph.loaders.readers.text import read_text

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
