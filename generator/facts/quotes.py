"""Direct quotes with their speakers, merged across sources; when a statement was made."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from generator.facts.common import (
    MAX_QUOTE_WORDS,
    MIN_QUOTE_WORDS,
    PARAPHRASE_MIN_STEMS,
    PARAPHRASE_SHARE,
    PRONOUN_ATTRIBUTION_RE,
    QUOTE_SAME_SCORE,
    QUOTE_WORD_SPLIT_RE,
    ROLE_SAID_RE,
    SPEECH_VERB_RE,
    SPEECH_VERBS,
    SPOKE_AFTER_RE,
    SPOKE_BEFORE_RE,
    SPOKE_WORDS,
    WORD_RE,
    cluster,
    content_stems,
    fold_ascii,
    ordered_sources,
    sorted_refs,
)
from generator.facts.dates import ArticleDates, Event, describe_date, resolve, sentence_dates
from generator.facts.names import Person, role_key
from generator.model import (
    Difference,
    DifferingValue,
    KeyFact,
    PartialDate,
    ProcessedArticle,
    Sentence,
    SentenceRef,
)

# ---------------------------------------------------------------------------------------------
# Quotes


@dataclass(frozen=True)
class Quote:
    source: str
    text: str
    words: tuple[str, ...]
    sentences: tuple[int, ...]
    speaker: str


def quote_words(text: str) -> tuple[str, ...]:
    clean = text.lower().replace("’", "'").replace("‘", "'")
    return tuple(w for w in QUOTE_WORD_SPLIT_RE.split(clean) if w)


QUOTE_MARK_RE = re.compile('[“”"]')


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans inside “ ” or straight double quotes; an unclosed quote runs to the end."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for mark in QUOTE_MARK_RE.finditer(text):  # other characters change nothing
        k, char = mark.start(), mark.group()
        if char == "“" or (char == '"' and opened is None):
            opened = k + 1 if opened is None else opened
        elif char in '”"' and opened is not None:
            spans.append((opened, k))
            opened = None
    if opened is not None:
        spans.append((opened, len(text)))
    return spans


def paragraph_texts(article: ProcessedArticle) -> list[tuple[str, list[tuple[int, int, int]]]]:
    """Each paragraph's sentences joined, with (start, end, sentence index) of each sentence."""
    paragraphs: dict[int, list[Sentence]] = defaultdict(list)
    for sentence in article.sentences:
        paragraphs[sentence.paragraph].append(sentence)
    result = []
    for _, sentences in sorted(paragraphs.items()):
        text, spans = "", []
        for sentence in sentences:
            start = len(text) + (1 if text else 0)
            text = f"{text} {sentence.text}" if text else sentence.text
            spans.append((start, len(text), sentence.index))
        result.append((text, spans))
    return result


class SpeakerFinder:
    """Resolves who speaks in a sentence: a named person, a role, or "he/she" -> last speaker."""

    def __init__(self, people: list[Person]) -> None:
        self.people = people
        # each person's role words, for "the <role> said" (the people are all gathered)
        self.role_words = [person.role_words() - {"the", "of"} for person in people]
        self.last_speaker = ""
        self.previous_outside = ""

    def named(self, text: str) -> list[tuple[int, Person]]:
        found = []
        for person in self.people:
            if person.last not in text:  # the pattern needs the surname as written
                continue
            for m in _word_re(person.last).finditer(text):
                found.append((m.start(), person))
        phrases = _role_phrases(text)
        if phrases:
            for person, words in zip(self.people, self.role_words, strict=True):
                role = _role_phrase_start(phrases, words)
                if role is not None:
                    found.append((role, person))
        return sorted(found, key=lambda item: item[0])

    def speaker(self, outside: str) -> str:
        """Speaker named in the text outside the quotes, or "" when it has no attribution."""
        has_verb = not SPEECH_VERBS.isdisjoint(map(str.lower, WORD_RE.findall(outside)))
        named = self.named(outside) if has_verb else []
        if named and has_verb:
            return named[-1][1].full_name()
        if PRONOUN_ATTRIBUTION_RE.search(outside):
            return self.last_speaker
        return ""

    def observe(self, text: str) -> None:
        """Remember the last person shown speaking in a sentence."""
        if not any(verb in text for verb in SPOKE_WORDS):
            return  # neither pattern below can match in any part of the text
        for start, person in self.named(text):
            after = text[start : start + 60]
            before = text[max(0, start - 30) : start]
            if SPOKE_AFTER_RE.search(after) or SPOKE_BEFORE_RE.search(before):
                self.last_speaker = person.full_name()


