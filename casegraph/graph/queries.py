"""Named queries over the embedded store: each a function of the store and
validated parameters returning rows, registered by name with its parameters so
the CLI and the Python API expose the same set."""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from casegraph.errors import CasegraphError, NodeNotFound, UnknownQuery

__all__ = ["Param", "QuerySpec", "QUERIES", "run_query", "find_node"]


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
    return spec.func(store, **args)


def _props(raw: str | None) -> dict[str, Any]:
    return json.loads(raw) if raw else {}


def _year_filter(alias: str, since: int | None, until: int | None) -> tuple[str, list[Any]]:
    sql, args = "", []
    year = f"CAST(substr(json_extract({alias}.props, '$.published'), 1, 4) AS INTEGER)"
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
    "Agency (or agency type) x theme found in at least N distinct reviews, with evidence.",
    Param("min_reviews", int, 2, "least number of distinct reviews"),
    Param("by", str, "agency", "group by concrete agency or by agency type",
          choices=("agency", "agency-type")),
    *_FILTERS,
    Param("evidence", bool, False, "list every evidence quote, not one per review", flag=True),
)
def repeated_failures(store: Any, min_reviews: int = 2, by: str = "agency",
                      locality: str | None = None, review_type: str | None = None,
                      since: int | None = None, until: int | None = None,
                      evidence: bool = False) -> list[dict[str, Any]]:
    if min_reviews < 1:
        raise CasegraphError("min_reviews must be at least 1")
    key = "ot.dst" if by == "agency-type" else "fi.dst"
    where, args = "", []
    if locality:
        where += " AND lower(json_extract(a.props, '$.locality')) = lower(?)"
        args.append(locality)
    if review_type:
        where += " AND upper(json_extract(r.props, '$.type')) = upper(?)"
        args.append(review_type)
    ysql, yargs = _year_filter("r", since, until)
    where += ysql
    args += yargs
    sql = f"""
        WITH hits AS (
            SELECT DISTINCT {key} AS grp, th.dst AS theme, rv.src AS review, fi.src AS finding
            FROM edges fi
            JOIN edges th ON th.src = fi.src AND th.rel = 'HAS_THEME'
            JOIN edges rv ON rv.dst = fi.src AND rv.rel = 'FOUND'
            JOIN edges ot ON ot.src = fi.dst AND ot.rel = 'OF_TYPE'
            JOIN nodes a ON a.id = fi.dst
            JOIN nodes r ON r.id = rv.src
            WHERE fi.rel = 'IMPLICATES' AND fi.src LIKE 'finding:%' {where}
        )
        SELECT grp, theme, count(DISTINCT review) AS n FROM hits
        GROUP BY grp, theme HAVING n >= ? ORDER BY n DESC, grp, theme
    """
    rows = store.query(sql, (*args, min_reviews))
    out = []
    for grp, theme, n in rows:
        quotes = store.query(
            f"""
            SELECT DISTINCT rv.src AS review, r.name AS review_name, e.quote, e.paragraph, d.path
            FROM edges fi
            JOIN edges th ON th.src = fi.src AND th.rel = 'HAS_THEME' AND th.dst = ?
            JOIN edges rv ON rv.dst = fi.src AND rv.rel = 'FOUND'
            JOIN edges ot ON ot.src = fi.dst AND ot.rel = 'OF_TYPE'
            JOIN nodes a ON a.id = fi.dst
            JOIN nodes r ON r.id = rv.src
            JOIN evidence e ON e.owner = fi.src
            LEFT JOIN documents d ON d.sha256 = e.doc
            WHERE fi.rel = 'IMPLICATES' AND {key} = ? {where}
            ORDER BY rv.src, e.id
            """,
            (theme, grp, *args),
        )
        seen: set[str] = set()
        cites = []
        for q in quotes:
            if not evidence and q["review"] in seen:
                continue
            seen.add(q["review"])
            cites.append({"review": q["review_name"], "review_id": q["review"], "quote": q["quote"],
                          "paragraph": q["paragraph"], "document": q["path"]})
        cites.sort(key=lambda c: c["review"])
        node = store.query("SELECT name, props FROM nodes WHERE id = ?", (grp,))
        name = node[0]["name"] if node else grp
        props = _props(node[0]["props"]) if node else {}
        row = {"agency_type" if by == "agency-type" else "agency": name}
        if by == "agency":
            row.update(agency_id=grp, locality=props.get("locality"), agency_type=props.get("type"))
        else:
            row["agency_type_id"] = grp.removeprefix("agencytype:")
        row.update(theme=theme.removeprefix("theme:"), reviews=n, evidence=cites)
        out.append(row)
    return out


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
        FROM facts f JOIN documents d ON d.sha256 = f.doc
        LEFT JOIN nodes n ON n.id = f.subject
        WHERE (f.subject, f.fact) IN (
            SELECT subject, fact FROM facts GROUP BY subject, fact
            HAVING count(DISTINCT lower(value)) > 1)
        ORDER BY f.subject, f.fact, f.value, d.path
        """
    )
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        row = out.setdefault((r[0], r[2]), {"subject": r[1] or r[0], "fact": r[2], "values": []})
        row["values"].append({"value": r[3], "document": r[4], "quote": r[5]})
    return [row for row in out.values() if len(_distinct(row["fact"], row["values"])) > 1]


_QUALIFIERS = ("less", "under", "nearly", "almost")


def _distinct(fact: str, values: list[dict[str, Any]]) -> set[str]:
    """Values that really differ: a date known to the year agrees with the same
    date known to the month."""
    vals = {v["value"].lower() for v in values}
    if fact == "subject_age":
        from casegraph.loaders.entities import age_in_days

        vals = {f"{v.split()[0] if v.split()[0] in _QUALIFIERS else ''}{age_in_days(v) or v}"
                for v in vals}
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
        FROM edges fi JOIN nodes f ON f.id = fi.src
        JOIN edges rv ON rv.dst = f.id AND rv.rel = 'FOUND'
        JOIN nodes rn ON rn.id = rv.src
        LEFT JOIN edges th ON th.src = f.id AND th.rel = 'HAS_THEME'
        WHERE fi.rel = 'IMPLICATES' AND fi.dst = ? ORDER BY rv.src, f.id
        """, (aid,)):
        p = _props(r["props"])
        out.append({"kind": "finding", "review": r["review_name"],
                    "theme": (r["theme"] or "").removeprefix("theme:"),
                    "polarity": p.get("polarity"), "text": p.get("text")})
    for r in store.query(
        """
        SELECT rn.name AS review_name, n.props FROM edges ad JOIN nodes n ON n.id = ad.src
        JOIN edges rr ON rr.dst = n.id AND rr.rel = 'RECOMMENDS' JOIN nodes rn ON rn.id = rr.src
        WHERE ad.rel = 'ADDRESSED_TO' AND ad.dst = ? GROUP BY n.id
        """, (aid,)):
        p = _props(r["props"])
        out.append({"kind": "recommendation", "review": r["review_name"], "theme": None,
                    "polarity": None, "text": f"{p.get('number') or '-'}: {p.get('text')}"})
    for r in store.query(
        """
        SELECT cn.name AS case_name, n.props FROM edges b JOIN nodes n ON n.id = b.src
        JOIN edges ab ON ab.src = n.id AND ab.rel = 'ABOUT' JOIN nodes cn ON cn.id = ab.dst
        WHERE b.rel = 'BY' AND b.dst = ? GROUP BY n.id
        """, (aid,)):
        p = _props(r["props"])
        out.append({"kind": "contact", "review": r["case_name"], "theme": None,
                    "polarity": "missed" if p.get("missed") else None,
                    "text": f"{p.get('when') or ''} {p.get('kind')}: {p.get('summary')}".strip()})
    return out


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
    out = []
    for r in rows:
        p = _props(r["props"])
        out.append({"seq": p.get("seq"), "paragraph": p.get("paragraph"), "when": p.get("when"),
                    "agency": r["agency"], "role": p.get("role"), "kind": p.get("kind"),
                    "missed": bool(p.get("missed")), "status": p.get("status"),
                    "summary": p.get("summary"),
                    "_doc": r["id"].split(":")[1]})
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
    rows = store.query(
        f"""
        SELECT DISTINCT r.id AS review, th.dst AS theme,
               substr(json_extract(r.props, '$.published'), 1, 4) AS year,
               json_extract(c.props, '$.locality') AS locality
        FROM nodes r JOIN edges fr ON fr.src = r.id AND fr.rel IN ('FOUND', 'RECOMMENDS')
        JOIN edges th ON th.src = fr.dst AND th.rel = 'HAS_THEME'
        LEFT JOIN edges rc ON rc.src = r.id AND rc.rel = 'REVIEWS'
        LEFT JOIN nodes c ON c.id = rc.dst
        WHERE r.label = 'Review' {where} {ysql}
        """, (*args, *yargs))
    if pairs:
        per: dict[str, set[str]] = defaultdict(set)
        for r in rows:
            per[r["review"]].add(r["theme"].removeprefix("theme:"))
        counts: Counter[tuple[str, str]] = Counter()
        for ts in per.values():
            counts.update(combinations(sorted(ts), 2))
        return [{"theme": a, "with": b, "reviews": n} for (a, b), n in counts.most_common()]
    counts2: Counter[tuple[str | None, str]] = Counter()
    for r in rows:
        counts2[(r[by] if by else None, r["theme"].removeprefix("theme:"))] += 1
    out = []
    for (grp, theme), n in sorted(counts2.items(), key=lambda kv: (str(kv[0][0]), -kv[1], kv[0][1])):
        row = {by: grp} if by else {}
        row.update(theme=theme, reviews=n)
        out.append(row)
    return out


