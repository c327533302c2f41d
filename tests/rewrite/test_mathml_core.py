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
    [(r"\log q", "log", True), (r"\log(q)", "log", False), (r"\max_{i} x", "max", True),
     (r"\operatorname{arg\,max}_x f", "argmax", True), (r"\max(a, b)", "max", False), (r"\sin x", "sin", True)],
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


def spaces(operator: etree._Element) -> tuple[str | None, str | None]:
    return operator.get("lspace"), operator.get("rspace")


def operators(math: etree._Element, text: str) -> list[etree._Element]:
    return [mo for mo in math.iter("mo") if mo.text == text]


@pytest.mark.parametrize("tex", [r"P||Q", r"D(P\|Q)", r"\|x\|_2"])
def test_double_bars_are_one_unspaced_double_bar(tex):
    math = math_of(tex)
    assert "|" not in shown(math) and operators(math, "‖")
    assert {spaces(mo) for mo in operators(math, "‖")} == {("0", "0")}


def test_single_bars_are_unspaced_and_stay_single():
    math = math_of(r"|x| + |y|")
    assert [spaces(mo) for mo in operators(math, "|")] == [("0", "0")] * 4
    assert spaces(operators(math, "+")[0]) == (None, None), "the plus between them is binary"


@pytest.mark.parametrize(("tex", "before"), [
    (r"f(x)\log x", ")"), (r"x^2\log y", "msup"), (r"a \log(x)", "a"), (r"p(x)\max_i q", ")")])
def test_a_function_name_after_an_operand_has_a_thin_space_before_it(tex, before):
    math = math_of(tex)
    name = next(e for e in math.iter("mi", "mo") if e.text in ("log", "max"))
    applied = name if name.getparent().tag == "mrow" else name.getparent()
    previous = applied.getprevious()
    thin = name.get("lspace") if name.tag == "mo" else previous.get("width") if previous.tag == "mspace" else None
    assert thin == "0.1667em"
    operand = previous if name.tag == "mo" else previous.getprevious()
    assert before in (operand.tag, operand.text)


@pytest.mark.parametrize("tex", [r"\log x", r"(\log x)", r"a = \log x", r"\max_i x"])
def test_a_function_name_after_an_operator_or_at_the_start_has_no_space_before_it(tex):
    math = math_of(tex)
    assert math.find(".//mspace") is None
    assert all(mo.get("lspace") in (None, "0") for mo in math.iter("mo") if mo.text in ("max",))


@pytest.mark.parametrize(("tex", "inside"), [
    (r"\sum_{i = 1}^{n} x_i", "="), (r"\max_{i \in S} f", "∈"), (r"\lim_{x \to 0} f", "→"),
    (r"e^{a + b}", "+"), (r"x_{i,j}", ","), (r"\frac{a + b}{2}", "+")])
def test_operators_in_scripts_and_inline_fractions_have_no_space(tex, inside):
    (operator,) = operators(math_of(tex), inside)
    assert spaces(operator) == ("0", "0")


def test_a_display_fraction_keeps_its_operator_spaces():
    (plus,) = operators(math_of(r"\frac{a + b}{2}", True), "+")
    assert spaces(plus) == (None, None)


@pytest.mark.parametrize(("tex", "unary"), [
    (r"-x", [True]), (r"y = -x", [True]), (r"(-x, -y)", [True, True]), (r"f(-x) - 1", [True, False]),
    (r"a - b", [False]), (r"|x| - 1", [False]), (r"|-x|", [True]), (r"\sum_i -x_i", [True]), (r"e^{-x}", [True])])
def test_a_minus_with_no_operand_before_it_is_a_sign(tex, unary):
    minuses = operators(math_of(tex), "−")
    assert [spaces(mo) == ("0", "0") for mo in minuses] == unary


@pytest.mark.parametrize("tex", [
    r"\begin{pmatrix}a & b \\ c & d\end{pmatrix}^{-1}", r"\begin{bmatrix}1 & 0\end{bmatrix}_{ij}",
    r"\begin{pmatrix}a\end{pmatrix}_1^2"])
def test_a_script_on_a_matrix_has_one_base(tex):
    math = math_of(tex)
    (scripted,) = [e for e in math.iter("msub", "msup", "msubsup")]
    assert len(scripted) == {"msub": 2, "msup": 2, "msubsup": 3}[scripted.tag]
    base = scripted[0]
    assert base.tag == "mrow" and base.find("mtable") is not None
    assert [base[0].tag, base[-1].tag] == ["mo", "mo"]


def test_a_long_run_of_bars_is_typeset():
    """Whether a bar opens or closes is found by walking back over the run, not by recursing once per bar."""
    math = math_of("a" + r"\|" * 3000 + "-b")
    assert len(operators(math, "‖")) == 3000
    assert spaces(operators(math, "−")[0]) == (None, None), "after a bar closing a (strange) operand: binary"
