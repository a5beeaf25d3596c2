"""The Library dock: the story library searched as you type, and what it offers this article.

"Search" lists the stories matching the words typed. "For this article" lists, under each
link placeholder of the current tab, the stories its paragraph is about, and the stories worth
a related card. Enter or a double-click takes a suggestion (a link in place of its placeholder,
or a card: one undo step each); a story dragged onto the body becomes a link where it is
dropped, onto the Related stories panel a card. Suggestions are ranked in a worker process,
indexing runs in a worker thread, each with its own connection to the library: typing never
waits for them.

A library on a server (a ``postgresql://`` URL) is also opened, counted and searched in a worker
thread, so a server that is slow or away never holds up the window: the dock then says
"Library offline — retrying" with the reason, tries again every few seconds, and picks up where
it was when the server answers.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QFileSystemWatcher,
    QMimeData,
    QObject,
    QSize,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
)
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
from editor.library.sources import IndexReport, index_paths, rebuild, watched_folders
from editor.library.store import (
    LibraryUnavailableError,
    StoryStore,
    is_server_url,
    library_location,
    open_library,
)
from editor.library.story import Match, Story
from editor.library.suggest import ArticleSuggestions
from editor.library.worker import SuggestionOutcome, close_library, submit_suggestions
from editor.model import Article, RelatedCard, trim_text
from editor.placeholders import Placeholder, find_placeholders
from editor.resolve import LINK_KINDS, resolve
from editor.ui.first_screen import after_first_screen
from editor.ui.main_thread import deliver, prepare_relay
from editor.ui.panels.base import DocumentDock
from editor.ui.tree_items import children, top_level_items

STORY_MIME_TYPE = "application/x-article-editor-story"
SEARCH_DELAY_MS = 120
SEARCH_LIMIT = 50
SUGGESTION_LIMIT = 5
WATCH_DELAY_MS = 1000  # a save or a folder copied in settles before its folder is read again
# The watcher sees files come, go and be renamed (an editor's save); a sweep now and then
# catches files rewritten in place and folders beyond the system's limit of watches.
SWEEP_INTERVAL_MS = 5 * 60 * 1000
THUMBNAIL = QSize(48, 32)
OFFLINE = "Library offline — retrying"
EMPTY_LIBRARY = "The library is empty"
EMPTY_LIBRARY_HINT = "Library ▸ Add Folder… fills it"
RETRY_INTERVAL_MS = 5000
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
    """What the worker threads report, delivered in the window's thread (through :func:`_emit`)."""

    suggestions = Signal(int, object)  # generation, ArticleSuggestions or an error message
    progress = Signal(int, int, str)
    indexed = Signal(object)  # IndexReport, or a message when the library cannot be used
    # A server library: opened (the store and its story count), counted, searched, or away.
    connected = Signal(object, int)
    counted = Signal(int)
    found = Signal(int, object)  # search generation, list[Match]
    offline = Signal(str)  # why the server cannot be used now
    failed = Signal(str)  # the server answered but the library cannot be used (not retried)
    watched = Signal(list)  # the folders and files of the library's remembered roots


def _emit(signals: _Signals, signal: SignalInstance, *values: object) -> None:
    """From a worker thread: ``signal`` (one of ``signals``') emitted in the window's thread,
    unless the dock has gone meanwhile."""
    deliver(signals, lambda: signal.emit(*values))


