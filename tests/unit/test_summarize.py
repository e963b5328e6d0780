import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import punkt
import pytest
from sumy.models.dom import ObjectDocumentModel
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

import generator.summarize as summarize_module
from generator.clean import clean_article
from generator.config import ALGORITHMS, LANGUAGES
from generator.load import read_article
from generator.model import Block, Sentence
from generator.pipeline import MAX_SUMMARIZED_SENTENCES
from generator.split import split_sentences
from generator.summarize import (
    WORD,
    CachedStemmer,
    FastLexRankSummarizer,
    PunktTokenizer,
    build_document,
    is_word,
    make_summarizer,
    summarize,
)
from generator.sumy_language import sumy_stemmer, sumy_stop_words
from tests.conftest import SAMPLE_CONTENT, seed_paths


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


# --- the fast LexRank and the shared speed-ups rank exactly as sumy does ---------------


def article_sentences(path: Path) -> tuple[Sentence, ...]:
    """An article's sentences as the build makes them (load, clean, split), capped as
    the pipeline caps them."""
    raw, _ = read_article(path, path.name)
    cleaned = clean_article(raw)
    sentences = split_sentences(cleaned.paragraphs, cleaned.meta.language or "en")
    return sentences[:MAX_SUMMARIZED_SENTENCES]


def real_articles(source: str) -> list[Path]:
    if source == "seeds":
        return seed_paths()  # skips with a reason when ../shared/seeds is absent
    folder = SAMPLE_CONTENT / "harlow-ferry-bridge"
    return sorted(path for path in folder.iterdir() if path.name != "index.md")


def ratings_best_first(summarizer: Any, sentences: Sequence[Sentence]) -> list[tuple[int, float]]:
    """(our index, rating) of every sentence, in the summarizer's full ranking order."""
    tokenizer = PunktTokenizer("english")
    document, index_by_object = build_document(sentences, tokenizer)
    captured: list[tuple[int, float]] = []

    def keep_all(infos: list[Any]) -> list[Any]:
        captured.extend((index_by_object[id(info.sentence)], info.rating) for info in infos)
        return infos

    summarizer(document, keep_all)
    return captured


def stock_lexrank() -> LexRankSummarizer:
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return summarizer


def fast_lexrank() -> Any:
    empty = ObjectDocumentModel([])
    summarizer = make_summarizer("lexrank", "en", (), empty)
    assert isinstance(summarizer, FastLexRankSummarizer)
    return summarizer


def rankings_differ(source: str) -> list[str]:
    """Articles of `source` whose full ranking (and ratings) differ from sumy's LexRank."""
    differing = []
    for path in real_articles(source):
        sentences = article_sentences(path)
        assert len(sentences) > 3, path
        if ratings_best_first(fast_lexrank(), sentences) != ratings_best_first(
            stock_lexrank(), sentences
        ):
            differing.append(path.name)
    return differing


@pytest.mark.parametrize("source", ["sample", "seeds"])
def test_fast_lexrank_ranks_exactly_like_sumys_lexrank(source: str) -> None:
    # Every sentence's place and rating (equal floats), not only the top 3.
    assert rankings_differ(source) == []


