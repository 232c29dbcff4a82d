"""Property-based tests (hypothesis) over the readers and the extractors.

Arbitrary text never makes :func:`casegraph.loaders.extract.extract` raise; every
evidence span it returns is a true slice of the text; the same input gives the same
record, also under another hash seed; arbitrary bytes given to
:func:`casegraph.loaders.readers.read_document` either read or raise
:class:`~casegraph.errors.UnreadableDocument`, never anything else.

Texts are drawn from pieces of the bundled samples (headings, numbered paragraphs,
agency names) shuffled with arbitrary unicode, so the extractors' real paths run,
not only their "nothing found here" exits.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from casegraph.errors import UnreadableDocument
from casegraph.loaders.extract import extract
from casegraph.loaders.readers import SUFFIXES, read_document
from casegraph.schema.record import Document

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "casegraph" / "samples" / "corpus"

SETTINGS = settings(max_examples=120, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _sample_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted(SAMPLES.glob("*.txt")) + sorted(SAMPLES.glob("*.md")):
        lines += [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines


LINES = _sample_lines()
SEPARATORS = ["\n", "\n\n", " ", ". ", "\t", "\r\n", "\n# ", "\n1.2 ", "\n- ", "\u2029", "\x0c",
              "\n\n\u00a0 ", "\u00a0", "\u3000"]

# A text: sample lines, arbitrary unicode and separators, in any order.
texts = st.lists(
    st.one_of(st.sampled_from(LINES), st.text(max_size=80), st.sampled_from(SEPARATORS)),
    max_size=40,
).map("".join)


def _document(text: str, kind: str = "report", pages: list[int] | None = None) -> Document:
    return Document(path="generated.txt", sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
                    text=text, kind=kind, title=text[:40], pages=pages or [])


@SETTINGS
@given(text=texts, kind=st.sampled_from(["report", "news"]))
@example(text="", kind="report")
@example(text="\n\n\n", kind="news")
@example(text="1.1 " * 500, kind="report")
@example(text="Recommendations\n\n" + "Recommendation 1: \n" * 50, kind="report")
@example(text="'; DROP TABLE nodes; --\n\nChildren's Social Care (CSC) did not. CSC", kind="report")
@example(text="Summary\n\n\u00a0 Police attended the home.", kind="report")  # no word before the name
def test_extract_never_raises_and_quotes_are_true_spans(text: str, kind: str) -> None:
    record = extract(_document(text, kind))
    json.dumps(record.to_dict(), default=str)  # the record is the JSON contract
    for ev in record.spans():
        assert 0 <= ev["start"] <= ev["end"] <= len(text), ev
        assert text[ev["start"]:ev["end"]] == ev["quote"], ev


@SETTINGS
@given(text=texts)
def test_extract_is_deterministic(text: str) -> None:
    assert extract(_document(text)).to_dict() == extract(_document(text)).to_dict()


@settings(SETTINGS, max_examples=40)
@given(text=texts, cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=5))
def test_pages_never_break_evidence(text: str, cuts: list[int]) -> None:
    """A PDF's page offsets (any, even nonsense) only label evidence with a page."""
    pages = sorted({0, *(c % (len(text) + 1) for c in cuts)})
    record = extract(_document(text, pages=pages))
    for ev in record.spans():
        assert text[ev["start"]:ev["end"]] == ev["quote"]


def test_extraction_does_not_depend_on_the_hash_seed() -> None:
    """Set iteration order changes with PYTHONHASHSEED; the records must not."""
    code = ("import json, sys; from casegraph.pipeline import extract_path; "
            "print(json.dumps([extract_path(p).to_dict() for p in sys.argv[1:]], sort_keys=True, default=str))")
    files = [str(p) for p in sorted(SAMPLES.iterdir())]
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", code, *files], capture_output=True, text=True,
                             env=env, timeout=120, check=True)
        outs.append(run.stdout)
    assert outs[0] == outs[1]


# --------------------------------------------------------------------------- bytes

