"""Bear's backups (``.bear2bk``) and TextPacks (``.textpack``): TextBundles in a ZIP, each read as its folder is.

Bear 2 backs up every note (Settings → General → Backup notes, or the
``.bear2bk`` Bear's help asks a user to keep) as one ZIP of TextBundles:
``<title>.textbundle/`` holding ``text.markdown`` (or ``text.md``), the
pictures and files it shows in ``assets/``, and ``info.json``, whose
``net.shinyfrog.bear`` object says when the note was made and whether it is
in Bear's trash.  A TextPack is one TextBundle zipped (Ulysses', iA Writer's
and Bear's "Export as TextPack").  Put in ``content/``, either was a packed
archive the build asked to have unpacked (a TextBundle folder is read as it
is, zhsite/load/exports.py).

Each note is read as the Markdown note its bundle holds (its inline tags its
topics), named by its bundle, dated by its creation (in Beijing time, as
pages show Zhihu's; else when its text was saved, as the ZIP keeps it), its pictures shown from inside the file (zhsite/load/
inside.py).  A note in Bear's trash is counted, not published; a file it
links from ``assets/`` that is no picture is shown as its name, and said: a
page cannot link into the ZIP (unpack it to publish the files).
"""
from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import PurePosixPath
from urllib.parse import unquote

from zhsite.load.decoding import DAMAGED, decode_mostly
from zhsite.load.fields import beijing_time
from zhsite.load.frontmatter import split_front_matter
from zhsite.load.inside import place, shown_inside
from zhsite.load.jsontext import parse_json
from zhsite.load.loaded import Loaded, Record
from zhsite.load.markdown import first_line, read_markdown_text
from zhsite.load.packed import UNCOMPRESSED_LIMIT, ZIP_ERRORS, member_name, saved_time
from zhsite.load.sniff import UndecodableError
from zhsite.pictures import INSIDE_BYTES, picture_data_url
from zhsite.problems import Problem
from zhsite.slug import safe_name

NOT_OPENED = "Bear backup or TextPack that cannot be opened"
NOT_SHOWN = "file inside a Bear backup not shown"
PICTURE_MISSING = "Bear picture not in its backup"
TRASH = "notes in Bear's trash"
BUNDLE_INFO = "TextBundle info files"  # in the skipped line; a Record's kind: what one says of its bundle's note
_TEXTS = ("text.markdown", "text.md", "text.txt")
_INFO_BYTES = 1 << 20  # an info.json is a few hundred bytes; past this it is not read
# Where a note's text names a file of its bundle: a Markdown link's or picture's target, or an HTML src/href.
_ASSET = re.compile(r"""(\]\(\s*<?|\b(?:src|href)\s*=\s*["'])assets/([^)\s>"']+)""")


def is_bear_backup(name: str) -> bool:
    return name.lower().endswith((".bear2bk", ".textpack"))


def read_bear_backup(data: bytes, source: str) -> Loaded:
    """Every note of every TextBundle in the file."""
    loaded = Loaded()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as packed:
            bundles = _bundles(packed)
            for bundle, members in sorted(bundles.items()):
                loaded.add(_note(packed, bundle or PurePosixPath(source).stem, members, source))
    except ZIP_ERRORS as exc:
        return Loaded(problems=[Problem(source, "", NOT_OPENED, f"{exc}; back the notes up again")])
    if not bundles:
        loaded.problems.append(Problem(source, "", NOT_OPENED, "it holds no TextBundle (no text.markdown)"))
    return loaded


def _bundles(packed: zipfile.ZipFile) -> dict[str, dict[str, zipfile.ZipInfo]]:
    """Each bundle's name (its folder's, less ``.textbundle``; "" for a TextPack's files at its top) and its files by
    their names inside it."""
    found: dict[str, dict[str, zipfile.ZipInfo]] = {}
    for info in packed.infolist():
        parts = PurePosixPath(member_name(info)).parts
        at = next((i for i, part in enumerate(parts) if part.lower().endswith(".textbundle")), None)
        if info.is_dir() or "__MACOSX" in parts or (at is None and len(parts) > 1 and parts[0] != "assets"):
            continue
        bundle = parts[at][: -len(".textbundle")] if at is not None else ""
        found.setdefault(bundle, {})["/".join(parts[at + 1 if at is not None else 0:])] = info
    return {bundle: members for bundle, members in found.items() if any(text in members for text in _TEXTS)}


