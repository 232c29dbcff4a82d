"""Named queries of what recurs across reviews: agency x theme failures found again
and again, theme frequency and pairs, near-duplicate recommendations, risk factors
found together. The row builders (``_theme_rows``, ``_risk_rows``, ...) are shared
with the Neo4j backend, so both answer alike."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

from casegraph.errors import BadParameter, CasegraphError
from casegraph.graph.queries import Param, _register

__all__ = ["repeated_failures", "themes", "recommendations", "threshold_level", "risk_factors"]


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
    Param("min_reviews", int, 2, "least number of distinct reviews", least=1),
    Param("by", str, "agency", "group by concrete agency or by agency type",
          choices=("agency", "agency-type")),
    *_FILTERS,
    Param("evidence", bool, False, "list each review with its first evidence quote", flag=True),
    Param("limit", int, None, "at most this many rows, the most repeated first", least=1),
)
def repeated_failures(store: Any, min_reviews: int = 2, by: str = "agency",
                      locality: str | None = None, review_type: str | None = None,
                      since: int | None = None, until: int | None = None,
                      evidence: bool = False, limit: int | None = None) -> list[dict[str, Any]]:
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


# The review types of the graph model (and of the SHACL shapes).
_REVIEW_TYPES = ("SCR", "CSPR", "SAR", "DHR", "CPR", "APR", "other")


def _reviews_of_type(store: Any, review_type: str) -> list[str]:
    """Ids of the reviews of a type (SCR, CSPR, ...; any case). A type that is neither
    one of _REVIEW_TYPES nor in the store is a typo, and an error, not an empty answer."""
    found = [r[0] for r in store.query(
        "SELECT id FROM nodes WHERE label = 'Review' AND upper(json_extract(props, '$.type')) = upper(?)",
        (review_type,))]
    if not found and review_type.upper() not in {t.upper() for t in _REVIEW_TYPES}:
        raise CasegraphError(f"no review type {review_type!r}; one of {', '.join(_REVIEW_TYPES)}")
    return found


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
        raise BadParameter("threshold", f"must be one of 0.1, 0.2, ... 1.0, not {threshold}")
    return level


def _recommendation_groups(rows: Any, reviews: dict[str, Any]) -> list[dict[str, Any]]:
    """(group, review id, text) in answer order, with each review's (name, published)."""
    return [{"group": n, "review": reviews[rid][0], "published": reviews[rid][1], "text": text}
            for n, rid, text in rows]


@_register(
    "risk-factors", "Risk factors that occur together in cases, with outcomes.",
    Param("size", int, 2, "how many risk factors together (1-3)", least=1, most=3),
    Param("by_outcome", bool, False, "split counts by case outcome", flag=True),
)
def risk_factors(store: Any, size: int = 2, by_outcome: bool = False) -> list[dict[str, Any]]:
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
