"""Lessons not learned: a failure stated by a later review of an area after an
earlier review of the same area recommended its fix or found it.

The writer keeps ``lesson_items``: one row per area x theme x party x review x
document for every recommendation (to an agency, an agency type, all agencies or
the partnership) and every shortfall finding (of an agency or all agencies), with
the review's dates as comparable keys. The ``lessons`` query answers from it with
one GROUP BY, so its time does not grow with the number of pairs of reviews; at
the end of a bulk load the whole answer is kept in ``lesson_rows`` (as
``rec_groups`` is), which any later change of the store drops.

Dates are kept with their precision: the publication of a review as the last day
it may have been (``2016-01`` -> ``2016-01-99``), the events of a review as the
first (``2019`` -> ``2019-00-00``); a later review's events count as after an
earlier review only when ``events > told``, whatever the precision of either."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, timedelta
from typing import Any

import orjson

from casegraph.errors import CasegraphError
from casegraph.graph.queries import Param, _register

__all__ = ["SCHEMA", "summarise", "refresh_dates", "rebuild", "check", "kept", "keep", "drop", "lessons"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS lesson_items (
    area TEXT NOT NULL, theme TEXT NOT NULL, party_type TEXT NOT NULL, party TEXT NOT NULL,
    kind TEXT NOT NULL, review TEXT NOT NULL, doc INTEGER NOT NULL, evidence INTEGER,
    told TEXT, events TEXT,
    PRIMARY KEY (area, theme, party_type, party, kind, review, doc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS lesson_items_review ON lesson_items(review, doc);
CREATE TABLE IF NOT EXISTS lesson_rows (
    pos INTEGER PRIMARY KEY, area TEXT NOT NULL, theme TEXT NOT NULL, party_type TEXT NOT NULL,
    gap REAL NOT NULL, row TEXT NOT NULL
);
"""
# Addressees that stand for every agency of their area.
_GENERAL = ("all-agencies", "safeguarding-partnership")
_PARTNERSHIP = "agencytype:safeguarding-partnership"  # of a review that names none
_DATE = re.compile(r"((?:19|20)\d\d)(?:-(\d\d)(?:-(\d\d))?)?")


def _key(value: str | None, fill: str) -> str | None:
    """'2016-01' -> '2016-01-99' (fill '99', the latest it may be) or '2016-01-00'."""
    m = _DATE.match(value or "")
    if not m:
        return None
    return f"{m.group(1)}-{m.group(2) or fill}-{m.group(3) or fill}"


def _shown(key: str) -> str:
    """A key as the date it stands for: '2016-01-99' -> '2016-01'."""
    if key[5:7] in ("99", "00"):
        return key[:4]
    return key[:7] if key[8:] in ("99", "00") else key


def _day(key: str) -> date:
    """The day a key stands for: its last possible day ('-99') or its first ('-00')."""
    y, m, d = (int(x) for x in key.split("-"))
    if m == 99:
        return date(y, 12, 31)
    if d == 99:
        return date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)
    return date(y, max(m, 1), max(d, 1))


def _area(review: str) -> str:
    """'review:coventry:matt:2019' -> 'coventry': review ids carry their case's place."""
    return review.split(":")[1]


def _reviews_of_case(db: sqlite3.Connection, case_id: str) -> list[str]:
    """A case's reviews ('review:<case>' and 'review:<case>:<type>'), by key range."""
    base = f"review:{case_id.removeprefix('case:')}"
    return [r[0] for r in db.execute("SELECT id FROM nodes WHERE id >= ? AND id < ?", (base, base + ":\uffff"))
            if (r[0] == base or r[0].startswith(base + ":")) and db.execute(
                "SELECT 1 FROM edges WHERE src = ? AND rel = 'REVIEWS' AND dst = ? LIMIT 1",
                (r[0], case_id)).fetchone()]


def review_dates(db: sqlite3.Connection, review: str, case_id: str) -> tuple[str | None, str | None]:
    """(told, events) keys of a review: its publication (else the earliest document
    about it), and its case's incident date (the most precise one a document gives,
    else the publication)."""
    row = db.execute("SELECT json_extract(props, '$.published') FROM nodes WHERE id = ?", (review,)).fetchone()
    published = row[0] if row else None
    if not _key(published, "99"):
        published = db.execute("SELECT min(published) FROM documents WHERE case_id = ? AND review_id = ? "
                               "AND published > ''", (case_id, review)).fetchone()[0]
    row = db.execute("SELECT json_extract(props, '$.incident_date') FROM nodes WHERE id = ?", (case_id,)).fetchone()
    incident = row[0] if row else None
    if incident:  # "2019" from one document, "2019-06" from another: the same date, better known
        for (value,) in db.execute("SELECT value FROM facts WHERE subject = ? AND fact = 'incident_date'",
                                   (case_id,)):
            if value.startswith(incident) and len(value) > len(incident):
                incident = value
    return _key(published, "99"), _key(incident, "00") or _key(published, "00")


