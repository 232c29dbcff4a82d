"""The HTML view: selection, legend, tooltips with quotes, escaping, capping."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
from typing import Any

import pytest
from conftest import SAMPLES, load_samples

from casegraph.errors import NodeNotFound
from casegraph.graph.store import Store
from casegraph.graph.view import DEFAULT_LABELS, select_subgraph, write_view
from casegraph.loaders.extract import extract
from casegraph.schema.record import Document

NAMES = ("harwick-child-l-cspr-2021.txt", "harwick-baby-r-scr-2017.md",
         "news-harwick-child-l-gazette.txt")
CHILD_L = "case:harwick:child-l:2020"
HCSC = "agency:harwick:children-social-care"
HARWICK_ALL = "agency:harwick:all-agencies"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return load_samples(Store(tmp_path_factory.mktemp("view") / "view.db"), *NAMES)


def vis_data(page: str, name: str) -> list[dict[str, Any]]:
    """The node or edge list pyvis embedded in the page."""
    marker = f"{name} = new vis.DataSet("
    start = page.index(marker) + len(marker)
    data, _end = json.JSONDecoder().raw_decode(page, start)
    return data


# -- the page -------------------------------------------------------------------------

def test_view_writes_one_page_with_legend_and_quoting_tooltips(store, tmp_path):
    out = tmp_path / "graph.html"
    summary = write_view(store, out)
    page = out.read_text("utf-8")
    nodes, edges = vis_data(page, "nodes"), vis_data(page, "edges")
    assert summary.path == str(out)
    assert (summary.nodes, summary.edges, summary.capped) == (len(nodes), len(edges), False)
    assert summary.nodes > 20 and summary.edges > summary.nodes

    # legend: one entry per label drawn, with its colour and shape
    assert 'id="cg-legend"' in page and "Legend" in page
    for label in {n["cg_label"] for n in nodes}:
        assert f'data-label="{label}"' in page
    assert "star" in page and "#d62728" in page  # Case
    # filter UI: label checkboxes and a theme select listing the themes drawn
    assert 'id="cg-theme"' in page
    assert 'value="theme:information-sharing"' in page

    # tooltips: name, props and evidence quotes with paragraph refs
    finding = next(n for n in nodes if n["cg_label"] == "Finding")
    quote = store.evidence(finding["id"])[0]["quote"]
    assert finding["title"].count('class="cg-quote"') >= 1
    assert _norm(quote)[:60] in _norm(finding["title"])
    assert any("¶ " in n["title"] for n in nodes)
    agency = next(n for n in nodes if n["id"] == HCSC)
    assert "Harwick Children&#x27;s Social Care" in agency["title"]
    # edges are labelled by rel
    assert {"FOUND", "HAS_THEME", "IMPLICATES"} <= {e["label"] for e in edges}

    # self-contained: vis-network inlined, nothing fetched from elsewhere
    assert "vis.Network" in page
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)


def _norm(text: str) -> str:
    import html

    return re.sub(r"\s+", " ", html.unescape(text))


def test_view_to_an_open_text_file(store):
    buf = io.StringIO()
    summary = write_view(store, buf, case=CHILD_L)
    assert buf.getvalue().startswith("<!DOCTYPE html>")
    assert summary.path is None and summary.nodes == len(vis_data(buf.getvalue(), "nodes"))
    assert str(summary).startswith(f"{summary.nodes} nodes, {summary.edges} edges")


def test_markup_in_a_document_is_escaped_never_run(tmp_path):
    text = (SAMPLES / NAMES[0]).read_text("utf-8")
    evil = "<script>alert(1)</script>"
    text = text.replace("6.1 Information was not shared between agencies",
                        f"6.1 Information {evil} was not shared between agencies <b>href</b>", 1)
    text = text.replace("5.1 In January 2019 Mother attended the GP practice",
                        "5.1 In January 2019 Mother <img src=x onerror=alert(2)> attended the GP "
                        "practice", 1)
    assert evil in text and "<img src=x" in text
    doc = Document(path=str(tmp_path / "evil.txt"), sha256=hashlib.sha256(text.encode())
                   .hexdigest(), text=text)
    store = Store(":memory:")
    store.load(extract(doc))
    # the markup reached the graph, so the view has to deal with it
    assert any(evil in str(p.get("text", "")) for _i, _l, _n, p in store.nodes("Finding"))
    assert any("<img src=x" in str(p.get("summary", "")) for *_x, p in store.nodes("Contact"))

    for kwargs in ({}, {"case": next(i for i, *_ in store.nodes("Case")), "depth": 2}):
        out = tmp_path / "evil.html"
        write_view(store, out, **kwargs)
        page = out.read_text("utf-8")
        assert "<script>alert(1)" not in page
        assert "<img src=x" not in page
        titles = " ".join(n["title"] for n in vis_data(page, "nodes"))
        labels = " ".join(n["label"] for n in vis_data(page, "nodes"))
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in titles  # only the escaped form
        if kwargs:
            assert "&lt;img src=x onerror=alert(2)&gt;" in titles + labels
        assert "<script" not in titles and "<img" not in titles and "<img" not in labels
        assert "href" not in titles  # pyvis would switch to its raw innerHTML popup


# -- selections -----------------------------------------------------------------------

def test_default_selection_is_the_connected_core(store):
    g = select_subgraph(store)
    labels = {d["label"] for _n, d in g.nodes(data=True)}
    assert labels <= set(DEFAULT_LABELS)
    assert {"Case", "Review", "Agency", "Finding", "Theme"} <= labels
    for n, d in g.nodes(data=True):
        real = [e for e in (*g.in_edges(n, data=True), *g.out_edges(n, data=True))
                if e[2]["rel"] != "BROADER"]
        assert real, f"{n} ({d['label']}) drawn without a link"
    vocab = sum(1 for _ in store.nodes("Theme"))
    assert sum(1 for _n, d in g.nodes(data=True) if d["label"] == "Theme") < vocab


def test_case_neighbourhood_includes_contacts(store):
    g = select_subgraph(store, case=CHILD_L)
    labels = {d["label"] for _n, d in g.nodes(data=True)}
    assert {"Case", "Review", "Contact", "Agency", "Person"} <= labels
    assert g.nodes[CHILD_L].get("seed")
    assert "Finding" not in labels  # two hops away, via the review
    assert all(g.has_edge(CHILD_L, n) or g.has_edge(n, CHILD_L) for n in g if n != CHILD_L)
    assert "case:harwick:baby-r:2016" not in g

    deeper = select_subgraph(store, case=CHILD_L, depth=2)
    assert "Finding" in {d["label"] for _n, d in deeper.nodes(data=True)}
    assert set(g) < set(deeper)
    # by name, case-insensitively, as the CLI help shows ("--case 'Baby C'")
    assert set(select_subgraph(store, case="child l")) == set(g)


def test_agency_neighbourhood_by_id_name_or_alias(store):
    by_id = select_subgraph(store, agency=HCSC)
    assert HCSC in by_id and by_id.nodes[HCSC].get("seed")
    assert "Finding" in {d["label"] for _n, d in by_id.nodes(data=True)}
    assert "agencytype:children-social-care" in by_id
    for name in ("harwick children's social care", "HCSC", "hcsc"):
        assert set(select_subgraph(store, agency=name)) == set(by_id)


def test_unknown_case_or_agency_raises_node_not_found(store, tmp_path):
    with pytest.raises(NodeNotFound, match="Baby Nobody"):
        select_subgraph(store, case="Baby Nobody")
    with pytest.raises(NodeNotFound, match="Ministry of Magic"):
        write_view(store, tmp_path / "x.html", agency="Ministry of Magic")
    assert not (tmp_path / "x.html").exists()


def _repeated_failure_row(store: Store) -> dict[str, Any]:
    """A repeated-failures row as the brief describes it, computed from the store."""
    rows = store.query(
        "SELECT im.dst AS agency, th.dst AS theme, group_concat(DISTINCT fo.src) AS reviews "
        "FROM edges fo JOIN edges im ON im.src = fo.dst AND im.rel = 'IMPLICATES' "
        "JOIN edges th ON th.src = fo.dst AND th.rel = 'HAS_THEME' "
        "WHERE fo.rel = 'FOUND' AND im.dst = ? GROUP BY im.dst, th.dst "
        "HAVING count(DISTINCT fo.src) >= 2 ORDER BY th.dst LIMIT 1", (HARWICK_ALL,))
    assert rows, "the two Harwick reviews share a theme for all agencies of Harwick"
    r = rows[0]
    return {"agency_id": r["agency"], "agency_type": "all-agencies", "theme": r["theme"].removeprefix("theme:"),
            "reviews": r["reviews"].split(",")}


def test_query_rows_select_agencies_themes_reviews_and_linking_findings(store, tmp_path):
    row = _repeated_failure_row(store)
    g = select_subgraph(store, query_rows=[row])
    theme = f"theme:{row['theme']}"
    assert {HARWICK_ALL, theme, *row["reviews"]} <= set(g)
    findings = [n for n, d in g.nodes(data=True) if d["label"] == "Finding"]
    assert findings
    for f in findings:
        assert g.has_edge(f, theme, key="HAS_THEME") and g.has_edge(f, HARWICK_ALL, key="IMPLICATES")
        assert any(g.has_edge(r, f, key="FOUND") for r in row["reviews"])
    assert {d["label"] for _n, d in g.nodes(data=True)} <= {"Agency", "Theme", "Review",
                                                           "Finding"}
    by_type = {"agency_type": row["agency_type"], "theme": row["theme"], "reviews": row["reviews"]}
    g2 = select_subgraph(store, query_rows=[by_type])
    assert HARWICK_ALL in g2 and "agencytype:all-agencies" in g2
    summary = write_view(store, tmp_path / "q.html", query_rows=[row])
    assert summary.nodes == g.number_of_nodes()


def test_query_rows_from_the_named_query(store):
    queries = pytest.importorskip("casegraph.graph.queries")
    rows = queries.run_query(store, "repeated-failures", min_reviews=2)
    if not rows:
        pytest.skip("no repeated failures in these samples")
    g = select_subgraph(store, query_rows=rows)
    assert any(d["label"] == "Finding" for _n, d in g.nodes(data=True))
    assert {r["agency_id"] for r in rows} <= set(g)


def test_large_graphs_are_capped_with_a_note(store, tmp_path, capsys):
    summary = write_view(store, tmp_path / "cap.html", max_nodes=30)
    assert summary.capped and summary.nodes <= 30
    assert "capped at 30" in summary.note and "Finding" in summary.note
    assert "capped at 30" in capsys.readouterr().err
    page = (tmp_path / "cap.html").read_text("utf-8")
    assert 'id="cg-note"' in page
    nodes = vis_data(page, "nodes")
    assert len(nodes) == summary.nodes
    assert "Finding" not in {n["cg_label"] for n in nodes}
    assert any("×" in e["label"] for e in vis_data(page, "edges"))  # counts on folded edges
    # a chosen case is never the node that gets dropped
    kept = write_view(store, tmp_path / "c.html", case=CHILD_L, depth=2, max_nodes=12)
    assert kept.capped and CHILD_L in {n["id"] for n in
                                       vis_data((tmp_path / "c.html").read_text("utf-8"),
                                                "nodes")}


def test_importing_view_is_light():
    code = ("import sys, casegraph.graph.view, casegraph.graph.export; "
            "print(sorted(m for m in ('pyvis', 'networkx', 'rdflib', 'pyshacl') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
