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


def _contract(name: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return next(c for c in config["tool"]["importlinter"]["contracts"] if c["name"] == name)


def _core_modules() -> set[str]:
    """Every module of the package outside ``editor.ui``, by dotted name."""
    return {
        ".".join(path.relative_to(ROOT / "src").with_suffix("").parts).removesuffix(".__init__")
        for path in (ROOT / "src" / "editor").rglob("*.py")
        if "ui" not in path.relative_to(ROOT / "src" / "editor").parts
    } - {"editor"}


def _unlisted(modules: set[str], listed: set[str]) -> set[str]:
    return {module for module in modules
            if not any(module == name or module.startswith(name + ".") for name in listed)}


def test_every_core_module_is_under_the_no_qt_contract() -> None:
    contract = _contract("The core does not know Qt")
    assert contract["allow_indirect_imports"] is False
    assert _unlisted(_core_modules(), set(contract["source_modules"])) == set()


def test_every_core_module_is_in_the_layer_below_the_window() -> None:
    contract = _contract("The window sits above the core")
    assert contract["type"] == "layers"
    window, core = contract["layers"]
    assert window == "ui"
    listed = {f"editor.{name.strip()}" for name in core.split(":")}
    assert _unlisted(_core_modules(), listed) == set()
    # Both contracts name the same core.
    assert listed == set(_contract("The core does not know Qt")["source_modules"])
