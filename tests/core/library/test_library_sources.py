"""Filling the library from folders, articles and feeds; incremental re-adding."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from editor.library.sources import (
    PermalinkRule,
    SourceError,
    index_paths,
    rebuild,
    stories_from_file,
)
from editor.library.store import LibraryError, StoryStore

ARCHIVE = Path(__file__).parents[2] / "data" / "library"


def by_title(library: StoryStore) -> dict[str, object]:
    return {story.title: story for _, story in library.stories()}


def test_a_folder_is_read_recursively_with_every_kind_of_source(library: StoryStore) -> None:
    report = index_paths(library, [ARCHIVE])
    stories = by_title(library)
    assert report.added == len(stories) == 10
    # Front matter url / permalink, the page's canonical link, each feed's items.
    assert stories["Rents in the old port district have tripled since 2010"].url == \
        "https://example.com/news/port-rents"
    budget = stories["Council budget annex explained"]
    assert (budget.url, budget.date) == ("https://example.com/news/budget-annex", "2025-02-10")
    ferry = stories["Ferry operators warn bridge tolls will cost them passengers"]
    assert (ferry.url, ferry.date, ferry.tags) == (
        "https://example.com/news/ferry-operators-tolls", "2025-07-15", ["transport"])
    assert "<b>" not in ferry.teaser and "tolls" in ferry.teaser
    assert stories["Mayor Ana Ferreira backs design-build contracts"].date == "2025-05-01"
    appeal = stories["Port residents' association plans appeal against eastern ramp"]
    assert (appeal.date, appeal.image) == ("2025-08-20", "https://example.com/img/ramp.jpg")
    fund = stories["Regional transport fund promises 150 million for harbour crossing"]
    assert fund.tags == ["transport fund", "harbour bridge", "regional grant"]
    assert "https://example.com/about" not in {s.url for s in stories.values()}  # not news
    # Plain text through the importer; a Jekyll file name gives the date.
    assert stories["City adds protected cycle lanes on the ring road"].author == "Sam Okafor"
    tender = stories["Second harbour bridge tender fails as bids come in over budget"]
    assert tender.date == "2024-03-12"
    assert tender.teaser.startswith("Both bidders priced the crossing")


def test_unreadable_files_are_skipped_and_listed_with_their_reason(
        library: StoryStore) -> None:
    report = index_paths(library, [ARCHIVE])
    reasons = {Path(path).name: reason for path, reason in report.skipped}
    assert reasons == {
        "bad-front-matter.md": "front matter is not valid YAML: expected ',' or ']', but got "
                               "'<stream end>'",
        "broken.md": "this is a binary file, not a text article",
        "broken.rss": reasons["broken.rss"],
    }
    assert reasons["broken.rss"] == "a broken feed (no element found)"
    # Listed once: unchanged, they are not read (nor reported) again.
    assert index_paths(library, [ARCHIVE]).skipped == []


def test_re_adding_reads_only_what_changed_and_drops_removed_files(
        library: StoryStore, tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    shutil.copytree(ARCHIVE / "archive", folder)
    first = index_paths(library, [folder])
    assert first.files == 6
    again = index_paths(library, [folder])
    assert (again.files, again.unchanged, again.added) == (0, 8, 0)
    rents = folder / "port-rents.md"
    rents.write_text(rents.read_text("utf-8").replace("have tripled", "have doubled"), "utf-8")
    (folder / "future-story.md").unlink()
    changed = index_paths(library, [folder])
    assert (changed.files, changed.removed) == (1, 1)
    titles = set(by_title(library))
    assert "Rents in the old port district have doubled since 2010" in titles
    assert "Harbour bridge construction begins" not in titles
    assert library.count() == 5


def test_a_permalink_rule_gives_urls_to_articles_without_one(
        library: StoryStore, tmp_path: Path) -> None:
    post = tmp_path / "2014-05-09-first-post.md"
    post.write_text("---\ntitle: First post\n---\nHello.\n", "utf-8")
    index_paths(library, [tmp_path], permalink=PermalinkRule("https://blog.example/:year/:month/"
                                                             ":day/:slug/"))
    story = by_title(library)["First post"]
    assert (story.url, story.date) == ("https://blog.example/2014/05/09/first-post/",
                                       "2014-05-09")
    with pytest.raises(LibraryError, match="not a permalink rule"):
        PermalinkRule("/:yeer/:slug/")


def test_adding_a_folder_again_without_a_rule_keeps_the_one_it_was_added_with(
        library: StoryStore, tmp_path: Path) -> None:
    rule = "https://blog.example/:year/:slug/"
    index_paths(library, [tmp_path], permalink=PermalinkRule(rule))
    post = tmp_path / "2015-02-03-new-post.md"
    post.write_text("---\ntitle: New post\n---\nHello.\n", "utf-8")
    index_paths(library, [tmp_path])  # as `library add FOLDER` does, without --permalink
    assert by_title(library)["New post"].url == "https://blog.example/2015/new-post/"
    assert library.roots() == {str(tmp_path): rule}


def test_rebuild_reads_every_added_folder_again(library: StoryStore, tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: Before\n---\nText.\n", "utf-8")
    index_paths(library, [tmp_path])
    info = post.stat()
    post.write_text("---\ntitle: Afterr\n---\nText.\n", "utf-8")  # same size
    os.utime(post, ns=(info.st_atime_ns, info.st_mtime_ns))  # and same time: looks unchanged
    assert index_paths(library, [tmp_path]).files == 0
    assert rebuild(library).files == 1
    assert set(by_title(library)) == {"Afterr"}


def test_a_missing_path_is_bad_input_and_nothing_is_added(
        library: StoryStore, tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="no such file or folder"):
        index_paths(library, [ARCHIVE, tmp_path / "missing"])
    assert library.count() == 0


def test_indexing_can_be_cancelled_keeping_what_was_added(library: StoryStore) -> None:
    seen: list[int] = []
    report = index_paths(library, [ARCHIVE], progress=lambda done, total, _: seen.append(done),
                         cancelled=lambda: len(seen) >= 3)
    assert report.cancelled and 0 < library.count() < 10
    kept = library.count()
    assert index_paths(library, [ARCHIVE]).added == 10 - kept  # the rest, not all again
    assert library.count() == 10


def test_feeds_with_hostile_xml_are_refused_not_expanded(tmp_path: Path) -> None:
    bomb = tmp_path / "sitemap.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&b;'
                    '</loc></url></urlset>', "utf-8")
    with pytest.raises(SourceError) as raised:
        stories_from_file(bomb)
    assert "not a readable sitemap" in str(raised.value)
    not_a_feed = tmp_path / "data.json"
    not_a_feed.write_text('{"rows": []}', "utf-8")
    with pytest.raises(SourceError, match="not a JSON Feed"):
        stories_from_file(not_a_feed)


def test_many_files_are_read_by_worker_processes_with_the_same_result(
        library: StoryStore, tmp_path: Path) -> None:
    for number in range(520):
        (tmp_path / f"2020-01-{number % 28 + 1:02}-story-{number}.md").write_text(
            f"---\ntitle: Story {number}\n---\nText {number}.\n", "utf-8")
    (tmp_path / "broken.md").write_bytes(b"\x00\x01binary")
    report = index_paths(library, [tmp_path], workers=2,
                         permalink=PermalinkRule("https://x.example/:year/:slug/"))
    assert (report.added, len(report.skipped)) == (520, 1)
    story = by_title(library)["Story 7"]
    assert (story.url, story.date) == ("https://x.example/2020/story-7/", "2020-01-08")


def test_a_story_keeps_the_language_its_source_states(tmp_path: Path) -> None:
    files = {
        "stated.md": "---\ntitle: Les ponts\nlang: fr\n---\nLes ponts restent fermés.\n",
        "other-key.md": "---\ntitle: Die Brücke\nlanguage: de-AT\n---\nText.\n",
        "unstated.md": "---\ntitle: Bridges\n---\nThe bridges stay closed.\n",
        "page.html": '<!DOCTYPE html><html lang="es"><head><title>Puentes</title></head>'
                     "<body><article><h1>Puentes</h1><p>Los puentes siguen cerrados.</p>"
                     "</article></body></html>",
        "rss.xml": '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
                   "<language>pt-BR</language><item><title>Pontes</title>"
                   "<link>https://e/p</link></item></channel></rss>",
        "atom.xml": '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" '
                    'xml:lang="it"><title>T</title><id>urn:t</id><updated>2025-01-01T00:00:00Z'
                    "</updated><entry><title>Ponti</title><id>urn:p</id><link href='https://e/i'/>"
                    "<updated>2025-01-01T00:00:00Z</updated></entry></feed>",
        "feed.json": '{"version": "https://jsonfeed.org/version/1.1", "title": "T", '
                     '"language": "nl", "items": [{"id": "1", "title": "Bruggen", '
                     '"url": "https://e/n", "content_text": "Dicht."}, {"id": "2", '
                     '"title": "Closed bridges", "url": "https://e/e", "language": "en"}]}',
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, "utf-8")
    languages = {story.title: story.language for name in files
                 for story in stories_from_file(tmp_path / name)}
    assert languages == {"Les ponts": "fr", "Die Brücke": "de-AT", "Bridges": "",
                         "Puentes": "es", "Pontes": "pt-BR", "Ponti": "it", "Bruggen": "nl",
                         "Closed bridges": "en"}
    sitemap = stories_from_file(ARCHIVE / "feeds" / "sitemap.xml")
    assert {story.language for story in sitemap} == {"en"}
