"""The shared library on a PostgreSQL server at newsroom scale, beside SQLite's figures.

    python bench/library_postgres.py [--stories N] [--sqlite N] [--clients 20]
    python bench/library_postgres.py --smoke

Needs a server: $ARTICLE_EDITOR_BENCH_POSTGRES or $ARTICLE_EDITOR_TEST_POSTGRES (a throwaway
one: ``eval "$(tests/pg_server.sh start)"``); without one it is skipped. Each run works in a
schema of its own, dropped at the end. Stories are generated in memory (the same vocabulary as
library_speed.py: Zipf-like word frequencies) and added in batches of 10,000 in one transaction
each; the generating is not timed. Then ``clients`` threads, each with its own connection, search
as a journalist types and ask for every suggestion of a 5,000-word article, all at once.
SQLite is measured with the same stories and the same clients (one connection each) at
``--sqlite`` stories (100,000 by default).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from library_speed import Vocabulary, _sentences, long_article
from measure import ROOT, Result, median, p95
from pg_schema import throwaway_schema

sys.path.insert(0, str(ROOT / "src"))
from editor.fileformat import parse_markdown
from editor.library.sqlite import SqliteLibrary
from editor.library.store import StoryStore
from editor.library.story import Story
from editor.library.suggest import Suggester

BATCH = 5_000
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


def fill(store: StoryStore, count: int, vocabulary: Vocabulary) -> float:
    """Add ``count`` stories; the seconds spent adding (generating not counted)."""
    spent = 0.0
    for batch in generate(count, vocabulary):
        start = time.perf_counter()
        with store.batch():
            store.add_stories(batch)
        spent += time.perf_counter() - start
    return spent


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


def at_once(clients: int, work: Callable[[int], list[float]]) -> list[float]:
    """Run ``work(client)`` in ``clients`` threads started together; all their timings."""
    timings: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)
    errors: list[BaseException] = []

    def run(client: int) -> None:
        try:
            start.wait()
            found = work(client)
        except BaseException as error:  # reported after the threads end
            errors.append(error)
            return
        with lock:
            timings.extend(found)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return timings


def measure(name: str, open_store: Callable[[], StoryStore], count: int, clients: int,
            smoke: bool) -> list[Result]:
    vocabulary = Vocabulary()
    store = open_store()
    seconds = fill(store, count, vocabulary)
    titles = [story.title for story in
              (next(generate(min(count, BATCH), vocabulary)))]
    store.close()
    results = [Result(f"library ({name}): add {count:,} generated stories in batches of "
                      f"{BATCH:,}", count / seconds, "stories/s", target="≥ 5,000/s",
                      met=count / seconds >= 5000, details={"seconds": seconds})]
    queries = typed_queries(titles, 4 if smoke else 12)

    def search(client: int) -> list[float]:
        own = open_store()
        times = []
        for query in queries[client % 3:] + queries[:client % 3]:
            began = time.perf_counter()
            own.search(query, 20)
            times.append((time.perf_counter() - began) * 1000)
        own.close()
        return times

    times = at_once(clients, search)
    results.append(Result(
        f"library ({name}): search as you type, {count:,} stories, {clients} clients at once",
        median(times), "ms", p95=p95(times), target="p95 < 50 ms", met=p95(times) < 50,
        details={"queries": float(len(times))}))

    articles = 1 if smoke else 3

    def suggest(client: int) -> list[float]:
        own = open_store()
        suggester = Suggester(own)
        suggester.suggest(parse_markdown(long_article(vocabulary, 999)))  # warm, as the dock is
        times = []
        for seed in range(articles):
            article = parse_markdown(long_article(vocabulary, client * 10 + seed))
            began = time.perf_counter()
            suggester.suggest(article)
            times.append((time.perf_counter() - began) * 1000)
        own.close()
        return times

    times = at_once(clients, suggest)
    results.append(Result(
        f"library ({name}): all suggestions, 5,000-word article, {count:,} stories, {clients} "
        "clients at once", median(times), "ms", p95=p95(times), target="p95 < 100 ms",
        met=p95(times) < 100, details={"articles": float(len(times))}))
    return results


def bench_library_postgres(smoke: bool, stories: int | None = None,
                           sqlite_stories: int | None = None, clients: int = 20) -> list[Result]:
    server = server_url()
    if server is None:
        print("library on PostgreSQL: no server ($ARTICLE_EDITOR_BENCH_POSTGRES or "
              "tests/pg_server.sh); skipped", file=sys.stderr)
        return []
    from editor.library.postgres import PostgresLibrary

    count = stories or (2_000 if smoke else 1_000_000)
    clients = 4 if smoke else clients
    with throwaway_schema(server, "bench") as url:
        results = measure("PostgreSQL", lambda: PostgresLibrary(url, pool_size=1), count,
                          clients, smoke)
    with tempfile.TemporaryDirectory(prefix="article-bench-") as folder:
        path = Path(folder) / "library.sqlite3"
        results += measure("SQLite", lambda: SqliteLibrary(path, verify=False),
                           sqlite_stories or (2_000 if smoke else 100_000), clients, smoke)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=1_000_000)
    parser.add_argument("--sqlite", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    results = bench_library_postgres(args.smoke, None if args.smoke else args.stories,
                                     None if args.smoke else args.sqlite, args.clients)
    for result in results:
        spread = f", p95 {result.p95:.1f}" if result.p95 is not None else ""
        print(f"{result.name}: {result.value:,.1f} {result.unit}{spread}  ({result.target}"
              f"{'' if result.met is None else ' ✓' if result.met else ' ✗'})")


if __name__ == "__main__":
    main()
