"""People (with their roles) and organisations, spelling variants merged."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache, cached_property, lru_cache
from itertools import chain
from operator import itemgetter

from generator.facts.common import (
    ACRONYM_AFTER_RE,
    NEWS_AGENCIES,
    NON_ORG_ACRONYMS,
    NOT_NAME_WORDS,
    ORG_WORDS,
    PLACE_WORDS,
    ROLE_SPLIT_RE,
    ROLE_WORDS,
    SPEECH_VERBS,
    Tok,
    bare,
    fold_ascii,
    ordered_sources,
    punct_between,
    sorted_refs,
    stem,
    stop_words,
    token_words,
    tokens,
)
from generator.facts.dates import MONTH_RE, WEEKDAYS
from generator.model import (
    Difference,
    DifferingValue,
    KeyFact,
    ProcessedArticle,
    Sentence,
    SentenceRef,
)

# ---------------------------------------------------------------------------------------------
# People and organisations


@dataclass(frozen=True)
class NameMention:
    source: str
    sentence: int
    first: str  # "" for a surname-only mention
    last: str
    role: str
    role_before: bool  # role written before the name ("Foreign Minister Sergei Lavrov")


@dataclass
class Person:
    last: str
    mentions: list[NameMention]  # add to it with `add`
    _firsts: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._firsts = {}
        for mention in self.mentions:
            self._count_first(mention)

    def add(self, mention: NameMention) -> None:
        self.mentions.append(mention)
        self._count_first(mention)

    def _count_first(self, mention: NameMention) -> None:
        if mention.first:
            self._firsts[mention.first] = self._firsts.get(mention.first, 0) + 1

    @property
    def sources(self) -> set[str]:
        return {m.source for m in self.mentions}

    def first_names(self) -> dict[str, int]:
        """How often each first name is given, first seen first (do not change it)."""
        return self._firsts

    def full_name(self) -> str:
        """The most given first name (the first seen of equals) and the surname."""
        firsts = self._firsts
        return f"{max(firsts.items(), key=itemgetter(1))[0]} {self.last}" if firsts else self.last

    def role_words(self) -> set[str]:
        return {w for m in self.mentions for w in role_key(m.role).split()}


class Vocabulary:
    """Which capitalised words of a story behave like names."""

    def __init__(self, articles: Sequence[ProcessedArticle]) -> None:
        self.lower: set[str] = set()
        self.inner_capitals: set[str] = set()
        for article in articles:
            for sentence in article.sentences:
                lower, inner_capitals = sentence_vocabulary(sentence.text)
                self.lower.update(lower)
                self.inner_capitals.update(inner_capitals)
        self.lower_stems = {stem(w) for w in self.lower}
        # the name-like words: `name_like(word)` is `bare(word) in names`
        self.names = frozenset(w for w in self.inner_capitals if self._judge(w))

    def name_like(self, word: str) -> bool:
        return bare(word) in self.names

    def _judge(self, word: str) -> bool:
        low = word.lower()
        return (
            word[:1].isupper()
            and not word.isupper()
            and "-" not in word
            and word in self.inner_capitals
            and low not in self.lower
            and stem(low) not in self.lower_stems
            and low not in _not_name_words()
            and low not in WEEKDAYS
            and not MONTH_RE.fullmatch(word)
        )


@lru_cache(maxsize=1 << 15)
def sentence_vocabulary(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """A sentence's lower-case words (hyphenated ones in parts) and its capitalised words
    after the first."""
    words = token_words(text)
    lower = chain.from_iterable(word.split("-") for word in words if word.islower())
    inner_capitals = (word for word in words[1:] if not word.islower() and word[:1].isupper())
    return frozenset(lower), frozenset(inner_capitals)


@cache
def _not_name_words() -> frozenset[str]:
    return ROLE_WORDS | ORG_WORDS | NOT_NAME_WORDS | stop_words()


def capital_runs(toks: Sequence[Tok], text: str) -> list[tuple[int, int]]:
    """Token ranges of consecutive capitalised words not separated by punctuation."""
    runs: list[tuple[int, int]] = []
    k = 0
    while k < len(toks):
        if not toks[k].text[:1].isupper():
            k += 1
            continue
        end = k + 1
        while (
            end < len(toks)
            and toks[end].text[:1].isupper()
            and not punct_between(text, toks[end - 1], toks[end])
        ):
            end += 1
        runs.append((k, end))
        k = end
    return runs


@lru_cache(maxsize=1 << 15)
def sentence_capital_runs(text: str) -> tuple[tuple[int, int], ...]:
    """`capital_runs` of a sentence's tokens, found once for people and organisations."""
    return tuple(capital_runs(tokens(text), text))


