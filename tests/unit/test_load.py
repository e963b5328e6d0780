from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import load
from generator.errors import BriefingError
from generator.front_matter import plain_header
from generator.load import discover, markdown_blocks, read_article, read_index, slugify
from generator.model import Block, PartialDate
from generator.yaml_header import simple_yaml
from tests.conftest import write_file


def read(path: Path):
    return read_article(path, path.name)


def test_markdown_article_front_matter_and_plain_paragraph_text(tmp_path: Path) -> None:
    path = write_file(
        tmp_path / "gazette.md",
        "---\ntitle: Bridge closed\noutlet: The Gazette\nurl: https://example.org/a\n"
        "published: 2025-03-11\nauthor: Nora Whitfield\n---\n\n"
        "The *Mill Street* bridge [closed](https://example.org) on `Tuesday`.\n"
        "It was old.\n\n> A quoted paragraph.\n",
    )
    article, warnings = read(path)
    assert warnings == []
    assert article.meta.title == "Bridge closed"
    assert article.meta.outlet == "The Gazette"
    assert article.meta.published == PartialDate(3, 11, 2025)
    assert [block.text for block in article.blocks] == [
        "The Mill Street bridge closed on Tuesday. It was old.",
        "A quoted paragraph.",
    ]
    assert [block.line for block in article.blocks] == [9, 12]


def test_front_matter_never_closed_is_an_error_at_line_1(tmp_path: Path) -> None:
    path = write_file(tmp_path / "a.md", "---\ntitle: Open\n\nBody text here.\n")
    with pytest.raises(BriefingError) as caught:
        read(path)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == ("a.md", 1)
    assert "never closed" in problem.message


def test_invalid_yaml_names_its_line(tmp_path: Path) -> None:
    path = write_file(tmp_path / "a.md", "---\ntitle: ok\noutlet: [unclosed\n---\nBody.\n")
    with pytest.raises(BriefingError) as caught:
        read(path)
    (problem,) = caught.value.problems
    assert problem.path == "a.md"
    assert problem.line is not None and problem.line >= 3
    assert "invalid YAML" in problem.message


@pytest.mark.parametrize("header", ["- a\n- b", "just a string"])
def test_front_matter_must_be_a_mapping(tmp_path: Path, header: str) -> None:
    path = write_file(tmp_path / "a.md", f"---\n{header}\n---\nBody.\n")
    with pytest.raises(BriefingError, match="key: value"):
        read(path)


def test_wrong_types_and_bad_urls_are_all_reported_with_lines(tmp_path: Path) -> None:
    path = write_file(
        tmp_path / "a.md",
        "---\ntitle: T\npublished: yes\nurl: javascript:alert(1)\nauthor: [a, b]\n---\nBody.\n",
    )
    with pytest.raises(BriefingError) as caught:
        read(path)
    lines = sorted((problem.line, problem.message.split()[0]) for problem in caught.value.problems)
    assert lines == [(3, "'published'"), (4, "'url'"), (5, "'author'")]


def test_unknown_key_is_a_warning_not_an_error(tmp_path: Path) -> None:
    article, warnings = read(write_file(tmp_path / "a.md", "---\ncolour: red\n---\nBody.\n"))
    assert article.blocks[0].text == "Body."
    assert [w.severity for w in warnings] == ["warning"]
    assert "colour" in warnings[0].message


def test_undecodable_bytes_name_file_and_offset(tmp_path: Path) -> None:
    # 0x81 is unassigned in Windows-1252 too: no supported encoding reads it
    path = write_file(tmp_path / "bad.txt", b"Title\nBody \x81\xfe text.\n")
    with pytest.raises(BriefingError) as caught:
        read(path)
    (problem,) = caught.value.problems
    assert problem.path == "bad.txt"
    assert "byte offset 11" in problem.message
    assert problem.line == 2


def test_binary_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BriefingError, match=r"NUL byte.*byte offset 0"):
        read(write_file(tmp_path / "photo.md", b"\x00\x01\x02PNG"))


