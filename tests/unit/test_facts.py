"""Tests for generator.facts: key facts and differences across the five seed articles, plus
small invented stories that show the rules generalise."""

from __future__ import annotations

import math
import random
import re
from dataclasses import astuple
from pathlib import Path

import punkt
import pytest

from generator.facts import dates, extract_facts
from generator.facts.common import (
    PARAPHRASE_MIN_STEMS,
    PARAPHRASE_SHARE,
    PLACE_WORDS,
    ROLE_SAID_RE,
    SPEECH_VERBS,
    TOKEN_RE,
    bare,
    cluster,
    cluster_by,
    content_stems,
    fold_ascii,
    fuzzy_overlap,
    tokens,
)
from generator.facts.dates import (
    CLOCK_TIME_RE,
    DMY_RE,
    MDY_RE,
    NUMERIC_RE,
    RELATIVE_RE,
    VAGUE_RE,
    WEEKDAY_RE,
    _may_tell_time,
    describe_date,
    exact_mentions,
    other_mentions,
    representative,
    sentence_events,
    sentence_subject,
)
from generator.facts.names import NameContexts, NameMention, Person, role_key
from generator.facts.quotes import (
    Quote,
    QuoteMatcher,
    StemIndex,
    _role_phrases,
    article_stems,
    quote_words,
    same_quote,
)
from generator.model import (
    ArticleMeta,
    Block,
    FactsResult,
    KeyFact,
    PartialDate,
    ProcessedArticle,
    Sentence,
    SentenceRef,
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


def test_no_seed_date_fact_is_a_participle_glued_to_a_subject(seed_facts: FactsResult) -> None:
    # 004: "Speaking to reporters on Wednesday (20/10), the NATO secretary general said
    # “…”" once gave the date fact "Speaking to reporters the NATO secretary general".
    texts = [fact.text for fact in facts_of(seed_facts, "date")]
    assert texts
    assert not [text for text in texts if text.split()[0].endswith("ing")]


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        (
            "Speaking to reporters on Thursday, Stoltenberg said he regretted Russia’s "
            "decision to close NATO’s Moscow office.",
            "Stoltenberg said he regretted Russia’s decision to close NATO’s Moscow office",
        ),
        (
            "Addressing a press conference on Tuesday, the minister announced new "
            "sanctions against the company.",
            "the minister announced new sanctions against the company",
        ),
        # not a participle: a name, and a sentence whose date is outside the opener
        ("Beijing on Monday announced new tariffs on steel.",
         "Beijing announced new tariffs on steel"),
        ("Speaking slowly, the mayor closed the bridge on Monday after a lorry hit it.",
         "the mayor closed the bridge"),
    ],
)  # fmt: skip
def test_a_date_in_an_opening_participle_phrase_dates_the_main_clause(
    sentence: str, event: str
) -> None:
    assert [found.clause for found in sentence_events(sentence)] == [event]


def test_an_opener_before_a_bare_speaker_gives_no_event() -> None:
    sentence = (
        "Speaking to reporters on Wednesday (20/10), the NATO secretary general said "
        "“NATO’s most urgent task is to resettle Afghans who worked for us.”"
    )
    assert sentence_events(sentence) == ()


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


# --- the shortcuts give what the plain definitions give ----------------------------------------
# Each sentence is read once per story and most pairs are ruled out early; these compare the
# quick forms with the definitions they stand for, on seeded random text.

FRAGMENTS = [
    "in", "In", "IN", "at", "from", "near", "inside", "said", "told", "says", "also",
    "according to", "the", "school", "School", "bridge", "Middle", "’s", "'s", "Smith", "smith",
    "SMITH", "Anna", "Smith-Jones", "O’Neil", "Ferry", "Harlow", "ſmith", "İn", "ın", "\u212aate",
    "Kate", "reporters", ",", ".", "“", "”", "4,200", "1,000", "12,34", "Monday", "MONDAY", "today",
    "TODAY", "yeſterday", "tomorrow", "this month", "mid-October", "in May", "Oct.", "21st",
    "(21/10)", "2021", "6 a.m.", "at 7pm", "noon", "MIDNİGHT", "days", "co-op", "½", "٣",
]  # fmt: skip


