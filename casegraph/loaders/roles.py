"""Sentence roles: what each sentence of a review does — a finding of the review,
a recommendation, a chronology event, a quoted opinion of someone other than the
review, or context. Findings are read from finding sentences only; themes from
findings, recommendations and reported opinions alike."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from itertools import accumulate
from typing import Any

from casegraph.loaders.structure import Layout, Sentence
from casegraph.schema.gates import WordGroups
from casegraph.schema.vocabulary import find_all, matches_at, word_start

__all__ = ["Roles", "states_fault", "judging_starts", "NOT_FINDINGS", "EVENT_SECTIONS", "FINDING", "OPINION",
           "EVENT", "CONTEXT", "RECOMMENDATION", "LEARNING"]

FINDING, OPINION, EVENT, CONTEXT, RECOMMENDATION, LEARNING = (
    "finding", "opinion", "event", "context", "recommendation", "learning")

# Report sections whose sentences state what the review found.
_FOUND_IN = ("analysis", "findings", "conclusions")
# Sections that never do: their sentences are events or context.
EVENT_SECTIONS = ("chronology",)
NOT_FINDINGS = ("contents", "appendices", "methodology", "terms-of-reference", "family")

# Who speaks, when it is not the review: politicians, campaigners, spokespeople,
# relatives. Matched on the sentence and the one before it (a quote and its speaker
# are often split over two sentences).
_SPEAKER = re.compile(
    r"\b(?:council(?:l)?or|cllr|mp\b|m\.p\.|msp\b|ms\b(?= \w+ said)|minister|secretary of state|"
    r"shadow \w+|mayor|campaigner\w*|spokes(?:person|man|woman)|a spokes|labour|conservative|tory|"
    r"lib dem|liberal democrat|snp\b|plaid|leader of the (?:council|opposition)|opposition|"
    r"(?:her|his|the (?:boy|girl|child)['’]s) (?:family|mother|father|grandmother|grandfather|aunt|uncle)|"
    r"relatives?|charity|nspcc|barnardo|(?:the |her |his |their )family (?:of|members?|say|said|believe)|loved ones|"
    r"(?:her|his|their) (?:son|daughter|brother|sister|child)['’]s|in a statement|statement from|apologi[sz]\w*|sorry)",
)
# The review (or its author, panel, chair) as the one who says it.
_REVIEW_SAYS = re.compile(
    r"\b(?:review|report|reviewer|author|panel|inquiry|inquest|scr|cspr|sar|dhr|findings?|"
    r"the document)\b[^.]{0,60}?\b(?:found|finds|said|says|stated?|states|"
    r"concluded|concludes|highlight\w*|identifi\w+|criticis\w+|noted|notes|revealed|reveals|"
    r"pointed|points|describ\w+|raised|raises|showed|shows|judged|accepted|added|adds|warned|"
    r"acknowledg\w+|recognis\w+|question\w*|determined|established|uncover\w*|expos(?:ed|es)|cited|cites)\b"
    r"|\b(?:according to|the review found|the report found|it found|it said)\b",
)
# Words that judge practice rather than tell what happened.
_JUDGES = re.compile(
    r"\b(?:should have|could have|would have|fell short|fail(?:ed|ure|ing)? to|not (?:sufficiently|fully|"
    r"adequately|properly|effectively|appropriately|robustly)|no (?:clear )?rationale|missed (?:an? |the )?"
    r"opportunit\w+|lack(?:ed|ing)? (?:of )?|insufficient\w*|inadequate\w*|superficial\w*|over-?optimistic|"
    r"over-?reliant|too heavily|without (?:any |further |an? )?(?:assessment|challenge|rationale)|"
    r"not challenged|not explored|not recognised|not considered|not shared|not known|unaware)",
)
# Words one of which every _JUDGES match starts with: found by one automaton pass over
# a chronology (much of a report; str.find per word, as after_words does, takes twice
# as long for these), and _JUDGES tried only there.
_JUDGE_STARTS = ("should have", "could have", "would have", "fell short", "fail", "not ", "no ", "missed", "lack",
                 "insufficient", "inadequate", "superficial", "over", "too heavily", "without", "unaware")


@cache
def _judge_starts() -> Any:
    from ahocorasick_rs import AhoCorasick

    return AhoCorasick(list(_JUDGE_STARTS))


def judging_starts(low: str) -> Iterator[int]:
    """Where _JUDGES matches in lower-case ``low``, as its ``finditer`` would find them."""
    starts = sorted({s for _, s, _ in _judge_starts().find_matches_as_indexes(low, overlapping=True)})
    return (m.start() for m in matches_at(_JUDGES, low, (s for s in starts if word_start(low, s))))


_LEARNS = re.compile(
    r"\b(?:importance of|(?:is|are|was|were) (?:essential|vital|crucial|key|important)|needs? to|must|"
    r"will (?:be|now|continue|look|work)|should(?! have)|learning (?:points?|themes?|from)|lessons? (?:for|to be)|"
    r"(?:has|have) (?:since )?been (?:improved|introduced|strengthened|updated|developed|reviewed))\b",
)
_WENT_WRONG = re.compile(
    r"\b(?:should (?:\w+ )?(?:not )?have|shouldn['’]t have|could have|would have|fell short|ignor\w+|overlook\w*|"
    r"very little|no-?one was|not clear|unclear|fail(?:ed|ure|ings?)?|did not|didn['’]t|was not|were not|wasn['’]t|"
    r"weren['’]t|had not|missed|lack(?:ed|ing)?|no (?:\w+ ){0,3}(?:was|were)|not (?:\w+ )?(?:seen|shared|assessed|"
    r"considered|recognised|followed|explored|challenged|identified|recorded)|too late|poor|inadequate|insufficient)\b",
)
# Words one of which every _LEARNS match holds: looked for before the regex is run.
_LEARN_WORDS = ("importan", "essential", "vital", "crucial", "key", "need", "must", "will", "should", "learning",
                "lesson", "been")
_QUOTE_CHARS = ('"', "“", "”")
_SAID_WORDS = ("said", "say", "told", "added", "commented", "stated", "claimed", "argued", "called", "believ",
               "critical of", "apologi", "sorry")
# Words one of which every _PURPOSE match holds.
_PURPOSE_WORDS = ("carried out", "conducted", "undertaken", "designed", "intended", "the purpose of", "aim to",
                  "aims to", "seek to", "seeks to", "employed by", "involvement with", "independent of", "held to")
# Which of those kinds of cue words a sentence holds: one search for all of them.
_CUES = WordGroups({"said": _SAID_WORDS, "learn": _LEARN_WORDS, "purpose": _PURPOSE_WORDS})
_SAID = re.compile(r"\b(?:said|says?|saying|told|added|commented|stated|claimed|argued|called|believes?|believed|"
                   r"critical of|apologi[sz]\w*|sorry)\b")
# What a kind of review is for, told in general: context, whoever it blames.
_PURPOSE = re.compile(r"\b(?:are|is) (?:carried out|conducted|undertaken|designed|intended) (?:to|so)\b|"
                      r"\bthe purpose of (?:a|an|the|these|this)\b|"
                      r"\b(?:aims?|seeks?) to (?:identify|establish|learn)\b|"
                      # The review's own events: "a practitioners' event was held to explore ..."
                      # (not a meeting of the case's own, "held to discuss the concerns").
                      r"\b(?:events?|workshops?|sessions?) (?:[\w'’-]+ ){0,4}held to (?:explore|identify|consider|"
                      r"examine|discuss|reflect)\b|"
                      # The panel's or author's independence, told in any review's opening.
                      r"\b(?:never|not) (?:been )?employed by\b|"
                      r"\bno (?:prior |previous )?(?:direct )?involvement with\b|"
                      r"\bindependent of (?:the|any|all) (?:agencies|organisations|services)\b")
_IN_COURT = re.compile(r"\b(?:jury|jurors|court|trial|inquest|hearing) (?:was |were |had been |has been )?(?:also )?"
                       r"(?:told|heard)\b|\b(?:told|heard by) (?:the |a )?(?:jury|court|trial|inquest)\b"
                       # not what someone was not told: "were not told the court had made an order"
                       r"(?! (?:had|has|was|were|would|is|date|order|hearing)\b)")
_QUOTED = re.compile(r"[\"“”]")
# What went wrong, told beside the recommendations it led to ("recommends good
# communication after information was not shared"): the sentence is a finding too.
# A negation counts only in a clause telling what happened before ("after ... was not
# shared"): in one of the recommendation's own ("review cases where children were not
# seen") it states no fault.
_FAULT = re.compile(
    r"\b(?:fail(?:ed|ures?|ings?)|missed|lack(?:ed|ing)|insufficient|inadequate|weakness\w*|deficienc\w+|"
    r"shortcomings?|flaws?|absence of)\b|\b(?:after|because|(?<!the )following|since|given that)\b[^.;:]{0,120}?"
    r"\b(?:(?:was|were|had|did) not|(?:wasn|weren|hadn|didn)['’]t|there (?:was|were) no)\b")


class Roles:
    """The role of each sentence of a layout, by where it starts: worked out when
    first asked for (most sentences name no theme and are never asked about)."""

    __slots__ = ("layout", "index", "structured", "_known", "_events")

    def __init__(self, layout: Layout):
        self.layout = layout
        self.index = {s.start: i for i, s in enumerate(layout.sentences)}
        # A report with analysis sections states its findings there; other sections of
        # it are context. A text without them (news, summaries) may state them anywhere.
        self.structured = any(s.block.section in _FOUND_IN for s in layout.sentences)
        self._known: dict[int, str] = {}
        self._events: set[int] | None = None

    def events(self) -> set[int]:
        """Where the sentences that are a chronology's events start (those of its
        sections that judge nothing): one search of their joined text rather than one
        per sentence, a report's chronology being much of it."""
        if self._events is None:
            text, sentences = self.layout.text, self.layout.sentences
            chronology = [s for s in sentences if s.block.section in EVENT_SECTIONS]
            # Slices of the text lowered once are the slices lowered, when lowering maps
            # each character on its own (see vocabulary.fold_span).
            low = text.lower()
            if len(low) != len(text) or "\u03a3" in text:
                lows = [text[s.start:s.end].lower() for s in chronology]
            else:
                lows = [low[s.start:s.end] for s in chronology]
            # No match of _JUDGES (nor "recommend") holds a NUL, so none spans two sentences.
            joined = "\0".join(lows)
            ends = list(accumulate(len(x) + 1 for x in lows))
            found = {bisect_right(ends, s) for s in judging_starts(joined)}
            # Only a sentence saying "recommend" may be a recommendation: left to get().
            later = {k for k in {bisect_right(ends, s) for s in find_all(joined, ("recommend",))}
                     if _recommends(chronology[k].block.section, lows[k])}
            starts = [s.start for s in chronology]
            judged = {starts[k] for k in found - later}
            self._events = set(starts).difference(judged, (starts[k] for k in later))
            self._known.update(dict.fromkeys(self._events, EVENT))
            self._known.update(dict.fromkeys(judged, FINDING))
        return self._events

    def get(self, start: int, default: str | None = None) -> str | None:
        role = self._known.get(start)
        if role is None:
            i = self.index.get(start)
            if i is None:
                return default
            text, sentences = self.layout.text, self.layout.sentences
            s = sentences[i]
            previous = text[sentences[i - 1].start:sentences[i - 1].end] if i else ""
            role = self._known[start] = _role(s, text[s.start:s.end], previous, self.structured)
        return role


