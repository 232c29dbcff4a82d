"""Word (.docx): body paragraphs and tables in document order.

python-docx is imported when a file is read, so the CLI starts quickly.
"""

from __future__ import annotations

import io

from casegraph.errors import UnreadableDocument
from casegraph.loaders.readers.base import find_published, sha256, title_of
from casegraph.loaders.readers.decoding import normalise_newlines
from casegraph.schema.record import Document

__all__ = ["read_docx"]


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
    text = normalise_newlines("\n\n".join(blocks))
    if not text.strip():
        raise UnreadableDocument(name, "DOCX file has no text")
    return Document(
        path=name,
        sha256=sha256(data),
        text=text,
        kind="report",
        title=title_of(title, text),
        published=find_published(text),
    )
