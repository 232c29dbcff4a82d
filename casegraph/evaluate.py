"""Extraction scored against gold annotations: precision, recall and F1 per field
(agency types, agency names, themes, risk factors, failures) and exact-match rates
(recommendation count, subject, age, incident year, locality, review type, case
grouping), under the matching rules written at the top of the gold file; and one
figure per extraction stage (sentence roles: the share of gold failure quotes that
fall in sentences classed as findings; how far each quote's failure got through
roles, concepts, cues and attribution)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from casegraph.errors import CasegraphError

__all__ = ["evaluate", "format_report", "normalise_name"]

SET_FIELDS = ("agency_types", "agency_names", "themes", "risk_factors", "failures")
EXACT_FIELDS = ("recommendations_count", "subject", "age", "incident_year", "locality",
                "review_type", "case_grouping")


def normalise_name(name: str) -> str:
    """Gold rule: ignore case, punctuation and a leading 'the'."""
    name = re.sub(r"[^\w\s&]", "", name.lower().replace("’", "'")).strip()
    name = re.sub(r"\s+", " ", name)
    return re.sub(r"^the ", "", name)


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "tp": tp, "fp": fp, "fn": fn}


def _age_key(text: str | None) -> tuple[str, int | None] | None:
    from casegraph.loaders.ages import age_in_days

    if not text:
        return None
    low = text.lower()
    qualifier = next((q for q in ("less than", "under", "nearly", "almost") if q in low), "")
    return qualifier, age_in_days(low)


def _age_check(gold: str | None, got: str | None) -> tuple[Any, Any, bool]:
    """Ages compared as ages ("7 months", "seven months old"); an age that is no number
    of days ("a toddler") by its words, contained in the extracted age text."""
    want, have = _age_key(gold), _age_key(got)
    if want is None or want[1] is not None:
        return want, have, want == have
    return want, have, have is not None and _squash(gold or "").strip() in _squash(got or "")


def _subject_key(name: str | None) -> str:
    from casegraph.loaders.resolve import pseudonym_key

    return pseudonym_key(name or "")


def evaluate(gold_path: str | Path, docs: str | Path | None = None, split: str | None = None,
             failures: str | Path | None = None) -> dict[str, Any]:
    """Score extraction of every document in the gold file (those of ``split`` only,
    when given); returns the report. Gold failures may come from a separate file
    (``failures``, default: failures.yaml beside the gold file when it exists)."""
    from casegraph.graph.store import Store
    from casegraph.loaders.readers import read_document
    from casegraph.pipeline import extract_path

    gold_path = Path(gold_path)
    gold = _read_yaml(gold_path)
    base = Path(docs) if docs else gold_path.parent
    entries = [e for e in gold.get("documents") or [] if not split or e.get("split") == split]
    if not entries:
        raise CasegraphError(f"{gold_path}: no documents listed" + (f" in split {split!r}" if split else ""))
    failures_path = Path(failures) if failures else gold_path.parent / "failures.yaml"
    if failures or failures_path.exists():
        extra = {e["file"]: e.get("failures") or [] for e in _read_yaml(failures_path).get("documents") or []}
        for e in entries:
            if e["file"] in extra and "failures" not in e:
                e["failures"] = extra[e["file"]]
    counts = {f: [0, 0, 0] for f in SET_FIELDS}
    exact: dict[str, list[int]] = {f: [0, 0] for f in EXACT_FIELDS}
    roles = [0, 0]
    quote_stages = dict.fromkeys(QUOTE_STAGES, 0)
    per_doc = []
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "eval.db")
        for entry in entries:
            path = base / entry["file"]
            if not path.exists() and (base / Path(entry["file"]).name).exists():
                path = base / Path(entry["file"]).name
            record = extract_path(path)
            records.append(record)
            if not record.errors:
                store.load(record)
                if entry.get("failures"):
                    _score_roles(entry, record, read_document(path).text, roles, quote_stages)
        for entry, record in zip(entries, records, strict=True):
            doc = _score(entry, record, store, counts, exact)
            per_doc.append(doc)
        merged = _score_grouping(entries, records, store, exact, per_doc)
        store.close()
    return {
        "gold": str(gold_path),
        "split": split,
        "documents": len(entries),
        "fields": {f: prf(*counts[f]) for f in SET_FIELDS},
        "exact": {f: {"right": r, "of": n, "rate": round(r / n, 3) if n else None}
                  for f, (r, n) in exact.items()},
        "stages": {"finding_roles": {"right": roles[0], "of": roles[1],
                                     "rate": round(roles[0] / roles[1], 3) if roles[1] else None},
                   "failure_quotes": quote_stages},
        "different_cases_merged": merged,
        "per_document": per_doc,
    }


def _read_yaml(path: Path) -> dict[str, Any]:
    import yaml

    try:
        return yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise CasegraphError(f"{path}: cannot read gold file ({e})") from e


def _squash(text: str) -> str:
    """Text compared without case, quote styles, dashes or runs of white space."""
    text = text.translate(str.maketrans("‘’“”–—\u00a0", "''\"\"-- ")).lower()
    return re.sub(r"\s+", " ", text)


# Where the way from a gold failure quote to its failure pair breaks, stage by stage:
# the sentence's role, the concepts it names, its shortfall cue, then attribution.
QUOTE_STAGES = ("right", "another agency", "another theme", "not a shortfall", "no theme", "not a finding")


def _score_roles(entry: dict[str, Any], record: Any, text: str, roles: list[int],
                 stages: dict[str, int]) -> None:
    """Sentence roles: each gold failure quote found in the text counts as right when
    a sentence classed as a finding overlaps it; ``stages`` counts the quotes by the
    furthest stage their failure got to (QUOTE_STAGES)."""
    from casegraph.loaders.attribution import ALL_AGENCIES
    from casegraph.loaders.concepts import Sentences
    from casegraph.loaders.roles import FINDING, Roles
    from casegraph.loaders.structure import layout
    from casegraph.schema.vocabulary import load_vocabulary

    shortfalls = [f for f in record.findings if f.polarity == "shortfall"]
    type_of = {n: a.type for a in record.agencies for n in (a.name, *a.aliases)}
    lay = layout(text)
    sentences, role_of = Sentences(lay), Roles(lay)
    events = role_of.events()
    squashed, index = _squash_map(text)
    where: dict[str, tuple[int, int] | None] = {}
    for f in entry["failures"]:
        if (quote := f.get("quote")) and quote not in where:
            at = squashed.find(_squash(quote).strip(' ."'))
            where[quote] = None if at < 0 else (index[at], index[min(at + len(quote) - 1, len(index) - 1)])
    for start, end in filter(None, where.values()):
        roles[1] += 1
        roles[0] += any(e.start < end and start < e.end for f in shortfalls for e in f.evidence)
    for quote, theme, agency_type in {(f["quote"], f["theme"], f["agency_type"]) for f in entry["failures"]
                                      if where.get(f.get("quote"))}:
        start, end = where[quote]
        found = [f for f in shortfalls if any(e.start < end and start < e.end for e in f.evidence)]
        on_theme = [f for f in found if theme in f.themes]
        if on_theme:
            types = {ALL_AGENCIES if n == ALL_AGENCIES else type_of.get(n) for f in on_theme for n in f.agencies}
            stage = "right" if agency_type == ALL_AGENCIES or agency_type in types else "another agency"
        elif found:
            stage = "another theme"
        else:
            read = [i for i, s in enumerate(sentences.items) if s.start < end and start < s.end
                    and s.start not in events and role_of.get(s.start) == FINDING]
            named = any(sentences.match(read, load_vocabulary()["themes"]))
            stage = "not a shortfall" if named else "no theme" if read else "not a finding"
        stages[stage] += 1


def _squash_map(text: str) -> tuple[str, list[int]]:
    """``_squash(text)`` and, for each of its characters, its offset in ``text``."""
    out, index = [], []
    for i, ch in enumerate(text):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        out.append(_squash(ch)[:1] or " ")
        index.append(i)
    return "".join(out), index


def failure_pairs(rec: dict[str, Any]) -> set[tuple[str, str]]:
    """(agency type or all-agencies, theme) for each shortfall finding: the links the
    repeated-failures query reads."""
    type_of = {}
    for a in rec["agencies"]:
        for n in (a["name"], *a["aliases"]):
            type_of.setdefault(n, a["type"])
    pairs = set()
    for f in rec["findings"]:
        if f["polarity"] != "shortfall":
            continue
        types = {"all-agencies" if n == "all-agencies" else type_of.get(n, n) for n in f["agencies"]}
        pairs |= {(t, th) for t in types for th in f["themes"]}
    return pairs


def score_failures(gold: list[dict[str, Any]], got: set[tuple[str, str]]) -> tuple[int, int, int, list, list]:
    """The gold file's failures rule: a gold all-agencies pair is found by any
    extracted shortfall on its theme; an extracted pair on a theme gold blames only
    on all agencies counts neither way."""
    want = {(f["agency_type"], f["theme"]) for f in gold}
    general = {t for a, t in want if a == "all-agencies"}
    specific = {t for a, t in want if a != "all-agencies"}
    got_themes = {t for _, t in got}
    found = {p for p in want if p in got or (p[0] == "all-agencies" and p[1] in got_themes)}
    extra = [p for p in got if p not in want and not (p[1] in general and p[1] not in specific)]
    return len(found), len(extra), len(want - found), sorted(want - found), sorted(extra)


def _place(name: str) -> str:
    """A place's name to compare: case aside, "&" read as "and" ("Brighton & Hove")."""
    return re.sub(r"\s*&\s*", " and ", name.lower()).strip()


