"""Live preview: build, serve output/ over HTTP, rebuild on change, reload the browser.

`LiveSite` keeps the processed articles, merged briefings and rendered pages in memory
between rebuilds, so one edited article costs that article, its briefing's merge and its
pages; a template edit re-renders the pages open in a browser first, reloads, then the
rest.  `PreviewHandler` serves only files under output/, resolved per request (the
output folder is swapped by the first build), and injects a small script into HTML
responses that listens on `/__briefing/events` (server-sent events) for `reload`, `css`,
`errors` and `clear`.  Nothing of this reaches the files `briefing build` writes.
"""

from __future__ import annotations

import errno
import gc
import json
import mimetypes
import queue
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, unquote, urlsplit

from jinja2 import Environment, TemplateError

from generator.errors import BriefingError, Problem
from generator.model import Briefing
from generator.pipeline import (
    Builder,
    BuildMemory,
    BuildOptions,
    BuildReport,
    Site,
    fewer_collections,
)
from generator.render import (
    BriefingView,
    Listed,
    SitePage,
    _json_bytes,
    _page,
    _template_problem,
    briefing_json,
    common_context,
    compile_templates,
    make_environment,
    paragraph_views,
    site_pages,
)
from generator.theme import static_files
from generator.watch import Change, ChangeFilter, Debouncer, Watcher, WatchRoot
from generator.write import publish, publish_changes

EVENTS_PATH = "/__briefing/events"
KEEPALIVE_SECONDS = 10.0
STALE_WAIT_SECONDS = 10.0
SMALL_CHANGE = 8  # re-rendering at most this many briefings happens before the reload
REST_CHUNK = 50  # files written at a time after the reload (each chunk frees its pages)
# How long a rebuild waits, after sending a reload, for the event streams to write it
# before it renders the rest (the streams' threads need the interpreter the rest keeps
# busy: at 5,000 articles a reload reached a reader up to 16.5 ms after it was sent).
DELIVERY_WAIT_SECONDS = 0.1
STATIC_UNIT = "#static"
MAX_TRACKED = 200  # more changed files than this in one burst: list the content folder again

# --- rendering only what changed ----------------------------------------------------


def theme_signature(folders: Sequence[Path]) -> tuple[tuple[str, int, int], ...]:
    """Size and mtime of every template file: changes whenever a template is saved."""
    entries = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "static" not in path.relative_to(folder).parts[:1]:
                stat = path.stat()
                entries.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


@dataclass
class RenderPlan:
    """The units (output paths, or STATIC_UNIT) to render first and later, in order;
    `now` (a part of `first`: the pages open in a browser, the static files and the
    removals) goes before the reload, the rest of `first` right after it."""

    first: list[str]
    rest: list[str]
    now: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PageSource:
    """What one briefing's output file is made from: the briefing, the template, and
    for a source page the source's position."""

    briefing: Briefing
    kind: str  # "briefing", "json", "source"
    source: int = -1


def page_sources(briefing: Briefing) -> dict[str, PageSource]:
    """A briefing's output files, each with what it is made from."""
    slug = briefing.slug
    sources = {
        f"{slug}/index.html": PageSource(briefing, "briefing"),
        f"{slug}/briefing.json": PageSource(briefing, "json"),
    }
    for number, section in enumerate(briefing.sources):
        sources[f"{slug}/sources/{section.article.source_id}.html"] = PageSource(
            briefing, "source", number
        )
    return sources


