"""The store as RDF: stable IRIs, the ``cg:`` vocabulary and standard W3C terms.

Every node becomes an IRI ``base + quote(id with ':' -> '/')``. Ids are content keys,
so the same documents give the same IRIs in any store, and percent-encoding each
segment means no text (spaces, quotes, non-Latin letters, '<' or '#') can break an
IRI. Classes and properties live in ``cg: <https://casegraph.org/ns#>`` (described
in ``casegraph/schema/ontology.ttl``); standard vocabularies are reused where they
fit:

* PROV-O for evidence: an owner (Finding, Recommendation, Agency, Contact, ...)
  ``prov:wasDerivedFrom`` an evidence node typed ``prov:Entity``/``cg:Evidence``
  carrying ``cg:quote``, ``cg:start``, ``cg:end``, ``cg:paragraph``, ``cg:page`` and
  ``cg:document`` (also ``prov:wasQuotedFrom``) pointing at the Document IRI.
  Evidence for an edge (a case's risk factor) hangs off an ``rdf:Statement``
  reifying that edge.
* W3C ORG: an Agency is an ``org:Organization`` with ``org:classification`` to its
  agency type; a successor body links to an ``org:ChangeEvent`` with
  ``org:originalOrganization`` / ``org:resultingOrganization``.
* SKOS: agency types, themes and risk factors are ``skos:Concept`` in three
  ``skos:ConceptScheme`` with prefLabel, altLabel, definition and broader.
* Dublin Core terms / schema.org for documents and reviews (``dcterms:title``,
  ``dcterms:issued``, ``dcterms:publisher``, ``schema:url``).

rdflib and pyshacl are imported inside the functions that need them, so importing
this module stays cheap.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from rdflib import Graph

    from casegraph.graph.store import Store

__all__ = [
    "BASE",
    "CG",
    "NAMESPACES",
    "RDF_FORMATS",
    "iter_triples",
    "jsonld_context",
    "node_iri",
    "to_rdflib_graph",
    "validate",
    "write_jsonld",
    "write_nt",
    "write_rdf",
    "write_turtle",
    "write_xml",
    "xml_safe",
]

BASE = "https://casegraph.org/id/"
CG = "https://casegraph.org/ns#"

NAMESPACES: dict[str, str] = {
    "cg": CG,
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

RDF_FORMATS: dict[str, str] = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "xml": "xml"}
"""casegraph format name -> rdflib serializer name."""

# The three SKOS concept schemes: node label -> (scheme slug, scheme title).
_SCHEMES = {
    "AgencyType": ("agency-types", "Agency types"),
    "Theme": ("themes", "Themes"),
    "RiskFactor": ("risk-factors", "Risk factors"),
}

# Characters XML 1.0 cannot carry (RDF/XML, and GraphML/GEXF in netexport).
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DATE = {
    re.compile(r"^\d{4}$"): "gYear",
    re.compile(r"^\d{4}-\d{2}$"): "gYearMonth",
    re.compile(r"^\d{4}-\d{2}-\d{2}$"): "date",
}


def xml_safe(text: str) -> str:
    """``text`` with characters XML 1.0 forbids (form feeds from PDFs, lone
    surrogates) replaced by spaces, so every serialisation can carry it."""
    return _XML_BAD.sub(" ", text)


def _segments(node_id: str) -> str:
    return "/".join(quote(part, safe="") for part in node_id.split(":"))


def node_iri(node_id: str, base: str = BASE) -> str:
    """The IRI of a node: ``base`` + the id's ':'-separated parts, each percent-encoded.

    >>> node_iri("case:harwick:child l:2020")
    'https://casegraph.org/id/case/harwick/child%20l/2020'
    """
    return _base(base) + _segments(node_id)


def _base(base: str) -> str:
    return base if base.endswith(("/", "#")) else base + "/"


def _hashed(kind: str, key: str, base: str) -> str:
    return f"{_base(base)}{kind}/{hashlib.sha1(key.encode('utf-8')).hexdigest()[:20]}"


def _camel(key: str) -> str:
    head, *rest = re.split(r"[^0-9A-Za-z]+", key) or [key]
    name = head + "".join(p[:1].upper() + p[1:] for p in rest)
    if not name or not name[0].isalpha():
        name = "p" + name
    return name


@cache
def _terms() -> dict[str, Any]:
    """rdflib Namespace objects, and the property/class maps built from them."""
    from rdflib import Namespace

    ns = {k: Namespace(v) for k, v in NAMESPACES.items()}
    cg, skos, dct, org = ns["cg"], ns["skos"], ns["dcterms"], ns["org"]
    props = {
        "locality": cg.locality, "incident_date": cg.incidentDate, "outcome": cg.outcome,
        "published": dct.issued, "partnership": cg.partnershipName, "role": cg.role,
        "age_text": cg.ageText, "age_days": cg.ageDays, "text": cg.text,
        "polarity": cg.polarity, "number": cg.number, "when": cg.when, "missed": cg.missed,
        "summary": cg.summary, "seq": cg.sequence, "paragraph": cg.paragraph,
        "path": cg.path, "sha256": cg.sha256, "title": dct.title,
        "definition": skos.definition, "alt_labels": skos.altLabel, "aliases": skos.altLabel,
        "url": ns["schema"].url,
    }
    by_label = {
        ("Review", "type"): cg.reviewType, ("Agency", "type"): cg.agencyType,
        ("Contact", "kind"): cg.contactKind, ("Document", "kind"): cg.documentKind,
    }
    rels = {
        "REVIEWS": cg.reviews, "DESCRIBES": cg.describes, "PUBLISHED_BY": dct.publisher,
        "SUBJECT": cg.subject, "FAMILY": cg.familyMember, "HAS_RISK": cg.hasRiskFactor,
        "INVOLVED_IN": cg.involvedIn, "OF_TYPE": org.classification, "BY": cg.byAgency,
        "ABOUT": cg.aboutCase, "FOUND": cg.found, "IMPLICATES": cg.implicates,
        "HAS_THEME": cg.hasTheme, "RECOMMENDS": cg.recommends,
        "ADDRESSED_TO": cg.addressedTo, "SUCCEEDS": cg.succeeds, "BROADER": skos.broader,
    }
    extra_types = {
        "Agency": [org.Organization],
        "AgencyType": [skos.Concept], "Theme": [skos.Concept], "RiskFactor": [skos.Concept],
        "Document": [ns["prov"].Entity, ns["schema"].CreativeWork],
    }
    return {"ns": ns, "props": props, "by_label": by_label, "rels": rels,
            "extra_types": extra_types}


def _literal(key: str, value: Any) -> Any:
    from rdflib import Literal
    from rdflib.namespace import XSD

    if isinstance(value, bool):
        return Literal(value, datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(value, datatype=XSD.double)
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    value = xml_safe(value)
    if key in ("published", "incident_date", "issued"):
        for pattern, dtype in _DATE.items():
            if pattern.match(value):
                return Literal(value, datatype=XSD[dtype])
    return Literal(value)


def iter_triples(store: Store, base: str = BASE) -> Iterator[tuple[Any, Any, Any]]:
    """Every triple of the store as rdflib terms, each yielded once, no blank nodes."""
    from rdflib import URIRef
    from rdflib.namespace import RDF, RDFS

    t = _terms()
    ns, props, by_label, rels = t["ns"], t["props"], t["by_label"], t["rels"]
    cg, skos, prov, org, dct = ns["cg"], ns["skos"], ns["prov"], ns["org"], ns["dcterms"]
    base = _base(base)

    def iri(node_id: str) -> URIRef:
        return URIRef(node_iri(node_id, base))

    schemes_used: set[str] = set()
    known: set[str] = set()
    for nid, label, name, nprops in store.nodes():
        known.add(nid)
        s = iri(nid)
        yield s, RDF.type, cg[label]
        for extra in t["extra_types"].get(label, ()):
            yield s, RDF.type, extra
        if name:
            yield s, RDFS.label, _literal("name", name)
        if label in _SCHEMES or label == "Agency":
            if name:
                yield s, skos.prefLabel, _literal("name", name)
        if label in _SCHEMES:
            slug, _title = _SCHEMES[label]
            scheme = URIRef(f"{base}scheme/{slug}")
            schemes_used.add(label)
            yield s, skos.inScheme, scheme
        seen_values: set[tuple[Any, Any]] = set()
        for key, value in sorted(nprops.items()):
            if value is None or value == "" or key == "name":
                continue
            pred = by_label.get((label, key)) or props.get(key) or cg[_camel(key)]
            values = value if isinstance(value, list) else [value]
            for v in values:
                if v is None or v == "":
                    continue
                if pred == skos.altLabel and v == name:
                    continue  # SKOS: prefLabel and altLabel are disjoint
                lit = _literal(key, v)
                if (pred, lit) not in seen_values:
                    seen_values.add((pred, lit))
                    yield s, pred, lit
        if label == "Document":
            path = str(nprops.get("path") or "")
            if re.match(r"^https?://", path) and "url" not in nprops:
                yield s, ns["schema"].url, URIRef(quote(path, safe=":/?#[]@!$&'()*+,;=%~"))

    for label in sorted(schemes_used | set(_SCHEMES)):
        slug, title = _SCHEMES[label]
        scheme = URIRef(f"{base}scheme/{slug}")
        yield scheme, RDF.type, skos.ConceptScheme
        yield scheme, skos.prefLabel, _literal("name", title)
        yield scheme, dct.title, _literal("name", title)

    top: set[str] = {nid for nid, lab, _n, _p in store.nodes() if lab in _SCHEMES}
    for src, rel, dst in store.edges():
        if src not in known or dst not in known:
            continue
        s, o = iri(src), iri(dst)
        yield s, rels.get(rel) or cg[_camel(rel.lower())], o
        if rel == "BROADER":
            top.discard(src)
            yield o, skos.narrower, s
        elif rel == "SUCCEEDS":
            event = URIRef(_hashed("change", f"{dst}\x1f{src}", base))
            yield event, RDF.type, org.ChangeEvent
            yield event, org.originalOrganization, o
            yield event, org.resultingOrganization, s
            yield s, org.resultedFrom, event
            yield o, org.changedBy, event
    for nid, label, _name, _props in store.nodes():
        if nid in top:
            scheme = URIRef(f"{base}scheme/{_SCHEMES[label][0]}")
            yield iri(nid), skos.topConceptOf, scheme
            yield scheme, skos.hasTopConcept, iri(nid)

    seen_ev: set[str] = set()
    statements: set[str] = set()
    rows = store.query(
        'SELECT e.owner, d.sha256, e.start, e."end", e.paragraph, e.page, e.quote, e.extractor '
        "FROM evidence e JOIN documents d ON d.id = e.doc ORDER BY e.owner, e.id")
    for owner, doc, start, end, paragraph, page, text, extractor in rows:
        if "|" in owner:
            src, rel, dst = (owner.split("|", 2) + ["", ""])[:3]
            if src not in known or dst not in known:
                continue
            subject = URIRef(_hashed("statement", owner, base))
            if owner not in statements:
                statements.add(owner)
                yield subject, RDF.type, RDF.Statement
                yield subject, RDF.subject, iri(src)
                yield subject, RDF.predicate, rels.get(rel) or cg[_camel(rel.lower())]
                yield subject, RDF.object, iri(dst)
        elif owner in known:
            subject = iri(owner)
        else:
            continue
        ev = _hashed("evidence", f"{owner}\x1f{doc}\x1f{start}\x1f{end}", base)
        yield subject, prov.wasDerivedFrom, URIRef(ev)
        if ev in seen_ev:
            continue
        seen_ev.add(ev)
        e = URIRef(ev)
        yield e, RDF.type, prov.Entity
        yield e, RDF.type, cg.Evidence
        yield e, cg.quote, _literal("quote", text or "")
        if start is not None:
            yield e, cg.start, _literal("start", int(start))
        if end is not None:
            yield e, cg.end, _literal("end", int(end))
        if paragraph:
            yield e, cg.paragraph, _literal("paragraph", str(paragraph))
        if page is not None:
            yield e, cg.page, _literal("page", int(page))
        if extractor:
            yield e, cg.extractor, _literal("extractor", extractor)
        if f"document:{doc}" in known:
            yield e, cg.document, iri(f"document:{doc}")
            yield e, prov.wasQuotedFrom, iri(f"document:{doc}")


def to_rdflib_graph(store: Store, base: str = BASE) -> Graph:
    """An rdflib Graph of the whole store, with the usual prefixes bound."""
    from rdflib import Graph

    g = Graph(bind_namespaces="core")
    for prefix, uri in NAMESPACES.items():
        g.bind(prefix, uri, override=True)
    g.bind("id", _base(base))
    for triple in iter_triples(store, base):
        g.add(triple)
    return g


@cache
def _context_text() -> str:
    return resources.files("casegraph.schema").joinpath("context.jsonld").read_text("utf-8")


def jsonld_context() -> dict[str, Any]:
    """The ``@context`` object shipped in ``casegraph/schema/context.jsonld``."""
    return json.loads(_context_text())["@context"]


def write_rdf(store: Store, out: str | IO[Any], fmt: str = "ttl", *, base: str = BASE) -> None:
    """Serialise the store as ``fmt`` (ttl, jsonld, nt, xml) to a path, "-" or a file."""
    from casegraph.errors import CasegraphError
    from casegraph.graph.export import write_output

    if fmt not in RDF_FORMATS:
        raise CasegraphError(f"unknown RDF format {fmt!r}; choose one of {', '.join(RDF_FORMATS)}")
    g = to_rdflib_graph(store, base)
    kwargs: dict[str, Any] = {}
    if fmt == "jsonld":
        kwargs["context"] = jsonld_context()
        kwargs["indent"] = 2
    data = g.serialize(format=RDF_FORMATS[fmt], encoding="utf-8", **kwargs)
    write_output(out, data)


def write_turtle(store: Store, out: str | IO[Any], *, base: str = BASE) -> None:
    """Turtle."""
    write_rdf(store, out, "ttl", base=base)


def write_jsonld(store: Store, out: str | IO[Any], *, base: str = BASE) -> None:
    """JSON-LD compacted with ``casegraph/schema/context.jsonld``."""
    write_rdf(store, out, "jsonld", base=base)


def write_nt(store: Store, out: str | IO[Any], *, base: str = BASE) -> None:
    """N-Triples."""
    write_rdf(store, out, "nt", base=base)


def write_xml(store: Store, out: str | IO[Any], *, base: str = BASE) -> None:
    """RDF/XML."""
    write_rdf(store, out, "xml", base=base)


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
