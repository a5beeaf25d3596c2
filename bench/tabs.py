"""Ten long articles open in tabs: memory of the whole editor, and switching between the tabs.

A child process (this file with ``--child``) starts the application exactly as
``python -m editor FILE...`` does, with ten 20,000-word articles. Once every tab's preview
shows its article it switches tabs round and round, timing each switch from the click until
the new tab's preview shows its whole article and has answered a round trip from the window
(the tabs share one page: a switch puts the tab's article on it). It then
settles and writes its figures into a file; the parent reads the proportional set size (PSS,
shared libraries counted once) of the editor and every process below it (QtWebEngine's zygote,
renderer and GPU processes, the copy desk's worker processes) from ``/proc/<pid>/smaps_rollup``.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_article
from measure import Result, editor_window, median, p95, qt_environment, scratch_folder
from startup import descendants, pss_kib

MEMORY_TARGET_MB = 450  # issue 15: ten 20k-word tabs
SWITCH_TARGET_MS = 50


def process_kind(pid: int) -> str:
    """'webengine' for QtWebEngine's processes, 'python' for the editor's own, else 'other'."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode()
    except OSError:
        return "other"
    if "QtWebEngineProcess" in command:
        return "webengine"
    return "python" if "python" in Path(command).name else "other"


def process_name(pid: int) -> str:
    """The process's program and, for QtWebEngine, its ``--type`` (renderer, gpu-process…)."""
    try:
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return "gone"
    kinds = [a.removeprefix("--type=") for a in arguments if a.startswith("--type=")]
    modules = [a for a in arguments if a.startswith("editor") or a.endswith(".py")]
    return " ".join([Path(arguments[0]).name, *kinds, *modules[-1:]])


def _memory(pid: int) -> tuple[float, dict[str, float], list[tuple[str, float]]]:
    """PSS in MB of ``pid`` and every process below it: total, by kind, by process."""
    by_kind: dict[str, float] = {}
    by_process: list[tuple[str, float]] = []
    for process in descendants(pid):
        megabytes = pss_kib(process) / 1024
        kind = process_kind(process)
        by_kind[kind] = by_kind.get(kind, 0.0) + megabytes
        by_process.append((process_name(process), round(megabytes, 1)))
    return sum(by_kind.values()), by_kind, by_process


