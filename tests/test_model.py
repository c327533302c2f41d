"""The content model (zhsite/model.py): what a body read from the build cache reads, and how often, and what an article holds."""
from __future__ import annotations

import pickle
import sys

from zhsite.model import Article, Author, Body, Heading


def test_a_page_showing_a_bodys_contents_list_and_html_reads_its_entry_once():
    # Issue #30: the contents list went to the HTML's entry; a page shows both, and each read is a cache read.
    made = Body.from_html("<h2 id='a'>一</h2><p>正文</p>", (Heading(2, "一", "a"),))
    reads = []

    def fetch():
        reads.append(1)
        return made.held
    body, other = made.apart(), made.apart()
    body.read_by(fetch)
    other.read_by(fetch)
    assert body.toc == made.toc and body.html == made.html
    assert len(reads) == 1
    assert other.html == made.html and body.toc == made.toc
    assert len(reads) == 3, "only the last body read keeps what it read"


def test_an_article_read_for_its_page_and_order_keeps_the_attributes_it_was_made_with():
    # Issue #30: ``path`` and ``recency`` were cached properties, names added to each article after it was made: an
    # article of a loaded archive then had a dictionary of its own, 830 bytes, not 240 (60 MB at 100,000 articles).
    made = [pickle.loads(pickle.dumps(Article(str(n), "标题", Author("作者"), "<p>正文</p>", published=f"2020-01-0{n}"))) for n in (1, 2)]
    names = [list(vars(article)) for article in made]
    sizes = [sys.getsizeof(vars(article)) for article in made]
    assert made[0].path == "p/1.html" and made[1].recency == ("2020-01-02", 2, "2")
    assert made[1].path == "p/2.html" and made[0].recency == ("2020-01-01", 1, "1")
    assert [list(vars(article)) for article in made] == names
    assert [sys.getsizeof(vars(article)) for article in made] == sizes


def test_a_body_read_back_from_the_cache_is_the_body_stored_and_reads_by_nothing_yet():
    # Issue #30: a body pickles as its seven fields by name (dataclasses' own state looked its fields up for each of
    # 10,000 cached bodies); a fetch belongs to the process that set it and is never pickled.
    made = Body.from_html("<h2 id='a'>一</h2><p>正文</p>", (Heading(2, "一", "a"),), (("p/2.html", "见此文。"),), "正文", 2, "正文", "𝑥")
    apart = made.apart()
    apart.read_by(lambda: made.held)
    for body in (made, apart):
        back = pickle.loads(pickle.dumps(body))
        assert back == body and back.digest == made.digest and back.fetch is None
        assert back.held == body.held and back.math == "𝑥" and back.links == (("p/2.html", "见此文。"),)
    assert pickle.loads(pickle.dumps(apart)).held is None
