"""An interactive HTML view of the graph, or of one part of it, in one file.

:func:`select_subgraph` reads only the rows a view needs into a networkx
MultiDiGraph: by default the connected Case, Review, Agency, Finding, Theme,
RiskFactor and Recommendation nodes (unused vocabulary, contacts and documents
left out); with ``case`` or ``agency`` the neighbourhood of that node up to
``depth`` hops (contacts, people and documents included); with ``query_rows``
the agencies, themes and reviews of repeated-failures rows and the findings that
link them. :func:`cap_subgraph` keeps a large selection readable by folding
contacts, findings and recommendations into counted edges and then keeping the
best-connected nodes. :func:`write_view` draws the result with pyvis (vis-network
inlined, so the file works offline) with a legend, tooltips quoting the evidence,
and filters by label and by theme.

Every piece of document text is passed through :func:`html.escape` before it goes
into a label or tooltip; the page turns escaped tooltips into DOM nodes and
escaped labels back into plain canvas text, so markup in a document is shown,
never run. pyvis and networkx are imported inside the functions.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from casegraph.errors import NodeNotFound

if TYPE_CHECKING:
    import networkx as nx

    from casegraph.graph.store import Store

__all__ = [
    "DEFAULT_LABELS",
    "LABEL_STYLES",
    "ViewSummary",
    "cap_subgraph",
    "render_html",
    "select_subgraph",
    "write_view",
]

LABEL_STYLES: dict[str, tuple[str, str]] = {
    "Case": ("#d62728", "star"),
    "Review": ("#1f77b4", "box"),
    "Agency": ("#2ca02c", "diamond"),
    "Finding": ("#ff7f0e", "dot"),
    "Recommendation": ("#9467bd", "triangle"),
    "Theme": ("#17becf", "hexagon"),
    "RiskFactor": ("#8c564b", "triangleDown"),
    "Contact": ("#7f7f7f", "square"),
    "Person": ("#e377c2", "ellipse"),
    "Document": ("#bcbd22", "database"),
    "AgencyType": ("#98df8a", "ellipse"),
}
"""Node label -> (colour, vis-network shape); the legend lists them in this order."""

DEFAULT_LABELS: tuple[str, ...] = (
    "Case", "Review", "Agency", "Finding", "Theme", "RiskFactor", "Recommendation")
"""Labels of the default (whole-graph) view."""

_VOCABULARY = frozenset({"AgencyType", "Theme", "RiskFactor"})
_ORDER = {label: i for i, label in enumerate(LABEL_STYLES)}
_SIZES = {"Case": 28, "Review": 22, "Agency": 22, "Theme": 18, "RiskFactor": 16,
          "AgencyType": 16}
# Labels folded into counted edges, in this order, when a view is over max_nodes.
_FOLD = ("Contact", "Finding", "Recommendation", "Document", "Person")
_CHUNK = 500
_QUOTES = 3
_QUOTE_CHARS = 300
_PROP_CHARS = 240
_HIDDEN_PROPS = frozenset({"sha256", "seq", "summary"})


@dataclass
class ViewSummary:
    """What :func:`write_view` drew."""

    path: str | None
    nodes: int
    edges: int
    capped: bool = False
    note: str = ""
    labels: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        text = f"{self.nodes} nodes, {self.edges} edges"
        return f"{text}; {self.note}" if self.capped and self.note else text


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


# -- finding the nodes asked for --------------------------------------------------

def _match_cases(store: Store, case: str) -> list[str]:
    text = case.strip()
    low = text.lower()
    rows = store.query("SELECT id, name FROM nodes WHERE label = 'Case'")
    exact, loose = [], []
    for nid, name in ((r[0], r[1] or "") for r in rows):
        lid, lname = nid.lower(), name.lower()
        if lid in (low, f"case:{low}"):
            exact.append(nid)
        elif low in (lname, lname.split(" (")[0]) or lid.startswith(
                (f"{low}:", f"case:{low}:")):
            loose.append(nid)
    found = exact or loose
    if not found:
        raise NodeNotFound(f"no case {case!r} in the store; `casegraph query cases` lists them")
    return sorted(found)


def _match_agencies(store: Store, agency: str) -> list[str]:
    low = agency.strip().lower()
    rows = store.query("SELECT id, name, props FROM nodes WHERE label = 'Agency'")
    exact, named = [], []
    for r in rows:
        nid, name, props = r[0], r[1] or "", json.loads(r[2] or "{}")
        if nid.lower() in (low, f"agency:{low}"):
            exact.append(nid)
        elif low == name.lower() or low in {str(a).lower() for a in props.get("aliases") or []}:
            named.append(nid)
    found = exact or named
    if not found:
        raise NodeNotFound(
            f"no agency {agency!r} in the store (matched against ids, names and aliases)")
    return sorted(found)


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


def _as_list(value: Any) -> list[str]:
    if value is None or isinstance(value, (int, float)):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                return [str(v) for v in json.loads(text)]
            except json.JSONDecodeError:
                pass
        return [v.strip() for v in text.split(",") if v.strip()]
    return [str(v) for v in value]


def _lookup(store: Store, label: str, prefix: str, value: Any) -> str | None:
    """A node id of ``label`` from an id, an id without its prefix, or a name."""
    if value in (None, ""):
        return None
    text = str(value)
    for candidate in (text, f"{prefix}:{text}"):
        if store.query("SELECT 1 FROM nodes WHERE id = ? AND label = ?", (candidate, label)):
            return candidate
    rows = store.query("SELECT id FROM nodes WHERE label = ? AND lower(name) = lower(?)",
                       (label, text))
    return rows[0][0] if rows else None


def _query_selection(store: Store, rows: Iterable[Any]) -> set[str]:
    """Agencies, themes and reviews of repeated-failures rows and the findings that
    link them. Rows name their reviews in their evidence (``review_id`` or ``review``)."""
    ids: set[str] = set()
    for raw in rows:
        row = dict(raw)
        theme = _lookup(store, "Theme", "theme", row.get("theme"))
        agency = _lookup(store, "Agency", "agency", row.get("agency_id"))
        agency_type = None
        if agency is None:
            agency_type = _lookup(store, "AgencyType", "agencytype",
                                  row.get("agency_type_id") or row.get("agency_type"))
            if agency_type is None:
                agency = _lookup(store, "Agency", "agency", row.get("agency"))
        reviews = [r for r in _as_list(row.get("reviews")) if r.startswith("review:")]
        for cite in row.get("evidence") or []:
            rid = cite.get("review_id") or _lookup(store, "Review", "review", cite.get("review"))
            if rid and rid not in reviews:
                reviews.append(rid)
        if agency is None and agency_type is None and theme is None:
            continue
        sql = ("SELECT DISTINCT fo.src, fo.dst, im.dst FROM edges fo "
               "JOIN edges im ON im.src = fo.dst AND im.rel = 'IMPLICATES' ")
        args: list[Any] = []
        if theme:
            sql += "JOIN edges th ON th.src = fo.dst AND th.rel = 'HAS_THEME' AND th.dst = ? "
            args.append(theme)
        if agency_type:
            sql += ("JOIN edges ot ON ot.src = im.dst AND ot.rel = 'OF_TYPE' "
                    "AND ot.dst = ? ")
            args.append(agency_type)
        sql += "WHERE fo.rel = 'FOUND'"
        if agency:
            sql += " AND im.dst = ?"
            args.append(agency)
        if reviews:
            sql += f" AND fo.src IN ({_marks(len(reviews))})"
            args += reviews
        for review, finding, implicated in store.query(sql, tuple(args)):
            ids.update((review, finding, implicated))
        ids.update(x for x in (theme, agency, agency_type, *reviews) if x)
    return ids


def select_subgraph(store: Store, *, query_rows: Iterable[Any] | None = None,
                    case: str | None = None, agency: str | None = None,
                    depth: int = 1) -> nx.MultiDiGraph:
    """The part of the graph a view shows, as a MultiDiGraph.

    Nodes carry ``label``, ``name``, ``props`` (and ``seed`` for the case/agency asked
    for); edges are keyed by rel and carry ``rel`` and ``count`` (1). ``case`` and
    ``agency`` select neighbourhoods (an unknown one raises NodeNotFound);
    ``query_rows`` selects the subgraph behind repeated-failures rows; given several,
    the view is their union; given none, the connected core of the graph.
    """
    if case is None and agency is None and query_rows is None:
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

    ids: set[str] = set()
    seeds: set[str] = set()
    if case is not None:
        found, s = _neighbourhood(store, _match_cases(store, case), depth)
        ids |= found
        seeds |= s
    if agency is not None:
        found, s = _neighbourhood(store, _match_agencies(store, agency), depth)
        ids |= found
        seeds |= s
    if query_rows is not None:
        ids |= _query_selection(store, query_rows)
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


# -- drawing ---------------------------------------------------------------------------

def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _short(text: str, limit: int) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _prop_text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _evidence(store: Store, owners: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for chunk in _chunks(sorted(set(owners))):
        for r in store.query(
                'SELECT e.owner, e.quote, e.paragraph, e.page, d.path FROM evidence e '
                "LEFT JOIN documents d ON d.id = e.doc "
                f"WHERE e.owner IN ({_marks(len(chunk))}) ORDER BY e.owner, e.id", tuple(chunk)):
            items = out[r[0]]
            if len(items) < _QUOTES and all(i["quote"] != r[1] for i in items):
                items.append({"quote": r[1] or "", "paragraph": r[2], "page": r[3],
                              "path": r[4]})
    return out


def _quotes_html(items: list[dict[str, Any]]) -> str:
    parts = []
    for ev in items:
        ref = []
        if ev.get("paragraph"):
            ref.append(f"¶ {ev['paragraph']}")
        if ev.get("page") is not None:
            ref.append(f"p. {ev['page']}")
        if ev.get("path"):
            ref.append(os.path.basename(str(ev["path"])))
        parts.append(f"<div class=\"cg-quote\">“{_esc(_short(ev['quote'], _QUOTE_CHARS))}”"
                     f"<div class=\"cg-ref\">{_esc(', '.join(ref))}</div></div>")
    return "".join(parts)


def _no_href(markup: str) -> str:
    # pyvis swaps in its own innerHTML popup when a title contains "href"; the
    # character reference keeps the text identical without triggering that.
    return markup.replace("href", "&#104;ref")


def _node_title(nid: str, data: dict[str, Any], quotes: list[dict[str, Any]]) -> str:
    label, name, props = data.get("label", ""), data.get("name", ""), data.get("props") or {}
    rows = []
    for key, value in sorted(props.items()):
        if key in _HIDDEN_PROPS or value in (None, "", []):
            continue
        limit = 600 if key == "text" else _PROP_CHARS
        rows.append(f"<tr><th>{_esc(key)}</th><td>{_esc(_short(_prop_text(value), limit))}"
                    "</td></tr>")
    body = (f"<div class=\"cg-title\"><b>{_esc(label)}</b>: {_esc(name)}</div>"
            f"<div class=\"cg-id\">{_esc(nid)}</div>")
    if rows:
        body += "<table>" + "".join(rows[:10]) + "</table>"
    if quotes:
        body += _quotes_html(quotes)
    return _no_href(body)


def _themes_of(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Theme ids each node belongs to, for the theme filter: a theme itself, nodes
    with an edge to it, and the neighbours of themed findings and recommendations."""
    direct: dict[str, set[str]] = defaultdict(set)
    for a, b, d in g.edges(data=True):
        if d.get("rel") == "BROADER":
            continue
        for x, y in ((a, b), (b, a)):
            if g.nodes[y].get("label") == "Theme":
                direct[x].add(y)
    out: dict[str, set[str]] = defaultdict(set)
    for n, d in g.nodes(data=True):
        if d.get("label") == "Theme":
            out[n].add(n)
        out[n] |= direct[n]
        if d.get("label") in ("Finding", "Recommendation"):
            for m in (*g.predecessors(n), *g.successors(n)):
                out[m] |= direct[n]
    return {n: sorted(t) for n, t in out.items()}


