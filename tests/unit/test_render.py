import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import DictLoader, Environment, StrictUndefined, Undefined, UndefinedError

from generator.config import Settings
from generator.load import commonmark, has_markdown_syntax
from generator.model import (
    ArticleMeta,
    Block,
    Briefing,
    FactsResult,
    KeyFact,
    LeadSentence,
    PartialDate,
    ProcessedArticle,
    Sentence,
    SourceSection,
)
from generator.render import (
    SourceRefs,
    ViewEnvironment,
    make_environment,
    note_html,
    render_site,
)
from generator.theme import find_theme
from tests.conftest import write_file

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def article(source_id: str, url: str = "", title: str = "Headline") -> ProcessedArticle:
    sentence = Sentence(f"{HOSTILE} said the council.", 0, 0, 3)
    return ProcessedArticle(
        source_id=source_id,
        path=f"content/s/{source_id}.txt",
        meta=ArticleMeta(title=title, outlet=f"Outlet {HOSTILE}", url=url,
                         published=PartialDate(3, 11, 2025)),
        paragraphs=(Block(3, sentence.text),),
        dropped=(),
        sentences=(sentence,),
        summary=(0,),
    )  # fmt: skip


def briefing(note: str = "") -> Briefing:
    first, second = article("gazette", url="https://example.org/a"), article("wire", title=HOSTILE)
    return Briefing(
        slug="story",
        title=f"Story {HOSTILE}",
        date=PartialDate(3, 12, 2025),
        note_markdown=note,
        lead=(LeadSentence(f"Lead {HOSTILE}.", ("gazette", "wire")),),
        facts=FactsResult((KeyFact("quote", HOSTILE, ("wire",), speaker=HOSTILE),)),
        sources=(SourceSection(first, (HOSTILE,)), SourceSection(second, (HOSTILE,))),
    )


def render(tmp_path: Path, note: str = "", theme: str = "default") -> dict[str, bytes]:
    return render_site([briefing(note)], Settings(theme=theme), find_theme(theme, tmp_path))


def test_everything_from_content_is_escaped(tmp_path: Path) -> None:
    note = "Note <script>alert(3)</script> and [link](javascript:alert(4)) and **bold**."
    files = render(tmp_path, note)
    pages = [content.decode() for name, content in files.items() if name.endswith(".html")]
    assert len(pages) == 5  # index, briefing, a cleaned-text page per source, 404
    for page in pages:
        assert "<script" not in page
        assert "onerror=" not in page.replace("onerror=&#34;", "")
        assert not re.search(r"(href|src)=\"\s*javascript:", page, re.IGNORECASE)
    briefing_page = files["story/index.html"].decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in briefing_page
    assert "<strong>bold</strong>" in briefing_page
    assert "&lt;script&gt;alert(3)" in briefing_page


def test_pages_and_links(tmp_path: Path) -> None:
    files = render(tmp_path)
    assert set(files) == {
        "index.html", "story/index.html", "story/briefing.json",
        "story/sources/wire.html", "story/sources/gazette.html", "static/style.css",
        "static/search.js", "static/favicon.svg", "feed.xml", "robots.txt", "404.html",
    }  # fmt: skip
    page = files["story/index.html"].decode()
    assert 'href="https://example.org/a"' in page
    assert 'href="sources/wire.html"' in page  # no url: the cleaned text is the link
    assert 'id="source-gazette"' in page and 'href="#source-wire"' in page


def test_json_format(tmp_path: Path) -> None:
    data = json.loads(render(tmp_path)["story/briefing.json"])
    assert data["title"].startswith("Story <script>")  # JSON carries the text as it is
    assert data["date"] == "2025-03-12"
    assert data["lead"] == [{"text": f"Lead {HOSTILE}.", "sources": ["gazette", "wire"]}]
    assert data["key_facts"][0]["kind"] == "quote"
    assert [s["id"] for s in data["sources"]] == ["gazette", "wire"]
    assert data["sources"][1]["url"] is None
    assert set(data["sources"][0]) >= {
        "id", "outlet", "title", "url", "published", "author", "summary", "only_here"
    }  # fmt: skip


