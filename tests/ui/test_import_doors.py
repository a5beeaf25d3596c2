"""Every door reads the same formats: drops and Open (the command line's files come the same way)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from editor.importers import dialog_filter
from editor.ui.main_window import FILE_FILTER, MainWindow

from .conftest import OFFSCREEN_NOISE, file_drop

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "import"


def word_file(folder: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Ferry fares to rise", style="Title")
    document.add_paragraph("By Ana Ruiz")
    document.add_paragraph("Fares rise in April [INTERNAL_LINK].")
    path = folder / "ferry.docx"
    document.save(path)
    return path


def test_the_open_dialog_lists_every_format() -> None:
    assert dialog_filter() == FILE_FILTER
    assert "*.docx" in FILE_FILTER.split(";;")[0] and "*.html" in FILE_FILTER.split(";;")[0]


def test_a_word_file_and_a_legacy_encoded_page_dropped_on_the_window_open_as_articles(
    window: MainWindow, answers, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "novosibirsk.html"
    page.write_bytes((SAMPLES / "site_news_cp1251.html").read_bytes())
    assert file_drop(window, [word_file(tmp_path), page])
    documents = window.documents()
    assert [document.metadata().title for document in documents] == [
        "Ferry fares to rise", "В Новосибирске открыли новый мост через Обь"]
    word = documents[0]
    assert word.metadata().author == "Ana Ruiz"
    assert word.body() == "Fares rise in April [INTERNAL_LINK].\n"
    assert word.path is None and word.imported_from == tmp_path / "ferry.docx"
    assert window.workspace.proposed_save_path(word) == tmp_path / "ferry-fares-to-rise.md"
    assert answers.errors == []  # and no question about the encoding


def test_a_damaged_word_file_is_refused_with_one_message(window: MainWindow, answers,
                                                         tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04" + bytes(60))
    window.workspace.open_paths([path])
    assert window.documents() == []
    [(_title, message)] = answers.errors
    assert message == f"{path}: the Word document is damaged (it is not a complete .docx file)"