def random_text(rng: random.Random, words: int = 10) -> str:
    spaces = [" ", " ", " ", "  ", "\n", "", "-", "\u00a0"]
    return "".join(rng.choice(FRAGMENTS) + rng.choice(spaces) for _ in range(rng.randint(1, words)))


def evidence_by_pattern(person: Person, articles: list[ProcessedArticle]) -> bool:
    """The definition NameContexts.has_evidence stands for: a pattern per surname."""
    if any(m.role for m in person.mentions):
        return True
    last = re.escape(person.last)
    pattern = re.compile(
        rf"\b{last}\b(?:['’]s)?\s+(?:also\s+)?(?:{'|'.join(SPEECH_VERBS)})\b"
        rf"|\b(?:said|told|according to)\s+(?:\w+\s+)?{last}\b"
    )
    texts = [s.text for a in articles if a.source_id in person.sources for s in a.sentences]
    return any(pattern.search(text) for text in texts)


def place_by_pattern(person: Person, articles: list[ProcessedArticle]) -> bool:
    """The definition NameContexts.is_place stands for: a pattern per name."""
    name = re.escape(person.full_name())
    places = "|".join(sorted(PLACE_WORDS))
    pattern = re.compile(
        rf"\b(?:in|at|from|near|across|outside|inside)\s+{name}\b"
        rf"|\b{name}(?:['’]s)?\s+(?:\w+\s+)?(?:{places})\b",
        re.IGNORECASE,
    )
    return any(pattern.search(s.text) for a in articles for s in a.sentences)


def test_name_contexts_agree_with_a_pattern_per_name() -> None:
    rng = random.Random(5)
    people = [("Anna", "Smith"), ("Kate", "Ferry"), ("Harlow", "Ferry"), ("", "Smith-Jones"),
              ("", "O’Neil"), ("Anna", "Smiths"), ("Kate", "Smith")]  # fmt: skip
    found = {True: 0, False: 0}
    for _ in range(400):
        articles = [
            article(f"s{n}", [random_text(rng) for _ in range(rng.randint(1, 3))], None)
            for n in range(rng.randint(1, 3))
        ]
        contexts = NameContexts(articles)
        for first, last in people:
            for role in ("", "Mayor"):
                mention = NameMention(rng.choice(articles).source_id, 0, first, last, role, False)
                person = Person(last, [mention])
                assert contexts.has_evidence(person) == evidence_by_pattern(person, articles)
                assert contexts.is_place(person) == place_by_pattern(person, articles)
                found[contexts.is_place(person)] += 1
    assert found[True] and found[False]


def test_paraphrase_index_agrees_with_fuzzy_overlap() -> None:
    articles = flood_story()
    common = frozenset.intersection(*(article_stems(a) for a in articles))
    quoted = [
        ("daily", "We have never seen water this high in the old town"),
        ("wire", "Three bridges were shut as the river rose"),
        ("radio", "residents evacuated from the old town overnight, officials said"),
    ]
    for source, text in quoted:
        quote = Quote(source, text, quote_words(text), (0,), "")
        wanted = content_stems(text) - common
        needed = max(PARAPHRASE_MIN_STEMS, math.ceil(PARAPHRASE_SHARE * len(wanted)))
        expected = []
        for a in articles:
            if a.source_id == source:
                continue
            scored = [(fuzzy_overlap(wanted, content_stems(s.text)), s.index) for s in a.sentences]
            best = max(scored, default=(0, -1))
            if best[0] >= needed:
                expected.append(SentenceRef(a.source_id, best[1]))
        keys = {stem[:5] for stem in wanted}
        assert StemIndex(articles, keys).paraphrases(quote, {source}, common) == expected


