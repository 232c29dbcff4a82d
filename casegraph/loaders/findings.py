"""What a review found and recommended: practice findings with polarity and
themes, recommendations with numbers and addressees, and case risk factors."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate, pairwise
from operator import attrgetter
from typing import Any

from casegraph.loaders.agencies import Mention, mentions_in
from casegraph.loaders.attribution import ALL_AGENCIES, GENERAL, actors, implicated, lead, sole
from casegraph.loaders.entities import NUMBER_WORDS, number
from casegraph.loaders.roles import EVENT, EVENT_SECTIONS, FINDING, NOT_FINDINGS, OPINION, Roles
from casegraph.loaders.structure import Layout, Sentence
from casegraph.schema.record import Evidence, Finding, Recommendation, RiskFactorMention
from casegraph.schema.vocabulary import (
    Concept,
    Gate,
    after_words,
    fold,
    fold_span,
    foldable,
    gate,
    load_vocabulary,
    may_occur,
    scan,
)

__all__ = ["concept_gate", "match_concepts", "match_many", "findings", "recommendations", "risk_factors",
           "stated_count", "Sentences", "Spans"]

# Double quotes, and single ones not inside a word; one character class first lets
# the regex engine skip straight to candidates.
_QUOTE_MARKS = re.compile(r"[\"“”'‘’](?:(?<=[\"“”])|(?<!\w.)|(?!\w))")


def _unquote(text: str) -> str:
    """Drop quotation marks (but not the apostrophe of "boy's") so patterns see the words."""
    return _QUOTE_MARKS.sub(" ", text)


# Shortfall and good-practice cues; a finding needs one or the other, matched on
# folded text at a word start. _GOOD has no leading \b and is run by after_words (see
# contacts._KINDS); _SHORTFALL's many first letters leave the engine little to skip
# ahead to, so its look-behind (after_words' test as a regex) is about twice as fast.
_SHORTFALL = re.compile(
    r"(?<!\w)(?:not|no|never|n't|fail\w*|missed|missing|lack\w*|poor\w*|shortfall\w*|shortcoming\w*|"
    r"should have|could have|would have|without|little evidence|over[- ]?optimistic|over-?reliant|"
    r"criticis\w+|weak\w*|delay\w*|inadequate|insufficient\w*|limited|superficial|"
    r"unclear|gaps?|did not|too heavily|relied|failings?|mislead\w*|declined|unable|face value|"
    r"self-report\w*|over-?reliance|overly|missed chances|information only|stepped down|"
    r"never|nobody|no one|hinder\w*|hamper\w*|pressures?|error\w*|mistakes?|flaw\w*|deficien\w*|"
    r"overlook\w*|underestimat\w*|ignor\w+|too late|fragmented|disjointed|ineffective|unacceptable|"
    r"only once|need for improvement|requires? improvement|wrong\w*|absence|inconsistent\w*|mis-?led|misjudg\w+|"
    r"absent|incomplete|disarray|confus\w+|inactivity|unorthodox|shortages?|excessive|high caseloads?|barriers?|"
    r"drift|neither|(?:very )?little|improvements? (?:is |are |was |were )?(?:needed|required)|needed better|"
    r"issues with|reluctan\w+|assumptions?|too optimistic)\b"
)
# Words that say practice fell short whoever the sentence is about; the others
# ("not", "declined", "limited") do so only in a sentence about agencies: "she
# declined the service" is the family's doing, not a finding. "Concerns" is
# neither: it names a worry raised about someone ("concerns were raised about his
# weight"), which says nothing went wrong.
_STRONG = re.compile(
    r"(?<!\w)(?:fail\w*|missed|lack\w*|poor\w*|shortfall\w*|shortcoming\w*|should (?:not )?have|could have|"
    r"would have|little evidence|over[- ]?optimistic|over-?reliant|criticis\w+|weak\w*|inadequate\w*|"
    r"insufficient\w*|superficial\w*|failings?|too heavily|face value|not (?:sufficiently|properly|adequately|"
    r"fully|effectively|always|robustly)|need for improvement|requires? improvement|hinder\w*|hamper\w*|"
    r"mistakes?|errors?|flaw\w*|deficien\w*|overlook\w*|underestimat\w*|ignor\w+|too late|fragmented|"
    r"disjointed|ineffective|unacceptable|missed chances|gaps?|delay\w*|not (?:\w+ )?(?:shared|assessed|"
    r"recorded|recognised|considered|explored|challenged|followed|identified|seen|acted|referred|escalated|"
    r"taken|carried out|completed|implemented|actioned|met|analysed|addressed|sought|made|reported)|too optimistic|"
    r"did not (?:take place|happen|occur)|there (?:was|were) (?:no|little|limited)|"
    r"no (?:[\w-]+ ){0,3}(?:assessments?|referrals?|plans?|strategy|meetings?|discussions?|lead professional|records?|"
    r"follow-?up|visits?|checks?|escalation|co-?ordination|oversight|supervision)|disarray|incomplete picture|"
    r"inactivity|(?:was|were) absent|(?:staff(?:ing)?) shortages?|excessive (?:case|work)loads?|barriers to|"
    r"drift|(?:very )?little (?:[\w-]+ ){0,2}(?:oversight|curiosity|co-?ordination|challenge|consideration|"
    r"attention|understanding|communication))\b"
)
_GOOD = re.compile(r"(?:good practice|positive\w*|appropriate(?:ly)?|timely|well[- ]co-?ordinated|"
                   r"improved|improvement|effective(?:ly)?|thorough|promptly|strength\w*)\b")
# Statements that deny an effect are not failures ("no evidence this contributed").
_DENIAL = re.compile(
    r"\bno evidence\b[^.]{0,80}\b(?:contribut\w*|impact|difference|bearing|causal|outcome|"
    r"would have changed)|could not have been (?:predicted|prevented)|impossible to (?:say|state|know|predict)",
    re.I,
)
# "While the death could not have been predicted, there were missed opportunities":
# a denial conceded on the way to a shortfall denies nothing.
_CONCEDED = re.compile(r"\b(?:while|whilst|although|though)\b[^.;]*$", re.I)
_YET = re.compile(r"\bbut\b|\bhowever\b|,\s*there (?:was|were)\b", re.I)


def _denies(text: str) -> bool:
    """Whether ``text`` denies an effect (_DENIAL) other than on the way to a shortfall."""
    m = _DENIAL.search(text)
    return m is not None and not (_CONCEDED.search(text, 0, m.start()) or _YET.search(text, m.end()))


_PRAISE = re.compile(r"\bgood practice\b|\bexamples? of (?:good|positive|effective)\b", re.I)
_ANALYSIS = ("analysis", "findings", "conclusions")
_RECOMMEND = re.compile(r"\brecommend\w*", re.I)
_SKIP_SECTIONS = ("contents", "appendices", "methodology")
_NOT_FOUND_IN = (*_SKIP_SECTIONS, "recommendations")


def _recommends(text: str, low: str) -> bool:
    """``_RECOMMEND`` searched in ``text`` (folded: ``low``) only when it can match."""
    return "recommend" in low and _RECOMMEND.search(text) is not None


def _found(pattern: re.Pattern[str], low: str) -> bool:
    """Whether a lower-case cue (_GOOD) starts a word of folded ``low``."""
    return next(after_words(pattern, low), None) is not None


def match_concepts(text: str, concepts: dict[str, Concept]) -> list[str]:
    """Ids of concepts whose patterns match ``text``; a narrower concept matching
    the same words replaces its broader one."""
    return match_many([text], concepts)[0]


def match_many(texts: list[str], concepts: dict[str, Concept]) -> list[list[str]]:
    """``match_concepts`` for each of ``texts``, prepared together (see _prepare)."""
    return _match_prepared(*_prepare(texts), concepts)


def _prepare(texts: list[str]) -> tuple[list[str], list[str] | None]:
    """``texts`` unquoted with white space squeezed, and those lower-cased when the
    word gate can be used on them (None otherwise): joined, in one pass over a
    document instead of one per sentence."""
    # Joined by NUL, which no quote mark (nor the character before it), run of spaces
    # or gate word spans.
    joined = "\0".join(texts)
    if joined.count("\0") != len(texts) - 1:
        return [_squeeze(_unquote(t)) for t in texts], None
    plain = _squeeze(_unquote(joined))
    # The gate is used on lowered text, whose positions must be those of ``plain``;
    # text holding a non-ASCII letter that matches an ASCII one under re.IGNORECASE
    # (see vocabulary.foldable) is matched without it.
    low = plain.lower()
    if len(low) != len(plain) or foldable(plain):
        return plain.split("\0"), None
    return plain.split("\0"), low.split("\0")


def _match_prepared(plains: list[str], lows: list[str] | None, concepts: dict[str, Concept]) -> list[list[str]]:
    """match_concepts of prepared texts: skip each pattern whose required words are
    absent (see vocabulary.Gate), the same result from a fraction of the regex scans."""
    if lows is None:
        return [_match(p, concepts, None) for p in plains]
    passing = concept_gate(concepts).passing(lows)
    # Most sentences let no pattern through: nothing to run for them.
    return [_match(p, concepts, (lo, selected)) if selected else []
            for p, lo, selected in zip(plains, lows, passing, strict=True)]


def concept_gate(concepts: dict[str, Concept]) -> Gate:
    """The gate of a scheme's patterns. Themes and risk factors look at much the same
    sentences: their gates share one word search."""
    vocabulary = load_vocabulary()
    return gate(concepts, together=(vocabulary["themes"], vocabulary["risk_factors"]))


class Sentences:
    """The sentences findings and risk factors are read from (outside the sections
    nothing is found in): their text, folded text and the prepared forms concepts
    are matched on, made once for both."""

    __slots__ = ("items", "texts", "folded", "plains", "lows", "_known")

    def __init__(self, layout: Layout):
        folded = fold_span(layout.text)
        self.items = [s for s in layout.sentences if s.block.section not in _NOT_FOUND_IN]
        self.texts = [layout.text[s.start:s.end] for s in self.items]
        self.folded = [folded(s.start, s.end) for s in self.items]
        self.plains, self.lows = _prepare(self.texts)
        # Matches already made, per concept scheme: findings and the document's
        # themes read many of the same sentences.
        self._known: dict[int, dict[int, list[str]]] = {}

    def match(self, keep: list[int], concepts: dict[str, Concept]) -> list[list[str]]:
        """match_many of the texts of the sentences numbered ``keep``."""
        known = self._known.setdefault(id(concepts), {})
        todo = [i for i in keep if i not in known]
        if todo:
            lows = None if self.lows is None else [self.lows[i] for i in todo]
            known.update(zip(todo, _match_prepared([self.plains[i] for i in todo], lows, concepts), strict=True))
        return [known[i] for i in keep]


def _squeeze(text: str) -> str:
    r"""``re.sub(r"\s+", " ", text)``: str.split knows the same white space as \s and
    is many times faster."""
    words = text.split()
    if not words:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + " ".join(words) + (" " if text[-1].isspace() else "")


def _match(plain: str, concepts: dict[str, Concept],
           gated: tuple[str, list[tuple[str, list[int]]]] | None) -> list[str]:
    """match_concepts on unquoted ``plain``: every pattern, or when ``gated`` gives
    ``plain`` lowered and the (concept id, pattern indexes) worth running, in
    vocabulary order, just those, as their ``fast`` forms on the lowered text."""
    hits: dict[str, list[tuple[int, int]]] = {}
    low = None
    if gated is None:
        for cid, concept in concepts.items():
            _add(hits, cid, concept, plain, [m.span() for p in concept.patterns for m in p.finditer(plain)])
    else:
        low, selected = gated
        for cid, indexes in selected:
            fast = concepts[cid].fast
            # Most runs find nothing: one search says so, then there is nothing to add.
            spans = [span for i in indexes if (m := fast[i].search(low)) for span in scan(fast[i], low, first=m)]
            if spans:
                _add(hits, cid, concepts[cid], plain, spans)
    if not hits:
        return []
    # The names a match lies wholly inside are the same for every concept of a
    # scheme: found once per text.
    within: dict[tuple[re.Pattern[str], ...], list[tuple[int, int]]] = {}
    for cid in list(hits):
        if names := concepts[cid].names:
            if names not in within:
                # A pattern whose required words are absent from the lowered text is not run.
                within[names] = [m.span() for x in names if low is None or may_occur(x, plain, low)
                                 for m in x.finditer(plain)]
            if not within[names]:
                continue
            spans = [s for s in hits[cid] if not any(a <= s[0] and s[1] <= b for a, b in within[names])]
            if spans:
                hits[cid] = spans
            else:
                del hits[cid]
    for cid in list(hits):
        for broader in concepts[cid].broader:
            if broader in hits:
                rest = [s for s in hits[broader] if not any(_cover(s, n) for n in hits[cid])]
                if rest:
                    hits[broader] = rest
                else:
                    del hits[broader]
    return sorted(hits)


def _add(hits: dict[str, list[tuple[int, int]]], cid: str, concept: Concept, plain: str,
         spans: list[tuple[int, int]]) -> None:
    """Record a concept's ``spans`` in ``plain`` less those its exclusions cover."""
    # Exclusions only remove matches, so are looked for only when there are some.
    if spans and any(x.search(plain) for x in concept.exclusions):
        spans = [s for s in spans if not any(x.search(plain, max(0, s[0] - 20), s[1] + 20)
                                             and _overlaps(x, plain, s) for x in concept.exclusions)]
    if spans:
        hits[cid] = spans


