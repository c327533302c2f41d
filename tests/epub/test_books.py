"""``zhsite epub`` on the seed archives: one book per column and one of the notes, valid, in reading order, stable."""
from __future__ import annotations

import json

import lxml.html

from tests.conftest import make_project
from tests.epub.conftest import CAPTAIN_BOOK, NS, SHALLOW_BOOK, Book, epub, epubcheck


def test_one_book_per_column_and_one_of_the_notes_each_passing_epubcheck(seed_books):
    folder, run = seed_books
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted([CAPTAIN_BOOK, SHALLOW_BOOK, "notes.epub"])
    assert f"wrote {folder / CAPTAIN_BOOK}: 47 chapters, 0 pictures embedded, " in run.stderr
    for book in folder.iterdir():
        epubcheck(book)


def test_chapters_oldest_first_in_spine_and_contents(seed_books):
    book = Book(seed_books[0] / CAPTAIN_BOOK)
    chapters = book.chapters()
    assert len(chapters) == 47 and book.spine()[:3] == ["cover.xhtml", "title.xhtml", "nav.xhtml"]
    ids = [int(href.removeprefix("p/").removesuffix(".xhtml")) for href in chapters]
    assert ids == sorted(ids), "undated articles: by id, as Zhihu's ids grow with time"
    nav = [a.get("href") for a in book.page("nav.xhtml").iterfind(".//x:nav//x:a", NS)]
    assert nav == ["title.xhtml", *chapters]
    opf = book.opf
    assert opf.findtext(".//dc:language", namespaces=NS) == "zh-CN"
    assert opf.findtext(".//dc:title", namespaces=NS) == "船长黑板报"
    assert opf.findtext(".//dc:identifier", namespaces=NS).startswith("urn:uuid:")
    notes = Book(seed_books[0] / "notes.epub").opf  # the seed columns' articles are undated, the notes are not
    first, last = notes.findtext(".//dc:date", namespaces=NS), notes.findtext(".//opf:meta[@property='dcterms:modified']", namespaces=NS)
    assert len(first) == 10 and first <= last[:10], "from the oldest note to the newest"


def test_every_formula_the_site_shows_is_mathml_with_its_tex(seed_books, seed_site):
    book = Book(seed_books[0] / SHALLOW_BOOK)
    shown = in_book = 0
    for href in book.chapters():
        page = lxml.html.parse(str(seed_site / href.replace(".xhtml", ".html")))
        shown += len(page.xpath("//*[contains(@class, 'entry-body')]//math"))
        formulas = book.page(href).xpath("//m:math", namespaces=NS)
        in_book += len(formulas)
        assert all(f.xpath("m:semantics/m:annotation[@encoding='application/x-tex']/text()", namespaces=NS) for f in formulas)
    assert shown > 0 and in_book == shown


def test_comments_threaded_at_the_chapters_end(seed_books, seed_site):
    book = Book(seed_books[0] / CAPTAIN_BOOK)
    chapter = book.page("p/81682950.xhtml")
    section = chapter.find(".//x:section[@class='comments']", NS)
    assert section is not None and section.getparent().index(section) == len(section.getparent()) - 1
    site = lxml.html.parse(str(seed_site / "p" / "81682950.html"))
    assert len(section.findall(".//x:li", NS)) == len(site.xpath("//li[contains(@class, 'comment')]")) > 0
    assert section.find(".//x:li/x:ol[@class='comment-list']", NS) is not None, "replies nested under what they answer"


def test_same_archive_same_bytes(seed_project, seed_books, tmp_path):
    again = epub(seed_project, "-o", str(tmp_path), "--offline")
    assert again.returncode == 0, again.stderr
    for book in seed_books[0].iterdir():
        assert (tmp_path / book.name).read_bytes() == book.read_bytes(), book.name


def test_the_math_font_holds_only_what_the_formulas_draw(seed_books):
    shallow = Book(seed_books[0] / SHALLOW_BOOK)
    font = shallow.zip.getinfo("EPUB/static/fonts/stix-two-math.woff2")
    assert 0 < font.file_size < 40_000, "a subset, not the whole 394 KiB font"
    assert "static/fonts/stix-two-math.woff2" not in Book(seed_books[0] / CAPTAIN_BOOK).media_types(), "no formula, no font"


ARTICLES = [
    {"url": "https://zhuanlan.zhihu.com/p/101", "title": "第一篇", "userName": "甲",
     "content": '<p>下一篇见 <a href="https://zhuanlan.zhihu.com/p/102#part">第二篇</a>，另见 '
                '<a href="https://zhuanlan.zhihu.com/p/201">别处</a>。</p>',
     "comments": [{"userName": "读者", "content": "好文", "likes": 0}]},
    {"url": "https://zhuanlan.zhihu.com/p/102", "title": "第二篇", "userName": "甲",
     "content": '<h2 id="part">一节</h2><p>正文</p>'},
]
OTHER = [{"url": "https://zhuanlan.zhihu.com/p/201", "title": "别处", "userName": "乙", "content": "<p>他文</p>"}]


def two_columns(root):
    return make_project(root, {"a.json": json.dumps({"title": "甲专栏", "url": "https://zhuanlan.zhihu.com/jia", "article": ARTICLES}),
                               "b.json": json.dumps({"title": "乙专栏", "url": "https://zhuanlan.zhihu.com/yi", "article": OTHER})})