class PageRenderer:
    """Renders the site file by file and remembers what each file was rendered from, so
    a rebuild renders only files whose briefing, template or settings changed.

    The pages are the ones `render.render_site` makes, byte for byte (a test holds them
    to it); they are made from render's own view models and templates.
    """

    def __init__(self, small_change: int = SMALL_CHANGE) -> None:
        self.small_change = small_change
        self.environment: Environment | None = None
        self.environment_key: object = None
        self.generation_key: object = None  # pages are out of date when this changes
        self.generation = 0
        self.site: Site | None = None
        self.sources: dict[str, PageSource] = {}
        # output path -> (what it was rendered from, environment generation): a briefing
        # page's briefing (by identity), a site-wide page's key
        self.rendered: dict[str, tuple[Briefing | str, int]] = {}
        self.site_pages: dict[str, SitePage] = {}  # index, feed, tag pages...
        self._views: dict[str, tuple[Briefing, dict[str, Any]]] = {}
        self._sources_of: tuple[Briefing, ...] | None = None  # what `sources` lists
        # per briefing slug, in the site's order: the briefing and its files' sources
        self._briefing_units: dict[str, tuple[Briefing, dict[str, PageSource]]] = {}
        # briefings all of whose files were found fresh, in generation `_settled_in`
        self._settled: dict[str, Briefing] = {}
        self._settled_in = -1
        self._pages_of: Environment | None = None  # what `site_pages` render with
        self._templates_lock = threading.Lock()  # one thread compiles at a time
        self._listings: dict[str, Listed] = {}  # per slug: `_listed`'s last

    def plan(self, site: Site, viewed: set[str], everything: bool = False) -> RenderPlan:
        """Which files are out of date; the index and the pages open in a browser come
        first (`everything`, or a change to a few briefings: all of them first)."""
        self._prepare(site)
        dirty = self._dirty()
        gone = [unit for unit in self.rendered if unit not in self.sources
                and unit not in self.site_pages]  # fmt: skip
        briefings = {unit.split("/", 1)[0] for unit in dirty if "/" in unit}
        few = everything or len(briefings) <= self.small_change
        first = [
            unit for unit in dirty if few or unit in (STATIC_UNIT, "index.html") or unit in viewed
        ]
        now = first if everything else [u for u in first if u == STATIC_UNIT or u in viewed]
        return RenderPlan(first + gone, [unit for unit in dirty if unit not in first], now + gone)

    def units(self) -> list[str]:
        return [STATIC_UNIT, *self.site_pages, *self.sources]

    def _dirty(self) -> list[str]:
        """The units out of date, in `units()` order.  A briefing whose files were all
        found fresh is not looked at again while it is the same object and the templates
        are unchanged (only `done` changes what a file was rendered from): an edit of one
        article at 5,000 checks its own briefing's files, not 7,000."""
        if self._settled_in != self.generation:
            self._settled, self._settled_in = {}, self.generation
        dirty = [unit for unit in (STATIC_UNIT, *self.site_pages) if not self._fresh(unit)]
        for slug, (briefing, sources) in self._briefing_units.items():
            if self._settled.get(slug) is briefing:
                continue
            stale = [unit for unit in sources if not self._fresh(unit)]
            if stale:
                dirty += stale
            else:
                self._settled[slug] = briefing
        return dirty

    def render(self, unit: str) -> dict[str, bytes]:
        """The file(s) of one unit; raises `BriefingError` for a template error."""
        assert self.site is not None
        if unit == STATIC_UNIT:
            return static_files(self.site.theme)
        page, source = self.site_pages.get(unit), self.sources.get(unit)
        try:
            if page is not None:
                return {unit: page.make()}
            return {unit: self._render(source)} if source is not None else {}
        except TemplateError as error:
            raise BriefingError(_template_problem(error, self.site.theme)) from None

    def warm(self) -> None:
        """Compile every template whose file changed since it was last compiled (the
        watcher calls this as soon as a template is saved, while the burst settles; a
        render starts with it too, and then finds the templates ready)."""
        with self._templates_lock:
            environment = self.environment
            if environment is None:
                return
            compile_templates(environment)

    def done(self, unit: str) -> None:
        """`unit` was written: remember what it was rendered from."""
        inputs = self._inputs(unit)
        if inputs is None:
            self.rendered.pop(unit, None)
        else:
            self.rendered[unit] = inputs

    def _prepare(self, site: Site) -> None:
        self.site = site
        if (site.theme, site.settings) != self.environment_key:
            # Jinja reloads a template whose file changed (auto_reload), so one environment
            # serves until the theme or the settings change; only edited templates recompile.
            self.environment = make_environment(site.theme)
            self.environment_key = (site.theme, site.settings)
        signature = theme_signature(site.theme.folders)
        if (self.environment_key, signature) != self.generation_key:
            self.generation_key = (self.environment_key, signature)
            self.generation += 1
        if site.briefings is self._sources_of and self._pages_of == self.environment:
            return  # a template edit: the same briefings make the same files
        assert self.environment is not None
        self._sources_of, self._pages_of = site.briefings, self.environment
        pages = site_pages(self.environment, self._listed(site.briefings), site.settings)
        self.site_pages = {page.path: page for page in pages}
        self.sources = {}
        known, self._briefing_units = self._briefing_units, {}
        for briefing in site.briefings:
            units = known.get(briefing.slug)
            if units is None or units[0] is not briefing:
                units = (briefing, page_sources(briefing))
            self._briefing_units[briefing.slug] = units
            self.sources.update(units[1])
        live = self._briefing_units
        self._views = {slug: view for slug, view in self._views.items() if slug in live}
        self._settled = {slug: b for slug, b in self._settled.items() if slug in live}

    def _listed(self, briefings: Sequence[Briefing]) -> list[Listed]:
        """Each briefing as the site-wide pages see it, made again only for a briefing
        that is not the same object as last time (the build memory keeps an unchanged
        briefing as the same object)."""
        known, self._listings = self._listings, {}
        for briefing in briefings:
            found = known.get(briefing.slug)
            if found is None or found.briefing is not briefing:
                found = Listed.of(briefing)
            self._listings[briefing.slug] = found
        return list(self._listings.values())

    def _inputs(self, unit: str) -> tuple[Briefing | str, int] | None:
        """What a file is rendered from: a site-wide page's key, or the very briefing
        object of a briefing's page (the build memory keeps an unchanged briefing as the
        same object, so identity tells what changed); with the template generation."""
        page = self.site_pages.get(unit)
        if page is not None:
            return page.key, self.generation
        source = self.sources.get(unit)
        if source is None:
            return None  # static files are cheap: read them every time
        return source.briefing, (-1 if source.kind == "json" else self.generation)

    def _fresh(self, unit: str) -> bool:
        inputs, found = self._inputs(unit), self.rendered.get(unit)
        if inputs is None or found is None or inputs[1] != found[1]:
            return False
        made_from, was_made_from = inputs[0], found[0]
        if isinstance(made_from, str):
            return made_from == was_made_from
        return made_from is was_made_from

    def _common(self) -> dict[str, Any]:
        assert self.site is not None
        return common_context(self.site.settings)

    def _view(self, briefing: Briefing) -> dict[str, Any]:
        """The briefing's template context, kept while the briefing is unchanged."""
        cached = self._views.get(briefing.slug)
        if cached is None or cached[0] is not briefing:
            cached = (briefing, BriefingView(briefing).context())
            self._views[briefing.slug] = cached
        return cached[1]

    def _render(self, source: PageSource) -> bytes:
        assert self.site is not None and self.environment is not None
        common = self._common()
        briefing = source.briefing
        if source.kind == "json":
            return _json_bytes(briefing_json(briefing))
        view = self._view(briefing)
        if source.kind == "briefing":
            context = {**common, "root": "../", "briefing": view}
            return _page(self.environment, "briefing.html", context)
        section = briefing.sources[source.source]
        context = {
            **common,
            "root": "../../",
            "briefing": view,
            "source": view["sources"][source.source],
            "paragraphs": paragraph_views(section.article),
        }
        return _page(self.environment, "source.html", context)


