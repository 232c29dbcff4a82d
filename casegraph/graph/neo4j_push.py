"""`casegraph push neo4j`: the embedded store's graph pushed over Bolt.

Uniqueness constraints first, then batches of ``UNWIND $rows AS row MERGE ...``,
each in a managed write transaction that the driver retries on transient errors
(deadlocks, leader changes). Every value travels as a parameter; labels and
relationship types come from the store's own fixed set and are checked.

The push is incremental: a Document node is marked (``pushed_at``) once everything
of its push is written, and the next push sends only the documents not marked.
Documents the store no longer holds (a changed file replaces its earlier version)
are removed from the target first, with the nodes and relationships that only
they asserted. ``full=True`` sends every document again; MERGE makes that safe."""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from casegraph.errors import CasegraphError
from casegraph.graph.build import OWN_LABELS, own_prefixes
from casegraph.graph.fts_terms import Terms
from casegraph.graph.neo4j import Connection, ServerError, driver_errors, open_session, read, server_error

__all__ = ["LABELS", "SHARED", "NOT_GRAPH", "Batch", "PushReport", "PushFailed", "batches", "push",
           "label_of"]

LABELS = ("Document", "Review", "Case", "Person", "Agency", "AgencyType", "Theme", "RiskFactor",
          "Contact", "Finding", "Recommendation", "Fact")
VOCABULARY = ("AgencyType", "Theme", "RiskFactor")
# Nodes several documents assert: what a removed document asserted among them is
# found by comparing the target with the store.
SHARED = ("Case", "Review", "Person", "Agency")
# Relationships that carry provenance rather than the graph's own edges.
NOT_GRAPH = ("EVIDENCED_BY", "STATED_IN")
_NAME = re.compile(r"^[A-Z][A-Za-z_]*$")
_PREFIX = {label.lower(): label for label in LABELS}


class PushFailed(ServerError):
    """A batch failed after the driver's retries; says what was and was not written."""


@dataclass
class Batch:
    """One statement and its rows; ``what`` names them for progress and errors."""

    what: str
    cypher: str
    rows: list[dict[str, Any]]
    nodes: int = 0  # per row
    relationships: int = 0  # per row


@dataclass
class PushReport:
    documents: int = 0
    removed: int = 0
    nodes: int = 0
    relationships: int = 0
    batches: int = 0
    seconds: float = 0.0


def label_of(node_id: str) -> str:
    """The label of a node from its id ("finding:..." -> Finding)."""
    label = _PREFIX.get(node_id.split(":", 1)[0])
    if label is None:
        raise CasegraphError(f"node id {node_id!r} has no known label")
    return label


def _checked(name: str) -> str:
    if not _NAME.match(name):
        raise CasegraphError(f"refusing {name!r} as a label or relationship type")
    return name


def _scalar_props(props: dict[str, Any]) -> dict[str, Any]:
    """Bolt properties are scalars or lists of one scalar type; anything else becomes JSON."""
    out: dict[str, Any] = {}
    for k, v in props.items():
        if v is None:
            continue
        if isinstance(v, str | int | float | bool) or (
                isinstance(v, list) and len({type(x) for x in v}) <= 1
                and all(isinstance(x, str | int | float | bool) for x in v)):
            out[k] = v
        else:
            out[k] = json.dumps(v, ensure_ascii=False)
    return out


def constraints() -> list[str]:
    return [f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{_checked(label)}) "
            "REQUIRE n.id IS UNIQUE" for label in LABELS]


