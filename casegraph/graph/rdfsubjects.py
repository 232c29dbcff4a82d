"""The subjects a store yields as RDF: the mapping of its nodes, edges and evidence
to the ``cg:`` vocabulary and standard W3C terms.

Every node becomes an IRI ``base + quote(id with ':' -> '/')`` (``rdfterms.node_iri``).
Ids are content keys, so the same documents give the same IRIs in any store. Classes
and properties live in ``cg: <https://casegraph.org/ns#>`` (described in
``casegraph/schema/ontology.ttl``); standard vocabularies are reused where they fit:

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

``iter_subjects`` reads the store in key order (nodes, their edges and their evidence
merged as three sorted cursors) and yields each subject once with all its
predicate-object pairs, the terms already in N-Triples syntax and no blank nodes:
the streaming writers of ``casegraph.graph.rdfwrite`` format them without rdflib,
and memory stays flat whatever the store's size.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from casegraph.graph.rdfterms import (
    _DATE_KEYS,
    BASE,
    NAMESPACES,
    XSD,
    _base,
    _camel,
    _hashed,
    _plain,
    _segments,
    escape,
    literal,
    xml_safe,
)

if TYPE_CHECKING:
    from casegraph.graph.store import Store

__all__ = ["Subject", "iter_subjects", "progress_total"]


Subject = tuple[str, list[str]]
"""A subject term and its "predicate object" pairs, the terms in N-Triples syntax
(a predicate is an IRI, which holds no space: the first space splits a pair)."""

# The three SKOS concept schemes: node label -> (scheme slug, scheme title).
_SCHEMES = {
    "AgencyType": ("agency-types", "Agency types"),
    "Theme": ("themes", "Themes"),
    "RiskFactor": ("risk-factors", "Risk factors"),
}

_PROGRESS_STEP = 4096  # nodes and quotes between two progress calls


@cache
def _terms() -> dict[str, Any]:
    """Predicate and class terms (``<iri>``) of the mapping."""
    ns = {k: (lambda local, v=v: f"<{v}{local}>") for k, v in NAMESPACES.items()}
    cg, skos, dct, org, rdf = ns["cg"], ns["skos"], ns["dcterms"], ns["org"], ns["rdf"]
    props = {
        "locality": cg("locality"), "incident_date": cg("incidentDate"), "outcome": cg("outcome"),
        "published": dct("issued"), "partnership": cg("partnershipName"), "role": cg("role"),
        "age_text": cg("ageText"), "age_days": cg("ageDays"), "text": cg("text"),
        "polarity": cg("polarity"), "number": cg("number"), "when": cg("when"),
        "missed": cg("missed"), "summary": cg("summary"), "seq": cg("sequence"),
        "paragraph": cg("paragraph"), "path": cg("path"), "sha256": cg("sha256"),
        "title": dct("title"), "definition": skos("definition"), "alt_labels": skos("altLabel"),
        "aliases": skos("altLabel"), "url": ns["schema"]("url"),
    }
    by_label = {
        ("Review", "type"): cg("reviewType"), ("Agency", "type"): cg("agencyType"),
        ("Contact", "kind"): cg("contactKind"), ("Document", "kind"): cg("documentKind"),
    }
    rels = {
        "REVIEWS": cg("reviews"), "DESCRIBES": cg("describes"), "PUBLISHED_BY": dct("publisher"),
        "SUBJECT": cg("subject"), "FAMILY": cg("familyMember"), "HAS_RISK": cg("hasRiskFactor"),
        "INVOLVED_IN": cg("involvedIn"), "OF_TYPE": org("classification"), "BY": cg("byAgency"),
        "ABOUT": cg("aboutCase"), "FOUND": cg("found"), "IMPLICATES": cg("implicates"),
        "HAS_THEME": cg("hasTheme"), "RECOMMENDS": cg("recommends"),
        "ADDRESSED_TO": cg("addressedTo"), "SUCCEEDS": cg("succeeds"), "BROADER": skos("broader"),
    }
    extra_types = {
        "Agency": [org("Organization")],
        "AgencyType": [skos("Concept")], "Theme": [skos("Concept")], "RiskFactor": [skos("Concept")],
        "Document": [ns["prov"]("Entity"), ns["schema"]("CreativeWork")],
    }
    return {"ns": ns, "props": props, "by_label": by_label, "rels": rels, "extra_types": extra_types,
            "type": rdf("type"), "label": ns["rdfs"]("label")}


def _rel(rel: str) -> str:
    t = _terms()
    return t["rels"].get(rel) or t["ns"]["cg"](_camel(rel.lower()))


def progress_total(store: Store) -> int:
    """What ``iter_subjects`` reports progress in: nodes plus evidence quotes."""
    counts = store.counts()
    return counts["nodes"] + counts["evidence"]


def _pairs(store: Store, rel: str) -> list[tuple[str, str]]:
    """(src, dst) of one relation whose both ends are nodes (few: vocabulary, successions)."""
    return store.rows(
        "SELECT DISTINCT src, dst FROM edges e WHERE rel = ? AND EXISTS (SELECT 1 FROM nodes n WHERE n.id = e.src) "
        "AND EXISTS (SELECT 1 FROM nodes n WHERE n.id = e.dst) ORDER BY src, dst", (rel,)).fetchall()


def iter_subjects(store: Store, base: str = BASE,
                  progress: Callable[[int], None] | None = None) -> Iterator[Subject]:
    """Every subject of the store's RDF once, with all its "predicate object" terms.

    Nodes come in id order, each with its outgoing edges and the evidence it was read
    from, then the reified edges that carry evidence, the change events of successor
    bodies and the three concept schemes. ``progress(n)`` is called with the number of
    nodes and quotes done since the last call (see ``progress_total``)."""
    import orjson

    t = _terms()
    ns, props, by_label, extra_types = t["ns"], t["props"], t["by_label"], t["extra_types"]
    cg, skos, prov, org, dct, rdf = ns["cg"], ns["skos"], ns["prov"], ns["org"], ns["dcterms"], ns["rdf"]
    a, rdfs_label, pref = t["type"], t["label"], skos("prefLabel")
    alt = skos("altLabel")
    b = _base(base)
    iri = lru_cache(maxsize=1 << 16)(lambda nid: f"<{b}{_segments(nid)}>")
    scheme_iri = {label: f"<{b}scheme/{slug}>" for label, (slug, _t) in _SCHEMES.items()}
    classes: dict[str, list[str]] = {}
    keys: dict[str, dict[str, str]] = {}  # label -> property key -> predicate
    rels: dict[str, str] = {}
    # "predicate object" of edges by relation and target: themes, agencies and cases
    # are the targets of most edges (a bounded cache: memory stays flat).
    edge_terms: dict[str, dict[str, str]] = {}

    # Small and bounded (the vocabulary, successor bodies): held in memory.
    narrower: dict[str, list[str]] = defaultdict(list)
    for src, dst in _pairs(store, "BROADER"):
        narrower[dst].append(f"{skos('narrower')} {iri(src)}")
    has_broader = {src for src, _dst in _pairs(store, "BROADER")}
    events: list[tuple[str, str, str]] = []
    links: dict[str, list[str]] = defaultdict(list)  # a successor body's change events
    for src, dst in _pairs(store, "SUCCEEDS"):
        event = _hashed("change", f"{dst}\x1f{src}", b)
        events.append((event, src, dst))
        links[src].append(f"{org('resultedFrom')} {event}")
        links[dst].append(f"{org('changedBy')} {event}")
    tops: dict[str, list[str]] = defaultdict(list)

    # Evidence: its IRI under its owner's, named by the document and the span (no two
    # quotes of an owner share them); Python escapes the few quotes that need it.
    derived = f"{prov('wasDerivedFrom')} "
    documents: dict[int, tuple[str, list[str]]] = {}  # doc -> (its IRIs' part, the links to it)
    for doc, sha, node in store.rows("SELECT d.id, d.sha256, n.id FROM documents d "
                                     "LEFT JOIN nodes n ON n.id = 'document:' || d.sha256"):
        documents[doc] = (f"/evidence/{sha[:16]}/", [f"{cg('document')} {iri(node)}",
                          f"{prov('wasQuotedFrom')} {iri(node)}"] if node else [])
    entity_a, entity_b = f"{a} {prov('Entity')}", f"{a} {cg('Evidence')}"
    quote_p, start_p, end_p, para_p, page_p, extractor_p = (
        f"{cg('quote')} \"", cg("start"), cg("end"), cg("paragraph"), cg("page"), cg("extractor"))
    integer = f'"^^<{XSD}integer>'
    true, false = literal("", True), literal("", False)
    # the numbers as text: they are only written
    ev_sql = """SELECT owner, doc, quote, CAST(CAST(start AS INTEGER) AS TEXT), CAST(CAST("end" AS INTEGER) AS TEXT),
        paragraph, CAST(CAST(page AS INTEGER) AS TEXT), extractor FROM evidence WHERE instr(owner, '|') {} 0
        ORDER BY owner, id"""

    paragraphs: dict[Any, str] = {}  # their terms: few values, each repeated
    extractors: dict[Any, str] = {}

    def term(cache: dict[Any, str], pred: str, key: str, value: Any) -> str:
        if len(cache) > 4096:
            cache.clear()
        found = cache[value] = f"{pred} {literal(key, str(value))}"
        return found

    def evidence_of(owner_iri: str, rows: list[tuple], pos: list[str]) -> list[Subject]:
        """The evidence subjects of one owner, each linked from ``pos``."""
        out: list[Subject] = []
        seen: set[str] = set()
        head = owner_iri[:-1]
        for _owner, doc, quote_text, start, end, paragraph, page, extractor in rows:
            part, links = documents.get(doc) or ("", [])
            ev = f"{head}{part}{start}-{end}>" if part else f"{head}/evidence//None-None>"  # its document gone
            if ev in seen:
                continue
            seen.add(ev)
            pos.append(derived + ev)
            ev_pos = [entity_a, entity_b, f'{quote_p}{quote_text}"' if _plain(quote_text)
                      else f"{quote_p}{escape(xml_safe(quote_text))}\""]
            if start is not None:
                ev_pos.append(f'{start_p} "{start}{integer}')
            if end is not None:
                ev_pos.append(f'{end_p} "{end}{integer}')
            if paragraph:
                ev_pos.append(paragraphs.get(paragraph) or term(paragraphs, para_p, "paragraph", paragraph))
            if page is not None:
                ev_pos.append(f'{page_p} "{page}{integer}')
            if extractor:
                ev_pos.append(extractors.get(extractor) or term(extractors, extractor_p, "extractor", extractor))
            ev_pos += links
            out.append((ev, ev_pos))
        return out

    done = 0
    # Edges in the primary key's order (src >= '' picks it): the same edge of several
    # documents in a row. The store removes a node's edges with it (check() reports
    # any it missed), so their targets are not looked up again here.
    edges = groupby(store.rows("SELECT src, rel, dst FROM edges WHERE src >= '' ORDER BY src, rel, dst"),
                    key=itemgetter(0))
    evidence = groupby(store.rows(ev_sql.format("=")), key=itemgetter(0))
    next_edges = next(edges, None)
    next_evidence = next(evidence, None)
    for nid, label, name, raw in store.rows("SELECT id, label, name, props FROM nodes ORDER BY id"):
        done += 1
        s = f"<{b}{_segments(nid)}>"
        types = classes.get(label)
        if types is None:
            types = classes[label] = [f"{a} {t}" for t in (cg(label), *extra_types.get(label, ()))]
        pos = types.copy()
        if name:
            name_lit = f'"{name}"' if _plain(name) else literal("name", name)
            pos.append(f"{rdfs_label} {name_lit}")
            if label in _SCHEMES or label == "Agency":
                pos.append(f"{pref} {name_lit}")
        if label in _SCHEMES:
            pos.append(f"{skos('inScheme')} {scheme_iri[label]}")
        nprops = orjson.loads(raw) if raw and raw != "{}" else {}
        preds = keys.get(label) or keys.setdefault(label, {})
        listed = False
        for key, value in sorted(nprops.items()):
            kind = type(value)
            if value is None or value == "" or key == "name":
                continue
            pred = preds.get(key)
            if pred is None:
                pred = preds[key] = by_label.get((label, key)) or props.get(key) or cg(_camel(key))
            # literal()'s commonest cases, without the call
            if kind is str and key not in _DATE_KEYS and _plain(value):
                pos.append(f'{pred} "{value}"')
            elif kind is int:
                pos.append(f'{pred} "{value}{integer}')
            elif kind is bool:
                pos.append(f"{pred} {true if value else false}")
            elif kind is not list:
                pos.append(f"{pred} {literal(key, value)}")
            else:
                listed = True
                pos.extend(f"{pred} {literal(key, v)}" for v in value if v is not None and v != ""
                           and not (pred == alt and v == name))  # SKOS: prefLabel and altLabel are disjoint
        if listed:
            pos = list(dict.fromkeys(pos))  # two keys, one property (aliases, alt_labels)
        if label == "Document":
            path = str(nprops.get("path") or "")
            if re.match(r"^https?://", path) and "url" not in nprops:
                pos.append(f"{ns['schema']('url')} <{quote(path, safe=':/?#[]@!$&()*+,;=%~')}>")
        while next_edges is not None and next_edges[0] < nid:
            next_edges = next(edges, None)
        if next_edges is not None and next_edges[0] == nid:
            last = None
            for edge in next_edges[1]:
                if edge != last:  # not the same edge asserted by another document
                    last = edge
                    _src, rel, dst = edge
                    targets = edge_terms.get(rel)
                    if targets is None:
                        targets = edge_terms[rel] = {}
                    found = targets.get(dst)
                    if found is None:
                        if len(targets) > 4096:
                            targets.clear()
                        pred = rels.get(rel) or rels.setdefault(rel, _rel(rel))
                        found = targets[dst] = f"{pred} {iri(dst)}"
                    pos.append(found)
            next_edges = next(edges, None)
        if nid in narrower:
            pos += narrower[nid]
        if nid in links:
            pos += links[nid]
        if label in _SCHEMES and nid not in has_broader:
            pos.append(f"{skos('topConceptOf')} {scheme_iri[label]}")
            tops[label].append(f"{skos('hasTopConcept')} {s}")
        evidence_subjects: list[Subject] = []
        while next_evidence is not None and next_evidence[0] < nid:
            done += sum(1 for _ in next_evidence[1])  # evidence of a node no longer there
            next_evidence = next(evidence, None)
        if next_evidence is not None and next_evidence[0] == nid:
            rows = list(next_evidence[1])
            done += len(rows)
            evidence_subjects = evidence_of(s, rows, pos)
            next_evidence = next(evidence, None)
        yield s, pos
        yield from evidence_subjects
        if done >= _PROGRESS_STEP and progress:
            progress(done)
            done = 0

    # Evidence of an edge (a case's risk factor) hangs off the statement reifying it.
    exists = store.db.cursor()
    for owner, group in groupby(store.rows(ev_sql.format(">")), key=itemgetter(0)):
        src, rel, dst = (owner.split("|", 2) + ["", ""])[:3]
        rows = list(group)
        done += len(rows)
        if any(exists.execute("SELECT 1 FROM nodes WHERE id = ?", (n,)).fetchone() is None for n in (src, dst)):
            continue
        pos = [f"{a} {rdf('Statement')}", f"{rdf('subject')} {iri(src)}", f"{rdf('predicate')} {_rel(rel)}",
               f"{rdf('object')} {iri(dst)}"]
        statement = _hashed("statement", owner, b)
        evidence_subjects = evidence_of(statement, rows, pos)
        yield statement, pos
        yield from evidence_subjects
        if done >= _PROGRESS_STEP and progress:
            progress(done)
            done = 0

    for event, src, dst in events:
        yield event, [f"{a} {org('ChangeEvent')}", f"{org('originalOrganization')} {iri(dst)}",
                      f"{org('resultingOrganization')} {iri(src)}"]
    for label in sorted(_SCHEMES):
        title = literal("name", _SCHEMES[label][1])
        yield scheme_iri[label], [f"{a} {skos('ConceptScheme')}", f"{pref} {title}", f"{dct('title')} {title}",
                                  *tops[label]]
    if progress and done:
        progress(done)
