"""Each extractor on short texts written for these tests in the styles reviews
come in: full report, executive summary, news article, SAR, DHR."""

from __future__ import annotations

import hashlib

import pytest
from conftest import SAMPLES

from casegraph.loaders.extract import extract
from casegraph.loaders.structure import layout
from casegraph.schema.record import Document

REPORT = """\
ASHBURY SAFEGUARDING CHILDREN PARTNERSHIP
CHILD SAFEGUARDING PRACTICE REVIEW

Child Safeguarding Practice Review concerning Child T

Date of publication: May 2023

1. INTRODUCTION

1.1 This review concerns Child T, who died aged 14 months in October 2022 after a fall at home.

1.2 The review was commissioned by the Ashbury Safeguarding Children Partnership (ASCP).

2. FAMILY BACKGROUND

Mother\t20
Father\t26
Sibling 1\t4

3. CHRONOLOGY OF PROFESSIONAL INVOLVEMENT

3.1 In January 2022 the health visitor completed a home visit and noted that Mother seemed low.

3.2 Two weeks later the GP saw Mother, who did not attend the follow-up appointment.

3.3 On 4 March 2022 Ashbury Police attended a domestic abuse incident; the referral to
children's social care was not followed up.

3.4 The following month a social worker visited the family and the case was closed after one visit.

4. ANALYSIS

4.1 Information about the domestic abuse incident was not shared with the health visitor.

4.2 The assessment relied on what the parents said and the father was not assessed.

4.3 The impact of the father's cannabis use on the care of the children was not assessed.

4.4 There is no evidence that this would have changed the outcome for Child T.

4.5 The health visitor's prompt referral was good practice.

5. RECOMMENDATIONS

Recommendation 1

Ashbury Children's Social Care

Assessments must include fathers and other adults in the household.

Recommendation 2

a) All agencies

Practitioners should share information about domestic abuse incidents within one working day.

b) Ashbury Police

Notifications of incidents involving children must reach the health visiting service.
"""

NEWS = """\
Toddler's death: agencies 'failed to share information'
Published: 12 June 2023
A review into the death of a 14-month-old boy in Ashbury has found that agencies missed chances to protect him.
The child safeguarding practice review, published by the Ashbury Safeguarding Children Partnership,
referred to him as Child T.
Child T died in October 2022.
It found that police and children's social care did not share information and that the father was never assessed.
The review makes four recommendations.
"""

SAR = """\
Brinford Safeguarding Adults Board
Safeguarding Adults Review: Mr K

Executive summary

1.1 Mr K, 67, died in February 2021 from self-neglect at his flat.

1.2 Adult social care closed the case after Mr K declined support; his mental capacity was never assessed.

1.3 Information held by the GP was not shared with the housing provider.

Recommendations

1. The Board should publish a self-neglect protocol.
2. Agencies should record mental capacity assessments when a person declines care.
"""

DHR = """\
Carrow Community Safety Partnership
Domestic Homicide Review into the death of Ms D

2.1 Ms D was killed by her partner in August 2020.

2.2 Police attended four domestic abuse incidents but no MARAC referral was made.

2.3 The GP did not explore her low mood or ask about domestic abuse.

The review makes three recommendations.
"""


def _record(text: str, kind: str = "report"):
    doc = Document(path="t.txt", sha256=hashlib.sha256(text.encode()).hexdigest(), text=text, kind=kind)
    return extract(doc)


def _spans_exact(record, text):
    d = record.to_dict()
    for key in ("agencies", "findings", "recommendations", "risk_factors", "contacts"):
        for item in d[key]:
            for ev in item["evidence"]:
                assert text[ev["start"]:ev["end"]] == ev["quote"]


def test_structure_finds_sections_and_paragraphs():
    lay = layout(REPORT)
    numbers = [b.number for b in lay.blocks if b.number]
    assert "3.3" in numbers and "4.5" in numbers
    sections = {b.number: b.section for b in lay.blocks if b.number}
    assert sections["3.1"] == "chronology" and sections["4.2"] == "analysis"


def test_report_entities():
    rec = _record(REPORT)
    assert rec.review["type"] == "CSPR"
    assert rec.review["published"] == "2023-05"
    assert rec.case["locality"] == "Ashbury"
    assert rec.case["incident_date"] == "2022-10"
    subject = rec.case["subjects"][0]
    assert subject["pseudonym"] == "Child T"
    assert subject["age_text"] == "14 months" and subject["age_days"] == 426
    assert subject["outcome"] == "died"
    roles = {f["pseudonym"]: f["role"] for f in rec.case["family"]}
    assert roles == {"Mother": "mother", "Father": "father", "Sibling 1": "sibling"}


def test_report_agencies_and_acronyms():
    rec = _record(REPORT)
    types = {a.type for a in rec.agencies}
    assert {"health-visiting", "gp", "police", "children-social-care",
            "safeguarding-partnership"} <= types
    partnership = next(a for a in rec.agencies if a.type == "safeguarding-partnership")
    assert "ASCP" in partnership.aliases
    assert next(a for a in rec.agencies if a.type == "police").name == "Ashbury Police"


def test_report_findings_polarity_and_denials():
    rec = _record(REPORT)
    themes = set(rec.themes)
    assert {"information-sharing", "parental-self-report", "father-not-assessed",
            "substance-misuse-impact"} <= themes
    texts = [f.text for f in rec.findings]
    assert not any("no evidence" in t for t in texts), "a denial became a finding"
    good = [f for f in rec.findings if f.polarity == "good-practice"]
    assert any("good practice" in f.text for f in good)


def test_report_recommendations_with_sub_items():
    rec = _record(REPORT)
    assert [r.number for r in rec.recommendations] == ["1", "2a", "2b"]
    assert rec.recommendations[1].addressed_to == ["all-agencies"]
    assert rec.recommendations[2].addressed_to == ["Ashbury Police"]
    assert rec.review["recommendations_count"] == 3


def test_report_contacts():
    rec = _record(REPORT)
    by_para = {c.evidence[0].paragraph: c for c in rec.contacts}
    assert by_para["3.1"].kind == "visit" and by_para["3.1"].when.startswith("In January 2022")
    assert by_para["3.2"].missed
    assert by_para["3.3"].agency == "Ashbury Police"
    assert by_para["3.4"].kind in ("visit", "assessment")


def test_report_risk_factors():
    ids = {r.id for r in _record(REPORT).risk_factors}
    assert {"domestic-abuse", "parental-mental-health", "parental-substance-misuse",
            "non-engagement"} <= ids


def test_news_article():
    rec = _record(NEWS, kind="news")
    assert rec.review["type"] == "CSPR"
    assert rec.case["subjects"][0]["pseudonym"] == "Child T"
    assert rec.case["subjects"][0]["age_text"] == "14 months"
    assert rec.case["incident_date"] == "2022-10"
    assert rec.review["recommendations_count"] == 4
    assert {"missed-opportunities", "information-sharing", "father-not-assessed"} <= set(rec.themes)
    assert rec.document["published"] is None or rec.document["published"].startswith("2023")


def test_sar_executive_summary():
    rec = _record(SAR)
    assert rec.review["type"] == "SAR"
    assert rec.case["locality"] == "Brinford"
    assert rec.case["subjects"][0]["pseudonym"] == "Mr K"
    assert rec.case["incident_date"] == "2021-02"
    assert {"self-neglect-response", "mental-capacity", "information-sharing"} <= set(rec.themes)
    assert "adult-social-care" in {a.type for a in rec.agencies}
    assert len(rec.recommendations) == 2
    assert "self-neglect" in {r.id for r in rec.risk_factors}


def test_dhr():
    rec = _record(DHR)
    assert rec.review["type"] == "DHR"
    assert rec.case["locality"] == "Carrow"
    assert rec.case["subjects"][0]["pseudonym"] == "Ms D"
    assert rec.review["recommendations_count"] == 3
    assert "domestic-abuse-response" in rec.themes
    assert "domestic-abuse" in {r.id for r in rec.risk_factors}


@pytest.mark.parametrize(("text", "ids"), [
    # The killer's illness, told by his title and name, by a word for him, or by "he".
    ("A domestic homicide review into the death of Ann Rowe was published. Mr Hale, who had schizophrenia, "
     "stabbed her at their home.", {"perpetrator-mental-health"}),
    ("A domestic homicide review into the killing of Ann Rowe was published. Her son had been sectioned "
     "twice.", {"perpetrator-mental-health"}),
    # The illness of the one killed stays theirs; told of both, it is both.
    ("A domestic homicide review into the death of Ann Rowe was published. Ann Rowe had bipolar disorder "
     "and lived alone.", {"adult-mental-illness"}),
    ("A domestic homicide review into the death of Mrs P was published. Mrs P had bipolar disorder.",
     {"adult-mental-illness"}),
    ("A domestic homicide review into the death of Ann Rowe was published. Ann Rowe had bipolar disorder. "
     "He had paranoid schizophrenia.", {"adult-mental-illness", "perpetrator-mental-health"}),
    # Told by her partner, or of a titled name where the one killed is unnamed: hers.
    ("A domestic homicide review into the death of Ann Rowe was published. Her partner said she had been "
     "depressed since 2010.", {"adult-mental-illness"}),
    ("A domestic homicide review into the death of a Harwick woman was published. Mrs Rowe had had depression "
     "for years.", {"adult-mental-illness"}),
    # A man who killed himself, or a man killed whose own illness is told: theirs.
    ("A safeguarding adults review into the death of Mr Hale was published. Mr Hale killed himself in 2019. "
     "He had paranoid schizophrenia.", {"adult-mental-illness"}),
    ("A domestic homicide review into the death of Mr Tom Hale was published. He was killed by his son. "
     "Before his death he had been treated for depression.", {"adult-mental-illness"}),
    # A safeguarding adults review of a man's own illness, no killing told: his.
    ("A safeguarding adults review into the death of Mr Hale was published. He had schizophrenia.",
     {"adult-mental-illness"}),
])
def test_whose_mental_illness_a_killings_review_tells(text, ids):
    found = {r.id for r in _record(text).risk_factors} & {"adult-mental-illness", "perpetrator-mental-health"}
    assert found == ids


@pytest.mark.parametrize("text", [REPORT, NEWS, SAR, DHR])
def test_spans_exact(text):
    _spans_exact(_record(text), text)


