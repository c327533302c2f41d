"""The search index a build emits (zhsite/search/): search/index.js, terms-N.js and text-G-I.js, search.html, configuration."""
from __future__ import annotations

import json
import random
import re
import shutil
import struct
import zlib
from collections import Counter

import pytest

import zhsite.search.files
from tests.conftest import SHARDED_ARTICLES, build_as_a_user, make_project, sharded_column
from zhsite.build import build, generate, prepare
from zhsite.cache import PAGE_OUTLINE, BuildCache
from zhsite.config import cache_path, load_config
from zhsite.problems import BuildError
from zhsite.search import index_site, runs, searchable
from zhsite.search.documents import TEXT_CAP, Document, document
from zhsite.search.files import _part, _part_read
from zhsite.session import Session
from zhsite.spill import Spill

CJK = [chr(c) for c in range(0x4E00, 0xA000)]

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


def arguments(data: bytes, call: str) -> list:
    """The arguments of the one ``zhsiteSearch.call(…);`` an index file is (packed data holds control characters,
    which a JavaScript string may and strict JSON may not)."""
    head = f"zhsiteSearch.{call}(".encode()
    assert data.startswith(head) and data.endswith(b");\n"), data[:40]
    return json.loads(b"[" + data[len(head):-3] + b"]", strict=False)


