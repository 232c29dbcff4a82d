"""The quick ways agency mentions, layout, contacts, concepts and findings are found
equal the plain ways they stand for, over generated texts: each is written here the
plain way and compared with the one the extractors use."""

from __future__ import annotations

import random
import re

from casegraph.loaders import agencies as ag
from casegraph.loaders import agency_names as an
from casegraph.loaders.structure import layout
from casegraph.schema.gates import word_search
from casegraph.schema.vocabulary import fold


def _texts(pieces: list[str], n: int, seed: int, most: int = 12) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, most))) for _ in range(n)]


# What a mention grows over leftwards: a capitalised word, then spaces, at the end.
_WORD_BEFORE = re.compile(r"([A-Z][\w&'’-]*) +$")


def test_what_precedes_a_mention_read_on_the_reversed_text_is_what_the_plain_regexes_read():
    # _extend_left reads, by one match on the reversed text, whether spaces (not a
    # table's tab) end the text before ``start`` (the window from ``lo``; before a line break
    # there too), whether "and" or "&" precedes them, and the capitalised word that
    # does.
    pieces = ["West", " ", "  ", "\t", "\n", " \n", "and", " and ", " & ", "&", "The", "the ", ". ", "McD",
              "onald", "’s", "'s", "\u00a0", "É", "(", "x", "-", "1", "Coventry", "NHS", "Brand", "police",
              "Police", "y", "_", "’", "Q", ":", "“", " " * 30]
    rng = random.Random(11)
    for text in _texts(pieces, 20000, 11):
        rev, n = text[::-1], len(text)
        for _ in range(3):
            start = rng.randint(0, len(text))
            lo = rng.randint(0, start)
            m = an._BACK.match(rev, n - start, n - lo)
            end = start - 1 if start > lo and text[start - 1] == "\n" else start
            before = text[lo:end].rstrip(" ")
            assert (m is None) == (len(before) == end - lo), (text, start, lo)
            if m is None:
                continue
            joined, word = m.groups()
            assert (joined is not None) == before.endswith(("and", "&")), (text, start, lo)
            plain = _WORD_BEFORE.search(text, lo, start)
            assert (word and (word[::-1], n - m.end(2))) == (plain and (plain.group(1), plain.start(1))), (
                text, start, lo)


def test_panel_and_caption_sentences_found_from_their_words_are_those_a_look_at_each_finds():
    pieces = ["The panel members", " represent", "ed ", "atives", "Membership", "members of the review panel",
              "Panel ", "comprised", "Picture", "photo", "s", "graph", "Image", "credit", ": ", ". ", "\n\n",
              "\n", "İ", "ſ", "x", " ", "Police", "1.2 ", "• ", "Mr. ", "CREDITS", "?", "commissioned by "]
    for text in _texts(pieces, 6000, 12, 20):
        lay = layout(text)
        folded = fold(text)
        expected = [(x.start, x.end, m.start() if m and ag._COMMISSIONED.search(text, x.start, m.start()) else x.start)
                    for x in lay.sentences
                    if (m := ag._PANEL.search(text, x.start, x.end)) or ag._CAPTION.match(text, x.start)]
        assert ag._skipped(lay, folded, word_search(ag._WORDS).hits(folded)) == expected, text


