"""Where a vocabulary's patterns can match, worked out from the words each
requires (schema/requirements.py): a gate that tells which patterns a text lets
through by one automaton search for those words, and scans that try a pattern
only where a match can start."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from functools import cache
from typing import Any, Generic, TypeVar

from casegraph.schema.requirements import cased_required, leading, required, requirements
from casegraph.schema.vocabulary import Concept

__all__ = ["Gate", "Possible", "WordGroups", "WordSearch", "gate", "may_occur", "scan", "scans_any", "word_search"]

_T = TypeVar("_T")
_K = TypeVar("_K", bound=Hashable)


def _by_id(f: Callable[[re.Pattern[str]], _T]) -> Callable[[re.Pattern[str]], _T]:
    """``functools.cache`` for a function of a pattern run per sentence or document,
    keyed by the pattern's id: hashing a compiled pattern hashes its code, 1-2 us for
    a long one."""
    known: dict[int, tuple[re.Pattern[str], _T]] = {}

    def cached(pattern: re.Pattern[str]) -> _T:
        entry = known.get(id(pattern))
        if entry is None or entry[0] is not pattern:
            entry = known[id(pattern)] = (pattern, f(pattern))
        return entry[1]

    return cached


_Finder = tuple[str, re.Pattern[str]] | None


def scan(pattern: re.Pattern[str], low: str, near: list[int] | None = None,
         first: re.Match[str] | None = None) -> list[tuple[int, int]]:
    """Spans where a ``fast`` pattern matches lowered text, each starting on a word
    boundary as the full pattern requires (not after a letter, digit, _ or -).
    ``near``: where the pattern's required words start in ``low`` (see Gate.places),
    so that a pattern the engine cannot skip ahead for is tried only
    at the few starts from which a match can reach one of them. ``first``: the
    pattern's first search of ``low``, already made."""
    reach = None if near is None else _reach(pattern)
    if reach is not None:
        return _scan_near(pattern, low, near, reach)
    out = []
    pos = 0
    m = first if first is not None else pattern.search(low)
    while m is not None:
        s = m.start()
        if s > 0 and (low[s - 1].isalnum() or low[s - 1] in "_-"):
            pos = s + 1  # inside a word: look again just after
        else:
            out.append((s, m.end()))
            pos = m.end() if m.end() > s else s + 1
        m = pattern.search(low, pos)
    return out


def scans_any(pattern: re.Pattern[str], low: str, m: re.Match[str] | None) -> bool:
    """Whether ``scan(pattern, low)`` finds a span, given the pattern's first search
    of ``low`` (``m``): a match starting a word, looked for no further than that."""
    while m is not None:
        s = m.start()
        if not s or not (low[s - 1].isalnum() or low[s - 1] in "_-"):
            return True
        m = pattern.search(low, s + 1)
    return False


def _scan_near(pattern: re.Pattern[str], low: str, near: list[int], reach: int
               ) -> list[tuple[int, int]]:
    """``scan`` trying the pattern only at word starts at most ``reach`` before a
    required word: every match holds one, so it starts no further back."""
    out = []
    pos = 0
    # Reach 0 (as for most agency patterns): the required words' own starts alone.
    for s in sorted({s for a in near for s in range(max(0, a - reach), a + 1)} if reach else set(near)):
        if s < pos or s > 0 and (low[s - 1].isalnum() or low[s - 1] in "_-"):
            continue
        if (m := pattern.match(low, s)) is not None:
            out.append((s, m.end()))
            pos = m.end() if m.end() > s else s + 1
    return out


@_by_id
def _reach(pattern: re.Pattern[str]) -> int | None:
    """How far before the start of one of its required words a match of ``pattern``
    can start: 0 when every match starts with one of them, else its longest match
    less its shortest required word; None when the pattern starts with a literal
    (which the engine itself skips ahead to), requires no word or has no longest
    match."""
    from re import _parser

    need = required(pattern)
    if not need:
        return None
    tree = _parser.parse(pattern.pattern, pattern.flags)
    if leading(tree.data, _parser) == need:
        return 0
    first = tree.data
    while first and first[0][0] is _parser.SUBPATTERN:
        first = first[0][1][3].data
    widest = tree.getwidth()[1]
    if not first or first[0][0] is _parser.LITERAL or widest >= _parser.MAXREPEAT:
        return None
    return widest - min(map(len, need))


# Pieces of text a word search remembers, and sets of patterns a gate, at most.
_SEEN = 8192
_GATES: dict[tuple[int, ...], tuple[tuple[dict[str, Concept], ...], Gate]] = {}


