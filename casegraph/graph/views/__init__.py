"""Interactive HTML views, each one self-contained file that works offline.

Kinds, by name (:data:`KINDS`): ``network`` (the default: agencies or agency types
and themes, one line per repeated failure), ``matrix`` (the same counts as a heat
map), ``case`` (one case's contacts on a timeline) and ``neighbourhood`` (a case's or
an agency's surroundings in the graph). Each kind's data is gathered and laid out
here, in Python; the page only draws it.

>>> from casegraph.graph.store import Store
>>> import io
>>> write_view(Store(":memory:"), io.StringIO()).kind
'network'
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from casegraph.errors import CasegraphError

if TYPE_CHECKING:
    from casegraph.graph.store import Store

__all__ = ["KINDS", "ViewOptions", "ViewSummary", "select_subgraph", "write_view"]

KINDS = ("network", "matrix", "case", "neighbourhood")


@dataclass
class ViewOptions:
    """What a view shows; each kind reads the fields it needs."""

    kind: str = "network"
    by: str = "agency"
    min_reviews: int = 2
    locality: str | None = None
    review_type: str | None = None
    since: int | None = None
    until: int | None = None
    case: str | None = None
    agency: str | None = None
    depth: int = 1
    max_nodes: int = 150


@dataclass
class ViewSummary:
    """What :func:`write_view` drew."""

    kind: str
    path: str | None
    nodes: int
    edges: int
    note: str = ""

    def __str__(self) -> str:
        parts = {"network": "nodes, {e} repeated failures", "matrix": "rows and columns, {e} cells",
                 "case": "agencies, {e} contacts", "neighbourhood": "nodes, {e} edges"}
        text = f"{self.kind}: {self.nodes} " + parts[self.kind].format(e=self.edges)
        return f"{text}; {self.note}" if self.note else text


def select_subgraph(store: Store, **selection: Any) -> Any:
    """See :func:`casegraph.graph.views.neighbourhood.select_subgraph`."""
    from casegraph.graph.views.neighbourhood import select_subgraph as select

    return select(store, **selection)


def _data(store: Store, o: ViewOptions) -> tuple[str, dict[str, Any], int, int]:
    """(title, page data, nodes, edges) of one view."""
    if o.kind in ("network", "matrix"):
        from casegraph.graph.views.failures import Filters, failure_data

        filters = Filters(locality=o.locality, review_type=o.review_type, since=o.since, until=o.until)
        data = failure_data(store, by=o.by, min_reviews=o.min_reviews, filters=filters,
                            max_nodes=o.max_nodes)
        scope = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in filters.items())
        title = (f"Repeated failures by {data['by'].replace('-', ' ')}: found in at least "
                 f"{o.min_reviews} reviews" + (f" ({scope})" if scope else ""))
        return title, data, len(data["nodes"]), len(data["edges"])
    if o.kind == "case":
        from casegraph.graph.views.timeline import case_data

        if not o.case:
            raise CasegraphError("the case view needs --case ID (`casegraph query cases` lists them)")
        data = case_data(store, o.case)
        return f"Contacts with {data['case']['name']}", data, len(data["lanes"]), len(data["contacts"])
    if o.kind == "neighbourhood":
        from casegraph.graph.views.neighbourhood import cap_subgraph, neighbourhood_data
        from casegraph.graph.views.neighbourhood import select_subgraph as select

        if not (o.case or o.agency):
            raise CasegraphError("the neighbourhood view needs --case or --agency")
        g, note = cap_subgraph(select(store, case=o.case, agency=o.agency, depth=o.depth), o.max_nodes)
        data = neighbourhood_data(store, g)
        data["note"] = note
        about = " and ".join(x for x in (o.case and f"case {o.case}", o.agency and f"agency {o.agency}") if x)
        return f"Neighbourhood of {about} (depth {o.depth})", data, len(data["nodes"]), len(data["edges"])
    raise CasegraphError(f"no view kind {o.kind!r}; choose from {', '.join(KINDS)}")


def write_view(store: Store, path_or_file: str | os.PathLike[str] | IO[str],
               options: ViewOptions | None = None, **fields: Any) -> ViewSummary:
    """Write one view to a path or an open text file.

    ``options`` (or its fields as keywords) say which view; a note about what was
    aggregated or left out is on the page and also printed on stderr.
    """
    from casegraph.graph.views.page import render_page

    o = options or ViewOptions(**fields)
    title, data, nodes, edges = _data(store, o)
    note = data.get("note", "")
    if note:
        print(f"casegraph view: {note}", file=sys.stderr)
    page = render_page(o.kind, title, data)
    path: str | None = None
    if isinstance(path_or_file, (str, os.PathLike)):
        target = Path(path_or_file)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        path = str(target)
    else:
        path_or_file.write(page)
        name = getattr(path_or_file, "name", None)
        path = name if isinstance(name, str) else None
    return ViewSummary(kind=o.kind, path=path, nodes=nodes, edges=edges, note=note)
