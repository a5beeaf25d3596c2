"""Pasted rich text as clean Markdown: what Chrome, Firefox, Word, LibreOffice and Google Docs
put on the clipboard (tests/data/clipboard), read for its structure only."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.importers.clipboard import html_to_markdown
from editor.importers.links import as_url, without_tracking

CLIPS = Path(__file__).resolve().parents[1] / "data" / "clipboard"


def clip(name: str) -> str:
    return html_to_markdown((CLIPS / name).read_text("utf-8"))


def test_chrome_keeps_structure_and_drops_styles_and_tracking() -> None:
    assert clip("chrome.html") == (
        "## What the deal says\n"
        "\n"
        "The agreement has **three parts**, according to the "
        "[union's statement](https://example.org/union/statement?id=7).\n"
        "\n"
        "- a 6 percent raise over two years;\n"
        "- new shift patterns.\n"
        "\n"
        "> We held the line, and it paid off."
    )


def test_a_phrase_from_windows_chrome_is_inline_text() -> None:
    assert clip("chrome_windows.html") == (
        "Ships waited *nine days* outside the harbour, [port data](https://news.example/port?ref=home)"
        " shows.")


def test_firefox_table_and_numbered_list() -> None:
    assert clip("firefox.html") == (
        "### The numbers\n\n| Year | Raise |\n| --- | --- |\n| 2024 | 3% |\n| 2025 | 3% |\n\n"
        "Figures: [port authority](https://stats.example/ports).\n\n"
        "1. Vote on Wednesday\n2. Return on Thursday")


def test_google_docs_wrapper_is_not_bold_and_span_styles_are_emphasis() -> None:
    text = clip("google_docs.html")
    assert text == (
        "# Budget talks stall\n"
        "\n"
        "The council's **budget talks** stalled on *Tuesday*, see "
        "[the budget papers](https://example.org/budget?page=2).\n"
        "\n"
        "- Schools\n"
        "    - primary\n"
        "- Roads"
    )
    assert "docs-internal-guid" not in text and "**#" not in text


def test_word_lists_become_markdown_lists_without_word_junk() -> None:
    assert clip("word.html") == (
        "## Ferry fares to rise\n"
        "\n"
        "The company said on **Monday** that fares will rise *from April*, in a "
        "[statement](https://ferries.example/news?lang=en).\n"
        "\n"
        "- Adult returns\n"
        "    - peak season\n"
        "- Cars\n"
        "\n"
        "1. Book online\n"
        "2. Print the ticket"
    )


def test_libreoffice() -> None:
    assert clip("libreoffice.html") == (
        "## Night trains return\n\nThe sleeper to the coast **runs again** from *June*.\n\n"
        "> We waited ten years for this.")


@pytest.mark.parametrize(("url", "clean"), [
    ("https://a.example/x?utm_source=t&utm_medium=s", "https://a.example/x"),
    ("https://a.example/x?id=3&fbclid=Iw&gclid=Cj", "https://a.example/x?id=3"),
    ("https://a.example/x?UTM_Campaign=z&page=2#top", "https://a.example/x?page=2#top"),
    ("https://a.example/x?page=2", "https://a.example/x?page=2"),
    ("mailto:desk@example.org", "mailto:desk@example.org"),
])
def test_tracking_parameters_are_dropped(url: str, clean: str) -> None:
    assert without_tracking(url) == clean


def test_as_url_knows_a_lone_address() -> None:
    assert as_url(" https://a.example/story?utm_source=x \n") == "https://a.example/story"
    assert as_url("www.example.org/a") == "https://www.example.org/a"
    assert as_url("see https://a.example") is None and as_url("plain words") is None


def test_images_without_a_web_address_become_placeholders() -> None:
    html = ('<p>Before <img src="file:///C:/Users/ana/AppData/Local/Temp/msohtmlclip1/01/'
            'clip_image001.png" alt="Map of the route"> after '
            '<img src="data:image/png;base64,iVBORw0KGgo="> and '
            '<img src="https://cdn.example/chart.png" alt="Chart"></p>')
    assert html_to_markdown(html) == (
        "Before [IMAGE: Map of the route] after [IMAGE: pasted image] and "
        "![Chart](https://cdn.example/chart.png)")
