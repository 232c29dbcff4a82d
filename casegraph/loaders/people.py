"""People named: the child or adult a review is about, as news prints their name
("the death of Khyra Ishaq", "two-year-old Liam Fee") or as an adult review names
them ("the death of 'Alina'", "Jane aged 62"), told apart from parents, partners
and perpetrators named beside them."""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["named_subjects", "NOT_NAMES", "OPENING", "OTHER_BEFORE"]

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
    "Boards Contents Introduction Background Date Published Case Subject Victim Perpetrator Adults Annual".split()
)
_NAME = r"[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*"
_FULL = rf"({_NAME}(?:[ -]{_NAME}){{1,3}})"
# Where news names the one the review is about.
_SUBJECT_CONTEXT = re.compile(
    rf"\b(?:death|deaths|killing|murder|manslaughter|abuse|neglect|case|starvation|rape|torture|treatment) of "
    rf"(?:(?:baby|toddler|little|schoolboy|schoolgirl|teenager|pensioner|vulnerable|tragic)\s+)?{_FULL}"
    rf"|\b(?:\w+[- ](?:year|month|week|day)s?[- ]old|baby|toddler|schoolboy|schoolgirl|tot|infant|"
    rf"teenager|pensioner|girl|boy|youngster|victim)\s+{_FULL}"
    rf"|{_FULL}(?:,\s+(?:who was |aged )?\w+(?:[- ](?:years?|months?|weeks?))?(?:[- ]old)?,)?,?\s+(?:who\s+)?"
    rf"(?:died|was (?:killed|murdered|found|starved|beaten|stabbed|strangled|shaken|attacked)|suffered)\b"
    rf"|\b(?:adopting|adoption of|adopted) {_FULL}|\bthe {_FULL} case\b|^{_FULL}(?=:| case\b| review\b| death\b)"
    rf"|{_FULL}['’]s? (?:death|killing|murder|mother|father|stepfather|family|killers?)\b"
    rf"|\binto (?:the (?:death|case) of )?{_FULL}['’]s? (?:death|case)",
    re.M,
)
# One name alone, where only a pseudonym can stand: "the death of 'Alina'", "Jane
# aged 62", "Helen (pseudonym)", "a review in respect of John".
_ONE = rf"['‘\"“]?({_NAME})['’\"”]?(?![ -][A-Z])"
_SINGLE = re.compile(
    rf"\b(?:death|deaths|killing|murder|homicide|manslaughter|circumstances) of {_ONE}"
    rf"|\b(?:review|SAR|DHR|CSPR|SCR) (?:in respect of|into|concerning|about|for) (?:the (?:death|case) of )?{_ONE}"
    rf"|\b{_ONE},? (?:\(pseudonym\)|aged \d{{1,3}}\b|was (?:a |an )?\d{{1,3}}[- ]years?[- ]old)"
    rf"|\bpseudonym (?:of )?{_ONE}"
    rf"|^\W*(?:SAR|DHR|Case Reviews? \d{{4}})?[^\n]{{0,30}}[–-] {_ONE}\s*$",
    re.M,
)
OPENING = 3000
# Words before a name that make it someone else's: "his mother, Nyomi Fee".
OTHER_BEFORE = re.compile(
    r"\b(?:mother|mum|father|dad|stepfather|stepmother|partner|boyfriend|girlfriend|husband|wife|"
    r"grandmother|grandfather|uncle|aunt|killer|murderer|carer|sister|brother|cousin|by|"
    r"councillor|cllr|chair|chairman|author|reviewer|officer|detective|minister|mp|spokes\w+|"
    r"judge|justice|mr|mrs|ms|dr|professor|named)(?:['’]s)?[ ,]+(?:[\w'’]+[ ,]+){0,2}$",
    re.I,
)


def named_subjects(text: str) -> Counter[str]:
    """Full names in subject contexts, scored: each context counts 3, each later
    mention of the name (or its first word) 1."""
    scores: Counter[str] = Counter()
    # A text names its subject in its opening; a long report's body adds nothing
    # but time to search.
    opening = text[:OPENING]
    for m in _SUBJECT_CONTEXT.finditer(opening):
        group = next(g for g in range(1, m.re.groups + 1) if m.group(g))
        start, name = m.start(group), m.group(group)
        words = name.replace("-", " ").split()
        if any(w in NOT_NAMES for w in words):
            continue
        if OTHER_BEFORE.search(text, max(0, start - 40), start):
            continue
        scores[name] += 3
    for m in _SINGLE.finditer(opening):
        group = next(g for g in range(1, m.re.groups + 1) if m.group(g))
        name = m.group(group)
        if name not in NOT_NAMES and not OTHER_BEFORE.search(text, max(0, m.start(group) - 40), m.start(group)):
            scores[name] += 3
    for name in list(scores):
        first = name.split()[0]
        scores[name] += len(re.findall(rf"\b{re.escape(first)}\b", text))
    return scores
