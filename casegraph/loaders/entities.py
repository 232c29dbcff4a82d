"""Who and when: subjects and their pseudonyms, family members, incident and
publication dates. The review's type and label (reviews.py) are given here too, as
extraction asks this module for them; ages are in ages.py."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from operator import attrgetter
from typing import Any, Generic, NamedTuple, TypeVar

from casegraph.loaders.ages import NUM
from casegraph.loaders.people import (
    KILLER_VERBS,
    NOT_NAMES,
    OPENING,
    OTHER_BEFORE,
    TITLES,
    full_name,
    month_named,
    named_subjects,
)
from casegraph.loaders.reviews import review_label, review_type
from casegraph.loaders.structure import Layout
from casegraph.schema.gates import WordGroups
from casegraph.schema.vocabulary import after_words, at_word_starts, either, find_all, matches_at

__all__ = ["review_type", "review_label", "subjects", "family", "incident_date", "report_date", "MONTHS"]

MONTHS = ("january february march april may june july august september october november "
          "december").split()
_MONTH = r"(?:" + "|".join(m.title() for m in MONTHS) + r")"


# Patterns that begin with a word, tried where one of the words its matches start
# with (given with each) starts a word: see at_word_starts.
_PSEUDO_WORDS = ("Baby", "Child", "Infant", "Young Person", "Adult", "Person", "Subject", "Patient")
_TITLE_WORDS = ("Mr", "Mrs", "Ms", "Miss")
_PSEUDO = [
    # "Baby C", "Child M", "Child LM", "Child Tb", "Child P2", "Child KW14", "Baby Matt", "Mr T", "Ms A"
    (re.compile(either(_PSEUDO_WORDS) + r"\s+"
                r"(?:[A-Z][a-z]{0,10}|[A-Z]{1,3}\d{1,3}|(?!(?:CSE|CIN|LAC|CPP?|SAR|DHR|SCR)\b)[A-Z]{2,3}|\d{1,2})\b"
                r"(?:\s+[A-Z]\b)?"), _PSEUDO_WORDS),
    # "Mr. Z" too, and "Mr and Mrs Z": the first named
    (re.compile(either(_TITLE_WORDS) + r"(?:\.? and " + either(_TITLE_WORDS) + r")?\.?\s+"
                r"([A-Z]{1,2})\b(?!\.|['’][A-Z])"), _TITLE_WORDS),
]
# The keyword first, then the words before it say who is named: a leading
# optional word group would make the engine backtrack at every position. Its words
# head different branches, so they are written again; a test built from the
# pattern's parse fails if one is missing.
_NAMED_AS_WORDS = ("named", "referred to", "known", "called", "identified")
_NAMED_AS = re.compile(
    r"[\s(](?:(?:referred to|known|identified)(?: only| simply)?(?: in (?:the|this) (?:report|review))? as"
    r"|named(?: only)?(?: in (?:the|this) (?:report|review))?(?: as)?|called)"
    r"\s+['‘\"“]?(?P<name>(?:(?:[Bb]aby|[Cc]hild|Adult|Mr|Mrs|Ms|Miss) )?"
    r"(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]{1,3}\d{0,3}\b(?!\.)))['’\"”]?"
)
# People the text names who are never the subject.
_OFFENDER_WORDS = r"offender|perpetrator|abuser|accused|defendant|killer|murderer"
_PERSON_WORD = re.compile(rf"\b(?:{_OFFENDER_WORDS}|mother|mum|father|dad|sons?|daughters?|brothers?|sisters?|"
                          r"siblings?|grand(?:mother|father|parent)s?|partners?|boyfriend|girlfriend|baby|infant|"
                          r"child|boy|girl|toddler|man|woman|person|teenager|victim|individual|adult)\b")
# "two brothers, referred to as Child D and Child B": the subjects, not someone's siblings.
_SEVERAL = re.compile(r"\b(?:two|three|four|five|twin|both)\s+(?:\w+\s+)?\w+s$")
# "Mr A (the alleged offender)": who did the harm, named as such.
_OFFENDER_AFTER = re.compile(rf"\s*\((?:the |an? )?(?:alleged |suspected )?(?:{_OFFENDER_WORDS})\b"
                             r"|\s+(?:was |has been |had been )?(?:charged|convicted|jailed|sentenced|arrested)\b"
                             r"|\s+(?:killed|murdered|stabbed)\b")
# One word of a name: "Rowe", "Rosa-Lee", "MacKenzie", "McDonald" (a capital first: the
# engine skips ahead to one).
_WORD = r"[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"
# A full name just before the keyword: the real name a pseudonym stands for.
_REAL_NAME = re.compile(rf"(?<![\w-])({_WORD}(?: {_WORD})+)\W*(?:who (?:is|was))?\s*$")
# One name before "(who was) also known as".
_FIRST_NAME = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?),?\s+(?:who (?:is|was)\s+)?also\s*$")
# The phrases one of which every _REFERRED match starts with: rare, and cheaper to
# look for than to run the regex over the text.
_REFERRED_WORDS = ("referred to him as", "referred to her as", "referred to them as", "named him as",
                   "named her as")
_REFERRED = re.compile(either(_REFERRED_WORDS) + r"\s+['‘\"“]?(?P<name>[A-Z][a-z]+)")
_IDENTIFIES_WORDS = ("identifies", "identified", "names", "named", "refers to", "referred to")
_IDENTIFIES = re.compile(r"\b" + either(_IDENTIFIES_WORDS) + r"\s+"
                         r"([A-Z][a-z]+(?: [A-Z][a-z]+(?:-[A-Z][a-z]+)?)?)\s+as\s+['‘\"“]?"
                         r"((?:Child|Baby|Adult|Mr|Mrs|Ms|Miss) [A-Z]{1,3}\d{0,3})\b")
_CODE_WORDS = ("Child", "Baby")
_CODE_NAME = either(_CODE_WORDS) + r" [A-Z]{1,3}\d{0,3}"
_FULL_NAME = rf"{_WORD}(?: {_WORD})+"
# "Tony Lee's killing of his father": the killer, named by his act.
_KILLINGS = ("killing", "murder", "manslaughter", "stabbing")
_KILLING_OF = re.compile(rf"\b({_WORD}(?: {_WORD})?)['’]s (?:\w+ )?{either(_KILLINGS)} of\b")
_KILLING_OF_WORDS = tuple(f"s {k} of" for k in _KILLINGS)
# "stabbed 173 times by her boyfriend Jake Lee": the killer, named by his tie to the one killed.
_KILLED_BY_VERBS = (*KILLER_VERBS, "attacked", "beaten")
_KILLED_BY = re.compile(rf"\b{either(_KILLED_BY_VERBS)}(?: [\w ]{{0,20}}?)? by "
                        r"(?:her|his|their) (?:former |ex-)?(?:boyfriend|girlfriend|partner|husband|wife|son|"
                        r"daughter|father|mother|stepfather|brother|nephew|grandson|ex-partner|ex-husband) "
                        rf"({_WORD}(?: {_WORD})?)"
                        # "Jake Lee killed Ann Rowe": the one who killed, named first; not the one
                        # killed, as a headline or an aside puts it ("Ann Rowe, murdered by her partner").
                        rf"|\b({_WORD} {_WORD})(?:,? who)? {either(KILLER_VERBS)} "
                        r"(?!(?:himself|herself|themselves|by|in|at|on|outside|near|during|after|while|as)\b)")
# A report's title that names the child its text calls by a pseudonym: "Serious
# Case Review Report – Ann Rowe – Harwick LSCB".
_TITLE_NAME = re.compile(rf"\A\W*[^\n]{{0,60}}\b(?:Review|Report|SCR|SAR|CSPR|DHR)\s*[–—:-]\s*({_FULL_NAME})"
                         r"\s*(?:[–—:-]|\n|\Z)")
# "Ivy Dunn (Child BQ)" and "Child BQ (Ivy Dunn)": the first only where a bracket opens
# on a pseudonym, the second tried only where a pseudonym starts.
_NAME_BRACKETED = re.compile(rf"\b({_FULL_NAME}) \(({_CODE_NAME})\)")
# "Child CH (Ann Rowe)", and a name a quotation's editor put in: "Child CH [Maziellie]".
_BRACKETED_NAME = re.compile(rf"({_CODE_NAME}) (?:\(({_FULL_NAME})\)|\[({_WORD}(?: {_WORD})*)\])")
_T = TypeVar("_T")


class _Prefixes(NamedTuple, Generic[_T]):
    """One item for each pattern subjects tries only where one of its words starts:
    the words (_PREFIXES) or the places they occur in a text (_prefix_starts)."""

    pseudo: _T  # _PSEUDO[0]
    titles: _T  # _PSEUDO[1]
    named: _T  # _NAMED_AS
    referred: _T  # _REFERRED
    identifies: _T  # _IDENTIFIES
    coded: _T  # _BRACKETED_NAME


# Every match of each pattern starts with one of its words. Looking for all of them
# in one automaton pass costs about what looking for one word with str.find does.
_PREFIXES = _Prefixes(pseudo=_PSEUDO_WORDS, titles=_TITLE_WORDS, named=_NAMED_AS_WORDS, referred=_REFERRED_WORDS,
                      identifies=_IDENTIFIES_WORDS, coded=_CODE_WORDS)


_PREFIX_WORDS = WordGroups(_PREFIXES._asdict())


def _prefix_starts(text: str) -> _Prefixes[list[int]]:
    """For each item of _PREFIXES, the sorted places its words occur in ``text``."""
    found = _PREFIX_WORDS.places(text)
    return _Prefixes(**{field: found.get(field, []) for field in _Prefixes._fields})


# A child named in full in news: "Ellie Marsh, six, was ..."
# What follows the name, looked for first: most documents hold none.
_NAME_AGE_TAIL = rf",\s+(?:who was |aged )?{NUM}(?:[- ](?:days?|weeks?|months?|years?)(?:[- ]old)?)?,"
_NAME_AGE = re.compile(rf"(?P<name>{_WORD}(?: {_WORD}){{1,2}}){_NAME_AGE_TAIL}")
_NAME_AGE_TAIL_RE = re.compile(_NAME_AGE_TAIL)
# "Colin Marsh, 31, and Dean Pike, 18, were convicted": named with an age, but
# as the ones tried for it.
_CONVICTED = re.compile(r"(?:\s+and\s+[A-Z][\w'’ -]{2,40},\s+\w+,)?\s+(?:\w+\s+)?"
                        r"(?:was|were|has been|have been|is|are)\s+(?:\w+\s+)?"
                        r"(?:convicted|jailed|sentenced|charged|found guilty|imprisoned|cleared|acquitted)"
                        # or as the one who did it: "Dan Roe, 24, killed ...", "had a conviction"
                        # ("... stabbed to death in the park", "... attacked by" are harmed, not harming)
                        r"|\s+(?:then\s+|later\s+|went on to\s+)?(?:(?:killed|murdered|smothered|stabbed|strangled|"
                        r"shot|attacked)\b(?!\s+(?:to death|dead)\b(?!\s+(?:his|her|their)\b))(?!\s+by\b)"
                        r"|admitted\b(?!\s+to\s+hospital)|pleaded\b)|\s+had\s+(?:a\s+)?(?:conviction|caution)")
# "the man who pushed her, referred to as Mr Z": the one who did harm is no subject.
_HARMED = re.compile(r"\bwho (?:\w+ )?(?:pushed|attacked|assaulted|killed|hit|harmed|abused|murdered|stabbed|"
                     r"strangled|raped|injured)\b")
_ROLE_WORDS = (
    ("mother", r"mother|mum"), ("father", r"father|dad"), ("sibling", r"son|daughter|brother|sister|sibling"),
    ("grandparent", r"grand(?:mother|father|parent)"), ("partner", r"partner|boyfriend|girlfriend"),
)


def _whole_word(name: str) -> str:
    r"""``\bname\b`` as a regex; for a name that starts and ends on a word character,
    written to start with the name itself, which the regex engine finds far faster."""
    word = re.escape(name)
    if re.fullmatch(r"\w(?:.*\w)?", name, re.S):
        return rf"{word}(?<!\w{word})(?!\w)"
    return rf"\b{word}\b"


def subjects(layout: Layout) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(subjects, family) named in the text. The subject is the pseudonym tied to the
    death or harm most often, with ``aliases`` where the text joins a real name and a
    pseudonym; other "named only as" people become family by role."""
    text = layout.text
    counts: Counter[str] = Counter()
    roles: dict[str, str] = {}
    aliases: dict[str, str] = {}  # a real name -> the pseudonym the text joins it to
    offenders: set[str] = set()  # named as the one who did it: never the subject
    prefixes = _prefix_starts(text)
    for (pattern, _), starts in zip(_PSEUDO, (prefixes.pseudo, prefixes.titles), strict=True):
        for m in at_word_starts(pattern, text, starts):
            name = f"{m.group(0).split()[0].rstrip('.')} {m.group(1)}" if m.lastindex else m.group(0).strip()
            if name.split()[-1] in ("Care", "Protection", "Safeguarding", "Practice", "Death",
                                    "The", "And", "Of", "Sexual", "In", "Social", "Services",
                                    "Health", "Mental", "Safety", "Exploitation", "Abuse"):
                continue
            # Who a pseudonym belongs to is told where the text introduces the people.
            if _OFFENDER_AFTER.match(text, m.end()):
                offenders.add(name)
            elif m.start() > OPENING or not OTHER_BEFORE.search(text, max(0, m.start() - 40), m.start()):
                counts[name] += 2
    # Only a space before one of the words can start a match: tried there alone.
    for m in matches_at(_NAMED_AS, text, [i - 1 for i in prefixes.named if i]):
        name = m.group("name")
        name = name[0].upper() + name[1:]  # "known as child L"
        if name in NOT_NAMES or name in TITLES:
            continue
        before = text[max(0, m.start() - 80):m.start()]
        # The last words before the keyword, "who is" and punctuation aside, say who it is.
        who = " ".join(re.sub(r"\bwho (?:is|was)\s*$", "", re.sub(r"[^\w'’ ]+", " ", before).strip())
                       .split()[-6:]).lower()
        # The person word nearest the keyword says who: "the father of the girl,
        # known as Child V" names the girl.
        nearest = _PERSON_WORD.findall(who)
        last = nearest[-1] if nearest else ""
        role = next((r for r, p in _ROLE_WORDS if re.fullmatch(rf"(?:{p})s?", last)), None)
        if re.fullmatch(_OFFENDER_WORDS, last) or _HARMED.search(who):
            continue
        if role and not _SEVERAL.search(who):
            roles.setdefault(name, role)
            continue
        # Letters alone ("known as RW") name a person only after a word for one, not a
        # service ("Children's Social Care, known as CSC").
        if name.isupper() and not last:
            continue
        counts[name] += 3
        real = _REAL_NAME.search(re.sub(r"\s+also$", "", before.rstrip(" –-(,")))
        if real and not any(w in NOT_NAMES for w in real.group(1).split()):
            counts[real.group(1)] += 6
            aliases.setdefault(real.group(1), name)
        elif (one := _FIRST_NAME.search(before)) and " " in (first := full_name(one.group(1), text)) \
                and not any(w in NOT_NAMES for w in first.split()):
            # "Sam, who was also known as Kit": one child by two first names, each
            # printed with the surname somewhere.
            counts[first] += 6
            aliases.setdefault(first, full_name(name, text))
    for m in at_word_starts(_REFERRED, text, prefixes.referred):
        counts[m.group("name")] += 3
    # "The report - which identifies Tamsin as Child AJ", "Ivy Dunn (Child BQ)": the
    # real name, joined to the pseudonym.
    for m in at_word_starts(_IDENTIFIES, text, prefixes.identifies) if " as " in text else ():
        counts[m.group(1)] += 6
        counts[m.group(2)] += 3
        aliases.setdefault(m.group(1), m.group(2))
    bracketed = [(m.group(1), m.group(2)) for m in _NAME_BRACKETED.finditer(text)] \
        if "(Child " in text or "(Baby " in text else []
    bracketed += [(m.group(2) or m.group(3), m.group(1)) for m in at_word_starts(_BRACKETED_NAME, text, prefixes.coded)]
    for real, pseudonym in bracketed:
        if not any(w in NOT_NAMES for w in real.split()):
            counts[real] += 6
            counts[pseudonym] += 3
            aliases.setdefault(real, pseudonym)
    for m in after_words(_NAME_AGE, text) if _NAME_AGE_TAIL_RE.search(text) else ():
        if _CONVICTED.match(text, m.end()):
            offenders.add(m.group("name"))
        elif not OTHER_BEFORE.search(text, max(0, m.start() - 40), m.start()):  # "her mother Ann Roe, 22,"
            counts[m.group("name")] += 3
    counts.update(named_subjects(text))
    if any(w in text for w in _KILLING_OF_WORDS):  # rare: looked for before the regex is run
        offenders.update(m.group(1) for m in _KILLING_OF.finditer(text))
    # Looked for in the opening, where news and summaries tell who killed whom, and only
    # when a verb of killing is there (a report's body would cost a search of it all).
    opening = text[:5000]
    if any(v in opening for v in _KILLED_BY_VERBS):
        offenders.update(m.group(1) or m.group(2) for m in _KILLED_BY.finditer(opening))
    # "Mr Lee", once "Jake Lee" killed: the same offender by his title.
    offenders.update(f"{t} {o.split()[-1]}" for o in list(offenders) if " " in o and o.split()[0] not in TITLES
                     and len(o.split()[-1]) > 2 for t in _TITLE_WORDS)
    for name in list(counts):
        if name in offenders or (len(name.split()[-1]) > 1 and name.split()[-1] in NOT_NAMES
                                 or name.split()[0] in NOT_NAMES - TITLES) and not month_named(name, text):
            del counts[name]
    if not counts:
        return [], []
    # "Baby Matt" is Matt; "Baby C" and "Child KW" keep their prefix, letters alone
    # name nobody.
    for name in list(counts):
        bare = re.sub(r"^(?:Baby|Child|Infant)\s+", "", name)
        if bare != name and re.fullmatch(r"[A-Z][a-z]{2,}", bare):
            counts[bare] += counts.pop(name)
    for name in list(counts):
        counts[name] += len(re.findall(_whole_word(name), text))
    # "Tamsin" and "Tamsin Rowe", "KW" and "Child KW": one person, known by the
    # fuller name.
    for name in [n for n in counts if " " not in n]:
        fuller = [n for n in counts if " " in n and name in n.split()]
        if fuller:
            counts[max(fuller, key=lambda n: counts[n])] += counts.pop(name)
    ranked = [n for n, _ in counts.most_common() if n not in roles]
    if not ranked:
        return [], []
    # "Tamsin Rowe - who is referred to as Child K": the case goes by both, the real
    # name first, as news prints it.
    top = next((n for n, p in aliases.items() if p == ranked[0]), ranked[0])
    subject = full_name(top, text)
    fam = [{"pseudonym": n, "role": r, "age": None} for n, r in roles.items() if n != subject]
    joined = next((p for n, p in aliases.items() if n in (subject, top) and p != subject), None)
    titled = _TITLE_NAME.match(text)
    if not joined and titled and subject.split()[0] in TITLES \
            and not any(w in NOT_NAMES for w in titled.group(1).split()):
        joined = titled.group(1)
    return [{"pseudonym": subject, **({"aliases": [joined]} if joined else {})}], fam


