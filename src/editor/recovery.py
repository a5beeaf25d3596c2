"""The autosave journal: unsaved text of every open tab, kept on disk until saved or discarded.

Each open tab has one entry, a JSON file in the journal folder holding the whole article as
Markdown with front matter (what saving would write) and where it came from. The window writes
an entry shortly after the last edit and removes it on a clean save or an explicit discard, so
after a crash the entries still present are exactly the work that would otherwise be lost.

An entry records the process that wrote it. Entries of a process that is no longer running (or
ran before the last reboot) are *orphaned*: they are what the next start offers to recover. A
running editor never offers its own entries, nor those of another editor still running.

The journal knows no Qt; the window decides when to write (``editor.ui.recovery``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import os
import re
import sys
import uuid
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from editor.errors import ArticleError, ArticleFileError, FrontMatterError, SaveError
from editor.fileformat import parse_markdown
from editor.files import read_text_file, write_atomic
from editor.model import Article

FORMAT_VERSION = 1
ENTRY_SUFFIX = ".json"
_ENTRY_ID_RE = re.compile(r"\A[A-Za-z0-9_-]{1,64}\Z")
_MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a journal file larger than this is not ours


def text_hash(text: str) -> str:
    """A fingerprint of a text, to tell later whether the file on disk still holds it."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def new_entry_id() -> str:
    """A fresh id for a tab's entry."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class ProcessStamp:
    """Who wrote an entry: enough to tell later whether that process still runs.

    ``started`` (the process start time, where the system tells it) and ``boot`` (the boot id)
    guard against a process id that the system has handed to another program since.
    """

    pid: int
    started: str | None
    boot: str | None

    @classmethod
    def current(cls) -> ProcessStamp:
        pid = os.getpid()
        return cls(pid, _process_start(pid), _boot_id())

    def is_running(self) -> bool:
        if self.boot is not None and _boot_id() not in (None, self.boot):
            return False  # written before the last reboot
        if not _pid_running(self.pid):
            return False
        started = _process_start(self.pid)
        return self.started is None or started is None or started == self.started


@dataclass(frozen=True)
class RecoveryEntry:
    """One tab's unsaved work as the journal holds it."""

    entry_id: str
    path: Path | None  # the file the tab was editing; None for an untitled tab
    display_name: str
    saved_at: dt.datetime  # when the entry was written (aware, UTC)
    text: str  # the whole article as Markdown with front matter, "\n" line endings
    newline: str
    bom: bool
    base_hash: str | None  # text_hash of the file's text when the tab last loaded or saved it
    session: str
    writer: ProcessStamp
    file: Path  # the journal file itself

    def article(self) -> Article:
        """The recovered article. Text that no longer parses is kept whole as the body."""
        try:
            article = parse_markdown(self.text, self.path)
        except FrontMatterError as error:
            article = Article(body=self.text)
            article.warnings.append(f"recovered front matter could not be read ({error.message}); "
                                    "it is kept in the text")
        article.newline = self.newline
        article.bom = self.bom
        return article

    def disk_text(self) -> str | None:
        """The original file's text on disk now; None if untitled, gone or unreadable."""
        if self.path is None:
            return None
        try:
            return read_text_file(self.path).text
        except ArticleFileError:
            return None

    def diff_preview(self, max_lines: int = 40) -> str:
        """What recovering would change, against the file on disk (see :func:`diff_preview`)."""
        label = str(self.path) if self.path is not None else self.display_name
        return diff_preview(self.disk_text(), self.text, label=label, max_lines=max_lines)


