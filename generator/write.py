"""Write: put a rendered site in place all at once, never half-written.

The new site is written into a temporary folder `.<output>.new-*` beside the output
folder, then swapped in.  On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`:
a reader sees the whole old site or the whole new one and `output/` always exists.
Elsewhere (or on a file system without exchange) it is two renames, output -> `.old-*`
then staging -> output, with a window of microseconds where `output/` is missing.

A build killed at any point leaves the previous `output/` whole; the next build removes
its leftovers and, if the kill fell between the two renames, first renames the retired
site back.  A file whose bytes did not change is carried over with its modification
time, so a sync tool uploads only what changed: hard-linked from the previous site (a
copy where links are not possible).  Whether its bytes changed is read from a manifest
in the cache folder (each file's hash with the size, modification time and inode it had
when written); a file whose stat no longer matches the manifest is compared byte by byte.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import marshal
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from generator.cache import as_read, index_stat, read_index, replace_file, write_index
from generator.errors import BriefingError, Problem

MANIFEST_NAME = "output-manifest.index"
LEGACY_MANIFEST_NAME = "output-manifest.json"  # (JSON, before)
MANIFEST_KEY = "output-manifest-2"  # 2: path -> (sha256, (size, mtime_ns, inode))
SPARE_NAME = "spare"  # in the manifest folder: the site the last publish retired
Stat = tuple[int, int, int]  # size, mtime_ns, inode


_PLAIN_PATH = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*")


def safe_name(relative: str) -> str:
    """`relative` as a path inside the output folder (`a/b.html`); `safe_relative_path`
    refuses any other.  (The common case is checked without parsing it.)"""
    if _is_plain(relative):
        return relative
    return safe_relative_path(relative).as_posix()


def _is_plain(relative: str) -> bool:
    """A relative path of plain names (letters, digits, `_-.`), none of them `..`."""
    return _PLAIN_PATH.fullmatch(relative) is not None and ".." not in relative


def safe_relative_path(relative: str) -> PurePosixPath:
    """Refuse any path that could leave the output folder."""
    path = PurePosixPath(relative)
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts):
        raise BriefingError(Problem(relative, "refusing to write a path outside the output folder"))
    return path


@dataclass(frozen=True)
class Carried:
    """In a piece, instead of bytes: the previous site's file, which must have this
    sha256 (as `publish`'s `carried`)."""

    digest: str


class HashedPiece(dict[str, bytes]):
    """A piece of files (path -> bytes) whose sha256 are known (`digests`: path -> hex
    digest, made where the bytes were): `publish` does not hash them again."""

    def __init__(self, files: Mapping[str, bytes], digests: Mapping[str, str]) -> None:
        super().__init__(files)
        self.digests = digests


class CarryOverError(Exception):
    """A file `publish` was told to carry over is not in the previous site as recorded;
    nothing was published (the caller renders it and publishes again)."""


def publish(
    files: Mapping[str, bytes],
    output_dir: Path,
    manifest_dir: Path | None = None,
    stamp: str = "",
    carried: Mapping[str, str] | None = None,
    pieces: Iterable[Mapping[str, bytes | Carried]] = (),
    ahead: SurveyAhead | None = None,
) -> int:
    """Replace `output_dir` with exactly `files` plus `carried` plus `pieces`; return how
    many files changed.

    `pieces` are more files, made while they are written (so that the whole site's bytes
    are never in memory at once): a path met again, in a later piece, takes the later
    bytes, as in `dict.update`; an exception raised while making them publishes nothing.
    A piece's file may also be `Carried` over.

    `carried` names files not rendered again, each with the sha256 its bytes must have:
    they are linked from the previous site when the manifest records that hash and the
    file's stat still matches, else `CarryOverError` is raised and nothing is published.
    With a `manifest_dir` the hashes of the files written are kept there (with `stamp`,
    what the caller says the site is made from) for the next build's comparisons, and
    the site this publish retires is kept there too (`SPARE_NAME`): the next publish
    updates it into the new site instead of linking every file again.  `ahead`: the
    checks of both made while the build was rendering (`SurveyAhead`), used when the
    manifest and the kept site are still the ones it checked."""
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    with _locked(output_dir.parent):
        recovered = _recover(output_dir)
        previous = _read_manifest(manifest_dir)[1] if manifest_dir is not None else {}
        survey = ahead.result() if ahead is not None and not recovered else None
        if survey is not None and manifest_dir is not None and not survey.holds(manifest_dir):
            survey = None  # (another build published meanwhile)
        staging = _staging_folder(output_dir)
        held = _adopt_spare(manifest_dir, staging, survey)
        first = manifest_dir is not None and not held and not output_dir.exists()
        mirror = _staging_folder(output_dir) if first else None  # (the spare, made meanwhile)
        tree = _Tree(staging, output_dir, previous, held, survey.stale if survey else None, mirror)
        try:
            tree.put_all(files)
            tree.carry_all({path: digest for path, digest in (carried or {}).items()
                            if path not in files})  # fmt: skip
            for piece in pieces:
                tree.put_all(piece)
            written = tree.finish()
            os.chmod(staging, 0o755)  # mkdtemp makes 0700; the site is for everyone to read
            spare = manifest_dir / SPARE_NAME if manifest_dir else None
            _swap(staging, output_dir, spare, Path(tree.mirror) if tree.mirror else None)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            if mirror is not None and mirror.exists():
                shutil.rmtree(mirror, ignore_errors=True)  # (not made the spare)
        if manifest_dir is not None:
            _write_manifest(manifest_dir, stamp, written)
    return tree.changed


def _staging_folder(output_dir: Path) -> Path:
    """A new, empty, hidden folder beside the output folder (same file system)."""
    return Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))


