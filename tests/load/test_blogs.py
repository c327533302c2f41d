"""博客园 (cnblogs)'s blog backup (管理 → 博客备份): every post in one RSS file, each a note.

The fixture follows the backup as the public splitters read it (BlogBackupTool, cnblogs2wp): an RSS 2.0 channel
titled ``博客园-<name>``, items of ``title``, ``link``, ``dc:creator``, ``author``, ``pubDate``, ``guid`` and
``description`` (HTML, or the Markdown source of a post written in the Markdown editor).  Before, it was a skipped XML file.
"""
from __future__ import annotations

import re

from tests.conftest import build_as_a_user, make_project

ITEM = ("<item><title>{title}</title><link>http://www.cnblogs.com/mlxb/p/{id}.html</link><dc:creator>机器学习小白</dc:creator>"
        "<author>机器学习小白</author><pubDate>{date}</pubDate><guid>http://www.cnblogs.com/mlxb/p/{id}.html</guid>"
        "<description><![CDATA[{text}]]></description></item>\n")
BACKUP = ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
          "<title>博客园-机器学习小白</title><link>https://www.cnblogs.com/mlxb/</link><description>Enter a Feed Description Here"
          "</description><language>zh-cn</language><ttl>60</ttl>\n"
          + ITEM.format(title="逻辑回归推导", id=10234567, date="Mon, 05 Jan 2015 10:00:00 GMT",
                        text='<h2>损失函数</h2><p>交叉熵损失。</p><p><img src="https://img2018.cnblogs.com/blog/1/x.png" alt="" /></p>')
          + ITEM.format(title="梯度下降", id=10234568, date="Tue, 06 Jan 2015 02:30:00 GMT",
                        text="## 步长\n\n学习率 $\\eta$ 决定步长。\n\n```python\nw -= lr * grad\n```\n")
          + "</channel></rss>\n")
FEED = ('<?xml version="1.0"?><rss version="2.0"><channel><title>某网站</title><link>https://example.com/</link>'
        "<item><title>新闻</title><link>https://example.com/1</link><description>摘要</description></item></channel></rss>")


def test_a_cnblogs_backup_is_a_note_for_each_post_and_another_feed_is_still_skipped(tmp_path):
    project = make_project(tmp_path, {"博客园/CNBlogs_BlogBackup_131_201501_202406.xml": BACKUP, "feed.xml": FEED},
                           '[images]\nmode = "remote"\n')
    result = build_as_a_user(project)
    assert result.returncode == 0, result.stderr
    assert "1 XML files" in result.stderr, "a feed of another site is no archive"
    notes = project / "site" / "notes"
    html = (notes / "cnblogs-mlxb-10234567.html").read_text(encoding="utf-8")
    assert "<h1>逻辑回归推导</h1>" in html and '<time datetime="2015-01-05T18:00">' in html, "dated in Beijing time"
    assert 'href="http://www.cnblogs.com/mlxb/p/10234567.html"' in html and "来源" in html
    assert '<h2 id="损失函数">损失函数</h2><p>交叉熵损失。</p>' in html and 'src="https://img2018.cnblogs.com/blog/1/x.png"' in html
    markdown = (notes / "cnblogs-mlxb-10234568.html").read_text(encoding="utf-8")
    assert "<h1>梯度下降</h1>" in markdown and '<time datetime="2015-01-06T10:30">' in markdown
    assert '<h2 id="步长">步长</h2>' in markdown and "<math" in markdown and '<code class="language-python">' in markdown
    assert "```" not in markdown and "## " not in markdown, "a post written in Markdown is read as Markdown"


def test_a_backup_cut_short_keeps_the_posts_before_the_break_and_names_the_line(tmp_path):
    project = make_project(tmp_path, {"backup.xml": BACKUP[: BACKUP.index("梯度下降") + 40]})
    result = build_as_a_user(project)
    assert result.returncode == 1, result.stderr
    assert re.search(r"content/backup\.xml:\d+: error: 博客园 backup cut short: .*the posts before it are read", result.stderr)
    assert (project / "site" / "notes" / "cnblogs-mlxb-10234567.html").is_file()
