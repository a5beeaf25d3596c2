"""What every benchmark shares: the result row, the statistics, and running a measuring child.

This module never imports Qt: the window is measured in child processes (``run_child``), so
the runner itself stays light and one crashing measurement cannot take the others down.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


@dataclass
class Result:
    """One row of the table: a median (or a rate), its target, and its baseline if it has one."""

    name: str
    value: float
    unit: str
    p95: float | None = None
    target: str = ""
    met: bool | None = None
    baseline: float | None = None
    baseline_name: str = ""
    details: dict[str, float | str] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """Our time ÷ the baseline's time (below 1: faster than the baseline)."""
        if self.baseline in (None, 0) or self.value == 0:
            return None
        return self.baseline / self.value if self.unit.endswith("/s") else self.value / self.baseline


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def process_stats() -> Iterator[tuple[int, list[str]]]:
    """Each running process's pid and the fields of its ``/proc/<pid>/stat`` after the name
    (``fields[1]`` is the parent, ``fields[11:15]`` the CPU ticks); Linux only."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        yield int(entry.name), stat[stat.rindex(")") + 2:].split()


def editor_window():  # type: ignore[no-untyped-def]  # MainWindow | None
    """The editor's window once ``editor.ui.app.run`` has built it, found without importing
    its module: while run() imports the window's modules in a thread, an import here waited
    for that thread, holding QtWebEngine's start-up on the main thread up with it (it made
    the start-up measured 0.1-0.2 s longer than the editor's own)."""
    from PySide6.QtWidgets import QApplication

    return next((widget for widget in QApplication.topLevelWidgets()
                 if type(widget).__name__ == "MainWindow"), None)


def qt_environment(home: Path) -> dict[str, str]:
    """Headless Qt, no sandbox (we may be root), settings and journal of the run's own, and a
    story library to suggest from (see :func:`stocked_library`)."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--no-sandbox" not in flags:
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} --no-sandbox".strip()
    # Never the user's settings or recovery journal (a recovery dialog would wait forever).
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["XDG_DATA_HOME"] = str(home / "data")
    env["XDG_CACHE_HOME"] = str(home / "cache")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env["ARTICLE_EDITOR_LIBRARY"] = str(stocked_library(home))
    return env


def stocked_library(home: Path) -> Path:
    """A library in ``home`` holding the test archive's stories and feeds, made once.

    The editor is measured as a newsroom uses it, its Library dock ranking stories after each
    pause: a library holding none starts no worker process, and takes neither the memory nor
    the cores that one with stories does.
    """
    path = home / "library.sqlite3"
    if not path.exists():
        from editor.library.sources import index_paths
        from editor.library.sqlite import SqliteLibrary

        store = SqliteLibrary(path)
        index_paths(store, [ROOT / "tests" / "data" / "library"])
        store.close()
    return path


@contextmanager
def scratch_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="article-bench-") as folder:
        yield Path(folder)


class ChildFailedError(RuntimeError):
    """A measuring child process failed; its stderr tells why."""


def run_child(module: str, arguments: list[str], timeout: float) -> dict:
    """Run ``bench/<module>.py`` with ``arguments`` in a Qt child; it prints one JSON object."""
    with scratch_folder() as home:
        process = subprocess.run(
            [sys.executable, str(BENCH / f"{module}.py"), *arguments],
            env=qt_environment(home), capture_output=True, text=True, timeout=timeout,
        )
    if process.returncode != 0:
        # Chromium's and the offscreen platform's start-up chatter is not the reason: the end is.
        raise ChildFailedError(f"{module} {' '.join(arguments)} exited with "
                               f"{process.returncode}:\n{process.stderr[-2500:]}")
    lines = [line for line in process.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise ChildFailedError(f"{module} printed no result:\n{process.stderr[-2500:]}")
    return json.loads(lines[-1])
