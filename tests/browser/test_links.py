"""Links between pages in Chromium: 被引用 with the linking sentence, wikilinks, related pages and link previews.

The site is tests/linked.py's small archive, built with the CLI; previews are
checked served over HTTP on 127.0.0.1 and opened from disk (file://), by
hovering and by keyboard focus.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import http_served
from tests.browser.test_every_page import AXE
from tests.conftest import site_built_as_a_user
from tests.linked import B_OPENS, FROM_A, FROM_C, FROM_NOTE, files

WAIT_MS = 10_000


@pytest.fixture(scope="module")
def linked_site(tmp_path_factory):
    site, result = site_built_as_a_user(tmp_path_factory.mktemp("linked"), files())
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module")
def linked_url(linked_site):
    with http_served(linked_site) as url:
        yield url


@pytest.fixture(params=["served", "file"])
def base(request, linked_site, linked_url) -> str:
    """The site's address, over HTTP or on disk."""
    return linked_url if request.param == "served" else linked_site.as_uri() + "/"


def script_errors(page) -> list[str]:
    """Uncaught exceptions (the console's lines include the test server's 404 for /favicon.ico, which no page names)."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_backlinks_list_each_linking_page_with_its_sentence(page, linked_url):
    errors = script_errors(page)
    page.goto(linked_url + "p/102.html")
    section = page.locator("section.backlinks")
    expect(section.locator("h2")).to_contain_text("被引用")
    items = section.locator("li")
    expect(items).to_have_count(3)
    for title, sentence in (("文章甲", FROM_A), ("文章丙", FROM_C), ("读书笔记", FROM_NOTE)):
        item = items.filter(has=page.locator("a.backlink-source", has_text=title))
        expect(item.locator(".backlink-context")).to_have_text(sentence)
    section.get_by_role("link", name="文章甲").click()
    expect(page.locator("h1")).to_have_text("文章甲")
    assert errors == []


def test_a_page_nobody_links_has_no_backlinks_but_related_pages(page, linked_url):
    page.goto(linked_url + "notes/%E8%AF%BB%E4%B9%A6%E7%AC%94%E8%AE%B0.html")
    expect(page.locator("section.backlinks")).to_have_count(0)
    expect(page.locator("nav.related li")).to_have_text(["文章甲", "文章乙"])


def test_backlinks_and_related_need_no_javascript(browser, linked_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(linked_url + "p/101.html")
    expect(page.locator("section.backlinks .backlink-source")).to_have_text(["文章丙", "读书笔记"])
    expect(page.locator("nav.related a").first).to_be_visible()
    context.close()


def test_wikilinks_lead_to_pages_and_pictures(page, linked_url):
    page.goto(linked_url + "notes/%E8%AF%BB%E4%B9%A6%E7%AC%94%E8%AE%B0.html")
    body = page.locator(".entry-body")
    expect(body.get_by_role("link", name="甲文")).to_have_attribute("href", "../p/101.html")
    picture = body.locator("img")
    expect(picture).to_have_count(1)
    page.wait_for_function("document.querySelector('.entry-body img').complete")
    assert picture.evaluate("img => img.naturalWidth") == 2
    expect(body).to_contain_text("还有不存在的页")  # unresolved: its text, not a link
    expect(body.get_by_role("link", name="不存在的页")).to_have_count(0)
    expect(body.locator("code")).to_have_text(["[[代码里的]]", "![[代码.png]]"])  # in code, as written
    body.get_by_role("link", name="文章乙").click()
    expect(page.locator("h1")).to_have_text("文章乙")


def expect_preview_of_b(page) -> None:
    preview = page.locator("#link-preview")
    expect(preview).to_be_visible(timeout=WAIT_MS)
    expect(preview.locator(".link-preview-title")).to_have_text("文章乙")
    expect(preview.locator(".link-preview-meta")).to_have_text("链接专栏")
    expect(preview.locator(".link-preview-text")).to_contain_text(B_OPENS)


def test_hovering_a_link_previews_its_page(page, base):
    errors = script_errors(page)
    page.goto(base + "p/101.html")
    url = page.url
    page.locator(".entry-body a", has_text="乙文").hover()
    expect_preview_of_b(page)
    assert page.url == url  # without leaving the page
    page.mouse.move(0, 0)
    expect(page.locator("#link-preview")).to_be_hidden(timeout=WAIT_MS)
    assert errors == []


def test_focusing_a_link_by_keyboard_previews_its_page(page, base):
    page.goto(base + "p/101.html")
    link = page.locator(".entry-body a", has_text="乙文")
    for _ in range(40):
        page.keyboard.press("Tab")
        if link.evaluate("a => a === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the link")
    expect_preview_of_b(page)
    expect(link).to_have_attribute("aria-describedby", "link-preview")
    page.keyboard.press("Escape")
    expect(page.locator("#link-preview")).to_be_hidden()
    expect(link).not_to_have_attribute("aria-describedby", "link-preview")


def test_a_backlink_previews_the_page_it_comes_from(page, linked_url):
    page.goto(linked_url + "p/102.html")
    page.locator("section.backlinks a", has_text="文章甲").hover()
    preview = page.locator("#link-preview")
    expect(preview.locator(".link-preview-title")).to_have_text("文章甲", timeout=WAIT_MS)
    expect(preview.locator(".link-preview-text")).to_contain_text("开头一句。")


@pytest.mark.parametrize("path", ["p/101.html", "p/102.html", "notes/%E8%AF%BB%E4%B9%A6%E7%AC%94%E8%AE%B0.html"])
def test_pages_with_links_and_a_preview_open_are_accessible(page, linked_url, path):
    left: list[str] = []
    page.on("request", lambda r: r.url.startswith(linked_url) or left.append(r.url))
    page.goto(linked_url + path, wait_until="load")
    page.locator("main a[href$='.html']").last.focus()  # a pager's or related page's link: its preview opens
    expect(page.locator("#link-preview")).to_be_visible(timeout=WAIT_MS)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)""")
    assert violations == []
    assert left == []


def test_a_long_press_previews_a_link_without_following_it(browser, linked_url):
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(linked_url + "p/101.html")
    link = page.locator(".entry-body a", has_text="乙文")
    link.dispatch_event("touchstart", {"touches": [], "changedTouches": [], "targetTouches": []})
    expect_preview_of_b(page)
    link.dispatch_event("touchend")
    link.dispatch_event("click")  # the finger's lift
    expect(page.locator("h1")).to_have_text("文章甲")  # still here
    link.tap()  # a tap, not a long press: the link is followed
    expect(page.locator("h1")).to_have_text("文章乙")
    context.close()
