"""Evernote and 印象笔记 exports (.enex): each note a note, a note clipped from Zhihu its post, pictures shown from the file.

The fixture follows Evernote's export format (evernote-export4.dtd and ENML):
notes with title, created, tag, note-attributes, content as ENML in CDATA,
resources in base64 named in the text by the MD5 of their bytes.
"""
from __future__ import annotations

import base64
import hashlib
import io
import re

import pytest
from PIL import Image

from tests.conftest import site_built_as_a_user


def png() -> bytes:
    picture = Image.new("RGB", (20, 12))
    picture.putdata([((x * 17) % 256, 40, 140) for x in range(240)])
    written = io.BytesIO()
    picture.save(written, "PNG")
    return written.getvalue()


PICTURE, PDF = png(), b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


def resource(data: bytes, mime: str, name: str) -> str:
    encoded = base64.b64encode(data).decode()
    wrapped = "\n".join(encoded[i:i + 76] for i in range(0, len(encoded), 76))
    return (f'<resource><data encoding="base64">\n{wrapped}\n</data><mime>{mime}</mime>'
            f"<resource-attributes><file-name>{name}</file-name></resource-attributes></resource>")


def media(data: bytes, mime: str) -> str:
    return f'<en-media hash="{hashlib.md5(data).hexdigest()}" type="{mime}"/>'


ENEX = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE en-export SYSTEM "http://xml.evernote.com/pub/evernote-export4.dtd">
<en-export export-date="20240301T080000Z" application="Evernote" version="10.67.2">
  <note>
    <title>卷积神经网络入门</title>
    <created>20240105T093000Z</created>
    <tag>深度学习</tag>
    <note-attributes><author>船长</author><source-url>https://zhuanlan.zhihu.com/p/66001122</source-url></note-attributes>
    <content><![CDATA[<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE en-note SYSTEM "http://xml.evernote.com/pub/enml2.dtd">
<en-note><div>卷积核在输入上滑动，得到特征图。</div><div>{media(PICTURE, "image/png")}</div></en-note>]]></content>
    {resource(PICTURE, "image/png", "卷积.png")}
  </note>
  <note>
    <title>复习计划</title>
    <created>20240107T120000Z</created>
    <tag>计划</tag><tag>深度学习</tag>
    <note-attributes><source-url>https://arxiv.org/abs/1512.03385</source-url></note-attributes>
    <content><![CDATA[<en-note><div><en-todo checked="true"/>复习池化</div><div><en-todo/>读 ResNet 论文&nbsp;{media(PDF, "application/pdf")}</div>
<div><en-crypt hint="密码">U2FsdGVkX1</en-crypt></div></en-note>]]></content>
    {resource(PDF, "application/pdf", "resnet.pdf")}
  </note>
</en-export>
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    files = {"印象笔记/深度学习.enex": ENEX, "feeds/rss.xml": '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
             "saved/page.xhtml": '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>x</p></body></html>'}
    return site_built_as_a_user(tmp_path_factory.mktemp("evernote"), files)


def test_each_note_is_read_and_other_xml_is_counted_not_published(built):
    site, result = built
    assert result.returncode == 0, result.stderr
    assert "skipped 1 XML files, 1 page snapshots" in result.stderr
    assert "1 articles, 1 notes" in result.stderr.splitlines()[-1]


def test_a_note_clipped_from_zhihu_is_the_post_with_its_author_date_and_picture(built):
    site, _ = built
    page = (site / "p" / "66001122.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>\s*卷积神经网络入门\s*</h1>", page) and "<p>卷积核在输入上滑动，得到特征图。</p>" in page
    assert re.search(r'<meta name="description" content="卷积核在输入上滑动', page), "its first lines are its excerpt"
    assert "船长" in page and "2024-01-05" in page
    assert re.search(r'<img[^>]*src="data:image/png;base64,iVBORw0KGgo', page), "the picture the export holds"


def test_a_note_has_its_tags_todos_and_says_what_it_cannot_show(built):
    site, result = built
    page = (site / "notes" / "复习计划.html").read_text(encoding="utf-8")
    assert re.search(r'<p><input type="checkbox"[^>]*checked[^>]*>\s*复习池化</p>', page), "each line of Evernote's a paragraph"
    assert re.search(r'<input type="checkbox" disabled[^>]*>\s*读 ResNet', page) and "[附件：resnet.pdf]" in page
    assert "[加密内容]" in page and "U2FsdGVkX1" not in page
    assert '<time datetime="2024-01-07T20:00">' in page, "Evernote's UTC time in Beijing time, as Zhihu's are shown"
    assert re.search(r'<a class="topic" href="../topics/[^"]+">计划</a>', page)
    assert "Evernote content not shown (2×)" in result.stderr


def test_an_export_cut_off_is_an_error_naming_the_place_and_the_notes_before_it_build(tmp_path):
    cut = ENEX[:ENEX.index("<note>", ENEX.index("</note>")) + 60]  # into the second note's title
    site, result = site_built_as_a_user(tmp_path, {"深度学习.enex": cut})
    assert result.returncode == 1
    assert re.search(r"content/深度学习\.enex:\d+:\d+: error: Evernote export that cannot be read: .*the notes before it are read", result.stderr)
    assert (site / "p" / "66001122.html").is_file()


def test_a_note_clipped_from_another_site_says_where_it_came_from(built):
    site, _ = built
    shown = next(p for p in (site / "notes").glob("*.html") if p.name != "index.html" and "复习池化" in p.read_text(encoding="utf-8")).read_text(encoding="utf-8")
    assert '来源：<a class="source-link" href="https://arxiv.org/abs/1512.03385">' in shown
