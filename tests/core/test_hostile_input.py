"""Every hostile file the loader may be handed ends as an article or as one of our typed errors.

Each case checks the error's type and that its message names the file (and the line, where
there is one), since that message is what the window shows.
"""

from __future__ import annotations

import codecs
import os
import time
from pathlib import Path

import pytest

from editor import files
from editor.errors import (
    BinaryFileError,
    EncodingError,
    FileUnreadableError,
    FrontMatterError,
    UnsupportedFormatError,
)
from editor.fileformat import dump_markdown, parse_markdown
from editor.files import encode_article, load_article, save_article
from editor.model import Article

RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- binary and encodings ----------------------------------------------------------------------

@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    b"%PDF-1.7\n" + bytes(range(32)) * 200,
    b"Title\n\nText with a NUL \x00 inside\n",
])
def test_binary_file_is_refused(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "image.md", data)
    with pytest.raises(BinaryFileError) as caught:
        load_article(path)
    assert str(path) in str(caught.value)
    assert "binary" in str(caught.value)


def test_invalid_utf8_names_the_line_and_opens_as_cp1252(tmp_path: Path) -> None:
    text = "---\ntitle: Café society\n---\nThe naïve reader’s “quotes”.\n"
    path = write(tmp_path, "legacy.md", text.encode("cp1252"))
    with pytest.raises(EncodingError) as caught:
        load_article(path)
    assert caught.value.line == 2
    assert caught.value.fallback_encoding == "cp1252"
    assert "UTF-8" in str(caught.value)

    article = load_article(path, encoding=caught.value.fallback_encoding)
    assert article.title == "Café society"
    assert article.body == "The naïve reader’s “quotes”.\n"
    assert any("cp1252" in warning for warning in article.warnings)


def test_cp1252_fallback_survives_bytes_cp1252_leaves_undefined(tmp_path: Path) -> None:
    # 0x81, 0x8d, 0x8f, 0x90 and 0x9d have no character in cp1252.
    path = write(tmp_path, "odd.md", b"caf\xe9 \x81\x8d\x8f\x90\x9d end\n")
    with pytest.raises(EncodingError):
        load_article(path)
    article = load_article(path, encoding="cp1252")
    assert article.body.startswith("café ")
    assert article.body.endswith(" end\n")


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF8 + b"---\r\ntitle: With BOM\r\ntags: [a, b]\r\n---\r\nFirst line.\r\n\r\n"
    b"Second paragraph.\r\n",
    codecs.BOM_UTF8 + b"No front matter, just text.\n",
    b"---\r\ntitle: CRLF only\r\n---\r\nBody\r\nmore\r\n",
    b"---\ntitle: Plain\n---\nBody\n",
])
def test_bom_and_crlf_round_trip_byte_exact(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "endings.md", data)
    article = load_article(path)
    assert "\r" not in article.body
    assert encode_article(article) == data
    save_article(article, path)
    assert path.read_bytes() == data


def test_crlf_is_kept_when_an_edited_article_is_saved(tmp_path: Path) -> None:
    path = write(tmp_path, "crlf.md", b"---\r\ntitle: Old\r\n---\r\nBody\r\n")
    article = load_article(path)
    article.title = "New"
    article.body += "Added\n"
    save_article(article, path)
    assert path.read_bytes() == b"---\r\ntitle: New\r\n---\r\nBody\r\nAdded\r\n"


# -- size and kinds of path ---------------------------------------------------------------------

def test_huge_file_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        chunk = b"All work and no play makes a very long article.\n" * 20000
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(chunk)
    started = time.monotonic()
    with pytest.raises(FileUnreadableError) as caught:
        load_article(path)
    assert time.monotonic() - started < 0.5
    assert "MB" in str(caught.value)


def test_file_that_grows_past_the_limit_after_stat_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "growing.md", b"x" * 2048)
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1024 * 4)
    real_stat = Path.stat

    def small_stat(self: Path, **kwargs):  # the size stat() saw before the file grew
        result = real_stat(self, **kwargs)
        if self == path:
            path.write_bytes(b"x" * 8192)
        return result

    monkeypatch.setattr(Path, "stat", small_stat)
    with pytest.raises(FileUnreadableError, match="MB"):
        load_article(path)


def test_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.md"
    folder.mkdir()
    with pytest.raises(FileUnreadableError, match="folder"):
        load_article(folder)
    plain = tmp_path / "drafts"
    plain.mkdir()
    with pytest.raises(FileUnreadableError, match="folder"):
        load_article(plain)


def test_broken_symlink_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "gone.md"
    link.symlink_to(tmp_path / "deleted-long-ago.md")
    with pytest.raises(FileUnreadableError, match="link"):
        load_article(link)


def test_symlink_to_an_article_opens(tmp_path: Path) -> None:
    target = write(tmp_path, "real.md", b"---\ntitle: Real\n---\nText\n")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert load_article(link).title == "Real"


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileUnreadableError, match="no such file"):
        load_article(tmp_path / "never-written.md")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.md"
    os.mkfifo(pipe)
    with pytest.raises(FileUnreadableError, match="not a regular file"):
        load_article(pipe)


