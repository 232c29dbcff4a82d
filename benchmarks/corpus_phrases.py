"""The risk factors and the other sentences of the synthetic benchmark corpus:
background by kind of review, elaborations, good practice, chronology events and
their details, written for this corpus (see generate.py)."""

from __future__ import annotations

__all__ = ["RISKS", "ELABORATIONS", "GOOD_PRACTICE", "EVENTS", "DETAILS", "MONTHS", "NUMBER_WORDS"]

MONTHS = ("January February March April May June July August September October November "
          "December").split()
NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                "fourteen fifteen sixteen seventeen eighteen nineteen twenty").split()

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

