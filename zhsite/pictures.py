"""Which picture an element of archive HTML shows, and where that picture is: one answer for every stage.

The rewrite passes keep or make a page's pictures from these answers
(zhsite/rewrite/images.py, links.py, local_images.py), and the image phase,
which runs before them, lists the pictures to fetch from the same answers
(:func:`shown`, zhsite/images/collect.py): a pass that shows a picture from
another attribute changes it here, and the image phase fetches it too.  The
loader asks which image paths are files on disk (zhsite/load/markdown.py)
and which files are pictures, by their bytes (:func:`image_format`); the
image phase and the link passes which file an author's link names (:func:`linked_file`).
A leaf: it imports nothing of zhsite, so neither stage imports the other.
"""
from __future__ import annotations

import base64
import html
import posixpath
import re
import struct
from urllib.parse import unquote, urlsplit

from lxml.html import HtmlElement

# The warning for a picture the site has no copy of, said by the image phase and by the rewrite alike.
IMAGE_NOT_SAVED = "image not saved, shown as a placeholder"
# The attribute holding a card's thumbnail: a link card's (data-image), a video card's (data-poster).
THUMBNAILS = ("data-image", "data-poster")

# Magic bytes → extension; the bytes decide, never the URL or the server.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp"),
    (b"\x00\x00\x01\x00", "ico"),
)
_WINDOWS = re.compile(r"^[a-z]:[\\/]|^\\\\", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]+:", re.I)  # two letters at least: "C:" is a Windows drive


def _has_class(element: HtmlElement, name: str) -> bool:
    return name in (element.get("class") or "").split()


def is_formula(img: HtmlElement) -> bool:
    """A formula drawn as a picture (Zhihu's ``eeimg``, its equation service; 语雀's with its TeX): shown as MathML,
    never fetched."""
    return _has_class(img, "math-image") or bool(img.get("eeimg")) or is_formula_address(img.get("src") or "")


def is_formula_address(url: str) -> bool:
    """The address of a formula's picture: Zhihu's equation service, or 语雀's picture that keeps its TeX."""
    return "zhihu.com/equation" in url or bool(yuque_tex(url))


def yuque_tex(url: str) -> str:
    """The TeX of a formula 语雀 (Yuque) drew as a picture, which its Markdown export writes as
    ``https://cdn.nlark.com/yuque/__latex/<md5>.svg#card=math&code=<the TeX, URL-encoded>&id=…``; "" for any other
    address, and for a formula exported without its ``code`` (newer exports: only the picture is left)."""
    if "/__latex/" not in url:
        return ""
    fields = dict(part.partition("=")[::2] for part in urlsplit(url.strip()).fragment.split("&"))
    return unquote(fields.get("code", "")).strip() if fields.get("card") == "math" else ""


def source(img: HtmlElement) -> str:
    """The picture an ``<img>`` shows: Zhihu's lazy-loading hides it behind a blank placeholder."""
    if _has_class(img, "ztext-gif"):
        # A still (``data-thumbnail``) stands in until a click; the archive shows the GIF itself.
        gifs = (img.get(attr) or "" for attr in ("data-actualsrc", "data-original", "src"))
        gif = next((url.strip() for url in gifs if urlsplit(url.strip()).path.endswith(".gif")), "")
        if gif:
            return https(gif)
    for attr in ("data-actualsrc", "src", "data-original", "data-thumbnail"):
        value = (img.get(attr) or "").strip()
        if value and not is_placeholder(value):
            return https(value)
    return ""


# Hosts that serve every picture over https too (Zhihu's): an ``http:`` address of theirs is made ``https:``, as a
# page of a site published over https may not load a picture over plain http (browsers block or upgrade it).
# Whether another host does cannot be told offline: its ``http:`` pictures are kept, and said (rewrite/local_images.py).
_HTTPS_HOSTS = re.compile(r"(?:^|\.)(?:zhimg|zhihu)\.com$", re.I)


