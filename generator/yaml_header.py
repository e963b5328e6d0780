"""Front-matter headers read as YAML: PyYAML's safe loader without anchors and aliases,
and a shortcut for headers of plain `key: value` lines.

Imported by `generator.load` when a file has front matter, not with it: a build that
reads no file (nothing changed) need not import PyYAML.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from generator.errors import BriefingError, Problem
from generator.front_matter import QUOTED_VALUE, simple_lines


def parse_yaml(header: str, shown: str) -> dict[str, Any]:
    """The values of a front-matter header (the lines between the `---`), as
    `yaml.safe_load` reads them, without anchors and aliases; BriefingError naming the
    file (`shown`) and line for anything else."""
    try:
        simple = simple_yaml(header)
        if simple is not None:
            return simple
        parsed = _EventLoader(_refuse_aliases(header, shown)).get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or "cannot be parsed"
        raise BriefingError(Problem(shown, f"invalid YAML front matter: {problem}", line)) from None
    except (ValueError, OverflowError) as error:  # a date YAML reads but the calendar lacks
        message = f"invalid date in front matter: {error}"
        raise BriefingError(Problem(shown, message, _impossible_date_line(header))) from None
    if parsed is None:
        return {}
    if not isinstance(parsed, dict):
        kind = type(parsed).__name__
        raise BriefingError(
            Problem(shown, f"front matter must be 'key: value' lines, not a YAML {kind}", 2)
        )
    return parsed


_YAML_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")


def _impossible_date_line(header: str) -> int | None:
    """The file line of the first `YYYY-MM-DD` in the front matter that is no date."""
    for number, line in enumerate(header.split("\n"), start=2):  # line 1 is the ---
        for year, month, day in _YAML_DATE.findall(line):
            try:
                dt.date(int(year), int(month), int(day))
            except ValueError:
                return number
    return None


def _refuse_aliases(header: str, shown: str) -> list[yaml.Event]:
    """Anchors and aliases (`&a`, `*a`) are refused before anything is built: nested
    aliases expand exponentially ("billion laughs"), and front matter never needs them.
    Returns the parsed events, which `_EventLoader` builds the document from."""
    events: list[yaml.Event] = []
    for event in yaml.parse(header, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            line = event.start_mark.line + 2
            message = "YAML anchors and aliases ('&name', '*name') are not allowed in front matter"
            raise BriefingError(Problem(shown, message, line))
        events.append(event)
    return events


class _EventLoader(
    yaml.composer.Composer, yaml.constructor.SafeConstructor, yaml.resolver.Resolver
):
    """`yaml.safe_load` from events already parsed: the same composer, resolver and
    constructor, without parsing the header a second time."""

    def __init__(self, events: list[yaml.Event]) -> None:
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self._events = events[::-1]  # next event last

    def check_event(self, *choices: type[yaml.Event]) -> bool:
        if not self._events:
            return False
        return not choices or isinstance(self._events[-1], choices)

    def peek_event(self) -> yaml.Event | None:
        return self._events[-1] if self._events else None

    def get_event(self) -> yaml.Event | None:
        return self._events.pop() if self._events else None


# Front matter of simple `key: value` lines (`generator.front_matter`) whose values
# only PyYAML types as PyYAML does (booleans, nulls, other numbers and dates) is read
# without the YAML parser, its values typed by PyYAML's own resolver and constructor;
# anything else is parsed in full.
_SIMPLE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp", "str")
)


def simple_yaml(header: str) -> dict[str, Any] | None:
    """The header's values when it is only simple `key: value` lines, else None."""
    lines = simple_lines(header)
    if lines is None:
        return None
    builder = _SimpleYaml()
    pairs = [(builder.scalar(key), builder.scalar(value or "")) for key, value in lines]
    if any(key is None or value is None for key, value in pairs):
        return None
    return builder.construct_document(yaml.MappingNode("tag:yaml.org,2002:map", pairs))


class _SimpleYaml(yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """PyYAML's tag resolution and construction, for nodes of simple front matter."""

    def __init__(self) -> None:
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def scalar(self, text: str) -> yaml.ScalarNode | None:
        """The node YAML composes for this key or value (None for an unusual tag)."""
        if QUOTED_VALUE.fullmatch(text):
            tag = self.resolve(yaml.ScalarNode, text[1:-1], (False, True))
            return yaml.ScalarNode(tag, text[1:-1])
        tag = self.resolve(yaml.ScalarNode, text, (True, False))
        return yaml.ScalarNode(tag, text) if tag in _SIMPLE_TAGS else None
