"""Bear's backups (``.bear2bk``) and TextPacks (``.textpack``), read as the TextBundles they zip.

The fixtures follow the TextBundle specification and what the public Bear backup readers take from a backup
(jimmy's Bear converter, bear-notes-parser): ``<title>.textbundle/`` folders holding ``text.markdown``,
``assets/`` and ``info.json`` with a ``net.shinyfrog.bear`` object (``creationDate``, ``trashed``), Bear's line
separator (U+2028) in the text.  Before, either file stopped the build as a packed archive to unpack.
"""
from __future__ import annotations

import io
import json
import re
import zipfile

from PIL import Image

from tests.conftest import site_built_as_a_user, zip_of


def picture(color: str) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(data, "PNG")
    return data.getvalue()


def info(**bear: object) -> str:
    return json.dumps({"version": 2, "type": "net.daringfireball.markdown", "net.shinyfrog.bear": bear})


BACKUP = {
    "Bear Notes/梯度下降.textbundle/text.markdown": "# 梯度下降\n\n#机器学习/优化\n\n学习率 $\\eta$ 太大会发散。\u2028换一行。\n\n"
                                                    "![](assets/lr%20curve.png)\n\n附件：[论文](assets/paper.pdf)\n\n![](assets/gone.png)\n",
    "Bear Notes/梯度下降.textbundle/info.json": info(creationDate="2023-05-01T02:00:00Z", trashed=0),
    "Bear Notes/梯度下降.textbundle/assets/lr curve.png": picture("green"),
    "Bear Notes/梯度下降.textbundle/assets/paper.pdf": b"%PDF-1.4\n",
    "Bear Notes/草稿.textbundle/text.markdown": "# 草稿\n\n已删除的想法。\n",
    "Bear Notes/草稿.textbundle/info.json": info(creationDate="2023-05-02T02:00:00Z", trashed=1),
    "tags.json": "[]",
}


def textpack() -> bytes:
    """A TextPack, its text saved on 2022-09-10 at 08:30 (as the ZIP keeps it)."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as packed:
        packed.writestr(zipfile.ZipInfo("text.md", (2022, 9, 10, 8, 30, 0)), "# 动量法\n\n![](assets/m.png)\n")
        packed.writestr("assets/m.png", picture("red"))
        packed.writestr("info.json", json.dumps({"version": 2, "type": "net.daringfireball.markdown"}))
    return data.getvalue()


def test_a_bear_backup_and_a_textpack_are_their_notes_with_dates_topics_and_pictures(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {"Bear 备份.bear2bk": zip_of(BACKUP), "动量.textpack": textpack()})
    assert result.returncode == 0, result.stderr
    assert "packed" not in result.stderr and "1 notes in Bear's trash" in result.stderr
    assert re.search(r"Bear 备份\.bear2bk:梯度下降: warning: file inside a Bear backup not shown: 1 file", result.stderr)
    assert re.search(r"Bear 备份\.bear2bk: warning: Bear picture not in its backup: 1 picture", result.stderr), "the missing one, once"
    note = (site / "notes" / "梯度下降.html").read_text(encoding="utf-8")
    assert "<h1>梯度下降</h1>" in note and '<time datetime="2023-05-01T10:00">' in note, "its creation, in Beijing time"
    assert ">机器学习/优化</a>" in note, "its tag a topic"
    body = note[note.index('class="entry-body"'):]
    assert re.search(r'<img src="data:image/png;base64,[^"]+"', body), "its picture shown from inside the backup"
    assert "<math" in body and "发散。换一行。" in body and "\u2028" not in body
    assert "论文" in body and "assets/" not in body
    assert not (site / "notes" / "草稿.html").exists() and "已删除" not in (site / "notes" / "index.html").read_text(encoding="utf-8")
    pack = (site / "notes" / "动量.html").read_text(encoding="utf-8")
    assert "<h1>动量法</h1>" in pack and '<time datetime="2022-09-10T08:30">' in pack
    assert re.search(r'<img src="data:image/png;base64,[^"]+"', pack)


def test_a_damaged_bear_backup_is_an_error_naming_it_and_the_rest_builds(tmp_path):
    whole = zip_of(BACKUP)
    site, result = site_built_as_a_user(tmp_path, {"坏.bear2bk": whole[: len(whole) // 2], "好.md": "# 好\n\n正文。\n"})
    assert result.returncode == 1, result.stderr
    assert re.search(r"坏\.bear2bk: error: Bear backup or TextPack that cannot be opened", result.stderr)
    assert "正文。" in (site / "notes" / "好.html").read_text(encoding="utf-8")


def test_an_unpacked_bear_backup_keeps_its_trash_out_and_its_notes_dated_by_their_info(tmp_path):
    files = {path: content for path, content in BACKUP.items() if not path.endswith(".pdf")}
    site, result = site_built_as_a_user(tmp_path, files)
    assert result.returncode == 0, result.stderr
    assert "1 notes in Bear's trash" in result.stderr and "2 TextBundle info files" in result.stderr
    assert not (site / "notes" / "草稿.html").exists(), "a note Bear holds in its trash is not published"
    note = (site / "notes" / "梯度下降.html").read_text(encoding="utf-8")
    assert '<time datetime="2023-05-01T10:00">' in note and re.search(r'<img src="\.\./images/[0-9a-f]+\.png"', note)
