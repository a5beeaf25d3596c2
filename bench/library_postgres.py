"""The shared library on a PostgreSQL server at newsroom scale, beside SQLite's figures.

    python bench/library_postgres.py [--stories N] [--sqlite N] [--clients 20] [--keep SCHEMA]
    python bench/library_postgres.py --smoke

Needs a server: $ARTICLE_EDITOR_BENCH_POSTGRES or $ARTICLE_EDITOR_TEST_POSTGRES (a throwaway
one: ``eval "$(tests/pg_server.sh start)"``); without one it is skipped. Each run works in a
schema of its own, dropped at the end (``--keep SCHEMA`` keeps it, and a later run with the
same name measures the stories already there instead of adding them again). Stories are
generated in memory (the same vocabulary as library_speed.py: Zipf-like word frequencies) and
added in batches of 5,000, generated beforehand (timed apart). Into an empty library (or one
small against the add) that is one bulk load, as ``library add`` makes it: the time includes
building its indexes, counting its words and swapping it in, and the server's CPU per story is
given for each phase; a reader searches meanwhile (its longest wait is reported).
``--batch-path`` adds batch by batch instead, each batch one transaction.

Then ``clients`` processes (a journalist's editor each: its own interpreter and connection) all
start together, twice: back to back (every client sends its next request as soon as the last
is answered: the server and the two cores saturated), and at a journalist's pace (a search
every 0.2–0.6 s, as keystrokes arrive with the dock's 120 ms pause; suggestions every 2–4 s,
as the dock asks after typing pauses). SQLite is measured with the same stories and the same
clients (one connection each) at ``--sqlite`` stories (100,000 by default). At a journalist's
pace each client first waits a random part of its pause (journalists do not all ask at the
same instant). After adding, the stories are vacuumed (timed apart), as autovacuum would.
Beside each figure: the clients' own CPU time per request (their Python) and,
for the cluster tests/pg_server.sh starts here, the server's CPU time per request or story.
``--writers N`` adds with N threads at once (as N indexers would), each batch its own
transaction.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import multiprocessing
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parent))
from library_speed import Vocabulary, _sentences, long_article
from measure import ROOT, Result, median, p95, process_stats
from pg_schema import throwaway_schema

sys.path.insert(0, str(ROOT / "src"))
from editor.fileformat import parse_markdown
from editor.library.postgres import PostgresLibrary
from editor.library.sqlite import SqliteLibrary
from editor.library.store import LibraryError, StoryStore
from editor.library.story import Story
from editor.library.suggest import Suggester

BATCH = 5_000
READY_TIMEOUT_S = 600  # for every client to prepare (a broken one fails the run)
SERVER_ENVIRONMENTS = ("ARTICLE_EDITOR_BENCH_POSTGRES", "ARTICLE_EDITOR_TEST_POSTGRES")


def server_url() -> str | None:
    return next((os.environ[name] for name in SERVER_ENVIRONMENTS if os.environ.get(name)), None)


def generate(count: int, vocabulary: Vocabulary, seed: int = 17) -> Iterator[list[Story]]:
    """Stories in batches: title, date, tags, teaser and a 150–450-word text."""
    rng = random.Random(seed)
    batch: list[Story] = []
    for index in range(count):
        year, month, day = 2000 + index * 25 // count, 1 + index % 12, 1 + index % 28
        batch.append(Story(
            title=" ".join(vocabulary.sample(rng, rng.randint(5, 10))).capitalize(),
            url=f"https://example.com/{index}", date=f"{year}-{month:02}-{day:02}",
            tags=vocabulary.sample(rng, 2), teaser=_sentences(vocabulary, rng, 20),
            text=_sentences(vocabulary, rng, rng.randint(150, 450))))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def fill(store: StoryStore, count: int, vocabulary: Vocabulary, skip: int = 0,
         writers: int = 1, batch_path: bool = False) -> tuple[float, dict[str, float]]:
    """Add ``count`` stories (but the first ``skip``), generated beforehand; the seconds spent
    adding, and for a bulk load the server's CPU µs a story in each of its phases. A large add
    into a small server library is one bulk load (the library decides, as for ``library add``;
    ``batch_path`` keeps the batches, for comparison). Otherwise, with ``writers`` above 1,
    that many threads add batches at once (as that many indexers would, each batch in a
    transaction of its own)."""
    batches = [batch for number, batch in enumerate(generate(count, vocabulary))
               if number * BATCH >= skip]
    phases: dict[str, float] = {}
    marks: list[tuple[str, float, float | None]] = []

    def add(batch: list[Story]) -> None:
        with store.batch():
            store.add_stories(batch)

    started = time.perf_counter()
    bulk: contextlib.AbstractContextManager[bool] = contextlib.nullcontext(False)
    if isinstance(store, PostgresLibrary) and not batch_path:
        bulk = store.bulk(count - skip, on_phase=lambda phase: marks.append(
            (phase, time.perf_counter(), server_cpu_seconds())))
    with bulk as loading, ThreadPoolExecutor(writers) as pool:
        if writers == 1 or loading:  # in this thread: an SQLite library (or a load) is its
            for batch in batches:
                add(batch)
        else:
            list(pool.map(add, batches))
    seconds = time.perf_counter() - started
    for (phase, began, before), (_, ended, after) in itertools.pairwise(marks):
        phases[f"{phase}: seconds"] = ended - began
        if before is not None and after is not None:
            phases[f"{phase}: server CPU µs a story"] = (after - before) / (count - skip) * 1e6
    return seconds, phases


def read_meanwhile(url: str, stop: threading.Event, waits: list[float]) -> None:
    """A journalist searching while stories are added: how long each search took (ms; inf
    when it failed), one every half second."""
    reader = PostgresLibrary(url, pool_size=1)
    try:
        while not stop.wait(0.5):
            began = time.perf_counter()
            try:
                reader.search("harbour bri", 20)
                waits.append((time.perf_counter() - began) * 1000)
            except LibraryError:
                waits.append(float("inf"))
    finally:
        reader.close()


def server_cpu_seconds() -> float | None:
    """The CPU time the test server's processes have used (tests/pg_server.sh's cluster, on
    this machine), or None when there is no such cluster to look at."""
    folder = os.environ.get("PG_SERVER_DIR")
    try:
        postmaster = int(Path(folder, "data", "postmaster.pid").read_text().split()[0]) \
            if folder else 0
    except (OSError, ValueError, IndexError):
        return None
    if not postmaster:
        return None
    ticks = 0
    for process, fields in process_stats():
        if process == postmaster:  # itself, and the connections that have ended
            ticks += sum(map(int, fields[11:15]))
        elif int(fields[1]) == postmaster:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def typed_queries(titles: list[str], samples: int, seed: int = 23) -> list[str]:
    """What a journalist types looking for these titles: 2, 4, 6… letters of each word."""
    rng = random.Random(seed)
    typed = []
    for title in rng.sample(titles, min(samples, len(titles))):
        text = ""
        for word in title.split()[:3]:
            for cut in range(2, len(word) + 1, 2):
                typed.append((text + " " + word[:cut]).strip())
            text = (text + " " + word).strip()
    return typed


def _client(job: tuple[str, str, str, int, bool, Any, int, bool]
            ) -> tuple[list[float], list[float]]:
    """One journalist's editor, in a process of its own: its timings in ms, and the CPU time
    its own process spent on each request (ms). It starts asking when every client is ready
    (``ready``, a barrier): none is timed while others still prepare, on the same cores."""
    kind, backend, location, client, paced, ready, count, smoke = job
    store: StoryStore = PostgresLibrary(location, pool_size=1) if backend == "postgres" \
        else SqliteLibrary(location, verify=False)
    rng = random.Random(client)
    vocabulary = Vocabulary()
    times = []
    cpu = []
    try:
        if kind == "search":
            titles = [story.title for story in next(generate(min(count, BATCH), vocabulary))]
            queries = typed_queries(titles, 2 if smoke else 12)
            queries = queries[client * 7 % len(queries):] + queries[:client * 7 % len(queries)]
            requests: list[Callable[[], object]] = [
                (lambda query=query: store.search(query, 20)) for query in queries]
            pause = (0.2, 0.6)
        else:
            suggester = Suggester(store)
            suggester.suggest(parse_markdown(long_article(vocabulary, 999)))  # as the dock is
            articles = [parse_markdown(long_article(vocabulary, client * 10 + seed))
                        for seed in range(1 if smoke else 3)]
            requests = [(lambda article=article: suggester.suggest(article))
                        for article in articles]
            pause = (2.0, 4.0)
        ready.wait(timeout=READY_TIMEOUT_S)
        if paced:  # journalists do not all ask at the same instant
            time.sleep(rng.uniform(0, pause[1]))
        for request in requests:
            began = time.perf_counter()
            began_cpu = time.process_time()
            try:
                request()
            except LibraryError:  # past the time limit: counted as the limit, reported
                times.append(float("inf"))
                continue
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
            if paced:
                time.sleep(rng.uniform(*pause))
    finally:
        store.close()
    return times, cpu


def at_once(clients: int, kind: str, backend: str, location: str, paced: bool,
            count: int, smoke: bool) -> tuple[list[float], list[float], float | None]:
    """Every client's timings and CPU times per request, the clients being processes that
    start together; and the server's CPU seconds meanwhile (None if not measurable)."""
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(clients) as pool:
        ready = manager.Barrier(clients + 1)
        waiting = pool.map_async(_client, [(kind, backend, location, client, paced, ready,
                                            count, smoke) for client in range(clients)])
        ready.wait(timeout=READY_TIMEOUT_S)
        server_before = server_cpu_seconds() if backend == "postgres" else None
        results = waiting.get()
        server_after = server_cpu_seconds() if backend == "postgres" else None
    server = None if server_before is None or server_after is None \
        else server_after - server_before
    return ([timing for timings, _ in results for timing in timings],
            [spent for _, spent in results for spent in spent], server)