@lru_cache(maxsize=1024)
def _word_re(word: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(word)}\b")


def _role_phrase_start(
    phrases: tuple[tuple[int, frozenset[str]], ...], words: set[str]
) -> int | None:
    """Where the first "the <role> said" of a text made only of a person's role `words`
    starts ("the NATO secretary general said")."""
    for start, phrase in phrases:
        if phrase <= words:
            return start
    return None


@lru_cache(maxsize=1 << 14)
def _role_phrases(text: str) -> tuple[tuple[int, frozenset[str]], ...]:
    """Each "the <two to four words> said" of a text: where it starts, and its role words."""
    folded = fold_ascii(text)  # the pattern ignores case: it needs these words folded
    if "the" not in folded or not any(verb in folded for verb in ("said", "told", "added")):
        return ()
    found = (
        (m.start(), frozenset(role_key(m.group(1)).split())) for m in ROLE_SAID_RE.finditer(text)
    )
    return tuple((start, phrase) for start, phrase in found if len(phrase) >= 2)


def article_quotes(article: ProcessedArticle, finder: SpeakerFinder) -> list[Quote]:
    quotes: list[Quote] = []
    finder.last_speaker = ""
    finder.previous_outside = ""
    for text, spans in paragraph_texts(article):
        quoted = quote_spans(text)
        outside = {idx: outside_quotes(text, quoted, s, e) for s, e, idx in spans}
        for start, end in quoted:
            inside = [idx for s, e, idx in spans if s < end and e > start]
            words = quote_words(text[start:end])
            if len(words) < MIN_QUOTE_WORDS or not inside:
                continue
            speaker = _quote_speaker(inside, outside, finder)
            quote_text = _trim_quote(text[start:end])
            quotes.append(Quote(article.source_id, quote_text, words, tuple(inside), speaker))
        for _, _, idx in spans:
            finder.observe(outside[idx])
        finder.previous_outside = " ".join(outside[idx] for _, _, idx in spans)
    return quotes


def _quote_speaker(inside: list[int], outside: dict[int, str], finder: SpeakerFinder) -> str:
    """Attribution in the quote's own sentences, else the paragraph before, else "he said"."""
    own = " ".join(outside[i] for i in inside)
    speaker = finder.speaker(own)
    if speaker:
        return speaker
    before = " ".join(outside[i] for i in outside if i < inside[0]) or finder.previous_outside
    named = finder.speaker(before)
    if named and not PRONOUN_ATTRIBUTION_RE.search(before):
        return named
    return ""


def outside_quotes(text: str, quoted: list[tuple[int, int]], start: int, end: int) -> str:
    """The part of text[start:end] that is not inside any quotation."""
    pieces, cursor = [], start
    for q_start, q_end in quoted:
        if q_end <= start or q_start >= end:
            continue
        pieces.append(text[cursor : max(cursor, q_start - 1)])
        cursor = max(cursor, q_end + 1)
    pieces.append(text[cursor:end])
    return " ".join(p.strip() for p in pieces if p.strip())


def _trim_quote(text: str) -> str:
    text = text.strip().rstrip(",;:").strip()
    words = text.split()
    if len(words) > MAX_QUOTE_WORDS:
        return " ".join(words[:MAX_QUOTE_WORDS]) + " …"
    return text


