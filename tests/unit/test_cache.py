"""The site-wide indexes: written whole, or as a delta against the file last written
whole, and read back as the value last written either way."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from generator.cache import DELTA_SUFFIX, as_read, index_stat, read_index, write_index

KEY, FIELD = "key-1", "files"


def index_value(entries: int) -> dict[str, Any]:
    """A value shaped as the file index's: two dicts of entries and a plain item."""
    return {
        "files": {f"content/s{n}/a.txt": [[n, 10, 20, 30], f"d{n}", []] for n in range(entries)},
        "folders": {f"content/s{n}": ["stamp", f"k{n}", None, []] for n in range(entries // 5)},
        "root": ["content", "."],
    }


def written_whole(path: Path, value: dict[str, Any]) -> bytes:
    write_index(path, KEY, value, FIELD)
    assert not delta_of(path).exists()
    return path.read_bytes()


def delta_of(path: Path) -> Path:
    return path.with_name(path.name + DELTA_SUFFIX)


def edited(value: dict[str, Any]) -> dict[str, Any]:
    """`value` with one entry changed, one removed, one added and its item changed."""
    new = copy.deepcopy(value)
    new["files"]["content/s3/a.txt"] = [[3, 11, 21, 31], "changed", []]
    del new["files"]["content/s5/a.txt"]
    new["files"]["content/new/a.txt"] = [[99, 1, 2, 3], "added", []]
    new["root"] = ["elsewhere", "."]
    return new


def test_a_small_change_is_written_as_a_delta_and_read_back_whole(tmp_path: Path) -> None:
    path = tmp_path / "files.index"
    base_bytes = written_whole(path, index_value(100))
    new = edited(read_index(path, KEY, FIELD))
    write_index(path, KEY, new, FIELD, base=as_read(index_value(100)))
    assert path.read_bytes() == base_bytes  # the base is not written again
    assert delta_of(path).exists()
    assert read_index(path, KEY, FIELD) == new


def test_deltas_accumulate_against_the_same_base(tmp_path: Path) -> None:
    path = tmp_path / "files.index"
    base_bytes = written_whole(path, index_value(100))
    first = edited(read_index(path, KEY, FIELD))
    write_index(path, KEY, first, FIELD, base=as_read(index_value(100)))
    read = read_index(path, KEY, FIELD)
    assert read == first
    second = copy.deepcopy(read)
    second["files"]["content/s5/a.txt"] = [[5, 10, 20, 30], "d5", []]  # back again
    del second["files"]["content/new/a.txt"]  # added by the first delta, now gone
    second["files"]["content/s7/a.txt"][1] = "second"
    write_index(path, KEY, second, FIELD, base=as_read(read))
    assert path.read_bytes() == base_bytes
    assert read_index(path, KEY, FIELD) == second


def test_a_big_change_writes_the_whole_index_and_drops_the_delta(tmp_path: Path) -> None:
    path = tmp_path / "files.index"
    written_whole(path, index_value(100))
    write_index(path, KEY, edited(read_index(path, KEY, FIELD)), FIELD, base=index_value(100))
    assert delta_of(path).exists()
    read = read_index(path, KEY, FIELD)
    rewritten = {**read, "files": {name: [[0, 0, 0, 0], "new", []] for name in read["files"]}}
    write_index(path, KEY, rewritten, FIELD, base=as_read(read))
    assert not delta_of(path).exists()
    assert read_index(path, KEY, FIELD) == rewritten


def test_without_what_was_read_the_index_is_written_whole(tmp_path: Path) -> None:
    path = tmp_path / "files.index"
    written_whole(path, index_value(100))
    new = edited(index_value(100))
    write_index(path, KEY, new, FIELD, base=as_read(index_value(100)))  # never read here
    assert not delta_of(path).exists()
    assert read_index(path, KEY, FIELD) == new


def test_a_base_written_since_it_was_read_is_not_given_a_delta(tmp_path: Path) -> None:
    path = tmp_path / "files.index"
    written_whole(path, index_value(100))
    read = read_index(path, KEY, FIELD)
    other = index_value(120)
    write_index(path.with_name("copy.index"), KEY, other, FIELD)
    path.with_name("copy.index").replace(path)  # another build wrote it whole meanwhile
    write_index(path, KEY, edited(read), FIELD, base=as_read(index_value(100)))
    assert not delta_of(path).exists()
    assert read_index(path, KEY, FIELD) == edited(read)


def test_a_corrupt_or_foreign_delta_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "files.index"
    written_whole(path, index_value(100))
    write_index(path, KEY, edited(read_index(path, KEY, FIELD)), FIELD, base=index_value(100))
    delta = delta_of(path).read_bytes()
    delta_of(path).write_bytes(delta[:-3] + b"xyz")  # the checksum no longer holds
    assert read_index(path, KEY, FIELD) == index_value(100)
    delta_of(path).write_bytes(delta)
    assert read_index(path, KEY, FIELD) == edited(index_value(100))
    written_whole(path, index_value(100) | {"root": ["new base"]})
    delta_of(path).write_bytes(delta)  # a delta made for the base before
    assert read_index(path, KEY, FIELD) == index_value(100) | {"root": ["new base"]}
    assert read_index(path, "another key", FIELD) is None


def test_index_stat_changes_with_the_delta(tmp_path: Path) -> None:
    path = tmp_path / "files.index"
    written_whole(path, index_value(100))
    before = index_stat(path)
    write_index(path, KEY, edited(read_index(path, KEY, FIELD)), FIELD, base=index_value(100))
    assert index_stat(path) != before and index_stat(path)[0] == before[0]