SAMPLE_BYTES = {p.suffix: p.read_bytes() for p in sorted(SAMPLES.iterdir())}
HEADERS = [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
           b"<!doctype html><html><body>", b"review:\n  type: SCR\n", b'{"review": {}, "case": ',
           b"\xd0\xcf\x11\xe0"]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A suffix and bytes: arbitrary, a known header plus junk, or a sample with
    bytes flipped, inserted or cut off."""
    suffix = draw(st.sampled_from([*SUFFIXES, ".bin", ""]))
    how = draw(st.sampled_from(["random", "header", "sample"]))
    if how == "random":
        return suffix, draw(st.binary(max_size=2000))
    if how == "header":
        return suffix, draw(st.sampled_from(HEADERS)) + draw(st.binary(max_size=500))
    base = SAMPLE_BYTES.get(suffix) or SAMPLE_BYTES[draw(st.sampled_from(sorted(SAMPLE_BYTES)))]
    data = bytearray(base)
    for _ in range(draw(st.integers(0, 8))):
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if data and draw(st.booleans()):
            data[pos] = draw(st.integers(0, 255))
        else:
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return suffix, bytes(data)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bytes")


@settings(SETTINGS, max_examples=150)
@given(case=mutated())
@example(case=(".pdf", b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>"))
@example(case=(".docx", b"PK\x03\x04" + b"\x00" * 40))
@example(case=(".yaml", b"a: &a [*a, *a]\nreview: {}\n"))
@example(case=(".json", b"[" * 100_000))
@example(case=(".html", b"<div>" * 30_000))
@example(case=(".txt", "caf\u00e9 \u2013 na\u00efve".encode("cp1252")))
def test_read_document_raises_only_unreadable(scratch: Path, case: tuple[str, bytes]) -> None:
    suffix, data = case
    path = scratch / f"input{suffix}"
    path.write_bytes(data)
    try:
        doc = read_document(path)
    except UnreadableDocument as e:
        assert str(path) in str(e) and "\n" not in str(e)
        return
    assert isinstance(doc.text, str) and doc.sha256 == hashlib.sha256(data).hexdigest()
    try:  # what was read goes through the extractors too
        record = extract(doc)
    except UnreadableDocument as e:  # only a curated record of the wrong shape
        assert doc.record is not None and str(path) in str(e)
        return
    if doc.record is None:
        for ev in record.spans():
            assert doc.text[ev["start"]:ev["end"]] == ev["quote"]


# Words around the places where the regexes tried only at their first words can
# match, run together with spaces, hyphens, commas and quotes.
_PIECES = ["Baby", "Child", "Infant", "Young Person", "Adult", "Mr", "Mrs", "Ms", "Miss", "T", "Matt", "died",
           "dies", "death", "dead", "deadline", "killed", "fatal", "serious", "seriously", "harm", "injured",
           "survived", "fracture", "fractures", "known as", "called", "referred to as", "named only as",
           "x", "_", "the", "“", "'", ".", ",", "six", "Arthur Labinjo-Hughes", "12", "local", "national",
           "child", "adult", "safeguarding practice review", "child safeguarding practice reviews",
           "serious case review", "safeguarding adults review", "adult safeguarding review",
           "domestic homicide review", "domestic abuse related death review", "concise child practice review",
           "extended adult practice review", "child practice review", "adult practice reviews", "referred to her as",
           "named him as", "referred to them", "identified", "Jo"]


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from([" ", "", "-", "\n", ", "])), max_size=40))
def test_patterns_tried_at_their_first_words_find_what_a_scan_finds(parts: list[tuple[str, str]]) -> None:
    from casegraph.loaders import entities, reviews
    from casegraph.loaders import extract as ex
    from casegraph.schema.vocabulary import after_words, at_word_starts, find_all, fold, matches_at

    text = "".join(p + sep for p, sep in parts)
    spans = lambda matches: [m.span() for m in matches]  # noqa: E731
    for pattern, prefixes in entities._PSEUDO:
        assert spans(after_words(pattern, text, prefixes)) == spans(after_words(pattern, text))
    starts = entities._prefix_starts(text)
    assert list(starts) == [find_all(text, words) for words in entities._PREFIXES]
    assert spans(at_word_starts(entities._REFERRED, text, starts.referred)) \
        == spans(after_words(entities._REFERRED, text))
    low = fold(text)
    for pattern, prefixes in ((ex._DIED, ex._DIED_STARTS), (ex._HARMED, ex._HARMED_STARTS)):
        assert spans(after_words(pattern, low, prefixes)) == spans(after_words(pattern, low))
    starts = [i - 1 for i in find_all(text, entities._NAMED_AS_WORDS) if i]
    assert spans(matches_at(entities._NAMED_AS, text, starts)) == spans(entities._NAMED_AS.finditer(text))
    for _, words, firsts, _, _ in reviews._TYPE_RES:
        assert spans(matches_at(words, low, find_all(low, firsts))) == spans(words.finditer(low))
