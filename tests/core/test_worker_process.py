"""The worker processes: work runs there, and they end with the process that started them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from editor import worker_process

STARTER = """
import os, sys, time
from editor import worker_process
if __name__ == "__main__":
    print(worker_process.submit("test", os.getpid).result(), flush=True)
    time.sleep(60)
"""


def running(pid: int) -> bool:
    """Is process ``pid`` there and not a zombie waiting to be reaped?"""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            return not any(line.startswith("State:") and "Z" in line.split()[1]
                           for line in status)
    except FileNotFoundError:
        return False


def test_work_runs_in_another_process() -> None:
    assert worker_process.submit("test", os.getpid).result(timeout=60) != os.getpid()
    worker_process.shut_down("test")


def test_a_worker_ends_when_the_process_that_started_it_is_killed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "starter.py"
    script.write_text(STARTER, encoding="utf-8")
    starter = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        worker = int(starter.stdout.readline())  # type: ignore[union-attr]
    finally:
        starter.send_signal(signal.SIGKILL)
        starter.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and running(worker):
        time.sleep(0.1)
    alive = running(worker)
    if alive:
        os.kill(worker, signal.SIGKILL)
    assert not alive


def test_a_worker_runs_below_the_window_on_the_cores() -> None:
    """On two cores a 100,000-word check beside the window took turns from it while typing."""
    try:
        if hasattr(os, "sched_getscheduler"):  # Linux: only on a core nothing else wants
            assert (worker_process.submit("test-nice", os.sched_getscheduler, 0).result()
                    == os.SCHED_IDLE != os.sched_getscheduler(0))
        else:
            assert (worker_process.submit("test-nice", os.nice, 0).result()
                    == os.nice(0) + worker_process.WORKER_NICENESS)
    finally:
        worker_process.shut_down("test-nice")


def test_what_a_request_leaves_behind_is_out_of_the_collectors_full_passes() -> None:
    """A worker's dictionaries and caches live as long as it does: full passes walked them all."""
    import gc

    try:
        # Nothing is frozen in a fresh interpreter; after a request, all that survived it is.
        worker_process.submit("test-gc", os.getpid).result()
        assert worker_process.submit("test-gc", gc.get_freeze_count).result() > 1000
    finally:
        worker_process.shut_down("test-gc")
