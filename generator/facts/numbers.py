"""Numbers with what they count, merged across sources; differing counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from generator.facts.common import (
    CLAUSE_WORDS,
    MULTIPLIERS,
    NOT_BEFORE_ONE,
    NUMBER_WORDS,
    QUALIFIERS,
    SPEECH_VERBS,
    Tok,
    cluster_by,
    content_stems,
    ordered_sources,
    punct_between,
    sorted_refs,
    stem,
    stop_words,
    token_texts,
    tokens,
    verbish,
)
from generator.facts.dates import DateMention, representative, sentence_dates
from generator.model import (
    Difference,
    DifferingValue,
    KeyFact,
    ProcessedArticle,
    Sentence,
    SentenceRef,
)

# ---------------------------------------------------------------------------------------------
# Numbers


@dataclass(frozen=True)
class NumberMention:
    source: str
    sentence: int
    values: tuple[float, ...]  # one value, or (from, to) for "from 20 to 10"
    text: str
    head: str  # stem of the counted noun
    stems: frozenset[str]
    head_word: str = ""  # the counted noun as written


def number_at(toks: Sequence[Tok], i: int, text: str) -> tuple[float, int] | None:
    """The value of a number starting at token i and the index after it, or None."""
    tok = toks[i]
    low = tok.text.lower()
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    value: float | None = None
    if tok.text[0].isdecimal():
        value = _digit_value(tok, nxt, text)
    elif low.split("-")[0] in NUMBER_WORDS:
        value = _word_value(low)
    elif low == "one" and nxt and (i == 0 or toks[i - 1].low not in NOT_BEFORE_ONE):
        value = 1.0 if nxt.low not in stop_words() else None
    elif low == "half" and nxt and nxt.low in {"of", "a"}:
        value = 0.5
    if value is None:
        return None
    end = i + 1
    if "-" not in low and end < len(toks) and toks[end].low in MULTIPLIERS:
        value *= MULTIPLIERS[toks[end].low]
        end += 1
    return value, end


def _digit_value(tok: Tok, nxt: Tok | None, text: str) -> float | None:
    before = text[tok.start - 1] if tok.start else " "
    after = text[tok.end] if tok.end < len(text) else " "
    if before in "-/‑" or before.isalpha() or after in ":/" or after.isalpha():
        return None
    try:
        value = float(tok.text.replace(",", ""))
    except ValueError:  # digits that are not decimal ("²") or odd separators
        return None
    if "," not in tok.text and "." not in tok.text and 1800 <= value <= 2100:
        return None  # a year
    if nxt and nxt.low in {"am", "pm", "gmt", "utc", "percent"}:
        return None if nxt.low != "percent" else value
    return value


def _word_value(low: str) -> float | None:
    parts = low.split("-")
    if len(parts) == 2 and parts[1] in NUMBER_WORDS and NUMBER_WORDS[parts[1]] < 10:
        return float(NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]])
    return float(NUMBER_WORDS[parts[0]])


def counted_phrase(toks: Sequence[Tok], i: int, text: str) -> list[Tok]:
    """The noun phrase a number counts: "Russian diplomats", "members of the Russian mission"."""
    phrase: list[Tok] = []
    while i < len(toks) and len(phrase) < 7:
        tok = toks[i]
        if (phrase or i > 0) and i > 0 and punct_between(text, toks[i - 1], tok):
            break
        low = tok.low
        if (low in {"of", "in", "from", "out"} and phrase) or (
            low == "the" and phrase and phrase[-1].low in {"of", "in", "from"}
        ):
            phrase.append(tok)
        elif low in stop_words() or (phrase and verbish(low) and phrase[-1].low != "of"):
            break
        else:
            phrase.append(tok)
        i += 1
    while phrase and phrase[-1].low in stop_words() | {"of", "in", "from", "out"}:
        phrase.pop()
    return phrase


def leading_words(toks: Sequence[Tok], i: int, text: str) -> Sequence[Tok]:
    """Up to four words before a number, within its clause, without leading stop words."""
    lo = i
    while lo > 0 and i - lo < 4 and not punct_between(text, toks[lo - 1], toks[lo]):
        if toks[lo - 1].low in CLAUSE_WORDS | SPEECH_VERBS | {"that", "and"}:
            break
        lo -= 1
    words = toks[lo:i]
    while words and words[0].low in stop_words() and not _qualifier_run(words):
        words = words[1:]
    return words


def _qualifier_run(words: Sequence[Tok]) -> bool:
    return all(w.low in QUALIFIERS for w in words)


@dataclass(frozen=True)
class CountShape:
    """A number mention of a sentence, whichever source prints it: `text` is the
    sentence's `start:end`."""

    values: tuple[float, ...]
    start: int
    end: int
    head: str
    stems: frozenset[str]
    head_word: str