@pytest.mark.parametrize("content", [b"", b"  \n\n\t\n"])
def test_empty_file_is_an_error(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(BriefingError, match="empty file"):
        read(write_file(tmp_path / "empty.txt", content))


def test_bom_and_crlf_are_handled(tmp_path: Path) -> None:
    path = write_file(tmp_path / "a.txt", "\ufeffTitle line\r\nBody line.\r\n".encode())
    article, _ = read(path)
    assert [block.text for block in article.blocks] == ["Title line", "Body line."]
    utf16 = write_file(tmp_path / "b.txt", "Title\nBody.\n".encode("utf-16"))
    assert [block.text for block in read(utf16)[0].blocks] == ["Title", "Body."]


def test_index_md(tmp_path: Path) -> None:
    path = write_file(
        tmp_path / "index.md",
        "---\ntitle: Story\ndate: 2021-10-20\nlead_words: 80\n---\nA *note*.\n",
    )
    meta, _ = read_index(path, "index.md")
    assert (meta.title, meta.date, meta.lead_words) == ("Story", PartialDate(10, 20, 2021), 80)
    assert meta.note_markdown == "A *note*."


def test_discover_skips_temp_files_and_warns_about_others(tmp_path: Path) -> None:
    story = tmp_path / "content" / "Café Story"
    for name in ["a.txt", "b.md", ".hidden.md", "b.md~", ".b.md.swp", "4913", "index.md"]:
        write_file(story / name, "x")
    write_file(story / "photo.jpg", "x")
    discovery = discover(tmp_path / "content", tmp_path)
    (briefing,) = discovery.briefings
    assert briefing.slug == "cafe-story"
    assert [path.name for path in briefing.article_paths] == ["a.txt", "b.md"]
    assert briefing.index_path is not None
    assert [w.path for w in discovery.warnings] == ["content/Café Story/photo.jpg"]


def test_slugs_never_collide_silently(tmp_path: Path) -> None:
    write_file(tmp_path / "content" / "Bridge Story" / "a.txt", "x")
    write_file(tmp_path / "content" / "bridge-story" / "a.txt", "x")
    with pytest.raises(BriefingError, match="already used"):
        discover(tmp_path / "content", tmp_path)


def test_slugify() -> None:
    assert slugify("Zürich Brücke 2") == "zurich-brucke-2"
    assert slugify("../../etc") == "etc"


def test_markdown_headings_are_blocks_with_kind() -> None:
    blocks = markdown_blocks("# Head\n\nText <b>bold</b>.\n", 0)
    assert [(b.kind, b.text, b.line) for b in blocks] == [
        ("heading", "Head", 1),
        ("paragraph", "Text <b>bold</b>.", 3),
    ]


# --- fast paths: the same results as markdown-it and PyYAML -----------------------

PLAIN_BODIES = [
    "",
    "One line.",
    "First line\nsecond line of the same paragraph.\n\nA second paragraph.\n",
    "\n\n\nAfter blank lines.\n\n\n",
    "Q&A with AT&T: 3 > 2 = true, a # b, 50% off!\nC-SPAN at 10 a.m. (ET) | x + y\n",
    "Curly “quotes”, it’s — done… Café\u00a0noir\u2028and\x85more, ſ and İ.\n\nΑΣ ΟΔΟΣ",
    "2024 was a year.\n1a. is not a list\nx",
]
MARKDOWN_BODIES = [
    "# Heading\n\nText",
    "Title\n===\n\nText",
    "Text\n---",
    "- item\n- item",
    "1. one\n2. two",
    "2) two",
    "> quote",
    "    code",
    "\tcode",
    "```\ncode\n```",
    "~~~\ncode\n~~~",
    "*em* and _em_",
    "`code`",
    "[link](https://example.org)",
    "![image](a.png)",
    "<https://example.org>",
    "a <b>bold</b> word",
    "AT&amp;T &#35; &copy;",
    "back\\slash",
    "hard  \nbreak",
    "trailing\u00a0\nspace",
    " leading space",
    "\u00a0leading no-break space",
    "+ plus item",
    "= not a heading",
    "***",
    "___",
    "[ref]: https://example.org",
]


@pytest.mark.parametrize("body", PLAIN_BODIES)
def test_plain_markdown_is_read_as_markdown_it_reads_it(body: str) -> None:
    assert not load.has_markdown_syntax(body)
    for offset in (0, 5):
        assert markdown_blocks(body, offset) == load._parsed_blocks(body, offset)


@pytest.mark.parametrize("body", MARKDOWN_BODIES)
def test_markdown_syntax_goes_through_markdown_it(body: str) -> None:
    assert load.has_markdown_syntax(body)
    assert markdown_blocks(body, 3) == load._parsed_blocks(body, 3)


MARKDOWN_ALPHABET = "ab Z9.,:;!?&#=+-*_`~[]()<>|\\/'\"’“é\u00a0\u2028\t\n\n\n"


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(MARKDOWN_ALPHABET), max_size=60))
def test_markdown_blocks_match_markdown_it_on_any_text(body: str) -> None:
    assert markdown_blocks(body, 2) == load._parsed_blocks(body, 2)