def refresh_dates(db: sqlite3.Connection, case_id: str) -> None:
    """Set the date keys of every item of a case's reviews (a document may have dated
    the review or the incident)."""
    for review in _reviews_of_case(db, case_id):
        told, events = review_dates(db, review, case_id)
        db.execute("UPDATE lesson_items SET told = ?, events = ? WHERE review = ? "
                   "AND (told IS NOT ? OR events IS NOT ?)", (told, events, review, told, events))


def summarise(db: sqlite3.Connection, frag: Any, doc_id: int, rid: str, case_id: str,
              first_evidence: dict[str, int]) -> None:
    """The items of one document's fragment, then the dates of its case's reviews."""
    themes: dict[str, list[str]] = {}
    for src, rel, dst in frag.edges:
        if rel == "HAS_THEME":
            themes.setdefault(src, []).append(dst.removeprefix("theme:"))
    area = _area(rid)
    # A recommendation that names no addressee is the review's to its partnership.
    publisher = min((dst for src, rel, dst in frag.edges if rel == "PUBLISHED_BY"), default=_PARTNERSHIP)
    addressed = {src for src, rel, _ in frag.edges if rel == "ADDRESSED_TO"}
    links = [*frag.edges, *((nid, "ADDRESSED_TO", publisher) for nid, v in frag.nodes.items()
                            if v[0] == "Recommendation" and nid not in addressed)]
    rows: dict[tuple[str, str, str, str], int | None] = {}
    for src, rel, dst in links:
        if rel == "ADDRESSED_TO":
            kind = "recommendation"
        elif rel == "IMPLICATES" and frag.nodes[src][2].get("polarity") == "shortfall":
            kind = "finding"
        else:
            continue
        party_type = frag.nodes[dst][2].get("type") if dst in frag.nodes else dst.removeprefix("agencytype:")
        ev = first_evidence.get(src)
        for theme in themes.get(src, ()):
            key = (theme, party_type or "other", dst, kind)
            if key not in rows or (ev is not None and (rows[key] is None or ev < rows[key])):
                rows[key] = ev
    db.executemany("INSERT INTO lesson_items VALUES (?,?,?,?,?,?,?,?,NULL,NULL)",
                   [(area, t, pt, p, k, rid, doc_id, ev) for (t, pt, p, k), ev in rows.items()])
    refresh_dates(db, case_id)


# Every item the graph holds, in SQL: for an older store's migration and for check().
# (A recommendation without an addressee: to the partnership its document names.)
_ITEMS = """
WITH x(src, rel, dst, doc) AS (
    SELECT src, rel, dst, doc FROM edges WHERE rel IN ('ADDRESSED_TO', 'IMPLICATES')
    UNION ALL
    SELECT r.dst, 'ADDRESSED_TO', coalesce((SELECT min(p.dst) FROM edges p WHERE p.src = r.src
        AND p.rel = 'PUBLISHED_BY' AND p.doc = r.doc), 'agencytype:safeguarding-partnership'), r.doc
    FROM edges r WHERE r.rel = 'RECOMMENDS'
      AND NOT EXISTS (SELECT 1 FROM edges a WHERE a.src = r.dst AND a.rel = 'ADDRESSED_TO'))
SELECT substr(o.src, 8, instr(substr(o.src, 8), ':') - 1), substr(th.dst, 7),
       coalesce(json_extract(a.props, '$.type'), substr(x.dst, 12), 'other'), x.dst,
       CASE x.rel WHEN 'ADDRESSED_TO' THEN 'recommendation' ELSE 'finding' END, o.src, x.doc,
       min((SELECT min(e.id) FROM evidence e WHERE e.owner = x.src AND e.doc = x.doc))
FROM x JOIN edges o ON o.dst = x.src AND o.rel IN ('RECOMMENDS', 'FOUND') AND o.doc = x.doc
JOIN edges th ON th.src = x.src AND th.rel = 'HAS_THEME' AND th.doc = x.doc
LEFT JOIN nodes a ON a.id = x.dst AND a.label = 'Agency'
WHERE (x.rel = 'ADDRESSED_TO' AND o.rel = 'RECOMMENDS')
   OR (x.rel = 'IMPLICATES' AND o.rel = 'FOUND' AND (SELECT json_extract(props, '$.polarity') FROM nodes
       WHERE id = x.src) = 'shortfall')
GROUP BY 1, 2, 3, 4, 5, 6, 7
"""


