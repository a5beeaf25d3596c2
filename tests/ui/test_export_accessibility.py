"""Exported pages pass axe-core's WCAG 2 A and AA rules, in light and dark, code included.

axe-core (npm) runs inside QtWebEngine, the Chromium the editor already ships. ``.ci/run``
installs it; elsewhere set ``AXE_CORE_JS`` to ``axe.min.js`` or the test skips.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineWidgets import QWebEngineView
from pytestqt.qtbot import QtBot

from editor.export import ExportOptions, Theme, export_article
from editor.files import load_article

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = [
    ROOT / "resources" / "samples" / "harbour-bridge.md",
    ROOT / "resources" / "samples" / "markdown-guide.md",
    ROOT / "tests" / "data" / "export" / "code-in-every-colour.md",
    *sorted((ROOT / "tests" / "data" / "posts").glob("*.md")),
]
AXE_DEFAULT = (Path.home() / ".cache" / "article-editor" / "axe" / "node_modules" / "axe-core"
               / "axe.min.js")
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> str:
    path = Path(os.environ.get("AXE_CORE_JS") or AXE_DEFAULT)
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail("CI must provide axe-core (AXE_CORE_JS); see .ci/run")
        pytest.skip("axe-core is not installed (set AXE_CORE_JS to axe.min.js)")
    return path.read_text("utf-8")


def violations(qtbot: QtBot, page_file: Path, axe: str) -> list[dict[str, object]]:
    """axe-core's violations on the page as a browser shows it."""
    view = QWebEngineView()  # a page on screen: axe needs its layout to judge contrast
    view.resize(1000, 800)
    qtbot.addWidget(view)
    view.show()
    page = view.page()
    with qtbot.waitSignal(page.loadFinished, timeout=20000):
        view.setUrl(QUrl.fromLocalFile(str(page_file)))
    page.runJavaScript(axe)
    page.runJavaScript(
        "window.axeResult = null; axe.run(document, {runOnly: {type: 'tag', values: "
        f"{json.dumps(RULES)}}}}}).then(r => {{ window.axeResult = JSON.stringify("
        # "Incomplete" too: a contrast axe could not judge has not passed.
        "[...r.violations, ...r.incomplete].map(v => ({id: v.id, nodes: v.nodes.map("
        "n => n.target.join(' ') + ': ' + n.failureSummary)}))); });"
    )
    result: list[str] = []

    def finished() -> bool:
        page.runJavaScript("window.axeResult", 0, lambda value: value and result.append(value))
        return bool(result)

    qtbot.waitUntil(finished, timeout=30000)
    return json.loads(result[0])


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_exported_pages_have_no_wcag_violations(qtbot: QtBot, tmp_path: Path, theme: Theme) -> None:
    axe = axe_source()
    found = {}
    for source in ARTICLES:
        page_file = tmp_path / f"{source.stem}.html"
        export_article(load_article(source), page_file, ExportOptions(theme=theme),
                       source_dir=source.parent, allow_placeholders=True)
        found[source.name] = violations(qtbot, page_file, axe)
    assert found == {source.name: [] for source in ARTICLES}
