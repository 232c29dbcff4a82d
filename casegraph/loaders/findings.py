"""What a review found: practice findings with polarity, themes and the agencies
they implicate, the themes the text states, and case risk factors (the concepts a
sentence names come from concepts.py, recommendations from recommendations.py)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate, pairwise
from operator import attrgetter

from casegraph.loaders.agencies import Mention, mentions_in
from casegraph.loaders.attribution import ALL_AGENCIES, GENERAL, actors, implicated, lead, sole
from casegraph.loaders.concepts import Sentences, concept_gate, match_concepts, unquote
from casegraph.loaders.recommendations import LIST_ITEM, RECOMMEND
from casegraph.loaders.roles import EVENT, FINDING, NOT_FINDINGS, Roles
from casegraph.loaders.structure import Layout, Sentence
from casegraph.schema.gates import scan
from casegraph.schema.record import Evidence, Finding, Recommendation, RiskFactorMention
from casegraph.schema.vocabulary import after_words, either, fold, load_vocabulary

__all__ = ["findings", "risk_factors", "stated_themes", "Spans"]

# A breakdown of agencies' working, not someone's own ("after her breakdown in 2014").
_BREAKDOWN = (r"breakdowns? (?:in|of) (?:the )?(?:[\w-]+ )?"
              r"(?:communication|information|liaison|co-?ordination|working)\b")

# Shortfall and good-practice cues; a finding needs one or the other, matched on
# folded text at a word start. _GOOD has no leading \b and is run by after_words (see
# contacts._KINDS); _SHORTFALL's many first letters leave the engine little to skip
# ahead to, so its look-behind (after_words' test as a regex) is about twice as fast.
_SHORTFALL = re.compile(
    r"(?<!\w)(?:not|no|never|fail\w*|missed|missing|lack\w*|poor\w*|shortfall\w*|shortcoming\w*|overburden\w*|"
    rf"{_BREAKDOWN}|"
    r"should (?:\w+ )?have|(?:could|would) (?!not\b)(?:\w+ )?have|without|little evidence|"
    r"took (?!place\b)(?:\w+ ){0,3}(?:days|weeks|months|years) (?:before|to|for)|over[- ]?optimistic|over-?reliant|"
    r"criticis\w+|weak\w*|delay\w*|inadequate|insufficient\w*|limited|superficial|"
    r"unclear|gaps?|did not|too heavily|relied|failings?|mislead\w*|declined|unable|face value|"
    r"self-report\w*|over-?reliance|overly|missed chances|information only|stepped down|"
    r"never|nobody|no one|hinder\w*|hamper\w*|pressures?|error\w*|mistakes?|flaw\w*|deficien\w*|"
    r"overlook\w*|underestimat\w*|ignor\w+|too late|fragmented|disjointed|ineffective|unacceptable|"
    r"only once|need for improvement|requires? improvement|wrong\w*|absence|inconsistent\w*|mis-?led|misjudg\w+|"
    r"absent|incomplete|disarray|confus\w+|inactivity|unorthodox|shortages?|excessive|(?:high|heavy|unmanageable) "
    r"(?:case|work)loads?|barriers?|too (?:easily|readily)|untrained|"
    r"drift|neither|(?:very )?little|improvements? (?:is |are |was |were )?(?:needed|required)|needed better|"
    r"issues with|reluctan\w+|assumptions?|too optimistic|\w+n['’]t|f[ae]ll short|falls short|rarely|"
    r"nothing(?! to (?:suggest|indicate|show))|"
    r"inappropriate\w*|condemn\w*|critical of|understaff\w*|struggl\w*|naive|over-?simplistic|invisible)\b"
)
# Words that say practice fell short whoever the sentence is about; the others
# ("not", "declined", "limited") do so only in a sentence about agencies: "she
# declined the service" is the family's doing, not a finding. "Concerns" is
# neither: it names a worry raised about someone ("concerns were raised about his
# weight"), which says nothing went wrong.
_STRONG = re.compile(
    r"(?<!\w)(?:fail\w*|missed|lack\w*|poor\w*|shortfall\w*|shortcoming\w*|should (?:\w+ )?(?:not )?have|"
    r"(?:could|would) (?!not\b)(?:\w+ )?have|little evidence|over[- ]?optimistic|over-?reliant|criticis\w+|"
    r"weak\w*|inadequate\w*|"
    r"insufficient\w*|superficial\w*|failings?|too heavily|face value|not (?:sufficiently|properly|adequately|"
    r"fully|effectively|always|robustly)|need for improvement|requires? improvement|hinder\w*|hamper\w*|"
    rf"mistakes?|errors?|flaw\w*|deficien\w*|overlook\w*|underestimat\w*|ignor\w+|too late|fragmented|{_BREAKDOWN}|"
    r"disjointed|ineffective|unacceptable|missed chances|gaps?|delay\w*|(?:not|\w+n['’]t) (?:\w+ )?(?:shared|assessed|"
    r"recorded|recognised|considered|explored|challenged|followed|identified|seen|acted|referred|escalated|"
    r"taken|carried out|completed|implemented|actioned|met|analysed|addressed|sought|made|reported|investigated|"
    r"questioned|monitored|reviewed|visited|heard|trained)|too optimistic|"
    r"too (?:easily|readily) (?:reassured|accepted|satisfied|persuaded)|untrained|without (?:any )?training|"
    # "was rarely seen", not what a child or parent rarely did ("rarely visited her
    # father"); "no response" from services, not the reply a parent gave.
    r"(?:high|heavy|unmanageable|excessive) (?:case|work)loads?|rarely (?:\w+ )?(?:seen|heard|visited|spoken|asked)"
    r"(?! (?:her|his|their|the|a|an)\b)|(?<!gave )(?<!showed )no (?:[\w-]+ ){0,2}(?:approach|response)|"
    r"unclear (?:as to )?(?:who|whether)|"
    r"no evidence (?:of|that) (?:[\w'’-]+ ){0,5}(?:assessed|considered|explored|recorded|discussed|shared|sought)|"
    r"did not (?:take place|happen|occur)|there (?:was|were) (?:no|little|limited)|"
    r"no (?:[\w-]+ ){0,3}(?:assessments?|referrals?|plans?|strategy|meetings?|discussions?|lead professional|records?|"
    r"follow-?up|visits?|checks?|escalation|co-?ordination|oversight|supervision)|disarray|incomplete picture|"
    r"inactivity|(?:was|were) absent|f[ae]ll short|falls short|inappropriate\w*|condemn\w*|critical of|"
    r"understaff\w*|naive|over-?simplistic|(?:staff(?:ing)?) shortages?|barriers to|"
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


def _recommends(text: str, low: str) -> bool:
    """``RECOMMEND`` searched in ``text`` (folded: ``low``) only when it can match."""
    return "recommend" in low and RECOMMEND.search(text) is not None


def _found(pattern: re.Pattern[str], low: str) -> bool:
    """Whether a lower-case cue (_GOOD) starts a word of folded ``low``."""
    return next(after_words(pattern, low), None) is not None


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
    # Themes first: most sentences name none, and their role is never needed. Events and
    # the sections that describe the review are no findings (see roles.Roles).
    events = role_of.events()
    keep = [i for i, (s, text, low) in enumerate(zip(sentences.items, sentences.texts, sentences.folded, strict=True))
            if s.start not in events and s.block.section not in NOT_FINDINGS
            and not (("no evidence" in low or "could not have been" in low or "impossible to" in low)
                     and _denies(text))]
    themed = [(i, ids) for i, ids in zip(keep, sentences.match(keep, load_vocabulary()["themes"]), strict=True)
              if (ids or "good practice" in sentences.folded[i] or "example" in sentences.folded[i])
              and role_of.get(sentences.items[i].start) == FINDING and not _contents_line(sentences.texts[i])]
    # Their risk factors, matched together rather than one by one (see _condition_only).
    risks = dict(zip((i for i, _ in themed), sentences.match([i for i, _ in themed],
                                                             load_vocabulary()["risk_factors"]), strict=True))
    out = []
    framing: list[str] | None = None
    only = sole(by_type)
    carried: dict[int, list[str]] = {}
    for i, ids in themed:
        s, text, low = sentences.items[i], sentences.texts[i], sentences.folded[i]
        # A report's analysis may praise practice in words no theme knows; keep it.
        praised = (s.block.section in _ANALYSIS and ("good practice" in low or "example" in low)
                   and _PRAISE.search(text))
        if not ids and not praised:
            continue
        # A weak cue ("not", "limited") falls short only in a sentence about agencies
        # that act in it: not one about what a partnership found.
        if _SHORTFALL.search(low) and (_STRONG.search(unquote(low)) or GENERAL.search(text)
                                  or actors(layout.text, mentions_in(mentions, s.start, s.end), names)) \
                and not _condition_only(sentences, i, risks[i]):
            polarity = "shortfall"
        elif _found(_GOOD, low):
            polarity = "good-practice"
        else:
            continue
        if polarity == "shortfall" and any(w in low for w in _CONTRAST_WORDS) and _CONTRAST.search(text) \
                and _found(_GOOD, low):
            # "positive information sharing, but delays in responses": the themes
            # of the clause that praises are not what fell short.
            ids = _fallen_short(text, ids)
            if not ids:
                continue
        if framing is None:
            # An article's first finding, if it opens the text, frames the rest.
            opening = s.start < 600 and not any(x.block.section for x in sentences.items[:3])
            framing = lead(layout.text, (s.start, s.end) if opening else None, mentions, names)
        before = _previous(layout, role_of.index[s.start])
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


# The words that turn a sentence: a fast look for them ("though" in "although") comes first.
_CONTRAST_WORDS = ("but", "however", "yet", "whereas", "although", "though")
_CONTRAST = re.compile(rf"\b{either(_CONTRAST_WORDS)}\b", re.I)
_ELLIPTICAL = re.compile(rf"\W*{either(_CONTRAST_WORDS)}\W+"
                         r"(?:(?:it|this|that|they) (?:was|were|is|are) )?"
                         r"(?:not|never|too|rarely|seldom|inconsistent\w*|limited|patchy|sporadic|late|slow)\b")


def _fallen_short(text: str, ids: list[str]) -> list[str]:
    """The themes of a contrasted sentence less those only its praising clauses name
    (a clause with a good-practice cue and no shortfall cue), unless a clause with
    nothing of its own faults what was praised ("effective, but not consistent")."""
    cuts = [0, *(m.start() for m in _CONTRAST.finditer(text)), len(text)]
    vocabulary = load_vocabulary()["themes"]
    praised: set[str] = set()
    kept: set[str] = set()
    for a, b in pairwise(cuts):
        clause = text[a:b]
        low = fold(clause)
        found = set(match_concepts(clause, vocabulary)) & set(ids)
        if _found(_GOOD, low) and not _SHORTFALL.search(low):
            praised |= found
        else:
            kept |= found
        if not found and _ELLIPTICAL.match(low):
            return ids
    return [t for t in ids if t in kept or t not in praised]


def _previous(layout: Layout, k: int) -> int | None:
    """Where the sentence before sentence ``k`` of ``layout`` starts, when both are in
    one paragraph (a block, or one line of it: news puts a paragraph on a line)."""
    if not k:
        return None
    p, s, text = layout.sentences[k - 1], layout.sentences[k], layout.text
    if (p.block is s.block and "\n" not in text[p.end:s.start]
            # a finding opening with a pronoun continues the one before it across a paragraph break
            or _PRONOUN.match(text, s.start)
            # a list item continues the sentence that introduces the list
            or text[p.start:p.end].rstrip().endswith(":")
            and LIST_ITEM.match(text, text.rfind("\n", 0, s.start) + 1, s.start + 1)):
        return p.start
    return None


def _condition_only(sentences: Sentences, i: int, ids: list[str]) -> bool:
    """Whether every shortfall cue of sentence ``i`` lies within the words of its risk
    factors ``ids``: the subject's or family's condition or conduct ("declined care",
    "failed to attend", "poor mental health"), not practice falling short."""
    if not ids:
        return False
    risks = load_vocabulary()["risk_factors"]
    plain = sentences.plains[i]
    if sentences.lows is None:
        low = fold(plain)
        within = [m.span() for cid in ids for p in risks[cid].patterns for m in p.finditer(plain)]
    else:  # the fast forms on the lowered text (fold(plain) too): the same spans, of the patterns its gate lets through
        low = sentences.lows[i]
        within = [span for cid, indexes in concept_gate(risks).passing([low])[0] if cid in ids
                  for k in indexes if (p := risks[cid].fast[k]).search(low) for span in scan(p, low)]
    return all(any(a <= m.start() and m.end() <= b for a, b in within) for m in _SHORTFALL.finditer(low))


# A line of a contents list (dot leaders, a page number) names a section, states nothing;
# a page number before a colon ("Page 2: ...") is a document viewer's page mark, not a
# reference to a page.
_CONTENTS_LINE = re.compile(r"\.{4}|…{2}|\bPage \d+(?!\d|:)")


def _contents_line(text: str) -> bool:
    # str's ``in`` rules out most sentences many times faster than the regex.
    return ("...." in text or "……" in text or "Page " in text) and _CONTENTS_LINE.search(text) is not None


def _events(sentences: Sentences, role_of: Roles) -> set[int]:
    """The sentences that are a chronology's events: their themes count for nothing,
    so they are not looked for (a report's chronology is much of its text)."""
    starts = role_of.events()
    return {i for i, s in enumerate(sentences.items) if s.start in starts} if starts else set()


def stated_themes(sentences: Sentences, role_of: Roles) -> set[str]:
    """Every theme a sentence of the text names, whatever its role, except events, lines
    of a contents list and the sections that describe the review rather than practice:
    what the text states."""
    events = _events(sentences, role_of)
    keep = [i for i, s in enumerate(sentences.items) if s.block.section not in NOT_FINDINGS and i not in events]
    return {t for i, ids in zip(keep, sentences.match(keep, load_vocabulary()["themes"]), strict=True)
            if ids and role_of.get(sentences.items[i].start) != EVENT
            and not _contents_line(sentences.texts[i]) for t in ids}


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
