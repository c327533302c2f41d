"""XMind mind maps (``.xmind``), each a note of its topics as nested lists.

The fixtures follow XMind's two formats as the public XMind readers (xmindparser, jimmy's XMind converter) take
them: a ZIP of ``content.json`` (XMind Zen and later: sheets, ``rootTopic``, ``children.attached``, ``notes.plain``,
``labels``, ``href``, ``image.src`` ``xap:resources/…``) or of ``content.xml`` (XMind 8, ``urn:xmind:xmap:xmlns:
content:2.0``).  Before, a map was a packed archive the build asked to have unpacked.
"""
from __future__ import annotations

import io
import json
import re

from PIL import Image

from tests.conftest import build_as_a_user, make_project, site_built_as_a_user, zip_of


def picture() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), "purple").save(data, "PNG")
    return data.getvalue()


def topic(title: str, *children: dict, **fields: object) -> dict:
    return {"id": title, "class": "topic", "title": title, **fields, **({"children": {"attached": list(children)}} if children else {})}


ZEN = [{"id": "s1", "class": "sheet", "title": "画布 1", "rootTopic": topic(
    "卷积神经网络",
    topic("卷积层", topic("局部连接", href="https://zhuanlan.zhihu.com/p/1"), topic("权值共享", image={"src": "xap:resources/w.png"}),
          labels=["重点"]),
    topic("池化层", notes={"plain": {"content": "最大池化\n平均池化"}}))}]
XMIND8 = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?><xmap-content xmlns="urn:xmind:xmap:xmlns:content:2.0" '
          'xmlns:xlink="http://www.w3.org/1999/xlink" version="2.0"><sheet id="s"><topic id="r"><title>优化算法</title><children>'
          '<topics type="attached"><topic id="a"><title>SGD</title><notes><plain>随机梯度下降</plain></notes></topic>'
          '<topic id="b"><title>Adam</title><labels><label>常用</label></labels></topic></topics></children></topic>'
          '<title>画布 1</title></sheet></xmap-content>')


def body(site, name: str) -> str:
    page = (site / "notes" / name).read_text(encoding="utf-8")
    return page[page.index("<h1"):page.index("</article>")]


def test_a_mind_map_is_a_note_of_its_topics_in_both_xmind_formats(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {
        "导图/卷积网络.xmind": zip_of({"content.json": json.dumps(ZEN, ensure_ascii=False), "resources/w.png": picture(),
                                     "metadata.json": "{}", "manifest.json": "{}"}),
        "导图/优化.xmind": zip_of({"content.xml": XMIND8, "META-INF/manifest.xml": "<manifest/>"}),
    })
    assert result.returncode == 0, result.stderr
    assert "packed" not in result.stderr
    zen = body(site, "卷积网络.html")
    assert "<h1>卷积神经网络</h1>" in zen, "titled by its central topic"
    assert re.search(r"<ul><li>卷积层 【重点】<ul><li><a href=\"https://zhuanlan\.zhihu\.com/p/1\">局部连接</a></li>"
                     r"<li>权值共享<br><img src=\"data:image/png;base64,[^\"]+\"[^>]*></li></ul></li>"
                     r"<li>池化层<p>最大池化</p><p>平均池化</p></li></ul>", zen), zen
    old = body(site, "优化.html")
    assert "<h1>优化算法</h1>" in old and "<ul><li>SGD<p>随机梯度下降</p></li><li>Adam 【常用】</li></ul>" in old


def test_a_map_nested_past_the_limit_keeps_every_topic_and_says_so_and_a_damaged_map_is_an_error(tmp_path):
    deep = topic("第 200 层")
    for level in range(199, 0, -1):
        deep = topic(f"第 {level} 层", deep)
    whole = zip_of({"content.json": json.dumps([{"title": "深", "rootTopic": topic("根", deep)}], ensure_ascii=False)})
    site, result = site_built_as_a_user(tmp_path, {"深.xmind": whole, "坏.xmind": whole[:40]})
    assert result.returncode == 1, result.stderr
    assert "深.xmind: warning: mind map nested too deeply: 136 topic(s) past 64 levels" in result.stderr
    assert "坏.xmind: error: mind map that cannot be opened" in result.stderr
    page = body(site, "深.html")
    assert all(f"第 {level} 层" in page for level in (1, 64, 65, 200)), "no topic lost"
    assert page.count("<ul>") == 64


