"""Formulas → MathML made at build time, so pages need no script and no network.

Sources: Zhihu equation images (``<img eeimg src=".../equation?tex=...">``,
display when the TeX ends in ``\\\\``), 语雀's (``…/__latex/….svg#card=math&code=…``, display when alone in
its paragraph), the ``span.ztext-math[data-tex]`` of
rendered pages (the MathJax output inside is dropped, or every formula would
show twice), the ``span.math``/``div.math`` elements the Markdown reader
emits (and pandoc, with its ``\\(…\\)`` delimiters), and KaTeX's output
(``span.katex``, its TeX in a MathML annotation: a note exported from Notion).  The TeX stays inside the MathML as an
annotation for copy and search; a formula latex2mathml cannot convert keeps
its TeX in a styled fallback and a warning, never an exception.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import unquote_plus, urlsplit

import latex2mathml.converter
from lxml import etree
from lxml.html import HtmlElement

from zhsite.pictures import yuque_tex
from zhsite.rewrite.context import RewriteContext
from zhsite.rewrite.mathml_core import align_eqnarray, for_mathml_core, pad_ragged_rows
from zhsite.tree import has_class, replace, safe_value

# Environments latex2mathml misreads, mapped to ones it typesets the same way.
_ENVIRONMENTS = {"aligned": "align*", "alignedat": "align*", "split": "align*", "eqnarray": "align*", "eqnarray*": "align*"}
_ENVIRONMENT = re.compile(r"\\(begin|end)\{(" + "|".join(re.escape(e) for e in _ENVIRONMENTS) + r")\}(\{\d+\})?")
NOT_TYPESET = "formula could not be typeset, shown as TeX"
_TRAILING_BREAK = re.compile(r"(\\\\\s*)+$")
# Common commands latex2mathml does not know: an operator name, and numbering no-ops.
_COMMANDS = {"arg": r"\operatorname{arg}", "nonumber": "", "notag": ""}
_COMMAND = re.compile(r"\\(" + "|".join(_COMMANDS) + r")(?![A-Za-z])")
# latex2mathml drops \mathrm on a single letter (\mathrm{d}x comes out italic) but keeps {\rm d}.
_MATHRM = re.compile(r"\\mathrm\{([^{}]*)\}")
# Spacing inside \operatorname{arg\,max} makes latex2mathml lose the name: the name is what matters.
_OPERATORNAME = re.compile(r"\\operatorname\*?\{([^{}]*)\}")
_TEX_SPACE = re.compile(r"\\[,;:! ]")
_EQNARRAY = re.compile(r"\\begin\{eqnarray\*?\}")
# A label names a formula for \ref in print and shows nothing: latex2mathml does not know it.
_LABEL = re.compile(r"\\label\{([^{}]*)\}")
# latex2mathml prints a command it does not know as text (``<mi>\foo</mi>``): that is a failure too.
_UNKNOWN_COMMAND = re.compile(r"\\[A-Za-z]+")


def _normalise(tex: str) -> str:
    tex = _LABEL.sub("", tex)
    tex = _COMMAND.sub(lambda m: _COMMANDS[m.group(1)], tex)
    tex = _MATHRM.sub(lambda m: f"{{\\rm {m.group(1)}}}", tex)
    tex = _OPERATORNAME.sub(lambda m: "\\operatorname{" + _TEX_SPACE.sub("", m.group(1)) + "}", tex)
    return _ENVIRONMENT.sub(lambda m: f"\\{m.group(1)}{{{_ENVIRONMENTS[m.group(2)]}}}", tex)


@lru_cache(maxsize=4096)
def tex_to_mathml(tex: str, display: bool) -> str | None:
    """MathML for *tex*, or None when it cannot be typeset."""
    try:
        mathml = latex2mathml.converter.convert(_normalise(tex), display="block" if display else "inline")
        math = etree.fromstring(mathml)
    except Exception:  # latex2mathml raises many kinds on bad TeX; any of them means "cannot typeset"
        return None
    for element in math.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(math)
    if math.find(".//merror") is not None:
        return None
    if any(_UNKNOWN_COMMAND.fullmatch((element.text or "").strip()) for element in math.iter()):
        return None
    for_mathml_core(math)
    if _EQNARRAY.search(tex):
        align_eqnarray(math)
    pad_ragged_rows(math)
    children = list(math)
    semantics = etree.SubElement(math, "semantics")
    row = etree.SubElement(semantics, "mrow") if len(children) != 1 else semantics
    for child in children:
        row.append(child)
    annotation = etree.SubElement(semantics, "annotation", encoding="application/x-tex")
    annotation.text = tex
    return etree.tostring(math, encoding="unicode")


# The equation service's ``tex`` parameter runs to the end or to the next ``&name=``: exporters that
# left ``&`` unencoded (``\\begin{array}{cc}1&0``) must not lose the TeX after it.
_TEX_PARAMETER = re.compile(r"(?:^|&)tex=(.*?)(?=&[A-Za-z_][\w-]*=|$)", re.S)


def _zhihu_tex(img: HtmlElement) -> str:
    """The TeX of an equation image: its URL's, or its ``alt`` when the URL's is only the start of it."""
    found = _TEX_PARAMETER.search(urlsplit(img.get("src") or "").query)
    from_url = unquote_plus(found[1]) if found else ""
    alt = (img.get("alt") or "").strip()
    if not from_url or (len(alt) > len(from_url.strip()) and alt.startswith(from_url.strip())):
        return alt
    return from_url


def _zhihu_formula(tex: str, marker: str | None) -> tuple[str, bool]:
    """Zhihu marks a display formula by a trailing ``\\\\`` or (some editors) ``eeimg="2"``."""
    display = marker == "2" or bool(_TRAILING_BREAK.search(tex))
    return _TRAILING_BREAK.sub("", tex).strip(), display


def _formula(element: HtmlElement) -> tuple[str, bool] | None:
    """The TeX of *element* and whether it is a display formula, if it is a formula."""
    if element.tag == "img" and (element.get("eeimg") or "zhihu.com/equation" in (element.get("src") or "")):
        return _zhihu_formula(_zhihu_tex(element), element.get("eeimg"))
    if element.tag == "img" and (tex := yuque_tex(element.get("src") or "")):
        return tex, _alone_in_paragraph(element)
    if element.tag == "span" and has_class(element, "ztext-math"):
        return _zhihu_formula(element.get("data-tex") or "", element.get("data-eeimg"))
    if element.tag == "span" and has_class(element, "katex"):
        tex = "".join(element.xpath(".//annotation[@encoding='application/x-tex']//text()")).strip()
        parent = element.getparent()
        return (tex, parent is not None and has_class(parent, "katex-display")) if tex else None
    if element.tag != "img" and has_class(element, "math"):
        return _undelimited(element.text_content().strip()), has_class(element, "block") or has_class(element, "display")
    return None


def _alone_in_paragraph(element: HtmlElement) -> bool:
    """A formula that is its paragraph's only content: displayed (语雀 marks none; its author put it on a line of its own)."""
    parent = element.getparent()
    return (parent is not None and parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip()
            and not (element.tail or "").strip())


