"""latex2mathml's MathML made to mean the same in MathML Core, what Chromium implements.

MathML Core ignores ``mathvariant`` except ``normal`` on ``<mi>``: ``\\mathbb{1}``
arrives as ``<mn mathvariant="double-struck">1</mn>`` and shows as a plain 1,
``\\boldsymbol{x}`` is not bold.  The style goes into the characters instead, as
Unicode's Mathematical Alphanumeric Symbols (𝟙, 𝒙, 𝓛), which every engine and
copy-paste keeps.  Operator names (``\\log``, ``\\max``) are followed by an
invisible function application so ``\\log q`` does not run together as "logq".
MathML Core has no ``columnalign`` either (the theme styles it), and lays out a
row with fewer cells than its table misaligned, so short rows are padded.

Spacing follows TeX's where Chromium's operator dictionary differs: bars
are ordinary symbols, a minus with no operand before it is a sign, operator
names get thin spaces, and operators in scripts get none.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from lxml import etree

TOKENS = ("mi", "mn", "mo", "mtext", "ms")
# Unicode's name for each mathvariant's style ("MATHEMATICAL BOLD ITALIC SMALL X").
_STYLES = {
    "bold": "BOLD", "italic": "ITALIC", "bold-italic": "BOLD ITALIC", "double-struck": "DOUBLE-STRUCK",
    "script": "SCRIPT", "bold-script": "BOLD SCRIPT", "fraktur": "FRAKTUR", "bold-fraktur": "BOLD FRAKTUR",
    "sans-serif": "SANS-SERIF", "bold-sans-serif": "SANS-SERIF BOLD", "sans-serif-italic": "SANS-SERIF ITALIC",
    "sans-serif-bold-italic": "SANS-SERIF BOLD ITALIC", "monospace": "MONOSPACE",
}
# Letters Unicode encoded before the mathematical block, where the block has a hole.
_OLDER = {"SCRIPT": "SCRIPT", "DOUBLE-STRUCK": "DOUBLE-STRUCK", "FRAKTUR": "BLACK-LETTER"}
# TeX's operator names, which latex2mathml writes as <mi>log</mi> or <mo>max</mo>.
OPERATOR_NAMES = frozenset(
    "arccos arcsin arctan arg cos cosh cot coth csc deg det dim exp gcd hom inf ker lg lim liminf limsup "
    "ln log max min Pr sec sin sinh sup tan tanh".split()
)
# Scripted elements and how many children they have: the first is the base.
_SCRIPTED = {"msub": 2, "msup": 2, "msubsup": 3, "munder": 2, "mover": 2, "munderover": 3}
_BARS = ("|", "‖")
_CLOSING = frozenset(")]}⟩⌉⌋!′″")
_SIGNS = frozenset("−-+±∓")
_APPLY = "\u2061"
_THIN = "0.1667em"


@lru_cache(maxsize=1024)
def styled(char: str, variant: str) -> str:
    """*char* in *variant*'s mathematical style, or as it is when Unicode has no such letter."""
    style = _STYLES.get(variant)
    try:
        name = unicodedata.name(char)
    except ValueError:
        return char
    if style is None:
        return char
    letter = name.removeprefix("LATIN ").removeprefix("GREEK ").replace(" LETTER ", " ")
    if name.startswith("DIGIT "):
        letter = name
    elif not name.startswith(("LATIN CAPITAL LETTER ", "LATIN SMALL LETTER ", "GREEK CAPITAL LETTER ", "GREEK SMALL LETTER ")):
        return char
    candidates = [f"MATHEMATICAL {style} {letter}"]
    if style in _OLDER:
        candidates.append(f"{_OLDER[style]} {letter}")
    if (style, letter) == ("ITALIC", "SMALL H"):
        candidates.append("PLANCK CONSTANT")
    for candidate in candidates:
        try:
            return unicodedata.lookup(candidate)
        except KeyError:
            continue
    return char


def _restyle(token: etree._Element, variant: str) -> None:
    token.text = "".join(styled(c, variant) for c in token.text or "")


def _variants_into_characters(math: etree._Element) -> None:
    for element in list(math.iter()):
        variant = element.get("mathvariant")
        if variant is None or (variant == "normal" and element.tag == "mi"):
            continue
        del element.attrib["mathvariant"]
        if variant == "normal":
            continue  # upright is what every token but a one-letter <mi> already is
        if element.tag in TOKENS:
            _restyle(element, variant)
            continue
        for token in element.iter(*TOKENS):  # a style on a row is its tokens' style
            if token.get("mathvariant") is None:
                _restyle(token, variant)


def _core(element: etree._Element) -> etree._Element:
    """The operator a scripted element is embellishing (``\\sum_i`` is an operator), or the element itself."""
    while element.tag in _SCRIPTED and len(element):
        element = element[0]
    return element


