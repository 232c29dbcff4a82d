"""The data of the case view: a case's contacts on a timeline, one lane per agency,
with the findings and recommendations of its reviews.

Contacts carry their date as the chronology words it ("On 12 February 2019", "In
March 2019", "Two days later", "Later in October"). :func:`contact_dates` turns those
into dates: a stated date as far as it goes, a month without a year in the year of
the contact before (the next year if the month comes earlier), "N days/weeks/months
later" counted from the contact before, and anything else placed with the contact
before it (marked as not stated).
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

from casegraph.graph.queries import find_node

__all__ = ["case_data", "contact_dates"]

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_MONTH = "(?P<month>" + "|".join(_MONTHS) + ")"
_FULL = re.compile(rf"\b(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+)?{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b", re.I)
_MONTH_ONLY = re.compile(rf"\b(?:in|during|early|late|mid|end of|later in)\s+{_MONTH}\b(?!\s+\d)", re.I)
_NUMBERS = {w: i for i, w in enumerate(("zero one two three four five six seven eight nine ten eleven "
                                         "twelve").split())}
_LATER = re.compile(r"\b(?P<n>\d{1,3}|" + "|".join(_NUMBERS) + r"|a|an)\s+(?P<unit>day|week|month|year)s?\s+"
                    r"(?:later|after)\b", re.I)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_X_GAP = 0.012  # least distance between two contacts on the time axis (share of its width)


def contact_dates(texts: list[str]) -> list[tuple[date | None, str, bool]]:
    """For each contact's date words, in chronology order: (date, how it reads, stated).

    >>> [(str(d), s) for d, s, _ in contact_dates(["On 3 May 2019", "Two days later", "In June"])]
    [('2019-05-03', '3 May 2019'), ('2019-05-05', 'about 5 May 2019'), ('2019-06-01', 'June 2019')]
    """
    out: list[tuple[date | None, str, bool]] = []
    last: date | None = None
    for text in texts:
        found: tuple[date, str] | None = None
        if m := _FULL.search(text):
            month = _MONTHS.index(m["month"].lower()) + 1
            day = int(m["day"]) if m["day"] else 1
            try:
                when = date(int(m["year"]), month, day)
            except ValueError:
                when = date(int(m["year"]), month, 1)
            found = (when, f"{day} {m['month'].title()} {m['year']}") if m["day"] else \
                (_in_month(when, last), f"{m['month'].title()} {m['year']}")
        elif last and (m := _MONTH_ONLY.search(text)):
            month = _MONTHS.index(m["month"].lower()) + 1
            year = last.year + (1 if month < last.month else 0)
            found = (_in_month(date(year, month, 1), last), f"{m['month'].title()} {year}")
        elif last and (m := _LATER.search(text)):
            n = m["n"].lower()
            count = int(n) if n.isdigit() else _NUMBERS.get(n, 1)
            when = last + timedelta(days=count * _UNIT_DAYS[m["unit"].lower()])
            found = (when, f"about {when.day} {when.strftime('%B %Y')}")
        if found:
            last = found[0]
            out.append((found[0], found[1], True))
        else:
            out.append((last, "", False))
    # Contacts before the first dated one take its date.
    first = next((d for d, _, _ in out if d), None)
    return [(d or first, s, stated) for d, s, stated in out]


def _in_month(first: date, last: date | None) -> date:
    """A date known to the month: the contact before's if that is in the same month
    (the chronology's order within a month is the best order there is)."""
    return last if last and (last.year, last.month) == (first.year, first.month) and last > first else first


def case_data(store: Any, case: str) -> dict[str, Any]:
    """Everything the case page draws, for a case id or name."""
    cid, name = find_node(store, case, "Case")
    props = json.loads(store.query("SELECT props FROM nodes WHERE id = ?", (cid,))[0][0] or "{}")
    rows = store.query(
        "SELECT n.id, n.props, a.id, a.name, min(e.id) FROM edges ab JOIN nodes n ON n.id = ab.src "
        "LEFT JOIN edges b ON b.src = n.id AND b.rel = 'BY' LEFT JOIN nodes a ON a.id = b.dst "
        "LEFT JOIN evidence e ON e.owner = n.id "
        "WHERE ab.rel = 'ABOUT' AND ab.dst = ? AND n.label = 'Contact' GROUP BY n.id", (cid,))
    contacts = []
    for nid, raw, aid, aname, ev in rows:
        p = json.loads(raw or "{}")
        contacts.append({"id": nid, "agency": aid or "", "agency_name": aname or "agency not named",
                         "when": p.get("when") or "", "kind": p.get("kind"), "role": p.get("role"),
                         "status": p.get("status") or ("missed" if p.get("missed") else ""),
                         "summary": p.get("summary") or "", "paragraph": p.get("paragraph"),
                         "seq": p.get("seq") or 0, "ev": ev})
    # Chronology order first (document, paragraph, sequence), then dates from it.
    contacts.sort(key=lambda c: (c["id"].split(":")[1], _para_key(c["paragraph"]), c["seq"]))
    dates = contact_dates([c["when"] or c["summary"][:80] for c in contacts])
    for c, (when, text, stated) in zip(contacts, dates, strict=True):
        c["date"], c["date_text"], c["stated"] = (when.isoformat() if when else None), text, stated
    order = sorted(range(len(contacts)), key=lambda i: (contacts[i]["date"] or "9999", i))
    contacts = [contacts[i] for i in order]
    _place(contacts)
    docs = {r[0]: (r[1], r[2]) for r in store.query(
        "SELECT e.id, e.page, d.path FROM evidence e LEFT JOIN documents d ON d.id = e.doc "
        "WHERE e.id IN (SELECT value FROM json_each(?))", (json.dumps([c["ev"] for c in contacts if c["ev"]]),))}
    lanes: dict[str, int] = {}
    lane_list = []
    for c in contacts:
        if c["agency"] not in lanes:
            lanes[c["agency"]] = len(lane_list)
            lane_list.append({"id": c["agency"], "name": c["agency_name"]})
        page, path = docs.get(c.pop("ev"), (None, None))
        c.update(lane=lanes[c.pop("agency")], page=page, document=path)
        for key in ("agency_name", "seq", "id", "stated"):
            c.pop(key)
    reviews = [r[0] for r in store.query(
        "SELECT DISTINCT r.name FROM edges rc JOIN nodes r ON r.id = rc.src "
        "WHERE rc.rel = 'REVIEWS' AND rc.dst = ? ORDER BY 1", (cid,))]
    return {"case": {"id": cid, "name": name, "locality": props.get("locality"),
                     "incident_date": props.get("incident_date"), "outcome": props.get("outcome")},
            "reviews": reviews, "lanes": lane_list, "contacts": contacts, "ticks": _ticks(contacts),
            **_findings(store, cid)}


def _para_key(p: str | None) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", p or ""))


def _place(contacts: list[dict[str, Any]]) -> None:
    """``x`` in [0, 1] for each contact: its place in time, pushed right just enough
    that no two contacts share a place (so order on the axis is date order)."""
    days = [date.fromisoformat(c["date"]).toordinal() if c["date"] else None for c in contacts]
    known = [d for d in days if d is not None]
    lo, hi = (min(known), max(known)) if known else (0, 0)
    span = max(hi - lo, 1)
    xs: list[float] = []
    for d in days:
        x = (d - lo) / span if d is not None else (xs[-1] if xs else 0.0)
        xs.append(max(x, xs[-1] + _X_GAP) if xs else x)
    top = max(xs[-1], 1.0) if xs else 1.0
    for c, x in zip(contacts, xs, strict=True):
        c["x"] = round(x / top, 5)


def _ticks(contacts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A label where each year begins on the axis (or each month if one year only)."""
    ticks, seen = [], set()
    years = {c["date"][:4] for c in contacts if c["date"]}
    for c in contacts:
        if not c["date"]:
            continue
        key = c["date"][:4] if len(years) > 1 else c["date"][:7]
        if key not in seen:
            seen.add(key)
            label = key if len(years) > 1 else date.fromisoformat(c["date"]).strftime("%b %Y")
            ticks.append({"x": c["x"], "label": label})
    return ticks


def _findings(store: Any, cid: str) -> dict[str, list[dict[str, Any]]]:
    """The findings and recommendations of the case's reviews, with themes and agencies."""
    out: dict[str, list[dict[str, Any]]] = {"findings": [], "recommendations": []}
    for label, rel, to in (("findings", "FOUND", "IMPLICATES"), ("recommendations", "RECOMMENDS", "ADDRESSED_TO")):
        for nid, raw, themes, agencies, paragraph in store.query(
                "SELECT n.id, n.props, (SELECT group_concat(t.name, '|') FROM edges h JOIN nodes t ON t.id = h.dst "
                "WHERE h.src = n.id AND h.rel = 'HAS_THEME'), (SELECT group_concat(DISTINCT a.name) FROM edges i "
                "JOIN nodes a ON a.id = i.dst WHERE i.src = n.id AND i.rel = ?), "
                "(SELECT e.paragraph FROM evidence e WHERE e.owner = n.id ORDER BY e.id LIMIT 1) "
                "FROM edges rc JOIN edges f ON f.src = rc.src AND f.rel = ? JOIN nodes n ON n.id = f.dst "
                "WHERE rc.rel = 'REVIEWS' AND rc.dst = ? GROUP BY n.id ORDER BY n.id", (to, rel, cid)):
            p = json.loads(raw or "{}")
            item = {"text": p.get("text") or "", "themes": sorted(set((themes or "").split("|")) - {""}),
                    "agencies" if label == "findings" else "addressed_to":
                        sorted(set((agencies or "").split(",")) - {""}),
                    "paragraph": paragraph}
            if label == "findings":
                item["polarity"] = p.get("polarity")
            else:
                item["number"] = p.get("number")
            out[label].append((_para_key(paragraph), nid, item))
    return {k: [item for *_, item in sorted(v, key=lambda x: (x[0], x[1]))] for k, v in out.items()}
