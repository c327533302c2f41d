"""Obsidian's embeds (``![[笔记]]``): the embedded note's text shown in a box in its place (zhsite/load/embeds.py)."""
from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from tests.conftest import make_project, site_built_as_a_user
from zhsite.build import build
from zhsite.load.embeds import EMBEDS_SHOWN

ATTENTION = """# 注意力机制

注意力是加权求和。 ^core

## 缩放点积

$$\\mathrm{softmax}(QK^T/\\sqrt{d})V$$

```python
scores = q @ k.T
```

## 多头

多个头并行。
"""
OVERVIEW = """# Transformer 总览

## 注意力

![[注意力机制]]

只看一节：

![[注意力#缩放点积]]

一句话：

![[注意力#^core]]

句中的 ![[注意力]] 是链接。

`![[注意力]]` 是代码。

没有这节：

![[注意力#不存在]]
"""
LOOP_A = "# 甲\n\n甲的正文。\n\n![[乙]]\n"
LOOP_B = "# 乙\n\n乙的正文。\n\n![[甲]]\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    files = {"vault/注意力.md": ATTENTION, "vault/总览.md": OVERVIEW, "vault/甲.md": LOOP_A, "vault/乙.md": LOOP_B}
    return site_built_as_a_user(tmp_path_factory.mktemp("embeds"), files)


def page(site, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / "notes" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def test_a_whole_note_is_shown_in_a_box_under_a_link_to_its_page(built):
    site, result = built
    assert result.returncode == 0, result.stderr
    box = page(site, "总览").select("div.embed")[0]
    source = box.select_one("p.embed-source a")
    assert source.get_text() == "注意力机制" and source["href"] == "%E6%B3%A8%E6%84%8F%E5%8A%9B.html"
    assert "注意力是加权求和。" in box.get_text() and "多个头并行。" in box.get_text()
    assert box.find("math") is not None and box.select_one(".highlight") is not None, "typeset and highlighted as on its own page"


def test_a_section_or_a_block_is_that_part_only(built):
    site, _ = built
    section, block = page(site, "总览").select("div.embed")[1:3]
    assert section.select_one("p.embed-source").get_text() == "注意力机制 › 缩放点积"
    assert section.find(["h2", "h3"]).get_text() == "缩放点积" and "多个头并行" not in section.get_text()
    assert "注意力是加权求和" not in section.get_text()
    assert block.get_text().replace("注意力机制 › core", "").strip() == "注意力是加权求和。"


def test_an_embed_in_a_sentence_or_in_code_is_no_box_and_a_missing_section_is_said(built):
    site, result = built
    overview = page(site, "总览")
    assert len(overview.select("div.embed")) == 3
    sentence = next(p for p in overview.find_all("p") if p.get_text().startswith("句中的"))
    assert sentence.find("a")["href"] == "%E6%B3%A8%E6%84%8F%E5%8A%9B.html"
    assert overview.find("code", string="![[注意力]]") is not None
    assert re.search(r"content/vault/总览\.md:21: warning: embedded section not found: !\[\[注意力#不存在\]\]", result.stderr)


def test_the_contents_list_holds_the_notes_own_sections_only(built):
    site, _ = built
    toc = [a.get_text() for a in page(site, "总览").select("nav.toc a")]
    assert toc == ["注意力"]


def test_two_notes_embedding_each_other_show_each_other_once(built):
    site, result = built
    first = page(site, "甲")
    assert "乙的正文。" in first.select_one("div.embed").get_text()
    assert first.select("div.embed div.embed") == [], "乙's embed of 甲 stays a link inside 甲's page"
    assert "warning: note embedded in itself" in result.stderr


def test_an_edit_of_the_embedded_note_shows_in_the_note_that_embeds_it(tmp_path):
    project = make_project(tmp_path, {"注意力.md": ATTENTION, "总览.md": "# 总览\n\n![[注意力机制]]\n"})
    build(project)
    (project / "content" / "注意力.md").write_text(ATTENTION.replace("加权求和", "按相似度加权求和"), encoding="utf-8")
    build(project)
    assert "按相似度加权求和" in (project / "site" / "notes" / "总览.html").read_text(encoding="utf-8")


def test_embeds_of_embeds_stop_at_a_bound_and_say_so(tmp_path):
    """Each of four notes embeds the next thirty times: 30^4 boxes unbounded, a page of 810,000 notes."""
    files = {f"n{level}.md": f"# n{level}\n\n正文{level}。\n\n" + f"![[n{level + 1}]]\n\n" * 30 for level in range(4)}
    files["n4.md"] = "# n4\n\n最深处。\n"
    site, result = site_built_as_a_user(tmp_path, files)
    assert result.returncode == 0, result.stderr
    boxes = page(site, "n0").select("div.embed")
    assert len(boxes) == EMBEDS_SHOWN and "最深处。" in boxes[3].get_text()
    assert "warning: too many embedded notes" in result.stderr


def test_a_notes_own_warning_is_said_once_however_many_notes_show_it(tmp_path):
    files = {"c.md": "# c\n\n丙。\n\n![[c]]\n", "a.md": "# a\n\n![[c]]\n", "b.md": "# b\n\n![[c]]\n"}
    site, result = site_built_as_a_user(tmp_path, files)
    assert result.returncode == 0, result.stderr
    assert "丙。" in page(site, "a").select_one("div.embed").get_text() and "丙。" in page(site, "b").select_one("div.embed").get_text()
    assert "content/c.md:5" in result.stderr and "0 error(s), 1 warning(s)" in result.stderr, result.stderr


def test_an_embed_shows_the_note_its_link_goes_to_when_two_share_a_name(tmp_path):
    files = {"a/同名.md": "---\ndate: 2024-01-02\n---\n\n# 甲版\n\n甲的正文。\n", "b/同名.md": "---\ndate: 2024-01-01\n---\n\n# 乙版\n\n乙的正文。\n",
             "总.md": "# 总\n\n![[同名]]\n"}
    site, result = site_built_as_a_user(tmp_path, files)
    box = page(site, "总").select_one("div.embed")
    target = (site / "notes" / unquote(box.select_one(".embed-source a")["href"])).read_text(encoding="utf-8")
    assert box.select_one(".embed-source a").get_text() in target and box.find_all("p")[1].get_text() in target
