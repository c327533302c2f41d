"""Hexo's and Jekyll's template tags in a blog's Markdown (``{% asset_img %}``, ``{% highlight %}`` …), shown as the blog shows them.

Many Chinese ML blogs of the Hexo years (NexT and its kin) keep their posts as
``source/_posts/<name>.md``, each post's pictures in a folder of its name
(``post_asset_folder``) shown with ``{% asset_img arch.png 结构 %}``; Jekyll
blogs (GitHub Pages, al-folio's academic pages) write ``{% highlight python %}``,
``{% include figure.liquid path="assets/img/1.jpg" %}`` and
``{{ site.baseurl }}/assets/…``.  Read as Markdown, every tag was its
``{% … %}`` text and the pictures were nowhere.  Each tag below becomes the
Markdown the blog renders it as, before parsing:

- ``asset_img``, ``asset_link``, ``asset_path``: the file of the post's asset folder (a picture, a link, its path);
- ``img``: a picture by its path or address (with its size and title); Jekyll's ``include figure.html``/``figure.liquid``:
  the picture at its ``path`` with its ``caption``;
- ``post_link`` (Hexo), ``post_url`` and ``link`` to a file (Jekyll): a link to the post of that file name (a wikilink,
  so it is found as ``[[name]]`` is), in a Markdown link's address too;
- ``link`` (Hexo's, text then address): a link; ``youtube`` and ``vimeo``: a link to the video (nothing is loaded from
  the network when a page is read);
- ``codeblock`` … ``endcodeblock``, ``highlight`` … ``endhighlight``: a code block in its language;
- ``blockquote`` … ``endblockquote``: a quote, its author and source under it;
- ``note`` … ``endnote`` (NexT): a callout of its class;
- ``raw`` … ``endraw``, ``pullquote`` … ``endpullquote``: their text;
- ``{{ site.baseurl }}``, ``{{ site.url }}`` and ``{{ "/x.png" | relative_url }}``: the path from the blog's root,
  which is looked up as any root-relative path is.

Each taken line keeps its place, so a warning names the line of the file.  Any
other tag (``{% iframe %}``, another ``include``) in a file holding one of these is
shown as written with a warning; in code, tags stay as written.
"""
from __future__ import annotations

import posixpath
import re
import shlex
from html import escape

from zhsite.load.codespans import CODE, outside_code
from zhsite.problems import Problem

NOT_SHOWN = "Hexo or Jekyll tag not shown"

_TAG = re.compile(r"\{%-?[ \t]*+([A-Za-z_]\w*+)((?:[^%\n]|%(?!\}))*+)%\}")
_BLOCKS = {"codeblock", "highlight", "blockquote", "note", "raw", "pullquote"}
_INLINE = {"asset_img", "asset_link", "asset_path", "img", "post_link", "post_url", "link", "youtube", "vimeo", "include"}
_FIGURES = ("figure.html", "figure.liquid")  # Jekyll's (al-folio's) include of a picture
# Jekyll's site variables in a path ({{ site.baseurl }}/assets/x.png), and relative_url's filter: the path itself.
_SITE_PATH = re.compile(r"""\{\{-?[ \t]*site\.(?:baseurl|url)[ \t]*-?\}\}|\{\{-?[ \t]*(["'])([^"'{}\n]*)\1[ \t]*\|[ \t]*(?:relative|absolute)_url[ \t]*-?\}\}""")
# [文字]({% post_url 2019-01-01-name %}): the link's text for the post's wikilink.
_POST_LINK = re.compile(r"\[([^\[\]\n]*)\]\(\s*\{%-?[ \t]*(?:post_url|link)[ \t]+([^%\s]+)[ \t]*-?%\}\s*\)")
_VIDEOS = {"youtube": "https://www.youtube.com/watch?v={}", "vimeo": "https://vimeo.com/{}"}
_KNOWN = _BLOCKS | {f"end{name}" for name in _BLOCKS} | _INLINE
_SIZE = re.compile(r"\d+(?:px|%)?")
_KEPT = "{\ue000%"  # a tag's opening inside {% raw %}, while the other tags are drawn: no tag pattern matches it


def is_blog_text(body: str) -> bool:
    return "{%" in body and any(match[1] in _KNOWN for match in _TAG.finditer(body))


def liquid_tags(body: str, source: str, first: int = 1) -> tuple[str, list[Problem]]:
    """*body* (the file's text after its front matter, which starts on line *first*) with Hexo's and Jekyll's tags as Markdown."""
    if "{{" in body:
        body = outside_code(body, lambda text: _SITE_PATH.sub(lambda m: m[2] or "", text))
    if not is_blog_text(body):
        return body, []
    asset_folder = posixpath.splitext(posixpath.basename(source))[0]

    def inline(text: str) -> str:
        text = _POST_LINK.sub(lambda link: _wikilink(link[2], link[1]), text)
        return _TAG.sub(lambda tag: _inline(tag, asset_folder), text)

    text = outside_code("\n".join(_blocks(body.split("\n"))), inline)
    prose = CODE.sub(lambda code: "\n" * code[0].count("\n"), text)  # what is left of the tags outside code: not drawn
    return text.replace(_KEPT, "{%"), [Problem(source, str(number), NOT_SHOWN, f"{tag[0][:80]}: shown as written", severity="warning")
                                       for number, line in enumerate(prose.split("\n"), first) for tag in _TAG.finditer(line)]


