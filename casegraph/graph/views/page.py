"""One self-contained HTML page: a heading, the view's data as JSON, and the
page's own CSS and script (``view.css``, ``view.js`` beside this module) inlined,
so the file opens offline and fetches nothing.

Document text reaches the page only inside the JSON block, with ``<``, ``>`` and
``&`` written as ``\\u`` escapes so no text can close the block; the script builds
every element from it with ``textContent``, so markup in a review is shown as
text and never parsed or run.
"""

from __future__ import annotations

import html
import json
from functools import cache
from importlib.resources import files
from typing import Any

__all__ = ["render_page"]

_JSON_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                               "\u2028": "\\u2028", "\u2029": "\\u2029"})


@cache
def _asset(name: str) -> str:
    return files(__package__).joinpath(name).read_text("utf-8")


def script_json(data: Any) -> str:
    """``data`` as JSON that is safe inside a ``<script>`` element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)


def render_page(kind: str, title: str, data: dict[str, Any]) -> str:
    """The page of one view ``kind`` (network, matrix, case, neighbourhood)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(title)}</title>\n<style>\n{_asset('view.css')}</style>\n</head>\n"
        f"<body data-kind=\"{html.escape(kind)}\">\n"
        f"<header id=\"cg-head\"><h1>{html.escape(title)}</h1><p id=\"cg-note\" hidden></p>"
        "<form id=\"cg-filters\" autocomplete=\"off\"></form><div id=\"cg-legend\"></div></header>\n"
        "<main><div id=\"cg-view\"></div><aside id=\"cg-panel\" aria-live=\"polite\"></aside></main>\n"
        f"<script type=\"application/json\" id=\"cg-data\">{script_json(data)}</script>\n"
        f"<script>\n{_asset('view.js')}</script>\n</body>\n</html>\n"
    )
