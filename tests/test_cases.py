"""Case identity: the area a document names, and which documents the store puts in one Case."""

from __future__ import annotations

import json

import pytest

from casegraph.graph.store import Store
from casegraph.pipeline import load_paths


def _cases(tmp_path, records: list[dict]) -> list[str]:
    """The Case each record is loaded into, in order."""
    store = Store(tmp_path / "s.db")
    for i, rec in enumerate(records):
        path = tmp_path / f"{i}.yaml"
        path.write_text(json.dumps({**rec, "title": f"document {i}"}), "utf-8")
        assert load_paths(store, [str(path)]).loaded == 1
    rows = dict(store.db.execute("SELECT path, case_id FROM documents").fetchall())
    return [next(c for p, c in rows.items() if p.endswith(f"{i}.yaml")) for i in range(len(records))]


def _rec(subject: str | None = None, locality: str | None = "Harwick", date: str | None = None,
         aliases: list[str] | None = None, rtype: str = "SCR", label: str | None = None,
         board: str | None = None) -> dict:
    case: dict = {"locality": locality, "incident_date": date, "subjects": []}
    if subject:
        case["subjects"] = [{"pseudonym": subject, **({"aliases": aliases} if aliases else {})}]
    return {"review": {"type": rtype, "label": label, "partnership": [board] if board else []}, "case": case}


@pytest.mark.parametrize("first_news", [True, False])
def test_a_real_name_joined_to_a_pseudonym_is_one_case(tmp_path, first_news):
    news = _rec("Tamsin Rowe", date="2012-04", aliases=["Child K"])
    report = _rec("Child K", date="2012-04")
    other_year = _rec("Child K", date="2016-01")
    docs = [news, report] if first_news else [report, news]
    a, b, c = _cases(tmp_path, [*docs, other_year])
    assert a == b and c != a


def test_one_pseudonym_across_a_new_year_is_one_case(tmp_path):
    """An assault in December and the death in January: one case, whichever document
    dates which; months further apart in another year are another case."""
    a, b, c, d = _cases(tmp_path, [_rec("Ms F", date="2018-01"), _rec("Ms F", date="2017-12"),
                                   _rec("Ms F", date="2016-06"), _rec("Ms F", date="2018")])
    assert a == b == d and c != a


@pytest.mark.parametrize("dates", [("December 2017", "January 2018", "2018"),
                                   ("January 2018", "December 2017", "2017")])
def test_a_year_alone_finds_a_case_across_a_new_year(tmp_path, dates):
    """Whichever month came first, a document giving only the year of the other
    finds the case of December's assault and January's death."""
    store = Store(tmp_path / "s.db")
    for i, when in enumerate(dates):
        path = tmp_path / f"{i}.txt"
        path.write_text(f"Harwick Safeguarding Adults Board\n\nSafeguarding Adults Review: Ms F\n\n"
                        f"Ms F was assaulted by her son at her home in Harwick in {when}.\n\nReport {i}.\n", "utf-8")
        assert load_paths(store, [str(path)]).loaded == 1
    assert len({r[0] for r in store.db.execute("SELECT case_id FROM documents")}) == 1


def test_a_full_name_without_an_area_finds_its_case(tmp_path):
    a, b, c = _cases(tmp_path, [_rec("Mary Stone", locality=None, date="2023-01"),
                                _rec("Mary Stone", date="2000-05"),
                                _rec("Mary Stone", locality="Carrow", date="2000-05")])
    assert a == b and c != a


@pytest.mark.parametrize(("first", "second", "one"), [
    ("Cardiff", "Glamorgan", True),  # a name the gazetteer knows as no area tells nothing
    ("Northamptonshire", "West Northamptonshire", True),  # an area and one it became
    ("Cardiff", "Bristol", False),
    ("Harwick", "Carrow", False),  # two names neither known: two places
])
def test_a_full_name_in_two_areas(tmp_path, first, second, one):
    a, b = _cases(tmp_path, [_rec("Mary Stone", locality=first), _rec("Mary Stone", locality=second)])
    assert (a == b) == one


