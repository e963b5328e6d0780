"""The `briefing` command end to end: real content folders, real output folders."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import REPO_ROOT, SAMPLE_CONTENT, write_file

GOOD_ARTICLE = (
    "---\ntitle: Council approves park\noutlet: Town Post\npublished: 2024-05-02\n---\n\n"
    "The town council approved a new riverside park on Tuesday after a two-hour debate.\n\n"
    "The park will cost $1.2 million and open next spring, the mayor said.\n\n"
    "Residents had asked for more green space for years.\n"
)


def run(site: Path, *arguments: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.chdir(site)
    return main(["build", *arguments])


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def two_story_site(tmp_path: Path) -> Path:
    write_file(tmp_path / "content" / "park" / "post.md", GOOD_ARTICLE)
    write_file(
        tmp_path / "content" / "park" / "herald.txt",
        "Park plan wins council vote\n\nRIVERTON (Herald) - The council voted for the "
        "riverside park on Tuesday. The park will cost $1.2 million.\n\nMore from Herald\n"
        "Library hours change\nNew bus stop opens\n",
    )
    write_file(tmp_path / "content" / "fair" / "post.md", GOOD_ARTICLE.replace("park", "fair"))
    return tmp_path


def test_sample_content_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    for source in (SAMPLE_CONTENT).rglob("*"):
        if source.is_file():
            write_file(site / "content" / source.relative_to(SAMPLE_CONTENT), source.read_bytes())
    assert run(site, monkeypatch=monkeypatch) == 0
    index = (site / "output" / "index.html").read_text(encoding="utf-8")
    assert 'href="harlow-ferry-bridge/index.html"' in index
    page = (site / "output" / "harlow-ferry-bridge" / "index.html").read_text(encoding="utf-8")
    assert "Key facts" in page and "The story" in page
    assert 'href="../static/style.css"' in page
    assert not re.search(r'(href|src)="/', page), "links must be relative"
    data = json.loads((site / "output" / "harlow-ferry-bridge" / "briefing.json").read_text())
    assert len(data["sources"]) == 5
    assert all(len(source["summary"]) == 3 for source in data["sources"])


def test_errors_leave_previous_output_byte_for_byte(
    two_story_site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(two_story_site, monkeypatch=monkeypatch) == 0
    before = snapshot(two_story_site / "output")
    content = two_story_site / "content"
    write_file(content / "park" / "broken.md", "---\ntitle: [unclosed\n---\nText.\n")
    write_file(content / "fair" / "bytes.txt", b"Title\n\xff\xfe\x00garbage\n")
    write_file(content / "fair" / "empty.txt", "")
    capsys.readouterr()
    assert run(two_story_site, monkeypatch=monkeypatch) == 1
    assert snapshot(two_story_site / "output") == before
    err = capsys.readouterr().err
    error_lines = [line for line in err.splitlines() if ": error: " in line]
    assert len(error_lines) == 3, err
    expected_starts = [
        "content/park/broken.md:2: error: invalid YAML",
        "content/fair/bytes.txt:2: error:",
        "content/fair/empty.txt: error: empty file",
    ]
    for start in expected_starts:
        assert any(line.startswith(start) for line in error_lines), (start, err)
    assert "Traceback" not in err


def test_keep_going_writes_the_rest_and_still_fails(
    two_story_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_file(two_story_site / "content" / "fair" / "post.md", "---\ntitle: x\n")
    assert run(two_story_site, "--keep-going", monkeypatch=monkeypatch) == 1
    output = two_story_site / "output"
    assert (output / "park" / "index.html").is_file()
    assert not (output / "fair").exists()


def test_report_line_and_explain(
    two_story_site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(two_story_site, "--explain", monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert re.search(r"built 2 briefings, 3 articles, [\d.]+ s, 0 warnings", out)
    assert "content/park/herald.txt" in out
    assert "Library hours change" in out  # the dropped headline list, with its reason


def test_cache_is_used_and_changes_are_seen(
    two_story_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(two_story_site, monkeypatch=monkeypatch) == 0
    article = two_story_site / "content" / "park" / "post.md"
    article.write_text(GOOD_ARTICLE.replace("Council approves park", "Park approved"), "utf-8")
    assert run(two_story_site, monkeypatch=monkeypatch) == 0
    data = json.loads((two_story_site / "output" / "park" / "briefing.json").read_text())
    assert "Park approved" in [source["title"] for source in data["sources"]]
    assert any((two_story_site / ".briefing-cache").glob("*.json"))


def test_usage_errors_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--content", "nowhere"]) == 2
    with pytest.raises(SystemExit) as caught:
        main(["build", "--no-such-flag"])
    assert caught.value.code == 2


def test_bad_site_toml_is_one_line_per_problem(
    two_story_site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_file(two_story_site / "site.toml", 'lead_words = "long"\nfoo = 1\n')
    assert run(two_story_site, monkeypatch=monkeypatch) == 1
    err = capsys.readouterr().err
    assert "site.toml: error: key 'lead_words' must be an integer" in err
    assert "site.toml: error: unknown key 'foo'" in err
    assert not (two_story_site / "output").exists()


def test_python_dash_m_and_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--help"],
        capture_output=True, text=True, cwd=REPO_ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == 0
    for flag in ("--content", "--output", "--config", "--keep-going", "--debug", "--explain"):
        assert flag in result.stdout
    top = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, check=False
    )
    assert "build" in top.stdout and top.returncode == 0


def test_piped_output_is_only_the_report(two_story_site: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        capture_output=True, text=True, cwd=two_story_site, check=False,
    )  # fmt: skip
    assert result.returncode == 0
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 1


def test_the_program_ends_with_every_file_written_and_its_exit_code(
    two_story_site: Path,
) -> None:
    """`python -m generator` (like the installed `briefing`) ends without Python's own
    exit: its report is still printed, its output, caches and indexes written, and an
    error still exits 1."""

    def program(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", *arguments],
            capture_output=True, text=True, cwd=two_story_site, check=False,
        )  # fmt: skip

    first = program("build")
    assert first.returncode == 0, first.stderr
    assert re.fullmatch(r"built 2 briefings, 3 articles, .*\(\d+ files changed\)\n", first.stdout)
    output = two_story_site / "output"
    built = snapshot(output)
    assert "park/index.html" in built and "index.html" in built
    again = program("build")
    assert again.returncode == 0 and again.stdout.endswith("(0 files changed)\n"), again.stdout
    assert snapshot(output) == built  # the manifest and the caches were there to tell
    write_file(two_story_site / "content" / "fair" / "empty.txt", "")
    failed = program("build")
    assert failed.returncode == 1
    assert "content/fair/empty.txt: error: empty file" in failed.stderr
    assert snapshot(output) == built
