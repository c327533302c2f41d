"""Formulas mean in Chromium (MathML Core) what their TeX says: styles in the characters, operator names spaced."""
from __future__ import annotations

import re

import lxml.etree as etree
import pytest

from tests.rewrite.conftest import run_all, seed_article_html
from zhsite.rewrite.math import tex_to_mathml


def math_of(tex: str, display: bool = False) -> etree._Element:
    mathml = tex_to_mathml(tex, display)
    assert mathml is not None, tex
    return etree.fromstring(mathml)


def shown(math: etree._Element) -> str:
    """The formula's characters, without its TeX annotation."""
    return "".join(t for e in math.iter() if e.tag != "annotation" for t in [e.text or ""])


def ignored_variants(math: etree._Element) -> list[str]:
    """mathvariant values Chromium ignores: all but normal on <mi>."""
    return [f"{e.tag} {e.get('mathvariant')}" for e in math.iter() if e.get("mathvariant") and not (e.tag == "mi" and e.get("mathvariant") == "normal")]


@pytest.mark.parametrize(
    ("tex", "characters"),
    [
        (r"\mathbb{1}_{ij}^{obj}", "𝟙"),
        (r"\boldsymbol{x}", "𝒙"),
        (r"\boldsymbol{\alpha}", "𝜶"),
        (r"\mathbf{1} + \mathbf{W}", "𝟏+𝐖"),
        (r"\mathit{h}", "ℎ"),  # a hole in the block: Unicode's older letter
        (r"\mathbb{R}^n", "ℝ"),
        (r"\mathcal{L}", "ℒ"),
        (r"\mathfrak{g}", "𝔤"),
    ],
)
def test_styles_become_mathematical_characters(tex, characters):
    math = math_of(tex)
    assert characters in shown(math)
    assert ignored_variants(math) == []


def test_mathrm_stays_upright_even_on_one_letter():
    (d, x) = [e for e in math_of(r"\mathrm{d}x").iter("mi")]
    assert (d.text, d.get("mathvariant")) == ("d", "normal")
    assert (x.text, x.get("mathvariant")) == ("x", None)


@pytest.mark.parametrize(
    ("tex", "name", "spaced"),
    [(r"\log q", "log", True), (r"\log(q)", "log", False), (r"\max_{i} x", "max", False),
     (r"\operatorname{arg\,max}_x f", "argmax", False), (r"\sin x", "sin", True)],
)
def test_operator_names_apply_to_what_follows(tex, name, spaced):
    math = math_of(tex)
    (operator,) = [e for e in math.iter("mi", "mo") if e.text == name]
    if operator.tag == "mi":
        assert operator.get("mathvariant") == "normal"
    applied = operator if operator.getparent().tag == "mrow" else operator.getparent()
    apply = applied.getnext()
    assert (apply.tag, apply.text) == ("mo", "\u2061")
    assert (apply.get("rspace") == "0.1667em") is spaced


def test_eqnarray_columns_are_right_centre_left():
    math = math_of(r"\begin{eqnarray} L &=& -\sum_i y_i \log p_i \nonumber \\ &=& H(y, p) \end{eqnarray}", True)
    rows = math.findall(".//mtr")
    assert len(rows) == 2
    assert [[c.get("columnalign") for c in row.findall("mtd")] for row in rows] == [["right", "center", "left"]] * 2


def test_ragged_array_rows_are_padded_to_the_table():
    math = math_of(r"\left[\begin{array}{cccc} 1 & 2 & 3 & 4 \\ 5 & 6 \\ 7 \end{array}\right]", True)
    assert [len(row.findall("mtd")) for row in math.iter("mtr")] == [4, 4, 4]
    assert shown(math).replace("[", "").replace("]", "") == "1234567"


def test_yolo_article_double_struck_ones():
    # 60692852 uses \mathbb{1} six times (\mathbb{1}_{ij}^{obj}, \mathbb{1}_{ij}^{noobj}, \mathbb{1}_{i}^{obj}).
    root, _ = run_all(seed_article_html("60692852"))
    maths = list(root.iter("math"))
    assert sum(shown(m).count("𝟙") for m in maths) >= 6
    assert [v for m in maths for v in ignored_variants(m)] == []
    assert not any(re.search(r"\\mathbb", shown(m)) for m in maths)