class RecoveryJournal:
    """The journal folder: one entry per open tab, written atomically.

    ``session`` and ``stamp`` name this process; tests may pass others to act as an earlier run.
    """

    def __init__(self, folder: Path, *, session: str | None = None,
                 stamp: ProcessStamp | None = None) -> None:
        self.folder = Path(folder)
        self.stamp = stamp or ProcessStamp.current()
        self.session = session or f"{self.stamp.pid}-{uuid.uuid4().hex}"

    # -- writing ---------------------------------------------------------------------------
    def write(self, entry_id: str, path: Path | None, display_name: str, text: str, *,
              newline: str = "\n", bom: bool = False, base_hash: str | None = None) -> Path:
        """Write (or replace) the entry ``entry_id``; raises :class:`SaveError` on failure."""
        target = self._entry_file(entry_id)
        record: dict[str, Any] = {
            "format": FORMAT_VERSION,
            "id": entry_id,
            "path": str(path) if path is not None else None,
            "display_name": display_name,
            "saved_at": dt.datetime.now(dt.UTC).isoformat(),
            "session": self.session,
            "pid": self.stamp.pid,
            "process_started": self.stamp.started,
            "boot_id": self.stamp.boot,
            "newline": newline,
            "bom": bom,
            "base_hash": base_hash,
            "text": text,
        }
        self._ensure_folder()
        # ASCII JSON: any Python string survives, even one holding a lone surrogate.
        write_atomic(target, json.dumps(record, ensure_ascii=True, indent=1).encode("ascii"))
        return target

    def remove(self, entry_id: str) -> None:
        """Forget the entry (after a clean save or an explicit discard); absent is fine."""
        with suppress(FileNotFoundError):
            self._entry_file(entry_id).unlink()

    def has_entry(self, entry_id: str) -> bool:
        return self._entry_file(entry_id).is_file()

    def discard(self, entry: RecoveryEntry) -> None:
        with suppress(FileNotFoundError):
            entry.file.unlink()

    # -- reading ---------------------------------------------------------------------------
    def entries(self) -> list[RecoveryEntry]:
        """Every readable entry, oldest first. Files that are not valid entries are skipped."""
        try:
            files = sorted(self.folder.glob(f"*{ENTRY_SUFFIX}"))
        except OSError:
            return []
        found = [entry for entry in map(_read_entry, files) if entry is not None]
        return sorted(found, key=lambda entry: entry.saved_at)

    def is_orphaned(self, entry: RecoveryEntry) -> bool:
        """Left by an editor that is gone: neither this one nor another still running."""
        if entry.session == self.session:
            return False
        return not entry.writer.is_running()

    def orphaned_entries(self) -> list[RecoveryEntry]:
        """What the next start offers to recover.

        Entries whose text is what the file on disk already holds have nothing to recover;
        they are removed here.
        """
        orphaned = []
        for entry in self.entries():
            if not self.is_orphaned(entry):
                continue
            if entry.path is not None and entry.disk_text() == entry.text:
                self.discard(entry)
                continue
            orphaned.append(entry)
        return orphaned

    # -- internals -------------------------------------------------------------------------
    def _entry_file(self, entry_id: str) -> Path:
        if not _ENTRY_ID_RE.match(entry_id):
            raise ValueError(f"not a journal entry id: {entry_id!r}")
        return self.folder / f"{entry_id}{ENTRY_SUFFIX}"

    def _ensure_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            raise SaveError(self.folder, f"the recovery folder cannot be created: "
                            f"{error.strerror or error}") from None


def _read_entry(file: Path) -> RecoveryEntry | None:
    try:
        if file.stat().st_size > _MAX_ENTRY_BYTES:
            return None
        record = json.loads(file.read_bytes())
        if not isinstance(record, dict) or record.get("format") != FORMAT_VERSION:
            return None
        text = record["text"]
        saved_at = dt.datetime.fromisoformat(record["saved_at"])
        if saved_at.tzinfo is None:
            saved_at = saved_at.replace(tzinfo=dt.UTC)
        path = record.get("path")
        newline = record.get("newline")
        return RecoveryEntry(
            entry_id=str(record["id"]),
            path=Path(path) if isinstance(path, str) and path else None,
            display_name=str(record.get("display_name") or "Untitled"),
            saved_at=saved_at,
            text=text if isinstance(text, str) else str(text),
            newline=newline if newline in ("\n", "\r\n") else "\n",
            bom=record.get("bom") is True,
            base_hash=record.get("base_hash") if isinstance(record.get("base_hash"), str) else None,
            session=str(record.get("session", "")),
            writer=ProcessStamp(
                pid=int(record["pid"]),
                started=_optional_str(record.get("process_started")),
                boot=_optional_str(record.get("boot_id")),
            ),
            file=file,
        )
    except (OSError, ValueError, KeyError, TypeError, ArticleError):
        return None


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def diff_preview(on_disk: str | None, recovered: str, *, label: str = "article",
                 max_lines: int = 40, max_line_chars: int = 200) -> str:
    """A unified diff of the file on disk against the recovered text, trimmed to ``max_lines``.

    With no file on disk (an untitled tab, or the file is gone) every recovered line is new.
    """
    if on_disk == recovered:
        return "The recovered text is the same as the file on disk."
    before = (on_disk or "").splitlines()
    after = recovered.splitlines()
    lines = list(difflib.unified_diff(
        before, after,
        fromfile=f"{label} (on disk)" if on_disk is not None else "(no file on disk)",
        tofile=f"{label} (recovered)", lineterm="", n=2,
    ))
    if not lines:  # differs only in a trailing newline
        return "The recovered text differs from the file on disk only in line endings."
    shown = [line if len(line) <= max_line_chars else line[: max_line_chars - 1] + "…"
             for line in lines[:max_lines]]
    if len(lines) > max_lines:
        shown.append(f"… {len(lines) - max_lines} more line(s)")
    return "\n".join(shown)


# -- is a process still running? -----------------------------------------------------------

def _pid_running(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_running(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by someone else
    except OSError:
        return False
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """A killed process nobody has reaped yet still has its id, but it runs no more."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text("ascii", "replace")
    except OSError:
        return False
    return stat_line.rpartition(")")[2].split()[:1] == ["Z"]


def _process_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), to catch reused ids."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text("ascii", "replace")
    except OSError:
        return None
    fields = stat_line.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None


def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text("ascii").strip() or None
    except OSError:
        return None


def _windows_pid_running(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    process_query_limited_information = 0x1000
    still_active = 259
    handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
