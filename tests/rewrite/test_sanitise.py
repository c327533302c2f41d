"""The allow-list: nothing active or layout-breaking gets through; what a reader needs does."""
from __future__ import annotations

import pytest

from tests.rewrite.conftest import parse, run_all, seed_article_html
from zhsite.rewrite.sanitise import sanitise


def assert_inert(root) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag not in {"script", "style", "iframe", "object", "embed", "base", "meta", "link", "form", "svg"}
        assert not [name for name in element.attrib if name.lower().startswith("on") or name.lower() == "style"]
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            value = (element.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:text", "vbscript:"))
    assert "alert" not in root.text_content() and "display:none" not in root.text_content()


@pytest.mark.parametrize(
    "html",
    [
        "<p>前<script>alert(1)</script>后</p>",
        "<style>body{display:none}</style><p>前后</p>",
        '<p onclick="alert(1)" onmouseover="alert(1)">前后</p>',
        '<img src="https://pic1.zhimg.com/a_b.jpg" onerror="alert(1)"><p>前后</p>',
        '<p><a href="javascript:alert(1)">前后</a></p>',
        '<p><a href=" JaVaScRiPt:alert(1)">前后</a></p>',
        '<p><a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">前后</a></p>',
        '<iframe src="https://evil.example/"></iframe><object data="x.swf"></object><embed src="x.swf"><p>前后</p>',
        '<base href="https://evil.example/"><p>前后</p>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/"><p>前后</p>',
        '<p style="position:fixed;top:0;left:0;width:100%;height:100%">前后</p>',
        '<svg onload="alert(1)"><script>alert(1)</script></svg><p>前后</p>',
        '<form action="https://evil.example/"><button formaction="javascript:alert(1)">x</button></form><p>前后</p>',
        '<math><mi xlink:href="javascript:alert(1)">前后</mi></math>',
        '<math><annotation-xml encoding="text/html"><script>alert(1)</script></annotation-xml></math><p>前后</p>',
    ],
)
def test_active_and_layout_breaking_markup_is_removed(html):
    root = parse(sanitise(html))
    assert_inert(root)
    assert "前后" in root.text_content()


def test_redirect_to_javascript_does_not_escape_the_sanitiser():
    # Passes run before the sanitiser, so a target they decode is cleaned too.
    root, _ = run_all('<p><a href="https://link.zhihu.com/?target=javascript%3Aalert(1)">前后</a></p>')
    assert_inert(root)
    assert root.find(".//a").get("href") is None


def test_real_article_is_inert_and_keeps_its_content():
    # 60692852: figures, formulas, headings, empty paragraphs.
    root, _ = run_all(seed_article_html("60692852"))
    assert_inert(root)
    assert len(root.findall(".//figure")) == 5 and len(root.findall(".//figure/a[@class='zoom']/img")) >= 3
    assert len(list(root.iter("math"))) == 9
    assert root.find(".//noscript") is None and root.find(".//*[@data-rawwidth]") is None


@pytest.mark.parametrize(
    ("html", "path", "attributes"),
    [
        ('<table data-draft-type="table"><tbody><tr><th scope="col">a</th><td colspan="2" rowspan="1">b</td></tr></tbody>'
         "</table>", ".//table/tbody/tr/td", {"colspan": "2", "rowspan": "1"}),
        ('<figure><a class="zoom" href="https://pic1.zhimg.com/v2-a_r.jpg"><img src="https://pic1.zhimg.com/v2-a_b.jpg" '
         'alt="图" width="842" height="216" loading="lazy" decoding="async"></a><figcaption>图</figcaption></figure>',
         ".//figure/a/img", {"src": "https://pic1.zhimg.com/v2-a_b.jpg", "alt": "图", "width": "842", "height": "216",
                              "loading": "lazy", "decoding": "async"}),
        ('<div class="highlight"><pre><code class="language-python"><span class="kn">import</span> os</code></pre></div>',
         ".//div/pre/code/span", {"class": "kn"}),
        ('<p><math display="block"><semantics><mrow><msup><mi>c</mi><mn>2</mn></msup></mrow>'
         '<annotation encoding="application/x-tex">c^2</annotation></semantics></math></p>',
         ".//math/semantics/annotation", {"encoding": "application/x-tex"}),
        ('<a class="link-card" href="https://github.com/x"><span class="link-card-title">x</span></a>', ".//a",
         {"class": "link-card", "href": "https://github.com/x"}),
        ('<ul><li><input type="checkbox" checked> 完成</li></ul>', ".//li/input", {"type": "checkbox", "disabled": "disabled"}),
    ],
)
def test_markup_a_reader_needs_survives(html, path, attributes):
    element = parse(sanitise(html)).find(path)
    assert element is not None
    assert {name: element.get(name) for name in attributes} == attributes


def test_mathml_display_and_figure_caption_survive():
    root = parse(sanitise('<figure><img src="https://a.zhimg.com/b.jpg" alt=""><figcaption>说明</figcaption></figure>'
                          '<p><math display="block"><mi>x</mi></math></p>'))
    assert root.findtext(".//figcaption") == "说明"
    assert root.find(".//math").get("display") == "block"


def test_scrollable_blocks_may_take_focus_but_never_reorder_the_tab_order():
    html = sanitise('<pre tabindex="5">code</pre><p tabindex="1">text</p><a href="https://a.cn/" aria-label="查看大图">x</a>')
    root = parse(html)
    assert root.find(".//pre").get("tabindex") == "0"
    assert root.find(".//p").get("tabindex") is None
    assert root.find(".//a").get("aria-label") == "查看大图"
