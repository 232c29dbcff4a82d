"""Shared fixtures: the bundled samples, the seed corpus when present, a CLI
runner and stores loaded from them."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from casegraph.graph.neo4j import Connection, connection_from_env
from casegraph.graph.store import Store
from casegraph.pipeline import load_paths

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "casegraph" / "samples" / "corpus"
SHARED = ROOT.parent / "shared" / "corpus"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold.yaml"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed corpus ../shared not present")


def load_samples(store: Store, *names: str) -> Store:
    """Load bundled sample documents, by file name, into ``store``."""
    from casegraph.pipeline import extract_path

    for name in names:
        record = extract_path(SAMPLES / name)
        assert not record.errors, record.errors
        store.load(record)
    return store


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("samples") / "samples.db"
    store = Store(path)
    report = load_paths(store, [str(SAMPLES)])
    assert report.ok, report.errors
    return store


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    if not SEEDS.is_dir():
        pytest.skip("seed corpus ../shared not present")
    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    store = Store(path)
    report = load_paths(store, [str(SEEDS)])
    assert report.ok, report.errors
    return store


@pytest.fixture(scope="session")
def bolt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connection]:
    """A Bolt server for the session: NEO4J_URI's (its database gets cleared), or
    ArcadeDB with its Bolt plugin started here from the arcadedb-embedded package."""
    if os.environ.get("NEO4J_URI"):
        yield connection_from_env()
        return
    sys.path.insert(0, str(Path(__file__).parent))
    import bolt_server

    if bolt_server.package_dir() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("arcadedb-embedded is missing: CI must run the live Neo4j tests")
        pytest.skip("no Bolt server: pip install arcadedb-embedded, or set NEO4J_URI")
    server = bolt_server.start(tmp_path_factory.mktemp("arcadedb"))
    try:
        yield Connection(server.uri, server.user, server.password)
    finally:
        server.stop()
