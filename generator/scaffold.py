"""`briefing new` and `briefing new-site`: write the starting files of a briefing or a site.

Nothing is ever overwritten: an existing target is an error naming it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import fields
from pathlib import Path

from generator.config import Settings
from generator.errors import BriefingError, Problem
from generator.load import slugify
from generator.theme import BUILTIN_THEMES

# One comment per site.toml key; a test checks every Settings field has one.
SETTING_COMMENTS: dict[str, str] = {
    "title": "Site name: page titles, the header, the feed's title",
    "base_url": (
        'Public address of the site, e.g. "https://example.org/news/". Needed for canonical\n'
        "# links, Open Graph, sitemap.xml and feed links readers can follow; `briefing build\n"
        "# --base-url URL` overrides it. Empty: links stay relative, no sitemap"
    ),
    "language": "ISO code of the articles' language: sentence splitting, stemming, <html lang>",
    "theme": "Folder under themes/ (yours first, then the built-in one)",
    "algorithm": "Summarizer: lexrank, lsa, luhn, textrank, edmundson, kl or sumbasic",
    "source_sentences": "Sentences in each source's summary (1-50)",
    "lead_words": "Length of a briefing's lead in words (10-2000); index.md may override it",
    "search": "Search box over all briefings (search-index.js, works offline)",
    "feed_entries": "How many of the newest briefings feed.xml holds (1-100000)",
    "per_page": "Briefings on each page of the home page and of a topic (0: all on one page)",
}

ARTICLE_TEMPLATE = """\
---
# Every key is optional; remove the `#` to use one.
# title: The article's headline
# outlet: Who published it
# url: https://example.org/the-original-article
# published: {today}
# author: Jane Reporter
# language: en
---
Paste the article's text here, one paragraph per line or Markdown paragraphs.
Rename this file after the outlet (for example `valley-wire.md`); add one file per
article about the story. Plain-text `.txt` and saved `.html` pages work too.
"""

INDEX_TEMPLATE = """\
---
title: {title}
date: {today}
# tags: [topic, another topic]
# lead_words: 150
---
An optional editor's note in Markdown, shown above the lead. Delete it if not needed.
"""

THEMES_NOTE = """\
# Themes

Pages are made from the built-in `default` theme, installed with the package:

    {builtin}

To change a template or the stylesheet, copy just that file here, keeping its path,
and edit the copy; every file you do not copy keeps coming from the built-in theme
(copy-on-demand). For example:

    mkdir -p themes/default/static
    cp "{builtin}/default/static/style.css" themes/default/static/

A theme under another name (`themes/mine/`, with `theme = "mine"` in site.toml) falls
back to `default` file by file in the same way.
"""

GITIGNORE = "output/\n.output.*\n.briefing-cache/\n"

EXAMPLE_SLUG = "riverside-library-reopens"
EXAMPLE_ARTICLES = {
    "town-herald.md": """\
---
title: Riverside library reopens after a year of repairs
outlet: Town Herald
published: 2025-05-02
author: Ada Lane
---
The Riverside library reopened on Friday after a year of repairs to its flooded basement.

The council spent 1.2 million pounds on new drains, a raised floor and a children's room.

"We have our library back," said the mayor, Tom Reyes, at the opening.

About 400 people visited on the first day, according to the library's staff.

Opening hours are longer than before the flood: the library now closes at 8pm.
""",
    "valley-radio.md": """\
---
title: Library back in business as Riverside celebrates
outlet: Valley Radio
published: 2025-05-02
---
Riverside's library opened its doors again on Friday, a year after floods closed it.

Repairs to the basement cost the council 1.3 million pounds, the radio was told.

The mayor, Tom Reyes, cut the ribbon and thanked the builders.

The new children's room has space for 40 readers and a story corner.

Staff said more than 400 visitors came through the doors on the first day.
""",
}


def _refuse_existing(paths: list[Path]) -> None:
    existing = [path for path in paths if path.exists()]
    if existing:
        raise BriefingError(
            [Problem(str(path), "already exists; nothing was written") for path in existing]
        )


def _write_all(files: dict[Path, str]) -> list[Path]:
    _refuse_existing(list(files))
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


def new_briefing(content_dir: Path, name: str, today: dt.date | None = None) -> list[Path]:
    """`content/<slug>/index.md` (title, date) and `article.md` (every key commented)."""
    slug = slugify(name)
    if not slug:
        raise BriefingError(Problem(name, "a briefing name needs letters or digits"))
    folder = content_dir / slug
    _refuse_existing([folder])
    date = (today or dt.date.today()).isoformat()
    title = name if slug != name else slug.replace("-", " ").capitalize()
    return _write_all(
        {
            folder / "index.md": INDEX_TEMPLATE.format(title=_yaml_text(title), today=date),
            folder / "article.md": ARTICLE_TEMPLATE.format(today=date),
        }
    )


def site_toml(settings: Settings | None = None) -> str:
    """Every key with its comment and its default value."""
    settings = settings or Settings()
    lines = ["# Briefing site settings. Every key is optional; these are the defaults.", ""]
    for field in fields(Settings):
        lines.append(f"# {SETTING_COMMENTS[field.name]}.")
        lines.append(f"{field.name} = {_toml_value(getattr(settings, field.name))}")
        lines.append("")
    return "\n".join(lines)


def new_site(target: Path, today: dt.date | None = None) -> list[Path]:
    """A whole site: site.toml, content/ with one example briefing, themes/README.md."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BriefingError(Problem(str(target), "already exists and is not empty"))
    date = (today or dt.date(2025, 5, 2)).isoformat()
    example = target / "content" / EXAMPLE_SLUG
    files = {
        target / "site.toml": site_toml(Settings(title="My briefings")),
        target / ".gitignore": GITIGNORE,
        target / "themes" / "README.md": THEMES_NOTE.format(builtin=BUILTIN_THEMES),
        example / "index.md": INDEX_TEMPLATE.format(
            title="Riverside library reopens", today=date
        ).replace("# tags: [topic, another topic]", "tags: [libraries, Riverside]"),
    }
    files.update({example / name: text for name, text in EXAMPLE_ARTICLES.items()})
    return _write_all(files)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _yaml_text(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)
