"""Markdown notes → Note, and Markdown exports of Zhihu posts → Article (zhsite/load/exports.py).

markdown-it-py renders CommonMark plus what study notes use: tables,
strikethrough, footnotes, task lists, bare URLs and ``$…$``/``$$…$$`` math.
Math is left as ``span.math``/``div.math`` for the rewrite stage, which turns
it into the same build-time MathML as the columns' equation images; inline
HTML (the red ``<span style="color:red;">`` annotations) passes through to the
same sanitiser as everything else.
"""
from __future__ import annotations

import posixpath
import re
from collections import Counter
from functools import lru_cache
from html import escape
from pathlib import PurePosixPath
from urllib.parse import unquote

from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import validateLink
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_cjk_friendly import cjk_friendly
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from zhsite.load.attributes import without_attribute_lists
from zhsite.load.callouts import admonitions, callouts, content_tabs
from zhsite.load.chunks import code_chunks
from zhsite.load.embeds import EMBED
from zhsite.load.exports import SIMPREAD, ExportTool, clipped_from, day_in_name, file_slug, file_title, post_folder, read_export, take_header_lines
from zhsite.load.fast_lines import fast_lines
from zhsite.load.fields import post_title
from zhsite.load.fields import text as visible
from zhsite.load.frontmatter import FrontMatter, front_matter, split_front_matter
from zhsite.load.hugo import hugo_shortcodes
from zhsite.load.liquid import liquid_tags
from zhsite.load.loaded import DRAFTS, DRAWINGS, Loaded
from zhsite.load.logseq import is_logseq_page, logseq_page
from zhsite.load.notion import is_notion_page, notion_properties
from zhsite.load.obsidian import inline_tags, obsidian_syntax, obsidian_text, without_comments
from zhsite.model import Note, Topic
from zhsite.pictures import is_absolute_path, is_local_path
from zhsite.problems import Problem


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    return new_markdown_parser(html=True)


