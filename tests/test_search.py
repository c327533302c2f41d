"""The search index a build emits (zhsite/search.py): Pagefind's bundle, Chinese words, configuration."""
from __future__ import annotations

import gzip
import json
import shutil

import pytest

from tests.conftest import SHARDED_ARTICLES, make_project, sharded_column
from zhsite.build import build, generate
from zhsite.config import load_config
from zhsite.problems import BuildError
from zhsite.cache import BuildCache
from zhsite.search import extended_binary

COLUMN = {
    "title": "测试专栏",
    "article": [{
        "url": "https://zhuanlan.zhihu.com/p/1",
        "title": "一篇文章",
        "userName": "作者甲",
        "content": "<p>我们今天讨论卷积神经网络的感受野。</p>",
        "topic": [{"tag": "深度学习", "tagLink": "https://www.zhihu.com/topic/1"}],
        "comments": [{"userName": "读者乙", "content": "<p>评论里才有的独角兽词</p>", "childComments": []}],
    }],
}


def unzip(data: bytes) -> bytes:
    return gzip.decompress(data)


def cbor_text(word: str) -> bytes:
    raw = word.encode("utf-8")
    return (bytes([0x60 + len(raw)]) if len(raw) < 24 else bytes([0x78, len(raw)])) + raw


def fragments_text(files: dict[str, bytes]) -> str:
    """The pages' text as Pagefind stores it, without the zero-width spaces it puts between Chinese words."""
    return "".join(unzip(data).decode("utf-8", "replace") for name, data in files.items() if name.startswith("pagefind/fragment/")).replace("\u200b", "")


def test_the_build_emits_the_pagefind_bundle_for_articles_and_notes(seed_build):
    files = seed_build.files
    for name in ("pagefind/pagefind.js", "pagefind/pagefind-ui.js", "pagefind/pagefind-ui.css", "pagefind/pagefind-worker.js", "static/search.js"):
        assert name in files, name
    entry = json.loads(files["pagefind/pagefind-entry.json"])
    # One index, in Chinese; its pages are the 51 articles and the 3 notes, no list pages.
    assert list(entry["languages"]) == ["zh"]
    assert entry["languages"]["zh"]["page_count"] == len(seed_build.site.articles) + len(seed_build.site.notes) == 54
    urls = {json.loads(unzip(data)[len(b"pagefind_dcd"):])["url"] for name, data in files.items() if name.startswith("pagefind/fragment/")}
    assert urls == {f"/{a.path}" for a in seed_build.site.articles} | {f"/{n.path}" for n in seed_build.site.notes}
    assert (seed_build.output / "pagefind" / "pagefind.js").is_file()


def test_every_page_has_the_search_box_and_its_script(seed_build):
    page = seed_build.files["p/60692852.html"].decode()
    assert 'class="site-search" role="search"' in page
    assert '<script src="../static/search.js" defer></script>' in page
    assert 'href="../topics/index.html">话题</a>和<a href="../index.html#columns">专栏</a>' in page
    assert '<script src="static/search.js" defer></script>' in seed_build.files["index.html"].decode()


def test_chinese_is_segmented_into_words_by_the_extended_binary(seed_build):
    assert extended_binary().name.startswith("pagefind_extended")
    index = b"".join(unzip(data) for name, data in seed_build.files.items() if name.startswith("pagefind/index/"))
    # Words from the middle of Chinese sentences stand alone in the index: the plain
    # binary would have indexed each run of Chinese characters as one word.
    for word in ("注意", "目标", "检测", "交叉", "验证"):
        assert cbor_text(word) in index, word


def test_formulas_are_searched_as_shown_not_by_their_tex_source(seed_build):
    # MathML keeps each formula's TeX in an <annotation> the reader never sees;
    # indexed, it matched "mathcal" and filled excerpts with backslashes.
    index = b"".join(unzip(data) for name, data in seed_build.files.items() if name.startswith("pagefind/index/"))
    text = fragments_text(seed_build.files)
    assert "Batch Norm" in text  # the note with the formulas is indexed
    for tex in ("mathcal", "frac", "leftarrow"):
        assert tex not in text, tex
    assert cbor_text("mathcal") not in index
    assert "ℬ" in text  # the formula as displayed stays searchable


