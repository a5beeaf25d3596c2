"""Icons on the toolbar and in menus, and the Help menu: About, Keyboard Shortcuts, Markdown Guide."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import markdown
import pygments
import PySide6
import pytest
from PySide6.QtCore import QByteArray, QSize, Qt, qVersion
from PySide6.QtGui import QAction, QColor, QGuiApplication, QIcon, QImage, QKeySequence, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QToolButton

from editor import __version__
from editor.ui.actions import Action
from editor.ui.help import AboutDialog, ShortcutsDialog, is_typed
from editor.ui.icons import BUNDLED, themed_icon

from .conftest import OFFSCREEN_NOISE, preview_body_html, wait_preview_ready

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
GUIDE = Path(str(resources.files("editor.resources").joinpath("samples/markdown-guide.md")))


def drawn_pixels(image: QImage) -> int:
    """How many pixels of ``image`` are not its top-left (background) colour."""
    background = image.pixelColor(0, 0)
    return sum(image.pixelColor(x, y) != background
               for x in range(image.width()) for y in range(image.height()))


def toolbar_button(window, action: Action) -> QToolButton:
    button = window.toolbar.widgetForAction(window.actions[action])
    assert isinstance(button, QToolButton)
    return button


# -- icons ----------------------------------------------------------------------------------
def test_toolbar_buttons_show_icons_and_keep_their_names_as_tooltips(window):
    for action in (Action.NEW, Action.OPEN, Action.SAVE, Action.UNDO, Action.REDO, Action.BOLD,
                   Action.ITALIC, Action.LINK, Action.FIND, Action.TOGGLE_FORM,
                   Action.TOGGLE_PREVIEW):
        button = toolbar_button(window, action)
        assert not button.icon().isNull(), action
        assert button.toolButtonStyle() != Qt.ToolButtonStyle.ToolButtonTextOnly, action
        assert button.toolTip(), action
        pixmap = button.icon().pixmap(18, 18)
        assert drawn_pixels(pixmap.toImage()) > 10, f"{action}: the icon draws nothing"
    assert toolbar_button(window, Action.SAVE).toolTip() == "Save the article"
    assert toolbar_button(window, Action.UNDO).toolTip() == "Undo"
    # The menus keep the words beside the icons.
    assert window.actions[Action.SAVE].text() == "&Save"
    # Export stays the one filled button with words; its icon is in the File menu.
    export = toolbar_button(window, Action.EXPORT_HTML)
    assert export.text() == "Export HTML"
    assert export.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextOnly
    assert not window.actions[Action.EXPORT_HTML].icon().isNull()
    for name in ("headingButton", "placeholderButton"):
        button = window.toolbar.findChild(QToolButton, name)
        assert not button.icon().isNull() and button.toolTip()


def test_a_bundled_icon_is_drawn_sharp_at_whatever_size_and_state_it_is_shown(qapp):
    colour = QGuiApplication.palette().buttonText().color().name()
    svg = resources.files("editor.resources").joinpath("icons/lucide/save.svg").read_text(
        "utf-8").replace("currentColor", colour)
    icon = themed_icon("document-save")

    def drawn_directly(pixels: int) -> QImage:
        image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        QSvgRenderer(QByteArray(svg.encode("utf-8"))).render(painter)
        painter.end()
        return image

    for size, ratio in ((40, 1.0), (22, 1.0), (24, 2.0)):  # not scaled from another size
        pixmap = icon.pixmap(QSize(size, size), ratio)
        assert pixmap.devicePixelRatio() == ratio
        image = pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        assert image == drawn_directly(int(size * ratio)), (size, ratio)
    disabled = icon.pixmap(QSize(24, 24), 1.0, QIcon.Mode.Disabled).toImage()
    normal = icon.pixmap(QSize(24, 24)).toImage()
    assert drawn_pixels(disabled) > 10 and disabled != normal  # the style's greyed version


def test_every_icon_an_action_names_has_a_bundled_fallback():
    for action in Action:
        if action.spec.icon:
            assert action.spec.icon in BUNDLED, action
    folder = resources.files("editor.resources").joinpath("icons/lucide")
    for name in BUNDLED.values():
        assert folder.joinpath(f"{name}.svg").is_file(), name
    assert folder.joinpath("LICENSE").is_file()


@pytest.fixture
def desktop_icon_theme(tmp_path: Path) -> Iterator[None]:
    """A desktop icon theme that has a save icon (a red square) and nothing else."""
    theme = tmp_path / "icons" / "test-theme"
    (theme / "16x16" / "actions").mkdir(parents=True)
    (theme / "index.theme").write_text(
        "[Icon Theme]\nName=Test\nDirectories=16x16/actions\n\n"
        "[16x16/actions]\nSize=16\nContext=Actions\nType=Fixed\n", "utf-8")
    red = QImage(16, 16, QImage.Format.Format_ARGB32)
    red.fill(QColor("red"))
    red.save(str(theme / "16x16" / "actions" / "document-save.png"))
    paths, name = QIcon.themeSearchPaths(), QIcon.themeName()
    QIcon.setThemeSearchPaths([str(tmp_path / "icons")])
    QIcon.setThemeName("test-theme")
    yield
    QIcon.setThemeSearchPaths(paths)
    QIcon.setThemeName(name)


def test_the_desktop_theme_icon_wins_and_the_bundled_one_fills_the_gaps(qapp, desktop_icon_theme):
    save = themed_icon("document-save").pixmap(16, 16).toImage()
    assert save.pixelColor(8, 8) == QColor("red")
    undo = themed_icon("edit-undo")  # not in the theme: Lucide's arrow
    assert not undo.isNull()
    assert drawn_pixels(undo.pixmap(16, 16).toImage()) > 10


def test_the_window_has_the_application_icon(window):
    icon = window.windowIcon()
    assert not icon.isNull()
    assert {size.width() for size in icon.availableSizes()} >= {16, 32, 48, 256}


# -- About ----------------------------------------------------------------------------------
def test_about_shows_the_versions_of_the_editor_and_its_libraries(window, answers):
    shown: list[dict[str, str]] = []

    def look(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, AboutDialog)
        shown.append({name: label.text() for name, label in dialog.version_labels.items()})
        return False

    answers.dialog = look
    help_menu = next(action.menu() for action in window.menuBar().actions()
                     if action.text() == "&Help")
    about = next(action for action in help_menu.actions() if "About" in action.text())
    about.trigger()

    assert shown == [{
        "Article Editor": __version__,
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "Python-Markdown": markdown.__version__,
        "Pygments": pygments.__version__,
        "Python": shown[0]["Python"],
    }]
    assert shown[0]["Python"].startswith("3.")


# -- Keyboard Shortcuts ---------------------------------------------------------------------
def open_shortcuts(window, qtbot, answers) -> ShortcutsDialog:
    opened: list[ShortcutsDialog] = []

    def keep(dialog) -> bool:  # type: ignore[no-untyped-def]
        opened.append(dialog)
        return False

    answers.dialog = keep
    qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1
    return opened[0]


def test_keyboard_shortcuts_lists_every_shortcut_of_the_window(window, qtbot, answers):
    dialog = open_shortcuts(window, qtbot, answers)
    rows = dialog.visible_rows()
    for action, qaction in window.actions.items():
        for sequence in filter(is_typed, qaction.shortcuts()):
            keys = sequence.toString(QKeySequence.SequenceFormat.NativeText)
            assert any(keys in shortcut.split(", ") for _command, shortcut in rows), action
    assert ("Save", QKeySequence("Ctrl+S").toString(QKeySequence.SequenceFormat.NativeText)) in rows
    assert ("Export HTML", "Ctrl+Shift+E") in rows
    assert ("Keyboard Shortcuts", "Ctrl+/") in rows
    groups = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert groups[:5] == ["File", "Edit", "Format", "View", "Help"]


def test_a_shortcut_added_anywhere_appears_without_editing_a_list(window, qtbot, answers):
    extra = QAction("Count &Words…", window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+W"))
    window.addAction(extra)

    rows = open_shortcuts(window, qtbot, answers).visible_rows()

    assert ("Count Words", "Ctrl+Alt+W") in rows


def test_the_filter_narrows_the_list(window, qtbot, answers):
    dialog = open_shortcuts(window, qtbot, answers)
    dialog.show()
    qtbot.keyClicks(dialog.filter, "ital")
    assert dialog.visible_rows() == [("Italic", "Ctrl+I")]
    dialog.filter.clear()
    assert len(dialog.visible_rows()) > 30
    dialog.close()


# -- Markdown Guide -------------------------------------------------------------------------
def test_markdown_guide_opens_an_untitled_copy_showing_every_element(window, qtbot, answers):
    shipped = GUIDE.read_bytes()
    qtbot.keyClick(window, Qt.Key.Key_F1)

    document = window.current_document()
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Untitled"
    assert document.path is None and document.imported_from is None
    assert document.metadata().title.startswith("Markdown Guide")
    assert window.status_bar.placeholders_label.text() == "No placeholders left"
    tab = window.current_tab()
    wait_preview_ready(qtbot, tab.preview)
    qtbot.waitUntil(tab.preview_is_current, timeout=10000)
    html = preview_body_html(qtbot, tab.preview)
    for element in ("<h2", "<h3", "<h4", "<strong>", "<em>", "<code>", "<a ", "<ul>", "<ol>",
                    "<blockquote>", "<table>", "footnote", "codehilite", "<hr", 'class="note"',
                    "<abbr", "toc"):
        assert element in html, element

    # Editing it and saving asks where: the shipped guide is never written.
    qtbot.keyClicks(tab.editor, "My notes. ")
    answers.save_path = None
    window.actions[Action.SAVE].trigger()
    assert document.path is None
    assert GUIDE.read_bytes() == shipped
