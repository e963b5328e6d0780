"""Summarize: the adapter around sumy; the only module that imports it.

Sentences go in as our `Sentence` values, are wrapped in sumy's document model
(`sumy.models.dom`) with a Punkt-based tokenizer, and the chosen sentences come
back as indices in original order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import Any

import punkt
from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.edmundson import EdmundsonSummarizer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from generator.config import LANGUAGES
from generator.model import Sentence

SUMMARIZERS: dict[str, Any] = {
    "lexrank": LexRankSummarizer,
    "lsa": LsaSummarizer,
    "luhn": LuhnSummarizer,
    "textrank": TextRankSummarizer,
    "edmundson": EdmundsonSummarizer,
    "kl": KLSummarizer,
    "sumbasic": SumBasicSummarizer,
}

# sumy's own rule for what counts as a word: letters, with inner apostrophes/hyphens.
WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’-])*$")


class PunktTokenizer:
    """The tokenizer interface sumy's document model expects, backed by offline Punkt."""

    def __init__(self, language: str) -> None:
        self.language = language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(punkt.sent_tokenize(paragraph, self.language))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(word for word in punkt.word_tokenize(sentence) if WORD.match(word))


def sumy_language(language: str) -> str:
    return LANGUAGES.get(language, LANGUAGES["en"])[1]


@cache
def _stop_words(language: str) -> frozenset[str]:
    try:
        return frozenset(get_stop_words(language))
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
    summarizer = SUMMARIZERS[algorithm](Stemmer(sumy_name))
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
    return tuple(sorted(indices))
