"""The build, top to bottom: settings, discover, per-article stages, merge, render, write.

This is the one place that knows the order of the stages.  It prints nothing: it
returns a `BuildReport` that the CLI shows.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Any, TypeVar

from generator.cache import (
    ArticleCache,
    BriefingCache,
    FileIndex,
    FileRecord,
    FolderRecord,
    ListingIndex,
    RenderCache,
    RenderRecord,
    Signer,
    cache_key,
    code_fingerprint,
    prune_entries,
)
from generator.config import Settings, load_settings
from generator.errors import BriefingError, Problem
from generator.load import (
    BriefingFolder,
    Discovery,
    discover,
    display_path,
    read_article,
    read_index,
    slugify,
)
from generator.model import (
    Briefing,
    BriefingMeta,
    DroppedLine,
    ProcessedArticle,
    RawArticle,
)
from generator.theme import Theme, find_theme, static_files

if TYPE_CHECKING:  # (imported where used: a build with nothing to do needs neither Jinja2
    from concurrent.futures import Executor  # nor a process pool)

    from generator.render import Listed, PageMaker
from generator.write import (
    Carried,
    CarryOverError,
    HashedPiece,
    SurveyAhead,
    output_is_current,
    publish,
    recorded_files,
    recover,
)

T = TypeVar("T")
R = TypeVar("R")

Progress = Callable[[int, int], None]
# The summarizer chooses among an article's first sentences only (about 4,000 words);
# news puts what matters first, and sumy's rankers are quadratic in sentences.
MAX_SUMMARIZED_SENTENCES = 200
STAGES = ("load", "clean", "split", "summarize", "merge", "render", "write")
# Below this many articles to process (or briefings to merge) the work stays in this
# process: starting workers costs more than it saves.
PARALLEL_MIN_ARTICLES = 24
PARALLEL_MIN_BRIEFINGS = 4
# Articles are handed to the workers in this many batches per worker: small enough that
# the last batches end about together (a worker left waiting for the other's last batch
# idles a core), large enough that handing them out costs nothing.
CHUNKS_PER_WORKER = 16
Timings = dict[str, float]


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    output_dir: Path
    config_path: Path
    keep_going: bool = False
    algorithm: str | None = None
    use_cache: bool = True
    base_url: str | None = None  # overrides site.toml's base_url (`--base-url`)
    explain: bool = False  # report the lines the cleaner dropped (`--explain`)
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
    # Seconds spent in each stage (`STAGES`), summed across worker processes.
    stages: Timings = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    workers: int = 1  # processes that did per-article or per-briefing work


@contextmanager
def timed(timings: Timings | None, stage: str) -> Iterator[None]:
    """Add the time the block takes to `timings[stage]` (when timings are kept)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        if timings is not None:
            timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started


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


def process_article(
    raw: RawArticle, source_id: str, settings: Settings, timings: Timings | None = None
) -> ProcessedArticle:
    """clean -> split -> summarize for one article."""
    from generator.clean import clean_article  # (see `import_story_stages`)
    from generator.split import split_sentences
    from generator.summarize import summarize

    with timed(timings, "clean"):
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
        title=cleaned.meta.title or outlet_from_file_name(raw.file_name),
        outlet=cleaned.meta.outlet or outlet_from_file_name(raw.file_name),
    )
    language = meta.language if meta.language else settings.language
    with timed(timings, "split"):
        sentences = split_sentences(cleaned.paragraphs, language)
    with timed(timings, "summarize"):
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


def folder_stamp(settings: Settings) -> str:
    """The settings a briefing key is made with (`briefing_key`), for a folder record."""
    return f"{settings_fingerprint(settings)}|{settings.lead_words}"


def source_ids(paths: tuple[Path, ...]) -> tuple[str, ...]:
    """A stable, unique, clean id per article file of a briefing."""
    return source_ids_of(tuple(path.name for path in paths))


@lru_cache(maxsize=16_384)  # (a build asks for every folder, `briefing serve` on each edit)
def source_ids_of(names: tuple[str, ...]) -> tuple[str, ...]:
    """`source_ids` of the article files with these names (each has a reader's suffix)."""
    ids: list[str] = []
    for name in names:
        base = slugify(name[: len(name) - len(os.path.splitext(name)[1])]) or "source"
        candidate, number = base, 2
        while candidate in ids:
            candidate, number = f"{base}-{number}", number + 1
        ids.append(candidate)
    return tuple(ids)


# --- memory between builds of one process (`briefing serve`) -------------------------

FileSignature = tuple[int, int, int, int]  # inode, size, mtime_ns, ctime_ns


def file_signature(path: Path | str) -> FileSignature | None:
    """What changes whenever a file is rewritten, renamed over or truncated."""
    try:
        stat = os.stat(path)
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
        self.pending: list[Callable[[], None]] = []  # cache writes left for after a reload
        # What the watcher saw change since the last build (absolute paths), or None when
        # it cannot say; with the last discovery, a build that only modified known files
        # stats just those instead of listing and stating the whole content folder.
        self.changed: set[str] | None = None
        self.discovery: Discovery | None = None
        self.known_files: dict[str, Path] = {}  # the last discovery's files: absolute -> path
        self.signatures: dict[Path, FileSignature | None] = {}
        # Each briefing folder's plan as the last build made it, for a build that the
        # watcher says touched none of the folder's files (`Builder._kept_plans`).
        self.folder_plans: dict[Path, FolderMemo] = {}
        self._used: set[tuple[str, object]] = set()
        self._folder_used: dict[Path, set[tuple[str, object]]] = {}  # as of the last build
        self._using: dict[Path, set[tuple[str, object]]] = {}  # this build's, so far
        self._current: set[tuple[str, object]] | None = None

    def begin_folder(self, folder: Path) -> None:
        """What `use` is told from now on belongs to this briefing folder's plan."""
        self._current = self._using.setdefault(folder, set())

    def end_folder(self) -> None:
        self._current = None

    def use(self, table: str, key: object) -> None:
        self._used.add((table, key))
        if self._current is not None:
            self._current.add((table, key))

    def flush(self) -> None:
        """Do the cache writes the last build left (so a restart finds its work)."""
        writes, self.pending = self.pending, []
        for write in writes:
            write()

    def prune(self, partial: bool = False) -> None:
        """Forget every entry the build that just finished did not use.  `partial`: the
        build re-planned only some folders (the others kept their plans whole, and used
        nothing): forget only what those folders used before and use no longer."""
        if partial:
            for folder, used in self._using.items():
                for table, key in self._folder_used.get(folder, set()) - used:
                    if (table, key) not in self._used:
                        getattr(self, table).pop(key, None)
                self._folder_used[folder] = used
        else:
            for name in ("digests", "articles", "indexes", "briefings"):
                table: dict[object, object] = getattr(self, name)
                for key in [key for key in table if (name, key) not in self._used]:
                    del table[key]
            self._folder_used = self._using
            self.folder_plans = {
                folder: memo for folder, memo in self.folder_plans.items() if folder in self._using
            }
        self._used.clear()
        self._using = {}
        self._current = None


