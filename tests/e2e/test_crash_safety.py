"""Kill builds at random moments: output/ is always one complete earlier build."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO_ROOT, SAMPLE_CONTENT

TIME_BUDGET_SECONDS = 8


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def start_build(site: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--no-cache"],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
    )


def full_build(site: Path) -> dict[str, bytes]:
    assert start_build(site).wait(timeout=60) == 0
    return tree(site / "output")


def test_killed_builds_leave_a_complete_earlier_output(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SAMPLE_CONTENT, site / "content")
    good = [full_build(site)]
    (article,) = (site / "content").glob("*/valley-wire.txt")
    article.write_text(article.read_text("utf-8") + "\nA second version adds this line.\n")
    started = time.perf_counter()
    good.append(full_build(site))  # each completed build is a state output/ may show
    build_seconds = time.perf_counter() - started
    assert good[0] != good[1]
    rng = random.Random(6)
    versions = [good[0], good[1]]
    kills = 0
    deadline = time.perf_counter() + TIME_BUDGET_SECONDS
    while time.perf_counter() < deadline:
        # alternate the content so that every build that finishes changes output/
        target = versions[kills % 2]
        marker = "\nA second version adds this line.\n"
        text = article.read_text("utf-8").replace(marker, "")
        article.write_text(text + (marker if target is good[1] else ""), "utf-8")
        process = start_build(site)
        time.sleep(rng.uniform(0.5, 1.2) * build_seconds)
        process.send_signal(signal.SIGKILL)
        process.wait()
        kills += 1
        assert tree(site / "output") in good, f"output/ is not a complete build after kill {kills}"
    assert kills >= 3
    final = full_build(site)  # the next build tidies every leftover
    assert final in good
    assert sorted(path.name for path in site.iterdir()) == ["content", "output"]
