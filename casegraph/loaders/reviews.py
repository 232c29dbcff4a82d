"""What review a text is about: its type (SCR, CSPR, SAR, DHR, CPR, APR or other,
as the gold normalises them) and the label it goes by."""

from __future__ import annotations

import re
from collections import Counter

from casegraph.loaders.people import NOT_NAMES
from casegraph.schema.gates import WordGroups
from casegraph.schema.record import Evidence
from casegraph.schema.vocabulary import after_words, find_all, lower, matches_at

__all__ = ["review_type", "review_label", "about_an_adult"]

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
    ("DHR", r"domestic homicide (?:reviews?|reports?)|domestic abuse related death reviews?", ("domestic ",),
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


# A case that "did not meet the criteria for a SAR", or where "the criteria for a SAR
# were not met", had some other review: the type named there is not the document's.
_CRITERIA = re.compile(r"(?:thresholds?|criteria)(?: \w+){0,3} (?:for|of) (?:an? |the )?(?:full |statutory |formal )?")
_UNMET_BEFORE = re.compile(r"(?:not|never|n['’]t) (?:meet|met|reach|satisfy)\w* (?:the )?(?:\w+ ){0,3}$")
_UNMET_AFTER = re.compile(r" ?(?:\(\w+\) )?(?:was|were|is|are|had|has|have)(?: not|n['’]t)(?: been)? "
                          r"(?:met|reached|satisfied)")
# "CPR" is also resuscitation: "gave CPR", "CPR was started".
_RESUSCITATION = re.compile(r"(?:gave|given|giving|perform\w*|administer\w*|start\w*|began|protracted|prolonged|long|"
                            r"lengthy|emergency|need\w*|requir\w*|"
                            r"attempt\w*|receiv\w*|chest|paramedics?|resuscitat\w*)\W+(?:\w+\W+){0,2}$", re.I)
_SCOTLAND = re.compile(r"\bScot(?:land|tish)\b|\b(?:Child|Adult|Public) Protection Committee", re.I)
_CHILD_PARTNERSHIP = r"(?:Safeguarding Children|Children(?:['’]s| and Adults?) Safeguarding) Partnership"
_BY_CHILD_PARTNERSHIP = re.compile(
    rf"(?:\bby|\bits (?:review|report),?) (?:the )?(?:[A-Z][\w'’-]* (?:and |on |upon )?){{1,5}}{_CHILD_PARTNERSHIP}|"
    rf"{_CHILD_PARTNERSHIP}(?:['’]s (?:review|report)| (?:said|found|published|commissioned|has published))")
# Wales's safeguarding boards, by their regions' names ("CYSUR, the Mid and West Wales
# Safeguarding Children Board").
_WELSH_BOARD = re.compile(r"\b(?:CYSUR|CWMPAS)\b|\b(?:North Wales|Mid and West Wales|South East Wales|West Glamorgan|"
                          r"Western Bay|Cwm Taf(?: Morgannwg)?|Cardiff and (?:the )?Vale(?: of Glamorgan)?|Gwent|"
                          r"Powys|Wales) (?:Regional )?Safeguarding (?:Children|Adults)(?:['’]s?)? Board\b")
_NON_STATUTORY = re.compile(r"\bnon-?statutory (?:[\w-]+ )?(?:review|inquiry)\b", re.I)
# "Unlike a non-statutory review, ...", "whether a non-statutory review would do", "a
# non-statutory review had been held": another review, or one weighed and not held.
_CONTRASTED = re.compile(r"\b(?:unlike|rather than|instead of|not|nor|no|than|whether|if)\s+(?:an?|the)?\s*$", re.I)
_NOT_THIS = re.compile(r"\s+(?:had|would|could|might|should)\b", re.I)
# Where the 2019 English reform did not reach: partnerships there still make SCRs.
_OUTSIDE_ENGLAND = re.compile(r"\b(?:Guernsey|Jersey|Alderney|Isle of Man|Manx|Scotland|Scottish|Wales|Welsh)\b")
# A review or report an expert made in their own name: "Dr Ann Lee's review", "a
# report by care expert Dr Ann Lee".
_EXPERT = re.compile(r"\b(?:Dr|Professor|Prof|Sir|Dame) [A-Z][a-z]+(?: [A-Z][a-z]+)?['’]s (?:review|report|inquiry)\b|"
                     r"\b(?:review|report|inquiry),? by (?:\w+ ){0,2}(?:Dr|Professor|Prof|Sir|Dame) [A-Z]")
_INDEPENDENT = re.compile(r"\b(?:independent|joint|external|internal),? (?:\w+ )?(?:review|report|investigation)\b",
                          re.I)
# One that a board's own review is not: a joint review is also the board's, and an
# agency's internal investigation or "the independent overview report" is told of in it.
_NOT_THE_BOARDS = re.compile(r"\b(?:independent|external),? (?!overview\b)(?:\w+ )?(?:review|report|investigation)\b",
                             re.I)
_INSPECTORATE = re.compile(r"\b(?:[Ii]nspectorate|HIW|SWSI|HMICF?R?S?|Care Quality Commission|CQC|Ofsted)(?:['’]s)? "
                           r"(?:report|review|investigation|inspection)\b")
_NI_BOARD = re.compile(r"\bSafeguarding Board for Northern Ireland\b|\bSBNI\b")
# (a place's "Safety Partnership" is its community safety partnership; a road, fire or
# water safety partnership is not)
_BY_SAFETY_PARTNERSHIP = re.compile(r"\b(?:by|for|from) (?:the )?(?:(?:[A-Z][\w'’-]* (?:and )?){0,4}"
                                    r"(?<!Road )(?<!Fire )(?<!Water )(?<!Rail )(?<!Food )Safety|"
                                    r"Safer(?: [A-Z][\w'’-]*){1,3}) Partnership\b|"
                                    r"\bCommunity Safety Partnership['’]s (?:review|report)\b")
_BY_CHILD_BOARD = re.compile(
    # (not one that, sent a report, "said it would consider it")
    r"\bSafeguarding Children(?:['’]s)? Board(?: \(\w+\))?,? (?:(?:which |that |who )?(?:carried out|conducted|"
    r"commissioned|published|undertook)|said|found|condemned|criticised|concluded)\b|"
    r"\b(?:by|from) (?:the )?(?:[A-Z][\w'’-]* (?:and )?){1,5}Safeguarding Children(?:['’]s)? Board\b|"
    r"\bSafeguarding Children(?:['’]s)? Board['’]s (?:review|report)\b")
# A report a safeguarding adults board made (not one whose recommendations went to it).
_SAB_REPORT = re.compile(r"\bSafeguarding Adults? (?:Board|Partnership)(?:['’]s report| (?:published|commissioned)\b)|"
                         r"\breport (?:of|by|from) the (?:[A-Z][\w'’-]* (?:and )?){1,5}Safeguarding Adults? "
                         r"(?:Board|Partnership)\b")
_YEAR = re.compile(r"\b(?:19[89]\d|20[0-4]\d)\b")


def review_type(text: str, published: str | None) -> tuple[str | None, Evidence | None]:
    """The review type named most, a mention in the title block counting extra (a
    CSPR may cite earlier SCRs many times); loose names ("a case review", "a probe")
    fall back on the body that made it or the statutory regime of its years."""
    # A review its opening calls non-statutory is none of the statutory kinds, whichever
    # it goes on to name (the duty it was held instead of, say).
    if (m := _NON_STATUTORY.search(text, 0, 1500)) and not _CONTRASTED.search(text, max(0, m.start() - 25), m.start()) \
            and not _NOT_THIS.match(text, m.end()):
        return "other", Evidence(m.start(), m.end(), None, m.group(0))
    score: Counter[str] = Counter()
    first: dict[str, re.Match[str]] = {}
    low = lower(text)
    ruled_out = _ruled_out(low)
    starts, present = _TYPE_STARTS.places(low), _ACRONYM_LETTERS.places(text)
    for k, (rtype, words, _, acronym, letters) in enumerate(_TYPE_RES):
        if rtype in ruled_out:
            continue
        for matches in (matches_at(words, low, starts.get(k, [])),
                        after_words(acronym, text) if letters in present else ()):
            for m in matches:
                if letters == "CPR" and m.group(0).startswith("CPR") \
                        and _RESUSCITATION.search(text, max(0, m.start() - 40), m.start()):
                    continue
                score[rtype] += 10 if m.start() < 1500 else 1
                if rtype not in first or m.start() < first[rtype].start():
                    first[rtype] = m
    if score:
        best = max(score, key=lambda t: (score[t], -first[t].start()))
        m = first[best]
        # Before the Care Act 2014 an adult's review was also a "serious case review":
        # by today's names, a safeguarding adults review.
        if best == "SCR" and about_an_adult(text):
            best = "SAR"
        return best, Evidence(m.start(), m.end(), None, text[m.start():m.end()])
    return _unnamed_type(text, published, bool(ruled_out)), None


# Where each type's first words start (in lowered text), and which acronyms' letters
# a text holds: one automaton search each rather than a scan of the text per string.
_TYPE_STARTS = WordGroups({k: starts for k, (_, _, starts, _, _) in enumerate(_TYPE_RES)})
_ACRONYM_LETTERS = WordGroups({letters: (letters,) for *_, letters in _TYPE_RES})


def _ruled_out(low: str) -> set[str]:
    """The types a text says its case did not qualify for."""
    out: set[str] = set()
    upper = None  # made once, on the first mention of criteria: "criteria for" is common
    # Tried where its first words are (found by str.find), not at every position.
    for m in filter(None, (_CRITERIA.match(low, i) for i in find_all(low, ("criteria", "threshold")))):
        unmet_before = _UNMET_BEFORE.search(low, max(0, m.start() - 40), m.start())
        upper = upper or low.upper()
        for rtype, words, _, acronym, _ in _TYPE_RES:
            named = words.match(low, m.end()) or acronym.match(upper, m.end())
            if named and (unmet_before or _UNMET_AFTER.match(low, named.end())):
                out.add(rtype)
    return out


def _unnamed_type(text: str, published: str | None, ruled_out: bool) -> str | None:
    """The type of a review the text names by no statutory name."""
    # A review held instead of a statutory one, a thematic or rapid review, a case
    # study: none of the statutory types.
    if ruled_out or re.search(r"\b(?:thematic|rapid) reviews?\b|\bcase study\b", text, re.I):
        return "other"
    # Scotland's learning reviews succeeded its significant case reviews.
    if re.search(r"\blearning reviews?\b", text, re.I) and _SCOTLAND.search(text):
        return "SAR" if about_an_adult(text) else "SCR"
    # A Welsh board's review or report: since 2013 a child or adult practice review.
    year = int((published or "0")[:4] or 0) or max(map(int, _YEAR.findall(text)), default=0)
    if year >= 2013 and _WELSH_BOARD.search(text) and re.search(r"\b(?:review|report)\b", text, re.I):
        return "APR" if about_an_adult(text) else "CPR"
    # An inspectorate's report, and a review by Northern Ireland's board (a case
    # management review), are none of the types above; a board's review that tells
    # of an inspection is its own.
    if _INSPECTORATE.search(text) and not (_BY_CHILD_BOARD.search(text) or _BY_CHILD_PARTNERSHIP.search(text)
                                           or _SAB_REPORT.search(text)) \
            or (_NI_BOARD.search(text) and re.search(r"\breview\b", text, re.I)):
        return "other"
    # A review or report a safeguarding adults board made (alone or with another
    # body) is a SAR whatever the text calls it, unless an independent one; a report
    # only sent to it is not its own.
    if (re.search(r"\bSafeguarding Adults? (?:Board|Partnership)\b", text, re.I)
            and re.search(r"\breview\b", text, re.I) or _SAB_REPORT.search(text)) and not _NOT_THE_BOARDS.search(text):
        return "SAR"
    # Community safety partnerships commission the reviews of domestic homicides.
    if _BY_SAFETY_PARTNERSHIP.search(text) and re.search(r"\b(?:killed|killing|murder\w*|homicide|stabbed)\b",
                                                         text, re.I):
        return "DHR"
    # Child safeguarding partnerships replaced the boards, and CSPRs the SCRs, in
    # 2019: a review one made (not one whose recommendations went to it) is a CSPR;
    # the boards before them made SCRs (an independent review they commissioned is
    # none).
    if re.search(r"\b(?:review|report)\b", text, re.I) and not about_an_adult(text) \
            and not _OUTSIDE_ENGLAND.search(text):
        if _BY_CHILD_PARTNERSHIP.search(text):
            return "CSPR"
        if _BY_CHILD_BOARD.search(text) and not _NOT_THE_BOARDS.search(text):
            return "SCR"
    # Reviews no statute names: an independent review or report, an inquiry, a
    # commission's, trust's or ombudsman's investigation, one of police conduct (a
    # police investigation is the crime's).
    # A text that speaks only of "the report" gives no type, and takes that of its case.
    if re.search(r"\binquiry\b|\b(?:commission|ombudsman|trust)(?:['’]s)? investigation\b|\bmisconduct investigation|"
                 r"\b(?:IOPC|IPCC|Independent Office for Police Conduct)\b|"
                 r"\binvestigation by the (?:[\w'’-]+ ){0,4}(?:commission|ombudsman|trust)\b", text, re.I) \
            or _INDEPENDENT.search(text) or _EXPERT.search(text):
        return "other"
    if re.search(r"\b(?:case|learning|practice|safeguarding) reviews?\b", text, re.I):
        adult = re.search(r"\b(?:adults? (?:at risk|social care|safeguarding)|safeguarding adults?|care act|"
                          r"care and support|self-neglect|learning disabilit\w+)\b", text, re.I)
        return "SAR" if adult else "CSPR" if year >= 2019 else "SCR"
    return None

# What a review about an adult speaks of, and what one about a child does.
_ADULT_WORDS = re.compile(
    r"safeguarding adults? (?:board|partnership)|adult safeguarding (?:board|committee)|adult protection|"
    r"(?-i:\b[A-Z]{0,3}SABs?\b)|self-neglect|\bhoard(?:ing|er)\b|"
    r"vulnerable (?:adult|man|woman|people)|adults? at risk|care homes?|nursing homes?|\bresidents?\b|"
    r"learning disabilit\w+|older (?:people|person)|\bpensioner|\bdomiciliary|home care (?:service|package|provider)|"
    r"(?<!foster )(?<!day )\bcare (?:provider|agency)", re.I)
_CHILD_WORDS = re.compile(
    r"safeguarding children|\bLSCB|child protection|children['’]s (?:social care|services|board)|\bbaby\b|"
    r"\binfant|\btoddler|\bboy\b|\bgirl\b|\bpupils?\b|\bschool|\bmonths? old|child (?:sexual )?abuse|"
    r"children in care|looked after children", re.I)


def about_an_adult(text: str) -> bool:
    """Whether a text speaks of an adult's safeguarding and never of a child's."""
    head = text[:20000]
    # A child's words come early in a child's review: looked for first.
    return _CHILD_WORDS.search(head) is None and _ADULT_WORDS.search(head) is not None


# A review's own label: "CPR FLINT 2", "DHR Case 4", "SAR 2019-03".
_LABEL = re.compile(r"\b(?:CPR|APR|ECPR|CCPR|DHR|SAR|SCR|CSPR|LCSPR|Case)[ \t]+(?:no\.?[ \t]*)?"
                    r"((?:[A-Z]{2,}[ \t]*)?\d{1,4}(?:[-/]\d{1,3})?)\b")
# A contents line ending on its page number: "Background to this SCR 6".
_CONTENTS_LINE = re.compile(r"\b[a-z]+\b[^\n]*$")


# The setting a review of a home, hospital or nursery goes by: "Serious Case Review
# (Elmside View)", "Elmside View care home", "Harwick Hall".
_SETTING = re.compile(r"\b((?:[A-Z][\w'’-]+ ){1,3}?(?:View|House|Hall|Lodge|Manor|Nursery))\b")


# A street ("Beacon View Road") or an address with its postcode (a letterhead's
# "Elm House, London Road, Bath BA1 6PL"): an office or a home, not a review's setting.
_ADDRESS = re.compile(r"\s+(?:Road|Street|Lane|Avenue|Close|Drive|Way|Crescent|Place|Terrace|Square)\b|"
                      r"[^\n]{0,60}\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")


def review_label(text: str) -> str | None:
    """The label a review goes by, when the text gives one in its opening: a number
    ("CPR FLINT 2", "DHR Case 4") or the setting its title names."""
    for m in _LABEL.finditer(text, 0, 2000):
        line_start = text.rfind("\n", 0, m.start()) + 1
        page_number = m.group(1).isdigit() and text[m.end():m.end() + 1] in ("\n", "") \
            and _CONTENTS_LINE.search(text, line_start, m.start())
        # A year ("SAR 2019") or a page number is no review's label.
        if not page_number and not re.fullmatch(r"(?:19|20)\d\d", m.group(1)):
            return m.group(1)
    for m in _SETTING.finditer(text, 0, 400):
        words = m.group(1).split()
        if not any(w in NOT_NAMES for w in words[:-1]) and words[-2] not in ("Town", "City", "County") \
                and not _ADDRESS.match(text, m.end(), m.end() + 80):
            return m.group(1)
    return None
