"""The main window: tabs, menus, toolbar, status bar, drops, and the wiring between them.

All of the window's signal connections are made here (as novelWriter's ``GuiMain`` does);
each tab wires its own parts (:mod:`editor.ui.editor_tab`).

For the side panels and the autosave/recovery work built on top of this window:

* ``current_document_changed(object)`` is emitted with the current :class:`ArticleDocument`
  (or None when no tab is open); ``current_document()``, ``current_editor()`` and
  ``current_tab()`` read it; ``reveal_position(pos)`` moves the editor's cursor (and the
  preview) to a body character position.
* ``document_opened``, ``document_saved`` and ``document_closed`` report each document.
* Opening goes through ``open_paths`` → ``open_path`` → ``add_document``; saving through
  ``save_document`` only; closing through ``close_tab``. Extend those.
* The methods named ``ask_…``, ``show_error`` and ``exec_dialog`` are the only places that
  show modal dialogs; tests replace them.
* Every tab's unsaved text is journalled (``autosave``, :mod:`editor.ui.recovery`) and its
  file watched for changes by other programs (``file_watcher``, ``external_changes``,
  :mod:`editor.ui.file_watcher`); ``offer_recovery()`` runs at start.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QIcon,
    QKeySequence,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFontDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.errors import ArticleError, EncodingError
from editor.export import ExportOptions, Theme, export_article, render_page
from editor.fileformat import body_first_line
from editor.files import MARKDOWN_SUFFIXES, load_article, save_article
from editor.placeholders import find_placeholders
from editor.recovery import RecoveryJournal
from editor.ui import recovery_dialog
from editor.ui.actions import Action
from editor.ui.clipboard import copy_html
from editor.ui.document import ArticleDocument
from editor.ui.drops import accept_file_drag, is_image, local_files
from editor.ui.editor import BodyEditor
from editor.ui.editor_tab import BodyStats, EditorTab
from editor.ui.export_dialog import ExportDialog
from editor.ui.file_watcher import ExternalChanges, ExternalChoice, FileWatcher, ask_external_change
from editor.ui.panels.headings import HeadingsPanel
from editor.ui.panels.library import LibraryPanel
from editor.ui.panels.placeholders import PlaceholdersPanel
from editor.ui.panels.related import RelatedPanel
from editor.ui.recovery import AutosaveController, recovery_folder
from editor.ui.settings import MAX_FONT_SIZE, MIN_FONT_SIZE, Settings

APP_TITLE = "Article Editor"
MODIFIED_MARK = "•"
FILE_FILTER = ("Articles (*.md *.markdown *.txt *.html *.htm);;Markdown (*.md *.markdown);;"
               "Plain text (*.txt);;HTML (*.html *.htm);;All files (*)")


class SaveChoice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class MainWindow(QMainWindow):
    """The editor window. See the module docstring for the API other parts build on."""

    current_document_changed = Signal(object)  # ArticleDocument | None
    document_opened = Signal(object)
    document_saved = Signal(object)
    document_closed = Signal(object)

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or Settings()
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.resize(1440, 900)
        self.undo_group = QUndoGroup(self)
        self.actions: dict[Action, QAction] = {}

        self.tabs = QTabWidget()
        self.tabs.setObjectName("documentTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setElideMode(Qt.TextElideMode.ElideMiddle)
        self.welcome = self._build_welcome()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)

        self._create_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._build_panels()
        self.autosave = AutosaveController(RecoveryJournal(recovery_folder()), self)
        self.file_watcher = FileWatcher(self)
        self.external_changes = ExternalChanges(self)
        self._connect()
        self._restore_layout()
        self._on_current_changed()

    # ======================================================================================
    # Building
    # ======================================================================================
    def _create_actions(self) -> None:
        for action in Action:
            spec = action.spec
            qaction = QAction(spec.text, self)
            qaction.setObjectName(f"action_{action.name.lower()}")
            qaction.setShortcuts(action.key_sequences())
            if spec.icon and QIcon.hasThemeIcon(spec.icon):
                qaction.setIcon(QIcon.fromTheme(spec.icon))
            if spec.tip:
                qaction.setStatusTip(spec.tip)
                qaction.setToolTip(spec.tip)
            qaction.setCheckable(spec.checkable)
            self.actions[action] = qaction
            self.addAction(qaction)
        self.actions[Action.QUIT].setMenuRole(QAction.MenuRole.QuitRole)
        theme_group = QActionGroup(self)
        for action in (Action.THEME_SYSTEM, Action.THEME_LIGHT, Action.THEME_DARK):
            theme_group.addAction(self.actions[action])

    def _build_menus(self) -> None:
        a = self.actions
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(a[Action.NEW])
        file_menu.addAction(a[Action.OPEN])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("recentMenu")
        file_menu.addSeparator()
        file_menu.addAction(a[Action.SAVE])
        file_menu.addAction(a[Action.SAVE_AS])
        file_menu.addSeparator()
        file_menu.addAction(a[Action.EXPORT_HTML])
        file_menu.addAction(a[Action.COPY_HTML])
        file_menu.addSeparator()
        file_menu.addAction(a[Action.CLOSE_TAB])
        file_menu.addAction(a[Action.QUIT])

        edit_menu = bar.addMenu("&Edit")
        for action in (Action.UNDO, Action.REDO, None, Action.CUT, Action.COPY, Action.PASTE,
                       Action.SELECT_ALL, None, Action.FIND, Action.REPLACE, Action.FIND_NEXT,
                       Action.FIND_PREVIOUS):
            if action is None:
                edit_menu.addSeparator()
            else:
                edit_menu.addAction(a[action])

        format_menu = bar.addMenu("F&ormat")
        format_menu.addAction(a[Action.BOLD])
        format_menu.addAction(a[Action.ITALIC])
        format_menu.addAction(a[Action.LINK])
        self.heading_menu = format_menu.addMenu("&Heading Level")
        for action in (Action.HEADING_1, Action.HEADING_2, Action.HEADING_3, Action.HEADING_4,
                       Action.PARAGRAPH):
            self.heading_menu.addAction(a[action])
        self.placeholder_menu = format_menu.addMenu("Insert &Placeholder")
        for action in (Action.INSERT_INTERNAL_LINK, Action.INSERT_EXTERNAL_LINK,
                       Action.INSERT_IMAGE_PLACEHOLDER, Action.INSERT_TK):
            self.placeholder_menu.addAction(a[action])

        view_menu = bar.addMenu("&View")
        view_menu.addAction(a[Action.TOGGLE_PREVIEW])
        view_menu.addAction(a[Action.TOGGLE_FORM])
        view_menu.addAction(a[Action.WORD_WRAP])
        view_menu.addSeparator()
        view_menu.addAction(a[Action.ZOOM_IN])
        view_menu.addAction(a[Action.ZOOM_OUT])
        view_menu.addAction(a[Action.ZOOM_RESET])
        view_menu.addSeparator()
        view_menu.addAction(a[Action.EDITOR_FONT])
        theme_menu = view_menu.addMenu("Preview &Theme")
        for action in (Action.THEME_SYSTEM, Action.THEME_LIGHT, Action.THEME_DARK):
            theme_menu.addAction(a[action])
        self.view_menu = view_menu

    def _build_toolbar(self) -> None:
        a = self.actions
        toolbar = QToolBar("Main toolbar")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonFollowStyle)
        self.addToolBar(toolbar)
        self.toolbar = toolbar

        def add(action: Action, text: str | None = None) -> None:
            qaction = a[action]
            toolbar.addAction(qaction)
            button = toolbar.widgetForAction(qaction)
            if text:
                qaction.setIconText(text)
            if isinstance(button, QToolButton) and qaction.icon().isNull():
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        add(Action.NEW, "New")
        add(Action.OPEN, "Open")
        add(Action.SAVE, "Save")
        toolbar.addSeparator()
        add(Action.UNDO, "Undo")
        add(Action.REDO, "Redo")
        toolbar.addSeparator()
        add(Action.BOLD, "B")
        add(Action.ITALIC, "I")
        add(Action.LINK, "Link")
        heading_button = QToolButton()
        heading_button.setObjectName("headingButton")
        heading_button.setText("Heading")
        heading_button.setToolTip("Heading level")
        heading_button.setMenu(self.heading_menu)
        heading_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        toolbar.addWidget(heading_button)
        placeholder_button = QToolButton()
        placeholder_button.setObjectName("placeholderButton")
        placeholder_button.setText("Placeholder")
        placeholder_button.setToolTip("Insert a placeholder")
        placeholder_button.setMenu(self.placeholder_menu)
        placeholder_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        toolbar.addWidget(placeholder_button)
        toolbar.addSeparator()
        add(Action.FIND, "Find")
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().Policy.Expanding,
                             spacer.sizePolicy().Policy.Preferred)
        toolbar.addWidget(spacer)
        add(Action.TOGGLE_FORM, "Details")
        add(Action.TOGGLE_PREVIEW, "Preview")
        add(Action.EXPORT_HTML, "Export HTML")
        for name, action in (("boldButton", Action.BOLD), ("italicButton", Action.ITALIC)):
            button = toolbar.widgetForAction(a[action])
            if button is not None:
                button.setObjectName(name)
        export_button = toolbar.widgetForAction(a[Action.EXPORT_HTML])
        if export_button is not None:
            export_button.setObjectName("exportButton")

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.words_label = QLabel()
        self.words_label.setObjectName("wordsLabel")
        self.reading_label = QLabel()
        self.reading_label.setObjectName("readingLabel")
        self.placeholders_label = QLabel()
        self.placeholders_label.setObjectName("placeholdersLabel")
        self.position_label = QLabel()
        self.position_label.setObjectName("positionLabel")
        for label in (self.words_label, self.reading_label, self.placeholders_label,
                      self.position_label):
            bar.addPermanentWidget(label)

    def _build_panels(self) -> None:
        """The side panels (Headings, Placeholders, Related stories), docked on the right."""
        self.headings_panel = HeadingsPanel(self)
        self.placeholders_panel = PlaceholdersPanel(self)
        self.related_panel = RelatedPanel(self)
        self.panels = (self.headings_panel, self.placeholders_panel, self.related_panel)
        self.view_menu.addSeparator()
        for panel in self.panels:
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
            self.view_menu.addAction(panel.toggleViewAction())
        self.resizeDocks(list(self.panels), [340] * 3, Qt.Orientation.Horizontal)
        self.resizeDocks(list(self.panels), [200, 170, 400], Qt.Orientation.Vertical)
        # The story library: a tab beside Related stories, and its own menu.
        self.library_panel = LibraryPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.library_panel)
        self.tabifyDockWidget(self.related_panel, self.library_panel)
        self.related_panel.raise_()
        self.view_menu.addAction(self.library_panel.toggleViewAction())
        self.library_menu = self.menuBar().addMenu("&Library")
        self.library_menu.addActions(self.library_panel.menu_actions())
        self.panels = (*self.panels, self.library_panel)
        self.placeholders_panel.suggested_cards = self.library_panel.stories_for

    def _build_welcome(self) -> QWidget:
        page = QWidget()
        page.setObjectName("welcome")
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        title = QLabel(APP_TITLE)
        title.setObjectName("welcomeTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel("Drop articles here — Markdown, plain text or HTML — or start one.")
        hint.setObjectName("welcomeHint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        layout.addWidget(hint)
        buttons = QWidget()
        row = QVBoxLayout(buttons)
        row.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.welcome_new = QPushButton("New article")
        self.welcome_open = QPushButton("Open…")
        for button in (self.welcome_new, self.welcome_open):
            button.setMinimumWidth(220)
            row.addWidget(button)
        layout.addWidget(buttons)
        layout.addStretch(3)
        return page

    # ======================================================================================
    # Wiring: every connection of the window is made here
    # ======================================================================================
    def _connect(self) -> None:
        a = self.actions
        handlers = {
            Action.NEW: self.new_document,
            Action.OPEN: self.open_with_dialog,
            Action.SAVE: lambda: self._with_document(self.save_document),
            Action.SAVE_AS: lambda: self._with_document(self.save_document_as),
            Action.EXPORT_HTML: self.export_html,
            Action.COPY_HTML: self.copy_as_html,
            Action.CLOSE_TAB: lambda: self.close_tab(self.tabs.currentIndex()),
            Action.QUIT: self.close,
            Action.UNDO: self.undo_group.undo,
            Action.REDO: self.undo_group.redo,
            Action.CUT: lambda: self._edit_focus("cut"),
            Action.COPY: lambda: self._edit_focus("copy"),
            Action.PASTE: lambda: self._edit_focus("paste"),
            Action.SELECT_ALL: lambda: self._edit_focus("selectAll"),
            Action.FIND: lambda: self._with_tab(lambda tab: tab.find_bar.open_bar(False)),
            Action.REPLACE: lambda: self._with_tab(lambda tab: tab.find_bar.open_bar(True)),
            Action.FIND_NEXT: lambda: self._with_tab(lambda tab: tab.find_bar.find_next()),
            Action.FIND_PREVIOUS: lambda: self._with_tab(
                lambda tab: tab.find_bar.find_previous()),
            Action.BOLD: lambda: self._with_editor(lambda e: e.toggle_wrap("**")),
            Action.ITALIC: lambda: self._with_editor(lambda e: e.toggle_wrap("*")),
            Action.LINK: lambda: self._with_editor(lambda e: e.insert_link()),
            Action.HEADING_1: lambda: self._with_editor(lambda e: e.set_heading(1)),
            Action.HEADING_2: lambda: self._with_editor(lambda e: e.set_heading(2)),
            Action.HEADING_3: lambda: self._with_editor(lambda e: e.set_heading(3)),
            Action.HEADING_4: lambda: self._with_editor(lambda e: e.set_heading(4)),
            Action.PARAGRAPH: lambda: self._with_editor(lambda e: e.set_heading(0)),
            Action.INSERT_INTERNAL_LINK: lambda: self._insert("[INTERNAL_LINK]"),
            Action.INSERT_EXTERNAL_LINK: lambda: self._insert("[EXTERNAL_LINK]"),
            Action.INSERT_IMAGE_PLACEHOLDER: lambda: self._insert("[IMAGE: ]"),
            Action.INSERT_TK: lambda: self._insert("TK"),
            Action.ZOOM_IN: lambda: self.set_zoom(self.settings.zoom + 1),
            Action.ZOOM_OUT: lambda: self.set_zoom(self.settings.zoom - 1),
            Action.ZOOM_RESET: lambda: self.set_zoom(0),
            Action.EDITOR_FONT: self.choose_font,
        }
        for action, handler in handlers.items():
            a[action].triggered.connect(handler)
        a[Action.TOGGLE_PREVIEW].toggled.connect(self.set_preview_visible)
        a[Action.TOGGLE_FORM].toggled.connect(self.set_form_expanded)
        a[Action.WORD_WRAP].toggled.connect(self.set_word_wrap)
        a[Action.THEME_SYSTEM].triggered.connect(lambda: self.set_preview_theme(Theme.AUTO))
        a[Action.THEME_LIGHT].triggered.connect(lambda: self.set_preview_theme(Theme.LIGHT))
        a[Action.THEME_DARK].triggered.connect(lambda: self.set_preview_theme(Theme.DARK))

        self.undo_group.canUndoChanged.connect(a[Action.UNDO].setEnabled)
        self.undo_group.canRedoChanged.connect(a[Action.REDO].setEnabled)
        self.undo_group.undoTextChanged.connect(
            lambda text: a[Action.UNDO].setText(f"&Undo {text}".strip()))
        self.undo_group.redoTextChanged.connect(
            lambda text: a[Action.REDO].setText(f"&Redo {text}".strip()))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.tabs.currentChanged.connect(self._on_current_changed)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.welcome_new.clicked.connect(self.new_document)
        self.welcome_open.clicked.connect(self.open_with_dialog)
        for panel in self.panels:
            self.current_document_changed.connect(panel.set_document)
            panel.jump_requested.connect(self.reveal_position)
        self.document_saved.connect(self.autosave.on_saved)
        self.document_saved.connect(self.file_watcher.acknowledge)
        self.document_closed.connect(self.autosave.forget)
        self.document_closed.connect(self.file_watcher.forget)
        self.file_watcher.changed_on_disk.connect(self.external_changes.on_changed)
        self.file_watcher.deleted_on_disk.connect(self.external_changes.on_deleted)
        self.autosave.failed.connect(lambda message: self.statusBar().showMessage(message, 10000))

    def _connect_tab(self, tab: EditorTab) -> None:
        document = tab.document
        self.undo_group.addStack(document.undo_stack)
        document.modified_changed.connect(lambda _modified: self._update_titles(tab))
        document.path_changed.connect(lambda: self._update_titles(tab))
        tab.stats_changed.connect(lambda stats: self._on_stats(tab, stats))
        tab.cursor_moved.connect(lambda line, column: self._on_cursor(tab, line, column))
        tab.files_dropped.connect(self.open_paths)
        tab.link_clicked.connect(self.open_link)
        tab.form.expanded_changed.connect(self._on_form_expanded)
        self.autosave.watch(document)
        self.file_watcher.watch(document)
        document.path_changed.connect(lambda: self.file_watcher.watch(document))

    # ======================================================================================
    # The API panels and other parts build on
    # ======================================================================================
    def current_tab(self) -> EditorTab | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, EditorTab) else None

    def current_document(self) -> ArticleDocument | None:
        tab = self.current_tab()
        return tab.document if tab is not None else None

    def current_editor(self) -> BodyEditor | None:
        tab = self.current_tab()
        return tab.editor if tab is not None else None

    def reveal_position(self, position: int) -> None:
        """Move the current editor's cursor to body character ``position``; the preview follows."""
        tab = self.current_tab()
        if tab is not None:
            tab.reveal_position(position)

    def tab_for(self, document: ArticleDocument) -> EditorTab | None:
        for tab in self.editor_tabs():
            if tab.document is document:
                return tab
        return None

    def editor_tabs(self) -> list[EditorTab]:
        return [tab for index in range(self.tabs.count())
                if isinstance(tab := self.tabs.widget(index), EditorTab)]

    def documents(self) -> list[ArticleDocument]:
        return [tab.document for tab in self.editor_tabs()]

    # ======================================================================================
    # Files
    # ======================================================================================
    def new_document(self) -> ArticleDocument:
        document = ArticleDocument()
        self.add_document(document)
        return document

    def open_with_dialog(self) -> None:
        self.open_paths(self.ask_open_paths())

    def open_paths(self, paths: list[Path] | list[str]) -> list[ArticleDocument]:
        """Open each file in its own tab (or switch to it); images go into the current body."""
        opened: list[ArticleDocument] = []
        images = [Path(path) for path in paths if is_image(Path(path))]
        for path in paths:
            if is_image(Path(path)) and self.current_editor() is not None:
                continue
            document = self.open_path(Path(path))
            if document is not None:
                opened.append(document)
        editor = self.current_editor()
        if images and editor is not None and not opened:
            editor.insert_images(images)
        return opened

    def open_path(self, path: Path) -> ArticleDocument | None:
        """Open one file, or switch to its tab if it is open. Errors leave everything as it was."""
        path = Path(path).expanduser().absolute()
        for tab in self.editor_tabs():
            known = tab.document.path or tab.document.imported_from
            if known is not None and _same_file(known, path):
                self.tabs.setCurrentWidget(tab)
                return tab.document
        try:
            try:
                article = load_article(path)
            except EncodingError as error:
                if not self.ask_legacy_encoding(path, error):
                    return None
                article = load_article(path, error.fallback_encoding)
        except ArticleError as error:
            self.show_error("Cannot open the file", str(error))
            if not path.exists():
                self.settings.remove_recent_file(path)
            return None
        except OSError as error:  # the core wraps these; a last guard for the window
            self.show_error("Cannot open the file", f"{path}: {error}")
            return None
        markdown = path.suffix.lower() in MARKDOWN_SUFFIXES
        document = ArticleDocument(article, path if markdown else None)
        if not markdown:
            document.imported_from = path
            document.mark_modified()  # the Markdown file does not exist yet
        self.add_document(document)
        self.settings.add_recent_file(path)
        notes = list(article.warnings)
        if not markdown:
            notes.insert(0, f"Imported {path.name}; it will be saved as Markdown")
        if notes:
            self.statusBar().showMessage("; ".join(notes), 8000)
        self.document_opened.emit(document)
        return document

    def add_document(self, document: ArticleDocument) -> EditorTab:
        """Give ``document`` a tab, with the window's view settings, and show it."""
        document.setParent(self)
        tab = EditorTab(document, self.preview_options())
        s = self.settings
        tab.set_zoom(s.font_family, s.font_size, s.zoom)
        tab.editor.set_word_wrap(s.word_wrap)
        tab.set_preview_visible(s.preview_visible)
        tab.form.set_expanded(s.form_expanded)
        sizes = s.splitter_sizes
        if len(sizes) == 2 and all(size > 0 for size in sizes):
            tab.splitter.setSizes(sizes)
        else:
            width = max(800, self.width())
            tab.splitter.setSizes([int(width * 0.54), int(width * 0.46)])
        self._connect_tab(tab)
        index = self.tabs.addTab(tab, "")
        self._update_titles(tab)
        self.tabs.setCurrentIndex(index)
        tab.editor.setFocus()
        return tab

    def save_document(self, document: ArticleDocument, path: Path | None = None) -> bool:
        """Save as Markdown to ``path`` (default: its file, or ask). The one way to save."""
        if path is None:
            path = document.path
        if path is None:
            path = self.ask_save_path(document)
            if path is None:
                return False
        try:
            save_article(document.article(), path)
        except ArticleError as error:
            # The file on disk is untouched and the text stays open, unsaved.
            if self.ask_save_failed(document, error):
                return self.save_document_as(document)
            return False
        document.imported_from = None
        document.set_path(Path(path).absolute())
        document.mark_saved()
        self.settings.add_recent_file(Path(path))
        tab = self.tab_for(document)
        if tab is not None:
            self._update_titles(tab)
        self.statusBar().showMessage(f"Saved {Path(path).name}", 4000)
        self.document_saved.emit(document)
        return True

    def save_document_as(self, document: ArticleDocument) -> bool:
        path = self.ask_save_path(document)
        return path is not None and self.save_document(document, path)

    def proposed_save_path(self, document: ArticleDocument) -> Path:
        """Where Save As starts: the file itself, an import's name as .md, or the slug."""
        if document.path is not None:
            return document.path
        if document.imported_from is not None:
            return document.imported_from.with_suffix(".md")
        recent = self.settings.recent_files
        folder = recent[0].parent if recent else Path.home()
        slug = document.metadata().slug or "untitled"
        return folder / f"{slug}.md"

    def close_tab(self, index: int) -> bool:
        """Close the tab at ``index``, asking first about unsaved changes. False if kept."""
        tab = self.tabs.widget(index)
        if not isinstance(tab, EditorTab):
            return False
        document = tab.document
        if document.is_modified():
            self.tabs.setCurrentIndex(index)
            choice = self.ask_unsaved_choice(document)
            if choice is SaveChoice.CANCEL:
                return False
            if choice is SaveChoice.SAVE and not self.save_document(document):
                return False
        self._remember_layout(tab)
        self.undo_group.removeStack(document.undo_stack)
        self.tabs.removeTab(self.tabs.indexOf(tab))
        tab.close_tab()
        tab.deleteLater()
        self.document_closed.emit(document)
        document.deleteLater()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quit: each unsaved article is asked about; Cancel keeps the window open."""
        for tab in self.editor_tabs():
            if tab.document.is_modified():
                self.tabs.setCurrentWidget(tab)
                choice = self.ask_unsaved_choice(tab.document)
                if choice is SaveChoice.CANCEL or (
                    choice is SaveChoice.SAVE and not self.save_document(tab.document)
                ):
                    event.ignore()
                    return
        self.save_layout()
        for tab in self.editor_tabs():
            tab.close_tab()
        self.autosave.discard_all()  # everything was saved or discarded: nothing to recover
        self.autosave.shutdown()
        self.library_panel.shut_down()
        event.accept()

    # ======================================================================================
    # Export
    # ======================================================================================
    def preview_options(self) -> ExportOptions:
        return ExportOptions(theme=self.settings.preview_theme)

    def export_html(self) -> bool:
        document = self.current_document()
        if document is None:
            return False
        article = document.article()
        placeholders = find_placeholders(article.body)
        base = document.path or document.imported_from or self.proposed_save_path(document)
        dialog = ExportDialog(base.with_suffix(".html"), placeholders, Theme.AUTO,
                              body_first_line(article), self)
        try:
            if not self.exec_dialog(dialog):
                return False
            output = dialog.output_path()
            tab = self.tab_for(document)
            source_dir = tab.base_dir() if tab is not None else None
            try:
                resolver = export_article(article, output, dialog.options(),
                                          source_dir=source_dir,
                                          allow_placeholders=dialog.allow_placeholders())
            except (ArticleError, OSError) as error:
                self.show_error("Cannot export the article", str(error))
                return False
        finally:
            dialog.deleteLater()
        message = f"Exported {output.name}"
        if resolver.missing:
            message += f" — image(s) not found: {', '.join(resolver.missing)}"
        self.statusBar().showMessage(message, 8000)
        return True

    def copy_as_html(self) -> None:
        """The body and related block as HTML on the clipboard, for pasting into a CMS."""
        document = self.current_document()
        if document is None:
            return
        html = render_page(document.article(), ExportOptions(fragment=True))
        copy_html(html, html)
        self.statusBar().showMessage("Copied the article as HTML", 4000)

    def open_link(self, url: QUrl) -> None:
        QDesktopServices.openUrl(url)

    # ======================================================================================
    # View
    # ======================================================================================
    def set_zoom(self, zoom: int) -> None:
        zoom = max(MIN_FONT_SIZE - self.settings.font_size,
                   min(MAX_FONT_SIZE - self.settings.font_size, zoom))
        self.settings.zoom = zoom
        self._apply_font()

    def choose_font(self) -> None:
        current = QFont(self.settings.font_family, self.settings.font_size)
        font = self.ask_font(current)
        if font is not None:
            self.settings.font_family = font.family()
            self.settings.font_size = max(MIN_FONT_SIZE, font.pointSize())
            self._apply_font()

    def _apply_font(self) -> None:
        s = self.settings
        for tab in self.editor_tabs():
            tab.set_zoom(s.font_family, s.font_size, s.zoom)

    def set_preview_visible(self, visible: bool) -> None:
        self.settings.preview_visible = visible
        for tab in self.editor_tabs():
            tab.set_preview_visible(visible)

    def set_form_expanded(self, expanded: bool) -> None:
        self.settings.form_expanded = expanded
        for tab in self.editor_tabs():
            tab.form.set_expanded(expanded)

    def _on_form_expanded(self, expanded: bool) -> None:
        action = self.actions[Action.TOGGLE_FORM]
        if action.isChecked() != expanded:
            action.setChecked(expanded)

    def set_word_wrap(self, wrap: bool) -> None:
        self.settings.word_wrap = wrap
        for tab in self.editor_tabs():
            tab.editor.set_word_wrap(wrap)

    def set_preview_theme(self, theme: Theme) -> None:
        self.settings.preview_theme = theme
        options = self.preview_options()
        for tab in self.editor_tabs():
            tab.set_options(options)

    def _restore_layout(self) -> None:
        s = self.settings
        if not s.window_geometry.isEmpty():
            self.restoreGeometry(s.window_geometry)
        if not s.window_state.isEmpty():
            self.restoreState(s.window_state)
        a = self.actions
        for action, value in ((Action.TOGGLE_PREVIEW, s.preview_visible),
                              (Action.TOGGLE_FORM, s.form_expanded),
                              (Action.WORD_WRAP, s.word_wrap)):
            a[action].blockSignals(True)
            a[action].setChecked(value)
            a[action].blockSignals(False)
        {Theme.AUTO: a[Action.THEME_SYSTEM], Theme.LIGHT: a[Action.THEME_LIGHT],
         Theme.DARK: a[Action.THEME_DARK]}[s.preview_theme].setChecked(True)

    def _remember_layout(self, tab: EditorTab) -> None:
        sizes = tab.splitter.sizes()
        if len(sizes) == 2 and all(size > 0 for size in sizes):
            self.settings.splitter_sizes = sizes

    def save_layout(self) -> None:
        tab = self.current_tab()
        if tab is not None:
            self._remember_layout(tab)
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.sync()

    # ======================================================================================
    # Reacting
    # ======================================================================================
    def _on_current_changed(self, _index: int = -1) -> None:
        tab = self.current_tab()
        self.stack.setCurrentWidget(self.tabs if self.tabs.count() else self.welcome)
        has_tab = tab is not None
        for action in Action:
            if action in (Action.NEW, Action.OPEN, Action.QUIT, Action.ZOOM_IN,
                          Action.ZOOM_OUT, Action.ZOOM_RESET, Action.EDITOR_FONT,
                          Action.TOGGLE_PREVIEW, Action.TOGGLE_FORM, Action.WORD_WRAP,
                          Action.THEME_SYSTEM, Action.THEME_LIGHT, Action.THEME_DARK,
                          Action.UNDO, Action.REDO):
                continue
            self.actions[action].setEnabled(has_tab)
        if tab is None:
            self.undo_group.setActiveStack(None)
            self.setWindowTitle(APP_TITLE)
            self.setWindowModified(False)
            for label in (self.words_label, self.reading_label, self.placeholders_label,
                          self.position_label):
                label.setText("")
        else:
            self.undo_group.setActiveStack(tab.document.undo_stack)
            self._update_titles(tab)
            self._on_stats(tab, tab.stats)
            line, column = tab.editor.line_and_column()
            self._on_cursor(tab, line, column)
        self.actions[Action.UNDO].setEnabled(self.undo_group.canUndo())
        self.actions[Action.REDO].setEnabled(self.undo_group.canRedo())
        self.current_document_changed.emit(tab.document if tab is not None else None)

    def _update_titles(self, tab: EditorTab) -> None:
        document = tab.document
        index = self.tabs.indexOf(tab)
        if index < 0:
            return
        name = document.display_name
        modified = document.is_modified()
        self.tabs.setTabText(index, f"{name} {MODIFIED_MARK}" if modified else name)
        where = document.path or document.imported_from
        self.tabs.setTabToolTip(index, str(where) if where else "Not saved yet")
        if tab is self.current_tab():
            self.setWindowTitle(f"{name}[*] — {APP_TITLE}")
            self.setWindowModified(modified)

    def _on_stats(self, tab: EditorTab, stats: BodyStats) -> None:
        if tab is not self.current_tab():
            return
        self.words_label.setText(f"{stats.words:,} words")
        self.reading_label.setText(f"{stats.minutes} min read")
        count = stats.placeholders
        self.placeholders_label.setText(
            "No placeholders left" if count == 0
            else f"{count} placeholder{'s' if count != 1 else ''} left")
        self.placeholders_label.setProperty("pending", count > 0)
        self.placeholders_label.style().unpolish(self.placeholders_label)
        self.placeholders_label.style().polish(self.placeholders_label)

    def _on_cursor(self, tab: EditorTab, line: int, column: int) -> None:
        if tab is self.current_tab():
            self.position_label.setText(f"Ln {line}, Col {column}")
            self.headings_panel.set_cursor_position(tab.editor.textCursor().position())

    def _with_document(self, function) -> None:  # type: ignore[no-untyped-def]
        document = self.current_document()
        if document is not None:
            function(document)

    def _with_tab(self, function) -> None:  # type: ignore[no-untyped-def]
        tab = self.current_tab()
        if tab is not None:
            function(tab)

    def _with_editor(self, function) -> None:  # type: ignore[no-untyped-def]
        editor = self.current_editor()
        if editor is not None:
            function(editor)
            editor.setFocus()

    def _insert(self, text: str) -> None:
        self._with_editor(lambda editor: editor.insert_text(text))

    def _edit_focus(self, method: str) -> None:
        """Cut, Copy, Paste and Select All act on whichever text field has the focus."""
        widget = QApplication.focusWidget()
        if not isinstance(widget, (QLineEdit, QPlainTextEdit)):
            widget = self.current_editor()
        if widget is not None:
            getattr(widget, method)()

    def _fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        files = self.settings.recent_files
        for number, path in enumerate(files, start=1):
            label = f"&{number} {path.name}" if number < 10 else path.name
            action = menu.addAction(f"{label}  —  {path.parent}")
            action.setData(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_paths([p]))
        if files:
            menu.addSeparator()
        clear = menu.addAction("Clear Menu")
        clear.setEnabled(bool(files))
        clear.triggered.connect(self.settings.clear_recent_files)

    # ======================================================================================
    # Drops on the window (tab bar, toolbar, welcome page…)
    # ======================================================================================
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        accept_file_drag(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        accept_file_drag(event)

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.open_paths(files)

    # ======================================================================================
    # Dialogs: the only modal places, replaced in tests
    # ======================================================================================
    def ask_open_paths(self) -> list[Path]:
        recent = self.settings.recent_files
        folder = str(recent[0].parent) if recent else str(Path.home())
        names, _filter = QFileDialog.getOpenFileNames(self, "Open articles", folder, FILE_FILTER)
        return [Path(name) for name in names]

    def ask_save_path(self, document: ArticleDocument) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(
            self, "Save article as Markdown", str(self.proposed_save_path(document)),
            "Markdown (*.md)")
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".md")

    def ask_unsaved_choice(self, document: ArticleDocument) -> SaveChoice:
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE,
                          f"Save the changes to “{document.display_name}” before closing?",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setInformativeText("Your changes will be lost if you don't save them.")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        box.deleteLater()
        if answer == QMessageBox.StandardButton.Save:
            return SaveChoice.SAVE
        if answer == QMessageBox.StandardButton.Discard:
            return SaveChoice.DISCARD
        return SaveChoice.CANCEL

    def ask_legacy_encoding(self, path: Path, error: EncodingError) -> bool:
        answer = QMessageBox.question(
            self, APP_TITLE,
            f"{error}\n\nOpen it as {error.fallback_encoding}? It will be saved as UTF-8.")
        return answer == QMessageBox.StandardButton.Yes

    def ask_font(self, current: QFont) -> QFont | None:
        ok, font = QFontDialog.getFont(current, self, "Editor font")
        return font if ok else None

    def ask_save_failed(self, document: ArticleDocument, error: ArticleError) -> bool:
        """A save failed: say why and offer Save As. True if the user wants Save As."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Cannot Save the Article",
                          f"“{document.display_name}” was not saved.", parent=self)
        box.setInformativeText(f"{error}\n\nYour text is still open, marked unsaved, and the "
                               "file on disk is unchanged. Save it somewhere else?")
        save_as = box.addButton("Save As…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save_as)
        box.exec()
        chosen = box.clickedButton() is save_as
        box.deleteLater()
        return chosen

    def ask_external_change(self, document: ArticleDocument) -> ExternalChoice:
        """The file of a tab with unsaved edits changed on disk: reload, keep mine, compare?"""
        return ask_external_change(self, document)

    def offer_recovery(self) -> list[ArticleDocument]:
        """At start: offer the unsaved work an earlier run left in the journal."""
        return recovery_dialog.offer_recovery(self)

    def show_error(self, title: str, message: str) -> None:
        QMessageBox.warning(self, title, message)

    def exec_dialog(self, dialog: QDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


__all__ = ["MainWindow", "QKeySequence", "QMenu", "SaveChoice"]
