"""Places: the local authority area a review is about, resolved through the
gazetteer shipped as data (casegraph/schema/gazetteer.yaml: UK local authority
areas, the Crown dependencies, and the districts and towns in each) from the
names a text uses — partnerships, boards and councils first, then areas, towns
and districts."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["area_of", "is_area", "is_region", "locality", "may_be_one"]

_FILE = Path(__file__).resolve().parent.parent / "schema" / "gazetteer.yaml"
# A one-word place counts only where a place is expected ("in Dundee", "Dundee
# Council"): many are also ordinary words or surnames (Reading, Bury, Sale).
_BEFORE_PLACE = re.compile(r"(?:\b(?:in|at|from|near|of|across|around|throughout|for|to|and|into|within)\s+"
                           r"|,\s*)$", re.I)
_AFTER_PLACE = re.compile(r"(?:['’]s\b|\s+(?:City|County|Borough|District|[Cc]ouncil|area|Safeguarding|"
                          r"Child|Children|Adults?|Community|Partnership|Board|Metropolitan|Local|partners|"
                          # a person by where they live, as news puts it: "a Gravesend man"
                          r"man|woman|mother|father|mum|dad|boy|girl|baby|toddler|teenager|pensioner|"
                          r"schoolgirl|schoolboy|resident)\b)")
# "a Kendal family", "an Ashford couple"; but "the Morley family" is a surname's.
_A_PLACE = re.compile(r"\ban?\s+$", re.I)
_FAMILY_AFTER = re.compile(r"\s+(?:family|couple)\b")


# Names that are dates, never places; and places whose one-word names are also
# ordinary words, first names or surnames, which count only where a place is expected.
_NEVER = frozenset("January February March April May June July August September October November December "
                   "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
_ORDINARY = frozenset("Sale Deal Street Reading Bury Wells Ware Hope Church Mold Holt Diss Looe Par Marks Angus "
                      "Bath Hyde Washington Buckingham Fleet Hart Eden Craven Copeland Carrick Swale Melton Wirral "
                      "Halton Sutton Barnet Enfield Brent Merton Bexley Harrow Kent Derby Lincoln Chester".split())


_NOT_PLACE = frozenset("Care Professions Health Social Services Professional Standards Quality Commission Police "
                       "NHS Trust Practice National Government Independent Safeguarding Children Adults".split())


@lru_cache(maxsize=1)
def _areas() -> dict[str, Any]:
    """The gazetteer's areas, each with its aliases, districts, places and successors."""
    return _data().get("areas") or {}


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    """The gazetteer file as loaded (areas and regions)."""
    import yaml

    try:
        return yaml.load(_FILE.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except OSError:
        return {}


@lru_cache(maxsize=1)
def _regions() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each region's name and alias, lower-cased (see the gazetteer's ``regions``) ->
    the region's name and its areas."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for region, info in (_data().get("regions") or {}).items():
        for n in [region, *(info.get("aliases") or [])]:
            out[str(n).lower()] = (str(region), tuple(info["areas"]))
    return out


@lru_cache(maxsize=8)
def _gazetteer(standing: frozenset[str] = frozenset()) -> tuple[dict[str, str], set[str], Any]:
    """Every name (area, alias, district, place) -> its area, and one automaton of
    them all (leftmost longest: "West Bromwich" rather than "Bromwich"). The names
    of an abolished area still ``standing`` (see _standing) are its own, and its
    successors' only where it does not list them; otherwise the successors'."""
    from ahocorasick_rs import AhoCorasick, MatchKind

    areas = _areas()
    if not areas:
        return {}, set(), None
    later = {s for a in standing for s in (areas[a] or {}).get("replaced_by") or []}
    names: dict[str, str] = {}
    own: set[str] = set()  # an area's names and aliases ("Glasgow" for Glasgow City)
    order = [*standing, *(a for a in areas if a not in standing and a not in later), *later]
    for area in order:
        info = areas[area] or {}
        own.update(map(str, [area, *(info.get("aliases") or [])]))
        for n in [area, *(info.get("aliases") or []), *(info.get("districts") or []), *(info.get("places") or [])]:
            names.setdefault(str(n), area)
    words = list(names)
    return names, own, (words, AhoCorasick(words, matchkind=MatchKind.LeftmostLongest))


def _standing(when: str | None) -> frozenset[str]:
    """The abolished areas that still stood at ``when`` ("2012-05", "2012"): a review
    of a death in Kendal in 2012 is Cumbria's, one in 2024 Westmorland and Furness's."""
    if not when:
        return frozenset()
    return frozenset(a for a, info in _areas().items() if (info or {}).get("until") and when[:7] < info["until"])


