"""Day One's JSON export (``<journal>.json`` with ``photos/`` beside it), every entry of a journal in one file.

Day One exports a journal as ``{"metadata": {"version"}, "entries": [...]}``,
each entry ``{"uuid", "creationDate", "text", "tags", "photos": [{"identifier",
"md5", "type"}], "videos", "audios", "pdfAttachments"}``: its text Markdown
that shows a photo as ``![](dayone-moment://<identifier>)`` (a video
``dayone-moment:/video/<identifier>``), the file being ``photos/<md5>.<type>``
beside the JSON.  It was an unknown archive shape, an error.

Each entry becomes a note, read as Markdown (titled by its first heading or
line), dated by its creation in Beijing time, its tags its topics, each
``dayone-moment`` the file it names, which the image phase copies (or says is
missing).
"""
from __future__ import annotations

import re

from zhsite.load.fields import beijing_time, text
from zhsite.load.frontmatter import FrontMatter
from zhsite.load.loaded import Loaded
from zhsite.load.markdown import read_markdown_text
from zhsite.slug import safe_name

# The kinds of media an entry holds, by the list naming them, the word its dayone-moment address uses and their folder.
_MEDIA = (("photos", "", "photos"), ("videos", "video", "videos"), ("audios", "audio", "audios"), ("pdfAttachments", "pdfAttachment", "pdfs"))
_MOMENT = re.compile(r"dayone-moment:/(?:/|(?P<kind>\w+)/)(?P<id>[0-9A-Fa-f]+)")


def is_dayone_export(data: object) -> bool:
    return isinstance(data, dict) and isinstance(data.get("metadata"), dict) and isinstance(data.get("entries"), list)


def read_dayone_export(data: dict, source: str) -> Loaded:
    """Every entry with text, in the file's order."""
    loaded = Loaded()
    for index, entry in enumerate(data["entries"]):
        if isinstance(entry, dict) and isinstance(entry.get("text"), str) and entry["text"].strip():
            loaded.add(_entry(entry, index, source))
    return loaded


def _entry(entry: dict, index: int, source: str) -> Loaded:
    files = _files(entry)
    body = _MOMENT.sub(lambda found: files.get((found["kind"] or "", found["id"].upper()), found[0]), entry["text"])
    tags = [name for name in (text(tag) for tag in _list(entry.get("tags"))) if name]
    meta = FrontMatter(date=beijing_time(entry.get("creationDate")), tags=tags)
    return read_markdown_text(meta, body, source, 1, [], slug=safe_name(f"dayone-{text(entry.get('uuid')) or index}"))


def _files(entry: dict) -> dict[tuple[str, str], str]:
    """Where each medium an entry names is, relative to the JSON: ``photos/<md5>.<type>``, by (kind, identifier)."""
    found = {}
    for listed, kind, folder in _MEDIA:
        for medium in _list(entry.get(listed)):
            if isinstance(medium, dict) and text(medium.get("identifier")) and text(medium.get("md5")):
                name = f"{folder}/{text(medium['md5'])}.{text(medium.get('type')) or 'jpeg'}"
                found[(kind, text(medium["identifier"]).upper())] = name
    return found


def _list(value: object) -> list:
    return value if isinstance(value, list) else []
