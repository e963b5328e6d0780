"""Quality benchmark: the briefing lead against human references (Multi-News sample).

    python bench/quality.py [--eval DIR] [--limit N] [--words N]

Each cluster becomes one briefing of a temporary content folder, with `lead_words` set
in its index.md to the reference's length, and the site is built by the same code as
`briefing build`.  The lead from each briefing.json is scored with ROUGE-1/2/L F1
(`rouge-score`, stemming on) beside baselines at the same length: the first words of
the first article, and sumy's LexRank, TextRank, LSA and Luhn over the concatenated
cluster.  The data stays in ../shared; nothing of it is written into this repository.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from rouge_score import rouge_scorer

from generator.model import Block
from generator.pipeline import BuildOptions, build
from generator.split import split_sentences
from generator.summarize import (
    PunktTokenizer,
    build_document,
    make_summarizer,
    ranked_sentences,
)

DEFAULT_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "multinews_longbench200"
BASELINES = ("lexrank", "textrank", "lsa", "luhn")
METRICS = ("rouge1", "rouge2", "rougeL")
BOOTSTRAP_SAMPLES = 1000


@dataclass(frozen=True)
class Cluster:
    name: str
    articles: tuple[str, ...]
    reference: str


def load_clusters(eval_dir: Path, limit: int | None) -> list[Cluster]:
    clusters = []
    for folder in sorted(path for path in eval_dir.iterdir() if path.is_dir()):
        articles = tuple(
            path.read_text(encoding="utf-8") for path in sorted((folder / "articles").glob("*.txt"))
        )
        reference = (folder / "references" / "A.txt").read_text(encoding="utf-8").strip()
        clusters.append(Cluster(folder.name, articles, reference))
    return clusters[:limit] if limit else clusters


def truncate(text: str, words: int) -> str:
    return " ".join(text.split()[:words])


def target_words(cluster: Cluster, fixed: int | None) -> int:
    return fixed or len(cluster.reference.split())


# --- our system: the real build ------------------------------------------------------


def briefing_leads(clusters: Sequence[Cluster], fixed_words: int | None) -> dict[str, str]:
    """Build every cluster as a briefing of one site; return each lead as plain text."""
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(temporary)
        for cluster in clusters:
            story = site / "content" / cluster.name
            story.mkdir(parents=True)
            words = target_words(cluster, fixed_words)
            (story / "index.md").write_text(f"---\nlead_words: {max(words, 10)}\n---\n", "utf-8")
            for number, text in enumerate(cluster.articles, start=1):
                # The data has no headlines: give each article a neutral title line.
                (story / f"{number:02d}.txt").write_text(f"Article {number}\n\n{text}", "utf-8")
        options = BuildOptions(
            content_dir=site / "content",
            output_dir=site / "output",
            config_path=site / "site.toml",
            keep_going=True,
            use_cache=False,
            base_dir=site,
        )
        report = build(options)
        for problem in report.errors:
            print(f"note: {problem}", file=sys.stderr)
        leads = {}
        for cluster in clusters:
            path = site / "output" / cluster.name / "briefing.json"
            data = json.loads(path.read_text("utf-8")) if path.exists() else {"lead": []}
            leads[cluster.name] = " ".join(sentence["text"] for sentence in data["lead"])
        return leads


# --- baselines -----------------------------------------------------------------------


def lead_baseline(cluster: Cluster, words: int) -> str:
    return truncate(cluster.articles[0] if cluster.articles else "", words)


def sumy_baseline(algorithm: str, cluster: Cluster, words: int) -> str:
    """sumy over the concatenated cluster, best sentences in order until `words`."""
    paragraphs = tuple(
        Block(number, paragraph.strip())
        for number, paragraph in enumerate("\n\n".join(cluster.articles).split("\n"))
        if paragraph.strip()
    )
    sentences = split_sentences(paragraphs, "en")
    if not sentences:
        return ""
    tokenizer = PunktTokenizer("english")
    document, index_by_object = build_document(sentences, tokenizer)
    summarizer = make_summarizer(algorithm, "en", (), document)
    chosen: list[int] = []
    total = 0
    for item in ranked_sentences(summarizer, document):
        if total >= words:
            break
        index = index_by_object[id(item)]
        chosen.append(index)
        total += len(sentences[index].text.split())
    chosen.sort()
    return truncate(" ".join(sentences[index].text for index in chosen), words)


def _baseline_task(arguments: tuple[str, Cluster, int]) -> str:
    algorithm, cluster, words = arguments
    if algorithm == "lead":
        return lead_baseline(cluster, words)
    return sumy_baseline(algorithm, cluster, words)


# --- scoring ---------------------------------------------------------------------------


def score_all(summaries: Sequence[str], references: Sequence[str]) -> dict[str, list[float]]:
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    per_metric: dict[str, list[float]] = {metric: [] for metric in METRICS}
    for summary, reference in zip(summaries, references, strict=True):
        scores = scorer.score(reference, summary)
        for metric in METRICS:
            per_metric[metric].append(100 * scores[metric].fmeasure)
    return per_metric


def bootstrap_interval(values: Sequence[float], seed: int = 13) -> tuple[float, float]:
    generator = random.Random(seed)
    means = sorted(
        statistics.fmean(generator.choices(values, k=len(values))) for _ in range(BOOTSTRAP_SAMPLES)
    )
    return means[int(0.025 * BOOTSTRAP_SAMPLES)], means[int(0.975 * BOOTSTRAP_SAMPLES) - 1]


def bootstrap_ratio_interval(
    ours: Sequence[float], baseline: Sequence[float], seed: int = 29
) -> tuple[float, float]:
    generator = random.Random(seed)
    indices = range(len(ours))
    ratios = []
    for _ in range(BOOTSTRAP_SAMPLES):
        sample = generator.choices(indices, k=len(ours))
        base = statistics.fmean(baseline[i] for i in sample)
        ratios.append(statistics.fmean(ours[i] for i in sample) / base if base else 0.0)
    ratios.sort()
    return ratios[int(0.025 * BOOTSTRAP_SAMPLES)], ratios[int(0.975 * BOOTSTRAP_SAMPLES) - 1]


def run_systems(
    clusters: Sequence[Cluster], fixed_words: int | None, workers: int
) -> dict[str, list[str]]:
    started = time.perf_counter()
    leads = briefing_leads(clusters, fixed_words)
    outputs = {
        "briefing": [truncate(leads[c.name], target_words(c, fixed_words)) for c in clusters]
    }
    print(f"briefing build: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for system in ("lead", *BASELINES):
            started = time.perf_counter()
            tasks = [(system, c, target_words(c, fixed_words)) for c in clusters]
            outputs[system] = list(pool.map(_baseline_task, tasks, chunksize=4))
            print(f"{system}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return outputs


def print_table(scores: dict[str, dict[str, list[float]]], write: Callable[[str], None]) -> None:
    baselines = [name for name in scores if name != "briefing"]
    best = max(baselines, key=lambda name: statistics.fmean(scores[name]["rouge2"]))
    write("| system | ROUGE-1 | ROUGE-2 | ROUGE-2 95% CI | ROUGE-L |")
    write("|---|---|---|---|---|")
    for name, per_metric in scores.items():
        low, high = bootstrap_interval(per_metric["rouge2"])
        label = f"{name} (best baseline)" if name == best else name
        r1, r2, rl = (statistics.fmean(per_metric[m]) for m in METRICS)
        write(f"| {label} | {r1:.2f} | {r2:.2f} | {low:.2f}–{high:.2f} | {rl:.2f} |")
    ours = scores["briefing"]["rouge2"]
    ratio = statistics.fmean(ours) / statistics.fmean(scores[best]["rouge2"])
    low, high = bootstrap_ratio_interval(ours, scores[best]["rouge2"])
    write("")
    write(
        f"ROUGE-2 ratio briefing / {best}: {ratio:.3f} (95% CI {low:.3f}–{high:.3f}; target 1.15)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="Multi-News sample folder")
    parser.add_argument("--limit", type=int, default=None, help="only the first N clusters")
    parser.add_argument("--words", type=int, default=None, help="fixed length instead of ref's")
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args(argv)
    if not arguments.eval.is_dir():
        print(f"evaluation data not found: {arguments.eval}", file=sys.stderr)
        return 2
    clusters = load_clusters(arguments.eval, arguments.limit)
    outputs = run_systems(clusters, arguments.words, arguments.workers)
    references = [cluster.reference for cluster in clusters]
    scores = {name: score_all(summaries, references) for name, summaries in outputs.items()}
    length = f"{arguments.words} words" if arguments.words else "reference length"
    print(f"{len(clusters)} clusters, summaries at {length}, ROUGE F1 x100 (rouge-score, stemmed)")
    print_table(scores, print)
    return 0


if __name__ == "__main__":
    sys.exit(main())
