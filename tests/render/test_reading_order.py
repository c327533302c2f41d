"""Reading order: a column read as a course, from its first article on."""
from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import site_built_as_a_user


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def pager(seed_site: Path, article_id: str) -> dict[str, str]:
    page = soup(seed_site / "p" / f"{article_id}.html")
    return {a.span.get_text(): a["href"] for a in page.select(".pager a")}


def test_anchor_free_first_article_leads_to_the_second(seed_site):
    # 88269398 Anchor Free第一篇, 88595219 第二篇, 88721485 第三篇; undated, so in the column's own order.
    assert pager(seed_site, "88269398")["下一篇"] == "88595219.html"
    assert pager(seed_site, "88595219") == {"上一篇": "88269398.html", "下一篇": "88721485.html"}


def test_each_article_shows_its_place_in_the_column(seed_site):
    def place(article_id: str) -> str:
        return soup(seed_site / "p" / f"{article_id}.html").select_one(".entry-place").get_text()

    assert (place("88269398"), place("88830653")) == ("第 44 / 47 篇", "第 47 / 47 篇")
    assert list(pager(seed_site, "88830653")) == ["上一篇"]  # the newest: nothing after it
    assert list(pager(seed_site, "81681440")) == ["下一篇"]  # the first written: nothing before it
    assert place("81681440") == "第 1 / 47 篇"


def test_the_answers_of_a_question_are_paged_by_their_authors(tmp_path):
    """Every answer is titled after its question: a pager of titles would read 下一篇 如何入门？ on every page."""
    answers = [{"id": n, "question": {"id": 555, "title": "如何入门？"}, "content": f"<p>回答{n}</p>", "created_time": 1577836800 + n,
                "author": {"name": name, "url_token": token}} for n, name, token in ((1, "甲", "jia"), (2, "乙", "yi"))]
    site, result = site_built_as_a_user(tmp_path, {"answers.json": json.dumps(answers, ensure_ascii=False)})
    assert result.returncode == 0, result.stderr
    shown = {a.span.get_text(): a.get_text().removeprefix(a.span.get_text()) for a in soup(site / "answers" / "1.html").select(".pager a")}
    assert list(shown.values()) == ["乙的回答"], shown
