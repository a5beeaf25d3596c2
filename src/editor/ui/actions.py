"""Every command of the window, as an enum: its label, shortcuts, icon and tip in one table."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtGui import QKeySequence

StandardKey = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    text: str
    shortcuts: tuple[QKeySequence.StandardKey | str, ...] = ()
    icon: str = ""  # a freedesktop icon-theme name
    tip: str = ""
    checkable: bool = False


class Action(Enum):
    NEW = ActionSpec("&New", (StandardKey.New,), "document-new", "Start a new article")
    OPEN = ActionSpec("&Open…", (StandardKey.Open,), "document-open", "Open articles")
    SAVE = ActionSpec("&Save", (StandardKey.Save,), "document-save", "Save the article")
    SAVE_AS = ActionSpec("Save &As…", (StandardKey.SaveAs,), "document-save-as")
    EXPORT_HTML = ActionSpec("&Export HTML…", ("Ctrl+Shift+E",), "document-export",
                             "Export the article as a web page")
    COPY_HTML = ActionSpec("Copy as &HTML", ("Ctrl+Alt+C",), "text-html",
                           "Copy the body and related block as HTML, for a CMS")
    CLOSE_TAB = ActionSpec("&Close Tab", (StandardKey.Close,), "window-close")
    RESTORE_SESSION = ActionSpec("Reopen Articles at &Start", (), "",
                                 "Open the articles of the last session when the editor starts",
                                 checkable=True)
    QUIT = ActionSpec("&Quit", (StandardKey.Quit,), "application-exit")

    UNDO = ActionSpec("&Undo", (StandardKey.Undo,), "edit-undo")
    REDO = ActionSpec("&Redo", (StandardKey.Redo, "Ctrl+Y"), "edit-redo")
    CUT = ActionSpec("Cu&t", (StandardKey.Cut,), "edit-cut")
    COPY = ActionSpec("&Copy", (StandardKey.Copy,), "edit-copy")
    PASTE = ActionSpec("&Paste", (StandardKey.Paste,), "edit-paste")
    SELECT_ALL = ActionSpec("Select &All", (StandardKey.SelectAll,), "edit-select-all")
    FIND = ActionSpec("&Find…", (StandardKey.Find,), "edit-find", "Find in the body")
    REPLACE = ActionSpec("&Replace…", ("Ctrl+H",), "edit-find-replace")
    FIND_NEXT = ActionSpec("Find &Next", (StandardKey.FindNext,))
    FIND_PREVIOUS = ActionSpec("Find Pre&vious", (StandardKey.FindPrevious,))

    BOLD = ActionSpec("&Bold", (StandardKey.Bold,), "format-text-bold", "Bold (Ctrl+B)")
    ITALIC = ActionSpec("&Italic", (StandardKey.Italic,), "format-text-italic", "Italic (Ctrl+I)")
    LINK = ActionSpec("&Link…", ("Ctrl+K",), "insert-link", "Link (Ctrl+K)")
    HEADING_1 = ActionSpec("Heading &1", ("Ctrl+1",))
    HEADING_2 = ActionSpec("Heading &2", ("Ctrl+2",))
    HEADING_3 = ActionSpec("Heading &3", ("Ctrl+3",))
    HEADING_4 = ActionSpec("Heading &4", ("Ctrl+4",))
    PARAGRAPH = ActionSpec("&Body Text", ("Ctrl+Alt+0",))
    INSERT_INTERNAL_LINK = ActionSpec("&Internal Link Placeholder", ("Ctrl+Shift+K",),
                                      "", "Insert [INTERNAL_LINK]")
    INSERT_EXTERNAL_LINK = ActionSpec("&External Link Placeholder", (), "",
                                      "Insert [EXTERNAL_LINK]")
    INSERT_IMAGE_PLACEHOLDER = ActionSpec("I&mage Placeholder", (), "", "Insert [IMAGE: …]")
    INSERT_TK = ActionSpec("&TK (to come)", (), "", "Insert TK")

    TOGGLE_PREVIEW = ActionSpec("Show &Preview", ("Ctrl+Shift+P",), "view-preview",
                                "Show or hide the live preview", checkable=True)
    TOGGLE_FORM = ActionSpec("Show Article &Details", ("Ctrl+Shift+M",), "document-properties",
                             "Show or hide the metadata form", checkable=True)
    WORD_WRAP = ActionSpec("&Word Wrap", ("Alt+Z",), "", checkable=True)
    SCROLL_SYNC = ActionSpec("&Sync Scrolling", (), "",
                             "Scroll the preview with the editor, and back", checkable=True)
    ZOOM_IN = ActionSpec("Zoom &In", (StandardKey.ZoomIn, "Ctrl+="), "zoom-in")
    ZOOM_OUT = ActionSpec("Zoom &Out", (StandardKey.ZoomOut,), "zoom-out")
    ZOOM_RESET = ActionSpec("&Actual Size", ("Ctrl+0",), "zoom-original")
    EDITOR_FONT = ActionSpec("Editor &Font…", (), "preferences-desktop-font")
    THEME_SYSTEM = ActionSpec("Follow the &System", checkable=True)
    THEME_LIGHT = ActionSpec("&Light", checkable=True)
    THEME_DARK = ActionSpec("&Dark", checkable=True)

    MARKDOWN_GUIDE = ActionSpec("&Markdown Guide", (StandardKey.HelpContents,), "help-contents",
                                "Open a guide to every element an article can hold")
    KEYBOARD_SHORTCUTS = ActionSpec("&Keyboard Shortcuts", ("Ctrl+/",), "help-keyboard-shortcuts",
                                    "List every keyboard shortcut")
    ABOUT = ActionSpec("&About Article Editor", (), "help-about")

    @property
    def spec(self) -> ActionSpec:
        return self.value

    def key_sequences(self) -> list[QKeySequence]:
        sequences: list[QKeySequence] = []
        for shortcut in self.spec.shortcuts:
            if isinstance(shortcut, str):
                sequences.append(QKeySequence(shortcut))
            else:
                sequences.extend(QKeySequence.keyBindings(shortcut))
        unique: list[QKeySequence] = []
        for sequence in sequences:
            if not sequence.isEmpty() and sequence not in unique:
                unique.append(sequence)
        return unique
