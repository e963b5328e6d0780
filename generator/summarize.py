"""Summarize: the adapter around sumy; the only module that imports it.

Sentences go in as our `Sentence` values, are wrapped in sumy's document model
(`sumy.models.dom`) with a Punkt-based tokenizer, and the chosen sentences come
back as indices in original order.

Speed without changing a result: every summarizer gets a memoizing stemmer (the same
words are stemmed again and again), and LexRank, the default, is sumy's own class with
its pure-Python quadratic internals replaced by numpy. `FastLexRankSummarizer` explains
why its ratings are sumy's, bit for bit; tests/unit/test_summarize.py checks the full
ranking against sumy's stock `LexRankSummarizer` on real text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy
import punkt
from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import null_stemmer
from sumy.summarizers.edmundson import EdmundsonSummarizer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from generator.config import LANGUAGES
from generator.model import Sentence
from generator.sumy_language import sumy_stemmer, sumy_stop_words

# sumy's own rule for what counts as a word: letters, with inner apostrophes/hyphens.
WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’-])*$")

# `punkt.word_tokenize(text)` is `PunktWordTokenizer(None).tokenize(text)`; one instance
# saves building it (and looking up its compiled regex) for every sentence.
_WORD_TOKENIZER = punkt.PunktWordTokenizer()

# A stem cache is cleared when it grows past this many words (a long `serve` session).
MAX_CACHED_STEMS = 500_000

# How close to LexRank's threshold a numpy cosine must be before sumy's own scalar
# cosine decides instead (see `FastLexRankSummarizer._adjacency`).
THRESHOLD_TOLERANCE = 1e-9


def is_word(token: str) -> bool:
    """`WORD.match(token)`, with a shortcut for the common case.

    A string of letters only (`str.isalpha`) always matches WORD: every letter is in
    `\\w` and is neither a decimal digit (`\\d`) nor "_". Anything else asks the regex.
    (`PunktTokenizer.to_words` inlines this test.)
    """
    return token.isalpha() or WORD.match(token) is not None


class PunktTokenizer:
    """The tokenizer interface sumy's document model expects, backed by offline Punkt."""

    def __init__(self, language: str) -> None:
        self.language = language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(punkt.sent_tokenize(paragraph, self.language))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return sentence_words(sentence)


@lru_cache(maxsize=1 << 15)
def sentence_words(sentence: str) -> tuple[str, ...]:
    """`PunktTokenizer.to_words`, found once per sentence text (wire copy prints the
    same sentence in many articles, and the result is a pure function of the text)."""
    tokens = _WORD_TOKENIZER.tokenize(sentence)
    return tuple([word for word in tokens if word.isalpha() or WORD.match(word)])  # is_word


def _stemmer(language: str) -> Callable[[str], str]:
    """sumy's stemmer for `language`; where sumy has none, or needs a package that is not
    installed (Estonian, Slovene, Turkish; Greek, Polish), words are only lower-cased."""
    stemmer: Callable[[str], str] = null_stemmer
    with suppress(LookupError):
        stemmer = sumy_stemmer(language)
    try:
        stemmer("test")
    except ValueError:  # "... stemmer requires <package>": raised at the first word
        return null_stemmer
    return stemmer


class CachedStemmer:
    """sumy's `Stemmer` for a language, remembering every word it has stemmed.

    Exact by construction: all of sumy's stemmers (NLTK's Snowball ones and its own) are
    pure functions of the word, so a remembered stem is the stem."""

    def __init__(self, language: str) -> None:
        self._stemmer: Callable[[str], str] = _stemmer(language)
        self._stems: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            if len(self._stems) >= MAX_CACHED_STEMS:
                self._stems.clear()
            stem = self._stems[word] = self._stemmer(word)
        return stem

    def stem_all(self, words: Iterable[str]) -> list[str]:
        """`[self(word) for word in words]`, looking remembered stems up without a call."""
        stems = self._stems
        return [stems.get(word) or self(word) for word in words]

    def cache_clear(self) -> None:
        self._stems.clear()


@cache
def stemmer_for(sumy_name: str) -> CachedStemmer:
    """One memoizing stemmer per language and process, shared by every summarizer."""
    return CachedStemmer(sumy_name)


@cache
def _normalized_stop_words(words: frozenset[str]) -> frozenset[str]:
    """What sumy's `stop_words` setters store: every word through `normalize_word`."""
    return frozenset(map(LexRankSummarizer.normalize_word, words))