_CSS = """
body { font-family: system-ui, sans-serif; margin: 0; }
#cg-controls { padding: 8px 12px; border-bottom: 1px solid #ddd; background: #fafafa; }
#cg-controls h1 { font-size: 1.1em; margin: 0 0 6px 0; }
#cg-legend { display: inline-block; border: 1px solid #ddd; padding: 4px 8px; margin: 0; }
#cg-legend legend { font-weight: bold; font-size: .9em; }
.cg-item { margin-right: 12px; white-space: nowrap; font-size: .9em; cursor: pointer; }
.cg-swatch { display: inline-block; width: 12px; height: 12px; margin: 0 3px;
             vertical-align: middle; border: 1px solid #555; }
#cg-theme-box { display: inline-block; margin-left: 16px; font-size: .9em; }
#cg-note { color: #a33; font-size: .85em; margin-top: 4px; }
.cg-tip { max-width: 420px; white-space: normal; font-size: 12px; }
.cg-tip table { border-collapse: collapse; margin: 4px 0; }
.cg-tip th { text-align: left; padding-right: 6px; vertical-align: top; color: #555; }
.cg-id { color: #777; font-size: 11px; }
.cg-quote { margin-top: 4px; font-style: italic; border-left: 3px solid #ccc; padding-left: 5px; }
.cg-ref { font-style: normal; color: #666; font-size: 11px; }
div.vis-tooltip { white-space: normal; }
"""

