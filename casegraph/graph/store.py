"""The embedded store: one SQLite file (WAL) holding the property graph, its
evidence and per-source facts. One document loads in one transaction; the same
bytes load once; a changed file replaces its earlier version."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from casegraph.errors import StoreError
from casegraph.graph.build import build_fragment, dumps
from casegraph.loaders.resolve import (
    case_key,
    match_case,
    review_id,
)
from casegraph.schema.record import ReviewRecord

__all__ = ["Store", "SCHEMA_VERSION", "MIGRATIONS", "default_store_path"]

SCHEMA_VERSION = 1
# Upgrades of an older store in place: MIGRATIONS[n] turns version n into n + 1, run
# inside the one transaction that also records the new version. None exist yet.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}
VOCABULARY_LABELS = ("AgencyType", "Theme", "RiskFactor")
_BUSY_SECONDS = 60  # how long a writer waits for another one before giving up

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
    sha256 TEXT PRIMARY KEY, path TEXT NOT NULL, abspath TEXT NOT NULL, kind TEXT,
    title TEXT, published TEXT, case_id TEXT, review_id TEXT, loaded_at TEXT
);
CREATE INDEX IF NOT EXISTS documents_abspath ON documents(abspath);
CREATE INDEX IF NOT EXISTS documents_case ON documents(case_id);
CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, name TEXT, props TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS nodes_label ON nodes(label);
CREATE TABLE IF NOT EXISTS node_docs (
    node_id TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (node_id, doc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS node_docs_doc ON node_docs(doc);
CREATE TABLE IF NOT EXISTS edges (
    src TEXT NOT NULL, rel TEXT NOT NULL, dst TEXT NOT NULL, doc TEXT NOT NULL,
    PRIMARY KEY (src, rel, dst, doc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edges_rel_dst ON edges(rel, dst, src);
CREATE INDEX IF NOT EXISTS edges_doc ON edges(doc);
CREATE TABLE IF NOT EXISTS evidence (
    id INTEGER PRIMARY KEY, owner TEXT NOT NULL, doc TEXT NOT NULL, start INTEGER,
    "end" INTEGER, paragraph TEXT, page INTEGER, quote TEXT NOT NULL, extractor TEXT
);
CREATE INDEX IF NOT EXISTS evidence_owner ON evidence(owner);
CREATE INDEX IF NOT EXISTS evidence_doc ON evidence(doc);
CREATE TABLE IF NOT EXISTS facts (
    subject TEXT NOT NULL, fact TEXT NOT NULL, value TEXT NOT NULL, doc TEXT NOT NULL,
    quote TEXT, paragraph TEXT
);
CREATE INDEX IF NOT EXISTS facts_subject ON facts(subject, fact);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc);
CREATE VIRTUAL TABLE IF NOT EXISTS evidence_fts USING fts5(
    quote, content='evidence', content_rowid='id', tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS evidence_ai AFTER INSERT ON evidence BEGIN
    INSERT INTO evidence_fts(rowid, quote) VALUES (new.id, new.quote);
END;
CREATE TRIGGER IF NOT EXISTS evidence_ad AFTER DELETE ON evidence BEGIN
    INSERT INTO evidence_fts(evidence_fts, rowid, quote) VALUES ('delete', old.id, old.quote);
END;
"""


def default_store_path() -> str:
    return os.environ.get("CASEGRAPH_STORE") or "casegraph.db"


def _ev(ev: Any) -> dict[str, Any]:
    return asdict(ev) if is_dataclass(ev) else dict(ev)


