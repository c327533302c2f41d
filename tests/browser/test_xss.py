"""Stored XSS through the fields around the bodies: hostile values in every field of every input shape, opened in Chromium.

One project holds each supported shape (a column dump, API v4 articles and
answers alone, in a list and in a paging wrapper, Markdown notes with YAML and
TOML front matter, a plain-text note) with a hostile value in every field a
page, a feed or the search index shows: titles, names, links, topics,
comments, column and question titles and descriptions, note tags, image and
card URLs, and an SVG full of script copied into the site.  Each vector, when
it runs, pushes its field's name onto ``window.__xss`` or opens a dialog.
Every page, feed and picture of the one build is opened with a dialog hook;
on every page the search box is focused and a query typed, so the search
results are shown too, and the results page lists every filter value.
"""
from __future__ import annotations

import html
import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import hold_remote_requests, http_served, watch_for_script
from tests.conftest import make_project
from tests.images.server import HOSTILE_SVG
from zhsite.build import build
from zhsite.load.fields import UNSAFE_LINK

WAIT = 15_000  # ms: the first search loads the index scripts
WORD = "zhsitexss"  # in every body: the query that shows every result and every filter value


def vector(field: str) -> str:
    """Markup that, if it ever runs, says which field let it in."""
    return f'<img src=x onerror="(window.__xss=window.__xss||[]).push(\'{field}\')">'


def breakout(field: str) -> str:
    """Out of an attribute, a title, a JS string or a CDATA section, then script."""
    return f"\"'></title>]]></script><svg onload=\"(window.__xss=window.__xss||[]).push('{field}')\">"


def hostile(field: str) -> str:
    return f"{vector(field)}{breakout(field)} {WORD}"


SCRIPT_URLS = [
    "javascript:(window.__xss=window.__xss||[]).push('url')",
    "javascript:alert(2)//zhuanlan.zhihu.com/p/2",
    " \tJaVa\nScRiPt:alert(document.domain)",
    "java&#x09;script:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]
SHOWN_AS_TEXT = "<img src=x onerror="  # what the reader must still see, as characters


def body(field: str) -> str:
    card = f'<a href="{SCRIPT_URLS[0]}" data-draft-type="link-card" data-image="{SCRIPT_URLS[1]}">card</a>'
    figure = ('<figure><img src="https://pic1.zhimg.com/evil.svg" data-original="https://pic1.zhimg.com/evil.svg" '
              'data-rawwidth="40" data-rawheight="30"/></figure>')
    as_text = html.escape(vector(f"{field}-body-text"))  # markup as text in the body: Pagefind's excerpts show it
    return f"<p>{WORD} 正文 {field} {as_text}</p>{card}{figure}<img src=\"{SCRIPT_URLS[3]}\"><a href=\"{SCRIPT_URLS[2]}\">link</a>"


def comments(field: str) -> list[dict]:
    reply = {"userName": hostile(f"{field}-reply-author"), "userLink": SCRIPT_URLS[0], "content": hostile(f"{field}-reply"),
             "replyToAuthor": hostile(f"{field}-reply-to")}
    return [{"userName": hostile(f"{field}-comment-author"), "userLink": SCRIPT_URLS[1], "content": hostile(f"{field}-comment"),
             "likes": 1, "childComments": [reply]}]


def column_dump() -> dict:
    return {
        "title": hostile("column-title"), "description": hostile("column-description"), "url": SCRIPT_URLS[1], "followers": 1,
        "article": [{
            "url": SCRIPT_URLS[n % len(SCRIPT_URLS)], "id": 900 + n, "title": hostile(f"dump-title-{n}"),
            "userName": hostile("dump-author"), "userLink": SCRIPT_URLS[0], "content": body("dump"), "upvote": 1,
            "topic": [{"tag": hostile("dump-topic"), "tagLink": SCRIPT_URLS[2]}], "comments": comments("dump"),
        } for n in range(len(SCRIPT_URLS))],
    }


def api_article(post_id: int) -> dict:
    return {
        "id": post_id, "type": "article", "title": hostile(f"api-title-{post_id}"), "content": body("api"),
        "url": SCRIPT_URLS[0], "image_url": SCRIPT_URLS[1], "created": 1578021840, "voteup_count": 1,
        "author": {"name": hostile("api-author"), "url_token": "x\"><script>(window.__xss=window.__xss||[]).push('token')</script>",
                   "url": SCRIPT_URLS[2]},
        "column": {"id": "evil-column", "title": hostile("api-column-title"), "description": hostile("api-column-description")},
        "topics": [{"id": "1\"><script>alert(1)</script>", "name": hostile("api-topic")}],
        "comments": {"data": comments("api"), "paging": {"is_end": True}},
    }


def api_answer(post_id: int) -> dict:
    return {
        "id": post_id, "type": "answer", "content": body("answer"), "url": SCRIPT_URLS[0], "voteup_count": 1,
        "question": {"id": 77, "title": hostile("question-title")},
        "author": {"member": {"name": hostile("answer-author"), "url_token": "y"}},
        "topics": [{"name": hostile("answer-topic")}], "comments": {"data": comments("answer")},
    }


def front_matter_yaml() -> str:
    return "\n".join([
        "---",
        f"title: {json.dumps(hostile('yaml-title'))}",
        f"tags: [{json.dumps(hostile('yaml-tag'))}, {json.dumps(SCRIPT_URLS[0])}]",
        f"summary: {json.dumps(hostile('yaml-summary'))}",
        "date: 2024-04-27",
        "---",
        "",
        f"{WORD} 正文 [link]({SCRIPT_URLS[0]}) ![img]({SCRIPT_URLS[1]}) {vector('markdown-body')}",
        "",
    ])


def front_matter_toml() -> str:
    return "\n".join([
        "+++",
        f"title = {json.dumps(hostile('toml-title'))}",
        f"tags = [{json.dumps(hostile('toml-tag'))}]",
        f"description = {json.dumps(hostile('toml-summary'))}",
        "+++",
        "",
        f"{WORD} 正文",
        "",
    ])


def plain_note() -> str:
    return f"{hostile('text-title')}\n来源：{SCRIPT_URLS[0]} 时间：2020-01-01\n\n{WORD} 正文 {vector('text-body')}\n{SCRIPT_URLS[0]}\n"


FILES = {
    "dump.json": json.dumps(column_dump(), ensure_ascii=False),
    "api/article.json": json.dumps(api_article(501), ensure_ascii=False),
    "api/answer.json": json.dumps(api_answer(601), ensure_ascii=False),
    "api/list.json": json.dumps([api_article(502), api_answer(602)], ensure_ascii=False),
    "api/paging.json": json.dumps({"data": [api_article(503), api_answer(603)], "paging": {"is_end": True}}, ensure_ascii=False),
    "yaml.md": front_matter_yaml(),
    "toml.md": front_matter_toml(),
    "plain.txt": plain_note(),
}
CONFIG = f'title = {json.dumps("XSS")}\nsearch_comments = true\n[images]\nmode = "local"\noffline = true\ndirs = ["pictures"]\n'


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("xss"), FILES, CONFIG)
    (project / "pictures").mkdir()
    (project / "pictures" / "evil.svg").write_bytes(HOSTILE_SVG)
    return build(project)


