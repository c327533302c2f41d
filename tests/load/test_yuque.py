"""A 语雀 (Yuque) Markdown export: its formulas typeset from the TeX it keeps in each formula picture's address.

Yuque exports a formula as a picture of it, ``![](https://cdn.nlark.com/yuque/__latex/<md5>.svg#card=math&code=
<TeX, URL-encoded>&id=…)``, and writes an empty named anchor (``<a name="…"></a>``) on the line before each
heading; the fixture is written from those forms as public exports show them (pictures' addresses with Yuque's
``#averageHue=…&clientId=…`` fragment, a coloured ``<font>``).
"""
from __future__ import annotations

import re

from tests.conftest import site_built_as_a_user

EXPORT = """<a name="ZqL7v"></a>
# 注意力机制
<a name="k3Jx1"></a>
## 缩放点积
定义为![](https://cdn.nlark.com/yuque/__latex/a578f93d86a9111f5900e4681f14ce16.svg#card=math&code=%5Cmathrm%7Bsoftmax%7D%28QK%5ET%2F%5Csqrt%7Bd_k%7D%29V&id=Oje4r)，其中![](https://cdn.nlark.com/yuque/__latex/bb82cc3fd01ca17fd3ef04e5cfc4162a.svg#card=math&code=d_k&id=TLh72)是<font style="color:#DF2A3F;">键的维度</font>。

![](https://cdn.nlark.com/yuque/__latex/e3b0ba891660a61dc509fa91ebe812eb.svg#card=math&code=S%3D%5Cfrac%7B1%7D%7B%281-P%29%2B%5Cfrac%7BP%7D%7BN%7D%7D&id=KA9et)

较新的导出只留下图片：![](https://cdn.nlark.com/yuque/__latex/607acaa73c762411b20745149a11e90b.svg)

![image.png](https://cdn.nlark.com/yuque/0/2023/png/2100000/1690000000000-aaaa.png#averageHue=%23f4f4f4&clientId=u1&from=paste&height=200&id=u2&originHeight=400&originWidth=600&originalType=binary&ratio=2&status=done&style=none&width=300)
"""


def test_a_yuque_export_shows_its_formulas_typeset_and_its_title_once(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {"语雀/注意力机制.md": EXPORT, "zhsite.toml": '[images]\noffline = true\n'})
    assert result.returncode == 0, result.stderr
    page = (site / "notes" / "注意力机制.html").read_text(encoding="utf-8")
    body = page[page.index('class="entry-body"'):]
    assert re.search(r'<math display="inline">.*\\mathrm\{softmax\}\(QK\^T/\\sqrt\{d_k\}\)V</annotation>', body)
    assert re.search(r'<math display="inline">.*>d_k</annotation>', body)
    assert re.search(r'<p><math display="block"[^>]*>.*S=\\frac\{1\}\{\(1-P\)\+\\frac\{P\}\{N\}\}</annotation>', body), \
        "a formula alone in its paragraph is displayed"
    assert "card=math" not in body, "no formula shown as its picture"
    assert "注意力机制" not in body and "<p><a></a></p>" not in body and "<a></a>" not in body, \
        "the title heading leaves the text: the anchor line before it is no paragraph"
    assert "2 pictures" in result.stderr, "the photo and the formula exported without its TeX; no formula fetched as a picture"
