"""The newsroom's shared library on a PostgreSQL server, behind the same store interface.

The database keeps the full-text vectors itself (generated ``tsvector`` columns with GIN
indexes, each story's vector built with the text-search configuration of its language), and a
trigram index (``pg_trgm``) on titles finds a title typed with a slip. The schema is made and
upgraded by numbered migrations recorded in ``schema_version``. Writes upsert by the story's
canonical URL inside one transaction per batch, so concurrent writers never duplicate a story
and a killed indexer leaves the library as it was before its batch. Every connection has a
connect and a statement time limit; a server that cannot be reached raises
:class:`~editor.library.store.LibraryUnavailableError` with a reason that holds no password.
Passwords come from libpq (a service file, ``.pgpass`` or ``PGPASSWORD``), never from us.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolTimeout

from editor.library.postgres_bulk import (
    BULK_LOAD_MIN,
    BulkLoad,
    drop_leftovers,
    language_config,
    leftovers,
)
from editor.library.store import (
    LibraryError,
    LibraryUnavailableError,
    SourceStories,
    redacted,
)
from editor.library.story import Match, Story, words

# The pool logs each failed attempt to reconnect as a warning, which Python prints on stderr
# when the application has set up no logging. The caller hears of an outage already
# (LibraryUnavailableError; the dock says "Library offline"): the pool's messages go only
# where an application sends its logs.
logging.getLogger("psycopg.pool").addHandler(logging.NullHandler())

CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 10_000
# Adding a large batch indexes thousands of stories in one statement; only worker threads and
# the command line write, so their limit is longer than the window's reads.
WRITE_TIMEOUT_MS = 300_000
POOL_SIZE = 4
# A write of this many stories or more gathers the new entries of the GIN indexes in their
# pending lists (up to BULK_PENDING_KB, merged in memory of BULK_WORK_KB) and merges them into
# the indexes once, just before it commits, instead of every 4 MB (the server's default): the
# indexes take about 40 % less of the server's time per story added (the whole add about 12 %),
# and no long pending list is left behind for every search to read. Only the indexes' owner
# (the writer role) may merge them at will.
BULK_STORIES = 1_000
BULK_PENDING_KB = 65_536
BULK_WORK_KB = 65_536
# Title, tags and text weigh as on SQLite (6 : 2 : 1); ts_rank takes {D, C, B, A} in [0, 1].
_RANK_WEIGHTS = "{0.1667, 0, 0.3333, 1.0}"
SEARCH_WINDOW = 300
# What visiting one story costs, walking the stories newest first, against taking one match
# from the GIN index (then reading its row and sorting), measured at 100,000 stories: a title
# tested in the index of titles (schema 4) 0.2 µs against 1.4 µs; a story's text vector read
# from its row (in line since schema 3) and tested 1.6 µs against 5 µs. At a million stories
# a title costs 0.23 µs walked against 10 µs from the index (its rows scattered over gigabytes):
# the titles' cost is set between the two.
TITLE_WALK_COST = 0.05
TEXT_WALK_COST = 0.3
WALK_SLACK = 3  # a walk reads at most this many times the stories it should need
# The last word typed is a prefix from this many letters on (when words typed in full come
# before it); reading a title's row costs as much as merging this many titles in the index
# (a million stories: 10 µs against 0.26 µs).
PREFIX_LETTERS = 3
ROW_READ_COST = 40
MATCH_TEXT_CHARS = 600
LOCK_ID = 0x4145_4C42  # advisory lock held while migrating: "AELB"

# A story's language (ISO 639-1) and the text-search configuration its vector is built with;
# any other language, or none, is indexed word for word ("simple").
TEXT_SEARCH_CONFIGS = {
    "da": "danish", "de": "german", "en": "english", "es": "spanish", "fi": "finnish",
    "fr": "french", "hu": "hungarian", "it": "italian", "nl": "dutch", "no": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sv": "swedish", "tr": "turkish",
}

# Each migration takes the schema from the version before it to its own number.
MIGRATIONS: tuple[str, ...] = (
    # 1: stories, their sources, and the full-text vectors the database keeps.
    """
    CREATE TABLE roots (path text PRIMARY KEY, permalink text NOT NULL DEFAULT '');
    CREATE TABLE sources (path text PRIMARY KEY, mtime_ns bigint NOT NULL, size bigint NOT NULL);
    CREATE TABLE stories (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key text NOT NULL UNIQUE,
        title text NOT NULL, url text NOT NULL, date text NOT NULL, author text NOT NULL,
        section text NOT NULL, tags text NOT NULL, teaser text NOT NULL, image text NOT NULL,
        image_alt text NOT NULL, text text NOT NULL,
        source text REFERENCES sources(path) ON DELETE CASCADE,
        external boolean NOT NULL DEFAULT false,
        language text NOT NULL DEFAULT '',
        config regconfig NOT NULL DEFAULT 'simple',
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector(config, title), 'A') ||
            setweight(to_tsvector(config, tags), 'B') ||
            setweight(to_tsvector(config, text), 'D')) STORED,
        title_document tsvector GENERATED ALWAYS AS (to_tsvector(config, title)) STORED
    );
    CREATE INDEX stories_source ON stories(source);
    CREATE INDEX stories_document ON stories USING gin(document);
    CREATE INDEX stories_title_document ON stories USING gin(title_document);
    CREATE TABLE configs (config regconfig PRIMARY KEY);
    INSERT INTO configs VALUES ('simple');
    """,
    # 2: titles found by trigram similarity (a title typed with a slip).
    """
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX stories_title_trigrams ON stories USING gin(lower(title) gin_trgm_ops);
    """,
    # 3: how many stories hold each word, and how many titles (per text-search configuration),
    # so that the ranking's document frequencies are looked up instead of counted on the GIN
    # index, and a search knows beforehand whether its words are rare or common. Statement
    # triggers see exactly the rows each statement changed (transition tables), whoever the
    # writer: a concurrent upsert of the same story cannot be counted twice or missed. They
    # collect the changes in a temporary table of the session; an Article Editor writer adds
    # them to the counts once, just before it commits (one statement, rows in key order:
    # writers never deadlock, and hold the common words' rows only for that moment); any other
    # writer's statement adds them at once. Also a vector of the title and tags alone, so that
    # the stories a word names in its title or tags are found without reading their text.
    #   Each story's vector is kept in its row (it does not compress: out of line, every
    # ranked story cost a second lookup), its text out of line uncompressed (a match reads only
    # its first characters); stories written before keep their layout until rewritten.
    """
    ALTER TABLE stories ALTER document SET STORAGE MAIN, ALTER text SET STORAGE EXTERNAL;
    ALTER TABLE stories ADD COLUMN heading_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(config, title), 'A') ||
        setweight(to_tsvector(config, tags), 'B')) STORED;
    CREATE INDEX stories_heading_document ON stories USING gin(heading_document);
    CREATE TABLE term_counts (
        config regconfig NOT NULL, lexeme text COLLATE "C" NOT NULL,
        docs bigint NOT NULL, titles bigint NOT NULL,
        PRIMARY KEY (lexeme, config));
    INSERT INTO term_counts
        SELECT config, lexeme, sum(docs), sum(titles) FROM (
            SELECT s.config, v.lexeme, 1 AS docs, 0 AS titles
            FROM stories AS s, unnest(tsvector_to_array(s.document)) AS v(lexeme)
            UNION ALL SELECT s.config, v.lexeme, 0, 1
            FROM stories AS s, unnest(tsvector_to_array(s.title_document)) AS v(lexeme)) AS terms
        GROUP BY 1, 2;
    CREATE FUNCTION fold_term_deltas() RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        IF to_regclass('pg_temp.term_deltas') IS NULL THEN
            RETURN;
        END IF;
        WITH changed AS (DELETE FROM pg_temp.term_deltas RETURNING *)
        INSERT INTO term_counts AS c (config, lexeme, docs, titles)
            SELECT config, lexeme, sum(docs), sum(titles) FROM changed GROUP BY config, lexeme
            HAVING sum(docs) <> 0 OR sum(titles) <> 0 ORDER BY lexeme, config
        ON CONFLICT (lexeme, config) DO UPDATE
            SET docs = c.docs + excluded.docs, titles = c.titles + excluded.titles;
    END $$;
    CREATE FUNCTION stories_count_terms() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF to_regclass('pg_temp.term_deltas') IS NULL THEN
            CREATE TEMP TABLE term_deltas (config regconfig NOT NULL, lexeme text NOT NULL,
                                           docs bigint NOT NULL, titles bigint NOT NULL);
        END IF;
        IF TG_OP <> 'INSERT' THEN
            INSERT INTO pg_temp.term_deltas
                SELECT config, lexeme, -sum(docs), -sum(titles) FROM (
                    SELECT o.config, v.lexeme, 1 AS docs, 0 AS titles
                    FROM old_rows AS o, unnest(tsvector_to_array(o.document)) AS v(lexeme)
                    UNION ALL SELECT o.config, v.lexeme, 0, 1
                    FROM old_rows AS o, unnest(tsvector_to_array(o.title_document)) AS v(lexeme)) AS terms
                GROUP BY 1, 2;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO pg_temp.term_deltas
                SELECT config, lexeme, sum(docs), sum(titles) FROM (
                    SELECT n.config, v.lexeme, 1 AS docs, 0 AS titles
                    FROM new_rows AS n, unnest(tsvector_to_array(n.document)) AS v(lexeme)
                    UNION ALL SELECT n.config, v.lexeme, 0, 1
                    FROM new_rows AS n, unnest(tsvector_to_array(n.title_document)) AS v(lexeme)) AS terms
                GROUP BY 1, 2;
        END IF;
        IF coalesce(current_setting('article_editor.defer_term_counts', true), '') <> 'on' THEN
            PERFORM fold_term_deltas();
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER stories_added_terms AFTER INSERT ON stories
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stories_count_terms();
    CREATE TRIGGER stories_changed_terms AFTER UPDATE ON stories
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stories_count_terms();
    CREATE TRIGGER stories_removed_terms AFTER DELETE ON stories
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stories_count_terms();
    """,
    # 4: the stories' ids, newest last, with their titles and title vectors: a search walks
    # it newest first, testing each title, and scores the window of matches, without reading
    # the stories' wide rows (a few per page; here a hundred). Found from the index alone
    # (an index-only scan) once the rows are known visible to all, as vacuum marks them.
    """
    CREATE INDEX stories_newest_titles ON stories (id) INCLUDE (title_document, title);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

