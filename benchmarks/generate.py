"""A deterministic generator of a synthetic national corpus of safeguarding case
reviews and the news reports about them, for benchmarking casegraph.

Every word is made up here: fictional places built from syllables, fictional
partnerships and agencies, and sentences assembled from phrase lists written for
this file (never copied from real reviews). The same seed always writes the same
bytes. By default 5,000 documents: 60% full review reports (20-60 KB, numbered
sections and paragraphs, findings and recommendations) and 40% news articles
(2-5 KB, some as HTML) about some of those same cases.

    python benchmarks/generate.py OUT_DIR --reviews 5000 --seed 1
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

__all__ = ["generate", "Corpus", "REPORT_SHARE"]

T = TypeVar("T")

REPORT_SHARE = 0.6  # the rest of the documents are news articles
FIRST_YEAR, LAST_YEAR = 2011, 2024
MONTHS = ("January February March April May June July August September October November "
          "December").split()
NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                "fourteen fifteen sixteen seventeen eighteen nineteen twenty").split()

# --------------------------------------------------------------------------- places

_START = ("Ash Bar Bram Brock Cal Carr Dun Elm Fen Gar Glen Hal Har Hol Kel Kin Lang Lyn Mar "
          "Mel Nor Oak Ort Pen Quen Rad Ros Sel Stan Stour Thorn Tre Ud Wen Whit Wick Wold Yar "
          "Ald Bex Cran Dray Eas Fal Gos Hep Ilk Lud Mal Ned Ock Pol Rud Sax Tad Up Ven Wal").split()
_MIDDLE = ("", "", "", "", "ble", "der", "en", "ing", "ley", "mer", "ster", "ker", "ton", "wen", "al")
_END = ("ford wick ton by ham mouth field bury ley borough minster stead worth caster bridge "
        "dale port well combe thorpe hurst den").split()
_SHIRE = ("shire", "shire", "shire", "land", "mere", "dale")


def _place(rng: random.Random, ends: Sequence[str]) -> str:
    name = rng.choice(_START) + rng.choice(_MIDDLE) + rng.choice(ends)
    name = re.sub(r"(.)\1\1", r"\1\1", name)  # no triple letters
    return name[0].upper() + name[1:].lower()


def _weighted(rng: random.Random, table: Sequence[tuple[T, float]]) -> T:
    items, weights = zip(*table, strict=True)
    return rng.choices(items, weights=weights)[0]


def _sample_weighted(rng: random.Random, table: dict[T, float], k: int) -> list[T]:
    """k distinct keys, drawn with probability proportional to weight."""
    pool = dict(table)
    out: list[T] = []
    while pool and len(out) < k:
        key = _weighted(rng, list(pool.items()))
        out.append(key)
        del pool[key]
    return out


# --------------------------------------------------------------------------- agencies


@dataclass(frozen=True)
class Agency:
    """One organisation of a locality: full name, how practitioners are called, an acronym."""

    key: str
    name: str
    role: str  # the practitioner, as a noun phrase used after "the"
    acronym: str | None = None


def _acronym(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w']*", name) if w[0].isupper())


def locality_agencies(town: str, county: str, year: int) -> dict[str, Agency]:
    """The agencies a review in ``town`` names; health commissioners changed name in 2022."""
    commissioner = (f"{county} Integrated Care Board" if year >= 2022
                    else f"{county} Clinical Commissioning Group")
    table = {
        "csc": (f"{town} Children's Social Care", "social worker", True),
        "early-help": (f"{town} Early Help Service", "early help worker", False),
        "police": (f"{county} Police", "police officers", False),
        "health-visiting": (f"{town} Health Visiting Service", "health visitor", False),
        "gp": ("the GP practice", "GP", False),
        "midwifery": (f"{town} Maternity Services", "community midwife", False),
        "hospital": (f"{town} General Hospital", "paediatrician", True),
        "ambulance": (f"{county} Ambulance Service", "paramedics", False),
        "mental-health": (f"{county} Mental Health Services", "community psychiatric nurse", False),
        "substance": (f"{county} Drug and Alcohol Service", "drug and alcohol worker", False),
        "domestic-abuse": (f"{county} Domestic Abuse Service", "domestic abuse worker", False),
        "housing": (f"{town} Council Housing Service", "housing officer", False),
        "school": (f"{town} Primary School", "class teacher", False),
        "probation": ("the Probation Service", "probation officer", False),
        "asc": (f"{town} Adult Social Care", "adult social care practitioner", True),
        "commissioner": (commissioner, "designated nurse", True),
        "youth-offending": (f"{town} Youth Offending Service", "youth offending worker", False),
    }
    return {key: Agency(key, name, role, _acronym(name) if acr else None)
            for key, (name, role, acr) in table.items()}


# Which agencies each kind of review usually involves (weight = how often).
AGENCIES_BY_KIND: dict[str, dict[str, float]] = {
    "child": {"csc": 10, "police": 9, "health-visiting": 8, "gp": 8, "midwifery": 6, "hospital": 7,
              "early-help": 5, "ambulance": 4, "substance": 4, "domestic-abuse": 3, "housing": 4,
              "school": 4, "mental-health": 3, "commissioner": 2, "youth-offending": 1},
    "adult": {"asc": 10, "gp": 9, "ambulance": 7, "housing": 7, "mental-health": 7, "hospital": 6,
              "police": 5, "substance": 4, "commissioner": 2, "probation": 1},
    "dhr": {"police": 10, "gp": 8, "domestic-abuse": 8, "mental-health": 5, "hospital": 5,
            "probation": 5, "housing": 4, "asc": 3, "substance": 4, "csc": 3, "ambulance": 2},
}

# --------------------------------------------------------------------------- themes
# Each theme: weight by kind of review, analysis heading, failure sentences (slots:
# {A} implicated agency, {B} another agency, {S} subject, {role} A's practitioner),
# and recommendation texts ({A} addressee).


@dataclass(frozen=True)
class Theme:
    key: str
    weights: tuple[float, float, float]  # child, adult, dhr
    heading: str
    failures: tuple[str, ...]
    recommendations: tuple[str, ...]
    agencies: tuple[str, ...] = ()


THEMES: tuple[Theme, ...] = (
    Theme("information-sharing", (10, 9, 9), "Information sharing between agencies", (
        "Information was not shared between agencies at the points where it mattered most.",
        "Information held by {A} about the concerns in the household was not shared with {B}.",
        "The outcome of the referral was not shared with {B}, so the {brole} did not know what had happened.",
        "No information was passed to {B} when {A} ended its involvement.",
        "There was poor communication between {A} and {B}, and neither knew that the other was involved.",
        "What {A} knew was not shared with the practitioners who were visiting the home.",
        "Important details were recorded by {A} but were not shared with {B}.",
    ), (
        "{A} should ensure that staff understand what information must be shared with partner agencies "
        "when concerns about a child or adult are identified, and how to share it quickly.",
        "All agencies should review their arrangements for sharing information with partners, and the "
        "partnership should seek assurance within six months that practitioners know when and how to share.",
        "{A} should make sure that the outcome of every safeguarding referral is shared with the "
        "professional who made it.",
    )),
    Theme("substance-misuse-impact", (8, 4, 4), "The impact of parental substance use", (
        "The impact of parental cannabis use on the care of {S} was not assessed by {A}.",
        "{A} recorded the mother's alcohol use, but its impact on her ability to care for {S} was not considered.",
        "There was no assessment of how the father's drug use affected the safety of the children.",
        "Cannabis use in the household was noted by {A} but was not explored any further.",
        "Alcohol misuse was known to several agencies, but its impact on the care of the children was not assessed.",
    ), (
        "{A} should ensure that assessments explicitly address the impact of parental substance misuse "
        "on the care of the child, including at night.",
        "The partnership should issue practice guidance on assessing the impact of parental cannabis and "
        "alcohol use on the care of babies and young children.",
    ), ("csc", "health-visiting", "midwifery", "gp", "early-help", "substance")),
    Theme("plan-not-followed", (6, 4, 3), "Planning and follow-through", (
        "The plan was not followed through.",
        "The child in need plan agreed by {A} was not implemented as intended.",
        "Agreed actions were not completed in line with the plan, and nobody noticed.",
        "The safety plan agreed at the meeting was not carried out by {A}.",
        "The plan was not followed through once the case had moved to {A}.",
    ), (
        "{A} should ensure that plans have named owners and timescales, and that progress against the "
        "plan is reviewed by a manager at least monthly.",
    ), ("csc", "early-help", "asc", "mental-health")),
    Theme("father-not-assessed", (5, 0, 1), "Fathers and male carers", (
        "The father was not assessed by any agency, although he was often caring for {S}.",
        "{A} failed to include the father in its assessment of the family.",
        "The male partner was never spoken to by {A}, although he was living in the home.",
        "Fathers were not considered in the planning, and the risks they posed were not understood.",
    ), (
        "{A} should ensure that all adults who care for a child, including fathers and male partners, "
        "are identified, spoken to and included in assessments.",
    ), ("csc", "health-visiting", "midwifery", "early-help")),
    Theme("multi-agency-coordination", (7, 7, 6), "Multi-agency coordination", (
        "There was a lack of multi-agency coordination throughout the period under review.",
        "A strategy discussion was not held, although the threshold for one had been met.",
        "Agencies were not working together, and no lead professional was identified.",
        "There was a fragmented response, with {A} and {B} each holding only part of the picture.",
        "No multi-agency meeting was convened, and {A} did not invite {B} to discuss the concerns.",
    ), (
        "{A} should ensure that strategy discussions involve health professionals and every agency that "
        "holds relevant information.",
        "The partnership should develop a multi-agency risk management procedure for adults who decline "
        "support, and audit its use within twelve months.",
    )),
    Theme("management-oversight", (5, 4, 3), "Management oversight and supervision", (
        "Management oversight of the case within {A} was weak.",
        "There was limited management oversight of key decisions made by {A}.",
        "The assessment was signed off by a manager in {A} without any challenge, showing poor management oversight.",
        "There was a lack of supervision for the {role}, who was managing a high caseload.",
    ), (
        "{A} should strengthen management oversight of decisions to close or step down cases, and audit "
        "the quality of supervision records.",
    ), ("csc", "asc", "early-help", "health-visiting", "mental-health")),
    Theme("professional-curiosity", (6, 5, 5), "Professional curiosity", (
        "There was little professional curiosity about the explanations given by the parents.",
        "The {role} did not question the account given of how the injury happened.",
        "Practitioners from {A} did not explore who else was living in the household.",
        "The {role} failed to challenge the explanation, although it did not fit what had been seen.",
        "There was a lack of professional curiosity within {A} about why appointments kept being missed.",
    ), (
        "{A} should provide practitioners with training and reflective supervision that promote "
        "professional curiosity and respectful challenge.",
    )),
    Theme("parental-self-report", (4, 2, 2), "Reliance on self-report", (
        "Assessments relied heavily on the mother's own account, which was accepted at face value.",
        "{A} relied on what the parents said without checking it with other agencies.",
        "Self-reported abstinence from cannabis was accepted by {A} without any testing or checking.",
    ), (
        "{A} should ensure that assessments record how parental accounts have been checked against other "
        "sources of information.",
    ), ("csc", "health-visiting", "midwifery", "substance", "early-help")),
    Theme("escalation", (4, 4, 2), "Escalation and challenge", (
        "Concerns were not escalated to managers in {A}.",
        "The {role} from {A} did not know how to escalate the case back to {B}.",
        "The escalation policy was not used when {A} disagreed with the decision made by {B}.",
    ), (
        "{A} should ensure that all staff know the partnership escalation procedure and have used it "
        "when they disagree with a decision.",
        "The partnership should publicise its escalation policy and monitor how often it is used.",
    )),
    Theme("case-closure", (4, 4, 2), "Closure and step-down", (
        "The case was closed by {A} without a clear rationale.",
        "The decision to step down to early help was based on an assessment that did not reflect the risks.",
        "The case was closed after a single telephone call, and no one checked whether the risks had reduced.",
    ), (
        "{A} should ensure that no case is closed or stepped down without a recorded rationale agreed "
        "by a manager and shared with partner agencies.",
    ), ("csc", "asc", "early-help", "mental-health", "substance")),
    Theme("workload-capacity", (4, 4, 2), "Workload and capacity", (
        "The {role} was carrying a high caseload and had limited time to reflect on the case.",
        "Staff shortages in {A} delayed the assessment by several weeks.",
        "Practitioners in {A} were working under significant pressure, with caseloads well above the local target.",
    ), (
        "{A} should report to the partnership on caseloads and vacancies in front-line teams every six months.",
    )),
    Theme("record-keeping", (3, 3, 2), "Recording", (
        "The concerns were not recorded on the GP record.",
        "{A} did not record the outcome of the visit.",
        "Key decisions were not recorded, so later practitioners could not see why they had been made.",
    ), (
        "{A} should audit the quality of safeguarding records, including whether decisions and their "
        "reasons are recorded.",
    ), ("gp", "health-visiting", "hospital", "csc", "asc")),
    Theme("thresholds", (3, 2, 1), "Thresholds", (
        "The threshold for a section 47 enquiry was judged not to have been met, and this was not revisited.",
        "{A} applied the threshold for intervention too narrowly, so the referral was not progressed.",
    ), (
        "The partnership should refresh its threshold guidance and test how consistently it is applied.",
    ), ("csc", "asc")),
    Theme("non-engagement", (4, 7, 3), "Responding to non-engagement", (
        "When the family did not attend appointments, {A} closed the referral without further follow-up.",
        "The mother declined support from {A}, and this was accepted without challenge.",
        "The response of {A} to missed appointments was limited to sending further letters.",
        "Non-engagement was treated as a choice rather than as a sign of risk.",
    ), (
        "{A} should review its policy on discharging patients who do not attend, so that missed "
        "appointments are followed up with the referrer.",
    ), ("gp", "health-visiting", "substance", "mental-health", "asc", "midwifery")),
    Theme("missed-opportunities", (5, 5, 6), "Missed opportunities", (
        "There were missed opportunities to bring together what agencies knew.",
        "This was a missed opportunity for {A} to reconsider the risks.",
        "The visit by {A} was a missed chance to ask about the concerns raised by {B}.",
    ), ()),
    Theme("safe-sleeping", (3, 0, 0), "Safe sleeping", (
        "Safe sleeping advice was given but was not revisited after the family's circumstances changed.",
        "The sleeping arrangements were not checked by {A} after the family moved.",
        "Safe sleep advice from {A} did not address the risks of bed sharing after alcohol or drug use.",
    ), (
        "{A} should develop a safe sleeping approach that involves both parents and addresses the risks "
        "of bed sharing when routines are disrupted.",
    ), ("health-visiting", "midwifery", "gp")),
    Theme("domestic-abuse-response", (6, 1, 10), "The response to domestic abuse", (
        "The response to domestic abuse focused on single incidents, and the pattern was not recognised.",
        "Domestic abuse was known to {A} but was not explored with the mother.",
        "No DASH risk assessment was completed by {A} after the incident.",
        "A MARAC referral was not made, although the risk was high.",
        "The impact of domestic abuse on the children was not considered by {A}.",
    ), (
        "{A} should ensure that every domestic abuse incident is considered alongside previous incidents, "
        "so that patterns of abuse are recognised.",
        "The partnership should seek assurance that DASH risk assessments are completed and shared with "
        "the MARAC when the risk is high.",
    ), ("police", "csc", "gp", "domestic-abuse", "health-visiting")),
    Theme("mental-health-response", (4, 5, 5), "Mental health", (
        "The mother's low mood was not explored by {A}.",
        "Mental health concerns were not assessed by {A}, although they had been raised by {B}.",
        "Depression was recorded but was not considered in planning by {A}.",
    ), (
        "{A} should ensure that practitioners ask about the mental health of parents and carers and act "
        "on what they are told.",
    ), ("gp", "health-visiting", "mental-health", "midwifery")),
    Theme("voice-of-child", (3, 0, 1), "The voice of the child", (
        "The voice of the child was not heard in assessments by {A}.",
        "The children's views and wishes were not recorded by {A}.",
    ), (
        "{A} should ensure that assessments describe the daily lived experience of the child.",
    ), ("csc", "school", "early-help")),
    Theme("child-not-seen", (3, 0, 0), "Seeing the child", (
        "The children were not seen alone by {A}.",
        "{S} was not seen at the last three planned visits.",
    ), (
        "{A} should ensure that children subject to plans are seen, and seen alone where they are old "
        "enough, at every statutory visit.",
    ), ("csc", "health-visiting", "early-help")),
    Theme("injury-investigation", (2, 0, 0), "Responding to injuries", (
        "The bruise seen by {A} was not investigated or explained.",
        "No child protection medical was arranged after the injury was reported.",
    ), (
        "{A} should ensure that bruising in non-mobile babies always leads to a referral and a child "
        "protection medical.",
    ), ("hospital", "gp", "health-visiting")),
    Theme("neglect-recognition", (3, 1, 0), "Recognising neglect", (
        "{A} did not recognise the cumulative neglect of the children.",
        "Practitioners did not identify neglect, because each concern was considered on its own.",
    ), (
        "The partnership should relaunch its neglect strategy and the use of the neglect assessment tool.",
    ), ("csc", "health-visiting", "school", "early-help")),
    Theme("training-support", (2, 2, 2), "Training and support", (
        "Practitioners in {A} told the review that they had not received training on this area of practice.",
    ), (
        "{A} should provide training for all front-line staff on recognising and responding to these risks.",
    )),
    Theme("self-neglect-response", (0, 9, 0), "Self-neglect", (
        "The self-neglect procedures were not used by {A}.",
        "The extent of the hoarding was not understood by {A}, and no one took the lead.",
        "Concerns about self-neglect were closed by {A} without a visit.",
    ), (
        "{A} should ensure that the self-neglect and hoarding procedures are used whenever a person "
        "repeatedly declines support.",
    ), ("asc", "housing", "gp")),
    Theme("mental-capacity", (0, 8, 1), "Mental capacity", (
        "No formal mental capacity assessment was carried out by {A}, although the risks were increasing.",
        "Refusals were treated by {A} as unwise decisions without considering whether capacity had been lost.",
    ), (
        "{A} should provide further training on the Mental Capacity Act, including when to assess "
        "capacity where choices put a person at serious risk.",
    ), ("asc", "gp", "mental-health", "ambulance")),
    Theme("covid-impact", (1, 1, 1), "The pandemic", (
        "Face-to-face contact by {A} was limited during the pandemic, which limited what could be seen.",
    ), ()),
    Theme("referral-response", (3, 3, 2), "Responding to referrals", (
        "The referral from {B} was not responded to by {A} for nine days.",
        "The written referral from {A} was incomplete, and its urgency was not clear.",
    ), (
        "{A} should ensure that referrals are acknowledged and responded to within agreed timescales.",
    )),
    Theme("care-leaver-parents", (1, 0, 0), "Parents who are care leavers", (
        "The mother's status as a care leaver was not taken into account by {A}.",
    ), (
        "{A} should ensure that the corporate parenting responsibilities for care leavers who become "
        "parents are reflected in pre-birth planning.",
    ), ("csc", "midwifery")),
    Theme("case-transfer", (2, 2, 1), "Transfers between teams", (
        "Important information was lost when the case was transferred between teams in {A}.",
    ), (
        "{A} should ensure that every case transfer includes a transfer summary and a joint visit.",
    )),
)
THEME_BY_KEY = {t.key: t for t in THEMES}
_KIND_INDEX = {"child": 0, "adult": 1, "dhr": 2}

# Risk factors: probability by kind (child, adult, dhr) and background sentences by kind.
RISKS: dict[str, tuple[tuple[float, float, float], dict[str, tuple[str, ...]]]] = {
    "domestic-abuse": ((0.7, 0.1, 1.0), {
        "child": (
            "There was a history of domestic abuse between the mother and the father, including an incident in {Y} "
            "when police were called.",
            "The mother later told the review that the domestic abuse had started during her first pregnancy.",
            "Domestic abuse was a feature of the parents' relationship from its early months.",
        ),
        "adult": ("{S} had been subject to domestic abuse by a former partner, and police had been called in {Y}.",),
        "dhr": (
            "Friends described coercive and controlling behaviour by her partner that had grown worse over time.",
            "There was a history of domestic abuse in the relationship, including an incident in {Y} when police "
            "were called.",
            "{S} had told her sister that her partner checked her phone and controlled her money, a pattern of "
            "coercive control.",
        ),
    }),
    "parental-substance-misuse": ((0.55, 0.6, 0.45), {
        "child": (
            "Both parents were known to use cannabis, and the father drank heavily at weekends.",
            "There were long-standing concerns about alcohol misuse in the household.",
            "The father had used cocaine in his twenties and told professionals that he no longer did so.",
        ),
        "adult": (
            "{S} had a long history of alcohol misuse and was drinking heavily in the last year of life.",
            "There were concerns about drug use, and {S} had been referred for treatment more than once.",
        ),
        "dhr": ("Her partner's alcohol misuse had increased in the months before the homicide.",
                "Her partner was known to use cannabis and cocaine."),
    }),
    "parental-mental-health": ((0.5, 0.6, 0.4), {
        "child": (
            "The mother had experienced low mood since her teenage years and had seen her GP about it several times.",
            "There was a history of depression, and medication had been prescribed and stopped more than once.",
            "The mother described periods of low mood and poor sleep after the birth of her first child.",
        ),
        "adult": ("{S} had a long history of depression and had been in contact with mental health services for years.",
                  "{S} had described low mood to the GP on several occasions."),
        "dhr": ("{S} had told her GP about low mood and anxiety on several occasions.",
                "Her partner had a history of depression and had once been admitted to hospital after an overdose."),
    }),
    "neglect": ((0.3, 0.05, 0.0), {
        "child": ("There were long-standing concerns about neglect of the older children.",
                  "Professionals had described the children as neglected on several occasions."),
        "adult": ("A relative had raised concerns that {S} was being neglected by a paid carer.",),
    }),
    "poor-home-conditions": ((0.25, 0.3, 0.05), {
        "child": ("Housing officers described poor home conditions, with little furniture and damp in every room.",
                  "The condition of the home varied, and at times it was described as cluttered and dirty."),
        "adult": ("The living conditions in the flat were poor, with rubbish in every room and no working heating.",),
        "dhr": ("Neighbours had noticed that the condition of the home had declined.",),
    }),
    "young-parent": ((0.25, 0.0, 0.05), {
        "child": ("The mother was a teenager when her first child was born.",
                  "Both were young parents, and neither had a settled income."),
        "dhr": ("{S} had been a teenage mother and had met her partner when she was nineteen.",),
    }),
    "parent-care-leaver": ((0.1, 0.0, 0.0), {
        "child": ("The mother was a care leaver and had a personal adviser from the leaving care team.",),
    }),
    "late-antenatal-booking": ((0.1, 0.0, 0.0), {
        "child": ("The mother booked late for antenatal care, at 24 weeks of pregnancy.",),
    }),
    "financial-hardship": ((0.25, 0.3, 0.2), {
        "child": ("The family were struggling financially and had used food banks.",
                  "Debt was a constant worry, and the household lived on a low income."),
        "adult": ("{S} was in debt and had missed rent payments for several months.",),
        "dhr": ("Her partner controlled the household money, and she had debts in her own name.",),
    }),
    "social-isolation": ((0.2, 0.5, 0.3), {
        "child": ("The mother was isolated, with minimal support from her own family.",),
        "adult": ("{S} lived alone and had become increasingly isolated after the death of a parent.",),
        "dhr": ("Her partner had isolated her from friends and family over several years.",),
    }),
    "housing-instability": ((0.15, 0.15, 0.1), {
        "child": ("The family had moved three times in two years and spent several months in temporary "
                  "accommodation.",),
        "adult": ("{S} had been homeless for a period and had stayed with friends before moving into the flat.",),
        "dhr": ("{S} had been offered temporary accommodation but returned home after two weeks.",),
    }),
    "unsafe-sleeping": ((0.15, 0.0, 0.0), {
        "child": ("Professionals were aware that {S} sometimes slept in the parents' bed, and bed sharing was "
                  "discussed twice.",),
    }),
    "parental-separation": ((0.2, 0.0, 0.3), {
        "child": ("The parents separated and reconciled several times during the period under review.",),
        "dhr": ("{S} had told friends that she planned to end the relationship, and the couple had separated twice.",),
    }),
}

# --------------------------------------------------------------------------- sentences

ELABORATIONS: tuple[str, ...] = (
    "Practitioners who spoke to the review described a service under considerable pressure at the time.",
    "It is important to understand why this happened, rather than to attribute blame to individual practitioners.",
    "The review heard that this was common practice in {T} at the time.",
    "Managers acknowledged that the guidance in place did not make expectations clear.",
    "Had this information been brought together, it would have shown a pattern of growing concern.",
    "The panel considered whether this reflected a wider issue across the partnership, and concluded that it did.",
    "The same issue was identified in an earlier review published by the partnership in {PY}.",
    "Since the events described in this report, {A} has revised its procedures.",
    "This is a recurring theme in local and national reviews.",
    "Practitioners were working with a large number of families with similar needs.",
    "The daily experience of {S} was rarely described in the records.",
    "The learning events showed the value of practitioners speaking directly to one another.",
    "Each agency held a small part of the picture, and each believed that someone else was taking the lead.",
    "The records show that the concern was discussed in supervision, but no action was agreed.",
    "It is not possible to say whether a different response would have changed what happened.",
    "Several practitioners said that they had felt unable to raise this at the time.",
    "The review recognises that hindsight makes patterns easier to see than they were at the time.",
    "{A} has since introduced a checklist for practitioners, and its use will be audited.",
    "The family's own account of this period is set out in section 4.",
    "The panel heard that the procedures had been written some years earlier and had not been updated.",
    "This was compounded by the use of separate recording systems that did not communicate.",
    "The review was told that newly qualified staff were often allocated the most complex cases.",
    "Where practitioners did act on their concerns, they were not always told what happened next.",
    "The partnership has accepted this finding and has begun work on an action plan.",
    "At the practitioner event, staff described how rarely they met colleagues from other agencies.",
    "There were some examples of thoughtful and persistent practice, which are described below.",
)

GOOD_PRACTICE: tuple[str, ...] = (
    "There was good practice by the {role}, who made a clear and timely referral.",
    "The response of {A} on the day of the incident was effective and well coordinated.",
    "The {role} from {A} showed persistence in trying to see {S}, which is an example of good practice.",
    "The joint agency response following the incident was of a high standard.",
)

# Chronology events: (agency key, contact sentence). {D} is a date phrase.
EVENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "child": (
        ("csc", "{D} the social worker visited the family home and spoke to the mother about the plan."),
        ("police", "{D} {A} carried out a welfare check at the request of the social worker."),
        ("health-visiting", "{D} the health visitor from {A} completed a developmental review of {S}."),
        ("gp", "{D} {S} was seen at the GP practice for routine immunisations."),
        ("midwifery", "{D} the community midwife from {A} saw the mother at a routine antenatal appointment."),
        ("hospital", "{D} {S} was seen in the children's outpatient clinic at {A}."),
        ("school", "{D} staff at {A} met the mother to discuss Sibling 1's attendance."),
        ("housing", "{D} {A} arranged repairs to the heating at the family's flat."),
        ("early-help", "{D} the early help worker from {A} met the mother at a children's centre group."),
        ("csc", "{D} {A} received a referral from {B} about concerns for {S}."),
        ("csc", "{D} a social worker from {A} completed a home visit and saw {S} asleep in the living room."),
        ("csc", "{D} a strategy discussion was held by telephone between a team manager in {A} and {B}."),
        ("csc", "{D} the social worker completed a child and family assessment, which concluded that {S} was a child "
                "in need."),
        ("csc", "!{D} {A} closed the case and the family were stepped down to early help."),
        ("police", "{D} officers from {A} attended the family home after a neighbour reported shouting."),
        ("police", "{D} {A} submitted a Public Protection Notice to the Multi-Agency Safeguarding Hub after a "
                   "domestic abuse incident."),
        ("police", "{D} the father was arrested by {A} on suspicion of assault and was released under investigation "
                   "the next day."),
        ("health-visiting", "{D} the health visitor from {A} completed the new birth visit and found {S} "
                            "feeding well."),
        ("health-visiting", "!{D} a planned visit by the health visitor did not take place because nobody was "
                            "at home."),
        ("health-visiting", "{D} the health visitor telephoned the mother to rearrange a missed appointment."),
        ("gp", "{D} the mother attended an appointment at the GP practice and described low mood and poor sleep."),
        ("gp", "{D} {S} was taken to the GP with a rash, and no concerns about care were noted."),
        ("midwifery", "{D} the community midwife from {A} completed the booking appointment at 14 weeks of pregnancy."),
        ("midwifery", "!{D} the mother did not attend an antenatal clinic appointment, and the midwife telephoned "
                      "her the same day."),
        ("hospital", "{D} {S} was brought to the Emergency Department at {A} with a bruise to the forehead."),
        ("hospital", "{D} {S} was admitted to {A} with a chest infection and was discharged two days later."),
        ("ambulance", "{D} paramedics from {A} attended the flat after a call from the mother and found {S} asleep "
                      "in the parents' bed."),
        ("substance", "!{D} {A} received a referral for the father from the GP, and he did not attend the first two "
                      "appointments."),
        ("domestic-abuse", "!{D} a worker from {A} telephoned the mother to offer support, which she declined."),
        ("housing", "{D} a housing officer from {A} visited the flat in response to a complaint about damp."),
        ("school", "{D} staff at {A} noticed that Sibling 1 was often late and hungry, and the school made a "
                   "referral to {B}."),
        ("early-help", "!{D} {A} held a Team Around the Family meeting, which the health visitor did not attend."),
        ("early-help", "{D} the early help worker from {A} completed a home visit to review the family plan."),
        ("mental-health", "{D} the mother was assessed by {A} and was offered a course of talking therapy."),
        ("commissioner", "{D} the designated nurse at {A} was asked for advice by the health visitor."),
        ("youth-offending", "{D} Sibling 1 was referred to {A} after an arrest for criminal damage."),
    ),
    "adult": (
        ("gp", "{D} {S} attended the GP practice for a medication review."),
        ("asc", "{D} a practitioner from {A} telephoned {S} to arrange a visit."),
        ("housing", "{D} {A} arranged a deep clean of the communal areas of the block."),
        ("hospital", "{D} {S} attended an outpatient appointment at {A}."),
        ("ambulance", "{D} paramedics from {A} attended after a neighbour called, and {S} was taken to hospital."),
        ("mental-health", "{D} {S} attended a review with the community psychiatric nurse from {A}."),
        ("ambulance", "!{D} paramedics from {A} attended the flat after {S} had fallen, and {he} declined to go to "
                      "hospital."),
        ("asc", "!{D} {A} received a safeguarding concern from {B} about self-neglect, which was closed after a "
                "telephone call."),
        ("asc", "{D} a practitioner from {A} completed a care and support assessment at the flat."),
        ("housing", "{D} a housing officer from {A} visited in response to complaints from neighbours and found "
                    "rubbish in every room."),
        ("mental-health", "!{D} {S} was discharged by {A} after {he} missed three appointments."),
        ("mental-health", "{D} {S} was assessed by a community psychiatric nurse from {A}, who arranged a review in "
                          "six weeks."),
        ("gp", "{D} {S} attended the GP practice with a leg ulcer and was referred to the district nursing service."),
        ("gp", "{D} the GP telephoned {S} after a hospital discharge, and {he} said that {he} was managing."),
        ("hospital", "{D} {S} was admitted to {A} with a chest infection and was discharged four days later."),
        ("police", "{D} officers from {A} carried out a welfare check at the request of a neighbour."),
        ("substance", "!{D} {S} was referred to {A} and attended one appointment before disengaging."),
        ("commissioner", "{D} {A} was asked to review the discharge arrangements for {S}."),
        ("probation", "{D} {S} completed a period of supervision with the Probation Service."),
    ),
    "dhr": (
        ("gp", "{D} {S} attended the GP practice for a routine health check."),
        ("police", "{D} {A} recorded a call from a neighbour about a noise complaint at the address."),
        ("hospital", "{D} {S} attended an outpatient appointment at {A}."),
        ("housing", "{D} {A} visited {S} about a repair to the front door."),
        ("police", "{D} officers from {A} attended after a neighbour reported shouting, and {S} said there had been "
                   "an argument."),
        ("police", "{D} {A} completed a DASH risk assessment, which was graded standard risk."),
        ("gp", "!{D} {S} told her GP that she was feeling low and was not sleeping."),
        ("domestic-abuse", "{D} {S} contacted {A} and was offered support from an independent domestic violence "
                           "adviser."),
        ("hospital", "{D} {S} attended the Emergency Department at {A} with a wrist injury which she said had "
                     "happened in a fall."),
        ("probation", "{D} her partner was supervised by the Probation Service after a conviction for assault."),
        ("mental-health", "{D} her partner was assessed by {A} after he told his GP that he felt angry all the time."),
        ("housing", "{D} {S} asked {A} for a move, saying that she no longer felt safe at the address."),
        ("asc", "{D} {A} received a safeguarding concern about {S} from {B}."),
        ("substance", "{D} her partner attended {A} for help with his drinking."),
        ("csc", "{D} {A} completed an assessment of the children after a domestic abuse incident."),
        ("ambulance", "{D} paramedics from {A} treated {S} for a head wound at the address."),
    ),
}

# Detail sentences of a chronology paragraph; those starting "!" record a concern
# and are used sparingly, so that findings are about as dense as in real reports.
DETAILS: dict[str, tuple[str, ...]] = {
    "child": (
        "!This was recorded in the notes but was not shared with {B}.",
        "No concerns were noted about the care of {S}.",
        "The mother said that the father no longer lived at the flat.",
        "!The outcome was not followed up at later appointments.",
        "The information was passed to {B} the following week.",
        "The father was present for part of the visit and said little.",
        "{S} was seen and appeared well presented.",
        "Safe sleeping was discussed, and the mother said they had bought a new cot.",
        "The visit lasted about twenty minutes.",
        "A further appointment was offered for the following month.",
        "!There was a strong smell of cannabis in the flat.",
        "The mother said that the argument had been verbal only.",
        "Sibling 1 was at school at the time.",
        "!The record notes that the home was cold and that there was little food in the kitchen.",
        "The mother said that she felt well supported by her own mother.",
        "!No one asked who else was living in the household.",
        "The mother said that things were going well and that the children were settled.",
        "The practitioner noted that the flat was tidy.",
        "{S} was weighed and was growing along the expected centile.",
        "The next contact was booked for six weeks later.",
    ),
    "adult": (
        "!{S} said that {he} was managing fine and did not want any help.",
        "!This was recorded, but no referral was made.",
        "!The flat was cold, and there was no working heating.",
        "!A letter was sent offering a further appointment, which {he} did not attend.",
        "The information was passed to {B} by email.",
        "Neighbours had complained about the smell from the flat for several months.",
        "{S} appeared to have been drinking.",
        "!No assessment of {his} capacity to make this decision was recorded.",
        "A relative told the practitioner that the family were worried about {him}.",
        "The discharge summary was sent to the GP practice.",
        "{S} was polite and said that {he} would think about the offer of support.",
        "The visit lasted about half an hour.",
        "{S} was described as well dressed and chatty.",
        "A follow-up call was arranged for the following week.",
    ),
    "dhr": (
        "!She said that she did not want any further action to be taken.",
        "Her partner was not present.",
        "The children were asleep upstairs.",
        "!This was recorded, but the history of previous incidents was not checked.",
        "She was given a leaflet about local domestic abuse support.",
        "!No referral was made to the MARAC.",
        "The information was shared with {B} two days later.",
        "She said that she had fallen while carrying shopping.",
        "Her partner answered the door and said that she was asleep.",
        "Her sister later told the review that she had been frightened for some time.",
        "She said that she was staying with her sister for a few days.",
        "The appointment lasted ten minutes.",
    ),
}

# --------------------------------------------------------------------------- world


@dataclass
class Locality:
    name: str
    county: str
    favourite_themes: tuple[str, ...]
    outlets: tuple[str, ...]
    used_pseudonyms: set[str] = field(default_factory=set)

    @property
    def slug(self) -> str:
        return self.name.lower()


@dataclass
class Case:
    """One review report, and the facts its news coverage repeats."""

    index: int
    locality: Locality
    kind: str  # child | adult | dhr
    review_type: str  # SCR | CSPR | SAR | DHR
    pseudonym: str
    male: bool
    age: tuple[int, str]  # (number, unit)
    incident: tuple[int, int]  # (year, month)
    published: tuple[int, int, int]  # (year, month, day)
    died: bool
    themes: list[str]
    risks: list[str]
    agencies: list[str]
    seed: str

    @property
    def partnership(self) -> str:
        town = self.locality.name
        if self.kind == "adult":
            return f"{town} Safeguarding Adults Board"
        if self.kind == "dhr":
            return f"{town} Community Safety Partnership"
        return f"{town} Safeguarding Children {'Board' if self.review_type == 'SCR' else 'Partnership'}"

    @property
    def review_name(self) -> str:
        return {"SCR": "Serious Case Review", "CSPR": "Child Safeguarding Practice Review",
                "SAR": "Safeguarding Adults Review", "DHR": "Domestic Homicide Review"}[self.review_type]

    @property
    def path(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.pseudonym.lower())
        return f"reports/{self.locality.slug}/{self.published[0]}-{self.review_type.lower()}-{slug}.txt"


@dataclass
class Corpus:
    """What was generated: the report cases and the paths of every file written."""

    cases: list[Case]
    paths: list[Path]
    reports: int
    news: int
    bytes: int


def _world(rng: random.Random, n_reports: int) -> list[Locality]:
    n_localities = max(4, min(150, round(n_reports / 20)))
    counties: list[str] = []
    while len(counties) < max(2, n_localities // 4):
        name = _place(rng, _SHIRE)
        if name not in counties:
            counties.append(name)
    towns: list[str] = []
    while len(towns) < n_localities:
        name = _place(rng, _END)
        if name not in towns and name not in counties and len(name) <= 14:
            towns.append(name)
    theme_keys = [t.key for t in THEMES if t.key not in ("covid-impact", "missed-opportunities")]
    out = []
    for town in towns:
        county = rng.choice(counties)
        favourites = tuple(rng.sample(theme_keys, 3))
        outlets = (f"{county} Courier", f"{town} Gazette", f"{county} Echo", f"The {town} Advertiser",
                   "National News")
        out.append(Locality(town, county, favourites, outlets))
    return out


_GIVEN = ("Ava Ben Cara Dan Eve Finn Gail Hugo Isla Jack Kai Lily Max Nina Owen Pia Ray Sam Tia Vic "
          "Will Zara Alfie Bella Cody Daisy Eli Freya Gus Holly Ivan Jade Kit Luca Mia Ned Olive Pete "
          "Rosa Seth Tom Una Vera Wes Yara Zac").split()


def _pseudonym(rng: random.Random, loc: Locality, kind: str, infant: bool) -> tuple[str, bool]:
    """A pseudonym not yet used in ``loc``: a letter ("Child K", "Mr J"), else a given
    name ("Child Ava", "Adult Ben") once the letters run out."""
    letters = "ABCDEFGHJKLMNOPRSTVWXYZ"  # I, Q and U are avoided as they are in real reports
    for attempt in range(400):
        letter = rng.choice(letters) if attempt < 200 else rng.choice(_GIVEN)
        if kind == "child":
            prefix = rng.choice(("Child", "Child", "Baby")) if infant else "Child"
            name, male = f"{prefix} {letter}", rng.random() < 0.55
        elif kind == "adult":
            male = rng.random() < 0.55
            title = "Mr" if male else rng.choice(("Ms", "Mrs"))
            name = f"{title} {letter}" if len(letter) == 1 else f"Adult {letter}"
        else:
            name, male = (f"{rng.choice(('Ms', 'Mrs'))} {letter}" if len(letter) == 1 else f"Adult {letter}"), False
        if name not in loc.used_pseudonyms:
            loc.used_pseudonyms.add(name)
            return name, male
    raise RuntimeError(f"{loc.name}: ran out of pseudonyms")


def _cases(rng: random.Random, localities: list[Locality], n_reports: int, seed: int) -> list[Case]:
    sizes = [rng.lognormvariate(0, 0.5) for _ in localities]
    cases = []
    for i in range(n_reports):
        loc = rng.choices(localities, weights=sizes)[0]
        kind = _weighted(rng, [("child", 0.55), ("adult", 0.25), ("dhr", 0.2)])
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        rtype = {"adult": "SAR", "dhr": "DHR"}.get(kind) or ("SCR" if year < 2019 else "CSPR")
        incident = (year - rng.choice((1, 1, 2)), rng.randint(1, 12))
        published = (year, rng.randint(1, 12), rng.randint(1, 28))
        if kind == "child":
            age = _weighted(rng, [((rng.randint(2, 11), "week"), 0.2), ((rng.randint(2, 11), "month"), 0.45),
                                  ((rng.randint(1, 15), "year"), 0.35)])
            died = rng.random() < 0.7
        elif kind == "adult":
            age, died = (rng.randint(19, 92), "year"), rng.random() < 0.85
        else:
            age, died = (rng.randint(18, 81), "year"), True
        k = _KIND_INDEX[kind]
        weights = {t.key: t.weights[k] * (4 if t.key in loc.favourite_themes else 1)
                   for t in THEMES if t.weights[k] > 0}
        themes = _sample_weighted(rng, weights, rng.randint(4, 9))
        risks = [r for r, (p, _) in RISKS.items() if p[k] and rng.random() < p[k]]
        table = AGENCIES_BY_KIND[kind]
        agencies = _sample_weighted(rng, table, rng.randint(min(5, len(table)), min(11, len(table))))
        pseudonym, male = _pseudonym(rng, loc, kind, age[1] != "year" or age[0] < 2)
        cases.append(Case(i, loc, kind, rtype, pseudonym, male, age, incident, published, died,
                          themes, risks, agencies, f"{seed}:report:{i}"))
    return cases


# --------------------------------------------------------------------------- rendering


class Writer:
    """Fills slots of phrase templates for one case."""

    def __init__(self, case: Case, rng: random.Random):
        self.case = case
        self.rng = rng
        loc = case.locality
        self.agencies = locality_agencies(loc.name, loc.county, case.published[0])

    def agency(self, key: str | None = None, prefer: Sequence[str] = ()) -> Agency:
        if key:
            return self.agencies[key]
        pool = [k for k in self.case.agencies if k in prefer] or self.case.agencies
        return self.agencies[self.rng.choice(pool)]

    def other(self, a: Agency) -> Agency:
        pool = [k for k in self.case.agencies if k != a.key] or [a.key]
        return self.agencies[self.rng.choice(pool)]

    def lower_first(self, sentence: str) -> str:
        """A sentence to follow "It found that": lower-case unless it starts with a name."""
        names = [a.name for a in self.agencies.values()] + [self.case.pseudonym, self.case.locality.name]
        if any(sentence.startswith(n) for n in names) or sentence[:2].isupper():
            return sentence
        return sentence[:1].lower() + sentence[1:]

    def fill(self, template: str, a: Agency | None = None, b: Agency | None = None) -> str:
        a = a or self.agency()
        b = b or self.other(a)
        case = self.case
        text = template.format(
            A=a.name, B=b.name, S=case.pseudonym, role=a.role, brole=b.role, T=case.locality.name,
            he="he" if case.male else "she", him="him" if case.male else "her", his="his" if case.male else "her",
            Y=case.incident[0] - self.rng.randint(1, 3),
            PY=case.published[0] - self.rng.randint(3, 8),
        )
        text = re.sub(r"\bthe the\b", "the", text)
        return _cap(text)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _age_text(case: Case, words: bool = False) -> str:
    n, unit = case.age
    count = NUMBER_WORDS[n] if words and n < len(NUMBER_WORDS) else str(n)
    return f"{count} {unit}{'s' if n != 1 else ''}"


def _pronouns(case: Case) -> tuple[str, str, str]:
    return ("he", "him", "his") if case.male else ("she", "her", "her")


def _month_year(ym: tuple[int, int]) -> str:
    return f"{MONTHS[ym[1] - 1]} {ym[0]}"


def _noun(case: Case) -> str:
    if case.kind != "child":
        return "man" if case.male else "woman"
    n, unit = case.age
    if unit != "year" or n < 2:
        return "baby boy" if case.male else "baby girl"
    return "boy" if case.male else "girl"


def _dates(rng: random.Random, case: Case, n: int) -> list[tuple[int, int, int]]:
    """n dates in order, over the one or two years before the incident."""
    end = case.incident[0] * 12 + case.incident[1] - 1
    start = end - rng.randint(10, 26)
    out = []
    for _ in range(n):
        m = rng.randint(start, end)
        out.append((m // 12, m % 12 + 1, rng.randint(1, 28)))
    return sorted(out)


def _date_phrase(rng: random.Random, d: tuple[int, int, int], previous: tuple[int, int, int] | None) -> str:
    if previous and previous[:2] == d[:2] and rng.random() < 0.5:
        return rng.choice(("Two days later,", "The following week,", "Later that month,", "A few days later,"))
    if rng.random() < 0.6:
        return f"On {d[2]} {MONTHS[d[1] - 1]} {d[0]}"
    return f"In {MONTHS[d[1] - 1]} {d[0]}"


def _paragraphs(section: int, items: list[str]) -> list[str]:
    return [f"{section}.{i} {text}" for i, text in enumerate(items, start=1)]


def render_report(case: Case) -> str:
    """The full text of one review report."""
    rng = random.Random(case.seed)
    w = Writer(case, rng)
    loc = case.locality
    he, him, his = _pronouns(case)
    partnership = case.partnership
    short = _acronym(partnership)
    target = int(rng.triangular(23_000, 66_000, 40_000))
    incident = _month_year(case.incident)
    age = _age_text(case)
    S = case.pseudonym
    lines: list[str] = []

    # Title block.
    lines += [partnership.upper(), "", case.review_name.upper(), "", S.upper(), "",
              rng.choice(("Overview report of the Independent Lead Reviewer", "Overview report",
                          "Final report", "Report of the independent reviewer")), "",
              f"Date of publication: {MONTHS[case.published[1] - 1]} {case.published[0]}", "",
              f"This report has been anonymised. The {'person' if case.kind != 'child' else 'child'} "
              f"at the centre of this review is referred to as {S}. Practitioners are identified by role only.",
              "", ""]
    sections = ["Introduction", "Methodology", "Terms of Reference", "Family Background",
                "Chronology of Professional Involvement", "Analysis", "Findings", "Recommendations",
                "Appendices"]
    if rng.random() < 0.7:
        lines += ["CONTENTS", ""]
        for i, title in enumerate(sections, start=1):
            dots = "." * (60 - len(title))
            lines.append(f"{i}. {title} {dots} {2 + i * 3}")
        lines += ["", ""]

    def section(n: int, title: str, body: list[str]) -> None:
        lines.extend([f"{n}. {title.upper()}", ""])
        for para in body:
            lines.extend([para, ""])
        lines.append("")

    # 1. Introduction.
    how = "died" if case.died else rng.choice(("was seriously injured", "suffered serious harm"))
    where = rng.choice(("at home", "at the family home", "in hospital", "at a relative's home"))
    if case.kind == "dhr":
        intro_first = (f"This review concerns {S}, a woman aged {case.age[0]} who was killed at her home in "
                       f"{incident}. Her partner was later convicted of her murder.")
    elif case.kind == "adult":
        intro_first = (f"This review concerns {S}, a {'man' if case.male else 'woman'} aged {case.age[0]} who "
                       f"{how} {where} in {incident}.")
    else:
        intro_first = (f"This review concerns {S}, a {'boy' if case.male else 'girl'} who {how} {where} in "
                       f"{incident} at the age of {age}.")
    count = rng.randint(4, 11)
    reason = ("abuse or neglect was known or suspected" if case.kind == "child"
              else "agencies could have worked together more effectively")
    intro = [
        intro_first,
        f"The {partnership} ({short}) decided that the criteria for a {case.review_name} were met, "
        f"because {reason}.",
        f"The purpose of the review is to identify improvements that should be made to safeguard "
        f"{'children' if case.kind == 'child' else 'adults'} in {loc.name}. It is not to apportion blame "
        f"to individuals or organisations.",
        f"The review makes {NUMBER_WORDS[count] if count < 21 else count} recommendations to the {short} "
        f"and its partner agencies.",
        f"The {short} wishes to express its condolences to the family of {S}.",
    ]
    section(1, "Introduction", _paragraphs(1, intro))

    # 2. Methodology.
    method = [
        "The review was led by an independent reviewer with a background in social work and safeguarding practice.",
        "A systems approach was used, looking beyond individual decisions to the conditions that shaped them.",
        "Each agency that had contact with the family provided a chronology and a short analytical report.",
        f"Practitioner learning events were held in {MONTHS[rng.randint(0, 11)]} {case.published[0] - 1}.",
        "Members of the family were invited to contribute, and their views are included in this report.",
    ]
    section(2, rng.choice(("Methodology", "Review process")), _paragraphs(2, method))

    # 3. Terms of reference.
    names = "; ".join(w.agencies[k].name for k in case.agencies)
    tor = [
        f"The review covers the period from {_month_year((case.incident[0] - 2, case.incident[1]))} to "
        f"{incident}.",
        "The key lines of enquiry were: how well did agencies identify and respond to the risks? "
        "Was information shared in a timely way?",
        f"Agencies providing information to the review were: {names}.",
    ]
    section(3, "Terms of Reference", _paragraphs(3, tor))

    # 4. Family background.
    fam = []
    for r in case.risks:
        fam.append(w.fill(rng.choice(RISKS[r][1][case.kind])))
    fam.append(f"{S} was described by professionals who knew {him} as "
               f"{rng.choice(('a cheerful', 'a quiet', 'a friendly', 'a private'))} "
               f"{'child' if case.kind == 'child' else 'person'}.")
    if case.kind == "child":
        fam.append("Sibling 1 lived in the household for most of the period under review.")
    rng.shuffle(fam)
    section(4, "Family Background", _paragraphs(4, fam))

    # 5. Chronology.
    chron_budget = int(target * rng.uniform(0.45, 0.55))
    chron: list[str] = []
    calm_events = [e for e in EVENTS[case.kind] if e[0] in case.agencies and not e[1].startswith("!")]
    worry_events = [(k, t[1:]) for k, t in EVENTS[case.kind] if k in case.agencies and t.startswith("!")]
    dates = _dates(rng, case, chron_budget // 420 + 1)
    size = 0
    previous = None
    while size < chron_budget:
        key, template = rng.choice(worry_events if worry_events and (rng.random() < 0.2 or not calm_events)
                                   else calm_events)
        d = dates[len(chron)] if len(chron) < len(dates) else dates[-1]
        a = w.agency(key)
        sentence = w.fill(template.replace("{D}", _date_phrase(rng, d, previous)), a)
        previous = d
        calm = [d for d in DETAILS[case.kind] if not d.startswith("!")]
        worry = [d[1:] for d in DETAILS[case.kind] if d.startswith("!")]
        details = [w.fill(rng.choice(worry if rng.random() < 0.15 else calm), a)
                   for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.12:
            theme = THEME_BY_KEY[rng.choice(case.themes)]
            details.append(w.fill(rng.choice(theme.failures), a))
        para = " ".join([sentence, *dict.fromkeys(details)])
        chron.append(para)
        size += len(para) + 8
    section(5, "Chronology of Professional Involvement", _paragraphs(5, chron))

    # 6. Analysis: a heading per theme, numbered paragraphs under each.
    analysis_budget = int(target * 0.32)
    lines.extend(["6. ANALYSIS", ""])
    n = 0
    size = 0
    per_theme = max(1, analysis_budget // (len(case.themes) * 900))
    for key in case.themes:
        theme = THEME_BY_KEY[key]
        lines.extend([theme.heading, ""])
        for _ in range(per_theme + rng.randint(0, 1)):
            a = w.agency(prefer=theme.agencies)
            body = [w.fill(f, a) for f in rng.sample(theme.failures, min(len(theme.failures), rng.randint(1, 2)))]
            body += [w.fill(e, a) for e in rng.sample(ELABORATIONS, rng.randint(3, 6))]
            if rng.random() < 0.3 and case.risks:
                body.append(w.fill(rng.choice(RISKS[rng.choice(case.risks)][1][case.kind]), a))
            n += 1
            para = f"6.{n} " + " ".join(body)
            lines.extend([para, ""])
            size += len(para)
    if rng.random() < 0.6:
        lines.extend(["Good practice", ""])
        n += 1
        lines.extend([f"6.{n} " + w.fill(rng.choice(GOOD_PRACTICE)), ""])
    lines.append("")

    # 7. Findings.
    findings = []
    for i, key in enumerate(case.themes, start=1):
        theme = THEME_BY_KEY[key]
        a = w.agency(prefer=theme.agencies)
        findings.append(f"Finding {i}: " + w.fill(rng.choice(theme.failures), a))
    section(7, "Findings", findings)

    # 8. Recommendations: "Recommendation N", the addressee, the text.
    recs = []
    rec_themes = [k for k in case.themes if THEME_BY_KEY[k].recommendations]
    seen: set[str] = set()
    for i in range(1, count + 1):
        theme = THEME_BY_KEY[rec_themes[(i - 1) % len(rec_themes)]] if rec_themes else THEMES[0]
        for _ in range(5):  # one review does not repeat a recommendation word for word
            template = rng.choice(theme.recommendations)
            if "{A}" in template:
                a = w.agency(prefer=theme.agencies)
                addressee = a.name
            else:
                a, addressee = w.agency(), "All agencies"
            text = w.fill(template, a)
            if text not in seen:
                break
        seen.add(text)
        if "partnership" in text.lower():
            text = text.replace("The partnership", f"The {short}").replace("the partnership", f"the {short}")
        recs.append(f"Recommendation {i}\n{_cap(addressee)}\n{text}")
    section(8, "Recommendations", recs)

    # 9. Appendices: glossary of the acronyms used.
    glossary = [f"{a.name} ({a.acronym})" for a in w.agencies.values() if a.acronym and a.key in case.agencies]
    glossary += [f"{partnership} ({short})", "Multi-Agency Safeguarding Hub (MASH)",
                 "Multi-Agency Risk Assessment Conference (MARAC)", "Team Around the Family (TAF)"]
    section(9, "Appendices", ["Appendix A: Glossary of acronyms", "\n".join(sorted(glossary))])
    del he, his
    return "\n".join(lines).rstrip() + "\n"


def render_news(case: Case, seed: str, outlet: str) -> tuple[str, bool, tuple[int, int, int]]:
    """(text or HTML, is_html, publication date) of one news article about ``case``."""
    rng = random.Random(seed)
    w = Writer(case, rng)
    loc = case.locality
    he, _him, his = _pronouns(case)
    S = case.pseudonym
    noun = _noun(case)
    y, m, d = case.published
    d = min(28, d + rng.randint(0, 6))
    incident = _month_year(case.incident)
    verb = "died" if case.died else "was seriously injured"
    if case.kind == "dhr":
        headline = rng.choice((f"{loc.name} woman killed by partner: review says warning signs were missed",
                               f"Review into killing of {loc.name} mother finds agencies did not share concerns"))
        lead = (f"A woman who was killed by her partner in {loc.name} was let down by agencies that did not "
                f"share what they knew, a review has found.")
        who = f"{S}, who was {case.age[0]}, was killed at her home in {incident}."
    elif case.kind == "adult":
        headline = rng.choice((f"Review into {loc.name} {noun}'s death says agencies did not act together",
                               f"Services 'did not share information' before death of {loc.name} {noun}"))
        lead = (f"A {noun} who {verb} in {loc.name} was let down by services that did not share information "
                f"or take joint responsibility for {his} care, a review has found.")
        who = f"{S}, who was {case.age[0]}, {verb} at home in {incident}, the review says."
    else:
        headline = rng.choice((f"Agencies 'missed chances' to protect {loc.name} {noun}",
                               f"Review finds failings before {loc.name} {noun} {verb}",
                               f"{_cap(_age_text(case, True)).replace(' ', '-').rstrip('s')}-old {loc.name} {noun}: "
                               f"report criticises agencies"))
        lead = (f"Agencies in {loc.name} missed a series of chances to recognise the dangers facing a {noun} "
                f"who {verb}, a report has found.")
        who = (f"{S} was {_age_text(case, True)} old when {he} {verb} in {incident}, according to "
               f"the review.")
    generic = {"csc": "children's social care", "police": "police", "health-visiting": "health visitors",
               "gp": "the GP", "midwifery": "midwives", "hospital": "hospital staff",
               "housing": "housing officers", "ambulance": "paramedics", "asc": "adult social care",
               "mental-health": "mental health services", "domestic-abuse": "domestic abuse services",
               "substance": "drug and alcohol services", "probation": "the probation service",
               "school": "the school", "early-help": "early help workers"}
    involved = [generic[k] for k in case.agencies if k in generic][:6]
    listing = ", ".join(involved[:-1]) + f" and {involved[-1]}" if len(involved) > 1 else "several agencies"
    paras = [
        lead,
        who,
        f"The {case.review_name.lower()}, published by the {case.partnership}, found that {listing} had all "
        f"been in contact with the {'family' if case.kind == 'child' else 'household'} in the months before.",
    ]
    for key in rng.sample(case.themes, min(len(case.themes), rng.randint(2, 4))):
        theme = THEME_BY_KEY[key]
        a = w.agency(prefer=theme.agencies)
        failure = w.fill(rng.choice(theme.failures), a)
        paras.append(rng.choice(("The report says that ", "It found that ", "According to the review, ",
                                 "The reviewer concluded that ")) + w.lower_first(failure))
    if case.risks:
        risk = w.fill(rng.choice(RISKS[rng.choice(case.risks)][1][case.kind]))
        paras.append(f"The report describes the background: {w.lower_first(risk)}")
    paras.append(rng.choice((
        f"A spokesperson for the {case.partnership} said: \"Our thoughts remain with the family of {S}. "
        f"We are sorry that the help they received did not bring together everything agencies knew.\"",
        f"The independent chair of the {case.partnership} said: \"We have accepted every recommendation and "
        f"partners are already working on the changes.\"",
        "A council spokesperson said: \"This is a heartbreaking case, and we are determined to learn from it.\"",
    )))
    count = rng.randint(3, 9)
    recs = [THEME_BY_KEY[k].recommendations for k in case.themes if THEME_BY_KEY[k].recommendations]
    picks = [w.fill(rng.choice(r)) for r in recs[:3]]
    if picks and rng.random() < 0.5:
        paras.append("The review's recommendations include:")
        paras.append("\n".join(f"• {p}" for p in picks))
    elif picks:
        short = [re.sub(r"\s*,.*$|\.$", "", p.split(" should ", 1)[-1]) for p in picks]
        paras.append(f"The report makes {NUMBER_WORDS[count]} recommendations, including that agencies "
                     f"should {'; '.join(short)}.")
    paras.append(rng.choice((
        f"The partnership said that a briefing on the findings had been sent to front-line staff across {loc.name}.",
        f"Anyone worried about a {'child' if case.kind == 'child' else 'person'} in {loc.name} can contact "
        "the council.",
        "An action plan will be monitored by the board over the coming year.",
    )))
    extra = rng.sample(ELABORATIONS, 12)
    goal = rng.randint(2000, 4200)
    while sum(len(p) for p in paras) < goal and extra:
        paras.insert(-1, w.fill(extra.pop()))
    date_line = f"{d} {MONTHS[m - 1]} {y}"
    html = rng.random() < 0.3
    if not html:
        return "\n\n".join([headline, f"Published: {date_line}", *paras]) + "\n", False, (y, m, d)
    body = "\n".join(f"      <p>{_html_escape(p)}</p>" if not p.startswith("•") else
                     "      <ul>\n" + "\n".join(f"        <li>{_html_escape(li[2:])}</li>"
                                                 for li in p.split("\n")) + "\n      </ul>"
                     for p in paras)
    page = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>{_html_escape(headline)} | {_html_escape(outlet)}</title>
  <meta property="article:published_time" content="{y:04d}-{m:02d}-{d:02d}T07:00:00+00:00">
  <script>window.dataLayer = window.dataLayer || [];</script>
</head>
<body>
  <header class="masthead"><a href="/" class="logo">{_html_escape(outlet)}</a>
    <nav><ul><li><a href="/news/">News</a></li><li><a href="/sport/">Sport</a></li></ul></nav>
  </header>
  <main>
    <article>
      <h1>{_html_escape(headline)}</h1>
      <p class="byline">By {_html_escape(outlet)} reporter,
        <time datetime="{y:04d}-{m:02d}-{d:02d}">{date_line}</time></p>
{body}
    </article>
  </main>
  <footer><p>&copy; {y} {_html_escape(outlet)}</p></footer>
</body>
</html>
"""
    return page, True, (y, m, d)


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------- driver


