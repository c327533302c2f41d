"""Archives nobody here wrote (issue #27), in Chromium: an answers-only home page, a small diagram, a matrix formula."""
from __future__ import annotations

import pytest

from tests.browser.conftest import collect_errors, hold_remote_requests, http_served
from tests.conftest import site_built_as_a_user
from tests.test_long_tail import NOTE, PICTURES_NOTE, answer, jpeg, png


@pytest.fixture(scope="module")
def long_tail_url(tmp_path_factory):
    files = {f"answers/{n}.md": answer(n) for n in range(35)} | {
        "notes/many-body.md": NOTE, "notes/图.md": PICTURES_NOTE, "notes/small.png": png(40, 20, (0, 0, 200)),
        "notes/flow1.pdf": b"%PDF-1.4\n", "notes/flow1.jpg": jpeg()}
    site, result = site_built_as_a_user(tmp_path_factory.mktemp("long-tail-browser"), files)
    assert result.returncode == 0, result.stderr
    with http_served(site) as url:
        yield url


@pytest.mark.parametrize("width", [1280, 390])
def test_an_answers_home_page_lists_questions_compactly(browser, long_tail_url, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    failed: list[str] = []  # the page's own requests; the browser's /favicon.ico probe is not one
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico") and failed.append(r.url))
    errors = collect_errors(page)
    page.goto(long_tail_url + "index.html", wait_until="load")
    headings = page.locator("main h2").all_inner_texts()
    assert headings == ["问题与回答", "学习笔记"]
    assert page.locator("#questions .item").count() == 30
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 30 * 200, f"{height} px: a row per question, not a card"
    assert page.locator(".site-nav a", has_text="问题").is_visible()
    page.close()
    assert failed == [] and [e for e in errors if "404" not in e] == []


def test_a_picture_given_half_the_width_takes_half_the_column(page, long_tail_url):
    hold_remote_requests(page)
    page.goto(long_tail_url + "notes/图.html", wait_until="load")
    widths = page.evaluate("""() => {
        const img = [...document.querySelectorAll('.entry-body img')].find(i => i.getAttribute('width') === '50%');
        return [img.getBoundingClientRect().width, document.querySelector('.entry-body').getBoundingClientRect().width];
    }""")
    assert abs(widths[0] - widths[1] / 2) < 2, widths


def test_a_matrix_from_an_equation_url_with_an_ampersand_is_typeset_in_rows(page, long_tail_url):
    page.goto(long_tail_url + "notes/many-body.html", wait_until="load")
    rows = page.evaluate("""() => [...document.querySelectorAll('.entry-body math')]
        .filter(m => m.querySelector('mtable')).map(m => m.querySelectorAll('mtr').length)""")
    assert rows == [2]
    assert "\\\\begin" not in page.locator(".entry-body").inner_text()
