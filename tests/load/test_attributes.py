"""Kramdown attribute lists, as 思源笔记 (SiYuan) exports Markdown and Jekyll's posts write them, are not shown.

The fixture is written as SiYuan writes a document: an attribute list on the line
after each block (``{: id="…" updated="…"}``), one after a quote holding its style,
one inline after a span; and a Jekyll post's ``{: .notice}``.
"""
from __future__ import annotations

import re

from tests.conftest import site_built_as_a_user

SIYUAN = """---
title: 应用简介
---

{: id="20231225131708-3e1rt6h"}

## 1 简介
{: id="20231225121615-bp663zj"}

应用名称：**播放器**{: style="color: red;"}
{: id="20231225121615-oaljz0o" updated="20231225121700"}

- 轻量
  {: id="20231225121615-list001"}
- 开源
  {: id="20231225121615-list002"}

> 引用的内容
{: id="20231019114031-5bqqmpr" style="background-color: var(--b3-card-error-background);"}

注意：这是 Jekyll 的提示。
{: .notice}

价格 {: 不是属性} 保留，代码 `{: id="code"}` 也保留。

$\\frac{1}{$
"""


def test_attribute_lists_are_not_shown_and_the_blocks_read_as_without_them(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {"siyuan/应用简介.md": SIYUAN})
    assert result.returncode == 0, result.stderr
    page = (site / "notes" / "应用简介.html").read_text(encoding="utf-8")
    body = page[page.index('class="entry-body"'):page.index("</article>")]
    assert "{: id=" not in body.replace('<code>{: id="code"}</code>', "") and "{: style" not in body and "{: .notice}" not in body
    assert "<p>应用名称：<strong>播放器</strong></p>" in body
    assert re.search(r"<ul>\s*<li>轻量\s*</li>\s*<li>开源\s*</li>\s*</ul>", body), "the list stays tight"
    assert "价格 {: 不是属性} 保留" in body and '<code>{: id="code"}</code>' in body
    assert "content/siyuan/应用简介.md:26: warning: formula could not be typeset" in result.stderr, "lines keep their numbers"
