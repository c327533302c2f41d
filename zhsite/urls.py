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
from urllib.parse import quote, unquote, urlsplit

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
    return quote_path(posixpath.relpath(target, folder))


def quote_path(path: str) -> str:
    """*path* as the path of a URL: each character with a meaning in URLs, or outside ASCII, percent-encoded."""
    return quote(path, safe="/")


# Before a linked file's path among the image phase's copies of files on disk: an attachment, not a picture.
ATTACHED = "link:"


def linked_file(href: str, source: str) -> str | None:
    """The file an author's link names from the file *source*: a relative link's path relative to the project
    (``files/paper.pdf`` in ``content/笔记/a.md`` → ``content/笔记/files/paper.pdf``); an absolute path on a
    disk (``/Users/me/paper.pdf``, ``C:\\…\\paper.pdf``, ``file:///…``) as written, decoded (see
    :func:`is_disk_path`); None for any other link: one with a scheme or host, a fragment alone.

    A note links other notes and its attachments so (zhsite/rewrite/links.py); the image phase copies the
    attachments it names (zhsite/images/files.py): both ask here, so both mean the same file.
    """
    href = href.strip()
    parts = urlsplit(href)
    if parts.scheme.lower() == "file":
        return unquote(parts.path) or None
    if _WINDOWS_PATH.match(unquote(href)):  # C:%5CUsers%5C… as Markdown writes C:\\Users\\…, read as a scheme "c"
        return unquote(href).split("#", 1)[0].replace("\\", "/")
    written = unquote(parts.path)
    if not href or parts.scheme or parts.netloc or href.startswith("#") or not parts.path:
        return None
    if href.startswith("/"):
        return written
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), written))


def wikilinked_file(name: str) -> str | None:
    """``[[paper.pdf]]`` (Obsidian's link to a file of the vault, found by its name anywhere in it), from a wikilink's
    *name* (``paper.pdf#page=3``): the file's name in brackets, as the image phase enters its copy; None for a name
    with no file suffix, or a note's (``[[注意力]]``, ``[[笔记.md]]``), which names a page."""
    title = name.partition("#")[0].strip()
    suffix = posixpath.splitext(title)[1].lower()
    if not _FILE_SUFFIX.fullmatch(suffix) or suffix in (".md", ".markdown", ".txt", ".html", ".htm"):
        return None
    return f"[[{title}]]"


_FILE_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")


def is_disk_path(path: str) -> bool:
    """Whether a path :func:`linked_file` gave is absolute: a file on the author's disk (or an address at some
    site's root), which a site published elsewhere can only have by copying the file found under content/."""
    return path.startswith("/") or bool(_WINDOWS_PATH.match(path))


_WINDOWS_PATH = re.compile(r"^[a-z]:[\\/]", re.I)
