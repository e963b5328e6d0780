"""Merge: read all sources of one story together into a `Briefing`.

The lead ranks every sentence of every source at once: what most sources agree on
(cross-source support), how central it is to the story (centroid similarity) and how
early its source puts it.  Redundant wordings of one fact appear once, credited to
every source that carries it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from generator.model import (
    Briefing,
    BriefingMeta,
    FactsResult,
    LeadSentence,
    PartialDate,
    ProcessedArticle,
    SentenceRef,
    SourceSection,
)
from generator.textsim import TermMatrix, has_words, similarity_matrix, term_matrix, word_count

# Two sentences carry the same fact at or above this similarity (credits, redundancy):
# TF-IDF cosine, halved when both state numbers and share none.  Measured on hand-
# labelled pairs by bench/credit_threshold.py (best F1: precision 0.71, recall 0.56).
SAME_FACT_SIMILARITY = 0.41
NUMBER_CONFLICT_FACTOR = 0.5
# A sentence is "only here" when no other source has anything this close to it: below
# the same-fact threshold, with a margin so that partly covered sentences stay out.
ONLY_HERE_SIMILARITY = 0.30
MIN_LEAD_WORDS, MAX_LEAD_WORDS = 10, 70
ONLY_HERE_LIMIT = 3
DANGLING_START = re.compile(r"^(He|She|It|They|This|That|These|Those|His|Her|Their)\b")
# Weights of the lead score.  Chosen on the Multi-News sample with a split-half check
# (bench/quality.py): a broad optimum where cross-source support dominates, centrality
# and position help a little; results within 0.1 ROUGE-2 over a wide range around it.
SUPPORT_WEIGHT, CENTRALITY_WEIGHT, POSITION_WEIGHT = 1.5, 0.5, 0.7


@dataclass(frozen=True)
class PooledSentence:
    """A sentence of the story's pool: which source, which sentence, its place in it."""

    source_id: str
    index: int
    text: str
    relative_position: float  # 0 at the top of its article, 1 at the end


@dataclass(frozen=True)
class StoryPool:
    sentences: tuple[PooledSentence, ...]
    similarity: np.ndarray  # TF-IDF cosine, for centrality and support
    same_fact: np.ndarray  # cosine with the number-conflict penalty, for credit
    scores: np.ndarray
    rows_by_source: dict[str, np.ndarray]  # each source's positions, sources as they come


def build_pool(articles: Sequence[ProcessedArticle], language: str) -> StoryPool:
    pooled = [
        PooledSentence(
            article.source_id,
            sentence.index,
            sentence.text,
            sentence.index / max(len(article.sentences) - 1, 1),
        )
        for article in articles
        for sentence in article.sentences
    ]
    terms = term_matrix([item.text for item in pooled], language)
    similarity = terms.similarity()
    same_fact = np.where(terms.number_conflicts(), NUMBER_CONFLICT_FACTOR, 1.0)
    scores = _scores(pooled, similarity, terms)
    return StoryPool(
        tuple(pooled), similarity, similarity * same_fact, scores, _rows_by_source(pooled)
    )


def _rows_by_source(pooled: Sequence[PooledSentence]) -> dict[str, np.ndarray]:
    rows: dict[str, list[int]] = {}
    for position, item in enumerate(pooled):
        rows.setdefault(item.source_id, []).append(position)
    return {source_id: np.array(found, dtype=np.intp) for source_id, found in rows.items()}


def _scores(pooled: list[PooledSentence], similarity: np.ndarray, terms: TermMatrix) -> np.ndarray:
    if not pooled:
        return np.zeros(0)
    source_ids = [item.source_id for item in pooled]
    support = _cross_source_support(source_ids, similarity)
    centrality = _centroid_similarity(terms)
    position = np.array([1.0 - item.relative_position for item in pooled])
    return SUPPORT_WEIGHT * support + CENTRALITY_WEIGHT * centrality + POSITION_WEIGHT * position


