"""RDF writers: N-Triples, N-Quads, Turtle, JSON-LD and RDF/XML streamed from the store.

The streaming writers take the subjects of ``casegraph.graph.rdfsubjects.iter_subjects`` one
at a time (terms already in N-Triples syntax) and write text as they go, so an export
holds one subject in memory, never the graph. Generating is split from writing:
``iter_ntriples(store)`` and its siblings yield text (N-Triples and N-Quads as UTF-8
bytes), ``write_*`` send it to a path, "-" (stdout) or an open file.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import IO, TYPE_CHECKING, Any

import orjson

from casegraph.errors import CasegraphError
from casegraph.graph.rdf import jsonld_context
from casegraph.graph.rdfsubjects import Subject, iter_subjects
from casegraph.graph.rdfterms import _UNESCAPE, _UNESCAPED, BASE, NAMESPACES, XSD, _base

if TYPE_CHECKING:
    from casegraph.graph.store import Store

__all__ = [
    "iter_jsonld",
    "iter_nquads",
    "iter_ntriples",
    "iter_rdfxml",
    "iter_turtle",
    "write_jsonld",
    "write_nq",
    "write_nt",
    "write_turtle",
    "write_xml",
]

Progress = Callable[[int], None] | None
_RDF_TYPE = f"<{NAMESPACES['rdf']}type>"
# A local name Turtle and JSON-LD can write after a prefix without escapes.
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*").fullmatch


def graph_name(base: str = BASE) -> str:
    """The named graph N-Quads put every triple in: ``base`` + "graph"."""
    return f"<{_base(base)}graph>"


def _batched(parts: Iterable[str]) -> Iterator[str]:
    """Text joined into chunks of about a thousand subjects: few writes."""
    batch: list[str] = []
    for part in parts:
        batch.append(part)
        if len(batch) >= 1024:
            yield "".join(batch)
            batch = []
    yield "".join(batch)


def _lines(subjects: Iterable[Subject], end: str) -> Iterator[bytes]:
    """Lines "s p o" + ``end`` as UTF-8, in chunks of about a thousand subjects.

    A subject's lines are one join (the separator ``end`` + "s "), encoded on their
    own: most subjects are ASCII, which encodes as a copy, and would be widened and
    encoded character by character in a chunk with one non-ASCII letter."""
    batch: list[bytes] = []
    add = batch.append
    for s, pos in subjects:
        add(f"{s} {(end + s + ' ').join(pos)}{end}".encode())
        if len(batch) >= 1024:
            yield b"".join(batch)
            batch.clear()
    yield b"".join(batch)


def iter_ntriples(store: Store, base: str = BASE, progress: Progress = None) -> Iterator[bytes]:
    """The store as N-Triples (UTF-8), in chunks of whole lines."""
    return _lines(iter_subjects(store, base, progress), " .\n")


def iter_nquads(store: Store, base: str = BASE, progress: Progress = None) -> Iterator[bytes]:
    """The store as N-Quads (UTF-8), every triple in the graph ``graph_name(base)``, in chunks of whole lines."""
    return _lines(iter_subjects(store, base, progress), f" {graph_name(base)} .\n")


@lru_cache(maxsize=4096)
def _prefixed(term: str) -> str:
    """``<iri>`` of a known namespace as ``prefix:local`` where the local name is plain."""
    iri = term[1:-1]
    for prefix, ns in NAMESPACES.items():
        if iri.startswith(ns) and _LOCAL(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return term


def iter_turtle(store: Store, base: str = BASE, progress: Progress = None) -> Iterator[str]:
    """The store as Turtle: prefixes, then one block per subject, objects of the same
    predicate joined by commas, nodes written relative to ``@base``; in chunks of
    whole blocks."""
    return _batched(_turtle_blocks(store, base, progress))


def _turtle_blocks(store: Store, base: str, progress: Progress) -> Iterator[str]:
    b = _base(base)
    relative = b.endswith("/")
    yield "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in NAMESPACES.items())
    if relative:
        yield f"@base <{b}> .\n"
    cut = len(b) + 1

    def term(t: str) -> str:
        if t[0] != "<":  # a literal: its datatype prefixed, numbers and booleans bare
            end = t.rfind('"')
            dtype = t[end + 1:]
            if not dtype:
                return t
            if dtype in (f"^^<{XSD}integer>", f"^^<{XSD}boolean>"):
                return t[1:end]
            return t[:end + 3] + _prefixed(dtype[2:])
        if relative and t.startswith(b, 1):
            rel = t[cut:-1]
            # no dot segments, nothing a resolver would read as a scheme or another part
            if rel and rel[0] not in "/?#." and "/." not in rel and ":" not in rel:
                return f"<{rel}>"
            return t
        return _prefixed(t)

    for s, pos in iter_subjects(store, base, progress):
        lines = [f"\n{term(s)}"]
        last = None
        for po in pos:
            p, o = po.split(" ", 1)
            if p == last:
                lines.append(f", {term(o)}")
            else:
                lines.append(f"{' ;' if last else ''}\n    {'a' if p == _RDF_TYPE else _prefixed(p)} {term(o)}")
                last = p
        lines.append(" .\n")
        yield "".join(lines)


@lru_cache(maxsize=1)
def _inverse_context() -> tuple[dict[str, tuple[str, bool]], dict[str, str]]:
    """Full IRI -> (term, whether its values are IRIs); and the context's prefixes."""
    context = jsonld_context()
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v in NAMESPACES.values()}

    def expand(value: str) -> str:
        prefix, _, local = value.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else value

    terms: dict[str, tuple[str, bool]] = {}
    for term, definition in context.items():
        if term in prefixes or term.startswith("@"):
            continue
        if isinstance(definition, str):
            if not definition.startswith("@"):
                terms.setdefault(expand(definition), (term, False))
        elif isinstance(definition, dict) and "@id" in definition:
            terms.setdefault(expand(definition["@id"]), (term, definition.get("@type") == "@id"))
    return terms, prefixes


