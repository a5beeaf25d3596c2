"""The Checks dock, the status bar's blocker count and the pre-export checklist, as a user meets them."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from editor import worker_process
from editor.checks import run_checks
from editor.checks.worker import WORKER
from editor.spelling import checker_for
from editor.ui.actions import Action
from editor.ui.checklist import ChecklistDialog
from editor.ui.export_dialog import ExportDialog
from editor.ui.spelling import personal_dictionary

from .conftest import OFFSCREEN_NOISE
from .worker_probe import dictionary_modules

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

COMPLETE = """---
title: Council approves the harbour bridge
author: Maria Lopez
date: 2025-10-01
slug: Harbour Bridge
keyword: harbour bridge
description: >-
  The council voted to fund the harbour bridge, ending ten years of delays and studies.
  What it costs, who pays, and what the port district fears.
---
The harbour bridge vote ended a decade of delays in Iraq , which surprised nobody.

## Why the harbour bridge matters

Commuters will save twenty minutes a day.
"""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "story.md"
    path.write_text(COMPLETE, encoding="utf-8")
    return path


def finding_rows(panel) -> list[str]:
    return [item.text(0) for item in panel.items()]


def open_checked(qtbot, window, path: Path):
    [document] = window.workspace.open_paths([path])
    tab = window.tab_for(document)
    qtbot.waitUntil(lambda: tab.spell_checker is not None, timeout=20000)
    panel = window.checks_panel
    qtbot.waitUntil(lambda: any("Iraq ," in row or "space before" in row
                                for row in finding_rows(panel)), timeout=20000)
    return tab, panel


def click_row(qtbot, panel, text: str) -> None:
    item = next(item for item in panel.items() if text in item.text(0))
    panel.tree.scrollToItem(item)
    rect = panel.tree.visualItemRect(item)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_dock_groups_findings_with_counts_and_is_in_the_view_menu(qtbot, window, article):
    window.checks_panel.show()
    window.checks_panel.raise_()
    _tab, panel = open_checked(qtbot, window, article)
    groups = [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]
    assert "Leftovers (1)" in groups and any(g.startswith("SEO (") for g in groups)
    assert "Line 1: A space before “,” (where a link or word was cut out?)" in finding_rows(panel)
    assert panel.toggleViewAction() in window.view_menu.actions()
    assert window.status_bar.blockers_label.text() == "No blockers"


def test_click_jumps_and_fix_is_one_undo_step(qtbot, window, article):
    window.checks_panel.show()
    window.checks_panel.raise_()
    tab, panel = open_checked(qtbot, window, article)
    click_row(qtbot, panel, "A space before")
    cursor = tab.editor.textCursor()
    assert (cursor.blockNumber(), cursor.positionInBlock()) == (0, COMPLETE.split("---\n")[2].index(" ,"))
    assert panel.fix_button.text() == "Remove" and panel.fix_button.isEnabled()
    qtbot.mouseClick(panel.fix_button, Qt.MouseButton.LeftButton)
    assert "in Iraq, which" in tab.document.body()
    qtbot.waitUntil(lambda: not any("space before" in row for row in finding_rows(panel)))
    tab.document.undo_stack.undo()
    assert "in Iraq , which" in tab.document.body()


def test_metadata_fix_and_field_jump(qtbot, window, article):
    window.checks_panel.show()
    window.checks_panel.raise_()
    tab, panel = open_checked(qtbot, window, article)
    click_row(qtbot, panel, "The slug is not lower-case")
    qtbot.waitUntil(lambda: tab.form.fields["slug"].hasFocus())
    qtbot.mouseClick(panel.fix_button, Qt.MouseButton.LeftButton)
    assert tab.document.metadata().slug == "council-approves-the-harbour-bridge"
    assert tab.document.undo_stack.undoText() == "Make the slug from the headline"


def test_checking_again_with_the_same_findings_keeps_the_selected_row(qtbot, window, article):
    window.checks_panel.show()
    window.checks_panel.raise_()
    _tab, panel = open_checked(qtbot, window, article)
    click_row(qtbot, panel, "The slug is not lower-case")
    with qtbot.waitSignal(panel.blockers_changed, timeout=20000):
        panel.refresh_now()  # nothing changed: the same findings come back
    assert "The slug is not lower-case" in panel.tree.currentItem().text(0)
    assert panel.fix_button.text() == "Make the slug from the headline"


def test_status_bar_counts_blockers_as_you_type(qtbot, window, article):
    tab, _panel = open_checked(qtbot, window, article)
    tab.editor.setFocus()
    qtbot.keyClicks(tab.editor, "TK ")
    qtbot.waitUntil(lambda: window.status_bar.blockers_label.text() == "1 blocker", timeout=10000)


def test_export_shows_the_checklist_first_and_writes_the_build_log(qtbot, window, answers,
                                                                    tmp_path):
    path = tmp_path / "draft.md"
    path.write_text("---\ntitle: A draft\n---\nThe bridge in Iraq , yes.\n", encoding="utf-8")
    open_checked(qtbot, window, path)
    output = tmp_path / "out" / "draft.html"
    seen = {}

    def answer(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, ExportDialog)
        seen["rows"] = [dialog.checklist.item(i).text() for i in range(dialog.checklist.count())]
        seen["enabled"] = dialog.export_button.isEnabled()
        dialog.path_field.setText(str(output))
        dialog.confirm_box.setChecked(True)  # "Export anyway"
        seen["anyway"] = dialog.confirm_box.text()
        return True

    answers.dialog = answer
    window.actions[Action.EXPORT_HTML].trigger()
    assert seen["rows"][:2] == ["author: The article has no byline (author)",
                                "date: The article has no date"]
    # The editor's own line numbers (the body's first line), as the panels count them.
    assert "Line 1: A space before “,” (where a link or word was cut out?)" in seen["rows"]
    assert seen["enabled"] is False and seen["anyway"] == "Export anyway"
    log = (tmp_path / "out" / "draft.build.log").read_text(encoding="utf-8")
    assert "Exported anyway" in log
    assert "draft.md:1:1: blocker: completeness.byline: The article has no byline" in log
    assert "draft.md:4:19: warning: leftovers.space-before-punctuation" in log
    page = output.read_text(encoding="utf-8")
    assert "completeness.byline" not in page and "blocker" not in page


def test_copy_as_html_asks_first_when_blockers_are_left(qtbot, window, answers, tmp_path):
    path = tmp_path / "draft.md"
    path.write_text("---\ntitle: A draft\n---\nHello there.\n", encoding="utf-8")
    open_checked_simple = window.workspace.open_paths([path])
    assert open_checked_simple
    QApplication.clipboard().clear()
    asked = {}

    def cancel(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, ChecklistDialog)
        asked["enabled"] = dialog.go_button.isEnabled()
        asked["rows"] = dialog.list.count()
        return False

    answers.dialog = cancel
    window.actions[Action.COPY_HTML].trigger()
    assert asked["enabled"] is False and asked["rows"] >= 2
    assert "Hello there" not in QApplication.clipboard().text()


def test_out_of_sight_the_dock_checks_only_what_the_status_bar_counts(qtbot, window, article):
    window.checks_panel.close()
    [document] = window.workspace.open_paths([article])
    panel = window.checks_panel
    qtbot.waitUntil(lambda: window.status_bar.blockers_label.text() == "No blockers", timeout=10000)
    qtbot.waitUntil(lambda: panel.document() is document)
    assert {finding.family.value for finding in panel.findings} <= {"completeness"}
    panel.toggleViewAction().trigger()  # View > Checks
    qtbot.waitUntil(lambda: any("space before" in row for row in finding_rows(panel)),
                    timeout=20000)



# -- spelling: from the tab's own checker, never a dictionary in the worker ---------------------
MISSPELT = """---
title: Council approvs the new bridge
author: Maria Lopez
---
The city brige vote ended a decade of delays.

