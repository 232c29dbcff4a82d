"""Professional contacts from chronology paragraphs: when, which agency, which
practitioner, what kind of contact, and whether it was missed or not followed up."""

from __future__ import annotations

import re

from casegraph.loaders.agencies import Mention, mentions_in
from casegraph.loaders.entities import _DATE, _NUM
from casegraph.loaders.findings import _squeeze
from casegraph.loaders.structure import Layout
from casegraph.schema.record import Contact, Evidence
from casegraph.schema.vocabulary import after_words, fold_span

__all__ = ["contacts"]

# Caseless words after a word boundary: lower-case patterns run by after_words on
# folded text, which the regex engine scans many times faster.
_KINDS = (
    ("meeting", r"meeting|conference|strategy discussion|core group"),
    ("referral", r"referr\w+"),
    ("assessment", r"assess\w*|review(?:ed)? (?:of|at)|check\b"),
    ("attendance", r"attended (?:the )?(?:hospital|a&e|emergency)|admitted"
                   r"|brought to (?:the )?(?:hospital|a&e|\w+ emergency)"),
    ("call", r"telephon\w+|phoned|called|call\b|999|text message"),
    ("visit", r"visit\w*|home visit"),
    ("appointment", r"appointment|clinic|consultation|surgery"),
)
# With each pattern, words one of which every match holds: a paragraph without any
# is not searched (str "in" is many times faster than the regex).
_KIND_WORDS = {
    "meeting": ("meeting", "conference", "strategy discussion", "core group"),
    "referral": ("referr",),
    "assessment": ("assess", "review of", "review at", "reviewed of", "reviewed at", "check"),
    "attendance": ("attended ", "admitted", "brought to "),
    "call": ("telephon", "phoned", "called", "call", "999", "text message"),
    "visit": ("visit",),
    "appointment": ("appointment", "clinic", "consultation", "surgery"),
}
_KIND_RE = [(k, re.compile(p), _KIND_WORDS[k]) for k, p in _KINDS]
# What became of a contact, most telling first.
_STATUS = (
    ("declined", re.compile(r"(?:declined|refused|would not)\b"), ("declined", "refused", "would not")),
    ("missed", re.compile(r"(?:did not attend|not attend\w*|missed|was not brought|cancelled|"
                          r"did not take place|not kept|no access|not seen)\b"),
     ("not attend", "missed", "was not brought", "cancelled", "did not take place", "not kept",
      "no access", "not seen")),
    ("not-followed-up", re.compile(r"(?:not followed up|no further action|not (?:\w+ )?shared|"
                                   r"no contact was made|not (?:\w+ )?acted on|was not|were not)\b"),
     ("not followed up", "no further action", "shared", "no contact was made", "acted on", "was not",
      "were not")),
)
_WHEN = re.compile(
    rf"^(?:(?:On|In|By|During|Around|From|At)\s+)?(?:the\s+)?(?:{_DATE.pattern})"
    rf"|^(?:(?:Over|Within|About|Around|Some)\s+)?(?:the\s+)?(?:next\s+)?(?:{_NUM}|a|an|the|few)\s+(?:working\s+)?(?:days?|weeks?|months?|years?)\b"
    rf"(?:\s+(?:later|earlier|on|after(?: the \w+)?|before(?: the \w+)?))?"
    rf"|^(?:On|In|During|At)\s+the\s+(?:same|following|next)\s+\w+[^,.]{{0,30}}"
    rf"|^When\s+[^,]{{3,60}}|^(?:The\s+)?following\s+(?:day|week|month)|^Later\b[^,.]{{0,30}}",
    re.I,
)
_ROLE = re.compile(
    r"(?:social work(?:er| assistant)|team manager|health visitor|nursery nurse|community midwife|"
    r"midwife|gp|doctor|paediatrician|police officers?|officers|stop smoking adviser|"
    r"family support worker|paramedics?|nurse|teacher|housing officer|probation officer|"
    r"key worker|practitioner)s?\b"
)


_FIRST_SENTENCE = re.compile(r".*?[.!?](?=\s|$)", re.S)


def contacts(layout: Layout, mentions: list[Mention], names: dict[tuple[int, int], str]
             ) -> list[Contact]:
    """One Contact per chronology paragraph that names an agency."""
    text = layout.text
    out = []
    folded = fold_span(text)
    for b in layout.blocks:
        if b.section != "chronology" or b.number is None:
            continue
        chunk = text[b.start:b.end]
        inside = mentions_in(mentions, b.start, b.end)
        agency = next((names.get((m.start, m.end)) for m in inside), None)
        if agency is None:
            continue
        low = folded(b.start, b.end)
        kind = next((k for k, p, words in _KIND_RE if _found(p, words, low)), None)
        if kind is None:
            continue
        status = next((name for name, p, words in _STATUS if _found(p, words, low)), None)
        when_m = _WHEN.match(chunk)  # every alternative starts at ^: no need to try each position
        role = next(after_words(_ROLE, low), None)
        first = _FIRST_SENTENCE.match(chunk)
        summary = _squeeze(first.group(0) if first else chunk)[:300]
        out.append(Contact(
            when=when_m.group(0).strip() if when_m else None,
            agency=agency,
            kind=kind,
            summary=summary,
            role=chunk[role.start():role.end()].lower() if role else None,
            missed=status is not None,
            status=status,
            evidence=[Evidence(b.start, b.end, b.number, chunk)],
        ))
    return out


def _found(pattern: re.Pattern[str], words: tuple[str, ...], low: str) -> bool:
    """Whether ``pattern`` matches at a word start in ``low``; run only when ``low``
    holds one of ``words`` (every match holds one)."""
    return any(w in low for w in words) and next(after_words(pattern, low), None) is not None