def vacuum(url: str) -> float:
    """Vacuum and analyze the stories as autovacuum would after a large add (marking the rows
    visible to all, so that the index of titles answers alone): the seconds it took. Done
    here, so that the clients do not meet autovacuum's work of the fill half way."""
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("VACUUM (ANALYZE) stories")
    return time.perf_counter() - started


def measure(name: str, backend: str, location: str, open_store: Callable[[], StoryStore],
            count: int, clients: int, smoke: bool, writers: int = 1,
            batch_path: bool = False) -> list[Result]:
    vocabulary = Vocabulary()
    store = open_store()
    held = store.count()
    results = []
    load = f"load {os.getloadavg()[0]:.1f}"
    if held < count:
        started = time.perf_counter()
        server_before = server_cpu_seconds() if backend == "postgres" else None
        stop, waits = threading.Event(), []
        reader = threading.Thread(target=read_meanwhile, args=(location, stop, waits)) \
            if backend == "postgres" else None
        if reader is not None:
            reader.start()
        try:
            seconds, phases = fill(store, count, vocabulary, skip=held, writers=writers,
                                   batch_path=batch_path)
        finally:
            stop.set()
            if reader is not None:
                reader.join()
        server_after = server_cpu_seconds() if backend == "postgres" else None
        details: dict[str, float | str] = {
            "seconds": seconds, "with_generating": time.perf_counter() - started}
        if server_before is not None and server_after is not None:
            details["server CPU µs per story"] = (server_after - server_before) / (
                count - held) * 1e6
        details.update(phases)
        if waits:
            failed = sum(wait == float("inf") for wait in waits)
            details["a reader meanwhile, longest search (ms)"] = max(
                wait for wait in waits if wait != float("inf")) if failed < len(waits) else 0.0
            details["a reader meanwhile, searches / failed"] = f"{len(waits)} / {failed}"
        if backend == "postgres":
            details["vacuum afterwards, seconds (not counted)"] = vacuum(location)
        how = "one bulk load (indexes, counts and swap timed)" if phases else \
            f"{writers} writers at once" if writers > 1 else "one writer"
        results.append(Result(
            f"library ({name}): add {count - held:,} generated stories in batches of {BATCH:,}"
            f", {how} ({load})", (count - held) / seconds, "stories/s", target="≥ 5,000/s",
            met=(count - held) / seconds >= 5000, details=details))
    store.close()
    for kind, target in (("search", 50), ("suggest", 100)) if clients else ():
        what = ("search as you type" if kind == "search"
                else "all suggestions, 5,000-word article")
        for paced in (False,) if smoke else (False, True):
            load = f"load {os.getloadavg()[0]:.1f}"
            times, cpu, server = at_once(clients, kind, backend, location, paced, count, smoke)
            how = "at a journalist's pace" if paced else "back to back"
            failed = sum(timing == float("inf") for timing in times)
            if failed:
                how += f", {failed} of {len(times)} past the time limit"
            # Where the two cores went: the clients' own Python, and the server.
            where: dict[str, float | str] = {
                "requests": float(len(times)), "client CPU ms per request (median)": median(cpu)}
            if server is not None:
                where["server CPU ms per request"] = server / max(len(cpu), 1) * 1000
            results.append(Result(
                f"library ({name}): {what}, {count:,} stories, {clients} clients {how} "
                f"({load})", median(times), "ms", p95=p95(times), target=f"p95 < {target} ms",
                met=p95(times) < target, details=where))
    return results


