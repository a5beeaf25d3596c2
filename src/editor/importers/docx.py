"""Word documents (``.docx`` from Word, LibreOffice or Google Docs) read into articles.

mammoth reads the document by the meaning of its styles, not their looks: a paragraph in the
Title style is the headline, Subtitle the dek, Heading 1–4 the body's sections (``##`` to
``#####``: the headline is the page's only ``#``), Quote a block quote; lists keep their nesting
and numbering, tables, links, bold, italics and footnotes come across. Comments are left out,
and tracked changes are read as if accepted (deleted text gone, inserted text kept), with a note
saying there were changes. Embedded images are saved beside the article (``images/``) and
referenced with their alt text. A byline or date paragraph under the headline is read as the
plain-text importer reads one. Links lose their tracking parameters (``utm_*``, ``fbclid``…).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

from bs4 import BeautifulSoup, NavigableString, Tag

from editor.errors import DocumentUnreadableError
from editor.importers.html import convert_to_markdown
from editor.importers.links import without_tracking
from editor.importers.plaintext import parse_byline, parse_date
from editor.model import Article

# Style names as Word, LibreOffice and Google Docs write them, mapped to what they mean.
STYLE_MAP = "\n".join([
    "p[style-name='Title'] => h1.doc-title:fresh",
    "p[style-name='Subtitle'] => p.doc-subtitle:fresh",
    "p[style-name='Heading 1'] => h2:fresh",
    "p[style-name='Heading 2'] => h3:fresh",
    "p[style-name='Heading 3'] => h4:fresh",
    "p[style-name='Heading 4'] => h5:fresh",
    "p[style-name='Quote'] => blockquote > p:fresh",
    "p[style-name='Intense Quote'] => blockquote > p:fresh",
    "p[style-name='Quotations'] => blockquote > p:fresh",  # LibreOffice
    "p[style-name='Block Text'] => blockquote > p:fresh",
    "r[style-name='Strong'] => strong",
    "r[style-name='Emphasis'] => em",
    "comment-reference => !",
])

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .docx, or an old .doc
_TRACKED_CHANGE = re.compile(rb"<w:(?:ins|del|moveFrom|moveTo)\b")
_IMAGE_SUFFIXES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
                   "image/bmp": ".bmp", "image/tiff": ".tiff", "image/svg+xml": ".svg",
                   "image/webp": ".webp", "image/x-emf": ".emf", "image/x-wmf": ".wmf"}
_NOTE_LINK = re.compile(r"^#(footnote|endnote)-(\d+)$")
_NOTE_ITEM = re.compile(r"^(footnote|endnote)-(\d+)$")


class _ImageSaver:
    """Saves each embedded image under ``images/`` beside the article, once.

    An image already there with the same bytes is reused; a different file of the same name
    is never overwritten. When the folder cannot be written, the image becomes an
    ``[IMAGE: alt]`` placeholder, with a note.
    """

    def __init__(self, path: Path, enabled: bool) -> None:
        self.enabled = enabled
        self.folder = path.parent
        self.stem = re.sub(r"[^\w.-]+", "-", path.stem).strip("-") or "document"
        self.count = 0
        self.failed = ""

    def __call__(self, image: Any) -> dict[str, str]:
        self.count += 1
        if not self.enabled:
            return {"src": ""}
        with image.open() as stream:
            data = stream.read()
        suffix = _IMAGE_SUFFIXES.get(image.content_type, ".bin")
        name = f"images/{self.stem}-{self.count}{suffix}"
        try:
            target = self._free_name(name, data)
            target.parent.mkdir(exist_ok=True)
            if not target.exists():
                target.write_bytes(data)
        except OSError as error:
            self.failed = self.failed or (error.strerror or str(error))
            return {"src": ""}
        return {"src": target.relative_to(self.folder).as_posix()}

    def _free_name(self, name: str, data: bytes) -> Path:
        target = self.folder / name
        digest = hashlib.sha1(data).hexdigest()[:8]
        if target.exists() and target.read_bytes() != data:
            target = target.with_name(f"{target.stem}-{digest}{target.suffix}")
        return target


def import_docx(data: bytes, path: Path, *, save_images: bool = True) -> Article:
    """Read a ``.docx`` file's bytes into an article (see the module docstring).

    ``save_images`` False leaves the folder untouched; images become placeholders.
    """
    import mammoth

    if data.startswith(_OLE_MAGIC):
        raise DocumentUnreadableError(
            path, "this Word document is password-protected, or an old .doc file; save it "
            "from Word as a .docx without a password")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        document_xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, zlib.error, EOFError, ValueError):
        raise DocumentUnreadableError(
            path, "the Word document is damaged (it is not a complete .docx file)") from None
    saver = _ImageSaver(path, save_images)
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data), style_map=STYLE_MAP, convert_image=mammoth.images.img_element(saver))
    except (zipfile.BadZipFile, KeyError, zlib.error, EOFError, ValueError, ExpatError,
            AttributeError):
        raise DocumentUnreadableError(
            path, "the Word document is damaged (its text cannot be read)") from None
    article = _article_from_html(result.value)
    if _TRACKED_CHANGE.search(document_xml):
        article.warnings.append(
            "the document has tracked changes: they were read as accepted; check the text")
    if "word/comments.xml" in archive.namelist():
        article.warnings.append("the document's comments were left out")
    if saver.failed:
        article.warnings.append(
            f"images could not be saved beside the article ({saver.failed}); "
            "they are [IMAGE: …] placeholders")
    return article


def _article_from_html(html: str) -> Article:
    soup = BeautifulSoup(html, "html.parser")
    article = Article()
    title = soup.find("h1", class_="doc-title")
    if title is None:  # no Title style: a Heading 1 opening the document is the headline
        first = next((child for child in soup.children if isinstance(child, Tag)), None)
        title = first if first is not None and first.name == "h2" else None
    if title is not None:
        article.title = title.get_text(" ", strip=True)
        title.decompose()
    subtitle = soup.find("p", class_="doc-subtitle")
    if subtitle is not None:
        article.dek = subtitle.get_text(" ", strip=True)
        subtitle.decompose()
    _take_byline(soup, article)
    for image in soup.find_all("img"):
        if not image.get("src"):
            image.replace_with(NavigableString(f"[IMAGE: {image.get('alt') or 'image'}]"))
    for link in soup.find_all("a", href=True):
        link["href"] = without_tracking(str(link["href"]))
    notes = _take_notes(soup)
    body = convert_to_markdown(soup, infer_table_header=True)
    if notes:
        body = body + "\n" + "\n".join(notes) + "\n" if body else "\n".join(notes) + "\n"
    article.body = body
    return article


def _take_byline(soup: BeautifulSoup, article: Article) -> None:
    """A byline and/or date paragraph at the top, as the plain-text importer reads it."""
    for _ in range(2):
        first = next((child for child in soup.children if isinstance(child, Tag)), None)
        if first is None or first.name != "p":
            return
        text = first.get_text(" ", strip=True)
        byline = parse_byline(text)
        date = "" if byline else parse_date(text) if len(text) < 40 else ""
        if byline is None and not date:
            return
        article.author = article.author or (byline.author if byline else "")
        article.date = article.date or (byline.date if byline else date)
        first.decompose()


def _take_notes(soup: BeautifulSoup) -> list[str]:
    """Footnotes and endnotes as Markdown footnotes: ``[^1]`` in the text, definitions after."""
    numbers: dict[str, str] = {}
    for link in soup.find_all("a", href=_NOTE_LINK):
        note = str(link["href"])[1:]
        label = numbers.setdefault(note, str(len(numbers) + 1))
        holder = link.parent if link.parent is not None and link.parent.name == "sup" else link
        holder.replace_with(NavigableString(f"[^{label}]"))
    definitions = []
    for item in soup.find_all("li", id=_NOTE_ITEM):
        number = numbers.get(str(item["id"]))
        for back in item.find_all("a", href=re.compile(r"^#(footnote|endnote)-ref-")):
            back.decompose()
        item.name = "div"  # its content, not a list item
        text = convert_to_markdown(item).strip().replace("\n\n", "\n\n    ")
        parent = item.parent
        item.decompose()
        if parent is not None and not parent.find("li"):
            parent.decompose()
        if number is not None:
            definitions.append(f"[^{number}]: {text}")
    return definitions
