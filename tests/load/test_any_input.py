"""Property tests: any bytes, any text, any JSON as a content file gives pages or problems, never an exception.

Beyond tests/test_hostile.py (well-formed JSON of the archive shapes), these
feed what JSON does not allow but scrapers write (NaN, Infinity, numbers of
thousands of digits, lone surrogates), raw bytes in every encoding, and
column-dump and API shapes with random values in every field; each result is
rewritten, and every text that could reach a page must encode as UTF-8.
Derandomized, so CI runs the same examples every time.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import zip_of
from zhsite.load import Loaded, load_file
from zhsite.problems import Problem
from zhsite.rewrite import RewriteContext, rewrite

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

# Numbers as a scraper may spell them; json.dumps would refuse most, so they are put in after dumping.
ODD_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "9" * 5000, "-" + "1" * 4400, "0", "-1", "1.5", "1e-999"]
NUMBER = st.sampled_from(range(len(ODD_NUMBERS))).map(lambda i: f"\x01NUMBER{i}\x01")
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=30)  # surrogates and controls included
HTML_TEXT = st.lists(st.sampled_from(["<p>", "</p>", "<img src=", '"', "x", "公式", "<a href=javascript:1>", "\ud800",
                                      "<p " + "a " * 150 + ">", "&#xD800;", "\x00", "<!--", "<math>"]), max_size=12).map("".join)
SCALAR = st.none() | st.booleans() | st.integers() | st.floats() | NUMBER | ANY_TEXT | HTML_TEXT
VALUE = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3), max_leaves=10)


def field(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """A field that usually has its expected kind of value, sometimes any value at all."""
    return strategy | VALUE


COMMENT = st.recursive(
    st.fixed_dictionaries({}, optional={"userName": field(ANY_TEXT), "content": field(HTML_TEXT), "likes": field(NUMBER),
                                        "created_time": field(NUMBER), "author": VALUE}),
    lambda inner: st.fixed_dictionaries({"content": HTML_TEXT}, optional={"childComments": st.lists(inner, max_size=2),
                                                                          "child_comments": st.lists(inner, max_size=2)}),
    max_leaves=6,
)
ARTICLE = st.fixed_dictionaries(
    {"url": field(st.sampled_from(["https://zhuanlan.zhihu.com/p/1", "https://zhuanlan.zhihu.com/p/2", "javascript:alert(1)"]))},
    optional={"title": field(ANY_TEXT), "content": field(HTML_TEXT), "upvote": field(NUMBER), "userName": field(ANY_TEXT),
              "userLink": field(ANY_TEXT), "topic": field(st.lists(st.fixed_dictionaries({"tag": field(ANY_TEXT), "tagLink": VALUE}), max_size=2)),
              "comments": field(st.lists(COMMENT, max_size=3)), "id": field(NUMBER)},
)
COLUMN = st.fixed_dictionaries({"article": st.lists(ARTICLE | VALUE, max_size=3)},
                                optional={"title": field(ANY_TEXT), "url": field(ANY_TEXT), "followers": field(NUMBER), "description": VALUE})
POST = st.fixed_dictionaries(
    {"content": field(HTML_TEXT)},
    optional={"id": field(NUMBER), "title": field(ANY_TEXT), "type": st.sampled_from(["article", "answer"]) | VALUE,
              "question": field(st.fixed_dictionaries({}, optional={"id": field(NUMBER), "title": field(ANY_TEXT)})),
              "author": field(st.fixed_dictionaries({}, optional={"name": field(ANY_TEXT), "url_token": field(ANY_TEXT)})),
              "voteup_count": field(NUMBER), "created": field(NUMBER), "updated_time": field(NUMBER),
              "column": field(st.fixed_dictionaries({}, optional={"id": field(ANY_TEXT | NUMBER), "title": field(ANY_TEXT)})),
              "comments": field(st.lists(COMMENT, max_size=3)), "image_url": VALUE},
)
API = POST | st.lists(POST | VALUE, max_size=3) | st.fixed_dictionaries({"data": st.lists(POST, max_size=3), "paging": VALUE})


def json_text(value: object) -> str:
    """*value* as JSON, lone surrogates escaped as \\udXXX, number placeholders spelled as a scraper might."""
    text = json.dumps(value, ensure_ascii=True)
    for i, spelling in enumerate(ODD_NUMBERS):
        text = text.replace(f'"\\u0001NUMBER{i}\\u0001"', spelling)
    return text


def assert_reads_and_rewrites(data: bytes, name: str = "content/x.json") -> None:
    loaded = Loaded()
    load_file(data, name, loaded)
    assert all(isinstance(p, Problem) and p.file == name for p in loaded.problems)
    for column in loaded.columns:
        json.dumps(asdict(column), ensure_ascii=False, default=str).encode("utf-8")  # no text a page could not hold
        for article in column.articles:
            ctx = RewriteContext(page=article.path, source=name)
            rewrite(article.content, ctx).utf8.decode("utf-8")
            for comment in article.comments:
                rewrite(comment.content, ctx).utf8.decode("utf-8")
    for note in loaded.notes:
        json.dumps(asdict(note), ensure_ascii=False, default=str).encode("utf-8")
        rewrite(note.content, RewriteContext(page=note.path, source=name)).utf8.decode("utf-8")


@SETTINGS
@given(VALUE)
def test_any_json_value_reads_or_is_reported(value):
    assert_reads_and_rewrites(json_text(value).encode("utf-8"))


@SETTINGS
@given(COLUMN)
def test_any_column_dump_reads_or_is_reported(column):
    assert_reads_and_rewrites(json_text(column).encode("utf-8"))


@SETTINGS
@given(API)
def test_any_api_shape_reads_or_is_reported(posts):
    assert_reads_and_rewrites(json_text(posts).encode("utf-8"))


@SETTINGS
@given(st.text(max_size=300), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
def test_any_text_in_any_encoding_reads_or_is_reported(text, encoding):
    assert_reads_and_rewrites(text.encode(encoding, "replace"), "content/x.md")


@SETTINGS
@given(st.binary(max_size=300) | st.binary(max_size=300).map(lambda data: b"\xff\xfe" + data) | st.binary(max_size=300).map(lambda data: b"\xef\xbb\xbf" + data))
def test_any_bytes_read_or_are_reported(data):
    assert_reads_and_rewrites(data, "content/x.txt")


FRONT_MATTER = st.lists(st.sampled_from(["title: ", "date: ", "tags: ", "&a ", "*a", "[", "]", "{", "}", "- ", "\n", '"\\ud800"',
                                         "0000-01-01", "2024-02-30", "9" * 5000, "!!binary x", "!!python/object:os.system", ": ", "'"]),
                        max_size=40).map("".join)


@SETTINGS
@given(FRONT_MATTER, st.sampled_from(["---", "+++"]))
def test_any_front_matter_reads_or_is_reported(block, fence):
    assert_reads_and_rewrites(f"{fence}\n{block}\n{fence}\n正文\n".encode(), "content/x.md")


# The files read whole by a reader of their own (zhsite/load/__init__.py _PACKED_READERS) that came with the note apps:
# each name, and the members a ZIP of that kind holds, given any text.
PACKED_NOTES = {
    "content/n.ziw": ("index.html", "index_files/a.png"), "content/notes/{d0c1a5e2-4b1f-4c3e-9a7b-1234567890ab}": ("index.html",),
    "content/b.bear2bk": ("n.textbundle/text.markdown", "n.textbundle/info.json", "n.textbundle/assets/a.png"),
    "content/t.textpack": ("text.md", "info.json", "assets/a.png"), "content/m.xmind": ("content.json", "content.xml", "resources/a.png"),
    "content/m.mm": (), "content/index.db": (), "content/n.textbundle/info.json": (),
}
MEMBER_TEXT = HTML_TEXT | ANY_TEXT | VALUE.map(json_text) | st.sampled_from(["<map><node TEXT='a'>", '[{"rootTopic": {"title": 1}}]',
                                                                           '[{"rootTopic": {"children": {"attached": 5, "detached": [1, {}]}, '
                                                                           '"labels": 3, "notes": {"plain": 2}, "image": []}}]',
                                                                           '{"net.shinyfrog.bear": {"trashed": 1}}', "![](assets/a.png)"])


@st.composite
def packed_note(draw) -> tuple[str, bytes]:
    """A note app's file: any bytes, or a ZIP of its members holding any text."""
    name = draw(st.sampled_from(sorted(PACKED_NOTES)))
    if not PACKED_NOTES[name] or draw(st.booleans()):
        return name, draw(st.binary(max_size=300) | MEMBER_TEXT.map(lambda text: text.encode("utf-8", "surrogatepass")))
    members = {member: draw(MEMBER_TEXT).encode("utf-8", "surrogatepass") for member in PACKED_NOTES[name] if draw(st.booleans())}
    return name, zip_of(members)


