"""The seed notes in a real browser: no errors, every formula typeset, the notes' own outlines navigate."""
from __future__ import annotations

import pytest

from tests.browser.conftest import collect_errors, hold_remote_requests, unsized_math

NOTES = ["cv-lecture-notes", "deep-learning-notes", "dl-hotpot-faq"]


@pytest.mark.parametrize("slug", NOTES)
def test_note_page_in_chromium(page, site_url, slug):
    errors = collect_errors(page)
    hold_remote_requests(page)
    page.goto(f"{site_url}notes/{slug}.html", wait_until="domcontentloaded")
    assert errors == []
    assert page.locator("h1").count() == 1
    assert unsized_math(page) == []


def test_display_formulas_are_typeset_as_blocks(page, site_url):
    page.goto(f"{site_url}notes/deep-learning-notes.html", wait_until="domcontentloaded")
    blocks = page.locator('math[display="block"]')
    assert blocks.count() == 8
    widths = page.evaluate("() => [...document.querySelectorAll('math[display=block]')].map(m => m.getBoundingClientRect().height)")
    assert min(widths) > 10, "a display formula is taller than a line of text"


def test_the_opening_outline_jumps_to_its_section(page, site_url):
    page.goto(f"{site_url}notes/deep-learning-notes.html", wait_until="domcontentloaded")
    page.locator(".toc a", has_text="ResNet50").click()  # the note's outline, made its contents list
    assert page.url.endswith("#part-4")
    heading = page.locator("#part-4")
    assert heading.inner_text() == "ResNet50"
    # Smooth scrolling may animate the jump: wait for the heading to arrive at the top.
    page.wait_for_function("Math.abs(document.getElementById('part-4').getBoundingClientRect().top) < 120")
