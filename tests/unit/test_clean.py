"""Tests for generator.clean: the five real seed pages, then invented debris of each class."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import clean
from generator.clean import blocks_from_text, clean_article
from generator.model import ArticleMeta, Block, CleanArticle, PartialDate, RawArticle

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def _seed_path(prefix: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present")
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not present")
    return matches[0]


def _clean_seed(prefix: str) -> CleanArticle:
    path = _seed_path(prefix)
    raw = RawArticle(
        path=str(path),
        file_name=path.name,
        kind="txt",
        meta=ArticleMeta(),
        blocks=blocks_from_text(path.read_text(encoding="utf-8")),
        digest="",
    )
    return clean_article(raw)


def _clean_text(text: str, meta: ArticleMeta | None = None) -> CleanArticle:
    raw = RawArticle("x/a.txt", "a.txt", "txt", meta or ArticleMeta(), blocks_from_text(text), "")
    return clean_article(raw)


def _clean_lines(*lines: str, meta: ArticleMeta | None = None) -> CleanArticle:
    """Each argument is one line, separated by blank lines, after a fixed headline."""
    return _clean_text("\n\n".join(["A headline about the summit", *lines]), meta)


def _texts(article: CleanArticle) -> list[str]:
    return [paragraph.text for paragraph in article.paragraphs]


def _reasons(article: CleanArticle) -> dict[str, str]:
    return {dropped.text: dropped.reason for dropped in article.dropped}


STORY = "Ministers met in Brussels on Wednesday to discuss the alliance's budget."
STORY_2 = "The talks will continue next month, a spokesperson said."


# --------------------------------------------------------------------------- seeds

SEED_TITLES = {
    "000": "NATO seeking ways to engage with Russia",
    "001": "Nato's relations with Russia at 'lowest point' since Cold War",
    "002": "NATO will still seek channels with Russia despite spy dispute",
    "003": (
        "NATO regrets Russia’s decision to suspend diplomatic missions but is ready for dialogue"
    ),
    "004": "NATO relations with Russia at “low point”",
}

SEED_DEBRIS = {
    "000": ["By , in World on .", "Recommended articles", "BRUSSELS, Oct 21"],
    "001": [
        "needed now more than ever. AFP",
        "Powered by automated translation",
        "Updated: October 20, 2021",
        "But Jens Stoltenberg insists alliance favours dialogue with Moscow",
    ],
    "002": [
        "REUTERS/Yves Herman",
        "BRUSSELS (Reuters)",
        "Reporting by Robin Emmott",
        "Article type: metered",
        "User Type: anonymous web",
        "User Status:",
        "Campaign ID: 46",
        "Cxense type: free",
        "User access status: 3",
        "Join our Telegram channel",
        "Next In World",
        "Australia deputy PM tests positive",
        "Exclusive: Sudan cut off",
        "Others Also Read",
    ],
    "003": ["All news", "/TASS/", "BRUSSELS, October 18"],
    "004": [
        "[em/lt]",
        "Check Also",
        "China’s Military Power Is Expected",
        "only a matter of time before China’s …",
        "Leave a Reply",
        "Your email address will not be published.",
    ],
}

SEED_FIRST_AND_LAST = {
    "000": (
        "Despite Russia’s decision to suspend its mission",
        "Before that, the size of the Russian mission in Brussels was reduced twice",
    ),
    "001": (
        "Nato’s Secretary General has said the alliance favours dialogue",
        "“We will ensure we have the right plant, capabilities",
    ),
    "002": (
        "NATO Secretary-General Jens Stoltenberg said on Wednesday",
        "The West and Russia remain at odds over Ukraine",
    ),
    "003": (
        "NATO regrets Russia’s decision to suspend the work of diplomatic missions",
        "On October 6, NATO announced the reduction of the Russian mission",
    ),
    "004": (
        "Secretary General of the North Atlantic Treaty Organization (NATO), Jens Stoltenberg",
        "Stoltenberg said NATO allies and partners managed to get more than 120,000 people",
    ),
}


@pytest.mark.parametrize("prefix", sorted(SEED_TITLES))
def test_seed_title_is_the_headline(prefix: str) -> None:
    assert _clean_seed(prefix).meta.title == SEED_TITLES[prefix]


@pytest.mark.parametrize("prefix", sorted(SEED_DEBRIS))
def test_seed_debris_does_not_survive(prefix: str) -> None:
    article = _clean_seed(prefix)
    for debris in SEED_DEBRIS[prefix]:
        survivors = [text for text in _texts(article) if debris in text]
        assert not survivors, f"{debris!r} survived in {survivors}"


@pytest.mark.parametrize("prefix", sorted(SEED_FIRST_AND_LAST))
def test_seed_first_and_last_story_paragraphs_survive(prefix: str) -> None:
    first, last = SEED_FIRST_AND_LAST[prefix]
    texts = _texts(_clean_seed(prefix))
    assert texts[0].startswith(first)
    assert texts[-1].startswith(last)


@pytest.mark.parametrize("prefix", sorted(SEED_TITLES))
def test_seed_every_drop_has_a_reason_and_no_paragraph_is_empty(prefix: str) -> None:
    article = _clean_seed(prefix)
    assert article.dropped
    assert all(dropped.reason and dropped.text and dropped.line > 0 for dropped in article.dropped)
    assert all(paragraph.text.strip() == paragraph.text != "" for paragraph in article.paragraphs)


def test_seed_000_dateline_gives_place_and_date_without_year() -> None:
    article = _clean_seed("000")
    assert article.meta.place == "Brussels"
    assert article.meta.published == PartialDate(10, 21, None)
    assert len(article.paragraphs) == 10
    assert _reasons(article)["By , in World on ."] == "empty byline template"


def test_seed_001_keeps_standfirst_date_and_every_quote_paragraph() -> None:
    article = _clean_seed("001")
    assert article.meta.published == PartialDate(10, 20, 2021)
    assert article.meta.standfirst == (
        "But Jens Stoltenberg insists alliance favours dialogue with Moscow"
    )
    texts = _texts(article)
    assert '"Therefore, we will continue to work for dialogue with Russia.' in texts
    assert sum(text.startswith(("“", '"')) for text in texts) == 7
    assert len(texts) == 12
    assert _reasons(article)["Powered by automated translation"] == "machine-translation notice"


def test_seed_002_reuters_dateline_credit_and_short_sentences() -> None:
    article = _clean_seed("002")
    assert article.meta.outlet == "Reuters"
    assert article.meta.place == "Brussels"
    assert article.meta.author == "Robin Emmott"
    texts = _texts(article)
    assert "Moscow denies all accusations." in texts
    assert "Stoltenberg said he regretted that decision." in texts
    assert len(texts) == 11
    reasons = _reasons(article)
    assert reasons["Campaign ID: 46"] == "tracking fields"
    assert reasons["Next In World"] == "related-headlines list"


def test_seed_003_skips_navigation_and_drops_repeated_standfirst() -> None:
    article = _clean_seed("003")
    assert article.meta.outlet == "TASS"
    assert article.meta.place == "Brussels"
    assert article.meta.published == PartialDate(10, 18, None)
    assert article.meta.standfirst == ""
    reasons = _reasons(article)
    assert reasons["All news"] == "navigation link"
    repeated = [d for d in article.dropped if d.reason == "repeats later text"]
    assert [d.line for d in repeated] == [5]
    assert any("said earlier on Monday that Russia is suspending" in t for t in _texts(article))


def test_seed_004_sign_off_code_is_stripped_not_the_paragraph() -> None:
    article = _clean_seed("004")
    last = article.paragraphs[-1]
    assert last.line == 21
    assert last.text.endswith("would continue to work to evacuate many more.")
    assert _reasons(article)["[em/lt]"] == "sign-off code"
    assert len(article.paragraphs) == 10


# --------------------------------------------------------------------------- blocks_from_text


def test_blocks_from_text_numbers_lines_and_skips_blanks() -> None:
    blocks = blocks_from_text("Title\n\n  First line  \nsecond line\n\n\nLast")
    assert blocks == (
        Block(1, "Title", "line"),
        Block(3, "First line", "line"),
        Block(4, "second line", "line"),
        Block(7, "Last", "line"),
    )


# --------------------------------------------------------------------------- paragraphs


def test_hard_wrapped_lines_are_joined_under_the_first_line_number() -> None:
    article = _clean_text(
        "Headline of the day\n\nNATO said on Wednesday that it\nwould keep  talking to Moscow.\n"
        "Another paragraph starts here."
    )
    assert [(p.line, p.text) for p in article.paragraphs] == [
        (3, "NATO said on Wednesday that it would keep talking to Moscow."),
        (5, "Another paragraph starts here."),
    ]


def test_title_is_not_taken_from_a_sentence() -> None:
    article = _clean_text(f"{STORY}\n\n{STORY_2}")
    assert article.meta.title == ""
    assert _texts(article) == [STORY, STORY_2]


def test_front_matter_meta_wins_and_repeated_title_line_is_dropped() -> None:
    meta = ArticleMeta(title="Summit opens", author="Ann Lee", place="Bruxelles", outlet="Le Soir")
    article = _clean_text(
        f"Summit opens\n\nBy Jane Doe\n\nMADRID (AP) — {STORY}\n\n{STORY_2}", meta=meta
    )
    assert article.meta.title == "Summit opens"
    assert (article.meta.author, article.meta.place, article.meta.outlet) == (
        "Ann Lee",
        "Bruxelles",
        "Le Soir",
    )
    assert _reasons(article)["Summit opens"] == "repeats title"
    assert _texts(article) == [STORY, STORY_2]


def test_markdown_heading_becomes_title_and_pasted_fields_are_removed() -> None:
    blocks = (
        Block(5, "Ministers agree on budget", "heading"),
        Block(7, "Meter state: open\nReader tier: anonymous", "paragraph"),
        Block(10, STORY, "paragraph"),
        Block(12, "Trending now", "heading"),
        Block(14, "Storm hits the coast", "paragraph"),
    )
    article = clean_article(RawArticle("x/a.md", "a.md", "md", ArticleMeta(), blocks, ""))
    assert article.meta.title == "Ministers agree on budget"
    assert [(p.line, p.text) for p in article.paragraphs] == [(10, STORY)]
    assert _reasons(article)["Meter state: open"] == "tracking fields"


def test_markdown_without_heading_keeps_title_empty() -> None:
    blocks = (Block(1, STORY, "paragraph"), Block(3, STORY_2, "paragraph"))
    article = clean_article(RawArticle("x/a.md", "a.md", "md", ArticleMeta(), blocks, ""))
    assert article.meta.title == ""
    assert _texts(article) == [STORY, STORY_2]


def test_navigation_before_title_is_skipped() -> None:
    article = _clean_text(f"Home > World > Europe\n\nSkip to content\n\nSummit opens\n\n{STORY}")
    assert article.meta.title == "Summit opens"
    assert _reasons(article)["Home > World > Europe"] == "navigation link"


def test_paragraph_repeated_later_is_dropped() -> None:
    pull_quote = "The alliance remains open to dialogue with every neighbour it has"
    later = f"Speaking on Monday, the chief said: {pull_quote}, and added nothing."
    article = _clean_lines(STORY, f"“{pull_quote}”", later)
    assert _texts(article) == [STORY, later]
    assert _reasons(article)[f"“{pull_quote}”"] == "repeats later text"


# --------------------------------------------------------------------------- bylines and dates


@pytest.mark.parametrize("template", ["Posted on  by ", "Published: .", "By  | ", "Written by"])
def test_empty_byline_templates_are_dropped(template: str) -> None:
    article = _clean_lines(STORY, template, STORY_2)
    assert _texts(article) == [STORY, STORY_2]
    assert list(_reasons(article).values()) == ["empty byline template"]


def test_filled_byline_gives_author_and_date() -> None:
    article = _clean_lines("By Jane Doe and John Roe | March 3, 2022", STORY)
    assert article.meta.author == "Jane Doe, John Roe"
    assert article.meta.published == PartialDate(3, 3, 2022)
    assert _texts(article) == [STORY]


def test_line_verdicts_are_shared_only_without_an_author_or_date() -> None:
    """A line's verdict is found once per process; one that names an author or a date is
    made anew for each article, so no two articles share those strings."""
    byline = "By Jane Doe and John Roe | March 3, 2022"
    first, second = _clean_lines(byline, STORY), _clean_lines(byline, STORY)
    assert first.meta.author == second.meta.author == "Jane Doe, John Roe"
    assert first.meta.author is not second.meta.author
    assert clean._article_line_verdict("Advertisement") is clean._article_line_verdict(
        "Advertisement"
    )
    assert clean._article_line_verdict(byline) is not clean._article_line_verdict(byline)


def test_sentence_starting_with_by_is_not_a_byline() -> None:
    sentence = "By Friday the troops had left the border area."
    assert _texts(_clean_lines(sentence)) == [sentence]


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Published 20 October 2021", PartialDate(10, 20, 2021)),
        ("Last updated on Mar 3, 2022 at 10:15 GMT", PartialDate(3, 3, 2022)),
        ("Posted Tuesday, November 21, 2017 5:27 pm", PartialDate(11, 21, 2017)),
        ("2021-10-19", PartialDate(10, 19, 2021)),
    ],
)
def test_date_lines_become_published_date(line: str, date: PartialDate) -> None:
    article = _clean_lines(STORY, line)
    assert article.meta.published == date
    assert _reasons(article)[line] == "date line (kept as published date)"


def test_published_line_wins_over_updated_line() -> None:
    article = _clean_lines("Updated: 21 Oct 2021", "Published: 19 Oct 2021", STORY)
    assert article.meta.published == PartialDate(10, 19, 2021)


# --------------------------------------------------------------------------- datelines


@pytest.mark.parametrize(
    ("opening", "place", "outlet", "date"),
    [
        ("WASHINGTON, Oct. 3, 2021 (AP) — ", "Washington", "AP", PartialDate(10, 3, 2021)),
        ("KYIV, Ukraine (AP) — ", "Kyiv, Ukraine", "AP", None),
        ("MOSCOW, March 5. /TASS/. ", "Moscow", "TASS", PartialDate(3, 5, None)),
        ("NEW YORK -- ", "New York", "", None),
        ("Paris (AFP) - ", "Paris", "AFP", None),
        ("MADRID, 4 May — ", "Madrid", "", PartialDate(5, 4, None)),
    ],
)
def test_dateline_is_stripped_into_meta(
    opening: str, place: str, outlet: str, date: PartialDate | None
) -> None:
    article = _clean_lines(opening + STORY, STORY_2)
    assert _texts(article) == [STORY, STORY_2]
    assert (article.meta.place, article.meta.outlet, article.meta.published) == (
        place,
        outlet,
        date,
    )
    assert _reasons(article)[opening.strip()] == "dateline (kept as metadata)"


def test_dateline_year_comes_from_a_dated_line() -> None:
    article = _clean_lines(f"BRUSSELS, Oct 21 — {STORY}", "Updated: October 22, 2021")
    assert article.meta.published == PartialDate(10, 21, 2021)


@pytest.mark.parametrize(
    "sentence",
    [
        "Moscow, which denies the claims, said on Friday it would respond.",
        "NATO — the alliance of 30 countries — said it would respond.",
    ],
)
def test_sentences_that_look_a_bit_like_datelines_are_untouched(sentence: str) -> None:
    article = _clean_lines(sentence)
    assert _texts(article) == [sentence]
    assert article.meta.place == ""


# --------------------------------------------------------------------------- widget lists


def test_headline_list_under_widget_heading_is_dropped_and_story_resumes() -> None:
    article = _clean_lines(
        STORY,
        "You may also like:",
        "Storm batters the coast as thousands lose power",
        "Why the central bank kept rates on hold?",
        "Officials warned that the flood defences would not hold for long and…",
        STORY_2,
    )
    assert _texts(article) == [STORY, STORY_2]
    assert set(_reasons(article).values()) == {"related-headlines list"}


@pytest.mark.parametrize(
    "heading", ["More from The Times", "Most read", "Top stories", "Trending", "Related"]
)
def test_widget_heading_with_nothing_after_it_is_dropped(heading: str) -> None:
    article = _clean_lines(STORY, heading)
    assert _texts(article) == [STORY]
    assert _reasons(article)[heading] == "related-headlines list"


def test_inline_related_link_is_dropped() -> None:
    link = "Read more: Inside the bunker where the talks took place"
    article = _clean_lines(STORY, link, STORY_2)
    assert _texts(article) == [STORY, STORY_2]
    assert _reasons(article)[link] == "related link"


# --------------------------------------------------------------------------- fields, prompts


def test_run_of_short_key_value_lines_is_tracking_fields() -> None:
    article = _clean_text(
        f"Headline of the day\n\n{STORY}\n\nSubscriber tier: gold\nSession ID: 9f2c\nPaywall:\n"
    )
    assert _texts(article) == [STORY]
    assert set(_reasons(article).values()) == {"tracking fields"}


@pytest.mark.parametrize(
    "prompt",
    [
        "Sign up for the Morning Brief newsletter",
        "Follow us on Instagram for more pictures",
        "Download our app to get breaking news alerts",
        "Subscribe to our WhatsApp channel",
        "Share this article",
        "Share on Facebook",
    ],
)
def test_social_and_newsletter_prompts_are_dropped(prompt: str) -> None:
    article = _clean_lines(STORY, prompt)
    assert _texts(article) == [STORY]
    assert _reasons(article)[prompt] == "social/newsletter prompt"


@pytest.mark.parametrize(
    "line", ["Post a comment", "Required fields are marked *", "3 Comments", "Leave a comment"]
)
def test_comment_form_lines_are_dropped(line: str) -> None:
    article = _clean_lines(STORY, line)
    assert _reasons(article)[line] == "comment form"
    assert _texts(article) == [STORY]


@pytest.mark.parametrize(
    "notice",
    [
        "This article was machine-translated from German.",
        "Translated by Google Translate",
        "This story has been automatically translated",
    ],
)
def test_machine_translation_notices_are_dropped(notice: str) -> None:
    article = _clean_lines(STORY, notice)
    assert _reasons(article)[notice] == "machine-translation notice"


# --------------------------------------------------------------------------- captions, credits


@pytest.mark.parametrize(
    "caption",
    [
        "Protesters gather outside parliament in Vienna. Photo: Jane Roe/AP",
        "A soldier walks past a tank near the border. EPA-EFE/JOHN SMITH",
        "The summit venue in Madrid on Tuesday. (Getty Images)",
        "Delegates arrive for the talks. (AP Photo/Virginia Mayo)",
        "FILE PHOTO: The flags of member states fly outside the headquarters",
        "Ministers pose for a family photo at the start of the meeting. Xinhua",
        "Police officers stand in line outside city hall. Credit: Jane Roe / The Daily Courier",
        "Enlarge this image toggle caption Jane Roe/Daily Courier",
    ],
)
def test_photo_captions_with_credit_are_dropped(caption: str) -> None:
    article = _clean_lines(caption, STORY)
    assert _texts(article) == [STORY]
    assert _reasons(article)[caption] == "photo caption with credit"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Your browser does not support the video element.", "video player text"),
        ("© 2021 The Daily Courier. All rights reserved.", "copyright notice"),
        ("Advertisement", "advertisement label"),
        ("Story continues below advertisement", "advertisement label"),
        ("https://example.com/news/summit-live", "navigation link"),
    ],
)
def test_page_chrome_lines_are_dropped(line: str, reason: str) -> None:
    article = _clean_lines(STORY, line, STORY_2)
    assert _texts(article) == [STORY, STORY_2]
    assert _reasons(article)[line] == reason


def test_caption_prefix_glued_to_story_text_keeps_the_story() -> None:
    glued = "Photo: Jane Roe/via Fundraiser Finding work was hard. So she started a campaign."
    assert _texts(_clean_lines(STORY, glued)) == [STORY, glued]


def test_reporting_credit_gives_reporters_and_writers_but_not_editors() -> None:
    credit = "(Reporting by Jane Roe in Kyiv and John Doe; Writing by Ann Lee; Editing by Bob Ray)"
    article = _clean_lines(STORY, credit)
    assert article.meta.author == "Jane Roe, John Doe, Ann Lee"
    assert _reasons(article)[credit] == "reporting credit (kept as author)"
    assert _texts(article) == [STORY]


def test_contributor_line_is_dropped_without_becoming_author() -> None:
    line = "Associated Press writer Maria Lopez in Madrid contributed to this report."
    article = _clean_lines(STORY, line)
    assert _texts(article) == [STORY]
    assert article.meta.author == ""


@pytest.mark.parametrize(
    ("paragraph", "code"),
    [(f"{STORY} (ends)", "(ends)"), (f"{STORY} -- ENDS --", "-- ENDS --"), (f"{STORY} ###", "###")],
)
def test_sign_off_codes_are_stripped_from_paragraph_end(paragraph: str, code: str) -> None:
    article = _clean_lines(paragraph)
    assert _texts(article) == [STORY]
    assert _reasons(article)[code] == "sign-off code"


# --------------------------------------------------------------------------- precision


@pytest.mark.parametrize(
    "paragraph",
    [
        "The minister said: talks will continue next week.",
        "Officials said the two incidents were related and under investigation.",
        "The decision was announced by NATO, and welcomed by the EU",
        "A diplomat familiar with the talks told AFP.",
        '"We will respond," the minister said. (Reuters)',
        "Share prices fell after the app launch on Monday.",
        "Follow-up talks were announced on Twitter by the ministry.",
        "Read the full statement, which runs to 12 pages, before you judge it.",
        "Update: the ministry confirmed the meeting will go ahead on Friday.",
    ],
)
def test_ordinary_paragraphs_are_kept(paragraph: str) -> None:
    article = _clean_lines(STORY, paragraph, STORY_2)
    assert _texts(article) == [STORY, paragraph, STORY_2]
    assert article.dropped == ()


def test_single_key_value_line_is_kept() -> None:
    line = "Turnout: 61 percent"
    article = _clean_lines(STORY, line, STORY_2)
    assert _texts(article) == [STORY, line, STORY_2]


# --------------------------------------------------------------------------- pre-checks
# The cleaner skips a pattern when a cheap test shows it cannot match; these tests hold
# each such test to "never hides a match".

CUED_PATTERNS = [
    (clean._PROMPT_ANYWHERE_CUES, clean._PROMPT_ANYWHERE.search),
    (clean._VIDEO_CUES, clean._VIDEO_PLAYER.search),
    (clean._COPYRIGHT_CUES, clean._COPYRIGHT.fullmatch),
    (clean._RELATIVE_TIME_CUES, clean._RELATIVE_TIME.search),
]


def _cased_characters() -> list[str]:
    return [chr(code) for code in range(0x110000) if chr(code).swapcase() != chr(code)]


def test_cues_are_found_in_lower_case_whatever_matched_them() -> None:
    """Every character that matches a cue character under re.IGNORECASE lower-cases to it
    (which is why cues hold no i or s: ı, İ and ſ match those)."""
    cue_characters = {char for cues, _ in CUED_PATTERNS for cue in cues.starts + cues.anywhere
                      for char in cue}  # fmt: skip
    cased = _cased_characters()
    for char in cue_characters:
        pattern = re.compile(re.escape(char), re.IGNORECASE)
        assert all(other.lower() == char for other in cased if pattern.fullmatch(other)), char


CUE_TEXT = st.lists(
    st.sampled_from(
        [
            "follow us on", "our newsletters", "thanks for subscribing", "click to print",
            "opens in a new window", "as an interest to stay up to date", "appears in the",
            "issue of", "the paper. subscribe", "CLOSE Video", "Embed", "replay", "play video",
            "autoplay", "media playback is unsupported", "enable javascript to view",
            "your browser does not support", "©", "(c) ", "copyright", "all rights reserved",
            "this material may not be published, broadcast, rewritten, or redistributed.",
            "2 hours ago", "an hour ago", "x", " ", "ı", "İ", "ſ", "K", "S", "I",
        ]
    ),
    max_size=6,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(CUE_TEXT, st.randoms())
def test_cues_never_hide_a_match(text: str, random) -> None:
    text = "".join(char.upper() if random.random() < 0.3 else char for char in text)
    for cues, matches in CUED_PATTERNS:
        if matches(text):
            assert cues.found_in(clean._Line(text)), text


CREDIT_TEXT = st.lists(
    st.sampled_from(
        [
            "Seen here.", "x", " ", "  ", "\t", "\u00a0", "/", " / ", "AFP", "AP Photo", "dpa",
            "Getty Images", "EPA-EFE", "Reuters", "Jane", "Roe", "M.", "via", "Photo:",
            "Credits:", "Courtesy of", "the family", "smith", "”", '"', "!", "?",
        ]
    ),
    max_size=8,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(CREDIT_TEXT)
def test_credit_pre_check_never_hides_a_caption(text: str) -> None:
    if clean._CAPTION_CREDIT_END.search(text):
        assert clean._may_end_with_credit(text), text


TRICKY_TEXT = st.text(
    st.sampled_from("aZ09_'-’ .,!?…\"”“)]:;\n\tΣσİıſé\u00a0\u2028#/|>"), max_size=20
)


@settings(max_examples=400, deadline=None)
@given(TRICKY_TEXT)
def test_text_shape_helpers_match_their_definitions(text: str) -> None:
    closers = r"[\"'”’)\]]*$"
    assert clean._ends_sentence(text) == bool(re.search(rf"[.!?…]{closers}", text))
    assert clean._ends_with(text, clean._ELLIPSIS_ENDS) == bool(
        re.search(rf"(?:…|\.\.\.){closers}", text)
    )
    assert clean._ends_with(text, clean._CLAUSE_ENDS) == bool(re.search(rf"[,;:]{closers}", text))
    assert clean._ends_with(text, clean._QUOTE_ENDS, ")]") == bool(
        re.search(r"[\"”’][)\]]*$", text)
    )
    assert clean._word_count(text) == len(text.split())
    words = [word.lower().replace("’", "'") for word in re.findall(r"[\w’'-]+", text)]
    assert clean._normalized_words(text) == words


def test_greek_final_sigma_lowers_per_word() -> None:
    assert clean._normalized_words("ΟΔΟΣ.ΑΣ ΣΑ") == ["οδος", "ας", "σα"]


@pytest.mark.parametrize(
    ("earlier", "later", "repeated"),
    [
        ("one two three four five six seven eight", "zero one two three four five six seven "
         "eight nine", True),
        ("one two three four five six seven eight", "eight seven six five four three two one",
         False),
        ("one two two two three four five six seven", "one two three four five six seven x y",
         False),
        ("a b c d e f g h i j", "a b c d e f g h i x j", True),
    ],
)  # fmt: skip
def test_repeats_are_words_in_order(earlier: str, later: str, repeated: bool) -> None:
    assert clean._is_repeated(clean._Words.of(earlier), clean._Words.of(later)) is repeated


def test_a_date_line_spelled_with_a_long_s_is_dropped() -> None:
    article = _clean_lines("Updated: ſept 20, 2021", STORY, STORY_2)
    assert _texts(article) == [STORY, STORY_2]
