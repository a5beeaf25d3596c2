"""The native format: Markdown with YAML front matter, loaded and saved byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.errors import FrontMatterError
from editor.fileformat import body_first_line, dump_markdown, parse_markdown, without_front_matter
from editor.files import encode_article, load_article, save_article
from editor.model import Article, RelatedCard, trim_text

SAMPLE = Path(__file__).parents[2] / "resources" / "samples" / "harbour-bridge.md"

FULL = """---
title: "Council approves bridge"   # the headline
dek: Ten years late
author: Maria Lopez
date: 2025-10-01
slug: bridge
keyword: harbour bridge
description: The council voted 9–4.
tags: [city hall, transport]
image: images/lead.jpg
image_alt: The bridge at dusk
image_caption: 'Illustration: City'
layout: post
weight: 3
related_heading: Read also
related:
  - title: Port district
    url: https://example.com/port
    image: images/port.jpg
    image_alt: Warehouses
    teaser: From cranes to cafés.
---
The body [INTERNAL_LINK].
"""


def test_every_field_is_read() -> None:
    article = parse_markdown(FULL)
    assert article.title == "Council approves bridge"
    assert article.dek == "Ten years late"
    assert article.author == "Maria Lopez"
    assert article.date == "2025-10-01"
    assert article.slug == "bridge"
    assert article.keyword == "harbour bridge"
    assert article.description == "The council voted 9–4."
    assert article.tags == ["city hall", "transport"]
    assert (article.image, article.image_alt, article.image_caption) == (
        "images/lead.jpg", "The bridge at dusk", "Illustration: City")
    assert article.related_heading == "Read also"
    assert article.related == [RelatedCard("Port district", "https://example.com/port",
                                           "images/port.jpg", "Warehouses", "From cranes to cafés.")]
    assert article.extra == {"layout": "post", "weight": 3}
    assert article.body == "The body [INTERNAL_LINK].\n"


def test_unchanged_file_saves_to_the_same_bytes(tmp_path: Path) -> None:
    for text in (FULL, SAMPLE.read_text("utf-8"), "No front matter at all.\n", "---\n---\nEmpty\n"):
        path = tmp_path / "a.md"
        path.write_bytes(text.encode("utf-8"))
        save_article(load_article(path), tmp_path / "b.md")
        assert (tmp_path / "b.md").read_bytes() == text.encode("utf-8")


def test_keys_that_are_not_text_save_to_the_same_bytes() -> None:
    source = "---\n0:\n2024: year\ntrue: yes\n---\nBody.\n"
    assert dump_markdown(parse_markdown(source)) == source


def test_crlf_and_bom_survive_a_round_trip(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + FULL.replace("\n", "\r\n").encode("utf-8")
    path = tmp_path / "windows.md"
    path.write_bytes(data)
    article = load_article(path)
    assert article.newline == "\r\n" and article.bom
    assert "\r" not in article.body
    assert encode_article(article) == data


def test_edited_metadata_keeps_unknown_keys_in_order() -> None:
    article = parse_markdown(FULL)
    article.title = "A new headline"
    article.tags.append("budget")
    text = dump_markdown(article)
    keys = [line.split(":")[0] for line in text.split("---\n")[1].splitlines()
            if line and not line.startswith((" ", "-"))]
    assert keys == ["title", "dek", "author", "date", "slug", "keyword", "description", "tags",
                    "image", "image_alt", "image_caption", "layout", "weight",
                    "related_heading", "related"]
    again = parse_markdown(text)
    assert again.title == "A new headline"
    assert again.tags == ["city hall", "transport", "budget"]
    assert again.extra == {"layout": "post", "weight": 3}
    assert again.date == "2025-10-01" and "date: 2025-10-01\n" in text
    assert again.related == article.related
    assert again.body == article.body


def test_new_article_writes_only_what_it_has() -> None:
    article = Article(title="Hello", body="Text\n", related=[RelatedCard(title="T", url="/t")])
    text = dump_markdown(article)
    assert text == "---\ntitle: Hello\nrelated:\n- title: T\n  url: /t\n---\nText\n"
    assert parse_markdown(text).related == article.related
    assert dump_markdown(Article(body="Just text\n")) == "Just text\n"


def test_aliases_from_other_tools_are_read_and_written_back_under_their_own_key() -> None:
    text = ("---\ntitle: Post\nauthors: [Ana, Ben]\nexcerpt: Short summary\n"
            "image_figcaption: Photo by Ana\ncategories: [news]\n---\nBody\n")
    article = parse_markdown(text)
    assert article.author == "Ana, Ben"
    assert article.dek == "Short summary"
    assert article.image_caption == "Photo by Ana"
    assert article.extra == {"categories": ["news"]}
    article.author = "Ana, Carla"
    dumped = dump_markdown(article)
    assert "authors:\n- Ana\n- Carla\n" in dumped
    assert "\nauthor:" not in dumped and "excerpt: Short summary" in dumped


def test_body_first_line_counts_the_front_matter() -> None:
    assert body_first_line(parse_markdown(FULL)) == FULL.split("\n").index("The body [INTERNAL_LINK].") + 1
    assert body_first_line(parse_markdown("plain\n")) == 1


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("---\ntitle: a: b\n---\nx", 2, "not valid YAML"),
        ("---\ntitle: ok\ndek: [unclosed\n---\nx", 3, "not valid YAML"),
        ("---\n- a list\n---\nx", 2, "mapping"),
        ("---\ntitle: ok\nrelated: just a string\n---\nx", 3, "'related' must be a list"),
        ("---\ntitle: [a, b]\n---\nx", 2, "'title' must be text"),
        ("---\ntitle: unclosed\nno closing fence\n", 1, "never closed"),
    ],
)
def test_broken_front_matter_is_one_typed_error_naming_file_and_line(
    text: str, line: int, words: str
) -> None:
    with pytest.raises(FrontMatterError) as caught:
        parse_markdown(text, "story.md")
    assert caught.value.line == line
    assert str(caught.value).startswith(f"story.md:{line}: ")
    assert words in str(caught.value)


def test_scalars_of_the_wrong_type_are_read_as_text_with_a_warning() -> None:
    article = parse_markdown("---\ntitle: 2024\ntags: one, two\n---\nx")
    assert article.title == "2024"
    assert article.tags == ["one", "two"]
    assert article.warnings == ["'title' was int; read as text"]
    assert dump_markdown(article) == "---\ntitle: 2024\ntags: one, two\n---\nx"


def test_a_leading_thematic_break_is_not_front_matter() -> None:
    article = parse_markdown("---\n\nA paragraph after a rule.\n")
    assert article.body == "---\n\nA paragraph after a rule.\n"


def test_a_second_front_matter_block_in_the_body_is_blanked_keeping_its_lines() -> None:
    article = parse_markdown("---\ntitle: One\n---\n---\ntitle: Two\n---\nText.\n")
    assert article.body == "---\ntitle: Two\n---\nText.\n"
    assert without_front_matter(article.body) == "\n\n\nText.\n"
    # A thematic break is not front matter; neither is a block further down.
    assert without_front_matter("---\n\nText.\n") == "---\n\nText.\n"
    assert without_front_matter("Text.\n---\na: b\n---\n") == "Text.\n---\na: b\n---\n"


def test_trim_text_cuts_at_a_word_with_an_ellipsis() -> None:
    assert trim_text("short", 10) == "short"
    assert trim_text("The Austrian who broke the sound barrier in free fall", 30) == (
        "The Austrian who broke the…")
    assert len(trim_text("word " * 100, 50)) <= 50
