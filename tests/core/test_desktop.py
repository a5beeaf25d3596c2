"""Desktop integration: the launcher, icons and file types a Linux desktop reads."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from editor import __version__, desktop
from editor.cli import main

needs_validator = pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                                     reason="desktop-file-validate (desktop-file-utils) missing")


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def run_cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        status = main(list(args))
    return status, out.getvalue()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_install_desktop_puts_launcher_icons_and_types_under_the_data_folder(data_home: Path) -> None:
    status, out = run_cli("--install-desktop")

    assert status == 0
    launcher = data_home / "applications" / "article-editor.desktop"
    assert f"wrote {launcher}" in out
    entry = launcher.read_text("utf-8")
    assert "\nIcon=article-editor\n" in entry
    exec_value = next(line for line in entry.splitlines() if line.startswith("Exec="))
    assert exec_value.endswith(" %F")  # double-clicked and dropped files reach the editor
    mime_line = next(line for line in entry.splitlines() if line.startswith("MimeType="))
    for mime in ("text/markdown", "text/plain", "text/html",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document"):
        assert mime in mime_line.removeprefix("MimeType=").split(";")
    hicolor = data_home / "icons" / "hicolor"
    assert (hicolor / "scalable" / "apps" / "article-editor.svg").read_text("utf-8").startswith("<svg")
    for size in desktop.ICON_SIZES:
        png = hicolor / f"{size}x{size}" / "apps" / "article-editor.png"
        assert png_size(png) == (size, size)
    package = (data_home / "mime" / "packages" / "article-editor.xml").read_text("utf-8")
    assert '<glob pattern="*.md"/>' in package


@needs_validator
def test_the_installed_launcher_passes_desktop_file_validate(data_home: Path) -> None:
    run_cli("--install-desktop")
    launcher = data_home / "applications" / "article-editor.desktop"
    result = subprocess.run(["desktop-file-validate", str(launcher)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout + result.stderr


@needs_validator
def test_a_program_path_with_spaces_is_quoted_in_exec(tmp_path: Path) -> None:
    command = ["/opt/My Apps/article-editor", "--flag=100%"]
    launcher = tmp_path / "article-editor.desktop"
    launcher.write_text(desktop.desktop_entry(command), "utf-8")

    assert 'Exec="/opt/My Apps/article-editor" --flag=100%% %F\n' in launcher.read_text("utf-8")
    result = subprocess.run(["desktop-file-validate", str(launcher)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("update-desktop-database") is None,
                    reason="update-desktop-database (desktop-file-utils) missing")
def test_install_refreshes_the_desktop_database_so_markdown_opens_in_the_editor(
    data_home: Path,
) -> None:
    _status, out = run_cli("--install-desktop")

    assert "update-desktop-database" in out
    cache = (data_home / "applications" / "mimeinfo.cache").read_text("utf-8")
    markdown = next(line for line in cache.splitlines() if line.startswith("text/markdown="))
    assert "article-editor.desktop" in markdown


def test_uninstall_removes_exactly_what_install_wrote(data_home: Path) -> None:
    neighbour = data_home / "applications" / "other.desktop"
    neighbour.parent.mkdir(parents=True)
    neighbour.write_text("[Desktop Entry]\n", "utf-8")
    run_cli("--install-desktop")
    written = list(desktop.installed_files(data_home))
    assert all(path.exists() for path in written)

    status, out = run_cli("--uninstall-desktop")

    assert status == 0
    assert not any(path.exists() for path in written)
    assert out.count("removed ") == len(written)
    assert neighbour.read_text("utf-8") == "[Desktop Entry]\n"


def test_install_into_an_unwritable_folder_is_one_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", "utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))

    status, out = run_cli("--install-desktop")

    assert status == 2
    assert out.startswith("article-editor: cannot change the desktop integration:")
    assert len(out.splitlines()) == 1


def test_a_relative_xdg_data_home_is_ignored_as_the_spec_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    assert desktop.data_home() == Path.home() / ".local" / "share"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"article-editor {__version__}\n"
