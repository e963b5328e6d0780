"""Rebuilds: identical input gives identical bytes, and an edit to any input changes
exactly the pages it should (the cache never serves a stale result)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import pipeline
from generator.cli import main
from tests.conftest import REPO_ROOT, SAMPLE_CONTENT, write_file

STORY = "harlow-ferry-bridge"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SAMPLE_CONTENT, tmp_path / "content")
    shutil.copy(REPO_ROOT / "site.toml", tmp_path / "site.toml")
    write_file(
        tmp_path / "content" / "second-story" / "post.md",
        "---\ntitle: Library opens late\noutlet: Town Post\npublished: 2025-03-01\n---\n\n"
        "The town library will stay open until 9 p.m. on weekdays from April, the council said.\n\n"
        "The change costs about $40,000 a year and was approved on Monday.\n",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def build(*arguments: str) -> dict[str, bytes]:
    assert main(["build", *arguments]) == 0
    return files(Path("output"))


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def test_identical_input_gives_identical_bytes(site: Path) -> None:
    first = build("--no-cache")
    shutil.rmtree(site / "output")
    second = build("--no-cache")
    assert first == second
    third = build()  # from the cache, into an existing output folder
    assert third == first


def test_article_edit_changes_its_briefing_and_the_index_only(site: Path) -> None:
    before = build()
    article = site / "content" / STORY / "valley-wire.txt"
    article.write_text(article.read_text("utf-8").replace("310-foot", "312-foot"), encoding="utf-8")
    after = build()
    touched = changed(before, after)
    assert touched, "the edit must show"
    assert all(name.startswith(f"{STORY}/") or name == "index.html" for name in touched)
    assert b"312-foot" in after[f"{STORY}/sources/valley-wire.html"]
    assert not any(name.startswith("second-story/") for name in touched)


def test_index_md_edit_changes_the_briefing(site: Path) -> None:
    before = build()
    index = site / "content" / STORY / "index.md"
    index.write_text(index.read_text("utf-8").replace("title: ", "title: Latest — "), "utf-8")
    after = build()
    assert "Latest — ".encode() in after[f"{STORY}/index.html"]
    assert "Latest — ".encode() in after["index.html"]
    assert not any(name.startswith("second-story/") for name in changed(before, after))


def test_an_unchanged_index_md_is_not_read_again_and_keeps_its_warnings(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """index.md's values and warnings come from the file index while its stat signature
    stands: the same pages and warnings without opening it; an edit is read again."""
    index = site / "content" / STORY / "index.md"
    text = index.read_text("utf-8").replace("date: ", "colour: red\ntags: [bridges]\ndate: ", 1)
    index.write_text(text, "utf-8")
    reads: list[str] = []
    real_read_index = pipeline.read_index

    def counted(path: Path, shown: str) -> object:
        reads.append(shown)
        return real_read_index(path, shown)

    monkeypatch.setattr(pipeline, "read_index", counted)

    def build_report() -> tuple[pipeline.BuildReport, dict[str, bytes]]:
        options = pipeline.BuildOptions(site / "content", site / "output", site / "site.toml")
        return pipeline.build(options), files(site / "output")

    first, first_files = build_report()
    warned = [w.message for w in first.warnings if "colour" in w.message]
    assert warned and reads == [f"content/{STORY}/index.md"]
    (site / "output" / "index.html").unlink()  # something to render: no early return
    second, second_files = build_report()
    assert reads == [f"content/{STORY}/index.md"]  # not read again
    assert [w.message for w in second.warnings if "colour" in w.message] == warned
    assert second_files == first_files and b"tags/bridges/" in second_files[f"{STORY}/index.html"]
    index.write_text(text.replace("[bridges]", "[ferries]"), "utf-8")
    _, third_files = build_report()
    assert len(reads) == 2 and b"tags/ferries/" in third_files[f"{STORY}/index.html"]


def test_site_toml_summary_length_changes_every_summary(site: Path) -> None:
    before = build()
    toml = site / "site.toml"
    toml.write_text(toml.read_text("utf-8").replace("source_sentences = 3", "source_sentences = 2"))
    after = build()
    assert f"{STORY}/briefing.json" in changed(before, after)
    assert "second-story/briefing.json" not in changed(before, after)  # 2 sentences already


def test_algorithm_change_reaches_the_summaries(site: Path) -> None:
    before = build()
    after = build("--algorithm", "luhn")
    assert f"{STORY}/briefing.json" in changed(before, after)


def test_theme_edit_changes_pages_not_data(site: Path) -> None:
    before = build()
    theme = site / "themes" / "default"
    shutil.copytree(REPO_ROOT / "themes" / "default", theme)
    base = theme / "base.html"
    base.write_text(base.read_text("utf-8").replace("</body>", "<!-- edited --></body>"))
    after = build()
    touched = changed(before, after)
    assert f"{STORY}/index.html" in touched and "index.html" in touched
    assert not any(name.endswith(".json") for name in touched)
    assert all(b"<!-- edited -->" in after[name] for name in touched if name.endswith(".html"))


def mtimes(folder: Path) -> dict[str, int]:
    return {
        path.relative_to(folder).as_posix(): path.stat().st_mtime_ns
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_unchanged_rebuild_keeps_every_file_and_its_time(site: Path) -> None:
    before = build()
    times = mtimes(Path("output"))
    (site / "content" / STORY / "valley-wire.txt").touch()  # a new mtime, the same bytes
    assert build() == before
    assert mtimes(Path("output")) == times


def test_a_tampered_or_extra_output_file_is_put_right(site: Path) -> None:
    before = build()
    (site / "output" / STORY / "index.html").write_bytes(b"edited by hand")
    (site / "output" / "stray.html").write_bytes(b"not ours")
    assert build() == before


@pytest.mark.parametrize("change", ["extra file", "deleted file", "linked folder"])
def test_an_unchanged_site_is_rebuilt_when_its_output_changed(site: Path, change: str) -> None:
    """With nothing changed in the content, the output is still checked file by file."""
    before = build()
    output = site / "output"
    if change == "extra file":
        (output / STORY / "sources" / "stray.html").write_bytes(b"not ours")
    elif change == "deleted file":
        (output / STORY / "sources" / "valley-wire.html").unlink()
    else:
        (output / STORY / "elsewhere").symlink_to(site / "content", target_is_directory=True)
    assert build() == before
    assert not (output / STORY / "elsewhere").exists()


def test_lost_or_corrupt_caches_give_the_same_bytes(site: Path) -> None:
    for folder in (site / "content").iterdir():
        settle(folder)
    before = build()
    cache = site / ".briefing-cache"
    listings = cache / "files" / "listings.index"
    listings.write_bytes(listings.read_bytes().replace(b"post.md", b"gone.md"))
    for entry in (cache / "briefings").glob("*.json"):
        entry.write_text(entry.read_text("utf-8").replace("Harlow", "Harlo"), "utf-8")
    (cache / "files" / "files.index").write_text("{}", "utf-8")
    (cache / "output" / "output-manifest.index").write_text("garbage", "utf-8")
    shutil.rmtree(site / "output")
    assert build() == before
    shutil.rmtree(cache / "briefings")
    article = site / "content" / STORY / "valley-wire.txt"
    article.write_text(article.read_text("utf-8"), encoding="utf-8")  # rewritten, same bytes
    assert build() == before


def test_an_edit_after_a_cached_build_shows_in_its_briefing_only(site: Path) -> None:
    before = build()
    build()  # the warm build that skips everything
    post = site / "content" / "second-story" / "post.md"
    post.write_text(post.read_text("utf-8").replace("9 p.m.", "10 p.m."), encoding="utf-8")
    after = build()
    touched = changed(before, after)
    assert touched and all(n.startswith("second-story/") or "/" not in n for n in touched)
    assert b"10 p.m." in after["second-story/sources/post.html"]
    assert not any(name.startswith(f"{STORY}/") for name in touched)


def test_lead_length_edit_in_site_toml_changes_the_leads(site: Path) -> None:
    before = build()
    toml = site / "site.toml"
    toml.write_text(toml.read_text("utf-8").replace("lead_words = 120", "lead_words = 40"))
    after = build()
    assert f"{STORY}/briefing.json" in changed(before, after)


def rendered_briefings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The slugs whose own pages the builds from now on render (in order)."""
    import generator.render as render

    slugs: list[str] = []
    original = render._briefing_files

    def counting(environment, common, briefing):  # type: ignore[no-untyped-def]
        slugs.append(briefing.slug)
        return original(environment, common, briefing)

    monkeypatch.setattr(render, "_briefing_files", counting)
    return slugs