def _jsonld_value(o: str, iri_valued: bool) -> Any:
    if o[0] == "<":
        return o[1:-1] if iri_valued else {"id": o[1:-1]}
    end = o.rfind('"')
    text = _UNESCAPE.sub(lambda m: _UNESCAPED[m.group(1)], o[1:end]) if "\\" in o else o[1:end]
    dtype = o[end + 4:-1] if end + 1 < len(o) else ""
    if dtype == f"{XSD}integer":
        return int(text)
    if dtype == f"{XSD}boolean":
        return text == "true"
    if dtype:
        return {"@value": text, "@type": _prefixed(f"<{dtype}>").strip("<>")}
    return {"@value": text} if iri_valued else text


def iter_jsonld(store: Store, base: str = BASE, progress: Progress = None) -> Iterator[str]:
    """The store as JSON-LD: the shipped ``@context``, then one node object per subject
    in ``@graph``, keys and types named by the context's terms; in chunks of whole nodes."""
    return _batched(_jsonld_nodes(store, base, progress))


def _jsonld_nodes(store: Store, base: str, progress: Progress) -> Iterator[str]:
    terms, _prefixes = _inverse_context()

    def key(p: str) -> tuple[str, bool]:
        found = terms.get(p[1:-1])
        return found if found else (_prefixed(p).strip("<>"), False)

    def type_name(o: str) -> str:
        found = terms.get(o[1:-1])
        return found[0] if found else _prefixed(o).strip("<>")

    yield '{\n"@context": ' + orjson.dumps(jsonld_context()).decode() + ',\n"@graph": ['
    first = True
    for s, pos in iter_subjects(store, base, progress):
        node: dict[str, Any] = {"id": s[1:-1]}
        pairs = [po.split(" ", 1) for po in pos]
        types = [type_name(o) for p, o in pairs if p == _RDF_TYPE]
        if types:
            node["type"] = types if len(types) > 1 else types[0]
        for p, o in pairs:
            if p == _RDF_TYPE:
                continue
            name, iri_valued = key(p)
            value = _jsonld_value(o, iri_valued)
            if name not in node:
                node[name] = value
            elif isinstance(node[name], list):
                node[name].append(value)
            else:
                node[name] = [node[name], value]
        yield ("\n" if first else ",\n") + orjson.dumps(node).decode()
        first = False
    yield "\n]\n}\n"


