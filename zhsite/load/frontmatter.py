"""Front matter: the YAML (``---``) or TOML (``+++``) block atop a note.

Only the keys a note uses are read; other keys are ignored, as other tools'
notes carry plenty of their own.  A block that does not parse is an error
naming its line, and the note still builds from its body.

YAML is read with limits a note's few keys never meet: nesting at most
``MAX_DEPTH`` deep and at most ``MAX_VALUES`` values once aliases are expanded
(a "billion laughs" block is ten lines that expand to 10⁹ strings).  A value
YAML types but Python cannot hold (``date: 0000-01-01``, a 5,000-digit
integer) stays the text it was written as.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field

import yaml

from zhsite.load.fields import SURROGATE, SURROGATE_TEXT, text, without_surrogates
from zhsite.problems import Problem

_BLOCK = re.compile(r"\A(?P<fence>---|\+\+\+)[ \t]*\n(?P<text>.*?)\n(?P=fence)[ \t]*(?:\n|\Z)", re.S)
# Hexo's front matter without its opening "---" (Hexo accepts it): "key: value" lines, each maybe followed by
# indented, "- item" or blank lines, then "---". Each line's first character says which it is, so matching is linear.
_HEADLESS = re.compile(r"\A(?P<text>(?:[A-Za-z_][\w-]*[ \t]*:(?:[ \t][^\n]*)?\n(?:(?:[ \t]|- )[^\n]*\n|\n)*)+)---[ \t]*(?:\n|\Z)")
_HEADLESS_KEYS = ("title", "date")  # one of them, or "key: value" lines above a "---" are a setext heading
_TAG_KEYS = ("tags", "tag", "categories", "keywords", "topics")
# Where a note's date is written: Hugo's, Jekyll's and Hexo's ``date``; ``created`` as Joplin's front matter export and
# many Obsidian templates write it (the day the note was begun: what it is listed by), and their variants.
_DATE_KEYS = ("date", "created", "created_at", "date created", "创建时间")
MAX_DEPTH = 50
NOT_PARSED = "front matter does not parse"
NOT_A_TABLE = "front matter is not a table of keys; ignored"
NOT_A_DATE = "not a date"
NOT_TEXT = "not text"
MAX_VALUES = 10_000


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing deep nesting and alias bombs before building anything."""

    def __init__(self, stream: str, max_values: int = MAX_VALUES) -> None:
        super().__init__(stream)
        self.depth = 0
        self.values: dict[int, int] = {}  # id(node) → how many values it stands for, aliases expanded
        self.max_values = max_values

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.depth == MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels", self.peek_event().start_mark)
        self.depth += 1
        node = super().compose_node(parent, index)
        self.depth -= 1
        children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else []
        self.values[id(node)] = 1 + sum(self.values.get(id(child), 1) for child in children)
        if self.values[id(node)] > self.max_values:
            raise yaml.composer.ComposerError(None, None, f"aliases expand to more than {self.max_values:,} values", node.start_mark)
        return node

    def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
        try:
            return super().construct_object(node, deep)
        except ValueError:  # a typed scalar Python cannot hold: year 0, an integer past 4,300 digits
            return node.value


@dataclass
class FrontMatter:
    title: str = ""
    date: str = ""
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    # Not to be published: Hugo's and Zola's ``draft: true``, Jekyll's ``published: false``, Obsidian Publish's ``publish: false``.
    draft: bool = False
    # Every key as written: exporters of Zhihu posts keep their own (zhsite/load/exports.py).
    fields: dict = field(default_factory=dict)


def split_front_matter(text: str, source: str) -> tuple[FrontMatter, str, list[Problem]]:
    """(front matter, the body after it, problems)."""
    match = _BLOCK.match(text)
    if match is None:
        headless = headless_front_matter(text)
        return (front_matter(headless[0]), headless[1], []) if headless else (FrontMatter(), text, [])
    body = text[match.end():]
    try:
        data = _parse(match["fence"], match["text"])
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        return FrontMatter(), body, [Problem(source, _where(exc), NOT_PARSED, _reason(exc))]
    except RecursionError:  # tomllib recurses once per nested array
        return FrontMatter(), body, [Problem(source, "1", NOT_PARSED, "nested too deeply")]
    if not isinstance(data, dict):
        return FrontMatter(), body, [Problem(source, "1", NOT_A_TABLE, severity="warning")]
    meta = front_matter(data)
    return meta, body, _odd_values(data, meta, source, match["text"])


