"""Suggestions for link placeholders and related cards, on the sample article's archive."""

from __future__ import annotations

from pathlib import Path

from editor.fileformat import parse_markdown
from editor.files import load_article
from editor.library.store import StoryStore
from editor.library.story import Story
from editor.library.suggest import Suggester, linked_urls
from editor.model import RelatedCard

SAMPLE = Path(__file__).parents[3] / "resources" / "samples" / "harbour-bridge.md"


def titles(suggestions: list) -> list[str]:
    return [suggestion.story.title for suggestion in suggestions]


def test_each_link_placeholder_gets_the_story_its_paragraph_is_about(
        archive_library: StoryStore) -> None:
    result = Suggester(archive_library).suggest(load_article(SAMPLE), SAMPLE)
    tokens = [(group.placeholder.token, group.placeholder.line) for group in result.placeholders]
    assert tokens == [("[INTERNAL_LINK]", 3), ("[EXTERNAL_LINK]", 19), ("[INTERNAL_LINK]", 49)]
    tenders, annex, timeline = result.placeholders
    assert tenders.anchor == "lawsuits and two failed tenders"
    assert "Second harbour bridge tender fails as bids come in over budget" in titles(
        tenders.suggestions)[:2]
    assert titles(annex.suggestions)[0] == "Council budget annex explained"
    assert "budget annex" in annex.suggestions[0].why
    assert titles(timeline.suggestions)[0] == \
        "Timeline: the harbour bridge, from first sketch to council vote"
    assert "timeline" in timeline.suggestions[0].why


def test_never_the_article_itself_nor_a_story_published_after_it(
        archive_library: StoryStore, tmp_path: Path) -> None:
    article = load_article(SAMPLE)
    result = Suggester(archive_library).suggest(article, SAMPLE, limit=20)
    offered = {s.story.title for group in result.placeholders for s in group.suggestions}
    offered |= set(titles(result.related))
    assert "Harbour bridge construction begins" not in offered  # dated 2026
    # The article itself, indexed with the archive, is recognised by its file and its URL.
    archive_library.replace_source(str(SAMPLE.absolute()), 1, 1, [Story(
        article.title, url="https://example.com/news/harbour-bridge-approved",
        text=article.body)])
    article.extra["url"] = "https://example.com/news/harbour-bridge-approved"
    copy = tmp_path / "copy.md"
    copy.write_text(SAMPLE.read_text("utf-8"), "utf-8")
    for path in (SAMPLE, copy):
        result = Suggester(archive_library).suggest(article, path, limit=20)
        offered = {s.story.title for group in result.placeholders for s in group.suggestions}
        assert article.title not in offered | set(titles(result.related))


def test_related_cards_skip_stories_already_linked_or_carded(
        archive_library: StoryStore) -> None:
    article = parse_markdown(
        "---\ntitle: Harbour bridge tolls and the regional transport fund\ndate: 2025-10-01\n"
        "tags: [transport]\n---\nTolls on the harbour bridge, ferry operators and the regional "
        "transport fund. See [the ferries](https://example.com/news/ferry-operators-tolls).\n")
    before = titles(Suggester(archive_library).related(article, limit=10))
    assert "Ferry operators warn bridge tolls will cost them passengers" not in before
    assert "Regional transport fund promises 150 million for harbour crossing" in before[:2]
    article.related.append(RelatedCard(
        title="Regional transport fund", url="https://example.com/news/regional-transport-fund"))
    after = titles(Suggester(archive_library).related(article, limit=10))
    assert "Regional transport fund promises 150 million for harbour crossing" not in after


def test_anchor_text_weighs_more_than_the_rest_of_the_sentence(library: StoryStore) -> None:
    library.add_stories([
        Story("Ferry timetable changes this winter", url="ferry", text="ferry timetable"),
        Story("Council budget vote", url="budget", text="council budget vote"),
    ])
    body = "The council budget vote was delayed, as the new ferry timetable [INTERNAL_LINK] shows."
    article = parse_markdown(f"---\ntitle: Delays\n---\n{body}\n")
    group = Suggester(library).suggest(article).placeholders[0]
    assert group.anchor == "as the new ferry timetable"
    assert titles(group.suggestions)[0] == "Ferry timetable changes this winter"


def test_an_empty_library_suggests_nothing(library: StoryStore) -> None:
    result = Suggester(library).suggest(load_article(SAMPLE), SAMPLE)
    assert [group.suggestions for group in result.placeholders] == [[], [], []]
    assert result.related == []


def test_linked_urls_finds_inline_auto_and_reference_links() -> None:
    body = ("[a](https://a.example/x) and <https://b.example/> and [c][ref].\n\n"
            "[ref]: https://c.example/page\n")
    assert linked_urls(body) == {"https://a.example/x", "https://b.example/",
                                 "https://c.example/page"}
