"""SPARQL over the store's RDF, through a local index kept beside the store file.

The first query after a change loads the streamed N-Triples export into a pyoxigraph
store on disk (``STORE.sparql/``, next to the SQLite file); later queries open it read
only. A fingerprint of the store (its documents, row counts and the RDF mapping in
use) says when the index is stale. Building takes an exclusive lock on the folder and
queries a shared one, so concurrent commands never read a half-built index.

pyoxigraph (Rust, a maintained SPARQL 1.1 engine) answers a national store's
aggregate queries in about a second; rdflib's own SPARQL engine would need the whole
graph in memory (over 10 GB at 5,000 reviews) before the first answer.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casegraph.errors import CasegraphError
from casegraph.graph.rdfterms import BASE, NAMESPACES, XSD, _base

if TYPE_CHECKING:
    from casegraph.graph.store import Store

__all__ = ["fingerprint", "index_path", "open_index", "prefixes", "read_query", "run_sparql"]


def read_query(query: str) -> str:
    """``query`` itself, or the text of the file it names."""
    try:
        is_file = "\n" not in query and Path(query).is_file()
    except (OSError, ValueError):  # a name too long for a path, a NUL byte
        is_file = False
    if not is_file:
        if query.split() == [query] and "{" not in query:  # one word, no braces: a file name
            raise CasegraphError(f"{query}: no such query file")
        return query
    try:
        return Path(query).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CasegraphError(f"{query}: cannot read the query ({e})") from e


def prefixes(base: str = BASE) -> dict[str, str]:
    """The prefixes every query may use without declaring them: the export's
    namespaces and ``id:`` for the nodes."""
    return {**NAMESPACES, "id": _base(base)}


def index_path(store: Store) -> Path:
    """The index folder of a store file: ``STORE.sparql``."""
    return Path(f"{store.path}.sparql")


def fingerprint(store: Store, base: str = BASE) -> str:
    """Changes whenever the store's RDF can: documents loaded, replaced or removed,
    rows added or deleted, another base IRI, another version of the mapping."""
    from casegraph.graph import rdfsubjects, rdfterms

    h = hashlib.sha256()
    h.update(base.encode())
    for mapping in (rdfterms, rdfsubjects):
        h.update(Path(mapping.__file__).read_bytes())
    for sql in ("SELECT id, sha256 FROM documents ORDER BY id",
                "SELECT count(*), max(rowid) FROM nodes",
                "SELECT count(*) FROM edges",
                "SELECT count(*), max(id) FROM evidence",
                "SELECT name, n FROM tallies ORDER BY name"):
        for row in store.rows(sql):
            h.update(repr(row).encode())
    return h.hexdigest()


class _ChunkReader(io.RawIOBase):
    """A readable binary stream over UTF-8 chunks, for pyoxigraph's bulk loader."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buffer = chunk
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


def _fill(index: Any, store: Store, base: str, progress: Callable[[int], None] | None) -> None:
    from pyoxigraph import RdfFormat

    from casegraph.graph.rdfwrite import iter_ntriples, no_cycle_collection

    with no_cycle_collection():
        index.bulk_load(input=io.BufferedReader(_ChunkReader(iter_ntriples(store, base, progress)), 1 << 20),
                        format=RdfFormat.N_TRIPLES)


@contextmanager
def open_index(store: Store, base: str = BASE,
               progress: Callable[[int], None] | None = None) -> Iterator[Any]:
    """The pyoxigraph store holding the store's RDF, (re)built first if stale.
    ``progress`` follows a build (see ``casegraph.graph.rdf.progress_total``)."""
    import fcntl

    import pyoxigraph

    if store.path == ":memory:":
        index = pyoxigraph.Store()
        _fill(index, store, base, progress)
        yield index
        return
    folder = index_path(store)
    try:
        folder.mkdir(exist_ok=True)
        lock = open(folder / "lock", "a+")
    except OSError as e:
        raise CasegraphError(f"{folder}: cannot keep the SPARQL index here ({e})") from e
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stamp = folder / "fingerprint"
        current = fingerprint(store, base)
        if not (folder / "index").is_dir() or not stamp.is_file() or stamp.read_text() != current:
            fresh = folder / f"index.{os.getpid()}.new"
            shutil.rmtree(fresh, ignore_errors=True)
            try:
                index = pyoxigraph.Store(str(fresh))
                _fill(index, store, base, progress)
                index.flush()
                del index  # closes the database before it moves
                stamp.unlink(missing_ok=True)
                shutil.rmtree(folder / "index", ignore_errors=True)
                os.replace(fresh, folder / "index")
                stamp.write_text(current)
            except (OSError, SyntaxError) as e:
                raise CasegraphError(f"{folder}: cannot build the SPARQL index ({e})") from e
            finally:
                shutil.rmtree(fresh, ignore_errors=True)
        fcntl.flock(lock, fcntl.LOCK_SH)  # readers may share it; no build until they finish
        try:
            index = pyoxigraph.Store.read_only(str(folder / "index"))
        except OSError as e:
            raise CasegraphError(f"{folder}: cannot open the SPARQL index ({e}); delete the folder "
                                 "and run the query again") from e
        yield index


_NUMBERS = {f"{XSD}integer": int, f"{XSD}decimal": float, f"{XSD}double": float, f"{XSD}float": float}


def _value(term: Any) -> Any:
    """A result term as a plain value: IRIs and text as strings, numbers and booleans
    as themselves."""
    from pyoxigraph import BlankNode, Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        dtype = term.datatype.value
        if dtype == f"{XSD}boolean":
            return term.value == "true"
        if dtype in _NUMBERS:
            try:
                return _NUMBERS[dtype](term.value)
            except ValueError:
                return term.value
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value


def run_sparql(store: Store, query: str, *, base: str = BASE,
               progress: Callable[[int], None] | None = None) -> list[dict[str, Any]]:
    """Rows of a SPARQL query over the store's RDF: a dict per solution of a SELECT,
    {"answer": bool} for an ASK, subject/predicate/object for a CONSTRUCT or DESCRIBE.
    The prefixes of ``prefixes(base)`` need no declaration."""
    from pyoxigraph import QueryBoolean, QuerySolutions

    with open_index(store, base, progress) as index:
        try:
            result = index.query(query, prefixes=prefixes(base))
        except SyntaxError as e:
            raise CasegraphError(f"SPARQL syntax: {e}") from e
        except OSError as e:
            raise CasegraphError(f"SPARQL: {e}") from e
        if isinstance(result, QueryBoolean):
            return [{"answer": bool(result)}]
        if isinstance(result, QuerySolutions):
            names = [v.value for v in result.variables]
            return [{name: _value(solution[name]) for name in names} for solution in result]
        return [{"subject": _value(t.subject), "predicate": _value(t.predicate), "object": _value(t.object)}
                for t in result]
