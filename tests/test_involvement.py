"""loaders/involvement.py: the police of the death's investigation and the places to
call are no agencies of the case; the police who knew the family are."""

from __future__ import annotations

import hashlib

import pytest

from casegraph.loaders.extract import extract
from casegraph.schema.record import Document


def _types(text: str) -> set[str]:
    doc = Document(path="t.txt", sha256=hashlib.sha256(text.encode()).hexdigest(), text=text, kind="news")
    return {a.type for a in extract(doc).agencies}


@pytest.mark.parametrize("text", [
    "The review of Child W's death was published after the police investigation and trial had ended.\n",
    "Publication was delayed by protracted police investigations into the death.\n",
    "If you are worried, please tell someone about the abuse - the police, a support agency, a GP.\n",
    "Anyone with concerns should contact the police or speak to a health visitor.\n",
])
def test_no_part_in_the_case(text: str) -> None:
    assert not _types(text) & {"police", "gp", "other-health", "voluntary-sector"}


@pytest.mark.parametrize("text", [
    "Police were called to the house twice in 2019 after reports of domestic abuse.\n",
    "The police investigation of the earlier assault on the mother was not shared with the school.\n",
])
def test_the_police_who_knew_the_family_count(text: str) -> None:
    assert "police" in _types(text)


@pytest.mark.parametrize("text", [
    # What practitioners did not do is their part in the case, whoever the sentence addresses.
    "Please note that practitioners did not contact the police or the GP.\n",
    "People who knew the family did not contact the police.\n",
    # An investigation of something else, in a sentence that also names the death.
    "The police investigation into the neglect of Child S in 2017 was closed long before the child's death.\n",
])
def test_what_agencies_failed_to_do_counts(text: str) -> None:
    assert "police" in _types(text)


def test_a_text_without_full_stops_is_read_in_linear_time() -> None:
    import time

    from casegraph.loaders.agencies import Mention
    from casegraph.loaders.involvement import involved

    text = "police investigation " * 20000
    mentions = [Mention(i, i + 6, "police", "police") for i in range(0, len(text), 21)]
    started = time.process_time()
    assert involved(text, mentions) == mentions
    assert time.process_time() - started < 5  # quadratic: minutes
