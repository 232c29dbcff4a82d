"""Subjects, review types and incident dates on short texts written for these tests,
one for each way real reviews and the news about them name the person, the review
and the date."""

from __future__ import annotations

import re

import pytest

from casegraph.loaders import ages
from casegraph.loaders import entities as en
from casegraph.loaders.structure import layout


def _subject(text: str) -> str | None:
    found, _ = en.subjects(layout(text))
    return found[0]["pseudonym"] if found else None


@pytest.mark.parametrize(("text", "subject"), [
    # Pseudonyms of letters and digits, and the words that introduce them.
    ("Subject of the review: Child QX aged 3 months. Child QX lived with Mother and two siblings.", "Child QX"),
    ("The boy, referred to in the report as Child T7, had been excluded from school. Child T7 was 14.", "Child T7"),
    ("The report concerns a girl, known as Child Rb, who was abused. Staff did not see Child Rb alone.", "Child Rb"),
    ("The woman, known as RW, died in hospital. Before RW died, no meeting was held.", "RW"),
    ("The report follows a young man, identified as 'P', who lived with his aunt. P was 19.", "P"),
    ("A review into the death of the boy - referred to only as Toby in the report - was published.", "Toby"),
    ("The pensioner, known as Mo-Mo in the report, was found collapsed at home.", "Mo-Mo"),
    # A name put in quotes once, then used without them mid-sentence.
    ("Agencies had worked with 'Nico' before he offended. Records of contact with Nico show that staff saw "
     "Nico twice.", "Nico"),
    ("A review of the nursery found 'Failings' in how staff were vetted.", None),
    # One name alone where an adult review or a briefing puts it.
    ("Safeguarding Adults Review: KT\nKT was a man in his 60s who lived alone.", "KT"),
    ("The report (Alan) was submitted to the Home Office.\nAlan lived alone.", "Alan"),
    ("OVERVIEW OF THE DEATH OF \u201cMary\u201d\nMary was 80 and lived on a farm.", "Mary"),
    ("Staff lost touch with Bill\u2019s (pseudonym) GP after he moved.", "Bill"),
    ("Her sister, a girl known as child L, told a teacher.", "Child L"),
    ("Nobody foresaw the death of child 1, the panel said.", "Child 1"),
    ("2.3 In May 2022, Robin went missing for a week. Robin was found in Leeds.", "Robin"),
    ("Learning Briefing: Rory – injury to an infant\nRory, a 12-week old infant, was admitted.", "Rory"),
    ("3.2 When Daisy died, aged 4 months, nobody knew why. Daisy lived with her mother.", "Daisy"),
    ("Overview Report Executive Summary regarding Ruth who died in May 2019\nRuth met Sam at work.", "Ruth"),
    ("The review about Nell, whose name has been changed, was published. Nell's mother was unwell.", "Nell"),
    ("Staff say Mr Lucas (not his real name) lived alone. Mr Lucas had no family.", "Mr Lucas"),
    ("The review followed Owen* being killed at home by a lodger.", "Owen"),
    ("Carers found Percy, a man in his nineties, on the floor. Percy had no heating.", "Percy"),
    ("Nobody joined up the records. Agencies missed chances to save Fern. Fern Ashby was two.", "Fern Ashby"),
    ("This review is the result of the death of a 9-week old baby Poppy[1]. "
     "Baby Poppy had two siblings, Ann aged 3 years and Joe aged 2.", "Poppy"),
    ("The boy, who is named in the review as \u201cJem\u201d, was known to the team. Jem was three.", "Jem"),
    ("The board reviewed the death in March 2015 of \u2018Q\u2019, a homeless man. Q slept outside.", "Q"),
    ("The board reviewed the death on 3 March 2015 of \u2018Q\u2019, a homeless man. Q slept outside.", "Q"),
    ("LEARNING FROM THE REVIEW CONCERNING \u2018Ned\u2019 OVERVIEW\n\nNed lost his job. Ned drank.", "Ned"),
    ("Skip to content\n\nSAR Nora\n\n1.2 Nora was found at home. Nora was 51.", "Nora"),
])
def test_pseudonyms(text, subject):
    assert _subject(text) == subject


@pytest.mark.parametrize(("text", "subject"), [
    # News names the child by a first name, a surname or a title and prints the full
    # name once.
    ("Agencies missed chances to protect Peter Quayle. Quayle's murder shocked the town. "
     "Mr Quayle, 41, was described as vulnerable.", "Peter Quayle"),
    ("Nina Verity was failed by every agency. Nina's death came after months of neglect.", "Nina Verity"),
    # The real name the report's pseudonym stands for.
    ("Tamsin Rowe - who is referred to as Child K in the report - was in foster care.", "Tamsin Rowe"),
    ("Injuries to Ivy Dunn went unseen. The report, which identifies Ivy as Child BQ, was published.", "Ivy Dunn"),
    ("The review of the care of Ivy Dunn (Child BQ) was published. Child BQ was two.", "Ivy Dunn"),
])
def test_full_names_in_news(text, subject):
    assert _subject(text) == subject


