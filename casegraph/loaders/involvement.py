"""Which agency mentions tell of an agency's part in the case: not those naming the
police whose criminal investigation followed the death ("published after the
police investigation and trial"), nor a place to call ("tell someone about the
abuse: the police, a GP"). (A partnership's members, "which includes the council,
police and NHS", stay: the gold lists them as the body that made the review.)"""

from __future__ import annotations

import re

from casegraph.loaders.agencies import Mention

__all__ = ["involved"]

# The criminal investigation or trial of the death.
_INVESTIGATION_AFTER = re.compile(r"\s+(?:investigation|investigations|inquiries|enquiries)\b", re.I)
_OF_THE_DEATH = re.compile(r"\b(?:death|deaths|died|killing|killed|murder\w*|manslaughter|trial|blaze|fire|convicted|"
                           r"charged|criminal|homicide|prosecution|protracted)\b", re.I)
# Someone the public is told to tell or call: "please tell someone about the abuse -
# the police, a support agency", "anyone worried can contact the council"; not what a
# practitioner did or failed to do ("did not contact the GP").
_TO_CALL = re.compile(r"\b(?:anyone|anybody|if you|you can|you could|you should|you may|please|people who|those who|"
                      r"members of the public)\b[^.;\n]{0,80}?"
                      r"\b(?:tell|contact|call|ring|phone|report (?:it |this )?to|speak to|reach out to)\s+"
                      r"(?:someone\b[^.;:\n]{0,40}?[-–:]\s*)?(?:(?:the|a|an|your)\s+[\w'’ -]{1,30}?,\s+){0,4}"
                      r"(?:and\s+|or\s+)?(?:the\s+|a\s+|an\s+|your\s+)?$", re.I)


def _sentence(text: str, m: Mention) -> tuple[int, int]:
    """The bounds of the sentence (or line) holding mention ``m``, roughly: enough
    for the cues above, which never cross a full stop."""
    start = max(text.rfind(". ", 0, m.start), text.rfind("\n", 0, m.start)) + 1
    ends = [i for i in (text.find(". ", m.end), text.find("\n", m.end)) if i != -1]
    return start, min(ends) if ends else len(text)


def _not_involved(text: str, m: Mention) -> bool:
    start, end = _sentence(text, m)
    if _TO_CALL.search(text, max(start, m.start - 240), m.start):
        return True
    return m.type == "police" and bool(_INVESTIGATION_AFTER.match(text, m.end)) \
        and bool(_OF_THE_DEATH.search(text, start, end))


def involved(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` less those that name the police as the investigator of the death,
    or an agency as a place to call."""
    return [m for m in mentions if not _not_involved(text, m)]
