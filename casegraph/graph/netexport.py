"""The store for graph tools: GraphML and GEXF through networkx, and a folder of CSV
files for ``neo4j-admin database import full``.

Properties are flattened to strings and numbers (lists joined with "; ", nested
values as JSON); each property keeps one type across the graph (an integer
property with a stray string becomes a string property) so the typed formats
stay valid. networkx is imported inside the functions.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shlex
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from casegraph.errors import CasegraphError
from casegraph.graph.rdf import xml_safe

if TYPE_CHECKING:
    import networkx as nx

    from casegraph.graph.store import Store

__all__ = [
    "ARRAY_DELIMITER",
    "flatten",
    "neo4j_import_command",
    "property_types",
    "to_networkx",
    "write_gexf",
    "write_graphml",
    "write_neo4j_csv",
]

ARRAY_DELIMITER = ";"
"""neo4j-admin's default array delimiter, used for ``string[]`` columns."""

# Attribute names casegraph sets itself; a node property of the same name is prefixed.
_RESERVED = {"label", "nodetype", "name", "id", "rel"}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, list):
        return "list"
    return "string"


def property_types(rows: Iterable[dict[str, Any]]) -> dict[str, str]:
    """One type per property over ``rows``: boolean, int, float, list or string.

    Mixed int and float become float; any other mix becomes string.
    """
    seen: dict[str, set[str]] = defaultdict(set)
    for props in rows:
        for key, value in props.items():
            if value not in (None, "", []):
                seen[key].add(_kind(value))
    out: dict[str, str] = {}
    for key, kinds in seen.items():
        if len(kinds) == 1:
            out[key] = next(iter(kinds))
        elif kinds == {"int", "float"}:
            out[key] = "float"
        else:
            out[key] = "string"
    return out