class Store:
    """A casegraph store in one SQLite file.

    >>> store = Store(":memory:")
    >>> store.counts()["documents"]
    0
    """

    def __init__(self, path: str | os.PathLike[str] = "casegraph.db", *, create: bool = True):
        self.path = str(path)
        if not create and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no store here; run `casegraph load` first")
        try:
            self.db = sqlite3.connect(self.path, timeout=_BUSY_SECONDS, isolation_level=None)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open the store ({e})") from e
        try:
            self.db.row_factory = sqlite3.Row
            self.db.execute(f"PRAGMA busy_timeout = {_BUSY_SECONDS * 1000}")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self._init_schema()
        except StoreError:
            self.db.close()
            raise
        except sqlite3.OperationalError as e:  # locked for a minute, unwritable folder, ...
            self.db.close()
            raise StoreError(f"{self.path}: cannot open the store ({e})") from e
        except sqlite3.DatabaseError as e:  # "file is not a database"
            self.db.close()
            raise StoreError(f"{self.path}: not a casegraph store ({e})") from e

    # -- set-up ---------------------------------------------------------------
    def _version(self) -> int | None:
        """The schema version recorded in meta, or None in a file without one."""
        try:
            rows = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchall()
        except sqlite3.OperationalError as e:
            if "no such table" in str(e):
                return None
            raise
        if not rows:
            return None
        row = rows[0]
        try:
            return int(row[0])
        except (TypeError, ValueError):
            raise StoreError(f"{self.path}: store schema version {row[0]!r} is not a number; "
                             "not a store this casegraph can read") from None

    def _use_wal(self) -> None:
        """Switch the file to WAL. That needs an exclusive lock, and SQLite answers
        "database is locked" at once, without waiting, while another process opens the
        same new file: retry for as long as the busy timeout."""
        deadline = time.monotonic() + _BUSY_SECONDS
        delay = 0.002
        while True:
            try:
                self.db.execute("PRAGMA journal_mode = WAL").fetchall()
                return
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or time.monotonic() > deadline:
                    raise
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 0.1)

    def _refuse_foreign(self) -> None:
        """Refuse an SQLite file holding tables of some other application."""
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        foreign = sorted(t for t in tables if not _ours(t))
        if foreign:
            raise StoreError(f"{self.path}: an SQLite file that is not a casegraph store "
                             f"(it has tables {', '.join(foreign[:5])})")

    def _init_schema(self) -> None:
        """Create the schema in a new file, check (or migrate) the version of an old one.

        Creation is one BEGIN IMMEDIATE transaction that re-reads the version once it
        holds the write lock: two processes creating the same store at once both see
        either no schema or the whole of it, never a half-made one."""
        version = self._version()
        if version is None:
            self._refuse_foreign()  # before anything is written, the WAL switch included
        if self.path != ":memory:":
            self._use_wal()
        if version is None:
            with self.transaction() as db:
                version = self._version()
                if version is None:
                    self._refuse_foreign()
                    for statement in _statements(_SCHEMA):
                        db.execute(statement)
                    self._load_vocabulary()
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                               (str(SCHEMA_VERSION),))
                    version = SCHEMA_VERSION
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema version {version} was written by a newer casegraph; "
                f"this one reads version {SCHEMA_VERSION}. Upgrade casegraph or use another store")
        if any(v not in MIGRATIONS for v in range(version, SCHEMA_VERSION)):
            raise StoreError(
                f"{self.path}: store schema version {version}, this casegraph reads version "
                f"{SCHEMA_VERSION} and cannot migrate it; reload the documents into a new store")
        with self.transaction() as db:
            current = self._version() or version  # another process may have migrated it
            for v in range(current, SCHEMA_VERSION):
                MIGRATIONS[v](db)
                db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(v + 1),))

    def _load_vocabulary(self) -> None:
        from casegraph.schema.vocabulary import load_vocabulary

        vocab = load_vocabulary()
        for scheme, label in (("agency_types", "AgencyType"), ("themes", "Theme"),
                              ("risk_factors", "RiskFactor")):
            prefix = label.lower()
            for cid, concept in vocab[scheme].items():
                props = {"definition": concept.definition, "alt_labels": concept.alt_labels}
                self.db.execute("INSERT OR REPLACE INTO nodes VALUES (?,?,?,?)",
                                (f"{prefix}:{cid}", label, concept.label, dumps(props)))
                for broader in concept.broader:
                    self.db.execute("INSERT OR IGNORE INTO edges VALUES (?,?,?,?)",
                                    (f"{prefix}:{cid}", "BROADER", f"{prefix}:{broader}", ""))

    class _Tx:
        def __init__(self, db: sqlite3.Connection):
            self.db = db

        def __enter__(self) -> sqlite3.Connection:
            self.db.execute("BEGIN IMMEDIATE")
            return self.db

        def __exit__(self, exc_type: Any, *_: Any) -> None:
            if exc_type is None:
                try:
                    self.db.execute("COMMIT")
                    return
                except BaseException:
                    if self.db.in_transaction:
                        self.db.execute("ROLLBACK")
                    raise
            # SQLite may already have rolled back (disk full, I/O error): do not hide
            # the real error behind "no transaction is active".
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")

    def transaction(self) -> Store._Tx:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error: never half a document."""
        return Store._Tx(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    # -- loading --------------------------------------------------------------
    def has_document(self, sha: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE sha256=?", (sha,)).fetchone() is not None

    def load(self, record: ReviewRecord) -> str:
        """Add one document's record; returns 'unchanged', 'loaded' or 'replaced'."""
        try:
            return self._load(record)
        except sqlite3.Error as e:  # disk full, locked past the timeout: this document fails
            raise StoreError(f"store {self.path}: {type(e).__name__}: {e}") from e
        except (KeyError, TypeError, AttributeError, ValueError, IndexError) as e:
            # A record of the wrong shape (a hand-written one, say): rolled back, explained.
            raise StoreError(f"record cannot be stored ({type(e).__name__}: {e})") from e

    def _load(self, record: ReviewRecord) -> str:
        doc = record.document
        sha = doc["sha256"]
        abspath = os.path.abspath(doc["path"])
        with self.transaction() as db:
            if self.has_document(sha):
                return "unchanged"
            old = [r[0] for r in db.execute(
                "SELECT sha256 FROM documents WHERE abspath=?", (abspath,))]
            for old_sha in old:
                self._remove(old_sha)
            case_id = self._resolve_case(record)
            rid = self._resolve_review(case_id, record.review.get("type"))
            frag = build_fragment(record, case_id, rid)
            self._write(frag, override=doc.get("kind") == "record")
            db.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,datetime('now'))",
                (sha, doc["path"], abspath, doc.get("kind"), doc.get("title"),
                 doc.get("published"), case_id, rid),
            )
            self._link_successors(frag)
        return "replaced" if old else "loaded"

    def _resolve_case(self, record: ReviewRecord) -> str:
        case = record.case
        subjects = case.get("subjects") or []
        key = case_key(case.get("locality"), subjects[0]["pseudonym"] if subjects else None,
                       case.get("incident_date"))
        rows = self.db.execute(
            "SELECT id, json_extract(props,'$.incident_date') FROM nodes "
            "WHERE label='Case' AND (id = ? OR id LIKE ? ESCAPE '\\')",
            (f"case:{key[0]}:{key[1]}", _like_prefix(f"case:{key[0]}:{key[1]}:")),
        ).fetchall()
        return match_case(key, [(r[0], r[1]) for r in rows])

    def _resolve_review(self, case_id: str, rtype: str | None) -> str:
        """One Review per case and type; a document that names no type joins the
        case's review, and an untyped review takes the first type named."""
        rows = self.db.execute(
            "SELECT n.id, json_extract(n.props, '$.type') FROM edges e JOIN nodes n ON n.id = e.src "
            "WHERE e.rel = 'REVIEWS' AND e.dst = ? GROUP BY n.id ORDER BY n.id", (case_id,)
        ).fetchall()
        for rid, existing in rows:
            if rtype is None or existing in (None, rtype):
                return rid
        base = review_id(case_id, None)
        return base if not rows else review_id(case_id, rtype)

    def _write(self, frag: Any, override: bool = False) -> None:
        db = self.db
        sha = frag.sha
        for nid, (label, name, props) in frag.nodes.items():
            row = db.execute("SELECT props FROM nodes WHERE id=?", (nid,)).fetchone()
            if row is None:
                db.execute("INSERT INTO nodes VALUES (?,?,?,?)", (nid, label, name, dumps(props)))
            else:
                merged = json.loads(row[0])
                for k, v in props.items():
                    if k == "aliases":
                        merged[k] = sorted(set(merged.get(k, [])) | set(v))
                    elif override or merged.get(k) in (None, ""):
                        merged[k] = v
                db.execute("UPDATE nodes SET props=? WHERE id=?", (dumps(merged), nid))
        db.executemany("INSERT OR IGNORE INTO node_docs VALUES (?,?)",
                       [(nid, sha) for nid in frag.nodes])
        db.executemany("INSERT OR IGNORE INTO edges VALUES (?,?,?,?)",
                       [(s, r, d, sha) for s, r, d in frag.edges])
        db.executemany(
            'INSERT INTO evidence (owner, doc, start, "end", paragraph, page, quote, extractor) '
            "VALUES (?,?,?,?,?,?,?,?)",
            [(owner, sha, e["start"], e["end"], e.get("paragraph"), e.get("page"), e["quote"], ex)
             for owner, ev, ex in frag.evidence for e in [_ev(ev)]],
        )
        db.executemany(
            "INSERT INTO facts VALUES (?,?,?,?,?,?)",
            [(s, f, v, sha, _ev(e)["quote"] if e else None, _ev(e).get("paragraph") if e else None)
             for s, f, v, e in frag.facts],
        )

    def _link_successors(self, frag: Any) -> None:
        """A Safeguarding Children Partnership succeeds the Board of the same area.
        Bodies are keyed by place ("agency:<place>:<kind>"), so only the new bodies'
        own places are looked at: the work per document does not grow with the store."""
        places = {nid.split(":")[1] for nid, v in frag.nodes.items()
                  if v[0] == "Agency" and v[2].get("type") == "safeguarding-partnership"}
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
                    self.db.execute("INSERT OR IGNORE INTO edges VALUES (?,?,?,?)",
                                    (newer, "SUCCEEDS", older, frag.sha))

    def _remove(self, sha: str) -> None:
        """Drop everything one document asserted, then nodes nothing asserts any more."""
        db = self.db
        for table in ("edges", "evidence", "facts", "node_docs"):
            db.execute(f"DELETE FROM {table} WHERE doc=?", (sha,))
        db.execute("DELETE FROM documents WHERE sha256=?", (sha,))
        gone = [(r[0],) for r in db.execute(
            "SELECT id FROM nodes WHERE label NOT IN ('AgencyType','Theme','RiskFactor') "
            "AND id NOT IN (SELECT node_id FROM node_docs)")]
        if gone:
            db.executemany("DELETE FROM nodes WHERE id=?", gone)
            # Edges another document drew to a node only this one asserted (a partnership
            # SUCCEEDS the board this document named) would point nowhere: they go too.
            db.execute("DELETE FROM edges WHERE src NOT IN (SELECT id FROM nodes) "
                       "OR dst NOT IN (SELECT id FROM nodes)")

    def remove_document(self, sha: str) -> None:
        with self.transaction():
            self._remove(sha)

    # -- reading --------------------------------------------------------------
    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql, params).fetchall()

    def nodes(self, label: str | None = None) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """(id, label, name, props) for every node, or those of one label."""
        sql = "SELECT id, label, name, props FROM nodes"
        rows = self.db.execute(sql + " WHERE label=?", (label,)) if label else self.db.execute(sql)
        for r in rows:
            yield r[0], r[1], r[2], json.loads(r[3])

    def edges(self, rel: str | None = None) -> Iterator[tuple[str, str, str]]:
        """(src, rel, dst) once each, whatever number of documents assert it."""
        sql = "SELECT DISTINCT src, rel, dst FROM edges"
        rows = self.db.execute(sql + " WHERE rel=?", (rel,)) if rel else self.db.execute(sql)
        for r in rows:
            yield r[0], r[1], r[2]

    def evidence(self, owner: str) -> list[dict[str, Any]]:
        rows = self.db.execute(
            'SELECT e.doc, d.path, e.start, e."end", e.paragraph, e.page, e.quote, e.extractor '
            "FROM evidence e LEFT JOIN documents d ON d.sha256=e.doc WHERE e.owner=? "
            "ORDER BY e.id", (owner,))
        return [dict(r) for r in rows]

    def counts(self) -> dict[str, int]:
        out = {"documents": self.db.execute("SELECT count(*) FROM documents").fetchone()[0]}
        for label, n in self.db.execute("SELECT label, count(*) FROM nodes GROUP BY label"):
            out[label] = n
        out["nodes"] = self.db.execute("SELECT count(*) FROM nodes").fetchone()[0]
        out["edges"] = self.db.execute(
            "SELECT count(*) FROM (SELECT DISTINCT src, rel, dst FROM edges)").fetchone()[0]
        out["evidence"] = self.db.execute("SELECT count(*) FROM evidence").fetchone()[0]
        return out

    def check(self) -> list[str]:
        """Consistency problems, as one line each; [] for a sound store.

        SQLite's own integrity check; the recorded schema version; edges to missing
        nodes; documents without their graph; rows (edges, evidence, facts, node links)
        left by a document that is not in the store; a full-text index that disagrees
        with the evidence it indexes."""
        db = self.db
        problems = [f"sqlite: {r[0]}" for r in db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        if problems:
            return problems  # the queries below would only repeat the damage
        if self._version() != SCHEMA_VERSION:
            problems.append(f"schema version {self._version()} is not {SCHEMA_VERSION}")
        for src, rel, dst in db.execute(
            "SELECT src, rel, dst FROM edges WHERE src NOT IN (SELECT id FROM nodes) "
            "OR dst NOT IN (SELECT id FROM nodes) LIMIT 20"
        ):
            problems.append(f"edge {src} -{rel}-> {dst} points to a missing node")
        for (sha,) in db.execute(
            "SELECT sha256 FROM documents WHERE 'document:' || sha256 NOT IN (SELECT id FROM nodes) "
            "OR sha256 NOT IN (SELECT doc FROM edges) OR sha256 NOT IN (SELECT doc FROM node_docs)"
        ):
            problems.append(f"document {sha} has no graph")
        for table, column in (("node_docs", "doc"), ("edges", "doc"), ("evidence", "doc"),
                              ("facts", "doc")):
            for (doc,) in db.execute(
                f"SELECT DISTINCT {column} FROM {table} WHERE {column} != '' "  # fixed names only
                f"AND {column} NOT IN (SELECT sha256 FROM documents) LIMIT 20"
            ):
                problems.append(f"{table} of unknown document {doc}")
        for (nid,) in db.execute(
            "SELECT id FROM nodes WHERE label NOT IN ('AgencyType','Theme','RiskFactor') "
            "AND id NOT IN (SELECT node_id FROM node_docs) LIMIT 20"
        ):
            problems.append(f"node {nid} is asserted by no document")
        n_evidence = db.execute("SELECT count(*) FROM evidence").fetchone()[0]
        n_indexed = db.execute("SELECT count(*) FROM evidence_fts_docsize").fetchone()[0]
        if n_evidence != n_indexed:
            problems.append(f"full-text index holds {n_indexed} quotes, evidence {n_evidence}")
        return problems


_TABLES = frozenset("meta documents nodes node_docs edges evidence facts evidence_fts".split())


def _ours(table: str) -> bool:
    """Tables a casegraph store may hold: its own, FTS5 shadow tables, SQLite's."""
    return table in _TABLES or table.startswith(("evidence_fts_", "sqlite_"))


def _statements(script: str) -> Iterator[str]:
    """The statements of a script one by one (trigger bodies hold semicolons too), so
    they can run inside one transaction, which executescript() would commit."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