_DATE = re.compile(rf"(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<month>{_MONTH})\s+(?P<year>(?:19|20)\d\d)"
                   rf"|(?P<month3>{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:in\s+)?(?P<year3>(?:19|20)\d\d)"
                   rf"|(?<![-/\d])(?P<year2>(?:19|20)\d\d)(?![-/\d])")
# A cover page's or summary's own label: "Date of incident: July 2015", "Year of death: 2013",
# "Episode that triggered the review March 2013".
_LABEL_WORDS = ("of death", "incident", "triggered", "prompted", "led to")  # one of which every match holds
_LABELLED = re.compile(rf"\b(?:(?:year|date) of (?:death|(?:the )?incident)\s*:|(?:incident|episode|event) "
                       rf"(?:that|which) (?:triggered|prompted|led to) (?:the|this) review\s*:?)\s*"
                       rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?"
                       rf"(?:(?P<month>{_MONTH})\s+)?(?P<year>(?:19|20)\d\d)\b", re.I)
# A life's span after a name or on a line of its own: "Howard (8th July 1963 – 21st March
# 2017)", "1972 – 2014". The year it ends is that of the death.
_LIFESPAN = re.compile(rf"(?:(?<=[A-Za-z] \()|^[ \t]*)(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTH}\s+)?(?:19|20)\d\d"
                       rf"\s*[–—-]\s*(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:(?P<month>{_MONTH})\s+)?(?P<year>(?:19|20)\d\d)"
                       r"(?:\)|[ \t]*$)", re.M)
