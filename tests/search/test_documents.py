"""A page's text as search reads it: each line's spaces collapsed and its Markdown marks dropped."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zhsite.search.documents import MARKDOWN, MARKDOWN_LINK, _link_text, _shown_line

# Lines made of what the marks are made of: white space of every kind, brackets, emphasis, heading and list marks.
LINES = st.text(st.sampled_from(" \t\r\u3000\x0b\x85\u2028a中.#>-+*![]()/（）"), max_size=40)


@settings(max_examples=1000, deadline=None, derandomize=True)
@given(LINES)
def test_a_line_is_what_every_pattern_tried_on_it_makes_of_it(line):
    """The patterns are tried only where a line holds what they start with: never a different line for it."""
    assert _shown_line(line) == MARKDOWN.sub("", MARKDOWN_LINK.sub(_link_text, " ".join(line.split()))).strip()


def test_the_marks_archives_kept_as_text_are_dropped():
    assert _shown_line("  ## 实验  平台 ") == "实验 平台"
    assert _shown_line("模型**文件的体积**很小") == "模型文件的体积很小"
    assert _shown_line("- 列表项") == "列表项"
    assert _shown_line("见[《论文》](https://a.cn/p)和[微调](微调 - 维基百科)") == "见《论文》和微调（微调 - 维基百科）"