def _adopt_spare(
    manifest_dir: Path | None, staging: Path, survey: OutputSurvey | None = None
) -> dict[str, int]:
    """Move the site retired by the last publish, if kept, into the empty `staging`
    folder; what it holds: path -> inode (as `survey` found it, when the spare is still
    the folder it listed).  (A build killed from here on leaves it as a staging
    folder, which recovery removes.)"""
    spare = manifest_dir / SPARE_NAME if manifest_dir is not None else None
    if spare is None or not spare.is_dir() or spare.is_symlink():
        return {}
    listed = None  # (compared before the move, which gives the folder a new change time)
    if survey is not None and survey.spare is not None and survey.spare == _folder_id(spare):
        listed = survey.spare_files
    try:
        os.replace(spare, staging)  # (an empty folder is replaced)
    except OSError:
        shutil.rmtree(spare, ignore_errors=True)
        return {}
    return dict(listed) if listed is not None else _inodes(os.fspath(staging))


def _folder_id(folder: Path) -> tuple[int, int] | None:
    """A folder's inode and change time: a folder renamed (as the spare is at every
    publish) or given or stripped of an entry has another."""
    try:
        stat = os.lstat(folder)
    except OSError:
        return None
    return (stat.st_ino, stat.st_ctime_ns)


def _manifest_key(manifest_dir: Path | None) -> object:
    return index_stat(manifest_dir / MANIFEST_NAME) if manifest_dir is not None else None


@dataclass(frozen=True)
class OutputSurvey:
    """What a build checks of the previous site and of the kept one, found beforehand:
    the manifest's stat (`index_stat`) and stamp; the files it records whose stat in the
    output folder is not the recorded one or that are missing (None when the folder
    could not be read whole), and how many files the folder holds that it does not
    record; the spare's identity (`_folder_id`) with its files (path -> inode)."""

    manifest: object
    stamp: str
    stale: frozenset[str] | None
    unrecorded: int
    spare: tuple[int, int] | None
    spare_files: Mapping[str, int]

    def holds(self, manifest_dir: Path) -> bool:
        """Whether it describes the manifest there now (no build published since)."""
        return self.manifest == _manifest_key(manifest_dir)