class Gate:
    """Which patterns of a vocabulary scheme can match a text: those that require
    no word (see required), or one of whose required words occurs in it, and one of
    each further set of rare words they require (see requirements). The words are
    found by one automaton of them (see WordSearch). Gates made ``together`` share
    that search, looking for the words of all their schemes."""

    def __init__(self, concepts: dict[str, Concept], fast: bool = False,
                 together: Iterable[dict[str, Concept]] = ()):
        self.always: dict[str, set[int]] = {}
        needs: dict[str, list[tuple[str, int]]] = {}
        # Every pattern, numbered in vocabulary order: sorting a set of numbers puts
        # them back in that order.
        self._numbered = [(cid, i) for cid, c in concepts.items()
                         for i in range(len(c.fast if fast else c.patterns))]
        # Each further set a pattern requires, numbered; the sets each word meets.
        self._sets: dict[int, frozenset[int]] = {}
        meets: dict[str, set[int]] = {}
        numbered_sets = 0
        for n, (cid, i) in enumerate(self._numbered):
            need, also = requirements((concepts[cid].fast if fast else concepts[cid].patterns)[i])
            if need is None:
                self.always.setdefault(cid, set()).add(i)
                continue
            for w in need:
                needs.setdefault(w, []).append((cid, i))
            if also:
                self._sets[n] = frozenset(range(numbered_sets, numbered_sets + len(also)))
                for k, words in enumerate(also, numbered_sets):
                    for w in words:
                        meets.setdefault(w, set()).add(k)
                numbered_sets += len(also)
        words = set(needs).union(meets, *(_words(other, fast) for other in together))
        # The patterns each word lets through.
        self.by_word = {w: needs.get(w, []) for w in words}
        number = {x: n for n, x in enumerate(self._numbered)}
        self._always = frozenset(number[cid, i] for cid, ii in self.always.items() for i in ii)
        self._word_numbers = {w: frozenset(map(number.get, xs)) for w, xs in self.by_word.items()}
        self._word_sets = {w: frozenset(meets.get(w, ())) for w in words}
        self._search = word_search(frozenset(words))
        self._groups: dict[tuple[str, ...], list[tuple[str, list[int]]]] = {}

    def passing(self, pieces: list[str]) -> list[list[tuple[str, list[int]]]]:
        """For each of lower-cased ``pieces``: (concept id, indexes of
        its patterns worth running) in vocabulary order."""
        out = []
        for words in self._search.found(pieces):
            # Sentences hold the same few runs of words: work out each one's patterns once.
            key = tuple(words)
            grouped = self._groups.get(key)
            if grouped is None:
                if len(self._groups) > _SEEN:
                    self._groups.clear()
                numbers = self._always.union(*map(self._word_numbers.__getitem__, words))
                met = frozenset().union(*map(self._word_sets.__getitem__, words))
                numbers = [n for n in numbers if n not in self._sets or self._sets[n] <= met]
                grouped = self._groups[key] = self._grouped(numbers)
            out.append(grouped)
        return out

    def _grouped(self, numbers: Iterable[int]) -> list[tuple[str, list[int]]]:
        out: list[tuple[str, list[int]]] = []
        for n in sorted(numbers):
            cid, i = self._numbered[n]
            if out and out[-1][0] == cid:
                out[-1][1].append(i)
            else:
                out.append((cid, [i]))
        return out

    def places(self, low: str, hits: list[tuple[int, str]] | None = None) -> dict[tuple[str, int], list[int]]:
        """{(concept id, pattern index): where in ``low`` its required words start},
        for the patterns that require words and can match. ``hits``: (position, word)
        of every place the gate's words (and maybe others) occur, if already found."""
        out: dict[tuple[str, int], list[int]] = {}
        by_word = self.by_word
        for pos, word in self._search.hits(low) if hits is None else hits:
            for x in by_word.get(word, ()):
                out.setdefault(x, []).append(pos)
        return out


def _words(concepts: dict[str, Concept], fast: bool) -> set[str]:
    """The required words of a scheme's patterns."""
    return {w for c in concepts.values() for p in (c.fast if fast else c.patterns)
            for need, also in [requirements(p)] for words in (need or (), *also) for w in words}


class WordSearch:
    """Finds words in lowered text, remembering what it found in each piece: findings
    and risk factors look at much the same sentences. One Aho-Corasick automaton of
    every word (ahocorasick_rs) reports each place each word occurs in one pass."""

    def __init__(self, words: frozenset[str]):
        import ahocorasick_rs

        self.words = sorted(words)
        # A DFA: built once per process in milliseconds, searched about 1.5 times as
        # fast as the default automaton for these few hundred words.
        self.automaton = ahocorasick_rs.AhoCorasick(
            self.words, implementation=ahocorasick_rs.Implementation.DFA) if words else None
        self.seen: dict[str, list[str]] = {}

    def found(self, pieces: list[str]) -> list[list[str]]:
        """The words found in each of ``pieces``."""
        if len(self.seen) > _SEEN:
            self.seen.clear()
        new = [p for p in dict.fromkeys(pieces) if p not in self.seen]
        if new and self.automaton is not None:
            # One search per piece, giving the words themselves: nearly twice as fast as
            # telling the piece of each match of one search of the pieces joined.
            find = self.automaton.find_matches_as_strings
            self.seen.update((p, find(p, overlapping=True)) for p in new)
        elif new:
            self.seen.update((p, []) for p in new)
        return [self.seen[p] for p in pieces]

    def hits(self, low: str) -> list[tuple[int, str]]:
        """(position, word) for every place a word occurs in ``low`` (several words
        may start at one place), in order of position."""
        if self.automaton is None:
            return []
        words = self.words
        found = self.automaton.find_matches_as_indexes(low, overlapping=True)
        return sorted([(start, words[i]) for i, start, _ in found])


