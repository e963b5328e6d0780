"""Write: put a rendered site in place all at once, never half-written.

The new site is written into a temporary folder `.<output>.new-*` beside the output
folder, then swapped in.  On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`:
a reader sees the whole old site or the whole new one and `output/` always exists.
Elsewhere (or on a file system without exchange) it is two renames, output -> `.old-*`
then staging -> output, with a window of microseconds where `output/` is missing.

A build killed at any point leaves the previous `output/` whole; the next build removes
its leftovers and, if the kill fell between the two renames, first renames the retired
site back.  A file whose bytes did not change is carried over with its modification
time, so a sync tool uploads only what changed.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from generator.errors import BriefingError, Problem


def safe_relative_path(relative: str) -> PurePosixPath:
    """Refuse any path that could leave the output folder."""
    path = PurePosixPath(relative)
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts):
        raise BriefingError(Problem(relative, "refusing to write a path outside the output folder"))
    return path


def publish(files: Mapping[str, bytes], output_dir: Path) -> int:
    """Replace `output_dir` with exactly `files`; return how many files changed."""
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    with _locked(output_dir.parent):
        _recover(output_dir)
        staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))
        try:
            changed = _write_tree(files, staging, output_dir)
            os.chmod(staging, 0o755)  # mkdtemp makes 0700; the site is for everyone to read
            _swap(staging, output_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return changed


def recover(output_dir: Path) -> None:
    """Undo what a killed build left beside `output_dir` (see the module docstring)."""
    output_dir = output_dir.resolve()
    if output_dir.parent.is_dir():
        with _locked(output_dir.parent):
            _recover(output_dir)


def _recover(output_dir: Path) -> None:
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


def _write_tree(files: Mapping[str, bytes], staging: Path, previous: Path) -> int:
    changed = 0
    for relative in sorted(files):
        content = files[relative]
        safe = safe_relative_path(relative)
        target = staging.joinpath(*safe.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        old = previous.joinpath(*safe.parts)
        if _same_bytes(old, content) and _carry_over(old, target):
            continue
        target.write_bytes(content)
        changed += 1
    return changed


def _same_bytes(path: Path, content: bytes) -> bool:
    try:
        return (
            path.is_file() and path.stat().st_size == len(content) and path.read_bytes() == content
        )
    except OSError:
        return False


def _carry_over(old: Path, target: Path) -> bool:
    try:
        shutil.copy2(old, target)
    except OSError:
        return False
    return True


def _swap(staging: Path, output_dir: Path) -> None:
    if not output_dir.exists():
        os.replace(staging, output_dir)
        return
    if _exchange(staging, output_dir):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the previous site
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
    retired.rmdir()
    os.replace(output_dir, retired)
    try:
        os.replace(staging, output_dir)
    except OSError:
        os.replace(retired, output_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


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
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            try:
                os.fchmod(handle, 0o644)  # mkstemp makes 0600; pages are for everyone to read
                with os.fdopen(handle, "wb") as stream:
                    stream.write(changed[relative])
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
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