@pytest.mark.parametrize(("text", "subject"), [
    # Those tried for the death are never its subject.
    ("Colin Marsh, 31, and Dean Pike, 18, were convicted of the manslaughter of Ian Holt. "
     "A review found Ian Holt had been failed.", "Ian Holt"),
    # Named with an age and harmed, not harming: the subject.
    ("Mia Lee, 15, attacked by a gang in the park, was failed by agencies. Mia Lee lived in Ashby.", "Mia Lee"),
    ("Ann Boyd, 84, admitted to hospital with sores, had been failed. Ann Boyd lived alone.", "Ann Boyd"),
    ("Mia Lee, 15, stabbed to death in the park, was failed by agencies. Mia Lee lived in Ashby.", "Mia Lee"),
    # ... and harming, not harmed: no subject.
    ("Dean Pike, 24, admitted child cruelty at Ashby Crown Court. A review found failings.", None),
    ("Dean Pike, 24, shot dead his partner. A review found failings.", None),
    ("Colin Marsh, 31, had a conviction for assault before the killing of Ivy Marsh. "
     "Colin Marsh was known to police. Colin Marsh lied.", "Ivy Marsh"),
    ("The man who pushed her, referred to as Mr V, was admitted in June. "
     "The woman who died, referred to as Ms Q, had dementia.", "Ms Q"),
    # A newspaper quoted at a line's start, a list of roles: no one.
    ("Wexmoor Daily Press: The review found failings.\n\nWexmoor Daily Press: The board apologised.", None),
    ("Document control\n- Reviewer\n- Owner\n- Reviewer", None),
    ("The offender - who is referred to in the report as Mr E - was known to police. "
     "The girl, referred to as Child Hb, was abused. Child Hb was 12.", "Child Hb"),
    # The father named before the child: the name belongs to the child.
    ("Police charged the stepfather of the boy, known as Child W, last year.", "Child W"),
    # The mother is named by her role, the infant by the review.
    ("The death of the infant (referred to as Child F in the report) was reviewed. "
     "The birth mother (known as Ms Y) was 18. Ms Y had left care. Ms Y was alone.", "Child F"),
    # A place before a person word is not a name.
    ("Doctors saw a nine-month-old Barnsley boy with bruises twice.", None),
    # An area is no one; nor is the one whose murder trial it was.
    ("An independent review into Tower Hamlets children's services was published.", None),
    ("Death of Barnsley toddler: panel finds no single failure", None),
    ("Kevin Brent's murder trial heard that the girl had been failed. Brent's murder trial ended.", None),
    # Letters that name a service.
    ("Children's Social Care (known as CSC) closed the case before the baby died.", None),
    # A home is no one; a surname that names homes too still names a person.
    ("The serious case review into Hillcrest Lodge took two years.", None),
    ("A review into the death of Jack Hall found that agencies missed chances.", "Jack Hall"),
    ("The death of Barry was reviewed. Barry, aged 70, lived alone.", "Barry"),
])
def test_others_named_beside_the_subject(text, subject):
    assert _subject(text) == subject


