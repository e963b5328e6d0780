"""Watch: turn file-system events into one rebuild per burst of saves.

Editors save in odd ways (rename-over, write-then-truncate, swap and backup files), and a
`git checkout` touches many files at once.  `ChangeFilter` drops the events that cannot
matter (editor temp files, the tool's own output and cache, reads); `Debouncer` runs the
rebuild once a burst has gone quiet, and once more when a change arrives during a
rebuild, so the last save is never missed.  `Watcher` feeds watchdog events into both.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from generator.load import EDITOR_TEMP

QUIET_SECONDS = 0.05  # a burst is over after this long without an event,
SETTLED_QUIET_SECONDS = 0.01  # ... or this long after a file was closed or renamed into place,
LONGEST_WAIT_SECONDS = 0.3  # ... or this long after its first event, whichever is sooner
CHANGE_EVENTS = frozenset({"created", "modified", "deleted", "moved", "closed"})


def is_editor_temp(path: Path) -> bool:
    """`.x.swp`, `x~`, `.#x`, vim's `4913` probe, hidden files: never content."""
    return bool(EDITOR_TEMP.search(path.name))


@dataclass(frozen=True)
class WatchRoot:
    """A folder to watch; `only` limits it to one file name (the site.toml beside it)."""

    folder: Path
    recursive: bool = True
    only: str | None = None
    kind: str = "content"  # "content", "theme" or "config": what a change there affects


class ChangeFilter:
    """Decides whether a changed path can affect the site."""

    def __init__(self, ignored_folders: Iterable[Path]) -> None:
        self.ignored = tuple(folder.resolve() for folder in ignored_folders)

    def relevant(self, path: Path, root: WatchRoot) -> bool:
        if root.only is not None:
            return path.name == root.only and path.parent.resolve() == root.folder.resolve()
        if is_editor_temp(path):
            return False
        resolved = path.resolve()
        return not any(resolved.is_relative_to(folder) for folder in self.ignored)

    def settles(self, event: FileSystemEvent, root: WatchRoot) -> bool:
        """A write just finished: a file closed after writing, or renamed into place."""
        if event.event_type == "closed":
            return True
        destination = _text(getattr(event, "dest_path", "") or "")
        return (
            event.event_type == "moved"
            and bool(destination)
            and (self.relevant(Path(destination), root))
        )

    def event_matters(self, event: FileSystemEvent, root: WatchRoot) -> bool:
        if event.event_type not in CHANGE_EVENTS:
            return False  # opened / closed-without-writing: the build's own reads
        if event.is_directory and event.event_type in ("modified", "closed"):
            return False  # a folder's mtime moves with every file event inside it
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        return any(self.relevant(Path(_text(path)), root) for path in paths if path)


def _text(path: str | bytes) -> str:
    return path.decode("utf-8", "surrogateescape") if isinstance(path, bytes) else path


class Debouncer:
    """Runs `action(kinds)` once per burst of `poke()` calls, on its own thread; `kinds`
    are the kinds of change the burst brought (see `WatchRoot.kind`).

    The action starts `quiet` seconds after the latest poke, or `settled_quiet` seconds
    when that poke said a write had finished, and at most `longest` after the first poke
    of the burst.  A poke while the action runs schedules one more run.
    """

    def __init__(
        self,
        action: Callable[[frozenset[str]], None],
        quiet: float = QUIET_SECONDS,
        longest: float = LONGEST_WAIT_SECONDS,
        settled_quiet: float = SETTLED_QUIET_SECONDS,
    ) -> None:
        self.action = action
        self.quiet = quiet
        self.settled_quiet = min(settled_quiet, quiet)
        self.longest = longest
        self._condition = threading.Condition()
        self._first: float | None = None  # when the burst began
        self._due: float | None = None  # when it is over unless another poke comes
        self._kinds: set[str] = set()
        self._running = False
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="briefing-rebuild", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def poke(self, kind: str = "content", settled: bool = False) -> None:
        with self._condition:
            self._kinds.add(kind)
            now = time.monotonic()
            self._first = self._first if self._first is not None else now
            self._due = now + (self.settled_quiet if settled else self.quiet)
            self._condition.notify_all()

    def pending(self) -> bool:
        """A change is waiting for a rebuild (or the debouncer is stopping)."""
        with self._condition:
            return self._first is not None or self._stopped

    def wait_idle(self, timeout: float) -> bool:
        """Block until nothing is pending or running; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while self._first is not None or self._running:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stopped:
                    return False
                self._condition.wait(remaining)
        return True

    def stop(self) -> None:
        """Finish the running action (if any), then end the thread."""
        with self._condition:
            self._stopped = True
            self._condition.notify_all()
        if self._thread.is_alive():
            self._thread.join()

    def _loop(self) -> None:
        while (kinds := self._next_burst()) is not None:
            try:
                self.action(kinds)
            finally:
                with self._condition:
                    self._running = False
                    self._condition.notify_all()

    def _next_burst(self) -> frozenset[str] | None:
        """Wait for a burst to end; its kinds of change, or None to stop."""
        with self._condition:
            while not self._stopped:
                if self._first is None or self._due is None:
                    self._condition.wait()
                    continue
                due = min(self._due, self._first + self.longest)
                remaining = due - time.monotonic()
                if remaining > 0:
                    self._condition.wait(remaining)
                    continue
                self._first = self._due = None
                self._running = True
                kinds, self._kinds = frozenset(self._kinds), set()
                return kinds
            return None


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher, root: WatchRoot) -> None:
        self.watcher = watcher
        self.root = root

    def on_any_event(self, event: FileSystemEvent) -> None:
        change_filter = self.watcher.change_filter
        if change_filter.event_matters(event, self.root):
            paths = [_text(event.src_path), _text(getattr(event, "dest_path", "") or "")]
            change = Change(
                self.root.kind,
                change_filter.settles(event, self.root),
                tuple(path for path in paths if path),
                event.is_directory,
            )
            self.watcher.on_change(change)


@dataclass(frozen=True)
class Change:
    """One event that matters: the kind of root it happened in (`WatchRoot.kind`),
    whether a write just finished (`ChangeFilter.settles`), the paths it names (source
    and destination) and whether they are folders."""

    kind: str
    settled: bool
    paths: tuple[str, ...]
    folder: bool = False


class Watcher:
    """watchdog observer over a set of roots; calls `on_change` for events that matter."""

    def __init__(self, change_filter: ChangeFilter, on_change: Callable[[Change], None]) -> None:
        self.change_filter = change_filter
        self.on_change = on_change
        self._observer: BaseObserver = Observer()
        self._watches: dict[WatchRoot, ObservedWatch] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        self._observer.start()

    def watch(self, roots: Iterable[WatchRoot]) -> None:
        """Watch exactly `roots` (existing folders only) from now on."""
        wanted = {root for root in roots if root.folder.is_dir()}
        with self._lock:
            for root in set(self._watches) - wanted:
                self._observer.unschedule(self._watches.pop(root))
            for root in wanted - set(self._watches):
                handler = _Handler(self, root)
                self._watches[root] = self._observer.schedule(
                    handler, str(root.folder), recursive=root.recursive
                )

    def stop(self) -> None:
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join()
