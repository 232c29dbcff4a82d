"""The named queries over a Neo4j (or other Bolt + Cypher) server holding a pushed
graph: the same rows as the embedded store's, from Cypher in the portable core
both Neo4j 5 and ArcadeDB accept (no APOC, no procedures, no label expressions
beyond ``:A``). Cypher fetches what a query reads; the embedded queries' own
Python turns it into rows, so both backends answer alike. Values are always
parameters; labels and relationship types come from fixed text."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from casegraph.errors import CasegraphError, NodeNotFound
from casegraph.graph import lookups, paths, patterns
from casegraph.graph import queries as q
from casegraph.graph.neo4j import Connection, open_session, read
from casegraph.graph.neo4j_push import LABELS, NOT_GRAPH, label_of

__all__ = ["run_query", "CYPHER"]

Read = Callable[..., list[dict[str, Any]]]

# The year of a review, as the embedded store reads it from ``published``.
_YEAR = "toInteger(substring({}.published, 0, 4))"
_FILTERS = (" AND ($review_type IS NULL OR toUpper(r.type) = toUpper($review_type))"
            f" AND ($since IS NULL OR {_YEAR.format('r')} >= $since)"
            f" AND ($until IS NULL OR {_YEAR.format('r')} <= $until)")
_FAILURE = ("MATCH (r:Review)-[:FOUND]->(f:Finding)-[:IMPLICATES]->(a:Agency), (f)-[:HAS_THEME]->(t:Theme) "
            "WHERE ($locality IS NULL OR toLower(a.locality) = toLower($locality))" + _FILTERS)
_GROUP = {"agency": "a.id", "agency-type": "'agencytype:' + a.type"}

# The statements, by name, so the documentation and tests can show them.
CYPHER: dict[str, str] = {
    "repeated-failures": _FAILURE + " WITH {grp} AS grp, t.id AS theme, count(DISTINCT r) AS n "
    "WHERE n >= $min_reviews RETURN grp, theme, n ORDER BY n DESC, grp, theme",
    # One pass over the failures, keeping those of the groups asked for (keys "grp theme").
    "repeated-failures evidence": _FAILURE + " WITH r, f, t, {grp} AS grp WHERE grp + $sep + t.id IN $keys "
    "OPTIONAL MATCH (f)-[e:EVIDENCED_BY]->(d:Document) WHERE e.owner = f.id "
    "RETURN grp, t.id AS theme, r.id AS review, e.seq AS seq, e.quote AS quote, "
    "e.paragraph AS paragraph, d.path AS path",
    "names": "UNWIND $ids AS id MATCH (n:{label} {{id: id}}) "
    "RETURN n.id AS id, n.name AS name, n.locality AS locality, n.type AS type",
    "cases": "MATCH (c:Case) OPTIONAL MATCH (d:Document)-[:DESCRIBES]->(r:Review)-[:REVIEWS]->(c) "
    "RETURN c AS c, collect(DISTINCT r.name) AS reviews, collect(DISTINCT d.path) AS documents ORDER BY c.id",
    "conflicts": "MATCH (f:Fact)-[:STATED_IN]->(d:Document) "
    "OPTIONAL MATCH (c:Case {id: f.subject}) OPTIONAL MATCH (r:Review {id: f.subject}) "
    "RETURN f.subject AS subject, coalesce(c.name, r.name) AS name, f.fact AS fact, f.value AS value, "
    "d.path AS path, f.quote AS quote",
    "agency findings": "MATCH (r:Review)-[:FOUND]->(f:Finding)-[:IMPLICATES]->(a:Agency {id: $id}) "
    "OPTIONAL MATCH (f)-[:HAS_THEME]->(t:Theme) "
    "RETURN r.id AS review, r.name AS review_name, f.id AS id, t.id AS theme, f AS f",
    "agency recommendations": "MATCH (r:Review)-[:RECOMMENDS]->(n:Recommendation)-[:ADDRESSED_TO]->"
    "(a:Agency {id: $id}) RETURN n.id AS id, min(r.name) AS review_name, n AS n ORDER BY id",
    "agency contacts": "MATCH (c:Case)<-[:ABOUT]-(n:Contact)-[:BY]->(a:Agency {id: $id}) "
    "RETURN n.id AS id, min(c.name) AS case_name, n AS n ORDER BY id",
    "case": "MATCH (n:Contact)-[:ABOUT]->(c:Case {id: $id}) OPTIONAL MATCH (n)-[:BY]->(a:Agency) "
    "RETURN n.id AS id, n AS n, min(a.name) AS agency",
    "themes reviews": "MATCH (r:Review) WHERE true" + _FILTERS + " OPTIONAL MATCH (r)-[:REVIEWS]->(c:Case) "
    "RETURN DISTINCT r.id AS review, substring(r.published, 0, 4) AS year, c.locality AS locality",
    "themes": "MATCH (r:Review)-[:FOUND|RECOMMENDS]->()-[:HAS_THEME]->(t:Theme) "
    "RETURN DISTINCT r.id AS review, t.id AS theme",
    "recommendations": "MATCH (r:Review)-[:RECOMMENDS]->(n:Recommendation) "
    "RETURN n.id AS id, r.id AS review, r.name AS name, r.published AS published, n.text AS text",
    "risk-factors": "MATCH (c:Case)-[:HAS_RISK]->(f:RiskFactor) "
    "RETURN DISTINCT c.id AS case, c.outcome AS outcome, f.id AS risk",
    "neighbours": "UNWIND $ids AS id MATCH (n:{label} {{id: id}})-[r]->(m) WHERE NOT type(r) IN $skip "
    "RETURN DISTINCT n.id AS id, m.id AS other, type(r) AS rel, true AS forward "
    "UNION UNWIND $ids AS id MATCH (n:{label} {{id: id}})<-[r]-(m) WHERE NOT type(r) IN $skip "
    "RETURN DISTINCT n.id AS id, m.id AS other, type(r) AS rel, false AS forward",
    "any node": "MATCH (n) WHERE n.id = $text OR (n.name IS NOT NULL AND toLower(n.name) = toLower($text)) "
    "RETURN n.id AS id ORDER BY id LIMIT 1",
    "search": "MATCH (o)-[e:EVIDENCED_BY]->(d:Document) WHERE all(t IN $terms WHERE t IN e.terms) "
    "RETURN e.seq AS seq, e.owner AS owner, CASE WHEN e.owner = o.id THEN labels(o)[0] END AS label, "
    "d.path AS document, e.paragraph AS paragraph, e.quote AS quote",
    "search totals": "MATCH ()-[e:EVIDENCED_BY]->() RETURN count(e) AS rows, sum(e.tokens) AS tokens",
    "search counts": "UNWIND $terms AS t MATCH ()-[e:EVIDENCED_BY]->() WHERE t IN e.terms "
    "RETURN t AS term, count(e) AS n",
    # lessons: the items (a recommendation to its addressees, a shortfall to the
    # agencies it implicates), each with its review, themes and first evidence.
    "lessons items": "MATCH (r:Review)-[:RECOMMENDS|FOUND]->(x) WHERE x:Recommendation OR x.polarity = $shortfall "
    "OPTIONAL MATCH (x)-[:HAS_THEME]->(t:Theme) OPTIONAL MATCH (x)-[:ADDRESSED_TO|IMPLICATES]->(p) "
    "OPTIONAL MATCH (x)-[e:EVIDENCED_BY]->(d:Document) WHERE e.owner = x.id "
    "RETURN r.id AS review, x.id AS id, labels(x)[0] AS label, collect(DISTINCT t.id) AS themes, "
    "collect(DISTINCT [p.id, p.type]) AS parties, collect(DISTINCT [e.seq, e.quote, e.paragraph, d.path]) AS quotes",
    "lessons publishers": "MATCH (r:Review)-[:PUBLISHED_BY]->(a:Agency)-[e:EVIDENCED_BY]->(d:Document) "
    "WHERE e.owner = a.id RETURN DISTINCT r.id AS review, a.id AS agency, a.type AS type, d.sha256 AS sha",
    "lessons reviews": "MATCH (r:Review) OPTIONAL MATCH (r)-[:REVIEWS]->(c:Case) "
    "OPTIONAL MATCH (d:Document)-[:DESCRIBES]->(r) RETURN r.id AS review, r.name AS name, "
    "r.published AS published, c.id AS case, c.name AS case_name, c.incident_date AS incident, "
    "c.locality AS locality, collect([d.sha256, d.path, d.published]) AS documents",
    "lessons dates": "MATCH (f:Fact) WHERE f.fact = $fact RETURN f.subject AS subject, f.value AS value",
    "stats labels": "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n",
    "stats edges": "MATCH ()-[r]->() RETURN type(r) AS rel, count(*) AS n",
}


def run_query(conn: Connection, name: str, /, **params: Any) -> list[dict[str, Any]]:
    """Run the named query against the server (parameters as for the embedded store)."""
    spec, args = q.bind(name, params)
    answer = _ANSWERS.get(spec.name)
    if answer is None:
        raise CasegraphError(f"query {spec.name} has no Cypher version yet; run it on the embedded store")
    with open_session(conn) as session:
        def run(cypher: str, **values: Any) -> list[dict[str, Any]]:
            return read(session, conn, cypher, values)

        return answer(run, **args)


def repeated_failures(run: Read, min_reviews: int = 2, by: str = "agency", locality: str | None = None,
                      review_type: str | None = None, since: int | None = None, until: int | None = None,
                      evidence: bool = False, limit: int | None = None) -> list[dict[str, Any]]:
    typed = by == "agency-type"
    filters = {"locality": locality, "review_type": review_type, "since": since or None, "until": until or None}
    ordered = run(CYPHER["repeated-failures"].format(grp=_GROUP[by]), min_reviews=min_reviews, **filters)
    # Python's order (code points), the embedded store's too, whatever the server's collation.
    ordered.sort(key=lambda r: (-r["n"], r["grp"], r["theme"]))
    ordered = ordered[:limit] if limit else ordered
    cites: dict[tuple[str, str], dict[str, dict[str, Any]]] = defaultdict(dict)
    if evidence and ordered:
        for r in run(CYPHER["repeated-failures evidence"].format(grp=_GROUP[by]),
                     keys=[f"{r['grp']} {r['theme']}" for r in ordered], sep=" ", **filters):
            # Per review of a group its first quote: the least evidence number.
            known = cites[(r["grp"], r["theme"])].get(r["review"])
            if known is None or (r["seq"] is not None and (known["seq"] is None or r["seq"] < known["seq"])):
                cites[(r["grp"], r["theme"])][r["review"]] = r
    ids = sorted({r["grp"] for r in ordered} | {rv for c in cites.values() for rv in c})
    names = _names(run, ids)
    out = []
    for r in ordered:
        grp, theme, n = r["grp"], r["theme"], r["n"]
        node = names.get(grp, {"name": grp})
        if typed:
            row = {"agency_type": node["name"], "agency_type_id": grp.removeprefix("agencytype:"),
                   "theme": theme.removeprefix("theme:"), "reviews": n}
        else:
            row = {"agency": node["name"], "agency_id": grp, "locality": node.get("locality"),
                   "agency_type": node.get("type"), "theme": theme.removeprefix("theme:"), "reviews": n}
        if evidence:
            row["evidence"] = sorted(
                ({"review": names.get(rv, {"name": rv})["name"], "review_id": rv, "quote": c["quote"],
                  "paragraph": c["paragraph"], "document": c["path"]} for rv, c in cites[(grp, theme)].items()),
                key=lambda c: (c["review"], c["review_id"]))
        out.append(row)
    return out


def _names(run: Read, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Name, locality and type of nodes by id, looked up through each label's index."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        by_label[label_of(i)].append(i)
    return {r["id"]: r for label, some in by_label.items() for r in run(CYPHER["names"].format(label=label), ids=some)}


def cases(run: Read) -> list[dict[str, Any]]:
    out = []
    for r in run(CYPHER["cases"]):
        c = r["c"]
        out.append({"case": c["id"], "name": c.get("name"), "locality": c.get("locality"),
                    "incident_date": c.get("incident_date"), "outcome": c.get("outcome"),
                    "reviews": sorted(r["reviews"]), "documents": sorted(r["documents"])})
    return sorted(out, key=lambda r: r["case"])


def conflicts(run: Read) -> list[dict[str, Any]]:
    rows = run(CYPHER["conflicts"])
    values: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        values[(r["subject"], r["fact"])].add(r["value"].lower())
    kept = sorted((r["subject"], r["name"], r["fact"], r["value"], r["path"], r["quote"]) for r in rows
                  if len(values[(r["subject"], r["fact"])]) > 1)
    return lookups._conflict_rows(sorted(kept, key=lambda r: (r[0], r[2], r[3], r[4])))


def find_node(run: Read, text: str, label: str) -> tuple[str, str]:
    """As the embedded store's: by id or name, then alias, then the shortest name containing it."""
    if label not in LABELS:
        raise CasegraphError(f"no label {label}")
    for where, order in (
            ("n.id = $text OR toLower(n.name) = toLower($text)", "n.id"),
            ("any(x IN coalesce(n.aliases, []) WHERE toLower(x) = toLower($text))", "n.id"),
            ("toLower(n.name) CONTAINS toLower($text) OR n.id CONTAINS toLower($text)", "size(n.name), n.id")):
        rows = run(f"MATCH (n:{label}) WHERE {where} RETURN n.id AS id, n.name AS name ORDER BY {order} LIMIT 1",
                   text=text)
        if rows:
            return rows[0]["id"], rows[0]["name"]
    raise q.not_found(label, text, (r["name"] for r in run(
        f"MATCH (n:{label}) WHERE n.name IS NOT NULL RETURN DISTINCT n.name AS name")))


