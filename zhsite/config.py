"""``zhsite.toml``: one typed configuration, validated once at start-up.

Every key is a field of :class:`Config` with its type and default; the
table in docs/configuration.md documents the same keys.  One reader walks the fields: each value is
read as its type hint says (a ``Literal`` is a choice, a list a tuple, a table
a dataclass or key = value pairs) and kept to the checks (:class:`Check`) given in
its ``Annotated`` hint.  Unknown keys and wrong types are errors that name the
key, so a typo never silently falls back to a default; a key that moved
(:data:`MOVED`) is still read where it was, with a warning.
"""
from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin, get_type_hints

from zhsite.problems import BuildError, Problem

CONFIG_FILE = "zhsite.toml"
NOT_TOML = "not valid TOML"
NOT_UTF8 = "not UTF-8"
DEPRECATED_KEY = "deprecated key"
UNKNOWN_KEY = "unknown key"
WRONG_VALUE = "wrong value"
REFUSED_OUTPUT = "refused as output folder"


@dataclass(frozen=True)
class Check:
    """A rule a key's value keeps beyond its type, given in the field's ``Annotated`` hint.

    The message for a value that breaks it is ``expected <expected>, got …``
    (then also said for a value of the wrong type, as *expected* names the
    type too: "an int >= 0"), else ``<fault>, got …``.
    """

    holds: Callable[[Any], bool]
    expected: str = ""
    fault: str = ""


def _web_address(url: str) -> bool:
    return url.startswith(("http://", "https://"))


# A host name: dot-separated labels of letters, digits and hyphens, none starting or ending with one.
_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
_HOST_NAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")


def host_name(text: str) -> bool:
    """*text* is a domain a CNAME file may hold: one line, nothing a command line would read as an option."""
    return len(text) <= 253 and _HOST_NAME.fullmatch(text) is not None


def at_least(least: int) -> Check:
    return Check(lambda n: n >= least, expected=f"an int >= {least}")


# Checks named once, as annotations are read back from their text (get_type_hints).
WEB_ADDRESS_OR_EMPTY = Check(lambda url: not url or _web_address(url), fault="must start with http:// or https://")
WEB_ADDRESSES = Check(lambda pair: all(map(_web_address, pair)), fault="both sides must start with http:// or https://")
HOST_NAME_OR_EMPTY = Check(lambda name: not name or host_name(name), fault="must be a host name such as archive.example.org")
SECONDS = Check(lambda seconds: seconds > 0, expected="a positive number of seconds")


@dataclass(frozen=True)
class ImagesConfig:
    """``[images]``: where pages take their pictures from; paths are relative to the project."""

    # "local": copies in the site (a picture whose host did not answer keeps its URL); "remote": pages point at the archive's URLs.
    # Local by default: an archive's pictures must outlive the hosts (docs/images.md, "Why this default").
    mode: Literal["remote", "local"] = "local"
    dirs: tuple[str, ...] = ()  # folders searched first, by file name or Zhihu v2-<hash> id
    # URL prefix -> replacement, from a table; applied when downloading, longest prefix first (zhsite/images/fetch.py).
    mirrors: tuple[Annotated[tuple[str, str], WEB_ADDRESSES], ...] = ()
    offline: bool = False  # local folders and cache only, no network at all
    # seconds, per connection attempt and per read
    timeout: Annotated[float, SECONDS] = 20.0
    retries: Annotated[int, at_least(0)] = 3  # for 5xx, timeouts and cut-off bodies; never for 4xx
    concurrency: Annotated[int, at_least(1)] = 8
    per_host: Annotated[int, at_least(1)] = 4


@dataclass(frozen=True)
class Config:
    title: str = "知乎专栏存档"
    description: str = ""
    author: str = ""
    # Used only where a URL must be absolute (feeds, sitemap, canonical link).
    base_url: Annotated[str, WEB_ADDRESS_OR_EMPTY] = "http://localhost:8000/"
    language: str = "zh-CN"
    # The custom domain ``zhsite deploy`` writes to CNAME on the Pages branch (zhsite/deploy.py); "": keep the branch's.
    cname: Annotated[str, HOST_NAME_OR_EMPTY] = ""
    theme: str = "default"
    output_dir: str = "site"
    content_dir: str = "content"
    # The build cache and downloaded images (zhsite/cache.py, zhsite/images/cache.py); see cache_path.
    cache_dir: str = ".zhsite-cache"
    # Full-text search (zhsite/search/): the pages' text for the browser, a search box on every page and search.html.
    search: bool = True
    search_comments: bool = False
    # A notice on each page whose text reads as scrambled by Zhihu's anti-crawler, or was restored (docs/scrambled.md).
    scrambled_notice: bool = True
    # Link previews (docs/reading.md): hovering or focusing a link to another archived page shows its title,
    # column, date and first lines, from the small scripts under previews/.
    previews: bool = True
    epub: bool = False  # each column's e-book built into the site (epub/<slug>.epub) and linked from its page
    images: ImagesConfig = field(default_factory=ImagesConfig)  # [images]: see ImagesConfig
    # Warnings on what the file says (a deprecated key): not a key, reported with the build's problems.
    problems: tuple[Problem, ...] = field(default=(), compare=False, metadata={"in_file": False})

    @property
    def site_url(self) -> str:
        return self.base_url.rstrip("/") + "/"


