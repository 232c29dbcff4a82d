"""Named queries that look up what is recorded: the cases with their reviews and
documents, facts on which sources disagree, one agency across reviews, one case's
timeline of contacts, full-text search over the evidence, and the store's counts.
The row builders (``_conflict_rows``, ``_timeline``, ...) are shared with the Neo4j
backend, so both answer alike."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from typing import Any

from casegraph.errors import CasegraphError
from casegraph.graph.queries import Param, _register, find_node

__all__ = ["cases", "conflicts", "agency", "case", "search", "fts_match", "stats"]


def _props(raw: str | None) -> dict[str, Any]:
    return json.loads(raw) if raw else {}


@_register("cases", "Each case with its reviews and the documents that describe it.")
def cases(store: Any) -> list[dict[str, Any]]:
    rows = store.query(
        """
        SELECT c.id, c.name, c.props, group_concat(DISTINCT r.name) AS reviews,
               group_concat(DISTINCT d.path) AS documents, count(DISTINCT d.sha256) AS n
        FROM nodes c
        LEFT JOIN documents d ON d.case_id = c.id
        LEFT JOIN nodes r ON r.id = d.review_id
        WHERE c.label = 'Case' GROUP BY c.id ORDER BY c.id
        """
    )
    out = []
    for r in rows:
        p = _props(r["props"])
        out.append({"case": r["id"], "name": r["name"], "locality": p.get("locality"),
                    "incident_date": p.get("incident_date"), "outcome": p.get("outcome"),
                    "reviews": sorted((r["reviews"] or "").split(",")) if r["reviews"] else [],
                    "documents": sorted((r["documents"] or "").split(",")) if r["documents"] else []})
    return out


@_register("conflicts", "Facts on which documents about one case disagree, with every source.")
def conflicts(store: Any) -> list[dict[str, Any]]:
    rows = store.query(
        """
        SELECT f.subject, n.name, f.fact, f.value, d.path, f.quote, f.paragraph
        FROM facts f JOIN documents d ON d.id = f.doc
        LEFT JOIN nodes n ON n.id = f.subject
        WHERE (f.subject, f.fact) IN (
            SELECT subject, fact FROM facts GROUP BY subject, fact
            HAVING count(DISTINCT lower(value)) > 1)
        ORDER BY f.subject, f.fact, f.value, d.path
        """
    )
    return _conflict_rows(rows)


def _conflict_rows(rows: Any) -> list[dict[str, Any]]:
    """(subject, name, fact, value, path, quote) of the facts with several values, in
    order, as one row per subject and fact whose values really differ."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        row = out.setdefault((r[0], r[2]), {"subject": r[1] or r[0], "fact": r[2], "values": []})
        row["values"].append({"value": r[3], "document": r[4], "quote": r[5]})
    rows_out = [row for row in out.values() if len(_distinct(row["fact"], row["values"])) > 1]
    for row in rows_out:
        if row["fact"] == "subject_age":
            _one_spelling(row["values"])
    return rows_out


_QUALIFIERS = ("less", "under", "nearly", "almost")


def _age_key(value: str) -> str:
    from casegraph.loaders.ages import age_in_days

    v = value.lower()
    return f"{v.split()[0] if v.split()[0] in _QUALIFIERS else ''}{age_in_days(v) or v}"


