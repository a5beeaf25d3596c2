"""A saved article page (a CMS, a newspaper site, or our own export) read back into an article.

A page carries much more than its article: navigation, sidebars, share buttons, scripts. The
page is read from its bytes in the encoding it declares (:func:`decode_page`); lxml drops the
scripts, styles and menus that make most of its weight. The importer then finds the article's
container (``<article>``, ``<main>`` or the element holding most paragraphs), reads the
metadata from the places publishers put it (the header inside the article, Open Graph and
``article:`` metas, schema.org JSON-LD, and trafilatura's metadata extraction for what those
leave empty), and lifts the headline, dek, byline, featured figure and related-stories block
out as fields and cards. The body is what trafilatura, the maintained main-content extractor,
finds within that container: it leaves share bars, promos, newsletter boxes and comments
behind. Our own export is recognised and read by its known structure instead, so that it
comes back exactly. Either way markdownify writes the Markdown, tuned for Python-Markdown
(four-space nested lists, aligned tables) and for our placeholders (``[INTERNAL_LINK]`` is
left unescaped).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from bs4 import BeautifulSoup, Tag
from bs4.dammit import EncodingDetector
from markdownify import MarkdownConverter

from editor.errors import BinaryFileError
from editor.importers.links import without_tracking
from editor.importers.plaintext import is_related_heading, parse_byline, parse_date
from editor.model import Article, RelatedCard

# Never article content, wherever they are.
_ALWAYS_DROPPED = ("script", "style", "noscript", "template", "svg", "canvas", "link")  # not meta
# Controls, never article text; dropped with the scripts.
_NEVER_CONTENT = ("form", "button", "input", "select", "textarea", "iframe")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Page furniture, dropped from the article's container once its metadata has been read.
_FURNITURE = (
    "nav", "header", "footer", "aside", "form", "button", "iframe", "input", "select",
    "textarea", "dialog",
)
# Class or id words of furniture inside an article body (share bars, ads, newsletters).
_FURNITURE_WORDS = frozenset({
    "share", "sharing", "sharedaddy", "social", "newsletter", "subscribe", "advert",
    "advertisement", "ad", "ads", "promo", "comments", "comment", "breadcrumb", "breadcrumbs",
    "sidebar", "screen-reader-text", "sr-only", "visually-hidden", "tags", "post-tags",
})
_WORD_SPLIT = re.compile(r"[\s_]+|(?<=[a-z])-(?=[a-z])")
_ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
    "OpinionNewsArticle", "ReviewNewsArticle", "TechArticle",
})
_BODY_SELECTORS = (
    "[itemprop~=articleBody], .entry-content, .post-content, .article-body, .article-content, "
    ".story-body, .post-body"
)
_DEK_SELECTORS = ".dek, .deck, .subtitle, .standfirst, .subheadline, .sub-headline"
_BYLINE_SELECTORS = ".byline, .author, .post-author, [itemprop~=author]"
_FEATURED_WORDS = frozenset({
    "featured", "feature", "lead", "hero", "post-thumbnail", "wp-block-post-featured-image",
})
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_NEVER_RELATED_BOX = frozenset({"html", "body", "article", "main", "[document]"})
_ISO_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")
_BLANK_RUNS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_BLANK_LINE_SPACES = re.compile(r"^[ \t]+$", re.MULTILINE)
# "By", and its kin in other languages, before an author's name.
_BY_PREFIX = re.compile(
    r"^\s*(?:by|von|par|por|door|di|av|af|автор|авторы|текст)(?:\s*:\s*|\s+)", re.IGNORECASE
)
# Whitespace a reader does not see as meant; an ideographic space in a headline is meant.
_SPACES = re.compile(r"[^\S\u3000]+")
# Parts of class and id names that mark furniture however they are spelled around them.
_FURNITURE_PARTS = ("sign-up", "signup", "newsletter", "cookie", "consent")


# --- small helpers --------------------------------------------------------------------------


def _text(element: Tag | None) -> str:
    """An element's text as a reader sees it: whitespace runs collapsed."""
    if element is None:
        return ""
    return _SPACES.sub(" ", element.get_text(" ")).strip()


def _words(element: Tag) -> set[str]:
    """The lower-cased words of an element's class and id ("post-tags" stays whole)."""
    classes: str | list[str] = element.get("class") or []
    names = [*classes, element.get("id") or ""] if isinstance(classes, list) else [classes]
    words: set[str] = set()
    for name in names:
        name = str(name).lower()
        words.add(name)
        words.update(part for part in _WORD_SPLIT.split(name) if part)
    return words


