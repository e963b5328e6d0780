import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.errors import BriefingError
from generator.write import HashedPiece, publish, recorded_files


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


# --- the retired site is kept and updated into the next one --------------------------


def publish_kept(files: dict[str, bytes], output: Path) -> int:
    return publish(files, output, output.parent / "manifests")


def test_the_retired_site_is_kept_and_updated_into_the_next(tmp_path: Path) -> None:
    output = tmp_path / "output"
    spare = tmp_path / "manifests" / "spare"
    sites = [
        {"index.html": b"v1", "a/one.html": b"one", "a/two.html": b"two", "gone/x.html": b"x"},
        {"index.html": b"v2", "a/one.html": b"one", "a/two.html": b"two", "gone/x.html": b"x"},
        {"index.html": b"v3", "a/one.html": b"one", "a/two.html": b"TWO", "b/new.html": b"n"},
        {"index.html": b"v3", "a/one.html": b"one", "a/two.html": b"TWO", "b/new.html": b"n"},
    ]
    publish_kept(sites[0], output)
    assert tree(spare) == sites[0]  # nothing was retired: the spare links the new site
    for path in sites[0]:
        assert os.stat(spare / path).st_ino == os.stat(output / path).st_ino
    for number, files in enumerate(sites[1:], start=1):
        before = {path: os.stat(output / path) for path in tree(output)}
        changed = publish_kept(files, output)
        assert tree(output) == files
        assert tree(spare) == sites[number - 1]  # the site just retired, whole
        kept = [path for path in files if path in before and sites[number - 1][path] == files[path]]
        for path in kept:  # the very same file: same inode, same modification time
            now = os.stat(output / path)
            assert (now.st_ino, now.st_mtime_ns) == (before[path].st_ino, before[path].st_mtime_ns)
        assert changed == len(files) - len(kept)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifests", "output"]


def test_a_first_publish_keeps_as_spare_the_files_it_published(tmp_path: Path) -> None:
    """The spare of a first publish is linked as the files are placed: a path met again
    in a later piece is the later file there too, and nothing else is left beside."""
    output = tmp_path / "output"

    def pieces() -> Iterator[dict[str, bytes]]:
        yield {"index.html": b"first", "a/b/deep.html": b"deep"}
        yield {"index.html": b"second", "a/page.html": b"page"}

    publish({"top.html": b"top"}, output, tmp_path / "manifests", pieces=pieces())
    spare = tmp_path / "manifests" / "spare"
    wanted = {"top.html": b"top", "index.html": b"second", "a/b/deep.html": b"deep",
              "a/page.html": b"page"}  # fmt: skip
    assert tree(output) == tree(spare) == wanted
    for path in wanted:
        assert os.stat(spare / path).st_ino == os.stat(output / path).st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifests", "output"]
    assert publish_kept({**wanted, "index.html": b"third"}, output) == 1
    assert tree(spare) == wanted  # (the first site, retired)


def test_a_first_publish_without_hard_links_keeps_no_spare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(source: str, target: str) -> None:
        raise PermissionError(target)

    monkeypatch.setattr(os, "link", refuse)
    output = tmp_path / "output"
    files = {"index.html": b"home", "a/page.html": b"page"}
    publish_kept(files, output)
    assert tree(output) == files
    assert not (tmp_path / "manifests" / "spare").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifests", "output"]
    publish_kept({**files, "index.html": b"new"}, output)  # (copies where links fail)
    assert tree(output) == {**files, "index.html": b"new"}


def test_whatever_was_added_to_a_retired_site_is_not_published(tmp_path: Path) -> None:
    output = tmp_path / "output"
    files = {"index.html": b"home", "a/page.html": b"page", "b/c/deep.html": b"deep"}
    publish_kept(files, output)
    publish_kept(files, output)
    spare = tmp_path / "manifests" / "spare"
    (spare / "CNAME").write_bytes(b"added by hand")
    (spare / "a" / "page.html").unlink()
    (spare / "a" / "page.html").write_bytes(b"replaced by hand")  # a new inode
    shutil.rmtree(spare / "b")
    (spare / "b").write_bytes(b"a file where a folder belongs")
    (spare / "index.html").unlink()
    (spare / "index.html").mkdir()  # a folder where a file belongs
    (spare / "empty").mkdir()
    publish_kept(files, output)
    assert tree(output) == files
    assert not (output / "CNAME").exists()


