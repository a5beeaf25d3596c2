"""The live preview: the export's very page, loaded once and then patched block by block.

The page is loaded once per article (``load``); afterwards only changed blocks of the body, the
header and the related aside are swapped through JavaScript run in the ApplicationWorld, so the
preview keeps its scroll position, never flashes, and never reloads a large page. JavaScript of
the page itself is switched off: scripts and event handlers written in a draft never run. Link
clicks are refused and reported (``link_clicked``) so the window opens them in the browser.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer, QUrl, Signal, qWarning
from PySide6.QtGui import QHideEvent, QMouseEvent
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineScript,
    QWebEngineSettings,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

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
# A preview hidden this long (its tab behind others) is frozen: Chromium then drops what it keeps
# for painting and running the page (bench/tabs.py: ten 20,000-word tabs' renderer 283 → 189
# MB); shown again it wakes at once (a switch to it took 12 ms, median). Tabs a writer goes back
# and forth between stay awake.
FREEZE_HIDDEN_AFTER_MS = 30_000


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
        self._page = PreviewPage(QWebEngineProfile.defaultProfile(), self)
        self._use_page(self._page)
        self.setContextMenuPolicy(self.contextMenuPolicy().NoContextMenu)
        self.setAcceptDrops(True)
        self._options = ExportOptions()
        self._ready = False
        self._shown: list[str] = []  # block HTML as the page holds it
        self._pending_blocks: list[str] | None = None
        self._pending_header: tuple[str, str] | None = None
        self._code_css_shown = False
        self._wants_code_css = False
        self._page_file: Path | None = None
        self._base_dir: Path | None = None
        self._press: QPoint | None = None
        self._watched: QObject | None = None
        self._last_revealed = -1
        self._pending_scroll = -1  # a block to scroll to once the page is ready
        self._own_scroll_until = 0.0  # page scrolls before then are ours, not the user's
        self.patch_count = 0
        self._freeze_timer = QTimer(self, singleShot=True, interval=FREEZE_HIDDEN_AFTER_MS)
        self._freeze_timer.timeout.connect(self._freeze_if_hidden)

    def _use_page(self, page: PreviewPage) -> None:
        page.setParent(self)
        self._page = page
        self.setPage(page)
        page.link_clicked.connect(self.link_clicked)
        page.anchor_clicked.connect(self._scroll_to_anchor)
        page.loadFinished.connect(self._on_load_finished)
        page.scrollPositionChanged.connect(self._on_page_scrolled)

    # -- loading ---------------------------------------------------------------------------
    @property
    def options(self) -> ExportOptions:
        return self._options

    def is_ready(self) -> bool:
        return self._ready

    def load_article(self, article: Article, body: RenderedBody, base_dir: Path | None,
                     options: ExportOptions) -> None:
        """Load the page once: the export's HTML for this article, images relative to base_dir."""
        self._options = options
        self._base_dir = base_dir
        self._ready = False
        self._last_revealed = -1
        blocks = [self._block_html(html) for html in body.htmls]
        html = page_html(article, body, options)
        self._shown = blocks
        self._pending_blocks = None
        self._pending_header = None
        self._code_css_shown = body.has_code
        self._wants_code_css = body.has_code
        base_url = page_url(base_dir)
        loaded_ahead = _take_page_loaded_ahead(html, base_url)
        if loaded_ahead is not None:  # this very page, loading since start-up
            self._adopt(loaded_ahead)
            return
        if self._page.load_own_html(html, base_url):
            return
        # Too big for setHtml: a page file beside nothing of the user's, with a <base> so that
        # relative images still resolve against the article's folder.
        if self._page_file is None:
            descriptor, name = tempfile.mkstemp(prefix="article-preview-", suffix=".html")
            os.close(descriptor)
            self._page_file = Path(name)
        if base_dir is not None:
            base = f'<base href="{base_url.toString()}">'
            html = html.replace("<head>\n", f"<head>\n{base}\n", 1)
        self._page_file.write_text(html, "utf-8")
        url = QUrl.fromLocalFile(str(self._page_file))
        self._page.expected_url = url
        self._page.loading_own_page = True
        self.load(url)

    def _adopt(self, page: PreviewPage) -> None:
        """Show ``page`` instead of this view's own (which is dropped)."""
        own = self._page
        self._use_page(page)
        own.deleteLater()
        if page.load_result is not None:  # loaded before this view took it
            self._on_load_finished(page.load_result)

    def _on_load_finished(self, ok: bool) -> None:
        self._page.loading_own_page = False
        if not ok:
            return
        # The script and its start in one call to the page (one message, one answer).
        self._page.runJavaScript(f'{preview_script()};\n{_js_call("init", self._shown)}',
                                 APPLICATION_WORLD, self._on_init)
        self._install_click_filter()

    def _on_init(self, _result: object) -> None:
        self._ready = True
        if self._pending_header is not None:
            header, related = self._pending_header
            self._pending_header = None
            self._send_header(header, related)
        if self._pending_blocks is not None:
            blocks, self._pending_blocks = self._pending_blocks, None
            self._send_blocks(blocks)
        if self._pending_scroll >= 0:
            index, self._pending_scroll = self._pending_scroll, -1
            self.scroll_to_block(index)
        elif self._last_revealed >= 0:
            index, self._last_revealed = self._last_revealed, -1
            self.reveal_block(index)
        self.ready.emit()

    # -- hidden --------------------------------------------------------------------------
    def hideEvent(self, event: QHideEvent) -> None:
        self._freeze_timer.start()
        super().hideEvent(event)

    def is_frozen(self) -> bool:
        return self._page.lifecycleState() != QWebEnginePage.LifecycleState.Active

    def _freeze_if_hidden(self) -> None:
        """Freeze the page unless it was shown again meanwhile (showing it wakes it: Qt makes
        a visible page active); not while it loads, which a frozen page finishes only awake."""
        if not self.isVisible() and self._ready:
            self._page.setLifecycleState(QWebEnginePage.LifecycleState.Frozen)

    # -- patching --------------------------------------------------------------------------
    def show_blocks(self, body: RenderedBody, reveal: int | None = None) -> None:
        """Bring the page's body to these blocks, sending only what changed; then, with
        ``reveal``, scroll that block into view as :meth:`reveal_block` does, in the same call
        to the page (a keystroke makes one round trip to the page, not two)."""
        self._wants_code_css = body.has_code
        if not self._ready:
            self._pending_blocks = body.htmls
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
        if self._wants_code_css != self._code_css_shown:
            self._code_css_shown = self._wants_code_css
            script.append(_js_call("setCodeCss", code_css() if self._wants_code_css else ""))
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

        self._page.runJavaScript(";\n".join(script), APPLICATION_WORLD, done)

    def show_metadata(self, article: Article) -> None:
        """Re-render the header and related block for changed metadata."""
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
        self._page.runJavaScript(script, APPLICATION_WORLD, lambda _result: self.patched.emit())

    def set_theme(self, options: ExportOptions) -> None:
        self._options = options
        theme = "" if options.theme.value == "auto" else options.theme.value
        if self._ready:
            self._page.runJavaScript(_js_call("setTheme", theme), APPLICATION_WORLD)

    def reveal_block(self, index: int) -> None:
        """Scroll the block into view if it is off-screen; nothing moves otherwise.

        Asked again for the same block it still looks: the page may have scrolled away since.
        """
        call = self._reveal_call(index)
        if call is not None:
            self._page.runJavaScript(call, APPLICATION_WORLD,
                                     lambda scrolled: self.revealed.emit(bool(scrolled)))

    def _reveal_call(self, index: int) -> str | None:
        """The page's call revealing block ``index``, when the page can take it now; the block
        is remembered either way, to be revealed after a (re)load."""
        self._last_revealed = index
        if not self._ready or index < 0:
            return None
        self._own_scroll_until = time.monotonic() + OWN_SCROLL_SECONDS
        return _js_call("reveal", index)

    def scroll_to_block(self, index: int) -> None:
        """Put the block at the top of the view (0: the page's top); after a (re)load if the
        page is loading, so that the preview keeps its place across reloads."""
        if not self._ready:
            self._pending_scroll = index
            return
        self._page.runJavaScript(_js_call("scrollToBlock", index), APPLICATION_WORLD,
                                 lambda _result: self.scrolled_to_block.emit())

    def _on_page_scrolled(self, _position: object) -> None:
        if not self._ready or time.monotonic() < self._own_scroll_until:
            return
        self._page.runJavaScript(_js_call("topBlock"), APPLICATION_WORLD, self._on_top_block)

    def _on_top_block(self, index: object) -> None:
        if isinstance(index, (int, float)) and index >= 0:
            self.user_scrolled.emit(int(index))

    def run_in_preview(self, script: str, callback=None) -> None:  # type: ignore[no-untyped-def]
        """Run ``script`` in the ApplicationWorld (where ``window.__articlePreview`` lives)."""
        if callback is None:
            self._page.runJavaScript(script, APPLICATION_WORLD)
        else:
            self._page.runJavaScript(script, APPLICATION_WORLD, callback)

    def _scroll_to_anchor(self, fragment: str) -> None:
        self._page.runJavaScript(_js_call("scrollToId", fragment), APPLICATION_WORLD)

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
        self._page.runJavaScript(script, APPLICATION_WORLD, self._on_block_at)

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

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.discard_page_file()
        super().closeEvent(event)

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
