"""The neighbourhood view: a case's or an agency's surroundings in the graph.

:func:`select_subgraph` reads only the rows a view needs into a networkx
MultiDiGraph: the neighbourhood of a case or agency up to ``depth`` hops (contacts,
people and documents included), or, with neither, the connected Case, Review,
Agency, Finding, Theme, RiskFactor and Recommendation nodes. :func:`cap_subgraph`
keeps a large selection readable by folding contacts, findings and recommendations
into counted edges and then keeping the best-connected nodes.
:func:`neighbourhood_data` lays the result out (networkx, before the page opens) and
gathers each node's properties and evidence quotes. networkx is imported inside
the functions.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from casegraph.graph.store import Store

__all__ = ["DEFAULT_LABELS", "LABEL_STYLES", "cap_subgraph", "neighbourhood_data", "select_subgraph"]

LABEL_STYLES: dict[str, str] = {
    "Case": "#d62728", "Review": "#1f77b4", "Agency": "#2ca02c", "Finding": "#ff7f0e",
    "Recommendation": "#9467bd", "Theme": "#17becf", "RiskFactor": "#8c564b", "Contact": "#7f7f7f",
    "Person": "#e377c2", "Document": "#bcbd22", "AgencyType": "#98df8a",
}
"""Node label -> colour; the legend lists them in this order."""

DEFAULT_LABELS: tuple[str, ...] = (
    "Case", "Review", "Agency", "Finding", "Theme", "RiskFactor", "Recommendation")
"""Labels of the whole-graph selection."""

_VOCABULARY = frozenset({"AgencyType", "Theme", "RiskFactor"})
_ORDER = {label: i for i, label in enumerate(LABEL_STYLES)}
# Labels folded into counted edges, in this order, when a view is over max_nodes.
_FOLD = ("Contact", "Finding", "Recommendation", "Document", "Person")
_CHUNK = 500
_QUOTES = 3
_QUOTE_CHARS = 400
_PROP_CHARS = 600
_HIDDEN_PROPS = frozenset({"sha256", "seq"})


# -- reading rows -------------------------------------------------------------------

def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _node_rows(store: Store, ids: Iterable[str]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    out: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for chunk in _chunks(sorted(set(ids))):
        for r in store.query(
                f"SELECT id, label, name, props FROM nodes WHERE id IN ({_marks(len(chunk))})",
                tuple(chunk)):
            out[r[0]] = (r[1], r[2] or "", json.loads(r[3] or "{}"))
    return out


def _edges_touching(store: Store, ids: Iterable[str]) -> set[tuple[str, str, str]]:
    out: set[tuple[str, str, str]] = set()
    for chunk in _chunks(sorted(set(ids))):
        marks = _marks(len(chunk))
        for r in store.query(
                f"SELECT DISTINCT src, rel, dst FROM edges WHERE src IN ({marks}) "
                f"UNION SELECT DISTINCT src, rel, dst FROM edges WHERE dst IN ({marks})",
                (*chunk, *chunk)):
            out.add((r[0], r[1], r[2]))
    return out


def _edges_among(store: Store, ids: set[str]) -> set[tuple[str, str, str]]:
    out: set[tuple[str, str, str]] = set()
    for chunk in _chunks(sorted(ids)):
        for r in store.query(
                f"SELECT DISTINCT src, rel, dst FROM edges WHERE src IN ({_marks(len(chunk))})",
                tuple(chunk)):
            if r[2] in ids:
                out.add((r[0], r[1], r[2]))
    return out


def _graph(store: Store, ids: set[str], edges: Iterable[tuple[str, str, str]],
           seeds: Iterable[str] = ()) -> nx.MultiDiGraph:
    import networkx as nx

    rows = _node_rows(store, ids)
    g = nx.MultiDiGraph()
    for nid, (label, name, props) in rows.items():
        g.add_node(nid, label=label, name=name, props=props)
    for nid in seeds:
        if nid in g:
            g.nodes[nid]["seed"] = True
    for src, rel, dst in sorted(edges):
        if src in g and dst in g:
            g.add_edge(src, dst, key=rel, rel=rel, count=1)
    return g


def _neighbourhood(store: Store, seeds: list[str], depth: int) -> tuple[set[str], set[str]]:
    """Nodes within ``depth`` hops of the seeds, not walking on through vocabulary
    nodes (themes, risk factors and agency types link everything to everything)."""
    seen = set(seeds)
    frontier = set(seeds)
    for _ in range(max(depth, 0)):
        if not frontier:
            break
        reached: set[str] = set()
        for src, _rel, dst in _edges_touching(store, frontier):
            reached.update((src, dst))
        new = reached - seen
        seen |= new
        labels = _node_rows(store, new)
        frontier = {n for n in new if labels.get(n, ("",))[0] not in _VOCABULARY}
    return seen, set(seeds)


def select_subgraph(store: Store, *, case: str | None = None, agency: str | None = None,
                    depth: int = 1) -> nx.MultiDiGraph:
    """The part of the graph a view shows, as a MultiDiGraph.

    Nodes carry ``label``, ``name``, ``props`` (and ``seed`` for the case/agency asked
    for); edges are keyed by rel and carry ``rel`` and ``count`` (1). ``case`` and
    ``agency`` select neighbourhoods, each of the node ``find_node`` finds (as the case
    view and query do: id, name, alias or part of a name; none raises NodeNotFound);
    with both, their union; with neither, the connected core of the graph.
    """
    if case is None and agency is None:
        labels = tuple(DEFAULT_LABELS)
        marks = _marks(len(labels))
        edges = {(r[0], r[1], r[2]) for r in store.query(
            "SELECT DISTINCT e.src, e.rel, e.dst FROM edges e "
            "JOIN nodes a ON a.id = e.src JOIN nodes b ON b.id = e.dst "
            f"WHERE e.rel != 'BROADER' AND a.label IN ({marks}) AND b.label IN ({marks})",
            (*labels, *labels))}
        ids = {n for src, _rel, dst in edges for n in (src, dst)}
        edges |= {(r[0], r[1], r[2]) for r in store.query(
            "SELECT DISTINCT src, rel, dst FROM edges WHERE rel = 'BROADER'")
            if r[0] in ids and r[2] in ids}
        return _graph(store, ids, edges)

    from casegraph.graph.queries import find_node  # the lookup of `query case` and the case view

    ids: set[str] = set()
    seeds: set[str] = set()
    for text, label in ((case, "Case"), (agency, "Agency")):
        if text is not None:
            found, s = _neighbourhood(store, [find_node(store, text, label)[0]], depth)
            ids |= found
            seeds |= s
    return _graph(store, ids, _edges_among(store, ids), seeds)


# -- capping ---------------------------------------------------------------------------

def cap_subgraph(g: nx.MultiDiGraph, max_nodes: int) -> tuple[nx.MultiDiGraph, str]:
    """``g`` if it has at most ``max_nodes`` nodes; else a smaller copy and a note.

    First contacts, findings, recommendations, documents and people (in that order,
    while still too many) are folded away: each pair of differently labelled nodes
    they linked gets one edge ``<LABEL>S`` with ``count`` = how many linked them. Then
    only the ``max_nodes`` highest-degree nodes are kept (seed nodes always stay).
    """
    if max_nodes < 1:
        raise ValueError("max_nodes must be at least 1")
    if g.number_of_nodes() <= max_nodes:
        return g, ""
    h = g.copy()
    folded: Counter[str] = Counter()
    for label in _FOLD:
        if h.number_of_nodes() <= max_nodes:
            break
        members = [n for n, d in h.nodes(data=True) if d.get("label") == label
                   and not d.get("seed")]
        if not members:
            continue
        counts: Counter[tuple[str, str]] = Counter()
        member_set = set(members)
        for m in members:
            near = sorted({n for n in (*h.predecessors(m), *h.successors(m))
                           if n not in member_set},
                          key=lambda n: (_ORDER.get(h.nodes[n].get("label"), 99), n))
            for i, a in enumerate(near):
                for b in near[i + 1:]:
                    if h.nodes[a].get("label") != h.nodes[b].get("label"):
                        counts[(a, b)] += 1
        h.remove_nodes_from(members)
        rel = f"{label.upper()}S"
        for (a, b), n in counts.items():
            h.add_edge(a, b, key=rel, rel=rel, count=n, folded=label)
        folded[label] = len(members)
    parts = []
    if folded:
        parts.append("folded " + ", ".join(f"{n} {label}" for label, n in folded.items())
                     + " nodes into counted edges")
    if h.number_of_nodes() > max_nodes:
        degree = dict(h.degree())
        ranked = sorted(h.nodes, key=lambda n: (not h.nodes[n].get("seed"), -degree[n],
                                                _ORDER.get(h.nodes[n].get("label"), 99), n))
        drop = ranked[max_nodes:]
        by_label = Counter(h.nodes[n].get("label") for n in drop)
        h.remove_nodes_from(drop)
        parts.append(f"dropped {len(drop)} lower-degree nodes ("
                     + ", ".join(f"{n} {lab}" for lab, n in sorted(by_label.items())) + ")")
    note = (f"capped at {max_nodes} nodes (selection had {g.number_of_nodes()}): "
            + "; ".join(parts))
    return h, note




# -- the page's data -------------------------------------------------------------------

def _evidence(store: Store, owners: Iterable[str]) -> dict[str, list[list[Any]]]:
    out: dict[str, list[list[Any]]] = defaultdict(list)
    for chunk in _chunks(sorted(set(owners))):
        for owner, quote, paragraph, page, path in store.query(
                "SELECT e.owner, substr(e.quote, 1, ?), e.paragraph, e.page, d.path FROM evidence e "
                "LEFT JOIN documents d ON d.id = e.doc "
                f"WHERE e.owner IN ({_marks(len(chunk))}) ORDER BY e.owner, e.id", (_QUOTE_CHARS, *chunk)):
            items = out[owner]
            if len(items) < _QUOTES and all(i[0] != quote for i in items):
                items.append([quote or "", paragraph, page, path])
    return out


def _prop_text(value: Any) -> str:
    if isinstance(value, list):
        text = "; ".join(str(v) for v in value)
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    else:
        text = str(value)
    return text if len(text) <= _PROP_CHARS else text[:_PROP_CHARS - 1] + "…"


def _layout(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1]², computed once here instead of settling in the browser:
    the case or agency asked for in the middle, each further hop on a wider ring,
    every node near the one it was reached from, grouped by label."""
    seeds = sorted(n for n, d in g.nodes(data=True) if d.get("seed")) or \
        sorted(g.nodes, key=lambda n: (-g.degree(n), n))[:1]
    hop = {n: 0 for n in seeds}
    parent: dict[str, str] = {}
    frontier = list(seeds)
    while frontier:
        nxt = []
        for n in frontier:
            for m in sorted({*g.predecessors(n), *g.successors(n)}):
                if m not in hop:
                    hop[m], parent[m] = hop[n] + 1, n
                    nxt.append(m)
        frontier = nxt
    rings: dict[int, list[str]] = defaultdict(list)
    for n in g.nodes:
        rings[hop.get(n, max(hop.values(), default=0) + 1)].append(n)
    angle: dict[str, float] = {}
    pos: dict[str, tuple[float, float]] = {}
    total, inside = g.number_of_nodes(), 0
    for depth in sorted(rings):
        members = sorted(rings[depth], key=lambda n: (angle.get(parent.get(n, ""), 0.0),
                                                      _ORDER.get(g.nodes[n].get("label"), 99), n))
        # A ring's radius grows with the nodes inside it, so a crowded ring gets room.
        inside += len(members)
        radius = 0.5 * math.sqrt(inside / total) if depth else 0.0
        for i, n in enumerate(members):
            a = 2 * math.pi * (i + 0.5) / len(members) - math.pi / 2 if depth else 0.0
            angle[n] = a % (2 * math.pi)
            pos[n] = (round(0.5 + radius * math.cos(a), 4), round(0.5 + radius * math.sin(a), 4))
    return pos


def neighbourhood_data(store: Store, g: nx.MultiDiGraph) -> dict[str, Any]:
    """Nodes (with place, properties and quotes) and edges of ``g``, for the page."""
    pos = _layout(g)
    quotes = _evidence(store, g.nodes)
    nodes = []
    for nid, d in sorted(g.nodes(data=True), key=lambda x: x[0]):
        props = [[k, _prop_text(v)] for k, v in sorted((d.get("props") or {}).items())
                 if k not in _HIDDEN_PROPS and v not in (None, "", [])]
        x, y = pos[nid]
        nodes.append({"id": nid, "label": d.get("label", ""), "name": str(d.get("name") or nid),
                      "x": x, "y": y, "seed": bool(d.get("seed")), "props": props,
                      "quotes": quotes.get(nid, [])})
    edges = [{"s": a, "t": b, "rel": str(d.get("rel", "")), "n": int(d.get("count", 1) or 1)}
             for a, b, d in g.edges(data=True)]
    return {"nodes": nodes, "edges": edges, "styles": LABEL_STYLES}