_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_STOPWORDS = set(
    "the and for that with this from should all are its their been have has will which into "
    "when where who what how must any such there these those they them than then also more "
    "most other each were was can could would may might not our out about including include "
    "ensure review".split()
)


def _tokens(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS}


def _near_duplicates(recs: list[Any], toks: list[set[str]], threshold: float, parent: list[int],
                     root: Callable[[int], int]) -> None:
    """Union (in ``parent``) every two recommendations of different reviews whose
    shared rare words (in at most ``cap`` recommendations: very common words cannot
    make two texts alike) make up at least ``threshold`` of all their words.

    Texts with the same word set are handled as one signature, and candidate pairs
    come from a prefix filter: a pair needs ``ceil(threshold * size)`` shared rare
    words, so it shares one of the first ``rare - that + 1`` rarest words of each
    side. Pairs already joined are not checked again. The partition is exactly that
    of checking every pair."""
    cap = max(50, len(recs) // 20)
    freq: Counter[str] = Counter(t for ts in toks for t in ts)
    sigs: dict[frozenset[str], list[int]] = {}
    for i, ts in enumerate(toks):
        sigs.setdefault(frozenset(ts), []).append(i)
    keys = list(sigs)
    members = [sigs[k] for k in keys]
    reviews = [{recs[i]["review"] for i in m} for m in members]
    rank = {t: (f, t) for t, f in freq.items()}
    rare = [sorted((t for t in k if freq[t] <= cap), key=rank.__getitem__) for k in keys]
    rare_sets = [frozenset(r) for r in rare]
    joined = [False] * len(keys)

    def join(s: int) -> None:
        """Members of one signature are alike; they join once any of them joins."""
        if not joined[s]:
            joined[s] = True
            first = root(members[s][0])
            for i in members[s][1:]:
                parent[root(i)] = first

    for s, k in enumerate(keys):
        # The same words in two reviews: alike if enough of them are rare.
        if rare[s] and len(reviews[s]) > 1 and len(rare[s]) / len(k) >= threshold:
            join(s)
    postings: dict[str, list[int]] = defaultdict(list)
    for s, k in enumerate(keys):
        need = max(1, math.floor(threshold * len(k)))
        seen: set[int] = set()
        for t in rare[s][:len(rare[s]) - need + 1]:
            for o in postings[t]:
                if o in seen:
                    continue
                seen.add(o)
                a, b = members[o][0], members[s][0]
                if joined[o] and joined[s] and root(a) == root(b):
                    continue
                union = len(keys[o] | k)
                if min(len(rare[o]), len(rare[s])) / union < threshold:
                    continue
                shared = len(rare_sets[o] & rare_sets[s])
                if shared and shared / union >= threshold and len(reviews[o] | reviews[s]) > 1:
                    join(o)
                    join(s)
                    parent[root(a)] = root(b)
            postings[t].append(s)


@_register(
    "recommendations",
    "Near-duplicate recommendations made in different reviews, grouped.",
    Param("threshold", float, 0.5, "least word-set (Jaccard) similarity, 0-1"),
)
def recommendations(store: Any, threshold: float = 0.5) -> list[dict[str, Any]]:
    threshold = float(threshold)
    if not 0 < threshold <= 1:
        raise CasegraphError("threshold must be above 0 and at most 1")
    recs = store.query(
        """
        SELECT n.id, json_extract(n.props, '$.text') AS text, r.id AS review, r.name AS review_name,
               json_extract(r.props, '$.published') AS published
        FROM nodes n JOIN edges e ON e.dst = n.id AND e.rel = 'RECOMMENDS' JOIN nodes r ON r.id = e.src
        WHERE n.label = 'Recommendation' GROUP BY n.id
        """)
    toks = [_tokens(r["text"] or "") for r in recs]
    parent = list(range(len(recs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    _near_duplicates(recs, toks, threshold, parent, root)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(recs)):
        groups[root(i)].append(i)
    out = []
    for n, members in enumerate(sorted((g for g in groups.values() if len(g) > 1),
                                       key=lambda g: -len(g)), start=1):
        for i in sorted(members, key=lambda i: recs[i]["published"] or ""):
            out.append({"group": n, "review": recs[i]["review_name"],
                        "published": recs[i]["published"], "text": recs[i]["text"]})
    return out


@_register(
    "risk-factors", "Risk factors that occur together in cases, with outcomes.",
    Param("size", int, 2, "how many risk factors together (1-3)"),
    Param("by_outcome", bool, False, "split counts by case outcome", flag=True),
)
def risk_factors(store: Any, size: int = 2, by_outcome: bool = False) -> list[dict[str, Any]]:
    if size not in (1, 2, 3):
        raise CasegraphError("size must be 1, 2 or 3")
    rows = store.query(
        "SELECT DISTINCT e.src, e.dst, json_extract(c.props, '$.outcome') AS outcome "
        "FROM edges e JOIN nodes c ON c.id = e.src WHERE e.rel = 'HAS_RISK'")
    per: dict[str, set[str]] = defaultdict(set)
    outcome: dict[str, str | None] = {}
    for r in rows:
        per[r[0]].add(r[1].removeprefix("riskfactor:"))
        outcome[r[0]] = r[2]
    counts: Counter[tuple[Any, ...]] = Counter()
    for cid, rfs in per.items():
        for combo in combinations(sorted(rfs), size):
            counts[(outcome[cid] if by_outcome else None, combo)] += 1
    out = []
    for (oc, combo), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1])):
        row = {"risk_factors": " + ".join(combo), "cases": n}
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
    # Bidirectional breadth-first search over the edge index, undirected.
    prev = {a: None}
    nxt = {b: None}
    fa, fb = deque([a]), deque([b])
    meet = a if a == b else None
    depth = 0
    while meet is None and fa and fb and depth < max_depth:
        depth += 1
        frontier, seen, other = (fa, prev, nxt) if len(fa) <= len(fb) else (fb, nxt, prev)
        for _ in range(len(frontier)):
            node = frontier.popleft()
            for nb, rel, forward in _neighbours(store, node):
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
    names = {r[0]: (r[1], r[2]) for r in store.query(
        f"SELECT id, label, name FROM nodes WHERE id IN ({','.join('?' * len(chain))})", chain)}
    out = []
    for i, nid in enumerate(chain):
        rel = None
        if i + 1 < len(chain):
            rel = _rel_between(store, nid, chain[i + 1])
        out.append({"step": i, "id": nid, "label": names.get(nid, ("", ""))[0],
                    "name": names.get(nid, ("", ""))[1], "edge_to_next": rel})
    return out


