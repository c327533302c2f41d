from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from lxml import etree

from tests.conftest import make_project
from zhsite.build import build

ATOM = "{http://www.w3.org/2005/Atom}"


def entry_titles(path) -> list[str]:
    return [e.findtext(f"{ATOM}title") for e in ET.parse(path).getroot().iter(f"{ATOM}entry")]


def test_feeds_carry_the_twenty_newest_articles_not_the_whole_archive(sharded_build):
    # Undated articles are newest by id (Zhihu ids grow with time): 1100 down to 1081.
    newest = [f"第{i}篇" for i in range(1100, 1080, -1)]
    assert entry_titles(sharded_build.output / "feed.xml") == newest
    assert entry_titles(sharded_build.output / "columns/big.xml") == newest


def test_the_site_feed_has_the_newest_articles_and_the_notes(seed_site):
    titles = entry_titles(seed_site / "feed.xml")
    assert len(titles) == 20 + 3
    assert {"图像识别+定位", "深度学习笔记", "DL超级大火锅"} <= set(titles)


def test_characters_xml_forbids_are_dropped_from_feeds_and_the_sitemap(tmp_path):
    article = {"url": "https://zhuanlan.zhihu.com/p/1", "title": "标题\x01\x08\x1f\ufffe", "userName": "作者\x0b", "content": "<p>正文\x01</p>",
               "topic": [{"tag": "话题\x02"}]}
    column = {"title": "专栏\x01", "url": "https://zhuanlan.zhihu.com/col", "article": [article]}
    project = make_project(tmp_path, {"col.json": json.dumps(column), "n.md": "# 笔记\x01\n\n正文\x0c\n"})
    site = build(project).output
    for name in ("feed.xml", "columns/col.xml", "sitemap.xml"):
        etree.parse(str(site / name), etree.XMLParser(recover=False))  # raises when not well-formed
    titles = [t for t in etree.parse(str(site / "feed.xml")).getroot().itertext()]
    assert "标题" in titles and "笔记" in titles
