"""The lessons query: a failure of an agency of an area after an earlier review of
the same area recommended its fix or found it. Reviews written for these tests as
curated records (each fact stated, each quote given), the bundled samples, and the
seed corpus when present."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import needs_seeds

from casegraph.errors import CasegraphError
from casegraph.graph import lessons
from casegraph.graph.queries import run_query
from casegraph.graph.store import Store
from casegraph.loaders.resolve import slug
from casegraph.pipeline import extract_path, load_paths

BOARD = "Kestrel Safeguarding Children Board"
PARTNERSHIP = "Kestrel Safeguarding Children Partnership"
CSC = "Kestrel Children's Social Care"


def _quoted(text: str) -> dict:
    return {"text": text, "evidence": [{"start": 0, "end": len(text), "paragraph": "1.1", "quote": text}]}


def _review(tmp_path, name: str, locality: str, incident: str, published: str, *, partnership: str,
            agencies: list[tuple[str, str]], findings=(), recommendations=()):
    """A review as a curated record: findings (text, themes, agency names), and
    recommendations (text, themes, addressees)."""
    record = {
        "review": {"type": "SCR", "published": published, "partnership": [partnership]},
        "case": {"locality": locality, "incident_date": incident, "subjects": [{"pseudonym": name}]},
        "agencies": [{"name": n, "type": t} for n, t in [(partnership, "safeguarding-partnership"), *agencies]],
        "findings": [{**_quoted(text), "polarity": "shortfall", "themes": themes, "agencies": who}
                     for text, themes, who in findings],
        "recommendations": [{**_quoted(text), "number": str(n), "themes": themes, "addressed_to": to}
                            for n, (text, themes, to) in enumerate(recommendations, 1)],
    }
    path = tmp_path / f"{name.lower().replace(' ', '-')}.json"
    path.write_text(json.dumps(record), "utf-8")
    return path


def _board_recommends(tmp_path):
    return _review(tmp_path, "Child A", "Kestrel", "2014-02", "2015-05", partnership=BOARD, agencies=[],
                   recommendations=[("The Board should make sure agencies share what they know about a "
                                     "parent's drug use.", ["information-sharing"], [BOARD])])


def _csc_fails(tmp_path, name="Child B", locality="Kestrel", incident="2019-11", published="2021-03",
               partnership=PARTNERSHIP):
    csc = f"{locality} Children's Social Care"
    return _review(tmp_path, name, locality, incident, published, partnership=partnership,
                   agencies=[(csc, "children-social-care")],
                   findings=[(f"{csc} did not share the father's drug use with the health visitor.",
                              ["information-sharing"], [csc])])


def _load(tmp_path, *paths) -> Store:
    store = Store(tmp_path / f"s{len(list(tmp_path.glob('s*.db')))}.db")
    report = load_paths(store, [str(p) for p in paths])
    assert report.ok, report.errors
    return store


def test_a_recommendation_to_the_board_then_a_failure_in_the_area_years_later(tmp_path):
    store = _load(tmp_path, _board_recommends(tmp_path), _csc_fails(tmp_path))
    rows = run_query(store, "lessons")
    assert len(rows) == 1
    row = rows[0]
    assert (row["locality"], row["agency"], row["agency_type"], row["theme"]) == (
        "Kestrel", CSC, "children-social-care", "information-sharing")
    assert (row["earlier_review_id"], row["earlier_published"], row["earlier_kind"], row["earlier_agency"]) == (
        "review:kestrel:child-a:2014", "2015-05", "recommendation", BOARD)
    assert row["earlier_quote"].startswith("The Board should make sure agencies share")
    assert (row["later_review_id"], row["later_events"], row["later_published"]) == (
        "review:kestrel:child-b:2019", "2019-11", "2021-03")
    assert row["later_quote"] == f"{CSC} did not share the father's drug use with the health visitor."
    assert row["gap_years"] == 4.4  # end of May 2015 to the start of November 2019
    # The Partnership that published the later review succeeded the Board: one area.
    assert ("agency:kestrel:safeguarding-children-partnership", "SUCCEEDS",
            "agency:kestrel:safeguarding-children-board") in set(store.edges("SUCCEEDS"))
    assert store.check() == []


def test_the_same_failure_in_another_area_is_no_lesson(tmp_path):
    store = _load(tmp_path, _board_recommends(tmp_path),
                  _csc_fails(tmp_path, locality="Marsh", partnership="Marsh Safeguarding Children Partnership"))
    assert run_query(store, "lessons") == []


def test_a_failure_before_the_recommendation_is_no_lesson(tmp_path):
    # Published a year after the Board's review, but about a death two years before it.
    before = _csc_fails(tmp_path, name="Child D", incident="2013-06", published="2016-01")
    store = _load(tmp_path, _board_recommends(tmp_path), before)
    assert run_query(store, "lessons") == []
    # Known to the year only, the events may have come before May 2015: still none.
    store = _load(tmp_path, _board_recommends(tmp_path),
                  _csc_fails(tmp_path, name="Child E", incident="2015", published="2017-01"))
    assert run_query(store, "lessons") == []


def test_a_recommendation_to_the_successor_partnership(tmp_path):
    earlier = _review(tmp_path, "Child F", "Kestrel", "2019-08", "2020-10", partnership=PARTNERSHIP, agencies=[],
                      recommendations=[("The Partnership should publish an escalation protocol.", ["escalation"],
                                        [PARTNERSHIP])])
    later = _review(tmp_path, "Child G", "Kestrel", "2023-04", "2024-09", partnership=PARTNERSHIP,
                    agencies=[("Kestrel Police", "police")],
                    findings=[("Kestrel Police did not escalate the neighbour's concerns.", ["escalation"],
                               ["Kestrel Police"])])
    store = _load(tmp_path, _board_recommends(tmp_path), earlier, later)
    rows = run_query(store, "lessons")
    assert [(r["agency"], r["theme"], r["earlier_review_id"], r["earlier_agency"], r["later_review_id"])
            for r in rows] == [("Kestrel Police", "escalation", "review:kestrel:child-f:2019", PARTNERSHIP,
                                "review:kestrel:child-g:2023")]


def test_a_later_all_agencies_failure_matches_an_earlier_item_to_any_agency(tmp_path):
    earlier = _review(tmp_path, "Child H", "Kestrel", "2012-01", "2013-03", partnership=BOARD,
                      agencies=[("Kestrel Health Visiting", "health-visiting")],
                      recommendations=[("Health visitors should attend every core group.",
                                        ["multi-agency-coordination"], ["Kestrel Health Visiting"])])
    later = _review(tmp_path, "Child J", "Kestrel", "2018-05", "2019-07", partnership=PARTNERSHIP,
                    agencies=[("all agencies", "all-agencies")],
                    findings=[("No agency coordinated the work of the others.", ["multi-agency-coordination"],
                               ["all agencies"])])
    store = _load(tmp_path, earlier, later)
    rows = run_query(store, "lessons")
    assert [(r["agency_type"], r["earlier_agency"], r["later_review_id"]) for r in rows] == [
        ("all-agencies", "Kestrel Health Visiting", "review:kestrel:child-j:2018")]
    # An all-agencies failure needs an earlier item on the same theme all the same.
    assert run_query(store, "lessons", theme="information-sharing") == []


def test_filters_the_kept_answer_and_the_computed_one_agree(tmp_path):
    docs = [_board_recommends(tmp_path), _csc_fails(tmp_path),
            _csc_fails(tmp_path, name="Child K", incident="2016-02", published="2017-05")]
    store = _load(tmp_path, *docs)
    assert lessons.kept(store.db)
    every = run_query(store, "lessons")
    assert [r["later_review_id"] for r in every] == ["review:kestrel:child-k:2016"]  # the first failure after
    assert every[0]["later_reviews"] == 2
    assert every[0]["gap_years"] == 0.7
    for params in ({}, {"min_gap_years": 1}, {"locality": "kestrel"}, {"locality": "Marsh"},
                   {"agency_type": "children-social-care"}, {"agency_type": "police"}, {"theme": "escalation"}):
        kept = run_query(store, "lessons", **params)
        area = slug(params["locality"]) if params.get("locality") else None
        computed = [r for r in lessons._answer(store.db, area, params.get("theme"), params.get("agency_type"), False)
                    if r["gap_years"] >= params.get("min_gap_years", 0)]
        assert kept == computed, params
    assert run_query(store, "lessons", min_gap_years=1) == []
    evidence = run_query(store, "lessons", evidence=True)[0]["evidence"]
    assert [(e["value"], e["review_id"], e["date"]) for e in evidence] == [
        (f"earlier recommendation ({BOARD})", "review:kestrel:child-a:2014", "2015-05"),
        (f"earlier finding ({CSC})", "review:kestrel:child-k:2016", "2017-05"),
        (f"later finding ({CSC})", "review:kestrel:child-k:2016", "2016-02"),
        (f"later finding ({CSC})", "review:kestrel:child-b:2019", "2019-11")]
    # A single load (not a bulk one) drops the kept answer; the query computes it.
    store.load(extract_path(_review(tmp_path, "Child L", "Kestrel", "2022-01", "2023-01", partnership=PARTNERSHIP,
                                    agencies=[])))
    assert not lessons.kept(store.db)
    assert run_query(store, "lessons") == every
    assert store.check() == []


def test_bad_parameters(tmp_path):
    store = _load(tmp_path, _board_recommends(tmp_path))
    with pytest.raises(CasegraphError, match="min_gap_years"):
        run_query(store, "lessons", min_gap_years=-1)
    # A misspelt vocabulary id is named, with the ids it was near, not answered with no rows.
    with pytest.raises(CasegraphError, match="no theme 'substance-misuse'; did you mean substance-misuse-impact"):
        run_query(store, "lessons", theme="substance-misuse")
    with pytest.raises(CasegraphError, match="no agency type 'Police'; did you mean police"):
        run_query(store, "lessons", agency_type="Police")
    assert run_query(store, "lessons", theme="safe-sleeping", agency_type="agencytype:police") == []


def test_an_older_store_is_migrated(tmp_path):
    store = _load(tmp_path, _board_recommends(tmp_path), _csc_fails(tmp_path))
    rows = run_query(store, "lessons")
    store.close()
    db = sqlite3.connect(store.path)
    db.executescript("DROP TABLE lesson_items; DROP TABLE lesson_rows; DELETE FROM meta WHERE key = 'lesson_rows';"
                     "UPDATE meta SET value = '4' WHERE key = 'schema_version';")
    db.close()
    store = Store(store.path)
    assert store.check() == []
    assert run_query(store, "lessons") == rows


def test_cli_lessons(sample_store, runner):
    from casegraph.cli import main

    out = runner.invoke(main, ["query", "lessons", "--locality", "Harwick", "--theme", "substance-misuse-impact",
                               "--format", "json", "--store", sample_store.path], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert rows and all(r["locality"] == "Harwick" and r["theme"] == "substance-misuse-impact" for r in rows)
    assert all(r["earlier_quote"] and r["later_quote"] for r in rows)


def test_samples_show_a_lesson_not_learned(sample_store):
    """Baby R's review (2017) asked the Board for guidance on assessing parental drug use;
    Child L died in 2020 with that impact "not assessed by any agency", and Baby S in 2023
    with children's social care again not assessing it."""
    rows = run_query(sample_store, "lessons", locality="Harwick", theme="substance-misuse-impact")
    by_type = {r["agency_type"]: r for r in rows}
    every, csc = by_type["all-agencies"], by_type["children-social-care"]
    assert (every["earlier_review_id"], every["earlier_kind"], every["earlier_published"]) == (
        "review:harwick:baby-r:2016", "recommendation", "2017-07")
    assert "Harwick Safeguarding Children Board" in every["earlier_agency"]
    assert (every["later_review_id"], every["later_events"]) == ("review:harwick:child-l:2020", "2020-03")
    assert (csc["earlier_review_id"], csc["later_review_id"], csc["later_events"]) == (
        "review:harwick:baby-r:2016", "review:harwick:baby-s:2023", "2023-11")
    assert all(r["earlier_review_id"].startswith("review:harwick:") for r in run_query(sample_store, "lessons"))


