"""Logseq pages (``pages/*.md``, ``journals/*.md``): an outline of blocks with properties, read as Logseq shows it.

A Logseq page is Markdown with an outliner's own syntax (Logseq's documentation:
properties, block references, macros, tasks).  Read as a note, it showed all
of it as text, and one that sniffed as plain text lost its lists, links and
formulas too.  Here the page's properties (``title::``, ``tags::`` on its
first lines) are its front matter, titled by its file name when it names no
title (as Logseq does, a namespace's ``___`` a ``/``); ``public:: false`` keeps
it unpublished.  A block's properties (``collapsed:: true``, ``id:: …``) are
not shown (an ``id::`` is its block's anchor); a reference to a block of the
page (``((uuid))``) and an embed of one show that block's text, one to another
page's block that block's text linked to it (zhsite/rewrite/links.py), an
embedded page (``{{embed [[页面]]}}``) is a link to it, a video macro a link to the video, and a task marker (``TODO``, ``DONE``)
a task box.  A macro no page can run (``{{query …}}``) stays as written, with a
warning naming the file and line, as does a reference to a block no page holds.
"""
from __future__ import annotations

import re
from html import escape
from pathlib import PurePosixPath

from zhsite.load.obsidian import tags_in_text
from zhsite.problems import Problem

MACRO_NOT_SHOWN = "Logseq macro no page can run, shown as written"
# A property line: a page's (first lines, no bullet) or a block's (under its bullet, or a bullet of properties only).
_PROPERTY = re.compile(r"([ \t]*)(- )?([A-Za-z][\w-]*+):: ?(.*)")
_BULLET = re.compile(r"[ \t]*- (.*)")
_TASK = re.compile(r"^([ \t]*- )(TODO|DOING|NOW|LATER|WAIT|WAITING|IN-PROGRESS|DONE|CANCELED|CANCELLED) ", re.M)
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_REFERENCE = re.compile(rf"\(\(({_UUID})\)\)")
_MACRO = re.compile(r"\{\{([A-Za-z][\w-]*+)[ \t]*([^{}\n]*)\}\}")
_BRACKETED_TAG = re.compile(r"#\[\[([^\[\]\n]+)\]\]")
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_VIDEOS = {"video", "youtube", "bilibili", "vimeo", "tweet", "twitter"}
_JOURNAL_DAY = re.compile(r"(\d{4})_(\d{2})_(\d{2})")


def is_logseq_page(text: str, source: str) -> bool:
    """A page that opens with a property line (``title:: …``), or an outline (its first line a block) whose blocks
    carry properties or that is in a graph's ``pages/`` or ``journals/`` folder."""
    first = next((line for line in text.split("\n", 50)[:50] if line.strip()), "")
    if _PROPERTY.fullmatch(first) and not first.lstrip().startswith("- "):
        return True
    if not first.lstrip().startswith("- "):
        return False
    return PurePosixPath(source).parent.name in ("pages", "journals") or re.search(r"^[ \t]+(?:collapsed|id):: ", text, re.M) is not None


def logseq_page(text: str, source: str) -> tuple[dict, str, dict[str, str], list[Problem]]:
    """The page's properties as front matter fields, its outline as Markdown (a line for each of its lines, so
    warnings name the page's own lines), the text of each block an ``id::`` names (which other pages may reference),
    and the problems met."""
    lines = text.split("\n")
    fields: dict = {}
    at = 0
    while at < len(lines) and (found := _PROPERTY.fullmatch(lines[at])) and not found[1] and (not found[2] or at == 0):
        fields[found[3].lower()] = found[4].strip()
        lines[at] = ""
        at += 1
    blocks = _without_block_properties(lines, at)
    problems: list[Problem] = []
    made = _front_matter_fields(fields, source)
    made["tags"] = list(dict.fromkeys([*made["tags"], *_tags(lines)]))
    body = "\n".join(_shown(line, n + 1, blocks, source, problems) for n, line in enumerate(lines))
    return made, _TASK.sub(_task, body), blocks, problems


