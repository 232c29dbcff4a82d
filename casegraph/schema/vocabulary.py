"""The controlled vocabulary (agency types, themes, risk factors) loaded from
vocabulary.yaml, with compiled match patterns for the extractors, a gate that
tells which patterns can match a text from the words they require, and helpers
that let the extractors' regexes run on lowered text and skip ahead."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import accumulate
from typing import Any

__all__ = ["Concept", "Gate", "after_words", "fold", "gate", "load_vocabulary", "lower", "scan",
           "SCHEMES"]

SCHEMES = ("agency_types", "themes", "risk_factors")


@dataclass(frozen=True)
class Concept:
    """One SKOS concept: fixed id, labels, definition, broader ids and match patterns."""

    id: str
    label: str
    definition: str = ""
    alt_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = field(default=(), repr=False)
    exclusions: tuple[re.Pattern[str], ...] = field(default=(), repr=False)
    # The same patterns for lowered text (see ``scan``), index for index.
    fast: tuple[re.Pattern[str], ...] = field(default=(), repr=False)


def _compile(pattern: str) -> re.Pattern[str]:
    # Word boundaries only where the pattern starts or ends on a word character,
    # so "A&E" and "(?:...)" both work.
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])", re.IGNORECASE)


def _compile_fast(pattern: str) -> re.Pattern[str]:
    # Lower-case literals (not escapes such as \W) and no leading look-behind: the
    # regex engine can then jump straight to a literal prefix, many times faster
    # than trying a case-insensitive look-behind at every position.
    lowered = re.sub(r"(?<!\\)[A-Z]", lambda m: m.group(0).lower(), pattern)
    return re.compile(rf"(?:{lowered})(?![\w])")


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def lower(text: str) -> str:
    """``text`` lower-cased, character for character, so positions stay the same."""
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


# The non-ASCII letters that re.IGNORECASE matches to ASCII ones (İ ı ſ K).
_FOLDS = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
_FOLDABLE = re.compile("[\u0130\u0131\u017f\u212a]")


def fold(text: str) -> str:
    """``lower(text)`` with İ ı ſ K made ASCII: a lower-case ASCII pattern matches it
    as the same pattern with IGNORECASE matches ``text`` (lowering keeps every
    character's class for \\w, \\d and \\s), and positions stay the same."""
    low = lower(text)
    return low.translate(_FOLDS) if _FOLDABLE.search(low) else low


def after_words(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``finditer`` of ``\\b`` + ``pattern``, for a pattern whose matches start with a
    word character: the boundary is checked here, as in the regex it would stop the
    engine skipping ahead to the pattern's first characters."""
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        s = m.start()
        if s > 0 and (text[s - 1].isalnum() or text[s - 1] == "_"):
            pos = s + 1  # inside a word: look again just after
            continue
        yield m
        pos = m.end() if m.end() > s else s + 1


def scan(pattern: re.Pattern[str], low: str, near: list[int] | None = None
         ) -> list[tuple[int, int]]:
    """Spans where a ``fast`` pattern matches lowered text, each starting on a word
    boundary as the full pattern requires (not after a letter, digit, _ or -).
    ``near``: where the pattern's required words start in ``low`` (see Gate.places),
    so that a pattern the engine cannot skip ahead for is tried only
    at the few starts from which a match can reach one of them."""
    reach = None if near is None else _reach(pattern)
    if reach is not None:
        return _scan_near(pattern, low, near, reach)
    out = []
    pos = 0
    while (m := pattern.search(low, pos)) is not None:
        s = m.start()
        if s > 0 and (low[s - 1].isalnum() or low[s - 1] in "_-"):
            pos = s + 1  # inside a word: look again just after
            continue
        out.append((s, m.end()))
        pos = m.end() if m.end() > s else s + 1
    return out


def _scan_near(pattern: re.Pattern[str], low: str, near: list[int], reach: int
               ) -> list[tuple[int, int]]:
    """``scan`` trying the pattern only at word starts at most ``reach`` before a
    required word: every match holds one, so it starts no further back."""
    out = []
    pos = 0
    for s in sorted({s for a in near for s in range(max(0, a - reach), a + 1)}):
        if s < pos or s > 0 and (low[s - 1].isalnum() or low[s - 1] in "_-"):
            continue
        if (m := pattern.match(low, s)) is not None:
            out.append((s, m.end()))
            pos = m.end() if m.end() > s else s + 1
    return out


@cache
def _reach(pattern: re.Pattern[str]) -> int | None:
    """How far before the start of one of its required words a match of ``pattern``
    can start (its longest match less its shortest required word); None when the
    pattern starts with a literal (which the engine itself skips ahead to), requires
    no word or has no longest match."""
    from re import _parser

    need = _required(pattern)
    if not need:
        return None
    tree = _parser.parse(pattern.pattern, pattern.flags)
    first = tree.data
    while first and first[0][0] is _parser.SUBPATTERN:
        first = first[0][1][3].data
    widest = tree.getwidth()[1]
    if not first or first[0][0] is _parser.LITERAL or widest >= _parser.MAXREPEAT:
        return None
    return widest - min(map(len, need))


@cache
def load_vocabulary() -> dict[str, dict[str, Concept]]:
    """{scheme: {id: Concept}} for the three schemes, read once per process."""
    import yaml

    text = resources.files("casegraph.schema").joinpath("vocabulary.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    out: dict[str, dict[str, Concept]] = {}
    for scheme in SCHEMES:
        out[scheme] = {
            cid: Concept(
                id=cid,
                label=spec["label"],
                definition=spec.get("definition", ""),
                alt_labels=tuple(spec.get("alt", [])),
                broader=tuple(spec.get("broader", [])),
                patterns=tuple(_compile(p) for p in spec.get("patterns", [])),
                exclusions=tuple(_compile(p) for p in spec.get("not", [])),
                fast=tuple(_compile_fast(p) for p in spec.get("patterns", [])),
            )
            for cid, spec in data[scheme].items()
        }
    return out


_MAX_WORDS = 64
_GATES: dict[tuple[int, bool], tuple[dict[str, Concept], Gate]] = {}


class Gate:
    """Which patterns of a vocabulary scheme can match a text: those that require
    no word (see _required), or one of whose required words occurs in it. All the
    words are found in one regex pass, a trie of them giving the longest word at
    each position (the others there are its prefixes)."""

    def __init__(self, concepts: dict[str, Concept], fast: bool = False):
        self.always: dict[str, set[int]] = {}
        needs: dict[str, list[tuple[str, int]]] = {}
        for cid, c in concepts.items():
            for i, p in enumerate(c.fast if fast else c.patterns):
                need = _required(p)
                if need is None:
                    self.always.setdefault(cid, set()).add(i)
                    continue
                for w in need:
                    needs.setdefault(w, []).append((cid, i))
        # The patterns each word lets through, with those of the words it starts with.
        self.by_word = {w: [x for j in range(1, len(w) + 1) for x in needs.get(w[:j], ())]
                        for w in needs}
        self.words = re.compile(_trie(needs)) if needs else None

    def passing(self, low: str, pieces: list[str]) -> list[dict[str, set[int]]]:
        """{concept id: indexes of its patterns worth running} for each of ``pieces``,
        whose lower-cased text, joined by one character each, is ``low``."""
        out = [{cid: set(i) for cid, i in self.always.items()} for _ in pieces]
        starts = list(accumulate((len(p) + 1 for p in pieces[:-1]), initial=0))
        for pos, word in self._hits(low):
            found = out[bisect_right(starts, pos) - 1]
            for cid, i in self.by_word[word]:
                found.setdefault(cid, set()).add(i)
        return out

    def places(self, low: str) -> dict[tuple[str, int], list[int]]:
        """{(concept id, pattern index): where in ``low`` its required words start},
        for the patterns that require words and can match."""
        out: dict[tuple[str, int], list[int]] = {}
        for pos, word in self._hits(low):
            for x in self.by_word[word]:
                out.setdefault(x, []).append(pos)
        return out

    def _hits(self, low: str) -> Iterator[tuple[int, str]]:
        """(position, longest word there) for every place a word starts in ``low``."""
        if self.words is None:
            return
        pos = 0
        search = self.words.search
        while (m := search(low, pos)) is not None:
            pos = m.start()
            yield pos, m.group()
            pos += 1


def _trie(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, the longest where several start at one place."""
    root: dict[str, Any] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def alternatives(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + alternatives(sub) for ch, sub in node.items() if ch]
        if not alts:
            return ""
        group = "(?:" + "|".join(alts) + ")"
        # Optional and greedy: a longer word is tried before the one ending here.
        return group + "?" if "" in node else group

    return alternatives(root)


def gate(concepts: dict[str, Concept], fast: bool = False) -> Gate:
    """The gate of one scheme's patterns (its ``fast`` ones if asked), worked out once."""
    entry = _GATES.get((id(concepts), fast))
    if entry is None or entry[0] is not concepts:
        if len(_GATES) > 16:
            _GATES.clear()
        entry = (concepts, Gate(concepts, fast))
        _GATES[id(concepts), fast] = entry
    return entry[1]


def _required(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case ASCII strings at least one of which occurs (case-insensitively) in
    anything ``pattern`` matches, or None when no such set is known. Worked out from
    the parsed pattern: literal runs, small alternations and optional letters."""
    if not pattern.flags & re.IGNORECASE and pattern.pattern != pattern.pattern.lower():
        return None  # the words are lower-cased, which only a caseless match allows
    try:
        from re import _parser  # the stdlib's own parser (Python 3.11+)

        return _need(_parser.parse(pattern.pattern, pattern.flags), _parser)
    except Exception:  # any doubt: no prefilter, the pattern is always run
        return None


def _finite(items, sre) -> set[str] | None:  # noqa: ANN001 - stdlib parser internals
    """Every string a literal sequence can match, when that is a small set."""
    out = {""}
    for op, av in items:
        strings = _finite_item(op, av, sre)
        if strings is None:
            return None
        out = {a + b for a in out for b in strings}
        if len(out) > _MAX_WORDS:
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
        return out if len(out) <= _MAX_WORDS else None
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
            if len(level) > _MAX_WORDS:
                return None
        return out
    return None


def _need(items, sre) -> frozenset[str] | None:  # noqa: ANN001
    """The most selective set of strings one of which any match must contain."""
    best: frozenset[str] | None = None
    run = {""}
    for op, av in items:
        strings = _finite_item(op, av, sre)
        if strings is not None:
            joined = {a + b for a in run for b in strings}
            if len(joined) <= _MAX_WORDS:
                run = joined
                continue
            best, run = _better(best, run), set(strings)
            continue
        best, run = _better(best, run), {""}
        sub: frozenset[str] | None = None
        if op is sre.SUBPATTERN and not av[1] and not av[2]:
            sub = _need(av[3], sre)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            sub = _need(av[2], sre)
        elif op is sre.ATOMIC_GROUP:
            sub = _need(av, sre)
        elif op is sre.BRANCH:
            alts = [_need(alt, sre) for alt in av[1]]
            if all(alts):
                sub = frozenset().union(*alts)  # type: ignore[arg-type]
        best = _better(best, sub)
    return _better(best, run)


def _plain_word(word: str) -> bool:
    """ASCII, or typographic punctuation (’ “ –): characters whose case-insensitive
    match is themselves alone, so lower-cased text can be searched for them."""
    return all(c.isascii() or unicodedata.category(c)[0] == "P" for c in word)


def _better(a: frozenset[str] | None, b: set[str] | frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two requirements (longest shortest string, then fewest)."""
    if not b or "" in b or len(b) > _MAX_WORDS or not all(map(_plain_word, b)):
        return a
    b = frozenset(w.lower() for w in b)
    if a is None:
        return b
    return b if (min(map(len, b)), -len(b)) > (min(map(len, a)), -len(a)) else a
