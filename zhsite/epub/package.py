"""An EPUB 3 container, written by hand with zipfile: the same book is the same bytes.

EbookLib would write the same few files, but it stamps the current time on
every zip entry and re-serialises the pages it is given; the container is
four small XML files, so zhsite writes them itself and keeps the bytes
deterministic (fixed entry times, a fixed order, ``mimetype`` first and
stored, as the OCF specification requires).
"""
from __future__ import annotations

import io
import mimetypes
import zipfile
from dataclasses import dataclass, field

from zhsite.epub.xhtml import escape

_CONTAINER = b"""<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""
_ENTRY_TIME = (2000, 1, 1, 0, 0, 0)
_MEDIA_TYPES = {".xhtml": "application/xhtml+xml", ".css": "text/css", ".svg": "image/svg+xml", ".woff2": "font/woff2",
                ".webp": "image/webp", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif"}

# What EPUB 3.2 lets a page show without a fallback (zhsite/epub/pictures.py redraws the rest).
CORE_PICTURES = frozenset({"image/jpeg", "image/png", "image/gif", "image/svg+xml"})


@dataclass
class Package:
    """What goes into the book, by path under ``EPUB/``; *spine*: the reading order, by path."""

    identifier: str
    title: str
    language: str
    modified: str  # CCYY-MM-DDThh:mm:ssZ: the newest date in the book, so a rebuild does not change it
    date: str = ""  # CCYY-MM-DD: the oldest, when the column began
    creators: list[str] = field(default_factory=list)
    description: str = ""
    source: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    spine: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)  # path -> manifest properties (nav, cover-image, mathml, svg)

    def zip(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as book:
            _put(book, "mimetype", b"application/epub+zip", zipfile.ZIP_STORED)
            _put(book, "META-INF/container.xml", _CONTAINER)
            _put(book, "EPUB/package.opf", self._opf())
            for path in sorted(self.files):
                _put(book, f"EPUB/{path}", self.files[path])
        return out.getvalue()

    def _opf(self) -> bytes:
        ids = {path: f"f{i}" for i, path in enumerate(sorted(self.files))}
        manifest = "\n".join(
            f'<item id="{ids[path]}" href="{escape(path)}" media-type="{media_type(path)}"'
            + (f' properties="{self.properties[path]}"' if path in self.properties else "") + "/>"
            for path in sorted(self.files))
        spine = "\n".join(f'<itemref idref="{ids[path]}"/>' for path in self.spine)
        meta = [f"<dc:identifier id=\"book-id\">{escape(self.identifier)}</dc:identifier>",
                f"<dc:title>{escape(self.title)}</dc:title>", f"<dc:language>{escape(self.language)}</dc:language>",
                f'<meta property="dcterms:modified">{self.modified}</meta>']
        meta += [f"<dc:date>{escape(self.date)}</dc:date>"] if self.date else []
        meta += [f"<dc:creator>{escape(name)}</dc:creator>" for name in self.creators]
        meta += [f"<dc:description>{escape(self.description)}</dc:description>"] if self.description else []
        meta += [f"<dc:source>{escape(self.source)}</dc:source>"] if self.source else []
        cover = next((ids[p] for p, props in sorted(self.properties.items()) if "cover-image" in props), "")
        meta += [f'<meta name="cover" content="{cover}"/>'] if cover else []
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" '
            f'xml:lang="{escape(self.language)}">\n<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            + "\n".join(meta) + f"\n</metadata>\n<manifest>\n{manifest}\n</manifest>\n<spine>\n{spine}\n</spine>\n</package>\n"
        ).encode("utf-8")


def media_type(path: str) -> str:
    suffix = path[path.rfind("."):].lower() if "." in path else ""
    return _MEDIA_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def _put(book: zipfile.ZipFile, name: str, data: bytes, compression: int = zipfile.ZIP_DEFLATED) -> None:
    info = zipfile.ZipInfo(name, date_time=_ENTRY_TIME)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    book.writestr(info, data)
