"""One tab: the metadata form and body editor beside the live preview, for one article.

The tab is the small controller of its parts: it binds them to its :class:`ArticleDocument`
and connects them to each other (form edits become undoable metadata changes; text changes
become preview patches; the editor's cursor and the preview follow each other).
"""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPoint, QTimer, QUrl, Signal
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from editor.analysis import Analysis
from editor.export import ExportOptions
from editor.fileformat import without_front_matter
from editor.model import Article
from editor.render import BodyRenderer, RenderedBody
from editor.spelling import SpellChecker, article_terms, with_ignored_word
from editor.ui.document import TYPING_PAUSE_MS, ArticleDocument
from editor.ui.editor import BodyEditor
from editor.ui.field_spelling import FieldSpelling
from editor.ui.find_bar import FindBar
from editor.ui.first_screen import first_screen_shown
from editor.ui.main_thread import BeforeRepaint
from editor.ui.metadata_form import FIELDS, MetadataForm
from editor.ui.preload import render_first_screen, take_first_article
from editor.ui.preview import PreviewView
from editor.ui.settings import Settings
from editor.ui.spelling import WordListLoader, personal_dictionary

# Rendering per turn of the event loop in a long re-render: with the turn's other work it stays
# within one 60-Hz frame even on a busy 2-core machine (bench/: full re-render).
RENDER_SLICE_SECONDS = 0.008
# An edit's own turn is shorter: it runs right after the key event and before the editor's
# repaint, all one stall for the window; a render it does not finish goes on in turns of
# RENDER_SLICE_SECONDS. (A keystroke's render takes well under a millisecond.)
EDIT_SLICE_SECONDS = 0.004
# After the page is ready, QtWebEngine still paints it (partly on the main thread): what waits
# for the first screen starts this much later. It starts anyway after the longer wait.
FIRST_PAINT_MS = 150
AFTER_FIRST_SCREEN_LATEST_MS = 3000


@dataclass(frozen=True)
class BodyStats:
    """What the status bar shows of the body, from the document's shared analysis."""

    words: int = 0
    minutes: int = 0
    placeholders: int = 0

    @classmethod
    def of(cls, analysis: Analysis) -> BodyStats:
        return cls(analysis.words, analysis.reading_minutes, len(analysis.placeholders))


