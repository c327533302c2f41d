"""The search index a build emits (zhsite/search.py): the pages' text in search/index-N.js, search.html, configuration."""
from __future__ import annotations

import json
import re
import shutil

import pytest

import zhsite.search
from tests.conftest import SHARDED_ARTICLES, make_project, sharded_column
from zhsite.build import build, generate
from zhsite.cache import BuildCache
from zhsite.config import load_config
from zhsite.problems import BuildError

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
CALL = b"zhsiteSearch.add("


def documents(files: dict[str, bytes]) -> list[dict]:
    """Every document of every index file, as static/search.js receives them."""
    out = []
    for name, data in sorted(files.items()):
        if name.startswith("search/index-"):
            assert data.startswith(CALL) and data.endswith(b");\n"), name
            out += json.loads(data[len(CALL):-3])
    return out


def indexed_text(files: dict[str, bytes]) -> str:
    return "\n".join(f"{d['t']}\n{d['x']}" for d in documents(files))


def test_the_build_indexes_every_article_and_note_and_no_list_page(seed_build):
    docs = documents(seed_build.files)
    assert [name for name in seed_build.files if name.startswith("search/")] == ["search/index-0.js"]
    assert sorted(d["u"] for d in docs) == sorted([a.path for a in seed_build.site.articles] + [n.path for n in seed_build.site.notes])
    assert len(docs) == 54
    assert (seed_build.output / "search" / "index-0.js").is_file()
    assert not any(name.startswith("pagefind/") for name in seed_build.files)


def test_every_page_has_the_search_box_its_script_and_the_results_page(seed_build):
    page = seed_build.files["p/60692852.html"].decode()
    assert 'class="site-search" role="search" data-shards="index-0.js"' in page
    assert '<script src="../static/search.js" defer></script>' in page
    assert '<form class="search-form" action="../search.html" method="get">' in page
    assert '<script src="static/search.js" defer></script>' in seed_build.files["index.html"].decode()
    results = seed_build.files["search.html"].decode()
    for name in ("q", "column", "author", "topic", "type"):
        assert f'name="{name}"' in results, name
    assert "search.html" not in seed_build.files["sitemap.xml"].decode()


def test_terms_from_mid_sentence_are_in_the_text_as_written(seed_build):
    # No word cutting: the text is searched for the term itself (static/search.js).
    text = indexed_text(seed_build.files)
    for term in ("卷积", "语义分割", "注意力", "交叉验证", "Grad-CAM"):
        assert term in text, term


def test_formulas_are_searched_as_shown_not_by_their_tex_source(seed_build):
    # MathML keeps each formula's TeX in an <annotation> the reader never sees;
    # indexed, it matched "mathcal" and filled excerpts with backslashes.
    text = indexed_text(seed_build.files)
    assert "Batch Norm" in text  # the note with the formulas is indexed
    for tex in ("mathcal", "\\frac", "leftarrow"):
        assert tex not in text, tex
    assert "ℬ" in text  # the formula as displayed stays searchable


def test_excerpts_have_no_column_boilerplate_and_no_markdown_marks(seed_build):
    docs = documents(seed_build.files)
    # 船长黑板报 ends every article with the same lines; they would be every excerpt.
    assert not any("欢迎探讨，本文持续维护" in d["x"] for d in docs)
    assert not any("知乎不做维护" in d["x"] for d in docs)
    for d in docs:
        assert "**" not in d["x"], d["u"]
        assert not re.search(r"^#{1,6} ", d["x"], re.MULTILINE), d["u"]  # shell comments (#!/bin/sh) stay
        assert "](" not in d["x"], d["u"]  # [余弦距离](en.wikipedia.org/…) reads 余弦距离
    # A line the column's articles do not all share stays, and a link's text.
    assert "CornerNet的不足之处" in indexed_text(seed_build.files)
    assert "余弦距离" in indexed_text(seed_build.files)


def test_facts_for_results_and_filters_are_indexed(tmp_path):
    files = generate(make_project(tmp_path, {"c.json": json.dumps(COLUMN)}), load_config(tmp_path)).files
    [doc] = documents(files)
    assert {k: doc[k] for k in ("u", "t", "k", "c", "a", "g")} == {
        "u": "p/1.html", "t": "一篇文章", "k": "article", "c": "测试专栏", "a": "作者甲", "g": ["深度学习"]}
    assert doc["x"] == "我们今天讨论卷积神经网络的感受野。"  # comments are left out by default


def test_comments_are_indexed_when_configured(tmp_path):
    project = make_project(tmp_path, {"c.json": json.dumps(COLUMN)}, "search_comments = true\n")
    text = indexed_text(generate(project, load_config(project)).files)
    assert "独角兽" in text and "读者乙" in text


