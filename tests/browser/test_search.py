"""Search on the built seed site in Chromium, served over HTTP and opened from disk: the header's box and search.html."""
from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

import zhsite.search.files
from tests.browser.conftest import collect_errors, hold_remote_requests, http_served
from tests.conftest import make_project
from tests.test_search import page_document
from zhsite.build import build
from zhsite.search.files import GB18030_UNSURE

WAIT = 15_000  # ms: the first search loads the index


def holders(site: Path, term: str) -> set[str]:
    """The article and note pages whose title or body text, as shown, holds *term*."""
    found = set()
    for path in site.glob("*/*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        body = soup.select_one(".entry-body")
        if body is None:
            continue
        for annotation in body.find_all("annotation"):
            annotation.decompose()
        if term in soup.h1.get_text() + body.get_text():
            found.add(path.relative_to(site).as_posix())
    return found


def result_pages(page, root: str) -> set[str]:
    links = page.locator(".search-page-results .search-result-title")
    return {href.removeprefix(root) for href in links.evaluate_all("links => links.map(a => a.href)")}


def open_results(page, root: str, query: str) -> None:
    page.goto(f"{root}search.html?{query}")
    expect(page.locator(".search-page-status")).to_contain_text(re.compile(r"\d+ 篇|没有"), timeout=WAIT)


@pytest.fixture(params=["http", "file"])
def root(request, site_url, seed_site, page):
    """The seed site's address, served or on disk; nothing may leave it."""
    if request.param == "http":
        hold_remote_requests(page)
        return site_url
    page.route(lambda url: url.startswith(("http://", "https://")), lambda route: None)
    return seed_site.as_uri() + "/"


@pytest.mark.parametrize("term", ["卷积", "语义分割", "注意力", "学习率"])
def test_the_results_page_lists_every_page_holding_the_term(page, root, seed_site, term):
    errors = collect_errors(page)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    expected = holders(seed_site, term)
    assert len(expected) >= 2, term
    open_results(page, root, f"q={quote(term)}")
    found = result_pages(page, root)
    assert expected <= found, sorted(expected - found)
    # Holders come first: a page with only part of the term (注意 for 注意力) ranks below any holder.
    first = [href.removeprefix(root) for href in page.locator(".search-result-title").evaluate_all("a => a.map(x => x.href)")]
    assert set(first[:len(expected)]) == expected
    expect(page.locator(".search-page-results mark").first).to_have_text(term)
    assert errors == []
    assert [url for url in requests if not url.startswith(root)] == []  # no request leaves the site


def test_the_header_box_shows_results_as_one_types_and_enter_opens_the_results_page(page, root):
    errors = collect_errors(page)
    page.goto(f"{root}p/60692852.html")
    box = page.locator(".site-search input")
    box.fill("注意力")
    results = page.locator(".site-search .search-results")
    expect(results).to_contain_text("CV中的注意力机制", timeout=WAIT)
    expect(page.locator(".site-search .search-result mark").first).to_have_text("注意力")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"search\.html\?q=%E6%B3%A8%E6%84%8F%E5%8A%9B$"))
    expect(page.locator(".search-page-results")).to_contain_text("CV中的注意力机制", timeout=WAIT)
    expect(page.locator(".search-page-input")).to_have_value("注意力")
    page.locator(".search-page-results .search-result-title", has_text="CV中的注意力机制").click()
    expect(page.locator("h1")).to_have_text("CV中的注意力机制")
    assert errors == []


def test_the_box_lists_the_first_results_and_links_all_of_them(page, root, seed_site):
    page.goto(f"{root}index.html")
    page.locator(".site-search input").fill("卷积")
    more = page.locator(".site-search .search-all")
    expect(more).to_have_text(re.compile(r"全部(约)? \d+ 篇结果"), timeout=WAIT)
    assert page.locator(".site-search .search-result").count() == 8
    assert int(re.search(r"\d+", more.inner_text()).group()) >= len(holders(seed_site, "卷积"))
    more.click()
    expect(page).to_have_url(re.compile(r"search\.html\?q=%E5%8D%B7%E7%A7%AF$"))
    expect(page.locator(".search-page-status")).to_have_text(re.compile(r"^\d+ 篇$"), timeout=WAIT)