@lru_cache(maxsize=1)
def _areas_by_key() -> tuple[dict[str, str], dict[str, set[str]]]:
    """Each area's and alias's key (see resolve.slug) -> the area; each area -> the
    areas it became or was made from."""
    from casegraph.loaders.resolve import slug

    keys: dict[str, str] = {}
    kin: dict[str, set[str]] = {}
    for area, info in _areas().items():
        info = info or {}
        for n in [area, *(info.get("aliases") or [])]:
            keys.setdefault(slug(str(n)), area)
        for successor in info.get("replaced_by") or []:
            kin.setdefault(area, set()).add(successor)
            kin.setdefault(successor, set()).add(area)
    return keys, kin


def may_be_one(a: str, b: str) -> bool:
    """Whether two locality keys may name one area: the same area, one the other
    became, or an area beside a name the gazetteer does not know as one
    ("Glamorgan", a region), which tells nothing against it."""
    keys, kin = _areas_by_key()
    area_a, area_b = keys.get(a), keys.get(b)
    if area_a is None or area_b is None:
        return a == b or (area_a, area_b) != (None, None)
    return area_a == area_b or area_b in kin.get(area_a, ())


def _inside_word(text: str, start: int, end: int) -> bool:
    return (start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-")) or (
        end < len(text) and (text[end].isalnum() or text[end] == "-"))


def area_of(name: str | None, standing: frozenset[str] = frozenset()) -> str | None:
    """The area a name (an area, its alias, a district or a town) lies in (of the
    abolished areas, those ``standing``: see _standing)."""
    if not name:
        return None
    names, _, _ = _gazetteer(standing)
    name = name.strip()
    # "Cumbria County", "Coventry City", "Sandwell Metropolitan Borough": the area.
    bare = re.sub(r"\s+(?:County|City|Metropolitan Borough|Borough|District)$", "", name)
    return names.get(name) or names.get(bare) or names.get(name.title())


def is_region(name: str) -> bool:
    """Whether ``name`` is a region of several areas (see the gazetteer's ``regions``)."""
    return name.lower() in _regions()


def is_area(name: str) -> bool:
    """Whether ``name`` is a local authority area's own name or alias ("Torbay",
    "Glasgow"), not a town's (many towns are also first names)."""
    return name in _gazetteer()[1]


def _area_of_body(name: str, standing: frozenset[str] = frozenset()) -> str | None:
    """The area of a partnership's or council's place name, whose last words may
    be the body's own ("Norfolk Countywide", "North Yorkshire Multi Agency")."""
    if (area := area_of(name, standing)) is not None:
        return area
    # Two places joined ("Carlisle and Eden"): their area if they share one; none
    # if they lie in two (the caller then keeps the joined name, the body's own area).
    if areas := _joined_areas(name, standing):
        if None not in areas:
            return areas.pop() if len(areas) == 1 else None
        name = _AND.split(name)[0]
    words = name.split()
    for n in range(len(words), 0, -1):
        if (area := area_of(" ".join(words[:n]), standing)) is not None \
                and (n == len(words) or words[0] not in _ORDINARY):
            return area
    return None


_AND = re.compile(r"\s+and\s+", re.I)


def _joined_areas(name: str, standing: frozenset[str] = frozenset()) -> set[str | None]:
    """The areas of the places ``name`` joins by "and" (None for one the gazetteer
    does not know); empty for a name that joins none."""
    parts = _AND.split(name)
    return {area_of(p, standing) for p in parts} if len(parts) > 1 else set()


def locality(text: str, named: list[str], when: str | None = None) -> str | None:
    """The area of the first of ``named`` (places taken from partnership, board and
    council names) the gazetteer knows (of a region's areas, the one the text's
    places name most); else the area the text's place names point to most. A town
    or district of an area since abolished is that area's if the incident (or
    review) ``when`` came before the change."""
    standing = _standing(when)
    for n in named:
        region = _regions().get(n.lower())
        if region is None and (area := _area_of_body(n, standing)) is not None:
            return area
        # Two places of two areas ("Conwy and Denbighshire"): the one of them the text's
        # other places name most (as for a region), else the body's own area, as named,
        # before any council named later (a reviewer's employer, say).
        if region is None and len(areas := _joined_areas(n, standing)) > 1 and None not in areas:
            return _named_most(text, n, areas, standing) or n
        # A regional board's review: the member area the text's places name most.
        if region is not None:
            return _named_most(text, n, region[1], standing) or region[0]
    # A partnership or council the gazetteer does not know still names the area,
    # unless its words are those of a body's name ("Health and Care Professions").
    named = [n for n in named if not _NOT_PLACE.intersection(n.split())]
    if named:
        return named[0]
    votes = _votes(text, standing)
    return max(votes, key=lambda a: (votes[a][0], -votes[a][1])) if votes else _area_of_site(text)


