"""`briefing new` and `briefing new-site`: the files they write build as they are."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import fields
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import Settings, settings_from_table
from generator.errors import BriefingError
from generator.load import ARTICLE_KEYS, read_article, read_index
from generator.scaffold import SETTING_COMMENTS, new_briefing, new_site, site_toml


def test_site_toml_lists_every_key_with_a_comment_and_its_default() -> None:
    text = site_toml()
    assert set(SETTING_COMMENTS) == {field.name for field in fields(Settings)}
    assert settings_from_table(tomllib.loads(text), "site.toml") == Settings()
    for field in fields(Settings):
        before = text[: text.index(f"\n{field.name} = ")]
        assert before.rstrip().splitlines()[-1].startswith("# ")


def test_new_briefing_writes_index_and_an_article_template(tmp_path: Path) -> None:
    written = new_briefing(tmp_path / "content", "Bridge Works", dt.date(2025, 3, 14))
    folder = tmp_path / "content" / "bridge-works"
    assert written == [folder / "index.md", folder / "article.md"]
    meta, warnings = read_index(folder / "index.md", "index.md")
    assert (meta.title, meta.date.iso() if meta.date else None) == ("Bridge Works", "2025-03-14")
    assert warnings == []
    template = (folder / "article.md").read_text()
    for key in ARTICLE_KEYS:
        assert f"\n# {key}: " in template  # every key, commented out
    article, article_warnings = read_article(folder / "article.md", "article.md")
    assert article.meta.title == "" and article_warnings == []  # builds as it is


def test_new_briefing_refuses_an_existing_folder_and_empty_names(tmp_path: Path) -> None:
    new_briefing(tmp_path, "story")
    (tmp_path / "story" / "index.md").write_text("mine")
    with pytest.raises(BriefingError, match="already exists"):
        new_briefing(tmp_path, "Story")
    assert (tmp_path / "story" / "index.md").read_text() == "mine"
    with pytest.raises(BriefingError, match="letters or digits"):
        new_briefing(tmp_path, "!!!")


def test_new_site_builds_straight_away(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "mysite"
    assert main(["new-site", str(site)]) == 0
    assert (site / "themes" / "README.md").read_text().count("copy") >= 1
    monkeypatch.chdir(site)
    assert main(["build", "--no-cache"]) == 0
    output = site / "output"
    assert (output / "riverside-library-reopens" / "index.html").is_file()
    assert (output / "tags" / "libraries" / "index.html").is_file()
    assert (output / "feed.xml").is_file()
    assert main(["new", "second story"]) == 0
    assert (site / "content" / "second-story" / "article.md").is_file()


def test_new_site_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(BriefingError, match="not empty"):
        new_site(tmp_path)
    assert main(["new-site", str(tmp_path)]) == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == ["keep.txt"]
