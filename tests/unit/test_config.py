from pathlib import Path

import pytest

from generator.config import Settings, load_settings
from generator.errors import BriefingError
from tests.conftest import write_file


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "site.toml", "site.toml") == Settings()


def test_every_key_is_read(tmp_path: Path) -> None:
    path = write_file(
        tmp_path / "site.toml",
        'title = "Daily"\nbase_url = "https://example.org/news/"\nlanguage = "de"\n'
        'theme = "dark"\nalgorithm = "lsa"\nsource_sentences = 4\nlead_words = 200\n',
    )
    settings = load_settings(path, "site.toml")
    assert settings == Settings("Daily", "https://example.org/news/", "de", "dark", "lsa", 4, 200)


def test_all_problems_reported_at_once_naming_key_and_file(tmp_path: Path) -> None:
    path = write_file(
        tmp_path / "site.toml",
        'titel = "typo"\nlead_words = "many"\nalgorithm = "magic"\nsource_sentences = true\n',
    )
    with pytest.raises(BriefingError) as caught:
        load_settings(path, "site.toml")
    messages = [str(problem) for problem in caught.value.problems]
    assert len(messages) == 4
    assert all(message.startswith("site.toml: error:") for message in messages)
    joined = "\n".join(messages)
    assert "unknown key 'titel'" in joined
    assert "'lead_words' must be an integer, not a string" in joined
    assert "'algorithm' must be one of lexrank" in joined
    assert "'source_sentences' must be an integer, not true or false" in joined


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = write_file(tmp_path / "site.toml", 'title = "ok"\nlead_words = = 3\n')
    with pytest.raises(BriefingError) as caught:
        load_settings(path, "site.toml")
    (problem,) = caught.value.problems
    assert problem.line == 2
    assert str(problem).startswith("site.toml:2: error: invalid TOML")


def test_theme_name_cannot_be_a_path(tmp_path: Path) -> None:
    path = write_file(tmp_path / "site.toml", 'theme = "../../etc"\n')
    with pytest.raises(BriefingError, match="theme"):
        load_settings(path, "site.toml")
