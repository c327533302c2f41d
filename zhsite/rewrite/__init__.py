"""Rewrite: archive HTML → safe HTML that reads well offline.

Each pass is one small function over the parsed fragment with one concern.
Order matters: layout wrappers go first so later passes see the post itself,
formulas are taken out before images are treated as figures (and before the
MathJax inside them could look like content), redirects are
resolved before link and video cards read their host and before links to
archived articles are made local, and sanitising comes last.
"""
from __future__ import annotations

from zhsite.fonts import math_characters
from zhsite.model import Body
from zhsite.pictures import MAX_PICTURES, past_the_limit
from zhsite.rewrite.annotations import mark_annotations
from zhsite.rewrite.cleanup import (
    drop_empty_paragraphs,
    drop_shopping_cards,
    drop_unshown_characters,
    text_for_stickers,
    unwrap_layout_wrappers,
)
from zhsite.rewrite.code import highlight_code
from zhsite.rewrite.context import RewriteContext
from zhsite.rewrite.headings import collect_headings
from zhsite.rewrite.images import TOO_MANY_PICTURES, rewrite_lazy_images
from zhsite.rewrite.links import (
    link_mentions,
    rewrite_archive_links,
    rewrite_block_references,
    rewrite_link_cards,
    rewrite_note_links,
    rewrite_redirects,
    rewrite_truncated_urls,
    rewrite_wikilinks,
    unlink_entity_words,
)
from zhsite.rewrite.local_images import use_local_files, use_local_images, warn_plain_http
from zhsite.rewrite.math import rewrite_equations
from zhsite.rewrite.pasted_markdown import render_pasted_markdown
from zhsite.rewrite.references import rewrite_references
from zhsite.rewrite.sanitise import sanitise
from zhsite.rewrite.summary import excerpt, first_lines, reading_length
from zhsite.rewrite.tables import mark_header_rows
from zhsite.tree import bound_attributes, inner_html, parse_fragment, values_reported_to

PASSES = (
    unwrap_layout_wrappers,
    drop_unshown_characters,
    render_pasted_markdown,  # before the passes that read headings, formulas and code it makes
    drop_empty_paragraphs,
    drop_shopping_cards,
    text_for_stickers,
    unlink_entity_words,
    rewrite_block_references,  # before the formulas: a referenced block's text may hold some
    rewrite_equations,
    rewrite_references,
    rewrite_lazy_images,
    rewrite_redirects,
    rewrite_link_cards,
    rewrite_truncated_urls,
    link_mentions,
    rewrite_note_links,  # before the links made relative to the site: any relative link it sees is the author's
    rewrite_archive_links,
    rewrite_wikilinks,
    highlight_code,
    mark_header_rows,
    mark_annotations,
    collect_headings,
    use_local_files,  # pictures beside the Markdown, in either image mode
    use_local_images,  # every image any pass made or kept, from the map in ctx.images
    warn_plain_http,  # the pictures left on the web, as pages will show them
)


def rewrite(html: str, ctx: RewriteContext) -> Body:
    html, written = past_the_limit(html)  # before the parse: a post of a million pictures makes no million elements
    if written:
        ctx.warn(TOO_MANY_PICTURES, f"past the first {MAX_PICTURES:,} pictures of one text, {written:,} are shown as their addresses, not as pictures")
    html = html.replace("\x00", "")  # libxml2 would read it as U+FFFD, text drop_unshown_characters then keeps
    with values_reported_to(ctx.warn):  # a value made XML-safe is said as this page's warning (zhsite/tree.py)
        root = parse_fragment(bound_attributes(html, ctx.warn))
        for rewrite_pass in PASSES:
            rewrite_pass(root, ctx)
    summary, length, rewritten = excerpt(root), reading_length(root), inner_html(root)
    del root  # freed before the sanitiser makes a tree of its own: a page of many elements holds one at a time
    html = sanitise(rewritten)
    formulas = "".join(sorted(math_characters(html))) if "<math" in html else ""
    return Body.from_html(html, tuple(ctx.toc), tuple(ctx.links), summary, length, first_lines(html), formulas)


__all__ = ["PASSES", "RewriteContext", "rewrite"]
