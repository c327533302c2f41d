"""End to end: the seed archives built into a site a reader can browse."""
from __future__ import annotations

import json
import posixpath
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
import pytest
from bs4 import BeautifulSoup

from tests.conftest import CAPTAIN, SHALLOW, make_project
from zhsite.build import build
from zhsite.problems import BuildError


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def seed_articles():
    for path in (SHALLOW, CAPTAIN):
        yield from json.loads(path.read_text(encoding="utf-8"))["article"]


def test_seeds_build_without_errors(seed_build):
    assert seed_build.errors == []
    assert len(seed_build.site.articles) == 51


@pytest.mark.parametrize("article", list(seed_articles()), ids=lambda a: a["url"].rsplit("/", 1)[-1])
def test_every_article_has_its_page(seed_site, article):
    page = soup(seed_site / "p" / f"{article['url'].rsplit('/', 1)[-1]}.html")
    assert [h.get_text(strip=True) for h in page.find_all("h1")] == [article["title"].strip()]
    assert page.find("a", href=article["url"]), "link back to the Zhihu original"
    text = page.get_text(" ")
    assert article["userName"] in text
    for topic in article["topic"]:
        assert page.find("a", string=topic["tag"])


def test_topic_page_gathers_both_columns(seed_site):
    page = soup(seed_site / "topics" / "19596960.html")
    assert page.h1.get_text(strip=True) == "目标检测"
    linked = {a["href"] for a in page.select(".item-list a")}
    assert "../p/60692852.html" in linked  # 浅度学习
    assert "../p/88830653.html" in linked  # 船长黑板报


def test_comment_replies_are_nested_under_their_comment(seed_site):
    page = soup(seed_site / "p" / "46566618.html")
    reply = page.find(string=lambda s: s and "bazel有没有windows" in s)
    thread = reply.find_parent("li", class_="comment").find_parent("li", class_="comment")
    assert "Windows系统上用C++调用tensorflow" in thread.get_text()
    assert "回复 虞朝阳" in reply.find_parent("li", class_="comment").get_text()


def test_site_wide_pages_and_feeds(seed_site):
    for name in ("index.html", "404.html", "notes/index.html", "topics/index.html", "authors/index.html"):
        assert (seed_site / name).is_file(), name
    sitemap = ET.parse(seed_site / "sitemap.xml").getroot()
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "http://localhost:8000/p/88830653.html" in locs and not any(loc.endswith("404.html") for loc in locs)
    for feed in ("feed.xml", "columns/shallow-learning.xml", "columns/c_1074249022222409728.xml"):
        root = ET.parse(seed_site / feed).getroot()
        assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert len(ET.parse(seed_site / "columns/shallow-learning.xml").getroot().findall("{http://www.w3.org/2005/Atom}entry")) == 4


def test_every_internal_link_is_relative_and_resolves(seed_site):
    broken, checked = [], 0
    for page in seed_site.rglob("*.html"):
        here = page.relative_to(seed_site).as_posix()
        for tag, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")):
            for element in soup(page).find_all(tag, **{attr: True}):
                url = urlsplit(element[attr])
                if url.scheme or element[attr].startswith("#") or here == "404.html":
                    continue
                assert not element[attr].startswith("/"), f"{here}: root-relative {element[attr]}"
                target = posixpath.normpath(posixpath.join(posixpath.dirname(here), unquote(url.path)))
                checked += 1
                if not (seed_site / target).is_file():
                    broken.append(f"{here} -> {element[attr]}")
    assert broken == [] and checked > 1000  # the seed site has thousands; none would pass on an empty one


def test_html_is_chinese_and_loads_nothing_from_the_network(seed_site):
    pages = sorted(seed_site.rglob("*.html"))
    assert len(pages) > 100  # the seed site: an empty one would pass the loop below
    for page in pages:
        document = soup(page)
        assert document.html["lang"] == "zh-CN"
        for element in document.find_all(["link", "script"]):
            assert not (element.get("href") or element.get("src") or "").startswith(("http", "//")) or element.get("rel") in (["canonical"], ["alternate"])


