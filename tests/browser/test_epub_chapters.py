"""A chapter of a book as an EPUB 3 reading system draws it (Chromium's engine, like many): formulas with a size.

In tests/browser, so it drives the suite's one Chromium (Playwright's sync API allows one per thread).
"""
from __future__ import annotations

from tests.epub.conftest import SHALLOW_BOOK, Book, seed_books  # noqa: F401 - seed_books is a fixture


def test_a_chapters_formulas_are_drawn_with_the_books_own_font(seed_books, page, tmp_path):  # noqa: F811 - the fixture
    book = Book(seed_books[0] / SHALLOW_BOOK)
    book.zip.extractall(tmp_path)
    chapter = tmp_path / "EPUB" / "p" / "60692852.xhtml"
    page.goto(chapter.as_uri())
    page.evaluate("document.fonts.ready")
    boxes = page.eval_on_selector_all("math", "all => all.map(m => { const r = m.getBoundingClientRect(); return [r.width, r.height]; })")
    font = page.evaluate("[...document.fonts].filter(f => f.family.includes('STIX')).map(f => f.status)")
    assert len(boxes) == 9 and all(width > 0 and height > 0 for width, height in boxes), boxes
    assert font == ["loaded"], "the subset math font, from inside the book"