@pytest.mark.parametrize(("text", "subject"), [
    # A month's name that is a person's: said to have a family, a death.
    ("The board looked into the death in 2021 of June, a woman of 88. June's sons visited. "
     "June's carers changed often.", "June"),
    ("The board met in June. June's minutes record the death of Ivo. Ivo was 70.", "Ivo"),
    # Letters after a word for a person, not a service.
    ("In the case reviewed, the individual, known as GH, was an adult with autism. GH lived alone.", "GH"),
    # An injury, not only a death.
    ("Learning from the serious injury to W at a care home. W is a man of 40 who had a stroke.", "W"),
    # Letters whose family and needs the text speaks of, or a name and her relatives.
    ("The partnership reviewed how staff met KR's needs. KR's family asked for more help.", "KR"),
    ("Part 3: Background to Olwen and her relatives\n\nOlwen had lived in the town for years.", "Olwen"),
    # A pseudonym of a word and a letter, after the death or a review's title.
    ("Overview Report – Concerning Adult F who died in 2020\nAdult E and Adult F had married young. "
     "Adult E had told Adult F to leave. Adult E drank. Adult E left.", "Adult F"),
    ("The review concerns the death of Mrs J and the support given to Mrs J and Mr J (the alleged "
     "perpetrator). Mr J was 70. Mr J had called the police. Mr J drank.", "Mrs J"),
    ("Report on Mr. and Mrs. Q\nMr. Q had dementia and Mrs. Q was his carer.", "Mr Q"),
    # Two brothers named together: the subjects, not someone's siblings.
    ("This review concerns two brothers, referred to as Child P and Child R. Child R was hurt.", "Child P"),
    # A quoted name after "the case of".
    ("The review into the case of \u201cMabel\u201d, who died at three weeks, was published.", "Mabel"),
    # A mother named with her age beside her child, or named as the one who killed: never the subject.
    ("Rosa's mother Gemma Hale, 24, who was at home, was jailed. Rosa's father was absent.", "Rosa"),
    ("A review found Dora Pike, 39, killed her two sons. Dora Pike had asked for help.", None),
    # A title and a surname before "passed away"; the full name printed elsewhere.
    ("Norman Rudd had not been washed for weeks. On 3 May 2022, Mr. Rudd passed away in hospital.", "Norman Rudd"),
    # A footnote's number after the name.
    ("Two referrals were made, for Omar and Ted.\n- Omar1 was 48 years old when he was found. Omar lived alone."
     "\n- Ted was 61 years old when he died.", "Omar"),
    ("Two referrals were made, for Omar and Ted.\n- Omar was found. Omar lived alone."
     "\n- Ted was 61 years old when he died.", "Ted"),
    # A parent, a practitioner, a speaker or an author named the same way: no subject.
    ("The mother, Kay, and her family moved. The review found failings.", None),
    ("His mother's partner, Lee, said Lee's family had warned the police.", None),
    ("The social worker, SW1, said SW1's needs for supervision were not met.", None),
    ("The chair, Tessa, and her family attended the launch.", None),
    ("Dr Ames and her family moved to the town. The review found failings.", None),
    ("The mother, known as Ms N, and her family moved. The father's family helped.", None),
    # One the text introduces as a relative, an offender or a practitioner elsewhere: not the subject.
    ("Baby Ella died in 2020 when she was 8 weeks old. Her mother, Kim, had been in care. Kim's needs as a "
     "care leaver were not assessed, and Kim's family offered no support.", "Ella"),
    ("Jack died in 2019 aged 4. Mr. Z was charged with his murder. Mr. Z had a history of violence. "
     "Mr. Z was known to police.", "Jack"),
    ("Child J died in 2019. The worker, Mr. Smith, visited. Mr. Smith passed away in 2021.", "Child J"),
    # A word before a word for a person is a place's: "the death of Harwick woman".
    ("Services failed before the death of Harwick woman\n\nMrs C, who was 76, died at home.", "Mrs C"),
    ("Review into killing of Carrow mother published\n\nMs P was killed in 2013.", "Ms P"),
    # A titled full name, a month after a name, siblings, a lettered pseudonym after "on".
    ("Safeguarding Adult Review - Mr Tom Lane - July 2018\n\nThe board reviewed the death of Mr Tom Lane in "
     "March 2016.", "Tom Lane"),
    ("SERIOUS CASE REVIEW\nIn respect of the death of Ann Rowe January 2014.\nAnn Rowe was eight months old.",
     "Ann Rowe"),
    ("Report of the Serious Case Review Regarding Children A & B\nThe children were neglected.", "Child A"),
    ("The girl was taken to Harwick Children A & E.\nThe serious case review was published.", None),
    ("Two boards publish Serious Case Review on Child CH\nThe boards publish the review for 'Child CH'.",
     "Child CH"),
    # A contents line or a file's details name no one; a word opening a clause is no name.
    ("6.4 Appendix 4- Bibliography\n1. INTRODUCTION\nThe review found failings.", None),
    ("Total Page:16\nFile Type:pdf, Size:1020Kb\nThe review found failings.", None),
    ("While Jessica was in hospital, nobody asked her what she wanted. Jessica, aged 24, died in 2019.", "Jessica"),
    # Found guilty or found burnt out: no one the review is about.
    ("Their blue Ford Focus was found burnt out near the house. The review into the death of Ann Rowe was "
     "published.", "Ann Rowe"),
    ("Jake Hale was found guilty of murder. The review into the death of Ann Rowe was published.", "Ann Rowe"),
])
def test_subject_named_in_less_common_ways(text, subject):
    assert _subject(text) == subject