def test_documents_naming_one_review_are_one_case(tmp_path):
    board = "Harwick Safeguarding Adults Board"
    a, b, c, d = _cases(tmp_path, [
        _rec("Subject A", date="2012-01", rtype="DHR", label="4", board=board),
        _rec("Subject A", date="2012-01", rtype="DHR", label="3", board=board),
        _rec(None, date="2012-01", rtype="DHR", label="4", board=board),
        _rec("Subject A", date="2012-01", rtype="DHR", label="4", board=board)])
    assert a == c == d and b != a


def test_documents_naming_no_one_meet_by_the_month_of_the_incident(tmp_path):
    a, b, c, d, e = _cases(tmp_path, [_rec(None, date="2021-11"), _rec(None, date="2021-11"),
                                      _rec(None, date="2021-10"), _rec(None, date="2021"),
                                      _rec(None, date="2021-11", rtype="SAR")])
    assert a == b and len({a, c, d, e}) == 4
    (tmp_path / "f").mkdir()
    f, g = _cases(tmp_path / "f", [_rec(None, date="2021"), _rec(None, date="2021")])
    assert f != g  # a year alone tells too little


def test_documents_naming_no_one_meet_by_a_private_person_they_name(tmp_path):
    def rec(people, **kw):
        r = _rec(None, **kw)
        r["case"]["people"] = people
        return r

    a, b, c, d, e = _cases(tmp_path, [rec(["Dana Pryce"]), rec(["Dana Pryce", "Lee Pryce"], date="2009"),
                                      rec(["Dana Pryce"], locality="Carrow"), rec(["Dana Pryce"], rtype="SAR"),
                                      rec(["Dana Pryce"], date="2012")])
    assert a == b and len({a, c, d, e}) == 4


def _aged(subject: str | None, days: int, **kw) -> dict:
    rec = _rec(subject, **kw)
    rec["case"]["subjects"] = [{"pseudonym": subject, "age_text": f"{days} days", "age_days": days}]
    return rec


@pytest.mark.parametrize("named_first", [True, False])
def test_a_subject_named_in_one_document_and_aged_in_another(tmp_path, named_first):
    """"Child A, 17" and "a 17-year-old" in one area's reviews of one type are one
    case while no other case there has a subject of that age."""
    docs = [_aged("Child A", 6209, rtype="CPR"), _aged(None, 6209, rtype="CPR")]
    a, b, other_type, other_age = _cases(tmp_path, [*(docs if named_first else docs[::-1]),
                                                    _aged(None, 6209, rtype="SCR"), _aged(None, 5844, rtype="CPR")])
    assert a == b and len({a, other_type, other_age}) == 3


@pytest.mark.parametrize("named_first", [True, False])
def test_a_subject_given_only_an_age_is_the_one_another_document_named(tmp_path, named_first):
    docs = [_aged("Child A", 6209, rtype="CPR"), _aged(None, 6209, rtype="CPR")]
    (a, b) = _cases(tmp_path, docs if named_first else docs[::-1])
    store = Store(tmp_path / "s.db")
    people = [r[0] for r in store.db.execute("SELECT n.name FROM edges e JOIN nodes n ON n.id = e.dst "
                                             "WHERE e.src = ? AND e.rel = 'SUBJECT'", (a,))]
    case, review = (r[0] for r in store.db.execute("SELECT name FROM nodes WHERE label IN ('Case', 'Review') "
                                                   "ORDER BY label"))
    assert a == b and people == ["Child A", "Child A"]  # asserted by each document
    assert (case, review) == ("Child A (Harwick)", "CPR: Child A (Harwick)") and store.check() == []
    # Two named subjects: an unnamed one is neither.
    (tmp_path / "two").mkdir()
    one = _aged("Child A", 6209, date="2019-05")
    one["case"]["subjects"].append({"pseudonym": "Child B", "age_text": "9 years", "age_days": 3287})
    c, d = _cases(tmp_path / "two", [one, _aged(None, 6209, date="2019-05")])
    names = {r[0] for r in Store(tmp_path / "two" / "s.db").db.execute(
        "SELECT n.name FROM edges e JOIN nodes n ON n.id = e.dst WHERE e.src = ? AND e.rel = 'SUBJECT'", (c,))}
    assert c == d and names == {"Child A", "Child B", "unnamed subject"}


