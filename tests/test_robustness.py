"""Broken and hostile input: nothing lost, nothing executed, every failure explained.

Through the command line (``casegraph load PATH --store DB``): bad files each give
one error line naming the file and the reason while the rest of the batch loads;
the exit code reports failures; nothing is half-loaded. Through real processes: a
load killed with SIGKILL at random moments leaves a sound store that a re-run
completes; two loads and a reader on one store at once, and two processes creating
the same new store at once, lose nothing. The store refuses files of another schema
version or another kind. Document text, file names and search words are data, never
SQL or FTS syntax.

The crash and concurrency tests scale from the environment for longer runs (see
docs/robustness.md): CASEGRAPH_STRESS_TRIALS (kill trials, default 5),
CASEGRAPH_STRESS_ROUNDS (concurrent-load and creation-race rounds, default 1 and 3),
CASEGRAPH_STRESS_SEED (default 20240611).
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SAMPLES

from casegraph.cli import main
from casegraph.errors import StoreError
from casegraph.graph import store as store_module
from casegraph.graph import tables
from casegraph.graph.queries import run_query
from casegraph.graph.store import Store
from casegraph.graph.tables import SCHEMA_VERSION
from casegraph.graph.writer import Writer
from casegraph.loaders.readers import MAX_EXTRACT_CHARS
from casegraph.pipeline import load_paths

TRIALS = int(os.environ.get("CASEGRAPH_STRESS_TRIALS", "5"))
ROUNDS = int(os.environ.get("CASEGRAPH_STRESS_ROUNDS", "1"))
SEED = int(os.environ.get("CASEGRAPH_STRESS_SEED", "20240611"))
TABLES = ("meta", "documents", "nodes", "node_docs", "edges", "evidence", "facts", "failures",
          "failure_counts", "review_themes", "tallies")


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def documents(path: Path) -> int:
    with Store(path, create=False) as store:
        return store.counts()["documents"]


def stderr_lines(result: Result) -> list[str]:
    return [ln for ln in result.stderr.splitlines() if ln.strip()]


# --------------------------------------------------------------------------- bad files


def _pdf_bytes(pages: int = 1, encrypt: str | None = None, clone: bytes | None = None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(clone)) if clone else PdfWriter()
    for _ in range(0 if clone else pages):
        writer.add_blank_page(595, 842)
    if encrypt:
        # RC4 needs no optional crypto library, so the reader's own check is what fails.
        writer.encrypt(user_password=encrypt, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _bad_files(folder: Path) -> dict[str, str]:
    """Write every kind of bad file into ``folder``; returns name -> expected reason."""
    pdf = (SAMPLES / "dunmore-dhr-ms-a-summary.pdf").read_bytes()
    story = (SAMPLES / "harwick-child-l-cspr-2021.txt").read_bytes()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("review.txt", "not a PDF at all")
    files = {
        "empty.txt": (b"", "empty file"),
        "blank.md": (b"  \n\n\t\n", "empty file (only whitespace)"),
        "binary.txt": (random.Random(1).randbytes(8192), "binary file, not text"),
        "photo.jpeg": (b"\xff\xd8\xff\xe0" + random.Random(2).randbytes(4000), "binary file, not text"),
        "truncated.pdf": (pdf[: len(pdf) // 2], "not a valid PDF (truncated or damaged)"),
        "header-only.pdf": (b"%PDF-1.7\n", "not a valid PDF"),
        "encrypted.pdf": (_pdf_bytes(clone=pdf, encrypt="secret"), "PDF is encrypted"),
        "scanned.pdf": (_pdf_bytes(pages=2), "PDF has no text layer; OCR it first"),
        "zip-renamed.pdf": (archive.getvalue(), "is a zip archive, not a PDF"),
        "page.pdf": (b"<!DOCTYPE html><html><body>x</body></html>", "is a web page (HTML), not a PDF"),
        "fake.docx": (b"just text", "not a DOCX file"),
        "broken.yaml": (b"review: [unclosed\n", "invalid YAML"),
        "shapeless.yaml": (b"review: {}\nfindings: [{}]\n", "invalid record"),
        # 50 MB of real review text, and one 10 MB line: both far past what extraction
        # can do in reasonable time, so refused at once with the limit named.
        "fifty-mb.txt": ((story * (50 * 2**20 // len(story) + 1))[: 50 * 2**20], "text too long to extract"),
        "one-line.txt": ((story.replace(b"\n", b" ") * (10 * 2**20 // len(story) + 1))[: 10 * 2**20],
                         "text too long to extract"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return {name: reason for name, (_, reason) in files.items()}


def _good_files(folder: Path) -> dict[str, str]:
    """Files that are odd but readable; returns name -> expected title fragment."""
    news = (SAMPLES / "news-harwick-child-l-bbc.txt").read_text("utf-8")
    body = news.split("\n", 1)[1]
    files = {
        "cp1252.txt": ("Caf\u00e9 \u2013 \u201cChild L\u201d review\n" + body).encode("cp1252"),
        "latin1.txt": ("Na\u00efve r\u00e9sum\u00e9 \u00bd \u00a3 Child L\n" + body).encode("latin-1"),
        "utf16.txt": "\ufeffUTF-16 \u2013 Child L\n".encode("utf-16-le") + body.encode("utf-16-le"),
        "nested.html": ("<html><body>" + "<div>" * 20000 + "<h1>Deep page</h1><p>" + body.replace("\n", " ")
                        + "</p>" + "</div>" * 20000 + "</body></html>").encode(),
        "unclosed.html": b"<html><body><h1>Unclosed tags</h1><p>Child L <b>lived <i>in Harwick" + b"<p>x" * 2000,
        "sample.md": (SAMPLES / "harwick-baby-r-scr-2017.md").read_bytes(),
        # pypdf logs kilobytes per page, at ERROR level, for a font encoding it does not know.
        "odd-encoding.pdf": (SAMPLES / "dunmore-dhr-ms-a-summary.pdf").read_bytes().replace(
            b"/WinAnsiEncoding", b"/WinAnsiEncodarwick"),
        # A paragraph opening on a no-break space just before an agency's name.
        "no-break.txt": ("No-break spaces \u2013 Child L\n\n\u00a0 Police " + body).encode(),
    }
    titles = {"cp1252.txt": "Caf\u00e9 \u2013 \u201cChild L\u201d review",
              "latin1.txt": "Na\u00efve r\u00e9sum\u00e9 \u00bd \u00a3 Child L",
              "utf16.txt": "UTF-16 \u2013 Child L", "nested.html": "Deep page",
              "unclosed.html": "Unclosed tags", "sample.md": "Harwick Safeguarding Children Board",
              "odd-encoding.pdf": "Domestic Homicide Review - Ms A", "no-break.txt": "No-break spaces"}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return titles


def test_bad_files_one_line_each_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    bad = _bad_files(folder)
    good = _good_files(folder)
    db = tmp_path / "s.db"
    started = time.monotonic()
    # A folder yields known suffixes only: the photo is named on its own, like the missing file.
    result = cli("load", str(folder), str(folder / "photo.jpeg"), str(tmp_path / "missing.txt"), "--store", str(db))
    assert time.monotonic() - started < 45
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = stderr_lines(result)
    errors = [ln for ln in lines if ln.startswith("error: ")]
    # Every stderr line is an error line or the summary: no tracebacks, no warnings.
    assert lines[-1] == (f"{len(good)} loaded, 0 replaced, 0 unchanged, {len(bad) + 1} failed -> {db}")
    assert len(errors) == len(lines) - 1 == len(bad) + 1, lines
    for name, reason in bad.items():
        mine = [ln for ln in errors if ln.startswith(f"error: {folder / name}: ")]
        assert len(mine) == 1 and reason in mine[0], (name, mine)
    assert f"error: {tmp_path / 'missing.txt'}: no such file" in errors
    assert f"limit {MAX_EXTRACT_CHARS:,}" in next(ln for ln in errors if "fifty-mb" in ln)

    with Store(db, create=False) as store:
        assert store.check() == []
        loaded = {Path(r["path"]).name: r["title"] for r in store.query("SELECT path, title FROM documents")}
    assert set(loaded) == set(good)
    for name, title in good.items():
        assert title in loaded[name], (name, loaded[name])

    again = cli("load", str(folder), "--store", str(db))
    assert again.exit_code == 1
    assert stderr_lines(again)[-1].startswith(f"0 loaded, 0 replaced, {len(good)} unchanged, {len(bad) - 1} failed")
    assert documents(db) == len(good)
    for name in ("fifty-mb.txt", "one-line.txt"):  # 60 MB need not wait for tmp clean-up
        (folder / name).unlink()


def test_library_log_lines_do_not_reach_the_user(tmp_path: Path) -> None:
    """In a real process (pytest captures logging itself, hiding what a user would see)
    a PDF that pypdf complains about loads with nothing on stderr but the summary."""
    pdf = tmp_path / "odd-encoding.pdf"
    pdf.write_bytes((SAMPLES / "dunmore-dhr-ms-a-summary.pdf").read_bytes().replace(
        b"/WinAnsiEncoding", b"/WinAnsiEncodarwick"))
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(pdf.read_bytes()[:6000])
    url = tmp_path / "link.html"  # parsers warn or log about markup that looks like a URL
    url.write_text("https://example.org/reviews/child-l.pdf")
    db = tmp_path / "s.db"
    run = subprocess.run(_load_cmd(db, pdf, truncated, url), capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        f"error: {truncated}: not a valid PDF (truncated or damaged)",
        f"2 loaded, 0 replaced, 0 unchanged, 1 failed -> {db}"]


def test_every_file_failing_leaves_no_store_or_a_sound_one(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    db = tmp_path / "s.db"
    result = cli("load", str(tmp_path / "a.txt"), "--store", str(db))
    assert result.exit_code == 1 and stderr_lines(result)[0] == f"error: {tmp_path / 'a.txt'}: empty file"
    assert not db.exists()  # a first load that reads nothing writes no store
    Store(db).close()
    result = cli("load", str(tmp_path / "a.txt"), "--store", str(db))
    assert result.exit_code == 1 and documents(db) == 0 and Store(db).check() == []


def test_malformed_records_fail_alone(tmp_path: Path) -> None:
    """Hand-written records of the wrong shape used to crash the whole batch."""
    shapes = {
        "no-text.yaml": "review: {}\nfindings: [{}]\n",
        "no-name.yaml": "review: {type: SCR}\nagencies: [{}]\n",
        "odd-evidence.yaml": "review: {}\nfindings: [{text: x, evidence: [{foo: 1}]}]\n",
        "string-list.yaml": "review: {}\nfindings: abc\n",
        "list-pseudonym.yaml": "review: {}\ncase: {subjects: [{pseudonym: [1, 2]}]}\n",
        "number-risk.yaml": "review: {}\nrisk_factors: [3]\n",
        "string-subjects.json": '{"review": {}, "case": {"subjects": "x"}}',
    }
    for name, text in shapes.items():
        (tmp_path / name).write_text(text)
    shutil.copy(SAMPLES / "news-harwick-child-l-bbc.txt", tmp_path / "z-good.txt")
    db = tmp_path / "s.db"
    result = cli("load", str(tmp_path), "--store", str(db))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    errors = [ln for ln in stderr_lines(result) if ln.startswith("error: ")]
    assert len(errors) == len(shapes), stderr_lines(result)
    for name in shapes:
        assert sum(ln.startswith(f"error: {tmp_path / name}: ") for ln in errors) == 1, name
    assert documents(db) == 1 and Store(db).check() == []


def test_a_fault_in_extraction_fails_that_file_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An extractor raising on one odd document (a bug of ours) fails that file with
    one line, as a bad file does; the others load."""
    import casegraph.loaders.extract as extract_module

    real = extract_module.extract

    def faulty(doc: object) -> object:
        if str(getattr(doc, "path", "")).endswith("b-odd.txt"):
            raise IndexError("list index out of range")
        return real(doc)

    monkeypatch.setattr(extract_module, "extract", faulty)
    for name in ("a-good.txt", "b-odd.txt", "c-good.txt"):
        shutil.copy(SAMPLES / "news-harwick-child-l-bbc.txt", tmp_path / name)
    (tmp_path / "c-good.txt").write_text((tmp_path / "c-good.txt").read_text() + "\nAnother line.\n")
    db = tmp_path / "s.db"
    result = cli("load", str(tmp_path), "--store", str(db))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    errors = [ln for ln in stderr_lines(result) if ln.startswith("error: ")]
    assert errors == [f"error: {tmp_path / 'b-odd.txt'}: could not be extracted (IndexError: list index out of range)"]
    assert documents(db) == 2 and Store(db).check() == []