@pytest.mark.parametrize(("text", "subject", "aliases"), [
    # One child by two first names, each printed with the surname.
    ("The legal guardian of Kit Varley was convicted. An inquiry into the death of Sam Varley found failings. "
     "Sam, who was also known as Kit, had 90 injuries.", "Sam Varley", ["Kit Varley"]),
    # A report titled with the name its text replaces by a pseudonym.
    ("Serious Case Review Report – Ann Rowe – Harwick LSCB\n\nChild Qz died in May 2016. Child Qz was two.",
     "Child Qz", ["Ann Rowe"]),
    ("Serious Case Review Report – Harwick LSCB\n\nChild Qz died in May 2016. Child Qz was two.", "Child Qz", None),
    # A pseudonym introduced between commas.
    ("The review said Nico, not his real name, was on a harmful path.", "Nico", None),
    ("Nico - not his real name - was moved to a ward far from home.", "Nico", None),
    # A headline's capitalised word for a person, and a photo's credit line, name no one.
    ("Boy's death 'could not be predicted'\nThe review into the death of Nico found failings.", "Nico", None),
    ("Image Credit: Ann Lee\nNico died in 2019. A review found failings in his care.", "Nico", None),
    # The one a killer's kin word names ("killed his father Terry"), and a review's one letter.
    ("Tom Lee, 49, killed his father Nico with a knife at the family home.", "Nico", None),
    ("The board has published the Serious Case Review into V. It found failings.", "V", None),
    ("The board has published the Serious Case Review into ‘V’ and the report is online.", "V", None),
    ("The woman, known only as Patient E, went from a jovial person to one in pain. Patient E died.", "Patient E",
     None),
    # The one killed, named straight after the verb; a young child after the word for them.
    ("Tom Hale murdered Nico, his one-month-old son, in May. The review found failings.", "Nico", None),
    ("The board said bruising on baby Nico was not explored. Staff noticed bruising to Nico.", "Nico", None),
    # A month's name in quotes is a person's; a section heading names no one.
    ("Section One: Introduction\nLearning from the circumstances of the death of ‘May’. The review of ‘May’ "
     "found failings.", "May", None),
    # A surname with an inner capital, and a name the review joins to a nickname.
    ("Ann MacKenzie, known as Annie, was found in woodland. The report said Annie had been in care.",
     "Ann MacKenzie", ["Annie"]),
    # Named with a kin word: the grandfather speaks, the boy died.
    ("The grandad of a boy welcomed the review. Tom Lee said care must improve after Sam Lee’s tragic death. "
     "Mr Lee said he was upset.", "Sam Lee", None),
    # The killer, however often named, is not the one the review is about.
    ("Ann Rowe was stabbed 17 times by her boyfriend Jake Hale at their home. Mr Hale had schizophrenia. "
     "Mr Hale was detained. The review said Mr Hale had not taken his medication.", "Ann Rowe", None),
    ("Jake Hale killed Ann Rowe, 34, at their home. Mr Hale, 37, had schizophrenia. Mr Hale was not fit to "
     "stand trial.", "Ann Rowe", None),
    # The one killed, named before a passive verb in a headline or an aside: not the killer.
    ("Ann Rowe murdered by partner after missed chances, review finds\n\nA review into the death of Ann Rowe "
     "found failings. Ann Rowe was 34.", "Ann Rowe", None),
    ("Ann Rowe, murdered by her partner in 2019, had told police she was afraid. Ann Rowe, 34, lived alone.",
     "Ann Rowe", None),
    ("Ann Rowe killed in Harwick flat, review finds\n\nAnn Rowe, 34, died in 2019. Ann Rowe had told police.",
     "Ann Rowe", None),
    ("The review into Tony Hale's killing of his father Terry Hale was published. Terry Hale, 71, died at home. "
     "The review looked into the treatment of Tony Hale and his family.", "Terry Hale", None),
    # Found dead: the one the review is about.
    ("The 70-year-old was living in squalor. Nico was found dead in his flat in May 2016.", "Nico", None),
    # A hyphenated first name stays whole.
    ("The review into the murder of Rosa-Lee Dunn, called Amy in the report, was published.",
     "Rosa-Lee Dunn", ["Amy"]),
])
def test_two_names_of_one_subject(text, subject, aliases):
    found, _ = en.subjects(layout(text))
    assert found[0]["pseudonym"] == subject and found[0].get("aliases") == aliases


