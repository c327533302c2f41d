"""The build cache (zhsite/cache.py) from the user's side: it only ever costs or saves time."""
from __future__ import annotations

import json
import pickle
import re
import shutil
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import make_project
from zhsite import cache as cache_module
from zhsite.build import build, generate, prepare
from zhsite.cache import (
    CACHE_FILE,
    DRAWN_PAGES,
    IMAGE_URLS,
    NAMESPACES,
    PARSED,
    PICTURES_CHECKED,
    REWRITTEN_HTML,
    SEARCH_OUTLINES,
    BuildCache,
    Memo,
    State,
)
from zhsite.config import load_config
from zhsite.model import Shown
from zhsite.problems import BuildError
from zhsite.rewrite.stage import CACHE_LOST
from zhsite.session import Session


def test_a_damaged_cache_file_is_replaced_and_costs_nothing_but_time(seed_project, seed_build, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "content").symlink_to(seed_project / "content")
    (project / "zhsite.toml").symlink_to(seed_project / "zhsite.toml")
    (project / ".zhsite-cache").mkdir()
    (project / ".zhsite-cache" / CACHE_FILE).write_bytes(b"not a database" * 100)
    result = build(project)
    assert result.errors == []
    assert result.files == seed_build.files
    assert (project / ".zhsite-cache" / CACHE_FILE).read_bytes().startswith(b"SQLite format 3"), "replaced by a working cache"


COLUMN = {"title": "专栏", "article": [
    {"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"第{i}篇", "content": f"<p>CANARY{i} 正文{i}</p>"} for i in range(1, 4)
]}


def zhsite(*args, cwd):
    return subprocess.run([sys.executable, "-m", "zhsite", *args], cwd=cwd, capture_output=True, text=True)


def pages(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def damage(path, old: bytes, new: bytes) -> int:
    """Change bytes inside the cache file as a bad disk would, without SQLite knowing; how many places changed."""
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new))
    return data.count(old)


@pytest.fixture
def built(tmp_path):
    project = make_project(tmp_path, {"col.json": json.dumps(COLUMN, ensure_ascii=False)})
    first = zhsite("build", cwd=project)
    assert first.returncode == 0, first.stderr
    return project, pages(project / "site")


@pytest.mark.parametrize(("old", "new"), [
    (b"CANARY2", b"CANARZ2"),  # a flipped bit: once published as it was
    ("正文2".encode(), b"\xff" + "正文2".encode()[1:]),  # broken UTF-8: once a traceback on every build
])
def test_a_damaged_entry_is_recomputed_never_published_and_the_build_says_so_once(built, old, new):
    project, expected = built
    cache_file = project / ".zhsite-cache" / CACHE_FILE
    assert damage(cache_file, old, new) >= 1
    (project / "content" / "col.json").touch()  # read again, from the cache: a build with nothing changed reads none of it
    repaired = zhsite("build", cwd=project)
    assert repaired.returncode == 0
    assert "Traceback" not in repaired.stderr
    assert pages(project / "site") == expected
    [said] = [line for line in repaired.stderr.splitlines() if "build cache" in line]
    assert re.fullmatch(r"\.zhsite-cache/build\.sqlite: warning: build cache repaired: [1-9][0-9]* damaged entries recomputed", said)
    again = zhsite("build", cwd=project)
    assert again.returncode == 0 and "build cache" not in again.stderr, "repaired for good"


def html_entry(value) -> bool:
    """What REWRITTEN_HTML stores: what one body's page shows, its HTML as UTF-8 and its contents list."""
    return isinstance(value, Shown) and value.utf8.startswith(b"<")


def test_a_body_whose_html_entry_is_damaged_is_made_again_when_its_page_is_drawn(built):
    # A rewritten body's HTML is kept in an entry of its own (REWRITTEN_HTML), read only when a page is drawn.
    project, expected = built
    db = sqlite3.connect(project / ".zhsite-cache" / CACHE_FILE)
    with db:
        rows = [(key, value) for key, value in db.execute("SELECT key, value FROM results") if b"CANARY2" in value]
        [(key, value)] = [(k, v) for k, v in rows if html_entry(pickle.loads(v[32:]))]  # sealed: SHA-256, then the pickle
        db.execute("UPDATE results SET value = ? WHERE key = ?", (value.replace(b"CANARY2", b"CANARZ2"), key))
    db.close()
    shutil.rmtree(project / "site")  # every page drawn again
    redrawn = zhsite("build", cwd=project)
    assert redrawn.returncode == 0 and "Traceback" not in redrawn.stderr
    assert pages(project / "site") == expected


