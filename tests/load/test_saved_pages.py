"""Saved Zhihu post pages ("Save page as", single-post HTML exports) become their article or answer.

The pages are written here from the class names and attributes Zhihu's
rendered pages use (../shared/docs/zhihu-html.md, zhsite/load/savedpage.py);
other saved pages stay skipped snapshots, and a post page without its text is
one error naming the file, the rest still built.
"""
from __future__ import annotations

import json
import posixpath

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import build_as_a_user, make_project
from tests.load.test_any_input import SETTINGS, assert_reads_and_rewrites
from tests.load.test_exports import HASH, png

ARTICLE_PAGE = f"""<!DOCTYPE html>
<!-- saved from url=(0038)https://zhuanlan.zhihu.com/p/31415926 -->
<html lang="zh" data-theme="light"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title data-rh="true">注意力机制详解 - 知乎</title>
<meta data-rh="true" property="og:title" content="注意力机制详解">
<meta data-rh="true" property="og:url" content="https://zhuanlan.zhihu.com/p/31415926">
<meta data-rh="true" property="og:site_name" content="知乎专栏">
<link data-rh="true" rel="canonical" href="https://zhuanlan.zhihu.com/p/31415926">
<style>.Post-Main {{ margin: 0 auto; }}</style>
</head><body><div id="root"><div class="App"><main role="main" class="App-main">
<div class="Post-content" data-zop="{{&quot;authorName&quot;:&quot;张三&quot;,&quot;itemId&quot;:&quot;31415926&quot;,&quot;title&quot;:&quot;注意力机制详解&quot;,&quot;type&quot;:&quot;article&quot;}}">
<article class="Post-Main Post-NormalMain" tabindex="-1">
<header class="Post-Header"><h1 class="Post-Title">注意力机制详解</h1>
<div class="Post-Author"><div class="AuthorInfo" itemprop="author" itemscope="" itemtype="http://schema.org/Person">
<meta itemprop="name" content="张三"><meta itemprop="image" content="https://picx.zhimg.com/v2-aaaa_l.jpg">
<meta itemprop="url" content="https://www.zhihu.com/people/zhangsan">
<span class="UserLink AuthorInfo-avatarWrapper"><a class="UserLink-link" href="//www.zhihu.com/people/zhangsan">
<img class="Avatar Avatar--round AuthorInfo-avatar" src="./注意力机制详解 - 知乎_files/v2-aaaa_l.jpg" alt="张三"></a></span>
<div class="AuthorInfo-content"><div class="AuthorInfo-head"><span class="UserLink AuthorInfo-name">
<a class="UserLink-link" href="//www.zhihu.com/people/zhangsan">张三</a></span></div>
<div class="AuthorInfo-detail"><div class="AuthorInfo-badge"><div class="ztext AuthorInfo-badgeText">深度学习研究者</div></div></div></div>
</div></div></header>
<div class="Post-RichTextContainer"><div class="css-376mun"><div class="RichText ztext Post-RichText css-1g0fqss" options="[object Object]">
<p data-first-child="" data-pid="a1">注意力让模型看向重要的部分。</p>
<h2>缩放点积</h2>
<figure data-size="normal"><noscript><img src="https://pic1.zhimg.com/v2-{HASH}_b.jpg" data-rawwidth="1" data-rawheight="1" class="origin_image zh-lightbox-thumb" data-original="https://pic1.zhimg.com/v2-{HASH}_r.jpg"></noscript>
<img src="./注意力机制详解%20-%20知乎_files/v2-{HASH}_720w.jpg" data-rawwidth="1" data-rawheight="1" class="origin_image zh-lightbox-thumb lazy"
 data-original="https://pic1.zhimg.com/v2-{HASH}_r.jpg" data-actualsrc="https://pic1.zhimg.com/v2-{HASH}_b.jpg" data-lazy-status="ok">
<figcaption>注意力权重</figcaption></figure>
<p data-pid="a2">完。</p>
</div></div></div>
<div class="ContentItem-time"><span data-tooltip="发布于 2023-05-01 09:00">编辑于 2023-05-06 12:34</span>・IP 属地北京</div>
<div class="Post-topicsAndReviewer"><div class="TopicList Post-Topics">
<div class="Tag Topic"><span class="Tag-content"><a class="TopicLink" href="//www.zhihu.com/topic/19559450"><div>机器学习</div></a></span></div>
<div class="Tag Topic"><span class="Tag-content"><a class="TopicLink" href="//www.zhihu.com/topic/19813032"><div>深度学习</div></a></span></div>
</div></div>
</article>
<div class="RichContent-actions"><div class="ContentItem-actions">
<span><button aria-label="赞同 1,234 " type="button" class="Button VoteButton VoteButton--up">赞同 1,234</button></span>
<button type="button" class="Button BottomActions-CommentBtn">56 条评论</button></div></div>
<div class="PostIndex-Contributions"><h3 class="BlockTitle">文章被以下专栏收录</h3>
<div class="ContentItem Column-ColumnItem"><a class="ColumnLink" href="//www.zhihu.com/column/c_deep"><img class="Avatar" src="./x_files/c.jpg" alt=""></a>
<h2 class="ContentItem-title"><a class="ColumnLink ColumnItem-Title" href="//www.zhihu.com/column/c_deep">深度笔记</a></h2></div></div>
</div></main></div></div><script>window.x = 1;</script></body></html>
"""


