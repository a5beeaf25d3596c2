"""A large add into a server library, loaded on every core and swapped in at the end.

One transaction runs in one server process, on one core: adding batch by batch into the
indexed table, or dropping and rebuilding its indexes in one transaction, leaves the other
core idle. A bulk load instead fills a copy of the stories' table that readers never see
(``stories_load``: no search indexes, no word-count triggers, only the unique key), one
connection per core and each batch its own transaction; then it builds the search indexes on
it (two at a time) and counts its words in one set-based pass (``ts_stat``), and swaps it in
with one short transaction. Readers meanwhile search the library as it was, and wait only for
the swap (milliseconds). Writers meanwhile write to the library as it was; a trigger notes the
stories they touch, and the swap carries those over, so no writer's story is lost and each
canonical URL stays one story (a writer's version wins over the load's). A killed load leaves
the library exactly as it was: the tables it fills are dropped by the next load, or by the next
writer to open the library.
"""

from __future__ import annotations

import contextlib
import queue
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import psycopg
from psycopg import sql

from editor.library.story import Story

# A load is worth it for an add of BULK_LOAD_MIN stories or more into a library holding at most
# BULK_LOAD_SHARE times as many. Measured at 100,000 generated stories on 2 cores
# (bench/library_postgres.py): batch by batch a story costs the server about 590 µs of CPU
# with one writer (1,750 stories/s) and 720 µs with two, whose transactions wait for each other
# (1,720/s; 2,545/s at a million); loaded, 440 µs spread over both cores (load 254, indexes and
# word counts 182), and each story already in the library is copied into the load and indexed
# again at about the same cost. N stories into a library of H then take about
# (N + H) × 220 µs against N × 390-570 µs: the load is ahead while H < 0.8 N (two writers) or
# 1.5 N (one). At H ≤ N / 2 it is still 1.2-1.7 times as fast. Below 10,000 stories its fixed
# part (statistics, swap: about 2 s) eats the gain.
BULK_LOAD_MIN = 10_000
BULK_LOAD_SHARE = 0.5
LOADERS = 2  # connections loading (and then indexing) at once: one per core of the server
BUILD_MEMORY = "1GB"  # maintenance_work_mem of each index build
SWAP_LOCK_MS = 500  # longest a reader waits for the swap per try (then it tries again)
SWAP_TRIES_S = 120  # how long the swap keeps trying to find a moment without a writer in flight
LOAD_LOCK_ID = 0x4145_4C4C  # advisory lock held by the connection that runs a load: "AELL"

LOAD_TABLES = ("stories_load", "sources_load", "term_counts_load", "term_counts_parts",
               "stories_load_changes")
_NOTE_FUNCTION = "stories_load_note"
_LOADED = ("id", "key", "title", "url", "date", "author", "section", "tags", "teaser", "image",
           "image_alt", "text", "source", "external", "language", "config")
_KEPT = _LOADED[1:]  # what a story carried over from the library keeps (a new id)

Connect = Callable[[], psycopg.Connection[Any]]


def leftovers(db: psycopg.Connection[Any]) -> bool:
    """Whether a load that ended without finishing left its tables or its trigger behind."""
    row = db.execute("SELECT to_regclass('stories_load') IS NOT NULL "
                     "OR to_regclass('stories_load_changes') IS NOT NULL "
                     f"OR to_regprocedure('{_NOTE_FUNCTION}()') IS NOT NULL").fetchone()
    return bool(row and row[0])


def drop_leftovers(db: psycopg.Connection[Any]) -> None:
    """Drop what an unfinished load left (its tables; its trigger on the stories, with the
    function): the library itself is untouched. Only when no load is running, and only if it
    can be done at once (dropping the trigger waits for the readers in flight, and readers
    wait for it): otherwise the next load or writer to open the library does it."""
    with contextlib.suppress(psycopg.Error), db.transaction():
        db.execute(f"SET LOCAL lock_timeout = {SWAP_LOCK_MS}")
        if not db.execute("SELECT pg_try_advisory_xact_lock(%s)", (LOAD_LOCK_ID,)).fetchone()[0]:  # type: ignore[index]  # a SELECT of a function returns a row
            return
        db.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(
            sql.SQL(", ").join(map(sql.Identifier, LOAD_TABLES))))
        db.execute(f"DROP FUNCTION IF EXISTS {_NOTE_FUNCTION}() CASCADE")