SIMPLE_HEADERS = [
    "",
    "\n\n",
    "title: Bridge closed\noutlet: The Gazette",
    "title: \"Quoted: with colon # and hash\"\nauthor: 'Single quoted'",
    "published: 2025-03-11\nlead_words: 120\nratio: 1.5\nflag: yes\nnothing:\nnull: x",
    "title: http://example.org/a#b\nwhere: Café Ünïcode, a:b",
    "title: first\ntitle: second",
    "tags: bridges, council",
    "title: 日本 — ‘news’",
]
# Valid YAML beyond `key: value` lines, or values a plain reading would get wrong.
FULL_HEADERS = [
    "tags: [bridges, council]",
    "title: >\n  folded\n  text",
    "title: x #comment",
    "# comment\ntitle: x",
    "title:  two spaces",
    "title: trailing ",
    'title: "escaped \\" quote"',
    "'quoted key': x",
]


def assert_read_as_yaml_reads(values: dict, header: str) -> None:
    """`values` are `yaml.safe_load(header)`'s, each of the same type."""
    expected = yaml.safe_load(header) or {}
    assert values == expected
    assert [type(value) for value in values.values()] == [type(v) for v in expected.values()]


def check_lines_read_as_yaml_reads(
    read: Callable[[str], dict | None], lines: list[tuple[str, str, str]]
) -> None:
    """The header of these (key, separator, value) lines, when `read` reads it, is read
    as `yaml.safe_load` reads it."""
    header = "\n".join(key + separator + value for key, separator, value in lines)
    values = read(header)
    if values is not None:
        assert_read_as_yaml_reads(values, header)


@pytest.mark.parametrize("header", SIMPLE_HEADERS)
def test_simple_front_matter_is_read_as_pyyaml_reads_it(header: str) -> None:
    values = simple_yaml(header)
    assert values is not None
    assert_read_as_yaml_reads(values, header)


@pytest.mark.parametrize("header", [*FULL_HEADERS, "title: a: b", "title: =", "title: - x"])
def test_other_front_matter_goes_through_the_yaml_parser(header: str) -> None:
    assert simple_yaml(header) is None


@pytest.mark.parametrize("header", [*SIMPLE_HEADERS, *FULL_HEADERS])
def test_front_matter_values_are_those_of_yaml_safe_load(header: str) -> None:
    assert load._parse_yaml(header, "a.md") == (yaml.safe_load(header) or {})


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("title: a: b", "mapping values are not allowed here"),
        ('title: "unclosed', "found unexpected end of stream"),
        ("title: =", "could not determine a constructor"),
        ("a: &x 1\nb: *x", "anchors and aliases"),
        ("a: 1\n--- b", "but found another document"),
    ],
)
def test_front_matter_errors_are_those_of_the_yaml_parser(header: str, message: str) -> None:
    with pytest.raises(BriefingError, match=message):
        load._parse_yaml(header, "a.md")