def _selection(store: Any, docs: list[int] | None) -> dict[str, tuple[str, tuple[Any, ...]]]:
    """SQL for the nodes, edges, evidence and facts of some documents (None: all).
    The vocabulary and its BROADER edges (document 0) always go with them."""
    ev = ('SELECT e.id, e.owner, d.sha256, e.start, e."end", e.paragraph, e.page, e.quote, e.extractor '
          "FROM evidence e JOIN documents d ON d.id = e.doc")
    facts = ("SELECT f.subject, f.fact, f.value, d.sha256, f.quote, f.paragraph "
             "FROM facts f JOIN documents d ON d.id = f.doc")
    if docs is None:
        return {"nodes": ("SELECT id, label, name, props FROM nodes", ()),
                "edges": ("SELECT DISTINCT src, rel, dst FROM edges", ()),
                "evidence": (ev, ()), "facts": (facts, ())}
    ids = json.dumps(docs)
    shas = [r[0] for r in store.rows("SELECT sha256 FROM documents WHERE id IN (SELECT value FROM json_each(?))",
                                     (ids,))]
    own = json.dumps([p for sha in shas for p in own_prefixes(sha)])  # id prefixes of their own nodes
    return {
        "nodes": (
            "SELECT id, label, name, props FROM nodes WHERE label IN ('AgencyType', 'Theme', 'RiskFactor') "
            "UNION SELECT id, label, name, props FROM nodes WHERE id IN (SELECT node_id FROM node_docs "
            "WHERE doc IN (SELECT value FROM json_each(?))) "
            "UNION SELECT n.id, n.label, n.name, n.props FROM json_each(?) p "
            "JOIN nodes n ON n.id >= p.value AND n.id < p.value || char(65535)", (ids, own)),
        "edges": ("SELECT DISTINCT src, rel, dst FROM edges WHERE doc = 0 "
                  "OR doc IN (SELECT value FROM json_each(?))", (ids,)),
        "evidence": (ev + " WHERE e.doc IN (SELECT value FROM json_each(?))", (ids,)),
        "facts": (facts + " WHERE f.doc IN (SELECT value FROM json_each(?))", (ids,)),
    }


class _Shapes:
    """Rows grouped by statement shape, each group sent once it fills a batch."""

    def __init__(self, size: int):
        self.size = size
        self.pending: dict[tuple[str, str, int, int], list[dict[str, Any]]] = defaultdict(list)

    def add(self, what: str, cypher: str, row: dict[str, Any], nodes: int, rels: int) -> Iterator[Batch]:
        key = (what, cypher, nodes, rels)
        rows = self.pending[key]
        rows.append(row)
        if len(rows) >= self.size:
            del self.pending[key]
            yield Batch(what, cypher, rows, nodes, rels)

    def rest(self) -> Iterator[Batch]:
        for (what, cypher, nodes, rels), rows in self.pending.items():
            yield Batch(what, cypher, rows, nodes, rels)
        self.pending.clear()


def _fact_id(subject: str, fact: str, value: str, sha: str, quote: str | None) -> str:
    key = "\x1f".join((subject, fact, value, sha, quote or ""))
    return "fact:" + hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