def unpacked(packed: str) -> bytes:
    """What static/search.js makes of packed data: 7 bits a character (each byte's low bits, then the high bits, 7 a
    character), raw deflate."""
    codes = [ord(c) & 127 for c in packed]
    size = len(codes) - -(-len(codes) // 8)
    return zlib.decompress(bytes(codes[i] | (codes[size + i // 7] >> (6 - i % 7) & 1) << 7 for i in range(size)), wbits=-15)


def page_document(data: bytes) -> tuple[int, int, dict]:
    """A text file's group, place in the group and document."""
    group, number, encoding, packed = arguments(data, "text")
    return group, number, json.loads(unpacked(packed).decode(encoding))


def documents(files: dict[str, bytes]) -> list[dict]:
    """Every page's document, in page-number order (by group, then place in the group), as static/search.js receives them."""
    found = []
    for name, data in files.items():
        if name.startswith("search/text-"):
            group, number, doc = page_document(data)
            assert name == f"search/text-{group}-{number}.js"
            found.append((group, number, doc))
    return [doc for _, _, doc in sorted(found, key=lambda f: f[:2])]


def postings(files: dict[str, bytes]) -> dict[str, dict[int, int]]:
    """Every two-character sequence of the routing files, with the pages holding it and their values.

    Each part's share of a routing file numbers its pages from the part's first page on, as distances from the page
    before, its sequences' characters as distances from the sequence before (zhsite/search/shares.py's share)."""
    out: dict[str, dict[int, int]] = {}
    for name, data in files.items():
        if name.startswith("search/terms-"):
            for first, packed in arguments(data, "terms")[1]:
                share = unpacked(packed)
                keys, total = struct.unpack_from("<2I", share)

                def number(list_, k, share=share, keys=keys):
                    return share[8 + 2 * keys * list_ + k] + 256 * share[8 + 2 * keys * list_ + keys + k]
                gaps, at, one, two = 8 + 6 * keys, 0, 0, 0
                for k in range(keys):
                    one, two = (one + number(0, k), 0) if number(0, k) else (one, two)
                    two += number(1, k)
                    page, count = first - 1, number(2, k)
                    for j in range(at, at + count):
                        page += share[gaps + j] + 256 * share[gaps + total + j]
                        out.setdefault(chr(one) + chr(two), {})[page] = share[gaps + 2 * total + j]
                    at += count
    return out


def manifest(files: dict[str, bytes]) -> dict:
    return arguments(files["search/index.js"], "index")[0]


def indexed_text(files: dict[str, bytes]) -> str:
    return "\n".join(f"{d['t']}\n{d['x']}" for d in documents(files))


def test_the_build_indexes_every_article_and_note_and_no_list_page(seed_build):
    docs = documents(seed_build.files)
    names = sorted(name for name in seed_build.files if name.startswith("search/"))
    texts = [name for name in names if name.startswith("search/text-")]
    assert sorted(set(names) - set(texts)) == ["search/index.js"] + [f"search/terms-{n}.js" for n in range(2)]
    assert len(texts) == 54  # one a page
    assert sorted(d["u"] for d in docs) == sorted([a.path for a in seed_build.site.articles] + [n.path for n in seed_build.site.notes])
    assert len(docs) == 54
    assert (seed_build.output / "search" / "index.js").is_file()
    assert not any(name.startswith("pagefind/") for name in seed_build.files)


def test_every_page_has_the_search_box_its_script_and_the_results_page(seed_build):
    page = seed_build.files["p/60692852.html"].decode()
    assert 'class="site-search" role="search" data-shards="index.js"' in page
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
    assert not any(b"<" in data for name, data in files.items() if name.startswith("search/"))
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
    index = {name: data for name, data in seed_build.files.items() if name.startswith("search/")}
    assert {name: data for name, data in again.items() if name.startswith("search/")} == index


def test_a_cached_index_is_the_same_and_an_edit_is_searchable_at_once(tmp_path):
    project = make_project(tmp_path, {"c.json": json.dumps(COLUMN)})
    config = load_config(project)
    fresh = generate(project, config).files
    cache = BuildCache(tmp_path / "cache")
    generate(project, config, Session(project, cache=cache))
    assert generate(project, config, Session(project, cache=cache)).files["search/text-0-0.js"] == fresh["search/text-0-0.js"]
    edited = json.loads(json.dumps(COLUMN))
    edited["article"][0]["content"] = "<p>我们今天讨论循环神经网络的梯度消失。</p>"
    (project / "content" / "c.json").write_text(json.dumps(edited), encoding="utf-8")
    text = indexed_text(generate(project, config, Session(project, cache=cache)).files)
    assert "梯度消失" in text and "感受野" not in text


def edited_copy(sharded_build, tmp_path, edit: bool = True):
    """A copy of the sharded project, cache and site included (times kept), its article 7 edited."""
    project = tmp_path / "project"
    shutil.copytree(sharded_build.output.parent, project, symlinks=True)
    if edit:
        (project / "content" / "big.json").write_text(sharded_column(edited=7), encoding="utf-8")
    return project


def test_a_large_site_is_indexed_in_groups_and_an_edit_rewrites_one_text_file(sharded_build, tmp_path):
    files = dict(sharded_build.files)
    texts = sorted(name for name in files if name.startswith("search/text-"))
    # 1,100 pages: one text file each, in groups of about 50, 40 a routing file, rounded up to powers of two
    assert len(texts) == SHARDED_ARTICLES and len(manifest(files)["starts"]) == 32 and manifest(files)["terms"] == 32
    counts = Counter(page_document(files[name])[0] for name in texts)
    assert len(counts) == 32 and max(counts.values()) < 70, counts

    project = edited_copy(sharded_build, tmp_path)
    again = build(project).files
    changed = [name for name in texts if files[name] != again[name]]
    assert len(changed) == 1, "only the edited article's text file is written again"
    assert "edited" in indexed_text({changed[0]: again[changed[0]]})


def test_an_edit_links_the_other_parts_text_files_and_makes_one_changed_by_hand_again(sharded_build, tmp_path):
    """The text files of a part the edit left alone are linked from the previous site, not read: a file there that is
    no longer the one written (its size or time changed) is made again, and the site is what a cold build makes."""
    project = edited_copy(sharded_build, tmp_path, edit=False)
    site = project / "site" / "search"
    by_hand = [site / "text-0-0.js", site / "text-31-0.js"]  # one in each part's first and last group
    for path in by_hand:
        path.write_bytes(b"x" * path.stat().st_size)
    (project / "content" / "big.json").write_text(sharded_column(edited=7), encoding="utf-8")
    again = build(project).files
    assert {name: again[name] for name in again} == dict(generate(project, load_config(project)).files)
    assert all(path.read_bytes() != b"x" * path.stat().st_size for path in by_hand)


def test_an_edit_writes_again_only_the_routing_files_of_the_sequences_it_changed(sharded_build, tmp_path):
    """A routing file whose every part's share is as before is linked from the previous site (the same file on disk);
    one changed by hand since is made again; the site is what a cold build makes."""
    project = edited_copy(sharded_build, tmp_path, edit=False)
    site = project / "site" / "search"
    written = {path.name: (path.stat().st_ino, path.read_bytes()) for path in site.glob("terms-*.js")}
    (project / "content" / "big.json").write_text(sharded_column(edited=7), encoding="utf-8")
    again = build(project).files
    assert {name: again[name] for name in again} == dict(generate(project, load_config(project)).files)
    linked = {path.name for path in site.glob("terms-*.js") if path.stat().st_ino == written[path.name][0]}
    # "edited" brings at most six new sequences (kiwi0007edited: 7e ed di it te ed), each in one of the 32 files
    # "edited" brings a few sequences, each in one of the 32 files: those are written again, and only those
    assert set(written) - linked == {name for name in written if (site / name).read_bytes() != written[name][1]}
    assert len(written) == 32 and 24 <= len(linked) < 32

    by_hand = site / sorted(linked)[0]
    by_hand.write_bytes(b"x" * by_hand.stat().st_size)
    (project / "content" / "big.json").write_text(sharded_column(), encoding="utf-8")  # the edit undone
    again = build(project).files
    assert by_hand.read_bytes() == written[by_hand.name][1]
    assert {name: again[name] for name in again} == dict(generate(project, load_config(project)).files)


def test_a_routing_index_made_in_parts_routes_as_one_made_whole_and_an_edit_remakes_it_right(sharded_build, tmp_path):
    files = dict(sharded_build.files)
    parts = {first for name, data in files.items() if name.startswith("search/terms-") for first, _ in arguments(data, "terms")[1]}
    assert len(parts) == 2  # 1,100 pages, about 1,000 a part, rounded up to a power of two
    project = edited_copy(sharded_build, tmp_path)
    cached = build(project).files
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zhsite.search.files, "PART_PAGES", SHARDED_ARTICLES)  # one part, made afresh
        whole = generate(project, load_config(project)).files
    assert postings(cached) == postings(whole)
    edited = [n for n, doc in enumerate(documents(cached)) if "edited" in doc["x"]]
    assert list(postings(cached)["ed"]) == edited and len(edited) == 1


def test_every_two_character_sequence_routes_to_the_pages_holding_it(tmp_path):
    two = dict(COLUMN, article=[
        dict(COLUMN["article"][0], url="https://zhuanlan.zhihu.com/p/1", title="卷积", content="<p>Grad-CAM：卷积、卷积</p>"),
        dict(COLUMN["article"][0], url="https://zhuanlan.zhihu.com/p/2", title="其他", content="<p>语义分割</p>")])
    files = generate(make_project(tmp_path, {"c.json": json.dumps(two)}), load_config(tmp_path)).files
    numbers = {d["u"]: n for n, d in enumerate(documents(files))}  # pages are numbered in text-file order
    found = postings(files)

    def pages(sequence):
        return found[sequence]
    # 卷积: three times on p/1 (title and twice in the text), level 2 (3 is 2 bits long), and in its title: 2 * 2 + 1.
    assert pages("卷积") == {numbers["p/1.html"]: 5}
    assert pages("分割") == {numbers["p/2.html"]: 2}
    assert pages("dc") == {numbers["p/1.html"]: 2}  # Grad-CAM, lowercased and without the hyphen
    assert set(pages("深度")) == set(numbers.values())  # the topic 深度学习, for the topic filter's matches
    assert "-c" not in found and "：卷" not in found


def test_the_manifest_says_which_text_file_holds_a_page_and_lists_the_filters(tmp_path, monkeypatch):
    # Sites of 5,000-30,000 pages keep their search in many small files; one page a file stands in for one here.
    monkeypatch.setattr(zhsite.search.files, "GROUP_PAGES", 1)
    monkeypatch.setattr(zhsite.search.files, "TERM_PAGES", 1)
    three = dict(COLUMN, article=[dict(COLUMN["article"][0], url=f"https://zhuanlan.zhihu.com/p/{i}") for i in (1, 2, 3)])
    files = generate(make_project(tmp_path, {"c.json": json.dumps(three)}), load_config(tmp_path)).files
    found = manifest(files)
    assert found["pages"] == 3 and found["terms"] == 4 and len(found["starts"]) == 4
    pages = Counter(page_document(data)[0] for name, data in files.items() if name.startswith("search/text-"))
    for number, start in enumerate(found["starts"]):
        assert start + pages[number] == (found["starts"] + [3])[number + 1]
    assert sorted(d["u"] for d in documents(files)) == ["p/1.html", "p/2.html", "p/3.html"]
    assert (found["columns"], found["authors"], found["topics"]) == (["测试专栏"], ["作者甲"], ["深度学习"])


def test_markdown_an_archive_kept_as_text_reads_as_the_reader_sees_it(tmp_path):
    markdown = dict(COLUMN, article=[dict(COLUMN["article"][0], content=(
        "<p>### 小结</p><p>见[余弦距离](en.wikipedia.org/wiki/Cosine_similarity)和![](images/Selection_216.png)，"
        "以及[SVM](微调：支持向量机SVM)。</p><p>+ **要点**一</p>"))])
    [doc] = documents(generate(make_project(tmp_path, {"c.json": json.dumps(markdown)}), load_config(tmp_path)).files)
    assert doc["x"] == "小结\n见余弦距离和，以及SVM（微调：支持向量机SVM）。\n要点一"


def test_a_bug_while_indexing_is_an_error_not_a_site_silently_without_search(tmp_path, monkeypatch):
    """The last line of defence, for bugs not yet known: so no real input can trigger it, the index maker is made to fail."""

    def broken(*_):
        raise TypeError("object of type 'int' has no len()")

    monkeypatch.setattr(zhsite.search.files, "index_files", broken)
    project = make_project(tmp_path, {"a.md": "# 笔记\n\n正文"})
    result = build(project)
    assert [str(p) for p in result.errors] == [
        "search: error: search index not built: internal error: TypeError: object of type 'int' has no len() (a bug in zhsite)"]


def test_a_page_over_the_text_cap_is_searchable_by_its_first_part_with_a_warning(tmp_path):
    rng = random.Random(32)
    filler = "".join(f"<p>{''.join(rng.choices(CJK, k=1000))}</p>" for _ in range(TEXT_CAP // 1000 + 50))
    long = dict(COLUMN["article"][0], content=f"<p>开头的独特短语</p>{filler}<p>结尾的另一短语</p>", comments=[])
    project = make_project(tmp_path, {"c.json": json.dumps(dict(COLUMN, article=[long]), ensure_ascii=False)})
    result = build_as_a_user(project)
    assert result.returncode == 0, result.stderr
    assert "warning: page too long to search whole" in result.stderr
    files = {f"search/{p.name}": p.read_bytes() for p in (project / "site" / "search").iterdir()}
    [doc] = documents(files)
    assert "开头的独特短语" in doc["x"] and "结尾的另一短语" not in doc["x"]
    assert len(doc["x"]) <= TEXT_CAP + TEXT_CAP // 1000  # the kept paragraphs and the newlines between them
    found = postings(files)
    assert all(set(found[a + b]) == {0} for a, b in zip("开头的独特短语", "头的独特短语", strict=False))


def test_an_edit_reads_the_whole_documents_of_the_edited_page_only(sharded_build, tmp_path):
    # The boilerplate lines are found from every page's outline (its paragraphs' hashes), and the edited page's part is
    # made from the previous build's (zhsite/search/shares.py): a one-page edit reads whole (text and all) only that
    # page's new document and its old one, whose routing entries it moves, not the 1,100 pages' text.
    project = edited_copy(sharded_build, tmp_path)
    config = load_config(project)
    cache, read = BuildCache(cache_path(project, config)), []
    stored = cache.get_unheld

    def get(key, default=None):  # the real cache, its reads noted
        found = stored(key, default)
        if isinstance(found, Document):
            read.append((found.path, "edited" in "".join(found.paragraphs)))
        return found
    cache.get_unheld = get
    files = generate(project, config, Session(project, cache=cache)).files
    assert "edited" in indexed_text(files)
    assert sorted(read) == [("p/7.html", False), ("p/7.html", True)]
    assert dict(files) == dict(generate(project, config).files)  # what a build without a cache makes


def test_an_edit_reads_the_page_outlines_of_its_own_run_of_pages_only(sharded_build, tmp_path):
    # Issue #30: an edited build of 100,000 pages read 100,000 outline entries, one a page, in 8.6 s.
    project = edited_copy(sharded_build, tmp_path)
    config = load_config(project)
    cache, asked = BuildCache(cache_path(project, config)), []
    stored = cache.get_many

    def get_many(keys, default=None, held=True):  # the real cache, the keys asked for noted
        asked.extend(keys)
        return stored(keys, default, held)
    cache.get_many = get_many
    files = generate(project, config, Session(project, cache=cache)).files
    run = next(run for run in runs(searchable(prepare(project, config, Session(project)).site)) if "p/7.html" in dict(run))
    outlines = [key for key in asked if key.startswith(BuildCache.key_by_digest(PAGE_OUTLINE, ""))]
    assert 0 < len(outlines) == len(run) < SHARDED_ARTICLES, "the edited page's run, each page's outline"
    assert dict(files) == dict(generate(project, config).files)


def test_a_page_added_or_removed_changes_its_own_run_of_outlines_only():
    pages = [(f"p/{n}.html", None) for n in range(5000)]
    before = runs(pages)
    assert 10 < len(before) < 40 and [pair for run in before for pair in run] == pages
    for changed in (pages[:2000] + [("p/new.html", None)] + pages[2000:], pages[:2000] + pages[2001:]):
        after = runs(changed)
        assert len([run for run in after if run not in before]) == 1


def test_worker_processes_reading_their_parts_documents_from_the_cache_file_make_the_same_index(sharded_build, tmp_path):
    # Issue #30: two parts' documents, read and sent to the workers by the build's process, were its peak at 100,000 pages.
    project = sharded_build.output.parent
    config = load_config(project)
    pairs = prepare(project, config, Session(project)).searchable
    held, _ = index_site(pairs, config, None, workers=1)
    made, _ = index_site(pairs, config, BuildCache(tmp_path / "cache"), workers=2)
    assert dict(made) == dict(held)


def test_a_part_with_a_document_missing_from_the_cache_file_is_left_to_the_build(sharded_build, tmp_path):
    project = sharded_build.output.parent
    config = load_config(project)
    documents = [document(path, item, config) for path, item in prepare(project, config, Session(project)).searchable[:3]]
    cache = BuildCache(tmp_path)
    for n, found in enumerate(documents[:2]):
        cache.put_unheld(f"key {n}", found)
    cache.close()
    assert _part_read(tmp_path, [["key 0"], ["key 1"]], 0, 4, frozenset()) == _part([documents[:1], documents[1:2]], 0, 4, frozenset())
    assert _part_read(tmp_path, [["key 0", "key 2"]], 0, 4, frozenset()) is None


def test_a_build_keeps_the_routing_files_parts_in_its_spill_file_and_writes_the_same_files(sharded_build, tmp_path):
    # Issue #30: held until written, the routing files' parts were 200 MB of a 100,000-page build.
    project = sharded_build.output.parent
    config = load_config(project)
    pairs = prepare(project, config, Session(project)).searchable
    held, _ = index_site(pairs, config, None)
    cache, spill = BuildCache(tmp_path / "cache"), Spill(tmp_path)
    made, _ = index_site(pairs, config, cache, spill=spill)
    from_cache, _ = index_site(pairs, config, cache, spill=spill)
    assert dict(made) == dict(held) and dict(from_cache) == dict(held)
    assert sum(name.startswith("search/terms-") for name in held) == 32
    spill.close()
    with pytest.raises(OSError):  # read from the spill file, not held
        from_cache["search/terms-0.js"]