def test_theme_overrides_the_default_file_by_file(tmp_path: Path) -> None:
    write_file(
        tmp_path / "themes" / "plain" / "index.html",
        "{% for b in briefings %}<p>{{ b.title }}</p>{% endfor %}",
    )
    write_file(tmp_path / "themes" / "plain" / "static" / "extra.css", "p{}")
    files = render(tmp_path, theme="plain")
    assert files["index.html"].decode().startswith("<p>Story &lt;script&gt;")
    assert b"Key facts" in files["story/index.html"]  # briefing.html still from default
    assert "static/extra.css" in files and "static/style.css" in files


def test_template_typo_is_a_clear_error(tmp_path: Path) -> None:
    import pytest

    from generator.errors import BriefingError

    write_file(tmp_path / "themes" / "typo" / "index.html", "{{ briefingz }}")
    with pytest.raises(BriefingError, match="briefingz"):
        render(tmp_path, theme="typo")


def test_fact_markers_link_to_the_sentence_and_differences_sit_beside_facts(
    tmp_path: Path,
) -> None:
    from dataclasses import replace

    from generator.model import Difference, DifferingValue, SentenceRef

    story = briefing()
    fact = KeyFact("number", "cost $4.2 million", ("wire",), (SentenceRef("wire", 0),))
    difference = Difference(
        "Amount for repairs",
        (DifferingValue("cost $4.2 million", ("wire",)), DifferingValue("$4.8m", ("gazette",))),
    )
    story = replace(story, facts=FactsResult((fact,), (difference,)))
    files = render_site([story], Settings(), find_theme("default", tmp_path))
    page = files["story/index.html"].decode()
    assert 'href="sources/wire.html#s0"' in page
    facts_box = page.split('class="key-facts"', 1)[1].split("</aside>", 1)[0]
    assert "Sources differ" in facts_box and "$4.8m" in facts_box
    source_page = files["story/sources/wire.html"].decode()
    assert 'id="s0"' in source_page


def test_a_difference_sits_beside_the_fact_it_is_about() -> None:
    from generator.model import Difference, DifferingValue
    from generator.render import attach_differences

    person = KeyFact("person", "NATO Secretary-General Jens Stoltenberg", ("a",))
    quote = KeyFact(
        "quote", "The relationship between NATO and Russia is now at its lowest", ("a",)
    )
    lavrov = KeyFact("person", "Foreign Minister Sergei Lavrov", ("b",))
    when = Difference(
        "When Jens Stoltenberg said “The relationship between NATO and Russia is now at…”",
        (DifferingValue("Wednesday 20 Oct 2021", ("a",)), DifferingValue("Thursday", ("c",))),
    )
    spelling = Difference(
        "Spelling of Lavrov's first name",
        (DifferingValue("Sergei Lavrov", ("b",)), DifferingValue("Sergey Lavrov", ("d",))),
    )
    unrelated = Difference("Number of bridges", (DifferingValue("two", ("a",)),))
    attached = attach_differences([person, quote, lavrov], [when, spelling, unrelated])
    assert attached == {quote: when, lavrov: spelling}


def test_fact_labels_start_with_a_capital_but_quotes_and_the_json_keep_their_words(
    tmp_path: Path,
) -> None:
    from dataclasses import replace

    clause = "alliance began a two-day meeting in Brussels"  # (a seed's number fact)
    facts = (
        KeyFact("number", clause, ("wire",), when=PartialDate(10, 21, 2021)),
        KeyFact("organisation", "iPhone makers", ("wire",)),
        KeyFact("quote", "we will continue to work for dialogue", ("wire",), speaker="Jo Li"),
    )
    story = replace(briefing(), facts=FactsResult(facts))
    files = render_site([story], Settings(), find_theme("default", tmp_path))
    page = files["story/index.html"].decode()
    facts_box = page.split('class="key-facts"', 1)[1].split("</aside>", 1)[0]
    assert "Alliance began a two-day meeting in Brussels" in facts_box
    assert clause not in page  # the timeline shows the label too
    assert "iPhone makers" in facts_box  # a word spelt with capitals stays as it is
    assert "“we will continue to work for dialogue”" in facts_box
    data = json.loads(files["story/briefing.json"])
    assert data["key_facts"][0]["text"] == clause