_INCIDENT = re.compile(r"\b(?:died|dies|dying|death|dead|killed|killing|murder\w*|manslaughter|starv\w+|tragedy|"
                       r"critical incident|incident|injur\w+|assault\w*|attack\w*|found|harm\w*|"
                       r"admitted\s+(?:[\w'’]+\s+){0,3}?(?:to|into|at)\s+(?:[\w'’]+\s+){0,3}?"
                       r"(?:hospital|A&E|ward|intensive|infirmary|I?CU|HDU)|"
                       r"hospitali[sz]\w+|suffered|abuse[ds]?|fatal\w*|stabb\w+|rushed|overdos\w+|hanged|drown\w+|"
                       r"suicide|took (?:his|her|their) own life|passed away|strangl\w+|smother\w+|suffocat\w+)\b",
                       re.I)
# What may be the harm, or may be a step on the way to it ("after fracturing his hip in
# 2020, he needed care"): its date only when no sentence dates one of the words above.
_INCIDENT_TOO = re.compile(r"\b(?:shook|shaken|fire|blaze|burns|fractur\w+|"
                           r"(?:broke|broken|breaking) (?:(?:his|her|their|a) )?(?:\w+ )?"
                           r"(?:hip|leg|arm|bone|skull|rib|wrist)s?|"
                           r"collapsed|unresponsive|last seen|"
                           r"(?:body|remains) (?:was|were) (?:found|discovered))\b", re.I)