def _text(value: Any) -> str:
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list):
        return xml_safe("; ".join(_text(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return xml_safe(json.dumps(value, ensure_ascii=False, sort_keys=True))


def flatten(props: dict[str, Any], types: dict[str, str] | None = None) -> dict[str, Any]:
    """Props as GraphML/GEXF attribute values: str, int, float or bool, no None."""
    types = types or property_types([props])
    out: dict[str, Any] = {}
    for key, value in props.items():
        if value in (None, "", []):
            continue
        kind = types.get(key, "string")
        name = f"prop_{key}" if key in _RESERVED else key
        if kind in ("boolean", "int") and _kind(value) == kind:
            out[name] = value
        elif kind == "float" and _kind(value) in ("int", "float"):
            out[name] = float(value)
        else:
            out[name] = _text(value)
    return out


def to_networkx(store: Store) -> nx.MultiDiGraph:
    """The whole store as a MultiDiGraph with flattened attributes: every node has
    ``label`` (its name, shown by Gephi and yEd), ``nodetype`` (Case, Agency, ...) and
    ``name``; every edge has ``rel`` and ``label`` (the rel) and key = rel."""
    import networkx as nx

    nodes = list(store.nodes())
    types = property_types(p for _i, _l, _n, p in nodes)
    g = nx.MultiDiGraph()
    for nid, label, name, props in nodes:
        attrs = flatten(props, types)
        attrs.update(label=xml_safe(name or nid), nodetype=label, name=xml_safe(name or ""))
        g.add_node(nid, **attrs)
    for src, rel, dst in store.edges():
        if src in g and dst in g:
            g.add_edge(src, dst, key=rel, rel=rel, label=rel)
    return g


def _write_text(out: str | os.PathLike[str] | IO[Any], lines: Iterable[str]) -> None:
    from casegraph.graph.export import write_output

    write_output(out, "\n".join(lines) + "\n")


def write_graphml(store: Store, out: str | os.PathLike[str] | IO[Any]) -> None:
    """GraphML (typed attribute keys) to a path, "-" or a file."""
    import networkx as nx

    lines = list(nx.generate_graphml(to_networkx(store), encoding="utf-8"))
    if lines and not lines[0].startswith("<?xml"):
        lines.insert(0, '<?xml version="1.0" encoding="utf-8"?>')
    _write_text(out, lines)


def write_gexf(store: Store, out: str | os.PathLike[str] | IO[Any]) -> None:
    """GEXF 1.2 (for Gephi) to a path, "-" or a file."""
    import networkx as nx

    _write_text(out, nx.generate_gexf(to_networkx(store), encoding="utf-8"))


# -- neo4j ---------------------------------------------------------------------------

def _neo4j_value(value: Any, kind: str) -> str:
    if value is None or value == "":
        return ""
    if kind == "list":
        items = value if isinstance(value, list) else [value]
        return ARRAY_DELIMITER.join(
            _text(v).replace(ARRAY_DELIMITER, ",") for v in items if v not in (None, ""))
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("int", "float"):
        return str(value)
    return _text(value)


def _header(key: str, kind: str) -> str:
    """A neo4j-admin header field: ``age_days:int``, ``missed:boolean``, ``aliases:string[]``."""
    typ = {"int": "int", "float": "float", "boolean": "boolean", "list": "string[]"}.get(kind)
    return f"{key}:{typ}" if typ else key


def _safe_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)


def neo4j_import_command(folder: str | os.PathLike[str], node_files: Iterable[str],
                         rel_files: Iterable[str], database: str = "neo4j") -> str:
    """The ``neo4j-admin database import full`` command for the files of a folder."""
    base = Path(folder)
    parts = ["neo4j-admin database import full", "--overwrite-destination",
             "--multiline-fields=true"]
    parts += [f"--nodes={shlex.quote(str(base / name))}" for name in node_files]
    parts += [f"--relationships={shlex.quote(str(base / name))}" for name in rel_files]
    parts.append(shlex.quote(database))
    return " ".join(parts)


def write_neo4j_csv(store: Store, out: str | os.PathLike[str]) -> str:
    """A folder of CSV files for ``neo4j-admin database import full``.

    One ``nodes_<Label>.csv`` per node label (header ``id:ID,name,<props>,:LABEL``, with
    typed fields such as ``age_days:int`` and ``missed:boolean``), ``nodes_Evidence.csv``
    for the quotes, and one ``rels_<REL>.csv`` per relationship type
    (``:START_ID,:END_ID,:TYPE``; evidence links are ``EVIDENCED_BY``). Writes the
    import command to README.txt in the folder, prints it on stderr and returns it.
    """
    if not isinstance(out, (str, os.PathLike)) or os.fspath(out) == "-":
        raise CasegraphError("neo4j-csv writes a folder of CSV files; give a folder path")
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise CasegraphError(f"{folder}: neo4j-csv needs a folder, and this is a file")
    folder.mkdir(parents=True, exist_ok=True)

    by_label: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    for nid, label, name, props in store.nodes():
        by_label[label].append((nid, name or "", props))
    known = {nid for rows in by_label.values() for nid, _n, _p in rows}

    node_files: list[str] = []
    for label in sorted(by_label):
        rows = by_label[label]
        types = property_types(p for _i, _n, p in rows)
        keys = sorted(k for k in types if k not in ("id", "name"))
        fname = f"nodes_{_safe_name(label)}.csv"
        with open(folder / fname, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id:ID", "name", *(_header(k, types[k]) for k in keys), ":LABEL"])
            for nid, name, props in sorted(rows):
                w.writerow([nid, _text(name), *(_neo4j_value(props.get(k), types[k])
                                                 for k in keys), label])
        node_files.append(fname)

    by_rel: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for src, rel, dst in store.edges():
        if src in known and dst in known:
            by_rel[rel].append((src, dst))

    evidence = store.query(
        'SELECT e.id, e.owner, d.sha256, e.start, e."end", e.paragraph, e.page, e.quote, e.extractor '
        "FROM evidence e JOIN documents d ON d.id = e.doc ORDER BY e.id")
    ev_rows = [r for r in evidence if r[1] in known]
    if ev_rows:
        fname = "nodes_Evidence.csv"
        with open(folder / fname, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id:ID", "name", "doc", "start:int", "end:int", "paragraph",
                        "page:int", "quote", "extractor", ":LABEL"])
            written: set[str] = set()
            for _rowid, owner, doc, start, end, paragraph, page, quote, extractor in ev_rows:
                key = f"{owner}\x1f{doc}\x1f{start}\x1f{end}"
                eid = "evidence:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
                by_rel["EVIDENCED_BY"].append((owner, eid))
                if eid in written:
                    continue
                written.add(eid)
                w.writerow([eid, _text(quote[:80]), doc,
                            "" if start is None else start, "" if end is None else end,
                            paragraph or "", "" if page is None else page, _text(quote),
                            extractor or "", "Evidence"])
        node_files.append(fname)

    rel_files: list[str] = []
    for rel in sorted(by_rel):
        fname = f"rels_{_safe_name(rel)}.csv"
        with open(folder / fname, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow([":START_ID", ":END_ID", ":TYPE"])
            for src, dst in sorted(set(by_rel[rel])):
                w.writerow([src, dst, rel])
        rel_files.append(fname)

    command = neo4j_import_command(folder, node_files, rel_files)
    (folder / "README.txt").write_text(
        "Import into an empty Neo4j 5 database (stop the database first):\n\n"
        f"{command}\n", encoding="utf-8")
    print(f"neo4j-csv: {len(node_files)} node files and {len(rel_files)} relationship files "
          f"in {folder}; import with:\n{command}", file=sys.stderr)
    return command