def test_filters_narrow_the_results_and_live_in_the_address(page, root):
    open_results(page, root, f"q={quote('目标检测')}")
    everything = result_pages(page, root)
    page.locator("select[name=column]").select_option("浅度学习")
    # The address holds the query and the filter chosen, not the ones left at 全部.
    expect(page).to_have_url(re.compile(r"search\.html\?q=%E7%9B%AE%E6%A0%87%E6%A3%80%E6%B5%8B&column=%E6%B5%85%E5%BA%A6%E5%AD%A6%E4%B9%A0$"))
    expect(page.locator(".search-page-status")).to_have_text(re.compile(r"\d+ 篇$"), timeout=WAIT)
    narrowed = result_pages(page, root)
    assert narrowed and narrowed < everything
    assert "全监督检测之YOLO" in page.locator(".search-page-results").inner_text()
    assert "深度学习检测小目标常用方法" not in page.locator(".search-page-results").inner_text()  # 船长黑板报's
    for meta in page.locator(".search-result-meta").all_inner_texts():
        assert meta.startswith("浅度学习"), meta
    # The type filter, from a shared address: only notes.
    open_results(page, root, f"q={quote('交叉验证')}&type=note")
    assert result_pages(page, root) == {"notes/dl-hotpot-faq.html"}
    expect(page.locator("select[name=type]")).to_have_value("note")


def test_filters_alone_list_their_pages(page, site_url):
    # search.html?topic=… with no query: every page of the topic, as the topic's own page lists them.
    open_results(page, site_url, f"topic={quote('图像分割')}")
    expect(page.locator(".search-page-status")).to_have_text("5 篇")
    expect(page.locator("select[name=topic]")).to_have_value("图像分割")
    open_results(page, site_url, "type=answer")
    expect(page.locator(".search-page-status")).to_have_text("没有符合筛选条件的文章或笔记")


def test_results_are_reached_and_closed_with_the_keyboard(page, site_url):
    page.goto(f"{site_url}index.html")
    page.locator(".site-search input").fill("Grad-CAM")
    link = page.locator(".site-search .search-result-title").first
    expect(link).to_contain_text("Grad-CAM", timeout=WAIT)
    for _ in range(10):
        page.keyboard.press("Tab")
        if link.evaluate("a => a === document.activeElement"):
            break
    expect(link).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(".site-search .search-drawer")).to_be_hidden()
    expect(page.locator(".site-search input")).to_be_focused()


def test_search_is_readable_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    open_results(page, site_url, f"q={quote('卷积')}")
    sizes = page.evaluate("""() => Object.fromEntries(
        ['.site-search input', '.search-page-input', '.search-result-title', '.search-result-excerpt', '.search-result-meta']
          .map(s => [s, parseFloat(getComputedStyle(document.querySelector(s)).fontSize)]))""")
    context.close()
    assert sizes[".site-search input"] >= 16 and sizes[".search-page-input"] >= 16, sizes  # iOS zooms into smaller inputs
    assert sizes[".search-result-title"] >= 16, sizes
    assert sizes[".search-result-excerpt"] >= 14 and sizes[".search-result-meta"] >= 14, sizes


def test_excerpts_come_from_the_matching_passage_without_boilerplate_or_markdown(page, site_url):
    open_results(page, site_url, f"q={quote('CornerNet')}")
    excerpts = page.locator(".search-result-excerpt").all_inner_texts()
    assert excerpts
    for text in excerpts:
        assert "CornerNet" in text or "cornernet" in text.lower(), text
        assert "**" not in text and "###" not in text and "欢迎探讨" not in text, text


HOSTILE = "<img src=x onerror=alert(1)>"


