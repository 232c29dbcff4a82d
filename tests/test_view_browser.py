"""The views in a real browser: Debian's Chromium driven by Playwright.

Every view of the samples opens without a console error; the network has the
query's agencies and themes as visible labels and an edge opens onto its quotes;
the matrix's cells are the query's rows; the case's contacts run in date order;
script hidden in a document runs nowhere. Screenshots of each view go to
$CASEGRAPH_SCREENSHOTS (the README's pictures: `make screenshots`) or to the test's
own folder. Under CI=true a missing browser fails instead of skipping.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES

from casegraph.graph.queries import run_query
from casegraph.graph.store import Store
from casegraph.graph.views import ViewOptions, write_view
from casegraph.loaders.extract import extract
from casegraph.pipeline import load_paths
from casegraph.schema.record import Document

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             "/usr/lib/chromium/chromium") if p and Path(p).exists()), None)
CHILD_L = "case:harwick:child-l:2020"


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: .ci/run installs it, and CI runs these tests")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -e '.[test]')")
    if CHROMIUM is None:
        _missing("no Chromium on this machine (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture
def open_view(browser):
    """Opens a view file; returns the page and the list its console errors go to."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    errors: list[str] = []

    def go(path: Path):
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready]", timeout=10_000)
        return page, errors

    yield go
    context.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Store:
    """The samples loaded as `make demo` loads them (paths relative to the repository)."""
    store = Store(tmp_path_factory.mktemp("demo") / "demo.db")
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        assert load_paths(store, ["casegraph/samples/corpus"]).ok
    finally:
        os.chdir(here)
    return store


