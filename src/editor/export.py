"""The article as a standalone HTML5 page (or a body fragment), from templates in resources/."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
import nh3
from pygments.formatters import HtmlFormatter

from editor.errors import ArticleError
from editor.fileformat import without_front_matter
from editor.files import write_atomic
from editor.model import Article, trim_text
from editor.placeholders import Placeholder, find_placeholders
from editor.render import (
    CODE_CSS_CLASS,
    TAG_RE,
    BodyRenderer,
    RawHtml,
    RenderedBody,
    encode_url,
    rewrite_image_sources,
)

CODE_STYLE_LIGHT = "xcode"
CODE_STYLE_DARK = "monokai"
DESCRIPTION_CHARS = 160


class Theme(Enum):
    AUTO = "auto"  # follow the reader's system
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True)
class ExportOptions:
    fragment: bool = False  # the body and related block only, for pasting into a CMS
    embed_images: bool = False  # local images as data: URLs, for one self-contained file
    raw_html: RawHtml = RawHtml.SANITIZE
    theme: Theme = Theme.AUTO
    teaser_length: int = 160


class UnresolvedPlaceholdersError(ArticleError):
    """Export refused: the article still has placeholders."""

    def __init__(self, placeholders: Sequence[Placeholder]) -> None:
        self.placeholders = placeholders
        super().__init__(f"{len(placeholders)} unresolved placeholder(s)")


# A browser shows these in <img>; told by a file's first bytes, never by its name.
_IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_BMP_HEADER_SIZES = frozenset({12, 40, 52, 56, 64, 108, 124})
_SVG_TAGS = frozenset({"svg", "{http://www.w3.org/2000/svg}svg"})


def image_type(path: Path) -> str | None:
    """The MIME type of the image file ``path``, by its content; None for anything else.

    Export copies or embeds only real images: a draft that points an image at a key file or a
    document (``![](../secret/id_rsa)``, a text file renamed ``.png``) must not carry it along.
    """
    try:
        with path.open("rb") as file:
            head = file.read(32)
    except OSError:
        return None
    for signature, mime in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return "image/avif"
    if head[:2] == b"BM" and int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES:
        return "image/bmp"
    if head[:4] == b"\x00\x00\x01\x00" and int.from_bytes(head[4:6], "little") > 0:
        return "image/x-icon"
    if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<") and _is_svg(path):
        return "image/svg+xml"
    return None


def _is_svg(path: Path) -> bool:
    """Is ``path`` XML whose root element is ``<svg>``? Only the root is read."""
    try:
        for _event, element in ElementTree.iterparse(path, events=("start",)):
            return element.tag in _SVG_TAGS
    except (ElementTree.ParseError, OSError, ValueError):
        return False
    return False


@dataclass
class ImageResolver:
    """Decides what a local image's ``src`` becomes in the exported page.

    Remote and data URLs stay as they are. A local image file (relative to the article's
    folder) is either embedded as a data: URL or scheduled to be copied beside the page. A
    source that is not found, or is not an image by its content, is listed in ``missing`` and
    left as written, so the page shows its alt text.
    """

    source_dir: Path | None = None
    embed: bool = False
    copies: dict[Path, PurePosixPath] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def __call__(self, src: str) -> str:
        if not src or self.source_dir is None or urlsplit(src).scheme or src.startswith("//"):
            return encode_url(src)
        relative = unquote(src.split("#", 1)[0].split("?", 1)[0])
        local = (self.source_dir / relative).resolve()
        mime = image_type(local) if local.is_file() else None
        if mime is None:
            self.missing.append(src)
            return encode_url(src)
        if self.embed:
            return f"data:{mime};base64,{base64.b64encode(local.read_bytes()).decode('ascii')}"
        target = PurePosixPath(relative)
        if target.is_absolute() or ".." in target.parts:
            target = PurePosixPath("images") / local.name
        self.copies[local] = target
        return encode_url(str(target))

    def copy_beside(self, page: Path) -> None:
        for local, target in self.copies.items():
            destination = page.parent / target
            if destination.resolve() == local:
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(local, destination)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("editor.resources", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # installed templates: no stat of each one on every page of a batch
    )


@cache
def page_css() -> str:
    return resources.files("editor.resources").joinpath("css/article.css").read_text("utf-8")


@cache
def code_css() -> str:
    """Pygments token colours: light, and dark where the page is dark."""
    def token_styles(style: str, prefix: str) -> str:
        return "\n".join(HtmlFormatter(style=style).get_token_style_defs(prefix))

    light = token_styles(CODE_STYLE_LIGHT, f".{CODE_CSS_CLASS}")
    dark_forced = token_styles(CODE_STYLE_DARK, f':root[data-theme="dark"] .{CODE_CSS_CLASS}')
    dark_auto = token_styles(CODE_STYLE_DARK, f':root:not([data-theme="light"]) .{CODE_CSS_CLASS}')
    return f"{light}\n{dark_forced}\n@media (prefers-color-scheme: dark) {{\n{dark_auto}\n}}"


def iso_date(value: str) -> str:
    """``value`` as HTML's ``datetime`` wants it (ISO 8601 date or date-time), or ""."""
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value.replace(" +", "+").replace(" -", "-")).isoformat()
    except ValueError:
        return ""


def display_date(value: str) -> str:
    try:
        date = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{date:%B} {date.day}, {date.year}"


