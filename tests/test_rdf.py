"""Streamed RDF exports, SPARQL over the store, progress bars."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, load_samples

from casegraph.cli import main
from casegraph.graph.export import export, guess_format
from casegraph.graph.store import Store

RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "jsonld": "json-ld", "xml": "xml"}
AWKWARD = 'She said "no" <b>twice</b> \\ back\\slash\nnew line\r\ttab — Zoë, Łódź, 社会福祉, قضية'


def _parse(path: Path, fmt: str) -> set:
    """The triples rdflib reads from an exported file (N-Quads: those of every graph)."""
    from rdflib import Dataset, Graph

    if fmt == "nq":
        ds = Dataset()
        ds.parse(path, format="nquads")
        return {(s, p, o) for s, p, o, _g in ds.quads()}
    return set(Graph().parse(path, format=RDFLIB_FORMATS[fmt]))


@pytest.fixture(scope="module")
def triples(sample_store):
    from casegraph.graph.rdf import iter_triples

    every = list(iter_triples(sample_store))
    assert len(every) == len(set(every)) > 3000
    return set(every)


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS))
def test_every_rdf_format_parses_back_to_the_same_triples(sample_store, triples, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    export(sample_store, fmt, out)
    assert guess_format(out) == fmt
    assert _parse(out, fmt) == triples


def test_streamed_ntriples_equal_rdflibs_serialisation(sample_store, tmp_path):
    from rdflib import Graph

    from casegraph.graph.rdf import to_rdflib_graph

    export(sample_store, "nt", tmp_path / "ours.nt")
    ours = (tmp_path / "ours.nt").read_text("utf-8")
    reference = to_rdflib_graph(sample_store).serialize(format="nt")
    assert "_:" not in ours  # no blank nodes: line sets compare exactly
    lines = ours.splitlines()
    assert len(lines) == len(set(lines))
    assert set(lines) == set(reference.splitlines()) - {""}
    assert set(Graph().parse(data=ours, format="nt")) == set(Graph().parse(data=reference, format="nt"))


def test_nquads_put_every_triple_in_one_named_graph(sample_store):
    out = io.StringIO()
    export(sample_store, "nq", out, base="https://example.org/kg/")
    lines = out.getvalue().splitlines()
    assert lines and all(line.endswith(" <https://example.org/kg/graph> .") for line in lines)


def test_turtle_is_grouped_by_subject(sample_store):
    out = io.StringIO()
    export(sample_store, "ttl", out)
    subjects = re.findall(r"^(<[^>]*>)\n", out.getvalue(), flags=re.M)
    assert len(subjects) == len(set(subjects)) > 500
    assert "@base <https://casegraph.org/id/> ." in out.getvalue()


def test_shacl_conforms_on_every_sample(sample_store):
    from casegraph.graph.rdf import validate

    conforms, report = validate(sample_store)
    assert conforms, report


def test_iris_do_not_depend_on_load_order(tmp_path):
    names = sorted(p.name for p in SAMPLES.iterdir())
    one = load_samples(Store(tmp_path / "one.db"), *names)
    two = load_samples(Store(tmp_path / "two.db"), *reversed(names))
    texts = []
    for store in (one, two):
        out = io.StringIO()
        export(store, "nt", out)
        texts.append(out.getvalue())
    iris = [set(re.findall(r"<([^>]*)>", text)) for text in texts]
    assert iris[0] == iris[1] and len(iris[0]) > 500
    # the links too (names may differ: the first document naming an agency names it)
    links = [set(re.findall(r"^<[^>]*> <[^>]*> <[^>]*> \.$", text, flags=re.M)) for text in texts]
    assert len(links[0]) > 1000
    assert links[0] == links[1]


def _awkward_store(path: Path) -> Store:
    store = Store(path)
    props = json.dumps({"text": AWKWARD, "polarity": "shortfall"})
    store.db.execute("INSERT INTO documents (id, sha256, path, abspath) VALUES (1, 'ab12', 'x.txt', '/x.txt')")
    store.db.execute("INSERT INTO nodes VALUES ('document:ab12', 'Document', 'x', '{}')")
    store.db.execute("INSERT INTO nodes VALUES ('finding:ab12:0', 'Finding', ?, ?)", (AWKWARD, props))
    store.db.execute("INSERT INTO evidence (owner, doc, start, \"end\", quote) VALUES "
                     "('finding:ab12:0', 1, 0, 10, ?)", (AWKWARD,))
    return store


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS))
def test_awkward_text_round_trips(tmp_path, fmt):
    from rdflib import URIRef

    store = _awkward_store(tmp_path / "awkward.db")
    out = tmp_path / f"awkward.{fmt}"
    export(store, fmt, out)
    parsed = _parse(out, fmt)
    cg = "https://casegraph.org/ns#"
    for pred in ("text", "quote"):
        values = {str(o) for _s, p, o in parsed if p == URIRef(cg + pred)}
        assert values == {AWKWARD}, (fmt, pred, values)
    assert not any(type(t).__name__ == "BNode" for triple in parsed for t in triple)


def test_characters_xml_cannot_carry_become_spaces_in_every_format(tmp_path):
    store = _awkward_store(tmp_path / "awkward.db")
    store.db.execute("UPDATE evidence SET quote = ?, paragraph = ?, extractor = 'x'", ('form\x0cfeed "q"', "7\x0b1"))
    for fmt in RDFLIB_FORMATS:
        out = tmp_path / f"ff.{fmt}"
        export(store, fmt, out)
        values = {str(o) for _s, _p, o in _parse(out, fmt)}
        assert {'form feed "q"', "7 1"} <= values, fmt


def test_every_rdf_format_streams_without_rdflib(tmp_path):
    """RDF/XML included: no export builds an rdflib graph (nor imports rdflib)."""
    store = _awkward_store(tmp_path / "awkward.db")
    store.db.commit()
    code = ("import sys; from casegraph.graph.export import export; from casegraph.graph.store import Store; "
            f"store = Store({str(tmp_path / 'awkward.db')!r}, create=False); "
            f"[export(store, f, {str(tmp_path)!r} + '/streamed.' + f) for f in {sorted(RDFLIB_FORMATS)!r}]; "
            "print('rdflib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    triples = _parse(tmp_path / "streamed.nt", "nt")
    assert len(triples) > 10
    for fmt in RDFLIB_FORMATS:
        assert _parse(tmp_path / f"streamed.{fmt}", fmt) == triples, fmt


def test_awkward_text_through_sparql(tmp_path):
    from casegraph.graph.sparql import run_sparql

    store = _awkward_store(tmp_path / "awkward.db")
    rows = run_sparql(store, "SELECT ?text WHERE { ?f a cg:Finding ; cg:text ?text }")
    assert rows == [{"text": AWKWARD}]


def test_a_base_that_cannot_be_an_iri_is_refused(sample_store):
    from casegraph.errors import CasegraphError

    with pytest.raises(CasegraphError, match="base IRI"):
        export(sample_store, "nt", io.StringIO(), base="https://example.org/a b/")


# -- SPARQL ----------------------------------------------------------------------------

def _readme_block(name: str) -> str:
    """The SPARQL block of the README that follows the line naming ``name``."""
    readme = (ROOT / "README.md").read_text("utf-8")
    match = re.search(rf"docs/sparql/{name}\.rq\n```sparql\n(.*?)```", readme, flags=re.S)
    assert match, f"README shows no block for docs/sparql/{name}.rq"
    return match.group(1)


@pytest.mark.parametrize("name", ["repeated-failures", "lessons"])
def test_readme_shows_the_query_files(name):
    assert _readme_block(name) == (ROOT / "docs" / "sparql" / f"{name}.rq").read_text("utf-8")


def test_readme_sparql_answers_like_the_named_query(sample_store):
    from casegraph.graph.queries import run_query
    from casegraph.graph.sparql import run_sparql

    rows = run_sparql(sample_store, _readme_block("repeated-failures"))
    named = run_query(sample_store, "repeated-failures", min_reviews=2)
    assert len(named) > 5
    assert sorted((r["agency"], r["locality"], r["theme"], r["reviews"]) for r in rows) == \
        sorted((r["agency"], r["locality"], r["theme"], r["reviews"]) for r in named)


def test_readme_lessons_query_answers_like_a_walk_of_the_graph(sample_store):
    from rdflib import URIRef

    from casegraph.graph.rdf import CG, iter_triples
    from casegraph.graph.sparql import run_sparql

    rows = run_sparql(sample_store, _readme_block("lessons"))
    # The same question by hand over the triples: a later review's shortfall on a
    # theme an earlier review of the same locality recommended on.
    out: dict[tuple, set] = {}
    for s, p, o in iter_triples(sample_store):
        out.setdefault((s, p), set()).add(o)

    def one(s, name):
        return next(iter(out.get((s, URIRef(CG + name)), ()) or out.get((s, URIRef(name)), ())), None)

    label, issued = "http://www.w3.org/2000/01/rdf-schema#label", "http://purl.org/dc/terms/issued"
    reviews = {s for (s, p) in out if p == URIRef(CG + "found") or p == URIRef(CG + "recommends")}
    place = {r: {one(c, "locality") for c in out.get((r, URIRef(CG + "reviews")), ())} for r in reviews}
    year = {r: str(one(r, issued))[:4] for r in reviews}
    expected = set()
    for earlier in reviews:
        for rec in out.get((earlier, URIRef(CG + "recommends")), ()):
            for theme in out.get((rec, URIRef(CG + "hasTheme")), ()):
                for later in reviews:
                    if year[later] <= year[earlier] or not place[later] & place[earlier]:
                        continue
                    for finding in out.get((later, URIRef(CG + "found")), ()):
                        if str(one(finding, "polarity")) == "shortfall" and \
                                theme in out.get((finding, URIRef(CG + "hasTheme")), ()):
                            for agency in out.get((finding, URIRef(CG + "implicates")), ()):
                                expected.add((str(theme).rsplit("/", 1)[1], str(one(earlier, label)),
                                              str(one(later, label)), str(one(agency, label))))
    assert expected and {(r["theme"], r["recommended_in"], r["found_again_in"], r["agency"]) for r in rows} == expected
    assert any(r["addressed_to_it"] for r in rows) and not all(r["addressed_to_it"] for r in rows)


def test_sparql_index_is_reused_until_the_store_changes(tmp_path):
    from casegraph.graph.sparql import index_path, run_sparql

    store = load_samples(Store(tmp_path / "s.db"), "harwick-baby-r-scr-2017.md")
    count = "SELECT (COUNT(?r) AS ?n) WHERE { ?r a cg:Review }"
    assert run_sparql(store, count) == [{"n": 1}]
    index = index_path(store) / "index"
    built = index.stat().st_ino
    assert run_sparql(store, count) == [{"n": 1}]
    assert index.stat().st_ino == built  # not rebuilt
    load_samples(store, "harwick-child-l-cspr-2021.txt")
    assert run_sparql(store, count) == [{"n": 2}]
    assert index.stat().st_ino != built
    # another process reads the same index
    code = ("import sys; from casegraph.graph.store import Store; from casegraph.graph.sparql import run_sparql; "
            f"print(run_sparql(Store(sys.argv[1], create=False), {count!r}))")
    out = subprocess.run([sys.executable, "-c", code, store.path], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[{'n': 2}]"


def test_sparql_command(runner, sample_store, tmp_path):
    query = ROOT / "docs" / "sparql" / "repeated-failures.rq"
    result = runner.invoke(main, ["sparql", str(query), "--format", "json", "--store", sample_store.path],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all(isinstance(r["reviews"], int) for r in rows)
    result = runner.invoke(main, ["sparql", "SELECT ?name WHERE { ?a a cg:Agency ; rdfs:label ?name } "
                                  "ORDER BY ?name LIMIT 2", "--format", "csv", "--store", sample_store.path])
    assert result.exit_code == 0 and result.stdout.splitlines()[0] == "name"
    assert len(result.stdout.splitlines()) == 3
    result = runner.invoke(main, ["sparql", "ASK { ?a a cg:Case }", "--store", sample_store.path])
    assert "True" in result.stdout
    result = runner.invoke(main, ["sparql", "SELECT WHERE nothing", "--store", sample_store.path])
    assert result.exit_code == 1 and "SPARQL syntax" in result.stderr
    result = runner.invoke(main, ["sparql", "ASK{}", "--store", sample_store.path])
    assert result.exit_code == 0 and "True" in result.stdout
    result = runner.invoke(main, ["sparql", "docs/sparql/no-such.rq", "--store", sample_store.path])
    assert result.exit_code == 1 and "docs/sparql/no-such.rq: no such query file" in result.stderr
    result = runner.invoke(main, ["sparql", "ASK {}", "--store", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no store" in result.stderr


# -- output targets and progress -------------------------------------------------------

def test_export_streams_to_stdout_and_keeps_links_and_pipes(runner, sample_store, tmp_path):
    result = runner.invoke(main, ["export", "--format", "nt", "--store", sample_store.path],
                           catch_exceptions=False)
    assert result.exit_code == 0 and result.stdout.count(" .\n") > 3000
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    target = tmp_path / "real.ttl"
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    export(sample_store, "ttl", link)
    assert link.is_symlink() and target.stat().st_size > 1000
    fifo = tmp_path / "pipe.nt"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    export(sample_store, "nt", fifo)
    reader.join(10)
    assert fifo.is_fifo() and got[0].count(b" .\n") > 3000
    assert not list(tmp_path.glob(".*.part"))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_only():
    from casegraph.progress import progress_bar

    screen = _Terminal()
    with progress_bar(10, "exporting", "items", stream=screen) as advance:
        for _ in range(4):
            advance(1)
    shown = screen.getvalue()
    assert "exporting" in shown and "4/10" in shown and "items/s" in shown
    piped = io.StringIO()
    with progress_bar(10, "exporting", "items", stream=piped) as advance:
        advance(5)
    assert piped.getvalue() == ""


def test_export_reports_progress_up_to_its_total(sample_store):
    from casegraph.graph.rdf import progress_total

    calls: list[int] = []
    export(sample_store, "ttl", io.StringIO(), progress=calls.append)
    assert sum(calls) == progress_total(sample_store) > 0


def test_load_prints_only_its_summary_when_piped(runner, tmp_path):
    result = runner.invoke(main, ["load", str(SAMPLES / "harwick-baby-r-scr-2017.md"),
                                  "--store", str(tmp_path / "p.db")], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [f"1 loaded, 0 replaced, 0 unchanged, 0 failed -> {tmp_path / 'p.db'}"]


def test_cli_import_does_not_load_pyoxigraph():
    code = "import sys, casegraph.cli; print(sorted({'pyoxigraph', 'rdflib', 'orjson'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pyoxigraph" not in out.stdout and "rdflib" not in out.stdout
