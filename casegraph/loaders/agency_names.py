"""Where an agency mention's name starts and ends: grown leftwards over the
capitalised words, places and possessives that belong to it ("Coventry and
Warwickshire" + "Partnership Trust", "Doncaster's" + "Safeguarding Children
Board", "Vale of" + "Glamorgan Council"), and rightwards over the words its kind
of body ends on and a name an acronym defines."""

from __future__ import annotations

import re

from casegraph.loaders.places import area_of, is_region

__all__ = ["name_span"]

# Titles end a name: "Professor Ann Lee", a person's, stands before an agency's.
_TITLE_WORDS = ("Professor Prof Sir Dame Lord Lady Baroness Miss Detective Inspector Superintendent Sergeant "
                "Judge").split()
# Capitalised words that start sentences or name people's roles, never part of an
# organisation's name when they precede one.
_STOP = set(
    "The A An This That These Those In On At By For From With When While After Before Despite "
    "Following During Both All Some Any Each Her His Their Its Our Mother Father Baby Child Dear "
    "Full Deputy Leader Opposition Councillor Cllr Chairman Chair Spokesperson However But And Or "
    "If It He She They We I Chief Director Head Independent Member Members Report Review Serious "
    "Case Practice Local Democracy Reporting Service Agreed Date Of To Is Was Were Mr Mrs Ms Dr "
    "Then Later Where Which Who Why How Although Nonetheless Overall Since Until Once Further "
    "Every No Not Two Three Four Five Six Seven Eight Nine Ten One Neither Nor Either Only Also Yet".split()
    + _TITLE_WORDS
) - {"Local"}
# ... unless a building or an institution is named after the person ("Lady Margaret
# Hospital", "Sir Robert Peel Community Hospital").
_INSTITUTION = (r"(?:Hospital|Hospice|School|Academy|College|Centre|Center|House|Unit|Clinic|Infirmary|Foundation|"
                r"Institute|Surgery|Practice)\b")
_NAMED_AFTER = re.compile(rf"(?:[A-Z][\w'’-]* ){{1,3}}{_INSTITUTION}")


_JOINED_BEFORE = re.compile(r"([A-Z][a-z][\w'’-]*)[ \t]+(?:and|&)[ \t]+$")
# Words that end an organisation's name: "Police and Children's Services" is two bodies.
_NAME_ENDS = {"police", "gp", "services", "service", "care", "team", "council", "board", "trust",
              "hospital", "hospitals", "midwifery", "health", "partnership", "group", "department",
              "unit", "school", "centre", "authority", "agency", "agencies"}


# On the reversed text, what precedes a position: an optional line break, then
# spaces (not a tab: the readers split a table's cells by tabs), then (an empty
# group when "and" or "&" ends the text before them) the word-characters back to
# the first capital of their run.
_BACK = re.compile(r"\n? +((?=dna|&))?([\w&'’-]*[A-Z])?")


def _extend_left(text: str, rev: str, start: int, floor: int) -> int:
    """Grow a match leftwards over capitalised words: 'West Midlands' + 'Police', and
    over a place joined by 'and': 'Coventry and Warwickshire' + 'Partnership Trust'.
    ``rev``: ``text`` reversed, where one anchored match reads the spaces and the word
    before ``start`` (within 40 characters and not before ``floor``)."""
    n = len(text)
    while True:
        lo = start - 40
        if lo < floor:
            lo = floor
        m = _BACK.match(rev, n - start, n - lo)
        if m is None:  # no space just before (or before a line break there)
            return start
        joined, word = m.groups()
        if joined is not None:
            j = _JOINED_BEFORE.search(text, lo, start)
            if j and j.group(1) not in _STOP and j.group(1).lower() not in _NAME_ENDS and start > floor \
                    and _joins_a_place(text, j.start(1), j.group(1)):
                start = j.start(1)
                continue
        if word is None:  # no capital just before the spaces, or no word
            if (at := _area_with_of(text, start, floor)) == start:
                return start
            start = at  # "Vale of Glamorgan", and a place joined to it by "and"
            continue
        word = word[::-1]
        at = n - m.end(2)
        if word.endswith(("'s", "’s")):
            # An area's or a council's possessive names its body ("Doncaster's
            # Safeguarding Children Board", "Wirral Council's children's services"),
            # as a saint's or founder's names a hospital or school ("St Mary's
            # Hospital"); anyone else's is not part of the name.
            if area_of(word[:-2]) is None and not is_region(word[:-2]) and word[:-2] != "Council" \
                    and not _NAMED_FOR.match(text, start):
                return start
            start = at
            continue
        if (word in _STOP and not (word in _TITLE_WORDS and _NAMED_AFTER.match(text, start))) or len(word) < 2:
            return start
        # Stop at a sentence start (first word on its line or after a full stop) on
        # a stop word; the line is looked at only for those.
        if word.lower() in _LOWER_STOP:
            before = text[text.rfind("\n", 0, at) + 1:at].strip()
            if not before or before.endswith((".", ":", "!", "?", "\"", "“")):
                return start
        start = at
        if start <= floor:
            return start