class _Suggestions:
    """Ranks stories for articles in the library's worker process (a thread held the window's
    interpreter lock while it ranked). A request not yet started is dropped when a newer one
    comes: only the text as it is now is worth ranking."""

    def __init__(self, location: str, signals: _Signals) -> None:
        self._location = location
        self._worker_signals = signals
        self._waiting: Future[SuggestionOutcome] | None = None
        self._library_version = 0
        self._used = False

    def request(self, request: _Request) -> None:
        if self._waiting is not None:
            self._waiting.cancel()  # not started yet: never will
        future = submit_suggestions(self._location, request.article, request.path,
                                    SUGGESTION_LIMIT, self._library_version)
        self._used = True
        self._waiting = future
        future.add_done_callback(lambda done: self._answered(request.generation, done))

    def library_changed(self) -> None:
        self._library_version += 1  # the story count and word frequencies have changed

    def close(self) -> None:
        if self._waiting is not None:
            self._waiting.cancel()
        if self._used:
            close_library(self._location)

    def _answered(self, generation: int, future: Future[SuggestionOutcome]) -> None:
        """In a thread of the worker's: the outcome, delivered to the window's thread."""
        if future.cancelled():
            return
        signals = self._worker_signals
        try:
            outcome = future.result()
        except BrokenProcessPool:
            outcome = SuggestionOutcome(error="The library's worker process stopped; "
                                              "it starts again with the next change")
        if outcome.offline:
            _emit(signals, signals.offline, outcome.offline)
            return
        result = outcome.suggestions if outcome.suggestions is not None else outcome.error
        _emit(signals, signals.suggestions, generation, result)


def _index(location: str, paths: Sequence[Path] | None, cancel: threading.Event,
           signals: _Signals, changed_roots: Sequence[str] | None = None) -> None:
    """Add folders and files (all of them again when ``paths`` is None, or only what changed
    under ``changed_roots``), in a worker thread; then list the folders to watch."""
    def progress(done: int, total: int, current: str) -> None:
        _emit(signals, signals.progress, done, total, current)

    try:
        store = open_library(location)
        try:
            if changed_roots is not None:
                outcome: object = rebuild(store, progress, cancel.is_set, roots=changed_roots,
                                          force=False)
            elif paths is None:
                outcome = rebuild(store, progress, cancel.is_set)
            else:
                outcome = index_paths(store, paths, progress=progress, cancelled=cancel.is_set)
            _emit(signals, signals.watched, watched_folders(store.roots()))
        finally:
            store.close()
    except ArticleError as error:
        outcome = str(error)
    _emit(signals, signals.indexed, outcome)


class _ServerThread:
    """The worker thread that talks to a server library for the window: opens it (again after
    it was away), counts and searches, reporting through signals: never the window's thread."""

    def __init__(self, location: str, signals: _Signals) -> None:
        self._location = location
        self._signals = signals
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="library-server")
        self._letting_go: list[StoryStore] = []

    def connect(self) -> None:
        self._executor.submit(self._connect)

    def count(self, store: StoryStore) -> None:
        signals = self._signals
        self._executor.submit(self._run, lambda: _emit(signals, signals.counted, store.count()))

    def search(self, store: StoryStore, generation: int, query: str) -> None:
        signals = self._signals
        self._executor.submit(self._run, lambda: _emit(
            signals, signals.found, generation, store.search(query, SEARCH_LIMIT)))

    def close(self, store: StoryStore | None = None) -> None:
        """Stop (a connection attempt under way ends within its time limit), then close the
        stores still open."""
        self._executor.shutdown(wait=True, cancel_futures=True)
        for left in [*self._letting_go, *([store] if store is not None else [])]:
            with contextlib.suppress(ArticleError):
                left.close()
        self._letting_go.clear()

    def let_go(self, store: StoryStore) -> None:
        """Close a store no longer used (in the worker: closing can wait on the network)."""
        self._letting_go.append(store)

        def close() -> None:
            with contextlib.suppress(ValueError):
                self._letting_go.remove(store)
                store.close()

        self._executor.submit(close)

    def _connect(self) -> None:
        try:
            store = open_library(self._location)
            try:
                count = store.count()
            except ArticleError:
                store.close()
                raise
            _emit(self._signals, self._signals.connected, store, count)
        except LibraryUnavailableError as error:
            _emit(self._signals, self._signals.offline, error.message)
        except ArticleError as error:
            _emit(self._signals, self._signals.failed, str(error))

    def _run(self, work: Callable[[], None]) -> None:
        try:
            work()
        except LibraryUnavailableError as error:
            _emit(self._signals, self._signals.offline, error.message)
        except ArticleError as error:
            _emit(self._signals, self._signals.failed, str(error))


