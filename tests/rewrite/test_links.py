"""Redirects resolved once, link cards as cards, readable truncated URLs, local links to archived articles."""
from __future__ import annotations

from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from tests.conftest import site_built_as_a_user
from tests.rewrite.conftest import context, run, run_all, seed_snippet
from zhsite.rewrite.links import rewrite_archive_links, rewrite_link_cards, rewrite_note_links, rewrite_redirects, rewrite_truncated_urls

LINKS = (rewrite_redirects, rewrite_link_cards, rewrite_truncated_urls, rewrite_archive_links)  # their order in PASSES


def test_redirect_target_is_decoded_exactly_once():
    # 88830653: the target's file name holds "%23" (a '#'), sent as "%2523".
    link = seed_snippet("88830653", r'<a href="https://link\.zhihu\.com/\?target=[^"]*D%25230048[^>]*>.*?</a>')
    root, _ = run(link, rewrite_redirects)
    a = root.find("a")
    assert a.get("href") == (
        "https://github.com/Captain1986/CaptainBlackboard/blob/master/"
        "D%230048-Anchor-Free%E7%AC%AC%E4%B8%89%E7%AF%87Objects-as-Points/D%230048.md"
    )
    assert a.text == "Captain1986/CaptainBlackboard"


@pytest.mark.parametrize(
    ("href", "target"),
    [
        ("https://link.zhihu.com/?target=https%3A//arxiv.org/abs/1611.05424", "https://arxiv.org/abs/1611.05424"),
        ("http://link.zhihu.com/?target=https%3A%2F%2Fexample.com%2Fa%3Fq%3D1%26r%3D2", "https://example.com/a?q=1&r=2"),
        ("//link.zhihu.com/?target=https%3A//example.com/100%2525", "https://example.com/100%25"),
        ("https://link.zhihu.com/?utm=x&target=https%3A//example.com/", "https://example.com/"),
        # Unencoded target: everything after target= is the URL, '&' included.
        ("http://link.zhihu.com/?target=http://mp.weixin.qq.com/s?__biz=MzA&mid=2&idx=1#rd",
         "http://mp.weixin.qq.com/s?__biz=MzA&mid=2&idx=1#rd"),
        # Not redirects: left alone.
        ("https://www.zhihu.com/question/63460684", "https://www.zhihu.com/question/63460684"),
        ("https://example.com/?target=https%3A//x.org/", "https://example.com/?target=https%3A//x.org/"),
    ],
)
def test_redirect_forms(href, target):
    root, _ = run(f'<a href="{href.replace("&", "&amp;")}">x</a>', rewrite_redirects)
    assert root.find("a").get("href") == target


@pytest.mark.parametrize(
    ("article", "nth", "href", "title", "host", "thumb"),
    [
        # 46566618: a card with a thumbnail and one without.
        ("46566618", 1, "https://stackoverflow.com/questions/35508866/tensorflow-different-ways-to-export-and-run-graph-in-c",
         "Tensorflow Different ways to Export and Run graph in C++", "stackoverflow.com",
         "https://pic1.zhimg.com/v2-2d47e939feed796bcf7483d306661c88_ipico.jpg"),
        ("46566618", 0, "https://blog.csdn.net/rockingdingo/article/details/75452711", "Tensorflow C++ 编译和调用图模型",
         "blog.csdn.net", None),
        ("88830653", 0, "https://github.com/Captain1986/CaptainBlackboard", "Captain1986/CaptainBlackboard", "github.com",
         "https://pic3.zhimg.com/v2-4971ae7a4b322276d02d781b52875642_ipico.jpg"),
    ],
)
def test_link_card_becomes_a_block_card(article, nth, href, title, host, thumb):
    root, _ = run(seed_snippet(article, r'<a [^>]*data-draft-type="link-card"[^>]*>.*?</a>', nth), *LINKS)
    card = root.find("a")
    assert card.get("class") == "link-card" and card.get("href") == href
    assert card.findtext(".//*[@class='link-card-title']") == title
    assert card.findtext(".//*[@class='link-card-host']") == host
    img = card.find("img")
    assert (img.get("src") if img is not None else None) == thumb
    assert not [a for a in card.attrib if a.startswith("data-")]


