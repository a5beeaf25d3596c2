"""The importer registry: every format the editor opens, in one table every door reads.

``load_article`` (Open, drops, the command line, ``convert``, ``export``, the library), the open
dialog's filter and the "not an article file" message all derive from :data:`IMPORTERS`, so a
new format is one entry here. An importer reads either text, which ``editor.files`` decodes
first (UTF-8, BOM and line endings kept, a legacy encoding offered on request), or bytes, which
it decodes itself (a web page declares its own encoding; a Word file is a zip archive).

The importer modules are imported only when a file of theirs is opened: the extractors they
stand on take a while to load, and the window should not wait for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from editor.model import Article


class Reads(Enum):
    """What an importer is handed."""

    TEXT = "text"  # decoded by editor.files.read_text_file
    BYTES = "bytes"  # the file's bytes, decoded by the importer itself


class Reader(Protocol):
    """How an importer reads a file: its text or bytes, and its path.

    ``save_files`` False asks the importer to write nothing beside the file (a Word file's
    images become ``[IMAGE: …]`` placeholders): for readers that only look, such as an index.
    """

    def __call__(self, content: Any, path: Path, /, *, save_files: bool) -> Article: ...


@dataclass(frozen=True)
class Importer:
    """One format: its names, its file name suffixes, and how a file of it is read.

    ``name`` titles the format in the open dialog; ``noun`` names it inside a sentence.

    ``read`` takes the text or the bytes (as ``reads`` says) and the file's path, which an
    importer may use to place what it extracts (a Word file's images) beside the article.
    """

    name: str
    noun: str
    suffixes: tuple[str, ...]
    reads: Reads
    read: Reader  # given str or bytes, as ``reads`` says
    mime_types: tuple[str, ...]  # what a desktop calls the format (the launcher's MimeType)
    native: bool = False  # saved back to the same file; others are saved as new Markdown

    @property
    def example(self) -> str:
        """The suffix a message names, as in "plain text (.txt)"."""
        return self.suffixes[0]


def _read_markdown(text: str, path: Path, *, save_files: bool) -> Article:
    from editor.fileformat import parse_markdown

    return parse_markdown(text, path)


def _read_plain_text(text: str, path: Path, *, save_files: bool) -> Article:
    from editor.importers.plaintext import import_plain_text

    return import_plain_text(text)


def _read_html(data: bytes, path: Path, *, save_files: bool) -> Article:
    from editor.importers.html import import_html_bytes

    return import_html_bytes(data, path)


def _read_docx(data: bytes, path: Path, *, save_files: bool) -> Article:
    from editor.importers.docx import import_docx

    return import_docx(data, path, save_images=save_files)


MARKDOWN = Importer("Markdown", "Markdown", (".md", ".markdown", ".mdown", ".mkd"), Reads.TEXT,
                    _read_markdown, ("text/markdown", "text/x-markdown"), native=True)
PLAIN_TEXT = Importer("Plain text", "plain text", (".txt", ".text"), Reads.TEXT, _read_plain_text,
                      ("text/plain",))
HTML = Importer("Web pages", "web pages", (".html", ".htm", ".xhtml"), Reads.BYTES, _read_html,
                ("text/html", "application/xhtml+xml"))
DOCX = Importer("Word documents", "Word documents", (".docx",), Reads.BYTES, _read_docx,
                ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",))

IMPORTERS: tuple[Importer, ...] = (MARKDOWN, PLAIN_TEXT, HTML, DOCX)


def importer_for(path: Path | str) -> Importer | None:
    """The importer for ``path``'s suffix (any case), or None for a format we do not read."""
    suffix = Path(path).suffix.lower()
    return next((importer for importer in IMPORTERS if suffix in importer.suffixes), None)


def openable_suffixes() -> frozenset[str]:
    return frozenset(suffix for importer in IMPORTERS for suffix in importer.suffixes)


def is_native(path: Path | str) -> bool:
    """True for our own format, which is saved back in place rather than as a new file."""
    importer = importer_for(path)
    return importer is not None and importer.native


def unsupported_message() -> str:
    """Why a file was refused, naming what can be opened instead."""
    names = [f"{importer.noun} ({importer.example})" for importer in IMPORTERS]
    listed = f"{', '.join(names[:-1])} or {names[-1]}"
    return f"not an article file; open {listed}"


def dialog_filter() -> str:
    """The open dialog's filter: all articles first, then each format, then every file."""
    def patterns(suffixes: tuple[str, ...]) -> str:
        return " ".join(f"*{suffix}" for suffix in suffixes)

    every = tuple(suffix for importer in IMPORTERS for suffix in importer.suffixes)
    kinds = [f"Articles ({patterns(every)})"]
    kinds += [f"{importer.name} ({patterns(importer.suffixes)})" for importer in IMPORTERS]
    kinds.append("All files (*)")
    return ";;".join(kinds)
