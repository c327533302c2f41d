"""Every article page in a real browser: no errors, formulas typeset, images sized before they load."""
from __future__ import annotations

import json

import pytest

from tests.conftest import CAPTAIN, SHALLOW


def article_ids():
    return [a["url"].rsplit("/", 1)[-1] for p in (SHALLOW, CAPTAIN) for a in json.loads(p.read_text(encoding="utf-8"))["article"]]


def hold_remote_requests(page):
    """Requests that leave the site stay pending: the page must lay out without them."""
    held = []
    page.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: held.append(route))
    return held


@pytest.mark.parametrize("article_id", article_ids())
def test_article_page_in_chromium(page, site_url, article_id):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    hold_remote_requests(page)
    page.goto(f"{site_url}p/{article_id}.html", wait_until="domcontentloaded")
    assert errors == []
    assert page.locator("h1").count() == 1
    empty_math = page.evaluate(
        """() => [...document.querySelectorAll('math')]
              .filter(m => { const r = m.getBoundingClientRect(); return !(r.width > 0 && r.height > 0); })
              .map(m => m.outerHTML.slice(0, 120))"""
    )
    assert empty_math == []
    unsized = page.evaluate(
        """() => [...document.querySelectorAll('.entry-body img')]
              .filter(i => !i.complete || i.naturalWidth === 0)
              .filter(i => { const r = i.getBoundingClientRect(); return !(r.width > 0 && r.height > 0); })
              .map(i => i.src)"""
    )
    assert unsized == []
