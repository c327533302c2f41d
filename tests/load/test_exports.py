"""Markdown exports of Zhihu posts, one small folder per export tool, built into a real site.

The fixtures are written here from each tool's documented file layout and
field names (zhsite/load/exports.py names the tools); every post must become
an article or answer page with its author, date, Zhihu link, topics,
comments and pictures, and nothing may collide or become a note.
"""
from __future__ import annotations

import json
import posixpath
import struct
import zlib
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from tests.conftest import make_project
from zhsite.build import build
from zhsite.load.exports import EXPORT_TOOLS

HASH = "0123456789abcdef0123456789abcdef"


def png(shade: int) -> bytes:
    """A real 1×1 PNG whose colour (and so its bytes) is *shade*."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixel = zlib.compress(bytes([0, shade, 0, 0]))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + chunk(b"IDAT", pixel) + chunk(b"IEND", b"")


EXPORTS = {
    "chenluda/zhihu-download": {
        "深度专栏/(20240105)注意力机制_张三.md": (
            "# 注意力机制\n\n **Author:** [张三](https://www.zhihu.com/people/zhangsan)\n\n"
            " **Link:** [https://zhuanlan.zhihu.com/p/1001]\n\n注意力正文。\n\n"
            f"![](%2820240105%29注意力机制_张三/v2-{HASH}_1440w.jpg)\n"
        ),
        f"深度专栏/(20240105)注意力机制_张三/v2-{HASH}_1440w.jpg": png(10),
        "深度专栏/2024-02-01-如何入门.md": (
            "# 如何入门深度学习？\n\n**Author:** [李四]\n\n**Link:** [https://www.zhihu.com/question/2001/answer/2002]\n\n回答正文。\n"
        ),
    },
    "chouheiwa/download-zhihu": {
        "download/卷积.md": (
            "---\nid: 1101\ntitle: 卷积网络\nauthor: 王五\ntype: zhihu-article\nsource: https://zhuanlan.zhihu.com/p/1101\n"
            "created: 2023-06-01 08:30\nupdated: 2023-06-02 09:00\ncolumn: 视觉笔记\ntags: [卷积, 视觉]\n---\n\n"
            "# 卷积网络\n\n卷积正文。\n\n![图一](./include/p1.png)\n"
        ),
        "download/include/p1.png": png(20),
        "download/回答.md": (
            "---\nid: 1202\ntitle: 为什么要归一化？\nauthor: 王五\ntype: zhihu-answer\n"
            "source: https://www.zhihu.com/question/1201/answer/1202\ncreated: 2023-07-01\n---\n\n归一化正文。\n"
        ),
    },
    "qtqz/zhihu-backup-collect": {
        "backup/残差网络_赵六_2022-03-04/index.md": (
            "---\ntitle: 残差网络\nurl: https://zhuanlan.zhihu.com/p/1301\nauthor: 赵六\ncreated: 2022-03-04 10:00\n"
            "modified: 2022-03-05 11:00\nupvote_num: 42\ncomment_num: 2\n---\n\n残差正文。\n\n![](./assets/r.png)\n"
        ),
        "backup/残差网络_赵六_2022-03-04/assets/r.png": png(30),
        "backup/残差网络_赵六_2022-03-04/info.json": '{"title": "残差网络", "topics": ["深度学习"], "upvote_num": 42}',
        "backup/残差网络_赵六_2022-03-04/comments.md": (
            "### 读者甲\n\n写得真好\n\n2022-03-06 12:00 北京 5 赞\n"
            "> #### 赵六 › 读者甲\n> \n> 谢谢\n> \n> 2022-03-06 13:00 上海 1 赞\n"
        ),
        "backup/批归一化_赵六_2022-04-01/index.md": (
            "---\ntitle: 批归一化\nurl: https://zhuanlan.zhihu.com/p/1302\nauthor: 赵六\ncreated: 2022-04-01\nupvote_num: 3\n---\n\n批归一化正文。\n"
        ),
        "backup/批归一化_赵六_2022-04-01/info.json": "not json at all",
        "backup/批归一化_赵六_2022-04-01/comments.md": "nothing a comment looks like\n",
    },
    "zimya/zhihu_obsidian": {
        "vault/知乎/生成模型.md": (
            "---\nzhihu-title: 生成模型\nzhihu-topics: [\"[[生成模型]]\", 扩散]\nzhihu-link: https://zhuanlan.zhihu.com/p/1401\n"
            "zhihu-created-at: 2021-09-09\n---\n\n生成正文。\n\n![[image.png]]\n\n![[缩放.png|300]]\n"
        ),
        "vault/attachments/image.png": png(40),
        "vault/知乎/缩放.png": png(41),
    },
    "Celestopia/zhihu-archive-kit": {
        "kit/article-1501/index.md": (
            "---\ntitle: 迁移学习\nurl: https://zhuanlan.zhihu.com/p/1501\nauthor: 孙七\ntime_created: 1600000000\n"
            "upvote_count: 7\n---\n\n# 迁移学习\n\n迁移正文。\n\n![](assets/a.png)\n\n![](../image/x.png)\n"
        ),
        "kit/article-1501/assets/a.png": png(50),
        "kit/image/x.png": png(51),
    },
    "Obsidian Web Clipper": {
        "vault/Clippings/为什么需要多头注意力？.md": (
            '---\ntitle: "为什么需要多头注意力？"\nsource: "https://www.zhihu.com/question/3001/answer/3002"\nauthor:\n  - "[[周八]]"\n'
            'published: 2019-08-29\ncreated: 2025-03-01\ndescription: "多头正文。"\ntags:\n  - "clippings"\n  - "注意力"\n---\n多头正文。\n'
        ),
    },
}

# (tool, page, kind, title, author, day shown, Zhihu link, topics, pictures, comments)
POSTS = [
    ("chenluda/zhihu-download", "p/1001.html", "article", "注意力机制", "张三", "2024-01-05", "https://zhuanlan.zhihu.com/p/1001", [], 1, 0),
    ("chenluda/zhihu-download", "answers/2002.html", "answer", "如何入门深度学习？", "李四", "2024-02-01",
     "https://www.zhihu.com/question/2001/answer/2002", [], 0, 0),
    ("chouheiwa/download-zhihu", "p/1101.html", "article", "卷积网络", "王五", "2023-06-01", "https://zhuanlan.zhihu.com/p/1101", ["卷积", "视觉"], 1, 0),
    ("chouheiwa/download-zhihu", "answers/1202.html", "answer", "为什么要归一化？", "王五", "2023-07-01",
     "https://www.zhihu.com/question/1201/answer/1202", [], 0, 0),
    ("qtqz/zhihu-backup-collect", "p/1301.html", "article", "残差网络", "赵六", "2022-03-04", "https://zhuanlan.zhihu.com/p/1301", ["深度学习"], 1, 2),
    ("qtqz/zhihu-backup-collect", "p/1302.html", "article", "批归一化", "赵六", "2022-04-01", "https://zhuanlan.zhihu.com/p/1302", [], 0, 0),
    ("zimya/zhihu_obsidian", "p/1401.html", "article", "生成模型", "知乎用户", "2021-09-09", "https://zhuanlan.zhihu.com/p/1401", ["生成模型", "扩散"], 2, 0),
    ("Celestopia/zhihu-archive-kit", "p/1501.html", "article", "迁移学习", "孙七", "2020-09-13", "https://zhuanlan.zhihu.com/p/1501", [], 2, 0),
    # published, not the day it was clipped (created); its own "clippings" tag on every file is no topic
    ("Obsidian Web Clipper", "answers/3002.html", "answer", "为什么需要多头注意力？", "周八", "2019-08-29",
     "https://www.zhihu.com/question/3001/answer/3002", ["注意力"], 0, 0),
]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module", params=["remote", "local"])
def built(request, tmp_path_factory):
    """Every exporter's folder in one project, in either image mode (local: offline, nothing to download)."""
    files = {name: data for export in EXPORTS.values() for name, data in export.items()}
    config = '[images]\nmode = "local"\noffline = true\n' if request.param == "local" else ""
    root = make_project(tmp_path_factory.mktemp(f"exports-{request.param}"), files, config)
    return build(root, root / "site")