def sentence_names(
    source: str, sentence: Sentence, vocab: Vocabulary
) -> tuple[list[NameMention], list[tuple[str, int]]]:
    """Full names (two or three name-like words) and single capitalised words with positions."""
    text = sentence.text
    names: list[NameMention] = []
    singles: list[tuple[str, int]] = []
    if vocab.names.isdisjoint(token_words(text)):
        return names, singles  # no name-like word at all
    toks = tokens(text)
    for lo, hi in sentence_capital_runs(text):
        if toks[hi - 1].low in ORG_WORDS:
            continue  # "North Atlantic Treaty Organisation" names no person
        k = lo
        while k < hi:
            if toks[k].word not in vocab.names:
                k += 1
                continue
            end = k
            while end < hi and end - k < 3 and toks[end].word in vocab.names:
                end += 1
            if end < hi and toks[end].low in ORG_WORDS:
                k = end
                continue
            if end - k >= 2:
                names.append(_name_mention(source, sentence.index, toks, k, end, lo, text))
            else:
                singles.append((toks[k].word, k))
            k = end
    return names, singles


def _name_mention(
    source: str, index: int, toks: Sequence[Tok], k: int, end: int, run_start: int, text: str
) -> NameMention:
    first, last = " ".join(t.word for t in toks[k : end - 1]), toks[end - 1].word
    title = toks[run_start:k]
    if title and any(_is_role(t.low) for t in title):
        return NameMention(source, index, first, last, text[title[0].start : title[-1].end], True)
    role = _role_before(toks, k, text) or _role_after(toks, end, text)
    return NameMention(source, index, first, last, role, False)


def _is_role(low: str) -> bool:
    return low in ROLE_WORDS or any(part in ROLE_WORDS for part in low.split("-"))


def _role_before(toks: Sequence[Tok], k: int, text: str) -> str:
    """ "Russia’s chief of general staff, Valery Gerasimov" / "double agent Sergei Skripal"."""
    lo = k
    while lo > 0 and k - lo < 6:
        prev = toks[lo - 1]
        if punct_between(text, prev, toks[lo]) and lo != k:
            break
        if prev.low in stop_words() and prev.low not in {"of", "the"}:
            break
        lo -= 1
    words = toks[lo:k]
    while words and words[0].low in {"of", "the"}:
        words = words[1:]
    if words and any(_is_role(t.low) for t in words):
        return text[words[0].start : words[-1].end]
    return ""


def _role_after(toks: Sequence[Tok], end: int, text: str) -> str:
    """ "Tod Wolters, NATO’s Supreme Allied Commander Europe"."""
    if end >= len(toks) or "," not in text[toks[end - 1].end : toks[end].start]:
        return ""
    hi = end
    while hi < len(toks) and hi - end < 6:
        if hi > end and punct_between(text, toks[hi - 1], toks[hi]):
            break
        if toks[hi].low in stop_words() and toks[hi].low not in {"of", "the"}:
            break
        hi += 1
    words = toks[end:hi]
    if words and any(_is_role(t.low) for t in words):
        return text[words[0].start : words[-1].end]
    return ""


@lru_cache(maxsize=1 << 14)
def role_key(role: str) -> str:
    words = [bare(w).lower() for w in ROLE_SPLIT_RE.split(role) if w]
    return " ".join(w for w in words if w not in {"the", "of"})


@lru_cache(maxsize=1 << 14)
def similar_first_names(a: str, b: str) -> bool:
    return a == b or SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.6