# Dates of what came after the incident, or before it: not its date.
_NOT_INCIDENT_DATE = re.compile(
    r"(?:Working Together|Regulations|Act|published|posted|updated|date of (?!death|incident)\w+|agreed|issued|born|"
    r"(?<!of )date|"
    r"convicted|jailed|sentenced|trial|court|inquest|review(?:ed)?|report|since|until|between|from|"
    r"commissioned|completed|approved)\W{0,3}(?:(?:on|in|at|of|by|during)\s+)?(?:(?:early|late|mid)[- ])?$",
    re.I,
)


# The dates of a news item, a press conference, a review's title or a citation, and
# the end of a span: "today (Thursday 6 August, 2015)", "Last updated 20th Jun 2017",
# "5th June 2019, 3:47 pm", "27th July 2010 Time: 11.00", "Review in relation to Clare
# (February 2024)", "(Pettit, 2022)", "from 2014 to 2019".
_NEWS_DATE_BEFORE = re.compile(r"(?:\b(?:today|yesterday)\b[^.\n]{0,25}|\b(?:updated|published|posted)\b[^.\n]{0,15}|"
                               r"\breview\b[^.\n]{0,40}\(|\([A-Z][\w'’-]+(?: et al\.?)?,\s*|"
                               r"\b(?:19|20)\d\d\s*(?:to|-|–)\s*)$", re.I)