@pytest.mark.parametrize(("text", "rtype"), [
    # Before the Care Act an adult's review was a "serious case review": a SAR now.
    ("A serious case review commissioned by the Safeguarding Adults Board found that the care home "
     "failed its residents.", "SAR"),
    ("The serious case review into the death of a baby found that the health visitor did not visit.", "SCR"),
    ("A serious case review of child sexual abuse in care homes, by the Children and Vulnerable Adults Group.",
     "SCR"),
    # Reviews no statute names.
    ("An independent review into the contact agencies had with the young man was published.", "other"),
    ("Recommendations were made by the Harwick Safeguarding Adults Board after the death of a man. "
     "The review found that no one assessed his capacity.", "SAR"),
    ("A report was published on Tuesday.", None),
    ("An investigation by the care commission found that the man's welfare was not protected.", "other"),
    ("A Harwick Health Trust investigation found shortcomings in his care.", "other"),
    ("A police investigation into the death of the man continues.", None),
    # An expert's review in their own name.
    ("Agencies acted on the concerns identified by Dr Ann Lee's review of the boy's care.", "other"),
    ("Experts discussed a report by care expert Dr Ann Lee into the abuse at the home.", "other"),
    # A type the case did not qualify for is not the type of the review it had.
    ("Safeguarding Adults Review: KL\nThe referral did not meet the criteria for a statutory SAR; "
     "instead the board held a learning review.", "other"),
    ("Thematic Review into Falls\nThe Harwick Safeguarding Adults Board published a thematic review.", "other"),
    ("A rapid review by the Harwick Safeguarding Partnership found that the bruising was missed.", "other"),
    # Resuscitation is no child practice review.
    ("A learning review in Scotland found that the baby needed protracted CPR on arrival.", "SCR"),
    ("A Learning Review by the Harwick Adult Protection Committee into the deaths of two brothers.", "SAR"),
    # A serious case review of a man who hoarded, or one a SAB's acronym names, is a SAR.
    ("A serious case review found his hoarding was seen as a lifestyle choice.", "SAR"),
    ("Serious Case Review - Harwick HSAB\nExecutive summary of the review of Mr T.", "SAR"),
    # Loose names: the body that commissioned it, else the years the text gives.
    ("The review was commissioned by the Harwick Children and Adult Safeguarding Partnership.", "CSPR"),
    ("In its report, the Harwick and Elmford Safeguarding Children Partnership said the review found gaps.", "CSPR"),
    ("In its report, the Islands Safeguarding Children Partnership of Guernsey said the review found gaps.", None),
    # A partnership the recommendations went to did not make the review.
    ("A wide-ranging review has taken place. The report made four recommendations to the Harwick "
     "Safeguarding Children Partnership.", None),
    ("The boy needed “long and difficult” CPR. A Scottish learning review found delays.", "SCR"),
    ("A safeguarding review into the death of a baby in May 2021 found failings.", "CSPR"),
    ("A safeguarding review into the death of a baby in May 2012 found failings.", "SCR"),
    # A type whose criteria "were not met", however worded, is ruled out.
    ("The criteria for a SAR were not met, so the board held a review of its own.", "other"),
    ("The criteria for a safeguarding adults review (SAR) was not met.", "other"),
    # The bodies that make each kind of review.
    ("The Harwick Safeguarding Children Board, which carried out the review, said mistakes were made.", "SCR"),
    ("The Harwick Safeguarding Children Board commissioned the independent review of the baby's death.", "other"),
    ("A report commissioned by the Harwick Community Safety Partnership found police took hours to respond "
     "before he killed his partner.", "DHR"),
    ("A review into the killing was published by the Harwick Community Safety Partnership and the Harwick "
     "Safeguarding Adults Board.", "SAR"),
    ("The report from the Harwick Safeguarding Adults Board says her son controlled her.", "SAR"),
    ("An independent review commissioned by the Harwick Safeguarding Adults Board found gaps in support.", "other"),
    ("The HIW report found his discharge from hospital was premature.", "other"),
    ("The Safeguarding Board for Northern Ireland said the review found the bruising was missed.", "other"),
    ("Four officers face a misconduct investigation after the two women were killed.", "other"),
    ("A domestic homicide report released by the Safer Harwick Partnership found police missed the abuse.", "DHR"),
    ("A report by the Safer Harwick Partnership into the killing of a woman by her partner was published.", "DHR"),
    ("The internal review was carried out by a manager. A case review found the department lacked urgency.",
     "other"),
    ("The Harwick Safeguarding Children Board condemned services for failing to communicate. Responding to the "
     "report, the council apologised.", "SCR"),
    # An independent reviewer wrote it: no independent review.
    ("Independent reviewer Dr Ann Lee found the baby was vulnerable. Child safeguarding reviews are held when "
     "a child dies in 2021.", "CSPR"),
])
def test_review_types(text, rtype):
    assert en.review_type(text, None)[0] == rtype


@pytest.mark.parametrize(("text", "rtype"), [
    # A road safety partnership reviews no domestic homicide.
    ("A report for the Harwick Road Safety Partnership said a cyclist was killed on the bypass.", None),
    ("In a report commissioned by the Harwick Safety Partnership, police were criticised after he killed his "
     "partner.", "DHR"),
    # A board's review that tells of an inspection, a joint child protection
    # investigation or a care home's internal one is still the board's.
    ("The review by the Harwick Safeguarding Children Board found failings. An Ofsted inspection in 2012 rated "
     "services inadequate.", "SCR"),
    ("The Harwick Safeguarding Children Board found the boy was failed. A joint investigation by police and "
     "social workers was held in 2010. The report was published.", "SCR"),
    ("The report of the Harwick Safeguarding Adults Board found Mr Dale was neglected. The care home carried out "
     "an internal investigation.", "SAR"),
    # A joint review is the board's, with another body's.
    ("The Harwick Safeguarding Adults Board and the Harwick Community Safety Partnership published a joint "
     "review into the death of Mrs P.", "SAR"),
    # A board that only received a report, or said it would consider one, made none.
    ("An inquest report made recommendations to the Harwick Safeguarding Adults Board after Mr Dale died.", None),
    ("The coroner's report was sent to the Harwick Safeguarding Children Board, which said it would consider "
     "it.", None),
])
def test_review_type_not_from_a_body_that_made_none(text, rtype):
    assert en.review_type(text, None)[0] == rtype


@pytest.mark.parametrize(("text", "date"), [
    ("A fatal stabbing in a park on 3 May 2017 ended his life.", "2017-05"),
    ("Teachers noticed weight loss long before her hospitalisation in March 2015.", "2015-03"),
    # The death named without a date: a date in the sentence after is as often another event's.
    ("An infant died in the family's care. Social workers had first visited in February 2018.", None),
    # The dates of the news item, a press conference or a citation are not its date.
    ("A man died at home; the panel released its report today (Friday 9 October, 2015).", None),
    ("Friday, 7th June 2019, 10:05 am. Tom was killed by his father in May 2017.", "2017-05"),
    ("A briefing on the death of a baby (Harper, 2022) was produced.", None),
    ("Panel report out. Last updated 2nd Mar 2017. The boy died in March 2014.",
     "2014-03"),
    ("The boy was looked after from 2014 to 2019 and died in 2020.", "2020"),
    # A publication line after the death is not its date.
    ("A baby died at home.\nDate of report: January 2016\nThe review was commissioned by the board.", None),
    ("Published: 3 May 2019. The death of a baby in 2017 led to the review.", "2017"),
    # What led to a review's publication may date the death.
    ("The review was published after an inquest ruled that Ann Rowe had killed herself in October 2007.",
     "2007-10"),
])
def test_incident_dates(text, date):
    assert en.incident_date(layout(text)) == date