_SCRIPT = """
<script type="text/javascript">
(function () {
  // Titles and labels arrive HTML-escaped: tooltips become DOM nodes built from that
  // escaped markup, labels are decoded to plain text for the canvas.
  function tip(markup) {
    var d = document.createElement("div");
    d.className = "cg-tip";
    d.innerHTML = markup || "";
    return d;
  }
  function plain(text) {
    var t = document.createElement("textarea");
    t.innerHTML = text || "";
    return t.value;
  }
  nodes.update(nodes.get().map(function (n) {
    return {id: n.id, label: plain(n.label), title: tip(n.title)};
  }));
  edges.update(edges.get().map(function (e) {
    return {id: e.id, label: plain(e.label), title: tip(e.title)};
  }));
  function apply() {
    var hidden = {};
    document.querySelectorAll("#cg-legend input[data-label]").forEach(function (c) {
      hidden[c.getAttribute("data-label")] = !c.checked;
    });
    var theme = document.getElementById("cg-theme").value;
    nodes.update(nodes.get().map(function (n) {
      var off = !!hidden[n.cg_label] ||
        (theme !== "" && (n.cg_themes || []).indexOf(theme) < 0);
      return {id: n.id, hidden: off};
    }));
  }
  document.querySelectorAll("#cg-legend input, #cg-theme").forEach(function (c) {
    c.addEventListener("change", apply);
  });
})();
</script>
"""

