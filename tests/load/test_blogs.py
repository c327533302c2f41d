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
    assert re.search(r"content/backup\.xml:\d+:\d+: error: blog backup cut short: .*the posts before it are read", result.stderr)
    assert (project / "site" / "notes" / "cnblogs-mlxb-10234567.html").is_file()


WXR_ITEM = ("<item><title>{title}</title><link>https://ml.example.com/{name}/</link><pubDate>Mon, 05 Jan 2015 10:00:00 +0000</pubDate>"
            "<content:encoded><![CDATA[{text}]]></content:encoded><wp:post_id>{id}</wp:post_id><wp:post_name><![CDATA[{name}]]></wp:post_name>"
            "<wp:status><![CDATA[{status}]]></wp:status><wp:post_type><![CDATA[{kind}]]></wp:post_type>{categories}</item>\n")
WXR = ('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
       'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>我的机器学习博客</title>'
       "<link>https://ml.example.com</link><wp:wxr_version>1.2</wp:wxr_version>\n"
       + WXR_ITEM.format(title="支持向量机", name="svm", id=12, status="publish", kind="post",
                         text="最大化间隔。\n第二行，价格 $5 and $10。\n\n<h2>核函数</h2>\n\n高斯核 $e^{-\\gamma\\|x-y\\|^2}$，"
                              "又写作 \\(k(x, y)\\)：\n\n$$\\sum_i \\alpha_i y_i = 0$$\n\n<pre><code>x = $y$</code></pre>",
                         categories='<category domain="category" nicename="ml"><![CDATA[机器学习]]></category>'
                                    '<category domain="post_tag" nicename="svm"><![CDATA[SVM]]></category>')
       + WXR_ITEM.format(title="草稿", name="draft", id=13, status="draft", kind="post", text="未完成", categories="")
       + WXR_ITEM.format(title="logo.png", name="logo", id=14, status="inherit", kind="attachment", text="", categories="")
       + "</channel></rss>\n")


def test_a_wordpress_export_is_a_note_for_each_published_post_with_its_paragraphs_topics_and_formulas(tmp_path):
    project = make_project(tmp_path, {"wordpress.2024-06-01.xml": WXR})
    result = build_as_a_user(project)
    assert result.returncode == 0, result.stderr
    assert "1 WordPress drafts" in result.stderr and "1 WordPress attachments and menus" in result.stderr
    assert not (project / "site" / "notes" / "draft.html").exists()
    page = (project / "site" / "notes" / "svm.html").read_text(encoding="utf-8")
    assert "<h1>支持向量机</h1>" in page and '<time datetime="2015-01-05T18:00">' in page and 'href="https://ml.example.com/svm/"' in page
    assert ">机器学习</a>" in page and ">SVM</a>" in page, "its category and tag its topics"
    body = page[page.index('class="entry-body"'):]
    assert "<p>最大化间隔。<br>\n第二行，价格 $5 and $10。</p>" in body, "a blank line a paragraph, a line a break, a price a price"
    assert body.count("<math") == 3 and "\\gamma" in body and "k(x, y)</annotation>" in body and '<math display="block"' in body
    assert "x = $y$" in body, "nothing inside code is read as a formula"
