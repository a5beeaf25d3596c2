"""Saved pages of real kinds of sites (news, WordPress, a wire service, a blog, pages in legacy
encodings): the article comes through, the page furniture stays behind, and our own export
comes back as it was written."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from editor.export import render_page
from editor.files import load_article
from editor.importers.html import import_html
from editor.render import BodyRenderer

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "tests" / "data" / "import"
SITES = json.loads((SAMPLES / "sites.json").read_text("utf-8"))["pages"]


@pytest.mark.parametrize("name", sorted(SITES))
def test_the_article_comes_through_and_the_furniture_stays_behind(name: str) -> None:
    expected = SITES[name]
    article = load_article(SAMPLES / name)
    assert (article.title, article.author, article.date) == (
        expected["title"], expected["author"], expected["date"])
    missing = [segment for segment in expected["must"] if segment not in article.body]
    leaked = [segment for segment in expected["must_not"] if segment in article.body]
    assert (missing, leaked) == ([], [])
    assert article.warnings == []


def rendered(body: str) -> str:
    return BodyRenderer().render(body).html


def test_structure_comes_through_as_markdown_our_renderer_reads() -> None:
    html = rendered(load_article(SAMPLES / "site_wordpress.html").body)
    assert "<h2" in html and "<h3" in html
    assert re.search(r"<li><strong>Apples:</strong>[^<]*<ul>\s*<li>the Codlin", html)
    assert "<ol>" in html and "<table>" in html and "<th>Variety</th>" in html
    assert "<blockquote>" in html and "<em>first</em>" in html
    assert '<a href="https://greenway.example/2014/03/first-planting/">' in html
    assert 'alt="The cider press at the autumn open day"' in html
    assert "<p>Pressing day, October 2023.</p>" in html  # the caption, kept beside its image
    blog_body = load_article(SAMPLES / "site_blog.html").body
    assert "[clickbait audit](https://notes.deskeditor.example/clickbait-audit/)" in blog_body
    blog = rendered(blog_body)
    assert 'class="codehilite"' in blog and '<span class="k">SELECT</span>' in blog


def test_a_table_caption_is_a_paragraph_before_its_table() -> None:
    body = load_article(SAMPLES / "site_news.html").body
    assert "Who pays for the barrier\n\n| Source | Amount |\n| --- | --- |\n" in body


def test_the_related_block_becomes_cards() -> None:
    article = load_article(SAMPLES / "site_news.html")
    assert article.related_heading == "More on this story"
    assert [card.title for card in article.related] == [
        "Barrier costs rise by a third in two years",
        "Flood insurance: what homeowners need to know",
    ]
    assert article.image_caption.startswith("The riverside path near Mill Lane")


def test_our_exported_page_comes_back_as_it_was_written() -> None:
    original = load_article(ROOT / "resources" / "samples" / "harbour-bridge.md")
    back = import_html(render_page(original))
    fields = ("title", "dek", "author", "date", "tags", "image", "image_alt", "image_caption",
              "description", "related_heading")
    assert [getattr(back, name) for name in fields] == [getattr(original, name) for name in fields]
    # A card's alt text without an image has nowhere to go in a page.
    assert back.related == [card if card.image else dataclasses.replace(card, image_alt="")
                            for card in original.related]
    # Our page does not name a code block's language (Pygments' markup has no place for it).
    assert rendered(back.body) == rendered(original.body.replace("```python", "```"))


def test_page_metadata_fills_what_the_markup_leaves_empty() -> None:
    head = ('<meta property="og:title" content="Only in og"><script type="application/ld+json">'
            '{"@type": "NewsArticle", "datePublished": "2025-02-03"}</script>')
    body = "<div><p>" + "A paragraph long enough to be the story. " * 8 + "</p></div>"
    article = import_html(f"<html><head>{head}</head><body>{body}</body></html>")
    assert (article.title, article.date) == ("Only in og", "2025-02-03")
