"""A Zhihu post saved as one file (``.mhtml``: Chrome's and Edge's "Webpage, Single File"), read as the same page saved
as HTML is (zhsite/load/savedpage.py).

An MHTML file is a MIME message: its first ``text/html`` part is the page, most often quoted-printable, and the
pictures follow as parts of their own.  Chrome names no charset for the page's part, so its bytes are decoded as a
file's are (UTF-8, else GB18030), never as ASCII; the address it was saved from (``Snapshot-Content-Location``) is
noted in the page as browsers note a page saved as HTML (``<!-- saved from url=… -->``), for a page whose head names
none.  The pictures the file holds are shown from it (:func:`saved_pictures`, taken by zhsite/images/): a saved post
shows its pictures offline, even those Zhihu has since deleted.
"""
from __future__ import annotations

import email
import email.message
import email.policy
import html
import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import urljoin

from zhsite.load.decoding import decode_mostly
from zhsite.load.inside import place, shown_inside
from zhsite.load.loaded import Loaded
from zhsite.load.notepages import is_note_page, read_note_page
from zhsite.load.savedpage import is_saved_post, read_saved_page, saved_from
from zhsite.load.sniff import UndecodableError
from zhsite.pictures import picture_data_url


@lru_cache(maxsize=1)  # recognised, then read: the same file's text twice in a row
def saved_page(text: str) -> str:
    """The HTML of the page an MHTML file holds, its address noted; "" when it holds no HTML part."""
    message = email.message_from_string(text, policy=email.policy.compat32)
    location = (message.get("Snapshot-Content-Location") or "").strip()
    page = next((part for part in message.walk() if part.get_content_type() == "text/html"), None)
    data = page.get_payload(decode=True) if page is not None else None
    if not isinstance(data, bytes):
        return ""
    try:
        html, _ = decode_mostly(data)
    except UndecodableError:
        return ""
    return saved_from(location) + html


def is_saved_post_file(text: str) -> bool:
    return is_saved_post(saved_page(text))


def read_saved_post_file(text: str, source: str) -> Loaded:
    return read_saved_page(saved_page(text), source)


def is_note_page_file(text: str) -> bool:
    """A note an app exported as one file (OneNote's and Word's "Single File Web Page", ``.mht``)."""
    return is_note_page(saved_page(text))


def read_note_page_file(text: str, source: str) -> Loaded:
    """The note, as the same page exported with its pictures beside it is read (zhsite/load/notepages.py), its pictures
    shown from the file: each ``<img src>`` the file holds a part for (by the address the page names it by)."""
    message = email.message_from_string(text, policy=email.policy.compat32)
    page = next((part for part in message.walk() if part.get_content_type() == "text/html"), None)
    base = (page.get("Content-Location") or "").strip() if page is not None else ""
    held = {address: url for address, data in _parts(message) if (url := picture_data_url(data))}
    urls: list[str | None] = []

    def placed(found: re.Match) -> str:
        address = urljoin(base, html.unescape(found[2]).strip())
        if address not in held:
            return found[0]
        urls.append(held[address])
        return f"{found[1]}{place(len(urls) - 1)}{found[3]}"
    shown = _SRC.sub(placed, saved_page(text))
    return shown_inside(read_note_page(shown, source), urls, source, PICTURE_MISSING)


# An <img>'s address as written, in quotes or not.
_SRC = re.compile(r"""(<img\b[^<>]*?\bsrc\s*=\s*["']?)([^"'\s<>]+)(["']?)""", re.I)
PICTURE_MISSING = "picture not in its MHTML file"


def saved_pictures(data: bytes) -> Iterator[tuple[str, bytes]]:
    """Each picture an MHTML file (its *data*) holds: the address the page loaded it from, and its bytes."""
    yield from _parts(email.message_from_bytes(data, policy=email.policy.compat32))


def _parts(message: email.message.Message) -> Iterator[tuple[str, bytes]]:
    for part in message.walk():
        address = (part.get("Content-Location") or "").strip()
        if part.get_content_maintype() == "image" and address:
            picture = part.get_payload(decode=True)
            if isinstance(picture, bytes):
                yield address, picture
