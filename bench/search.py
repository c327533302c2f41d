"""Search index size, build time and what a first search loads: the seed site, and 10,000 articles made from the seeds.

Usage: python bench/search.py [--articles N] [--runs R]

The large project replicates the seed columns' articles with new ids (and the
notes once) into a temporary project, so its text is real Chinese and its
words repeat like a real archive's.  Times are in-process ``generate`` runs
with no cache: the whole build, and the same build with ``search = false``;
the difference is what search adds (the index is made on a thread beside the
rendering, so this is less than the indexing's own time).  Then the site is
written to disk, served on 127.0.0.1, and each of ``QUERIES`` is typed into a
fresh page's header box in headless Chromium: the files under ``search/`` the
page requested until the results showed are what a first search loads.
"""
from __future__ import annotations

import argparse
import copy
import gzip
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, http_served  # noqa: E402
from zhsite.build import generate  # noqa: E402
from zhsite.config import load_config  # noqa: E402

QUERIES = ("卷积", "语义分割")


def synthetic_project(root: Path, articles: int) -> Path:
    """A project of *articles* articles copied from the seed columns with fresh ids, plus the notes."""
    content = root / "content"
    content.mkdir(parents=True)
    columns = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((REPO / "content").glob("*.json"))]
    seeds = [(c, a) for c in columns for a in c["article"]]
    out = [dict(copy.deepcopy(c), article=[]) for c in columns]
    for i in range(articles):
        column, article = seeds[i % len(seeds)]
        article = dict(article, url=f"https://zhuanlan.zhihu.com/p/{9_000_000_000 + i}", title=f"{article['title']}（{i}）")
        out[columns.index(column)]["article"].append(article)
    for n, column in enumerate(out):
        (content / f"column-{n}.json").write_text(json.dumps(column, ensure_ascii=False), encoding="utf-8")
    for note in (REPO / "content").iterdir():
        if note.suffix in (".md", ".txt"):
            (content / note.name).write_bytes(note.read_bytes())
    (root / "zhsite.toml").write_bytes((REPO / "zhsite.toml").read_bytes())
    return root


def measure(project: Path, runs: int) -> dict:
    config = load_config(project)
    build_times, no_search_times, files = [], [], {}
    for _ in range(runs):
        start = time.perf_counter()
        files = generate(project, config).files
        build_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        generate(project, replace(config, search=False))
        no_search_times.append(time.perf_counter() - start)
    bundle = {k: v for k, v in files.items() if k.startswith("search/")}
    with tempfile.TemporaryDirectory(prefix="zhsite-bench-") as site:
        for name, data in files.items():
            (Path(site) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(site) / name).write_bytes(data)
        first = {query: first_search(Path(site), query) for query in QUERIES}
    return {
        "pages": json.loads(bundle["search/index.js"][len(b"zhsiteSearch.index("):-3])["pages"],
        "files": len(bundle),
        "bundle": sum(map(len, bundle.values())),
        "gzipped": sum(len(gzip.compress(v, mtime=0)) for v in bundle.values()),
        "text": sum(len(v) for k, v in bundle.items() if k.startswith("search/text-")),
        "first": {q: (len(names), sum(len(bundle[n]) for n in names), sum(len(gzip.compress(bundle[n], mtime=0)) for n in names))
                  for q, names in first.items()},
        "index_time": statistics.median(build_times) - statistics.median(no_search_times),
        "build_time": statistics.median(build_times),
    }


def first_search(site: Path, query: str) -> list[str]:
    """The ``search/…`` files a page requests when *query* is typed into its box, until the results show."""
    with http_served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        names = []
        page.on("request", lambda r: r.url.startswith(f"{url}search/") and names.append(r.url.removeprefix(url)))
        page.goto(f"{url}index.html")
        page.locator(".site-search input").fill(query)
        page.locator(".site-search .search-result").first.wait_for(timeout=120_000)
        browser.close()
    return sorted(set(names))


def show(name: str, m: dict) -> None:
    mb = 1024 * 1024
    print(
        f"{name}: {m['pages']} pages indexed in {m['files']} file(s) of {m['bundle'] / mb:.2f} MiB ({m['gzipped'] / mb:.2f} MiB gzipped; "
        f"the text {m['text'] / mb:.2f} MiB); search adds {m['index_time']:.1f} s to a {m['build_time']:.1f} s build (medians)"
    )
    for query, (files, size, gzipped) in m["first"].items():
        print(f"  first search for {query}: {files} files, {size / 1024:.0f} KiB ({gzipped / 1024:.0f} KiB gzipped)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    show("seed site", measure(REPO, args.runs))
    with tempfile.TemporaryDirectory() as tmp:
        show(f"{args.articles} articles", measure(synthetic_project(Path(tmp), args.articles), args.runs))


if __name__ == "__main__":
    main()
