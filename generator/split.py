"""Split: paragraphs into sentences with an offline Punkt model (package `punkt`)."""

from __future__ import annotations

from functools import cache

import punkt

from generator.config import LANGUAGES
from generator.model import Block, Sentence

MIN_SENTENCE_CHARS = 2


@cache
def _tokenizer(punkt_model: str) -> punkt.PunktSentenceTokenizer:
    return punkt.PunktSentenceTokenizer(punkt.load_model(punkt_model))


def punkt_model_for(language: str) -> str:
    """The Punkt model for an ISO code; English when the language has no model."""
    return LANGUAGES.get(language, LANGUAGES["en"])[0]


def _quote_open(text: str) -> bool:
    """True while a quotation opened in `text` has not been closed."""
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def join_open_quotes(pieces: list[str], max_joined: int = 4) -> list[str]:
    """Keep a quotation that Punkt split at its inner full stops in one unit, so its
    attribution ("..., Stoltenberg said.") stays with it."""
    joined: list[str] = []
    parts_in_last = 0
    for piece in pieces:
        if joined and _quote_open(joined[-1]) and parts_in_last < max_joined:
            joined[-1] = f"{joined[-1]} {piece}"
            parts_in_last += 1
        else:
            joined.append(piece)
            parts_in_last = 1
    return joined


def single_spaced(text: str) -> str:
    """`re.sub(r"\\s+", " ", text).strip()`, faster: `str.split()` and `\\s` agree on what
    whitespace is (both use `str.isspace`), so joining the pieces with one space gives
    every run of whitespace as one space and none at either end."""
    return " ".join(text.split())


def split_sentences(paragraphs: tuple[Block, ...], language: str) -> tuple[Sentence, ...]:
    """Every sentence of the article, numbered in reading order."""
    tokenizer = _tokenizer(punkt_model_for(language))
    sentences: list[Sentence] = []
    for paragraph_index, paragraph in enumerate(paragraphs):
        for text in join_open_quotes(tokenizer.tokenize(paragraph.text)):
            text = single_spaced(text)
            if len(text) >= MIN_SENTENCE_CHARS:
                sentences.append(Sentence(text, len(sentences), paragraph_index, paragraph.line))
    return tuple(sentences)
