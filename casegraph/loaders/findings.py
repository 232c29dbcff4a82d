"""What a review found and recommended: practice findings with polarity and
themes, recommendations with numbers and addressees, and case risk factors."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from casegraph.loaders.agencies import Mention
from casegraph.loaders.entities import NUMBER_WORDS, number
from casegraph.loaders.structure import Layout, Sentence
from casegraph.schema.record import Evidence, Finding, Recommendation, RiskFactorMention
from casegraph.schema.vocabulary import Concept, load_vocabulary

__all__ = ["match_concepts", "findings", "recommendations", "risk_factors", "stated_count"]

_QUOTE_MARKS = re.compile(r"[\"“”]|(?<!\w)['‘’]|['‘’](?!\w)")


def _unquote(text: str) -> str:
    """Drop quotation marks (but not the apostrophe of "boy's") so patterns see the words."""
    return _QUOTE_MARKS.sub(" ", text)
# Shortfall and good-practice cues; a finding needs one or the other.
_SHORTFALL = re.compile(
    r"\b(?:not|no|never|n't|fail\w*|missed|missing|lack\w*|poor\w*|shortfall\w*|shortcoming\w*|"
    r"should have|could have|would have|without|little evidence|over[- ]?optimistic|over-?reliant|"
    r"criticis\w+|weak\w*|delay\w*|inadequate|insufficient\w*|limited|superficial|concern\w*|"
    r"unclear|gaps?|did not|too heavily|relied|failings?|mislead\w*|declined|unable|face value|"
    r"self-report\w*|over-?reliance|overly|missed chances|information only|stepped down|"
    r"never|nobody|no one)\b",
    re.I,
)
_GOOD = re.compile(r"\b(?:good practice|positive\w*|appropriate(?:ly)?|timely|well[- ]co-?ordinated|"
                   r"improved|improvement|effective(?:ly)?|thorough|promptly|strength\w*)\b", re.I)
# Statements that deny an effect are not failures ("no evidence this contributed").
_DENIAL = re.compile(
    r"\bno evidence\b[^.]{0,80}\b(?:contribut\w*|impact|difference|bearing|causal|outcome|"
    r"would have changed)|could not have been (?:predicted|prevented)",
    re.I,
)
_PRAISE = re.compile(r"\bgood practice\b|\bexamples? of (?:good|positive|effective)\b", re.I)
_ANALYSIS = ("analysis", "findings", "conclusions")
_RECOMMEND = re.compile(r"\brecommend\w*", re.I)
_SKIP_SECTIONS = ("contents", "appendices", "methodology")


def match_concepts(text: str, concepts: dict[str, Concept]) -> list[str]:
    """Ids of concepts whose patterns match ``text``; a narrower concept matching
    the same words replaces its broader one."""
    plain = re.sub(r"\s+", " ", _unquote(text))
    hits: dict[str, list[tuple[int, int]]] = {}
    # Skip each pattern whose required words are absent (see _required): same
    # result, a fraction of the regex scans.
    low = plain.lower() if plain.isascii() or not _FOLDS_TO_ASCII.search(plain) else None
    passing = _gate(concepts).passing(low) if low is not None else None
    for cid, concept in concepts.items():
        patterns = concept.patterns
        if passing is not None:
            keep = passing.get(cid)
            if not keep:
                continue
            patterns = [p for i, p in enumerate(patterns) if i in keep]
        if any(x.search(plain) for x in concept.exclusions):
            spans = [m.span() for p in patterns for m in p.finditer(plain)
                     if not any(x.search(plain, max(0, m.start() - 20), m.end() + 20)
                                and _overlaps(x, plain, m.span()) for x in concept.exclusions)]
        else:
            spans = [m.span() for p in patterns for m in p.finditer(plain)]
        if spans:
            hits[cid] = spans
    for cid in list(hits):
        for broader in concepts[cid].broader:
            if broader in hits:
                rest = [s for s in hits[broader] if not any(_cover(s, n) for n in hits[cid])]
                if rest:
                    hits[broader] = rest
                else:
                    del hits[broader]
    return sorted(hits)


# Non-ASCII characters that match an ASCII letter under re.IGNORECASE (İ ı ſ K);
# text holding one of them is matched without the word prefilter.
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")
_MAX_WORDS = 64
_GATES: dict[int, tuple[dict[str, Concept], _Gate]] = {}


class _Gate:
    """Which patterns of a vocabulary scheme can match a text: those that require
    no word (see _required), or one of whose required words occurs in it. Words
    are grouped by their first three letters, so most groups are ruled out at once."""

    def __init__(self, concepts: dict[str, Concept]):
        self.always: dict[str, set[int]] = {}
        self.by_start: dict[str, list[tuple[str, str, int]]] = {}
        for cid, c in concepts.items():
            for i, p in enumerate(c.patterns):
                need = _required(p)
                if need is None:
                    self.always.setdefault(cid, set()).add(i)
                    continue
                for w in need:
                    self.by_start.setdefault(w[:3], []).append((w, cid, i))
        self.starts = tuple(self.by_start)

    def passing(self, low: str) -> dict[str, set[int]]:
        """{concept id: indexes of its patterns worth running} for lower-cased ``low``."""
        out = {cid: set(i) for cid, i in self.always.items()}
        for start in filter(low.__contains__, self.starts):
            for w, cid, i in self.by_start[start]:
                if w in low:
                    out.setdefault(cid, set()).add(i)
        return out


def _gate(concepts: dict[str, Concept]) -> _Gate:
    """The gate of one scheme, worked out once per vocabulary."""
    entry = _GATES.get(id(concepts))
    if entry is None or entry[0] is not concepts:
        if len(_GATES) > 16:
            _GATES.clear()
        entry = (concepts, _Gate(concepts))
        _GATES[id(concepts)] = entry
    return entry[1]


def _required(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case ASCII strings at least one of which occurs (case-insensitively) in
    anything ``pattern`` matches, or None when no such set is known. Worked out from
    the parsed pattern: literal runs, small alternations and optional letters."""
    try:
        from re import _parser  # the stdlib's own parser (Python 3.11+)

        return _need(_parser.parse(pattern.pattern, pattern.flags), _parser)
    except Exception:  # any doubt: no prefilter, the pattern is always run
        return None


