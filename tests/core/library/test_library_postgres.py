"""What only the server library has: many writers at once, a killed indexer, roles, schema
migrations, time limits, passwords kept out of messages, languages and title slips. Runs
against the real server tests/pg_server.sh starts (skips without one)."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

from editor.library import postgres, sources
from editor.library.postgres import PostgresLibrary
from editor.library.sources import index_paths
from editor.library.store import (
    LibraryError,
    LibraryUnavailableError,
    open_library,
    redacted,
    without_password,
)
from editor.library.story import Story

ROOT = Path(__file__).parents[3]
FEEDS = ROOT / "tests" / "data" / "library" / "feeds"


def test_a_url_chooses_the_server_and_the_environment_names_it(
        server_schema: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARTICLE_EDITOR_LIBRARY", server_schema)
    store = open_library()
    assert isinstance(store, PostgresLibrary)
    store.close()


def test_writers_adding_the_same_feed_at_once_make_one_story_per_url(server_schema: str) -> None:
    errors: list[BaseException] = []

    def add_feeds(extra: int) -> None:
        store = PostgresLibrary(server_schema)
        try:
            for _ in range(3):
                index_paths(store, [FEEDS / "rss.xml", FEEDS / "atom.xml"])
                # Stories of this writer's own, and one every writer updates.
                store.add_stories([Story(f"Own {extra}", url=f"https://own/{extra}"),
                                   Story(f"Shared by {extra}", url="https://shared")])
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            store.close()

    writers = [threading.Thread(target=add_feeds, args=(n,)) for n in range(6)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert errors == []
    store = PostgresLibrary(server_schema)
    urls = [story.url for _, story in store.stories()]
    assert len(urls) == len(set(urls))  # no duplicates
    assert {f"https://own/{n}" for n in range(6)} <= set(urls)  # no lost writes
    assert store.story("https://shared").title.startswith("Shared by ")
    feed_urls = {url for url in urls if not url.startswith(("https://own/", "https://shared"))}
    assert len(feed_urls) == store.count() - 7 > 0
    store.close()


def test_a_killed_indexer_leaves_the_library_as_it_was_before_its_batch(
        server_schema: str) -> None:
    store = PostgresLibrary(server_schema)
    store.add_stories([Story("Kept", url="https://kept")])
    indexer = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from editor.library.postgres import PostgresLibrary
        from editor.library.story import Story
        store = PostgresLibrary({server_schema!r})
        with store.batch():
            store.add_stories([Story(f"Half {{n}}", url=f"https://half/{{n}}") for n in range(500)])
            store.add_stories([Story("Kept, changed", url="https://kept")])
            print("written", flush=True)
            time.sleep(60)
        """)], stdout=subprocess.PIPE, text=True)
    assert indexer.stdout is not None
    assert indexer.stdout.readline().strip() == "written"
    indexer.kill()
    indexer.wait(10)
    assert store.count() == 1
    assert store.story("https://kept").title == "Kept"
    store.close()


@contextlib.contextmanager
def reader_role(server_schema: str) -> Iterator[str]:
    """A role that may only read the library's schema, granted as the README has it: the URL
    that connects as it. Dropped afterwards."""
    schema = server_schema.split("search_path%3D")[1].split("%2C")[0]
    reader = f"reader_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_schema, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {reader} LOGIN")
        admin.execute(f"GRANT USAGE ON SCHEMA {schema} TO {reader}")
        admin.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {reader}")
    try:
        yield server_schema.replace("postgresql://editor@", f"postgresql://{reader}@")
    finally:
        with psycopg.connect(server_schema, autocommit=True) as admin:
            admin.execute(f"DROP OWNED BY {reader}")
            admin.execute(f"DROP ROLE {reader}")


def test_a_reader_role_searches_and_only_a_writer_adds(server_schema: str) -> None:
    writer = PostgresLibrary(server_schema)
    writer.add_stories([Story("Harbour bridge approved", url="https://bridge")])
    try:
        with reader_role(server_schema) as url:
            store = PostgresLibrary(url)
            assert [m.story.title for m in store.search("harbour bri")] == [
                "Harbour bridge approved"]
            with pytest.raises(LibraryError, match="writer role"):
                store.add_stories([Story("Not allowed", url="https://no")])
            store.close()
    finally:
        writer.close()