def agency(run: Read, name: str) -> list[dict[str, Any]]:
    aid, _ = find_node(run, name, "Agency")
    findings = sorted(run(CYPHER["agency findings"], id=aid),
                      key=lambda r: (r["review"], r["id"], r["theme"] is not None, r["theme"] or ""))
    out = [lookups._finding_row(r["review_name"], r["theme"], r["f"]) for r in findings]
    out += [lookups._recommendation_row(r["review_name"], r["n"])
            for r in sorted(run(CYPHER["agency recommendations"], id=aid), key=lambda r: r["id"])]
    out += [lookups._contact_row(r["case_name"], r["n"])
            for r in sorted(run(CYPHER["agency contacts"], id=aid), key=lambda r: r["id"])]
    return out


def case(run: Read, id: str) -> list[dict[str, Any]]:
    cid, _ = find_node(run, id, "Case")
    rows = sorted(run(CYPHER["case"], id=cid), key=lambda r: r["id"])
    return lookups._timeline((r["id"], r["n"], r["agency"]) for r in rows)


def themes(run: Read, by: str | None = None, pairs: bool = False, review_type: str | None = None,
           since: int | None = None, until: int | None = None) -> list[dict[str, Any]]:
    meta: dict[str, list[tuple[str | None, str | None]]] = defaultdict(list)
    for r in run(CYPHER["themes reviews"], review_type=review_type, since=since or None, until=until or None):
        meta[r["review"]].append((r["year"], r["locality"]))
    per_review: dict[str, list[str]] = defaultdict(list)
    for r in run(CYPHER["themes"]):
        if r["review"] in meta:
            per_review[r["review"]].append(r["theme"].removeprefix("theme:"))
    return patterns._theme_rows(meta, sorted(per_review.items()), by, pairs)