@pytest.mark.parametrize("named_first", [True, False])
def test_a_named_subjects_age_keeps_another_childs_document_out(tmp_path, named_first):
    """Once the 17-year-old's case has its name, a document of the same area and
    month about a baby of eight weeks is still another case."""
    docs = [_aged("Child A", 6209, date="2019-05"), _aged(None, 6209, date="2019-05")]
    a, b, baby = _cases(tmp_path, [*(docs if named_first else docs[::-1]), _aged(None, 56, date="2019-05")])
    assert a == b != baby


def test_an_age_told_by_its_decade_joins_no_case(tmp_path):
    """"A man in his 50s" and "a woman in her 50s" of one area's reviews are not
    one person for their decade; an exact age may be."""
    def fifties(subject: str | None, text: str, date: str) -> dict:
        rec = _aged(subject, 18262, rtype="SAR", date=date)
        rec["case"]["subjects"][0]["age_text"] = text
        return rec
    a, b, c, d = _cases(tmp_path, [fifties("Mr A", "50s", "2019-03"), fifties(None, "50s", "2019"),
                                   fifties("Mr B", "50 years", "2018-03"), fifties(None, "50 years", "2018")])
    assert a != b and c == d


def _subject_names(store: Store, cid: str) -> set[str]:
    return {r[0] for r in store.db.execute("SELECT n.name FROM edges e JOIN nodes n ON n.id = e.dst "
                                           "WHERE e.src = ? AND e.rel = 'SUBJECT'", (cid,))}


def test_an_unnamed_subject_stays_so_beside_two_named_or_beside_its_own_documents(tmp_path):
    """A document naming one of a case's two named subjects, or one the document that
    gave the age named beside it, does not take over the unnamed subject."""
    two = _aged("Child A", 6209, date="2019-05")
    two["case"]["subjects"].append({"pseudonym": "Child B", "age_text": "9 years", "age_days": 3287})
    sibling = _aged("Child C", 6209, date="2016-02")
    sibling["case"]["subjects"].append({"pseudonym": None, "age_text": "3 years", "age_days": 1096})
    a, b, c, d, e = _cases(tmp_path, [two, _aged(None, 6209, date="2019-05"), _aged("Child A", 6209, date="2019-05"),
                                      sibling, _aged("Child C", 6209, date="2016-02")])
    store = Store(tmp_path / "s.db")
    assert a == b == c and _subject_names(store, a) == {"Child A", "Child B", "unnamed subject"}
    assert d == e and _subject_names(store, d) == {"Child C", "unnamed subject"} and store.check() == []


def test_a_name_no_document_gives_any_more_is_dropped(tmp_path):
    """The document that named the 17-year-old, replaced by one naming another child
    of that age, leaves the first document's subject unnamed again: the two are one
    case of the new name, as when loaded afresh."""
    from casegraph.graph.integrity import recount

    store = Store(tmp_path / "s.db")
    aged, named = tmp_path / "aged.yaml", tmp_path / "named.yaml"
    aged.write_text(json.dumps({**_aged(None, 6209, date="2019-05"), "title": "aged"}), "utf-8")
    for name in ("Child A", "Child B"):
        named.write_text(json.dumps({**_aged(name, 6209, date="2019-05"), "title": name}), "utf-8")
        assert load_paths(store, [str(aged), str(named)]).ok
    a, b = (r[0] for r in store.db.execute("SELECT case_id FROM documents ORDER BY path"))
    case = store.db.execute("SELECT name FROM nodes WHERE id = ?", (a,)).fetchone()[0]
    assert a == b and case == "Child B (Harwick)" and _subject_names(store, a) == {"Child B"}
    assert store.check() == [] and store.counts() == recount(store)


def test_documents_giving_only_an_age_do_not_meet_by_it(tmp_path):
    """Two 17-year-olds of one area's reviews in March and October: documents that
    name neither meet by the month, not by the age."""
    a, b, c = _cases(tmp_path, [_aged(None, 6209, rtype="CPR", date="2019-10"),
                                _aged(None, 6209, rtype="CPR", date="2019-03"), _aged(None, 6209, rtype="CPR")])
    assert len({a, b, c}) == 3


def test_an_age_two_cases_share_joins_neither(tmp_path):
    a, b, c, d = _cases(tmp_path, [_aged("Child A", 6209), _aged("Child B", 6209), _aged(None, 6209),
                                   _aged("Child C", 6209, date="2019-03")])
    assert len({a, b, c, d}) == 4