@pytest.mark.parametrize(("tool", "page", "kind", "title", "author", "day", "link", "topics", "pictures", "comments"), POSTS,
                         ids=[f"{p[0]}:{p[1]}" for p in POSTS])
def test_every_exported_post_is_its_own_page(built, tool, page, kind, title, author, day, link, topics, pictures, comments):
    html = soup(built.output / page)
    assert html.h1.get_text(strip=True) == title
    meta = html.select_one(".entry-meta")
    assert meta.select_one(".author").get_text(strip=True) == author
    assert meta.time.get_text(strip=True) == day
    source = meta.select_one("a.source-link")
    assert (source["href"], source.get_text()) == (link, "知乎原回答" if kind == "answer" else "知乎原文")
    assert [a.get_text(strip=True) for a in html.select("article a.topic")] == topics
    body = html.select_one(".entry-body")
    assert "**Author:**" not in body.get_text() and "**Link:**" not in body.get_text()
    assert body.find("h1") is None, "the title is not repeated in the body"
    shown = body.find_all("img")
    assert len(shown) == pictures
    for img in shown:
        copied = built.output / posixpath.normpath(posixpath.join(posixpath.dirname(page), img["src"]))
        assert img["src"].startswith("../images/") and copied.is_file() and copied.read_bytes().startswith(b"\x89PNG")
    assert len(html.select(".comment")) == comments
    assert (kind == "answer") == page.startswith("answers/")


