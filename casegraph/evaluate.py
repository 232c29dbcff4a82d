"""Extraction scored against gold annotations: precision, recall and F1 per field
(agency types, agency names, themes, risk factors) and exact-match rates
(recommendation count, subject, age, incident year, locality, review type, case
grouping), under the matching rules written at the top of the gold file."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from casegraph.errors import CasegraphError

__all__ = ["evaluate", "format_report", "normalise_name"]

SET_FIELDS = ("agency_types", "agency_names", "themes", "risk_factors")
EXACT_FIELDS = ("recommendations_count", "subject", "age", "incident_year", "locality",
                "review_type", "case_grouping")


def normalise_name(name: str) -> str:
    """Gold rule: ignore case, punctuation and a leading 'the'."""
    name = re.sub(r"[^\w\s&]", "", name.lower().replace("’", "'")).strip()
    name = re.sub(r"\s+", " ", name)
    return re.sub(r"^the ", "", name)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "tp": tp, "fp": fp, "fn": fn}


def _age_key(text: str | None) -> tuple[str, int | None] | None:
    from casegraph.loaders.entities import age_in_days

    if not text:
        return None
    low = text.lower()
    qualifier = next((q for q in ("less than", "under", "nearly", "almost") if q in low), "")
    return qualifier, age_in_days(low)


def _subject_key(name: str | None) -> str:
    from casegraph.loaders.resolve import pseudonym_key

    return pseudonym_key(name or "")


def evaluate(gold_path: str | Path, docs: str | Path | None = None) -> dict[str, Any]:
    """Score extraction of every document in the gold file; returns the report."""
    import yaml

    from casegraph.graph.store import Store
    from casegraph.pipeline import extract_path

    gold_path = Path(gold_path)
    try:
        gold = yaml.safe_load(gold_path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise CasegraphError(f"{gold_path}: cannot read gold file ({e})") from e
    base = Path(docs) if docs else gold_path.parent
    entries = gold.get("documents") or []
    if not entries:
        raise CasegraphError(f"{gold_path}: no documents listed")
    counts = {f: [0, 0, 0] for f in SET_FIELDS}
    exact: dict[str, list[int]] = {f: [0, 0] for f in EXACT_FIELDS}
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
        for entry, record in zip(entries, records, strict=True):
            doc = _score(entry, record, store, counts, exact)
            per_doc.append(doc)
        _score_grouping(entries, records, store, exact, per_doc)
        store.close()
    return {
        "gold": str(gold_path),
        "documents": len(entries),
        "fields": {f: _prf(*counts[f]) for f in SET_FIELDS},
        "exact": {f: {"right": r, "of": n, "rate": round(r / n, 3) if n else None}
                  for f, (r, n) in exact.items()},
        "per_document": per_doc,
    }


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

    review_type = rec["review"].get("type") or _resolved(store, rec, 1, "type")
    subjects = rec["case"].get("subjects") or []
    gold_subject = (entry.get("subjects") or [{}])[0]
    checks = {
        "recommendations_count": (entry.get("recommendations_count"),
                                  rec["review"].get("recommendations_count")),
        "subject": (_subject_key(gold_subject.get("pseudonym")) if gold_subject else None,
                    _subject_key(subjects[0]["pseudonym"]) if subjects else None),
        "age": (_age_key(gold_subject.get("age_text")),
                _age_key(subjects[0].get("age_text")) if subjects else None),
        "incident_year": (str(entry["incident_year"]) if entry.get("incident_year") else None,
                          (rec["case"].get("incident_date") or _resolved(store, rec, 0, "incident_date") or "")[:4]),
        "locality": ((entry.get("locality") or "").lower() or None,
                     (rec["case"].get("locality") or "").lower()),
        "review_type": (entry.get("review_type"), review_type),
    }
    out["exact"] = {}
    for field, (want, have) in checks.items():
        if want is None:
            continue  # the gold file says nothing on this field for this document
        exact[field][1] += 1
        ok = want == have
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
                    exact: dict[str, list[int]], per_doc: list[dict[str, Any]]) -> None:
    """A document is grouped right when the documents sharing its Case are exactly
    those sharing its gold case_group."""
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


def format_report(report: dict[str, Any]) -> str:
    """The report as a plain-text table."""
    lines = [f"{report['documents']} documents scored against {report['gold']}", "",
             f"{'field':<24}{'precision':>10}{'recall':>10}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for field, s in report["fields"].items():
        lines.append(f"{field:<24}{s['precision']:>10.3f}{s['recall']:>10.3f}{s['f1']:>8.3f}"
                     f"{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}")
    lines += ["", f"{'exact match':<24}{'right':>10}{'of':>6}{'rate':>8}"]
    for field, s in report["exact"].items():
        rate = "-" if s["rate"] is None else f"{s['rate']:.3f}"
        lines.append(f"{field:<24}{s['right']:>10}{s['of']:>6}{rate:>8}")
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
