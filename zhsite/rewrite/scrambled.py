"""Mark the posts whose text Zhihu's anti-crawler scrambled: a warning each, and a notice on their pages.

A step after the rewrite, over the model: each article, answer and note was
read by the detector (zhsite/chinese.py: a set lookup per pair of characters,
about 1-3 ms a post) with its rewrite, on its cores, and the reading cached
with it (zhsite/rewrite/stage.py ``Done.reading``).  What is judged is the post as archived, after the
loaders restored what a saved page's font allowed (zhsite/load/fonts.py): a
post still scrambled is built and indexed as it is, and marked
(``Site.scrambled``, read by the templates' notice).
"""
from __future__ import annotations

from collections.abc import Mapping

from zhsite.chinese import Reading
from zhsite.model import Article, Note, Site
from zhsite.problems import Problem

SCRAMBLED = "text looks scrambled by Zhihu's anti-crawler"


def mark_scrambled(site: Site, readings: Mapping[str, Reading]) -> list[Problem]:
    """Fill in ``site.scrambled``; one warning per post that reads as scrambled (*readings*: by the post's path), saying
    why it could not be restored."""
    site.scrambled = {}
    problems = []
    posts: list[Article | Note] = [*site.articles, *site.notes]
    for post in posts:
        reading = readings.get(post.path)
        if reading is None or not reading.scrambled:
            continue
        site.scrambled[post.path] = post.source
        where = f"{post.kind} {post.id}" if isinstance(post, Article) else ""
        share = f"only {reading.worst:.0%} of its neighbouring characters make words"
        problems.append(Problem(post.source, where, SCRAMBLED, f"{share}; {_restore(post)}", severity="warning"))
    return problems


def _restore(post: Article | Note) -> str:
    """Why the loader could not restore the post, and what to do."""
    fonts = post.fonts if isinstance(post, Article) else ()
    if fonts:
        named = ", ".join(fonts[:3])
        return f"the font{'s' if len(fonts) > 1 else ''} its saved page used ({named}) did not restore it; re-archive it logged in to Zhihu"
    return "no font of the page was kept to restore it from; re-archive it logged in to Zhihu"
