"""Facts: the "Key facts" box and "Where sources differ", from all sources of one story at once.

`extract_facts(articles)` finds short checkable items in the articles' sentences and credits
each to every source that states it:

* "number"       — a count with what it counts ("NATO expelled eight Russian diplomats");
* "date"         — a dated event (`KeyFact.when`), relative days resolved against the
                   article's own date ("on Monday" in an article of Wed 20 Oct 2021 -> 18 Oct);
* "person"       — a person with the role the sources give ("Foreign Minister Sergei Lavrov");
* "organisation" — an organisation (acronyms merged case-insensitively with their expansion);
* "quote"        — a direct quote with its speaker, merged across sources quoting the same words
                   and credited to sources that paraphrase it closely.

Differences are reported, never resolved: the same statement placed on different days, the same
counted thing with different counts, one name spelt differently.

Returned key facts are ordered by kind group (number, date, person, organisation, quote) and by
rank within a group; rank = number of sources, then centrality (share of the item's content words
found in the story's sources), then mentions.  Everything is heuristic, English-only and offline
(sumy's Snowball stemmer and stop-word list); the functions are pure.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from generator.facts.common import KIND_CAP, KIND_FLOOR, KIND_ORDER, MIN_BOX, content_stems
from generator.facts.dates import article_dates, article_events, date_facts, story_year
from generator.facts.names import (
    Vocabulary,
    gather_organisations,
    gather_people,
    person_facts,
    spelling_differences,
)
from generator.facts.numbers import count_differences, number_facts, sentence_numbers
from generator.facts.quotes import (
    SpeakerFinder,
    article_quotes,
    article_stems,
    event_differences,
    quote_facts,
    statement_differences,
)
from generator.model import Difference, DifferingValue, FactsResult, KeyFact, ProcessedArticle

MAX_DIFFERENCES = 10  # disagreements listed per briefing

# ---------------------------------------------------------------------------------------------
# Ranking and the box


@dataclass(frozen=True)
class Candidate:
    fact: KeyFact
    mentions: int
    centrality: float

    def rank_key(self) -> tuple[float, float, float]:
        return (-len(self.fact.sources), -self.centrality, -self.mentions)


def centrality(text: str, source_stems: list[frozenset[str]]) -> float:
    """Average share of the item's content words found in each source's text."""
    wanted = content_stems(text)
    if not wanted or not source_stems:
        return 0.0
    return sum(len(wanted & stems) / len(wanted) for stems in source_stems) / len(source_stems)


def select(candidates: list[Candidate], limit: int) -> list[Candidate]:
    """A mix of kinds: each kind's floor first, then the best multi-source items, then others."""
    scale = limit / 15
    caps = {k: max(1, math.ceil(KIND_CAP[k] * scale)) for k in KIND_ORDER}
    floors = {k: min(caps[k], round(KIND_FLOOR[k] * scale)) for k in KIND_ORDER}
    ranked = sorted(candidates, key=Candidate.rank_key)
    chosen: list[Candidate] = []
    for kind in KIND_ORDER:
        chosen += [c for c in ranked if c.fact.kind == kind][: floors[kind]]
    chosen = sorted(chosen, key=Candidate.rank_key)[:limit]
    kind_counts = Counter(c.fact.kind for c in chosen)
    for multi_only in (True, False):
        for cand in ranked:
            full = len(chosen) >= (limit if multi_only else min(MIN_BOX, limit))
            if full:
                break
            kind = cand.fact.kind
            if kind_counts[kind] >= caps[kind] or (multi_only and len(cand.fact.sources) < 2):
                continue
            if cand in chosen:  # (compared field by field: the cheap tests go first)
                continue
            chosen.append(cand)
            kind_counts[kind] += 1
    return sorted(chosen, key=lambda c: (KIND_ORDER.index(c.fact.kind), c.rank_key()))


# ---------------------------------------------------------------------------------------------
# Entry point


def extract_facts(articles: Sequence[ProcessedArticle], limit: int = 15) -> FactsResult:
    """Key facts of a story (ordered by kind group, then rank) and where its sources differ."""
    if not articles or limit <= 0:
        return FactsResult(())
    year = story_year(articles)
    contexts = {a.source_id: article_dates(a, year) for a in articles}
    vocab = Vocabulary(articles)
    people = gather_people(articles, vocab)
    finder = SpeakerFinder(people)

    numbers = number_facts(
        articles,
        [m for a in articles for s in a.sentences for m in sentence_numbers(a.source_id, s)],
    )
    events = [e for a in articles for e in article_events(a, contexts[a.source_id])]
    dates = date_facts(articles, events)
    source_stems = [article_stems(a) for a in articles]
    quotes = quote_facts(
        articles, [q for a in articles for q in article_quotes(a, finder)], source_stems
    )
    organisations = gather_organisations(articles)

    scored = [
        *((f, len(ms)) for f, ms in numbers),
        *((f, len(ms)) for f, ms in dates),
        *person_facts(articles, people),
        *organisations,
        *((g.fact, len(g.members)) for g in quotes),
    ]
    candidates = [Candidate(f, n, centrality(f.text, source_stems)) for f, n in scored]
    differences = [
        *statement_differences(quotes, articles, contexts),
        *event_differences(articles, dates),
        *count_differences(articles, numbers),
        *spelling_differences(articles, people),
    ]
    box = select(candidates, limit)
    return FactsResult(tuple(c.fact for c in box), grouped_differences(differences, articles))


def grouped_differences(
    differences: Sequence[Difference],
    articles: Sequence[ProcessedArticle],
    limit: int = MAX_DIFFERENCES,
) -> tuple[Difference, ...]:
    """One difference per subject, holding every value given for it with all the sources
    that give it: at most `limit`, those the most sources take part in, in the order found.
    (Compared pair by pair, five sources giving four dates for one event are six
    disagreements; a reader wants the one event with its four dates.)"""
    position = {article.source_id: number for number, article in enumerate(articles)}
    by_subject: dict[str, dict[str, set[str]]] = {}
    for difference in differences:
        values = by_subject.setdefault(difference.subject, {})
        for value in difference.values:
            values.setdefault(value.value, set()).update(value.sources)
    subjects = list(by_subject.items())
    involved = [len(set().union(*values.values())) for _, values in subjects]
    kept = sorted(range(len(subjects)), key=lambda number: -involved[number])[:limit]
    return tuple(  # only the kept subjects are made into differences
        Difference(
            subject,
            tuple(
                DifferingValue(value, tuple(sorted(sources, key=position.__getitem__)))
                for value, sources in values.items()
            ),
        )
        for subject, values in (subjects[number] for number in sorted(kept))
    )
