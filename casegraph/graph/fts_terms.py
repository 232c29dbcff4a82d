"""Texts as the store's full-text index sees them (SQLite FTS5, the Porter stemmer
over unicode61): their terms, term counts and lengths, and FTS5's own bm25 rank
computed from statistics of another collection. A Bolt server has no such index;
with these, it answers `search` with the embedded store's matches, in its order."""

from __future__ import annotations

import math
import sqlite3
from collections import defaultdict
from collections.abc import Iterable

__all__ = ["Terms", "bm25"]

TOKENIZE = "porter unicode61"  # as the store's evidence_fts


class Terms:
    """An in-memory FTS5 index that tells the terms of the texts put in it."""

    def __init__(self) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(f"CREATE VIRTUAL TABLE texts USING fts5(text, tokenize='{TOKENIZE}')")
        self.db.execute("CREATE VIRTUAL TABLE terms USING fts5vocab(texts, 'instance')")

    def close(self) -> None:
        self.db.close()

    def put(self, rows: Iterable[tuple[int, str]]) -> None:
        self.db.execute("DELETE FROM texts")
        self.db.executemany("INSERT INTO texts(rowid, text) VALUES (?, ?)", rows)

    def counts(self) -> dict[int, dict[str, int]]:
        """Each text's terms with their number of occurrences."""
        out: dict[int, dict[str, int]] = defaultdict(dict)
        for rowid, term, n in self.db.execute("SELECT doc, term, count(*) FROM terms GROUP BY doc, term"):
            out[rowid][term] = n
        return out

    def positions(self) -> dict[int, dict[str, set[int]]]:
        """Each text's terms with the token offsets they occur at."""
        out: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        for rowid, term, offset in self.db.execute("SELECT doc, term, offset FROM terms"):
            out[rowid][term].add(offset)
        return out

    def phrases(self, words: list[str]) -> list[list[str]]:
        """The terms of each query word, in order (most words are one term)."""
        self.put(enumerate(words))
        found: dict[int, list[tuple[int, str]]] = {}
        for rowid, term, offset in self.db.execute("SELECT doc, term, offset FROM terms"):
            found.setdefault(rowid, []).append((offset, term))
        return [[t for _, t in sorted(found.get(i, []))] for i in range(len(words))]

    def matching(self, match: str, limit: int | None = None) -> list[tuple[int, str]]:
        """(rowid, snippet) of the texts matching an FTS5 query, as the store's search shows them."""
        return self.db.execute(
            "SELECT rowid, snippet(texts, 0, '[', ']', '…', 16) FROM texts WHERE texts MATCH ? ORDER BY rowid"
            + (" LIMIT ?" if limit else ""), (match, limit) if limit else (match,)).fetchall()


def phrase_hits(phrase: list[str], positions: dict[str, set[int]]) -> int:
    """How often the terms of a phrase occur one after another."""
    starts = positions.get(phrase[0], set())
    return sum(all(o + k in positions.get(t, ()) for k, t in enumerate(phrase[1:], start=1)) for o in starts)


def bm25(hits: list[int], length: int, rows: int, tokens: int, matching: list[int]) -> float:
    """FTS5's rank (its bm25, negated: lower is better) of one row, from the number of
    hits of each phrase in it and its length in tokens, given the collection's rows,
    total tokens and, per phrase, the rows it matches (k1 = 1.2, b = 0.75)."""
    k1, b = 1.2, 0.75
    avgdl = tokens / rows
    score = 0.0
    for freq, n in zip(hits, matching, strict=True):
        idf = math.log((rows - n + 0.5) / (n + 0.5))
        if idf <= 0.0:
            idf = 1e-6
        score += idf * ((freq * (k1 + 1.0)) / (freq + k1 * (1 - b + b * length / avgdl)))
    return -1.0 * score