def _fail_writing(monkeypatch: pytest.MonkeyPatch, sha: str, message: str, rollback: bool = False):
    """Make the store fail with ``message`` halfway through writing document ``sha``
    (its nodes, edges and evidence written); returns the real method to restore."""
    real = Writer.link_successors

    def failing(self: Writer, frag: object, *args: object) -> None:
        if getattr(frag, "sha", None) == sha:
            if rollback:
                self.db.execute("ROLLBACK")
            raise sqlite3.OperationalError(message)
        real(self, frag, *args)

    monkeypatch.setattr(Writer, "link_successors", failing)
    return real


def test_a_write_failing_midway_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store fails after writing half a document: that file errors, its rows go."""
    for name in ("news-harwick-child-l-bbc.txt", "news-harwick-child-l-courier.html",
                 "news-dunmore-sar-mr-t.txt"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    victim = tmp_path / "news-harwick-child-l-courier.html"
    sha = hashlib.sha256(victim.read_bytes()).hexdigest()
    real = _fail_writing(monkeypatch, sha, "disk I/O error (simulated)")
    db = tmp_path / "s.db"
    result = cli("load", str(tmp_path), "--store", str(db))
    assert result.exit_code == 1
    errors = [ln for ln in stderr_lines(result) if ln.startswith("error: ")]
    assert errors == [f"error: {victim}: store {db}: OperationalError: disk I/O error (simulated)"]
    with Store(db, create=False) as store:
        assert store.check() == [] and store.counts()["documents"] == 2
        assert not store.has_document(sha)
        for table in ("edges", "evidence", "facts", "node_docs", "failures", "review_themes"):
            assert store.query(f"SELECT count(*) FROM {table} WHERE doc NOT IN "
                               "(SELECT id FROM documents) AND doc != 0")[0][0] == 0
    monkeypatch.setattr(Writer, "link_successors", real)
    assert cli("load", str(tmp_path), "--store", str(db)).exit_code == 0
    assert documents(db) == 3


def test_a_batch_rolled_back_by_sqlite_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite itself gives up the whole transaction (as on disk full): the error names
    the documents of the uncommitted batch that went with it, and nothing is half there."""
    names = ("news-dunmore-sar-mr-t.txt", "news-harwick-child-l-bbc.txt", "news-harwick-child-l-courier.html")
    for name in names:
        shutil.copy(SAMPLES / name, tmp_path / name)
    victim = tmp_path / names[-1]
    sha = hashlib.sha256(victim.read_bytes()).hexdigest()
    # ROLLBACK: what SQLite does itself after SQLITE_FULL or SQLITE_IOERR.
    real = _fail_writing(monkeypatch, sha, "database or disk is full (simulated)", rollback=True)
    db = tmp_path / "s.db"
    result = cli("load", str(tmp_path), "--store", str(db))
    assert result.exit_code == 1
    errors = [ln for ln in stderr_lines(result) if ln.startswith("error: ")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {victim}: ")
    assert "the 2 document(s) loaded since the last commit were rolled back too" in errors[0]
    assert all(str(tmp_path / name) in errors[0] for name in names[:2])
    with Store(db, create=False) as store:
        assert store.check() == [] and store.counts()["documents"] == 0
    monkeypatch.setattr(Writer, "link_successors", real)
    assert cli("load", str(tmp_path), "--store", str(db)).exit_code == 0
    assert documents(db) == 3


def test_replacing_a_document_leaves_no_edge_pointing_nowhere(tmp_path: Path) -> None:
    """The news names the Partnership, the report the Board it SUCCEEDS; a new version
    of the report without the Board used to leave that edge pointing at nothing."""
    report = tmp_path / "report.md"
    report.write_bytes((SAMPLES / "harwick-baby-r-scr-2017.md").read_bytes())
    shutil.copy(SAMPLES / "news-harwick-child-l-bbc.txt", tmp_path / "news.txt")
    db = tmp_path / "s.db"
    assert cli("load", str(tmp_path), "--store", str(db)).exit_code == 0
    with Store(db, create=False) as store:
        assert list(store.edges("SUCCEEDS"))
    text = report.read_text("utf-8")
    for name in ("Harwick Safeguarding Children Board", "HSCB", "the Board"):
        text = text.replace(name, "the review group")
    report.write_text(text, encoding="utf-8")
    result = cli("load", str(tmp_path), "--store", str(db))
    assert result.exit_code == 0 and "1 replaced" in result.stderr
    with Store(db, create=False) as store:
        assert store.check() == [] and store.counts()["documents"] == 2
        assert not list(store.edges("SUCCEEDS"))


# --------------------------------------------------------------------------- processes


def _corpus(folder: Path, copies: int, pattern: str = "*") -> list[Path]:
    """``copies`` of every sample (matching ``pattern``), each with a small edit so no
    two share bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(copies):
        for src in sorted(SAMPLES.glob(pattern)):
            data = src.read_bytes()
            if src.suffix == ".pdf":
                data += f"\n% copy {i}\n".encode()  # after %%EOF: ignored by readers
            elif src.suffix == ".html":
                data = data.replace(b"</body>", f"<p>Copy {i} of this page.</p></body>".encode())
            else:
                data += f"\n\nCopy {i} of this document.\n".encode()
            dst = folder / f"{src.stem}-{i:02d}{src.suffix}"
            dst.write_bytes(data)
            out.append(dst)
    return out


def _load_cmd(store: Path, *paths: Path | str) -> list[str]:
    return [sys.executable, "-m", "casegraph.cli", "load", *map(str, paths), "--store", str(store)]


def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    """Series of up to five SIGKILLs of ``casegraph load`` at random moments, each series
    on a new store and finished by a run that must complete it. After every kill the
    store passes PRAGMA integrity_check and Store.check(), and no document committed
    before is missing."""
    files = _corpus(tmp_path / "corpus", 6)
    assert len(files) >= 40
    rng = random.Random(SEED)
    killed = 0
    series = -(-TRIALS // 5)
    for n in range(series):
        db = tmp_path / f"crash-{n}.db"
        seen = 0
        for _ in range(min(5, TRIALS - 5 * n)):
            proc = subprocess.Popen(_load_cmd(db, tmp_path / "corpus"), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.2, 2.5))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed += 1
            proc.wait(timeout=120)
            if not db.exists():
                continue
            assert integrity(db) == "ok"
            with Store(db) as store:
                assert store.check() == []
                now = store.counts()["documents"]
            assert now >= seen  # a committed document is never lost
            seen = now
        done = subprocess.run(_load_cmd(db, tmp_path / "corpus"), capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert f"{len(files) - seen} loaded, 0 replaced, {seen} unchanged, 0 failed" in done.stderr
        assert integrity(db) == "ok"
        with Store(db, create=False) as store:
            assert store.check() == [] and store.counts()["documents"] == len(files)
        for leftover in tmp_path.glob(f"crash-{n}.db*"):
            leftover.unlink()
    assert killed >= TRIALS // 2  # most kills land before the load ends by itself
    print(f"crash trials: {killed} SIGKILLs in {series} series of {len(files)} documents; "
          f"0 documents lost, 0 corrupt stores")


def _load_and_die_inside(db: str, folder: str, nth: int) -> None:
    """Load ``folder``, SIGKILLing this process halfway through writing document ``nth``
    (its nodes, edges and evidence written, its documents row and COMMIT not yet)."""
    from casegraph.pipeline import load_paths

    seen = 0
    real = Writer.link_successors

    def die_midway(self: Writer, frag: object, *args: object) -> None:
        nonlocal seen
        seen += 1
        if seen == nth:
            os.kill(os.getpid(), signal.SIGKILL)
        real(self, frag, *args)

    Writer.link_successors = die_midway  # type: ignore[method-assign]
    load_paths(Store(db), [folder])


def test_sigkill_inside_a_transaction_rolls_it_back(tmp_path: Path) -> None:
    """Random kills mostly land between transactions; this one lands inside one."""
    files = _corpus(tmp_path / "corpus", 3, "news-*")  # the quick ones: 12 documents
    ctx = multiprocessing.get_context("fork")
    db = tmp_path / "s.db"
    done = 0
    for nth in (1, 4, 9):
        child = ctx.Process(target=_load_and_die_inside, args=(str(db), str(tmp_path / "corpus"), nth))
        child.start()
        child.join(timeout=120)
        assert child.exitcode == -signal.SIGKILL
        assert integrity(db) == "ok"
        with Store(db) as store:
            assert store.check() == []
            # Documents of committed batches are there (never fewer than before this
            # run); the victim, written halfway, is not, and nothing of it is left.
            now = store.counts()["documents"]
            assert done <= now <= done + nth - 1
            done = now
            assert store.query("SELECT count(*) FROM node_docs WHERE doc NOT IN "
                               "(SELECT id FROM documents)")[0][0] == 0
    final = cli("load", str(tmp_path / "corpus"), "--store", str(db))
    assert final.exit_code == 0 and documents(db) == len(files)


def _indexes(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                            "AND name NOT LIKE 'sqlite_%'")}


def _load_commit_each_and_die(db: str, folder: str, nth: int) -> None:
    """Load ``folder`` committing after every document, and SIGKILL this process
    while it writes document ``nth``: the documents before it are stored."""
    store_module._BATCH_SECONDS = 0
    _load_and_die_inside(db, folder, nth)


def test_a_first_load_builds_its_indexes_at_the_end_even_when_killed(tmp_path: Path) -> None:
    """A load into an empty store drops the indexes no load reads and builds them at
    its end. Killed before then, it leaves them to the next load; the store is sound
    and answers the same meanwhile, and `validate` says why it is slow."""
    files = _corpus(tmp_path / "corpus", 1, "news-*")
    whole = tmp_path / "whole.db"
    assert cli("load", str(tmp_path / "corpus"), "--store", str(whole)).exit_code == 0
    every = _indexes(whole)
    assert set(tables.DEFERRED_INDEXES) < every
    with Store(whole, create=False) as store:
        assert not store.indexes_deferred() and store.check() == []

    db = tmp_path / "s.db"
    child = multiprocessing.get_context("fork").Process(
        target=_load_commit_each_and_die, args=(str(db), str(tmp_path / "corpus"), 3))
    child.start()
    child.join(timeout=120)
    assert child.exitcode == -signal.SIGKILL
    assert not _indexes(db) & set(tables.DEFERRED_INDEXES)
    with Store(db, create=False) as store:
        assert store.indexes_deferred() and store.check() == []
        assert store.counts()["documents"] == 2
        assert run_query(store, "cases") and run_query(store, "search", text="police")
    result = cli("validate", "--store", str(db))
    assert "a load was stopped before building its indexes" in result.stderr
    assert cli("load", str(tmp_path / "corpus"), "--store", str(db)).exit_code == 0
    assert _indexes(db) == every and documents(db) == len(files)
    with Store(db, create=False) as store, Store(whole, create=False) as full:
        assert not store.indexes_deferred() and store.check() == []
        assert run_query(store, "repeated-failures", min_reviews=1) == \
            run_query(full, "repeated-failures", min_reviews=1)


def test_two_loads_and_a_reader_at_once(tmp_path: Path) -> None:
    files = _corpus(tmp_path / "corpus", 6)
    per_copy = len(files) // 6
    first, second = files[: 4 * per_copy], files[2 * per_copy:]  # two copies in both
    total_reads = 0
    for round_ in range(ROUNDS):
        db = tmp_path / f"shared-{round_}.db"  # new: both processes create it at once
        procs = [subprocess.Popen(_load_cmd(db, *part), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True) for part in (first, second)]
        reads = 0
        cli_read = None
        while any(p.poll() is None for p in procs):
            if db.exists():
                # Queries in this process while both write; one CLI query beside them.
                with Store(db, create=False) as store:
                    run_query(store, "cases")
                    run_query(store, "search", text="cannabis assessment")
                    store.counts()
                reads += 1
                if cli_read is None:
                    cli_read = subprocess.run(
                        [sys.executable, "-m", "casegraph.cli", "query", "cases", "--store", str(db),
                         "--format", "json"], capture_output=True, text=True, timeout=120)
            time.sleep(0.05)
        for p in procs:
            _, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
        assert reads > 0
        total_reads += reads
        assert cli_read is not None and cli_read.returncode == 0, cli_read.stderr
        json.loads(cli_read.stdout)
        assert integrity(db) == "ok"
        with Store(db, create=False) as store:
            assert store.check() == []
            assert store.counts()["documents"] == len(files)
    print(f"concurrent loads: {2 * ROUNDS} loads in {ROUNDS} rounds ({len(first)} + {len(second)} files, "
          f"{len(files)} distinct), {total_reads} in-process reads while they wrote; 0 lost, 0 corrupt")


def _open_at(path: str, start: float, queue: multiprocessing.Queue) -> None:
    time.sleep(max(0.0, start - time.time()))
    try:
        Store(path).close()
        queue.put("ok")
    except Exception as e:  # reported to the test, which fails on it
        queue.put(f"{type(e).__name__}: {e}")


def test_many_processes_create_one_store_at_once(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    Store(tmp_path / "warm.db").close()  # vocabulary parsed once, before the fork
    for round_ in range(max(3, ROUNDS * 3)):
        path = str(tmp_path / f"race-{round_}.db")
        queue: multiprocessing.Queue = ctx.Queue()
        start = time.time() + 0.3
        procs = [ctx.Process(target=_open_at, args=(path, start, queue)) for _ in range(6)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=120)
        outcomes = [queue.get(timeout=10) for _ in procs]
        assert outcomes == ["ok"] * len(procs)
        with Store(path, create=False) as store:
            assert store.check() == []
            assert store.query("SELECT value FROM meta WHERE key='schema_version'")[0][0] == str(SCHEMA_VERSION)
    print(f"creation races: {max(3, ROUNDS * 3)} rounds of 6 processes creating one store; 0 errors")


# --------------------------------------------------------------------------- versions


def _set_version(db: Path, value: str) -> None:
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value=? WHERE key='schema_version'", (value,))


@pytest.mark.parametrize(("version", "message"), [
    ("0", f"store schema version 0, this casegraph reads version {SCHEMA_VERSION} and cannot migrate it; "
          "reload the documents into a new store"),
    ("99", "store schema version 99 was written by a newer casegraph"),
    ("one", "store schema version 'one' is not a number"),
])
def test_other_schema_versions_are_refused(tmp_path: Path, version: str, message: str) -> None:
    db = tmp_path / "s.db"
    Store(db).close()
    _set_version(db, version)
    with pytest.raises(StoreError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Store(db)
    for args in (["query", "cases"], ["load", str(SAMPLES / "news-harwick-child-l-bbc.txt")]):
        result = cli(*args, "--store", str(db))
        assert result.exit_code == 1
        [line] = stderr_lines(result)
        assert line.startswith(f"Error: {db}: {message}"), line


def test_older_store_is_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "s.db"
    cli("load", str(SAMPLES / "news-harwick-child-l-bbc.txt"), "--store", str(db))
    monkeypatch.setattr(tables, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(tables, "MIGRATIONS", {
        SCHEMA_VERSION: lambda db: db.execute("ALTER TABLE documents ADD COLUMN note TEXT")})
    with Store(db) as store:
        assert store.query("SELECT value FROM meta WHERE key='schema_version'")[0][0] == str(SCHEMA_VERSION + 1)
        assert store.query("SELECT note FROM documents")[0][0] is None
        assert store.counts()["documents"] == 1


def test_version_2_store_is_migrated(tmp_path: Path) -> None:
    """A store of schema 2 (no kept recommendation groups, a words index, failures
    without years) opens as the current schema; its recommendations are computed
    until a load keeps them, its failures are filtered by year as before."""
    db = tmp_path / "s.db"
    cli("load", str(SAMPLES), "--store", str(db))
    with Store(db) as store:
        expected = run_query(store, "recommendations", threshold=0.1)
        since = run_query(store, "repeated-failures", min_reviews=1, since=2018)
        until = run_query(store, "repeated-failures", min_reviews=1, until=2017, by="agency-type")
    assert expected and since and until
    con = sqlite3.connect(db)
    con.executescript("DROP TABLE rec_groups; DELETE FROM meta WHERE key = 'rec_groups'; "
                      "CREATE INDEX rec_words_words ON rec_words(words, review); "
                      "DROP INDEX failures_type; ALTER TABLE failures DROP COLUMN year; "
                      "CREATE INDEX failures_type ON failures(agency_type, theme, review); "
                      "UPDATE meta SET value = '2' WHERE key = 'schema_version';")
    con.close()
    with Store(db) as store:
        assert store.query("SELECT value FROM meta WHERE key='schema_version'")[0][0] == str(SCHEMA_VERSION)
        assert not store.query("SELECT name FROM sqlite_master WHERE name = 'rec_words_words'")
        assert run_query(store, "recommendations", threshold=0.1) == expected
        # Version 3 -> 4: the failures learn their reviews' years.
        assert store.check() == []
        assert run_query(store, "repeated-failures", min_reviews=1, since=2018) == since
        assert run_query(store, "repeated-failures", min_reviews=1, until=2017, by="agency-type") == until
        load_paths(store, [str(SAMPLES)])
        assert store.query("SELECT count(*) FROM rec_groups")[0][0] > 0
        assert run_query(store, "recommendations", threshold=0.1) == expected
        assert store.check() == []


def test_foreign_files_as_store_are_refused_untouched(tmp_path: Path) -> None:
    sqlite_file = tmp_path / "other.sqlite"
    with sqlite3.connect(sqlite_file) as con:
        con.execute("CREATE TABLE meta (key TEXT, value TEXT)")  # a table name we share
        con.execute("CREATE TABLE people (name TEXT)")
    text_file = tmp_path / "notes.txt"
    text_file.write_text("these are my notes, not a database\n" * 100)
    for path, message in ((sqlite_file, "an SQLite file that is not a casegraph store (it has tables people)"),
                          (text_file, "not a casegraph store (file is not a database)")):
        before = path.read_bytes()
        for args in (["load", str(SAMPLES / "news-harwick-child-l-bbc.txt")], ["query", "cases"], ["stats"]):
            result = cli(*args, "--store", str(path))
            assert result.exit_code == 1
            assert result.stderr.strip() == f"Error: {path}: {message}", result.output
        assert path.read_bytes() == before
    with sqlite3.connect(sqlite_file) as con:
        assert {r[0] for r in con.execute("SELECT name FROM sqlite_master")} == {"meta", "people"}


def test_store_in_a_missing_folder_is_explained(tmp_path: Path) -> None:
    folder = tmp_path / "no" / "such" / "folder"
    for args in (["load", str(SAMPLES / "news-harwick-child-l-bbc.txt")], ["query", "cases"], ["stats"]):
        result = cli(*args, "--store", str(folder / "s.db"))
        assert result.exit_code == 1
        assert result.stderr.strip() == f"Error: {folder / 's.db'}: the folder {folder} does not exist"
    (tmp_path / "file").write_text("a file, not a folder")
    under_file = tmp_path / "file" / "s.db"
    result = cli("load", str(SAMPLES / "news-harwick-child-l-bbc.txt"), "--store", str(under_file))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {under_file}: the folder {tmp_path / 'file'} is not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_files_without_a_store_are_read_as_none_and_left_as_they_are(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    bare = tmp_path / "bare.db"  # an SQLite file with no tables at all
    with sqlite3.connect(bare) as con:
        con.execute("PRAGMA user_version = 7")
    for path, reason in ((empty, "an empty file"), (bare, "an SQLite file without casegraph's tables")):
        before = path.read_bytes()
        for args in (["query", "cases"], ["query", "repeated-failures"], ["stats"], ["validate"],
                     ["view", "-o", str(tmp_path / "v.html")], ["export", "--format", "nt", "-o", "-"]):
            result = cli(*args, "--store", str(path))
            assert result.exit_code == 1, (args, result.output)
            assert result.stderr.strip() == f"Error: {path}: not a casegraph store ({reason})", args
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bare.db", "empty.db"]
    result = cli("load", str(SAMPLES / "news-harwick-child-l-bbc.txt"), "--store", str(empty))  # loading makes it one
    assert result.exit_code == 0, result.output
    assert documents(empty) == 1


# --------------------------------------------------------------------------- injection


HOSTILE = "'; DROP TABLE nodes; --"


def test_hostile_names_and_text_are_only_data(tmp_path: Path) -> None:
    news = (SAMPLES / "news-harwick-child-l-bbc.txt").read_text("utf-8")
    names = ["child l's \"review\" (2021).txt", "ребёнок Л – 東京 👶.txt", f"{HOSTILE}.txt",
             "space  and\ttab.md", "%_percent_%.txt"]
    folder = tmp_path / "in"
    folder.mkdir()
    for i, name in enumerate(names):
        # SQL, FTS and HTML inside a sentence the extractors keep as a finding's evidence.
        hostile = f" {HOSTILE} Robert'); DROP TABLE documents;-- \"quoted\" NEAR(a b) * <script>alert({i})</script>"
        body = news.replace("Information was not shared", f"Information{hostile} was not shared")
        assert body != news
        (folder / name).write_text(body, encoding="utf-8")
    db = tmp_path / "s.db"
    result = cli("load", str(folder), "--store", str(db))
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(TABLES) <= tables
    with Store(db, create=False) as store:
        assert store.check() == [] and store.counts()["documents"] == len(names)
        quotes = [r[0] for r in store.query("SELECT quote FROM evidence WHERE quote LIKE ?", (f"%{HOSTILE}%",))]
    assert quotes and all(HOSTILE in q for q in quotes)

    cases = cli("query", "cases", "--store", str(db), "--format", "json")
    assert cases.exit_code == 0
    listed = {Path(d).name for row in json.loads(cases.stdout) for d in row["documents"]}
    assert set(names) <= listed
    table = cli("query", "cases", "--store", str(db), "--format", "csv")  # the table cuts long paths
    assert all(name in table.stdout for name in ("ребёнок Л – 東京 👶.txt", HOSTILE))

    found = cli("query", "search", "DROP TABLE nodes", "--store", str(db), "--format", "json")
    assert found.exit_code == 0 and HOSTILE in found.stdout.replace("[", "").replace("]", "")


@pytest.mark.parametrize("words", [
    '"', '"unbalanced quote', "cannabis*", "NEAR(cannabis assess", "cannabis -assess", "cannabis - assess",
    "cannabis AND OR NOT", "^start", "col:cannabis", "(((", HOSTILE, "a\x00b", "ребёнок 東京", "*",
])
def test_search_takes_any_characters(sample_store: Store, words: str) -> None:
    result = cli("query", "search", words, "--store", sample_store.path)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if any(ch.isalnum() for ch in words):
        assert result.exit_code == 0, result.output
    else:  # nothing to search for: one clear line
        assert result.exit_code == 1 and result.stderr.strip() == "Error: search needs at least one word"


@pytest.mark.parametrize("query", [["agency", HOSTILE], ["case", "%"], ["case", "_"], ["path", HOSTILE, "' OR 1=1 --"]])
def test_lookups_with_hostile_names_fail_cleanly(sample_store: Store, query: list[str]) -> None:
    before = sample_store.counts()
    result = cli("query", *query, "--store", sample_store.path)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    if result.exit_code == 1:
        assert len(stderr_lines(result)) == 1 and result.stderr.startswith("Error: ")
    assert sample_store.counts() == before
