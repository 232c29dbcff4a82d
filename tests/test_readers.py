"""Format readers: every input is built in tmp_path; every failure names file and reason."""

from __future__ import annotations

import hashlib
import json
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from casegraph.errors import UnreadableDocument
from casegraph.loaders.readers import (
    SUFFIXES,
    find_published,
    guess_kind,
    iter_paths,
    read_document,
)

# --------------------------------------------------------------------------- helpers


def _pdf_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal valid PDF: one Helvetica text line per entry, top to bottom.

    Built by hand (objects, xref offsets, trailer) so the tests need no PDF library.
    A page given as [] has an empty content stream: no text layer.
    """
    n = len(pages)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n)), n),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, lines in enumerate(pages):
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
        ops += [f"({_pdf_string(line)}) Tj T*" for line in lines]
        ops.append("ET")
        stream = "\n".join(ops if lines else ["0 0 100 100 re f"]).encode("latin-1")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def fails(path: Path | str, reason: str) -> UnreadableDocument:
    """Reading ``path`` raises UnreadableDocument naming the file and ``reason``."""
    with pytest.raises(UnreadableDocument) as info:
        read_document(path)
    message = str(info.value)
    assert str(path) in message
    assert reason in message
    assert "\n" not in message
    return info.value


REPORT_PAGES = [
    [
        "Safeguarding Partnership - Child Safeguarding Practice Review",
        "Child Q: Review Report",
        "Date of report: January 2016",
        "1.1 This review was commissioned after a serious incident involving Child Q and",
        "her family, who had been known to several agencies for a number of years.",
        "1.2 The school nurse carried out an assess-",
        "ment of the family in March and shared it with",
        "the social care team the same week.",
        "Page 1 of 3",
    ],
    [
        "Safeguarding Partnership - Child Safeguarding Practice Review",
        "2.1 The health visitor saw the baby at home on four occasions during the period",
        "under review and recorded no concerns about the home conditions at the time.",
        "Page 2 of 3",
    ],
    [
        "Safeguarding Partnership - Child Safeguarding Practice Review",
        "3.1 Recommendations",
        "The partnership should review how referrals are shared between agencies.",
        "Page 3 of 3",
    ],
]


# --------------------------------------------------------------------------- text


def test_suffixes_cover_every_format():
    for suffix in (".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".yaml", ".yml", ".json"):
        assert suffix in SUFFIXES


def test_utf8_text(tmp_path):
    body = "Headline about a review\r\nSecond line – with a dash\r\n"
    path = write(tmp_path, "news.txt", body)
    doc = read_document(str(path))
    assert doc.path == str(path)
    assert doc.text == "Headline about a review\nSecond line – with a dash\n"
    assert doc.sha256 == hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert doc.title == "Headline about a review"
    assert doc.kind == "news"
    assert doc.pages == []


def test_path_is_kept_as_given(tmp_path, monkeypatch):
    write(tmp_path, "a.txt", "Title\n")
    monkeypatch.chdir(tmp_path)
    assert read_document("./a.txt").path == "./a.txt"


def test_utf8_with_bom(tmp_path):
    data = b"\xef\xbb\xbfChild A review\nbody\n"
    doc = read_document(write(tmp_path, "bom.txt", data))
    assert doc.text == "Child A review\nbody\n"
    assert doc.title == "Child A review"
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_cp1252_text(tmp_path):
    data = "The children’s social care team – “urgent”\n".encode("cp1252")
    doc = read_document(write(tmp_path, "cp.txt", data))
    assert doc.text == "The children’s social care team – “urgent”\n"


def test_latin1_text(tmp_path):
    data = "Café meeting with the naïve père\n".encode("latin-1")
    doc = read_document(write(tmp_path, "latin.txt", data))
    assert doc.text == "Café meeting with the naïve père\n"


def test_mostly_utf8_with_a_stray_windows_quote(tmp_path):
    data = "Café – the team\n".encode() + b"children\x92s services\n"
    doc = read_document(write(tmp_path, "mixed.txt", data))
    assert doc.text == "Café – the team\nchildren’s services\n"


def test_utf16_with_bom(tmp_path):
    data = "\ufeffNotes on Child B\n".encode("utf-16-le")
    assert read_document(write(tmp_path, "u16.txt", data)).text == "Notes on Child B\n"


def test_markdown_title_and_unknown_suffix_as_text(tmp_path):
    assert read_document(write(tmp_path, "r.md", "\n\n# The review\n")).title == "The review"
    assert read_document(write(tmp_path, "notes.log", "plain notes\n")).text == "plain notes\n"


def test_empty_file(tmp_path):
    fails(write(tmp_path, "empty.txt", b""), "empty file")
    fails(write(tmp_path, "blank.txt", b"  \n\n "), "empty file")


def test_binary_file(tmp_path):
    fails(write(tmp_path, "blob.txt", bytes(range(256)) * 4), "binary file, not text")
    fails(write(tmp_path, "ctrl.txt", b"\x01\x02\x03\x04abc\x05\x06\x07" * 50), "binary file")
    # A PDF given a .txt name gets a hint.
    fails(write(tmp_path, "report.txt", make_pdf([["x"]])), "looks like a PDF")


def test_undecodable_text(tmp_path, monkeypatch):
    from casegraph.loaders.readers import decoding

    monkeypatch.setattr(decoding, "_guess_encoding", lambda data: None)
    data = b"abc " + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 20 + b" def\n"
    fails(write(tmp_path, "odd.txt", data), "cannot decode text (tried utf-8, cp1252, latin-1)")


def test_permission_denied(tmp_path, monkeypatch):
    path = write(tmp_path, "locked.txt", "secret\n")

    def deny(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", deny)  # chmod would not stop root
    fails(path, "permission denied")


def test_too_large_text_is_refused(tmp_path, monkeypatch):
    from casegraph.loaders.readers import registry

    monkeypatch.setattr(registry, "MAX_TEXT_BYTES", 10)
    monkeypatch.setattr(registry, "_TEXT_READERS", {registry.read_text})
    fails(write(tmp_path, "big.txt", "x" * 11), "file too large for a text file")


def test_folder_and_missing_file(tmp_path):
    fails(tmp_path, "is a folder, not a file")
    fails(tmp_path / "nope.txt", "no such file")


# --------------------------------------------------------------------------- dates, kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" date 2022-06-27 Some headline\nbody", "2022-06-27"),
        ("Headline\nPosted: 29th June 2022\n", "2022-06-29"),
        ("Published: 3 March 2021 by Staff", "2021-03-03"),
        ("Date of report: January 2016\n", "2016-01"),
        ("**Published:** June 2022", "2022-06"),
        ("Publication date: 29/06/2022", "2022-06-29"),
        ("Posted on June 29, 2022", "2022-06-29"),
        ("Date of birth: 12 March 2001\nNo publication date here", None),
        ("Published: 31 February 2022", None),
        ("\n" * 45 + "Published: 3 March 2021", None),
    ],
)
def test_find_published(text, expected):
    assert find_published(text) == expected


def test_date_line_title_and_published(tmp_path):
    doc = read_document(write(tmp_path, "n.txt", " date 2022-06-27 Baby death review\nText.\n"))
    assert doc.title == "Baby death review"
    assert doc.published == "2022-06-27"
    doc = read_document(write(tmp_path, "p.txt", "Posted: 29th June 2022\n\nCouncil apology\n"))
    assert doc.title == "Council apology"
    assert doc.published == "2022-06-29"


def test_guess_kind():
    filler = "The family was known to services. " * 500
    numbered = "\n".join(f"- 6.{i} Paragraph {i} of the analysis." for i in range(1, 10))
    assert guess_kind("A short story.\n" + numbered) == "news"
    assert guess_kind(filler + "\n" + numbered) == "report"
    assert guess_kind(filler + "\nRecommendations\n1. Do better.\n") == "report"
    assert guess_kind(filler) == "news"


def test_long_numbered_text_is_a_report(tmp_path):
    body = "".join(f"{i}.1 Paragraph {i} " + "words " * 400 + "\n" for i in range(1, 10))
    assert read_document(write(tmp_path, "r.txt", "Review\n" + body)).kind == "report"


# --------------------------------------------------------------------------- HTML

ARTICLE_HTML = """<!doctype html>
<html><head><title>Review published | Local News</title>
<meta property="article:published_time" content="2022-06-29T09:00:00+01:00">
<script>var tracking = "SCRIPT TEXT";</script><style>.x { color: red }</style></head>
<body class="has-sidebar">
<header><a href="/">Local News</a></header>
<nav><ul><li>Home</li><li>NAV LINK</li></ul></nav>
<div class="cookie-banner">We use COOKIES</div>
<main>
 <article>
  <h1>Serious case review into the death of Child A</h1>
  <p>A review has found that agencies
     missed <b>several</b> chances to help.</p>
  <div class="share-bar">SHARE THIS</div>
  <p>The report made<br>five recommendations.</p>
  <ol><li>Improve information sharing.</li><li>Train staff.</li></ol>
  <table><tr><th>Agency</th><th>Contacts</th></tr><tr><td>Police</td><td>3</td></tr></table>
  <aside>RELATED STORIES</aside>
  <section id="comments">COMMENT BY READER</section>
 </article>
