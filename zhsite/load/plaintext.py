"""Plain-text notes → Note (placeholder until the notes reader lands)."""
from __future__ import annotations

from html import escape

from zhsite.model import Note
from zhsite.problems import Problem


def read_text_note(text: str, source: str, slug: str) -> tuple[Note, list[Problem]]:
    lines = [line for line in text.splitlines()]
    title = next((line.strip() for line in lines if line.strip()), slug)
    html = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    return Note(slug=slug, title=title, content=html, source=source), []