def test_archive_text_is_shown_as_text_never_run(page, tmp_path):
    column = {"title": f"专栏{HOSTILE}", "article": [{
        "url": "https://zhuanlan.zhihu.com/p/1", "title": f"标题{HOSTILE}", "userName": HOSTILE,
        "content": "<p>卷积 &lt;img src=x onerror=alert(2)&gt; 正文</p>",
        "topic": [{"tag": HOSTILE, "tagLink": "https://www.zhihu.com/topic/1"}],
    }]}
    site = build(make_project(tmp_path, {"c.json": json.dumps(column, ensure_ascii=False)})).output
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{site.as_uri()}/search.html?q={quote('卷积')}&author={quote(HOSTILE)}&topic={quote(HOSTILE)}")
    expect(page.locator(".search-page-status")).to_have_text("1 篇", timeout=WAIT)
    expect(page.locator(".search-result-title")).to_have_text(f"标题{HOSTILE}")
    expect(page.locator(".search-result-meta")).to_contain_text(HOSTILE)
    expect(page.locator("select[name=author]")).to_have_value(HOSTILE)
    page.locator(".site-search input").fill("卷积")
    expect(page.locator(".site-search .search-result-excerpt")).to_contain_text("onerror=alert(2)", timeout=WAIT)
    assert page.locator("main img, .site-search img").count() == 0
    assert dialogs == []