# "Vale of " before "Glamorgan Council", "Isle of " before "Wight Council".
_OF_BEFORE = re.compile(r"((?:[A-Z][\w'’-]*[ \t]+){1,2})of[ \t]+\Z")
_CAPITALISED = re.compile(r"[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,2}")


def _area_with_of(text: str, start: int, floor: int) -> int:
    """Where a name starting at ``start`` starts when the words before it and "of"
    make an area's name with it ("Vale of Glamorgan Council", "Isle of Wight
    Council", "City of Edinburgh Council"); else ``start``."""
    if not text.startswith("of", start - 3):  # most names have no "of " before them
        return start
    m = _OF_BEFORE.search(text, max(floor, start - 30), start)
    words = _CAPITALISED.match(text, start)
    if m is None or words is None:
        return start
    name, before = words.group(0).split(), m.group(1).split()
    while name and name[-1].lower() in _NAME_ENDS:
        name.pop()
    for k in range(1, len(before) + 1):  # "City of", not "The City of"
        for n in range(len(name), 0, -1):
            if area_of(f"{' '.join(before[-k:])} of {' '.join(name[:n])}") is not None:
                return text.rindex(before[-k], m.start(1), start)
    return start


# Bodies named after someone: "St Mary's Hospital", "Addenbrooke's Hospital".
_NAMED_FOR = re.compile(rf"(?:[A-Z][\w'’-]* ){{0,3}}{_INSTITUTION}")
_LOWER_STOP = {w.lower() for w in _STOP}
# The capitalised word just before a position, across spaces.
_CAPITAL_BEFORE = re.compile(r"\b([A-Z][\w'’-]*) +\Z")


def _joins_a_place(text: str, at: int, word: str) -> bool:
    """Whether ``word`` (at ``at``), joined by "and" to the name after it, is a place
    of that name ("Coventry and Warwickshire Partnership Trust"), not the end of
    someone's name run into it ("Professor Ann Lee and Harwick Police"): a known
    place, or a word no other capitalised word runs into, unless it is a national
    body's name or an acronym ("Ofsted and Harwick Council" are two)."""
    if word in _NATIONAL_BODIES or (word.isupper() and len(word) > 2):
        return False
    if word in _JOINED_WORDS or area_of(word) is not None or is_region(word):
        return True
    before = _CAPITAL_BEFORE.search(text, max(0, at - 40), at)
    return before is None or before.group(1) in _STOP


# Words an organisation's name joins by "and" ("Children and Families Service",
# "Accident and Emergency Department", "Prison and Probation Service").
_JOINED_WORDS = frozenset("Children Adults Adult Families Family Young Health Care Social Crime Education Learning "
                          "Community Safety Safeguarding Accident Prison Housing Mental Wellbeing Support Disability "
                          "Disabilities Drug Drugs Alcohol Substance Fire Ambulance Public Maternity Youth".split())
# Bodies known by one word, never a place an "and" may join to the name after it.
_NATIONAL_BODIES = frozenset("Ofsted Cafcass Estyn Healthwatch Barnardo's Barnardos Interpol Europol Childline "
                             "Refuge Mencap Mind Samaritans Shelter".split())
_WORDS_AFTER = re.compile(r"(?:[ \t]+(?:(?:and|&)[ \t]+)?(?:NHS|[A-Z][a-z][\w'’-]*))+(?=[ \t]*\()")


# The words a body's proper name ends on after its kind: "South West Ambulance" +
# " Services NHS Trust", "Harwick Hospitals" + " NHS Foundation Trust".
_TAIL = re.compile(r"(?:[ \t]+(?:Services?|NHS|Foundation|Trust|FT|Teaching|University))+\b")


def _extend_right(text: str, end: int, ceiling: int) -> int:
    """Grow a proper name rightwards when a defined acronym follows it:
    'University Hospitals' + ' Coventry and Warwickshire NHS Trust (UHCW)'."""
    if text.find("(", end, ceiling) == -1:  # what every match looks ahead to (few blocks hold one)
        return end
    m = _WORDS_AFTER.match(text, end, ceiling)
    if m and not any(w in _STOP for w in re.findall(r"\w+", m.group(0))):
        return m.end()
    return end


def name_span(text: str, rev: str, start: int, end: int, floor: int, ceiling: int) -> tuple[int, int]:
    """The span of the name a vocabulary match ``text[start:end]`` belongs to, within
    ``[floor, ceiling)`` (its block); ``rev``: ``text`` reversed."""
    start = _extend_left(text, rev, start, floor)
    if text[start].isupper():  # a proper name, with the words its kind ends on
        end = _extend_right(text, end, ceiling)
        end = t.end() if (t := _TAIL.match(text, end, ceiling)) else end
    return start, end

