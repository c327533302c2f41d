"""Remote pictures in Chromium (``mode = "remote"``, or kept at their addresses by a build with no network):
no Referer sent, and a failed one becomes the dashed box."""
from __future__ import annotations

from tests.browser.conftest import collect_errors

ARTICLE = "p/60692852.html"  # 浅度学习: YOLO, five figures on pic*.zhimg.com


def load_all(page) -> None:
    page.evaluate("""async () => {
        for (const img of document.querySelectorAll('.entry-body img')) { img.loading = 'eager'; img.scrollIntoView(); }
        await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
    }""")


def test_pictures_are_requested_without_a_referer(page, site_url):
    referers: dict[str, str | None] = {}

    def answer(route):
        referers[route.request.url] = route.request.headers.get("referer")
        route.fulfill(status=200, content_type="image/svg+xml", body='<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>')

    page.route("https://**.zhimg.com/**", answer)
    page.goto(site_url + ARTICLE, wait_until="load")
    load_all(page)
    assert len(referers) >= 5
    assert set(referers.values()) == {None}


def test_a_picture_that_fails_becomes_the_dashed_box_with_its_caption(page, site_url):
    errors = collect_errors(page)
    page.route("https://**.zhimg.com/**", lambda route: route.abort())
    page.goto(site_url + ARTICLE, wait_until="load")
    load_all(page)
    page.wait_for_function("document.querySelectorAll('.entry-body img').length === 0")
    boxes = page.evaluate("""() => [...document.querySelectorAll('.entry-body .image-unavailable')].map(b => ({
        parent: b.parentElement.tagName, href: b.getAttribute('href'), text: b.textContent,
        dashed: getComputedStyle(b).borderStyle, height: b.getBoundingClientRect().height }))""")
    assert len(boxes) == 5
    first = boxes[0]
    assert first["parent"] == "FIGURE" and first["dashed"] == "dashed" and first["height"] > 50
    assert first["href"] == "https://pic1.zhimg.com/v2-2fa9d0b279b62fa77229de1a30ca0028_r.jpg"
    assert first["text"] == "图片无法加载：yolo预测时的工作流程842 × 216", "remote mode: the picture could not be loaded, not \"not saved\""
    assert boxes[2]["text"] == "图片无法加载398 × 270", "no caption: the text around the box says what it showed"
    assert [e for e in errors if "ERR_FAILED" not in e] == []


def test_without_a_script_the_alt_text_stands_in(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.route("https://**.zhimg.com/**", lambda route: route.abort())
    page.goto(site_url + ARTICLE, wait_until="load")
    alts = page.evaluate("() => [...document.querySelectorAll('.entry-body figure img')].map(i => i.alt)")
    context.close()
    assert alts == ["yolo预测时的工作流程", "yolo网络结构", "", "", ""], "the captions; the others are told by the text around"
