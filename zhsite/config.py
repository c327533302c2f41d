"""``zhsite.toml``: one typed configuration, validated once at start-up.

Every key is a field of :class:`Config` with its type and default; the README
table documents the same keys.  Unknown keys and wrong types are errors that
name the key, so a typo never silently falls back to a default.
"""
from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from zhsite.problems import BuildError, Problem

CONFIG_FILE = "zhsite.toml"


IMAGE_MODES = ("remote", "local")


@dataclass(frozen=True)
class ImagesConfig:
    """``[images]``: where pages take their pictures from; paths are relative to the project."""

    mode: str = "remote"  # "remote": pages point at the archive's URLs; "local": copies in the site
    dirs: tuple[str, ...] = ()  # folders searched first, by file name or Zhihu v2-<hash> id
    # URL prefix -> replacement, applied when downloading, longest prefix first.
    mirrors: tuple[tuple[str, str], ...] = ()
    cache_dir: str = ".zhsite-cache"
    offline: bool = False  # local folders and cache only, no network at all
    timeout: float = 20.0  # seconds, per connection attempt and per read
    retries: int = 3  # for 5xx, timeouts and cut-off bodies; never for 4xx
    concurrency: int = 8
    per_host: int = 4


def _images_config(value: Any, file: str) -> ImagesConfig:
    if not isinstance(value, Mapping):
        raise BuildError(Problem(file, "images", f"expected a table, got {type(value).__name__} {value!r}"))
    known = {f.name: f for f in dataclasses.fields(ImagesConfig)}
    values: dict[str, Any] = {}
    for key, item in value.items():
        name = f"images.{key}"
        if key not in known:
            raise BuildError(Problem(file, name, f"unknown key; known keys: {', '.join(known)}"))
        if key == "dirs":
            if not isinstance(item, list) or not all(isinstance(d, str) for d in item):
                raise BuildError(Problem(file, name, f"expected a list of str, got {item!r}"))
            item = tuple(item)
        elif key == "mirrors":
            if not isinstance(item, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in item.items()):
                raise BuildError(Problem(file, name, f"expected a table of str = str, got {item!r}"))
            for prefix, target in item.items():
                if not (prefix.startswith(("http://", "https://")) and target.startswith(("http://", "https://"))):
                    raise BuildError(Problem(file, name, f"both sides must start with http:// or https://, got {prefix!r} = {target!r}"))
            item = tuple(sorted(item.items(), key=lambda pair: -len(pair[0])))
        elif key == "timeout":
            if isinstance(item, bool) or not isinstance(item, (int, float)) or item <= 0:
                raise BuildError(Problem(file, name, f"expected a positive number of seconds, got {item!r}"))
            item = float(item)
        elif key in ("retries", "concurrency", "per_host"):
            least = 0 if key == "retries" else 1
            if isinstance(item, bool) or not isinstance(item, int) or item < least:
                raise BuildError(Problem(file, name, f"expected an int >= {least}, got {item!r}"))
        else:
            _check(name, item, type(known[key].default), file)
        values[key] = item
    config = ImagesConfig(**values)
    if config.mode not in IMAGE_MODES:
        raise BuildError(Problem(file, "images.mode", f"must be one of {', '.join(map(repr, IMAGE_MODES))}, got {config.mode!r}"))
    return config


@dataclass(frozen=True)
class Config:
    title: str = "知乎专栏存档"
    description: str = ""
    author: str = ""
    # Used only where a URL must be absolute (feeds, sitemap, canonical link).
    base_url: str = "http://localhost:8000/"
    language: str = "zh-CN"
    theme: str = "default"
    output_dir: str = "site"
    content_dir: str = "content"
    # Full-text search (zhsite/search/): the pages' text for the browser, a search box on every page and search.html.
    search: bool = True
    search_comments: bool = False
    images: ImagesConfig = field(default_factory=ImagesConfig)  # [images]: see ImagesConfig

    @property
    def site_url(self) -> str:
        return self.base_url.rstrip("/") + "/"


def _check(key: str, value: Any, expected: type, file: str) -> None:
    if not isinstance(value, expected):
        raise BuildError(Problem(file, key, f"expected a {expected.__name__}, got {type(value).__name__} {value!r}"))


def load_config(project: Path, overrides: Mapping[str, Any] | None = None) -> Config:
    """The project's configuration; *overrides* (from command-line options) win over the file."""
    path = project / CONFIG_FILE
    raw: dict[str, Any] = {}
    if path.is_file():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise BuildError(Problem(str(path), "", f"not valid TOML: {exc}")) from None
    overrides = dict(overrides or {})
    image_overrides = {k: v for k, v in (overrides.pop("images", None) or {}).items() if v is not None}
    raw |= {key: value for key, value in overrides.items() if value is not None}
    if image_overrides:  # command-line options change single keys of the [images] table
        table = raw.get("images", {})
        raw["images"] = {**table, **image_overrides} if isinstance(table, Mapping) else table
    fields = {f.name: f for f in dataclasses.fields(Config)}
    for key, value in raw.items():
        if key not in fields:
            raise BuildError(Problem(str(path), key, f"unknown key; known keys: {', '.join(fields)}"))
        if key == "images":
            raw[key] = _images_config(value, str(path))
            continue
        _check(key, value, type(fields[key].default), str(path))
    config = Config(**raw)
    if config.base_url and not config.base_url.startswith(("http://", "https://")):
        raise BuildError(Problem(str(path), "base_url", f"must start with http:// or https://, got {config.base_url!r}"))
    return config


# zhsite writes this file into every site it builds: a folder holding it is zhsite's to replace.
OUTPUT_MARKER = ".zhsite-output"


class OutputRefused(BuildError):
    """The output folder would replace or mix with files zhsite did not write; nothing was touched."""


def written_by_zhsite(folder: Path) -> bool:
    """The marker, or a site built before zhsite wrote one: its home page names zhsite as generator.

    Without the second test every existing ``site/`` would be refused once on upgrade.
    """
    if (folder / OUTPUT_MARKER).is_file():
        return True
    try:
        with open(folder / "index.html", "rb") as home:
            return b'<meta name="generator" content="zhsite">' in home.read(4096)
    except OSError:
        return False


def check_output(project: Path, config: Config, output: Path) -> None:
    """Refuse an output folder that is, holds or sits in a folder of the user's, before anything is written.

    A build replaces its output folder whole, so ``-o content`` would delete
    the archives, ``-o .`` the project, and ``-o content/site`` would be read
    back as content by the next build.
    """
    target = output.resolve()
    root = project.resolve()
    if target == root or target in root.parents:
        raise OutputRefused(Problem(str(output), "", "refused as output folder: it holds the project, which a build would replace"))
    theirs = {
        "the content folder": project / config.content_dir,
        "the build cache": project / config.images.cache_dir,
        "the project's templates": project / "templates",
        "the project's themes": project / "themes",
        "zhsite's own themes": Path(str(files("zhsite.themes"))),
    }
    for name, folder in theirs.items():
        folder = folder.resolve()
        if target == folder or folder in target.parents or target in folder.parents:
            raise OutputRefused(Problem(str(output), "", f"refused as output folder: it is, holds or sits in {name} ({folder})"))
    if target.is_file():
        raise OutputRefused(Problem(str(output), "", "refused as output folder: it is a file"))
    if target.is_dir() and not written_by_zhsite(target) and any(target.iterdir()):
        raise OutputRefused(Problem(str(output), "", f"refused as output folder: it holds files zhsite did not write (no {OUTPUT_MARKER}); empty it or choose another folder"))