def _pending_index_entries(url: str) -> int:
    """Entries waiting in the pending lists of the stories' GIN indexes (read by every search
    until merged into the index)."""
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("CREATE EXTENSION IF NOT EXISTS pageinspect SCHEMA public")
        row = db.execute(
            "SELECT sum((gin_metapage_info(get_raw_page(c.oid::regclass::text, 0)))"
            ".n_pending_tuples) FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid "
            "JOIN pg_am AS a ON a.oid = c.relam "
            "WHERE i.indrelid = 'stories'::regclass AND a.amname = 'gin'").fetchone()
    return int(row[0]) if row else 0


def test_a_bulk_add_merges_what_it_adds_into_the_indexes_before_it_commits(
        server_schema: str) -> None:
    stories = [Story(f"Harbour story {n}", url=f"https://s/{n}",
                     text=" ".join(f"word{n}x{k}" for k in range(40)) + " bridge toll")
               for n in range(postgres.BULK_STORIES)]
    store = PostgresLibrary(server_schema)
    store.add_stories(stories[:10])  # a small add leaves its entries pending, as by default
    assert _pending_index_entries(server_schema) > 0
    store.add_stories(stories)
    assert _pending_index_entries(server_schema) == 0
    assert [m.story.url for m in store.search("word7x3")] == ["https://s/7"]
    assert store.document_frequencies(["toll"]) == {"toll": postgres.BULK_STORIES}
    store.close()
    # A writer that does not own the indexes may not merge them at will: it adds with the
    # server's settings.
    schema = server_schema.split("search_path%3D")[1].split("%2C")[0]
    writer = f"writer_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_schema, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {writer} LOGIN")
        admin.execute(f"GRANT USAGE ON SCHEMA {schema} TO {writer}")
        admin.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} "
                      f"TO {writer}")
    try:
        store = PostgresLibrary(server_schema.replace("postgresql://editor@",
                                                      f"postgresql://{writer}@"))
        store.add_stories([Story(f"Ferry story {n}", url=f"https://f/{n}", text="ferry")
                           for n in range(postgres.BULK_STORIES)])
        assert store.document_frequencies(["ferry"]) == {"ferry": postgres.BULK_STORIES}
        store.close()
    finally:
        with psycopg.connect(server_schema, autocommit=True) as admin:
            admin.execute(f"DROP OWNED BY {writer}")
            admin.execute(f"DROP ROLE {writer}")


def test_an_older_schema_is_upgraded_keeping_its_stories(server_schema: str) -> None:
    with psycopg.connect(server_schema, autocommit=True) as db:
        db.execute("CREATE TABLE schema_version (version integer NOT NULL)")
        db.execute("INSERT INTO schema_version VALUES (1)")
        db.execute(postgres.MIGRATIONS[0])  # type: ignore[arg-type]  # our own SQL
        db.execute("INSERT INTO stories (key, title, url, date, author, section, tags, teaser, "
                   "image, image_alt, text) VALUES ('https://old', 'Harbour bridge approved', "
                   "'https://old', '', '', '', '', '', '', '', '')")
    store = PostgresLibrary(server_schema)
    assert store.count() == 1
    assert [m.story.url for m in store.search("harbor bridg")] == ["https://old"]  # trigrams (v2)
    store.close()
    with psycopg.connect(server_schema) as db:
        assert db.execute("SELECT version FROM schema_version").fetchall() == [
            (postgres.SCHEMA_VERSION,)]


def test_a_newer_schema_or_another_programs_tables_are_refused_and_left_alone(
        server_schema: str) -> None:
    PostgresLibrary(server_schema).close()
    with psycopg.connect(server_schema, autocommit=True) as db:
        db.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(LibraryError, match=r"newer Article Editor \(schema 99"):
        PostgresLibrary(server_schema)
    with psycopg.connect(server_schema, autocommit=True) as db:
        db.execute("DROP TABLE schema_version, stories, sources, roots, configs")
        db.execute("CREATE TABLE accounts (name text)")
    with pytest.raises(LibraryError, match="another program"):
        PostgresLibrary(server_schema)
    with psycopg.connect(server_schema) as db:
        assert db.execute("SELECT to_regclass('stories')").fetchone() == (None,)


def test_a_statement_past_its_time_limit_is_cancelled_with_a_reason(server_schema: str) -> None:
    store = PostgresLibrary(server_schema, statement_timeout_ms=300)
    with psycopg.connect(server_schema) as locker:
        locker.execute("LOCK TABLE stories IN ACCESS EXCLUSIVE MODE")  # a writer that hangs
        with pytest.raises(LibraryUnavailableError, match="ran past its time limit"):
            store.count()
        with pytest.raises(LibraryUnavailableError, match="ran past its time limit"):
            store.remove_story("https://gone")  # only adding may take longer
    assert store.count() == 0  # usable again at once
    store.close()


