"""E-books in the content folder: a 知乎助手 (ZhihuHelp) book read as the pages it holds.

知乎助手 writes each book it saves as an EPUB, and for many users the
``.epub`` is all that is left of a column: its ``OEBPS/html/<id>.html`` pages
are those of the book's HTML folder (zhsite/load/zhihuhelp.py), and its
pictures are inside it (``OEBPS/image/``), put in the page as ``data:`` URLs
as a Word file's are.  The pages are read in the book's reading order (its
package's spine).  An e-book with no such page (a textbook, a novel, a book
zhsite made) is counted as a side file, as before.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Callable
from urllib.parse import unquote

from lxml import etree

from zhsite.load.loaded import Loaded
from zhsite.load.zhihuhelp import is_zhihuhelp_page, posts_of_page
from zhsite.pictures import picture_data_url
from zhsite.problems import Problem

NOT_OPENED = "an EPUB that cannot be opened"
PAGE_NOT_READ = "a page of an EPUB that cannot be read"
EBOOKS = "EPUB files"  # what a side file of its kind is counted as (zhsite/load/sniff.py binary_kind)
# A page or picture of more than this is no book's: it is not read (a page is said to be not read).
_PAGE_BYTES = 64 * 1024 * 1024
# What reading a file of a zip raises besides BadZipFile: damaged data, an encrypted file, a compression zipfile lacks.
_UNREADABLE = (zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)
_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def is_ebook(name: str) -> bool:
    return name.lower().endswith(".epub")


def read_ebook(data: bytes, name: str) -> Loaded:
    """The 知乎助手 pages of the book, in its reading order; a book with none is counted as an EPUB file."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        pages = _reading_order(book)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError, *_UNREADABLE) as exc:
        # A warning: the book may be anyone's (a textbook), and nothing of the archive was in it, as far as is known.
        return Loaded(problems=[Problem(name, "", NOT_OPENED, f"{type(exc).__name__}: {exc}; not read", severity="warning")])
    loaded = Loaded()
    for page in pages:
        data = _member(book, page)
        if data is None:
            loaded.problems.append(Problem(f"{name}/{page}", "", PAGE_NOT_READ, "damaged, encrypted or too large; the book's other pages are read",
                                           severity="warning"))
            continue
        text = data.decode("utf-8", "replace")
        if is_zhihuhelp_page(text):
            loaded.add(posts_of_page(text, f"{name}/{page}", pictures_inside(book, page)))
    if not (loaded.columns or loaded.problems):
        loaded.skipped[EBOOKS] += 1
    return loaded


def _reading_order(book: zipfile.ZipFile) -> list[str]:
    """The book's pages as its package lists them in its spine (META-INF/container.xml names the package)."""
    container = etree.fromstring(book.read("META-INF/container.xml"), _XML)
    package_path = container.xpath("string(//*[local-name()='rootfile']/@full-path)")
    package = etree.fromstring(book.read(package_path), _XML)
    where = posixpath.dirname(package_path)
    items = {item.get("id"): item.get("href", "") for item in package.xpath("//*[local-name()='manifest']/*[local-name()='item']")}
    order = [items.get(ref.get("idref"), "") for ref in package.xpath("//*[local-name()='spine']/*[local-name()='itemref']")]
    names = set(book.namelist())
    return [path for href in order if href and (path := posixpath.normpath(posixpath.join(where, unquote(href)))) in names]


def _member(book: zipfile.ZipFile, path: str) -> bytes | None:
    """A file of the book, or None when it cannot be read whole (damaged, encrypted, past :data:`_PAGE_BYTES`)."""
    try:
        if book.getinfo(path).file_size > _PAGE_BYTES:
            return None
        return book.read(path)
    except (zipfile.BadZipFile, *_UNREADABLE):
        return None


def pictures_inside(book: zipfile.ZipFile, page: str) -> Callable[[str], str | None]:
    """What shows a picture the page names by a path inside the book: its ``data:`` URL, or None when the book does not hold it as a picture."""
    names = set(book.namelist())

    def inside(src: str) -> str | None:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(src.split("?", 1)[0].split("#", 1)[0])))
        data = _member(book, path) if path in names else None
        return picture_data_url(data or b"")
    return inside
