"""The build, top to bottom: settings, discover, per-article stages, merge, render, write.

This is the one place that knows the order of the stages.  It prints nothing: it
returns a `BuildReport` that the CLI shows.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.cache import ArticleCache, cache_key
from generator.clean import clean_article
from generator.config import Settings, load_settings
from generator.errors import BriefingError, Problem
from generator.facts import extract_facts
from generator.load import (
    BriefingFolder,
    discover,
    display_path,
    read_article,
    read_index,
    slugify,
)
from generator.merge import merge_briefing, resolve_years
from generator.model import (
    Briefing,
    BriefingMeta,
    DroppedLine,
    ProcessedArticle,
    RawArticle,
)
from generator.render import find_theme, render_site
from generator.split import split_sentences
from generator.summarize import summarize
from generator.write import publish

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    output_dir: Path
    config_path: Path
    keep_going: bool = False
    algorithm: str | None = None
    use_cache: bool = True
    base_dir: Path = field(default_factory=Path.cwd)  # paths in messages are relative to it


@dataclass(frozen=True)
class ArticleExplanation:
    """What the cleaner dropped from one article, for `--explain`."""

    path: str
    dropped: tuple[DroppedLine, ...]


@dataclass
class BuildReport:
    briefings: int = 0
    articles: int = 0
    seconds: float = 0.0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    written: bool = False
    changed_files: int = 0
    explanations: list[ArticleExplanation] = field(default_factory=list)


# --- per-article stages --------------------------------------------------------------


def outlet_from_file_name(file_name: str) -> str:
    """`valley-wire.txt` -> `Valley Wire`; a name that is only a code stays as it is."""
    stem = file_name.rsplit(".", 1)[0]
    words = [word for word in re.split(r"[-_\s]+", stem) if word]
    if words and words[0].isdigit() and len(words) > 1:
        words = words[1:]
    if any(word.isalpha() for word in words):
        return " ".join(word if word.isupper() else word.capitalize() for word in words)
    return stem


def title_from_file_name(file_name: str) -> str:
    return outlet_from_file_name(file_name)


def process_article(raw: RawArticle, source_id: str, settings: Settings) -> ProcessedArticle:
    """clean -> split -> summarize for one article."""
    cleaned = clean_article(raw)
    if not cleaned.paragraphs:
        raise BriefingError(
            Problem(
                raw.path,
                f"no article text left after removing debris ({len(cleaned.dropped)} lines "
                "dropped; run 'briefing build --explain' to see them)",
            )
        )
    meta = replace(
        cleaned.meta,
        title=cleaned.meta.title or title_from_file_name(raw.file_name),
        outlet=cleaned.meta.outlet or outlet_from_file_name(raw.file_name),
    )
    language = meta.language if meta.language else settings.language
    sentences = split_sentences(cleaned.paragraphs, language)
    summary = summarize(
        sentences, settings.algorithm, settings.source_sentences, language, meta.title
    )
    return ProcessedArticle(
        source_id, raw.path, meta, cleaned.paragraphs, cleaned.dropped, sentences, summary
    )


def settings_fingerprint(settings: Settings) -> str:
    return f"{settings.algorithm}|{settings.source_sentences}|{settings.language}"


def source_ids(paths: tuple[Path, ...]) -> list[str]:
    """A stable, unique, clean id per article file of a briefing."""
    ids: list[str] = []
    for path in paths:
        base = slugify(path.stem) or "source"
        candidate, number = base, 2
        while candidate in ids:
            candidate, number = f"{base}-{number}", number + 1
        ids.append(candidate)
    return ids


# --- the build -----------------------------------------------------------------------


class Builder:
    """Runs one build; collects problems instead of stopping at the first."""

    def __init__(self, options: BuildOptions, progress: Progress | None = None) -> None:
        self.options = options
        self.progress = progress
        self.report = BuildReport()
        cache_dir = options.output_dir.resolve().parent / ".briefing-cache"
        self.cache = ArticleCache(cache_dir if options.use_cache else None)

    def shown(self, path: Path) -> str:
        return display_path(path.resolve(), self.options.base_dir.resolve())

    def run(self) -> BuildReport:
        started = time.perf_counter()
        try:
            self._build()
        except BriefingError as error:
            self.report.errors.extend(error.problems)
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _build(self) -> None:
        options = self.options
        settings = load_settings(options.config_path, self.shown(options.config_path))
        if options.algorithm:
            settings = replace(settings, algorithm=options.algorithm)
        theme = find_theme(settings.theme, options.config_path.resolve().parent)
        discovery = discover(options.content_dir, options.base_dir.resolve())
        self.report.warnings.extend(discovery.warnings)
        total = sum(len(folder.article_paths) for folder in discovery.briefings)
        briefings: list[Briefing] = []
        for folder in discovery.briefings:
            briefing = self._briefing(folder, settings, total)
            if briefing is not None:
                briefings.append(briefing)
        if self.report.errors and not options.keep_going:
            return
        files = render_site(briefings, settings, theme)
        self.report.changed_files = publish(files, options.output_dir)
        self.report.written = True
        self.report.briefings = len(briefings)

    def _briefing(self, folder: BriefingFolder, settings: Settings, total: int) -> Briefing | None:
        meta = self._index(folder)
        articles: list[ProcessedArticle] = []
        for path, source_id in zip(
            folder.article_paths, source_ids(folder.article_paths), strict=True
        ):
            article = self._article(path, source_id, settings)
            self.report.articles += article is not None
            if self.progress is not None:
                self.progress(self.report.articles + len(self.report.errors), total)
            if article is not None:
                articles.append(article)
        if not articles:
            if not folder.article_paths:
                self.report.warnings.append(
                    Problem(
                        self.shown(folder.folder), "no articles: briefing skipped", None, "warning"
                    )
                )
            return None
        resolved = resolve_years(articles, meta.date)
        facts = extract_facts(resolved)
        return merge_briefing(
            folder.slug, meta, resolved, facts, settings.lead_words, settings.language
        )

    def _index(self, folder: BriefingFolder) -> BriefingMeta:
        if folder.index_path is None:
            return BriefingMeta()
        try:
            meta, warnings = read_index(folder.index_path, self.shown(folder.index_path))
        except BriefingError as error:
            self.report.errors.extend(error.problems)
            return BriefingMeta()
        self.report.warnings.extend(warnings)
        return meta

    def _article(self, path: Path, source_id: str, settings: Settings) -> ProcessedArticle | None:
        shown = self.shown(path)
        try:
            raw, warnings = read_article(path, shown)
            self.report.warnings.extend(warnings)
            key = cache_key(raw.digest, shown, settings_fingerprint(settings))
            article = self.cache.get(key)
            if article is None or article.source_id != source_id:
                article = process_article(raw, source_id, settings)
                self.cache.put(key, article)
        except BriefingError as error:
            self.report.errors.extend(error.problems)
            return None
        self.report.explanations.append(ArticleExplanation(shown, article.dropped))
        return article


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the site described by `options`; never raises for bad content."""
    return Builder(options, progress).run()
