"""为知笔记 (WizNote) notes as the app keeps them: ``<title>.ziw`` (Windows), ``notes/{<guid>}`` (Mac, Linux).

The fixtures follow what the public WizNote converters read (wiz2joplin, wiz-to-obsidian): a ZIP of
``index.html`` (UTF-8, or UTF-16 with a byte-order mark from older versions) and ``index_files/`` pictures; a
Markdown note titled ``….md``, its lines the page's ``<div>`` lines; links ``wiz://open_document?guid=…&amp;kbguid=
&amp;private_kbguid=…`` and ``wiz:open_attachment?guid=…``; attachments in ``<title>_Attachments/`` beside a
``.ziw``.  Before, a ``.ziw`` stopped the build as a packed archive to unpack, and a ``{<guid>}`` was a binary.
"""
from __future__ import annotations

import io
import re
import sqlite3
import zipfile

from PIL import Image

from tests.conftest import site_built_as_a_user

DOCUMENT = "wiz://open_document?guid=c6204f26-f966-4626-ad41-1b5fbdb6829e&amp;kbguid=&amp;private_kbguid=69899a48-dc52-11e0-892c-00237def97cc"
ATTACHMENT = "wiz:open_attachment?guid=52935f17-c1bb-45b7-b443-b7ba1b6f854e"


def picture(color: str) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(data, "PNG")
    return data.getvalue()


