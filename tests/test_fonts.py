"""The math font is sent as a subset of the characters the site's formulas draw, under a name holding its hash."""
from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import lxml.html
from fontTools.ttLib import TTFont

from tests.conftest import site_built_as_a_user
from zhsite.fonts import subset_font
from zhsite.rewrite.mathml_core import styled

WHOLE = Path(__file__).parent.parent / "themes" / "default" / "static" / "fonts" / "stix-two-math.woff2"
TOKENS = ("mi", "mn", "mo", "mtext", "ms")


def font_files(site: Path) -> list[Path]:
    return sorted((site / "static" / "fonts").glob("*.woff2"))


def drawn_characters(site: Path) -> set[str]:
    """What Chromium draws for the site's formulas, worked out apart from zhsite.fonts: each token's text, a
    one-letter <mi> in italic (MathML's math-auto), and the √ of a root."""
    drawn: set[str] = set()
    for path in site.rglob("*.html"):
        for math in lxml.html.parse(str(path)).iter("math"):
            for token in math.iter(*TOKENS):
                text = (token.text or "").strip()
                auto = token.tag == "mi" and len(text) == 1 and token.get("mathvariant") is None
                drawn.update(styled(text, "italic") if auto else text)
            drawn.update("√" for _ in math.iter("msqrt", "mroot"))
    return drawn - {"\u2061"}  # function application: invisible, no glyph needed


def test_the_seed_sites_math_font_is_a_subset_of_every_character_its_formulas_draw(seed_site):
    (font,) = font_files(seed_site)
    drawn = drawn_characters(seed_site)
    cmap = {chr(code) for code in TTFont(font).getBestCmap()}
    assert {"𝑥", "∑", "𝟙", "‖"} <= drawn
    assert drawn - cmap == set()
    assert font.stat().st_size < WHOLE.stat().st_size / 10  # 22 KiB of 456
    assert len(cmap) < 200


def test_the_fonts_name_holds_its_hash_and_the_stylesheet_names_it(seed_site):
    (font,) = font_files(seed_site)
    assert font.name == f"stix-two-math.{hashlib.sha256(font.read_bytes()).hexdigest()[:12]}.woff2"
    css = (seed_site / "static" / "style.css").read_text(encoding="utf-8")
    assert re.findall(r'url\("(fonts/[^"]+)"\)', css) == [f"fonts/{font.name}"]


def test_a_new_formula_character_makes_a_new_font_name(tmp_path):
    names = []
    for tex in (r"x + y", r"x + y \oplus \aleph"):
        note = f"---\ntitle: 笔记\n---\n\n公式 ${tex}$ 。\n"
        site, result = site_built_as_a_user(tmp_path / str(len(names)), {"content/note.md": note})
        assert result.returncode == 0, result.stderr
        (font,) = font_files(site)
        cmap = {chr(code) for code in TTFont(font).getBestCmap()}
        assert {"𝑥", "𝑦", "+"} <= cmap and ("⊕" in cmap) is (len(names) == 1)
        names.append(font.name)
    assert names[0] != names[1]


def test_a_site_without_formulas_still_has_a_font_the_stylesheet_names(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {"content/note.md": "---\ntitle: 笔记\n---\n\n没有公式。\n"})
    assert result.returncode == 0, result.stderr
    (font,) = font_files(site)
    assert f"fonts/{font.name}" in (site / "static" / "style.css").read_text(encoding="utf-8")
    assert font.stat().st_size < 5000


def test_a_subset_keeps_the_math_table_and_the_larger_sizes_of_its_operators():
    whole = WHOLE.read_bytes()
    subset = TTFont(io.BytesIO(subset_font(whole, "∑(")))
    assert {ord("∑"), ord("(")} <= set(subset.getBestCmap()) and len(subset.getBestCmap()) < 5
    variants = subset["MATH"].table.MathVariants
    sizes = {glyph: len(construction.MathGlyphVariantRecord)
             for glyph, construction in zip(variants.VertGlyphCoverage.glyphs, variants.VertGlyphConstruction, strict=True)}
    assert sizes[subset.getBestCmap()[ord("(")]] > 3 and sizes[subset.getBestCmap()[ord("∑")]] > 1
    assert subset_font(whole, "∑(") == subset_font(whole, "∑("), "the same bytes every build"


def test_the_subset_keeps_the_math_table_and_the_same_characters_give_the_same_bytes():
    whole = WHOLE.read_bytes()
    cut = subset_font(whole, "(√𝑥")
    font = TTFont(io.BytesIO(cut))
    assert font.flavor == "woff2" and len(cut) < len(whole) // 20
    assert {ord(c) for c in "(√𝑥"} <= set(font.getBestCmap()) and ord("y") not in font.getBestCmap()
    assert "radical" in font["MATH"].table.MathVariants.VertGlyphCoverage.glyphs, "the tall roots a formula stretches to"
    assert subset_font(whole, "(√𝑥") == cut, "the same characters, the same bytes (e-books and sites are deterministic)"