# --- server-sent events ---------------------------------------------------------------


def page_file(url_path: str) -> str:
    """The output file a browser's `location.pathname` shows."""
    relative = unquote(url_path).lstrip("/")
    return relative + "index.html" if relative == "" or relative.endswith("/") else relative


def sse_message(name: str, data: object) -> bytes:
    """One event in text/event-stream framing; data is JSON on a single line."""
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


class EventHub:
    """The connected event-stream clients, and which page each one shows."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: dict[queue.Queue[bytes | None], str] = {}
        self._closed = False
        self._unwritten = 0  # messages sent that a client's stream has not written yet
        self._written = threading.Condition(self._lock)

    def connect(self, page: str) -> queue.Queue[bytes | None]:
        client: queue.Queue[bytes | None] = queue.Queue()
        with self._lock:
            if self._closed:
                client.put(None)
            self._clients[client] = page
        return client

    def disconnect(self, client: queue.Queue[bytes | None]) -> None:
        with self._lock:
            if self._clients.pop(client, None) is not None:
                self._unwritten = max(0, self._unwritten - client.qsize())
                self._written.notify_all()

    def send(self, name: str, data: object) -> None:
        message = sse_message(name, data)
        with self._lock:
            for client in self._clients:
                client.put(message)
                self._unwritten += 1

    def written(self) -> None:
        """A client's stream is done with one message it was sent (wrote it, or found
        the browser gone)."""
        with self._lock:
            self._unwritten = max(0, self._unwritten - 1)
            self._written.notify_all()

    def wait_written(self, timeout: float) -> bool:
        """Wait until every message sent has been written by its client's stream, at most
        `timeout` seconds; whether they all were."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._unwritten:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._written.wait(remaining)
        return True

    def viewed_pages(self) -> set[str]:
        """The output file of every page open in a browser (`/a/` -> `a/index.html`)."""
        with self._lock:
            pages = list(self._clients.values())
        return {page_file(page) for page in pages}

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for client in self._clients:
                client.put(None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._clients)