VALUE_ALPHABET = "aZ09 .,:#'\"-?!&*|>%@`~=<[]{}’é\u00a0\u2028\t"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["title", "yes", "null", "On", "a_1"]),
            st.sampled_from([":", ": ", ":  "]),
            st.text(st.sampled_from(VALUE_ALPHABET), max_size=12),
        ),
        max_size=4,
    )
)
def test_simple_front_matter_matches_yaml_safe_load_on_any_value(
    lines: list[tuple[str, str, str]],
) -> None:
    check_lines_read_as_yaml_reads(simple_yaml, lines)


PLAIN_HEADERS = [
    "title: Bridge closed\noutlet: The Gazette\npublished: 2025-03-11\nlead_words: 120",
    "title: \"Quoted: yes\"\nauthor: 'No'\nnothing:\ncount: 0\nwhere: Café, a:b",
    "title: first\ntitle: second\nyear: 2024",
    "tags: [bridges, Harlow Ferry]\nempty: []\nmixed: [1, 2024-01-02, a-b, c!d]",
]
# Simple lines whose values only PyYAML types as it does: left to it.
UNSURE_HEADERS = [
    "flag: yes",
    "x: Null",
    "x: 012",
    "x: 1_000",
    "x: -3",
    "x: 1.5",
    "d: 2024-3-5",
    "d: 2024-02-30",
    "x: .inf",
    "yes: x",
    "x: ~",
    "x: 1:20",
    "tags: [a, yes]",
    "tags: [a, 1.5]",
]


@pytest.mark.parametrize("header", PLAIN_HEADERS)
def test_plain_front_matter_is_read_without_pyyaml_as_pyyaml_reads_it(header: str) -> None:
    values = plain_header(header)
    assert values is not None
    assert_read_as_yaml_reads(values, header)


@pytest.mark.parametrize("header", UNSURE_HEADERS)
def test_front_matter_only_pyyaml_types_is_left_to_it(header: str) -> None:
    assert plain_header(header) is None
    if header == "d: 2024-02-30":  # (no such day: the error names the line)
        with pytest.raises(BriefingError, match="invalid date"):
            load._parse_yaml(header, "a.md")
    else:
        assert load._parse_yaml(header, "a.md") == yaml.safe_load(header)


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["title", "yes", "null", "On", "a_1", "n"]),
            st.sampled_from([":", ": "]),
            st.text(st.sampled_from("aZyNnTo019-:.~ '\"é_+<=!"), max_size=11)
            | st.text(st.sampled_from("ab1-? [],#&'"), max_size=14)
            | st.lists(st.text(st.sampled_from("aZyN01-? .!é"), max_size=6), max_size=3).map(
                lambda items: "[" + ", ".join(items) + "]"
            )
            | st.dates().map(str)
            | st.integers(min_value=-5, max_value=10**12).map(str),
        ),
        max_size=4,
    )
)
def test_plain_front_matter_matches_yaml_safe_load_on_any_value(
    lines: list[tuple[str, str, str]],
) -> None:
    check_lines_read_as_yaml_reads(plain_header, lines)


def test_cap_blocks_keeps_short_articles_whole() -> None:
    blocks = tuple(Block(line, "word " * 10, "paragraph") for line in range(1, 11))
    assert load.cap_blocks(blocks) == (blocks, "")
    many = tuple(Block(line, "x", "line") for line in range(load.MAX_ARTICLE_BLOCKS + 1))
    kept, warning = load.cap_blocks(many)
    assert len(kept) == load.MAX_ARTICLE_BLOCKS and "very long" in warning


@pytest.mark.parametrize(
    ("value", "reason"),
    [("2025-13-01", "month must be in 1..12"), ("[2025-02-30]", "day is out of range")],
)
def test_an_impossible_date_in_front_matter_is_an_error_on_its_line(
    tmp_path: Path, value: str, reason: str
) -> None:
    path = write_file(
        tmp_path / "a.md", f"---\ntitle: T\npublished: {value}\n---\n\nThe council met.\n"
    )
    with pytest.raises(BriefingError) as raised:
        read_article(path, "a.md")
    [problem] = raised.value.problems
    assert (problem.line, problem.path) == (3, "a.md")
    assert "invalid date in front matter" in problem.message and reason in problem.message
