"""A deterministic generator of a synthetic national corpus of safeguarding case
reviews and the news reports about them, for benchmarking casegraph.

Every word is made up here: fictional places built from syllables, fictional
partnerships and agencies, and sentences assembled from phrase lists written for
corpus_themes.py and corpus_phrases.py (never copied from real reviews), laid out
by corpus_render.py. The same seed always writes the same bytes. By default 5,000
documents: 60% full review reports (20-60 KB, numbered sections and paragraphs,
findings and recommendations) and 40% news articles (2-5 KB, some as HTML) about
some of those same cases.

    python benchmarks/generate.py OUT_DIR --reviews 5000 --seed 1
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

# Its sibling modules, whether this file runs as a script or is loaded by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_phrases import RISKS  # noqa: E402
from corpus_render import render_news, render_report  # noqa: E402
from corpus_themes import AGENCIES_BY_KIND, KIND_INDEX, THEMES  # noqa: E402

__all__ = ["generate", "Corpus", "REPORT_SHARE"]

T = TypeVar("T")

REPORT_SHARE = 0.6  # the rest of the documents are news articles
FIRST_YEAR, LAST_YEAR = 2011, 2024

# --------------------------------------------------------------------------- places

_START = ("Ash Bar Bram Brock Cal Carr Dun Elm Fen Gar Glen Hal Har Hol Kel Kin Lang Lyn Mar "
          "Mel Nor Oak Ort Pen Quen Rad Ros Sel Stan Stour Thorn Tre Ud Wen Whit Wick Wold Yar "
          "Ald Bex Cran Dray Eas Fal Gos Hep Ilk Lud Mal Ned Ock Pol Rud Sax Tad Up Ven Wal").split()
_MIDDLE = ("", "", "", "", "ble", "der", "en", "ing", "ley", "mer", "ster", "ker", "ton", "wen", "al")
_END = ("ford wick ton by ham mouth field bury ley borough minster stead worth caster bridge "
        "dale port well combe thorpe hurst den").split()
_SHIRE = ("shire", "shire", "shire", "land", "mere", "dale")


def _place(rng: random.Random, ends: Sequence[str]) -> str:
    name = rng.choice(_START) + rng.choice(_MIDDLE) + rng.choice(ends)
    name = re.sub(r"(.)\1\1", r"\1\1", name)  # no triple letters
    return name[0].upper() + name[1:].lower()


def _weighted(rng: random.Random, table: Sequence[tuple[T, float]]) -> T:
    items, weights = zip(*table, strict=True)
    return rng.choices(items, weights=weights)[0]


def _sample_weighted(rng: random.Random, table: dict[T, float], k: int) -> list[T]:
    """k distinct keys, drawn with probability proportional to weight."""
    pool = dict(table)
    out: list[T] = []
    while pool and len(out) < k:
        key = _weighted(rng, list(pool.items()))
        out.append(key)
        del pool[key]
    return out


# --------------------------------------------------------------------------- world


@dataclass
class Locality:
    name: str
    county: str
    favourite_themes: tuple[str, ...]
    outlets: tuple[str, ...]
    used_pseudonyms: set[str] = field(default_factory=set)

    @property
    def slug(self) -> str:
        return self.name.lower()


@dataclass
class Case:
    """One review report, and the facts its news coverage repeats."""

    index: int
    locality: Locality
    kind: str  # child | adult | dhr
    review_type: str  # SCR | CSPR | SAR | DHR
    pseudonym: str
    male: bool
    age: tuple[int, str]  # (number, unit)
    incident: tuple[int, int]  # (year, month)
    published: tuple[int, int, int]  # (year, month, day)
    died: bool
    themes: list[str]
    risks: list[str]
    agencies: list[str]
    seed: str

    @property
    def partnership(self) -> str:
        town = self.locality.name
        if self.kind == "adult":
            return f"{town} Safeguarding Adults Board"
        if self.kind == "dhr":
            return f"{town} Community Safety Partnership"
        return f"{town} Safeguarding Children {'Board' if self.review_type == 'SCR' else 'Partnership'}"

    @property
    def review_name(self) -> str:
        return {"SCR": "Serious Case Review", "CSPR": "Child Safeguarding Practice Review",
                "SAR": "Safeguarding Adults Review", "DHR": "Domestic Homicide Review"}[self.review_type]

    @property
    def path(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.pseudonym.lower())
        return f"reports/{self.locality.slug}/{self.published[0]}-{self.review_type.lower()}-{slug}.txt"


@dataclass
class Corpus:
    """What was generated: the report cases, the paths of every file written and the
    case (its index in ``cases``) each file is about."""

    cases: list[Case]
    paths: list[Path]
    reports: int
    news: int
    bytes: int
    case_of: dict[Path, int]


def _world(rng: random.Random, n_reports: int) -> list[Locality]:
    n_localities = max(4, min(150, round(n_reports / 20)))
    counties: list[str] = []
    while len(counties) < max(2, n_localities // 4):
        name = _place(rng, _SHIRE)
        if name not in counties:
            counties.append(name)
    towns: list[str] = []
    while len(towns) < n_localities:
        name = _place(rng, _END)
        if name not in towns and name not in counties and len(name) <= 14:
            towns.append(name)
    theme_keys = [t.key for t in THEMES if t.key not in ("covid-impact", "missed-opportunities")]
    out = []
    for town in towns:
        county = rng.choice(counties)
        favourites = tuple(rng.sample(theme_keys, 3))
        outlets = (f"{county} Courier", f"{town} Gazette", f"{county} Echo", f"The {town} Advertiser",
                   "National News")
        out.append(Locality(town, county, favourites, outlets))
    return out


_GIVEN = ("Ava Ben Cara Dan Eve Finn Gail Hugo Isla Jack Kai Lily Max Nina Owen Pia Ray Sam Tia Vic "
          "Will Zara Alfie Bella Cody Daisy Eli Freya Gus Holly Ivan Jade Kit Luca Mia Ned Olive Pete "
          "Rosa Seth Tom Una Vera Wes Yara Zac").split()


def _pseudonym(rng: random.Random, loc: Locality, kind: str, infant: bool) -> tuple[str, bool]:
    """A pseudonym not yet used in ``loc``: a letter ("Child K", "Mr J"), else a given
    name ("Child Ava", "Adult Ben") once the letters run out."""
    letters = "ABCDEFGHJKLMNOPRSTVWXYZ"  # I, Q and U are avoided as they are in real reports
    for attempt in range(400):
        letter = rng.choice(letters) if attempt < 200 else rng.choice(_GIVEN)
        if kind == "child":
            prefix = rng.choice(("Child", "Child", "Baby")) if infant else "Child"
            name, male = f"{prefix} {letter}", rng.random() < 0.55
        elif kind == "adult":
            male = rng.random() < 0.55
            title = "Mr" if male else rng.choice(("Ms", "Mrs"))
            name = f"{title} {letter}" if len(letter) == 1 else f"Adult {letter}"
        else:
            name, male = (f"{rng.choice(('Ms', 'Mrs'))} {letter}" if len(letter) == 1 else f"Adult {letter}"), False
        if name not in loc.used_pseudonyms:
            loc.used_pseudonyms.add(name)
            return name, male
    raise RuntimeError(f"{loc.name}: ran out of pseudonyms")


def _cases(rng: random.Random, localities: list[Locality], n_reports: int, seed: int) -> list[Case]:
    sizes = [rng.lognormvariate(0, 0.5) for _ in localities]
    cases = []
    for i in range(n_reports):
        loc = rng.choices(localities, weights=sizes)[0]
        kind = _weighted(rng, [("child", 0.55), ("adult", 0.25), ("dhr", 0.2)])
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        rtype = {"adult": "SAR", "dhr": "DHR"}.get(kind) or ("SCR" if year < 2019 else "CSPR")
        incident = (year - rng.choice((1, 1, 2)), rng.randint(1, 12))
        published = (year, rng.randint(1, 12), rng.randint(1, 28))
        if kind == "child":
            age = _weighted(rng, [((rng.randint(2, 11), "week"), 0.2), ((rng.randint(2, 11), "month"), 0.45),
                                  ((rng.randint(1, 15), "year"), 0.35)])
            died = rng.random() < 0.7
        elif kind == "adult":
            age, died = (rng.randint(19, 92), "year"), rng.random() < 0.85
        else:
            age, died = (rng.randint(18, 81), "year"), True
        k = KIND_INDEX[kind]
        weights = {t.key: t.weights[k] * (4 if t.key in loc.favourite_themes else 1)
                   for t in THEMES if t.weights[k] > 0}
        themes = _sample_weighted(rng, weights, rng.randint(4, 9))
        risks = [r for r, (p, _) in RISKS.items() if p[k] and rng.random() < p[k]]
        table = AGENCIES_BY_KIND[kind]
        agencies = _sample_weighted(rng, table, rng.randint(min(5, len(table)), min(11, len(table))))
        pseudonym, male = _pseudonym(rng, loc, kind, age[1] != "year" or age[0] < 2)
        cases.append(Case(i, loc, kind, rtype, pseudonym, male, age, incident, published, died,
                          themes, risks, agencies, f"{seed}:report:{i}"))
    return cases


# --------------------------------------------------------------------------- driver


def generate(out_dir: str | Path, reviews: int = 5000, seed: int = 1) -> Corpus:
    """Write ``reviews`` documents under ``out_dir`` (reports/ and news/); same seed, same bytes."""
    if reviews < 2:
        raise ValueError("reviews must be at least 2")
    out = Path(out_dir)
    rng = random.Random(seed)
    n_reports = max(1, round(reviews * REPORT_SHARE))
    n_news = reviews - n_reports
    localities = _world(rng, n_reports)
    cases = _cases(rng, localities, n_reports, seed)
    paths: list[Path] = []
    case_of: dict[Path, int] = {}
    total = 0
    for n, case in enumerate(cases):
        path = out / case.path
        case_of[path] = n
        path.parent.mkdir(parents=True, exist_ok=True)
        data = render_report(case).encode("utf-8")
        path.write_bytes(data)
        paths.append(path)
        total += len(data)
    # News: some cases get one article, a few get several, most reports none.
    covered = rng.sample(range(len(cases)), min(len(cases), max(1, round(n_news * 0.7))))
    for i in range(n_news):
        n = covered[i] if i < len(covered) else rng.choice(covered)
        case = cases[n]
        outlet = rng.choice(case.locality.outlets)
        text, html, (y, m, d) = render_news(case, f"{seed}:news:{i}", outlet)
        slug = re.sub(r"[^a-z0-9]+", "-", outlet.lower()).strip("-")
        path = out / "news" / case.locality.slug / f"{y}-{m:02d}-{d:02d}-{slug}-{i}.{'html' if html else 'txt'}"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        paths.append(path)
        case_of[path] = n
        total += len(data)
    return Corpus(cases, paths, n_reports, n_news, total, case_of)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", help="folder to write the corpus into (created if missing)")
    parser.add_argument("--reviews", type=int, default=5000, help="number of documents (default 5000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    corpus = generate(args.out_dir, args.reviews, args.seed)
    print(f"{corpus.reports} reports + {corpus.news} news articles, {corpus.bytes / 2**20:.1f} MiB "
          f"-> {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
