"""`casegraph eval`: scoring rules, and the figures on the seed corpus."""

from __future__ import annotations

import json

import yaml
from conftest import GOLD, SAMPLES, needs_seeds

from casegraph.cli import main
from casegraph.evaluate import evaluate, normalise_name


def test_name_rule():
    assert normalise_name("The Children’s Services") == normalise_name("childrens services")
    assert normalise_name("A&E") == "a&e"


def test_scores_a_written_gold_file(tmp_path):
    gold = {"documents": [{
        "file": "news-harwick-child-l-bbc.txt", "case_group": "l", "review_type": "CSPR",
        "subjects": [{"pseudonym": "Child L", "age_text": "eight months"}],
        "locality": "Harwick", "recommendations_count": 6,
        "agencies": [{"type": "police", "names": ["police"]},
                     {"type": "prison", "names": ["HMP Nowhere"]}],
        "themes": ["information-sharing"], "risk_factors": ["parental-substance-misuse"],
    }]}
    path = tmp_path / "gold.yaml"
    path.write_text(yaml.safe_dump(gold), "utf-8")
    report = evaluate(path, SAMPLES)
    assert report["exact"]["review_type"]["rate"] == 1.0
    assert report["exact"]["age"]["rate"] == 1.0
    assert report["exact"]["recommendations_count"]["rate"] == 1.0
    assert report["fields"]["agency_types"]["fn"] == 1  # the prison is not in the text
    assert report["fields"]["agency_types"]["tp"] == 1


@needs_seeds
def test_seed_figures_meet_the_bar(runner):
    result = runner.invoke(main, ["eval", "--gold", str(GOLD), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["fields"]["agency_types"]["f1"] >= 0.90
    assert report["fields"]["themes"]["f1"] >= 0.80
    assert report["fields"]["risk_factors"]["f1"] >= 0.85
    assert report["exact"]["recommendations_count"]["right"] >= 4
    for field in ("subject", "age", "incident_year", "locality", "review_type", "case_grouping"):
        assert report["exact"][field]["rate"] == 1.0, field