def test_unknown_names_and_areas_never_merge(tmp_path):
    a, b = _cases(tmp_path, [_rec(None, locality=None), _rec(None, locality=None)])
    assert a != b


def test_a_subject_given_an_age_but_no_name(tmp_path):
    """"A six-week-old baby": the record keeps the age; the subject names no case, so
    two such documents meet only as documents naming no one do."""
    from casegraph.loaders.extract import extract
    from casegraph.loaders.readers import read_document

    texts = ["A six-week-old baby died after co-sleeping with an adult in Harwick in March 2021, a review found.\n",
             "A six-week-old baby died in Carrow in May 2020, a review found.\n"]
    for i, text in enumerate(texts):
        (tmp_path / f"{i}.txt").write_text(text, "utf-8")
    record = extract(read_document(str(tmp_path / "0.txt")))
    assert [(s["pseudonym"], s["age_text"], s["age_days"]) for s in record.case["subjects"]] == [
        (None, "six weeks", 42)]
    store = Store(tmp_path / "s.db")
    assert load_paths(store, [str(tmp_path / "0.txt"), str(tmp_path / "1.txt")]).loaded == 2
    cases = {c for (c,) in store.db.execute("SELECT case_id FROM documents")}
    assert len(cases) == 2
    people = [(name, props["age_text"]) for _, _, name, props in store.nodes("Person")]
    assert people == [("unnamed subject", "six weeks")] * 2


def test_unnamed_subjects_of_far_apart_ages_are_two_cases(tmp_path):
    """Documents naming no one meet by their area, review and month, unless the ages
    they give the subject are far apart (a baby and a teenager)."""
    tail = (" died in Carrow in May 2020, a child safeguarding practice review by Carrow Safeguarding "
            "Children Partnership found.\n")
    for name, who in [("a", "A six-week-old baby"), ("b", "A seven-week-old baby"), ("c", "A 15-year-old boy")]:
        (tmp_path / f"{name}.txt").write_text(who + tail, "utf-8")
    store = Store(tmp_path / "s.db")
    assert load_paths(store, [str(tmp_path / f"{n}.txt") for n in "abc"]).loaded == 3
    case = {path[-5:]: cid for path, cid in store.db.execute("SELECT path, case_id FROM documents")}
    assert case["a.txt"] == case["b.txt"] != case["c.txt"]


@pytest.mark.parametrize(("text", "named", "area"), [
    # An area's alias counts where a place is expected, as its own name does.
    ("Members of the Glasgow Child Protection Committee met twice.", [], "Glasgow City"),
    # A body the gazetteer does not know names no area when its words are a body's.
    ("The Health and Care Professions Council struck off a social worker in Swindon.",
     ["Health and Care Professions"], "Swindon"),
    # A partnership's web address where the words name no area; others name none.
    ("Serious Case Review Summary, Child R. Page 2 of 20. harrowlscb.org.uk/reviews", [], "Harrow"),
    ("Serious Case Review Summary, Child R. Page 2 of 20. www.gov.uk/guidance", [], None),
    # A regional board: the member area the text's places name (not its own name); else the region.
    ("The board's report on the toddler from Tenby was published.", ["Mid and West Wales"], "Pembrokeshire"),
    ("The board's report on the toddler was published.", ["Mid and West Wales"], "Mid and West Wales"),
    ("A toddler from Penarth in the Vale of Glamorgan died.", ["Cardiff and Vale"], "Vale of Glamorgan"),
    ("He lived in Basildon, Essex.", ["SET"], "Essex"),
    ("The board's review of a baby's injuries was published.", ["Northern Ireland"], "Northern Ireland"),
    ("The baby lived in Newtownabbey.", ["Northern Ireland"], "Antrim and Newtownabbey"),
    # Two places joined in a partnership's name: their area if they share one, else the
    # one of the two the text's other places name most, else the partnership's own area.
    ("The partnership published its review.", ["Kendal and Penrith"], "Westmorland and Furness"),
    ("Derby and Derbyshire board: he lived in Chesterfield.", ["Derby and Derbyshire"], "Derbyshire"),
    ("Derby and Derbyshire board: he lived in Derby.", ["Derby and Derbyshire"], "Derby"),
    ("The Derby and Derbyshire board published its review.", ["Derby and Derbyshire"], "Derby and Derbyshire"),
    ("The CSP published its review of the death.", ["CARLISLE AND EDEN"], "CARLISLE AND EDEN"),
    # A person by where they live: "a Gravesend man".
    ("The 71-year-old Gravesend man was killed by his son.", [], "Kent"),
    ("An Ashford family said the review was too late.", [], "Kent"),
    # "The Morley family": a surname's, not the town's.
    ("The review into the death of Ann was published. The Morley family said they were let down.", [], None),
    # A one-word area that is also a common word counts before "partners", as before "Council".
    ("The new duty will require Sutton partners to review how they respond.", [], "Sutton"),
])
def test_localities(text, named, area):
    from casegraph.loaders.places import locality

    assert locality(text, named) == area


