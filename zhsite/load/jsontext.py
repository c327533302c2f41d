"""JSON text → values every reader can trust: finite numbers of sane size, text that can be written.

Python's ``json`` accepts what JSON does not (``NaN``, ``Infinity``), gives up
with a ``ValueError`` on integers past 4,300 digits, and turns a lone
``\\ud800`` escape into a string no page can be encoded from.  Scrapers write
all of these, so each is reported at its place (``article[0].upvote``) and
replaced: a number by nothing, the surrogate by U+FFFD.  Readers then never
meet them, and one odd field costs one line rather than the file or the build.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

from zhsite.load.fields import SURROGATE, SURROGATE_TEXT, without_surrogates
from zhsite.problems import Problem

# Ids and counts are at most 20 digits; a number far longer is damage, not data.
MAX_DIGITS = 100
NOT_JSON = "not valid JSON"
UNREADABLE_NUMBER = "number ignored"
SURROGATE_KEY = "key holds a lone UTF-16 surrogate; replaced with U+FFFD"
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


@dataclass(frozen=True)
class Unreadable:
    """A number the file holds but no reader can use, as the file spells it."""

    spelling: str
    why: str


def parse_json(text: str, source: str) -> tuple[Any, list[Problem]]:
    """The value (None if the text is not JSON) and the problems found in it."""
    found: list[Unreadable] = []

    def unreadable(spelling: str, why: str) -> Unreadable:
        found.append(Unreadable(spelling, why))
        return found[-1]

    def integer(digits: str) -> int | Unreadable:
        if len(digits.lstrip("-")) > MAX_DIGITS:
            return unreadable(f"a {len(digits.lstrip('-'))}-digit number", "is out of range")
        return int(digits)

    def real(spelling: str) -> float | Unreadable:
        value = float(spelling)
        return value if abs(value) != float("inf") else unreadable(spelling[:40], "is out of range")

    try:
        data = json.loads(text, parse_int=integer, parse_float=real, parse_constant=lambda name: unreadable(name, "is not a JSON number"))
    except json.JSONDecodeError as exc:
        return None, [Problem(source, f"{exc.lineno}:{exc.colno}", NOT_JSON, exc.msg)]
    except RecursionError:
        return None, [Problem(source, "", NOT_JSON, "nested too deeply")]
    if not found and not _ESCAPED_SURROGATE.search(text):
        return data, []
    return _cleaned(data, source)


def json_values(text: str, source: str) -> list[tuple[Any, list[Problem], str]]:
    """The file's JSON value, or each line's of a JSON Lines file (a crawler's ``.jsonl``; Scrapy's JsonWriterPipeline
    writes one item a line into ``items.json``), with its problems and where it is ("" or the line's number).

    A file is JSON Lines when its first line alone is a JSON object and more lines follow: a JSON document
    written over several lines opens with a line that is not JSON by itself.
    """
    first, _, rest = text.lstrip().partition("\n")
    if rest.strip() and first.rstrip().endswith("}") and isinstance(parse_json(first, source)[0], dict):
        return [_on_line(line, number, source) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    return [(*parse_json(text, source), "")]


def _on_line(line: str, number: int, source: str) -> tuple[Any, list[Problem], str]:
    data, problems = parse_json(line, source)
    placed = [replace(p, where=f"{number}:{p.where.partition(':')[2]}" if p.kind == NOT_JSON and p.where else
                      f"{number}:{p.where}" if p.where else str(number)) for p in problems]
    return data, placed, str(number)


def _cleaned(data: Any, source: str) -> tuple[Any, list[Problem]]:
    """*data* with each unreadable number made null and each lone surrogate made U+FFFD; one problem each.

    A walk with its own stack, not recursion: ``json`` nests deeper than Python recurses.
    """
    problems: list[Problem] = []

    def clean(value: Any, place: str) -> Any:
        if isinstance(value, Unreadable):
            problems.append(Problem(source, place, UNREADABLE_NUMBER, f"{value.spelling} {value.why}"))
            return None
        if isinstance(value, str) and SURROGATE.search(value):
            problems.append(Problem(source, place, SURROGATE_TEXT, severity="warning"))
            return without_surrogates(value)
        return value

    data = clean(data, "")
    stack: list[tuple[list | dict, str]] = [(data, "")] if isinstance(data, (list, dict)) else []
    while stack:
        container, path = stack.pop()
        if isinstance(container, dict):
            for key in list(container):
                if SURROGATE.search(key):
                    problems.append(Problem(source, f"{path}.{without_surrogates(key)}".lstrip("."), SURROGATE_KEY, severity="warning"))
                    container[without_surrogates(key)] = container.pop(key)
            places = {key: f"{path}.{key}".lstrip(".") for key in container}
        else:
            places = {index: f"{path}[{index}]" for index in range(len(container))}
        for key, place in places.items():
            container[key] = clean(container[key], place)
            if isinstance(container[key], (list, dict)):
                stack.append((container[key], place))
    return data, problems
