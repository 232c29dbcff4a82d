"""Texts built from a regex's own parse: every alternative of every branch, every
item of every character class and every optional part appears in at least one, so
a test comparing a fast path with the regex meets each word the regex holds, new
ones included, without a copy of them."""

from __future__ import annotations

import re
from re import _constants as c
from re import _parser as parser
from typing import Any

__all__ = ["samples"]

# Each category's regex and a character it holds.
_CATEGORY = {c.CATEGORY_DIGIT: (r"\d", "1"), c.CATEGORY_NOT_DIGIT: (r"\D", "a"), c.CATEGORY_SPACE: (r"\s", " "),
             c.CATEGORY_NOT_SPACE: (r"\S", "a"), c.CATEGORY_WORD: (r"\w", "a"), c.CATEGORY_NOT_WORD: (r"\W", " ")}
_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)


def samples(pattern: re.Pattern[str]) -> list[str]:
    """Strings following ``pattern``'s parse, the first with the first choice
    everywhere (optional parts left out), each other with one choice changed.
    Look-aheads are written out (what follows must be there); look-behinds and
    negative look-arounds are not, so a few samples may not match."""
    return list(dict.fromkeys(_sequence(parser.parse(pattern.pattern, pattern.flags))))


def _sequence(nodes: Any) -> list[str]:
    parts = [_node(op, av) for op, av in nodes]
    first = [p[0] for p in parts]
    out = ["".join(first)]
    for i, p in enumerate(parts):
        out += ["".join([*first[:i], v, *first[i + 1:]]) for v in p[1:]]
    return out


def _node(op: Any, av: Any) -> list[str]:
    if op is c.LITERAL:
        return [chr(av)]
    if op is c.NOT_LITERAL:
        return ["b" if av == ord("a") else "a"]
    if op is c.ANY:
        return ["a"]
    if op is c.IN:
        return _class(av)
    if op is c.BRANCH:
        return [s for alternative in av[1] for s in _sequence(alternative)]
    if op is c.SUBPATTERN:
        return _sequence(av[3])
    if op is c.ATOMIC_GROUP:
        return _sequence(av)
    if op in _REPEATS:
        low, _, sub = av
        inner = _sequence(sub)
        if low == 0:
            return ["", *inner]
        return [inner[0] * (low - 1) + v for v in inner]
    if op is c.ASSERT:
        return _sequence(av[1]) if av[0] == 1 else [""]
    if op in (c.ASSERT_NOT, c.AT):
        return [""]
    raise ValueError(f"no samples for {op}")


def _class(items: Any) -> list[str]:
    if items[0][0] is c.NEGATE:
        return [next(ch for ch in "a A1 .-" if not any(_has(op, av, ch) for op, av in items[1:]))]
    out = []
    for op, av in items:
        out.append(chr(av) if op is c.LITERAL else chr(av[0]) if op is c.RANGE else _CATEGORY[av][1])
    return out


def _has(op: Any, av: Any, ch: str) -> bool:
    if op is c.LITERAL:
        return ord(ch) == av
    if op is c.RANGE:
        return av[0] <= ord(ch) <= av[1]
    return re.fullmatch(_CATEGORY[av][0], ch) is not None
