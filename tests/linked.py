"""A small archive whose pages link each other: a column of three articles, and a note linking them by wikilink.

Written from the documented fields of a column dump (``title``, ``article``:
``url``, ``title``, ``userName``, ``content``, ``topic``) and of a Markdown
note; shared by the tests of backlinks, previews, wikilinks and related pages.
"""
from __future__ import annotations

import json
import struct
import zlib

COLUMN = "linked.json"
NOTE = "读书笔记.md"
# What the linking sentences say, as a reader sees them under 被引用.
FROM_A = "正如乙文所说，池化很有用。"
FROM_C = "参见这里。"
FROM_NOTE = "我读了文章乙，又看了甲文。"
B_OPENS = "乙的第一段讲池化层为什么有用。"


def _article(number: int, title: str, content: str, topics: list[str]) -> dict:
    return {"url": f"https://zhuanlan.zhihu.com/p/{number}", "title": title, "userName": "作者", "content": content,
            "topic": [{"tag": name} for name in topics]}


def column(a_links_b: bool = True) -> str:
    """Article 101 (甲) links 102 (乙) unless told not to; 103 (丙) links 102 and 101."""
    a_text = ('<p>开头一句。正如<a href="https://zhuanlan.zhihu.com/p/102">乙文</a>所说，池化很有用。后面一句。</p>' if a_links_b
              else "<p>开头一句。正如乙文所说，池化很有用。后面一句。</p>")
    articles = [
        _article(101, "文章甲", a_text, ["池化"]),
        _article(102, "文章乙", f"<p>{B_OPENS}</p><p>第二段。</p>", ["池化"]),
        _article(103, "文章丙", '<p>参见<a href="https://zhuanlan.zhihu.com/p/102">这里</a>。</p>'
                                '<p>还有<a href="https://zhuanlan.zhihu.com/p/101#x">甲</a>。</p>', ["卷积"]),
    ]
    return json.dumps({"title": "链接专栏", "article": articles}, ensure_ascii=False)


NOTE_TEXT = """# 读书笔记

我读了[[文章乙]]，又看了[[文章甲|甲文]]。

![[图.png]]

还有[[不存在的页]]，以及 `[[代码里的]]` 和 `![[代码.png]]`。
"""
UNRESOLVED_LINE = 7


def png() -> bytes:
    """A 2×2 picture (PNG, written here rather than copied from anywhere)."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def files(a_links_b: bool = True) -> dict[str, str | bytes]:
    return {COLUMN: column(a_links_b), NOTE: NOTE_TEXT, "图.png": png()}