def test_same_input_gives_byte_identical_output(seed_project, seed_site, tmp_path):
    again = build(seed_project, tmp_path / "again").output
    first = {p.relative_to(seed_site): p.read_bytes() for p in seed_site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_a_build_gives_the_cycle_collector_back_all_it_spared(tmp_path):
    # Issue #30: a build keeps the collector off while it loads and rewrites, then freezes what lasts it (the model,
    # its pages) so the collector stops walking it; afterwards the collector is on and all of it is the collector's
    # again, built or stopped, so a process that builds again (tests, ``serve``, deploy) frees what became garbage.
    import gc
    project = make_project(tmp_path, {"c.json": json.dumps({"title": "t", "article": [{"url": "/p/1", "title": "一", "content": "<p>x</p>"}]})})
    frozen = []
    gc.callbacks.append(spy := lambda phase, info: frozen.append(gc.get_freeze_count()))
    try:
        build(project)
        gc.collect()
    finally:
        gc.callbacks.remove(spy)
    assert max(frozen) > 0 and gc.get_freeze_count() == 0 and gc.isenabled()
    (project / "templates").mkdir()
    (project / "templates" / "article.html").write_text("{{ broken", encoding="utf-8")
    with pytest.raises(BuildError):
        build(project)
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_a_build_stopped_while_the_collector_is_off_turns_it_back_on():
    # A build stopped while loading or rewriting (the collector off, nothing frozen yet) must not leave the process
    # without its cycle collector.
    import gc

    from zhsite.heap import collector_spares_what_lasts, lasts_the_build
    with pytest.raises(RuntimeError), collector_spares_what_lasts():
        assert not gc.isenabled()
        raise RuntimeError("stopped while loading")
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with collector_spares_what_lasts():
        lasts_the_build()
        assert gc.isenabled() and gc.get_freeze_count() > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_failed_build_leaves_the_previous_site_intact(tmp_path):
    project = make_project(tmp_path, {"c.json": json.dumps({"title": "t", "article": [{"url": "/p/1", "title": "一", "content": "<p>x</p>"}]})})
    output = build(project).output
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    (project / "templates").mkdir()
    (project / "templates" / "article.html").write_text("{% if %}", encoding="utf-8")
    with pytest.raises(BuildError):
        build(project)
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_a_post_archived_twice_is_one_page_identical_copies_quietly_differing_ones_the_newer_with_the_older_kept(tmp_path):
    article = {"id": 7, "title": "同一篇", "content": "<p>x</p>", "column": {"id": "c", "title": "C"}, "updated": 1578021840}
    project = make_project(tmp_path, {
        "a.json": json.dumps([article, dict(article, id=8)]),
        "b.json": json.dumps([article, dict(article, id=8, title="改过的一篇", updated=1578108240)]),
        "c.json": json.dumps([dict(article, id=9)]),
        "d.json": json.dumps([dict(article, id=9, title="更早的一篇", updated=1)]),
    })
    result = build(project)
    assert sorted((p.file, p.where, p.message, p.severity) for p in result.problems) == [
        ("content/b.json", "article 8", "archived with different text: all 2 versions kept, the older from content/a.json", "warning"),
        ("content/c.json", "article 9", "archived with different text: all 2 versions kept, the older from content/d.json", "warning"),
    ]
    assert soup(result.output / "p" / "7.html").h1.get_text() == "同一篇"
    assert soup(result.output / "p" / "8.html").h1.get_text() == "改过的一篇"
    assert soup(result.output / "p" / "9.html").h1.get_text() == "同一篇"
    assert soup(result.output / "columns" / "c.html").get_text().count("改过的一篇") == 1
    assert soup(result.output / "p" / "8" / "v1.html").h1.get_text() == "同一篇"
    assert not (result.output / "p" / "7").exists()


def test_project_template_overrides_the_theme(tmp_path):
    project = make_project(tmp_path, {"c.json": json.dumps({"title": "t", "article": []})})
    (project / "templates").mkdir()
    shutil.copy(Path(__file__).parent.parent / "themes/default/templates/404.html", project / "templates/404.html")
    (project / "templates" / "404.html").write_text('{% extends "base.html" %}{% block main %}<h1>迷路了</h1>{% endblock %}', encoding="utf-8")
    output = build(project).output
    assert soup(output / "404.html").h1.get_text() == "迷路了"


def test_templates_compiled_by_one_build_are_read_by_the_next_and_an_edited_one_compiled_again(tmp_path, monkeypatch):
    """Compiling the theme's templates was 0.2 s of every build: the build cache keeps their code (TemplateCode)."""
    column = {"title": "t", "article": [{"url": "https://zhuanlan.zhihu.com/p/1", "title": "一篇", "content": "<p>旧</p>"}]}
    project = make_project(tmp_path, {"c.json": json.dumps(column)})
    (project / "templates").mkdir()
    (project / "templates" / "404.html").write_text('{% extends "base.html" %}{% block main %}<h1>迷路了</h1>{% endblock %}', encoding="utf-8")
    build(project)
    compiled, compile_ = [], jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda env, source, name=None, *args: compiled.append(name) or compile_(env, source, name, *args))
    column["article"][0]["content"] = "<p>新</p>"
    (project / "content" / "c.json").write_text(json.dumps(column), encoding="utf-8")
    output = build(project).output
    assert compiled == [] and "新" in soup(output / "p" / "1.html").get_text()
    (project / "templates" / "404.html").write_text('{% extends "base.html" %}{% block main %}<h1>走丢了</h1>{% endblock %}', encoding="utf-8")
    output = build(project).output
    assert compiled == ["404.html"] and soup(output / "404.html").h1.get_text() == "走丢了"


