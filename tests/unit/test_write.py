import os
from pathlib import Path

import pytest

from generator.errors import BriefingError
from generator.write import publish


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_publish_replaces_the_folder_exactly(tmp_path: Path) -> None:
    output = tmp_path / "output"
    publish({"index.html": b"one", "a/b.html": b"two", "old.html": b"x"}, output)
    changed = publish({"index.html": b"one", "a/b.html": b"TWO"}, output)
    assert tree(output) == {"a/b.html": b"TWO", "index.html": b"one"}
    assert changed == 1
    assert [p.name for p in tmp_path.iterdir()] == ["output"]  # no temporary folders left


def test_unchanged_files_keep_their_modification_time(tmp_path: Path) -> None:
    output = tmp_path / "output"
    publish({"same.html": b"same", "edit.html": b"v1"}, output)
    old_time = 1_000_000_000
    os.utime(output / "same.html", (old_time, old_time))
    os.utime(output / "edit.html", (old_time, old_time))
    publish({"same.html": b"same", "edit.html": b"v2"}, output)
    assert (output / "same.html").stat().st_mtime == old_time
    assert (output / "edit.html").stat().st_mtime != old_time


@pytest.mark.parametrize("bad", ["../escape.html", "/etc/passwd", "a/../../b", ""])
def test_paths_never_leave_the_output_folder(tmp_path: Path, bad: str) -> None:
    output = tmp_path / "output"
    publish({"index.html": b"keep"}, output)
    with pytest.raises(BriefingError, match="outside the output folder"):
        publish({"index.html": b"new", bad: b"evil"}, output)
    assert tree(output) == {"index.html": b"keep"}
    assert not (tmp_path / "escape.html").exists()