def _cross_source_support(source_ids: list[str], similarity: np.ndarray) -> np.ndarray:
    """For each sentence, the mean over other sources of its best match there."""
    distinct = sorted(set(source_ids))
    if len(distinct) < 2:
        return np.zeros(len(source_ids))
    owner = np.array([distinct.index(source_id) for source_id in source_ids])
    best_per_source = np.zeros((len(source_ids), len(distinct)))
    for column, _ in enumerate(distinct):
        members = owner == column
        best_per_source[:, column] = similarity[:, members].max(axis=1)
    best_per_source[np.arange(len(source_ids)), owner] = 0.0
    return best_per_source.sum(axis=1) / (len(distinct) - 1)


def _centroid_similarity(terms: TermMatrix) -> np.ndarray:
    """Cosine of each sentence's term weights with the story's summed weights."""
    if not terms.terms:
        return np.zeros(len(terms.weights))
    matrix = terms.weights
    centroid_vector = matrix.sum(axis=0)  # whole-number weights: exact in any order
    norms = np.linalg.norm(matrix, axis=1) * np.linalg.norm(centroid_vector)
    norms[norms == 0] = 1.0
    return (matrix @ centroid_vector) / norms


def _eligible(item: PooledSentence) -> bool:
    if item.text[:1].islower():
        return False
    return MIN_LEAD_WORDS <= word_count(item.text) <= MAX_LEAD_WORDS


def select_lead(pool: StoryPool, word_budget: int) -> list[int]:
    """Greedy: best-scored eligible sentences, skipping repeats, until the budget is spent."""
    adjusted = pool.scores.copy()
    for position, item in enumerate(pool.sentences):
        if DANGLING_START.match(item.text):
            adjusted[position] *= 0.6
    chosen: list[int] = []
    words_used = 0
    for position in np.argsort(-adjusted, kind="stable"):
        item = pool.sentences[position]
        if words_used >= word_budget:
            break
        if not _eligible(item):
            continue
        if chosen and pool.same_fact[position, chosen].max() >= SAME_FACT_SIMILARITY:
            continue
        chosen.append(int(position))
        words_used += word_count(item.text)
    return chosen


def supporting_refs(pool: StoryPool, position: int) -> tuple[SentenceRef, ...]:
    """The sentence itself plus, per other source, its closest sentence if it says the same
    (the first closest; sources in the order of their first sentence that says the same)."""
    own = pool.sentences[position]
    scores = pool.same_fact[position]
    found: list[tuple[int, SentenceRef]] = []
    for source_id, rows in pool.rows_by_source.items():
        if source_id == own.source_id:
            continue
        said = np.flatnonzero(scores[rows] >= SAME_FACT_SIMILARITY)
        if len(said):
            best = rows[int(np.argmax(scores[rows]))]
            found.append((int(rows[said[0]]), SentenceRef(source_id, pool.sentences[best].index)))
    found.sort(key=lambda item: item[0])
    return (SentenceRef(own.source_id, own.index), *(ref for _, ref in found))


def lead_sentences(
    pool: StoryPool, word_budget: int, source_order: Sequence[str]
) -> tuple[LeadSentence, ...]:
    chosen = select_lead(pool, word_budget)
    rank_of_source = {source_id: rank for rank, source_id in enumerate(source_order)}
    chosen.sort(
        key=lambda position: (
            round(pool.sentences[position].relative_position, 1),
            rank_of_source[pool.sentences[position].source_id],
        )
    )
    lead: list[LeadSentence] = []
    for position in chosen:
        refs = supporting_refs(pool, position)
        sources = tuple(sorted({ref.source_id for ref in refs}, key=rank_of_source.__getitem__))
        lead.append(LeadSentence(pool.sentences[position].text, sources, refs))
    return tuple(lead)