Commuters will recieve twenty minutes a day.
"""


def comparable(findings) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(f.id, f.family, f.severity, f.message, f.line, f.column, f.field, f.suggestions,
             f.fix and f.fix.label) for f in findings]


def expected_findings(document) -> list[tuple]:  # type: ignore[no-untyped-def]
    """run_checks with a checker of this process's own, as the command line's ``check`` runs."""
    article = document.article()
    checker = checker_for(article, personal_dictionary().words)
    return comparable(run_checks(article, spelling=checker, with_suggestions=False))


def spelling_rows(panel) -> list[str]:
    return [row for row in finding_rows(panel) if "Unknown word" in row]


@pytest.fixture
def misspelt(qtbot, window, tmp_path: Path):
    path = tmp_path / "misspelt.md"
    path.write_text(MISSPELT, encoding="utf-8")
    window.checks_panel.show()
    window.checks_panel.raise_()
    [document] = window.workspace.open_paths([path])
    tab = window.tab_for(document)
    qtbot.waitUntil(lambda: tab.spell_checker is not None, timeout=20000)
    qtbot.waitUntil(lambda: "Line 3: Unknown word “recieve”" in spelling_rows(window.checks_panel),
                    timeout=20000)
    return tab


def test_spelling_findings_are_run_checks_and_the_worker_loads_no_dictionary(
        qtbot, window, misspelt):
    panel = window.checks_panel
    assert spelling_rows(panel) == ["Unknown word “approvs” in title",
                                    "Line 1: Unknown word “brige”", "Line 3: Unknown word “recieve”"]
    assert comparable(panel.findings) == expected_findings(misspelt.document)
    assert worker_process.submit(WORKER, dictionary_modules).result(timeout=60) == []


def test_spelling_findings_follow_the_dictionary_and_the_ignored_words(qtbot, window, misspelt):
    panel = window.checks_panel
    personal_dictionary().add("brige")  # Add to Dictionary, from any tab
    qtbot.waitUntil(lambda: "Line 1: Unknown word “brige”" not in spelling_rows(panel),
                    timeout=20000)
    misspelt.ignore_in_article("approvs")
    qtbot.waitUntil(lambda: spelling_rows(panel) == ["Line 3: Unknown word “recieve”"],
                    timeout=20000)
    assert comparable(panel.findings) == expected_findings(misspelt.document)


def test_a_new_spell_checker_is_checked_without_analysing_the_body_here(
        qtbot, window, misspelt, monkeypatch):
    from editor.ui import analysis_service

    analysed_here: list[int] = []
    real_analyze = analysis_service.analyze
    monkeypatch.setattr(analysis_service, "analyze", lambda article, *rest: (
        analysed_here.append(len(article.body)) or real_analyze(article, *rest)))
    panel = window.checks_panel
    checker = misspelt.spell_checker
    misspelt.document.replace_body_range(0, 0, "Typing goes on. ")  # not analysed yet
    assert not misspelt.document.analysis.is_current()
    personal_dictionary().add("recieve")  # the tab gets a new spell checker: checked again
    assert misspelt.spell_checker is not checker
    # Not analysed here and now first (for a long body that took 34 ms of the window's thread).
    assert analysed_here == []
    qtbot.waitUntil(lambda: "Line 3: Unknown word “recieve”" not in spelling_rows(panel),
                    timeout=20000)
    qtbot.waitUntil(lambda: comparable(panel.findings) == expected_findings(misspelt.document),
                    timeout=20000)


def test_a_fix_is_checked_again_without_analysing_the_body_here(
        qtbot, window, article, monkeypatch):
    from editor.ui import analysis_service

    window.checks_panel.show()
    window.checks_panel.raise_()
    _tab, panel = open_checked(qtbot, window, article)
    analysed_here: list[int] = []
    real_analyze = analysis_service.analyze
    monkeypatch.setattr(analysis_service, "analyze", lambda article, *rest: (
        analysed_here.append(len(article.body)) or real_analyze(article, *rest)))
    click_row(qtbot, panel, "A space before")
    qtbot.mouseClick(panel.fix_button, Qt.MouseButton.LeftButton)
    assert analysed_here == []  # the checks run on the article, in their worker
    qtbot.waitUntil(lambda: not any("space before" in row for row in finding_rows(panel)))


def test_spelling_findings_follow_the_language(qtbot, window, misspelt):
    panel = window.checks_panel
    english = spelling_rows(panel)
    misspelt.document.update_metadata("Set the language", lang="fr")
    with qtbot.waitSignal(panel.blockers_changed, timeout=20000):
        panel.refresh_now()
    # While the French dictionary loads: no spelling findings, never the English ones.
    assert spelling_rows(panel) != english
    qtbot.waitUntil(lambda: misspelt.spell_checker is not None
                    and comparable(panel.findings) == expected_findings(misspelt.document),
                    timeout=30000)
    assert spelling_rows(panel) != english
    assert "Line 3: Unknown word “Commuters”" in spelling_rows(panel)


def test_a_long_article_is_checked_after_a_longer_pause_than_its_analysis(qtbot, window, tmp_path):
    """Its spelling half runs on the window's thread: not among the next keystrokes."""
    from editor.ui.panels.base import LONG_BODY_CHARS

    path = tmp_path / "long.md"
    paragraph = "The harbour bridge vote ended a decade of delays in the port district.\n\n"
    path.write_text(COMPLETE + paragraph * (LONG_BODY_CHARS // len(paragraph) + 10), "utf-8")
    window.checks_panel.show()
    window.checks_panel.raise_()
    tab, panel = open_checked(qtbot, window, path)
    refreshed: list[int] = []
    real_refresh = panel.refresh
    panel.refresh = lambda: (refreshed.append(tab.document.revision), real_refresh())
    analysis = tab.document.analysis
    try:
        tab.editor.setFocus()
        with qtbot.waitSignal(analysis.updated, timeout=20000):
            qtbot.keyClicks(tab.editor, "TK ")
        QApplication.processEvents()
        assert refreshed == []  # the analysis came after a pause in typing: not the checks yet
        qtbot.waitUntil(lambda: refreshed == [tab.document.revision], timeout=10000)
        qtbot.waitUntil(lambda: window.status_bar.blockers_label.text() == "1 blocker",
                        timeout=20000)
    finally:
        del panel.refresh


def test_a_checks_process_killed_while_it_checks_is_started_again(qtbot, window, tmp_path,
                                                                  caplog):
    filler = "\n\n".join(f"Paragraph {n} of a long report on the council's budget." * 8
                         for n in range(400))
    path = tmp_path / "long.md"
    path.write_text(COMPLETE + "\n" + filler + "\n", encoding="utf-8")
    tab, panel = open_checked(qtbot, window, path)
    document = tab.document
    start = document.body().index("Iraq ,")
    document.replace_body_range(start, start + len("Iraq ,"), "Iraq,")
    panel.refresh_now()
    for child in multiprocessing.active_children():  # out of memory, or killed by the user
        os.kill(child.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: not any("Iraq ," in row or "space before" in row
                                    for row in finding_rows(panel)), timeout=30000)
    assert finding_rows(panel)  # the other findings are still there
    # The lost check was given again, not dropped with an error on the terminal.
    assert not [record for record in caplog.records if record.name == "concurrent.futures"]