# --- the live site --------------------------------------------------------------------


def problem_json(problem: Problem) -> dict[str, Any]:
    return {"path": problem.path, "line": problem.line, "message": problem.message}


@dataclass
class RebuildOutcome:
    """What one rebuild did, for the terminal line and the tests."""

    report: BuildReport
    changed: list[str] = field(default_factory=list)
    seconds: float = 0.0


class LiveSite:
    """The site as served: rebuilt in place, incrementally, on every change."""

    def __init__(
        self,
        options: BuildOptions,
        hub: EventHub,
        log: TextIO,
        interrupted: Callable[[], bool] = lambda: False,
    ) -> None:
        self.options = options
        self.hub = hub
        self.log = log
        self.interrupted = interrupted
        self.memory = BuildMemory()
        self.renderer = PageRenderer()
        self.units: dict[str, dict[str, bytes]] = {}  # what output/ holds, per unit
        self.problems: list[Problem] = []
        self.site: Site | None = None
        self.published = False
        self.collected = False  # the last collect had no errors: `site` is current
        self.last_articles = 0
        self._stale: set[str] = set()
        self._condition = threading.Condition()
        self._rebuilding = threading.Lock()

    def rebuild(self, changed: set[str] | None = None) -> RebuildOutcome:
        """Rebuild what changed on disk, write it, tell the browsers; one at a time.
        `changed`: the content files the watcher saw change (absolute paths), or None
        to look at every file."""
        with self._rebuilding, fewer_collections():  # (a full collection: 0.6 s at 5,000)
            self.memory.changed = changed
            return self._rebuild()

    def rerender(self) -> RebuildOutcome:
        """Only the theme changed: render again from the briefings in memory (after a
        failed collect, rebuild instead)."""
        with self._rebuilding, fewer_collections():
            if self.site is None or not self.collected:
                self.memory.changed = None
                return self._rebuild()
            return self._render_again(self.site)

    def _render_again(self, site: Site) -> RebuildOutcome:
        started = time.perf_counter()
        outcome = RebuildOutcome(BuildReport(articles=self.last_articles))
        self._clear_problems()
        try:
            outcome.changed = self._publish(site)
        except BriefingError as error:
            outcome.report.errors.extend(error.problems)
            self.problems = list(error.problems)
            self.hub.send("errors", self.current_problems())
        outcome.seconds = time.perf_counter() - started
        self._log(outcome)
        return outcome

    def _rebuild(self) -> RebuildOutcome:
        started = time.perf_counter()
        builder = Builder(self.options, memory=self.memory)
        site = builder.collect()
        outcome = RebuildOutcome(builder.report)
        self.collected = site is not None and not builder.report.errors
        self.last_articles = builder.report.articles
        if site is not None and not builder.report.errors:
            self.site = site
            self._clear_problems()  # before the reload, so the overlay goes first
            try:
                outcome.changed = self._publish(site)
            except BriefingError as error:
                builder.report.errors.extend(error.problems)
        if builder.report.errors:
            self.problems = list(builder.report.errors)
            self.hub.send("errors", self.current_problems())
        outcome.seconds = time.perf_counter() - started
        self._log(outcome)
        self.memory.flush()  # the cache writes, once the browsers have what changed
        return outcome

    def wait_fresh(self, relative: str, timeout: float = STALE_WAIT_SECONDS) -> None:
        """Hold a request for a page that is being re-rendered right now."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while relative in self._stale and time.monotonic() < deadline:
                self._condition.wait(max(0.0, deadline - time.monotonic()))

    def current_problems(self) -> list[dict[str, Any]]:
        return [problem_json(problem) for problem in self.problems]

    def watch_roots(self) -> list[WatchRoot]:
        config = self.options.config_path.resolve()
        roots = [WatchRoot(self.options.content_dir.resolve())]
        if self.site is not None:
            roots.extend(
                WatchRoot(folder.resolve(), kind="theme") for folder in self.site.theme.folders
            )
        roots.append(WatchRoot(config.parent, recursive=False, only=config.name, kind="config"))
        return roots

    def _publish(self, site: Site) -> list[str]:
        plan = self.renderer.plan(site, self.hub.viewed_pages(), everything=not self.published)
        self.renderer.warm()
        now = set(plan.now)
        soon = [unit for unit in plan.first if unit not in now]
        with self._condition:
            self._stale = set(soon + plan.rest)
        try:
            changed = self._write(plan.now)
            self._send_changes(changed)
            if changed and (soon or plan.rest):
                self.hub.wait_written(DELIVERY_WAIT_SECONDS)  # the reload first, then the rest
            later = self._write(soon) if soon else []
            for start in range(0, len(plan.rest), REST_CHUNK):
                if self.interrupted():
                    break  # a newer change: the next rebuild finds these still out of date
                later += self._write(plan.rest[start : start + REST_CHUNK])
            if later and not changed:
                self._send_changes(later)
        finally:
            with self._condition:
                self._stale.clear()
                self._condition.notify_all()
        return changed + later

    def _write(self, units: Iterable[str]) -> list[str]:
        """Render `units`, write what differs from output/, return the changed paths."""
        rendered = {unit: self.renderer.render(unit) for unit in units}
        changed: dict[str, bytes] = {}
        removed: set[str] = set()
        for unit, files in rendered.items():
            old = self.units.get(unit, {})
            changed.update({path: data for path, data in files.items() if old.get(path) != data})
            removed.update(set(old) - set(files))
        if not self.published:
            publish(self._all_files(rendered), self.options.output_dir)
            self.published = True
        else:
            publish_changes(changed, removed, self.options.output_dir)
        for unit, files in rendered.items():
            self.units[unit] = files
            self.renderer.done(unit)
            with self._condition:
                self._stale.discard(unit)
                self._condition.notify_all()
        return sorted(changed) + sorted(removed)

    def _all_files(self, rendered: Mapping[str, dict[str, bytes]]) -> dict[str, bytes]:
        files: dict[str, bytes] = {}
        for unit in {**self.units, **rendered}:
            files.update(rendered.get(unit, self.units.get(unit, {})))
        return files

    def _send_changes(self, changed: Sequence[str]) -> None:
        if not changed:
            return
        if all(path.startswith("static/") and path.endswith(".css") for path in changed):
            self.hub.send("css", {"paths": list(changed)})
        else:
            self.hub.send("reload", {"paths": list(changed[:50])})

    def _clear_problems(self) -> None:
        if self.problems:
            self.problems = []
            self.hub.send("clear", {})

    def _log(self, outcome: RebuildOutcome) -> None:
        report = outcome.report
        lines = [str(problem) for problem in report.warnings + report.errors]
        if report.errors:
            lines.append(
                f"rebuild failed: {len(report.errors)} errors; still serving the last good pages"
            )
        else:
            lines.append(
                f"rebuilt in {outcome.seconds * 1000:.0f} ms: {len(outcome.changed)} files "
                f"changed ({report.articles} articles)"
            )
        self.log.write("\n".join(lines) + "\n")
        self.log.flush()


# --- HTTP -----------------------------------------------------------------------------

NOT_FOUND_PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>
<body><h1>404: not found</h1><p>There is no such page in this site.
<a href="/">Back to the index</a>.</p></body></html>
"""

