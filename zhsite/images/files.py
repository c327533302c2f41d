"""Pictures that are files beside the Markdown showing them: copied into the site in either image mode.

Exporters save a post's pictures next to it (``assets/``, a folder named like
the post, Obsidian's attachments) and the Markdown names them by relative
path; the loader has already made each path relative to the project
(zhsite/load/markdown.py: ``content/a/assets/x.png``).  Such a picture needs
no download, so it is copied whatever ``[images] mode`` says, as
``images/<sha256 prefix>.<ext>`` like every other local copy.  A picture not
at its path is looked for by file name in the content folder (Obsidian finds
``![[x.png]]`` anywhere in the vault; exporters move folders), the nearest
first.  An absolute path (``/Users/…/x.png``, ``C:\\…``) is the file inside
the project it names, else the file under ``content/`` ending in its longest
tail (the author copied the folder in); otherwise, like a missing picture, it
is left out with a warning naming the file and the place: a path on the
author's disk means nothing to a reader and tells them about that disk.  A
PDF figure (``![](flow1.pdf)``) shows the picture of the same name beside it,
else is copied and linked.  An SVG is published filtered, as every SVG is
(zhsite/output.py); one that cannot be filtered (not XML, too deep, too
large) is left out with a warning.

A file a note links to (``[论文](files/paper.pdf)``, ``[代码](train.py)``) is
copied too, as ``files/<sha256 prefix>/<its name>``: named by its bytes, so
a changed file has a new address and the pages linking it are redone, and by
its name, so a reader's download keeps it.  Only a file inside the content
folder that the loader itself sets aside as no archive is attached (a PDF, a
picture, a zip, code, a table): a Markdown or HTML file that is no page (a
draft, one that could not be read) is never published raw, nor a crawler's
cookies, nor a file over GitHub's limit of 100 MB, which would make every
deploy fail.  Those are left out with a warning, the link kept as written.
"""
from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from zhsite.cache import LINKED_FILES, LOCAL_PICTURES_CHECKED, BuildCache
from zhsite.images import attachment_path, output_path
from zhsite.images.cache import CheckedFiles
from zhsite.images.collect import urls_in
from zhsite.load import COOKIES, HEAD_BYTES, is_editor_noise, side_file_kind
from zhsite.load.names import decoded_name, decoded_path, on_disk
from zhsite.model import Article, Note, Site, packed, text_key, unpack, with_comments
from zhsite.pictures import ATTACHED, LINKED_NOTE, is_absolute_path, is_local_path, is_windows_path, linked_file, wikilinked_file
from zhsite.problems import Problem
from zhsite.svg import SVG_UNFILTERED, UnsafeSvg, read_svg, without_script
from zhsite.tree import read_fragment


@dataclass
class LocalFiles:
    files: dict[str, Path] = field(default_factory=dict)  # output path -> the file it is a copy of
    # path as written -> output path, None: left out; ``note:<absolute path>`` -> the source of the note it names
    paths: dict[str, str | None] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def local_paths(site: Site, cache: BuildCache | None = None) -> dict[str, tuple[str, str]]:
    """Every image path on disk the pages show -> (source file, place) of its first use.

    Only the Markdown reader writes such paths (zhsite/load/markdown.py), so
    posts read from JSON files, most of a large site, are not looked at:
    even scanning their HTML for a path was a noticeable part of every build of a large archive.
    """
    found: dict[str, tuple[str, str]] = {}
    for item, source, where in _written_by_hand(site):  # one at a time: a build reads each back from its spill file
        for src in urls_in(with_comments(item), cache):
            if is_local_path(src):
                found.setdefault(src.strip(), (source, where))
    return found


