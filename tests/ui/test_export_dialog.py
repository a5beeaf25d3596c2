"""The export dialog: command-line options, and placeholders confirmed before export."""

from __future__ import annotations

from pathlib import Path

from editor.export import Theme
from editor.placeholders import find_placeholders
from editor.render import RawHtml
from editor.ui.export_dialog import ExportDialog


def test_placeholders_must_be_confirmed(qtbot, tmp_path):
    placeholders = find_placeholders("Voted [INTERNAL_LINK].\n\nCost TK.\n")
    dialog = ExportDialog(tmp_path / "a.html", placeholders, Theme.AUTO)
    qtbot.addWidget(dialog)
    items = [dialog.placeholder_list.item(i).text() for i in range(dialog.placeholder_list.count())]
    assert items[0].startswith("Line 1: [INTERNAL_LINK]")  # the editor's lines
    assert items[1].startswith("Line 3: TK")
    assert not dialog.export_button.isEnabled()
    dialog.confirm_box.setChecked(True)
    assert dialog.export_button.isEnabled()
    assert dialog.allow_placeholders()


def test_options_match_the_command_line(qtbot, tmp_path):
    dialog = ExportDialog(tmp_path / "a.html", [], Theme.AUTO)
    qtbot.addWidget(dialog)
    assert dialog.export_button.isEnabled()
    assert not dialog.confirm_box.isVisible()
    dialog.fragment_box.setChecked(True)
    dialog.embed_box.setChecked(True)
    dialog.raw_html_box.setCurrentIndex(1)
    dialog.path_field.setText("~/out.html")
    options = dialog.options()
    assert options.fragment and options.embed_images
    assert options.raw_html is RawHtml.KEEP
    assert dialog.output_path() == Path.home() / "out.html"
    dialog.path_field.setText("")
    assert not dialog.export_button.isEnabled()
