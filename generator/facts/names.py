"""People (with their roles) and organisations, spelling variants merged."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

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
    ordered_sources,
    punct_between,
    sorted_refs,
    stem,
    stop_words,
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
    mentions: list[NameMention]

    @property
    def sources(self) -> set[str]:
        return {m.source for m in self.mentions}

    def first_names(self) -> Counter[str]:
        return Counter(m.first for m in self.mentions if m.first)

    def full_name(self) -> str:
        firsts = self.first_names()
        return f"{firsts.most_common(1)[0][0]} {self.last}" if firsts else self.last

    def role_words(self) -> set[str]:
        return {w for m in self.mentions for w in role_key(m.role).split()}


class Vocabulary:
    """Which capitalised words of a story behave like names."""

    def __init__(self, articles: Sequence[ProcessedArticle]) -> None:
        self.lower: set[str] = set()
        self.inner_capitals: set[str] = set()
        for article in articles:
            for sentence in article.sentences:
                self._read(sentence.text)
        self.lower_stems = {stem(w) for w in self.lower}

    def _read(self, text: str) -> None:
        for k, tok in enumerate(tokens(text)):
            word = bare(tok.text)
            if word.islower():
                self.lower.update(word.split("-"))
            elif k > 0 and word[:1].isupper():
                self.inner_capitals.add(word)

    def name_like(self, word: str) -> bool:
        word = bare(word)
        low = word.lower()
        return (
            word[:1].isupper()
            and not word.isupper()
            and "-" not in word
            and word in self.inner_capitals
            and low not in self.lower
            and stem(low) not in self.lower_stems
            and low not in ROLE_WORDS | ORG_WORDS | NOT_NAME_WORDS | stop_words()
            and low not in WEEKDAYS
            and not MONTH_RE.fullmatch(word)
        )


def capital_runs(toks: list[Tok], text: str) -> list[tuple[int, int]]:
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


def sentence_names(
    source: str, sentence: Sentence, vocab: Vocabulary
) -> tuple[list[NameMention], list[tuple[str, int]]]:
    """Full names (two or three name-like words) and single capitalised words with positions."""
    text = sentence.text
    toks = tokens(text)
    names: list[NameMention] = []
    singles: list[tuple[str, int]] = []
    for lo, hi in capital_runs(toks, text):
        if toks[hi - 1].low in ORG_WORDS:
            continue  # "North Atlantic Treaty Organisation" names no person
        k = lo
        while k < hi:
            if not vocab.name_like(toks[k].text):
                k += 1
                continue
            end = k
            while end < hi and end - k < 3 and vocab.name_like(toks[end].text):
                end += 1
            if end < hi and toks[end].low in ORG_WORDS:
                k = end
                continue
            if end - k >= 2:
                names.append(_name_mention(source, sentence.index, toks, k, end, lo, text))
            else:
                singles.append((bare(toks[k].text), k))
            k = end
    return names, singles


def _name_mention(
    source: str, index: int, toks: list[Tok], k: int, end: int, run_start: int, text: str
) -> NameMention:
    first, last = " ".join(bare(t.text) for t in toks[k : end - 1]), bare(toks[end - 1].text)
    title = toks[run_start:k]
    if title and any(_is_role(t.low) for t in title):
        return NameMention(source, index, first, last, text[title[0].start : title[-1].end], True)
    role = _role_before(toks, k, text) or _role_after(toks, end, text)
    return NameMention(source, index, first, last, role, False)


def _is_role(low: str) -> bool:
    return low in ROLE_WORDS or any(part in ROLE_WORDS for part in low.split("-"))


def _role_before(toks: list[Tok], k: int, text: str) -> str:
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


def _role_after(toks: list[Tok], end: int, text: str) -> str:
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


def similar_first_names(a: str, b: str) -> bool:
    return a == b or SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.6


def gather_people(articles: Sequence[ProcessedArticle], vocab: Vocabulary) -> list[Person]:
    """People named with at least a first name and surname, plus their surname-only mentions."""
    people: list[Person] = []
    singles: list[tuple[str, int, str, list[Tok], int]] = []
    for article in articles:
        for sentence in article.sentences:
            names, words = sentence_names(article.source_id, sentence, vocab)
            for name in names:
                _add_to_people(people, name)
            toks = tokens(sentence.text)
            singles += [(w, pos, article.source_id, toks, sentence.index) for w, pos in words]
    for word, pos, source, toks, index in singles:
        matches = [p for p in people if p.last == word]
        if len(matches) == 1:
            role = toks[pos - 1].text if pos and toks[pos - 1].low in {"mr", "ms", "mrs"} else ""
            matches[0].mentions.append(NameMention(source, index, "", word, role, False))
    return [p for p in people if _has_evidence(p, articles) and not _is_place(p, articles)]


def _is_place(person: Person, articles: Sequence[ProcessedArticle]) -> bool:
    """A name written after a locative preposition ("in Harlow Ferry") or before a
    building or body ("Harlow Ferry Middle School") names a place, not a person."""
    name = re.escape(person.full_name())
    places = "|".join(sorted(PLACE_WORDS))
    pattern = re.compile(
        rf"\b(?:in|at|from|near|across|outside|inside)\s+{name}\b"
        rf"|\b{name}(?:['’]s)?\s+(?:\w+\s+)?(?:{places})\b",
        re.IGNORECASE,
    )
    return any(pattern.search(s.text) for a in articles for s in a.sentences)


def _add_to_people(people: list[Person], name: NameMention) -> None:
    for person in people:
        if person.last == name.last and all(
            similar_first_names(f, name.first) for f in person.first_names()
        ):
            person.mentions.append(name)
            return
    people.append(Person(name.last, [name]))


def _has_evidence(person: Person, articles: Sequence[ProcessedArticle]) -> bool:
    """A role, or the surname next to a speech verb, makes a name a person's."""
    if any(m.role for m in person.mentions):
        return True
    pattern = re.compile(
        rf"\b{re.escape(person.last)}\b(?:['’]s)?\s+(?:also\s+)?(?:{'|'.join(SPEECH_VERBS)})\b"
        rf"|\b(?:said|told|according to)\s+(?:\w+\s+)?{re.escape(person.last)}\b"
    )
    return any(
        pattern.search(s.text) for a in articles for s in a.sentences
        if a.source_id in person.sources
    )  # fmt: skip


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
        part.lower()
        for a in articles for s in a.sentences for t in tokens(s.text)
        for part in bare(t.text).split("-") if _acronym_like(part)
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
    lowered = Counter(form.lower() for form, _, _ in found)
    forms = {form for form, _, _ in found}
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
    toks = tokens(text)
    found: list[tuple[str, str]] = []
    for lo, hi in capital_runs(toks, text):
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


def _acronym_like(word: str) -> bool:
    if word.isupper() and 2 <= len(word) <= 6 and word.isalpha():
        return word.lower() not in NON_ORG_ACRONYMS
    return False


def org_key(form: str) -> str:
    words = (bare(w).lower() for w in ROLE_SPLIT_RE.split(form) if w)
    return " ".join(sorted(w for w in words if w != "the"))
