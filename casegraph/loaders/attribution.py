"""Attribution: which agencies a finding implicates. A finding implicates the
agencies it names as actors, or those of the finding it continues; one that
blames "agencies" or "professionals" in general, or names nobody, implicates all
agencies of the review's area — never every agency in the document — unless the
document names just one agency besides the partnership: then it is that one's."""

from __future__ import annotations

import re

from casegraph.loaders.agencies import Mention, mentions_in
from casegraph.schema.gates import Possible
from casegraph.schema.vocabulary import fold

__all__ = ["ALL_AGENCIES", "GENERAL", "actors", "implicated", "lead", "sole"]

ALL_AGENCIES = "all-agencies"

# A mention that is where the words come from, not who fell short: "the
# Partnership's review found", "the council said", "police officer who wrote".
_SOURCE_AFTER = re.compile(
    r"^(?:['’]s?)?\s*(?:\([A-Z]{2,6}\)\s*)?(?:(?:has|have|had)\s+)?(?:published|commissioned|"
    r"(?:serious case |safeguarding practice |safeguarding adults? |domestic homicide |learning |case )?"
    r"review\b|report\b|said|says|stated|spokes\w+|chair\w*|apologis\w+|accepted|welcomed|"
    r"(?:officer|detective|inspector|superintendent|social worker|nurse|manager)s? who (?:wrote|led|chaired|"
    r"authored|conducted|carried out))",
    re.I,
)
_SOURCE_BEFORE = re.compile(r"\b(?:retired|former|ex-|independent|led by (?:a|an)|written by (?:a|an)|"
                            r"chaired by (?:a|an)|author,?(?: a)?|on behalf of (?:the )?|"
                            r"(?:(?:report|review|statement|spokes\w+)(?: \([A-Z]{2,6}\))?,?|"
                            r"(?:published|commissioned)(?: [\w-]+){0,3}) (?:by|from|for) (?:the )?(?:\w+['’]s )?)\s*$",
                            re.I)
# Someone the plan or referral was to involve, not who failed: "police would be
# called", "a referral to children's social care".
_OBJECT_AFTER = re.compile(r"^\s*(?:would|should|could|were to|was to|to) be (?:called|contacted|informed|"
                           r"notified|involved)", re.I)
_OBJECT_BEFORE = re.compile(r"\b(?:referr\w+ to|referral to|contact(?:ed|ing)?(?: with)?|report(?:ed)? to|"
                            r"call(?:ed)?|inform(?:ed)?|notif(?:y|ied)|misled|deceived|manipulated|lied to|fooled|"
                            r"(?:(?:shar(?:e|ed|es|ing)|sought|obtained|requested|pass(?:ed)? on|sen[dt]|provided)"
                            # not "given" with words between: "Given what was known to the GP" blames the GP
                            r"(?: [\w'’-]+){0,3}?|given(?: \w+ly)?) (?:with|from|to))"
                            r"\s+(?:the\s+)?$", re.I)
_POSSESSIVE = re.compile(r"['’]s?\s+(?:own\s+)?")
# Words that blame agencies or professionals in general.
GENERAL = re.compile(
    r"\b(?:(?:all |the |partner |multiple |different |other |various |several |relevant )?agencies|"
    r"(?:any|no|each|every|no one|no single) (?:single )?agency|"
    r"professionals|practitioners|authorities|organisations|services|partners|staff|frontline workers|"
    r"the system|safeguarding system|multi-?agency)\b",
    re.I,
)


# A partnership is the one that finds: the review is its own ("the Partnership found").
_FINDS = re.compile(r"^\s*(?:\([A-Z]{2,6}\))?,?\s*(?:has |have )?(?:found|finds|concluded|identified|highlights|"
                    r"highlighted|noted|notes|uncovered|revealed|reveals)\b", re.I)


# The regexes read on the words before a mention, and which of them may match there:
# one automaton search rules out most, many times faster than the regexes, which try
# each place in turn.
_BEFORE = Possible({"object": _OBJECT_BEFORE, "source": _SOURCE_BEFORE})


def _before(text: str, m: Mention) -> tuple[str, frozenset[str]]:
    """The 40 characters before ``m``, and which of _BEFORE may match them."""
    before = text[max(0, m.start - 40):m.start]
    return before, _BEFORE(fold(before))


def _object(text: str, m: Mention, before: tuple[str, frozenset[str]]) -> bool:
    """Whether ``m`` names whom something went to or came from, or whom a family
    misled ("sought from the police", "shared with the GP"): not who fell short.
    ``before``: see _before."""
    return bool(_OBJECT_AFTER.match(text[m.end:m.end + 80])
                or "object" in before[1] and _OBJECT_BEFORE.search(before[0]))


_AND = re.compile(r"\s*(?:,|and|or|&)\s*(?:the\s+)?")
# A verb after the second name starts a clause of its own: "not sent to maternity
# services and the midwife was unaware".
_VERB = re.compile(r"\s+(?:was|were|is|are|had|has|did|do|does|should|could|would|failed|did not)\b")


def _actor(text: str, m: Mention, before: tuple[str, frozenset[str]]) -> bool:
    after = text[m.end:m.end + 80]
    return not (_SOURCE_AFTER.match(after) or "source" in before[1] and _SOURCE_BEFORE.search(before[0])
                or (m.type == "safeguarding-partnership" and _FINDS.match(after)))