def answer_item(answer_id: str, author: str, token: str, body: str, created: str, votes: int, comments: int) -> str:
    return f"""<div class="ContentItem AnswerItem" name="{answer_id}" itemprop="suggestedAnswer" itemtype="http://schema.org/Answer" itemscope=""
 data-zop="{{&quot;authorName&quot;:&quot;{author}&quot;,&quot;itemId&quot;:{answer_id},&quot;title&quot;:&quot;如何入门强化学习？&quot;,&quot;type&quot;:&quot;answer&quot;}}">
<div class="ContentItem-meta"><div class="AuthorInfo AnswerItem-authorInfo" itemprop="author" itemscope="" itemtype="http://schema.org/Person">
<meta itemprop="name" content="{author}"><meta itemprop="url" content="https://www.zhihu.com/people/{token}">
<div class="AuthorInfo-content"><span class="UserLink AuthorInfo-name"><a class="UserLink-link" href="//www.zhihu.com/people/{token}">{author}</a></span></div></div></div>
<meta itemprop="upvoteCount" content="{votes}"><meta itemprop="url" content="https://www.zhihu.com/question/2718/answer/{answer_id}">
<meta itemprop="dateCreated" content="{created}"><meta itemprop="commentCount" content="{comments}">
<div class="RichContent RichContent--unescapable"><div class="RichContent-inner"><span class="RichText ztext CopyrightRichText-richText" itemprop="text">{body}</span></div>
<div class="ContentItem-time"><a href="//www.zhihu.com/question/2718/answer/{answer_id}"><span data-tooltip="发布于 {created[:10]}">发布于 {created[:10]}</span></a></div>
<div class="ContentItem-actions"><button aria-label="赞同 {votes} " class="Button VoteButton VoteButton--up">赞同 {votes}</button>
<button class="Button ContentItem-action">{comments} 条评论</button></div></div></div>"""


QUESTION_HEADER = """<div class="QuestionHeader"><div class="QuestionHeader-content"><div class="QuestionHeader-main">
<meta itemprop="keywords" content="强化学习,机器学习">
<div class="QuestionHeader-topics"><div class="Tag QuestionTopic"><span class="Tag-content"><a class="TopicLink" href="//www.zhihu.com/topic/20039099"><div>强化学习</div></a></span></div></div>
<h1 class="QuestionHeader-title">如何入门强化学习？</h1></div></div></div>"""