def _dated(db: sqlite3.Connection) -> set[tuple[Any, ...]]:
    """Every item the graph holds with the dates of its review."""
    items = db.execute(_ITEMS).fetchall()
    cases = dict(db.execute("SELECT src, dst FROM edges WHERE rel = 'REVIEWS'").fetchall())
    dates = {rid: review_dates(db, rid, cases.get(rid, "")) for rid in {r[5] for r in items}}
    return {(*r, *dates[r[5]]) for r in items}


def rebuild(db: sqlite3.Connection) -> None:
    """Fill ``lesson_items`` from the graph (an older store's migration)."""
    db.execute("DELETE FROM lesson_items")
    db.executemany("INSERT INTO lesson_items VALUES (?,?,?,?,?,?,?,?,?,?)", sorted(_dated(db)))


def check(db: sqlite3.Connection) -> list[str]:
    """Items that disagree with the graph, and a kept answer that disagrees with the
    items, one line each."""
    stored = {tuple(r) for r in _rows(db, "SELECT * FROM lesson_items")}
    problems = [f"lesson item {' '.join(map(str, row[:7]))} disagrees with the graph"
                for row in sorted(stored ^ _dated(db), key=str)[:20]]
    if kept(db) and [orjson.loads(r[0]) for r in _rows(db, "SELECT row FROM lesson_rows ORDER BY pos")] != \
            _answer(db, None, None, None, False):
        problems.append("kept lessons disagree with the lesson items")
    return problems


# Per area x theme x party type, the first item (its review's publication, then a
# recommendation before a finding); per party, the first shortfall of a later review
# whose events come after the first item that speaks to it (its own type, all
# agencies or the partnership; anything of the area for an all-agencies shortfall).
_QUERY = """
WITH first AS MATERIALIZED (
    SELECT area, theme, party_type,
           min(told || '|' || (kind = 'finding') || '|' || printf('%012d', coalesce(evidence, 0)) || '|' || review
               || '|' || party || '|' || kind) AS k
    FROM lesson_items WHERE area != 'unknown' {where} GROUP BY area, theme, party_type),
wide AS MATERIALIZED (
    SELECT area, theme, min(k) FILTER (WHERE party_type IN ('all-agencies', 'safeguarding-partnership')) AS g,
           min(k) AS a FROM first GROUP BY area, theme),
told AS MATERIALIZED (
    SELECT f.area, f.theme, f.party_type, CASE WHEN f.party_type = 'all-agencies' THEN w.a
        WHEN f.k IS NULL OR w.g IS NULL THEN coalesce(f.k, w.g) ELSE min(f.k, w.g) END AS k
    FROM first f JOIN wide w ON w.area = f.area AND w.theme = f.theme {typed})
SELECT t.area, t.theme, l.party, l.party_type, t.k, min(l.events), l.review, l.evidence, l.told,
       count(DISTINCT l.review)
FROM told t JOIN lesson_items l ON l.area = t.area AND l.theme = t.theme AND l.party_type = t.party_type
WHERE t.k IS NOT NULL AND l.kind = 'finding'
  AND l.events > substr(t.k, 1, 10)
  AND instr(t.k, '|' || l.review || '|') = 0
GROUP BY t.area, t.theme, l.party
"""