def _finite(items, sre) -> set[str] | None:  # noqa: ANN001 - stdlib parser internals
    """Every string a literal sequence can match, when that is a small set."""
    out = {""}
    for op, av in items:
        strings = _finite_item(op, av, sre)
        if strings is None:
            return None
        out = {a + b for a in out for b in strings}
        if len(out) > _MAX_WORDS:
            return None
    return out


def _finite_item(op, av, sre) -> set[str] | None:  # noqa: ANN001
    if op is sre.LITERAL:
        return {chr(av)}
    if op is sre.IN and all(o is sre.LITERAL for o, _ in av):
        return {chr(a) for _, a in av}
    if op is sre.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            strings = _finite(alt, sre)
            if strings is None:
                return None
            out |= strings
        return out if len(out) <= _MAX_WORDS else None
    if op is sre.SUBPATTERN and not av[1] and not av[2]:
        return _finite(av[3], sre)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[1] <= 3:
        one = _finite(av[2], sre)
        if one is None:
            return None
        out, level = set(), {""}
        for n in range(av[1] + 1):
            if n >= av[0]:
                out |= level
            level = {a + b for a in level for b in one}
            if len(level) > _MAX_WORDS:
                return None
        return out
    return None


def _need(items, sre) -> frozenset[str] | None:  # noqa: ANN001
    """The most selective set of strings one of which any match must contain."""
    best: frozenset[str] | None = None
    run = {""}
    for op, av in items:
        strings = _finite_item(op, av, sre)
        if strings is not None:
            joined = {a + b for a in run for b in strings}
            if len(joined) <= _MAX_WORDS:
                run = joined
                continue
            best, run = _better(best, run), set(strings)
            continue
        best, run = _better(best, run), {""}
        sub: frozenset[str] | None = None
        if op is sre.SUBPATTERN and not av[1] and not av[2]:
            sub = _need(av[3], sre)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            sub = _need(av[2], sre)
        elif op is sre.ATOMIC_GROUP:
            sub = _need(av, sre)
        elif op is sre.BRANCH:
            alts = [_need(alt, sre) for alt in av[1]]
            if all(alts):
                sub = frozenset().union(*alts)  # type: ignore[arg-type]
        best = _better(best, sub)
    return _better(best, run)


