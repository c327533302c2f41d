"""Zhihu videos (zvideo), as the API sends them (``/api/v4/zvideos/<id>``, ``/members/<id>/zvideos``): each a page, none an error.

The fixture follows the fields the API's video records have (as youtube-dl's
Zhihu extractor reads them): ``title``, ``image_url``, ``video.duration``,
``published_at``, ``liked_count``, ``comment_count``, ``author``.
"""
from __future__ import annotations

import json

from bs4 import BeautifulSoup

from tests.conftest import make_project, site_built_as_a_user
from zhsite.load import load_content

COVER = "https://pic3.zhimg.com/v2-0a1b2c3d4e5f60718293a4b5c6d7e8f9_r.jpg"
VIDEO = {"id": "1342930761977176064", "type": "zvideo", "title": "写春联也太难了吧！", "description": "第一次写春联。\n手抖了。",
         "image_url": COVER, "video": {"duration": 146.333, "playlist": {"hd": {"url": "https://vdn.vzuu.com/x.mp4?auth_key=expired"}}},
         "published_at": 1612959715, "liked_count": 12, "comment_count": 3,
         "author": {"name": "桥半舫", "url_token": "qiao", "id": "244ecb13b0fd7daf92235288c8ca3365"}}


def test_a_page_of_videos_is_read_as_videos_of_their_authors_column(tmp_path):
    page = {"data": [VIDEO], "paging": {"is_end": True}}
    loaded = load_content(make_project(tmp_path, {"zvideos.json": json.dumps(page, ensure_ascii=False)}) / "content")
    assert loaded.problems == []
    [column] = loaded.columns
    assert (column.slug, column.title, column.url, column.words.count) == (
        "zvideos-qiao", "桥半舫的视频", "https://www.zhihu.com/people/qiao/zvideos", "个视频")
    [video] = column.articles
    assert (video.kind, video.title, video.path, video.url) == (
        "zvideo", "写春联也太难了吧！", "zvideos/1342930761977176064.html", "https://www.zhihu.com/zvideo/1342930761977176064")
    assert (video.published, video.upvotes, video.comments_on_zhihu) == ("2021-02-10T12:21:55Z", 12, 3)
    assert f'<img src="{COVER}" alt="视频封面">' in video.content and "在知乎观看视频（2 分 26 秒）" in video.content
    assert "<p>第一次写春联。</p><p>手抖了。</p>" in video.content and "vzuu" not in video.content  # the expiring address is not kept


def test_a_video_built_as_a_user_shows_its_cover_and_links_the_video(tmp_path):
    site, done = site_built_as_a_user(tmp_path, {"zvideo.json": json.dumps(VIDEO, ensure_ascii=False)})
    assert done.returncode == 0, done.stderr
    assert "1 videos" in done.stderr
    page = BeautifulSoup((site / "zvideos" / "1342930761977176064.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("h1").get_text(strip=True) == "写春联也太难了吧！"
    assert page.select_one("a.source-link").get_text() == "知乎原视频"
    assert page.find("a", string="在知乎观看视频（2 分 26 秒）")["href"] == "https://www.zhihu.com/zvideo/1342930761977176064"
    assert page.select_one(".entry-body img")
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "1 个视频" in home.select_one(".stats").get_text()