def test_vocabulary_identifiers_are_complete():
    from casegraph.schema.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    for tid in ("children-social-care", "health-commissioner", "safeguarding-partnership", "other"):
        assert tid in vocab["agency_types"]
    for tid in ("parental-self-report", "disguised-compliance", "case-transfer", "transitions"):
        assert tid in vocab["themes"]
    assert vocab["themes"]["parental-self-report"].broader == ("assessment-quality",)
    for tid in ("parental-imprisonment", "adult-mental-illness", "previous-injury"):
        assert tid in vocab["risk_factors"]


NAMED_NEWS = """\
Boy's death: review finds missed chances
Arthur Denton-Hale, six, died at his home in 2021.
Bramley Children's Services had received two referrals about bruising.
A local child safeguarding practice review found that professionals accepted explanations at face value.
"""


def test_news_naming_the_child_in_full():
    rec = _record(NAMED_NEWS, kind="news")
    assert rec.case["subjects"][0]["pseudonym"] == "Arthur Denton-Hale"
    assert rec.case["subjects"][0]["age_text"] == "six years"
    assert rec.case["locality"] == "Bramley"
    assert rec.review["type"] == "CSPR"
    assert "parental-self-report" in rec.themes


def test_review_type_prefers_the_title_block():
    body = "The family moved twice. " * 100 + "An earlier serious case review found the same. " * 5
    text = "LOCAL CHILD SAFEGUARDING PRACTICE REVIEW\n\n" + body
    rec = _record(text)
    assert rec.review["type"] == "CSPR"


def test_a_review_its_opening_calls_non_statutory_is_other():
    from casegraph.loaders.entities import review_type

    text = ("Harwick non-statutory review published\n\nA Local Child Safeguarding Practice Review must be held "
            "when a case meets the criteria; this one did not, and the partnership chose to learn from it.\n")
    assert review_type(text, "2024-08")[0] == "other"
    later = "The Local Child Safeguarding Practice Review was published. " * 40 + "A non-statutory review followed."
    assert review_type(later, "2024-08")[0] == "CSPR"
    assert review_type("Unlike a non-statutory review, this Serious Case Review is required by law.", None)[0] == "SCR"
    # A non-statutory review weighed and not held, or one held before this review, is not this one.
    for opening in ("The partnership considered whether a non-statutory review would be enough",
                    "No non-statutory review was held", "A non-statutory review had been held by the school in 2019"):
        text = f"Child Safeguarding Practice Review: Child K\n{opening}; this Child Safeguarding Practice Review ..."
        assert review_type(text, "2022-01")[0] == "CSPR", opening


def test_an_adult_serious_case_review_before_2015_is_a_sar():
    from casegraph.loaders.entities import review_type

    text = ("The SCR looked at Ashby Care Services after a safeguarding investigation. Mr A, 87, received "
            "domiciliary support from the agency after his family arranged his care.\n")
    assert review_type(text, "2012-05")[0] == "SAR"


def test_a_welsh_boards_report_is_a_practice_review():
    from casegraph.loaders.entities import review_type

    child = ("The death of a toddler has come under scrutiny after a report by CYSUR (the Mid and West Wales "
             "Safeguarding Children Board) was published.")
    assert review_type(child, "2024-08")[0] == "CPR"
    adult = "The North Wales Safeguarding Adults Board published its report into the care home resident's death."
    assert review_type(adult, "2019-03")[0] == "APR"
    assert review_type(child, "2011-05")[0] != "CPR"  # before Wales's practice reviews
    # A foster care agency, a day care or childcare provider: a child's, not an adult's.
    for carer in ("an independent foster care agency", "a childcare provider", "a day care provider"):
        text = f"CYSUR report into the care of Jade\nIn 2016 Jade, 14, was placed by {carer} in Harwick."
        assert review_type(text, "2017-03")[0] == "CPR", carer


def test_loose_names_fall_back_on_the_year():
    from casegraph.loaders.entities import review_type

    assert review_type("The case review was published.", "2016-03")[0] == "SCR"
    assert review_type("The case review was published.", "2021-03")[0] == "CSPR"
    assert review_type("Mr SARson met the SAR panel.", None)[0] == "SAR"


def test_bulleted_and_worded_recommendations():
    text = ("1. SUMMARY\n\n1.1 Child Y died in 2020.\n\n2. RECOMMENDATIONS\n\n"
            "The review makes the following recommendations:\n\n"
            "• The partnership should audit strategy discussions.\n\n"
            "• Agencies should record who lives in the household.\n")
    assert [r.number for r in _record(text).recommendations] == ["1", "2"]
    worded = "RECOMMENDATIONS\n\nRecommendation One\n\nAll agencies should share plans.\n"
    assert [r.number for r in _record(worded).recommendations] == ["1"]


def test_gated_matching_equals_running_every_pattern():
    import re

    from casegraph.loaders.concepts import _match, match_many, unquote
    from casegraph.schema.vocabulary import load_vocabulary

    texts = ["The ‘toxic trio’ of domestic abuse, parental mental ill-health and substance misuse.",
             "Mother's \"low mood\" was not explored; the father was not assessed.",
             "Rent arrears and   cannabis use were known to social care.", "", "No theme here."]
    for scheme in ("themes", "risk_factors"):
        concepts = load_vocabulary()[scheme]
        every = [_match(re.sub(r"\s+", " ", unquote(t)), concepts, None) for t in texts]
        assert match_many(texts, concepts) == every


def test_gate_on_every_required_word_set_equals_running_every_pattern():
    """The gate lets a pattern through only where each set of words it requires
    occurs: on the samples' sentences, and on them with words left out (which
    takes a required word away from many), it finds what every pattern finds."""
    import random
    import re

    from casegraph.loaders.concepts import _match, match_many, unquote
    from casegraph.loaders.readers import read_document
    from casegraph.schema.vocabulary import load_vocabulary

    rng = random.Random(4)
    texts = []
    for path in sorted(SAMPLES.glob("*")):
        for sentence in re.split(r"(?<=[.;:])\s+", read_document(path).text):
            words = sentence.split()
            texts.append(sentence)
            for _ in range(3):
                texts.append(" ".join(w for w in words if rng.random() > 0.15))
    for scheme in ("themes", "risk_factors"):
        concepts = load_vocabulary()[scheme]
        every = [_match(re.sub(r"\s+", " ", unquote(t)), concepts, None) for t in texts]
        assert sum(map(bool, every)) > 100
        assert match_many(texts, concepts) == every


def test_a_pattern_said_not_to_occur_never_matches():
    """may_occur rules a pattern out only where it cannot match: checked for every
    name, theme and risk pattern on the samples' sentences and a few names."""
    import re

    from casegraph.loaders.readers import read_document
    from casegraph.schema.gates import may_occur
    from casegraph.schema.vocabulary import load_vocabulary

    texts = ["An order under the Mental Health Act 1983 was made.", "the mental health act",
             "A Multi-Agency Risk Assessment Conference met.", "Its Individual Management Review said so.",
             "Act now", "Brown and Sons Ltd trained them."]
    for path in sorted(SAMPLES.glob("*")):
        texts += re.split(r"(?<=[.;:])\s+", read_document(path).text)
    vocabulary = load_vocabulary()
    patterns = {x for c in vocabulary["themes"].values() for x in (*c.names, *c.patterns)}
    patterns |= {x for c in vocabulary["risk_factors"].values() for x in c.patterns}
    ruled_out = 0
    for pattern in patterns:
        for text in texts:
            if not may_occur(pattern, text, text.lower()):
                ruled_out += 1
                assert pattern.search(text) is None, (pattern.pattern, text)
    assert ruled_out > 1000
    # It keeps no texts: a load asks it about millions of sentences.
    assert not hasattr(may_occur, "cache_info")


def _random_texts(pieces: list[str], n: int, seed: int) -> list[str]:
    import random

    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(n)]


def test_anchored_age_scan_equals_the_full_regex():
    from casegraph.loaders.ages import _AGE, _ages

    pieces = ["less than ", "under ", "nearly ", "just ", "only ", "aged", "age", "age of", "died ",
              "day", "weeks", "month", "year", "years", "old", "-", " ", "  ", "\n", ",", ", ", "was",
              "who", "one", "seventeen", "teen", "twenty", "1", "12", "2014", "x", "someone", "often",
              "s", "-old", " old", "page", "agency", "\u00a0", "\u0661\u0662", "-and-a-half", " and a half", "half",
              " of age", " of", "in his ", "in her ", "their ", "early", "mid", "late", "the ", "50s", "0s", "190",
              "eighties", "ties", "twen"]
    for text in _random_texts(pieces, 20000, 1):
        expected = [(m.span(), m.groupdict()) for m in _AGE.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in _ages(text)] == expected, text


def test_agency_scan_near_required_words_equals_the_full_scan():
    from casegraph.schema.gates import gate, scan
    from casegraph.schema.vocabulary import load_vocabulary

    concepts = load_vocabulary()["agency_types"]
    agate = gate(concepts, fast=True)
    pieces = ["council ", "social care", "county ", "hospitals", "university ", "children's ",
              "emergency department", "nhs ", "trust ", "midwife", "midwifery", " team", "community ",
              "scb", "lscp", "ab", "x", "-", "_", " ", "drugs", " support", " services", "school",
              " nurse", "clinical commissioning group", "local ", "s", "family support", "é", "\n"]
    for low in _random_texts(pieces, 3000, 2):
        places = agate.places(low)
        for cid, concept in concepts.items():
            for k, pattern in enumerate(concept.fast):
                if (cid, k) in places:
                    assert scan(pattern, low, places[cid, k]) == scan(pattern, low), (low, pattern)


def test_folded_word_search_equals_caseless_search():
    import re

    from casegraph.loaders.contacts import _KINDS
    from casegraph.schema.vocabulary import after_words, fold

    pieces = ["Referred", "referral", "A&E", "a&e", "attended the ", "Hospital", "CALL", "call", "ed ",
              "x", " ", "-", "_", "Check", "İ", "ı", "ſ", "\u212a", "É", "ẞ", "aſſeſſ", "telephon", "ing"]
    for text in _random_texts(pieces, 5000, 3):
        low = fold(text)
        assert len(low) == len(text)
        for _, words in _KINDS:
            caseless = [m.span() for m in re.finditer(rf"\b(?:{words})", text, re.I)]
            assert [m.span() for m in after_words(re.compile(words), low)] == caseless, text