class _ByName:
    """The content folder's files by name, read once and only when a picture is not at its path."""

    def __init__(self, content: Path) -> None:
        self._content = content
        self._index: dict[str, list[Path]] | None = None

    def _named(self, name: str) -> list[Path]:
        if self._index is None:
            self._index = {}
            for parent, dirs, names in os.walk(self._content):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name_found in sorted(names):  # by the name as text, as the Markdown writes it
                    self._index.setdefault(decoded_name(name_found)[0], []).append(Path(parent) / name_found)
        return self._index.get(name, [])

    def nearest(self, wanted: Path) -> Path | None:
        # The nearest: most folders in common with where the picture was said to be.
        return max(self._named(wanted.name), key=lambda p: len(os.path.commonpath([p, wanted]).split(os.sep)), default=None)

    def by_tail(self, written: str) -> Path | None:
        """The file under content/ ending in the longest tail of an absolute path written on another disk.

        ``/Users/me/Documents/Many-Body/include/x.png`` is the project's
        ``content/notes/Many-Body/include/x.png`` when the notes were copied in.
        """
        parts = [part for part in re.split(r"[\\/]", written) if part]
        if not parts:
            return None
        return max(self._named(parts[-1]), key=lambda p: _common_tail(p.parts, parts), default=None)


def _common_tail(found: tuple[str, ...], written: list[str]) -> int:
    count = 0
    while count < min(len(found), len(written)) and found[-1 - count] == written[-1 - count]:
        count += 1
    return count


# What a PDF figure (``![](flow1.pdf)``: LaTeX users export figures so) is shown by, when beside it.
OUTSIDE_THE_PROJECT = "image at an absolute path outside the project, not published"
NOT_FOUND = "image file not found, left out"
NOT_AN_IMAGE = "not an image file, left out"
ATTACHMENT_LEFT_OUT = "linked file not published"
FILE_LIMIT = 100_000_000  # GitHub refuses a push holding a larger file
# Characters a file name cannot hold on Windows, where a reader may clone the published site, and control characters.
_UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f\\:*?"<>|]')
# An href that is no web address and no fragment: maybe a file's path (relative, absolute, ``file:``, ``C:\\``).
# Case spelled out: with re.I no literal is searched for first, and a pass over 10,000 posts took 4.5 s, not 0.1.
_FILE_HREF = re.compile(r"""href\s*=\s*["']?(?!(?:[Hh][Tt][Tt][Pp][Ss]?|[Mm][Aa][Ii][Ll][Tt][Oo]|data|javascript):|//|#|["'])""")
_PDF_STAND_INS = (".png", ".jpg", ".jpeg", ".svg", ".webp", ".gif")


def _shown_for_pdf(path: Path) -> Path:
    """The picture of the same name beside a PDF figure, else the PDF itself (linked, as a browser cannot show it inline)."""
    if path.suffix.lower() != ".pdf":
        return path
    return next((path.with_suffix(ext) for ext in _PDF_STAND_INS if path.with_suffix(ext).is_file()), path)


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(5) == b"%PDF-"
    except OSError:
        return False


def _on_disk(src: str, root: Path) -> Path | None:
    """The file an image path names (relative ones are relative to *root*), or None for a Windows path on another system."""
    if src.lower().startswith("file:"):
        src = unquote(urlsplit(src).path)
    if is_windows_path(src) and os.name != "nt":
        return None
    return Path(src) if os.path.isabs(src) else on_disk(root, src)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def _find(src: str, root: Path, allowed: tuple[Path, ...], by_name: _ByName) -> Path | None:
    """The file inside the *allowed* folders an image path means: at its path, else found by name (relative) or by its tail (absolute)."""
    path = _on_disk(src, root)
    if path is not None and path.is_file() and any(_inside(path, folder) for folder in allowed):
        return _shown_for_pdf(path)
    if is_absolute_path(src):
        found = by_name.by_tail(unquote(urlsplit(src).path) if src.lower().startswith("file:") else src)
    else:
        found = by_name.nearest(path) if path is not None else None
    return _shown_for_pdf(found) if found is not None and any(_inside(found, folder) for folder in allowed) else None


