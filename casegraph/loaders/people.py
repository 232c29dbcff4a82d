"""People named: the child or adult a review is about, as news prints their name
("the death of Khyra Ishaq", "two-year-old Liam Fee") or as an adult review names
them ("the death of 'Alina'", "Jane aged 62"), told apart from parents, partners
and perpetrators named beside them."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import compress, repeat

from casegraph.loaders.places import is_area
from casegraph.schema.gates import WordGroups
from casegraph.schema.vocabulary import either, fold, matches_at, word_start

__all__ = ["named_subjects", "full_name", "named_people", "month_named", "NOT_NAMES", "OPENING", "OTHER_BEFORE",
           "TITLES", "KILLER_VERBS"]

# Capitalised words that start sentences or name things, never a person.
NOT_NAMES = frozenset(
    "The This That These Those A An It He She They His Her Their Its When After Before In On At By For From "
    "Looked After Children Child Baby Adult Serious Case Review Reviews Safeguarding Practice Local National "
    "Social Services Care Council County City Borough Board Partnership Panel Police Trust Health NHS Court "
    "High Crown Coroner Mr Mrs Ms Miss Dr Sir Lord Lady Chief Executive Minister Secretary Government Home "
    "Office Children's Families Family Education Department January February March April May June July "
    "August September October November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
    "Domestic Homicide Learning Lessons Report Summary Executive Overview Findings Recommendations Street "
    "Road North South East West Royal Hospital School University Centre Unit Service Team Group Act "
    "Scotland Wales England Britain British English Scottish Welsh Irish Northern Ireland Publication Date "
    "Boards Contents Introduction Background Date Published Case Subject Victim Perpetrator Adults Annual "
    "Mother Father Mum Dad Sibling Siblings Grandmother Grandfather Partner Stepfather Final Draft Page Foreword "
    "Author Version Panel Chair Independent Appendix Glossary Terms Reference Scope Methodology Purpose Process "
    "Agency Agencies Briefing Trust Inquiry Inquest Reviewer Owner Manager "
    # people by what they are, capitalised in headlines ("Boy's death"), and a photo's credit line
    "Boy Girl Man Woman Toddler Teenager Pensioner Daughter Son Brother Sister Husband Wife Widow "
    "Image Photo Picture Credit Copyright Caption Section Chapter Part "
    # a document's furniture, and words that open a clause ("While Jo slept")
    "Bibliography References Index Acknowledgements File Type Size Total "
    "While Although Though Because Since Despite During Until Unless If As And But Also "
    # newspapers, which quote and are quoted
    "Press Daily Gazette Echo Chronicle Herald Telegraph Mirror Argus Advertiser Observer Journal Times News Mail "
    "Express".split()
)
# Words a pseudonym may start with that name no one alone.
TITLES = frozenset({"Baby", "Child", "Adult", "Subject", "Mr", "Mrs", "Ms", "Miss", "Dr"})
# The last words of the names of homes, hospitals and libraries a review may be
# "into" or come from: surnames too (Hall, Lane), so they bar a name only there.
_PLACE_WORDS = r"(?:View|House|Hall|Lodge|Home|Park|Gardens|Manor|Farm|Court|Library|Hospital|Centre)\b"
# "McKay", "O'Neill", "Mo-Mo"; never the possessive ("Nell's").
_NAME = r"(?:Mc|Mac|O['’])?[A-Z][a-z]+(?:(?:-|['’](?!s\b))[A-Z]?[a-z]+)*"
_FULL = rf"({_NAME}(?:[ -]{_NAME}){{1,3}})"
# The words the branches of the two subject patterns open with, written once: the
# patterns, the heads that find where they can start and the automaton that finds
# those heads are all built from them, so a word added here is looked for too.
_HARMS = ("death", "deaths", "killing", "murder", "manslaughter", "abuse", "neglect", "case", "starvation", "rape",
          "torture", "treatment")
_HELPED = ("protect", "protecting", "safeguard", "help", "helping", "save", "failed", "failing", "vulnerable",
           "disabled", "autistic")
_REVIEWED = ("Review", "review", "SCR", "SAR", "DHR", "CSPR", "Summary", "summary")
_REVIEWED_HOW = " (?:re|regarding|concerning|into|of|for) "
_YOUNG = ("baby", "toddler", "schoolboy", "schoolgirl", "tot", "infant", "teenager", "pensioner", "girl", "boy",
          "youngster", "victim")
_ADOPTED = ("adopting", "adoption of", "adopted")
_AGE_UNITS = ("year", "month", "week", "day")
_KILLED = ("death", "deaths", "killing", "murder", "homicide", "manslaughter", "circumstances")  # (?i:) "... of"
_CHILD_OF = ("death", "case", "review")
_TITLED = ("review", "summary", "report", "SAR", "DHR", "CSPR", "SCR", "briefing")  # (?i:)
_WHEN = ("when", "until", "before", "after")  # (?i:)
_DIED = ("died", "passed away", "was born", "went missing", "was reported missing", "suffered", "was found dead")
_CHANCES = ("chance", "chances", "opportunities")
# "killed his father Terry": the one killed, named after their tie to the killer.
KILLER_VERBS = ("killed", "murdered", "stabbed", "strangled", "shot")
_LITTLE = ("baby", "toddler", "tot", "infant")  # lower case: "baby Francis", not "Baby P"
_KIN_KILLED = ("father", "mother", "wife", "husband", "partner", "son", "daughter", "brother", "sister", "grandmother",
               "grandfather", "girlfriend", "boyfriend", "mum", "dad")
_INJURED = ("injury", "injuries")  # (?i:) "... to"
# What follows a pseudonym's "'s" or "and her": the one whose family and needs the text speaks of.
_KIN = ("family", "parents", "mother", "father", "relatives", "needs")
_ABOUT = ("is", "was")
_PAGE_TITLES = ("SAR", "DHR", "CSPR", "LCSPR", "SCR", "CPR", "APR")
# Where news names the one the review is about.
_SUBJECT_CONTEXT = re.compile(
    rf"\b{either(_HARMS)} of "
    rf"(?:(?:baby|toddler|little|schoolboy|schoolgirl|teenager|pensioner|vulnerable|tragic)\s+)?{_FULL}"
    rf"|\b{either(_HELPED)} {_FULL}"
    rf"|\b{either(_REVIEWED)}{_REVIEWED_HOW}"
    rf"(?!\w+ {_PLACE_WORDS}){_FULL}"
    rf"|{_FULL},? (?:before|after) (?:his|her) death\b|{_FULL}\W{{1,3}}whose (?:body|death)\b"
    rf"|\b(?:(?:\d{{1,2}}|[a-z]{{3,9}})[- ]{either(_AGE_UNITS)}s?[- ]old|{'|'.join(_YOUNG)})\s+{_FULL}"
    rf"|{_FULL}(?:,\s+(?:who was |aged )?\w+(?:[- ](?:years?|months?|weeks?))?(?:[- ]old)?,)?,?\s+(?:who\s+)?"
    rf"(?:died|was (?:killed|murdered|found(?! guilty| not guilty| to\b| burnt| burned| abandoned)|starved|beaten|"
    rf"stabbed|strangled|shaken|attacked|tortured|abused|"
    rf"neglected|exploited|held captive|admitted to hospital|rushed to hospital)|suffered|endured)\b"
    rf"|\b{either(_ADOPTED)} {_FULL}|\bthe {_FULL} case\b|^{_FULL}(?=:| case\b| review\b| death\b)"
    rf"|{_FULL}['’]s? (?:death|killing|murder|mother|father|stepfather|family|killers?)\b"
    rf"(?! (?:trial|conviction|charges?|sentence))"
    rf"|\binto (?:the (?:death|case) of )?{_FULL}['’]s? (?:death|case)",
    re.M,
)
# One name alone, where only a pseudonym can stand: "the death of 'Alina'", "Jane
# aged 62", "Helen (pseudonym)", "a review in respect of John", "Nina's murder",
# "Rory, a 12-week old infant", "RW died". Initials ("RW", "KT") only where a word
# for a person or their death follows.
# A footnote's number may follow the name ("Ahir1 was 54").
# A word before a word for a person ("the death of Harwick woman") is a place's or a
# people's, not a name.
_ONE = rf"['‘\"“]?({_NAME})(?:[1-9](?!\w))?(?!\w)['’\"”]?(?![ -][A-Z])" \
       rf"(?! (?:{'|'.join(_YOUNG)}|woman|man|mother|father|mum|dad|girl|boy|grandmother|grandfather|widow)s?\b)"
_ACRONYMS = (r"GP|NHS|CPS|SAB|SAR|SCR|DHR|CSPR|CPR|APR|CSP|SCP|UK|ICB|CCG|MASH|MARAC|CQC|DBS|IPCC|IOPC|CSE|CIN|LAC|"
             r"CP|CPP|ICPC|RCPC|SSAB|LSCB|HSAB|PDF|MB|KB|DOCX?|HTML")
_CODE = rf"['‘\"“]?(?!(?:{_ACRONYMS})\b)([A-Z]{{1,3}}\d{{0,3}})['’\"”]?"
# A pseudonym of a word for a person and a letter or two or a number: "Adult B", "Mrs A", "Twin 1".
_LETTERED = r"((?:Adult|Child|Baby|Twin|Patient|Family|Mr|Mrs|Ms|Miss) (?:[A-Z]{1,2}|\d{1,2}))\b(?!['’\w])"
_PERSON = r"(?:baby|infant|boy|girl|child|man|woman|toddler)"
_TITLE_WORDS = ("Mr", "Mrs", "Ms", "Miss", "Dr")
_TITLE_WORD = r"(?:Mr|Mrs|Ms|Miss)"
_CODE_WORD = r"(?:Adult|Child|Baby|Patient|Family)"
_OLD = rf"(?:\d{{1,3}}|[a-z]{{3,9}})[- ]{either(_AGE_UNITS)}s?[- ]old"
_SINGLE = re.compile(
    rf"\b(?i:{'|'.join(_KILLED)}) "
    rf"(?:(?:in|on) (?:early |late |\d{{1,2}} )?(?:[A-Z][a-z]+ )?\d{{4}} )?(?i:of) "
    rf"(?:{_LETTERED}|{_ONE}|{_CODE}\b)"
    # "the life changing injury to Z"
    rf"|\b(?i:{'|'.join(_INJURED)}) to (?:{_LETTERED}|{_ONE}|{_CODE}\b)"
    rf"|\b{either(_CHILD_OF)} of (?:the )?([Cc]hild (?:\d{{1,2}}|[A-Z]))\b(?![’'])"
    rf"|\b(?i:{'|'.join(_TITLED)})(?:\s*[:–(-]\s*(?:(?i:regarding|concerning|about|into) )?"
    rf"|\s+(?:in respect of|in relation to|into|concerning|regarding|about|for|re|on)\s+(?:the (?:death|case) of )?)"
    rf"(?!{_PLACE_WORDS})(?:{_LETTERED}|{_ONE}|{_CODE})"
    rf"\s*(?:\n|\(|\)|[–-]|,? who\b|died\b)"
    # A name in quotes after a review's "of" or "concerning" is its pseudonym, whatever follows.
    rf"|\b(?i:{'|'.join(_TITLED)}) (?i:of|into|concerning|regarding|about|for|"
    rf"in respect of|in relation to) (?:the (?:death|case) of |the )?"
    rf"['‘\"“]({_NAME}|[A-Z]{{1,2}}|{_CODE_WORD} [A-Z]{{1,3}})['’\"”]"
    # "the Serious Case Review into V."
    rf"|\b(?i:{'|'.join(_TITLED)}) (?i:of|into|concerning) (?!(?:{_ACRONYMS})\b)([A-Z]{{1,2}})\.(?=\s|$)"
    rf"|\b(?i:{'|'.join(KILLER_VERBS)}) (?:(?i:his|her|their) (?i:{'|'.join(_KIN_KILLED)}),? )?{_ONE}"
    # "bruising on baby Francis": a young child's first name after the word for them.
    rf"|\b(?:{'|'.join(_LITTLE)}) {_ONE}"
    rf"|\b{_OLD} (?:{_PERSON} )?{_ONE}(?! {_PERSON})"
    rf"|(?:^|[.:]\s+|\d,?\s+|\b(?i:{'|'.join(_WHEN)}) )(?:{_ONE}|{_CODE}|({_TITLE_WORD}\.? {_NAME})),? (?:who )?"
    rf"{either(_DIED)}\b"
    rf"|\b(?:{_ONE}|{_CODE})(?:['’]s)?,? (?:\(pseudonym\)|aged \d{{1,3}}\b|was (?:a |an )?\d{{1,3}}[- ]years?[- ]old|"
    rf"(?:is|was) \d{{1,3}} years?[- ]old|(?:a|an) {_OLD}|whose name has been changed|was a (?:young )?(?:man|woman)|"
    rf"(?:a|an) (?:\w+ )?(?:man|woman) in (?:his|her) \w+|\((?:not (?:his|her|their) real name|a pseudonym)\)|"
    rf"[–-] not (?:his|her|their) real name\b|"
    rf"not (?:his|her|their) real name,)"
    rf"|\b((?:Mr|Mrs|Ms|Miss) {_NAME}) \((?:not (?:his|her|their) real name|a pseudonym|pseudonym)\)"
    rf"|\b{_ONE}\*,? (?:being |was |who )?(?:killed|died|murdered)\b"
    rf"|\b{either(_CHANCES)} to (?:save|protect|help) {_ONE}"
    rf"|\b{_ONE}['’]s (?:\w+ )?(?:death|murder|killing)\b(?! (?:trial|conviction|charges?|sentence|case|of)\b)"
    # the one whose family and needs the text speaks of: "AE's family", "Edith and her relatives"
    rf"|\b(?:{_ONE}|{_CODE})(?:['’]s| and (?:his|her)) {either(_KIN)}\b"
    rf"|\bpseudonym (?:of )?{_ONE}|\b{either(_ABOUT)} about {_ONE}"
    # "Learning Briefing: Rory – injury ...", "SAR – Ann": a title, not a list item ("- Owner")
    rf"|^\W*(?:SAR|DHR|Case Reviews? \d{{4}})?[^\n]{{0,29}}\w\s*[–-] {_ONE}\s*$"
    # a page titled with the review and its subject alone: "SAR Rachel"
    rf"|^{either(_PAGE_TITLES)} {_ONE}\s*$",
    re.M,
)
OPENING = 2500
# (not a children's hospital's "A & E")
_SIBLINGS = re.compile(r"\bChildren (?!A (?:&|and) E\b)([A-Z]{1,2}|\d) (?:&|and) (?:[A-Z]{1,2}|\d)\b")
_QUOTED = re.compile(rf"(?<=[a-z] )['‘\"“]({_NAME})['’\"”](?= [a-z])")
# Where a match of each can start: the heads of its branches. For _SUBJECT_CONTEXT, a
# name of two words or more followed by a comma, colon or apostrophe, "whose" or a
# word in lower case (the verbs its branches allow after a name are not listed again:
# trying it before every such word costs little more), an age, a review's word before
# "of" or "into", the words before a name or "of".
# (Written so that each character has one reading: a hyphen both in a word and between
# words made "Ann-Lee-Rowe-..." take time exponential in its length.)
_FULL_AHEAD = (r"[A-Z](?:[A-Za-z'’]|-(?![A-Z]))*[ -][A-Z](?:[A-Za-z'’-]|[ ](?=[A-Z]))*"
               r"(?:[,:'’]|\W{1,3}whose|\s+[a-z])")
_AGE_AHEAD = "[- ]" + either(_AGE_UNITS)
_CONTEXT_STARTS = re.compile(
    r"(?<![\w'’])(?=" + _FULL_AHEAD + r"|(?:\d{1,2}|[a-z]{3,9})" + _AGE_AHEAD
    + "|" + either(_REVIEWED) + _REVIEWED_HOW + "|" + either(_HARMS) + " of "
    + "|(?:" + either((*_HELPED, *_ADOPTED, "the")) + " |" + either(_YOUNG) + r"\s+)[A-Z]|into )")
# For _SINGLE: a title before a name, or a name followed by what its branches need next
# ("'s", ",", "*", " aged", " was", " ("); a name or letters before "died" (after a line
# start, a stop, a colon, a number or "when"); a line titled "SAR Ann" or with a dash
# soon after its first word ("SAR – Ann", "Learning Briefing: Rory – injury");
# an age; a quotation mark; the words its branches open with, and what follows them.
# What follows a name is written again here (listing it keeps the starts few); a test
# built from the patterns' parse fails if a word is missing.
_NAME_AHEAD = (r"(?:Mr|Mrs|Ms|Miss) |[A-Z][\w'’-]*['’\"”]?(?:['’]s\b|[,*]| (?:\(|[–-] not\b|(?:aged|was|is|an?|whose|"
               r"not|and)\b))")
_DIED_AHEAD = r"(?:(?:Mr|Mrs|Ms|Miss)\.? )?['‘\"“]?[A-Z][\w'’-]*['’\"”]?,? (?:who )?" + either(_DIED) + r"\b"
_SINGLE_STARTS = re.compile(
    r"^(?=" + _DIED_AHEAD + "|" + either(_PAGE_TITLES) + r" |\W*+[^\n–-]{0,47}+\s*[–-])"
    r"|[.:](?=\s+" + _DIED_AHEAD + r")|(?<!['’])\d(?=,?\s+" + _DIED_AHEAD + r")|['‘\"“]"
    r"|(?<![\w'’])(?=(?:\d{1,3}|[a-z]{3,9})" + _AGE_AHEAD + "|" + _NAME_AHEAD
    + "|(?i:" + "|".join((*_KILLED, *_INJURED)) + ") |" + either(_CHILD_OF) + " of "
    + "|(?i:" + "|".join(_TITLED) + r")(?:\s*[:–(-]|\s+(?i:in|into|concerning|regarding|about|for|re|of|on)\b)"
    + "|(?i:" + "|".join(_WHEN) + ") " + _DIED_AHEAD + "|" + either(_CHANCES) + " to |pseudonym |"
    + "(?i:" + "|".join(KILLER_VERBS) + ") |(?:" + "|".join(_LITTLE) + ") [A-Z'‘\"“]|"
    + either(_ABOUT) + " about )", re.M)
# The places those two can match, found without running them at every position (the
# engine cannot skip ahead to a look-behind, so it would try each of the opening's), then
# each tried with them: line starts; a stop, colon or digit before a space or comma;
# quotation marks; capitals and digits at word starts; and, in one automaton pass over
# the folded opening, the words their branches open with at word starts and the words
# before "-year" ("twelve-year").
_MARKS = re.compile(r"[.:'‘\"“\dA-Z](?:(?<![\w'’][\dA-Z])(?<![.:])|(?<=[\d.:])(?=[,\s]))")
_OPENERS = tuple(dict.fromkeys(w.split()[0].lower() for w in (
    *_HARMS, *_HELPED, *_REVIEWED, *_YOUNG, *_ADOPTED, *_KILLED, *_INJURED, *_CHILD_OF, *_TITLED, *_WHEN, *_CHANCES,
    *_ABOUT, *KILLER_VERBS, "the", "into", "pseudonym")))
_UNITS = tuple(sep + unit for unit in _AGE_UNITS for sep in "- ")


# The words the two finders' branches open with, and the units of an age ("-year"),
# looked for in the folded opening by one search.
_OPENING_WORDS = WordGroups({"opener": _OPENERS, "unit": _UNITS})


def _starts(opening: str) -> tuple[list[int], list[int]]:
    """The starts of ``_CONTEXT_STARTS`` and of ``_SINGLE_STARTS`` in ``opening``, as
    their ``finditer`` gives them (less repeats)."""
    places = [0, *(m.end() for m in re.finditer("\n", opening)), *(m.start() for m in _MARKS.finditer(opening))]
    found = _OPENING_WORDS.places(fold(opening))
    places += [s for s in found.get("opener", ()) if word_start(opening, s)]
    for s in found.get("unit", ()):  # the number word before it: "twelve-year"
        while s and "a" <= opening[s - 1] <= "z":
            s -= 1
        places.append(s)
    places = sorted(set(places))
    return ([*compress(places, map(_CONTEXT_STARTS.match, repeat(opening), places))],
            [*compress(places, map(_SINGLE_STARTS.match, repeat(opening), places))])


# Words before a name that make it someone else's: "his mother, Nyomi Fee".
OTHER_BEFORE = re.compile(
    r"\b(?:mother|mum|father|dad|stepfather|stepmother|partner|boyfriend|girlfriend|husband|wife|"
    r"grandmother|grandfather|uncle|aunt|killer|murderer|carer|sister|brother|siblings?|cousin|by|"
    r"offender|perpetrator|abuser|accused|defendant|worker|practitioner|nurse|teacher|therapist|"
    r"councillor|cllr|chair|chairman|author|reviewer|officer|detective|minister|mp|spokes\w+|"
    r"judge|justice|mr|mrs|ms|dr|professor|named)(?:['’]s)?[ ,]+(?:[\w'’]+[ ,]+){0,2}$",
    re.I,
)


_FIRST_BEFORE = re.compile(rf"(?<![\w'’.-])({_NAME}) $")


def named_subjects(text: str) -> Counter[str]:
    """Full names in subject contexts, scored: each context counts 3, each later
    mention of the name (or its first word) 1."""
    scores: Counter[str] = Counter()
    # A text names its subject in its opening; a long report's body adds nothing
    # but time to search.
    opening = text[:OPENING]
    context_starts, single_starts = _starts(opening)
    for m in matches_at(_SUBJECT_CONTEXT, opening, context_starts):
        group = next(g for g in range(1, m.re.groups + 1) if m.group(g))
        start, name = m.start(group), m.group(group)
        # "the death of Mr Michael Thompson": the name without its title.
        if (title := name.split(" ", 1))[0] in _TITLE_WORDS and " " in title[1]:
            name = title[1]
        # "the death of Rebecca Kandare January 2014": the name without the month.
        while len(name.split()) > 2 and name.rsplit(" ", 1)[1] in NOT_NAMES:
            name = name.rsplit(" ", 1)[0]
        words = name.replace("-", " ").split()
        if any(w in NOT_NAMES for w in words) or is_area(name):  # "a review into Tower Hamlets"
            continue
        if OTHER_BEFORE.search(text, max(0, start - 40), start):
            continue
        scores[name] += 3
    for m in matches_at(_SINGLE, opening, single_starts):
        group = next(g for g in range(1, m.re.groups + 1) if m.group(g))
        name = m.group(group)
        name = name[0].upper() + name[1:].replace(".", "")  # "the death of child 1", "Mr. Lee"
        # "killed his father Terry": the kin word names the one killed, not another person.
        killed = m.group(0).split(" ", 1)[0].lower() in KILLER_VERBS
        # "Harry Hucknall's tragic death": the surname's first name goes with it.
        if m.group(0).startswith(name) \
                and (first := _FIRST_BEFORE.search(opening[max(0, m.start(group) - 30):m.start(group)])) \
                and first.group(1) not in NOT_NAMES:
            name = f"{first.group(1)} {name}"
        if (name not in NOT_NAMES or month_named(name, text)) and not is_area(name) \
                and (killed or not OTHER_BEFORE.search(text, max(0, m.start(group) - 40), m.start(group))) \
                and not (_weak(m.group(0), name) and _introduced_as_other(name, text)):
            scores[name] += 3
    # "Children A and B": siblings reviewed together, told of by the first's pseudonym.
    for m in _SIBLINGS.finditer(opening):
        scores[f"Child {m.group(1)}"] += 3
    # A name the text puts in quotes once ("worked with 'Jo'") and then uses
    # without them mid-sentence ("contact with Jo", "caused Jo to"): a pseudonym.
    for m in _QUOTED.finditer(opening):
        name = m.group(1)
        if name in NOT_NAMES or is_area(name) or name in scores:
            continue
        if len(re.findall(rf"\b[a-z]+ {name}\b(?! [A-Z])", text)) >= 2:
            scores[name] += 3
    for name in list(scores):
        first = name if re.fullmatch(_LETTERED, name) else name.split()[0]  # "Mrs A", not every "Mrs"
        scores[name] += len(re.findall(rf"\b{re.escape(first)}\b", text))
    return scores


# What names a subject only weakly: the one whose family or needs the text speaks of,
# a titled adult who died ("Mr. Smith passed away"). Such a name the text introduces
# elsewhere as a relative, offender or practitioner ("her mother, Kim"; "the worker,
# Mr. Smith") is that, not the subject.
_KIN_END = re.compile(r"(?:['’]s| and (?:his|her)) " + either(_KIN) + r"$")
_DIED_IN = re.compile(r"\b(?:died|passed away)\b")


def _weak(found: str, name: str) -> bool:
    return _KIN_END.search(found) is not None or (
        _TITLE.match(name) is not None and _DIED_IN.search(found) is not None)


def _introduced_as_other(name: str, text: str) -> bool:
    """Whether ``text`` anywhere names ``name`` just after a relative's, offender's or
    practitioner's role (see OTHER_BEFORE)."""
    title, _, rest = name.partition(" ")
    written = rf"{title}\.? {re.escape(rest)}" if rest and title in TITLES else re.escape(name)  # "Mr. Smith"
    return any(OTHER_BEFORE.search(text, max(0, m.start() - 40), m.start())
               for m in re.finditer(rf"\b{written}\b", text[:_PEOPLE_SPAN]))