@pytest.mark.parametrize(("text", "subject", "age"), [
    ("Page 1: Overview\nWhen Daisy died, aged 4 months, her death was unexplained.", "Daisy", "4 months"),
    ("Lily Marsh, three, died in 2019. Dean Cole, 23, is serving a life sentence for her death.",
     "Lily Marsh", "three years"),
    ("A review is held after the death of a person aged 16 or over. Ruth, aged 52, died in May.", "Ruth",
     "52 years"),
    ("The review follows the death of Ms Q, a 41-year-old woman. Her children were aged 12 and 9 when she died.",
     "Ms Q", "41 years"),
    ("Child W was two-and-a-half years old when she died at home in March.", "Child W", "two and a half years"),
    # A parent's child by "whose": the subject's age, not the parent's.
    ("Lily Rowe died in 2019. Workers failed to challenge a mother whose two-year-old daughter swallowed "
     "methadone.", "Lily Rowe", "two years"),
    # The subject's child by "whose": the child's age, not the subject's.
    ("Nora Hale, whose 40-year-old son killed her, was 70 years old. Nora Hale died at home in 2019.", "Nora Hale",
     "70 years"),
])
def test_ages_are_the_subjects(text, subject, age):
    lay = layout(text)
    assert _subject(text) == subject
    assert ages.subject_age(lay, subject)[0] == age


@pytest.mark.parametrize(("text", "label"), [
    ("Harwick Safeguarding Board\nCPR HARWICK 2\nConcise Child Practice Review", "HARWICK 2"),
    ("Serious Case Review (Elmside View)\nThe review of the care home was published.", "Elmside View"),
    ("The council met at Harwick Town Hall to discuss the review.", None),
    ("Domestic Homicide Review Case 4\nExecutive summary", "4"),
    # A street or a letterhead's address names no setting.
    ("The boy was found at his home on Elmside View Road in Harwick.", None),
    ("Page 1 of 30 Elmside House, Mill Road, Harwick, HW1 6PL Serious Case Review", None),
    ("Report: CPR HARWICK 2\nPublished in May.", "HARWICK 2"),
    # Page numbers of a contents list, a line's break and a year are no labels.
    ("Contents\nChapter 2 Background to this SCR 6\nChapter 3 Methodology 7", None),
    ("Terms of reference for the DHR\n3 Methodology\n4", None),
    ("The Harwick board's SAR 2019 programme was published.", None),
])
def test_review_labels(text, label):
    assert en.review_label(text) == label


@pytest.mark.parametrize(("text", "people"), [
    ("The nursery let Dana Pryce abuse children. Dana Pryce, who was jailed, had worked there for a year.",
     ["Dana Pryce"]),
    # Officials, reporters and speakers may be named in many cases' documents.
    ("Jo Lamb, the independent chair, said the review was thorough. Jo Lamb added that she was sorry.", []),
    ("By Ed Hurst\nThe review was published. Ed Hurst says she was neglected. Ed Hurst wrote more.", []),
    # Named once, or never said to be anyone: nothing to go by.
    ("Ray Vance (41) set the fire.", []),
    ("Hide Ad\nThe report was published.\nHide Ad\nHide Ad", []),
])
def test_the_private_people_a_text_names(text, people):
    from casegraph.loaders.people import named_people

    assert named_people(text) == people


# The places the subject patterns are meant to be tried at: word starts (not after an
# apostrophe: "O'Neill", "Jo's"), digits after a letter, stops, colons, quotation marks
# and line starts.
_EVERY = re.compile(r"(?<![\w'’])(?=\w)|(?<=\w)(?=\d)|[.:'‘\"“]|^", re.M)


