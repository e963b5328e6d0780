"""The story stages' start-up imports: what is left until first used still works."""

from __future__ import annotations

import subprocess
import sys

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
