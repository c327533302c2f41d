"""Hexo and Jekyll blogs: a post's template tags (``{% asset_img %}``, ``{% highlight %}`` …) shown as the blog shows them
(zhsite/load/liquid.py)."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import site_built_as_a_user
from tests.load.test_exports import png

POST = """---
title: YOLO 笔记
date: 2018-08-11 13:22:00
tags: [目标检测]
---

摘要在这里。

<!-- more -->

{% asset_img arch.png YOLO 的结构 %}

{% note info %}
提示内容。
{% endnote %}

{% codeblock lang:python %}
print("{% raw %}")
{% endcodeblock %}

{% blockquote 吴恩达, 机器学习 %}
引用的话。
{% endblockquote %}

上一篇：{% post_link resnet 残差网络 %}，图 {% img /images/logo.png 120 80 标志 %}。

{% youtube dQw4w9WgXcQ %}

{% iframe https://example.com/demo 400 300 %}

```
{% asset_img in-code.png %}
```
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    files = {"source/_posts/yolo.md": POST, "source/_posts/yolo/arch.png": png(60), "source/images/logo.png": png(61),
             "source/_posts/resnet.md": "---\ntitle: 残差网络\n---\n\n正文。\n",
             "notes/django.md": "# Django 模板\n\n循环写成 {% for x in items %}，结束写 {% endfor %}。\n"}
    return site_built_as_a_user(tmp_path_factory.mktemp("hexo"), files)


def body(site, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / "notes" / f"{name}.html").read_text(encoding="utf-8"), "html.parser").select_one(".entry-body")


def test_the_posts_picture_is_its_asset_folders_file(built):
    site, result = built
    img = body(site, "yolo").find("img", alt="YOLO 的结构")
    assert img is not None and (site / "notes" / img["src"]).resolve().read_bytes() == png(60)


def test_code_notes_and_quotes_are_drawn_as_hexo_draws_them(built):
    site, _ = built
    shown = body(site, "yolo")
    assert shown.select_one("aside.callout-info").get_text(" ", strip=True).endswith("提示内容。")
    assert shown.select_one(".highlight code.language-python").get_text() == 'print("{% raw %}")\n', "code keeps its tags as written"
    quote = shown.find("blockquote")
    assert quote.p.get_text() == "引用的话。\n—— 吴恩达, 机器学习" and quote.p.br is not None
    assert shown.find("code", string="{% asset_img in-code.png %}") is not None
    left = [p.get_text() for p in shown.find_all("p") if "{%" in p.get_text()]
    assert left == ["{% iframe https://example.com/demo 400 300 %}"], "every tag drawn but the one zhsite does not know"
    assert shown.find("a", href="https://www.youtube.com/watch?v=dQw4w9WgXcQ") is not None, "a video is a link to it"


def test_links_and_pictures_by_path(built):
    site, _ = built
    shown = body(site, "yolo")
    link = shown.find("a", string="残差网络")
    assert link is not None and link["href"] == "resnet.html"
    logo = shown.find("img", alt="标志")
    assert (logo["width"], logo["height"]) == ("120", "80")


def test_a_tag_zhsite_does_not_draw_is_said_and_a_note_of_template_code_is_left_alone(built):
    site, result = built
    assert re.search(r"content/source/_posts/yolo\.md:29: warning: Hexo or Jekyll tag not shown: \{% iframe https://example\.com/demo 400 300 %\}",
                     result.stderr)
    assert "{% iframe https://example.com/demo 400 300 %}" in body(site, "yolo").get_text()
    assert "循环写成 {% for x in items %}，结束写 {% endfor %}。" in body(site, "django").get_text()
    assert "django.md" not in result.stderr


JEKYLL = """---
layout: post
title: 注意力
---

![结构]({{ site.baseurl }}/assets/img/attn.png)

{% include figure.liquid loading="eager" path="assets/img/attn.png" caption="缩放点积" class="img-fluid" %}

{% highlight python linenos %}
softmax(q @ k.T)
{% endhighlight %}

见[上一篇]({% post_url 2019-01-01-resnet %})与 {% link _posts/2019-01-01-resnet.md %}。

{% include news.liquid %}

{% raw %}
Liquid 的循环写作 {% for post in site.posts %}，链接写作 {% post_url 2019-01-01-resnet %}。
{% endraw %}
"""


def test_a_jekyll_post_shows_its_pictures_code_and_links(tmp_path):
    files = {"blog/_posts/2019-02-01-attention.md": JEKYLL, "blog/_posts/2019-01-01-resnet.md": "---\ntitle: 残差网络\n---\n\n正文。\n",
             "blog/assets/img/attn.png": png(62)}
    site, result = site_built_as_a_user(tmp_path, files)
    shown = body(site, "2019-02-01-attention")
    pictures = shown.find_all("img")
    assert len(pictures) == 2 and all((site / "notes" / img["src"]).resolve().read_bytes() == png(62) for img in pictures)
    assert shown.find("figcaption").get_text() == "缩放点积"
    assert shown.select_one(".highlight code.language-python").get_text() == "softmax(q @ k.T)\n"
    assert [a["href"] for a in shown.find_all("a") if "resnet" in a["href"]] == ["2019-01-01-resnet.html"] * 2
    assert shown.find("a", string="上一篇") is not None
    assert re.search(r"2019-02-01-attention\.md:16: warning: Hexo or Jekyll tag not shown: \{% include news\.liquid %\}", result.stderr)
    assert "Liquid 的循环写作 {% for post in site.posts %}，链接写作 {% post_url 2019-01-01-resnet %}。" in shown.get_text()
    assert result.stderr.count("warning: Hexo or Jekyll tag") == 1, "raw text's tags are text"
