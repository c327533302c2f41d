"""Simplenote's export (``notes.json``: Settings → Tools → Export notes), every note in one file.

The export is ``{"activeNotes": [...], "trashedNotes": [...]}``, each note
``{"id", "content", "creationDate", "lastModified", "tags", "markdown"}``:
its text, the first line its title, as Simplenote shows it.  It was an
unknown archive shape, an error.  Each active note becomes a note titled by
its first line, dated by its creation in Beijing time, its tags its topics,
its text read as Markdown when the note has Markdown on, else as plain text
(zhsite/load/plaintext.py); the trashed ones are counted, not published.
"""
from __future__ import annotations

from dataclasses import replace

from zhsite.load.fields import beijing_time, text
from zhsite.load.frontmatter import FrontMatter
from zhsite.load.loaded import Loaded
from zhsite.load.markdown import read_markdown_text
from zhsite.load.plaintext import render_text
from zhsite.model import Note, Topic
from zhsite.slug import safe_name

TRASH = "notes in Simplenote's trash"


def is_simplenote_export(data: object) -> bool:
    return isinstance(data, dict) and isinstance(data.get("activeNotes"), list)


def read_simplenote_export(data: dict, source: str) -> Loaded:
    """Every active note, in the file's order."""
    loaded = Loaded()
    trashed = data.get("trashedNotes")
    if isinstance(trashed, list) and trashed:
        loaded.skipped[TRASH] += len(trashed)
    for index, note in enumerate(data["activeNotes"]):
        if isinstance(note, dict) and isinstance(note.get("content"), str) and note["content"].strip():
            loaded.add(_note(note, index, source))
    return loaded


def _note(note: dict, index: int, source: str) -> Loaded:
    lines = note["content"].replace("\r\n", "\n").split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip())
    title = text(lines[start].lstrip("# "))
    slug = safe_name(f"simplenote-{text(note.get('id')) or index}")
    date = beijing_time(note.get("creationDate"))
    topics = [Topic(name) for name in dict.fromkeys(text(tag) for tag in (note.get("tags") if isinstance(note.get("tags"), list) else []) if isinstance(tag, str)) if name]
    body = "\n".join(lines[start + 1:])
    if note.get("markdown") is True:
        read = read_markdown_text(FrontMatter(title=title, date=date), body, source, start + 2, [], slug=slug)
        read.notes = [replace(made, tags=[*made.tags, *topics]) for made in read.notes]
        return read
    return Loaded(notes=[Note(slug=slug, title=title, content=render_text(body.split("\n")), tags=topics, date=date, source=source)])