@settings(SETTINGS, max_examples=400)
@given(packed_note())
def test_any_note_apps_file_reads_or_is_reported(named):
    name, data = named
    assert_reads_and_rewrites(data, name)


BLOG_TEXT = st.lists(st.sampled_from(["$", "$$", "\\(", "\\)", "\\[", "\\]", "$latex ", "x", "^", "{", "5", " ", "\n", "\n\n", "<p>",
                                      "</p>", "<code>", "</code>", "<h2>", "公式", "]]>", "&"]), max_size=30).map("".join)


@SETTINGS
@given(BLOG_TEXT, st.sampled_from(["cnblogs", "wordpress"]))
def test_any_blog_posts_text_reads_or_is_reported(text, blog):
    body = text.replace("]]>", "]]]]><![CDATA[>")
    site = "https://www.cnblogs.com/a" if blog == "cnblogs" else "https://example.com"
    item = (f"<item><title>t</title><link>{site}/p/1.html</link><description><![CDATA[{body}]]></description>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>")
    channel = "<title>博客园-a</title>" if blog == "cnblogs" else "<title>b</title>"
    backup = (f'<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
              f'xmlns:wp="http://wordpress.org/export/1.2/"><channel>{channel}{item}</channel></rss>')
    assert_reads_and_rewrites(backup.encode("utf-8"), "content/backup.xml")


