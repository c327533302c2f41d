"""What every reader gives: the one result type of the loader, whatever the archive's shape.

A reader is ``read(value, name) -> Loaded``: the parsed JSON or the decoded
text of one file and its name under the project in, the columns (with their
posts), notes, author profiles and problems it holds out.  So a new archive
shape is one function and one row of the shapes table (zhsite/load/shapes.py),
and the loader adds up what each file gave.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zhsite.model import Author, Column, Note, Profile, Topic, in_reading_order
from zhsite.problems import Problem

# What a note marked ``draft: true`` (or ``published: false``, ``publish: false``) counts as: read, and on purpose
# no page (zhsite/load/markdown.py); so not a file that can no longer be read (zhsite/load/lastgood.py).
DRAFTS = "notes marked draft"
# An Obsidian Excalidraw drawing (its front matter's ``excalidraw-plugin``): a scene of JSON only the plugin draws, whose
# page would be a warning to switch views and the scene's code; the plugin's exported .svg or .png beside it is the picture.
DRAWINGS = "Excalidraw drawings"

@dataclass(frozen=True)
class Record:
    """What a file says of items in other files, joined to them once every file is read: a Joplin notebook, tag,
    attachment or note (zhsite/load/joplin.py), what 为知笔记's index says of a note (zhsite/load/wiznote.py), by its
    *kind* and *id*; *source*: the file."""

    kind: str
    id: str
    fields: tuple[tuple[str, str], ...]
    source: str

    def get(self, key: str) -> str:
        return next((value for name, value in self.fields if name == key), "")


@dataclass
class Loaded:
    """What one file, or the whole content folder, holds."""

    columns: list[Column] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # side files by kind, in the plural: {"page snapshots": 771}
    records: list[Record] = field(default_factory=list)

    def add(self, part: Loaded) -> None:
        self.columns += part.columns
        self.notes += part.notes
        self.problems += part.problems
        self.profiles += part.profiles
        self.skipped += part.skipped
        self.records += part.records


def one_of_each(part: Loaded, seen: dict[tuple[str, ...], Author | Topic]) -> None:
    """Equal authors and topics of *part* made one object each: the first of them in *seen*, the parts read before.

    Each reader makes an author and topics for every post and comment: 10,000
    articles held 17,000 authors and 28,000 topics for a few hundred people
    and subjects, for the whole build (issue #30).  Both are frozen, so sharing one is safe.
    """
    def author(found: Author) -> Author:
        return seen.setdefault(("author", found.name, found.id, found.url), found)

    def topics(found: list[Topic]) -> list[Topic]:
        return [seen.setdefault(("topic", topic.name, topic.id, topic.slug), topic) for topic in found]
    for column in part.columns:
        column.topics = topics(column.topics)
        for article in column.articles:
            article.author, article.topics = author(article.author), topics(article.topics)
            for comment in in_reading_order(article.comments):
                comment.author = author(comment.author)
    for note in part.notes:
        note.tags = topics(note.tags)


# (the parsed JSON or the text, the file's name under the project) -> what it holds
Reader = Callable[[Any, str], Loaded]