@lru_cache(maxsize=1 << 14)
def containment(shorter: tuple[str, ...], longer: tuple[str, ...]) -> float:
    """Share of `shorter`'s words matched, in order, inside `longer` (sources quoting the
    same words compare the same pairs again: the answer is kept)."""
    if not shorter:
        return 0.0
    matcher = SequenceMatcher(None, shorter, longer, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(shorter)


def same_quote(a: Quote, b: Quote) -> bool:
    if a.speaker and b.speaker and a.speaker != b.speaker:
        return False
    shorter, longer = sorted((a.words, b.words), key=len)
    if _present_share(shorter, longer) < QUOTE_SAME_SCORE:
        return False  # containment counts only words of `shorter` found in `longer`
    return containment(shorter, longer) >= QUOTE_SAME_SCORE


def _present_share(shorter: tuple[str, ...], longer: tuple[str, ...]) -> float:
    """Share of `shorter`'s words found anywhere in `longer`: at least `containment`."""
    if not shorter:
        return 0.0
    present = frozenset(longer)
    return sum(1 for word in shorter if word in present) / len(shorter)


@dataclass(frozen=True)
class QuoteGroup:
    fact: KeyFact
    members: tuple[Quote, ...]
    paraphrases: tuple[SentenceRef, ...]


class QuoteMatcher:
    """`same_quote` for pairs of a list of quotes, each quote's set of words made once:
    most pairs are told apart by their words alone."""

    def __init__(self, quotes: Sequence[Quote]) -> None:
        self.quotes = quotes
        self.word_sets = [frozenset(q.words) for q in quotes]

    def same(self, i: int, j: int) -> bool:
        a, b = self.quotes[i], self.quotes[j]
        if a.speaker and b.speaker and a.speaker != b.speaker:
            return False
        shorter, longer = (i, j) if len(b.words) >= len(a.words) else (j, i)
        words = self.quotes[shorter].words
        missing = len(self.word_sets[shorter] - self.word_sets[longer])  # each once at least
        if not words or (len(words) - missing) / len(words) < QUOTE_SAME_SCORE:
            return False  # containment counts only words found in the longer quote
        return same_quote(a, b)


def quote_facts(
    articles: Sequence[ProcessedArticle],
    quotes: list[Quote],
    source_stems: Sequence[frozenset[str]] | None = None,
) -> list[QuoteGroup]:
    """Quotes merged across sources; `source_stems` are the articles' `article_stems`
    (made here when not given)."""
    clusters = cluster(len(quotes), QuoteMatcher(quotes).same)
    groups = [[quotes[i] for i in group] for group in clusters]
    if source_stems is None:
        source_stems = [article_stems(a) for a in articles]
    common = frozenset.intersection(*source_stems)
    bests = [_best_quote(members) for members in groups]
    wanted = {stem[:5] for best in bests for stem in content_stems(best.text) - common}
    index = StemIndex(articles, wanted)
    result = []
    for members, best in zip(groups, bests, strict=True):
        speakers = Counter(q.speaker for q in members if q.speaker)
        speaker = speakers.most_common(1)[0][0] if speakers else ""
        paraphrases = index.paraphrases(best, {q.source for q in members}, common)
        refs = [SentenceRef(q.source, i) for q in members for i in q.sentences]
        fact = KeyFact(
            "quote", best.text,
            ordered_sources(articles, {r.source_id for r in [*refs, *paraphrases]}),
            sorted_refs([*refs, *paraphrases]), speaker=speaker,
        )  # fmt: skip
        result.append(QuoteGroup(fact, tuple(members), tuple(paraphrases)))
    return result


def _best_quote(members: list[Quote]) -> Quote:
    """The wording to show: a whole sentence, most like the others, longest."""
    return max(
        members, key=lambda q: (_starts_sentence(q.text), _core_score(q, members), len(q.words))
    )


def _starts_sentence(text: str) -> bool:
    """A quote that starts a sentence reads better than a fragment ("not going to ...")."""
    stripped = text.lstrip("\"“‘' ….")
    return stripped[:1].isupper()


def _core_score(quote: Quote, members: list[Quote]) -> float:
    return sum(containment(quote.words, other.words) for other in members if other is not quote)


def article_stems(article: ProcessedArticle) -> frozenset[str]:
    return frozenset().union(*(content_stems(s.text) for s in article.sentences))


class StemIndex:
    """Which sentences of a story hold each content stem, for finding paraphrases.

    A sentence matches a wanted stem when it holds the stem or, for stems of five letters
    or more, any stem with the same first five letters (`fuzzy_overlap`): so a sentence is
    filed under its short stems and under the 5-letter prefixes of its long ones.
    """

    def __init__(self, articles: Sequence[ProcessedArticle], keys: set[str]) -> None:
        """File the sentences under `keys` only (those the quotes ask for)."""
        self.articles = articles
        self.sentences: dict[str, list[tuple[int, int]]] = defaultdict(list)  # (source, position)
        for number, article in enumerate(articles):
            for position, sentence in enumerate(article.sentences):
                for key in _stem_keys(content_stems(sentence.text)) & keys:
                    self.sentences[key].append((number, position))

    def paraphrases(
        self, quote: Quote, quoting: set[str], common: frozenset[str]
    ) -> list[SentenceRef]:
        """Sentences of other sources holding most of the quote's distinctive content words.

        Stems every source uses (`common`: "NATO", "Russia", "dialogue") do not count.
        """
        wanted = content_stems(quote.text) - common
        needed = max(PARAPHRASE_MIN_STEMS, math.ceil(PARAPHRASE_SHARE * len(wanted)))
        overlap: Counter[tuple[int, int]] = Counter()  # fuzzy_overlap of each sentence
        for stem in wanted:
            overlap.update(self.sentences.get(stem[:5], ()))
        best: dict[int, tuple[int, int]] = {}  # per article: the highest (overlap, index)
        for (number, position), score in overlap.items():
            index = self.articles[number].sentences[position].index
            best[number] = max(best.get(number, (0, -1)), (score, index))
        refs = []
        for number, article in enumerate(self.articles):
            if article.source_id in quoting:
                continue
            score, index = best.get(number, (0, -1))
            if score >= needed:
                refs.append(SentenceRef(article.source_id, index))
        return refs


@lru_cache(maxsize=1 << 15)
def _stem_keys(stems: frozenset[str]) -> frozenset[str]:
    """A sentence's short stems and the 5-letter prefixes of its long ones."""
    return frozenset([stem[:5] for stem in stems])


# ---------------------------------------------------------------------------------------------
# When a statement was made


def speech_date(
    sentence: Sentence, context: ArticleDates, speaker_surname: str = ""
) -> PartialDate | None:
    """The day a sentence says someone spoke: a date near a speech verb, not "from Nov 1"."""
    text = sentence.text
    if speaker_surname and speaker_surname not in text:
        return None
    for mention in sentence_dates(text):
        if mention.prep not in {"", "on", "earlier on", "last", "this"}:
            continue
        window = text[max(0, mention.start - 40) : mention.end + 40].lower()
        if SPEECH_VERB_RE.search(window):
            return resolve(mention, context)
    return None


def statement_dates(
    group: QuoteGroup,
    articles: Sequence[ProcessedArticle],
    contexts: dict[str, ArticleDates],
) -> dict[PartialDate, set[str]]:
    """For each source of a quote, the day it says the words were spoken."""
    surname = group.fact.speaker.split()[-1] if group.fact.speaker else ""
    by_source = {a.source_id: a for a in articles}
    refs_by_source: dict[str, list[int]] = defaultdict(list)
    for ref in group.fact.refs:
        refs_by_source[ref.source_id].append(ref.sentence)
    dates: dict[PartialDate, set[str]] = defaultdict(set)
    for source, indices in refs_by_source.items():
        article, context = by_source[source], contexts[source]
        own = [speech_date(s, context) for s in article.sentences if s.index in indices]
        found = next((d for d in own if d), None)
        if found is None and surname:
            anchors = (speech_date(s, context, surname) for s in article.sentences)
            found = next((d for d in anchors if d), None)
        if found is not None:
            dates[found].add(source)
    return dates


def statement_differences(
    groups: list[QuoteGroup],
    articles: Sequence[ProcessedArticle],
    contexts: dict[str, ArticleDates],
) -> list[Difference]:
    differences = []
    for group in groups:
        if len(group.fact.sources) < 2 or not group.fact.speaker:
            continue
        dates = statement_dates(group, articles, contexts)
        if len(dates) < 2:
            continue
        values = tuple(
            DifferingValue(describe_date(when), ordered_sources(articles, sources))
            for when, sources in sorted(dates.items(), key=lambda item: item[0].iso())
        )
        opening = " ".join(group.fact.text.split()[:9])
        subject = f"When {group.fact.speaker} said “{opening}…”"
        differences.append(Difference(subject, values))
    return differences


def event_differences(
    articles: Sequence[ProcessedArticle], facts: list[tuple[KeyFact, list[Event]]]
) -> list[Difference]:
    """The same event (most content words shared) placed on different days by different sources."""
    sources = [frozenset(fact.sources) for fact, _ in facts]
    stems = [frozenset().union(*(e.stems for e in events)) for _, events in facts]
    differences = []
    for a, (fact_a, _) in enumerate(facts):
        for b in range(a + 1, len(facts)):
            if not sources[a].isdisjoint(sources[b]):
                continue
            shared = stems[a] & stems[b]
            if len(shared) < 3 or fact_a.when == facts[b][0].when:
                continue
            fact_b = facts[b][0]
            if len(shared) / min(len(stems[a]), len(stems[b])) >= 0.6:
                values = tuple(
                    DifferingValue(describe_date(f.when), f.sources)
                    for f in (fact_a, fact_b) if f.when is not None
                )  # fmt: skip
                differences.append(Difference(f"Date: {fact_a.text}", values))
    return differences