def sentence_numbers(source: str, sentence: Sentence) -> list[NumberMention]:
    found = []
    for shape in sentence_counts(sentence.text):
        words = sentence.text[shape.start : shape.end]  # each mention its own text
        found.append(
            NumberMention(source, sentence.index, shape.values, words, shape.head, shape.stems,
                          shape.head_word)
        )  # fmt: skip
    return found


@lru_cache(maxsize=1 << 15)
def sentence_counts(text: str) -> tuple[CountShape, ...]:
    """The number mentions of a sentence, found once however many sources print it."""
    starts = [k for k, token in enumerate(token_texts(text)) if _may_start_number(token)]
    if not starts:
        return ()
    toks = tokens(text)
    dates = sentence_dates(text)
    found: list[CountShape] = []
    i = 0  # tokens before it belong to a mention found
    for k in starts:
        if k < i or (dates and _in_date(toks[k], dates)):
            continue
        parsed = number_at(toks, k, text)
        if parsed is None:
            continue
        shape, i = _count_shape(text, toks, k, parsed)
        if shape is not None:
            found.append(shape)
    return tuple(found)


@lru_cache(maxsize=1 << 15)
def _may_start_number(token: str) -> bool:
    """False for a token `number_at` never reads as a number (most words)."""
    low = token.lower()
    return token[0].isdecimal() or low.split("-")[0] in NUMBER_WORDS or low in {"one", "half"}


def _in_date(tok: Tok, dates: Sequence[DateMention]) -> bool:
    return any(d.start <= tok.start < d.end for d in dates)


def _count_shape(
    text: str, toks: Sequence[Tok], i: int, parsed: tuple[float, int]
) -> tuple[CountShape | None, int]:
    values, end = (parsed[0],), parsed[1]
    if end + 1 < len(toks) and toks[end].low == "to":
        upper = number_at(toks, end + 1, text)
        if upper is not None:
            values, end = (parsed[0], upper[0]), upper[1]
    compound = toks[i].text.split("-", 1)[1:] if "-" in toks[i].text else []
    currency = text[toks[i].start - 1] if toks[i].start and text[toks[i].start - 1] in "$€£" else ""
    if currency:
        return _money_shape(text, toks, i, values, end, currency), end
    phrase = counted_phrase(toks, end, text)
    if not phrase and not compound and len(values) == 1:
        return None, end
    before = leading_words(toks, i, text)
    first = before[0] if before else toks[i]
    last = phrase[-1] if phrase else toks[end - 1]
    head_words = [t.low for t in phrase if t.low not in {"of", "in", "from", "out", "the"}]
    head_tok = _head(phrase) or (compound[0].lower() if compound else "")
    stems = content_stems(" ".join([*(t.text for t in before), *head_words, *compound]))
    return CountShape(values, first.start, last.end, stem(head_tok), stems, head_tok), end


def _money_shape(
    text: str,
    toks: Sequence[Tok],
    i: int,
    values: tuple[float, ...],
    end: int,
    currency: str,
) -> CountShape | None:
    """An amount of money; what it pays for comes from the words before it."""
    lo = i
    while lo > 0 and i - lo < 8 and not punct_between(text, toks[lo - 1], toks[lo]):
        lo -= 1
    before = [tok for tok in toks[lo:i] if tok.low not in stop_words()]
    if not before:
        return None
    stems = content_stems(" ".join(tok.text for tok in before)) - {"estim", "expect", "put"}
    return CountShape(values, toks[lo].start, toks[end - 1].end, currency, stems, "money")