_MONTHS_NAMED = frozenset({"April", "May", "June", "July", "August"})


def month_named(name: str, text: str) -> bool:
    """Whether a month's name is a person's in ``text``: "April's family", "April's death",
    "April's real name" (a month is seldom said to have anything), or a name in quotes
    ("the death of 'May'")."""
    return name in _MONTHS_NAMED and _possessives(text)[name] >= 2


@lru_cache(maxsize=8)
def _possessives(text: str) -> Counter[str]:
    """How often each month's name takes an "'s", or quotation marks, in ``text``: counted
    once per text, not once per name found in its opening."""
    months = either(sorted(_MONTHS_NAMED))
    return Counter(m.group(1) or m.group(2) for m in re.finditer(rf"\b({months})['’]s\b|['‘\"“]({months})['’\"”]",
                                                                 text))


_TITLE = re.compile(r"^(?:Mr|Mrs|Ms|Miss)\s+")


def full_name(name: str, text: str) -> str:
    """The full name a text gives for ``name``, where news calls the subject by a
    first name ("Nina's death"), a surname or a title ("Mr Quayle", "Ms
    Orchard") and prints the full name elsewhere: the full name with that word
    (first name first, surname last) met most often, not one given to a parent,
    partner or perpetrator. Else ``name`` itself; initials are never expanded."""
    bare = _TITLE.sub("", name)
    surname = bare != name
    if " " in bare or not re.fullmatch(_NAME, bare):
        return name
    word = re.escape(bare)
    # A title goes with a surname; a word alone is tried as a first name first.
    patterns = [rf"\b({_NAME}) {word}\b(?! [A-Z])"]
    if not surname:
        patterns.insert(0, rf"\b{word} ({_NAME})\b(?! [A-Z])")
    for pattern in patterns:
        found: Counter[str] = Counter()
        for m in re.finditer(pattern, text):
            if m.group(1) in NOT_NAMES or OTHER_BEFORE.search(text, max(0, m.start() - 40), m.start()):
                continue
            found[m.group(0)] += 1
        if found:
            return found.most_common(1)[0][0]
    return name


