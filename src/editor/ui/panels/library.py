"""The Library dock: the story library searched as you type, and what it offers this article.

"Search" lists the stories matching the words typed. "For this article" lists, under each
link placeholder of the current tab, the stories its paragraph is about, and the stories worth
a related card. Enter or a double-click takes a suggestion (a link in place of its placeholder,
or a card: one undo step each); a story dragged onto the body becomes a link where it is
dropped, onto the Related stories panel a card. Suggestions run in a worker process and
indexing in a worker thread, each with its own connection to the library: typing never waits
for them.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, QSize, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QAction, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.errors import ArticleError
from editor.library import suggest_worker
from editor.library.sources import IndexReport, index_paths, rebuild
from editor.library.store import StoryStore, library_location, open_library
from editor.library.story import Story
from editor.library.suggest import ArticleSuggestions
from editor.model import Article, RelatedCard, trim_text
from editor.placeholders import Placeholder, find_placeholders
from editor.resolve import LINK_KINDS, resolve
from editor.ui.panels.base import DocumentDock
from editor.ui.tree_items import children, top_level_items

STORY_MIME_TYPE = "application/x-article-editor-story"
SEARCH_DELAY_MS = 120
SEARCH_LIMIT = 50
SUGGESTION_LIMIT = 5
THUMBNAIL = QSize(48, 32)
_StoryRole = Qt.ItemDataRole.UserRole + 1
_TargetRole = Qt.ItemDataRole.UserRole + 2  # the placeholder's ordinal, or -1 for a card


def story_card(story: Story) -> RelatedCard:
    """The related card a story makes: title, URL, image, alt text and teaser."""
    return RelatedCard(title=story.title, url=story.url, image=story.image,
                       image_alt=story.image_alt, teaser=story.teaser)


def story_mime(story: Story) -> QMimeData:
    """A dragged story: a Markdown link as text (the body takes it where it falls), and the
    whole card for the Related stories panel."""
    mime = QMimeData()
    mime.setText(f"[{story.title}]({story.url})" if story.url else story.title)
    mime.setData(STORY_MIME_TYPE, json.dumps(story_card(story).to_dict()).encode("utf-8"))
    return mime


def card_from_mime(mime: QMimeData) -> RelatedCard | None:
    """The card a story dragged from the Library dock carries; None for other drags."""
    if not mime.hasFormat(STORY_MIME_TYPE):
        return None
    try:
        fields = json.loads(bytes(mime.data(STORY_MIME_TYPE).data()).decode("utf-8"))
        return RelatedCard(**{key: str(value) for key, value in fields.items()
                              if key in {"title", "url", "image", "image_alt", "teaser"}})
    except (ValueError, TypeError):
        return None


# --- workers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Request:
    generation: int
    article: Article
    path: Path | None


class _Signals(QObject):
    """What the worker threads report, delivered in the window's thread."""

    suggestions = Signal(int, object)  # generation, ArticleSuggestions or an error message
    progress = Signal(int, int, str)
    indexed = Signal(object)  # IndexReport, or a message when the library cannot be used


def _emit(signal: SignalInstance, *values: object) -> None:
    with contextlib.suppress(RuntimeError):  # the dock is gone: nobody is waiting
        signal.emit(*values)