@_register(
    "lessons",
    "Lessons not learned: an agency (or all agencies) of an area falling short on a theme "
    "after an earlier review of the same area recommended its fix or found it. A row per area x agency "
    "x theme: the first earlier review (publication date, quote), the first later review whose events "
    "came after it (their date, quote), the gap in years and how many later reviews fell short.",
    Param("locality", help="only this area (a Board and the Partnership after it are one area)"),
    Param("agency_type", help="only failures of agencies of this type (all-agencies: of agencies in general)"),
    Param("theme", help="only this theme"),
    Param("min_gap_years", int, 0, "least years from the earlier review's publication to the later events",
          least=0),
    Param("evidence", bool, False, "list every earlier item and later failure behind each row", flag=True),
)
def lessons(store: Any, locality: str | None = None, agency_type: str | None = None, theme: str | None = None,
            min_gap_years: int = 0, evidence: bool = False) -> list[dict[str, Any]]:
    from casegraph.loaders.resolve import slug

    area = slug(locality) if locality else None
    theme = theme.removeprefix("theme:") if theme else None
    agency_type = agency_type.removeprefix("agencytype:") if agency_type else None
    if kept(store.db) and not evidence:
        conds = ["gap >= ?"]
        args: list[Any] = [min_gap_years]
        for column, value in (("area", area), ("theme", theme), ("party_type", agency_type)):
            if value:
                conds.append(f"{column} = ?")  # fixed names only
                args.append(value)
        rows = [orjson.loads(r[0]) for r in _rows(store.db,
            f"SELECT row FROM lesson_rows WHERE {' AND '.join(conds)} ORDER BY pos", args)]
    else:
        rows = [r for r in _answer(store.db, area, theme, agency_type, evidence) if r["gap_years"] >= min_gap_years]
    if not rows:
        _known("themes", theme, "theme")
        _known("agency_types", agency_type, "agency type")
    return rows


def _known(scheme: str, value: str | None, what: str) -> None:
    """No rows for an id the vocabulary lacks is a typo, not an answer: say so (only
    then is the vocabulary read)."""
    from difflib import get_close_matches

    from casegraph.schema.vocabulary import load_vocabulary

    ids = load_vocabulary()[scheme]
    if value and value not in ids:
        near = get_close_matches(value.lower(), ids, n=3, cutoff=0.6)
        raise CasegraphError(f"no {what} {value!r}; " + (f"did you mean {' or '.join(near)}?" if near
                             else f"one of {', '.join(sorted(ids))}"))


def _answer(db: sqlite3.Connection, area: str | None, theme: str | None, agency_type: str | None,
            evidence: bool) -> list[dict[str, Any]]:
    """The rows computed from ``lesson_items``."""
    where, args = "", []
    if area:
        where += " AND area = ?"
        args.append(area)
    if theme:
        where += " AND theme = ?"
        args.append(theme)
    typed = "WHERE f.party_type = ?" if agency_type else ""
    found = _rows(db, _QUERY.format(where=where, typed=typed), (*args, *([agency_type] if agency_type else [])))
    rows = []
    for area_, th, party, party_type, k, events, later, later_ev, later_told, n in found.fetchall():
        told, _, earlier_ev, earlier, addressee, kind = k.split("|")
        rows.append({"area": area_, "party": party, "party_type": party_type, "theme": th,
                     "earlier": earlier, "told": told, "kind": kind, "addressee": addressee,
                     "earlier_ev": int(earlier_ev) or None, "later": later, "events": events,
                     "later_ev": later_ev, "later_told": later_told, "recurrences": n})
    return _present(db, rows, evidence)


def kept(db: sqlite3.Connection) -> bool:
    """Whether the answer is kept (see keep)."""
    return db.execute("SELECT 1 FROM meta WHERE key = 'lesson_rows'").fetchone() is not None


def keep(db: sqlite3.Connection) -> None:
    """Keep the whole answer (inside the writer's transaction at the end of a bulk load)."""
    rows = _answer(db, None, None, None, False)
    db.execute("DELETE FROM lesson_rows")
    db.executemany("INSERT INTO lesson_rows VALUES (?,?,?,?,?,?)", (
        (pos, _area(r["later_review_id"]), r["theme"], r["agency_type"], r["gap_years"], orjson.dumps(r).decode())
        for pos, r in enumerate(rows)))
    db.execute("INSERT OR REPLACE INTO meta VALUES ('lesson_rows', 'kept')")


def drop(db: sqlite3.Connection) -> None:
    """Forget the kept answer: the store is about to change."""
    if kept(db):
        db.execute("DELETE FROM lesson_rows")
        db.execute("DELETE FROM meta WHERE key = 'lesson_rows'")


