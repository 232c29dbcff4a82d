"""The Neo4j push: statements and parameters are generated from the store with
every value a parameter; against a live server (NEO4J_URI set) the push is
idempotent and the Cypher queries return the embedded store's rows."""

from __future__ import annotations

import os

import pytest

from casegraph.cli import main
from casegraph.graph.neo4j import CYPHER_QUERIES, connection_from_env, push, push_statements, run_cypher
from casegraph.graph.queries import run_query


def test_statements_carry_values_as_parameters(sample_store):
    statements = list(push_statements(sample_store, batch=50))
    assert statements[0][0].startswith("CREATE CONSTRAINT")
    merged = sum(len(p["rows"]) for c, p in statements if c.startswith("UNWIND $rows AS row MERGE (n:"))
    assert merged == sample_store.counts()["nodes"]
    for cypher, params in statements:
        for row in params.get("rows", []):
            for value in row.values():
                if isinstance(value, str) and len(value) > 20:
                    assert value not in cypher  # text never spliced into Cypher
    assert all(len(p.get("rows", [])) <= 50 for _, p in statements)


def test_connection_needs_the_environment(monkeypatch, runner):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    with pytest.raises(Exception, match="NEO4J_URI"):
        connection_from_env()
    result = runner.invoke(main, ["push", "neo4j"])
    assert result.exit_code == 1 and "NEO4J_URI" in result.output


def test_cypher_param_syntax(runner):
    result = runner.invoke(main, ["cypher", "stats", "-p", "novalue"])
    assert result.exit_code == 2 and "KEY=VALUE" in result.output


@pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="no Neo4j server: set NEO4J_URI to run")
def test_live_push_is_idempotent_and_queries_agree(sample_store):
    conn = connection_from_env()
    push(sample_store, conn)
    first = run_cypher(conn, "MATCH (n) RETURN count(n) AS n")[0]["n"]
    push(sample_store, conn)
    assert run_cypher(conn, "MATCH (n) RETURN count(n) AS n")[0]["n"] == first
    embedded = {(r["agency_id"], r["theme"], r["reviews"])
                for r in run_query(sample_store, "repeated-failures", min_reviews=2)}
    live = {(r["agency_id"], r["theme"], r["reviews"])
            for r in run_cypher(conn, "repeated-failures", {"min_reviews": 2})}
    assert live == embedded
    assert "cases" in CYPHER_QUERIES


def test_unreachable_server_is_one_clear_line(monkeypatch, runner, sample_store):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "secret")
    result = runner.invoke(main, ["push", "neo4j", "--store", sample_store.path])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: bolt://127.0.0.1:1")
    assert "secret" not in result.output