def test_clustering_by_key_gives_the_same_groups() -> None:
    rng = random.Random(3)
    for _ in range(200):
        keys = [rng.randint(0, 3) for _ in range(rng.randint(0, 12))]
        noise = {(i, j): rng.random() < 0.5 for i in range(len(keys)) for j in range(len(keys))}

        def same(i: int, j: int, keys: list[int] = keys, noise: dict = noise) -> bool:
            return keys[i] == keys[j] and noise[min(i, j), max(i, j)]

        assert cluster_by(keys, same) == cluster(len(keys), same)


def test_tokens_and_subjects_are_what_the_pattern_finds() -> None:
    rng = random.Random(11)
    for _ in range(2000):
        text = random_text(rng)
        expected = [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]
        assert [(t.text, t.start, t.end) for t in tokens(text)] == expected
        assert all(t.word == bare(t.text) and t.low == bare(t.text).lower() for t in tokens(text))
        head = text.split(",", 1)[0]
        assert sentence_subject(text) == tuple(t.text for t in tokens(head))


def found_dates(text: str) -> list[tuple[object, ...]] | str:
    try:
        return [astuple(m) for m in exact_mentions(text) + other_mentions(text)]
    except KeyError:  # "yeſterday" matches ignoring case but is no key (as it always was)
        return "KeyError"