def _blocks(lines: list[str]) -> list[str]:
    """The block tags, each opening and closing line replaced by its Markdown (a fence, a quote's mark, a container)."""
    out: list[str] = []
    inside: list[tuple[str, list[str]]] = []  # the open tags and their words, innermost last
    for line in lines:
        tag = _TAG.fullmatch(line.strip())
        name = tag[1] if tag else ""
        innermost = inside[-1][0] if inside else ""
        if innermost in ("codeblock", "highlight") and name != f"end{innermost}":
            out.append(line)  # code: as written, tags too
        elif innermost == "raw" and name != "endraw":
            out.append(line.replace("{%", _KEPT))  # raw text: its tags are text, neither drawn nor said
        elif name in _BLOCKS:
            inside.append((name, tag_words(tag[2])))
            out.append(_opening(*inside[-1]))
        elif innermost and name == f"end{innermost}":
            if innermost == "blockquote" and out and out[-1].strip(" >"):
                out[-1] += "  "  # a line break before the quote's author, in its paragraph
            out.append(_closing(*inside.pop()))
        else:
            out.append(f"> {line}" if innermost == "blockquote" else line)
    return out


def _opening(name: str, arguments: list[str]) -> str:
    if name == "codeblock":
        language = next((word.removeprefix("lang:") for word in arguments if word.startswith("lang:")), "")
        return f"```{language}"
    if name == "highlight":  # Jekyll's: {% highlight python linenos %}
        return f"```{arguments[0] if arguments else ''}"
    if name == "note":
        return f"::: {arguments[0] if arguments else 'note'}"
    return ">" if name == "blockquote" else ""


def _closing(name: str, arguments: list[str]) -> str:
    """The last line of a block: a quote's author and source (``{% blockquote 作者, 书名 %}``) under it."""
    if name == "blockquote":
        said = " ".join(word for word in arguments if not word.startswith(("http://", "https://")))
        return f"> —— {said}" if said else ">"
    return {"codeblock": "```", "highlight": "```", "note": ":::"}.get(name, "")


def _inline(tag: re.Match, asset_folder: str) -> str:
    name, arguments = tag[1], tag_words(tag[2])
    if name not in _INLINE or not arguments:
        return tag[0]
    if name.startswith("asset_"):  # [class names] slug [title]: the slug is the first word naming a file
        at = next((i for i, word in enumerate(arguments) if "." in word), 0)
        path, title = f"{asset_folder}/{arguments[at]}", " ".join(arguments[at + 1:])
        return {"asset_img": f"![{title}](<{path}>)", "asset_link": f"[{title or arguments[at]}](<{path}>)"}.get(name, path)
    if name == "post_link":
        return _wikilink(arguments[0], " ".join(arguments[1:]))
    if name == "post_url" or (name == "link" and len(arguments) == 1):  # Jekyll's: a post by its file
        return _wikilink(arguments[0], "")
    if name == "include":
        return _figure(arguments) if arguments[0] in _FIGURES else tag[0]
    if name in _VIDEOS:  # a link: nothing is loaded from the network when a page is read
        return f"[{name} {arguments[0]}](<{_VIDEOS[name].format(arguments[0])}>)"
    if name == "link":
        return f"[{' '.join(arguments[:-1])}](<{arguments[-1]}>)"
    return _img(arguments)


def _wikilink(post: str, text: str) -> str:
    """A link to the post of that file (``2019-01-01-name``, ``_posts/2019-01-01-name.md``, ``resnet``), by its name."""
    name = posixpath.splitext(posixpath.basename(post))[0]
    return f"[[{name}|{text}]]" if text else f"[[{name}]]"


def _figure(arguments: list[str]) -> str:
    """``{% include figure.liquid path="assets/img/1.jpg" caption="…" %}``: the picture with its caption."""
    named = dict(word.split("=", 1) for word in arguments[1:] if "=" in word)
    return picture(named.get("path", ""), named.get("alt") or named.get("title", ""), named.get("caption") or named.get("title", ""),
                   {name: named[name] for name in ("width", "height") if name in named})


def picture(src: str, alt: str, caption: str = "", size: dict[str, str] | None = None) -> str:
    """A blog's picture as HTML: an ``<img>`` at its *size* (width, height), in a ``<figure>`` under its *caption* if any."""
    sized = "".join(f' {name}="{escape(value)}"' for name, value in (size or {}).items())
    img = f'<img src="{escape(src)}" alt="{escape(alt)}"{sized}>'
    return f"<figure>{img}<figcaption>{escape(caption)}</figcaption></figure>" if caption else img


def _img(arguments: list[str]) -> str:
    """``{% img [class] path [width] [height] [title [alt]] %}``: a picture, at its size when given."""
    at = next((i for i, word in enumerate(arguments) if "/" in word or "." in word), 0)
    path, rest = arguments[at], arguments[at + 1:]
    sizes = [word for word in rest[:2] if _SIZE.fullmatch(word)]
    words = rest[len(sizes):]
    alt = words[1] if len(words) > 1 else words[0] if words else ""
    return picture(path, alt, size=dict(zip(("width", "height"), sizes, strict=False)))


def tag_words(written: str) -> list[str]:
    """A tag's words, as Hexo and Hugo split them (quotes group words); as split on spaces when the quotes do not close."""
    try:
        return shlex.split(written)
    except ValueError:
        return written.split()
