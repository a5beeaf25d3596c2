"""Whatever bytes or front matter come in, the loader gives an article or one of our errors.

And any article it gives renders, exports, and survives a save and a reload with its metadata.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from editor.errors import ArticleError, FrontMatterError
from editor.export import ExportOptions, render_page
from editor.fileformat import LIST_FIELDS, TEXT_FIELDS, dump_markdown, parse_markdown
from editor.files import encode_article, load_article
from editor.model import Article
from editor.render import BodyRenderer, RawHtml

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
KNOWN_KEYS = sorted({key for table in (TEXT_FIELDS, LIST_FIELDS) for keys in table.values()
                     for key in keys})
METADATA_FIELDS = [f.name for f in dataclasses.fields(Article)
                   if f.name not in {"body", "newline", "bom", "key_order", "key_aliases",
                                     "source_header", "warnings"}]

# -- strategies ---------------------------------------------------------------------------------

markdownish = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("#*_-+>`[]()!|:~=<>/\\\"' \n\t0123456789.")),
        st.characters(codec="utf-8"),
    ),
    max_size=300,
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.dates(min_value=dt.date(1000, 1, 1)),
    st.datetimes(min_value=dt.datetime(1000, 1, 1)),
)
yaml_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=12), children, max_size=4),
    ),
    max_leaves=12,
)
cards = st.lists(
    st.dictionaries(
        st.sampled_from(["title", "url", "image", "image_alt", "teaser", "other"]),
        st.one_of(st.text(max_size=30), st.integers(), st.none()),
        max_size=5,
    ),
    max_size=3,
)
front_matter = st.dictionaries(
    st.one_of(st.sampled_from(KNOWN_KEYS), st.text(min_size=1, max_size=15)),
    st.one_of(yaml_values, cards, st.lists(st.text(max_size=10), max_size=4)),
    max_size=8,
)
hostile_bytes = st.one_of(
    st.binary(max_size=2000),
    markdownish.map(lambda text: text.encode("utf-8")),
    st.tuples(st.text(max_size=200), st.binary(max_size=200)).map(
        lambda pair: b"---\n" + pair[0].encode("utf-8") + b"\n---\n" + pair[1]
    ),
    st.tuples(st.sampled_from([b"", b"\xef\xbb\xbf"]), markdownish).map(
        lambda pair: pair[0] + pair[1].replace("\n", "\r\n").encode("utf-8")
    ),
)


# -- properties ---------------------------------------------------------------------------------

def exercise(article: Article) -> None:
    """What the window does with any article it opens: render, export, save."""
    BodyRenderer().render(article.body)
    BodyRenderer(RawHtml.KEEP).render(article.body)
    render_page(article)
    render_page(article, ExportOptions(fragment=True))
    encode_article(article)


@SETTINGS
@given(data=hostile_bytes, suffix=st.sampled_from([".md", ".markdown", ".txt", ".html"]))
def test_any_bytes_load_as_an_article_or_our_error(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"draft{suffix}"
        path.write_bytes(data)
        try:
            article = load_article(path)
        except ArticleError as error:
            assert str(path) in str(error)
            return
        exercise(article)
        # An unchanged Markdown file with one kind of line ending is written back as read.
        lone_cr = b"\r" in data.replace(b"\r\n", b"")
        one_kind = b"\r\n" not in data or data.count(b"\n") == data.count(b"\r\n")
        if suffix in (".md", ".markdown") and one_kind and not lone_cr:
            assert encode_article(article) == data


def metadata(article: Article) -> dict[str, Any]:
    return {name: getattr(article, name) for name in METADATA_FIELDS}


@SETTINGS
@given(data=front_matter, body=markdownish)
@example(data={"authors": [","]}, body="")  # found by CI: a name of only a comma came back empty
@example(data={"authors": ["Ana,", "Luis"]}, body="")
def test_any_front_matter_parses_renders_and_round_trips(data: dict[str, Any], body: str) -> None:
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body
    try:
        article = parse_markdown(text)
    except FrontMatterError:
        return
    assert article.body == body
    exercise(article)

    # Saved unchanged: the same text.
    assert dump_markdown(article) == text
    # Saved after an edit (the front matter written anew): the same metadata comes back.
    article.source_header = None
    again = parse_markdown(dump_markdown(article))
    assert metadata(again) == metadata(article)
    assert again.body == body


@SETTINGS
@given(body=markdownish, title=st.text(max_size=40), tags=st.lists(st.text(max_size=10)))
def test_articles_the_editor_makes_survive_save_and_load(
    body: str, title: str, tags: list[str]
) -> None:
    article = Article(title=title, tags=tags, body=body)
    again = parse_markdown(dump_markdown(article))
    assert again.body == body
    assert again.title == title
    assert again.tags == tags
