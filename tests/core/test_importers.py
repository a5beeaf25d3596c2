"""The importer registry: one table of formats behind load_article, the open dialog and messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.errors import UnsupportedFormatError
from editor.files import load_article
from editor.importers import (
    IMPORTERS,
    MARKDOWN,
    Reads,
    dialog_filter,
    importer_for,
    is_native,
    openable_suffixes,
    unsupported_message,
)

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "import"

# The smallest file of each format that reads back with the headline "Hello".
SMALLEST = {
    "Markdown": b"---\ntitle: Hello\n---\nBody.\n",
    "Plain text": b"Hello\n\nBody text of the article.\n",
    "Web pages": b"<html><body><article><h1>Hello</h1><p>Body.</p></article></body></html>",
}


def test_each_format_has_names_suffixes_and_a_reader() -> None:
    assert IMPORTERS[0] is MARKDOWN
    assert [importer for importer in IMPORTERS if importer.native] == [MARKDOWN]
    for importer in IMPORTERS:
        assert importer.suffixes and all(s.startswith(".") and s == s.lower()
                                         for s in importer.suffixes)
        assert isinstance(importer.reads, Reads) and callable(importer.read)
    every = [suffix for importer in IMPORTERS for suffix in importer.suffixes]
    assert len(every) == len(set(every)) == len(openable_suffixes())


@pytest.mark.parametrize("importer", [i for i in IMPORTERS if i.name in SMALLEST],
                         ids=lambda importer: importer.name)
def test_load_article_opens_every_suffix_of_every_format_in_any_case(
    tmp_path: Path, importer
) -> None:  # type: ignore[no-untyped-def]
    for suffix in importer.suffixes:
        for spelled in (suffix, suffix.upper()):
            path = tmp_path / f"story{spelled}"
            path.write_bytes(SMALLEST[importer.name])
            assert importer_for(path) is importer
            assert load_article(path).title == "Hello", spelled


def test_only_markdown_is_native() -> None:
    assert is_native("a.md") and is_native("b.MARKDOWN")
    assert not is_native("a.txt") and not is_native("a.html") and not is_native("a.pdf")


def test_the_open_dialog_lists_every_format() -> None:
    kinds = dialog_filter().split(";;")
    assert kinds[0].startswith("Articles (") and kinds[-1] == "All files (*)"
    for importer in IMPORTERS:
        assert any(kind.startswith(f"{importer.name} (") for kind in kinds)
        for suffix in importer.suffixes:
            assert f"*{suffix}" in kinds[0]


def test_an_unknown_format_is_refused_naming_what_opens(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    with pytest.raises(UnsupportedFormatError) as caught:
        load_article(path)
    assert str(caught.value) == f"{path}: {unsupported_message()}"
    for importer in IMPORTERS:
        assert f"({importer.suffixes[0]})" in unsupported_message()
