"""Watch: which events matter, and one rebuild per burst without losing the last save."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from watchdog.events import (
    DirModifiedEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from generator.watch import ChangeFilter, Debouncer, WatchRoot, is_editor_temp


@pytest.mark.parametrize(
    "name", [".post.md.swp", ".post.md.swx", "post.md~", ".#post.md", "4913", "x.tmp", ".hidden"]
)
def test_editor_temp_files_are_recognised(name: str) -> None:
    assert is_editor_temp(Path("content/park") / name)


@pytest.mark.parametrize("name", ["post.md", "herald.txt", "index.md", "4914", "style.css"])
def test_real_files_are_not_temp(name: str) -> None:
    assert not is_editor_temp(Path("content/park") / name)


def test_filter_ignores_output_cache_and_temp_files(tmp_path: Path) -> None:
    content = WatchRoot(tmp_path)
    change_filter = ChangeFilter([tmp_path / "output", tmp_path / ".briefing-cache"])
    assert change_filter.relevant(tmp_path / "content" / "park" / "post.md", content)
    assert not change_filter.relevant(tmp_path / "output" / "index.html", content)
    assert not change_filter.relevant(tmp_path / ".briefing-cache" / "ab.json", content)
    assert not change_filter.relevant(tmp_path / "content" / "park" / ".post.md.swp", content)


def test_config_root_only_sees_its_file(tmp_path: Path) -> None:
    root = WatchRoot(tmp_path, recursive=False, only="site.toml")
    change_filter = ChangeFilter([])
    assert change_filter.relevant(tmp_path / "site.toml", root)
    assert not change_filter.relevant(tmp_path / ".output.new-x1", root)
    assert not change_filter.relevant(tmp_path / "README.md", root)


def test_reads_and_folder_mtimes_do_not_count(tmp_path: Path) -> None:
    root = WatchRoot(tmp_path)
    change_filter = ChangeFilter([])
    article = str(tmp_path / "park" / "post.md")
    assert not change_filter.event_matters(FileOpenedEvent(article), root)
    assert not change_filter.event_matters(FileClosedNoWriteEvent(article), root)
    assert not change_filter.event_matters(DirModifiedEvent(str(tmp_path / "park")), root)
    assert change_filter.event_matters(FileModifiedEvent(article), root)
    assert not change_filter.event_matters(FileCreatedEvent(article + ".swp"), root)


def test_rename_over_from_a_temp_file_counts(tmp_path: Path) -> None:
    root = WatchRoot(tmp_path)
    change_filter = ChangeFilter([])
    temp, real = str(tmp_path / "park" / ".post.md.swp"), str(tmp_path / "park" / "post.md")
    assert change_filter.event_matters(FileMovedEvent(temp, real), root)
    assert not change_filter.event_matters(FileMovedEvent(temp, temp + "x"), root)


class Recorder:
    """An action that counts its runs and can be held inside a run."""

    def __init__(self) -> None:
        self.runs = 0
        self.kinds: list[frozenset[str]] = []
        self.started = threading.Event()
        self.release = threading.Event()
        self.release.set()

    def __call__(self, kinds: frozenset[str]) -> None:
        self.runs += 1
        self.kinds.append(kinds)
        self.started.set()
        assert self.release.wait(5)


def test_a_burst_of_saves_is_one_rebuild() -> None:
    action = Recorder()
    debouncer = Debouncer(action, quiet=0.05, longest=2.0)
    debouncer.start()
    try:
        for _ in range(30):
            debouncer.poke()
        assert action.started.wait(5)
        assert debouncer.wait_idle(5)
        assert action.runs == 1
    finally:
        debouncer.stop()


def test_a_change_during_a_rebuild_schedules_another() -> None:
    action = Recorder()
    action.release.clear()
    debouncer = Debouncer(action, quiet=0.01)
    debouncer.start()
    try:
        debouncer.poke()
        assert action.started.wait(5)
        debouncer.poke()  # the save arrives while the first rebuild is still running
        assert debouncer.pending()
        action.release.set()
        assert debouncer.wait_idle(5)
        assert action.runs == 2
    finally:
        debouncer.stop()


def test_nothing_runs_without_a_change_and_stop_ends_the_thread() -> None:
    action = Recorder()
    debouncer = Debouncer(action, quiet=0.01)
    debouncer.start()
    assert debouncer.wait_idle(1)
    debouncer.stop()
    assert action.runs == 0
    assert not any(thread.name == "briefing-rebuild" for thread in threading.enumerate())


def test_a_finished_write_settles_the_burst_sooner(tmp_path: Path) -> None:
    root = WatchRoot(tmp_path)
    change_filter = ChangeFilter([])
    article = str(tmp_path / "park" / "post.md")
    assert change_filter.settles(FileClosedEvent(article), root)
    assert change_filter.settles(FileMovedEvent(article + ".swp", article), root)
    assert not change_filter.settles(FileModifiedEvent(article), root)
    assert not change_filter.settles(FileMovedEvent(article, article + "~"), root)


def test_settled_pokes_wait_less_but_a_later_write_extends_the_burst() -> None:
    action = Recorder()
    debouncer = Debouncer(action, quiet=5.0, longest=10.0, settled_quiet=0.01)
    debouncer.start()
    try:
        debouncer.poke()
        debouncer.poke("theme", settled=True)  # the file was closed: the burst is over soon
        assert action.started.wait(2)
        assert action.kinds == [frozenset({"content", "theme"})]
        action.started.clear()
        debouncer.poke(settled=True)
        debouncer.poke()  # ... unless another write starts: then wait the full quiet time
        assert not action.started.wait(0.2)
        assert action.runs == 1
    finally:
        debouncer.stop()