def test_rendered_page_link_card_uses_its_data_text():
    root, _ = run(
        '<a class="LinkCard" data-text="YOLO 论文" href="https://link.zhihu.com/?target=https%3A//arxiv.org/abs/1506.02640">'
        '<span class="LinkCard-contents">YOLO 论文 arxiv.org</span></a>',
        *LINKS,
    )
    card = root.find("a")
    assert card.get("class") == "link-card" and card.get("href") == "https://arxiv.org/abs/1506.02640"
    assert card.findtext(".//*[@class='link-card-title']") == "YOLO 论文"
    assert card.findtext(".//*[@class='link-card-host']") == "arxiv.org"


@pytest.mark.parametrize(
    ("article", "pattern", "href", "text"),
    [
        # 88269398: "https://" and the last "4" hidden, an empty ellipsis span.
        ("88269398", "arxiv.org/abs/1611.05424", "https://arxiv.org/abs/1611.05424", "arxiv.org/abs/1611.05424"),
        # 83570146: a long URL is shortened, the link still goes to all of it.
        ("83570146", "brookes", "http://cms.brookes.ac.uk/research/visiongroup/talks/rg_july_09_ss_learning/p92-blum.pdf",
         "cms.brookes.ac.uk/research/visiongroup/talks/rg_july_09_ss_…"),
    ],
)
def test_truncated_url_becomes_readable_text(article, pattern, href, text):
    link = seed_snippet(article, rf'<a [^>]*{pattern}[^>]*>(?:(?!</a>).)*?class="invisible".*?</a>')
    root, _ = run(link, *LINKS)
    a = root.find("a")
    assert a.get("href") == href
    assert a.text_content() == text and len(a) == 0
    assert len(text) <= 60


@pytest.mark.parametrize(
    ("page", "local"),
    [("p/1.html", "65150848.html"), ("notes/x.html", "../p/65150848.html"), ("index.html", "p/65150848.html")],
)
@pytest.mark.parametrize(
    "href",
    [
        "https://zhuanlan.zhihu.com/p/65150848",  # as in 82739829
        "https://link.zhihu.com/?target=https%3A//zhuanlan.zhihu.com/p/65150848",
        "http://zhuanlan.zhihu.com/p/65150848/",
    ],
)
def test_link_to_an_archived_article_goes_to_its_local_page(page, local, href):
    link = seed_snippet("82739829", r'<a href="https://zhuanlan\.zhihu\.com/p/65150848"[^>]*>.*?</a>')
    ctx = context(page, archived={"p/65150848": "p/65150848.html"})
    root, _ = run(link.replace("https://zhuanlan.zhihu.com/p/65150848", href), *LINKS, ctx=ctx)
    a = root.find("a")
    assert a.get("href") == local
    assert a.text == "永远在你身后：CNN中使用卷积层替代全连接层训练"


def test_links_to_archived_answers_go_to_their_pages_and_ids_of_the_two_kinds_never_mix():
    # An answer and an article may share an id: each link goes to its own kind's page.
    ctx = context("p/1.html", archived={"answer/123": "answers/123.html", "p/123": "p/123.html"})
    root, _ = run_all(
        '<p><a href="https://www.zhihu.com/question/456/answer/123">a</a>'
        '<a href="https://zhuanlan.zhihu.com/p/123">b</a>'
        '<a href="http://zhihu.com/answer/123/">c</a>'
        '<a href="https://www.zhihu.com/question/456/answer/999">d</a>'
        '<a href="https://www.zhihu.com/question/123">e</a></p>',
        ctx,
    )
    assert [a.get("href") for a in root.iter("a")] == [
        "../answers/123.html",
        "123.html",
        "../answers/123.html",
        "https://www.zhihu.com/question/456/answer/999",
        "https://www.zhihu.com/question/123",
    ]


def test_archived_article_link_keeps_its_fragment_and_others_stay_external():
    ctx = context("notes/x.html", archived={"p/65150848": "p/65150848.html"})
    root, _ = run_all(
        '<p><a href="//link.zhihu.com/?target=https%3A//zhuanlan.zhihu.com/p/65150848%23sec2">a</a>'
        '<a href="https://zhuanlan.zhihu.com/p/26702482" class="internal">b</a>'
        '<a href="https://zhuanlan.zhihu.com/p/651508481">c</a></p>',
        ctx,
    )
    assert [a.get("href") for a in root.iter("a")] == [
        "../p/65150848.html#sec2",
        "https://zhuanlan.zhihu.com/p/26702482",
        "https://zhuanlan.zhihu.com/p/651508481",
    ]