def _undelimited(tex: str) -> str:
    """The TeX of a formula pandoc wrote with its delimiters (``\\(…\\)``, ``\\[…\\]``), without them."""
    if tex[:2] in ("\\(", "\\[") and tex[-2:] == {"\\(": "\\)", "\\[": "\\]"}[tex[:2]]:
        return tex[2:-2].strip()
    return tex


def _formulas(root: HtmlElement) -> Iterator[tuple[HtmlElement, str, bool]]:
    taken: set[HtmlElement] = set()
    for element in list(root.iter("img", "span", "div")):
        formula = _formula(element)
        if formula is None or any(ancestor in taken for ancestor in element.iterancestors()):
            continue  # not a formula, or a part of one (MathJax output) already replaced
        taken.add(element)
        yield element, *formula


def rewrite_equations(root: HtmlElement, ctx: RewriteContext) -> None:
    for element, written, display in _formulas(root):
        tex = safe_value(written, "a formula's TeX")  # it goes into a MathML tree of its own, not an Element
        mathml = tex_to_mathml(tex, display) if tex else None
        if mathml is None:
            ctx.warn(NOT_TYPESET, tex[:80], element.get("data-line"))
            new = element.makeelement("code", {"class": "math-fallback" + (" math-display" if display else "")})
            new.text = tex
        else:
            math = etree.fromstring(mathml)
            new = element.makeelement("math", dict(math.attrib))
            if display:  # a wide formula scrolls in place, so keyboard users must reach it too
                new.set("tabindex", "0")
            new.extend(math)
        replace(element, new)
        _labelled(new, tex)


def _labelled(formula: HtmlElement, tex: str) -> None:
    """An anchor before *formula* for each ``\\label`` in its TeX, where a LaTeX note's ``\\eqref`` links (pandoc
    writes it as a link to ``#`` and the label)."""
    for name in dict.fromkeys(name for name in _LABEL.findall(tex) if name):
        formula.addprevious(formula.makeelement("span", {"id": name}))
