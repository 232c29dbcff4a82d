"""Named queries over the embedded store: each a function of the store and
validated parameters returning rows, registered by name with its parameters so
the CLI and the Python API expose the same set."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from casegraph.errors import CasegraphError, NodeNotFound, UnknownQuery

__all__ = ["Param", "QuerySpec", "QUERIES", "run_query", "bind", "find_node"]


@dataclass(frozen=True)
class Param:
    """One parameter of a named query, described once for the CLI and the API."""

    name: str
    type: type = str
    default: Any = None
    help: str = ""
    choices: tuple[str, ...] | None = None
    argument: bool = False  # positional on the command line
    flag: bool = False


@dataclass(frozen=True)
class QuerySpec:
    name: str
    func: Callable[..., list[dict[str, Any]]]
    help: str
    params: tuple[Param, ...] = field(default_factory=tuple)


QUERIES: dict[str, QuerySpec] = {}


def _register(name: str, help: str, *params: Param):
    def wrap(func: Callable[..., list[dict[str, Any]]]):
        QUERIES[name] = QuerySpec(name, func, help, params)
        return func

    return wrap


def run_query(store: Any, name: str, /, **params: Any) -> list[dict[str, Any]]:
    """Run the named query with ``params`` (defaults filled, unknown names refused)."""
    spec, args = bind(name, params)
    return spec.func(store, **args)


def bind(name: str, params: dict[str, Any]) -> tuple[QuerySpec, dict[str, Any]]:
    """The named query and its arguments: defaults filled, unknown names and bad values
    refused (the same for every backend)."""
    spec = QUERIES.get(name)
    if spec is None:
        raise UnknownQuery(f"no query named {name!r}; choose from: {', '.join(sorted(QUERIES))}")
    known = {p.name: p for p in spec.params}
    unknown = set(params) - set(known)
    if unknown:
        raise CasegraphError(f"query {name} takes no parameter {', '.join(sorted(unknown))}")
    args = {}
    for p in spec.params:
        value = params.get(p.name, p.default)
        if value is None and p.argument:
            raise CasegraphError(f"query {name} needs {p.name.upper()}")
        if p.choices and value is not None and value not in p.choices:
            raise CasegraphError(f"{p.name} must be one of {', '.join(p.choices)}, not {value!r}")
        if p.type is int and value is not None:
            value = int(value)
        args[p.name] = value
    return spec, args


def _props(raw: str | None) -> dict[str, Any]:
    return json.loads(raw) if raw else {}


def _year_filter(alias: str, since: int | None, until: int | None) -> tuple[str, list[Any]]:
    # The year the writer keeps on failures, so every query means the same by --since.
    from casegraph.graph.tables import REVIEW_YEAR  # loaded already: a query has a store

    sql, args = "", []
    year = REVIEW_YEAR.format(alias)
    if since:
        sql += f" AND {year} >= ?"
        args.append(since)
    if until:
        sql += f" AND {year} <= ?"
        args.append(until)
    return sql, args


_FILTERS = (
    Param("locality", help="only agencies of this locality"),
    Param("review_type", help="only reviews of this type (SCR, CSPR, SAR, DHR, CPR, APR)"),
    Param("since", int, help="only reviews published in or after this year"),
    Param("until", int, help="only reviews published in or before this year"),
)


@_register(
    "repeated-failures",
    "Agency (or agency type) x theme found in at least N distinct reviews.",
    Param("min_reviews", int, 2, "least number of distinct reviews"),
    Param("by", str, "agency", "group by concrete agency or by agency type",
          choices=("agency", "agency-type")),
    *_FILTERS,
    Param("evidence", bool, False, "list each review with its first evidence quote", flag=True),
    Param("limit", int, None, "at most this many rows, the most repeated first"),
)
def repeated_failures(store: Any, min_reviews: int = 2, by: str = "agency",
                      locality: str | None = None, review_type: str | None = None,
                      since: int | None = None, until: int | None = None,
                      evidence: bool = False, limit: int | None = None) -> list[dict[str, Any]]:
    _check_failure_bounds(min_reviews, limit)
    typed = by == "agency-type"
    column = "agency_type" if typed else "agency"  # fixed names only
    conds, args = [], []
    if locality:
        conds.append("f.agency IN (SELECT id FROM nodes WHERE label = 'Agency' "
                     "AND lower(json_extract(props, '$.locality')) = lower(?))")
        args.append(locality)
    # Each failure carries its review's year: compared in the row, no review looked up.
    if since:
        conds.append("f.year >= ?")
        args.append(since)
    if until:
        conds.append("f.year <= ?")
        args.append(until)
    if review_type:
        # "+": not through the review index, so the rows come in group order (no sort).
        conds.append("+f.review IN (SELECT value FROM json_each(?))")
        args.append(json.dumps(_reviews_of_type(store, review_type)))
    if conds:  # counted from the failures, one row per agency x theme x review x document
        counted = (f"SELECT f.{column}, f.theme, count(DISTINCT f.review) AS n FROM failures f "
                   f"{'INDEXED BY failures_type ' if typed else ''}WHERE {' AND '.join(conds)} "
                   "GROUP BY 1, 2 HAVING n >= ?")
        params = (*args, min_reviews)
    else:  # the writer keeps the number of reviews of every group
        counted = "SELECT grp, theme, reviews AS n FROM failure_counts WHERE grp >= ? AND grp < ? AND n >= ?"
        params = (*(("agencytype:", "agencytype;") if typed else ("agency:", "agency;")), min_reviews)
    ordered = store.rows(f"{counted} ORDER BY n DESC, 1, 2{' LIMIT ?' if limit else ''}",
                         (*params, limit) if limit else params).fetchall()
    groups = [(g, t) for g, t, _ in ordered]
    # Per review of each group its first quote (in the order of the evidence).
    cites: dict[tuple[str, str], list[tuple[str, str | None, str | None, str | None]]] = defaultdict(list)
    if evidence and groups:
        where = " AND ".join([f"(f.{column}, f.theme) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))",
                              *conds])
        for grp, theme, review, quote, paragraph, path in store.rows(
                f"SELECT g.grp, g.theme, g.review, e.quote, e.paragraph, d.path FROM ("
                f"SELECT f.{column} AS grp, f.theme, f.review, min(f.evidence) AS eid FROM failures f "
                f"WHERE {where} GROUP BY 1, 2, 3) g "
                "LEFT JOIN evidence e ON e.id = g.eid LEFT JOIN documents d ON d.id = e.doc",
                (json.dumps(groups), *args)):
            cites[(grp, theme)].append((review, quote, paragraph, path))
    # Name, locality and type of each agency (or type) and review named in the rows.
    names = {r[0]: r[1:] for r in store.rows(
        "SELECT id, name, json_extract(props, '$.locality'), json_extract(props, '$.type') FROM nodes "
        "WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted({g for g, _ in groups} | {c[0] for k in groups for c in cites.get(k, ())})),))}
    out = []
    for grp, theme, n in ordered:
        name, place, kind = names.get(grp, (grp, None, None))
        if typed:
            row = {"agency_type": name, "agency_type_id": grp.removeprefix("agencytype:"),
                   "theme": theme.removeprefix("theme:"), "reviews": n}
        else:
            row = {"agency": name, "agency_id": grp, "locality": place, "agency_type": kind,
                   "theme": theme.removeprefix("theme:"), "reviews": n}
        if evidence:
            row["evidence"] = sorted(
                ({"review": names.get(review, (review,))[0], "review_id": review, "quote": quote,
                  "paragraph": paragraph, "document": path} for review, quote, paragraph, path in cites[(grp, theme)]),
                key=lambda c: (c["review"], c["review_id"]))
        out.append(row)
    return out


def _check_failure_bounds(min_reviews: int, limit: int | None) -> None:
    if min_reviews < 1:
        raise CasegraphError("min_reviews must be at least 1")
    if limit is not None and limit < 1:
        raise CasegraphError("limit must be at least 1")


def _reviews_of_type(store: Any, review_type: str) -> list[str]:
    """Ids of the reviews of a type (SCR, CSPR, ...; any case)."""
    return [r[0] for r in store.query(
        "SELECT id FROM nodes WHERE label = 'Review' AND upper(json_extract(props, '$.type')) = upper(?)",
        (review_type,))]


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


def find_node(store: Any, text: str, label: str) -> tuple[str, str]:
    """A node of ``label`` by id, name or alias (case-insensitive), else NodeNotFound."""
    rows = store.query(
        "SELECT id, name FROM nodes WHERE label = ? AND (id = ? OR lower(name) = lower(?))",
        (label, text, text),
    )
    if not rows:
        rows = store.query(
            "SELECT n.id, n.name FROM nodes n, json_each(n.props, '$.aliases') a "
            "WHERE n.label = ? AND lower(a.value) = lower(?)", (label, text))
    if not rows:
        rows = store.query(
            "SELECT id, name FROM nodes WHERE label = ? AND (lower(name) LIKE lower(?) "
            "OR id LIKE lower(?)) ORDER BY length(name) LIMIT 2",
            (label, f"%{text}%", f"%{text}%"))
    if not rows:
        raise NodeNotFound(f"no {label} matching {text!r}; `casegraph query stats` lists what is loaded")
    return rows[0][0], rows[0][1]


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


@_register(
    "themes", "Theme frequency across reviews, by year or locality, or co-occurring pairs.",
    Param("by", str, None, "split counts by year or locality", choices=("year", "locality")),
    Param("pairs", bool, False, "count pairs of themes found in the same review", flag=True),
    *_FILTERS[1:],
)
def themes(store: Any, by: str | None = None, pairs: bool = False, review_type: str | None = None,
           since: int | None = None, until: int | None = None) -> list[dict[str, Any]]:
    where, args = "", []
    if review_type:
        where += " AND upper(json_extract(r.props, '$.type')) = upper(?)"
        args.append(review_type)
    ysql, yargs = _year_filter("r", since, until)
    meta: dict[str, list[tuple[str | None, str | None]]] = defaultdict(list)
    for rid, year, locality in store.query(
        f"""
        SELECT DISTINCT r.id, substr(json_extract(r.props, '$.published'), 1, 4),
               json_extract(c.props, '$.locality')
        FROM nodes r LEFT JOIN edges rc ON rc.src = r.id AND rc.rel = 'REVIEWS'
        LEFT JOIN nodes c ON c.id = rc.dst
        WHERE r.label = 'Review' {where} {ysql}
        """, (*args, *yargs)):
        meta[rid].append((year, locality))
    # The themes of each review's findings and recommendations, kept by the writer.
    per_review = [(rid, [t.removeprefix("theme:") for t in ts.split(" ")]) for rid, ts in store.query(
        "SELECT review, group_concat(theme, ' ') FROM (SELECT DISTINCT review, theme FROM review_themes) "
        "GROUP BY review") if rid in meta]
    return _theme_rows(meta, per_review, by, pairs)


def _theme_rows(meta: dict[str, list[tuple[str | None, str | None]]], per_review: list[tuple[str, list[str]]],
                by: str | None, pairs: bool) -> list[dict[str, Any]]:
    """Theme counts (or pairs) from each review's (year, locality) and its themes."""
    if pairs:
        # Each theme as a bit set of reviews: a pair's count is one AND and a popcount.
        bits: dict[str, int] = defaultdict(int)
        for n, (_, ts) in enumerate(per_review):
            for t in ts:
                bits[t] |= 1 << n
        names = sorted(bits)
        counted = [(-(bits[a] & bits[b]).bit_count(), a, b) for a, b in combinations(names, 2)]
        return [{"theme": a, "with": b, "reviews": -n} for n, a, b in sorted(counted) if n]
    counts: Counter[tuple[str | None, str]] = Counter()
    for rid, ts in per_review:
        for year, locality in meta[rid]:
            grp = year if by == "year" else locality if by == "locality" else None
            counts.update((grp, t) for t in ts)
    out = []
    for (grp, theme), n in sorted(counts.items(), key=lambda kv: (str(kv[0][0]), -kv[1], kv[0][1])):
        row = {by: grp} if by else {}
        row.update(theme=theme, reviews=n)
        out.append(row)
    return out