def gather_people(articles: Sequence[ProcessedArticle], vocab: Vocabulary) -> list[Person]:
    """People named with at least a first name and surname, plus their surname-only mentions."""
    people: list[Person] = []
    by_last: dict[str, list[Person]] = defaultdict(list)  # the same people, by surname
    singles: list[tuple[str, int, str, Sequence[Tok], int]] = []
    for article in articles:
        for sentence in article.sentences:
            names, words = sentence_names(article.source_id, sentence, vocab)
            for name in names:
                _add_to_people(people, by_last, name)
            if words:
                toks = tokens(sentence.text)
                singles += [(w, pos, article.source_id, toks, sentence.index) for w, pos in words]
    for word, pos, source, toks, index in singles:
        matches = by_last.get(word, [])
        if len(matches) == 1:
            role = toks[pos - 1].text if pos and toks[pos - 1].low in {"mr", "ms", "mrs"} else ""
            matches[0].add(NameMention(source, index, "", word, role, False))
    contexts = NameContexts(articles)
    return [p for p in people if contexts.has_evidence(p) and not contexts.is_place(p)]


def _add_to_people(
    people: list[Person], by_last: dict[str, list[Person]], name: NameMention
) -> None:
    for person in by_last.get(name.last, []):
        if all(similar_first_names(f, name.first) for f in person.first_names()):
            person.add(name)
            return
    person = Person(name.last, [name])
    people.append(person)
    by_last[name.last].append(person)


WORD_CHAR_RE = re.compile(r"\w")
SENTENCE_JOINT = "\x00"  # neither a word character nor a space: no pattern below spans it
# What follows a speaker's surname ("Lavrov’s also said"), matched where the surname ends.
SPEECH_AFTER_NAME_RE = re.compile(
    rf"(?:['’]s)?\s+(?:also\s+)?(?:{'|'.join(sorted(SPEECH_VERBS))})\b"
)
# What precedes a speaker's surname: "said", "told <one word>", "according to".  A name
# starts with a letter, so it starts where group 1 or group 2 (all the spaces) ends.
SPEECH_BEFORE_NAME_RE = re.compile(r"\b(?:said|told|according to)(\s+)(?:\w+(\s+))?")
# What follows a place name ("Harlow Ferry Middle School"), matched where the name ends.
PLACE_AFTER_NAME_RE = re.compile(
    rf"(?:['’]s)?\s+(?:\w+\s+)?(?:{'|'.join(sorted(PLACE_WORDS))})\b", re.IGNORECASE
)
# What precedes a place name ("in Harlow Ferry"); the name starts where group 1 ends.
LOCATIVE_BEFORE_NAME_RE = re.compile(
    r"\b(?:in|at|from|near|across|outside|inside)(\s+)", re.IGNORECASE
)
FOLDED_LOCATIVE_RE = re.compile(LOCATIVE_BEFORE_NAME_RE.pattern)  # for folded text


def _boundary(text: str, position: int) -> bool:
    """Whether `\\b` matches at `position` of `text`."""
    before = position > 0 and WORD_CHAR_RE.match(text[position - 1]) is not None
    after = position < len(text) and WORD_CHAR_RE.match(text[position]) is not None
    return before != after


def _speech_starts(text: str) -> frozenset[int]:
    """Where a surname after "said", "told <word>" or "according to" would start."""
    starts: set[int] = set()
    found = SPEECH_BEFORE_NAME_RE.search(text)
    while found is not None:
        starts.add(found.end(1))
        if found.group(2) is not None:
            starts.add(found.end(2))
        # the word after "said" may itself be "told": look again right after the spaces
        found = SPEECH_BEFORE_NAME_RE.search(text, found.end(1))
    return frozenset(starts)


class ArticleText:
    """An article's sentences joined by SENTENCE_JOINT, and where surnames after a speech
    verb would start (found when first asked)."""

    def __init__(self, source_id: str, text: str) -> None:
        self.source_id = source_id
        self.text = text

    @cached_property
    def speech_starts(self) -> frozenset[int]:
        return _speech_starts(self.text)

    def speaks(self, surname: str) -> bool:
        """The surname next to a speech verb: "Lavrov said", "said Lavrov"."""
        for found in _occurrences(self.text, surname):
            end = found + len(surname)
            if found in self.speech_starts and _boundary(self.text, end):
                return True
            if (
                _boundary(self.text, found)
                and _boundary(self.text, end)
                and SPEECH_AFTER_NAME_RE.match(self.text, end) is not None
            ):
                return True
        return False


