"""A crawler's data folder at the size of the one issue 18 was tried on, for timing a cold build.

Usage: python bench/crawler.py DEST [--build]

Writes DEST/content/crawl/ as a crawler that saves one file per post lays it
out: 818 questions (``questions/<qid>/meta.json``) with 5,229 answers
(``questions/<qid>/answers/<aid>.json``, ``questionId``, ``topComments``,
``commentCount``), 1,571 column articles (``articles/<id>.json``, API v4),
4,049 author profiles (``authors/<token>.json``), 300 topics' crawl state
(``topics/<id>.json``) and 771 debug snapshots (``debug/<n>/initial.html``)
with 260 captured responses that hold no post (``debug/<n>/api-responses.json``):
13,000 files, 6,800 posts.  Post text, comments and formulas are the seed
articles', so the rewrite does real work.  Deterministic: the same bytes every run.

--build then runs ``python -m zhsite build -s DEST -o DEST/site`` as a user
does (interpreter start and writing the site included, no build cache) and
prints the wall time, the CPU time of all its processes (the figure to
compare when the machine is shared) and the peak RSS of its largest process.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive import articles as seed_articles  # noqa: E402  (bench/archive.py: the seed articles, renumbered)

QUESTIONS, ANSWERS, ARTICLES, AUTHORS, TOPICS, SNAPSHOTS, RESPONSES = 818, 5_229, 1_571, 4_049, 300, 771, 260
TOPIC_NAMES = ["LGBTQ", "LGBTQ+", *(f"话题{k}" for k in range(TOPICS - 2))]


def write(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def author(i: int) -> dict:
    return {"name": f"作者{i % AUTHORS}", "urlToken": f"author-{i % AUTHORS}"}


def comments(seed: dict) -> list[dict]:
    return [{"content": c.get("content", ""), "author": {"name": c.get("userName", "读者")}, "likeCount": c.get("likes", 0)}
            for c in seed.get("comments", [])[:3]]


def topics(i: int) -> list[dict]:
    return [{"id": str(19_000_000 + k), "name": TOPIC_NAMES[k]} for k in (i % TOPICS, (i * 7) % TOPICS)]


def make_crawl(dest: Path) -> None:
    root = dest / "content" / "crawl"
    seeds = seed_articles(51)
    for q in range(QUESTIONS):
        write(root / f"questions/{100_000 + q}/meta.json", {
            "title": f"问题 {q}：{seeds[q % 51]['title']}？", "detail": f"<p>问题 {q} 的补充说明</p>", "topics": topics(q),
            "followerCount": q * 3, "answerCount": 7 + q % 20,
        })
    for a in range(ANSWERS):
        seed, q = seeds[a % 51], a % QUESTIONS
        write(root / f"questions/{100_000 + q}/answers/{2_000_000 + a}.json", {
            "id": 2_000_000 + a, "questionId": 100_000 + q, "content": seed["content"], "createdTime": 1_500_000_000 + a * 3_600,
            "voteupCount": a % 500, "commentCount": 64, "author": author(a), "topComments": comments(seed),
        })
    for i in range(ARTICLES):
        seed = seeds[i % 51]
        write(root / f"articles/{3_000_000 + i}.json", {
            "id": 3_000_000 + i, "type": "article", "title": f"{seed['title']} #{i}", "content": seed["content"],
            "created": 1_500_000_000 + i * 7_200, "voteup_count": i % 300, "comment_count": len(seed.get("comments", [])),
            "author": author(i * 13), "topics": topics(i), "column": {"id": f"column-{i % 5}", "title": f"专栏 {i % 5}"},
        })
    for i in range(AUTHORS):
        write(root / f"authors/author-{i}.json", {"id": f"author-{i}", "name": f"作者{i}", "headline": f"第 {i} 位作者",
                                                   "avatarUrl": f"https://pic1.zhimg.com/a{i}.jpg", "url": f"https://www.zhihu.com/people/author-{i}"})
    for k in range(TOPICS):
        write(root / f"topics/{19_000_000 + k}.json", {"id": str(19_000_000 + k), "name": TOPIC_NAMES[k], "cursor": f"c{k}", "answerIds": [k, k + 1]})
    for n in range(SNAPSHOTS):
        page = root / f"debug/{n:04d}/initial.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<!DOCTYPE html><html><head><title>知乎</title></head><body><div id=\"root\">{n}</div></body></html>", encoding="utf-8")
        if n < RESPONSES:
            write(page.parent / "api-responses.json", [{"url": f"https://www.zhihu.com/api/v4/questions/{100_000 + n}/feeds", "status": 200, "data": {"session": {"id": str(n)}}}])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--build", action="store_true", help="then time a cold build of it")
    args = parser.parse_args()
    shutil.rmtree(args.dest, ignore_errors=True)
    make_crawl(args.dest)
    files = sum(1 for p in (args.dest / "content").rglob("*") if p.is_file())
    print(f"{files:,} files in {args.dest / 'content'}")
    if args.build:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "zhsite", "build", "-s", str(args.dest), "-o", str(args.dest / "site")], check=False)
        wall = time.perf_counter() - start
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(f"cold build: {wall:.1f} s wall, {used.ru_utime + used.ru_stime:.1f} s CPU (all its processes), "
              f"peak RSS of the largest process {used.ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
