"""知乎助手 (ZhihuHelp) books: its folder of pages and its EPUB, each post the page it is.

The fixture follows the pages 知乎助手 writes (its React templates in
src/command/generate: a question page with each answer under its author's
card and a line of counts and dates; an article or pin page marked
``data-key="single-page"``; the book's contents page) and its EPUB's layout
(src/library/epub: ``OEBPS/html/<id>.html``, ``OEBPS/image/``,
``OEBPS/content.opf`` named by ``META-INF/container.xml``).
"""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from PIL import Image

from tests.conftest import site_built_as_a_user


def jpeg() -> bytes:
    picture = Image.new("RGB", (24, 16), (200, 60, 30))
    written = io.BytesIO()
    picture.save(written, "JPEG")
    return written.getvalue()


PICTURE = jpeg()
FORMULA_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def page(title: str, *blocks: str) -> str:
    return ('<html xmlns="http://www.w3.org/1999/xhtml" data-reactroot=""><head><meta charset="utf-8"/><title>' + title + '</title>'
            '<link rel="stylesheet" type="text/css" href="../css/customer.css"/></head><body>' + "".join(blocks) + "</body></html>")


def answer(name: str, token: str, html: str, line: str) -> str:
    person = (f'<div class="author"><div class="author-info"><div class="author-base"><div class="author-logo"><img src="https://pic1.zhimg.com/'
              f'{token}_l.jpg" width="25" height="25" alt=""/></div><span class="author-name"><a href="http://www.zhihu.com/people/{token}">'
              f'{name}</a></span><span class="author-sign">\u3000机器学习研究者</span></div><div class="clear-float"></div></div></div>')
    return f'<div><div class="answer">{person}<div class="content"><div>{html}</div></div><div class="comment">{line}</div></div><hr/></div>'


def counts(votes: int, comments: int, made: str, edited: str) -> str:
    return (f'<div class="info-flex-line"><span class="float-left">赞同:{votes}</span><span class="float-right">创建时间:{made}</span></div>'
            f'<div class="clear-float"></div><div class="info-flex-line"><span class="float-left">评论:{comments}</span>'
            f'<span class="float-right">最后更新:{edited}</span></div>')


def block(title: str, posts: str, single: bool = False) -> str:
    marked = ' data-key="single-page"' if single else ""
    return (f'<div{marked}><div class="bg-zhihu-blue-light"><div class="title-image"></div>'
            f'<div class="question bg-zhihu-blue-light"><div class="question-title"><h1 class="bg-zhihu-blue-deep">{title}</h1></div>'
            '<div class="clear-float"></div></div><div class="question-info bg-zhihu-blue-light" data-comment="知乎对外接口中没有问题描述数据, 因此直接略过">'
            f'</div><div class="clear-float"></div></div><div class="answer">{posts}</div></div>')


FIGURE = ('<div class="duokan-image-single"><img  data-rawwidth="600" data-rawheight="400" class="origin_image zh-lightbox-thumb lazy" '
          'data-original="https://pic1.zhimg.com/v2-6abb2bbf_r.jpg" data-actualsrc="https://pica.zhimg.com/50/v2-6abb2bbf_720w.jpg" '
          'src="../image/0a1b2c_v2-6abb2bbf_b.jpg"/></div>')
FORMULA = '<img src="../image/9f8e_equation.png" alt="\\frac{\\partial L}{\\partial w}" eeimg="1"/>'
QUESTION = page("如何理解反向传播？", block("如何理解反向传播？",
                answer("甲", "jia", f"<p>反向传播就是链式法则：{FORMULA}</p>{FIGURE}", counts(120, 8, "2019-03-01", "2019-04-02"))
                + answer("乙", "yi", "<p>补充一点：梯度消失。</p>", counts(15, 0, "2020-01-05", "Invalid date"))))
ARTICLE = page("卷积神经网络入门", block("卷积神经网络入门", answer(
    "甲", "jia", '<p>卷积是一种运算。</p><pre><code class="language-python">print(1)</code></pre>', counts(300, 12, "2018-06-01", "2018-07-01")),
    single=True))
PIN = page("今天读完了《深度学习》", block("今天读完了《深度学习》", answer(
    "甲", "jia", '<div class="pin"><div class="commment"><div><p>今天读完了《深度学习》第六章。</p></div></div><div class="origin-pin"></div></div>',
    counts(9, 1, "2021-05-04", "2021-05-04")), single=True))