def _overlaps(pattern: re.Pattern[str], text: str, span: tuple[int, int]) -> bool:
    return any(m.start() <= span[0] and m.end() >= span[1] or
               (m.start() < span[1] and m.end() > span[0]) for m in pattern.finditer(text))


def _cover(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _evidence(layout: Layout, s: Sentence) -> Evidence:
    return Evidence(s.start, s.end, s.block.number, layout.text[s.start:s.end])


# A sentence opening with one of these goes on about whoever the one before it named.
_PRONOUN = re.compile(r"(?:They|He|She|It|This|These)\b")


# Where a sentence joins clauses of its own: "the ward did not ..., and the GP did not ...".
_CLAUSE = re.compile(r";|,\s*(?:and|but|while|whereas|although)\s+|\s+but\s+")


def _of_themed_clauses(text: str, s: Sentence, themes: list[str], mentions: list[Mention],
                       names: dict[tuple[int, int], str]) -> list[str]:
    """The actors of the clauses of sentence ``s`` that state one of its ``themes``,
    when some clause names actors but states none: "hospital staff did not see the
    fracture, and social workers did not record the bruise" is not the hospital's
    record-keeping. Empty when that does not apply."""
    cuts = [s.start, *(m.end() for m in _CLAUSE.finditer(text, s.start, s.end)), s.end]
    if len(cuts) < 3:
        return []
    vocabulary = load_vocabulary()["themes"]
    kept: list[str] = []
    idle = False
    for a, b in pairwise(cuts):
        who = actors(text, mentions_in(mentions, a, b), names)
        if not who:
            continue
        if set(match_concepts(text[a:b], vocabulary)) & set(themes):
            kept += [n for n in who if n not in kept]
        else:
            idle = True
    return kept if idle else []


def findings(layout: Layout, sentences: Sentences, mentions: list[Mention],
             names: dict[tuple[int, int], str], role_of: Roles,
             by_type: dict[str, str]) -> list[Finding]:
    """Sentences whose role is a finding and that state a shortfall or good practice
    on a theme, with the agencies they implicate (see attribution)."""
    # Themes first: most sentences name none, and their role is never needed.
    keep = [i for i, (text, low) in enumerate(zip(sentences.texts, sentences.folded, strict=True))
            if not (("no evidence" in low or "could not have been" in low or "impossible to" in low)
                    and _denies(text)) and not _event(sentences, i, role_of)]
    themed = [(i, ids) for i, ids in zip(keep, sentences.match(keep, load_vocabulary()["themes"]), strict=True)
              if (ids or "good practice" in sentences.folded[i] or "example" in sentences.folded[i])
              and role_of.get(sentences.items[i].start) == FINDING and not _contents_line(sentences.texts[i])]
    # Their risk factors, matched together now rather than one by one (see _condition_only).
    sentences.match([i for i, _ in themed], load_vocabulary()["risk_factors"])
    out = []
    framing: list[str] | None = None
    only = sole(by_type)
    carried: dict[int, list[str]] = {}
    # Where the sentence before each one starts, when both are in one paragraph
    # (a block, or one line of it: news puts a paragraph on a line).
    previous = {s.start: p.start for p, s in pairwise(layout.sentences)
                if p.block is s.block and "\n" not in layout.text[p.end:s.start]
                # a finding opening with a pronoun continues the one before it across a paragraph break
                or _PRONOUN.match(layout.text, s.start)
                # a list item continues the sentence that introduces the list
                or layout.text[p.start:p.end].rstrip().endswith(":") and _LIST_ITEM.match(
                    layout.text, layout.text.rfind("\n", 0, s.start) + 1, s.start + 1)}
    for i, ids in themed:
        s, text, low = sentences.items[i], sentences.texts[i], sentences.folded[i]
        # A report's analysis may praise practice in words no theme knows; keep it.
        praised = (s.block.section in _ANALYSIS and ("good practice" in low or "example" in low)
                   and _PRAISE.search(text))
        if not ids and not praised:
            continue
        # A weak cue ("not", "limited") falls short only in a sentence about agencies
        # that act in it: not one about what a partnership found.
        if _SHORTFALL.search(low) and (_STRONG.search(_unquote(low)) or GENERAL.search(text)
                                       or actors(layout.text, mentions_in(mentions, s.start, s.end), names)) \
                and not _condition_only(sentences, i):
            polarity = "shortfall"
        elif _found(_GOOD, low):
            polarity = "good-practice"
        else:
            continue
        if framing is None:
            # An article's first finding, if it opens the text, frames the rest.
            opening = s.start < 600 and not any(x.block.section for x in sentences.items[:3])
            framing = lead(layout.text, (s.start, s.end) if opening else None, mentions, names)
        before = previous.get(s.start)
        agencies = implicated(layout.text, s.start, s.end, mentions, names, before,
                              framing or only, by_type, carried.get(before))
        if len(agencies) > 1 and ALL_AGENCIES not in agencies:
            agencies = _of_themed_clauses(layout.text, s, ids, mentions, names) or agencies
        # What a finding after it that names nobody goes on about.
        if agencies != [ALL_AGENCIES]:
            carried[s.start] = agencies
        # The quote is the text itself: one string, pickled once on its way to the writer.
        out.append(Finding(text=text, polarity=polarity, themes=ids, agencies=agencies,
                           evidence=[Evidence(s.start, s.end, s.block.number, text)]))
    return out


def _condition_only(sentences: Sentences, i: int) -> bool:
    """Whether every shortfall cue of sentence ``i`` lies within a risk factor's words:
    the subject's or family's condition or conduct ("declined care", "failed to
    attend", "poor mental health"), not practice falling short."""
    risks = load_vocabulary()["risk_factors"]
    ids = sentences.match([i], risks)[0]
    if not ids:
        return False
    plain = sentences.plains[i]
    if sentences.lows is None:
        within = [m.span() for cid in ids for p in risks[cid].patterns for m in p.finditer(plain)]
    else:  # the fast forms on the lowered text: the same spans
        low = sentences.lows[i]
        within = [span for cid in ids for p in risks[cid].fast if p.search(low) for span in scan(p, low)]
    return all(any(a <= m.start() and m.end() <= b for a, b in within) for m in _SHORTFALL.finditer(fold(plain)))


# A line of a contents list (dot leaders, a page number) names a section, states nothing.
_CONTENTS_LINE = re.compile(r"\.{4}|…{2}|\bPage \d")


def _contents_line(text: str) -> bool:
    # str's ``in`` rules out most sentences many times faster than the regex.
    return ("...." in text or "……" in text or "Page " in text) and _CONTENTS_LINE.search(text) is not None


def _event(sentences: Sentences, i: int, role_of: Roles) -> bool:
    """Whether sentence ``i`` is a chronology's event: its themes count for nothing,
    so they are not looked for (a report's chronology is much of its text)."""
    return sentences.items[i].block.section in EVENT_SECTIONS and role_of.get(sentences.items[i].start) == EVENT


def stated_themes(sentences: Sentences, role_of: Roles) -> set[str]:
    """Every theme a sentence of the text names, whatever its role, except events, lines
    of a contents list and the sections that describe the review rather than practice:
    what the text states."""
    keep = [i for i, s in enumerate(sentences.items) if s.block.section not in NOT_FINDINGS
            and not _event(sentences, i, role_of)]
    return {t for i, ids in zip(keep, sentences.match(keep, load_vocabulary()["themes"]), strict=True)
            if ids and role_of.get(sentences.items[i].start) != EVENT
            and not _contents_line(sentences.texts[i]) for t in ids}


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
_LIST_ITEM = re.compile(r"\s*(?:(\d{1,2})[.)]|[-•*▪·●◦○■])\s+")
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
    r"\b(?:makes?|made|making|gave|gives?|issued|issues|contains?|sets? out|total of|with|"
    r"includes?|identifie[sd]|outlines?|lists?|leads? to|led to|resulted in|produced)\s+"
    r"(?:a total of\s+|the following\s+)?"
    rf"(?P<n>\d{{1,2}}|{'|'.join(NUMBER_WORDS)})"
    r" (?:key |main |further |separate |new )?recommendations\b"
    rf"|\b(?P<n2>\d{{1,2}}|{'|'.join(NUMBER_WORDS)}) (?:key |main |further |new )?"
    r"recommendations (?:have been|had been|were|are|was|been) (?:made|set out|agreed)"
    rf"|\b(?:its|their|the|review['’]s|report['’]s|series of|all|of)\s+(?P<n3>\d{{1,2}}|{'|'.join(NUMBER_WORDS)})"
    r" (?:key |main |further |new )?recommendations\b"
    rf"|\brecommend(?:s|ed)\s+(?P<n4>\d{{1,2}}|{'|'.join(NUMBER_WORDS)}) (?:key |main |further |new )?"
    r"(?:steps|changes|actions|improvements|measures)\b",
    re.I,
)