def ziw(page: str, files: dict[str, bytes] | None = None, utf16: bool = False) -> bytes:
    """A note's file as 为知笔记 writes it, its page saved on 2021-03-04 at 05:06."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as packed:
        packed.writestr(zipfile.ZipInfo("index.html", (2021, 3, 4, 5, 6, 0)),
                        b"\xff\xfe" + page.encode("utf-16-le") if utf16 else page.encode("utf-8"))
        for name, content in (files or {}).items():
            packed.writestr(name, content)
    return data.getvalue()


RICH = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>卷积神经网络笔记</title></head><body>'
        '<h2>感受野</h2><p>卷积层的感受野随深度增长。</p><p><img src="index_files/a.png"></p>'
        f'<p>见 <a href="{DOCUMENT}">反向传播推导</a> 与附件 <a href="{ATTACHMENT}">slides.pdf</a>。</p></body></html>')
MARKDOWN = ('<html><head><title>反向传播推导.md</title></head><body>\r\n<div># 链式法则</div>\r\n<div><br></div>\r\n'
            '<div>梯度：$\\frac{\\partial L}{\\partial w}$</div><div><br></div><div>```python</div>\r\n<div>def grad(x):</div>\r\n'
            '<div>&nbsp;&nbsp;&nbsp; return 2 * x</div><div>```</div><div><br></div><div><img src="index_files/b.png"></div>'
            f'<div>回到 <a href="{DOCUMENT.replace("9e&", "9f&")}">卷积神经网络笔记</a></div></body></html>')


def body_of(page: str) -> str:
    return page[page.index('class="entry-body"'):page.index("</article>")]


def test_wiznote_notes_are_their_notes_with_titles_dates_pictures_and_links(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {
        "为知/卷积神经网络笔记.ziw": ziw(RICH, {"index_files/a.png": picture("red")}),
        "为知/卷积神经网络笔记_Attachments/slides.pdf": b"%PDF-1.4\n%\n",
        "为知/反向传播推导.md.ziw": ziw(MARKDOWN, {"index_files/b.png": picture("blue")}, utf16=True),
        "wiz/notes/{d0c1a5e2-4b1f-4c3e-9a7b-1234567890ab}": ziw("<html><head><title>注意力机制</title></head><body><p>缩放点积。</p></body></html>"),
    })
    assert result.returncode == 0, result.stderr
    assert "packed" not in result.stderr and "binar" not in result.stderr
    rich = (site / "notes" / "卷积神经网络笔记.html").read_text(encoding="utf-8")
    assert "<h1>卷积神经网络笔记</h1>" in rich and 'datetime="2021-03-04T05:06"' in rich
    body = body_of(rich)
    assert re.search(r'<img src="data:image/png;base64,[^"]+"', body), "its picture shown from inside the note"
    assert '<a href="%E5%8F%8D%E5%90%91%E4%BC%A0%E6%92%AD%E6%8E%A8%E5%AF%BC.html">反向传播推导</a>' in body
    copied = re.search(r'<a href="\.\./(files/[^"]+/slides\.pdf)">slides\.pdf</a>', body)
    assert copied and (site / copied[1]).is_file(), "the attachment the app keeps beside the note is published"
    markdown = (site / "notes" / "反向传播推导.html").read_text(encoding="utf-8")
    assert "<h1>反向传播推导</h1>" in markdown and 'datetime="2021-03-04T05:06"' in markdown
    body = body_of(markdown)
    assert '<h2 id="链式法则">链式法则</h2>' in body and "<math" in body and "\\frac{\\partial L}{\\partial w}</annotation>" in body
    assert '<code class="language-python">' in body and "</span>\n    <span" in body, "its code block highlighted, indented as written"
    assert "\n\n" not in body[body.index("<code"):body.index("</code>")], "no line the page's layout put between its <div> lines"
    assert re.search(r'<img src="data:image/png;base64,[^"]+"', body) and "index_files" not in body
    assert '<a href="%E5%8D%B7%E7%A7%AF%E7%A5%9E%E7%BB%8F%E7%BD%91%E7%BB%9C%E7%AC%94%E8%AE%B0.html">卷积神经网络笔记</a>' in body
    assert "[[" not in body and "```" not in body
    mac = (site / "notes" / "d0c1a5e2-4b1f-4c3e-9a7b-1234567890ab.html").read_text(encoding="utf-8")
    assert "<h1>注意力机制</h1>" in mac and "缩放点积。" in body_of(mac)


def test_an_encrypted_damaged_or_incomplete_wiznote_note_is_said_and_the_others_build(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {
        "为知/加密.ziw": b"ZIWR" + bytes(range(64)),
        "为知/坏的.ziw": ziw(RICH)[:200],
        "为知/缺图.ziw": ziw("<html><head><title>缺图</title></head><body><p>图：<img src='index_files/x.png'></p></body></html>"),
        "为知/好的.ziw": ziw("<html><head><title>好的</title></head><body><p>正文。</p></body></html>"),
    })
    assert result.returncode == 1, result.stderr
    assert re.search(r"为知/加密\.ziw: warning: 为知笔记 note encrypted: remove its password", result.stderr)
    assert re.search(r"为知/坏的\.ziw: error: 为知笔记 note that cannot be opened", result.stderr)
    assert re.search(r"为知/缺图\.ziw: warning: 为知笔记 picture not in its note: 1 picture", result.stderr)
    assert "正文。" in (site / "notes" / "好的.html").read_text(encoding="utf-8")
    assert "图：" in (site / "notes" / "缺图.html").read_text(encoding="utf-8")


def wiz_index(documents: list[tuple[str, str, str, str, str, str]], tags: dict[str, list[str]]) -> bytes:
    """An index.db as 为知笔记 keeps one: (guid, title, folder, file name, page clipped, created) a note, and its tags."""
    with sqlite3.connect(":memory:") as db:
        db.executescript("CREATE TABLE WIZ_DOCUMENT(DOCUMENT_GUID, DOCUMENT_TITLE, DOCUMENT_LOCATION, DOCUMENT_NAME, DOCUMENT_URL, "
                         "DT_CREATED, DT_MODIFIED, DOCUMENT_ATTACHEMENT_COUNT); CREATE TABLE WIZ_TAG(TAG_GUID, TAG_NAME, DT_MODIFIED);"
                         "CREATE TABLE WIZ_DOCUMENT_TAG(DOCUMENT_GUID, TAG_GUID);")
        db.executemany("INSERT INTO WIZ_DOCUMENT VALUES (?, ?, ?, ?, ?, ?, '2024-01-01 00:00:00', 0)", documents)
        for guid, names in tags.items():
            for name in names:
                db.execute("INSERT OR IGNORE INTO WIZ_TAG VALUES (?, ?, '2024-01-01 00:00:00')", (f"tag-{name}", name))
                db.execute("INSERT INTO WIZ_DOCUMENT_TAG VALUES (?, ?)", (guid, f"tag-{name}"))
        return db.serialize()


def another_apps_index() -> bytes:
    with sqlite3.connect(":memory:") as db:
        db.execute("CREATE TABLE pages(url, title)")
        return db.serialize()


GUIDS = ["d0c1a5e2-4b1f-4c3e-9a7b-1234567890ab", "d0c1a5e2-4b1f-4c3e-9a7b-1234567890ac", "d0c1a5e2-4b1f-4c3e-9a7b-1234567890ad"]


def page(title: str, text: str) -> bytes:
    return ziw(f"<html><head><title>{title}</title></head><body><p>{text}</p></body></html>")


def test_the_apps_index_gives_each_note_its_folder_tags_creation_and_source_and_keeps_its_trash_out(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {
        "mac/index.db": wiz_index([(GUIDS[0], "注意力机制", "/My Notes/深度学习/", "", "https://example.com/attention", "2019-05-01 10:00:00"),
                                   (GUIDS[1], "旧笔记", "/Deleted Items/", "", "", "2018-01-01 00:00:00")],
                                  {GUIDS[0]: ["Transformer", "深度学习"]}),
        f"mac/notes/{{{GUIDS[0]}}}": page("注意力机制", "缩放点积。"),
        f"mac/notes/{{{GUIDS[1]}}}": page("旧笔记", "删掉的。"),
        "win/index.db": wiz_index([(GUIDS[2], "卷积", "/My Notes/机器学习/", "卷积.ziw", "", "2017-03-02 08:09:00")], {}),
        "win/My Notes/机器学习/卷积.ziw": page("卷积", "局部连接。"),
        "other/index.db": another_apps_index(),
    })
    assert result.returncode == 0, result.stderr
    mac = (site / "notes" / f"{GUIDS[0]}.html").read_text(encoding="utf-8")
    assert '<time datetime="2019-05-01T10:00">' in mac, "dated by its creation, not its last save"
    topics = re.findall(r'href="\.\./topics/(?!index)[^"]+">([^<]+)<', mac)
    assert topics == ["深度学习", "Transformer"], "its folder and its tags, each once; the account's own My Notes no topic"
    assert 'href="https://example.com/attention"' in mac, "where it was clipped from, its 来源"
    windows = (site / "notes" / "卷积.html").read_text(encoding="utf-8")
    assert '<time datetime="2017-03-02T08:09">' in windows and ">机器学习<" in windows
    assert not (site / "notes" / f"{GUIDS[1]}.html").exists() and "删掉的" not in (site / "notes" / "index.html").read_text(encoding="utf-8")
    assert "1 notes in 为知笔记's trash" in result.stderr and "2 为知笔记 indexes" in result.stderr
    assert "1 SQLITE files" in result.stderr, "another app's index.db is the binary it is"


def test_a_note_the_index_says_was_clipped_from_a_zhihu_post_is_that_post(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {
        "mac/index.db": wiz_index([(GUIDS[0], "如何理解注意力机制？", "/My Notes/收藏/", "", "https://zhuanlan.zhihu.com/p/123456",
                                    "2019-05-01 10:00:00")], {GUIDS[0]: ["Transformer"]}),
        f"mac/notes/{{{GUIDS[0]}}}": page("如何理解注意力机制？", "注意力是加权平均。"),
    })
    assert result.returncode == 0, result.stderr
    article = (site / "p" / "123456.html").read_text(encoding="utf-8")
    assert "如何理解注意力机制？" in article and "注意力是加权平均。" in article
    assert 'href="https://zhuanlan.zhihu.com/p/123456"' in article, "its 知乎原文"
    assert ">收藏</a>" in article and ">Transformer</a>" in article
    assert not (site / "notes" / f"{GUIDS[0]}.html").exists(), "the post once, not also as a note"
