import os
from pathlib import Path

import pytest

from generator.config import ALGORITHMS
from generator.model import Block
from generator.split import split_sentences
from generator.summarize import PunktTokenizer, summarize
from tests.conftest import SAMPLE_CONTENT


def sample_sentences():
    path = SAMPLE_CONTENT / "harlow-ferry-bridge" / "harlow-ferry-gazette.md"
    body = path.read_text(encoding="utf-8").split("---", 2)[2]
    paragraphs = tuple(
        Block(number, text.strip())
        for number, text in enumerate(body.split("\n\n"))
        if text.strip()
    )
    return split_sentences(paragraphs, "en")


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_algorithm_picks_count_sentences_in_order(algorithm: str) -> None:
    sentences = sample_sentences()
    assert len(sentences) > 10
    chosen = summarize(sentences, algorithm, 3, "en", "Mill Street Bridge closed")
    assert len(chosen) == 3
    assert list(chosen) == sorted(chosen)
    assert all(0 <= index < len(sentences) for index in chosen)


def test_algorithms_differ_so_the_setting_matters() -> None:
    sentences = sample_sentences()
    picks = {summarize(sentences, algorithm, 3) for algorithm in ALGORITHMS}
    assert len(picks) >= 3


def test_short_article_is_kept_whole() -> None:
    sentences = split_sentences((Block(1, "One sentence here. And another one."),), "en")
    assert summarize(sentences, "lexrank", 3) == (0, 1)


def test_no_nltk_data_is_needed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NLTK_DATA", str(tmp_path))
    import nltk

    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])
    assert os.listdir(tmp_path) == []
    assert len(summarize(sample_sentences(), "lexrank", 2)) == 2


def test_tokenizer_adapter_words_are_words() -> None:
    words = PunktTokenizer("english").to_words("Stoltenberg's talks, on Oct. 20, cost $4.2m.")
    assert "Stoltenberg" in words
    assert "," not in words and "20" not in words
