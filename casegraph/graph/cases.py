"""Which stored Case and Review a document belongs to: its subject's name, area and
incident year, the review it names, or the names another document joined to the
case, looked up in the store by key so the work per document does not grow with it."""

from __future__ import annotations

import sqlite3
from typing import Any

import orjson

from casegraph.graph.build import dumps
from casegraph.loaders.resolve import (
    age_key,
    alias_fits,
    alias_keys,
    case_key,
    different_reviews,
    match_case,
    months_apart,
    named_review,
    named_subjects,
    review_id,
    same_person,
    slug,
    unnamed,
    unnamed_keys,
)
from casegraph.schema.record import ReviewRecord

__all__ = ["Cases"]


class Cases:
    """Case and review resolution against one store's connection (inside the
    transaction of the document being loaded)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def case(self, record: ReviewRecord) -> str:
        """The id of the Case a document's record belongs to: one stored already, or a new one."""
        case = record.case
        subjects = named_subjects(case)
        names = [subjects[0]["pseudonym"], *subjects[0].get("aliases", [])] if subjects else [unnamed(record)]
        keys = [case_key(case.get("locality"), n, case.get("incident_date")) for n in names]
        # Documents that name one review by its body, type and label are one case,
        # whatever names they give; those naming two such reviews are two.
        review = named_review(record)
        found = (self._meta(f"case-review:{review}") or (None,))[0] if review else None
        # A document naming no one: the case of the same month's incident or of a
        # private person it names, if the years agree.
        year = (case.get("incident_date") or "")[:4]
        for where in [] if found else unnamed_keys(record):
            value = self._meta(where)
            if value and not (year and value[1] and value[1][:4] != year) and not self._other_age(value[0], case):
                found = value[0]
                break
        same: list[tuple[str, str | None]] = []
        for i, key in enumerate(keys):
            if found:
                break
            candidates, found = self._known_case(key, bool(subjects), review, case.get("incident_date"))
            if i == 0:
                same = candidates
            found = found or self._case_alias(key, review)
        # A subject named in one document and given only an age in another: one case
        # when no other case of that area and review type has a subject of that age.
        # Two documents giving only the age meet by the month, as above.
        age = age_key(record)
        if not found and not same and age and (value := self._meta(age)) \
                and not (year and value[1] and value[1][:4] != year) and self._age_fits(value[0], subjects):
            found = value[0]
        cid = found or match_case(keys[0], same, case.get("incident_date"))
        if not found and self._other_review(cid, review):  # the id of another review's case
            cid = f"{cid}:{slug(review or '')}"
        # A name the text joins to the case, or a full name given without a known
        # area, finds the case again from another document.
        for key in keys if subjects else ():
            for where in alias_keys(key):
                if where != f"case-alias:{cid.split(':')[1]}:{cid.split(':')[2]}":  # not found by its id
                    self.db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (where, dumps(cid)))
        for where in unnamed_keys(record):
            self.db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (where, dumps(cid)))
        if age:  # a second case with a subject of that age makes the key name none
            self.db.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = ? "
                            "WHERE value != excluded.value", (age, dumps(cid), dumps("*")))
        if review:
            self.db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (f"case-review:{review}", dumps(cid)))
            self.db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (f"case-review-of:{cid}", dumps(review)))
        return cid

    def _meta(self, key: str) -> tuple[str, str | None, str | None] | None:
        """The Case stored under ``key`` by case resolution with its incident date and
        locality, if it still stands."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if not row:
            return None
        cid = orjson.loads(row[0])
        case = self.db.execute("SELECT json_extract(props, '$.incident_date'), json_extract(props, '$.locality') "
                               "FROM nodes WHERE id = ? AND label = 'Case'", (cid,)).fetchone()
        return (cid, *case) if case else None

    def _other_age(self, cid: str, case: dict[str, Any]) -> bool:
        """Whether the subjects of case ``cid`` have ages far from the one ``case``
        gives (a baby and a teenager who died in one area and month are two cases);
        ages a few months or a year apart may be one child told of later. The case's
        unnamed subject may have taken the name another document gave it."""
        days = next((s["age_days"] for s in case.get("subjects") or [] if s.get("age_days")), None)
        if days is None:
            return False
        ages = [r[0] for r in self.db.execute(
            "SELECT json_extract(n.props, '$.age_days') FROM edges e JOIN nodes n ON n.id = e.dst "
            "WHERE e.src = ? AND e.rel = 'SUBJECT'", (cid,)) if r[0]]
        return bool(ages) and all(abs(a - days) > max(365, max(a, days) / 4) for a in ages)

    def _named(self, cid: str) -> set[tuple[str, str]]:
        """(id, name) of the subjects documents named in case ``cid``."""
        return {(pid, name) for pid, name in self.db.execute(
            "SELECT n.id, n.name FROM edges e JOIN nodes n ON n.id = e.dst WHERE e.src = ? AND e.rel = 'SUBJECT'",
            (cid,)) if not pid.endswith(":unnamed-subject")}

    def named_subject(self, cid: str) -> tuple[str, str] | None:
        """The (id, name) of case ``cid``'s subject when documents named exactly one."""
        named = self._named(cid)
        return named.pop() if len(named) == 1 else None

    def _age_fits(self, cid: str, subjects: list[dict[str, Any]]) -> bool:
        """Whether a document found case ``cid`` by its subject's age may join it: one
        giving only the age, when a document named the case's subject; one naming
        ``subjects``, when the case names no one else."""
        named = {pid.rsplit(":", 1)[-1] for pid, _ in self._named(cid)}
        if not subjects:
            return bool(named)
        ours = slug(subjects[0]["pseudonym"])
        return all(n == ours or same_person(n, ours) for n in named)

    def _other_review(self, cid: str, review: str | None) -> bool:
        """Whether the case ``cid`` is that of a review named otherwise than ``review``."""
        if not review:
            return False
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (f"case-review-of:{cid}",)).fetchone()
        return row is not None and different_reviews(orjson.loads(row[0]), review)

    def _known_case(self, key: tuple[str, str, str], named: bool, review: str | None, month: str | None
                    ) -> tuple[list[tuple[str, str | None]], str | None]:
        """(the cases of ``key``'s locality and name with their years, the one it
        belongs to if any)."""
        base = f"case:{key[0]}:{key[1]}"
        # A range of the primary key (ids are "case:<place>:<name>[:<year>]"), so the
        # lookup does not grow with the number of cases.
        rows = self.db.execute(
            "SELECT id, label, json_extract(props,'$.incident_date') FROM nodes WHERE id >= ? AND id < ?",
            (base, base + ":\uffff")).fetchall()
        same = [(r[0], r[2]) for r in rows if r[1] == "Case" and (r[0] == base or r[0].startswith(base + ":"))
                and not self._other_review(r[0], review)]
        # The dates its documents give near the case's own, not only the first one's:
        # the case of an assault in December and a death in January is either year's.
        same += [(cid, d) for cid, y in list(same) for (d,) in self.db.execute(
            "SELECT DISTINCT value FROM facts WHERE subject = ? AND fact = 'incident_date'", (cid,))
            if months_apart(y, d) <= 2]
        if not same and named:
            # "Alice" and "Alice Ruggles", "Ms Billingham" and "Tina Billingham": one
            # name's words within the other's, in the same area, name one person.
            area = f"case:{key[0]}:"
            near = self.db.execute(
                "SELECT id, json_extract(props,'$.incident_date') FROM nodes WHERE id >= ? AND id < ? "
                "AND label = 'Case'", (area, area + "\uffff")).fetchall()
            near = [(cid, year) for cid, year in near if same_person(key[1], cid[len(area):].split(":")[0])
                    and not self._other_review(cid, review)]
            if near:
                return same, near[0][0]
        cid = match_case(key, same, month)
        return same, cid if any(cid == c for c, _ in same) else None

    def _case_alias(self, key: tuple[str, str, str], review: str | None) -> str | None:
        """The case another document joined to this name (see alias_keys), if it fits."""
        for where in alias_keys(key):
            value = self._meta(where)
            if value and alias_fits(key, where, value[2], (value[1] or "")[:4]) \
                    and not self._other_review(value[0], review):
                return value[0]
        return None

    def review(self, case_id: str, rtype: str | None) -> str:
        """One Review per case and type; a document that names no type joins the
        case's review, and an untyped review takes the first type named."""
        # A case's reviews are "review:<case>" and "review:<case>:<type>": a range of
        # the primary key, less those of other cases in it (review:x:ann:2016 is the
        # review of case x:ann:2016, not a 2016-typed one of case x:ann).
        base = review_id(case_id, None)
        rows = [r for r in self.db.execute(
            "SELECT id, json_extract(props, '$.type') FROM nodes WHERE id >= ? AND id < ? ORDER BY id",
            (base, base + ":\uffff")) if r[0] == base or r[0].startswith(base + ":")]
        rows = [r for r in rows if self.db.execute(
            "SELECT 1 FROM edges WHERE src = ? AND rel = 'REVIEWS' AND dst = ? LIMIT 1",
            (r[0], case_id)).fetchone()]
        for rid, existing in rows:
            if rtype is None or existing in (None, rtype):
                return rid
        return base if not rows else review_id(case_id, rtype)
