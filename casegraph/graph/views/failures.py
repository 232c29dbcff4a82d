"""The data of the repeated-failure network and matrix: the rows of the
``repeated-failures`` query, every review behind each row (with its locality, type
and year, so the page can filter and recount), evidence quotes, and the layout.

The rows come from the named query itself, so the view counts what the query
counts. When there are more agencies and themes than the node budget, the rows are
taken by agency type instead and the note says so.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from casegraph.graph.queries import run_query

__all__ = ["Filters", "failure_data"]

# Quotes kept in the file: every one while the rows have at most this many
# (row, review) pairs; beyond, the first few of each row (the panel says how many).
_ALL_QUOTES = 6000
_QUOTE_CHARS = 400
_SWEEPS = 6  # barycentre passes ordering the two columns


class Filters(dict):
    """The query's own filters (locality, review_type, since, until), unset ones dropped."""

    def __init__(self, **values: Any):
        super().__init__({k: v for k, v in values.items() if v not in (None, "")})


def failure_data(store: Any, *, by: str = "agency", min_reviews: int = 2,
                 filters: Filters | None = None, max_nodes: int = 150) -> dict[str, Any]:
    """Everything the network and matrix pages draw, as JSON-ready data."""
    filters = filters or Filters()
    rows = run_query(store, "repeated-failures", by=by, min_reviews=min_reviews, **filters)
    note = ""
    if by == "agency" and _node_count(rows, by) > max_nodes:
        n = _node_count(rows, by)
        by = "agency-type"
        rows = run_query(store, "repeated-failures", by=by, min_reviews=min_reviews, **filters)
        note = (f"{n} agencies and themes exceed the budget of {max_nodes} nodes: shown by agency type "
                f"x theme ({_node_count(rows, by)} nodes). Narrow with --locality, or raise --max-nodes.")
    typed = by == "agency-type"
    groups = [(_group_id(r, typed), f"theme:{r['theme']}") for r in rows]
    entries, tables = _entries(store, groups, typed, filters, len(rows))
    names = _names(store, {g for g, _ in groups} | {t for _, t in groups})
    edges = []
    for r, (grp, theme) in zip(rows, groups, strict=True):
        found = entries.get((grp, theme), [])
        edges.append({"s": grp, "t": theme, "n": r["reviews"], "e": found,
                      "q": sum(1 for e in found if len(e) > 2)})
    nodes = _layout(edges, names, rows, typed)
    types = {f"agencytype:{n['type']}" for n in nodes if n.get("type")}
    return {"by": by, "min_reviews": min_reviews, "filters": dict(filters), "note": note,
            "nodes": nodes, "edges": edges, **tables,
            "types": {k.removeprefix("agencytype:"): v[0] for k, v in _names(store, types).items()}}


def _node_count(rows: list[dict[str, Any]], by: str) -> int:
    key = "agency_type_id" if by == "agency-type" else "agency_id"
    return len({r[key] for r in rows}) + len({r["theme"] for r in rows})


def _group_id(row: dict[str, Any], typed: bool) -> str:
    return f"agencytype:{row['agency_type_id']}" if typed else row["agency_id"]


