"""The typed settings object."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from editor.export import Theme
from editor.ui.settings import MAX_RECENT_FILES, Settings


def test_defaults_and_round_trip(tmp_path):
    file = str(tmp_path / "s.ini")
    settings = Settings(QSettings(file, QSettings.Format.IniFormat))
    assert settings.preview_theme is Theme.AUTO
    assert settings.word_wrap is True
    assert settings.font_size == 11
    assert settings.recent_files == []
    settings.preview_theme = Theme.DARK
    settings.word_wrap = False
    settings.font_size = 14
    settings.splitter_sizes = [700, 500]
    settings.sync()
    again = Settings(QSettings(file, QSettings.Format.IniFormat))
    assert again.preview_theme is Theme.DARK
    assert again.word_wrap is False
    assert again.font_size == 14
    assert again.splitter_sizes == [700, 500]


def test_only_non_defaults_are_stored(tmp_path):
    store = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings = Settings(store)
    settings.word_wrap = True
    settings.zoom = 0
    assert store.allKeys() == []


def test_recent_files_newest_first_without_duplicates(tmp_path):
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    for number in range(MAX_RECENT_FILES + 3):
        settings.add_recent_file(tmp_path / f"{number}.md")
    settings.add_recent_file(tmp_path / "5.md")
    files = settings.recent_files
    assert len(files) == MAX_RECENT_FILES
    assert files[0] == tmp_path / "5.md"
    assert files.count(tmp_path / "5.md") == 1
    settings.remove_recent_file(tmp_path / "5.md")
    assert tmp_path / "5.md" not in settings.recent_files
    settings.clear_recent_files()
    assert settings.recent_files == []


def test_bad_values_fall_back_to_defaults(tmp_path):
    store = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    store.setValue("view/preview_theme", "purple")
    store.setValue("editor/font_size", "huge")
    settings = Settings(store)
    assert settings.preview_theme is Theme.AUTO
    assert settings.font_size == 11
    assert isinstance(settings.recent_files, list)
