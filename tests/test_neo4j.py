"""The Neo4j store against a real Bolt server: ArcadeDB with its Bolt plugin, which
the session's `bolt` fixture (conftest.py) starts from the arcadedb-embedded
package, or the Neo4j that NEO4J_URI names (its database is cleared). Three stores are pushed in turn
(the bundled samples, a generated corpus, a review full of quotes, backslashes,
newlines and Cypher-looking text); each must arrive whole, twice without change,
and answer every named query with the embedded store's rows."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SAMPLES

from casegraph.cli import main
from casegraph.errors import CasegraphError
from casegraph.graph.neo4j import Connection, connection_from_env, run_cypher
from casegraph.graph.neo4j_push import NOT_GRAPH, batches, constraints
from casegraph.graph.neo4j_queries import CYPHER
from casegraph.graph.neo4j_queries import run_query as run_neo4j
from casegraph.graph.queries import QUERIES, run_query
from casegraph.graph.store import Store
from casegraph.pipeline import load_paths

HOSTILE = ('The GP did not know ("a \'second\' look", C:\\notes\\gp.txt) that Mother\n'
           "was a care leaver }) MATCH (n) DETACH DELETE n // $rows {id: 1}.")


def _env(conn: Connection) -> dict[str, str]:
    return {**os.environ, "NEO4J_URI": conn.uri, "NEO4J_USER": conn.user, "NEO4J_PASSWORD": conn.password}


def cli(conn: Connection, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "casegraph.cli", *args], env=_env(conn), capture_output=True,
                          text=True, timeout=300)


def _generated(tmp: Path) -> Path:
    spec = importlib.util.spec_from_file_location("casegraph_bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.generate(tmp, reviews=40, seed=5)
    return tmp


def _hostile(tmp: Path) -> Path:
    text = (SAMPLES / "harwick-baby-r-scr-2017.md").read_text()
    old = "The GP did not know that Mother was a care leaver."
    assert old in text
    (tmp / 'o\'neill "review" {x}.md').write_text(text.replace(old, HOSTILE))
    return tmp


@pytest.fixture(scope="module", params=["samples", "generated", "hostile"])
def pushed(request: pytest.FixtureRequest, bolt: Connection, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store pushed to an empty database, then again (a push that finds nothing to do)."""
    tmp = tmp_path_factory.mktemp(request.param)
    source = {"samples": lambda: SAMPLES, "generated": lambda: _generated(tmp / "corpus"),
              "hostile": lambda: _hostile(tmp)}[request.param]()
    store = Store(tmp / "store.db")
    assert load_paths(store, [str(source)]).ok
    write(bolt, "MATCH (n) DETACH DELETE n")
    first = cli(bolt, "push", "neo4j", "--store", store.path, "--batch-size", "50")
    assert first.returncode == 0, first.stderr
    assert f"{store.counts()['documents']} documents pushed" in first.stderr
    request.node.counts_after_first = _target_counts(bolt)
    second = cli(bolt, "push", "neo4j", "--store", store.path)
    assert second.returncode == 0 and second.stderr.startswith("0 documents pushed, 0 removed"), second.stderr
    return store


