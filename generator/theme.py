"""Themes: where a theme's template folders are and what its static files hold.  (Kept
apart from `render`, which imports Jinja2: a build with nothing to render finds its
theme without it.)"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BriefingError, Problem

REPO_THEMES = Path(__file__).resolve().parent.parent / "themes"
THEMES_PACKAGE = "briefing_themes"  # the top-level themes/ folder, as the wheel installs it
DEFAULT_THEME = "default"


def builtin_themes() -> Path:
    """The themes shipped with the package: the installed `briefing_themes` package
    (a wheel), else the `themes/` folder beside `generator/` (a source checkout)."""
    spec = importlib.util.find_spec(THEMES_PACKAGE)
    for location in (spec.submodule_search_locations or []) if spec else []:
        if (Path(location) / DEFAULT_THEME).is_dir():
            return Path(location)
    return REPO_THEMES


BUILTIN_THEMES = builtin_themes()


@dataclass(frozen=True)
class Theme:
    """The template folders to search, most specific first, and their static files."""

    name: str
    folders: tuple[Path, ...]


def theme_search_path(name: str, site_root: Path, builtin: Path) -> list[Path]:
    """Where templates are looked up, most specific first: the site's `themes/<name>/`,
    the built-in `<name>`, then the site's and the built-in `default` file by file."""
    return [
        site_root / "themes" / name,
        builtin / name,
        site_root / "themes" / DEFAULT_THEME,
        builtin / DEFAULT_THEME,
    ]


def find_theme(name: str, site_root: Path, builtin: Path | None = None) -> Theme:
    """`themes/<name>/` of the site or of the package, falling back file by file to
    `default` (the site's copy, then the package's)."""
    candidates = theme_search_path(name, site_root, builtin or BUILTIN_THEMES)
    selected = next((folder for folder in candidates[:2] if folder.is_dir()), None)
    if selected is None:
        raise BriefingError(
            Problem("site.toml", f"theme '{name}' not found (looked in {candidates[0]})")
        )
    folders = [selected]
    for fallback in candidates[2:]:
        if fallback.is_dir() and fallback.resolve() not in {f.resolve() for f in folders}:
            folders.append(fallback)
    return Theme(name, tuple(folders))


def static_files(theme: Theme) -> dict[str, bytes]:
    """Every file under the theme's `static/`, the selected theme's winning."""
    files: dict[str, bytes] = {}
    for folder in reversed(theme.folders):
        static_root = folder / "static"
        if not static_root.is_dir():
            continue
        for path in sorted(static_root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                files["static/" + path.relative_to(static_root).as_posix()] = path.read_bytes()
    return files