def test_fast_theme_and_risk_matching_equals_every_full_pattern():
    import re

    from casegraph.loaders.concepts import _match, _prepare, match_many, squeeze, unquote
    from casegraph.schema.vocabulary import load_vocabulary

    pieces = ["domestic abuse", "Domestic Violence", "mental ill-health", "neglect", "NEGLECTED ", "drug",
              "substance misuse", "alcohol", "was not", "‘toxic trio’", "\"", "'", "’s ", " ", "  ", "\n",
              "\t", "-", "self-harm", "housing", "rent arrears", "cannabis", "information sharing", "x",
              "assessment", "supervision", "İ", "ſ", "é", ".", ",", "bruis", "ing", "injur", "ies"]
    texts = _random_texts(pieces, 1500, 4)
    # Prepared together, each text is unquoted and squeezed as it would be alone.
    assert _prepare(texts)[0] == [re.sub(r"\s+", " ", unquote(t)) for t in texts]
    for scheme in ("themes", "risk_factors"):
        concepts = load_vocabulary()[scheme]
        every = [_match(re.sub(r"\s+", " ", unquote(t)), concepts, None) for t in texts]
        assert match_many(texts, concepts) == every
        assert [squeeze(unquote(t)) for t in texts] == [re.sub(r"\s+", " ", unquote(t)) for t in texts]


def test_word_search_finds_every_word_at_every_place():
    from casegraph.schema.gates import WordSearch, _words
    from casegraph.schema.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    words = frozenset(_words(vocabulary["themes"], False) | _words(vocabulary["risk_factors"], False))
    search = WordSearch(words)
    lengths = {len(w) for w in words}
    pieces = ["domestic ", "abuse", "neglect", "mental", "health", "drug", "alcohol", "a", "s", "-",
              " ", "’", "x", "self", "harm", "housing", "parent", "al", "was ", "not ", "é"]
    texts = _random_texts(pieces, 2000, 5)
    for text in texts:
        expected = sorted((i, text[i:i + n]) for i in range(len(text)) for n in lengths
                          if i + n <= len(text) and text[i:i + n] in words)
        assert search.hits(text) == expected, text
    assert any(search.hits(t) for t in texts) and WordSearch(frozenset()).hits("abuse") == []
    # What it remembers of a piece is what it finds there afresh (in order of where
    # each ends, which the gate does not depend on).
    fresh = WordSearch(words)
    assert [sorted(f) for f in search.found(texts)] == [sorted(w for _, w in fresh.hits(t)) for t in texts]
    assert [sorted(f) for f in WordSearch(words).found(texts)] == [sorted(w for _, w in fresh.hits(t))
                                                                   for t in texts]


def test_sentence_ends_match_without_look_behind():
    import re

    from casegraph.loaders.structure import _SENT_END

    # The look-behind form this replaced; blocks never start just after . ! or ?.
    behind = re.compile(r"(?<=[.!?])[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9•])|\n[ \t]*\n|\n(?=[ \t]*[-•*▪·]\s)")
    pieces = [".", "!", "?", "\"", "'", "”", "’", ")", "]", " ", "  ", "\n", "\n\n", "\t", "A", "a", "1",
              "•", "-", "“", "(", "[", "x", "Mr.", " e.g."]
    for text in _random_texts(pieces, 20000, 6):
        for start in range(len(text) + 1):
            if start and text[start - 1] in ".!?":
                continue
            old = [m.end() if m.group(0).strip() else m.start() for m in behind.finditer(text, start)]
            new = [m.start() if m.group(0)[0] == "\n" else m.end() for m in _SENT_END.finditer(text, start)]
            assert new == old, (text, start)


def test_no_abbreviation_ends_a_sentence():
    import re

    from casegraph.loaders.structure import _ABBREV

    # Every abbreviation the regex names, in the case written and in capitals.
    names = re.search(r"\(\?:(.*?)\)\)", _ABBREV.pattern).group(1).replace("\\.", ".").split("|")
    assert len(names) > 10
    for name in names:
        for form in (name, name.upper()):
            text = f"They saw {form}. Jones at home. It was late."
            assert [text[s.start:s.end] for s in layout(text).sentences] == [
                f"They saw {form}. Jones at home.", "It was late."], form


def test_line_start_matches_equal_finditer():
    import re

    from casegraph.loaders.structure import (
        _BLOCK_START,
        _HEADING,
        _ITEM_HEAD,
        _LIST_START,
        _NUMBERED,
        _heading_lines,
        _line_matches,
    )

    # The three ways a line starts a block, each on its own: their starts together
    # are those of the one combined regex.
    apart = (_NUMBERED, re.compile(_LIST_START, re.M), re.compile(_ITEM_HEAD, re.M | re.I))
    pieces = ["\n", "\n\n", " ", "\t", "1.", "2.3", "6.10 ", "a)", "(b)", "•", "-", "Recommendation", " One",
              " 2", "Finding", "# ", "SUMMARY", "Analysis", ":", ".", "x", "Contents\t3", "\r", "Section ",
              "LESSON", "learning point", "Care and support of the family and its wider network", " " * 40,
              "Ab", "Abc", "(Part)", "A/B", "’", "&", ",", "!", "?", " " * 150, "\t" * 101]

    def non_empty_lines(text: str) -> list[tuple[int, int]]:
        starts = [0, *(m.end() for m in re.finditer("\n", text))]
        return [(a, a + len(line)) for a, line in zip(starts, text.split("\n"), strict=True) if line]

    for text in _random_texts(pieces, 20000, 7):
        spans = non_empty_lines(text)
        lines = [a for a, _ in spans]
        for pattern in (*apart, _BLOCK_START, _HEADING):
            expected = [m.span() for m in pattern.finditer(text)]
            assert [m.span() for m in _line_matches(pattern, text, lines)] == expected, (pattern, text)
        # Headings looked for only on lines short enough to hold one.
        expected = [m.span() for m in _HEADING.finditer(text)]
        assert [m.span() for m in _line_matches(_HEADING, text, _heading_lines(text, spans))] == expected, text
    # The longest headings there are, and one character longer; the shortest, and one shorter.
    for text in ("Ab", "Abc", "\nAb:\n", " Abc\n"):
        spans = non_empty_lines(text)
        expected = [m.span() for m in _HEADING.finditer(text)]
        assert [m.span() for m in _line_matches(_HEADING, text, _heading_lines(text, spans))] == expected, text
    for size in range(76, 84):
        text = f"x\n\t######  section 12.\tT{'i' * (size - 1)}  :  \n"
        spans = non_empty_lines(text)
        lines = [a for a, _ in spans]
        expected = [m.span() for m in _HEADING.finditer(text)]
        assert len(expected) == (size <= 81)
        assert [m.span() for m in _line_matches(_HEADING, text, _heading_lines(text, spans))] == expected, size
        starts = sorted({m.start() for p in apart for m in p.finditer(text)})
        assert [m.start() for m in _line_matches(_BLOCK_START, text, lines)] == starts, text


def test_prefiltered_cue_searches_equal_the_caseless_regexes():
    import re

    from casegraph.loaders.agencies import _PANEL, _panel
    from casegraph.loaders.findings import _GOOD, _SHORTFALL, _found
    from casegraph.schema.vocabulary import fold

    # _SHORTFALL's look-behind stands for after_words' test: the same with either.
    cue = _SHORTFALL.pattern.removeprefix(r"(?<!\w)")
    shortfall, good = (re.compile(rf"\b{p}", re.I) for p in (cue, _GOOD.pattern))
    pieces = ["not", "NO", "n't", "did", "fail", "ed", "good practice", "timely", "Effective", "ly", "panel ",
              "members", "represent", "ative", "Membership", "members of the ", "review ", "İ", "ı", "ſ",
              "\u212a", " ", "-", "_", "x", "and", " and ", "&", "\t", "\n", "West", "Police", "the", "'s",
              "\u00a0", "É", "McD", "’", "1"]
    rng = __import__("random").Random(8)
    for text in _random_texts(pieces, 20000, 8):
        low = fold(text)
        assert bool(_SHORTFALL.search(low)) == _found(re.compile(cue), low) == bool(shortfall.search(text)), text
        assert _found(_GOOD, low) == bool(good.search(text)), text
        a = rng.randint(0, len(text))
        b = rng.randint(a, len(text))
        assert _panel(text, low, a, b) == bool(_PANEL.search(text, a, b)), (text, a, b)


def test_contact_cues_tried_at_their_first_words_find_what_a_scan_finds():
    from casegraph.loaders import contacts as co
    from casegraph.schema.vocabulary import after_words, fold

    pieces = ["meeting", "conference", "referr", "al", "assess", "review", "ed", " of", " at", "check",
              "attended ", "the ", "hospital", "a&e", "admitted", "brought to ", "emergency", "telephon",
              "phoned", "called", "call", "999", "text message", "home ", "visit", "appointment", "clinic",
              "declined", "refused", "would not", "did not attend", "missed", "was not brought", "not ",
              "kept", "seen", "no access", "followed up", "no further action", "shared", "acted on",
              "were not", "was not", "no contact was made", "did not take place", "cancelled", "x", " ",
              ".", "-", "İ", "ſ", "social worker", "health visitor", "gp", "s", "police officer", "nurse",
              "key worker", "officers", "paramedic", "_"]
    # Runs of pieces, most of them apart, so that cues start words.
    texts = [" ".join(t) for t in zip(*[iter(_random_texts(pieces, 12000, 9))] * 4, strict=True)]
    for text in texts:
        low = fold(text)
        places = co._cue_places(low)
        for i, (_, pattern, _) in enumerate(co._CUES):
            starts = [s for cue, s in places if cue == i]
            scanned = [m.start() for m in after_words(pattern, low)]
            assert [s for s in starts if pattern.match(low, s)][:1] == scanned[:1], (pattern.pattern, text)
            assert set(scanned) <= set(starts), (pattern.pattern, text)


def test_bisected_span_checks_equal_the_linear_ones():
    import random

    from casegraph.loaders.findings import Spans

    rng = random.Random(10)
    for _ in range(3000):
        spans = [(a, a + rng.randint(0, 30)) for a in (rng.randint(0, 200) for _ in range(rng.randint(0, 6)))]
        touched = Spans(spans)
        for _ in range(10):
            start = rng.randint(0, 230)
            end = start + rng.randint(0, 40)
            expected = any(a <= start < b or start <= a < end for a, b in spans)
            assert touched.touch(start, end) == expected, (spans, start, end)


def test_folded_spans_equal_folded_slices():
    import random

    from casegraph.schema.vocabulary import fold, fold_span

    rng = random.Random(11)
    pieces = ["Abc", " ", "İ", "ı", "ſ", "\u212a", "Σ", "ΟΔΟΣ", "σ", "ẞ", "ß", "É", "x", ".", "\n", "ǅ", "ﬁ"]
    for text in _random_texts(pieces, 3000, 11):
        folded = fold_span(text)
        for _ in range(5):
            a = rng.randint(0, len(text))
            b = rng.randint(a, len(text))
            assert folded(a, b) == fold(text[a:b]), (text, a, b)


