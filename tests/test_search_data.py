"""What zhsite hands Pagefind as data (filter values, titles) holds no character that could open markup.

Pagefind's default UI inserts filter values as HTML; whatever UI shows them,
a name like ``<img src=x onerror=…>`` must reach it as words only.  The
browser suite (tests/browser/test_xss.py) opens the results; this checks
the documents themselves, whichever UI reads the index.
"""
from __future__ import annotations

import re

from zhsite.config import Config
from zhsite.model import Article, Author, Body, Column, Note, Topic
from zhsite.render.pages import Page
from zhsite.search import document, inert

HOSTILE = "<img src=x onerror=alert(1)> & \"quoted\" 'single'"
# The elements Pagefind reads as data: data-pagefind-filter and data-pagefind-meta.
DATA = re.compile(r'<(?:span|h1) data-pagefind-(?:filter|meta)="[^"]*">([^<]*)</(?:span|h1)>')


def test_inert_keeps_the_words_and_drops_every_markup_character():
    assert inert(HOSTILE) == "＜img src=x onerror=alert(1)＞ ＆ ＂quoted＂ ＇single＇"
    assert inert("深度学习（Deep Learning）") == "深度学习（Deep Learning）"


def test_filter_values_and_titles_of_articles_and_notes_carry_no_markup():
    article = Article(id="1", title=HOSTILE, author=Author(HOSTILE), content="", topics=[Topic(HOSTILE)], body=Body.from_html("<p>x</p>"))
    column = Column(slug="c", title=HOSTILE, articles=[article])
    note = Note(slug="n", title=HOSTILE, content="", tags=[Topic(HOSTILE)], body=Body.from_html("<p>x</p>"))
    pages = [Page(article.path, "article.html", article.title, {"article": article, "column": column}),
             Page(note.path, "note.html", note.title, {"note": note})]
    for page in pages:
        values = DATA.findall(document(page, Config()))
        assert len(values) >= 3  # the title, and the column, author or topic filters
        assert all(value == inert(HOSTILE) for value in values if value != "学习笔记"), values