def test_an_unreachable_server_is_reported_without_its_password(tmp_path: Path) -> None:
    url = f"postgresql://editor:s3cret@/library?host={tmp_path}&port=5"
    with pytest.raises(LibraryUnavailableError) as raised:
        open_library(url)
    assert "s3cret" not in str(raised.value)
    assert "editor:***@" in str(raised.value)
    assert redacted("postgresql://a:b@h/d?password=c") == "postgresql://a:***@h/d?password=***"
    assert without_password("postgresql://a:b@h/d?sslmode=require&password=c") == \
        "postgresql://a@h/d?sslmode=require"


def test_stories_are_matched_in_their_language_and_titles_despite_a_slip(
        server_schema: str) -> None:
    store = PostgresLibrary(server_schema)
    store.add_stories([Story("Bridges closed for repairs", url="https://en", language="en"),
                       Story("Travaux sur la Seine", url="https://fr", language="fr",
                             text="Les ponts restent fermés.")])
    assert [m.story.url for m in store.match_any(["bridge"], limit=5)] == ["https://en"]
    assert [m.story.url for m in store.search("pont")] == ["https://fr"]  # French stems
    assert [m.story.url for m in store.search("brigdes closed")] == ["https://en"]
    assert store.story("https://fr").language == "fr"
    store.close()


@pytest.mark.slow
def test_the_command_line_adds_to_and_searches_a_server_library(server_schema: str) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "editor", "library", *args],
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "ARTICLE_EDITOR_LIBRARY": server_schema})

    added = run("add", str(ROOT / "tests" / "data" / "library"))
    assert "The library holds 10 stories." in added.stdout, added.stderr
    found = run("search", "budget annex", "--json")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)[0]["title"] == "Council budget annex explained"
    away = subprocess.run(
        [sys.executable, "-m", "editor", "library", "search", "budget", "--library",
         "postgresql://editor:s3cret@/library?host=/nonexistent&port=5"],
        capture_output=True, text=True, timeout=120)
    assert away.returncode == 2
    assert away.stderr.count("\n") == 1 and "s3cret" not in away.stderr


def _counts_and_recount(url: str) -> tuple[dict[tuple[str, str], tuple[int, int]],
                                             dict[tuple[str, str], tuple[int, int]]]:
    """The word counts the library keeps (stories, titles), and the same counted afresh."""
    with psycopg.connect(url) as db:
        kept = db.execute("SELECT config::text, lexeme, docs, titles FROM term_counts "
                          "WHERE docs <> 0 OR titles <> 0").fetchall()
        recount = db.execute(
            "SELECT s.config::text, v.lexeme, count(*), "
            "count(*) FILTER (WHERE v.lexeme = ANY(tsvector_to_array(s.title_document))) "
            "FROM stories AS s, unnest(s.document) AS v GROUP BY 1, 2").fetchall()
    return ({(c, lexeme): (docs, titles) for c, lexeme, docs, titles in kept},
            {(c, lexeme): (docs, titles) for c, lexeme, docs, titles in recount})


def test_word_counts_follow_additions_updates_and_removals(server_schema: str,
                                                           tmp_path: Path) -> None:
    store = PostgresLibrary(server_schema)
    store.add_stories([Story("Harbour bridge approved", url="https://a", text="quagga fares"),
                       Story("Bridges closed", url="https://b", language="en",
                             text="The bridges stay closed.")])
    assert store.document_frequencies(["bridge", "quagga", "nothing"]) == {
        "bridge": 2, "quagga": 1, "nothing": 0}  # English "bridges" counts under its stem
    store.add_stories([Story("Harbour tunnel approved", url="https://a", text="tolls")])  # updated
    index_paths(store, [FEEDS / "rss.xml", FEEDS / "atom.xml"])
    index_paths(store, [FEEDS / "rss.xml"])  # the same feed again: replaced in place
    kept, recount = _counts_and_recount(server_schema)
    assert kept == recount
    assert store.document_frequencies(["quagga", "tunnel"]) == {"quagga": 0, "tunnel": 1}
    store.remove_story("https://b")
    store.remove_sources([str(FEEDS / "atom.xml")])
    with psycopg.connect(server_schema, autocommit=True) as db:  # another program's writes
        db.execute("DELETE FROM stories WHERE key = 'https://a'")
        db.execute("INSERT INTO stories (key, title, url, date, author, section, tags, teaser, "
                   "image, image_alt, text) VALUES ('https://c', 'Quagga strike', 'https://c', "
                   "'', '', '', '', '', '', '', '')")
    kept, recount = _counts_and_recount(server_schema)
    assert kept == recount and kept
    assert store.document_frequencies(["quagga", "tunnel"]) == {"quagga": 1, "tunnel": 0}
    store.close()


