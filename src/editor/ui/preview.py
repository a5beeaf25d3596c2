"""The live preview: the export's very page, loaded once and then patched block by block.

The page is loaded once (``load``); afterwards only changed blocks of the body, the header and
the related aside are swapped through JavaScript run in the ApplicationWorld, so the preview
keeps its scroll position, never flashes, and never reloads a large page. The window's tabs
share the page: the tab shown puts its article on it the same way (``adopt``). JavaScript of
the page itself is switched off: scripts and event handlers written in a draft never run. Link
clicks are refused and reported (``link_clicked``) so the window opens them in the browser.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QObject,
    QPoint,
    QPointF,
    QSize,
    QTimer,
    QUrl,
    Signal,
    qWarning,
)
from PySide6.QtGui import QHideEvent, QMouseEvent, QShowEvent
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineScript,
    QWebEngineSettings,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from editor.export import (
    ExportOptions,
    ImageResolver,
    code_css,
    page_context,
    render_page,
    render_template,
)
from editor.model import Article
from editor.render import BlockChange, BodyRenderer, RenderedBody, rewrite_image_sources

APPLICATION_WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld
# setHtml() silently fails for pages above about 1.45 MB; bigger pages load from a file.
SET_HTML_LIMIT = 1_000_000
# A page scroll this soon after a reveal (the cursor's block centred) is not the user's: the
# editor must not follow it. (After scroll_to_block the page's top block is the editor's.)
OWN_SCROLL_SECONDS = 0.4
# A page hidden this long with its view (the preview switched off, the window's last tab) is
# frozen: Chromium then drops what it keeps for painting and running it (about 5 MB for 20,000
# words); shown again it wakes at once. A tab behind others holds no page to freeze.
FREEZE_HIDDEN_AFTER_MS = 30_000
# How long a page taken from another view may take to reach this view's size.
RESIZE_WAIT_SECONDS = 0.5


@cache
def preview_script() -> str:
    return resources.files("editor.resources").joinpath("preview/preview.js").read_text("utf-8")


@dataclass(frozen=True)
class BlockPatch:
    """Replace ``removed`` blocks from ``start`` on with ``inserted`` (HTML of new blocks)."""

    start: int
    removed: int
    inserted: tuple[str, ...]


def diff_blocks(old: Sequence[str], new: Sequence[str]) -> BlockPatch | None:
    """The smallest single replacement turning ``old`` into ``new``, by common prefix/suffix."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    if prefix == len(old) == len(new):
        return None
    suffix = 0
    while (suffix < limit - prefix
           and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]):
        suffix += 1
    return BlockPatch(prefix, len(old) - prefix - suffix, tuple(new[prefix:len(new) - suffix]))


def page_html(article: Article, body: RenderedBody, options: ExportOptions) -> str:
    """The preview's page: the export's HTML for ``article`` with ``body`` as rendered."""
    return render_page(article, options, renderer=_FixedRenderer(body))


def page_url(base_dir: Path | None) -> QUrl:
    """Where the page is, for its relative links and images: the article's folder."""
    return QUrl.fromLocalFile(str(base_dir) + "/") if base_dir else QUrl("about:blank")


# A page loading before any view wants it (start-up: editor.ui.preload), with its HTML and URL.
_loaded_ahead: tuple[PreviewPage, str, QUrl] | None = None


def load_page_ahead(html: str, base_url: QUrl) -> PreviewPage | None:
    """Start loading this page now, for the first view that will load this very page; None
    when it cannot be (too big for setHtml)."""
    global _loaded_ahead
    page = PreviewPage(QWebEngineProfile.defaultProfile())
    if not page.load_own_html(html, base_url):
        page.deleteLater()
        return None
    if _loaded_ahead is not None:
        _loaded_ahead[0].deleteLater()
    _loaded_ahead = (page, html, base_url)
    return page