def page_title(article: Article) -> str:
    return article.title.strip() or "Untitled article"


def page_description(article: Article, body_html: str) -> str:
    """The meta description: the article's own, else its dek, else the opening of the text."""
    text = article.description or article.dek
    if not text:
        text = TAG_RE.sub(" ", body_html)
        text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    return trim_text(text, DESCRIPTION_CHARS)


def _json_ld(article: Article, description: str, image: str) -> str:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page_title(article),
    }
    if description:
        data["description"] = description
    if iso_date(article.date):
        data["datePublished"] = iso_date(article.date)
    if article.author:
        data["author"] = [
            {"@type": "Person", "name": name.strip()}
            for name in article.author.split(",") if name.strip()
        ]
    if image:
        data["image"] = [image]
    if article.tags:
        data["keywords"] = ", ".join(article.tags)
    if article.keyword:
        data.setdefault("keywords", article.keyword)
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # Nothing in the data may close the script element it sits in.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _safe_url(url: str, options: ExportOptions, *, image: bool = False) -> str:
    """``url`` (already encoded), or "" when its scheme could run code (``javascript:``).

    Front-matter URLs (featured image, related cards) get the same scheme rules as the links
    nh3 lets through in the body; images may also be embedded ``data:image/…`` URLs.
    """
    if options.raw_html is RawHtml.KEEP:
        return url
    scheme = urlsplit(url).scheme.lower()
    if not scheme or scheme in nh3.ALLOWED_URL_SCHEMES:
        return url
    if image and url.lower().startswith("data:image/"):
        return url
    return ""


def page_context(
    article: Article, body: RenderedBody, options: ExportOptions, resolve_image: ImageResolver
) -> dict[str, Any]:
    """Everything the page templates show, computed once."""
    body_html = rewrite_image_sources(body.html, resolve_image)
    description = page_description(article, body_html)
    image_src = (_safe_url(resolve_image(article.image), options, image=True)
                 if article.image else "")
    cards = [
        {
            "title": card.title,
            "url": _safe_url(encode_url(card.url), options),
            "image_src": _safe_url(resolve_image(card.image), options, image=True)
            if card.image else "",
            # No image goes without alt text: the story's title says what a card shows.
            "image_alt": card.image_alt or card.title,
            "teaser": trim_text(card.teaser, options.teaser_length) if card.teaser else "",
        }
        for card in article.related
        if card.title or card.url
    ]
    og_image = encode_url(article.image) if urlsplit(article.image).scheme in ("http", "https") else ""
    return {
        "lang": article.lang or "en",
        "theme": "" if options.theme is Theme.AUTO else options.theme.value,
        "color_scheme": "light dark" if options.theme is Theme.AUTO else options.theme.value,
        "title": page_title(article),
        "description": description,
        "keywords": ", ".join(filter(None, [article.keyword, *article.tags])),
        "og_image": og_image,
        "date_iso": iso_date(article.date),
        "date_display": display_date(article.date),
        "image_src": image_src,
        # The writer's alt text; failing that the caption, then the headline (the checks
        # still flag the missing alt text).
        "image_alt": article.image_alt or article.image_caption or page_title(article),
        "cards": cards,
        "body_html": jinja2.utils.markupsafe.Markup(body_html),
        "json_ld": jinja2.utils.markupsafe.Markup(_json_ld(article, description, og_image)),
        "css": jinja2.utils.markupsafe.Markup(page_css()),
        "code_css": jinja2.utils.markupsafe.Markup(code_css()) if body.has_code else "",
    }


def render_template(name: str, article: Article, page: dict[str, Any]) -> str:
    return _environment().get_template(name).render(article=article, page=page)


def render_page(
    article: Article,
    options: ExportOptions | None = None,
    *,
    renderer: BodyRenderer | None = None,
    resolve_image: ImageResolver | None = None,
) -> str:
    """The article's page (or body fragment) as HTML text."""
    options = options or ExportOptions()
    renderer = renderer or BodyRenderer(options.raw_html)
    body = renderer.render(without_front_matter(article.body))
    page = page_context(article, body, options, resolve_image or ImageResolver())
    if options.fragment:
        related = render_template("article_related.html.j2", article, page)
        return f"{page['body_html']}\n{related}"
    return render_template("article.html.j2", article, page)


def export_article(
    article: Article,
    output: Path,
    options: ExportOptions | None = None,
    *,
    source_dir: Path | None = None,
    allow_placeholders: bool = False,
    renderer: BodyRenderer | None = None,
    sync_rename: bool = True,
) -> ImageResolver:
    """Write the page to ``output``, with its local images copied beside it or embedded.

    Raises :class:`UnresolvedPlaceholdersError` unless ``allow_placeholders``; returns the
    image resolver so callers can report images that were not found. A batch passes one
    ``renderer`` for all its articles, which saves building Python-Markdown for each, and
    flushes its folder once (``sync_rename``, see :func:`~editor.files.write_atomic`).
    """
    options = options or ExportOptions()
    if not allow_placeholders:
        unresolved = find_placeholders(without_front_matter(article.body))
        if unresolved:
            raise UnresolvedPlaceholdersError(unresolved)
    resolver = ImageResolver(source_dir=source_dir, embed=options.embed_images)
    html = render_page(article, options, renderer=renderer, resolve_image=resolver)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(output, html.encode("utf-8"), sync_rename=sync_rename)
    resolver.copy_beside(output)
    return resolver
