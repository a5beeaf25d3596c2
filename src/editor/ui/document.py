"""One open article as the window holds it: body text, metadata, file, and one undo history."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCursor, QTextDocument, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QPlainTextDocumentLayout

from editor.model import Article, RelatedCard
from editor.ui.analysis_service import DocumentAnalysis


class _BodyEditCommand(QUndoCommand):
    """Stands on the shared stack for undo steps the QTextDocument recorded itself: one, or
    a run of typing and the new line that ended it."""

    TYPING_ID = 0x54595045

    def __init__(self, text_document: QTextDocument, label: str = "Typing",
                 ends_line: bool = False) -> None:
        super().__init__(label)
        self._text_document = text_document
        self._first_redo = True
        self._steps = 1
        self._ends_line = ends_line  # a new line typed just after the words before it

    def id(self) -> int:
        return self.TYPING_ID if self.text() == "Typing" else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _BodyEditCommand) or not other._ends_line:
            return False
        self._steps += other._steps
        return True

    def undo(self) -> None:
        for _ in range(self._steps):
            self._text_document.undo()

    def redo(self) -> None:
        if self._first_redo:  # the edit has already happened when the command is pushed
            self._first_redo = False
            return
        for _ in range(self._steps):
            self._text_document.redo()


class _MetadataCommand(QUndoCommand):
    """One metadata change. Typing in one text field merges into one step, as in the body."""

    MERGE_ID = 0x4D455441

    def __init__(self, document: ArticleDocument, before: Article, after: Article,
                 label: str, fields: frozenset[str]) -> None:
        super().__init__(label)
        self._document = document
        self._before = before
        self._after = after
        self._fields = fields

    def id(self) -> int:
        text_field = len(self._fields) == 1 and isinstance(
            getattr(self._after, next(iter(self._fields))), str)
        return self.MERGE_ID if text_field else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _MetadataCommand) or other._fields != self._fields:
            return False
        self._after = other._after
        return True

    def undo(self) -> None:
        self._document._apply_metadata(self._before)

    def redo(self) -> None:
        self._document._apply_metadata(self._after)


class _BodyText:
    """A QTextDocument's plain text, patched by each edit instead of copied whole.

    Each ``contentsChange`` replaces the range it names with that range's new text. The
    document's revision says whether every edit since the text was taken has been seen; when
    not (an edit made inside another receiver of the signal, which Qt does not report), the
    text is taken whole again. Having seen the edits, it also knows where they were: see
    :meth:`take_unchanged`.
    """

    def __init__(self, document: QTextDocument) -> None:
        self._document = document
        self._text = document.toPlainText()
        self._revision = document.revision()
        self._unchanged: tuple[int, int] | None = None  # see take_unchanged
        self._edit_unseen = False  # since the last take_unchanged

    def text(self) -> str:
        document = self._document
        if (self._revision != document.revision()
                or len(self._text) != document.characterCount() - 1):
            self._text = document.toPlainText()
            self._revision = document.revision()
            self._edit_unseen = True
        return self._text

    def take_unchanged(self) -> tuple[int, int] | None:
        """How many characters at the start and at the end of the text no edit has touched
        since the last call; None when there was no edit, or one went unseen."""
        unchanged = None if self._edit_unseen else self._unchanged
        self._unchanged, self._edit_unseen = None, False
        return unchanged

    def formats_changed(self) -> None:
        """The document's revision moved on for a redraw, not an edit: the text is as it was."""
        if self._revision >= 0 and len(self._text) == self._document.characterCount() - 1:
            self._revision = self._document.revision()

    def follow_edit(self, position: int, removed: int, added: int) -> None:
        document = self._document
        revision = document.revision()
        if revision - self._revision not in (0, 1):
            self._edit_unseen = True
            return  # an edit went unseen: text() takes the whole text again
        text = self._text
        length = document.characterCount() - 1  # the last paragraph separator is no text
        end = min(position + added, length)
        cursor = QTextCursor(document)
        cursor.setPosition(min(position, length))
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        inserted = cursor.selectedText().translate(_PLAIN_TEXT)
        # join, not +: the pieces of a text with any character beyond Latin-1 differ in width,
        # and + widened them one character at a time (1.4 ms at 100,000 words, join 0.13).
        text = "".join((text[:position], inserted, text[position + removed:]))
        if len(text) != length:  # not what the signal said: take the whole text at the next text()
            self._revision = -2
            self._edit_unseen = True
            return
        self._text, self._revision = text, revision
        after = max(0, length - position - added)  # what follows the edit, as it was
        if self._unchanged is None:
            self._unchanged = (position, after)
        else:
            self._unchanged = (min(self._unchanged[0], position), min(self._unchanged[1], after))


