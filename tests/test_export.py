"""Exports: every registered format, RDF round trips and stable IRIs, SHACL, Neo4j CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import load_samples

from casegraph.errors import CasegraphError
from casegraph.graph.export import EXPORTERS, export, exporter, guess_format
from casegraph.graph.store import Store

NAMES = ("harwick-child-l-cspr-2021.txt", "harwick-baby-r-scr-2017.md",
         "news-harwick-child-l-gazette.txt")
CG = "https://casegraph.org/ns#"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return load_samples(Store(tmp_path_factory.mktemp("export") / "export.db"), *NAMES)


# -- registry -------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_exporter_runs(store, tmp_path, fmt, capsys):
    out = tmp_path / ("neo4j" if fmt == "neo4j-csv" else f"graph.{fmt}")
    result = export(store, fmt, out)
    if fmt == "neo4j-csv":
        assert out.is_dir() and len(list(out.glob("*.csv"))) > 5
        assert result and result.startswith("neo4j-admin database import full")
        assert result in capsys.readouterr().err
    else:
        assert result is None
        assert out.stat().st_size > 1000
        assert guess_format(out) == fmt


def test_guess_format_and_unknown_formats(tmp_path):
    assert guess_format("g.ttl") == "ttl"
    assert guess_format("g.JSONLD") == "jsonld"
    assert guess_format("g.nt") == "nt"
    assert guess_format("g.rdf") == guess_format("g.xml") == "xml"
    assert guess_format("g.graphml") == "graphml"
    assert guess_format("g.gexf") == "gexf"
    assert guess_format(tmp_path) == "neo4j-csv"
    assert guess_format("neo4j-import") == "neo4j-csv"
    with pytest.raises(CasegraphError, match="ttl.*neo4j-csv"):
        guess_format("g.docx")
    with pytest.raises(CasegraphError, match="stdout"):
        guess_format("-")
    with pytest.raises(CasegraphError) as err:
        export(Store(":memory:"), "pdf", tmp_path / "x.pdf")
    for choice in EXPORTERS:
        assert choice in str(err.value)
    assert exporter("turtle") is exporter("ttl")


def test_exports_to_stdout_and_open_files(store, capsys):
    export(store, "nt", "-")
    assert "<https://casegraph.org/id/case/harwick/child-l/2020>" in capsys.readouterr().out
    binary, text = io.BytesIO(), io.StringIO()
    export(store, "ttl", binary)
    export(store, "ttl", text)
    assert binary.getvalue().decode("utf-8") == text.getvalue()
    graphml = io.StringIO()
    export(store, "graphml", graphml)
    assert graphml.getvalue().lstrip().startswith("<?xml")
    with pytest.raises(CasegraphError, match="folder"):
        export(store, "neo4j-csv", "-")


def test_importing_export_does_not_import_rdflib():
    code = ("import sys, casegraph.graph.export; "
            "print([m for m in ('rdflib', 'networkx', 'pyshacl') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


# -- RDF ------------------------------------------------------------------------------

def test_turtle_round_trip_keeps_every_triple(store, tmp_path):
    from rdflib import Graph

    from casegraph.graph.rdf import iter_triples

    triples = list(iter_triples(store))
    assert len(triples) == len(set(triples))  # each yielded once
    export(store, "ttl", tmp_path / "g.ttl")
    parsed = Graph().parse(tmp_path / "g.ttl", format="turtle")
    assert len(parsed) == len(triples)
    assert set(parsed) == set(triples)


@pytest.mark.parametrize(("fmt", "parser"), [("nt", "nt"), ("xml", "xml"),
                                              ("jsonld", "json-ld")])
def test_other_rdf_formats_round_trip(store, tmp_path, fmt, parser):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from casegraph.graph.rdf import to_rdflib_graph

    out = tmp_path / f"g.{fmt}"
    export(store, fmt, out)
    assert isomorphic(Graph().parse(out, format=parser), to_rdflib_graph(store))


def test_jsonld_uses_the_shipped_context(store, tmp_path):
    shipped = json.loads(resources.files("casegraph.schema").joinpath("context.jsonld")
                         .read_text("utf-8"))
    export(store, "jsonld", tmp_path / "g.jsonld")
    data = json.loads((tmp_path / "g.jsonld").read_text("utf-8"))
    assert data["@context"] == shipped["@context"]
    nodes = data["@graph"]
    finding = next(n for n in nodes if "Finding" in (n.get("type") or []))
    assert finding["polarity"] in ("shortfall", "good-practice")
    assert finding["wasDerivedFrom"]
    evidence = next(n for n in nodes if "Evidence" in (n.get("type") or []))
    assert isinstance(evidence["start"], int) and evidence["quote"]  # native JSON numbers
    contact = next(n for n in nodes if "Contact" in (n.get("type") or []))
    assert isinstance(contact["missed"], bool)


def test_vocabulary_and_provenance_terms(store):
    from rdflib import URIRef
    from rdflib.namespace import RDF, SKOS

    from casegraph.graph.rdf import node_iri, to_rdflib_graph

    g = to_rdflib_graph(store)
    org = "http://www.w3.org/ns/org#"
    prov = "http://www.w3.org/ns/prov#"
    agency = URIRef(node_iri("agency:harwick:children-social-care"))
    assert (agency, RDF.type, URIRef(org + "Organization")) in g
    assert (agency, URIRef(org + "classification"),
            URIRef(node_iri("agencytype:children-social-care"))) in g
    assert (URIRef(node_iri("theme:information-sharing")), RDF.type, SKOS.Concept) in g
    assert len(set(g.objects(None, SKOS.inScheme))) == 3
    succ = URIRef(node_iri("agency:harwick:safeguarding-children-partnership"))
    event = next(g.objects(succ, URIRef(org + "resultedFrom")))
    assert (event, URIRef(org + "originalOrganization"),
            URIRef(node_iri("agency:harwick:safeguarding-children-board"))) in g
    finding = next(s for s in g.subjects(RDF.type, URIRef(CG + "Finding")))
    evidence = next(g.objects(finding, URIRef(prov + "wasDerivedFrom")))
    assert (evidence, RDF.type, URIRef(prov + "Entity")) in g
    doc = next(g.objects(evidence, URIRef(CG + "document")))
    assert (doc, RDF.type, URIRef(CG + "Document")) in g
    # a risk factor's evidence hangs off a reified statement
    stmt = next(g.subjects(RDF.predicate, URIRef(CG + "hasRiskFactor")))
    assert next(g.objects(stmt, URIRef(prov + "wasDerivedFrom")), None) is not None


def test_iris_are_stable_across_stores(tmp_path):
    from casegraph.graph.rdf import iter_triples

    one = load_samples(Store(tmp_path / "one.db"), *NAMES[:2])
    two = load_samples(Store(tmp_path / "two.db"), *NAMES[:2])
    first, second = set(iter_triples(one)), set(iter_triples(two))
    assert first == second
    assert {str(s) for s, _p, _o in first if "/evidence/" in str(s)}
    # another base moves every node, and only the base changes
    other = {str(s) for s, _p, _o in iter_triples(two, base="https://example.org/kg/")}
    assert "https://example.org/kg/case/harwick/child-l/2020" in other


def test_awkward_ids_give_valid_iris(tmp_path):
    from rdflib import Graph, URIRef

    from casegraph.graph.rdf import node_iri, to_rdflib_graph

    store = Store(":memory:")
    nid = 'agency:zürich:"Ms O\'Brien" 社会福祉 <b>#1?x=1&y|z'
    store.db.execute("INSERT INTO nodes VALUES (?, 'Agency', ?, '{}')", (nid, "Ünïcode <body>"))
    store.db.execute("INSERT INTO edges VALUES (?, 'OF_TYPE', 'agencytype:police', 'x')", (nid,))
    iri = node_iri(nid)
    assert re.fullmatch(r"[A-Za-z0-9\-._~%/:]+", iri), iri
    assert unquote(iri.removeprefix("https://casegraph.org/id/")).split("/") == nid.split(":")
    assert node_iri("a:b/c") != node_iri("a:b:c")  # '/' inside a part is encoded
    g = to_rdflib_graph(store)
    assert (URIRef(iri), None, None) in g
    for fmt in ("turtle", "nt", "xml"):
        back = Graph().parse(data=g.serialize(format=fmt), format=fmt)
        assert len(back) == len(g) and (URIRef(iri), None, None) in back


def test_cg_terms_are_declared_in_the_ontology(store):
    from rdflib import Graph, URIRef
    from rdflib.namespace import OWL, RDF

    from casegraph.graph.rdf import iter_triples

    onto = Graph().parse(data=resources.files("casegraph.schema").joinpath("ontology.ttl")
                         .read_text("utf-8"), format="turtle")
    declared = {str(s) for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
                for s in onto.subjects(RDF.type, kind)}
    used = set()
    for _s, p, o in iter_triples(store):
        if str(p).startswith(CG):
            used.add(str(p))
        if p == RDF.type and isinstance(o, URIRef) and str(o).startswith(CG):
            used.add(str(o))
    assert used and used <= declared, sorted(used - declared)


def test_shacl_validation(store):
    from casegraph.graph.rdf import validate

    conforms, report = validate(store)
    assert conforms, report

    broken = Store(":memory:")
    broken.db.execute("INSERT INTO nodes VALUES ('finding:x:0', 'Finding', 'f', "
                      "'{\"polarity\": \"maybe\"}')")
    broken.db.execute("INSERT INTO nodes VALUES ('review:x', 'Review', 'r', "
                      "'{\"type\": \"XYZ\"}')")
    broken.db.execute("INSERT INTO nodes VALUES ('agency:x:y', 'Agency', 'Y', '{}')")
    conforms, report = validate(broken)
    assert not conforms
    for message in ("cg:text", "polarity", "wasDerivedFrom", "reviewType",
                    "org:classification"):
        assert message in report, message


# -- networkx and Neo4j -----------------------------------------------------------------

def test_graphml_and_gexf_read_back(store, tmp_path):
    import networkx as nx

    export(store, "graphml", tmp_path / "g.graphml")
    export(store, "gexf", tmp_path / "g.gexf")
    n_nodes = store.counts()["nodes"]
    # edges whose both ends exist (an extractor may point at an unknown agency type)
    n_edges = store.query("SELECT count(*) FROM (SELECT DISTINCT src, rel, dst FROM edges "
                          "WHERE src IN (SELECT id FROM nodes) AND dst IN (SELECT id FROM nodes))"
                          )[0][0]
    for g in (nx.read_graphml(tmp_path / "g.graphml"), nx.read_gexf(tmp_path / "g.gexf")):
        assert g.number_of_nodes() == n_nodes and g.number_of_edges() == n_edges
    g = nx.read_graphml(tmp_path / "g.graphml")
    hcsc = g.nodes["agency:harwick:children-social-care"]
    assert hcsc["nodetype"] == "Agency" and "; " in hcsc["aliases"]
    person = next(d for _n, d in g.nodes(data=True) if d["nodetype"] == "Person")
    assert isinstance(person["age_days"], int)


def _csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_neo4j_csv_headers_and_ids(store, tmp_path, capsys):
    folder = tmp_path / "neo"
    command = export(store, "neo4j-csv", folder)
    header = {p.name: _csv(p)[0] for p in folder.glob("*.csv")}
    labels = {r[0] for r in store.query("SELECT DISTINCT label FROM nodes")}
    for label in labels:
        h = header[f"nodes_{label}.csv"]
        assert h[:2] == ["id:ID", "name"] and h[-1] == ":LABEL", h
    assert "age_days:int" in header["nodes_Person.csv"]
    assert {"missed:boolean", "seq:int"} <= set(header["nodes_Contact.csv"])
    assert "aliases:string[]" in header["nodes_Agency.csv"]
    rels = [p for p in folder.glob("rels_*.csv")]
    assert {f"rels_{r}.csv" for (r,) in store.query("SELECT DISTINCT rel FROM edges")} <= {
        p.name for p in rels}
    ids = {row[0] for p in folder.glob("nodes_*.csv") for row in _csv(p)[1:]}
    for p in rels:
        rows = _csv(p)
        assert rows[0] == [":START_ID", ":END_ID", ":TYPE"]
        for start, end, rel in rows[1:]:
            assert start in ids and end in ids and p.name == f"rels_{rel}.csv"
    contact = dict(zip(header["nodes_Contact.csv"], _csv(folder / "nodes_Contact.csv")[1],
                       strict=True))
    assert contact["missed:boolean"] in ("true", "false") and contact[":LABEL"] == "Contact"
    assert command.startswith("neo4j-admin database import full")
    for p in folder.glob("*.csv"):
        assert str(p) in command
    assert command in (folder / "README.txt").read_text("utf-8")
    assert not (folder / "import.sh").exists()
    assert "neo4j-admin" in capsys.readouterr().err
