"""Word documents: built here with python-docx (raw XML where it has no API), opened as articles."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches

from editor.errors import DocumentUnreadableError
from editor.files import load_article
from editor.render import BodyRenderer

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def png(width: int = 4, height: int = 3) -> bytes:
    """A real PNG file (red pixels), small enough to write by hand."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def numbering(document: docx.Document, kind: str) -> int:
    """A two-level list definition as Word writes one (the template's are single-level)."""
    numbering_xml = document.part.numbering_part.element
    number = 100 + len(numbering_xml.findall(qn("w:num")))
    text = "•" if kind == "bullet" else "%1."
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{kind}"/>'
        f'<w:lvlText w:val="{text if kind == "bullet" else f"%{level + 1}."}"/>'
        f'<w:pPr><w:ind w:left="{720 * (level + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        for level in range(2))
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{number}">{levels}'
                         "</w:abstractNum>")
    numbering_xml.find(qn("w:num")).addprevious(abstract)
    numbering_xml.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{number}"><w:abstractNumId w:val="{number}"/></w:num>'))
    return number


def list_item(document: docx.Document, text: str, number: int, level: int) -> None:
    """A list paragraph of list ``number`` at ``level``, as Word marks it."""
    paragraph = document.add_paragraph(text, style="List Paragraph")
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{number}"/></w:numPr>'))


def hyperlink(paragraph, text: str, url: str) -> None:  # type: ignore[no-untyped-def]
    relationship = paragraph.part.relate_to(
        url, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{relationship}"><w:r><w:t>{text}</w:t></w:r>'
        "</w:hyperlink>"))


def tracked_changes(paragraph) -> None:  # type: ignore[no-untyped-def]
    """An insertion and a deletion, as Word writes them with Track Changes on."""
    paragraph._p.append(parse_xml(
        f'<w:ins {W} w:id="91" w:author="Editor" w:date="2025-01-02T10:00:00Z">'
        "<w:r><w:t xml:space=\"preserve\"> rose by 4 percent</w:t></w:r></w:ins>"))
    paragraph._p.append(parse_xml(
        f'<w:del {W} w:id="92" w:author="Editor" w:date="2025-01-02T10:00:00Z">'
        "<w:r><w:delText xml:space=\"preserve\"> fell sharply</w:delText></w:r></w:del>"))
    paragraph._p.append(parse_xml(f'<w:r {W}><w:t>.</w:t></w:r>'))