RELOAD_SCRIPT = """<script>/* briefing serve: live reload (not part of built pages) */
(function () {
  var key = "briefing-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var restore = function () { window.scrollTo(0, parseFloat(saved) || 0); };
    restore();
    window.addEventListener("load", restore);
  }
  var overlayId = "briefing-error-overlay";
  function clearOverlay() {
    var old = document.getElementById(overlayId);
    if (old) { old.remove(); }
  }
  function showErrors(problems) {
    clearOverlay();
    var box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(20,0,0,.92);color:#fff;font:14px/1.5 monospace;padding:2em;";
    var title = document.createElement("h2");
    title.textContent = "Build failed: the last good pages are shown until the next good save";
    box.appendChild(title);
    problems.forEach(function (problem) {
      var line = document.createElement("pre");
      line.style.whiteSpace = "pre-wrap";
      var where = problem.path + (problem.line ? ":" + problem.line : "");
      line.textContent = where + ": " + problem.message;
      box.appendChild(line);
    });
    document.body.appendChild(box);
  }
  function reloadStyles() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("briefing-reload", String(Date.now()));
      link.href = url.href;
    });
  }
  var events = new EventSource("/__briefing/events?page=" +
    encodeURIComponent(location.pathname));
  events.addEventListener("reload", function () {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  });
  events.addEventListener("css", reloadStyles);
  events.addEventListener("errors", function (event) { showErrors(JSON.parse(event.data)); });
  events.addEventListener("clear", clearOverlay);
})();
</script>
"""

