"""Every internal URL of the site: relative to the page it is written on, and quoted, here and only here.

One output works at a domain's root, under ``/<repo>/`` and from ``file://``
only if no link names the site's root, so each link is made relative to the
page showing it.  The templates (``url()``), the rewrite passes (links to
archived posts, local images) and the pages showing a title image all call
:func:`relative`, so a file name means the same URL wherever it is linked
from.  Quoting is decided here too: everything but letters, digits, ``/`` and
``-._~`` is percent-encoded (UTF-8 for Chinese), so a ``#``, ``?``, ``%``,
``:`` or space in a path stays part of the path.  A leaf: it imports nothing
of zhsite, so every stage may use it.
"""
from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from urllib.parse import quote

# A URL of its own: a scheme ("https:", "mailto:", "data:") or a host ("//pic1.zhimg.com/…").
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


def relative(target: str, from_page: str) -> str:
    """*target*, a path in the site (``p/123.html``), as a URL that works from the page at *from_page*.

    A URL of its own (``https://…``, ``//host/…``) is returned as it is: a
    title image is a site path in local image mode and Zhihu's URL in remote
    mode, and a page shows either through this one call.  A fragment
    (``#columns``) is added after the call, as ``#`` here is part of the path.
    """
    return _relative(target, posixpath.dirname(from_page) or ".")


@lru_cache(maxsize=65536)
def _relative(target: str, folder: str) -> str:
    """Cached by folder: the pages of one folder ask for the same few (the header's links, the stylesheets) thousands of times."""
    if _URL.match(target):
        return target
    return quote_path(_path_from(folder, target))


def _path_from(folder: str, target: str) -> str:
    """``posixpath.relpath(target, folder)`` for two paths in the site, worked out from the paths alone.

    ``relpath`` makes both absolute, asking the system for the working folder
    each time: 21,000 ``getcwd`` calls, a fifth of the drawing in one process
    of a 2,000-article build.  A path it could tell apart from these (absolute,
    climbing out with ``..``, empty) is still handed to it.
    """
    to, start = posixpath.normpath(target), posixpath.normpath(folder)
    if not target or to.startswith(("/", "..")) or start.startswith(("/", "..")):
        return posixpath.relpath(target, folder)
    to_parts = to.split("/") if to != "." else []
    start_parts = start.split("/") if start != "." else []
    common = 0
    for mine, theirs in zip(to_parts, start_parts, strict=False):  # paths of any two lengths
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + to_parts[common:]) or "."


def quote_path(path: str) -> str:
    """*path* as the path of a URL: each character with a meaning in URLs, or outside ASCII, percent-encoded."""
    return quote(path, safe="/")

