"""Pushes that change what the server holds: a batch the server refuses, and a file
replaced after a push (against the session's Bolt server; see test_neo4j.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SAMPLES
from test_neo4j import cli, query_cases, write

from casegraph.graph.neo4j import Connection, run_cypher
from casegraph.graph.neo4j_queries import run_query as run_neo4j
from casegraph.graph.queries import run_query
from casegraph.graph.store import Store
from casegraph.pipeline import load_paths


def test_a_failed_batch_says_what_was_written(bolt: Connection, sample_store: Store):
    """A batch the server refuses (a uniqueness rule of the server's own that the
    findings break) stops the push with one line: what was written, what was not;
    once the rule is gone the next push completes."""
    write(bolt, "MATCH (n) DETACH DELETE n")
    write(bolt, "CREATE CONSTRAINT polarity_once IF NOT EXISTS FOR (n:Finding) REQUIRE n.polarity IS UNIQUE")
    try:
        failed = cli(bolt, "push", "neo4j", "--store", sample_store.path, "--batch-size", "20")
    finally:
        write(bolt, "DROP CONSTRAINT polarity_once")
    assert failed.returncode == 1
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1 and "Finding nodes" in lines[0] and "failed" in lines[0], failed.stderr
    written = int(lines[0].split("Written before it: ")[1].split()[0])
    on_server = run_cypher(bolt, "MATCH (n) RETURN count(n) AS n")[0]["n"]
    assert written == on_server > 0  # the failed batch was rolled back whole
    assert "not written" in lines[0]
    again = cli(bolt, "push", "neo4j", "--store", sample_store.path)
    assert again.returncode == 0 and again.stderr.startswith(f"{sample_store.counts()['documents']} documents pushed")


def test_a_replaced_file_is_pushed_alone(bolt: Connection, tmp_path: Path):
    """After a changed file replaces its earlier version, the next push sends that
    document alone and removes what only the earlier version asserted."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLES, corpus)
    store = Store(tmp_path / "store.db")
    assert load_paths(store, [str(corpus)]).ok
    write(bolt, "MATCH (n) DETACH DELETE n")
    assert cli(bolt, "push", "neo4j", "--store", store.path).returncode == 0
    review = corpus / "harwick-child-l-cspr-2021.txt"
    review.write_text(review.read_text().replace("cannabis", "alcohol").replace("health visitor", "school nurse"))
    assert load_paths(store, [str(corpus)]).replaced == 1
    again = cli(bolt, "push", "neo4j", "--store", store.path)
    assert again.returncode == 0 and again.stderr.startswith("1 documents pushed, 1 removed"), again.stderr
    assert run_neo4j(bolt, "stats") == run_query(store, "stats")
    for name, params in query_cases(store):
        assert run_neo4j(bolt, name, **params) == run_query(store, name, **params), (name, params)
