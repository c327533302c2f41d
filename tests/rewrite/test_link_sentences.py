"""The sentence a backlink shows: the one its link is in, as the rewrite stage notes it on the body (Body.links)."""
from __future__ import annotations

import pytest

from zhsite.rewrite import RewriteContext, rewrite

ARCHIVED = {"p/2": "p/2.html"}


def noted(html: str) -> list[tuple[str, str]]:
    return list(rewrite(html, RewriteContext(page="p/1.html", archived=ARCHIVED)).links)


LINK = '<a href="https://zhuanlan.zhihu.com/p/2">{}</a>'


@pytest.mark.parametrize(("html", "sentence"), [
    (f"<p>第一句。这里引用了{LINK.format('另一篇')}的结论，很有用！最后一句。</p>", "这里引用了另一篇的结论，很有用！"),
    (f"<ul><li>Intro. See\n {LINK.format('this  one')} and more. Next.</li></ul>", "See this one and more."),
    (f"<blockquote><p>引文：<b>{LINK.format('乙')}</b></p></blockquote>", "引文：乙"),
])
def test_the_linking_sentence(html, sentence):
    assert noted(html) == [("p/2.html", sentence)]


def test_a_long_sentence_is_cut_around_its_link():
    [(_, sentence)] = noted(f"<p>{'长' * 200}引用了{LINK.format('乙文')}的结论{'尾' * 200}。</p>")
    assert "引用了乙文的结论" in sentence
    assert sentence.startswith("…") and sentence.endswith("…") and len(sentence) < 140


def test_links_not_archived_and_links_to_the_page_itself_are_not_noted():
    html = '<p><a href="https://zhuanlan.zhihu.com/p/9">别处</a> <a href="https://zhuanlan.zhihu.com/p/1">自己</a></p>'
    assert list(rewrite(html, RewriteContext(page="p/1.html", archived={"p/1": "p/1.html"})).links) == []
