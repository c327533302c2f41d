"""A Logseq graph's pages are notes as Logseq shows them: an outline, its properties its front matter.

The fixture follows Logseq's file format as its documentation writes it: page
properties on the first lines (``title::``, ``tags::``), blocks as ``- `` lines
nested by tabs, block properties under a block (``collapsed:: true``,
``id:: <uuid>``), a block reference ``((uuid))``, macros (``{{embed [[页面]]}}``,
``{{video …}}``, ``{{query …}}``), task markers, ``#[[标签]]``, a journal page
named by its day, and ``public:: false``.
"""
from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from tests.conftest import site_built_as_a_user

CNN = """title:: 卷积网络
tags:: 深度学习, [[CNN]]

- 卷积层提取局部特征
  collapsed:: true
	- 感受野随层数增大
	- 参见 [[池化]] 和 #[[计算机 视觉]] #卷积
- 公式 $y = w * x + b$，见 [[池化]]
  id:: 6543a1b2-0000-4000-8000-000000000001
- 引用上面的块 ((6543a1b2-0000-4000-8000-000000000001)) `#不是标签`
- 别页的块 ((6543a1b2-0000-4000-8000-0000000000ff))
- {{embed [[池化]]}}
- {{video https://www.bilibili.com/video/BV1xx411c7mD}}
- {{query (and [[卷积网络]] (task TODO))}}
- TODO 复习反向传播
- DONE 读完论文
- $\\frac{1}{$
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    files = {"graph/pages/卷积网络.md": CNN, "graph/pages/池化.md": "- 最大池化\n\t- 取窗口最大值\n",
             "graph/pages/深度学习___优化.md": "- 学习率\n  collapsed:: true\n",
             "graph/journals/2024_01_05.md": "- 今天读了 [[卷积网络]]\n- 记住 ((6543a1b2-0000-4000-8000-000000000001))\n",
             "graph/pages/私人.md": "public:: false\n\n- 不公开\n"}
    site, result = site_built_as_a_user(tmp_path_factory.mktemp("logseq"), files)
    page = (site / "notes" / "卷积网络.html").read_text(encoding="utf-8")
    return site, result, page


def test_a_page_is_titled_and_tagged_by_its_properties_and_its_blocks_tags_and_shows_none_of_them(built):
    _, _, page = built
    assert re.search(r"<h1>\s*卷积网络\s*</h1>", page)
    assert re.findall(r'class="topic"[^>]*>([^<]+)</a>', page) == ["深度学习", "CNN", "计算机 视觉", "卷积"], "a tag in code is none"
    shown = page.replace('<span id="6543a1b2-0000-4000-8000-000000000001"></span>', "")
    assert "::" not in shown and "collapsed" not in shown and "6543a1b2-0000-4000-8000-000000000001" not in shown


def test_the_outline_is_nested_lists_with_links_formulas_and_tasks(built):
    _, _, page = built
    body = page[page.index('class="entry-body"'):]
    assert re.search(r"<li>卷积层提取局部特征\s*<ul>\s*<li>感受野随层数增大</li>", body), "a tab in is a level down"
    assert re.search(r'<a href="[^"]+">池化</a> 和 #计算机 视觉 #卷积', body)
    assert body.count("y = w * x + b</annotation>") == 2, "the referenced block shows its text, formula and all"
    assert re.search(r'type="checkbox"> 复习反向传播', body) and re.search(r'checked=""[^>]*> 读完论文', body)
    assert 'href="https://www.bilibili.com/video/BV1xx411c7mD"' in body


def test_what_no_page_can_show_stays_as_written_with_a_warning(built):
    _, result, page = built
    assert "((6543a1b2-0000-4000-8000-0000000000ff))" in page
    assert "content/graph/pages/卷积网络.md:11: warning: Logseq block reference to no block of the site" in result.stderr
    assert "<code>{{query (and [[卷积网络]] (task TODO))}}</code>" in page
    assert "content/graph/pages/卷积网络.md:14: warning: Logseq macro no page can run" in result.stderr
    assert "content/graph/pages/卷积网络.md:17: warning: formula could not be typeset" in result.stderr, "lines keep their numbers"


def test_a_reference_to_another_pages_block_is_its_text_linked_to_it(built):
    site, _, page = built
    assert '<span id="6543a1b2-0000-4000-8000-000000000001"></span>' in page, "the block's anchor"
    journal = (site / "notes" / "2024_01_05.html").read_text(encoding="utf-8")
    link = re.search(r'记住 <a href="([^"]+)">(.*?)</a>', journal)
    assert link and unquote(link[1]) == "卷积网络.html#6543a1b2-0000-4000-8000-000000000001"
    assert link[2].startswith("公式 <math") and "y = w * x + b</annotation>" in link[2], "the block's text as shown there, formula typeset"
    assert link[2].endswith("，见 池化") and "[[" not in link[2], "a wikilink in it is its words: no link inside the link"


def test_namespaces_journals_and_private_pages(built):
    site, result, _ = built
    titles = {re.search(r"<h1>\s*(.*?)\s*</h1>", path.read_text(encoding="utf-8"))[1] for path in (site / "notes").glob("*.html") if path.name != "index.html"}
    assert {"深度学习/优化", "2024_01_05", "池化", "卷积网络"} <= titles and "私人" not in titles
    journal = next(path for path in (site / "notes").glob("*.html") if "2024_01_05</h1>" in path.read_text(encoding="utf-8"))
    assert "2024-01-05" in journal.read_text(encoding="utf-8")
    assert "1 drafts" in result.stderr or "draft" in result.stderr, "the private page is counted as not published"


def test_a_graphs_own_files_are_counted_not_pages_and_no_error(tmp_path):
    files = {"graph/pages/池化.md": "- 最大池化\n", "graph/logseq/config.edn": '{:meta/version 1\n :preferred-format :markdown}\n',
             "graph/logseq/custom.css": ".cp-header {}\n", "graph/draws/2024-01-05-10-00-00.excalidraw": '{"type": "excalidraw", "elements": []}',
             "graph/logseq/bak/pages/池化/2024_01_05T10_00_00.000Z.Desktop.md": "- 旧版本\n",
             "graph/logseq/version-files/base/pages/池化.md": "- 旧版本\n"}
    site, result = site_built_as_a_user(tmp_path, files)
    assert result.returncode == 0 and "error" not in result.stderr.replace("0 error(s)", ""), result.stderr
    assert [path.name for path in (site / "notes").glob("*.html") if path.name != "index.html"] == ["池化.html"]
    assert "2 Logseq's backups of its pages" in result.stderr and "1 Excalidraw drawings" in result.stderr
    assert "2 code and config files" in result.stderr
