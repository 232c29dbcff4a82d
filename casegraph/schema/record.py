"""Plain typed records passed between stages: Document out of a reader, ReviewRecord
out of the extractors. JSON-serialisable, no behaviour that reaches back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "Document",
    "Evidence",
    "AgencyMention",
    "Finding",
    "Recommendation",
    "RiskFactorMention",
    "Contact",
    "Subject",
    "FamilyMember",
    "ReviewRecord",
]


class _Compact:
    """Pickled as the arguments of its constructor: a report's record holds about a
    thousand of these and crosses from an extraction worker to the writer; this is
    three times quicker to unpickle than a class and a dict of attributes each."""

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return type(self), tuple(vars(self).values())  # a dataclass sets them in field order


@dataclass
class Document:
    """Text of one file with what the reader learned about it.

    ``pages`` holds the character offset at which each page starts (PDF), so
    evidence can name its page. ``record`` is set by the curated YAML/JSON reader:
    hand-checked facts that win over extracted ones.
    """

    path: str
    sha256: str
    text: str
    kind: str = "report"  # report | news | record
    title: str = ""
    published: str | None = None
    pages: list[int] = field(default_factory=list)
    record: dict[str, Any] | None = None


@dataclass
class Evidence(_Compact):
    """Where a fact was read: text[start:end] == quote."""

    start: int
    end: int
    paragraph: str | None
    quote: str
    page: int | None = None


@dataclass
class AgencyMention(_Compact):
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Finding(_Compact):
    text: str
    polarity: str  # shortfall | good-practice
    themes: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Recommendation(_Compact):
    number: str | None
    text: str
    addressed_to: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class RiskFactorMention(_Compact):
    id: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Contact(_Compact):
    when: str | None
    agency: str | None
    kind: str
    summary: str
    role: str | None = None
    missed: bool = False  # missed, declined or not followed up
    status: str | None = None  # declined | missed | not-followed-up | followed-up
    evidence: list[Evidence] = field(default_factory=list)
    date: str | None = None  # "YYYY-MM" or "YYYY-MM-DD": ``when`` resolved where the text anchors it


@dataclass
class Subject:
    pseudonym: str
    age_text: str | None = None
    age_days: int | None = None
    outcome: str | None = None  # died | serious-harm


@dataclass
class FamilyMember:
    pseudonym: str
    role: str
    age: str | None = None


@dataclass
class ReviewRecord:
    """Everything extracted from one document, in the shape of the JSON contract."""

    document: dict[str, Any]
    review: dict[str, Any] = field(default_factory=dict)
    case: dict[str, Any] = field(default_factory=dict)
    agencies: list[AgencyMention] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    risk_factors: list[RiskFactorMention] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def spans(self) -> Iterator[dict[str, Any]]:
        """Every piece of evidence anywhere in the record, as a dict (start, end, quote, ...)."""
        return _spans(self.to_dict())

    @classmethod
    def failed(cls, path: str, error: str) -> ReviewRecord:
        """The record of a document that could not be read: errors filled, rest empty."""
        doc = {"path": path, "sha256": None, "kind": None, "title": None, "published": None}
        return cls(document=doc, errors=[error])


def _spans(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if {"start", "end", "quote"} <= value.keys():
            yield value
        for v in value.values():
            yield from _spans(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _spans(v)
