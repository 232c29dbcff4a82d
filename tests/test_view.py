"""The HTML views without a browser: their data against the named queries, the
page's escaping and self-containment, the node budget, dates on the case timeline,
the neighbourhood selection and the `view` command."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
from datetime import date

import pytest
from conftest import SAMPLES, load_samples

from casegraph.cli import main
from casegraph.errors import NodeNotFound
from casegraph.graph.queries import run_query
from casegraph.graph.store import Store
from casegraph.graph.views import ViewOptions, select_subgraph, write_view
from casegraph.graph.views.failures import failure_data
from casegraph.graph.views.neighbourhood import cap_subgraph
from casegraph.graph.views.page import script_json
from casegraph.graph.views.timeline import case_data, contact_dates
from casegraph.loaders.extract import extract
from casegraph.schema.record import Document

CHILD_L = "case:harwick:child-l:2020"
HCSC = "agency:harwick:children-social-care"


def page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', page, re.S)
    assert m, "the page carries its data"
    return json.loads(m.group(1))


# -- the repeated-failure network and matrix -----------------------------------------

@pytest.mark.parametrize("by", ["agency", "agency-type"])
@pytest.mark.parametrize("min_reviews", [1, 2])
def test_failure_edges_are_the_query_rows(sample_store, by, min_reviews):
    rows = run_query(sample_store, "repeated-failures", by=by, min_reviews=min_reviews, evidence=True)
    data = failure_data(sample_store, by=by, min_reviews=min_reviews)
    key = "agency_type_id" if by == "agency-type" else "agency_id"
    prefix = "agencytype:" if by == "agency-type" else ""
    assert rows
    assert [(e["s"], e["t"], e["n"]) for e in data["edges"]] == \
        [(prefix + r[key], "theme:" + r["theme"], r["reviews"]) for r in rows]
    for e, r in zip(data["edges"], rows, strict=True):
        # every review behind the count, each with the query's own quote
        reviews = {data["reviews"][it[0]][0] for it in e["e"]}
        assert reviews == {c["review_id"] for c in r["evidence"]}
        quotes = {data["quotes"][it[2]][0] for it in e["e"] if len(it) > 2}
        assert quotes == {c["quote"][:400] for c in r["evidence"]}
    names = {n["id"]: n["name"] for n in data["nodes"]}
    assert {e["s"] for e in data["edges"]} | {e["t"] for e in data["edges"]} == set(names)
    assert all(names[n] and not names[n].startswith(("agency:", "theme:")) for n in names)


def test_failure_filters_are_the_querys(sample_store):
    rows = run_query(sample_store, "repeated-failures", by="agency-type", min_reviews=1, locality="Dunmore",
                     since=2020)
    data = failure_data(sample_store, by="agency-type", min_reviews=1, filters=_filters(locality="Dunmore",
                                                                                          since=2020))
    assert rows and [e["n"] for e in data["edges"]] == [r["reviews"] for r in rows]
    assert all(data["places"][it[1]] == "Dunmore" for e in data["edges"] for it in e["e"])


def _filters(**kw):
    from casegraph.graph.views.failures import Filters

    return Filters(**kw)


def test_over_the_node_budget_the_network_shows_agency_types(sample_store, tmp_path, capsys):
    summary = write_view(sample_store, tmp_path / "n.html", max_nodes=10)
    data = page_data((tmp_path / "n.html").read_text("utf-8"))
    assert data["by"] == "agency-type" and all(e["s"].startswith("agencytype:") for e in data["edges"])
    assert "budget of 10 nodes" in data["note"] and "agency type" in data["note"]
    assert "budget of 10 nodes" in summary.note and "budget of 10 nodes" in capsys.readouterr().err
    typed = run_query(sample_store, "repeated-failures", by="agency-type")
    assert len(data["edges"]) == len(typed)


def test_a_page_is_self_contained_and_carries_its_data_as_json(sample_store):
    buf = io.StringIO()
    summary = write_view(sample_store, buf, kind="matrix")
    page = buf.getvalue()
    assert page.startswith("<!DOCTYPE html>") and summary.path is None and summary.kind == "matrix"
    assert not re.search(r"\b(?:src|href)\s*=", page), "nothing is fetched"
    assert "<style>" in page and "function matrix()" in page
    assert len(page_data(page)["edges"]) == summary.edges


def test_script_json_cannot_close_its_element():
    hostile = ["</script><script>alert(1)</script>", "<!--", "a\u2028b", "&amp;"]
    text = script_json({"x": hostile})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"x": hostile}


def test_markup_in_a_document_stays_inside_the_data(tmp_path):
    text = (SAMPLES / "harwick-child-l-cspr-2021.txt").read_text("utf-8")
    evil = "</script><script>alert(1)</script>"
    text = text.replace("6.1 Information was not shared between agencies",
                        f"6.1 Information {evil} was not shared between agencies", 1)
    text = text.replace("5.1 In January 2019 Mother attended the GP practice",
                        "5.1 In January 2019 Mother <img src=x onerror=alert(2)> attended the GP practice", 1)
    doc = Document(path=str(tmp_path / "evil.txt"), sha256=hashlib.sha256(text.encode()).hexdigest(), text=text)
    store = Store(":memory:")
    store.load(extract(doc))
    for options in (ViewOptions(min_reviews=1), ViewOptions(kind="matrix", min_reviews=1),
                    ViewOptions(kind="case", case="Child L"),
                    ViewOptions(kind="neighbourhood", case="Child L", depth=2)):
        buf = io.StringIO()
        write_view(store, buf, options)
        page = buf.getvalue()
        assert "<script>alert" not in page and "<img src=x" not in page
        assert page.count("<script") == 2  # the data block and the page's own script
        assert evil in json.dumps(page_data(page)) or "<img src=x" in json.dumps(page_data(page))


def test_unknown_kind_and_missing_case_are_clear_errors(sample_store, tmp_path, runner):
    from casegraph.errors import CasegraphError

    with pytest.raises(CasegraphError, match="needs --case"):
        write_view(sample_store, tmp_path / "x.html", kind="case")
    with pytest.raises(CasegraphError, match="no view kind"):
        write_view(sample_store, tmp_path / "x.html", kind="pie")
    with pytest.raises(NodeNotFound, match="Baby Nobody"):
        write_view(sample_store, tmp_path / "x.html", kind="case", case="Baby Nobody")
    assert not (tmp_path / "x.html").exists()


# -- the case timeline -----------------------------------------------------------------

def test_contact_dates_read_the_chronology_words():
    got = contact_dates(["", "In January 2019 Mother", "On 12 February 2019", "Two days later",
                         "The midwife saw", "Later in February", "In March", "three weeks later",
                         "In January"])
    assert [d for d, _, _ in got] == [
        date(2019, 1, 1), date(2019, 1, 1), date(2019, 2, 12), date(2019, 2, 14), date(2019, 2, 14),
        date(2019, 2, 14), date(2019, 3, 1), date(2019, 3, 22), date(2020, 1, 1)]
    assert [stated for *_, stated in got] == [False, True, True, True, False, True, True, True, True]
    assert contact_dates(["no date", "none"]) == [(None, "", False), (None, "", False)]


def test_case_contacts_are_those_of_the_query_in_date_order(sample_store):
    data = case_data(sample_store, "Child L")
    rows = run_query(sample_store, "case", id="Child L")
    assert sorted(c["summary"] for c in data["contacts"]) == sorted(r["summary"] for r in rows)
    dates = [c["date"] for c in data["contacts"]]
    assert all(dates) and dates == sorted(dates)
    xs = [c["x"] for c in data["contacts"]]
    assert xs == sorted(xs) and len(set(xs)) == len(xs) and 0 <= xs[0] and xs[-1] == 1
    assert {data["lanes"][c["lane"]]["name"] for c in data["contacts"]} == {r["agency"] for r in rows}
    assert {"missed", "declined", "not-followed-up"} <= {c["status"] for c in data["contacts"]}
    assert data["findings"] and data["recommendations"]
    assert any(c["document"] and c["paragraph"] for c in data["contacts"])


# -- neighbourhoods -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def harwick(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return load_samples(Store(tmp_path_factory.mktemp("view") / "view.db"), "harwick-child-l-cspr-2021.txt",
                        "harwick-baby-r-scr-2017.md", "news-harwick-child-l-gazette.txt")


def test_case_neighbourhood_includes_contacts(harwick):
    g = select_subgraph(harwick, case=CHILD_L)
    labels = {d["label"] for _n, d in g.nodes(data=True)}
    assert {"Case", "Review", "Contact", "Agency", "Person"} <= labels
    assert g.nodes[CHILD_L].get("seed") and "Finding" not in labels
    assert "case:harwick:baby-r:2016" not in g
    deeper = select_subgraph(harwick, case=CHILD_L, depth=2)
    assert "Finding" in {d["label"] for _n, d in deeper.nodes(data=True)} and set(g) < set(deeper)
    assert set(select_subgraph(harwick, case="child l")) == set(g)


def test_agency_neighbourhood_by_id_name_or_alias(harwick):
    by_id = select_subgraph(harwick, agency=HCSC)
    assert HCSC in by_id and by_id.nodes[HCSC].get("seed")
    for name in ("harwick children's social care", "HCSC", "hcsc"):
        assert set(select_subgraph(harwick, agency=name)) == set(by_id)
    with pytest.raises(NodeNotFound, match="Ministry of Magic"):
        select_subgraph(harwick, agency="Ministry of Magic")


def test_views_and_queries_find_a_case_or_agency_alike(harwick, runner, tmp_path):
    # "L" is part of one case's name: the case view, the query and the neighbourhood all take it.
    assert case_data(harwick, "L")["case"]["id"] == CHILD_L
    assert {r["summary"] for r in run_query(harwick, "case", id="L")} == \
        {c["summary"] for c in case_data(harwick, CHILD_L)["contacts"]}
    assert [n for n, d in select_subgraph(harwick, case="L").nodes(data=True) if d.get("seed")] == [CHILD_L]
    assert set(select_subgraph(harwick, case="L")) == set(select_subgraph(harwick, case=CHILD_L))
    result = runner.invoke(main, ["view", "-o", str(tmp_path / "n.html"), "--kind", "neighbourhood",
                                  "--case", "L", "--store", harwick.path])
    assert result.exit_code == 0, result.output
    # Nothing matching: the same error, with the nearest names, from every one of them.
    for label, typo, lookups in (
            ("Case", "Chld L", [lambda t: case_data(harwick, t), lambda t: run_query(harwick, "case", id=t),
                                lambda t: select_subgraph(harwick, case=t)]),
            ("Agency", "Harwick Childrens Social Cre", [lambda t: run_query(harwick, "agency", name=t),
                                                        lambda t: select_subgraph(harwick, agency=t)])):
        errors = set()
        for lookup in lookups:
            with pytest.raises(NodeNotFound) as caught:
                lookup(typo)
            errors.add(str(caught.value))
        [error] = errors
        assert error.startswith(f"no {label} matching {typo!r}; did you mean "), error
    result = runner.invoke(main, ["view", "-o", str(tmp_path / "x.html"), "--kind", "neighbourhood",
                                  "--case", "Chld L", "--store", harwick.path])
    assert result.exit_code == 1
    assert result.stderr == "Error: no Case matching 'Chld L'; did you mean 'Child L (Harwick)'?\n"


def test_neighbourhood_page_is_laid_out_and_capped(harwick, tmp_path):
    summary = write_view(harwick, tmp_path / "c.html", kind="neighbourhood", case=CHILD_L, depth=2, max_nodes=30)
    data = page_data((tmp_path / "c.html").read_text("utf-8"))
    assert summary.nodes == len(data["nodes"]) <= 30 and "capped at 30" in data["note"]
    assert CHILD_L in {n["id"] for n in data["nodes"]}
    centre = next(n for n in data["nodes"] if n["id"] == CHILD_L)
    assert (centre["x"], centre["y"]) == (0.5, 0.5)
    assert all(0 <= n["x"] <= 1 and 0 <= n["y"] <= 1 for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])
    g, note = cap_subgraph(select_subgraph(harwick, case=CHILD_L), 1000)
    assert note == ""


# -- the command -------------------------------------------------------------------------

def test_view_command_writes_each_kind(sample_store, runner, tmp_path):
    store = sample_store.path
    for args, kind in ((["--by", "agency-type"], "network"), (["--kind", "matrix", "--min-reviews", "3"], "matrix"),
                       (["--kind", "case", "--case", "Child L"], "case"),
                       (["--kind", "neighbourhood", "--agency", HCSC], "neighbourhood")):
        out = tmp_path / f"{kind}.html"
        result = runner.invoke(main, ["view", "-o", str(out), "--store", store, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert result.stderr.startswith(f"{out}: {kind}:")
        assert f'data-kind="{kind}"' in out.read_text("utf-8")
    result = runner.invoke(main, ["view", "-o", str(tmp_path / "x.html"), "--store", store, "--kind", "case"])
    assert result.exit_code == 1 and "needs --case" in result.output


def test_importing_views_is_light():
    code = ("import sys, casegraph.graph.views, casegraph.graph.views.page; "
            "print(sorted(m for m in ('networkx', 'rdflib', 'pyshacl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_examples_in_view_help_run_on_the_samples(runner, sample_store, tmp_path, monkeypatch):
    import shlex

    monkeypatch.chdir(tmp_path)  # the examples write their -o files here
    shown = runner.invoke(main, ["view", "--help"]).output
    examples = [shlex.split(line)[1:] for line in shown.splitlines() if line.strip().startswith("casegraph view")]
    assert len(examples) >= 4
    for args in examples:
        result = runner.invoke(main, [*args, "--store", sample_store.path])
        assert result.exit_code == 0, (args, result.output)
