"""Work on every core gives the same site as work in one process; the speed-ups of facts
and textsim (per-sentence caches, numpy) change no result."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from bench.corpus import generated_site
from generator import textsim
from generator.config import Settings
from generator.facts import common, extract_facts, names, quotes
from generator.load import discover, read_article
from generator.merge import resolve_years
from generator.pipeline import STAGES, Builder, BuildOptions, BuildReport, process_article
from tests.conftest import SAMPLE_CONTENT


def files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run(root: Path, output: str, workers: int, cache: bool = False) -> BuildReport:
    options = BuildOptions(
        root / "content", root / output, root / "site.toml", use_cache=cache, base_dir=root
    )
    return Builder(options, workers=workers).run()


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample story, three generated ones and a broken article, built in parallel even
    though the site is small."""
    monkeypatch.setattr("generator.pipeline.PARALLEL_MIN_ARTICLES", 2)
    monkeypatch.setattr("generator.pipeline.PARALLEL_MIN_BRIEFINGS", 2)
    generated_site(tmp_path, 3, 3)
    shutil.copytree(SAMPLE_CONTENT, tmp_path / "content", dirs_exist_ok=True)
    (tmp_path / "content" / "story-0002" / "empty.txt").write_text("Recommended\n")
    return tmp_path


def index_problems(site: Path) -> None:
    """An unknown key (a warning) in one index.md, a word for a number (an error) in another, and
    a warning after the error: the index files are read while the workers process the
    articles, and reported in folder order all the same."""
    for number, header in ((0, "mood: calm"), (1, "lead_words: many"), (2, "colour: red")):
        index = site / "content" / f"story-000{number}" / "index.md"
        index.write_text(index.read_text().replace("---\n", f"---\n{header}\n", 1))


def test_parallel_build_is_byte_identical_to_serial(site: Path) -> None:
    serial = run(site, "serial", workers=1)
    parallel = run(site, "parallel", workers=2)
    assert parallel.workers == 2 and serial.workers == 1
    assert files(site / "parallel") == files(site / "serial")
    assert [str(p) for p in parallel.errors] == [str(p) for p in serial.errors]
    assert [str(p) for p in parallel.warnings] == [str(p) for p in serial.warnings]
    assert parallel.explanations == serial.explanations
    assert parallel.articles == serial.articles == 3 * 3 + 5


def test_index_problems_are_reported_in_order_when_read_ahead(site: Path) -> None:
    index_problems(site)
    serial = run(site, "serial", workers=1)
    parallel = run(site, "parallel", workers=2, cache=True)
    assert parallel.workers == 2 and not parallel.written
    shown = [str(p) for p in parallel.errors]
    assert shown == [str(p) for p in serial.errors]
    assert [str(p) for p in parallel.warnings] == [str(p) for p in serial.warnings]
    assert any("story-0001/index.md" in line and "lead_words" in line for line in shown)
    warned = [str(p) for p in parallel.warnings if "index.md" in str(p)]
    assert ["story-0000" in warned[0], "story-0002" in warned[1]] == [True, True]


def test_parallel_build_with_cache_matches_serial_without(site: Path) -> None:
    (site / "content" / "story-0002" / "empty.txt").unlink()
    reference = run(site, "reference", workers=1)
    cold = run(site, "output", workers=2, cache=True)
    first = files(site / "output")
    (site / "content" / "story-0001" / "source-0.md").touch()  # new mtime, same bytes
    warm = run(site, "output", workers=2, cache=True)
    assert files(site / "output") == first == files(site / "reference")
    assert reference.written and cold.written and warm.written
    assert warm.stages["summarize"] == 0 and warm.changed_files == 0


def test_stage_timings_cover_every_stage(site: Path) -> None:
    (site / "content" / "story-0002" / "empty.txt").unlink()
    cold = run(site, "output", workers=2, cache=True)
    assert cold.written and set(cold.stages) == set(STAGES)
    assert all(cold.stages[stage] > 0 for stage in STAGES)
    warm = run(site, "output", workers=2, cache=True)
    assert warm.written and warm.changed_files == 0
    for stage in ("clean", "split", "summarize", "merge", "render"):
        assert warm.stages[stage] == 0  # nothing changed: nothing processed or rendered


def naive_number_conflicts(texts: list[str]) -> np.ndarray:
    numbers = [{t for t in textsim.weighted_terms(text) if t.startswith("#")} for text in texts]
    return np.array(
        [[bool(a and b and not a & b) for b in numbers] for a in numbers], dtype=bool
    ).reshape(len(texts), len(texts))


def sample_articles() -> list:
    folder = discover(SAMPLE_CONTENT, SAMPLE_CONTENT.parent).briefings[0]
    articles = [
        process_article(read_article(path, path.name)[0], path.stem, Settings())
        for path in folder.article_paths
    ]
    return resolve_years(articles, None)


def test_number_conflicts_with_numpy_match_the_pairwise_definition() -> None:
    texts = [s.text for a in sample_articles() for s in a.sentences]
    texts += ["It cost $4.2 million.", "It cost 4.2 million dollars.", "Eight died.", ""]
    assert (textsim.number_conflicts(texts) == naive_number_conflicts(texts)).all()


def clear_caches() -> None:
    functions = (common._tokens, common.content_stems, common.bare, names.role_key)
    for function in (*functions, quotes._role_phrases, textsim._weighted_items,
                     textsim.word_count):  # fmt: skip
        function.cache_clear()


def test_facts_are_the_same_with_cold_and_warm_caches() -> None:
    articles = sample_articles()
    clear_caches()
    cold = extract_facts(articles)
    warm = extract_facts(articles)
    assert cold == warm and cold.key_facts
    again = extract_facts(list(reversed(articles)))
    clear_caches()
    assert extract_facts(list(reversed(articles))) == again


def test_weighted_terms_hands_out_a_fresh_counter() -> None:
    first = textsim.weighted_terms("Mayor Okafor said the bridge cost $4.2 million.")
    first["bridg"] = 99.0
    second = textsim.weighted_terms("Mayor Okafor said the bridge cost $4.2 million.")
    assert second["bridg"] != 99.0 and isinstance(second, Counter)
    assert second["#4.2e+06"] == textsim.NUMBER_WEIGHT


def test_site_wide_pages_from_summaries_match_the_full_briefings(site: Path) -> None:
    """The render cache keeps only a summary of a carried-over briefing: the index, feed,
    tag pages, search index and sitemap made from it are the same bytes."""
    from dataclasses import replace

    from generator.render import PageMaker, briefing_summary, summary_briefing

    toml = 'title = "T"\nbase_url = "https://example.org/news/"\nsearch = true\n'
    (site / "site.toml").write_text(toml)
    options = BuildOptions(site / "content", site / "output", site / "site.toml", base_dir=site)
    collected = Builder(options, workers=1).collect()
    assert collected is not None and len(collected.briefings) >= 4
    briefings = list(collected.briefings)
    briefings[0] = replace(briefings[0], tags=("Town <Hall>", "roads"), date=None)
    pages = PageMaker(collected.settings, collected.theme)
    summaries = [summary_briefing(briefing_summary(b)) for b in briefings]
    full = pages.site(briefings)
    assert {"sitemap.xml", "search.json", "feed.xml", "tags/index.html"} <= set(full)
    assert pages.site(summaries) == full
