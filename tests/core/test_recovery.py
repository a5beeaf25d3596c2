"""The autosave journal: entries written atomically, listed, removed, and offered only when orphaned."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from editor.errors import SaveError
from editor.fileformat import dump_markdown
from editor.files import load_article
from editor.recovery import (
    ProcessStamp,
    RecoveryJournal,
    diff_preview,
    new_entry_id,
    text_hash,
)

TEXT = "---\ntitle: Recovered\n---\nA sentence that must not be lost.\n"


def dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def earlier_run(folder: Path, pid: int | None = None) -> RecoveryJournal:
    """A journal as a previous, crashed run of the editor wrote it."""
    current = ProcessStamp.current()
    return RecoveryJournal(folder, stamp=ProcessStamp(pid or dead_pid(), None, current.boot))


def test_write_then_list(tmp_path: Path) -> None:
    journal = RecoveryJournal(tmp_path / "recovery")
    original = tmp_path / "story.md"
    entry_id = new_entry_id()
    journal.write(entry_id, original, "story.md", TEXT, newline="\r\n", bom=True,
                  base_hash=text_hash("old"))
    [entry] = journal.entries()
    assert entry.entry_id == entry_id
    assert entry.path == original
    assert entry.display_name == "story.md"
    assert entry.text == TEXT
    assert (entry.newline, entry.bom) == ("\r\n", True)
    assert entry.base_hash == text_hash("old")
    assert entry.writer.pid == os.getpid()
    assert entry.saved_at.tzinfo is not None
    assert [p.name for p in (tmp_path / "recovery").iterdir()] == [f"{entry_id}.json"]


def test_one_entry_per_tab_replaced_on_each_write(tmp_path: Path) -> None:
    journal = RecoveryJournal(tmp_path)
    journal.write("tab1", None, "Untitled", "first")
    journal.write("tab1", None, "Untitled", "second")
    journal.write("tab2", None, "Untitled 2", "other")
    assert sorted(entry.text for entry in journal.entries()) == ["other", "second"]
    assert not [name for name in tmp_path.iterdir() if name.suffix == ".tmp"]


def test_remove(tmp_path: Path) -> None:
    journal = RecoveryJournal(tmp_path)
    journal.write("tab1", None, "Untitled", "text")
    journal.remove("tab1")
    journal.remove("tab1")  # already gone: fine
    journal.remove("never-written")
    assert journal.entries() == []


@pytest.mark.parametrize("entry_id", ["../escape", "a/b", "", "x" * 65, "name.json"])
def test_entry_ids_cannot_reach_outside_the_folder(tmp_path: Path, entry_id: str) -> None:
    with pytest.raises(ValueError):
        RecoveryJournal(tmp_path).write(entry_id, None, "Untitled", "text")


def test_any_text_survives_the_journal(tmp_path: Path) -> None:
    journal = RecoveryJournal(tmp_path)
    text = "naïve “quotes” \u2028 \x00 \ud800 emoji 🙂\r\n"
    journal.write("odd", None, "Untitled", text)
    assert journal.entries()[0].text == text


def test_own_entries_are_never_offered(tmp_path: Path) -> None:
    journal = RecoveryJournal(tmp_path)
    journal.write("tab1", None, "Untitled", "still being typed")
    assert journal.orphaned_entries() == []
    # The next start of the editor in this same process still sees a live writer.
    assert RecoveryJournal(tmp_path).orphaned_entries() == []


def test_entries_of_an_ended_process_are_offered(tmp_path: Path) -> None:
    earlier_run(tmp_path).write("tab1", None, "Untitled", "lost work")
    [entry] = RecoveryJournal(tmp_path).orphaned_entries()
    assert entry.text == "lost work"


def test_entries_of_a_process_before_the_last_reboot_are_offered(tmp_path: Path) -> None:
    stamp = ProcessStamp(os.getpid(), None, "a-boot-that-is-over")
    if ProcessStamp.current().boot is None:
        pytest.skip("this system does not tell its boot id")
    RecoveryJournal(tmp_path, stamp=stamp).write("tab1", None, "Untitled", "old work")
    assert len(RecoveryJournal(tmp_path).orphaned_entries()) == 1


def test_a_reused_process_id_does_not_hide_entries(tmp_path: Path) -> None:
    current = ProcessStamp.current()
    if current.started is None:
        pytest.skip("this system does not tell process start times")
    stamp = ProcessStamp(os.getpid(), "1", current.boot)  # same id, another process's start
    RecoveryJournal(tmp_path, stamp=stamp).write("tab1", None, "Untitled", "old work")
    assert len(RecoveryJournal(tmp_path).orphaned_entries()) == 1


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_killed_process_not_yet_reaped_counts_as_ended(tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stamp = ProcessStamp(process.pid, None, ProcessStamp.current().boot)
        assert stamp.is_running()
        os.kill(process.pid, signal.SIGKILL)
        for _ in range(200):  # until the kernel has made it a zombie
            if not stamp.is_running():
                break
            subprocess.run(["sleep", "0.01"], check=True)
        assert not stamp.is_running()
    finally:
        process.kill()
        process.wait()


def test_entries_that_match_the_file_on_disk_are_dropped(tmp_path: Path) -> None:
    story = tmp_path / "story.md"
    story.write_text(TEXT, "utf-8")
    journal_folder = tmp_path / "recovery"
    earlier = earlier_run(journal_folder)
    earlier.write("same", story, "story.md", TEXT)
    earlier.write("changed", story, "story.md", TEXT + "More.\n")
    offered = RecoveryJournal(journal_folder).orphaned_entries()
    assert [entry.entry_id for entry in offered] == ["changed"]
    assert not (journal_folder / "same.json").exists()


def test_broken_journal_files_are_skipped(tmp_path: Path) -> None:
    earlier_run(tmp_path).write("good", None, "Untitled", "text")
    (tmp_path / "truncated.json").write_text('{"format": 1, "text": "abc', "utf-8")
    (tmp_path / "wrong.json").write_text("[1, 2, 3]", "utf-8")
    (tmp_path / "binary.json").write_bytes(bytes(range(256)))
    (tmp_path / "future.json").write_text(json.dumps({"format": 99}), "utf-8")
    (tmp_path / "missing-fields.json").write_text(json.dumps({"format": 1}), "utf-8")
    (tmp_path / "folder.json").mkdir()
    assert [entry.entry_id for entry in RecoveryJournal(tmp_path).orphaned_entries()] == ["good"]


def test_missing_journal_folder_lists_nothing(tmp_path: Path) -> None:
    assert RecoveryJournal(tmp_path / "not-yet").entries() == []


def test_journal_folder_that_cannot_be_made_fails_with_save_error(tmp_path: Path) -> None:
    blocker = tmp_path / "recovery"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(SaveError, match="recovery folder"):
        RecoveryJournal(blocker / "inner").write("tab", None, "Untitled", "x")


def test_recovered_article_keeps_line_endings_and_bom(tmp_path: Path) -> None:
    earlier_run(tmp_path).write("tab", tmp_path / "a.md", "a.md", TEXT, newline="\r\n", bom=True)
    article = RecoveryJournal(tmp_path).orphaned_entries()[0].article()
    assert article.title == "Recovered"
    assert (article.newline, article.bom) == ("\r\n", True)


def test_recovered_text_with_broken_front_matter_is_kept_whole(tmp_path: Path) -> None:
    text = "---\ntitle: [unclosed\n---\nBody\n"
    earlier_run(tmp_path).write("tab", None, "Untitled", text)
    article = RecoveryJournal(tmp_path).orphaned_entries()[0].article()
    assert article.body == text
    assert article.warnings


def test_diff_preview_against_the_file_on_disk(tmp_path: Path) -> None:
    story = tmp_path / "story.md"
    story.write_text("---\ntitle: T\n---\nOne.\nTwo.\n", "utf-8")
    earlier_run(tmp_path / "j").write("tab", story, "story.md", "---\ntitle: T\n---\nOne.\nTwo!\n")
    preview = RecoveryJournal(tmp_path / "j").orphaned_entries()[0].diff_preview()
    assert "-Two." in preview and "+Two!" in preview
    assert "(on disk)" in preview and "(recovered)" in preview


def test_diff_preview_when_the_file_is_gone_or_untitled(tmp_path: Path) -> None:
    preview = diff_preview(None, "Line one\nLine two\n", label="Untitled")
    assert "+Line one" in preview and "(no file on disk)" in preview
    earlier_run(tmp_path).write("tab", tmp_path / "deleted.md", "deleted.md", "Kept\n")
    assert "+Kept" in RecoveryJournal(tmp_path).orphaned_entries()[0].diff_preview()


def test_diff_preview_is_trimmed() -> None:
    recovered = "\n".join(f"line {n} " + "x" * 500 for n in range(300))
    preview = diff_preview("", recovered, max_lines=20)
    lines = preview.splitlines()
    assert len(lines) == 21
    assert lines[-1].startswith("… ") and "more line" in lines[-1]
    assert all(len(line) <= 200 for line in lines)


def test_diff_preview_of_identical_text() -> None:
    assert "same" in diff_preview("a\n", "a\n")


def test_recovered_text_reloads_like_a_saved_file(tmp_path: Path) -> None:
    story = tmp_path / "story.md"
    story.write_bytes(b"---\r\ntitle: Old\r\n---\r\nBody\r\n")
    article = load_article(story)
    article.body += "New line\n"
    earlier_run(tmp_path / "j").write("tab", story, "story.md", dump_markdown(article),
                                      newline=article.newline, bom=article.bom)
    recovered = RecoveryJournal(tmp_path / "j").orphaned_entries()[0].article()
    assert recovered.body == "Body\nNew line\n"
    assert recovered.newline == "\r\n"