@contextlib.contextmanager
def kept_schema(server: str, schema: str) -> Iterator[str]:
    """The URL of schema ``schema`` on ``server``, made if missing and kept afterwards."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        admin.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    yield f"{server}{'&' if '?' in server else '?'}" \
          f"options={quote(f'-csearch_path={schema},public')}"


def bench_library_postgres(smoke: bool, stories: int | None = None,
                           sqlite_stories: int | None = None, clients: int = 20,
                           keep: str | None = None, writers: int = 1,
                           batch_path: bool = False) -> list[Result]:
    server = server_url()
    if server is None:
        print("library on PostgreSQL: no server ($ARTICLE_EDITOR_BENCH_POSTGRES or "
              "tests/pg_server.sh); skipped", file=sys.stderr)
        return []
    count = stories or (2_000 if smoke else 1_000_000)
    clients = 2 if smoke else clients
    schema = kept_schema(server, keep) if keep else throwaway_schema(server, "bench")
    with schema as url:
        results = measure("PostgreSQL", "postgres", url,
                          lambda: PostgresLibrary(url, pool_size=writers), count, clients,
                          smoke, writers, batch_path)
    if sqlite_stories == 0:
        return results
    with tempfile.TemporaryDirectory(prefix="article-bench-") as folder:
        path = Path(folder) / "library.sqlite3"
        results += measure("SQLite", "sqlite", str(path),
                           lambda: SqliteLibrary(path, verify=False),
                           sqlite_stories or (2_000 if smoke else 100_000), clients, smoke)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=1_000_000)
    parser.add_argument("--sqlite", type=int, default=100_000, help="0: PostgreSQL only")
    parser.add_argument("--clients", type=int, default=20, help="0: only add the stories")
    parser.add_argument("--keep", metavar="SCHEMA", help="keep the stories in this schema")
    parser.add_argument("--writers", type=int, default=1, help="threads adding batches at once")
    parser.add_argument("--batch-path", action="store_true",
                        help="add batch by batch even where a bulk load applies (comparison)")
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    results = bench_library_postgres(args.smoke, None if args.smoke else args.stories,
                                     None if args.smoke else args.sqlite, args.clients,
                                     args.keep, args.writers, args.batch_path)
    for result in results:
        spread = f", p95 {result.p95:.1f}" if result.p95 is not None else ""
        print(f"{result.name}: {result.value:,.1f} {result.unit}{spread}  ({result.target}"
              f"{'' if result.met is None else ' ✓' if result.met else ' ✗'})", flush=True)
        for name, value in (result.details or {}).items():
            print(f"    {name}: {value:,.1f}" if isinstance(value, float) else
                  f"    {name}: {value}")


if __name__ == "__main__":
    main()