def _any_node(store: Any, text: str) -> str:
    rows = store.query("SELECT id FROM nodes WHERE id = ? OR lower(name) = lower(?) LIMIT 1",
                       (text, text))
    if not rows:
        raise NodeNotFound(f"no node with id or name {text!r}")
    return rows[0][0]


def _neighbours(store: Any, node: str) -> list[tuple[str, str, bool]]:
    rows = store.query(
        "SELECT DISTINCT dst, rel, 1 FROM edges WHERE src = ? "
        "UNION SELECT DISTINCT src, rel, 0 FROM edges WHERE dst = ?", (node, node))
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
    words = re.findall(r"\w+", text)
    if not words:
        raise CasegraphError("search needs at least one word")
    # Each word becomes a quoted FTS5 string, so no text can be read as query syntax.
    match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
    rows = store.query(
        """
        SELECT e.owner, n.label, d.path, e.paragraph,
               snippet(evidence_fts, 0, '[', ']', '…', 16) AS snippet
        FROM evidence_fts JOIN evidence e ON e.id = evidence_fts.rowid
        LEFT JOIN nodes n ON n.id = e.owner LEFT JOIN documents d ON d.sha256 = e.doc
        WHERE evidence_fts MATCH ? ORDER BY rank LIMIT ?
        """, (match, limit))
    return [{"owner": r[0], "label": r[1], "document": r[2], "paragraph": r[3], "quote": r[4]}
            for r in rows]


@_register("stats", "Counts of documents, nodes by label, edges and evidence.")
def stats(store: Any) -> list[dict[str, Any]]:
    return [{"what": k, "count": v} for k, v in store.counts().items()]