def test_filters_and_titles_are_indexed(tmp_path):
    files = generate(make_project(tmp_path, {"c.json": json.dumps(COLUMN)}), load_config(tmp_path)).files
    filters = b"".join(unzip(data) for name, data in files.items() if name.startswith("pagefind/filter/"))
    for value in ("专栏", "测试专栏", "作者", "作者甲", "话题", "深度学习"):
        assert cbor_text(value) in filters, value
    text = fragments_text(files)
    assert '"title":"一篇文章"' in text
    assert "独角兽" not in text  # comments are left out by default


def test_comments_are_indexed_when_configured(tmp_path):
    project = make_project(tmp_path, {"c.json": json.dumps(COLUMN)}, "search_comments = true\n")
    assert "独角兽" in fragments_text(generate(project, load_config(project)).files)


def test_search_can_be_turned_off(tmp_path):
    project = make_project(tmp_path, {"c.json": json.dumps(COLUMN)}, "search = false\n")
    result = build(project)
    assert result.problems == []
    assert not any(name.startswith("pagefind/") for name in result.files)
    assert "static/search.js" in result.files  # the theme's static folder is copied whole
    for name, data in result.files.items():
        if name.endswith(".html"):
            assert b"search" not in data, name
    assert not (result.output / "pagefind").exists()


def test_a_search_key_of_the_wrong_type_is_an_error_naming_it(tmp_path):
    project = make_project(tmp_path, {"c.json": json.dumps(COLUMN)}, 'search = "yes"\n')
    with pytest.raises(BuildError, match="search"):
        build(project)


def test_the_bundle_is_byte_identical_from_build_to_build(seed_build, seed_project):
    # Pagefind writes its filter lists in hash-map order; zhsite/search.py sorts them.
    again = generate(seed_project, load_config(seed_project)).files
    ours = {k: v for k, v in seed_build.files.items() if k.startswith("pagefind/")}
    theirs = {k: v for k, v in again.items() if k.startswith("pagefind/")}
    assert ours.keys() == theirs.keys()
    assert [k for k in ours if ours[k] != theirs[k]] == []


def test_a_cached_index_is_the_same_bundle_and_an_edit_is_searchable_at_once(tmp_path):
    # The bundle is cached under a hash of every page's search text (zhsite/search.py).
    project = make_project(tmp_path, {"c.json": json.dumps(COLUMN)})
    config = load_config(project)
    fresh = generate(project, config).files
    cache = BuildCache(tmp_path / "cache.sqlite")
    generate(project, config, cache)
    again = generate(project, config, cache).files
    assert {k: v for k, v in again.items() if k.startswith("pagefind/")} == {k: v for k, v in fresh.items() if k.startswith("pagefind/")}
    edited = json.loads(json.dumps(COLUMN))
    edited["article"][0]["content"] = "<p>我们今天讨论循环神经网络的梯度消失。</p>"
    (project / "content" / "c.json").write_text(json.dumps(edited), encoding="utf-8")
    text = fragments_text(generate(project, config, cache).files)
    assert "梯度消失" in text and "感受野" not in text


def shard_files(files: dict[str, bytes], folder: str) -> dict[str, bytes]:
    """One shard's bundle: the first is pagefind/ without the others' folders."""
    return {k: v for k, v in files.items() if k.startswith(folder + "/") and (folder != "pagefind" or not k.startswith("pagefind/shard-"))}


def test_a_large_site_is_indexed_in_shards_and_an_edit_reindexes_one(sharded_build, tmp_path):
    files = dict(sharded_build.files)
    assert 'class="site-search" role="search" data-shards="shard-1/"' in files["p/1.html"].decode()  # for static/search.js
    counts = [json.loads(files[f"{folder}/pagefind-entry.json"])["languages"]["zh"]["page_count"] for folder in ("pagefind", "pagefind/shard-1")]
    assert sum(counts) == SHARDED_ARTICLES and min(counts) > 400, counts
    assert "pagefind/pagefind-ui.js" in files and "pagefind/shard-1/pagefind-ui.js" not in files

    project = tmp_path / "project"  # a copy, cache and site included, to edit
    shutil.copytree(sharded_build.output.parent, project, symlinks=True)
    (project / "content" / "big.json").write_text(sharded_column(edited=7), encoding="utf-8")
    again = build(project).files
    changed = [folder for folder in ("pagefind", "pagefind/shard-1") if shard_files(files, folder) != shard_files(again, folder)]
    assert len(changed) == 1, "only the edited article's shard is indexed again"
    assert "edited" in fragments_text(shard_files(again, changed[0]))
