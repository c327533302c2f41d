"""Untrusted titles and ids become file names here, and only here.

Archive ids and note file names come from strangers: they may hold ``../``,
NUL, Windows device names or thousands of characters.  Every output path is
built from :func:`safe_name`, so no item can write outside the site.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Sequence

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


def distinct_slugs(items: Sequence[tuple[str, str]], reserved: Collection[str] = ()) -> list[str]:
    """A slug for each item, no two alike and none *reserved*: ``(text to slug, what tells the item apart)``.

    Topics ``LGBTQ`` and ``LGBTQ+`` both slug to ``lgbtq``: the first in sorted
    order keeps it, the other gets ``lgbtq-`` and six hex digits of a hash of
    what tells it apart, so its path stays the same from build to build.
    """
    slugs = [""] * len(items)
    taken = set(reserved)
    for i in sorted(range(len(items)), key=lambda i: items[i]):
        text, label = items[i]
        slug = safe_name(text)
        if slug in taken:
            slug = f"{slug}-{hashlib.sha1(label.encode('utf-8', 'surrogatepass')).hexdigest()[:6]}"
        taken.add(slug)
        slugs[i] = slug
    return slugs