def _locality_ok(want: Any, have: str) -> bool:
    """Any listed place matches, by equality or containment either way."""
    have = _place(have)
    options = [_place(o) for o in map(str, want if isinstance(want, list) else [want])]
    return bool(have) and any(o == have or o in have or have in o for o in options)


def _subject_ok(want: str, have: str | None) -> bool:
    """The words of one name all in the other, "Child"/"Baby", case and the
    apostrophe's form ("O’Neill", "O'Neill") aside."""
    def words(name: str) -> set[str]:
        return set(re.findall(r"[\w'-]+", name.lower().replace("’", "'"))) - {"child", "baby", "adult"}

    if not have:
        return False
    w, h = words(want), words(have)
    return bool(w and h) and (w <= h or h <= w)


def _score(entry: dict[str, Any], record: Any, store: Any, counts: dict[str, list[int]],
           exact: dict[str, list[int]]) -> dict[str, Any]:
    rec = record.to_dict()
    out: dict[str, Any] = {"file": entry["file"], "errors": rec["errors"], "missed": {}, "extra": {}}

    def tally(field: str, tp: int, fp: int, fn: int) -> None:
        for i, v in enumerate((tp, fp, fn)):
            counts[field][i] += v

    gold_types = {a["type"]: [normalise_name(n) for n in a.get("names", [])]
                  for a in entry.get("agencies") or []}
    got: dict[str, set[str]] = {}
    for a in rec["agencies"]:
        got.setdefault(a["type"], set()).update(normalise_name(n) for n in [a["name"], *a["aliases"]])
    e, g = set(got), set(gold_types)
    tally("agency_types", len(e & g), len(e - g), len(g - e))
    named = {t for t in g & e if got[t] & set(gold_types[t])}
    tally("agency_names", len(named), len(e - g), len(g - named))
    out["missed"]["agency_types"] = sorted(g - e)
    out["extra"]["agency_types"] = sorted(e - g)
    out["missed"]["agency_names"] = sorted((g & e) - named)

    for field, key in (("themes", "themes"), ("risk_factors", "risk_factors")):
        gs = set(entry.get(key) or [])
        es = set(rec["themes"]) if field == "themes" else {r["id"] for r in rec["risk_factors"]}
        tally(field, len(es & gs), len(es - gs), len(gs - es))
        out["missed"][field] = sorted(gs - es)
        out["extra"][field] = sorted(es - gs)
    if "failures" in entry:
        tp, fp, fn, missed, extra = score_failures(entry["failures"] or [], failure_pairs(rec))
        tally("failures", tp, fp, fn)
        out["missed"]["failures"] = [f"{a} x {t}" for a, t in missed]
        out["extra"]["failures"] = [f"{a} x {t}" for a, t in extra]

    review_type = rec["review"].get("type") or _resolved(store, rec, 1, "type")
    subjects = rec["case"].get("subjects") or []
    gold_subject = (entry.get("subjects") or [{}])[0]
    year = (rec["case"].get("incident_date") or _resolved(store, rec, 0, "incident_date") or "")[:4]
    years = entry.get("incident_year")
    locality = rec["case"].get("locality") or ""
    have_subject = subjects[0]["pseudonym"] if subjects else None
    checks = {
        "recommendations_count": (entry.get("recommendations_count"),
                                  rec["review"].get("recommendations_count"), None),
        "subject": (gold_subject.get("pseudonym"), have_subject,
                    _subject_ok(gold_subject.get("pseudonym") or "", have_subject)),
        "age": _age_check(gold_subject.get("age_text"), subjects[0].get("age_text") if subjects else None),
        "incident_year": (years, year, str(year) in {str(y) for y in (years if isinstance(years, list) else [years])}),
        "locality": (entry.get("locality"), locality, _locality_ok(entry.get("locality"), locality)),
        "review_type": (entry.get("review_type"), review_type, None),
    }
    out["exact"] = {}
    for field, (want, have, ok) in checks.items():
        if want is None:
            continue  # the gold file says nothing on this field for this document
        exact[field][1] += 1
        ok = want == have if ok is None else ok
        exact[field][0] += ok
        out["exact"][field] = {"gold": str(want), "extracted": str(have), "right": ok}
    return out


