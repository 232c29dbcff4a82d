"""Rows out: table, JSON and CSV renderers, registered by format name."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from typing import Any

__all__ = ["RENDERERS", "render"]


def _cell(value: Any, nested: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        parts = [_cell(v, True) for v in value]
        return "\n".join(parts) if not nested else "; ".join(parts)
    if isinstance(value, dict):
        if "quote" in value:
            value = {k: v for k, v in value.items() if k != "review_id"}
            where = " ".join(str(value[k]) for k in ("review", "document", "paragraph") if value.get(k))
            label = value.get("value")
            head = f"{label}: " if label else ""
            return f"{head}“{value['quote']}” ({where})" if value.get("quote") else f"{head}({where})"
        return ", ".join(f"{k}={_cell(v, True)}" for k, v in value.items())
    return str(value)


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "(no rows)\n"
    columns = list(dict.fromkeys(k for r in rows for k in r))
    width = max(60, shutil.get_terminal_size((160, 20)).columns)
    cap = max(12, (width - 3 * len(columns)) // max(1, len(columns)))
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [min(max([len(c)] + [max(map(len, row[i].split("\n"))) for row in cells]), cap * 3)
              for i, c in enumerate(columns)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)),
             "-+-".join("-" * w for w in widths)]
    for row in cells:
        split = [c.split("\n") for c in row]
        for k in range(max(len(s) for s in split)):
            lines.append(" | ".join(_fit(s[k] if k < len(s) else "", w)
                                    for s, w in zip(split, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


def _fit(text: str, width: int) -> str:
    """``text`` in ``width`` characters, ending in … where it was cut."""
    return text.ljust(width) if len(text) <= width else text[:width - 1] + "…"


def _json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False, default=str) + "\n"


def _csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    columns = list(dict.fromkeys(k for r in rows for k in r))
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: _cell(v, True) for k, v in r.items()})
    return buf.getvalue()


RENDERERS: dict[str, Callable[[list[dict[str, Any]]], str]] = {
    "table": _table,
    "json": _json,
    "csv": _csv,
}


def render(rows: list[dict[str, Any]], fmt: str) -> str:
    return RENDERERS[fmt](rows)
