"""Sentence similarity that sees through rewording: stemmed content words, numbers
(digits and number words alike) and names weighted, TF-IDF cosine with numpy."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import attrgetter
from typing import NamedTuple

import numpy as np
import punkt

from generator.config import LANGUAGES
from generator.sumy_language import sumy_stemmer, sumy_stop_words

NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fifteen": "15", "twenty": "20", "thirty": "30", "forty": "40",
    "fifty": "50", "hundred": "100", "half": "0.5", "dozen": "12",
}  # fmt: skip
MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
NAME_WEIGHT = 2.0  # whole numbers (see `_word_terms`)
NUMBER_WEIGHT = 2.0
TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|[^\W_](?:[\w'’.-]*[^\W_])?")
FLOAT_WORDS = frozenset({"inf", "infinity", "nan"})  # what float() reads besides digits
EXTRA_STOP_WORDS = frozenset({"said", "says", "told", "also", "would", "could", "mr", "ms"})


@cache
def _stemmer(language: str) -> Callable[[str], str]:
    return sumy_stemmer(LANGUAGES.get(language, LANGUAGES["en"])[1])


@cache
def stop_words(language: str) -> frozenset[str]:
    try:
        words = sumy_stop_words(LANGUAGES.get(language, LANGUAGES["en"])[1])
    except LookupError:
        words = frozenset()
    return words | EXTRA_STOP_WORDS


def weighted_terms(text: str, language: str = "en") -> Counter[str]:
    """Stemmed content words of a sentence with their weights (a fresh Counter each call)."""
    return Counter(dict(_weighted_items(text, language)))


@lru_cache(maxsize=1 << 16)
def stem_word(language: str, word: str) -> str:
    """A word's stem (kept: the stems of a story's words are asked for again and again,
    by the similarity measure and by the key facts alike)."""
    return _stemmer(language)(word)


@lru_cache(maxsize=1 << 16)
def _weighted_items(text: str, language: str) -> tuple[tuple[str, float], ...]:
    """`weighted_terms`, computed once per sentence: each sentence of a story is weighed
    for its similarity, its numbers and its centrality."""
    words = list(map(_word_reader(language), TOKEN.findall(text)))
    values = list(map(_VALUE, words))
    if values.count(None) == len(values):
        return _word_terms(words)
    terms: dict[str, float] = {}
    for position, word in enumerate(words):
        follows_number = position > 0 and words[position - 1].value is not None
        if not word.lower or (word.multiplies and follows_number):
            continue  # "4.2 million" is one number, counted with its first word
        if word.value is not None:
            following = words[position + 1].multiplier if position + 1 < len(words) else 1.0
            term, weight = f"#{word.value * following:g}", NUMBER_WEIGHT
        elif word.content:
            is_name = word.capital and position > 0
            term, weight = word.stem, NAME_WEIGHT if is_name else 1.0
        else:
            continue
        terms[term] = terms.get(term, 0) + weight
    return tuple(terms.items())


def _word_terms(words: Sequence[Word]) -> tuple[tuple[str, float], ...]:
    """`_weighted_items` of words none of which is a number: each content word's stem,
    weighed 1, or NAME_WEIGHT after the first word if capitalised.  The weights are whole
    numbers, so counting them gives the same sums as adding them one by one."""
    stems = Counter([word.stem for word in words if word.content])
    names = Counter([word.stem for word in words[1:] if word.content and word.capital])
    return tuple((stem, count + (NAME_WEIGHT - 1.0) * names[stem]) for stem, count in stems.items())


class Word(NamedTuple):
    """What `_weighted_items` needs to know of a token, wherever it stands."""

    lower: str  # lower case, without dots around it
    value: float | None  # as a number
    multiplies: bool  # "million": part of the number before it
    multiplier: float  # what it multiplies the number before it by (1.0 for most words)
    content: bool  # a content word (not a number, a stop word or a single letter)
    stem: str  # its stem, if a content word
    capital: bool  # starts with a capital


_VALUE = attrgetter("value")


@cache
def _word_reader(language: str) -> Callable[[str], Word]:
    """`Word` of a token, kept per token (a function per language)."""
    ignored = stop_words(language)

    @lru_cache(maxsize=1 << 16)
    def read(token: str) -> Word:
        lower = _lower(token)
        value = _number(token)
        content = value is None and lower not in ignored and len(lower) > 1
        return Word(
            lower, value, lower in MULTIPLIERS, MULTIPLIERS.get(token.lower(), 1.0), content,
            stem_word(language, lower) if content else "", token[0].isupper(),
        )  # fmt: skip

    return read


@lru_cache(maxsize=1 << 16)
def _lower(token: str) -> str:
    return token.lower().strip(".")


@lru_cache(maxsize=1 << 16)
def _number(token: str) -> float | None:
    """The value of a number written in digits or as a word, else None."""
    lower = _lower(token)
    if lower in NUMBER_WORDS:
        return float(NUMBER_WORDS[lower])
    if not lower[:1].isdecimal() and lower not in FLOAT_WORDS:
        return None  # float() reads only these (a token has no sign, space or "_" first)
    try:
        return float(lower.replace(",", ""))
    except ValueError:
        return None


@dataclass(frozen=True)
class TermMatrix:
    """The weighted terms of some texts: a row per text, a column per term (in the order
    they first occur), built once and read for similarity, centrality and numbers."""

    terms: tuple[str, ...]
    weights: np.ndarray  # each text's term weights, 0 where it lacks the term
    idf: np.ndarray  # per term: log((1 + texts) / (1 + texts with the term)) + 1

    def tfidf(self) -> np.ndarray:
        return self.weights * self.idf

    def unit_vectors(self) -> np.ndarray:
        """Rows: L2-normalised TF-IDF vectors."""
        matrix = self.tfidf()
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return matrix / norms

    def similarity(self) -> np.ndarray:
        """Cosine similarity of every pair of texts (1.0 on the diagonal)."""
        vectors = self.unit_vectors()
        return vectors @ vectors.T

    def number_conflicts(self) -> np.ndarray:
        """True where both texts state numbers and share none of them."""
        columns = [column for column, term in enumerate(self.terms) if term.startswith("#")]
        stated = (self.weights[:, columns] != 0).astype(np.float64)
        has_numbers = stated.any(axis=1)
        # two texts share a number where they both state one: a count of shared numbers
        # above zero.  The product is of 0s and 1s, so its sums are whole numbers no
        # larger than the count of columns, exact in float64 in any order: BLAS's
        # product, which numpy has only for floats (numpy's own integer product took
        # 1.7 s for the 1,881 sentences of a 100-article story, BLAS's 0.04 s).
        shared = (stated @ stated.T) > 0
        return has_numbers[:, None] & has_numbers[None, :] & ~shared


def term_matrix(texts: Sequence[str], language: str = "en") -> TermMatrix:
    return _term_matrix([_weighted_items(text, language) for text in texts])


def _term_matrix(bags: Sequence[Iterable[tuple[str, float]]]) -> TermMatrix:
    vocabulary: dict[str, int] = {}
    column_of = vocabulary.setdefault
    sizes: list[int] = []
    columns: list[int] = []
    values: list[float] = []
    for bag in bags:
        items = tuple(bag)
        sizes.append(len(items))
        columns.extend([column_of(term, len(vocabulary)) for term, _ in items])
        values.extend([weight for _, weight in items])
    rows = np.repeat(np.arange(len(bags)), sizes)
    weights = np.zeros((len(bags), max(len(vocabulary), 1)), dtype=np.float64)
    weights[rows, columns] = values
    count = len(bags)
    frequency = np.bincount(columns, minlength=len(vocabulary)).tolist()  # bags per term
    idf = [math.log((1 + count) / (1 + found)) + 1.0 for found in frequency]
    return TermMatrix(tuple(vocabulary), weights, np.array(idf or [1.0], dtype=np.float64))


def tfidf_matrix(term_bags: Sequence[Counter[str]]) -> np.ndarray:
    """Rows: L2-normalised TF-IDF vectors of each bag, IDF over the bags themselves."""
    return _term_matrix([bag.items() for bag in term_bags]).unit_vectors()


def similarity_matrix(texts: Sequence[str], language: str = "en") -> np.ndarray:
    """Cosine similarity of every pair of texts (1.0 on the diagonal)."""
    return term_matrix(texts, language).similarity()


@lru_cache(maxsize=1 << 16)
def word_count(text: str) -> int:
    return len(punkt.word_tokenize(text)) if text else 0


# Punkt's only word that holds a space: a spaced ellipsis (". . .").
SPACED_DOTS_RE = re.compile(r"\.\s\.")


def has_words(text: str, least: int) -> bool:
    """`word_count(text) >= least`, without Punkt where the spaces tell: Punkt's words hold
    every character but spaces, and no space but a spaced ellipsis's."""
    if len(text.split()) >= least and SPACED_DOTS_RE.search(text) is None:
        return True
    return word_count(text) >= least


def overlap_matrix(texts: Sequence[str], language: str = "en") -> np.ndarray:
    """Weighted overlap coefficient: the IDF-weighted mass two sentences share, over the
    mass of the shorter one.  A short sentence wholly contained in a long one scores 1."""
    matrix = term_matrix(texts, language).tfidf()
    totals = matrix.sum(axis=1)
    shared = np.minimum(matrix[:, None, :], matrix[None, :, :]).sum(axis=2)
    smaller = np.minimum(totals[:, None], totals[None, :])
    smaller[smaller == 0] = 1.0
    return shared / smaller


def number_conflicts(texts: Sequence[str], language: str = "en") -> np.ndarray:
    """True where both sentences state numbers and share none of them."""
    return term_matrix(texts, language).number_conflicts()
