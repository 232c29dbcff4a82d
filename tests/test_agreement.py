"""benchmarks/agreement.py: two annotations scored by casegraph eval's rules, and its
command line on the bundled samples' gold against a changed copy of itself."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from conftest import ROOT

SAMPLES_GOLD = ROOT / "casegraph" / "samples" / "gold.yaml"


@pytest.fixture(scope="module")
def agreement() -> ModuleType:
    spec = importlib.util.spec_from_file_location("casegraph_bench_agreement", ROOT / "benchmarks" / "agreement.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tally_follows_the_gold_rules(agreement: ModuleType) -> None:
    want = {"agencies": [{"type": "police"}, {"type": "gp"}], "themes": ["information-sharing", "escalation"],
            "risk_factors": ["neglect"],
            "failures": [{"agency_type": "all-agencies", "theme": "information-sharing"},
                         {"agency_type": "gp", "theme": "escalation"}]}
    second = {"agencies": [{"type": "police"}], "themes": ["information-sharing", "voice-of-child"],
              "risk_factors": ["neglect"],
              # Found by any shortfall on the theme gold blames on all agencies, and
              # another agency's pair on that theme counts neither way.
              "failures": [{"agency_type": "police", "theme": "information-sharing"},
                           {"agency_type": "police", "theme": "escalation"}]}
    counts: Counter = Counter()
    agreement.tally(counts, want, agreement._sets(second))
    assert [counts["agency_types", i] for i in range(3)] == [1, 0, 1]
    assert [counts["themes", i] for i in range(3)] == [1, 1, 1]
    assert [counts["risk_factors", i] for i in range(3)] == [1, 0, 0]
    assert [counts["failures", i] for i in range(3)] == [1, 1, 1]


def test_command_line_scores_a_changed_copy(tmp_path: Path) -> None:
    gold = yaml.safe_load(SAMPLES_GOLD.read_text(encoding="utf-8"))
    second = {"documents": [dict(e) for e in gold["documents"]]}
    dropped = second["documents"][0]
    assert dropped.get("themes"), "the first sample names themes"
    n_themes = sum(len(e.get("themes") or []) for e in gold["documents"])
    dropped["themes"] = dropped["themes"][1:]
    path = tmp_path / "second.yaml"
    path.write_text(yaml.safe_dump(second), encoding="utf-8")
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "agreement.py"), str(SAMPLES_GOLD), str(path)],
                         capture_output=True, text=True, check=True).stdout
    row = next(line for line in out.splitlines() if line.startswith("second reading against the gold"))
    recall = (n_themes - 1) / n_themes
    assert f"P 1.000 R {recall:.3f}" in row and row.count("F1 1.000") == 3
