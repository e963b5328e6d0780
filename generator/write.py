"""Write: put a rendered site in place all at once, never half-written.

The new site is written into a temporary folder beside the output folder, then
swapped in with renames.  A file whose bytes did not change is carried over by hard
link (or a time-keeping copy), so its modification time stays and a sync tool uploads
only what changed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
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
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))
    try:
        changed = _write_tree(files, staging, output_dir)
        _swap(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return changed


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
    retired = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
    retired.rmdir()
    os.replace(output_dir, retired)
    try:
        os.replace(staging, output_dir)
    except OSError:
        os.replace(retired, output_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def publish_changes(changed: Mapping[str, bytes], removed: Iterable[str], output_dir: Path) -> None:
    """Serve mode: update files inside the existing `output_dir`, each one atomically.

    Every file is written to a temporary name beside it and renamed over the old one, so
    a reader sees either the old or the new bytes, never a half-written page.  Unlike
    `publish` the site as a whole is not swapped at once; `briefing build` never uses it.
    """
    output_dir = output_dir.resolve()
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
