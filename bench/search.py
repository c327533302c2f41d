"""Search index size and build time: the seed site, and 2,990 articles (with the notes, just under the browser's limit) made from the seeds.

Usage: python bench/search.py [--articles N] [--runs R]

The large project replicates the seed columns' articles with new ids (and the
notes once) into a temporary project, so its text is real Chinese and its
words repeat like a real archive's.  Times are in-process ``generate`` runs
with no cache: the whole build, and the same build with ``search = false``;
the difference is what search adds (Pagefind runs beside the rendering, so
this is less than the indexing's own time).
"""
from __future__ import annotations

import argparse
import copy
import gzip
import json
import os
import platform
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from zhsite.build import generate
from zhsite.config import load_config

REPO = Path(__file__).resolve().parent.parent


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
    return {
        "pages": sum(len(json.loads(v[len(b"zhsiteSearch.add("):-3])) for v in bundle.values()),
        "files": len(bundle),
        "bundle": sum(map(len, bundle.values())),
        "gzipped": sum(len(gzip.compress(v)) for v in bundle.values()),
        "index_time": statistics.median(build_times) - statistics.median(no_search_times),
        "build_time": statistics.median(build_times),
    }


def show(name: str, m: dict) -> None:
    mb = 1024 * 1024
    print(
        f"{name}: {m['pages']} pages indexed in {m['files']} file(s) of {m['bundle'] / mb:.2f} MiB ({m['gzipped'] / mb:.2f} MiB gzipped); "
        f"search adds {m['index_time']:.1f} s to a {m['build_time']:.1f} s build (medians)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2_990)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    show("seed site", measure(REPO, args.runs))
    with tempfile.TemporaryDirectory() as tmp:
        show(f"{args.articles} articles", measure(synthetic_project(Path(tmp), args.articles), args.runs))


if __name__ == "__main__":
    main()