class NameContexts:
    """What the words around a name say about it, for every name of one story.

    Each pattern is searched once for the whole story (its sentences joined), and each
    name is then looked up where it occurs, instead of a pattern compiled per name.
    Names start and end with a letter (they are words of the sentences).
    """

    def __init__(self, articles: Sequence[ProcessedArticle]) -> None:
        self.articles = [
            ArticleText(article.source_id, SENTENCE_JOINT.join(s.text for s in article.sentences))
            for article in articles
        ]
        self.story = SENTENCE_JOINT.join(article.text for article in self.articles)

    @cached_property
    def folded_story(self) -> str:
        return fold_ascii(self.story)

    def _occurrences_ignoring_case(self, name: str) -> Iterator[int]:
        """Where `name` occurs in the story, as re.IGNORECASE finds it (overlaps included)."""
        if name.isascii():
            yield from _occurrences(self.folded_story, name.lower())
            return
        pattern = re.compile(f"(?={re.escape(name)})", re.IGNORECASE)
        yield from (found.start() for found in pattern.finditer(self.story))

    @cached_property
    def place_starts(self) -> frozenset[int]:
        # on the folded story the prepositions match as written (the same places)
        return frozenset(m.end(1) for m in FOLDED_LOCATIVE_RE.finditer(self.folded_story))

    def has_evidence(self, person: Person) -> bool:
        """A role, or the surname next to a speech verb, makes a name a person's."""
        if any(m.role for m in person.mentions):
            return True
        sources = person.sources
        return any(
            article.speaks(person.last) for article in self.articles
            if article.source_id in sources
        )  # fmt: skip

    def is_place(self, person: Person) -> bool:
        """A name written after a locative preposition ("in Harlow Ferry") or before a
        building or body ("Harlow Ferry Middle School") names a place, not a person."""
        name = person.full_name()
        for start in self._occurrences_ignoring_case(name):
            end = start + len(name)
            if start in self.place_starts and _boundary(self.story, end):
                return True
            if _boundary(self.story, start) and PLACE_AFTER_NAME_RE.match(self.story, end):
                return True
        return False


def _occurrences(text: str, word: str) -> Iterator[int]:
    """Every position where `word` occurs in `text`, overlapping ones included."""
    found = text.find(word)
    while found >= 0:
        yield found
        found = text.find(word, found + 1)


def person_display(person: Person) -> str:
    roles = [m for m in person.mentions if m.role and m.first]
    if not roles:
        return person.full_name()
    keys = Counter(role_key(m.role) for m in roles)
    best_key = max(keys, key=lambda k: (keys[k], len(k)))
    forms = Counter(m.role for m in roles if role_key(m.role) == best_key)
    form = min(forms, key=lambda f: (-forms[f], "’" in f or "'" in f, len(f)))
    before = any(m.role_before for m in roles if m.role == form)
    return f"{form} {person.full_name()}" if before else f"{person.full_name()}, {form}"


def person_facts(
    articles: Sequence[ProcessedArticle], people: list[Person]
) -> list[tuple[KeyFact, int]]:
    facts = []
    for person in people:
        first_refs = {}
        for m in person.mentions:
            first_refs.setdefault(m.source, SentenceRef(m.source, m.sentence))
        fact = KeyFact(
            "person", person_display(person), ordered_sources(articles, person.sources),
            sorted_refs(first_refs.values()),
        )  # fmt: skip
        facts.append((fact, len(person.mentions)))
    return facts


def spelling_differences(
    articles: Sequence[ProcessedArticle], people: list[Person]
) -> list[Difference]:
    differences = []
    for person in people:
        by_spelling: dict[str, set[str]] = defaultdict(set)
        for m in person.mentions:
            if m.first:
                by_spelling[m.first].add(m.source)
        if len(by_spelling) > 1:
            values = tuple(
                DifferingValue(f"{first} {person.last}", ordered_sources(articles, sources))
                for first, sources in sorted(by_spelling.items())
            )
            differences.append(Difference(f"Spelling of {person.last}'s first name", values))
    return differences