_NEWS_DATE_AFTER = re.compile(r",?\s*(?:at\s+)?(?:\d{1,2}[:.]\d\d\s*(?:am|pm)?\b|Time\b|\d{1,2}\s*(?:am|pm)\b)", re.I)


def incident_date(layout: Layout) -> str | None:
    """Month and year (or year) of the death or harm: in the first sentence that
    speaks of it and gives a date, the date nearest the words that do, outside
    publication lines and the dates of trials, reviews and births."""
    text = layout.text
    # A label is rare: its words looked for before the regex is run on the opening.
    opening = text[:5000].lower()
    if any(w in opening for w in _LABEL_WORDS) and (m := _LABELLED.search(text, 0, 5000)):
        return _month_year(m.group("year"), m.group("month"))
    if found := _died_on(layout):
        return found
    for words in (_INCIDENT, _INCIDENT_TOO):
        if found := _dated(layout, words):
            return found
    m = _LIFESPAN.search(text)
    return _month_year(m.group("year"), m.group("month")) if m else None


# A death dated in the words that tell of it: "died on 17th May 2008", "died in
# hospital from septicaemia on 24 September 2018", "passed away in September 2022".
_DIED_ON = re.compile(rf"\b(?:died|was killed|was found dead|passed away|last (?:been )?seen alive)\s+"
                      rf"(?:[\w'’-]+\s+){{0,4}}?(?:on|in)\s+(?:the\s+)?(?:{_DATE.pattern})")


