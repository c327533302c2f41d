"""Obsidian's own Markdown is read as Obsidian shows it: comments hidden, highlights marked, block ids linked to.

The syntax is Obsidian's documented one (Help → Formatting syntax): ``%%comment%%``
inline or over lines, ``==highlight==``, a block id ``^id`` at a block's end or on a
line of its own after a table or list, and ``[[note#^id]]`` linking to it.
"""
from __future__ import annotations

import re

import pytest

from tests.conftest import site_built_as_a_user

GRADIENT = """# 梯度下降

这是 ==**重点**内容== 需要记住。%%只给自己看的批注%%

%%
整段隐藏的草稿：未发表的想法
%%

学习率决定步长。 ^lr-def

| a | b |
|---|---|
| 1 | 2 |

^table-1

- 列表项 ^item-a
- 面积是 r ^2
- 转置记作 X ^T

```python
x = "%%d" % 3  # ==不是高亮== ^not-an-id
```

未闭合的 %% 注释符号保留。

$\\frac{1}{$
"""
LINKING = "# 反向传播\n\n学习率见 [[梯度下降#^lr-def]]。\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site, result = site_built_as_a_user(tmp_path_factory.mktemp("obsidian"), {"vault/梯度下降.md": GRADIENT, "vault/反向传播.md": LINKING})
    page = (site / "notes" / "梯度下降.html").read_text(encoding="utf-8")
    return site, result, page[page.index('class="entry-body"'):page.index("</article>")]


def test_comments_are_not_published_not_even_to_search(built):
    site, result, body = built
    assert "批注" not in body and "草稿" not in body and "%%只" not in body
    searched = "".join(path.read_text(encoding="utf-8") for path in (site / "search").glob("*.js"))
    assert "未发表的想法" not in searched and "只给自己看" not in searched
    assert "未闭合的 %% 注释符号保留。" in body, "a %% never closed is text, not the rest of the note hidden"


def test_highlights_are_marked_and_block_ids_are_their_blocks_ids(built):
    site, _, body = built
    assert "<mark><strong>重点</strong>内容</mark>" in body
    assert '<p id="^lr-def">学习率决定步长。</p>' in body
    assert re.search(r'<table id="\^table-1"', body) and "^table-1" not in body.replace('id="^table-1"', "")
    assert '<li id="^item-a">列表项</li>' in body and "面积是 r ^2" in body and "转置记作 X ^T" in body, "x ^2 and X ^T are no block ids"
    linking = (site / "notes" / "反向传播.html").read_text(encoding="utf-8")
    link = re.search(r'<a href="([^"]+)">[^<]*</a>。', linking)
    assert link and link[1].endswith(("#^lr-def", "#%5Elr-def")), "the link lands on the block"


def test_a_comparison_is_no_highlight_and_an_exported_posts_percent_signs_are_its_text(tmp_path):
    post = ("---\ntitle: 残差网络\nurl: https://zhuanlan.zhihu.com/p/1301\nauthor: 赵六\n---\n"
            "准确率从 90%% 提到 95%%，if x==1 and y==2 时成立。\n")
    site, result = site_built_as_a_user(tmp_path, {"export/残差网络.md": post, "notes/比较.md": "# 比较\n\nif x==1 and y==2 then\n"})
    assert result.returncode == 0, result.stderr
    page = (site / "p" / "1301.html").read_text(encoding="utf-8")
    assert "准确率从 90%% 提到 95%%，if x==1 and y==2 时成立。" in page, "an answer is no Obsidian note: nothing hidden"
    assert "<mark>" not in (site / "notes" / "比较.html").read_text(encoding="utf-8")


def test_code_keeps_the_marks_and_lines_keep_their_numbers(built):
    _, result, body = built
    code = body[body.index("<pre"):body.index("</pre>")]
    assert "%%" in code and "==不是高亮==" in code and "^not-an-id" in code
    assert "content/vault/梯度下降.md:27: warning: formula could not be typeset" in result.stderr, \
        "the formula after the comments is still on line 27"


def test_tags_written_in_the_text_are_the_notes_topics(tmp_path):
    note = ("---\ntags: [笔记]\n---\n# 反向传播\n\n链式法则 #机器学习 与 #深度学习/CNN，不是 C# 也不是 a#b 或 #2024。\n\n"
            "`#代码` 与 [链接](a.html#节)\n\n```\n#include <stdio.h>\n```\n\n#机器学习 #优化\n")
    site, result = site_built_as_a_user(tmp_path, {"vault/反向传播.md": note})
    assert result.returncode == 0, result.stderr
    shown = (site / "notes" / "反向传播.html").read_text(encoding="utf-8")
    topics = re.findall(r'class="topic"[^>]*>([^<]+)</a>', shown)
    assert topics == ["笔记", "机器学习", "深度学习/CNN", "优化"], "the front matter's, then the text's, each once"
    assert "链式法则 #机器学习 与 #深度学习/CNN" in shown, "the text as written"
    assert "机器学习" in (site / "topics" / "index.html").read_text(encoding="utf-8")
