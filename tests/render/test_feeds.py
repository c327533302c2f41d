from __future__ import annotations

import xml.etree.ElementTree as ET

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