def _recommends(section: str | None, low: str) -> bool:
    """Whether a sentence of ``section`` (lower-cased: ``low``) is a recommendation:
    "recommend" in an analysis tells what was decided at the time, not what the review
    asks; a news sentence that also tells what went wrong is a finding (_FAULT)."""
    return section == "recommendations" or (section not in _FOUND_IN and "recommend" in low
                                            and (section is not None or not states_fault(low)))


def _role(s: Sentence, chunk: str, previous: str, structured: bool) -> str:
    section = s.block.section
    low = chunk.lower()
    if _recommends(section, low):
        return RECOMMENDATION
    if section in EVENT_SECTIONS:
        # A chronology states events; a sentence in it that judges them is a finding
        # (Roles.events finds the same by judging_starts).
        return FINDING if _JUDGES.search(low) else EVENT
    if section in NOT_FINDINGS or (structured and section not in _FOUND_IN):
        return CONTEXT
    cues = _CUES.places(low)
    if chunk.rstrip().endswith("?") or "purpose" in cues and _PURPOSE.search(low):
        return CONTEXT
    # What a court or an inquest was told is evidence given there, not the review's finding.
    if ("told" in low or "heard" in low) and _IN_COURT.search(low):  # one of which every match holds
        return CONTEXT
    # Someone's words need a verb of saying or a quotation mark: most sentences have neither.
    said = "said" in cues or any(q in chunk for q in _QUOTE_CHARS)
    if said and _opinion(low, previous.lower()):
        return OPINION
    # "The review highlighted the importance of ...": a lesson or principle, which
    # says nothing went wrong unless it also says what did.
    if "learn" in cues and _LEARNS.search(low) and not _WENT_WRONG.search(low):
        return LEARNING
    return FINDING


def states_fault(low: str) -> bool:
    """Whether lower-case ``low`` tells what went wrong (see _FAULT)."""
    return _FAULT.search(low) is not None


def _opinion(chunk: str, previous: str) -> bool:
    """Words someone other than the review is said to have spoken."""
    if _SPEAKER.search(chunk):
        return bool((_SAID.search(chunk) or _QUOTED.search(chunk)) and not _REVIEW_SAYS.search(chunk))
    # A quotation continued from a sentence whose speaker is not the review.
    return bool(_QUOTED.search(chunk[:2]) and _SPEAKER.search(previous) and not _REVIEW_SAYS.search(previous))
