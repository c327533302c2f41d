"""Text that decodes but for a few bytes: kept, with U+FFFD where the bytes were.

Scrapers cut files mid-character and editors save one stray byte; refusing
the whole note for one bad byte in 1,300 loses what a reader could read.  A
file that is mostly undecodable (another encoding, binary) is still refused
by :func:`zhsite.load.sniff.decode`'s error.  Text with a UTF-16 byte-order
mark or a NUL byte is never guessed at: the mark is a promise, and NUL means
binary.
"""
from __future__ import annotations

from zhsite.load.sniff import NUL, UndecodableError, decode

DAMAGED = "undecodable bytes replaced with U+FFFD"  # the warning's kind, said by the loader
MAX_DAMAGE = 32  # places: more is no stray byte but another encoding
BYTES_PER_DAMAGE = 100  # and at most one place per so many bytes
_UTF8_BOM = b"\xef\xbb\xbf"


def decode_mostly(data: bytes) -> tuple[str, tuple[str, str] | None]:
    """The text, and None or where the first replaced byte is (``byte 710``) and how many were (a :data:`DAMAGED` warning's detail).

    UTF-8 is tried before GB18030, as :func:`decode` does; the first that
    needs few enough replacements wins.  Otherwise the strict decoder's error
    is raised.
    """
    try:
        return decode(data), None
    except UndecodableError:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or NUL in data:
            raise
        found = _mostly(data)
        if found is None:
            raise
        return found


def _mostly(data: bytes) -> tuple[str, tuple[str, str]] | None:
    """The text with its few bad places replaced, and the warning; None when every encoding needs too many."""
    bom = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    limit = min(MAX_DAMAGE, max(1, len(data) // BYTES_PER_DAMAGE))
    for codec in ("utf-8",) if bom else ("utf-8", "gb18030"):
        replaced = _replaced(data[bom:], codec, limit)
        if replaced is not None:
            text, places = replaced
            said = f"{len(places)} place{'s' if len(places) > 1 else ''} in text read as {codec.upper()}"
            # Through decode once more for its line ends; the text is UTF-8 now.
            return decode(text.encode("utf-8")), (f"byte {places[0] + bom}", said)
    return None


def _replaced(data: bytes, codec: str, limit: int) -> tuple[str, list[int]] | None:
    """*data* decoded with each undecodable run as one U+FFFD, and where the runs start; None past *limit* runs."""
    parts, places, start = [], [], 0
    while True:
        try:
            parts.append(data[start:].decode(codec))
            return "".join(parts), places
        except UnicodeDecodeError as exc:
            places.append(start + exc.start)
            if len(places) > limit:
                return None
            parts += [data[start:start + exc.start].decode(codec), "\ufffd"]
            start += exc.end