def test_word_counts_stay_right_with_concurrent_writers_and_a_killed_one(
        server_schema: str) -> None:
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        store = PostgresLibrary(server_schema)
        try:
            for round_ in range(4):
                with store.batch():  # each writer updates the same stories, in its own order
                    keys = list(range(30))[::1 if writer % 2 else -1]
                    store.add_stories([Story(f"Story {key} by {writer}", url=f"https://s/{key}",
                                             text=f"round{round_} writer{writer} common")
                                       for key in keys])
                    store.add_stories([Story(f"Own {writer}", url=f"https://own/{writer}")])
                store.remove_story(f"https://s/{writer}")
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            store.close()

    writers = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for writer in writers:
        writer.start()
    indexer = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from editor.library.postgres import PostgresLibrary
        from editor.library.story import Story
        store = PostgresLibrary({server_schema!r})
        with store.batch():
            store.add_stories([Story("Killed", url=f"https://killed/{{n}}", text="lost")
                               for n in range(100)])
            print("written", flush=True)
            time.sleep(60)
        """)], stdout=subprocess.PIPE, text=True)
    assert indexer.stdout is not None
    assert indexer.stdout.readline().strip() == "written"
    indexer.kill()
    indexer.wait(10)
    for writer in writers:
        writer.join()
    assert errors == []
    kept, recount = _counts_and_recount(server_schema)
    assert kept == recount
    store = PostgresLibrary(server_schema)
    assert store.document_frequencies(["common", "lost", "killed"]) == {
        "common": store.count() - 6, "lost": 0, "killed": 0}
    store.close()


def _create_schema_version_2(db: psycopg.Connection) -> None:
    """The library's tables as schema version 2 left them (before the word counts)."""
    db.execute("CREATE TABLE schema_version (version integer NOT NULL)")
    db.execute("INSERT INTO schema_version VALUES (2)")
    for migration in postgres.MIGRATIONS[:2]:
        db.execute(migration)  # type: ignore[arg-type]  # our own SQL


def test_an_upgrade_counts_the_words_of_the_stories_already_there(server_schema: str) -> None:
    with psycopg.connect(server_schema, autocommit=True) as db:
        _create_schema_version_2(db)
        db.execute("INSERT INTO stories (key, title, url, date, author, section, tags, teaser, "
                   "image, image_alt, text) VALUES ('https://old', 'Harbour bridge', "
                   "'https://old', '', '', '', '', '', '', '', 'bridge toll')")
    store = PostgresLibrary(server_schema)
    assert store.document_frequencies(["bridge", "toll", "ferry"]) == {
        "bridge": 1, "toll": 1, "ferry": 0}
    store.close()


def test_the_pool_says_nothing_on_stderr_while_the_server_is_away(
        server_schema: str, pg_server: Callable[[str], None]) -> None:
    # A process of its own: under pytest, logging has handlers and would hide the output.
    client = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from editor.library.postgres import PostgresLibrary
        from editor.library.store import LibraryUnavailableError
        store = PostgresLibrary({server_schema!r})
        print(store.count(), flush=True)
        input()
        try:
            store.count()
        except LibraryUnavailableError:
            print("offline", flush=True)
        time.sleep(4)  # the pool tries to reconnect meanwhile
        store.close()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert client.stdin is not None and client.stdout is not None
    assert client.stdout.readline().strip() == "0"
    pg_server("pause")
    client.stdin.write("\n")
    client.stdin.flush()
    assert client.stdout.readline().strip() == "offline"
    _, errors = client.communicate(timeout=60)
    pg_server("resume")
    assert errors == ""


def test_an_upgrade_may_take_longer_than_a_statement_may(server_schema: str) -> None:
    with psycopg.connect(server_schema, autocommit=True) as db:
        _create_schema_version_2(db)
        db.execute("INSERT INTO stories (key, title, url, date, author, section, tags, teaser, "
                   "image, image_alt, text) SELECT 'https://s/' || n, 'Story ' || n, '', '', '', "
                   "'', '', '', '', '', repeat('harbour bridge toll ferry ' || n || ' ', 300) "
                   "FROM generate_series(1, 3000) AS n")
    store = PostgresLibrary(server_schema, statement_timeout_ms=200)  # the upgrade takes longer
    assert store.count() == 3000
    store.close()