class FastLexRankSummarizer(LexRankSummarizer):
    """sumy's LexRank with the same ratings, computed with numpy instead of Python loops.

    sumy's LexRank, step by step, and why each replacement gives the same numbers:

    1. Words: lower-cased, stop words dropped, stemmed (`_to_words_set`). Same calls in
       the same order; the stemmer is memoized (`CachedStemmer`).
    2. tf: a sentence's term counts divided by its largest count (`_term_weights`):
       sumy divides Python ints, numpy the same ints as float64 (exact below 2**53);
       either way one correctly rounded IEEE division, so the same floats.
    3. idf: `log(n / (1 + n_j))`, n_j the number of sentences containing the term.
       sumy counts n_j by scanning every sentence for every term; counting each term
       once per sentence gives the same integers, and `math.log` is called on the
       same float.
    4. The idf-modified cosine of every pair of sentences, then 1 where it is above
       `threshold`, else 0. Only that comparison survives, so the cosines need not be
       bit-identical, only on the same side of the threshold. numpy computes them as one
       matrix product; every term of every sum is a product of tf and idf**2, never
       negative, so there is no cancellation and the difference from sumy's sums is a
       few ulps (relative error about 1e-16 per term). Any cosine within
       `THRESHOLD_TOLERANCE` (1e-9) of the threshold is recomputed with sumy's own
       `cosine_similarity` on the same arguments, so every 0/1 entry is sumy's.
    5. Each row divided by its number of 1s (a row without any, by 1): the same IEEE
       divisions of the same numbers, into a C-ordered float64 matrix like sumy's.
    6. sumy's own `power_method` on that identical matrix, and sumy's own
       `_get_best_sentences` on the ratings: identical scores, identical order.
    """

    @property
    def stop_words(self) -> frozenset[str]:
        return self._stop_words

    @stop_words.setter
    def stop_words(self, words: Iterable[str]) -> None:
        self._stop_words = _normalized_stop_words(frozenset(words))

    def __call__(self, document: ObjectDocumentModel, sentences_count: Any) -> tuple[Any, ...]:
        self._ensure_dependencies_installed()
        sentences = document.sentences
        sentences_words = [self._to_words_set(sentence) for sentence in sentences]
        if not sentences_words:
            return ()
        matrix = self._transition_matrix(sentences_words)
        if matrix.any():
            scores = self.power_method(matrix, self.epsilon)
        else:
            # No sentence has a content word: sumy's power method divides zero by zero
            # (numpy prints a RuntimeWarning) and rates every sentence NaN, which ranks
            # them in their order; equal ratings rank them so too, without the warning.
            scores = numpy.full(len(sentences), 1.0 / len(sentences))
        ratings = dict(zip(sentences, scores, strict=True))
        return self._get_best_sentences(sentences, sentences_count, ratings)

    def _to_words_set(self, sentence: SumySentence) -> list[str]:
        # sumy: words = map(normalize_word, sentence.words); then stem_word(w), which is
        # stemmer(normalize_word(w)), for each w not in stop words. normalize_word is
        # `.lower()` for the str words our tokenizer gives, so both calls are kept.
        stemmer, stop_words = self._stemmer, self._stop_words
        if isinstance(stemmer, CachedStemmer) and isinstance(sentence._tokenizer, PunktTokenizer):
            # (a new list each time: the same words as computing them here)
            return list(_stemmed_words(stemmer, stop_words, sentence._text))
        lowered = [word.lower() for word in sentence.words]
        normalized = [word.lower() for word in lowered if word not in stop_words]
        return [stemmer(word) for word in normalized]

    def _transition_matrix(self, sentences_words: list[list[str]]) -> numpy.ndarray:
        """sumy's `_create_matrix`: the thresholded cosine graph, each row divided by its degree."""
        adjacency = self._adjacency(sentences_words)
        degrees = adjacency.sum(axis=1).astype(numpy.float64)
        degrees[degrees == 0] = 1
        return numpy.ascontiguousarray(adjacency.astype(numpy.float64) / degrees[:, None])

    def _adjacency(self, sentences_words: list[list[str]]) -> numpy.ndarray:
        """Which idf-modified cosines are above the threshold, as sumy decides it."""
        weights = _term_weights(sentences_words)
        cosines = weights.cosines()
        near = numpy.abs(cosines - self.threshold) <= THRESHOLD_TOLERANCE * max(
            1.0, abs(self.threshold)
        )
        adjacency = (cosines > self.threshold) & ~near
        if near.any():
            tf_metrics = self._compute_tf(sentences_words)
            idf_metrics = weights.idf_by_term()
            for row, col in zip(*numpy.nonzero(near), strict=True):
                cosine = self.cosine_similarity(
                    sentences_words[row],
                    sentences_words[col],
                    tf_metrics[row],
                    tf_metrics[col],
                    idf_metrics,
                )
                adjacency[row, col] = cosine > self.threshold
        return adjacency


