"""The main window: tabs, menus, toolbar, status bar, docks, drops, and the wiring between them.

The window builds and wires; it decides nothing about files. All of its signal connections
are made here (as novelWriter's ``GuiMain`` does); each tab wires its own parts
(:mod:`editor.ui.editor_tab`).

* ``workspace`` (:mod:`editor.ui.workspace`) is the file life cycle: ``open_paths``,
  ``open_path``, ``new_document``, ``save_document``, ``close_document``, ``export_html``,
  ``offer_recovery``…, with ``autosave`` and ``file_watcher``, and the signals
  ``document_opened``, ``document_saved`` and ``document_closed``.
* ``dialogs`` (:mod:`editor.ui.dialogs`) asks every question; a test hands the window its own
  (``MainWindow(settings, dialogs=...)``).
* ``status_bar`` (:mod:`editor.ui.status_bar`) shows the current article's counts and messages.
* ``docks`` are the side docks of the registry (:mod:`editor.ui.docks`), wired by their base;
  the application builds them once its first article shows (``build_docks``).
* ``current_document_changed(object)`` is emitted with the current :class:`ArticleDocument`
  (or None when no tab is open); ``current_document()``, ``current_editor()`` and
  ``current_tab()`` read it; ``reveal_position(pos)`` moves the editor's cursor (and the
  preview) to a body character position; ``close_tab(index)`` closes a tab as its × does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QGuiApplication,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.export import ExportOptions, Theme
from editor.importers import dialog_filter
from editor.library.store import library_location
from editor.spelling import SpellChecker
from editor.ui.actions import Action
from editor.ui.dialogs import Dialogs
from editor.ui.document import ArticleDocument
from editor.ui.drops import accept_file_drag, local_files
from editor.ui.editor import BodyEditor
from editor.ui.editor_tab import BodyStats, EditorTab
from editor.ui.help import open_markdown_guide, show_about, show_shortcuts
from editor.ui.icons import application_icon, themed_icon
from editor.ui.panels.base import Dock, DocumentDock, WorkspaceDock
from editor.ui.settings import MAX_FONT_SIZE, MIN_FONT_SIZE, Settings
from editor.ui.spelling import personal_dictionary
from editor.ui.status_bar import StatusBar
from editor.ui.workspace import Workspace

if TYPE_CHECKING:
    from editor.ui.panels.checks import ChecksPanel
    from editor.ui.panels.library import LibraryPanel

DockT = TypeVar("DockT", bound=Dock)

APP_TITLE = "Article Editor"
MODIFIED_MARK = "•"
FILE_FILTER = dialog_filter()


FIRST_START_SCREEN_SHARE = 0.9  # of the screen's width and height, on the first start
DOCK_SHARE = 0.24  # the side docks' column, of the window's width, at most DOCK_WIDTH
MIN_DOCK_WIDTH = 200
# The status bar and the docks follow the editor's cursor at most this often, and this long
# after it moved: a keystroke's patch, repaint and the page's answer go first (at 100,000
# words the Headings dock's part took 0.5 ms of every key event).
CURSOR_FOLLOW_MS = 40


class MainWindow(QMainWindow):
    """The editor window. See the module docstring for the API other parts build on."""

    current_document_changed = Signal(object)  # ArticleDocument | None

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None, *,
                 dialogs: Dialogs | None = None, library: str | Path | None = None,
                 docks_later: bool = False) -> None:
        """``docks_later``: the side docks wait for :meth:`build_docks` (the application
        calls it once its first article shows: their modules and widgets took some 60 ms of
        the start-up a user waits through); until then :attr:`docks` is empty."""
        super().__init__(parent)
        self.settings = settings or Settings()
        self.library_override = library  # --library: this run's library file
        self.dialogs = dialogs or Dialogs(self, FILE_FILTER)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(application_icon())
        self.setAcceptDrops(True)
        self.resize(1440, 900)
        self.undo_group = QUndoGroup(self)
        # Shadows QWidget.actions(), which the window never calls.
        self.actions: dict[Action, QAction] = {}  # type: ignore[assignment]

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
        self.status_bar = StatusBar(self)
        self.setStatusBar(self.status_bar)
        self.docks: list[Dock] = []
        self._follow_cursor = QTimer(self, singleShot=True, interval=CURSOR_FOLLOW_MS)
        self._follow_cursor.timeout.connect(self._show_cursor)
        self.workspace = Workspace(self, self.settings, self.dialogs, self)
        self._connect()
        self._restore_layout()
        self._on_current_changed()
        if not docks_later:
            self.build_docks()

    # ======================================================================================
    # Building
    # ======================================================================================
    def _create_actions(self) -> None:
        for action in Action:
            spec = action.spec
            qaction = QAction(spec.text, self)
            qaction.setObjectName(f"action_{action.name.lower()}")
            qaction.setShortcuts(action.key_sequences())
            qaction.setIcon(themed_icon(spec.icon))
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
        file_menu.addAction(a[Action.RESTORE_SESSION])
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
        view_menu.addAction(a[Action.SCROLL_SYNC])
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

        help_menu = self.help_menu = bar.addMenu("&Help")
        help_menu.addAction(a[Action.MARKDOWN_GUIDE])
        help_menu.addAction(a[Action.KEYBOARD_SHORTCUTS])
        help_menu.addSeparator()
        help_menu.addAction(a[Action.ABOUT])
        a[Action.ABOUT].setMenuRole(QAction.MenuRole.AboutRole)

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
        heading_button.setIcon(themed_icon("format-text-heading"))
        heading_button.setToolTip("Heading level")
        heading_button.setMenu(self.heading_menu)
        heading_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        toolbar.addWidget(heading_button)
        placeholder_button = QToolButton()
        placeholder_button.setObjectName("placeholderButton")
        placeholder_button.setText("Placeholder")
        placeholder_button.setIcon(themed_icon("insert-placeholder"))
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
        if isinstance(export_button, QToolButton):
            export_button.setObjectName("exportButton")
            # The one filled, primary button: its words, as before (the icon shows in the menu).
            export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

    def build_docks(self) -> None:
        """The registered side docks, on the right, each with its View-menu toggle, where the
        user left them, following the current article (once; again does nothing)."""
        if self.docks:
            return
        from editor.ui.docks import DOCK_WIDTH, DOCKS
        from editor.ui.panels.checks import ChecksPanel
        from editor.ui.panels.library import LibraryPanel
        from editor.ui.panels.placeholders import PlaceholdersPanel

        self.docks = [entry.dock_class(self) for entry in DOCKS]
        self.view_menu.addSeparator()
        for dock in self.docks:
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            # Now: built into a window already on screen, Qt would show it a moment later,
            # after resizeDocks passed it by, and even when restoreState had hidden it.
            dock.show()
            toggle = dock.toggleViewAction()
            # Opened from the View menu, a dock tabbed with another comes to the front.
            toggle.triggered.connect(lambda checked, d=dock: d.raise_() if checked else None)
            self.view_menu.addAction(toggle)
        self.resizeDocks(self.docks, [DOCK_WIDTH] * len(self.docks), Qt.Orientation.Horizontal)
        self.resizeDocks(self.docks, [entry.height for entry in DOCKS], Qt.Orientation.Vertical)
        for entry, dock in zip(DOCKS, self.docks, strict=True):
            if entry.tabbed_with is not None:
                beside = self.dock(entry.tabbed_with)
                self.tabifyDockWidget(beside, dock)
                beside.raise_()
        self.checks_panel: ChecksPanel = self.dock(ChecksPanel)
        self.library_panel: LibraryPanel = self.dock(LibraryPanel)
        self.library_menu = QMenu("&Library", self)
        self.library_menu.addActions(self.library_panel.menu_actions())
        self.menuBar().insertMenu(self.help_menu.menuAction(), self.library_menu)
        self.dock(PlaceholdersPanel).suggested_cards = self.library_panel.stories_for
        self.library_panel.library_chosen.connect(
            lambda path: setattr(self.settings, "library_location", path))
        self._connect_docks()
        if not self.settings.window_state.isEmpty():  # the docks' and toolbar's places
            self.restoreState(self.settings.window_state)
        elif self.settings.window_geometry.isEmpty():  # the first start: see _fit_to_screen
            dock_width = max(MIN_DOCK_WIDTH, min(DOCK_WIDTH, int(self.width() * DOCK_SHARE)))
            self.resizeDocks(self.docks, [dock_width] * len(self.docks),
                             Qt.Orientation.Horizontal)
        self._on_current_changed()  # the docks show the current article

    def library_location(self) -> str:
        """The library file this run uses (see :func:`library_location`)."""
        return library_location(self.library_override, self.settings.library_location)

    def spell_checker_for(self, document: ArticleDocument) -> SpellChecker | None:
        """The spell checker of ``document``'s tab (its language, its words), if loaded yet."""
        tab = self.tab_for(document)
        return tab.spell_checker if tab is not None else None

    def dock(self, dock_class: type[DockT]) -> DockT:
        """The window's dock of ``dock_class``."""
        return next(dock for dock in self.docks if isinstance(dock, dock_class))

    def show_field(self, name: str) -> None:
        """Show a metadata field of the current article: the form's, or the related cards."""
        tab = self.current_tab()
        if tab is None:
            return
        if tab.show_field(name):
            return
        if name.startswith("related") and self.docks:
            from editor.ui.panels.related import RelatedPanel

            related = self.dock(RelatedPanel)
            related.show()
            related.raise_()

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
        w = self.workspace
        handlers = {
            Action.NEW: w.new_document,
            Action.OPEN: w.open_with_dialog,
            Action.SAVE: lambda: self._with_document(w.save_document),
            Action.SAVE_AS: lambda: self._with_document(w.save_document_as),
            Action.EXPORT_HTML: w.export_html,
            Action.COPY_HTML: w.copy_as_html,
            Action.CLOSE_TAB: lambda: self.close_tab(self.tabs.currentIndex()),
            Action.QUIT: self.close,
            Action.UNDO: self.undo_group.undo,
            Action.REDO: self.undo_group.redo,
            Action.CUT: lambda: self._edit_focus("cut"),
            Action.COPY: lambda: self._edit_focus("copy"),
            Action.PASTE: lambda: self._edit_focus("paste"),
            Action.SELECT_ALL: lambda: self._edit_focus("selectAll"),
            Action.FIND: lambda: self._with_tab(lambda tab: tab.open_find(False)),
            Action.REPLACE: lambda: self._with_tab(lambda tab: tab.open_find(True)),
            Action.FIND_NEXT: lambda: self._with_tab(lambda tab: tab.find_next()),
            Action.FIND_PREVIOUS: lambda: self._with_tab(lambda tab: tab.find_previous()),
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
            Action.MARKDOWN_GUIDE: lambda: open_markdown_guide(self.workspace),
            Action.KEYBOARD_SHORTCUTS: lambda: show_shortcuts(self, self.dialogs),
            Action.ABOUT: lambda: show_about(self.dialogs),
        }
        for action, handler in handlers.items():
            a[action].triggered.connect(handler)
        a[Action.TOGGLE_PREVIEW].toggled.connect(self.set_preview_visible)
        a[Action.TOGGLE_FORM].toggled.connect(self.set_form_expanded)
        a[Action.WORD_WRAP].toggled.connect(self.set_word_wrap)
        a[Action.SCROLL_SYNC].toggled.connect(self.set_scroll_sync)
        a[Action.RESTORE_SESSION].toggled.connect(
            lambda checked: setattr(self.settings, "restore_session", checked))
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
        self.welcome_new.clicked.connect(w.new_document)
        self.welcome_open.clicked.connect(w.open_with_dialog)
        w.message.connect(self.status_bar.show_message)
        w.exported.connect(self.status_bar.show_export)
        self.status_bar.open_url.connect(self.open_link)
        w.document_saved.connect(self._on_saved)

    def _connect_docks(self) -> None:
        from editor.ui.panels.related import RelatedPanel

        for dock in self.docks:
            if isinstance(dock, DocumentDock):
                self.current_document_changed.connect(dock.set_document)
                dock.jump_requested.connect(self.reveal_position)
            if isinstance(dock, WorkspaceDock):
                dock.open_requested.connect(self.workspace.open_paths)
        spell_checker_for = self.spell_checker_for
        self.checks_panel.spell_checker_for = spell_checker_for
        related = self.dock(RelatedPanel)
        related.spell_checker_for = spell_checker_for
        related.add_to_dictionary.connect(personal_dictionary().add)
        related.ignore_in_article.connect(
            lambda word: self._with_tab(lambda tab: tab.ignore_in_article(word)))
        self.checks_panel.field_requested.connect(self.show_field)
        self.checks_panel.blockers_changed.connect(self.status_bar.show_blockers)

    def _connect_tab(self, tab: EditorTab) -> None:
        document = tab.document
        self.undo_group.addStack(document.undo_stack)
        document.modified_changed.connect(lambda _modified: self._update_titles(tab))
        document.path_changed.connect(lambda: self._update_titles(tab))
        tab.stats_changed.connect(lambda stats: self._on_stats(tab, stats))
        tab.cursor_moved.connect(lambda: self._follow_cursor_soon(tab))
        tab.files_dropped.connect(self.workspace.open_paths)
        tab.link_clicked.connect(self.open_link)
        tab.form_expanded_changed.connect(self._on_form_expanded)
        tab.spell_checker_changed.connect(lambda _checker: self._recheck(tab))

    # ======================================================================================
    # Tabs: what the workspace asks of the window (editor.ui.workspace.DocumentTabs)
    # ======================================================================================
    def add_tab(self, document: ArticleDocument) -> EditorTab:
        """Give ``document`` a tab, with the window's view settings, and show it."""
        tab = EditorTab(document, self.preview_options())
        tab.apply_view_settings(self.settings, self.width())
        self._connect_tab(tab)
        index = self.tabs.addTab(tab, "")
        self._update_titles(tab)
        self.tabs.setCurrentIndex(index)
        tab.focus_editor()
        return tab

    def remove_tab(self, tab: EditorTab) -> None:
        self._remember_layout(tab)
        self.undo_group.removeStack(tab.document.undo_stack)
        self.tabs.removeTab(self.tabs.indexOf(tab))
        tab.close_tab()
        tab.deleteLater()

    def show_tab(self, tab: EditorTab) -> None:
        self.tabs.setCurrentWidget(tab)

    def current_tab(self) -> EditorTab | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, EditorTab) else None

    def editor_tabs(self) -> list[EditorTab]:
        return [tab for index in range(self.tabs.count())
                if isinstance(tab := self.tabs.widget(index), EditorTab)]

    # ======================================================================================
    # The API docks and other parts build on
    # ======================================================================================
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
        return self.workspace.tab_for(document)

    def documents(self) -> list[ArticleDocument]:
        return self.workspace.documents()

    def close_tab(self, index: int) -> bool:
        """Close the tab at ``index``, asking first about unsaved changes. False if kept."""
        tab = self.tabs.widget(index)
        if not isinstance(tab, EditorTab):
            return False
        return self.workspace.close_document(tab.document)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quit: each unsaved article is asked about; Cancel keeps the window open."""
        if not self.workspace.confirm_quit():
            event.ignore()
            return
        self.workspace.save_session()
        self.save_layout()
        for tab in self.editor_tabs():
            tab.close_tab()
        self.workspace.shutdown()
        for dock in self.docks:
            dock.shut_down()
        event.accept()

    def end_session(self) -> None:
        """Logout or SIGTERM: nobody can be asked, so the unsaved text goes to the journal
        (offered back at the next start) and the open tabs are remembered."""
        self.workspace.flush_journal()
        self.workspace.save_session()
        self.save_layout()

    def open_link(self, url: QUrl) -> None:
        QDesktopServices.openUrl(url)

    # ======================================================================================
    # View
    # ======================================================================================
    def preview_options(self) -> ExportOptions:
        return ExportOptions(theme=self.settings.preview_theme)

    def set_zoom(self, zoom: int) -> None:
        zoom = max(MIN_FONT_SIZE - self.settings.font_size,
                   min(MAX_FONT_SIZE - self.settings.font_size, zoom))
        self.settings.zoom = zoom
        self._apply_font()

    def choose_font(self) -> None:
        current = QFont(self.settings.font_family, self.settings.font_size)
        font = self.dialogs.ask_font(current)
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
            tab.set_form_expanded(expanded)

    def _on_form_expanded(self, expanded: bool) -> None:
        action = self.actions[Action.TOGGLE_FORM]
        if action.isChecked() != expanded:
            action.setChecked(expanded)

    def set_word_wrap(self, wrap: bool) -> None:
        self.settings.word_wrap = wrap
        for tab in self.editor_tabs():
            tab.set_word_wrap(wrap)

    def set_scroll_sync(self, sync: bool) -> None:
        self.settings.scroll_sync = sync
        for tab in self.editor_tabs():
            tab.set_scroll_sync(sync)

    def set_preview_theme(self, theme: Theme) -> None:
        self.settings.preview_theme = theme
        options = self.preview_options()
        for tab in self.editor_tabs():
            tab.set_options(options)

    def _restore_layout(self) -> None:
        s = self.settings
        if not s.window_geometry.isEmpty():
            self.restoreGeometry(s.window_geometry)
        else:
            self._fit_to_screen()
        a = self.actions
        for action, value in ((Action.TOGGLE_PREVIEW, s.preview_visible),
                              (Action.TOGGLE_FORM, s.form_expanded),
                              (Action.WORD_WRAP, s.word_wrap),
                              (Action.SCROLL_SYNC, s.scroll_sync),
                              (Action.RESTORE_SESSION, s.restore_session)):
            a[action].blockSignals(True)
            a[action].setChecked(value)
            a[action].blockSignals(False)
        {Theme.AUTO: a[Action.THEME_SYSTEM], Theme.LIGHT: a[Action.THEME_LIGHT],
         Theme.DARK: a[Action.THEME_DARK]}[s.preview_theme].setChecked(True)

    def _fit_to_screen(self) -> None:
        """First start: most of the screen, centred (and docks that leave the form its room:
        see build_docks).

        A fixed size is too big for a laptop and small on a large monitor; the geometry saved
        at quit wins from the second start on.
        """
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        available = screen.availableGeometry()
        size = QSize(int(available.width() * FIRST_START_SCREEN_SHARE),
                     int(available.height() * FIRST_START_SCREEN_SHARE))
        self.resize(size)
        frame = self.frameGeometry()
        frame.moveCenter(available.center())
        self.move(frame.topLeft())

    def _remember_layout(self, tab: EditorTab) -> None:
        sizes = tab.splitter_sizes()
        if len(sizes) == 2 and all(size > 0 for size in sizes):
            self.settings.splitter_sizes = sizes

    def save_layout(self) -> None:
        tab = self.current_tab()
        if tab is not None:
            self._remember_layout(tab)
        self.settings.window_geometry = self.saveGeometry()
        if self.docks:  # (quit before they were built: keep where they were)
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
                          Action.SCROLL_SYNC,
                          Action.THEME_SYSTEM, Action.THEME_LIGHT, Action.THEME_DARK,
                          Action.UNDO, Action.REDO, Action.MARKDOWN_GUIDE,
                          Action.KEYBOARD_SHORTCUTS, Action.ABOUT):
                continue
            self.actions[action].setEnabled(has_tab)
        if tab is None:
            self.undo_group.setActiveStack(None)  # type: ignore[arg-type]  # Qt takes none; the stub not
            self.setWindowTitle(APP_TITLE)
            self.setWindowModified(False)
            self.status_bar.clear_document()
        else:
            self.undo_group.setActiveStack(tab.document.undo_stack)
            self._update_titles(tab)
            self._on_stats(tab, tab.stats)
            self._show_cursor()
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

    def _on_saved(self, document: ArticleDocument) -> None:
        tab = self.tab_for(document)
        if tab is not None:
            self._update_titles(tab)

    def _on_stats(self, tab: EditorTab, stats: BodyStats) -> None:
        if tab is self.current_tab():
            self.status_bar.show_stats(stats)

    def _recheck(self, tab: EditorTab) -> None:
        if tab is self.current_tab() and self.docks:
            self.checks_panel.refresh_now()

    def _follow_cursor_soon(self, tab: EditorTab) -> None:
        if tab is self.current_tab() and not self._follow_cursor.isActive():
            self._follow_cursor.start()  # not restarted: held arrow keys still show

    def _show_cursor(self) -> None:
        """The current tab's cursor in the status bar and the docks."""
        self._follow_cursor.stop()
        tab = self.current_tab()
        if tab is None:
            return
        self.status_bar.show_position(*tab.line_and_column())
        position = tab.cursor_position()
        for dock in self.docks:
            if isinstance(dock, DocumentDock):
                dock.set_cursor_position(position)

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
            action.triggered.connect(
                lambda _checked=False, p=path: self.workspace.open_paths([p]))
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
            self.workspace.open_paths(files)


__all__ = ["APP_TITLE", "FILE_FILTER", "MainWindow"]
