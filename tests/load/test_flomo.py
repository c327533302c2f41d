"""flomo (浮墨笔记) "导出所有数据 (HTML)": one page of every memo, each memo a note.

The fixture follows the page flomo writes, as the public flomo importers read
it (flomo-to-obsidian, flomo2md: ``div.memos`` of ``div.memo``, each with
``div.time``, ``div.content`` and ``div.files``, pictures under ``file/``).
Before, the export was one skipped page snapshot and the site had no note.
"""
from __future__ import annotations

import re

from tests.conftest import site_built_as_a_user

PICTURE = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
PAGE = """<!DOCTYPE html>
<html>
<head><meta charset="UTF-8"><title>flomo · 浮墨笔记</title><style>.memo { margin: 10px; }</style></head>
<body>
<header><div class="top"><div class="user"><div class="name">@学习者</div></div></div></header>
<div class="memos">
<div class="memo"><div class="time">2024-01-02 12:34:56</div><div class="content"><p>#读书/深度学习 今天读完了花书第六章，反向传播就是链式法则。</p>\
<ul><li><p>梯度消失</p></li></ul></div><div class="files"><img src="file/2024-01-02/1/a.png"/><audio src="file/2024-01-02/1/rec.m4a"></audio></div></div>
<div class="memo"><div class="time">2024-01-03 08:00:00</div><div class="content"><p>注意力就是加权平均，查询与键的相似度经过归一化之后作为权重，对值向量加权求和得到输出 #机器学习</p>\
</div><div class="files"></div></div>
<div class="memo"><div class="time">2024-01-04 09:00:00</div><div class="content"><p>残差连接让深层网络可训练 #深度学习 #ResNet</p></div></div>
</div>
</body>
</html>"""


def test_each_memo_is_a_note_with_its_time_tags_and_pictures(tmp_path):
    files = {"flomo/我的笔记.html": PAGE, "flomo/file/2024-01-02/1/a.png": PICTURE, "flomo/file/2024-01-02/1/rec.m4a": b"\x00\x00\x00\x18ftypM4A "}
    site, result = site_built_as_a_user(tmp_path, files)
    assert result.returncode == 0 and "snapshots" not in result.stderr and "warning" not in result.stderr, result.stderr
    assert "3 notes" in result.stderr.splitlines()[-1]
    first = (site / "notes" / "flomo-20240102123456.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>\s*今天读完了花书第六章，反向传播就是链式法则。\s*</h1>", first), "titled by its first line, without its tags"
    assert '<time datetime="2024-01-02T12:34">' in first and ">读书/深度学习</a>" in first and "梯度消失" in first
    assert re.search(r'<img src="\.\./images/[0-9a-f]+\.png"', first) and ">录音</a>" in first
    second = (site / "notes" / "flomo-20240103080000.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>\s*注意力就是加权平均，查询与键的相似度经过归一化之后作为权重，对值向量加权求和得到…\s*</h1>", second), "its first 40 characters"
    assert ">机器学习</a>" in second and (site / "topics" / "机器学习.html").is_file()
    third = (site / "notes" / "flomo-20240104090000.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>\s*残差连接让深层网络可训练\s*</h1>", third), "nor the tags it ends with"