# The note apps' JSON shapes, any value in each field: Google Keep's, Simplenote's, 百度脑图's, Day One's, Youdao's.
YOUDAO_BLOCK = st.recursive(st.fixed_dictionaries({}, optional={"7": VALUE, "8": VALUE, "9": VALUE}),
                            lambda inner: st.fixed_dictionaries({}, optional={"4": VALUE | st.just({"hf": "x", "l": "h2", "lt": "ordered"}),
                                                                              "5": st.lists(inner, max_size=3),
                                                                              "6": st.sampled_from(["h", "l", "q", "t", "tr", "tc", "li",
                                                                                                    "cd", "im", "a", "hr", "x"])}),
                            max_leaves=12)
APP_JSON = (
    st.fixed_dictionaries({"2": st.just("1"), "4": st.just({"version": 1}), "5": st.lists(YOUDAO_BLOCK, max_size=4)})
    | st.fixed_dictionaries({"metadata": st.just({"version": "1.0"}), "entries": st.lists(st.fixed_dictionaries({}, optional={
        "uuid": VALUE, "text": field(ANY_TEXT | st.sampled_from(["![](dayone-moment://AB12)", "![](dayone-moment:/video/CD)"])),
        "creationDate": VALUE, "tags": VALUE, "photos": field(st.just([{"identifier": "AB12", "md5": "x", "type": "jpeg"}]))}), max_size=3)})
    | st.fixed_dictionaries({"textContent": field(ANY_TEXT), "createdTimestampUsec": field(NUMBER | st.integers())},
                          optional={"title": VALUE, "listContent": VALUE, "labels": VALUE, "attachments": VALUE, "isTrashed": VALUE})
    | st.fixed_dictionaries({"activeNotes": st.lists(st.fixed_dictionaries({}, optional={
        "id": VALUE, "content": field(ANY_TEXT | HTML_TEXT), "creationDate": VALUE, "tags": VALUE, "markdown": VALUE}), max_size=3)},
                            optional={"trashedNotes": VALUE})
    | st.fixed_dictionaries({"root": st.fixed_dictionaries({"data": st.fixed_dictionaries({"text": VALUE}, optional={
        "note": VALUE, "image": VALUE, "hyperlink": VALUE, "resource": VALUE, "created": VALUE})}, optional={"children": VALUE})})
)


@settings(SETTINGS, max_examples=300)
@given(APP_JSON)
def test_any_note_apps_json_reads_or_is_reported(value):
    assert_reads_and_rewrites(json_text(value).encode("utf-8"))


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["para", "heading", "list-item", "code", "todo", "quote", "image", "attach", "table", "x"]),
                          ANY_TEXT, st.lists(st.tuples(st.sampled_from(["bold", "href", "italic", "color"]), st.integers(-2, 40),
                                                       st.integers(-2, 40)), max_size=3)), max_size=6))
def test_any_youdao_note_reads_or_is_reported(blocks):
    written = "".join(
        f'<{name} level="{len(text) % 9}" list-id="L"><text>{escape(text)}</text><source>{escape(text)}</source><content>{escape(text)}'
        f"</content><inline-styles>{''.join(f'<{style}><from>{start}</from><to>{end}</to><value>{escape(text)}</value></{style}>' for style, start, end in styles)}"
        f"</inline-styles></{name}>" for name, text, styles in blocks)
    note = f'<?xml version="1.0"?><note xmlns="http://note.youdao.com"><head><list id="L" type="ordered"/></head><body>{written}</body></note>'
    assert_reads_and_rewrites(note.encode("utf-8", "surrogatepass"), "content/笔记.note")
