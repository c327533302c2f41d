"""有道云笔记 (Youdao Note) notes as the app stores them (``<title>.note``, XML), each a note.

The fixture follows the XML the public Youdao downloaders convert (youdaonote-pull's converter and test note):
``<note xmlns="http://note.youdao.com">``, lists named in ``<head>``, blocks ``para``, ``heading level``, ``image``
(``source``), ``code`` (``language``), ``list-item list-id``, ``table`` (cells as JSON), ``catalogue``, and
``inline-styles`` ranges by offset.  Before, such a file was a skipped XML file.
"""
from __future__ import annotations

import json
import re

from tests.conftest import build_as_a_user, make_project

TABLE = json.dumps({"widths": [100, 100], "cells": [{"value": "模型"}, {"value": "层数"}, {"value": "ResNet"}, {"value": "152"}]})
NOTE = f"""<?xml version="1.0" encoding="utf-8"?>
<note xmlns="http://note.youdao.com" file-version="0" schema-version="1.0.3">
  <head><list id="L1" type="ordered"/><catalogue-wrap compat="true" id="C1"/></head>
  <body>
    <catalogue catalogue-id="C1" compat="true"><coId>1</coId><text>1. 残差</text><inline-styles/><styles/></catalogue>
    <heading compat="true" level="1"><coId>2</coId><text>1. 残差</text><inline-styles/><styles/></heading>
    <para><coId>3</coId><text>残差连接让深层网络可训练，见论文。</text>
      <inline-styles><bold><from>0</from><to>4</to><value>true</value></bold>
      <href><from>14</from><to>16</to><value>https://arxiv.org/abs/1512.03385</value></href>
      <color><from>5</from><to>9</to><value>#df402a</value></color></inline-styles><styles/></para>
    <para><coId>4</coId><text/><inline-styles/><styles/></para>
    <list-item list-id="L1" level="1"><coId>5</coId><text>恒等映射</text><inline-styles/><styles/></list-item>
    <list-item list-id="L1" level="1"><coId>6</coId><text>批归一化</text><inline-styles/><styles/></list-item>
    <code><coId>7</coId><text>y = F(x) + x</text><language>python</language></code>
    <image><coId>8</coId><source>https://note.youdao.com/yws/res/1/WEBRESOURCE1</source><text>结构图</text></image>
    <table><coId>9</coId><content>{TABLE}</content></table>
  </body>
</note>
"""


def built_note(tmp_path, name: str, text: str, page: str) -> str:
    """The note page *page* of a project holding the file *name*, its article from the title on; the build said nothing
    of a shape it does not know."""
    project = make_project(tmp_path, {f"有道/{name}": text}, '[images]\nmode = "remote"\n')
    result = build_as_a_user(project)
    assert result.returncode == 0, result.stderr
    assert "XML files" not in result.stderr and "unknown archive shape" not in result.stderr
    written = (project / "site" / "notes" / page).read_text(encoding="utf-8")
    return written[written.index("<h1"):written.index("</article>")]


def test_a_youdao_note_is_a_note_of_its_blocks_with_its_styles(tmp_path):
    body = built_note(tmp_path, "ResNet 笔记.note", NOTE, "resnet-笔记.html")
    assert "<h1>ResNet 笔记</h1>" in body and '<h2 id="1-残差">1. 残差</h2>' in body
    assert body.count("1. 残差") == 2, "the heading once, and the page's contents list; the editor's own list left out"
    assert '<p><strong>残差连接</strong>让深层网络可训练，见<a href="https://arxiv.org/abs/1512.03385">论文</a>。</p>' in body
    assert "<ol><li>恒等映射</li><li>批归一化</li></ol>" in body
    assert '<code class="language-python">' in body and "F</span>" in body
    assert 'src="https://note.youdao.com/yws/res/1/WEBRESOURCE1"' in body and 'alt="结构图"' in body
    assert "<td>ResNet</td><td>152</td>" in body


def run(text: str, *styles: str) -> dict:
    return {"2": "2", "7": [{"8": text, **({"9": [{"2": style} for style in styles]} if styles else {})}]}


def cell(text: str) -> dict:
    return {"5": [{"5": [run(text)]}], "6": "tc"}


NEWER = {"2": "1", "3": "Ju9C-1621846617594", "4": {"version": 1, "incompatibleVersion": 0, "fv": "0"}, "5": [
    {"3": "a", "4": {"version": 1, "l": "h1"}, "5": [run("残差网络")], "6": "h"},
    {"3": "b", "4": {"version": 1}, "5": [run("残差连接", "b"), run("让深层网络可训练，见"),
                                          {"6": "li", "4": {"hf": "https://arxiv.org/abs/1512.03385"}, "5": [run("论文")]}]},
    {"3": "c", "4": {"version": 1, "li": "L1", "ll": 1, "lt": "ordered"}, "5": [run("恒等映射")], "6": "l"},
    {"3": "d", "4": {"version": 1, "li": "L1", "ll": 1, "lt": "ordered"}, "5": [run("批归一化", "i")], "6": "l"},
    {"3": "e", "4": {"version": 1}, "5": [{"5": [run("引用一句")]}], "6": "q"},
    {"3": "f", "4": {"version": 1, "la": "python", "th": "default"}, "5": [{"5": [run("y = F(x) + x")]}], "6": "cd"},
    {"3": "g", "4": {"version": 1, "u": "https://note.youdao.com/yws/res/2/WEBRESOURCE2"}, "6": "im"},
    {"3": "h", "4": {"version": 1, "cw": [100, 100]}, "5": [{"5": [cell("模型"), cell("层数")], "6": "tr"},
                                                          {"5": [cell("ResNet"), cell("152")], "6": "tr"}], "6": "t"},
    {"3": "i", "4": {"version": 1}, "6": "hr"}]}


def test_a_youdao_note_of_the_newer_editor_is_read_the_same_way(tmp_path):
    body = built_note(tmp_path, "残差.note", json.dumps(NEWER, ensure_ascii=False), "残差.html")
    assert "<h1>残差</h1>" in body and '<h2 id="残差网络">残差网络</h2>' in body
    assert '<p><strong>残差连接</strong>让深层网络可训练，见<a href="https://arxiv.org/abs/1512.03385">论文</a></p>' in body
    assert "<ol><li>恒等映射</li><li><em>批归一化</em></li></ol>" in body and "<blockquote><p>引用一句</p></blockquote>" in body
    assert '<code class="language-python">' in body and 'src="https://note.youdao.com/yws/res/2/WEBRESOURCE2"' in body
    assert "<td>ResNet</td><td>152</td>" in body and "<hr>" in body


def test_a_youdao_note_cut_short_keeps_its_text_before_the_break_and_says_where(tmp_path):
    project = make_project(tmp_path, {"有道/断了.note": NOTE[: NOTE.index("恒等映射")]})
    result = build_as_a_user(project)
    assert result.returncode == 1, result.stderr
    assert re.search(r"content/有道/断了\.note:\d+:\d+: error: 有道云笔记 note cut short: .*the text before it is read", result.stderr)
    assert "让深层网络可训练" in (project / "site" / "notes" / "断了.html").read_text(encoding="utf-8")