class EditorTab(QWidget):
    """Edits one :class:`ArticleDocument`; the window reads its state through it."""

    stats_changed = Signal(object)  # BodyStats
    cursor_moved = Signal()
    files_dropped = Signal(list)
    link_clicked = Signal(QUrl)
    form_expanded_changed = Signal(bool)
    spell_checker_changed = Signal(object)  # SpellChecker or None

    def __init__(self, document: ArticleDocument, options: ExportOptions,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._options = options
        self._renderer = BodyRenderer(options.raw_html)
        self._body = RenderedBody()  # the blocks the preview shows (or is about to)
        self.stats = BodyStats()

        self.form = MetadataForm()
        self.editor = BodyEditor()
        self.editor.setObjectName("bodyEditor")
        self.find_bar = FindBar()
        self.preview = PreviewView()
        self.preview.setObjectName("preview")
        self.preview.setMinimumWidth(200)

        editing = QWidget()
        editing.setObjectName("editingPane")
        column = QVBoxLayout(editing)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.form)
        column.addWidget(self.editor, 1)
        column.addWidget(self.find_bar)

        self.splitter = QSplitter()
        self.splitter.setObjectName("tabSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(editing)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        # An edit's refresh goes ahead of the editor's repaint (the page applies the patch
        # while the editor paints); the turns that continue a long render, or the render after
        # the first screen, wait behind everything else, as a 0-ms timer does.
        self._refresh_soon = BeforeRepaint(lambda: self.refresh_preview(EDIT_SLICE_SECONDS),
                                           self)
        self._refresh_timer = QTimer(self, singleShot=True, interval=0)
        self._refresh_timer.timeout.connect(self.refresh_preview)
        self._reveal_timer = QTimer(self, singleShot=True, interval=0)
        self._reveal_timer.timeout.connect(self._follow_cursor)
        # Typing after a pause is an undo step of its own.
        self._typing_pause = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._typing_pause.timeout.connect(self.document.end_undo_step)
        self._scroll_sync = True  # the View menu's Sync Scrolling (set by the window)
        self._scrolling_from_preview = False

        self.editor.bind(document.text_document, document.undo_stack)
        self.form.set_undo_stack(document.undo_stack)
        self.find_bar.set_editor(self.editor)
        self._update_base_dir()
        self.form.set_article(document.metadata())

        self.form.field_edited.connect(self._on_field_edited)
        self.form.files_dropped.connect(self.files_dropped)
        self.form.expanded_changed.connect(self.form_expanded_changed)
        self.editor.files_dropped.connect(self.files_dropped)
        self.preview.files_dropped.connect(self.files_dropped)
        self.preview.link_clicked.connect(self.link_clicked)
        self.preview.block_clicked.connect(self._on_preview_block_clicked)
        self.preview.user_scrolled.connect(self._on_preview_scrolled)
        self.editor.verticalScrollBar().valueChanged.connect(self._on_editor_scrolled)
        self.editor.cursorPositionChanged.connect(self._on_cursor_moved)
        document.body_changed.connect(self._on_text_changed)
        document.metadata_changed.connect(self._on_metadata_changed)
        document.path_changed.connect(self._on_path_changed)
        document.analysis.updated.connect(self.update_stats)

        self.spell_checker: SpellChecker | None = None
        self._spelling_lang: str | None = None
        self._allowed: frozenset[str] = frozenset()
        self._word_loader = WordListLoader(self)
        self._word_loader.loaded.connect(self._on_word_list_loaded)
        self.editor.add_to_dictionary.connect(personal_dictionary().add)
        self.editor.ignore_in_article.connect(self.ignore_in_article)
        self.editor.language_chosen.connect(self._set_language)
        self.field_spelling = FieldSpelling(self.form.fields, self.form.edit_field,
                                            lambda: document.undo_stack, self)
        self.field_spelling.add_to_dictionary.connect(personal_dictionary().add)
        self.field_spelling.ignore_in_article.connect(self.ignore_in_article)
        personal_dictionary().changed.connect(self._update_spelling)

        # The spelling dictionary is read once the preview shows the article (or after a while,
        # if it never does): read earlier, its thread held the interpreter lock for most of a
        # second of the start-up the user waits through. So waits what first_screen holds back.
        self._spelling_started = False
        self._first_paint = QTimer(self, singleShot=True, interval=FIRST_PAINT_MS)
        self._first_paint.timeout.connect(self._after_first_screen)
        self.preview.ready.connect(self._first_paint.start)
        QTimer.singleShot(AFTER_FIRST_SCREEN_LATEST_MS, self, self._after_first_screen)
        # A tab opened behind others shows its article only when it comes in front (the
        # window's tabs share one page): its spell check starts as if it had been shown, so
        # that it is not still running when the user first switches to it.
        QTimer.singleShot(0, self, self._first_paint_if_behind)

        self.load_preview()
        self.update_stats()
        self._update_spelling()

    # -- preview ---------------------------------------------------------------------------
    def load_preview(self) -> None:
        """Load the whole page once (again): at opening, or when the folder or options change.

        A long article's page loads with its first screen; the rest is rendered meanwhile,
        spread over several turns of the event loop like any full re-render, and arrives as a
        patch (with the page, when it is rendered before the page has loaded).
        """
        text, unchanged = self._text_to_render()
        read_ahead = take_first_article(self.document.path, text, self._options)
        if read_ahead is not None:  # rendered at start-up, its page loading since (preload)
            self._renderer = read_ahead.renderer
            body: RenderedBody | None = read_ahead.body
        else:
            body = render_first_screen(self._renderer, text, unchanged)
        if body is None:
            body = RenderedBody(self._renderer.rendered_so_far())
            self._refresh_timer.start()
        self._body = body
        self.preview.load_article(self.document.metadata(), body, self.base_dir(),
                                  self._options)
        if self.top_line() > 0:  # a reload: the page comes back where the editor is
            self._sync_preview_scroll()

    def _first_paint_if_behind(self) -> None:
        if self.preview.is_parked():
            self._first_paint.start()

    def _after_first_screen(self) -> None:
        first_screen_shown()
        if not self._spelling_started:
            self._spelling_started = True
            self._update_spelling()

    def refresh_preview(self, slice_seconds: float = RENDER_SLICE_SECONDS) -> None:
        """Re-render the body (cached blocks are free) and patch what changed.

        A re-render of many blocks (a changed reference definition, a pasted chapter) is
        spread over several turns of the event loop, so typing never waits for it.
        """
        self._refresh_soon.stop()  # whichever asked, this turn does what both would
        self._refresh_timer.stop()
        body = self._render(slice_seconds)
        if body is None:
            self._refresh_timer.start()  # continue with what is cached on the next turn
            return
        self._body = body
        # The cursor's block revealed in the patch's own call to the page.
        self._reveal_timer.stop()
        self.preview.show_blocks(body, reveal=self._cursor_block())

    def _render(self, slice_seconds: float) -> RenderedBody | None:
        """The body rendered, or None when this turn's time ran out first."""
        text, unchanged = self._text_to_render()
        return self._renderer.render_until(text, time.perf_counter() + slice_seconds,
                                           unchanged)

    def _text_to_render(self) -> tuple[str, tuple[int, int] | None]:
        """The body as the page shows it, and how much of its ends no edit has touched
        since it was last rendered (None: unknown)."""
        body = self.document.body()
        text = without_front_matter(body)
        unchanged = self.document.take_unchanged_ends()
        if text is not body:
            unchanged = None  # front matter shifts the text
        return text, unchanged

    def preview_is_current(self) -> bool:
        """Does the preview show the body as it stands (no render still under way)? A tab
        behind others holds no page: its preview is current when it has the body to show."""
        return ((self.preview.is_ready() or self.preview.is_parked())
                and not self._refresh_timer.isActive() and not self._refresh_soon.isActive())

    def set_options(self, options: ExportOptions) -> None:
        self._options = options
        self.preview.set_theme(options)

    def block_index_for_line(self, line: int) -> int:
        """The rendered block holding 0-based ``line``, or the next one after a blank line."""
        body = self._body
        if not len(body):
            return -1
        index = bisect.bisect_right(body.starts, line) - 1
        if index < 0:
            return 0
        if line >= body.end(index) and index + 1 < len(body):
            return index + 1
        return index

    def _cursor_block(self) -> int:
        return self.block_index_for_line(self.editor.textCursor().blockNumber())

    def _follow_cursor(self) -> None:
        self.preview.reveal_block(self._cursor_block())

    def _on_preview_block_clicked(self, index: int) -> None:
        if 0 <= index < len(self._body):
            self.editor.go_to_line(self._body.starts[index])
            self.editor.setFocus()

    def reveal_position(self, position: int) -> None:
        """Put the editor's cursor at body character ``position``; the preview follows."""
        self.editor.go_to_position(position)
        self.editor.setFocus()
        self._follow_cursor()

    # -- reacting --------------------------------------------------------------------------
    def _on_text_changed(self) -> None:
        self._refresh_soon.start()
        self._reveal_timer.stop()  # the refresh reveals the cursor's block with its patch
        self._typing_pause.start()

    def _on_cursor_moved(self) -> None:
        self.document.cursor_moved(self.editor.textCursor().position())
        self.cursor_moved.emit()
        self._reveal_timer.start()

    def _on_field_edited(self, name: str, value: object) -> None:
        label = next((spec.label for spec in FIELDS if spec.name == name), name)
        self.document.update_metadata(f"Edit {label.lower()}", **{name: value})

    def _on_metadata_changed(self) -> None:
        metadata = self.document.metadata()
        self.form.set_article(metadata)
        self.preview.show_metadata(metadata)
        self._update_spelling()

    # -- spelling --------------------------------------------------------------------------
    def _update_spelling(self) -> None:
        """A new checker when the language or the words the article allows have changed."""
        metadata = self.document.metadata()
        lang = metadata.lang or "en"
        self.editor.language = lang
        if not self._spelling_started:
            return
        allowed = frozenset(article_terms(metadata)) | personal_dictionary().words
        if lang != self._spelling_lang:
            self._spelling_lang, self._allowed = lang, allowed
            if self.spell_checker is not None:  # the old language's words are no judge now
                self._install_checker(None, frozenset())
            self._word_loader.load(lang, allowed, self.document.body())
        elif allowed != self._allowed and self.spell_checker is not None:
            added = allowed - self._allowed
            self._allowed = allowed
            self._install_checker(self.spell_checker.allowing(allowed), added)
        else:
            self._allowed = allowed

    def _on_word_list_loaded(self, lang: str, checker: SpellChecker | None) -> None:
        if lang != self._spelling_lang:
            return  # the language changed again while this one loaded
        if checker is not None and self._allowed != checker.allowed:
            checker = checker.allowing(self._allowed)  # words allowed meanwhile
        self._install_checker(checker, frozenset())

    def _install_checker(self, checker: SpellChecker | None, added: frozenset[str]) -> None:
        """Show ``checker``'s underlines; one newly allowed word redraws only its lines."""
        self.spell_checker = checker
        self.field_spelling.set_checker(checker)
        highlighter = self.editor.highlighter
        if highlighter is not None:
            if checker is not None and len(added) == 1:
                highlighter.refresh_word(checker, next(iter(added)))
            else:
                highlighter.set_spell_checker(checker)
        self.spell_checker_changed.emit(checker)

    def ignore_in_article(self, word: str) -> None:
        metadata: Article = self.document.metadata()
        self.document.update_metadata(f"Ignore “{word}” in this article",
                                      extra=with_ignored_word(metadata, word))

    def _set_language(self, code: str) -> None:
        self.document.update_metadata("Set the language", lang=code)

    def _on_path_changed(self) -> None:
        before = self.editor.base_dir
        self._update_base_dir()
        if self.base_dir() != before:  # images resolve elsewhere now; same folder: no flash
            self.load_preview()

    def show_field(self, name: str) -> bool:
        """Open the form at metadata field ``name`` and focus it; False if the form has none."""
        field = self.form.fields.get(name)
        if field is None:
            return False
        self.form.set_expanded(True)
        field.setFocus()
        return True

    def base_dir(self) -> Path | None:
        path = self.document.path or self.document.imported_from
        return path.parent if path is not None else None

    def _update_base_dir(self) -> None:
        self.editor.base_dir = self.form.base_dir = self.base_dir()

    def update_stats(self) -> None:
        """Show the counts of the newest analysis (it follows the text after a pause)."""
        stats = BodyStats.of(self.document.analysis.latest())
        if stats != self.stats:
            self.stats = stats
            self.stats_changed.emit(stats)

    # -- what the window asks of a tab ------------------------------------------------------
    def apply_view_settings(self, settings: Settings, default_width: int) -> None:
        """Take the window's view settings: font and zoom, word wrap, preview, form, splitter.

        Without remembered splitter sizes, the editor and the preview share ``default_width``.
        """
        self.set_zoom(settings.font_family, settings.font_size, settings.zoom)
        self.set_word_wrap(settings.word_wrap)
        self.set_scroll_sync(settings.scroll_sync)
        self.set_preview_visible(settings.preview_visible)
        self.set_form_expanded(settings.form_expanded)
        sizes = settings.splitter_sizes
        if len(sizes) == 2 and all(size > 0 for size in sizes):
            self.splitter.setSizes(sizes)
        else:
            width = max(800, default_width)
            self.splitter.setSizes([int(width * 0.54), int(width * 0.46)])

    def splitter_sizes(self) -> list[int]:
        return self.splitter.sizes()

    def set_preview_visible(self, visible: bool) -> None:
        self.preview.setVisible(visible)

    def set_zoom(self, family: str, size: int, zoom: int) -> None:
        self.editor.set_editor_font(family, size, zoom)
        self.preview.setZoomFactor(max(0.3, 1.0 + zoom * 0.1))

    def set_word_wrap(self, wrap: bool) -> None:
        self.editor.set_word_wrap(wrap)

    def set_scroll_sync(self, sync: bool) -> None:
        self._scroll_sync = sync
        if sync:
            self._sync_preview_scroll()

    # -- scroll sync: editor → preview by block, preview → editor when the user scrolls it ----
    def top_line(self) -> int:
        """The 0-based line at the top of the editor's view."""
        return self.editor.cursorForPosition(QPoint(0, 0)).blockNumber()

    def _on_editor_scrolled(self) -> None:
        if self._scroll_sync and not self._scrolling_from_preview:
            self._sync_preview_scroll()

    def _sync_preview_scroll(self) -> None:
        line = self.top_line()
        self.preview.scroll_to_block(0 if line == 0 else max(0, self.block_index_for_line(line)))

    def _on_preview_scrolled(self, index: int) -> None:
        if not self._scroll_sync or not 0 <= index < len(self._body):
            return
        if self.block_index_for_line(self.top_line()) == index:
            return  # in step already (the page followed the editor)
        block = self.document.text_document.findBlockByNumber(self._body.starts[index])
        self._scrolling_from_preview = True
        try:
            self.editor.verticalScrollBar().setValue(block.firstLineNumber())
        finally:
            self._scrolling_from_preview = False

    def set_form_expanded(self, expanded: bool) -> None:
        self.form.set_expanded(expanded)

    def open_find(self, replace: bool) -> None:
        self.find_bar.open_bar(replace)

    def find_next(self) -> bool:
        return self.find_bar.find_next()

    def find_previous(self) -> bool:
        return self.find_bar.find_previous()

    def focus_editor(self) -> None:
        self.editor.setFocus()

    def insert_images(self, images: list[Path]) -> None:
        """Dropped or opened image files, referenced in the body at the cursor."""
        self.editor.insert_images(images)

    def cursor_position(self) -> int:
        """The editor's cursor as a body character position."""
        return self.editor.textCursor().position()

    def line_and_column(self) -> tuple[int, int]:
        """The editor's cursor as a 1-based line and column."""
        return self.editor.line_and_column()

    def replace_text_keeping_view(self, article: Article) -> None:
        """Replace the document's content; the editor keeps its cursor and scroll position."""
        editor = self.editor
        cursor = editor.textCursor()
        position, anchor = cursor.position(), cursor.anchor()
        scroll = editor.verticalScrollBar().value()
        self.document.replace_article(article)
        last = max(0, self.document.text_document.characterCount() - 1)
        cursor = editor.textCursor()
        cursor.setPosition(min(anchor, last))
        cursor.setPosition(min(position, last), cursor.MoveMode.KeepAnchor)
        editor.setTextCursor(cursor)
        editor.verticalScrollBar().setValue(scroll)

    def close_tab(self) -> None:
        """Free what the tab holds outside Qt's ownership (the preview's page file), and leave
        its preview's page to the next tab shown."""
        self._refresh_soon.stop()
        self._refresh_timer.stop()
        self._typing_pause.stop()
        self.preview.discard_page_file()
        self.preview.release_page()
        first_screen_shown()  # closed before its article showed: what waited for it goes on

