"""A file's parse in the build cache with its posts' HTML apart (zhsite/load/parsed.py): read only for a post rewritten."""
from __future__ import annotations

import json
import pickle
import sqlite3

import pytest
from bs4 import BeautifulSoup

import zhsite.load
from tests.conftest import make_project
from zhsite.build import build, generate
from zhsite.cache import CACHE_FILE, BuildCache, Key
from zhsite.config import load_config
from zhsite.load import parsed
from zhsite.load.loaded import Loaded
from zhsite.model import Article, Author, Column, Comment
from zhsite.problems import BuildError

# Text zlib cannot shrink below KEPT_FROM bytes: such a post's HTML is set apart.
LONG = "".join(chr(0x4E00 + (n * 7919) % 20000) for n in range(400))


def column(title: str, *articles: tuple[int, str]) -> str:
    return json.dumps({
        "title": title,
        "article": [{"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"文章 {i}", "userName": "作者", "content": html} for i, html in articles],
    }, ensure_ascii=False)


@pytest.fixture
def texts_read(monkeypatch) -> list[str]:
    """The files whose posts' HTML a build read apart from their parse: from the cache entry, or ("again") from
    the file, the entry lost (the rewrites run in this process: one job each time)."""
    read: list[str] = []
    from_entry, from_file = parsed._Texts._read, zhsite.load._parsed_again

    def counted(self):
        read.append(self._name)
        return from_entry(self)

    def counted_again(path, name):
        read.append(f"{name} again")
        return from_file(path, name)
    monkeypatch.setattr(parsed._Texts, "_read", counted)
    monkeypatch.setattr(zhsite.load, "_parsed_again", counted_again)
    return read


def linked_project(tmp_path):
    return make_project(tmp_path, {"a.json": column("甲", (1, f'<p>{LONG}<a href="https://zhuanlan.zhihu.com/p/2">下一篇</a></p>'),
                                                   (3, f"<p>{LONG[::-1]}</p>"))})


def test_a_post_rewritten_again_reads_its_html_from_the_parse_and_one_not_rewritten_never_does(tmp_path, texts_read):
    project = linked_project(tmp_path)
    build(project)
    (project / "content" / "b.json").write_text(column("乙", (2, "<p>第二篇</p>")), encoding="utf-8")
    second = build(project)  # a.json unchanged: its parse from the cache; p/1 now links an archived page
    assert BeautifulSoup(second.files["p/1.html"], "html.parser").find("a", string="下一篇")["href"] == "2.html"
    assert texts_read == ["content/a.json"]
    assert second.files == generate(project, load_config(project)).files
    (project / "content" / "b.json").write_text(column("乙", (2, "<p>第二篇，改过</p>")), encoding="utf-8")
    third = build(project)
    assert texts_read == ["content/a.json"], "no post of a.json rewritten: its HTML never read"
    assert LONG in third.files["p/1.html"].decode() and LONG[::-1] in third.files["p/3.html"].decode()
    (project / "content" / "b.json").unlink()
    fourth = build(project)  # p/1 links Zhihu again: rewritten, its HTML kept by the builds that did not read it
    assert texts_read == ["content/a.json"] * 2
    assert fourth.files == generate(project, load_config(project)).files


def test_html_the_cache_lost_is_read_from_the_file_again(tmp_path, texts_read):
    project = linked_project(tmp_path)
    build(project)
    db = sqlite3.connect(project / ".zhsite-cache" / CACHE_FILE)
    with db:
        lost = [key for key, value in db.execute("SELECT key, value FROM results") if texts_entry(pickle.loads(value[32:]))]
        db.executemany("DELETE FROM results WHERE key = ?", [(key,) for key in lost])
    db.close()
    assert len(lost) == 1
    (project / "content" / "b.json").write_text(column("乙", (2, "<p>第二篇</p>")), encoding="utf-8")
    rebuilt = build(project)
    assert texts_read == ["content/a.json", "content/a.json again"]
    assert rebuilt.errors == [] and rebuilt.files == generate(project, load_config(project)).files


def texts_entry(value) -> bool:
    """What a parse's HTML apart is stored as: its posts' packed HTML, in order."""
    return isinstance(value, list) and bool(value) and all(isinstance(text, bytes) for text in value)


def test_html_lost_from_the_cache_of_a_file_changed_since_stops_the_build_naming_the_file(tmp_path):
    cache = BuildCache(tmp_path / "cache")
    part = Loaded(columns=[Column("c", "专栏", articles=[Article("1", "标题", Author("作者"), LONG, comments=[Comment(Author("读者"), LONG[::2])])])])
    key = Key("k" * 64)
    parsed.put_parsed(cache, key, part)
    assert part.columns[0].articles[0].content == LONG, "the stored part is left as it was"
    cache.save()
    db = sqlite3.connect(tmp_path / "cache" / CACHE_FILE)
    with db:
        db.execute("DELETE FROM results WHERE key = ?", (parsed._texts_key(key),))
    db.close()
    changed = Loaded(columns=[Column("c", "专栏", articles=[Article("1", "标题", Author("作者"), LONG[1:], comments=[Comment(Author("读者"), LONG[::2])])])])
    again = parsed.get_parsed(BuildCache(tmp_path / "cache"), key, "content/c.json", lambda: changed)
    with pytest.raises(BuildError) as raised:
        _ = again.columns[0].articles[0].content
    problem = raised.value.problem
    assert (problem.file, problem.kind) == ("content/c.json", parsed.TEXT_LOST) and "build again" in problem.detail
    same = parsed.get_parsed(BuildCache(tmp_path / "cache"), key, "content/c.json", lambda: part)
    assert [same.columns[0].articles[0].content, same.columns[0].articles[0].comments[0].content] == [LONG, LONG[::2]]
