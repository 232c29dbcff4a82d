"""The HTML reader on the project's test pages (tests/data/webpages): article kept,
page furniture dropped, blocks intact, headline and date found; bad pages refused
with one line naming the file."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
from conftest import ROOT

from casegraph.cli import main
from casegraph.errors import UnreadableDocument
from casegraph.loaders.readers import read_document
from casegraph.loaders.readers.html import strip_tags

# What the reader holds to over the whole page set (docs/evaluation.md has its figures).
MIN_RECALL = 1.0
MIN_BOUNDARIES = 0.95
MAX_NOISE = 0.08


def _bench() -> ModuleType:
    name = "casegraph_bench_webpages"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "webpages.py")
        assert spec and spec.loader
        sys.modules[name] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules[name]


PAGES = sorted(_bench().load_truth())


def test_page_set_is_what_the_brief_asks_for():
    assert len(PAGES) >= 8
    assert {p.name for p in _bench().PAGES.glob("*.html")} == set(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_page_article_kept_and_headline_found(name):
    bench = _bench()
    truth = bench.load_truth()[name]
    path = bench.PAGES / name
    doc = read_document(path)
    score = bench.score_page(doc, path.read_text(encoding="utf-8"), truth)
    missed = [i for i in truth["article"] if bench._item_text(i) not in bench._norm(doc.text)]
    assert not missed
    assert doc.title == truth["title"]
    assert doc.published == truth["published"]
    assert doc.kind == "news"
    # The headline is in the text the extractors read, once, as a block of its own.
    assert doc.text.split("\n\n").count(truth["title"]) == 1
    assert score.noise <= max(2, score.boilerplate // 4), "most of this page's furniture kept"


def test_page_set_recall_noise_and_boundaries():
    from casegraph.loaders.readers import read_html

    bench = _bench()
    total = bench.Score()
    for score in bench.score_reader(read_html, repeat=1).values():
        total += score
    assert total.recall >= MIN_RECALL
    assert total.boundaries >= MIN_BOUNDARIES
    assert total.noise_share <= MAX_NOISE
    assert total.titles == total.dates == total.pages == len(PAGES)


def test_scoring_sees_boilerplate_and_broken_blocks():
    """The measure itself: all of a page's text counts as all of its boilerplate, and
    paragraphs run together lose their boundaries but not their recall."""
    bench = _bench()
    name = "bramford-gazette.html"
    html = (bench.PAGES / name).read_text(encoding="utf-8")
    truth = bench.load_truth()[name]
    stripped = SimpleNamespace(text=strip_tags(html), title="", published=None)
    everything = bench.score_page(stripped, html, truth)
    assert everything.recall == 1.0 and everything.noise == everything.boilerplate > 30
    assert everything.titles == everything.dates == 0
    run_together = SimpleNamespace(text=stripped.text.replace("\n\n", " "), title="", published=None)
    assert bench.score_page(run_together, html, truth).boundaries < 0.2


def test_table_rows_keep_their_cells():
    doc = read_document(_bench().PAGES / "wyrebridge-tables.html")
    assert "No.\tRecommendation\tFor\n1\tInclude the bruising protocol" in doc.text
    assert "Rate this page" not in doc.text


def test_entities_and_non_latin_text():
    doc = read_document(_bench().PAGES / "pellingham-languages.html")
    assert "Café owner and friend Marta Wójcik" in doc.text
    assert "interpret, & that" in doc.text
    assert "\nPrzegląd wykazał, że lekarz rodzinny" in doc.text
    assert "\n\nجائزے میں کہا گیا ہے" in doc.text
    assert "&amp;" not in doc.text and "&rsquo;" not in doc.text


# --------------------------------------------------------------------------- bad pages


def _fails(path: Path, reason: str) -> None:
    with pytest.raises(UnreadableDocument) as info:
        read_document(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and reason in message and "\n" not in message


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (bytes(range(256)) * 8, "binary file, not text"),
        (b"%PDF-1.4\n" + bytes(range(256)), "looks like a PDF"),
        (b'<!DOCTYPE html><html><head><meta charset="utf-8"><title', "web page has no readable text"),
        (b"<html><head><script>track()</script></head><body><nav></nav>", "web page has no readable text"),
    ],
    ids=["empty", "binary", "pdf", "cut-in-head", "no-text"],
)
def test_bad_pages_one_line_naming_the_file(tmp_path, data, reason):
    path = tmp_path / "page.html"
    path.write_bytes(data)
    _fails(path, reason)


def test_truncated_page_keeps_what_arrived(tmp_path):
    page = (_bench().PAGES / "bramford-gazette.html").read_bytes()
    cut = page[: page.index(b"Police had been called")]
    path = tmp_path / "cut.html"
    path.write_bytes(cut + b"Police had been called to the fl")
    doc = read_document(path)
    assert "no referral was made to children's social care." in doc.text
    assert doc.title.startswith("Toddler's death in Bramford")


def test_bad_page_in_a_batch(tmp_path, runner):
    good = tmp_path / "good.html"
    good.write_bytes((_bench().PAGES / "h1-only.html").read_bytes())
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(main, ["extract", str(bad), str(good), "--format", "json"])
    assert result.exit_code == 1
    assert f"{bad}: binary file, not text" in result.stderr
    assert "Child K" in result.stdout