def test_a_word_in_most_stories_is_searched_newest_first(server_schema: str) -> None:
    store = PostgresLibrary(server_schema)
    # Enough stories that a word in all of them is found by walking the newest first.
    for age in ("old", "new"):  # the new ones added last: the newest 300 matches
        store.add_stories([Story(f"Budget story {n}", url=f"https://{age}/{n}",
                                 text="budget vote") for n in range(400 if age == "old" else 300)])
    store.add_stories([Story("Ferry timetable", url="https://ferry", text="ferry")])
    for query in ("bu", "budget", "budget st", "budget story vo"):
        found = store.search(query, 20)
        assert len(found) == 20
        assert all(match.story.url.startswith("https://new/") for match in found), query
    assert [match.story.url for match in store.search("ferry")] == ["https://ferry"]
    store.close()


def test_a_prefix_after_a_rarer_word_is_tested_on_that_words_titles(server_schema: str) -> None:
    store = PostgresLibrary(server_schema)
    store.add_stories([Story(f"Port policy {n}", url=f"https://port/{n}") for n in range(100)])
    store.add_stories([Story("Quagga found in the pond", url="https://pond"),
                       Story("Quagga sighted again", url="https://again"),
                       Story("Pond life", url="https://life")])
    # "quagga" is in 2 titles, words beginning "po" in 102: the index is asked for "quagga",
    # and "po…" tested on those two titles. The title that matches comes first, then the
    # stories holding the words typed in full.
    for typed in ("quagga po", "quagga pond"):
        assert [m.story.url for m in store.search(typed)] == ["https://pond", "https://again"]
    assert {m.story.url for m in store.search("port po", 200)} == {
        f"https://port/{n}" for n in range(100)}
    store.close()


def test_a_word_in_a_few_percent_of_the_stories_is_walked_newest_first() -> None:
    # Measured at 100,000 stories (the 18 newest of a word's matches): from the GIN index,
    # 1.5 ms for a word in 300 stories but 7 ms for one in 3,000 and 35 ms in 10,000; walking
    # the stories newest first 10 ms, 1 ms and 0.8 ms.
    assert postgres._few(300, 18, 100_000, postgres.TEXT_WALK_COST)
    assert not postgres._few(3_000, 18, 100_000, postgres.TEXT_WALK_COST)
    assert not postgres._few(10_000, 18, 1_000_000, postgres.TEXT_WALK_COST)


def test_adding_commits_without_waiting_for_the_disk_and_removing_waits(
        server_schema: str) -> None:
    # The test cluster commits without waiting everywhere; a server that waits, as by default:
    store = PostgresLibrary(server_schema.replace("options=", "options=-csynchronous_commit%3Don%20"))
    settings = []
    with store.batch(), store._connection() as db:
        settings.append(db.execute("SHOW synchronous_commit").fetchone()[0])
        store.add_stories([Story("Ferry timetable", url="https://ferry")])
    with store._writing(adding=False) as db:
        settings.append(db.execute("SHOW synchronous_commit").fetchone()[0])
    with store._connection() as db:
        settings.append(db.execute("SHOW synchronous_commit").fetchone()[0])
    assert settings == ["off", "on", "on"]
    assert store.story("https://ferry") is not None
    store.close()


def test_reads_are_sent_without_a_transaction_around_them(server_schema: str) -> None:
    # BEGIN and COMMIT around each read would be two more round trips per request.
    store = PostgresLibrary(server_schema)
    store.add_stories([Story("Ferry timetable", url="https://ferry")])
    with store._connection() as db:
        db.execute("SELECT pg_sleep(0.01)")
        assert db.execute("SELECT now() = statement_timestamp()").fetchone() == (True,)
    assert [match.story.url for match in store.search("ferry")] == ["https://ferry"]
    with store.batch(), store._connection() as db:  # a write is still one transaction
        db.execute("SELECT pg_sleep(0.01)")
        assert db.execute("SELECT now() = statement_timestamp()").fetchone() == (False,)
    store.close()


