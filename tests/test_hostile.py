"""Property tests: whatever a scraper or a stranger's comment holds, no exception escapes and nothing runs.

Hypothesis generates HTML from Zhihu's own vocabulary mixed with hostile
markup, JSON in the archive shapes with wrong types and odd values, and
Markdown and text full of syntax; every input goes through the real loaders
and passes.
"""
from __future__ import annotations

import json
import posixpath

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_project
from tests.rewrite.conftest import parse
from tests.rewrite.test_sanitise import assert_inert
from zhsite.build import build
from zhsite.load import Loaded, load_json
from zhsite.load.markdown import read_markdown
from zhsite.load.plaintext import read_text_note
from zhsite.problems import Problem
from zhsite.rewrite import RewriteContext, rewrite

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])  # the same cases in every CI run

TAGS = ["p", "div", "span", "a", "img", "figure", "figcaption", "noscript", "pre", "code", "table", "tr", "td", "th",
        "h1", "h2", "sup", "script", "style", "iframe", "object", "svg", "math", "base", "meta", "form", "button"]
ATTRIBUTES = st.sampled_from([
    ("href", "javascript:alert(1)"), ("href", " JAVASCRIPT:alert(1)"), ("href", "data:text/html,<script>alert(1)</script>"),
    ("href", "https://link.zhihu.com/?target=javascript%3Aalert(1)"), ("href", "https://link.zhihu.com/?target=https%3A//a.cn/%2525"),
    ("href", "https://zhuanlan.zhihu.com/p/60692852"), ("src", "https://www.zhihu.com/equation?tex=%5Cfrac%7Ba%7D"),
    ("src", "data:image/svg+xml;utf8,<svg onload=alert(1)>"), ("data-actualsrc", "https://pic1.zhimg.com/v2-x_b.jpg"),
    ("data-original", "https://pic1.zhimg.com/v2-x_r.jpg"), ("data-rawwidth", "-1"), ("data-rawheight", "1e9"),
    ("eeimg", "1"), ("eeimg", "2"), ("class", "ztext-math"), ("data-tex", "\\begin{aligned}a&=b\\\\"), ("class", "LinkCard"),
    ("class", "language-python"), ("class", "ztext-empty-paragraph"), ("data-draft-type", "reference"), ("data-numero", "x"),
    ("onerror", "alert(1)"), ("onclick", "alert(1)"), ("style", "position:fixed;inset:0"), ("http-equiv", "refresh"),
    ("content", "0;url=javascript:alert(1)"), ("id", "../../x"), ("tabindex", "-1"), ("formaction", "javascript:alert(1)"),
])
def text_of(tokens: list[str], max_size: int) -> st.SearchStrategy[str]:
    """Text made of characters and whole tokens (a syntax marker, a hostile snippet)."""
    return st.lists(st.sampled_from(tokens), max_size=max_size).map("".join)


TEXT = text_of(list("目标检测注意力 $\\{}_^&<>\"'`*#\n\u200b\ufeff") + ["</p>", "&amp;", "]]>"], 30)


def tag_html(tag: str, attributes: list[tuple[str, str]], text: str, children: list[str]) -> str:
    attrs = "".join(f' {name}="{value}"' for name, value in attributes)
    return f"<{tag}{attrs}>{text}{''.join(children)}</{tag}>"


def element(children):
    return st.builds(tag_html, st.sampled_from(TAGS), st.lists(ATTRIBUTES, max_size=3), TEXT, st.lists(children, max_size=3))


HTML = st.recursive(TEXT, element, max_leaves=12)


def assert_safe(html: str) -> None:
    root = parse(html)
    assert_inert(root)
    for element_ in root.iter():
        assert not (isinstance(element_.tag, str) and element_.get("tabindex") not in (None, "0"))


@SETTINGS
@given(HTML)
def test_any_html_rewrites_to_inert_html(html):
    ctx = RewriteContext(page="p/1.html", source="content/x.json", where="article 1", archived={"p/60692852": "p/60692852.html"})
    body = rewrite(html, ctx)
    assert_safe(body.html)
    assert all(isinstance(p, Problem) for p in ctx.problems)


JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT | HTML
FIELDS = st.sampled_from(["title", "url", "id", "content", "article", "articles", "data", "paging", "comments", "childComments",
                          "child_comments", "topic", "topics", "tag", "tagLink", "userName", "userLink", "author", "name",
                          "url_token", "question", "created", "createdTime", "voteup_count", "voteupCount", "upvote",
                          "likes", "replyToAuthor", "column", "followers", "description", "rawHtml", "type"])
JSON = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(FIELDS, inner, max_size=6), max_leaves=20)
ARCHIVE = st.fixed_dictionaries({"title": JSON_SCALARS}, optional={"article": st.lists(JSON, max_size=3), "data": st.lists(JSON, max_size=3)}) | JSON


@SETTINGS
@given(ARCHIVE)
def test_any_json_loads_or_is_reported_never_raises(data):
    loaded = Loaded()
    load_json(json.dumps(data, ensure_ascii=False), "content/x.json", loaded)
    assert all(isinstance(p, Problem) and p.file == "content/x.json" for p in loaded.problems)


NOTE_TEXT = text_of(list("#$`*_-+>|![]()<>{}\\\n \t1.、0xA注意力") + ["```", "$$", "---\n", "+++\n", "这里写图片描述", "https://a.cn/x,",
                                                                       "<script>", "\\begin{aligned}", "<span style=\"color:red;\">"], 200)


@SETTINGS
@given(NOTE_TEXT)
def test_any_note_text_reads_and_rewrites_safely(text):
    for read in (read_markdown, read_text_note):
        loaded = read(text, "content/n.md")
        note, problems = (loaded.notes or [a for c in loaded.columns for a in c.articles])[0], loaded.problems
        assert note.title
        assert all(isinstance(p, Problem) for p in problems)
        assert_safe(rewrite(note.content, RewriteContext(page=note.path)).html)


HOSTILE_NAMES = st.sampled_from(["../../etc/passwd", "/abs", "a\x00b", "..", "CON", "x" * 300, "a/b\\c", "<script>", "", " "]) | TEXT


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(HOSTILE_NAMES, HOSTILE_NAMES, HOSTILE_NAMES), min_size=1, max_size=4))
def test_hostile_ids_titles_and_topics_never_leave_the_output_folder(tmp_path_factory, posts):
    archive = {"title": "t", "url": "https://zhuanlan.zhihu.com/../../x", "article": [
        {"id": post_id, "title": title, "content": "<p>x</p>", "topic": [{"tag": topic, "tagLink": f"https://api.zhihu.com/topics/{topic}"}],
         "userName": title, "userLink": f"https://www.zhihu.com/people/{post_id}"}
        for post_id, title, topic in posts
    ]}
    project = make_project(tmp_path_factory.mktemp("hostile"), {"x.json": json.dumps(archive)})
    result = build(project)
    for name in result.files:
        assert name == posixpath.normpath(name) and not name.startswith(("/", "..")) and "\x00" not in name
    assert (project / "site" / "index.html").is_file()
