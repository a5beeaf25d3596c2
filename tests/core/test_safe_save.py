"""Saving never damages the file on disk: a failed save leaves it as it was, and no litter."""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

import pytest

from editor.errors import SaveError
from editor.files import load_article, save_article, write_atomic
from editor.model import Article

RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
ORIGINAL = b"---\ntitle: Original\n---\nThe text on disk.\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(name.name for name in folder.iterdir() if name.name.endswith(".tmp"))


def test_save_writes_the_article(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    save_article(Article(title="New", body="Text\n"), path)
    assert path.read_bytes() == b"---\ntitle: New\n---\nText\n"
    assert leftovers(tmp_path) == []


def test_save_into_a_removed_folder_fails_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    folder.mkdir()
    path = folder / "story.md"
    path.write_bytes(ORIGINAL)
    article = load_article(path)
    shutil.rmtree(folder)
    with pytest.raises(SaveError) as caught:
        save_article(article, path)
    assert "folder no longer exists" in str(caught.value)
    assert str(path) in str(caught.value)
    assert not folder.exists()


def test_save_onto_a_folder_fails_and_leaves_it(tmp_path: Path) -> None:
    folder = tmp_path / "story.md"
    folder.mkdir()
    (folder / "inside.txt").write_text("keep me")
    with pytest.raises(SaveError, match="folder"):
        save_article(Article(body="x"), folder)
    assert (folder / "inside.txt").read_text() == "keep me"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(RUNNING_AS_ROOT, reason="root may write into read-only folders")
def test_save_into_a_read_only_folder_fails_and_keeps_the_original(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_bytes(ORIGINAL)
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(SaveError, match="permission"):
            save_article(Article(title="Changed"), path)
    finally:
        tmp_path.chmod(0o700)
    assert path.read_bytes() == ORIGINAL
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(("failure", "message"), [
    (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
    (PermissionError(errno.EACCES, "Permission denied"), "permission"),
    (OSError(errno.EIO, "Input/output error"), "Input/output error"),
])
def test_failed_write_keeps_the_original_and_removes_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: OSError, message: str
) -> None:
    # A full disk (or a failing one) is faked at the edge: the fsync that ends the write.
    path = tmp_path / "story.md"
    path.write_bytes(ORIGINAL)

    def failing_fsync(fd: int) -> None:
        raise failure

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(SaveError, match=message):
        save_article(Article(title="Changed", body="New text\n"), path)
    monkeypatch.undo()
    assert path.read_bytes() == ORIGINAL
    assert leftovers(tmp_path) == []


def test_failed_rename_keeps_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "story.md"
    path.write_bytes(ORIGINAL)

    def failing_replace(source: str, target: str) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(SaveError):
        write_atomic(path, b"new bytes")
    monkeypatch.undo()
    assert path.read_bytes() == ORIGINAL
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("mode", [0o640, 0o600, 0o664, 0o755])
def test_permissions_are_kept_across_a_save(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "story.md"
    path.write_bytes(ORIGINAL)
    path.chmod(mode)
    article = load_article(path)
    article.title = "Changed"
    save_article(article, path)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert b"Changed" in path.read_bytes()


def test_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    path = tmp_path / "new.md"
    save_article(Article(body="x"), path)
    # Read once at import, so compare with what the process had then (normally unchanged).
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_save_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "real" / "story.md"
    target.parent.mkdir()
    target.write_bytes(ORIGINAL)
    link = tmp_path / "story.md"
    link.symlink_to(target)
    save_article(Article(title="Through the link"), link)
    assert link.is_symlink()
    assert b"Through the link" in target.read_bytes()


def test_save_replaces_the_file_rather_than_rewriting_it_in_place(tmp_path: Path) -> None:
    # A reader holding the old file open keeps reading the old text: the rename is atomic.
    path = tmp_path / "story.md"
    path.write_bytes(ORIGINAL)
    with path.open("rb") as reader:
        save_article(Article(title="New"), path)
        assert reader.read() == ORIGINAL
    assert b"New" in path.read_bytes()
