"""The extraction pipeline: one Document in, one ReviewRecord out. Runs the
structure, entity, agency, finding, recommendation, risk and contact extractors
in order; a curated record's hand-checked facts win over extracted ones."""

from __future__ import annotations

import re
from typing import Any

from casegraph.errors import UnreadableDocument
from casegraph.loaders import agencies as ag
from casegraph.loaders import ages, places
from casegraph.loaders import entities as en
from casegraph.loaders import findings as fi
from casegraph.loaders.concepts import Sentences, concept_gate
from casegraph.loaders.contacts import contacts
from casegraph.loaders.involvement import involved
from casegraph.loaders.people import TITLES, named_people
from casegraph.loaders.recommendations import recommendations, stated_count
from casegraph.loaders.resolve import agency_id, locality_of_partnership, partnership_place
from casegraph.loaders.reviews import about_an_adult
from casegraph.loaders.roles import Roles, states_fault
from casegraph.loaders.structure import layout
from casegraph.schema.gates import gate
from casegraph.schema.record import (
    AgencyMention,
    Contact,
    Document,
    Evidence,
    Finding,
    Recommendation,
    ReviewRecord,
    RiskFactorMention,
)
from casegraph.schema.vocabulary import after_words, fold, load_vocabulary

__all__ = ["extract", "prepare"]


def prepare() -> None:
    """Compile the vocabulary's patterns and build their gates now (most of a second),
    as the first extraction would: worker processes forked after this inherit them
    instead of each building its own."""
    vocabulary = load_vocabulary()
    for scheme in ("themes", "risk_factors"):
        concept_gate(vocabulary[scheme])
    gate(vocabulary["agency_types"], fast=True)


# A list of recommendations said to be some of them: its length is not their number.
_SOME = re.compile(r"\b[Rr]ecommendations\b[^.\n]{0,30}\b(?:include[sd]?|including)\b|"
                   r"\b[Aa]mong (?:its|the|their) (?:\w+ )?recommendations\b")


def _some_of_them(text: str, recs: list[Recommendation]) -> bool:
    """Whether the line that introduces the list (the one before its first item, or
    that item's own) says it holds some of them; a sentence elsewhere ("its
    recommendations include better sharing") tells nothing of the list."""
    start = min((e.start for r in recs for e in r.evidence), default=len(text))
    before = text[:text.rfind("\n", 0, start) + 1].rstrip()
    return _SOME.search(text, before.rfind("\n") + 1, start) is not None


