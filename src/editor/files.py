"""Reading and writing article files: the checks every way of opening a file goes through."""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from editor.errors import (
    ArticleFileError,
    BinaryFileError,
    EncodingError,
    FileUnreadableError,
    SaveError,
    UnsupportedFormatError,
)
from editor.fileformat import body_first_line, dump_markdown
from editor.importers import (
    MARKDOWN,
    Reads,
    importer_for,
    is_native,
    openable_suffixes,
    unsupported_message,
)
from editor.model import Article
from editor.placeholders import Placeholder, locate_in_source

MAX_FILE_BYTES = 8 * 1024 * 1024
# Derived from the importer registry (editor.importers), which is where formats are added.
MARKDOWN_SUFFIXES = frozenset(MARKDOWN.suffixes)
OPENABLE_SUFFIXES = openable_suffixes()


@dataclass(frozen=True)
class TextFile:
    """A text file's content with ``\\n`` line endings, and how it was written."""

    text: str
    newline: str
    bom: bool
    encoding: str


def read_text_file(path: Path | str, encoding: str | None = None) -> TextFile:
    """Read ``path`` as text, refusing what is not a readable text file of sensible size.

    ``encoding`` None means UTF-8 (with or without BOM); a legacy encoding such as cp1252
    may be asked for after an :class:`EncodingError`.
    """
    path = Path(path)
    data = _read_bytes(path)
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8):]
    if b"\x00" in data[:65536] or _mostly_control(data[:65536]):
        raise BinaryFileError(path, "this is a binary file, not a text article")
    if encoding is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise EncodingError(
                path, "the text is not valid UTF-8 (it may be in a legacy encoding such as cp1252)",
                line,
            ) from None
        encoding = "utf-8"
    else:
        text = data.decode(encoding, errors="replace")
    newline = "\r\n" if "\r\n" in text else "\n"
    return TextFile(text.replace("\r\n", "\n"), newline, bom, encoding)


def read_file_bytes(path: Path | str) -> bytes:
    """Read ``path``'s bytes, refusing what is not a regular file of sensible size."""
    return _read_bytes(Path(path))


def _read_bytes(path: Path) -> bytes:
    if path.is_symlink() and not path.exists():
        raise FileUnreadableError(path, "this is a link to a file that no longer exists")
    try:
        info = path.stat()
    except FileNotFoundError:
        raise FileUnreadableError(path, "no such file") from None
    except OSError as error:
        raise FileUnreadableError(path, f"cannot be read: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise FileUnreadableError(path, "this is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        # A pipe or a device would block the reader, or never end.
        raise FileUnreadableError(path, "this is not a regular file (a pipe, socket or device)")
    if info.st_size > MAX_FILE_BYTES:
        raise _too_large(path, info.st_size)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat()
    except PermissionError:
        raise FileUnreadableError(path, "you do not have permission to read this file") from None
    except OSError as error:
        raise FileUnreadableError(path, f"cannot be read: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(path, len(data))
    return data


def _too_large(path: Path, size: int) -> FileUnreadableError:
    return FileUnreadableError(
        path, f"the file is {size / 1048576:.0f} MB; articles up to "
        f"{MAX_FILE_BYTES // 1048576} MB can be opened"
    )


_CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in (9, 10, 12, 13))


def _mostly_control(sample: bytes) -> bool:
    """Text has few control bytes besides tab, newline, carriage return and form feed."""
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # counted in C
    return controls / len(sample) > 0.05


def load_article(path: Path | str, encoding: str | None = None, *,
                 save_files: bool = True) -> Article:
    """Open any supported file as an article: Markdown natively, other formats by import.

    ``encoding`` applies to text formats (see :func:`read_text_file`); formats read as bytes
    find their own. ``save_files`` False writes nothing beside the file (a Word file's images
    are saved beside it otherwise): for readers that only look, such as an index.
    """
    path = Path(path)
    importer = importer_for(path)
    if importer is None:
        if path.is_dir():
            raise FileUnreadableError(path, "this is a folder, not a file")
        raise UnsupportedFormatError(path, unsupported_message())
    if importer.reads is Reads.BYTES:
        return importer.read(_read_bytes(path), path, save_files=save_files)
    content = read_text_file(path, encoding)
    article = importer.read(content.text, path, save_files=save_files)
    article.newline = content.newline
    article.bom = content.bom
    if content.encoding != "utf-8":
        article.warnings.append(f"read as {content.encoding}; it will be saved as UTF-8")
    return article


def encode_article(article: Article) -> bytes:
    """The bytes of the article's Markdown file, with its own line endings and BOM."""
    text = dump_markdown(article)
    if article.newline != "\n":
        text = text.replace("\n", article.newline)
    data = text.encode("utf-8")
    return codecs.BOM_UTF8 + data if article.bom else data


def save_article(article: Article, path: Path | str) -> None:
    """Save as Markdown with front matter; on failure the file on disk is unchanged."""
    write_atomic(Path(path), encode_article(article))


def write_atomic(path: Path, data: bytes, *, sync_rename: bool = True) -> None:
    """Write a temporary file beside ``path``, flush it to disk, then rename it over ``path``.

    A batch writing many files into one folder passes ``sync_rename=False`` and calls
    :func:`sync_folder` once at the end. The original's permission bits are kept. A symbolic
    link is followed: its target is replaced and the link stays a link. Raises
    :class:`SaveError` with the reason.
    """
    if path.is_symlink():
        try:
            path = path.resolve(strict=False)
        except (OSError, RuntimeError):  # a loop of links
            raise SaveError(path, "cannot be saved: the link points to itself") from None
    folder = path.parent
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise SaveError(path, "cannot be saved: this is a folder, not a file")
        mode = stat.S_IMODE(info.st_mode)
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise SaveError(path, f"cannot be saved: {error.strerror or error}") from None
    temp_name = None
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is None:
            mode = 0o666 & ~_UMASK
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
        temp_name = None
        if sync_rename:
            sync_folder(folder)
    except FileNotFoundError:
        raise SaveError(path, "cannot be saved: the folder no longer exists") from None
    except PermissionError:
        raise SaveError(path, "cannot be saved: you do not have permission to write here") from None
    except OSError as error:
        raise SaveError(path, f"cannot be saved: {error.strerror or error}") from None
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)


def sync_folder(folder: Path) -> None:
    """Flush the rename itself to disk (POSIX); best effort, the data is already safe."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _read_umask() -> int:
    # Read once, at import: changing the umask to read it is not safe once threads run.
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def places_in_file(
    path: Path, article: Article, placeholders: Sequence[Placeholder]
) -> list[tuple[int, int]]:
    """Where each placeholder stands (line, column) in the file the user has, not in the
    converted text: what the command line reports, so that tools can go there.

    A file that is not text (a Word document) has no lines: the places are in the article.
    """
    if is_native(path):
        first_line = body_first_line(article)
        return [(first_line + p.line - 1, p.column) for p in placeholders]
    try:
        source = read_text_file(path).text
    except ArticleFileError:
        return [(p.line, p.column) for p in placeholders]
    return locate_in_source(source, placeholders)
