"""The embedded store: one SQLite file (WAL) holding the property graph, its
evidence, per-source facts and the summaries the named queries read. A document
loads whole or not at all (its own transaction, or a savepoint of a bulk load's);
the same bytes load once; a changed file replaces its earlier version."""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from casegraph.errors import StoreError
from casegraph.graph import lessons, tables
from casegraph.graph.build import build_fragment, dumps
from casegraph.graph.cases import Cases
from casegraph.graph.similar import LEVELS, answer_order
from casegraph.graph.writer import Writer, bump, fts_indexed, relations
from casegraph.loaders.resolve import named_subjects
from casegraph.schema.record import ReviewRecord

__all__ = ["Store", "default_store_path"]

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

def default_store_path() -> str:
    return os.environ.get("CASEGRAPH_STORE") or "casegraph.db"


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
        self._create = create
        if self.path != ":memory:":
            folder = Path(self.path).parent
            if not folder.is_dir():  # else SQLite's "unable to open database file"
                raise StoreError(f"{self.path}: the folder {folder} "
                                 + ("is not a folder" if folder.exists() else "does not exist"))
            if not create and not Path(self.path).exists():
                raise StoreError(f"{self.path}: no store here; run `casegraph load` first")
        try:
            self.db = sqlite3.connect(self.path, timeout=_BUSY_SECONDS, isolation_level=None)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open the store ({e})") from e
        self._cases = Cases(self.db)
        self._writer = Writer(self.db)
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
    def version(self) -> int | None:
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
        names = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        foreign = sorted(t for t in names if not tables.ours(t))
        if foreign:
            raise StoreError(f"{self.path}: an SQLite file that is not a casegraph store "
                             f"(it has tables {', '.join(foreign[:5])})")

    def _init_schema(self) -> None:
        """Create the schema in a new file, check (or migrate) the version of an old one.

        Creation is one BEGIN IMMEDIATE transaction that re-reads the version once it
        holds the write lock: two processes creating the same store at once both see
        either no schema or the whole of it, never a half-made one."""
        version = self.version()
        if version is None:
            self._refuse_foreign()  # before anything is written, the WAL switch included
            if not self._create and self.path != ":memory:":  # a reader never makes a file a store
                version = self._version_once_created()
                if version is None:
                    empty = Path(self.path).stat().st_size == 0
                    raise StoreError(f"{self.path}: not a casegraph store (" + (
                        "an empty file)" if empty else "an SQLite file without casegraph's tables)"))
        if self.path != ":memory:":
            self._use_wal()
        if version is None:
            with self.transaction() as db:
                version = self.version()
                if version is None:
                    self._refuse_foreign()
                    for statement in tables.statements(tables.SCHEMA):
                        db.execute(statement)
                    self._load_vocabulary()
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                               (str(tables.SCHEMA_VERSION),))
                    version = tables.SCHEMA_VERSION
        if version == tables.SCHEMA_VERSION:
            return
        if version > tables.SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema version {version} was written by a newer casegraph; "
                f"this one reads version {tables.SCHEMA_VERSION}. Upgrade casegraph or use another store")
        if any(v not in tables.MIGRATIONS for v in range(version, tables.SCHEMA_VERSION)):
            raise StoreError(
                f"{self.path}: store schema version {version}, this casegraph reads version "
                f"{tables.SCHEMA_VERSION} and cannot migrate it; reload the documents into a new store")
        with self.transaction() as db:
            current = self.version() or version  # another process may have migrated it
            for v in range(current, tables.SCHEMA_VERSION):
                tables.MIGRATIONS[v](db)
                db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(v + 1),))

    def _version_once_created(self) -> int | None:
        """The version of a store that another process may be creating: its creator holds
        the write lock until the schema is whole, so wait for that lock; twice, a moment
        apart, for the instant between its opening the file and taking the lock."""
        for pause in (0.0, 0.5):
            time.sleep(pause)
            try:
                self.db.execute("BEGIN IMMEDIATE")  # only waits its turn: rolled back, nothing written
            except sqlite3.OperationalError as e:  # a file this process cannot write
                if "readonly" not in str(e):
                    raise
            try:
                version = self.version()
            finally:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
            if version is not None:
                return version
        return None

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
                bump(tally, f"label:{label}")
                for broader in concept.broader:
                    # Document 0: asserted by the vocabulary, not by any document.
                    self.db.execute("INSERT INTO edges VALUES (?,?,?,0)",
                                    (f"{prefix}:{cid}", "BROADER", f"{prefix}:{broader}"))
                    bump(tally, "edges")
        self._writer.add_tallies(tally)

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
        done = fts_indexed(self.db)
        last = self.db.execute("SELECT max(id) FROM evidence").fetchone()[0] or 0
        if last > done:
            self.db.execute("INSERT INTO evidence_fts(rowid, quote) SELECT id, quote FROM evidence "
                            "WHERE id > ? ORDER BY id", (done,))
            self.db.execute("UPDATE meta SET value = ? WHERE key = 'fts_indexed'", (str(last),))


    def indexes_deferred(self) -> bool:
        """Whether a load into this store left some indexes to build (see
        tables.DEFERRED_INDEXES): one killed before its end. The answers are the same, only
        slower, until the next load builds them."""
        return self.db.execute("SELECT 1 FROM meta WHERE key = 'indexes'").fetchone() is not None

    def _defer_indexes(self) -> None:
        """In the first transaction of a bulk load into a store without documents:
        drop the deferred indexes and mark the store. A store marked by a load killed
        before its end has them dropped already; this load builds them at its end."""
        if self.indexes_deferred() or self.db.execute("SELECT 1 FROM documents LIMIT 1").fetchone():
            return
        for name in tables.DEFERRED_INDEXES:
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
                for sql in tables.DEFERRED_INDEXES.values():
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
        if self.rec_groups_kept():  # they would no longer be those of the collection
            db.execute("DELETE FROM rec_groups")
            db.execute("DELETE FROM meta WHERE key = 'rec_groups'")
        lessons.drop(db)
        old = [r[0] for r in db.execute("SELECT id FROM documents WHERE abspath=?", (abspath,))]
        tally: dict[str, int] = {}
        if old:
            self._build_deferred_indexes()  # removal looks rows up by document
        for old_id in old:
            self._writer.remove(old_id, tally)
        case_id = self._cases.case(record)
        rid = self._cases.review(case_id, record.review.get("type"))
        # A subject given only an age is the one other documents named, unless this
        # document names another beside them (see Cases.named_subject).
        named = named_subjects(record.case)
        ageonly = any(not s.get("pseudonym") for s in record.case.get("subjects") or [])
        given = self._cases.named_subject(case_id) if ageonly and not named else None
        frag = build_fragment(record, case_id, rid, given)
        doc_id = db.execute(
            "INSERT INTO documents (sha256, path, abspath, kind, title, published, case_id, review_id, "
            "loaded_at) VALUES (?,?,?,?,?,?,?,?,datetime('now'))",
            (sha, doc["path"], abspath, doc.get("kind"), doc.get("title"), doc.get("published"),
             case_id, rid)).lastrowid
        bump(tally, "documents")
        if given:  # see Writer.unname_subject
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"subject-by-age:{doc_id}", dumps(given[0])))
        first_evidence = self._writer.write(frag, doc_id, tally, override=doc.get("kind") == "record")
        # The case's unnamed subject takes the name when this one is all the case names.
        if len(named) == 1 and not ageonly and (one := self._cases.named_subject(case_id)):
            self._writer.name_unnamed_subject(frag, case_id, rid, one[0], tally)
        self._writer.link_successors(frag, doc_id, tally)
        self._writer.summarise(frag, doc_id, rid, first_evidence)
        lessons.summarise(db, frag, doc_id, rid, case_id, first_evidence)
        self._writer.add_tallies(tally)
        return "replaced" if old else "loaded"

    # -- near-duplicate recommendations ---------------------------------------
    def rec_groups_kept(self) -> bool:
        """Whether the recommendation groups a bulk load keeps are those of the store."""
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

    def rec_groups(self, levels: Iterable[int]) -> tuple[list[tuple[str, str, str, str]], dict[int, list]]:
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
            if self.rec_groups_kept():
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
        if self.rec_groups_kept():
            return self.rows("SELECT grp, review, text FROM rec_groups WHERE level = ? ORDER BY pos",
                             (level,)).fetchall()
        recs, answers = self.rec_groups([level])
        return [(n, recs[i][1], recs[i][3]) for n, i in answers[level]]

    # -- reading --------------------------------------------------------------
    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql, params).fetchall()

    def relations(self) -> list[str]:
        """The distinct relations, one index seek each (a skip scan of edges_rel_dst)."""
        return relations(self.db)

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

    def check(self) -> list[str]:
        """Consistency problems, as one line each; [] for a sound store (see
        integrity.problems)."""
        from casegraph.graph.integrity import problems

        return problems(self)