def test_a_walk_for_words_that_seldom_meet_stops_and_the_index_finds_the_rest(
        server_schema: str) -> None:
    store = PostgresLibrary(server_schema)
    store.add_stories([Story("Harbour and tides", url="https://both", text="alpha beta")])
    store.add_stories([Story(f"Story {n}", url=f"https://{n}", text="alpha" if n % 2 else "beta")
                       for n in range(3000)])
    # Each word is in half the stories: as if independent, a quarter would hold both, and the
    # newest would be found by walking a few dozen stories. Only the oldest holds both.
    with store.batch(), store._connection() as db:
        assert [match.story.url for match in store.search("alpha beta ha")] == ["https://both"]
        read = db.execute("SELECT idx_tup_fetch + seq_tup_read FROM pg_stat_xact_user_tables "
                          "WHERE relid = 'stories'::regclass").fetchone()[0]
    assert read < 1000  # not the 3,001 stories a walk to the oldest reads
    store.close()


def test_a_letter_or_two_after_a_word_only_ranks_that_words_newest_titles(
        server_schema: str) -> None:
    store = PostgresLibrary(server_schema)
    store.add_stories([Story("Harbour tunnel opens", url="https://tunnel")])  # the oldest
    store.add_stories([Story(f"Harbour ferry {n} delayed", url=f"https://ferry/{n}")
                       for n in range(postgres.SEARCH_WINDOW)])
    store.add_stories([Story("Harbour tug rescued", url="https://tug")])
    # "tu" stands for too many words to ask the index for: the newest "harbour" titles are
    # ranked, those with a word beginning "tu" first; the third letter asks for the prefix.
    found = [m.story.url for m in store.search("harbour tu")]
    assert found[0] == "https://tug" and "https://tunnel" not in found
    assert store.search("harbour tun")[0].story.url == "https://tunnel"
    store.close()


def test_a_walk_for_titles_whose_words_seldom_meet_stops_and_the_index_finds_the_rest(
        server_schema: str) -> None:
    store = PostgresLibrary(server_schema)
    store.add_stories([Story("Alpha beta", url="https://both")])
    store.add_stories([Story("Alpha story" if n % 2 else "Beta story", url=f"https://{n}")
                       for n in range(6000)])
    # As if independent, a quarter of the titles would hold both words: a walk for the
    # newest 300 would read 1,200 titles. It stops at three times that, finding none, and the
    # index finds the oldest title, which holds both.
    assert store.search("alpha bet")[0].story.url == "https://both"
    store.close()


# --- bulk loads ---------------------------------------------------------------------------------

ARCHIVE = ROOT / "tests" / "data" / "library"
LANGUAGES = ("", "en", "fr", "de")


def _generated(count: int, start: int = 0) -> list[Story]:
    """Stories in a few languages, sharing words, so that ranking and counts have work."""
    words = ("harbour", "bridge", "council", "budget", "ferry", "strike", "tolls", "annex",
             "river", "transport", "election", "housing", "schools", "hospital")
    return [Story(f"{words[n % 14].title()} {words[n * 3 % 14]} {n}", url=f"https://gen/{n}",
                  date=f"20{10 + n % 15}-0{1 + n % 9}-1{n % 9}", tags=[words[n * 5 % 14]],
                  text=" ".join(words[(n * k) % 14] for k in range(1, 30)) + f" story{n}",
                  language=LANGUAGES[n % 4])
            for n in range(start, start + count)]


def _state(url: str, store: PostgresLibrary) -> dict[str, object]:
    """What readers get from a library: searches, matches, frequencies, suggestions, and
    the tables behind them."""
    from editor.fileformat import parse_markdown
    from editor.library.suggest import Suggester

    queries = ["harbour bri", "council budget", "ferry", "budget annex", "schools 1", "hospitl"]
    with psycopg.connect(url) as db:
        tables = {
            "term_counts": db.execute("SELECT config::text, lexeme, docs, titles FROM term_counts"
                                      " ORDER BY 1, 2").fetchall(),
            "stories": db.execute("SELECT key, title, source, config::text, document::text "
                                  "FROM stories ORDER BY id").fetchall(),
            "sources": db.execute("SELECT * FROM sources ORDER BY path").fetchall(),
            "configs": db.execute("SELECT config::text FROM configs ORDER BY 1").fetchall()}
    article = parse_markdown((ROOT / "resources" / "samples" / "harbour-bridge.md").read_text())
    suggested = Suggester(store).suggest(article)
    return {
        **tables,
        "search": [[(m.story.url, round(m.relevance, 6)) for m in store.search(q, 20)]
                   for q in queries],
        "match_any": [(m.story.url, round(m.relevance, 6)) for m in store.match_any(
            ["harbour", "budget", "strike"], limit=30)],
        "frequencies": store.document_frequencies(["harbour", "bridges", "story7", "none"]),
        "suggested": [[(s.story.url, s.score) for s in group.suggestions]
                      for group in suggested.placeholders] +
                     [[(s.story.url, s.score) for s in suggested.related]]}