def test_date_patterns_skipped_only_where_they_cannot_match(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(13)
    texts = [random_text(rng) for _ in range(1500)]
    quick = [found_dates(text) for text in texts]
    assert any(found and found != "KeyError" for found in quick)
    assert all(_may_tell_time(t) or CLOCK_TIME_RE.search(t) is None for t in texts)
    monkeypatch.setattr(dates, "_exact_patterns", lambda _: (NUMERIC_RE, MDY_RE, DMY_RE))
    monkeypatch.setattr(dates, "_other_patterns", lambda _: {WEEKDAY_RE, RELATIVE_RE, VAGUE_RE})
    assert [found_dates(text) for text in texts] == quick


def representative_by_pairs(texts: list[str], stems: list[frozenset[str]]) -> str:
    def score(i: int) -> tuple[float, int]:
        shared = sum(len(stems[i] & stems[j]) for j in range(len(texts)) if j != i)
        return (shared - 0.2 * len(texts[i].split()), -len(texts[i]))

    return texts[max(range(len(texts)), key=score)]


def test_representative_by_counting_stems() -> None:
    rng = random.Random(17)
    for _ in range(500):
        n = rng.randint(1, 7)
        stems = [frozenset(rng.sample("abcdefgh", rng.randint(0, 5))) for _ in range(n)]
        texts = [" ".join(rng.choices(["x", "yy", "zzz"], k=rng.randint(1, 4))) for _ in stems]
        assert representative(texts, stems) is representative_by_pairs(texts, stems)


def test_quote_matcher_agrees_with_same_quote() -> None:
    rng = random.Random(19)
    vocabulary = ["we", "will", "not", "go", "back", "to", "the", "cold", "war", "it", "time"]
    quotes = [
        Quote("s", "", tuple(rng.choice(vocabulary) for _ in range(rng.randint(5, 12))), (0,),
              rng.choice(["", "A", "B"]))
        for _ in range(60)
    ]  # fmt: skip
    matcher = QuoteMatcher(quotes)
    pairs = [(i, j) for i in range(len(quotes)) for j in range(len(quotes)) if i != j]
    assert all(matcher.same(i, j) == same_quote(quotes[i], quotes[j]) for i, j in pairs)
    assert any(matcher.same(i, j) for i, j in pairs)


def test_output_strings_are_made_anew_each_time() -> None:
    """Pickled briefings share a string only where it is one object: descriptions and names
    made for each use must stay separate objects, as they were before any caching."""
    day = PartialDate(10, 20, 2021)
    assert describe_date(day) == "Wednesday 20 Oct 2021"
    assert describe_date(day) is not describe_date(day)
    person = Person("Lavrov", [NameMention("a", 0, "Sergei", "Lavrov", "", False)])
    assert person.full_name() == "Sergei Lavrov" and person.full_name() is not person.full_name()


def test_folding_finds_ascii_words_where_ignoring_case_does() -> None:
    letters = [chr(c) for c in (*range(0x2500), 0x212A, 0x212B, 0x1E9E, 0xFB00, 0xFF21)]
    for char in letters:
        text = f"A{char}{char}b"
        folded = fold_ascii(text)  # position for position ("Σ" may become "σ" or "ς")
        assert len(folded) == len(text) and folded[0] == "a" and folded[-1] == "b"
        for ascii_letter in "iks" + "aeyz":
            matches = re.fullmatch(f"(?i){ascii_letter}", char) is not None
            assert matches == (folded[1] == folded[2] == ascii_letter), (char, ascii_letter)


def test_role_phrases_skipped_only_where_the_pattern_cannot_match() -> None:
    rng = random.Random(23)
    words = ["the", "The", "THE", "ſaid", "saıd", "SAİD", "Told", "ADDED", "said", "Nato", "NATO",
             "secretary", "general", "foreign", "minister", ",", "on", "Monday"]  # fmt: skip
    for _ in range(3000):
        text = " ".join(rng.choices(words, k=rng.randint(1, 9)))
        found = tuple(
            (m.start(), frozenset(role_key(m.group(1)).split()))
            for m in ROLE_SAID_RE.finditer(text)
        )
        assert _role_phrases(text) == tuple((start, p) for start, p in found if len(p) >= 2)


def test_pairwise_disagreements_are_grouped_per_subject_and_capped() -> None:
    from generator.facts import grouped_differences
    from generator.model import Difference, DifferingValue

    articles = [ProcessedArticle(f"s{n}", "", ArticleMeta(), (), (), (), ()) for n in range(4)]

    def pair(subject: str, first: tuple[str, str], second: tuple[str, str]) -> Difference:
        return Difference(
            subject,
            (DifferingValue(first[0], (first[1],)), DifferingValue(second[0], (second[1],))),
        )

    found = [
        pair("Date: the vote", ("Monday", "s2"), ("Tuesday", "s1")),
        pair("Count of seats", ("4", "s0"), ("5", "s1")),
        pair("Date: the vote", ("Monday", "s0"), ("Friday", "s3")),
    ]
    grouped = grouped_differences(found, articles)
    assert grouped == (
        Difference(
            "Date: the vote",
            (
                DifferingValue("Monday", ("s0", "s2")),
                DifferingValue("Tuesday", ("s1",)),
                DifferingValue("Friday", ("s3",)),
            ),
        ),
        found[1],
    )
    assert grouped_differences(found, articles, limit=1) == grouped[:1]  # most sources first


def test_dates_spelled_with_letters_that_fold_to_ascii_do_not_crash() -> None:
    mentions = dates.other_mentions("The minister said it yeſterday, in early ſeptember.")
    assert [mention.kind for mention in mentions][:1] == ["relative"]


def test_masked_tokens_are_the_tokens_of_the_masked_sentence() -> None:
    from generator.facts.dates import masked_sentence, masked_tokens, sentence_dates

    sentences = [
        "On Monday (21/10) the mayor said 4,200 people crossed at 6 a.m. in mid-October.",
        "Lavrov's talks on Oct. 20, 2021, ended; Nato’s envoy left on Tuesday's flight.",
        "The vote, held earlier this month, came after 10:30pm talks on 5th of March.",
        "Work starts tomorrow and runs until Sept 3 — noon at the latest.",
    ]
    rng = random.Random(7)
    for sentence in sentences:
        spans = [(m.prep_start, m.end) for m in sentence_dates(sentence)]
        masks = [tuple(spans)]
        for _ in range(40):  # blanks anywhere, also cutting words
            start = rng.randrange(len(sentence))
            masks.append(((start, min(len(sentence), start + rng.randrange(1, 12))),))
        for mask in masks:
            masked = masked_sentence(sentence, mask)
            assert masked_tokens(sentence, masked) == tokens(masked)