@pytest.mark.parametrize(("text", "named", "when", "area"), [
    # A town of an area since abolished is that area's when the incident came before the change.
    ("A man died at his home in Kendal.", [], "2012-05", "Cumbria"),
    ("A man died at his home in Kendal.", [], "2024-01", "Westmorland and Furness"),
    ("A man died at his home in Kendal.", [], None, "Westmorland and Furness"),
    ("The partnership published its review.", ["South Lakeland"], "2016", "Cumbria"),
    ("A toddler from Parkstone died.", [], "2015-03", "Poole"),
    ("A toddler from Parkstone died.", [], "2021-03", "Bournemouth, Christchurch and Poole"),
    ("The girl lived in Kettering.", [], "2019", "Northamptonshire"),
    ("The girl lived in Kettering.", [], "2022", "North Northamptonshire"),
    # An area named as such is that area, whenever: not its predecessor.
    ("Westmorland and Furness Council said he died.", ["Westmorland and Furness"], "2021", "Westmorland and Furness"),
])
def test_the_area_of_a_place_at_the_time(text, named, when, area):
    from casegraph.loaders.places import locality

    assert locality(text, named, when) == area


@pytest.mark.parametrize(("name", "area"), [
    ("Norfolk Countywide", "Norfolk"),
    ("North Yorkshire Multi Agency", "North Yorkshire"),
    ("Sale Town", None),  # an ordinary word first is no area
])
def test_a_body_place_with_words_of_its_own(name, area):
    from casegraph.loaders.places import _area_of_body, is_area

    assert _area_of_body(name) == area
    assert is_area("Torbay") and not is_area("Barry")  # a town's name is also a first name


@pytest.mark.parametrize(("name", "place"), [
    ("Northumberland Children and Adult Safeguarding Partnership", "Northumberland"),
    ("Coventry City Local Safeguarding Children Board", "Coventry"),
    ("Bristol Safeguarding Adults Board", "Bristol"),
    ("Carlisle and Eden Community Safety Partnership", "Carlisle"),
    ("Gwent Safeguarding Board", "Gwent"),
    ("London Borough of Southwark Safeguarding Children Board", "Southwark"),  # as its acronym's key
    ("Isle of Wight Safeguarding Adults Board", "Isle of Wight"),
    ("Doncaster's Safeguarding Children Board", "Doncaster"),
])
def test_partnership_places(name, place):
    from casegraph.loaders.resolve import locality_of_partnership

    assert locality_of_partnership(name) == place


def test_a_partnership_place_keeps_both_places_a_body_is_named_for():
    from casegraph.loaders.resolve import partnership_place

    assert partnership_place("Carlisle and Eden Community Safety Partnership") == "Carlisle and Eden"
    assert partnership_place("Cardiff and Vale Regional Safeguarding Board") == "Cardiff and Vale"


def test_a_regional_board_s_review_is_about_the_member_area_its_text_names():
    import hashlib

    from casegraph.loaders.extract import extract
    from casegraph.schema.record import Document

    # Cardiff, named first, is no Gwent area: the member area the text names is.
    text = ("A baby born in Cardiff died at home in Pontypool. The Gwent Safeguarding Board has published a "
            "child practice review. The review found that agencies did not share information.\n")
    doc = Document(path="t.txt", sha256=hashlib.sha256(text.encode()).hexdigest(), text=text, kind="news")
    assert extract(doc).case["locality"] == "Torfaen"


def test_a_pseudonym_of_a_letter_is_no_full_name(tmp_path):
    """'Subject A' of two years are two cases, even from two bodies' reviews."""
    a, b = _cases(tmp_path, [
        _rec("Subject A", date="2012-07", rtype="DHR", label="4", board="East Harwick Community Safety Partnership"),
        _rec("Subject A", date="2011-09", rtype="DHR", label="3", board="North Harwick Community Safety Partnership")])
    assert a != b


