"""Callouts are boxes: Obsidian's and GitHub's ``> [!kind]``, 语雀's, VuePress's and Docusaurus' ``:::kind`` containers.

Each app's own syntax, as its documentation writes it: Obsidian ``> [!tip] 标题``
(``-`` after the kind folds it), GitHub ``> [!WARNING]``, 语雀's export ``:::tips``
and ``:::color5``, VuePress ``::: warning 标题`` and ``::: details 标题``.
"""
from __future__ import annotations

import re

import pytest

from tests.conftest import site_built_as_a_user

NOTE = """# 注意力笔记

> [!note]
> 缩放点积注意力除以 $\\sqrt{d_k}$。

> [!TIP] 记忆方法
> 把 Q、K、V 想成**检索**。

:::tips
语雀的提示块。
:::

:::color5
语雀的彩色块。
:::

::: warning 小心
学习率过大时训练发散。
:::

> [!danger]- 常见错误
> 忘记掩码。

::: details 推导
$$\\mathrm{Var}(q\\cdot k) = d_k$$
:::

> 普通引用保持原样。

```markdown
> [!note]
:::tips
```
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    site, result = site_built_as_a_user(tmp_path_factory.mktemp("callouts"), {"notes/attention.md": NOTE})
    assert result.returncode == 0, result.stderr
    html = (site / "notes" / "attention.html").read_text(encoding="utf-8")
    return html[html.index('class="entry-body"'):]


def boxes(page: str) -> list[tuple[str, str]]:
    """Each box's kind and title, in order."""
    return re.findall(r'<aside class="callout callout-([\w-]+)">\s*(?:<p class="callout-title">(.*?)</p>)?', page)


def test_each_apps_callout_is_a_box_of_its_kind_titled_as_written_or_by_its_kind(page):
    assert boxes(page) == [("note", "注"), ("tip", "记忆方法"), ("tips", "提示"), ("color5", ""), ("warning", "小心"),
                           ("danger", "常见错误")]
    assert "[!" not in page.split("<pre")[0] and ":::" not in page.split("<pre")[0], "no marks shown as text"


def test_what_a_box_holds_is_read_as_markdown_and_a_folded_one_is_open(page):
    assert re.search(r'callout-note">.*?<math display="inline">.*?\\sqrt\{d_k\}</annotation>.*?</aside>', page, re.S)
    assert re.search(r'callout-tip">.*?<strong>检索</strong>.*?</aside>', page, re.S)
    assert re.search(r'callout-danger">\s*<p class="callout-title">常见错误</p>\s*<p>忘记掩码。</p>', page)
    assert re.search(r'<details class="callout"><summary>推导</summary>\s*<math display="block"', page), "a details box keeps its formula"


def test_a_plain_quote_and_marks_inside_code_stay_as_they_are(page):
    assert re.search(r"<blockquote>\s*<p>普通引用保持原样。</p>\s*</blockquote>", page)
    code = page.split("<pre")[1]
    assert "[!note]" in code and ":::tips" in code and "callout" not in code, "code is code"


MKDOCS = """# 优化器

!!! note
    Adam 结合了动量与 RMSProp，$m_t$ 是一阶矩。

!!! warning "学习率"
    太大会发散。

??? tip "展开看代码"
    ```python
    opt = Adam()
    ```

=== "PyTorch"
    ```python
    x = torch.zeros(2)
    ```

=== "JAX"
    x 用 `jnp.zeros(2)`。

!!! 这很重要
正文继续。
"""


def test_mkdocs_admonitions_are_boxes_and_an_exclamation_stays_text(tmp_path):
    """MkDocs Material's ``!!! kind "title"`` over an indented block (``???`` folds it): the same box, open; its content tabs
    (``=== "PyTorch"``) a box each."""
    site, result = site_built_as_a_user(tmp_path, {"docs/opt.md": MKDOCS})
    assert result.returncode == 0, result.stderr
    shown = (site / "notes" / "opt.html").read_text(encoding="utf-8")
    boxes = re.findall(r'<aside class="callout callout-(\w+)">\s*<p class="callout-title">([^<]*)</p>', shown)
    assert boxes == [("note", "注"), ("warning", "学习率"), ("tip", "展开看代码"), ("tab", "PyTorch"), ("tab", "JAX")]
    assert "torch</span>" in shown and "<code>jnp.zeros(2)</code>" in shown, "every content tab's text, one after the other"
    assert "<math" in shown and '<code class="language-python">' in shown, "what a box holds is Markdown, not a code block"
    assert "<p>!!! 这很重要" in shown, "a line of a note exclaiming is text, not a box of kind 这很重要"
