"""What a page says of itself to search engines and link previews, and what lists show, on the seed site."""
from __future__ import annotations

import json

from bs4 import BeautifulSoup

from tests.conftest import REPO, site_built_as_a_user


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def meta(page, **attrs):
    tag = page.find("meta", attrs=attrs)
    return tag["content"] if tag else None


def test_every_article_page_has_its_own_description_title_tags_and_reading_time(seed_site):
    site_description = meta(soup(seed_site / "index.html"), name="description")
    pages = sorted((seed_site / "p").glob("*.html")) + sorted((seed_site / "notes").glob("*.html"))
    pages = [p for p in pages if p.name != "index.html"]
    assert len(pages) == 51 + 3
    descriptions = []
    for path in pages:
        page = soup(path)
        description = meta(page, name="description")
        assert description and description != site_description, path
        assert meta(page, property="og:description") == description
        assert meta(page, property="og:title") == page.find("h1").get_text(strip=True)
        assert meta(page, property="og:type") == "article"
        assert page.select_one(".entry-meta .reading-time").get_text().startswith("约 ")
        descriptions.append(description)
    assert len(set(descriptions)) == len(descriptions)


def test_an_article_with_a_title_image_names_it_for_link_previews(tmp_path):
    article = {"id": 101, "type": "article", "title": "注意力机制", "content": "<p>注意力机制让模型只看重要的部分。</p>",
               "author": {"name": "作者甲", "url_token": "jia"}, "image_url": "https://pic1.zhimg.com/v2-title.jpg"}
    site, result = site_built_as_a_user(tmp_path, {"a.json": json.dumps(article)})
    assert result.returncode == 0, result.stderr
    page = soup(site / "p" / "101.html")
    assert meta(page, property="og:image") == "https://pic1.zhimg.com/v2-title.jpg"
    assert meta(page, name="twitter:card") == "summary_large_image"
    assert meta(page, name="description") == "注意力机制让模型只看重要的部分。"


def test_lists_show_excerpts_no_zero_counts_and_no_author_repeated_on_a_one_author_column(seed_site):
    column = soup(seed_site / "columns" / "c_1074249022222409728.html")  # 船长黑板报: every article by 船长
    items = column.select(".item-list .item")
    assert len(items) == 47
    assert all(item.select_one(".item-excerpt").get_text(strip=True) for item in items)
    metas = " ".join(item.select_one(".item-meta").get_text(" ") for item in items)
    assert "船长" not in metas and " 0 赞同" not in f" {metas}" and " 0 评论" not in f" {metas}"
    home = soup(seed_site / "index.html")
    assert len(home.select("#recent-title + .item-list .item")) == 8


def test_every_page_has_the_themes_favicon(seed_site):
    page = soup(seed_site / "p" / "60692852.html")
    icon = page.find("link", rel="icon")["href"]
    assert (seed_site / "p" / icon).resolve() == (seed_site / "static" / "favicon.svg").resolve()
    assert (REPO / "themes" / "default" / "static" / "favicon.svg").is_file()