REMOTE_FIGURE = (f'<figure><img src="data:image/svg+xml;utf8,&lt;svg&gt;&lt;/svg&gt;" data-rawwidth="2" data-rawheight="2" class="origin_image lazy" '
                 f'data-actualsrc="https://pic2.zhimg.com/v2-{"b" * 32}_b.jpg"></figure>')

# Older browsers write the saved-from note first, with no doctype.
ANSWER_PAGE = f"""<!-- saved from url=(0048)https://www.zhihu.com/question/2718/answer/28182 -->
<html lang="zh"><head><meta charset="utf-8"><title>(3 条消息) 如何入门强化学习？ - 知乎</title>
<link rel="canonical" href="https://www.zhihu.com/question/2718/answer/28182"></head>
<body><div class="Question-main">{QUESTION_HEADER}
<div class="Card AnswerCard"><div class="QuestionAnswer-content">
{answer_item("28182", "李四", "lisi", "<p>先学马尔可夫决策过程。</p>" + REMOTE_FIGURE, "2021-03-04T05:06:07.000Z", 77, 9)}
</div></div>
<div class="MoreAnswers"><div class="List-item">
{answer_item("31415", "王五", "wangwu", "<p>别的回答。</p>", "2022-01-01T00:00:00.000Z", 3, 0)}
</div></div></div></body></html>
"""

# Saved pages that are no single post: they stay skipped snapshots.
QUESTION_LIST = f"""<!DOCTYPE html><html><head><link rel="canonical" href="https://www.zhihu.com/question/2718"></head>
<body>{QUESTION_HEADER}{answer_item("28182", "李四", "lisi", "<p>列表里的回答。</p>", "2021-03-04T05:06:07.000Z", 77, 9)}</body></html>"""
SEARCH_PAGE = """<!DOCTYPE html>
<!-- saved from url=(0043)https://www.zhihu.com/search?q=%E6%B3%A8%E6%84%8F -->
<html><head><title>注意 - 搜索结果 - 知乎</title></head><body><div class="SearchResult-Card"><span class="RichText ztext">摘要</span></div></body></html>"""
COLUMN_PAGE = """<!DOCTYPE html><html><head><meta property="og:url" content="https://zhuanlan.zhihu.com/c_deep"></head>
<body><div class="ContentItem ArticleItem"><h2 class="ContentItem-title">注意力机制详解</h2><span class="RichText ztext">摘要</span></div></body></html>"""
BLOG_PAGE = """<!DOCTYPE html><html><head><link rel="canonical" href="https://zhuanlan.zhihu.com/p/31415926"><title>转载</title></head>
<body><article><p>转载自知乎，没有知乎的页面结构。</p></article></body></html>"""

BROKEN_PAGE = """<!DOCTYPE html>
<!-- saved from url=(0036)https://zhuanlan.zhihu.com/p/404404 -->
<html><head><title>没存下正文 - 知乎</title></head><body><article class="Post-Main"><header class="Post-Header">
<h1 class="Post-Title">没存下正文</h1></header><div class="Post-RichTextContainer"></div></article></body></html>"""

