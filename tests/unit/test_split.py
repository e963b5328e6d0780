import re
import sys

import punkt

from generator.clean import clean_article
from generator.load import read_article
from generator.model import Block
from generator.split import join_open_quotes, single_spaced, split_sentences
from tests.conftest import SAMPLE_CONTENT, SEEDS_DIR


def test_sentences_keep_paragraph_and_line() -> None:
    paragraphs = (
        Block(3, "Lavrov said staff would lose accreditation from Nov. 1. Moscow denies it."),
        Block(5, "Mr. Stoltenberg spoke in Brussels on Oct. 20, 2021."),
    )
    sentences = split_sentences(paragraphs, "en")
    assert [s.text for s in sentences] == [
        "Lavrov said staff would lose accreditation from Nov. 1.",
        "Moscow denies it.",
        "Mr. Stoltenberg spoke in Brussels on Oct. 20, 2021.",
    ]
    assert [(s.index, s.paragraph, s.line) for s in sentences] == [(0, 0, 3), (1, 0, 3), (2, 1, 5)]


def test_a_quote_split_at_its_full_stop_stays_with_its_attribution() -> None:
    text = (
        '"The relationship is at its lowest point. For us, that is an argument for '
        'dialogue," Stoltenberg told a news conference. Moscow denies it.'
    )
    sentences = split_sentences((Block(1, text),), "en")
    assert [s.text for s in sentences] == [
        '"The relationship is at its lowest point. For us, that is an argument for '
        'dialogue," Stoltenberg told a news conference.',
        "Moscow denies it.",
    ]


def test_join_open_quotes_with_curly_quotes_and_a_limit() -> None:
    assert join_open_quotes(["“One.", "Two.”", "Three."]) == ["“One. Two.”", "Three."]
    never_closed = ["“A.", "B.", "C.", "D.", "E.", "F."]
    assert join_open_quotes(never_closed) == ["“A. B. C. D.", "E.", "F."]


def reference_split(paragraphs: tuple[Block, ...]) -> list[tuple[str, int, int]]:
    """split_sentences as first written: whitespace runs replaced by a regex."""
    tokenizer = punkt.PunktSentenceTokenizer(punkt.load_model("english"))
    sentences = []
    for number, paragraph in enumerate(paragraphs):
        for text in join_open_quotes(tokenizer.tokenize(paragraph.text)):
            text = re.sub(r"\s+", " ", text).strip()
            if len(text) >= 2:
                sentences.append((text, number, paragraph.line))
    return sentences


def test_single_spaced_is_the_regex_it_replaces() -> None:
    odd_spaces = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2009\u200a"
    odd_spaces += "\u2028\u2029\u202f\u205f\u3000"
    samples = ["", " ", "a", "  a  b  ", f"x{odd_spaces}y", f"{odd_spaces}z\u200bw{odd_spaces}"]
    for text in samples:
        assert single_spaced(text) == re.sub(r"\s+", " ", text).strip()
    # `\s` and str.isspace (which str.split uses) agree on every character.
    assert all(
        (re.fullmatch(r"\s", char) is not None) == char.isspace()
        for char in map(chr, range(sys.maxunicode + 1))
    )


def test_split_sentences_unchanged_on_real_articles() -> None:
    paths = sorted((SAMPLE_CONTENT / "harlow-ferry-bridge").glob("*.*"))
    paths += sorted(SEEDS_DIR.glob("*.txt")) if SEEDS_DIR.is_dir() else []
    for path in (p for p in paths if p.name != "index.md"):
        raw, _ = read_article(path, path.name)
        paragraphs = clean_article(raw).paragraphs
        sentences = [(s.text, s.paragraph, s.line) for s in split_sentences(paragraphs, "en")]
        assert sentences == reference_split(paragraphs), path.name
