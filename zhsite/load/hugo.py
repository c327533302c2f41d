"""Hugo's shortcodes in a blog's Markdown (``{{< figure >}}``, ``{{< highlight >}}`` …), shown as Hugo shows them.

A Hugo blog's post (``content/posts/<name>/index.md``, its pictures beside it)
showed ``{{< figure src="arch.png" caption="结构" >}}`` as text, the picture
nowhere.  Each shortcode below becomes the Markdown or HTML Hugo renders it
as, before parsing, each line in its place:

- ``figure``: the picture with its caption (``caption``, else ``title``), its size and ``alt``;
- ``highlight`` … ``/highlight``: a code block in its language;
- ``ref`` and ``relref``: a link to that post (a wikilink, found as ``[[name]]`` is); ``[文字]({{< ref "x.md" >}})`` too;
- ``youtube``, ``vimeo``, ``bilibili``, ``gist``, ``tweet``/``x``: a link to the video, gist or post (nothing is
  loaded from the network when a page is read);
- a theme's ``notice``/``admonition`` … ``/notice``: a callout of its kind.

Any other shortcode in a post holding one of these is shown as written with a
warning at its line; in code, shortcodes stay as written.
"""
from __future__ import annotations

import posixpath
import re

from zhsite.load.codespans import outside_code
from zhsite.load.liquid import picture, tag_words
from zhsite.problems import Problem

NOT_SHOWN = "Hugo shortcode not shown"

_SHORTCODE = re.compile(r"\{\{([<%])[ \t]*+(/?)([A-Za-z][\w-]*+)((?:[^\n{}]|\{(?!\{)|\}(?!\}))*?)[ \t]*[>%]\}\}")
_REF_LINK = re.compile(r"\[([^\[\]\n]*)\]\(\s*(\{\{[<%][ \t]*(?:rel)?ref\b[^\n]*?[>%]\}\})\s*\)")
_BLOCKS = {"highlight", "notice", "admonition"}
_LINKS = {"youtube": "https://www.youtube.com/watch?v={}", "vimeo": "https://vimeo.com/{}", "bilibili": "https://www.bilibili.com/video/{}"}
_KNOWN = _BLOCKS | set(_LINKS) | {"figure", "ref", "relref", "gist", "tweet", "x"}


def is_hugo_text(body: str) -> bool:
    return "{{" in body and any(match[3] in _KNOWN for match in _SHORTCODE.finditer(body))


def hugo_shortcodes(body: str, source: str, first: int = 1) -> tuple[str, list[Problem]]:
    """*body* (the file's text after its front matter, which starts on line *first*) with Hugo's shortcodes as Markdown."""
    if not is_hugo_text(body):
        return body, []
    text = outside_code("\n".join(_blocks(body.split("\n"))), _inline)
    problems = [Problem(source, str(number), NOT_SHOWN, f"{code[0][:80]}: shown as written", severity="warning")
                for number, line in enumerate(text.split("\n"), first) for code in _SHORTCODE.finditer(line) if code[3] not in _KNOWN]
    return text, problems


def _blocks(lines: list[str]) -> list[str]:
    """Each block shortcode's opening and closing line as a fence or a container; a code block's lines as written."""
    out: list[str] = []
    inside = ""
    for line in lines:
        code = _SHORTCODE.fullmatch(line.strip())
        name = code[3] if code else ""
        if inside == "highlight" and not (name == "highlight" and code[2]):
            out.append(line)
        elif name in _BLOCKS and not code[2]:
            inside = name
            words = _parameters(code[4])
            kind = words.get("type") or words.get("0") or "note"
            out.append(f"```{words.get('0', '')}" if name == "highlight" else f"::: {kind} {words.get('title') or words.get('1', '')}".rstrip())
        elif name in _BLOCKS and code[2]:
            out.append("```" if name == "highlight" else ":::")
            inside = ""
        else:
            out.append(line)
    return out


def _inline(text: str) -> str:
    text = _REF_LINK.sub(lambda link: _reference(_SHORTCODE.search(link[2]), link[1]), text)
    return _SHORTCODE.sub(_drawn, text)


def _drawn(code: re.Match) -> str:
    name, words = code[3], _parameters(code[4])
    if code[2] or name not in _KNOWN or name in _BLOCKS:
        return code[0]
    if name == "figure":
        return _figure(words)
    if name in ("ref", "relref"):
        return _reference(code, "")
    named = words.get("id") or words.get("0", "")
    if name in _LINKS:
        return f"[{name} {named}](<{_LINKS[name].format(named)}>)" if named else code[0]
    if name == "gist":
        return f"[gist {words.get('1', '')}](<https://gist.github.com/{named}/{words.get('1', '')}>)"
    user, post = words.get("user", named), words.get("id", words.get("1", ""))
    return f"[{user}](<https://x.com/{user}/status/{post}>)" if post else code[0]


def _figure(words: dict[str, str]) -> str:
    return picture(words.get("src", ""), words.get("alt", ""), words.get("caption") or words.get("title", ""),
                   {name: words[name] for name in ("width", "height") if name in words})


def _reference(code: re.Match | None, text: str) -> str:
    """A link to the post a ``ref`` names (``"posts/x.md"``, ``"x"``, ``"/posts/x#节"``), by its file name, as a wikilink."""
    target = _parameters(code[4]).get("0", "") if code else ""
    path, _, section = target.partition("#")
    name = posixpath.basename(path.rstrip("/")) or posixpath.basename(posixpath.dirname(path.rstrip("/")))
    name = posixpath.splitext(name)[0] if name not in ("index", "_index") else posixpath.basename(posixpath.dirname(path))
    linked = f"{name}#{section}" if section else name
    return f"[[{linked}|{text}]]" if text else f"[[{linked}]]"


def _parameters(written: str) -> dict[str, str]:
    """A shortcode's parameters: ``key="value"`` by name, the others by their place (``"0"``, ``"1"`` …)."""
    found: dict[str, str] = {}
    for word in tag_words(written):
        key, equals, value = word.partition("=")
        found[key if equals and key.isidentifier() else str(sum(k.isdigit() for k in found))] = value if equals and key.isidentifier() else word
    return found
