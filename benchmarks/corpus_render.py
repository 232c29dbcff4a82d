"""How the synthetic benchmark corpus reads: a case's review report (numbered
sections, chronology, analysis, recommendations) and the news articles about it,
some as HTML pages (see generate.py)."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from corpus_phrases import DETAILS, ELABORATIONS, EVENTS, GOOD_PRACTICE, MONTHS, NUMBER_WORDS, RISKS
from corpus_themes import THEME_BY_KEY, THEMES, Agency, acronym, locality_agencies

if TYPE_CHECKING:
    from generate import Case

__all__ = ["render_report", "render_news"]


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
    short = acronym(partnership)
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
        harm = "death" if case.died else "serious injury"
        headline = rng.choice((f"Review into {loc.name} {noun}'s {harm} says agencies did not act together",
                               f"Services 'did not share information' before {loc.name} {noun} {verb}"))
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