def search_texts_entry(value) -> bool:
    """What a search index part's text files are stored as: a list of groups, each a list of page files."""
    return isinstance(value, list) and bool(value) and isinstance(value[0], list) and value[0][0].startswith(b"zhsiteSearch.text(")


def test_a_search_part_whose_text_files_entry_is_damaged_is_made_again_when_written(built):
    # The index's text files are stored apart from the part's routing shares and read back only when written.
    project, expected = built
    db = sqlite3.connect(project / ".zhsite-cache" / CACHE_FILE)
    with db:
        [key] = [key for key, value in db.execute("SELECT key, value FROM results") if search_texts_entry(pickle.loads(value[32:]))]
        db.execute("UPDATE results SET value = ? WHERE key = ?", (b"\0" * 40, key))
    db.close()
    shutil.rmtree(project / "site")
    rebuilt = zhsite("build", cwd=project)
    assert rebuilt.returncode == 0 and "Traceback" not in rebuilt.stderr
    assert pages(project / "site") == expected
    assert any(path.startswith("search/text-") for path in expected)


def test_a_text_the_cache_loses_in_the_middle_of_a_build_stops_it_with_an_error_never_an_empty_page(tmp_path):
    # A build lets go of the loaded HTML once rewritten (issue #30): a body it rewrote itself is read back from
    # the entry it just stored; were the entry gone (another process emptied the cache file), the page cannot be made.
    project = make_project(tmp_path, {"col.json": json.dumps(COLUMN, ensure_ascii=False)})
    session = Session.in_project(project)
    try:
        planned = prepare(project, load_config(project), session, let_go=True)
        [second] = [article for article in planned.site.articles if article.id == "2"]
        db = sqlite3.connect(project / ".zhsite-cache" / CACHE_FILE)
        with db:
            db.execute("DELETE FROM results")
        db.close()
        with pytest.raises(BuildError) as raised:
            _ = second.body.html  # read as the page drawing it would
    finally:
        session.close()
    assert (raised.value.problem.file, raised.value.problem.where, raised.value.problem.kind) == ("content/col.json", "article 2", CACHE_LOST)
    assert "build again" in raised.value.problem.detail


def test_a_text_an_earlier_build_rewrote_and_the_cache_loses_mid_build_is_made_again_from_the_spill_file(tmp_path):
    # Its job is made only then, after the build let go of the loaded HTML: from the copy in the build's spill file.
    project = make_project(tmp_path, {"col.json": json.dumps(COLUMN, ensure_ascii=False)})
    config = load_config(project)
    expected = generate(project, config).files["p/2.html"]
    build(project)
    session = Session.in_project(project)
    try:
        planned = prepare(project, config, session, let_go=True)
        [second] = [article for article in planned.site.articles if article.id == "2"]
        assert second.content == ""  # let go of
        db = sqlite3.connect(project / ".zhsite-cache" / CACHE_FILE)
        with db:
            db.execute("DELETE FROM results")
        db.close()
        html = second.body.html
    finally:
        session.close()
    assert html and html in expected.decode()