def iter_rdfxml(store: Store, base: str = BASE, progress: Progress = None) -> Iterator[str]:
    """The store as RDF/XML: the namespaces declared once, then one ``rdf:Description``
    per subject with a prefixed element per property; in chunks of whole descriptions."""
    return _batched(_xml_descriptions(store, base, progress))


def _xml(text: str) -> str:
    """Text as XML character data or an attribute value (a carriage return as a
    reference: a parser would read a raw one as a line feed)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;").replace("\r", "&#13;")


@lru_cache(maxsize=1024)
def _xml_element(p: str) -> str:
    """A predicate as an element name, ``prefix:local`` (every property of the
    mapping is in one of NAMESPACES, with a plain local name)."""
    name = _prefixed(p)
    if name[0] == "<":
        raise CasegraphError(f"RDF/XML cannot name the property {p}: it is in none of the export's namespaces")
    return name


def _xml_descriptions(store: Store, base: str, progress: Progress) -> Iterator[str]:
    declared = "".join(f'\n    xmlns:{prefix}="{ns}"' for prefix, ns in NAMESPACES.items())
    yield f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{declared}>\n'
    for s, pos in iter_subjects(store, base, progress):
        parts = [f'  <rdf:Description rdf:about="{_xml(s[1:-1])}">\n']
        for po in pos:
            p, o = po.split(" ", 1)
            name = _xml_element(p)
            if o[0] == "<":
                parts.append(f'    <{name} rdf:resource="{_xml(o[1:-1])}"/>\n')
                continue
            end = o.rfind('"')
            text = o[1:end]
            if "\\" in text:
                text = _UNESCAPE.sub(lambda m: _UNESCAPED[m.group(1)], text)
            dtype = f' rdf:datatype="{_xml(o[end + 4:-1])}"' if end + 1 < len(o) else ""
            parts.append(f"    <{name}{dtype}>{_xml(text)}</{name}>\n")
        parts.append("  </rdf:Description>\n")
        yield "".join(parts)
    yield "</rdf:RDF>\n"


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused: a streamed export makes millions of
    short-lived lists and tuples, none in a cycle, and the collector would keep
    walking them (a twentieth of the N-Triples export's time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _write(out: str | IO[Any], chunks: Iterable[str] | Iterable[bytes]) -> None:
    from casegraph.graph.export import output_stream

    with output_stream(out) as write, no_cycle_collection():
        for chunk in chunks:
            write(chunk)


def write_nt(store: Store, out: str | IO[Any], *, base: str = BASE, progress: Progress = None) -> None:
    """N-Triples, streamed."""
    _write(out, iter_ntriples(store, base, progress))


def write_nq(store: Store, out: str | IO[Any], *, base: str = BASE, progress: Progress = None) -> None:
    """N-Quads, streamed, in the graph ``graph_name(base)``."""
    _write(out, iter_nquads(store, base, progress))


def write_turtle(store: Store, out: str | IO[Any], *, base: str = BASE, progress: Progress = None) -> None:
    """Turtle, streamed, grouped by subject."""
    _write(out, iter_turtle(store, base, progress))


def write_jsonld(store: Store, out: str | IO[Any], *, base: str = BASE, progress: Progress = None) -> None:
    """JSON-LD with the context of ``casegraph/schema/context.jsonld``, streamed node by node."""
    _write(out, iter_jsonld(store, base, progress))


def write_xml(store: Store, out: str | IO[Any], *, base: str = BASE, progress: Progress = None) -> None:
    """RDF/XML, streamed description by description."""
    _write(out, iter_rdfxml(store, base, progress))