def _entries(store: Any, groups: list[tuple[str, str]], typed: bool, filters: Filters,
             n_rows: int) -> tuple[dict[tuple[str, str], list[list[int]]], dict[str, list[Any]]]:
    """Per row, its reviews as ``[review, locality(, quote)]``: indexes into the tables
    returned beside them (reviews, places, documents, quotes). One entry per locality
    of the implicated agencies, so that a locality filter counts as the query does."""
    tables: dict[str, list[Any]] = {"reviews": [], "places": [], "documents": [], "quotes": []}
    if not groups:
        return {}, tables
    column = "agency_type" if typed else "agency"  # fixed names only
    conds, args = [f"(f.{column}, f.theme) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))"], \
        [json.dumps(groups)]
    if filters.get("locality"):
        conds.append("lower(json_extract(a.props, '$.locality')) = lower(?)")
        args.append(filters["locality"])
    if filters.get("since"):
        conds.append("f.year >= ?")
        args.append(int(filters["since"]))
    if filters.get("until"):
        conds.append("f.year <= ?")
        args.append(int(filters["until"]))
    if filters.get("review_type"):
        conds.append("upper(json_extract(r.props, '$.type')) = upper(?)")
        args.append(filters["review_type"])
    found = store.query(
        f"SELECT f.{column}, f.theme, f.review, json_extract(a.props, '$.locality') AS place, "
        "min(f.evidence) AS ev, r.name, json_extract(r.props, '$.type'), f.year FROM failures f "
        "JOIN nodes a ON a.id = f.agency JOIN nodes r ON r.id = f.review "
        f"WHERE {' AND '.join(conds)} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, f.year, r.name, 3", tuple(args))
    per_row: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for r in found:
        per_row[(r[0], r[1])].append(r)
    cap = None if len(found) <= _ALL_QUOTES else max(3, _ALL_QUOTES // max(n_rows, 1))
    wanted = {r[4] for rs in per_row.values() for r in (rs if cap is None else rs[:cap]) if r[4] is not None}
    evidence = _evidence(store, wanted)
    index: dict[str, dict[Any, int]] = {k: {} for k in tables}

    def ix(table: str, key: Any, value: Any) -> int:
        known = index[table]
        if key not in known:
            known[key] = len(tables[table])
            tables[table].append(value)
        return known[key]

    out: dict[tuple[str, str], list[list[int]]] = {}
    for key, rs in per_row.items():
        items = []
        for rid, place, ev_id, name, rtype, year in ((r[2], r[3], r[4], r[5], r[6], r[7]) for r in rs):
            item = [ix("reviews", rid, [rid, name or rid, rtype, year]), ix("places", place, place)]
            ev = evidence.get(ev_id)
            if ev is not None:
                quote, paragraph, page, path = ev
                item.append(ix("quotes", ev_id, [quote, paragraph, page,
                                                 ix("documents", path or "", path or "")]))
            items.append(item)
        out[key] = items
    return out, tables


def _evidence(store: Any, ids: set[int]) -> dict[int, tuple[str, str | None, int | None, str | None]]:
    out = {}
    for r in store.rows(
            "SELECT e.id, substr(e.quote, 1, ?), e.paragraph, e.page, d.path FROM evidence e "
            "LEFT JOIN documents d ON d.id = e.doc WHERE e.id IN (SELECT value FROM json_each(?))",
            (_QUOTE_CHARS, json.dumps(sorted(ids)))):
        out[r[0]] = (r[1], r[2], r[3], r[4])
    return out


def _names(store: Any, ids: set[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    return {r[0]: (r[1] or r[0], json.loads(r[2] or "{}")) for r in store.rows(
        "SELECT id, name, props FROM nodes WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(ids)),))}


def _layout(edges: list[dict[str, Any]], names: dict[str, tuple[str, dict[str, Any]]],
            rows: list[dict[str, Any]], typed: bool) -> list[dict[str, Any]]:
    """Agencies in a left column and themes in a right one, each ordered by the mean
    place of its neighbours (a few sweeps), so edges cross as little as they can;
    the most-failing agency starts at the top."""
    weight: dict[str, int] = defaultdict(int)
    links: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        weight[e["s"]] += e["n"]
        weight[e["t"]] += e["n"]
        links[e["s"]].append(e["t"])
        links[e["t"]].append(e["s"])
    left = sorted({e["s"] for e in edges}, key=lambda n: (-weight[n], n))
    right = sorted({e["t"] for e in edges}, key=lambda n: (-weight[n], n))
    for sweep in range(_SWEEPS):
        fixed, moving = (left, right) if sweep % 2 == 0 else (right, left)
        place = {n: i for i, n in enumerate(fixed)}
        moving.sort(key=lambda n: (sum(place[m] for m in links[n]) / len(links[n]), -weight[n], n))
    kinds = {r["agency_id"]: r.get("agency_type") for r in rows} if not typed else {}
    places = {r["agency_id"]: r.get("locality") for r in rows} if not typed else {}
    several_places = len({p for p in places.values() if p}) > 1
    nodes = []
    for side, column in (("a", left), ("t", right)):
        for i, nid in enumerate(column):
            name, _props = names.get(nid, (nid, {}))
            node = {"id": nid, "name": name, "side": side, "x": 0 if side == "a" else 1, "y": i,
                    "n": weight[nid]}
            if side == "a":
                node["type"] = nid.removeprefix("agencytype:") if typed else kinds.get(nid)
                place = node["place"] = places.get(nid)
                if several_places and place and place.lower() not in name.lower():
                    node["label"] = f"{name} ({place})"  # two areas' "GP practice" told apart
            nodes.append(node)
    return nodes
