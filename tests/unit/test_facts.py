"""Tests for generator.facts: key facts and differences across the five seed articles, plus
small invented stories that show the rules generalise."""

from __future__ import annotations

import re
from pathlib import Path

import punkt
import pytest

from generator.facts import extract_facts
from generator.model import (
    ArticleMeta,
    Block,
    FactsResult,
    KeyFact,
    PartialDate,
    ProcessedArticle,
    Sentence,
)

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
DATELINE = re.compile(
    r"^(?:[A-Z]{3,}, (?:Oct|October) \d{1,2}\.?\s*(?:/[A-Z]+/\.\s*)?[—-]?\s*|[A-Z]{3,} \(\w+\) - )"
)
SEED_META = {
    "000": ("000", PartialDate(10, 21)),
    "001": ("001", PartialDate(10, 20, 2021)),
    "002": ("Reuters", PartialDate(10, 20, 2021)),
    "003": ("TASS", PartialDate(10, 18)),
    "004": ("004", None),
}
TOKENIZER = punkt.PunktSentenceTokenizer(punkt.load_model("english"))


def article(
    source_id: str, paragraphs: list[str], published: PartialDate | None, outlet: str = ""
) -> ProcessedArticle:
    """A processed article whose sentences are the Punkt split of `paragraphs`."""
    sentences: list[Sentence] = []
    for number, text in enumerate(paragraphs):
        for piece in TOKENIZER.tokenize(text):
            sentences.append(Sentence(piece, len(sentences), number, number + 1))
    blocks = tuple(Block(n + 1, text) for n, text in enumerate(paragraphs))
    meta = ArticleMeta(outlet=outlet or source_id, published=published)
    return ProcessedArticle(source_id, f"{source_id}.txt", meta, blocks, (), tuple(sentences), ())


def story_paragraphs(text: str) -> list[str]:
    """Lines that read as story paragraphs: >= 12 words, ending a sentence; datelines removed."""
    kept = []
    for line in text.splitlines():
        line = re.sub(r"\s*\[[a-z/]+\]$", "", line.strip())  # "[em/lt]" desk initials
        line = DATELINE.sub("", line)
        if "REUTERS/" in line:  # photo caption
            continue
        if len(line.split()) >= 12 and re.search(r"[.!?\"”]$", line):
            kept.append(line)
    return kept


@pytest.fixture(scope="module")
def seeds() -> list[ProcessedArticle]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present")
    articles = []
    for path in sorted(SEEDS.glob("*.txt")):
        source_id = path.stem[:3]
        outlet, published = SEED_META[source_id]
        paragraphs = story_paragraphs(path.read_text(encoding="utf-8"))
        articles.append(article(source_id, paragraphs, published, outlet))
    return articles


@pytest.fixture(scope="module")
def seed_facts(seeds: list[ProcessedArticle]) -> FactsResult:
    return extract_facts(seeds)


def facts_of(result: FactsResult, kind: str) -> list[KeyFact]:
    return [f for f in result.key_facts if f.kind == kind]


# --- the seed story ---------------------------------------------------------------------------


def test_seed_datelines_are_stripped(seeds: list[ProcessedArticle]) -> None:
    firsts = [a.sentences[0].text for a in seeds]
    assert not any(s.startswith("BRUSSELS") for s in firsts)


def test_box_size_and_kind_mix(seed_facts: FactsResult) -> None:
    assert 8 <= len(seed_facts.key_facts) <= 15
    kinds = {f.kind for f in seed_facts.key_facts}
    assert kinds == {"number", "date", "person", "organisation", "quote"}
    assert len(facts_of(seed_facts, "number")) <= 4
    assert 3 <= len(facts_of(seed_facts, "person")) <= 5
    assert len(facts_of(seed_facts, "organisation")) <= 2


def test_key_facts_are_grouped_by_kind(seed_facts: FactsResult) -> None:
    order = ["number", "date", "person", "organisation", "quote"]
    positions = [order.index(f.kind) for f in seed_facts.key_facts]
    assert positions == sorted(positions)


