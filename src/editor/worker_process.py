"""Worker processes for heavy pure-Python work the window must not wait for.

A thread would not do: Python threads share one interpreter lock, and a thread analysing or
checking a 100,000-word article took it from the window's thread for hundreds of
milliseconds at a time. Each named worker is one process, started on first use from a fresh
interpreter (spawn: forking a process that runs Qt's threads is unsafe), that keeps what it
loaded (dictionaries, spell checkers) between requests. What it is given and what it returns
must pickle.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_workers: dict[str, ProcessPoolExecutor] = {}


def _worker(name: str) -> ProcessPoolExecutor:
    if name not in _workers:
        _workers[name] = ProcessPoolExecutor(max_workers=1,
                                             mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_exit_with_parent)
    return _workers[name]


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
        return _worker(name).submit(function, *args, **kwargs)
    except BrokenProcessPool:  # the process died (killed, out of memory): start another
        shut_down(name)
        return _worker(name).submit(function, *args, **kwargs)


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
