"""The controlled vocabulary (agency types, themes, risk factors) loaded from
vocabulary.yaml, with compiled match patterns for the extractors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

__all__ = ["Concept", "load_vocabulary", "SCHEMES"]

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


def _compile(pattern: str) -> re.Pattern[str]:
    # Word boundaries only where the pattern starts or ends on a word character,
    # so "A&E" and "(?:...)" both work.
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])", re.IGNORECASE)


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
            )
            for cid, spec in data[scheme].items()
        }
    return out