def test_foldable_equals_the_character_class_search():
    import re

    from casegraph.schema.vocabulary import foldable

    pieces = ["abc", " ", "İ", "ı", "ſ", "\u212a", "É", "’", "k", "K", "\n"]
    for text in ["", *_random_texts(pieces, 3000, 14)]:
        assert foldable(text) == bool(re.search("[\u0130\u0131\u017f\u212a]", text)), text


def test_standalone_acronyms_and_review_types_equal_the_bounded_regexes():
    import re

    from casegraph.loaders.agencies import _CAPTION, _CAPTION_WORDS, _standalone
    from casegraph.loaders.reviews import _TYPE_RES
    from casegraph.schema.vocabulary import after_words, fold

    pieces = ["RAS", "AS", "R", "&", "A&E", "SCR", "s", "LCSPR", "CSPR", "SAR", "DHR", "x", "_", " ", "(",
              ")", "-", "\n", "é", "1", "Picture", "photo", "İmage", "credit"]
    for text in _random_texts(pieces, 5000, 12):
        for acronym in ("RAS", "AS", "A&E", "SCR"):
            expected = [m.span() for m in re.finditer(rf"(?<![\w&]){re.escape(acronym)}(?![\w&])", text)]
            assert list(_standalone(text, acronym)) == expected, (acronym, text)
        for _, _, _, acronym, _ in _TYPE_RES:
            expected = [m.span() for m in re.finditer(rf"\b{acronym.pattern}", text)]
            assert [m.span() for m in after_words(acronym, text)] == expected, (acronym, text)
        folded = fold(text)
        for i in range(len(text)):
            assert folded.startswith(_CAPTION_WORDS, i) or not _CAPTION.match(text, i), (text, i)


def test_headings_lie_in_order_within_their_lines():
    import re

    from casegraph.loaders.structure import _headings

    pieces = ["\n", "\n\n", " ", "\t", "1.", "2 ", "# ", "SUMMARY", "Analysis", "Key Findings", ":", ".", "x",
              "Contents\t3", "Section ", "Family Background", "(", ")", "the", "Recommendations"]
    for text in _random_texts(pieces, 5000, 13):
        lines = [m.span() for m in re.finditer("[^\n]+", text)]  # (start, end) of each line with text
        found = _headings(text, lines)
        assert all("\n" not in text[s:e] for s, e, _, _ in found)
        assert all(a[1] <= b[0] for a, b in zip(found, found[1:], strict=False)), text


def test_records_cross_processes_whole() -> None:
    """A record pickled (as from an extraction worker to the writer) comes back equal,
    every nested item of its own class."""
    import pickle

    rec = _record(REPORT)
    assert rec.findings and rec.contacts and rec.recommendations and rec.agencies
    back = pickle.loads(pickle.dumps(rec))
    assert back == rec
    assert type(back.contacts[0]) is type(rec.contacts[0])
    assert type(back.findings[0].evidence[0]) is type(rec.findings[0].evidence[0])


CHRONOLOGY = """Serious Case Review: Child W

1. CHRONOLOGY OF PROFESSIONAL INVOLVEMENT

1.1 In March 2019 the health visitor made a new birth visit to the family home.

1.2 Six months later the GP saw Child W for an immunisation appointment.

1.3 The following month Mother did not attend two clinic appointments with the health visitor.
The health visitor followed up each one with a phone call.

1.4 Two weeks later the health visitor visited again but there was no access and this was not followed up.
"""


def test_contact_flags_are_the_agencys_and_relative_times_resolve():
    by_para = {c.evidence[0].paragraph: c for c in _record(CHRONOLOGY).contacts}
    assert by_para["1.1"].date == "2019-03"
    assert by_para["1.2"].date == "2019-09"  # six months after the visit before it
    assert by_para["1.3"].date == "2019-10"
    # the family missed appointments, and the agency followed them up
    assert by_para["1.3"].status == "followed-up" and not by_para["1.3"].missed
    assert by_para["1.4"].missed


def test_a_contacts_role_is_its_agencys_and_a_month_without_a_year_follows_the_one_before():
    text = ("Harwick Safeguarding Children Partnership\n\nSerious Case Review: Child W\n\n"
            "1. CHRONOLOGY OF PROFESSIONAL INVOLVEMENT\n\n"
            "1.1 In November 2019 Harwick Police attended the home after a call from a neighbour. "
            "The health visitor was not told of the incident.\n\n"
            "1.2 Also in December 2019, the health visitor made a home visit.\n\n"
            "1.3 Later in February the health visitor telephoned the GP about the bruise.\n")
    by_para = {c.evidence[0].paragraph: c for c in _record(text).contacts}
    assert by_para["1.1"].agency == "Harwick Police" and by_para["1.1"].role is None  # not the health visitor's
    assert (by_para["1.2"].when, by_para["1.2"].date) == ("Also in December 2019", "2019-12")
    assert (by_para["1.3"].when, by_para["1.3"].date) == ("Later in February", "2020-02")
    assert by_para["1.3"].role == "health visitor"


NEWS_VOICES = """\
Review finds Wexmoor agencies missed chances to protect baby

A review published by the Wexmoor Safeguarding Children Partnership found that the family's \
health visitor was too easily reassured by the mother and did not question the sleeping arrangements.

The family of the baby say he could have been saved if the police had acted sooner.

Wexmoor Council said in a statement it should have done better and was sorry.

Reviews of this kind are carried out to identify what agencies can learn, not to blame anyone.

The Wexmoor Safeguarding Children Partnership found that child protection procedures were never started \
by children's social care despite three referrals.
"""


def test_whose_words_a_news_sentence_holds_and_who_it_blames():
    found = {f.text.split()[0] + " " + f.text.split()[1]: f for f in _record(NEWS_VOICES, kind="news").findings}
    # The review's finding, on the health visitor; the partnership that found it is not blamed.
    assert "professional-curiosity" in found["A review"].themes
    assert all("Partnership" not in a for a in found["A review"].agencies)
    # A family's and a council's own words, and what reviews are for, are not findings.
    assert not any(k in found for k in ("The family", "Wexmoor Council", "Reviews of"))
    last = found["The Wexmoor"]
    assert "thresholds" in last.themes and all("Partnership" not in a for a in last.agencies)


NEWS_BODIES = """\
Review into death of Wexmoor toddler published

The toddler lived in a council flat in Wexmoor. Image copyright Wexmoor Police

The review found that Wexmoor Council's children's services did not visit the family for six months.

The social worker was referred to the Health and Care Professions Council.

The leader of Wexmoor Council said the findings had been accepted.
"""


@pytest.mark.parametrize("text", [
    "The Wexmoor Chief Officers' Group commissioned the significant case review after the boy died.",
    "The review was published by the Wexmoor Safeguarding Vulnerable Adults Board after his death.",
    "The Wexmoor Safeguarding Children Executive published the review of the death of Child N.",
])
def test_safeguarding_bodies_by_their_other_names(text: str) -> None:
    assert "safeguarding-partnership" in {a.type for a in _record(text, kind="news").agencies}


def test_a_council_named_for_two_places_gives_its_area_and_a_speakers_employer_none():
    rec = _record("A girl of three died in May 2000. The inquiry found Dumfries and Galloway Council had not "
                  "followed its child protection procedures.\n", kind="news")
    assert rec.case["locality"] == "Dumfries and Galloway"
    rec = _record("Elsie died at home in Llandaff, Cardiff in 2016. Social workers saw the bruise. Ann Lee, director "
                  "of social services at the Wexmoor Council, apologised.\n", kind="news")
    assert rec.case["locality"] == "Cardiff"
    assert "local-authority" not in {a.type for a in rec.agencies}


def test_bodies_named_in_passing_are_not_agencies():
    types = {a.type: a.name for a in _record(NEWS_BODIES, kind="news").agencies}
    # The service the council owns acted; the council itself is named only as owner,
    # landlord or speaker, the police only in a credit, the regulator by name.
    assert "children-social-care" in types
    assert "local-authority" not in types and "police" not in types


def test_a_teenagers_own_risks_are_not_a_parents():
    teen = ("A child safeguarding practice review into the death of Child K, aged 15, was published.\n\n"
            "The review found Child K had a history of poor mental health and drug misuse.\n")
    baby = ("A child safeguarding practice review into the death of Baby K, aged four months, was published.\n\n"
            "The review found she had suffered from severe post-natal depression.\n")
    assert "parental-mental-health" not in {r.id for r in _record(teen, kind="news").risk_factors}
    assert "parental-mental-health" in {r.id for r in _record(baby, kind="news").risk_factors}