_START = attrgetter("start")
_DIED_WORDS = ("died", "was killed", "was found dead", "passed away", "last ")  # what every match starts with


def _died_on(layout: Layout) -> str | None:
    """The date of the first sentence that dates a death in the words telling of it
    (outside the sections that describe the review)."""
    text = layout.text
    # Tried where its first words occur (found by str.find), each match then placed in
    # its sentence: most texts date no death so, and a search per sentence would try
    # every one.
    for m in filter(None, (_DIED_ON.match(text, at) for at in find_all(text, _DIED_WORDS))):
        i = bisect_right(layout.sentences, m.start(), key=_START) - 1
        if i < 0:
            continue
        s = layout.sentences[i]
        if s.block.section in ("appendices", "contents", "methodology") \
                or _RELATIVE_DIED.search(text, max(s.start, m.start() - 30), m.start()):
            continue
        # Within its sentence only, as a search of the sentence alone would have it.
        if m.end() > s.end and (m := _DIED_ON.match(text, m.start(), s.end)) is None:
            continue
        return _date_value(m)
    return None


# "Her father died in 2001", "his wife of forty years died", "the perpetrator died in
# prison": someone else's death is not the incident.
_RELATIVE_DIED = re.compile(r"\b(?:mother|father|mum|dad|parents?|step\w+|grand\w+|brother|sister|sibling|husband|"
                            r"wife|partner|son|daughter|uncle|aunt|carer|neighbour|friend|dog|cat|pet|perpetrator|"
                            r"offender|abuser|killer)(?:['’]s)?(?:\s+[\w'’.]+){0,3}?\s+$", re.I)


