"""Every article page in a real browser: no errors, formulas typeset, images sized before they load."""
from __future__ import annotations

import json

import pytest

from tests.browser.conftest import collect_errors, hold_remote_requests, unsized_math
from tests.conftest import CAPTAIN, SHALLOW


def article_ids():
    return [a["url"].rsplit("/", 1)[-1] for p in (SHALLOW, CAPTAIN) for a in json.loads(p.read_text(encoding="utf-8"))["article"]]


@pytest.mark.parametrize("article_id", article_ids())
def test_article_page_in_chromium(page, site_url, article_id):
    errors = collect_errors(page)
    hold_remote_requests(page)
    page.goto(f"{site_url}p/{article_id}.html", wait_until="domcontentloaded")
    assert errors == []
    assert page.locator("h1").count() == 1
    assert unsized_math(page) == []
    unsized = page.evaluate(
        """() => [...document.querySelectorAll('.entry-body img')]
              .filter(i => !i.complete || i.naturalWidth === 0)
              .filter(i => { const r = i.getBoundingClientRect(); return !(r.width > 0 && r.height > 0); })
              .map(i => i.src)"""
    )
    assert unsized == []
