"""Install the editor into a Linux desktop (freedesktop.org): launcher, icons, file types.

``article-editor --install-desktop`` writes, under the user's data folder (``$XDG_DATA_HOME``,
``~/.local/share`` by default), the application's ``.desktop`` launcher (in the desktop's
application menu; double-clicked and dropped files reach it through ``%F``), its icon in the
hicolor theme (SVG and PNGs) and a MIME package declaring the article formats, then refreshes
the desktop's caches with whichever of their tools is installed. ``--uninstall-desktop``
removes exactly those files. Nothing here needs root or Qt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from editor.importers import IMPORTERS

APP_ID = "article-editor"  # the launcher's name, matching QGuiApplication.desktopFileName
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)

# What the editor opens: Markdown natively, and what the importers read.
MIME_TYPES = tuple(mime for importer in IMPORTERS for mime in importer.mime_types)

# Declares Markdown for desktops whose shared-mime-info predates text/markdown; the others
# (plain text, HTML, Word) every desktop already knows.
MIME_PACKAGE = """\
<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="text/markdown">
    <comment>Markdown document</comment>
    <sub-class-of type="text/plain"/>
    <alias type="text/x-markdown"/>
    <glob pattern="*.md"/>
    <glob pattern="*.markdown"/>
  </mime-type>
</mime-info>
"""


@dataclass
class DesktopReport:
    """What an install or uninstall did, for the command to print."""

    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute (the spec)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local" / "share"


def launch_command() -> list[str]:
    """How the desktop should start this same installation of the editor."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle
        return [str(Path(sys.executable).resolve())]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == APP_ID and script.is_file():
        return [str(script.resolve())]
    installed = shutil.which(APP_ID)
    if installed:
        return [str(Path(installed).resolve())]
    return [sys.executable, "-m", "editor"]


def exec_line(command: Sequence[str]) -> str:
    """The launcher's ``Exec`` value: the command, quoted as the Desktop Entry spec asks, and %F."""
    return " ".join([*(_quote_exec_argument(argument) for argument in command), "%F"])


def _quote_exec_argument(argument: str) -> str:
    reserved = set(" \t\n\"'\\><~|&;$*?#()`")
    if not argument or reserved & set(argument):
        escaped = "".join("\\" + char if char in '"`$\\' else char for char in argument)
        argument = f'"{escaped}"'
    # The .desktop file's own string escaping comes on top: one more level for backslashes,
    # and a literal percent sign is written twice.
    return argument.replace("\\", "\\\\").replace("%", "%%")


def desktop_entry(command: Sequence[str]) -> str:
    """The launcher's text (it passes ``desktop-file-validate``)."""
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=Article Editor",
        "GenericName=News Article Editor",
        "Comment=Write news articles in Markdown, see them live, export web pages",
        f"Exec={exec_line(command)}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "StartupNotify=true",
        f"StartupWMClass={APP_ID}",
        "Categories=Office;WordProcessor;",
        "Keywords=markdown;news;journalism;article;html;export;",
        f"MimeType={';'.join(MIME_TYPES)};",
    ]
    if len(command) == 1:  # the menu hides the launcher once its program is gone
        lines.insert(7, "TryExec=" + command[0].replace("\\", "\\\\"))
    return "\n".join(lines) + "\n"


def installed_files(home: Path) -> dict[Path, Callable[[], bytes]]:
    """Each file an install writes under ``home``, with its content (the uninstall list too)."""
    icons = resources.files("editor.resources").joinpath("icons/app")
    svg = icons.joinpath(f"{APP_ID}.svg")
    files: dict[Path, Callable[[], bytes]] = {
        home / "applications" / f"{APP_ID}.desktop":
            lambda: desktop_entry(launch_command()).encode("utf-8"),
        home / "mime" / "packages" / f"{APP_ID}.xml": lambda: MIME_PACKAGE.encode("utf-8"),
        home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg": svg.read_bytes,
    }
    for size in ICON_SIZES:
        png = icons.joinpath(f"{APP_ID}-{size}.png")
        files[home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = (
            png.read_bytes)
    return files


def install(home: Path | None = None) -> DesktopReport:
    """Write the launcher, icons and MIME package under ``home`` and refresh the caches."""
    home = home or data_home()
    report = DesktopReport()
    for path, content in installed_files(home).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content())
        report.written.append(path)
    _refresh_caches(home, report)
    return report


def uninstall(home: Path | None = None) -> DesktopReport:
    """Remove what :func:`install` wrote (and nothing else) and refresh the caches."""
    home = home or data_home()
    report = DesktopReport()
    for path in installed_files(home):
        if path.exists():
            path.unlink()
            report.removed.append(path)
    _refresh_caches(home, report)
    return report


def _refresh_caches(home: Path, report: DesktopReport) -> None:
    """Let the menu, the file managers and the icon theme see the change now, not at next login."""
    commands = [
        ["update-desktop-database", "--quiet", str(home / "applications")],
        ["update-mime-database", str(home / "mime")],
    ]
    hicolor = home / "icons" / "hicolor"
    if (hicolor / "index.theme").exists():  # the cache tool refuses a theme without one
        commands.append(["gtk-update-icon-cache", "--quiet", "--force", str(hicolor)])
    else:
        # Without a cache, GTK and Qt scan the folders themselves; touching the theme folder
        # tells a running desktop to look again.
        hicolor.mkdir(parents=True, exist_ok=True)
        os.utime(hicolor)
    for command in commands:
        if shutil.which(command[0]) is None or not Path(command[-1]).is_dir():
            continue
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=60,
                                    check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            report.problems.append(f"{command[0]}: {error}")
            continue
        if result.returncode == 0:
            report.refreshed.append(command[0])
        else:
            detail = (result.stderr or result.stdout).strip().splitlines()
            report.problems.append(f"{command[0]} failed: {detail[-1] if detail else result.returncode}")


def describe(report: DesktopReport) -> str:
    """The report in a few lines for the terminal."""
    lines = [f"wrote {path}" for path in report.written]
    lines += [f"removed {path}" for path in report.removed]
    if report.refreshed:
        lines.append("refreshed: " + ", ".join(report.refreshed))
    lines += [f"warning: {problem}" for problem in report.problems]
    return "\n".join(lines) + "\n"

