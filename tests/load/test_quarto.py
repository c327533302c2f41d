"""Quarto and R Markdown notes (``.qmd``, ``.Rmd``): callouts are boxes, code chunks are code in their language.

Written as Quarto's and knitr's documentation write them: ``::: {.callout-note}``,
``::: {.callout-warning title="…"}``, a fenced div of no callout (``::: {.columns}``),
chunks ```` ```{python} ```` with ``#|`` option lines, ```` ```{r, echo=FALSE} ````.
"""
from __future__ import annotations

import re

from tests.conftest import site_built_as_a_user

QMD = """---
title: "线性回归"
date: 2024-03-01
---

::: {.callout-note}
最小二乘的闭式解。
:::

::: {.callout-warning title="小心"}
矩阵可能奇异。
:::

::: {.columns}
两栏的内容。
:::

```{python}
#| echo: true
#| label: fit
import numpy as np
```

```{r, echo=FALSE}
lm(y ~ x)
```

```{.python}
print(1)
```
"""


def test_quarto_and_r_markdown_callouts_and_chunks(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {"notes/回归.qmd": QMD, "notes/分类.Rmd": QMD.replace("线性回归", "逻辑回归")})
    assert result.returncode == 0, result.stderr
    for name in ("回归", "分类"):
        page = (site / "notes" / f"{name}.html").read_text(encoding="utf-8")
        body = page[page.index('class="entry-body"'):]
        assert re.search(r'<aside class="callout callout-note">\s*<p class="callout-title">注</p>\s*<p>最小二乘的闭式解。</p>', body)
        assert re.search(r'<aside class="callout callout-warning">\s*<p class="callout-title">小心</p>', body)
        assert re.search(r"<div>\s*<p>两栏的内容。</p>\s*</div>", body) and ":::" not in body
        assert re.search(r'<code class="language-python"><span class="kn">import</span>', body), "highlighted as Python"
        assert "#|" not in body and "echo" not in body, "chunk options are not shown, as Quarto shows the chunk"
        assert re.search(r'<code class="language-r"><span class="nf">lm</span>', body)
        assert body.count('class="language-python"') == 2