@_register(
    "recommendations",
    "Near-duplicate recommendations made in different reviews, grouped.",
    Param("threshold", float, 0.5, "least share of rare words in common: 0.1, 0.2, ... 1.0"),
)
def recommendations(store: Any, threshold: float = 0.5) -> list[dict[str, Any]]:
    rows = store.recommendation_groups(threshold_level(threshold))
    reviews = {r[0]: r[1:] for r in store.rows(
        "SELECT id, name, json_extract(props, '$.published') FROM nodes WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted({rid for _, rid, _ in rows})),))}
    return _recommendation_groups(rows, reviews)


def threshold_level(threshold: float) -> int:
    """0.1 ... 1.0 as the level 1 ... 10 the groups are kept at."""
    from casegraph.graph.similar import LEVELS  # not at start-up: the CLI lists every query

    level = round(float(threshold) * 10)
    if level not in LEVELS or abs(level / 10 - float(threshold)) > 1e-9:
        raise CasegraphError("threshold must be one of 0.1, 0.2, ... 1.0")
    return level


def _recommendation_groups(rows: Any, reviews: dict[str, Any]) -> list[dict[str, Any]]:
    """(group, review id, text) in answer order, with each review's (name, published)."""
    return [{"group": n, "review": reviews[rid][0], "published": reviews[rid][1], "text": text}
            for n, rid, text in rows]


@_register(
    "risk-factors", "Risk factors that occur together in cases, with outcomes.",
    Param("size", int, 2, "how many risk factors together (1-3)"),
    Param("by_outcome", bool, False, "split counts by case outcome", flag=True),
)
def risk_factors(store: Any, size: int = 2, by_outcome: bool = False) -> list[dict[str, Any]]:
    if size not in (1, 2, 3):
        raise CasegraphError("size must be 1, 2 or 3")
    outcome: dict[str, str | None] = dict(store.query(
        "SELECT id, json_extract(props, '$.outcome') FROM nodes "
        "WHERE id IN (SELECT src FROM edges WHERE rel = 'HAS_RISK')"))
    return _risk_rows(outcome, store.query("SELECT DISTINCT src, dst FROM edges WHERE rel = 'HAS_RISK'"),
                      size, by_outcome)


def _risk_rows(outcome: dict[str, str | None], has_risk: Any, size: int, by_outcome: bool) -> list[dict[str, Any]]:
    """Combinations of ``size`` risk factors from each case's outcome and its (case,
    risk factor) pairs."""
    # Each risk factor (and outcome) as a bit set of cases: a combination's count is
    # a few ANDs and a popcount, whatever the number of cases.
    index = {cid: n for n, cid in enumerate(outcome)}
    bits: dict[str, int] = defaultdict(int)
    for src, dst in has_risk:
        if src in index:
            bits[dst.removeprefix("riskfactor:")] |= 1 << index[src]
    everyone = (1 << len(index)) - 1
    by: dict[str | None, int] = defaultdict(int)
    for cid, n in index.items():
        by[outcome[cid] if by_outcome else None] |= 1 << n
    counted = []
    for combo in combinations(sorted(bits), size):
        common = everyone
        for rf in combo:
            common &= bits[rf]
        for oc, cases in by.items():
            n = (common & cases).bit_count()
            if n:
                counted.append((-n, combo, str(oc), oc))
    out = []
    for n, combo, _, oc in sorted(counted):
        row = {"risk_factors": " + ".join(combo), "cases": -n}
        if by_outcome:
            row["outcome"] = oc
        out.append(row)
    return out


@_register(
    "path", "How two nodes connect: the shortest chain of edges between them.",
    Param("source", help="node id or name", argument=True),
    Param("target", help="node id or name", argument=True),
    Param("max_depth", int, 6, "longest path searched"),
)
def path(store: Any, source: str, target: str, max_depth: int = 6) -> list[dict[str, Any]]:
    a, b = _any_node(store, source), _any_node(store, target)
    rels = store.relations()
    chain = _chain(a, b, max_depth, lambda node: _neighbours(store, node, rels))
    if not chain:
        return []
    names = {r[0]: (r[1], r[2]) for r in store.query(
        f"SELECT id, label, name FROM nodes WHERE id IN ({','.join('?' * len(chain))})", chain)}
    return _path_rows(chain, names, lambda x, y: _rel_between(store, x, y))


def _chain(a: str, b: str, max_depth: int, neighbours: Callable[[str], list[tuple[str, str, bool]]],
           prefetch: Callable[[list[str]], None] | None = None) -> list[str]:
    """The nodes of a shortest undirected path from a to b ([] if none within
    max_depth): a bidirectional breadth-first search, neighbours in sorted order.
    ``prefetch`` is told each frontier before it is expanded."""
    prev = {a: None}
    nxt = {b: None}
    fa, fb = deque([a]), deque([b])
    meet = a if a == b else None
    depth = 0
    while meet is None and fa and fb and depth < max_depth:
        depth += 1
        frontier, seen, other = (fa, prev, nxt) if len(fa) <= len(fb) else (fb, nxt, prev)
        if prefetch:
            prefetch(list(frontier))
        for _ in range(len(frontier)):
            node = frontier.popleft()
            for nb, rel, forward in neighbours(node):
                if nb in seen:
                    continue
                seen[nb] = (node, rel, forward)
                if nb in other:
                    meet = nb
                    break
                frontier.append(nb)
            if meet:
                break
    if meet is None:
        return []
    chain = [meet]
    while prev[chain[0]] is not None:
        chain.insert(0, prev[chain[0]][0])
    back = meet
    while nxt[back] is not None:
        back = nxt[back][0]
        chain.append(back)
    return chain


def _path_rows(chain: list[str], names: dict[str, tuple[str, str]],
               rel_between: Callable[[str, str], str | None]) -> list[dict[str, Any]]:
    out = []
    for i, nid in enumerate(chain):
        rel = None
        if i + 1 < len(chain):
            rel = rel_between(nid, chain[i + 1])
        out.append({"step": i, "id": nid, "label": names.get(nid, ("", ""))[0],
                    "name": names.get(nid, ("", ""))[1], "edge_to_next": rel})
    return out


def _any_node(store: Any, text: str) -> str:
    rows = store.query("SELECT id FROM nodes WHERE id = ? OR lower(name) = lower(?) LIMIT 1",
                       (text, text))
    if not rows:
        raise NodeNotFound(f"no node with id or name {text!r}")
    return rows[0][0]


def _neighbours(store: Any, node: str, rels: list[str] | None = None) -> list[tuple[str, str, bool]]:
    rels = store.relations() if rels is None else rels
    rows = store.query(
        "SELECT DISTINCT dst, rel, 1 FROM edges WHERE src = ? "
        "UNION SELECT DISTINCT src, rel, 0 FROM edges "
        f"WHERE rel IN ({','.join('?' * len(rels))}) AND dst = ? ORDER BY 1, 2, 3", (node, *rels, node))
    return [(r[0], r[1], bool(r[2])) for r in rows]


def _rel_between(store: Any, a: str, b: str) -> str | None:
    rows = store.query("SELECT rel, src FROM edges WHERE (src = ? AND dst = ?) OR (src = ? AND dst = ?) "
                       "LIMIT 1", (a, b, b, a))
    if not rows:
        return None
    return rows[0][0] if rows[0][1] == a else f"<-{rows[0][0]}"


@_register("search", "Full-text search over every evidence quote.",
           Param("text", help="words to find (all must occur)", argument=True),
           Param("limit", int, 50, "most rows returned"))
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


# Registered by their own module (a few hundred lines with the summary it reads).
from casegraph.graph import lessons as _lessons  # noqa: E402,F401