_THEME_WORDINGS = [
    ("Child protection procedures were never started despite three referrals.", "thresholds"),
    ("Staff were too easily reassured by the carer's account.", "professional-curiosity"),
    ("Some staff were not properly trained in moving and handling.", "training-support"),
    ("The case appears to have been poorly managed throughout.", "management-oversight"),
    ("Adult social care closed her referral a week before she died.", "case-closure"),
    ("There were repeated failures in communication between the ward and the GP.", "information-sharing"),
    ("No single agency had the full picture of the family's circumstances.", "information-sharing"),
    ("The children were rarely spoken to alone.", "child-not-seen"),
    ("A culture of optimism meant the risks were played down.", "assessment-quality"),
    ("Actions agreed at the core group were not completed.", "plan-not-followed"),
    ("Communications between the organisations were poor.", "information-sharing"),
    ("Links were not made between the two incidents.", "information-sharing"),
    ("There was a failure to join up the work of the agencies.", "multi-agency-coordination"),
    ("The authorities took no action on the reports of domestic abuse.", "domestic-abuse-response"),
    ("Agencies kept underestimating the danger of domestic violence.", "domestic-abuse-response"),
    ("More targeted enquiries would have shown who lived there.", "professional-curiosity"),
    ("Fuller assessments would have shown the risk.", "assessment-quality"),
    ("The worker did not have an adequate understanding of the procedures.", "training-support"),
    ("The bruises seen on him by the nurses were not reported to the local authority.", "referral-response"),
    ("The bruises seen on him by the nurses were not reported to the local authority.", "injury-investigation"),
    ("Her carer's assessment was never carried out.", "assessment-quality"),
    ("A reluctance among staff to challenge the father was evident.", "professional-curiosity"),
    ("There was no agreed plan between health and social work.", "multi-agency-coordination"),
    ("The report found a lack of cultural competency in the services.", "ethnicity-culture-identity"),
    ("Staff failed to make any note of the burn.", "record-keeping"),
    ("The arrangements for transferring cases from other councils were revised.", "case-transfer"),
    ("The review found a complete lack of child focus in the team.", "voice-of-child"),
    ("Several opportunities to make the link between the two families' pasts were missed.", "missed-opportunities"),
    ("There was a delay in contacting the mother after the nursery raised concerns.", "referral-response"),
    ("Child protection procedures should have been initiated months earlier.", "thresholds"),
    ("The abuse could have been prevented had the department acted on the evidence.", "missed-opportunities"),
    ("The team failed to register the information when the midwife called.", "record-keeping"),
    ("Had agencies identified him as the father, the baby would have been protected.", "father-not-assessed"),
    ("Agencies were not always aware of the neglect she suffered.", "neglect-recognition"),
    ("Professionals failed to grasp the level of neglect the children endured.", "neglect-recognition"),
    ("The services were condemned for failing to communicate.", "information-sharing"),
    ("The council did not act quickly enough after it was told.", "referral-response"),
    ("Officers lost details of an earlier assault.", "record-keeping"),
    ("The home used poorly trained staff.", "training-support"),
    ("Her decision-making capacity was never considered.", "mental-capacity"),
    ("The decision to allow her care package to be closed was flawed.", "case-closure"),
    ("Ward staff failed to adequately convey their concerns to the council.", "information-sharing"),
    ("Management practice was poor in places.", "management-oversight"),
    ("Understaffing in the unit contributed to the delay.", "workload-capacity"),
    ("A belief that parental resistance could not be worked with played a part.", "non-engagement"),
    ("No referrals were made to social services that year.", "referral-response"),
]
_RISK_WORDINGS = [
    ("She cared alone for her three disabled children.", "child-health-disability"),
    ("The twins had spinal muscular atrophy.", "child-health-disability"),
    ("The partner of Ben's mother had a conviction for violence.", "parent-new-partner"),
    ("The partner of the baby's mother had a conviction for violence.", "parent-new-partner"),
    ("She showed an unwillingness to engage with the community mental health team.", "non-engagement"),
    ("Twelve allegations of abuse had been reported to the social work department.", "previous-involvement"),
    ("The baby had suffered fractures to his ribs some weeks before he died.", "previous-injury"),
    ("He was put to sleep on one end of a small settee.", "unsafe-sleeping"),
    ("The post-mortem found she was chronically malnourished.", "neglect"),
    ("The family hid what was happening by moving multiple times.", "housing-instability"),
    ("They had moved between three local authority areas in two years.", "housing-instability"),
]


@pytest.mark.parametrize("scheme, sentence, concept", [*(("themes", *c) for c in _THEME_WORDINGS),
                                                     *(("risk_factors", *c) for c in _RISK_WORDINGS)])
def test_wording_families(scheme, sentence, concept):
    from casegraph.loaders.concepts import match_concepts
    from casegraph.schema.vocabulary import load_vocabulary

    assert concept in match_concepts(sentence, load_vocabulary()[scheme])


@pytest.mark.parametrize("scheme, sentence, concept", [
    ("risk_factors", "The mother said she felt a bit paranoid about the new neighbours.", "adult-mental-illness"),
    ("risk_factors", "He was detained under the Police and Criminal Evidence Act.", "adult-mental-illness"),
    ("risk_factors", "The children moved between foster homes after the care order.", "housing-instability"),
    ("themes", "The health visitor did not see the children before the neglect began.", "neglect-recognition"),
    ("themes", "The school was not aware of any neglect.", "neglect-recognition"),
])
def test_wording_families_not_in_innocent_sentences(scheme, sentence, concept):
    from casegraph.loaders.concepts import match_concepts
    from casegraph.schema.vocabulary import load_vocabulary

    assert concept not in match_concepts(sentence, load_vocabulary()[scheme])


def test_adult_review_bodies():
    text = ("Safeguarding Adults Review: Mr A\n\nThe Wexmoor Safeguarding Adults Board published a safeguarding "
            "adults review in line with Home Office guidance.\n\nThe review found social services did not assess "
            "his care and support needs.\n")
    types = {a.type for a in _record(text, kind="news").agencies}
    assert "adult-social-care" in types and "children-social-care" not in types
    assert "other" not in types  # the department whose guidance was followed


def test_list_items_continue_the_sentence_that_introduces_them():
    text = ("Review into Wexmoor neglect case published\n\n"
            "The review found these failings by Wexmoor Police:\n\n"
            "- a lack of managerial oversight of the investigation;\n\n"
            "- the school did not share its concerns.\n")
    found = _record(text, kind="news").findings
    assert found[0].agencies == ["Wexmoor Police"]
    assert found[1].agencies == ["school"]  # named in the item itself


def test_a_childs_carers_are_no_agency():
    child = ("Child Safeguarding Practice Review: Child M\n\nHer grandparents stepped forward as long-term "
             "carers for her, the review found.\n")
    adult = ("Safeguarding Adults Review: Mr B\n\nThe review found that Mr B often refused to let carers into "
             "his flat.\n")
    assert "other" not in {a.type for a in _record(child, kind="news").agencies}
    assert "other" in {a.type for a in _record(adult, kind="news").agencies}


SCOPED_SAR = """\
Fernley Safeguarding Adults Board
Safeguarding Adults Review: Mr L

1.1 Mr L, 58, died in March 2022 at his flat. His alcohol misuse had worsened over the winter.

1.2 He had a learning disability and lived alone; the GP did not share concerns about his drinking.
"""

SCOPED_CSPR = """\
Fernley Safeguarding Children Partnership
Child Safeguarding Practice Review: Child R

1.1 Child R, aged 3, died in March 2022. His mother's alcohol misuse was known to the health visitor.

1.2 A neighbour who had a learning disability looked after him on several evenings.
"""


def test_risk_factors_a_review_of_its_kind_can_mean():
    sar = {r.id for r in _record(SCOPED_SAR).risk_factors}
    # The adult's own drinking is no parent's risk to a child.
    assert "learning-disability" in sar
    assert "parental-substance-misuse" not in sar
    cspr = {r.id for r in _record(SCOPED_CSPR).risk_factors}
    assert "parental-substance-misuse" in cspr
    assert "learning-disability" not in cspr


def test_scope_leaves_reviews_of_unknown_kind_alone():
    from casegraph.loaders.extract import _in_scope
    from casegraph.schema.record import RiskFactorMention

    found = [RiskFactorMention("parental-substance-misuse"), RiskFactorMention("learning-disability"),
             RiskFactorMention("parental-mental-health")]
    assert [r.id for r in _in_scope(found, None)] == [r.id for r in found]
    assert [r.id for r in _in_scope(found, "adult")] == ["learning-disability", "adult-mental-illness"]
    assert [r.id for r in _in_scope(found, "child")] == ["parental-substance-misuse", "parental-mental-health"]


def test_theme_words_inside_a_name_sign_no_theme():
    from casegraph.loaders.concepts import match_concepts
    from casegraph.schema.vocabulary import load_vocabulary

    themes = load_vocabulary()["themes"]
    # Laws, meetings, tools, firms and the agencies' own reports to a review.
    assert match_concepts("He was made subject of an order under the Mental Health Act 1983.", themes) == []
    assert match_concepts("The couple were discussed at a Multi-Agency Risk Assessment Conference.", themes) == []
    assert match_concepts("Its author works for Northway Training and Consultancy Ltd.", themes) == []
    assert match_concepts("Each agency wrote an Individual Management Review.", themes) == []
    # The same words as what practice did, or a match reaching beyond the name, count.
    assert "mental-health-response" in match_concepts("No Mental Health Act assessment was arranged.", themes)
    assert "multi-agency-coordination" in match_concepts("There was no multi-agency risk assessment.", themes)
    assert "training-support" in match_concepts(
        "Staff lacked an understanding of the Common Assessment Framework.", themes)
    assert "management-oversight" in match_concepts("There was no management oversight of the case.", themes)


def test_a_contents_line_states_no_theme():
    text = ("1. ANALYSIS\n\nInformation sharing between agencies .................... 12\n\n"
            "Management oversight, Page 14\n\n"
            "1.1 The GP did not share the referral with the health visitor.\n")
    rec = _record(text)
    assert "information-sharing" in rec.themes
    assert "management-oversight" not in rec.themes
    assert [f.text for f in rec.findings] == ["The GP did not share the referral with the health visitor."]
    # A document viewer's page mark opening a line is no contents line.
    viewer = _record("Page 2: Ashby Children's Services did not see the baby at home.\n", kind="news")
    assert "child-not-seen" in viewer.themes


@pytest.mark.parametrize("first, second", [
    # Where the words come from (the partnership that found it) is no one falling short.
    ("Ashby Safeguarding Children Partnership found the bruising was not inconsistent with co-sleeping.",
     "Ashby Children's Services did not explore where the baby slept."),
    # "failed to attend" is the family's conduct (a risk factor's words), not the service's shortfall.
    ("Ashby Children's Services noted that the mother repeatedly failed to attend appointments at the clinic.",
     "Ashby Children's Services did not follow up the missed appointments."),
    # A worry raised about the family says nothing went wrong; not passing it on does.
    ("The school raised concerns with Ashby Children's Services about information sharing at home.",
     "Ashby Children's Services did not share the school's concerns with the GP."),
])
def test_only_practice_falling_short_is_a_shortfall(first, second):
    rec = _record(f"{first}\n\n{second}\n", kind="news")
    assert [f.text for f in rec.findings if f.polarity == "shortfall"] == [second]


def test_the_family_s_conduct_is_still_a_risk_factor():
    text = "Ashby Children's Services noted that the mother repeatedly failed to attend appointments at the clinic.\n"
    assert "non-engagement" in {r.id for r in _record(text, kind="news").risk_factors}


@pytest.mark.parametrize("sentence", [
    # A contraction says "not" as plainly as the full form.
    "Ashby Children's Services didn't share the school's concerns with the GP.",
    "Ashby Children's Services fell short of the expected standards in sharing information.",
    # What went wrong, told beside the recommendation it led to.
    "The review recommends better communication after Ashby Children's Services did not share "
    "the school's concerns with the GP.",
    # A lesson said in the words of what should have happened.
    "Ashby Children's Services should also have shared the school's concerns with the GP.",
    "Sharing the school's concerns with the GP would certainly have led Ashby Children's Services to act.",
    "It took six months for Ashby Children's Services to share the school's concerns with the GP.",
])
def test_a_shortfall_said_in_other_words_is_still_a_finding(sentence):
    rec = _record(f"{sentence}\n", kind="news")
    assert [f.themes for f in rec.findings if f.polarity == "shortfall"] == [["information-sharing"]]