def _unsafe_svg(path: Path) -> str:
    """Why the SVG cannot be filtered, or "" when it can: the site publishes it filtered (zhsite/output.py), this says which are not."""
    try:
        without_script(read_svg(path))
    except UnsafeSvg as unsafe:
        return str(unsafe)
    except OSError as error:
        return f"cannot read it: {error.strerror}"
    return ""


def gather_local_files(site: Site, project: Path, root: Path, content: Path, cache: BuildCache | None = None) -> LocalFiles:
    """Each image path on disk the pages show and each file a note links to, as a file of the site or left out with a warning.

    *root* is what the loaded paths are relative to (the content folder's
    parent); nothing outside *project* or *content* (which may be a link to
    a folder elsewhere, as the loader allows) is ever copied.
    """
    result = LocalFiles()
    checked = CheckedFiles(cache, LOCAL_PICTURES_CHECKED)
    by_name = _ByName(content)
    for src, (source, where) in local_paths(site, cache).items():
        path = _find(src, root, (project, content), by_name)
        pdf = path is not None and _is_pdf(path)
        facts = checked.facts(path, any_file=pdf) if path is not None else None
        ext = "" if facts is None else facts[1] or ("pdf" if pdf else "")
        unsafe = _unsafe_svg(path) if ext == "svg" else ""
        if not ext or unsafe:
            result.paths[src] = None
            if facts is None:
                kind = OUTSIDE_THE_PROJECT if is_absolute_path(src) else NOT_FOUND
            else:
                kind = SVG_UNFILTERED if unsafe else NOT_AN_IMAGE
            said = unquote(src)  # an HTML note's path is written as a URL (%E5%AF%BC…): said as the folder's name
            result.problems.append(Problem(source, where, kind, f"{said} ({unsafe})" if unsafe else said, severity="warning"))
            continue
        output = output_path(facts[0], ext)
        result.files[output] = path
        result.paths[src] = output
    attach_linked_files(linked_paths(site, cache), (root, content), checked, by_name, result)
    checked.save()
    return result


def _written_by_hand(site: Site) -> Iterator[tuple[Article | Note, str, str]]:
    """The notes and posts not read from JSON, with their source file and place: only the Markdown and HTML readers
    write paths on disk (zhsite/load/markdown.py), and posts read from JSON are most of a large site."""
    for article in [*site.articles, *site.versions]:
        if not article.source.lower().endswith(".json"):
            yield article, article.source, f"{article.kind} {article.id}"
    yield from ((note, note.source, "") for note in site.notes)


def linked_paths(site: Site, cache: BuildCache | None = None) -> dict[str, tuple[str, str]]:
    """The path of every file a note or a Markdown post links to (:func:`~zhsite.pictures.linked_file`) -> (source file, place)
    of its first link; not a content file that was read (a note's link to another: the rewrite links its page).

    Each text's links are found once and kept in the *cache* by its HTML (as its pictures are), read back
    together: unpacking every Markdown post's HTML on every build cost a 10,000-post archive seconds.
    """
    texts = list(_written_by_hand(site))
    read = {source for _, source, _ in texts}
    found: dict[str, tuple[str, str]] = {}
    for (_, source, where), links in zip(texts, _file_links([item for item, _, _ in texts], cache), strict=True):
        for href, wikilink in links:
            path = wikilinked_file(wikilink) if wikilink else linked_file(href, source)
            if path is not None and path not in read:
                found.setdefault(path, (source, where))
    return found


