"""SVG pictures without script: the only image format that can carry it (a leaf: the image phase, the site's output
and the rewrite's sanitiser all filter with it).

With ``[images] mode = "local"`` a picture is served from the site's own
origin, and a reader who opens an SVG (the zoom link does) runs whatever it
holds: ``<script>``, ``onload=``, ``<foreignObject>`` HTML, ``javascript:``
links.  Every SVG the site publishes goes through svg-hush (Cloudflare's
allow-list filter, made for serving untrusted SVG), which also drops
references to other sites.

svg-hush indents its output by nesting depth, so a deeply nested SVG grows
with the square of its depth (20,000 nested groups: 8 KB in, 800 MB out) and
deeper ones overflow its stack.  lxml reads each SVG first, with libxml2's
limits (no entity expansion, no network), and only a picture of bounded size
and depth is filtered; any other is not published.
"""
from __future__ import annotations

import re
from pathlib import Path

import py_svg_hush
from lxml import etree

MAX_BYTES = 2 * 1024 * 1024  # diagrams and icons are kilobytes; a larger SVG is not a picture worth its risk
MAX_DEPTH = 64  # elements inside elements; drawings nest a handful deep


# The warning for an SVG that cannot be filtered (a file beside a note, or one written into the text).
SVG_UNFILTERED = "SVG that cannot be filtered, left out"


class UnsafeSvg(Exception):
    """An SVG that cannot be filtered, and why (the build's warning says it)."""


def without_script(data: bytes) -> bytes:
    """The SVG reduced to drawing only; UnsafeSvg when it is too large, too deep or not XML."""
    if len(data) > MAX_BYTES:
        raise UnsafeSvg(f"an SVG larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        raise UnsafeSvg("an SVG that does not parse as XML") from None
    if _depth(root) > MAX_DEPTH:
        raise UnsafeSvg(f"an SVG nested more than {MAX_DEPTH} elements deep")
    try:
        return py_svg_hush.filter_svg(data)
    except ValueError:
        raise UnsafeSvg("an SVG that does not parse as XML") from None


def read_svg(path: Path) -> bytes:
    """The file's bytes up to one more than :data:`MAX_BYTES`: enough for :func:`without_script` to refuse a larger one unread."""
    with path.open("rb") as file:
        return file.read(MAX_BYTES + 1)


def _depth(root: etree._Element) -> int:
    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


# The SVG names with capitals, which an HTML parser folds to lower case (the HTML standard's tables that browsers
# use to restore them: "adjust SVG tag names", "adjust SVG attributes").  As XML, <clippath> or viewbox= is another
# name, and a plot clipped to its axes or sized by its viewBox draws wrong or not at all.
_CAMEL_TAGS = ("altGlyph altGlyphDef altGlyphItem animateColor animateMotion animateTransform clipPath feBlend "
               "feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap "
               "feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge "
               "feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence "
               "foreignObject glyphRef linearGradient radialGradient textPath").split()
_CAMEL_ATTRIBUTES = ("attributeName attributeType baseFrequency baseProfile calcMode clipPathUnits diffuseConstant "
                     "edgeMode filterUnits glyphRef gradientTransform gradientUnits kernelMatrix kernelUnitLength "
                     "keyPoints keySplines keyTimes lengthAdjust limitingConeAngle markerHeight markerUnits markerWidth "
                     "maskContentUnits maskUnits numOctaves pathLength patternContentUnits patternTransform "
                     "patternUnits pointsAtX pointsAtY pointsAtZ preserveAlpha preserveAspectRatio primitiveUnits refX "
                     "refY repeatCount repeatDur requiredExtensions requiredFeatures specularConstant specularExponent "
                     "spreadMethod startOffset stdDeviation stitchTiles surfaceScale systemLanguage tableValues targetX "
                     "targetY textLength viewBox viewTarget xChannelSelector yChannelSelector zoomAndPan").split()
_TAG_CASE = {name.lower(): name for name in _CAMEL_TAGS}
_ATTRIBUTE_CASE = {name.lower(): name for name in _CAMEL_ATTRIBUTES}
_FOLDED_TAG = re.compile(r"(?<=<)(/?)(" + "|".join(_TAG_CASE) + r")(?=[\s/>])")
_FOLDED_ATTRIBUTE = re.compile(r"(?<=\s)(" + "|".join(_ATTRIBUTE_CASE) + r")(?==)")


def with_svg_case(svg: str) -> str:
    """An ``<svg>`` an HTML parser read and lxml wrote again (an SVG written inline in a page), as the SVG it was: its
    names' capitals back, and its namespace, which a picture needs and an inline SVG may leave out."""
    svg = _FOLDED_TAG.sub(lambda found: found[1] + _TAG_CASE[found[2]], svg)
    svg = _FOLDED_ATTRIBUTE.sub(lambda found: _ATTRIBUTE_CASE[found[1]], svg)
    if not re.match(r"<svg\b[^>]*\sxmlns=", svg):
        svg = re.sub(r"^<svg\b", '<svg xmlns="http://www.w3.org/2000/svg"', svg, count=1)
    return svg
