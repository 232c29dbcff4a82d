"""The README's command-line examples answer on the bundled samples (the store of
`make demo`): every query, SPARQL and stats example returns rows, every view draws
something."""

from __future__ import annotations

import json
import re
import shlex

import pytest
from conftest import ROOT

from casegraph.cli import main


def _examples(*commands: str) -> list[list[str]]:
    readme = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"## The command line by example\n+```sh\n(.*?)```", readme, re.S)
    assert block, "README has a command-line block"
    found = []
    for line in block.group(1).splitlines():
        if not line.startswith("casegraph "):
            continue
        args = shlex.split(line, comments=True)
        # Neo4j examples need a server (tests/test_neo4j.py runs the queries there).
        if args[1] in commands and "--backend" not in args:
            found.append(args[1:])
    return found


EXAMPLES = _examples("query", "sparql", "stats")
VIEWS = _examples("view")


def test_the_readme_shows_query_examples():
    queries = {args[1] for args in EXAMPLES if args[0] == "query"}
    assert {"repeated-failures", "lessons", "recommendations", "case", "agency", "path", "search"} <= queries


@pytest.mark.parametrize("args", EXAMPLES, ids=" ".join)
def test_a_readme_example_returns_rows_on_the_samples(args, sample_store, runner, monkeypatch):
    monkeypatch.chdir(ROOT)  # the SPARQL examples name their files from the repository's root
    # A later --format wins: every example read as JSON, whatever it shows.
    result = runner.invoke(main, [*args, "--format", "json", "--store", sample_store.path])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list) and rows, f"`casegraph {shlex.join(args)}` returns no rows on the samples"


@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
def test_a_readme_view_draws_something_of_the_samples(args, sample_store, runner, tmp_path):
    out = tmp_path / args[args.index("-o") + 1]
    args = [out if a == out.name else a for a in args]
    result = runner.invoke(main, [*map(str, args), "--store", sample_store.path])
    assert result.exit_code == 0, result.output
    counts = re.match(rf"{re.escape(str(out))}: \w+: (\d+) [^,]+, (\d+) ", result.stderr.splitlines()[-1])
    assert counts and all(int(n) > 0 for n in counts.groups()), result.stderr
    assert out.stat().st_size > 0
