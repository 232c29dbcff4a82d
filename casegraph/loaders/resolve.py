"""Cross-document resolution: the keys that make documents about one case meet in
one Case and one Review, and mentions of one organisation meet in one Agency."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from casegraph.loaders.ages import by_decade
from casegraph.loaders.places import area_of, is_region

__all__ = ["same_person", "unnamed", "named_subjects", "partnership_kind", "slug", "case_key", "match_case",
           "agency_id", "review_id", "locality_of_partnership", "partnership_place", "alias_keys", "alias_fits",
           "named_review", "different_reviews", "unnamed_keys", "age_key", "months_apart"]

# Words that prefix a pseudonym without being part of it ("Baby Matt" is "Matt").
_PSEUDONYM_PREFIX = re.compile(r"^(?:baby|little|infant|toddler)\s+(?=[A-Z])", re.I)


# Cached, as is agency_id: extraction asks again for the keys of the same few names.
@lru_cache(maxsize=4096)
def slug(text: str) -> str:
    """Lower-case ASCII key: 'Children’s Services' -> 'childrens-services'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"['’`]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def pseudonym_key(pseudonym: str) -> str:
    """'Baby Matt' and 'Matt' name one child; 'Baby C' keeps its letter."""
    name = pseudonym.strip()
    stripped = _PSEUDONYM_PREFIX.sub("", name)
    # A bare initial needs its prefix to stay meaningful ("Baby C" vs "Child C").
    key = slug(name if len(stripped) <= 1 else stripped)
    # One surname spelled two ways: "McFarlane" and "Macfarlane".
    return re.sub(r"(?:^|(?<=-))mac(?=[a-z]{4})", "mc", key)


def case_key(locality: str | None, pseudonym: str | None, year: str | None) -> tuple[str, str, str]:
    return (slug(locality or "unknown"), pseudonym_key(pseudonym or "unknown"), (year or "")[:4])


def match_case(key: tuple[str, str, str], existing: Iterable[tuple[str, str | None]], month: str | None = None) -> str:
    """Pick the Case id for ``key`` among ``existing`` (id, incident date) of the same
    locality and pseudonym: a known year must agree, or the incident ``month`` fall
    within two months of the case's (an assault in December, the death in January);
    an unknown year joins the only candidate there is. Otherwise a new id."""
    locality, pseudonym, year = key
    candidates = list(existing)  # a case may come with each of its dates
    ids = list(dict.fromkeys(cid for cid, _ in candidates))
    # A child's full name is theirs alone in an area: documents that disagree on
    # the year of the incident still describe one case.
    if year and candidates and _full_name(pseudonym):
        return candidates[0][0]
    if year:
        same = [cid for cid, y in candidates if (y or "")[:4] == year or months_apart(y, month) <= 2]
        undated = [cid for cid, y in candidates if not y]
        if same:
            return same[0]
        if len(undated) == 1 and len(ids) == 1:
            return undated[0]
        return f"case:{locality}:{pseudonym}:{year}"
    if len(ids) == 1:
        return ids[0]
    return f"case:{locality}:{pseudonym}" + (":undated" if candidates else "")


def months_apart(a: str | None, b: str | None) -> int:
    """Months between two "YYYY-MM" dates; a large number when either lacks a month."""
    if not a or not b or len(a) < 7 or len(b) < 7:
        return 99
    return abs((int(a[:4]) * 12 + int(a[5:7])) - (int(b[:4]) * 12 + int(b[5:7])))


def named_subjects(case: dict[str, Any]) -> list[dict[str, Any]]:
    """A case's subjects the text names: a subject it gives only an age or an outcome
    ("a six-week-old baby") has no pseudonym, and names no case."""
    return [s for s in case.get("subjects") or [] if s.get("pseudonym")]


def named_review(record: Any) -> str | None:
    """The review a document names by its body, type and label ("CPR FLINT 2" of the
    North Wales board; a setting such as "Elmside View" of its area), if it names one so."""
    body = (record.review.get("partnership") or [None])[0]
    label = record.review.get("label")
    # A setting ("Elmside View") names the review of a document that names no
    # one (a letterhead's address may stand in another's opening), and is its
    # area's alone; a number is a body's.
    if label and any(c.islower() for c in label):
        if named_subjects(record.case):
            return None
        body = record.case.get("locality")
    if not body or not label:
        return None
    return f"{record.review.get('type') or 'review'}|{label}|{body}"