def _in_order(row: dict) -> bool:
    return lessons._key(row["later_events"], "00") > lessons._key(row["earlier_published"], "99")


@needs_seeds
def test_seeds_no_lesson_runs_backwards_or_across_areas(seed_store):
    rows = run_query(seed_store, "lessons", evidence=True)
    assert rows
    for row in rows:
        assert _in_order(row), row
        assert lessons._area(row["earlier_review_id"]) == lessons._area(row["later_review_id"]) == "coventry"
        for e in row["evidence"]:
            assert lessons._area(e["review_id"]) == "coventry"


@needs_seeds
def test_seeds_baby_c_to_baby_matt_for_all_agencies(seed_store):
    rows = run_query(seed_store, "lessons", locality="Coventry", agency_type="all-agencies",
                     theme="multi-agency-coordination")
    assert len(rows) == 1
    row = rows[0]
    assert row["earlier_review_id"] == "review:coventry:baby-c:2014"
    assert row["earlier_published"].startswith("2016")
    assert row["later_review_id"] == "review:coventry:matt:2019"
    assert row["later_events"].startswith("2019")
    assert row["earlier_quote"] and "coordinat" in row["earlier_quote"]
    assert "overall coordination" in row["later_quote"]


def test_a_recommendation_without_addressee_is_to_the_partnership_and_praise_is_no_failure(tmp_path):
    earlier = _review(tmp_path, "Child M", "Kestrel", "2016-03", "2017-09", partnership=PARTNERSHIP, agencies=[],
                      recommendations=[("Review the approach to safe sleeping.", ["safe-sleeping"], [])])
    later = _review(tmp_path, "Child N", "Kestrel", "2020-01", "2021-02", partnership=PARTNERSHIP,
                    agencies=[("Kestrel Health Visiting", "health-visiting"), ("Kestrel Midwifery", "midwifery")],
                    findings=[("Kestrel Health Visiting gave no safe sleeping advice to the father.",
                               ["safe-sleeping"], ["Kestrel Health Visiting"])])
    praise = json.loads(later.read_text("utf-8"))
    praise["findings"].append({**_quoted("Kestrel Midwifery gave good safe sleeping advice."), "polarity":
                               "good-practice", "themes": ["safe-sleeping"], "agencies": ["Kestrel Midwifery"]})
    later.write_text(json.dumps(praise), "utf-8")
    store = _load(tmp_path, earlier, later)
    assert [(r["agency"], r["earlier_agency"], r["earlier_kind"]) for r in run_query(store, "lessons")] == [
        ("Kestrel Health Visiting", PARTNERSHIP, "recommendation")]
    assert store.check() == []
