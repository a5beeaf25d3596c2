"""The registry of side docks: the window adds each one listed here, in this order.

A new dock subclasses :class:`~editor.ui.panels.base.DocumentDock` (it follows the current
document: set_document, jump_requested, set_cursor_position) or
:class:`~editor.ui.panels.base.WorkspaceDock` (it does not: open_requested), and adds one
line to :data:`DOCKS`. The window wires it by its base and gives it a View-menu toggle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from editor.ui.panels.base import Dock, DocumentDock, WorkspaceDock
from editor.ui.panels.checks import ChecksPanel
from editor.ui.panels.headings import HeadingsPanel
from editor.ui.panels.library import LibraryPanel
from editor.ui.panels.placeholders import PlaceholdersPanel
from editor.ui.panels.related import RelatedPanel

DOCK_WIDTH = 340


@dataclass(frozen=True)
class DockEntry:
    dock_class: Callable[[QWidget], Dock]  # a Dock subclass, made with the window as parent
    height: int  # its first share of the right-hand column, before the user resizes it
    tabbed_with: type[Dock] | None = None  # shares the place of this earlier dock, as a tab


DOCKS: tuple[DockEntry, ...] = (
    DockEntry(HeadingsPanel, 200),
    DockEntry(PlaceholdersPanel, 170),
    DockEntry(RelatedPanel, 400),
    DockEntry(ChecksPanel, 170, tabbed_with=PlaceholdersPanel),
    DockEntry(LibraryPanel, 400, tabbed_with=RelatedPanel),
)

__all__ = ["DOCKS", "DOCK_WIDTH", "Dock", "DockEntry", "DocumentDock", "WorkspaceDock"]