class WordGroups(Generic[_K]):
    """Where the words of each of several named groups occur in a text (cue words, the
    first words of patterns looked for together), by one automaton search of them
    all (ahocorasick_rs, built when first used) rather than a look for each word."""

    def __init__(self, groups: Mapping[_K, Iterable[str]]):
        self.groups = {k: tuple(words) for k, words in groups.items()}
        self._built: tuple[Any, list[tuple[_K, ...]]] | None = None

    def places(self, text: str) -> dict[_K, list[int]]:
        """For each group with a word in ``text``, the sorted places its words start
        (words that overlap each count)."""
        if self._built is None:
            import ahocorasick_rs

            words = sorted({w for ws in self.groups.values() for w in ws})
            self._built = (ahocorasick_rs.AhoCorasick(words, implementation=ahocorasick_rs.Implementation.DFA),
                           [tuple(k for k, ws in self.groups.items() if w in ws) for w in words])
        automaton, owners = self._built
        found: dict[_K, set[int]] = {}
        for i, start, _ in automaton.find_matches_as_indexes(text, overlapping=True):
            for k in owners[i]:
                found.setdefault(k, set()).add(start)
        return {k: sorted(v) for k, v in found.items()}


@cache
def word_search(words: frozenset[str]) -> WordSearch:
    """The search for ``words``, made once."""
    return WordSearch(words)


def gate(concepts: dict[str, Concept], fast: bool = False,
         together: tuple[dict[str, Concept], ...] = ()) -> Gate:
    """The gate of one scheme's patterns (its ``fast`` ones if asked), worked out once;
    its word search is shared with the gates of the schemes it is made ``together``
    with (made with the same ``together``)."""
    key = (id(concepts), fast, *map(id, together))
    entry = _GATES.get(key)
    if entry is None or any(a is not b for a, b in zip(entry[0], (concepts, *together), strict=True)):
        if len(_GATES) > 16:
            _GATES.clear()
        entry = ((concepts, *together), Gate(concepts, fast, together))
        _GATES[key] = entry
    return entry[1]


def may_occur(pattern: re.Pattern[str], text: str, low: str) -> bool:
    """Whether ``pattern`` may match ``text`` (lowered: ``low``): one of the words it
    requires occurs there, and one of those its case-sensitive part requires, with
    their case (or it requires none that is known)."""
    need, cased = _occurrence(pattern)
    return (need is None or need[0] in low and need[1].search(low) is not None) and (
        cased is None or cased[0] in text and cased[1].search(text) is not None)


@_by_id
def _occurrence(pattern: re.Pattern[str]) -> tuple[_Finder, _Finder]:
    """may_occur's two sets of words (see _finder)."""
    return _finder(required(pattern)), _finder(cased_required(pattern))


def _finder(words: frozenset[str] | None) -> _Finder:
    """A string every one of ``words`` holds (a quick test that none occurs), and a
    regex of them all: one search for whether one occurs, rather than one per word."""
    if words is None:
        return None
    shortest = min(words, key=len, default="")
    common = next((shortest[a:a + n] for n in range(len(shortest), 0, -1) for a in range(len(shortest) - n + 1)
                   if all(shortest[a:a + n] in w for w in words)), "")
    return common, re.compile("|".join(map(re.escape, sorted(words))) if words else "(?!)")


class Possible:
    """Which of some named ``patterns`` may match a text: those requiring no known
    words, and those one of whose required words (see required) occurs there, found
    by one automaton search of the text folded (see vocabulary.fold). Built when
    first used."""

    def __init__(self, patterns: dict[str, re.Pattern[str]]):
        self.patterns = patterns
        self._search: tuple[Any, list[frozenset[str]], frozenset[str]] | None = None

    def __call__(self, folded: str) -> frozenset[str]:
        """Names of the patterns that may match a text folded as ``folded``."""
        if self._search is None:
            self._search = self._build()
        search, owners, always = self._search
        found = search.find_matches_as_indexes(folded, overlapping=True) if search is not None else ()
        return always.union(*(owners[i] for i, _, _ in found))

    def _build(self) -> tuple[Any, list[frozenset[str]], frozenset[str]]:
        import ahocorasick_rs

        owners: dict[str, set[str]] = {}
        for name, pattern in self.patterns.items():
            for w in required(pattern) or ():
                owners.setdefault(w, set()).add(name)
        always = frozenset(name for name, pattern in self.patterns.items() if required(pattern) is None)
        words = sorted(owners)
        search = ahocorasick_rs.AhoCorasick(words) if words else None
        return search, [frozenset(owners[w]) for w in words], always
