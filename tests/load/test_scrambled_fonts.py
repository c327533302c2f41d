"""Saved pages whose text Zhihu scrambled, restored from the font the page kept (zhsite/load/fonts.py).

Each font is made here the way Zhihu's are: a subset of Noto Sans CJK SC
(Debian's fonts-noto-cjk, which the test set-up installs) whose character map
is permuted, so that the scrambled characters in the page draw the meant ones.
"""
from __future__ import annotations

import base64
import io
import random
import re

import pytest
from bs4 import BeautifulSoup
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, TTFont

from bench.scrambled import scramble, substitution
from tests.conftest import build_as_a_user, make_project, seed_article
from tests.test_search import documents
from zhsite.chinese import common_characters
from zhsite.load.fonts import REFERENCE_FONTS

KIND = "text looks scrambled by Zhihu's anti-crawler"
SEED = seed_article("46566618")


def noto_sc() -> TTFont:
    collection = TTCollection(str(REFERENCE_FONTS[0]))
    return next(font for font in collection.fonts if font["name"].getDebugName(1) == "Noto Sans CJK SC")


def scrambling_font(text: str, swap: dict[str, str], flavor: str) -> bytes:
    """Noto Sans CJK SC cut to *text*'s Han characters, each glyph under the character *swap* puts in its place."""
    font = noto_sc()
    options = Options()
    options.flavor = flavor
    subsetter = Subsetter(options)
    subsetter.populate(unicodes={ord(char) for char in re.findall(r"[\u4e00-\u9fff]", text)})
    subsetter.subset(font)
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap = {ord(swap.get(chr(code), chr(code))): name for code, name in table.cmap.items()}
    font.flavor = flavor
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def saved_page(post_id: str, body: str, font: str) -> str:  # by an author of its own: an own column, named after them
    """A browser's "Save page as" of a Zhihu article, its body drawn in the web font at *font*."""
    return f"""<!DOCTYPE html>
<!-- saved from url=(0038)https://zhuanlan.zhihu.com/p/{post_id} -->
<html lang="zh"><head><meta charset="utf-8"><title>tensorflow c++ API的编译和调用 - 知乎</title>
<link rel="canonical" href="https://zhuanlan.zhihu.com/p/{post_id}">
<style>@font-face {{ font-family: "ZhihuScrambled"; src: url({font}) format("woff2"); }}
.Post-RichText {{ font-family: ZhihuScrambled, sans-serif; }}</style></head>
<body><article class="Post-Main"><h1 class="Post-Title">tensorflow c++ API的编译和调用</h1>
<div class="AuthorInfo"><meta itemprop="name" content="作者{post_id}"></div>
<div class="RichText ztext Post-RichText">{body}</div></article></body></html>
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    text = SEED["content"]
    own = sorted(set(re.findall(r"[\u4e00-\u9fff]", text)))
    among_own = substitution(random.Random(5), own)  # the font's characters swapped among themselves
    among_common = substitution(random.Random(6), list(common_characters(3000)))  # and for characters it does not hold
    own_font = scrambling_font(text, among_own, "woff2")
    inline = base64.b64encode(scrambling_font(text, among_common, "woff")).decode()
    files = {  # each by an author of its own, so in a column of its own: text on several pages of a column is boilerplate to search
        "saved/original.html": saved_page("1000", text, "./original_files/zh.woff2"),
        "saved/original_files/zh.woff2": own_font,  # never applied to a readable post
        "kept/kept - 知乎.html": saved_page("1001", scramble(text, among_own), "./kept%20-%20知乎_files/zh.woff2"),
        "kept/kept - 知乎_files/zh.woff2": own_font,
        "inline/inline.html": saved_page("1002", scramble(text, among_common), f"data:font/woff;base64,{inline}"),
        "lost/lost.html": saved_page("1003", scramble(text, among_own), "./lost_files/zh.woff2"),
        "lost/lost_files/zh.woff2": scrambling_font(text, {}, "woff2"),  # a font that swaps nothing
        "broken/broken.html": saved_page("1004", scramble(text, among_own), "./missing.woff2"),
        "broken/broken_files/zh.woff2": b"wOF2 not a font",
        "exported/post.md": "---\ntitle: 导出的文章\nurl: https://zhuanlan.zhihu.com/p/1005\n---\n\n" + scramble(text, among_own),
        "exported/assets/zh.woff2": own_font,
    }
    project = make_project(tmp_path_factory.mktemp("fonts"), files)
    return project / "site", build_as_a_user(project, "--verbose")


def body(site, post_id: str) -> BeautifulSoup:
    return BeautifulSoup((site / "p" / f"{post_id}.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("post_id", ["1001", "1002", "1005"])
def test_a_page_whose_font_was_kept_is_restored_to_the_original_text(built, post_id):
    site, _ = built
    original = body(site, "1000").select_one(".entry-body").text
    page = body(site, post_id)
    assert page.select_one(".entry-body").text == original
    count = int(re.search(r"此文有 (\d+) 个字", page.select_one(".notice-restored").text)[1])
    assert count > 100
    assert page.select_one(".notice-scrambled") is None


def test_only_the_page_the_font_could_not_restore_is_warned_about_and_marked(built):
    site, printed = built
    said = printed.stdout + printed.stderr
    assert printed.returncode == 0, said
    warned = sorted(line for line in said.splitlines() if KIND in line)
    assert len(warned) == 2 and "content/broken/broken.html" in warned[0] and "content/lost/lost.html" in warned[1]
    assert "the font its saved page used (content/lost/lost_files/zh.woff2) did not restore it" in warned[1]
    assert "content/broken/broken_files/zh.woff2" in warned[0]
    unusable = sorted(line for line in said.splitlines() if "font not usable to restore scrambled text" in line)
    assert len(unusable) == 2
    assert "content/broken/missing.woff2: ValueError: no such file" in unusable[1]
    assert "content/broken/broken_files/zh.woff2: TTLibError" in unusable[0]
    assert body(site, "1003").select_one(".notice-scrambled") is not None
    assert body(site, "1004").select_one(".notice-scrambled") is not None
    assert body(site, "1000").select_one(".notice") is None


def test_search_indexes_the_restored_text_and_the_scrambled_text_left(built):
    site, _ = built
    text = {doc["u"]: doc["x"] for doc in documents({f"search/{path.name}": path.read_bytes() for path in (site / "search").iterdir()})}
    assert "调用tensorflow练好的丹" in text["p/1000.html"]
    assert text["p/1001.html"] == text["p/1002.html"] == text["p/1000.html"]
    assert text["p/1003.html"] != text["p/1000.html"] and len(text["p/1003.html"]) == len(text["p/1000.html"])
