"""Search quality on the seed site: recall and top-5 precision of ML terms, in headless Chromium.

Usage: python bench/search_quality.py [--site FOLDER] [--shard-pages N] [--markdown]

Builds the seed site (or takes a built one with ``--site``), serves it on
127.0.0.1 and types each term into the site's own search code in Debian's
Chromium.  A page *holds* a term when its title or body text (``.entry-body``
as the reader sees it, formulas by what they show) contains the exact term;
recall is the share of those pages among the results, top-5 precision the
share of holders among the first five results (or among all, when fewer).
The terms are ML words of 2–6 characters taken from the seed text.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
import zhsite.build  # noqa: E402
import zhsite.search.files  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, http_served  # noqa: E402

TERMS = (
    "卷积 语义分割 注意力 学习率 目标检测 人脸识别 卷积神经网络 交叉验证 感受野 梯度 池化 激活函数 损失函数 反向传播 "
    "过拟合 正则化 特征图 全连接 归一化 数据增强 迁移学习 残差 注意力机制 召回率 准确率 分类器 超参数 随机梯度下降 "
    "特征金字塔 上采样 下采样 空洞卷积 可视化 热力图 小目标 编码器 知识蒸馏 剪枝 量化 微调 交叉熵 余弦 关键点 "
    "姿态估计 多尺度 降维 主成分分析 支持向量机 集成学习"
).split()

# The site's own search, called as its pages call it: the URLs of the results, best first.  A site
# built with Pagefind (zhsite before 2026-11, or a bundle swapped in to compare) is asked through its API.
SEARCH = """async (term) => {
  if (window.zhsiteSearch) return (await window.zhsiteSearch.search(term)).map(r => r.url);
  const pagefind = await import(new URL("pagefind/pagefind.js", location.href).href);
  const found = await pagefind.search(term);
  return (await Promise.all(found.results.map(r => r.data()))).map(d => d.url);
}"""


@dataclass(frozen=True)
class Row:
    term: str
    holders: int
    results: int
    recall: float
    precision: float


def page_texts(site: Path) -> dict[str, str]:
    """Site path → the text a reader sees in the page's title and body (articles, answers and notes)."""
    texts = {}
    for path in sorted(site.glob("*/*.html")):
        tree = lxml.html.parse(str(path)).getroot()
        body = tree.find_class("entry-body")
        if not body:
            continue
        for annotation in body[0].iter("annotation"):
            annotation.drop_tree()
        texts[path.relative_to(site).as_posix()] = tree.findtext(".//h1", "") + "\n" + body[0].text_content()
    return texts


def measure(site: Path, terms: list[str]) -> list[Row]:
    texts = page_texts(site)
    rows = []
    with http_served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.route(lambda u: not u.startswith(url), lambda route: route.abort())  # nothing leaves the site
        page.goto(f"{url}index.html")
        for term in terms:
            found = [u.split("#")[0].lstrip("/").removeprefix(url) for u in page.evaluate(SEARCH, term)]
            holders = {path for path, text in texts.items() if term.lower() in text.lower()}
            top = found[:5]
            rows.append(Row(
                term, len(holders), len(found),
                len(holders & set(found)) / len(holders) if holders else 1.0,
                sum(u in holders for u in top) / len(top) if top else (1.0 if not holders else 0.0),
            ))
        browser.close()
    return rows


def build(output: Path, shard_pages: int | None) -> float:
    """The seed site into *output*; with *shard_pages*, its text and routing files of that many pages each,
    as a large site's are."""
    if shard_pages:
        zhsite.search.files.GROUP_PAGES = zhsite.search.files.TERM_PAGES = zhsite.search.files.PART_PAGES = shard_pages
    start = time.perf_counter()
    result = zhsite.build.build(REPO, output=output)
    assert not [p for p in result.problems if p.file == "search"], result.problems
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site to measure instead of building the seeds")
    parser.add_argument("--shard-pages", type=int, help="pages per group, routing file and routing index part, to measure an index split as a large site's is")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown for the README")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhsite-bench-") as tmp:
        site = args.site or Path(tmp) / "site"
        if not args.site:
            print(f"seed site built in {build(site, args.shard_pages):.1f} s; index files: {len(list(site.glob('search/*.js')))}")
        rows = measure(site, TERMS)
    if args.markdown:
        print("| query | pages holding it | results | recall | top-5 precision |\n| --- | --- | --- | --- | --- |")
    for r in rows:
        line = (r.term, r.holders, r.results, f"{r.recall:.2f}", f"{r.precision:.2f}")
        print(("| " + " | ".join(map(str, line)) + " |") if args.markdown else "{:<8}\t{}\t{}\t{}\t{}".format(*line))
    recall = statistics.mean(r.recall for r in rows)
    precision = statistics.mean(r.precision for r in rows)
    worst = min(rows, key=lambda r: r.recall)
    print(f"{len(rows)} terms: mean recall {recall:.2f}, lowest {worst.recall:.2f} ({worst.term}), mean top-5 precision {precision:.2f}")


if __name__ == "__main__":
    main()