_OPTIONS: dict[str, Any] = {
    "interaction": {"hover": True, "tooltipDelay": 120, "multiselect": True},
    "physics": {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -70, "springLength": 110,
                             "avoidOverlap": 0.2},
        "stabilization": {"iterations": 400},
    },
    "edges": {
        "smooth": {"type": "dynamic"},
        "font": {"size": 9, "align": "middle", "color": "#555"},
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "color": {"color": "#9a9a9a", "highlight": "#333"},
    },
    "nodes": {"font": {"size": 12}},
}


def _controls(g: nx.MultiDiGraph, heading: str, note: str,
              themes: dict[str, list[str]]) -> str:
    counts = Counter(d.get("label") for _n, d in g.nodes(data=True))
    items = []
    for label in sorted(counts, key=lambda lab: (_ORDER.get(lab, 99), lab)):
        colour, shape = LABEL_STYLES.get(label, ("#97c2fc", "dot"))
        items.append(
            f"<label class=\"cg-item\"><input type=\"checkbox\" data-label=\"{_esc(label)}\" "
            f"checked><span class=\"cg-swatch\" style=\"background:{_esc(colour)}\"></span>"
            f"{_esc(label)} <small>({_esc(shape)}, {counts[label]})</small></label>")
    theme_ids = sorted({t for ts in themes.values() for t in ts},
                       key=lambda t: str(g.nodes[t].get("name") if t in g else t).lower())
    options = "".join(
        f"<option value=\"{_esc(t)}\">{_esc(g.nodes[t].get('name') if t in g else t)}</option>"
        for t in theme_ids)
    note_html = f"<div id=\"cg-note\">{_esc(note)}</div>" if note else ""
    return (
        "<div id=\"cg-controls\">"
        f"<h1>{_esc(heading)}</h1>"
        "<fieldset id=\"cg-legend\"><legend>Legend (untick to hide)</legend>"
        + "".join(items) + "</fieldset>"
        "<span id=\"cg-theme-box\"><label for=\"cg-theme\">Theme: </label>"
        "<select id=\"cg-theme\"><option value=\"\">all themes</option>"
        + options + "</select></span>"
        + note_html + "</div>")


def _edge_label(d: dict[str, Any]) -> str:
    rel = str(d.get("rel", ""))
    count = int(d.get("count", 1) or 1)
    return f"{rel} ×{count}" if d.get("folded") else rel