@pytest.mark.parametrize("spoil", ["not sqlite", "truncated"])
def test_a_cache_file_that_cannot_be_used_is_set_aside_and_rebuilt(built, spoil):
    project, expected = built
    cache_file = project / ".zhsite-cache" / CACHE_FILE
    data = cache_file.read_bytes()
    cache_file.write_bytes(b"PK\x03\x04 a zip, not a database" * 100 if spoil == "not sqlite" else data[:len(data) // 3])
    spoiled = cache_file.read_bytes()
    result = zhsite("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert pages(project / "site") == expected
    [said] = [line for line in result.stderr.splitlines() if "build cache" in line]
    assert said.startswith(".zhsite-cache/build.sqlite: warning: build cache could not be opened, set aside as build.sqlite.damaged and rebuilt: ")
    assert (project / ".zhsite-cache" / "build.sqlite.damaged").read_bytes() == spoiled, "set aside, not deleted"
    assert cache_file.read_bytes().startswith(b"SQLite format 3")
    again = zhsite("build", cwd=project)
    assert again.returncode == 0 and "build cache" not in again.stderr


def test_a_memo_is_computed_once_per_key_inputs_and_namespaces_never_share_an_entry(tmp_path):
    calls = []

    def compute(value):
        def run():
            calls.append(value)
            return value
        return run

    first = BuildCache(tmp_path)
    assert first.memo(PARSED, ("a.json", b"{}"), compute("parsed")) == "parsed"
    assert first.memo(PARSED, ("a.json", b"{}"), compute("again")) == "parsed"
    assert first.memo(IMAGE_URLS, ("a.json", b"{}"), compute("urls")) == "urls", "same inputs, other namespace"
    assert first.memo(PARSED, ("a.json{}", b""), compute("other split")) == "other split", "parts are kept apart"
    first.keep_only_used()
    first.close()
    second = BuildCache(tmp_path)
    assert second.memo(PARSED, ("a.json", b"{}"), compute("next build")) == "parsed"
    assert calls == ["parsed", "urls", "other split"]


def test_a_memo_whose_value_is_none_is_computed_once_too(tmp_path):
    """None is a value (an article with no image URLs), not a miss to compute again on every build."""
    calls = []

    def nothing():
        calls.append(1)

    first = BuildCache(tmp_path)
    assert first.memo(PARSED, ("a.json", b"{}"), nothing) is None
    assert first.memo(PARSED, ("a.json", b"{}"), nothing) is None
    first.keep_only_used()
    first.close()
    second = BuildCache(tmp_path)
    assert second.memo(PARSED, ("a.json", b"{}"), nothing) is None
    second.close()
    assert calls == [1]


def test_a_memo_whose_computation_fails_stores_nothing(tmp_path):
    cache = BuildCache(tmp_path)

    def broken():
        raise RuntimeError("a reader's bug")
    with pytest.raises(RuntimeError):
        cache.memo(PARSED, ("a.json",), broken)
    assert cache.get(cache.key(PARSED, ("a.json",))) is None


def test_a_value_stored_unheld_replaces_the_one_held_under_its_key(tmp_path):
    # The drawn pages' records are read held or not, and kept unheld (zhsite/render/reuse.py).
    cache = BuildCache(tmp_path)
    cache.keep(DRAWN_PAGES, {"index.html": 1})
    cache.keep(DRAWN_PAGES, {"index.html": 2}, held=False)
    assert cache.previous(DRAWN_PAGES) == {"index.html": 2} == cache.previous(DRAWN_PAGES, held=False)


def test_a_cache_for_one_build_stores_and_trims_as_any_but_lists_no_key_it_stored(tmp_path):
    # Issue #30: the list is for serve's trim only (keep_only_used(whole_file=False)); a build's was tens of MB at 100,000.
    cache = BuildCache(tmp_path)
    cache.for_one_build()
    cache.put(cache.key(PARSED, ("a.json",)), "kept")
    cache.put(cache.key(PARSED, ("b.json",)), "not used again")
    cache.keep_only_used()
    assert cache.get(cache.key(PARSED, ("a.json",))) == "kept"
    cache.keep_only_used()
    cache.close()
    again = BuildCache(tmp_path)
    assert again.get(again.key(PARSED, ("a.json",))) == "kept" and again.get(again.key(PARSED, ("b.json",))) is None
    assert not cache._written


def test_many_values_read_together_are_what_each_read_alone_gives_kept_used_and_checked(tmp_path):
    # The rewrite's results and the search outlines are read this way (issue #30: one query a key was 0.7 s at 10,000).
    cache = BuildCache(tmp_path)
    keys = [cache.key(PARSED, (f"{i}.json",)) for i in range(cache_module.READ_TOGETHER * 2 + 1)]
    for i, key in enumerate(keys[:-1]):
        cache.put(key, {"n": i}, held=False)
    cache.close()  # in the file
    again = BuildCache(tmp_path)
    again.put(keys[0], "put since", held=False)  # not saved yet: found there first
    lost = again.key(PARSED, ("gone.json",))
    asked = [*keys, lost]
    assert again.get_many(asked, default="miss", held=False) == ["put since", *({"n": i} for i in range(1, len(keys) - 1)), "miss", "miss"]
    assert again.get_many(keys[1:3]) == [{"n": 1}, {"n": 2}] and keys[1] in again._values, "held, as get holds"
    again.keep_only_used()
    again.close()
    third = BuildCache(tmp_path)
    assert third.get_many([keys[5]]) == [{"n": 5}], "what was read is kept for the next build"
    with sqlite3.connect(tmp_path / CACHE_FILE) as db:
        [value] = db.execute("SELECT value FROM results WHERE key = ?", (keys[6],)).fetchone()
        db.execute("UPDATE results SET value = ? WHERE key = ?", (value[:-1] + bytes([value[-1] ^ 1]), keys[6]))  # a flipped bit
        db.execute("UPDATE results SET value = 'text, not bytes' WHERE key = ?", (keys[8],))  # a row SQLite reads apart
    assert third.get_many([keys[6], keys[7], keys[8], keys[9]]) == [None, {"n": 7}, None, {"n": 9}]
    assert [p.kind for p in third.repairs()] == ["build cache repaired"]


def test_state_is_what_the_last_build_kept_and_is_dropped_when_a_build_neither_reads_nor_keeps_it(tmp_path):
    cache = BuildCache(tmp_path)
    assert cache.previous(PICTURES_CHECKED) is None
    cache.keep(PICTURES_CHECKED, {"a.png": 1})
    cache.keep(DRAWN_PAGES, {"index.html": 1}, ("outline 1",))
    cache.keep_only_used()
    assert cache.previous(PICTURES_CHECKED) == {"a.png": 1}
    cache.keep(PICTURES_CHECKED, {"b.png": 2})  # replaced, not merged
    assert cache.previous(DRAWN_PAGES, ("outline 2",)) is None, "filed under its outline"
    cache.keep_only_used()
    cache.close()
    again = BuildCache(tmp_path)
    assert again.previous(PICTURES_CHECKED) == {"b.png": 2}
    assert again.previous(DRAWN_PAGES, ("outline 1",)) is None, "not read by the last build: dropped"


def test_every_namespace_is_in_the_table_once_with_its_key_inputs_and_checks_documented():
    assert len({namespace.name for namespace in NAMESPACES}) == len(NAMESPACES)
    states = [namespace for namespace in NAMESPACES if isinstance(namespace, State)]
    assert all(state.holds and state.after_hit for state in states), "state is only ever used after a check"
    assert all(memo.inputs for memo in NAMESPACES if isinstance(memo, Memo))
    declared = [value for value in vars(cache_module).values() if isinstance(value, Memo | State)]
    assert sorted(declared, key=NAMESPACES.index) == list(NAMESPACES), "every namespace declared is in the table"


def test_the_cache_folder_is_the_top_level_cache_dir_and_a_build_refuses_to_write_into_it(tmp_path):
    project = make_project(tmp_path, {"col.json": json.dumps(COLUMN, ensure_ascii=False)}, 'cache_dir = "缓存"\n')
    built = zhsite("build", cwd=project)
    assert built.returncode == 0, built.stderr
    assert (project / "缓存" / CACHE_FILE).read_bytes().startswith(b"SQLite format 3")
    assert not (project / ".zhsite-cache").exists()
    again = zhsite("build", cwd=project)
    assert "files drawn, the rest unchanged" in again.stderr, "the next build reads the cache it left there"
    refused = zhsite("build", "-o", "缓存/site", cwd=project)
    assert refused.returncode == 2 and "refused as output folder: it is, holds or sits in the build cache" in refused.stderr


def test_the_old_images_cache_dir_still_works_with_a_warning_naming_the_file_and_the_key(tmp_path):
    project = make_project(tmp_path, {"col.json": json.dumps(COLUMN, ensure_ascii=False)}, '[images]\ncache_dir = "old-cache"\n')
    built = zhsite("build", cwd=project)
    assert built.returncode == 0, built.stderr
    assert (project / "old-cache" / CACHE_FILE).is_file()
    assert "zhsite.toml:images.cache_dir: warning: deprecated key: write cache_dir at the top of zhsite.toml (before any [table]) instead" in built.stderr.splitlines()
    images = zhsite("images", "--offline", cwd=project)  # the images command reads the same folder, and says so too
    assert "zhsite.toml:images.cache_dir" in images.stderr
    assert not (project / ".zhsite-cache").exists()


def test_a_key_made_of_a_digest_is_its_namespaces_and_its_code_versions(monkeypatch):
    """A body's HTML is kept under its digest after a hash of the namespace and the code version, made once: another
    namespace, or another zhsite, never reads it."""
    hashed = "0123456789abcdef" * 2
    keys = {BuildCache.key_by_digest(namespace, hashed) for namespace in (REWRITTEN_HTML, SEARCH_OUTLINES)}
    monkeypatch.setattr(cache_module, "code_version", lambda: "another zhsite")
    cache_module._namespace_hash.cache_clear()
    try:
        keys.add(BuildCache.key_by_digest(REWRITTEN_HTML, hashed))
    finally:
        cache_module._namespace_hash.cache_clear()
    assert len(keys) == 3 and all(len(key) == 64 and key.endswith(hashed) for key in keys)


def test_the_code_version_covers_every_library_zhsite_requires_and_theirs_read_from_its_installed_metadata():
    """Upgrading any of them starts the cache afresh: a library missing from the key would serve stale output."""
    from importlib import metadata

    found = cache_module.libraries()
    for needed in ("pyyaml", "linkify-it-py", "filetype", "jinja2", "markupsafe", "lxml", "nh3", "markdown-it-py", "mdurl"):
        assert found[needed] == metadata.version(needed), needed
    required = {requirement.split(";")[0].split("[")[0].split(">")[0].strip().lower() for requirement in metadata.requires("zhsite")
                if "extra ==" not in requirement}
    assert required <= set(found), "every Requires-Dist of the installed zhsite"
    assert "pytest" not in found, "the test extra is not zhsite's output"
