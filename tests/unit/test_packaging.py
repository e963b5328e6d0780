"""The wheel holds the whole program: setuptools puts in only the packages pyproject.toml
names, so `pip install .` (what the README's deployment recipe runs) would give a
`briefing` missing any subpackage or theme folder left off the list."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setuptools_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]


def packages_in(folder: Path, name: str, wanted: str) -> set[str]:
    """Dotted names of `folder` and each folder below it holding a file matching `wanted`."""
    found = set()
    for path in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        if "__pycache__" in path.parts or not any(path.glob(wanted)):
            continue
        found.add(".".join([name, *path.relative_to(folder).parts]))
    return found


def test_every_python_package_of_the_generator_is_in_the_wheel() -> None:
    config = setuptools_config()
    assert config["package-dir"]["generator"] == "generator"
    modules = packages_in(ROOT / "generator", "generator", "*.py")
    assert "generator.facts" in modules  # (the subpackage a wheel once went without)
    assert modules <= set(config["packages"])


def test_every_theme_folder_ships_with_its_files() -> None:
    config = setuptools_config()
    themes = ROOT / config["package-dir"]["briefing_themes"]
    folders = packages_in(themes, "briefing_themes", "*")
    assert "briefing_themes.default.static" in folders
    assert folders <= set(config["packages"])
    assert config["package-data"]["briefing_themes"] == ["**/*"]