def test_subject_patterns_tried_where_they_can_start_match_as_at_every_word():
    """The starts people.py tries its two subject patterns at (their branches' first
    words, a capital followed by what a name needs next, a stop before a space) lose
    no match that trying every word start, stop, colon and quotation mark finds."""
    import random

    from casegraph.loaders import people
    from casegraph.schema.vocabulary import matches_at

    pieces = ["Ann", "Ann Rowe", "Jo", "KW", "Mr T", "Mrs", "’s", "'s", " ", " ", ", ", ". ", ":", "\n", "“", "”",
              "*", " (", ")", "–", "died", " was ", "killed", "the death of ", "Death of ", "case of ", "review into ",
              "Review: ", "pseudonym", "not his real name,", "aged 4", "3-year-old", "two months old", "baby ",
              "protect ", "a woman", " is about ", "when ", "before her death", "whose death", "SAR", "12, ",
              "chances to save ", "known as", "the ", "x1", "o'", "Child 1", "child L", " was a woman",
              " was 34 years old", "Mo-Mo Lee", "O’Neill", " – whose body", " suffered", " endured", "adopted "]
    # and a head, a name and what follows, as the branches of the two patterns have them
    heads = ["the death of ", "abuse of ", "protecting ", "adopting ", "adoption of ", "adopted ", "the ", "into ",
             "into the case of ", "Review of ", "review re ", "SCR into ", "summary for ", "5-month-old ",
             "twelve-year-old ", "girl ", "victim\n", "", "", "\n", ". ", ": ", "12, ", "When ", "after ",
             "Death in 2019 of ", "report concerning ", "SAR: ", "SAR – ", "Briefing (", "Report into ", "case of ",
             "chances to save ", "pseudonym of ", "is about ", "Learning Briefing: ", "LCSPR ", "CPR ", "\n\n– ",
             "Case Review 2019 – ", "3-year-old ", "twelve-month-old boy ", "a review in respect of ", "\nLCSPR ",
             "before ", "until ", "chance to help ", "A Serious Case Review in 2020 – ", "* Learning Briefing – ",
             "Review – ", "\n\n\nSAR – ", "Learning Briefing\n– ", "Mo-Mo – ", "the injury to ", "Injuries to ",
             "Summary – Regarding ", "2021, ", "2021, Mr. ", "review into the case of "]
    names = ["Ann Rowe", "Mo-Mo Lee", "O’Neill Kay", "McKay Smith Jones", "Jo", "KW", "Ann", "'Jo'", "“Kit”", "RW14",
             "Mr T", "Child 1", "child L", "Adult B", "Twin 2", "Mrs. Roe", "Ann1", "April"]
    tails = [" case", "’s death", "'s mother", ", before his death", " – whose body", ", who was 5, died", " suffered",
             " endured", ": ", " review", " was killed", "’ death", "", " and", " died", " went missing",
             " (pseudonym)", " aged 4", "*, was killed", "\n", " was a woman", ", not his real name,", " – injury",
             " was reported missing", ", who died", " who suffered", " passed away", "’s needs", "'s family",
             " and her relatives", " and his parents", " was 54 years old"]
    rng = random.Random(6)
    texts = [head + name + tail for head in heads for name in names for tail in ("\n", "", " died", " case")]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(2, 14))) for _ in range(4000)]
    texts += ["".join(rng.choice(heads) + rng.choice(names) + rng.choice(tails) for _ in range(rng.randint(1, 4)))
              for _ in range(4000)]
    found = [0, 0]
    for text in texts:
        starts = [m.start() for m in _EVERY.finditer(text)]
        for i, (pattern, derived) in enumerate(((people._SUBJECT_CONTEXT, people._CONTEXT_STARTS),
                                                (people._SINGLE, people._SINGLE_STARTS))):
            want = [m.span() for m in matches_at(pattern, text, starts)]
            found[i] += len(want)
            assert [m.span() for m in matches_at(pattern, text, [m.start() for m in derived.finditer(text)])] \
                == want, (pattern is people._SINGLE, text)
    assert min(found) > 800


def test_subject_starts_found_without_scanning_are_the_finders_own():
    """people._starts finds the places _CONTEXT_STARTS and _SINGLE_STARTS match at from
    marks, capitals and an automaton's words rather than by running them at every
    position: on text made of their own words in any case (with İ ı ſ K for i, s and
    k), names, numbers, marks and line breaks, it gives exactly their starts."""
    import random
    import re

    from casegraph.loaders import people

    finders = (people._CONTEXT_STARTS, people._SINGLE_STARTS)
    words = sorted({w for p in finders for w in re.findall(r"[a-z]{2,}", p.pattern)})
    odd = str.maketrans({"i": "ı", "s": "ſ", "k": "\u212a"})
    groups = [words, [w.title() for w in words], [w.upper() for w in words], [w.translate(odd) for w in words],
              ["İs", "Ann", "Ann Rowe", "Mr", "Mrs ", "Miss", "KW", "O’Neill", "Jo's", "aged", "an", "whose", "not",
               "twelve", "abcdefghij", "x", "_", "é", "É"],
              ["’s", "'", "‘", "“", "”", "\"", "*", "(", ")", "-", "–", ".", ":", ",", ", ", ". ", " ",
               " ", "\n", "\t"],
              ["3", "12", "١٢", "-year", " month", "-day", " week", "é-year"]]
    rng = random.Random(3)
    for _ in range(6000):
        text = "".join(rng.choice(rng.choice(groups)) for _ in range(rng.randint(1, 16)))
        want = tuple(sorted({m.start() for m in p.finditer(text)}) for p in finders)
        assert people._starts(text) == want, text


# Where a sample of a pattern sits: at a line start, after a word, a stop or a number.
_AROUND = [(before, after) for before in ("", "x ", "After the ", "a.\n", "12, ") for after in ("", " x", ".\n")]


