"""Document structure: sections, numbered paragraphs and sentences, each as a
character span into the document text so every fact can cite exactly where it
was read."""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import attrgetter

__all__ = ["Block", "Sentence", "Layout", "layout", "SECTION_KINDS"]

# Section kinds, recognised from heading words; order matters (first match wins).
SECTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rf"\b(?:{words})", re.I))
    for kind, words in (
        ("contents", r"contents"),
        ("recommendations", r"recommendations?\b"),
        ("terms-of-reference", r"terms of reference|scope"),
        ("methodology", r"methodology|the \w+ process|review process|involvement of the family"),
        ("chronology", r"chronology|professional involvement|background history|key events"),
        ("family", r"family (?:overview|background|composition|structure|members)|the family\b"),
        ("analysis", r"analysis|practice issues|discussion|key (?:practice )?episodes|learning"),
        ("findings", r"findings?\b|lessons"),
        ("conclusions", r"conclusions?"),
        ("summary", r"summary|introduction|overview"),
        ("appendices", r"appendi(?:x|ces)|glossary|panel members|references|acknowledg"),
    )
)

# A line's text: empty lines hold none, and neither a heading nor a block starts on one.
_LINE = re.compile("[^\n]+")
_NUMBERED = re.compile(r"^[ \t]*(?:[-•*▪·][ \t]+)?(\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)\.?[ \t]+(?=\S)", re.M)
# List items start blocks of their own: "1. text", "a) text", "• text".
_LIST_START = r"^[ \t]*(?:\d{1,2}[.)]|\(?[a-h]\)|[-•*▪·])[ \t]+(?=\S)"
# Numbered items of a findings or recommendations list start blocks too.
_ITEM_HEAD = (r"^[ \t]*(?:Recommendation|Finding|Learning point|Lesson)[ \t]+(?:\d{1,2}[a-z]?|one|two|"
              r"three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b")  # any case
# A line that starts a block in any of these three ways: one match per line.
_BLOCK_START = re.compile(f"(?:{_NUMBERED.pattern})|(?:{_LIST_START})|(?i:{_ITEM_HEAD})", re.M)
# "Recommendation One" heads an item, not a section.
_WORDED_ITEM = re.compile(r"(?:recommendation|finding|learning point|lesson)\s+(?:one|two|three|four|five|six|"
                          r"seven|eight|nine|ten|eleven|twelve)$", re.I)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Its runs of blanks are bounded, and no two of them meet before the title (the one
# after a number needs the number or its dot): two unbounded runs side by side made
# a long run of spaces take minutes.
_HEADING = re.compile(
    r"^[ \t]{0,100}(?:#{1,6}[ \t]{0,100})?(?:(?:section|part)[ \t]{1,100})?(?:(\d{1,2})\.?[ \t]{0,100}|\.[ \t]{0,100})?"
    r"([A-Za-z][A-Za-z ,&'’/()-]{2,80}?)[ \t]{0,100}:?[ \t]{0,100}$",
    re.M,
)
# Sentence ends: . ! ? (and a closing quote) then space and an opener; also line breaks
# between blocks. Abbreviations that end in a full stop do not end a sentence. The
# stop is matched, not looked behind for, so the engine can skip to candidates; as no
# block starts just after one, a match still ends where the look-behind's would.
# Each alternative starts with one literal character, so that the engine skips
# ahead to the next of . ! ? or a line break.
_CLOSE = r"""[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9•])"""
_SENT_END = re.compile(rf"\.{_CLOSE}|!{_CLOSE}|\?{_CLOSE}|\n[ \t]*\n|\n(?=[ \t]*[-•*▪·]\s)")
_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|No|St|Nos|e\.g|i\.e|etc|vs|Prof|Cllr|approx))\.$", re.I)
# The two characters each of those abbreviations ends with before its full stop: a
# stop after any other pair ends the sentence without running the regex.
_ABBREV_TAILS = {"mr", "rs", "ms", "dr", "no", "st", "os", ".g", ".e", "tc", "vs", "of", "lr", "ox"}


# Blocks and sentences are made by the hundred per document: slotted classes that
# are not frozen build about three times faster.
@dataclass(slots=True)
class Block:
    """A paragraph of text: numbered ("6.10") or not, in a section of a given kind."""

    start: int
    end: int
    number: str | None
    section: str | None
    heading: str | None


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    block: Block


@dataclass
class Layout:
    text: str
    blocks: list[Block]
    sentences: list[Sentence]

    def in_sections(self, *kinds: str) -> list[Sentence]:
        return [s for s in self.sentences if s.block.section in kinds]

    def slice(self, s: Sentence | Block) -> str:
        return self.text[s.start : s.end]

    def block_at(self, pos: int) -> Block | None:
        """The block holding ``pos`` (blocks are in order and do not overlap)."""
        i = bisect_right(self.blocks, pos, key=_START) - 1
        return self.blocks[i] if i >= 0 and pos < self.blocks[i].end else None


_START = attrgetter("start")


@lru_cache(maxsize=4096)  # reports use the same few dozen headings
def _section_kind(title: str) -> str | None:
    for kind, pattern in SECTION_KINDS:
        if pattern.search(title):
            return kind
    return None


