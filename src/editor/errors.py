"""The core's own exceptions. The UI and the command line turn them into messages."""

from __future__ import annotations

from pathlib import Path


class ArticleError(Exception):
    """Base of every error the core raises on purpose."""


class ArticleFileError(ArticleError):
    """A file could not be read or written as an article.

    ``str(error)`` is a one-line message naming the file and, where known, the line.
    """

    def __init__(self, path: Path | str | None, message: str, line: int | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.message = message
        self.line = line
        super().__init__(self.describe())

    def describe(self) -> str:
        where = str(self.path) if self.path is not None else "<text>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class FileUnreadableError(ArticleFileError):
    """Missing, a directory, no permission, a broken link, or too large."""


class BinaryFileError(ArticleFileError):
    """The file holds binary data, not text."""


class EncodingError(ArticleFileError):
    """The bytes are not valid UTF-8; the file may open with a legacy encoding instead."""

    def __init__(self, path: Path | str | None, message: str, line: int | None = None,
                 fallback_encoding: str = "cp1252") -> None:
        self.fallback_encoding = fallback_encoding
        super().__init__(path, message, line)


class FrontMatterError(ArticleFileError):
    """The YAML front matter is malformed or holds values of the wrong type."""


class UnsupportedFormatError(ArticleFileError):
    """The file's type is not one the editor can import."""


class DocumentUnreadableError(ArticleFileError):
    """A document (a Word file) is damaged, password-protected, or not what its name says."""


class SaveError(ArticleFileError):
    """Writing the file failed; the file on disk is unchanged."""
