"""Near-duplicate recommendations: the word set of a recommendation (kept by the
writer in ``rec_words``), the grouping of recommendations made in different
reviews whose rare words overlap enough, and the order a query answers it in."""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import chain
from operator import itemgetter

__all__ = ["LEVELS", "words", "near_duplicates", "answer_order"]

# The thresholds a query may ask for, in tenths: few enough for a load to keep the
# groups of every one (in ``rec_groups``), so that a query reads instead of computes.
LEVELS = tuple(range(1, 11))

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


def near_duplicates(sigs: list[tuple[str, int, str | None]],
                    thresholds: Iterable[float]) -> list[list[list[int]]]:
    """Groups (lists of indexes into ``sigs``, most items first) of signatures joined
    by chains of alike pairs of items from different reviews, at each threshold in turn. A
    signature is the words of one or more items: (words, how many items, their one
    review or None when they come from several).

    Two items are alike when the rare words they share (words in at most ``cap``
    items: very common words cannot make two texts alike) make up at least
    ``threshold`` of all their words. The groups are exactly those of checking every
    pair."""
    split = [k.split() for k, _, _ in sigs]
    # Word counts over items: counted once per signature, in bulk per multiplicity.
    by_count: dict[int, list[list[str]]] = defaultdict(list)
    for k, (_, c, _) in zip(split, sigs, strict=True):
        by_count[c].append(k)
    freq: Counter[str] = Counter()
    for c, ks in by_count.items():
        once = Counter(chain.from_iterable(ks))
        freq.update({w: n * c for w, n in once.items()} if c > 1 else once)
    cap = max(50, sum(c for _, c, _ in sigs) // 20)
    rare_words = {w for w, n in freq.items() if n <= cap}
    rare = [rare_words.intersection(k) for k in split]
    return [_groups(sigs, split, rare, t) for t in thresholds]


def _groups(sigs: list[tuple[str, int, str | None]], split: list[list[str]], rare: list[set[str]],
            threshold: float) -> list[list[int]]:
    """The groups at one threshold, given each signature's words and rare words.

    Only signatures whose own rare words reach the threshold can be alike with any
    other. They are taken smallest first, each against all smaller ones at once: bit
    masks over signatures count how many of its rare words each one holds, and a
    pair needs at least ``need``, the least count that reaches the threshold of the
    larger size; holding exactly ``need`` also bounds the words the two do not share.
    Candidates already in the signature's group are skipped in bulk, so a check
    either joins two groups or rejects one of the few pairs left."""
    # shared / union <= rare / size on either side, so signatures below the threshold
    # there are alike with nothing, not even with their own copies.
    live = [(len(k), len(r), s, r) for s, (k, r) in enumerate(zip(split, rare, strict=True))
            if r and len(r) / len(k) >= threshold]
    live.sort(key=itemgetter(0))
    size = [a for a, _, _, _ in live]
    n = len(live)
    # Positions in ``live`` holding each rare word, and having each rare count.
    holders: dict[str, bytearray] = defaultdict(lambda: bytearray(n))
    by_rare: dict[int, bytearray] = defaultdict(lambda: bytearray(n))
    for j, (_, r, _, rw) in enumerate(live):
        by_rare[r][j] = 1
        for w in rw:
            holders[w][j] = 1
    as_bits = bytes.maketrans(b"\0\1", b"01")

    def mask(marks: bytearray) -> int:
        return int(marks.translate(as_bits)[::-1], 2)

    held = {w: mask(b) for w, b in holders.items()}
    top_rare = max(by_rare, default=0)
    rare_at_most = [0] * (top_rare + 1)  # positions with at most so many rare words
    for r in range(1, top_rare + 1):
        rare_at_most[r] = rare_at_most[r - 1] | (mask(by_rare[r]) if r in by_rare else 0)
    only = [sigs[s][2] for _, _, s, _ in live]  # the one review of a signature, or None
    joined = [o is None for o in only]  # the same words in two reviews
    parent = list(range(n))
    group = [1 << j for j in range(n)]  # positions in each root's group

    def root(j: int) -> int:
        while parent[j] != j:
            parent[j] = parent[parent[j]]
            j = parent[j]
        return j

    def most_union(shared: int) -> int:
        """The largest union that ``shared`` words still make alike."""
        u = max(shared, math.floor(shared / threshold))
        while u > shared and shared / u < threshold:
            u -= 1
        while shared / (u + 1) >= threshold:
            u += 1
        return u

    @cache
    def least(a: int) -> tuple[int, int]:
        """The fewest shared words alike at union ``a``, and how far the union can
        grow past ``a`` with that many."""
        need = max(1, math.ceil(threshold * a) - 1)
        while need / a < threshold:
            need += 1
        return need, most_union(need) - a

    @cache
    def counts(r: int, need: int) -> list[range]:
        """For each of ``r`` words, the counts to update, highest first: only counts
        that can still reach ``need`` matter, up to need + 1."""
        top = min(r, need + 1)
        return [range(min(i + 1, top), max(0, need - r + i), -1) for i in range(r)]

    for j, (a, r, s, rw) in enumerate(live):
        # Smaller ones make the union at least ``a``, so fewer shared words fall short.
        need, spare = least(a)
        top = min(r, need + 1)
        # at_least[q]: earlier positions holding q or more of the words so far.
        at_least = [(1 << j) - 1] + [0] * top
        for m, qs in zip(map(held.__getitem__, rw), counts(r, need), strict=True):
            for q in qs:
                at_least[q] |= at_least[q - 1] & m
        # With exactly ``need`` shared, the other's unshared words (at least its rare
        # ones left over, and at least ours left over minus the size gap) must fit.
        exact = at_least[need] & rare_at_most[min(need + spare, top_rare)]
        exact &= (1 << bisect_right(size, a - max(0, r - need - spare))) - 1
        rs = j  # only later signatures join earlier ones, so j is still a root
        words_s = set(split[s])
        # More shared words are alike more often: try them first, so their groups
        # drop out of the rest.
        for cand in (at_least[top], exact & ~at_least[top]) if top > need else (exact,):
            cand &= ~group[rs]
            while cand:
                low = cand & -cand
                o = low.bit_length() - 1
                common = words_s.intersection(split[live[o][2]])
                if (len(common & rw) / (a + size[o] - len(common)) >= threshold
                        and (only[j] is None or only[j] != only[o])):
                    joined[o] = joined[j] = True
                    ro = root(o)
                    parent[ro] = rs
                    group[rs] |= group[ro]
                    cand &= ~group[rs]
                else:
                    cand ^= low
    groups: dict[int, list[int]] = defaultdict(list)
    for j, (_, _, s, _) in enumerate(live):
        if joined[j]:
            groups[root(j)].append(s)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-sum(sigs[s][1] for s in g), g[0]))


