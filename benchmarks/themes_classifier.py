"""Would a learned classifier find a review's themes and risk factors better than
the vocabulary's patterns? Measured, on documents the classifier was not fitted on.

One logistic regression per concept (scikit-learn, ``pip install -e '.[train]'``)
over a document's words and word pairs: those of the sentences findings and risk
factors are read from, each weighted 1 + log(count), the vector scaled to unit
length. Folds are grouped by case (the documents of one case never straddle a
fold), and every threshold is chosen inside the training folds, by an inner
grouped cross-validation, never on the documents scored. Systems compared, each
scored as ``casegraph eval`` scores a field (micro P/R/F1 over (document, id)):

  a rules      the record's themes / risk factors, as extracted
  b classifier the concepts the model gives a probability >= t
  c union      a | b
  d add        a, plus what the model adds at its own threshold for that union
  e veto       a, less the concepts the model gives a probability < t

The patterns were written against these texts, so (a) is in-sample wherever the
texts were used for tuning. ``--hold-out GOLD`` scores instead the documents a
gold file lists (a batch), training on all others of other cases, and
``--rules FILE`` puts in place of (a) what an earlier casegraph extracted
(``casegraph extract --format json``), e.g. the version before that batch was read:
the lexicons' own out-of-sample figures. Entries of split ``check`` are never read.

    python benchmarks/themes_classifier.py \\
        --corpus ~/.cache/casegraph/extra_gold.yaml ~/.cache/casegraph/extra \\
        --corpus ../shared/corpus/realworld/gold.yaml ~/.cache/casegraph/realworld \\
        --corpus ../shared/corpus/gold.yaml ../shared/corpus
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

SCHEMES = ("themes", "risk_factors")
# Probabilities a threshold is chosen among (inside the training folds).
GRID = (0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
# A concept is modelled only with this many positive documents in the training folds.
MIN_POSITIVE = 3
_WORD = re.compile(r"[a-z][a-z0-9]*")


def features(texts: Iterable[str]) -> dict[str, float]:
    """Words and neighbouring word pairs of folded sentence ``texts``, weighted
    1 + log(count), scaled to unit length (a long report weighs as a short article)."""
    counts: Counter[str] = Counter()
    for text in texts:
        words = _WORD.findall(text)
        counts.update(words)
        counts.update(f"{a} {b}" for a, b in pairwise(words))
    vec = {f: 1.0 + math.log(c) for f, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {f: v / norm for f, v in vec.items()}


@dataclass
class Doc:
    name: str
    group: str
    gold: dict[str, set[str]]
    rules: dict[str, set[str]]
    vec: dict[str, float] = field(repr=False)


def read_corpus(gold_path: Path, docs_dir: Path) -> list[Doc]:
    """The documents ``gold_path`` lists (except split ``check``), read from
    ``docs_dir`` and extracted by this casegraph."""
    import yaml

    from casegraph.loaders.concepts import Sentences
    from casegraph.loaders.extract import extract
    from casegraph.loaders.readers import read_document
    from casegraph.loaders.structure import layout

    if not gold_path.is_file():
        raise SystemExit(f"{gold_path}: no such gold file")
    if not docs_dir.is_dir():
        raise SystemExit(f"{docs_dir}: the texts of {gold_path} are absent (fetch them first)")
    entries = [e for e in yaml.safe_load(gold_path.read_text("utf-8"))["documents"] if e.get("split") != "check"]
    absent = [e["file"] for e in entries if not (docs_dir / e["file"]).is_file()]
    if absent:
        raise SystemExit(f"{docs_dir}: {len(absent)} of the {len(entries)} texts {gold_path.name} lists "
                         f"are absent (first: {absent[0]})")
    docs = []
    for e in entries:
        doc = read_document(docs_dir / e["file"])
        record = extract(doc)
        docs.append(Doc(name=Path(e["file"]).name, group=e.get("case_group") or e["file"],
                        gold={"themes": set(e.get("themes") or []), "risk_factors": set(e.get("risk_factors") or [])},
                        rules={"themes": set(record.themes), "risk_factors": {r.id for r in record.risk_factors}},
                        vec=features(Sentences(layout(doc.text)).folded)))
    return docs


def replace_rules(docs: list[Doc], path: Path) -> int:
    """Put the records of an extract JSON file in place of the rules' output for
    the documents they name; returns how many were replaced."""
    by_name = {d.name: d for d in docs}
    n = 0
    for rec in json.loads(path.read_text("utf-8")):
        d = by_name.get(Path(rec["document"]["path"]).name)
        if d and not rec.get("errors"):
            d.rules = {"themes": set(rec["themes"]), "risk_factors": {r["id"] for r in rec["risk_factors"]}}
            n += 1
    return n


def micro(pred: list[set[str]], gold: list[set[str]]) -> tuple[float, float, float]:
    """Micro precision, recall and F1 over (document, id) pairs, as casegraph eval."""
    tp = sum(len(p & g) for p, g in zip(pred, gold, strict=True))
    fp = sum(len(p - g) for p, g in zip(pred, gold, strict=True))
    fn = sum(len(g - p) for p, g in zip(pred, gold, strict=True))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


Probs = dict[str, float]
# A system: the rules' ids and the model's probabilities, at threshold t -> ids.
SYSTEMS: dict[str, Callable[[set[str], Probs, float], set[str]]] = {
    "a rules": lambda rules, probs, t: rules,
    "b classifier": lambda rules, probs, t: {c for c, p in probs.items() if p >= t},
    "c union": lambda rules, probs, t: rules | {c for c, p in probs.items() if p >= t},
    "d add": lambda rules, probs, t: rules | {c for c, p in probs.items() if p >= t},
    "e veto": lambda rules, probs, t: {c for c in rules if probs.get(c, 1.0) >= t},
}
# The system whose threshold each uses: c that of b, a none that matters.
_THRESHOLD_OF = {"a rules": "b classifier", "b classifier": "b classifier", "c union": "b classifier",
                 "d add": "d add", "e veto": "e veto"}


def fit_predict(train: list[Doc], test: list[Doc], scheme: str, c: float) -> list[Probs]:
    """Fit one model per concept on ``train``; the probabilities of ``test``."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x_train = vectorizer.fit_transform([d.vec for d in train])
    seen = np.flatnonzero(np.asarray((x_train > 0).sum(axis=0)).ravel() >= 2)  # in two documents at least
    x_train = x_train[:, seen]
    x_test = vectorizer.transform([d.vec for d in test])[:, seen]
    out: list[Probs] = [{} for _ in test]
    for concept in sorted({cid for d in train for cid in d.gold[scheme]}):
        y = np.array([concept in d.gold[scheme] for d in train])
        if y.sum() < MIN_POSITIVE:
            continue
        model = LogisticRegression(C=c, class_weight="balanced", solver="liblinear").fit(x_train, y)
        for probs, p in zip(out, model.predict_proba(x_test)[:, 1], strict=True):
            probs[concept] = float(p)
    return out