def _doc_row(store: Any, rec: dict[str, Any]) -> Any:
    rows = store.query("SELECT case_id, review_id FROM documents WHERE sha256 = ?",
                       (rec["document"]["sha256"],))
    return rows[0] if rows else None


def _resolved(store: Any, rec: dict[str, Any], node: int, prop: str) -> str | None:
    """A value the document itself does not state, taken from the Case (node 0) or
    Review (node 1) it was resolved to: a review type, an incident date."""
    row = _doc_row(store, rec)
    if not row:
        return None
    got = store.query("SELECT json_extract(props, ?) FROM nodes WHERE id = ?", (f"$.{prop}", row[node]))
    return got[0][0] if got else None


def _score_grouping(entries: list[dict[str, Any]], records: list[Any], store: Any,
                    exact: dict[str, list[int]], per_doc: list[dict[str, Any]]) -> int:
    """A document is grouped right when the documents sharing its Case are exactly
    those sharing its gold case_group. Returns the number of pairs of documents of
    different gold cases that were merged into one Case."""
    case_of = []
    for record in records:
        row = _doc_row(store, record.to_dict()) if not record.errors else None
        case_of.append(row[0] if row else None)
    for i, entry in enumerate(entries):
        if not entry.get("case_group"):
            continue
        want = {j for j, e in enumerate(entries) if e.get("case_group") == entry["case_group"]}
        have = {j for j, c in enumerate(case_of) if c is not None and c == case_of[i]}
        ok = want == have
        exact["case_grouping"][1] += 1
        exact["case_grouping"][0] += ok
        per_doc[i].setdefault("exact", {})["case_grouping"] = {
            "gold": entry["case_group"], "extracted": case_of[i], "right": ok}
    return sum(1 for i in range(len(entries)) for j in range(i + 1, len(entries))
               if case_of[i] is not None and case_of[i] == case_of[j]
               and entries[i].get("case_group") != entries[j].get("case_group"))