CONTENTS = page("深度学习", '<div><div class="panel panel-default"><div class="panel-heading">电子书由知乎助手生成, 仅供个人阅读学习使用, 严禁用于商业用途'
                '</div></div><ol><li><a class="list-group-item" href="./31415.html">如何理解反向传播？</a></li></ol></div>')
BOOK = {"html/31415.html": QUESTION, "html/27182.html": ARTICLE, "html/1400000001.html": PIN, "html/index.html": CONTENTS,
        "css/customer.css": ".answer{}", "image/0a1b2c_v2-6abb2bbf_b.jpg": PICTURE, "image/9f8e_equation.png": FORMULA_PNG}


def epub(pages: dict[str, str], pictures: dict[str, bytes]) -> bytes:
    """The book as 知乎助手 zips it: mimetype, META-INF/container.xml, OEBPS/content.opf and its spine, the pages and pictures."""
    items = "".join(f'<item id="p{i}" href="html/{name}" media-type="application/xhtml+xml"/>' for i, name in enumerate(pages))
    spine = "".join(f'<itemref idref="p{i}"/>' for i in range(len(pages)))
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w", zipfile.ZIP_STORED) as book:
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
                      '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>')
        book.writestr("OEBPS/content.opf", f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata/>'
                      f'<manifest>{items}</manifest><spine toc="ncx">{spine}</spine></package>')
        for name, text in pages.items():
            book.writestr(f"OEBPS/html/{name}", text)
        for name, data in pictures.items():
            book.writestr(f"OEBPS/image/{name}", data)
    return written.getvalue()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    files = {f"深度学习/{name}": data for name, data in BOOK.items()}
    files["深度学习/单文件版/深度学习.html"] = page("深度学习", QUESTION, ARTICLE)  # the same posts again
    return site_built_as_a_user(tmp_path_factory.mktemp("zhihuhelp"), files)


def test_a_book_folder_builds_each_post_and_counts_its_side_files(folder):
    site, result = folder
    assert result.returncode == 0, result.stderr
    assert "1 articles, 1 questions, 2 answers, 1 pins" in result.stderr.splitlines()[-1]
    assert "1 知乎助手 contents pages" in result.stderr and "1 知乎助手 copies of books read page by page" in result.stderr


def test_an_answer_has_its_author_dates_counts_source_formula_and_picture(folder):
    site, _ = folder
    shown = (site / "answers" / "31415-jia.html").read_text(encoding="utf-8")
    assert re.search(r"<h1>\s*如何理解反向传播？\s*</h1>", shown) and '<a class="author" href="../authors/jia.html">甲</a>' in shown
    assert '<time datetime="2019-02-28T16:00:00Z">2019-03-01</time>' in shown and "120 赞同" in shown and "8 评论" in shown
    assert '<a class="source-link" href="https://www.zhihu.com/question/31415">知乎原问题</a>' in shown, "no answer id in the page: its question"
    assert '<annotation encoding="application/x-tex">\\frac{\\partial L}{\\partial w}</annotation>' in shown, "the formula typeset"
    picture = re.search(r'<img src="\.\./(images/[0-9a-f]+\.jpg)"', shown)
    assert picture and (site / picture[1]).read_bytes() == PICTURE, "the book's own copy, not Zhihu's address"
    second = (site / "answers" / "31415-yi.html").read_text(encoding="utf-8")
    assert "2020-01-05" in second and "编辑于" not in second, "moment.js's 'Invalid date' is no date"
    question = (site / "questions" / "31415.html").read_text(encoding="utf-8")
    assert "31415-jia.html" in question and "31415-yi.html" in question


def test_an_article_and_a_pin_are_their_pages_in_the_books_column(folder):
    site, _ = folder
    article = (site / "p" / "27182.html").read_text(encoding="utf-8")
    assert '<a class="source-link" href="https://zhuanlan.zhihu.com/p/27182">' in article and "300 赞同" in article
    assert 'class="highlight' in article, "its code highlighted"
    assert "深度学习" in (site / "columns" / "深度学习.html").read_text(encoding="utf-8")
    pin = (site / "pins" / "1400000001.html").read_text(encoding="utf-8")
    assert "今天读完了《深度学习》第六章。" in pin and 'href="https://www.zhihu.com/pin/1400000001"' in pin
    assert (site / "authors" / "jia.html").read_text(encoding="utf-8").count("机器学习研究者") >= 1, "the card's headline"