KITYMINDER = {"root": {"data": {"id": "r", "created": 1577836800000, "text": "卷积神经网络"}, "children": [
    {"data": {"id": "a", "text": "卷积层", "note": "局部连接", "resource": ["重点"], "hyperlink": "https://example.com/conv",
              "image": "https://pic1.zhimg.com/v2-a.jpg"}, "children": [{"data": {"text": "权值共享"}, "children": []}]}]},
    "template": "default", "theme": "fresh-blue", "version": "1.4.43"}


def test_a_baidu_mind_map_is_a_note_of_its_topics(tmp_path):
    project = make_project(tmp_path, {"脑图/卷积.km": json.dumps(KITYMINDER, ensure_ascii=False)}, '[images]\nmode = "remote"\n')
    site, result = project / "site", build_as_a_user(project)
    assert "unknown archive shape" not in result.stderr and result.returncode == 0, result.stderr
    page = body(site, "卷积.html")
    assert "<h1>卷积神经网络</h1>" in page and '<time datetime="2020-01-01T08:00">' in page
    assert re.search(r'<ul><li><a href="https://example\.com/conv">卷积层</a> 【重点】<br><img src="https://pic1\.zhimg\.com/v2-a\.jpg"'
                     r"[^>]*><p>局部连接</p><ul><li>权值共享</li></ul></li></ul>", page), page


def test_a_map_of_several_sheets_is_titled_by_its_file_each_sheet_a_section(tmp_path):
    sheets = [{"title": "第一章", "rootTopic": topic("感知机", topic("学习率"))}, {"title": "第二章", "rootTopic": topic("支持向量机", topic("间隔"))}]
    site, result = site_built_as_a_user(tmp_path, {"课程.xmind": zip_of({"content.json": json.dumps(sheets, ensure_ascii=False)})})
    assert result.returncode == 0, result.stderr
    page = body(site, "课程.html")
    assert "<h1>课程</h1>" in page
    assert re.search(r'<h2[^>]*>第一章</h2>\s*<div>感知机</div>\s*<ul><li>学习率</li></ul>\s*<h2[^>]*>第二章</h2>\s*<div>支持向量机</div>\s*<ul><li>间隔</li></ul>', page), page


FREEMIND = ('<map version="1.0.1"><node CREATED="1577836800000" ID="r" TEXT="强化学习"><node TEXT="价值函数" LINK="https://example.com/v">'
            '<richcontent TYPE="NOTE"><html><head></head><body><p>贝尔曼方程</p><p>时序差分</p></body></html></richcontent>'
            '<node TEXT="Q 学习"/></node><node><richcontent TYPE="NODE"><html><body><p>策略<b>梯度</b></p></body></html></richcontent>'
            '</node></node></map>')


def test_a_freemind_map_is_a_note_of_its_topics_and_a_broken_one_an_error(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {"脑图/强化.mm": FREEMIND, "脑图/坏.mm": FREEMIND[:60],
                                                   "ios/View.mm": "#import <UIKit/UIKit.h>\n@implementation View\n@end\n"})
    assert result.returncode == 1 and "坏.mm: error: mind map that cannot be opened" in result.stderr, result.stderr
    assert "View.mm" not in result.stderr and "1 code and config files" in result.stderr, "Objective-C++ is code, not a map"
    page = body(site, "强化.html")
    assert "<h1>强化学习</h1>" in page and '<time datetime="2020-01-01T08:00">' in page
    assert ('<ul><li><a href="https://example.com/v">价值函数</a><p>贝尔曼方程</p><p>时序差分</p><ul><li>Q 学习</li></ul></li>'
            "<li>策略梯度</li></ul>") in page, page


def test_a_map_whose_fields_hold_the_wrong_kinds_of_value_is_read_for_what_it_has(tmp_path):
    odd = [{"title": "图", "rootTopic": {"title": "根", "labels": 3, "notes": {"plain": 2}, "image": [],
                                        "children": {"attached": 5, "detached": [1, {"title": "浮动主题"}]}}}]
    kity = {"root": {"data": {"text": "根", "resource": "不是列表"}, "children": 7}}
    site, result = site_built_as_a_user(tmp_path, {"怪.xmind": zip_of({"content.json": json.dumps(odd, ensure_ascii=False)}),
                                                   "奇.km": json.dumps(kity, ensure_ascii=False)})
    assert result.returncode == 0, result.stderr
    assert "<li>浮动主题</li>" in body(site, "怪.html") and "<h1>根</h1>" in body(site, "奇.html")
