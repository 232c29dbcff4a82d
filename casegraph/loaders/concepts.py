"""Which vocabulary concepts (themes, risk factors) a text states: each pattern run
only on the sentences whose words let it match (see gates.Gate), on text with
quotation marks dropped and white space squeezed; a narrower concept matching the
same words replaces its broader one."""

from __future__ import annotations

import re

from casegraph.loaders.structure import Layout
from casegraph.schema.gates import Gate, gate, may_occur, scan, scans_any
from casegraph.schema.vocabulary import Concept, fold_span, foldable, load_vocabulary

__all__ = ["concept_gate", "match_concepts", "match_many", "Sentences", "unquote", "squeeze"]

# Double quotes, and single ones not inside a word; one character class first lets
# the regex engine skip straight to candidates.
_QUOTE_MARKS = re.compile(r"[\"“”'‘’](?:(?<=[\"“”])|(?<!\w.)|(?!\w))")


def unquote(text: str) -> str:
    """Drop quotation marks (but not the apostrophe of "boy's") so patterns see the words."""
    return _QUOTE_MARKS.sub(" ", text)



_SKIP_SECTIONS = ("contents", "appendices", "methodology")
_NOT_FOUND_IN = (*_SKIP_SECTIONS, "recommendations")


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
        return [squeeze(unquote(t)) for t in texts], None
    plain = squeeze(unquote(joined))
    # The gate is used on lowered text, whose positions must be those of ``plain``;
    # text holding a non-ASCII letter that matches an ASCII one under re.IGNORECASE
    # (see vocabulary.foldable) is matched without it.
    low = plain.lower()
    if len(low) != len(plain) or foldable(plain):
        return plain.split("\0"), None
    return plain.split("\0"), low.split("\0")


def _match_prepared(plains: list[str], lows: list[str] | None, concepts: dict[str, Concept]) -> list[list[str]]:
    """match_concepts of prepared texts: skip each pattern whose required words are
    absent (see gates.Gate), the same result from a fraction of the regex scans."""
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


def squeeze(text: str) -> str:
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
    # A concept's spans, or None when it has one and the rest are not needed yet:
    # only exclusions, names and a narrower concept look at them, and most matches
    # meet none, so one match starting a word settles the concept.
    hits: dict[str, list[tuple[int, int]] | None] = {}
    pending: dict[str, list[int]] = {}
    low = None
    if gated is None:
        for cid, concept in concepts.items():
            _add(hits, cid, concept, plain, [m.span() for p in concept.patterns for m in p.finditer(plain)])
    else:
        low, selected = gated
        for cid, indexes in selected:
            fast = concepts[cid].fast
            # Most runs find nothing: one search says so.
            for i in indexes:
                if (m := fast[i].search(low)) is not None and scans_any(fast[i], low, m):
                    break
            else:
                continue
            if concepts[cid].exclusions:
                _add(hits, cid, concepts[cid], plain, _spans(concepts[cid], indexes, low))
            else:
                hits[cid], pending[cid] = None, indexes
    if not hits:
        return []

    def spans(cid: str) -> list[tuple[int, int]]:
        found = hits[cid]
        if found is None:
            found = hits[cid] = _spans(concepts[cid], pending[cid], low)
        return found

    # The names a match lies wholly inside are the same for every concept of a
    # scheme: found once per text (kept by the names' id: hashing patterns hashes
    # their compiled code).
    within: dict[int, list[tuple[int, int]]] = {}
    for cid in list(hits):
        if names := concepts[cid].names:
            inside = within.get(id(names))
            if inside is None:
                # A pattern whose required words are absent from the lowered text is not run.
                inside = within[id(names)] = [m.span() for x in names if low is None or may_occur(x, plain, low)
                                              for m in x.finditer(plain)]
            if not inside:
                continue
            kept = [s for s in spans(cid) if not any(a <= s[0] and s[1] <= b for a, b in inside)]
            if kept:
                hits[cid] = kept
            else:
                del hits[cid]
    for cid in list(hits):
        for broader in concepts[cid].broader:
            if broader in hits:
                rest = [s for s in spans(broader) if not any(_cover(s, n) for n in spans(cid))]
                if rest:
                    hits[broader] = rest
                else:
                    del hits[broader]
    return sorted(hits)


def _spans(concept: Concept, indexes: list[int], low: str) -> list[tuple[int, int]]:
    """The spans of a concept's ``fast`` patterns numbered ``indexes`` in ``low``."""
    return [span for i in indexes for span in scan(concept.fast[i], low)]


def _add(hits: dict[str, list[tuple[int, int]] | None], cid: str, concept: Concept, plain: str,
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
