"""Contents lists, column descriptions and the footer as a reader meets them on the seed site."""
from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_a_note_with_its_own_outline_shows_only_that_one(seed_site):
    page = soup(seed_site / "notes" / "deep-learning-notes.html")
    assert page.select("nav.toc") == []
    (outline,) = page.select(".entry-body .note-toc")
    entries = [a.get_text() for a in outline.select("a")]
    assert entries[:3] == ["mIOU", "1. Batch Normalization", "2. GAN"]
    assert all(page.find(id=a["href"][1:]) for a in outline.select("a"))


def test_contents_hold_section_titles_not_sentences(seed_site):
    # 60692852 (YOLO) closes with an <h2> that is a whole sentence: "只是粗略的看了一下YOLO的论文，…多多指正。"
    page = soup(seed_site / "p" / "60692852.html")
    entries = [a.get_text() for a in page.select("nav.toc a")]
    assert "1.YOLO的训练" in entries and "3.Inference" in entries
    assert not [e for e in entries if e.endswith("。")]
    assert page.find("h2", string=lambda s: s and s.startswith("只是粗略的看了一下YOLO的论文"))  # still shown as written


def test_contents_indent_by_heading_level(seed_site):
    page = soup(seed_site / "p" / "81682950.html")  # 船长黑板报: "# optimizing…", "## 引言", "### Step 1…"
    depths = {a.get_text(): li["class"][0] for li in page.select("nav.toc li") for a in li.select("a")}
    assert depths["optimizing cosine distance searching in a million feature-set"] == "toc-depth-1"
    assert depths["引言"] == "toc-depth-2"
    assert depths["Step 1,最基础的实现方式"] == "toc-depth-3"


def test_the_url_in_a_column_description_is_a_link(seed_site):
    lead = soup(seed_site / "columns" / "c_1074249022222409728.html").select_one(".lead")
    (link,) = lead.select("a")
    assert link["href"] == link.get_text() == "https://github.com/Captain1986/CaptainBlackboard"
    assert lead.get_text() == "机器学习，优化等，最新的内容维护在https://github.com/Captain1986/CaptainBlackboard"


def test_the_default_footer_names_no_generator(seed_site):
    footer = soup(seed_site / "index.html").select_one(".site-footer").get_text(" ", strip=True)
    assert footer == "知乎专栏存档 · 订阅 Atom"
