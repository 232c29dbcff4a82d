"""Near-duplicate recommendations: the word set of a recommendation (kept by the
writer in ``rec_words``), and the grouping of recommendations made in different
reviews whose rare words overlap enough."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

__all__ = ["words", "near_duplicates"]

_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_STOPWORDS = frozenset(
    "the and for that with this from should all are its their been have has will which into "
    "when where who what how must any such there these those they them than then also more "
    "most other each were was can could would may might not our out about including include "
    "ensure review".split()
)


def words(text: str) -> str:
    """The distinct content words of ``text``, sorted and space-separated."""
    return " ".join(sorted({w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS}))


def near_duplicates(items: list[tuple[str, str]], threshold: float) -> list[list[int]]:
    """Groups (lists of indexes into ``items``, two or more each, largest first) of
    (review, words) items joined by chains of alike pairs from different reviews.

    Two items are alike when the rare words they share (words in at most ``cap``
    items: very common words cannot make two texts alike) make up at least
    ``threshold`` of all their words. Items with the same words are one signature;
    candidate pairs of signatures come from a prefix filter: a pair needs at least
    ``need = floor(threshold * size)`` shared rare words, so it shares one of the
    first ``rare - need + 1`` rarest words of each side. The groups are exactly those
    of checking every pair."""
    sigs: dict[str, list[int]] = defaultdict(list)
    for i, (_, ws) in enumerate(items):
        sigs[ws].append(i)
    keys = [k.split() for k in sigs]
    members = list(sigs.values())
    reviews = [{items[i][0] for i in m} for m in members]
    freq: Counter[str] = Counter()
    for k, m in zip(keys, members, strict=True):
        for w in k:
            freq[w] += len(m)
    cap = max(50, len(items) // 20)
    # Words as bits (rarest first), so a pair is checked with a few integer operations.
    bit = {w: 1 << n for n, w in enumerate(sorted(freq, key=lambda w: (freq[w], w)))}
    rare = [sorted((w for w in k if freq[w] <= cap), key=bit.__getitem__) for k in keys]
    rare_bits = [sum(bit[w] for w in r) for r in rare]
    all_bits = [sum(bit[w] for w in k) for k in keys]
    parent = list(range(len(keys)))
    joined = [False] * len(keys)

    def root(s: int) -> int:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for s, k in enumerate(keys):
        # The same words in two reviews: alike if enough of them are rare.
        if rare[s] and len(reviews[s]) > 1 and len(rare[s]) / len(k) >= threshold:
            joined[s] = True
    postings: dict[str, list[int]] = defaultdict(list)
    for s, k in enumerate(keys):
        size, r_bits, a_bits = len(k), rare_bits[s], all_bits[s]
        need = max(1, math.floor(threshold * size))
        seen: set[int] = set()
        for w in rare[s][:len(rare[s]) - need + 1]:
            for o in postings[w]:
                if o in seen:
                    continue
                seen.add(o)
                if joined[o] and joined[s] and root(o) == root(s):
                    continue
                shared = (r_bits & rare_bits[o]).bit_count()
                union = size + len(keys[o]) - (a_bits & all_bits[o]).bit_count()
                if shared and shared / union >= threshold and (len(reviews[s]) > 1 or reviews[o] != reviews[s]):
                    joined[o] = joined[s] = True
                    parent[root(o)] = root(s)
            postings[w].append(s)
    groups: dict[int, list[int]] = defaultdict(list)
    for s, m in enumerate(members):
        if joined[s]:
            groups[root(s)].extend(m)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))
