"""The controlled vocabulary (agency types, themes, risk factors) loaded from
vocabulary.yaml, with compiled match patterns for the extractors, and helpers that
let the extractors' regexes run on lowered text and skip ahead (where patterns can
match at all: gates.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

__all__ = ["Concept", "after_words", "at_word_starts", "either", "find_all", "fold", "fold_span", "foldable",
           "load_vocabulary", "lower", "matches_at", "word_start", "SCHEMES"]

SCHEMES = ("agency_types", "themes", "risk_factors")


@dataclass(frozen=True)
class Concept:
    """One SKOS concept: fixed id, labels, definition, broader ids and match patterns."""

    id: str
    label: str
    definition: str = ""
    alt_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    # "child" or "adult": the only kind of review that can mean it (risk factors).
    reviews: str | None = None
    patterns: tuple[re.Pattern[str], ...] = field(default=(), repr=False)
    exclusions: tuple[re.Pattern[str], ...] = field(default=(), repr=False)
    # Names a match wholly inside of is no sign of the concept (themes: see ``names``).
    names: tuple[re.Pattern[str], ...] = field(default=(), repr=False)
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
_FOLDABLE = "\u0130\u0131\u017f\u212a"


def foldable(text: str) -> bool:
    """Whether ``text`` holds İ ı ſ or K: str.isascii and ``in`` are many times faster
    than a regex character class over a whole document."""
    return not text.isascii() and any(c in text for c in _FOLDABLE)


def fold(text: str) -> str:
    """``lower(text)`` with İ ı ſ K made ASCII: a lower-case ASCII pattern matches it
    as the same pattern with IGNORECASE matches ``text`` (lowering keeps every
    character's class for \\w, \\d and \\s), and positions stay the same."""
    low = lower(text)
    return low.translate(_FOLDS) if foldable(low) else low


def fold_span(text: str) -> Callable[[int, int], str]:
    """A function giving ``fold(text[a:b])`` for spans of ``text``: a slice of one
    fold of the whole text when lowering maps each character on its own (same length,
    and no Σ, whose lower case depends on its neighbours), as it nearly always does."""
    if "\u03a3" not in text and len(text.lower()) == len(text):
        whole = fold(text)
        return lambda a, b: whole[a:b]
    return lambda a, b: fold(text[a:b])


def after_words(pattern: re.Pattern[str], text: str, prefixes: tuple[str, ...] = ()
                ) -> Iterator[re.Match[str]]:
    """``finditer`` of ``\\b`` + ``pattern``, for a pattern whose matches start with a
    word character: the boundary is checked here, as in the regex it would stop the
    engine skipping ahead to the pattern's first characters. ``prefixes``: strings
    one of which every match starts with; the pattern is then tried only where they
    occur (str.find skips through text many times faster than the engine does for a
    pattern with several first letters)."""
    if prefixes:
        yield from _after_prefixes(pattern, text, prefixes)
        return
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        s = m.start()
        if not word_start(text, s):
            pos = s + 1  # inside a word: look again just after
            continue
        yield m
        pos = m.end() if m.end() > s else s + 1


def _after_prefixes(pattern: re.Pattern[str], text: str, prefixes: tuple[str, ...]) -> Iterator[re.Match[str]]:
    return at_word_starts(pattern, text, find_all(text, prefixes))


def at_word_starts(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """``after_words`` for a pattern whose every match starts at one of ``starts``
    (sorted): the places its prefixes occur, found some other way."""
    return matches_at(pattern, text, (s for s in starts if word_start(text, s)))


def word_start(text: str, s: int) -> bool:
    """Whether ``\b`` holds before a word character at ``s``: nothing of a word
    (letter, digit or _) just before it."""
    return not s or not (text[s - 1].isalnum() or text[s - 1] == "_")


def find_all(text: str, literals: Iterable[str]) -> list[int]:
    """Sorted positions where any of ``literals`` starts in ``text``."""
    starts = set()
    for literal in literals:
        i = text.find(literal)
        while i != -1:
            starts.add(i)
            i = text.find(literal, i + 1)
    return sorted(starts)


def either(words: Iterable[str]) -> str:
    """A regex group for any of ``words`` (regexes, tried in their order): a pattern
    built from the words a fast path looks for cannot come to hold one it lacks."""
    return "(?:" + "|".join(words) + ")"


def matches_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """The matches ``finditer`` would give, for a pattern that can match only at
    ``starts`` (sorted): tried there alone, none overlapping the one before."""
    pos = 0
    for s in starts:
        if s >= pos and (m := pattern.match(text, s)) is not None:
            yield m
            pos = m.end() if m.end() > s else s + 1



@cache
def load_vocabulary() -> dict[str, dict[str, Concept]]:
    """{scheme: {id: Concept}} for the three schemes, read once per process."""
    import yaml

    text = resources.files("casegraph.schema").joinpath("vocabulary.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: ten times quicker
    out: dict[str, dict[str, Concept]] = {}
    names = tuple(_compile(p) for p in data.get("names") or [])
    for scheme in SCHEMES:
        out[scheme] = {
            cid: Concept(
                id=cid,
                label=spec["label"],
                definition=spec.get("definition", ""),
                alt_labels=tuple(spec.get("alt", [])),
                broader=tuple(spec.get("broader", [])),
                reviews=spec.get("reviews"),
                patterns=tuple(_compile(p) for p in spec.get("patterns", [])),
                exclusions=tuple(_compile(p) for p in spec.get("not", [])),
                names=names if scheme == "themes" else (),
                fast=tuple(_compile_fast(p) for p in spec.get("patterns", [])),
            )
            for cid, spec in data[scheme].items()
        }
    return out
