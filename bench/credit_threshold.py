"""Measure the "same fact" similarity used to credit sources, on hand-labelled pairs.

    python bench/credit_threshold.py

The pairs in bench/data/credit_pairs.tsv come from the sample briefing (our own
invented text): 1 = the second sentence's source reports what the first says.  For each
candidate measure it prints the best threshold by F1 with its precision and recall.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from generator.config import Settings
from generator.load import read_article
from generator.pipeline import process_article, source_ids
from generator.textsim import number_conflicts, overlap_matrix, similarity_matrix

ROOT = Path(__file__).resolve().parents[1]
STORY = ROOT / "content" / "harlow-ferry-bridge"
PAIRS = Path(__file__).resolve().parent / "data" / "credit_pairs.tsv"


def story_sentences() -> list[tuple[str, str]]:
    paths = tuple(
        sorted(p for p in STORY.iterdir() if p.suffix in (".md", ".txt") and p.name != "index.md")
    )
    sentences = []
    for path, source_id in zip(paths, source_ids(paths), strict=True):
        article = process_article(read_article(path, path.name)[0], source_id, Settings())
        sentences += [(source_id, sentence.text) for sentence in article.sentences]
    return sentences


def labelled_pairs(sentences: list[tuple[str, str]]) -> list[tuple[int, int, int]]:
    def find(source: str, start: str) -> int | None:
        for position, (source_id, text) in enumerate(sentences):
            if source_id == source and text.startswith(start):
                return position
        return None  # the sentence is gone (e.g. now removed as debris)

    pairs = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        label, source_a, start_a, source_b, start_b = line.split("\t")
        first, second = find(source_a, start_a), find(source_b, start_b)
        if first is not None and second is not None:
            pairs.append((int(label), first, second))
    return pairs


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float, float, float]:
    best = (0.0, 0.0, 0.0, 0.0)
    for threshold in np.arange(0.05, 0.96, 0.01):
        predicted = scores >= threshold
        true_positive = int((predicted & (labels == 1)).sum())
        precision = true_positive / max(int(predicted.sum()), 1)
        recall = true_positive / max(int((labels == 1).sum()), 1)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best[3]:
            best = (float(threshold), precision, recall, f1)
    return best


def main() -> int:
    sentences = story_sentences()
    texts = [text for _, text in sentences]
    pairs = labelled_pairs(sentences)
    labels = np.array([label for label, _, _ in pairs])
    cosine = similarity_matrix(texts)
    overlap = overlap_matrix(texts)
    conflict = number_conflicts(texts)
    measures: dict[str, Callable[[int, int], float]] = {
        "tf-idf cosine": lambda a, b: cosine[a, b],
        "tf-idf cosine, number conflict x0.5": lambda a, b: (
            cosine[a, b] * (0.5 if conflict[a, b] else 1)
        ),
        "weighted overlap": lambda a, b: overlap[a, b],
        "weighted overlap, number conflict x0.5": lambda a, b: (
            overlap[a, b] * (0.5 if conflict[a, b] else 1)
        ),
        "mean of cosine and overlap, conflict x0.5": lambda a, b: (
            (cosine[a, b] + overlap[a, b]) / 2 * (0.5 if conflict[a, b] else 1)
        ),
    }
    print(f"{len(pairs)} labelled pairs, {int(labels.sum())} same-fact")
    print("| measure | threshold | precision | recall | F1 |")
    print("|---|---|---|---|---|")
    for name, measure in measures.items():
        scores = np.array([measure(a, b) for _, a, b in pairs])
        threshold, precision, recall, f1 = best_threshold(scores, labels)
        print(f"| {name} | {threshold:.2f} | {precision:.2f} | {recall:.2f} | {f1:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
