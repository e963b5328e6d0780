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
from generator.render import Theme, find_theme, render_site
from generator.split import split_sentences
from generator.summarize import summarize
from generator.write import publish, recover

Progress = Callable[[int, int], None]
# The summarizer chooses among an article's first sentences only (about 4,000 words);
# news puts what matters first, and sumy's rankers are quadratic in sentences.
MAX_SUMMARIZED_SENTENCES = 200


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    output_dir: Path
    config_path: Path
    keep_going: bool = False
    algorithm: str | None = None
    use_cache: bool = True
    base_url: str | None = None  # overrides site.toml's base_url (`--base-url`)
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
        sentences[:MAX_SUMMARIZED_SENTENCES],  # sumy's rankers are quadratic in sentences
        settings.algorithm,
        settings.source_sentences,
        language,
        meta.title,
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


# --- memory between builds of one process (`briefing serve`) -------------------------

FileSignature = tuple[int, int, int, int]  # inode, size, mtime_ns, ctime_ns


def file_signature(path: Path) -> FileSignature | None:
    """What changes whenever a file is rewritten, renamed over or truncated."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


@dataclass(frozen=True)
class Site:
    """Everything a render needs: what `Builder.collect` returns."""

    settings: Settings
    theme: Theme
    briefings: tuple[Briefing, ...]


class BuildMemory:
    """Per-article and per-briefing results kept in memory between builds (serve mode).

    Articles are remembered by (path, content digest, source id, settings); a file whose
    stat signature did not change is not even read again.  A merged briefing is
    remembered by its slug, index file, the digests of its articles and the settings.
    Only what the latest build used is kept.
    """

    def __init__(self) -> None:
        self.digests: dict[tuple[str, FileSignature], str] = {}
        self.articles: dict[tuple[str, str, str, str], tuple[ProcessedArticle, list[Problem]]] = {}
        self.indexes: dict[tuple[str, FileSignature], tuple[BriefingMeta, list[Problem]]] = {}
        self.briefings: dict[tuple[object, ...], Briefing] = {}
        self.shown_paths: dict[tuple[Path, Path], str] = {}  # paths as messages show them
        self._used: set[tuple[str, object]] = set()

    def use(self, table: str, key: object) -> None:
        self._used.add((table, key))

    def prune(self) -> None:
        """Forget every entry the build that just finished did not use."""
        for name in ("digests", "articles", "indexes", "briefings"):
            table: dict[object, object] = getattr(self, name)
            for key in [key for key in table if (name, key) not in self._used]:
                del table[key]
        self._used.clear()


# --- the build -----------------------------------------------------------------------


class Builder:
    """Runs one build; collects problems instead of stopping at the first."""

    def __init__(
        self,
        options: BuildOptions,
        progress: Progress | None = None,
        memory: BuildMemory | None = None,
    ) -> None:
        self.options = options
        self.progress = progress
        self.memory = memory
        self.report = BuildReport()
        cache_dir = options.output_dir.resolve().parent / ".briefing-cache"
        self.cache = ArticleCache(cache_dir if options.use_cache else None)

    def shown(self, path: Path) -> str:
        if self.memory is None:
            return display_path(path.resolve(), self.options.base_dir.resolve())
        key = (path, self.options.base_dir)  # resolving 1,000 paths per rebuild is slow
        if key not in self.memory.shown_paths:
            shown = display_path(path.resolve(), self.options.base_dir.resolve())
            self.memory.shown_paths[key] = shown
        return self.memory.shown_paths[key]

    def run(self) -> BuildReport:
        started = time.perf_counter()
        recover(self.options.output_dir)  # leftovers of a killed build
        try:
            self._build()
        except BriefingError as error:
            self.report.errors.extend(error.problems)
        self.report.seconds = time.perf_counter() - started
        return self.report

    def collect(self) -> Site | None:
        """Every stage but render and write; None when settings or content cannot be read.

        Problems are in `self.report`; with a `BuildMemory` unchanged work is reused.
        """
        started = time.perf_counter()
        try:
            site: Site | None = self._collect()
        except BriefingError as error:
            self.report.errors.extend(error.problems)
            site = None
        if self.memory is not None and site is not None:
            self.memory.prune()  # (after a fatal error, keep everything for the next build)
        self.report.seconds = time.perf_counter() - started
        return site

    def _build(self) -> None:
        site = self._collect()
        if self.report.errors and not self.options.keep_going:
            return
        files = render_site(site.briefings, site.settings, site.theme)
        self.report.changed_files = publish(files, self.options.output_dir)
        self.report.written = True
        self.report.briefings = len(site.briefings)

    def _collect(self) -> Site:
        options = self.options
        settings = load_settings(options.config_path, self.shown(options.config_path))
        if options.algorithm:
            settings = replace(settings, algorithm=options.algorithm)
        if options.base_url is not None:
            settings = replace(settings, base_url=options.base_url)
        theme = find_theme(settings.theme, options.config_path.resolve().parent)
        discovery = discover(options.content_dir, options.base_dir.resolve())
        self.report.warnings.extend(discovery.warnings)
        total = sum(len(folder.article_paths) for folder in discovery.briefings)
        briefings: list[Briefing] = []
        for folder in discovery.briefings:
            briefing = self._briefing(folder, settings, total)
            if briefing is not None:
                briefings.append(briefing)
        return Site(settings, theme, tuple(briefings))

    def _briefing(self, folder: BriefingFolder, settings: Settings, total: int) -> Briefing | None:
        meta = self._index(folder)
        articles: list[ProcessedArticle] = []
        digests: list[str] = []
        for path, source_id in zip(
            folder.article_paths, source_ids(folder.article_paths), strict=True
        ):
            found = self._article(path, source_id, settings)
            self.report.articles += found is not None
            if self.progress is not None:
                self.progress(self.report.articles + len(self.report.errors), total)
            if found is not None:
                articles.append(found[0])
                digests.append(found[1])
        if not articles:
            if not folder.article_paths:
                self.report.warnings.append(
                    Problem(
                        self.shown(folder.folder), "no articles: briefing skipped", None, "warning"
                    )
                )
            return None
        ids = tuple(article.source_id for article in articles)
        key = (folder.slug, meta, tuple(digests), ids, settings)
        if self.memory is not None and key in self.memory.briefings:
            self.memory.use("briefings", key)
            return self.memory.briefings[key]
        resolved = resolve_years(articles, meta.date)
        facts = extract_facts(resolved)
        briefing = merge_briefing(
            folder.slug, meta, resolved, facts, settings.lead_words, settings.language
        )
        if self.memory is not None:
            self.memory.briefings[key] = briefing
            self.memory.use("briefings", key)
        return briefing

    def _index(self, folder: BriefingFolder) -> BriefingMeta:
        if folder.index_path is None:
            return BriefingMeta()
        shown = self.shown(folder.index_path)
        signature = file_signature(folder.index_path)
        memory_key = (shown, signature) if signature is not None else None
        try:
            if self.memory is not None and memory_key in self.memory.indexes:
                meta, warnings = self.memory.indexes[memory_key]
            else:
                meta, warnings = read_index(folder.index_path, shown)
        except BriefingError as error:
            self.report.errors.extend(error.problems)
            return BriefingMeta()
        if self.memory is not None and memory_key is not None:
            self.memory.indexes[memory_key] = (meta, warnings)
            self.memory.use("indexes", memory_key)
        self.report.warnings.extend(warnings)
        return meta

    def _article(
        self, path: Path, source_id: str, settings: Settings
    ) -> tuple[ProcessedArticle, str] | None:
        """The processed article and its content digest; None after reporting a problem."""
        shown = self.shown(path)
        fingerprint = settings_fingerprint(settings)
        signature = file_signature(path)  # before reading: a later write changes it
        try:
            remembered = self._remembered(signature, shown, source_id, fingerprint)
            if remembered is None:
                raw, warnings = read_article(path, shown)
                article = self._processed(raw, source_id, settings)
                remembered = (article, warnings, raw.digest)
                self._remember(signature, shown, source_id, fingerprint, remembered)
        except BriefingError as error:
            self.report.errors.extend(error.problems)
            return None
        article, warnings, digest = remembered
        self.report.warnings.extend(warnings)
        self.report.explanations.append(ArticleExplanation(shown, article.dropped))
        return article, digest

    def _processed(self, raw: RawArticle, source_id: str, settings: Settings) -> ProcessedArticle:
        key = cache_key(raw.digest, raw.path, settings_fingerprint(settings))
        article = self.cache.get(key)
        if article is None or article.source_id != source_id:
            article = process_article(raw, source_id, settings)
            self.cache.put(key, article)
        return article

    def _remembered(
        self, signature: FileSignature | None, shown: str, source_id: str, fingerprint: str
    ) -> tuple[ProcessedArticle, list[Problem], str] | None:
        if self.memory is None or signature is None:
            return None
        digest = self.memory.digests.get((shown, signature))
        found = self.memory.articles.get((shown, digest or "", source_id, fingerprint))
        if digest is None or found is None:
            return None
        self.memory.use("digests", (shown, signature))
        self.memory.use("articles", (shown, digest, source_id, fingerprint))
        return found[0], found[1], digest

    def _remember(
        self,
        signature: FileSignature | None,
        shown: str,
        source_id: str,
        fingerprint: str,
        found: tuple[ProcessedArticle, list[Problem], str],
    ) -> None:
        if self.memory is None or signature is None:
            return
        article, warnings, digest = found
        self.memory.digests[(shown, signature)] = digest
        self.memory.articles[(shown, digest, source_id, fingerprint)] = (article, warnings)
        self.memory.use("digests", (shown, signature))
        self.memory.use("articles", (shown, digest, source_id, fingerprint))


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the site described by `options`; never raises for bad content."""
    return Builder(options, progress).run()