# --- work done in worker processes (or in this one for small sites) -----------------


@dataclass(frozen=True)
class ArticleJob:
    path: Path
    shown: str
    source_id: str
    settings: Settings
    cache_dir: Path | None
    defer_cache: bool = False  # leave the article cache write to the caller (`cache_key`)


@dataclass
class ArticleResult:
    """One article file as the build sees it; `article` is None until it is needed when
    only the file index was consulted (the file did not change since it was read)."""

    shown: str
    source_id: str
    signature: FileSignature | None
    digest: str = ""
    warnings: tuple[Problem, ...] = ()
    article: ProcessedArticle | None = None
    problems: tuple[Problem, ...] = ()
    timings: Timings = field(default_factory=dict)
    cache_key: str = ""  # set when the article is still to be put in the article cache


def run_article_job(job: ArticleJob) -> ArticleResult:
    """load -> (article cache) -> clean -> split -> summarize for one file."""
    timings: Timings = {}
    signature = file_signature(job.path)  # before reading: a later write changes it
    result = ArticleResult(job.shown, job.source_id, signature, timings=timings)
    try:
        with timed(timings, "load"):
            raw, warnings = read_article(job.path, job.shown)
            cache = ArticleCache(job.cache_dir)
            key = cache_key(raw.digest, raw.path, settings_fingerprint(job.settings))
            article = cache.get(key)
        if article is None or article.source_id != job.source_id:
            article = process_article(raw, job.source_id, job.settings, timings)
            if job.defer_cache:
                result.cache_key = key
            else:
                cache.put(key, article)
    except BriefingError as error:
        result.problems = tuple(error.problems)
        return result
    result.digest, result.warnings, result.article = raw.digest, tuple(warnings), article
    return result


@dataclass(frozen=True)
class MergeJob:
    slug: str
    meta: BriefingMeta
    articles: tuple[ProcessedArticle, ...]
    lead_words: int
    language: str


def run_merge_job(job: MergeJob) -> tuple[Briefing, float]:
    """resolve years -> key facts -> merge for one briefing; the briefing and the seconds."""
    from generator.facts import extract_facts  # (imported when first needed: see
    from generator.merge import merge_briefing, resolve_years  # `import_story_stages`)

    started = time.perf_counter()
    resolved = resolve_years(job.articles, job.meta.date)
    facts = extract_facts(resolved)
    briefing = merge_briefing(job.slug, job.meta, resolved, facts, job.lead_words, job.language)
    return briefing, time.perf_counter() - started


@dataclass(frozen=True)
class PageSpec:
    """What a briefing's pages are rendered with (a worker makes its `PageMaker` once)."""

    settings: Settings
    theme: Theme
    template_cache: Path | None


@dataclass(frozen=True)
class ArticleRef:
    """An article the build knows by its file's content hash only: it is read from the
    article cache (or the file is processed again) where it is needed."""

    digest: str
    shown: str
    source_id: str


@dataclass(frozen=True)
class BriefingJob:
    """One briefing to render, made from its articles (in hand, or `ArticleRef`s): from
    the briefing cache under `cache_key`, else merged and put there."""

    slug: str
    pages: PageSpec
    meta: BriefingMeta
    articles: tuple[ProcessedArticle | ArticleRef, ...]
    cache_dir: Path | None
    cache_key: str
    base_dir: Path


@dataclass
class BriefingPages:
    """A briefing's own files and what the site-wide pages read of it; or its problems."""

    files: dict[str, bytes]
    summary: dict[str, Any]
    timings: Timings = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    hashes: dict[str, str] = field(default_factory=dict)  # path -> sha256 of its bytes


_page_makers: dict[PageSpec, PageMaker] = {}  # per build and process: templates compile once


def page_maker(spec: PageSpec) -> PageMaker:
    from generator.render import PageMaker

    if spec not in _page_makers:
        _page_makers.clear()
        _page_makers[spec] = PageMaker(spec.settings, spec.theme, spec.template_cache)
    return _page_makers[spec]


def run_briefing_job(job: BriefingJob) -> BriefingPages:
    """(load ->) (merge ->) render for one briefing: its files, summary and timings."""
    from generator.render import briefing_summary

    timings: Timings = {}
    try:
        briefing = briefing_of(job, timings)
        with timed(timings, "render"):
            files = page_maker(job.pages).briefing(briefing)
    except BriefingError as error:  # (exceptions with fields do not cross processes)
        return BriefingPages({}, {}, timings, tuple(error.problems))
    hashes = {path: _digest(content) for path, content in files.items()}  # (on the worker)
    return BriefingPages(files, briefing_summary(briefing), timings, hashes=hashes)


def briefing_of(job: BriefingJob, timings: Timings) -> Briefing:
    """The job's briefing: from the briefing cache, else merged (and cached)."""
    from generator.merge import order_sources, resolve_years

    settings = job.pages.settings
    with timed(timings, "load"):
        articles = tuple(
            article
            if isinstance(article, ProcessedArticle)
            else cached_article(article, settings, job.cache_dir, job.base_dir)
            for article in job.articles
        )
        resolved = resolve_years(articles, job.meta.date)
        cache = BriefingCache(job.cache_dir)
        briefing = cache.get(job.cache_key, order_sources(resolved))
    if briefing is None:
        merge = MergeJob(job.slug, job.meta, articles, settings.lead_words, settings.language)
        briefing, timings["merge"] = run_merge_job(merge)
        cache.put(job.cache_key, briefing)
    return briefing


