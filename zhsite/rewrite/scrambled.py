"""Mark the posts whose text Zhihu's anti-crawler scrambled: a warning each, and a notice on their pages.

A step after the rewrite, over the model: each article, answer and note is
read by the detector (zhsite/chinese.py: a set lookup per pair of characters,
about 1-3 ms a post, which for 10,000 posts is more than a rebuild of one
changed post takes, so each reading is kept in the build cache).  What is judged is the post as archived, after the
loaders restored what a saved page's font allowed (zhsite/load/fonts.py): a
post still scrambled is built and indexed as it is, and marked
(``Site.scrambled``, read by the templates' notice).
"""
from __future__ import annotations

from functools import partial

from zhsite.cache import READ_AS_CHINESE, BuildCache
from zhsite.chinese import Reading, read_text
from zhsite.model import Article, Note, Site, text_key
from zhsite.problems import Problem

SCRAMBLED = "text looks scrambled by Zhihu's anti-crawler"


def mark_scrambled(site: Site, cache: BuildCache | None = None) -> list[Problem]:
    """Fill in ``site.scrambled``; one warning per post that reads as scrambled, saying why it could not be restored."""
    site.scrambled = {}
    problems = []
    posts: list[Article | Note] = [*site.articles, *site.notes]
    for post in posts:
        reading = cache.memo(READ_AS_CHINESE, (text_key(post),), partial(_reading, post)) if cache is not None else read_text(post.content)
        if not reading.scrambled:
            continue
        site.scrambled[post.path] = post.source
        where = f"{post.kind} {post.id}" if isinstance(post, Article) else ""
        share = f"only {reading.worst:.0%} of its neighbouring characters make words"
        problems.append(Problem(post.source, where, SCRAMBLED, f"{share}; {_restore(post)}", severity="warning"))
    return problems


def _reading(post: Article | Note) -> Reading:
    """The detector's reading of the post's HTML, unpacked for it (the cache has it by its text_key)."""
    return read_text(post.content)


def _restore(post: Article | Note) -> str:
    """Why the loader could not restore the post, and what to do."""
    fonts = post.fonts if isinstance(post, Article) else ()
    if fonts:
        named = ", ".join(fonts[:3])
        return f"the font{'s' if len(fonts) > 1 else ''} its saved page used ({named}) did not restore it; re-archive it logged in to Zhihu"
    return "no font of the page was kept to restore it from; re-archive it logged in to Zhihu"
