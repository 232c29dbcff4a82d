"""How far two annotations of the same texts agree: a second reading scored against a
gold file by the rules ``casegraph eval`` scores an extraction with (agency types,
themes and risk factors as sets per document; failures by the gold file's rule,
lenient on all-agencies). With ``--docs`` casegraph's extraction is scored against
both readings as well, for scale.

    python benchmarks/agreement.py ../shared/corpus/realworld/gold.yaml SECOND.yaml [...] \\
        --docs ~/.cache/casegraph/realworld

Only the documents the second reading annotates are scored; entries of split
``check`` are skipped unless ``--split check`` asks for them.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from casegraph.evaluate import failure_pairs, prf, score_failures

FIELDS = ("agency_types", "themes", "risk_factors", "failures")


def _entries(path: str) -> dict[str, dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return {e["file"]: e for e in yaml.safe_load(f)["documents"]}


def _sets(entry: dict[str, Any]) -> dict[str, set]:
    return {"agency_types": {a["type"] for a in entry.get("agencies") or []},
            "themes": set(entry.get("themes") or []), "risk_factors": set(entry.get("risk_factors") or []),
            "failures": {(f["agency_type"], f["theme"]) for f in entry.get("failures") or []}}


def _extracted(path: Path) -> dict[str, set]:
    from casegraph.pipeline import extract_path

    rec = extract_path(str(path)).to_dict()
    return {"agency_types": {a["type"] for a in rec["agencies"]}, "themes": set(rec["themes"]),
            "risk_factors": {r["id"] for r in rec["risk_factors"]}, "failures": failure_pairs(rec)}


def tally(counts: Counter, want: dict[str, Any], got: dict[str, set]) -> None:
    """Add one document's true and false positives and negatives, ``got`` scored
    against the annotation ``want``."""
    ws = _sets(want)
    for f in FIELDS[:3]:
        counts[f, 0] += len(got[f] & ws[f])
        counts[f, 1] += len(got[f] - ws[f])
        counts[f, 2] += len(ws[f] - got[f])
    if "failures" in want:
        tp, fp, fn, _, _ = score_failures(want["failures"] or [], got["failures"])
        counts["failures", 0] += tp
        counts["failures", 1] += fp
        counts["failures", 2] += fn


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold")
    ap.add_argument("second", nargs="+", help="annotation files of the same texts, in the gold's format")
    ap.add_argument("--docs", type=Path, help="the texts: also score casegraph's extraction")
    ap.add_argument("--split", default="tune")
    args = ap.parse_args()
    gold = _entries(args.gold)
    second: dict[str, dict[str, Any]] = {}
    for path in args.second:
        second.update(_entries(path))
    files = [f for f in second if f in gold and gold[f].get("split", args.split) == args.split]
    rows = {"second reading against the gold": Counter()}
    if args.docs:
        rows.update({"casegraph against the gold": Counter(), "casegraph against the second reading": Counter()})
    for f in files:
        tally(rows["second reading against the gold"], gold[f], _sets(second[f]))
        if args.docs:
            got = _extracted(args.docs / f)
            tally(rows["casegraph against the gold"], gold[f], got)
            tally(rows["casegraph against the second reading"], second[f], got)
    print(f"{len(files)} documents\n")
    print(f"{'':38s}" + "".join(f"{f:>27s}" for f in FIELDS))
    for name, counts in rows.items():
        cells = []
        for f in FIELDS:
            s = prf(counts[f, 0], counts[f, 1], counts[f, 2])
            cells.append(f"P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}")
        print(f"{name:38s}" + "".join(f"{c:>27s}" for c in cells))


if __name__ == "__main__":
    main()