def only_here(pool: StoryPool, article: ProcessedArticle) -> tuple[str, ...]:
    """Sentences of this source that no other source covers, summary sentences first."""
    rows = pool.rows_by_source.get(article.source_id, np.zeros(0, dtype=np.intp))
    elsewhere = np.ones(len(pool.sentences), dtype=bool)
    elsewhere[rows] = False
    others = np.flatnonzero(elsewhere)
    if not len(others):
        return ()
    in_summary = set(article.summary)
    closest = pool.same_fact[np.ix_(rows, others)].max(axis=1)  # per row, elsewhere
    unique_rows = [
        row
        for row, score in zip(rows.tolist(), closest.tolist(), strict=True)
        if score < ONLY_HERE_SIMILARITY and has_words(pool.sentences[row].text, 8)
    ]
    unique_rows.sort(
        key=lambda row: (pool.sentences[row].index not in in_summary, -pool.scores[row])
    )
    picked = sorted(unique_rows[:ONLY_HERE_LIMIT], key=lambda row: pool.sentences[row].index)
    return tuple(pool.sentences[row].text for row in picked)


def resolve_years(
    articles: Sequence[ProcessedArticle], briefing_date: PartialDate | None
) -> list[ProcessedArticle]:
    """Give year-less datelines ("Oct 21") the story's year: the briefing's, else the
    most common year among its sources."""
    years = Counter(
        article.meta.published.year
        for article in articles
        if article.meta.published is not None and article.meta.published.year is not None
    )
    story_year = briefing_date.year if briefing_date and briefing_date.year else None
    if story_year is None and years:
        story_year = years.most_common(1)[0][0]
    if story_year is None:
        return list(articles)
    resolved: list[ProcessedArticle] = []
    for article in articles:
        published = article.meta.published
        if published is not None and published.year is None:
            article = replace(
                article, meta=replace(article.meta, published=published.with_year(story_year))
            )
        resolved.append(article)
    return resolved


def order_sources(articles: Sequence[ProcessedArticle]) -> list[ProcessedArticle]:
    """Earliest first; undated sources after dated ones; then by file name."""

    def key(article: ProcessedArticle) -> tuple[int, str, str]:
        published = article.meta.published
        dated = published is not None and published.year is not None
        return (0 if dated else 1, published.iso() if published else "", article.path)

    return sorted(articles, key=key)


def story_date(meta: BriefingMeta, articles: Sequence[ProcessedArticle]) -> PartialDate | None:
    if meta.date is not None:
        return meta.date
    dated = [
        article.meta.published
        for article in articles
        if article.meta.published is not None and article.meta.published.year is not None
    ]
    return max(dated, key=PartialDate.iso) if dated else None


def story_title(meta: BriefingMeta, slug: str, articles: Sequence[ProcessedArticle]) -> str:
    """index.md's title, else the headline most like the others, else the slug."""
    if meta.title:
        return meta.title
    titles = [article.meta.title for article in articles if article.meta.title]
    if len(titles) == 1:
        return titles[0]
    if titles:
        matrix = similarity_matrix(titles)
        return titles[int(matrix.sum(axis=1).argmax())]
    return slug.replace("-", " ").capitalize()


def merge_briefing(
    slug: str,
    meta: BriefingMeta,
    articles: Sequence[ProcessedArticle],
    facts: FactsResult,
    lead_words: int,
    language: str,
) -> Briefing:
    """Assemble the briefing of one story from its processed articles."""
    ordered = order_sources(articles)
    pool = build_pool(ordered, language)
    source_order = [article.source_id for article in ordered]
    sections = tuple(
        SourceSection(
            article,
            tuple(article.sentences[index].text for index in article.summary),
            only_here(pool, article),
        )
        for article in ordered
    )
    return Briefing(
        slug=slug,
        title=story_title(meta, slug, ordered),
        date=story_date(meta, ordered),
        note_markdown=meta.note_markdown,
        lead=lead_sentences(pool, meta.lead_words or lead_words, source_order),
        facts=facts,
        sources=sections,
        tags=meta.tags,
    )