def test_exports_build_without_problems_or_notes(built):
    assert [str(p) for p in built.problems] == []
    assert built.site.notes == []
    assert sorted(a.path for a in built.site.articles) == sorted(p[1] for p in POSTS)


def test_comments_md_keeps_its_thread_likes_and_dates(built):
    article = next(a for a in built.site.articles if a.id == "1301")
    [first] = article.comments
    assert (first.author.name, first.likes, first.date) == ("读者甲", 5, "2022-03-06T04:00:00Z")
    assert "写得真好" in first.body.html  # as shown: the build lets go of the loaded HTML once rewritten
    [reply] = first.replies
    assert (reply.author.name, reply.reply_to, reply.likes) == ("赵六", "读者甲", 1)
    assert article.upvotes == 42 and [t.name for t in article.topics] == ["深度学习"]


def test_posts_go_to_their_column_question_or_folder(built):
    columns = {c.title: sorted(a.id for a in c.articles) for c in built.site.columns}
    assert columns["视觉笔记"] == ["1101"], "front matter column"
    assert columns["深度专栏"] == ["1001"], "the folder the export sits in"
    assert columns["backup"] == ["1301", "1302"], "index.md folders: the folder above them"
    questions = {c.slug: c.title for c in built.site.columns if c.kind == "question"}
    assert questions == {"question-2001": "如何入门深度学习？", "question-1201": "为什么要归一化？", "question-3001": "为什么需要多头注意力？"}


def test_a_zhihu_picture_saved_beside_the_export_is_found_there_not_downloaded(tmp_path):
    files = {
        "a/(20240105)图_甲.md": (
            "# 图\n\n**Author:** [甲]\n\n**Link:** [https://zhuanlan.zhihu.com/p/7]\n\n"
            f"![](https://pic1.zhimg.com/v2-{HASH}_r.jpg)\n\n![](%2820240105%29图_甲/v2-{HASH}_1440w.jpg)\n"
        ),
        f"a/(20240105)图_甲/v2-{HASH}_1440w.jpg": png(60),
    }
    root = make_project(tmp_path, files, '[images]\nmode = "local"\noffline = true\n')
    result = build(root, root / "site")
    assert result.problems == []
    assert result.images.counts["found locally"] == 1
    sources = {img["src"] for img in soup(root / "site" / "p" / "7.html").select(".entry-body img")}
    assert len(sources) == 1, "the remote picture and its saved copy are one file"