# Offices, honours and speech around a name: an official, an author or a
# reporter, who may be named in the documents of many cases.
_OFFICE_BEFORE = re.compile(
    r"(?:\b(?:chair\w*|director|head|chief|lead|manager|officer|author|reviewer|editor|reporter|correspondent|"
    r"minister|secretary|mp|councillor|cllr|commissioner|inspector|professor|dr|sir|dame|lord|lady|judge|"
    r"justice|coroner|said|says|told|according to|spokes\w+|superintendent|detective|constable|sergeant|"
    r"president|leader|member|expert|consultant|lawyer|solicitor|barrister)\W{1,3}(?:[\w'’]+\W{1,3}){0,3}"
    r"|^\W*By\s+)$", re.I | re.M)
_OFFICE_AFTER = re.compile(
    r"\W{0,3}(?:OBE|CBE|MBE|QC|KC|MP|MSP|AM|said|says|told|added|wrote|explained|commented|"
    r"(?:the |an? )?(?:independent|chair|director|head|chief|lead|manager|officer|author|reviewer|minister|"
    r"secretary|councillor|commissioner|inspector|professor|spokes\w+|leader|member|editor|reporter|"
    r"correspondent|cabinet|executive|deputy|assistant|senior|principal|president|expert|consultant))\b", re.I)
