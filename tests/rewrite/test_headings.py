"""Headings: readable, unique ids, and levels without gaps; the excerpt and reading length of a body."""
from __future__ import annotations

from tests.rewrite.conftest import run_all


def ids(root):
    return [(h.tag, h.get("id")) for h in root.iter("h2", "h3", "h4", "h5", "h6")]


def test_heading_ids_are_made_from_their_text_and_unique_on_the_page():
    root, ctx = run_all("<h2>1.YOLO的训练</h2><p>a</p><h3>1.1 gt assignment</h3><h2>小结</h2><h2>小结</h2><h2>评论</h2><h2>main</h2>")
    assert ids(root) == [("h2", "1-yolo的训练"), ("h3", "1-1-gt-assignment"), ("h2", "小结"), ("h2", "小结-2"),
                         ("h2", "评论"), ("h2", "main-2")]  # "main" is the page's own id
    assert [h.anchor for h in ctx.toc] == ["1-yolo的训练", "1-1-gt-assignment", "小结", "小结-2", "评论", "main-2"]


def test_a_heading_is_never_more_than_one_level_below_the_one_before():
    # cv-lecture-notes.md: "#### 图像识别+定位" then "### 思路1"; h1 → h4 → h3 was announced as missing sections.
    root, _ = run_all("<h4>图像识别+定位</h4><p>a</p><h3>思路1：视作回归问题</h3><h4>细节</h4><h2>思路2</h2>")
    assert [tag for tag, _ in ids(root)] == ["h2", "h3", "h4", "h2"]


def test_an_id_the_source_gave_is_kept():
    root, _ = run_all('<ul class="note-toc"><li><a href="#part-1">一</a></li></ul><h2 id="part-1">一</h2>')
    assert ids(root) == [("h2", "part-1")]
