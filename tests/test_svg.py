"""SVG pictures copied into the site (``mode = "local"``) keep their drawing and lose every way to run script."""
from __future__ import annotations

import json

import pytest
from lxml import etree, html

from tests.conftest import make_project
from tests.images.server import HOSTILE_SVG
from zhsite.build import build
from zhsite.svg import MAX_BYTES, MAX_DEPTH, UnsafeSvg, with_svg_case, without_script

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def nested(depth: int) -> bytes:
    """An SVG whose elements nest *depth* deep, the svg element included."""
    return b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * (depth - 1) + b"</g>" * (depth - 1) + b"</svg>"


def article(src: str) -> str:
    figure = f'<figure><img src="{src}" data-original="{src}" data-rawwidth="40" data-rawheight="30"/></figure>'
    return json.dumps({"title": "图", "url": "https://zhuanlan.zhihu.com/pics",
                       "article": [{"url": "https://zhuanlan.zhihu.com/p/1", "title": "SVG", "content": f"<p>x</p>{figure}"}]})


def assert_drawing_only(svg: bytes) -> None:
    root = etree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find(".//{http://www.w3.org/2000/svg}rect") is not None, "the drawing is kept"
    for element in root.iter():
        name = etree.QName(element).localname
        assert name not in ("script", "foreignObject"), name
        assert element.get("attributeName") is None, f"{name} animates {element.get('attributeName')}"
        for attribute, value in element.attrib.items():
            assert not etree.QName(attribute).localname.lower().startswith("on"), attribute
            if attribute in ("href", XLINK_HREF):  # at most a path on the site itself: no scheme, no other host
                assert ":" not in value and not value.startswith("//"), f"{name} refers outside the site: {value}"


def published_svgs(site) -> list[bytes]:
    return [path.read_bytes() for path in sorted((site / "images").glob("*.svg"))]


def test_a_downloaded_svg_is_published_without_script_and_so_is_its_cached_copy(tmp_path, image_server):
    project = make_project(tmp_path / "project", {"pics.json": article("https://img.example.org/evil.svg")}, image_server.config())
    for run in ("downloaded", "cached"):
        result = build(project, tmp_path / run)
        assert result.errors == [] and result.images.counts[run] == 1
        [svg] = published_svgs(tmp_path / run)
        assert_drawing_only(svg)
        page = (tmp_path / run / "p" / "1.html").read_text(encoding="utf-8")
        name = next((tmp_path / run / "images").glob("*.svg")).name
        assert f'src="../images/{name}"' in page


def test_an_svg_from_the_image_folders_is_published_without_script(tmp_path):
    project = make_project(tmp_path / "project", {"pics.json": article("https://pic1.zhimg.com/evil.svg")},
                           '[images]\nmode = "local"\noffline = true\ndirs = ["pictures"]\n')
    (project / "pictures").mkdir()
    (project / "pictures" / "evil.svg").write_bytes(HOSTILE_SVG)
    result = build(project, tmp_path / "site")
    assert result.errors == [] and result.images.counts["found locally"] == 1
    [svg] = published_svgs(tmp_path / "site")
    assert_drawing_only(svg)
    assert (project / "pictures" / "evil.svg").read_bytes() == HOSTILE_SVG, "the user's own file is left as it was"


def test_an_svg_that_is_not_xml_is_not_published(tmp_path):
    project = make_project(tmp_path / "project", {"pics.json": article("https://pic1.zhimg.com/broken.svg")},
                           '[images]\nmode = "local"\noffline = true\ndirs = ["pictures"]\n')
    (project / "pictures").mkdir()
    (project / "pictures" / "broken.svg").write_bytes(b"<svg onload='alert(1)'><script>alert(1)</svg")
    result = build(project, tmp_path / "site")
    assert not (tmp_path / "site" / "images").exists()
    assert any("an SVG that does not parse as XML" in p.message for p in result.problems)


@pytest.mark.parametrize(
    ("svg", "reason"),
    [
        (nested(MAX_DEPTH + 1), f"an SVG nested more than {MAX_DEPTH} elements deep"),
        (nested(100_000), "an SVG that does not parse as XML"),  # libxml2's own limit; svg-hush would overflow its stack
        (b'<svg xmlns="http://www.w3.org/2000/svg">' + b" " * MAX_BYTES + b"</svg>", "an SVG larger than 2 MB"),
        (b"<svg onload='alert(1)'><script>alert(1)</svg", "an SVG that does not parse as XML"),
    ],
)
def test_an_svg_too_deep_too_large_or_broken_is_refused_before_filtering(svg, reason):
    with pytest.raises(UnsafeSvg, match=reason):
        without_script(svg)


def test_an_svg_nested_as_deep_as_allowed_is_filtered():
    assert_drawing_only(without_script(nested(MAX_DEPTH - 1).replace(b"</svg>", b'<rect width="1" height="1"/></svg>')))


def test_an_svg_an_html_parser_read_gets_its_names_and_namespace_back():
    page = html.fromstring('<div><svg viewBox="0 0 9 9"><defs><clipPath id="c"><rect width="5" height="5"/></clipPath>'
                           '<linearGradient gradientUnits="userSpaceOnUse" id="g"/></defs><rect clip-path="url(#c)" width="9" height="9"/></svg></div>')
    folded = etree.tostring(page.find("svg"), encoding="unicode", with_tail=False)
    assert "viewbox=" in folded and "<clippath" in folded, "what lxml's HTML parser makes of it"
    restored = with_svg_case(folded)
    for name in ('viewBox="0 0 9 9"', "<clipPath", "</clipPath>", "<linearGradient", 'gradientUnits="userSpaceOnUse"',
                 'xmlns="http://www.w3.org/2000/svg"'):
        assert name in restored
    assert b"<clipPath" in without_script(restored.encode()), "the filter keeps it: it draws clipped"
