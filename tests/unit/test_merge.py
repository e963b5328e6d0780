"""The cross-source merge on real stories: the seeds and the sample briefing."""

from __future__ import annotations

import math
import random
from pathlib import Path

import numpy as np
import pytest

from generator import textsim
from generator.config import Settings
from generator.facts import extract_facts
from generator.load import read_article
from generator.merge import (
    ONLY_HERE_SIMILARITY,
    SAME_FACT_SIMILARITY,
    StoryPool,
    build_pool,
    merge_briefing,
    only_here,
    resolve_years,
    supporting_refs,
)
from generator.model import Briefing, BriefingMeta, PartialDate, ProcessedArticle, SentenceRef
from generator.pipeline import process_article, source_ids
from generator.textsim import number_conflicts, similarity_matrix, word_count
from tests.conftest import SAMPLE_CONTENT, seed_paths


def briefing_from(paths: list[Path], lead_words: int = 120) -> Briefing:
    ids = source_ids(tuple(paths))
    articles = [
        process_article(read_article(path, path.name)[0], source_id, Settings())
        for path, source_id in zip(paths, ids, strict=True)
    ]
    resolved = resolve_years(articles, None)
    return merge_briefing(
        "story", BriefingMeta(), resolved, extract_facts(resolved), lead_words, "en"
    )


@pytest.fixture(scope="module")
def seeds() -> Briefing:
    return briefing_from(seed_paths())


@pytest.fixture(scope="module")
def sample() -> Briefing:
    story = SAMPLE_CONTENT / "harlow-ferry-bridge"
    return briefing_from(sorted(p for p in story.iterdir() if p.name != "index.md"))


def words(briefing: Briefing) -> int:
    return sum(len(sentence.text.split()) for sentence in briefing.lead)


def test_lead_draws_on_several_sources_within_the_budget(seeds: Briefing) -> None:
    assert 100 <= words(seeds) <= 120 + 70
    assert len({sentence.sources[0] for sentence in seeds.lead}) >= 2
    credited_by_several = [s for s in seeds.lead if len(s.sources) >= 2]
    assert len(credited_by_several) >= len(seeds.lead) / 2


def test_cold_war_statement_once_credited_to_every_outlet_quoting_it(seeds: Briefing) -> None:
    statements = [s for s in seeds.lead if "lowest point since the end of the Cold War" in s.text]
    assert len(statements) == 1
    assert {"000-1336be3508277bde", "001-b0788445b342480a", "002-bfdb1e02d35a86c2"} <= set(
        statements[0].sources
    )
    quotes = [f for f in seeds.facts.key_facts if f.kind == "quote" and "Cold War" in f.text]
    assert len(quotes) == 1 and len(quotes[0].sources) >= 3


def test_the_day_the_seeds_disagree_on_is_flagged(seeds: Briefing) -> None:
    flagged = [
        d
        for d in seeds.facts.differences
        if {"Wednesday", "Thursday"} <= set(" ".join(v.value for v in d.values).split())
    ]
    assert flagged, [d.subject for d in seeds.facts.differences]


def test_years_come_from_the_story(seeds: Briefing) -> None:
    dates = {s.article.source_id[:3]: s.article.meta.published for s in seeds.sources}
    assert dates["000"] == PartialDate(10, 21, 2021)
    assert dates["003"] == PartialDate(10, 18, 2021)
    assert seeds.date == PartialDate(10, 21, 2021)


def test_sources_in_story_order_with_summaries(seeds: Briefing) -> None:
    order = [section.article.source_id[:3] for section in seeds.sources]
    assert order[0] == "003"  # the earliest dated report
    assert all(len(section.summary) == 3 for section in seeds.sources)


def test_only_here_is_not_reported_elsewhere(sample: Briefing) -> None:
    by_id = {s.article.source_id: s for s in sample.sources}
    wire_only = by_id["valley-wire"].only_here
    assert any("Luis Moreno" in text for text in wire_only)
    everything_else = " ".join(
        s.text for other in sample.sources if other.article.source_id != "valley-wire"
        for s in other.article.sentences
    )  # fmt: skip
    assert "Moreno" not in everything_else
    assert all(len(section.only_here) <= 3 for section in sample.sources)
    # A fact every outlet reports is never "only here".
    assert not any("4,200" in text for section in sample.sources for text in section.only_here)


def test_repair_cost_disagreement_is_reported(sample: Briefing) -> None:
    (cost,) = [d for d in sample.facts.differences if "$4.8 million" in str(d)]
    values = {value.value: set(value.sources) for value in cost.values}
    assert any("$4.2 million" in value for value in values)
    assert {"river-country-radio"} in values.values()


def test_number_conflict_lowers_same_fact_similarity() -> None:
    texts = [
        "Repairs are estimated at $4.2 million, officials said.",
        "Repairs are estimated at $4.8 million, officials said.",
        "Repairs are estimated at $4.2 million, the mayor said.",
    ]
    conflicts = number_conflicts(texts)
    assert conflicts[0, 1] and not conflicts[0, 2]
    similarity = similarity_matrix(texts)
    assert similarity[0, 2] > 0.5 and similarity[0, 0] == pytest.approx(1.0)


