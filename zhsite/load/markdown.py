"""Markdown notes → Note (placeholder until the notes reader lands)."""
from __future__ import annotations

from markdown_it import MarkdownIt

from zhsite.model import Note
from zhsite.problems import Problem


def read_markdown_note(text: str, source: str, slug: str) -> tuple[Note, list[Problem]]:
    html = MarkdownIt("commonmark", {"html": True}).render(text)
    title = next((line.strip("# ").strip() for line in text.splitlines() if line.strip("# ").strip()), slug)
    return Note(slug=slug, title=title, content=html, source=source), []
