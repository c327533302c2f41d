"""Helpers for the rewrite-pass tests: run passes on a snippet, cut snippets from the seed archives.

Results are serialised and parsed again, so assertions see the HTML a reader
gets, not lxml's in-memory tree.
"""
from __future__ import annotations

import re
from functools import cache

import lxml.html
from lxml.html import HtmlElement

from tests.conftest import REPO, seed_article
from zhsite.rewrite import rewrite
from zhsite.rewrite.context import RewriteContext
from zhsite.tree import inner_html, parse_fragment


def context(page: str = "p/1.html", **kwargs) -> RewriteContext:
    return RewriteContext(page=page, **kwargs)


def parse(html: str) -> HtmlElement:
    """*html* as a ``<div>`` holding the fragment."""
    return lxml.html.fragment_fromstring(html, create_parent="div") if html.strip() else lxml.html.Element("div")


def run(html: str, *passes, ctx: RewriteContext | None = None) -> tuple[HtmlElement, RewriteContext]:
    """Run *passes* in order on *html*; the output, parsed again, and the context."""
    ctx = ctx or context()
    root = parse_fragment(html)
    for rewrite_pass in passes:
        rewrite_pass(root, ctx)
    return parse(inner_html(root)), ctx


def run_all(html: str, ctx: RewriteContext | None = None) -> tuple[HtmlElement, RewriteContext]:
    """The whole rewrite, sanitising included: what lands on the page."""
    ctx = ctx or context()
    return parse(rewrite(html, ctx).html), ctx


@cache
def _content(article_id: str) -> str:
    return seed_article(article_id)["content"]


def seed_snippet(article_id: str, pattern: str, nth: int = 0) -> str:
    """The *nth* match of *pattern* in a seed article's HTML (so a snippet is real, not retyped)."""
    matches = [m.group(0) for m in re.finditer(pattern, _content(article_id), re.S)]
    assert len(matches) > nth, f"article {article_id} has no snippet {pattern!r} #{nth}"
    return matches[nth]


def seed_comment(article_id: str, contains: str) -> str:
    for comment in seed_article(article_id)["comments"]:
        if contains in comment["content"]:
            return comment["content"]
    raise AssertionError(f"article {article_id} has no comment with {contains!r}")


def seed_article_html(article_id: str) -> str:
    return _content(article_id)


def note_snippet(name: str, pattern: str) -> str:
    """A match of *pattern* in one of the seed notes in content/."""
    match = re.search(pattern, (REPO / "content" / name).read_text(encoding="utf-8"), re.S)
    assert match, f"{name} has no snippet {pattern!r}"
    return match.group(0)


def warnings(ctx: RewriteContext) -> list[str]:
    return [p.message for p in ctx.problems if p.severity == "warning"]