def test_cold_war_quote_appears_once_with_its_speaker(seed_facts: FactsResult) -> None:
    quotes = [
        f
        for f in facts_of(seed_facts, "quote")
        if "since the end of the cold war" in f.text.lower()
    ]
    assert len(quotes) == 1
    quote = quotes[0]
    assert "Stoltenberg" in quote.speaker
    assert {"000", "001", "002"} <= set(quote.sources)
    assert "004" in quote.sources  # "relations ... were at their lowest point": a paraphrase
    assert {r.source_id for r in quote.refs} == set(quote.sources)


def test_eight_expelled_is_one_number_from_most_sources(seed_facts: FactsResult) -> None:
    eights = [f for f in facts_of(seed_facts, "number") if re.search(r"\beight\b", f.text)]
    assert len(eights) == 1
    assert len(eights[0].sources) >= 4
    assert re.search(r"expel|expulsion", eights[0].text)


def test_mission_cut_from_20_to_10(seed_facts: FactsResult) -> None:
    cuts = [f for f in facts_of(seed_facts, "number") if "20 to 10" in f.text]
    assert len(cuts) == 1
    assert {"000", "003"} <= set(cuts[0].sources)


def test_lavrov_is_one_person_whatever_the_spelling(seed_facts: FactsResult) -> None:
    lavrovs = [f for f in facts_of(seed_facts, "person") if "Lavrov" in f.text]
    assert len(lavrovs) == 1
    assert set(lavrovs[0].sources) == {"002", "003"}
    assert "Foreign Minister" in lavrovs[0].text


def test_stoltenberg_is_named_with_his_role(seed_facts: FactsResult) -> None:
    top = facts_of(seed_facts, "person")[0]
    assert "Jens Stoltenberg" in top.text and "Secretary" in top.text
    assert len(top.sources) == 4


def test_nato_spellings_are_one_organisation(seed_facts: FactsResult) -> None:
    natos = [f for f in facts_of(seed_facts, "organisation") if f.text.startswith("NATO")]
    texts = [f.text.split(" (")[0] for f in natos]
    assert "NATO" in texts
    nato = natos[texts.index("NATO")]
    assert len(nato.sources) == 5  # 001 writes "Nato"
    assert not any(f.text.lower().startswith("tass") for f in seed_facts.key_facts)


def test_monday_announcement_resolves_to_18_october(seed_facts: FactsResult) -> None:
    dated = [f for f in facts_of(seed_facts, "date") if f.when == PartialDate(10, 18, 2021)]
    assert len(dated) == 1
    assert re.search(r"suspend|clos|halt", dated[0].text)
    assert len(dated[0].sources) >= 4


def test_expulsion_dated_6_october_gathers_earlier_this_month(seed_facts: FactsResult) -> None:
    dated = [f for f in facts_of(seed_facts, "date") if f.when == PartialDate(10, 6, 2021)]
    assert len(dated) == 1
    assert {"000", "001", "003"} <= set(dated[0].sources)


def test_day_stoltenberg_spoke_is_a_difference(seed_facts: FactsResult) -> None:
    days = [
        d
        for d in seed_facts.differences
        if "Stoltenberg" in d.subject and any("Wednesday" in v.value for v in d.values)
    ]
    assert len(days) == 1
    values = {v.value.split()[0]: set(v.sources) for v in days[0].values}
    assert values["Wednesday"] >= {"000", "002"}
    assert values["Thursday"] == {"004"}


def test_lavrov_spelling_is_a_difference(seed_facts: FactsResult) -> None:
    spelling = [d for d in seed_facts.differences if "Lavrov" in d.subject]
    assert len(spelling) == 1
    assert {(v.value, v.sources) for v in spelling[0].values} == {
        ("Sergei Lavrov", ("002",)),
        ("Sergey Lavrov", ("003",)),
    }


def test_limit_is_respected(seeds: list[ProcessedArticle]) -> None:
    small = extract_facts(seeds, limit=5)
    assert len(small.key_facts) == 5
    assert extract_facts([]).key_facts == ()


# --- invented stories -------------------------------------------------------------------------


