"""Lazy figures → one real, sized ``<img>`` per figure with a zoom link to the full size."""
from __future__ import annotations

import pytest

from tests.rewrite.conftest import run, run_all, seed_article_html, seed_snippet, warnings
from zhsite.rewrite.images import rewrite_lazy_images

FIGURE = r"<figure.*?</figure>"


@pytest.mark.parametrize(
    ("nth", "src", "full", "size", "caption"),
    [
        # 60692852, 1st figure: origin_image with data-original (_r) and a caption.
        (0, "https://pic1.zhimg.com/v2-2fa9d0b279b62fa77229de1a30ca0028_b.jpg",
         "https://pic1.zhimg.com/v2-2fa9d0b279b62fa77229de1a30ca0028_r.jpg", ("842", "216"), "yolo预测时的工作流程"),
        # 60692852, 3rd figure: small content_image, no full-size variant, no caption.
        (2, "https://pic4.zhimg.com/v2-5f61cdfd12fe95f79ea2ab09d126ad97_b.jpg", None, ("398", "270"), None),
    ],
)
def test_lazy_figure_becomes_one_sized_image(nth, src, full, size, caption):
    root, ctx = run(seed_snippet("60692852", FIGURE, nth), rewrite_lazy_images)  # the figure alone: no text around it
    figure = root.find("figure")
    images = figure.findall(".//img")
    assert len(images) == 1 and figure.find(".//noscript") is None
    img = images[0]
    assert img.get("src") == src
    assert (img.get("width"), img.get("height")) == size
    assert (img.get("loading"), img.get("decoding")) == ("lazy", "async")
    assert not [a for a in img.attrib if a.startswith("data-")]
    zoom = figure.find("a")
    if full:
        assert zoom.get("class") == "zoom" and zoom.get("href") == full and img.getparent() is zoom
        assert figure.findtext("figcaption") == caption == img.get("alt")
    else:
        assert zoom is None and figure.find("figcaption") is None
        assert img.get("alt") == ""
    assert ctx.problems == []


def test_every_figure_of_a_real_article_has_one_real_image():
    # 60692852 has 5 figures, each with a placeholder <img> and a <noscript> copy.
    root, _ = run(seed_article_html("60692852"), rewrite_lazy_images)
    figures = root.findall(".//figure")
    assert len(figures) == 5
    for figure in figures:
        (img,) = figure.findall(".//img")
        assert img.get("src").startswith("https://pic") and img.get("width") and img.get("height")
    assert root.find(".//noscript") is None


def test_noscript_copy_is_the_image_when_the_figure_has_no_other():
    root, _ = run(
        '<figure><noscript><img src="https://pic3.zhimg.com/v2-57e4_b.jpg" data-rawwidth="607" data-rawheight="197"'
        ' data-original="https://pic3.zhimg.com/v2-57e4_r.jpg"/></noscript></figure>',
        rewrite_lazy_images,
    )
    (img,) = root.findall(".//img")
    assert img.get("src") == "https://pic3.zhimg.com/v2-57e4_b.jpg"
    assert (img.get("width"), img.get("height")) == ("607", "197")
    assert img.getparent().get("href") == "https://pic3.zhimg.com/v2-57e4_r.jpg"
    assert root.find(".//noscript") is None


@pytest.mark.parametrize("img", ["<img/>", '<img src="  " data-actualsrc=""/>'])
def test_image_without_source_is_dropped_with_a_warning(img):
    root, ctx = run(f"<figure>{img}<figcaption>图</figcaption></figure><p>后文</p>", rewrite_lazy_images)
    assert root.find(".//img") is None
    assert root.findtext(".//p") == "后文"
    assert any("no source" in message for message in warnings(ctx))


@pytest.mark.parametrize("placeholder", [
    "data:image/svg+xml;utf8,&lt;svg&gt;&lt;/svg&gt;", "//zhstatic.zhihu.com/assets/zhihu/ztext/whitedot.jpg"])
def test_a_lazy_loading_placeholder_is_never_published(placeholder):
    # Exporters leave the stand-in as src; the picture is in data-original, else it is missing.
    root, _ = run(f'<figure><img src="{placeholder}" data-original="//pic1.zhimg.com/v2-ab_r.jpg"/></figure>', rewrite_lazy_images)
    assert root.find(".//img").get("src") == "https://pic1.zhimg.com/v2-ab_r.jpg", "protocol-relative made https:"
    root, ctx = run(f'<figure><img src="{placeholder}" data-rawwidth="607" data-rawheight="197"/><figcaption>图</figcaption></figure>',
                    rewrite_lazy_images)
    assert root.find(".//img") is None
    assert root.find('.//span[@class="image-unavailable"]').text_content() == "图片未能保存：图607 × 197"
    assert any("lazy-loading placeholder" in message for message in warnings(ctx))


@pytest.mark.parametrize(("attributes", "size"), [
    ('width="50%"', {"width": "50%"}), ('width="300"', {"width": "300"}), ('width="300px" height="200"', {"width": "300", "height": "200"}),
    ('width="auto"', {}), ('data-rawwidth="640" data-rawheight="480" width="50%"', {"width": "640", "height": "480"})])
def test_the_size_an_author_gave_a_picture_is_kept(attributes, size):
    root, _ = run(f'<p><img src="https://pic1.zhimg.com/a.jpg" {attributes}></p>', rewrite_lazy_images)
    img = root.find(".//img")
    assert {name: img.get(name) for name in ("width", "height") if img.get(name)} == size


def test_image_already_in_a_link_gets_no_second_link():
    root, _ = run(
        '<a href="https://example.com/"><img src="https://pic1.zhimg.com/v2-a_b.jpg"'
        ' data-original="https://pic1.zhimg.com/v2-a_r.jpg"/></a>',
        rewrite_lazy_images,
    )
    assert len(root.findall(".//a")) == 1 and root.find("a").get("href") == "https://example.com/"


def test_text_after_an_image_stays_in_place():
    root, _ = run(
        '<p>前<img src="data:x" data-actualsrc="https://pic1.zhimg.com/v2-a_b.jpg"'
        ' data-original="https://pic1.zhimg.com/v2-a_r.jpg"/>后</p>',
        rewrite_lazy_images,
    )
    assert root.find("p").text_content() == "前后"
    assert root.find("p/a[@class='zoom']").tail == "后"


def test_a_picture_without_caption_is_named_by_the_text_around_it():
    # 60692852: three of five figures have no caption; the text after each says what it shows.
    root, _ = run_all(seed_article_html("60692852"))
    alts = [img.get("alt") for img in root.iter("img")]
    assert alts[:3] == ["yolo预测时的工作流程", "yolo网络结构", "yolo将目标检测看做回归问题，所有的loss都采用均方误差。"]
    # A formula in the sentence is said as 公式, never as its TeX or its MathML's letters.
    assert alts[3].startswith("boudingbox 置信度loss的包括正样本（ 公式 ）的分类损失") and alts[3].endswith("…")
    assert all(alts) and len(alts) == 5


def test_a_picture_introduced_by_the_sentence_before_it_is_named_by_it():
    root, _ = run('<p>耗时如下。测试结果：</p><figure><img src="https://pic1.zhimg.com/a.jpg"/></figure><p>很快。</p>', rewrite_lazy_images)
    assert root.find(".//img").get("alt") == "测试结果："


def test_pictures_are_requested_without_the_pages_referer():
    root, _ = run_all(seed_article_html("60692852"))
    assert {img.get("referrerpolicy") for img in root.iter("img")} == {"no-referrer"}