_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def inject_script(html: bytes) -> bytes:
    """The reload script, before the last `</body>` (or at the end)."""
    script = RELOAD_SCRIPT.encode("utf-8")
    matches = list(_BODY_END.finditer(html))
    if not matches:
        return html + script
    at = matches[-1].start()
    return html[:at] + script + html[at:]


def content_type(path: Path) -> str:
    guessed = {".html": "text/html", ".css": "text/css", ".js": "text/javascript"}.get(
        path.suffix.lower()
    ) or mimetypes.guess_type(path.name)[0]
    kind = guessed or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/json", "image/svg+xml"):
        return f"{kind}; charset=utf-8"
    return kind


def resolve_request(root: Path, url_path: str) -> Path | str | None:
    """The file under `root` a URL path names, a redirect target (str), or None.

    `..`, backslashes, NUL bytes and symbolic links that lead out of `root` give None.
    """
    decoded = unquote(url_path)
    parts = [part for part in decoded.split("/") if part not in ("", ".")]
    if any(part == ".." or "\\" in part or "\x00" in part for part in parts):
        return None
    real_root = root.resolve()
    try:
        candidate = real_root.joinpath(*parts).resolve()
    except (OSError, RuntimeError):
        return None
    if not candidate.is_relative_to(real_root):
        return None
    if candidate.is_dir():
        if not decoded.endswith("/"):
            return url_path + "/"
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], live: LiveSite, hub: EventHub) -> None:
        self.live = live
        self.hub = hub
        super().__init__(address, PreviewHandler)


