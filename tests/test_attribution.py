"""Which agencies a finding implicates, on short news texts written for these tests."""

from __future__ import annotations

import hashlib

from casegraph.loaders.agencies import Mention
from casegraph.loaders.attribution import actors
from casegraph.loaders.extract import extract
from casegraph.schema.record import Document

HEAD = "Review into death of Wexmoor toddler published\n\n"


def _blamed(body: str) -> dict[str, list[str]]:
    """Each shortfall finding's first three words -> the agencies it implicates."""
    text = HEAD + body
    doc = Document(path="t.txt", sha256=hashlib.sha256(text.encode()).hexdigest(), text=text, kind="news")
    return {" ".join(f.text.split()[:3]): f.agencies for f in extract(doc).findings if f.polarity == "shortfall"}


def test_a_document_naming_one_agency_blames_it_for_what_names_nobody():
    one = _blamed("The Wexmoor Safeguarding Adults Board published a review of Elmside Care Home.\n\n"
                  "There was no risk assessment after each fall, the review found.\n")
    assert list(one.values()) == [["Elmside Care Home"]]
    # With two agencies named, an unnamed finding is still everyone's.
    two = _blamed("The review found that Elmside Care Home did not record his falls and Wexmoor Police "
                  "did not attend.\n\nThere was no risk assessment after each fall.\n")
    assert two["There was no"] == ["all-agencies"]


def test_staff_alone_blames_no_agency_in_general():
    found = _blamed("The review found that Elmside Care Home did not record his falls.\n\n"
                    "Staff were not trained in moving and handling.\n")
    assert found["Staff were not"] == ["Elmside Care Home"]
    assert _blamed("Professionals were not trained in moving and handling.\n")[
        "Professionals were not"] == ["all-agencies"]


def test_a_pronoun_continues_the_finding_before_across_a_paragraph_break():
    found = _blamed("The review found the GP did not record the bruise.\n\n"
                    "Social workers did not assess the risk posed by the father.\n\n"
                    "They accepted the mother's account at face value.\n\n"
                    "They also failed to carry out a parenting assessment.\n")
    # Not the GP the opening finding blames: the social workers of the paragraph before.
    assert found["They accepted the"] == found["They also failed"] == ["Social workers"]


def test_an_owner_before_its_service_and_a_short_form_in_brackets_are_no_second_actor():
    text = "Wexmoor Council social workers (WCSW) did not visit."

    def at(words: str, kind: str) -> Mention:
        return Mention(text.index(words), text.index(words) + len(words), kind, words)

    council, service, short = (at("Wexmoor Council", "local-authority"), at("social workers", "children-social-care"),
                               at("WCSW", "children-social-care"))
    names = {(council.start, council.end): "Wexmoor Council", (service.start, service.end): "Social Care",
             (short.start, short.end): "WCSW"}
    assert actors(text, [council, service, short], names) == ["Social Care"]


def test_the_partnership_that_published_the_review_is_not_blamed():
    found = _blamed("The review, published on Tuesday by the Wexmoor Safeguarding Children Partnership (WSCP), "
                    "found that social workers missed opportunities to protect her.\n")
    (agencies,) = found.values()
    assert agencies and not any("Partnership" in a or a == "WSCP" for a in agencies)


def test_whom_information_was_given_to_or_sought_from_is_not_blamed():
    found = _blamed("The review found that Wexmoor Police did not record the assault.\n\n"
                    "A risk assessment should have been shared with other agencies but it was not.\n")
    assert found["A risk assessment"] == ["Wexmoor Police"]  # the sentence before: not every agency
    found = _blamed("Information given to social care and the police by the GP was not shared with the school.\n\n"
                    "A report was not sent to the health visitor and the midwife was unaware of the injury.\n")
    assert found["Information given to"] == ["GP"]
    assert "midwife" in found["A report was"] and "health visitor" not in found["A report was"]
    # What went between the verb and whom it went to: "share information with", "sent a notification to".
    found = _blamed("The review found that children's social care did not share information with the school.\n\n"
                    "The GP sent a notification to the health visitor but did not record the injury.\n")
    assert found["The review found"] == ["children's social care"]
    assert found["The GP sent"] == ["GP"]
    # "Given what was known to the GP": the GP knew, and is who fell short.
    found = _blamed("The review found that Wexmoor Police did not record the assault.\n\n"
                    "Given what was known to the GP, a referral should have been made but was not.\n")
    assert found["Given what was"] == ["GP"]


def test_whom_a_family_misled_is_not_blamed():
    found = _blamed("The mother misled social workers about the father, and the review found the "
                    "health visitor did not question her account.\n")
    (agencies,) = found.values()
    assert agencies == ["health visitor"]


def test_no_agency_blames_agencies_in_general():
    found = _blamed("The review found no agency shared information about the risks to the child.\n")
    assert list(found.values()) == [["all-agencies"]]


def test_what_cannot_be_known_is_no_shortfall():
    assert not _blamed("The review said it is impossible to say whether social workers failed to assess "
                       "the risk posed by the father.\n")


def test_a_clause_that_states_none_of_the_themes_blames_nobody_for_them():
    found = _blamed("Doctors at Wexmoor General Hospital did not examine her, and social workers did not "
                    "record the bruise, the review found.\n")
    assert list(found.values()) == [["social workers"]]  # record-keeping is the second clause's
    both = _blamed("Doctors at Wexmoor General Hospital did not record the fall, and social workers did not "
                   "record the bruise, the review found.\n")
    assert sorted(*both.values()) == ["Wexmoor General Hospital", "social workers"]