def different_reviews(a: str, b: str) -> bool:
    """Whether two named reviews (see named_review) are two: one body's reviews of one
    type under two labels ("DHR Case 3" and "DHR Case 4"). Two bodies' names may be
    one body's ("Devon" and "East and Mid Devon" partnerships), so they tell nothing."""
    type_a, label_a, body_a = a.split("|", 2)
    type_b, label_b, body_b = b.split("|", 2)
    # Labels of one form only ("3" and "4", "FLINT 2" and "FLINT 3"): a page's
    # "FINAL 02" beside a review's "2" tells nothing.
    same_form = re.sub(r"\d+", "#", label_a) == re.sub(r"\d+", "#", label_b)
    return type_a == type_b and body_a == body_b and label_a != label_b and same_form


def unnamed(record: Any) -> str:
    """The case key of a document that names no subject: documents naming no subject
    meet only when they name the same review (see named_review); any other stays a
    case of its own."""
    review = named_review(record)
    return f"unnamed {review}" if review else f"unnamed {record.document['sha256'][:12]}"


def unnamed_keys(record: Any) -> list[str]:
    """Where a document that names no one and no review finds its case, with its
    area and review type: the month of the death or harm (a year alone is too
    coarse: a partnership reviews several cases a year), and each private person
    it names (a perpetrator, a family; see people.named_people)."""
    case = record.case
    if named_subjects(case) or named_review(record) or not case.get("locality"):
        return []
    where = f"{slug(case['locality'])}:{record.review.get('type') or 'review'}"
    date = case.get("incident_date") or ""
    return ([f"case-incident:{where}:{date[:7]}"] if len(date) >= 7 else []) + \
        [f"case-person:{where}:{slug(name)}" for name in case.get("people") or []]


def age_key(record: Any) -> str | None:
    """Where a subject of one age in one area's review of one type is found again: a
    document naming them and one giving only their age ("a 17-year-old") meet there."""
    case = record.case
    subject = next((s for s in case.get("subjects") or [] if s.get("age_days")), None)
    # An age told by its decade ("in his 50s") is many people's: no key.
    if not subject or not case.get("locality") or by_decade(subject.get("age_text") or ""):
        return None
    days = subject["age_days"]
    return f"case-age:{slug(case['locality'])}:{record.review.get('type') or 'review'}:{days}"


def alias_keys(key: tuple[str, str, str]) -> list[str]:
    """Where a case is found again by one of its names: the name in its area, and a
    full name in any area (a document may know no area, or not the same one)."""
    place, name, _ = key
    return [f"case-alias:{place}:{name}"] + ([f"case-alias:*:{name}"] if _full_name(name) else [])


def alias_fits(key: tuple[str, str, str], where: str, locality: str | None, year: str | None) -> bool:
    """Whether the case of ``locality`` and incident ``year`` found under the alias
    key ``where`` is ``key``'s: a full name found in any area only when the two
    areas may be one (one unknown, or not an area the gazetteer knows, or one the
    other became); a pseudonym only in a year that agrees (the same pseudonym in
    another year is another case)."""
    from casegraph.loaders.places import may_be_one

    place, name, key_year = key
    if where.startswith("case-alias:*:"):
        other = slug(locality or "unknown")
        if other != place and "unknown" not in (other, place) and not may_be_one(other, place):
            return False
    return _full_name(name) or not (key_year and year and key_year != year)


def _full_name(key: str) -> bool:
    """'khyra-ishaq' is a full name; 'child-d', 'baby-c', 'ms-bb', 'subject-a', 'jo-jo'
    and 'matt' are not: two words or more, of letters, one of three or more, no title."""
    words = key.split("-")
    return (len(words) > 1 and all(w.isalpha() and len(w) > 1 for w in words) and max(map(len, words)) > 2
            and not re.match(r"(?:child|baby|adult|person|subject|young|infant|twin|sibling|mr|mrs|ms|miss|"
                             r"unnamed|unknown)-", key))


_TITLE_WORDS = {"child", "baby", "adult", "person", "mr", "mrs", "ms", "miss", "little", "infant"}


