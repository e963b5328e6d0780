"""A deterministic site of news-like articles for the benchmarks.

`generated_site(root, briefings, articles)` writes `root/content/story-NNNN/source-N.*`
and an index.md for each story (title, date, two of seven topic tags, a note):
B briefings x A articles, each story with its own cast (two people, an organisation, a
subject), paragraphs of sentences with quotes, amounts, counts and dates, and the
debris pasting from web pages brings along (captions, "Recommended" lists, newsletter
prompts, paywall fields, reporting credits).  Every other article is plain text with a
dateline, the rest Markdown with front matter.  The same arguments give the same bytes.
"""

from __future__ import annotations

import random
from pathlib import Path

FIRST = ["Dana", "Ray", "Mia", "Omar", "Ana", "Liam", "Ellen", "Kofi", "Ines", "Tomas"]
LAST = ["Holt", "Osei", "Lund", "Reyes", "Kovac", "Byrne", "Marsh", "Adeyemi", "Sato", "Novak"]
ROLES = ["Mayor", "Councillor", "Inspector", "Dr.", "Chief Engineer", "Treasurer", "Judge"]
ORGS = ["the town council", "the transport authority", "the water board", "the school district",
        "the state audit office", "the harbour trust", "the regional hospital"]  # fmt: skip
THINGS = ["bridge repairs", "bus depot", "flood barrier", "library budget", "hospital wing",
          "ferry contract", "road resurfacing", "sports hall", "tram extension"]  # fmt: skip
VERBS = ["approve", "delay", "review", "fund", "cancel", "expand", "audit"]
MONTHS = ["January", "March", "May", "July", "September", "November"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
OUTLETS = ["Valley Wire", "Harbour Herald", "Evening Post", "River Radio", "County Courier"]
RELATED = ["Council names new harbour master", "Rail strike called off at last minute",
           "Local bakery wins national prize", "Storm damage bill tops estimates"]  # fmt: skip


def story_cast(story: int) -> tuple[list[str], str, str]:
    """Each story has its own two people, organisation and subject, as real stories do."""
    rng = random.Random(story)
    people = [f"{rng.choice(ROLES)} {rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(2)]
    return people, rng.choice(ORGS), f"the {rng.choice(THINGS)}"


def sentence(rng: random.Random, story: int) -> str:
    people, org, thing = story_cast(story)
    person = rng.choice(people)
    amount = f"${rng.randint(1, 90)}.{rng.randint(0, 9)} million"
    day = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}"
    patterns = [
        f"{person} said {org} would {rng.choice(VERBS)} {thing} by {rng.choice(MONTHS)}.",
        f"The cost of {thing} has risen to {amount}, according to {org}.",
        f"Residents told reporters that {thing} had been discussed for {rng.randint(2, 12)} "
        "years without a decision.",
        f"{org.capitalize()} voted {rng.randint(3, 7)}-{rng.randint(0, 2)} on "
        f"{rng.choice(WEEKDAYS)} to {rng.choice(VERBS)} {thing}.",
        f"“We cannot wait any longer,” {person} said after the meeting.",
        f"Critics argued that the money was too much to spend on {thing}.",
        f"Work on {thing} would take about {rng.randint(2, 30)} months once it starts.",
        "Shop owners nearby said trade had been slow since the announcement.",
        f"A public hearing on {thing} is scheduled for {day}, {org} said.",
        f"About {rng.randint(200, 9000):,} people signed a petition against the plan before {day}.",
    ]
    return rng.choice(patterns)


def debris(rng: random.Random, story: int, outlet: str) -> list[str]:
    """Lines a web page leaves in a paste: a caption, a related list, prompts, paywall."""
    people, _, thing = story_cast(story)
    return [
        f"Officials inspect {thing} on Tuesday. {outlet.upper()}/{people[0].split()[-1]}",
        "Recommended",
        rng.choice(RELATED),
        rng.choice(RELATED),
        "Sign up for our daily newsletter to get the top stories in your inbox.",
        "Article type: metered\nUser Status:\nReader segment: anonymous\nPaywall meter: 2 of 5",
    ]


def _paragraphs(rng: random.Random, story: int) -> list[str]:
    return [" ".join(sentence(rng, story) for _ in range(rng.randint(2, 3))) for _ in range(7)]


def article_text(rng: random.Random, story: int, outlet: str) -> str:
    """A Markdown article with front matter, debris among its paragraphs."""
    subject = story_cast(story)[2]
    paragraphs = _paragraphs(rng, story)
    caption, _, _, _, prompt, paywall = debris(rng, story, outlet)
    body = [paragraphs[0], caption, *paragraphs[1:4], prompt, *paragraphs[4:], paywall]
    return (
        f'---\ntitle: "Story {story}: questions over {subject}"\noutlet: {outlet}\n'
        f"published: 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n---\n\n"
        + "\n\n".join(body)
        + "\n"
    )


def plain_article_text(rng: random.Random, story: int, outlet: str) -> str:
    """A pasted plain-text article: headline, caption, dateline, related list, credits."""
    people, _, subject = story_cast(story)
    paragraphs = _paragraphs(rng, story)
    caption, recommended, first, second, prompt, paywall = debris(rng, story, outlet)
    dateline = f"HARLOW ({outlet}) - "
    reporter = people[1].split()[-1]
    lines = [
        "All news",
        f"Officials weigh the future of {subject} in story {story}",
        "",
        caption,
        "",
        f"Updated: {rng.choice(MONTHS)} {rng.randint(1, 28)}, 2024, 4:07 PM",
        "",
        dateline + paragraphs[0],
        *(f"\n{paragraph}" for paragraph in paragraphs[1:5]),
        "",
        recommended,
        first,
        second,
        "",
        *(f"{paragraph}\n" for paragraph in paragraphs[5:]),
        f"(Reporting by Sam {reporter}; Editing by Tom Ferris)",
        "",
        prompt,
        "",
        paywall,
    ]
    return "\n".join(lines) + "\n"


TOPICS = ["council", "transport", "budget", "health", "schools", "harbour", "courts"]


def index_text(story: int) -> str:
    """A briefing's index.md as editors write one: title, date, two tags, a note."""
    rng = random.Random(-1 - story)  # its own sequence: the articles' bytes are as before
    _, org, thing = story_cast(story)
    tags = ", ".join(rng.sample(TOPICS, 2))
    return (
        f"---\ntitle: {org.capitalize()} and {thing}\n"
        f"date: 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\ntags: [{tags}]\n---\n\n"
        f"Reports on {thing} from five outlets; they differ on the cost.\n"
    )


def generated_site(root: Path, briefings: int, articles: int) -> None:
    """B briefings x A articles under `root/content/`, each briefing with an index.md;
    the same arguments, the same bytes."""
    rng = random.Random(20240501)
    for story in range(briefings):
        folder = root / "content" / f"story-{story:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.md").write_text(index_text(story), encoding="utf-8")
        for number in range(articles):
            outlet = OUTLETS[number % len(OUTLETS)]
            folder = root / "content" / f"story-{story:04d}"
            folder.mkdir(parents=True, exist_ok=True)
            if number % 2:
                text = plain_article_text(rng, story, outlet)
                path = folder / f"source-{number}.txt"
            else:
                text = article_text(rng, story, outlet)
                path = folder / f"source-{number}.md"
            path.write_text(text, encoding="utf-8")


def article_files(root: Path) -> list[Path]:
    """Every generated article, in build order."""
    return sorted(path for path in (root / "content").glob("*/source-*") if path.is_file())