def _present(db: sqlite3.Connection, found: list[dict[str, Any]], evidence: bool) -> list[dict[str, Any]]:
    """Rows with the names, dates and quotes of what they point at."""
    items: list[tuple[Any, ...]] = []
    if evidence and found:
        items = _rows(db,
            "SELECT area, theme, party_type, party, kind, review, min(evidence), told, events FROM lesson_items "
            "WHERE (area, theme) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?)) "
            "GROUP BY area, theme, party_type, party, kind, review ORDER BY told, review, kind = 'finding', 7",
            (_json(sorted({(r["area"], r["theme"]) for r in found})),)).fetchall()
    ids = {i for r in found for i in (r["party"], r["addressee"], r["earlier"], r["later"])}
    ids |= {i[3] for i in items} | {i[5] for i in items}
    names = dict(_rows(db, "SELECT id, name FROM nodes WHERE id IN (SELECT value FROM json_each(?))",
                            (_json(sorted(ids)),)))
    places = dict(_rows(db,
        "SELECT r.src, json_extract(c.props, '$.locality') FROM edges r JOIN nodes c ON c.id = r.dst "
        "WHERE r.src IN (SELECT value FROM json_each(?)) AND r.rel = 'REVIEWS'",
        (_json(sorted({r["later"] for r in found})),)))
    cited = {r["earlier_ev"] for r in found} | {r["later_ev"] for r in found} | {i[6] for i in items}
    quotes = {r[0]: r[1:] for r in _rows(db,
        "SELECT e.id, e.quote, e.paragraph, d.path FROM evidence e LEFT JOIN documents d ON d.id = e.doc "
        "WHERE e.id IN (SELECT value FROM json_each(?))", (_json(sorted(i for i in cited if i is not None)),))}
    by_group: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for i in items:
        by_group.setdefault((i[0], i[1]), []).append(i)
    out = []
    for r in found:
        row = {"locality": places.get(r["later"]) or r["area"],
               "agency": names.get(r["party"], r["party"]), "agency_id": r["party"],
               "agency_type": r["party_type"], "theme": r["theme"],
               "earlier_review": names.get(r["earlier"], r["earlier"]), "earlier_review_id": r["earlier"],
               "earlier_published": _shown(r["told"]), "earlier_kind": r["kind"],
               "earlier_agency": names.get(r["addressee"], r["addressee"]),
               "earlier_quote": quotes.get(r["earlier_ev"], (None,))[0],
               "later_review": names.get(r["later"], r["later"]), "later_review_id": r["later"],
               "later_events": _shown(r["events"]),
               "later_published": _shown(r["later_told"]) if r["later_told"] else None,
               "later_quote": quotes.get(r["later_ev"], (None,))[0],
               "gap_years": round((_day(r["events"]) - _day(r["told"])).days / 365.25, 1),
               "later_reviews": r["recurrences"]}
        if evidence:
            row["evidence"] = _evidence(r, by_group.get((r["area"], r["theme"]), []), names, quotes)
        out.append(row)
    out.sort(key=lambda x: (x["locality"], x["agency"], x["agency_id"], x["theme"]))
    return out


def _evidence(r: dict[str, Any], mine: list[tuple[Any, ...]], names: dict[str, str],
              quotes: dict[int, tuple[str, str | None, str | None]]) -> list[dict[str, Any]]:
    """Of the items of the row's area and theme: every earlier one that speaks to the
    row's party before its last later failure, then every later failure of the party
    after the first item."""
    told, party, types = r["told"], r["party"], (r["party_type"], *_GENERAL)
    later = sorted((i for i in mine if i[3] == party and i[4] == "finding" and i[8] and i[8] > told
                    and i[5] != r["earlier"]), key=lambda i: (i[8], i[5]))
    last = max((i[8] for i in later), default=r["events"])
    general = types[0] == "all-agencies"
    earlier = [i for i in mine if i[7] and i[7] < last and (general or i[2] in types)]
    out, seen = [], set()
    for side, chosen, when in (("earlier", earlier, 7), ("later", later, 8)):
        for i in chosen:
            if (side, i[5]) in seen:
                continue  # one item a review, the first
            seen.add((side, i[5]))
            quote, paragraph, path = quotes.get(i[6], (None, None, None))
            out.append({"value": f"{side} {i[4]} ({names.get(i[3], i[3])})", "review": names.get(i[5], i[5]),
                        "review_id": i[5], "date": _shown(i[when]), "quote": quote, "paragraph": paragraph,
                        "document": path})
    return out


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _rows(db: sqlite3.Connection, sql: str, params: Any = ()) -> sqlite3.Cursor:
    """Plain tuples (see Store.rows)."""
    cur = db.cursor()
    cur.row_factory = None
    return cur.execute(sql, params)
