"""The command line, run as a user runs it: a real subprocess, exit codes and messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from editor.importers import unsupported_message

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "resources" / "samples" / "harbour-bridge.md"

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "editor", *map(str, args)], capture_output=True,
                          text=True, timeout=120, env=env, cwd=cwd)


def test_export_refuses_unresolved_placeholders_listing_each(tmp_path: Path) -> None:
    result = run("export", SAMPLE, "-o", tmp_path / "page.html")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[:2] == [f"{SAMPLE}:27:20 [INTERNAL_LINK]", f"{SAMPLE}:43:69 [EXTERNAL_LINK]"]
    assert f"{SAMPLE}:55:1 [IMAGE: map of the bridge route through the port district]" in lines
    assert lines[-1].endswith("not exported: 6 unresolved placeholder(s); resolve them or pass "
                              "--allow-placeholders")
    assert not (tmp_path / "page.html").exists()
    # The reported places are where the tokens stand in the file.
    file_lines = SAMPLE.read_text("utf-8").split("\n")
    for line in lines[:-1]:
        location, token = line.split(" ", 1)
        number, column = map(int, location.rsplit(":", 2)[1:])
        assert file_lines[number - 1][column - 1:].startswith(token)


def test_export_with_allow_placeholders_writes_the_page_and_images(tmp_path: Path) -> None:
    result = run("export", SAMPLE, "-o", tmp_path / "page.html", "--allow-placeholders")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "<article" in (tmp_path / "page.html").read_text("utf-8")
    assert (tmp_path / "images" / "harbour.svg").is_file()


def test_fragment_and_embed_images(tmp_path: Path) -> None:
    result = run("export", SAMPLE, "-o", tmp_path / "f.html", "--allow-placeholders",
                 "--fragment", "--embed-images")
    assert result.returncode == 0, result.stderr
    fragment = (tmp_path / "f.html").read_text("utf-8")
    assert not fragment.startswith("<!DOCTYPE") and "data:image/svg+xml;base64," in fragment


def test_export_warns_about_an_image_that_is_no_image_and_leaves_it_behind(tmp_path: Path) -> None:
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "id_rsa").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    (tmp_path / "draft").mkdir()
    draft = tmp_path / "draft" / "story.md"
    draft.write_text("---\ntitle: A draft\n---\n![A photo](../secret/id_rsa)\n", "utf-8")
    for embed in ([], ["--embed-images"]):
        out = tmp_path / ("embedded" if embed else "copied")
        result = run("export", draft, "-d", out, *embed)
        assert result.returncode == 0, result.stderr
        assert result.stderr == (f"article-editor: {draft}: warning: image not found or not an "
                                 "image file: ../secret/id_rsa\n")
        assert [file.name for file in out.rglob("*")] == ["story.html"]
        assert "PRIVATE KEY" not in (out / "story.html").read_text("utf-8")


def test_a_batch_exports_the_good_files_and_reports_the_bad_ones(tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text("---\ntitle: Good\n---\nFine text.\n", "utf-8")
    broken = tmp_path / "broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\nText\n", "utf-8")
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    missing = tmp_path / "missing.md"
    other = tmp_path / "notes.pages"
    other.write_bytes(b"PK")
    result = run("export", broken, good, binary, missing, other, "-d", tmp_path / "out")
    assert result.returncode == 2
    assert (tmp_path / "out" / "good.html").is_file()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["good.html"]
    messages = result.stderr.splitlines()
    assert messages == [
        f"article-editor: {broken}:2: front matter is not valid YAML: "
        "expected ',' or ']', but got '<stream end>'",
        f"article-editor: {binary}: this is a binary file, not a text article",
        f"article-editor: {missing}: no such file",
        f"article-editor: {other}: {unsupported_message()}",
    ]
    assert "Traceback" not in result.stderr


def test_o_with_several_files_is_a_usage_error(tmp_path: Path) -> None:
    result = run("export", SAMPLE, SAMPLE, "-o", tmp_path / "x.html")
    assert result.returncode == 2
    assert "use -d OUTDIR" in result.stderr


def test_convert_writes_our_markdown_format(tmp_path: Path) -> None:
    source = tmp_path / "wire.md"
    source.write_bytes(b"---\r\ntitle: Wire\r\n---\r\nLine\r\n")
    result = run("convert", source, "-o", tmp_path / "out.md")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.md").read_bytes() == b"---\ntitle: Wire\n---\nLine\n"
    bad = run("convert", tmp_path / "nope.md", "-o", tmp_path / "x.md")
    assert bad.returncode == 2 and bad.stderr == f"article-editor: {tmp_path / 'nope.md'}: no such file\n"


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "export" in result.stdout and "convert" in result.stdout
    export_help = run("export", "--help").stdout
    for option in ("--fragment", "--embed-images", "--allow-placeholders", "--raw-html", "-d"):
        assert option in export_help


def test_placeholders_of_an_imported_text_file_are_reported_where_they_stand_in_it(
    tmp_path: Path,
) -> None:
    source = tmp_path / "wire.txt"
    source.write_text("A headline\n\nby Ana Ruiz · March 3, 2024\n\nFirst paragraph [EXTERNAL_LINK].\n\n"
                      "Second one with TK and [INTERNAL_LINK].\n", "utf-8")
    result = run("export", source, "-o", tmp_path / "page.html")
    assert result.returncode == 1
    assert result.stderr.splitlines()[:3] == [
        f"{source}:5:17 [EXTERNAL_LINK]", f"{source}:7:17 TK", f"{source}:7:24 [INTERNAL_LINK]"]


def test_a_batch_on_a_terminal_shows_a_progress_line(tmp_path: Path) -> None:
    import pty

    sources = []
    for index in range(3):
        source = tmp_path / f"story-{index}.md"
        source.write_text(f"---\ntitle: Story {index}\n---\nText.\n", "utf-8")
        sources.append(str(source))
    controller, terminal = pty.openpty()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.run(
        [sys.executable, "-m", "editor", "export", *sources, "-d", str(tmp_path / "out")],
        stderr=terminal, stdout=subprocess.DEVNULL, env=env, timeout=120)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    assert process.returncode == 0
    text = shown.decode("utf-8")
    assert "\rExporting 1/3: story-0.md" in text and "\rExporting 3/3: story-2.md" in text
    assert "Exported 3 file(s)." in text
    assert len(list((tmp_path / "out").glob("*.html"))) == 3


def test_a_word_document_converts_and_exports_like_any_article(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Ferry fares to rise", style="Title")
    document.add_paragraph("By Ana Ruiz · March 3, 2025")
    document.add_paragraph("Fares rise in April.")
    document.add_paragraph("Second paragraph with [INTERNAL_LINK].")
    source = tmp_path / "ferry.docx"
    document.save(source)
    converted = run("convert", source, "-o", tmp_path / "ferry.md")
    assert converted.returncode == 0, converted.stderr
    assert (tmp_path / "ferry.md").read_text("utf-8") == (
        "---\ntitle: Ferry fares to rise\nauthor: Ana Ruiz\ndate: 2025-03-03\n---\n"
        "Fares rise in April.\n\nSecond paragraph with [INTERNAL_LINK].\n")
    refused = run("export", source, "-o", tmp_path / "page.html")
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0] == f"{source}:3:23 [INTERNAL_LINK]"
    exported = run("export", source, "-o", tmp_path / "page.html", "--allow-placeholders")
    assert exported.returncode == 0, exported.stderr
    assert "<h1" in (page := (tmp_path / "page.html").read_text("utf-8"))
    assert "Ferry fares to rise" in page


def test_an_export_does_not_import_the_copy_desk_or_the_library() -> None:
    """Their modules would add to the start-up of every export (the library's store, sources and
    suggestions; its command-line parser is built for every command)."""
    heavy = ("editor.checks", "editor.spelling", "editor.library.store", "editor.library.sources",
             "editor.library.suggest")
    script = f"import sys, editor.cli; print(sorted(m for m in sys.modules if m.startswith({heavy})))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