def test_subject_patterns_match_at_the_starts_found_on_samples_of_their_own():
    """Texts built from the parse of the subject patterns and of their finders (every
    word of every branch, see regex_samples), in a few surroundings: people._starts
    gives the finders' starts, and the patterns tried there alone find what trying
    them at every word start finds. A word added to a pattern and not to the heads
    that find where it can start (or to a head and not to the automaton's words)
    fails here."""
    from regex_samples import samples

    from casegraph.loaders import people
    from casegraph.schema.vocabulary import matches_at

    patterns = (people._SUBJECT_CONTEXT, people._SINGLE)
    finders = (people._CONTEXT_STARTS, people._SINGLE_STARTS)
    own = [samples(p) for p in (*patterns, *finders)]
    for p, texts in zip((*patterns, *finders), own, strict=True):
        # nearly every sample starts a match: the test is not an empty one
        assert sum(p.match(t) is not None for t in texts) >= 0.95 * len(texts), p.pattern[:40]
    for text in {before + t + after for texts in own for t in texts for before, after in _AROUND}:
        starts = people._starts(text)
        assert starts == tuple(sorted({m.start() for m in f.finditer(text)}) for f in finders), text
        for p, at in zip(patterns, starts, strict=True):
            every = [m.start() for m in _EVERY.finditer(text)]
            assert [m.span() for m in matches_at(p, text, at)] == [m.span() for m in matches_at(p, text, every)], text


def test_entity_patterns_tried_at_their_words_find_every_sample_of_their_own():
    """The patterns subjects tries only where one of entities._PREFIXES' words starts
    find, on texts built from their own parse in a few surroundings, what finditer
    (with a word boundary before) finds: no word of theirs is missing from the lists."""
    from regex_samples import samples

    from casegraph.loaders import entities
    from casegraph.schema.vocabulary import after_words, at_word_starts, matches_at

    tried = {"pseudo": entities._PSEUDO[0][0], "titles": entities._PSEUDO[1][0], "referred": entities._REFERRED,
             "identifies": entities._IDENTIFIES, "coded": entities._BRACKETED_NAME}
    assert set(tried) | {"named"} == set(entities._Prefixes._fields)
    spans = lambda matches: [m.span() for m in matches]  # noqa: E731
    for field, pattern in [*tried.items(), ("named", entities._NAMED_AS)]:
        texts = samples(pattern)
        assert sum(pattern.match(t) is not None for t in texts) >= 0.95 * len(texts), field
        for text in {before + t + after for t in texts for before, after in _AROUND}:
            starts = getattr(entities._prefix_starts(text), field)
            if field == "named":  # the space before the word starts a match
                assert spans(matches_at(pattern, text, [i - 1 for i in starts if i])) \
                    == spans(pattern.finditer(text)), text
            else:
                assert spans(at_word_starts(pattern, text, starts)) == spans(after_words(pattern, text)), text


def test_ages_found_a_window_at_a_time_are_those_a_full_search_finds(monkeypatch):
    """ages._ages works out where an age can start a window at a time (so that
    subject_age can stop early): with small windows, every boundary falls somewhere
    inside numbers, space runs and unit words, and the matches stay _AGE's own."""
    import random

    monkeypatch.setattr(ages, "_WINDOW", 23)
    pieces = ["aged ", "age ", "died age ", "4", "12", "seven", "twenty-one", " ", "   ", " " * 90, "\n", "-", ", ",
              "year", "years", " old", "month", "week", "day", "-year-old", "less than ", "nearly ", "x", "page 3",
              "Ann, 34, was", ", 5,", " or over", "-and-a-half", " and a half", "half"]
    rng = random.Random(11)
    found = 0
    spaced = ["x" * k + "5" + " " * 200 + "years old" for k in range(0, 300, 7)]
    for low in spaced + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))).lower() for _ in range(2000)]:
        want = [(m.span(), m.groupdict()) for m in ages._AGE.finditer(low)]
        found += len(want)
        assert [(m.span(), m.groupdict()) for m in ages._ages(low)] == want, low
    assert found > 500


def test_a_half_counts_in_an_age():
    assert ages.age_in_days("two and a half years") == ages.age_in_days("two-and-a-half years old") == 913
    assert ages.age_in_days("2 years") == 730


def test_an_age_between_commas_after_the_whole_name():
    """'Erik Lund, 48, lived': the subject's age after the whole name, whatever verb
    follows; after a relative who shares the surname, no one's age."""
    lay = layout("Erik Lund, 48, lived alone in a flat in the town. He died in March.")
    assert ages.subject_age(lay, "Erik Lund")[0] == "48 years"
    lay = layout("Liam Dale died at home in March. Rachel Dale, 30, lived nearby.")
    assert ages.subject_age(lay, "Liam Dale")[0] is None


def test_a_long_hyphenated_run_of_capitalised_words_is_read_in_linear_time():
    import time

    # A title-cased web address slug: a hyphen both inside and between words made
    # the name look-ahead try every split of the run (130 characters took minutes).
    started = time.process_time()
    en.subjects(layout("Read more: " + "Review-Finds-" * 20 + "\n\nThe review was published."))
    assert time.process_time() - started < 5
