"""The exported page: structure, metadata, images, and validity under the W3C Nu checker."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from editor.export import (
    ExportOptions,
    Theme,
    UnresolvedPlaceholdersError,
    export_article,
    image_type,
    render_page,
)
from editor.fileformat import parse_markdown
from editor.files import load_article
from editor.model import Article, RelatedCard

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "resources" / "samples" / "harbour-bridge.md"
POSTS = sorted((ROOT / "tests" / "data" / "posts").glob("*.md"))


class _Outline(HTMLParser):
    """Tags in document order with their attributes, and the text of each element path."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        for name in ("src", "href"):
            value = attributes.get(name) or ""
            if tag in ("img", "script", "link", "iframe") and value.startswith(("http", "//")):
                self.external.append(value)


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def test_sample_page_has_the_article_structure_and_metadata() -> None:
    article = load_article(SAMPLE)
    html = render_page(article)
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert "<title>City council approves harbour bridge after a decade of delays</title>" in html
    assert '<meta name="description" content="The council voted 9–4 to fund' in html
    assert '<meta property="og:title" content="City council approves harbour bridge' in html
    assert '<meta property="og:type" content="article">' in html
    parsed = outline(html).tags
    tags = [tag for tag, _ in parsed]
    body_tags = tags[tags.index("body"):]
    body_start = next(i for i, (tag, attrs) in enumerate(parsed)
                      if attrs.get("class") == "article-body")
    assert body_tags[:4] == ["body", "main", "article", "header"]
    assert tags.count("h1") == 1
    assert '<p class="byline">By <span class="author">Maria Lopez</span> · ' in html
    assert '<time datetime="2025-10-01">October 1, 2025</time>' in html
    assert '<figure class="featured">\n<img src="images/harbour.svg" alt="An artist' in html
    assert "<figcaption>The approved design, seen from the old port." in html
    assert '<aside class="related" aria-labelledby="related-heading">' in html
    assert '<h2 id="related-heading">Don&#39;t Miss</h2>' in html
    assert html.count('<li class="card">') == 2
    assert 'class="codehilite"' in html and ".codehilite .k" in html
    assert "prefers-color-scheme: dark" in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == article.title
    assert ld["datePublished"] == "2025-10-01"
    assert ld["author"] == [{"@type": "Person", "name": "Maria Lopez"}]
    # Body headings start at h2, directly under the page's h1.
    first_body_heading = next(t for t in tags[body_start:] if re.fullmatch(r"h[1-6]", t))
    assert first_body_heading == "h2"


def test_page_needs_nothing_from_the_network_and_every_image_has_alt() -> None:
    html = render_page(load_article(SAMPLE))
    parsed = outline(html)
    assert parsed.external == []
    assert "<link" not in html
    images = [attrs for tag, attrs in parsed.tags if tag == "img"]
    assert len(images) == 2
    assert all(attrs.get("alt") for attrs in images)


def test_code_styles_are_embedded_only_when_code_is_present() -> None:
    assert ".codehilite .k" not in render_page(Article(title="t", body="No code here."))


def test_text_is_escaped_and_json_ld_cannot_close_its_script() -> None:
    article = Article(title='</script><script>alert("x")</script>', dek="<b>bold</b> & co",
                      date="2025-01-02")
    html = render_page(article)
    assert "<script>alert" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html
    assert "\\u003c/script\\u003e" in html


def test_theme_option_forces_light_or_dark() -> None:
    assert '<html lang="en" data-theme="dark">' in render_page(
        Article(title="t"), ExportOptions(theme=Theme.DARK))
    assert "data-theme" not in render_page(Article(title="t")).split("<head>")[0]


def test_fragment_is_the_body_and_related_block_only() -> None:
    article = Article(title="T", body="Para *one*.", related=[RelatedCard(title="C", url="/c")])
    fragment = render_page(article, ExportOptions(fragment=True))
    assert fragment.startswith("<p>Para <em>one</em>.</p>")
    assert '<aside class="related"' in fragment
    assert "<html" not in fragment and "<h1" not in fragment and "<style" not in fragment


