"""Site settings: `site.toml` parsed and validated in one go into a frozen `Settings`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from generator.errors import BriefingError, Problem

ALGORITHMS = ("lexrank", "lsa", "luhn", "textrank", "edmundson", "kl", "sumbasic")

# ISO 639-1 code -> (Punkt model name, sumy language name)
LANGUAGES: dict[str, tuple[str, str]] = {
    "en": ("english", "english"),
    "de": ("german", "german"),
    "fr": ("french", "french"),
    "es": ("spanish", "spanish"),
    "it": ("italian", "italian"),
    "pt": ("portuguese", "portuguese"),
    "nl": ("dutch", "dutch"),
    "sv": ("swedish", "swedish"),
    "da": ("danish", "danish"),
    "no": ("norwegian", "norwegian"),
    "fi": ("finnish", "finnish"),
    "cs": ("czech", "czech"),
    "pl": ("polish", "polish"),
    "ru": ("russian", "russian"),
    "tr": ("turkish", "turkish"),
    "el": ("greek", "greek"),
    "et": ("estonian", "estonian"),
    "sl": ("slovene", "slovene"),
}

THEME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Settings:
    """Every site-wide option, with its default. Field names are the `site.toml` keys."""

    title: str = "Briefings"
    base_url: str = ""
    language: str = "en"
    theme: str = "default"
    algorithm: str = "lexrank"
    source_sentences: int = 3
    lead_words: int = 120
    search: bool = False
    feed_entries: int = 50  # the newest briefings in feed.xml
    per_page: int = 20  # briefings on each page of the home page and of a topic; 0: all on one


def load_settings(config_path: Path, display_path: str) -> Settings:
    """Read `config_path` (defaults when it does not exist); raise every problem at once."""
    if not config_path.exists():
        return Settings()
    try:
        table = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise BriefingError(Problem(display_path, f"not UTF-8 text ({error.reason})")) from None
    except tomllib.TOMLDecodeError as error:
        raise BriefingError(_toml_problem(display_path, error)) from None
    return settings_from_table(table, display_path)


def settings_from_table(table: dict[str, Any], display_path: str) -> Settings:
    """Validate a parsed TOML table into Settings, collecting every problem."""
    known = {field.name: field for field in fields(Settings)}
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            suggestion = ", ".join(sorted(known))
            problems.append(
                Problem(display_path, f"unknown key '{key}' (known keys: {suggestion})")
            )
            continue
        expected = type(getattr(Settings(), key))
        if type(value) is not expected:
            problems.append(
                Problem(
                    display_path,
                    f"key '{key}' must be {_type_name(expected)}, not {_type_name(type(value))}",
                )
            )
            continue
        values[key] = value
    settings = replace(Settings(), **values)
    problems.extend(_check_values(settings, values, display_path))
    if problems:
        raise BriefingError(problems)
    return settings


def _check_values(settings: Settings, given: dict[str, Any], display_path: str) -> list[Problem]:
    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        if key in given:
            problems.append(Problem(display_path, f"key '{key}' {message}"))

    if settings.algorithm not in ALGORITHMS:
        bad("algorithm", f"must be one of {', '.join(ALGORITHMS)}, not '{settings.algorithm}'")
    if settings.language not in LANGUAGES:
        bad("language", f"must be one of {', '.join(sorted(LANGUAGES))}")
    if not THEME_NAME.match(settings.theme):
        bad("theme", "must be a theme folder name (letters, digits, '-', '_', '.')")
    if not 1 <= settings.source_sentences <= 50:
        bad("source_sentences", "must be between 1 and 50")
    if not 10 <= settings.lead_words <= 2000:
        bad("lead_words", "must be between 10 and 2000")
    if not 1 <= settings.feed_entries <= 100_000:
        bad("feed_entries", "must be between 1 and 100000")
    if not 0 <= settings.per_page <= 100_000:
        bad("per_page", "must be between 0 (every briefing on one page) and 100000")
    if base_url_problem(settings.base_url):
        bad("base_url", base_url_problem(settings.base_url))
    return problems


def base_url_problem(value: str) -> str:
    """Why `value` cannot be the site's base_url; "" when it can (empty is allowed)."""
    if value and not re.match(r"^https?://[^\s\"'<>]+$", value):
        return "must be an http:// or https:// address (or empty)"
    return ""


def site_url(base_url: str, path: str = "") -> str:
    """`path` (relative to the site root) as an absolute address under `base_url`;
    `https://example.org/news` + `story/` -> `https://example.org/news/story/`."""
    return base_url.rstrip("/") + "/" + path.lstrip("/")


def _type_name(kind: type) -> str:
    return {str: "a string", int: "an integer", bool: "true or false", float: "a number"}.get(
        kind, f"a {kind.__name__}"
    )


def _toml_problem(display_path: str, error: tomllib.TOMLDecodeError) -> Problem:
    message = str(error)
    match = re.search(r"\(at line (\d+), column \d+\)", message)
    line = int(match.group(1)) if match else None
    message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
    return Problem(display_path, f"invalid TOML: {message}", line)