@pytest.fixture(scope="module")
def views(demo, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("views")
    kinds = {"network": ViewOptions(), "matrix": ViewOptions(kind="matrix"),
             "case": ViewOptions(kind="case", case="Child L"),
             "neighbourhood": ViewOptions(kind="neighbourhood", case="Child L", depth=2)}
    for name, options in kinds.items():
        write_view(demo, out / f"{name}.html", options)
    return {name: out / f"{name}.html" for name in kinds}


def _click_through(page) -> int:
    """Points at and clicks every edge, node, cell and contact; how many."""
    targets = page.locator(".cg-edge, .cg-node, td.cg-cell, .cg-contact")
    n = targets.count()
    for i in range(n):
        for event in ("mouseenter", "mouseover", "click", "mouseleave"):
            targets.nth(i).dispatch_event(event)
    return n


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().strip("“”")


# -- every view ---------------------------------------------------------------------------

def test_every_view_opens_without_console_errors_and_is_screenshotted(views, open_view, tmp_path):
    shots = Path(os.environ.get("CASEGRAPH_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    clicks = {"network": ".cg-badge", "matrix": "td.cg-cell", "case": ".cg-contact",
              "neighbourhood": f'.cg-node[data-id="{CHILD_L}"]'}
    for name, path in views.items():
        page, errors = open_view(path)
        assert page.locator(clicks[name]).count() > 0, name
        # the busiest edge, cell or contact, as a reader would click it
        page.locator(clicks[name]).nth(3 if name == "case" else 0).click()
        assert page.locator("#cg-panel h2").inner_text()
        if name == "case":  # the timeline and the first contacts of the table
            page.screenshot(path=str(shots / f"{name}.png"))
        else:  # the page as high as what it draws
            page.locator("body").screenshot(path=str(shots / f"{name}.png"))
        assert _click_through(page) > 0
        assert errors == [], (name, errors)
        assert (shots / f"{name}.png").stat().st_size > 10_000


def test_views_of_little_or_nothing_open_without_errors(demo, open_view, tmp_path):
    empty = Store(tmp_path / "empty.db")
    cases = {"empty-network": (empty, ViewOptions()), "empty-matrix": (empty, ViewOptions(kind="matrix")),
             "no-contacts": (demo, ViewOptions(kind="case", case="Mr T")),
             "agency": (demo, ViewOptions(kind="neighbourhood", agency="agency:harwick:police", depth=2))}
    for name, (store, options) in cases.items():
        path = tmp_path / f"{name}.html"
        write_view(store, path, options)
        page, errors = open_view(path)
        _click_through(page)
        assert page.locator("#cg-panel h2").inner_text(), name
        assert errors == [], (name, errors)
    page, _ = open_view(tmp_path / "empty-network.html")
    assert "No repeated failures" in page.locator("#cg-view").inner_text()


# -- the network ----------------------------------------------------------------------------

def test_network_has_the_querys_agencies_and_themes_with_visible_labels(views, open_view, demo):
    rows = run_query(demo, "repeated-failures", min_reviews=2)
    page, errors = open_view(views["network"])
    names = {r["agency_id"]: r["agency"] for r in rows}
    places = {r["agency_id"]: r["locality"] for r in rows}
    themes = {f"theme:{r['theme']}" for r in rows}
    drawn = {page.locator(".cg-node").nth(i).get_attribute("data-id") for i in range(page.locator(".cg-node").count())}
    assert drawn == set(names) | themes
    for aid, name in names.items():
        label = page.locator(f'.cg-node[data-id="{aid}"] text')
        # the query's name, with its area where two areas' agencies could be taken for each other
        assert label.is_visible() and label.text_content() in (name, f"{name} ({places[aid]})")
        box = label.bounding_box()
        assert box and box["width"] > 10 and box["height"] > 5
    theme_names = {r[0]: r[1] for r in demo.query("SELECT id, name FROM nodes WHERE label = 'Theme'")}
    for t in themes:
        assert page.locator(f'.cg-node[data-id="{t}"] text').text_content() == theme_names[t]
    assert page.locator(".cg-edge:not(.cg-badge)").count() == len(rows)
    # from the keyboard: a focused node opens as a click does
    first = page.locator(".cg-node").first
    first.focus()
    page.keyboard.press("Enter")
    assert page.locator("#cg-panel h2").inner_text() == first.locator("text").text_content()
    assert errors == []


def test_clicking_an_edge_shows_its_evidence_quotes(views, open_view, demo):
    rows = run_query(demo, "repeated-failures", min_reviews=2, evidence=True)
    page, errors = open_view(views["network"])
    for r in rows:
        badge = page.locator(f'.cg-badge[data-s="{r["agency_id"]}"][data-t="theme:{r["theme"]}"]')
        assert badge.get_attribute("data-n") == badge.locator("text").text_content() == str(r["reviews"])
        badge.click()
        panel = page.locator("#cg-panel")
        assert r["agency"] in panel.locator("h2").inner_text()
        shown = {_norm(q) for q in panel.locator("blockquote").all_inner_texts()}
        assert shown == {_norm(c["quote"]) for c in r["evidence"]}
        cites = " ".join(panel.locator(".cg-cite").all_inner_texts())
        for c in r["evidence"]:
            assert c["document"] in cites
            if c["paragraph"]:
                assert f"¶ {c['paragraph']}" in cites
    assert errors == []


def test_network_filters_recount_as_the_query_does(views, open_view, demo):
    page, _ = open_view(views["network"])
    page.select_option("#cg-f-place", "harwick")
    want = {(r["agency_id"], f"theme:{r['theme']}"): r["reviews"]
            for r in run_query(demo, "repeated-failures", locality="Harwick")}
    edges = page.locator(".cg-badge")
    got = {(edges.nth(i).get_attribute("data-s"), edges.nth(i).get_attribute("data-t")):
           int(edges.nth(i).get_attribute("data-n")) for i in range(edges.count())}
    assert got == want
    page.fill("#cg-f-text", "zzz-no-such-words")
    assert page.locator(".cg-edge").count() == 0
    page.fill("#cg-f-text", "")
    page.select_option("#cg-f-place", "")
    page.fill("#cg-f-min", "3")
    assert page.locator(".cg-badge").count() == len(run_query(demo, "repeated-failures", min_reviews=3))


def test_network_draws_its_most_repeated_failures_first_and_says_so(open_view, tmp_path):
    from test_benchmark_corpus import _generator

    _generator().generate(tmp_path / "corpus", reviews=60, seed=3)
    store = Store(tmp_path / "bench.db")
    assert load_paths(store, [str(tmp_path / "corpus")]).ok
    rows = run_query(store, "repeated-failures", by="agency-type")
    assert len(rows) > 80, "enough rows to pass the network's first budget of lines"
    write_view(store, tmp_path / "all.html", by="agency-type")
    page, errors = open_view(tmp_path / "all.html")
    cut = sorted((r["reviews"] for r in rows), reverse=True)[79]
    assert cut > 2
    assert 80 <= page.locator(".cg-badge").count() == sum(r["reviews"] >= cut for r in rows) < len(rows)
    assert f"at least {cut} reviews are drawn" in page.locator("#cg-note").inner_text()
    page.fill("#cg-f-min", "2")
    assert page.locator(".cg-badge").count() == len(rows)
    assert errors == []


# -- the matrix -------------------------------------------------------------------------------

def _cells(page) -> dict[tuple[str, str], int]:
    cells = page.locator("td.cg-cell")
    return {(cells.nth(i).get_attribute("data-row"), cells.nth(i).get_attribute("data-col")):
            int(cells.nth(i).inner_text()) for i in range(cells.count())}


@pytest.mark.parametrize("by,min_reviews", [("agency", 2), ("agency-type", 2), ("agency-type", 3), ("agency", 1)])
def test_matrix_cells_are_the_querys_rows(demo, open_view, tmp_path, by, min_reviews):
    path = tmp_path / "m.html"
    write_view(demo, path, kind="matrix", by=by, min_reviews=min_reviews)
    rows = run_query(demo, "repeated-failures", by=by, min_reviews=min_reviews)
    prefix, key = ("agencytype:", "agency_type_id") if by == "agency-type" else ("", "agency_id")
    page, errors = open_view(path)
    assert _cells(page) == {(prefix + r[key], f"theme:{r['theme']}"): r["reviews"] for r in rows}
    # the worst rows and columns first
    row_ids = [t.get_attribute("data-row") for t in page.locator("tbody tr").all()]
    totals = {}
    for (row, _col), n in _cells(page).items():
        totals[row] = totals.get(row, 0) + n
    assert [totals[r] for r in row_ids] == sorted(totals.values(), reverse=True)
    assert errors == []


# -- the case ----------------------------------------------------------------------------------

def test_case_view_shows_the_contacts_in_date_order(views, open_view, demo):
    rows = run_query(demo, "case", id="Child L")
    page, errors = open_view(views["case"])
    marks = page.locator(".cg-contact")
    assert marks.count() == len(rows)
    placed = sorted((float(marks.nth(i).get_attribute("data-x")), marks.nth(i).get_attribute("data-date"))
                    for i in range(marks.count()))
    assert [d for _x, d in placed] == sorted(d for _x, d in placed)
    xs = [marks.nth(i).bounding_box()["x"] for i in range(marks.count())]
    assert xs == sorted(xs)  # drawn left to right in the order of the chronology table
    table_dates = [t.get_attribute("data-date") for t in page.locator(".cg-chrono tbody tr").all()]
    assert table_dates == sorted(table_dates) and len(table_dates) == len(rows)
    statuses = {marks.nth(i).get_attribute("data-status") for i in range(marks.count())}
    assert {"missed", "declined", "not-followed-up"} <= statuses
    assert page.locator(".cg-findings li").count() > 0 and page.locator(".cg-recommendations li").count() > 0
    lanes = page.locator(".cg-lane").count()
    assert lanes == len({r["agency"] for r in rows})
    assert errors == []


# -- hostile text ------------------------------------------------------------------------------

PAYLOADS = (
    "<script>window.cgPwned = 1</script>",
    "</script><script>window.cgPwned = 2</script>",
    '<img src=x onerror="window.cgPwned = 3">',
    '<svg onload="window.cgPwned = 4"></svg>',
    '"><b onmouseover="window.cgPwned = 5">x</b>',
)


def test_script_in_a_document_runs_nowhere(open_view, tmp_path):
    text = (SAMPLES / "harwick-child-l-cspr-2021.txt").read_text("utf-8")
    text = text.replace("6.1 Information was not shared between agencies",
                        f"6.1 Information {PAYLOADS[0]} {PAYLOADS[1]} was not shared between agencies", 1)
    text = text.replace("5.1 In January 2019 Mother attended the GP practice",
                        f"5.1 In January 2019 Mother {PAYLOADS[2]} attended the GP practice", 1)
    text = text.replace("5.2 On 12 February 2019", f"5.2 On 12 February 2019 {PAYLOADS[3]} {PAYLOADS[4]}", 1)
    other = (SAMPLES / "harwick-baby-r-scr-2017.md").read_text("utf-8")
    store = Store(tmp_path / "hostile.db")
    for name, body in (("hostile.txt", text), ("other.md", other)):
        store.load(extract(Document(path=name, sha256=hashlib.sha256(body.encode()).hexdigest(), text=body)))
    assert any(PAYLOADS[0] in str(p.get("text")) for *_x, p in store.nodes("Finding"))
    options = {"network": ViewOptions(min_reviews=1), "matrix": ViewOptions(kind="matrix", min_reviews=1),
               "case": ViewOptions(kind="case", case="Child L"),
               "neighbourhood": ViewOptions(kind="neighbourhood", case="Child L", depth=2)}
    shown = ""
    for name, o in options.items():
        path = tmp_path / f"{name}.html"
        write_view(store, path, o)
        page, errors = open_view(path)
        assert _click_through(page) > 0
        for sel in (".cg-edge", "td.cg-cell", ".cg-node", ".cg-contact"):
            for i in range(page.locator(sel).count()):
                page.locator(sel).nth(i).dispatch_event("click")
                shown += page.locator("#cg-panel").inner_text()
        shown += page.locator("body").inner_text()
        assert page.evaluate("window.cgPwned") is None, name
        assert page.locator("img, b, svg svg").count() == 0, name  # no element made from document text
        assert errors == [], (name, errors)
    # the payloads are there, as text
    assert "<script>window.cgPwned = 1</script>" in shown
    assert "onerror=" in shown