def test_a_publish_killed_while_updating_the_retired_site_loses_nothing(
    tmp_path: Path,
) -> None:
    output = tmp_path / "output"
    first = {"index.html": b"one", "a/page.html": b"page"}
    publish_kept(first, output)
    publish_kept({**first, "index.html": b"two"}, output)

    def pieces() -> Iterator[dict[str, bytes]]:
        yield {"index.html": b"three"}
        raise KeyboardInterrupt  # killed half-way

    with pytest.raises(KeyboardInterrupt):
        publish({}, output, tmp_path / "manifests", pieces=pieces())
    assert tree(output) == {**first, "index.html": b"two"}
    assert publish_kept({**first, "index.html": b"four"}, output) == 1
    assert tree(output) == {**first, "index.html": b"four"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifests", "output"]


# --- the checks of the previous site made ahead, in a child process -------------------


def published_twice(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """An output folder published twice with a manifest (so a spare site is kept)."""
    output, manifests = tmp_path / "output", tmp_path / "manifests"
    files = {"index.html": b"home", "a/page.html": b"page", "b/c/deep.html": b"deep"}
    publish(files, output, manifests)
    publish({**files, "index.html": b"home 2"}, output, manifests)
    return output, manifests, {**files, "index.html": b"home 2"}


def listed_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders this process lists to learn what a kept site holds."""
    from generator import write

    listed: list[str] = []
    original = write._inodes

    def counted(root: str) -> dict[str, int]:
        listed.append(root)
        return original(root)

    monkeypatch.setattr(write, "_inodes", counted)
    return listed


def test_a_survey_made_ahead_spares_publish_its_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.write import SurveyAhead, recorded_files, survey_output

    output, manifests, files = published_twice(tmp_path)
    assert survey_output(output, manifests).stale == frozenset()
    ahead = SurveyAhead(output, manifests)
    assert ahead.pid, "a child process makes the survey"
    listed = listed_here(monkeypatch)
    carried = dict(recorded_files(manifests))
    del carried["index.html"]
    before = os.stat(output / "a" / "page.html")
    publish({"index.html": b"home 3"}, output, manifests, carried=carried, ahead=ahead)
    assert tree(output) == {**files, "index.html": b"home 3"}
    assert listed == []  # the kept site was not listed again here
    now = os.stat(output / "a" / "page.html")
    assert (now.st_ino, now.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert tree(tmp_path / "manifests" / "spare") == files
    assert ahead.result() is ahead.result()  # (waited for once)


def test_a_survey_is_left_once_another_publish_changed_what_it_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.write import SurveyAhead, recorded_files

    output, manifests, files = published_twice(tmp_path)
    ahead = SurveyAhead(output, manifests)
    assert ahead.result() is not None  # the survey is made of the site before the other build
    publish({**files, "a/page.html": b"page 2"}, output, manifests)  # another build
    listed = listed_here(monkeypatch)
    carried = recorded_files(manifests)
    publish({"index.html": b"home 3"}, output, manifests, carried=carried, ahead=ahead)
    assert tree(output) == {**files, "a/page.html": b"page 2", "index.html": b"home 3"}
    assert len(listed) == 1  # the kept site listed here, as without a survey


def test_a_file_changed_in_the_output_is_found_by_the_survey(tmp_path: Path) -> None:
    from generator.write import CarryOverError, SurveyAhead, recorded_files, survey_output

    output, manifests, _ = published_twice(tmp_path)
    with open(output / "a" / "page.html", "r+b") as stream:  # edited in place, same inode
        stream.write(b"PAGE")
    (output / "b" / "c" / "deep.html").unlink()
    assert survey_output(output, manifests).stale == {"a/page.html", "b/c/deep.html"}
    ahead = SurveyAhead(output, manifests)
    with pytest.raises(CarryOverError):
        publish({}, output, manifests, carried=recorded_files(manifests), ahead=ahead)
    assert tree(output)["a/page.html"] == b"PAGE"  # nothing was published


def test_no_survey_is_made_of_a_site_never_published(tmp_path: Path) -> None:
    from generator.write import SurveyAhead

    ahead = SurveyAhead(tmp_path / "output", tmp_path / "manifests")
    assert ahead.pid == 0 and ahead.result() is None


def walked_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders this process walks to compare a site with its manifest."""
    from generator import write

    walked: list[str] = []
    original = write._files

    def counted(root: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
        walked.append(root)
        return original(root)

    monkeypatch.setattr(write, "_files", counted)
    return walked


@pytest.mark.parametrize("change", ["none", "extra file", "edited file", "missing file"])
def test_whether_the_output_is_current_comes_from_the_survey(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    from generator.write import SurveyAhead, output_is_current

    output, manifests = tmp_path / "output", tmp_path / "manifests"
    files = {"index.html": b"home", "a/page.html": b"page"}
    publish(files, output, manifests, stamp="made from this")
    if change == "extra file":
        (output / "a" / "CNAME").write_bytes(b"added")
    elif change == "edited file":
        (output / "index.html").write_bytes(b"HOME")
    elif change == "missing file":
        (output / "a" / "page.html").unlink()
    ahead = SurveyAhead(output, manifests)
    walked = walked_here(monkeypatch)
    assert output_is_current(output, manifests, "made from this", ahead) == (change == "none")
    assert not output_is_current(output, manifests, "made from something else", ahead)
    assert walked == []  # the child walked the output folder, this process did not
    assert output_is_current(output, manifests, "made from this") == (change == "none")
    assert len(walked) == 1


def test_a_survey_of_an_older_manifest_does_not_tell_whether_the_output_is_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.write import SurveyAhead, output_is_current

    output, manifests = tmp_path / "output", tmp_path / "manifests"
    publish({"index.html": b"home"}, output, manifests, stamp="first")
    ahead = SurveyAhead(output, manifests)
    assert ahead.result() is not None  # the survey is made of the site before the other build
    publish({"index.html": b"home 2"}, output, manifests, stamp="second")  # another build
    walked = walked_here(monkeypatch)
    assert output_is_current(output, manifests, "second", ahead)
    assert not output_is_current(output, manifests, "first", ahead)
    assert len(walked) == 1  # checked here: the survey saw the site before


def test_a_stamp_that_differs_is_known_before_the_survey_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child sends the manifest's stamp first: a build whose stamp differs goes on
    at once; when the rest of the survey never comes, the build checks by itself."""
    from generator import write

    output, manifests = tmp_path / "output", tmp_path / "manifests"
    publish({"index.html": b"home"}, output, manifests, stamp="made from this")

    def failing(output_dir: Path, manifest_dir: Path) -> write.OutputSurvey:
        raise RuntimeError("the child fails after sending the stamp")

    monkeypatch.setattr(write, "survey_output", failing)  # (in the child forked next)
    ahead = write.SurveyAhead(output, manifests)
    assert not write.output_is_current(output, manifests, "made from that", ahead)
    assert ahead.recorded_stamp() is not None and ahead.recorded_stamp()[1] == "made from this"
    assert write.output_is_current(output, manifests, "made from this", ahead)
    assert ahead.result() is None and ahead.pid == 0


def test_a_survey_not_wanted_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from generator import write

    output, manifests = tmp_path / "output", tmp_path / "manifests"
    publish({"index.html": b"home"}, output, manifests, stamp="made from this")
    monkeypatch.setattr(write, "survey_output", lambda *_: time.sleep(60))
    ahead = write.SurveyAhead(output, manifests)
    child = ahead.pid
    started = time.monotonic()
    ahead.close()
    assert time.monotonic() - started < 30  # (not waited for: stopped)
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # reaped


def test_a_piece_with_its_hashes_is_published_as_one_without(tmp_path: Path) -> None:
    """The hashes a worker made with the bytes are the ones the manifest records, and
    the next build carries the files over by them."""
    files = {"index.html": b"home", "a/page.html": b"page"}
    digests = {path: hashlib.sha256(content).hexdigest() for path, content in files.items()}
    manifests = tmp_path / "manifests"
    assert publish({}, tmp_path / "output", manifests, pieces=[HashedPiece(files, digests)]) == 2
    assert tree(tmp_path / "output") == files
    assert recorded_files(manifests) == digests
    assert publish({}, tmp_path / "output", manifests, pieces=[HashedPiece(files, digests)]) == 0
