from generator.model import Block
from generator.split import join_open_quotes, split_sentences


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
