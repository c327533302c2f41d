"""Hugo blogs: a post's shortcodes (``{{< figure >}}`` …) shown as Hugo shows them (zhsite/load/hugo.py)."""
from __future__ import annotations

import re

import pytest

from tests.conftest import site_built_as_a_user
from tests.load.test_exports import png
from tests.load.test_liquid import body

POST = """---
title: "YOLO 笔记"
date: 2019-05-01T10:00:00+08:00
---

{{< figure src="arch.png" caption="YOLO 的结构" width="300" >}}

{{< highlight python "linenos=table" >}}
print("{{< figure >}}")
{{< /highlight >}}

{{% notice tip "小贴士" %}}
先读论文。
{{% /notice %}}

参见 [残差网络]({{< ref "posts/resnet.md" >}})。

{{< youtube dQw4w9WgXcQ >}}

{{< mermaid >}}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    files = {"posts/yolo/index.md": POST, "posts/yolo/arch.png": png(70), "posts/resnet.md": "---\ntitle: 残差网络\n---\n\n正文。\n",
             "notes/go.md": "# Go 模板\n\n写 {{ .Title }} 与 {{< 不是短代码 >}}。\n"}
    return site_built_as_a_user(tmp_path_factory.mktemp("hugo"), files)


def test_a_figure_is_the_bundles_picture_with_its_caption(built):
    site, _ = built
    figure = body(site, "yolo").find("figure")
    assert figure.figcaption.get_text() == "YOLO 的结构" and figure.img["width"] == "300"
    assert (site / "notes" / figure.img["src"]).resolve().read_bytes() == png(70)


def test_code_callouts_links_and_videos(built):
    site, _ = built
    shown = body(site, "yolo")
    assert shown.select_one(".highlight code.language-python").get_text() == 'print("{{< figure >}}")\n', "code as written"
    assert shown.select_one("aside.callout-tip .callout-title").get_text() == "小贴士"
    assert shown.find("a", string="残差网络")["href"] == "resnet.html"
    assert shown.find("a", href="https://www.youtube.com/watch?v=dQw4w9WgXcQ") is not None


def test_a_shortcode_not_drawn_is_said_and_a_note_without_hugos_is_left_alone(built):
    site, result = built
    assert re.search(r"content/posts/yolo/index\.md:20: warning: Hugo shortcode not shown: \{\{< mermaid >\}\}", result.stderr)
    assert "{{< mermaid >}}" in body(site, "yolo").get_text()
    assert "写 {{ .Title }} 与 {{< 不是短代码 >}}。" in body(site, "go").get_text() and "go.md" not in result.stderr
