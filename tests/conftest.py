"""Shared test helpers: where the reference seeds are, and small content builders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT.parent / "shared" / "seeds"
SAMPLE_CONTENT = REPO_ROOT / "content"


def seed_paths() -> list[Path]:
    if not SEEDS_DIR.is_dir():
        pytest.skip("../shared/seeds not present (reference articles live outside the repo)")
    return sorted(SEEDS_DIR.glob("*.txt"))


@pytest.fixture
def seeds_site(tmp_path: Path) -> Path:
    """A site folder whose content/nato/ holds copies of the five seed articles."""
    story = tmp_path / "content" / "nato"
    story.mkdir(parents=True)
    for path in seed_paths():
        shutil.copy(path, story / path.name)
    return tmp_path


def write_file(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
