"""The HTML view in a real browser (headless Chromium): it draws the network, and
script hidden in a document's text does not run."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest

from casegraph.graph.store import Store
from casegraph.graph.view import write_view
from casegraph.loaders.extract import extract
from casegraph.schema.record import Document

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (.ci/run installs it)")

HOSTILE = """\
Harwick Safeguarding Children Partnership
Child safeguarding practice review: Child Z <script>document.title='pwned'</script>

1. INTRODUCTION

1.1 Child Z died aged 3 months in May 2021. <img src=x onerror="document.title='pwned'">

2. ANALYSIS

2.1 Information was not shared by Harwick Children's Social Care <b onmouseover="document.title='pwned'">x</b>.
"""


def _dom(path, tmp_path) -> str:
    out = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", "--dump-dom",
         path.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def test_view_draws_and_runs_no_document_script(tmp_path):
    store = Store(tmp_path / "s.db")
    doc = Document("hostile.txt", hashlib.sha256(HOSTILE.encode()).hexdigest(), HOSTILE)
    store.load(extract(doc))
    page = tmp_path / "view.html"
    write_view(store, page)
    dom = _dom(page, tmp_path)
    assert "<canvas" in dom  # vis-network drew the graph
    assert "<title>pwned</title>" not in dom
    assert "Child Z" in dom
