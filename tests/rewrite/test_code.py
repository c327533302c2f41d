"""Code blocks highlighted by Pygments, language kept; an unknown language is plain text."""
from __future__ import annotations

import pytest

from tests.rewrite.conftest import parse, run, seed_snippet
from zhsite.rewrite.code import highlight_code

ZHIHU_CODE = r'<div class="highlight"><pre><code class="language-{}">.*?</code></pre></div>'


def code_text(html: str) -> str:
    return parse(html).find(".//code").text_content()


def only_block(root):
    (block,) = root.findall(".//div[@class='highlight']")
    (pre,) = block.findall("pre")
    (code,) = pre.findall("code")
    return code


def test_real_bash_block_is_highlighted_and_keeps_its_text():
    # 46566618: "git clone --recursive … / bazel build …".
    snippet = seed_snippet("46566618", ZHIHU_CODE.format("bash"))
    root, ctx = run(snippet, highlight_code)
    code = only_block(root)
    assert code.get("class") == "language-bash"
    assert code.find("span") is not None  # Pygments' token spans
    assert code.text_content().rstrip("\n") == code_text(snippet).rstrip("\n")
    assert ctx.problems == []


@pytest.mark.parametrize(
    "html",
    [
        '<pre><code class="language-python">import os\nprint(1 &lt; 2)\n</code></pre>',  # a Markdown fence
        '<div class="highlight"><pre><code class="language-python">import os\nprint(1 &lt; 2)</code></pre></div>',
        # Already split into spans by another highlighter.
        '<pre><code class="language-python"><span class="kn">import</span> os\n'
        '<span class="nb">print</span>(1 &lt; 2)</code></pre>',
    ],
)
def test_python_is_highlighted_by_pygments(html):
    root, _ = run(html, highlight_code)
    code = only_block(root)
    assert code.get("class") == "language-python"
    assert code.findtext("span[@class='kn']") == "import"
    assert code.findtext("span[@class='nb']") == "print"
    assert code.text_content().rstrip("\n") == "import os\nprint(1 < 2)"


@pytest.mark.parametrize(
    ("html", "language"),
    [
        ('<pre><code class="language-nosuchlanguage">a &lt;b&gt; &amp; c\n</code></pre>', "language-nosuchlanguage"),
        ("<pre>a &lt;b&gt; &amp; c</pre>", None),
        ('<pre><code class="language-text">a &lt;b&gt; &amp; c</code></pre>', "language-text"),
    ],
)
def test_unknown_or_no_language_is_plain_text(html, language):
    root, ctx = run(html, highlight_code)
    code = only_block(root)
    assert code.get("class") == language
    assert len(code) == 0 and code.text == "a <b> & c"
    assert ctx.problems == []


def test_real_text_block_keeps_its_markup_characters():
    # 46566618: a "language-text" directory listing with "=>" arrows.
    snippet = seed_snippet("46566618", ZHIHU_CODE.format("text"), 1)
    root, _ = run(f"<p>前</p>{snippet}<p>后</p>", highlight_code)
    code = only_block(root)
    assert code.text == "bazel-genfile\n       =>external\n       =>tensorflow"
    assert [p.text for p in root.findall("p")] == ["前", "后"]


@pytest.mark.parametrize(
    ("source", "language"),
    [
        ("#!/bin/bash\ngit clone --recursive https://github.com/tensorflow/tensorflow\ncd tensorflow", "bash"),
        ("import numpy as np\nx = np.zeros(3)", "numpy"),
        # 82739507: an unlabeled fence holding a remark in Chinese; a guess would colour it as "scdoc".
        ("不过这里要说明一下，用MACC来估算模型的计算量只能**大致地**估算一下模型的速度。", None),
        ("a = b\nc = d", None),
    ],
)
def test_unlabeled_code_gets_pygments_guess_only_when_it_is_sure(source, language):
    root, _ = run(f"<pre><code>{source}</code></pre>", highlight_code)
    code = only_block(root)
    assert code.get("class") == (f"language-{language}" if language else None)
    assert (code.find("span") is not None) is bool(language)
    assert code.text_content().rstrip("\n") == source


def test_script_inside_a_code_block_is_not_shown_as_its_code():
    """A browser never shows a <script>'s text; a scraped <pre><script>…</script></pre> must not show it either."""
    root, _ = run('<pre><code>x = 1<script>alert(1)</script><style>p{}</style>\ny = 2</code></pre>', highlight_code)
    assert only_block(root).text_content() == "x = 1\ny = 2"