def _wait_for(path: Path, process: subprocess.Popen, seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None:
            raise RuntimeError(f"the editor exited ({process.returncode}):\n"
                               f"{process.stderr.read().decode()[-3000:]}")  # type: ignore[union-attr]
        if time.monotonic() > deadline:
            raise TimeoutError(f"the editor did not write {path.name} in {seconds:.0f} s")
        time.sleep(0.05)
    return json.loads(path.read_text("utf-8"))


def bench_tabs(smoke: bool) -> list[Result]:
    """PSS with ten 20k-word tabs open, just after switching through them and after a while in
    one of them (what Chromium keeps from the switching has settled); the switch times."""
    from editor.ui.preview import FREEZE_HIDDEN_AFTER_MS

    count, words = (3, 2000) if smoke else (10, 20_000)
    rounds = 1 if smoke else 3
    idle = not smoke  # the smoke run does not wait for previews to freeze
    with scratch_folder() as home:
        paths = []
        for index in range(count):
            path = home / f"article-{index:02}.md"
            path.write_text(generate_article(words, seed=index), "utf-8")
            paths.append(path)
        process = subprocess.Popen(
            [sys.executable, __file__, "--child", str(home), str(rounds), str(int(idle)),
             *map(str, paths)],
            env=qt_environment(home), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            figures = _wait_for(home / "switched.json", process, 180)
            hot, hot_kinds, hot_processes = _memory(process.pid)
            if idle:
                _wait_for(home / "idle.json", process, FREEZE_HIDDEN_AFTER_MS / 1000 + 60)
                cold, cold_kinds, cold_processes = _memory(process.pid)
                figures = _wait_for(home / "done.json", process, 60)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stderr.close()  # type: ignore[union-attr]
    switches = figures["switch_ms"]
    label = f"{count} × {words // 1000}k-word tabs"
    full = not smoke
    results = [
        Result(f"memory (PSS, editor + QtWebEngine + workers), {label}, just switched through",
               hot, "MB", target=f"< {MEMORY_TARGET_MB} MB" if full else "",
               met=hot < MEMORY_TARGET_MB if full else None,
               details={"editor_mb": hot_kinds.get("python", 0.0),
                        "webengine_mb": hot_kinds.get("webengine", 0.0),
                        "open_seconds": figures["open_seconds"], "by_process": hot_processes}),
        Result(f"tab switch to a ready preview, {label}", median(switches), "ms",
               p95=p95(switches), target=f"< {SWITCH_TARGET_MS} ms" if full else "",
               met=median(switches) < SWITCH_TARGET_MS if full else None,
               details={"switches": len(switches), "max_ms": max(switches),
                        "each_ms": [round(ms, 1) for ms in switches]}),
    ]
    if idle:
        frozen = figures["frozen_switch_ms"]
        results += [
            Result(f"memory, {label}, after {FREEZE_HIDDEN_AFTER_MS // 1000 + 3} s in one tab",
                   cold, "MB",
                   target=f"< {MEMORY_TARGET_MB} MB", met=cold < MEMORY_TARGET_MB,
                   details={"editor_mb": cold_kinds.get("python", 0.0),
                            "webengine_mb": cold_kinds.get("webengine", 0.0),
                            "by_process": cold_processes}),
            Result(f"tab switch after {FREEZE_HIDDEN_AFTER_MS // 1000 + 3} s in one tab, {label}",
                   median(frozen), "ms",
                   p95=max(frozen), details={"switches": len(frozen)}),
        ]
    return results


def run_editor_switching_tabs(folder: Path, rounds: int, idle: bool, paths: list[str]) -> int:
    """The child: the editor on ``paths``; once all are shown, switch tabs and time each
    (``switched.json``); with ``idle``, stay in one tab for a while (``idle.json``), then time
    three more switches (``done.json``)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from editor.ui.app import prepare_environment, run
    from editor.ui.preview import FREEZE_HIDDEN_AFTER_MS

    # What run() does before its application exists, so that the timers below can be set.
    prepare_environment()
    from PySide6 import QtWebEngineWidgets  # noqa: F401 - must load before the application

    QApplication([sys.argv[0]])
    started = time.perf_counter()
    figures: dict[str, object] = {}
    switch_ms: list[float] = []
    frozen_ms: list[float] = []

    def wait_all_open() -> None:
        shown = editor_window()  # None while run() still imports (it lets events through)
        tabs = shown.editor_tabs() if shown is not None else []
        if len(tabs) < len(paths) or not all(tab.preview_is_current() for tab in tabs):
            QTimer.singleShot(20, wait_all_open)
            return
        figures["open_seconds"] = time.perf_counter() - started
        QTimer.singleShot(2000, lambda: switch(0))  # settled: panels filled, pages painted

    order = [index for _ in range(rounds) for index in range(len(paths))]

    def switch_to(index: int, times: list[float], then) -> None:  # type: ignore[no-untyped-def]
        """Show tab ``index``; time until its preview is current and answers a round trip."""
        shown = editor_window()
        assert shown is not None
        began = time.perf_counter()
        shown.tabs.setCurrentIndex(index)
        tab = shown.current_tab()
        assert tab is not None

        def check() -> None:
            if not tab.preview_is_current():
                QTimer.singleShot(1, check)
                return
            tab.preview.run_in_preview("1", lambda _result: answered())

        def answered() -> None:
            times.append((time.perf_counter() - began) * 1000)
            QTimer.singleShot(200, then)  # a user's pace between clicks

        check()

    def switch(step: int) -> None:
        if step == len(order):
            figures["switch_ms"] = switch_ms
            QTimer.singleShot(3000, after_switching)  # settled again before the memory is read
            return
        shown = editor_window()
        assert shown is not None
        index = order[step]
        if shown.tabs.currentIndex() == index:  # a switch to the tab in front is no switch
            index = (index + 1) % len(paths)
        switch_to(index, switch_ms, lambda: switch(step + 1))

    def after_switching() -> None:
        write("switched.json")
        if idle:
            QTimer.singleShot(FREEZE_HIDDEN_AFTER_MS + 3000, after_idling)

    def after_idling() -> None:
        write("idle.json")
        shown = editor_window()
        assert shown is not None
        front = shown.tabs.currentIndex()
        targets = [(front + step) % len(paths) for step in (3, 6, 9) if step < len(paths)]

        def next_frozen(remaining: list[int]) -> None:
            if not remaining:
                figures["frozen_switch_ms"] = frozen_ms
                write("done.json")
                return
            switch_to(remaining[0], frozen_ms, lambda: next_frozen(remaining[1:]))

        next_frozen(targets)

    def write(name: str) -> None:
        written = folder / (name + ".part")
        written.write_text(json.dumps(figures), "utf-8")
        written.replace(folder / name)  # the benchmark never reads half a file

    QTimer.singleShot(0, wait_all_open)
    return run(paths)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.exit(run_editor_switching_tabs(Path(sys.argv[2]), int(sys.argv[3]),
                                           sys.argv[4] == "1", sys.argv[5:]))
    for row in bench_tabs("--smoke" in sys.argv):
        print(row)
