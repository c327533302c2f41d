"""Front matter: the YAML (``---``) or TOML (``+++``) block atop a note.

Only the keys a note uses are read; other keys are ignored, as other tools'
notes carry plenty of their own.  A block that does not parse is an error
naming its line, and the note still builds from its body.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field

import yaml

from zhsite.problems import Problem

_BLOCK = re.compile(r"\A(?P<fence>---|\+\+\+)[ \t]*\n(?P<text>.*?)\n(?P=fence)[ \t]*(?:\n|\Z)", re.S)
_TAG_KEYS = ("tags", "tag", "categories", "keywords", "topics")


@dataclass
class FrontMatter:
    title: str = ""
    date: str = ""
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    # Every key as written: exporters of Zhihu posts keep their own (zhsite/load/exports.py).
    fields: dict = field(default_factory=dict)


def split_front_matter(text: str, source: str) -> tuple[FrontMatter, str, list[Problem]]:
    """(front matter, the body after it, problems)."""
    match = _BLOCK.match(text)
    if match is None:
        return FrontMatter(), text, []
    body = text[match.end():]
    try:
        data = _parse(match["fence"], match["text"])
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        return FrontMatter(), body, [Problem(source, _where(exc), f"front matter does not parse: {_reason(exc)}")]
    if not isinstance(data, dict):
        return FrontMatter(), body, [Problem(source, "1", "front matter is not a table of keys; ignored", "warning")]
    return _front_matter(data), body, []


def _parse(fence: str, text: str) -> object:
    if fence == "+++":
        return tomllib.loads(text)
    return yaml.safe_load(text) or {}


def _where(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:  # YAML counts from 0 and from the line after the fence
        return f"{mark.line + 2}:{mark.column + 1}"
    found = re.search(r"at line (\d+), column (\d+)", str(exc))
    return f"{int(found[1]) + 1}:{found[2]}" if found else "1"


def _reason(exc: Exception) -> str:
    problem = getattr(exc, "problem", None)
    return problem or re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))


def _front_matter(data: dict) -> FrontMatter:
    tags = next((data[key] for key in _TAG_KEYS if data.get(key)), [])
    if isinstance(tags, str):
        tags = re.split(r"[,，、]", tags)
    elif not isinstance(tags, list):
        tags = [tags]
    return FrontMatter(
        title=_text(data.get("title")),
        date=_date(data.get("date")),
        tags=[name for name in (_text(t) for t in tags) if name],
        summary=_text(data.get("summary") or data.get("description")),
        fields=data,
    )


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _date(value: object) -> str:
    """ISO 8601, the form feeds and ``<time>`` need, whatever the note wrote."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return normalise_date(_text(value))


_LOOSE_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2}):(\d{2}))?")


def normalise_date(text: str) -> str:
    """``2024/04/27 13:22`` → ``2024-04-27T13:22``; text that is no date → ``""``."""
    match = _LOOSE_DATE.search(text)
    if match is None:
        return ""
    year, month, day, hour, minute = match.groups()
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return ""
    return f"{date.isoformat()}T{int(hour):02d}:{minute}" if hour else date.isoformat()
