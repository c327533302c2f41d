"""The reading tools of the default theme in Chromium: the contents list, heading anchors, copy
buttons, picture zoom, the light/dark switch, print colours, list order and the 404 page anywhere."""
from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import QuietHandler
from tests.browser.test_every_page import AXE
from tests.images.server import png

ARTICLE = "p/60692852.html"  # 全监督检测之YOLO: 1.YOLO的训练, 1.1 gt assignment, …
CODE = "p/46566618.html"  # bash and plain-text blocks
PICTURES = "p/83221558.html"  # pictures linking to their full size


@pytest.fixture
def wide(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


@pytest.fixture
def narrow(browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    yield context.new_page()
    context.close()


def test_the_contents_list_sits_in_the_margin_stays_in_view_and_marks_the_current_section(wide, site_url):
    wide.goto(site_url + ARTICLE)
    toc = wide.locator(".toc")
    expect(toc.locator("details")).to_have_attribute("open", "")
    body = wide.locator(".entry-body").bounding_box()
    assert toc.bounding_box()["x"] >= body["x"] + body["width"]
    wide.evaluate("document.getElementById('1-2-输出值的意义及其回归目标').scrollIntoView({block: 'start'})")
    current = toc.locator("a[aria-current]")
    expect(current).to_have_count(1)
    expect(current).to_have_text("1.2 输出值的意义及其回归目标")
    box = toc.locator("summary").bounding_box()
    assert 0 <= box["y"] < 100  # still in view, far down the article
    wide.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(current).to_have_text("3.Inference")


def test_on_a_phone_the_contents_list_is_closed_above_the_text(narrow, site_url):
    narrow.goto(site_url + ARTICLE)
    details = narrow.locator(".toc details")
    expect(details).not_to_have_attribute("open", "")
    assert narrow.locator(".toc").bounding_box()["y"] < narrow.locator(".entry-body").bounding_box()["y"]
    narrow.locator(".toc summary").click()
    narrow.locator(".toc a", has_text="1.1 gt assignment").click()
    assert narrow.evaluate("decodeURIComponent(location.hash)") == "#1-1-gt-assignment"


def test_headings_have_visible_anchors_to_their_readable_ids(wide, site_url):
    wide.goto(site_url + ARTICLE)
    heading = wide.locator('h3[id="1-1-gt-assignment"]')
    anchor = heading.locator("a.heading-anchor")
    heading.hover()
    expect(anchor).to_be_visible()
    assert float(anchor.evaluate("a => getComputedStyle(a).opacity")) == 1
    anchor.click()
    assert wide.evaluate("decodeURIComponent(location.hash)") == "#1-1-gt-assignment"


def test_code_blocks_have_their_language_and_a_copy_button_that_works_from_the_keyboard(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    page.goto(site_url + CODE)
    bar = page.locator(".code-bar").filter(has_text="bash")
    expect(bar).to_have_count(1)
    button = bar.locator("button.code-copy")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_text("已复制")
    code = page.locator(".code-bar:has-text('bash') + .highlight pre").inner_text()
    assert page.evaluate("navigator.clipboard.readText()") == code.rstrip("\n")
    context.close()


def test_only_blocks_that_scroll_are_tab_stops(narrow, site_url):
    narrow.goto(site_url + CODE, wait_until="load")
    blocks = narrow.evaluate("""() => [...document.querySelectorAll('.entry-body :is(pre, table, math[display=block])')]
        .map(b => [b.scrollWidth > b.clientWidth + 1, b.getAttribute('tabindex')])""")
    assert any(scrolls for scrolls, _ in blocks) and any(not scrolls for scrolls, _ in blocks)
    assert all((tabindex == "0") == scrolls for scrolls, tabindex in blocks)


def test_a_picture_opens_large_over_the_page_and_esc_or_back_closes_it(wide, site_url):
    # The seed's pictures are Zhihu's: answered here, nothing leaves the machine.
    wide.route(lambda url: not url.startswith(site_url), lambda route: route.fulfill(body=png(40, 30, (40, 120, 200)), content_type="image/png"))
    wide.goto(site_url + PICTURES)
    address = wide.url
    link = wide.locator(".entry-body a.zoom").first
    full = link.evaluate("a => a.href")
    link.click()
    dialog = wide.locator("dialog.zoom-view")
    expect(dialog).to_be_visible()
    assert dialog.locator("img").evaluate("img => img.src") == full
    wide.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert wide.url == address
    link.click()
    expect(dialog).to_be_visible()
    wide.go_back()
    expect(dialog).to_be_hidden()
    assert wide.url == address


def test_the_dark_switch_is_remembered_beside_the_system_setting(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="light")
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    background = "getComputedStyle(document.body).backgroundColor"
    assert page.evaluate(background) == "rgb(255, 255, 255)"
    switch = page.locator("button.theme-switch")
    expect(switch).to_have_attribute("aria-pressed", "false")
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(background) == "rgb(22, 24, 29)"
    page.goto(site_url + "index.html")  # another page: dark from the first paint, set in <head>
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate(background) == "rgb(22, 24, 29)"
    page.locator("button.theme-switch").click()  # back to the system's setting: the choice is forgotten
    assert page.evaluate("localStorage.getItem('zhsite-theme')") is None
    context.close()


def test_print_is_light_whatever_the_screen_scheme(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="dark")
    page = context.new_page()
    page.goto(site_url + CODE)
    code = page.locator(".highlight").first
    colours = "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
    assert code.evaluate(colours) == ["rgb(13, 17, 23)", "rgb(230, 237, 243)"]  # github-dark on a dark screen
    page.emulate_media(media="print", color_scheme="dark")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    assert code.evaluate(colours) == ["rgb(248, 248, 248)", "rgb(0, 0, 0)"]  # Pygments' light palette
    page.evaluate("document.documentElement.dataset.theme = 'dark'")  # the reader's choice is for the screen only
    assert code.evaluate(colours) == ["rgb(248, 248, 248)", "rgb(0, 0, 0)"]
    context.close()


def test_oldest_first_reorders_the_list_itself_and_stays_at_the_top(wide, site_url):
    wide.goto(site_url + "columns/c_1074249022222409728.html")
    first = "document.querySelector('.item-list .item-title').textContent"
    assert wide.evaluate(first) == "Anchor Free第四篇CenterNet: Keypoint Triplets"
    wide.click("text=最早在前")
    assert wide.evaluate(first) == '"undefined reference to XXX"问题总结'  # the document's order: Tab and screen readers
    assert wide.evaluate("window.scrollY") == 0
    wide.reload()
    assert wide.evaluate(first) == '"undefined reference to XXX"问题总结'
    expect(wide.locator(".order-oldest")).to_have_attribute("aria-current", "true")


class PagesHandler(QuietHandler):
    """GitHub Pages' way: a missing path is answered with the site's 404.html, status 404."""

    def send_error(self, code, message=None, explain=None):
        page = self.translate_path("/repo/404.html")
        if code != 404:
            return super().send_error(code, message, explain)
        with open(page, "rb") as file:
            body = file.read()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def test_the_404_page_works_at_a_deep_path_under_a_folder(wide, seed_site, tmp_path):
    (tmp_path / "repo").symlink_to(seed_site, target_is_directory=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(PagesHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}/repo/"
    try:
        wide.goto(root + "no/such/page.html")
        home = wide.locator("main a", has_text="首页")
        expect(home).to_have_attribute("href", "index.html")
        wide.wait_for_function("document.querySelector('main a').href.endsWith('/repo/index.html')")
        expect(wide.locator(".site-title")).to_have_css("font-weight", "700")  # the stylesheet found too
        wide.keyboard.press("Tab")
        wide.keyboard.press("Enter")  # the skip link stays on this page
        assert wide.url == root + "no/such/page.html#main"
        home.click()
        expect(wide).to_have_url(root + "index.html")
    finally:
        server.shutdown()
        server.server_close()


def test_the_404_page_opened_from_disk_links_into_the_site(wide, seed_site):
    wide.goto((seed_site / "404.html").as_uri())
    wide.locator("main a", has_text="话题").click()
    expect(wide).to_have_url((seed_site / "topics" / "index.html").as_uri())
    expect(wide.locator("h1")).to_have_text("话题")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_reading_tools_pass_axe_on_a_wide_screen(browser, site_url, scheme):
    axe = AXE.read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.route(lambda url: not url.startswith(site_url), lambda route: route.fulfill(body=png(40, 30, (40, 120, 200)), content_type="image/png"))
    found = {}
    for path in (ARTICLE, CODE, PICTURES, "index.html", "columns/c_1074249022222409728.html"):
        page.goto(site_url + path, wait_until="load")
        page.evaluate("window.scrollTo(0, 1500)")  # a section marked in the contents list
        if path == PICTURES:
            page.locator(".entry-body a.zoom").first.click()  # the picture open over the page
        page.add_script_tag(content=axe)
        found[path] = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => `${v.id}: ${v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(', ')}`)""")
    context.close()
    assert {path: v for path, v in found.items() if v} == {}


def test_a_notes_own_outline_becomes_the_contents_list_in_the_margin(wide, site_url):
    wide.goto(site_url + "notes/deep-learning-notes.html")  # opens with its own list of sections
    outline = wide.locator(".toc details ul")
    expect(outline).to_be_visible()
    expect(wide.locator(".entry-body .note-toc")).to_have_count(0)
    body = wide.locator(".entry-body").bounding_box()
    assert outline.bounding_box()["x"] >= body["x"] + body["width"]
    expect(outline.locator("a").first).to_have_text("mIOU")


def test_without_a_script_the_contents_are_in_the_margin_and_every_scroller_is_a_tab_stop(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    expect(page.locator(".toc a").first).to_be_visible()
    expect(page.locator(".toc a[aria-current]")).to_have_count(0)
    page.goto(site_url + CODE)
    assert page.evaluate("[...document.querySelectorAll('.entry-body pre')].every(p => p.getAttribute('tabindex') === '0')")
    expect(page.locator(".code-bar")).to_have_count(0)
    context.close()
