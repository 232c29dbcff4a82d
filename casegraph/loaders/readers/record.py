"""Curated review records (YAML or JSON): hand-checked facts plus readable text.

A record is taken as it is, not run through the extractors; its text is what a
reader of the graph is shown as evidence.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from casegraph.errors import UnreadableDocument
from casegraph.loaders.readers.base import TITLE_MAX, one_line, sha256, to_iso
from casegraph.loaders.readers.decoding import decode_text, normalise_newlines
from casegraph.schema.record import Document

__all__ = ["read_record"]

_NOT_A_RECORD = "not a casegraph review record (needs a 'review' or 'case' mapping)"
_RECORD_MAX_NODES = 1_000_000


def _jsonable(value: Any, budget: list[int]) -> Any:
    """YAML values made JSON-safe (dates to ISO, keys to str), with a size budget so
    alias bombs ("billion laughs") fail instead of eating memory."""
    budget[0] -= 1
    if budget[0] < 0:
        raise UnreadableDocument("", f"record too large (more than {_RECORD_MAX_NODES:,} values)")
    if isinstance(value, dict):
        return {str(k): _jsonable(v, budget) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v, budget) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def _record_text(record: dict[str, Any]) -> str:
    """A readable rendering: the record's "text", else its summary, findings and
    recommendations, one per line."""
    text = record.get("text")
    if isinstance(text, str) and text.strip():
        return normalise_newlines(text)
    scopes = [s for s in (record, record.get("review"), record.get("case")) if isinstance(s, dict)]
    parts: list[str] = []
    for scope in scopes:
        if isinstance(scope.get("summary"), str):
            parts.append(scope["summary"].strip())
    for key in ("findings", "recommendations"):
        for scope in scopes:
            items = scope.get(key)
            for item in items if isinstance(items, list) else []:
                value = item.get("text") if isinstance(item, dict) else item
                if isinstance(value, str) and value.strip():
                    parts.append(value.strip())
    return normalise_newlines("\n".join(p for p in parts if p))


def read_record(name: str, data: bytes) -> Document:
    """A curated review record (YAML or JSON): hand-checked facts plus readable text."""
    source = decode_text(name, data)
    is_json = name.lower().endswith(".json")
    try:
        if is_json:
            loaded = json.loads(source)
        else:
            import yaml

            loaded = yaml.safe_load(source)
    except json.JSONDecodeError as exc:
        raise UnreadableDocument(
            name, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise UnreadableDocument(name, "invalid record: nested too deeply") from None
    except Exception as exc:  # yaml.YAMLError and its many subclasses
        raise UnreadableDocument(name, f"invalid YAML: {_yaml_problem(exc)}") from None
    if not isinstance(loaded, dict) or not any(
        isinstance(loaded.get(k), dict) for k in ("review", "case")
    ):
        raise UnreadableDocument(name, _NOT_A_RECORD)
    try:
        record = _jsonable(loaded, [_RECORD_MAX_NODES])
    except RecursionError:
        raise UnreadableDocument(
            name, "invalid record: nested too deeply or refers to itself"
        ) from None
    except UnreadableDocument as exc:
        raise UnreadableDocument(name, exc.reason) from None
    review = record.get("review") if isinstance(record.get("review"), dict) else {}
    case = record.get("case") if isinstance(record.get("case"), dict) else {}
    candidates = (record.get("title"), review.get("title"), case.get("id"), review.get("id"))
    title = next((str(v).strip() for v in candidates if v not in (None, "")), Path(name).stem)
    published = to_iso(record.get("published")) or to_iso(review.get("published"))
    return Document(
        path=name,
        sha256=sha256(data),
        text=_record_text(record),
        kind="record",
        title=title[:TITLE_MAX],
        published=published,
        record=record,
    )


def _yaml_problem(exc: Exception) -> str:
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    text = one_line(problem or exc)
    if mark is not None:
        text += f" (line {mark.line + 1}, column {mark.column + 1})"
    return text
