"""What a regular expression requires of any text it matches, read from the parsed
pattern (the standard library's own parser): the strings one of which every match
holds, most selective first, and further rare sets it also needs. The gates
(schema/gates.py) look for these words before running a pattern."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

__all__ = ["required", "requirements", "cased_required", "leading", "MAX_WORDS"]

# Strings in a set of them, at most: more say too little to look for.
MAX_WORDS = 64


@cache
def cased_required(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """For a caseless pattern with a part matched case-sensitively ("(?-i:...)"),
    strings with their case one of which any match holds, from that part."""
    from re import _parser

    def part(items) -> frozenset[str] | None:  # noqa: ANN001
        for op, av in items:
            if op is _parser.SUBPATTERN and not av[1]:
                if av[2] & re.IGNORECASE:
                    return _need(av[3], _parser, cased=True)
                if not av[2] and (found := part(av[3])) is not None:
                    return found
        return None

    try:
        return part(_parser.parse(pattern.pattern, pattern.flags).data) if pattern.flags & re.IGNORECASE else None
    except Exception:  # any doubt: no prefilter
        return None


@cache  # each gate asks for the patterns of every scheme it shares a search with
def required(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case ASCII strings at least one of which occurs (case-insensitively) in
    anything ``pattern`` matches, or None when no such set is known. Worked out from
    the parsed pattern: literal runs, small alternations and optional letters."""
    return requirements(pattern)[0]


@cache
def requirements(pattern: re.Pattern[str]) -> tuple[frozenset[str] | None, tuple[frozenset[str], ...]]:
    """(``required(pattern)``, the other sets of strings any match must also hold one
    of that few sentences hold: no common word, none shorter than four letters)."""
    if not pattern.flags & re.IGNORECASE and pattern.pattern != pattern.pattern.lower():
        return None, ()  # the words are lower-cased, which only a caseless match allows
    also: list[frozenset[str]] = []
    try:
        from re import _parser  # the stdlib's own parser (Python 3.11+)

        best = _need(_parser.parse(pattern.pattern, pattern.flags), _parser, also)
    except Exception:  # any doubt: no prefilter, the pattern is always run
        return None, ()
    if best is None:
        return None, ()
    rare = {w for w in also if w != best and _selectivity(w) >= (True, 4, -MAX_WORDS)}
    # A set holding another is met wherever that one is: keep the smaller.
    return best, tuple(sorted((w for w in rare if not any(o < w for o in rare)), key=sorted))


def _finite(items, sre) -> set[str] | None:  # noqa: ANN001 - stdlib parser internals
    """Every string a literal sequence can match, when that is a small set."""
    out = {""}
    for op, av in items:
        strings = _finite_item(op, av, sre)
        if strings is None:
            return None
        out = {a + b for a in out for b in strings}
        if len(out) > MAX_WORDS:
            return None
    return out


def _finite_item(op, av, sre) -> set[str] | None:  # noqa: ANN001
    if op is sre.LITERAL:
        return {chr(av)}
    if op is sre.IN and all(o is sre.LITERAL for o, _ in av):
        return {chr(a) for _, a in av}
    if op is sre.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            strings = _finite(alt, sre)
            if strings is None:
                return None
            out |= strings
        return out if len(out) <= MAX_WORDS else None
    if op is sre.SUBPATTERN and not av[1] and not av[2]:
        return _finite(av[3], sre)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[1] <= 3:
        one = _finite(av[2], sre)
        if one is None:
            return None
        out, level = set(), {""}
        for n in range(av[1] + 1):
            if n >= av[0]:
                out |= level
            level = {a + b for a in level for b in one}
            if len(level) > MAX_WORDS:
                return None
        return out
    return None


def leading(items, sre) -> frozenset[str]:  # noqa: ANN001
    """The strings one of which every match of ``items`` starts with: those of its
    leading literal run, as ``_need`` builds it (empty when there is none)."""
    run = {""}
    for op, av in items:
        strings = _finite_item(op, av, sre)
        joined = None if strings is None else {a + b for a in run for b in strings}
        if joined is None or len(joined) > MAX_WORDS:
            break
        run = joined
    return frozenset(w.lower() for w in run) if "" not in run else frozenset()


def _need(items, sre, also: list[frozenset[str]] | None = None,  # noqa: ANN001
          cased: bool = False) -> frozenset[str] | None:
    """The most selective set of strings one of which any match must contain; every
    other such set met on the way (each a requirement too) is added to ``also``.
    ``cased``: the strings keep their case (items matched case-sensitively)."""
    best: frozenset[str] | None = None
    run = {""}

    def better(a: frozenset[str] | None, b: set[str] | frozenset[str] | None) -> frozenset[str] | None:
        if also is not None and (valid := _better(None, b)) is not None:
            also.append(valid)
        return _better(a, b, cased)

    for op, av in items:
        strings = _finite_item(op, av, sre)
        if strings is not None:
            joined = {a + b for a in run for b in strings}
            if len(joined) <= MAX_WORDS:
                run = joined
                continue
            best, run = better(best, run), set(strings)
            continue
        best, run = better(best, run), {""}
        sub: frozenset[str] | None = None
        if op is sre.SUBPATTERN and not av[1] and not av[2]:
            sub = _need(av[3], sre, also, cased)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            sub = _need(av[2], sre, also, cased)
        elif op is sre.ATOMIC_GROUP:
            sub = _need(av, sre, also, cased)
        elif op is sre.BRANCH:
            # What one alternative requires, a match of another need not hold.
            alts = [_need(alt, sre, cased=cased) for alt in av[1]]
            if all(alts):
                sub = frozenset().union(*alts)  # type: ignore[arg-type]
        best = better(best, sub)
    return better(best, run)


def _plain_word(word: str) -> bool:
    """ASCII, or typographic punctuation (’ “ –): characters whose case-insensitive
    match is themselves alone, so lower-cased text can be searched for them."""
    return all(c.isascii() or unicodedata.category(c)[0] == "P" for c in word)


# Words in most sentences of a review: a requirement that one of them meets lets a
# pattern through nearly everywhere.
_COMMON = frozenset("a an and are as at be been by did do does for from had has have he her his in is it "
                    "its no not of on only or she so that the their them they this to was were which who "
                    "with".split())


def _selectivity(words: frozenset[str]) -> tuple[bool, int, int]:
    """How rarely one of ``words`` occurs, to compare requirements: none of them a
    common word, then the longest shortest string, then the fewest strings."""
    common = any(w.strip(" '’-") in _COMMON for w in words)
    return not common, min(map(len, words)), -len(words)


def _better(a: frozenset[str] | None, b: set[str] | frozenset[str] | None,
            cased: bool = False) -> frozenset[str] | None:
    """The more selective of two requirements (see _selectivity), lower-cased unless
    ``cased``."""
    if not b or "" in b or len(b) > MAX_WORDS or not all(map(_plain_word, b)):
        return a
    b = frozenset(b) if cased else frozenset(w.lower() for w in b)
    if a is None:
        return b
    return b if _selectivity(b) > _selectivity(a) else a
