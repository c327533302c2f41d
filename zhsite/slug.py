"""Untrusted titles and ids become file names here, and only here.

Archive ids and note file names come from strangers: they may hold ``../``,
NUL, Windows device names or thousands of characters.  Every output path is
built from :func:`safe_name`, so no item can write outside the site.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

_UNSAFE = re.compile(r"[^\w\-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
MAX_LENGTH = 80


def safe_name(text: str) -> str:
    """A file-name-safe, stable slug: letters (CJK too), digits, ``-`` and ``_``."""
    name = unicodedata.normalize("NFKC", text).strip()
    name = _UNSAFE.sub("-", name).strip("-_").lower()
    if len(name) > MAX_LENGTH:
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        name = f"{name[:MAX_LENGTH - 9]}-{digest}"
    if not name:
        return "x" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    if name in _RESERVED:
        return name + "-"
    return name
