"""The window's parts never import the window: it builds and wires them, not the reverse."""

from __future__ import annotations

import grimp


def test_only_the_application_start_imports_the_window():
    graph = grimp.build_graph("editor")  # every import, those under TYPE_CHECKING included
    assert graph.find_modules_that_directly_import("editor.ui.main_window") == {"editor.ui.app"}