@pytest.fixture
def another_schema(server_schema: str) -> Iterator[str]:
    """A second schema on the test server, beside ``server_schema``."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_schema, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    yield server_schema.split("options=")[0] + "options=" + quote(
        f"-csearch_path={schema},public")
    with psycopg.connect(server_schema, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")


def _stories_table(url: str) -> int:
    with psycopg.connect(url) as db:
        return int(db.execute("SELECT 'stories'::regclass::oid").fetchone()[0])  # type: ignore[index]


def test_a_bulk_load_gives_readers_what_adding_batch_by_batch_gives(
        server_schema: str, another_schema: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "BULK_LOAD_MIN", 100)
    files = [(str(path), 1, 1, stories) for path in sorted(ARCHIVE.rglob("*.*"))
             if not isinstance(stories := sources._read((path, "")), str)]
    states = []
    for url, bulk in ((server_schema, True), (another_schema, False)):
        store = PostgresLibrary(url)
        store.add_stories(_generated(40))  # already there: a load takes them along
        store.replace_sources(files[:3])
        with store.bulk(400) if bulk else contextlib.nullcontext(False) as loading:
            assert loading == bulk
            store.replace_sources(files[1:])  # files, feeds, languages; two of them again
            for start in range(20, 420, 100):  # batches that give some stories again
                with store.batch():
                    store.add_stories(_generated(100, start))
            index_paths(store, [ARCHIVE / "feeds" / "rss.xml"], force=True)  # a file again
        states.append(_state(url, store))
        store.close()
    loaded, batched = states
    assert loaded == batched
    assert len(loaded["stories"]) == 430  # type: ignore[arg-type]


def test_library_add_of_a_large_folder_into_a_small_library_is_one_bulk_load(
        server_schema: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from editor.library.commands import run_library_command

    def add(path: Path) -> str:
        out = io.StringIO()
        assert run_library_command(argparse.Namespace(
            library=server_schema, library_command="add", paths=[path], permalink=None),
            out=out) == 0
        return out.getvalue()

    monkeypatch.setattr(postgres, "BULK_LOAD_MIN", 5)
    store = PostgresLibrary(server_schema)
    store.add_stories(_generated(3))
    before = _stories_table(server_schema)
    assert "The library holds 13 stories." in add(ARCHIVE)
    assert _stories_table(server_schema) != before  # loaded beside, then swapped in
    assert next(m.story.title for m in store.search("budget annex")) == \
        "Council budget annex explained"
    swapped = _stories_table(server_schema)
    assert "The library holds 13 stories." in add(FEEDS / "rss.xml")  # small: batch by batch
    assert _stories_table(server_schema) == swapped
    kept, recount = _counts_and_recount(server_schema)
    assert kept == recount
    store.close()


def test_while_a_bulk_load_runs_readers_see_the_library_and_writers_lose_nothing(
        server_schema: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "BULK_LOAD_MIN", 100)
    loader, other = PostgresLibrary(server_schema), PostgresLibrary(server_schema)
    loader.add_stories([Story(f"Old story {n}", url=f"https://old/{n}") for n in range(5)])
    index_paths(loader, [FEEDS / "atom.xml"])
    held = loader.count()
    from_feed = {story.url for _, story in loader.stories()} - {f"https://old/{n}"
                                                               for n in range(5)}
    with loader.bulk(1000) as loading:
        assert loading
        loader.add_stories(_generated(300))
        loader.add_stories([Story("Shared, as the load has it", url="https://shared")])
        # Meanwhile: a reader sees the library as it was, a second load is not started (the
        # other editor writes batch by batch), and what the other writer changes is kept.
        assert other.count() == held and other.search("harbour") == []
        with other.bulk(1000) as second:
            assert not second
            other.add_stories([Story("Writer's new harbour story", url="https://writer"),
                               Story("Old story 1, corrected", url="https://old/1"),
                               Story("Shared, as the writer has it", url="https://shared")])
        assert other.remove_story("https://old/2")
        other.remove_sources([str(FEEDS / "atom.xml")])
        assert other.count() == held - 1 - len(from_feed) + 2
        loader.add_stories(_generated(50, 300))
    stories = {story.url: story.title for _, story in other.stories()}
    assert len(stories) == other.count() == 5 - 1 + 2 + 350
    assert stories["https://old/1"] == "Old story 1, corrected"
    assert stories["https://shared"] == "Shared, as the writer has it"
    assert "https://old/2" not in stories and "https://writer" in stories
    assert from_feed and not from_feed & set(stories)
    assert other.source_states() == {}
    assert next(m.story.url for m in other.search("writer's new")) == "https://writer"
    other.add_stories([Story("After the load", url="https://after", text="quokka")])
    kept, recount = _counts_and_recount(server_schema)
    assert kept == recount
    assert other.document_frequencies(["quokka"]) == {"quokka": 1}
    loader.close()
    other.close()


def test_a_bulk_load_keeps_the_readers_grants_and_a_killed_one_leaves_the_library_as_it_was(
        server_schema: str) -> None:
    from editor.library import postgres_bulk

    store = PostgresLibrary(server_schema)
    store.add_stories([Story("Harbour bridge approved", url="https://bridge")])
    loading = textwrap.dedent(f"""
        import time
        from editor.library import postgres
        from editor.library.postgres import PostgresLibrary
        from editor.library.story import Story
        postgres.BULK_LOAD_MIN = 1
        store = PostgresLibrary({server_schema!r})
        with store.bulk(100) as loading:
            assert loading
            store.add_stories([Story(f"Ferry {{n}}", url=f"https://ferry/{{n}}")
                               for n in range(100)])
            print("loading", flush=True)
            time.sleep(SLEEP)
        """)
    with reader_role(server_schema) as reader_url:
        try:
            before = _stories_table(server_schema), _counts_and_recount(server_schema)
            killed = subprocess.Popen([sys.executable, "-c", loading.replace("SLEEP", "60")],
                                      stdout=subprocess.PIPE, text=True)
            assert killed.stdout is not None
            assert killed.stdout.readline().strip() == "loading"
            killed.kill()
            killed.wait(10)
            assert (_stories_table(server_schema), _counts_and_recount(server_schema)) == before
            assert store.count() == 1 and store.search("ferry") == []
            with psycopg.connect(server_schema, autocommit=True) as db:
                for _ in range(100):  # until the server has seen the load's sessions end
                    if not db.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                      "AND objid = %s", (postgres_bulk.LOAD_LOCK_ID,)
                                      ).fetchone()[0]:  # type: ignore[index]
                        break
                    time.sleep(0.1)
                assert postgres_bulk.leftovers(db)
                PostgresLibrary(server_schema).close()  # a writer opening it tidies up
                assert not postgres_bulk.leftovers(db)
                assert db.execute("SELECT count(*) FROM pg_trigger WHERE tgrelid = "
                                  "'stories'::regclass AND tgname LIKE 'stories_load%'"
                                  ).fetchone()[0] == 0  # type: ignore[index]
            finished = subprocess.run([sys.executable, "-c", loading.replace("SLEEP", "0")],
                                      capture_output=True, text=True, timeout=120)
            assert finished.returncode == 0, finished.stderr
            as_reader = PostgresLibrary(reader_url)
            assert as_reader.count() == 101
            assert next(m.story.url for m in as_reader.search("ferry 7")) == "https://ferry/7"
            as_reader.close()
        finally:
            store.close()


def test_the_swap_waits_for_a_writer_in_flight_keeps_what_it_commits_and_holds_no_reader(
        server_schema: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "BULK_LOAD_MIN", 100)
    loader, writer = PostgresLibrary(server_schema), PostgresLibrary(server_schema)
    reader = PostgresLibrary(server_schema)
    inside, release = threading.Event(), threading.Event()
    waits: list[float] = []

    def write() -> None:
        with writer.batch():  # a transaction open across the load's end
            writer.add_stories([Story("Written while the load ends", url="https://late")])
            inside.set()
            release.wait(30)

    def read() -> None:  # while the swap waits for the writer
        while not release.is_set():
            began = time.monotonic()
            reader.search("harbour")
            waits.append(time.monotonic() - began)

    threads = [threading.Thread(target=write), threading.Thread(target=read)]
    with loader.bulk(200) as loading:
        assert loading
        loader.add_stories(_generated(200))
        threads[0].start()
        assert inside.wait(30)
        threads[1].start()
        threading.Timer(2.0, release.set).start()  # the writer commits while the swap tries
    assert release.is_set()  # the swap came after the writer's commit
    for thread in threads:
        thread.join(30)
    assert waits and max(waits) < 0.4  # waiting behind the writer, a swap would hold them
    assert reader.count() == 201 and reader.story("https://late") is not None
    kept, recount = _counts_and_recount(server_schema)
    assert kept == recount
    for store in (loader, writer, reader):
        store.close()
