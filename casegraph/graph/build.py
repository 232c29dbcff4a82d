"""ReviewRecord in, graph rows out: the nodes, edges, evidence and facts one
document asserts, keyed by content so a reload produces the same rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from casegraph.loaders.attribution import ALL_AGENCIES
from casegraph.loaders.resolve import agency_id, named_subjects, slug
from casegraph.schema.record import Evidence, ReviewRecord

__all__ = ["Fragment", "build_fragment", "OWN_LABELS", "own_prefixes"]

# Nodes only the document that names them asserts: their ids carry its sha.
OWN_LABELS = frozenset({"Document", "Finding", "Recommendation", "Contact"})


@dataclass
class Fragment:
    """What one document adds to the graph. ``case_id`` is filled in by the store,
    which alone knows the cases already there."""

    sha: str
    nodes: dict[str, tuple[str, str, dict[str, Any]]] = field(default_factory=dict)
    edges: set[tuple[str, str, str]] = field(default_factory=set)
    evidence: list[tuple[str, Evidence, str]] = field(default_factory=list)
    facts: list[tuple[str, str, str, Evidence | None]] = field(default_factory=list)

    def node(self, nid: str, label: str, name: str, **props: Any) -> str:
        props = {k: v for k, v in props.items() if v not in (None, "", [])}
        if nid in self.nodes:
            self.nodes[nid][2].update(props)
        else:
            self.nodes[nid] = (label, name, props)
        return nid

    def edge(self, src: str, rel: str, dst: str) -> None:
        self.edges.add((src, rel, dst))

    def cite(self, owner: str, evidence: list[Evidence], extractor: str) -> None:
        for ev in evidence:
            self.evidence.append((owner, ev, extractor))

    def fact(self, subject: str, fact: str, value: Any, ev: Evidence | None = None) -> None:
        if value not in (None, ""):
            self.facts.append((subject, fact, str(value), ev))


def own_prefixes(sha: str) -> list[str]:
    """Id prefixes of the nodes of OWN_LABELS that the document ``sha`` asserts."""
    short = sha[:12]
    return [f"document:{sha}", *(f"{kind}:{short}:" for kind in ("finding", "recommendation", "contact"))]


def _first(evidence: list[Evidence]) -> Evidence | None:
    return evidence[0] if evidence else None


def build_fragment(record: ReviewRecord, case_id: str, rid: str,
                   named_subject: tuple[str, str] | None = None) -> Fragment:
    """Map one record onto graph rows, given the Case and Review it was resolved to
    and the (id, name) of the one subject another document named in that Case."""
    doc = record.document
    sha = doc["sha256"]
    short = sha[:12]
    frag = Fragment(sha=sha)
    case = record.case
    review = record.review
    locality = case.get("locality")

    doc_id = frag.node(
        f"document:{sha}", "Document", doc.get("title") or doc["path"],
        path=doc["path"], sha256=sha, kind=doc.get("kind"), title=doc.get("title"),
        published=doc.get("published"),
    )
    subjects = case.get("subjects") or []
    outcome = next((s.get("outcome") for s in subjects if s.get("outcome")), None)
    frag.node(case_id, "Case", _case_name(case), locality=locality,
              incident_date=case.get("incident_date"), outcome=outcome)
    frag.node(rid, "Review", f"{review.get('type') or 'Review'}: {_case_name(case)}",
              type=review.get("type"), published=review.get("published"),
              partnership=review.get("partnership"))
    frag.edge(rid, "REVIEWS", case_id)
    frag.edge(doc_id, "DESCRIBES", rid)

    # Facts that documents of one case may disagree on: kept per source.
    frag.fact(rid, "review_type", review.get("type"), _first(review.get("type_evidence") or []))
    frag.fact(rid, "recommendations_count", review.get("recommendations_count"),
              review.get("recommendations_count_evidence"))
    frag.fact(case_id, "incident_date", case.get("incident_date"))
    frag.fact(case_id, "locality", locality)
    for s in subjects:
        frag.fact(case_id, "subject_age", s.get("age_text"), s.get("age_evidence"))
        frag.fact(case_id, "outcome", s.get("outcome"))

    for s in subjects:
        # A subject the text gives an age but no name is the one another document of
        # the case named, else the case's one unnamed subject.
        name = s.get("pseudonym")
        pid, shown = (f"person:{case_id[5:]}:{slug(name)}", name) if name else \
            named_subject or (f"person:{case_id[5:]}:unnamed-subject", "unnamed subject")
        pid = frag.node(pid, "Person", shown, role="subject", age_text=s.get("age_text"), age_days=s.get("age_days"))
        frag.edge(case_id, "SUBJECT", pid)
    for f in case.get("family") or []:
        pid = frag.node(f"person:{case_id[5:]}:{slug(f['pseudonym'])}", "Person", f["pseudonym"],
                        role=f.get("role"), age_text=f.get("age"))
        frag.edge(case_id, "FAMILY", pid)

    # Agencies: a name in the record resolves to one concrete agency per locality.
    by_name: dict[str, str] = {}
    for a in record.agencies:
        place = locality
        aid = agency_id(place, a.type, a.name)
        frag.node(aid, "Agency", a.name, locality=place, type=a.type,
                  aliases=sorted(set(a.aliases) | {a.name}))
        frag.edge(aid, "OF_TYPE", f"agencytype:{a.type}")
        frag.cite(aid, a.evidence, "agencies")
        if a.type == "safeguarding-partnership" and a.name in (review.get("partnership") or []):
            frag.edge(rid, "PUBLISHED_BY", aid)
        else:
            frag.edge(aid, "INVOLVED_IN", case_id)
        for n in [a.name, *a.aliases]:
            by_name[n.lower()] = aid

    if any(ALL_AGENCIES in f.agencies for f in record.findings):
        # Findings that blame agencies in general implicate one node of the area.
        aid = agency_id(locality, ALL_AGENCIES, "all agencies")
        frag.node(aid, "Agency", f"All agencies ({locality or 'unknown area'})", locality=locality,
                  type=ALL_AGENCIES, aliases=[])
        frag.edge(aid, "OF_TYPE", f"agencytype:{ALL_AGENCIES}")
        by_name[ALL_AGENCIES] = aid

    for i, f in enumerate(record.findings):
        fid = frag.node(f"finding:{short}:{i}", "Finding", _short(f.text), text=f.text,
                        polarity=f.polarity)
        frag.edge(rid, "FOUND", fid)
        frag.cite(fid, f.evidence, "findings")
        for t in f.themes:
            frag.edge(fid, "HAS_THEME", f"theme:{t}")
        for n in f.agencies:
            if n.lower() in by_name:
                frag.edge(fid, "IMPLICATES", by_name[n.lower()])

    for i, r in enumerate(record.recommendations):
        nid = frag.node(f"recommendation:{short}:{i}", "Recommendation", _short(r.text),
                        number=r.number, text=r.text)
        frag.edge(rid, "RECOMMENDS", nid)
        frag.cite(nid, r.evidence, "recommendations")
        for t in r.themes:
            frag.edge(nid, "HAS_THEME", f"theme:{t}")
        for n in r.addressed_to:
            target = by_name.get(n.lower()) or f"agencytype:{n}"
            frag.edge(nid, "ADDRESSED_TO", target)

    for rf in record.risk_factors:
        frag.edge(case_id, "HAS_RISK", f"riskfactor:{rf.id}")
        frag.cite(f"{case_id}|HAS_RISK|riskfactor:{rf.id}", rf.evidence, "risk_factors")

    for i, c in enumerate(record.contacts):
        cid = frag.node(f"contact:{short}:{i}", "Contact", _short(c.summary), when=c.when, date=c.date,
                        kind=c.kind, role=c.role, missed=c.missed, status=c.status,
                        summary=c.summary,
                        seq=i, paragraph=c.evidence[0].paragraph if c.evidence else None)
        frag.edge(cid, "ABOUT", case_id)
        frag.cite(cid, c.evidence, "contacts")
        if c.agency and c.agency.lower() in by_name:
            frag.edge(cid, "BY", by_name[c.agency.lower()])
    return frag


def _case_name(case: dict[str, Any]) -> str:
    subjects = named_subjects(case)
    who = subjects[0]["pseudonym"] if subjects else "unnamed subject"
    where = case.get("locality") or "unknown locality"
    return f"{who} ({where})"


def _short(text: str, limit: int = 80) -> str:
    # Squeezing the start of a long text squeezes the start of all of it: a paragraph
    # is not split whole for its first 80 characters.
    head = " ".join(text[: 4 * limit].split())
    if len(head) <= limit and len(text) > 4 * limit:
        head = " ".join(text.split())
    return head if len(head) <= limit else head[: limit - 1] + "…"


def dumps(value: Any) -> str:
    """JSON text with sorted keys, as node properties are stored (orjson: a tenth of
    the time of the json module, which made a national load's writer spend 3 s here)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
