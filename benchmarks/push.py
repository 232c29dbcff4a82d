"""The Neo4j push benchmark: `casegraph push neo4j` against a real Bolt server.

Starts ArcadeDB with its Bolt plugin from the arcadedb-embedded package (the
`test` extra), or uses the server of NEO4J_URI (whose database it clears), and
in one run, on that one server:

a) one MERGE per row, each in its own write transaction, for the graph of the
   first ``--subset`` documents of the store, into an empty database (after one
   batched pass over the same rows, cleared again, so that neither measurement
   pays for the server's warming up);
b) the same rows in batches of ``UNWIND $rows AS row MERGE ...`` (the push's own
   statements), into an empty database again; the ratio of a) and b) in nodes +
   relationships written per second (target: at least 10 x);
c) `casegraph push neo4j` of the whole store into an empty database, timed.

The store is ``--store PATH``, or the generated corpus (``--reviews``, default
5,000) loaded into a temporary one.

    python benchmarks/push.py --store national.db
    python benchmarks/push.py --reviews 500 --subset 20
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

RATIO_MIN = 10.0


def _store(args: argparse.Namespace, tmp: Path) -> Any:
    from casegraph.graph.store import Store
    from casegraph.pipeline import load_paths

    if args.store:
        return Store(args.store, create=False)
    from generate import generate

    corpus = tmp / "corpus"
    generate(corpus, reviews=args.reviews, seed=args.seed)
    store = Store(tmp / "store.db")
    began = time.monotonic()
    report = load_paths(store, [str(corpus)], jobs=args.jobs)
    print(f"loaded {report.loaded} documents in {time.monotonic() - began:.0f} s", file=sys.stderr)
    return store


def _write(tx: Any, cypher: str, params: dict[str, Any]) -> None:
    tx.run(cypher, params).consume()


def _clear(session: Any) -> None:
    # In slices: one transaction deleting a national graph would need all of it in memory.
    while session.execute_write(lambda tx: tx.run(
            "MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS n").single()["n"]):
        pass


def _timed(session: Any, batches: list[Any], per_row: bool) -> tuple[float, int]:
    """Seconds to write ``batches`` and the nodes + relationships they hold."""
    items = sum((b.nodes + b.relationships) * len(b.rows) for b in batches)
    began = time.perf_counter()
    for b in batches:
        if per_row:
            single = b.cypher.replace("UNWIND $rows AS row ", "WITH $row AS row ", 1)
            for row in b.rows:
                session.execute_write(_write, single, {"row": row})
        else:
            session.execute_write(_write, b.cypher, {"rows": b.rows})
    return time.perf_counter() - began, items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="casegraph push benchmark (see the module docstring).")
    parser.add_argument("--store", help="a loaded store (default: generate and load a corpus)")
    parser.add_argument("--reviews", type=int, default=5000, help="documents to generate (default 5000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2, help="extraction processes when loading (default 2)")
    parser.add_argument("--subset", type=int, default=200,
                        help="documents of the per-row comparison (default 200)")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    from casegraph.graph.neo4j import Connection, connection_from_env, open_session
    from casegraph.graph.neo4j_push import batches, constraints, push

    with tempfile.TemporaryDirectory(prefix="casegraph-push-") as tmp:
        store = _store(args, Path(tmp))
        server = None
        if os.environ.get("NEO4J_URI"):
            conn = connection_from_env()
        else:
            import bolt_server

            server = bolt_server.start(Path(tmp) / "arcadedb", heap="2g")
            conn = Connection(server.uri, server.user, server.password)
        try:
            docs = [r[0] for r in store.rows("SELECT id FROM documents ORDER BY id LIMIT ?", (args.subset,))]
            subset = list(batches(store, docs, args.batch_size))
            figures: dict[str, Any] = {"server": "NEO4J_URI" if server is None else "ArcadeDB (arcadedb-embedded)",
                                       "documents": store.counts()["documents"], "subset_documents": len(docs)}
            with open_session(conn) as session:
                for statement in constraints():
                    session.execute_write(_write, statement, {})
                for mode, per_row in (("warm-up", False), ("per_row", True), ("batched", False)):
                    _clear(session)
                    seconds, items = _timed(session, subset, per_row)
                    if mode == "warm-up":
                        continue
                    figures[mode] = {"seconds": round(seconds, 2), "items": items,
                                     "per_second": round(items / seconds)}
                    print(f"{mode:8} {items:,} nodes + relationships in {seconds:.1f} s: "
                          f"{items / seconds:,.0f} per second", file=sys.stderr)
                _clear(session)
            ratio = figures["batched"]["per_second"] / figures["per_row"]["per_second"]
            figures["ratio"] = round(ratio, 1)
            report = push(store, conn, args.batch_size, full=True)
            items = report.nodes + report.relationships
            figures["full_push"] = {"seconds": round(report.seconds, 1), "items": items,
                                    "per_second": round(items / report.seconds), "batches": report.batches}
        finally:
            if server is not None:
                server.stop()
    ok = ratio >= RATIO_MIN
    print(f"batched / per row: {ratio:.1f} x (target >= {RATIO_MIN:.0f} x) {'PASS' if ok else 'FAIL'}")
    print(f"push of the whole store ({figures['documents']:,} documents): {report.seconds:.1f} s, "
          f"{items:,} nodes + relationships, {items / report.seconds:,.0f} per second")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
