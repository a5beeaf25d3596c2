"""Rich text from the clipboard (a browser, Word, LibreOffice, Google Docs) as clean Markdown.

What each source puts on the clipboard carries its own wrapping: Chrome and Firefox the
page's inline styles and a ``<!--StartFragment-->`` marker, Google Docs a ``<b
id="docs-internal-guid-…">`` around everything with bold and italics only as span styles, Word
``MsoNormal`` paragraphs, ``<o:p>`` elements and lists drawn as paragraphs with a bullet
character in front. These are read for their structure (headings, paragraphs, lists, quotes,
tables, links, bold, italics) and the rest is dropped; links lose their tracking parameters.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from editor.importers.html import convert_to_markdown
from editor.importers.links import without_tracking

_FRAGMENT = re.compile(r"<!--\s*StartFragment\s*-->(.*?)<!--\s*EndFragment\s*-->", re.DOTALL)
_BOLD = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)")
_ITALIC = re.compile(r"font-style\s*:\s*italic")
_WORD_LIST = re.compile(r"mso-list\s*:\s*(?:l\d+\s+)?level(\d+)")
_ORDERED_MARKER = re.compile(r"^\s*(?:\d+|[a-zA-Z]|[ivxlcIVXLC]+)[.)]\s*$")
_WORD_CONDITION = re.compile(r"<!\[(?:if\s[^\]]*|endif)\]>", re.IGNORECASE)  # <![if !supportLists]>
_DROPPED = ("script", "style", "meta", "link", "title", "head", "svg", "noscript", "template")


def html_to_markdown(html: str) -> str:
    """Clipboard HTML as Markdown for our body: its structure, none of its styling.

    One paragraph comes back as inline text (no line break), so that a phrase pasted into a
    sentence stays in it; more than one come back as blocks separated by blank lines.
    """
    fragment = _FRAGMENT.search(html)
    html = _WORD_CONDITION.sub("", fragment.group(1) if fragment else html)
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(_DROPPED):
        element.decompose()
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()  # Word's <!--[if !supportLists]--> and the like
    _unwrap_google_docs(soup)
    _word_lists(soup)
    _styles_to_emphasis(soup)
    _nest_loose_lists(soup)
    for item in soup.find_all("li"):  # Google Docs wraps each item's text in a paragraph
        paragraphs = item.find_all("p", recursive=False)
        if len(paragraphs) == 1:
            paragraphs[0].unwrap()
    for link in soup.find_all("a", href=True):
        link["href"] = without_tracking(str(link["href"]))
    for image in soup.find_all("img"):
        # Word's temporary files and inline data are no address for a page: a placeholder.
        if str(image.get("src") or "").startswith(("data:", "file:")) or not image.get("src"):
            alt = " ".join(str(image.get("alt") or "").split()) or "pasted image"
            image.replace_with(NavigableString(f"[IMAGE: {alt}]"))
    for element in soup.find_all(True):
        if ":" in element.name:  # Word's <o:p>, <v:shape>…
            element.unwrap()
    markdown = convert_to_markdown(soup).strip("\n")
    return markdown if "\n" in markdown else markdown.strip()


def _unwrap_google_docs(soup: BeautifulSoup) -> None:
    """The ``<b style="font-weight:normal" id="docs-internal-guid-…">`` around a Docs paste."""
    for wrapper in soup.find_all(id=re.compile(r"^docs-internal-guid-")):
        wrapper.unwrap()


def _styles_to_emphasis(soup: BeautifulSoup) -> None:
    """Bold and italics that only a style says (Google Docs, LibreOffice) as ``<strong>``/``<em>``;
    a ``<b>`` or ``<strong>`` styled back to normal weight is not bold."""
    for element in soup.find_all(["span", "b", "strong", "i", "em"]):
        style = str(element.get("style") or "").replace(" ", "").lower()
        if element.name in ("b", "strong") and re.search(r"font-weight:(?:normal|[1-4]00)", style):
            element.unwrap()
            continue
        if element.name != "span":
            continue
        bold, italic = _BOLD.search(style), _ITALIC.search(style)
        if not (bold or italic) or not element.get_text().strip():
            element.unwrap()
            continue
        element.name = "strong" if bold else "em"
        if bold and italic:
            inner = soup.new_tag("em")
            for child in list(element.contents):
                inner.append(child.extract())
            element.append(inner)
        element.attrs = {}


def _nest_loose_lists(soup: BeautifulSoup) -> None:
    """A list directly inside a list (Google Docs writes nesting so) goes into the item before it."""
    for inner in soup.find_all(["ul", "ol"]):
        parent = inner.parent
        if isinstance(parent, Tag) and parent.name in ("ul", "ol"):
            previous = inner.find_previous_sibling("li")
            if previous is not None:
                previous.append(inner.extract())


def _word_lists(soup: BeautifulSoup) -> None:
    """Word's list paragraphs (``mso-list: l0 level2``) as nested ``<ul>``/``<ol>`` lists."""
    paragraphs = [p for p in soup.find_all("p") if _WORD_LIST.search(str(p.get("style") or ""))]
    runs: list[list[Tag]] = []
    for paragraph in paragraphs:
        previous = paragraph.find_previous_sibling(True)
        if runs and previous is runs[-1][-1]:
            runs[-1].append(paragraph)
        else:
            runs.append([paragraph])
    for run in runs:
        _word_list(soup, run)


def _word_list(soup: BeautifulSoup, paragraphs: list[Tag]) -> None:
    stack: list[Tag] = []  # the open lists, one per level
    first = paragraphs[0]
    for paragraph in paragraphs:
        match = _WORD_LIST.search(str(paragraph.get("style") or ""))
        level = int(match.group(1)) if match else 1
        marker = ""
        for ignored in paragraph.find_all(
                "span", style=re.compile(r"mso-list\s*:\s*Ignore", re.IGNORECASE)):
            marker = marker or ignored.get_text(" ", strip=True)
            ignored.decompose()
        ordered = bool(_ORDERED_MARKER.match(marker))
        while len(stack) > level:
            stack.pop()
        while len(stack) < level:
            new_list = soup.new_tag("ol" if ordered else "ul")
            if stack:
                items = stack[-1].find_all("li", recursive=False)
                (items[-1] if items else stack[-1]).append(new_list)
            else:
                first.insert_before(new_list)
            stack.append(new_list)
        item = soup.new_tag("li")
        for child in list(paragraph.contents):
            item.append(child.extract())
        if item.contents and isinstance(item.contents[0], NavigableString):
            item.contents[0].replace_with(item.contents[0].lstrip("\u00a0 "))
        stack[-1].append(item)
        paragraph.decompose()