_PEOPLE_SPAN = 60000  # a long report's people are named in its opening pages
_PERSON_AFTER = re.compile(r"\s*\(\d{1,3}\)|,\s+\d{1,3},|,\s+who\b|[^.\n]{0,60}\b(?:he|she|his|her|him)\b")
_PERSON_NAME = re.compile(rf"(?<![\w'’-])({_NAME}(?: {_NAME}){{1,2}})(?![\w'’-])")


def named_people(text: str) -> list[str]:
    """Full names a text gives private people (a perpetrator, a family) at least
    twice, never beside an office, an honour or a word of speech: what documents
    about one case that name no subject still share."""
    seen: Counter[str] = Counter()
    barred: set[str] = set()
    people: set[str] = set()  # said to be someone: an age, "he", "her partner"
    text = text[:_PEOPLE_SPAN]
    for m in _PERSON_NAME.finditer(text):
        name = m.group(1)
        if name in barred:
            continue
        words = name.replace("-", " ").split()
        if any(w in NOT_NAMES or is_area(w) for w in words) or is_area(name) \
                or re.search(_PLACE_WORDS, name) \
                or _OFFICE_BEFORE.search(text, max(0, m.start() - 60), m.start()) \
                or _OFFICE_AFTER.match(text, m.end(), m.end() + 40):
            barred.add(name)
            continue
        line_start, line_end = text.rfind("\n", 0, m.start()) + 1, text.find("\n", m.end())
        if not text[line_start:m.start()].strip() and not text[m.end():line_end if line_end >= 0 else None].strip():
            continue  # a caption, a heading or a page's widget, not the story
        seen[name] += 1
        if _PERSON_AFTER.match(text, m.end(), m.end() + 80):
            people.add(name)
    return sorted(n for n, c in seen.items() if c >= 2 and n in people and n not in barred)