</main>
<footer>FOOTER TEXT</footer>
</body></html>
"""


def test_html_article_only(tmp_path):
    doc = read_document(write(tmp_path, "story.html", ARTICLE_HTML))
    for junk in ("SCRIPT", "color", "NAV LINK", "COOKIES", "SHARE", "RELATED", "COMMENT", "FOOTER"):
        assert junk not in doc.text
    assert doc.text.split("\n\n") == [
        "Serious case review into the death of Child A",
        "A review has found that agencies missed several chances to help.",
        "The report made\nfive recommendations.",
        "1. Improve information sharing.",
        "2. Train staff.",
        "Agency\tContacts\nPolice\t3",
    ]
    assert doc.title == "Serious case review into the death of Child A"
    assert doc.published == "2022-06-29"
    assert doc.kind == "news"


def test_html_time_element_and_title_tag(tmp_path):
    html = (
        "<html><head><title>Council statement</title></head><body>"
        '<p>Posted <time datetime="2021-03-04">4 March</time></p><p>Body text.</p></body></html>'
    )
    doc = read_document(write(tmp_path, "s.htm", html))
    assert doc.title == "Council statement"
    assert doc.published == "2021-03-04"


def test_html_declared_charset(tmp_path):
    html = '<html><head><meta charset="windows-1252"></head><body><p>children’s</p></body></html>'
    assert read_document(write(tmp_path, "w.html", html.encode("cp1252"))).text == "children’s"


def test_html_falls_back_to_tag_strip(tmp_path, monkeypatch):
    import trafilatura

    def explode(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(trafilatura, "bare_extraction", explode)
    doc = read_document(write(tmp_path, "f.html", ARTICLE_HTML))
    assert "Serious case review into the death of Child A" in doc.text
    assert "missed several chances" in doc.text
    assert "SCRIPT TEXT" not in doc.text


def test_deeply_nested_html(tmp_path):
    depth = 100_000
    html = "<html><body>" + "<div>" * depth + "deep text" + "</div>" * depth + "</body></html>"
    doc = read_document(write(tmp_path, "deep.html", html))
    assert "deep text" in doc.text


def test_html_without_text(tmp_path):
    fails(write(tmp_path, "blank.html", "<html><script>x()</script></html>"), "no readable text")


# --------------------------------------------------------------------------- PDF


def test_pdf_headers_footers_removed_and_pages_recorded(tmp_path):
    path = write(tmp_path, "review.pdf", make_pdf(REPORT_PAGES))
    doc = read_document(path)
    assert doc.kind == "report"
    assert "Safeguarding Partnership" not in doc.text
    assert "Page " not in doc.text
    assert len(doc.pages) == 3
    assert doc.pages[0] == 0
    assert doc.text[doc.pages[1] :].startswith("2.1 The health visitor")
    assert doc.text[doc.pages[2] :].startswith("3.1 Recommendations")
    assert doc.text[doc.pages[1] - 2 : doc.pages[1]] == "\n\n"
    # Hyphenation repaired, wrapped lines joined, numbered paragraphs kept on their own line.
    assert "assessment of the family in March and shared it with the social care team" in doc.text
    assert "\n1.2 The school nurse" in doc.text
    assert "Child Q and her family" in doc.text
    assert "\n3.1 Recommendations\nThe partnership" in doc.text
    assert doc.title == "Child Q: Review Report"
    assert doc.published == "2016-01"


def test_pdf_repeated_footer_with_numbers_removed(tmp_path):
    pages = [
        [f"Report of Child R - page {i}", f"Body of the {word} page.", "More text.",
         "Last line.", f"Confidential draft v{i} 2022", f"- {i} -"]
        for i, word in enumerate(["first", "second", "third"], 1)
    ]  # fmt: skip
    doc = read_document(write(tmp_path, "f.pdf", make_pdf(pages)))
    assert "Confidential" not in doc.text
    assert "Report of Child R" not in doc.text
    assert doc.text.startswith("Body of the first page.\nMore text.\nLast line.\n\nBody of the")


def test_join_wrapped_lines():
    from casegraph.loaders.readers.pdf import _join_wrapped

    wide = "The review panel met the practitioners who had worked with the family at"
    lines = [
        "Findings",
        "6.3 The social worker visited the home on several occasions and found the",
        "children well cared for, although the house was cold.",
        wide,
        "Children's Social Care in June and again in August of that year.",
        wide,
        "6.4 The next numbered paragraph starts on its own line.",
        "",
        "The partnership should:",
        "a) improve the re-",
        "ferral form;",
        "b) train staff in the use of the pathway.",
    ]
    assert _join_wrapped(lines).split("\n") == [
        "Findings",
        "6.3 The social worker visited the home on several occasions and found the children "
        "well cared for, although the house was cold.",
        f"{wide} Children's Social Care in June and again in August of that year.",
        wide,
        "6.4 The next numbered paragraph starts on its own line.",
        "",
        "The partnership should:",
        "a) improve the referral form;",
        "b) train staff in the use of the pathway.",
    ]


def test_pdf_encrypted(tmp_path):
    from pypdf import PdfReader, PdfWriter

    def encrypted(user: str) -> bytes:
        writer = PdfWriter()
        for page in PdfReader(BytesIO(make_pdf([["Secret report text."]]))).pages:
            writer.add_page(page)
        writer.encrypt(user_password=user, owner_password="owner", algorithm="RC4-128")
        out = BytesIO()
        writer.write(out)
        return out.getvalue()

    fails(write(tmp_path, "locked.pdf", encrypted("secret")), "PDF is encrypted")
    # Only an owner password: opens with the empty user password.
    doc = read_document(write(tmp_path, "open.pdf", encrypted("")))
    assert "Secret report text." in doc.text


def test_pdf_without_text_layer(tmp_path):
    fails(write(tmp_path, "scan.pdf", make_pdf([[], []])), "PDF has no text layer; OCR it first")


def test_pdf_page_without_text_among_others(tmp_path):
    doc = read_document(write(tmp_path, "mixed.pdf", make_pdf([["First page."], [], ["Third."]])))
    assert doc.text == "First page.\n\n\n\nThird."
    assert doc.pages == [0, 13, 15]


def test_zip_renamed_pdf(tmp_path):
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "hello")
    fails(write(tmp_path, "archive.pdf", buf.getvalue()), "is a zip archive, not a PDF")


def test_truncated_pdf(tmp_path):
    data = make_pdf(REPORT_PAGES)
    fails(
        write(tmp_path, "cut.pdf", data[: len(data) // 3]), "not a valid PDF (truncated or damaged)"
    )


def test_not_a_pdf_at_all(tmp_path):
    fails(write(tmp_path, "page.pdf", "<!DOCTYPE html><html>Error</html>"), "HTML")
    fails(write(tmp_path, "junk.pdf", b"hello world"), "not a PDF file")
    fails(write(tmp_path, "zero.pdf", b""), "empty file")


# --------------------------------------------------------------------------- DOCX


def test_docx(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Child C review", level=1)
    document.add_paragraph("Published: 3 March 2021")
    document.add_paragraph("")
    document.add_paragraph("Improve information sharing.", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("Agency", "Contacts"), ("Police", "3")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("After the table.")
    path = tmp_path / "review.docx"
    document.save(path)
    doc = read_document(path)
    assert doc.text == (
        "Child C review\n\nPublished: 3 March 2021\n\nImprove information sharing.\n\n"
        "Agency\tContacts\nPolice\t3\n\nAfter the table."
    )
    assert doc.title == "Child C review"
    assert doc.published == "2021-03-03"
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_not_a_docx(tmp_path):
    fails(write(tmp_path, "fake.docx", "just text"), "not a DOCX file")
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "hello")
    fails(write(tmp_path, "zip.docx", buf.getvalue()), "not a DOCX file")
    fails(write(tmp_path, "old.docx", b"\xd0\xcf\x11\xe0" + b"\0" * 100), "old Word .doc")


def test_damaged_docx(tmp_path):
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<not xml")
    fails(write(tmp_path, "broken.docx", buf.getvalue()), "damaged DOCX file")


# --------------------------------------------------------------------------- records

GOOD_YAML = """\
title: Child D - curated
published: 2020-05-01
review:
  type: LCSPR
