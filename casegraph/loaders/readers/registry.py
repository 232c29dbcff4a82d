"""Which reader reads a file (by suffix), the limits every read is held to, and
the expansion of files, folders and globs into the files to read."""

from __future__ import annotations

import glob
import importlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from casegraph.errors import UnreadableDocument
from casegraph.loaders.readers.base import Reader, one_line
from casegraph.loaders.readers.docx import read_docx
from casegraph.loaders.readers.html import read_html
from casegraph.loaders.readers.pdf import read_pdf
from casegraph.loaders.readers.record import read_record
from casegraph.loaders.readers.text import read_text
from casegraph.schema.record import Document

__all__ = ["MAX_EXTRACT_CHARS", "MAX_TEXT_BYTES", "READERS", "SUFFIXES", "iter_paths", "read_document"]

MAX_TEXT_BYTES = 100 * 1024 * 1024
# Binary formats hold images, so they may be larger than text; still refuse absurd sizes
# rather than read gigabytes into memory.
MAX_BINARY_BYTES = 1024 * 1024 * 1024
# The extractors run about a thousand vocabulary patterns over every sentence, some
# 20-30 s per million characters: a document whose text is longer than this is refused
# with a clear reason instead of tying up a load for many minutes. Two million
# characters is some 650 pages, several times the longest published review.
MAX_EXTRACT_CHARS = 2_000_000


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
        reason = f"cannot read file ({type(exc).__name__}: {one_line(exc)})"
        raise UnreadableDocument(name, reason) from exc
    # Curated records are not run through the extractors, so their text may be long.
    if doc.record is None and len(doc.text) > MAX_EXTRACT_CHARS:
        raise UnreadableDocument(
            name,
            f"text too long to extract ({len(doc.text):,} characters; limit "
            f"{MAX_EXTRACT_CHARS:,}); split the document into parts",
        )
    return doc


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