@pytest.mark.parametrize("sentence, theme", [
    # Words that say practice fell short even where no agency is named in the sentence.
    ("The review found there had been no co-ordinated approach to his care.", "multi-agency-coordination"),
    ("The review said the workers involved carried high caseloads.", "workload-capacity"),
    ("The review found that those involved were too easily reassured by the mother's account.",
     "professional-curiosity"),
    ("There is no evidence that the father was assessed.", "assessment-quality"),
    ("It is unclear who had management oversight of the plan.", "management-oversight"),
    ("The girl's concerns were not investigated or explored, the review found.", "professional-curiosity"),
    ("Officers without training in exploitation interviewed the girl.", "training-support"),
    ("The review found that her voice was rarely heard.", "voice-of-child"),
])
def test_a_shortfall_without_an_agency_is_a_general_finding(sentence, theme):
    rec = _record(f"{sentence}\n", kind="news")
    assert [(f.themes, f.agencies) for f in rec.findings if f.polarity == "shortfall"] == [([theme], ["all-agencies"])]


@pytest.mark.parametrize("sentence", [
    # What a parent or child did, not what services fell short in.
    "The review noted the mother gave no response when asked about domestic abuse.",
    "The girl rarely visited her father and the review found her voice was captured well.",
])
def test_a_family_members_doing_is_no_shortfall(sentence):
    rec = _record(f"{sentence}\n", kind="news")
    assert [f.polarity for f in rec.findings if f.polarity == "shortfall"] == []


@pytest.mark.parametrize("text", [
    "The review recommends better information sharing between Ashby Children's Services and the GP.",
    # A negation in the recommendation's own clause states no fault.
    "The review recommends that Ashby Children's Services should review cases where children were not seen alone.",
    # Nor does clearing someone.
    "Ashby Children's Services said there was nothing to suggest the baby was at risk from domestic abuse.",
    # "would not have" is no counterfactual of better practice; "took place" no delay.
    "Earlier information sharing would not have changed the outcome.",
    "The conference took place two years before Ashby Children's Services shared the school's concerns with the GP.",
    "The review recommends that Ashby Children's Services audit cases where there was no information sharing "
    "with the GP.",
    "The review recommends the following: that Ashby Children's Services review cases where children were not "
    "seen alone.",
])
def test_no_shortfall_is_told(text):
    assert not [f for f in _record(text + "\n", kind="news").findings if f.polarity == "shortfall"]


@pytest.mark.parametrize("sentence, theme", [
    ("The notes say Mr B, known to the family as the father, attended the birth.", "father-not-assessed"),
    ("Ashby Police made more enquiries about his address.", "professional-curiosity"),
    ("Her chances of recovery were assessed and the review found that two appointments were missed.",
     "missed-opportunities"),
])
def test_ordinary_events_name_no_theme(sentence, theme):
    from casegraph.loaders.concepts import match_concepts
    from casegraph.schema.vocabulary import load_vocabulary

    assert theme not in match_concepts(sentence, load_vocabulary()["themes"])



def test_judging_words_found_by_their_first_words_match_as_a_full_search():
    """roles.judging_starts tries _JUDGES only where one of its first words starts: it
    finds what a search of the whole text finds (random texts of its words and others),
    and every branch of _JUDGES opens with one of those words."""
    import random
    from re import _parser

    from casegraph.loaders.roles import _JUDGE_STARTS, _JUDGES, judging_starts

    boundary, (branch_op, (_, branches)) = _parser.parse(_JUDGES.pattern)  # \b(?:a|b|...)
    assert branch_op == _parser.BRANCH
    for branch in branches:
        lead = ""
        for op, v in branch:
            if op != _parser.LITERAL:
                break
            lead += chr(v)
        assert any(lead.startswith(w) for w in _JUDGE_STARTS), lead

    pieces = ["should have", "could ", "have", "fell short", "failed to", "failure", "not ", "no ", "not fully",
              "no clear rationale", "missed an opportunity", "lacking ", "lack of", "insufficiently", "inadequate",
              "superficial", "over-optimistic", "overreliant", "over ", "too heavily", "without any assessment",
              "not shared", "unaware", "snot ", "sno ", "x", " ", " ", ". ", "\0", "-", "_no ", "9not ", "’", "é",
              "naïve ", "😀"]
    rng = random.Random(3)
    found = 0
    for _ in range(3000):
        low = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        want = [m.start() for m in _JUDGES.finditer(low)]
        found += len(want)
        assert list(judging_starts(low)) == want, low
    assert found > 1000  # the texts do hold what is looked for


def test_a_chronology_s_roles_found_in_one_pass_are_those_found_one_by_one():
    from casegraph.loaders.roles import EVENT, Roles

    text = ("1. CHRONOLOGY\n\n"
            "1.1 On 3 May the health visitor saw the baby at home.\n\n"
            "1.2 The GP should have referred the mother but did not.\n\n"
            "1.3 The social worker recommended a core group meeting.\n\n"
            "1.4 There was no clear rationale for closing the case. The family moved to Ashby.\n\n"
            "2. ANALYSIS\n\n"
            "2.1 Agencies did not share what they knew.\n")
    lay = layout(text)
    batch, alone = Roles(lay), Roles(lay)
    events = batch.events()
    assert [batch.get(s.start) for s in lay.sentences] == [alone.get(s.start) for s in lay.sentences]
    assert events == {s.start for s in lay.sentences if alone.get(s.start) == EVENT}
    assert len(events) == 2  # the home visit and the move


@pytest.mark.parametrize(("sentence", "count"), [
    ("Fourteen recommendations were accepted by the board after the review.", 14),
    ("The review calls for 9 changes to the way agencies share information.", 9),
    ("The overview report makes no recommendations.", 0),
    ("No recommendations were made, as the learning had already been acted on.", 0),
    ("The review makes no further recommendations.", None),
    # None for the police leaves the others' number unknown.
    ("The review makes no recommendations for the police force.", None),
    ("The review makes no recommendations in respect of the police.", None),
    # A zero of one part of the review does not stop the count of the whole.
    ("The single agency reports make no recommendations. The overview report makes seven recommendations.", 7),
    ("Campaigners called for 10 changes to the law after the trial.", None),
    ("The panel called for better training.", None),
    ("The report has seven recommendations to Harwick Police and the hospital trust.", 7),
    ("The board has 4 recommendations still to implement from an earlier review.", None),
    ("The 2012 review of Baby Ann had 12 recommendations.", None),
])
def test_stated_recommendation_counts(sentence: str, count: int | None) -> None:
    text = f"Harwick Safeguarding Children Partnership published its review of Child W.\n\n{sentence}\n"
    assert _record(text, kind="news").review["recommendations_count"] == count


@pytest.mark.parametrize(("intro", "count"), [
    ("The review's recommendations include:", None),  # some of them: no number
    ("Among its recommendations:", None),
    ("The review recommends:", 2),
])
def test_a_list_of_some_recommendations_is_not_their_number(intro: str, count: int | None) -> None:
    text = ("Harwick Safeguarding Adults Board published its review of Mr T.\n\n"
            f"{intro}\n\n- Harwick Council should review how it follows up missed visits.\n"
            "- Harwick Police should share reports of concern with adult social care.\n")
    rec = _record(text, kind="news")
    assert len(rec.recommendations) == 2 and rec.review["recommendations_count"] == count


def test_a_full_list_after_a_sentence_on_some_recommendations_is_counted() -> None:
    """Only the line introducing the list says it holds some of them: a summary's
    "its recommendations include ..." elsewhere does not."""
    text = ("Safeguarding Adults Review: Mr T\n\n1.1 Mr T died in 2020. Its recommendations include closer work "
            "between agencies.\n\n2. Recommendations\n\n"
            "Recommendation 1: Harwick Council should review how it follows up missed visits.\n\n"
            "Recommendation 2: Harwick Police should share reports of concern with adult social care.\n\n"
            "Recommendation 3: The Board should audit the use of the escalation policy.\n")
    rec = _record(text)
    assert len(rec.recommendations) == 3 and rec.review["recommendations_count"] == 3


@pytest.mark.parametrize("sep", ["|", "\t"])
def test_recommendations_laid_out_as_a_table(sep: str) -> None:
    """A row per recommendation: its number, its text, then whom it is for, in cells
    split by pipes (a table written as text) or tabs (the readers' tables)."""
    rows = [("No.", "Recommendation", "Lead agency"),
            ("R1", "Harwick Children's Social Care should audit how pre-birth assessments are planned.",
             "Harwick Children's Social Care"),
            ("R2", "Every unanswered visit should be recorded and followed up.", "Harwick Police"),
            ("R3", "The partnership should test how escalation works across agencies.", "")]
    if sep == "|":
        table = "\n".join(f"| {' | '.join(r)} |" for r in [rows[0], ("---", "---", "---"), *rows[1:]])
    else:
        table = "\n".join("\t".join(r) for r in rows)
    text = (f"Harwick Safeguarding Children Partnership published its review of Child W.\n\n"
            f"Recommendations\n\n{table}\n")
    rec = _record(text)
    assert [(r.number, r.addressed_to) for r in rec.recommendations] == [
        ("1", ["Harwick Children's Social Care"]), ("2", ["Harwick Police"]), ("3", [])]
    assert rec.recommendations[1].text == "Every unanswered visit should be recorded and followed up."
    assert rec.review["recommendations_count"] == 3


@pytest.mark.parametrize(("sep", "first"), [("\t", "1."), (" | ", "1)"), ("\t", "Rec 1")])
def test_a_table_row_numbered_with_its_punctuation(sep: str, first: str) -> None:
    """A row's number cell as Word tables write it ("1.", "1)", "Rec 1"): the row's
    text is its own cell, not run into the lead's."""
    rows = [("No.", "Recommendation", "Lead agency"),
            (first, "Harwick Council should audit how plans are closed.", "Harwick Council")]
    table = "\n".join(("| " + sep.join(r) + " |") if "|" in sep else sep.join(r) for r in rows)
    text = f"Harwick Safeguarding Children Partnership published its review of Child W.\n\nRecommendations\n\n{table}\n"
    assert [(r.number, r.text, r.addressed_to) for r in _record(text).recommendations] == [
        ("1", "Harwick Council should audit how plans are closed.", ["Harwick Council"])]