def recommendations(run: Read, threshold: float = 0.5) -> list[dict[str, Any]]:
    from casegraph.graph.similar import answer_order, words

    level = patterns.threshold_level(threshold)
    rows = sorted(run(CYPHER["recommendations"]), key=lambda r: r["id"])
    recs = [(r["id"], r["review"], words(r["text"] or ""), r["text"] or "") for r in rows]
    reviews = {r["review"]: (r["name"], r["published"]) for r in rows}
    (order,) = answer_order(recs, reviews, [level / 10])
    return patterns._recommendation_groups(((n, recs[i][1], recs[i][3]) for n, i in order), reviews)


def risk_factors(run: Read, size: int = 2, by_outcome: bool = False) -> list[dict[str, Any]]:
    rows = run(CYPHER["risk-factors"])
    outcome = {r["case"]: r["outcome"] for r in sorted(rows, key=lambda r: r["case"])}
    return patterns._risk_rows(outcome, [(r["case"], r["risk"]) for r in rows], size, by_outcome)


def path(run: Read, source: str, target: str, max_depth: int = 6) -> list[dict[str, Any]]:
    a, b = _any_node(run, source), _any_node(run, target)
    known: dict[str, list[tuple[str, str, bool]]] = {}

    def prefetch(frontier: list[str]) -> None:
        by_label: dict[str, list[str]] = defaultdict(list)
        for node in frontier:
            if node not in known:
                by_label[label_of(node)].append(node)
                known[node] = []
        for label, ids in by_label.items():
            for r in run(CYPHER["neighbours"].format(label=label), ids=ids, skip=list(NOT_GRAPH)):
                known[r["id"]].append((r["other"], r["rel"], r["forward"]))
        for node in frontier:
            known[node] = sorted(set(known[node]), key=lambda n: (n[0], n[1], int(n[2])))

    chain = paths._chain(a, b, max_depth, lambda node: known[node], prefetch)
    if not chain:
        return []
    names = {k: (label_of(k), r["name"]) for k, r in _names(run, chain).items()}

    def rel_between(x: str, y: str) -> str | None:
        prefetch([x])
        hits = sorted((not forward, rel) for other, rel, forward in known[x] if other == y)
        return None if not hits else hits[0][1] if not hits[0][0] else f"<-{hits[0][1]}"

    return paths._path_rows(chain, names, rel_between)