def _plain_word(word: str) -> bool:
    """ASCII, or typographic punctuation (’ “ –): characters whose case-insensitive
    match is themselves alone, so lower-cased text can be searched for them."""
    return all(c.isascii() or unicodedata.category(c)[0] == "P" for c in word)


def _better(a: frozenset[str] | None, b: set[str] | frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two requirements (longest shortest string, then fewest)."""
    if not b or "" in b or len(b) > _MAX_WORDS or not all(map(_plain_word, b)):
        return a
    b = frozenset(w.lower() for w in b)
    if a is None:
        return b
    return b if (min(map(len, b)), -len(b)) > (min(map(len, a)), -len(a)) else a


def _overlaps(pattern: re.Pattern[str], text: str, span: tuple[int, int]) -> bool:
    return any(m.start() <= span[0] and m.end() >= span[1] or
               (m.start() < span[1] and m.end() > span[0]) for m in pattern.finditer(text))


def _cover(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _evidence(layout: Layout, s: Sentence) -> Evidence:
    return Evidence(s.start, s.end, s.block.number, layout.text[s.start:s.end])


def _mentions_in(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if start <= m.start < end]


def findings(layout: Layout, mentions: list[Mention], names: dict[tuple[int, int], str],
             lead: str | None) -> list[Finding]:
    """Sentences that state a shortfall or good practice on a theme. Agencies: those
    named in the sentence, else in its paragraph, else the review's lead agency."""
    themes = load_vocabulary()["themes"]
    out = []
    for s in layout.sentences:
        if s.block.section in _SKIP_SECTIONS + ("recommendations",):
            continue
        text = layout.text[s.start:s.end]
        if text.rstrip().endswith("?") or _DENIAL.search(text) or _RECOMMEND.search(text):
            continue
        ids = match_concepts(text, themes)
        # A report's analysis may praise practice in words no theme knows; keep it.
        praised = s.block.section in _ANALYSIS and _PRAISE.search(text)
        if not ids and not praised:
            continue
        if _SHORTFALL.search(text):
            polarity = "shortfall"
        elif _GOOD.search(text):
            polarity = "good-practice"
        else:
            continue
        agencies = _names(_mentions_in(mentions, s.start, s.end), names)
        if not agencies:
            agencies = _names(_mentions_in(mentions, s.block.start, s.block.end), names)
        if not agencies and lead:
            agencies = [lead]
        out.append(Finding(text=text, polarity=polarity, themes=ids, agencies=agencies,
                           evidence=[_evidence(layout, s)]))
    return out


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
_LIST_ITEM = re.compile(r"\s*(?:(\d{1,2})[.)]|[-•*▪·])\s+")
_ALL = re.compile(r"^all (?:agencies|partners|partner agencies|organisations)\b", re.I)


def _rec_number(token: str) -> str:
    """'2a' stays, 'Three' becomes '3'."""
    n = number(token)
    return str(n) if n is not None and not token[0].isdigit() else token.lower()


def _is_addressee(text: str) -> bool:
    """A short line naming who a recommendation is for, not a sentence."""
    return len(text) < 400 and not re.search(r"\b(?:should|must|will|to ensure|is recommended)\b",
                                              text, re.I) and "." not in text.rstrip(".")[:-1][:200]


def recommendations(layout: Layout, mentions: list[Mention], names: dict[tuple[int, int], str]
                    ) -> list[Recommendation]:
    """Numbered recommendations of a report, with sub-items and addressees; in news,
    the sentences and bullet lists that report them."""
    blocks = [b for b in layout.blocks if b.section == "recommendations"]
    recs = _numbered(layout, blocks, mentions, names) if blocks else []
    if not recs:
        recs = _reported(layout, mentions, names)
    themes = load_vocabulary()["themes"]
    for r in recs:
        r.themes = match_concepts(r.text, themes)
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
            item = _LIST_ITEM.match(text, start, b.end)
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


def _bulleted_at(text: str, pos: int) -> bool:
    line = text[text.rfind("\n", 0, pos) + 1 : pos]
    return bool(re.fullmatch(r"\s*[-•*▪·]\s*", line))


def _addressees(body: str, mentions, names, offset: int) -> list[str]:
    if _ALL.match(body.strip()):
        return ["all-agencies"]
    found = _names(_mentions_in(mentions, offset, offset + len(body)), names)
    return found


def _rec(layout, num, start, end, mentions, names, addressees) -> Recommendation:
    text = layout.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    body = text[start:end]
    to = addressees or _names(_mentions_in(mentions, start, end), names)[:3]
    para = next((b.number for b in layout.blocks if b.start <= start < b.end), None)
    return Recommendation(number=num, text=body, addressed_to=to,
                          evidence=[Evidence(start, end, para, body)])


_COUNT = re.compile(
    r"\b(?:makes?|made|making|gave|gives?|issued|issues|contains?|sets? out|total of|with|"
    r"includes?|identifie[sd]|outlines?|lists?)\s+(?:a total of\s+|the following\s+)?"
    rf"(?P<n>\d{{1,2}}|{'|'.join(NUMBER_WORDS)})"
    r" (?:key |main |further |separate |new )?recommendations\b"
    r"|\b(?P<n2>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) "
    r"recommendations (?:have been|were|are|was) made",
    re.I,
)


def stated_count(layout: Layout) -> tuple[int | None, Evidence | None]:
    """A number of recommendations the text states ("makes seven recommendations")."""
    for s in layout.sentences:
        chunk = layout.text[s.start:s.end]
        m = _COUNT.search(chunk)
        if m and s.block.section not in ("contents", "appendices"):
            n = number(m.group("n") or m.group("n2"))
            if n:
                return n, Evidence(s.start + m.start(), s.start + m.end(), s.block.number, m.group(0))
    return None, None


_INCLUDE = re.compile(r"\brecommend\w*\b[^.]{0,80}?\b(?:include|including|includes|are|were|covering|"
                      r"cover|covers|on|about|relating to|focusing on|focused on)\b:?\s*"
                      r"|^(?:These|They|This|Those|Others?)\s+(?:recommendations\s+)?(?:include|includes|"
                      r"cover|covers)\b:?\s*", re.I)


def _reported(layout, mentions, names) -> list[Recommendation]:
    """News: bullet items after 'recommendations:' and sentences reporting them."""
    text = layout.text
    recs: list[Recommendation] = []
    sentences = layout.sentences
    for i, s in enumerate(sentences):
        if not re.search(r"recommend\w*\b[^.]*:\s*$", text[s.start:s.end], re.I):
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
        about = _RECOMMEND.search(chunk) or (m and _RECOMMEND.search(previous))
        previous = chunk
        if not m or not about:
            continue
        start = s.start + m.end()
        for a, b in _split_list(text, start, s.end):
            recs.append(_rec(layout, None, a, b, mentions, names, []))
    return recs


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


def risk_factors(layout: Layout, recs: list[Recommendation]) -> list[RiskFactorMention]:
    """Case risk factors from any sentence of the review except its recommendations."""
    skip = [(e.start, e.end) for r in recs for e in r.evidence]
    concepts = load_vocabulary()["risk_factors"]
    found: dict[str, list[Evidence]] = {}
    for s in layout.sentences:
        if s.block.section in _SKIP_SECTIONS + ("recommendations",):
            continue
        chunk = layout.text[s.start:s.end]
        if _RECOMMEND.search(chunk) or any(a <= s.start < b or s.start <= a < s.end for a, b in skip):
            continue
        for cid in match_concepts(chunk, concepts):
            ev = found.setdefault(cid, [])
            if len(ev) < 3:
                ev.append(_evidence(layout, s))
    return [RiskFactorMention(cid, ev) for cid, ev in found.items()]