# An exporter's page of one post: its address, its <title>, an author <meta> and Zhihu's body class, nothing else.
EXPORTED_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>(2 封私信 / 5 条消息) 梯度下降 - 知乎</title>
<meta name="author" content="赵六"><link rel="canonical" href="https://zhuanlan.zhihu.com/p/2718281"></head>
<body><div class="RichText ztext"><p>沿着负梯度走。</p><p><img src="pics/step.png" alt="一步"></p></div></body></html>"""

FILES = {
    "导出/梯度下降.html": EXPORTED_PAGE,
    "导出/pics/step.png": png(92),
    "收藏/注意力机制详解 - 知乎.html": ARTICLE_PAGE,
    f"收藏/注意力机制详解 - 知乎_files/v2-{HASH}_720w.jpg": png(90),
    "收藏/注意力机制详解 - 知乎_files/v2-aaaa_l.jpg": png(91),
    # What else a browser saves with the page: its scripts (Chrome in Chinese adds “.下载”) and styles.
    "收藏/注意力机制详解 - 知乎_files/main.app.js.下载": "!function(e){var t={};function n(r){return t[r]}}([]);\n",
    "收藏/注意力机制详解 - 知乎_files/column.app.css": ".Post-Main{margin:0 auto}\n",
    "收藏/如何入门强化学习.htm": ANSWER_PAGE,
    "收藏/坏页面.html": BROKEN_PAGE,
    "debug/initial.html": QUESTION_LIST,
    "saved/search.html": SEARCH_PAGE,
    "saved/column.html": COLUMN_PAGE,
    "saved/blog.html": BLOG_PAGE,
    "saved/page.mhtml": "From: <Saved by Blink>\nSnapshot-Content-Location: https://zhuanlan.zhihu.com/p/31415926\nMIME-Version: 1.0\n"
                        "Content-Type: multipart/related;\n",
}


def soup(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("saved-pages"), FILES)
    return project / "site", build_as_a_user(project)


def test_the_output_is_short_one_error_for_the_broken_page_and_the_skipped_snapshots_counted(built):
    _, result = built
    assert result.returncode == 1, "the broken post page is an error"
    lines = result.stderr.splitlines()
    assert "skipped 4 page snapshots, 2 code and config files, 1 MHTML pages" in lines
    errors = [line for line in lines if ": error:" in line]
    assert len(errors) == 1 and "content/收藏/坏页面.html" in errors[0] and "article 404404" in errors[0], lines
    assert "without the post's text" in errors[0]
    pictures = [line for line in lines if line.startswith("images: ")]  # local pictures, the default: what was had, what was not
    assert len(pictures) == 2 and "no answer from pic2.zhimg.com" in pictures[1]
    assert len(lines) - len(pictures) <= 4, lines  # the error, the tally, the side files, the pages
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("page", "title", "author", "day", "link", "label", "topics", "upvotes", "comments"), [
    ("p/31415926.html", "注意力机制详解", "张三", "2023-05-01", "https://zhuanlan.zhihu.com/p/31415926", "知乎原文", ["机器学习", "深度学习"], 1234, 56),
    ("answers/28182.html", "如何入门强化学习？", "李四", "2021-03-04", "https://www.zhihu.com/question/2718/answer/28182", "知乎原回答",
     ["强化学习"], 77, 9),
])
def test_a_saved_post_page_becomes_its_post(built, page, title, author, day, link, label, topics, upvotes, comments):
    site, _ = built
    html = soup(site / page)
    assert html.h1.get_text(strip=True) == title
    meta = html.select_one(".entry-meta")
    assert meta.select_one("a.author").get_text(strip=True) == author
    assert meta.time.get_text(strip=True) == day
    source = meta.select_one("a.source-link")
    assert (source["href"], source.get_text()) == (link, label)
    assert f"{upvotes} 赞同" in meta.get_text() and f"{comments} 评论" in meta.get_text()
    assert [a.get_text(strip=True) for a in html.select("article a.topic")] == topics


def test_the_article_keeps_its_body_column_edit_date_and_saved_picture(built):
    site, _ = built
    html = soup(site / "p" / "31415926.html")
    body = html.select_one(".entry-body")
    assert "注意力让模型看向重要的部分。" in body.get_text() and body.find("h2").get_text(strip=True) == "缩放点积"
    assert "window.x" not in html.get_text() and "深度学习研究者" not in body.get_text(), "only the post's text is the body"
    [img] = body.find_all("img")
    copied = site / posixpath.normpath(posixpath.join("p", img["src"]))
    assert img["src"].startswith("../images/") and copied.read_bytes() == png(90), "the picture the browser saved, copied into the site"
    assert img["alt"] == "注意力权重"
    assert "编辑于 2023-05-06" in html.select_one(".entry-meta").get_text()
    assert html.select_one(".kicker a").get_text() == "深度笔记"
    column = soup(site / "columns" / "c_deep.html")
    assert column.h1.get_text(strip=True) == "深度笔记"


def test_an_exported_page_of_one_post_takes_its_title_author_and_picture(built):
    site, _ = built
    html = soup(site / "p" / "2718281.html")
    assert html.h1.get_text(strip=True) == "梯度下降"
    assert html.select_one(".entry-meta a.author").get_text(strip=True) == "赵六"
    assert html.select_one(".entry-meta time") is None, "the page says no date"
    assert html.select_one(".kicker a").get_text() == "赵六的知乎文章", "no column named: its author's, never the folder it sits in"
    img = html.select_one(".entry-body img")
    assert (site / img["src"].removeprefix("../")).read_bytes() == png(92) and img["alt"] == "一步"


def test_the_author_page_shows_the_picture_and_headline_of_the_saved_card(built):
    site, _ = built
    author = soup(site / "authors" / "zhangsan.html")
    assert author.select_one("h1 img.avatar")["src"] == "https://picx.zhimg.com/v2-aaaa_l.jpg"
    assert author.select_one(".lead").get_text() == "深度学习研究者"


def test_the_answer_is_the_one_the_page_is_about_on_its_question_page(built):
    site, _ = built
    body = soup(site / "answers" / "28182.html").select_one(".entry-body")
    assert "先学马尔可夫决策过程。" in body.get_text() and "别的回答" not in body.get_text()
    assert body.img["src"] == f"https://pic2.zhimg.com/v2-{'b' * 32}_b.jpg", "a picture not saved stays Zhihu's"
    assert not (site / "answers" / "31415.html").exists()
    question = soup(site / "questions" / "2718.html")
    assert [a["href"] for a in question.select("main a[href$='28182.html']")]


def test_no_other_saved_page_becomes_a_page(built):
    site, _ = built
    assert sorted(p.relative_to(site).as_posix() for p in (site / "p").glob("*.html")) == ["p/2718281.html", "p/31415926.html"]
    assert sorted(p.name for p in (site / "answers").glob("*.html")) == ["28182.html"]
    assert not (site / "p" / "404404.html").exists()
    assert not (site / "notes").exists() or [p.name for p in (site / "notes").glob("*.html")] == ["index.html"]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "搜索结果" not in home and "转载" not in home and "没存下正文" not in home


def test_in_local_image_mode_the_saved_picture_is_shown_and_nothing_links_away(tmp_path):
    """Offline, nothing is downloaded: the figure is the file the browser saved, with no zoom link to Zhihu."""
    files = {name: data for name, data in FILES.items() if name.startswith("收藏/注意力机制详解")}
    project = make_project(tmp_path, files, '[images]\nmode = "local"\noffline = true\n')
    result = build_as_a_user(project)
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    body = soup(project / "site" / "p" / "31415926.html").select_one(".entry-body")
    [img] = body.find_all("img")
    assert img["src"].startswith("../images/") and body.select_one("a.zoom") is None
    assert (project / "site" / img["src"].removeprefix("../")).read_bytes() == png(90)


PAGE_PARTS = st.lists(st.sampled_from([
    '<h1 class="Post-Title">', "</h1>", '<div class="RichText ztext Post-RichText">', '<span class="RichText" itemprop="text">', "</div>",
    '<div class="AnswerItem" name="7">', '<div class="AuthorInfo">', '<meta itemprop="name" content="', '<meta itemprop="url" content="',
    '<meta itemprop="upvoteCount" content="', '<meta itemprop="dateCreated" content="', '<meta itemprop="image" content="', '">',
    "https://www.zhihu.com/people/", "javascript:alert(1)", "9" * 5000, "0000-01-01", "2024-02-30T99:00", "\ud800", "&#xD800;",
    '<button aria-label="赞同 ', " 万", "条评论", "</button>", '<div class="ContentItem-time">发布于 ', "编辑于 9999-12-31 23:59",
    '<img src="', "./x_files/v2-abc.jpg", "../../../etc/passwd", "/Users/me/x.png", "C:\\x.png", "data:,x",
    '<a class="ColumnLink" href="//www.zhihu.com/column/', '<a class="TopicLink" href="//www.zhihu.com/topic/', "</a>",
    "<div data-zop='", '{"title": 1, "authorName": ["x"]}', "'>", "<!--", "<p " + "a " * 150 + ">", "<script>", "</script>", "<p>正文",
]), max_size=30).map("".join)


ADDRESSES = st.sampled_from(["https://zhuanlan.zhihu.com/p/7", "https://www.zhihu.com/question/1/answer/7", "https://www.zhihu.com/answer/7"])
BODIES = st.sampled_from(['<div class="Post-Main">', '<div class="RichText ztext Post-RichText">', '<div class="AnswerItem" name="7"><div class="RichText">'])


@SETTINGS
@given(PAGE_PARTS, ADDRESSES, BODIES)
def test_any_saved_post_page_reads_or_is_reported(parts, address, body):
    page = f"<!DOCTYPE html>\n<!-- saved from url=(0000){address} -->\n<html><head></head><body>{body}{parts}</div></body></html>"
    assert_reads_and_rewrites(page.encode("utf-8", "replace"), "content/saved.html")


PIN_STATE = {"initialState": {"entities": {
    "pins": {"1470000000000000000": {
        "id": "1470000000000000000", "type": "pin", "excerptTitle": "今天读完了注意力机制的论文", "created": 1640000000, "updated": 1640000000,
        "author": "lisi", "commentCount": 4, "reactionCount": 9,
        "content": [{"type": "text", "content": "今天读完了注意力机制的论文<br>收获很多", "ownText": "今天读完了注意力机制的论文<br>收获很多"},
                    {"type": "image", "url": "https://pic2.zhimg.com/v2-cafe_qhd.jpg", "width": 800, "height": 600}]}},
    "users": {"lisi": {"name": "李四", "urlToken": "lisi", "url": "/people/lisi"}}}}}


def pin_page(state: dict | None) -> str:
    script = f'<script id="js-initialData" type="text/json">{json.dumps(state, ensure_ascii=False)}</script>' if state else ""
    return ("<!DOCTYPE html>\n<!-- saved from url=(0041)https://www.zhihu.com/pin/1470000000000000000 -->\n<html><head>"
            '<meta charset="utf-8"><title>李四 的想法: 今天读完了注意力机制的论文 - 知乎</title></head><body><div id="root">'
            '<div class="PinItem"><div class="RichContent"><span class="RichText ztext PinItem-remainContentRichText">今天读完了注意力机制的论文'
            f"</span></div></div></div>{script}</body></html>")


def test_a_saved_pin_page_becomes_its_pin_and_one_without_its_state_is_said(tmp_path):
    project = make_project(tmp_path, {"想法/今天.html": pin_page(PIN_STATE), "想法/坏.html": pin_page(None).replace("1470000000000000000", "1480000000000000000")})
    done = build_as_a_user(project)
    assert "content/想法/坏.html:pin 1480000000000000000: error: a saved Zhihu post page without the post's text: no pin in the page's js-initialData" in done.stderr
    page = BeautifulSoup((project / "site" / "pins" / "1470000000000000000.html").read_text(encoding="utf-8"), "html.parser")
    assert page.h1.get_text(strip=True) == "今天读完了注意力机制的论文"
    assert page.find("a", href="../authors/lisi.html").get_text(strip=True) == "李四"  # its author, from the page's users
    assert "收获很多" in page.select_one(".entry-body").get_text() and page.select_one(".entry-body img")
    assert page.select_one("a.source-link")["href"] == "https://www.zhihu.com/pin/1470000000000000000"