def with_footnote(data: bytes, marker_text: str, note: str) -> bytes:
    """The document with a footnote after ``marker_text`` (python-docx cannot add one)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    files = {name: source.read(name) for name in source.namelist()}
    document = files["word/document.xml"].decode()
    reference = ('<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/><w:vertAlign w:val="superscript"/>'
                 '</w:rPr><w:footnoteReference w:id="1"/></w:r>')
    document = re.sub(rf"(<w:t[^>]*>{re.escape(marker_text)}</w:t></w:r>)", rf"\1{reference}",
                      document, count=1)
    files["word/document.xml"] = document.encode()
    files["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>"
        f'<w:footnote w:id="1"><w:p><w:r><w:t>{note}</w:t></w:r></w:p></w:footnote></w:footnotes>'
    ).encode()
    rels = files["word/_rels/document.xml.rels"].decode()
    files["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')).encode()
    types = files["[Content_Types].xml"].decode()
    files["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/word/footnotes.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in files.items():
            target.writestr(name, content)
    return out.getvalue()


def feature_document() -> bytes:
    """A Word article with everything a newsroom draft has, and a tracked change and a comment."""
    document = docx.Document()
    document.add_paragraph("Ferry fares to rise in spring", style="Title")
    document.add_paragraph("The island service blames fuel and a new ship", style="Subtitle")
    document.add_paragraph("By Ana Ruiz · March 3, 2025")
    lead = document.add_paragraph("The ferry company said on ")
    lead.add_run("Monday").italic = True
    lead.add_run(" that fares will rise ")
    lead.add_run("from April").bold = True
    lead.add_run(", according to a ")
    hyperlink(lead, "statement", "https://ferries.example/news?utm_source=x")
    lead.add_run(" published online. Fuel costs")
    tracked_changes(lead)
    document.add_heading("What changes", level=1)
    bullets, steps = numbering(document, "bullet"), numbering(document, "decimal")
    list_item(document, "Adult returns", bullets, 0)
    list_item(document, "peak season: €24", bullets, 1)
    list_item(document, "Cars", bullets, 0)
    list_item(document, "Book online", steps, 0)
    list_item(document, "Print the ticket", steps, 0)
    document.add_paragraph("We had no choice this year.", style="Quote")
    table = document.add_table(rows=3, cols=2)
    for row, cells in enumerate([("Ticket", "Fare"), ("Adult", "€21"), ("Child", "€10")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    document.add_heading("The new ship", level=2)
    document.add_picture(io.BytesIO(png()), width=Inches(1))
    document.inline_shapes[0]._inline.docPr.set("descr", "The new ferry at the quay")
    commented = document.add_paragraph("The ship arrives in May, the company said.")
    document.add_comment(commented.runs, text="SECRET: check this with the port", author="Desk")
    out = io.BytesIO()
    document.save(out)
    return with_footnote(out.getvalue(), "The ship arrives in May, the company said.",
                         "Company statement of 3 March.")


@pytest.fixture
def feature(tmp_path: Path) -> Path:
    path = tmp_path / "ferry fares.docx"
    path.write_bytes(feature_document())
    return path


def test_styles_become_the_article(feature: Path) -> None:
    article = load_article(feature)
    assert article.title == "Ferry fares to rise in spring"
    assert article.dek == "The island service blames fuel and a new ship"
    assert (article.author, article.date) == ("Ana Ruiz", "2025-03-03")
    assert article.body == (
        "The ferry company said on *Monday* that fares will rise **from April**, according to a "
        "[statement](https://ferries.example/news) published online. Fuel costs rose "
        "by 4 percent.\n"
        "\n"
        "## What changes\n"
        "\n"
        "- Adult returns\n"
        "    - peak season: €24\n"
        "- Cars\n"
        "\n"
        "1. Book online\n"
        "2. Print the ticket\n"
        "\n"
        "> We had no choice this year.\n"
        "\n"
        "| Ticket | Fare |\n"
        "| --- | --- |\n"
        "| Adult | €21 |\n"
        "| Child | €10 |\n"
        "\n"
        "### The new ship\n"
        "\n"
        "![The new ferry at the quay](images/ferry-fares-1.png)\n"
        "\n"
        "The ship arrives in May, the company said.[^1]\n"
        "\n"
        "[^1]: Company statement of 3 March.\n"
    )


def test_tracked_changes_are_accepted_and_comments_never_leak(feature: Path) -> None:
    article = load_article(feature)
    assert "fell sharply" not in article.body and "rose by 4 percent" in article.body
    assert "SECRET" not in article.body and "check this" not in article.body
    assert article.warnings == [
        "the document has tracked changes: they were read as accepted; check the text",
        "the document's comments were left out",
    ]


def test_images_are_saved_beside_the_article_once(feature: Path) -> None:
    load_article(feature)
    image = feature.parent / "images" / "ferry-fares-1.png"
    assert image.read_bytes() == png()
    load_article(feature)  # opened again: the same file, not a second copy
    assert sorted(p.name for p in image.parent.iterdir()) == ["ferry-fares-1.png"]
    image.write_bytes(b"someone else's picture")
    article = load_article(feature)
    assert image.read_bytes() == b"someone else's picture"  # never overwritten
    [saved] = [p for p in image.parent.iterdir() if p.name != "ferry-fares-1.png"]
    assert f"](images/{saved.name})" in article.body and saved.read_bytes() == png()


def test_the_body_renders_with_its_structure(feature: Path) -> None:
    html = BodyRenderer().render(load_article(feature).body).html
    assert re.search(r"<li>Adult returns\s*<ul>\s*<li>peak season", html)
    for part in ("<ol>", "<table>", "<blockquote>", '<h2 id="what-changes">',
                 'alt="The new ferry at the quay"', 'class="footnote"', "<em>Monday</em>"):
        assert part in html


def test_a_heading_1_at_the_top_is_the_headline_when_there_is_no_title(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Council backs bridge", level=1)
    document.add_paragraph("12 March 2025")
    document.add_paragraph("Text.")
    path = tmp_path / "draft.docx"
    document.save(path)
    article = load_article(path)
    assert (article.title, article.date, article.body) == ("Council backs bridge", "2025-03-12",
                                                           "Text.\n")


def test_a_damaged_document_gets_one_clear_message(tmp_path: Path) -> None:
    whole = feature_document()
    for name, data in [("truncated.docx", whole[: len(whole) // 2]), ("empty.docx", b""),
                       ("text.docx", b"just some text, not a document")]:
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(DocumentUnreadableError) as caught:
            load_article(path)
        assert str(caught.value) == (
            f"{path}: the Word document is damaged (it is not a complete .docx file)")


def test_a_password_protected_document_says_so(tmp_path: Path) -> None:
    path = tmp_path / "locked.docx"
    # Word encrypts a protected .docx into an OLE compound file; this is its header.
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(DocumentUnreadableError, match="password-protected"):
        load_article(path)


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    path = tmp_path / "other.docx"
    path.write_bytes(out.getvalue())
    with pytest.raises(DocumentUnreadableError, match="damaged"):
        load_article(path)


def test_images_that_cannot_be_saved_become_placeholders_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "ferry.docx"
    path.write_bytes(feature_document())
    (tmp_path / "images").write_text("a file where the folder would go")
    article = load_article(path)
    assert "[IMAGE: The new ferry at the quay]" in article.body
    assert "![" not in article.body
    assert any(note.startswith("images could not be saved beside the article")
               for note in article.warnings)


def test_a_reader_that_only_looks_writes_nothing_beside_the_file(feature: Path) -> None:
    article = load_article(feature, save_files=False)
    assert "[IMAGE: The new ferry at the quay]" in article.body
    assert sorted(p.name for p in feature.parent.iterdir()) == [feature.name]
    assert not any(note.startswith("images could not") for note in article.warnings)


def test_a_moved_passage_appears_once_where_it_was_moved_to(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Start.")._p.append(parse_xml(
        f'<w:moveFrom {W} w:id="1" w:author="E" w:date="2025-01-01T00:00:00Z"><w:r>'
        '<w:t xml:space="preserve"> The quote.</w:t></w:r></w:moveFrom>'))
    document.add_paragraph("End.")._p.append(parse_xml(
        f'<w:moveTo {W} w:id="2" w:author="E" w:date="2025-01-01T00:00:00Z"><w:r>'
        '<w:t xml:space="preserve"> The quote.</w:t></w:r></w:moveTo>'))
    path = tmp_path / "moved.docx"
    document.save(path)
    article = load_article(path)
    assert article.body == "Start.\n\nEnd. The quote.\n"
    assert article.warnings == [
        "the document has tracked changes: they were read as accepted; check the text"]
