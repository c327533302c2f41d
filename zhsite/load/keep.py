"""Google Keep notes as Google Takeout exports them: ``Takeout/Keep/<title>.json``, one note a file.

Takeout writes each Keep note as JSON (``title``, ``textContent``, a checklist's
``listContent`` of ``{text, isChecked}``, ``labels`` of ``{name}``,
``attachments`` of ``{filePath, mimetype}`` beside it, ``createdTimestampUsec``,
``isTrashed``, ``isArchived``) and again as an HTML page.  The JSON was an
unknown archive shape, an error for every note; the page a skipped snapshot.

Each note becomes a note titled by its title (else its first line), dated by
its creation in Beijing time, its labels its topics, its text as plain text
is read (zhsite/load/plaintext.py), its checklist ticked or unticked boxes, its
pictures shown from beside it and its recordings linked.  A note in Keep's
trash is counted, not published; an archived one is published.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from html import escape

from zhsite.load.fields import beijing_time, text
from zhsite.load.htmlfile import read_html
from zhsite.load.loaded import Loaded
from zhsite.load.plaintext import render_text
from zhsite.model import Topic

TRASH = "notes in Google Keep's trash"
_TIMES = ("createdTimestampUsec", "userEditedTimestampUsec")


def is_keep_note(data: object) -> bool:
    return isinstance(data, dict) and ("textContent" in data or "listContent" in data) and any(key in data for key in _TIMES)


def read_keep_note(data: dict, source: str) -> Loaded:
    """The note, with its checklist, pictures, labels and date."""
    if data.get("isTrashed") is True:
        return Loaded(skipped=Counter({TRASH: 1}))
    title = text(data.get("title"))
    written = data.get("textContent")
    parts = [render_text(written.split("\n")) if isinstance(written, str) else "", _checklist(data.get("listContent")),
             *map(_attachment, _list(data.get("attachments")))]
    created = _digits(data.get("createdTimestampUsec")) or _digits(data.get("userEditedTimestampUsec"))
    date = beijing_time(created / 1_000_000) if created else ""
    page = (f"<h1>{escape(title)}</h1>\n" if title else "") + (f"Date: {date}\n" if date else "") + "".join(parts)
    read = read_html(page, source)
    labels = [text(label.get("name")) for label in _list(data.get("labels")) if isinstance(label, dict)]
    read.notes = [replace(note, tags=[*note.tags, *(Topic(name) for name in dict.fromkeys(labels) if name)]) for note in read.notes]
    return read


def _checklist(items: object) -> str:
    """A checklist's items as the boxes Evernote's to-dos are (zhsite/load/evernote.py)."""
    if not isinstance(items, list):
        return ""
    shown = [f'<li><input type="checkbox" disabled{" checked" if item.get("isChecked") is True else ""}> {escape(text(item.get("text")))}</li>'
             for item in items if isinstance(item, dict)]
    return f"<ul>{''.join(shown)}</ul>" if shown else ""


def _attachment(attachment: object) -> str:
    """A picture shown from beside the note; another file (a recording) linked."""
    if not isinstance(attachment, dict) or not text(attachment.get("filePath")):
        return ""
    path = escape(text(attachment["filePath"]))
    if text(attachment.get("mimetype")).startswith("image/"):
        return f'<p><img src="{path}" alt=""></p>'
    return f'<p><a href="{path}">{path}</a></p>'


def _digits(value: object) -> int:
    """Keep's times: microseconds since 1970, a number or its digits."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _list(value: object) -> list:
    return value if isinstance(value, list) else []