def _take_page_loaded_ahead(html: str, base_url: QUrl) -> PreviewPage | None:
    """The page loaded ahead if it is this one (the caller then owns it); else None, and that
    page, which no view will want after the first, is dropped."""
    global _loaded_ahead
    loaded, _loaded_ahead = _loaded_ahead, None
    if loaded is None:
        return None
    page, loaded_html, loaded_url = loaded
    if loaded_html != html or loaded_url != base_url:
        page.deleteLater()
        return None
    return page


# Every preview view, and the page a closed tab left: a view being shown takes one of those.
_views: weakref.WeakSet[PreviewView] = weakref.WeakSet()
_spare_page: PreviewPage | None = None


def _other_views(view: PreviewView) -> list[PreviewView]:
    return [other for other in list(_views) if other is not view and isValid(other)]


def _js_call(function: str, *args: object) -> str:
    arguments = ", ".join(json.dumps(arg, ensure_ascii=False) for arg in args)
    return f"window.__articlePreview && window.__articlePreview.{function}({arguments})"


class PreviewPage(QWebEnginePage):
    """A page that loads only what the preview asks for and hands link clicks out."""

    link_clicked = Signal(QUrl)
    anchor_clicked = Signal(str)

    def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        self.expected_url: QUrl | None = None
        self.loading_own_page = False
        self.load_result: bool | None = None  # how the last load ended (None: under way)
        self.script_ready = False  # the preview's script runs in the page's document
        self.loadStarted.connect(self._forget_load_result)
        self.loadFinished.connect(self._remember_load_result)
        settings = self.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls,
                              False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        settings.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.ErrorPageEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.AutoLoadIconsForPage, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.FocusOnNavigationEnabled, False)

    def _forget_load_result(self) -> None:
        self.load_result = None

    def _remember_load_result(self, ok: bool) -> None:
        self.load_result = ok

    def load_own_html(self, html: str, base_url: QUrl) -> bool:
        """Load the preview's own page from ``html``; False when it is too big for setHtml."""
        if len(html.encode("utf-8")) > SET_HTML_LIMIT:
            return False
        self.loading_own_page = True
        self.script_ready = False
        self.expected_url = None
        self.load_result = None
        self.setHtml(html, base_url)
        return True

    def acceptNavigationRequest(self, url: QUrl | str, navigation_type: QWebEnginePage.NavigationType,
                                is_main_frame: bool) -> bool:
        url = QUrl(url)
        kind = QWebEnginePage.NavigationType
        if navigation_type == kind.NavigationTypeLinkClicked:
            if url.hasFragment() and self._same_document(url):
                self.anchor_clicked.emit(url.fragment())
            else:
                self.link_clicked.emit(url)
            return False
        if not is_main_frame:
            return navigation_type not in (kind.NavigationTypeFormSubmitted,
                                           kind.NavigationTypeBackForward)
        # The main frame shows only the page the preview itself loads.
        return self.loading_own_page and navigation_type in (kind.NavigationTypeTyped,
                                                             kind.NavigationTypeOther)

    def _same_document(self, url: QUrl) -> bool:
        # PySide6's stub for adjusted() leaves out UrlFormattingOption.
        base = url.adjusted(QUrl.UrlFormattingOption.RemoveFragment)  # type: ignore[arg-type]
        here = self.url().adjusted(QUrl.UrlFormattingOption.RemoveFragment)  # type: ignore[arg-type]
        return base.isEmpty() or base == here or (self.expected_url is not None
                                                  and base == self.expected_url)

    def javaScriptConsoleMessage(self, level: QWebEnginePage.JavaScriptConsoleMessageLevel,
                                 message: str, line: int, source: str) -> None:
        """An error in the preview's own script becomes a Qt warning, never a silent one.

        The page's scripts are off, so only our script can fail here; a Qt warning shows on
        the terminal and fails the tests (``qt_log_level_fail``).
        """
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            qWarning(f"Preview script error: {message} ({source or 'preview'}:{line})")


