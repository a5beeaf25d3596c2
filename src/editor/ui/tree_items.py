"""Walking a QTreeWidget's rows (PySide6 types ``child()`` as maybe None; here it never is)."""

from __future__ import annotations

from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem


def children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [child for index in range(item.childCount()) if (child := item.child(index)) is not None]


def top_level_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    return children(tree.invisibleRootItem())