def test_archive_text_cannot_close_the_script(tmp_path):
    hostile = dict(COLUMN, article=[dict(COLUMN["article"][0], title="</script><img src=x onerror=alert(1)>")])
    files = generate(make_project(tmp_path, {"c.json": json.dumps(hostile)}), load_config(tmp_path)).files
    assert b"<" not in files["search/index-0.js"]
    assert documents(files)[0]["t"] == "</script><img src=x onerror=alert(1)>"


def test_search_can_be_turned_off(tmp_path):
    project = make_project(tmp_path, {"c.json": json.dumps(COLUMN)}, "search = false\n")
    result = build(project)
    assert result.problems == []
    assert not any(name.startswith("search/") for name in result.files)
    assert "search.html" not in result.files
    assert "static/search.js" in result.files  # the theme's static folder is copied whole
    for name, data in result.files.items():
        if name.endswith(".html"):
            assert b"search" not in data, name
    assert not (result.output / "search").exists()


def test_a_search_key_of_the_wrong_type_is_an_error_naming_it(tmp_path):
    project = make_project(tmp_path, {"c.json": json.dumps(COLUMN)}, 'search = "yes"\n')
    with pytest.raises(BuildError, match="search"):
        build(project)


def test_the_index_is_byte_identical_from_build_to_build(seed_build, seed_project):
    again = generate(seed_project, load_config(seed_project)).files
    assert again["search/index-0.js"] == seed_build.files["search/index-0.js"]


def test_a_cached_index_is_the_same_and_an_edit_is_searchable_at_once(tmp_path):
    project = make_project(tmp_path, {"c.json": json.dumps(COLUMN)})
    config = load_config(project)
    fresh = generate(project, config).files
    cache = BuildCache(tmp_path / "cache.sqlite")
    generate(project, config, cache)
    assert generate(project, config, cache).files["search/index-0.js"] == fresh["search/index-0.js"]
    edited = json.loads(json.dumps(COLUMN))
    edited["article"][0]["content"] = "<p>我们今天讨论循环神经网络的梯度消失。</p>"
    (project / "content" / "c.json").write_text(json.dumps(edited), encoding="utf-8")
    text = indexed_text(generate(project, config, cache).files)
    assert "梯度消失" in text and "感受野" not in text


def test_a_large_site_is_indexed_in_shards_and_an_edit_rewrites_one(sharded_build, tmp_path):
    files = dict(sharded_build.files)
    assert 'class="site-search" role="search" data-shards="index-0.js index-1.js"' in files["p/1.html"].decode()
    counts = [len(documents({name: files[name]})) for name in ("search/index-0.js", "search/index-1.js")]
    assert sum(counts) == SHARDED_ARTICLES and min(counts) > 400, counts

    project = tmp_path / "project"  # a copy, cache and site included, to edit
    shutil.copytree(sharded_build.output.parent, project, symlinks=True)
    (project / "content" / "big.json").write_text(sharded_column(edited=7), encoding="utf-8")
    again = build(project).files
    changed = [name for name in ("search/index-0.js", "search/index-1.js") if files[name] != again[name]]
    assert len(changed) == 1, "only the edited article's index file is written again"
    assert "edited" in indexed_text({changed[0]: again[changed[0]]})


def test_however_many_pages_every_index_file_is_written_and_named(tmp_path, monkeypatch):
    # Sites of 5,000-30,000 pages keep their search; one page a file stands in for such a site here.
    monkeypatch.setattr(zhsite.search, "SHARD_PAGES", 1)
    three = dict(COLUMN, article=[dict(COLUMN["article"][0], url=f"https://zhuanlan.zhihu.com/p/{i}") for i in (1, 2, 3)])
    files = generate(make_project(tmp_path, {"c.json": json.dumps(three)}), load_config(tmp_path)).files
    assert 'data-shards="index-0.js index-1.js index-2.js"' in files["p/1.html"].decode()
    assert sorted(d["u"] for d in documents(files)) == ["p/1.html", "p/2.html", "p/3.html"]


def test_markdown_an_archive_kept_as_text_reads_as_the_reader_sees_it(tmp_path):
    markdown = dict(COLUMN, article=[dict(COLUMN["article"][0], content=(
        "<p>### 小结</p><p>见[余弦距离](en.wikipedia.org/wiki/Cosine_similarity)和![](images/Selection_216.png)，"
        "以及[SVM](微调：支持向量机SVM)。</p><p>+ **要点**一</p>"))])
    [doc] = documents(generate(make_project(tmp_path, {"c.json": json.dumps(markdown)}), load_config(tmp_path)).files)
    assert doc["x"] == "小结\n见余弦距离和，以及SVM（微调：支持向量机SVM）。\n要点一"
