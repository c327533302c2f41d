"""Notion's Markdown export (Export → Markdown & CSV): a page's property lines date and tag its note.

Written as Notion writes a page: the file named after the page and its 32-digit
id, ``# Title``, then its properties a line each, in the account's language
(English: ``Created: January 5, 2024 10:00 AM``; Chinese: ``创建时间: 2024年3月2日 09:30``).
"""
from __future__ import annotations

import re

from tests.conftest import site_built_as_a_user

ENGLISH = "# 机器学习\n\nTags: 笔记, 深度学习\nCreated: January 5, 2024 10:00 AM\nLast edited time: March 1, 2024 8:00 PM\n\n正文。\n"
CHINESE = "# 注意力机制\n\n创建时间: 2024年3月2日 09:30\n标签: 注意力\n\n正文。\n"
NO_ID = "# 普通笔记\n\nCreated: January 5, 2024 10:00 AM\n\n正文。\n"


def test_a_notion_pages_properties_date_and_tag_it_and_stay_shown(tmp_path):
    files = {"Export-1a2b/机器学习 0123456789abcdef0123456789abcdef.md": ENGLISH,
             "Export-1a2b/机器学习 0123456789abcdef0123456789abcdef/注意力机制 fedcba9876543210fedcba9876543210.md": CHINESE,
             "notes/普通笔记.md": NO_ID}
    site, result = site_built_as_a_user(tmp_path, files)
    assert result.returncode == 0, result.stderr
    pages = {re.search(r"<h1>\s*(.*?)\s*</h1>", p.read_text(encoding="utf-8"))[1]: p.read_text(encoding="utf-8")
             for p in (site / "notes").glob("*.html") if p.name != "index.html"}
    english, chinese = pages["机器学习"], pages["注意力机制"]
    assert '<time datetime="2024-01-05T10:00">' in english and re.findall(r'class="topic"[^>]*>([^<]+)<', english) == ["笔记", "深度学习"]
    assert '<time datetime="2024-03-02T09:30">' in chinese and re.findall(r'class="topic"[^>]*>([^<]+)<', chinese) == ["注意力"]
    assert "Created: January 5, 2024 10:00 AM" in english, "the properties stay shown, as Notion's Markdown shows them"
    assert "<time" not in pages["普通笔记"], "a file that is no Notion page keeps its lines as text only"
    listing = (site / "notes" / "index.html").read_text(encoding="utf-8")
    assert listing.index("注意力机制") < listing.index("机器学习"), "newest first, by the pages' dates"
