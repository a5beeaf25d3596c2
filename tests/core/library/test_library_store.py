"""The SQLite story store: writing per source, searching, and files that are not ours."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from editor.library.sqlite import SqliteLibrary
from editor.library.store import LibraryError, StoryStore, default_library_path
from editor.library.story import Story


def test_stories_are_replaced_per_source_and_updated_in_place_by_url(
        library: StoryStore) -> None:
    library.replace_source("/a/feed.xml", 1, 10, [Story("Old title", url="https://x/1"),
                                                   Story("Other", url="https://x/2")])
    library.replace_source("/a/feed.xml", 2, 11, [Story("New title", url="https://x/1")])
    assert library.count() == 1
    assert [match.story.title for match in library.search("title")] == ["New title"]
    assert library.search("other") == []
    # The same URL reached from another file is one story, updated in place.
    library.replace_source("/a/page.md", 1, 5, [Story("Page title", url="https://x/1")])
    assert library.count() == 1
    assert library.story("https://x/1").source == "/a/page.md"
    assert library.source_states("/a") == {"/a/feed.xml": (2, 11), "/a/page.md": (1, 5)}
    assert library.remove_sources(["/a/page.md"]) == 1
    assert library.count() == 0


def test_a_story_given_twice_in_one_add_is_one_story_as_last_given(library: StoryStore) -> None:
    library.add_stories([Story("First", url="https://x/1"), Story("Other", url="https://x/2"),
                         Story("Second", url="https://x/1")])
    library.replace_source("/a/feed.xml", 1, 10, [Story("Feed first", url="https://x/3"),
                                                   Story("Feed second", url="https://x/3")])
    assert library.count() == 3
    assert library.story("https://x/1").title == "Second"
    assert library.story("https://x/3").title == "Feed second"


def test_files_replaced_together_end_as_if_replaced_one_after_another(
        library: StoryStore) -> None:
    library.replace_source("/a/old.md", 1, 1, [Story("Gone", url="https://x/gone"),
                                               Story("Moved", url="https://x/moved")])
    library.replace_sources([
        ("/a/old.md", 2, 2, [Story("Kept", url="https://x/kept")]),
        ("/a/new.md", 1, 3, [Story("Moved here", url="https://x/moved"),
                             Story("Twice", url="https://x/twice")]),
        ("/a/other.md", 1, 4, [Story("Twice, the last", url="https://x/twice")]),
    ])
    assert sorted(story.url for _, story in library.stories()) == [
        "https://x/kept", "https://x/moved", "https://x/twice"]
    moved, twice = library.story("https://x/moved"), library.story("https://x/twice")
    assert moved is not None and (moved.title, moved.source) == ("Moved here", "/a/new.md")
    assert twice is not None and (twice.title, twice.source) == ("Twice, the last", "/a/other.md")
    assert library.source_states("/a") == {"/a/old.md": (2, 2), "/a/new.md": (1, 3),
                                           "/a/other.md": (1, 4)}


def test_search_as_you_type_takes_the_last_word_as_a_prefix(library: StoryStore) -> None:
    library.add_stories([Story("Harbour bridge approved", url="u1"),
                         Story("Harbour ferry fares", url="u2", text="bridge tolls")])
    assert [m.story.title for m in library.search("harbour bri")] == [
        "Harbour bridge approved", "Harbour ferry fares"]  # the title weighs most
    assert [m.story.title for m in library.search("fer")] == ["Harbour ferry fares"]
    assert library.search("  ") == []
    assert library.search('"quoted" AND OR (') == []  # query syntax is never interpreted


def test_matching_leaves_out_later_stories_and_excluded_keys(library: StoryStore) -> None:
    library.add_stories([Story("Bridge vote", url="old", date="2024-01-01"),
                         Story("Bridge built", url="new", date="2026-01-01"),
                         Story("Bridge undated", url="undated")])
    found = library.match_any(["bridge"], limit=10, published_by="2025-10-01",
                              exclude_keys=["undated"])
    assert [match.story.url for match in found] == ["old"]
    assert library.document_frequencies(["bridge", "absent"]) == {"bridge": 3, "absent": 0}


def test_the_library_persists_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    first = SqliteLibrary(path)
    first.add_stories([Story("Kept", url="u")])
    first.close()
    second = SqliteLibrary(path)
    assert second.count() == 1
    assert second._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    second.close()


def test_a_file_that_is_not_a_database_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    path.write_bytes(b"my notes, not a database " * 100)
    with pytest.raises(LibraryError) as raised:
        SqliteLibrary(path)
    assert "not a story library" in str(raised.value)
    assert raised.value.moved_to is not None
    assert raised.value.moved_to.read_bytes() == b"my notes, not a database " * 100
    reopened = SqliteLibrary(path)  # the new, empty library is usable
    assert reopened.count() == 0
    reopened.close()


def test_another_programs_database_is_moved_aside_not_emptied(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE accounts (name TEXT)")
    other.execute("INSERT INTO accounts VALUES ('kept')")
    other.commit()
    other.close()
    with pytest.raises(LibraryError, match="belongs to another program") as raised:
        SqliteLibrary(path)
    moved = sqlite3.connect(raised.value.moved_to)
    assert moved.execute("SELECT name FROM accounts").fetchall() == [("kept",)]
    moved.close()


def test_a_damaged_library_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    library = SqliteLibrary(path)
    library.add_stories([Story(f"Story {n}", url=f"u{n}", text="word " * 2000) for n in range(50)])
    library.close()
    data = bytearray(path.read_bytes())
    data[8192:16384] = b"\xff" * 8192  # overwrite pages of the tables
    path.write_bytes(bytes(data))
    with pytest.raises(LibraryError, match="damaged") as raised:
        SqliteLibrary(path)
    assert raised.value.moved_to.stat().st_size == len(data)


def test_a_newer_library_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    SqliteLibrary(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(LibraryError, match="newer") as raised:
        SqliteLibrary(path)
    assert raised.value.moved_to is None and path.exists()


def test_the_default_library_lives_in_the_users_data_folder(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_library_path() == tmp_path / "ArticleEditor" / "Article Editor" / \
        "library.sqlite3"


def _index_counts(library: SqliteLibrary) -> dict[str, int]:
    return dict(library._db.execute("SELECT term, doc FROM story_terms"))


def test_word_counts_are_kept_in_a_table_when_the_library_closes(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    library = SqliteLibrary(path)
    library.add_stories([Story("Harbour bridge", url="u1", text="tolls rise"),
                         Story("Harbour ferry", url="u2", text="bridge closed")])
    assert not library.counts_current()  # changed since: read from the index itself
    assert library.document_frequencies(["harbour", "bridge", "tolls", "nowhere"]) == {
        "harbour": 2, "bridge": 2, "tolls": 1, "nowhere": 0}
    library.close()

    library = SqliteLibrary(path)
    assert library.counts_current()
    assert dict(library._db.execute("SELECT term, docs FROM term_counts")) == _index_counts(library)
    assert library.document_frequencies(["harbour", "ferry", "nowhere"]) == {
        "harbour": 2, "ferry": 1, "nowhere": 0}
    library.remove_story("u2")
    assert not library.counts_current()
    assert library.document_frequencies(["harbour", "ferry"]) == {"harbour": 1, "ferry": 0}
    library.close()


def test_a_library_of_schema_1_gets_the_word_counts_table(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    library = SqliteLibrary(path)
    library.add_stories([Story("Harbour bridge", url="u1")])
    library._db.executescript("DROP TABLE term_counts; DROP TABLE facts; PRAGMA user_version = 1;")
    library._written = False
    library.close()
    library = SqliteLibrary(path)
    assert library.document_frequencies(["bridge"]) == {"bridge": 1}
    library.add_stories([Story("Harbour ferry", url="u2")])
    library.close()
    library = SqliteLibrary(path)
    assert library.counts_current()
    assert library.document_frequencies(["harbour"]) == {"harbour": 2}
    library.close()