def test_seed_notes_are_pages_listed_on_home_notes_index_feed_and_sitemap(seed_site):
    titles = {"notes/cv-lecture-notes.html": "图像识别+定位", "notes/deep-learning-notes.html": "深度学习笔记",
              "notes/dl-hotpot-faq.html": "DL超级大火锅"}
    home, index = soup(seed_site / "index.html"), soup(seed_site / "notes" / "index.html")
    feed = (seed_site / "feed.xml").read_text(encoding="utf-8")
    sitemap = (seed_site / "sitemap.xml").read_text(encoding="utf-8")
    for path, title in titles.items():
        assert soup(seed_site / path).h1.get_text(strip=True) == title
        assert home.find("a", href=path, string=title)
        assert index.find("a", href=path.removeprefix("notes/"), string=title)
        assert f"<title>{title}</title>" in feed
        assert f"http://localhost:8000/{path}" in sitemap


def test_note_pages_have_a_table_of_contents_and_previous_next(seed_site):
    page = soup(seed_site / "notes" / "dl-hotpot-faq.html")
    toc = [a["href"] for a in page.select("nav.toc a")]
    assert len(toc) == 95 and all(page.find(id=href[1:]) for href in toc)
    pager = {a.get_text(" ", strip=True) for a in page.select(".pager a")}
    assert pager, "previous/next between notes"
    meta = page.select_one(".entry-meta")
    assert meta.time["datetime"] == "2024-04-27T13:22" and "互联网" in meta.get_text()


def test_note_tags_share_topic_pages_with_column_topics_and_link_archived_articles_locally(tmp_path):
    column = {"title": "专栏", "article": [{
        "url": "https://zhuanlan.zhihu.com/p/60692852", "title": "全监督检测之YOLO", "content": "<p>正文</p>",
        "topic": [{"tag": "目标检测", "tagLink": "https://api.zhihu.com/topics/19596960"}],
    }]}
    note = ("---\ntags: [目标检测]\n---\n# 检测笔记\n\n"
            "见 https://zhuanlan.zhihu.com/p/60692852 和 [跳转](https://link.zhihu.com/?target=https%3A//zhuanlan.zhihu.com/p/60692852)"
            "，另见 https://zhuanlan.zhihu.com/p/1 。\n")
    project = make_project(tmp_path, {"column.json": json.dumps(column, ensure_ascii=False), "note.md": note})
    result = build(project)
    assert result.errors == []
    topic = soup(project / "site" / "topics" / "19596960.html")
    assert {a["href"] for a in topic.select(".item-list a")} >= {"../p/60692852.html", "../notes/note.html"}
    page = soup(project / "site" / "notes" / "note.html")
    assert page.select_one(".entry-header").find("a", href="../topics/19596960.html", string="目标检测")
    hrefs = [a["href"] for a in page.select(".entry-body a")]
    assert hrefs == ["../p/60692852.html", "../p/60692852.html", "https://zhuanlan.zhihu.com/p/1"]


def test_table_of_contents_follows_headings_that_never_skip_a_level(seed_site):
    # The lecture starts its sections at ####, then uses ###: h1 → h4 → h3 read as missing sections, so
    # the #### is the first level under the title and the ### after it the next (its two 思路).
    page = soup(seed_site / "notes" / "cv-lecture-notes.html")
    entries = [(li.get_text(strip=True), li["class"]) for li in page.select("nav.toc li")]
    assert entries == [("图像识别+定位", ["toc-depth-1"]), ("思路1：视作回归问题", ["toc-depth-2"]), ("思路2: 图窗+识别与整合", ["toc-depth-2"])]
    assert [h.name for h in page.select(".entry-body :is(h2, h3, h4)")] == ["h2", "h3", "h3"]
