"""The quality benchmark's scorer on a tiny case (the figures live in bench/)."""

from __future__ import annotations

import pytest

pytest.importorskip("rouge_score", reason="rouge-score is in the bench extra")

from bench.quality import Cluster, bootstrap_interval, lead_baseline, score_all, truncate


def test_rouge_scores_identical_and_disjoint_text() -> None:
    scores = score_all(
        ["the council closed the bridge", "apples and pears"],
        ["the council closed the bridge", "the council closed the bridge"],
    )
    assert scores["rouge2"][0] == pytest.approx(100.0)
    assert scores["rouge1"][1] == pytest.approx(0.0)


def test_stemming_is_on() -> None:
    (score,) = score_all(["bridges closing"], ["bridge closed"])["rouge1"]
    assert score == pytest.approx(100.0)


def test_lead_baseline_and_truncation() -> None:
    cluster = Cluster("c", ("one two three four five", "six seven"), "ref")
    assert lead_baseline(cluster, 3) == "one two three"
    assert truncate("a b c", 10) == "a b c"


def test_bootstrap_interval_brackets_the_mean() -> None:
    low, high = bootstrap_interval([10.0, 12.0, 14.0, 16.0])
    assert 10.0 <= low <= 13.0 <= high <= 16.0