def test_teasers_are_trimmed_and_cards_without_images_have_no_img() -> None:
    article = Article(title="T", related=[RelatedCard(title="C", url="/c", teaser="word " * 80)])
    html = render_page(article, ExportOptions(teaser_length=40))
    teaser = re.search(r'<p class="card-teaser">(.*?)</p>', html)[1]
    assert teaser.endswith("…") and len(teaser) <= 40
    assert "<img" not in html


def test_local_images_are_copied_beside_the_page(tmp_path: Path) -> None:
    page = tmp_path / "out" / "page.html"
    export_article(load_article(SAMPLE), page, source_dir=SAMPLE.parent, allow_placeholders=True)
    assert (tmp_path / "out" / "images" / "harbour.svg").read_bytes() == (
        SAMPLE.parent / "images" / "harbour.svg").read_bytes()
    assert (tmp_path / "out" / "images" / "port.svg").is_file()
    assert 'src="images/harbour.svg"' in page.read_text("utf-8")


def test_embedded_images_make_one_self_contained_file(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    export_article(load_article(SAMPLE), page, ExportOptions(embed_images=True),
                   source_dir=SAMPLE.parent, allow_placeholders=True)
    html = page.read_text("utf-8")
    assert 'src="data:image/svg+xml;base64,' in html
    assert 'src="images/' not in html
    assert list(tmp_path.iterdir()) == [page]


def test_unresolved_placeholders_refuse_export(tmp_path: Path) -> None:
    article = parse_markdown("Text [INTERNAL_LINK] and TK.\n")
    with pytest.raises(UnresolvedPlaceholdersError) as caught:
        export_article(article, tmp_path / "p.html")
    assert [p.token for p in caught.value.placeholders] == ["[INTERNAL_LINK]", "TK"]
    assert not (tmp_path / "p.html").exists()


def _vnu_command() -> list[str] | None:
    jar = os.environ.get("VNU_JAR")
    if jar and Path(jar).is_file() and shutil.which("java"):
        return ["java", "-jar", jar]
    if shutil.which("vnu"):
        return ["vnu"]
    return None


def test_pages_pass_the_w3c_nu_html_checker(tmp_path: Path) -> None:
    command = _vnu_command()
    if command is None:
        if os.environ.get("CI"):
            pytest.fail("CI must provide the Nu HTML Checker (VNU_JAR); see .ci/run")
        pytest.skip("the Nu HTML Checker is not installed (set VNU_JAR to vnu.jar)")
    pages = []
    for source in [SAMPLE, *POSTS]:
        for options in (ExportOptions(), ExportOptions(theme=Theme.DARK)):
            page = tmp_path / f"{source.stem}-{options.theme.value}.html"
            export_article(load_article(source), page, options, source_dir=source.parent,
                           allow_placeholders=True)
            pages.append(str(page))
    result = subprocess.run([*command, "--errors-only", *pages], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr + result.stdout
    assert len(POSTS) >= 4


def test_posts_from_other_tools_keep_template_tags_as_link_text() -> None:
    html = render_page(load_article(ROOT / "tests" / "data" / "posts" / "eleventy-post.md"))
    assert 'href="%7B%7B%20%22/a/b/%22%20%7C%20url%20%7D%7D"' in html
    assert "document.write" not in html and "evil()" not in html
    hugo = render_page(load_article(ROOT / "tests" / "data" / "posts" / "hugo-post.md"))
    assert '<h2 id="starts-at-level-three">' in hugo and "<h3 id=\"deeper\">" in hugo
    assert 'By <span class="author">Ana Ruiz, Ben Okoro</span>' in hugo


def test_a_front_matter_block_at_the_top_of_the_body_is_not_exported(tmp_path: Path) -> None:
    article = parse_markdown("---\ntitle: One\n---\n---\ntitle: Two [TK]\n---\nText.\n")
    assert render_page(article, ExportOptions(fragment=True)).startswith("<p>Text.</p>\n")
    export_article(article, tmp_path / "page.html")  # its token is no placeholder of the page
    html = (tmp_path / "page.html").read_text("utf-8")
    assert "Two" not in html and "<hr" not in html


def test_images_without_alt_text_fall_back_to_caption_headline_or_card_title() -> None:
    article = Article(title="Headline", image="https://e.com/a.jpg",
                      related=[RelatedCard(title="Card title", url="/c", image="https://e.com/c.jpg")])
    html = render_page(article)
    assert '<img src="https://e.com/a.jpg" alt="Headline">' in html
    assert 'src="https://e.com/c.jpg" alt="Card title"' in html
    article.image_caption = "The caption"
    assert '<img src="https://e.com/a.jpg" alt="The caption">' in render_page(article)
    assert all(attrs.get("alt") for tag, attrs in outline(html).tags if tag == "img")


# -- only real images leave with the page -----------------------------------------------------

SECRET = b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
# The smallest real GIF: one transparent pixel.
PIXEL_GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def draft_with_image(tmp_path: Path, src: str) -> Path:
    """A draft someone sent, in its own folder, whose image points at ``src``."""
    folder = tmp_path / "draft"
    folder.mkdir(exist_ok=True)
    path = folder / "story.md"
    path.write_text(f"---\ntitle: A draft\n---\nText.\n\n![The harbour at dawn]({src})\n", "utf-8")
    return path


def exported_files(folder: Path) -> list[bytes]:
    return [file.read_bytes() for file in folder.rglob("*") if file.is_file()]


@pytest.mark.parametrize("embed", [False, True], ids=["copied", "embedded"])
@pytest.mark.parametrize("where", ["outside the folder", "absolute path", "text renamed .png"])
def test_only_real_image_files_are_copied_or_embedded(tmp_path: Path, where: str, embed: bool) -> None:
    (tmp_path / "secret").mkdir()
    secret = tmp_path / "secret" / "id_rsa"
    secret.write_bytes(SECRET)
    src = {"outside the folder": "../secret/id_rsa", "absolute path": str(secret),
           "text renamed .png": "notes.png"}[where]
    path = draft_with_image(tmp_path, src)
    (path.parent / "notes.png").write_bytes(SECRET)
    out = tmp_path / "out"
    resolver = export_article(load_article(path), out / "page.html",
                              ExportOptions(embed_images=embed), source_dir=path.parent)
    assert resolver.missing == [src]
    html = (out / "page.html").read_text("utf-8")
    assert f'<img alt="The harbour at dawn" src="{src}">' in html  # the browser shows the alt text
    assert "base64" not in html
    assert exported_files(out) == [html.encode("utf-8")]


def test_a_real_image_under_any_name_is_embedded_with_its_own_type(tmp_path: Path) -> None:
    path = draft_with_image(tmp_path, "pixel.png")
    (path.parent / "pixel.png").write_bytes(PIXEL_GIF)
    page = tmp_path / "page.html"
    resolver = export_article(load_article(path), page, ExportOptions(embed_images=True),
                              source_dir=path.parent)
    assert resolver.missing == []
    assert f'src="data:image/gif;base64,{base64.b64encode(PIXEL_GIF).decode()}"' in page.read_text()


@pytest.mark.parametrize(("content", "mime"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
    (PIXEL_GIF, "image/gif"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
    (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00", "image/avif"),
    (b"BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00", "image/bmp"),
    (b"\x00\x00\x01\x00\x01\x00\x10\x10", "image/x-icon"),
    (b'<?xml version="1.0"?>\n<!-- a map -->\n<svg xmlns="http://www.w3.org/2000/svg"/>',
     "image/svg+xml"),
    (b"\xef\xbb\xbf<svg width='1' height='1'></svg>", "image/svg+xml"),
    (b"BMW sales rose by a third in the quarter.", None),
    (b"<html><body>not a picture</body></html>", None),
    (b"<svg unclosed", None),
    (b"", None),
])
def test_images_are_told_by_their_content(tmp_path: Path, content: bytes, mime: str | None) -> None:
    file = tmp_path / "image.png"
    file.write_bytes(content)
    assert image_type(file) == mime