@pytest.fixture(scope="module")
def hostile_url(hostile_build):
    with http_served(hostile_build.output) as url:
        yield url


def test_every_shape_was_read_and_every_script_link_reported(hostile_build):
    site = hostile_build.site
    assert len(site.articles) == len(SCRIPT_URLS) + 6 and len(site.notes) == 3
    assert hostile_build.errors == []
    unsafe = {(p.file, p.where) for p in hostile_build.problems if p.kind == UNSAFE_LINK}
    assert ("content/dump.json", "url") in unsafe
    assert {("content/dump.json", f"article[{n}] (id {900 + n}) url") for n in range(len(SCRIPT_URLS))} <= unsafe
    assert {("content/api/article.json", "id 501 image_url"), ("content/api/list.json", "data[0] (id 502) image_url")} <= unsafe


def _pages(site) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".svg")
                  and not p.relative_to(site).as_posix().startswith("search/"))


# Every href and src in the document, as the browser resolved it: only these schemes may be there.
LINK_SCHEMES = """() => [...document.querySelectorAll('[href], [src]')]
    .map(e => e.href || e.src).filter(u => typeof u === 'string')
    .filter(u => !['http:', 'https:', 'mailto:'].includes(new URL(u, location.href).protocol))"""


def test_no_vector_runs_on_any_page_feed_or_picture_with_search_open(browser, hostile_build, hostile_url):
    site = hostile_build.output
    paths = [*_pages(site), f"search.html?q={WORD}"]  # the results page with a query: results and every filter value
    assert any(p.endswith(".svg") for p in paths) and "feed.xml" in paths
    ran: dict[str, list] = {}
    unsafe_links: dict[str, list] = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        script_ran = watch_for_script(page)
        for path in paths:
            page.goto(f"{hostile_url}{path}")
            # 404.html sets its base from where it is served (tests/browser/test_reading.py): not searched here.
            if path.endswith(".html") and path != "404.html":
                box = page.locator(".site-search input").first
                box.focus()  # the index loads on focus
                box.fill(WORD)
                expect(page.locator(".site-search .search-result").first).to_be_visible(timeout=WAIT)
                if "?q=" in path:
                    expect(page.locator(".search-page-results .search-result").first).to_be_visible(timeout=WAIT)
                if links := page.evaluate(LINK_SCHEMES):
                    unsafe_links[path] = links
            if found := script_ran():
                ran[path] = found
    finally:
        context.close()
    assert ran == {}, f"executed vectors: {ran}"
    assert unsafe_links == {}


def test_hostile_names_are_shown_as_text(page, hostile_url):
    hold_remote_requests(page)
    page.goto(f"{hostile_url}p/900.html")
    expect(page.locator("h1")).to_contain_text(SHOWN_AS_TEXT)
    expect(page.locator(".entry-meta .author")).to_contain_text(SHOWN_AS_TEXT)
    expect(page.locator(".topics .topic").first).to_contain_text(SHOWN_AS_TEXT)
    expect(page.locator(".comment-author").first).to_contain_text(SHOWN_AS_TEXT)
    expect(page.locator(".kicker")).to_contain_text(SHOWN_AS_TEXT)
    assert page.locator(".source-link").get_attribute("href") == "https://zhuanlan.zhihu.com/p/900"
    page.goto(f"{hostile_url}columns/evil-column.html")
    expect(page.locator("h1")).to_contain_text(SHOWN_AS_TEXT)
    expect(page.locator(".lead")).to_contain_text(SHOWN_AS_TEXT)
    # In search, the same names as the same characters: results and filters insert them as text.
    box = page.locator(".site-search input").first
    box.focus()
    box.fill(WORD)
    expect(page.locator(".site-search .search-results")).to_contain_text(SHOWN_AS_TEXT, timeout=WAIT)
    page.goto(f"{hostile_url}search.html?q={WORD}")
    expect(page.locator(".search-page-results")).to_contain_text(SHOWN_AS_TEXT, timeout=WAIT)
    expect(page.locator(".search-filters select[name=author]")).to_contain_text(SHOWN_AS_TEXT)
