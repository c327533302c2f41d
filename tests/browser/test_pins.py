"""An author's pins in Chromium, from disk: found by their words, listed under 想法, reached from a note's link."""
from __future__ import annotations

import json

import pytest

from tests.conftest import site_built_as_a_user
from tests.load.test_pins import PINS


@pytest.fixture(scope="module")
def pins_site(tmp_path_factory):
    site, done = site_built_as_a_user(tmp_path_factory.mktemp("pins"), {
        "pins.json": json.dumps(PINS, ensure_ascii=False),
        "读论文.md": "# 读论文\n\n还有一条[想法](https://www.zhihu.com/pin/1097830077735231488)。\n",
    })
    assert done.returncode == 0, done.stderr
    return site


def test_a_search_for_a_pins_words_and_the_pins_filter_find_them(page, pins_site):
    page.goto((pins_site / "search.html").as_uri() + "?q=沙赞")
    results = page.locator("ol.search-page-results li").filter(has_text="哈尔滨沙赞")
    results.first.wait_for()
    assert "想法" in results.first.inner_text()
    page.goto((pins_site / "search.html").as_uri() + "?type=pin")
    page.get_by_text("3 篇").wait_for()


def test_a_notes_link_to_an_archived_pin_opens_its_page(page, pins_site):
    page.goto((pins_site / "notes" / "读论文.html").as_uri())
    page.locator(".entry-body a", has_text="想法").click()
    page.wait_for_load_state()
    assert page.url.endswith("/pins/1097830077735231488.html")
    assert page.locator("h1").inner_text() == "哈尔滨沙赞基本没人看……这可是假期啊"
    assert page.locator("a.source-link").inner_text() == "知乎原想法"