class _SuggestionWorker:
    """Ranks stories for articles in the library's worker process (a thread would hold the
    window's interpreter lock). A request not started when a newer one comes is dropped:
    only the text as it is now is worth ranking."""

    def __init__(self, location: str, signals: _Signals) -> None:
        self._location = location
        self._worker_signals = signals
        self._pending: Future[ArticleSuggestions | str] | None = None
        self._used = False

    def request(self, request: _Request) -> None:
        if self._pending is not None:
            self._pending.cancel()
        self._used = True
        future = suggest_worker.submit_suggestions(self._location, request.article,
                                                   request.path, SUGGESTION_LIMIT)
        self._pending = future
        future.add_done_callback(lambda done: None if done.cancelled() else _emit(
            self._worker_signals.suggestions, request.generation, done.result()))

    def library_changed(self) -> None:
        if self._used:
            suggest_worker.library_changed(self._location)

    def close(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
        if self._used:
            suggest_worker.close(self._location)


def _index(location: str, paths: Sequence[Path] | None, cancel: threading.Event,
           signals: _Signals) -> None:
    """Add folders and files (all of them again when ``paths`` is None), in a worker thread."""
    def progress(done: int, total: int, current: str) -> None:
        _emit(signals.progress, done, total, current)

    try:
        store = open_library(location)
        try:
            if paths is None:
                outcome: object = rebuild(store, progress, cancel.is_set)
            else:
                outcome = index_paths(store, paths, progress=progress, cancelled=cancel.is_set)
        finally:
            store.close()
    except ArticleError as error:
        outcome = str(error)
    _emit(signals.indexed, outcome)


# --- the views -------------------------------------------------------------------------------


class StoryTree(QTreeWidget):
    """A list of stories that can be dragged out, and taken with Enter."""

    activated_item = Signal(QTreeWidgetItem)

    def __init__(self, name: str, accessible: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setIconSize(THUMBNAIL)
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.itemDoubleClicked.connect(lambda item, _column: self.activated_item.emit(item))

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self.activated_item.emit(item)
            event.accept()
            return
        super().keyPressEvent(event)

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:  # type: ignore[override]
        stories = [item.data(0, _StoryRole) for item in items]
        stories = [story for story in stories if isinstance(story, Story)]
        return story_mime(stories[0]) if stories else QMimeData()

    def mimeTypes(self) -> list[str]:
        return [STORY_MIME_TYPE, "text/plain"]


def _story_item(story: Story, target: int, why: str = "") -> QTreeWidgetItem:
    item = QTreeWidgetItem([f"{story.title}\n{story.date or 'undated'} · "
                            f"{trim_text(story.teaser, 90) or story.url}"])
    item.setData(0, _StoryRole, story)
    item.setData(0, _TargetRole, target)
    tip = [story.title, story.url or story.source or "", story.teaser]
    if why:
        tip.append(f"Why: {why}")
    item.setToolTip(0, "\n".join(part for part in tip if part))
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                  | Qt.ItemFlag.ItemIsDragEnabled)
    thumbnail = _thumbnail(story)
    if thumbnail is not None:
        item.setIcon(0, thumbnail)
    return item


def _thumbnail(story: Story) -> QIcon | None:
    """The story's image when it is a file on this computer (beside the story's file)."""
    if not story.image or "://" in story.image or story.source is None:
        return None
    path = Path(story.source).parent / story.image
    if not path.is_file():
        return None
    pixmap = QPixmap(str(path))
    if pixmap.isNull():
        return None
    return QIcon(pixmap.scaled(THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio,
                               Qt.TransformationMode.SmoothTransformation))


# --- the dock --------------------------------------------------------------------------------


class LibraryPanel(DocumentDock):
    """Search the story library, take its suggestions for the current article, fill it."""

    indexing_finished = Signal(object)  # IndexReport or an error message
    suggestions_shown = Signal()

    def __init__(self, parent: QWidget | None = None, location: str | Path | None = None) -> None:
        super().__init__("Library", "LibraryPanel", parent)
        self.location = library_location(location)
        self.store: StoryStore | None = None
        self.error = ""
        self._generation = 0
        self._shown_generation = -1
        self._index_thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self.last_report: IndexReport | None = None
        self._shown: ArticleSuggestions | None = None

        self.count_label = QLabel()
        self.count_label.setObjectName("libraryCount")
        self.search_field = QLineEdit()
        self.search_field.setObjectName("librarySearch")
        self.search_field.setPlaceholderText("Search the library…")
        self.search_field.setClearButtonEnabled(True)
        self.results = StoryTree("LibraryResults", "Stories found")
        self.suggestions = StoryTree("LibrarySuggestions", "Stories for this article")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("libraryTabs")
        search_page = QWidget()
        search_layout = QVBoxLayout(search_page)
        search_layout.setContentsMargins(0, 4, 0, 0)
        search_layout.addWidget(self.search_field)
        search_layout.addWidget(self.results)
        self.tabs.addTab(self.suggestions, "For this article")
        self.tabs.addTab(search_page, "Search")

        self.progress = QProgressBar()
        self.progress.setObjectName("libraryProgress")
        self.progress.setFormat("%v / %m files")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("libraryCancel")
        self.cancel_button.clicked.connect(self.cancel_indexing)
        self.status_label = QLabel()
        self.status_label.setObjectName("libraryStatus")
        self.status_label.setWordWrap(True)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()

        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.count_label)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(progress_row)
        layout.addWidget(self.status_label)
        self.setWidget(container)

        self.add_folder_action = QAction("Add &Folder…", self)
        self.add_folder_action.setObjectName("action_library_add_folder")
        self.add_folder_action.triggered.connect(self._add_folder_with_dialog)
        self.add_feed_action = QAction("Add Feed &File…", self)
        self.add_feed_action.setObjectName("action_library_add_feed")
        self.add_feed_action.triggered.connect(self._add_feed_with_dialog)
        self.rebuild_action = QAction("&Rebuild", self)
        self.rebuild_action.setObjectName("action_library_rebuild")
        self.rebuild_action.setStatusTip("Read every folder and feed added to the library again")
        self.rebuild_action.triggered.connect(self.rebuild)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_now)
        self.search_field.textChanged.connect(self._search_timer.start)
        self.search_field.returnPressed.connect(self.search_now)
        self.results.activated_item.connect(self.take)
        self.suggestions.activated_item.connect(self.take)

        self._worker_signals = _Signals(self)
        self._worker_signals.suggestions.connect(self._show_suggestions)
        self._worker_signals.progress.connect(self._show_progress)
        self._worker_signals.indexed.connect(self._indexing_done)
        self._suggesting = _SuggestionWorker(self.location, self._worker_signals)

        self._open()
        self.refresh()

    def menu_actions(self) -> list[QAction]:
        """The Library menu: Add Folder…, Add Feed File…, Rebuild."""
        return [self.add_folder_action, self.add_feed_action, self.rebuild_action]

    def shut_down(self) -> None:
        """Stop the worker threads (the window is closing), and let go of the document."""
        self.set_document(None)
        self.cancel_indexing()
        if self._index_thread is not None:
            self._index_thread.join()
        self._suggesting.close()
        if self.store is not None:
            self.store.close()
            self.store = None

    # -- the library --------------------------------------------------------------------------
    def _open(self) -> None:
        try:
            # Not verified here (that reads the whole file): the suggestion worker does it.
            self.store = open_library(self.location, verify=False)
        except ArticleError as error:
            self.error = str(error)
            # A damaged file was moved aside and a new one made: use that.
            try:
                self.store = open_library(self.location)
            except ArticleError:
                self.store = None
        self._update_count()

    def _update_count(self) -> None:
        if self.store is None:
            self.count_label.setText("Library unavailable")
        else:
            count = self.store.count()
            self.count_label.setText(f"{count:,} stor{'y' if count == 1 else 'ies'} in the "
                                     "library")
        if self.error:
            self.status_label.setText(self.error)

    # -- search -------------------------------------------------------------------------------
    def search_now(self) -> None:
        self._search_timer.stop()
        self.results.clear()
        query = self.search_field.text()
        if self.store is None or not query.strip():
            return
        for match in self.store.search(query, SEARCH_LIMIT):
            self.results.addTopLevelItem(_story_item(match.story, -1))

    def result_titles(self) -> list[str]:
        return [item.data(0, _StoryRole).title for item in top_level_items(self.results)]

    # -- suggestions ----------------------------------------------------------------------
    def refresh(self) -> None:
        """The document changed (after a pause): ask the worker for new suggestions."""
        document = self.document()
        if document is None or self.store is None:
            self.suggestions.clear()
            return
        self._generation += 1
        self._suggesting.request(_Request(self._generation, document.article(), document.path))

    def _show_suggestions(self, generation: int, result: object) -> None:
        if generation != self._generation:
            return  # an answer for text that has changed since
        self._shown_generation = generation
        if not isinstance(result, ArticleSuggestions):
            self.status_label.setText(str(result))
            return
        self._shown = result
        self.suggestions.clear()
        for ordinal, group in enumerate(result.placeholders):
            placeholder = group.placeholder
            label = f"{placeholder.kind.label}, line {placeholder.line}"
            if placeholder.context:
                label += f" — “{trim_text(placeholder.context, 60)}”"
            parent = QTreeWidgetItem([label])
            parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
            parent.setData(0, _TargetRole, ordinal)
            self.suggestions.addTopLevelItem(parent)
            for suggestion in group.suggestions:
                parent.addChild(_story_item(suggestion.story, ordinal, suggestion.why))
            if not group.suggestions:
                empty = QTreeWidgetItem(["No story matches"])
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
                parent.addChild(empty)
            parent.setExpanded(True)
        cards = QTreeWidgetItem(["Related cards"])
        cards.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.suggestions.addTopLevelItem(cards)
        for suggestion in result.related:
            cards.addChild(_story_item(suggestion.story, -1, suggestion.why))
        cards.setExpanded(True)
        self.suggestions_shown.emit()

    def stories_for(self, placeholder: Placeholder) -> list[RelatedCard]:
        """The stories suggested for ``placeholder``, as cards (for the Resolve dialog);
        none while the suggestions shown are for an older text."""
        if self._shown is None or not self.suggestions_ready():
            return []
        for group in self._shown.placeholders:
            if (group.placeholder.start, group.placeholder.token) == (placeholder.start,
                                                                      placeholder.token):
                return [story_card(suggestion.story) for suggestion in group.suggestions
                        if suggestion.story.url]
        return []

    def suggestions_ready(self) -> bool:
        """Are the suggestions shown those for the document as it is now?"""
        return self._shown_generation == self._generation

    def suggestion_groups(self) -> list[tuple[str, list[str]]]:
        """What "For this article" shows: each group's label and its stories' titles."""
        groups = []
        for parent in top_level_items(self.suggestions):
            titles = [child.data(0, _StoryRole).title for child in children(parent)
                      if isinstance(child.data(0, _StoryRole), Story)]
            groups.append((parent.text(0), titles))
        return groups

    # -- taking a story ---------------------------------------------------------------------
    def take(self, item: QTreeWidgetItem) -> bool:
        """A suggestion under a placeholder resolves it; any other story becomes a card."""
        story = item.data(0, _StoryRole)
        document = self.document()
        if not isinstance(story, Story) or document is None:
            return False
        target = item.data(0, _TargetRole)
        if isinstance(target, int) and target >= 0:
            return self._resolve(target, story)
        metadata = document.metadata()
        if any(card.url == story.url and story.url for card in metadata.related):
            self.status_label.setText(f"“{story.title}” is already a card")
            return False
        document.set_related([*metadata.related, story_card(story)],
                             label="Add a related story")
        self.status_label.setText(f"Added a card: {story.title}")
        return True

    def _resolve(self, ordinal: int, story: Story) -> bool:
        document = self.document()
        assert document is not None
        links = [p for p in find_placeholders(document.body()) if p.kind in LINK_KINDS]
        if ordinal >= len(links):
            self.status_label.setText("That placeholder is gone; the suggestions are updating")
            return False
        placeholder: Placeholder = links[ordinal]
        if not story.url:
            self.status_label.setText(f"“{story.title}” has no URL to link to")
            return False
        resolution = resolve(placeholder, story.url, story.title)
        document.replace_body_range(resolution.start, resolution.end, resolution.text)
        self.jump_requested.emit(resolution.start)
        self.status_label.setText(f"Linked: {story.title}")
        return True

    # -- filling the library -------------------------------------------------------------
    def _add_folder_with_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder of stories to the library")
        if folder:
            self.add_paths([Path(folder)])

    def _add_feed_with_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Add feed files to the library", "",
            "Feeds and sitemaps (*.xml *.rss *.atom *.json);;All files (*)")
        if files:
            self.add_paths([Path(file) for file in files])

    def add_paths(self, paths: Sequence[Path]) -> bool:
        """Index folders and files in a worker thread; False if indexing is already running."""
        return self._start_indexing(list(paths))

    def rebuild(self) -> bool:
        return self._start_indexing(None)

    def is_indexing(self) -> bool:
        return self._index_thread is not None

    def cancel_indexing(self) -> None:
        if self._index_thread is not None:
            self._cancel.set()
            self.status_label.setText("Cancelling…")

    def _start_indexing(self, paths: list[Path] | None) -> bool:
        if self._index_thread is not None:
            return False
        self._cancel = threading.Event()
        self._index_thread = threading.Thread(
            target=_index, args=(self.location, paths, self._cancel, self._worker_signals),
            name="library-indexing", daemon=True)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.status_label.setText("Adding to the library…")
        for action in self.menu_actions():
            action.setEnabled(False)
        self._index_thread.start()
        return True

    def _show_progress(self, done: int, total: int, current: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if current:
            self.progress.setToolTip(current)

    def _indexing_done(self, outcome: object) -> None:
        if self._index_thread is not None:
            self._index_thread.join()
            self._index_thread = None
        self.progress.hide()
        self.cancel_button.hide()
        for action in self.menu_actions():
            action.setEnabled(True)
        if isinstance(outcome, IndexReport):
            self.last_report = outcome
            self.status_label.setText(_summary(outcome))
            self.status_label.setToolTip("\n".join(f"{path}: {reason}"
                                                   for path, reason in outcome.skipped))
        else:
            self.status_label.setText(str(outcome))
        self._update_count()
        self._suggesting.library_changed()
        self.search_now()
        self.refresh()
        self.indexing_finished.emit(outcome)


def _summary(report: IndexReport) -> str:
    text = f"Added {report.added:,} stor{'y' if report.added == 1 else 'ies'}"
    if report.removed:
        text += f", removed {report.removed:,}"
    if report.cancelled:
        text += " (cancelled)"
    if report.skipped:
        names = ", ".join(Path(path).name for path, _ in report.skipped[:3])
        more = f" and {len(report.skipped) - 3} more" if len(report.skipped) > 3 else ""
        text += f"; skipped {len(report.skipped)} unreadable file(s): {names}{more}"
    return text + "."


