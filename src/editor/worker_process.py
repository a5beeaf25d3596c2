"""Worker processes for heavy pure-Python work the window must not wait for.

A thread would not do: Python threads share one interpreter lock, and a thread analysing or
checking a 100,000-word article took it from the window's thread for hundreds of
milliseconds at a time. Each named worker is one process, started on first use from a fresh
interpreter (spawn: forking a process that runs Qt's threads is unsafe), that keeps what it
loaded (dictionaries, spell checkers) between requests. What it is given and what it returns
must pickle.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_workers: dict[str, ProcessPoolExecutor] = {}


def _worker(name: str) -> ProcessPoolExecutor:
    if name not in _workers:
        _workers[name] = ProcessPoolExecutor(max_workers=1,
                                             mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_prepare_worker)
    return _workers[name]


def _prepare_worker() -> None:
    """In the worker: yield the cores to the window and its preview, and end with them."""
    try:
        # Linux: only on a core nothing else wants. At a lower priority (nice 10) a check of
        # 100,000 words still took 4-ms turns from the window's thread on two cores, several
        # times in one stall after typing (perf, bench/ui_latency.py typing).
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):  # elsewhere, or a sandbox refusing it
        if hasattr(os, "nice"):
            # Below the window: on two cores, a check of 100,000 words running beside the
            # window and the preview's renderer took turns from them while the user typed.
            os.nice(WORKER_NICENESS)
    _exit_with_parent()


WORKER_NICENESS = 10


def _exit_with_parent() -> None:
    """In the worker: end when the window's process ends, even killed (the worker holds its
    own request pipe open, so it would never see the pipe close, and wait forever)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def submit(name: str, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> Future[R]:
    """Run ``function`` in the worker process ``name``; requests run one at a time, in order."""
    try:
        return _worker(name).submit(_run, function, args, kwargs)
    except BrokenProcessPool:  # the process died (killed, out of memory): start another
        shut_down(name)
        return _worker(name).submit(_run, function, args, kwargs)


def _run(function: Callable[..., R], args: tuple[Any, ...], kwargs: dict[str, Any]) -> R:
    """In the worker: one request, after which what it left behind is kept out of the
    collector's full passes.

    What outlives a request lives as long as the process: dictionaries, spell checkers, their
    caches of checked lines. Each full pass of the collector walked all of it, 200–370 ms of a
    core at 100,000 words, taken from the window and its preview while the user typed. The
    young generations are collected first, so a request's own cyclic garbage is not kept.
    """
    try:
        return function(*args, **kwargs)
    finally:
        gc.collect(1)
        gc.freeze()


def _nothing() -> None:
    """A request that does nothing: its answer says the ones before it are done."""


def wait_until_idle(name: str) -> None:
    """Wait until worker ``name`` has finished what it was given (tests use it)."""
    if name in _workers:
        submit(name, _nothing).result()


def shut_down(name: str | None = None) -> None:
    """Stop worker ``name`` (every worker with None); it starts again on the next request."""
    for key in [name] if name is not None else list(_workers):
        worker = _workers.pop(key, None)
        if worker is not None:
            worker.shutdown(wait=False, cancel_futures=True)
