"""A Zhihu post saved by Safari ("Web Archive", ``.webarchive``), read as the same page saved as HTML is
(zhsite/load/savedpage.py), its pictures shown from the file (zhsite/images/).

A web archive is a binary property list: ``WebMainResource`` holds the page's bytes and the address it was loaded
from, ``WebSubresources`` what it loaded (pictures among them), each with its address and type.  Being binary, it is
told apart before any text is decoded (zhsite/load/__init__.py): its page comes out as the HTML a browser saves, the
address noted as browsers note it (``<!-- saved from url=… -->``), and is read from there like any saved page.
"""
from __future__ import annotations

import plistlib
from collections.abc import Iterator
from typing import Any

from zhsite.load.decoding import decode_mostly
from zhsite.load.savedpage import saved_from

_MAGIC = b"bplist00"
SUFFIX = ".webarchive"


def is_web_archive(name: str, head: bytes) -> bool:
    return name.lower().endswith(SUFFIX) and head.startswith(_MAGIC)


def _resources(data: bytes) -> dict[str, Any]:
    """The archive's top level; ValueError when it is none (damaged, or another property list)."""
    try:
        found = plistlib.loads(data)
    except (plistlib.InvalidFileException, ValueError, TypeError, OverflowError, KeyError, IndexError) as exc:
        raise ValueError(f"not a web archive Safari could open ({type(exc).__name__})") from exc
    if not isinstance(found, dict) or not isinstance(found.get("WebMainResource"), dict):
        raise ValueError("a property list without the page (no WebMainResource)")
    return found


def saved_page(data: bytes) -> bytes:
    """The page the archive holds, as the HTML file a browser saves (UTF-8, its address noted); ValueError when none."""
    main = _resources(data)["WebMainResource"]
    page, address = main.get("WebResourceData"), main.get("WebResourceURL")
    if not isinstance(page, bytes):
        raise ValueError("the page holds no HTML (WebResourceData)")
    html, _ = decode_mostly(page)
    note = saved_from(address) if isinstance(address, str) else ""
    return (note + html).encode("utf-8", "surrogatepass")


def archived_pictures(data: bytes) -> Iterator[tuple[str, bytes]]:
    """Each picture the archive holds: the address the page loaded it from, and its bytes."""
    try:
        resources = _resources(data).get("WebSubresources")
    except ValueError:
        return
    for resource in resources if isinstance(resources, list) else []:
        if not isinstance(resource, dict) or not str(resource.get("WebResourceMIMEType", "")).startswith("image/"):
            continue
        address, picture = resource.get("WebResourceURL"), resource.get("WebResourceData")
        if isinstance(address, str) and isinstance(picture, bytes):
            yield address, picture
