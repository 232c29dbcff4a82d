"""The embedded store: one SQLite file (WAL) holding the property graph, its
evidence, per-source facts and the summaries the named queries read. A document
loads whole or not at all (its own transaction, or a savepoint of a bulk load's);
the same bytes load once; a changed file replaces its earlier version."""

from __future__ import annotations

import os
import random
import re
import sqlite3
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import is_dataclass
from pathlib import Path
from typing import Any

import orjson

from casegraph.errors import StoreError
from casegraph.graph import lessons
from casegraph.graph.build import OWN_LABELS, Fragment, build_fragment, dumps, own_prefixes
from casegraph.graph.similar import LEVELS, answer_order, words
from casegraph.loaders.resolve import (
    alias_fits,
    alias_keys,
    case_key,
    different_reviews,
    match_case,
    named_review,
    review_id,
    same_person,
    slug,
    unnamed,
    unnamed_keys,
)
from casegraph.schema.record import Evidence, ReviewRecord

__all__ = ["Store", "SCHEMA_VERSION", "MIGRATIONS", "default_store_path"]

SCHEMA_VERSION = 5
# The year a review was published, from its node's props (NULL when unknown), as
# queries filter reviews by year.
REVIEW_YEAR = "CAST(substr(json_extract({}.props, '$.published'), 1, 4) AS INTEGER)"
# Near-duplicate recommendation groups at every threshold level, in answer order,
# with what a query answers (the review and text of each recommendation).
_REC_GROUPS = """CREATE TABLE IF NOT EXISTS rec_groups (
    level INTEGER NOT NULL, pos INTEGER NOT NULL, grp INTEGER NOT NULL, rec TEXT NOT NULL,
    review TEXT NOT NULL, text TEXT, PRIMARY KEY (level, pos)
) WITHOUT ROWID;"""
# Upgrades of an older store in place: MIGRATIONS[n] turns version n into n + 1, run
# inside the one transaction that also records the new version. Version 1 stores
# (document keys as text, no summary tables) are reloaded instead.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    # rec_groups is filled by the next load (computed per query until then); nothing
    # groups rec_words by words in SQL any more.
    2: lambda db: [db.execute(_REC_GROUPS), db.execute("DROP INDEX IF EXISTS rec_words_words")],
    # Each failure carries its review's year, which --since and --until compare.
    3: lambda db: [db.execute("ALTER TABLE failures ADD COLUMN year INTEGER"), db.execute(
        f"UPDATE failures SET year = (SELECT {REVIEW_YEAR.format('n')} FROM nodes n WHERE n.id = failures.review)"),
        db.execute("DROP INDEX IF EXISTS failures_type"),
        db.execute("CREATE INDEX failures_type ON failures(agency_type, theme, review, year)")],
    # What the lessons query reads: recommendations and shortfalls by area, dated.
    4: lambda db: [[db.execute(s) for s in _statements(lessons.SCHEMA)], lessons.rebuild(db)],
}
_BUSY_SECONDS = 60  # how long a writer waits for another one before giving up
# SQLite's page cache (a negative size is in KiB): 64 MiB, the edge index of a
# national store; 256 MiB while a bulk load runs, so that the index pages documents
# update in random key order stay in memory (5,000 documents: about 2 s less of the
# writer's CPU, at most 192 MiB more memory).
_CACHE_SIZE = -65536
_BULK_CACHE_SIZE = -262144
# A bulk load commits at least this often: each commit writes the pages it changed
# and a segment of the full-text index, so fewer commits write less (5,000
# documents: about 4 s less of the writer's CPU at 2 s than at 1 s).
_BATCH_SECONDS = 2.0