def format_report(report: dict[str, Any]) -> str:
    """The report as a plain-text table."""
    lines = [f"{report['documents']} documents scored against {report['gold']}", "",
             f"{'field':<24}{'precision':>10}{'recall':>10}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for field, s in report["fields"].items():
        scored = s["tp"] or s["fp"] or s["fn"]  # else nothing in gold or extracted: not 1.000
        p, r, f = (f"{s[k]:.3f}" if scored else "-" for k in ("precision", "recall", "f1"))
        lines.append(f"{field:<24}{p:>10}{r:>10}{f:>8}{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}")
    lines += ["", f"{'exact match':<24}{'right':>10}{'of':>6}{'rate':>8}"]
    for field, s in report["exact"].items():
        rate = "-" if s["rate"] is None else f"{s['rate']:.3f}"
        lines.append(f"{field:<24}{s['right']:>10}{s['of']:>6}{rate:>8}")
    roles = report.get("stages", {}).get("finding_roles") or {}
    if roles.get("of"):
        lines.append(f"{'finding roles':<24}{roles['right']:>10}{roles['of']:>6}{roles['rate']:>8.3f}")
    quotes = report.get("stages", {}).get("failure_quotes") or {}
    if any(quotes.values()):
        lines.append("failure quotes by stage  " + ", ".join(f"{k} {v}" for k, v in quotes.items()))
    lines.append(f"{'different cases merged':<24}{report.get('different_cases_merged', 0):>10}")
    misses = []
    for doc in report["per_document"]:
        wrong = [f"{k}: gold {v['gold']}, got {v['extracted']}"
                 for k, v in (doc.get("exact") or {}).items() if not v["right"]]
        detail = [f"{k} missed {v}" for k, v in doc["missed"].items() if v]
        detail += [f"{k} extra {v}" for k, v in doc["extra"].items() if v]
        if wrong or detail or doc["errors"]:
            misses.append(f"- {doc['file']}: " + "; ".join(doc["errors"] + wrong + detail))
    if misses:
        lines += ["", "differences:", *misses]
    return "\n".join(lines) + "\n"