def batches(store: Any, docs: list[int] | None, size: int) -> Iterator[Batch]:
    """The statements that write the graph of some documents (None: all), in the
    order they must run: nodes, relationships, evidence, facts."""
    sql = _selection(store, docs)
    shapes = _Shapes(size)
    for nid, label, name, props in store.rows(*sql["nodes"]):
        yield from shapes.add(f"{label} nodes", f"UNWIND $rows AS row MERGE (n:{_checked(label)} {{id: row.id}}) "
                              "SET n += row.props",
                              {"id": nid, "props": {**_scalar_props(json.loads(props)), "name": name}}, 1, 0)
    yield from shapes.rest()
    for src, rel, dst in store.rows(*sql["edges"]):
        a, b = label_of(src), label_of(dst)
        yield from shapes.add(f"{rel} relationships {a}->{b}",
                              f"UNWIND $rows AS row MATCH (a:{_checked(a)} {{id: row.src}}) "
                              f"MATCH (b:{_checked(b)} {{id: row.dst}}) MERGE (a)-[:{_checked(rel)}]->(b)",
                              {"src": src, "dst": dst}, 0, 1)
    yield from shapes.rest()
    # Evidence: EVIDENCED_BY from the node that carries it (for an edge's evidence, the
    # edge's source, with the edge in ``owner``) to its Document. ``seq`` is the
    # store's number of the row (its order, which decides "the first quote", and its
    # full-text row id); ``terms`` and ``tokens`` are what the full-text index sees
    # in the quote, so that search finds and ranks the same quotes on the server.
    cursor = store.rows(*sql["evidence"])
    terms = Terms()
    try:
        while chunk := cursor.fetchmany(5000):
            terms.put((row[0], row[7]) for row in chunk)
            counts = terms.counts()
            for seq, owner, sha, start, end, paragraph, page, quote, extractor in chunk:
                source = owner.split("|", 1)[0]
                a = label_of(source)
                seen = counts.get(seq, {})
                yield from shapes.add(
                    f"EVIDENCED_BY relationships from {a}",
                    f"UNWIND $rows AS row MATCH (o:{_checked(a)} {{id: row.source}}) "
                    "MATCH (d:Document {id: row.doc}) "
                    "MERGE (o)-[e:EVIDENCED_BY {owner: row.owner, start: row.start, end: row.end}]->(d) "
                    "SET e.seq = row.seq, e.paragraph = row.paragraph, e.page = row.page, e.quote = row.quote, "
                    "e.extractor = row.extractor, e.terms = row.terms, e.tokens = row.tokens",
                    # MERGE refuses a null key: an unknown offset is -1.
                    {"source": source, "owner": owner, "doc": f"document:{sha}", "seq": seq,
                     "start": -1 if start is None else start, "end": -1 if end is None else end,
                     "paragraph": paragraph, "page": page, "quote": quote, "extractor": extractor,
                     "terms": sorted(seen), "tokens": sum(seen.values())}, 0, 1)
    finally:
        terms.close()
    yield from shapes.rest()
    for subject, fact, value, sha, quote, paragraph in store.rows(*sql["facts"]):
        yield from shapes.add(
            "Fact nodes", "UNWIND $rows AS row MATCH (d:Document {id: row.doc}) MERGE (f:Fact {id: row.id}) "
            "SET f.subject = row.subject, f.fact = row.fact, f.value = row.value, f.doc = row.doc, "
            "f.quote = row.quote, f.paragraph = row.paragraph MERGE (f)-[:STATED_IN]->(d)",
            {"id": _fact_id(subject, fact, value, sha, quote), "subject": subject, "fact": fact, "value": value,
             "doc": f"document:{sha}", "quote": quote, "paragraph": paragraph}, 1, 1)
    yield from shapes.rest()


def _total(store: Any, docs: list[int] | None) -> int:
    """Rows the batches of these documents hold, for the progress bar."""
    return sum(store.rows(f"SELECT count(*) FROM ({q})", params).fetchone()[0]
               for q, params in _selection(store, docs).values())


def _write(tx: Any, cypher: str, params: dict[str, Any]) -> None:
    tx.run(cypher, params).consume()


def _removals(session: Any, conn: Connection, store: Any, gone: list[str], size: int) -> Iterator[Batch]:
    """What the documents no longer in the store asserted alone: their own nodes and
    facts, and the shared nodes and relationships no document of the store asserts."""
    shas = [g.removeprefix("document:") for g in gone]
    yield Batch("Fact nodes of removed documents",
                "UNWIND $rows AS row MATCH (f:Fact {doc: row.doc}) DETACH DELETE f",
                [{"doc": g} for g in gone])
    for label in sorted(OWN_LABELS):
        prefixes = [p for sha in shas for p in own_prefixes(sha) if label_of(p) == label]
        yield Batch(f"{label} nodes of removed documents",
                    f"UNWIND $rows AS row MATCH (n:{_checked(label)}) WHERE n.id STARTS WITH row.prefix "
                    "DETACH DELETE n", [{"prefix": p} for p in prefixes])
    for label in SHARED:
        there = {r["id"] for r in read(session, conn, f"MATCH (n:{_checked(label)}) RETURN n.id AS id")}
        here = {r[0] for r in store.rows("SELECT id FROM nodes WHERE label = ?", (label,))}
        extra = sorted(there - here)
        for i in range(0, len(extra), size):
            yield Batch(f"{label} nodes no document asserts",
                        f"UNWIND $rows AS row MATCH (n:{_checked(label)} {{id: row.id}}) DETACH DELETE n",
                        [{"id": x} for x in extra[i:i + size]])
    ends = " OR ".join(f"b:{label}" for label in (*SHARED, *VOCABULARY))
    kept = {tuple(r) for r in store.rows("SELECT DISTINCT src, rel, dst FROM edges")}
    stale: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for label in SHARED:
        for r in read(session, conn, f"MATCH (a:{_checked(label)})-[r]->(b) WHERE ({ends}) "
                      "AND NOT type(r) IN $skip RETURN a.id AS src, type(r) AS rel, b.id AS dst",
                      {"skip": list(NOT_GRAPH)}):
            if (r["src"], r["rel"], r["dst"]) not in kept:
                stale[(label, r["rel"], label_of(r["dst"]))].append({"src": r["src"], "dst": r["dst"]})
    for (a, rel, b), rows in stale.items():
        for i in range(0, len(rows), size):
            yield Batch(f"{rel} relationships no document asserts",
                        f"UNWIND $rows AS row MATCH (a:{_checked(a)} {{id: row.src}})-[r:{_checked(rel)}]->"
                        f"(b:{_checked(b)} {{id: row.dst}}) DELETE r", rows[i:i + size])


