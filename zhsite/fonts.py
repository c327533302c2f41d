"""A font cut down to the characters a page shows: the math font of an e-book (and of a site, if it wants one).

STIX Two Math is 394 KiB whole; a book whose formulas use forty characters
needs a few KiB of it.  fontTools' subsetter keeps what those characters need
to be drawn as formulas (the MATH table's size variants and stretchy parts,
the script-style alternates of OpenType features); the output is woff2
(brotli), like the site's own copy.  The subsetter leaves the font's time
stamps alone, so the same characters give the same bytes.
"""
from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable

from fontTools import subset
from fontTools.ttLib import TTFont
from lxml import etree

_TOKENS = {"mi", "mn", "mo", "ms", "mtext"}
# Where Unicode's MATHEMATICAL ITALIC letters have a hole, filled by an older letter-like symbol.
_ITALIC_HOLES = {"h": "\u210e"}


def subset_font(font: bytes, text: Iterable[str]) -> bytes:
    """*font* (any format fontTools reads) as woff2 holding only the glyphs for the characters of *text*."""
    options = subset.Options()
    options.layout_features = ["*"]  # ssty (primes and scripts), dtls, flac, …: all a formula may need
    options.flavor = "woff2"
    options.name_IDs = ["*"]  # the licence and the font's names stay with it (OFL)
    options.notdef_outline = True
    loaded = TTFont(io.BytesIO(font), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(ch) for chunk in text for ch in chunk}))
    subsetter.subset(loaded)
    out = io.BytesIO()
    loaded.flavor = "woff2"
    loaded.save(out)
    return out.getvalue()


def math_characters(root: etree._Element) -> set[str]:
    """The characters the formulas (``<math>``, in any namespace) under *root* draw, the TeX annotations left out.

    A browser draws a lone letter of ``<mi>`` in MathML Core's automatic italic
    (U+1D44E… for a, b, …), so that letter's italic form counts too.
    """
    shown: set[str] = set()
    for element in root.iter(etree.Element):
        name = etree.QName(element).localname
        if name not in _TOKENS:
            continue  # <annotation> (the TeX) is no token: its text is never drawn
        text = "".join(element.itertext())
        shown.update(text)
        if name == "mi" and len(text) == 1 and element.get("mathvariant") is None:
            shown.add(_italic(text))
    return shown - {"\n", "\t"}


def _italic(letter: str) -> str:
    """The MATHEMATICAL ITALIC form of a Latin or Greek letter (x → 𝑥); any other character as it is."""
    if letter in _ITALIC_HOLES:
        return _ITALIC_HOLES[letter]
    name = unicodedata.name(letter, "")
    for script in ("LATIN ", "GREEK "):
        if name.startswith(script) and " LETTER " in name:
            case, _, rest = name.removeprefix(script).partition(" LETTER ")
            try:
                return unicodedata.lookup(f"MATHEMATICAL ITALIC {case} {rest}")
            except KeyError:
                return letter
    return letter