def _line_matches(pattern: re.Pattern[str], text: str, lines: list[int]) -> list[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that starts with ^ and matches no line
    break, tried only at the starts of ``lines`` (every line that is not empty): the
    engine would try every position."""
    return [m for m in map(pattern.match, repeat(text), lines) if m]


# The most characters other than spaces and tabs a _HEADING match holds: "######",
# "section", two digits, ".", a title of up to 81 and ":"; and the fewest characters
# of any kind (a title of three).
_HEADING_MOST = 98
_HEADING_LEAST = 3


# The characters a _HEADING match can end with: of a title, a colon, a space or a tab.
_HEADING_ENDS = frozenset(string.ascii_letters + " ,&'’/()-:\t")


def _heading_lines(text: str, lines: list[tuple[int, int]]) -> list[int]:
    """The starts of ``lines`` ((start, end) of every line that is not empty) that
    end as a heading does, long enough to hold one and short enough to be one (most
    lines of a report are paragraphs, ending in a full stop, on which the heading
    regex would try every length of title)."""
    return [a for a, b in lines if text[b - 1] in _HEADING_ENDS
            and (_HEADING_LEAST <= b - a <= _HEADING_MOST or b - a > _HEADING_MOST
                 and b - a - text.count(" ", a, b) - text.count("\t", a, b) <= _HEADING_MOST
                 and _LONG_BLANKS.search(text, a, b) is None)]


# A run of blanks longer than _HEADING's runs may be, with more of the line after it
# than a colon: no heading holds one, and the regex would try its runs against each
# other across it (20,000 spaces: minutes).
_LONG_BLANKS = re.compile(r"[ \t]{101}(?=[^ \t:])")


_PAGE_NUMBER = re.compile(r"\t\s*\d+\s*$")


def _headings(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, title) of ``lines`` ((start, end) of each) that look like
    section headings."""
    out = []
    for m in _line_matches(_HEADING, text, _heading_lines(text, lines)):
        line = m.group(0)
        title = m.group(2).strip()
        # A contents line ends in a page number; a sentence ends in a full stop.
        if _PAGE_NUMBER.search(line) or title.endswith("."):
            continue
        words = title.split()
        if len(words) > 9 or _WORDED_ITEM.match(title):
            continue
        numbered = m.group(1) is not None or line.lstrip().startswith("#")
        shouty = title.isupper() and len(title) > 3
        titled = sum(w[0].isupper() for w in words if w[0].isalpha()) >= max(1, len(words) // 2)
        if not (numbered or shouty or (titled and len(words) <= 6)):
            continue
        kind = _section_kind(title)
        if kind:
            out.append((m.start(), m.end(), kind, title))
    return out


_LISTED = ("contents", "appendices")
_BODY = frozenset({"summary", "analysis", "findings", "conclusions", "recommendations", "chronology", "family"})


def _prose(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] reads as prose: ten words or more and a sentence's stop,
    not a page number at its end (a contents entry may be a sentence long)."""
    return end - start > 50 and text.count(" ", start, end) >= 9 and (
        ". " in text[start:end] or text[end - 1] == ".") and not _PAGE_AT_END.search(text, start, end)


_PAGE_AT_END = re.compile(r"\b\d{1,3}\s*$")  # "... Page 3", "... 12"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\r\n-•*▪·":
        start += 1
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    return start, end


def layout(text: str) -> Layout:
    """Split ``text`` into blocks (by blank lines and numbered paragraph starts) and
    sentences, each tagged with its section kind and paragraph number."""
    lines = [m.span() for m in _LINE.finditer(text)]
    headings = _headings(text, lines)
    # Boundaries: blank lines, numbered paragraph starts, headings.
    cuts = {0, len(text)}
    cuts.update(m.end() for m in _BLANK_LINE.finditer(text))
    # Where a block starts by its first line; a numbered paragraph's number is the
    # match's first group (its first alternative is _NUMBERED).
    starts = {m.start(): m for m in _line_matches(_BLOCK_START, text, [a for a, _ in lines])}
    cuts.update(starts)
    for start, end, _, _ in headings:
        cuts.add(start)
        cuts.add(end)
    points = sorted(cuts)
    heading_starts = [h[0] for h in headings]
    heading_set = set(heading_starts)
    blocks: list[Block] = []
    h = 0
    section: str | None = None
    heading: str | None = None
    number: str | None = None
    for a, b in zip(points, points[1:], strict=False):
        while h < len(headings) and headings[h][0] <= a:
            section, heading = headings[h][2], headings[h][3]
            h += 1
        start, end = _trim(text, a, b)
        if start >= end:
            continue
        # A contents list holds no prose, nor do appendices that body sections follow:
        # such a heading was an entry of the list, and the prose after it is the body.
        if section in _LISTED and _prose(text, start, end) and (
                section == "contents" or any(k in _BODY for _, _, k, _ in headings[h:])):
            section = heading = None
        # A heading starts here, or the last one starting by ``start`` holds the
        # block (headings lie within their lines, so later ones end later).
        k = bisect_right(heading_starts, start) - 1
        if a in heading_set or k >= 0 and headings[k][1] >= end:
            continue
        m = starts.get(a)
        if m is not None and m.group(1) is not None:  # _NUMBERED.match(text, a)
            number = m.group(1)
            start, end = _trim(text, m.end(), b)
        elif not text[start:start + 1].islower():
            # An unnumbered block continues the numbered one before it only when a
            # page break cut that paragraph (it then starts lower-case).
            number = None
        if start < end:
            blocks.append(Block(start, end, number, section, heading))
    sentences: list[Sentence] = []
    append = sentences.append
    for block in blocks:
        pos = block.start
        for m in _SENT_END.finditer(text, block.start, block.end):
            # A sentence ends after its stop, or before a line break that ends it.
            cut = m.end()
            if text[cut - 1] == "\n":
                cut = m.start()
            if text[cut - 3:cut - 1].lower() in _ABBREV_TAILS and _ABBREV.search(text[max(pos, cut - 8):cut]):
                continue
            s, e = _trim(text, pos, cut)
            if s < e:
                append(Sentence(s, e, block))
            pos = cut
        s, e = _trim(text, pos, block.end)
        if s < e:
            append(Sentence(s, e, block))
    return Layout(text, blocks, sentences)
