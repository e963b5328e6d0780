"""Property-based: random and mutated articles and front matter go through load -> clean
-> split -> summarize -> merge -> render. Only BriefingError may escape, and nothing from
content becomes a script, an event handler or a javascript: link in any page."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import Settings
from generator.errors import BriefingError
from generator.facts import extract_facts
from generator.load import read_article
from generator.merge import merge_briefing, resolve_years
from generator.model import BriefingMeta
from generator.pipeline import process_article
from generator.render import render_site
from generator.theme import find_theme
from tests.conftest import REPO_ROOT
from tests.unit.test_hostile import active_content

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<a href='javascript:alert(1)' onclick=alert(2)>x</a>",
    "</p></main><svg onload=alert(1)>",
    "{{ 7*7 }}{% include 'base.html' %}",
    "\u2028\u2029\ufeff\u202e",
    "&lt;script&gt;",
    "]]></title><style>",
]
SENTENCES = [
    "The council approved the riverside park on Tuesday.",
    "The park will cost $1.2 million, the mayor said.",
    "BRUSSELS (Reuters) - NATO said on Wednesday it remains open to dialogue.",
    "Leave a Reply",
    "Your email address will not be published.",
    '"We will continue to talk," Stoltenberg said.',
    "Updated: October 20, 2021, 4:07 PM",
    "Related stories",
]


text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
fragment = st.one_of(st.sampled_from(HOSTILE), st.sampled_from(SENTENCES), text)
line = st.lists(fragment, min_size=1, max_size=4).map(" ".join)
body = st.lists(line, min_size=0, max_size=12).map("\n".join)
scalar = st.one_of(
    st.sampled_from(HOSTILE),
    text,
    st.integers(),
    st.booleans(),
    st.none(),
    st.dates().map(str),
    st.sampled_from(["https://example.org/a?b=<c>", "http://x.org/\"'", "//evil.org", "../x"]),
)
front_value = st.one_of(scalar, st.lists(scalar, max_size=3))
front = st.dictionaries(
    st.sampled_from(["title", "outlet", "url", "published", "author", "language", "slug"]),
    front_value,
    max_size=6,
)

THEME = find_theme("default", REPO_ROOT)
SETTINGS = Settings()
PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def build_pages(path: Path) -> dict[str, bytes] | None:
    """The whole pipeline for one article; None when it is refused with a BriefingError."""
    try:
        raw, _ = read_article(path, path.name)
        article = process_article(raw, "source", SETTINGS)
    except BriefingError as error:
        assert error.problems and all(p.path == path.name for p in error.problems)
        return None
    resolved = resolve_years([article], None)
    briefing = merge_briefing("story", BriefingMeta(), resolved, extract_facts(resolved), 120, "en")
    return render_site([briefing], SETTINGS, THEME)


def assert_inert(files: dict[str, bytes]) -> None:
    for name, data in files.items():
        if name.endswith(".html"):
            assert active_content(data.decode("utf-8")) == [], name
        elif name.endswith(".json"):
            json.loads(data)


@PROPERTY_SETTINGS
@given(meta=front, text=body)
def test_markdown_articles_never_crash_and_stay_inert(tmp_path: Path, meta, text) -> None:
    header = yaml.safe_dump(meta, allow_unicode=True) if meta else ""
    path = tmp_path / "article.md"
    path.write_text(f"---\n{header}---\n{text}\n", encoding="utf-8")
    files = build_pages(path)
    if files is not None:
        assert_inert(files)


@PROPERTY_SETTINGS
@given(text=body, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_pasted_text_in_any_encoding_never_crashes(tmp_path: Path, text, encoding) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding, errors="replace"))
    files = build_pages(path)
    if files is not None:
        assert_inert(files)


@PROPERTY_SETTINGS
@given(
    data=st.binary(max_size=300),
    seed=st.sampled_from(sorted((REPO_ROOT / "content").rglob("*.*"))),
    position=st.floats(0, 1),
)
def test_mutated_sample_articles_never_crash(tmp_path: Path, data, seed, position) -> None:
    """A sample article with random bytes spliced in (a broken save, a truncated copy)."""
    original = seed.read_bytes()
    cut = int(len(original) * position)
    path = tmp_path / f"article{seed.suffix}"
    path.write_bytes(original[:cut] + data + original[cut:])
    if seed.name == "index.md":
        path = path.rename(tmp_path / "article.md")
    files = build_pages(path)
    if files is not None:
        assert_inert(files)


@PROPERTY_SETTINGS
@given(text=body, title=st.sampled_from(HOSTILE), outlet=st.sampled_from(HOSTILE))
def test_saved_web_pages_never_crash_and_stay_inert(tmp_path: Path, text, title, outlet) -> None:
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in text.split("\n"))
    page = (
        f'<html><head><meta property="og:site_name" content="{outlet}">'
        f"<title>{title}</title></head><body><nav>Home</nav><article>{paragraphs}"
        "</article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    files = build_pages(path)
    if files is not None:
        assert_inert(files)


def test_superscript_digits_do_not_crash(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text("¹ The council approved the riverside park on Tuesday. 0² 3³.\n", "utf-8")
    files = build_pages(path)
    assert files is not None and b"riverside park" in files["story/index.html"]