_COLUMNS = ("title", "url", "date", "author", "section", "tags", "teaser", "image", "image_alt",
            "text", "source", "external", "language")
_SELECT = ", ".join(f"left(s.text, {MATCH_TEXT_CHARS})" if name == "text" else f"s.{name}"
                    for name in _COLUMNS)


class _ThreadState(threading.local):
    """What one thread of a library has under way: its batch's connection, its bulk load, and
    whether its transaction set the bulk-add settings."""

    batch: psycopg.Connection[Any] | None = None
    load: BulkLoad | None = None
    bulk = False


class PostgresLibrary:
    """A :class:`~editor.library.store.StoryStore` on a PostgreSQL server (a connection pool;
    safe to share between threads, a batch belongs to the thread that opened it)."""

    def __init__(self, url: str, *, migrate: bool = True, pool_size: int = POOL_SIZE,
                 statement_timeout_ms: int = STATEMENT_TIMEOUT_MS) -> None:
        self.location = redacted(url)
        self._url = url
        given = conninfo_to_dict(url).get("options") or ""
        self._options: dict[str, Any] = {
            "connect_timeout": CONNECT_TIMEOUT_S,
            # JIT compiling pays off for long analytic queries; ours answer in milliseconds,
            # and a walk over many stories would spend 50-100 ms compiling first.
            "options": f"{given} -c statement_timeout={statement_timeout_ms} -c jit=off".strip(),
            "application_name": "article-editor",
        }
        self._statement_timeout_ms = statement_timeout_ms
        self._local = _ThreadState()
        self._configs: tuple[float, tuple[str, ...]] = (0.0, ())
        self._lexeme_cache: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {}
        self._known_configs: set[str] = set()  # known to be in the configs table
        with self._errors():
            with psycopg.connect(url, autocommit=True, **self._options) as first:
                self._prepare(first, migrate)
            # Reads are single statements, sent without BEGIN and COMMIT around them: a third
            # of the round trips, each of which waits for a core when twenty editors share
            # the server's two. Writes open their transactions themselves.
            self._pool = ConnectionPool(url, min_size=1, max_size=pool_size,
                                        kwargs={**self._options, "autocommit": True},
                                        timeout=CONNECT_TIMEOUT_S, open=True,
                                        name="article-editor-library")

    # --- schema -------------------------------------------------------------------------------

    def _prepare(self, db: psycopg.Connection[Any], migrate: bool) -> None:
        version = _schema_version(db)
        if version == SCHEMA_VERSION:
            if leftovers(db):  # of a bulk load that was killed: only its owner may drop them
                drop_leftovers(db)
            return
        if version > SCHEMA_VERSION:
            raise LibraryError(self.location, f"this library was made by a newer Article Editor "
                               f"(schema {version}; this one reads {SCHEMA_VERSION})")
        if version == -1:
            raise LibraryError(self.location, "this database holds tables of another program, "
                               "not a story library: give the library a database of its own")
        if not migrate:
            raise LibraryError(self.location, f"the library's schema is older (version "
                               f"{version}; this Article Editor needs {SCHEMA_VERSION})")
        try:
            with db.transaction():
                db.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_ID,))
                # An upgrade rewrites every story (schema 3: a vector more, and the word
                # counts): minutes for a large library, past the window's limit per statement.
                db.execute("SET LOCAL statement_timeout = 0")
                version = _schema_version(db)  # another editor may have migrated meanwhile
                if version == 0:
                    db.execute("CREATE TABLE schema_version (version integer NOT NULL)")
                    db.execute("INSERT INTO schema_version VALUES (0)")
                for number in range(version + 1, SCHEMA_VERSION + 1):
                    db.execute(MIGRATIONS[number - 1])  # type: ignore[arg-type]  # our own SQL
                    db.execute("UPDATE schema_version SET version = %s", (number,))
        except psycopg.errors.InsufficientPrivilege:
            raise LibraryError(self.location, f"the library's schema is at version {version} and "
                               f"needs {SCHEMA_VERSION}: open it once with the writer role to "
                               "upgrade it") from None

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn the driver's errors into the library's: unreachable, or refused."""
        try:
            yield
        except (psycopg.OperationalError, PoolTimeout) as error:
            raise LibraryUnavailableError(self.location, _reason(error, self._url)) from None
        except psycopg.errors.InsufficientPrivilege:
            raise LibraryError(self.location, "this role may only read the library: adding "
                               "needs the writer role") from None
        except psycopg.Error as error:
            raise LibraryError(self.location, _reason(error, self._url)) from None

    @contextlib.contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        held = self._local.batch
        if held is not None:
            yield held
            return
        with self._errors(), self._pool.connection() as db:
            yield db

    # --- writing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def bulk(self, expected: int, on_phase: Callable[[str], None] | None = None
             ) -> Iterator[bool]:
        """Around an add of about ``expected`` stories: when it is large against the library
        (:mod:`~editor.library.postgres_bulk`), this thread's adds inside are one bulk load,
        swapped in on leaving (True); otherwise they are written batch by batch (False).
        ``on_phase`` hears each phase begin (load, indexes and counts, swap, done)."""
        if expected < BULK_LOAD_MIN or self._local.batch is not None \
                or self._local.load is not None:
            yield False
            return
        load = BulkLoad(lambda: psycopg.connect(self._url, autocommit=True, **self._options),
                        language_config(TEXT_SEARCH_CONFIGS), on_phase)
        with self._errors():
            started = load.start(expected)
        if not started:
            yield False
            return
        self._local.load = load
        try:
            yield True
        except BaseException:
            self._local.load = None
            load.abandon()
            raise
        self._local.load = None
        with self._errors():
            load.finish()
        self._configs = (0.0, ())  # the load may have brought languages new to this editor

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        # Inside a batch already, or a load (where each batch is its own transaction).
        if self._local.batch is not None or self._local.load is not None:
            yield
            return
        with self._writing() as db:
            self._local.batch = db
            try:
                yield
            finally:
                self._local.batch = None

    @contextlib.contextmanager
    def _writing(self, adding: bool = True) -> Iterator[psycopg.Connection[Any]]:
        """A transaction that may change stories (or the batch's): the word counts' changes
        are collected and added to ``term_counts`` once, just before it commits. One that
        is ``adding`` stories has the longer time limit per statement, and commits without
        waiting for the server's disk: a server that crashes just after may lose the last
        batches added (re-adding their files redoes them), never part of one, and an
        indexer's many small commits (a feed, a save) do not each wait for a disk flush."""
        held = self._local.batch
        if held is not None:
            yield held
            return
        limit = WRITE_TIMEOUT_MS if adding else self._statement_timeout_ms
        with self._errors(), self._pool.connection() as db, db.transaction():
            db.execute("SELECT set_config('article_editor.defer_term_counts', 'on', true), "
                       "set_config('statement_timeout', %s, true), "
                       "set_config('synchronous_commit', %s, true)",
                       (str(limit), "off" if adding else "on"))
            self._local.bulk = False
            yield db
            if self._local.bulk:
                db.execute("SELECT gin_clean_pending_list(c.oid) FROM pg_index AS i "
                           "JOIN pg_class AS c ON c.oid = i.indexrelid "
                           "JOIN pg_am AS a ON a.oid = c.relam "
                           "WHERE i.indrelid = 'stories'::regclass AND a.amname = 'gin'")
            db.execute("SELECT fold_term_deltas()")

    def replace_source(self, source: str, mtime_ns: int, size: int,
                       stories: Sequence[Story]) -> None:
        self.replace_sources([(source, mtime_ns, size, stories)])

    def replace_sources(self, sources: Sequence[SourceStories]) -> None:
        """Every file's statements in one round trip (a pipeline), whatever their number.
        The sources' rows are locked first, in path order: two writers indexing the same
        files take turns, and never deadlock."""
        latest = {path: (mtime_ns, size) for path, mtime_ns, size, _ in sources}
        if not latest:
            return
        load = self._local.load
        if load is not None:
            with self._errors():
                load.add([(story, path) for path, _, _, stories in sources for story in stories],
                         [(path, *latest[path]) for path in sorted(latest)])
            return
        paths = sorted(latest)
        with self._writing() as db, db.transaction(), db.pipeline():
            db.execute("INSERT INTO sources(path, mtime_ns, size) "
                       "SELECT * FROM unnest(%s::text[], %s::bigint[], %s::bigint[]) "
                       "ON CONFLICT (path) DO UPDATE SET mtime_ns = excluded.mtime_ns, "
                       "size = excluded.size",
                       (paths, [latest[path][0] for path in paths],
                        [latest[path][1] for path in paths]))
            db.execute("DELETE FROM stories WHERE source = ANY(%s)", (paths,))
            self._upsert(db, [(story, path) for path, _, _, stories in sources
                              for story in stories])

    def add_stories(self, stories: Sequence[Story]) -> None:
        load = self._local.load
        if load is not None:
            with self._errors():
                load.add([(story, None) for story in stories])
            return
        with self._writing() as db:
            self._upsert(db, [(story, None) for story in stories])

    def _upsert(self, db: psycopg.Connection[Any],
                stories: Sequence[tuple[Story, str | None]]) -> None:
        """Upsert the stories (each with its source) by key in one statement (columns sent
        as arrays), the last one given for a key winning, in key order (writers meeting on
        the same stories lock them in the same order: no deadlock)."""
        if not stories:
            return
        if len(stories) >= BULK_STORIES and not self._local.bulk:
            self._local.bulk = db.execute(
                "SELECT set_config('gin_pending_list_limit', %s, true), "
                "set_config('work_mem', %s, true) FROM pg_class "
                "WHERE oid = 'stories'::regclass AND pg_has_role(relowner, 'USAGE')",
                (str(BULK_PENDING_KB), str(BULK_WORK_KB))).fetchone() is not None
        given = {story.key: (story, source) for story, source in stories}
        chosen = [(key, given[key][0]) for key in sorted(given)]
        configs = [TEXT_SEARCH_CONFIGS.get(story.language[:2].lower(), "simple")
                   for _, story in chosen]
        if not set(configs) <= self._known_configs:
            db.execute("INSERT INTO configs SELECT unnest(%s::regconfig[]) "
                       "ON CONFLICT DO NOTHING", (sorted(set(configs)),))
            self._known_configs.update(configs)  # configs are never removed
            self._configs = (0.0, ())  # perhaps a language new to this editor: ask again
        columns = [[key for key, _ in chosen],
                   *([getattr(story, name) for _, story in chosen]
                     for name in ("title", "url", "date", "author", "section")),
                   ["\n".join(story.tags) for _, story in chosen],
                   *([getattr(story, name) for _, story in chosen]
                     for name in ("teaser", "image", "image_alt", "text")),
                   [given[key][1] for key, _ in chosen],
                   [story.external for _, story in chosen],
                   [story.language for _, story in chosen], configs]
        assignments = ", ".join(f"{name} = excluded.{name}" for name in (*_COLUMNS, "config"))
        names = ", ".join(("key", *_COLUMNS, "config"))
        db.execute(  # binary parameters (%b): the texts are sent as they are, not escaped
            f"INSERT INTO stories ({names}) SELECT {names} FROM unnest("
            + ", ".join(["%b::text[]"] * 12) + ", %b::boolean[], %b::text[], %b::regconfig[]) "
            f"AS given({names}) ON CONFLICT (key) DO UPDATE SET {assignments}", columns)

    def add_root(self, path: str, permalink: str = "") -> None:
        with self._connection() as db, db.transaction():
            db.execute("INSERT INTO roots(path, permalink) VALUES (%s, %s) ON CONFLICT (path) "
                       "DO UPDATE SET permalink = excluded.permalink", (path, permalink))

    def roots(self) -> dict[str, str]:
        with self._connection() as db:
            return dict(db.execute("SELECT path, permalink FROM roots ORDER BY path").fetchall())

    def source_states(self, under: str | None = None) -> dict[str, tuple[int, int]]:
        with self._connection() as db:
            rows = db.execute("SELECT path, mtime_ns, size FROM sources").fetchall()
        prefix = None if under is None else under.rstrip("/\\") + "/"
        return {path: (mtime, size) for path, mtime, size in rows
                if prefix is None or path.startswith(prefix) or path == under}

    def remove_sources(self, sources: Iterable[str]) -> int:
        paths = sorted(set(sources))
        with self._writing(adding=False) as db:
            removed = db.execute("DELETE FROM stories WHERE source = ANY(%s)", (paths,)).rowcount
            db.execute("DELETE FROM sources WHERE path = ANY(%s)", (paths,))
        return removed

    def remove_story(self, key: str) -> bool:
        with self._writing(adding=False) as db:
            return db.execute("DELETE FROM stories WHERE key = %s", (key,)).rowcount > 0

    # --- reading ------------------------------------------------------------------------------

    def count(self) -> int:
        with self._connection() as db:
            return int(db.execute("SELECT count(*) FROM stories").fetchone()[0])  # type: ignore[index]  # count(*) always returns a row

    def stories(self) -> Iterator[tuple[int, Story]]:
        with self._connection() as db, db.transaction(), db.cursor(name="all_stories") as rows:
            rows.execute(f"SELECT id, {', '.join(_COLUMNS)} FROM stories ORDER BY id")
            for row in rows:
                yield row[0], _story(row[1:])

    def story(self, key: str) -> Story | None:
        with self._connection() as db:
            row = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM stories WHERE key = %s",
                             (key,)).fetchone()
        return None if row is None else _story(row)

    def _in_use(self, db: psycopg.Connection[Any]) -> tuple[str, ...]:
        """The text-search configurations stories are indexed with (asked again each minute:
        another writer may have added a language)."""
        checked, configs = self._configs
        if time.monotonic() - checked > 60 or not configs:
            configs = tuple(str(name) for (name,) in
                            db.execute("SELECT config::text FROM configs ORDER BY 1"))
            self._configs = (time.monotonic(), configs)
        return configs

    def _query(self, db: psycopg.Connection[Any], function: str, text: str) -> sql.Composable:
        """One tsquery for ``text`` parsed under every configuration in use, OR-ed: a word
        matches an English story by its stem and an unknown-language story as written."""
        return sql.SQL(" || ").join(
            sql.SQL("{}({}::regconfig, {})").format(sql.SQL(function), sql.Literal(config),
                                                    sql.Literal(text))
            for config in self._in_use(db))

    def search(self, query: str, limit: int = 20) -> list[Match]:
        """Titles first, the word being typed as a prefix; then stories holding the words typed
        in full (``websearch_to_tsquery``); a title typed with a slip by trigram similarity.

        "The newest few hundred matches" is found one of two ways, chosen by how many stories
        the word counts say match: few, from the GIN index, then sorted; many, by walking the
        stories newest first until enough match (sorting all of them would be slow). The
        planner's own guess, from sampled statistics, is far off for rare words."""
        terms = words(query)
        if not terms:
            return []
        prefix = " & ".join([*map(_lexeme, terms[:-1]), _lexeme(terms[-1]) + ":*"])
        whole = " ".join(f'"{term}"' for term in terms[:-1] or terms)
        with self._connection() as db:
            titles, stories, newest, prefixed, by_words = self._estimates(db, terms)
            title_query = self._query(db, "to_tsquery", prefix)
            typed_in_full = None if not terms[:-1] else self._query(
                db, "to_tsquery", " & ".join(map(_lexeme, terms[:-1])))
            wanted_titles, narrower = title_query, None
            if typed_in_full is not None and len(terms[-1]) < PREFIX_LETTERS:
                # A letter or two after words typed in full stand for a great many words: the
                # titles are found by the words alone, and the prefix only ranks them (its
                # titles first). Merging the index's lists of every word "tu" begins, then
                # reading the 3,500 titles it leaves, took 60-110 ms at a million stories.
                wanted_titles, titles = typed_in_full, by_words
            elif typed_in_full is not None and by_words * ROW_READ_COST < prefixed:
                # A longer prefix: when the words typed in full are in far fewer titles, the
                # index finds those, and the prefix is tested on them alone.
                narrower = typed_in_full
            few = _few(titles, SEARCH_WINDOW, newest, TITLE_WALK_COST,
                       read=None if narrower is None else by_words)
            for walk in _walks(few, SEARCH_WINDOW, newest, titles):
                rows = db.execute(sql.SQL(
                    "WITH t(q) AS MATERIALIZED (SELECT {query}), best AS ("
                    "SELECT w.id, ts_rank(w.title_document, t.q) + similarity(lower(w.title), "
                    "%s) AS relevance FROM stories AS w, t WHERE w.id IN ({newest}) "
                    "ORDER BY relevance DESC, w.id DESC LIMIT %s) "  # ties: the newest first
                    "SELECT s.id, best.relevance, {columns} FROM best JOIN stories AS s "
                    "USING (id) ORDER BY best.relevance DESC, s.id DESC"
                ).format(columns=sql.SQL(_SELECT), query=title_query, newest=_newest(
                    "title_document", wanted_titles, walk is None,
                    index_query=narrower, walk=walk)),
                    (query.lower(), SEARCH_WINDOW, limit)).fetchall()
                if len(rows) == limit:
                    break
            found = [Match(row[0], _story(row[2:]), float(row[1])) for row in rows]
            if len(found) < limit:
                known = [match.id for match in found]
                words_query = self._query(db, "websearch_to_tsquery", whole)
                wanted = limit - len(found)
                few = _few(stories, wanted, newest, TEXT_WALK_COST)
                for walk in _walks(few, wanted, newest, stories):
                    rows = db.execute(sql.SQL(
                        "WITH t(q) AS MATERIALIZED (SELECT {query}) "
                        "SELECT s.id, ts_rank(%s, s.document, q), {columns} FROM stories AS s, t "
                        "WHERE s.id IN ({newest}) ORDER BY s.id DESC"
                    ).format(columns=sql.SQL(_SELECT), query=words_query, newest=_newest(
                        "document", words_query, walk is None, "NOT m.id = ANY(%s)",
                        walk=walk)),
                        (_RANK_WEIGHTS, known, wanted)).fetchall()
                    if len(rows) == wanted:
                        break
                found += [Match(row[0], _story(row[2:]), float(row[1])) for row in rows]
            if not found and len(query.strip()) >= 4:
                rows = db.execute(
                    f"SELECT s.id, similarity(lower(s.title), %s) AS relevance, {_SELECT} "
                    "FROM stories AS s WHERE lower(s.title) %% %s "
                    "ORDER BY relevance DESC, s.id DESC LIMIT %s",  # ties: the newest first
                    (query.lower(), query.lower(), limit)).fetchall()
                found = [Match(row[0], _story(row[2:]), float(row[1])) for row in rows]
        return found

    def _estimates(self, db: psycopg.Connection[Any], terms: Sequence[str]
                   ) -> tuple[int, int, int, int, int]:
        """About how many titles match ``terms`` (the last one as a prefix) and how many
        stories hold the words typed in full, from the word counts (as if the words were
        independent); the newest story's id (about how many stories there are); how many
        titles hold a word the prefix begins, and how many the words before it."""
        whole = list(terms[:-1] or terms)
        last = terms[-1]
        row = db.execute(
            "SELECT (SELECT coalesce(sum(titles), 0) FROM term_counts "
            "        WHERE lexeme >= %s AND lexeme < %s), "
            "(SELECT array_agg(n) FROM (SELECT coalesce(sum(c.titles), 0) AS n "
            "        FROM unnest(%s::text[]) AS t(term) "
            "        LEFT JOIN term_counts AS c ON c.lexeme = t.term GROUP BY t.term) AS w), "
            "(SELECT array_agg(n) FROM (SELECT coalesce(sum(c.docs), 0) AS n "
            "        FROM unnest(%s::text[]) AS t(term) "
            "        LEFT JOIN term_counts AS c ON c.lexeme = t.term GROUP BY t.term) AS w), "
            "(SELECT coalesce(max(id), 0) FROM stories)",
            (last, last[:-1] + chr(ord(last[-1]) + 1), list(terms[:-1]), whole)).fetchone()
        prefixed, titled, stored, newest = row if row else (0, None, None, 0)
        newest = max(int(newest), 1)

        def together(counts: Iterable[int]) -> int:
            share = 1.0
            for count in counts:
                share *= min(int(count), newest) / newest
            return round(newest * share)

        return (together([prefixed, *(titled or [])]), together(stored or [0]), newest,
                int(prefixed), together(titled or []))

    def match_any(self, terms: Sequence[str], *, limit: int, published_by: str = "",
                  exclude_keys: Iterable[str] = ()) -> list[Match]:
        """Best first by ``ts_rank``, ranked over few stories: those with a word in their title
        or tags, or with two of the words or more. Every other match holds just one word and
        only in its text, so ranks below all of them (a word's share of the rank is at most
        its best weight, and at least that weight ÷ π²/6); only when fewer than ``limit``
        are found is every match ranked."""
        if not terms:
            return []
        conditions = []
        parameters: list[object] = []
        if published_by:
            conditions.append(sql.SQL(" AND (s.date = '' OR left(s.date, 10) <= %s)"))
            parameters.append(published_by[:10])
        excluded = list(exclude_keys)
        if excluded:
            conditions.append(sql.SQL(" AND NOT s.key = ANY(%s)"))
            parameters.append(excluded)
        with self._connection() as db:
            lexemes = sorted({lexeme for lexemes in self._lexemes(db, terms).values()
                              for lexeme in lexemes})
            if not lexemes:
                return []
            any_of = " | ".join(map(_lexeme, lexemes))
            two_of = " | ".join(f"({_lexeme(first)} & ({' | '.join(map(_lexeme, rest))}))"
                                for first, rest in ((lexemes[n], lexemes[n + 1:])
                                                    for n in range(len(lexemes) - 1)))
            # The ids first (from the GIN indexes), then those stories by their key: the
            # planner, unaware that reading a story's vector is costly, would scan them all.
            # Only the best are read whole (a text's start is a lookup in the TOAST table).
            ranked = sql.SQL(
                "WITH best AS (SELECT s.id, ts_rank(%s, s.document, %s::tsquery) AS relevance "
                "FROM stories AS s WHERE s.id = ANY(ARRAY({ids})){conditions} "
                "ORDER BY relevance DESC, s.id LIMIT %s) "
                "SELECT s.id, best.relevance, {columns} FROM best JOIN stories AS s USING (id) "
                "ORDER BY best.relevance DESC, s.id")
            few = "SELECT id FROM stories WHERE heading_document @@ %s::tsquery" + (
                " UNION SELECT id FROM stories WHERE document @@ %s::tsquery" if two_of else "")
            rows = db.execute(ranked.format(
                columns=sql.SQL(_SELECT), ids=sql.SQL(few), conditions=sql.Composed(conditions)),
                (_RANK_WEIGHTS, any_of, any_of, *([two_of] if two_of else []), *parameters,
                 limit)).fetchall()
            if len(rows) < limit:
                rows = db.execute(ranked.format(
                    columns=sql.SQL(_SELECT), conditions=sql.Composed(conditions),
                    ids=sql.SQL("SELECT id FROM stories WHERE document @@ %s::tsquery")),
                    (_RANK_WEIGHTS, any_of, any_of, *parameters, limit)).fetchall()
        return [Match(row[0], _story(row[2:]), float(row[1])) for row in rows]

    def _lexemes(self, db: psycopg.Connection[Any], terms: Iterable[str]
                 ) -> dict[str, tuple[str, ...]]:
        """Each term as the configurations in use index it (its English stem, as written…);
        kept, since the ranking asks for the same words again and again."""
        configs = self._in_use(db)
        wanted = list(dict.fromkeys(terms))
        missing = [term for term in wanted if (configs, term) not in self._lexeme_cache]
        if missing:
            found: dict[str, list[str]] = {term: [] for term in missing}
            for term, lexeme in db.execute(
                    "SELECT DISTINCT t.term, v.lexeme FROM unnest(%s::text[]) AS t(term), "
                    "unnest(%s::regconfig[]) AS f(config), "
                    "unnest(tsvector_to_array(to_tsvector(f.config, t.term))) AS v(lexeme)",
                    (missing, list(configs))):
                found[term].append(lexeme)
            self._remember_lexemes(configs, found)
        return {term: self._lexeme_cache.get((configs, term), ()) for term in wanted}

    def _remember_lexemes(self, configs: tuple[str, ...],
                          found: Mapping[str, Sequence[str]]) -> None:
        if len(self._lexeme_cache) > 100_000:
            self._lexeme_cache.clear()
        for term, lexemes in found.items():
            self._lexeme_cache[(configs, term)] = tuple(sorted(lexemes))

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """Looked up in ``term_counts``: each term as every configuration in use indexes it
        (its stem in English stories, as written in others), its stories added up."""
        wanted = list(dict.fromkeys(terms))
        if not wanted:
            return {}
        with self._connection() as db:
            # Each count looked up by its key (a subquery): asked for many words at once, a
            # join would read the whole table. The terms' lexemes come along: the ranking
            # asks to match the words whose frequencies it has just looked up.
            configs = self._in_use(db)
            rows = db.execute(
                "SELECT t.term, coalesce(sum((SELECT c.docs FROM term_counts AS c "
                "    WHERE c.lexeme = v.lexeme AND c.config = f.config)), 0), "
                "array_agg(DISTINCT v.lexeme) FILTER (WHERE v.lexeme IS NOT NULL) "
                "FROM unnest(%s::text[]) AS t(term) "
                "CROSS JOIN unnest(%s::regconfig[]) AS f(config) "
                "LEFT JOIN LATERAL unnest(to_tsvector(f.config, t.term)) AS v ON true "
                "GROUP BY t.term", (wanted, list(configs))).fetchall()
        self._remember_lexemes(configs, {term: lexemes or () for term, _, lexemes in rows})
        return {term: int(count) for term, count, _ in rows}

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._pool.close(timeout=1)