# What toPlainText() makes of the characters selectedText() keeps as they are stored.
_PLAIN_TEXT = str.maketrans({"\u2029": "\n", "\u2028": "\n", "\ufdd0": "\n", "\ufdd1": "\n",
                             "\xa0": " "})


TYPING_PAUSE_MS = 800  # typing after a pause this long is an undo step of its own


class ArticleDocument(QObject):
    """An article open in a tab.

    The body lives in ``text_document`` (shown by the body editor); everything else of the
    article lives in a metadata :class:`Article` whose ``body`` is unused. Body edits and
    metadata edits share ``undo_stack``, so Ctrl+Z undoes the last change wherever it was made:
    every undo step the text document records is mirrored by a command on the stack, and
    editors must undo through the stack, never through the text document directly.

    ``revision`` counts changes to the body and the metadata: what was derived from the
    document (its :attr:`analysis`, a panel's rows) says which revision it was computed on, so
    that an edit computed on an older text is never applied to a newer one.
    """

    changed = Signal()  # body or metadata changed (``revision`` has moved on)
    body_changed = Signal()  # the body's text changed (not its lines' formats: see below)
    metadata_changed = Signal()  # a front-matter field or the cards changed
    modified_changed = Signal(bool)
    path_changed = Signal()

    def __init__(self, article: Article | None = None, path: Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        article = article or Article()
        self._path = path
        # The .txt or .html file this article was imported from (it is saved as Markdown).
        self.imported_from: Path | None = None
        self._metadata = article.copy()
        self._metadata.body = ""
        self._revision = 0
        self._analysis: DocumentAnalysis | None = None
        self.undo_stack = QUndoStack(self)
        self.text_document = QTextDocument(self)
        self.text_document.setDocumentLayout(QPlainTextDocumentLayout(self.text_document))
        # Room around the text in the editor; set before the history starts (it is undoable).
        self.text_document.setDocumentMargin(16)
        self.text_document.setPlainText(article.body)
        self.text_document.clearUndoRedoStacks()
        # The body as a Python string, kept in step edit by edit (first of all the document's
        # receivers, so the others read it current): toPlainText() copies the whole body,
        # which costs milliseconds per keystroke in a 100,000-word article.
        self._body = _BodyText(self.text_document)
        self.text_document.contentsChange.connect(self._body.follow_edit)
        self.text_document.undoCommandAdded.connect(self._mirror_body_edit)
        self.text_document.contentsChanged.connect(self._on_contents_changed)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        # Typing undoes by word groups, as in other editors: a new line, a cursor moved
        # elsewhere, or a pause (the editor's tab times it) ends a step; the text document
        # merges contiguous typing into one step until told otherwise.
        self._edit_label: str | None = None
        self._typed_to = -1  # where the last edit of the current typing step ended
        self._typed_length = 0  # the text's length then
        self._text_edited = False  # a contentsChange came before the next contentsChanged
        self.text_document.contentsChange.connect(self._on_contents_change)

    # -- the file ------------------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        return self._path

    def set_path(self, path: Path | None) -> None:
        if path != self._path:
            self._path = path
            self.path_changed.emit()

    @property
    def display_name(self) -> str:
        if self._path is not None:
            return self._path.name
        if self.imported_from is not None:
            return self.imported_from.name
        return "Untitled"

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def mark_saved(self) -> None:
        """The text as it stands is what is on disk."""
        self.undo_stack.setClean()

    def mark_modified(self) -> None:
        """The text differs from the file (recovered, or the file vanished) though no edit was made."""
        self.undo_stack.resetClean()
        self.modified_changed.emit(True)

    # -- content -------------------------------------------------------------------------
    @property
    def revision(self) -> int:
        """Moves on with every change to the body or the metadata (undo and redo included)."""
        return self._revision

    @property
    def analysis(self) -> DocumentAnalysis:
        """Words, placeholders, outline and card problems, kept current (created on first use)."""
        if self._analysis is None:
            self._analysis = DocumentAnalysis(self)
        return self._analysis

    def body(self) -> str:
        """The body text as ``toPlainText()`` gives it, without copying it per edit."""
        return self._body.text()

    def take_unchanged_ends(self) -> tuple[int, int] | None:
        """How many characters at the start and at the end of :meth:`body` no edit has
        touched since the last call (None: unknown), so a renderer need not compare the whole
        body with the one before to find the edit. One reader: the tab's preview."""
        return self._body.take_unchanged()

    def metadata(self) -> Article:
        """The article's metadata (a copy; ``body`` empty)."""
        return self._metadata.copy()

    def article(self) -> Article:
        """The whole article as it stands: metadata and body text."""
        article = self._metadata.copy()
        article.body = self.body()
        return article

    def update_metadata(self, label: str = "Edit metadata", **fields: Any) -> None:
        """Change front-matter fields (``title=…``, ``related=[…]``) as one undoable step."""
        unknown = set(fields) - {f.name for f in dataclasses.fields(Article)}
        if unknown or "body" in fields:
            raise TypeError(f"not metadata fields: {sorted(unknown | ({'body'} & set(fields)))}")
        before = self._metadata.copy()
        after = dataclasses.replace(before.copy(), **fields)
        if after == before:
            return
        changed = frozenset(name for name in fields if getattr(before, name) != fields[name])
        self.undo_stack.push(_MetadataCommand(self, before, after, label, changed))

    def set_related(self, cards: list[RelatedCard], heading: str | None = None,
                    label: str = "Edit related stories") -> None:
        fields: dict[str, Any] = {"related": [dataclasses.replace(card) for card in cards]}
        if heading is not None:
            fields["related_heading"] = heading
        self.update_metadata(label, **fields)

    def replace_body_range(self, start: int, end: int, text: str,
                           label: str = "Edit Text") -> None:
        """Replace characters ``[start, end)`` of the body as one undoable edit; ``label``
        says what Undo will undo ("Undo Resolve Link")."""
        self.end_undo_step()
        self._edit_label = label
        try:
            cursor = QTextCursor(self.text_document)
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.beginEditBlock()
            cursor.insertText(text)
            cursor.endEditBlock()
        finally:
            self._edit_label = None
        self.end_undo_step()  # typing just after it is a step of its own

    def end_undo_step(self) -> None:
        """The next body edit starts a new undo step instead of joining the typing before.

        QTextDocument merges an edit into the previous step only while it is "modified"; that
        flag means nothing else here (``is_modified`` is the undo stack's clean state).
        """
        self._typed_to = -1
        self.text_document.setModified(False)

    def cursor_moved(self, position: int) -> None:
        """An editor's cursor moved: anywhere but where the typing got to, a new step starts."""
        if position != self._typed_to:
            self.end_undo_step()

    def replace_article(self, article: Article) -> None:
        """Load new content (a reload from disk): the history starts again."""
        self._metadata = article.copy()
        self._metadata.body = ""
        self._revision += 1
        self.text_document.undoCommandAdded.disconnect(self._mirror_body_edit)
        self.text_document.setPlainText(article.body)
        self.text_document.clearUndoRedoStacks()
        self.text_document.undoCommandAdded.connect(self._mirror_body_edit)
        self.undo_stack.clear()
        self.metadata_changed.emit()

    # -- internals -----------------------------------------------------------------------
    def _on_clean_changed(self, clean: bool) -> None:
        self.modified_changed.emit(not clean)

    def _mirror_body_edit(self) -> None:
        # Called as the edit is recorded, before contentsChange says where it was.
        text = self.text_document
        ends_line = (self._edit_label is None and self._typed_to >= 0
                     and text.characterCount() == self._typed_length + 1  # one character…
                     and text.characterAt(self._typed_to) == "\u2029")  # …a new line, there
        self.undo_stack.push(_BodyEditCommand(self.text_document, self._edit_label or "Typing",
                                              ends_line))

    def _on_contents_change(self, position: int, removed: int, added: int) -> None:
        self._text_edited = True
        if added == 1 and self.text_document.characterAt(position) == "\u2029":
            self.end_undo_step()  # a new line typed ends the step
        else:
            self._typed_to = position + added
            self._typed_length = self.text_document.characterCount()

    def _on_contents_changed(self) -> None:
        if not self._text_edited:
            # A highlighter redrew lines (the spell check's underlines arriving): their
            # formats changed, not the text, so nothing derived from the text is out of date.
            self._body.formats_changed()
            return
        self._text_edited = False
        self._revision += 1
        self.body_changed.emit()
        self.changed.emit()

    def _apply_metadata(self, article: Article) -> None:
        self._metadata = article.copy()
        self._revision += 1
        self.metadata_changed.emit()
        self.changed.emit()
