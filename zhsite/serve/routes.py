"""A request path → the snapshot key it names, or a redirect, or nothing.

Only keys of the in-memory snapshot are ever served, so no path can reach the
file system; still, anything that smells of traversal (``..``, encoded
slashes or backslashes, NUL) is refused outright instead of being
normalised into something that happens to exist.
"""
from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote, unquote

EVENTS = "__zhsite__/events"  # reserved, below the base path; no built page can be named like this

_SUSPICIOUS_ENCODINGS = ("%2f", "%5c", "%00")


@dataclass(frozen=True)
class Route:
    kind: Literal["file", "redirect", "events", "missing"]
    target: str = ""  # the snapshot key, or the redirect's location


MISSING = Route("missing")


def normalize_base_path(base_path: str) -> str:
    """``repo``, ``/repo`` and ``/repo/`` all become ``/repo/``; ``/`` stays ``/``."""
    parts = [p for p in base_path.replace("\\", "/").split("/") if p]
    if any(p in (".", "..") or any(c in p for c in "?#%\0") for p in parts):
        raise ValueError(f"not a usable base path: {base_path!r}")
    return "/" + "".join(p + "/" for p in parts)


def split_query(raw: str) -> tuple[str, str]:
    path, _, query = raw.partition("?")
    return path.partition("#")[0], query.partition("#")[0]


def resolve(raw: str, base: str, files: Container[str]) -> Route:
    """*raw* is the request target as sent; *base* a normalised base path; *files* the snapshot's keys."""
    path, _ = split_query(raw)
    if "\\" in path or "\0" in path or any(bad in path.lower() for bad in _SUSPICIOUS_ENCODINGS):
        return MISSING
    try:
        path = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return MISSING
    if base != "/" and path in ("/", base.rstrip("/")):
        return Route("redirect", quote(base))
    if not path.startswith(base):
        return MISSING
    rest = path[len(base):]
    if rest == EVENTS:
        return Route("events")
    parts = rest.split("/")
    if any(p in (".", "..") for p in parts) or "" in parts[:-1]:
        return MISSING
    key = rest + "index.html" if rest == "" or rest.endswith("/") else rest
    if key in files:
        return Route("file", key)
    if key + "/index.html" in files:
        # A folder named without its slash: redirect, so the page's relative links resolve.
        return Route("redirect", quote(base + rest + "/"))
    return MISSING
