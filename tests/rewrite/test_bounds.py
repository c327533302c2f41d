"""Elements the parsers would take minutes over: past MAX_ATTRIBUTES an element keeps its text, not its attributes.

Both parsers check each attribute against every earlier one, so the work grew
as the square of one element's attributes (timings: bench/hostile.py).
"""
from __future__ import annotations

import pytest

from tests.rewrite.conftest import context, run_all
from zhsite.tree import MAX_ATTRIBUTES


def attributes(n: int, value: str | None = None) -> str:
    return " ".join(f'a{i}="{value}"' if value is not None else f"a{i}" for i in range(n))


@pytest.mark.parametrize(
    "html",
    [
        f"<p {attributes(200_000)} class=\"x\">正文</p><p>后文</p>",
        f"<p {attributes(80_000, 'v')}>正文</p><p>后文</p>",
        f"<p title=\"a>b\" {attributes(80_000, '>')}>正文</p><p>后文</p>",  # a ">" inside quotes does not end the tag
        f"<p a=b {attributes(80_000)}/>正文<p>后文</p>",
    ],
)
def test_an_element_with_too_many_attributes_keeps_its_text(html):
    ctx = context(source="content/x.json", where="article 1")
    root, _ = run_all(html, ctx)
    assert [p.text_content() for p in root.iter("p")] == ["正文", "后文"]
    assert root.find("p").attrib == {}
    [problem] = ctx.problems
    assert problem.place == "content/x.json:article 1"
    assert problem.message.startswith("attributes dropped: an element <p> has ") and problem.message.endswith(f"attributes (the limit is {MAX_ATTRIBUTES})")


def test_many_elements_each_under_the_limit_are_kept():
    html = f'<p class="keep" {attributes(MAX_ATTRIBUTES - 1)}>x</p>' * 500
    ctx = context()
    root, _ = run_all(html, ctx)
    assert [p.get("class") for p in root.iter("p")] == ["keep"] * 500
    assert ctx.problems == []


@pytest.mark.parametrize(
    "html",
    [
        '<img src="https://pic1.zhimg.com/v2-a.jpg" alt="' + "很长的说明 " * 20_000 + '">',  # long values, few attributes
        "<!-- <p " + attributes(500) + "> --><p>正文</p>",  # inside a comment, not an element
        "<p" + " " * 200_000 + 'class="x">正文</p>',  # one attribute after a long run of spaces
        "<p>" + "a<1 b < c " * 50_000 + "</p>",  # "<" in text that starts no tag
        "<p>" + "<b>粗</b> " * 50_000 + "</p>",  # many short tags
    ],
)
def test_long_values_and_comments_are_not_counted(html):
    ctx = context()
    run_all(html, ctx)
    assert ctx.problems == []
