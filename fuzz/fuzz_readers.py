"""Fuzz the readers and the extractor for a number of minutes; not part of CI.

Every input is one file: its first byte picks the suffix (so one input space covers
every reader: text, Markdown, HTML, PDF, DOCX, YAML, JSON and unknown suffixes), the
rest is the file's bytes. Each is read with ``read_document`` and, when readable,
extracted. A failure is any exception other than ``UnreadableDocument``; an
``UnreadableDocument`` whose message is not one line naming the file; any warning or
other output on stderr (a library's log lines beside our one error line); an evidence
span that is not a true slice of the text; an input slower than ``--slow`` seconds.
Failures are collected (the run goes on) and each distinct one is saved with the
input that caused it.

The engine is atheris (coverage-guided libFuzzer, seeded with the bundled samples)
when it is installed, else hypothesis at scale (random bytes, known headers, mutated
samples and texts made of sample lines)::

    .venv/bin/pip install atheris          # optional; not a project dependency
    .venv/bin/python fuzz/fuzz_readers.py --minutes 3
    .venv/bin/python fuzz/fuzz_readers.py --minutes 3 --engine hypothesis --seed 7

Exit code 1 when any failure was found. See docs/robustness.md for recorded runs.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import hashlib
import io
import json
import os
import random
import re
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "casegraph" / "samples" / "corpus"
MAX_LEN = 16384  # larger inputs mostly cost extraction time, not new paths
# One suffix per first-byte value modulo the number of choices.
SUFFIXES = [".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".yaml", ".yml", ".json", ".text",
            ".markdown", ""]
# Imported under atheris instrumentation, so their branches guide the fuzzer.
INSTRUMENTED = ["casegraph", "pypdf", "trafilatura", "docx", "yaml", "charset_normalizer"]


class Harness:
    """Runs one input through read_document and extract; keeps the tally."""

    def __init__(self, out: Path, slow: float) -> None:
        from casegraph.errors import UnreadableDocument
        from casegraph.loaders.extract import extract
        from casegraph.loaders.readers import read_document

        self.read_document = read_document
        self.extract = extract
        self.unreadable_error = UnreadableDocument
        self.work = Path(tempfile.mkdtemp(prefix="casegraph-fuzz-"))
        self.out = out
        self.slow = slow
        self.tried = 0
        self.read = 0
        self.extracted_facts = 0
        self.reasons: collections.Counter[str] = collections.Counter()
        self.failures: dict[str, dict[str, Any]] = {}
        self.slowest = (0.0, "")
        self.started = time.monotonic()

    def run(self, data: bytes) -> None:
        self.tried += 1
        suffix = SUFFIXES[data[0] % len(SUFFIXES)] if data else ".txt"
        payload = data[1:MAX_LEN + 1]
        path = self.work / f"input{suffix}"
        path.write_bytes(payload)
        t0 = time.monotonic()
        noise = io.StringIO()
        try:
            # Anything a library prints or warns would reach the user beside our one line.
            # (recorded, not raised: a raised warning would be swallowed by a reader's
            # own fallback and hide what a user would see).
            with contextlib.redirect_stderr(noise), warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                self._check(path, suffix)
            if caught:
                raise AssertionError(f"warning: {caught[0].category.__name__}: {str(caught[0].message)[:100]}")
            if noise.getvalue():
                raise AssertionError(f"output on stderr: {noise.getvalue()[:100]!r}")
        except Exception as e:  # anything else is a finding: keep it and go on
            self._fail(e, suffix, payload)
        took = time.monotonic() - t0
        if took > self.slowest[0]:
            self.slowest = (took, f"{suffix or '(none)'} input of {len(payload)} bytes")
        if took > self.slow:
            self._record(f"slow: {took:.1f} s for a {suffix} input", "", suffix, payload)

    def _check(self, path: Path, suffix: str) -> None:
        try:
            doc = self.read_document(path)
        except self.unreadable_error as e:
            message = str(e)
            if "\n" in message or not message.startswith(f"{path}: "):
                raise AssertionError(f"error message not one line naming the file: {message!r}") from e
            self.reasons[_reason_kind(e.reason)] += 1
            return
        self.read += 1
        try:
            record = self.extract(doc)
        except self.unreadable_error as e:
            if doc.record is None:
                raise AssertionError("extract refused a text document") from e
            self.reasons["invalid record (extract)"] += 1
            return
        json.dumps(record.to_dict(), default=str)
        if doc.record is None:
            for ev in record.spans():
                self.extracted_facts += 1
                if doc.text[ev["start"]:ev["end"]] != ev["quote"]:
                    raise AssertionError(f"evidence span {ev['start']}:{ev['end']} is not its quote")

    def _fail(self, exc: BaseException, suffix: str, payload: bytes) -> None:
        frames = traceback.extract_tb(exc.__traceback__)
        ours = [f for f in frames if "casegraph" in f.filename] or frames
        where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
        key = f"{type(exc).__name__} at {where}: {str(exc)[:120]}"
        self._record(key, "".join(traceback.format_exception(exc)), suffix, payload)

    def _record(self, key: str, detail: str, suffix: str, payload: bytes) -> None:
        entry = self.failures.setdefault(key, {"count": 0})
        entry["count"] += 1
        if entry["count"] == 1:
            self.out.mkdir(parents=True, exist_ok=True)
            name = hashlib.sha256(payload).hexdigest()[:16] + (suffix or ".noext")
            (self.out / name).write_bytes(payload)
            entry.update(input=str(self.out / name), detail=detail[-2000:])
            print(f"FAILURE {key} -> {self.out / name}", file=sys.stderr, flush=True)

    def report(self, engine: str, as_json: bool) -> int:
        elapsed = time.monotonic() - self.started
        summary = {
            "engine": engine, "minutes": round(elapsed / 60, 2), "inputs_tried": self.tried,
            "read": self.read, "refused": self.tried - self.read - sum(
                f["count"] for f in self.failures.values()),
            "evidence_spans_checked": self.extracted_facts,
            "refusal_reasons": dict(self.reasons.most_common(12)),
            "slowest_input_seconds": round(self.slowest[0], 2), "slowest_input": self.slowest[1],
            "failures": {k: v["count"] for k, v in self.failures.items()},
            "failure_inputs": str(self.out) if self.failures else None,
        }
        if as_json:
            print(json.dumps(summary, ensure_ascii=False))
        else:
            print(f"engine {engine}: {self.tried:,} inputs in {elapsed / 60:.1f} min "
                  f"({self.tried / max(elapsed, 1e-9):,.0f}/s); {self.read:,} read, "
                  f"{summary['refused']:,} refused with a reason, {len(self.failures)} distinct failures")
            print(f"evidence spans checked: {self.extracted_facts:,}; slowest input "
                  f"{self.slowest[0]:.2f} s ({self.slowest[1]})")
            for reason, n in self.reasons.most_common(12):
                print(f"  refused {n:>8,}  {reason}")
            for key, v in self.failures.items():
                print(f"  FAILURE {v['count']:>6,}  {key}\n           input: {v['input']}")
        return 1 if self.failures else 0


def _reason_kind(reason: str) -> str:
    """'cannot decode text (tried utf-8, cp1252)' -> 'cannot decode text'."""
    reason = re.sub(r"\s*\(.*", "", reason)
    reason = re.sub(r"\d[\d,.]*", "N", reason)
    return reason.split(": ")[0].strip() or "?"


def seeds() -> list[bytes]:
    """The bundled samples plus a DOCX, a record and an HTML page, each prefixed with
    the byte that selects its suffix."""
    out = []
    for path in sorted(SAMPLES.iterdir()):
        suffix = path.suffix if path.suffix in SUFFIXES else ""
        out.append(bytes([SUFFIXES.index(suffix)]) + path.read_bytes()[:MAX_LEN])
    try:
        import docx

        document = docx.Document()
        document.add_heading("Child Safeguarding Practice Review: Child Q", 1)
        document.add_paragraph("2.1 Harwick Children's Social Care did not assess the risk from cannabis use.")
        table = document.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text = "Agency"
        table.rows[0].cells[1].text = "Police"
        buf = io.BytesIO()
        document.save(buf)
        out.append(bytes([SUFFIXES.index(".docx")]) + buf.getvalue())
    except Exception as e:  # a seed less, not a reason to stop
        print(f"no DOCX seed: {e}", file=sys.stderr)
    record = ("review: {type: SCR, published: 2019-05-01}\ncase: {locality: Harwick, subjects: "
              "[{pseudonym: Child Q}]}\nfindings:\n  - text: Police did not share information.\n"
              "    themes: [information-sharing]\n    agencies: [Police]\n")
    out.append(bytes([SUFFIXES.index(".yaml")]) + record.encode())
    out.append(bytes([SUFFIXES.index(".json")]) + json.dumps(
        {"review": {"type": "SAR"}, "case": {"subjects": [{"pseudonym": "Mr Z"}]}}).encode())
    return out


# --------------------------------------------------------------------------- engines


def run_atheris(harness: Harness, minutes: float, seed: int, as_json: bool) -> int:
    import atheris

    deadline = time.monotonic() + minutes * 60
    corpus = Path(tempfile.mkdtemp(prefix="casegraph-fuzz-corpus-"))
    for i, data in enumerate(seeds()):
        (corpus / f"seed-{i:02d}").write_bytes(data)

    def one_input(data: bytes) -> None:
        harness.run(data)
        if time.monotonic() > deadline:
            code = harness.report("atheris", as_json)
            sys.stdout.flush()
            os._exit(code)  # libFuzzer would exit without our report

    args = [sys.argv[0], f"-max_len={MAX_LEN}", f"-seed={seed}", "-rss_limit_mb=4096",
            f"-max_total_time={int(minutes * 60) + 120}", "-print_final_stats=0", str(corpus)]
    atheris.Setup(args, one_input)
    atheris.Fuzz()
    return harness.report("atheris", as_json)


def run_hypothesis(harness: Harness, minutes: float, seed: int, as_json: bool) -> int:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis import strategies as st

    deadline = time.monotonic() + minutes * 60
    seed_inputs = seeds()
    lines = [ln for p in sorted(SAMPLES.glob("*.[tm][xd]*")) for ln in p.read_text("utf-8").splitlines()
             if ln.strip()]
    headers = [b"%PDF-1.7\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"<!doctype html><html><body>",
               b"review:\n  type: SCR\n", b'{"review": {}, "case": ', b"\xd0\xcf\x11\xe0"]

    @st.composite
    def inputs(draw: st.DrawFn) -> bytes:
        kind = draw(st.sampled_from(["random", "header", "mutated", "text"]))
        selector = bytes([draw(st.integers(0, 255))])
        if kind == "random":
            return selector + draw(st.binary(max_size=4096))
        if kind == "header":
            return selector + draw(st.sampled_from(headers)) + draw(st.binary(max_size=2048))
        if kind == "text":
            parts = draw(st.lists(st.one_of(st.sampled_from(lines), st.text(max_size=60),
                                            st.sampled_from(["\n", "\n\n", " ", ". ", "\n# ", "\n3.1 "])),
                                  max_size=60))
            encoding = draw(st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]))
            return bytes([draw(st.sampled_from([0, 1, 11]))]) + "".join(parts).encode(encoding, "replace")
        data = bytearray(draw(st.sampled_from(seed_inputs)))
        for _ in range(draw(st.integers(1, 12))):
            pos = draw(st.integers(1, max(1, len(data) - 1)))
            op = draw(st.sampled_from(["flip", "insert", "delete", "cut"]))
            if op == "flip":
                data[pos:pos + 1] = bytes([draw(st.integers(0, 255))])
            elif op == "insert":
                data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
            elif op == "delete":
                del data[pos:pos + draw(st.integers(1, 256))]
            else:
                del data[pos:]
        return bytes(data)

    @settings(max_examples=250, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(inputs())
    def batch(data: bytes) -> None:
        if time.monotonic() < deadline:
            harness.run(data)

    rng = random.Random(seed)
    while time.monotonic() < deadline:
        hypothesis_seed(rng.getrandbits(64))(batch)()
    return harness.report("hypothesis", as_json)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0, help="how long to fuzz (default 3)")
    parser.add_argument("--engine", choices=["auto", "atheris", "hypothesis"], default="auto")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--slow", type=float, default=10.0,
                        help="seconds after which one input counts as a failure (default 10)")
    parser.add_argument("--out", type=Path, help="folder for failing inputs (default: a new temp folder)")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    args = parser.parse_args(argv)
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401
            engine = "atheris"
        except ImportError:
            engine = "hypothesis"
    out = args.out or Path(tempfile.mkdtemp(prefix="casegraph-fuzz-failures-"))
    runner: Callable[[Harness, float, int, bool], int]
    if engine == "atheris":
        import atheris

        with atheris.instrument_imports(include=INSTRUMENTED):
            # The readers import these lazily: import them here to instrument them.
            import charset_normalizer  # noqa: F401
            import docx  # noqa: F401
            import pypdf  # noqa: F401
            import trafilatura  # noqa: F401
            import yaml  # noqa: F401

            harness = Harness(out, args.slow)
        runner = run_atheris
    else:
        harness = Harness(out, args.slow)
        runner = run_hypothesis
    return runner(harness, args.minutes, args.seed, args.json)


if __name__ == "__main__":
    sys.exit(main())