def test_one_article_edit_renders_its_briefing_only_and_gives_a_full_builds_bytes(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build()
    rendered = rendered_briefings(monkeypatch)
    post = site / "content" / "second-story" / "post.md"
    post.write_text(post.read_text("utf-8").replace("9 p.m.", "10 p.m."), encoding="utf-8")
    after = build()
    assert rendered == ["second-story"]  # the other briefing's pages are carried over
    shutil.rmtree(site / "output")
    assert build("--no-cache") == after


def test_pages_missing_or_changed_in_the_output_are_rendered_again(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = build()
    (site / "output" / STORY / "index.html").write_bytes(b"edited by hand")
    (site / "output" / "second-story" / "sources" / "post.html").unlink()
    rendered = rendered_briefings(monkeypatch)
    assert build() == full
    assert sorted(rendered) == sorted([STORY, "second-story"])


def test_a_stale_render_cache_entry_is_not_trusted(site: Path) -> None:
    before = build()
    pages = site / ".briefing-cache" / "render" / "pages.index"
    assert b"Harlow" in pages.read_bytes()
    pages.write_bytes(pages.read_bytes().replace(b"Harlow", b"Harlo"))
    assert build() == before
    post = site / "content" / "second-story" / "post.md"
    post.write_text(post.read_text("utf-8").replace("9 p.m.", "10 p.m."), encoding="utf-8")
    after = build()
    shutil.rmtree(site / "output")
    assert build("--no-cache") == after


def test_theme_edit_renders_every_briefing_again(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build()
    theme = site / "themes" / "default"
    shutil.copytree(REPO_ROOT / "themes" / "default", theme)
    source = theme / "source.html"
    source.write_text(source.read_text("utf-8").replace("</article>", "<!-- s --></article>", 1))
    rendered = rendered_briefings(monkeypatch)
    after = build()
    assert sorted(rendered) == sorted([STORY, "second-story"])
    assert b"<!-- s -->" in after["second-story/sources/post.html"]
    shutil.rmtree(site / "output")
    assert build("--no-cache") == after


def test_site_wide_files_are_made_again_only_when_what_they_show_changed(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.render as render

    toml = site / "site.toml"
    toml.write_text(toml.read_text("utf-8") + "feed_entries = 1\n", "utf-8")  # the newest only
    build()
    made: list[str] = []
    original_page, original_feed = render._page, render.atom_feed

    def counting_page(environment, name, context):  # type: ignore[no-untyped-def]
        made.append(name)
        return original_page(environment, name, context)

    def counting_feed(briefings, settings):  # type: ignore[no-untyped-def]
        made.append("feed.xml")
        return original_feed(briefings, settings)

    monkeypatch.setattr(render, "_page", counting_page)
    monkeypatch.setattr(render, "atom_feed", counting_feed)
    post = site / "content" / "second-story" / "post.md"  # the older story: not in the feed
    post.write_text(post.read_text("utf-8").replace("9 p.m.", "10 p.m."), encoding="utf-8")
    after = build()
    assert "index.html" in made  # its card shows the lead, which changed
    assert "feed.xml" not in made and "404.html" not in made
    assert after["feed.xml"].count(b"<entry>") == 1
    monkeypatch.setattr(render, "_page", original_page)
    monkeypatch.setattr(render, "atom_feed", original_feed)
    shutil.rmtree(site / "output")
    assert build("--no-cache") == after


def cache_entries(site: Path) -> tuple[set[str], set[str]]:
    cache = site / ".briefing-cache"
    return {p.name for p in cache.glob("*.json")}, {p.name for p in cache.glob("briefings/*.json")}


def test_the_cache_keeps_only_what_the_site_uses(site: Path) -> None:
    build()
    articles, briefings = cache_entries(site)
    article_count = sum(1 for p in (site / "content").rglob("*.*") if p.name != "index.md")
    assert len(articles) == article_count and len(briefings) == 2
    article = site / "content" / STORY / "valley-wire.txt"
    for old, new in (("310-foot", "311-foot"), ("311-foot", "312-foot")):
        text = article.read_text("utf-8")
        assert old in text
        article.write_text(text.replace(old, new), "utf-8")
        build()
    edited_articles, edited_briefings = cache_entries(site)
    assert len(edited_articles) == article_count and len(edited_briefings) == 2
    assert len(edited_articles - articles) == 1  # the edited article's entry, replaced
    assert len(edited_briefings - briefings) == 1  # and its briefing's; the other stays
    (site / "content" / "second-story" / "post.md").unlink()
    build()
    assert len(cache_entries(site)[0]) == article_count - 1
    assert len(cache_entries(site)[1]) == 1


def test_a_build_with_errors_keeps_every_cache_entry(site: Path) -> None:
    build()
    kept = cache_entries(site)
    write_file(site / "content" / "second-story" / "post.md", "---\ntitle: [unclosed\n---\nText.\n")
    assert main(["build", "--keep-going"]) != 0
    articles, briefings = cache_entries(site)
    assert articles >= kept[0] and briefings >= kept[1]


# Run in a fresh interpreter: the build, then which of the summarizing libraries it loaded.
_BUILD_AND_LIST_IMPORTS = (
    "import sys\n"
    "from generator.cli import main\n"
    "code = main(['build'])\n"
    "heavy = ('nltk.stem.snowball', 'sumy', 'numpy', 'punkt', 'generator.clean',\n"
    "         'generator.summarize', 'generator.merge', 'yaml', 'markdown_it')\n"
    "print(code, *sorted(name for name in heavy if name in sys.modules))\n"
)


def test_a_build_with_nothing_changed_loads_no_summarizer(site: Path) -> None:
    """The cleaner and the summarizing libraries cost ~0.4 s to import, PyYAML and
    markdown-it ~0.05 s; an unchanged site needs none of them (no file is read and no
    note rendered), and an edited article needs them again."""

    def fresh_build() -> list[str]:
        result = subprocess.run([sys.executable, "-c", _BUILD_AND_LIST_IMPORTS], cwd=site,
                                capture_output=True, text=True, check=True)  # fmt: skip
        return result.stdout.splitlines()[-1].split()  # (after the build's report line)

    assert fresh_build()[0] == "0"
    assert fresh_build() == ["0"]  # nothing changed: none of them imported
    edited = site / "content" / "second-story" / "post.md"
    edited.write_text(edited.read_text("utf-8").replace("Monday", "Tuesday"), "utf-8")
    assert {"nltk.stem.snowball", "sumy", "punkt", "generator.clean"} <= set(fresh_build()[1:])


def paged_site(site: Path, stories: int = 5) -> None:
    """`stories` dated briefings besides the sample's, two tags each, two to a page."""
    for number in range(stories):
        write_file(
            site / "content" / f"story-{number}" / "index.md",
            f"---\ntitle: Story {number}\ndate: 2024-{number % 12 + 1:02d}-{number // 12 + 10}\n"
            f"tags: [Roads, {'Even' if number % 2 == 0 else 'Odd'}]\n---\n",
        )
        write_file(
            site / "content" / f"story-{number}" / "wire.md",
            f"---\ntitle: Story {number}\noutlet: Wire\n---\n\n"
            f"The council met on Monday about road number {number}.\n\n"
            f"It approved {number + 2} new crossings and a budget of ${number + 1} million.\n",
        )
    toml = site / "site.toml"
    toml.write_text(toml.read_text("utf-8") + "per_page = 2\n", "utf-8")


def listing_pages_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The home and tag pages the builds from now on make, as "index 2", "roads 1"..."""
    import generator.render as render

    made: list[str] = []
    original = render._listing_page

    def counting(environment, common, tag, chunk, place):  # type: ignore[no-untyped-def]
        _, number, _ = place  # (the listing's folder, the page's number, its pages)
        made.append(f"{getattr(tag, 'slug', 'index')} {number}")
        return original(environment, common, tag, chunk, place)

    monkeypatch.setattr(render, "_listing_page", counting)
    return made


def test_an_edit_remakes_only_the_listing_pages_that_show_the_briefing(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paged_site(site)
    before = build()
    # 7 briefings, newest first: the sample (2025), second-story (2025), story-4 ... story-0
    assert {"index.html", "page/2/index.html", "page/3/index.html", "page/4/index.html"} <= set(
        before
    )
    assert "page/5/index.html" not in before
    assert before["page/4/index.html"].count(b'class="card"') == 1  # story-0, the oldest
    assert before["tags/roads/page/3/index.html"].count(b'class="card"') == 1
    made = listing_pages_made(monkeypatch)
    wire = site / "content" / "story-0" / "wire.md"
    wire.write_text(wire.read_text("utf-8").replace("approved 2 new", "approved 12 new"), "utf-8")
    after = build()
    assert sorted(made) == ["even 2", "index 4", "roads 3"]  # story-0 is Even and Roads
    assert changed(before, after) >= {"page/4/index.html", "story-0/index.html"}
    assert not changed(before, after) & {"index.html", "page/2/index.html", "tags/odd/index.html"}
    shutil.rmtree(site / "output")
    assert build("--no-cache") == after


def test_listing_pages_link_to_each_other_and_list_every_briefing_once(site: Path) -> None:
    paged_site(site)
    output = build()
    listed: list[str] = []
    for number, path in enumerate(["index.html", *(f"page/{n}/index.html" for n in (2, 3, 4))], 1):
        html = output[path].decode("utf-8")
        listed += re.findall(r'<li class="card" data-slug="([^"]+)"', html)
        assert f'<span class="pager__current" aria-current="page">{number}</span>' in html
        root = "" if number == 1 else "../../"
        assert f'href="{root}page/2/index.html"' in html or number == 2
        assert ('rel="prev"' in html) == (number > 1) and ('rel="next"' in html) == (number < 4)
    assert listed[2:] == [f"story-{n}" for n in (4, 3, 2, 1, 0)]
    assert len(set(listed)) == 7
    for path in ("tags/roads/index.html", "tags/roads/page/2/index.html"):  # all, not the page's
        assert b"<span>5 briefings</span>" in output[path]
    assert b"(5)" in output["tags/index.html"]


def settle(folder: Path) -> None:
    """Date the folder's last change a minute back, as if made long ago: a build then
    keeps its listing for the next one (a folder that has just changed is listed again
    every time, see `load.SETTLED_NS`)."""
    stat = folder.stat()
    os.utime(folder, ns=(stat.st_atime_ns, stat.st_mtime_ns - 60 * 10**9))


def listed_folders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the briefing folders the builds from now on list."""
    import generator.load as load

    listed: list[str] = []
    original = load._briefing_folder

    def counting(folder: Path, *arguments):  # type: ignore[no-untyped-def]
        listed.append(folder.name)
        return original(folder, *arguments)

    monkeypatch.setattr(load, "_briefing_folder", counting)
    return listed


def test_a_folder_that_did_not_change_is_not_listed_again(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in (site / "content").iterdir():
        settle(folder)
    build()
    listed = listed_folders(monkeypatch)
    article = site / "content" / STORY / "valley-wire.txt"
    article.write_text(article.read_text("utf-8").replace("310-foot", "312-foot"), "utf-8")
    after = build()  # (rewriting a file leaves its folder's times as they were)
    assert listed == []
    assert b"312-foot" in after[f"{STORY}/sources/valley-wire.html"]
    second = site / "content" / "second-story"
    write_file(second / "extra.md", "The library will also open on Sundays, the council said.\n")
    after = build()
    assert listed == ["second-story"]
    assert "second-story/sources/extra.html" in after
    settle(second)
    build()
    (second / "extra.md").rename(second / "renamed.md")
    after = build()
    assert "second-story/sources/renamed.html" in after
    assert "second-story/sources/extra.html" not in after
    settle(second)
    build()
    (second / "renamed.md").unlink()
    after = build()
    assert listed == ["second-story"] * 5
    assert not any(name.startswith("second-story/sources/ren") for name in after)
    assert main(["build", "--no-cache", "--output", "fresh"]) == 0
    assert after == files(site / "fresh")


def test_a_folder_that_has_just_changed_is_listed_every_time(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in (site / "content").iterdir():
        os.utime(folder)  # changed now (copytree gave the sample's folder its old times)
    build()
    listed = listed_folders(monkeypatch)
    build()
    build()
    assert sorted(listed) == sorted(["second-story", STORY] * 2)


def test_an_unchanged_folder_is_planned_from_its_record(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder none of whose files changed is planned from the file index's record of
    it: no file looked up one by one, no briefing key made again, the same warnings."""
    from generator.cache import FileIndex

    pasted = "Café owners said the later hours help trade, the council said on Monday.\n"
    (site / "content" / "second-story" / "pasted.txt").write_bytes(pasted.encode("cp1252"))
    build()
    first = capsys.readouterr()
    looked_up: list[str] = []
    keyed: list[str] = []
    lookup, briefing_key = FileIndex.lookup, pipeline.briefing_key

    def counted_lookup(index: FileIndex, shown: str, signature):  # type: ignore[no-untyped-def]
        looked_up.append(Path(shown).parent.name)
        return lookup(index, shown, signature)

    def counted_key(slug: str, *arguments):  # type: ignore[no-untyped-def]
        keyed.append(slug)
        return briefing_key(slug, *arguments)

    monkeypatch.setattr(FileIndex, "lookup", counted_lookup)
    monkeypatch.setattr(pipeline, "briefing_key", counted_key)
    article = site / "content" / STORY / "valley-wire.txt"
    article.write_text(article.read_text("utf-8").replace("310-foot", "312-foot"), "utf-8")
    after = build()
    second = capsys.readouterr()
    assert set(looked_up) == {STORY} and keyed == [STORY]
    assert b"312-foot" in after[f"{STORY}/sources/valley-wire.html"]
    warnings = [line for line in (first.out + first.err).splitlines() if ": warning:" in line]
    assert any("pasted.txt: warning: not UTF-8" in line for line in warnings)
    assert [line for line in (second.out + second.err).splitlines() if ": warning:" in line] == (
        warnings
    )
    looked_up.clear()
    keyed.clear()
    settings = (site / "site.toml").read_text("utf-8")
    assert "lead_words = 120" in settings
    (site / "site.toml").write_text(settings.replace("lead_words = 120", "lead_words = 60"))
    build()  # the settings a briefing key is made with changed: no record stands
    assert set(looked_up) == {STORY, "second-story"}
    assert sorted(keyed) == sorted([STORY, "second-story"])


def test_an_edit_writes_index_deltas_that_the_next_builds_read(site: Path) -> None:
    """On a site of some size an edit adds small deltas to the indexes instead of
    rewriting them; the builds after it read them (nothing changed: nothing touched)."""
    paged_site(site, stories=30)
    build()
    cache = site / ".briefing-cache"
    indexes = [cache / "files" / "files.index", cache / "render" / "pages.index",
               cache / "output" / "output-manifest.index"]  # fmt: skip
    whole = [path.read_bytes() for path in indexes]
    wire = site / "content" / "story-7" / "wire.md"
    wire.write_text(wire.read_text("utf-8").replace("Monday", "Tuesday"), "utf-8")
    after = build()
    assert [path.read_bytes() for path in indexes] == whole
    assert all(path.with_name(path.name + ".delta").is_file() for path in indexes)
    times = mtimes(site / "output")
    assert build() == after and mtimes(site / "output") == times
    wire.write_text(wire.read_text("utf-8").replace("Tuesday", "Friday"), "utf-8")
    again = build()
    assert changed(after, again) and "story-7/index.html" in changed(after, again)
    shutil.rmtree(site / "output")
    assert build("--no-cache") == again