def _note(packed: zipfile.ZipFile, bundle: str, members: dict[str, zipfile.ZipInfo], source: str) -> Loaded:
    info = members.get("info.json")
    bear = _bear_fields(packed.read(info).decode("utf-8", "replace"), source) if info is not None and info.file_size <= _INFO_BYTES else {}
    if _in_trash(bear):
        return Loaded(skipped=Counter({TRASH: 1}))
    texts = next(members[text] for text in _TEXTS if text in members)
    if texts.file_size > UNCOMPRESSED_LIMIT:
        return Loaded(problems=[Problem(source, bundle, NOT_OPENED, f"its text is {texts.file_size:,} bytes, past the "
                                                                    f"{UNCOMPRESSED_LIMIT:,} zhsite reads")])
    try:
        text, damage = decode_mostly(packed.read(texts))
    except UndecodableError as exc:
        return Loaded(problems=[Problem(source, bundle, NOT_OPENED, str(exc))])
    problems = [Problem(source, bundle, DAMAGED, damage[1], severity="warning")] if damage else []
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")  # Bear's line and paragraph separators
    meta, body, said = split_front_matter(text, source)
    first = first_line(text, body)
    urls: list[str | None] = []
    names: list[str] = []  # each file of assets/ the text names, by the index it is placed at
    body = _ASSET.sub(lambda found: found[1] + place(_inside(packed, members, f"assets/{unquote(found[2])}", urls, names)), body)
    if not meta.date:
        meta.date = beijing_time(bear.get("creationDate")) or saved_time(texts)
    read = read_markdown_text(meta, body, source, first, problems + said, slug=safe_name(bundle))
    unshown = sum(url is None and name in members for url, name in zip(urls, names, strict=True))
    if unshown:
        read.problems.append(Problem(source, bundle, NOT_SHOWN, f"{unshown} file(s) of its assets/ shown as their names: only "
                                                              "pictures are shown from inside the file (unpack it to publish them)",
                                     severity="warning"))
    return shown_inside(read, urls, source, PICTURE_MISSING)


def _in_trash(bear: dict) -> bool:
    return bear.get("trashed") in (1, True, "1")


def _bear_fields(written: str, source: str) -> dict:
    data, _ = parse_json(written, source)
    fields = data.get("net.shinyfrog.bear", data) if isinstance(data, dict) else {}
    return fields if isinstance(fields, dict) else {}


def _inside(packed: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], name: str, urls: list[str | None], names: list[str]) -> int:
    """The index in *urls* of the bundle's file *name* as a picture's data: URL (None: not there, or no picture)."""
    info = members.get(name)
    urls.append(picture_data_url(packed.read(info)) if info is not None and info.file_size <= INSIDE_BYTES else None)
    names.append(name)
    return len(urls) - 1


def is_bundle_info(name: str) -> bool:
    path = PurePosixPath(name)
    return path.name.lower() == "info.json" and path.parent.suffix.lower() == ".textbundle"


def read_bundle_info(data: bytes, source: str) -> Loaded:
    """What a TextBundle folder's ``info.json`` says of its note (Bear's creation time, and whether it is in Bear's
    trash), a record joined to the note once every file is read; counted in the skipped line."""
    try:
        bear = _bear_fields(decode_mostly(data)[0], source)
    except UndecodableError:  # no JSON: it says nothing of the note
        bear = {}
    fields = (("trashed", "1" if _in_trash(bear) else ""), ("created", beijing_time(bear.get("creationDate"))))
    return Loaded(records=[Record(BUNDLE_INFO, str(PurePosixPath(source).parent), fields, source)], skipped=Counter({BUNDLE_INFO: 1}))


def join_bundle_info(loaded: Loaded) -> None:
    """Each TextBundle folder's note dated by its info.json when nothing else dates it; one in Bear's trash counted, not
    published."""
    infos = {record.id: record for record in loaded.records if record.kind == BUNDLE_INFO}
    if not infos:
        return
    kept = []
    for note in loaded.notes:
        info = infos.get(str(PurePosixPath(note.source).parent))
        if info is not None and info.get("trashed"):
            loaded.skipped[TRASH] += 1
        else:
            kept.append(replace(note, date=info.get("created")) if info is not None and not note.date and info.get("created") else note)
    loaded.notes[:] = kept