def _folds(docs: list[Doc], k: int) -> list[tuple[list[Doc], list[Doc]]]:
    from sklearn.model_selection import GroupKFold

    k = min(k, len({d.group for d in docs}))
    split = GroupKFold(k).split(docs, groups=[d.group for d in docs])
    return [([docs[i] for i in tr], [docs[i] for i in te]) for tr, te in split]


def thresholds(train: list[Doc], scheme: str, c: float, folds: int) -> dict[str, float]:
    """Each system's threshold, the best of GRID on out-of-fold predictions of ``train``."""
    scored: list[tuple[Doc, Probs]] = []
    for inner_train, inner_test in _folds(train, folds):
        scored.extend(zip(inner_test, fit_predict(inner_train, inner_test, scheme, c), strict=True))
    gold = [d.gold[scheme] for d, _ in scored]

    def f1(name: str, t: float) -> float:
        return micro([SYSTEMS[name](d.rules[scheme], p, t) for d, p in scored], gold)[2]

    return {name: max(GRID, key=lambda t: f1(name, t)) for name in set(_THRESHOLD_OF.values())}


def evaluate(splits: list[tuple[str, list[Doc], list[Doc]]], scheme: str, c: float, folds: int
             ) -> dict[str, Any]:
    """Every system's predictions on each split's test documents, pooled."""
    preds: dict[str, list[set[str]]] = {name: [] for name in SYSTEMS}
    gold: list[set[str]] = []
    per_split = []
    for label, train, test in splits:
        ts = thresholds(train, scheme, c, folds)
        probs = fit_predict(train, test, scheme, c)
        here = {name: [SYSTEMS[name](d.rules[scheme], p, ts[_THRESHOLD_OF[name]]) for d, p in zip(test, probs,
                                                                                                   strict=True)]
                for name in SYSTEMS}
        g = [d.gold[scheme] for d in test]
        per_split.append((label, len(test), {k: micro(v, g)[2] for k, v in here.items()}, ts))
        gold += g
        for name, v in here.items():
            preds[name] += v
    return {"pooled": {name: micro(v, gold) for name, v in preds.items()}, "splits": per_split}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--corpus", nargs=2, action="append", metavar=("GOLD", "DOCS"), required=True,
                    help="a gold file and the folder of its texts (repeatable)")
    ap.add_argument("--hold-out", action="append", type=Path, default=[], metavar="GOLD",
                    help="score the documents this gold file lists, trained on the others (repeatable)")
    ap.add_argument("--rules", action="append", type=Path, default=[], metavar="JSON",
                    help="casegraph extract --format json output to score as the rules (repeatable)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("-C", type=float, default=10.0, help="inverse regularisation strength")
    args = ap.parse_args(argv)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise SystemExit("scikit-learn is needed: pip install -e '.[train]'") from None

    docs: list[Doc] = []
    for gold, folder in args.corpus:
        docs += read_corpus(Path(gold).expanduser(), Path(folder).expanduser())
    for path in args.rules:
        print(f"{path}: rules of {replace_rules(docs, path)} documents", file=sys.stderr)
    if args.hold_out:
        import yaml

        splits = []
        for gold in args.hold_out:
            names = {Path(e["file"]).name for e in yaml.safe_load(gold.read_text("utf-8"))["documents"]
                     if e.get("split") != "check"}
            test = [d for d in docs if d.name in names]
            groups = {d.group for d in test}
            splits.append((gold.name, [d for d in docs if d.group not in groups], test))
    else:
        splits = [(f"fold {i + 1}", tr, te) for i, (tr, te) in enumerate(_folds(docs, args.folds))]
    print(f"{len(docs)} documents, {len({d.group for d in docs})} cases; "
          + ("held out: " + ", ".join(s[0] for s in splits) if args.hold_out else f"{len(splits)} grouped folds"))
    for scheme in SCHEMES:
        result = evaluate(splits, scheme, args.C, args.folds)
        print(f"\n{scheme:<14} precision  recall      F1")
        for name, (p, r, f) in result["pooled"].items():
            print(f"  {name:<12} {p:9.3f} {r:7.3f} {f:7.3f}")
        for label, n, f1s, ts in result["splits"]:
            print(f"  {label} ({n} docs): " + "  ".join(f"{k.split()[0]} {v:.3f}" for k, v in f1s.items())
                  + "  thresholds " + " ".join(f"{k.split()[0]}={ts[k]}" for k in sorted(ts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