def gather_organisations(articles: Sequence[ProcessedArticle]) -> list[tuple[KeyFact, int]]:
    """Acronyms and capitalised names ending in an organisation word, merged by key.

    "Nato" counts as "NATO"; "Russia-NATO Council" as "NATO-Russia Council"; a name followed by
    its acronym in brackets ("North Atlantic Treaty Organisation (NATO)") as the acronym.
    """
    excluded = NEWS_AGENCIES | {a.meta.outlet.lower() for a in articles if a.meta.outlet}
    acronyms = {
        part for a in articles for s in a.sentences for part in sentence_acronyms(s.text)
    } - excluded  # fmt: skip
    mentions: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    expansions: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for sentence in article.sentences:
            for key, form in sentence_organisations(sentence.text, acronyms, expansions):
                if key not in excluded:
                    mentions[key].append((form, article.source_id, sentence.index))
    expanded = {org_key(form) for forms in expansions.values() for form in forms}
    return [
        _organisation_fact(articles, key, found, expansions.get(key))
        for key, found in mentions.items() if key not in expanded
    ]  # fmt: skip


def _organisation_fact(
    articles: Sequence[ProcessedArticle],
    key: str,
    found: list[tuple[str, str, int]],
    expansion: Counter[str] | None,
) -> tuple[KeyFact, int]:
    lowered: Counter[str] = Counter()
    for form, count in Counter(form for form, _, _ in found).items():
        lowered[form.lower()] += count
    forms = dict.fromkeys(form for form, _, _ in found)  # first seen first: ties go to it
    text = max(forms, key=lambda f: (lowered[f.lower()], sum(c.isupper() for c in f)))
    if expansion:
        text = f"{text} ({expansion.most_common(1)[0][0]})"
    first_refs: dict[str, SentenceRef] = {}
    for _, source, index in found:
        first_refs.setdefault(source, SentenceRef(source, index))
    sources = ordered_sources(articles, first_refs)
    fact = KeyFact("organisation", text, sources, sorted_refs(first_refs.values()))
    return fact, len(found)


def sentence_organisations(
    text: str, acronyms: set[str], expansions: dict[str, Counter[str]]
) -> list[tuple[str, str]]:
    """(key, surface form) of each organisation named in a sentence."""
    found: list[tuple[str, str]] = []
    lowered = sentence_lowered_words(text)
    if ORG_WORDS.isdisjoint(lowered) and acronyms.isdisjoint(lowered):
        return found  # no organisation word and no acronym of the story
    toks = tokens(text)
    for lo, hi in sentence_capital_runs(text):
        run = toks[lo:hi]
        while run and run[0].low == "the":
            run = run[1:]
        if len(run) >= 2 and run[-1].low in ORG_WORDS:
            form = bare(text[run[0].start : run[-1].end])
            found.append((org_key(form), form))
            acronym = ACRONYM_AFTER_RE.match(text[run[-1].end :])
            if acronym:
                expansions[acronym.group(1).lower()][form] += 1
        for tok in run:
            for part in bare(tok.text).split("-"):
                if part.lower() in acronyms and (part.isupper() or part == part.capitalize()):
                    found.append((part.lower(), part))
    return found


@lru_cache(maxsize=1 << 15)
def sentence_lowered_words(text: str) -> frozenset[str]:
    """A sentence's words and their hyphen-separated parts, in lower case."""
    words = token_words(text)
    parts = (part for word in words if "-" in word for part in word.split("-"))
    return frozenset(map(str.lower, chain(words, parts)))


@lru_cache(maxsize=1 << 15)
def sentence_acronyms(text: str) -> tuple[str, ...]:
    """The acronyms of a sentence ("NATO", the "EU" of "EU-wide"), in lower case."""
    return tuple(
        part.lower()
        for word in token_words(text) if not word.islower()  # a lower-case word has none
        for part in word.split("-") if _acronym_like(part)
    )  # fmt: skip


def _acronym_like(word: str) -> bool:
    if word.isupper() and 2 <= len(word) <= 6 and word.isalpha():
        return word.lower() not in NON_ORG_ACRONYMS
    return False


def org_key(form: str) -> str:
    words = (bare(w).lower() for w in ROLE_SPLIT_RE.split(form) if w)
    return " ".join(sorted(w for w in words if w != "the"))
