"""zhsite/fonts.py: the math font cut to the characters formulas draw, still a math font, the same bytes each time."""
from __future__ import annotations

import io

from fontTools.ttLib import TTFont
from lxml import etree

from tests.conftest import REPO
from zhsite.fonts import math_characters, subset_font

STIX = REPO / "themes" / "default" / "static" / "fonts" / "stix-two-math.woff2"
FORMULA = ('<div><p>正文 x</p><math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow><mi>x</mi><mo>=</mo>'
           '<msqrt><msup><mi>σ</mi><mn>2</mn></msup></msqrt><mi>sin</mi></mrow>'
           '<annotation encoding="application/x-tex">x=\\sqrt{\\sigma^2}\\sin</annotation></semantics></math></div>')


def test_the_characters_drawn_are_the_tokens_with_lone_letters_in_math_italic():
    drawn = math_characters(etree.fromstring(FORMULA))
    assert drawn == {"x", "𝑥", "=", "σ", "𝜎", "2", "s", "i", "n"}, "no TeX (\\, {, q), no text outside the formula"


def test_the_subset_keeps_the_math_table_and_only_what_is_drawn():
    whole = STIX.read_bytes()
    cut = subset_font(whole, ["(√𝑥"])
    font = TTFont(io.BytesIO(cut))
    assert font.flavor == "woff2" and len(cut) < len(whole) // 20
    assert {ord(c) for c in "(√𝑥"} <= set(font.getBestCmap()) and ord("y") not in font.getBestCmap()
    assert "radical" in font["MATH"].table.MathVariants.VertGlyphCoverage.glyphs, "the tall roots a formula stretches to"
    assert subset_font(whole, ["(√𝑥"]) == cut, "the same characters, the same bytes"