def test_an_action_plan_table_after_the_list_of_recommendations() -> None:
    """A table repeating the recommendations' numbers with their leads and dates is no
    list of its own: the recommendations written out above it stand."""
    text = ("Harwick Safeguarding Children Partnership published its review of Child W.\n\n"
            "Recommendations\n\n1. Harwick Police should review how it records calls to the family home.\n\n"
            "2. Harwick Council should audit how plans are closed.\n\nAction plan\n\n"
            "Recommendation\tLead\tTimescale\n1\tHarwick Police\tJune 2022\n2\tHarwick Council\tMay 2022\n")
    assert [(r.number, r.text) for r in _record(text).recommendations] == [
        ("1", "Harwick Police should review how it records calls to the family home."),
        ("2", "Harwick Council should audit how plans are closed.")]


def test_a_count_of_another_reviews_recommendations_is_not_the_reviews_own() -> None:
    text = ("Harwick Safeguarding Children Partnership published its review of Child W.\n\n"
            "Progress was made on 7 recommendations taken from the 2016 review. The review made 4 recommendations.\n")
    assert _record(text, kind="news").review["recommendations_count"] == 4


def test_a_count_stated_over_the_list_of_recommendations() -> None:
    text = ("Harwick Safeguarding Children Partnership published its review of Child W.\n\n"
            "Recommendations\n\n12 recommendations drawn from the report\n\n"
            "Harwick Police should review how it records calls.\n")
    assert _record(text, kind="news").review["recommendations_count"] == 12


@pytest.mark.parametrize(("fields", "count"), [
    ("Published: May 2023\nExtracted: 9 recs\nYear of death: 2021", 9),
    ("Review type: SAR\nRecommendations: 11\nStatus: published", 11),
    ("Published: May 2023\n6 recommendations\nStatus: published", 6),
    # a numbered section's heading, as a contents list gives it, counts nothing
    ("Contents\n\n6 Findings\n\n31\n\n7 Recommendations\n\n38", None),
    # nor a contents list's entry and its page
    ("Contents\nIntroduction: 3\nFindings: 9\nRecommendations: 14\nAppendix: 16\n\n1. Introduction\n\n"
     "1.1 Child W was two when she died.", None),
])
def test_a_count_given_as_a_field_of_a_summary(fields: str, count: int | None) -> None:
    """A page summing up a review in fields, line by line without full stops: the
    layout joins the lines into one sentence, the count is still one field."""
    text = f"Harwick review of a death\n{fields}\nThe report is available below.\n"
    assert _record(text, kind="news").review["recommendations_count"] == count


def test_prose_after_a_contents_list_is_the_body():
    """A contents list without dot leaders ends where prose starts, whether or not
    the body's first heading is one a section kind knows; an appendix named in the
    list, before the body's own sections, starts no appendices there."""
    text = ("Contents\n\nBackground to the review\n\n2\n\nGlossary\n\n9\n\n"
            "1. Background to the review\n\n"
            "1.1 When Child W died, aged 8 months, her death was at first unexplained. The health visitor "
            "had not seen her for ten weeks.\n\n"
            "Analysis\n\nThe practitioners did not share what they knew with each other.\n")
    lay = layout(text)
    section = {lay.slice(s)[:12]: s.block.section for s in lay.sentences}
    assert section["9"] == "appendices"  # after the list's entry, read as a heading
    assert section["When Child W"] is None and section["The health v"] is None
    assert section["The practiti"] == "analysis"
    assert _record(text).case["subjects"][0]["age_text"] == "8 months"
    # A contents entry a sentence long, ending in its page number, is no prose.
    entries = layout("Contents\n\nSection 1. Introduction, purpose of the review and the terms of reference agreed "
                     "by the panel. Page 3\n\nSection 2. Chronology of the events and of the contact of agencies "
                     "with the family. Page 5\n")
    assert {s.block.section for s in entries.sentences} == {"contents"}
    # At the end of a report, an appendix holds prose all the same.
    tail = layout("Analysis\n\nThe plan was not followed.\n\nGlossary\n\n"
                  "The review was asked to consider how agencies worked together and what they knew.\n")
    assert tail.sentences[-1].block.section == "appendices"


@pytest.mark.parametrize(("text", "date"), [
    # A cover page's label, whatever the publication line beside it says.
    ("SERIOUS CASE REVIEW CHILD S Date of Incident: July 2015 Date of Publication: January 2017\n", "2015-07"),
    ("Published: April 2023 Year of death: 2013\n", "2013"),
    ("Serious Case Review: Child A Episode that triggered the review March 2013 Board adoption of the review "
     "findings September 2014\n", "2013-03"),
    # Month, day and year, the American way round.
    ("He shook the baby and threw her to the floor at their home on May 25 in 2016.\n", "2016-05"),
    ("On December 20th, 2021, Mr O passed away in hospital.\n", "2021-12"),
    ("In 2012, YZ strangled WX in her home. The review was commissioned in 2013.\n", "2012"),
    # A fracture on the way to the death is not its date; alone, it is the harm.
    ("After fracturing his hip in 2020, John moved into a care home. John died in June 2022.\n", "2022-06"),
    ("In March 2019 the baby was taken to hospital with a fractured skull.\n", "2019-03"),
    ("Mrs K fell in her room in October 2019, breaking her hip.\n", "2019-10"),
    # Admission to a home is no harm; admission to hospital may be.
    ("Mr T was admitted to the home in May 2018. She was knocked over by him in March 2019, breaking her arm.\n",
     "2019-03"),
    ("He was admitted to hospital in February 2017 with a head injury.\n", "2017-02"),
    ("She was admitted as an emergency to St Ann's Hospital in June 2016.\n", "2016-06"),
    ("Baby L was admitted to the children's ward in October 2019.\n", "2019-10"),
    ("In April 2018 Mrs K had a broken wrist.\n", "2018-04"),
    # A life's span gives the year of the death when no sentence dates it.
    ("Safeguarding Adults Review – Howard (8th July 1963 – 21st March 2017)\n\nThe review looks at his care.\n",
     "2017-03"),
    ("Emma\n\n1972 – 2014\n\nThis executive summary sets out what the panel learnt.\n", "2014"),
    # A death dated where it is told comes first, before a date merely near death words.
    ("The review of the death of Child K was published in January 2010. Child K died on 17th May 2008.\n",
     "2008-05"),
    ("Jill, a 93-year-old woman, died in hospital from septicaemia on 24 September 2018.\n", "2018-09"),
    ("Her father died in 2001. In March 2016 she was found injured at home.\n", "2016-03"),
    # Someone else's death is not the incident.
    ("Child D was injured in May 2018. The perpetrator died in prison in 2021.\n", "2018-05"),
    ("Child D suffered serious injuries in May 2018. Her stepmother died in 2016.\n", "2018-05"),
    ("He grieved after his wife of forty years died in 2012. He was found dead in November 2019.\n", "2019-11"),
    # A period the review covers is no life.
    ("The review covers the period 2015 – 2018 and the work of six agencies.\n", None),
    # A page's dateline is the date it was written; the incident is dated further on.
    ("Boy who stabbed his father was failed\nBy Ann Lee\n26th Sep 2022 | Local News\nA boy who stabbed his father "
     "was failed, a report said.\nThe review looked at the two years before the February 2021 incident.\n", "2021-02"),
    ("Boy who stabbed his father was failed\nMonday 3 October 2022, 10:15\nHe was failed, the review said.\n", None),
    # A line broken inside a sentence is no dateline.
    ("The Harwick Safeguarding Adults Board has today published a review into the death,\nin August 2021, of a "
     "man in his 30s.\n", "2021-08"),
    # The first lockdown dates itself.
    ("She was killed at home in the early days of the first national lockdown.\n", "2020-03"),
    ("She was killed at home during the second lockdown.\n", None),
])
def test_incident_dates(text: str, date: str | None) -> None:
    from casegraph.loaders.entities import incident_date

    assert incident_date(layout(text)) == date


def test_a_line_of_blanks_does_not_stall_the_layout():
    import time

    started = time.process_time()
    for text in ("x" + " " * 50000 + "y", " " * 50000, "x" + " " * 50000 + ":", "Analysis" + " " * 50000):
        layout(text)
    assert time.process_time() - started < 5  # the heading regex alone took minutes on the first


def test_a_long_line_is_read_once_for_a_count_of_recommendations():
    import time

    from casegraph.loaders.recommendations import stated_count

    started = time.process_time()
    for text in ("x " * 100000 + "\nrecommendations", ("recommendations " * 5000 + "\n") * 20):
        assert stated_count(layout(text)) == (None, None)
    assert time.process_time() - started < 5  # a regex from each start of a line took minutes


@pytest.mark.parametrize(("text", "pseudonym", "age"), [
    # An age between commas is the age of the name before it: the subject's only.
    ("Tom Marsh, 24, had a conviction before he was found guilty of killing 25-day-old Lily Marsh.",
     "Lily Marsh", "25 days"),
    ("Rachel Fee, 30, had admitted the charges. Liam Fee was two years old when he died.", "Liam Fee", "two years"),
    ("Erik Huber, 48, lived alone in a flat.", "Erik Huber", "48 years"),
    ("Mrs Parry, 49, had left her husband in the spring.", "Caroline Parry", "49 years"),
    # A title sets her apart from a husband of her surname; a bare surname does not.
    ("Caroline Parry had left Christopher Parry. Mrs Parry, 49, died in May.", "Caroline Parry", "49 years"),
    ("Caroline Parry had left Christopher Parry. Parry, 52, was jailed.", "Caroline Parry", None),
    # ... nor the title of a husband or son of her surname.
    ("Caroline Parry had left her husband Christopher Parry. Mr Parry, 52, was jailed.", "Caroline Parry", None),
    ("Caroline Parry lived with her son, Dean Parry. Mr Parry, 30, was charged.", "Caroline Parry", None),
    ("Caroline Parry had left her husband Christopher Parry. Mrs Parry, 49, died in May.", "Caroline Parry",
     "49 years"),
    ("Mr Z, 58, died at home.", "Mr Z", "58 years"),
    ("Mrs C, who was 76, was injured at home.", "Mrs C", "76 years"),
    ("Her son, who was 40, visited her. Mrs C died.", "Mrs C", None),
    # Ages given by their decade, and "of age".
    ("Mr A was a man in his 50s who lived alone.", "Mr A", "50s"),
    ("Doris, who was in her eighties, died in hospital.", "Doris", "eighties"),
    ("Mary was in her late 70s when she died.", "Mary", "late 70s"),
    ("Ms C, a woman in her mid-twenties, was found dead.", "Ms C", "mid-twenties"),
    ("EDITH Died 2018 - 80 years of age", "Edith", "80 years"),
    # An era is no one's age.
    ("In the mid-80s the family moved to the town. Tom died in 2016.", "Tom", None),
    ("Rates rose in the late 80s and early 90s. Tom died in 2016.", "Tom", None),
    ("A policy written in mid-90s was still used. Tom died in 2016.", "Tom", None),
    # A relative's age, though the sentence names the subject as whose relative it is.
    ("Kai's father, aged 31, was arrested. Kai died in 2019.", "Kai", None),
    ("Kai's father was a man in his 40s with a history of violence. Kai died in 2019.", "Kai", None),
    ("Kai's grandparents were in their seventies. Kai died aged 3.", "Kai", "3 years"),
    # A surname alone is no one's when the text gives it to another too.
    ("Kai Ward's father, Dean Ward, was jailed. Ward, 41, shook the baby. Kai Ward died.", "Kai Ward", None),
])
def test_subject_ages(text: str, pseudonym: str, age: str | None) -> None:
    from casegraph.loaders.ages import subject_age

    assert subject_age(layout(text + "\n"), pseudonym)[0] == age


