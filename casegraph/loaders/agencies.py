"""Agency mentions: named organisations and generic mentions ("the health
visitor", "police", "A&E") typed from the vocabulary, acronyms defined in the
text as aliases, grouped into one agency per locality and type."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from casegraph.loaders.agency_names import name_span
from casegraph.loaders.resolve import agency_id
from casegraph.loaders.structure import Layout
from casegraph.schema.gates import Gate, WordSearch, gate, scan, word_search
from casegraph.schema.record import AgencyMention, Evidence
from casegraph.schema.vocabulary import find_all, fold, load_vocabulary, lower

__all__ = ["Mention", "find_mentions", "for_review", "group_agencies", "mentions_in", "council_involved"]

_ACRONYM_AFTER = re.compile(r"[ \t]*\(([A-Z][A-Za-z&]{1,7})\)")
# Sections where agencies are named without being involved in the case.
_NOT_INVOLVED = ("appendices", "contents")
# Sentences that list who sat on the review panel name agencies as reviewers.
_PANEL = re.compile(r"\b(?:representatives?|represented|membership|panel (?:members|comprised|included|"
                    r"consisted)|members of the (?:review )?panel)\b", re.I)
# Words one of which every _PANEL match holds.
_PANEL_WORDS = ("represent", "membership", "panel ", "members of the")


def _panel(text: str, folded: str, start: int, end: int) -> bool:
    """``_PANEL`` searched in ``text[start:end]`` only when ``folded`` (``fold(text)``)
    holds one of its words there: most sentences do not, and find() is much faster."""
    return (any(folded.find(w, start, end) != -1 for w in _PANEL_WORDS)
            and _PANEL.search(text, start, end) is not None)


# Photo captions and credits name organisations that took or supplied a picture.
_CAPTION = re.compile(r"(?:picture|photo|photograph|image|credit)s?\b", re.I)
_COMMISSIONED = re.compile(r"\bcommission", re.I)
_CAPTION_WORDS = ("picture", "photo", "image", "credit")


def _skipped(layout: Layout, folded: str, hits: list[tuple[int, str]]) -> list[tuple[int, int, int]]:
    """(start, end, cue) of the sentences that list the review panel or caption a
    photo; ``cue``: where a panel's words start when the words before them say who
    commissioned the review ("commissioned by the Board, and the panel included
    ..."), a partnership named there being kept; else the sentence's start. Only those
    that hold a panel word or start with a caption word can: they are found from
    where those words occur (``hits``: (position, word) of _WORDS in ``folded``), not
    by a look at every sentence."""
    text = layout.text
    sentences = layout.sentences
    starts = list(map(_START, sentences))
    panel_words = [p for p, w in hits if w in _PANEL_WORDS]
    # The sentence each panel word starts in, and those starting with a caption word.
    near = {i for p in panel_words if (i := bisect_right(starts, p) - 1) >= 0 and p < sentences[i].end}
    near.update(i for p, w in hits if w in _CAPTION_WORDS and (i := bisect_left(starts, p)) < len(starts)
                and starts[i] == p)
    out = []
    for x in map(sentences.__getitem__, sorted(near)):
        if _panel(text, folded, x.start, x.end):
            # Only a partnership said to have commissioned the review is kept: those
            # before "were represented on the panel" are its members.
            cue = _PANEL.search(text, x.start, x.end).start()
            out.append((x.start, x.end, cue if _COMMISSIONED.search(text, x.start, cue) else x.start))
        elif folded.startswith(_CAPTION_WORDS, x.start) and _CAPTION.match(text, x.start):
            out.append((x.start, x.end, x.start))
    return out


@dataclass(slots=True)  # a few hundred per report: quicker to make than a frozen one
class Mention:
    start: int
    end: int
    type: str
    text: str




def find_mentions(layout: Layout) -> list[Mention]:
    """Every agency mention outside appendices, panel lists and captions, longest
    match winning overlaps. Each pattern whose required words occur scans the text
    once; a match is placed in its block by bisection."""
    text = layout.text
    agency_types = load_vocabulary()["agency_types"]
    blocks = layout.blocks
    block_starts = [b.start for b in blocks]
    folded = fold(text)
    # One search of the folded text for the agencies' words and those looked for
    # here. The agencies' patterns are matched on the lowered text; where it differs
    # (İ ı ſ K) no such word occurs, so they are tried at more places, not fewer.
    agate = gate(agency_types, fast=True)
    hits = _search(agate).hits(folded)
    places = agate.places(folded, hits)
    hits = [(p, w) for p, w in hits if w in _WORDS]
    skipped = _skipped(layout, folded, hits)
    skip_starts = [a for a, _, _ in skipped]
    found: list[tuple[int, int, int, int, int, str]] = []
    rev = text[::-1]
    low = lower(text)
    # Only the patterns whose required words occur in the text can match, and only
    # near where they occur.
    for tid, concept in agency_types.items():
        for k, pattern in enumerate(concept.fast):
            near = places.get((tid, k))
            if near is None and k not in agate.always.get(tid, ()):
                continue
            for m_start, m_end in scan(pattern, low, near):
                i = bisect_right(block_starts, m_start) - 1
                if i < 0 or m_end > blocks[i].end or blocks[i].section in _NOT_INVOLVED:
                    continue
                j = bisect_right(skip_starts, m_start) - 1
                if j >= 0 and m_start < skipped[j][1] and not (tid == "safeguarding-partnership"
                                                               and m_start < skipped[j][2]):
                    continue
                block = blocks[i]
                start, end = name_span(text, rev, m_start, m_end, block.start, block.end)
                found.append((start, start - end, m_start - start, len(found), end, tid))
    # Longest first; on a tie the match the pattern made itself beats one grown
    # over capitalised words ("Adult social care" is adult, not children's, care),
    # then the earlier found. Mentions are made only for the spans kept.
    found.sort()
    kept: list[tuple[int, int, str]] = []
    for start, _, _, _, end, tid in found:
        if kept and start < kept[-1][1]:
            if end - start > kept[-1][1] - kept[-1][0]:
                kept[-1] = (start, end, tid)
            continue
        kept.append((start, end, tid))
    maybe = _maybe_not_bodies(text, hits, kept)
    return _apply_acronyms(text, [Mention(start, end, tid, text[start:end]) for i, (start, end, tid) in enumerate(kept)
                                  if i not in maybe or not _not_a_body(text, start, end)])


# Words around a name that make it something other than a body involved with the
# family: a credit line, an Act or institute named after the service, the sector
# in general ("health and social care"), the title of a post. Each branch comes
# with the words (folded) one of which starts its matches: find_mentions checks
# only the names near where those occur (see _maybe_not_bodies).
_BEFORE_BRANCHES = (
    (r"\b(?:credit|copyright|image caption|photo(?:graph)?|picture)\s*:?\s*(?:\w+\s+){0,3}",
     ("credit", "copyright", "image caption", "photo", "picture")),
    (r"\bdirectors? of ", ("director",)),
)
_AFTER_BRANCHES = (
    (r"(?-i:Act)\b", ()),  # with its case: looked for in the text, not the folded text
    (r"Institute\b", ("institute",)),
    (r"Regulations\b", ("regulations",)),
    (r"consultants?\b", ("consultant",)),
    (r"research\b", ("research",)),
    (r"sector\b", ("sector",)),
    (r"(?:statutory )?guidance\b", ("statutory", "guidance")),
    (r"guidelines\b", ("guidelines",)),
    (r"(?:DHR )?library\b", ("dhr", "library")),
    (r"and Crime (?:Board|Commissioner|Panel)\b", ("and crime",)),
    (r"(?:Quality Assurance|QA) Panel\b", ("quality assurance", "qa panel")),
)
_NOT_BODY_BEFORE = re.compile("(?:" + "|".join(r for r, _ in _BEFORE_BRANCHES) + ")$", re.I)
_NOT_BODY_AFTER = re.compile(r"\s*(?:\((?:Wales|Scotland|Northern Ireland)\)\s*)?(?:"
                             + "|".join(r for r, _ in _AFTER_BRANCHES) + ")", re.I)
# National bodies that receive, support or publish reviews, never the family's agencies.
_NATIONAL_NAMES = ("child safeguarding practice review panel", "home office")
_NATIONAL = re.compile(r"(?:the )?(?:national )?(?:" + "|".join(_NATIONAL_NAMES) + ")", re.I)
# "health and social care": the sector, not a service of the family's area.
_SECTOR_NAMES = ("social care", "social services")
_SECTOR = re.compile(r"\bhealth (?:and|or|&) $", re.I)


def _not_a_body(text: str, start: int, end: int) -> bool:
    return bool(_NOT_BODY_AFTER.match(text, end) or _NOT_BODY_BEFORE.search(text, max(0, start - 30), start)
                or _NATIONAL.fullmatch(text, start, end)
                or (text[start:end].lower() in _SECTOR_NAMES
                    and _SECTOR.search(text, max(0, start - 12), start)))


# The words one of which each of those checks needs: in a credit line or a post's
# title before the name; starting what follows it (or the bracket before a nation);
# ending a national body's name; the sector's names.
_CREDIT_WORDS = tuple(w for _, words in _BEFORE_BRANCHES for w in words)
_AFTER_WORDS = ("(", *(w for _, words in _AFTER_BRANCHES for w in words))
_NATIONAL_ENDS = tuple(name.rsplit(None, 1)[-1] for name in _NATIONAL_NAMES)


def _maybe_not_bodies(text: str, hits: list[tuple[int, str]], spans: list[tuple[int, int, str]]) -> set[int]:
    """Indexes of ``spans`` (sorted and apart) that _not_a_body may hold for, found
    from where the words its checks need occur (``hits``: (position, word) of _WORDS
    in folded text), not by running them on every name (few have any near)."""
    starts = [s for s, _, _ in spans]
    ends = [e for _, e, _ in spans]
    maybe: set[int] = set()
    for p, w in [*hits, *((p, "Act") for p in find_all(text, ("Act",)))]:
        if w in _CREDIT_WORDS:  # the names starting within 30 characters after it
            i = bisect_right(starts, p)
            while i < len(starts) and starts[i] <= p + 30:
                maybe.add(i)
                i += 1
        elif w in _AFTER_WORDS or w == "Act":  # the names it follows after nothing but spaces
            i = bisect_right(ends, p) - 1
            while i >= 0 and (ends[i] == p or text[ends[i]:p].isspace()):
                maybe.add(i)
                i -= 1
        elif w in _NATIONAL_ENDS:  # the name it ends
            i = bisect_left(ends, p + len(w))
            if i < len(ends) and ends[i] == p + len(w):
                maybe.add(i)
        elif w in _SECTOR_NAMES:  # the name it starts
            i = bisect_left(starts, p)
            if i < len(starts) and starts[i] == p:
                maybe.add(i)
    return maybe


# Every word find_mentions looks for besides the agencies' own, found in one search.
_WORDS = frozenset((*_PANEL_WORDS, *_CAPTION_WORDS, *_CREDIT_WORDS, *_AFTER_WORDS, *_NATIONAL_ENDS, *_SECTOR_NAMES))


@lru_cache(maxsize=4)
def _search(agate: Gate) -> WordSearch:
    """The word search for a gate's words and _WORDS."""
    return word_search(frozenset(agate.by_word).union(_WORDS))


def _apply_acronyms(text: str, mentions: list[Mention]) -> list[Mention]:
    """'Referral & Assessment Service (RAS)': later 'RAS' means the same agency."""
    defined: dict[str, str] = {}
    ends = [m.end for m in mentions]
    # An acronym follows a name after spaces or tabs only: the first mention that
    # ends before each "(" with nothing else between is the one it defines.
    for p in find_all(text, "("):
        i = bisect_right(ends, p) - 1
        if i < 0 or text[ends[i]:p].strip(" \t"):
            continue
        while i and not text[ends[i - 1]:p].strip(" \t"):
            i -= 1
        m = mentions[i]
        a = _ACRONYM_AFTER.match(text, m.end)
        # Only an acronym made of capitals ("RAS", "CWPT"): "(Fenshire)" is no acronym.
        if a and sum(c.isupper() for c in a.group(1)) >= 2:
            defined.setdefault(a.group(1), m.type)
    out = list(mentions)
    # The kept mentions are sorted and do not overlap, so a bisection finds the one
    # span that could hold a position (a linear scan made long texts quadratic).
    starts = [m.start for m in mentions]
    for acronym, tid in defined.items():
        for s, e in _standalone(text, acronym):
            i = bisect_right(starts, s) - 1
            if i < 0 or s >= ends[i]:
                out.append(Mention(s, e, tid, acronym))
    out.sort(key=lambda x: x.start)
    return out


def _standalone(text: str, acronym: str) -> Iterator[tuple[int, int]]:
    r"""Spans of ``re.finditer(rf"(?<![\w&]){re.escape(acronym)}(?![\w&])", text)``: the
    look-behind is checked here, as in the regex it would stop the engine skipping
    ahead to the acronym's first letter."""
    pattern = re.compile(rf"{re.escape(acronym)}(?![\w&])")
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        s = m.start()
        pos = s + 1  # one starting inside a match follows a letter or &: rejected below
        if not s or not (text[s - 1].isalnum() or text[s - 1] in "_&"):
            yield s, m.end()


@lru_cache(maxsize=4096)  # mentions repeat the same few names
def _clean(name: str) -> str:
    name = re.sub(r"\s+", " ", name.strip())
    if name.isupper() and len(name) > 6:
        name = name.title()
    return name


_CHILDRENS = re.compile(r"child|famil|young|youth|\bCSC\b", re.I)


def for_review(mentions: list[Mention], adult: bool) -> list[Mention]:
    """Mentions read as the kind of review means them: in a review about an adult,
    "social services" are the adults' services; in one about a child, "carers" are
    family, foster carers or guardians, not a care agency."""
    if not adult:
        return [m for m in mentions if m.text.lower() not in ("carers", "carer")]
    for m in mentions:
        if m.type == "children-social-care" and not _CHILDRENS.search(m.text):
            m.type = "adult-social-care"
    return mentions


def group_agencies(
    layout: Layout, mentions: list[Mention], locality: str | None, max_evidence: int = 5
) -> list[AgencyMention]:
    """One AgencyMention per concrete agency, named by its most used proper form."""
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(agency_id(locality, m.type, _clean(m.text)), []).append(m)
    out = []
    for ms in groups.values():
        if ms[0].type == "local-authority" and not any(council_involved(layout.text, m, mentions) for m in ms):
            continue
        names = Counter(_clean(m.text) for m in ms)
        proper = [n for n in names if any(c.isupper() for c in n) and not n.isupper()]
        pool = proper or list(names)
        name = max(pool, key=lambda n: (names[n], len(n)))
        evidence = [
            Evidence(m.start, m.end, _paragraph_at(layout, m.start), layout.text[m.start:m.end])
            for m in ms[:max_evidence]
        ]
        out.append(AgencyMention(name=name, type=ms[0].type,
                                 aliases=sorted(set(names) - {name}), evidence=evidence))
    return out


# A council named as the owner of the service that acted ("the council's children's
# services"), as the speaker, employer or landlord, or a regulator whose name ends
# in "Council": not itself involved with the family.
_COUNCIL_NOT_AFTER = re.compile(
    r"^(?:['’]s?)?\s*(?:(?:city|county|borough)\s+)?(?:flats?|houses?|homes?|tax|estates?|tenancy|housing|propert\w+|"
    r"chiefs?|bosses|leaders?|spokes\w+|cabinet|officials?|said|says|stated|apologis\w+|accepted|welcomed|"
    r"has been handed|is to|will|had been rated|was rated|(?:\w+\s+){0,2}(?:children['’]s|social|adult|adults['’]|"
    r"child protection|family|families)\b)", re.I)
_COUNCIL_NOT_BEFORE = re.compile(r"\b(?:leader|member|director|chief executive|spokes\w+|councillor|mayor|"
                                 r"officer|bosses|chiefs?)\s+(?:\w+\s+)?(?:of\s+\w+(?:\s+\w+)?\s+)?(?:of|for|at|from)"
                                 r"\s+(?:the\s+)?$", re.I)
_REGULATOR = re.compile(r"\b(?:professions|midwifery|medical|social care|research|arts|sports?|privy) council\b", re.I)


def council_involved(text: str, m: Mention, mentions: list[Mention]) -> bool:
    after = text[m.end:m.end + 60]
    if _REGULATOR.search(text, max(0, m.start - 40), m.end):
        return False
    if _COUNCIL_NOT_AFTER.match(after) or _COUNCIL_NOT_BEFORE.search(text[max(0, m.start - 60):m.start]):
        return False
    # Directly followed by another agency's name: that agency is the one named.
    i = bisect_right(mentions, m.start, key=_START)
    return not (i < len(mentions) and mentions[i].start - m.end <= 4)


def _paragraph_at(layout: Layout, pos: int) -> str | None:
    block = layout.block_at(pos)
    return block.number if block else None


def mentions_in(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    """The ``mentions`` (sorted by start, as find_mentions gives them) that start in
    [start, end), found by bisection."""
    return mentions[bisect_left(mentions, start, key=_START):bisect_left(mentions, end, key=_START)]


_START = attrgetter("start")