class PreviewHandler(BaseHTTPRequestHandler):
    """GET/HEAD of files under output/, and the event stream."""

    server: PreviewServer
    server_version = "briefing-serve"

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        return  # the terminal shows rebuilds, not every request

    def _respond(self, send_body: bool) -> None:
        url = urlsplit(self.path)
        if url.path == EVENTS_PATH:
            self._events(parse_qs(url.query).get("page", ["/"])[0])
            return
        output_dir = self.server.live.options.output_dir
        found = resolve_request(output_dir, url.path)
        if isinstance(found, str):
            self._send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", send_body, found)
            return
        if found is not None:
            relative = found.relative_to(output_dir.resolve()).as_posix()
            self.server.live.wait_fresh(relative)
            found = resolve_request(output_dir, url.path)
        try:
            body = found.read_bytes() if isinstance(found, Path) else None
        except OSError:
            body = None
        if body is None or not isinstance(found, Path):
            self._send(HTTPStatus.NOT_FOUND, inject_script(NOT_FOUND_PAGE), "text/html", send_body)
            return
        kind = content_type(found)
        if kind.startswith("text/html"):
            body = inject_script(body)
        self._send(HTTPStatus.OK, body, kind, send_body)

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        kind: str,
        send_body: bool,
        location: str | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind if ";" in kind else f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if location is not None:
            self.send_header("Location", location)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _events(self, page: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        client = self.server.hub.connect(page)
        try:
            self.wfile.write(b"retry: 500\n\n" + sse_message("ready", {}))
            problems = self.server.live.current_problems()
            if problems:
                self.wfile.write(sse_message("errors", problems))
            self.wfile.flush()
            self._stream(client)
        except OSError:
            pass  # the browser went away
        finally:
            self.server.hub.disconnect(client)

    def _stream(self, client: queue.Queue[bytes | None]) -> None:
        while True:
            try:
                message = client.get(timeout=KEEPALIVE_SECONDS)
            except queue.Empty:
                self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
                continue
            if message is None:
                return
            try:
                self.wfile.write(message)
                self.wfile.flush()
            finally:
                self.server.hub.written()  # (or failed to be: the browser went away)


# --- the whole preview ----------------------------------------------------------------


class PortInUse(Exception):
    """The port is taken; the message is one line for the terminal."""


@dataclass(frozen=True)
class ServeOptions:
    build: BuildOptions
    host: str = "127.0.0.1"
    port: int = 8000


class Preview:
    """The running preview: live site, HTTP server and watcher; `start()` then `stop()`."""

    def __init__(self, options: ServeOptions, log: TextIO = sys.stderr) -> None:
        self.options = options
        self.hub = EventHub()
        self.debouncer = Debouncer(self._rebuild)
        self.live = LiveSite(options.build, self.hub, log, self.debouncer.pending)
        build = options.build
        ignored = [build.output_dir, build.output_dir.resolve().parent / ".briefing-cache"]
        self.watcher = Watcher(ChangeFilter(ignored), self._on_change)
        self._changes: set[str] | None = set()  # content files changed since the last rebuild
        self._changes_lock = threading.Lock()
        self.server: PreviewServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else str(host)
        return f"http://{shown}:{port}/"

    def start(self) -> RebuildOutcome:
        """Build once, start serving and watching; raises `PortInUse`."""
        try:
            self.server = PreviewServer((self.options.host, self.options.port), self.live, self.hub)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise PortInUse(
                    f"port {self.options.port} on {self.options.host} is already in use "
                    "(stop the other server, or pick one with --port; --port 0 picks a free one)"
                ) from None
            raise
        outcome = self.live.rebuild()
        # What the first build made mostly stays; the collector need not walk it again
        # on every rebuild (a full collection over a large site is a visible pause).
        gc.collect()
        gc.freeze()
        self._thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="briefing-http",
            daemon=True,
        )
        self._thread.start()
        self.watcher.watch(self.live.watch_roots())
        self.watcher.start()
        self.debouncer.start()
        return outcome

    def wait_idle(self, timeout: float = 10.0) -> bool:
        return self.debouncer.wait_idle(timeout)

    def stop(self) -> None:
        """Stop watching, finish a running rebuild, close every connection."""
        self.watcher.stop()
        self.debouncer.stop()
        self.hub.close()
        if self._thread is not None and self.server is not None:
            self.server.shutdown()  # only returns once serve_forever has been running
            self._thread.join()
        if self.server is not None:
            self.server.server_close()

    def _on_change(self, change: Change) -> None:
        if change.kind == "content":
            with self._changes_lock:
                if change.folder or self._changes is None or len(self._changes) > MAX_TRACKED:
                    self._changes = None  # the rebuild lists the content folder again
                else:
                    self._changes.update(change.paths)
        self.debouncer.poke(change.kind, change.settled)
        if change.kind == "theme" and change.settled:
            self.live.renderer.warm()  # compile the saved template while the burst settles

    def _rebuild(self, kinds: frozenset[str]) -> None:
        with self._changes_lock:  # (what changes from now on is the next rebuild's)
            changes, self._changes = self._changes, set()
        try:
            if kinds == {"theme"}:
                self.live.rerender()  # nothing to read or summarize again
            else:
                self.live.rebuild(changes)
        except Exception as error:  # a bug must not kill the preview; say it and go on
            self.live.log.write(f"briefing: internal error: {type(error).__name__}: {error}\n")
        self.watcher.watch(self.live.watch_roots())
