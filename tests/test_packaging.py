"""The installed package: every subpackage is shipped, resources are found through importlib."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_every_package_under_src_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT / "src").parts)
        for init in (ROOT / "src").rglob("__init__.py")
    }
    assert found | {"editor.resources"} == listed


def test_resources_are_found_as_package_data() -> None:
    files = resources.files("editor.resources")
    assert files.joinpath("templates/article.html.j2").is_file()
    assert files.joinpath("css/article.css").is_file()
    assert files.joinpath("samples/harbour-bridge.md").is_file()


def test_every_core_module_is_under_the_no_qt_contract() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"]
                    if c["name"] == "The core does not know Qt")
    listed = set(contract["source_modules"])
    core = {
        ".".join(path.relative_to(ROOT / "src").with_suffix("").parts).removesuffix(".__init__")
        for path in (ROOT / "src" / "editor").rglob("*.py")
        if "ui" not in path.relative_to(ROOT / "src" / "editor").parts
    } - {"editor"}
    unlisted = {module for module in core
                if not any(module == name or module.startswith(name + ".") for name in listed)}
    assert unlisted == set()