def test_checks_that_a_name_is_no_body_run_only_near_the_words_they_need():
    pieces = ["Police", " ", "  ", "\n", "\t", "Act", "act", "(Wales)", "(Scotland) ", "Institute", "research",
              "sector", "statutory guidance", "DHR library", "and Crime Panel", "QA Panel", "Quality Assurance",
              "consultant", "Credit: ", "photograph ", "Image caption", "Director of ", "directors of ",
              "health and ", "social care", "SOCIAL SERVICES", "Home Office", "the national ",
              "child safeguarding practice review panel", "İnstitute", "reſearch", "ſector", "x", "ı", "word ",
              "Copyright ", "picture", ".", ",", "-", "(", "\u00a0", "ACT", "Social Care"]
    rng = random.Random(13)
    for text in _texts(pieces, 20000, 13):
        cuts = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, 2 * rng.randint(1, 4))))
        spans = [(a, b, "x") for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
        maybe = ag._maybe_not_bodies(text, word_search(ag._WORDS).hits(fold(text)), spans)
        for i, (start, end, _) in enumerate(spans):
            if ag._not_a_body(text, start, end):
                assert i in maybe, (text, start, end)


def test_each_no_body_branch_lists_the_words_its_matches_start_with():
    # _maybe_not_bodies looks only where a branch's listed words occur: a branch added
    # without them, or with others, would let its names through unchecked.
    from casegraph.schema.requirements import required

    for branch, words in ag._BEFORE_BRANCHES + ag._AFTER_BRANCHES:
        need = required(re.compile(branch, re.I))
        if need is None:  # "Act", matched with its case, is looked for in the text itself
            assert branch == r"(?-i:Act)\b" and words == ()
            continue
        assert words and all(any(s.startswith(w) for w in words) for s in need), (branch, words, need)
    assert all(name.endswith(ag._NATIONAL_ENDS) for name in ag._NATIONAL_NAMES)


def test_a_contacts_kind_status_and_role_are_the_first_cues_a_scan_finds():
    from casegraph.loaders import contacts as co
    from casegraph.schema.vocabulary import after_words

    pieces = ["meeting", "referr", "al", "assess", "review", "ed", " of", "check", "attended ", "the ", "hospital",
              "admitted", "called", "call", "999", "home ", "visit", "clinic", "declined", "would not", "missed",
              "did not attend", "not ", "shared", "was not", "cancelled", "x", " ", ".", "-", "İ", "ſ", "_",
              "social worker", "health visitor", "gp", "s", "police officer", "nurse", "officers", "key worker"]
    texts = [" ".join(t) for t in zip(*[iter(_texts(pieces, 16000, 14))] * 4, strict=True)]
    kinds = range(len(co._KIND_RE))
    for text in texts:
        low = fold(text)
        places = co._cue_places(low)
        for cues in (kinds, co._STATUSES):
            plain = next((co._CUES[i][0] for i in cues if next(after_words(co._CUES[i][1], low), None)), None)
            assert (co._first_cue(places, low, cues.start, cues.stop) or (None,))[0] == plain, text
        role = co._first_cue(places, low, co._ROLE_CUE, co._ROLE_CUE + 1)
        plain_role = next(after_words(co._ROLE, low), None)
        assert (role and role[1].span()) == (plain_role and plain_role.span()), text


def _plain_resolve(when: str | None, anchor: str | None) -> str | None:
    from casegraph.loaders import contacts as co
    from casegraph.loaders.ages import number
    from casegraph.loaders.entities import _DATE, MONTHS

    if not when:
        return None
    m = _DATE.search(when)
    if m and m.group("month"):
        day = f"-{int(m.group('day')):02d}" if m.group("day") else ""
        return f"{m.group('year')}-{MONTHS.index(m.group('month').lower()) + 1:02d}{day}"
    if m:
        return m.group("year2")
    r = co._RELATIVE.search(when)
    if not anchor or len(anchor) < 7:
        return None
    if not r:
        month = re.search(r"\b(" + "|".join(MONTHS) + r")\b", when, re.I)
        if not month:
            return None
        number_of = MONTHS.index(month.group(1).lower()) + 1
        return f"{int(anchor[:4]) + (number_of < int(anchor[5:7]))}-{number_of:02d}"
    n = 1 if r.group("n").lower() in ("a", "an", "the next", "the following") else number(r.group("n"))
    if n is None:
        return None
    months = n * co._UNITS[r.group("unit").lower()] * (-1 if (r.group("dir") or "").lower() in ("earlier", "before")
                                                        else 1)
    total = int(anchor[:4]) * 12 + int(anchor[5:7]) - 1 + months
    return f"{total // 12}-{total % 12 + 1:02d}"


def test_contact_times_read_once_per_wording_resolve_as_read_each_time():
    from casegraph.loaders.contacts import _resolve

    pieces = ["On ", "3rd ", "12 ", "March ", "march ", "2019", "1999", "2019-", "In ", "six ", "Two ", "a ",
              "the next ", "the following ", "twenty ", "400 ", "working ", "days", "week", "months ", "year",
              "later", "earlier", "after", "before", " ", ",", "x", "When "]
    rng = random.Random(15)
    anchors = [None, "", "2019", "2019-03", "2019-12-31", "2001-01"]
    for when in [None, "", *_texts(pieces, 8000, 15, 6)]:
        anchor = rng.choice(anchors)
        assert _resolve(when, anchor) == _plain_resolve(when, anchor), (when, anchor)


def test_a_sentence_stop_ends_in_a_line_break_only_when_it_starts_with_one():
    # layout cuts before a stop that starts with a line break, after any other: it
    # tells them apart by the stop's last character.
    from casegraph.loaders.structure import _SENT_END

    pieces = ["x", "A", " ", "\n", "\n\n", "\n \n", "\t", ".", "!", "?", "\"", "”", ")", "]", "’", "“", "(",
              "1", "• ", "- ", "* ", "e.g.", "Mr.", "\r"]
    for text in _texts(pieces, 20000, 16):
        for m in _SENT_END.finditer(text):
            assert (m.group(0)[0] == "\n") == (m.group(0)[-1] == "\n"), (text, m)


def test_names_grown_over_an_acronym_and_acronyms_read_from_each_bracket_equal_a_look_after_each_name():
    pieces = ["Police", "Referral & Assessment Service", " ", "  ", "\t", "\n", "(", ")", "RAS", "(CWPT)",
              "(Fenshire)", "(RAS) ", "Coventry", " and ", "NHS", "Trust", "x", ",", "The", "Ab", "(AB&C)"]
    rng = random.Random(17)
    for text in _texts(pieces, 12000, 17, 14):
        cuts = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, 2 * rng.randint(0, 4))))
        mentions = [ag.Mention(a, b, rng.choice(["police", "other"]), text[a:b])
                    for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
        end, ceiling = cuts[0] if cuts else 0, len(text)
        m = an._WORDS_AFTER.match(text, end, ceiling)
        plain = m.end() if m and not any(w in an._STOP for w in re.findall(r"\w+", m.group(0))) else end
        assert an._extend_right(text, end, ceiling) == plain, (text, end)
        defined: dict[str, str] = {}
        for x in mentions:
            a = ag._ACRONYM_AFTER.match(text, x.end)
            if a and sum(c.isupper() for c in a.group(1)) >= 2:
                defined.setdefault(a.group(1), x.type)
        expected = list(mentions)
        for acronym, tid in defined.items():
            expected += [ag.Mention(s, e, tid, acronym) for s, e in ag._standalone(text, acronym)
                         if not any(x.start <= s < x.end for x in mentions)]
        expected.sort(key=lambda x: x.start)
        assert ag._apply_acronyms(text, mentions) == expected, (text, mentions)


def test_agency_patterns_scanned_from_words_found_in_folded_text_match_as_from_the_lowered_text():
    from casegraph.schema.gates import gate, scan
    from casegraph.schema.vocabulary import load_vocabulary, lower

    agency_types = load_vocabulary()["agency_types"]
    agate = gate(agency_types, fast=True)
    pieces = ["police", "Police", "polİce", "polıce", "ſocial care", "social care", "social ſervices", "school",
              "the health visitor", "health vİsitor", "GP", "gp", "A&E", "council", "\u212aent council", "nhs trust",
              "children's social care", " ", "  ", "\n", "-", "x", "MASH", "mash", "İ", "ı", "ſ", "\u212a"]
    for text in _texts(pieces, 3000, 18, 16):
        low, folded = lower(text), fold(text)
        shared = agate.places(folded, ag._search(agate).hits(folded))
        for tid, concept in agency_types.items():
            for k, pattern in enumerate(concept.fast):
                # What find_mentions scans (nothing for a pattern none of whose words
                # occur) against a scan of the whole text.
                near = shared.get((tid, k))
                quick = scan(pattern, low, near) if near is not None or k in agate.always.get(tid, ()) else []
                assert quick == scan(pattern, low), (tid, k, text)


def test_a_block_starts_number_is_what_the_numbered_paragraph_regex_reads():
    from casegraph.loaders.structure import _BLOCK_START, _NUMBERED

    pieces = ["\n", "\n\n", " ", "\t", "1.", "2.3", "6.10 ", "6.10.2.", "12.1\t", "a)", "(b)", "•", "- ", "x",
              "Recommendation 1", "finding two", "Lesson", ".", "3", "\u0663.\u0661 ", "• 1.2 ", "-\t4.5 "]
    for text in _texts(pieces, 20000, 19):
        for a in range(len(text) + 1):
            numbered, combined = _NUMBERED.match(text, a), _BLOCK_START.match(text, a)
            read = combined and combined.group(1) is not None and (combined.group(1), combined.end())
            assert (numbered and (numbered.group(1), numbered.end())) == (read or None), (text, a)


def test_concepts_settled_by_their_first_match_equal_every_full_pattern():
    # _match stops at a concept's first match starting a word and reads its other
    # spans only for exclusions, names and a narrower concept: the texts here meet
    # each of those (and words joined to the cue, which a match must not start in).
    from casegraph.loaders.concepts import _match, match_many, squeeze, unquote
    from casegraph.schema.vocabulary import load_vocabulary

    pieces = ["missed opportunities", "no missed opportunities", "there were no ", "could not have been prevented",
              "escalation", "escalating pattern of violence", "professional challenge", "abuse or neglect", "neglect",
              "self-neglect", "the Mental Health Act", "Mental Health", "the Individual Management Review",
              "assessment", " was superficial", "self-reported", "the father was not assessed", "during pregnancy",
              "pre-birth assessment was not completed", "disguised compliance", "professional curiosity", "low mood",
              " not explored", "x", "un", "-", " ", ". ", ", and ", "‘", "’", "young parents", "help young parents",
              "isolated incidents", "social isolation", "Act", "Training and Consultancy Ltd", "Signs of Safety"]
    texts = _texts(pieces, 4000, 20, 10)
    vocabulary = load_vocabulary()
    reasons = {"exclusions": 0, "narrower": 0, "names": 0}
    for scheme in ("themes", "risk_factors"):
        concepts = vocabulary[scheme]
        every = [_match(squeeze(unquote(t)), concepts, None) for t in texts]
        assert match_many(texts, concepts) == every
        # Why a concept whose patterns match is not found: each reason is met.
        for t, ids in zip(texts, every, strict=True):
            plain = squeeze(unquote(t))
            for cid, c in concepts.items():
                if cid not in ids and any(p.search(plain) for p in c.patterns):
                    narrower = any(cid in concepts[n].broader for n in ids)
                    reasons["exclusions" if c.exclusions else "narrower" if narrower else "names"] += 1
    assert min(reasons.values()) > 20, reasons


def test_shortfall_cues_within_risk_words_read_from_the_gated_patterns_equal_every_pattern():
    # _condition_only reads the risk factors' spans from the patterns the gate lets
    # through; the plain way runs every pattern of each risk factor found.
    from casegraph.loaders import findings as fi
    from casegraph.loaders.concepts import Sentences
    from casegraph.schema.vocabulary import load_vocabulary

    risks = load_vocabulary()["risk_factors"]
    pieces = ["She declined", " care", "failed to attend", "poor mental health", "The GP did not refer her",
              "missed appointments", "domestic abuse", "was not", "drug use", "neglect", "x", " ", ". ", "\n\n",
              "limited", "housing", "unable to", "alcohol misuse", "self-neglect", "İ", "no", " lack of food"]
    tried = 0
    for text in _texts(pieces, 1500, 21, 14):
        sentences = Sentences(layout(text))
        for i, plain in enumerate(sentences.plains):
            ids = sentences.match([i], risks)[0]
            within = [m.span() for cid in ids for p in risks[cid].patterns for m in p.finditer(plain)]
            expected = bool(ids) and all(any(a <= m.start() and m.end() <= b for a, b in within)
                                         for m in fi._SHORTFALL.finditer(fold(plain)))
            assert fi._condition_only(sentences, i, ids) == expected, plain
            tried += expected
    assert tried > 50


def test_may_occur_by_one_search_of_its_words_equals_a_look_for_each_word():
    from casegraph.schema.gates import may_occur
    from casegraph.schema.requirements import cased_required, required
    from casegraph.schema.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    patterns = {x for c in vocabulary["themes"].values() for x in (*c.names, *c.patterns)}
    patterns |= {x for c in vocabulary["risk_factors"].values() for x in c.patterns}
    pieces = ["Mental Health Act", "act", "Act", "Individual Management Review", "internal management reviews",
              "serious case", " management review", "Ltd", "Conference", "conference", "Scheme", "neglect",
              "domestic abuse", "drug", "alcohol", "x", " ", "-", "Law", "law", "self-harm", "İ", "ſ"]
    met = 0
    for text in _texts(pieces, 400, 22):
        low = text.lower()
        for pattern in patterns:
            need, cased = required(pattern), cased_required(pattern)
            plain = (need is None or any(w in low for w in need)) and (cased is None or any(w in text for w in cased))
            assert may_occur(pattern, text, low) == plain, (pattern.pattern, text)
            met += plain and need is not None
    assert met > 1000


def test_role_cues_found_by_one_automaton_are_those_a_look_for_each_word_finds():
    from casegraph.loaders import roles

    pieces = ["said", "sa", "id", "say", "told", "critical of", "apologi", "sorry", "believ", "importan", "essential",
              "key", "need", "must", "will", "should", "learning", "lesson", "been", "the purpose of",
              "are carried out to", "is conducted so", "undertaken", "designed", "intended", "aims to identify",
              "seek to learn", "seeks to establish", "never employed by", "no prior involvement with",
              "independent of the agencies", "not been employed by", " ", "x", "-", "a", "s", "ai", "m to"]
    purposeful = 0
    # Words that overlap ("must" and "told") are each found.
    for low in ["mustold", *_texts(pieces, 20000, 23)]:
        cues = roles._CUES.places(low)
        assert ("said" in cues) == any(w in low for w in roles._SAID_WORDS), low
        assert ("learn" in cues) == any(w in low for w in roles._LEARN_WORDS), low
        if roles._PURPOSE.search(low):
            purposeful += 1
            assert "purpose" in cues, low
    assert purposeful > 500


def test_patterns_ruled_out_by_their_words_never_match():
    # gates.Possible rules a pattern out by the words it requires, looked for in the
    # folded text: attribution tries the regexes it reads before a mention, those of
    # work one agency does and the words of blame in general only where it lets them
    # through.
    from casegraph.loaders import attribution as at
    from casegraph.schema.gates import Possible

    pieces = ["referred to ", "Referral to", "contacted", "CONTACT with", "shared with ", "ſhared with", "given to",
              "passed on to", "misled", "lied to ", "called", "informed ", "notified", "the ", "The ", " ", "  ",
              "\n", "x", "-", "former", "ex-", "retired", "independent", "led by a", "written by an", "on behalf of ",
              "report by", "review (SCR), for", "published by the ", "commissioned by", "Council's ", "spokesman",
              "initial assessment", "INITIAL ASSESSMENTS", "core assessment", "ſection 47", "strategy meeting",
              "child protection plan", "case was closed", "stepped down", "step-down", "antenatal booking",
              "new birth visit", "two-year check", "DASH", "dash", "arrested", "call-outs", "CID", "cid", "İ",
              "ı", "\u212a", "social work team", "children’s services department", "direct work with", "by", " staff",
              "Agencies", "professionals", "the system", "multi-agency", "no single agency", "ſervices"]
    patterns = {**at._BEFORE.patterns, **at._IN_SENTENCE.patterns}
    assert len(patterns) == len(at._BEFORE.patterns) + len(at._IN_SENTENCE.patterns) == 2 + len(at._IMPLIED) + 1
    possible = Possible(patterns)
    ruled_out = matched = 0
    for text in _texts(pieces, 6000, 24):
        maybe = possible(fold(text))
        for name, pattern in patterns.items():
            found = pattern.search(text) is not None
            matched += found
            if name not in maybe:
                ruled_out += 1
                assert not found, (pattern.pattern, text)
    assert ruled_out > 5000 and matched > 1000


def test_the_cue_words_looked_for_before_a_role_regex_are_in_every_match_of_it():
    # A sentence's role regexes run only where one of their listed words occurs: each
    # string one of which every match holds (read from the pattern) must hold one of
    # them, so a branch added to a regex without its word fails here.
    from casegraph.loaders import roles
    from casegraph.schema.requirements import required

    for pattern, words in ((roles._SAID, roles._SAID_WORDS), (roles._LEARNS, roles._LEARN_WORDS),
                           (roles._PURPOSE, roles._PURPOSE_WORDS)):
        need = required(pattern)
        assert need is not None, pattern.pattern
        assert all(any(w in s for w in words) for s in need), [s for s in need if not any(w in s for w in words)]


def test_no_sentence_of_a_section_describing_the_review_is_a_finding():
    # findings matches no themes in those sections: whatever a sentence there says,
    # in a report or not, its role is never a finding.
    from casegraph.loaders.roles import FINDING, NOT_FINDINGS, Roles
    from casegraph.loaders.structure import Block, Layout, Sentence

    pieces = ["The GP failed to refer her", " and ", "agencies did not share information", ". ", "recommend",
              "Police should have", " said ", "“", "”", "?", "It is important that", "was not", "x", "review",
              "The panel found", " missed opportunities", "Chronology", ":", "\n"]
    findings = 0
    for k, text in enumerate(_texts(pieces, 3000, 26)):
        # The text once in each such section, then once in an analysis or a news text.
        sections = (*NOT_FINDINGS, "analysis" if k % 2 else None)
        step = len(text) + 1
        blocks = [Block(n * step, n * step + len(text), None, section, None) for n, section in enumerate(sections)]
        sentences = [Sentence(b.start, b.end, b) for b in blocks]
        roles = Roles(Layout("\n".join([text] * len(sections)), [], sentences))
        assert all(roles.get(s.start) != FINDING for s in sentences[:-1]), text
        findings += roles.get(sentences[-1].start) == FINDING
    assert findings > 1000


def test_where_review_types_start_found_by_automata_is_what_a_scan_per_string_finds():
    from casegraph.loaders import reviews
    from casegraph.schema.vocabulary import find_all, lower

    pieces = ["serious case review", "Serious Case Review", "significant case ", "safeguarding adult", "domestic ",
              "domestic homicide", "local child ", "child safeguarding ", "child practice ", "adult practice ",
              "concise child ", "case management", "serious case management", "SCR", "CSPR", "SAR", "DHR", "CPR",
              "APR", "CMR", "SCMR", "LCSPR", "C", "S", "R", " ", "x", "-", "İ", "ſ", "child ", "adult "]
    for text in _texts(pieces, 5000, 27):
        low = lower(text)
        starts, present = reviews._TYPE_STARTS.places(low), reviews._ACRONYM_LETTERS.places(text)
        assert [starts.get(k, []) for k in range(len(reviews._TYPE_RES))] == \
            [find_all(low, firsts) for _, _, firsts, _, _ in reviews._TYPE_RES]
        assert set(present) == {letters for *_, letters in reviews._TYPE_RES if letters in text}, text


def test_a_chronology_s_events_read_in_one_pass_are_the_roles_read_one_by_one():
    # Roles.events lowers the text once (each sentence alone where lowering changes
    # lengths or reads neighbours, as İ and Σ do) and judges the chronology's
    # sentences joined; get() judges each alone.
    from casegraph.loaders.roles import EVENT, Roles

    pieces = ["The GP saw her", " should have", " referred", " not ", "no ", "failed to", " recommended",
              "Recommend", " x", ". ", ".\n\n", "\n\n1.2 ", "İ", "Σ", "ΟΔΟΣ ", "lack of", "unaware", "missed"]
    judged = 0
    for body in _texts(pieces, 1500, 28, 16):
        lay = layout("1. CHRONOLOGY\n\n1.1 " + body + "\n\n2. ANALYSIS\n\n2.1 Agencies did not share.\n")
        batch, alone = Roles(lay), Roles(lay)
        events = batch.events()
        assert [batch.get(s.start) for s in lay.sentences] == [alone.get(s.start) for s in lay.sentences], body
        assert events == {s.start for s in lay.sentences if alone.get(s.start) == EVENT}, body
        judged += len(events) < sum(s.block.section == "chronology" for s in lay.sentences)
    assert judged > 500


def test_types_ruled_out_found_at_their_words_are_those_a_full_scan_finds():
    from casegraph.loaders import reviews

    def full_scan(low: str) -> set[str]:
        out = set()
        for m in reviews._CRITERIA.finditer(low):
            before = reviews._UNMET_BEFORE.search(low, max(0, m.start() - 40), m.start())
            for rtype, words, _, acronym, _ in reviews._TYPE_RES:
                named = words.match(low, m.end()) or acronym.match(low.upper(), m.end())
                if named and (before or reviews._UNMET_AFTER.match(low, named.end())):
                    out.add(rtype)
        return out

    texts = ["the case did not meet the criteria for a safeguarding adults review.",
             "the criteria for a sar were not met; the threshold for a dhr was met.",
             "it did not reach the threshold for a child safeguarding practice review, and the criteria "
             "for a serious case review (scr) had not been met.",
             "thresholds for a dhr were not reached. subcriteria for an scr were not met.",
             "no criteria here at all"]
    for low in texts:
        assert reviews._ruled_out(low) == full_scan(low), low


def test_deaths_dated_where_their_words_are_found_are_those_a_search_finds():
    from bisect import bisect_right

    from casegraph.loaders import entities as en
    from casegraph.loaders.structure import layout

    def by_search(lay):  # the earlier form: one search after another from each match
        text, pos = lay.text, 0
        while (m := en._DIED_ON.search(text, pos)) is not None:
            pos = m.start() + 1
            i = bisect_right(lay.sentences, m.start(), key=en._START) - 1
            if i < 0:
                continue
            s = lay.sentences[i]
            if s.block.section in ("appendices", "contents", "methodology") \
                    or en._RELATIVE_DIED.search(text, max(s.start, m.start() - 30), m.start()):
                continue
            if m.end() > s.end and (m := en._DIED_ON.match(text, m.start(), s.end)) is None:
                continue
            return en._date_value(m)
        return None

    texts = ["Her father died in 2001. Ann died on 3 May 2019 at home.",
             "He was last seen alive in March 2020. He was found dead in April 2020.",
             "The baby passed away in hospital in June 2018.", "Nobody died.", "The man who died\nin 2012 lived here."]
    for text in texts:
        lay = layout(text)
        assert en._died_on(lay) == by_search(lay), text
    from conftest import SAMPLES

    for f in SAMPLES.glob("*"):
        if f.suffix in (".txt", ".md"):
            lay = layout(f.read_text("utf-8"))
            assert en._died_on(lay) == by_search(lay), f.name