def https(url: str) -> str:
    """A protocol-relative URL (``//pic1.zhimg.com/…``) made ``https:``, as from ``file://`` it would name the disk;
    an ``http:`` one too on a host known to serve https (:data:`_HTTPS_HOSTS`)."""
    if url.startswith("//"):
        return "https:" + url
    if url[:7].lower() == "http://" and _HTTPS_HOSTS.search(_host(url)):
        return "https://" + url[7:]
    return url


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # "http://[broken" and the like
        return ""


# Lazy-loading stand-ins exporters leave as ``src``: an inline blank, or Zhihu's white dot.
_PLACEHOLDER = re.compile(r"^data:|/whitedot\.(?:jpe?g|png|gif)(?:[?#].*)?$", re.I)
# A picture written into the text itself (a notebook's plot, a note's pasted screenshot), in a format browsers show;
# an SVG in base64 (Zhihu's blank stand-in is an SVG written out: data:image/svg+xml;utf8,<svg …></svg>).
DATA_PICTURE = re.compile(r"data:image/(?:png|jpeg|gif|webp|svg\+xml);base64,", re.I)
# What an SVG draws with: one that holds none of these draws nothing (a stand-in's box).
_SVG_DRAWING = re.compile(rb"<(?:[\w-]+:)?(?:path|rect|circle|ellipse|line|polyline|polygon|text|image|use)\b", re.I)
# A lazy loader's stand-in is a PNG or GIF of a few pixels (1×1 mostly): no picture of anything.
BLANK_PIXELS = 4


def is_placeholder(url: str) -> bool:
    """A blank that stood in for a picture until a script loaded it: never the picture itself."""
    url = url.strip()
    return bool(_PLACEHOLDER.search(url)) and not is_data_picture(url)


def is_data_picture(url: str) -> bool:
    """A ``data:`` URL holding a picture (PNG, JPEG, GIF, WebP, as its bytes say) that is no blank of a few pixels,
    or an SVG that draws something: kept in the page (an SVG filtered by the sanitiser).  Judged by its first bytes,
    the format's header, alone; an SVG by its elements."""
    start = DATA_PICTURE.match(url)
    if start is None:
        return False
    if url[start.end() - 15:start.end()].lower() == "svg+xml;base64,":
        drawing = data_picture_bytes(url)
        return drawing is not None and _SVG_DRAWING.search(drawing) is not None
    try:  # base64 may be wrapped in lines (a notebook's; %0A once sanitised); its first 48 bytes hold the format and size
        head = base64.b64decode("".join(unquote(url[start.end():start.end() + 256]).split())[:64], validate=True)
    except ValueError:
        return False
    kind = image_format(head)
    if kind == "png" and len(head) >= 24:
        return _pixels(head[16:24], ">II") > BLANK_PIXELS
    if kind == "gif" and len(head) >= 10:
        return _pixels(head[6:10], "<HH") > BLANK_PIXELS
    return kind in ("jpg", "webp")


def data_picture_bytes(url: str) -> bytes | None:
    """The bytes of a ``data:`` picture (:func:`is_data_picture`), for a file of their own (an e-book's); None when they
    are no base64.  A page's copy may have its line breaks percent-encoded (``%0A``)."""
    start = DATA_PICTURE.match(url)
    if start is None:
        return None
    try:
        return base64.b64decode("".join(unquote(url[start.end():]).split()), validate=True)
    except ValueError:
        return None


def _pixels(size: bytes, layout: str) -> int:
    width, height = struct.unpack(layout, size)
    return width * height


def full_size(img: HtmlElement) -> str:
    """The full-size variant an ``<img>``'s zoom link opens (Zhihu's ``_r``), or ""."""
    return https((img.get("data-original") or "").strip())


def thumbnail(card: HtmlElement, attribute: str) -> str:
    """The thumbnail a link or video card shows: its *attribute* (one of :data:`THUMBNAILS`), else the picture inside it."""
    img = card.find(".//img")
    return https((card.get(attribute) or (img.get("src") if img is not None else "") or "").strip())