def extract(doc: Document) -> ReviewRecord:
    """Extract a ReviewRecord from a Document (see the JSON contract in the README)."""
    if doc.record is not None:
        try:
            return from_curated(doc)
        except (KeyError, TypeError, AttributeError, ValueError, IndexError) as e:
            # A hand-written record of the wrong shape is a bad file, not a crash of the batch.
            what = f"an item has no {e.args[0]!r}" if isinstance(e, KeyError) else str(e)
            raise UnreadableDocument(doc.path, f"invalid record ({what})") from None
    text = doc.text
    lay = layout(text)
    meta = {"path": doc.path, "sha256": doc.sha256, "kind": doc.kind, "title": doc.title,
            "published": doc.published or en.report_date(text)}
    rtype, type_ev = en.review_type(text, meta["published"])

    # An independent review or inquiry may be about an adult too.
    adult = rtype in _ADULT_REVIEWS or (rtype == "other" and about_an_adult(text))
    mentions = involved(text, ag.for_review(ag.find_mentions(lay), adult=adult))
    partnerships = _partnerships(mentions)
    named = [p for p in [*(partnership_place(n) for n in partnerships), _council_place(text, mentions)] if p]
    incident = en.incident_date(lay)
    locality = places.locality(text, named, incident or meta["published"])
    groups = ag.group_agencies(lay, mentions, locality)
    # Every mention resolves to the display name of its agency.
    by_id = {agency_id(locality, g.type, g.name): g.name for g in groups}
    names = {(m.start, m.end): by_id.get(agency_id(locality, m.type, ag._clean(m.text)))
             for m in mentions}

    subjects, family = en.subjects(lay)
    pseudonym = subjects[0]["pseudonym"] if subjects else None
    age_text, age_ev = ages.subject_age(lay, pseudonym)
    if not subjects and age_text:
        # A text that names no subject may still give their age ("a six-week-old baby").
        subjects = [{"pseudonym": None}]
    for s in subjects:
        s.update(age_text=age_text, age_days=ages.age_in_days(age_text),
                 outcome=_outcome(text), age_evidence=age_ev)
    family = en.family(lay, pseudonym) or family

    sentences = Sentences(lay)
    role_of = Roles(lay)
    by_type: dict[str, str] = {}
    for g in groups:
        by_type.setdefault(g.type, g.name)
    found = fi.findings(lay, sentences, mentions, names, role_of, by_type)
    recs = recommendations(lay, mentions, names, role_of)
    # A sentence that reports recommendations is not also a finding, unless it also
    # tells what went wrong ("recommends ... after information was not shared").
    rec_spans = fi.Spans([(e.start, e.end) for r in recs for e in r.evidence])
    found = [f for f in found if not rec_spans.touch(f.evidence[0].start, f.evidence[0].end)
             or ("recommend" in (low := f.text.lower()) and states_fault(low))]
    count, count_ev = stated_count(lay)
    # What the text states (its findings and the opinions it reports among it) and
    # what it recommends.
    themes = sorted(fi.stated_themes(sentences, role_of) | {t for r in recs for t in r.themes})
    return ReviewRecord(
        document=meta,
        review={"type": rtype, "partnership": partnerships, "published": meta["published"],
                "label": en.review_label(text),
                "recommendations_count": count if count is not None
                else None if not recs or _some_of_them(text, recs) else len(recs),
                "recommendations_count_evidence": count_ev,
                "type_evidence": [type_ev] if type_ev else []},
        case={"id": None, "locality": locality, "incident_date": incident,
              "subjects": subjects, "family": family,
              # Whom a text that names no subject names: what ties it to its case.
              "people": [] if pseudonym else named_people(text)},
        agencies=groups,
        findings=found,
        recommendations=recs,
        risk_factors=_killers_illness(
            _in_scope(fi.risk_factors(lay, sentences, recs, _older_child(adult, subjects)),
                      "adult" if adult else "child" if rtype in _CHILD_REVIEWS else None),
            rtype == "DHR" or ((adult or rtype == "other") and _KILLING_WORDS.search(text, 0, 3000) is not None),
            pseudonym, text),
        contacts=contacts(lay, mentions, names),
        themes=themes,
    )


_ADULT_REVIEWS = ("SAR", "DHR", "APR")
_CHILD_REVIEWS = ("SCR", "CSPR", "CPR")


def _older_child(adult: bool, subjects: list[dict[str, Any]]) -> bool:
    """A child review about a child of ten or more (a teenager's own mental health or
    drug use is theirs, not a parent's)."""
    days = subjects[0].get("age_days") if subjects else None
    return not adult and days is not None and days >= 3650


def _in_scope(found: list[RiskFactorMention], kind: str | None) -> list[RiskFactorMention]:
    """The risk factors a review of its ``kind`` (adult, child or None) can mean (see
    the vocabulary's ``reviews``): in a review about an adult, a parent's drinking or
    a child's schooling is someone else's, and mental ill-health the adult's own, not
    a parent's; in one about a child, an adult's learning disability is a parent's or
    a stranger's. A review of unknown kind keeps them all."""
    if kind is None:
        return found
    concepts = load_vocabulary()["risk_factors"]
    ids = {r.id for r in found}
    out = []
    for r in found:
        if concepts[r.id].reviews not in (None, kind):
            continue
        if kind == "adult" and r.id == "parental-mental-health":
            if "adult-mental-illness" in ids:
                continue
            r = RiskFactorMention("adult-mental-illness", r.evidence)
        out.append(r)
    return out


# A killing by another: not one who "killed himself", nor "the fire that killed him".
_KILLING_WORDS = re.compile(r"\b(?:killed by (?:his|her|their)|killed (?:his|her|their)|killing of|murder(?:ed)?|"
                            r"manslaughter|homicide)\b", re.I)