def load_config(project: Path, overrides: Mapping[str, Any] | None = None) -> Config:
    """The project's configuration; *overrides* (from command-line options) win over the file."""
    path = project / CONFIG_FILE
    raw, problems = _toml(path) if path.is_file() else ({}, [])
    overrides = dict(overrides or {})
    image_overrides = {k: v for k, v in (overrides.pop("images", None) or {}).items() if v is not None}
    raw |= {key: value for key, value in overrides.items() if value is not None}
    if image_overrides:  # command-line options change single keys of the [images] table
        table = raw.get("images", {})
        raw["images"] = {**table, **image_overrides} if isinstance(table, Mapping) else table
    problems += _moved_keys(raw, str(path))
    return dataclasses.replace(_read(Config, raw, str(path), ""), problems=tuple(problems))


def _toml(path: Path) -> tuple[dict[str, Any], list[Problem]]:
    """The file's table; one saved as GB18030 (Notepad's 'ANSI' on Chinese Windows) is read as such, with a warning:
    TOML is UTF-8, but refusing it would stop a build over the title's encoding."""
    data = path.read_bytes()
    try:
        text, problems = data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise BuildError(Problem(str(path), "", NOT_TOML, f"neither UTF-8 nor GB18030 (byte {exc.start})")) from None
        problems = [Problem(str(path), "", NOT_UTF8, "read as GB18030 (GBK); save it as UTF-8, as TOML asks", severity="warning")]
    try:
        return tomllib.loads(text), problems
    except tomllib.TOMLDecodeError as exc:
        raise BuildError(Problem(str(path), "", NOT_TOML, str(exc))) from None


# Keys that moved: (table, key) -> the top-level key now read instead.
MOVED = {("images", "cache_dir"): "cache_dir"}


def _moved_keys(raw: dict[str, Any], file: str) -> tuple[Problem, ...]:
    """Read a moved key where it was (unless the new key is set too), with a warning naming both places."""
    problems = []
    for (table, old), new in MOVED.items():
        if not isinstance(raw.get(table), Mapping) or old not in raw[table]:
            continue
        raw[table] = dict(raw[table])
        value = raw[table].pop(old)
        ignored = new in raw
        raw.setdefault(new, value)
        advice = f"ignored, as {new} is set at the top" if ignored else f"write {new} at the top of {CONFIG_FILE} (before any [table]) instead"
        problems.append(Problem(file, f"{table}.{old}", DEPRECATED_KEY, advice, severity="warning"))
    return tuple(problems)


def cache_path(project: Path, config: Config) -> Path:
    """The cache folder (``cache_dir``): the build cache (zhsite/cache.py) and the downloaded images."""
    return project / config.cache_dir


class _NotOfType(Exception):
    """A value is not of the type a field's hint names."""


def _read(cls: type, table: Mapping[str, Any], file: str, prefix: str) -> Any:
    """An instance of the dataclass *cls* from a TOML table, each key read as its field's type hint says."""
    hints = get_type_hints(cls, include_extras=True)
    known = [f.name for f in dataclasses.fields(cls) if f.metadata.get("in_file", True)]
    values = {}
    for key, value in table.items():
        if key not in known:
            raise BuildError(Problem(file, prefix + key, UNKNOWN_KEY, f"known keys: {', '.join(known)}"))
        values[key] = _value(hints[key], value, file, prefix + key)
    return cls(**values)


def _value(hint: Any, value: Any, file: str, key: str) -> Any:
    """*value* as the type *hint* names, and kept to the hint's checks; else the problem, naming *key*."""
    hint, checks = _unwrapped(hint)
    expected = next((check.expected for check in checks if check.expected), "") or _words(hint)
    try:
        read = _typed(hint, value, file, key)
    except _NotOfType:
        raise BuildError(Problem(file, key, WRONG_VALUE, f"expected {expected}, got {type(value).__name__} {value!r}")) from None
    for check in checks:
        if not check.holds(read):
            raise BuildError(Problem(file, key, WRONG_VALUE, f"{f'expected {check.expected}' if check.expected else check.fault}, got {value!r}"))
    return read


