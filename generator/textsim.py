"""Sentence similarity that sees through rewording: stemmed content words, numbers
(digits and number words alike) and names weighted, TF-IDF cosine with numpy."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache

import numpy as np
import punkt
from sumy.nlp.stemmers import Stemmer
from sumy.utils import get_stop_words

from generator.config import LANGUAGES

NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fifteen": "15", "twenty": "20", "thirty": "30", "forty": "40",
    "fifty": "50", "hundred": "100", "half": "0.5", "dozen": "12",
}  # fmt: skip
MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
NAME_WEIGHT = 2.0
NUMBER_WEIGHT = 2.0
TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|[^\W_](?:[\w'’.-]*[^\W_])?")
EXTRA_STOP_WORDS = frozenset({"said", "says", "told", "also", "would", "could", "mr", "ms"})


@cache
def _stemmer(language: str) -> Stemmer:
    return Stemmer(LANGUAGES.get(language, LANGUAGES["en"])[1])


@cache
def stop_words(language: str) -> frozenset[str]:
    try:
        words = frozenset(get_stop_words(LANGUAGES.get(language, LANGUAGES["en"])[1]))
    except LookupError:
        words = frozenset()
    return words | EXTRA_STOP_WORDS


def weighted_terms(text: str, language: str = "en") -> Counter[str]:
    """Stemmed content words of a sentence with their weights (a fresh Counter each call)."""
    return Counter(dict(_weighted_items(text, language)))


@lru_cache(maxsize=1 << 16)
def _stem(language: str, word: str) -> str:
    return _stemmer(language)(word)


@lru_cache(maxsize=1 << 16)
def _weighted_items(text: str, language: str) -> tuple[tuple[str, float], ...]:
    """`weighted_terms`, computed once per sentence: each sentence of a story is weighed
    for its similarity, its numbers and its centrality."""
    ignored = stop_words(language)
    terms: Counter[str] = Counter()
    tokens = TOKEN.findall(text)
    for position, token in enumerate(tokens):
        lower = token.lower().strip(".")
        follows_number = position > 0 and _number(tokens[position - 1]) is not None
        if not lower or (lower in MULTIPLIERS and follows_number):
            continue  # "4.2 million" is one number, counted with its first word
        value = _number(token)
        if value is not None:
            following = tokens[position + 1].lower() if position + 1 < len(tokens) else ""
            value *= MULTIPLIERS.get(following, 1.0)
            terms[f"#{value:g}"] += NUMBER_WEIGHT
        elif lower not in ignored and len(lower) > 1:
            is_name = token[0].isupper() and position > 0
            terms[_stem(language, lower)] += NAME_WEIGHT if is_name else 1.0
    return tuple(terms.items())


def _number(token: str) -> float | None:
    """The value of a number written in digits or as a word, else None."""
    lower = token.lower().strip(".")
    if lower in NUMBER_WORDS:
        return float(NUMBER_WORDS[lower])
    try:
        return float(lower.replace(",", ""))
    except ValueError:
        return None


def tfidf_matrix(term_bags: Sequence[Counter[str]]) -> np.ndarray:
    """Rows: L2-normalised TF-IDF vectors of each bag, IDF over the bags themselves."""
    matrix, _ = _idf_weighted(term_bags)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def similarity_matrix(texts: Sequence[str], language: str = "en") -> np.ndarray:
    """Cosine similarity of every pair of texts (1.0 on the diagonal)."""
    vectors = tfidf_matrix([weighted_terms(text, language) for text in texts])
    return vectors @ vectors.T


@lru_cache(maxsize=1 << 16)
def word_count(text: str) -> int:
    return len(punkt.word_tokenize(text)) if text else 0


def _idf_weighted(term_bags: Sequence[Counter[str]]) -> tuple[np.ndarray, list[str]]:
    vocabulary: dict[str, int] = {}
    document_frequency: Counter[str] = Counter()
    for bag in term_bags:
        document_frequency.update(bag.keys())
        for term in bag:
            vocabulary.setdefault(term, len(vocabulary))
    matrix = np.zeros((len(term_bags), max(len(vocabulary), 1)), dtype=np.float64)
    count = len(term_bags)
    idf = {
        term: math.log((1 + count) / (1 + frequency)) + 1.0
        for term, frequency in document_frequency.items()
    }
    for row, bag in enumerate(term_bags):
        for term, weight in bag.items():
            matrix[row, vocabulary[term]] = weight * idf[term]
    return matrix, list(vocabulary)


def overlap_matrix(texts: Sequence[str], language: str = "en") -> np.ndarray:
    """Weighted overlap coefficient: the IDF-weighted mass two sentences share, over the
    mass of the shorter one.  A short sentence wholly contained in a long one scores 1."""
    matrix, _ = _idf_weighted([weighted_terms(text, language) for text in texts])
    totals = matrix.sum(axis=1)
    shared = np.minimum(matrix[:, None, :], matrix[None, :, :]).sum(axis=2)
    smaller = np.minimum(totals[:, None], totals[None, :])
    smaller[smaller == 0] = 1.0
    return shared / smaller


def number_conflicts(texts: Sequence[str], language: str = "en") -> np.ndarray:
    """True where both sentences state numbers and share none of them."""
    numbers = [
        [term for term, _ in _weighted_items(text, language) if term.startswith("#")]
        for text in texts
    ]
    columns: dict[str, int] = {}
    for found in numbers:
        for term in found:
            columns.setdefault(term, len(columns))
    stated = np.zeros((len(texts), max(len(columns), 1)), dtype=np.float32)
    for row, found in enumerate(numbers):
        stated[row, [columns[term] for term in found]] = 1
    has_numbers = stated.any(axis=1)
    shared = (stated @ stated.T) > 0
    return has_numbers[:, None] & has_numbers[None, :] & ~shared
