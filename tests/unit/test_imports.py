"""The story stages' start-up imports: what is left until first used still works."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE_CONTENT

STORY_STAGES = "import generator.pipeline as p; p.import_story_stages(); import sys; "


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def test_summarizing_does_not_import_requests() -> None:
    code = STORY_STAGES + "print(sorted({'urllib3', 'charset_normalizer'} & set(sys.modules)))"
    assert run_python(code) == "[]"


def test_requests_still_works_for_whoever_uses_it() -> None:
    code = STORY_STAGES + (
        "import requests.adapters, requests, sumy.utils; "
        "print(requests.codes.ok, sumy.utils.requests.get is requests.api.get, "
        "type(sys.modules['requests']).__name__, "
        "requests.adapters.HTTPAdapter.__module__)"
    )
    assert run_python(code) == "200 True module requests.adapters"


# --- NLTK: the stemmers without NLTK's __init__ -----------------------------------------

SUMMARIZE_SAMPLE = (
    "from generator.model import Block; from generator.split import split_sentences; "
    "from generator.summarize import summarize; "
    "text = 'The ferry stopped running on Monday. Workers were repairing the ramps. "
    "The council said the repairs were running late. Ferries run again next week.'; "
    "print(summarize(split_sentences((Block(1, text),), 'en'), 'lexrank', 2)); "
)
STEM_WORDS = "from generator.sumy_language import sumy_stemmer; " + (
    "print([sumy_stemmer(language)(word) for language in ('english', 'german', 'french') "
    "for word in ('running', 'generously', 'Häuser', 'nationalités', 'connected')]); "
)


def test_summarizing_does_not_import_all_of_nltk() -> None:
    full_nltk_only = "{'nltk.corpus.reader', 'nltk.tokenize', 'nltk.parse'}"
    code = STORY_STAGES + SUMMARIZE_SAMPLE + f"print(sorted({full_nltk_only} & set(sys.modules)))"
    assert run_python(code).splitlines()[-1] == "[]"


def test_stems_and_summaries_are_those_of_nltk_imported_in_full() -> None:
    lean = run_python(STORY_STAGES + SUMMARIZE_SAMPLE + STEM_WORDS)
    full = run_python("import nltk; " + STORY_STAGES + SUMMARIZE_SAMPLE + STEM_WORDS)
    assert lean == full
    assert "'run'" in lean and "'generous'" in lean


def test_nltk_still_works_for_whoever_uses_it() -> None:
    code = (
        STORY_STAGES
        + SUMMARIZE_SAMPLE
        + (
            "import importlib.metadata, nltk, sumy.nlp.stemmers; "
            "from nltk.tokenize import wordpunct_tokenize; "
            "print(nltk.__version__ == importlib.metadata.version('nltk'), "
            "type(nltk.corpus.stopwords).__name__, wordpunct_tokenize('a b-c'), "
            "sumy.nlp.stemmers.Stemmer('english')('running'), "
            "'nltk.corpus.reader' in sys.modules)"
        )
    )
    assert run_python(code).splitlines()[-1] == (
        "True LazyCorpusLoader ['a', 'b', '-', 'c'] run True"
    )


def test_a_stemmer_module_not_foreseen_falls_back_to_all_of_nltk() -> None:
    """Should a later NLTK's snowball.py read something else from `nltk`, the read
    imports the real NLTK in the middle of the stemmers' import, and all still works."""
    code = (
        "import generator.lean_imports as lean; "
        "lean.STEMMER_MODULES = lean.STEMMER_MODULES - {'nltk.redos'}; "
        + STORY_STAGES
        + SUMMARIZE_SAMPLE
        + STEM_WORDS
        + "print('nltk.corpus.reader' in sys.modules)"
    )
    lean = run_python(STORY_STAGES + SUMMARIZE_SAMPLE + STEM_WORDS).splitlines()
    assert run_python(code).splitlines() == [*lean, "True"]


# --- a build with nothing to do -------------------------------------------------------

UNUSED_WHEN_UNCHANGED = ("jinja2", "markupsafe", "numpy", "multiprocessing", "webbrowser")


def build_and_list_imports(site: Path) -> list[str]:
    """`briefing build` of `site` in a new process; the modules of UNUSED_WHEN_UNCHANGED
    it imported."""
    unused = set(UNUSED_WHEN_UNCHANGED)
    code = (
        "import sys; from generator.cli import main; "
        f"code = main(['build', '--content', {str(site / 'content')!r}, "
        f"'--output', {str(site / 'output')!r}, '--config', {str(site / 'site.toml')!r}]); "
        f"print(code, sorted({{m.split('.')[0] for m in sys.modules}} & {unused!r}))"
    )
    return run_python(code).splitlines()[-1].split(" ", 1)


def test_a_build_with_nothing_changed_imports_no_renderer_or_pool(tmp_path: Path) -> None:
    shutil.copytree(SAMPLE_CONTENT, tmp_path / "content")
    (tmp_path / "site.toml").write_text('title = "T"\n')
    first = build_and_list_imports(tmp_path)
    assert first[0] == "0" and "jinja2" in first[1]  # (the first build renders)
    assert build_and_list_imports(tmp_path) == ["0", "[]"]
    article = next((tmp_path / "content").rglob("*.md"))
    article.write_text(article.read_text("utf-8").replace(".", ". Edited.", 1), "utf-8")
    edited = build_and_list_imports(tmp_path)
    assert edited[0] == "0" and "jinja2" in edited[1]


# --- pycountry: imported when a language code is looked up


def test_summarizing_does_not_import_pycountry() -> None:
    code = (
        STORY_STAGES
        + SUMMARIZE_SAMPLE
        + ("print(type(sys.modules['pycountry']).__name__, 'pycountry.db' in sys.modules)")
    )
    assert run_python(code).splitlines()[-1] == "_ImportedOnFirstUse False"


def test_pycountry_still_works_for_whoever_uses_it() -> None:
    code = STORY_STAGES + (
        "import sumy.utils; from pycountry import languages; import pycountry; "
        "print(sumy.utils.normalize_language('de'), languages.get(alpha_3='fra').name, "
        "pycountry.countries.get(alpha_2='FR').name, len(pycountry.languages) > 100, "
        "len(languages) == len(pycountry.languages), type(pycountry.languages).__name__)"
    )
    assert run_python(code) == "german French France True True Languages"


def test_plain_front_matter_is_read_without_pyyaml(tmp_path: Path) -> None:
    article = tmp_path / "gazette.md"
    article.write_text(
        "---\ntitle: Bridge closed\noutlet: The Gazette\npublished: 2025-03-11\n---\n\n"
        "The bridge closed on Monday.\n"
    )
    code = (
        "import sys; from pathlib import Path; from generator.load import read_article; "
        f"raw = read_article(Path({str(article)!r}), 'gazette.md')[0]; "
        "print(raw.meta.outlet, raw.meta.published, 'yaml' in sys.modules)"
    )
    assert run_python(code) == "The Gazette PartialDate(month=3, day=11, year=2025) False"
