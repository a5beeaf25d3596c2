"""The first article's page, loading while the window is still being built.

Started on one file, the editor's first screen is that article in the preview. Read, rendered
and loaded only once the window and its tab existed, its page's load (50-250 ms in QtWebEngine)
came last of all, after the window's modules had imported (a third of a second, in a thread)
and the window was built. Now the import thread reads the file and renders its first screen as
soon as the modules for that are imported (:func:`read_first_article`), and the main thread
starts loading its page (:func:`load_first_page`) while the rest imports and the window is
built.

The first tab takes the rendering and the page only when they are what it would have made
itself: the same body text (:func:`take_first_article`) and the same page HTML
(:func:`editor.ui.preview.load_page_ahead`). Anything else (the file changed meanwhile, unsaved
work recovered from the journal, another theme) and the tab renders and loads its own, as it
always did.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from editor.export import ExportOptions
from editor.fileformat import without_front_matter
from editor.files import load_article
from editor.importers import is_native
from editor.model import Article
from editor.render import BodyRenderer, RenderedBody
from editor.ui.preview import PreviewPage, load_page_ahead, page_html, page_url
from editor.ui.settings import Settings

# Markdown enough to fill the preview's first screen at any usual size and zoom (a screen holds
# some 3,000 characters of prose), rendered before a long article's page loads.
FIRST_SCREEN_CHARACTERS = 6000


def render_first_screen(renderer: BodyRenderer, text: str,
                        unchanged: tuple[int, int] | None = None) -> RenderedBody | None:
    """The whole body if it is short; else None, with its first screenful rendered
    (``renderer.rendered_so_far()``) and the rest left for later turns.

    One new block at a time (a deadline already past lets each call render one), so that no
    more than the first screen is rendered before the page loads: a slice of 8 ms went on to
    blocks far below it, and the first code block among them took 80 ms more (Pygments
    compiling its lexer) before the article could show.
    """
    while True:
        body = renderer.render_until(text, time.perf_counter(), unchanged)
        if body is not None:
            return body
        unchanged = None  # the same text again: nothing more to say about it
        rendered = renderer.rendered_so_far()
        if sum(len(block.text) for block in rendered) >= FIRST_SCREEN_CHARACTERS:
            return None


@dataclass
class FirstArticle:
    """An article file read and its first screen rendered, ahead of its tab."""

    path: Path
    metadata: Article  # body empty, as a document holds it
    text: str  # the body as rendered (front matter at its top blanked)
    renderer: BodyRenderer  # stopped after the first screen, or done
    body: RenderedBody | None  # the whole body; None: the first screen is rendered_so_far()
    options: ExportOptions  # the preview's, from the settings

    def page_body(self) -> RenderedBody:
        """What the page shows: the whole body, or the first screen of it."""
        return self.body or RenderedBody(self.renderer.rendered_so_far())


_first_article: FirstArticle | None = None


def read_first_article(path: Path) -> FirstArticle | None:
    """In the import thread: ``path`` read and its first screen rendered, or None when it is
    not a Markdown file or cannot be read (its tab then reports why, as always)."""
    path = path.expanduser().absolute()
    if not is_native(path):
        return None
    try:
        article = load_article(path)
        options = ExportOptions(theme=Settings().preview_theme)
        metadata = article.copy()
        metadata.body = ""
        text = without_front_matter(article.body)
        renderer = BodyRenderer(options.raw_html)
        body = render_first_screen(renderer, text)
    except Exception:  # only a head start: the tab's own opening reports what went wrong
        return None
    return FirstArticle(path, metadata, text, renderer, body, options)


def load_first_page(first: FirstArticle) -> PreviewPage | None:
    """In the main thread: start loading ``first``'s page, for its tab to take; the page, or
    None when it cannot load ahead."""
    global _first_article
    html = page_html(first.metadata, first.page_body(), first.options)
    page = load_page_ahead(html, page_url(first.path.parent))
    if page is not None:
        _first_article = first
    return page


def take_first_article(path: Path | None, text: str,
                       options: ExportOptions) -> FirstArticle | None:
    """The article read ahead, if it is ``path`` with this body ``text`` and these
    ``options``; either way, it is not offered again."""
    global _first_article
    first, _first_article = _first_article, None
    if (first is None or path is None or path.absolute() != first.path
            or text != first.text or options != first.options):
        return None
    return first

