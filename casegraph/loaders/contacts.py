"""Professional contacts from chronology paragraphs: when, which agency, which
practitioner, what kind of contact, and whether it was missed or not followed up."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache, lru_cache
from typing import Any

from casegraph.loaders.agencies import Mention, mentions_in
from casegraph.loaders.ages import NUM, number
from casegraph.loaders.concepts import squeeze
from casegraph.loaders.entities import _DATE, MONTHS
from casegraph.loaders.structure import Layout
from casegraph.schema.gates import word_search
from casegraph.schema.record import Contact, Evidence
from casegraph.schema.vocabulary import fold_span, word_start

__all__ = ["contacts"]

# Caseless words after a word boundary: lower-case patterns matched on folded text
# at the word starts where their first words occur (see _cue_places).
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
# With each pattern, the words every match starts with.
_KIND_STARTS = {
    "meeting": ("meeting", "conference", "strategy discussion", "core group"),
    "referral": ("referr",),
    "assessment": ("assess", "review", "check"),
    "attendance": ("attended ", "admitted", "brought to "),
    "call": ("telephon", "phoned", "called", "call", "999", "text message"),
    "visit": ("visit", "home visit"),
    "appointment": ("appointment", "clinic", "consultation", "surgery"),
}
_KIND_RE = [(k, re.compile(p), _KIND_STARTS[k]) for k, p in _KINDS]
# What became of a contact, most telling first.
_STATUS = (
    ("declined", re.compile(r"(?:declined|refused|would not)\b"), ("declined", "refused", "would not")),
    ("missed", re.compile(r"(?:did not attend|not attend\w*|missed|was not brought|cancelled|"
                          r"did not take place|not kept|no access|not seen)\b"),
     ("did not ", "not attend", "missed", "was not brought", "cancelled", "not kept", "no access", "not seen")),
    ("not-followed-up", re.compile(r"(?:not followed up|no further action|not (?:\w+ )?shared|"
                                   r"no contact was made|not (?:\w+ )?acted on|was not|were not)\b"),
     ("not ", "no further action", "no contact was made", "was not", "were not")),
)
_MONTH_NAME = "|".join(MONTHS)
_WHEN = re.compile(
    rf"^(?:(?:Also|Then|Again|Early|Late|Later)\s+)?(?:(?:On|In|By|During|Around|From|At)\s+)?(?:the\s+)?"
    rf"(?:{_DATE.pattern})"
    rf"|^(?:(?:Over|Within|About|Around|Some)\s+)?(?:the\s+)?(?:next\s+)?(?:{NUM}|a|an|the|few)\s+(?:working\s+)?(?:days?|weeks?|months?|years?)\b"
    rf"(?:\s+(?:later|earlier|on|after(?: the \w+)?|before(?: the \w+)?))?"
    rf"|^(?:On|In|During|At)\s+the\s+(?:same|following|next)\s+\w+[^,.]{{0,30}}"
    rf"|^When\s+[^,]{{3,60}}|^(?:The\s+)?following\s+(?:day|week|month)"
    # A month without its year ("Later in October"): the year of the contact before.
    rf"|^(?:(?:Also|Then|Early|Late|Later)\s+)?(?:in|during|by)\s+(?:early\s+|late\s+|mid-?)?(?:{_MONTH_NAME})\b"
    rf"|^Later(?:\s+(?:that|the same)\s+(?:day|week|month|year))?\b",
    re.I,
)
_ROLE = re.compile(
    r"(?:social work(?:er| assistant)|team manager|health visitor|nursery nurse|community midwife|"
    r"midwife|gp|doctor|paediatrician|police officers?|officers|stop smoking adviser|"
    r"family support worker|paramedics?|nurse|teacher|housing officer|probation officer|"
    r"key worker|practitioner)s?\b"
)
_ROLE_STARTS = ("social work", "team manager", "health visitor", "nursery nurse", "community midwife", "midwife",
                "gp", "doctor", "paediatrician", "police officer", "officers", "stop smoking adviser",
                "family support worker", "paramedic", "nurse", "teacher", "housing officer", "probation officer",
                "key worker", "practitioner")
# Every cue a paragraph is read for: kinds, then statuses, then the role.
_CUES = [*_KIND_RE, *_STATUS, ("role", _ROLE, _ROLE_STARTS)]
_STATUSES = range(len(_KIND_RE), len(_KIND_RE) + len(_STATUS))
_ROLE_CUE = len(_CUES) - 1


_FIRST_SENTENCE = re.compile(r".*?[.!?](?=\s|$)", re.S)


def contacts(layout: Layout, mentions: list[Mention], names: dict[tuple[int, int], str]
             ) -> list[Contact]:
    """One Contact per chronology paragraph that names an agency."""
    text = layout.text
    out = []
    folded = fold_span(text)
    anchor: str | None = None
    for b in layout.blocks:
        if b.section != "chronology" or b.number is None:
            continue
        inside = mentions_in(mentions, b.start, b.end)  # the first one names the agency
        agency = names.get((inside[0].start, inside[0].end)) if inside else None
        if agency is None:
            continue
        chunk = text[b.start:b.end]
        low = folded(b.start, b.end)
        places = _cue_places(low)
        found = _first_cue(places, low, 0, len(_KIND_RE))
        if found is None:
            continue
        kind = found[0]
        found = _first_cue(places, low, _STATUSES.start, _STATUSES.stop)
        status = found and found[0]
        # A missed visit the agency then rebooked or chased: the flag is the
        # agency's action, and here the agency acted.
        if status in ("missed", "declined") and _FOLLOWED.search(low):
            status = "followed-up"
        when_m = _WHEN.match(chunk)  # every alternative starts at ^: no need to try each position
        when = when_m.group(0).strip() if when_m else None
        date = _resolve(when, anchor)
        anchor = date or anchor
        role = _role(places, low, inside[0].type)
        first = _FIRST_SENTENCE.match(chunk)
        summary = squeeze(first.group(0) if first else chunk)[:300]
        out.append(Contact(
            when=when,
            agency=agency,
            kind=kind,
            summary=summary,
            role=role,
            missed=status not in (None, "followed-up"),
            status=status,
            evidence=[Evidence(b.start, b.end, b.number, chunk)],
            date=date,
        ))
    return out


# The agency types whose practitioners go by a role's words: a paragraph about a
# service names others too ("the community midwife was unaware", "wrote to the GP").
_ROLE_TYPES = {
    "social work": ("children-social-care", "adult-social-care", "local-authority", "early-help"),
    "team manager": ("children-social-care", "adult-social-care", "local-authority", "early-help"),
    "health visitor": ("health-visiting",), "nursery nurse": ("health-visiting", "education"),
    "midwife": ("midwifery", "hospital"), "community midwife": ("midwifery",),
    "gp": ("gp",), "doctor": ("gp", "hospital", "other-health", "mental-health"),
    "paediatrician": ("hospital", "other-health"), "police officer": ("police",), "officers": ("police",),
    "paramedic": ("ambulance",), "nurse": ("hospital", "gp", "other-health", "mental-health", "health-visiting"),
    "teacher": ("education",), "housing officer": ("housing",), "probation officer": ("probation",),
}


def _role(places: list[tuple[int, int]], low: str, agency_type: str) -> str | None:
    """The first role the paragraph names that the contact's agency has (any agency
    has key workers, practitioners, family support workers)."""
    for _, s in places[bisect_left(places, (_ROLE_CUE,)):]:
        if (m := _ROLE.match(low, s)) is None:
            continue
        word = m.group(0)
        types = next((t for k, t in _ROLE_TYPES.items() if word.startswith(k)), None)
        if types is None or agency_type in types:
            return word
    return None


_FOLLOWED = re.compile(r"(?<!not )(?<!never )\b(?:followed up|re-?arranged|re-?booked|chased up|pursued)\b")
_MONTH_ALONE = re.compile(rf"\b({_MONTH_NAME})\b", re.I)
_UNITS = {"day": 0, "week": 0, "month": 1, "year": 12}
_RELATIVE = re.compile(rf"(?P<n>{NUM}|a|an|the next|the following)\s+(?:working\s+)?(?P<unit>day|week|month|year)s?"
                       r"(?:\s+(?P<dir>later|after|earlier|before))?", re.I)


def _resolve(when: str | None, anchor: str | None) -> str | None:
    """A contact's time as a date: an absolute one as written ("YYYY-MM[-DD]"); a
    relative one ("six months later", "the following week") counted from the
    contact before it, to the month, and a month without its year ("later in
    October") the first such month from it."""
    if not when:
        return None
    date, months = _read_when(when)
    if date and date.startswith("--"):  # the first such month from the contact before on
        if not anchor or len(anchor) < 7:
            return None
        month = int(date[2:])
        return f"{int(anchor[:4]) + (month < int(anchor[5:7]))}-{month:02d}"
    if months is None or not anchor or len(anchor) < 7:
        return date
    total = int(anchor[:4]) * 12 + int(anchor[5:7]) - 1 + months
    return f"{total // 12}-{total % 12 + 1:02d}"


@lru_cache(maxsize=4096)  # chronologies repeat the same few phrasings of time
def _read_when(when: str) -> tuple[str | None, int | None]:
    """(The date ``when`` names, None) or (None, the months it counts on from the
    contact before: None when it counts none)."""
    m = _DATE.search(when)
    if m and m.group("month"):
        month = MONTHS.index(m.group("month").lower()) + 1
        day = f"-{int(m.group('day')):02d}" if m.group("day") else ""
        return f"{m.group('year')}-{month:02d}{day}", None
    if m:
        return m.group("year2"), None
    r = _RELATIVE.search(when)
    if not r:
        # A month without its year ("Later in October"): "--10", as ISO 8601 writes it.
        month = _MONTH_ALONE.search(when)
        return (f"--{MONTHS.index(month.group(1).lower()) + 1:02d}", None) if month else (None, None)
    n = 1 if r.group("n").lower() in ("a", "an", "the next", "the following") else number(r.group("n"))
    if n is None:
        return None, None
    months = n * _UNITS[r.group("unit").lower()]
    if (r.group("dir") or "").lower() in ("earlier", "before"):
        months = -months
    return None, months


@cache
def _cue_search() -> tuple[Any, list[list[int]]]:
    """The automaton of every cue's first words, and for each word (by its index in
    it) the cues it starts."""
    search = word_search(frozenset(w for _, _, starts in _CUES for w in starts))
    return search.automaton, [[i for i, (_, _, starts) in enumerate(_CUES) if w in starts] for w in search.words]


def _cue_places(low: str) -> list[tuple[int, int]]:
    """(cue, position): for each of _CUES, the word starts of folded ``low`` where it
    can match, sorted: one pass for all of them (a substring test for each word and
    a regex for each cue took about 1.7 times as long)."""
    automaton, cues_of = _cue_search()
    return sorted([(i, pos) for w, pos, _ in automaton.find_matches_as_indexes(low, overlapping=True)
                   if word_start(low, pos) for i in cues_of[w]])


def _first_cue(places: list[tuple[int, int]], low: str, lo: int, hi: int) -> tuple[str, re.Match[str]] | None:
    """(Name, match) of the first of _CUES[lo:hi] that matches ``low`` at one of its
    ``places``, at the first such place: they are sorted by cue, then position."""
    for cue, s in places[bisect_left(places, (lo,)):]:
        if cue >= hi:
            return None
        if m := _CUES[cue][1].match(low, s):
            return _CUES[cue][0], m
    return None
