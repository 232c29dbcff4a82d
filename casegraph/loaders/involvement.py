"""Which agency mentions tell of an agency's part in the case: not those naming the
police whose criminal investigation followed the death ("published after the
police investigation and trial"), nor a place to call ("tell someone about the
abuse: the police, a GP"). (A partnership's members, "which includes the council,
police and NHS", stay: the gold lists them as the body that made the review.)"""

from __future__ import annotations

import re
from bisect import bisect_left

from casegraph.loaders.agencies import Mention
from casegraph.schema.vocabulary import find_all, lower

__all__ = ["involved"]

_NOT = re.compile(r"\b(?:not|never|no|failed|n['’]t)\b", re.I)
# How far before a mention a cue may be, and how far a sentence is looked for.
_REACH = 240
# The criminal investigation or trial of the death.
_INVESTIGATION_AFTER = re.compile(r"\s+(?:investigation|investigations|inquiries|enquiries)\b", re.I)
_OF_THE_DEATH = re.compile(r"\b(?:death|deaths|died|killing|killed|murder\w*|manslaughter|trial|blaze|fire|convicted|"
                           r"charged|criminal|homicide|prosecution|protracted)\b", re.I)
# Someone the public is told to tell or call: "please tell someone about the abuse -
# the police, a support agency", "anyone worried can contact the council"; not what a
# practitioner did or failed to do ("did not contact the GP").
_READER_WORDS = ("anyone", "anybody", "if you", "you can", "you could", "you should", "you may", "please",
                 "people who", "those who", "members of the public")
_TO_CALL = re.compile(r"\b(?:" + "|".join(_READER_WORDS) + r")(?! note)\b[^.;\n]{0,80}?"
                      r"\b(?:tell|contact|call|ring|phone|report (?:it |this )?to|speak to|reach out to)\s+"
                      r"(?:someone\b[^.;:\n]{0,40}?[-–:]\s*)?(?:(?:the|a|an|your)\s+[\w'’ -]{1,30}?,\s+){0,4}"
                      r"(?:and\s+|or\s+)?(?:the\s+|a\s+|an\s+|your\s+)?$", re.I)


def _sentence(text: str, m: Mention) -> tuple[int, int]:
    """The bounds of the sentence (or line) holding mention ``m``, roughly, and at most
    _REACH characters either side: enough for the cues above, which never cross a full
    stop (a text without one would otherwise make each mention's sentence the text)."""
    lo, hi = max(0, m.start - _REACH), min(len(text), m.end + _REACH)
    start = max(text.rfind(". ", lo, m.start), text.rfind("\n", lo, m.start), lo - 1) + 1
    ends = [i for i in (text.find(". ", m.end, hi), text.find("\n", m.end, hi)) if i != -1]
    return start, min(ends) if ends else hi


def _not_involved(text: str, m: Mention, readers: list[int]) -> bool:
    investigating = m.type == "police" and _INVESTIGATION_AFTER.match(text, m.end) is not None
    # A place to call follows a word addressing the reader: most mentions have none
    # in the 240 characters before them, found by bisection.
    i = bisect_left(readers, m.start - _REACH)
    addressed = i < len(readers) and readers[i] < m.start
    if not (addressed or investigating):
        return False
    start, _ = _sentence(text, m)
    if addressed and (call := _TO_CALL.search(text, max(start, m.start - _REACH), m.start)) is not None \
            and not _NOT.search(call.group(0)):  # "people who knew her did not contact the police"
        return True
    # The death (or its trial) named with the investigation, not anywhere in the sentence:
    # "the police investigation into the neglect of Child S was closed before the death".
    return investigating and _OF_THE_DEATH.search(text, max(start, m.start - 40), m.end + 60) is not None


def involved(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` less those that name the police as the investigator of the death,
    or an agency as a place to call."""
    if not mentions:
        return mentions
    readers = _readers(text)
    return [m for m in mentions if not _not_involved(text, m, readers)]


def _readers(text: str) -> list[int]:
    """Where a word addressing the reader may start (a superset of _TO_CALL's starts,
    found by str.find on the lowered text: a regex would walk the whole text)."""
    return find_all(lower(text), _READER_WORDS)
