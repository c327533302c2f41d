"""Which file an author's link names, as the image phase and the link passes both ask (zhsite/pictures.py)."""
from __future__ import annotations

import pytest

from zhsite import pictures


@pytest.mark.parametrize(("href", "path"), [
    ("files/paper.pdf#page=3", "content/笔记/files/paper.pdf"),
    ("../code/train%20v2.py", "content/code/train v2.py"),
    ("./a.md", "content/笔记/a.md"),
    ("https://example.org/a.pdf", None),
    ("//example.org/a.pdf", None),
    ("mailto:a@b.c", None),
    ("#节", None),
    ("", None),
    ("/Users/me/笔记/a.pdf", "/Users/me/笔记/a.pdf"),  # absolute: a path on the author's disk, found by its tail
    ("file:///Users/me/a%20b.pdf#page=2", "/Users/me/a b.pdf"),
    ("C:%5CUsers%5Cme%5Cpaper.pdf", "C:/Users/me/paper.pdf"),  # Markdown's C:\Users\me\paper.pdf
    ("/about", "/about"),
])
def test_an_authors_link_names_a_file_beside_the_note_or_on_a_disk(href, path):
    found = pictures.linked_file(href, "content/笔记/读论文.md")
    assert found == path
    assert found is None or pictures.is_absolute_path(found) == (not found.startswith("content/"))
