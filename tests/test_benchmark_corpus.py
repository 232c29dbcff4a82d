"""The benchmark corpus (benchmarks/generate.py): the generator is deterministic,
and on a small generated corpus the named queries return the same rows as the
same questions answered independently with networkx over store.nodes()/edges()."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from types import ModuleType
from typing import Any

import networkx as nx
import pytest
from conftest import ROOT

from casegraph.errors import CasegraphError
from casegraph.graph.queries import run_query
from casegraph.graph.store import Store
from casegraph.pipeline import extract_paths, load_paths

REVIEWS = 60


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("casegraph_bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return _generator()


@pytest.fixture(scope="module")
def corpus(generator: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "corpus"
    generator.generate(out, reviews=REVIEWS, seed=3)
    return out


@pytest.fixture(scope="module")
def store(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("bench-store") / "bench.db")
    report = load_paths(store, [str(corpus)], jobs=2)
    assert report.ok, report.errors
    assert report.loaded == REVIEWS
    return store


@pytest.fixture(scope="module")
def graph(store: Store) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for nid, label, name, props in store.nodes():
        g.add_node(nid, label=label, name=name, props=props)
    for src, rel, dst in store.edges():
        g.add_edge(src, dst, key=rel)
    return g


def _out(g: nx.MultiDiGraph, node: str, rel: str) -> set[str]:
    return {d for _, d, k in g.out_edges(node, keys=True) if k == rel}


def _in(g: nx.MultiDiGraph, node: str, rel: str) -> set[str]:
    return {s for s, _, k in g.in_edges(node, keys=True) if k == rel}


# --------------------------------------------------------------------------- generator


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generator_is_deterministic(generator: ModuleType, tmp_path: Path) -> None:
    a = generator.generate(tmp_path / "a", reviews=24, seed=5)
    generator.generate(tmp_path / "b", reviews=24, seed=5)
    generator.generate(tmp_path / "c", reviews=24, seed=6)
    first, second, other = _tree(tmp_path / "a"), _tree(tmp_path / "b"), _tree(tmp_path / "c")
    assert len(first) == 24 and (a.reports, a.news) == (14, 10)
    assert first == second
    assert first != other


def test_generator_writes_reports_and_news(generator: ModuleType, corpus: Path) -> None:
    reports = sorted((corpus / "reports").rglob("*.txt"))
    news = [p for p in (corpus / "news").rglob("*") if p.is_file()]
    assert len(reports) + len(news) == REVIEWS and len(reports) == round(REVIEWS * generator.REPORT_SHARE)
    text = reports[0].read_text("utf-8")
    for marker in ("Date of publication:", "1. INTRODUCTION", "5. CHRONOLOGY OF PROFESSIONAL INVOLVEMENT",
                   "8. RECOMMENDATIONS", "Recommendation 1\n", "\n5.12 "):
        assert marker in text, marker
    assert all(15_000 < len(p.read_bytes()) < 70_000 for p in reports)
    assert all(1_500 < len(p.read_bytes()) < 9_000 for p in news)


def test_documents_of_one_generated_case_are_one_case(generator: ModuleType, tmp_path: Path) -> None:
    """Each generated review and the news about it end in one Case, and no two
    generated cases share one (what the benchmark's case-grouping target checks)."""
    made = generator.generate(tmp_path / "corpus", reviews=150, seed=11)
    store = Store(tmp_path / "s.db")
    assert load_paths(store, [str(tmp_path / "corpus")]).ok
    stored = {str(Path(p).resolve()): c for p, c in store.db.execute("SELECT path, case_id FROM documents")}
    pairs = {(n, stored[str(p.resolve())]) for p, n in made.case_of.items()}
    assert len(pairs) == len({n for n, _ in pairs}) == len({c for _, c in pairs}) == made.reports


def test_parallel_extraction_keeps_input_order(corpus: Path) -> None:
    files = sorted(str(p) for p in (corpus / "news").rglob("*") if p.is_file())[:9]
    serial = [r.document["sha256"] for r in extract_paths(files, jobs=1)]
    parallel = [r.document["sha256"] for r in extract_paths(files, jobs=2)]
    assert serial == parallel and len(serial) == 9


# --------------------------------------------------------------------------- queries


def _failures(g: nx.MultiDiGraph, by: str, min_reviews: int, locality: str | None = None,
              since: int | None = None) -> list[tuple[str, str, int, set[str]]]:
    """(group, theme, reviews, review names): implicated agency (or its types) x theme
    of findings, counted over the distinct reviews that found them."""
    hits: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f in g.nodes:
        if not f.startswith("finding:"):
            continue
        for agency in _out(g, f, "IMPLICATES"):
            types = _out(g, agency, "OF_TYPE")
            if not types or (locality and g.nodes[agency]["props"].get("locality") != locality):
                continue
            groups = types if by == "agency-type" else {agency}
            for theme in _out(g, f, "HAS_THEME"):
                for review in _in(g, f, "FOUND"):
                    if since and int(g.nodes[review]["props"]["published"][:4]) < since:
                        continue
                    for grp in groups:
                        hits[(grp, theme)].add(review)
    rows = [(grp, theme, len(rs), {g.nodes[r]["name"] for r in rs})
            for (grp, theme), rs in hits.items() if len(rs) >= min_reviews]
    return sorted(rows, key=lambda r: (-r[2], r[0], r[1]))


@pytest.mark.parametrize("by", ["agency", "agency-type"])
@pytest.mark.parametrize("filters", [{}, {"locality": "first"}, {"since": 2016}])
def test_repeated_failures_match_networkx(store: Store, graph: nx.MultiDiGraph, by: str,
                                          filters: dict[str, Any]) -> None:
    if filters.get("locality") == "first":
        filters = {"locality": Counter(d["props"].get("locality") for _, d in graph.nodes(data=True)
                                       if d["label"] == "Agency").most_common(1)[0][0]}
    expected = _failures(graph, by, 2, **filters)
    rows = run_query(store, "repeated-failures", min_reviews=2, by=by, evidence=True, **filters)
    key = "agency_id" if by == "agency" else "agency_type_id"
    got = [(r[key] if by == "agency" else f"agencytype:{r[key]}", f"theme:{r['theme']}", r["reviews"],
            {c["review"] for c in r["evidence"]}) for r in rows]
    assert len(expected) > 3
    assert got == expected
    assert all(len(r["evidence"]) == r["reviews"] and all(c["quote"] for c in r["evidence"])
               for r in rows)  # one quote per review
    plain = run_query(store, "repeated-failures", min_reviews=2, by=by, **filters)
    assert [{k: v for k, v in r.items() if k != "evidence"} for r in rows] == plain
    assert run_query(store, "repeated-failures", min_reviews=2, by=by, evidence=True, limit=3,
                     **filters) == rows[:3]


def test_themes_match_networkx(store: Store, graph: nx.MultiDiGraph) -> None:
    counts: Counter[str] = Counter()
    per_review: dict[str, set[str]] = defaultdict(set)
    for r, data in graph.nodes(data=True):
        if data["label"] != "Review":
            continue
        themes = {t for rel in ("FOUND", "RECOMMENDS") for x in _out(graph, r, rel)
                  for t in _out(graph, x, "HAS_THEME")}
        localities = {graph.nodes[c]["props"].get("locality") for c in _out(graph, r, "REVIEWS")} or {None}
        for t in themes:
            counts[t.removeprefix("theme:")] += len(localities)
            per_review[r].add(t.removeprefix("theme:"))
    rows = run_query(store, "themes")
    assert [(r["theme"], r["reviews"]) for r in rows] == sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    pairs: Counter[tuple[str, str]] = Counter()
    for ts in per_review.values():
        pairs.update(combinations(sorted(ts), 2))
    rows = run_query(store, "themes", pairs=True)
    assert {(r["theme"], r["with"]): r["reviews"] for r in rows} == dict(pairs)


def test_risk_factor_pairs_match_networkx(store: Store, graph: nx.MultiDiGraph) -> None:
    counts: Counter[str] = Counter()
    for c, data in graph.nodes(data=True):
        if data["label"] != "Case":
            continue
        rfs = sorted(r.removeprefix("riskfactor:") for r in _out(graph, c, "HAS_RISK"))
        counts.update(" + ".join(combo) for combo in combinations(rfs, 2))
    rows = run_query(store, "risk-factors", size=2)
    assert len(rows) > 5
    assert {r["risk_factors"]: r["cases"] for r in rows} == dict(counts)
    assert [r["cases"] for r in rows] == sorted((r["cases"] for r in rows), reverse=True)


def test_path_is_a_shortest_path(store: Store, graph: nx.MultiDiGraph) -> None:
    undirected = nx.Graph(graph.to_undirected(as_view=True))
    by_locality: dict[str, list[str]] = defaultdict(list)
    for c, data in sorted(graph.nodes(data=True)):
        if data["label"] == "Case":
            by_locality[data["props"].get("locality") or ""].append(c)
    cases = [cs for cs in by_locality.values() if len(cs) > 1][0]
    agency = next(n for n, d in sorted(graph.nodes(data=True)) if d["label"] == "Agency")
    theme = next(n for n, d in sorted(graph.nodes(data=True)) if d["label"] == "Theme" and graph.degree(n))
    for source, target in [(cases[0], cases[1]), (cases[0], agency), (agency, theme), (cases[-1], theme)]:
        rows = run_query(store, "path", source=source, target=target)
        assert rows, (source, target)
        chain = [r["id"] for r in rows]
        assert chain[0] == source and chain[-1] == target
        assert all(undirected.has_edge(a, b) for a, b in zip(chain, chain[1:], strict=False))
        assert len(chain) - 1 == nx.shortest_path_length(undirected, source, target)


@pytest.mark.parametrize("threshold", [0.2, 0.5, 0.8])
def test_recommendation_groups_match_every_pair(store: Store, graph: nx.MultiDiGraph, threshold: float) -> None:
    """The prefix-filtered grouping equals connected components over every pair of
    recommendations of different reviews whose shared rare words reach the threshold."""
    from casegraph.graph.similar import words

    recs = [(r, next(iter(_in(graph, r, "RECOMMENDS"))), set(words(d["props"]["text"]).split()))
            for r, d in sorted(graph.nodes(data=True)) if d["label"] == "Recommendation"]
    freq = Counter(w for _, _, ws in recs for w in ws)
    cap = max(50, len(recs) // 20)
    alike = nx.Graph()
    for (a, ra, wa), (b, rb, wb) in combinations(recs, 2):
        shared = {w for w in wa & wb if freq[w] <= cap}
        if ra != rb and shared and len(shared) / len(wa | wb) >= threshold:
            alike.add_edge(a, b)
    text = {r: graph.nodes[r]["props"]["text"] for r, _, _ in recs}
    expected = sorted(sorted(text[r] for r in group) for group in nx.connected_components(alike))
    rows = run_query(store, "recommendations", threshold=threshold)
    got: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        got[row["group"]].append(row["text"])
    assert len(expected) > 3
    assert sorted(sorted(g) for g in got.values()) == expected
    sizes = [len(got[n]) for n in sorted(got)]
    assert sizes == sorted(sizes, reverse=True)


def test_kept_recommendation_groups_are_those_computed(store: Store, tmp_path: Path) -> None:
    """A load keeps the groups of every threshold; a query reads them, and answers the
    same when it has to compute them instead. A later change drops them."""
    from casegraph.graph.similar import LEVELS

    assert store.query("SELECT count(*) FROM rec_groups")[0][0] > 0
    copy = Store(tmp_path / "copy.db")
    store.db.backup(copy.db)
    copy.db.execute("DELETE FROM meta WHERE key = 'rec_groups'")
    copy.db.commit()
    for level in LEVELS:
        kept = run_query(store, "recommendations", threshold=level / 10)
        assert kept == run_query(copy, "recommendations", threshold=level / 10), level
    with pytest.raises(CasegraphError, match="0.1, 0.2"):
        run_query(store, "recommendations", threshold=0.45)
    assert store.check() == []

    # A document loaded outside a bulk load drops the kept groups; the next bulk load
    # keeps them again.
    doc = tmp_path / "extra.txt"
    doc.write_text("Serious Case Review: Child Q\nRecommendation 1\nThe GP practice should ensure "
                   "that every parent's cannabis use is assessed.\n", "utf-8")
    (record,) = extract_paths([str(doc)])
    copy.db.execute("INSERT OR REPLACE INTO meta VALUES ('rec_groups', 'kept')")
    copy.db.commit()
    copy.load(record)
    assert copy.query("SELECT count(*) FROM rec_groups")[0][0] == 0
    assert copy.check() == []
    load_paths(copy, [str(doc)])
    assert copy.query("SELECT count(*) FROM rec_groups")[0][0] > 0
    assert copy.check() == []