def _file_links(items: list[Article | Note], cache: BuildCache | None) -> list[list[tuple[str, str]]]:
    """The links in each item's text that may name a file, as written: (href, "") or a wikilink's ("", name); a text
    is parsed only when some link may be one, and its HTML read back (a build's spill file) one item at a time."""
    def find(item: Article | Note) -> list[tuple[str, str]]:
        text = unpack(packed(item))
        if not _FILE_HREF.search(text) and "data-wikilink" not in text:
            return []
        links = [((a.get("href") or "").strip(), a.get("data-wikilink") or "") for a in read_fragment(text).iter("a")]
        return [link for link in links if any(link)]
    if cache is None:
        return [find(item) for item in items]
    keys = [cache.key(LINKED_FILES, (text_key(item),)) for item in items]
    found = cache.get_many(keys, None)
    for at, (key, item) in enumerate(zip(keys, items, strict=True)):
        if found[at] is None:
            found[at] = find(item)
            cache.put(key, found[at])
    return found


def attach_linked_files(linked: Mapping[str, tuple[str, str]], folders: tuple[Path, Path], checked: CheckedFiles, by_name: _ByName,
                        result: LocalFiles) -> None:
    """Each file inside the content folder that a note links to (*linked*: :func:`linked_paths`) and the loader sets aside as no archive, into
    *result* under ``link:<path>``: its copy's site path, or None when left out (with a warning).  A link to
    anything else (a note, a missing file, a draft) is not entered: the rewrite links the note or warns; but a note
    named by an absolute path is entered under ``note:<path>``, as its source, which the rewrite cannot work out.
    *folders*: what the paths are relative to (the content folder's parent), and the content folder.  An
    absolute path (``/Users/me/…/paper.pdf``: the author's disk) is the file under content/ ending in its longest tail."""
    root, content = folders
    for path, (source, where) in linked.items():
        file = _linked(path, source, root, by_name)
        if file is None or not file.is_file() or not _inside(file, content) or _hidden(file, content):
            continue
        kind = _attachable(file)
        facts = checked.facts(file, any_file=True) if kind else None
        if kind is None and is_absolute_path(path):  # a note, on the author's disk: which, for the rewrite to link its page
            result.paths[LINKED_NOTE + path] = decoded_path(file.relative_to(root))[0]
        if facts is None:  # text the loader reads as an archive, or a file that cannot be read
            continue
        unsafe = _unsafe_svg(file) if file.suffix.lower() == ".svg" else ""  # published filtered, as every SVG (zhsite/output.py)
        why = "a crawler's login cookies" if kind == COOKIES else f"{facts[2] / 1e6:,.0f} MB" if facts[2] > FILE_LIMIT else unsafe
        if why:
            result.paths[ATTACHED + path] = None
            result.problems.append(Problem(source, where, ATTACHMENT_LEFT_OUT, f"{path} ({why})", severity="warning"))
            continue
        output = attachment_path(facts[0], _UNSAFE_IN_NAMES.sub("_", decoded_name(file.name)[0]))
        result.files[output] = file
        result.paths[ATTACHED + path] = output


def _linked(path: str, source: str, root: Path, by_name: _ByName) -> Path | None:
    """The file a linked *path* names: a relative one at its path, else the file of its name nearest to it (as a
    picture is: exporters move folders); an absolute one by its longest tail; ``[[name]]`` (Obsidian) the file of
    that name nearest to the note linking it (*source*)."""
    if path.startswith("[["):
        return by_name.nearest(root / posixpath.dirname(source) / path[2:-2])
    if is_absolute_path(path):
        return by_name.by_tail(path)
    found = on_disk(root, path)
    return found if found.is_file() else by_name.nearest(found)


def _hidden(file: Path, content: Path) -> bool:
    """A file in a hidden folder, or an editor's (``.obsidian/``, ``.git/``, ``x.md~``): never content, never published."""
    try:
        parts = file.relative_to(content).parts
    except ValueError:
        parts = file.parts
    return any(is_editor_noise(part) for part in parts)


def _attachable(file: Path) -> str | None:
    """What the loader counts *file* as when it skips it as no archive (zhsite/load/__init__.py), else None."""
    try:
        with file.open("rb") as opened:
            head = opened.read(HEAD_BYTES)
    except OSError:
        return None
    return side_file_kind(file.name, head)