def survey_output(output_dir: Path, manifest_dir: Path) -> OutputSurvey:
    """The checks of `OutputSurvey`, made now."""
    manifest = _manifest_key(manifest_dir)
    stamp, files = _read_manifest(manifest_dir)
    stale: frozenset[str] | None = None
    unrecorded = 0
    try:
        wrong, seen = [], set()
        for name, entry in _files(os.fspath(output_dir.resolve())):
            recorded = files.get(name)
            if recorded is None:
                unrecorded += 1
                continue
            seen.add(name)
            if _entry_stat(entry) != recorded[1]:
                wrong.append(name)
        stale = frozenset(wrong).union(files.keys() - seen)  # (changed, or missing)
    except OSError:
        pass
    spare, spare_files = _spare_listing(manifest_dir / SPARE_NAME)
    return OutputSurvey(manifest, stamp, stale, unrecorded, spare, spare_files)


def _spare_listing(spare: Path) -> tuple[tuple[int, int] | None, dict[str, int]]:
    """The spare's identity and files (`OutputSurvey`); (None, {}) when it cannot be listed
    or changed while listed."""
    identity = _folder_id(spare)
    if identity is None:
        return None, {}
    try:
        files = _inodes(os.fspath(spare))
    except OSError:
        return None, {}
    return (identity, files) if _folder_id(spare) == identity else (None, {})


class SurveyAhead:
    """`survey_output` in a child process (forked: it has the build's memory), made while
    the build plans and renders on the core the child does not use; `result` waits for
    it.  Where there is no `fork` (or threads run, which a fork would not copy) the
    survey is not made ahead and `result` is None: the build then checks as it goes.

    What the survey found stands for the rest of the build: a file edited by hand in the
    output folder, or in the spare's sub-folders, while a build runs may be missed by
    that build (as one edited after it was checked always could), never by the next."""

    def __init__(self, output_dir: Path, manifest_dir: Path) -> None:
        self.pid = 0
        self.stream: BinaryIO | None = None
        self.stamp: tuple[object, str] | None = None  # (`recorded_stamp`)
        self.survey: OutputSurvey | None = None
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return
        if not output_dir.exists() or not (manifest_dir / MANIFEST_NAME).exists():
            return  # (nothing published before: nothing to check)
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: survey, send, and leave at once (no clean-up of the parent's)
            code = 1
            try:
                os.close(reader)
                with os.fdopen(writer, "wb", buffering=0) as stream:
                    _survey_and_send(output_dir, manifest_dir, stream)
                code = 0
            finally:
                os._exit(code)
        os.close(writer)
        self.pid, self.stream = pid, os.fdopen(reader, "rb")

    def recorded_stamp(self) -> tuple[object, str] | None:
        """The manifest's stat (`index_stat`) and stamp, which the child sends before it
        surveys (so that a build told that the stamp differs need not wait for it)."""
        if self.stamp is None and self.stream is not None:
            try:
                manifest, stamp = _frame(self.stream)
                self.stamp = (manifest, stamp)
            except (OSError, ValueError, EOFError, TypeError):
                self.close()
        return self.stamp

    def result(self) -> OutputSurvey | None:
        """The child's survey (waited for the first time), or None when it failed."""
        if self.recorded_stamp() is None or self.stream is None:
            return self.survey
        try:
            stale, unrecorded, spare, spare_files = _frame(self.stream)
            manifest, stamp = self.stamp or ((), "")
            stale = frozenset(stale) if stale is not None else None
            self.survey = OutputSurvey(manifest, stamp, stale, unrecorded, spare, spare_files)
        except (OSError, ValueError, EOFError, TypeError):
            pass
        self.close()
        return self.survey

    def close(self) -> None:
        """Let the child go (stopped, if it is still at work: its survey is not wanted)."""
        if self.stream is not None:
            with suppress(OSError):
                self.stream.close()
            self.stream = None
        if self.pid:
            with suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)  # (a child already gone is not hurt)
            with suppress(OSError):
                os.waitpid(self.pid, 0)
            self.pid = 0


def _survey_and_send(output_dir: Path, manifest_dir: Path, stream: BinaryIO) -> None:
    """(In `SurveyAhead`'s child.)  Two frames: the manifest's stat and stamp, then the
    rest of the survey."""
    stamp = _read_manifest(manifest_dir)[0]
    _send(stream, (_manifest_key(manifest_dir), stamp))
    survey = survey_output(output_dir, manifest_dir)
    stale = sorted(survey.stale) if survey.stale is not None else None
    _send(stream, (stale, survey.unrecorded, survey.spare, dict(survey.spare_files)))