def stated_count(layout: Layout) -> tuple[int | None, Evidence | None]:
    """A number of recommendations the text states ("makes seven recommendations")."""
    folded = fold_span(layout.text)
    for s in layout.sentences:
        # Every match holds the word, which str's ``in`` looks for far faster than the
        # regex (on folded text: see vocabulary.fold).
        if "recommendations" not in folded(s.start, s.end):
            continue
        chunk = layout.text[s.start:s.end]
        m = _COUNT.search(chunk)
        if m and s.block.section not in ("contents", "appendices"):
            n = number(m.group("n") or m.group("n2") or m.group("n3") or m.group("n4"))
            if n:
                return n, Evidence(s.start + m.start(), s.start + m.end(), s.block.number, m.group(0))
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


def _reported(layout, mentions, names, role_of: Roles) -> list[Recommendation]:
    """News: bullet items after 'recommendations:' and sentences reporting them
    (not someone's words about recommendations: those whose role is an opinion)."""
    text = layout.text
    recs: list[Recommendation] = []
    sentences = [s for s in layout.sentences
                 if "ecommend" not in text[s.start:s.end] or role_of.get(s.start) != OPINION]
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


class Spans:
    """Spans that a sentence touches when one holds its start or starts inside it,
    found by bisection (each sentence against each span was quadratic)."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        # The furthest end of the spans up to each one: whether any holds a position.
        self.reach = list(accumulate((b for _, b in spans), max))

    def touch(self, start: int, end: int) -> bool:
        """``any(a <= start < b or start <= a < end for a, b in spans)``."""
        i = bisect_right(self.starts, start)
        if i and self.reach[i - 1] > start:
            return True
        j = bisect_left(self.starts, start)
        return j < len(self.starts) and self.starts[j] < end


_START = attrgetter("start")
_PARENTAL = ("parental-mental-health", "parental-substance-misuse")
_PARENT = re.compile(r"\b(?:mother|mothers|mum|father|fathers|dad|parents?|parental|carers?|partners?|"
                     r"step-?(?:father|mother|parent)|boyfriend|girlfriend|husband|wife|grand(?:mother|father|parents?)|"
                     r"couple|adults? in the (?:household|home)|household|Mr|Mrs|Ms)\b", re.I)


def _of_a_parent(layout: Layout, s: Sentence) -> bool:
    """Whether the sentence, or the one before it in its block, names a parent or carer."""
    if _PARENT.search(layout.text, s.start, s.end):
        return True
    i = bisect_left(layout.sentences, s.start, key=_START) - 1
    return i >= 0 and layout.sentences[i].block is s.block and bool(
        _PARENT.search(layout.text, layout.sentences[i].start, layout.sentences[i].end))


def risk_factors(layout: Layout, sentences: Sentences, recs: list[Recommendation],
                 older_child: bool = False) -> list[RiskFactorMention]:
    """Case risk factors from any sentence of the review except its recommendations.
    ``older_child``: the review is about a child old enough to have such risks of
    their own, so a parent's must be stated of a parent."""
    skip = Spans([(e.start, e.end) for r in recs for e in r.evidence])
    keep = [i for i, (s, text, low) in enumerate(zip(sentences.items, sentences.texts, sentences.folded, strict=True))
            if not (_recommends(text, low) or skip.touch(s.start, s.end))]
    found: dict[str, list[Evidence]] = {}
    for i, ids in zip(keep, sentences.match(keep, load_vocabulary()["risk_factors"]), strict=True):
        for cid in ids:
            # A parent's mental health or drug use is stated of a parent: the same
            # words about the teenager or adult the review is about are not it.
            if older_child and cid in _PARENTAL and not _of_a_parent(layout, sentences.items[i]):
                continue
            ev = found.setdefault(cid, [])
            if len(ev) < 3:
                ev.append(_evidence(layout, sentences.items[i]))
    return [RiskFactorMention(cid, ev) for cid, ev in found.items()]
