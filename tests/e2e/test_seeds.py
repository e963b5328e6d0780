"""The reference input: the five seed articles build into a clean, complete briefing."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from generator.cli import main

# Debris that appears in the seeds, by class; none of it may reach any page or the JSON.
SEED_DEBRIS = [
    "By , in World on",
    "Recommended articles",
    "Powered by automated translation",
    "REUTERS/Yves Herman",
    "more than ever. AFP",
    "Article type",
    "User Type",
    "Campaign ID",
    "Cxense",
    "Join our Telegram channel",
    "Next In World",
    "Omicron",
    "Others Also Read",
    "All news",
    "[em/lt]",
    "Check Also",
    "China’s Military Power",
    "Leave a Reply",
    "Your email address will not be published",
    "Reporting by",
    "Updated: October 20",
    "BRUSSELS (Reuters) -",
    "/TASS/.",
]


@pytest.fixture
def built(seeds_site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(seeds_site)
    assert main(["build"]) == 0
    return seeds_site / "output"


def all_text(output: Path) -> str:
    texts = [html.unescape(p.read_text(encoding="utf-8")) for p in output.rglob("*.html")]
    texts += [p.read_text(encoding="utf-8") for p in output.rglob("*.json")]
    return "\n".join(texts)


def test_every_source_listed_with_real_summary(built: Path) -> None:
    data = json.loads((built / "nato" / "briefing.json").read_text(encoding="utf-8"))
    assert len(data["sources"]) == 5
    for source in data["sources"]:
        assert len(source["summary"]) == 3, source["id"]
        for sentence in source["summary"]:
            assert len(sentence.split()) >= 4
            assert re.search(r"NATO|Nato|Russia|Stoltenberg|Lavrov|Moscow|alliance", sentence)
    page = (built / "nato" / "index.html").read_text(encoding="utf-8")
    for source in data["sources"]:
        assert f'id="source-{source["id"]}"' in page


def test_no_debris_anywhere(built: Path) -> None:
    text = all_text(built)
    leaked = [debris for debris in SEED_DEBRIS if debris in text]
    assert leaked == []


def test_outlets_from_datelines_and_credits(built: Path) -> None:
    data = json.loads((built / "nato" / "briefing.json").read_text(encoding="utf-8"))
    by_file = {source["id"][:3]: source for source in data["sources"]}
    assert by_file["002"]["outlet"] == "Reuters"
    assert by_file["002"]["author"] == "Robin Emmott"
    assert by_file["003"]["outlet"] == "TASS"
    assert by_file["003"]["published"] == "2021-10-18"
    assert by_file["001"]["published"] == "2021-10-20"
    assert by_file["003"]["title"].startswith("NATO regrets Russia")


def test_lead_credits_the_cold_war_statement_to_several_outlets(built: Path) -> None:
    data = json.loads((built / "nato" / "briefing.json").read_text(encoding="utf-8"))
    lead_words = sum(len(sentence["text"].split()) for sentence in data["lead"])
    assert 60 <= lead_words <= 200
    cold_war = [s for s in data["lead"] if "Cold War" in s["text"]]
    assert len(cold_war) == 1
    assert len(cold_war[0]["sources"]) >= 3