def _send(stream: BinaryIO, value: object) -> None:
    data = marshal.dumps(value)
    stream.write(len(data).to_bytes(8, "big") + data)


def _frame(stream: BinaryIO) -> Any:
    """The next value `_send` sent; EOFError when the sender stopped short."""
    size = int.from_bytes(stream.read(8), "big")
    data = stream.read(size)
    if len(data) != size or size == 0:
        raise EOFError("the survey stopped short")
    return marshal.loads(data)


def _inodes(root: str) -> dict[str, int]:
    """Every file (anything but a folder) under `root`: relative path -> inode."""
    return {name: entry.inode() for name, entry in _files(root)}


def _files(root: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every file under `root` (anything but a folder: a link is a file here, never
    followed) with its path relative to `root`; OSError when a folder cannot be read."""
    folders = [("", root)]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((f"{prefix}{entry.name}/", entry.path))
                else:
                    yield prefix + entry.name, entry


class _Tree:
    """The new site being put together in `staging`.  Each file is either the previous
    site's file (hard-linked: same bytes, same modification time) or written anew.
    `staging` may start out holding an older site (`held`: path -> inode): a file that
    already is the wanted one (the same inode as the previous site's) is left alone, any
    other is replaced, and whatever the new site does not have is removed at `finish`.
    Nothing is ever written through an existing file: it may be the previous site's."""

    def __init__(
        self,
        staging: Path,
        previous: Path,
        manifest: Mapping[str, tuple[str, Stat]],
        held: dict[str, int],
        stale: frozenset[str] | None = None,
        mirror: Path | None = None,
    ) -> None:
        self.root, self.previous_root = os.fspath(staging), os.fspath(previous)
        self.manifest = manifest
        self.held = held
        self.stale = stale  # (`OutputSurvey.stale`: the others have their recorded stat)
        self.wanted: dict[str, tuple[str, Stat | None]] = {}  # path -> (sha256, stat)
        self.folders: set[str] = set()  # folders known to exist in staging
        self.changed = 0
        # A first publish (no previous site, no spare) links each file it places into
        # `mirror` too, while the build still renders: the spare, ready when it is done.
        self.mirror = os.fspath(mirror) if mirror is not None else None
        self.mirrored: set[str] = set()  # files and folders the mirror holds

    def put_all(self, piece: Mapping[str, bytes | Carried]) -> None:
        digests = piece.digests if isinstance(piece, HashedPiece) else {}
        for relative in sorted(piece):
            content = piece[relative]
            if isinstance(content, Carried):
                self.carry(relative, content.digest)
            else:
                self.put(relative, content, digests.get(relative))

    def put(self, relative: str, content: bytes, digest: str | None = None) -> None:
        """The file `relative` holds `content` (the previous site's file when it holds
        the same bytes); `digest`: its sha256, when known."""
        name = safe_name(relative)
        digest = digest or _sha256(content)
        old = os.path.join(self.previous_root, name)
        old_stat = _stat(old)
        recorded = self.manifest.get(name)
        if recorded is not None and recorded[1] == old_stat:
            same = recorded[0] == digest
        else:
            same = old_stat is not None and _same_bytes(old, content)
        if not (same and old_stat is not None and self._link_previous(name, old_stat, digest)):
            self._write(name, content, digest)

    def carry_all(self, carried: Mapping[str, str]) -> None:
        """`carry` each of `carried` (path -> sha256): thousands of files in a large
        site, so the common case, a file the staging folder already holds as the
        previous site's, is handled here without a call per file."""
        manifest, held, wanted, stale = self.manifest, self.held, self.wanted, self.stale
        previous_root = self.previous_root + os.sep
        lstat = os.lstat
        for relative in sorted(carried):
            digest = carried[relative]
            recorded = manifest.get(relative)
            if recorded is None or recorded[0] != digest or relative in wanted:
                self.carry(relative, digest)  # (refused there, or a path met twice)
                continue
            if not _is_plain(relative):
                self.carry(relative, digest)  # (checked, and refused, by `safe_name`)
                continue
            if stale is not None:
                if relative in stale:
                    raise CarryOverError(relative)
                old_stat = recorded[1]  # (as the survey found it)
            else:
                try:
                    stat = lstat(previous_root + relative)
                except OSError:
                    raise CarryOverError(relative) from None
                old_stat = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
                if old_stat != recorded[1]:
                    raise CarryOverError(relative)
            if held.get(relative) == old_stat[2]:
                wanted[relative] = (digest, old_stat)  # already that very file
            elif not self._link_previous(relative, old_stat, digest):
                raise CarryOverError(relative)

    def carry(self, relative: str, digest: str) -> None:
        """The previous site's file `relative`, which must have the sha256 `digest`."""
        name = safe_name(relative)
        recorded = self.manifest.get(name)
        if recorded is None or recorded[0] != digest:
            raise CarryOverError(relative)
        old_stat = _stat(os.path.join(self.previous_root, name))
        if old_stat is None or old_stat != recorded[1]:
            raise CarryOverError(relative)
        if not self._link_previous(name, old_stat, digest):
            raise CarryOverError(relative)

    def finish(self) -> dict[str, tuple[str, Stat | None]]:
        """Remove what an older site left that the new one lacks; every file's (sha256,
        stat), for the manifest."""
        for name in self.held.keys() - self.wanted.keys():
            os.unlink(os.path.join(self.root, name))
            self._remove_empty_folders(os.path.dirname(name))
        return self.wanted

    def _link_previous(self, name: str, old_stat: Stat, digest: str) -> bool:
        """Make `name` the previous site's file; False when it can be neither linked
        nor copied."""
        if self.held.get(name) == old_stat[2] and name not in self.wanted:
            self.wanted[name] = (digest, old_stat)  # already that very file
            return True
        target = os.path.join(self.root, name)
        self._make_room(name)
        try:
            os.link(os.path.join(self.previous_root, name), target)
            stat: Stat | None = old_stat
        except OSError:  # no hard links here: a copy that keeps the time
            try:
                shutil.copy2(os.path.join(self.previous_root, name), target)
            except OSError:
                return False
            stat = _stat(target)
        self.wanted[name] = (digest, stat)
        self._mirror(name, target)
        return True

    def _write(self, name: str, content: bytes, digest: str) -> None:
        target = os.path.join(self.root, name)
        self._make_room(name)
        with open(target, "xb") as stream:
            stream.write(content)
        self.wanted[name] = (digest, _stat(target))
        self.changed += 1
        self._mirror(name, target)

    def _mirror(self, name: str, target: str) -> None:
        """Link the file just placed at `target` into the mirror as `name` (replacing an
        earlier file of that name); where that fails, there is no mirror."""
        if self.mirror is None:
            return
        copy = os.path.join(self.mirror, name)
        try:
            if name in self.mirrored:
                os.unlink(copy)
            folder = os.path.dirname(name)
            if folder and folder not in self.mirrored:
                os.makedirs(os.path.dirname(copy), exist_ok=True)
                self.mirrored.add(folder)
            os.link(target, copy)
            self.mirrored.add(name)
        except OSError:
            shutil.rmtree(self.mirror, ignore_errors=True)
            self.mirror = None

    def _make_room(self, name: str) -> None:
        """Clear the way for a new file at `name`: its folders exist, nothing is there."""
        target = os.path.join(self.root, name)
        if name in self.held or name in self.wanted:
            os.unlink(target)  # (unlinked, never written through)
            self.held.pop(name, None)
            self.wanted.pop(name, None)
        elif self.held and os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target)  # an older site had a folder of that name
        folder = os.path.dirname(name)
        if folder in self.folders or not folder:
            return
        parts = folder.split("/")
        for depth in range(1, len(parts) + 1):
            above = "/".join(parts[:depth])
            if above in self.held:  # an older site had a file of that name
                os.unlink(os.path.join(self.root, above))
                del self.held[above]
        os.makedirs(os.path.join(self.root, folder), exist_ok=True)
        self.folders.add(folder)

    def _remove_empty_folders(self, folder: str) -> None:
        while folder:
            try:
                os.rmdir(os.path.join(self.root, folder))
            except OSError:
                return
            self.folders.discard(folder)
            folder = os.path.dirname(folder)


def output_is_current(
    output_dir: Path, manifest_dir: Path, stamp: str, ahead: SurveyAhead | None = None
) -> bool:
    """True when the last build recorded `stamp` and `output_dir` still holds exactly
    the files it wrote, each with the size, modification time and inode it had (and
    nothing else but folders: a link is a file here, never followed).  (As the survey
    made `ahead` found it, when it describes the manifest there now.)"""
    if not stamp:
        return False
    recorded = ahead.recorded_stamp() if ahead is not None else None
    if recorded is not None and recorded[1] != stamp and recorded[0] == _manifest_key(manifest_dir):
        return False  # (known without waiting for the survey)
    survey = ahead.result() if ahead is not None else None
    if survey is not None and survey.stale is not None and survey.holds(manifest_dir):
        return survey.stamp == stamp and not (survey.stale or survey.unrecorded)
    recorded_stamp, files = _read_manifest(manifest_dir)
    if recorded_stamp != stamp:
        return False
    found = 0
    try:
        for name, entry in _files(os.fspath(output_dir.resolve())):
            recorded = files.get(name)
            if recorded is None or _entry_stat(entry) != recorded[1]:
                return False
            found += 1
    except OSError:
        return False
    return found == len(files)  # (each found file is a different one of `files`)


def _entry_stat(entry: os.DirEntry[str]) -> Stat | None:
    try:
        stat = entry.stat(follow_symlinks=False)
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def recorded_files(manifest_dir: Path | None) -> dict[str, str]:
    """The files the last publish recorded: path -> sha256.  (What a build may pass to
    `publish` as `carried`; `publish` checks each against the output folder.)"""
    if manifest_dir is None:
        return {}
    return {name: digest for name, (digest, _) in _read_manifest(manifest_dir)[1].items()}


def _stat(path: Path | str) -> Stat | None:
    try:
        stat = os.lstat(path)
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


Manifest = tuple[str, dict[str, tuple[str, Stat]]]  # stamp, path -> (sha256, stat)
_last_manifest: dict[tuple[str, object], tuple[Manifest, dict[str, Any]]] = {}  # once a build


def _read_manifest(folder: Path | None) -> Manifest:
    """The stamp and the files (hash, stat) of the last publish; empty when unreadable.
    The manifest is checksummed and checked entry by entry, like the caches.  (Read
    again only when its own stat changed: a build asks for it more than once.)"""
    if folder is None:
        return "", {}
    return _manifest_read(folder)[0]


def _manifest_read(folder: Path) -> tuple[Manifest, dict[str, Any]]:
    """The manifest, and its value as read (for `write_index`'s `base`)."""
    path = folder / MANIFEST_NAME
    key = (os.fspath(path), index_stat(path))
    if key not in _last_manifest:
        _last_manifest.clear()
        _last_manifest[key] = _parse_manifest(path)
    return _last_manifest[key]


def _parse_manifest(path: Path) -> tuple[Manifest, dict[str, Any]]:
    """(Its entries are compared, never used otherwise: their shape is all to check.)"""
    data = read_index(path, MANIFEST_KEY, "files")
    read = as_read(data) if isinstance(data, dict) else {}
    try:
        stamp, files = data["stamp"], data["files"]
        if not isinstance(files, dict) or not all(map(_is_entry, files.values())):
            return ("", {}), read
    except (KeyError, TypeError):
        return ("", {}), read
    return ((stamp if isinstance(stamp, str) else ""), files), read


def _is_entry(value: object) -> bool:
    return type(value) is tuple and len(value) == 2 and type(value[1]) is tuple


def _write_manifest(folder: Path, stamp: str, files: Mapping[str, tuple[str, Stat | None]]) -> None:
    """(Unwritable, the next build compares bytes instead.)"""
    entries = {name: (digest, stat) for name, (digest, stat) in sorted(files.items()) if stat}
    body = {"stamp": stamp, "files": entries}
    legacy, read = folder / LEGACY_MANIFEST_NAME, _manifest_read(folder)[1]
    write_index(folder / MANIFEST_NAME, MANIFEST_KEY, body, "files", legacy, read or None)


def recover(output_dir: Path) -> None:
    """Undo what a killed build left beside `output_dir` (see the module docstring)."""
    output_dir = output_dir.resolve()
    if output_dir.parent.is_dir():
        with _locked(output_dir.parent):
            _recover(output_dir)


def _recover(output_dir: Path) -> bool:
    """(True when it found leftovers.)"""
    new, old = f".{output_dir.name}.new-", f".{output_dir.name}.old-"
    leftovers = sorted(
        (path for path in output_dir.parent.iterdir() if path.name.startswith((new, old))),
        key=lambda path: path.lstat().st_mtime_ns,
    )
    retired = [path for path in leftovers if path.name.startswith(old) and path.is_dir()]
    if retired and not output_dir.exists():
        os.replace(retired[-1], output_dir)  # killed between the two renames of `_swap`
        leftovers.remove(retired[-1])
    for path in leftovers:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
    return bool(leftovers) or bool(retired)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Two builds writing beside the same folder take turns (an flock on the folder)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no locking
        yield
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _same_bytes(path: str, content: bytes) -> bool:
    try:
        with open(path, "rb") as stream:
            return os.fstat(stream.fileno()).st_size == len(content) and stream.read() == content
    except OSError:
        return False


def _swap(
    staging: Path, output_dir: Path, spare: Path | None = None, mirror: Path | None = None
) -> None:
    """Put `staging` in place of `output_dir`; the site it retires is kept as `spare`
    (for the next publish to update) when given, else removed.  A first publish's spare
    is `mirror` (the new site's files linked as they were placed), else made now."""
    if not output_dir.exists():
        os.replace(staging, output_dir)
        if spare is not None and mirror is not None:
            _retire(mirror, spare)
        elif spare is not None:
            _link_spare(output_dir, spare)
        return
    if _exchange(staging, output_dir):
        _retire(staging, spare)  # it now holds the previous site
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
    retired.rmdir()
    os.replace(output_dir, retired)
    try:
        os.replace(staging, output_dir)
    except OSError:
        os.replace(retired, output_dir)
        raise
    _retire(retired, spare)


def _link_spare(site: Path, spare: Path) -> None:
    """Keep a hard-linked copy of a first-published `site` as the spare, so that the
    next publish finds its files already in place instead of linking every one (none
    is ever written through: see `_Tree`).  Where hard links fail there is no spare."""
    shutil.rmtree(spare, ignore_errors=True)
    try:
        shutil.copytree(site, spare, copy_function=os.link)
    except OSError:  # (shutil.Error, which gathers the failed links, is one too)
        shutil.rmtree(spare, ignore_errors=True)


def _retire(site: Path, spare: Path | None) -> None:
    if spare is not None:
        try:
            spare.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(spare, ignore_errors=True)
            os.replace(site, spare)
            return
        except OSError:
            pass
    shutil.rmtree(site, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def publish_changes(changed: Mapping[str, bytes], removed: Iterable[str], output_dir: Path) -> None:
    """Serve mode: update files inside the existing `output_dir`, each one atomically.

    Every file is written to a temporary name beside it and renamed over the old one, so
    a reader sees either the old or the new bytes, never a half-written page.  Unlike
    `publish` the site as a whole is not swapped at once; `briefing build` never uses it.
    """
    output_dir = output_dir.resolve()
    with _locked(output_dir.parent):  # a `briefing build` beside it takes turns
        for relative in sorted(changed):
            target = output_dir.joinpath(*safe_relative_path(relative).parts)
            replace_file(target, changed[relative], mode=0o644)  # for everyone to read
        for relative in sorted(removed):
            target = output_dir.joinpath(*safe_relative_path(relative).parts)
            target.unlink(missing_ok=True)
            _remove_empty_parents(target.parent, output_dir)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