def render_html(store: Store, g: nx.MultiDiGraph, *, heading: str = "casegraph",
                note: str = "") -> str:
    """One self-contained HTML page drawing ``g`` (from :func:`select_subgraph`)."""
    from pyvis.network import Network

    net = Network(height="780px", width="100%", directed=True, cdn_resources="in_line",
                  heading="", select_menu=False, filter_menu=False)
    net.options = json.loads(json.dumps(_OPTIONS))
    themes = _themes_of(g)
    edge_keys = [f"{a}|{d.get('rel')}|{b}" for a, b, d in g.edges(data=True)
                 if not d.get("folded")]
    quotes = _evidence(store, [*g.nodes, *edge_keys])
    degree = dict(g.degree())
    for nid, d in sorted(g.nodes(data=True), key=lambda x: x[0]):
        label = str(d.get("label", ""))
        colour, shape = LABEL_STYLES.get(label, ("#97c2fc", "dot"))
        name = str(d.get("name") or nid)
        net.add_node(
            nid, label=_esc(_short(name, 40)), shape=shape, color=colour,
            title=_node_title(nid, d, quotes.get(nid, [])),
            size=_SIZES.get(label, 12) + min(degree.get(nid, 0), 20) // 4,
            borderWidth=3 if d.get("seed") else 1,
            cg_label=label, cg_themes=themes.get(nid, []),
        )
    for a, b, d in g.edges(data=True):
        count = int(d.get("count", 1) or 1)
        title = f"<b>{_esc(_edge_label(d))}</b>"
        if d.get("folded"):
            title += (f"<div>{count} {_esc(d['folded'])} node(s) link "
                      f"{_esc(g.nodes[a].get('name'))} and {_esc(g.nodes[b].get('name'))}</div>")
        else:
            title += _quotes_html(quotes.get(f"{a}|{d.get('rel')}|{b}", []))
        net.add_edge(a, b, label=_esc(_edge_label(d)), title=_no_href(title),
                     width=1 + min(count, 12) / 3, cg_rel=str(d.get("rel", "")))
    page = net.generate_html()
    # Self-contained: pyvis' template links Bootstrap from a CDN; nothing here needs it.
    page = re.sub(r"<link[^>]*bootstrap[^>]*>\s*", "", page)
    page = re.sub(r"<script[^>]*bootstrap[^>]*>\s*</script>\s*", "", page)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>\s*", "", page)
    page = re.sub(r"<!--(?:(?!-->).)*node_modules(?:(?!-->).)*-->\s*", "", page, flags=re.S)
    head = f"<title>{_esc(heading)}</title>\n<style type=\"text/css\">{_CSS}</style>\n"
    page = page.replace("</head>", head + "</head>", 1)
    page = page.replace("<body>", "<body>\n" + _controls(g, heading, note, themes), 1)
    cut = page.rfind("</body>")
    page = page[:cut] + _SCRIPT + page[cut:]
    return "<!DOCTYPE html>\n" + page


def _heading(query_rows: Any, case: str | None, agency: str | None, depth: int) -> str:
    parts = []
    if case:
        parts.append(f"case {case}")
    if agency:
        parts.append(f"agency {agency}")
    if (case or agency) and depth != 1:
        parts.append(f"depth {depth}")
    if query_rows is not None:
        parts.append("repeated failures")
    return "casegraph: " + (", ".join(parts) if parts else "whole graph")


def write_view(store: Store, path_or_file: str | os.PathLike[str] | IO[str], *,
               query_rows: Iterable[Any] | None = None, case: str | None = None,
               agency: str | None = None, depth: int = 1,
               max_nodes: int = 400) -> ViewSummary:
    """Write one self-contained HTML view to a path or an open text file.

    See :func:`select_subgraph` for the selection and :func:`cap_subgraph` for what
    happens over ``max_nodes`` (the note is also printed on stderr).
    """
    if query_rows is not None:
        query_rows = list(query_rows)
    g = select_subgraph(store, query_rows=query_rows, case=case, agency=agency, depth=depth)
    g, note = cap_subgraph(g, max_nodes)
    if note:
        print(f"casegraph view: {note}", file=sys.stderr)
    page = render_html(store, g, heading=_heading(query_rows, case, agency, depth), note=note)
    path: str | None = None
    if isinstance(path_or_file, (str, os.PathLike)):
        target = Path(path_or_file)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        path = str(target)
    else:
        path_or_file.write(page)
        path = getattr(path_or_file, "name", None)
        path = path if isinstance(path, str) else None
    labels = dict(Counter(str(d.get("label")) for _n, d in g.nodes(data=True)))
    return ViewSummary(path=path, nodes=g.number_of_nodes(), edges=g.number_of_edges(),
                       capped=bool(note), note=note, labels=labels)
