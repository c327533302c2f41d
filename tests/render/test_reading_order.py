"""Reading order: a column read as a course, from its first article on."""
from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup


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
