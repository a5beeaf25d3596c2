"""The window's settings: one typed object over QSettings, every default in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from editor import APPLICATION, ORGANIZATION
from editor.export import Theme
from editor.library.store import default_library_path, without_password

MAX_RECENT_FILES = 10
MIN_FONT_SIZE = 6
MAX_FONT_SIZE = 48

DEFAULTS: dict[str, Any] = {
    "editor/font_family": "DejaVu Sans Mono",
    "editor/font_size": 11,
    "editor/word_wrap": True,
    "view/zoom": 0,  # steps above or below the font size, for editor and preview together
    "view/preview_visible": True,
    "view/scroll_sync": True,  # the preview scrolls with the editor, and back
    "view/form_expanded": True,
    "view/preview_theme": Theme.AUTO.value,
    "view/splitter": [],  # editor pane : preview pane
    "view/form_splitter": [],  # metadata form : body editor
    "window/geometry": QByteArray(),
    "window/state": QByteArray(),
    "files/recent": [],
    "session/restore": True,  # reopen the last session's articles at start
    "session/files": [],
    "session/cursors": [],  # the cursor position in each of those files
    "session/current": 0,  # the index of the tab that was in front
    # The story library: a file, or a postgresql:// URL (never with a password: libpq finds it
    # in ~/.pgpass or a service file). "" is $ARTICLE_EDITOR_LIBRARY, else the default file.
    "library/location": "",
}


@dataclass(frozen=True)
class Session:
    """The articles open when the editor last closed, to reopen at start."""

    files: tuple[Path, ...] = ()
    cursors: tuple[int, ...] = ()  # one per file
    current: int = 0


class Settings:
    """Typed access to the settings; only values differing from the defaults are stored."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else QSettings(ORGANIZATION, APPLICATION)

    def _get(self, key: str) -> Any:
        default = DEFAULTS[key]
        value: Any = self._store.value(key, default)
        if value is None:
            return default
        if isinstance(default, bool):
            return value if isinstance(value, bool) else str(value).lower() == "true"
        if isinstance(default, int):
            try:
                return int(value)
            except (TypeError, ValueError):
                return default
        if isinstance(default, list):
            if isinstance(value, str):
                return [value] if value else []
            return list(value) if isinstance(value, (list, tuple)) else default
        return value

    def _set(self, key: str, value: Any) -> None:
        if value == DEFAULTS[key]:
            self._store.remove(key)
        else:
            self._store.setValue(key, value)

    def sync(self) -> None:
        self._store.sync()

    # -- editor ----------------------------------------------------------------------------
    @property
    def font_family(self) -> str:
        return str(self._get("editor/font_family"))

    @font_family.setter
    def font_family(self, value: str) -> None:
        self._set("editor/font_family", value)

    @property
    def font_size(self) -> int:
        return min(MAX_FONT_SIZE, max(MIN_FONT_SIZE, self._get("editor/font_size")))

    @font_size.setter
    def font_size(self, value: int) -> None:
        self._set("editor/font_size", int(value))

    @property
    def word_wrap(self) -> bool:
        return bool(self._get("editor/word_wrap"))

    @word_wrap.setter
    def word_wrap(self, value: bool) -> None:
        self._set("editor/word_wrap", bool(value))

    # -- view ------------------------------------------------------------------------------
    @property
    def zoom(self) -> int:
        return max(-8, min(20, self._get("view/zoom")))

    @zoom.setter
    def zoom(self, value: int) -> None:
        self._set("view/zoom", int(value))

    @property
    def preview_visible(self) -> bool:
        return bool(self._get("view/preview_visible"))

    @preview_visible.setter
    def preview_visible(self, value: bool) -> None:
        self._set("view/preview_visible", bool(value))

    @property
    def scroll_sync(self) -> bool:
        return bool(self._get("view/scroll_sync"))

    @scroll_sync.setter
    def scroll_sync(self, value: bool) -> None:
        self._set("view/scroll_sync", bool(value))

    @property
    def form_expanded(self) -> bool:
        return bool(self._get("view/form_expanded"))

    @form_expanded.setter
    def form_expanded(self, value: bool) -> None:
        self._set("view/form_expanded", bool(value))

    @property
    def preview_theme(self) -> Theme:
        try:
            return Theme(self._get("view/preview_theme"))
        except ValueError:
            return Theme.AUTO

    @preview_theme.setter
    def preview_theme(self, value: Theme) -> None:
        self._set("view/preview_theme", value.value)

    @property
    def splitter_sizes(self) -> list[int]:
        return _int_list(self._get("view/splitter"))

    @splitter_sizes.setter
    def splitter_sizes(self, value: list[int]) -> None:
        self._set("view/splitter", [int(size) for size in value])

    @property
    def form_splitter_sizes(self) -> list[int]:
        return _int_list(self._get("view/form_splitter"))

    @form_splitter_sizes.setter
    def form_splitter_sizes(self, value: list[int]) -> None:
        self._set("view/form_splitter", [int(size) for size in value])

    # -- window ----------------------------------------------------------------------------
    @property
    def window_geometry(self) -> QByteArray:
        value = self._get("window/geometry")
        return value if isinstance(value, QByteArray) else QByteArray()

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._store.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray:
        value = self._get("window/state")
        return value if isinstance(value, QByteArray) else QByteArray()

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._store.setValue("window/state", value)

    # -- files -----------------------------------------------------------------------------
    @property
    def recent_files(self) -> list[Path]:
        return [Path(str(item)) for item in self._get("files/recent") if item]

    def add_recent_file(self, path: Path) -> None:
        path = path.absolute()
        files = [path, *(item for item in self.recent_files if item != path)]
        self._set("files/recent", [str(item) for item in files[:MAX_RECENT_FILES]])

    def remove_recent_file(self, path: Path) -> None:
        self._set("files/recent", [str(item) for item in self.recent_files if item != path])

    def clear_recent_files(self) -> None:
        self._set("files/recent", [])

    # -- session ---------------------------------------------------------------------------
    @property
    def restore_session(self) -> bool:
        return bool(self._get("session/restore"))

    @restore_session.setter
    def restore_session(self, value: bool) -> None:
        self._set("session/restore", bool(value))

    @property
    def session(self) -> Session:
        files = tuple(Path(str(item)) for item in self._get("session/files") if item)
        cursors = _int_list(self._get("session/cursors"))
        cursors += [0] * (len(files) - len(cursors))
        return Session(files, tuple(cursors[:len(files)]), self._get("session/current"))

    @session.setter
    def session(self, value: Session) -> None:
        self._set("session/files", [str(path) for path in value.files])
        self._set("session/cursors", [int(cursor) for cursor in value.cursors])
        self._set("session/current", int(value.current))

    # -- library ---------------------------------------------------------------------------
    @property
    def library_location(self) -> str:
        """The library the window opens unless ``--library`` or $ARTICLE_EDITOR_LIBRARY say
        otherwise (see :func:`editor.library.store.library_location`): a file, or a
        postgresql:// URL — never with a password (libpq finds it in ~/.pgpass or a service
        file). "" is the data folder's file."""
        return str(self._get("library/location"))

    @library_location.setter
    def library_location(self, value: str | Path) -> None:
        text = str(value)
        if "://" not in text:
            path = Path(text).absolute()
            text = "" if path == default_library_path() else str(path)
        self._set("library/location", without_password(text))


def _int_list(value: Any) -> list[int]:
    try:
        return [int(item) for item in value]
    except (TypeError, ValueError):
        return []
