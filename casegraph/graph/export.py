"""Export formats by name. The registry holds "module:function" strings, so choosing
a format imports only what that format needs (rdflib for RDF, networkx for GraphML
and GEXF); importing this module imports neither.

>>> sorted(EXPORTERS)
['gexf', 'graphml', 'jsonld', 'neo4j-csv', 'nq', 'nt', 'ttl', 'xml']
>>> guess_format("graph.ttl")
'ttl'
"""

from __future__ import annotations

import importlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from casegraph.errors import CasegraphError
from casegraph.graph.rdf import BASE

if TYPE_CHECKING:
    from casegraph.graph.store import Store

__all__ = ["BASE", "EXPORTERS", "RDF_EXPORTS", "SUFFIXES", "export", "exporter", "guess_format",
           "output_stream", "write_output"]

EXPORTERS: dict[str, str] = {
    "ttl": "casegraph.graph.rdfwrite:write_turtle",
    "jsonld": "casegraph.graph.rdfwrite:write_jsonld",
    "nt": "casegraph.graph.rdfwrite:write_nt",
    "nq": "casegraph.graph.rdfwrite:write_nq",
    "xml": "casegraph.graph.rdfwrite:write_xml",
    "graphml": "casegraph.graph.netexport:write_graphml",
    "gexf": "casegraph.graph.netexport:write_gexf",
    "neo4j-csv": "casegraph.graph.netexport:write_neo4j_csv",
}
"""Format name -> "module:function"; each function takes (store, out), the RDF ones
also ``base=`` and ``progress=`` (called with the amount of work done, out of
``casegraph.graph.rdf.progress_total(store)``)."""

RDF_EXPORTS = frozenset({"ttl", "jsonld", "nt", "nq", "xml"})

SUFFIXES: dict[str, str] = {
    ".ttl": "ttl",
    ".turtle": "ttl",
    ".jsonld": "jsonld",
    ".json-ld": "jsonld",
    ".nt": "nt",
    ".nq": "nq",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".graphml": "graphml",
    ".gexf": "gexf",
}

_ALIASES = {
    "turtle": "ttl", "json-ld": "jsonld", "ntriples": "nt", "n-triples": "nt",
    "nquads": "nq", "n-quads": "nq", "rdf": "xml", "rdfxml": "xml", "rdf/xml": "xml",
    "neo4j": "neo4j-csv", "csv": "neo4j-csv",
}


def _choices() -> str:
    return ", ".join(EXPORTERS)


def _canonical(fmt: str) -> str:
    name = str(fmt).strip().lower()
    return _ALIASES.get(name, name)


def exporter(fmt: str) -> Callable[..., Any]:
    """The export function of a format name (or alias such as "turtle")."""
    name = _canonical(fmt)
    if name not in EXPORTERS:
        raise CasegraphError(f"unknown export format {fmt!r}; choose one of {_choices()}")
    module, func = EXPORTERS[name].split(":")
    return getattr(importlib.import_module(module), func)


def guess_format(path: str | os.PathLike[str]) -> str:
    """The format a path asks for by its suffix; a folder or a name without a suffix
    means neo4j-csv (a folder of CSV files)."""
    text = os.fspath(path)
    if text == "-":
        raise CasegraphError(f"cannot guess an export format for stdout; choose one of {_choices()}")
    p = Path(text)
    if p.is_dir() or text.endswith(("/", os.sep)) or not p.suffix:
        return "neo4j-csv"
    fmt = SUFFIXES.get(p.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(SUFFIXES))
        raise CasegraphError(
            f"{text}: cannot tell the export format from the suffix {p.suffix!r} "
            f"(known: {known}, or a folder for neo4j-csv); choose one of {_choices()}")
    return fmt


def _is_binary(stream: Any) -> bool:
    if isinstance(stream, io.TextIOBase):
        return False
    if isinstance(stream, (io.RawIOBase, io.BufferedIOBase)):
        return True
    return "b" in str(getattr(stream, "mode", ""))


def write_output(out: str | os.PathLike[str] | IO[Any], data: str | bytes) -> None:
    """Write ``data`` to a path (parents created), "-" (stdout) or an open text or
    binary file, encoding or decoding UTF-8 as the target needs."""
    if isinstance(out, (str, os.PathLike)) and os.fspath(out) == "-":
        buffer = getattr(sys.stdout, "buffer", None)
        if isinstance(data, bytes) and buffer is not None:
            sys.stdout.flush()
            buffer.write(data)
            buffer.flush()
        else:
            sys.stdout.write(data.decode("utf-8") if isinstance(data, bytes) else data)
        return
    if isinstance(out, (str, os.PathLike)):
        p = Path(out)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return
    if _is_binary(out):
        out.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        return
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    try:
        out.write(text)
    except TypeError:
        out.write(text.encode("utf-8"))


@contextmanager
def output_stream(out: str | os.PathLike[str] | IO[Any]) -> Iterator[Callable[[str | bytes], Any]]:
    """A ``write(data)`` function onto a path, "-" (stdout) or an open text or binary
    file, for writers that stream text or UTF-8 bytes. A path is written under a
    temporary name and renamed once complete, so a failed export leaves no half file behind."""

    def onto(write_bytes: Callable[[bytes], Any]) -> Callable[[str | bytes], Any]:
        return lambda data: write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    def as_text(write_text: Callable[[str], Any]) -> Callable[[str | bytes], Any]:
        return lambda data: write_text(data.decode("utf-8") if isinstance(data, bytes) else data)

    if isinstance(out, (str, os.PathLike)) and os.fspath(out) == "-":
        buffer = getattr(sys.stdout, "buffer", None)
        sys.stdout.flush()
        if buffer is None:
            yield as_text(sys.stdout.write)
        else:
            yield onto(buffer.write)
            buffer.flush()
        return
    if isinstance(out, (str, os.PathLike)):
        p = Path(os.path.realpath(out))  # a symlink's target is written, the link kept
        p.parent.mkdir(parents=True, exist_ok=True)
        if p.exists() and not p.is_file():  # a device or a pipe: written in place, never replaced
            with open(p, "wb") as fh:
                yield onto(fh.write)
            return
        partial = p.with_name(f".{p.name}.{os.getpid()}.part")
        try:
            with open(partial, "wb") as fh:
                yield onto(fh.write)
            os.replace(partial, p)
        finally:
            partial.unlink(missing_ok=True)
        return
    yield onto(out.write) if _is_binary(out) else as_text(out.write)


def export(store: Store, fmt: str, out: str | os.PathLike[str] | IO[Any], *,
           base: str = BASE, progress: Callable[[int], None] | None = None) -> str | None:
    """Write the store in ``fmt`` to ``out`` (a path, "-" for stdout, or a writable text or
    binary file; a folder for neo4j-csv). RDF formats name nodes under ``base`` and
    report their progress to ``progress``. Returns what the exporter returns: the
    import command for neo4j-csv, else None."""
    func = exporter(fmt)
    if _canonical(fmt) in RDF_EXPORTS:
        return func(store, out, base=base, progress=progress)
    return func(store, out)
