"""Zhihu videos (视频, zvideo): what the API says of one (``/api/v4/zvideos/<id>``, a page of ``/members/<id>/zvideos``), as a post.

The video itself is not in the record (its ``video.playlist`` addresses are
signed and expire within hours), so the page keeps what the archive holds:
the title, the cover picture (``image_url``, else ``video.thumbnail``: copied
into the site as every picture is), the description, the length, and a link
to the video on Zhihu.  Each lands in its author's column of videos, at
``zvideos/<id>.html``.
"""
from __future__ import annotations

from html import escape
from typing import Any

from zhsite.load.fields import ident, text


def is_zvideo(raw: Any) -> bool:
    """An API video: ``"type": "zvideo"`` with an id."""
    return isinstance(raw, dict) and raw.get("type") == "zvideo" and bool(ident(raw.get("id")))


def zvideo_html(raw: dict, url: str) -> str:
    """The cover (linking the video on Zhihu), a line saying where the video is and how long, and the description."""
    video = raw.get("video") if isinstance(raw.get("video"), dict) else {}
    cover = text(raw.get("image_url")) or text(video.get("thumbnail"))
    length = _length(video.get("duration"))
    parts = [f'<figure><a href="{escape(url)}"><img src="{escape(cover)}" alt="视频封面"></a></figure>'] if cover else []
    parts.append(f'<p><a href="{escape(url)}">在知乎观看视频{f"（{length}）" if length else ""}</a></p>')
    description = text(raw.get("description"))
    if description:
        parts += [f"<p>{escape(line)}</p>" for line in description.splitlines() if line.strip()]
    return "".join(parts)


def _length(seconds: Any) -> str:
    """``2 分 26 秒`` for 146.3 seconds; "" when the record gives none."""
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or not 0 < seconds < 10**7:
        return ""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} 分 {rest} 秒" if minutes else f"{rest} 秒"