@lru_cache(maxsize=1 << 15)
def _stemmed_words(
    stemmer: CachedStemmer, stop_words: frozenset[str], text: str
) -> tuple[str, ...]:
    """`FastLexRankSummarizer._to_words_set` of a sentence of `text` made with a
    `PunktTokenizer` (whose words are `sentence_words(text)`), once per text: the stems
    are a pure function of the words (see `CachedStemmer`)."""
    lowered = [word.lower() for word in sentence_words(text)]
    return tuple(stemmer.stem_all([word.lower() for word in lowered if word not in stop_words]))


@dataclass(frozen=True, eq=False)
class TermWeights:
    """tf * idf of every (sentence, term) pair of a document, as sparse coordinates:
    `values[k]` is the weight of term `cols[k]` in sentence `rows[k]`."""

    sentence_count: int
    terms: dict[str, int]  # term -> column
    rows: numpy.ndarray
    cols: numpy.ndarray
    values: numpy.ndarray
    idf: numpy.ndarray  # by column

    def idf_by_term(self) -> dict[str, float]:
        return {term: float(self.idf[col]) for term, col in self.terms.items()}

    def cosines(self) -> numpy.ndarray:
        """cos(i, j) = sum_t w_it * w_jt / (|w_i| * |w_j|), 0 when either norm is 0.

        Only terms in two or more sentences add to an off-diagonal numerator, so the
        product runs over those; a diagonal numerator is the row's squared norm."""
        n = self.sentence_count
        norms_squared = numpy.bincount(self.rows, weights=self.values**2, minlength=n)
        numerators = self._shared_term_products()
        numpy.fill_diagonal(numerators, norms_squared)
        norms = numpy.sqrt(norms_squared)
        denominators = numpy.outer(norms, norms)
        cosines = numpy.zeros((n, n))
        numpy.divide(numerators, denominators, out=cosines, where=denominators > 0)
        return cosines

    def _shared_term_products(self) -> numpy.ndarray:
        """sum_t w_it * w_jt over the terms that two or more sentences share.

        `einsum` rather than `@`: a multithreaded BLAS product costs more CPU than it
        saves on matrices this small (its idle threads spin)."""
        document_frequency = numpy.bincount(self.cols, minlength=len(self.terms))
        shared_terms = numpy.flatnonzero(document_frequency > 1)
        column_of_term = numpy.full(len(self.terms), -1)
        column_of_term[shared_terms] = numpy.arange(len(shared_terms))
        keep = column_of_term[self.cols] >= 0
        dense = numpy.zeros((self.sentence_count, len(shared_terms)))
        dense[self.rows[keep], column_of_term[self.cols[keep]]] = self.values[keep]
        return numpy.einsum("ik,jk->ij", dense, dense)


def _term_weights(sentences_words: list[list[str]]) -> TermWeights:
    """sumy's tf (count / the sentence's largest count) times its idf, for every
    (sentence, term) pair: `numpy.unique` of (sentence, term id) gives the counts."""
    sentence_count = len(sentences_words)
    terms: dict[str, int] = {}
    term_ids = numpy.array(
        [terms.setdefault(word, len(terms)) for words in sentences_words for word in words],
        dtype=numpy.intp,
    )
    term_count = max(len(terms), 1)
    token_rows = numpy.repeat(numpy.arange(sentence_count), [len(w) for w in sentences_words])
    pairs, counts = numpy.unique(token_rows * term_count + term_ids, return_counts=True)
    rows, cols = numpy.divmod(pairs, term_count)
    max_counts = numpy.zeros(sentence_count)
    numpy.maximum.at(max_counts, rows, counts)
    # sumy: `tf / max_tf` on Python ints; both are exact in float64, and one IEEE
    # division of the same two numbers gives the same float.
    tf = counts / max_counts[rows]
    idf = _idf(sentence_count, numpy.bincount(cols, minlength=len(terms)))
    return TermWeights(sentence_count, terms, rows, cols, tf * idf[cols], idf)


def _idf(sentence_count: int, document_frequency: numpy.ndarray) -> numpy.ndarray:
    """sumy's idf, `math.log(n / (1 + n_j))`, with the same Python float arithmetic."""
    by_frequency = {
        int(n_j): math.log(sentence_count / (1 + int(n_j)))
        for n_j in set(document_frequency.tolist())
    }
    return numpy.array([by_frequency[int(n_j)] for n_j in document_frequency], dtype=numpy.float64)


