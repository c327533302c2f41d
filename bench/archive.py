"""A project of N articles made from the seed archives, for timing builds at scale.

Usage: python bench/archive.py N DEST [--no-search] [--hugo HUGO_DEST]

Article i is seed article ``i % 51`` (both seed columns, in file order) with a
new id (``10_000_000 + i``) and its title suffixed with `` #i``; its content,
comments and topics are kept as they are, so the text is real Chinese with
real formulas, code and images.  The articles are spread over ``ceil(N/250)``
columns, one JSON file each (``content/column-0000.json`` …), in the seed
dump's shape; the three seed notes are copied once, byte for byte.

Deterministic: the same N gives the same bytes.  ``make_hugo_site`` writes the
same articles as a minimal Hugo site, for comparison (see bench/scale.py).
"""
from __future__ import annotations

import argparse
import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED_CONTENT = REPO / "content"
PER_COLUMN = 250
FIRST_ID = 10_000_000
NOTES = ("cv-lecture-notes.md", "deep-learning-notes.md", "dl-hotpot-faq.txt")


def seed_columns() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SEED_CONTENT.glob("*.json"))]


def articles(n: int) -> list[dict]:
    """The N articles, in order: seed article i % len(seeds) with id FIRST_ID + i and title '… #i'."""
    seeds = [a for column in seed_columns() for a in column["article"]]
    out = []
    for i in range(n):
        seed = seeds[i % len(seeds)]
        out.append(dict(seed, url=f"https://zhuanlan.zhihu.com/p/{FIRST_ID + i}", title=f"{seed.get('title') or '无标题'} #{i}"))
    return out


def column_files(n: int) -> dict[str, dict]:
    """content/ file name -> column dump, PER_COLUMN articles each."""
    columns = seed_columns()
    items = articles(n)
    files = {}
    for k in range(max(1, math.ceil(n / PER_COLUMN))):
        seed = columns[k % len(columns)]
        files[f"column-{k:04d}.json"] = {
            "title": f"{seed['title']} #{k}",
            "description": seed.get("description", ""),
            "followers": seed.get("followers", 0),
            "url": f"https://zhuanlan.zhihu.com/bench-column-{k:04d}",
            "article": items[k * PER_COLUMN:(k + 1) * PER_COLUMN],
        }
    return files


def dump(column: dict) -> bytes:
    """How the generator (and bench/scale.py's edits) serialise a column: compact, key order kept."""
    return json.dumps(column, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def make_archive(n: int, dest: Path, search: bool = True) -> Path:
    """Write a zhsite project (zhsite.toml + content/) of *n* articles into *dest*; returns *dest*."""
    content = dest / "content"
    content.mkdir(parents=True, exist_ok=True)
    for name, column in column_files(n).items():
        (content / name).write_bytes(dump(column))
    for name in NOTES:
        (content / name).write_bytes((SEED_CONTENT / name).read_bytes())
    (dest / "zhsite.toml").write_text(
        f'title = "zhsite bench: {n} articles"\n'
        'base_url = "http://localhost:8000/"\n'
        f"search = {'true' if search else 'false'}\n"
        # Pictures stay on their hosts, as Hugo's pages keep them: the figures are the build's, not a download's
        # (local pictures, the default, would fetch thousands of them on a machine with network).
        '[images]\nmode = "remote"\n',
        encoding="utf-8",
    )
    return dest


# buildFuture: article i is dated i hours after 2020-01-01, so past 60,000 articles Hugo would skip the ones after today.
HUGO_CONFIG = """baseURL = "http://localhost:1313/"
title = "hugo bench"
buildFuture = true
[markup.goldmark.renderer]
unsafe = true
"""

HUGO_SINGLE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title></head>
<body><main><article data-pagefind-body><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2006-01-02" }} · {{ .Params.author }} · {{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}
</article></main></body></html>
"""

HUGO_LIST = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>
{{ end }}</ul></main></body></html>
"""


# What a Hugo user adds for Pagefind's search (pagefind_extended --site public/ writes pagefind/): a page
# with its default UI, as its docs show it.  The page's language is the articles': Pagefind keeps an index
# per language and the UI asks for the one its page is in.
HUGO_SEARCH = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>搜索 - hugo bench</title>
<link href="pagefind/pagefind-ui.css" rel="stylesheet"><script src="pagefind/pagefind-ui.js"></script></head>
<body><main><div id="search"></div>
<script>window.addEventListener("DOMContentLoaded", () => new PagefindUI({ element: "#search" }));</script>
</main></body></html>
"""


def make_hugo_site(n: int, dest: Path) -> Path:
    """The same *n* articles as a minimal Hugo site: one content file per article (JSON front matter
    with title, date, tags; the raw Zhihu HTML as body, passed through by goldmark's unsafe renderer),
    one section per column, one single and one list template, and ``search.html`` for Pagefind.

    The single template marks the article (title, date, author, topics, text) ``data-pagefind-body``, so
    Pagefind indexes the articles' words, as zhsite's index does, and not the list and tag pages."""
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for name, column in column_files(n).items():
        section = dest / "content" / Path(name).stem
        section.mkdir(parents=True, exist_ok=True)
        (section / "_index.md").write_text(json.dumps({"title": column["title"]}, ensure_ascii=False) + "\n", encoding="utf-8")
        for article in column["article"]:
            i = int(article["url"].rsplit("/", 1)[-1]) - FIRST_ID
            front = {
                "title": article["title"],
                "date": (start + timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "tags": [t.get("tag", "") for t in article.get("topic") or [] if t.get("tag")],
                "author": article.get("userName", ""),
            }
            body = article.get("content") or ""
            (section / f"{FIRST_ID + i}.md").write_text(json.dumps(front, ensure_ascii=False) + "\n\n" + body + "\n", encoding="utf-8")
    layouts = dest / "layouts"
    layouts.mkdir(parents=True, exist_ok=True)
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    (dest / "static").mkdir(exist_ok=True)
    (dest / "static" / "search.html").write_text(HUGO_SEARCH, encoding="utf-8")
    (dest / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--no-search", action="store_true", help="search = false in zhsite.toml")
    parser.add_argument("--hugo", type=Path, help="also write the articles as a Hugo site here")
    args = parser.parse_args()
    make_archive(args.n, args.dest, search=not args.no_search)
    if args.hugo:
        make_hugo_site(args.n, args.hugo)


if __name__ == "__main__":
    main()