def test_a_search_needing_several_files_says_how_far_it_has_loaded(page, tmp_path, monkeypatch):
    # One page a text file; the text files are held back so the note can be seen.
    monkeypatch.setattr(zhsite.search.files, "GROUP_PAGES", 1)
    column = {"title": "专栏", "article": [
        {"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"第{i}篇", "userName": "甲", "content": f"<p>第{i}种卷积</p>"}
        for i in (1, 2, 3)]}
    site = build(make_project(tmp_path, {"c.json": json.dumps(column, ensure_ascii=False)})).output
    held = []
    with http_served(site) as url:
        page.route(re.compile(r".*/search/text-\d+-\d+\.js$"), lambda route: held.append(route))
        page.goto(f"{url}p/1.html")
        page.locator(".site-search input").fill("卷积")
        status = page.locator(".site-search .search-status")
        expect(status).to_have_text("正在载入…", timeout=WAIT)  # held back longer than 200 ms
        assert page.locator(".site-search .search-result").count() == 0
        for route in held:
            route.continue_()
        expect(status).to_have_text("3 篇", timeout=WAIT)


def test_an_index_file_that_does_not_load_is_named_and_the_lists_linked(page, seed_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(seed_site, site)
    (site / "search" / "index.js").unlink()
    page.goto((site / "p" / "60692852.html").as_uri())
    page.locator(".site-search input").fill("卷积")
    status = page.locator(".site-search .search-status")
    expect(status).to_contain_text("搜索索引未能载入：index.js", timeout=WAIT)
    expect(status.get_by_role("link", name="专栏")).to_have_attribute("href", re.compile(r"index\.html#columns$"))


def test_results_come_from_every_text_file_of_a_large_site(page, sharded_build):
    texts = sorted(name for name in sharded_build.files if name.startswith("search/text-"))
    with http_served(sharded_build.output) as url:
        for root in (url, sharded_build.output.as_uri() + "/"):
            for name in (texts[0], texts[-1]):
                article = int(page_document(sharded_build.files[name])[2]["u"].removeprefix("p/").removesuffix(".html"))
                page.goto(f"{root}index.html")
                page.locator(".site-search input").fill(f"kiwi{article:04d}")
                link = page.locator(".site-search .search-result-title").first
                expect(link).to_have_text(f"第{article}篇", timeout=WAIT)
                link.click()
                expect(page.locator("h1")).to_have_text(f"第{article}篇")


@pytest.fixture(scope="module")
def split_seed_site(seed_project, tmp_path_factory) -> Path:
    """The seed site indexed as a large one is: groups of two pages, two a routing file (32 of each),
    the routing index made in parts of eight pages (8 parts)."""
    project = tmp_path_factory.mktemp("split-seeds")
    shutil.copytree(seed_project, project, dirs_exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zhsite.search.files, "GROUP_PAGES", 2)
        patch.setattr(zhsite.search.files, "TERM_PAGES", 2)
        patch.setattr(zhsite.search.files, "PART_PAGES", 8)
        return build(project).output


@pytest.mark.parametrize("served", [True, False], ids=["http", "file"])
@pytest.mark.parametrize("term", ["卷积", "语义分割"])
def test_a_split_index_finds_every_page_holding_the_term(page, split_seed_site, seed_site, term, served):
    assert len(list((split_seed_site / "search").glob("text-*.js"))) == 54  # one a page
    assert len(list((split_seed_site / "search").glob("terms-*.js"))) == 32
    expected = holders(seed_site, term)
    with http_served(split_seed_site) as url:
        root = url if served else split_seed_site.as_uri() + "/"
        open_results(page, root, f"q={quote(term)}")
        found = result_pages(page, root)
        assert expected <= found, sorted(expected - found)  # and a page tagged with the term, as on one file
        expect(page.locator(".search-page-status")).to_have_text(f"{len(found)} 篇")


@pytest.mark.parametrize("term", ["卷积", "语义分割"])
def test_a_first_search_loads_only_the_files_it_needs(page, split_seed_site, term):
    loaded = []
    page.on("request", lambda request: loaded.append(request.url.rsplit("/", 1)[-1]))
    with http_served(split_seed_site) as url:
        page.goto(f"{url}index.html")
        page.locator(".site-search input").fill(term)
        expect(page.locator(".site-search .search-result").first).to_be_visible(timeout=WAIT)
        expect(page.locator(".site-search .search-status")).to_have_text(re.compile(r"\d+ 篇$"))
        shown = page.locator(".site-search .search-result-title").evaluate_all("links => links.map(a => a.href)")
    texts = [name for name in loaded if name.startswith("text-")]
    routing = [name for name in loaded if name.startswith("terms-")]
    # The box shows 8 results: their text files, one page each, at most 8 of the 54, and the routing files of the
    # term's sequences.
    file_of = {url + page_document(path.read_bytes())[2]["u"]: path.name for path in (split_seed_site / "search").glob("text-*.js")}
    assert shown and {file_of[href] for href in shown} <= set(texts) and len(texts) <= 8, (shown, texts)
    assert 0 < len(routing) <= len(term) - 1, routing
    assert loaded.count("index.js") == 1


def test_a_term_no_page_holds_as_typed_finds_the_pages_holding_its_words(page, site_url):
    # No seed page holds "Grad-CAM热力图"; the page holding Grad-CAM and 热力图 apart is shown, and said to be partial.
    open_results(page, site_url, f"q={quote('Grad-CAM热力图')}")
    expect(page.locator(".search-page-status")).to_contain_text("没有页面包含完整的“Grad-CAM热力图”")
    assert "CNN可视化之类激活热力图Grad-CAM" in page.locator(".search-page-results").inner_text()
    # A term a page holds as typed shows no partial results.
    open_results(page, site_url, f"q={quote('注意力')}")
    expect(page.locator(".search-page-status")).to_have_text("2 篇")


def test_a_count_not_yet_checked_is_said_to_be_an_estimate(page, split_seed_site, seed_site):
    with http_served(split_seed_site) as url:
        page.goto(f"{url}index.html")
        page.locator(".site-search input").fill("卷积")
        # The box checks the 8 it shows; the rest are the routing index's candidates.
        expect(page.locator(".site-search .search-status")).to_have_text(
            re.compile(r"^约 \d+ 篇$"), timeout=WAIT)
        more = page.locator(".site-search .search-all")
        expect(more).to_have_text(re.compile(r"全部约 \d+ 篇结果"))
        more.click()
        expect(page.locator(".search-page-status")).to_have_text(re.compile(r"^\d+ 篇$"), timeout=WAIT)
        assert holders(seed_site, "卷积") <= result_pages(page, url)


def test_the_results_page_lists_fifty_and_more_on_request(page, sharded_build):
    with http_served(sharded_build.output) as url:
        open_results(page, url, "q=kiwi")
        status = page.locator(".search-page-status")
        expect(status).to_have_text("约 1100 篇")
        results = page.locator(".search-page-results .search-result")
        assert results.count() == 50
        page.get_by_role("button", name="更多结果").click()
        expect(status).to_have_text("约 1100 篇")
        expect(results).to_have_count(100, timeout=WAIT)


def test_a_phrase_no_page_holds_among_many_candidates_checks_a_few_and_says_so(page, tmp_path, monkeypatch):
    # 100 pages hold 卷积, 积网 and 网络 apart: all are candidates for 卷积网络, none holds it.  The box checks 64
    # (8 a result it shows), not the whole archive, and says how many are left unchecked.
    monkeypatch.setattr(zhsite.search.files, "GROUP_PAGES", 1)  # one page a text file
    column = {"title": "专栏", "article": [
        {"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"第{i}篇", "userName": "甲", "content": f"<p>卷积{i}，积网{i}，网络{i}</p>"}
        for i in range(1, 101)]}
    site = build(make_project(tmp_path, {"c.json": json.dumps(column, ensure_ascii=False)})).output
    loaded = []
    page.on("request", lambda request: loaded.append(request.url.rsplit("/", 1)[-1]))
    page.goto((site / "p" / "1.html").as_uri())
    page.locator(".site-search input").fill("卷积网络")
    status = page.locator(".site-search .search-status")
    expect(status).to_have_text("前 64 篇都不包含“卷积网络”，另有约 36 篇未查看", timeout=WAIT)
    texts = [name for name in loaded if name.startswith("text-")]
    assert len(texts) <= 64, texts
    # The results page goes on checking with 更多结果, and then says no page holds it.
    page.locator(".site-search .search-all").click()
    page_status = page.locator(".search-page-status")
    expect(page_status).to_contain_text("没有页面包含完整的“卷积网络”", timeout=WAIT)


def test_arrow_keys_move_through_the_results_and_titles_are_marked_too(page, site_url):
    page.goto(f"{site_url}index.html")
    box = page.locator(".site-search input")
    box.fill("YOLO")
    titles = page.locator(".site-search .search-result-title")
    expect(titles.first).to_be_visible(timeout=WAIT)
    expect(titles.locator("mark").first).to_have_text(re.compile("yolo", re.IGNORECASE))
    box.press("ArrowDown")
    expect(titles.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(titles.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()


def test_the_browser_reads_back_every_character_a_text_file_writes_in_gb18030(page, site_url):
    # A page's text file is GB18030 unless it holds a character Python's codec and the browser's may read
    # differently (zhsite/search/files.py's GB18030_UNSURE): every other character must come back as it went.
    written = "".join(chr(c) for c in [*range(1, 0xD800), *range(0xE000, 0x10000), 0x1F600, 0x10000, 0x30000, 0x10FFFF]
                      if not GB18030_UNSURE.search(chr(c)))
    page.goto(f"{site_url}index.html")
    read = page.evaluate("""b64 => new TextDecoder("gb18030").decode(Uint8Array.from(atob(b64), c => c.charCodeAt(0)))""",
                         base64.b64encode(written.encode("gb18030")).decode())
    assert len(read) == len(written)
    assert [f"U+{ord(a):04X}" for a, b in zip(written, read, strict=True) if a != b] == []


def test_a_browser_without_decompression_streams_says_so_and_links_the_lists(page, site_url):
    page.add_init_script("delete window.DecompressionStream")
    page.goto(f"{site_url}p/60692852.html")
    page.locator(".site-search input").fill("卷积")
    status = page.locator(".site-search .search-status")
    expect(status).to_contain_text("此浏览器不能解压搜索索引", timeout=WAIT)
    expect(status.get_by_role("link", name="专栏")).to_have_attribute("href", re.compile(r"index\.html#columns$"))