def cached_article(
    article: ArticleRef, settings: Settings, cache_dir: Path | None, base_dir: Path
) -> ProcessedArticle:
    """An article from the article cache, else its file processed again."""
    key = cache_key(article.digest, article.shown, settings_fingerprint(settings))
    found = ArticleCache(cache_dir).get(key)
    if found is not None and found.source_id == article.source_id:
        return found
    job = ArticleJob(Path(base_dir, article.shown), article.shown, article.source_id, settings,
                     cache_dir)  # fmt: skip
    redone = run_article_job(job)
    if redone.article is None:
        raise BriefingError(list(redone.problems))
    return redone.article


def worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def parallel_map(
    function: Callable[[T], R],
    jobs: Sequence[T],
    minimum: int,
    pool: PoolHolder,
    meanwhile: Callable[[], None] | None = None,
) -> list[R]:
    """`[function(job) for job in jobs]`, in order, on every core when there are enough;
    `meanwhile` is called once the jobs are handed out (while the workers run them), or
    first when they are run here."""
    if len(jobs) < minimum or pool.size < 2:
        if meanwhile is not None:
            meanwhile()
        return [function(job) for job in jobs]
    chunk = max(1, len(jobs) // (pool.size * CHUNKS_PER_WORKER))
    running = pool.executor().map(function, jobs, chunksize=chunk)  # (all handed out now)
    if meanwhile is not None:
        meanwhile()
    return list(running)


def parallel_stream(
    function: Callable[[T], R], jobs: Sequence[T], minimum: int, pool: PoolHolder
) -> Iterator[R]:
    """`function(job)` for each job, in order, as they are needed (one at a time in this
    process) or as they are done (on every core, when there are enough jobs)."""
    if len(jobs) < minimum or pool.size < 2:
        return (function(job) for job in jobs)
    return pool.executor().map(function, jobs, chunksize=1)


# Objects allocated, net, between two collections of the youngest generation (CPython's
# default is 700): see `fewer_collections`.
YOUNG_COLLECTION_THRESHOLD = 50_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run a build with the cyclic garbage collector waking up less often.

    A build holds hundreds of thousands of live objects (the file index, the render
    cache, the manifest, 5,000 articles' records), and CPython's default thresholds
    make it walk all of them again and again: at 5,000 articles that was a fifth of a
    one-article rebuild.  What was alive before the build (modules, a preview server's
    memory) is set aside (`gc.freeze`) and the youngest generation is collected every
    `YOUNG_COLLECTION_THRESHOLD` allocations; cycles are still collected, and both
    settings are put back afterwards."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def import_story_stages() -> None:
    """Import the clean, split, summarize, key-facts and merge stages, with Punkt, sumy,
    NLTK and numpy.

    They are imported where first used, not with this module: importing them takes
    about 0.4 s, which a build that cleans, summarizes and merges nothing (nothing
    changed, or only a template or a setting of the pages) need not pay.  A process
    pool imports them before it forks its workers."""
    import generator.clean
    import generator.facts
    import generator.merge
    import generator.split
    import generator.summarize  # noqa: F401


class PoolHolder:
    """A process pool started on first use and shut down with the build."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._executor: Executor | None = None

    def executor(self) -> Executor:
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            import_story_stages()  # once here, not once in every worker
            # fork is fastest; a process running threads (serve) gets a clean forkserver
            method = "fork" if threading.active_count() == 1 else "forkserver"
            if method not in multiprocessing.get_all_start_methods():
                method = "spawn"
            context = multiprocessing.get_context(method)
            self._executor = ProcessPoolExecutor(self.size, mp_context=context)
        return self._executor

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown()
            self._executor = None


# --- the build -----------------------------------------------------------------------


@dataclass
class BriefingPlan:
    """A briefing folder read as far as its key: what it is made from."""

    folder: BriefingFolder
    meta: BriefingMeta
    results: list[ArticleResult]
    key: str = ""  # the briefing cache key; "" when it has no article
    briefing: Briefing | None = None


@dataclass(frozen=True)
class FolderMemo:
    """A briefing folder's plan with the warnings it gave, as of the build that made it
    (serve): reused whole while none of the folder's files changes."""

    folder: BriefingFolder
    settings: Settings
    plan: BriefingPlan
    warnings: tuple[Problem, ...]


_NO_META = BriefingMeta()  # (a folder without an index.md; frozen, so shared)


def _signer(location: str) -> Signer:
    """The `file_signature` of a file in the folder `location` (which ends in a
    separator), by its name."""
    return lambda name: file_signature(location + name)


class Builder:
    """Runs one build; collects problems instead of stopping at the first."""

    def __init__(
        self,
        options: BuildOptions,
        progress: Progress | None = None,
        memory: BuildMemory | None = None,
        workers: int | None = None,
    ) -> None:
        self.options = options
        self.progress = progress
        self.memory = memory
        self.report = BuildReport()
        cache_dir = options.output_dir.resolve().parent / ".briefing-cache"
        self.cache_dir = cache_dir if options.use_cache else None
        self.cache = ArticleCache(self.cache_dir)
        self.briefing_cache = BriefingCache(self.cache_dir)
        self.pool = PoolHolder(worker_count() if workers is None else workers)
        self._base: Path | None = None  # options.base_dir resolved
        self._content_prefix: str | None = None  # how paths in the content folder start
        self._content_resolved: str | None = None
        self._fast = False  # the last discovery stands: only known files changed (serve)
        self._changed_paths: set[Path] = set()  # of those files, the ones that changed
        self._kept: set[str] = set()  # folders (locations) whose last plan stands (serve)
        self._file_index = FileIndex(None)  # the build's file index (`_plan` opens it)
        # folder location -> its meta, warnings and errors, read ahead (`_read_indexes`)
        self._read_ahead: dict[str, tuple[BriefingMeta, list[Problem], list[Problem]]] = {}

    def shown(self, path: Path) -> str:
        """`path` as messages show it: resolved, relative to the base folder."""
        if self.memory is None:
            return self._shown(path)
        key = (path, self.options.base_dir)
        if key not in self.memory.shown_paths:
            self.memory.shown_paths[key] = self._shown(path)
        return self.memory.shown_paths[key]

    def _shown(self, path: Path) -> str:
        """For a file discovered in a briefing folder, made from the content folder's
        own shown path without asking the file system (discover skips symbolic links,
        so only the content folder itself needs resolving): a build shows thousands."""
        folder, _, name = str(path).rpartition(os.sep)
        above, _, folder_name = folder.rpartition(os.sep)
        if above == str(self.options.content_dir) and folder_name not in ("", ".", ".."):
            return f"{self._shown_content()}{folder_name}{os.sep}{name}"
        return self._display(path.resolve())

    def _shown_content(self) -> str:
        """How the shown paths of the content folder's files start ("" or "content/")."""
        if self._content_prefix is None:
            shown = self._display(self.options.content_dir.resolve())
            self._content_prefix = "" if shown == "." else shown + os.sep
        return self._content_prefix

    def _display(self, resolved: Path) -> str:
        if self._base is None:
            self._base = self.options.base_dir.resolve()
        return display_path(resolved, self._base)

    def run(self) -> BuildReport:
        started = time.perf_counter()
        recover(self.options.output_dir)  # leftovers of a killed build
        _page_makers.clear()  # templates may have changed since a build in this process
        try:
            with fewer_collections():
                self._build()
        except BriefingError as error:
            self.report.errors.extend(error.problems)
        finally:
            self.pool.close()
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
        finally:
            self.pool.close()
        if self.memory is not None and site is not None:
            # (after a fatal error, keep everything for the next build)
            self.memory.prune(partial=bool(self._kept))
        self.report.seconds = time.perf_counter() - started
        return site

    def _build(self) -> None:
        ahead = self._survey_ahead()
        try:
            self._plan_and_publish(ahead)
        finally:
            if ahead is not None:
                ahead.close()

    def _survey_ahead(self) -> SurveyAhead | None:
        """From the command line, with a core to spare: the previous output and the site
        kept beside it checked in a child process (`SurveyAhead`) while this one plans
        and renders; `publish` then needs neither to stat every file it carries over
        nor to list the kept site."""
        manifests = self._manifests()
        if manifests is None or self.memory is not None or self.pool.size < 2:
            return None
        return SurveyAhead(self.options.output_dir, manifests)

    def _plan_and_publish(self, ahead: SurveyAhead | None) -> None:
        settings, theme, plans = self._plan()
        fingerprint = render_fingerprint(settings, theme)
        stamp = site_stamp(plans, fingerprint)
        if self.cache_dir is not None and not self.report.errors:
            with timed(self.report.stages, "write"):
                current = output_is_current(
                    self.options.output_dir, self._manifests(), stamp, ahead
                )
            if current:  # nothing changed since the last build: the output is as it was
                self.report.written = True
                self.report.briefings = sum(plan.key != "" for plan in plans)
                return
        pages = RenderCache(self.cache_dir)
        stamps = (fingerprint, stamp)
        try:
            self._render_and_publish(settings, theme, plans, stamps, pages, ahead)
        except CarryOverError:  # the previous output changed under us: render it all
            self._render_and_publish(settings, theme, plans, stamps, pages, None, reuse=False)
        if self.memory is None and not self.report.errors and self.report.written:
            with timed(self.report.stages, "write"):
                self._prune_caches(plans, settings)

    def _prune_caches(self, plans: Sequence[BriefingPlan], settings: Settings) -> None:
        """Delete the article and briefing cache entries this complete build did not use,
        so that the cache holds one site's worth, however often articles are edited or
        the code upgraded.  (Not after errors: the entries of an article that failed
        now may serve again once it is fixed.  `serve` keeps its own, in memory.)"""
        if self.cache_dir is None:
            return
        fingerprint = settings_fingerprint(settings)
        articles = {
            cache_key(result.digest, result.shown, fingerprint)
            for plan in plans
            for result in plan.results
        }
        prune_entries(self.cache_dir, articles)
        prune_entries(self.briefing_cache.folder, {plan.key for plan in plans if plan.key})

    def _render_and_publish(
        self,
        settings: Settings,
        theme: Theme,
        plans: list[BriefingPlan],
        stamps: tuple[str, str],
        pages: RenderCache,
        ahead: SurveyAhead | None,
        reuse: bool = True,
    ) -> None:
        """Render what changed and publish the site; a briefing whose render key is
        unchanged and whose files the previous output still holds (by the manifest's
        hashes) is neither loaded nor rendered: its files are carried over.  (`ahead`:
        for `publish`.)"""
        from generator.render import Listed

        fingerprint, stamp = stamps  # (`render_fingerprint`, `site_stamp`)
        on_disk: dict[str, str] = {}
        if reuse and self.cache_dir is not None:
            with timed(self.report.stages, "write"):
                on_disk = recorded_files(self._manifests())
        reused: dict[str, RenderRecord] = {}
        published = on_disk.items()
        for plan in plans:
            if not plan.key:
                continue
            found = pages.lookup(plan.folder.slug, _digest(plan.key + fingerprint))
            if found is not None and found.files.items() <= published:  # (as sets of pairs)
                reused[plan.folder.slug] = found
        fresh = [plan for plan in plans if plan.key and plan.folder.slug not in reused]
        if self.report.errors and not self.options.keep_going:
            return
        spec = self._page_spec(settings, theme)
        jobs = self._briefing_jobs(fresh, settings, spec)
        if len(jobs) >= PARALLEL_MIN_BRIEFINGS:
            self.report.workers = max(self.report.workers, self.pool.size)
        done = parallel_stream(run_briefing_job, jobs, PARALLEL_MIN_BRIEFINGS, self.pool)
        del jobs
        carried: dict[str, str] = {}
        records: dict[str, RenderRecord] = {}
        summaries: list[Listed] = []  # what the site-wide pages read of every briefing
        for plan in plans:
            record = reused.get(plan.folder.slug)
            if record is not None:
                carried.update(record.files)
                records[plan.folder.slug] = record
        fresh_slugs = {plan.folder.slug for plan in fresh}
        site_files: dict[str, tuple[str, str]] = {}  # site-wide path -> (key, sha256)
        waited = 0.0  # seconds spent making pieces (rendering, or waiting for workers)

        def pieces() -> Iterator[dict[str, bytes]]:
            """Static files, then each briefing's pages (or its summary when carried
            over), then the site-wide pages: made one at a time, while written."""
            nonlocal waited
            started = time.perf_counter()
            yield {path: data for path, data in static_files(theme).items()
                   if path not in carried}  # fmt: skip
            for plan in plans:
                slug = plan.folder.slug
                render_key = _digest(plan.key + fingerprint)  # (its summary's digest too)
                if slug in reused:
                    try:
                        summaries.append(Listed(reused[slug].summary, render_key))
                    except (ValueError, KeyError, TypeError):
                        raise CarryOverError(slug) from None
                elif slug in fresh_slugs:
                    own = next(done)
                    if own.problems:
                        raise BriefingError(list(own.problems))
                    for stage, seconds in own.timings.items():
                        self.report.stages[stage] += seconds
                    records[slug] = RenderRecord(own.hashes, own.summary)
                    summaries.append(Listed(own.summary, render_key))
                    waited += time.perf_counter() - started
                    yield HashedPiece(own.files, own.hashes)
                    started = time.perf_counter()
            site_started = time.perf_counter()
            site_wide = self._site_piece(
                page_maker(spec), summaries, (pages, on_disk, fingerprint), site_files
            )
            self.report.stages["render"] += time.perf_counter() - site_started
            waited += time.perf_counter() - started
            yield site_wide

        publish_started = time.perf_counter()
        complete = not self.report.errors
        self.report.changed_files = publish(
            {},
            self.options.output_dir,
            self._manifests(),
            stamp if complete else "",
            carried,
            pieces(),
            ahead,
        )
        with timed(self.report.stages, "write"):
            for plan in plans:
                if plan.folder.slug in records:
                    pages.record(plan.folder.slug, _digest(plan.key + fingerprint),
                                 records[plan.folder.slug])  # fmt: skip
            pages.save(set(records), site_files)
        self.report.stages["write"] += time.perf_counter() - publish_started - waited
        self.report.written = True
        self.report.briefings = len(summaries)

    def _page_spec(self, settings: Settings, theme: Theme) -> PageSpec:
        templates = self.cache_dir / "templates" if self.cache_dir is not None else None
        return PageSpec(settings, theme, templates)

    def _site_piece(
        self,
        maker: PageMaker,
        summaries: Sequence[Listed],
        known: tuple[RenderCache, dict[str, str], str],
        made: dict[str, tuple[str, str]],
    ) -> dict[str, bytes | Carried]:
        """The site-wide files: each carried over when its key (what it is made from, and
        the render fingerprint) is the one its file in the output was made with, else
        made; `made` gets each one's (key, sha256).  `known`: the render cache, the
        output's files (path -> sha256) and the render fingerprint."""
        pages, on_disk, fingerprint = known
        piece: dict[str, bytes | Carried] = {}
        for page in maker.site_pages(summaries):
            key = _digest(page.key + fingerprint)
            digest = pages.site_file(page.path, key)
            if digest is not None and on_disk.get(page.path) == digest:
                piece[page.path] = Carried(digest)
            else:
                content = page.make()
                piece[page.path], digest = content, _digest(content)
            made[page.path] = (key, digest)
        return piece

    def _manifests(self) -> Path | None:
        return self.cache_dir / "output" if self.cache_dir is not None else None

    def _collect(self) -> Site:
        settings, theme, plans = self._plan()
        return Site(settings, theme, self._briefings(plans, settings))

    def _plan(self) -> tuple[Settings, Theme, list[BriefingPlan]]:
        """Settings, theme, and every briefing read as far as its key (articles that
        changed are processed here, on every core)."""
        options = self.options
        settings = load_settings(options.config_path, self.shown(options.config_path))
        if options.algorithm:
            settings = replace(settings, algorithm=options.algorithm)
        if options.base_url is not None:
            settings = replace(settings, base_url=options.base_url)
        theme = find_theme(settings.theme, options.config_path.resolve().parent)
        discovery = self._discover()
        self.report.warnings.extend(discovery.warnings)
        with timed(self.report.stages, "load"):
            index = FileIndex(self.cache_dir if self.memory is None else None)
            kept = self._kept_plans(discovery.briefings, settings)
            kept = kept or self._recorded_plans(discovery.briefings, settings, index)
            folders = [folder for folder in discovery.briefings if folder.location not in kept]
            results = self._known_articles(folders, settings, index)
        self._file_index = index
        self._process(results, folders, (settings, theme), index)
        total = sum(len(batch) for batch in results)
        total += sum(len(memo.folder.article_names) for memo in kept.values())
        plans = []
        batches = iter(results)
        for folder in discovery.briefings:
            memo = kept.get(folder.location)
            if memo is None:
                errors = len(self.report.errors)
                plans.append(self._account(folder, next(batches), settings, total))
                if len(self.report.errors) == errors:
                    self._record_folder(plans[-1], settings, index)
            else:
                plans.append(self._replay(memo, total))
        self._save_index(index, plans, results, discovery.briefings)
        return settings, theme, plans

    def _save_index(
        self,
        index: FileIndex,
        plans: Sequence[BriefingPlan],
        results: Sequence[Sequence[ArticleResult]],
        folders: Sequence[BriefingFolder],
    ) -> None:
        """Save, once index.md files are read, the file index's entries of the files this
        build saw and the records of its folders (none to save for serve, which keeps no
        file index: the files seen are not even gathered)."""
        if index.folder is None:
            return
        seen = {result.shown for plan in plans for result in plan.results}
        seen |= {result.shown for batch in results for result in batch}
        seen |= {
            self._shown_file(folder, folder.index_name)
            for folder in folders
            if folder.index_name is not None
        }
        seen_folders = {self._shown_folder(folder) for folder in folders}
        self._later(partial(index.save, seen, seen_folders))

    def _recorded_plans(
        self, folders: Sequence[BriefingFolder], settings: Settings, index: FileIndex
    ) -> dict[str, FolderMemo]:
        """A build from the command line: the plan of each folder whose files all have
        the signatures the file index's record of the folder has (made with the same
        settings), from that record: its files are neither looked up one by one nor
        read, its briefing key not made again."""
        if self.memory is not None or self.options.explain or self.cache_dir is None:
            return {}
        stamp = folder_stamp(settings)
        kept = {}
        shown_content = self._shown_content()
        for folder in folders:
            files = (folder.index_name, folder.article_names)
            signature_of = _signer(folder.location + os.sep)
            record = index.lookup_folder(shown_content + folder.name, stamp, files, signature_of)
            if record is not None:
                kept[folder.location] = self._memo_of(folder, record, settings)
        return kept

    def _memo_of(
        self, folder: BriefingFolder, record: FolderRecord, settings: Settings
    ) -> FolderMemo:
        """The folder's plan from its record (whose files are the folder's as they are)."""
        meta, warnings = _NO_META, []
        if record.index is not None:
            _, meta, index_warnings = record.index
            warnings += index_warnings
        results = []
        shown_folder = self._shown_folder(folder) + os.sep
        for name, source_id, signature, digest, found in record.articles:
            results.append(ArticleResult(shown_folder + name, source_id, signature, digest, found))
            warnings += found
        plan = BriefingPlan(folder, meta, results, record.key)
        return FolderMemo(folder, settings, plan, tuple(warnings))

    def _record_folder(self, plan: BriefingPlan, settings: Settings, index: FileIndex) -> None:
        """Record, in the file index, a folder planned without an error (`_recorded_plans`)."""
        folder = plan.folder
        if self.memory is not None or not plan.key:
            return
        if len(plan.results) != len(folder.article_names):
            return
        index_shown = None
        if folder.index_name is not None:
            index_shown = self._shown_file(folder, folder.index_name)
        articles = [
            (name, result.source_id, result.shown)
            for name, result in zip(folder.article_names, plan.results, strict=True)
        ]
        stamp = folder_stamp(settings)
        index.record_folder(self._shown_folder(folder), stamp, plan.key, (index_shown, articles))

    def _kept_plans(
        self, folders: Sequence[BriefingFolder], settings: Settings
    ) -> dict[str, FolderMemo]:
        """Serve, when the watcher saw only known files modified: the last build's plan
        of each folder none of whose files changed, made with the same settings."""
        memory = self.memory
        if memory is None or not self._fast or self.options.explain:
            return {}
        changed_folders = {path.parent for path in self._changed_paths}
        kept = {}
        for folder in folders:
            memo = memory.folder_plans.get(folder.folder)
            if (
                memo is not None
                and memo.folder is folder
                and folder.folder not in changed_folders
                and memo.settings == settings
            ):
                kept[folder.location] = memo
        self._kept = set(kept)
        return kept

    def _replay(self, memo: FolderMemo, total: int) -> BriefingPlan:
        """A kept plan, reported as the build that made it reported it."""
        self.report.warnings.extend(memo.warnings)
        self.report.articles += len(memo.plan.results)
        if self.progress is not None:
            self.progress(self.report.articles + len(self.report.errors), total)
        return memo.plan

    def _discover(self) -> Discovery:
        """The briefing folders and their files: the last build's when the watcher saw
        only known files modified (serve), else listed afresh (a build from the command
        line uses the last one's listing of each folder that did not change)."""
        memory, options = self.memory, self.options
        if (
            memory is not None
            and memory.discovery is not None
            and memory.changed is not None
            and only_modified(memory.changed, memory.known_files)
        ):
            self._fast = True
            known = memory.known_files
            self._changed_paths = {known[path] for path in memory.changed if path in known}
            return memory.discovery
        if memory is None:  # (serve lists anew only when the watcher saw files come or go)
            root = (str(options.content_dir), str(options.base_dir))
            listed = ListingIndex(self.cache_dir, root)
            discovery = discover(options.content_dir, options.base_dir.resolve(), listed.known)
            self._later(partial(listed.save, discovery.listings))
            return discovery
        discovery = discover(options.content_dir, options.base_dir.resolve())
        memory.discovery, memory.signatures = discovery, {}
        memory.known_files = {
            self._absolute(path): path
            for folder in discovery.briefings
            for path in (*folder.article_paths, folder.index_path)
            if path is not None
        }
        return discovery

    def _shown_file(self, folder: BriefingFolder, name: str) -> str:
        """`shown(folder.folder / name)`, made without a `Path` (a build shows thousands)."""
        return f"{self._shown_folder(folder)}{os.sep}{name}"

    def _shown_folder(self, folder: BriefingFolder) -> str:
        """A discovered briefing folder as messages show it (`_shown`)."""
        return f"{self._shown_content()}{folder.name}"

    def _file_signature(self, folder: BriefingFolder, name: str) -> FileSignature | None:
        """The signature of the file `name` of `folder` (`_signature`, without a `Path`
        unless serve remembers signatures by path)."""
        if self.memory is not None:
            return self._signature(folder.folder / name)
        return file_signature(f"{folder.location}{os.sep}{name}")

    def _signature(self, path: Path) -> FileSignature | None:
        """`file_signature(path)`; in serve, remembered for a file the watcher saw no
        change to."""
        memory = self.memory
        if memory is None:
            return file_signature(path)
        if self._fast and path not in self._changed_paths and path in memory.signatures:
            return memory.signatures[path]
        memory.signatures[path] = signature = file_signature(path)
        return signature

    def _absolute(self, path: Path) -> str:
        if self._content_resolved is None:
            self._content_resolved = str(self.options.content_dir.resolve())
        return os.path.join(self._content_resolved, path.parent.name, path.name)

    def _known_articles(
        self, folders: Sequence[BriefingFolder], settings: Settings, index: FileIndex
    ) -> list[list[ArticleResult]]:
        """Per folder, each article as far as memory or the file index know it."""
        fingerprint = settings_fingerprint(settings)
        batches = []
        for folder in folders:
            if self.memory is not None:
                self.memory.begin_folder(folder.folder)
            batch = []
            names = folder.article_names
            for name, source_id in zip(names, source_ids_of(names), strict=True):
                shown = self._shown_file(folder, name)
                signature = self._file_signature(folder, name)
                result = ArticleResult(shown, source_id, signature)
                remembered = self._remembered(signature, shown, source_id, fingerprint)
                record = index.lookup(shown, signature)
                if remembered is not None:
                    result.article, warnings, result.digest = remembered
                    result.warnings = tuple(warnings)
                elif record is not None:
                    result.digest, result.warnings = record.digest, record.warnings
                batch.append(result)
            batches.append(batch)
        if self.memory is not None:
            self.memory.end_folder()
        return batches

    def _process(
        self,
        batches: list[list[ArticleResult]],
        folders: Sequence[BriefingFolder],
        setup: tuple[Settings, Theme],
        index: FileIndex,
    ) -> None:
        """Read and process, on every core, each article neither memory nor the file
        index knows; record what was found.  Meanwhile this process reads the folders'
        index.md files and compiles the templates."""
        settings, theme = setup
        wanted = [
            (number, position, ArticleJob(folder.folder / name, result.shown,
                                          result.source_id, settings, self.cache_dir,
                                          self.memory is not None))
            for number, (folder, batch) in enumerate(zip(folders, batches, strict=True))
            for position, (name, result) in enumerate(zip(folder.article_names, batch,
                                                          strict=True))
            if not result.digest
        ]  # fmt: skip
        jobs = [job for _, _, job in wanted]
        meanwhile = partial(self._read_indexes, folders)
        if len(jobs) >= PARALLEL_MIN_ARTICLES:
            self.report.workers = max(self.report.workers, self.pool.size)
            if self.memory is None:  # (the workers' first pages find them in the cache)
                meanwhile = partial(self._read_ahead_and_compile, folders, settings, theme)
        done = parallel_map(run_article_job, jobs, PARALLEL_MIN_ARTICLES, self.pool, meanwhile)
        fingerprint = settings_fingerprint(settings)
        for (number, position, _), result in zip(wanted, done, strict=True):
            batches[number][position] = result
            for stage, seconds in result.timings.items():
                self.report.stages[stage] += seconds
            if result.article is None:
                continue
            if result.cache_key:
                self._later(partial(self.cache.put, result.cache_key, result.article))
            found = (result.article, list(result.warnings), result.digest)
            if self.memory is not None:
                self.memory.begin_folder(folders[number].folder)
            self._remember(result.signature, result.shown, result.source_id, fingerprint, found)
            record = FileRecord(result.digest, result.warnings)
            index.record(result.shown, result.signature, record)
        if self.memory is not None:
            self.memory.end_folder()

    def _account(
        self, folder: BriefingFolder, batch: list[ArticleResult], settings: Settings, total: int
    ) -> BriefingPlan:
        """Report the folder's problems in order; the plan with its key."""
        memory = self.memory
        if memory is not None:
            memory.begin_folder(folder.folder)
            memory.folder_plans.pop(folder.folder, None)
        warnings, errors = len(self.report.warnings), len(self.report.errors)
        plan = self._folder_plan(folder, batch, settings, total)
        if memory is not None:
            memory.end_folder()
            if len(self.report.errors) == errors:
                memo = FolderMemo(folder, settings, plan, tuple(self.report.warnings[warnings:]))
                memory.folder_plans[folder.folder] = memo
        return plan

    def _folder_plan(
        self, folder: BriefingFolder, batch: list[ArticleResult], settings: Settings, total: int
    ) -> BriefingPlan:
        meta = self._index(folder)
        plan = BriefingPlan(folder, meta, [])
        for result in batch:
            self.report.warnings.extend(result.warnings)
            self.report.errors.extend(result.problems)
            if not result.problems:
                self.report.articles += 1
                if self.options.explain:
                    dropped = self._article_of(result, settings).dropped
                    self.report.explanations.append(ArticleExplanation(result.shown, dropped))
                plan.results.append(result)
            if self.progress is not None:
                self.progress(self.report.articles + len(self.report.errors), total)
        if not plan.results:
            if not folder.article_names:
                self.report.warnings.append(
                    Problem(
                        self.shown(folder.folder), "no articles: briefing skipped", None, "warning"
                    )
                )
            return plan
        plan.key = briefing_key(folder.slug, meta, plan.results, settings)
        return plan

    def _briefings(self, plans: list[BriefingPlan], settings: Settings) -> tuple[Briefing, ...]:
        """Each briefing from memory, the briefing cache, or merged (on every core)."""
        jobs: list[tuple[BriefingPlan, MergeJob]] = []
        for plan in plans:
            if not plan.key:
                continue
            if plan.folder.location in self._kept and plan.briefing is not None:
                continue  # a kept plan holds its briefing
            if self.memory is not None:
                self.memory.begin_folder(plan.folder.folder)
            plan.briefing = self._known_briefing(plan, settings)
            if plan.briefing is None:
                articles = tuple(self._article_of(result, settings) for result in plan.results)
                job = MergeJob(
                    plan.folder.slug, plan.meta, articles, settings.lead_words, settings.language
                )
                jobs.append((plan, job))
        merge_jobs = [job for _, job in jobs]
        merged = parallel_map(run_merge_job, merge_jobs, PARALLEL_MIN_BRIEFINGS, self.pool)
        for (plan, _), (briefing, seconds) in zip(jobs, merged, strict=True):
            self.report.stages["merge"] += seconds
            plan.briefing = briefing
            self._later(partial(self.briefing_cache.put, plan.key, briefing))
            if self.memory is not None:
                self.memory.begin_folder(plan.folder.folder)
            self._keep_briefing(plan, settings)
        if self.memory is not None:
            self.memory.end_folder()
        return tuple(plan.briefing for plan in plans if plan.briefing is not None)

    def _briefing_jobs(
        self, plans: list[BriefingPlan], settings: Settings, spec: PageSpec
    ) -> list[BriefingJob]:
        """A render job per briefing, with the articles in hand or to be read from the
        cache (by the worker, like the briefing itself).  The plans let go of them."""
        jobs: list[BriefingJob] = []
        for plan in plans:
            articles = tuple(
                result.article or ArticleRef(result.digest, result.shown, result.source_id)
                for result in plan.results
            )
            job = BriefingJob(plan.folder.slug, spec, plan.meta, articles, self.cache_dir,
                              plan.key, self.options.base_dir)  # fmt: skip
            jobs.append(job)
            for result in plan.results:
                result.article = None
        return jobs

    def _later(self, write: Callable[[], None]) -> None:
        """A cache write: done now, or (serve) after the pages are out (`BuildMemory.flush`)."""
        if self.memory is None:
            write()
        else:
            self.memory.pending.append(write)

    def _memory_key(self, plan: BriefingPlan, settings: Settings) -> tuple[object, ...]:
        digests = tuple(result.digest for result in plan.results)
        ids = tuple(result.source_id for result in plan.results)
        return (plan.folder.slug, plan.meta, digests, ids, settings)

    def _known_briefing(self, plan: BriefingPlan, settings: Settings) -> Briefing | None:
        if self.memory is not None:
            key = self._memory_key(plan, settings)
            if key in self.memory.briefings:
                self.memory.use("briefings", key)
                return self.memory.briefings[key]
        from generator.merge import order_sources, resolve_years

        articles = [self._article_of(result, settings) for result in plan.results]
        with timed(self.report.stages, "load"):
            resolved = resolve_years(articles, plan.meta.date)
            plan.briefing = self.briefing_cache.get(plan.key, order_sources(resolved))
        self._keep_briefing(plan, settings)
        return plan.briefing

    def _keep_briefing(self, plan: BriefingPlan, settings: Settings) -> None:
        if self.memory is not None and plan.briefing is not None:
            key = self._memory_key(plan, settings)
            self.memory.briefings[key] = plan.briefing
            self.memory.use("briefings", key)

    def _article_of(self, result: ArticleResult, settings: Settings) -> ProcessedArticle:
        """The processed article of a file the file index knew: from the article cache,
        else processed again."""
        if result.article is None:
            reference = ArticleRef(result.digest, result.shown, result.source_id)
            with timed(self.report.stages, "load"):
                result.article = cached_article(
                    reference, settings, self.cache_dir, self.options.base_dir
                )
        return result.article

    def _index(self, folder: BriefingFolder) -> BriefingMeta:
        """The folder's index.md (read ahead, or now); its problems reported."""
        found = self._read_ahead.pop(folder.location, None) or self._meta_of(folder)
        meta, warnings, problems = found
        self.report.errors.extend(problems)
        self.report.warnings.extend(warnings)
        return meta

    def _read_indexes(self, folders: Sequence[BriefingFolder]) -> None:
        """Each folder's index.md, read while the workers process the articles (a cold
        build's front matter is parsed in this process); `_index` reports them in order."""
        if self.memory is None:  # (a preview's memory counts its uses folder by folder)
            for folder in folders:
                self._read_ahead[folder.location] = self._meta_of(folder)

    def _read_ahead_and_compile(
        self, folders: Sequence[BriefingFolder], settings: Settings, theme: Theme
    ) -> None:
        self._read_indexes(folders)
        page_maker(self._page_spec(settings, theme)).warm()

    def _meta_of(self, folder: BriefingFolder) -> tuple[BriefingMeta, list[Problem], list[Problem]]:
        """The folder's meta, the warnings of its index.md, and the errors."""
        if folder.index_name is None:
            return BriefingMeta(), [], []
        shown = self._shown_file(folder, folder.index_name)
        signature = self._file_signature(folder, folder.index_name)
        memory_key = (shown, signature) if signature is not None else None
        try:
            if self.memory is not None and memory_key in self.memory.indexes:
                meta, warnings = self.memory.indexes[memory_key]
            elif (known := self._file_index.lookup_meta(shown, signature)) is not None:
                meta, warnings = known[0], list(known[1])
            else:
                meta, warnings = read_index(folder.folder / folder.index_name, shown)
                self._file_index.record_meta(shown, signature, meta, warnings)
        except BriefingError as error:
            return BriefingMeta(), [], list(error.problems)
        if self.memory is not None and memory_key is not None:
            self.memory.indexes[memory_key] = (meta, warnings)
            self.memory.use("indexes", memory_key)
        return meta, warnings, []

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


def only_modified(changed: set[str], known: set[str]) -> bool:
    """Every changed path is a known file that is still a regular file, or a file that
    came and went (an editor's temporary file): the set of files is unchanged."""
    for path in changed:
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            if path in known:
                return False  # deleted or renamed away
            continue
        if path not in known or not S_ISREG(mode):
            return False  # a new file, folder or link
    return True


def briefing_key(
    slug: str, meta: BriefingMeta, results: Sequence[ArticleResult], settings: Settings
) -> str:
    """Everything a merged briefing is made from, hashed: its articles' cache keys and
    ids, index.md's values, the lead settings and the code."""
    fingerprint = settings_fingerprint(settings)
    parts: list[Any] = [slug, repr(meta), settings.lead_words, settings.language]
    parts += [(cache_key(r.digest, r.shown, fingerprint), r.source_id) for r in results]
    return _digest(repr((code_fingerprint(), parts)))


def theme_files(theme: Theme) -> list[tuple[str, str]]:
    """Every file of the theme's folders with its hash."""
    found = []
    for folder in theme.folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                found.append((str(path), _digest(path.read_bytes())))
    return found


def render_fingerprint(settings: Settings, theme: Theme) -> str:
    """What a briefing's pages are made from besides the briefing: the settings, the
    theme's files and the code."""
    return _digest(repr((code_fingerprint(), repr(settings), theme.name, theme_files(theme))))


def site_stamp(plans: Sequence[BriefingPlan], fingerprint: str) -> str:
    """What the whole output is made from: every briefing key, and the settings, the
    theme's files and the code (`render_fingerprint`).  The same stamp means the same
    output bytes."""
    keys = [(plan.folder.slug, plan.key) for plan in plans]
    return _digest(repr((fingerprint, keys)))


def _digest(material: str | bytes) -> str:
    data = material.encode("utf-8") if isinstance(material, str) else material
    return hashlib.sha256(data).hexdigest()


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the site described by `options`; never raises for bad content."""
    return Builder(options, progress).run()
