"""Pictures in e-books: from the local image step (a real image server on 127.0.0.1, ``[images] dirs``), each stored once."""
from __future__ import annotations

import base64
import io
import json

from PIL import Image

from tests.conftest import make_project
from tests.epub.conftest import NS, Book, epub, epubcheck
from zhsite.epub.package import CORE_PICTURES

V2 = "v2-" + "cd" * 16  # a Zhihu picture id
# A 1×1 lossless WebP: not a core image type of EPUB 3.2.
WEBP = base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")


def pictures_project(root, image_server):
    contents = [
        f'<figure><img src="https://pic1.zhimg.com/{V2}_r.jpg" data-rawwidth="640" data-rawheight="480"/><figcaption>图一</figcaption></figure>',
        f'<p><img src="https://pic2.zhimg.com/{V2}_b.jpg" data-rawwidth="640" data-rawheight="480"></p>'
        '<p><img src="https://img.example.org/dot.webp"></p><p><img src="https://img.example.org/gone-missing.png"></p>',
    ]
    articles = [{"url": f"https://zhuanlan.zhihu.com/p/{300 + i}", "title": f"图 {i}", "userName": "作者", "content": c}
                for i, c in enumerate(contents)]
    project = make_project(root, {"pics.json": json.dumps({"title": "图片专栏", "url": "https://zhuanlan.zhihu.com/pics", "article": articles})},
                           image_server.config(dirs=["folder"]))
    (project / "folder").mkdir()
    (project / "folder" / "dot.webp").write_bytes(WEBP)
    return project


def pictures_of(book: Book) -> dict[str, list[str]]:
    """Each chapter's picture addresses, as the book's pages give them (relative to EPUB/)."""
    return {href: [f"p/{img.get('src')}".replace("p/../", "") for img in book.page(href).iterfind(".//x:img", NS)]
            for href in book.chapters()}


def test_pictures_embedded_once_in_core_formats_and_the_missing_one_boxed(tmp_path, image_server):
    project = pictures_project(tmp_path, image_server)
    run = epub(project)
    assert run.returncode == 0, run.stderr
    assert "wrote epub/pics.epub: 2 chapters, 2 pictures embedded, 1 missing (shown as a box with their address)" in run.stderr
    book = Book(project / "epub" / "pics.epub")
    shown = pictures_of(book)
    assert len(shown["p/300.xhtml"]) == 1 and len(shown["p/301.xhtml"]) == 2
    assert shown["p/300.xhtml"][0] == shown["p/301.xhtml"][0], "two variants of one Zhihu picture: one file"
    types = book.media_types()
    stored = sorted(href for href, kind in types.items() if kind.startswith("image/") and href != "cover.svg")
    assert stored == sorted({src for srcs in shown.values() for src in srcs})
    assert all(types[href] in CORE_PICTURES for href in stored), "the WebP redrawn as PNG"
    assert book.zip.read(f"EPUB/{shown['p/301.xhtml'][1]}").startswith(b"\x89PNG")
    first = book.page("p/300.xhtml").find(".//x:img", NS)
    assert (first.get("width"), first.get("height")) == ("640", "480")
    box = book.page("p/301.xhtml").find(".//x:span[@class='image-unavailable-address']", NS)
    assert box is not None and box.text == "https://img.example.org/gone-missing.png", "the address shown, not only on hover"
    epubcheck(project / "epub" / "pics.epub")


def test_offline_from_the_cache_the_same_book(tmp_path, image_server):
    project = pictures_project(tmp_path, image_server)
    assert epub(project).returncode == 0
    first = (project / "epub" / "pics.epub").read_bytes()
    image_server.reset()
    again = epub(project, "--offline", "-o", str(tmp_path / "again"))
    assert again.returncode == 0 and image_server.total == 0
    assert (tmp_path / "again" / "pics.epub").read_bytes() == first


def test_pictures_written_into_the_text_are_files_of_the_book(tmp_path):
    # A data: picture (an Evernote clip's, a Word note's, a notebook's plot) is a file in the book, named by its bytes.
    png = Image.new("RGB", (30, 20))
    png.putdata([((x * 7) % 256, 90, 30) for x in range(600)])
    written = io.BytesIO()
    png.save(written, "PNG")
    shown = base64.b64encode(written.getvalue()).decode()
    wrapped = "%0A".join(shown[i:i + 76] for i in range(0, len(shown), 76))  # as a page's copy may carry its line breaks
    content = (f'<p>图：</p><p><img src="data:image/png;base64,{shown}"></p><p><img src="data:image/png;base64,{wrapped}"></p>'
               f'<p><img src="data:image/webp;base64,{base64.b64encode(WEBP).decode()}"></p>')
    article = {"url": "https://zhuanlan.zhihu.com/p/400", "title": "剪藏", "userName": "作者", "content": content}
    project = make_project(tmp_path, {"clips.json": json.dumps({"title": "剪藏专栏", "url": "https://zhuanlan.zhihu.com/clips", "article": [article]})})
    run = epub(project, "--offline")
    assert run.returncode == 0, run.stderr
    book = Book(project / "epub" / "clips.epub")
    shown_in_book = pictures_of(book)["p/400.xhtml"]
    assert len(shown_in_book) == 3 and shown_in_book[0] == shown_in_book[1], "one picture twice: one file"
    assert not any(src.startswith("data:") for src in shown_in_book)
    assert book.zip.read(f"EPUB/{shown_in_book[0]}") == written.getvalue()
    assert book.media_types()[shown_in_book[2]] == "image/png", "the WebP redrawn as PNG"
    epubcheck(project / "epub" / "clips.epub")