@pytest.mark.parametrize("source", ["sample", "seeds"])
def test_near_threshold_fallback_is_sumys_cosine(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With a huge tolerance every pair is decided by sumy's own cosine_similarity.
    monkeypatch.setattr(summarize_module, "THRESHOLD_TOLERANCE", 100.0)
    assert rankings_differ(source) == []


def cosine_gap(sentences: Sequence[Sentence]) -> float:
    """The largest difference between numpy's cosines and sumy's idf-modified cosines."""
    stock = stock_lexrank()
    document, _ = build_document(sentences, PunktTokenizer("english"))
    words = [stock._to_words_set(sentence) for sentence in document.sentences]
    assert [fast_lexrank()._to_words_set(s) for s in document.sentences] == words
    tf, idf = stock._compute_tf(words), stock._compute_idf(words)
    expected = np.array(
        [
            [
                stock.cosine_similarity(a, b, tf_a, tf_b, idf)
                for b, tf_b in zip(words, tf, strict=True)
            ]
            for a, tf_a in zip(words, tf, strict=True)
        ]
    )
    return float(np.abs(summarize_module._term_weights(words).cosines() - expected).max())


REPEATING = (
    Block(1, "The ferry, the old ferry, the only ferry, carried the ferry crews across."),
    Block(
        2, "Bridge crews said the bridge and the bridge approach need repairs, repairs, repairs."
    ),
    Block(3, "Crews will work nights. The ferry runs every hour until the bridge repairs end."),
    Block(4, "It is what it is. The council meets Monday about the bridge and the ferry."),
)


@pytest.mark.parametrize("source", ["sample", "seeds", "repeating"])
def test_cosines_are_sumys_idf_modified_cosines(source: str) -> None:
    # Step 4 directly, on every pair: numpy's cosines are sumy's up to rounding.
    if source == "repeating":  # words repeated within a sentence: tf below 1
        assert cosine_gap(split_sentences(REPEATING, "en")) < 1e-12
        return
    for path in real_articles(source):
        assert cosine_gap(article_sentences(path)) < 1e-12, path.name


def test_the_comparison_notices_a_different_idf(monkeypatch: pytest.MonkeyPatch) -> None:
    # The check above can fail: idf as log(n / n_j) instead of sumy's log(n / (1 + n_j)).
    def other_idf(sentence_count: int, document_frequency: np.ndarray) -> np.ndarray:
        return np.log(sentence_count / document_frequency)

    monkeypatch.setattr(summarize_module, "_idf", other_idf)
    assert rankings_differ("sample") != []


def test_summarize_lexrank_picks_what_sumy_picks() -> None:
    for path in real_articles("sample"):
        sentences = article_sentences(path)
        for count in (1, 3, 5):
            best = ratings_best_first(stock_lexrank(), sentences)[:count]
            assert summarize(sentences, "lexrank", count) == tuple(sorted(i for i, _ in best))


def test_a_sentence_without_content_words_and_repeated_sentences_and_words() -> None:
    paragraphs = (
        Block(1, "The bridge closed on Monday. It is what it is. The bridge closed on Monday."),
        Block(2, "Engineers found cracks in the bridge. Repairs will cost $4 million."),
        Block(3, "Traffic moved to the ferry. The ferry runs every hour until repairs end."),
        *REPEATING,
    )
    sentences = split_sentences(paragraphs, "en")
    assert ratings_best_first(fast_lexrank(), sentences) == ratings_best_first(
        stock_lexrank(), sentences
    )


STOP_WORDS_ONLY = "It is what it is. And so it was. They are here. It was not. We were there."


def test_sentences_without_content_words_rank_in_order_without_a_numpy_warning() -> None:
    # Every sentence is stop words only: sumy's power method divided zero by zero, numpy
    # printed "RuntimeWarning: invalid value encountered in divide" into `briefing build`'s
    # output, and every rating was NaN.
    sentences = split_sentences((Block(1, STOP_WORDS_ONLY),), "en")
    assert len(sentences) == 5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert summarize(sentences, "lexrank", 3) == (0, 1, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        stock = ratings_best_first(stock_lexrank(), sentences)
    assert sorted(i for i, _ in stock[:3]) == [0, 1, 2]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_no_algorithm_leaves_a_summary_empty(algorithm: str) -> None:
    # sumy's LSA returns no sentence when no sentence has a content word
    sentences = split_sentences((Block(1, STOP_WORDS_ONLY),), "en")
    chosen = summarize(sentences, algorithm, 3, "en", "It is")
    assert len(chosen) == 3
    assert list(chosen) == sorted(chosen)


def test_to_words_is_punkt_word_tokenize_filtered_by_word() -> None:
    for sentence in sample_sentences():
        expected = tuple(w for w in punkt.word_tokenize(sentence.text) if WORD.match(w))
        assert PunktTokenizer("english").to_words(sentence.text) == expected


def test_letters_only_always_match_word() -> None:
    # The shortcut in is_word: str.isalpha() implies WORD matches, for every character.
    letters = (chr(code) for code in range(sys.maxunicode + 1) if chr(code).isalpha())
    assert all(WORD.match(letter) for letter in letters)
    assert is_word("Stoltenberg's") and is_word("½") and not is_word("4.2") and not is_word("")


def test_cached_stemmer_gives_the_stemmers_stems() -> None:
    words = [
        w.lower() for s in sample_sentences() for w in PunktTokenizer("english").to_words(s.text)
    ]
    stemmer, cached = Stemmer("english"), CachedStemmer("english")
    assert [cached(w) for w in words] == [stemmer(w) for w in words]
    assert cached.stem_all(words) == [stemmer(w) for w in words]


@pytest.mark.parametrize("name", sorted({sumy for _, sumy in LANGUAGES.values()} | {"klingon"}))
def test_stemmer_and_stop_words_without_pycountry_are_sumys(name: str) -> None:
    """The shortcut past sumy's language-code lookup stems and stops exactly as sumy."""
    words = ["running", "nations", "alliance's", "Stoltenberg", "übergeben", "économies"]

    def outcome(make: Any) -> Any:
        try:
            made = make(name)
        except LookupError:
            return "no such language"
        try:
            return [made(word) for word in words] if callable(made) else made
        except ValueError:  # a stemmer needing a package that is not installed
            return "needs a package"

    assert outcome(sumy_stemmer) == outcome(Stemmer)
    assert outcome(sumy_stop_words) == outcome(lambda n: frozenset(get_stop_words(n)))


LSA_RUN = """
import sys
from pathlib import Path
from generator.clean import clean_article
from generator.load import read_article
from generator.split import split_sentences
from generator.summarize import summarize
for path in sorted(Path(sys.argv[1]).glob("*.*")):
    if path.name == "index.md":
        continue
    raw, _ = read_article(path, path.name)
    sentences = split_sentences(clean_article(raw).paragraphs, "en")
    print(summarize(sentences, "lsa", 3))
"""


def test_lsa_picks_the_same_sentences_whatever_the_string_hashing(tmp_path: Path) -> None:
    import subprocess

    from bench.corpus import generated_site

    generated_site(tmp_path, 1, 5)  # (stock sumy LSA differs from seed to seed on these)
    folder = tmp_path / "content" / "story-0000"
    runs = set()
    for seed in ("0", "1", "2", "3"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-c", LSA_RUN, str(folder)]
        done = subprocess.run(command, capture_output=True, text=True, env=environment, check=True)
        runs.add(done.stdout)
    assert len(runs) == 1 and runs.pop().count("(") == 5


@pytest.mark.parametrize("language", ["et", "sl", "tr", "el", "pl"])
def test_languages_without_a_stemmer_still_summarize(language: str) -> None:
    sentences = sample_sentences()
    chosen = summarize(sentences, "lexrank", 3, language)
    assert len(chosen) == 3 and set(chosen) <= {sentence.index for sentence in sentences}