def write(conn: Connection, cypher: str) -> None:
    """One statement in a write transaction of its own (the tests' set-up)."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(conn.uri, auth=(conn.user, conn.password)) as driver:
        driver.execute_query(cypher, database_=conn.database)


def _target_counts(conn: Connection) -> dict[str, Any]:
    labels = {r["label"]: r["n"] for r in run_cypher(conn, "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n")}
    rels = {r["rel"]: r["n"] for r in run_cypher(conn, "MATCH ()-[r]->() RETURN type(r) AS rel, count(*) AS n")}
    return {"labels": labels, "rels": rels}


def test_push_twice_gives_the_embedded_counts(pushed: Store, bolt: Connection, request: pytest.FixtureRequest):
    counts = pushed.counts()
    target = _target_counts(bolt)
    graph_labels = {k: v for k, v in target["labels"].items() if k != "Fact"}
    assert graph_labels == {k: v for k, v in counts.items() if k[0].isupper()}
    assert sum(graph_labels.values()) == counts["nodes"]
    assert sum(n for rel, n in target["rels"].items() if rel not in NOT_GRAPH) == counts["edges"]
    assert target["rels"]["EVIDENCED_BY"] == counts["evidence"]
    facts = pushed.query("SELECT count(*) FROM facts")[0][0]
    assert target["labels"].get("Fact", 0) == target["rels"].get("STATED_IN", 0) == facts
    embedded_rels = Counter(rel for _, rel, _ in pushed.edges())
    assert {k: v for k, v in target["rels"].items() if k not in NOT_GRAPH} == dict(embedded_rels)
    # A full push sends everything again and changes nothing.
    full = cli(bolt, "push", "neo4j", "--full", "--store", pushed.path)
    assert full.returncode == 0, full.stderr
    assert _target_counts(bolt) == target


def query_cases(store: Store) -> list[tuple[str, dict[str, Any]]]:
    """Each named query with parameters that find something in this store."""
    agency = store.query("SELECT dst FROM edges WHERE rel = 'IMPLICATES' GROUP BY dst ORDER BY count(*) DESC, dst")
    case = store.query("SELECT id, name FROM nodes WHERE label = 'Case' ORDER BY id")
    word = store.query("SELECT quote FROM evidence ORDER BY id LIMIT 1")[0][0].split()[-1]
    return [
        ("repeated-failures", {}), ("repeated-failures", {"min_reviews": 1, "by": "agency-type", "evidence": True}),
        ("repeated-failures", {"evidence": True, "since": 2015, "until": 2023, "review_type": "cspr"}),
        ("repeated-failures", {"locality": "Harwick", "min_reviews": 1, "limit": 5}),
        ("cases", {}), ("conflicts", {}),
        ("agency", {"name": agency[0][0]}), ("case", {"id": case[0][1]}),
        ("themes", {}), ("themes", {"by": "year", "since": 2016}), ("themes", {"by": "locality"}),
        ("themes", {"pairs": True}),
        ("recommendations", {}), ("recommendations", {"threshold": 0.2}),
        ("risk-factors", {}), ("risk-factors", {"size": 3, "by_outcome": True}),
        ("path", {"source": case[0][0], "target": case[-1][1]}),
        ("search", {"text": word}), ("search", {"text": "not assessed", "limit": 10000}),
        ("search", {"text": "the social worker", "limit": 7}), ("search", {"text": "health_visitor did not"}),
        ("lessons", {}), ("lessons", {"evidence": True, "min_gap_years": 1}),
        ("lessons", {"agency_type": "all-agencies", "locality": case[0][0].split(":")[1]}),
        ("stats", {}),
    ]


def test_every_named_query_answers_alike(pushed: Store, bolt: Connection):
    cases = query_cases(pushed)
    assert {name for name, _ in cases} == set(QUERIES)  # a new named query needs its Cypher too
    for name, params in cases:
        embedded = run_query(pushed, name, **params)
        assert run_neo4j(bolt, name, **params) == embedded, (name, params)


def test_recommendation_groups_are_compared_on_something(pushed: Store):
    if "generated" in pushed.path:  # the samples hold no near-duplicate recommendations
        assert run_query(pushed, "recommendations", threshold=0.2)


def test_document_text_round_trips_exactly(pushed: Store, bolt: Connection):
    quotes = Counter(r[0] for r in pushed.query("SELECT quote FROM evidence"))
    target = Counter(r["q"] for r in run_cypher(bolt, "MATCH ()-[e:EVIDENCED_BY]->() RETURN e.quote AS q"))
    assert target == quotes
    texts = {nid: props.get("text") for nid, _, _, props in pushed.nodes("Finding")}
    finding_texts = run_cypher(bolt, "MATCH (f:Finding) RETURN f.id AS id, f.text AS text")
    assert {r["id"]: r["text"] for r in finding_texts} == texts
    paths = {r[0] for r in pushed.query("SELECT path FROM documents")}
    assert {r["p"] for r in run_cypher(bolt, "MATCH (d:Document) RETURN d.path AS p")} == paths
    if "hostile" in pushed.path:
        hostile = [q for q in quotes if "DETACH DELETE" in q]
        assert hostile and all(c in hostile[0] for c in ('"', "'", "\\", "\n", "})", "$rows"))
        hits = run_cypher(bolt, "MATCH (o)-[e:EVIDENCED_BY]->() WHERE e.quote = $q RETURN o.id AS id",
                          {"q": hostile[0]})
        assert hits
        assert any('"review"' in p for p in paths)


def test_wrong_password_and_unreachable_server_are_one_line(bolt: Connection, sample_store: Store):
    wrong = Connection(bolt.uri, bolt.user, "not-the-password")
    for args in (["push", "neo4j", "--store", sample_store.path], ["query", "cases", "--backend", "neo4j"],
                 ["cypher", "RETURN 1 AS one"]):
        result = cli(wrong, *args)
        assert result.returncode == 1 and result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: {bolt.uri}: "), result.stderr
        assert "NEO4J_PASSWORD" in lines[0] and "not-the-password" not in lines[0]
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    nowhere = Connection(f"bolt://127.0.0.1:{port}", "neo4j", "secret")
    result = cli(nowhere, "push", "neo4j", "--store", sample_store.path)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1 and "cannot reach the server" in lines[0], result.stderr
    assert "secret" not in result.stderr


def test_statements_carry_values_as_parameters(sample_store: Store):
    assert all(c.startswith("CREATE CONSTRAINT") for c in constraints())
    sent = list(batches(sample_store, None, 50))
    assert sum(len(b.rows) for b in sent if b.nodes == 1 and b.relationships == 0) == sample_store.counts()["nodes"]
    quotes = [r[0] for r in sample_store.query("SELECT quote FROM evidence") if len(r[0]) > 20]
    for b in sent:
        assert len(b.rows) <= 50 and b.cypher.startswith("UNWIND $rows AS row ")
        assert not any(q in b.cypher for q in quotes)  # text never spliced into Cypher
    for name, cypher in CYPHER.items():
        assert "'" not in cypher.replace("'agencytype:'", ""), name  # no literal but the type prefix


def test_connection_needs_the_environment(monkeypatch: pytest.MonkeyPatch, runner):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    with pytest.raises(CasegraphError, match="NEO4J_URI"):
        connection_from_env()
    result = runner.invoke(main, ["push", "neo4j"])
    assert result.exit_code == 1 and "NEO4J_URI" in result.output
    monkeypatch.setenv("NEO4J_URI", "http://localhost:7474")
    with pytest.raises(CasegraphError, match="bolt://"):
        connection_from_env()


def test_cypher_param_syntax(runner):
    result = runner.invoke(main, ["cypher", "RETURN $x AS x", "-p", "novalue"])
    assert result.exit_code == 2 and "KEY=VALUE" in result.output


def test_cypher_runs_a_read_query_with_parameters(pushed: Store, bolt: Connection):
    result = cli(bolt, "cypher", "MATCH (c:Case) WHERE c.id = $id RETURN c.name AS name", "-p",
                  f"id={pushed.query('SELECT min(id) FROM nodes WHERE label = ?', ('Case',))[0][0]}",
                  "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == pushed.query("SELECT name FROM nodes WHERE label = 'Case' "
                                                         "ORDER BY id LIMIT 1")[0][0]


def test_cypher_refuses_a_statement_that_writes(pushed: Store, bolt: Connection):
    cases = pushed.counts()["Case"]
    result = cli(bolt, "cypher", "MATCH (c:Case) DETACH DELETE c RETURN count(*) AS n")
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1 and lines[0].startswith(f"Error: {bolt.uri}: "), result.stderr
    assert run_cypher(bolt, "MATCH (c:Case) RETURN count(c) AS n")[0]["n"] == cases  # rolled back
