"""The shared analysis of an open document: one per revision, long bodies off the main thread."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from editor import worker_process
from editor.analysis import analyze_body
from editor.model import Article
from editor.ui import analysis_service, first_screen
from editor.ui.analysis_service import LARGE_BODY_CHARS, wait_for_worker
from editor.ui.document import ArticleDocument

SHORT = "## Heading\n\nTwo words TK.\n"
LONG = "Words of a long report, [INTERNAL_LINK] here.\n\n" * (LARGE_BODY_CHARS // 40)
# Long enough for its analysis to take a while: a test can act while the worker is at it.
REPORT = LONG * 40


def type_text(document: ArticleDocument, position: int, text: str) -> None:
    document.replace_body_range(position, position, text)


@pytest.fixture(autouse=True)
def first_screen_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """These documents have no tab: as after start-up, work waiting for a first screen runs."""
    monkeypatch.setattr(first_screen, "_waiting", None)


def test_a_long_body_opens_with_its_analysis_from_the_worker(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    analysed_here: list[int] = []
    real_analyze = analysis_service.analyze
    monkeypatch.setattr(analysis_service, "analyze", lambda article, *rest: (
        analysed_here.append(len(article.body)) or real_analyze(article, *rest)))
    document = ArticleDocument(Article(title="Report", body=LONG))
    analysis = document.analysis
    assert not analysis.is_current() and analysis.latest().words == 0
    with qtbot.waitSignal(analysis.updated, timeout=20000) as updated:
        pass
    assert updated.args[0].words == analyze_body(LONG).words
    assert analysis.is_current()
    assert all(length == 0 for length in analysed_here)  # the body only in the worker


def test_every_change_moves_the_revision_on(qtbot) -> None:  # type: ignore[no-untyped-def]
    document = ArticleDocument(Article(body=SHORT))
    revisions = [document.revision]
    type_text(document, 0, "x")
    revisions.append(document.revision)
    document.update_metadata(title="A title")
    revisions.append(document.revision)
    document.undo_stack.undo()
    revisions.append(document.revision)
    assert revisions == sorted(set(revisions))


def test_a_short_body_is_analysed_a_moment_after_the_keystroke(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Not in the keystroke's own turns, where the preview patch and the repaint are done."""
    document = ArticleDocument(Article(body=SHORT))
    analysis = document.analysis
    assert analysis.latest().words == 4 and analysis.is_current()

    with qtbot.waitSignal(analysis.updated, timeout=1000) as updated:
        type_text(document, len(SHORT), "Three more words.\n")
        QCoreApplication.processEvents()  # the turn after the keystroke: still the old one
        assert analysis.latest().words == 4 and not analysis.is_current()
    assert updated.args[0].words == 7
    assert analysis.revision == document.revision
    assert [p.token for p in analysis.latest().placeholders] == ["TK"]


def test_a_long_body_is_analysed_after_a_pause_in_a_worker_process(qtbot) -> None:  # type: ignore[no-untyped-def]
    document = ArticleDocument(Article(body=LONG))
    analysis = document.analysis
    qtbot.waitUntil(analysis.is_current, timeout=20000)  # its first analysis, from the worker
    before = analysis.latest()

    type_text(document, 0, "One more. ")
    assert not analysis.is_current() and analysis.latest() is before
    with qtbot.waitSignal(analysis.updated, timeout=20000) as updated:  # the process starts
        pass
    assert updated.args[0].words == before.words + 2
    assert updated.args[0].body_analysis.body == document.body()
    assert analysis.is_current()
    assert any(child.is_alive() for child in multiprocessing.active_children())


def test_a_result_for_a_revision_left_behind_is_dropped(qtbot) -> None:  # type: ignore[no-untyped-def]
    document = ArticleDocument(Article(body=REPORT))
    analysis = document.analysis
    delivered = []
    analysis.updated.connect(lambda result: delivered.append((document.revision, result)))

    type_text(document, 0, "One ")
    qtbot.waitUntil(analysis.is_analysing, timeout=5000)
    type_text(document, 0, "Two ")  # while the worker analyses the text with "One " only
    qtbot.waitUntil(lambda: analysis.is_current() and not analysis.is_analysing(), timeout=10000)

    expected = analyze_body(document.body())
    assert [result.words for _, result in delivered] == [expected.words]
    assert delivered[0][0] == document.revision


def test_an_action_about_to_edit_catches_up_at_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    document = ArticleDocument(Article(body=LONG))
    type_text(document, 0, "## A new heading\n\n")

    current = document.analysis.current()

    assert document.analysis.is_current() and not document.analysis.is_analysing()
    assert current.outline.sections[0].title == "A new heading"


def test_closing_a_document_while_it_is_analysed_is_harmless(qtbot) -> None:  # type: ignore[no-untyped-def]
    document = ArticleDocument(Article(body=REPORT))
    analysis = document.analysis
    type_text(document, 0, "One ")
    qtbot.waitUntil(analysis.is_analysing, timeout=5000)
    document.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    wait_for_worker()
    QCoreApplication.processEvents()  # its result arrives for no one, and is let go


def test_catching_up_while_the_worker_is_at_it_delivers_the_revision_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    document = ArticleDocument(Article(body=REPORT))
    analysis = document.analysis
    delivered = []
    analysis.updated.connect(delivered.append)
    type_text(document, 0, "One ")
    qtbot.waitUntil(analysis.is_analysing, timeout=5000)

    analysis.current()
    wait_for_worker()
    QCoreApplication.processEvents()  # the worker's result for the same revision is not news

    assert len(delivered) == 1 and analysis.is_current()


def test_the_worker_process_imports_no_qt(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Qt in the analysis worker took 7 MB for nothing (the checks' and library's import none)."""
    worker_process.shut_down(analysis_service.WORKER)  # a process of this test's own
    document = ArticleDocument(Article(title="Report", body=LONG))
    with qtbot.waitSignal(document.analysis.updated, timeout=20000):
        pass
    # eval is a builtin: unlike a function of this module, it brings no import of Qt there.
    loaded = worker_process.submit(analysis_service.WORKER, eval,
                                   "sorted(__import__('sys').modules)").result(timeout=60)
    assert "editor.analysis" in loaded
    assert not [name for name in loaded if name.split(".")[0] in ("PySide6", "shiboken6")]


def test_a_worker_killed_while_it_analyses_leaves_the_analysis_to_the_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    document = ArticleDocument(Article(body=REPORT))
    analysis = document.analysis
    type_text(document, 0, "One ")
    qtbot.waitUntil(analysis.is_analysing, timeout=5000)
    for child in multiprocessing.active_children():  # out of memory, or killed by the user
        os.kill(child.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: analysis.is_current() and not analysis.is_analysing(), timeout=20000)
    assert analysis.latest().words == analyze_body(document.body()).words
    type_text(document, 0, "Two ")  # and the next long analysis has a process again
    with qtbot.waitSignal(analysis.updated, timeout=20000):
        pass
    assert analysis.latest().words == analyze_body(document.body()).words