def test_plain_markdown_stays_a_note_and_folder_pages_take_their_folder_name(tmp_path):
    files = {f"课程{i}/index.md": f"# 第{i}课\n\n笔记正文。\n" for i in range(1, 4)}
    files["其他/README.md"] = "---\ntitle: 自述\nurl: /about/\n---\n\n不是知乎的文章。\n"
    files["相册/index.md"] = "![](a.png)\n"  # nothing to take a title from but the folder
    files["相册/a.png"] = png(80)
    files["纯文本/index.txt"] = "纯文本笔记\n\n正文。\n"
    root = make_project(tmp_path, files)
    result = build(root, root / "site")
    assert result.problems == []
    assert sorted((n.path, n.title) for n in result.site.notes) == [
        ("notes/其他.html", "自述"), ("notes/相册.html", "相册"), ("notes/纯文本.html", "纯文本笔记"),
        ("notes/课程1.html", "第1课"), ("notes/课程2.html", "第2课"), ("notes/课程3.html", "第3课")]
    assert result.site.articles == []
    listed = {a["href"] for a in soup(root / "site" / "notes" / "index.html").select("main a")}
    assert {"其他.html", "相册.html", "纯文本.html", "课程1.html", "课程2.html", "课程3.html"} <= {unquote(posixpath.basename(h)) for h in listed}


def test_an_absolute_local_path_is_never_published(tmp_path):
    files = {
        "笔记.md": "# 笔记\n\n![桌面截图](/Users/someone/Desktop/x.png)\n\n![win](C:\\Users\\someone\\y.png)\n\n![丢失](missing/z.png)\n",
    }
    root = make_project(tmp_path, files)
    result = build(root, root / "site")
    page = (root / "site" / "notes" / "笔记.html").read_text(encoding="utf-8")
    assert "/Users/" not in page and "someone" not in page and "missing/z.png" not in page
    assert soup(root / "site" / "notes" / "笔记.html").select(".entry-body img") == []
    assert "图片未能保存：桌面截图" in page  # ("截图" alone is no alt: a placeholder word, zhsite/rewrite/images.py)
    assert sorted((p.file, p.severity, p.message.split(":", 1)[0]) for p in result.problems) == [
        ("content/笔记.md", "warning", "image at an absolute path outside the project, not published"),
        ("content/笔记.md", "warning", "image at an absolute path outside the project, not published"),
        ("content/笔记.md", "warning", "image file not found, left out"),
    ]


def test_an_absolute_path_inside_the_project_is_copied(tmp_path):
    root = make_project(tmp_path, {"pics/p.png": png(70)})
    (root / "content" / "笔记.md").write_text(f"# 笔记\n\n![图]({root / 'content' / 'pics' / 'p.png'})\n", encoding="utf-8")
    result = build(root, root / "site")
    assert result.problems == []
    [img] = soup(root / "site" / "notes" / "笔记.html").select(".entry-body img")
    assert (root / "site" / "notes" / img["src"]).resolve().read_bytes() == png(70)


def test_the_docs_list_every_export_tool_with_its_example():
    page = (Path(__file__).resolve().parents[2] / "docs" / "archives.md").read_text(encoding="utf-8")
    section = page.split("## Markdown exports of Zhihu posts", 1)[1].split("\n## ", 1)[0]
    for tool in EXPORT_TOOLS:
        assert f"| {tool.name} | " in section and f" | {tool.example} |" in section, tool.name


ODD_VALUES = [None, 0, -1, 10**30, 1.5, True, [], [1, [2, None]], {"name": {"deep": 1}}, "", "  ", "2024-13-45",
              "<script>alert(1)</script>", "https://zhuanlan.zhihu.com/p/", "[](", "[[]]", "2024-01-05T25:99"]