@pytest.mark.skipif(RUNNING_AS_ROOT, reason="root reads any file whatever its permissions")
def test_file_without_read_permission_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.md", b"text\n")
    path.chmod(0)
    try:
        with pytest.raises(FileUnreadableError, match="permission"):
            load_article(path)
    finally:
        path.chmod(0o600)


def test_permission_denied_reads_as_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root may read anything, so the refusal is faked at the edge, the open() call.
    path = write(tmp_path, "secret.md", b"text\n")
    real_open = Path.open

    def refuse(self: Path, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(FileUnreadableError, match="permission"):
        load_article(path)


@pytest.mark.parametrize("name", ["report.pdf", "photo.jpg", "notes.odt", "README"])
def test_unsupported_extension_is_refused(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, b"whatever")
    with pytest.raises(UnsupportedFormatError) as caught:
        load_article(path)
    assert ".md" in str(caught.value)


# -- front matter -------------------------------------------------------------------------------

@pytest.mark.parametrize(("front_matter", "line"), [
    ("title: [unclosed\nauthor: Someone\n", 3),
    ("title: fine\n  bad: indentation\n", 3),
    ("title: fine\nauthor: 'unterminated\n", 4),
    ("\ttitle: tab indented\n", 2),
])
def test_malformed_yaml_names_the_line(tmp_path: Path, front_matter: str, line: int) -> None:
    path = write(tmp_path, "bad.md", f"---\n{front_matter}---\nBody\n".encode())
    with pytest.raises(FrontMatterError) as caught:
        load_article(path)
    assert caught.value.line == line
    assert f"{path}:{line}:" in str(caught.value)


@pytest.mark.parametrize("front_matter", [
    "- just\n- a list\n",
    "just a sentence\n",
    "date: 2025-13-45\n",
    "a: !!python/object/apply:os.system ['echo owned']\n",
    "? [1, 2]\n: unhashable key\n",
])
def test_front_matter_that_is_not_a_mapping_of_values_is_refused(
    tmp_path: Path, front_matter: str
) -> None:
    path = write(tmp_path, "odd.md", f"---\n{front_matter}---\nBody\n".encode())
    with pytest.raises(FrontMatterError):
        load_article(path)


def test_unclosed_front_matter_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "open.md", b"---\ntitle: Never closed\n\nBody text\n")
    with pytest.raises(FrontMatterError, match="never closed") as caught:
        load_article(path)
    assert caught.value.line == 1


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "loop.md", b"---\ntitle: x\nloop: &a [*a]\n---\nBody\n")
    with pytest.raises(FrontMatterError, match="refers to itself"):
        load_article(path)


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    path = write(tmp_path, "laughs.md", ("---\n" + "\n".join(lines) + "\n---\nx\n").encode())
    started = time.monotonic()
    with pytest.raises(FrontMatterError, match="too large"):
        load_article(path)
    assert time.monotonic() - started < 1


def test_deeply_nested_front_matter_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.md", b"---\nx: " + b"[" * 200 + b"]" * 200 + b"\n---\nx\n")
    with pytest.raises(FrontMatterError):
        load_article(path)


def test_number_for_a_title_is_read_as_text_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "num.md", b"---\ntitle: 1984\nauthor: 3.5\nslug: true\n---\nBody\n")
    article = load_article(path)
    assert article.title == "1984"
    assert article.author == "3.5"
    assert article.slug == "true"
    assert any("'title'" in warning and "int" in warning for warning in article.warnings)
    # Saved unchanged, the numbers stay numbers.
    assert encode_article(article) == path.read_bytes()


@pytest.mark.parametrize(("front_matter", "key", "line"), [
    ("title: ok\nrelated: just a string\n", "related", 3),
    ("title: ok\nrelated:\n  - 42\n", "related", 3),
    ("related:\n  - title: [not, text]\n", "related", 2),
    ("title: ok\ntags: {a: 1}\n", "tags", 3),
    ("title: [a, list]\n", "title", 2),
    ("dek: {a: mapping}\n", "dek", 2),
])
def test_wrong_type_names_the_key_and_line(
    tmp_path: Path, front_matter: str, key: str, line: int
) -> None:
    path = write(tmp_path, "wrong.md", f"---\n{front_matter}---\nBody\n".encode())
    with pytest.raises(FrontMatterError) as caught:
        load_article(path)
    assert f"'{key}'" in str(caught.value)
    assert caught.value.line == line


def test_a_string_for_tags_is_split_into_tags(tmp_path: Path) -> None:
    path = write(tmp_path, "tags.md", b"---\ntags: politics, iraq\n---\nBody\n")
    assert load_article(path).tags == ["politics", "iraq"]


# -- what the editor writes, it can read ----------------------------------------------------------

@pytest.mark.parametrize("body", [
    "---\nUpdate: the story was corrected.\n---\nText\n",
    "---\nNote: a rule, then text, never closed\n",
    "---\n---\n",
    "---\n",
])
def test_body_that_opens_like_front_matter_survives_save_and_load(
    tmp_path: Path, body: str
) -> None:
    path = tmp_path / "rule.md"
    save_article(Article(body=body), path)
    assert load_article(path).body == body


def test_parse_of_dumped_article_with_body_starting_with_a_rule() -> None:
    article = Article(title="T", body="---\nkey: value\n---\n")
    again = parse_markdown(dump_markdown(article))
    assert (again.title, again.body) == ("T", article.body)