def answer_order(recs: Sequence[tuple[str, str, str, str | None]],
                 reviews: dict[str, tuple[str, str | None]],
                 thresholds: Iterable[float]) -> list[list[tuple[int, int]]]:
    """The near-duplicate groups among ``recs`` (rec id, review id, words, text) at
    each threshold in turn, as (group number, index into ``recs``) in answer order: groups
    with most items first, each by publication date, review name and text.
    ``reviews`` holds the (name, published) of each review."""
    by_words: dict[str, list[int]] = defaultdict(list)
    for i, rec in enumerate(recs):
        by_words[rec[2]].append(i)
    keys = sorted(by_words)
    sigs = []
    for k in keys:
        of = {recs[i][1] for i in by_words[k]}
        sigs.append((k, len(by_words[k]), of.pop() if len(of) == 1 else None))

    def when(i: int) -> tuple[str, str, str, str]:
        name, published = reviews[recs[i][1]]
        return published or "", name, recs[i][3] or "", recs[i][0]

    rank = [0] * len(recs)
    for n, i in enumerate(sorted(range(len(recs)), key=when)):
        rank[i] = n
    return [[(n, i) for n, group in enumerate(groups, start=1)
             for i in sorted((i for s in group for i in by_words[keys[s]]), key=rank.__getitem__)]
            for groups in near_duplicates(sigs, thresholds)]