def _any_node(run: Read, text: str) -> str:
    rows = run(CYPHER["any node"], text=text)
    if not rows:
        raise NodeNotFound(f"no node with id or name {text!r}")
    return rows[0]["id"]


def search(run: Read, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """The embedded store's full-text search, on the server: each EVIDENCED_BY carries
    the terms its quote has in the store's index, so the server finds the quotes with
    every term of the query and counts, per phrase, the quotes holding it; an FTS5
    index over the quotes found confirms each match (a word of several terms is a
    phrase) and makes the snippets; FTS5's bm25, from the whole collection's counts,
    ranks them."""
    from casegraph.graph.fts_terms import Terms, bm25, phrase_hits

    match = lookups.fts_match(text)
    terms = Terms()
    try:
        phrases = [p for p in terms.phrases(re.findall(r"\w+", text)) if p]
        wanted = sorted({t for p in phrases for t in p})
        rows = {r["seq"]: r for r in run(CYPHER["search"], terms=wanted)} if wanted else {}
        terms.put((k, r["quote"]) for k, r in rows.items())
        found = terms.matching(match)
        positions = terms.positions()
    finally:
        terms.close()
    if not found:
        return []
    total = run(CYPHER["search totals"])[0]
    single = sorted({p[0] for p in phrases if len(p) == 1})
    matching = {r["term"]: r["n"] for r in run(CYPHER["search counts"], terms=single)} if single else {}
    for p in phrases:  # a phrase of several terms: the quotes holding them all, in that order
        if len(p) > 1 and " ".join(p) not in matching:
            with_all = run(CYPHER["search"], terms=sorted(set(p)))
            matching[" ".join(p)] = sum(phrase_hits(p, _positions(r["quote"])) > 0 for r in with_all)
    ranked = sorted(
        (bm25([phrase_hits(p, positions.get(k, {})) for p in phrases],
              sum(len(v) for v in positions.get(k, {}).values()), total["rows"], total["tokens"],
              [matching.get(" ".join(p), 0) for p in phrases]), k, snippet) for k, snippet in found)
    return [{"owner": rows[k]["owner"], "label": rows[k]["label"], "document": rows[k]["document"],
             "paragraph": rows[k]["paragraph"], "quote": snippet} for _, k, snippet in ranked[:limit]]


def _positions(text: str) -> dict[str, set[int]]:
    from casegraph.graph.fts_terms import Terms

    terms = Terms()
    try:
        terms.put([(1, text)])
        return terms.positions().get(1, {})
    finally:
        terms.close()


def stats(run: Read) -> list[dict[str, Any]]:
    labels = {r["label"]: r["n"] for r in run(CYPHER["stats labels"])}
    rels = {r["rel"]: r["n"] for r in run(CYPHER["stats edges"])}
    out = [{"what": "documents", "count": labels.get("Document", 0)}]
    graph = sorted(label for label in LABELS if label != "Fact" and labels.get(label))
    out += [{"what": label, "count": labels[label]} for label in graph]
    out.append({"what": "nodes", "count": sum(labels[label] for label in graph)})
    out.append({"what": "edges", "count": sum(n for rel, n in rels.items() if rel not in NOT_GRAPH)})
    out.append({"what": "evidence", "count": rels.get("EVIDENCED_BY", 0)})
    return [r for r in out if r["count"] or r["what"] in ("documents", "nodes", "edges", "evidence")]


def lessons(run: Read, **params: Any) -> list[dict[str, Any]]:
    """The store's own lessons query (graph/lessons.py) over an in-memory copy of what
    it reads, made from the server's graph: its items, reviews, cases, documents,
    incident dates and quotes."""
    import json
    import sqlite3

    from casegraph.graph import lessons as kept_lessons

    db = sqlite3.connect(":memory:")
    try:
        db.executescript(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE nodes (id TEXT PRIMARY KEY, label TEXT, name TEXT, props TEXT);"
            "CREATE TABLE edges (src TEXT, rel TEXT, dst TEXT, doc INTEGER);"
            "CREATE TABLE documents (id INTEGER PRIMARY KEY, sha256 TEXT, path TEXT, published TEXT, "
            "case_id TEXT, review_id TEXT);"
            "CREATE TABLE facts (subject TEXT, fact TEXT, value TEXT);"
            "CREATE TABLE evidence (id INTEGER PRIMARY KEY, doc INTEGER, quote TEXT, paragraph TEXT);"
            + kept_lessons.SCHEMA)
        reviews = run(CYPHER["lessons reviews"])
        publishers: dict[tuple[str, str], list[tuple[str, str | None]]] = defaultdict(list)
        for r in run(CYPHER["lessons publishers"]):
            publishers[(r["review"], r["sha"])].append((r["agency"], r["type"]))
        by_short = {sha[:12]: sha for r in reviews for sha, _, _ in r["documents"] if sha}
        found = []  # (item, its document, its first quote)
        for r in run(CYPHER["lessons items"], shortfall="shortfall"):
            quotes = sorted(q for q in r["quotes"] if q[0] is not None)
            found.append((r, by_short[r["id"].split(":")[1]], quotes[0] if quotes else None))
        # Documents numbered in the order they were loaded, as the store numbers them: the
        # evidence of a document loaded later is numbered after that of earlier ones.
        first = {}
        for _, sha, quote in found:
            if quote and (sha not in first or quote[0] < first[sha]):
                first[sha] = quote[0]
        shas = sorted(by_short.values(), key=lambda sha: (sha not in first, first.get(sha, 0), sha))
        docs = {sha: n for n, sha in enumerate(shas, start=1)}
        cases: dict[str, str] = {}
        for r in reviews:
            cases[r["review"]] = r["case"]
            db.execute("INSERT OR IGNORE INTO nodes VALUES (?, 'Review', ?, ?)",
                       (r["review"], r["name"], json.dumps({"published": r["published"]})))
            if r["case"]:
                db.execute("INSERT OR IGNORE INTO nodes VALUES (?, 'Case', ?, ?)", (r["case"], r["case_name"],
                           json.dumps({"incident_date": r["incident"], "locality": r["locality"]})))
                db.execute("INSERT INTO edges VALUES (?, 'REVIEWS', ?, 0)", (r["review"], r["case"]))
            db.executemany("INSERT OR IGNORE INTO documents VALUES (?,?,?,?,?,?)",
                           [(docs[sha], sha, path, published, r["case"], r["review"])
                            for sha, path, published in r["documents"] if sha])
        db.executemany("INSERT INTO facts VALUES (?, 'incident_date', ?)",
                       [(r["subject"], r["value"]) for r in run(CYPHER["lessons dates"], fact="incident_date")])
        items, parties = [], set()
        for r, sha, quote in found:
            if quote:
                db.execute("INSERT OR IGNORE INTO evidence VALUES (?,?,?,?)", (quote[0], docs[sha], quote[1], quote[2]))
            to = [(p, kind) for p, kind in r["parties"] if p]
            if r["label"] == "Recommendation" and not to:  # to the partnership its document names
                to = [min(publishers.get((r["review"], sha), [(kept_lessons._PARTNERSHIP, None)]))]
            for party, kind in to:
                party_type = kind if party.startswith("agency:") else party.removeprefix("agencytype:")
                parties.add(party)
                for theme in r["themes"]:
                    items.append((kept_lessons._area(r["review"]), theme.removeprefix("theme:"),
                                  party_type or "other", party, r["label"].lower(), r["review"], docs[sha],
                                  quote[0] if quote else None))
        # One item per key, with its least evidence number (as the writer keeps them).
        items.sort(key=lambda i: (i[7] is None, i[7] or 0))
        db.executemany("INSERT OR IGNORE INTO lesson_items VALUES (?,?,?,?,?,?,?,?,NULL,NULL)", items)
        db.executemany("INSERT OR IGNORE INTO nodes VALUES (?, ?, ?, '{}')",
                       [(k, label_of(k), v["name"]) for k, v in _names(run, sorted(parties)).items()])
        for review, case_id in cases.items():
            told, events = kept_lessons.review_dates(db, review, case_id or "")
            db.execute("UPDATE lesson_items SET told = ?, events = ? WHERE review = ?", (told, events, review))

        class _Store:
            pass

        store = _Store()
        store.db = db  # type: ignore[attr-defined]
        return kept_lessons.lessons(store, **params)
    finally:
        db.close()


_ANSWERS: dict[str, Callable[..., list[dict[str, Any]]]] = {
    "repeated-failures": repeated_failures, "cases": cases, "conflicts": conflicts, "agency": agency,
    "case": case, "themes": themes, "recommendations": recommendations, "risk-factors": risk_factors,
    "path": path, "search": search, "stats": stats, "lessons": lessons,
}
