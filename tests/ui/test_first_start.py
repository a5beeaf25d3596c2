"""The window on its first start: sized to the screen, the form usable with every dock open."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import OFFSCREEN_NOISE, SAMPLE, start_window

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_the_first_start_fills_most_of_the_screen_and_no_more(qtbot, settings):
    window = start_window(qtbot, settings)
    screen = window.screen().availableGeometry()
    frame = window.frameGeometry()
    assert screen.contains(frame)
    assert frame.width() >= 0.8 * screen.width() and frame.height() >= 0.8 * screen.height()
    window.close()


def test_the_saved_geometry_wins_over_the_screen(qtbot, settings):
    window = start_window(qtbot, settings)
    window.resize(760, 600)  # (the height may stop at the window's minimum, every dock open)
    qtbot.waitUntil(lambda: window.width() == 760)
    chosen = (window.width(), window.height())
    window.save_layout()
    window.close()
    again = start_window(qtbot, settings)
    assert (again.width(), again.height()) == chosen
    again.close()


# Run in a process of its own: the offscreen platform's screen size is set when Qt starts.
LAPTOP_SCRIPT = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, sys.argv[1])
    import qt_setup  # noqa: F401
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication
    from editor.ui.main_window import MainWindow
    from editor.ui.settings import Settings
    app = QApplication.instance() or QApplication([])
    window = MainWindow(Settings(QSettings(sys.argv[2], QSettings.Format.IniFormat)))
    window.show()
    window.workspace.open_paths([sys.argv[3]])

    def measure():
        tab = window.current_tab()
        screen, frame = window.screen().availableGeometry(), window.frameGeometry()
        print(json.dumps({
            "fits": screen.contains(frame),
            "docks": [dock.isVisible() for dock in window.docks],
            "fields": {name: field.width() for name, field in tab.form.fields.items()},
            "fields_visible": all(field.isVisible() for field in tab.form.fields.values()),
            "form_clipped": tab.form.width() < tab.form.minimumSizeHint().width(),
            "editor_height": tab.editor.height(),
        }))
        window.close()
        app.quit()

    QTimer.singleShot(1500, measure)
    app.exec()
""")


def test_on_a_laptop_screen_the_form_is_usable_with_every_dock_open(tmp_path: Path) -> None:
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366,
                                               "height": 768, "logicalDpi": 96}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
           "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-c", LAPTOP_SCRIPT, str(Path(__file__).parents[1]),
         str(tmp_path / "settings.ini"), str(SAMPLE)],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["fits"]
    assert seen["docks"] == [True] * len(seen["docks"])
    assert seen["fields_visible"] and not seen["form_clipped"]
    # Room for a few words in every field: a headline, a date, an image path.
    assert min(seen["fields"].values()) >= 250, seen["fields"]
    assert seen["editor_height"] >= 200
