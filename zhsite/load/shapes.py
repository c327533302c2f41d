"""The archive shapes zhsite reads, as one table.

Each :class:`Shape` says what text it applies to (JSON, Markdown, plain text,
a saved HTML or MHTML page, as :func:`zhsite.load.sniff.sniff` tells them
apart), how it is
recognised, how it is read, and shows a minimal example.  The loader tries the
shapes of a file's kind in table order and the first that recognises the file
reads it; the "unknown archive shape" hint and the shapes table in docs/archives.md are
made from the same table (tests/load/test_shapes.py keeps the page in step).

A new exporter's format is one more row: put it above the catch-all of its
kind (the Markdown and plain-text notes, the HTML and MHTML snapshots).
Binaries and code are skipped before any shape is tried (zhsite/load/__init__.py).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from zhsite.load.api import api_posts, is_answer, is_captured, read_api
from zhsite.load.blogs import is_cnblogs_backup, is_wordpress_export, read_cnblogs_backup, read_wordpress_export
from zhsite.load.columns import is_column, read_column
from zhsite.load.crawler import is_crawl_state, is_profile, is_question, read_profile, read_question
from zhsite.load.dayone import is_dayone_export, read_dayone_export
from zhsite.load.evernote import is_enex, read_enex
from zhsite.load.fields import pick
from zhsite.load.flomo import is_flomo_export, read_flomo
from zhsite.load.frontmatter import headless_front_matter
from zhsite.load.htmlfile import is_exported_post, read_html
from zhsite.load.joplin import is_joplin_item, read_joplin_item
from zhsite.load.keep import is_keep_note, read_keep_note
from zhsite.load.loaded import Loaded, Reader
from zhsite.load.markdown import read_markdown
from zhsite.load.mhtml import is_note_page_file, is_saved_post_file, read_note_page_file, read_saved_post_file
from zhsite.load.notebooks import is_notebook, read_notebook
from zhsite.load.notepages import is_note_page, read_note_page
from zhsite.load.pins import is_pin
from zhsite.load.plaintext import read_text_note
from zhsite.load.savedpage import is_saved_post, read_saved_page
from zhsite.load.simplenote import is_simplenote_export, read_simplenote_export
from zhsite.load.siyuan import is_siyuan_document, read_siyuan
from zhsite.load.sniff import Kind, is_whole_page
from zhsite.load.xmind import is_kityminder, read_kityminder
from zhsite.load.youdao import is_youdao_json, is_youdao_note, read_youdao_json, read_youdao_note
from zhsite.load.zhihuhelp import is_zhihuhelp_contents, is_zhihuhelp_page, read_zhihuhelp_page
from zhsite.load.zvideos import is_zvideo


@dataclass(frozen=True)
class Shape:
    name: str
    reads: Kind  # the text it applies to: JSON (given parsed), Markdown or plain text (given as text)
    example: str  # the smallest file of this shape, as docs/archives.md shows it
    becomes: str  # what the site makes of it
    recognise: Callable[[Any], bool]
    read: Reader  # every reader's one signature (zhsite/load/loaded.py)


def skipped(kind: str) -> Reader:
    """The reader of a side file: nothing is read, the file is counted as one of *kind*."""
    def count(value: Any, name: str) -> Loaded:
        return Loaded(skipped=Counter({kind: 1}))
    return count


def _names_question_id(data: dict) -> bool:
    return pick(data, "question_id") is not None


def _one_post(data: Any) -> bool:
    return isinstance(data, dict) and api_posts(data) == [data]


SHAPES: tuple[Shape, ...] = (
    Shape(
        "column dump", "json",
        '{"title": "浅度学习", "url": "https://zhuanlan.zhihu.com/shallow-learning", "article": [{"url": "https://zhuanlan.zhihu.com/p/1", "title": "…", "content": "<p>…</p>"}]}',
        "one column",
        is_column, read_column,
    ),
    Shape(
        "API v4 answer", "json",
        '{"id": 2, "question": {"id": 555, "title": "如何…？"}, "content": "<p>…</p>", "created_time": 1577836800, "voteup_count": 7, "author": {"name": "乙"}}',
        "`answers/2.html`, on its question's page (`questions/555.html`)",
        lambda data: _one_post(data) and is_answer(data) and not _names_question_id(data), read_api,
    ),
    Shape(
        "crawler's answer", "json",
        '{"id": 3, "questionId": 555, "content": "<p>…</p>", "createdTime": 1577836800, "author": {"name": "乙"}}',
        "`questions/555/answers/3.json` → `answers/3.html`, titled after its question and with its topics (from `questions/555/meta.json`, or `question.title`)",
        lambda data: _one_post(data) and _names_question_id(data), read_api,
    ),
    Shape(
        "API v4 pin (想法)", "json",
        '{"id": "4", "type": "pin", "excerpt_title": "今天读完了…", "content": [{"type": "text", "content": "今天读完了<br>…"}, '
        '{"type": "image", "url": "https://pic1.zhimg.com/v2-….jpg"}], "created": 1577836800, "author": {"name": "甲", "url_token": "jia"}}',
        "`pins/4.html` in its author's column of pins (甲的想法), titled by `excerpt_title`; a repin quotes the pin it passes on (`origin_pin`); "
        "a list or page of them (`/api/v4/members/<id>/pins`) reads as below",
        lambda data: _one_post(data) and is_pin(data), read_api,
    ),
    Shape(
        "API v4 video (视频)", "json",
        '{"id": "5", "type": "zvideo", "title": "写春联", "description": "…", "image_url": "https://pic1.zhimg.com/v2-….jpg", '
        '"video": {"duration": 146.3}, "published_at": 1612959715, "author": {"name": "甲", "url_token": "jia"}}',
        "`zvideos/5.html` in its author's column of videos (甲的视频): its cover, length, description and a link to the video on Zhihu "
        "(the video itself is not in the record)",
        lambda data: _one_post(data) and is_zvideo(data), read_api,
    ),
    Shape(
        "API v4 article", "json",
        '{"id": 1, "title": "…", "content": "<p>…</p>", "created": 1578021840, "updated": 1578108240, "voteup_count": 3, '
        '"author": {"name": "甲", "url_token": "jia"}, "topics": [{"id": "19596960", "name": "目标检测"}], '
        '"column": {"id": "deep-notes", "title": "深度笔记"}, "image_url": "https://…"}',
        "`p/1.html` in the column it names",
        _one_post, read_api,
    ),
    Shape(
        "list or paging wrapper of posts", "json",
        '[{…}, {…}] or {"data": [{…}], "paging": {"next": "https://www.zhihu.com/api/v4/columns/deep-notes/items?offset=10"}} or {"meta": {…}, "items": [{…}]}',
        "each post as above, also a collection's (收藏夹, `/collections/<id>/items`: `{\"created\": …, \"content\": {…}}`) by its `content`; "
        "posts that name no column go to the one the paging URL names (`…/columns/<id>/items`), else to the folder of page files (`metadata/page1.json`), else to the file's",
        lambda data: not is_captured(data) and api_posts(data) is not None, read_api,
    ),
    Shape(
        "captured API responses", "json",
        '[{"url": "https://www.zhihu.com/api/v4/questions/555/feeds", "data": {"data": [{"type": "answer", "target": {"id": 2, "question": {…}, "content": "<p>…</p>"}}]}}]',
        "each post in each response, as above; feed items are read by their `target`",
        lambda data: is_captured(data) and api_posts(data) is not None, read_api,
    ),
    Shape(
        "crawler's question", "json",
        '{"id": 555, "title": "如何学习深度学习？", "detail": "<p>…</p>", "topics": [{"id": "19813032", "name": "深度学习"}], "followerCount": 120, "answerCount": 64}',
        "the question's page (`questions/555.html`) with its detail, topics and every archived answer",
        is_question, read_question,
    ),
    Shape(
        "author profile", "json",
        '{"id": "jia", "name": "甲", "headline": "机器学习研究者", "avatarUrl": "https://pic1.zhimg.com/a.jpg", "url": "https://www.zhihu.com/people/jia"}',
        "the headline and picture on the author's page",
        is_profile, read_profile,
    ),
    Shape(
        "Jupyter notebook", "json",
        '{"cells": [{"cell_type": "markdown", "source": ["# 线性回归\\n", "损失 $L$"]}, {"cell_type": "code", "source": "print(1)", '
        '"outputs": [{"output_type": "stream", "name": "stdout", "text": "1\\n"}]}], "metadata": {"kernelspec": {"language": "python"}}, "nbformat": 4}',
        "`notes/<file>.html`: its Markdown cells as a Markdown note's text, each code cell a block in the kernel's language, "
        "its outputs after it (plots as pictures, tables as tables, text and errors as plain blocks; see Notebooks)",
        is_notebook, read_notebook,
    ),
    Shape(
        "思源笔记 (SiYuan) document", "json",
        '{"ID": "20240105100000-abcdefg", "Type": "NodeDocument", "Properties": {"title": "注意力机制"}, '
        '"Children": [{"Type": "NodeParagraph", "Children": [{"Type": "NodeText", "Data": "正文…"}]}]}',
        "`notes/<title>.html`, dated by its id: its blocks as HTML (headings, lists, tables, code, formulas, "
        "pictures from the workspace's `assets/`); a block no page shows (a database, a query) a warning, its text standing in",
        is_siyuan_document, read_siyuan,
    ),
    Shape(
        "Google Keep note (Takeout)", "json",
        '{"title": "待读论文", "textContent": "Attention Is All You Need", "listContent": [{"text": "ResNet", "isChecked": true}], '
        '"labels": [{"name": "论文"}], "attachments": [{"filePath": "a.png", "mimetype": "image/png"}], "createdTimestampUsec": 1577836800000000, '
        '"isTrashed": false}',
        "`notes/<file>.html`: its text, its checklist as ticked and unticked boxes, its pictures from beside it, its labels as "
        "topics, dated by its creation; a note in Keep's trash counted",
        is_keep_note, read_keep_note,
    ),
    Shape(
        "有道云笔记 (Youdao) note, newer editor", "json",
        '{"2": "1", "3": "Ju9C", "4": {"version": 1}, "5": [{"3": "a", "4": {"l": "h1"}, "5": [{"2": "2", "7": [{"8": "卷积"}]}], '
        '"6": "h"}, {"3": "b", "4": {}, "5": [{"2": "2", "7": [{"8": "局部连接", "9": [{"2": "b"}]}]}]}]}',
        "`notes/<file>.html` titled by the file's name: its paragraphs, headings, lists, quotes, code, tables, pictures "
        "and attachments, its bold, italic and links kept",
        is_youdao_json, read_youdao_json,
    ),
    Shape(
        "Day One journal export", "json",
        '{"metadata": {"version": "1.0"}, "entries": [{"uuid": "E1", "creationDate": "2020-01-01T00:00:00Z", '
        '"text": "# 今天\\n\\n![](dayone-moment://P1)", "tags": ["日记"], "photos": [{"identifier": "P1", "md5": "abc", "type": "jpeg"}]}]}',
        "each entry a note (`notes/dayone-<uuid>.html`) read as Markdown, dated by its creation, its tags as topics, its photos "
        "from `photos/<md5>.<type>` beside it",
        is_dayone_export, read_dayone_export,
    ),
    Shape(
        "Simplenote export", "json",
        '{"activeNotes": [{"id": "a1", "content": "卷积\\n\\n局部连接。", "creationDate": "2020-01-01T00:00:00.000Z", "tags": ["CNN"], '
        '"markdown": true}], "trashedNotes": []}',
        "each active note a note (`notes/simplenote-<id>.html`) titled by its first line, dated by its creation, its tags as topics, "
        "its text as Markdown (Markdown on) or plain text; the trashed ones counted",
        is_simplenote_export, read_simplenote_export,
    ),
    Shape(
        "百度脑图 (KityMinder) map", "json",
        '{"root": {"data": {"text": "卷积神经网络", "created": 1577836800000}, "children": [{"data": {"text": "卷积层", "note": "局部连接"}, '
        '"children": []}]}, "template": "default", "theme": "fresh-blue", "version": "1.4.43"}',
        "`notes/<file>.html`, titled by its central topic: its topics as nested lists with their notes, links, pictures "
        "and tags (see Mind maps)",
        is_kityminder, read_kityminder,
    ),
    Shape(
        "Obsidian canvas", "json",
        '{"nodes": [{"id": "a", "type": "text", "text": "# 注意力", "x": 0, "y": 0}], "edges": []}',
        "skipped (a board of cards only Obsidian lays out; the notes it shows are read as notes)",
        lambda data: isinstance(data, dict) and isinstance(data.get("nodes"), list) and isinstance(data.get("edges"), list), skipped("Obsidian canvases"),
    ),
    Shape(
        "crawl state", "json",
        '{"id": "19550517", "name": "LGBTQ", "cursor": "…", "answerIds": [1, 2]}',
        "skipped: JSON that holds no post and is not an archive's wrapper",
        is_crawl_state, skipped("crawl state files"),
    ),
    Shape(
        "saved Zhihu post page", "html",
        '<!DOCTYPE html><!-- saved from url=(0030)https://zhuanlan.zhihu.com/p/1 -->…<h1 class="Post-Title">…</h1>'
        '<div class="AuthorInfo">…</div><div class="RichText ztext Post-RichText">…</div>…',
        "`p/1.html` (or `answers/<id>.html` for `…/question/<q>/answer/<id>`, `pins/<id>.html` for `www.zhihu.com/pin/<id>`, "
        "read from the page's `js-initialData`), with the author, dates, column, topics and counts "
        "the page shows; the pictures saved in `<name>_files/` copied into the site (see Saved Zhihu pages)",
        is_saved_post, read_saved_page,
    ),
    Shape(
        "知乎助手 (ZhihuHelp) book page", "html",
        '<html><body><div data-key="single-page"><div class="bg-zhihu-blue-light"><div class="question-title"><h1 class="bg-zhihu-blue-deep">'
        '卷积入门</h1></div></div><div class="answer"><div><div class="answer"><div class="author">…<span class="author-name"><a href="'
        'http://www.zhihu.com/people/jia">甲</a></span></div><div class="content"><div><p>…</p></div></div><div class="comment">'
        '赞同:7 创建时间:2019-03-01 评论:2 最后更新:2019-04-02</div></div></div></div></div></body></html>',
        "each post of the page: `html/27182.html` an article (`p/27182.html`) or pin, `html/<question>.html` the question's "
        "answers (`answers/<question>-<author>.html`), with their authors, dates and counts and the pictures of the book's "
        "`image/` folder; the book's one-page copy (`单文件版/`) read only without its `html/` folder (see 知乎助手 books)",
        is_zhihuhelp_page, read_zhihuhelp_page,
    ),
    Shape(
        "知乎助手 contents page", "html",
        '<div class="panel-heading">电子书由知乎助手生成, 仅供个人阅读学习使用…</div>…<a class="list-group-item" href="./27182.html">…</a>',
        "skipped (the book's list of its pages, which are read)",
        is_zhihuhelp_contents, skipped("知乎助手 contents pages"),
    ),
    Shape(
        "exporter's one-post HTML page", "html",
        '<meta name="referrer" content="no-referrer" />\\n<h1>如何入门？</h1>\\n<p>回答…</p>\\n'
        'Link: https://www.zhihu.com/question/1/answer/2\\nTime: 2024-01-05 10:00\\nUpvotes: 7',
        "`answers/2.html` on its question's page (or `p/<id>.html` for an article link), with the `Author:`, `Time:`, "
        "`Upvotes:` lines as its fields (see Markdown exports: one-post HTML pages)",
        is_exported_post, read_html,
    ),
    Shape(
        "HTML note", "html",
        "<h1>笔记</h1>\\n<p>正文…</p>",
        "`notes/<file>.html` rendered from its HTML: HTML that is no whole page (titled by its `<h1>`, else `<title>`, else its first line)",
        lambda text: not is_whole_page(text), read_html,
    ),
    Shape(
        "flomo (浮墨笔记) export", "html",
        "<html><head><title>flomo · 浮墨笔记</title></head><body><div class=\"memos\"><div class=\"memo\"><div class=\"time\">"
        "2024-01-02 12:34:56</div><div class=\"content\"><p>#读书 今天读完…</p></div><div class=\"files\"></div></div></div></body></html>",
        "each memo a note (`notes/flomo-<time>.html`) titled by its first line, dated by its time, its `#tags` its topics, its "
        "pictures from `file/` beside the page (see flomo)",
        is_flomo_export, read_flomo,
    ),
    Shape(
        "note exported as a web page (Typora, Notion, pandoc, Joplin, Evernote, OneNote, Word, Jupyter)", "html",
        "<html><head><title>笔记</title><style>…</style></head><body class='typora-export'><div id='write'><h1>笔记</h1><p>正文…</p></div></body></html>",
        "`notes/<file>.html`, as an HTML note of the app's text element (Typora's `#write`, Notion's `.page-body`, "
        "pandoc's `<body>`, Joplin's `#rendered-md`, Evernote's `<body>` with its `<meta>` dates and tags, OneNote's and Word's `<body>`; "
        "a notebook nbconvert exported, `body.jp-Notebook` or `#notebook-container`, as its "
        "`.ipynb` shows) under its title; the app's stylesheet and scripts left out",
        is_note_page, read_note_page,
    ),
    Shape(
        "HTML page snapshot", "html",
        "<!DOCTYPE html><html>…</html>",
        "skipped (a saved page that is not one Zhihu post: a crawler's `debug/initial.html`, a list, a search, another site)",
        lambda text: True, skipped("page snapshots"),
    ),
    Shape(
        "saved Zhihu post page, one file (MHTML)", "mhtml",
        "From: <Saved by Blink>\\nSnapshot-Content-Location: https://zhuanlan.zhihu.com/p/1\\nContent-Type: multipart/related; "
        'boundary="b"\\n\\n--b\\nContent-Type: text/html\\n\\n<h1 class="Post-Title">…</h1><div class="Post-RichText">…</div>\\n--b--',
        "the post, as from the same page saved as HTML (Chrome's \"Webpage, Single File\"); its pictures shown from the file",
        is_saved_post_file, read_saved_post_file,
    ),
    Shape(
        "note exported as one file (MHTML: OneNote, Word)", "mhtml",
        "MIME-Version: 1.0\\nContent-Type: multipart/related; boundary=\"b\"\\n\\n--b\\nContent-Location: file:///C:/反向传播.htm\\nContent-Type: text/html\\n\\n"
        '<html><head><meta name=Generator content="Microsoft OneNote 15"><title>反向传播</title></head><body><p>…</p></body></html>\\n--b--',
        "`notes/<file>.html`, as the same page exported with its pictures beside it (OneNote's and Word's \"Single File Web "
        "Page\"), its pictures shown from the file",
        is_note_page_file, read_note_page_file,
    ),
    Shape(
        "MHTML page", "mhtml",
        "From: <Saved by Blink>\\nMIME-Version: 1.0\\nContent-Type: multipart/related; …",
        "skipped (a saved page that is not one Zhihu post)",
        lambda text: True, skipped("MHTML pages"),
    ),
    Shape(
        "Evernote or 印象笔记 export (ENEX)", "xml",
        '<en-export><note><title>卷积</title><created>20240105T093000Z</created><tag>深度学习</tag><content><![CDATA[<en-note><div>…</div>'
        '<en-media hash="…" type="image/png"/></en-note>]]></content><resource><data encoding="base64">…</data><mime>image/png</mime></resource></note></en-export>',
        "each note a note (`notes/<title>.html`) with its date and tags, its pictures inside the page; a note clipped from a Zhihu post "
        "(`source-url`) that article or answer (see Evernote exports)",
        is_enex, read_enex,
    ),
    Shape(
        "博客园 (cnblogs) blog backup", "xml",
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>博客园-甲</title><link>https://www.cnblogs.com/jia/</link>'
        '<item><title>卷积</title><link>https://www.cnblogs.com/jia/p/1.html</link><pubDate>Mon, 05 Jan 2015 10:00:00 GMT</pubDate>'
        '<description><![CDATA[<p>…</p>]]></description></item></channel></rss>',
        "each post a note (`notes/cnblogs-jia-1.html`) with its date and its address as its 来源, its text as HTML or, written "
        "in the Markdown editor, as Markdown",
        is_cnblogs_backup, read_cnblogs_backup,
    ),
    Shape(
        "WordPress export (WXR)", "xml",
        '<?xml version="1.0" encoding="UTF-8" ?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        '<item><title>卷积</title><link>https://example.com/conv/</link><pubDate>Mon, 05 Jan 2015 10:00:00 +0000</pubDate>'
        '<category domain="category"><![CDATA[机器学习]]></category><content:encoded><![CDATA[第一段。\\n\\n第二段。]]></content:encoded>'
        '<wp:post_name>conv</wp:post_name><wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item></channel></rss>',
        "each published post and page a note (`notes/<post_name>.html`) with its date, categories and tags as topics and its address "
        "as its 来源, its paragraphs as WordPress shows them; drafts, private posts, the trash, attachments and menus counted",
        is_wordpress_export, read_wordpress_export,
    ),
    Shape(
        "有道云笔记 (Youdao) note", "xml",
        '<?xml version="1.0" encoding="UTF-8"?><note xmlns="http://note.youdao.com" schema-version="1.0.3" file-version="0"><head/>'
        '<body><heading level="1"><text>卷积</text></heading><para><text>局部连接。</text><inline-styles><bold><from>0</from><to>4</to>'
        '<value>true</value></bold></inline-styles></para></body></note>',
        "`notes/<file>.html` titled by the file's name: its paragraphs, headings, lists, code, quotes, tables, pictures and "
        "attachments, its bold, italic and links kept",
        is_youdao_note, read_youdao_note,
    ),
    Shape(
        "other XML", "xml",
        '<?xml version="1.0"?><rss>…</rss>',
        "skipped (a feed, a sitemap, an app's settings)",
        lambda text: True, skipped("XML files"),
    ),
    Shape(
        "Joplin note (JEX file, RAW export or sync folder)", "markdown",
        f"卷积笔记\\n\\n## 卷积\\n\\n![](:/{'4' * 32})\\n\\nid: {'a' * 32}\\nparent_id: {'1' * 32}\\nsource_url: \\ntype_: 1",
        "a note (`notes/<title>.html`) with its notebook and tags as topics and its attachments; a Zhihu post clipped "
        "(`source_url`) that article or answer (see Joplin exports)",
        is_joplin_item, read_joplin_item,
    ),
    Shape(
        "Joplin record, or note of plain text", "text",
        f"深度学习\\n\\nid: {'5' * 32}\\ntype_: 5",
        "a notebook, tag or attachment record counted, its notes' topics and pictures (see Joplin exports); a note as above",
        is_joplin_item, read_joplin_item,
    ),
    Shape(
        "Markdown note or exported post", "markdown",
        "# YOLO 笔记\\n\\n正文与 $x^2$",
        "`notes/<file>.html`; an article or answer page when an export tool's fields name a Zhihu post (see Markdown exports)",
        lambda text: True, read_markdown,
    ),
    Shape(
        "Hexo post without its opening ---", "text",
        "title: 标题\\ndate: 2016-07-15 10:24:00\\ncategories: 知乎\\ndescription: 摘要\\n---\\n\\n正文",
        "`notes/<file>.html` with the front matter's title, date, tags and summary (so read whether its body is Markdown or plain text)",
        lambda text: headless_front_matter(text) is not None, read_markdown,
    ),
    Shape(
        "plain-text note", "text",
        "标题\\n来源:… 时间:2024/04/27 13:22\\n\\n正文",
        "`notes/<file>.html`",
        lambda text: True, read_text_note,
    ),
)


def shape_for(kind: Kind, value: Any) -> Shape | None:
    """The first shape of *kind* that recognises *value*, in table order."""
    return next((shape for shape in SHAPES if shape.reads == kind and shape.recognise(value)), None)


def supported_shapes() -> str:
    """The JSON shapes, in a sentence for the "unknown archive shape" problem."""
    return "; ".join(shape.name for shape in SHAPES if shape.reads == "json")


def shapes_table() -> str:
    """The table of shapes in docs/archives.md, one row per shape."""
    rows = ["| shape | read as | minimal example | becomes |", "| --- | --- | --- | --- |"]
    rows += [f"| {shape.name} | {shape.reads} | `{shape.example}` | {shape.becomes} |" for shape in SHAPES]
    return "\n".join(rows)