def test_one_review_named_by_two_bodies_names_is_one_case(tmp_path):
    a, b = _cases(tmp_path, [
        _rec("Neil", date="2020-12", rtype="DHR", label="23", board="East Harwick Community Safety Partnership"),
        _rec("Neil", rtype="DHR", label="23", board="Harwick Community Safety Partnership")])
    assert a == b


def test_a_setting_names_the_review_of_documents_naming_no_one(tmp_path):
    a, b, c, d = _cases(tmp_path, [_rec(None, rtype="SAR", label="Elmside View"),
                                   _rec(None, rtype="SAR", label="Elmside View", board="Harwick Adults Board"),
                                   _rec(None, rtype="SAR", label="Elmside View", locality="Carrow"),
                                   _rec("Child K", date="2019-01", rtype="SCR", label="Elmside House")])
    (tmp_path / "e").mkdir()
    e = _cases(tmp_path / "e", [_rec("Child J", date="2018-01", rtype="SCR", label="Elmside House"),
                                _rec("Child K", date="2019-01", rtype="SCR", label="Elmside House")])
    assert a == b and c != a and d != a and e[0] != e[1]


def test_a_council_acronym_names_no_area():
    from casegraph.loaders.extract import extract
    from casegraph.schema.record import Document

    text = ("Domestic Homicide Review: Kent Community Safety Partnership.\n\n"
            "KCC Adult Social Care should offer every carer an assessment of their own.\n")
    rec = extract(Document(path="t.txt", sha256="0" * 64, text=text, kind="report"))
    assert rec.case["locality"] == "Kent"
    text = "KCC Adult Social Care should offer every carer an assessment of their own.\n"
    assert extract(Document(path="t.txt", sha256="1" * 64, text=text, kind="report")).case["locality"] is None


@pytest.mark.parametrize(("text", "area"), [
    # A service named for two areas counts half for each: the text's own places decide.
    ("Devon and Cornwall Police were called to the flat. " + "The review read the records. " * 35
     + "She had often attended the Royal Devon and Exeter Hospital.", "Devon"),
    ("Officers from Devon and Cornwall Police attended the flat in Truro.", "Cornwall"),
    # Alone, it still names the first.
    ("Officers from Devon and Cornwall Police attended the flat.", "Devon"),
])
def test_a_service_of_two_areas(text, area):
    from casegraph.loaders.places import locality

    assert locality(text, []) == area


def test_services_of_two_areas_named_many_times_are_counted_in_linear_time():
    import time

    from casegraph.loaders.places import locality

    started = time.process_time()
    assert locality("Staff at Devon and Cornwall Police met. " * 16000 + "She lived in Truro.", []) == "Cornwall"
    assert time.process_time() - started < 5  # each place against each service's span took 10 s


def test_a_partnership_of_two_areas_before_a_council_named_later():
    from casegraph.loaders.places import locality

    assert locality("The reviewer worked for Wrexham council.", ["Conwy and Denbighshire", "Wrexham"]) == \
        "Conwy and Denbighshire"


def test_one_surname_spelled_mc_or_mac_is_one_name():
    from casegraph.loaders.resolve import pseudonym_key

    assert pseudonym_key("Kennedy Macfarlane") == pseudonym_key("Kennedy McFarlane") == "kennedy-mcfarlane"
    assert pseudonym_key("Baby MacKenzie") == pseudonym_key("McKenzie")
    # a first name or a short one is left as it is
    assert pseudonym_key("Macy Lee") == "macy-lee" and pseudonym_key("Mack") == "mack"


@pytest.mark.parametrize(("second", "one"), [
    ("Suzanne Browne", True),  # one name spelled two ways in one area
    ("Suzanne Brown", True),
    ("Susan Browne", False),  # another first name
    ("Suzanne Brennan", False),
    ("Suzanne Brawn", False),  # one letter changed: as often another surname
])
def test_a_full_name_spelled_two_ways_is_one_case(tmp_path, second, one):
    a, b = _cases(tmp_path, [_rec("Suzanne Brown", date="2017-03"), _rec(second, date="2017-03")])
    assert (a == b) == one
