"""The connection to a Neo4j (or other Bolt + Cypher) server: settings from the
environment only, one driver per command, managed transactions, and every driver
failure turned into one line that names the server and what to check."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from casegraph.errors import CasegraphError

__all__ = ["Connection", "ServerError", "connection_from_env", "driver_errors", "open_session", "read",
           "run_cypher", "server_error"]


class ServerError(CasegraphError):
    """The Bolt server refused a statement, could not be reached or refused the login."""


_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


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
    scheme = uri.partition("://")[0]
    if scheme not in _SCHEMES:
        raise CasegraphError(f"NEO4J_URI {uri!r}: the address of a Bolt server starts with "
                             f"{', '.join(s + '://' for s in _SCHEMES)}")
    return Connection(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""),
                      os.environ.get("NEO4J_DATABASE") or None)


def server_error(conn: Connection, e: Exception) -> ServerError:
    """One line naming the server and, where it is plain, what to check."""
    from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable

    if isinstance(e, AuthError):
        why = f"the server refused user {conn.user!r}: check NEO4J_USER and NEO4J_PASSWORD"
    elif isinstance(e, ServiceUnavailable):
        why = "cannot reach the server: is it running, and is NEO4J_URI right?"
    elif isinstance(e, ConfigurationError | ValueError):
        why = f"not a usable address ({e}); NEO4J_URI looks like bolt://host:7687"
    elif isinstance(e, Neo4jError):
        why = f"{e.code}: {e.message}" if e.code else str(e)
    else:
        why = f"{type(e).__name__}: {e}"
    # The password never reaches a message; the server's text is folded onto one line.
    text = " ".join(why.split())
    if conn.password:
        text = text.replace(conn.password, "***")
    return ServerError(f"{conn.uri}: {text}")


def driver_errors() -> tuple[type[BaseException], ...]:
    """What the driver raises when a server, a login or a statement fails."""
    from neo4j.exceptions import DriverError, Neo4jError

    return (DriverError, Neo4jError, OSError, ValueError)


@contextmanager
def open_session(conn: Connection) -> Iterator[Any]:
    """A session on a driver whose connection and login were checked first, so that
    an unreachable server or a wrong password fails at once, in one line."""
    from neo4j import GraphDatabase

    # The driver logs connection failures as warnings; the error raised says it all.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    logging.getLogger("neo4j").propagate = False
    try:
        driver = GraphDatabase.driver(conn.uri, auth=(conn.user, conn.password),
                                      connection_timeout=10, max_transaction_retry_time=30)
        driver.verify_connectivity()
    except driver_errors() as e:
        raise server_error(conn, e) from None
    try:
        with driver.session(database=conn.database) as session:
            yield session
    finally:
        driver.close()


def _plain(value: Any) -> Any:
    """Nodes, relationships and paths as plain data a table, JSON or CSV can show."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **dict(value)}
    if isinstance(value, Relationship):
        return {"type": value.type, **dict(value)}
    if isinstance(value, Path):
        return [_plain(n) for n in value.nodes]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time dates and times
        return value.iso_format()
    return value


def _read_rows(tx: Any, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in record.items()} for record in tx.run(cypher, params)]


class _Wrote(Exception):
    """A statement given as a read turned out to write (its transaction is rolled back)."""


def _only_read_rows(tx: Any, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    result = tx.run(cypher, params)
    rows = [{k: _plain(v) for k, v in record.items()} for record in result]
    # The server says what the statement did; raising here rolls its transaction back,
    # on servers that let a read transaction write as on those that refuse it.
    kind = result.consume().query_type
    if kind not in (None, "r"):
        raise _Wrote(kind)
    return rows


def read(session: Any, conn: Connection, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Rows of one read statement in a managed read transaction (retried on transient errors)."""
    try:
        return session.execute_read(_read_rows, cypher, params or {})
    except driver_errors() as e:
        raise server_error(conn, e) from None


def run_cypher(conn: Connection, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run one read statement, values as parameters; rows as dicts. A statement that
    writes is rolled back and refused."""
    if not cypher.strip():
        raise CasegraphError("empty Cypher statement")
    with open_session(conn) as session:
        try:
            return session.execute_read(_only_read_rows, cypher, params or {})
        except _Wrote:
            raise ServerError(f"{conn.uri}: the statement writes, and was rolled back: casegraph cypher "
                              "runs read queries (casegraph push neo4j writes the graph)") from None
        except driver_errors() as e:
            raise server_error(conn, e) from None
