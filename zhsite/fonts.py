"""A math font cut down to the characters a site's formulas show.

The theme's STIX Two Math is 394 KiB as WOFF2: a page with one small formula
fetched all of it, several times the page's own weight.  A site's formulas use
a few hundred of its 4,600 characters, so the build sends a subset holding
only those (and what math layout needs for them: fontTools' subsetter follows
the MATH table to each operator's larger sizes and stretched parts, ∑ in a
display formula, tall brackets, and keeps the OpenType features, such as the
script-size glyphs).  A leaf: the site build and the EPUB both use it.
"""
from __future__ import annotations

import html
import io
import re
import unicodedata

_MATH = re.compile(r"<math\b.*?</math>", re.S | re.I)
# The TeX a formula keeps for copying is not drawn: its letters need no glyph.
_ANNOTATION = re.compile(r"<annotation\b.*?</annotation>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_RADICAL = re.compile(r"<m(?:sqrt|root)\b")


def math_characters(page_html: str) -> set[str]:
    """The characters the ``<math>`` elements in *page_html* draw (their TeX annotations aside).

    A browser draws a one-letter ``<mi>x</mi>`` as the italic 𝑥 (U+1D465,
    MathML's ``math-auto``), and ``<msqrt>`` with a √ no text holds: these are
    drawn too, or they would come from another font.
    """
    found: set[str] = set()
    for formula in _MATH.findall(page_html):
        found.update(html.unescape(_TAG.sub("", _ANNOTATION.sub("", formula))))
        if _RADICAL.search(formula):
            found.add("√")  # drawn by the browser, in no text
    found -= {" ", "\n", "\t", "\r"}
    return found | {italic for italic in map(_italic, found) if italic}


def _italic(char: str) -> str:
    """The mathematical italic of a Latin or Greek letter (∂ and ∇ too), as MathML's math-auto draws it; else ""."""
    if char == "h":
        return "\u210e"  # ℎ, PLANCK CONSTANT: the hole in the italic block
    name = unicodedata.name(char, "")
    letter = name.removeprefix("LATIN ").removeprefix("GREEK ").replace(" LETTER ", " ").replace("LUNATE ", "")
    try:
        return unicodedata.lookup(f"MATHEMATICAL ITALIC {letter}") if name else ""
    except KeyError:
        return ""


def subset_font(font: bytes, characters: str) -> bytes:
    """*font* as WOFF2 holding only *characters* and the glyphs math layout needs for them; the same bytes every time.

    fontTools is imported here, when a font is cut (once per set of characters, then cached): its import is a fifth
    of zhsite's, which a build with nothing to cut (zhsite/unchanged.py, most rebuilds) would pay for nothing.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # ssty (script-size glyphs), dtls (dotless i under accents), and the rest
    options.notdef_outline = True  # a character the subset lacks shows as a box, not as nothing
    loaded = TTFont(io.BytesIO(font), recalcTimestamp=False)  # the font's own date, so the bytes do not change by day
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in characters])
    subsetter.subset(loaded)
    out = io.BytesIO()
    subset.save_font(loaded, out, options)
    return out.getvalue()