def test_links_to_the_same_book_go_to_the_chapter_others_to_the_web(tmp_path):
    run = epub(two_columns(tmp_path), "甲专栏")
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "epub").iterdir()) == ["jia.epub"], "only the column named"
    links = [a.get("href") for a in Book(tmp_path / "epub" / "jia.epub").page("p/101.xhtml").iterfind(".//x:div[@class='entry-body']//x:a", NS)]
    assert links == ["102.xhtml#part", "https://zhuanlan.zhihu.com/p/201"]
    epubcheck(tmp_path / "epub" / "jia.epub")


def test_no_comments_leaves_them_out_and_an_unknown_name_is_an_error(tmp_path):
    project = two_columns(tmp_path)
    assert Book(_made(project, "jia")).page("p/101.xhtml").find(".//x:section[@class='comments']", NS) is not None
    run = epub(project, "--no-comments", "jia", "丙专栏")
    assert run.returncode == 1 and "error: no column or book named '丙专栏'" in run.stderr
    assert Book(project / "epub" / "jia.epub").page("p/101.xhtml").find(".//x:section[@class='comments']", NS) is None


def _made(project, name):
    run = epub(project, name)
    assert run.returncode == 0, run.stderr
    return project / "epub" / f"{name}.epub"


def crawled_question(qid: int, title: str, answers: list[tuple[int, str, str]]) -> dict[str, str]:
    """A crawler's question folder (docs/archives.md): meta.json and one file per answer (id, author, body)."""
    files = {f"questions/{qid}/meta.json": json.dumps({"id": qid, "title": title, "detail": f"<p>{title}的描述</p>",
                                                      "topics": [{"id": "1", "name": "深度学习"}], "answerCount": len(answers)})}
    for i, (aid, author, body) in enumerate(answers):
        files[f"questions/{qid}/answers/{aid}.json"] = json.dumps(
            {"id": aid, "questionId": qid, "content": body, "createdTime": 1577836800 + qid * 1000 + i, "author": {"name": author}})
    return files


def test_answers_make_a_book_of_questions_and_one_per_author(tmp_path):
    project = make_project(tmp_path, {
        **crawled_question(556, "后来的问题", [(5, "甲", "<p>后来的回答</p>")]),
        **crawled_question(555, "先有的问题", [(3, "甲", '<p>另见 <a href="https://www.zhihu.com/question/556/answer/5">那个回答</a></p>'),
                                              (4, "乙", "<p>乙的回答</p>")]),
    })
    run = epub(project, "--answers")
    assert run.returncode == 0, run.stderr
    made = sorted(p.name for p in (project / "epub").iterdir())
    assert len(made) == 2 and "questions.epub" in made, "乙 answered one question: no book of their own unless named"
    book = Book(project / "epub" / "questions.epub")
    assert book.chapters() == ["questions/555.xhtml", "questions/556.xhtml"], "oldest question first"
    first = book.page("questions/555.xhtml")
    assert sorted(h.text for h in first.iterfind(".//x:h2", NS)) == ["乙的回答", "甲的回答"], "each answer under its author"
    assert first.findtext(".//x:div[@class='question-detail']/x:p", namespaces=NS) == "先有的问题的描述"
    assert first.find(".//x:section[@id='answer-3']/x:div[@class='entry-body']//x:a", NS).get("href") == "556.xhtml#answer-5"
    authors = Book(project / "epub" / next(name for name in made if name != "questions.epub"))
    assert authors.opf.findtext(".//dc:title", namespaces=NS) == "甲的回答" and len(authors.chapters()) == 2
    for name in made:
        epubcheck(project / "epub" / name)
    assert epub(project, "--answers", "乙的回答", "-o", str(tmp_path / "one")).returncode == 0
    assert len(Book(next((tmp_path / "one").iterdir())).chapters()) == 1


def test_a_theme_of_the_projects_own_without_epub_files_uses_zhsites(tmp_path):
    project = two_columns(tmp_path)
    (project / "zhsite.toml").write_text('theme = "own"\n', encoding="utf-8")
    (project / "themes" / "own" / "templates").mkdir(parents=True)
    (project / "themes" / "own" / "templates" / "base.html").write_text("{% block main %}{% endblock %}", encoding="utf-8")
    book = Book(_made(project, "jia"))
    assert b"e-ink" in book.zip.read("EPUB/book.css")


def test_control_characters_in_titles_and_names_are_left_out(tmp_path):
    article = {"url": "https://zhuanlan.zhihu.com/p/1", "title": "坏\x01题目 <b>&", "userName": "作\x02者", "content": "<p>正文</p>",
               "comments": [{"userName": "读\x01者", "content": "评论", "likes": 0}]}
    project = make_project(tmp_path, {"a.json": json.dumps({"title": "坏\x01专栏", "description": "描\x08述",
                                                            "url": "https://zhuanlan.zhihu.com/bad", "article": [article]})})
    book = Book(_made(project, "bad"))
    assert book.opf.findtext(".//dc:title", namespaces=NS) == "坏专栏"
    assert book.page("p/1.xhtml").findtext(".//x:h1", namespaces=NS) == "坏题目 <b>&"
    epubcheck(project / "epub" / "bad.epub")


def test_a_column_called_notes_and_the_notes_each_keep_their_book(tmp_path):
    column = {"title": "笔记专栏", "url": "https://zhuanlan.zhihu.com/notes", "article": ARTICLES}
    project = make_project(tmp_path, {"a.json": json.dumps(column), "note.md": "# 一篇笔记\n\n正文\n"})
    assert epub(project).returncode == 0
    titles = {p.name: Book(p).opf.findtext(".//dc:title", namespaces=NS) for p in (project / "epub").iterdir()}
    assert titles == {"notes.epub": "笔记专栏", "notes-.epub": "学习笔记"}