# Attribute syntax on every kind of value a view holds: keys, keys named like dict
# methods, missing keys, dict subclasses, objects, and through filters.
LOOKUPS = (
    "{{ d.text }}|{{ d.values is callable }}|{{ d['values'] }}|{{ d.items() | list }}|"
    "{{ d.get('text') }}|{{ sub.text }}|{{ sub.keys is callable }}|{{ obj.real }}|"
    "{{ rows | map(attribute='text') | join(',') }}|{{ rows | selectattr('n') | list | length }}"
)
VALUES = {
    "d": {"text": "<b>", "values": [1, 2]},
    "sub": type("Sub", (dict,), {})(text="subclass"),
    "obj": 3 + 4j,
    "rows": [{"text": "a", "n": 0}, {"text": "b", "n": 1}],
}


@pytest.mark.parametrize("undefined", [Undefined, StrictUndefined])
def test_view_environment_looks_up_attributes_as_jinja_does(undefined: type[Undefined]) -> None:
    templates = {"t": LOOKUPS, "missing": "[{{ d.nothing }}]", "deep": "{{ d.nothing.more }}"}
    ours, jinjas = (
        cls(loader=DictLoader(templates), autoescape=True, undefined=undefined)
        for cls in (ViewEnvironment, Environment)
    )
    assert ours.get_template("t").render(VALUES) == jinjas.get_template("t").render(VALUES)
    assert "&lt;b&gt;|True|[1, 2]|" in ours.get_template("t").render(VALUES)
    for name in ("missing", "deep"):
        outcomes = []
        for environment in (ours, jinjas):
            try:
                outcomes.append(environment.get_template(name).render(VALUES))
            except UndefinedError as error:
                outcomes.append(f"error: {error}")
        assert outcomes[0] == outcomes[1]


def test_source_markers_label_the_same_from_source_refs_and_a_plain_list() -> None:
    """The default theme's `refs` macro reads `sources.outlets`; a theme passing its own
    list of markers gets the same group label."""
    markers = [
        {"outlet": "Valley <Wire>", "href": "#source-a", "number": 1},
        {"outlet": "Harbour Herald", "href": "sources/b.html#s3", "number": 2},
    ]
    theme = find_theme("default", Path("/nonexistent"))
    macros = make_environment(theme).get_template("_macros.html").module
    from_view = str(macros.refs(SourceRefs(markers)))
    assert from_view == str(macros.refs(markers))
    assert 'aria-label="Reported by Valley &lt;Wire&gt;, Harbour Herald"' in from_view
    assert SourceRefs(markers) == markers and SourceRefs(markers).outlets.count(", ") == 1


PLAIN_NOTE_ALPHABET = "aZé9 .,;!?&\"'>()\n"  # (mostly no Markdown syntax)
NOTE_ALPHABET = "aZé9 .,:;!?&\"'<>#=-+*_`[]()\n\n\n\t"


@settings(max_examples=500, deadline=None)
@given(
    st.text(st.sampled_from(NOTE_ALPHABET), max_size=40)
    | st.text(st.sampled_from(PLAIN_NOTE_ALPHABET), max_size=60)
)
def test_a_plain_note_is_the_html_markdown_it_makes(note: str) -> None:
    """A note without Markdown syntax is made without markdown-it: the same HTML."""
    if note and not has_markdown_syntax(note):
        assert str(note_html(note)) == commonmark().render(note)


@pytest.mark.parametrize(
    "note",
    [
        "Reports from five outlets.",
        "One line\nand the next.\n\n\nA second paragraph.",
        "Quotes \"so\" & 'so' > less",
        "Ends\n\n",
    ],
)
def test_notes_without_syntax_take_the_plain_path_with_markdown_its_html(note: str) -> None:
    assert not has_markdown_syntax(note)
    assert str(note_html(note)) == commonmark().render(note)
