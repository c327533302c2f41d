"""Formulas → MathML at build time, TeX kept as an annotation, failures as visible TeX plus a warning."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.rewrite.conftest import note_snippet, run, run_all, seed_snippet, warnings
from zhsite.rewrite.math import rewrite_equations

TEX = "annotation[@encoding='application/x-tex']"


def equation(tex: str, eeimg: str = "1") -> str:
    return f'<img src="https://www.zhihu.com/equation?tex={quote(tex)}" alt="{tex}" eeimg="{eeimg}"/>'


def test_real_equation_images_become_inline_mathml_with_their_tex():
    # 60692852: the only article with formulas; its alt repeats the TeX of the URL
    # (one is "...%5E%7Bobj%7D+%3D1", where '+' is a space).
    paragraphs = [seed_snippet("60692852", r"<p>(?:(?!</p>).)*eeimg(?:(?!</p>).)*</p>", n) for n in range(3)]
    html = "".join(paragraphs)
    alts = [img.get("alt") for img in run(html)[0].iter("img")]
    root, ctx = run(html, rewrite_equations)
    maths = list(root.iter("math"))
    assert len(alts) == len(maths) == 9
    assert [m.findtext(f".//{TEX}") for m in maths] == alts
    assert "\\mathbb{1}_{ij}^{obj} =1" in alts
    assert {m.get("display") for m in maths} == {"inline"}
    assert all(m.find("semantics") is not None and m.find(".//mi") is not None for m in maths)
    assert root.find(".//img") is None and ctx.problems == []
    # The text around each formula is still there.
    assert "表示cell i 中bounding box j" in root.text_content()


@pytest.mark.parametrize(
    ("tex", "eeimg", "display", "kept"),
    [
        ("E=mc^2", "1", "inline", "E=mc^2"),
        ("E=mc^2\\\\", "1", "block", "E=mc^2"),
        ("E=mc^2 \\\\ ", "1", "block", "E=mc^2"),
        ("E=mc^2", "2", "block", "E=mc^2"),
    ],
)
def test_trailing_break_makes_a_display_formula(tex, eeimg, display, kept):
    root, _ = run(f"<p>{equation(tex, eeimg)}</p>", rewrite_equations)
    math = root.find(".//math")
    assert math.get("display") == display
    assert math.findtext(f".//{TEX}") == kept
    assert math.find(".//msup") is not None


@pytest.mark.parametrize("tex", ["\\frac{1}{", "\\begin{matrix} a", "\\foo{x}", "x^{"])
def test_formula_that_cannot_be_typeset_shows_its_tex_and_warns(tex):
    root, ctx = run(f"<p>前 {equation(tex)} 后</p>", rewrite_equations)
    assert root.find(".//math") is None and root.find(".//img") is None
    fallback = root.find(".//code")
    assert "math-fallback" in fallback.get("class").split()
    assert fallback.text == tex
    assert root.find("p").text_content() == f"前 {tex} 后"
    assert any(tex in message for message in warnings(ctx))


def test_display_fallback_is_marked_as_display():
    root, _ = run("<p>" + equation("\\frac{1}{\\\\") + "</p>", rewrite_equations)
    assert root.find(".//code").text == "\\frac{1}{"
    assert set(root.find(".//code").get("class").split()) == {"math-fallback", "math-display"}


def test_aligned_environment_from_a_real_note():
    # content/deep-learning-notes.md: the KL-divergence derivation, as the Markdown reader emits it.
    tex = note_snippet("deep-learning-notes.md", r"\\begin\{aligned\}.*?\\end\{aligned\}")
    html = '<div class="math block">\n' + tex.replace("&", "&amp;").replace("<", "&lt;") + "\n</div>"
    root, ctx = run(html, rewrite_equations)
    math = root.find("math")
    assert math.get("display") == "block"
    assert len(math.findall(".//mtable/mtr")) == 6
    assert math.findtext(f".//{TEX}") == tex  # the author's TeX, not the normalised one
    assert ctx.problems == []


def test_aligned_equation_image():
    root, ctx = run(equation("\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}\\\\"), rewrite_equations)
    math = root.find("math")
    assert math.get("display") == "block" and len(math.findall(".//mtr")) == 2
    assert ctx.problems == []


def test_markdown_math_spans_and_blocks():
    # The shapes zhsite.load.markdown emits for $…$ and $$…$$ (formulas from deep-learning-notes.md).
    root, ctx = run(
        '<p>KL <span class="math inline">KL(p||q) = \\sum p(x) \\log \\frac{p(x)}{q(x)}</span> 即</p>\n'
        '<div class="math block">\nD(P||Q) = \\sum (P(x) \\log(P(x)/Q(x)))\n</div>',
        rewrite_equations,
    )
    inline, block = root.iter("math")
    assert inline.get("display") == "inline" and inline.getparent().tag == "p"
    assert inline.find(".//mfrac") is not None
    assert block.get("display") == "block"
    assert block.findtext(f".//{TEX}") == "D(P||Q) = \\sum (P(x) \\log(P(x)/Q(x)))"
    assert root.find(".//span") is None and root.find(".//div") is None and ctx.problems == []


def test_pandocs_math_spans_lose_their_delimiters():
    # pandoc's HTML (its default --mathjax writing): the TeX inside \\(…\\) and \\[…\\], display by class.
    root, ctx = run('<p>令 <span class="math inline">\\(x^2\\)</span></p><p><span class="math display">\\[\\frac{a}{b}\\]</span></p>',
                    rewrite_equations)
    inline, display = root.iter("math")
    assert (inline.findtext(f".//{TEX}"), inline.get("display")) == ("x^2", "inline")
    assert (display.findtext(f".//{TEX}"), display.get("display")) == ("\\frac{a}{b}", "block")
    assert ctx.problems == []


def test_katex_output_becomes_mathml_of_its_annotated_tex_and_its_drawing_goes():
    # KaTeX's HTML (Notion's export): the MathML with the TeX annotated, then the drawing in spans.
    SQRT = "\\sqrt{d_k}"  # noqa: N806

    def katex(tex: str) -> str:
        return (f'<span class="katex"><span class="katex-mathml"><math><semantics><mrow><mi>q</mi></mrow>'
                f'<annotation encoding="application/x-tex">{tex}</annotation></semantics></math></span>'
                f'<span class="katex-html" aria-hidden="true"><span class="base">DRAWN</span></span></span>')
    root, ctx = run(f'<p>设 {katex("d_k")}</p><span class="katex-display">{katex(SQRT)}</span>', rewrite_equations)
    inline, display = root.iter("math")
    assert (inline.findtext(f".//{TEX}"), inline.get("display")) == ("d_k", "inline")
    assert (display.findtext(f".//{TEX}"), display.get("display")) == ("\\sqrt{d_k}", "block")
    assert "DRAWN" not in "".join(root.itertext()) and ctx.problems == []


def test_operator_and_numbering_commands_typeset():
    root, ctx = run(
        equation("\\arg\\max_x f(x)") + equation("\\begin{aligned} a &= b \\nonumber \\end{aligned}")
        + equation("\\begin{equation}\\label{eq:svm} y = wx \\end{equation}"), rewrite_equations  # LaTeX notes label them
    )
    assert len(list(root.iter("math"))) == 3 and ctx.problems == []
    assert "\\" not in "".join(m.text or "" for m in root.iter("mi", "mo"))


def test_mathml_survives_the_whole_rewrite():
    root, _ = run_all(seed_snippet("60692852", r"<p>(?:(?!</p>).)*eeimg(?:(?!</p>).)*</p>"))
    math = root.find(".//math")
    assert math is not None and math.find(".//msubsup") is not None
    assert math.findtext(f".//{TEX}") == "\\mathbb{1}_{ij}^{obj}"


def test_a_labelled_formula_has_an_anchor_where_eqref_links():
    # pandoc writes \eqref{eq:svm} as <a href="#eq:svm">; the label's anchor goes before the formula, typeset or not.
    root, _ = run('<p>见<a href="#eq:svm">[eq:svm]</a></p><p><span class="math display">\\[\\begin{align}a &amp;= b \\label{eq:svm}\\\\'
                  ' c &amp;= d \\label{eq:two}\\end{align}\\]</span></p><p><span class="math inline">\\(\\unknowncommand x \\label{eq:bad}\\)</span></p>',
                  rewrite_equations)
    anchors = [span.get("id") for span in root.iter("span") if span.get("id")]
    assert anchors == ["eq:svm", "eq:two", "eq:bad"]
    assert root.get_element_by_id("eq:svm").getnext().get("id") == "eq:two" and root.get_element_by_id("eq:two").getnext().tag == "math"
    assert root.get_element_by_id("eq:bad").getnext().tag == "code", "a formula shown as its TeX is linked to too"