_MENTAL_ILLNESS = ("adult-mental-illness", "parental-mental-health")
# Whom a sentence of a killing's review speaks of when it is not the one killed: the
# killer by a word for them, or by a title and name that are not the subject's.
# (not one who speaks of another: "her partner said she had been depressed")
_THE_KILLER = re.compile(r"\b(?:son|husband|partner|boyfriend|ex-partner|perpetrator|killer|attacker|assailant|"
                         r"offender|defendant)\b(?! (?:\w+ )?(?:said|says|told|reported|described|disclosed)\b)", re.I)
_HE = re.compile(r"\b(?:he|his|him)\b", re.I)
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss) ([A-Z][\w'’-]+)")


def _killers_illness(found: list[RiskFactorMention], killing: bool, pseudonym: str | None,
                     text: str) -> list[RiskFactorMention]:
    """In the review of a killing, mental illness told of the one who killed (his
    schizophrenia, the son's psychosis) rather than of the one killed is the
    perpetrator's."""
    if not killing or not any(r.id in _MENTAL_ILLNESS for r in found):
        return found
    own = {w for w in re.findall(r"[A-Z][\w'’-]*", pseudonym or "") if w not in TITLES}
    # Where the one killed is a man, "he" may be either.
    he_killed = (pseudonym or "").startswith("Mr ") or any(re.search(rf"\bMr (?:[A-Z][\w'’-]* )?{re.escape(w)}\b", text)
                                                         for w in own)

    def of_the_killer(quote: str) -> bool:
        # (where the one killed is unnamed, a titled name may be theirs)
        if own and any(m.group(1) not in own for m in _TITLED.finditer(quote)):
            return True
        # A sentence naming the one killed speaks of them, unless another is named too.
        return own.isdisjoint(re.findall(r"[\w'’-]+", quote)) \
            and bool(_THE_KILLER.search(quote) or not he_killed and _HE.search(quote))

    out, killers = [], []
    for r in found:
        if r.id not in _MENTAL_ILLNESS:
            out.append(r)
            continue
        theirs = [e for e in r.evidence if of_the_killer(e.quote)]
        killers += theirs
        if len(theirs) < len(r.evidence):
            out.append(r)
    if killers and not any(r.id == "perpetrator-mental-health" for r in out):
        out.append(RiskFactorMention("perpetrator-mental-health", killers))
    return out


def _partnerships(mentions: list[ag.Mention]) -> list[str]:
    """Names of the safeguarding bodies with a place in their name, first seen first."""
    out: list[str] = []
    keys: set[str] = set()
    for m in mentions:
        if m.type != "safeguarding-partnership":
            continue
        name = ag._clean(m.text)
        if not locality_of_partnership(name):
            continue
        key = agency_id(None, m.type, name)
        if key not in keys:
            keys.add(key)
            out.append(name)
    return out


_COUNCIL_END = r"\s+(?:(?:City |County |Borough |District )?Council|Children|Adult)"


def _council_place(text: str, mentions: list[ag.Mention]) -> str | None:
    """'Coventry City Council' or 'Bradford Children's Services' -> the place, when
    no partnership names it (not a council named only as a speaker's employer)."""
    for m in mentions:
        if m.type == "local-authority" and not ag.council_involved(text, m, mentions):
            continue
        if m.type in ("local-authority", "children-social-care", "adult-social-care"):
            name = ag._clean(m.text)
            # An area whose name joins two ("Dumfries and Galloway Council") is named whole.
            whole = re.match(rf"(.+? (?:and|with) .+?){_COUNCIL_END}", name)
            if whole and places.is_area(whole.group(1)):
                return whole.group(1)
            place = re.match(rf"([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?){_COUNCIL_END}", name)
            # "KCC Adult Social Care": an acronym is the body's, not a place's name.
            if place and place.group(1) not in ("Full", "The", "City", "County") and not place.group(1).isupper():
                return place.group(1)
    return None


# Caseless words, matched on folded text after a word boundary (see after_words).
_DIED = re.compile(r"(?:died|dies|death|killed|fatal|dead)\b")
_HARMED = re.compile(r"(?:serious(?:ly)? (?:harm|injur\w+)|survived|fracture\w*)\b")
# The words every match of each starts with: found by str.find (see after_words).
_DIED_STARTS = ("died", "dies", "dea", "killed", "fatal")
_HARMED_STARTS = ("serious", "survived", "fracture")


# Another's death: "after the death of a parent", "his mother died". Whose relative a
# mother or a grandmother is, a possessive says: "the death of a mother" or "a
# grandmother died" is the subject's own.
_WHOSE = r"(?:his|her|their|\w+['’]s)"
_THEIR_DEATH = re.compile(rf"\s+of (?:(?:a|an|the) (?:\w+ )?(?:parent|sibling|friend|relative)|{_WHOSE} (?:\w+ )?"
                          r"(?:parent|mother|father|husband|wife|partner|son|daughter|brother|sister|sibling|grand\w+|"
                          r"friend|relative))\b")


_KIN_BEFORE = re.compile(rf"\b{_WHOSE} (?:\w+ )?(?:mother|father|mum|dad|parents?|husband|wife|grand\w+|brother|"
                         r"sister)(?:['’]s)?\s+(?:had\s+)?$")


# Where someone was killed, "the death of his partner" or "of her son" is most often
# the killing told from the killer's side: the subject's death.
_KILLING = re.compile(r"\b(?:killed|killing|murder\w*|manslaughter|homicide|jailed|convicted)\b")


def _outcome(text: str) -> str | None:
    """Died or seriously harmed, as the text's words for the one or the other
    outnumber each other (not counting the deaths of relatives, unless it tells
    of a killing)."""
    low = fold(text)
    died = relatives = 0
    for m in after_words(_DIED, low, _DIED_STARTS):
        if _THEIR_DEATH.match(low, m.end()) or _KIN_BEFORE.search(low, max(0, m.start() - 30), m.start()):
            relatives += 1
        else:
            died += 1
    # Looked for only when it matters: most texts tell of no relative's death.
    if relatives and _KILLING.search(low):
        died += relatives
    harm = sum(1 for _ in after_words(_HARMED, low, _HARMED_STARTS))
    if died > harm:
        return "died"
    return "serious-harm" if harm else None


def from_curated(doc: Document) -> ReviewRecord:
    """A hand-checked record: its facts are taken as they stand."""
    rec: dict[str, Any] = doc.record or {}

    def evs(items: list[dict[str, Any]] | None) -> list[Evidence]:
        return [Evidence(**e) for e in items or []]

    review = dict(rec.get("review") or {})
    review.setdefault("partnership", [])
    case = dict(rec.get("case") or {})
    case.setdefault("subjects", [])
    case.setdefault("family", [])

    def items(key: str) -> list[dict[str, Any]]:
        # An item may be its text alone ("- Information was not shared."), as the reader takes it.
        listed = rec.get(key) or []
        if not isinstance(listed, list):
            raise ValueError(f"{key} is not a list")
        return [{"text": x} if isinstance(x, str) else x for x in listed]

    findings = [Finding(text=f["text"], polarity=f.get("polarity", "shortfall"),
                        themes=f.get("themes", []), agencies=f.get("agencies", []),
                        evidence=evs(f.get("evidence"))) for f in items("findings")]
    recs = [Recommendation(number=str(r.get("number")) if r.get("number") is not None else None,
                           text=r["text"], addressed_to=r.get("addressed_to", []),
                           themes=r.get("themes", []), evidence=evs(r.get("evidence")))
            for r in items("recommendations")]
    if recs and not review.get("recommendations_count"):
        review["recommendations_count"] = len(recs)
    return ReviewRecord(
        document={"path": doc.path, "sha256": doc.sha256, "kind": "record",
                  "title": doc.title, "published": doc.published or review.get("published")},
        review=review,
        case=case,
        agencies=[AgencyMention(name=a["name"], type=a.get("type", "other"),
                                aliases=a.get("aliases", []), evidence=evs(a.get("evidence")))
                  for a in rec.get("agencies") or []],
        findings=findings,
        recommendations=recs,
        risk_factors=[RiskFactorMention(r if isinstance(r, str) else r["id"]) for r in
                      rec.get("risk_factors") or []],
        contacts=[Contact(when=c.get("when"), agency=c.get("agency"), kind=c.get("kind") or "contact",
                          summary=c.get("summary") or "", role=c.get("role"), missed=bool(c.get("missed")),
                          status=c.get("status"), evidence=evs(c.get("evidence")), date=c.get("date"))
                  for c in rec.get("contacts") or []],
        themes=sorted({t for f in findings for t in f.themes} | {t for r in recs for t in r.themes}),
    )
