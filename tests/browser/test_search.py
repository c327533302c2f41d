"""Search on the built seed site in Chromium: Pagefind over HTTP, and a plain notice from file://."""
from __future__ import annotations

import gzip
import json
import re

from playwright.sync_api import expect

from tests.browser.conftest import collect_errors, hold_remote_requests, http_served

WAIT = 15_000  # ms: the first search loads Pagefind's runtime and index chunks


def search(page, site_url, term, start="index.html"):
    hold_remote_requests(page)
    page.goto(f"{site_url}{start}")
    box = page.locator(".site-search input").first
    box.fill(term)
    return page.locator(".site-search .pagefind-ui__results")


def test_a_chinese_word_from_mid_sentence_finds_its_article(page, site_url):
    errors = collect_errors(page)
    results = search(page, site_url, "注意力")
    expect(results).to_contain_text("CV中的注意力机制", timeout=WAIT)
    expect(page.locator(".site-search .pagefind-ui__result mark").first).to_be_visible()
    assert errors == []


def test_results_come_from_both_columns(page, site_url):
    results = search(page, site_url, "目标检测", start="p/60692852.html")
    expect(results).to_contain_text("深度学习检测小目标常用方法", timeout=WAIT)  # 船长黑板报
    expect(results).to_contain_text("全监督检测之YOLO", timeout=WAIT)  # 浅度学习
    # Result links are real pages of the site, relative to where it is served.
    href = page.locator(".site-search .pagefind-ui__result-link").first.get_attribute("href")
    assert re.fullmatch(r"/(p|notes)/[^/]+\.html(#.*)?", href), href


def test_the_plain_text_note_is_found(page, site_url):
    results = search(page, site_url, "交叉验证", start="notes/index.html")
    expect(results).to_contain_text("DL超级大火锅", timeout=WAIT)


def test_a_latin_term_with_a_hyphen(page, site_url):
    results = search(page, site_url, "Grad-CAM")
    expect(results).to_contain_text("CNN可视化之类激活热力图Grad-CAM", timeout=WAIT)


def test_a_column_filter_narrows_the_results(page, site_url):
    results = search(page, site_url, "目标检测")
    expect(results).to_contain_text("深度学习检测小目标常用方法", timeout=WAIT)
    message = page.locator(".site-search .pagefind-ui__message")
    before = int(re.search(r"\d+", message.inner_text()).group())
    page.locator(".site-search .pagefind-ui__filter-name", has_text="专栏").click()
    page.get_by_label(re.compile("^浅度学习")).check()
    expect(results).not_to_contain_text("深度学习检测小目标常用方法", timeout=WAIT)  # a 船长黑板报 article
    expect(results).to_contain_text("全监督检测之YOLO")
    after = int(re.search(r"\d+", message.inner_text()).group())
    assert 0 < after < before


def test_results_are_reached_and_closed_with_the_keyboard(page, site_url):
    results = search(page, site_url, "Grad-CAM")
    expect(results).to_contain_text("Grad-CAM", timeout=WAIT)
    link = page.locator(".site-search .pagefind-ui__result-link").first
    for _ in range(10):
        page.keyboard.press("Tab")
        if link.evaluate("a => a === document.activeElement"):
            break
    expect(link).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(".site-search .pagefind-ui__drawer")).to_be_hidden()
    expect(page.locator(".site-search input").first).to_be_focused()


def test_from_file_the_box_says_search_needs_a_url_and_links_the_indexes(page, seed_site):
    errors = collect_errors(page)
    page.route(lambda url: url.startswith(("http://", "https://")), lambda route: None)  # the network stays out of reach
    page.goto((seed_site / "p" / "60692852.html").as_uri())
    box = page.locator(".site-search input").first
    box.fill("注意力")
    notice = page.locator(".site-search .search-unavailable")
    expect(notice).to_be_visible(timeout=WAIT)
    expect(notice).to_contain_text("不能搜索")
    topics = notice.get_by_role("link", name="话题")
    columns = notice.get_by_role("link", name="专栏")
    assert topics.get_attribute("href") == "../topics/index.html"
    assert columns.get_attribute("href") == "../index.html#columns"
    topics.click()
    expect(page.locator("h1")).to_have_text("话题")
    assert errors == []


def first_page_of(files: dict[str, bytes], folder: str) -> str:
    """The id of the first article (by path) whose fragment is in the bundle at *folder*."""
    urls = sorted(
        json.loads(gzip.decompress(data)[len(b"pagefind_dcd"):])["url"]
        for name, data in files.items()
        if name.startswith(f"{folder}/fragment/")
    )
    return urls[0].removeprefix("/p/").removesuffix(".html")


def test_results_come_from_every_shard_of_a_large_site(page, sharded_build):
    with http_served(sharded_build.output) as url:
        for folder in ("pagefind", "pagefind/shard-1"):
            article = int(first_page_of(sharded_build.files, folder))
            results = search(page, url, f"kiwi{article:04d}")
            expect(results).to_contain_text(f"第{article}篇", timeout=WAIT)
            page.locator(".site-search .pagefind-ui__result-link").first.click()
            expect(page.locator("h1")).to_have_text(f"第{article}篇")
