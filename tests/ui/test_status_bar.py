"""The status bar: the current article's counts and position, and transient messages."""

from __future__ import annotations

import pytest

from editor.ui.editor_tab import BodyStats
from editor.ui.status_bar import StatusBar

from .conftest import OFFSCREEN_NOISE, write_article

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_status_bar_shows_words_reading_time_placeholders_and_position(window, tmp_path):
    window.workspace.open_paths([write_article(tmp_path, "a.md", "One two three [INTERNAL_LINK] TK\n")])
    assert window.status_bar.words_label.text() == "5 words"
    assert window.status_bar.reading_label.text() == "1 min read"
    assert window.status_bar.placeholders_label.text() == "2 placeholders left"
    assert window.status_bar.position_label.text() == "Ln 1, Col 1"


def test_the_position_follows_a_keystroke_after_its_key_event(window, qtbot, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.workspace.open_paths([write_article(tmp_path, "a.md", "One two.\n")])
    tab = window.current_tab()
    qtbot.waitUntil(tab.preview_is_current, timeout=15000)
    tab.editor.setFocus()
    QTest.keyClick(tab.editor, Qt.Key.Key_X)
    # The key event leaves the status bar as it was (its patch and repaint go first)…
    assert window.status_bar.position_label.text() == "Ln 1, Col 1"
    # …and it shows the cursor's new place soon after (the keys held down too).
    qtbot.waitUntil(lambda: window.status_bar.position_label.text() == "Ln 1, Col 2")
    for _ in range(3):
        QTest.keyClick(tab.editor, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.status_bar.position_label.text() == "Ln 1, Col 5")




def test_the_counts_follow_the_tab_the_user_sees(window, qtbot, tmp_path):
    window.workspace.open_paths([write_article(tmp_path, "a.md", "One two TK\n"),
                                 write_article(tmp_path, "b.md", "One\n")])
    assert window.status_bar.words_label.text() == "1 words"
    window.tabs.setCurrentIndex(0)
    assert window.status_bar.words_label.text() == "3 words"
    assert window.status_bar.placeholders_label.text() == "1 placeholder left"
    window.close_tab(1)
    window.close_tab(0)
    assert window.status_bar.words_label.text() == ""
    assert window.status_bar.position_label.text() == ""


def test_a_message_shows_beside_the_counts_and_goes(qtbot):
    bar = StatusBar()
    qtbot.addWidget(bar)
    bar.show_stats(BodyStats(words=1200, minutes=5, placeholders=0))
    bar.show_message("Saved story.md", 100)
    assert bar.currentMessage() == "Saved story.md"
    assert bar.words_label.text() == "1,200 words"
    assert bar.placeholders_label.text() == "No placeholders left"
    assert bar.placeholders_label.property("pending") is False
    qtbot.waitUntil(lambda: bar.currentMessage() == "", timeout=2000)
    assert bar.reading_label.text() == "5 min read"