def _dated(layout: Layout, incident: re.Pattern[str]) -> str | None:
    """The incident date of the first sentence that gives a date and a word of ``incident``."""
    text = layout.text
    for s in layout.sentences:
        chunk = text[s.start:s.end]
        if s.block.section in ("appendices", "contents", "methodology"):
            continue
        words = [m.start() for m in incident.finditer(chunk)
                 if not _RELATIVE_DIED.search(chunk, max(0, m.start() - 30), m.start())]
        # A publication line ("Published: 3 May 2019 ..."), not one saying what led to it.
        if not words or re.search(r"\b(?:published|posted|regulations)\b(?=[^.]{0,25}?\b(?:19|20)\d\d\b)", chunk[:70],
                                  re.I):
            continue
        dates = [(m.start(), _date_value(m)) for m in _DATE.finditer(chunk)
                 if not (_NOT_INCIDENT_DATE.search(chunk, max(0, m.start() - 40), m.start())
                         or _NEWS_DATE_BEFORE.search(chunk, max(0, m.start() - 30), m.start())
                         or _NEWS_DATE_AFTER.match(chunk, m.end()) or _dateline(chunk, m))]
        # "In the early days of the first national lockdown": March 2020.
        dates += [(m.start(), "2020-03") for m in (_LOCKDOWN.finditer(chunk) if "lockdown" in chunk else ())]
        if dates:  # the one nearest the words of the incident (the first of equals)
            return min(dates, key=lambda d: min(abs(d[0] - w) for w in words))[1]
    return None


