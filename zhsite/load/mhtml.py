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
import email.policy
from collections.abc import Iterator
from functools import lru_cache

from zhsite.load.decoding import decode_mostly
from zhsite.load.loaded import Loaded
from zhsite.load.savedpage import is_saved_post, read_saved_page, saved_from
from zhsite.load.sniff import UndecodableError


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


def saved_pictures(data: bytes) -> Iterator[tuple[str, bytes]]:
    """Each picture an MHTML file (its *data*) holds: the address the page loaded it from, and its bytes."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        address = (part.get("Content-Location") or "").strip()
        if part.get_content_maintype() == "image" and address:
            picture = part.get_payload(decode=True)
            if isinstance(picture, bytes):
                yield address, picture