def _schema_version(db: psycopg.Connection[Any]) -> int:
    """The schema's version; 0 for an empty database, -1 for another program's tables."""
    # From the catalog's tables, not to_regclass(): its cache may not yet see a table another
    # editor's migration has just committed. One statement, so one snapshot: that migration
    # cannot commit between looking for our table and looking for others.
    found = db.execute("SELECT count(*) FILTER (WHERE tablename = 'schema_version'), count(*) "
                       "FROM pg_tables WHERE schemaname = current_schema()").fetchone()
    ours, tables = found if found else (0, 0)
    if ours:
        row = db.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0
    return -1 if tables else 0


def _few(matches: int, window: int, stories: int, walking_cost: float,
         read: int | None = None) -> bool:
    """Whether the newest ``window`` of ``matches`` stories are best found by sorting all the
    matches (from the GIN index; ``read`` of them when the index is asked for fewer words)
    rather than by walking the ``stories`` newest first, which visits about window × stories
    ÷ matches of them at ``walking_cost`` times a match's cost each (``TITLE_WALK_COST``,
    ``TEXT_WALK_COST``)."""
    return (matches if read is None else read) * max(matches, 1) <= \
        window * max(stories, 1) * walking_cost


def _walks(few: bool, wanted: int, stories: int, matches: int) -> list[int | None]:
    """How far each try reads, in turn (None: the GIN index, however many it finds).

    A walk for the newest ``wanted`` of ``matches`` among ``stories`` (matches counted per
    word, as the word counts say) should read about wanted × stories ÷ matches of them. Words
    that seldom meet would have it read every story (1.6 s at a million), so it stops after
    ``WALK_SLACK`` times that, and the index is asked for what it did not find. When the index
    is the cheaper way (``few``), only the index.
    """
    if few:
        return [None]
    return [WALK_SLACK * wanted * stories // max(matches, 1), None]


def _newest(vector: str, query: sql.Composable, few: bool, condition: str = "",
            index_query: sql.Composable | None = None, walk: int | None = None
            ) -> sql.Composable:
    """The ids of the newest stories ``m`` whose ``vector`` matches ``query`` (and
    ``condition``), as many as the next parameter says; ``index_query`` (fewer words) is
    what the GIN index is asked, when the whole query is only tested on what it finds;
    ``walk``, how many of the newest stories a walk reads at most."""
    also: sql.Composable = sql.SQL(f" AND {condition}" if condition else "")
    if few:  # all the matches from the index, then the newest: the walk is kept out
        if index_query is not None:
            also = sql.SQL(" AND (m.{} @@ ({})) IS TRUE").format(
                sql.Identifier(vector), query) + also
            query = index_query
        return sql.SQL("SELECT id FROM (SELECT m.id FROM stories AS m WHERE m.{} @@ ({}){} "
                       "OFFSET 0) AS found ORDER BY id DESC LIMIT %s").format(
                           sql.Identifier(vector), query, also)
    # "IS TRUE" keeps the GIN index out of the walk; the query is written out (not taken from
    # the CTE), so that the planner sees its words and knows they are common.
    stories = sql.SQL("stories") if walk is None else sql.SQL(
        "(SELECT id, {} FROM stories ORDER BY id DESC LIMIT {})").format(
            sql.Identifier(vector), sql.Literal(walk))
    return sql.SQL("SELECT m.id FROM {} AS m WHERE (m.{} @@ ({})) IS TRUE{} "
                   "ORDER BY m.id DESC LIMIT %s").format(stories, sql.Identifier(vector), query,
                                                        also)


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _reason(error: Exception, url: str) -> str:
    """The server's one-line reason, without the URL's password."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, psycopg.errors.QueryCanceled):
        message = "a query ran past its time limit"
    elif "password authentication failed" in message or "no password supplied" in message:
        message = "the server refused the user name or password (see .pgpass or the service file)"
    return redacted(message.replace(url, redacted(url)))


def _story(row: Sequence[Any]) -> Story:
    (title, url, date, author, section, tags, teaser, image, image_alt, text, source,
     external, language) = row
    return Story(title=title, url=url, date=date, author=author, section=section,
                 tags=[tag for tag in tags.split("\n") if tag], teaser=teaser, image=image,
                 image_alt=image_alt, text=text, source=source, external=bool(external),
                 language=language)
