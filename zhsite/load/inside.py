"""Pictures a note shows from inside the packed file it was read from (a 为知笔记 note, a Bear backup).

While the note is read, such a picture's address is a place holder (``inside:<n>``, an address no page has),
so that no reader takes it for a file beside the note; once read, each is made the picture's ``data:`` URL, as
an e-book's and a Joplin JEX's pictures are (zhsite/pictures.py :func:`~zhsite.pictures.picture_data_url`).
"""
from __future__ import annotations

import re
from dataclasses import replace

from zhsite.load.loaded import Loaded
from zhsite.problems import Problem

_PLACE = re.compile(r"""\bsrc\s*=\s*(["'])inside:(\d+)\1""")


def place(index: int) -> str:
    """The address a note shows its *index*-th picture by while it is read."""
    return f"inside:{index}"


def shown_inside(loaded: Loaded, urls: list[str | None], source: str, kind: str) -> Loaded:
    """Each place holder *loaded* shows made its picture's data: URL (*urls*, by index); one with none (not in the
    file, or no picture) is said as a warning of *kind*, and left out of the page by the sanitiser."""
    left_out = 0

    def shown(found: re.Match) -> str:
        nonlocal left_out
        at = int(found[2])
        url = urls[at] if at < len(urls) else None
        if url is None:
            left_out += 1
            return found[0]
        return f'src="{url}"'
    loaded.notes = [replace(note, content=_PLACE.sub(shown, note.content)) for note in loaded.notes]
    for column in loaded.columns:
        column.articles = [replace(article, content=_PLACE.sub(shown, article.content)) for article in column.articles]
    if left_out:
        loaded.problems.append(Problem(source, "", kind, f"{left_out} picture(s) the note shows are not in the file, "
                                                            "left out", severity="warning"))
    return loaded