def generate(out_dir: str | Path, reviews: int = 5000, seed: int = 1) -> Corpus:
    """Write ``reviews`` documents under ``out_dir`` (reports/ and news/); same seed, same bytes."""
    if reviews < 2:
        raise ValueError("reviews must be at least 2")
    out = Path(out_dir)
    rng = random.Random(seed)
    n_reports = max(1, round(reviews * REPORT_SHARE))
    n_news = reviews - n_reports
    localities = _world(rng, n_reports)
    cases = _cases(rng, localities, n_reports, seed)
    paths: list[Path] = []
    total = 0
    for case in cases:
        path = out / case.path
        path.parent.mkdir(parents=True, exist_ok=True)
        data = render_report(case).encode("utf-8")
        path.write_bytes(data)
        paths.append(path)
        total += len(data)
    # News: some cases get one article, a few get several, most reports none.
    covered = rng.sample(cases, min(len(cases), max(1, round(n_news * 0.7))))
    for i in range(n_news):
        case = covered[i] if i < len(covered) else rng.choice(covered)
        outlet = rng.choice(case.locality.outlets)
        text, html, (y, m, d) = render_news(case, f"{seed}:news:{i}", outlet)
        slug = re.sub(r"[^a-z0-9]+", "-", outlet.lower()).strip("-")
        path = out / "news" / case.locality.slug / f"{y}-{m:02d}-{d:02d}-{slug}-{i}.{'html' if html else 'txt'}"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        paths.append(path)
        total += len(data)
    return Corpus(cases, paths, n_reports, n_news, total)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", help="folder to write the corpus into (created if missing)")
    parser.add_argument("--reviews", type=int, default=5000, help="number of documents (default 5000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    corpus = generate(args.out_dir, args.reviews, args.seed)
    print(f"{corpus.reports} reports + {corpus.news} news articles, {corpus.bytes / 2**20:.1f} MiB "
          f"-> {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