def headless_front_matter(text: str) -> tuple[dict, str] | None:
    """Hexo's front matter without its opening ``---``, and the body after it; None unless it reads as
    YAML keys naming a title or date (a guess that fails is no error: the text may be a note's own lines)."""
    match = _HEADLESS.match(text)
    if match is None:
        return None
    try:
        data = yaml.load(match["text"], Loader=_BoundedLoader)
    except (yaml.YAMLError, RecursionError):
        return None
    if not isinstance(data, dict) or not any(data.get(key) for key in _HEADLESS_KEYS):
        return None
    return data, text[match.end():]


def _parse(fence: str, text: str) -> object:
    if fence == "+++":
        return tomllib.loads(text)
    return bounded_yaml(text) or {}


def bounded_yaml(text: str, max_values: int = MAX_VALUES) -> object:
    """*text* read as YAML by PyYAML's safe loader, refusing nesting past :data:`MAX_DEPTH` and more than *max_values*
    values (aliases expanded) before building anything: yaml.YAMLError for those as for any YAML it cannot read."""
    loader = _BoundedLoader(text, max_values)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _where(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:  # YAML counts from 0 and from the line after the fence
        return f"{mark.line + 2}:{mark.column + 1}"
    found = re.search(r"at line (\d+), column (\d+)", str(exc))
    return f"{int(found[1]) + 1}:{found[2]}" if found else "1"


def _reason(exc: Exception) -> str:
    problem = getattr(exc, "problem", None)
    return problem or re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))


def front_matter(data: dict) -> FrontMatter:
    tags = next((data[key] for key in _TAG_KEYS if data.get(key)), [])
    if isinstance(tags, str):
        tags = re.split(r"[,，、]", tags)
    elif not isinstance(tags, list):
        tags = [tags]
    return FrontMatter(
        title=text(_text(data.get("title"))),  # a title of U+200B only is none
        date=next((date for date in (_date(data.get(key)) for key in _DATE_KEYS) if date), ""),
        tags=[name for name in (text(_text(t)) for t in tags) if name],
        summary=text(_text(data.get("summary") or data.get("description"))),
        draft=data.get("draft") is True or data.get("published") is False or data.get("publish") is False,
        fields=data,
    )


def _text(value: object) -> str:
    """A scalar's text (a number, a date as written: ``title: 2024`` is a title); "" for none, a list, a table or a yes/no,
    which Python would spell as ``['a', 'b']`` or ``True`` (:func:`_odd_values` says so)."""
    if not _is_text(value):
        return ""
    return without_surrogates(" ".join(str(value).split()))


def _is_text(value: object) -> bool:
    return isinstance(value, str | int | float | dt.date) and not isinstance(value, bool)


def _odd_values(data: dict, meta: FrontMatter, source: str, block: str) -> list[Problem]:
    """A date that is no date, a title, summary or tag that is no text, and text holding lone surrogates (from
    ``"\\ud800"`` escapes), each a warning at its line."""
    problems = []
    if data.get("date") and not meta.date:
        problems.append(Problem(source, _line_of("date", block), NOT_A_DATE, f"date {_shown(data['date'])}; the note has none", severity="warning"))
    tag_key = next((key for key in _TAG_KEYS if data.get(key)), "")
    tags = data.get(tag_key) if isinstance(data.get(tag_key), list) else [data.get(tag_key)] if tag_key else []
    for key, values in (("title", [data.get("title")]), ("summary", [data.get("summary") or data.get("description")]), (tag_key, tags)):
        for value in values:
            if value is not None and not _is_text(value):
                problems.append(Problem(source, _line_of(key, block), NOT_TEXT, f"{key} {_shown(value)}; ignored", severity="warning"))
    for key in ("title", "summary", "description", *_TAG_KEYS):
        value = data.get(key)
        if any(SURROGATE.search(str(part)) for part in (value if isinstance(value, list) else [value])):
            problems.append(Problem(source, _line_of(key, block), SURROGATE_TEXT, severity="warning"))
    return problems


def _shown(value: object) -> str:
    """A front matter value as YAML would write it, for a warning."""
    if _is_text(value):
        return repr(_text(value))
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=200).removesuffix("\n...\n").strip()[:80]


def _line_of(key: str, block: str) -> str:
    """The line of the note where *key* is set (the fence is line 1)."""
    found = re.search(rf"^[ \t]*['\"]?{key}\b", block, re.M)
    return str(block.count("\n", 0, found.start()) + 2) if found else "1"


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
