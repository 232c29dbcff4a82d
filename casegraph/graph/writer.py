"""One document's rows written into the store and removed from it again: nodes
(merged with those other documents assert), edges, evidence, facts, the summaries
the named queries read (failures, review themes, recommendation words, failure
counts) and the tallies behind Store.counts(). Runs inside the document's
transaction or savepoint, which the store owns."""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import is_dataclass
from typing import Any

import orjson

from casegraph.graph import lessons
from casegraph.graph.build import OWN_LABELS, Fragment, dumps, own_prefixes
from casegraph.graph.similar import words
from casegraph.graph.tables import REVIEW_YEAR
from casegraph.schema.record import Evidence

__all__ = ["Writer", "bump", "fts_indexed", "relations"]


class Writer:
    """Writes and removes documents' rows on one connection."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def write(self, frag: Fragment, doc_id: int, tally: dict[str, int],
               override: bool = False) -> dict[str, int]:
        """Nodes, edges, evidence and facts of one document; returns the id of the
        first evidence row of each owner."""
        db = self.db
        shared = [nid for nid, v in frag.nodes.items() if v[0] not in OWN_LABELS]
        stored = dict(db.execute("SELECT id, props FROM nodes WHERE id IN (SELECT value FROM json_each(?))",
                                 (dumps(shared),)).fetchall())
        fresh = []
        for nid, (label, name, props) in frag.nodes.items():
            if nid not in stored:
                fresh.append((nid, label, name, dumps(props)))
                continue
            merged = orjson.loads(stored[nid])
            for k, v in props.items():
                if k == "aliases":
                    merged[k] = sorted(set(merged.get(k, [])) | set(v))
                elif override or merged.get(k) in (None, ""):
                    merged[k] = v
            # Most documents add nothing to an agency or case already stored: its
            # row is left as it is, not written again.
            if (text := dumps(merged)) != stored[nid]:
                db.execute("UPDATE nodes SET props=? WHERE id=?", (text, nid))
        db.executemany("INSERT INTO nodes VALUES (?,?,?,?)", fresh)
        for label, n in Counter(row[1] for row in fresh).items():
            bump(tally, f"label:{label}", n)
        # Which documents assert a node, for the nodes several can (a document's own
        # nodes go with it: their ids carry its sha).
        db.executemany("INSERT INTO node_docs VALUES (?,?)",
                       [(nid, doc_id) for nid, v in frag.nodes.items() if v[0] not in OWN_LABELS])
        self._add_edges(frag.edges, doc_id, frag.nodes, tally)
        # New ids stay above the indexed ones even after the newest rows were removed.
        base = max(db.execute("SELECT coalesce(max(id), 0) FROM evidence").fetchone()[0], fts_indexed(self.db))
        rows, first = [], {}
        for n, (owner, ev, ex) in enumerate(frag.evidence, start=base + 1):
            if type(ev) is Evidence:  # nearly always: attributes, not a dict made of them
                rows.append((n, owner, doc_id, ev.start, ev.end, ev.paragraph, ev.page, ev.quote, ex))
            else:
                e = _ev(ev)
                rows.append((n, owner, doc_id, e["start"], e["end"], e.get("paragraph"), e.get("page"),
                             e["quote"], ex))
            first.setdefault(owner, n)
        db.executemany("INSERT INTO evidence VALUES (?,?,?,?,?,?,?,?,?)", rows)
        bump(tally, "evidence", len(rows))
        db.executemany(
            "INSERT INTO facts VALUES (?,?,?,?,?,?)",
            [(s, f, v, doc_id, _ev(e)["quote"] if e else None, _ev(e).get("paragraph") if e else None)
             for s, f, v, e in frag.facts],
        )
        return first

    def _add_edges(self, edges: Iterable[tuple[str, str, str]], doc_id: int,
                   own: dict[str, Any], tally: dict[str, int]) -> None:
        """Insert edges, counting those no document asserted before (an edge from a
        node of this document's own is new by construction)."""
        edges = list(edges)
        shared = [e for e in edges if own.get(e[0], ("",))[0] not in OWN_LABELS]
        (known,) = self.db.execute(
            "SELECT count(*) FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM edges WHERE "
            "src = j.value ->> 0 AND rel = j.value ->> 1 AND dst = j.value ->> 2)",
            (dumps(shared),)).fetchone()
        self.db.executemany("INSERT OR IGNORE INTO edges VALUES (?,?,?,?)",
                            [(s, r, d, doc_id) for s, r, d in edges])
        bump(tally, "edges", len(edges) - known)

    def link_successors(self, frag: Fragment, doc_id: int, tally: dict[str, int]) -> None:
        """A Safeguarding Children Partnership succeeds the Board of the same area.
        Bodies are keyed by place ("agency:<place>:<kind>"), so only the new bodies'
        own places are looked at: the work per document does not grow with the store."""
        places = {nid.split(":")[1] for nid, v in frag.nodes.items()
                  if v[0] == "Agency" and v[2].get("type") == "safeguarding-partnership"}
        links = []
        for place in sorted(places):
            if place == "unknown":
                continue
            prefix = f"agency:{place}:"
            ids = {r[0] for r in self.db.execute(
                "SELECT id FROM nodes WHERE id >= ? AND id < ?", (prefix, prefix + "\uffff"))}
            for audience in ("children", "adults"):
                newer = f"{prefix}safeguarding-{audience}-partnership"
                older = f"{prefix}safeguarding-{audience}-board"
                if newer in ids and older in ids:
                    links.append((newer, "SUCCEEDS", older))
        self._add_edges(links, doc_id, {}, tally)

    def summarise(self, frag: Fragment, doc_id: int, rid: str, first_evidence: dict[str, int]) -> None:
        """Rows of ``failures``, ``review_themes`` and ``rec_words`` for one document,
        and the review counts of every (agency or agency type, theme) group it adds a
        review to."""
        db = self.db
        themes: dict[str, list[str]] = defaultdict(list)
        implicated: dict[str, list[str]] = defaultdict(list)
        for src, rel, dst in frag.edges:
            if rel == "HAS_THEME":
                themes[src].append(dst)
            elif rel == "IMPLICATES":
                implicated[src].append(dst)
        db.executemany("INSERT OR IGNORE INTO review_themes VALUES (?,?,?)",
                       [(rid, t, doc_id) for t in {t for ts in themes.values() for t in ts}])
        db.executemany("INSERT INTO rec_words VALUES (?,?,?,?,?)",
                       [(nid, rid, doc_id, words(v[2].get("text", "")), v[2].get("text", ""))
                        for nid, v in frag.nodes.items()
                        if v[0] == "Recommendation"])
        rows: dict[tuple[str, str], tuple[str, int | None]] = {}
        for fid, agencies in implicated.items():
            ev = first_evidence.get(fid)
            for aid in agencies:
                atype = f"agencytype:{frag.nodes[aid][2].get('type')}"
                for theme in themes.get(fid, ()):
                    known = rows.get((aid, theme))
                    if known is None or (ev is not None and (known[1] is None or ev < known[1])):
                        rows[(aid, theme)] = (atype, ev)
        groups = {(grp, theme) for (aid, theme), (atype, _) in rows.items() for grp in (aid, atype)}
        new = sorted(groups - self._failure_groups(rid))
        # The review's year as this document leaves it (one naming the date first may
        # come after others): set on its earlier rows too when it changed.
        (year,) = db.execute(f"SELECT {REVIEW_YEAR.format('nodes')} FROM nodes WHERE id = ?", (rid,)).fetchone()
        db.execute("UPDATE failures SET year = ? WHERE review = ? AND year IS NOT ?", (year, rid, year))
        db.executemany("INSERT INTO failures VALUES (?,?,?,?,?,?,?)",
                       [(aid, theme, rid, doc_id, atype, ev, year) for (aid, theme), (atype, ev) in rows.items()])
        db.executemany("INSERT INTO failure_counts VALUES (?,?,1) "
                       "ON CONFLICT DO UPDATE SET reviews = reviews + 1", new)

    def _failure_groups(self, rid: str) -> set[tuple[str, str]]:
        """(agency or agency type, theme) of the failures one review already counts."""
        return {(grp, r[2]) for r in self.db.execute(
            "SELECT agency, agency_type, theme FROM failures WHERE review = ?", (rid,)) for grp in r[:2]}

    def name_unnamed_subject(self, frag: Fragment, case_id: str, rid: str, person: str,
                             tally: dict[str, int]) -> None:
        """The case's "unnamed subject", whom earlier documents gave only an age, is
        the Person ``person`` this document (``frag``) names: their links move to it,
        with any age it lacks, and the case and review take the name."""
        db = self.db
        unnamed = f"person:{case_id[5:]}:unnamed-subject"
        row = db.execute("SELECT props FROM nodes WHERE id = ?", (unnamed,)).fetchone()
        # Not one a document told apart from a subject it named (a sibling of theirs).
        if row is None or db.execute(
                "SELECT 1 FROM edges a JOIN edges b ON b.src = a.src AND b.rel = a.rel AND b.doc = a.doc "
                "WHERE a.src = ? AND a.rel = 'SUBJECT' AND a.dst = ? AND b.dst != a.dst LIMIT 1",
                (case_id, unnamed)).fetchone():
            return
        props = orjson.loads(db.execute("SELECT props FROM nodes WHERE id = ?", (person,)).fetchone()[0])
        for k, v in orjson.loads(row[0]).items():
            if props.get(k) in (None, ""):
                props[k] = v
        db.execute("UPDATE nodes SET props = ? WHERE id = ?", (dumps(props), person))
        # Which documents gave only the age: their subject is the unnamed one again
        # once no other document names it (see unname_subject).
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [
            (f"subject-by-age:{d}", dumps(person))
            for (d,) in db.execute("SELECT doc FROM node_docs WHERE node_id = ?", (unnamed,)).fetchall()])
        self._move_subject(case_id, unnamed, person, tally)
        for nid in (case_id, rid):
            db.execute("UPDATE nodes SET name = ? WHERE id = ? AND name LIKE '%unnamed subject (%'",
                       (frag.nodes[nid][1], nid))

    def unname_subject(self, case_id: str, person: str, tally: dict[str, int]) -> None:
        """The reverse of name_unnamed_subject once the last document naming
        ``person`` is gone: documents that gave only an age keep no name."""
        db = self.db
        docs = [r[0] for r in db.execute("SELECT doc FROM node_docs WHERE node_id = ?", (person,))]
        ours = dumps(person)
        if not docs or any((db.execute("SELECT value FROM meta WHERE key = ?", (f"subject-by-age:{d}",)).fetchone()
                            or (None,))[0] != ours for d in docs):
            return
        unnamed = f"person:{case_id[5:]}:unnamed-subject"
        name, props = db.execute("SELECT name, props FROM nodes WHERE id = ?", (person,)).fetchone()
        if db.execute("INSERT OR IGNORE INTO nodes VALUES (?, 'Person', 'unnamed subject', ?)",
                      (unnamed, props)).rowcount:
            bump(tally, "label:Person")
            bump(tally, "edges")
        self._move_subject(case_id, person, unnamed, tally)
        db.executemany("DELETE FROM meta WHERE key = ?", [(f"subject-by-age:{d}",) for d in docs])
        db.execute("UPDATE nodes SET name = replace(name, ?, 'unnamed subject (') WHERE id = ? OR id IN "
                   "(SELECT src FROM edges WHERE rel = 'REVIEWS' AND dst = ?)", (f"{name} (", case_id, case_id))

    def _move_subject(self, case_id: str, old: str, new: str, tally: dict[str, int]) -> None:
        """The case's subject ``old`` is the Person ``new``: its links move there and it goes."""
        db = self.db
        db.execute("UPDATE OR IGNORE edges SET dst = ? WHERE src = ? AND rel = 'SUBJECT' AND dst = ?",
                   (new, case_id, old))
        db.execute("UPDATE OR IGNORE node_docs SET node_id = ? WHERE node_id = ?", (new, old))
        db.execute("DELETE FROM edges WHERE src = ? AND rel = 'SUBJECT' AND dst = ?", (case_id, old))
        db.execute("DELETE FROM node_docs WHERE node_id = ?", (old,))
        db.execute("DELETE FROM nodes WHERE id = ?", (old,))
        bump(tally, "label:Person", -1)
        bump(tally, "edges", -1)  # case -> old, now case -> new

    def add_tallies(self, tally: dict[str, int]) -> None:
        self.db.executemany("INSERT INTO tallies VALUES (?,?) ON CONFLICT DO UPDATE SET n = n + excluded.n",
                            [kv for kv in tally.items() if kv[1]])

    def remove(self, doc_id: int, tally: dict[str, int]) -> None:
        """Drop everything one document asserted, then nodes nothing asserts any more,
        keeping summaries and tallies in step."""
        db = self.db
        sha, rid, cid = db.execute("SELECT sha256, review_id, case_id FROM documents WHERE id=?",
                                   (doc_id,)).fetchone()
        shared = [r[0] for r in db.execute("SELECT node_id FROM node_docs WHERE doc=?", (doc_id,))]
        named = [r[0] for r in db.execute("SELECT dst FROM edges WHERE src = ? AND rel = 'SUBJECT' AND doc = ?",
                                          (cid, doc_id)) if not r[0].endswith(":unnamed-subject")]
        own = [r[0] for prefix in own_prefixes(sha) for r in db.execute(
            "SELECT id FROM nodes WHERE id >= ? AND id < ?", (prefix, prefix + "\uffff"))]
        # Every edge a document asserts starts at a node it asserts.
        edges = {(r[0], r[1], r[2]) for nid in shared + own for r in db.execute(
            "SELECT src, rel, dst FROM edges WHERE src=? AND doc=?", (nid, doc_id))}
        db.executemany("DELETE FROM edges WHERE src=? AND rel=? AND dst=? AND doc=?",
                       [(*e, doc_id) for e in edges])
        groups = {(grp, r[2]) for r in db.execute(
            "SELECT agency, agency_type, theme FROM failures WHERE review=? AND doc=?", (rid, doc_id))
            for grp in r[:2]}
        db.execute("DELETE FROM failures WHERE review=? AND doc=?", (rid, doc_id))
        db.execute("DELETE FROM lesson_items WHERE review=? AND doc=?", (rid, doc_id))
        for table in ("evidence", "facts", "node_docs", "review_themes", "rec_words"):
            n = db.execute(f"DELETE FROM {table} WHERE doc=?", (doc_id,)).rowcount  # fixed names only
            if table == "evidence":
                bump(tally, "evidence", -n)
        (case_id,) = db.execute("DELETE FROM documents WHERE id=? RETURNING case_id", (doc_id,)).fetchone()
        lessons.refresh_dates(db, case_id or "")  # the review may have been dated by this document alone
        bump(tally, "documents", -1)
        gone = own + [nid for nid in shared if db.execute(
            "SELECT 1 FROM node_docs WHERE node_id=? LIMIT 1", (nid,)).fetchone() is None]
        rels = relations(db)
        for nid in gone:
            label = db.execute("DELETE FROM nodes WHERE id=? RETURNING label", (nid,)).fetchone()[0]
            bump(tally, f"label:{label}", -1)
            # Edges another document drew to a node only this one asserted (a partnership
            # SUCCEEDS the board this document named) would point nowhere: they go too.
            for src, rel, dst in db.execute(
                    f"DELETE FROM edges WHERE src=? OR (rel IN ({','.join('?' * len(rels))}) AND dst=?) "
                    "RETURNING src, rel, dst", (nid, *rels, nid)).fetchall():
                edges.add((src, rel, dst))
        bump(tally, "edges", -sum(
            db.execute("SELECT 1 FROM edges WHERE src=? AND rel=? AND dst=? LIMIT 1", e).fetchone() is None
            for e in edges))
        fewer = sorted(groups - self._failure_groups(rid))
        db.executemany("UPDATE failure_counts SET reviews = reviews - 1 WHERE grp=? AND theme=?", fewer)
        db.executemany("DELETE FROM failure_counts WHERE grp=? AND theme=? AND reviews <= 0", fewer)
        db.execute("DELETE FROM meta WHERE key = ?", (f"subject-by-age:{doc_id}",))
        for person in named:
            self.unname_subject(cid, person, tally)


def fts_indexed(db: sqlite3.Connection) -> int:
    """The id of the last evidence row in the full-text index."""
    return int(db.execute("SELECT value FROM meta WHERE key = 'fts_indexed'").fetchone()[0])


def relations(db: sqlite3.Connection) -> list[str]:
    """The distinct relations, one index seek each (a skip scan of edges_rel_dst)."""
    rows = db.execute(
        "WITH RECURSIVE r(rel) AS (SELECT min(rel) FROM edges UNION ALL "
        "SELECT (SELECT min(rel) FROM edges WHERE rel > r.rel) FROM r WHERE r.rel IS NOT NULL) "
        "SELECT rel FROM r WHERE rel IS NOT NULL")
    return [r[0] for r in rows]


def _ev(ev: Any) -> dict[str, Any]:
    return vars(ev) if is_dataclass(ev) else dict(ev)


def bump(tally: dict[str, int], key: str, n: int = 1) -> None:
    tally[key] = tally.get(key, 0) + n
