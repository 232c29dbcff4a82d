"""The RDF export at national scale, measured against rdflib in the same run.

On a store (``--store``, or one loaded here from the corpus of ``benchmarks/generate.py``):

a) ``casegraph export --format nt`` through the library, in a fresh child process,
   timed, with the child's peak memory (``getrusage`` ``ru_maxrss``); twice, once
   before and once after (b), the slower of the two judged;
b) rdflib's ``Graph.serialize(format="nt")`` of the same triples: the exported file
   is parsed into rdflib graphs of ``--chunk`` triples each (a whole national graph
   would need over 10 GB in rdflib), and only ``serialize`` of each is timed, in a
   child process; every triple of the export is serialised once;

Times are CPU seconds of the process (user + system, ``time.process_time``), which
other jobs on a shared machine move far less than wall time; wall times are shown
beside them.
c) ``casegraph export --format ttl``, timed, with its size and peak memory;
d) ``casegraph sparql``: building the local index from the store, then the queries
   of ``docs/sparql/repeated-failures.rq`` and ``lessons.rq`` on it.

Targets: N-Triples export at least 5 x faster than rdflib's serialize, and its peak
memory under 300 MiB. The exit code is 1 if one is missed.

    python benchmarks/rdf.py --store national.db
    python benchmarks/rdf.py --reviews 5000 --jobs 2      # generate and load first
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

RATIO_MIN = 5.0
QUERIES = ("repeated-failures", "lessons")  # docs/sparql/*.rq, timed in (d)
PEAK_MAX = 300 * 2**20


def _mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def _peak() -> int:
    unit = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit


def export_child(store_path: str, fmt: str, out: str) -> dict[str, Any]:
    from casegraph.graph.export import export
    from casegraph.graph.store import Store

    store = Store(store_path, create=False)
    t0, c0 = time.perf_counter(), time.process_time()
    export(store, fmt, out)
    return {"wall": time.perf_counter() - t0, "seconds": time.process_time() - c0, "peak": _peak(),
            "bytes": Path(out).stat().st_size}


def rdflib_child(nt_path: str, chunk: int) -> dict[str, Any]:
    """Parse the N-Triples file ``chunk`` lines at a time; time serialize of each graph."""
    from rdflib import Graph

    serialize = parse = wall = 0.0
    triples = out_bytes = 0

    def one(lines: list[str]) -> None:
        nonlocal serialize, parse, wall, triples, out_bytes
        c0 = time.process_time()
        g = Graph()
        g.parse(data="".join(lines), format="nt")
        t1, c1 = time.perf_counter(), time.process_time()
        data = g.serialize(format="nt", encoding="utf-8")
        wall += time.perf_counter() - t1
        serialize += time.process_time() - c1
        parse += c1 - c0
        triples += len(g)
        out_bytes += len(data)

    with open(nt_path, encoding="utf-8") as fh:
        lines: list[str] = []
        for line in fh:
            lines.append(line)
            if len(lines) >= chunk:
                one(lines)
                lines = []
        if lines:
            one(lines)
    return {"serialize": serialize, "wall": wall, "parse": parse, "triples": triples, "bytes": out_bytes,
            "peak": _peak()}


def sparql_child(store_path: str) -> dict[str, Any]:
    from casegraph.graph.sparql import open_index, run_sparql
    from casegraph.graph.store import Store

    store = Store(store_path, create=False)
    t0 = time.perf_counter()
    with open_index(store):
        pass
    out: dict[str, Any] = {"build": time.perf_counter() - t0}
    for name in QUERIES:
        query = (ROOT / "docs" / "sparql" / f"{name}.rq").read_text("utf-8")
        t0, c0 = time.perf_counter(), time.process_time()
        rows = run_sparql(store, query)
        out[name] = {"wall": time.perf_counter() - t0, "seconds": time.process_time() - c0, "rows": len(rows)}
    return {**out, "peak": _peak(),
            "index_bytes": sum(p.stat().st_size for p in Path(f"{store_path}.sparql").rglob("*") if p.is_file())}


def _child(*args: str) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{' '.join(args[:2])} failed with exit code {out.returncode}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="casegraph RDF export benchmark (see the module docstring).")
    parser.add_argument("--store", help="an existing store (else one is loaded from a generated corpus)")
    parser.add_argument("--reviews", type=int, default=5000, help="documents to generate (default 5000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=1_000_000, help="triples per rdflib graph (default 1,000,000)")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        kind, *rest = args.child
        if kind == "export":
            result = export_child(*rest)
        elif kind == "rdflib":
            result = rdflib_child(rest[0], int(rest[1]))
        else:
            result = sparql_child(*rest)
        print(json.dumps(result))
        return 0

    work = Path(tempfile.mkdtemp(prefix="casegraph-rdf-bench-"))
    results: dict[str, Any] = {}
    checks: list[tuple[str, bool]] = []

    def check(label: str, ok: bool, text: str) -> None:
        checks.append((label, ok))
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")

    try:
        if args.store:
            store_path = Path(args.store)
        else:
            from generate import generate

            from casegraph.graph.store import Store
            from casegraph.pipeline import load_paths

            made = generate(work / "corpus", args.reviews, args.seed)
            store_path = work / "store.db"
            load_paths(Store(store_path), [str(work / "corpus")], jobs=args.jobs)
            print(f"loaded {made.reports} reports + {made.news} news articles")
        from casegraph.graph.store import Store

        counts = Store(store_path, create=False).counts()
        print(f"store: {counts['documents']:,} documents, {counts['nodes']:,} nodes, {counts['edges']:,} edges, "
              f"{counts['evidence']:,} evidence quotes")

        nt = work / "graph.nt"
        print("\n(a) casegraph export --format nt (child process)")
        first = _child("export", str(store_path), "nt", str(nt))
        print(f"  {first['seconds']:.1f} CPU s ({first['wall']:.1f} s wall), {_mib(first['bytes'])}, "
              f"peak {_mib(first['peak'])}")

        print(f"\n(b) rdflib Graph.serialize(format='nt') of the same triples, {args.chunk:,} per graph")
        ref = _child("rdflib", str(nt), str(args.chunk))
        print(f"  {ref['triples']:,} triples: parse {ref['parse']:.1f} CPU s (not compared), "
              f"serialize {ref['serialize']:.1f} CPU s ({ref['wall']:.1f} s wall; "
              f"{ref['serialize'] / ref['triples'] * 1e6:.2f} us a triple), peak {_mib(ref['peak'])}")

        print("\n(a) again, after (b)")
        second = _child("export", str(store_path), "nt", str(nt))
        print(f"  {second['seconds']:.1f} CPU s ({second['wall']:.1f} s wall), peak {_mib(second['peak'])}")
        slower = max(first["seconds"], second["seconds"])
        ratio = ref["serialize"] / slower
        peak = max(first["peak"], second["peak"])
        check("nt speed", ratio >= RATIO_MIN,
              f"rdflib serialize {ref['serialize']:.1f} s / export {slower:.1f} s, CPU (the slower of "
              f"{first['seconds']:.1f} and {second['seconds']:.1f}) = {ratio:.1f} x (target >= {RATIO_MIN:.0f} x; "
              f"wall: {ref['wall'] / max(first['wall'], second['wall']):.1f} x)")
        check("nt memory", peak < PEAK_MAX, f"export peak memory {_mib(peak)} (target < {_mib(PEAK_MAX)})")

        print("\n(c) casegraph export --format ttl (child process)")
        ttl = _child("export", str(store_path), "ttl", str(work / "graph.ttl"))
        print(f"  info  {ttl['seconds']:.1f} CPU s ({ttl['wall']:.1f} s wall), {_mib(ttl['bytes'])} "
              f"({ttl['bytes'] / first['bytes']:.0%} of the N-Triples), peak {_mib(ttl['peak'])}")

        print(f"\n(d) casegraph sparql docs/sparql/{{{','.join(QUERIES)}}}.rq (child process)")
        index = Path(f"{store_path}.sparql")
        shutil.rmtree(index, ignore_errors=True)
        sparql = _child("sparql", str(store_path))
        print(f"  info  index built in {sparql['build']:.1f} s wall ({_mib(sparql['index_bytes'])}); "
              f"peak {_mib(sparql['peak'])}")
        for name in QUERIES:
            q = sparql[name]
            print(f"  info  {name}.rq: {q['wall']:.1f} s wall ({q['seconds']:.1f} CPU s), {q['rows']:,} rows")
        results.update(counts=counts, nt=[first, second], rdflib=ref, ratio=ratio, ttl=ttl, sparql=sparql)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    failed = [label for label, ok in checks if not ok]
    results["failed"] = failed
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    print(f"\n{len(checks) - len(failed)}/{len(checks)} targets met" + (f"; missed: {', '.join(failed)}"
                                                                      if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