def new_markdown_parser(html: bool) -> MarkdownIt:
    """The project's Markdown; *html* False where ``<`` in the source is text, not a tag (pasted Markdown)."""
    md = MarkdownIt("commonmark", {"html": html, "linkify": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify"])
    md.linkify = SchemeLinks()
    md.validateLink = _valid_link
    md.use(dollarmath_plugin, double_inline=True).use(footnote_plugin).use(tasklists_plugin).use(cjk_friendly).use(fast_lines)
    md.use(callouts).use(code_chunks)
    if html:  # a note's (and an exporter's file): not the Markdown a Zhihu author pasted, which no Obsidian or MkDocs wrote
        md.use(obsidian_syntax).use(admonitions)
    md.inline.ruler.at("text", _text)
    md.inline.ruler.before("emphasis", "star_between_digits", _star_between_digits)
    md.inline.ruler.before("image", "image_path_with_spaces", _image_path_with_spaces)
    for rule in _MATH_RULES:
        md.add_render_rule(rule, _with_line(md.renderer.rules[rule]))
    return md


def _valid_link(url: str) -> bool:
    """markdown-it's check, and ``file:`` too: ``![图](file:///Users/me/a.png)`` and ``[论文](file:///…/a.pdf)``
    name the author's files, which the image phase copies when under content/ (else says so); refused, they showed
    as literal Markdown.  An SVG written into the text in base64 too (a diagram draw.io embeds), which the
    sanitiser filters as every SVG (markdown-it lets through the other picture formats alone)."""
    written = url.strip().lower()
    return written.startswith(("file:", "data:image/svg+xml;base64,")) or validateLink(url)


# markdown-it's text rule stops at these characters (markdown_it/rules_inline/text.py, _TerminatorChars).
_TEXT = re.compile(r"[^\n!#$%&*+\-:<=>@\[\\\]^_`{}~]+")


# Text markdown-it holds before making it a token grows by each mark no rule takes (``=``, ``:``, ``+``), one
# character at a time, and each time the whole of it was copied: a line of a million ``a=`` took 19 s.  Past this
# length it is made a token (the inline parser joins neighbouring text tokens again, fragments_join).
_PENDING_LIMIT = 1024


def _text(state: StateInline, silent: bool) -> bool:
    """markdown-it's text rule, the run of plain characters found by one regex match rather than a Python loop
    over every character: on Chinese prose, whose paragraphs are long runs of plain text, it was the inline
    parser's largest cost.  The same tokens: it stops at the same characters.

    Also where long pending text is cut (:data:`_PENDING_LIMIT`): after a mark, never after a letter or a space, which
    the link and line-break rules read back (a scheme before ``://``, two spaces before a break)."""
    if not silent and len(state.pending) > _PENDING_LIMIT and not state.pending[-1].isalnum() and not state.pending[-1].isspace():
        state.pushPending()
    found = _TEXT.match(state.src, state.pos, state.posMax)
    if found is None:
        return False
    if not silent:
        state.pending += found.group()
    state.pos = found.end()
    return True


# ``![alt](path with spaces.png)``: up to the first bracket, parenthesis or line end, then back to a picture's suffix.
# One quantifier that may give back, so a try is linear in what it scans.
_SPACED_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\(([^()<>\n]*\.(?:png|jpe?g|gif|webp|svg|bmp|avif))\)", re.I)


def _image_path_with_spaces(state: StateInline, silent: bool) -> bool:
    """A picture whose path holds spaces and no ``<…>``, as Typora and Obsidian show it (``![图](截图 2021.png)``);
    CommonMark reads it as text, and the note showed ``![图](截图 2021.png)`` instead of the picture."""
    found = _SPACED_IMAGE.match(state.src, state.pos, state.posMax) if state.src.startswith("![", state.pos) else None
    if found is None or " " not in found[2].strip():
        return False
    if not silent:
        alt: list[Token] = []
        state.md.inline.parse(found[1], state.md, state.env, alt)
        token = state.push("image", "img", 0)
        token.attrs = {"src": state.md.normalizeLink(found[2].strip()), "alt": ""}
        token.children = alt or None
        token.content = found[1]
    state.pos = found.end()
    return True


def _star_between_digits(state: StateInline, silent: bool) -> bool:
    """``3*3卷积或者5*5`` is a product, never emphasis: CommonMark lets ``*`` open and close inside a word."""
    start = state.pos
    if state.src[start] != "*" or start == 0 or not state.src[start - 1].isdigit():
        return False
    end = start
    while end < state.posMax and state.src[end] == "*":
        end += 1
    if end >= state.posMax or not state.src[end].isdigit():
        return False
    if not silent:
        state.pending += state.src[start:end]
    state.pos = end
    return True


_MATH_RULES = ("math_inline", "math_inline_double", "math_block", "math_block_label")


def _with_line(render):
    """A formula's element says which source line it is on (``data-line``), for the rewrite stage's warnings."""
    def rule(self, tokens, idx, options, env) -> str:
        html = render(tokens, idx, options, env)
        line = tokens[idx].meta.get("line")
        return html.replace('class="math', f'data-line="{line}" class="math', 1) if line else html
    return rule


class SchemeLinks(LinkifyIt):
    """Bare URLs become links only with a scheme: "train.py" or "model.ai" in a note is not a link.

    linkify-it's own pretest also searches every paragraph for host names, which
    are never linked here; on Chinese prose that search was most of the time
    linkify took.  Links are found
    in text tokens, which are pieces of the paragraph as written (escapes and
    entities are tokens of their own then), so a paragraph without a scheme
    written in it has none.
    """

    def __init__(self) -> None:
        super().__init__(options={"fuzzy_link": False, "fuzzy_email": False})
        self._scheme = re.compile("|".join(map(re.escape, self._schemas)), re.IGNORECASE)

    def pretest(self, text: str) -> bool:
        return self._scheme.search(text) is not None


def read_markdown(text: str, source: str) -> Loaded:
    """A Markdown file: a Zhihu post an exporter wrote becomes an article or answer in its column, anything else a note."""
    blocks: dict[str, str] = {}  # a Logseq page's referenced blocks (id → text)
    logseq = is_logseq_page(text, source)
    if logseq:  # its tags read from its lines (zhsite/load/logseq.py): "#[[计算机 视觉]]" is shown "#计算机 视觉", no tag "计算机"
        fields, body, blocks, problems = logseq_page(text, source)
        meta = front_matter(fields)
    else:
        meta, body, problems = split_front_matter(text, source)
    return read_markdown_text(meta, body, source, first_line(text, body), problems, blocks, text_tags=not logseq)


def read_markdown_text(meta: FrontMatter, body: str, source: str, first: int, problems: list[Problem],
                       blocks: dict[str, str] | None = None, tool: ExportTool | None = None, slug: str = "",
                       text_tags: bool = True) -> Loaded:
    """Markdown whose fields are read: its front matter's, or what an app keeps beside the text (Joplin's,
    zhsite/load/joplin.py, whose *tool* reads them).  *first*: the line of the file the body starts on, which the
    passes below keep; *slug*: a note's, else the file's name; *text_tags*: whether tags written in the text
    (``#机器学习``) are a note's topics too."""
    slug = slug or file_slug(source)
    if meta.draft or "excalidraw-plugin" in meta.fields:
        return Loaded(problems=problems, skipped=Counter({DRAFTS if meta.draft else DRAWINGS: 1}))
    body, tagged = liquid_tags(body, source, first)
    body, coded = hugo_shortcodes(body, source, first)
    problems += tagged + coded
    header, without_header = take_header_lines(body)
    post = read_export(meta.fields | header, source, file_slug(source), tool)
    clipped = header.get(SIMPREAD, "")
    if clipped:  # 简悦 SimpRead's notice is no text of the page: a note says where it was clipped, under its page's title
        body = without_header = _tex_once(without_header)
    if post is None:  # a note; clipped from a web page, it says which (its 来源)
        named = meta.title or (_name_title(source, "") if clipped else "")
        origin = clipped or clipped_from(meta.fields)
        return Loaded(notes=[_note(meta, body, source, slug, first, blocks, named, origin, text_tags)], problems=problems)
    md = markdown_parser()
    env: dict = {}
    tokens = with_local_images(parse_lines(md, obsidian_text(without_header), env, first), source)
    # A post's title: the exporter's, else the heading it opens with, else its file name; never its first sentence.
    given = post.title or ("" if _opens_with_heading(tokens) else _name_title(source, post.author.name))
    title, tokens = take_title(tokens, given)
    title = post_title(title) or title  # a clipper's heading is the page's title: "(2 封私信) 标题 - 知乎"
    return Loaded(columns=[post.place(title, md.renderer.render(tokens, md.options, env))], problems=problems)


def first_line(text: str, body: str) -> int:
    """The line of the file *body* starts on (after the front matter)."""
    return text.count("\n", 0, len(text) - len(body)) + 1 if text.endswith(body) else 1


# A line opening a display formula; after an HTML line, CommonMark reads it as more of the HTML block.
_DISPLAY_MATH = re.compile(r"^ {0,3}\$\$", re.M)


def parse_lines(md: MarkdownIt, text: str, env: dict, first: int = 1) -> list[Token]:
    """*text* parsed, formulas knowing their line of the file (*first* is the line *text* starts on).

    ``$$`` on the line after an HTML line (Typora writes ``<img …>`` then the
    formula, no blank line between) would stay raw TeX inside the HTML block:
    the block ends there and the rest is parsed as Markdown, as Typora shows it.
    """
    tokens: list[Token] = []
    for token in _without_anchor_lines(md.parse(text, env)):
        _number_formulas(token, first)
        tokens.append(token)
        found = _DISPLAY_MATH.search(token.content) if _ends_at_blank_line(token) else None
        if found is not None and found.start() > 0:
            rest, token.content = token.content[found.start():], token.content[: found.start()]
            tokens += parse_lines(md, rest, env, first + token.map[0] + token.content.count("\n"))
    return tokens


# A named anchor and nothing else: 语雀 (Yuque) writes one on the line before each heading it exports.
_EMPTY_ANCHOR = re.compile(r"<a\s+name=(?:\"[^\"<>]*\"|'[^'<>]*')\s*>|</a>")


def _without_anchor_lines(tokens: list[Token]) -> list[Token]:
    """*tokens* without the paragraphs that hold only empty named anchors: shown, each was an empty paragraph (its
    anchor's name is no attribute the site keeps), and it came before the heading that titles the note, which then
    stayed in the text as well."""
    kept: list[Token] = []
    for token in tokens:
        if token.type == "paragraph_close" and len(kept) >= 2 and kept[-2].type == "paragraph_open" and _anchors_only(kept[-1]):
            del kept[-2:]
            continue
        kept.append(token)
    return kept


def _anchors_only(inline: Token) -> bool:
    children = inline.children or []
    return bool(children) and all((child.type == "html_inline" and _EMPTY_ANCHOR.fullmatch(child.content.strip()))
                                  or child.type == "softbreak" or (child.type == "text" and not child.content.strip())
                                  for child in children) and any(child.type == "html_inline" for child in children)


# HTML blocks that end at their closing tag, not a blank line: a `$$` inside is theirs (a comment, code).
_CLOSED_HTML = ("<!--", "<?", "<!", "<pre", "<script", "<style", "<textarea")


def _ends_at_blank_line(token: Token) -> bool:
    return token.type == "html_block" and token.map is not None and not token.content.lstrip().lower().startswith(_CLOSED_HTML)


def _number_formulas(token: Token, first: int) -> None:
    """Each formula (``$…$``, ``$$…$$``, an equation image) told its line of the file, for the rewrite stage's warnings."""
    if token.map is None:
        return
    line = first + token.map[0]
    if token.type.startswith("math_block"):
        token.meta["line"] = line
    elif token.type == "html_block":
        token.content = _number_equation_images(token.content, line)
    for child in token.children or ():  # inline ones: the paragraph's line plus the breaks before them
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type.startswith("math_inline"):
            child.meta["line"] = line
        elif child.type == "image" and any(mark in str(child.attrGet("src") or "") for mark in ("/equation", "/__latex/")):
            child.attrSet("data-line", str(line))
        elif child.type == "html_inline":
            child.content = _number_equation_images(child.content, line)


_EQUATION_IMG = re.compile(r"<img\b(?=[^>]*(?:/equation|/__latex/))", re.I)  # Zhihu's equation service, 语雀's formulas


def _number_equation_images(html: str, line: int) -> str:
    return _EQUATION_IMG.sub(lambda m: f'<img data-line="{line + html.count(chr(10), 0, m.start())}"', html)


def _note(meta: FrontMatter, body: str, source: str, slug: str, first: int = 1, blocks: dict[str, str] | None = None,
          title: str = "", origin: str = "", text_tags: bool = True) -> Note:
    md = markdown_parser()
    env: dict = {}
    text = obsidian_text(without_attribute_lists(content_tabs(without_comments(body))))
    tokens = with_local_images(parse_lines(md, rewrite_opening_toc(text), env, first), source)
    title, tokens = take_title(wikilinks(tokens, first), title or meta.title)
    date, tags = notion_properties(tokens) if is_notion_page(source) else ("", [])
    html = md.renderer.render(tokens, md.options, env)
    return Note(
        slug=slug,
        title=title or file_title(source),
        content=html,
        embeds=EMBED in html,
        tags=[Topic(name) for name in dict.fromkeys([*(meta.tags or tags), *(inline_tags(tokens) if text_tags else ())])],
        blocks=tuple((block, md.renderInline(_WIKILINK.sub(_wikilink_words, text))) for block, text in (blocks or {}).items()),
        date=meta.date or date or day_in_name(post_folder(source).name),
        summary=meta.summary,
        origin=origin,
        source=source,
    )


def _name_title(source: str, author: str) -> str:
    """A title from the file (or folder) name, without the date and author exporters add (``(20240105)标题_作者``), nor
    what Zhihu adds to a page's title (a clipper names its file by it: ``(2 封私信) 标题 - 知乎``)."""
    written = post_folder(source).name
    name = post_title(re.sub(r"^\(\d{8}\)|^\d{4}-\d{2}-\d{2}-|_\d{4}-\d{2}-\d{2}$", "", written).removesuffix(f"_{author}"))
    return name or written


# A formula 简悦 SimpRead clipped from a Zhihu page, written as its TeX and again as the text the page drew (`$V$V`).
_TEX_TWICE = re.compile(r"\$([^$\n]{1,500})\$\1")


def _tex_once(text: str) -> str:
    return _TEX_TWICE.sub(lambda m: f"${m[1]}$", text)


# ``[[标题]]``, ``[[标题|文字]]``, ``[[标题#节]]``; ``![[…]]`` of a picture is an image already (obsidian_text).
_WIKILINK = re.compile(r"!?\[\[(?P<name>[^\[\]\n|]+)(?:\|(?P<text>[^\[\]\n]+))?\]\]")


def _wikilink_words(link: re.Match) -> str:
    """A wikilink's words, where it cannot be a link (in a referenced block's text, shown inside a link)."""
    return (link["text"] or link["name"]).strip()


def wikilinks(tokens: list[Token], first: int = 1) -> list[Token]:
    """Each ``[[标题]]`` in a note's text as a link the rewrite stage resolves by title (``a[data-wikilink]``, with its line).

    Code keeps its brackets: only text tokens are read, never ``code_inline`` or code blocks.
    """
    for token in tokens:
        if token.type != "inline" or token.map is None or "[[" not in token.content:
            continue
        line, children = first + token.map[0], []
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            children += _split_wikilinks(child, line) if child.type == "text" else [child]
        token.children = children
    return tokens


def _split_wikilinks(text: Token, line: int) -> list[Token]:
    out, end = [], 0
    for match in _WIKILINK.finditer(text.content):
        name = match["name"].strip()
        embed = {EMBED: "1"} if match[0].startswith("!") else {}  # ![[笔记]]: its text shown (zhsite/load/embeds.py)
        link = Token("link_open", "a", 1, attrs={"data-wikilink": name, "data-line": str(line), **embed})
        label = Token("text", "", 0, content=(match["text"] or name.partition("#")[0] or name).strip())
        out += [Token("text", "", 0, content=text.content[end:match.start()]), link, label, Token("link_close", "a", -1)]
        end = match.end()
    return [*out, Token("text", "", 0, content=text.content[end:])] if out else [text]


def local_image_path(src: str, source: str) -> str:
    """Where an image written relative to its Markdown file is, relative to the project (``content/a/assets/x.png``).

    URLs (``https:``, ``data:``, ``//host``), anchors and absolute paths stay as
    written: the image phase copies what lies inside the project and drops the
    rest with a warning (zhsite/images/files.py).
    """
    if not is_local_path(src) or is_absolute_path(src):
        return src
    # Query and fragment are cut off before decoding: a file named "C# 图?.png" is written "C%23%20图%3F.png".
    path = unquote(src.split("?", 1)[0].split("#", 1)[0]).replace("\\", "/")
    if is_absolute_path(path):  # a Windows path, once unquoted (C:%5CUsers%5C…)
        return path
    return posixpath.normpath(posixpath.join(str(PurePosixPath(source).parent), path))


# An HTML <img> in Markdown (Typora and exporters write `<img src="./a.png" width="300">`): its src.
_HTML_IMG_SRC = re.compile(r"""(<img\b[^>]*?\ssrc\s*=\s*)(["'])(.*?)\2""", re.I | re.S)


def with_local_images(tokens: list[Token], source: str) -> list[Token]:
    """Image paths relative to the Markdown file made relative to the project, in Markdown and HTML images alike."""
    for token in tokens:
        for part in (token, *(token.children or ())):
            if part.type == "image":
                part.attrSet("src", local_image_path(str(part.attrGet("src") or ""), source))
            elif part.type in ("html_block", "html_inline") and "<img" in part.content.lower():
                part.content = _HTML_IMG_SRC.sub(lambda m: f"{m[1]}{m[2]}{local_image_path(m[3].strip(), source)}{m[2]}", part.content)
    return tokens


def take_title(tokens: list[Token], given: str = "") -> tuple[str, list[Token]]:
    """The note's title, and its body without the block the title came from.

    A title given in front matter wins, and only a first heading repeating it
    leaves the body.  Otherwise the first real heading, else the first line of
    text; either leaves the body when it opens the note (a line of text only
    when it is its paragraph's only content).  Pictures and invisible
    characters (U+200B) are no text: a note that opens with a picture keeps it
    and is titled by the text after it.  Empty headings (a bare ``##``, as some
    exports start with) are dropped: they carry nothing.
    """
    empty = [b for b in _blocks(tokens) if b[0].type == "heading_open" and not _plain(b[1])]
    tokens = _without(tokens, *empty)
    blocks = _blocks(tokens)
    first = blocks[0] if blocks else None
    heading = next((b for b in blocks if b[0].type == "heading_open"), None)
    if given:
        repeated = heading is first and heading is not None and _plain(heading[1]) == given
        return given, _without(tokens, heading) if repeated else tokens
    if heading is not None:
        return _plain(heading[1]), _without(tokens, heading) if heading is first else tokens
    lead = next((b for b in blocks if not _is_picture_only(b)), None)
    if lead is not None and lead[0].type == "paragraph_open":
        lines = _plain(lead[1]).split("\n")
        alone = len(lines) == 1 and not any(child.type == "image" for child in lead[1].children or ())
        return lines[0].strip(), _without(tokens, lead) if alone else tokens
    return "", tokens


def _is_picture_only(block: list[Token]) -> bool:
    """A paragraph or HTML block with no visible text: pictures, U+200B, a ``<meta name="referrer">``."""
    if block[0].type == "html_block":
        return not visible(_HTML_TAG.sub("", block[0].content))
    return block[0].type == "paragraph_open" and not _plain(block[1])


_HTML_TAG = re.compile(r"<[^<>]*>")


def _opens_with_heading(tokens: list[Token]) -> bool:
    first = next((b for b in _blocks(tokens) if not (b[0].type == "heading_open" and not _plain(b[1]))), None)
    return first is not None and first[0].type == "heading_open"


def _blocks(tokens: list[Token]) -> list[list[Token]]:
    """Top-level blocks, each the tokens from its opening to its closing."""
    blocks, current, depth = [], [], 0
    for token in tokens:
        current.append(token)
        depth += token.nesting
        if depth == 0:
            blocks.append(current)
            current = []
    return blocks


def _without(tokens: list[Token], *blocks: list[Token]) -> list[Token]:
    ids = {id(t) for block in blocks for t in block}
    return [t for t in tokens if id(t) not in ids]


def _plain(inline: Token) -> str:
    parts = []
    for child in inline.children or ():
        if child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type in ("text", "code_inline", "math_inline", "math_inline_double"):
            parts.append(child.content)
    return "\n".join(visible(line) for line in "".join(parts).split("\n")).strip()


# A table-of-contents line: short, no sentence punctuation, not Markdown block syntax.
_TOC_LINE = re.compile(r"^(?![-*+>|!<`$#~\[])(?!.*[。，；！？：,;:]$).{1,40}$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def rewrite_opening_toc(text: str) -> str:
    """A note that opens by listing its own sections keeps that list as a list.

    Exports from note apps often start with the outline (short lines, one per
    paragraph), then the title again and the text, where the outline's lines
    recur as bare paragraphs.  When most of the outline recurs, in order, the
    outline becomes a linked list and each recurrence a section heading;
    otherwise the text is left as written.
    """
    lines = text.split("\n")
    outline, end = _opening_outline(lines)
    if len(outline) < 3:
        return text
    # The outline's first line is the title when the text starts with it again.
    standalone = _standalone_lines(lines, end)
    again = standalone[:1]
    title_again = again[0] if again and _key(lines[again[0]]) == _key(outline[0][1]) else None
    entries = outline[1:] if title_again is not None else outline
    found = _match_in_order(entries, lines, standalone)
    if len(found) < max(3, (len(entries) + 1) // 2):
        return text
    anchors = {number: f"part-{n}" for n, number in enumerate(sorted(found.values()), start=1)}
    items = "".join(
        f'<li><a href="#{anchors[found[i]]}">{escape(line)}</a></li>' if i in found else f"<li>{escape(line)}</li>"
        for i, line in entries
    )
    out = lines[:]
    for i, _ in entries:
        out[i] = ""
    out[entries[0][0] if title_again is None else title_again] = f'<ul class="note-toc">{items}</ul>\n'
    for number, anchor in anchors.items():
        out[number] = f'<h2 id="{anchor}">{escape(lines[number].strip())}</h2>'
    return "\n".join(out)


def _opening_outline(lines: list[str]) -> tuple[list[tuple[int, str]], int]:
    """Leading outline-like lines, up to the first that is not one or that repeats."""
    outline, seen = [], set()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if not _TOC_LINE.match(stripped) or _key(stripped) in seen:
            return outline, i
        outline.append((i, stripped))
        seen.add(_key(stripped))
    return outline, len(lines)


def _standalone_lines(lines: list[str], start: int) -> list[int]:
    """Indexes of lines that are a paragraph on their own, outside code fences."""
    found, fenced = [], False
    for i in range(start, len(lines)):
        if _FENCE.match(lines[i]):
            fenced = not fenced
            continue
        alone = (i == 0 or not lines[i - 1].strip()) and (i + 1 == len(lines) or not lines[i + 1].strip())
        if not fenced and lines[i].strip() and alone:
            found.append(i)
    return found


def _match_in_order(entries: list[tuple[int, str]], lines: list[str], standalone: list[int]) -> dict[int, int]:
    """Outline line index → index of its recurrence among the *standalone* lines, searching forward only."""
    found, position = {}, 0
    for i, line in entries:
        for k in range(position, len(standalone)):
            if _key(lines[standalone[k]]) == _key(line):
                found[i] = standalone[k]
                position = k + 1
                break
    return found


def _key(line: str) -> str:
    return re.sub(r"\s+", "", line).casefold()