def _iso_date(value: str) -> str:
    """``2025-10-01T08:00:00Z`` → ``2025-10-01``; a written date is parsed."""
    match = _ISO_DATE.match(value)
    return match.group(1) if match else parse_date(value)


def _without_site_name(title: str, site_name: str) -> str:
    """"Headline | The Daily Ledger" → "Headline", when the page names its site."""
    for separator in (" | ", " – ", " — ", " - ", " · ", " :: "):
        head, found, tail = title.rpartition(separator)
        if found and site_name and tail.strip().casefold() == site_name.casefold():
            return head.strip()
    return title


def _detach(element: Tag | None) -> None:
    if element is not None:
        element.decompose()


# --- metadata the page declares -------------------------------------------------------------


def _metas(soup: BeautifulSoup) -> tuple[dict[str, str], list[str]]:
    """``<meta>`` contents by lower-cased name or property (first wins), and article tags."""
    values: dict[str, str] = {}
    tags: list[str] = []
    for meta in soup.find_all("meta"):
        key = str(meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = " ".join(str(meta.get("content") or "").split())
        if not key or not content:
            continue
        if key == "article:tag":
            if content not in tags:
                tags.append(content)
        else:
            values.setdefault(key, content)
    return values, tags


def _json_ld_article(scripts: list[str]) -> dict[str, Any]:
    """The page's schema.org article object, the one source many newspapers fill reliably."""
    for script in scripts:
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for item in _json_ld_items(data):
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(kind in _ARTICLE_TYPES for kind in kinds):
                return item
    return {}


def _json_ld_items(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_items(item)
    elif isinstance(data, dict):
        yield data
        yield from _json_ld_items(data.get("@graph"))


def _json_ld_names(value: Any) -> str:
    """Author names from a string, a Person object or a list of them."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return str(value.get("name") or "").strip()
    if isinstance(value, list):
        return ", ".join(name for name in map(_json_ld_names, value) if name)
    return ""


# --- the article's container ----------------------------------------------------------------


def _content_root(soup: BeautifulSoup) -> Tag:
    """``<article>`` (the one with the headline if several), ``<main>``, or the busiest element."""
    articles = soup.find_all("article")
    if articles:
        with_headline = [article for article in articles if article.find("h1")]
        return max(with_headline or articles, key=lambda article: len(_text(article)))
    main = soup.find("main") or soup.find(role="main")
    if isinstance(main, Tag):
        return main
    return _busiest_container(soup)


def _own_paragraphs_text(element: Tag) -> int:
    return sum(len(_text(p)) for p in element.find_all("p", recursive=False))


def _busiest_container(soup: BeautifulSoup) -> Tag:
    """The element whose own paragraphs hold the most text: where a plain page keeps its story.

    A story split into blocks (an advertisement between two runs of paragraphs) is held by
    the blocks' parent: when a sibling of the busiest element holds a good share of text too,
    the parent is the container.
    """
    best: Tag | None = None
    best_score = 0
    for element in soup.find_all(["div", "section", "td", "body"]):
        score = _own_paragraphs_text(element)
        if score > best_score:
            best, best_score = element, score
    if best is None:
        return soup.body or soup
    parent = best.parent
    if isinstance(parent, Tag) and parent.name not in ("body", "html", "[document]"):
        siblings = sum(_own_paragraphs_text(sibling) for sibling in parent.find_all(
            ["div", "section"], recursive=False) if sibling is not best)
        if siblings >= 0.25 * best_score:
            return parent
    return best


# --- the parts lifted out of the body -------------------------------------------------------


@dataclass
class _RelatedBlock:
    """Where the related stories are: their heading, the element holding the cards, and what
    to remove from the page once they are read."""

    heading: Tag | None
    cards_from: Tag
    parts: list[Tag]


def _take_related(soup: BeautifulSoup) -> tuple[str, list[RelatedCard]] | None:
    """Remove the related-stories block and return its heading and cards.

    Our own export writes ``<aside class="related"><h2>Don't Miss</h2><ul><li class="card">``;
    other sites use a related class or just a heading such as "Read more" over a list of links.
    """
    for block in _related_blocks(soup):
        cards = _cards(block.cards_from, block.heading)
        if cards:
            heading_text = _text(block.heading)
            for part in block.parts:
                part.decompose()
            return heading_text, cards
    return None


def _related_blocks(soup: BeautifulSoup) -> Iterator[_RelatedBlock]:
    for box in soup.find_all(["aside", "section", "div", "nav", "ul"]):
        if any("related" in word for word in _words(box)) and not box.find("h1"):
            yield _RelatedBlock(_box_heading(box), box, [box])
    for heading in soup.find_all(_HEADINGS):
        if is_related_heading(_text(heading)):
            block = _block_under(heading)
            if block is not None:
                yield block


def _box_heading(box: Tag) -> Tag | None:
    """The heading that titles a box of cards: the first one, unless it is a card's own link."""
    heading = box.find(_HEADINGS)
    if heading is None:
        return None
    titles_box = is_related_heading(_text(heading)) or not heading.find("a", href=True)
    return heading if titles_box else None


def _block_under(heading: Tag) -> _RelatedBlock | None:
    """The cards a related heading titles.

    If the heading's box (past a ``<header>``) holds nothing but the heading and links, the
    box is the block; otherwise the block is the heading and the list that follows it, so
    that a "Read more" at the foot of a story never takes the story with it.
    """
    top = heading.parent if heading.parent and heading.parent.name == "header" else heading
    box = top.parent
    if not isinstance(box, Tag) or box.name in _NEVER_RELATED_BOX:
        box = None
    if box is not None and all(
        child is top or child.find("a", href=True) or child.name == "a"
        for child in box.find_all(True, recursive=False)
    ):
        return _RelatedBlock(heading, box, [box])
    following = top.find_next_sibling()
    if isinstance(following, Tag) and following.find("a", href=True):
        return _RelatedBlock(heading, following, [top, following])
    return None


def _cards(source: Tag, title: Tag | None) -> list[RelatedCard]:
    """One card per list item, per ``<article>``, per titled item, or else per link."""
    items: Sequence[Tag | None] = source.find_all("li") or source.find_all("article")
    if not items:
        headings = [heading for heading in source.find_all(_HEADINGS) if heading is not title]
        items = [
            heading.parent if heading.parent is not source else heading for heading in headings
        ]
    if not items:
        items = [link for link in source.find_all("a", href=True) if _text(link)]
    cards = [_card(item) for item in items if isinstance(item, Tag)]
    return [card for card in cards if card.title or card.url]


def _card(item: Tag) -> RelatedCard:
    """One card: the title from its heading (or link text), the teaser from its paragraph."""
    heading = item.find(_HEADINGS)
    link = (heading.find("a", href=True) if heading else None) or (
        item if item.name == "a" else item.find("a", href=True)
    )
    image = item.find("img")
    title = _text(heading) if heading is not None else ""
    if not title and link is not None:
        title = _text(link)
    teaser = next(
        (_text(p) for p in item.find_all("p") if _text(p) and _text(p) != title), ""
    )
    return RelatedCard(
        title=title,
        url=str(link.get("href") or "") if link is not None else "",
        image=_image_source(image) if image is not None else "",
        image_alt=str(image.get("alt") or "").strip() if image is not None else "",
        teaser=teaser,
    )


def _image_source(image: Tag) -> str:
    """``src``, or the lazy-loading attribute a CMS put the real address in."""
    for attribute in ("src", "data-src", "data-lazy-src", "data-original"):
        value = str(image.get(attribute) or "").strip()
        if value and not value.startswith("data:"):
            return value
    srcset = str(image.get("srcset") or "").strip()
    return srcset.split(",")[0].split()[0] if srcset else ""


def _featured_figure(root: Tag) -> Tag | None:
    """The header's figure, a figure marked featured, or a figure before the first paragraph."""
    header = root.find("header")
    if isinstance(header, Tag):
        figure = header.find("figure")
        if isinstance(figure, Tag) and figure.find("img"):
            return figure
    for figure in root.find_all("figure"):
        if _words(figure) & _FEATURED_WORDS and figure.find("img"):
            return figure
    first = root.find(["figure", "p"])
    if isinstance(first, Tag) and first.name == "figure" and first.find("img"):
        return first
    return None


def _take_byline(root: Tag) -> tuple[str, str]:
    """Author and date written in the byline element, which is then removed from the body."""
    element = root.select_one(_BYLINE_SELECTORS)
    if element is None:
        return "", ""
    author_link = element.find("a", rel="author") or element.select_one("[rel~=author]")
    author = _text(author_link)
    time = element.find("time")
    date = _iso_date(str(time.get("datetime") or _text(time))) if isinstance(time, Tag) else ""
    if not author:
        byline = parse_byline(_text(element))
        author = byline.author if byline else _BY_PREFIX.sub("", _text(element))
        date = date or (byline.date if byline else "")
    element.decompose()
    return author, date


# --- HTML to Markdown -----------------------------------------------------------------------


class _ArticleConverter(MarkdownConverter):
    """markdownify, shaped for the Python-Markdown our body is rendered with."""

    _LONE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
    _BLOCK_START = re.compile(r"^(?:(?P<mark>[#>+]|-(?=\s))|(?P<number>\d+)(?P<dot>[.)])(?=\s))")

    def escape(self, text: str, parent_tags: set[str]) -> str:
        """Escape ``_`` only where it could open emphasis: ``[INTERNAL_LINK]`` stays as written."""
        text = super().escape(text, parent_tags)  # type: ignore[misc]  # markdownify's stub omits it
        if not text or "_noformat" in parent_tags:
            return text
        return self._LONE_UNDERSCORE.sub(r"\\_", text)

    def convert_p(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """A paragraph starting "#1 seed" or "1984. That" must stay a paragraph."""
        if "_inline" not in parent_tags:
            stripped = text.lstrip()
            match = self._BLOCK_START.match(stripped)
            if match is not None:
                if match["mark"]:
                    stripped = "\\" + stripped
                else:
                    rest = stripped[match.end():]
                    stripped = f"{match['number']}\\{match['dot']}{rest}"
                text = stripped
        return super().convert_p(el, text, parent_tags)  # type: ignore[misc]  # markdownify's stub omits it

    _ALIGNMENT = re.compile(r"text-align:\s*(left|right|center)")
    _RULES: ClassVar[dict[str, str]] = {"left": ":---", "right": "---:", "center": ":---:"}

    def convert_tr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Keep the columns' alignment (``| ---: |``), which Python-Markdown reads back."""
        converted = super().convert_tr(el, text, parent_tags)  # type: ignore[misc]  # markdownify's stub omits it
        cells = el.find_all(["td", "th"])
        plain = "| " + " | ".join(["---"] * len(cells)) + " |"
        if plain not in converted.split("\n"):
            return converted
        rules = []
        for cell in cells:
            found = self._ALIGNMENT.search(str(cell.get("style") or "")) or None
            alignment = found.group(1) if found else str(cell.get("align") or "").lower()
            rules.append(self._RULES.get(alignment, "---"))
        return converted.replace(plain, "| " + " | ".join(rules) + " |")

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Indent an item's further lines by four spaces, as Python-Markdown requires."""
        converted = super().convert_li(el, text, parent_tags)  # type: ignore[misc]  # markdownify's stub omits it
        lines = converted.split("\n")
        marker = re.match(r"^\S+ ", lines[0])
        width = len(marker.group(0)) if marker else 0
        if width >= 4:
            return converted
        indented = [
            "    " + line[width:] if line.startswith(" " * width) and line.strip() else line
            for line in lines[1:]
        ]
        return "\n".join([lines[0], *indented])


def _code_language(element: Tag) -> str:
    """The language a highlighter marked a code block with (``language-python``…)."""
    for candidate in (element, element.find("code")):
        if not isinstance(candidate, Tag):
            continue
        for name in candidate.get("class") or []:
            for prefix in ("language-", "lang-", "highlight-source-"):
                if str(name).startswith(prefix):
                    return str(name)[len(prefix):]
    return ""


def convert_to_markdown(element: Tag, *, infer_table_header: bool = False) -> str:
    """An element's content as the Markdown our body is written in (every importer's last step).

    ``infer_table_header`` reads a table's first row as its header when nothing marks one
    (a word processor's tables seldom do).
    """
    converter = _ArticleConverter(
        table_infer_header=infer_table_header,
        heading_style="ATX",
        bullets="-",
        code_language_callback=_code_language,
        escape_underscores=False,
        escape_asterisks=True,
        escape_misc=False,
    )
    markdown = converter.convert_soup(element)
    markdown = _BLANK_LINE_SPACES.sub("", markdown)
    markdown = _BLANK_RUNS.sub("\n\n", markdown).strip("\n")
    return f"{markdown}\n" if markdown.strip() else ""


# --- the main content, by trafilatura -------------------------------------------------------

# trafilatura's XML for a text's structure, as the HTML elements markdownify converts.
_EXTRACTED_TAGS = {
    "p": "p", "quote": "blockquote", "item": "li", "lb": "br", "ref": "a", "graphic": "img",
    "table": "table", "row": "tr", "del": "del", "div": "div",
}
_EXTRACTED_STYLES = {
    "#b": "strong", "#i": "em", "#u": "u", "#t": "code", "#sub": "sub", "#sup": "sup",
}
_BLOCK_PARENTS = frozenset({"body", "doc", "main", "quote", "item", "cell", "div"})


def _extracted_to_html(element: Any) -> None:
    """Rename trafilatura's elements in place (``<head rend="h2">`` → ``<h2>``…)."""
    for node in element.iter():
        tag = node.tag
        if not isinstance(tag, str):
            continue
        rend = node.attrib.pop("rend", "")
        if tag == "head":
            level = int(rend[1:]) if rend[:1] == "h" and rend[1:].isdigit() else 2
            node.tag = f"h{min(6, max(2, level))}"  # the headline is the article's only h1
        elif tag == "list":
            node.tag = "ol" if rend == "ol" else "ul"
        elif tag == "hi":
            node.tag = _EXTRACTED_STYLES.get(rend, "span")
        elif tag == "cell":
            node.tag = "th" if node.attrib.pop("role", "") == "head" else "td"
        elif tag == "code":
            parent = node.getparent()
            block = parent is None or parent.tag in _BLOCK_PARENTS or "\n" in (node.text or "")
            node.tag = "pre" if block and (parent is None or parent.tag != "pre") else "code"
        elif tag == "ref":
            node.tag = "a"
            node.attrib["href"] = without_tracking(node.attrib.pop("target", ""))
        elif tag in _EXTRACTED_TAGS:
            node.tag = _EXTRACTED_TAGS[tag]
        else:
            node.tag = "div" if tag in ("body", "doc", "main") else "span"


def _squeezed(text: str) -> str:
    """Text without any whitespace: the same words however the markup spaced them."""
    return "".join(text.split())


def _keep_what_the_container_holds(body: Any, container: Tag) -> None:
    """Drop extracted blocks that lie outside the article's container, when the two agree.

    trafilatura reads the whole page and may take a sidebar's lines with the story; the
    container found from the page's structure knows better where the story stops. When most
    of what trafilatura found is not in the container, the container is the wrong guess and
    nothing is dropped.
    """
    container_text = _squeezed(container.get_text())
    container_images = {_image_source(image) for image in container.find_all("img")}
    blocks = [(child, _squeezed("".join(child.itertext()))) for child in body]
    total = sum(len(text) for _child, text in blocks)
    inside = [text in container_text if text else child.get("src") in container_images
              for child, text in blocks]
    kept = sum(len(text) for (_child, text), held in zip(blocks, inside, strict=True) if held)
    if not total or kept < 0.7 * total:
        return
    for (child, _block_text), held in zip(blocks, inside, strict=True):
        if not held:
            body.remove(child)


def _captions_as_paragraphs(soup: BeautifulSoup) -> None:
    """Figure and table captions as paragraphs beside what they caption.

    trafilatura drops a ``<figcaption>`` and turns a ``<caption>`` into a table row; as a
    paragraph the caption comes through, as it does from our own export.
    """
    for caption in soup.find_all(["figcaption", "caption"]):
        text = _text(caption)
        owner = caption.find_parent(["figure", "table"])
        caption.decompose()
        if not text or owner is None:
            continue
        paragraph = soup.new_tag("p")
        paragraph.string = text
        if owner.name == "table":
            owner.insert_before(paragraph)
        else:
            owner.insert_after(paragraph)


def _is_whole_page_text(body: Any, container: Tag) -> bool:
    """trafilatura's last resort on a short page: all its text, menus too, as one paragraph
    of lines. The container's own structure is then the better reading."""
    blocks = list(body)
    if len(blocks) != 1 or blocks[0].tag != "p" or "\n" not in "".join(blocks[0].itertext()):
        return False
    held = _squeezed(container.get_text())
    return bool(held) and held in _squeezed("".join(blocks[0].itertext()))


def _extracted_markdown(page: str, container: Tag) -> str | None:
    """The page's main text as Markdown, or None when trafilatura finds none.

    trafilatura leaves behind what a reader skips: menus, share bars, cookie notices, comments,
    teasers. What it keeps, within the article's container, is converted by the same converter
    as the rest of the importer.
    """
    from lxml import etree
    from trafilatura import bare_extraction

    document = bare_extraction(
        page, include_comments=False, include_tables=True, include_images=True,
        include_formatting=True, include_links=True, deduplicate=False,
    )
    body = getattr(document, "body", None)
    if body is None or not "".join(body.itertext()).strip() or _is_whole_page_text(body, container):
        return None
    _keep_what_the_container_holds(body, container)
    _extracted_to_html(body)
    markup = etree.tostring(body, encoding="unicode", method="html")
    return convert_to_markdown(BeautifulSoup(markup, "html.parser"))


def _drop_furniture(root: Tag) -> None:
    for element in root.find_all(_FURNITURE):
        element.decompose()
    for element in root.find_all(True):
        if element.decomposed:
            continue
        words = _words(element)
        if (words & _FURNITURE_WORDS or element.has_attr("hidden")
                or any(part in word for word in words for part in _FURNITURE_PARTS)):
            element.decompose()


# --- the page's encoding --------------------------------------------------------------------

# Labels a page declares that browsers read as a larger encoding (the WHATWG Encoding
# Standard): a page that says ISO-8859-1 is read as Windows-1252, Shift_JIS as Windows-31J.
_BROWSER_ENCODINGS = {
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "l1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "iso-8859-9": "cp1254", "tis-620": "cp874",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "ms_kanji": "cp932", "gb2312": "gb18030", "gbk": "gb18030", "euc-kr": "cp949",
    # A byte page cannot really be UTF-16 if its declaration was readable as ASCII.
    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8",
}


def _codec(label: str | None) -> str | None:
    """The Python codec for an encoding label, or None if Python does not know it."""
    if not label:
        return None
    label = label.strip().lower()
    name = _BROWSER_ENCODINGS.get(label, label)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_page(data: bytes) -> tuple[str, str, bool]:
    """A saved page's text, the encoding it was read in, and whether that was a guess.

    As a browser does: a byte-order mark first, then the encoding the page declares (the XML
    declaration, ``<meta charset>`` or its ``http-equiv`` form), then UTF-8 if the bytes are
    valid UTF-8, and only then a guess from the bytes themselves.
    """
    data, bom_encoding = EncodingDetector.strip_byte_order_mark(data)
    if bom_encoding:
        return data.decode(bom_encoding, errors="replace"), bom_encoding, False
    declared = _codec(EncodingDetector.find_declared_encoding(data, is_html=True))
    if declared:
        try:
            return data.decode(declared), declared, False
        except UnicodeDecodeError:
            pass  # the declaration is wrong; read the bytes as they are
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    encoding = _codec(best.encoding if best is not None else None) or "cp1252"
    return data.decode(encoding, errors="replace"), encoding, True


# --- the importer ---------------------------------------------------------------------------


def import_html_bytes(data: bytes, path: Path | None = None) -> Article:
    """Read a saved page from its bytes, in the encoding it declares (see :func:`decode_page`).

    ``path`` names the file in the error raised for bytes that are no text at all.
    """
    text, encoding, guessed = decode_page(data)
    sample = text[:65536]
    controls = sum(1 for character in sample if character < " " and character not in "\t\n\r\f")
    if "\x00" in sample or controls > 0.05 * len(sample):
        raise BinaryFileError(path, "this is a binary file, not a web page")
    article = import_html(text)
    if guessed:
        article.warnings.append(
            f"the page does not say its encoding; read as {encoding}, check the text"
        )
    return article


def _light_page(text: str) -> str:
    """The page without what is never article content (scripts other than JSON-LD, styles,
    SVG sprites, comments): most of a saved page's weight, dropped by lxml before the slower
    tree that the importer works on is built."""
    import lxml.html
    from lxml import etree

    text = _XML_DECLARATION.sub("", text, count=1)  # lxml refuses it in decoded text
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):  # nothing but whitespace, or no markup at all
        return text
    for script in list(tree.iter("script")):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            script.drop_tree()
    # Menus (a mega-menu runs to hundreds of links), unless they list related stories.
    for menu in list(tree.iter("nav")):
        if "related" not in f"{menu.get('class') or ''} {menu.get('id') or ''}".lower():
            menu.drop_tree()
    etree.strip_elements(tree, *_ALWAYS_DROPPED[1:], *_NEVER_CONTENT, etree.Comment,
                         with_tail=False)
    return etree.tostring(tree, encoding="unicode", method="html")


def import_html(text: str) -> Article:
    """Read a saved article page into an article: metadata, featured image, body, cards."""
    page = _light_page(text)
    soup = BeautifulSoup(page, "lxml")
    metas, tags = _metas(soup)
    own_export = _is_own_export(soup, metas)
    linked = _json_ld_article(
        [script.string or "" for script in soup.find_all("script", type="application/ld+json")])
    article = Article(tags=tags)
    html_tag = soup.find("html")
    if isinstance(html_tag, Tag) and html_tag.get("lang"):
        article.lang = str(html_tag["lang"]).strip()
    page_title = _text(soup.find("title"))
    for element in soup.find_all(_ALWAYS_DROPPED):
        element.decompose()

    related = _take_related(soup)
    if related is not None:
        heading, article.related = related
        if heading:
            article.related_heading = heading
    root = _content_root(soup)

    headline = root.find("h1")
    if headline is None and len(headlines := soup.find_all("h1")) == 1:
        headline = headlines[0]  # the page's only h1, outside the story's container
    article.title = (
        _text(headline) or metas.get("og:title", "") or str(linked.get("headline") or "").strip()
        or _without_site_name(page_title, metas.get("og:site_name", ""))
    )
    _detach(headline)

    dek = root.select_one(_DEK_SELECTORS)
    article.description = metas.get("description", "") or metas.get("og:description", "")
    article.dek = _text(dek) or metas.get("og:description", "") or metas.get("description", "")
    _detach(dek)

    rel_author = _text(root.select_one("a[rel~=author]"))
    time = root.find("time", datetime=True)
    time_date = _iso_date(str(time["datetime"])) if isinstance(time, Tag) else ""
    byline_author, byline_date = _take_byline(root)
    article.author = (
        metas.get("author", "")
        or rel_author
        or byline_author
        or _json_ld_names(linked.get("author"))
    )
    article.date = (
        time_date
        or byline_date
        or _iso_date(metas.get("article:published_time", ""))
        or _iso_date(str(linked.get("datePublished") or ""))
        or _iso_date(metas.get("date", "") or metas.get("pubdate", ""))
    )

    figure = _featured_figure(root)
    if figure is not None:
        image = figure.find("img")
        article.image = _image_source(image) if isinstance(image, Tag) else ""
        article.image_alt = str(image.get("alt") or "").strip() if isinstance(image, Tag) else ""
        article.image_caption = _text(figure.find("figcaption"))
        figure.decompose()
    else:
        article.image = metas.get("og:image", "") or metas.get("twitter:image", "")
        article.image_alt = metas.get("og:image:alt", "") or metas.get("twitter:image:alt", "")

    _drop_furniture(root)
    body = root.select_one(_BODY_SELECTORS) or root
    extracted = None
    if not own_export:
        _captions_as_paragraphs(soup)
        extracted = _extracted_markdown(str(soup), body)
        _fill_from_page_metadata(article, page)
    article.body = extracted if extracted is not None else convert_to_markdown(body)
    return article


def _is_own_export(soup: BeautifulSoup, metas: dict[str, str]) -> bool:
    """Our export (a page or a fragment) is read back exactly, by its known structure."""
    return (metas.get("generator", "").startswith("Article Editor")
            or soup.select_one("article.article > div.article-body") is not None)


def _fill_from_page_metadata(article: Article, page: str) -> None:
    """What the page's own markup left empty, from trafilatura's metadata extraction
    (more publishers' conventions than ours, and htmldate's reading of dates)."""
    if article.title and article.author and article.date and article.description:
        return
    from trafilatura.metadata import extract_metadata

    found = extract_metadata(page)
    article.title = article.title or (found.title or "")
    article.author = article.author or _BY_PREFIX.sub("", (found.author or "").replace("; ", ", "))
    article.date = article.date or (found.date or "")
    article.description = article.description or (found.description or "")
    if not article.tags:
        article.tags = list(found.tags or [])