def _tags(lines: list[str]) -> list[str]:
    """The tags the page's blocks carry in their text (``#标签``, ``#[[多个 词]]``), outside code, in order: the page's
    topics too, as Logseq lists the page under each (read here, before ``#[[计算机 视觉]]`` is shown as ``#计算机 视觉``)."""
    found: list[str] = []
    fenced = False
    for line in lines:
        if line.lstrip().removeprefix("- ").startswith("```"):
            fenced = not fenced
        elif not fenced and "#" in line:
            said = _CODE_SPAN.sub("", line)
            found += [tag.strip() for tag in _BRACKETED_TAG.findall(said)] + tags_in_text(_BRACKETED_TAG.sub(" ", said))
    return found


def _without_block_properties(lines: list[str], start: int) -> dict[str, str]:
    """Each block property line of *lines* made an empty HTML comment (in place; a line kept for each line), and the
    text of each block an ``id::`` names, by its id."""
    blocks: dict[str, str] = {}
    text = ""
    for n in range(start, len(lines)):
        found = _PROPERTY.fullmatch(lines[n])
        if found is None:
            bullet = _BULLET.fullmatch(lines[n])
            text = bullet[1].strip() if bullet else text
            continue
        if found[3].lower() == "id":  # the block's anchor, where a reference from another page lands
            blocks[found[4].strip().lower()] = _TASK.sub("", f"- {text}").removeprefix("- ")
            lines[n] = f'{found[1]}<span id="{escape(found[4].strip().lower())}"></span>' if not found[2] else ""
            continue
        lines[n] = f"{found[1]}<!---->" if not found[2] else ""
    return blocks


def _shown(line: str, number: int, blocks: dict[str, str], source: str, problems: list[Problem]) -> str:
    """One line with its references, macros and bracketed tags as Logseq shows them."""
    if "((" in line:
        line = _REFERENCE.sub(lambda found: _referenced(found, number, blocks, source, problems), line)
    if "{{" in line:
        line = _MACRO.sub(lambda found: _macro(found, number, blocks, source, problems), line)
    return _BRACKETED_TAG.sub(r"#\1", line) if "#[[" in line else line


def _referenced(found: re.Match, number: int, blocks: dict[str, str], source: str, problems: list[Problem]) -> str:
    """A block of this page as its text; one of another page a link the rewrite resolves (zhsite/rewrite/links.py)."""
    if found[1] in blocks:
        return blocks[found[1]]
    return f'<a data-blockref="{found[1]}" data-line="{number}">{found[0]}</a>'



def _macro(found: re.Match, number: int, blocks: dict[str, str], source: str, problems: list[Problem]) -> str:
    name, argument = found[1].lower(), found[2].strip()
    if name == "embed" and argument.startswith("[[") and argument.endswith("]]"):
        return argument  # a wikilink to the page, resolved as any
    if name == "embed" and (reference := _REFERENCE.fullmatch(argument)) is not None:
        return _referenced(reference, number, blocks, source, problems)
    if name in _VIDEOS and argument.startswith(("http://", "https://")):
        return f"<{argument}>"
    if name == "cloze":
        return argument
    problems.append(Problem(source, str(number), MACRO_NOT_SHOWN, found[0][:80], severity="warning"))
    return f"`{found[0]}`"


def _task(found: re.Match) -> str:
    marker = found[2]
    box = "[x] " if marker == "DONE" else "" if marker.startswith("CANCEL") else "[ ] "
    return f"{found[1]}{box}{'已取消 ' if not box else ''}"


def _front_matter_fields(fields: dict, source: str) -> dict:
    """Front matter as zhsite reads it (zhsite/load/frontmatter.py): the title (else the file's name, a namespace's
    ``___`` a ``/``), tags (also ``[[标签]]`` and ``#标签``), a journal's day, ``public:: false`` as not published."""
    name = PurePosixPath(source).stem
    tags = [tag.strip().removeprefix("#").removeprefix("[[").removesuffix("]]") for tag in re.split(r"[,，]", fields.get("tags", ""))]
    day = _JOURNAL_DAY.fullmatch(name)
    made = {"title": fields.get("title") or name.replace("___", "/").replace("%2F", "/"), "tags": [tag for tag in tags if tag]}
    if day and "journals" in PurePosixPath(source).parts:
        made["date"] = "-".join(day.groups())
    if fields.get("public", "").lower() == "false":
        made["published"] = False
    return {**fields, **made}