class OrderedLsaSummarizer(LsaSummarizer):
    """sumy's LSA with its words in sorted order: sumy numbers them in the order of a
    frozenset, which changes with Python's per-process string hashing, and the SVD's
    rounding then picks different sentences from run to run."""

    def _create_dictionary(self, document: ObjectDocumentModel) -> dict[str, int]:
        words = map(self.normalize_word, document.words)
        unique = {self.stem_word(word) for word in words if word not in self._stop_words}
        return {word: row for row, word in enumerate(sorted(unique))}


SUMMARIZERS: dict[str, Any] = {
    "lexrank": FastLexRankSummarizer,
    "lsa": OrderedLsaSummarizer,
    "luhn": LuhnSummarizer,
    "textrank": TextRankSummarizer,
    "edmundson": EdmundsonSummarizer,
    "kl": KLSummarizer,
    "sumbasic": SumBasicSummarizer,
}


def sumy_language(language: str) -> str:
    return LANGUAGES.get(language, LANGUAGES["en"])[1]


@cache
def _stop_words(language: str) -> frozenset[str]:
    try:
        return sumy_stop_words(language)
    except LookupError:
        return frozenset()


def build_document(
    sentences: Sequence[Sentence], tokenizer: PunktTokenizer, title: str = ""
) -> tuple[ObjectDocumentModel, dict[int, int]]:
    """sumy's document model of the article, and a map from sumy sentence id to our index."""
    paragraphs: list[list[SumySentence]] = []
    index_by_object: dict[int, int] = {}
    if title:
        paragraphs.append([SumySentence(title, tokenizer, is_heading=True)])
    current_paragraph = -1
    for sentence in sentences:
        if sentence.paragraph != current_paragraph:
            paragraphs.append([])
            current_paragraph = sentence.paragraph
        sumy_sentence = SumySentence(sentence.text, tokenizer)
        index_by_object[id(sumy_sentence)] = sentence.index
        paragraphs[-1].append(sumy_sentence)
    document = ObjectDocumentModel([Paragraph(group) for group in paragraphs])
    return document, index_by_object


def _bonus_words(
    title_words: Sequence[str], document: ObjectDocumentModel, stop_words: frozenset[str]
) -> tuple[str, ...]:
    """Edmundson's cue words: the title's content words, else the article's most frequent."""
    from_title = tuple(word for word in title_words if word not in stop_words)
    if from_title:
        return from_title
    counts = Counter(word.lower() for word in document.words if word.lower() not in stop_words)
    return tuple(word for word, _ in counts.most_common(10)) or ("the",)


def make_summarizer(
    algorithm: str, language: str, title_words: Sequence[str], document: ObjectDocumentModel
) -> Any:
    sumy_name = sumy_language(language)
    summarizer = SUMMARIZERS[algorithm](stemmer_for(sumy_name))
    stop_words = _stop_words(sumy_name)
    if algorithm == "edmundson":
        summarizer.null_words = stop_words
        summarizer.bonus_words = _bonus_words(title_words, document, stop_words)
        summarizer.stigma_words = ("reportedly", "allegedly", "advertisement")
    else:
        summarizer.stop_words = stop_words
    return summarizer


def ranked_sentences(summarizer: Any, document: ObjectDocumentModel) -> list[SumySentence]:
    """Every sentence of `document`, best first by the summarizer's own rating.

    sumy accepts a callable as the sentence count and hands it the sentences sorted by
    rating; capturing that order gives the full ranking in one pass."""
    captured: list[SumySentence] = []

    def keep_all(infos: list[Any]) -> list[Any]:
        captured.extend(info.sentence for info in infos)
        return infos

    summarizer(document, keep_all)
    return captured


def summarize(
    sentences: Sequence[Sentence],
    algorithm: str,
    count: int,
    language: str = "en",
    title: str = "",
) -> tuple[int, ...]:
    """Indices of the `count` best sentences by `algorithm`, in original order."""
    if len(sentences) <= count:
        return tuple(sentence.index for sentence in sentences)
    tokenizer = PunktTokenizer(sumy_language(language))
    use_title = algorithm == "edmundson" and bool(title)
    document, index_by_object = build_document(sentences, tokenizer, title if use_title else "")
    title_words = tuple(word.lower() for word in tokenizer.to_words(title))
    summarizer = make_summarizer(algorithm, language, title_words, document)
    chosen = summarizer(document, count)
    indices = {index_by_object[id(item)] for item in chosen if id(item) in index_by_object}
    if not indices:
        # sumy's LSA picks nothing from sentences without a content word; the others pick
        # the first ones then, and so does this (a source's summary is never empty)
        return tuple(sentence.index for sentence in sentences[:count])
    return tuple(sorted(indices))
