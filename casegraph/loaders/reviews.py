"""What review a text is about: its type (SCR, CSPR, SAR, DHR, CPR, APR or other,
as the gold normalises them) and the label it goes by."""

from __future__ import annotations

import re
from collections import Counter

from casegraph.loaders.people import NOT_NAMES
from casegraph.schema.record import Evidence
from casegraph.schema.vocabulary import after_words, find_all, lower, matches_at

__all__ = ["review_type", "review_label"]

# Review types: the words reports and news use (any case), with the words their
# matches start with (see matches_at), and acronyms (capitals), with a string all
# their matches contain, so an absent one costs no scan.
_TYPES = (
    ("CSPR", r"local child safeguarding practice reviews?|national child safeguarding practice reviews?|"
             r"child safeguarding practice reviews?|safeguarding practice reviews?",
     ("local child ", "national child ", "child safeguarding ", "safeguarding practice "), r"L?CSPRs?\b", "CSPR"),
    ("SCR", r"serious case reviews?|significant case (?:learning )?reviews?",
     ("serious case review", "significant case "), r"SCRs?\b", "SCR"),
    ("SAR", r"safeguarding adults? reviews?|adult safeguarding reviews?", ("safeguarding adult", "adult safeguarding "),
     r"SARs?\b", "SAR"),
    ("DHR", r"domestic homicide reviews?|domestic abuse related death reviews?", ("domestic ",),
     r"DHRs?\b", "DHR"),
    ("CPR", r"concise child practice reviews?|extended child practice reviews?|child practice reviews?",
     ("concise child ", "extended child ", "child practice "), r"CPRs?\b", "CPR"),
    ("APR", r"concise adult practice reviews?|extended adult practice reviews?|adult practice reviews?",
     ("concise adult ", "extended adult ", "adult practice "), r"APRs?\b", "APR"),
    # Northern Ireland's case management reviews and the Isle of Man's serious case
    # management reviews fit none of the above.
    ("other", r"(?:serious )?case management reviews?", ("case management", "serious case management"),
     r"S?CMRs?\b", "CMR"),
)
# Words are matched on lowered text where their first words occur, acronyms on the
# text as written after a word boundary (see after_words).
_TYPE_RES = [(t, re.compile(words), starts, re.compile(acronym), letters)
             for t, words, starts, acronym, letters in _TYPES]


def review_type(text: str, published: str | None) -> tuple[str | None, Evidence | None]:
    """The review type named most, a mention in the title block counting extra (a
    CSPR may cite earlier SCRs many times); loose names ("a case review", "a probe")
    fall back on the statutory regime of the publication year."""
    score: Counter[str] = Counter()
    first: dict[str, re.Match[str]] = {}
    low = lower(text)
    for rtype, words, starts, acronym, letters in _TYPE_RES:
        for matches in (matches_at(words, low, find_all(low, starts)),
                        after_words(acronym, text) if letters in text else ()):
            for m in matches:
                score[rtype] += 10 if m.start() < 1500 else 1
                if rtype not in first or m.start() < first[rtype].start():
                    first[rtype] = m
    if score:
        best = max(score, key=lambda t: (score[t], -first[t].start()))
        m = first[best]
        # Before the Care Act 2014 an adult's review was also a "serious case review":
        # by today's names, a safeguarding adults review.
        if best == "SCR" and _about_an_adult(text):
            best = "SAR"
        return best, Evidence(m.start(), m.end(), None, text[m.start():m.end()])
    # A review a safeguarding adults board made is a SAR whatever the text calls it.
    if re.search(r"\bSafeguarding Adults? (?:Board|Partnership)\b", text, re.I) \
            and re.search(r"\breview\b", text, re.I):
        return "SAR", None
    if re.search(r"\b(?:case|learning|practice|safeguarding) reviews?\b", text, re.I):
        year = int((published or "0")[:4] or 0)
        adult = re.search(r"\b(?:adults? (?:at risk|social care|safeguarding)|safeguarding adults?|care act|"
                          r"care and support|self-neglect|learning disabilit\w+)\b", text, re.I)
        return ("SAR" if adult else "CSPR" if year >= 2019 else "SCR"), None
    # Reviews no statute names: an independent review or report, an inquiry. A text
    # that speaks only of "the report" gives no type, and takes that of its case.
    if re.search(r"\binquiry\b|\b(?:independent|joint|external) (?:review|report|investigation)", text, re.I):
        return "other", None
    return None, None

# What a review about an adult speaks of, and what one about a child does.
_ADULT_WORDS = re.compile(
    r"safeguarding adults? (?:board|partnership)|adult safeguarding (?:board|committee)|\bSABs?\b|"
    r"vulnerable (?:adult|man|woman|people)|adults? at risk|care homes?|nursing homes?|\bresidents?\b|"
    r"learning disabilit\w+|older (?:people|person)|\bpensioner", re.I)
_CHILD_WORDS = re.compile(
    r"safeguarding children|\bLSCB|child protection|children['’]s (?:social care|services|board)|\bbaby\b|"
    r"\binfant|\btoddler|\bboy\b|\bgirl\b|\bpupils?\b|\bschool|\bmonths? old|child (?:sexual )?abuse|"
    r"children in care|looked after children", re.I)


def _about_an_adult(text: str) -> bool:
    """Whether a text speaks of an adult's safeguarding and never of a child's."""
    head = text[:20000]
    # A child's words come early in a child's review: looked for first.
    return _CHILD_WORDS.search(head) is None and _ADULT_WORDS.search(head) is not None


# A review's own label: "CPR FLINT 2", "DHR Case 4", "SAR 2019-03".
_LABEL = re.compile(r"\b(?:CPR|APR|ECPR|CCPR|DHR|SAR|SCR|CSPR|LCSPR|Case)\s+(?:no\.?\s*)?"
                    r"((?:[A-Z]{2,}\s*)?\d{1,4}(?:[-/]\d{1,3})?)\b")


# The setting a review of a home, hospital or nursery goes by: "Serious Case Review
# (Elmside View)", "Elmside View care home", "Harwick Hall".
_SETTING = re.compile(r"\b((?:[A-Z][\w'’-]+ ){1,3}?(?:View|House|Hall|Lodge|Manor|Nursery))\b")


def review_label(text: str) -> str | None:
    """The label a review goes by, when the text gives one in its opening: a number
    ("CPR FLINT 2", "DHR Case 4") or the setting its title names."""
    m = _LABEL.search(text, 0, 2000)
    if m:
        return m.group(1)
    for m in _SETTING.finditer(text, 0, 400):
        words = m.group(1).split()
        if not any(w in NOT_NAMES for w in words[:-1]) and words[-2] not in ("Town", "City", "County"):
            return m.group(1)
    return None