def _setting_up(db: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
    db.execute("SET statement_timeout = 0; SET lock_timeout = 0; SET synchronous_commit = off; "
               f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
    # A story's row is too wide to stay whole, so the server tries to compress its vectors,
    # which seldom shrink: with pglz that was 9 % of the load's CPU (about 25 µs a story);
    # lz4 gives up sooner. Servers before 14, or built without lz4, keep pglz.
    with contextlib.suppress(psycopg.Error):
        db.execute("SET default_toast_compression = lz4")
    return db


class BulkLoad:
    """One bulk load: :meth:`start` it, :meth:`add` batches (each is loaded by one of the
    ``LOADERS`` connections in a transaction of its own, while the caller reads the next),
    then :meth:`finish` (indexes, counts, swap) or :meth:`abandon` (nothing changes)."""

    def __init__(self, connect: Connect, config_of: Callable[[Story], str],
                 on_phase: Callable[[str], None] | None = None) -> None:
        self._connect = connect
        self._config_of = config_of
        self._on_phase = on_phase or (lambda phase: None)
        self._holder: psycopg.Connection[Any] | None = None
        self._local = threading.local()
        self._connections: list[psycopg.Connection[Any]] = []
        self._pool: ThreadPoolExecutor | None = None
        self._in_flight: list[Future[None]] = []  # batches being loaded, oldest first
        self._seen: set[int] = set()  # hashes of the keys loaded so far: re-given ones replace
        self._next_id = 1
        self._copied_up_to = 0  # ids up to this one are stories copied from the library
        self._reread: set[str] = set()  # sources loaded again: their copied stories go
        self._kept: list[int] = []  # ids of copied stories given again, kept as batches do
        self._configs: set[str] = set()

    # --- starting -------------------------------------------------------------------------

    def start(self, expected: int, share: float = BULK_LOAD_SHARE) -> bool:
        """Make the load's tables, if the add of ``expected`` stories is large against the
        library, this role owns it, and no other load runs; False (nothing done) otherwise."""
        holder = self._holder = _setting_up(self._connect())
        wanted = False
        try:
            most = int(expected * share)
            row = holder.execute(
                "SELECT pg_has_role(relowner, 'USAGE') AND (SELECT count(*) FROM ("
                "SELECT FROM stories LIMIT %s) AS held) <= %s FROM pg_class "
                "WHERE oid = 'stories'::regclass", (most + 1, most)).fetchone()
            wanted = bool(row and row[0]) and bool(holder.execute(
                "SELECT pg_try_advisory_lock(%s)", (LOAD_LOCK_ID,)).fetchone()[0])  # type: ignore[index]  # a SELECT of a function returns a row
            if wanted:
                self._on_phase("load")
                self._pool = ThreadPoolExecutor(LOADERS, thread_name_prefix="library-load")
                self._make_tables(holder)
                self._copy_library()
        except BaseException:
            self.abandon()
            raise
        if not wanted:
            self._close()
        return wanted

    def _make_tables(self, db: psycopg.Connection[Any]) -> None:
        """The load's tables, and the trigger that notes what writers change meanwhile
        (creating it waits for the writers in flight: what they wrote is in the copy)."""
        schema = db.execute("SELECT current_schema()").fetchone()[0]  # type: ignore[index]  # always a row
        if leftovers(db):
            drop_leftovers(db)
        with db.transaction():
            db.execute(
                "CREATE TABLE stories_load (LIKE stories INCLUDING DEFAULTS INCLUDING GENERATED "
                "INCLUDING IDENTITY INCLUDING STORAGE); "
                "CREATE TABLE sources_load (LIKE sources INCLUDING ALL); "
                "CREATE TABLE term_counts_load (LIKE term_counts INCLUDING ALL); "
                "CREATE UNLOGGED TABLE term_counts_parts (config regconfig NOT NULL, "
                "  lexeme text NOT NULL, docs bigint NOT NULL, titles bigint NOT NULL); "
                "CREATE TABLE stories_load_changes (key text NOT NULL, source text)")
            for name, definition in _constraints(db, "stories", "u"):
                db.execute(sql.SQL("ALTER TABLE stories_load ADD CONSTRAINT {} {}").format(
                    sql.Identifier(name + "_load"), sql.SQL(definition)))
            # Runs as its owner (a writer without rights on the load's tables is noted too).
            db.execute(sql.SQL(
                "CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
                "SET search_path = {schema}, pg_temp AS $$ BEGIN "
                "IF TG_OP <> 'INSERT' THEN "
                "  INSERT INTO stories_load_changes SELECT key, source FROM old_rows; END IF; "
                "IF TG_OP <> 'DELETE' THEN "
                "  INSERT INTO stories_load_changes SELECT key, source FROM new_rows; END IF; "
                "RETURN NULL; END $$").format(function=sql.Identifier(_NOTE_FUNCTION),
                                               schema=sql.Identifier(schema)))
            for event, tables in (("INSERT", "NEW TABLE AS new_rows"),
                                  ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                                  ("DELETE", "OLD TABLE AS old_rows")):
                db.execute(f"CREATE TRIGGER {_NOTE_FUNCTION}_{event.lower()} AFTER {event} ON "
                           f"stories REFERENCING {tables} FOR EACH STATEMENT "
                           f"EXECUTE FUNCTION {_NOTE_FUNCTION}()")

    def _copy_library(self) -> None:
        """The stories already in the library into the load, with their ids (half each
        connection); the ids of the stories loaded come after them."""
        assert self._holder is not None
        row = self._holder.execute("SELECT coalesce(min(id), 0), coalesce(max(id), 0) "
                                   "FROM stories").fetchone()
        low, high = row if row else (0, 0)
        self._copied_up_to = high
        self._next_id = high + 1
        self._configs.update(name for (name,) in self._holder.execute(
            "SELECT config::text FROM configs"))
        if not high:
            return
        middle = (low + high) // 2 + 1
        columns = sql.SQL(", ").join(map(sql.Identifier, _LOADED))

        def copy(bounds: tuple[int, int]) -> list[str]:
            with self._loader().transaction():
                return [key for (key,) in self._loader().execute(sql.SQL(
                    "INSERT INTO stories_load ({c}) OVERRIDING SYSTEM VALUE SELECT {c} "
                    "FROM stories WHERE id >= %s AND id < %s RETURNING key").format(c=columns),
                    bounds)]

        assert self._pool is not None
        for keys in self._pool.map(copy, [(low, middle), (middle, high + 1)]):
            self._seen.update(map(hash, keys))

    def _loader(self) -> psycopg.Connection[Any]:
        """This thread's connection (each loader thread has one)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = _setting_up(self._connect())
            self._connections.append(db)
        return db

    # --- loading ----------------------------------------------------------------------------

    def add(self, stories: Sequence[tuple[Story, str | None]],
            sources: Sequence[tuple[str, int, int]] = ()) -> None:
        """Load ``stories`` (each with its source file; the last given for a key wins, as
        later ones replace earlier ones) and ``sources`` (path, mtime_ns, size), which replace
        what those files held before. Returns once a loader has taken the batch."""
        assert self._pool is not None
        given = {story.key: (story, source) for story, source in stories}
        keys = sorted(given)
        hashes = set(map(hash, keys))
        again = hashes & self._seen
        paths = [path for path, _, _ in sources]
        repeated = [path for path in paths if path in self._reread]
        if again or repeated:  # given before, perhaps in a batch still loading: that one first
            self._wait(len(self._in_flight))
        self._wait(len(self._in_flight) - 2 * LOADERS + 1)
        self._seen |= hashes
        rows = []
        for number, key in enumerate(keys, self._next_id):
            story, source = given[key]
            config = self._config_of(story)
            self._configs.add(config)
            rows.append((number, key, story.title, story.url, story.date, story.author,
                         story.section, "\n".join(story.tags), story.teaser, story.image,
                         story.image_alt, story.text, source, story.external, story.language,
                         config))
        self._next_id += len(keys)
        self._reread.update(paths)
        replaced = [key for key in keys if hash(key) in again]
        dropped = set(self._reread) if replaced else set()
        self._in_flight.append(self._pool.submit(self._load, rows, list(sources), replaced,
                                                 repeated, dropped))

    def _wait(self, batches: int) -> None:
        """Wait for the oldest ``batches`` still loading (an error in one is raised here)."""
        while batches > 0 and self._in_flight:
            self._in_flight.pop(0).result()
            batches -= 1

    def _load(self, rows: list[tuple[Any, ...]], sources: list[tuple[str, int, int]],
              replaced: list[str], repeated: list[str], dropped: set[str]) -> None:
        """One batch, in a transaction: its sources, then its stories (COPY). A story given
        again keeps its id, as an upsert batch by batch keeps it, unless its file was read
        again since (batch by batch, that removed it first)."""
        db = self._loader()
        kept: dict[str, int] = {}
        with db.transaction():
            if sources:
                db.execute("INSERT INTO sources_load (path, mtime_ns, size) SELECT * FROM unnest("
                           "%s::text[], %s::bigint[], %s::bigint[]) ON CONFLICT (path) DO UPDATE "
                           "SET mtime_ns = excluded.mtime_ns, size = excluded.size",
                           [list(column) for column in zip(*sources, strict=True)])
            if replaced or repeated:  # seldom: the library or an earlier batch gave them
                here = {path for path, _, _ in sources}
                for key, number, source in db.execute(
                        "DELETE FROM stories_load WHERE key = ANY(%s) OR source = ANY(%s) "
                        "RETURNING key, id, source", (replaced, repeated)):
                    if source is None or source not in (
                            dropped if number <= self._copied_up_to else here):
                        kept[key] = number
            with db.cursor().copy(sql.SQL("COPY stories_load ({}) FROM STDIN").format(
                    sql.SQL(", ").join(map(sql.Identifier, _LOADED)))) as copy:
                for row in rows:
                    copy.write_row((kept.get(row[1], row[0]), *row[1:]))
        self._kept.extend(number for number in kept.values() if number <= self._copied_up_to)

    # --- finishing --------------------------------------------------------------------------

    def finish(self) -> None:
        """Indexes and word counts built on the load (both connections busy), then the swap;
        on any error, :meth:`abandon`."""
        holder = self._holder
        assert holder is not None
        try:
            self._wait(len(self._in_flight))
            self._on_phase("indexes and counts")
            if self._copied_up_to and self._reread:  # stories of files read again: replaced
                holder.execute("DELETE FROM stories_load WHERE id <= %s AND source = ANY(%s) "
                               "AND NOT id = ANY(%s)",
                               (self._copied_up_to, sorted(self._reread), self._kept))
            holder.execute("SELECT setval(pg_get_serial_sequence('stories_load', 'id'), %s)",
                           (max(self._next_id - 1, 1),))
            self._build()
            self._on_phase("swap")
            foreign = self._swap()
        except BaseException:
            self.abandon()
            raise
        try:
            for name in foreign:  # checking reads every story, keeping no reader or writer out
                holder.execute(sql.SQL("ALTER TABLE stories VALIDATE CONSTRAINT {}").format(
                    sql.Identifier(name)))
            self._on_phase("done")
        finally:
            self._close()

    def _build(self) -> None:
        """Every index of the stories (but the unique key, there already) and the word counts,
        longest first, on ``LOADERS`` connections; then the statistics."""
        assert self._holder is not None and self._pool is not None
        db = self._holder
        tasks: list[tuple[int, sql.Composed]] = []  # the text's index takes longest
        for name, definition in _indexes(db, "stories"):
            using = re.search(r" USING .*$", definition)
            assert using is not None  # pg_get_indexdef always names the method
            tasks.append((3 if using.group(0).endswith("(document)") else 1, sql.SQL(
                "CREATE INDEX {} ON stories_load{}").format(
                    sql.Identifier(name + "_load"), sql.SQL(using.group(0)))))
        for name, definition in _constraints(db, "stories", "p"):
            tasks.append((1, sql.SQL("ALTER TABLE stories_load ADD CONSTRAINT {} {}").format(
                sql.Identifier(name + "_load"), sql.SQL(definition))))
        # The word counts: how many stories hold each word, and how many titles, per
        # configuration, over each half of the table (its blocks), added up afterwards.
        blocks = int(db.execute("SELECT pg_relation_size('stories_load') / "
                                "current_setting('block_size')::int").fetchone()[0]) + 1  # type: ignore[index]  # always a row
        halves = ((0, blocks // 2), (blocks // 2, blocks + 1))
        for vector, weight, counted in (("document", 2, "{}::regconfig, word, ndoc, 0"),
                                        ("title_document", 1, "{}::regconfig, word, 0, ndoc")):
            for config in sorted(self._configs):
                for low, high in halves:
                    stories = sql.SQL(
                        "SELECT {} FROM stories_load WHERE config = {}::regconfig AND "
                        "ctid >= {}::tid AND ctid < {}::tid").format(
                            sql.Identifier(vector), sql.Literal(config),
                            sql.Literal(f"({low},0)"), sql.Literal(f"({high},0)"))
                    tasks.append((weight, sql.SQL(
                        "INSERT INTO term_counts_parts SELECT " + counted + " FROM ts_stat({})"
                    ).format(sql.Literal(config), sql.Literal(stories.as_string(db)))))
        waiting: queue.SimpleQueue[sql.Composed] = queue.SimpleQueue()
        for _, task in sorted(tasks, key=lambda task: -task[0]):
            waiting.put(task)

        def work(_: int) -> None:
            while True:
                try:
                    statement = waiting.get_nowait()
                except queue.Empty:
                    return
                self._loader().execute(statement)

        list(self._pool.map(work, range(LOADERS)))
        db.execute("INSERT INTO term_counts_load (config, lexeme, docs, titles) "
                   "SELECT config, lexeme, sum(docs), sum(titles) FROM term_counts_parts "
                   "GROUP BY 1, 2 ORDER BY 2, 1; DROP TABLE term_counts_parts; "
                   "ANALYZE stories_load; ANALYZE term_counts_load")

    def _swap(self) -> list[str]:
        """One transaction: the load becomes the stories (with their triggers, foreign key and
        grants), its counts the word counts; the stories writers changed meanwhile are taken
        from the library as they left them. It first waits for a moment with no writer in
        flight (without holding anything, so that it never deadlocks with one); readers wait
        only while it renames the tables, at most ``SWAP_LOCK_MS`` a try."""
        assert self._holder is not None
        db = self._holder
        given_up = time.monotonic() + SWAP_TRIES_S
        pause = 0.02
        while True:
            try:
                with db.transaction():
                    db.execute(f"SET LOCAL lock_timeout = {SWAP_LOCK_MS}")
                    db.execute("LOCK TABLE sources, stories IN EXCLUSIVE MODE NOWAIT")
                    return self._swap_in(db)
            except (psycopg.errors.LockNotAvailable, psycopg.errors.DeadlockDetected):
                if time.monotonic() > given_up:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 1.0)

    def _swap_in(self, db: psycopg.Connection[Any]) -> list[str]:
        """The swap's work, in its transaction; gives the foreign keys left to check."""
        db.execute("SELECT set_config('article_editor.defer_term_counts', 'on', true)")
        keys, paths = db.execute(
            "SELECT coalesce(array_agg(DISTINCT key), '{}'), coalesce(array_agg(DISTINCT "
            "source) FILTER (WHERE source IS NOT NULL), '{}') FROM stories_load_changes"
        ).fetchone() or ([], [])
        db.execute("INSERT INTO sources (path, mtime_ns, size) SELECT path, mtime_ns, size "
                   "FROM sources_load WHERE NOT path = ANY(%s) ON CONFLICT (path) DO UPDATE "
                   "SET mtime_ns = excluded.mtime_ns, size = excluded.size", (paths,))
        db.execute("INSERT INTO configs SELECT unnest(%s::regconfig[]) ON CONFLICT DO NOTHING",
                   (sorted(self._configs),))
        triggers = [definition for (definition,) in db.execute(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'stories'::regclass "
            "AND NOT tgisinternal AND tgfoid <> %s::regprocedure", (f"{_NOTE_FUNCTION}()",))]
        foreign = _constraints(db, "stories", "f")
        grants = {table: _grants(db, table) for table in ("stories", "term_counts")}
        renamed = [(name, "constraint") for name, _ in _constraints(db, "stories", "pu")]
        renamed += [(name, "index") for name, _ in _indexes(db, "stories")]
        counts_keys = list(zip([name for name, _ in _constraints(db, "term_counts_load", "p")],
                               [name for name, _ in _constraints(db, "term_counts", "p")],
                               strict=True))
        # From here readers wait (the tables are renamed), until the commit.
        db.execute("ALTER TABLE stories RENAME TO stories_replaced; "
                   "ALTER TABLE term_counts RENAME TO term_counts_replaced; "
                   "ALTER TABLE stories_load RENAME TO stories; "
                   "ALTER TABLE term_counts_load RENAME TO term_counts")
        for definition in triggers:
            db.execute(definition)  # type: ignore[arg-type]  # the server's own SQL
        if keys or paths:  # what writers changed meanwhile, as they left it (counted)
            columns = sql.SQL(", ").join(map(sql.Identifier, _KEPT))
            db.execute("DELETE FROM stories WHERE key = ANY(%s) OR source = ANY(%s)",
                       (keys, paths))
            db.execute(sql.SQL(
                "INSERT INTO stories ({c}) SELECT {c} FROM stories_replaced "
                "WHERE key = ANY(%s) OR source = ANY(%s) ORDER BY key "
                "ON CONFLICT (key) DO UPDATE SET {s}").format(
                    c=columns, s=sql.SQL(", ").join(
                        sql.SQL("{0} = excluded.{0}").format(sql.Identifier(name))
                        for name in _KEPT[1:])), (keys, paths))
        sequence = db.execute("SELECT pg_get_serial_sequence('stories_replaced', 'id'), "
                              "pg_get_serial_sequence('stories', 'id')").fetchone()
        db.execute("DROP TABLE stories_replaced, term_counts_replaced, stories_load_changes, "
                   f"sources_load; DROP FUNCTION {_NOTE_FUNCTION}()")
        for name, kind in renamed:
            db.execute(sql.SQL("ALTER TABLE stories RENAME CONSTRAINT {} TO {}").format(
                sql.Identifier(name + "_load"), sql.Identifier(name))
                if kind == "constraint" else sql.SQL("ALTER INDEX {} RENAME TO {}").format(
                    sql.Identifier(name + "_load"), sql.Identifier(name)))
        for loaded, name in counts_keys:
            db.execute(sql.SQL("ALTER TABLE term_counts RENAME CONSTRAINT {} TO {}").format(
                sql.Identifier(loaded), sql.Identifier(name)))
        if sequence and sequence[0] and sequence[1]:
            db.execute(sql.SQL("ALTER SEQUENCE {} RENAME TO {}").format(
                sql.SQL(sequence[1]), sql.Identifier(sequence[0].rsplit(".", 1)[-1])))
        for name, definition in foreign:  # every story's source is there: checked later
            db.execute(sql.SQL("ALTER TABLE stories ADD CONSTRAINT {} {} NOT VALID").format(
                sql.Identifier(name), sql.SQL(definition)))
        for table, statements in grants.items():
            for privilege, grantee in statements:
                db.execute(sql.SQL("GRANT {} ON {} TO {}").format(
                    sql.SQL(privilege), sql.Identifier(table), sql.SQL(grantee)))
        db.execute("SELECT fold_term_deltas()")
        return [name for name, _ in foreign]

    # --- ending -----------------------------------------------------------------------------

    def abandon(self) -> None:
        """Stop loading and drop the load's tables: the library stays as it was (if the
        server cannot be reached now, the next load or writer to open it drops them)."""
        try:
            for future in self._in_flight:
                future.cancel()
            self._in_flight = []
            if self._pool is not None:
                self._pool.shutdown()
            holder = self._holder
            if holder is not None and not holder.closed:
                with contextlib.suppress(psycopg.Error):
                    holder.execute("SELECT pg_advisory_unlock_all()")
                    drop_leftovers(holder)
        finally:
            self._close()

    def _close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        for db in [*self._connections, *([self._holder] if self._holder is not None else [])]:
            db.close()  # ends its session: the advisory lock goes with the holder's
        self._connections = []
        self._holder = None


def _indexes(db: psycopg.Connection[Any], table: str) -> list[tuple[str, str]]:
    """The indexes of ``table`` that no constraint makes: name and definition."""
    return [(name, definition) for name, definition in db.execute(
        "SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index AS i "
        "JOIN pg_class AS c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass AND NOT "
        "EXISTS (SELECT FROM pg_constraint AS k WHERE k.conindid = i.indexrelid) ORDER BY 1",
        (table,))]


def _constraints(db: psycopg.Connection[Any], table: str, kinds: str
                 ) -> list[tuple[str, str]]:
    """The constraints of ``table`` of the ``kinds`` (p, u, f): name and definition."""
    return [(name, definition) for name, definition in db.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = ANY(%s) ORDER BY 1",
        (table, list(kinds)))]


def _grants(db: psycopg.Connection[Any], table: str) -> list[tuple[str, str]]:
    """What others than the owner may do with ``table`` (privilege, grantee) as SQL."""
    return [(privilege, grantee) for privilege, grantee in db.execute(
        "SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' "
        "ELSE quote_ident(r.rolname) END FROM pg_class AS c, aclexplode(c.relacl) AS a "
        "LEFT JOIN pg_roles AS r ON r.oid = a.grantee "
        "WHERE c.oid = %s::regclass AND a.grantee <> c.relowner", (table,))]


def language_config(configs: dict[str, str]) -> Callable[[Story], str]:
    """A story's text-search configuration from its language (as the batch path does)."""
    return lambda story: configs.get(story.language[:2].lower(), "simple")

