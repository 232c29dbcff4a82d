"""The Neo4j store: the same graph pushed over Bolt with the official driver
(uniqueness constraints first, then batched UNWIND ... MERGE, so a second push
changes nothing), and the named queries written in Cypher."""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from casegraph.errors import CasegraphError, UnknownQuery

__all__ = ["Connection", "connection_from_env", "push_statements", "push", "run_cypher",
           "CYPHER_QUERIES"]

LABELS = ("Document", "Review", "Case", "Person", "Agency", "AgencyType", "Theme", "RiskFactor",
          "Contact", "Finding", "Recommendation")
# Labels and relationship types cannot be Cypher parameters; they come from this fixed
# set and are checked against it, while every value travels as a parameter.
_NAME = re.compile(r"^[A-Z][A-Za-z_]*$")
_PREFIX = {"document": "Document", "review": "Review", "case": "Case", "person": "Person",
           "agency": "Agency", "agencytype": "AgencyType", "theme": "Theme",
           "riskfactor": "RiskFactor", "contact": "Contact", "finding": "Finding",
           "recommendation": "Recommendation"}


@dataclass(frozen=True)
class Connection:
    uri: str
    user: str
    password: str
    database: str | None = None


def connection_from_env() -> Connection:
    """NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD (and NEO4J_DATABASE); never a password
    on the command line."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        raise CasegraphError("set NEO4J_URI (e.g. bolt://localhost:7687), NEO4J_USER and NEO4J_PASSWORD")
    return Connection(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""),
                      os.environ.get("NEO4J_DATABASE") or None)


def _label_of(node_id: str) -> str:
    label = _PREFIX.get(node_id.split(":", 1)[0])
    if label is None:
        raise CasegraphError(f"node id {node_id!r} has no known label")
    return label


def _checked(name: str) -> str:
    if not _NAME.match(name):
        raise CasegraphError(f"refusing {name!r} as a label or relationship type")
    return name


def _scalar_props(props: dict[str, Any]) -> dict[str, Any]:
    """Neo4j properties are scalars or lists of scalars; anything else becomes JSON."""
    out: dict[str, Any] = {}
    for k, v in props.items():
        if v is None:
            continue
        if isinstance(v, list) and all(isinstance(x, str | int | float | bool) for x in v):
            out[k] = v
        elif isinstance(v, str | int | float | bool):
            out[k] = v
        else:
            out[k] = json.dumps(v, ensure_ascii=False)
    return out


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def push_statements(store: Any, batch: int = 1000) -> Iterator[tuple[str, dict[str, Any]]]:
    """(cypher, parameters) for the whole store, in the order they must run."""
    for label in LABELS:
        yield (f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
               f"FOR (n:{_checked(label)}) REQUIRE n.id IS UNIQUE", {})
    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for nid, label, name, props in store.nodes():
        by_label[label].append({"id": nid, "props": {**_scalar_props(props), "name": name}})
    for label, rows in by_label.items():
        for chunk in _batches(rows, batch):
            yield (f"UNWIND $rows AS row MERGE (n:{_checked(label)} {{id: row.id}}) "
                   f"SET n += row.props", {"rows": chunk})
    by_shape: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for src, rel, dst in store.edges():
        by_shape[(_label_of(src), rel, _label_of(dst))].append({"src": src, "dst": dst})
    for (a, rel, b), rows in by_shape.items():
        for chunk in _batches(rows, batch):
            yield (f"UNWIND $rows AS row MATCH (a:{_checked(a)} {{id: row.src}}) "
                   f"MATCH (b:{_checked(b)} {{id: row.dst}}) MERGE (a)-[:{_checked(rel)}]->(b)",
                   {"rows": chunk})
    # Evidence: EVIDENCED_BY from the node that carries it to its Document, span as properties.
    ev = store.query('SELECT e.owner, d.sha256, e.start, e."end", e.paragraph, e.page, e.quote '
                     "FROM evidence e JOIN documents d ON d.id = e.doc")
    by_owner: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for owner, doc, start, end, paragraph, page, quote in ev:
        if "|" in owner:
            continue  # evidence of an edge stays in the embedded store and the RDF export
        by_owner[_label_of(owner)].append({"owner": owner, "doc": f"document:{doc}", "start": start,
                                           "end": end, "paragraph": paragraph, "page": page,
                                           "quote": quote})
    for label, rows in by_owner.items():
        for chunk in _batches(rows, batch):
            yield (f"UNWIND $rows AS row MATCH (o:{_checked(label)} {{id: row.owner}}) "
                   "MATCH (d:Document {id: row.doc}) "
                   "MERGE (o)-[e:EVIDENCED_BY {start: row.start, end: row.end}]->(d) "
                   "SET e.paragraph = row.paragraph, e.page = row.page, e.quote = row.quote",
                   {"rows": chunk})
    facts = store.query("SELECT f.subject, f.fact, f.value, d.sha256, f.quote "
                        "FROM facts f JOIN documents d ON d.id = f.doc")
    rows = [{"subject": s, "fact": f, "value": v, "doc": f"document:{d}", "quote": q}
            for s, f, v, d, q in facts]
    for chunk in _batches(rows, batch):
        yield ("UNWIND $rows AS row MATCH (d:Document {id: row.doc}) "
               "MERGE (f:Fact {subject: row.subject, fact: row.fact, value: row.value, doc: row.doc}) "
               "SET f.quote = row.quote MERGE (f)-[:STATED_IN]->(d)", {"rows": chunk})


def _driver(conn: Connection) -> Any:
    try:
        from neo4j import GraphDatabase
    except ImportError as e:  # pragma: no cover - a dependency of the package
        raise CasegraphError("the neo4j driver is not installed: pip install neo4j") from e
    return GraphDatabase.driver(conn.uri, auth=(conn.user, conn.password))


def push(store: Any, conn: Connection, batch: int = 1000) -> int:
    """Push the store to Neo4j; returns the number of statements run."""
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    n = 0
    try:
        with _driver(conn) as driver, driver.session(database=conn.database) as session:
            for cypher, params in push_statements(store, batch):
                session.run(cypher, params).consume()
                n += 1
    except (ServiceUnavailable, Neo4jError, OSError) as e:
        raise CasegraphError(f"{conn.uri}: " + " ".join(str(e).split())) from e
    return n


# The named queries in Cypher, returning the rows of the embedded store's queries.
CYPHER_QUERIES: dict[str, str] = {
    "repeated-failures": """
        MATCH (r:Review)-[:FOUND]->(f:Finding)-[:IMPLICATES]->(a:Agency),
              (f)-[:HAS_THEME]->(t:Theme)
        WITH a, t, collect(DISTINCT r) AS reviews
        WHERE size(reviews) >= $min_reviews
        RETURN a.name AS agency, a.id AS agency_id, a.locality AS locality, a.type AS agency_type,
               substring(t.id, 6) AS theme, size(reviews) AS reviews
        ORDER BY reviews DESC, agency_id, theme""",
    "cases": """
        MATCH (c:Case)
        OPTIONAL MATCH (r:Review)-[:REVIEWS]->(c)
        OPTIONAL MATCH (d:Document)-[:DESCRIBES]->(r)
        RETURN c.id AS case, c.name AS name, c.locality AS locality,
               c.incident_date AS incident_date, c.outcome AS outcome,
               collect(DISTINCT r.name) AS reviews, collect(DISTINCT d.path) AS documents
        ORDER BY case""",
    "stats": """
        MATCH (n) RETURN labels(n)[0] AS what, count(*) AS count ORDER BY what""",
}


def run_cypher(conn: Connection, text: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run a named query (by name) or a Cypher statement with parameters; rows as dicts."""
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    cypher = CYPHER_QUERIES.get(text, text)
    if text in CYPHER_QUERIES and text == "repeated-failures":
        params = {"min_reviews": 2, **(params or {})}
    if not cypher.strip():
        raise UnknownQuery("empty Cypher statement")
    try:
        with _driver(conn) as driver, driver.session(database=conn.database) as session:
            rows = [dict(r) for r in session.run(cypher, params or {})]
    except (ServiceUnavailable, Neo4jError, OSError) as e:
        raise CasegraphError(f"{conn.uri}: " + " ".join(str(e).split())) from e
    # Lists come back in storage order; sorted, they compare with the embedded store's.
    return [{k: sorted(v) if isinstance(v, list) else v for k, v in r.items()} for r in rows]