def test_a_note_linking_another_notes_file_links_its_page(tmp_path):
    site, done = site_built_as_a_user(tmp_path, {
        "笔记/注意力.md": "# 注意力\n\n先读[卷积](../基础/卷积%20网络.md#池化)，再读[同目录](变换器.md)，"
                         "[不存在](没有.md)，[外链](https://example.org/a.md)。\n",
        "笔记/变换器.md": "# 变换器\n\n正文。\n",
        "基础/卷积 网络.md": "# 卷积网络\n\n## 池化\n\n正文。\n",
    })
    assert done.returncode == 0, done.stderr
    page = BeautifulSoup((site / "notes" / "注意力.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = {a.get_text(): a["href"] for a in page.select(".entry-body a[href]")}
    target, _, fragment = hrefs["卷积"].partition("#")
    assert unquote(fragment) == "池化" and (site / "notes" / unquote(target)).read_text(encoding="utf-8").count("卷积网络") > 0
    assert (site / "notes" / unquote(hrefs["同目录"])).is_file() and hrefs["同目录"].endswith(".html")
    assert unquote(hrefs["不存在"]) == "没有.md" and hrefs["外链"] == "https://example.org/a.md"  # no such note; not a file link


def test_a_notes_link_to_a_missing_note_is_a_warning_and_to_an_attachment_its_copy(tmp_path):
    """The site publishes notes and posts as pages, pictures and linked files as copies (tests/images/test_attachments.py);
    a note that is not there is nowhere.  Links to archived posts, which earlier passes make relative to the site, are no such link."""
    column = '{"title": "专栏", "article": [{"url": "https://zhuanlan.zhihu.com/p/1", "title": "一", "content": "<p>见<a href=\\"https://zhuanlan.zhihu.com/p/2\\">二</a></p>"}, ' \
             '{"url": "https://zhuanlan.zhihu.com/p/2", "title": "二", "content": "<p>二</p>"}]}'
    site, done = site_built_as_a_user(tmp_path, {"读论文.md": "# 读论文\n\n原文见[论文](files/paper.pdf)，另见[旧笔记](旧.md#一)，"
                                                               "[第一篇](https://zhuanlan.zhihu.com/p/1)。\n",
                                                 "files/paper.pdf": b"%PDF-1.4\n%%EOF\n", "col.json": column})
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "link to nothing" in line]
    assert warnings == ["content/读论文.md: warning: link to nothing on the site: 旧.md is no note, post or file of this site"]
    hrefs = {a.get_text(): a["href"] for a in BeautifulSoup((site / "notes" / "读论文.html").read_text(encoding="utf-8"), "html.parser").select(".entry-body a")}
    assert (site / "notes" / unquote(hrefs["论文"])).read_bytes() == b"%PDF-1.4\n%%EOF\n"
    assert hrefs["旧笔记"] == "旧.md#一" or unquote(hrefs["旧笔记"]) == "旧.md#一"
    assert hrefs["第一篇"] == "../p/1.html"


def test_a_protocol_relative_thumbnail_is_made_https():
    # From file:// a //host/… URL names the disk; the archive's pictures are on https hosts.
    root, _ = run('<a class="LinkCard" href="https://github.com/x/y" data-text="x/y" data-image="//pic2.zhimg.com/v2-cd_ipico.jpg"></a>',
                  rewrite_link_cards)
    assert root.find(".//img").get("src") == "https://pic2.zhimg.com/v2-cd_ipico.jpg"


def test_a_zhihu_posts_root_relative_link_goes_to_zhihu_and_a_notes_is_its_text():
    html = '<p><a href="/topic/19550517">机器学习</a> <a href="/question/1/answer/2">回答</a></p>'
    root, ctx = run(html, rewrite_note_links, ctx=context(source="content/a.md", where="article 7"))
    assert [a.get("href") for a in root.iter("a")] == ["https://www.zhihu.com/topic/19550517", "https://www.zhihu.com/question/1/answer/2"]
    assert ctx.problems == []
    root, ctx = run(html, rewrite_note_links, ctx=context(page="notes/a.html", source="content/a.md"))
    assert [a.get("href") for a in root.iter("a")] == [None, None] and [a.text for a in root.iter("a")] == ["机器学习", "回答"]
    assert [p.kind for p in ctx.problems] == ["link to a path on a disk, not published"] * 2
