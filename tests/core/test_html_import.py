"""HTML import: saved article pages (our export, WordPress, a plain newspaper page)."""

from __future__ import annotations

import codecs
from pathlib import Path

import markdown
import pytest

from editor.files import load_article
from editor.importers.html import import_html
from editor.model import DEFAULT_RELATED_HEADING, RelatedCard

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "import"


def page(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def wrap(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


# --- whole pages ----------------------------------------------------------------------------


def test_own_export_page() -> None:
    article = import_html(page("own_export.html"))
    assert article.title == "Harbour strike ends after nine days"
    assert article.dek == "Dockworkers accept a 6 percent raise over two years"
    assert article.description == "Dockworkers accept a 6 percent raise after a nine-day strike."
    assert (article.author, article.date, article.lang) == ("Ana Ruiz", "2024-03-14", "en")
    assert article.tags == ["labour", "shipping"]
    assert article.image == "images/harbour.jpg"
    assert article.image_alt == "dockworkers at the harbour gates at dawn"
    assert article.image_caption == "The gates reopened at six. Photo: J. Ortiz"
    assert article.related_heading == "Don't Miss"
    assert article.related == [
        RelatedCard(
            title="Dockworkers: the long road to the strike",
            url="https://example.org/strike-roots",
            image="images/roots.jpg",
            image_alt="pickets at the harbour",
            teaser="How a dispute over shift patterns grew…",
        ),
        RelatedCard(
            title="Shipping rates climb as ships wait",
            url="https://example.org/rates",
            image="images/rates.jpg",
            image_alt="a container ship",
            teaser="Freight costs rose 12 percent…",
        ),
    ]
    assert article.body == (
        "Dockworkers voted on *Wednesday* to end a nine-day strike that left more than forty "
        "ships waiting outside the harbour. [INTERNAL_LINK]\n"
        "\n"
        "## What the deal says\n"
        "\n"
        "The agreement has **three parts**, according to the "
        "[union](https://example.org/union):\n"
        "\n"
        "- a 6 percent raise over two years;\n"
        "- new shift patterns:\n"
        "    - no night shifts in a row\n"
        "\n"
        "The timetable:\n"
        "\n"
        "1. Vote on Wednesday\n"
        "2. Return on Thursday\n"
        "\n"
        "> We held the line, and it paid off.\n"
        "\n"
        "### The numbers\n"
        "\n"
        "| Year | Raise |\n"
        "| --- | --- |\n"
        "| 2024 | 3% |\n"
        "| 2025 | 3% |\n"
        "\n"
        "```python\n"
        'ships = waiting(port="harbour")\n'
        "print(len(ships))\n"
        "```\n"
        "\n"
        "![ships waiting at anchor](images/queue.jpg)\n"
        "\n"
        "Ships at anchor on day six.\n"
        "\n"
        "\\#1 priority for the port is the backlog. The snake_case name stays; \\*stars\\* are "
        "escaped. [EXTERNAL_LINK]\n"
    )


def test_own_export_body_renders_as_intended() -> None:
    body = import_html(page("own_export.html")).body
    html = markdown.markdown(body, extensions=["tables", "fenced_code"])
    assert "<ul>\n<li>no night shifts in a row</li>\n</ul>" in html
    assert "<ol>" in html and "<table>" in html and "<blockquote>" in html
    assert '<code class="language-python">' in html
    assert "<p>#1 priority" in html
    assert "*stars*" in html


def test_wordpress_page() -> None:
    article = import_html(page("wordpress.html"))
    assert article.title == "Night train turns ten"
    assert article.dek == "We rode the night train to the coast end to end."
    assert (article.author, article.date, article.lang) == ("Tom Hale", "2024-07-01", "en-GB")
    assert article.tags == ["rail"]
    assert article.image == "https://raildesk.example/wp-content/uploads/train.jpg"
    assert article.image_alt == "The night train at the coast station"
    assert article.image_caption == ""
    assert article.related_heading == "Related"
    assert article.related == [
        RelatedCard(
            title="New sleeper cars arrive",
            url="https://raildesk.example/sleeper-cars",
            teaser="The first of twelve cars…",
        )
    ]
    assert article.body == (
        "The night train to the coast turns ten this summer. We rode it "
        "[end to end](https://raildesk.example/timetable).\n"
        "\n"
        "## Leaving the capital\n"
        "\n"
        "Regulars bring their own kit:\n"
        "\n"
        "- earplugs\n"
        "- a *blanket*\n"
        "\n"
        "TK\n"
    )


def test_newspaper_page_without_article_element() -> None:
    article = import_html(page("newspaper.html"))
    assert article.title == "Turnout falls in regional elections"
    assert article.dek == "Turnout fell to 48 percent, the lowest since 1995."
    assert (article.author, article.date) == ("Tom Hale, Ana Ruiz", "2023-11-06")
    assert (article.image, article.tags) == ("", [])
    assert article.related_heading == "Read more"
    assert article.related == [
        RelatedCard(title="Polling stations: a map of the closures",
                    url="/politics/polling-stations"),
        RelatedCard(title="Why young voters stayed home", url="/politics/youth-vote"),
    ]
    assert article.body == (
        "Turnout in Sunday's regional elections fell to 48 percent, the lowest since 1995, "
        "according to preliminary figures.\n"
        "\n"
        "Analysts blamed a short campaign and bad weather. [QUOTE_NEEDED]\n"
        "\n"
        "The commission will publish final figures on Thursday.\n"
    )


# --- single rules ---------------------------------------------------------------------------


def test_title_falls_back_to_og_title_then_page_title_without_site_name() -> None:
    assert import_html(wrap("<p>x</p>", '<meta property="og:title" content="OG">')).title == "OG"
    head = '<title>Headline | The Ledger</title><meta property="og:site_name" content="The Ledger">'
    assert import_html(wrap("<p>x</p>", head)).title == "Headline"
    assert import_html(wrap("<p>x</p>", "<title>A - B</title>")).title == "A - B"


def test_meta_author_and_published_time() -> None:
    head = (
        '<meta name="author" content="Jo Park">'
        '<meta property="article:published_time" content="2025-10-01T08:00:00Z">'
    )
    article = import_html(wrap("<article><h1>T</h1><p>Text.</p></article>", head))
    assert (article.author, article.date, article.body) == ("Jo Park", "2025-10-01", "Text.\n")


def test_byline_text_is_parsed_and_removed() -> None:
    article = import_html(
        wrap('<article><h1>T</h1><p class="byline">By Jo Park · October 1, 2025</p>'
             "<p>Text.</p></article>")
    )
    assert (article.author, article.date, article.body) == ("Jo Park", "2025-10-01", "Text.\n")


def test_no_metadata_leaves_fields_empty() -> None:
    article = import_html(wrap("<main><p>Only text.</p></main>"))
    assert (article.title, article.author, article.date, article.dek) == ("", "", "", "")
    assert (article.related, article.related_heading) == ([], DEFAULT_RELATED_HEADING)
    assert article.body == "Only text.\n"


def test_scripts_styles_and_furniture_are_dropped() -> None:
    body = (
        "<article><h1>T</h1><script>alert(1)</script><style>p{}</style>"
        "<nav><a href='/'>Home</a></nav><p>Kept.</p><div class='share-buttons'>Share</div>"
        "<footer>Posted in News</footer></article>"
    )
    assert import_html(wrap(body)).body == "Kept.\n"


def test_lazy_image_source_and_og_image_fallback() -> None:
    body = (
        '<article><header><h1>T</h1><figure><img data-src="real.jpg" src="data:image/gif;base64,R0"'
        ' alt="A"></figure></header><p>Text.</p></article>'
    )
    article = import_html(wrap(body, '<meta property="og:image" content="og.jpg">'))
    assert (article.image, article.image_alt) == ("real.jpg", "A")
    article = import_html(wrap("<article><h1>T</h1><p>Text.</p></article>",
                               '<meta property="og:image" content="og.jpg">'))
    assert article.image == "og.jpg"


def test_related_heading_inside_a_story_takes_only_its_list() -> None:
    body = (
        "<div><p>A long enough paragraph of the story.</p><p>Another one.</p>"
        "<h2>Read also</h2><ul><li><a href='/x'>X story</a></li></ul></div>"
    )
    article = import_html(wrap(body))
    assert article.related == [RelatedCard(title="X story", url="/x")]
    assert article.body == "A long enough paragraph of the story.\n\nAnother one.\n"


def test_broken_json_ld_is_ignored() -> None:
    head = '<script type="application/ld+json">{not json</script>'
    assert import_html(wrap("<article><h1>T</h1><p>x</p></article>", head)).title == "T"


def test_placeholders_survive_conversion() -> None:
    body = "<article><p>See [INTERNAL_LINK], [IMAGE: chart of turnout] and TK.</p></article>"
    assert import_html(wrap(body)).body == (
        "See [INTERNAL_LINK], [IMAGE: chart of turnout] and TK.\n"
    )


def test_load_article_opens_an_html_page() -> None:
    article = load_article(SAMPLES / "own_export.html")
    assert article.title == "Harbour strike ends after nine days"
    assert article.related_heading == "Don't Miss"


# --- the page's encoding: read as bytes, as a browser reads it ------------------------------

RUSSIAN = "Выборы в городской совет: явка упала"
JAPANESE = "東京の地下鉄、終夜運転を始める"


def page_bytes(title: str, body: str, head: str, encoding: str) -> bytes:
    return (f"<html><head>{head}<title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{body}</p></article></body></html>").encode(encoding)


@pytest.mark.parametrize(("head", "encoding", "text"), [
    ('<meta charset="windows-1251">', "cp1251", RUSSIAN),
    ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">', "cp1251",
     RUSSIAN),
    ('<meta charset="Shift_JIS">', "cp932", JAPANESE),
    ('<meta charset="EUC-JP">', "euc_jp", JAPANESE),
    ('<meta charset="ISO-8859-1">', "cp1252", "Café “quotes” — as browsers read Latin-1"),
])
def test_a_declared_encoding_is_honoured_without_a_question(
    tmp_path: Path, head: str, encoding: str, text: str
) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(page_bytes(text, text, head, encoding))
    article = load_article(path)
    assert article.title == text
    assert article.body == f"{text}\n"
    assert article.warnings == []


def test_the_xml_declaration_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "page.xhtml"
    path.write_bytes(b'<?xml version="1.0" encoding="Shift_JIS"?>\n'
                     + page_bytes(JAPANESE, JAPANESE, "", "cp932"))
    assert load_article(path).title == JAPANESE


@pytest.mark.parametrize(("bom", "encoding"), [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
])
def test_a_byte_order_mark_wins_over_a_wrong_declaration(
    tmp_path: Path, bom: bytes, encoding: str
) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(bom + page_bytes(RUSSIAN, RUSSIAN, '<meta charset="iso-8859-1">', encoding))
    assert load_article(path).title == RUSSIAN


def test_a_wrong_declaration_falls_back_to_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(page_bytes(RUSSIAN, RUSSIAN, '<meta charset="utf-8">', "cp1251"))
    article = load_article(path)
    assert article.title == RUSSIAN
    assert article.warnings and "cp1251" in article.warnings[0]


def test_an_undeclared_page_is_utf8_or_else_guessed_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(page_bytes(JAPANESE, JAPANESE, "", "utf-8"))
    assert (load_article(path).title, load_article(path).warnings) == (JAPANESE, [])
    long_text = " ".join([RUSSIAN] * 20)
    path.write_bytes(page_bytes(RUSSIAN, long_text, "", "cp1251"))
    article = load_article(path)
    assert (article.title, article.body) == (RUSSIAN, f"{long_text}\n")
    assert article.warnings == [
        "the page does not say its encoding; read as cp1251, check the text"]


def test_a_binary_file_named_html_is_refused_as_binary(tmp_path: Path) -> None:
    from editor.errors import BinaryFileError

    path = tmp_path / "photo.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with pytest.raises(BinaryFileError) as caught:
        load_article(path)
    assert str(caught.value) == f"{path}: this is a binary file, not a web page"


@pytest.mark.parametrize(("page", "body"), [
    ('<div class="menu"><a href="/">Home</a> <a href="/news">News</a></div><div class="post">'
     "<h1>Short note</h1><p>The library opens late on Thursday.</p><p>Bring your card.</p></div>"
     '<div class="foot">Copyright 2025</div>',
     "The library opens late on Thursday.\n\nBring your card.\n"),
    ('<div class="nav"><a href="/">首页</a><a href="/news">新闻</a></div><div class="article">'
     "<h1>北京地铁新线开通</h1><p>北京地铁十七号线北段今天正式开通运营。</p><p>通勤时间将缩短约二十分钟。</p>"
     '</div><div class="footer">版权所有</div>',
     "北京地铁十七号线北段今天正式开通运营。\n\n通勤时间将缩短约二十分钟。\n"),
])
def test_a_short_page_keeps_its_paragraphs_and_leaves_the_menu(page: str, body: str) -> None:
    assert import_html(wrap(page)).body == body
