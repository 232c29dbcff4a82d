"""The store as RDF: stable IRIs, the ``cg:`` vocabulary and standard W3C terms.

The terms are made in ``rdfterms`` (namespaces, IRIs, literals, escaping) and the
subjects a store yields in ``rdfsubjects`` (the mapping, streamed in flat memory);
both are re-exported here. This module owns what goes through rdflib: the triples
as rdflib terms, a whole-store Graph, SHACL validation, and the JSON-LD context.
rdflib and pyshacl are imported only by ``to_rdflib_graph`` and ``validate``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from casegraph.graph.rdfsubjects import Subject, iter_subjects, progress_total
from casegraph.graph.rdfterms import (
    _UNESCAPE,
    _UNESCAPED,
    BASE,
    CG,
    NAMESPACES,
    _base,
    escape,
    literal,
    node_iri,
    xml_safe,
)

if TYPE_CHECKING:
    from rdflib import Graph

    from casegraph.graph.store import Store

__all__ = [
    "BASE",
    "CG",
    "NAMESPACES",
    "Subject",
    "escape",
    "iter_subjects",
    "iter_triples",
    "jsonld_context",
    "literal",
    "node_iri",
    "progress_total",
    "to_rdflib_graph",
    "validate",
    "xml_safe",
]


def _rdflib_term(term: str) -> Any:
    from rdflib import Literal, URIRef

    if term[0] == "<":
        return URIRef(term[1:-1])
    end = term.rfind('"')
    lexical = _UNESCAPE.sub(lambda m: _UNESCAPED[m.group(1)], term[1:end])
    datatype = term[end + 1:]
    return Literal(lexical, datatype=URIRef(datatype[3:-1]) if datatype else None)


def iter_triples(store: Store, base: str = BASE) -> Iterator[tuple[Any, Any, Any]]:
    """Every triple of the store as rdflib terms, each yielded once, no blank nodes."""
    for s, pos in iter_subjects(store, base):
        subject = _rdflib_term(s)
        for po in pos:
            p, o = po.split(" ", 1)
            yield subject, _rdflib_term(p), _rdflib_term(o)


def to_rdflib_graph(store: Store, base: str = BASE) -> Graph:
    """An rdflib Graph of the whole store, with the usual prefixes bound (small
    stores: rdflib holds every triple in memory)."""
    from rdflib import Graph

    g = Graph(bind_namespaces="core")
    for prefix, uri in NAMESPACES.items():
        g.bind(prefix, uri, override=True)
    g.bind("id", _base(base))
    g.addN((s, p, o, g) for s, p, o in iter_triples(store, base))
    return g


@cache
def _context_text() -> str:
    return resources.files("casegraph.schema").joinpath("context.jsonld").read_text("utf-8")


def jsonld_context() -> dict[str, Any]:
    """The ``@context`` object shipped in ``casegraph/schema/context.jsonld``."""
    return json.loads(_context_text())["@context"]


def validate(store: Store, base: str = BASE) -> tuple[bool, str]:
    """Check the store's RDF against ``casegraph/schema/shapes.ttl`` with pyshacl.

    Returns (conforms, the report as text).
    """
    from pyshacl import validate as shacl_validate
    from rdflib import Graph

    shapes = Graph()
    shapes.parse(data=resources.files("casegraph.schema").joinpath("shapes.ttl")
                 .read_text("utf-8"), format="turtle")
    conforms, _graph, text = shacl_validate(
        to_rdflib_graph(store, base), shacl_graph=shapes, inference="none",
        abort_on_first=False, allow_warnings=True)
    return bool(conforms), str(text)