def test_the_output_folder_builds_each_post_once_from_its_pages(tmp_path):
    """知乎助手's output folder as it writes it: the book's EPUB under epub/, its pages under html/<book>/."""
    pages = {name.removeprefix("html/"): text for name, text in BOOK.items() if name.startswith("html/")}
    files = {"知乎助手输出的电子书/epub/深度学习.epub": epub(pages, {}), **{f"知乎助手输出的电子书/html/深度学习/{k}": v for k, v in BOOK.items()}}
    site, result = site_built_as_a_user(tmp_path, files)
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    assert "1 articles, 1 questions, 2 answers, 1 pins" in result.stderr.splitlines()[-1]
    assert "1 知乎助手 copies of books read page by page" in result.stderr
    assert re.search(r'<img src="\.\./images/[0-9a-f]+\.jpg"', (site / "answers" / "31415-jia.html").read_text(encoding="utf-8"))


def test_the_one_page_copy_alone_is_read_with_made_up_ids_and_no_source_link(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {"深度学习/单文件版/深度学习.html": page("深度学习", QUESTION, ARTICLE)})
    assert result.returncode == 0, result.stderr
    assert "1 articles, 1 questions, 2 answers" in result.stderr.splitlines()[-1]
    article = next((site / "p").glob("zhihuhelp-*.html")).read_text(encoding="utf-8")
    assert "卷积是一种运算。" in article and "source-link" not in article


@pytest.mark.parametrize("with_pictures", [True, False])
def test_the_books_epub_builds_the_same_posts_its_pictures_from_inside(tmp_path, with_pictures):
    pages = {name.removeprefix("html/"): text for name, text in BOOK.items() if name.startswith("html/")}
    pictures = {name.removeprefix("image/"): data for name, data in BOOK.items() if name.startswith("image/")} if with_pictures else {}
    site, result = site_built_as_a_user(tmp_path, {"books/深度学习.epub": epub(pages, pictures),
                                                   "books/小说.epub": epub({"c1.html": "<html><body><p>第一章</p></body></html>"}, {})})
    assert "1 articles, 1 questions, 2 answers, 1 pins" in result.stderr.splitlines()[-1]
    assert "skipped 1 EPUB files" in result.stderr, "a book of no 知乎助手 page is a side file, as before"
    shown = (site / "answers" / "31415-jia.html").read_text(encoding="utf-8")
    if with_pictures:
        assert result.returncode == 0, result.stderr
        assert re.search(r'<img src="data:image/jpeg;base64,[^"]+"', shown) and "pica.zhimg.com" not in shown
    else:
        assert re.search(r"content/books/深度学习\.epub/OEBPS/image/0a1b2c_v2-6abb2bbf_b\.jpg", result.stderr), "a picture not in the book is said"


def test_a_damaged_epub_is_a_warning_and_the_rest_builds(tmp_path):
    pages = {"27182.html": ARTICLE, "31415.html": QUESTION}
    book = epub(pages, {})
    damaged = book.replace("反向传播就是链式法则".encode(), "反向传播就是链式法侧".encode())  # stored, not deflated: its checksum no longer holds
    site, result = site_built_as_a_user(tmp_path, {"books/坏.epub": b"PK\x03\x04" + b"\x00" * 100, "books/深度学习.epub": damaged,
                                                   "a.md": "# 笔记\n\n正文"})
    assert result.returncode == 0, result.stderr
    assert "content/books/坏.epub: warning: an EPUB that cannot be opened" in result.stderr
    assert re.search(r"content/books/深度学习\.epub/OEBPS/html/31415\.html: warning: a page of an EPUB that cannot be read", result.stderr)
    assert (site / "notes" / "a.html").is_file() and (site / "p" / "27182.html").is_file(), "the book's other pages are read"