class PreviewView(QWebEngineView):
    """Shows one article's page and keeps it in step with the editor.

    ``load_article`` renders the whole page once; ``show_blocks`` patches the body,
    ``show_metadata`` the header and related block, ``reveal_block`` scrolls (only when the
    block is off-screen). ``block_clicked`` reports the body block under a click.

    The views of a window's tabs share one page: a view holds it while shown, and a view being
    shown takes it from a hidden one, which keeps its article's state (blocks, header, theme,
    place) and shows it again when it takes the page back. Each page costs Chromium's renderer
    some 16 MB for a 20,000-word article, whether shown or not (bench/tabs.py); putting another
    tab's article on the page takes the page about 20 ms. A view never shown holds no page.
    """

    block_clicked = Signal(int)
    link_clicked = Signal(QUrl)
    files_dropped = Signal(list)
    patched = Signal()  # a patch reached the page (for tests and benchmarks)
    revealed = Signal(bool)  # a reveal ran in the page: whether it scrolled (for tests)
    user_scrolled = Signal(int)  # the page scrolled, not by a reveal: the first block in view
    scrolled_to_block = Signal()  # a scroll_to_block reached the page (for tests)
    ready = Signal()  # the page is loaded and the script installed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._page: PreviewPage | None = None  # while this view holds the page
        self.setContextMenuPolicy(self.contextMenuPolicy().NoContextMenu)
        self.setAcceptDrops(True)
        # What the view shows, kept while another view holds the page.
        self._article: Article | None = None
        self._body = RenderedBody()
        self._options = ExportOptions()
        self._base_dir: Path | None = None
        self._scroll_y = 0.0
        self._zoom = 1.0
        self._ready = False
        self._shown: list[str] = []  # block HTML as the page holds it
        self._pending_header: tuple[str, str] | None = None
        self._queued: list[tuple[str, object]] = []  # scripts waiting for a page
        self._code_css_shown = False
        self._page_file: Path | None = None
        self._press: QPoint | None = None
        self._watched: QObject | None = None
        self._last_revealed = -1
        self._reveal_waits = False  # reveal _last_revealed once the page shows the article
        self._pending_scroll = -1  # a block to scroll to once the page is ready
        self._own_scroll_until = 0.0  # page scrolls before then are ours, not the user's
        self._restoring_y: float | None = None  # a place this view's article is put back at
        self.patch_count = 0
        self._freeze_timer = QTimer(self, singleShot=True, interval=FREEZE_HIDDEN_AFTER_MS)
        self._freeze_timer.timeout.connect(self._freeze_if_hidden)
        _views.add(self)

    # -- the shared page -------------------------------------------------------------------
    def _take_page(self, allow_new: bool) -> bool:
        """Hold a page, and show this view's article on it: the page a closed tab left, a
        hidden view's, or (``allow_new``) a new one. False when none was to be had."""
        global _spare_page
        if self._page is not None:
            return True
        page, _spare_page = _spare_page, None
        if page is None:
            donor = next((view for view in _other_views(self)
                          if view._page is not None and not view.isVisible()), None)
            page = donor._give_up_page() if donor is not None else None
        if page is None:
            if not allow_new:
                return False
            page = PreviewPage(QWebEngineProfile.defaultProfile())
        self._use_page(page)
        if self._article is not None:
            if page.script_ready:
                self._show_on_page()
            else:
                self._load_page()
        return True

    def _take_page_if_shown(self) -> None:
        if isValid(self) and self.isVisible():
            self._take_page(allow_new=True)

    def _use_page(self, page: PreviewPage) -> None:
        page.setParent(self)
        self._page = page
        self.setPage(page)
        if page.lifecycleState() != QWebEnginePage.LifecycleState.Active:
            page.setLifecycleState(QWebEnginePage.LifecycleState.Active)
        page.setZoomFactor(self._zoom)
        page.link_clicked.connect(self.link_clicked)
        page.anchor_clicked.connect(self._scroll_to_anchor)
        page.loadFinished.connect(self._on_load_finished)
        page.scrollPositionChanged.connect(self._on_page_scrolled)

    def _give_up_page(self) -> PreviewPage:
        """Let another view have the page; this view's article waits for it to come back."""
        page = self._page
        assert page is not None
        page.link_clicked.disconnect(self.link_clicked)
        page.anchor_clicked.disconnect(self._scroll_to_anchor)
        page.loadFinished.disconnect(self._on_load_finished)
        page.scrollPositionChanged.disconnect(self._on_page_scrolled)
        if self._watched is not None and isValid(self._watched):
            self._watched.removeEventFilter(self)  # the page's widget goes with it
        self._watched = None
        self._freeze_timer.stop()
        self._page = None
        self._ready = False
        return page

    def release_page(self) -> None:
        """The view is going (its tab closed): the next view shown takes its page."""
        global _spare_page
        if self._page is None:
            return
        page = self._give_up_page()
        if _spare_page is not None:  # one is enough for the next view
            page.deleteLater()
            return
        page.setParent(None)  # type: ignore[call-overload]  # kept by _spare_page
        _spare_page = page

    def showEvent(self, event: QShowEvent) -> None:
        # Shown while another view still shows the page (a tab closing: the next one is shown
        # before it is hidden), it takes the page a turn later, once that view is hidden.
        # QWebEngineView's own showEvent would give a view without a page one of its own.
        held = any(view._page is not None for view in _other_views(self))
        if self._page is None and not self._take_page(allow_new=not held):
            QTimer.singleShot(0, self, self._take_page_if_shown)
            return
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        if self._page is None:  # QWebEngineView's own would give it a page to hide
            return
        self._freeze_timer.start()
        super().hideEvent(event)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.discard_page_file()
        if self._page is None:  # as in hideEvent
            event.accept()
            return
        super().closeEvent(event)

    def sizeHint(self) -> QSize:
        # QWebEngineView's is its page's widget's, which a view without the page lacks.
        return QSize(640, 480)

    def setZoomFactor(self, factor: float) -> None:
        self._zoom = factor
        if self._page is not None:
            self._page.setZoomFactor(factor)

    def zoomFactor(self) -> float:
        return self._zoom

    def has_page(self) -> bool:
        return self._page is not None

    # -- loading ---------------------------------------------------------------------------
    @property
    def options(self) -> ExportOptions:
        return self._options

    def is_ready(self) -> bool:
        """Whether the page shows this view's article and takes patches."""
        return self._ready

    def is_parked(self) -> bool:
        """Whether this view is hidden without the page, its article kept for when it is
        shown (it takes the page then)."""
        return self._page is None and self._article is not None and not self.isVisible()

    def load_article(self, article: Article, body: RenderedBody, base_dir: Path | None,
                     options: ExportOptions) -> None:
        """Show this article from its top, images relative to base_dir."""
        self._article = article
        self._body = body
        self._options = options
        self._base_dir = base_dir
        self._scroll_y = 0.0
        self._last_revealed = -1
        self._reveal_waits = False
        self._pending_header = None
        if self._page is None and _loaded_ahead is not None:
            loaded_ahead = _take_page_loaded_ahead(page_html(article, body, options),
                                                   page_url(base_dir))
            if loaded_ahead is not None:  # this very page, loading since start-up
                self._use_loaded_ahead(loaded_ahead)
                return
        if self._page is None:
            self._ready = False
            if self.isVisible():  # hidden, it keeps the article until it is shown
                self._take_page(allow_new=True)
        elif self._page.script_ready:
            self._show_on_page()
        else:
            self._load_page()

    def _load_page(self) -> None:
        """Load the page anew for this view's article: the export's HTML."""
        page = self._page
        assert page is not None and self._article is not None
        self._showing_body()
        html = page_html(self._article, self._body, self._options)
        base_url = page_url(self._base_dir)
        if page.load_own_html(html, base_url):
            return
        # Too big for setHtml: a page file beside nothing of the user's, with a <base> so that
        # relative images still resolve against the article's folder.
        if self._page_file is None:
            descriptor, name = tempfile.mkstemp(prefix="article-preview-", suffix=".html")
            os.close(descriptor)
            self._page_file = Path(name)
        if self._base_dir is not None:
            base = f'<base href="{base_url.toString()}">'
            html = html.replace("<head>\n", f"<head>\n{base}\n", 1)
        self._page_file.write_text(html, "utf-8")
        url = QUrl.fromLocalFile(str(self._page_file))
        page.expected_url = url
        page.loading_own_page = True
        page.script_ready = False
        page.load(url)

    def _show_on_page(self) -> None:
        """Show this view's article on a page that holds another (or an older load of this
        one), without loading it again: one call to the page's script."""
        page = self._page
        assert page is not None and self._article is not None
        self._showing_body()
        self._pending_header = None  # the shell has the article's header
        shell = page_html(self._article, RenderedBody(), self._options)
        base_url = page_url(self._base_dir)
        page.expected_url = base_url
        blocks = [self._block_html(html) for html in self._shown]
        script = _js_call("adopt", shell, base_url.toString(), blocks, self._scroll_y)
        if self._code_css_shown:
            script = f'{_js_call("setCodeCss", code_css())};\n{script}'
        self._restoring_y = self._scroll_y  # the page's scroll there is not the user's
        settled_by = time.monotonic() + RESIZE_WAIT_SECONDS
        self._call(script, lambda width: self._once_sized(page, width, settled_by, False))

    def _once_sized(self, page: PreviewPage, width: object, settled_by: float,
                    resized: bool) -> None:
        """Ready once the page has this view's width: a page taken from a view of another
        size reaches it a moment later, and lays the article out again then (the reader's
        place is put back after that)."""
        if page is not self._page:
            return
        wanted = round(self.width() / (self._zoom or 1.0))
        if (not isinstance(width, (int, float)) or abs(width - wanted) <= 1
                or time.monotonic() > settled_by):
            if resized and self._scroll_y:
                self._call(f"window.scrollTo(0, {self._scroll_y})")
            self._on_init(page)
            return
        QTimer.singleShot(5, self, lambda: self._call(
            "window.innerWidth", lambda width: self._once_sized(page, width, settled_by, True)))

    def _showing_body(self) -> None:
        """The page is being given this view's body (and its code's style), whole: ready once
        it answers."""
        self._ready = False
        self._shown = self._body.htmls
        self._code_css_shown = self._body.has_code

    def _use_loaded_ahead(self, page: PreviewPage) -> None:
        """Take the page loaded ahead for this very article."""
        self._showing_body()
        self._use_page(page)
        if page.load_result is not None:  # loaded before this view took it
            self._on_load_finished(page.load_result)

    def _on_load_finished(self, ok: bool) -> None:
        page = self._page
        if page is None:
            return
        page.loading_own_page = False
        if not ok:
            return
        # The script and its start in one call to the page (one message, one answer).
        blocks = [self._block_html(html) for html in self._shown]
        self._call(f'{preview_script()};\n{_js_call("init", blocks)}',
                   lambda _result: self._on_init(page))

    def _on_init(self, page: PreviewPage) -> None:
        if page is not self._page:  # the page went to another view meanwhile
            return
        page.script_ready = True
        self._ready = True
        self._install_click_filter()
        if self._pending_header is not None:
            header, related = self._pending_header
            self._pending_header = None
            self._send_header(header, related)
        if self._body.htmls is not self._shown:  # patched while the page was busy
            self._send_blocks(self._body.htmls)
        if self._pending_scroll >= 0:
            index, self._pending_scroll = self._pending_scroll, -1
            self.scroll_to_block(index)
        elif self._reveal_waits and self._last_revealed >= 0:
            self.reveal_block(self._last_revealed)
        self._reveal_waits = False
        queued, self._queued = self._queued, []
        for script, callback in queued:
            self.run_in_preview(script, callback)
        self.ready.emit()

    # -- hidden --------------------------------------------------------------------------
    def is_frozen(self) -> bool:
        return (self._page is not None
                and self._page.lifecycleState() != QWebEnginePage.LifecycleState.Active)

    def _freeze_if_hidden(self) -> None:
        """Freeze the page unless it was shown again meanwhile (showing it wakes it: Qt makes
        a visible page active); not while it loads, which a frozen page finishes only awake."""
        if self._page is not None and not self.isVisible() and self._ready:
            self._page.setLifecycleState(QWebEnginePage.LifecycleState.Frozen)

    # -- patching --------------------------------------------------------------------------
    def show_blocks(self, body: RenderedBody, reveal: int | None = None) -> None:
        """Bring the page's body to these blocks, sending only what changed; then, with
        ``reveal``, scroll that block into view as :meth:`reveal_block` does, in the same call
        to the page (a keystroke makes one round trip to the page, not two)."""
        self._body = body
        if not self._ready:  # sent once the page is ready, or when this view takes it
            if reveal is not None:
                self.reveal_block(reveal)
            return
        self._send_blocks(body.htmls, body.change, reveal)

    def _send_blocks(self, html: list[str], change: BlockChange | None = None,
                     reveal: int | None = None) -> None:
        if change is not None and change.before is self._shown:
            # The renderer says which blocks changed since the blocks shown: compare those only.
            end = change.start + change.removed
            patch = diff_blocks(self._shown[change.start:end],
                                html[change.start:change.start + change.inserted])
            if patch is not None:
                patch = BlockPatch(change.start + patch.start, patch.removed, patch.inserted)
        else:
            patch = diff_blocks(self._shown, html)
        script = []
        if self._body.has_code != self._code_css_shown:
            self._code_css_shown = self._body.has_code
            script.append(_js_call("setCodeCss", code_css() if self._code_css_shown else ""))
        if patch is not None:
            inserted = [self._block_html(text) for text in patch.inserted]
            script.append(_js_call("patch", patch.start, patch.removed, inserted))
        self._shown = html  # the renderer's own list: its next change is against it
        patched = bool(script)
        if patched:
            self.patch_count += 1
        reveal_call = None if reveal is None else self._reveal_call(reveal)
        if reveal_call is not None:
            script.append(reveal_call)  # last: the call's result is whether it scrolled
        if not script:
            return

        def done(result: object) -> None:
            if patched:
                self.patched.emit()
            if reveal_call is not None:
                self.revealed.emit(bool(result))

        self._call(";\n".join(script), done)

    def show_metadata(self, article: Article) -> None:
        """Re-render the header and related block for changed metadata."""
        self._article = article
        if self._page is None:  # shown with the page when this view takes it
            return
        page = page_context(article, RenderedBody(), self._options, ImageResolver())
        header = render_template("article_header.html.j2", article, page)
        related = render_template("article_related.html.j2", article, page)
        if not self._ready:
            self._pending_header = (header, related)
            return
        self._send_header(header, related)

    def _send_header(self, header: str, related: str) -> None:
        script = _js_call("setHeader", header) + ";\n" + _js_call("setRelated", related)
        self.patch_count += 1
        self._call(script, lambda _result: self.patched.emit())

    def set_theme(self, options: ExportOptions) -> None:
        self._options = options
        theme = "" if options.theme.value == "auto" else options.theme.value
        if self._ready:
            self._call(_js_call("setTheme", theme))

    def reveal_block(self, index: int) -> None:
        """Scroll the block into view if it is off-screen; nothing moves otherwise.

        Asked again for the same block it still looks: the page may have scrolled away since.
        """
        call = self._reveal_call(index)
        if call is not None:
            self._call(call, lambda scrolled: self.revealed.emit(bool(scrolled)))

    def _reveal_call(self, index: int) -> str | None:
        """The page's call revealing block ``index``, when the page can take it now; otherwise
        it is revealed once the page shows this view's article."""
        self._last_revealed = index
        if not self._ready or index < 0:
            self._reveal_waits = index >= 0
            return None
        self._own_scroll_until = time.monotonic() + OWN_SCROLL_SECONDS
        return _js_call("reveal", index)

    def scroll_to_block(self, index: int) -> None:
        """Put the block at the top of the view (0: the page's top); after a (re)load if the
        page is loading, so that the preview keeps its place across reloads."""
        if not self._ready or self._page is None:
            self._pending_scroll = index
            return
        self._call(_js_call("scrollToBlock", index), lambda _result: self.scrolled_to_block.emit())

    def _on_page_scrolled(self, position: QPointF) -> None:
        self._scroll_y = position.y()  # where this article shows again after another's
        restored, self._restoring_y = self._restoring_y, None
        if restored is not None and abs(position.y() - restored) < 1:
            return
        if not self._ready or time.monotonic() < self._own_scroll_until:
            return
        self._call(_js_call("topBlock"), self._on_top_block)

    def _on_top_block(self, index: object) -> None:
        if isinstance(index, (int, float)) and index >= 0:
            self.user_scrolled.emit(int(index))

    def _call(self, script: str, answer: Callable[[Any], object] | None = None) -> None:
        """Run ``script`` in the page this view holds; its answer comes back only while the
        view (still there) holds that page."""
        page = self._page
        if page is None:
            return
        if answer is None:
            page.runJavaScript(script, APPLICATION_WORLD)
            return

        def answered(result: object) -> None:
            if isValid(self) and self._page is page:
                answer(result)

        page.runJavaScript(script, APPLICATION_WORLD, answered)

    def run_in_preview(self, script: str, callback=None) -> None:  # type: ignore[no-untyped-def]
        """Run ``script`` in the ApplicationWorld (where ``window.__articlePreview`` lives);
        a view without the page takes it first (the script runs once its article shows)."""
        if self._page is None:
            self._queued.append((script, callback))
            self._take_page(allow_new=True)
            return
        if callback is None:
            self._page.runJavaScript(script, APPLICATION_WORLD)
        else:
            self._page.runJavaScript(script, APPLICATION_WORLD, callback)

    def _scroll_to_anchor(self, fragment: str) -> None:
        self._call(_js_call("scrollToId", fragment))

    @staticmethod
    def _block_html(html: str) -> str:
        return rewrite_image_sources(html, ImageResolver()) if "<img" in html else html

    # -- clicks and drops ------------------------------------------------------------------
    def _install_click_filter(self) -> None:
        target = self.focusProxy()
        if target is not None and target is not self._watched:
            target.installEventFilter(self)
            self._watched = target

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched:
            if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
                self._press = event.position().toPoint()
            elif (event.type() == QEvent.Type.MouseButtonRelease
                  and isinstance(event, QMouseEvent) and self._press is not None):
                point = event.position().toPoint()
                if (point - self._press).manhattanLength() < 4:
                    self._report_block_at(point)
                self._press = None
            elif event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
                return self._handle_drag(event)
        return super().eventFilter(watched, event)

    def _report_block_at(self, point: QPoint) -> None:
        zoom = self.zoomFactor() or 1.0
        script = _js_call("blockAt", point.x() / zoom, point.y() / zoom)
        self._call(script, self._on_block_at)

    def _on_block_at(self, index: object) -> None:
        if isinstance(index, (int, float)) and index >= 0:
            self._last_revealed = int(index)
            self.block_clicked.emit(int(index))

    def _handle_drag(self, event: QEvent) -> bool:
        from editor.ui.drops import local_files

        files = local_files(event.mimeData())  # type: ignore[attr-defined]
        if not files:
            event.ignore()
            return True
        event.acceptProposedAction()  # type: ignore[attr-defined]
        if event.type() == QEvent.Type.Drop:
            self.files_dropped.emit(files)
        return True

    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._handle_drag(event)

    def dragMoveEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._handle_drag(event)

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._handle_drag(event)

    def discard_page_file(self) -> None:
        if self._page_file is not None:
            self._page_file.unlink(missing_ok=True)
            self._page_file = None


class _FixedRenderer(BodyRenderer):
    """Hands ``render_page`` a body already rendered, so the page is rendered only once."""

    def __init__(self, body: RenderedBody) -> None:
        super().__init__()
        self._body = body

    def render(self, _text: str) -> RenderedBody:
        return self._body