def shown(element: HtmlElement) -> list[str]:
    """The pictures *element* shows once rewritten, as written ("" for none): a figure's and its full size, a card's thumbnail.

    A card's picture inside it is an ``<img>`` of its own, listed as one.
    """
    if element.tag == "img":
        return [] if is_formula(element) else [source(element), full_size(element)]
    if element.tag == "a":
        return [(element.get(attribute) or "").strip() for attribute in THUMBNAILS]
    return []


# The pictures one fragment (a post's text, a comment) shows as pictures; those past it are their addresses as
# text (issue #32).  Each picture shown costs kilobytes in every stage (an entry of the image phase, a warning
# when it cannot be had, elements in the rewrite, the search's reading, a figure on the page): a post of a
# million pictures took 7.5 GB, and 2.4 GB with each past the limit a link.  Text costs its characters: no
# stage makes an element of it.  Real posts show tens of pictures, a few hundred at most.
MAX_PICTURES = 5_000
# An <img> start tag as the HTML tokenizer reads it: quoted values may hold ">", and an unclosed quote or tag
# runs to the end.  Possessive and unable to fail once begun, so one pass finds them all (as tree._TAG).
_IMG_TAG = re.compile(r"""<img(?=[\s/>])(?:[^>"']++|"[^"]*+"?|'[^']*+'?)*+>?""", re.I)
_ATTRIBUTE = re.compile(r"""([^\s=/>"']++)(?:\s*+=\s*+(?:"([^"]*+)"|'([^']*+)'|([^\s>"']++)))?""")
_IMG_START = re.compile(r"<img", re.I)
_NOSCRIPT_BETWEEN = re.compile(r"\s*</noscript\s*>\s*", re.I)


class _Tag(dict):
    """An ``<img>``'s attributes, read from its tag alone: what :func:`source` and :func:`is_formula` ask of an element."""

    @classmethod
    def read(cls, tag: str) -> _Tag:
        return cls((m[1].lower(), html.unescape(m[2] or m[3] or m[4] or "")) for m in _ATTRIBUTE.finditer(tag, 4))


def past_the_limit(fragment: str) -> tuple[str, int]:
    """*fragment* (HTML) with each ``<img>`` past its first :data:`MAX_PICTURES` pictures from the web written as
    its address, in text; and how many were.

    On the HTML before any parse: the image phase (zhsite/images/collect.py) and the
    rewrite (zhsite/rewrite/__init__.py) both call it, so they agree on which pictures
    are pictures, and neither makes an element of the others.  Formulas are no
    pictures, nor is a picture on disk beside a note (its author's own files bound
    it).  Zhihu's figure holds a ``<noscript>`` copy before its lazy-loading
    ``<img>``: both count, but an address is written once.
    """
    # Every real post returns here: a text too short to hold that many tags is not even scanned.
    if len(fragment) <= len("<img>") * MAX_PICTURES or sum(1 for _ in _IMG_START.finditer(fragment)) <= MAX_PICTURES:
        return fragment, 0
    parts, seen, written, last, last_address = [], 0, 0, 0, ""
    for match in _IMG_TAG.finditer(fragment):
        tag = _Tag.read(match[0])
        address = "" if is_formula(tag) else source(tag)
        if not absolute(address):
            continue
        seen += 1
        if seen <= MAX_PICTURES:
            continue
        between = fragment[last:match.start()]
        copy = address == last_address and _NOSCRIPT_BETWEEN.fullmatch(between) is not None
        parts += [between, "" if copy else f" {html.escape(address)} "]
        written += not copy
        last, last_address = match.end(), address
    return "".join([*parts, fragment[last:]]), written


def absolute(url: str) -> str:
    """*url* as an http(s) URL to fetch, or "" when it is not one (data:, relative, formula images)."""
    url = https(url.strip())
    if not url.lower().startswith(("http://", "https://")) or is_formula_address(url) or not _host(url):
        return ""
    return url