def flood_story() -> list[ProcessedArticle]:
    return [
        article(
            "wire",
            [
                "Mayor Anna Kowalska said on Tuesday that three bridges had been closed after "
                "the river burst its banks.",
                "Rescue teams evacuated 4,500 residents from the old town overnight, "
                "officials said.",
                '"We have never seen water this high in the old town," Kowalska told reporters.',
            ],
            PartialDate(3, 14, 2024),  # a Thursday
        ),
        article(
            "daily",
            [
                "Three bridges were shut on Tuesday as the river rose, Mayor Ana Kowalska said.",
                "Some 4,500 residents were evacuated from the old town.",
                '"We have never seen water this high," she said at a news conference.',
            ],
            PartialDate(3, 13),  # year borrowed from the story
        ),
        article(
            "radio",
            [
                "The city evacuated 4,500 residents from the old town and closed three bridges "
                "on March 12.",
                "Emergency services chief Piotr Nowak said 200 soldiers would help build "
                "flood barriers.",
            ],
            None,
        ),
    ]


def test_invented_story_counts_are_merged_across_sources() -> None:
    result = extract_facts(flood_story())
    numbers = facts_of(result, "number")
    residents = [f for f in numbers if "4,500" in f.text]
    assert len(residents) == 1 and set(residents[0].sources) == {"wire", "daily", "radio"}
    bridges = [f for f in numbers if re.search(r"\bthree\b", f.text, re.IGNORECASE)]
    assert len(bridges) == 1 and set(bridges[0].sources) == {"wire", "daily", "radio"}


def test_invented_story_weekday_is_normalised_with_a_borrowed_year() -> None:
    result = extract_facts(flood_story())
    tuesday = [f for f in facts_of(result, "date") if f.when == PartialDate(3, 12, 2024)]
    assert len(tuesday) == 1
    assert set(tuesday[0].sources) == {"wire", "daily", "radio"}  # "March 12" is the same day


def test_invented_story_quote_with_pronoun_speaker() -> None:
    result = extract_facts(flood_story())
    quotes = facts_of(result, "quote")
    assert len(quotes) == 1
    assert set(quotes[0].sources) == {"wire", "daily"}
    assert quotes[0].speaker == "Anna Kowalska" or quotes[0].speaker == "Ana Kowalska"
    people = [f.text for f in facts_of(result, "person")]
    assert sum("Kowalska" in p for p in people) == 1
    assert any("Piotr Nowak" in p for p in people)


def test_different_counts_of_the_same_thing_are_a_difference() -> None:
    articles = [
        article(
            "a", ["The storm destroyed twelve houses in the coastal village, police said."], None
        ),
        article("b", ["Police said the storm destroyed 15 houses in the coastal village."], None),
    ]
    result = extract_facts(articles)
    counts = [d for d in result.differences if d.subject == "Number of houses"]
    assert len(counts) == 1
    assert {v.sources for v in counts[0].values} == {("a",), ("b",)}


def test_quote_split_across_two_sources_is_one_quote() -> None:
    whole = (
        '"The agreement protects the wetlands of the delta and gives farmers ten years to adapt '
        'their irrigation," Minister Lena Berg said on Friday.'
    )
    articles = [
        article("x", [whole], PartialDate(6, 9, 2023)),
        article(
            "y",
            [
                "Environment Minister Lena Berg said the agreement "
                '"protects the wetlands of the delta".',
                'She added that it "gives farmers ten years to adapt their irrigation."',
            ],
            PartialDate(6, 10, 2023),
        ),
    ]
    quotes = facts_of(extract_facts(articles), "quote")
    assert len(quotes) == 1
    assert set(quotes[0].sources) == {"x", "y"}
    assert quotes[0].speaker == "Lena Berg"


def test_relative_weekday_without_any_year_is_skipped() -> None:
    articles = [
        article(
            "p",
            ["The council voted on Monday to close the old library in the town centre."],
            PartialDate(5, 2),
        ),
        article("q", ["The town council voted on Monday to close the old library for good."], None),
    ]
    assert facts_of(extract_facts(articles), "date") == []