def push(store: Any, conn: Connection, batch_size: int = 1000, full: bool = False,
         progress: Callable[[int, int], None] | None = None) -> PushReport:
    """Push the documents loaded or replaced since the last push (``full``: all of
    them); ``progress(rows, total)`` after each batch. Raises PushFailed, naming what
    was and was not written, when a batch fails after the driver's retries."""
    began = time.monotonic()
    report = PushReport()
    with open_session(conn) as session:
        def run(batch: Batch) -> None:
            session.execute_write(_write, batch.cypher, {"rows": batch.rows})

        try:
            for statement in constraints():
                session.execute_write(_write, statement, {})
            marked = {r["id"]: r["done"] for r in read(
                session, conn, "MATCH (d:Document) RETURN d.id AS id, d.pushed_at IS NOT NULL AS done")}
        except driver_errors() as e:  # after the driver's retries
            raise server_error(conn, e) from None
        docs = {f"document:{sha}": i for i, sha in store.rows("SELECT id, sha256 FROM documents")}
        gone = sorted(set(marked) - set(docs))
        todo = sorted(i for d, i in docs.items() if full or not marked.get(d))
        if gone:
            for batch in _removals(session, conn, store, gone, batch_size):
                _run_batch(run, batch, conn, report)
            report.removed = len(gone)
        if todo:
            selected = None if len(todo) == len(docs) else todo
            total = _total(store, selected)
            done = 0
            for batch in batches(store, selected, batch_size):
                _run_batch(run, batch, conn, report, total, done)
                done += len(batch.rows)
                if progress:
                    progress(len(batch.rows), total)
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            chosen = set(todo)
            ids = [d for d, i in docs.items() if i in chosen]
            for i in range(0, len(ids), batch_size):
                _run_batch(run, Batch("marks of pushed documents", "UNWIND $rows AS row MATCH "
                                      "(d:Document {id: row.id}) SET d.pushed_at = row.at",
                                      [{"id": d, "at": stamp} for d in ids[i:i + batch_size]]), conn, report)
            report.documents = len(todo)
    report.seconds = time.monotonic() - began
    return report


def _run_batch(run: Callable[[Batch], None], batch: Batch, conn: Connection, report: PushReport,
               total: int = 0, done: int = 0) -> None:
    if not batch.rows:
        return
    try:
        run(batch)
    except driver_errors() as e:
        why = str(server_error(conn, e)).removeprefix(f"{conn.uri}: ")
        where = f" (rows {done + 1}-{done + len(batch.rows)} of {total})" if total else ""
        raise PushFailed(
            f"{conn.uri}: batch {report.batches + 1}, {len(batch.rows)} {batch.what}{where}, failed: {why}. "
            f"Written before it: {report.nodes} nodes and {report.relationships} relationships in "
            f"{report.batches} batches; not written: this batch and those after it, and no document "
            "is marked pushed, so the next push sends them all again (MERGE keeps it safe)") from None
    report.batches += 1
    report.nodes += batch.nodes * len(batch.rows)
    report.relationships += batch.relationships * len(batch.rows)