case:
  id: child-d
findings:
  - text: Information was not shared.
  - Assessments missed the father.
recommendations:
  - number: "1"
    text: Share information.
"""


def test_yaml_record(tmp_path):
    doc = read_document(write(tmp_path, "child-d.yaml", GOOD_YAML))
    assert doc.kind == "record"
    assert doc.title == "Child D - curated"
    assert doc.published == "2020-05-01"
    assert doc.record is not None and doc.record["case"]["id"] == "child-d"
    assert (
        doc.text
        == "Information was not shared.\nAssessments missed the father.\nShare information."
    )
    json.dumps(doc.record)  # dates became strings


def test_yaml_record_text_key_and_case_id_title(tmp_path):
    doc = read_document(write(tmp_path, "e.yml", "case: {id: child-e}\ntext: Full text here.\n"))
    assert doc.text == "Full text here."
    assert doc.title == "child-e"


def test_json_record(tmp_path):
    record = {"review": {"id": "r1", "title": "Review R1"}, "text": "Body."}
    doc = read_document(write(tmp_path, "r1.json", json.dumps(record)))
    assert doc.kind == "record"
    assert doc.record == record
    assert doc.title == "Review R1"


def test_bad_records(tmp_path, monkeypatch):
    from casegraph.loaders.readers import record

    monkeypatch.setattr(record, "_RECORD_MAX_NODES", 10_000)
    fails(write(tmp_path, "bad.yaml", "review: [unclosed\n"), "invalid YAML: ")
    fails(write(tmp_path, "list.yaml", "- a\n- b\n"), "not a casegraph review record")
    fails(write(tmp_path, "other.yaml", "name: x\n"), "needs a 'review' or 'case' mapping")
    fails(write(tmp_path, "bad.json", '{"review": '), "invalid JSON: ")
    fails(write(tmp_path, "obj.yaml", "!!python/object:os.system {}\n"), "invalid YAML: ")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdef", "bcdefg", strict=True)
    )
    fails(write(tmp_path, "bomb.yaml", bomb + "review: {id: x}\n"), "record too large")


# --------------------------------------------------------------------------- paths


def test_iter_paths_folder_glob_and_files(tmp_path):
    write(tmp_path, "in/b.pdf", b"x")
    write(tmp_path, "in/a.txt", "x")
    write(tmp_path, "in/sub/c.md", "x")
    write(tmp_path, "in/z.txt", "x")
    write(tmp_path, "in/skip.exe", "x")
    write(tmp_path, "in/.hidden.txt", "x")
    write(tmp_path, "in/.git/d.txt", "x")
    write(tmp_path, "in/~$lock.docx", "x")
    write(tmp_path, "other/e.html", "x")
    write(tmp_path, "other/f.html", "x")
    write(tmp_path, "notes.log", "x")
    got = list(
        iter_paths(
            [
                str(tmp_path / "in"),
                str(tmp_path / "other" / "*.html"),
                str(tmp_path / "notes.log"),
                str(tmp_path / "in" / "a.txt"),  # already yielded by the folder
            ]
        )
    )
    rel = [p.relative_to(tmp_path).as_posix() for p in got]
    assert rel == [
        "in/a.txt",
        "in/b.pdf",
        "in/sub/c.md",
        "in/z.txt",
        "other/e.html",
        "other/f.html",
        "notes.log",
    ]


def test_iter_paths_missing(tmp_path):
    missing = str(tmp_path / "missing.pdf")
    with pytest.raises(UnreadableDocument, match="no such file") as info:
        list(iter_paths([missing]))
    assert info.value.path == missing
    with pytest.raises(UnreadableDocument, match="no files match"):
        list(iter_paths([str(tmp_path / "*.pdf")]))


def test_registry_accepts_lazy_module_attr_strings(tmp_path, monkeypatch):
    import casegraph.loaders.readers as readers

    monkeypatch.setitem(readers.READERS, ".csv", "casegraph.loaders.readers:read_text")
    path = write(tmp_path, "agencies.csv", "name,type\nPolice,police\n")
    assert read_document(path).text == "name,type\nPolice,police\n"
    assert [p.name for p in iter_paths([str(tmp_path)])] == ["agencies.csv"]


def test_a_curated_records_contacts_are_kept(tmp_path):
    from casegraph.loaders.extract import extract

    text = GOOD_YAML + ("contacts:\n  - when: In March 2019\n    date: 2019-03\n    agency: Harwick Police\n"
                        "    kind: visit\n    summary: Officers attended the home.\n    missed: true\n"
                        "    status: not-followed-up\n  - agency: GP practice\n    summary: A check.\n")
    rec = extract(read_document(write(tmp_path, "child-d.yaml", text)))
    assert [(c.agency, c.kind, c.date, c.missed) for c in rec.contacts] == [
        ("Harwick Police", "visit", "2019-03", True), ("GP practice", "contact", None, False)]
