"""The controlled vocabulary (agency types, themes, risk factors) loaded from
vocabulary.yaml, with compiled match patterns for the extractors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

__all__ = ["Concept", "load_vocabulary", "lower", "scan", "SCHEMES"]

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


def scan(pattern: re.Pattern[str], low: str, start: int = 0, end: int | None = None
         ) -> list[tuple[int, int]]:
    """Spans where a ``fast`` pattern matches lowered text, each starting on a word
    boundary as the full pattern requires (not after a letter, digit, _ or -)."""
    end = len(low) if end is None else end
    out = []
    pos = start
    while (m := pattern.search(low, pos, end)) is not None:
        s = m.start()
        if s > 0 and (low[s - 1].isalnum() or low[s - 1] in "_-"):
            pos = s + 1  # inside a word: look again just after
            continue
        out.append((s, m.end()))
        pos = m.end() if m.end() > s else s + 1
    return out


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