def _list_watched(roots: Sequence[str], signals: _Signals) -> None:
    _emit(signals, signals.watched, watched_folders(roots))


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
    library_chosen = Signal(Path)  # the user chose another library file (to remember it)
    waits_for_pause = True  # ranking the stories for a long article takes its worker a while

    def __init__(self, parent: QWidget | None = None, location: str | Path | None = None) -> None:
        """``location`` is the library file; without one, the window's (``--library``, then
        $ARTICLE_EDITOR_LIBRARY, then the file chosen in its settings), else the default."""
        super().__init__("Library", "LibraryPanel", parent)
        window_location = getattr(parent, "library_location", None)
        self.location = (library_location(location) if location or window_location is None
                         else window_location())
        # Asks where the library file is (a test answers instead of a dialog).
        self.ask_library_file: Callable[[], Path | None] = self._library_file_from_dialog
        self.store: StoryStore | None = None
        self.error = ""
        self._generation = 0
        self._shown_generation = -1
        self._index_thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self.last_report: IndexReport | None = None
        self._shown: ArticleSuggestions | None = None
        self._story_count: int | None = None  # None: not known yet

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
        self.choose_file_action = QAction("&Choose Library File…", self)
        self.choose_file_action.setObjectName("action_library_choose_file")
        self.choose_file_action.setStatusTip("Open another library file, or make a new one")
        self.choose_file_action.triggered.connect(self._choose_library_file)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_now)
        self.search_field.textChanged.connect(self._search_timer.start)
        self.search_field.returnPressed.connect(self.search_now)
        self.results.activated_item.connect(self.take)
        self.suggestions.activated_item.connect(self.take)

        prepare_relay()
        self._worker_signals = _Signals(self)
        self._worker_signals.suggestions.connect(self._show_suggestions)
        self._worker_signals.progress.connect(self._show_progress)
        self._worker_signals.indexed.connect(self._indexing_done)
        self._worker_signals.watched.connect(self._watch)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._folder_changed)
        self._watcher.fileChanged.connect(self._folder_changed)
        self._changed_roots: set[str] = set()
        self._background = False  # the indexing running only catches up with watched folders
        self._watch_timer = QTimer(self)
        self._watch_timer.setSingleShot(True)
        self._watch_timer.setInterval(WATCH_DELAY_MS)
        self._watch_timer.timeout.connect(self._catch_up)
        self._sweep_timer = QTimer(self)
        self._sweep_timer.setInterval(SWEEP_INTERVAL_MS)
        self._sweep_timer.timeout.connect(self.sweep_watched)
        self._sweep_timer.start()
        self._walk_thread: threading.Thread | None = None
        self._suggesting = _Suggestions(self.location, self._worker_signals)
        self.offline_reason = ""
        self._search_generation = 0
        self._server: _ServerThread | None = None
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.setInterval(RETRY_INTERVAL_MS)
        if is_server_url(self.location):
            self._server = _ServerThread(self.location, self._worker_signals)
            self._retry_timer.timeout.connect(self._server.connect)
            self._worker_signals.connected.connect(self._connected)
            self._worker_signals.counted.connect(self._counted)
            self._worker_signals.found.connect(self._show_found)
            self._worker_signals.failed.connect(self._failed)
        self._worker_signals.offline.connect(self._went_offline)

        self._open()
        self.refresh()

    def menu_actions(self) -> list[QAction]:
        """The Library menu: Add Folder…, Add Feed File…, Rebuild, Choose Library File…."""
        return [self.add_folder_action, self.add_feed_action, self.rebuild_action,
                self.choose_file_action]

    def shut_down(self) -> None:
        """Stop the worker threads (the window is closing), and let go of the document."""
        self.set_document(None)
        self._close_library()

    def _close_library(self) -> None:
        self._watch_timer.stop()
        self._changed_roots.clear()
        if self._watcher.files() or self._watcher.directories():
            self._watcher.removePaths(self._watcher.files() + self._watcher.directories())
        if self._walk_thread is not None:
            self._walk_thread.join()
            self._walk_thread = None
        self.cancel_indexing()
        if self._index_thread is not None:
            self._index_thread.join()
            self._index_thread = None
            self._indexing_stopped()
        self._suggesting.close()
        self._retry_timer.stop()
        if self._server is not None:
            self._server.close(self.store)
        elif self.store is not None:
            self.store.close()
        self.store = None

    # -- the library --------------------------------------------------------------------------
    def open_library_file(self, location: str | Path) -> None:
        """Use the library at ``location`` from now on (a new file becomes an empty library)."""
        self._close_library()
        self.location = str(location)
        self.error = ""
        self.status_label.clear()
        self._suggesting = _Suggestions(self.location, self._worker_signals)
        self._shown = None
        self.suggestions.clear()
        self._open()
        self.search_now()
        self.refresh()

    def _choose_library_file(self) -> None:
        chosen = self.ask_library_file()
        if chosen is None:
            return
        self.open_library_file(chosen)
        self.library_chosen.emit(Path(chosen))

    def _library_file_from_dialog(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Choose the library file (an existing one, or a name for a new one)",
            self.location, "Story libraries (*.sqlite3);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite)
        return Path(name) if name else None

    def _open(self) -> None:
        if self._server is not None:
            self.count_label.setText("Connecting to the library…")
            self._server.connect()
            return
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
        if self.store is not None and self.store.roots():
            # Listing a large tree's folders takes a moment: not in the window's thread.
            self._walk_thread = threading.Thread(
                target=_list_watched, args=(list(self.store.roots()), self._worker_signals),
                name="library-watch-list", daemon=True)
            self._walk_thread.start()

    # -- watched folders ------------------------------------------------------------------
    def watched_paths(self) -> list[str]:
        return sorted(self._watcher.directories() + self._watcher.files())

    def _watch(self, paths: list[str]) -> None:
        if self.store is None:
            return  # from a library closed since
        current = set(self._watcher.directories() + self._watcher.files())
        wanted = set(paths)
        if current - wanted:
            self._watcher.removePaths(sorted(current - wanted))
        if wanted - current:
            # Paths beyond the system's limit of watches are left to the periodic sweep.
            self._watcher.addPaths(sorted(wanted - current))

    def _folder_changed(self, path: str) -> None:
        if self.store is None:
            return
        for root in self.store.roots():
            if path == root or path.startswith(root.rstrip("/\\") + os.sep):
                self._changed_roots.add(root)
        self._watch_timer.start()

    def sweep_watched(self) -> None:
        """Read again what changed in every remembered folder and file (only what changed)."""
        if self.store is not None:
            self._changed_roots.update(self.store.roots())
            self._catch_up()

    def _catch_up(self) -> None:
        if not self._changed_roots or self._index_thread is not None:
            return  # nothing to do, or after the indexing running now
        roots = sorted(self._changed_roots)
        self._changed_roots.clear()
        self._background = True
        self._start_indexing(None, changed_roots=roots)

    def _update_count(self) -> None:
        if self._server is not None:
            if self.store is not None:
                self._server.count(self.store)
            return
        if self.store is None:
            self.count_label.setText("Library unavailable")
        else:
            self._show_count(self.store.count())
        if self.error:
            self.status_label.setText(self.error)

    # -- search -------------------------------------------------------------------------------
    def search_now(self) -> None:
        self._search_timer.stop()
        self.results.clear()
        query = self.search_field.text()
        self._search_generation += 1
        if self.store is None or not query.strip():
            return
        if self._server is not None:
            self._server.search(self.store, self._search_generation, query)
            return
        self._show_found(self._search_generation, self.store.search(query, SEARCH_LIMIT))

    def _show_found(self, generation: int, matches: list[Match]) -> None:
        if generation != self._search_generation:
            return  # found for words since changed
        self.results.clear()
        for match in matches:
            self.results.addTopLevelItem(_story_item(match.story, -1))

    # -- a server library -------------------------------------------------------------------
    def is_offline(self) -> bool:
        return bool(self.offline_reason)

    def _connected(self, store: StoryStore, count: int) -> None:
        if self.store is not None and self._server is not None:
            self._server.let_go(self.store)
        self.store = store
        was_offline, self.offline_reason = self.offline_reason, ""
        self._show_count(count)
        if was_offline and self.status_label.text().startswith(OFFLINE):
            self.status_label.setText("Library back online")
        self.search_now()
        self.refresh()

    def _show_count(self, count: int) -> None:
        self._story_count = count
        self.count_label.setText(f"{count:,} stor{'y' if count == 1 else 'ies'} in the library")

    def _counted(self, count: int) -> None:
        """A server library's count, arriving after what asked for it refreshed: an empty
        library's first stories bring suggestions."""
        was_empty = self._story_count == 0
        self._show_count(count)
        if was_empty and count:
            self.refresh()

    def _went_offline(self, reason: str) -> None:
        """The server is away: say why, and try again in a while (the editor carries on)."""
        if self._server is None:
            self.status_label.setText(reason)
            return
        if self.store is not None:
            self._server.let_go(self.store)
            self.store = None
        self.offline_reason = reason
        self.count_label.setText(OFFLINE)
        self.status_label.setText(f"{OFFLINE}: {reason}")
        if not self._retry_timer.isActive():
            self._retry_timer.start()

    def _failed(self, message: str) -> None:
        self.count_label.setText("Library unavailable")
        self.status_label.setText(message)

    def result_titles(self) -> list[str]:
        return [item.data(0, _StoryRole).title for item in top_level_items(self.results)]

    # -- suggestions ----------------------------------------------------------------------
    def refresh(self) -> None:
        """The document changed (after a pause): ask the worker for new suggestions."""
        if after_first_screen(self, self.refresh):  # starting its worker process slows the start
            return
        document = self.document()
        if document is None or self.store is None:
            self.suggestions.clear()
            return
        self._generation += 1
        if self._story_count == 0:
            self._show_empty_library()
            return
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

    def _show_empty_library(self) -> None:
        """Nothing to rank: say so, without starting the worker process (20 MB) for it."""
        self._shown_generation = self._generation
        self._shown = None
        self.suggestions.clear()
        empty, hint = QTreeWidgetItem([EMPTY_LIBRARY]), QTreeWidgetItem([EMPTY_LIBRARY_HINT])
        empty.addChild(hint)
        for item in (empty, hint):
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            item.setToolTip(0, f"{EMPTY_LIBRARY}: {EMPTY_LIBRARY_HINT}")
        self.suggestions.addTopLevelItem(empty)
        empty.setExpanded(True)
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

    def _start_indexing(self, paths: list[Path] | None,
                        changed_roots: list[str] | None = None) -> bool:
        if self._index_thread is not None:
            return False
        self._cancel = threading.Event()
        self._index_thread = threading.Thread(
            target=_index, args=(self.location, paths, self._cancel, self._worker_signals,
                                 changed_roots),
            name="library-indexing", daemon=True)
        if changed_roots is None:  # catching up with watched folders goes on unseen
            self._background = False
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
        if self._index_thread is None:
            return  # from a library closed since (another file was chosen)
        self._index_thread.join()
        self._index_thread = None
        self._indexing_stopped()
        if self._background and isinstance(outcome, IndexReport):
            if outcome.files or outcome.removed or outcome.skipped:
                self.status_label.setText("Watched folders: " + _summary(outcome))
        elif isinstance(outcome, IndexReport):
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
        self._catch_up()  # what changed in watched folders meanwhile

    def _indexing_stopped(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        for action in self.menu_actions():
            action.setEnabled(True)


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


