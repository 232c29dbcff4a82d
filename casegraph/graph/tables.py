"""The store's tables: the SQL schema, its version, the migrations that upgrade an
older store in place, and the indexes a bulk load builds at its end."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator

from casegraph.graph import lessons

__all__ = ["SCHEMA_VERSION", "MIGRATIONS", "SCHEMA", "DEFERRED_INDEXES", "REVIEW_YEAR", "ours", "statements"]

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
    4: lambda db: [[db.execute(s) for s in statements(lessons.SCHEMA)], lessons.rebuild(db)],
}
# Documents are numbered (``documents.id``) and every row a document asserts carries
# that number. ``failures``, ``review_themes``, ``rec_words`` and ``tallies`` are
# summaries the writer keeps in step with the graph, in the same transaction
# (``rec_groups`` is rebuilt at the end of a bulk load and dropped by any later change), so the
# national-scale queries read a few thousand rows instead of joining a million
# edges; check() recomputes them from the graph. Evidence quotes enter the full-text index just
# before each commit, all at once (meta 'fts_indexed' is the last id indexed): FTS5
# would write a segment for every document's savepoint otherwise.
SCHEMA = """
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
DEFERRED_INDEXES = {m.group(1): m.group(0) for m in re.finditer(
    r"CREATE INDEX IF NOT EXISTS (\w+) ON [^;]+;", SCHEMA)
    if m.group(1) not in ("documents_abspath", "documents_case", "facts_subject", "failures_review",
                          "lesson_items_review")}


_TABLES = frozenset("meta documents nodes node_docs edges evidence facts failures failure_counts lesson_items "
                     "lesson_rows review_themes rec_words rec_groups tallies evidence_fts".split())


def ours(table: str) -> bool:
    """Tables a casegraph store may hold: its own, FTS5 shadow tables, SQLite's."""
    return table in _TABLES or table.startswith(("evidence_fts_", "sqlite_"))


def statements(script: str) -> Iterator[str]:
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
