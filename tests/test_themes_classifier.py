"""benchmarks/themes_classifier.py, the parts that need no scikit-learn: its features,
its scoring (the same figures as casegraph eval), how it reads a corpus and what
it says when the texts are absent, and how each compared system combines the
lexicons with the model."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT

from casegraph.evaluate import prf

SAMPLES_GOLD = ROOT / "casegraph" / "samples" / "gold.yaml"


@pytest.fixture(scope="module")
def tc() -> ModuleType:
    path = ROOT / "benchmarks" / "themes_classifier.py"
    spec = importlib.util.spec_from_file_location("casegraph_bench_themes", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def test_features_are_words_and_pairs_within_a_sentence_at_unit_length(tc):
    vec = tc.features(["the plan was not followed", "plan reviewed"])
    assert {"plan", "not followed", "plan reviewed"} <= set(vec)
    assert "followed plan" not in vec  # no pair across two sentences
    assert math.isclose(sum(v * v for v in vec.values()), 1.0)
    # A word said twice weighs more than one said once, but not twice as much.
    assert vec["plan"] / vec["reviewed"] == pytest.approx(1 + math.log(2))


def test_micro_scores_as_casegraph_eval(tc):
    pred = [{"a", "b"}, {"c"}, set()]
    gold = [{"a"}, {"c", "d"}, {"e"}]
    p, r, f = tc.micro(pred, gold)
    want = prf(2, 1, 2)
    assert (round(p, 3), round(r, 3), round(f, 3)) == (want["precision"], want["recall"], want["f1"])


def test_systems_combine_rules_and_model(tc):
    rules, probs = {"a", "b"}, {"b": 0.04, "c": 0.85, "d": 0.3}
    assert tc.SYSTEMS["a rules"](rules, probs, 0.5) == {"a", "b"}
    assert tc.SYSTEMS["b classifier"](rules, probs, 0.5) == {"c"}
    assert tc.SYSTEMS["d add"](rules, probs, 0.8) == {"a", "b", "c"}
    # A concept the model does not know ("a") is never vetoed.
    assert tc.SYSTEMS["e veto"](rules, probs, 0.05) == {"a"}


def test_reads_a_corpus_and_never_its_check_part(tc, tmp_path):
    gold = tmp_path / "gold.yaml"
    gold.write_text(SAMPLES_GOLD.read_text("utf-8").replace(
        "documents:", "documents:\n  - file: corpus/unread.txt\n    split: check\n", 1), "utf-8")
    docs = tc.read_corpus(gold, SAMPLES_GOLD.parent)
    assert len(docs) == 8 and "unread.txt" not in {d.name for d in docs}
    cspr = next(d for d in docs if d.name == "harwick-child-l-cspr-2021.txt")
    assert cspr.group == "harwick-child-l-2020" and cspr.gold["themes"] and cspr.rules["themes"]
    assert math.isclose(sum(v * v for v in cspr.vec.values()), 1.0)


def test_says_when_the_texts_are_absent(tc, tmp_path):
    with pytest.raises(SystemExit, match="texts of .*gold.yaml are absent"):
        tc.read_corpus(SAMPLES_GOLD, tmp_path / "nowhere")
    (tmp_path / "corpus").mkdir()
    with pytest.raises(SystemExit, match=r"8 of the 8 texts gold.yaml lists are absent"):
        tc.read_corpus(SAMPLES_GOLD, tmp_path)


def test_rules_replaced_by_an_earlier_extraction(tc, tmp_path):
    docs = tc.read_corpus(SAMPLES_GOLD, SAMPLES_GOLD.parent)
    earlier = tmp_path / "earlier.json"
    earlier.write_text('[{"document": {"path": "x/news-harwick-baby-s-2025.txt"}, "themes": ["escalation"],'
                       ' "risk_factors": [{"id": "neglect"}], "errors": []}]', "utf-8")
    assert tc.replace_rules(docs, Path(earlier)) == 1
    baby = next(d for d in docs if d.name == "news-harwick-baby-s-2025.txt")
    assert baby.rules == {"themes": {"escalation"}, "risk_factors": {"neglect"}}
