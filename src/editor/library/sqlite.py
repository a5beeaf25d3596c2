"""The library in one SQLite file: stories, their sources, and an FTS5 full-text index.

WAL mode lets the dock search while a worker thread indexes. The file is marked as ours
(``application_id``) and carries its schema version (``user_version``); a file that is not an
SQLite database, is damaged, or belongs to another program is moved aside and a new library
made in its place, with a :class:`LibraryError` saying so: never silently emptied.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from editor.library.store import LibraryError, SourceStories
from editor.library.story import Match, Story, words

APPLICATION_ID = 0x4145_4C42  # "AELB": Article Editor library
SCHEMA_VERSION = 2  # 2: document frequencies kept in a table (term_counts)
# Column weights of the full-text relevance: title, tags, text.
_WEIGHTS = (6.0, 2.0, 1.0)

_SCHEMA = """
CREATE TABLE roots (
    path TEXT PRIMARY KEY,
    permalink TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE sources (
    path TEXT PRIMARY KEY,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    date TEXT NOT NULL,
    author TEXT NOT NULL,
    section TEXT NOT NULL,
    tags TEXT NOT NULL,
    teaser TEXT NOT NULL,
    image TEXT NOT NULL,
    image_alt TEXT NOT NULL,
    text TEXT NOT NULL,
    source TEXT REFERENCES sources(path) ON DELETE CASCADE,
    external INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stories_source ON stories(source);
CREATE VIRTUAL TABLE story_index USING fts5(
    title, tags, text, content='stories', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE story_terms USING fts5vocab(story_index, 'row');
CREATE VIRTUAL TABLE title_index USING fts5(
    title, content='stories', content_rowid='id', prefix='2 3',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER stories_indexed AFTER INSERT ON stories BEGIN
    INSERT INTO story_index(rowid, title, tags, text)
    VALUES (new.id, new.title, new.tags, new.text);
    INSERT INTO title_index(rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER stories_unindexed AFTER DELETE ON stories BEGIN
    INSERT INTO story_index(story_index, rowid, title, tags, text)
    VALUES ('delete', old.id, old.title, old.tags, old.text);
    INSERT INTO title_index(title_index, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER stories_reindexed AFTER UPDATE ON stories BEGIN
    INSERT INTO story_index(story_index, rowid, title, tags, text)
    VALUES ('delete', old.id, old.title, old.tags, old.text);
    INSERT INTO story_index(rowid, title, tags, text)
    VALUES (new.id, new.title, new.tags, new.text);
    INSERT INTO title_index(title_index, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO title_index(rowid, title) VALUES (new.id, new.title);
END;
"""

# How many stories hold each word, copied from ``story_terms`` after the stories change: that
# table counts a common word by reading all its entries in the index (milliseconds a word in a
# large library), this one looks it up. ``facts`` says which revision of the stories it counts.
_COUNTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS term_counts (
    term TEXT PRIMARY KEY,
    docs INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS facts (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO facts(name, value) VALUES ('revision', 0), ('counted', -1);
"""

_COLUMNS = ("title, url, date, author, section, tags, teaser, image, image_alt, text, source, "
            "external")
SEARCH_WINDOW = 300  # title matches scored when searching as you type
# A match carries the start of the story's text only: enough to say why it matched, without
# copying whole long stories out of the file for every query.
MATCH_TEXT_CHARS = 600
_MATCH_COLUMNS = ", ".join(f"substr(s.text, 1, {MATCH_TEXT_CHARS})" if name == "text" else f"s.{name}"
                           for name in _COLUMNS.replace(" ", "").split(","))


class SqliteLibrary:
    """A :class:`~editor.library.store.StoryStore` in one SQLite file (or ``:memory:``).

    One instance per thread: the dock and the indexing worker each open their own.
    """

    def __init__(self, path: Path | str, verify: bool = True) -> None:
        """Open (or create) the library; ``verify`` reads the whole file for damage first,
        which takes a while for a large library: the window's own thread leaves it to the
        worker threads."""
        self.location = str(path)
        self._verify = verify
        self._in_batch = False
        self._written = False  # the word counts are brought up to date on closing
        if self.location == ":memory:":
            self._db = self._connect()
            self._create()
            return
        file = Path(path)
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise LibraryError(file, f"the library's folder cannot be made: "
                               f"{error.strerror or error}") from None
        if file.is_dir():
            raise LibraryError(file, "this is a folder, not a library file")
        fresh = not file.exists() or file.stat().st_size == 0
        try:
            self._db = self._connect()
            if fresh:
                self._create()
            else:
                self._check()
        except sqlite3.DatabaseError as error:
            self._replace_unusable(file, _reason(error))

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.location, timeout=10, isolation_level=None)
        db.execute("PRAGMA foreign_keys = ON")
        return db

    def _create(self) -> None:
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.executescript(
            f"BEGIN; {_SCHEMA} {_COUNTS_SCHEMA} PRAGMA application_id = {APPLICATION_ID}; "
            f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
        )

    def _check(self) -> None:
        application_id = self._db.execute("PRAGMA application_id").fetchone()[0]
        if application_id != APPLICATION_ID:
            raise sqlite3.DatabaseError("this database belongs to another program")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            self._db.close()
            raise LibraryError(self.location, f"this library was made by a newer Article Editor "
                               f"(schema {version}; this one reads {SCHEMA_VERSION})")
        tables = {name for (name,) in self._db.execute("SELECT name FROM sqlite_schema")}
        if not {"roots", "stories", "sources", "story_index", "story_terms", "title_index"} <= tables:
            raise sqlite3.DatabaseError("the library's tables are missing")
        problems = self._db.execute("PRAGMA quick_check").fetchone()[0] if self._verify else "ok"
        if problems != "ok":
            raise sqlite3.DatabaseError(f"the database is damaged ({problems})")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        if version < SCHEMA_VERSION:  # a library of schema 1: add the word counts' tables
            self._db.executescript(f"BEGIN; {_COUNTS_SCHEMA} "
                                   f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")

    def _replace_unusable(self, file: Path, reason: str) -> None:
        with contextlib.suppress(Exception):
            self._db.close()
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        moved_to = file.with_name(f"{file.name}.unusable-{stamp}")
        try:
            file.replace(moved_to)
            for suffix in ("-wal", "-shm"):
                side = file.with_name(file.name + suffix)
                if side.exists():
                    side.replace(moved_to.with_name(moved_to.name + suffix))
            self._db = self._connect()
            self._create()
        except (OSError, sqlite3.Error) as error:
            raise LibraryError(file, f"{reason}, and it cannot be moved aside: "
                               f"{getattr(error, 'strerror', None) or error}") from None
        raise LibraryError(file, f"{reason}; it was moved to {moved_to.name} and a new, empty "
                           "library made in its place: add your stories again", moved_to)

    # --- writing ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self, stories: bool = True) -> Iterator[None]:
        """One transaction; ``stories`` says it may change them (the word counts then)."""
        if self._in_batch:
            yield
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
            if stories:
                self._db.execute("UPDATE facts SET value = value + 1 WHERE name = 'revision'")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        self._written = self._written or stories

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        with self._transaction():
            self._in_batch = True
            try:
                yield
            finally:
                self._in_batch = False

    def bulk(self, expected: int) -> AbstractContextManager[bool]:
        """Nothing to gain on SQLite (one writer keeps its full-text index in any case): each
        batch keeps its own transaction."""
        return contextlib.nullcontext(False)

    def replace_source(self, source: str, mtime_ns: int, size: int,
                       stories: Sequence[Story]) -> None:
        self.replace_sources([(source, mtime_ns, size, stories)])

    def replace_sources(self, sources: Sequence[SourceStories]) -> None:
        with self._transaction():
            for source, mtime_ns, size, stories in sources:
                self._db.execute("DELETE FROM stories WHERE source = ?", (source,))
                self._db.execute(
                    "INSERT INTO sources(path, mtime_ns, size) VALUES (?, ?, ?) "
                    "ON CONFLICT(path) DO UPDATE SET mtime_ns = excluded.mtime_ns, "
                    "size = excluded.size", (source, mtime_ns, size))
                self._upsert([_with_source(story, source) for story in stories])

    def add_stories(self, stories: Sequence[Story]) -> None:
        with self._transaction():
            self._upsert([_with_source(story, None) for story in stories])

    def _upsert(self, stories: Sequence[Story]) -> None:
        self._db.executemany(
            f"INSERT INTO stories(key, {_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET title = excluded.title, url = excluded.url, "
            "date = excluded.date, author = excluded.author, section = excluded.section, "
            "tags = excluded.tags, teaser = excluded.teaser, image = excluded.image, "
            "image_alt = excluded.image_alt, text = excluded.text, source = excluded.source, "
            "external = excluded.external",
            [_row(story) for story in stories],
        )

    def add_root(self, path: str, permalink: str = "") -> None:
        with self._transaction(stories=False):
            self._db.execute(
                "INSERT INTO roots(path, permalink) VALUES (?, ?) ON CONFLICT(path) "
                "DO UPDATE SET permalink = excluded.permalink", (path, permalink))

    def roots(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT path, permalink FROM roots ORDER BY path"))

    def source_states(self, under: str | None = None) -> dict[str, tuple[int, int]]:
        rows = self._db.execute("SELECT path, mtime_ns, size FROM sources")
        prefix = None if under is None else under.rstrip("/\\") + "/"
        return {path: (mtime, size) for path, mtime, size in rows
                if prefix is None or path.startswith(prefix) or path == under}

    def remove_sources(self, sources: Iterable[str]) -> int:
        removed = 0
        with self._transaction():
            for source in sources:
                removed += self._db.execute(
                    "DELETE FROM stories WHERE source = ?", (source,)).rowcount
                self._db.execute("DELETE FROM sources WHERE path = ?", (source,))
        return removed

    def remove_story(self, key: str) -> bool:
        with self._transaction():
            return self._db.execute("DELETE FROM stories WHERE key = ?", (key,)).rowcount > 0

    # --- reading ----------------------------------------------------------------------------

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM stories").fetchone()[0]

    def stories(self) -> Iterator[tuple[int, Story]]:
        for row in self._db.execute(f"SELECT id, {_COLUMNS} FROM stories ORDER BY id"):
            yield row[0], _story(row[1:])

    def story(self, key: str) -> Story | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM stories WHERE key = ?", (key,)).fetchone()
        return None if row is None else _story(row)

    def search(self, query: str, limit: int = 20) -> list[Match]:
        """Titles first, the word being typed as a prefix (a small index of its own keeps that
        fast in a large library); then stories holding the words typed in full."""
        terms = words(query)
        if not terms:
            return []
        expression = " ".join([*map(_quoted, terms[:-1]), _quoted(terms[-1]) + "*"])
        # The newest few hundred titles that match, best first: a prefix such as "po" matches
        # a large part of a big library, and scoring every match would be slow.
        recent = self._matches(expression, SEARCH_WINDOW, index="title_index", weights=(1.0,),
                               newest_first=True)
        found = sorted(recent, key=lambda match: match.relevance, reverse=True)[:limit]
        if len(found) < limit:
            # The words typed in full (or the one word, as it stands) anywhere in the story.
            whole = " ".join(map(_quoted, terms[:-1] or terms))
            known = {match.id for match in found}
            found += [match for match in self._matches(whole, limit, newest_first=True)
                      if match.id not in known][: limit - len(found)]
        return found

    def match_any(self, terms: Sequence[str], *, limit: int, published_by: str = "",
                  exclude_keys: Iterable[str] = ()) -> list[Match]:
        if not terms:
            return []
        expression = " OR ".join(_quoted(term) for term in dict.fromkeys(terms))
        return self._matches(expression, limit, published_by, tuple(exclude_keys))

    def _matches(self, expression: str, limit: int, published_by: str = "",
                 exclude_keys: tuple[str, ...] = (), index: str = "story_index",
                 weights: tuple[float, ...] = _WEIGHTS, newest_first: bool = False
                 ) -> list[Match]:
        """Stories matching ``expression``, best first (or newest first: the index then stops
        at ``limit`` instead of scoring every match, which common words make slow)."""
        conditions = [f"{index} MATCH ?"]
        parameters: list[object] = [expression]
        if published_by:
            conditions.append("(s.date = '' OR substr(s.date, 1, 10) <= ?)")
            parameters.append(published_by[:10])
        if exclude_keys:
            conditions.append(f"s.key NOT IN ({', '.join('?' * len(exclude_keys))})")
            parameters.extend(exclude_keys)
        rank = f"bm25({index}, {', '.join(map(str, weights))})"
        rows = self._db.execute(
            f"SELECT s.id, -{rank} AS relevance, {_MATCH_COLUMNS} "
            f"FROM {index} JOIN stories AS s ON s.id = {index}.rowid "
            f"WHERE {' AND '.join(conditions)} "
            f"ORDER BY {f'{index}.rowid DESC' if newest_first else rank} LIMIT ?",
            (*parameters, limit),
        )
        return [Match(row[0], _story(row[2:]), row[1]) for row in rows]

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """From the word counts when they count the stories as they are (the library was
        closed after its last change), else from the index itself (slower)."""
        wanted = list(dict.fromkeys(terms))
        found = dict.fromkeys(wanted, 0)
        table, column = ("term_counts", "docs") if self.counts_current() else ("story_terms",
                                                                               "doc")
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = self._db.execute(
                f"SELECT term, {column} FROM {table} "
                f"WHERE term IN ({', '.join('?' * len(chunk))})", chunk)
            found.update(rows)
        return found

    def counts_current(self) -> bool:
        """Do the word counts count the stories as they are now?"""
        revision, counted = (value for (value,) in self._db.execute(
            "SELECT value FROM facts WHERE name IN ('revision', 'counted') ORDER BY name DESC"))
        return bool(revision == counted)

    def count_terms(self) -> None:
        """Bring the word counts up to date (a second or so for 100,000 stories)."""
        with self._transaction():
            self._db.execute("DELETE FROM term_counts")
            self._db.execute("INSERT INTO term_counts(term, docs) SELECT term, doc FROM story_terms")
            self._db.execute("UPDATE facts SET value = (SELECT value FROM facts WHERE name = "
                             "'revision') + 1 WHERE name = 'counted'")

    def close(self) -> None:
        """Close the file, counting the words first if the stories have changed."""
        if self._written:
            with contextlib.suppress(sqlite3.Error):  # then read from the index itself
                self.count_terms()
        self._db.close()


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _reason(error: sqlite3.DatabaseError) -> str:
    message = str(error)
    if "not a database" in message:
        return "this file is not a story library (not an SQLite database)"
    if "another program" in message:
        return "this SQLite database is not a story library (it belongs to another program)"
    return f"the library is damaged ({message})"


def _with_source(story: Story, source: str | None) -> Story:
    if story.source == source:
        return story
    from dataclasses import replace

    return replace(story, source=source)


def _row(story: Story) -> tuple[object, ...]:
    return (story.key, story.title, story.url, story.date, story.author, story.section,
            "\n".join(story.tags), story.teaser, story.image, story.image_alt, story.text,
            story.source, int(story.external))


def _story(row: Sequence[object]) -> Story:
    (title, url, date, author, section, tags, teaser, image, image_alt, text, source,
     external) = row
    return Story(
        title=str(title), url=str(url), date=str(date), author=str(author),
        section=str(section), tags=[tag for tag in str(tags).split("\n") if tag],
        teaser=str(teaser), image=str(image), image_alt=str(image_alt), text=str(text),
        source=None if source is None else str(source), external=bool(external),
    )