def _ends_operand(element: etree._Element | None) -> bool:
    """Whether *element* ends an operand (``x``, ``)``, ``x^2``, a closing ``|``), so an operator after it is binary.

    A bar closes when an operand comes before it (``|x| - 1``, not ``|-x|``): a run of bars is walked back, not
    recursed into, as a formula may hold thousands.
    """
    while element is not None:
        core = _core(element)
        text = (core.text or "").strip()
        if core.tag != "mo":
            return True
        if text not in _BARS:
            return text in _CLOSING
        element = element.getprevious()
    return False


def _apply_operator_names(math: etree._Element) -> None:
    """TeX spaces ``\\log`` as an operator: thin after an operand before it (``f(x)\\log``, ``x^2\\log``), thin
    before an operand after it (``\\log q``, ``\\max_i x``), none at a bracket (``\\log(q)``)."""
    for name in list(math.iter("mi", "mo")):
        text = (name.text or "").strip()
        if name.tag == "mi" and text in OPERATOR_NAMES:
            name.set("mathvariant", "normal")
        elif not (name.tag == "mo" and len(text) > 1 and text.isalpha()):
            continue  # \max, \lim and \operatorname{…} come out as <mo>
        applied = name
        parent = name.getparent()
        if parent is not None and parent.tag in _SCRIPTED and parent[0] is name:
            applied = parent  # \max_{i} x: the whole msub is applied to x
        after_operand = _ends_operand(applied.getprevious())
        if name.tag == "mo":  # not in the operator dictionary: Chromium would give it thick spaces
            name.attrib.update({"lspace": _THIN if after_operand else "0", "rspace": "0"})
        elif after_operand:
            applied.addprevious(etree.Element("mspace", width=_THIN))
        following = applied.getnext()
        if following is None or (following.tag == "mo" and following.text == _APPLY):
            continue
        apply = etree.Element("mo")
        apply.text = _APPLY
        if following.tag != "mo":
            apply.set("rspace", _THIN)
        applied.addnext(apply)


def _unspaced(operator: etree._Element) -> None:
    operator.attrib.update({"lspace": "0", "rspace": "0"})


def _bars_unspaced(math: etree._Element) -> None:
    """``|`` and ``‖`` are ordinary symbols in TeX (``|x|``, ``P\\|Q``), and ``||`` is one ``‖``: never operator space."""
    for bar in list(math.iter("mo")):
        if (bar.text or "").strip() not in _BARS or bar.getparent() is None:
            continue
        following = bar.getnext()
        if bar.text.strip() == "|" and following is not None and following.tag == "mo" and (following.text or "").strip() == "|":
            bar.text = "‖"
            bar.getparent().remove(following)
        _unspaced(bar)


def _unary_signs(math: etree._Element) -> None:
    """A minus with no operand before it (start, after ``=``, ``(``, ``,``, ``\\sum``) is a sign, not a binary operator."""
    for sign in math.iter("mo"):
        if (sign.text or "").strip() in _SIGNS and not _ends_operand(sign.getprevious()):
            _unspaced(sign)


def _script_level_spacing(math: etree._Element) -> None:
    """TeX leaves out the spaces around ``=`` and ``+`` in scripts (``\\sum_{i=1}``) and in an inline fraction's parts."""
    inline = math.get("display") != "block"
    for element in math.iter(*_SCRIPTED, "mmultiscripts", "mroot", "mfrac"):
        if element.tag == "mfrac" and not inline:
            continue
        scripts = list(element) if element.tag == "mfrac" else list(element)[1:]
        for script in scripts:
            for operator in script.iter("mo"):
                for side in ("lspace", "rspace"):
                    operator.set(side, operator.get(side, "0"))


def _one_base(math: etree._Element) -> None:
    """latex2mathml puts ``(``, the table and ``)`` of ``\\begin{pmatrix}…\\end{pmatrix}^{-1}`` side by side as the
    script's base: four children, which Chromium lays out as nonsense.  They become one ``<mrow>`` base."""
    for element in list(math.iter(*_SCRIPTED)):
        extra = len(element) - _SCRIPTED[element.tag]
        if extra > 0:
            base = etree.Element("mrow")
            base.extend(list(element)[: extra + 1])
            element.insert(0, base)


def for_mathml_core(math: etree._Element) -> None:
    _one_base(math)
    _variants_into_characters(math)
    _bars_unspaced(math)
    _apply_operator_names(math)
    _unary_signs(math)
    _script_level_spacing(math)  # last: the explicit spaces set above stay


def align_eqnarray(math: etree._Element) -> None:
    """eqnarray's columns are right, centre, left (``a &=& b``), not align's right, left."""
    for row in math.iter("mtr"):
        for number, cell in enumerate(row.findall("mtd")):
            cell.set("columnalign", ("right", "center", "left")[number % 3])


def pad_ragged_rows(math: etree._Element) -> None:
    for table in math.iter("mtable"):
        rows = table.findall("mtr")
        width = max((len(row.findall("mtd")) for row in rows), default=0)
        for row in rows:
            for _ in range(width - len(row.findall("mtd"))):
                etree.SubElement(row, "mtd")
