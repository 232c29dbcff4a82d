"""The views at national scale: does the default view of a 5,000-review store open
and answer a click at once in a browser, and stay a file one can mail?

Generates and loads the corpus of ``benchmarks/generate.py`` (or uses ``--store``),
then, for the network (the default view) and the matrix:

a) writes the view (``casegraph view``'s library call) and weighs the file;
b) opens it in Chromium (Debian's, driven by Playwright) until the page has drawn
   (``body[data-ready]``), and clicks its busiest line or cell until the side
   panel lists that row's reviews and quotes; ``--repeat`` times, each in a new
   page, the median judged;
c) opens a blank local page in the same browser the same way, the reference the
   page's opening is compared with (the browser's own cost of a page).

Each figure is printed with its target and PASS or FAIL; exit code 1 if any is missed.

    python benchmarks/views.py                       # 5,000 documents
    python benchmarks/views.py --store national.db   # an existing store
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

OPEN_AND_CLICK_MAX = 3.0
FILE_BYTES_MAX = 5 * 2**20
CLICK = {"network": ".cg-badge", "matrix": "td.cg-cell"}


def chromium() -> str:
    for path in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/lib/chromium/chromium"):
        if path and Path(path).exists():
            return path
    sys.exit("no Chromium (apt-get install chromium)")


def busiest(page, kind: str):
    """The line or cell with the largest count: the heaviest click there is."""
    cells = page.locator(CLICK[kind])
    counts = cells.evaluate_all("els => els.map(e => +e.getAttribute('data-n') || +e.textContent)")
    return cells.nth(max(range(len(counts)), key=counts.__getitem__)), max(counts)


def measure(browser, path: Path, kind: str | None) -> tuple[float, float]:
    """(seconds to open, seconds for a click to fill the panel) in a new page."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    t0 = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready]", state="attached")
    opened = time.perf_counter() - t0
    clicked = 0.0
    if kind:
        target, n = busiest(page, kind)
        t0 = time.perf_counter()
        target.dispatch_event("click")
        page.wait_for_function(
            "n => document.querySelector('#cg-panel .cg-meta')?.textContent.startsWith(n + ' review')", arg=n)
        page.locator("#cg-panel blockquote").first.wait_for()
        clicked = time.perf_counter() - t0
    page.close()
    if errors:
        sys.exit(f"{path}: {errors}")
    return opened, clicked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="casegraph views benchmark (see the module docstring).")
    parser.add_argument("--store", help="an existing store instead of generating and loading a corpus")
    parser.add_argument("--reviews", type=int, default=5000, help="documents to generate (default 5000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2, help="extraction processes for the load (default 2)")
    parser.add_argument("--repeat", type=int, default=5, help="openings of each page (default 5)")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from casegraph.graph.store import Store
    from casegraph.graph.views import write_view
    from casegraph.pipeline import load_paths

    work = Path(tempfile.mkdtemp(prefix="casegraph-views-"))
    try:
        store_path = args.store
        if not store_path:
            corpus = work / "corpus"
            generate(corpus, reviews=args.reviews, seed=args.seed)
            store_path = str(work / "store.db")
            t0 = time.perf_counter()
            load_paths(Store(store_path), [str(corpus)], jobs=args.jobs)
            print(f"loaded {args.reviews} documents in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        store = Store(store_path, create=False)
        blank = work / "blank.html"
        blank.write_text('<!DOCTYPE html><html><body data-ready="1"></body></html>', "utf-8")
        failed = False
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
            reference = statistics.median(measure(browser, blank, None)[0] for _ in range(args.repeat))
            print(f"reference: a blank page opens in {reference * 1000:.0f} ms")
            for kind in ("network", "matrix"):
                out = work / f"{kind}.html"
                t0 = time.perf_counter()
                summary = write_view(store, out, kind=kind)
                written = time.perf_counter() - t0
                size = out.stat().st_size
                runs = [measure(browser, out, kind) for _ in range(args.repeat)]
                opened = statistics.median(r[0] for r in runs)
                clicked = statistics.median(r[1] for r in runs)
                total = statistics.median(r[0] + r[1] for r in runs)
                ok_time, ok_size = total < OPEN_AND_CLICK_MAX, size < FILE_BYTES_MAX
                failed |= not (ok_time and ok_size)
                print(f"{kind}: {summary}")
                print(f"  written in {written:.2f} s; file {size / 2**20:.2f} MiB (target < 5 MiB) "
                      f"{'PASS' if ok_size else 'FAIL'}")
                print(f"  opens in {opened * 1000:.0f} ms ({opened / reference:.1f} x a blank page), "
                      f"a click on the busiest {'line' if kind == 'network' else 'cell'} answers in "
                      f"{clicked * 1000:.0f} ms; together {total:.2f} s (target < {OPEN_AND_CLICK_MAX:.0f} s) "
                      f"{'PASS' if ok_time else 'FAIL'}")
            browser.close()
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
