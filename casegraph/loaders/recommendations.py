"""What a review recommends: numbered recommendations of a report with their
addressees, the items news reports, and a count of them the text states."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from typing import Any

from casegraph.loaders.agencies import Mention, mentions_in
from casegraph.loaders.ages import NUMBER_WORDS, number
from casegraph.loaders.concepts import match_many
from casegraph.loaders.roles import OPINION, Roles
from casegraph.loaders.structure import Layout, Sentence
from casegraph.schema.record import Evidence, Recommendation
from casegraph.schema.vocabulary import fold_span, load_vocabulary

__all__ = ["recommendations", "stated_count", "RECOMMEND", "LIST_ITEM"]

RECOMMEND = re.compile(r"\brecommend\w*", re.I)


def _names(ms: Iterable[Mention], names: dict[tuple[int, int], str]) -> list[str]:
    out: list[str] = []
    for m in ms:
        n = names.get((m.start, m.end))
        if n and n not in out:
            out.append(n)
    return out


_REC_HEAD = re.compile(r"\s*(?:\d{1,2}\.\d{1,2}\s+)?Recommendation\s+(\d{1,2}[a-z]?|"
                       + "|".join(list(NUMBER_WORDS)[1:13]) + r")\b[:.\s-]*", re.I)
_SUB_ITEM = re.compile(r"\s*\(?([a-h])[).]\s+", re.I)
LIST_ITEM = re.compile(r"\s*(?:(\d{1,2})[.)]|[-•*▪·●◦○■])\s+")
_ALL = re.compile(r"^all (?:agencies|partners|partner agencies|organisations)\b", re.I)


def _rec_number(token: str) -> str:
    """'2a' stays, 'Three' becomes '3'."""
    n = number(token)
    return str(n) if n is not None and not token[0].isdigit() else token.lower()


def _is_addressee(text: str) -> bool:
    """A short line naming who a recommendation is for, not a sentence."""
    return len(text) < 400 and not re.search(r"\b(?:should|must|will|to ensure|is recommended)\b",
                                              text, re.I) and "." not in text.rstrip(".")[:-1][:200]


def recommendations(layout: Layout, mentions: list[Mention], names: dict[tuple[int, int], str],
                    role_of: Roles | None = None) -> list[Recommendation]:
    """Numbered recommendations of a report, with sub-items and addressees; in news,
    the sentences and bullet lists that report them."""
    blocks = [b for b in layout.blocks if b.section == "recommendations"]
    recs = _numbered(layout, blocks, mentions, names) if blocks else []
    # A table stands for the list unless the list is written out of it (an action
    # plan's table after the numbered recommendations repeats only their numbers).
    if blocks and (not recs or any(_in_table(layout.text, r) for r in recs)):
        recs = _tabled(layout, blocks, mentions, names) or recs
    if not recs:
        recs = _reported(layout, mentions, names, role_of or Roles(layout))
    for r, ids in zip(recs, match_many([r.text for r in recs], load_vocabulary()["themes"]), strict=True):
        r.themes = ids
    return recs


def _numbered(layout: Layout, blocks: list[Any], mentions: list[Mention],
              names: dict[tuple[int, int], str]) -> list[Recommendation]:
    """Walk a recommendations section: "Recommendation N" heads with "a)" sub-items
    and addressee lines, or a plain numbered or bulleted list."""
    text = layout.text
    recs: list[Recommendation] = []
    current: str | None = None
    sub: str | None = None
    addressees: list[str] = []
    for b in blocks:
        start = b.start
        head = _REC_HEAD.match(text, start, b.end)
        if head:
            current, sub, addressees = _rec_number(head.group(1)), None, []
            start = head.end()
        elif current is None:
            item = LIST_ITEM.match(text, start, b.end)
            if item or _bulleted_at(text, start):
                number = item.group(1) if item and item.group(1) else str(len(recs) + 1)
                recs.append(_rec(layout, number, item.end() if item else start, b.end,
                                 mentions, names, []))
            continue
        item = _SUB_ITEM.match(text, start, b.end)
        if item:
            sub, addressees = item.group(1).lower(), []
            start = item.end()
        while start < b.end and text[start].isspace():
            start += 1
        if start >= b.end:
            continue
        line_end = text.find("\n", start, b.end)
        if line_end != -1 and line_end - start < 150 and _is_addressee(text[start:line_end]):
            # "Harwick Children's Social Care\nHCSC should revise ...": who, then what.
            addressees = _addressees(text[start:line_end], mentions, names, start)
            start = line_end + 1
        elif _is_addressee(text[start:b.end]):
            addressees = _addressees(text[start:b.end], mentions, names, start)
            continue
        number = current + (sub or "")
        if recs and recs[-1].number == number:
            continue  # a further paragraph of the same recommendation
        recs.append(_rec(layout, number, start, b.end, mentions, names, addressees))
    return recs


# A table row: cells split by tabs (the HTML and Word readers' tables) or by pipes
# (tables written as text), the first a recommendation's number ("3", "8.1", "R2", "2a").
_CELL = re.compile(r"[^\t|]+")
_ROW_NUMBER = re.compile(r"(?:R|Rec\.?|Recommendation)? ?(\d{1,2}(?:\.\d{1,2}){0,2}[a-z]?)[.)]?", re.I)
# A heading cell over the addressees' column.
_WHO_HEAD = re.compile(r"\b(?:addressed|agenc|lead|owner|organisation|responsib|for whom|who)", re.I)


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of a table line's cells that hold text, when the line has cells (a
    tab or pipes)."""
    line = text[start:end]
    if "\t" not in line and not line.lstrip().startswith("|"):
        return []
    spans = []
    for m in _CELL.finditer(line):
        a, b = m.span()
        while a < b and line[a].isspace():
            a += 1
        while b > a and line[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((start + a, start + b))
    return spans


def _in_table(text: str, rec: Recommendation) -> bool:
    """Whether ``rec`` starts on a table's line (see _cells)."""
    if not rec.evidence:
        return False
    at = rec.evidence[0].start
    a, z = text.rfind("\n", 0, at) + 1, text.find("\n", at)
    return bool(_cells(text, a, len(text) if z < 0 else z))


def _tabled(layout: Layout, blocks: list[Any], mentions: list[Mention],
            names: dict[tuple[int, int], str]) -> list[Recommendation]:
    """A recommendations section laid out as a table: a row per recommendation, its
    number in the first cell, its text in the next, its addressees in the column a
    heading calls so ("Addressed to", "Lead agency") or else in the cells after."""
    text = layout.text
    recs: list[Recommendation] = []
    who: int | None = None
    for b in blocks:
        pos = b.start
        for line in text[b.start:b.end].split("\n"):
            start, end = pos, pos + len(line)
            pos = end + 1
            cells = _cells(text, start, end)
            if len(cells) < 2:
                continue
            first = text[cells[0][0]:cells[0][1]]
            if not (number := _ROW_NUMBER.fullmatch(first)):
                heads = [k for k, (a, z) in enumerate(cells) if _WHO_HEAD.search(text, a, z)]
                who = heads[-1] if heads and not recs else who
                continue
            body = cells[1]
            after = cells[who:who + 1] if who is not None and who > 1 else cells[2:]
            to = _names((m for a, z in after for m in mentions_in(mentions, a, z)), names)
            recs.append(_rec(layout, number.group(1).lower(), body[0], body[1], mentions, names, to))
    return recs


def _bulleted_at(text: str, pos: int) -> bool:
    line = text[text.rfind("\n", 0, pos) + 1 : pos]
    return bool(re.fullmatch(r"\s*[-•*▪·]\s*", line))


def _addressees(body: str, mentions, names, offset: int) -> list[str]:
    if _ALL.match(body.strip()):
        return ["all-agencies"]
    found = _names(mentions_in(mentions, offset, offset + len(body)), names)
    return found


def _rec(layout, num, start, end, mentions, names, addressees) -> Recommendation:
    text = layout.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    body = text[start:end]
    to = addressees or _names(mentions_in(mentions, start, end), names)[:3]
    block = layout.block_at(start)
    para = block.number if block else None
    return Recommendation(number=num, text=body, addressed_to=to,
                          evidence=[Evidence(start, end, para, body)])


_COUNT = re.compile(
    r"\b(?:makes?|made|making|gave|gives?|issued|issues|contain(?:s|ed)?|sets? out|total of|with|"
    # what a report or review "has" (not a board, nor an earlier review that "had")
    r"(?:(?<=review |report )|(?<=\bit ))has|"
    r"includes?|identifie[sd]|outlines?|lists?|leads? to|led to|resulted in|produced)\s+"
    r"(?:a total of\s+|the following\s+)?"
    rf"(?P<n>\d{{1,2}}|{'|'.join(NUMBER_WORDS)})"
    r" (?:key |main |further |separate |new )?recommendations\b"
    rf"|\b(?P<n2>\d{{1,2}}|{'|'.join(NUMBER_WORDS)}) (?:key |main |further |new )?"
    r"recommendations (?:(?:have been|had been|were|are|was|been) (?:made|set out|agreed|accepted|issued|identified|"
    r"published|endorsed|put forward|drawn up)|(?:pulled|drawn|extracted|taken|arising|emerging|resulting) from "
    # this review's own, not those of another ("arising from the 2016 review")
    r"(?:the|this|its|our) (?:review|report|findings|learning|analysis)\b)"
    rf"|\b(?:its|their|the|review['’]s|report['’]s|series of|all|of)\s+(?P<n3>\d{{1,2}}|{'|'.join(NUMBER_WORDS)})"
    r" (?:key |main |further |new )?recommendations\b"
    rf"|\b(?:recommend(?:s|ed)|calls? for|called for|calling for)\s+(?P<n4>\d{{1,2}}|{'|'.join(NUMBER_WORDS)})"
    r" (?:key |main |further |new )?"
    r"(?:steps|changes|actions|improvements|measures)\b",
    re.I,
)


# A review that states it makes none: a count of zero, not an unknown one. Not "makes
# no recommendations for the police", which leaves the others open.
# "No further recommendations" follows some: no count either.
_NONE = re.compile(r"(?:\b(?:makes?|made|making|contains?) no (?:specific |formal )?recommendations"
                   r"|\bno (?:specific |formal )?recommendations (?:have been|had been|were|are|was) made"
                   r"|\bdid not make any (?:specific |formal )?recommendations)"
                   r"(?=\s*(?:[.;,:]|$)|\s+(?:because|as|since|and)\b)", re.I)
# "Campaigners called for ten changes": the review's or report's call only.
_CALLER = re.compile(r"\b(?:review|report|panel|inquiry|reviewer|author|SCR|CSPR|SAR|DHR)\b", re.I)


def stated_count(layout: Layout) -> tuple[int | None, Evidence | None]:
    """A number of recommendations the text states ("makes seven recommendations",
    "makes no recommendations")."""
    folded = fold_span(layout.text)
    none: tuple[int, Evidence] | None = None  # a stated zero counts if no number follows
    for s in layout.sentences:
        # Every match holds one of these words, which str's ``in`` looks for far faster
        # than the regex (on folded text: see vocabulary.fold).
        low = folded(s.start, s.end)
        if "recommend" not in low and "call" not in low:
            continue
        chunk = layout.text[s.start:s.end]
        if s.block.section in ("contents", "appendices"):
            continue
        m = _COUNT.search(chunk)
        if m and m.group(0)[:4].lower() == "call" and not _CALLER.search(chunk, 0, m.start()):
            m = None
        if m and (n := _counted(m)):
            return n, Evidence(s.start + m.start(), s.start + m.end(), s.block.number, m.group(0))
        elif none is None and (m := _NONE.search(chunk)):
            none = (0, Evidence(s.start + m.start(), s.start + m.end(), s.block.number, m.group(0)))
    return none or _headed_count(layout)


def _counted(m: re.Match[str]) -> int | None:
    """The number a match of _COUNT states."""
    return number(m.group("n") or m.group("n2") or m.group("n3") or m.group("n4"))


# A field of a page's summary: "Recommendations: 12", "Extracted: 20 recs", "12
# recommendations". Not "7 Recommendations", a numbered section's heading.
_FIELD = re.compile(r"(?:[A-Z][\w ]{0,30}:\s*(?P<n>\d{1,3}) (?:[Rr]ecommendations|recs)"
                    r"|(?P<n2>\d{1,3}) (?:recommendations|recs)"
                    r"|(?:(?:[Nn]umber of|[Tt]otal) )?[Rr]ecommendations(?: made)?:\s*(?P<n3>\d{1,3}))\.?")


def _headed_count(layout: Layout) -> tuple[int | None, Evidence | None]:
    """A count stated on a line of its own that is no sentence but a heading ("12
    recommendations made by the review" over their list) or a field of a page's
    summary (_FIELD)."""
    text = layout.text
    starts = [s.start for s in layout.sentences]
    done = -1
    for word in re.finditer(r"recommendations|\brecs\b", text, re.I):
        if word.start() < done:
            continue  # on a line already read
        a = text.rfind("\n", 0, word.start()) + 1
        done = text.find("\n", word.end())
        done = len(text) if done < 0 else done
        line = text[a:done]
        # A field line the layout joined to the lines around it (none ends a sentence);
        # not a contents page's entry ("Recommendations: 14", its page).
        block = layout.block_at(a)
        if (m := _FIELD.fullmatch(line.strip())) and not (block and block.section == "contents"):
            at, n = a + line.find(m.group(0)), m.group("n") or m.group("n2") or m.group("n3")
            return int(n), Evidence(at, at + len(m.group(0)), None, m.group(0))
        i = bisect_right(starts, a) - 1
        if i >= 0 and layout.sentences[i].end > a:
            continue  # within a sentence: read above
        if (m := _COUNT.search(line)) and not m.group(0).lower().startswith("call") and (n := _counted(m)):
            return n, Evidence(a + m.start(), a + m.end(), None, m.group(0))
    return None, None


# "The recommendations include ...", "It also recommended better training": what
# follows is the list. A relative clause ("made to the Partnership, which includes
# the council") or a passive of making ("recommendations are made to improve
# practice") introduces none.
_INCLUDE = re.compile(r"\brecommend\w*\b[^.]{0,80}?(?<!which )(?<!who )(?<!that )\b(?:include|including|includes|"
                      r"covering|cover|covers|relating to|focusing on|focused on|call for|calls for|called for|are:|"
                      r"were:)\s*:?\s*"
                      r"|\brecommend(?:s|ed|ing)? (?:that )?(?=a |an |the |better |more |further |improved |new )"
                      r"|\b(?:was|were|is|are) (?:also )?recommended to\s+"
                      r"|^(?:These|They|This|Those|Others?)\s+(?:recommendations\s+)?(?:include|includes|"
                      r"cover|covers)\b:?\s*", re.I)


# "It made 60 recommendations and disclosed how:" introduces what was found, not the
# recommendations. (Two searches: a look-ahead at each "recommend" would rescan the
# sentence's rest from each.)
_LIST_OF_RECS = re.compile(r"recommend\w*\b[^.]*:\s*$", re.I)
_AND_TOLD = re.compile(r"\band (?:also )?(?:disclosed|revealed|found|said|highlighted|identified|concluded|showed|"
                       r"described|detailed|set out)\b", re.I)


def _reported(layout, mentions, names, role_of: Roles) -> list[Recommendation]:
    """News: bullet items after 'recommendations:' and sentences reporting them
    (not someone's words about recommendations: those whose role is an opinion)."""
    text = layout.text
    recs: list[Recommendation] = []
    sentences = [s for s in layout.sentences
                 if "ecommend" not in text[s.start:s.end] or role_of.get(s.start) != OPINION]
    for i, s in enumerate(sentences):
        # A sentence without a colon introduces no list: the regex need not look.
        if ":" not in text[s.start:s.end] or not (m := _LIST_OF_RECS.search(text, s.start, s.end)) \
                or _AND_TOLD.search(m.group(0)):
            continue
        block = None
        for t in sentences[i + 1:]:
            if _bulleted(text, t):
                recs.append(_rec(layout, str(len(recs) + 1), t.start, t.end, mentions, names, []))
                block = t.block
            elif t.block != block:
                break
        if recs:
            return recs
    previous = ""
    for s in sentences:
        chunk = text[s.start:s.end]
        m = _INCLUDE.search(chunk)
        about = RECOMMEND.search(chunk) or (m and RECOMMEND.search(previous))
        previous = chunk
        if not m or not about:
            continue
        start = s.start + m.end()
        for a, b in _split_list(text, start, s.end):
            recs.append(_rec(layout, None, a, b, mentions, names, []))
    # "seven recommendations to the Partnership": the body every reported one is for.
    to = next((n for t in sentences for m in [_MADE_TO.search(text, t.start, t.end)] if m
               for n in _names(mentions_in(mentions, m.end(), m.end() + 3), names)), None)
    for r in recs:
        if to and not r.addressed_to:
            r.addressed_to = [to]
    return recs


_MADE_TO = re.compile(r"\brecommendations?\b[^.]{0,40}?\bto (?:the )?", re.I)


def _bulleted(text: str, s: Sentence) -> bool:
    line = text[text.rfind("\n", 0, s.start) + 1 : s.start]
    return bool(re.fullmatch(r"\s*(?:[-•*▪·]|\d{1,2}[.)])\s*", line))



def _split_list(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """'a review of X, support for Y and better Z.' -> three spans."""
    body = text[start:end]
    parts = []
    pos = 0
    for m in re.finditer(r",\s+(?:and\s+)?(?:to\s+)?|\s+and\s+(?=(?:to |that |the |a |an |better |"
                         r"consider |review |support |ensure |make ))", body):
        parts.append((pos, m.start()))
        pos = m.end()
    parts.append((pos, len(body.rstrip(". "))))
    return [(start + a, start + b) for a, b in parts if b - a > 8]