def _head(phrase: list[Tok]) -> str:
    """The counted noun: the last word before "of"/"in", else the last word."""
    for k, tok in enumerate(phrase):
        if tok.low in {"of", "in", "from", "out"} and k > 0:
            return phrase[k - 1].low
    return phrase[-1].low if phrase else ""


def same_count(a: NumberMention, b: NumberMention) -> bool:
    if a.values != b.values:
        return False
    if len(a.values) == 2:
        return True
    shared = (a.stems & b.stems) - number_stems()
    return a.head == b.head or bool(shared - {_number_stem(a)})


@cache
def number_stems() -> frozenset[str]:
    """The stems of the number words, "one" and "half": shared, they say nothing."""
    return frozenset({stem(w) for w in NUMBER_WORDS} | {"one", "half"})


def _number_stem(mention: NumberMention) -> str:
    return mention.text.split()[0].lower()


def number_facts(
    articles: Sequence[ProcessedArticle], mentions: list[NumberMention]
) -> list[tuple[KeyFact, list[NumberMention]]]:
    groups = cluster_by(  # only equal values can be the same count
        [m.values for m in mentions], lambda i, j: same_count(mentions[i], mentions[j])
    )
    facts = []
    for group in groups:
        members = [mentions[i] for i in group]
        counted = [m for m in members if m.head] or members
        text = representative([m.text for m in counted], [m.stems for m in counted])
        fact = KeyFact(
            "number", text, ordered_sources(articles, (m.source for m in members)),
            sorted_refs(SentenceRef(m.source, m.sentence) for m in members),
        )  # fmt: skip
        facts.append((fact, members))
    return facts


def count_differences(
    articles: Sequence[ProcessedArticle], facts: list[tuple[KeyFact, list[NumberMention]]]
) -> list[Difference]:
    """Different counts of the same counted thing from different sources."""
    # only the same counted noun, with as many values, compares
    by_kind: dict[tuple[str, int], list[int]] = defaultdict(list)
    for position, (_, members) in enumerate(facts):
        if members[0].head:
            by_kind[members[0].head, len(members[0].values)].append(position)
    sources = [frozenset(fact.sources) for fact, _ in facts]
    found: list[tuple[int, int, Difference]] = []
    for positions in by_kind.values():
        for k, first in enumerate(positions):
            for second in positions[k + 1 :]:
                if _counts_differ(facts[first][1][0], facts[second][1][0]) and _apart(
                    sources[first], sources[second]
                ):
                    found.append((first, second, _count_difference(facts[first], facts[second])))
    found.sort(key=lambda item: item[:2])  # in the order of the pairs of facts
    return [difference for _, _, difference in found]


def _counts_differ(a: NumberMention, b: NumberMention) -> bool:
    """Other values for what shares more than the counted noun (of the same noun)."""
    return a.values != b.values and bool((a.stems & b.stems) - {a.head})


def _apart(a: frozenset[str], b: frozenset[str]) -> bool:
    """Each side has a source the other lacks."""
    return not (a <= b or b <= a)


def _count_difference(
    first: tuple[KeyFact, list[NumberMention]], second: tuple[KeyFact, list[NumberMention]]
) -> Difference:
    (fact_a, ms_a), (fact_b, ms_b) = first, second
    values = (
        DifferingValue(fact_a.text, fact_a.sources),
        DifferingValue(fact_b.text, fact_b.sources),
    )
    return Difference(_count_subject(ms_a[0], ms_b[0]), values)


def _count_subject(a: NumberMention, b: NumberMention) -> str:
    if a.head_word != "money":
        return f"Number of {a.head_word or a.head}"
    shared = a.stems & b.stems
    word = next((tok.text for tok in tokens(a.text) if stem(tok.low) in shared), None)
    return f"Amount for {word.lower()}" if word is not None else "Amount of money"