def same_person(a: str, b: str) -> bool:
    """Two pseudonym keys whose name words (titles aside) one within the other:
    'alice' and 'alice-ruggles', 'ms-billingham' and 'tina-billingham'. A bare letter
    or number names no one on its own."""
    if a.startswith(("unnamed", "unknown")) or b.startswith(("unnamed", "unknown")):
        return False
    wa, wb = (set(k.split("-")) - _TITLE_WORDS for k in (a, b))
    if not wa or not wb or min(len(w) for w in wa | wb) < 3:
        return False
    if wa <= wb or wb <= wa:
        return True
    # One full name spelled two ways ("Suzanne Brown", "Suzanne Browne"): the same
    # first name and surnames one added letter apart (one letter changed is as often
    # another surname: "Hall", "Hill").
    xa, xb = a.split("-"), b.split("-")
    return len(xa) == len(xb) == 2 and xa[0] == xb[0] and min(len(xa[1]), len(xb[1])) >= 4 \
        and _one_letter_more(*sorted((xa[1], xb[1]), key=len))


def _one_letter_more(a: str, b: str) -> bool:
    """Whether one letter added to ``a`` makes ``b``."""
    if len(b) != len(a) + 1:
        return False
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return a[i:] == b[i + 1:]


def review_id(case_id: str, review_type: str | None) -> str:
    """'review:<case>' for a case's first review; a second review of another type
    (say a DHR after an SCR) adds its type."""
    base = f"review:{case_id.removeprefix('case:')}"
    return f"{base}:{slug(review_type)}" if review_type else base


_PARTNERSHIP = re.compile(
    r"^(?:the\s+)?(.+?)\s+(?:City\s+)?(?:Local\s+)?(?:Safeguarding\s+(?:Children|Adults?)|"
    r"(?:Children(?:['’]s)?(?:\s+and\s+Adults?)?|Adults?)\s+Safeguarding\s+(?:Partnership|Board))",
    re.I,
)


_BOARD = re.compile(r"^(?:the\s+)?(.+?)\s+(?:Regional\s+)?Safeguarding\s+Board\b", re.I)
# The place after the body: "Safeguarding Board for Northern Ireland".
_BOARD_FOR = re.compile(r"^(?:the\s+)?Safeguarding\s+(?:Children\s+|Adults?\s+)?(?:Board|Partnership)\s+"
                        r"(?:for|of)\s+(?:the\s+)?(.+)$", re.I)


def partnership_place(name: str) -> str | None:
    """'Carlisle and Eden Community Safety Partnership' -> 'Carlisle and Eden': the
    place words of a partnership's or board's name."""
    m = _PARTNERSHIP.match(name.strip()) or _BOARD_FOR.match(name.strip())
    if not m:
        m = re.match(r"^(?:the\s+)?(.+?)\s+Community\s+Safety\s+Partnership", name.strip(), re.I)
    if not m:
        # A board named for neither children nor adults ("Gwent Safeguarding Board"):
        # only a region's or an area's.
        m = _BOARD.match(name.strip())
        if not m or not (is_region(m.group(1)) or area_of(m.group(1))):
            return None
    place = re.sub(r"['’]s$", "", m.group(1).strip())  # "Doncaster's Safeguarding Children Board"
    if not place or re.split(r"\s+and\s+", place, flags=re.I)[0].lower() in {"local", "the", "a", "city", "county"}:
        return None
    return place.title() if place.isupper() else place


def locality_of_partnership(name: str) -> str | None:
    """'Coventry City Local Safeguarding Children Board' -> 'Coventry' (of two places
    joined by "and", the first: the key of the body's node)."""
    place = partnership_place(name)
    if place and " of " in place and (area := area_of(place)):  # "London Borough of Southwark"
        return area
    return (re.split(r"\s+and\s+", place, flags=re.I)[0].strip() or None) if place else None


@lru_cache(maxsize=4096)
def agency_id(locality: str | None, agency_type: str, name: str) -> str:
    """Concrete agency key. A statutory partnership or board is its own body (a Board
    and its successor Partnership stay two nodes, linked by SUCCEEDS); other mentions
    resolve to the one agency of their type in the locality."""
    place = slug(locality or "unknown")
    if agency_type == "safeguarding-partnership":
        return f"agency:{slug(locality_of_partnership(name) or place)}:{partnership_kind(name)}"
    return f"agency:{place}:{agency_type}"


def partnership_kind(name: str) -> str:
    """'LSCB' and 'Coventry Safeguarding Children Board' are both a children's board."""
    low = name.lower()
    upper = name.upper() == name and " " not in name
    if "community safety" in low or (upper and name.endswith("CSP")):
        return "community-safety-partnership"
    audience = "adults" if "adult" in low or (upper and name.endswith("SAB")) else "children"
    board = "board" in low or (upper and name.endswith("B"))
    return f"safeguarding-{audience}-{'board' if board else 'partnership'}"
