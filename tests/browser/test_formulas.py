"""Formulas in Chromium: styled letters drawn, operator names spaced, the theme's math font loaded from the site."""
from __future__ import annotations

import re
import shutil

from tests.browser.conftest import hold_remote_requests, http_served
from zhsite.rewrite.math import tex_to_mathml

YOLO = "p/60692852.html"  # \mathbb{1}_{ij}^{obj} six times
FONT_FAMILY = "zhsite STIX Two Math"


def test_double_struck_ones_are_drawn_with_the_sites_math_font(page, site_url):
    hold_remote_requests(page)
    fonts: list[str] = []
    page.on("requestfinished", lambda r: r.url.endswith(".woff2") and fonts.append(r.url))
    page.goto(site_url + YOLO, wait_until="load")
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate(
        f"""async () => {{ await document.fonts.ready;
              return [...document.fonts].filter(f => f.family.replaceAll('"', '') === '{FONT_FAMILY}').map(f => f.status); }}"""
    )
    assert loaded == ["loaded"]
    assert len(fonts) == 1 and re.fullmatch(re.escape(site_url) + r"static/fonts/stix-two-math\.[0-9a-f]{12}\.woff2", fonts[0])
    text = page.evaluate("() => [...document.querySelectorAll('math')].map(m => m.textContent).join(' ')")
    assert text.count("𝟙") >= 6
    # The font has the glyph, so Chromium draws 𝟙, not a fallback box or a plain 1.
    assert page.evaluate(f"() => document.fonts.check('16px \"{FONT_FAMILY}\"', '𝟙𝒙ℒ')")


def test_every_letter_and_operator_of_the_seed_formulas_is_drawn_from_the_subset(page, site_url):
    """The subset holds what Chromium draws (𝑥 for <mi>x</mi>): no token falls back to another font."""
    hold_remote_requests(page)
    cdp = page.context.new_cdp_session(page)
    fallbacks, tokens = [], 0
    for path in (YOLO, "notes/deep-learning-notes.html"):
        page.goto(site_url + path, wait_until="load")
        page.evaluate("document.fonts.ready")
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "math mi, math mn, math mo"})["nodeIds"]:
            used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            tokens += 1
            fallbacks += [f"{path}: {font['familyName']}" for font in used if not font["isCustomFont"] or font["familyName"] != "STIX Two Math"]
    assert tokens > 200 and fallbacks == []


def test_styled_letters_and_operator_spacing(page, seed_site, tmp_path):
    """Formulas the seeds lack, on a page with the seed site's theme."""
    formulas = [r"\boldsymbol{x}", r"\mathbb{1}", r"\log q", r"\mathcal{L}(\theta)", r"\mathrm{d}x"]
    body = "".join(f'<p id="f{i}">{tex_to_mathml(tex, False)}</p>' for i, tex in enumerate(formulas))
    shutil.copytree(seed_site / "static", tmp_path / "static")
    (tmp_path / "formulas.html").write_text(f'<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="static/style.css">{body}', encoding="utf-8")
    with http_served(tmp_path) as url:
        page.goto(url + "formulas.html", wait_until="load")
        page.evaluate("document.fonts.ready")
        texts = page.evaluate("() => [...document.querySelectorAll('p math')].map(m => m.querySelector('semantics > :first-child').textContent)")
        assert texts[0] == "𝒙" and texts[1] == "𝟙" and texts[3].startswith("ℒ")
        gap = page.evaluate(
            """() => { const [log, , q] = document.querySelectorAll('#f2 mrow > *');
                       return q.getBoundingClientRect().left - log.getBoundingClientRect().right; }"""
        )
        assert gap > 1  # "log q", not "logq"
        styles = page.evaluate("() => [...document.querySelectorAll('#f4 mi')].map(mi => getComputedStyle(mi).textTransform)")
        assert styles[0] == "none"  # \mathrm{d}: upright (mathvariant=normal turns off the one-letter italic)


def test_no_formula_in_the_seed_site_relies_on_a_style_chromium_ignores(seed_site):
    ignored, formulas = [], 0
    for path in sorted(seed_site.rglob("*.html")):
        formulas += path.read_text(encoding="utf-8").count("<math")
        for tag, variant in re.findall(r'<(m\w+)[^>]*\bmathvariant="([^"]+)"', path.read_text(encoding="utf-8")):
            if not (tag == "mi" and variant == "normal"):
                ignored.append(f"{path.relative_to(seed_site)}: <{tag} mathvariant={variant}>")
    assert ignored == [] and formulas > 30  # <math> elements in the seed site (41)


def test_scripts_and_inline_fractions_are_at_least_seventy_percent_of_the_text(page, seed_site, tmp_path):
    """A script of a script and a script in an inline fraction were 55 % of the formula (6-10 px): hard to read."""
    formulas = [r"e^{x_{i}}", r"\frac{a_{i}}{b}", r"x^{y^{z^{w}}}", r"\sum_{i = 1}^{n} x_i"]
    body = "".join(f'<p id="f{i}">文字 {tex_to_mathml(tex, False)} 文字</p>' for i, tex in enumerate(formulas))
    shutil.copytree(seed_site / "static", tmp_path / "static")
    (tmp_path / "scripts.html").write_text(f'<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="static/style.css">{body}', encoding="utf-8")
    with http_served(tmp_path) as url:
        page.goto(url + "scripts.html", wait_until="load")
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('p')].map(p => [...p.querySelectorAll('semantics mi, semantics mn')].map(
                   e => parseFloat(getComputedStyle(e).fontSize) / parseFloat(getComputedStyle(p).fontSize)))"""
        )
    assert [len(letters) for letters in sizes] == [3, 3, 4, 5]
    assert min(min(letters) for letters in sizes) >= 0.7
    assert max(sizes[0]) > 1, "the base stays at the formula's size, above the text's"
