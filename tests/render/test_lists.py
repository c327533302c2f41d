"""A topic's, an author's, a column's or a question's list of more than PER_PAGE posts is split over pages, each linking the others."""
from __future__ import annotations

import json
from urllib.parse import unquote

from bs4 import BeautifulSoup

from tests.conftest import site_built_as_a_user
from zhsite.render.pages import PER_PAGE, ListPart

TOPIC = {"tag": "深度学习", "tagLink": "https://api.zhihu.com/topics/19813032"}


def column(count: int) -> str:
    """*count* articles of one writer, newest first by date, all under one topic."""
    articles = [{"url": f"https://zhuanlan.zhihu.com/p/{1000 + i}", "title": f"第{i}篇", "content": f"<p>正文{i}</p>",
                 "created": 1600000000 + i * 86400, "author": {"name": "作者甲", "url_token": "jia"}, "topic": [TOPIC]}
                for i in range(1, count + 1)]
    return json.dumps({"title": "长专栏", "article": articles}, ensure_ascii=False)


def note(i: int) -> str:
    return f"---\ntitle: 笔记{i}\ntags: [深度学习]\n---\n\n笔记正文{i}。\n"


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_a_topic_of_230_articles_and_3_notes_is_three_pages_showing_each_post_once_in_order(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {"col.json": column(230), **{f"n{i}.md": note(i) for i in (1, 2, 3)}})
    assert result.returncode == 0, result.stderr
    paths = ["topics/19813032.html", "topics/19813032/2.html", "topics/19813032/3.html"]
    assert sorted(p.relative_to(site).as_posix() for p in site.glob("topics/19813032*/**/*.html")) == paths[1:]
    shown, notes = [], []
    for number, path in enumerate(paths, 1):
        page = soup(site / path)
        assert page.title.get_text() == ("深度学习" if number == 1 else f"深度学习（第 {number} 页）") + " · 知乎专栏存档"
        assert "230 篇文章 · 3 篇笔记" in page.select_one(".stats").get_text() and f"第 {number}/3 页" in page.select_one(".stats").get_text()
        shown += [a.get_text() for a in page.select("ol.item-list a.item-title") if a["href"].startswith("../")]
        nav = page.select_one("nav.list-parts")
        links = {a.get_text(): (site / path).parent.joinpath(unquote(a["href"])).resolve() for a in nav.select("a")}
        assert {k: v for k, v in links.items() if k.isdigit()} == {str(n): (site / p).resolve() for n, p in enumerate(paths, 1)}
        assert nav.select_one("[aria-current=page]").get_text() == str(number)
        assert ("上一页" in links) == (number > 1) and ("下一页" in links) == (number < 3)
        assert all(target.is_file() for target in links.values())
        assert "作者甲" not in page.select_one("ol.item-list").get_text(), "one writer: named on no page of the list"
        notes += [a.get_text() for a in page.select("h2 + ol.item-list a.item-title")]
    assert shown[:PER_PAGE] == [f"第{i}篇" for i in range(230, 130, -1)], "newest first, 100 on the first page"
    assert len(shown) == 233 and len(set(shown)) == 233
    assert sorted(notes) == ["笔记1", "笔记2", "笔记3"], "the notes after the articles, on the last page"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "topics/19813032.html" in sitemap and "topics/19813032/2.html" not in sitemap


def test_an_authors_page_of_101_articles_is_two_pages_and_a_short_list_one_without_links(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {"col.json": column(PER_PAGE + 1)})
    assert result.returncode == 0, result.stderr
    [author] = [p for p in site.glob("authors/*.html") if p.name != "index.html"]
    first, second = soup(author), soup(author.with_suffix("") / "2.html")
    assert len(first.select("ol.item-list li")) == PER_PAGE and len(second.select("ol.item-list li")) == 1
    assert unquote(second.select_one("a[rel=prev]")["href"]) == f"../{author.name}"
    assert unquote(first.select_one("a[rel=next]")["href"]) == f"{author.stem}/2.html"
    site, result = site_built_as_a_user(tmp_path / "short", {"col.json": column(PER_PAGE)})
    [author] = [p for p in site.glob("authors/*.html") if p.name != "index.html"]
    assert not soup(author).select("nav.list-parts") and not author.with_suffix("").exists()


def test_a_column_of_101_articles_is_two_pages_read_from_its_first_article(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {"col.json": column(PER_PAGE + 1)})
    assert result.returncode == 0, result.stderr
    [path] = [p for p in site.glob("columns/*.html")]
    first, second = soup(path), soup(path.with_suffix("") / "2.html")
    assert [a.get_text() for a in first.select("ol.item-list a.item-title")] == [f"第{i}篇" for i in range(101, 1, -1)]
    assert [a.get_text() for a in second.select("ol.item-list a.item-title")] == ["第1篇"]
    for page, here in ((first, path), (second, path.with_suffix("") / "2.html")):
        assert "101 篇文章" in page.select_one(".stats").get_text()
        start = page.select_one(".order-switch a")  # newest/oldest would reorder one part only: the course starts at its first article
        assert start.get_text() == "从第一篇读起" and soup(here.parent / unquote(start["href"])).h1.get_text(strip=True) == "第1篇"
        assert not page.select(".column-order") and page.select_one("nav.list-parts")
    short_site, _ = site_built_as_a_user(tmp_path / "short", {"col.json": column(3)})
    [short] = short_site.glob("columns/*.html")
    assert soup(short).select(".column-order .order-oldest") and not soup(short).select("nav.list-parts")


def test_a_question_of_101_answers_shows_its_text_on_the_first_of_two_pages(tmp_path):
    answers = [{"id": 5000 + i, "question": {"id": 555, "title": "如何入门？"}, "content": f"<p>回答{i}</p>", "created_time": 1600000000 + i,
                "author": {"name": f"答主{i}", "url_token": f"u{i}"}} for i in range(PER_PAGE + 1)]
    question = {"id": 555, "title": "如何入门？", "detail": "<p>问题的描述。</p>", "answerCount": 300}
    site, result = site_built_as_a_user(tmp_path, {"answers.json": json.dumps(answers, ensure_ascii=False),
                                                   "questions/555/meta.json": json.dumps(question, ensure_ascii=False)})
    assert result.returncode == 0, result.stderr
    first, second = soup(site / "questions" / "555.html"), soup(site / "questions" / "555" / "2.html")
    assert len(first.select("ol.item-list li")) == PER_PAGE and len(second.select("ol.item-list li")) == 1
    assert "问题的描述" in first.get_text() and "问题的描述" not in second.get_text()
    assert "第 2/2 页" in second.select_one(".stats").get_text()


def test_the_part_links_show_the_first_the_last_and_two_either_side():
    paths = tuple(f"{n}.html" for n in range(1, 41))
    assert ListPart(1, paths).nearby == [1, 2, 3, None, 40]
    assert ListPart(6, paths).nearby == [1, None, 4, 5, 6, 7, 8, None, 40]
    assert ListPart(4, paths).nearby == [1, 2, 3, 4, 5, 6, None, 40]
    assert ListPart(40, paths).nearby == [1, None, 38, 39, 40]
    assert ListPart(1, paths[:1]).nearby == [1]
    assert (ListPart(1, paths).previous, ListPart(1, paths).next, ListPart(40, paths).next) == ("", "2.html", "")
