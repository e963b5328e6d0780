"""Front matter as nearly every article has it, read without PyYAML.

`key: value` lines, each value plain text or quoted, on one line, are split here
(`simple_lines`).  Their values are typed as PyYAML's safe loader types them: a value
PyYAML's resolver could read as a boolean, null, number or date is typed by PyYAML
(`generator.yaml_header`), except the two forms articles carry, a whole number and a
`YYYY-MM-DD` date, which are typed here (`plain_header`); plain text and quoted text
are strings.  A build that reads only such headers does not import PyYAML (about
0.03 s).  tests/unit/test_load.py compares both with `yaml.safe_load`, on fixed
headers and on generated ones.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_SIMPLE_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_]{0,99}):(?: (.+))?")
# Characters YAML reads as text inside a value: printable, neither tab nor line break
# (\x85, \u2028, \u2029 are line breaks to YAML), no byte-order mark.
_VALUE_CHARS = re.compile(
    "[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)
QUOTED_VALUE = re.compile(r"\"[^\"\\]*\"|'[^']*'")
_PLAIN_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"  # what a plain value may not start with

# The first characters for which PyYAML's safe loader has an implicit resolver (booleans,
# floats, ints, merge keys, nulls, timestamps, `=`): a plain scalar starting with any
# other character is a string.  Of those, the words it reads as a boolean or a null.
_RESOLVED_FIRST = frozenset("yYnNtTfFoO-+0123456789.<~=!&*")
_BOOL_AND_NULL_WORDS = frozenset(
    ("yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
     "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~")
)  # fmt: skip
_DECIMAL = re.compile(r"0|[1-9][0-9]*")  # (PyYAML reads "012" as octal, "1_0" as 10)
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")  # (one-digit parts need a time)

# A one-line list of plain words YAML reads item by item as written: "[a, b c]".  An
# item has no flow indicator or "?" (where PyYAML's scanner stops a plain scalar in a
# list), no quote, colon, "#" or white space but single spaces inside, and does not
# start with an indicator; items are kept apart by ", ".
_FLOW_ITEM = r"[^\s,\[\]{}#:'\"?&*!|>%@`-][^\s,\[\]{}#:'\"?]*(?: [^\s,\[\]{}#:'\"?]+)*"
_FLOW_LIST = re.compile(rf"\[(?:{_FLOW_ITEM}(?:, {_FLOW_ITEM})*)?\]")

_UNSURE = object()  # a scalar only PyYAML types as PyYAML does


def simple_lines(header: str, lists: bool = False) -> list[tuple[str, str | None]] | None:
    """The header's (key, value text or None) pairs when it is only simple `key: value`
    lines (with `lists`, a value may also be a one-line list of plain words,
    `[bridges, Harlow Ferry]`), else None."""
    lines: list[tuple[str, str | None]] = []
    for line in header.split("\n"):
        if not line:
            continue
        found = _SIMPLE_LINE.fullmatch(line)
        if found is None:
            return None
        value = found[2]
        if value is not None and not (_is_simple_value(value) or (lists and _is_list(value))):
            return None
        lines.append((found[1], value))
    return lines


def _is_list(value: str) -> bool:
    return bool(_VALUE_CHARS.fullmatch(value) and _FLOW_LIST.fullmatch(value))


def _is_simple_value(value: str) -> bool:
    """A quoted value without escapes, or a plain one YAML reads as exactly this text."""
    if not _VALUE_CHARS.fullmatch(value):
        return False
    if QUOTED_VALUE.fullmatch(value):
        return True
    return (
        value[0] not in _PLAIN_INDICATORS
        and value == value.strip(" ")
        and "  " not in value
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
    )


def plain_header(header: str) -> dict[str, Any] | None:
    """The header's values when it is simple lines whose keys and values are typed
    without PyYAML (see the module's docstring), else None."""
    lines = simple_lines(header, lists=True)
    if lines is None:
        return None
    values: dict[str, Any] = {}
    for key, text in lines:
        value = _typed_value(text) if text is not None else None
        if _typed(key) is _UNSURE or value is _UNSURE:
            return None
        values[key] = value
    return values


def _typed_value(text: str) -> Any:
    """A value's text typed (a list's, item by item), or `_UNSURE`.  (`simple_lines`
    let it through: a value starting with "[" is a list, as no other simple one does.)"""
    if not text.startswith("["):
        return _typed(text)
    items = [_typed(item) for item in text[1:-1].split(", ")] if text != "[]" else []
    return _UNSURE if _UNSURE in items else items


def _typed(text: str) -> Any:
    """A simple scalar's value as PyYAML's safe loader reads it, or `_UNSURE`."""
    if QUOTED_VALUE.fullmatch(text):
        return text[1:-1]
    if not text:
        return None
    if text[0] not in _RESOLVED_FIRST:
        return text
    if text[0].isalpha():  # (y, n, t, f, o: only these words resolve to other types)
        return _UNSURE if text in _BOOL_AND_NULL_WORDS else text
    if _DECIMAL.fullmatch(text):
        return int(text)
    date = _DATE.fullmatch(text)
    if date is not None:
        try:
            return dt.date(int(date[1]), int(date[2]), int(date[3]))
        except ValueError:  # (PyYAML says what is wrong with it)
            return _UNSURE
    return _UNSURE
