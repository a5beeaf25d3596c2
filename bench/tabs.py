"""Ten long articles open in tabs: memory of the whole editor, and switching between the tabs.

A child process (this file with ``--child``) starts the application exactly as
``python -m editor FILE...`` does, with ten 20,000-word articles. Once every tab's preview
shows its article it switches tabs round and round, timing each switch from the click until
the new tab's preview shows its whole article and has answered a round trip from the window
(so a page that was frozen or discarded while hidden counts its wake-up or reload). It then
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
from measure import Result, median, p95, qt_environment, scratch_folder
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


def bench_tabs(smoke: bool) -> list[Result]:
    """PSS with ten 20k-word tabs open (after switching through them), and the switch time."""
    count, words = (3, 2000) if smoke else (10, 20_000)
    rounds = 1 if smoke else 3
    with scratch_folder() as home:
        paths = []
        for index in range(count):
            path = home / f"article-{index:02}.md"
            path.write_text(generate_article(words, seed=index), "utf-8")
            paths.append(path)
        result_file = home / "tabs.json"
        process = subprocess.Popen(
            [sys.executable, __file__, "--child", str(result_file), str(rounds), *map(str, paths)],
            env=qt_environment(home), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 180
            while not result_file.exists():
                if process.poll() is not None:
                    raise RuntimeError(f"the editor exited ({process.returncode}):\n"
                                       f"{process.stderr.read().decode()[-3000:]}")
                if time.monotonic() > deadline:
                    raise TimeoutError("the editor did not open and switch its tabs in 180 s")
                time.sleep(0.05)
            figures = json.loads(result_file.read_text("utf-8"))
            by_kind: dict[str, float] = {}
            by_process: list[tuple[str, float]] = []
            pids = descendants(process.pid)
            for pid in pids:
                kind = process_kind(pid)
                megabytes = pss_kib(pid) / 1024
                by_kind[kind] = by_kind.get(kind, 0.0) + megabytes
                by_process.append((process_name(pid), round(megabytes, 1)))
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stderr.close()
    megabytes = sum(by_kind.values())
    switches = figures["switch_ms"]
    label = f"{count} × {words // 1000}k-word tabs"
    full = not smoke
    return [
        Result(f"memory (PSS, editor + QtWebEngine + workers), {label}", megabytes, "MB",
               target=f"< {MEMORY_TARGET_MB} MB" if full else "",
               met=megabytes < MEMORY_TARGET_MB if full else None,
               details={"processes": len(pids), "editor_mb": by_kind.get("python", 0.0),
                        "webengine_mb": by_kind.get("webengine", 0.0),
                        "open_seconds": figures["open_seconds"],
                        "by_process": by_process}),
        Result(f"tab switch to a ready preview, {label}", median(switches), "ms",
               p95=p95(switches), target=f"< {SWITCH_TARGET_MS} ms" if full else "",
               met=median(switches) < SWITCH_TARGET_MS if full else None,
               details={"switches": len(switches), "max_ms": max(switches)}),
    ]


def run_editor_switching_tabs(result_file: Path, rounds: int, paths: list[str]) -> int:
    """The child: the editor on ``paths``; once all are shown, switch tabs and time each."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from editor.ui.app import prepare_environment, run

    # What run() does before its application exists, so that the timers below can be set.
    prepare_environment()
    from PySide6 import QtWebEngineWidgets  # noqa: F401 - must load before the application

    QApplication([sys.argv[0]])
    started = time.perf_counter()
    figures: dict[str, object] = {}
    switch_ms: list[float] = []

    def window():  # type: ignore[no-untyped-def]  # MainWindow | None
        from editor.ui.main_window import MainWindow  # imported by run(), in its own order

        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)),
                    None)

    def wait_all_open() -> None:
        shown = window()  # None while run() still imports (it lets events through)
        tabs = shown.editor_tabs() if shown is not None else []
        if len(tabs) < len(paths) or not all(tab.preview_is_current() for tab in tabs):
            QTimer.singleShot(20, wait_all_open)
            return
        figures["open_seconds"] = time.perf_counter() - started
        QTimer.singleShot(2000, lambda: switch(0))  # settled: panels filled, pages painted

    order = [index for _ in range(rounds) for index in range(len(paths))]

    def switch(step: int) -> None:
        if step == len(order):
            figures["switch_ms"] = switch_ms
            QTimer.singleShot(3000, write)  # settled again before the memory is read
            return
        shown = window()
        assert shown is not None
        tabs = shown.tabs
        index = order[step]
        if tabs.currentIndex() == index:  # a switch to the tab in front is no switch
            index = (index + 1) % len(paths)
        began = time.perf_counter()
        tabs.setCurrentIndex(index)
        tab = shown.current_tab()
        assert tab is not None

        def check() -> None:
            if not tab.preview_is_current():
                QTimer.singleShot(1, check)
                return
            tab.preview.run_in_preview("1", lambda _result: answered())

        def answered() -> None:
            switch_ms.append((time.perf_counter() - began) * 1000)
            QTimer.singleShot(200, lambda: switch(step + 1))  # a user's pace between clicks

        check()

    def write() -> None:
        written = result_file.with_name(result_file.name + ".part")
        written.write_text(json.dumps(figures), "utf-8")
        written.replace(result_file)

    QTimer.singleShot(0, wait_all_open)
    return run(paths)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.exit(run_editor_switching_tabs(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]))
    for row in bench_tabs("--smoke" in sys.argv):
        print(row)