@pytest.mark.parametrize("value", ODD_VALUES, ids=[repr(v)[:30] for v in ODD_VALUES])
def test_any_value_in_any_exporter_key_builds_without_a_traceback(tmp_path, value):
    keys = sorted({key for tool in EXPORT_TOOLS for field in (tool.signs, tool.link, tool.title, tool.author, tool.created,
                   tool.updated, tool.column, tool.topics, tool.upvotes, tool.kind) for key in field} | {"id"})
    front = "\n".join(f"{key}: {json.dumps(value)}" for key in keys)
    files = {  # b says no id of its own (a's may be b's too: a duplicate id is an error of its own kind)
        "odd/a.md": f"---\n{front}\n---\n\n# 标题\n\n正文\n",
        "odd/b/index.md": f"---\n{front.replace('id:', 'unused:')}\n---\n\n正文\n",
        "odd/b/info.json": json.dumps({"upvote_num": value, "topics": value, "created": value, "author": value}),
        "odd/b/comments.md": f"### {value}\n\n{value}\n\n{value} 3 赞\n> #### x\n",
    }
    root = make_project(tmp_path, files)
    result = build(root, root / "site")
    assert [p for p in result.problems if p.severity == "error"] == []
    assert len(result.site.articles) + len(result.site.notes) == 2
    assert "<script>alert" not in (root / "site" / "index.html").read_text(encoding="utf-8")


def test_pictures_named_as_exporters_and_editors_write_them(tmp_path):
    """chenluda's folder in raw parentheses, Typora's HTML <img>, and a Link line without a URL (the tool once wrote the date there)."""
    files = {
        "col/(20240105)图_甲.md": "# 图\n\n**Author:** [甲]\n\n**Link:** [20240105]\n\n![]((20240105)图_甲/v2-" + HASH + "_1440w.jpg)\n\n"
                                   '<img src="./pic/a b.png" width="300">\n',
        f"col/(20240105)图_甲/v2-{HASH}_1440w.jpg": png(90),
        "col/pic/a b.png": png(91),
    }
    root = make_project(tmp_path, files)
    result = build(root, root / "site")
    assert result.problems == []
    [article] = result.site.articles
    assert (article.title, article.author.name, article.url, article.published) == ("图", "甲", "", "2024-01-04T16:00:00Z")
    page = root / "site" / article.path
    shown = [img["src"] for img in soup(page).select(".entry-body img")]
    assert len(shown) == 2
    assert all((page.parent / src).resolve().read_bytes().startswith(b"\x89PNG") for src in shown)


@pytest.mark.parametrize(("name", "title", "day"), [
    ("(20240105)没有标题行_甲.md", "没有标题行", "2024-01-04T16:00:00Z"),
    ("2024-02-01-没有标题行.md", "没有标题行", "2024-01-31T16:00:00Z"),
    ("没有标题行_甲_2022-03-04/index.md", "没有标题行", "2022-03-03T16:00:00Z"),
])
def test_an_export_without_title_or_date_takes_them_from_its_name(tmp_path, name, title, day):
    root = make_project(tmp_path, {f"col/{name}": "---\nurl: https://zhuanlan.zhihu.com/p/5\nauthor: 甲\n---\n\n正文只有一段。\n"})
    result = build(root, root / "site")
    assert result.problems == []
    [article] = result.site.articles
    assert (article.title, article.published) == (title, day)


SIMPREAD = "> 本文由 [简悦 SimpRead](http://ksria.com/simpread/) 转码， 原文地址 [{host}]({url})\n\n"


