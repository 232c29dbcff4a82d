"""Ages: the age a review gives its subject (the first given in a sentence about
them or their death or harm) and ages as days, so that "7 months" and "seven
months" compare equal."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from casegraph.loaders.people import OTHER_BEFORE, TITLES
from casegraph.loaders.structure import Layout
from casegraph.schema.record import Evidence
from casegraph.schema.vocabulary import lower

__all__ = ["subject_age", "age_in_days", "by_decade", "NUMBER_WORDS", "NUM", "DECADES", "number"]

NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
# Longest first: "fourteen", not its "four".
NUM = r"(?:\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
DECADES = {w: 10 * i for i, w in enumerate(
    "twenties thirties forties fifties sixties seventies eighties nineties".split(), 2)}
_DECADE = r"(?:[1-9]0s|" + "|".join(DECADES) + r")"


def number(word: str) -> int | None:
    """A number written in digits or as a word up to twenty; None for any other word."""
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


# "two-and-a-half years old": the whole number counts.
_HALF = r"-and-a-half| and a half"
_HALVES = ("-and-a-half", " and a half")
_AGE = re.compile(
    rf"(?P<pre>less than |under |nearly |almost |just )?(?P<n>{NUM})(?:{_HALF})?"
    rf"[- ](?P<unit>day|week|month|year)s?[- ]old"
    rf"|(?<![a-z])(?:aged|age of|died age|died aged|age)\s+(?:just |only )?(?P<pre2>less than |under |nearly |almost )?"
    rf"(?P<n2>{NUM})(?:\s+(?P<unit2>day|week|month|year)s?)?"
    rf"|(?P<pre3>less than |under |nearly |almost )?(?P<n3>{NUM})(?:{_HALF})?\s+(?P<unit3>day|week|month|year)s?"
    rf"\s+(?:old|of\s+age)"
    rf"|(?<=[a-z]),\s+(?:who (?:was|is)\s+)?(?P<n4>{NUM}),(?=\s+[a-z])"
    # "in his 50s", "in her late seventies", "mid-twenties": an age by its decade (not
    # "the mid-80s", an era).
    rf"|in (?:his|her|their) (?P<decade>(?:(?:early|mid|late)[- ])?{_DECADE})\b"
    # An era follows a word that dates ("the", "in", "and" of "the 1980s and early 90s").
    rf"|(?<!the )(?<!in )(?<!and )(?<!or )(?<!to )(?<!since )(?<!during )(?<!until )"
    rf"(?P<decade2>(?:early|mid|late)[- ]{_DECADE})\b",
)  # matched on lowered text: without IGNORECASE the engine runs several times faster
# _AGE starts with optional groups, so its own scan tries every position. Every match
# starts at one of a few places found from cheap anchors: a number (with its qualifier)
# ending just before the space or hyphen ahead of a unit word, an "age" word, or a comma.
_UNITS = ("day", "week", "month", "year")  # each after a space or hyphen
_DECADE_START = re.compile(r"in (?:his|her|their) |(?:early|mid|late)[- ]")
_AGE_WORD = re.compile(r"(?<![a-z])age(?=d?\s)")  # not "page 1"
_AGE_COMMA = re.compile(rf",(?=\s+(?:who (?:was|is)\s+)?{NUM},)")
_NUM_ENDING = re.compile(rf"(?:less than |under |nearly |almost |just )?{NUM}\Z")
_NUMBER_ENDS = tuple(NUMBER_WORDS)  # what a _NUM_ENDING match ends with, digits aside
_NO_ONE = re.compile(r"\s+(?:or|and) (?:over|older|above|under|younger)\b")
_NO_ONES = re.compile(r"\b(?:article|page|post|story) (?:is|was) (?:more than |over )?$", re.I)
_RELATIVE_AFTER = re.compile(r"\s+(?:old\s+)?(?:mother|father|mum|dad|step\w+|partner|boyfriend|girlfriend|"
                             r"husband|wife|sister|brother|sibling|half-\w+|grand\w+|uncle|aunt)\b", re.I)
# A relative or another party a few words before an age ("Kai's father was a man
# in his 40s").
_KIN = re.compile(r"\b(?:mother|father|mum|dad|step\w+|partner|boyfriend|girlfriend|husband|wife|sister|brother|"
                  r"siblings?|grand\w+|uncle|aunt|cousin|parents|perpetrator|killer|abuser)\b", re.I)
_WHOSE = re.compile(r"\bwhose\s+$", re.I)
_CHILD_AFTER = re.compile(r"\s+(?:daughter|son|baby|child|boy|girl|toddler)\b", re.I)
_DEATH = re.compile(r"\b(?:died|dies|death|dead|killed|fatal|deceased|passed away|harm|injur\w+|fracture)\b", re.I)


def _age_starts(low: str) -> list[int]:
    """Every position where ``_AGE`` could match ``low``, sorted (a superset)."""
    starts = {m.start() for m in _AGE_COMMA.finditer(low)}
    for end in ("0s", "ties"):  # a decade's last letters, and what may start before them
        i = low.find(end)
        while i != -1:
            starts.update(m.start() for m in _DECADE_START.finditer(low, max(0, i - 24), i))
            i = low.find(end, i + 1)
    for m in _AGE_WORD.finditer(low):
        starts.update((m.start(), m.start() - 5))  # "age", "died age"
    for unit in _UNITS:
        i = low.find(unit, 1)
        while i != -1:
            u, i = i - 1, low.find(unit, i + 1)
            if not (low[u] == "-" or low[u].isspace()):
                continue
            # The number ends at the one space or hyphen before the unit, or where the
            # run of spaces before it starts.
            end = u
            while end > 0 and low[end - 1].isspace():
                end -= 1
            ends = {u, end}
            # A half between the number and the unit: the number ends before it.
            ends.update(e - len(h) for e in (u, end) for h in _HALVES if low.endswith(h, 0, e))
            for e in ends:
                # Most units follow no number ("the following day"): nothing can end here.
                if not (low[e - 1:e].isdigit() or low.endswith(_NUMBER_ENDS, 0, e)):
                    continue
                pos = max(0, e - 19)  # "less than seventeen": the longest number with its qualifier
                while (n := _NUM_ENDING.search(low, pos, e)) is not None:
                    starts.add(n.start())
                    pos = n.start() + 1
    return sorted(s for s in starts if s >= 0)


# Most subjects' ages are given in a report's first pages: looked for a window at a time.
_WINDOW = 8192
_SPACES = re.compile(r"\s*")


def _ages(low: str) -> Iterator[re.Match[str]]:
    """``_AGE.finditer(low)``, trying the regex only where a match can start: worked
    out a window at a time, so that a caller who has what it needs from a report's
    first pages stops before the rest is looked at."""
    pos = 0
    for a in range(0, len(low), _WINDOW):
        b = min(len(low), a + _WINDOW)
        if low[a:b].isspace():
            continue  # no age starts with a space
        # Room for what a start in [a, b) is found from: its qualifier and number
        # before, spaces (a run taken whole) and the unit word after.
        lo, hi = max(0, a - 88), min(len(low), b + 64)
        if low[hi - 1].isspace():
            hi = _SPACES.match(low, hi).end()
        hi = min(len(low), hi + 24)
        for start in _age_starts(low[lo:hi]):
            start += lo
            if a <= start < b and start >= pos and (m := _AGE.match(low, start)) is not None:
                yield m
                pos = m.end()


def subject_age(layout: Layout, pseudonym: str | None) -> tuple[str | None, Evidence | None]:
    """The first age given in a sentence about the subject or their death or harm,
    else the first age given (one scan of the lowered text, stopped there; each
    match placed in its sentence by bisection)."""
    text = layout.text
    sentences = layout.sentences
    starts = [s.start for s in sentences]
    first: tuple[str, Evidence] | tuple[None, None] = (None, None)
    seen: set[int] = set()
    # The subject as named in full or by any word of the name ("Lily" of "Lily Marsh").
    words = [w for w in (pseudonym or "").split() if len(w) > 2 and w not in TITLES] or \
        ([pseudonym] if pseudonym else [])
    name = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b") if words else None
    # The subject named as such, not as whose relative someone is ("Kai's father").
    own = re.compile(name.pattern + r"(?!['’]s\b)") if name else None
    shared = _surname_shared(text, pseudonym)
    for m in _ages(lower(text)):
        i = bisect_right(starts, m.start()) - 1
        if i < 0 or i in seen or m.end() > sentences[i].end:
            continue
        s = sentences[i]
        if s.block.section in ("appendices", "contents"):
            continue
        after = text[m.end():min(m.end() + 12, s.end)].lower()
        if "pregnan" in after or "period" in after:
            continue
        # "Davey Everson, 23, is serving": an age between commas is the age of the name
        # before it, the subject's only when that name starts as the subject's does (a
        # relative may share a surname: "Rachel Fee, 30, had"); else the sentence's own
        # age may follow ("Tom Fee, 24, had harmed one-year-old Lily Fee").
        if m.group("n4") and not _subject_before(text, s.start, m.start(), pseudonym, shared):
            continue
        seen.add(i)  # the first age of a sentence speaks for it
        n = m.group("n") or m.group("n2") or m.group("n3") or m.group("n4")
        unit = m.group("unit") or m.group("unit2") or m.group("unit3") or "year"
        pre = (m.group("pre") or m.group("pre2") or m.group("pre3") or "").strip()
        if pre == "just":
            pre = ""
        half = " and a half" if "half" in m.group(0) else ""
        decade = m.group("decade") or m.group("decade2")
        value = decade or f"{pre + ' ' if pre else ''}{n}{half} {unit}{'s' if number(n) != 1 or half else ''}"
        chunk = text[s.start:s.end]
        # "her 46-year-old mother", "his father, aged 31": a relative's age; "aged 16
        # or over", "more than 1 month old": no one's.
        near = max(s.start, m.start() - 40)
        other = OTHER_BEFORE.search(text, near, m.start()) or (decade and _KIN.search(text, near, m.start()))
        # "a mother whose two-year-old daughter died": the parent's child, the subject;
        # "Ann, whose 40-year-old son killed her": the subject's child, not the subject.
        if (whose := _WHOSE.search(text, near, m.start())) and _CHILD_AFTER.match(text, m.end()):
            if own and re.search(own.pattern + r",?\s+\Z", text[near:whose.start()]):
                seen.discard(i)  # the sentence's next age may be the subject's
                continue
            other = None
        if _RELATIVE_AFTER.match(text, m.end()) or _NO_ONE.match(text, m.end()) \
                or (other and not (own and own.search(text, near, m.start()))) \
                or _NO_ONES.search(text, max(s.start, m.start() - 30), m.start()):
            continue
        ev = Evidence(m.start(), m.end(), s.block.number, text[m.start():m.end()])
        if _DEATH.search(chunk) or (name and name.search(chunk)):
            return value, ev
        if first[0] is None:
            first = (value, ev)
    return first


# The capitalised words that end a stretch of text: a name just before a comma.
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w'’-]*\.?[ \n]+)*[A-Z][\w'’-]*\Z")


# A relative's sex as the word before their name gives it: "her husband Christopher Parry".
_HIS = re.compile(r"\b(?:husband|father|step-?father|son|brother|boyfriend|uncle|grandfather|nephew)\W*\Z", re.I)
_HERS = re.compile(r"\b(?:wife|mother|step-?mother|daughter|sister|girlfriend|aunt|grandmother|niece)\W*\Z", re.I)


def _surname_shared(text: str, pseudonym: str | None) -> set[str] | None:
    """The titles of whoever else ``text`` gives the last word of ``pseudonym`` to
    ("Dean Ward" beside the subject Kai Ward: then that word alone names no one), as
    a word before the name tells their sex ("her husband": "Mr"); None if no one."""
    words = [w for w in (pseudonym or "").split() if w.rstrip(".") not in TITLES]
    if len(words) < 2:
        return None
    titles: set[str] | None = None
    for m in re.finditer(rf"\b{re.escape(words[-1])}\b", text):
        before = _NAME_BEFORE.search(text, max(0, m.start() - 40), max(0, m.start() - 1))
        if before and text[before.end():m.start()] == " " and before.group(0).split()[-1] not in (*TITLES, words[0]):
            titles = titles or set()
            lead = text[max(0, before.start() - 30):before.start()]
            titles |= {"Mr"} if _HIS.search(lead) else {"Mrs", "Ms", "Miss"} if _HERS.search(lead) else set()
    return titles


def _subject_before(text: str, start: int, end: int, pseudonym: str | None, shared: set[str] | None = None) -> bool:
    """Whether the name ending ``text[start:end]`` is the subject's: its first word
    past any title is the first of ``pseudonym``'s, or it is the last of them alone,
    as news names someone again ("Parry", "Mrs Parry" for Caroline Parry), a bare
    surname only when the text gives it to no one else, a titled one unless the
    other's title (``shared``: see _surname_shared)."""
    m = _NAME_BEFORE.search(text, max(start, end - 60), end)
    if not (m and pseudonym):
        return False
    said, words = m.group(0).split(), pseudonym.split()
    plain = [w for w in said if w.rstrip(".") not in TITLES]
    own = [w for w in words if w.rstrip(".") not in TITLES]
    # A title sets the one meant apart ("Mrs Parry" beside Christopher Parry); a
    # surname alone does not.
    alone = shared is None or len(said) > 1 and said[0].rstrip(".") not in shared
    return bool(plain and own) and (plain[0] == own[0] or len(plain) == 1 < len(own) and plain[0] == own[-1]
                                    and alone)


_DECADE_AGE = re.compile(rf"(?<!\d){_DECADE}\b", re.I)


def by_decade(age_text: str) -> re.Match[str] | None:
    """The decade an age is told by ("in his 50s", "late seventies"), if it is."""
    return _DECADE_AGE.search(age_text)


def age_in_days(age_text: str | None) -> int | None:
    """An age text ("7 months", "seven months", "4") in days, so that ages compare."""
    if not age_text:
        return None
    # "in her late seventies", "50s": the decade's first year.
    if decade := by_decade(age_text):
        word = decade.group(0).lower()
        return round((DECADES.get(word) or int(word[:-1])) * 365.25)
    m = re.search(rf"\b({NUM})({_HALF})?(?:[\s-]+(day|week|month|year))?", age_text, re.I)
    if not m:
        return None
    n = number(m.group(1))
    if n is None:
        return None
    # A bare number is an age in years ("Mr T, 58").
    per = {"day": 1, "week": 7, "month": 30.44, "year": 365.25}[(m.group(3) or "year").lower()]
    return round((n + (0.5 if m.group(2) else 0)) * per)