_LOCKDOWN = re.compile(r"\bthe first (?:(?:national|nationwide|UK|UK-wide|English|Welsh|Covid(?:-19)?|coronavirus|"
                       r"pandemic) )*lockdown\b", re.I)


# A dateline's parts around its date: a weekday, a day and a short month before ("26th
# Sep"), the end of the line or a separator after ("| Local News", ", 3:47 pm").
_DATELINE_BEFORE = re.compile(r"\s*(?:[A-Z][a-z]+day,?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:[A-Z][a-z]{2,3}\.?\s+)?")
_DATELINE_AFTER = re.compile(r"\s*(?:$|[|·•–—-]|,?\s*\d{1,2}[:.]\d\d)")


def _dateline(chunk: str, m: re.Match[str]) -> bool:
    """Whether date ``m`` is a line's dateline ("26th Sep 2022 | Local News"): the
    date the page was written, not the incident's."""
    start, end = chunk.rfind("\n", 0, m.start()) + 1, chunk.find("\n", m.end())
    return _DATELINE_BEFORE.fullmatch(chunk, start, m.start()) is not None \
        and _DATELINE_AFTER.match(chunk[:len(chunk) if end < 0 else end], m.end()) is not None \
        and (start > 0 or end >= 0)


def _date_value(m: re.Match[str]) -> str:
    """The month and year, or year, of a match of _DATE (or of a pattern holding it)."""
    return _month_year(m.group("year") or m.group("year3") or m.group("year2"), m.group("month") or m.group("month3"))


def _month_year(year: str, month: str | None) -> str:
    """"2016" and "May" -> "2016-05"; the year alone without a month."""
    return f"{year}-{MONTHS.index(month.lower()) + 1:02d}" if month else year


def report_date(text: str) -> str | None:
    """'Date of report: January 2016', 'Date of publication: ...' near the top."""
    m = re.search(rf"(?:date of (?:report|publication)|published|publication date)\s*:?\s*"
                  rf"(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+)?({_MONTH})\s+((?:19|20)\d\d)",
                  text[:5000], re.I)
    if not m:
        return None
    month = MONTHS.index(m.group(2).lower()) + 1
    if m.group(1):
        return f"{m.group(3)}-{month:02d}-{int(m.group(1)):02d}"
    return f"{m.group(3)}-{month:02d}"


_FAMILY_ROW = re.compile(
    r"^(?P<who>(?:Maternal |Paternal )?(?:Mother|Father|Sibling \d+|Half[- ]sibling \d+|"
    r"(?:Maternal |Paternal )?grand(?:mother|father)|Ex-Partner of \w+|Step-?father|Partner|Uncle|Aunt)"
    r"(?: [A-Z])?)\s*[\t|]\s*(?P<age>\d{1,3}|Not Known)?",
    re.I | re.M,
)


def family(layout: Layout, subject: str | None) -> list[dict[str, Any]]:
    """Family members from a family table ("Mother<TAB>22")."""
    text = layout.text
    out = []
    seen = set()
    for b in layout.blocks:
        if b.section != "family":
            continue
        for m in _FAMILY_ROW.finditer(text, b.start, b.end):
            who = m.group("who").strip()
            if who.lower() in seen:
                continue
            seen.add(who.lower())
            low = who.lower()
            role = ("half-sibling" if "half" in low else "sibling" if "sibling" in low
                    else "grandparent" if "grand" in low else "mother" if low == "mother"
                    else "father" if low == "father" else "other")
            age = m.group("age")
            out.append({"pseudonym": who, "role": role,
                        "age": None if not age or not age.isdigit() else age})
    return out