def _one_spelling(values: list[dict[str, Any]]) -> None:
    """"7 months" and "seven months" are one age: each source keeps its quote, and
    the value is written one way (the spelling most sources use)."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for v in values:
        spellings[_age_key(v["value"])][v["value"]] += 1
    for v in values:
        v["value"] = spellings[_age_key(v["value"])].most_common(1)[0][0]
    values.sort(key=lambda v: (v["value"], v["document"] or ""))


def _distinct(fact: str, values: list[dict[str, Any]]) -> set[str]:
    """Values that really differ: a date known to the year agrees with the same
    date known to the month."""
    vals = {v["value"].lower() for v in values}
    if fact == "subject_age":
        vals = {_age_key(v) for v in vals}
    if fact.endswith("date"):
        vals = {v for v in vals if not any(o != v and o.startswith(v) for o in vals)}
    return vals


@_register(
    "agency", "One agency across reviews: themes of findings, recommendations, contacts.",
    Param("name", help="agency id, name or alias", argument=True),
)
def agency(store: Any, name: str) -> list[dict[str, Any]]:
    aid, _ = find_node(store, name, "Agency")
    out = []
    for r in store.query(
        """
        SELECT rv.src AS review, rn.name AS review_name, th.dst AS theme, f.id, f.props
        FROM edges fi CROSS JOIN nodes f ON f.id = fi.src
        CROSS JOIN edges rv ON rv.dst = f.id AND rv.rel = 'FOUND'
        CROSS JOIN nodes rn ON rn.id = rv.src
        LEFT JOIN edges th ON th.src = f.id AND th.rel = 'HAS_THEME'
        WHERE fi.rel = 'IMPLICATES' AND fi.dst = ? ORDER BY rv.src, f.id, th.dst
        """, (aid,)):
        out.append(_finding_row(r["review_name"], r["theme"], _props(r["props"])))
    for r in store.query(
        """
        SELECT rn.name AS review_name, n.props FROM edges ad CROSS JOIN nodes n ON n.id = ad.src
        CROSS JOIN edges rr ON rr.dst = n.id AND rr.rel = 'RECOMMENDS' CROSS JOIN nodes rn ON rn.id = rr.src
        WHERE ad.rel = 'ADDRESSED_TO' AND ad.dst = ? GROUP BY n.id ORDER BY n.id
        """, (aid,)):
        out.append(_recommendation_row(r["review_name"], _props(r["props"])))
    for r in store.query(
        """
        SELECT cn.name AS case_name, n.props FROM edges b CROSS JOIN nodes n ON n.id = b.src
        CROSS JOIN edges ab ON ab.src = n.id AND ab.rel = 'ABOUT' CROSS JOIN nodes cn ON cn.id = ab.dst
        WHERE b.rel = 'BY' AND b.dst = ? GROUP BY n.id ORDER BY n.id
        """, (aid,)):
        out.append(_contact_row(r["case_name"], _props(r["props"])))
    return out


def _finding_row(review: str, theme: str | None, p: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "finding", "review": review, "theme": (theme or "").removeprefix("theme:"),
            "polarity": p.get("polarity"), "text": p.get("text")}


def _recommendation_row(review: str, p: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "recommendation", "review": review, "theme": None,
            "polarity": None, "text": f"{p.get('number') or '-'}: {p.get('text')}"}


def _contact_row(case: str, p: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "contact", "review": case, "theme": None,
            "polarity": "missed" if p.get("missed") else None,
            "text": f"{p.get('when') or ''} {p.get('kind')}: {p.get('summary')}".strip()}


@_register("case", "A case's timeline of professional contacts, in order.",
           Param("id", help="case id or name", argument=True))
def case(store: Any, id: str) -> list[dict[str, Any]]:
    cid, _ = find_node(store, id, "Case")
    rows = store.query(
        """
        SELECT n.id, n.props, a.name AS agency FROM edges ab JOIN nodes n ON n.id = ab.src
        LEFT JOIN edges b ON b.src = n.id AND b.rel = 'BY' LEFT JOIN nodes a ON a.id = b.dst
        WHERE ab.rel = 'ABOUT' AND ab.dst = ? GROUP BY n.id
        """, (cid,))
    return _timeline((r["id"], _props(r["props"]), r["agency"]) for r in rows)


def _timeline(rows: Any) -> list[dict[str, Any]]:
    """(contact id, props, agency name) as the rows of a case's timeline, in order."""
    out = []
    for cid, p, agency in rows:
        out.append({"seq": p.get("seq"), "paragraph": p.get("paragraph"), "when": p.get("when"),
                    "date": p.get("date"),
                    "agency": agency, "role": p.get("role"), "kind": p.get("kind"),
                    "missed": bool(p.get("missed")), "status": p.get("status"),
                    "summary": p.get("summary"),
                    "_doc": cid.split(":")[1]})
    out.sort(key=lambda x: (x.pop("_doc"), _para_key(x["paragraph"]), x["seq"] or 0))
    return out


def _para_key(p: str | None) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", p or ""))


@_register("search", "Full-text search over every evidence quote.",
           Param("text", help="words to find (all must occur)", argument=True),
           Param("limit", int, 50, "most rows returned", least=1))
def search(store: Any, text: str, limit: int = 50) -> list[dict[str, Any]]:
    match = fts_match(text)
    rows = store.query(
        """
        SELECT e.owner, n.label, d.path, e.paragraph,
               snippet(evidence_fts, 0, '[', ']', '…', 16) AS snippet
        FROM evidence_fts JOIN evidence e ON e.id = evidence_fts.rowid
        LEFT JOIN nodes n ON n.id = e.owner LEFT JOIN documents d ON d.id = e.doc
        WHERE evidence_fts MATCH ? ORDER BY rank LIMIT ?
        """, (match, limit))
    return [{"owner": r[0], "label": r[1], "document": r[2], "paragraph": r[3], "quote": r[4]}
            for r in rows]


def fts_match(text: str) -> str:
    """An FTS5 query finding every word of ``text``: each word a quoted string, so no
    text can be read as query syntax."""
    words = re.findall(r"\w+", text)
    if not words:
        raise CasegraphError("search needs at least one word")
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


@_register("stats", "Counts of documents, nodes by label, edges and evidence.")
def stats(store: Any) -> list[dict[str, Any]]:
    return [{"what": k, "count": v} for k, v in store.counts().items()]
