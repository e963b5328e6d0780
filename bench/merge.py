"""The cross-source merge of one big briefing: key facts and the lead, timed alone.

For each size a generated story of that many articles (bench/corpus.py) is read,
cleaned, split and summarized (not timed), then merged (`run_merge_job`: years, key
facts, the lead and every source's section) as a build's worker merges it.  Each merge
runs in a new process, as a build's first merge does (nothing remembered from another
story), three times; the table gives the fastest and the slowest.

    python bench/merge.py [--sizes 5,20,50,100]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.corpus import generated_site  # noqa: E402
from generator.config import Settings  # noqa: E402
from generator.load import discover, read_article  # noqa: E402
from generator.model import BriefingMeta  # noqa: E402
from generator.pipeline import (  # noqa: E402
    MergeJob,
    import_story_stages,
    process_article,
    run_merge_job,
    source_ids,
)

TARGET_SECONDS = 1.0  # the cross-source merge of a 50-article briefing


def merge_once(articles: int) -> dict[str, float]:
    """Make a story of `articles` articles, process them, and time its merge."""
    import_story_stages()
    settings = Settings()
    with tempfile.TemporaryDirectory(prefix="briefing-merge-") as temporary:
        root = Path(temporary)
        generated_site(root, 1, articles)
        folder = discover(root / "content", root).briefings[0]
        processed = []
        for path, source_id in zip(folder.article_paths, source_ids(folder.article_paths),
                                   strict=True):  # fmt: skip
            raw, _ = read_article(path, path.name)
            processed.append(process_article(raw, source_id, settings))
    job = MergeJob(folder.slug, BriefingMeta(), tuple(processed), settings.lead_words,
                   settings.language)  # fmt: skip
    started = time.perf_counter()
    briefing, _ = run_merge_job(job)
    seconds = time.perf_counter() - started
    sentences = sum(len(article.sentences) for article in processed)
    return {"seconds": seconds, "sentences": sentences, "facts": len(briefing.facts.key_facts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,20,50,100")
    parser.add_argument("--one", type=int, help="one merge, in this process (what --sizes runs)")
    arguments = parser.parse_args()
    if arguments.one:
        print(json.dumps(merge_once(arguments.one)))
        return
    print("| articles | sentences | key facts | merge s (fastest) | merge s (slowest) |")
    print("|---|---|---|---|---|")
    for size in (int(part) for part in arguments.sizes.split(",")):
        runs = [_run(size) for _ in range(3)]
        times = sorted(run["seconds"] for run in runs)
        print(f"| {size} | {runs[0]['sentences']:.0f} | {runs[0]['facts']:.0f} | "
              f"{times[0]:.3f} | {times[-1]:.3f} |")  # fmt: skip
    print(f"(target: a 50-article briefing merged in under {TARGET_SECONDS:.0f} s)")


def _run(size: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--one", str(size)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output)


if __name__ == "__main__":
    main()