def old_question(question: str, title: str, answer_id: str, name: str, token: str, html: str, votes: int, comments: int, edited: str,
                 about: str = "") -> str:
    """A question as the 2016 知乎助手 (Python) wrote it: its title linking the question, each answer's line linking the answer."""
    person = (f'<div class="author-info"><div class="author-base"><div class="author-logo"><img src="https://pic1.zhimg.com/{token}_s.jpg" '
              f'width="25" height="25"></img></div><span class="author-name"><a href="http://www.zhihu.com/people/{token}">{name}</a></span>'
              '<span class="author-sign">学生</span></div><div class="clear-float"></div></div>')
    line = (f'<div class="extra-info"><p class="comment">评论数:{comments}</p><p class="agree">赞同数:{votes}</p>'
            f'<a href="https://www.zhihu.com/question/{question}/answer/{answer_id}"><p class="update-date">更新时间:{edited}</p></a></div>')
    return (f'<div class="bg-zhihu-blue-light"><div class="title-image"></div><div class="question bg-zhihu-blue-light"><div class="question-title">'
            f'<a href="http://www.zhihu.com/question/{question}"><h1 class="bg-zhihu-blue-deep">{title}</h1></a></div><div class="clear-float"></div>'
            f'</div><div class="question-info bg-zhihu-blue-light">{about}</div><div class="clear-float"></div></div>'
            f'<div class="answer"><div class="answer"><div class="author">{person}</div><div class="content">{html}</div>'
            f'<div class="comment">{line}</div></div><hr/></div>')


def old_chapter(*questions: str) -> str:
    """A chapter as the 2016 知乎助手 wrote it: XHTML after an XML declaration, its questions side by side."""
    return ('<?xml version="1.0" encoding="utf-8" standalone="no"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN"\n'
            '  "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"><head><meta charset="UTF-8"/>'
            '<title>机器学习</title></head><body>' + "".join(questions) + "</body></html>")


OLD_CHAPTER = old_chapter(
    old_question("20001", "什么是过拟合？", "30001", "丙", "bing", "<p>训练集上好，测试集上差。</p>", 42, 3, "2016-05-04"),
    old_question("20002", "什么是正则化？", "30002", "丁", "ding", "<p>给损失加上惩罚项。</p>", 7, 0, "2016-06-01", "<p>问题描述二</p>"))


def test_a_2016_article_its_line_links_is_that_article(tmp_path):
    chapter = old_question("0", "卷积入门", "0", "丙", "bing", "<p>卷积正文。</p>", 9, 1, "2016-07-01").replace(
        "https://www.zhihu.com/question/0/answer/0", "https://zhuanlan.zhihu.com/p/20003").replace("http://www.zhihu.com/question/0", "")
    site, result = site_built_as_a_user(tmp_path, {"旧书/chapter_2.xhtml": old_chapter(chapter)})
    assert result.returncode == 0, result.stderr
    assert "1 articles" in result.stderr.splitlines()[-1] and "answers" not in result.stderr.splitlines()[-1], "no answer of a question"
    shown = (site / "p" / "20003.html").read_text(encoding="utf-8")
    assert "卷积正文。" in shown and '<a class="source-link" href="https://zhuanlan.zhihu.com/p/20003">知乎原文</a>' in shown


def test_a_2016_chapter_of_several_questions_gives_each_answer_its_own_id_and_link(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {"旧书/chapter_1.xhtml": OLD_CHAPTER})
    assert result.returncode == 0, result.stderr
    assert "2 questions, 2 answers" in result.stderr.splitlines()[-1]
    shown = (site / "answers" / "30001.html").read_text(encoding="utf-8")
    assert '<a class="source-link" href="https://www.zhihu.com/question/20001/answer/30001">知乎原回答</a>' in shown
    assert "训练集上好，测试集上差。" in shown and "给损失加上惩罚项" not in shown, "each question's answers are its own"
    assert "42 赞同" in shown and "3 评论" in shown and "2016-05-04" in shown
    assert "给损失加上惩罚项。" in (site / "answers" / "30002.html").read_text(encoding="utf-8")
    question = (site / "questions" / "20002.html").read_text(encoding="utf-8")
    assert "什么是正则化？" in question and "问题描述二" in question, "the question's own text, shown under its title"


def test_a_page_cut_short_says_so_and_keeps_what_it_holds(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {"书/html/31415.html": QUESTION[:QUESTION.index("补充一点")]})
    assert result.returncode == 0, result.stderr
    assert re.search(r"content/书/html/31415\.html: warning: saved page cut short: it ends before </html>", result.stderr)
    assert "反向传播就是链式法则" in (site / "answers" / "31415-jia.html").read_text(encoding="utf-8")
