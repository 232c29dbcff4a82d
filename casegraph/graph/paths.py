"""The ``path`` query: how two nodes connect, as the shortest undirected chain of
edges between them (a bidirectional breadth-first search the Neo4j backend shares)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from casegraph.errors import NodeNotFound
from casegraph.graph.queries import Param, _register

__all__ = ["path"]


@_register(
    "path", "How two nodes connect: the shortest chain of edges between them.",
    Param("source", help="node id or name", argument=True),
    Param("target", help="node id or name", argument=True),
    Param("max_depth", int, 6, "longest path searched", least=1),
)
def path(store: Any, source: str, target: str, max_depth: int = 6) -> list[dict[str, Any]]:
    a, b = _any_node(store, source), _any_node(store, target)
    rels = store.relations()
    chain = _chain(a, b, max_depth, lambda node: _neighbours(store, node, rels))
    if not chain:
        return []
    names = {r[0]: (r[1], r[2]) for r in store.query(
        f"SELECT id, label, name FROM nodes WHERE id IN ({','.join('?' * len(chain))})", chain)}
    return _path_rows(chain, names, lambda x, y: _rel_between(store, x, y))


def _chain(a: str, b: str, max_depth: int, neighbours: Callable[[str], list[tuple[str, str, bool]]],
           prefetch: Callable[[list[str]], None] | None = None) -> list[str]:
    """The nodes of a shortest undirected path from a to b ([] if none within
    max_depth): a bidirectional breadth-first search, neighbours in sorted order.
    ``prefetch`` is told each frontier before it is expanded."""
    prev = {a: None}
    nxt = {b: None}
    fa, fb = deque([a]), deque([b])
    meet = a if a == b else None
    depth = 0
    while meet is None and fa and fb and depth < max_depth:
        depth += 1
        frontier, seen, other = (fa, prev, nxt) if len(fa) <= len(fb) else (fb, nxt, prev)
        if prefetch:
            prefetch(list(frontier))
        for _ in range(len(frontier)):
            node = frontier.popleft()
            for nb, rel, forward in neighbours(node):
                if nb in seen:
                    continue
                seen[nb] = (node, rel, forward)
                if nb in other:
                    meet = nb
                    break
                frontier.append(nb)
            if meet:
                break
    if meet is None:
        return []
    chain = [meet]
    while prev[chain[0]] is not None:
        chain.insert(0, prev[chain[0]][0])
    back = meet
    while nxt[back] is not None:
        back = nxt[back][0]
        chain.append(back)
    return chain


def _path_rows(chain: list[str], names: dict[str, tuple[str, str]],
               rel_between: Callable[[str, str], str | None]) -> list[dict[str, Any]]:
    out = []
    for i, nid in enumerate(chain):
        rel = None
        if i + 1 < len(chain):
            rel = rel_between(nid, chain[i + 1])
        out.append({"step": i, "id": nid, "label": names.get(nid, ("", ""))[0],
                    "name": names.get(nid, ("", ""))[1], "edge_to_next": rel})
    return out


def _any_node(store: Any, text: str) -> str:
    rows = store.query("SELECT id FROM nodes WHERE id = ? OR lower(name) = lower(?) LIMIT 1",
                       (text, text))
    if not rows:
        raise NodeNotFound(f"no node with id or name {text!r}")
    return rows[0][0]


def _neighbours(store: Any, node: str, rels: list[str] | None = None) -> list[tuple[str, str, bool]]:
    rels = store.relations() if rels is None else rels
    rows = store.query(
        "SELECT DISTINCT dst, rel, 1 FROM edges WHERE src = ? "
        "UNION SELECT DISTINCT src, rel, 0 FROM edges "
        f"WHERE rel IN ({','.join('?' * len(rels))}) AND dst = ? ORDER BY 1, 2, 3", (node, *rels, node))
    return [(r[0], r[1], bool(r[2])) for r in rows]


def _rel_between(store: Any, a: str, b: str) -> str | None:
    rows = store.query("SELECT rel, src FROM edges WHERE (src = ? AND dst = ?) OR (src = ? AND dst = ?) "
                       "LIMIT 1", (a, b, b, a))
    if not rows:
        return None
    return rows[0][0] if rows[0][1] == a else f"<-{rows[0][0]}"
