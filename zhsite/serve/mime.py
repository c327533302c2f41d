"""Content types, the same on every machine.

``mimetypes`` reads the system's tables, which differ between hosts (some map
``.xml`` to ``text/xml``, most know no ``.webmanifest``), so the types a site
is made of are fixed here and ``mimetypes`` only fills in the rest.
"""
from __future__ import annotations

import mimetypes
import posixpath

_FIXED = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".xml": "application/xml",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
}

_TEXT_APPLICATIONS = {"application/xml", "application/json", "application/javascript", "application/manifest+json"}


def content_type(key: str) -> str:
    """With ``charset=utf-8`` for text: zhsite writes every text file as UTF-8."""
    extension = posixpath.splitext(key)[1].lower()
    kind = _FIXED.get(extension) or mimetypes.guess_type(key, strict=False)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in _TEXT_APPLICATIONS or kind.endswith(("+xml", "+json")):
        return f"{kind}; charset=utf-8"
    return kind