@pytest.mark.parametrize(("text", "days"), [
    ("in his 50s", 18262), ("in her late seventies", 25568), ("late 70s", 25568), ("mid-twenties", 7305),
    ("80 years of age", 29220), ("eight", 2922), ("7 months", 213), ("seven months", 213),
    ("fourteen years", 5114), ("seventeen", 6209), ("sixteen months", 487),  # not "four", "seven", "six"
])
def test_ages_in_days(text: str, days: int) -> None:
    from casegraph.loaders.ages import age_in_days

    assert age_in_days(text) == days


@pytest.mark.parametrize(("sentence", "names"), [
    # "and" joins a place, or a word organisations' names join, to the name after it...
    ("Coventry and Warwickshire Partnership Trust saw him twice.", ["Coventry and Warwickshire Partnership Trust"]),
    ("Harwick Children and Adults Safeguarding Partnership published the review.",
     ["Harwick Children and Adults Safeguarding Partnership"]),
    # ...not the end of someone's name, nor another body's.
    ("The chairman of Harwick Safeguarding Adults Board Professor Ann Lee and Harwick Police spoke.",
     ["Harwick Police", "Harwick Safeguarding Adults Board"]),
    ("Harwick Constabulary and Harwick adult social services met twice.",
     ["Harwick Constabulary", "Harwick adult social services"]),
    ("Ofsted and Harwick Council inspected the home.", ["Harwick Council"]),
    # An area whose name holds "of", and a place joined to it.
    ("Vale of Glamorgan Council did not visit the family.", ["Vale of Glamorgan Council"]),
    ("Isle of Wight Council did not assess the risk.", ["Isle of Wight Council"]),
    ("The City of Edinburgh Council did not share the referral.", ["City of Edinburgh Council"]),
    ("The Cardiff and Vale of Glamorgan Regional Safeguarding Board reviewed the plan.",
     ["Cardiff and Vale of Glamorgan Regional Safeguarding Board"]),
    ("Staff at the University of Carrow Hospital did not follow up.", ["Carrow Hospital"]),
    # A proper name ends on the words its kind of body ends on.
    ("South West Ambulance Services NHS Trust attended the address.", ["South West Ambulance Services NHS Trust"]),
    ("Harwick Hospitals NHS Foundation Trust saw her twice.", ["Harwick Hospitals NHS Foundation Trust"]),
    ("An ambulance crew found the child.", ["ambulance crew"]),
    ("Staff at Harwick Academy did not share it.", ["Harwick Academy"]),
    ("The Pupil Referral Unit did not follow up his absence.", ["Pupil Referral Unit"]),
    # An area's possessive names its body; anyone else's does not.
    ("Coventry's Safeguarding Adults Board published the review.", ["Coventry's Safeguarding Adults Board"]),
    ("Cumbria’s local safeguarding children board published the review.",
     ["Cumbria’s local safeguarding children board"]),
    ("Jo's Harwick Police contact was not recorded.", ["Harwick Police"]),
    ("St Mary's Hospital did not share the concern.", ["St Mary's Hospital"]),
    ("Harwick Council's children's services closed the case.", ["Harwick Council's children's services"]),
    ("Khyra's school did not refer her.", ["school"]),
    ("Staff at Harwick Medical Practice did not follow up.", ["Harwick Medical Practice"]),
    ("Child and adolescent mental health services did not see her.",
     ["Child and adolescent mental health services"]),
    ("The CQC and Harwick Police were told.", ["CQC", "Harwick Police"]),
    # A title ends a person's name, not that of a place named after someone.
    ("Staff at the Lady Margaret Hospital saw him twice.", ["Lady Margaret Hospital"]),
    ("Staff at Sir Robert Peel Community Hospital saw him twice.", ["Sir Robert Peel Community Hospital"]),
])
def test_names_joined_by_and(sentence: str, names: list[str]) -> None:
    assert sorted(a.name for a in _record(sentence + "\n", kind="news").agencies) == names


def test_a_panel_sentence_keeps_the_partnership_that_made_the_review() -> None:
    text = ("The review was commissioned by the Harwick Safeguarding Children Partnership and the panel members "
            "included representatives of Harwick Police and Carrow General Hospital.\n")
    assert [(a.name, a.type) for a in _record(text, kind="news").agencies] == [
        ("Harwick Safeguarding Children Partnership", "safeguarding-partnership")]
    # Partnerships represented on the panel are its members, not the review's makers.
    text = ("The Harwick Safeguarding Adults Board and the Carrow Safeguarding Children Partnership were "
            "represented on the panel, which the Harwick Safeguarding Children Partnership commissioned.\n")
    assert _record(text, kind="news").agencies == []


@pytest.mark.parametrize(("text", "outcome"), [
    # A relative's death is not the subject's, however often the text recalls it.
    ("Mr C suffered serious harm at home in May 2020. He had become isolated after the death of a parent. "
     "His mother's death had hit him hard. After his father died he stopped going out.", "serious-harm"),
    # A child killed by a parent: the relative word names the one who died.
    ("A father beat his four-year-old daughter to death after she was sent to live with him.", "died"),
    # Without a possessive, a word for a relative is the subject's own: their death counts.
    ("A Harwick grandmother died after a fall at her care home, a review has found.", "died"),
    ("A review into the death of a mother-of-two in Carrow has been published.", "died"),
    # Told from the killer's side, a relative's death is the subject's.
    ("Mark Reed was jailed in 2021 after the death of his partner at their home in Harwick.", "died"),
    ("Ann Cole was convicted of manslaughter after the death of her son, who was four.", "died"),
])
def test_outcome_of_the_subject(text: str, outcome: str) -> None:
    from casegraph.loaders.extract import _outcome

    assert _outcome(text) == outcome


def test_northern_irelands_board_names_the_province():
    rec = _record("The Safeguarding Board for Northern Ireland (SBNI) said bruising on a baby was not explored.\n",
                  kind="news")
    assert rec.case["locality"] == "Northern Ireland"
    assert rec.review["partnership"] == ["Safeguarding Board for Northern Ireland"]


def test_a_list_after_the_recommendations_made_and_what_was_disclosed_is_findings():
    text = ("Review into Wexmoor boy's death published\n\n"
            "The serious case review made 12 recommendations for improvement and disclosed how:\n\n"
            "* Wexmoor Police failed to record the earlier assault.\n\n"
            "* The school did not share its concerns.\n")
    rec = _record(text, kind="news")
    assert rec.recommendations == []
    assert {f.polarity for f in rec.findings} == {"shortfall"} and len(rec.findings) == 2
    listed = text.replace("and disclosed how:", "which include:")
    assert len(_record(listed, kind="news").recommendations) == 2


@pytest.mark.parametrize("sentence", [
    # What a clause praises did not fall short, whatever the clause after "but" says.
    "There was evidence of positive information sharing in this case, but there were significant delays.",
    # The review's own event, held to look at what went well and wrong, found nothing.
    "A practitioners' event was held to explore good practice, missed opportunities and learning.",
])
def test_no_shortfall_on_what_a_sentence_praises_or_sets_out_to_explore(sentence):
    text = ("Safeguarding Adults Review: Mr K\n\nThe Harwick Safeguarding Adults Board published the review.\n\n"
            f"{sentence}\n")
    shortfalls = {t for f in _record(text, kind="news").findings if f.polarity == "shortfall" for t in f.themes}
    assert not shortfalls & {"information-sharing", "missed-opportunities"}


@pytest.mark.parametrize(("opening", "found"), [
    ("The jury was also told", False),
    ("The inquest heard", False),
    ("The review found", True),
])
def test_what_a_court_was_told_is_no_finding(opening, found):
    text = ("Review into Harwick baby's death published\n\n"
            f"{opening} that social services were not informed of the pregnancy.\n")
    assert bool(_record(text, kind="news").findings) == found


@pytest.mark.parametrize(("sentence", "theme"), [
    # What someone was not told of a court, and a meeting of the case's own.
    ("Children's services were not told the court had made a non-molestation order.", "information-sharing"),
    ("A strategy meeting was held to discuss the case but information was not shared with the police.",
     "information-sharing"),
    # A clause that faults what the one before praised, naming nothing of its own.
    ("Information sharing between agencies was effective, but not consistent.", "information-sharing"),
])
def test_findings_a_court_event_or_praise_does_not_hide(sentence, theme):
    text = f"Serious Case Review: Child H\n\nChild H died in Harwick in 2015. {sentence}\n"
    found = [f for f in _record(text).findings if f.polarity == "shortfall" and sentence in f.evidence[0].quote]
    assert found and theme in found[0].themes


def test_a_mothers_breakdown_is_no_shortfall():
    text = ("Serious Case Review: Child H\n\nChild H died in Harwick in 2015. After her breakdown in 2014 the "
            "mother was seen by the GP and referred to the mental health team. There was a breakdown in "
            "communication between the school and the GP.\n")
    quotes = [f.evidence[0].quote for f in _record(text).findings if f.polarity == "shortfall"]
    assert quotes == ["There was a breakdown in communication between the school and the GP."]
