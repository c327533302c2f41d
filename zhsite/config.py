"""``zhsite.toml``: one typed configuration, validated once at start-up.

Every key is a field of :class:`Config` with its type and default; the README
table documents the same keys.  Unknown keys and wrong types are errors that
name the key, so a typo never silently falls back to a default.
"""
from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from zhsite.problems import BuildError, Problem

CONFIG_FILE = "zhsite.toml"


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
    # Full-text search (zhsite/search.py): a Pagefind index and a search box on every page.
    search: bool = True
    search_comments: bool = False

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
    raw |= {key: value for key, value in (overrides or {}).items() if value is not None}
    fields = {f.name: f for f in dataclasses.fields(Config)}
    for key, value in raw.items():
        if key not in fields:
            raise BuildError(Problem(str(path), key, f"unknown key; known keys: {', '.join(fields)}"))
        _check(key, value, type(fields[key].default), str(path))
    config = Config(**raw)
    if config.base_url and not config.base_url.startswith(("http://", "https://")):
        raise BuildError(Problem(str(path), "base_url", f"must start with http:// or https://, got {config.base_url!r}"))
    return config
