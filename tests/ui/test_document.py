"""The open document's body text: kept in step with every edit, never copied whole per key."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextCursor, QTextDocument

from editor.model import Article
from editor.ui.document import ArticleDocument

_EDITS = st.one_of(
    st.tuples(st.just("type"), st.floats(0, 1), st.integers(0, 6),
              st.sampled_from(["x", "\n", "\n\n", "é", "\u00a0", "a\u2028b", "## Head\n", ""])),
    st.tuples(st.just("undo"), st.just(0.0), st.just(0), st.just("")),
    st.tuples(st.just("redo"), st.just(0.0), st.just(0), st.just("")),
    st.tuples(st.just("replace"), st.just(0.0), st.just(0), st.sampled_from(["", "New\n\ntext"])),
)


@settings(max_examples=150, deadline=None)
@given(edits=st.lists(_EDITS, max_size=15))
def test_the_body_follows_any_edit_undo_and_reload(qapp, edits) -> None:  # type: ignore[no-untyped-def]
    document = ArticleDocument(Article(body="Lead.\n\n## Part\n\nText with\u00a0space.\n"))
    text = document.text_document
    before = document.body()
    for action, where, removed, inserted in edits:
        if action == "type":
            cursor = QTextCursor(text)
            start = int(where * (text.characterCount() - 1))
            cursor.setPosition(start)
            cursor.setPosition(min(start + removed, text.characterCount() - 1),
                               QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(inserted)
        elif action == "undo":
            document.undo_stack.undo()
        elif action == "redo":
            document.undo_stack.redo()
        else:
            document.replace_article(Article(body=inserted))
        body = document.body()
        assert body == text.toPlainText()
        # Where the edit was, as the preview's renderer is told it: the ends it says are as
        # they were, are.
        ends = document.take_unchanged_ends()
        if ends is not None:
            start, end = ends
            assert start + end <= min(len(before), len(body))
            assert body[:start] == before[:start]
            assert body[len(body) - end:] == before[len(before) - end:]
        before = body


def test_typing_does_not_copy_the_whole_body(qapp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    document = ArticleDocument(Article(body="A paragraph of the report.\n\n" * 5000))
    copies: list[int] = []
    whole = QTextDocument.toPlainText

    def counted(self: QTextDocument) -> str:
        copies.append(1)
        return whole(self)

    monkeypatch.setattr(QTextDocument, "toPlainText", counted)
    cursor = QTextCursor(document.text_document)
    cursor.setPosition(len("A paragraph"))
    for character in " of words":
        cursor.insertText(character)
        document.body()
    assert document.body().startswith("A paragraph of words of the report.")
    assert copies == []


class _FirstWordsRed(QSyntaxHighlighter):
    def highlightBlock(self, text: str) -> None:
        red = QTextCharFormat()
        red.setForeground(QColor("red"))
        self.setFormat(0, min(4, len(text)), red)


def test_a_redraw_of_the_lines_is_not_an_edit(qapp) -> None:  # type: ignore[no-untyped-def]
    """The spell check's underlines arriving redraw every line; the text, and all that was
    worked out from it (analysis, panels, the journal), stays as it was."""
    document = ArticleDocument(Article(body="Lead.\n\n## Part\n\nText.\n"))
    highlighter = _FirstWordsRed(document.text_document)
    qapp.processEvents()
    changes: list[int] = []
    document.changed.connect(lambda: changes.append(document.revision))
    revision = document.revision

    highlighter.rehighlight()
    highlighter.rehighlightBlock(document.text_document.findBlockByNumber(2))
    assert (document.revision, changes) == (revision, [])

    cursor = QTextCursor(document.text_document)
    cursor.insertText("New ")
    assert changes == [revision + 1] and document.revision == revision + 1
    assert document.body() == "New Lead.\n\n## Part\n\nText.\n"
    # …and the renderer is told where the edit was, the redraws notwithstanding.
    assert document.take_unchanged_ends() == (0, len("Lead.\n\n## Part\n\nText.\n"))
