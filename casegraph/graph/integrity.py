"""Whether a store is sound: SQLite's own check, the schema version, the graph's
links, rows left by removed documents, the full-text index, and the tallies and
summaries the writer keeps, each recomputed from the graph."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casegraph.graph import lessons, tables
from casegraph.graph.build import OWN_LABELS, own_prefixes
from casegraph.graph.similar import LEVELS

if TYPE_CHECKING:
    from casegraph.graph.store import Store

__all__ = ["problems", "recount"]


def recount(store: Store) -> dict[str, int]:
    """Store.counts() computed from the rows themselves."""
    db = store.db
    out = {"documents": db.execute("SELECT count(*) FROM documents").fetchone()[0]}
    out.update(db.execute("SELECT label, count(*) FROM nodes GROUP BY label ORDER BY label").fetchall())
    out["nodes"] = db.execute("SELECT count(*) FROM nodes").fetchone()[0]
    out["edges"] = db.execute("SELECT count(*) FROM (SELECT DISTINCT src, rel, dst FROM edges)").fetchone()[0]
    out["evidence"] = db.execute("SELECT count(*) FROM evidence").fetchone()[0]
    return out

def problems(store: Store) -> list[str]:
    """Consistency problems, as one line each; [] for a sound store.

    SQLite's own integrity check; the recorded schema version; edges to missing
    nodes; documents without their graph; rows (edges, evidence, facts, node links,
    summaries) left by a document that is not in the store; a full-text index that
    disagrees with the evidence it indexes; tallies and summaries that disagree
    with the graph they summarise."""
    db = store.db
    problems = [f"sqlite: {r[0]}" for r in db.execute("PRAGMA integrity_check") if r[0] != "ok"]
    if problems:
        return problems  # the queries below would only repeat the damage
    if store.version() != tables.SCHEMA_VERSION:
        problems.append(f"schema version {store.version()} is not {tables.SCHEMA_VERSION}")
    for src, rel, dst in db.execute(
        "SELECT src, rel, dst FROM edges WHERE src NOT IN (SELECT id FROM nodes) "
        "OR dst NOT IN (SELECT id FROM nodes) LIMIT 20"
    ):
        problems.append(f"edge {src} -{rel}-> {dst} points to a missing node")
    for (sha,) in db.execute(
        "SELECT sha256 FROM documents WHERE 'document:' || sha256 NOT IN (SELECT id FROM nodes) "
        "OR id NOT IN (SELECT doc FROM edges) OR id NOT IN (SELECT doc FROM node_docs)"
    ):
        problems.append(f"document {sha} has no graph")
    for table in ("node_docs", "edges", "evidence", "facts", "failures", "review_themes", "rec_words",
                  "lesson_items"):
        for (doc,) in db.execute(
            f"SELECT DISTINCT doc FROM {table} WHERE doc != 0 "  # fixed names only
            f"AND doc NOT IN (SELECT id FROM documents) LIMIT 20"
        ):
            problems.append(f"{table} of unknown document {doc}")
    shas = {r[0] for r in db.execute("SELECT sha256 FROM documents")}
    prefixes = {p for sha in shas for p in own_prefixes(sha)}
    for nid, label in db.execute(
        "SELECT id, label FROM nodes WHERE label NOT IN ('AgencyType','Theme','RiskFactor') "
        "AND id NOT IN (SELECT node_id FROM node_docs)"
    ):
        if label not in OWN_LABELS or not (nid in prefixes or nid[:nid.rfind(":") + 1] in prefixes):
            problems.append(f"node {nid} is asserted by no document")
            if len(problems) > 40:
                break
    n_evidence = db.execute("SELECT count(*) FROM evidence").fetchone()[0]
    n_indexed = db.execute("SELECT count(*) FROM evidence_fts_docsize").fetchone()[0]
    if n_evidence != n_indexed:
        problems.append(f"full-text index holds {n_indexed} quotes, evidence {n_evidence}")
    tallied, real = store.counts(), recount(store)
    for key in sorted(set(tallied) | set(real)):
        if tallied.get(key, 0) != real.get(key, 0):
            problems.append(f"tally of {key} is {tallied.get(key, 0)}, the store holds {real.get(key, 0)}")
    problems += _summaries(store)
    problems += lessons.check(db)
    return problems

def _summaries(store: Store) -> list[str]:
    """``failure_counts`` and ``review_themes`` recomputed from the edges, the
    failures' review years from the reviews, and the kept recommendation groups
    from the words."""
    db = store.db
    problems = []
    kept = {tuple(r) for r in db.execute("SELECT grp, theme, reviews FROM failure_counts")}
    found = {(r[0], r[1], r[2]) for sql in (
        "SELECT fi.dst, th.dst, count(DISTINCT rv.src) FROM edges fi "
        "JOIN edges th ON th.src = fi.src AND th.rel = 'HAS_THEME' "
        "JOIN edges rv ON rv.dst = fi.src AND rv.rel = 'FOUND' "
        "WHERE fi.rel = 'IMPLICATES' GROUP BY fi.dst, th.dst",
        "SELECT 'agencytype:' || json_extract(a.props, '$.type'), th.dst, count(DISTINCT rv.src) "
        "FROM edges fi JOIN nodes a ON a.id = fi.dst "
        "JOIN edges th ON th.src = fi.src AND th.rel = 'HAS_THEME' "
        "JOIN edges rv ON rv.dst = fi.src AND rv.rel = 'FOUND' "
        "WHERE fi.rel = 'IMPLICATES' GROUP BY 1, 2") for r in db.execute(sql)}
    for grp, theme, n in sorted(kept ^ found)[:20]:
        problems.append(f"failure count {grp} x {theme} = {n} disagrees with the graph")
    kept_themes = {tuple(r) for r in db.execute("SELECT DISTINCT review, theme FROM review_themes")}
    graph_themes = {tuple(r) for r in db.execute(
        "SELECT DISTINCT fr.src, th.dst FROM edges fr JOIN edges th ON th.src = fr.dst "
        "AND th.rel = 'HAS_THEME' WHERE fr.rel IN ('FOUND', 'RECOMMENDS')")}
    for review, theme in sorted(kept_themes ^ graph_themes)[:20]:
        problems.append(f"review theme {review} x {theme} disagrees with the graph")
    for (review,) in db.execute(
            f"SELECT DISTINCT f.review FROM failures f LEFT JOIN nodes n ON n.id = f.review "
            f"WHERE f.year IS NOT {tables.REVIEW_YEAR.format('n')} LIMIT 20"):
        problems.append(f"failures of review {review} disagree with its year")
    for (rec,) in db.execute(
            "SELECT id FROM nodes WHERE label = 'Recommendation' AND id NOT IN (SELECT rec FROM rec_words) "
            "UNION SELECT rec FROM rec_words WHERE rec NOT IN (SELECT id FROM nodes) LIMIT 20"):
        problems.append(f"recommendation {rec} and its words disagree")
    if store.rec_groups_kept():
        recs, answers = store.rec_groups(LEVELS)
        for level, rows in answers.items():
            kept = store.rows("SELECT grp, rec, review, text FROM rec_groups WHERE level = ? ORDER BY pos",
                             (level,)).fetchall()
            if kept != [(n, recs[i][0], recs[i][1], recs[i][3]) for n, i in rows]:
                problems.append(f"recommendation groups at threshold {level / 10} disagree with the words")
    return problems
