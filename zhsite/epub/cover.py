"""A book's cover, drawn as SVG from its title, authors and size: no picture to fetch, the same bytes each time."""
from __future__ import annotations

from zhsite.epub.xhtml import escape

_WIDTH, _HEIGHT = 600, 800
_PER_LINE = 9  # CJK characters of the title on one line at the title's size
_FONTS = "'Noto Serif CJK SC', 'Source Han Serif SC', 'Songti SC', serif"


def cover_svg(title: str, authors: str, size: str) -> bytes:
    lines = [title[i:i + _PER_LINE] for i in range(0, len(title), _PER_LINE)][:4] or [""]
    top = 300 - 36 * (len(lines) - 1)
    title_lines = "".join(f'<text x="300" y="{top + 72 * i}" font-size="56" text-anchor="middle">{escape(line)}</text>'
                          for i, line in enumerate(lines))
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {_HEIGHT}" '
        f'width="{_WIDTH}" height="{_HEIGHT}" font-family="{_FONTS}">'
        f'<rect width="{_WIDTH}" height="{_HEIGHT}" fill="#fbfaf7"/>'
        f'<rect x="40" y="40" width="520" height="720" fill="none" stroke="#1f2933" stroke-width="3"/>'
        f'<line x1="120" y1="{top + 72 * len(lines) - 20}" x2="480" y2="{top + 72 * len(lines) - 20}" stroke="#1f2933" stroke-width="2"/>'
        f'<g fill="#1f2933">{title_lines}'
        f'<text x="300" y="{top + 72 * len(lines) + 50}" font-size="30" text-anchor="middle">{escape(authors[:30])}</text>'
        f'<text x="300" y="700" font-size="26" text-anchor="middle">{escape(size)}</text></g></svg>\n'
    ).encode()
