"""Named queries over the embedded store: each a function of the store and
validated parameters returning rows, registered by name with its parameters so
the CLI and the Python API expose the same set.

This module owns the registry (``Param``, ``QuerySpec``, ``QUERIES``, ``bind``,
``run_query``) and ``find_node``; the queries live in modules named for what they
answer (``lookups``, ``patterns``, ``paths``, ``lessons``), each imported at the end
of this one so that importing it registers every query."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from casegraph.errors import BadParameter, CasegraphError, NodeNotFound, UnknownQuery

__all__ = ["Param", "QuerySpec", "QUERIES", "run_query", "bind", "find_node", "not_found"]


@dataclass(frozen=True)
class Param:
    """One parameter of a named query, described once for the CLI and the API."""

    name: str
    type: type = str
    default: Any = None
    help: str = ""
    choices: tuple[str, ...] | None = None
    argument: bool = False  # positional on the command line
    flag: bool = False
    least: int | None = None  # bounds of a number
    most: int | None = None


@dataclass(frozen=True)
class QuerySpec:
    name: str
    func: Callable[..., list[dict[str, Any]]]
    help: str
    params: tuple[Param, ...] = field(default_factory=tuple)


QUERIES: dict[str, QuerySpec] = {}


def _register(name: str, help: str, *params: Param):
    def wrap(func: Callable[..., list[dict[str, Any]]]):
        QUERIES[name] = QuerySpec(name, func, help, params)
        return func

    return wrap


def run_query(store: Any, name: str, /, **params: Any) -> list[dict[str, Any]]:
    """Run the named query with ``params`` (defaults filled, unknown names refused)."""
    spec, args = bind(name, params)
    return spec.func(store, **args)


def bind(name: str, params: dict[str, Any]) -> tuple[QuerySpec, dict[str, Any]]:
    """The named query and its arguments: defaults filled, unknown names and bad values
    refused (the same for every backend)."""
    spec = QUERIES.get(name)
    if spec is None:
        raise UnknownQuery(f"no query named {name!r}; choose from: {', '.join(sorted(QUERIES))}")
    known = {p.name: p for p in spec.params}
    unknown = set(params) - set(known)
    if unknown:
        raise CasegraphError(f"query {name} takes no parameter {', '.join(sorted(unknown))}")
    args = {}
    for p in spec.params:
        value = params.get(p.name, p.default)
        if value is None and p.argument:
            raise CasegraphError(f"query {name} needs {p.name.upper()}")
        if p.choices and value is not None and value not in p.choices:
            raise BadParameter(p.name, f"must be one of {', '.join(p.choices)}, not {value!r}")
        if p.type is int and value is not None:
            value = int(value)
            if (p.least is not None and value < p.least) or (p.most is not None and value > p.most):
                raise BadParameter(p.name, f"must be {_bounds(p)}, not {value}")
        args[p.name] = value
    return spec, args


def _bounds(p: Param) -> str:
    if p.most is None:
        return f"at least {p.least}"
    return f"at most {p.most}" if p.least is None else f"from {p.least} to {p.most}"


def find_node(store: Any, text: str, label: str) -> tuple[str, str]:
    """A node of ``label`` by id, name or alias (case-insensitive), else by part of its
    name or id (the shortest such name), else NodeNotFound with the nearest names. The
    one lookup of every query and view given a case or an agency."""
    rows = store.query(
        "SELECT id, name FROM nodes WHERE label = ? AND (id = ? OR lower(name) = lower(?)) "
        "ORDER BY id != ?, id LIMIT 1", (label, text, text, text))
    if not rows:
        rows = store.query(
            "SELECT n.id, n.name FROM nodes n, json_each(n.props, '$.aliases') a "
            "WHERE n.label = ? AND lower(a.value) = lower(?) ORDER BY n.id LIMIT 1", (label, text))
    if not rows:
        rows = store.query(
            "SELECT id, name FROM nodes WHERE label = ? AND (lower(name) LIKE lower(?) "
            "OR id LIKE lower(?)) ORDER BY length(name), id LIMIT 1",
            (label, f"%{text}%", f"%{text}%"))
    if not rows:
        raise not_found(label, text, (r[0] for r in store.rows(
            "SELECT DISTINCT name FROM nodes WHERE label = ? AND name IS NOT NULL", (label,))))
    return rows[0][0], rows[0][1]


def not_found(label: str, text: str, names: Iterable[str]) -> NodeNotFound:
    """The error for a node not found: the names of ``label`` nearest ``text``, if any."""
    from difflib import get_close_matches

    by_lower: dict[str, str] = {}
    for n in names:  # "Child L (Harwick)" is also near "Chld L": compared without its locality too
        by_lower[n.lower()] = n
        by_lower.setdefault(n.lower().split(" (")[0], n)
    near = list(dict.fromkeys(by_lower[n] for n in get_close_matches(text.lower(), by_lower, n=3, cutoff=0.6)))
    hint = (f"did you mean {' or '.join(map(repr, near))}?" if near
            else "`casegraph query cases` lists them" if label == "Case" else "it takes an id, name or alias")
    return NodeNotFound(f"no {label} matching {text!r}; {hint}")


# Each family of queries registers itself from its own module, which takes from this
# one only what is defined above: importing this module registers every query.
from casegraph.graph import lessons, lookups, paths, patterns  # noqa: E402,F401
