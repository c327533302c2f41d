"""Day One's JSON export: every entry of a journal in one file, its photos in ``photos/<md5>.<type>`` beside it.

The fixture follows the export as the public Day One importers read it: ``{"metadata": {"version": "1.0"},
"entries": [{"uuid", "creationDate", "text", "tags", "photos": [{"identifier", "md5", "type"}]}]}``, a photo shown in
the text as ``![](dayone-moment://<identifier>)``.  Before, the file was an unknown archive shape, an error.
"""
from __future__ import annotations

import io
import json
import re

from PIL import Image

from tests.conftest import site_built_as_a_user


def picture() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(data, "PNG")
    return data.getvalue()


JOURNAL = {"metadata": {"version": "1.0"}, "entries": [
    {"uuid": "81F0F3CA693F484792F76359E9E2ACE8", "creationDate": "2017-12-25T03:04:32Z", "timeZone": "Asia/Shanghai",
     "text": "# 读完 ResNet\n\n![](dayone-moment://68D729369ED84A8B91B5D348E4592EFE)\n\n残差连接让深层网络可训练。\n\n![](dayone-moment://0000AAAA)",
     "tags": ["论文", "深度学习"], "starred": False,
     "photos": [{"identifier": "68D729369ED84A8B91B5D348E4592EFE", "md5": "9f2c6c2b0f3a", "type": "png", "orderInEntry": 0},
                {"identifier": "0000AAAA", "md5": "gone", "type": "jpeg"}]},
    {"uuid": "EMPTY", "creationDate": "2018-01-01T00:00:00Z", "text": "  "}]}


def test_a_day_one_journal_is_a_note_for_each_entry_with_its_photos_tags_and_date(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {"DayOne/Journal.json": json.dumps(JOURNAL, ensure_ascii=False),
                                                   "DayOne/photos/9f2c6c2b0f3a.png": picture()})
    assert "unknown archive shape" not in result.stderr
    assert result.returncode == 0, result.stderr
    page = (site / "notes" / "dayone-81f0f3ca693f484792f76359e9e2ace8.html").read_text(encoding="utf-8")
    assert "<h1>读完 ResNet</h1>" in page and '<time datetime="2017-12-25T11:04">' in page
    assert ">论文</a>" in page and ">深度学习</a>" in page and "残差连接让深层网络可训练。" in page
    assert re.search(r'<img src="\.\./images/[0-9a-f]+\.png"', page), "its photo copied from photos/"
    assert "photos/gone.jpeg" in result.stderr, "a photo the export lacks is said"
    assert "dayone-moment" not in page
    assert len(list((site / "notes").glob("dayone-*.html"))) == 1
