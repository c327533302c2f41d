"""Text Zhihu's anti-crawler scrambled: told from Chinese, warned about, marked on its page, still built and searchable."""
from __future__ import annotations

import json
import random

from bs4 import BeautifulSoup

from bench.scrambled import scramble, substitution
from tests.conftest import SHALLOW, build_as_a_user, make_project, site_built_as_a_user
from tests.test_search import documents
from zhsite.chinese import _read, common_characters, read_text

KIND = "text looks scrambled by Zhihu's anti-crawler"
NOTICE = "此文的文字疑似被知乎反爬打乱"


def scrambled_column() -> tuple[str, list[str]]:
    """The seed column with its first three articles scrambled the three ways archives are garbled, and their ids."""
    column = json.loads(SHALLOW.read_text(encoding="utf-8"))
    common = list(common_characters(3000))
    rng = random.Random(7)
    fixed = substitution(rng, common)
    ways = [lambda html: scramble(html, fixed), lambda html: scramble(html, substitution(rng, common)),
            lambda html: scramble(html, substitution(rng, common), start=0.5)]
    for article, way in zip(column["article"], ways, strict=False):
        article["content"] = way(article["content"])
    ids = [article["url"].rsplit("/", 1)[1] for article in column["article"]]
    return json.dumps(column, ensure_ascii=False), ids


def test_each_way_of_scrambling_is_warned_about_and_marked_on_its_page(tmp_path):
    text, ids = scrambled_column()
    site, built = site_built_as_a_user(tmp_path, {"column.json": text})
    assert built.returncode == 0, built.stderr
    assert f"warning: {KIND} (3×)" in built.stderr + built.stdout
    for article_id in ids[:3]:
        page = BeautifulSoup((site / "p" / f"{article_id}.html").read_text(encoding="utf-8"), "html.parser")
        notice = page.select_one(".notice-scrambled")
        assert notice is not None and NOTICE in notice.text and "登录知乎后重新存档" in notice.text
        assert page.select_one(".entry-body").text.strip()  # still built, text as archived
    readable = (site / "p" / f"{ids[3]}.html").read_text(encoding="utf-8")
    assert NOTICE not in readable
    indexed = documents({f"search/{path.name}": path.read_bytes() for path in (site / "search").iterdir()})
    assert f"p/{ids[0]}.html" in [doc["u"] for doc in indexed]  # a scrambled post is still searchable


def test_the_warning_names_each_post_and_what_to_do(tmp_path):
    text, ids = scrambled_column()
    project = make_project(tmp_path, {"column.json": text})
    built = build_as_a_user(project, "--verbose")
    said = built.stderr + built.stdout
    lines = [line for line in said.splitlines() if KIND in line]
    assert len(lines) == 3
    assert all("re-archive it logged in to Zhihu" in line and "content/column.json" in line for line in lines)
    assert [any(f"article {article_id}" in line for line in lines) for article_id in ids[:4]] == [True, True, True, False]


def test_the_notice_can_be_turned_off_and_the_warning_stays(tmp_path):
    text, ids = scrambled_column()
    project = make_project(tmp_path, {"column.json": text}, config="scrambled_notice = false\n")
    built = build_as_a_user(project)
    assert f"warning: {KIND} (3×)" in built.stderr + built.stdout
    assert NOTICE not in (project / "site" / "p" / f"{ids[0]}.html").read_text(encoding="utf-8")


def test_the_seed_site_reads_as_chinese(seed_build, seed_site):
    assert [p for p in seed_build.problems if p.kind == KIND] == []
    pages = [path.read_text(encoding="utf-8") for path in (seed_site / "p").glob("*.html")]
    assert pages and not any(NOTICE in page for page in pages)


def test_short_foreign_and_classical_text_is_not_judged_scrambled():
    short = "这个方法很好用，谢谢分享。"
    traditional = "我們這個時代的人，對於機器學習的理解還很膚淺。深度學習之所以會紅起來，是因為資料變多了，運算能力也變強了。"
    classical = "先帝创业未半而中道崩殂，今天下三分，益州疲弊，此诚危急存亡之秋也。然侍卫之臣不懈于内，忠志之士忘身于外者，盖追先帝之殊遇，欲报之于陛下也。"
    assert not read_text(short).judged
    assert not read_text(traditional).judged
    assert read_text(classical).judged and not read_text(classical).scrambled
    assert read_text(scramble(classical, substitution(random.Random(1), list(common_characters(3000))))).scrambled


def test_a_second_build_of_a_scrambled_archive_draws_nothing_again(tmp_path):
    """The pages marked are part of what every page is drawn from: the same each build, so nothing is redrawn."""
    text, _ = scrambled_column()
    project = make_project(tmp_path, {"column.json": text})
    assert build_as_a_user(project).returncode == 0
    again = build_as_a_user(project)
    assert "0 files drawn, the rest unchanged since the last build" in again.stdout + again.stderr
    assert f"warning: {KIND} (3×)" in again.stdout + again.stderr


def test_a_text_read_again_in_the_process_reads_as_it_did_and_another_as_itself():
    # Each text is read once a process (the bench's 10,000 copies of 51 seed articles): kept by its SHA-1.
    text = "先帝创业未半而中道崩殂，今天下三分，益州疲弊，此诚危急存亡之秋也。然侍卫之臣不懈于内，忠志之士忘身于外者。"
    other = scramble(text, substitution(random.Random(2), list(common_characters(3000))))
    assert read_text(text) == _read(text) and read_text(text) == read_text(text)
    assert read_text(other) == _read(other) != read_text(text)