def _named_most(text: str, body: str, members: Iterable[str | None], standing: frozenset[str]) -> str | None:
    """The one of a body's ``members`` (areas) the text's places name most: the body's
    own name names each of them, so only the text's other places vote."""
    votes = _votes(re.sub(re.escape(body), lambda m: " " * len(m.group(0)), text, flags=re.I), standing)
    return max((a for a in members if a in votes), key=lambda a: (votes[a][0], -votes[a][1]), default=None)


def _votes(text: str, standing: frozenset[str] = frozenset()) -> dict[str, tuple[float, int]]:
    """Each area the text's place names point to -> (votes, where first named): a
    mention in the opening counts double."""
    names, own_names, automaton = _gazetteer(standing)
    if automaton is None:
        return {}
    words, search = automaton
    votes: dict[str, float] = Counter()
    first: dict[str, int] = {}
    joint = _joint_spans(text)
    joint_starts = [a for a, _ in joint]
    for i, start, end in search.find_matches_as_indexes(text):
        if _inside_word(text, start, end):
            continue
        area = names[words[i]]
        # An area's own one-word name counts anywhere but at a sentence's start.
        own = words[i] in own_names and words[i] not in _ORDINARY and start > 2 and text[start - 2] not in ".!?\n"
        if words[i] in _NEVER:
            continue
        if " " not in words[i] and not (own or _BEFORE_PLACE.search(text, max(0, start - 12), start)
                                        or _AFTER_PLACE.match(text, end, end + 20)
                                        or (_FAMILY_AFTER.match(text, end) and _A_PLACE.search(text, max(0, start - 4),
                                                                                             start))):
            continue
        # A service named for two areas counts half for each (see _joint_spans); its
        # spans, in order and apart, are found by bisection (a look at each was quadratic).
        j = bisect_right(joint_starts, start) - 1
        votes[area] += (2 if start < 800 else 1) / (2 if j >= 0 and start < joint[j][1] else 1)
        first.setdefault(area, start)
    return {a: (v, first[a]) for a, v in votes.items()}


# A service two areas share, named for both: "Devon and Cornwall Police", "Avon and
# Somerset Constabulary", "Hampshire and Isle of Wight NHS Trust".
_JOINT = re.compile(r"\b(?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+ (?:and|&) (?:(?:[A-Z][a-z]+|of) ){0,3}?(?:[A-Z][a-z]+)"
                    r"(?= (?i:police|constabulary|fire|probation|community rehabilitation|NHS|healthcare|ambulance|"
                    r"integrated care|clinical commissioning|mental health|partnership NHS)\b)")


def _joint_spans(text: str) -> list[tuple[int, int]]:
    """Where a service named for two areas is named: its places count half. A name
    whose places lie in one area ("Royal Devon and Exeter") is that area's."""
    if " and " not in text and " & " not in text:
        return []
    spans = []
    for m in _JOINT.finditer(text):
        left, right = re.split(r" (?:and|&) ", m.group(0), maxsplit=1)
        a, b = _area_in(left), _area_in(right)
        if a and b and a != b:
            spans.append(m.span())
    return spans


def _area_in(words: str) -> str | None:
    """The area of the longest run of ``words`` ending at its last that the gazetteer knows."""
    parts = words.split()
    return next((area for k in range(len(parts)) if (area := area_of(" ".join(parts[k:])))), None)


# A partnership's web address: "harwicklscb.org.uk", "safeguardingharwick.org".
_SITE = re.compile(r"\b(?:www\.)?([a-z]{4,40})\.(?:org|gov)(?:\.uk)?\b")


def _area_of_site(text: str) -> str | None:
    """The area a partnership's web address in the text names (the area's name
    and at most five letters of the body's), for a text whose words name none (a
    PDF's footer may be all it gives)."""
    keys, _ = _areas_by_key()
    compact = {k.replace("-", ""): area for k, area in keys.items()}
    for m in _SITE.finditer(text):
        label = re.sub(r"^safeguarding|safeguarding\w*$", "", m.group(1))
        for cut in range(len(label), 3, -1):
            if label[:cut] in compact and len(label) - cut <= 5:
                return compact[label[:cut]]
    return None