def _typed(hint: Any, value: Any, file: str, key: str) -> Any:
    """*value* in the type *hint* names: a TOML table as a dataclass or as (key, value) pairs, a list as a tuple."""
    args = get_args(hint)
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, Mapping):
            raise _NotOfType
        return _read(hint, value, file, f"{key}.")
    if get_origin(hint) is Literal:
        if value not in args:
            raise BuildError(Problem(file, key, WRONG_VALUE, f"must be one of {', '.join(map(repr, args))}, got {value!r}"))
        return value
    if get_origin(hint) is tuple and args[-1] is not Ellipsis:  # one (key, value) pair of a table
        return tuple(_value(arg, item, file, key) for arg, item in zip(args, value, strict=True))
    if get_origin(hint) is tuple:
        pairs = get_origin(_unwrapped(args[0])[0]) is tuple
        if not isinstance(value, Mapping if pairs else list):
            raise _NotOfType
        return tuple(_value(args[0], item, file, key) for item in (value.items() if pairs else value))
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
        raise _NotOfType
    return value


def _unwrapped(hint: Any) -> tuple[Any, tuple[Check, ...]]:
    """The type an ``Annotated`` hint names, and its checks."""
    if get_origin(hint) is Annotated:
        bare, *checks = get_args(hint)
        return bare, tuple(checks)
    return hint, ()


def _words(hint: Any) -> str:
    """How a message names the type *hint*: "a str", "a list of str", "a table of str = str"."""
    if dataclasses.is_dataclass(hint):
        return "a table"
    if get_origin(hint) is tuple:
        item = _unwrapped(get_args(hint)[0])[0]
        if get_origin(item) is tuple:
            return "a table of " + " = ".join(_unwrapped(arg)[0].__name__ for arg in get_args(item))
        return f"a list of {item.__name__}"
    if hint is float:
        return "a number"
    return f"{'an' if hint.__name__[0] in 'aeiou' else 'a'} {hint.__name__}"


# zhsite writes this file into every site it builds: a folder holding it is zhsite's to replace.
OUTPUT_MARKER = ".zhsite-output"


class OutputRefused(BuildError):
    """The output folder would replace or mix with files zhsite did not write; nothing was touched."""


# What a site zhsite built holds at its top, in every version: the home page, the 404 page, search.html,
# the feeds and sitemap, and the folders of pages (zhsite/model.py), themes' files, images, the search index and link previews.
SITE_ENTRIES = frozenset({
    OUTPUT_MARKER, "index.html", "404.html", "search.html", "feed.xml", "sitemap.xml",
    "p", "answers", "columns", "questions", "notes", "topics", "authors", "static", "images", "search", "previews",
})


def file_systems_own(folder: Path) -> set[str]:
    """The entries at the top of *folder* that are its disk's, not anyone's: the ``lost+found`` a disk formatted
    ext2/3/4 holds, when *folder* is such a disk mounted (a Docker volume, another disk) as an output folder."""
    return {"lost+found"} if os.path.ismount(folder) else set()


def not_written_by_zhsite(folder: Path) -> list[str]:
    """The entries at the top of *folder* that zhsite did not write, sorted; none for a site it built.

    A site carries the marker; one built before zhsite wrote a marker is taken
    for a site when its home page names zhsite as generator and it holds
    nothing a site does not: without that fallback every existing ``site/``
    would be refused once on upgrade, and without the second test a folder
    holding a copied zhsite page beside ``thesis.docx`` would be replaced whole.
    """
    if (folder / OUTPUT_MARKER).is_file():
        return []
    entries = sorted(set(entry.name for entry in folder.iterdir()) - file_systems_own(folder))
    try:
        with open(folder / "index.html", "rb") as home:
            generated = b'<meta name="generator" content="zhsite">' in home.read(4096)
    except OSError:
        generated = False
    return [name for name in entries if not generated or name not in SITE_ENTRIES]


def check_output(project: Path, config: Config, output: Path) -> None:
    """Refuse an output folder that is, holds or sits in a folder of the user's, before anything is written.

    A build replaces its output folder whole, so ``-o content`` would delete
    the archives, ``-o .`` the project, and ``-o content/site`` would be read
    back as content by the next build.
    """
    target = output.resolve()
    root = project.resolve()
    if target == root or target in root.parents:
        raise OutputRefused(Problem(str(output), "", REFUSED_OUTPUT, "it holds the project, which a build would replace"))
    theirs = {
        "the content folder": project / config.content_dir,
        "the build cache": cache_path(project, config),
        "the project's templates": project / "templates",
        "the project's themes": project / "themes",
        "zhsite's own themes": Path(str(files("zhsite.themes"))),
    }
    for name, folder in theirs.items():
        folder = folder.resolve()
        if target == folder or folder in target.parents or target in folder.parents:
            raise OutputRefused(Problem(str(output), "", REFUSED_OUTPUT, f"it is, holds or sits in {name} ({folder})"))
    if target.is_file():
        raise OutputRefused(Problem(str(output), "", REFUSED_OUTPUT, "it is a file"))
    foreign = not_written_by_zhsite(target) if target.is_dir() else []
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise OutputRefused(Problem(str(output), "", REFUSED_OUTPUT, f"it holds files zhsite did not write (no {OUTPUT_MARKER}): "
                                                                     f"{shown}; empty it or choose another folder"))