def test_a_simpread_clipping_of_a_zhihu_post_is_that_post_titled_by_its_file(tmp_path):
    """简悦 SimpRead's Markdown: its notice line names the page it was clipped from; its file is named by the page's title."""
    files = {
        "剪藏/语言模型的发展 - 知乎.md": SIMPREAD.format(host="zhuanlan.zhihu.com", url="https://zhuanlan.zhihu.com/p/32292060")
        + "假设 $V$V 表示词典， $w_{i} \\in V$w_{i} \\in V 。\n\n语言模型给词序列一个概率。\n",
        "剪藏/如何入门.md": SIMPREAD.format(host="www.zhihu.com", url="https://www.zhihu.com/question/2001/answer/2002")
        + "> 作者：[李四](https://www.zhihu.com/people/lisi)\n\n先学线性代数。\n",
        "剪藏/周报.md": SIMPREAD.format(host="mp.weixin.qq.com", url="https://mp.weixin.qq.com/s/abc") + "本周要点。\n",
    }
    root = make_project(tmp_path, files)
    result = build(root, root / "site")
    article = soup(root / "site" / "p" / "32292060.html")
    assert article.h1.get_text(strip=True) == "语言模型的发展", "the file's name, without the page title's ' - 知乎'"
    assert article.select_one("a.source-link")["href"] == "https://zhuanlan.zhihu.com/p/32292060"
    body = article.select_one(".entry-body")
    assert "SimpRead" not in body.get_text() and len(body.find_all("math")) == 2
    assert "</math> 表示词典，" in str(body.p) and "</math> 。" in str(body.p), "each formula shown once, not again as its TeX"
    answer = soup(root / "site" / "answers" / "2002.html")
    assert answer.select_one(".entry-meta .author").get_text(strip=True) == "李四" and "作者" not in answer.select_one(".entry-body").get_text()
    note = soup(root / "site" / "notes" / "周报.html")
    assert note.h1.get_text(strip=True) == "周报" and "本周要点。" in note.get_text(), "a clipping of another site stays a note"
    assert note.select_one(".entry-meta a.source-link")["href"] == "https://mp.weixin.qq.com/s/abc", "its 来源"
    assert [str(p) for p in result.problems] == []


def test_a_note_clipped_from_another_site_says_where_it_came_from(tmp_path):
    """Obsidian Web Clipper and MarkDownload name the page in front matter (source:); not a Zhihu post, it is a note, and
    that page was dropped."""
    text = "---\ntitle: \"ResNet 论文笔记\"\nsource: \"https://arxiv.org/abs/1512.03385\"\ntags: [clippings]\n---\n残差连接。\n"
    root = make_project(tmp_path, {"Clippings/ResNet.md": text, "Clippings/自己.md": "---\nsource: 自己想的\n---\n# 自己\n\n正文。\n"})
    build(root, root / "site")
    note = soup(root / "site" / "notes" / "resnet.html")
    assert note.select_one(".entry-meta a.source-link")["href"] == "https://arxiv.org/abs/1512.03385"
    assert soup(root / "site" / "notes" / "自己.html").select_one(".entry-meta a.source-link") is None, "a source that is no web page"


def test_a_markdownload_clipping_is_the_post_without_the_clippers_title_noise_excerpt_or_clip_date(tmp_path):
    """MarkDownload's template: created is when it was clipped, the heading the page's <title>, then the page's excerpt."""
    text = ("---\ncreated: 2024-03-05T21:14:09 (UTC +08:00)\ntags: [深度学习,CNN]\nsource: https://zhuanlan.zhihu.com/p/27182818\n"
            "author: 王五\n---\n\n# (2 封私信 / 3 条消息) 卷积神经网络入门 - 知乎\n\n> ## Excerpt\n> 卷积是一种运算，本文介绍卷积神经网络。\n\n---\n"
            "卷积是一种运算。\n\n公式 $\\frac{1}{$ 写坏了。\n")
    root = make_project(tmp_path, {"MarkDownload/(2 封私信 _ 3 条消息) 卷积神经网络入门 - 知乎.md": text})
    result = build(root, root / "site")
    page = soup(root / "site" / "p" / "27182818.html")
    assert page.h1.get_text(strip=True) == "卷积神经网络入门"
    assert page.select_one(".entry-meta .author").get_text(strip=True) == "王五" and page.select_one(".entry-meta time") is None
    body = page.select_one(".entry-body")
    assert "Excerpt" not in body.get_text() and body.find("hr") is None and body.find("blockquote") is None
    assert [a.get_text() for a in page.select("article a.topic")] == ["深度学习", "CNN"]
    assert [p.where for p in result.problems] == ["16"], "the broken formula's own line: the lines taken out are left blank"