# --- the quick forms give what the plain definitions give --------------------------------------


def pool_of(briefing: Briefing) -> StoryPool:
    return build_pool([section.article for section in briefing.sources], "en")


def refs_by_loop(pool: StoryPool, position: int) -> tuple[SentenceRef, ...]:
    own = pool.sentences[position]
    refs = [SentenceRef(own.source_id, own.index)]
    best: dict[str, tuple[float, int]] = {}
    for other, item in enumerate(pool.sentences):
        score = float(pool.same_fact[position, other])
        if item.source_id == own.source_id or score < SAME_FACT_SIMILARITY:
            continue
        if score > best.get(item.source_id, (0, 0))[0]:
            best[item.source_id] = (score, item.index)
    return (*refs, *(SentenceRef(source, index) for source, (_, index) in best.items()))


def only_here_by_loop(pool: StoryPool, article: ProcessedArticle) -> tuple[str, ...]:
    rows = [i for i, item in enumerate(pool.sentences) if item.source_id == article.source_id]
    others = [i for i, item in enumerate(pool.sentences) if item.source_id != article.source_id]
    unique = [
        row for row in rows
        if pool.same_fact[row, others].max() < ONLY_HERE_SIMILARITY
        and word_count(pool.sentences[row].text) >= 8
    ]  # fmt: skip
    in_summary = set(article.summary)
    unique.sort(key=lambda row: (pool.sentences[row].index not in in_summary, -pool.scores[row]))
    picked = sorted(unique[:3], key=lambda row: pool.sentences[row].index)
    return tuple(pool.sentences[row].text for row in picked)


def test_credits_and_only_here_match_plain_loops(sample: Briefing, seeds: Briefing) -> None:
    for briefing in (sample, seeds):
        pool = pool_of(briefing)
        assert all(
            supporting_refs(pool, position) == refs_by_loop(pool, position)
            for position in range(len(pool.sentences))
        )
        for section in briefing.sources:
            assert only_here(pool, section.article) == only_here_by_loop(pool, section.article)


def terms_by_loop(text: str) -> tuple[tuple[str, float], ...]:
    """`_weighted_items` word by word, as defined."""
    ignored = textsim.stop_words("en")
    terms: dict[str, float] = {}
    tokens = textsim.TOKEN.findall(text)
    for position, token in enumerate(tokens):
        lower = token.lower().strip(".")
        follows_number = position > 0 and textsim._number(tokens[position - 1]) is not None
        if not lower or (lower in textsim.MULTIPLIERS and follows_number):
            continue
        value = textsim._number(token)
        if value is not None:
            following = tokens[position + 1].lower() if position + 1 < len(tokens) else ""
            term = f"#{value * textsim.MULTIPLIERS.get(following, 1.0):g}"
            terms[term] = terms.get(term, 0) + textsim.NUMBER_WEIGHT
        elif lower not in ignored and len(lower) > 1:
            weight = textsim.NAME_WEIGHT if token[0].isupper() and position > 0 else 1.0
            term = textsim.stem_word("en", lower)
            terms[term] = terms.get(term, 0) + weight
    return tuple(terms.items())


def test_term_weights_and_matrix_match_their_definitions(sample: Briefing) -> None:
    texts = [s.text for section in sample.sources for s in section.article.sentences]
    rng = random.Random(7)
    pieces = ["Bridge", "bridge", "the", "Mayor", "I", "NATO", "two", "4.2", "million", "nan", "."]
    texts += [" ".join(rng.choices(pieces, k=rng.randint(0, 9))) for _ in range(500)]
    assert all(textsim._weighted_items(text, "en") == terms_by_loop(text) for text in texts)
    bags = [textsim.weighted_terms(text) for text in texts]
    columns: dict[str, int] = {}
    for bag in bags:
        for term in bag:
            columns.setdefault(term, len(columns))
    matrix = np.zeros((len(bags), len(columns)))
    for row, bag in enumerate(bags):
        for term, weight in bag.items():
            holding = sum(1 for other in bags if term in other)
            idf = math.log((1 + len(bags)) / (1 + holding)) + 1.0
            matrix[row, columns[term]] = weight * idf
    assert textsim.term_matrix(texts).tfidf().tobytes() == matrix.tobytes()


def test_words_counted_by_spaces_where_they_tell() -> None:
    rng = random.Random(9)
    pieces = [". . .", "...", "--", "a", "b.", "Dr.", ",", "!", "“", "x y", "\u00a0", "\t", ". ."]
    texts = ["".join(rng.choices(pieces, k=rng.randint(0, 12))) for _ in range(3000)]
    for text in texts:
        for least in (1, 3, 8, 10):
            assert textsim.has_words(text, least) == (word_count(text) >= least)


def test_cache_serialisation_matches_asdict_on_a_real_briefing(sample: Briefing) -> None:
    """The cache's fast converter writes what `dataclasses.asdict` would."""
    from dataclasses import asdict

    from generator.cache import plain_data

    assert plain_data(sample) == asdict(sample)
    for section in sample.sources:
        assert plain_data(section.article) == asdict(section.article)
    with pytest.raises(TypeError):
        plain_data({"a": {1, 2}})