def is_local_path(src: str) -> bool:
    """An image written as a path on disk (or a ``file:`` URL) rather than a URL or an anchor."""
    src = src.strip()
    if not src or src.startswith(("#", "//")):
        return False
    return not _SCHEME.match(src) or src.lower().startswith("file:")


def is_absolute_path(src: str) -> bool:
    """``/Users/…``, ``C:\\…``, ``\\\\server\\…`` or ``file:///…``: a place on some disk, not beside the Markdown."""
    src = src.strip()
    return src.startswith("/") or is_windows_path(src) or src.lower().startswith("file:")


def is_windows_path(src: str) -> bool:
    """``C:\\…`` or ``\\\\server\\…``: an absolute path on Windows."""
    return bool(_WINDOWS.match(src))


# Before a linked file's path among the image phase's copies of files on disk: an attachment, not a picture.
ATTACHED = "link:"
# Before an absolute path there when it names a note under content/ (by its longest tail): the note's source, not a copy.
LINKED_NOTE = "note:"


def linked_file(href: str, source: str) -> str | None:
    """The file an author's link names from the file *source*: a relative link's path relative to the project
    (``files/paper.pdf`` in ``content/笔记/a.md`` → ``content/笔记/files/paper.pdf``); an absolute path on a
    disk (``/Users/me/paper.pdf``, ``C:\\…\\paper.pdf``, ``file:///…``) as written, decoded (:func:`is_absolute_path`
    tells it); None for any other link: one with a scheme or host, a fragment alone.

    A note links other notes and its attachments so (zhsite/rewrite/links.py); the image phase copies the
    attachments it names (zhsite/images/files.py): both ask here, so both mean the same file.
    """
    href = href.strip()
    parts = urlsplit(href)
    if parts.scheme.lower() == "file":
        return unquote(parts.path) or None
    if is_windows_path(unquote(href)):  # C:%5CUsers%5C… as Markdown writes C:\\Users\\…, read as a scheme "c"
        return unquote(href).split("#", 1)[0].replace("\\", "/")
    written = unquote(parts.path)
    if not href or parts.scheme or parts.netloc or href.startswith("#") or not parts.path:
        return None
    if href.startswith("/"):
        return written
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), written))


def wikilinked_file(name: str) -> str | None:
    """``[[paper.pdf]]`` (Obsidian's link to a file of the vault, found by its name anywhere in it), from a wikilink's
    *name* (``paper.pdf#page=3``): the file's name in brackets, as the image phase enters its copy; None for a name
    with no file suffix, or a note's (``[[注意力]]``, ``[[笔记.md]]``), which names a page."""
    title = name.partition("#")[0].strip()
    suffix = posixpath.splitext(title)[1].lower()
    if not _FILE_SUFFIX.fullmatch(suffix) or suffix in (".md", ".markdown", ".txt", ".html", ".htm"):
        return None
    return f"[[{title}]]"


_FILE_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")


# The picture formats a page shows from inside an archive (an e-book, a Joplin export, a 为知笔记 note) as ``data:`` URLs.
_SHOWN_INSIDE = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


# A picture past this is not put inside its page (nor read): the page says it is not in the archive.
INSIDE_BYTES = 64 * 1024 * 1024


def picture_data_url(data: bytes) -> str | None:
    """The ``data:`` URL that shows *data* in a page when its bytes are a PNG, JPEG, GIF or WebP picture, else None."""
    mime = _SHOWN_INSIDE.get(image_format(data))
    return f"data:{mime};base64,{base64.b64encode(data).decode()}" if mime else None


def image_format(data: bytes) -> str:
    """The image format of *data* as a file extension, or "" when it is not a known image: the bytes decide, never the name."""
    for magic, ext in _MAGIC:
        if data.startswith(magic):
            return ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:12] in (b"ftypavif", b"ftypavis"):
        return "avif"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in head:
        return "svg"
    return ""
