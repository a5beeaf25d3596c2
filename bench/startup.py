"""Start-up time and memory of the editor as its command starts it (``editor.ui.app.run``).

A child process (this file with ``--child``) starts the application exactly as
``python -m editor FILE`` does and watches the window from outside: when the first tab's
preview has loaded with the first screen of the article (the page fills the view), and when
it shows the whole body, it writes the wall-clock times into a file. Start-up is the first of
those times minus the moment just before the process was spawned. The editor's modules are
compiled to bytecode first, as an installed copy has them: pip compiles them on installing, and
an editable install writes them on its first start. Only where ``PYTHONDONTWRITEBYTECODE`` is
set (as on our build machine) would every start compile them again, about 0.12 s. Memory is
the proportional set size (PSS, so shared libraries count once) summed over the editor and
every process it started (QtWebEngine's zygote, renderer and GPU processes), read from
``/proc/<pid>/smaps_rollup`` once the article is open and settled.
"""

from __future__ import annotations

import compileall
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_article
from measure import (
    ROOT,
    Result,
    editor_window,
    median,
    process_stats,
    qt_environment,
    scratch_folder,
)

START_TARGET_SECONDS = {20_000: 0.6, 100_000: 1.0}  # issue 15
WATCH_MS = 5  # how often the child looks for the window's first tab while the editor starts
MEMORY_TARGET_MB = 400


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it, from the parent links in /proc."""
    children: dict[int, list[int]] = {}
    for process, fields in process_stats():
        children.setdefault(int(fields[1]), []).append(process)
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(children.get(current, []))
    return found


def pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Editor:
    """One run of the editor on one file, until its preview has loaded."""

    def __init__(self, path: Path, home: Path, timeout: float = 60.0) -> None:
        self.ready_file = home / f"ready-{time.monotonic_ns()}"
        env = qt_environment(home)
        self.started = time.time()
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--child", str(path), str(self.ready_file)], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while not self.ready_file.exists():
            if self.process.poll() is not None:
                raise RuntimeError(f"the editor exited ({self.process.returncode}):\n"
                                   f"{self.process.stderr.read().decode()[-3000:]}")
            if time.monotonic() > deadline:
                self.close()
                raise TimeoutError(f"the editor did not show {path} within {timeout} s")
            time.sleep(0.002)
        times = json.loads(self.ready_file.read_text("utf-8"))
        self.seconds = times["complete"] - self.started  # the whole article in the preview
        # The page loaded and filling the preview: the first screen of the article, the rest
        # maybe still arriving. A page too short to fill it counts once the whole body is in.
        self.first_screen_seconds = (times["ready"] - self.started
                                     if times["first_screen_filled"] else self.seconds)

    def memory_mb(self) -> tuple[float, int]:
        """PSS of the editor and its children in MB, and how many processes that is."""
        pids = descendants(self.process.pid)
        return sum(pss_kib(pid) for pid in pids) / 1024, len(pids)

    def close(self) -> None:
        pids = descendants(self.process.pid)
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stderr.close()
        deadline = time.monotonic() + 5
        for pid in pids[1:]:  # QtWebEngine's processes end when their browser process does
            while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
                time.sleep(0.02)


def bench_startup(smoke: bool) -> list[Result]:
    """Process start to the window shown with its preview loaded; memory with 20k words open."""
    sizes = [1000] if smoke else [1000, 20_000, 100_000]
    repeat = 1 if smoke else 5
    results = []
    compileall.compile_dir(ROOT / "src", quiet=1)
    with scratch_folder() as home:
        paths = {}
        for words in sizes:
            paths[words] = home / f"article-{words}.md"
            paths[words].write_text(generate_article(words), "utf-8")
        warm_up = Editor(paths[sizes[0]], home)  # the first start fills the font and GL caches
        warm_up.close()
        for words in sizes:
            times, whole_times = [], []
            for _ in range(repeat):
                editor = Editor(paths[words], home)
                times.append(editor.first_screen_seconds)
                whole_times.append(editor.seconds)
                editor.close()
            limit = START_TARGET_SECONDS.get(words)
            target = f"< {limit:.1f} s" if limit else ""
            results.append(Result(
                f"start-up to the first screen of the article in the preview, "
                f"{words // 1000}k words", median(times), "s",
                target=target, met=(median(times) < limit) if limit else None,
                details={"runs": len(times), "max_s": max(times),
                         "whole_article_median_s": median(whole_times)},
            ))
        words = min(sizes[-1], 20_000)
        editor = Editor(paths[words], home)
        try:
            time.sleep(0.5 if smoke else 3.0)  # settled: panels filled, first paints done
            megabytes, processes = editor.memory_mb()
        finally:
            editor.close()
        target = f"< {MEMORY_TARGET_MB} MB" if words == 20_000 else ""
        results.append(Result(
            f"memory (PSS, all processes), {words // 1000}k words open", megabytes, "MB",
            target=target, met=(megabytes < MEMORY_TARGET_MB) if target else None,
            details={"processes": processes},
        ))
    return results


def run_editor_reporting_ready(path: str, ready_file: Path) -> int:
    """The child: the editor's own start-up, watched until its preview shows the article.

    Writes ``{"ready": …, "complete": …}`` (``time.time()``) into ``ready_file`` when the first
    tab's page was ready and when it held the whole body (a long article's body arrives in
    patches after the page).
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from editor.ui.app import prepare_environment, run

    # What run() does before its application exists, so that the timer below can be set.
    prepare_environment()
    from PySide6 import QtWebEngineWidgets  # noqa: F401 - must load before the application

    QApplication([sys.argv[0]])
    times: dict[str, float] = {}
    poll = QTimer()

    def watch_window() -> None:  # runs as soon as the window has its tab
        window = editor_window()
        tab = window.current_tab() if window is not None else None
        if tab is None:  # run() lets events through while it imports: not built yet
            # Not a 0-ms timer: re-armed again and again, it kept Python running on the main
            # thread, taking the interpreter lock from run()'s importing thread.
            QTimer.singleShot(WATCH_MS, watch_window)
            return

        def on_ready() -> None:
            times.setdefault("ready", time.time())
            # The page, with what it holds by then, fills the preview from top to bottom.
            tab.preview.run_in_preview(
                "document.documentElement.scrollHeight >= window.innerHeight",
                lambda filled: times.setdefault("first_screen_filled", bool(filled)))

        def check() -> None:  # polled: the last step of a render may need no patch at all
            if tab.preview_is_current() and "first_screen_filled" in times:
                times["complete"] = time.time()
                written = ready_file.with_name(ready_file.name + ".part")
                written.write_text(json.dumps(times), "utf-8")
                written.replace(ready_file)  # the benchmark never reads half a file
                poll.stop()

        if tab.preview.is_ready():  # ready before this look (at most WATCH_MS ago)
            on_ready()
        else:
            tab.preview.ready.connect(on_ready)
        poll.timeout.connect(check)
        poll.start(2)

    QTimer.singleShot(0, watch_window)
    return run([path])


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.exit(run_editor_reporting_ready(sys.argv[2], Path(sys.argv[3])))
    for row in bench_startup("--smoke" in sys.argv):
        print(row)

