"""The rewrite stage over a whole site (zhsite/rewrite/stage.py): cached, uncached and parallel agree."""
from __future__ import annotations

import json
import shutil
from dataclasses import fields

from bs4 import BeautifulSoup

from tests.conftest import make_project
from zhsite.build import build, generate
from zhsite.cache import BuildCache
from zhsite.config import load_config
from zhsite.rewrite import stage
from zhsite.rewrite.stage import CHUNK_JOBS, LAST_CHUNK_JOBS, _chunks
from zhsite.serve.rebuild import Rebuilder
from zhsite.session import Session


def column(title: str, *articles: tuple[int, str]) -> str:
    return json.dumps({
        "title": title,
        "article": [{"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"文章 {i}", "userName": "作者", "content": html} for i, html in articles],
    }, ensure_ascii=False)


def test_uncached_cached_and_parallel_builds_are_byte_identical(seed_project, tmp_path):
    config = load_config(seed_project)
    serial = generate(seed_project, config, Session(seed_project, workers=1)).files
    cache = BuildCache(tmp_path / "cache")
    parallel = generate(seed_project, config, Session(seed_project, workers=2, cache=cache)).files  # worker processes, filling the cache
    cached = generate(seed_project, config, Session(seed_project, cache=cache)).files  # every article from the cache
    assert serial.keys() == parallel.keys() == cached.keys()
    assert [name for name in serial if not serial[name] == parallel[name] == cached[name]] == []


def test_a_cached_article_links_to_an_article_archived_after_it(tmp_path):
    # The first build cannot make the link local; once the target is archived, the cached
    # rewrite of the first article must not be reused, as the map of articles it read changed.
    project = make_project(tmp_path, {"a.json": column("甲", (1, '<p><a href="https://zhuanlan.zhihu.com/p/2">下一篇</a></p>'))})
    first = build(project)
    assert BeautifulSoup(first.files["p/1.html"], "html.parser").find("a", string="下一篇")["href"] == "https://zhuanlan.zhihu.com/p/2"
    (project / "content" / "b.json").write_text(column("乙", (2, "<p>第二篇</p>")), encoding="utf-8")
    second = build(project)
    assert BeautifulSoup(second.files["p/1.html"], "html.parser").find("a", string="下一篇")["href"] == "2.html"
    assert second.files == generate(project, load_config(project)).files


def test_an_article_links_to_an_archived_answer_with_the_same_id(tmp_path):
    answer = {"id": 2, "type": "answer", "question": {"id": 555, "title": "问题"}, "content": "<p>回答</p>", "author": {"name": "答主"}}
    project = make_project(tmp_path, {
        "a.json": column("甲", (1, '<p><a href="https://www.zhihu.com/question/555/answer/2">回答</a>'
                                   '<a href="https://zhuanlan.zhihu.com/p/2">文章</a></p>'), (2, "<p>文章二</p>")),
        "answers.json": json.dumps([answer]),
    }, "search = false\n")
    page = BeautifulSoup(build(project).files["p/1.html"], "html.parser")
    assert page.find("a", string="回答")["href"] == "../answers/2.html"
    assert page.find("a", string="文章")["href"] == "2.html"


def test_with_a_build_cache_no_body_holds_its_html_or_contents_and_each_reads_the_same_back(seed_project, tmp_path):
    # Issue #30: a large build held every article's rewritten HTML from the rewrite to its end, and then every contents list.
    config = load_config(seed_project)
    cached = generate(seed_project, config, Session(seed_project, workers=2, cache=BuildCache(tmp_path / "cache"))).site
    uncached = generate(seed_project, config, Session(seed_project, workers=1)).site
    bodies = [item.body for item in [*cached.articles, *cached.notes]]
    assert len(bodies) == 54 and all(body.held is None for body in bodies)
    assert not any("Heading(" in repr([getattr(body, f.name) for f in fields(body)]) for body in bodies), "a contents list is read with the HTML"
    assert [body.html for body in bodies] == [item.body.html for item in [*uncached.articles, *uncached.notes]]
    assert [body.toc for body in bodies] == [item.body.toc for item in [*uncached.articles, *uncached.notes]]
    assert sum(len(body.toc) >= 2 for body in bodies) >= 10


def test_the_rewrite_chunks_hold_every_post_once_in_order_and_shrink_to_the_end():
    """The workers end together: the last chunks are small, not one of 500 posts left to one core."""
    for count in (1, 9, 54, 2_000, 10_000, 100_000):
        chunks = [range(count)[chunk] for chunk in _chunks(count, 2)]
        assert [i for chunk in chunks for i in chunk] == list(range(count))
        sizes = [len(chunk) for chunk in chunks]
        assert max(sizes) <= CHUNK_JOBS and sizes == sorted(sizes, reverse=True) and sizes[-1] <= LAST_CHUNK_JOBS


def test_serve_after_a_build_and_a_build_after_serve_rewrite_nothing_again(seed_project, tmp_path, monkeypatch):
    # A post's HTML was keyed by its bytes in serve and by their SHA-256 in a build: `zhsite serve` after
    # `zhsite build` of 10,000 articles rewrote every one again (44 s instead of 1.5 s), and back.
    project = tmp_path / "project"
    shutil.copytree(seed_project / "content", project / "content")
    shutil.copy(seed_project / "zhsite.toml", project / "zhsite.toml")
    rewritten: list[int] = []
    run_all = stage._run_all

    def counted(jobs, *args):
        rewritten.append(len(jobs))
        return run_all(jobs, *args)
    monkeypatch.setattr(stage, "_run_all", counted)
    build(project, tmp_path / "site")
    assert rewritten == [54]  # every post, the first time
    served = Rebuilder(project, {})
    try:
        assert served.rebuild().errors == []
    finally:
        served.close()
    (project / "zhsite.toml").write_text((project / "zhsite.toml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    build(project, tmp_path / "site")  # the configuration's bytes changed: a build, not "nothing changed"
    assert rewritten == [54, 0, 0]