def actors(text: str, mentions: list[Mention], names: dict[tuple[int, int], str]) -> list[str]:
    """Names of the agencies ``mentions`` name as actors: not where the words come
    from ("the council said"), nor someone a plan was to call or information went
    to (see _object), nor an owner named before its service."""
    out: list[str] = []
    restated = objects = None
    for m, after in zip(mentions, [*mentions[1:], None], strict=False):
        if m is restated:
            continue
        # "the Board (LSCB)": the short form is the name before it again, judged there.
        if after and text[m.end:after.start].strip() == "(" and text.startswith(")", after.end):
            restated = after
        # "given to social care and police": the second is an object too.
        before = _before(text, m)
        if objects and _AND.fullmatch(text, objects.end, m.start) and not _VERB.match(text, m.end) \
                or _object(text, m, before):
            objects = m
            continue
        # "the council's Children's Services", "Wexmoor Council social workers": the
        # owner is not a second actor.
        if after and (_POSSESSIVE.fullmatch(text, m.end, after.start)
                      or not text[m.end:after.start].strip()):
            continue
        n = names.get((m.start, m.end))
        if n and n not in out and _actor(text, m, before):
            out.append(n)
    return out


# Work only one kind of agency does: a finding about it is that agency's even when
# the sentence names no one ("the Initial Assessment was superficial").
_IMPLIED = tuple((t, re.compile(p, re.I)) for t, p in (
    ("children-social-care", r"\b(?:initial|core|single|child and family|section 47|s47) assessments?\b|"
                             r"\bsection 47\b|\bstrategy (?:discussion|meeting)s?\b|\bchild protection "
                             r"(?:plan|conference|enquir\w+|investigation)s?\b|\bchild in need (?:plan|meeting)s?\b|"
                             r"\b(?:case|cases) (?:was |were |had been )?(?:closed|stepped down)\b|\bstep-?down\b|"
                             r"\btransfer summary\b|\bhandover visit\b|\breferral and assessment\b|"
                             r"\bsocial work (?:managers?|team)\b|\b(?:assistant )?team managers?\b|"
                             r"\bchild(?:ren)?['’]?s? services department\b|\bdirect work with\b"),
    ("midwifery", r"\b(?:antenatal|ante-natal) (?:booking|care|appointments?)\b|\bbooking appointment\b"),
    ("health-visiting", r"\bnew birth visit\b|\b(?:developmental|two[- ]year) (?:check|review)s?\b"),
    ("police", r"\bDASH\b|\b(?:arrest\w*|call-?outs?)\b|\bCID\b"),
))
# The regexes read on a finding without actors: one automaton search rules out most.
_IN_SENTENCE = Possible({**dict(_IMPLIED), "general": GENERAL})


def _implied(text: str, start: int, end: int, by_type: dict[str, str], maybe: frozenset[str]) -> list[str]:
    """The agencies of ``by_type`` whose work alone ``text[start:end]`` names; ``maybe``:
    the names of _IN_SENTENCE's patterns that may match there."""
    return [by_type[t] for t, p in _IMPLIED if t in by_type and t in maybe
            and p.search(text, start, end)]


# "Shared with other agencies", "misled professionals": agencies named as whom
# something went to, or whom a family misled, are not blamed in general.
_RECIPIENT = re.compile(r"\b(?:with|to|from|misled|deceived|manipulated|lied to|fooled)\s+(?:the\s+|other\s+|all\s+)*$",
                        re.I)


def implicated(text: str, start: int, end: int, mentions: list[Mention], names: dict[tuple[int, int], str],
               previous: int | None, default: list[str] | None = None,
               by_type: dict[str, str] | None = None, carried: list[str] | None = None) -> list[str]:
    """Names of the agencies the finding at ``text[start:end]`` implicates, the first
    of: the agencies it names as actors; all agencies, if it blames agencies in
    general (with the agency whose work it describes, ``by_type`` giving the
    document's agency of each type); that agency alone; the actors of the sentence
    before it in its paragraph (starting at ``previous``); those that sentence, as a
    finding, was found to implicate (``carried``); ``default`` (see ``lead`` and
    ``sole``); all agencies. ``mentions`` are the document's, sorted."""
    own = actors(text, mentions_in(mentions, start, end), names)
    if own:
        return own
    maybe = _IN_SENTENCE(fold(text[start:end]))
    implied = _implied(text, start, end, by_type or {}, maybe)
    # "Staff" alone says whose by context only ("staff at the home"): it is the
    # actors of the sentence before, or the document's one agency, not everyone's.
    if "general" in maybe and any(
            g.group(0).lower() != "staff" and not _RECIPIENT.search(text, max(start, g.start() - 20), g.start())
            for g in GENERAL.finditer(text, start, end)):
        # "not challenged by the professionals and the case was closed": both.
        return [ALL_AGENCIES, *implied]
    if implied:
        return implied
    # The sentence just before it in its paragraph, when that one names its actors.
    # A partnership there is the one that reviews, not who the finding goes on about.
    earlier = actors(text, [m for m in mentions_in(mentions, previous, start) if m.type != "safeguarding-partnership"],
                     names) if previous is not None else []
    return earlier or list(carried or []) or list(default or []) or [ALL_AGENCIES]


def lead(text: str, first: tuple[int, int] | None, mentions: list[Mention],
         names: dict[tuple[int, int], str]) -> list[str]:
    """The agency an article's opening finding (``first``: its span) blames, when it
    names exactly one: the article's framing of what it goes on to report in the
    passive ("an assessment concluded ... and saw his case closed")."""
    if first is None:
        return []
    found = actors(text, mentions_in(mentions, *first), names)
    return found if len(found) == 1 else []


def sole(by_type: dict[str, str]) -> list[str]:
    """The document's one agency besides the partnership that reviews it, when it
    names just one (``by_type``: its agency of each type): the one whose practice
    a finding that names nobody is about ("the home failed to record falls")."""
    others = [n for t, n in by_type.items() if t != "safeguarding-partnership"]
    return others if len(others) == 1 else []
