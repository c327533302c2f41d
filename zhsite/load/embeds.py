"""Obsidian's embeds: ``![[笔记]]`` on a line of its own shows that note's text in its place, as Obsidian shows it.

A note that gathers others (a map of a course, ``![[注意力]]`` then
``![[多头注意力]]``) was a list of links: the text it shows in Obsidian was on
other pages, and nothing said so.  Each embed alone in its paragraph
(``a[data-wikilink][data-embed]``, zhsite/load/markdown.py) becomes a box
(``div.embed``) holding a link to the note it shows, then that note's text:
the whole note, one section (``![[笔记#小节]]``: the heading and what follows it
up to the next heading of its level or above) or one block (``![[笔记#^id]]``).
The notes are found as wikilinks find them (by title, else by file name:
zhsite/rewrite/stage.py ``by_title``), and the box is made once every note is
loaded, so the embedding note's text, and so its cached rewrite, change when
the embedded note does.  An embed inside a sentence stays a link.  A note
that would show itself (a loop) shows the link, with a warning, as does a
section or block the note does not have; an embed of no note is the rewrite's
unresolved wikilink.
"""
from __future__ import annotations

from dataclasses import replace

from lxml.html import HtmlElement

from zhsite.model import Note, notes_by_wikilink
from zhsite.problems import Problem
from zhsite.tree import inner_html, parse_fragment

EMBED_LOOP = "note embedded in itself"
NO_SECTION = "embedded section not found"
TOO_MANY_EMBEDS = "too many embedded notes"
# How deep embeds inside embedded notes are followed (a note shows a note that shows a note), and how many one page shows.
DEPTH = 4
EMBEDS_SHOWN = 500
EMBED = "data-embed"  # the attribute the Markdown reader marks an embed's link with


def with_embeds(notes: list[Note], problems: list[Problem]) -> list[Note]:
    """*notes*, each that embeds another (alone in a paragraph) a copy holding the embedded text."""
    embeds = _Embeds(notes, problems)
    return [embeds.into(note) if note.embeds else note for note in notes]


class _Embeds:
    """The notes as wikilinks find them (``notes_by_wikilink``), and how many more embeds the page being made may show: a note embedding 100 that each embed 100 would
    otherwise be a page of 10,000 notes."""

    def __init__(self, notes: list[Note], problems: list[Problem]) -> None:
        self.found = notes_by_wikilink(notes)
        self.problems, self.left = problems, 0
        self.said: set[tuple[str, str, str]] = set()  # an embedded note's warnings, said once however many notes show it

    def into(self, note: Note) -> Note:
        self.left = EMBEDS_SHOWN
        return replace(note, content=self.shown(note, (note,)))

    def shown(self, note: Note, chain: tuple[Note, ...]) -> str:
        """The note's HTML with each embed alone in its paragraph replaced by the embedded text (itself with its embeds)."""
        root = parse_fragment(note.content)
        for a in [a for a in root.iter("a") if a.get(EMBED) is not None]:
            a.attrib.pop(EMBED)
            name = a.get("data-wikilink") or ""
            title, _, fragment = name.partition("#")
            target = self.found.get(f"title:{' '.join(title.split())}") or self.found.get(f"name:{' '.join(title.split())}")
            if target is None or not _alone(a, a.getparent()) or not self._may_show(target, chain, note, a):
                continue  # a link: the rewrite finds its note, or warns
            text = _part(self.shown(target, (*chain, target)) if target.embeds else target.content, fragment)
            if text is None:
                self._warn(note, a, NO_SECTION, f"{target.title} has no heading or block {fragment}")
                continue
            paragraph = a.getparent()
            paragraph.addprevious(_box(a, f"{target.title} › {fragment.removeprefix('^')}" if fragment else target.title, text))
            paragraph.getparent().remove(paragraph)
        return inner_html(root)

    def _may_show(self, target: Note, chain: tuple[Note, ...], note: Note, a: HtmlElement) -> bool:
        if any(target is shown for shown in chain):
            self._warn(note, a, EMBED_LOOP, "it would show itself again")
            return False
        if len(chain) > DEPTH or self.left <= 0:
            self._warn(note, a, TOO_MANY_EMBEDS, f"a page shows at most {EMBEDS_SHOWN} embedded notes, {DEPTH} deep")
            return False
        self.left -= 1
        return True

    def _warn(self, note: Note, a: HtmlElement, kind: str, why: str) -> None:
        place = (note.source, a.get("data-line") or "", kind)
        if place not in self.said:
            self.said.add(place)
            self.problems.append(Problem(note.source, place[1], kind, f"![[{a.get('data-wikilink')}]]: {why}; shown as a link", severity="warning"))


def _alone(a: HtmlElement, paragraph: HtmlElement | None) -> bool:
    return (paragraph is not None and paragraph.tag == "p" and len(paragraph) == 1 and not (paragraph.text or "").strip()
            and not (a.tail or "").strip())


def _box(a: HtmlElement, label: str, text: str) -> HtmlElement:
    """``div.embed``: the link to the note shown, under its title (the rewrite points it at its page), then the note's text."""
    box = parse_fragment(f'<div class="embed"><p class="embed-source"></p>{text}</div>')[0]
    for child in list(a):
        a.remove(child)
    a.text, a.tail = label, None
    box[0].append(a)
    return box


def _part(html: str, fragment: str) -> str | None:
    """The whole text, or the section under the heading *fragment*, or the block ``^id``; None when there is none."""
    if not fragment:
        return html
    root = parse_fragment(html)
    if fragment.startswith("^"):
        block = next((element for element in root.iter() if element.get("id") == fragment), None)
        return None if block is None else inner_html(_wrapped(block))
    wanted = " ".join(fragment.split())
    heading = next((child for child in root if _level(child) and " ".join(child.text_content().split()) == wanted), None)
    if heading is None:
        return None
    section = [heading]
    for sibling in heading.itersiblings():
        if _level(sibling) and _level(sibling) <= _level(heading):
            break
        section.append(sibling)
    box = root.makeelement("div")
    box.extend(section)
    return inner_html(box)


def _level(element: HtmlElement) -> int:
    tag = element.tag if isinstance(element.tag, str) else ""
    return int(tag[1]) if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456" else 0


def _wrapped(element: HtmlElement) -> HtmlElement:
    """*element* alone in a wrapper, without what followed it."""
    element.tail = None
    box = element.makeelement("div")
    box.append(element)
    return box