# Documents are numbered (``documents.id``) and every row a document asserts carries
# that number. ``failures``, ``review_themes``, ``rec_words`` and ``tallies`` are
# summaries the writer keeps in step with the graph, in the same transaction
# (``rec_groups`` is rebuilt at the end of a bulk load and dropped by any later change), so the
# national-scale queries read a few thousand rows instead of joining a million
# edges; check() recomputes them from the graph. Evidence quotes enter the full-text index just
# before each commit, all at once (meta 'fts_indexed' is the last id indexed): FTS5
# would write a segment for every document's savepoint otherwise.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, path TEXT NOT NULL, abspath TEXT NOT NULL,
    kind TEXT, title TEXT, published TEXT, case_id TEXT, review_id TEXT, loaded_at TEXT
);
CREATE INDEX IF NOT EXISTS documents_abspath ON documents(abspath);
CREATE INDEX IF NOT EXISTS documents_case ON documents(case_id);
CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, name TEXT, props TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS nodes_label ON nodes(label);
CREATE TABLE IF NOT EXISTS node_docs (
    node_id TEXT NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (node_id, doc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS node_docs_doc ON node_docs(doc);
CREATE TABLE IF NOT EXISTS edges (
    src TEXT NOT NULL, rel TEXT NOT NULL, dst TEXT NOT NULL, doc INTEGER NOT NULL,
    PRIMARY KEY (src, rel, dst, doc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edges_rel_dst ON edges(rel, dst, src);
CREATE TABLE IF NOT EXISTS evidence (
    id INTEGER PRIMARY KEY, owner TEXT NOT NULL, doc INTEGER NOT NULL, start INTEGER,
    "end" INTEGER, paragraph TEXT, page INTEGER, quote TEXT NOT NULL, extractor TEXT
);
CREATE INDEX IF NOT EXISTS evidence_owner ON evidence(owner);
CREATE INDEX IF NOT EXISTS evidence_doc ON evidence(doc);
CREATE TABLE IF NOT EXISTS facts (
    subject TEXT NOT NULL, fact TEXT NOT NULL, value TEXT NOT NULL, doc INTEGER NOT NULL,
    quote TEXT, paragraph TEXT
);
CREATE INDEX IF NOT EXISTS facts_subject ON facts(subject, fact);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc);
CREATE TABLE IF NOT EXISTS failures (
    agency TEXT NOT NULL, theme TEXT NOT NULL, review TEXT NOT NULL, doc INTEGER NOT NULL,
    agency_type TEXT NOT NULL, evidence INTEGER, year INTEGER,
    PRIMARY KEY (agency, theme, review, doc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS failures_type ON failures(agency_type, theme, review, year);
CREATE INDEX IF NOT EXISTS failures_review ON failures(review, doc);
CREATE TABLE IF NOT EXISTS failure_counts (
    grp TEXT NOT NULL, theme TEXT NOT NULL, reviews INTEGER NOT NULL, PRIMARY KEY (grp, theme)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS review_themes (
    review TEXT NOT NULL, theme TEXT NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (review, theme, doc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS review_themes_doc ON review_themes(doc);
CREATE TABLE IF NOT EXISTS rec_words (
    rec TEXT PRIMARY KEY, review TEXT NOT NULL, doc INTEGER NOT NULL, words TEXT NOT NULL, text TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rec_words_doc ON rec_words(doc);
""" + _REC_GROUPS + lessons.SCHEMA + """
CREATE TABLE IF NOT EXISTS tallies (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS evidence_fts USING fts5(
    quote, content='evidence', content_rowid='id', tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS evidence_ad AFTER DELETE ON evidence
WHEN old.id <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_indexed') BEGIN
    INSERT INTO evidence_fts(evidence_fts, rowid, quote) VALUES ('delete', old.id, old.quote);
END;
INSERT OR IGNORE INTO meta VALUES ('fts_indexed', '0');
"""
# Indexes no load reads from. A bulk load into an empty store drops them and builds
# each once at its end (meta 'indexes' = 'deferred' meanwhile): sorting a finished
# table is several times cheaper than inserting a national collection's rows into
# them document by document, in random key order. (A case's incident dates are read
# from facts by subject as each document loads: without its index, a scan of every
# fact so far, a tenth of a national load's writer.)
_DEFERRED_INDEXES = {m.group(1): m.group(0) for m in re.finditer(
    r"CREATE INDEX IF NOT EXISTS (\w+) ON [^;]+;", _SCHEMA)
    if m.group(1) not in ("documents_abspath", "documents_case", "facts_subject", "failures_review",
                          "lesson_items_review")}


def default_store_path() -> str:
    return os.environ.get("CASEGRAPH_STORE") or "casegraph.db"


def _ev(ev: Any) -> dict[str, Any]:
    return vars(ev) if is_dataclass(ev) else dict(ev)


class Store:
    """A casegraph store in one SQLite file.

    >>> store = Store(":memory:")
    >>> store.counts()["documents"]
    0
    """

    def __init__(self, path: str | os.PathLike[str] = "casegraph.db", *, create: bool = True):
        self.path = str(path)
        self._bulk = False
        self._batch_started = 0.0
        self._batch: list[str] = []  # paths loaded since the last commit of a bulk load
        self._bulk_began = False  # whether this bulk load has begun its first batch
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
            self.db.execute(f"PRAGMA cache_size = {_CACHE_SIZE}")
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
        tally: dict[str, int] = {}
        for scheme, label in (("agency_types", "AgencyType"), ("themes", "Theme"),
                              ("risk_factors", "RiskFactor")):
            prefix = label.lower()
            for cid, concept in vocab[scheme].items():
                props = {"definition": concept.definition, "alt_labels": concept.alt_labels}
                self.db.execute("INSERT INTO nodes VALUES (?,?,?,?)",
                                (f"{prefix}:{cid}", label, concept.label, dumps(props)))
                _bump(tally, f"label:{label}")
                for broader in concept.broader:
                    # Document 0: asserted by the vocabulary, not by any document.
                    self.db.execute("INSERT INTO edges VALUES (?,?,?,0)",
                                    (f"{prefix}:{cid}", "BROADER", f"{prefix}:{broader}"))
                    _bump(tally, "edges")
        self._add_tallies(tally)

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

    @contextmanager
    def bulk(self) -> Iterator[Store]:
        """Load many documents with few commits: inside this block each load() is a
        savepoint of a transaction that is committed once it is two seconds old and at
        the end. A failed document rolls back to its savepoint alone; a crash loses
        at most those last seconds, never part of a document. The write lock is taken
        again only when the next document arrives, so other writers get their turn."""
        self._bulk, self._bulk_began = True, False
        # Copy the log into the file every ~80 MB instead of every 4 MB: a page that
        # many documents touch (an index's busiest ones) is copied once, not each time.
        self.db.execute("PRAGMA wal_autocheckpoint = 20000")
        self.db.execute(f"PRAGMA cache_size = {_BULK_CACHE_SIZE}")
        try:
            yield self
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            try:  # the documents committed so far get their indexes all the same
                self._build_deferred_indexes()
            except sqlite3.Error:
                pass  # left to the next load, which finishes them
            raise
        else:
            if self.db.in_transaction:
                self._index_evidence()
                self.db.execute("COMMIT")
            self._finish_bulk()
        finally:
            self._bulk = False
            self.db.execute("PRAGMA wal_autocheckpoint = 1000")
            self.db.execute(f"PRAGMA cache_size = {_CACHE_SIZE}")

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
            if not self._bulk:
                with self.transaction():
                    self._build_deferred_indexes()
                    outcome = self._load(record)
                    self._index_evidence()
                    return outcome
            return self._load_in_bulk(record)
        except sqlite3.Error as e:  # disk full, locked past the timeout: this document fails
            raise StoreError(f"store {self.path}: {type(e).__name__}: {e}") from e
        except (KeyError, TypeError, AttributeError, ValueError, IndexError) as e:
            # A record of the wrong shape (a hand-written one, say): rolled back, explained.
            raise StoreError(f"record cannot be stored ({type(e).__name__}: {e})") from e

    def _load_in_bulk(self, record: ReviewRecord) -> str:
        db = self.db
        if not db.in_transaction:  # the first document of a batch
            db.execute("BEGIN IMMEDIATE")
            self._batch_started = time.monotonic()
            self._batch = []
            if not self._bulk_began:
                self._bulk_began = True
                self._defer_indexes()
        db.execute("SAVEPOINT doc")
        try:
            outcome = self._load(record)
        except sqlite3.Error as e:
            if db.in_transaction:
                db.execute("ROLLBACK TO doc")
                db.execute("RELEASE doc")
                raise
            # SQLite gave up the whole transaction (disk full, I/O error): say that the
            # documents of the batch went with it, so nobody counts them as stored.
            lost, self._batch = self._batch, []
            raise sqlite3.OperationalError(
                f"{e}; the {len(lost)} document(s) loaded since the last commit were rolled back too "
                f"(load them again): {', '.join(lost[:5])}{' ...' if len(lost) > 5 else ''}") from e
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK TO doc")
                db.execute("RELEASE doc")
            raise
        db.execute("RELEASE doc")
        self._batch.append(record.document["path"])
        if time.monotonic() - self._batch_started > _BATCH_SECONDS:
            self._index_evidence()
            db.execute("COMMIT")
            self._batch = []
        return outcome

    def _index_evidence(self) -> None:
        """Add the quotes written since the last commit to the full-text index."""
        done = self._fts_indexed()
        last = self.db.execute("SELECT max(id) FROM evidence").fetchone()[0] or 0
        if last > done:
            self.db.execute("INSERT INTO evidence_fts(rowid, quote) SELECT id, quote FROM evidence "
                            "WHERE id > ? ORDER BY id", (done,))
            self.db.execute("UPDATE meta SET value = ? WHERE key = 'fts_indexed'", (str(last),))

    def _fts_indexed(self) -> int:
        return int(self.db.execute("SELECT value FROM meta WHERE key = 'fts_indexed'").fetchone()[0])

    def indexes_deferred(self) -> bool:
        """Whether a load into this store left some indexes to build (see
        _DEFERRED_INDEXES): one killed before its end. The answers are the same, only
        slower, until the next load builds them."""
        return self.db.execute("SELECT 1 FROM meta WHERE key = 'indexes'").fetchone() is not None

    def _defer_indexes(self) -> None:
        """In the first transaction of a bulk load into a store without documents:
        drop the deferred indexes and mark the store. A store marked by a load killed
        before its end has them dropped already; this load builds them at its end."""
        if self.indexes_deferred() or self.db.execute("SELECT 1 FROM documents LIMIT 1").fetchone():
            return
        for name in _DEFERRED_INDEXES:
            self.db.execute(f"DROP INDEX IF EXISTS {name}")  # names from our own schema
        self.db.execute("INSERT INTO meta VALUES ('indexes', 'deferred')")

    def _build_deferred_indexes(self) -> None:
        """Build the indexes a load deferred, in a transaction of their own unless
        one is open (then in it: a lone document's load, or removal, needs them)."""
        if not self.indexes_deferred():
            return
        own = not self.db.in_transaction
        if own:
            self.db.execute("BEGIN IMMEDIATE")
        try:
            if self.indexes_deferred():  # another writer may have built them meanwhile
                # Sorting threads: the extraction workers are done by now (4.8 -> 3.8 s
                # for 5,000 documents on 2 cores).
                self.db.execute(f"PRAGMA threads = {min(4, os.cpu_count() or 1)}")
                for sql in _DEFERRED_INDEXES.values():
                    self.db.execute(sql)
                self.db.execute("PRAGMA threads = 0")
                self.db.execute("DELETE FROM meta WHERE key = 'indexes'")
        except BaseException:
            if own and self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        if own:
            self.db.execute("COMMIT")

    def _load(self, record: ReviewRecord) -> str:
        db = self.db
        doc = record.document
        sha = doc["sha256"]
        abspath = os.path.abspath(doc["path"])
        if self.has_document(sha):
            return "unchanged"
        if self._rec_groups_kept():  # they would no longer be those of the collection
            db.execute("DELETE FROM rec_groups")
            db.execute("DELETE FROM meta WHERE key = 'rec_groups'")
        lessons.drop(db)
        old = [r[0] for r in db.execute("SELECT id FROM documents WHERE abspath=?", (abspath,))]
        tally: dict[str, int] = {}
        for old_id in old:
            self._remove(old_id, tally)
        case_id = self._resolve_case(record)
        rid = self._resolve_review(case_id, record.review.get("type"))
        frag = build_fragment(record, case_id, rid)
        doc_id = db.execute(
            "INSERT INTO documents (sha256, path, abspath, kind, title, published, case_id, review_id, "
            "loaded_at) VALUES (?,?,?,?,?,?,?,?,datetime('now'))",
            (sha, doc["path"], abspath, doc.get("kind"), doc.get("title"), doc.get("published"),
             case_id, rid)).lastrowid
        _bump(tally, "documents")
        first_evidence = self._write(frag, doc_id, tally, override=doc.get("kind") == "record")
        self._link_successors(frag, doc_id, tally)
        self._summarise(frag, doc_id, rid, first_evidence)
        lessons.summarise(db, frag, doc_id, rid, case_id, first_evidence)
        self._add_tallies(tally)
        return "replaced" if old else "loaded"

    def _resolve_case(self, record: ReviewRecord) -> str:
        case = record.case
        subjects = case.get("subjects") or []
        names = [subjects[0]["pseudonym"], *subjects[0].get("aliases", [])] if subjects else [unnamed(record)]
        keys = [case_key(case.get("locality"), n, case.get("incident_date")) for n in names]
        # Documents that name one review by its body, type and label are one case,
        # whatever names they give; those naming two such reviews are two.
        review = named_review(record)
        found = (self._meta(f"case-review:{review}") or (None,))[0] if review else None
        # A document naming no one: the case of the same month's incident or of a
        # private person it names, if the years agree.
        year = (case.get("incident_date") or "")[:4]
        for where in [] if found else unnamed_keys(record):
            value = self._meta(where)
            if value and not (year and value[1] and value[1][:4] != year):
                found = value[0]
                break
        same: list[tuple[str, str | None]] = []
        for i, key in enumerate(keys):
            if found:
                break
            candidates, found = self._known_case(key, bool(subjects), review)
            if i == 0:
                same = candidates
            found = found or self._case_alias(key, review)
        cid = found or match_case(keys[0], same)
        if not found and self._other_review(cid, review):  # the id of another review's case
            cid = f"{cid}:{slug(review or '')}"
        # A name the text joins to the case, or a full name given without a known
        # area, finds the case again from another document.
        for key in keys if subjects else ():
            for where in alias_keys(key):
                if where != f"case-alias:{cid.split(':')[1]}:{cid.split(':')[2]}":  # not found by its id
                    self.db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (where, dumps(cid)))
        for where in unnamed_keys(record):
            self.db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (where, dumps(cid)))
        if review:
            self.db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (f"case-review:{review}", dumps(cid)))
            self.db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (f"case-review-of:{cid}", dumps(review)))
        return cid

    def _meta(self, key: str) -> tuple[str, str | None, str | None] | None:
        """The Case stored under ``key`` by case resolution with its incident date and
        locality, if it still stands."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if not row:
            return None
        cid = orjson.loads(row[0])
        case = self.db.execute("SELECT json_extract(props, '$.incident_date'), json_extract(props, '$.locality') "
                               "FROM nodes WHERE id = ? AND label = 'Case'", (cid,)).fetchone()
        return (cid, *case) if case else None

    def _other_review(self, cid: str, review: str | None) -> bool:
        """Whether the case ``cid`` is that of a review named otherwise than ``review``."""
        if not review:
            return False
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (f"case-review-of:{cid}",)).fetchone()
        return row is not None and different_reviews(orjson.loads(row[0]), review)

    def _known_case(self, key: tuple[str, str, str], named: bool, review: str | None
                    ) -> tuple[list[tuple[str, str | None]], str | None]:
        """(the cases of ``key``'s locality and name with their years, the one it
        belongs to if any)."""
        base = f"case:{key[0]}:{key[1]}"
        # A range of the primary key (ids are "case:<place>:<name>[:<year>]"), so the
        # lookup does not grow with the number of cases.
        rows = self.db.execute(
            "SELECT id, label, json_extract(props,'$.incident_date') FROM nodes WHERE id >= ? AND id < ?",
            (base, base + ":\uffff")).fetchall()
        same = [(r[0], r[2]) for r in rows if r[1] == "Case" and (r[0] == base or r[0].startswith(base + ":"))
                and not self._other_review(r[0], review)]
        if not same and named:
            # "Alice" and "Alice Ruggles", "Ms Billingham" and "Tina Billingham": one
            # name's words within the other's, in the same area, name one person.
            area = f"case:{key[0]}:"
            near = self.db.execute(
                "SELECT id, json_extract(props,'$.incident_date') FROM nodes WHERE id >= ? AND id < ? "
                "AND label = 'Case'", (area, area + "\uffff")).fetchall()
            near = [(cid, year) for cid, year in near if same_person(key[1], cid[len(area):].split(":")[0])
                    and not self._other_review(cid, review)]
            if near:
                return same, near[0][0]
        cid = match_case(key, same)
        return same, cid if any(cid == c for c, _ in same) else None

    def _case_alias(self, key: tuple[str, str, str], review: str | None) -> str | None:
        """The case another document joined to this name (see alias_keys), if it fits."""
        for where in alias_keys(key):
            value = self._meta(where)
            if value and alias_fits(key, where, value[2], (value[1] or "")[:4]) \
                    and not self._other_review(value[0], review):
                return value[0]
        return None

    def _resolve_review(self, case_id: str, rtype: str | None) -> str:
        """One Review per case and type; a document that names no type joins the
        case's review, and an untyped review takes the first type named."""
        # A case's reviews are "review:<case>" and "review:<case>:<type>": a range of
        # the primary key, less those of other cases in it (review:x:ann:2016 is the
        # review of case x:ann:2016, not a 2016-typed one of case x:ann).
        base = review_id(case_id, None)
        rows = [r for r in self.db.execute(
            "SELECT id, json_extract(props, '$.type') FROM nodes WHERE id >= ? AND id < ? ORDER BY id",
            (base, base + ":\uffff")) if r[0] == base or r[0].startswith(base + ":")]
        rows = [r for r in rows if self.db.execute(
            "SELECT 1 FROM edges WHERE src = ? AND rel = 'REVIEWS' AND dst = ? LIMIT 1",
            (r[0], case_id)).fetchone()]
        for rid, existing in rows:
            if rtype is None or existing in (None, rtype):
                return rid
        return base if not rows else review_id(case_id, rtype)

    def _write(self, frag: Fragment, doc_id: int, tally: dict[str, int],
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
            _bump(tally, f"label:{label}", n)
        # Which documents assert a node, for the nodes several can (a document's own
        # nodes go with it: their ids carry its sha).
        db.executemany("INSERT INTO node_docs VALUES (?,?)",
                       [(nid, doc_id) for nid, v in frag.nodes.items() if v[0] not in OWN_LABELS])
        self._add_edges(frag.edges, doc_id, frag.nodes, tally)
        # New ids stay above the indexed ones even after the newest rows were removed.
        base = max(db.execute("SELECT coalesce(max(id), 0) FROM evidence").fetchone()[0], self._fts_indexed())
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
        _bump(tally, "evidence", len(rows))
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
        _bump(tally, "edges", len(edges) - known)

    def _link_successors(self, frag: Fragment, doc_id: int, tally: dict[str, int]) -> None:
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

    def _summarise(self, frag: Fragment, doc_id: int, rid: str, first_evidence: dict[str, int]) -> None:
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

    def _add_tallies(self, tally: dict[str, int]) -> None:
        self.db.executemany("INSERT INTO tallies VALUES (?,?) ON CONFLICT DO UPDATE SET n = n + excluded.n",
                            [kv for kv in tally.items() if kv[1]])

    def _remove(self, doc_id: int, tally: dict[str, int]) -> None:
        """Drop everything one document asserted, then nodes nothing asserts any more,
        keeping summaries and tallies in step."""
        db = self.db
        self._build_deferred_indexes()  # its deletes look rows up by document
        sha, rid = db.execute("SELECT sha256, review_id FROM documents WHERE id=?", (doc_id,)).fetchone()
        shared = [r[0] for r in db.execute("SELECT node_id FROM node_docs WHERE doc=?", (doc_id,))]
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
                _bump(tally, "evidence", -n)
        (case_id,) = db.execute("DELETE FROM documents WHERE id=? RETURNING case_id", (doc_id,)).fetchone()
        lessons.refresh_dates(db, case_id or "")  # the review may have been dated by this document alone
        _bump(tally, "documents", -1)
        gone = own + [nid for nid in shared if db.execute(
            "SELECT 1 FROM node_docs WHERE node_id=? LIMIT 1", (nid,)).fetchone() is None]
        rels = self.relations()
        for nid in gone:
            label = db.execute("DELETE FROM nodes WHERE id=? RETURNING label", (nid,)).fetchone()[0]
            _bump(tally, f"label:{label}", -1)
            # Edges another document drew to a node only this one asserted (a partnership
            # SUCCEEDS the board this document named) would point nowhere: they go too.
            for src, rel, dst in db.execute(
                    f"DELETE FROM edges WHERE src=? OR (rel IN ({','.join('?' * len(rels))}) AND dst=?) "
                    "RETURNING src, rel, dst", (nid, *rels, nid)).fetchall():
                edges.add((src, rel, dst))
        _bump(tally, "edges", -sum(
            db.execute("SELECT 1 FROM edges WHERE src=? AND rel=? AND dst=? LIMIT 1", e).fetchone() is None
            for e in edges))
        fewer = sorted(groups - self._failure_groups(rid))
        db.executemany("UPDATE failure_counts SET reviews = reviews - 1 WHERE grp=? AND theme=?", fewer)
        db.executemany("DELETE FROM failure_counts WHERE grp=? AND theme=? AND reviews <= 0", fewer)

    # -- near-duplicate recommendations ---------------------------------------
    def _rec_groups_kept(self) -> bool:
        return self.db.execute("SELECT 1 FROM meta WHERE key = 'rec_groups'").fetchone() is not None

    def _rec_inputs(self) -> tuple[list[tuple[str, str, str, str]], dict[str, tuple[str, str | None]]]:
        """Every recommendation (id, review, words, text), and the (name, published) of
        every review: read by key (review ids start 'review:'), with or without the
        deferred indexes."""
        recs = self.rows("SELECT rec, review, words, text FROM rec_words").fetchall()
        reviews = {r[0]: r[1:] for r in self.rows(
            "SELECT id, name, json_extract(props, '$.published') FROM nodes "
            "WHERE id >= 'review:' AND id < 'review;' AND label = 'Review'")}
        return recs, reviews

    def _rec_groups(self, levels: Iterable[int]) -> tuple[list[tuple[str, str, str, str]], dict[int, list]]:
        """Every recommendation, and its groups in answer order at each threshold level."""
        levels = list(levels)
        recs, reviews = self._rec_inputs()
        return recs, dict(zip(levels, answer_order(recs, reviews, [level / 10 for level in levels]), strict=True))

    def _finish_bulk(self) -> None:
        """After a bulk load's documents (safe whatever happens here), in one
        transaction, so that no other writer changes what is grouped: build the
        deferred indexes and keep the recommendation groups (see _keep_rec_groups).
        The grouping runs in a thread meanwhile: it is Python, the index build is
        SQLite's C code, which lets other threads run (5,000 documents: about 2 s of
        the 5 s build)."""
        with self.transaction():
            if not lessons.kept(self.db):  # reads by key only: no deferred index needed
                lessons.keep(self.db)
            if self._rec_groups_kept():
                self._build_deferred_indexes()
                return
            recs, reviews = self._rec_inputs()
            thresholds = [level / 10 for level in LEVELS]
            answers: list[list] = []
            grouping = threading.Thread(target=lambda: answers.extend(answer_order(recs, reviews, thresholds)),
                                        name="casegraph-rec-groups")
            grouping.start()
            try:
                self._build_deferred_indexes()
            finally:
                grouping.join()
            if len(answers) != len(LEVELS):  # the thread failed (and said why): group again here
                answers[:] = answer_order(recs, reviews, thresholds)
            self._keep_rec_groups(recs, dict(zip(LEVELS, answers, strict=True)))

    def _keep_rec_groups(self, recs: list[tuple[str, str, str, str]], answers: dict[int, list]) -> None:
        """Keep the recommendation groups at every threshold a query may ask for (about
        two seconds for 5,000 reviews, once per load instead of once per query). Any
        document added or removed afterwards drops them."""
        self.db.execute("DELETE FROM rec_groups")
        self.db.executemany("INSERT INTO rec_groups VALUES (?,?,?,?,?,?)", (
            (level, pos, n, recs[i][0], recs[i][1], recs[i][3])
            for level, rows in answers.items() for pos, (n, i) in enumerate(rows)))
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('rec_groups', 'kept')")

    def recommendation_groups(self, level: int) -> list[tuple[int, str, str]]:
        """(group, review id, text) of the near-duplicate recommendations at threshold
        ``level``/10 in answer order: as the last load kept them, or computed now."""
        if self._rec_groups_kept():
            return self.rows("SELECT grp, review, text FROM rec_groups WHERE level = ? ORDER BY pos",
                             (level,)).fetchall()
        recs, answers = self._rec_groups([level])
        return [(n, recs[i][1], recs[i][3]) for n, i in answers[level]]

    # -- reading --------------------------------------------------------------
    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql, params).fetchall()

    def relations(self) -> list[str]:
        """The distinct relations, one index seek each (a skip scan of edges_rel_dst)."""
        rows = self.db.execute(
            "WITH RECURSIVE r(rel) AS (SELECT min(rel) FROM edges UNION ALL "
            "SELECT (SELECT min(rel) FROM edges WHERE rel > r.rel) FROM r WHERE r.rel IS NOT NULL) "
            "SELECT rel FROM r WHERE rel IS NOT NULL")
        return [r[0] for r in rows]

    def rows(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        """Plain tuples, for queries that read many rows (a Row costs more to make)."""
        cur = self.db.cursor()
        cur.row_factory = None
        return cur.execute(sql, params)

    def nodes(self, label: str | None = None) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """(id, label, name, props) for every node, or those of one label."""
        sql = "SELECT id, label, name, props FROM nodes"
        rows = self.db.execute(sql + " WHERE label=?", (label,)) if label else self.db.execute(sql)
        for r in rows:
            yield r[0], r[1], r[2], orjson.loads(r[3])

    def edges(self, rel: str | None = None) -> Iterator[tuple[str, str, str]]:
        """(src, rel, dst) once each, whatever number of documents assert it."""
        sql = "SELECT DISTINCT src, rel, dst FROM edges"
        rows = self.db.execute(sql + " WHERE rel=?", (rel,)) if rel else self.db.execute(sql)
        for r in rows:
            yield r[0], r[1], r[2]

    def evidence(self, owner: str) -> list[dict[str, Any]]:
        rows = self.db.execute(
            'SELECT d.sha256 AS doc, d.path, e.start, e."end", e.paragraph, e.page, e.quote, e.extractor '
            "FROM evidence e LEFT JOIN documents d ON d.id=e.doc WHERE e.owner=? "
            "ORDER BY e.id", (owner,))
        return [dict(r) for r in rows]

    def counts(self) -> dict[str, int]:
        """Documents, nodes by label, nodes, distinct edges and evidence quotes, from
        the tallies the writer keeps (check() recounts them)."""
        tally = dict(self.db.execute("SELECT name, n FROM tallies WHERE n != 0"))
        out = {"documents": tally.get("documents", 0)}
        labels = sorted(k for k in tally if k.startswith("label:"))
        out.update((k.removeprefix("label:"), tally[k]) for k in labels)
        out["nodes"] = sum(tally[k] for k in labels)
        out["edges"] = tally.get("edges", 0)
        out["evidence"] = tally.get("evidence", 0)
        return out

    def _recount(self) -> dict[str, int]:
        """counts() computed from the rows themselves."""
        db = self.db
        out = {"documents": db.execute("SELECT count(*) FROM documents").fetchone()[0]}
        out.update(db.execute("SELECT label, count(*) FROM nodes GROUP BY label ORDER BY label").fetchall())
        out["nodes"] = db.execute("SELECT count(*) FROM nodes").fetchone()[0]
        out["edges"] = db.execute("SELECT count(*) FROM (SELECT DISTINCT src, rel, dst FROM edges)").fetchone()[0]
        out["evidence"] = db.execute("SELECT count(*) FROM evidence").fetchone()[0]
        return out

    def check(self) -> list[str]:
        """Consistency problems, as one line each; [] for a sound store.

        SQLite's own integrity check; the recorded schema version; edges to missing
        nodes; documents without their graph; rows (edges, evidence, facts, node links,
        summaries) left by a document that is not in the store; a full-text index that
        disagrees with the evidence it indexes; tallies and summaries that disagree
        with the graph they summarise."""
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
        tallied, real = self.counts(), self._recount()
        for key in sorted(set(tallied) | set(real)):
            if tallied.get(key, 0) != real.get(key, 0):
                problems.append(f"tally of {key} is {tallied.get(key, 0)}, the store holds {real.get(key, 0)}")
        problems += self._check_summaries()
        problems += lessons.check(db)
        return problems

    def _check_summaries(self) -> list[str]:
        """``failure_counts`` and ``review_themes`` recomputed from the edges, the
        failures' review years from the reviews, and the kept recommendation groups
        from the words."""
        db = self.db
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
                f"WHERE f.year IS NOT {REVIEW_YEAR.format('n')} LIMIT 20"):
            problems.append(f"failures of review {review} disagree with its year")
        for (rec,) in db.execute(
                "SELECT id FROM nodes WHERE label = 'Recommendation' AND id NOT IN (SELECT rec FROM rec_words) "
                "UNION SELECT rec FROM rec_words WHERE rec NOT IN (SELECT id FROM nodes) LIMIT 20"):
            problems.append(f"recommendation {rec} and its words disagree")
        if self._rec_groups_kept():
            recs, answers = self._rec_groups(LEVELS)
            for level, rows in answers.items():
                kept = self.rows("SELECT grp, rec, review, text FROM rec_groups WHERE level = ? ORDER BY pos",
                                 (level,)).fetchall()
                if kept != [(n, recs[i][0], recs[i][1], recs[i][3]) for n, i in rows]:
                    problems.append(f"recommendation groups at threshold {level / 10} disagree with the words")
        return problems


def _bump(tally: dict[str, int], key: str, n: int = 1) -> None:
    tally[key] = tally.get(key, 0) + n


_TABLES = frozenset("meta documents nodes node_docs edges evidence facts failures failure_counts lesson_items "
                     "lesson_rows review_themes rec_words rec_groups tallies evidence_fts".split())


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
