"""Article text of web pages: what the HTML reader keeps of the test pages.

Scores a reader on the pages of ``tests/data/webpages`` against their truth
(``truth.yaml``): the share of article blocks kept (recall), the share of article
blocks that stay blocks of their own once ``loaders/structure.py`` lays the text
out (boundaries), the share of boilerplate lines kept (noise: every visible line
of the page that is neither article nor a neutral byline or caption), whether the
headline and publication date come through, and the time per page. The reference,
timed in the same run, is a plain strip of every tag (the reader's own fallback):
all of the article and all of the boilerplate.

    python benchmarks/webpages.py
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "data" / "webpages"
# A row of numbers or a list marker the reader adds in front of a list item.
_MARKER = re.compile(r"^(?:\d{1,3}[.)]|[-•*▪·])\s+")


@dataclass
class Score:
    """Counts over one page or a set of pages."""

    article: int = 0
    kept: int = 0
    blocks: int = 0
    boilerplate: int = 0
    noise: int = 0
    titles: int = 0
    dates: int = 0
    pages: int = 0
    seconds: float = 0.0

    def __iadd__(self, other: Score) -> Score:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def recall(self) -> float:
        return self.kept / self.article if self.article else 1.0

    @property
    def boundaries(self) -> float:
        return self.blocks / self.article if self.article else 1.0

    @property
    def noise_share(self) -> float:
        return self.noise / self.boilerplate if self.boilerplate else 0.0


def _norm(text: str) -> str:
    return " ".join(text.split())


def load_truth() -> dict[str, dict[str, Any]]:
    return yaml.safe_load((PAGES / "truth.yaml").read_text(encoding="utf-8"))


def _item_text(item: str | list[str]) -> str:
    return _norm(" ".join(item) if isinstance(item, list) else item)


def boilerplate_lines(html: str, truth: dict[str, Any]) -> list[str]:
    """Every visible line of text on the page that is not article, title or neutral.

    A line found inside the article (a word such as "Health" in a menu) is left out,
    so that only text that comes from somewhere else counts as noise.
    """
    import lxml.html

    page = lxml.html.fromstring(html)
    for tag in page.xpath("//head | //script | //style | //noscript | //template"):
        tag.drop_tree()
    own = [_item_text(i) for i in truth["article"]] + [_norm(n) for n in truth["neutral"]]
    own.append(_norm(truth["title"]))
    lines = []
    for line in "\n".join(page.itertext()).split("\n"):
        line = _norm(line)
        if sum(c.isalpha() for c in line) >= 2 and not any(line in o for o in own):
            lines.append(line)
    return list(dict.fromkeys(lines))


def score_page(doc: Any, html: str, truth: dict[str, Any]) -> Score:
    """How well one Document (``text``, ``title``, ``published``) matches the truth."""
    from casegraph.loaders.structure import layout

    text = _norm(doc.text)
    laid = layout(doc.text)
    # A subheading the layout takes for a section heading heads the blocks after it.
    blocks = {_MARKER.sub("", _norm(laid.slice(b))) for b in laid.blocks}
    blocks |= {_norm(b.heading) for b in laid.blocks if b.heading}
    lines = {"\t".join(c.strip() for c in line.split("\t")) for line in doc.text.split("\n")}
    s = Score(pages=1)
    for item in truth["article"]:
        s.article += 1
        s.kept += _item_text(item) in text
        if isinstance(item, list):  # a table row: one line, its cells tab-separated
            s.blocks += "\t".join(_norm(c) for c in item) in lines
        else:
            s.blocks += _norm(item) in blocks
    for line in boilerplate_lines(html, truth):
        s.boilerplate += 1
        s.noise += re.search(rf"(?<!\w){re.escape(line)}(?!\w)", text) is not None
    s.titles += _norm(doc.title) == _norm(truth["title"])
    s.dates += doc.published == truth["published"]
    return s


def score_reader(read: Callable[[str, bytes], Any], repeat: int = 5) -> dict[str, Score]:
    """Score ``read`` on every test page; the time is the best of ``repeat`` runs."""
    scores = {}
    for name, truth in load_truth().items():
        data = (PAGES / name).read_bytes()
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            doc = read(name, data)
            best = min(best, time.perf_counter() - t0)
        s = score_page(doc, data.decode("utf-8"), truth)
        s.seconds = best
        scores[name] = s
    return scores


def _strip_tags(name: str, data: bytes) -> Any:
    from types import SimpleNamespace

    from casegraph.loaders.readers.html import strip_tags

    return SimpleNamespace(text=strip_tags(data.decode("utf-8")), title="", published=None)


def report(label: str, scores: dict[str, Score], out: Any = sys.stdout) -> Score:
    total = Score()
    for s in scores.values():
        total += s
    print(
        f"{label:<22} recall {total.recall:.3f}  boundaries {total.boundaries:.3f}  "
        f"noise {total.noise_share:.3f} ({total.noise}/{total.boilerplate})  "
        f"titles {total.titles}/{total.pages}  dates {total.dates}/{total.pages}  "
        f"{1000 * total.seconds / total.pages:.2f} ms/page",
        file=out,
    )
    return total


def main() -> int:
    from casegraph.loaders.readers import read_html

    reference = report("tag strip (reference)", score_reader(_strip_tags))
    scores = score_reader(read_html)
    for name, s in scores.items():
        print(
            f"  {name:<32} recall {s.recall:.2f}  boundaries {s.boundaries:.2f}  "
            f"noise {s.noise}/{s.boilerplate}  title {s.titles}  date {s.dates}"
        )
    total = report("read_html", scores)
    print(f"read_html time per page: {total.seconds / reference.seconds:.1f} x the tag strip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
