"""The agencies and practice themes of the synthetic benchmark corpus: who a
review names, and the failure and recommendation sentences of each theme, written
for this corpus (see generate.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Agency", "acronym", "locality_agencies", "AGENCIES_BY_KIND", "Theme", "THEMES", "THEME_BY_KEY",
           "KIND_INDEX"]

# --------------------------------------------------------------------------- agencies


@dataclass(frozen=True)
class Agency:
    """One organisation of a locality: full name, how practitioners are called, an acronym."""

    key: str
    name: str
    role: str  # the practitioner, as a noun phrase used after "the"
    acronym: str | None = None


def acronym(name: str) -> str:
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
    return {key: Agency(key, name, role, acronym(name) if acr else None)
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
KIND_INDEX = {"child": 0, "adult": 1, "dhr": 2}
