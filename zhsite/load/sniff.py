"""Which loader reads a file is decided by its bytes, never by its extension.

Archives arrive as ``.txt`` that hold JSON, Markdown saved as ``.txt`` and
GBK text from old Windows tools, so names are no guide.
"""
from __future__ import annotations

import re
from typing import Literal

import filetype

Kind = Literal["json", "markdown", "text", "html", "mhtml", "xml"]
NUL = b"\x00"


class UndecodableError(ValueError):
    pass


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030; CRLF folded to LF."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = _decode_as(data, "utf-8", "UTF-8")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if len(data) % 2:
            raise UndecodableError(f"UTF-16 byte-order mark, but an odd number of bytes ({len(data)}): the last character is cut off")
        text = _decode_as(data, "utf-16", "UTF-16")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as utf8_error:
            if NUL in data:
                raise UndecodableError(f"binary data, not text (byte {data.find(NUL)} is NUL)") from None
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise UndecodableError(
                    f"neither UTF-8 nor GB18030 (first bad byte at offset {utf8_error.start})"
                ) from None
    if "\x00" in text:
        raise UndecodableError("binary data, not text (contains NUL)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_as(data: bytes, codec: str, name: str) -> str:
    """*data* in the encoding its byte-order mark names; the mark is a promise, so no other is tried."""
    try:
        return data.decode(codec).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise UndecodableError(f"{name} byte-order mark, but byte {exc.start} is not {name}") from None


# Constructs a plain-text page rarely holds by accident; one of them is enough.
# Every pattern is linear by construction, so no line (80,000 "[" in a row, 100,000
# blank lines) makes sniffing slow: no run may cross a newline it has to give back
# ([ \t] rather than \s), a link's text stops at the next "[" and its address at the
# next bracket or parenthesis (50,000 "[a](" took 16 s when it ran on), and the TeX pattern
# is possessive, each attempt ending at the next "$" or newline.
_MARKDOWN_SIGNS = [
    re.compile(r"^(```|~~~)", re.M),  # fenced code
    re.compile(r"!?\[[^\[\]\n]*\]\([^()\[\]\s]+\)"),  # link or image
    re.compile(r"^\$\$|\$\$$", re.M),  # display TeX
    re.compile(r"^\|?[ \t]*:?-{3,}:?[ \t]*\|", re.M),  # table rule
    re.compile(r"\A(---|\+\+\+)\n"),  # front matter
    re.compile(r"\A\s*#{1,6}[ \t]+[^!\s-]"),  # opens with a heading
    re.compile(r"\A\s*[A-Za-z][\w-]*+:: \S"),  # opens with a Logseq page property (title:: …)
    re.compile(r"^[ \t]*- [^\n]*+\n\t++- ", re.M),  # a bullet under a bullet, a tab in: Logseq's outline
    re.compile(r"\A\s*+- [^\n]*+(?:\n[ \t]*+(?:- [^\n]*+)?)*+\s*\Z"),  # every line a bullet: an outline (Logseq's journal)
    re.compile(r"^[ \t]*- [^\n]*+\n[ \t]++[A-Za-z][\w-]*+:: ", re.M),  # a block's property under it (collapsed:: true)
]
# Constructs scraped text also has (shell comments, "- " lines): only several together count.
_WEAK_SIGNS = [
    re.compile(r"^#{1,6}[ \t]+[^!\s-]", re.M),  # heading, not a shebang or coding line
    re.compile(r"^[ \t]*[-*+] \S", re.M),  # bullet list
    re.compile(r"\*\*[^*\n]+\*\*"),  # strong emphasis
    re.compile(r"(?<![$\\])\$[^$\s](?:[^$\n\\]|\\(?![a-zA-Z]))*+\\[a-zA-Z][^$\n]*+\$"),  # inline TeX with a command
]


def binary_kind(data: bytes) -> str | None:
    """What a binary file is, in the plural, from its magic bytes ("images", "PDFs", "ZIP files"); None for text.

    Export folders hold the pictures, PDFs and zips that came with the posts.
    """
    head = data[:8192]
    if head.lstrip()[:1] in (b"{", b"[", b"<"):  # JSON or HTML, most of an export folder: no magic starts so
        return None
    guessed = filetype.guess(head)
    if guessed is None:
        return "other binary files" if NUL in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")) else None
    mime = guessed.mime
    for prefix, plural in (("image/", "images"), ("video/", "videos"), ("audio/", "audio files"), ("font/", "fonts"), ("application/pdf", "PDFs")):
        if mime.startswith(prefix):
            return plural
    return f"{guessed.extension.upper()} files"


# Text that opens with an element (an exporter's one-post file, a note saved as HTML, a Markdown note under
# a <meta name="referrer">) is HTML when it closes a block and has no sign of Markdown, else Markdown (which
# reads its HTML blocks as HTML): as plain text its tags would show.
_HTML_OPENING = re.compile(r"<(?:meta|link|title|head|body|h[1-6]|p|div|article|section|header|main|table|ul|ol|blockquote|figure|pre)[\s/>]", re.I)
_HTML_BLOCK_END = re.compile(r"</(?:h[1-6]|p|div|article|section|li|table|figure|blockquote|pre)\s*>", re.I)


def is_whole_page(text: str) -> bool:
    """A web page as a browser saves it, not a fragment (the comment is the note browsers put above a saved page);
    also written as XHTML, after an XML declaration."""
    opening = text.lstrip()[:300].lower()
    opening = opening[opening.index("?>") + 2:].lstrip() if opening.startswith("<?xml") and "?>" in opening else opening
    return opening.startswith(("<!doctype html", "<html", "<!-- saved from url="))


def is_xml(text: str) -> bool:
    """An XML document that is no web page: an Evernote export (``<en-export>``, with or without its declaration), a feed."""
    opening = text.lstrip()[:300].lower()
    return opening.startswith(("<?xml", "<en-export", "<!doctype en-export")) and not is_whole_page(text)


def sniff(text: str) -> Kind:
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return "json"
    opening = stripped[:200].lower()
    if is_whole_page(text):
        return "html"
    if is_xml(text):
        return "xml"
    if opening.startswith(("from: <saved by", "mime-version:")) or "content-type: multipart/related" in opening:
        return "mhtml"
    if any(sign.search(text) for sign in _MARKDOWN_SIGNS):
        return "markdown"
    weak = sum(1 for sign in _WEAK_SIGNS if sign.search(text))
    if _HTML_OPENING.match(stripped):
        return "html" if not weak and _HTML_BLOCK_END.search(stripped) else "markdown"
    return "markdown" if weak >= 3 else "text"
