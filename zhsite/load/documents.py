"""Notes written in LaTeX, Org, reStructuredText, Word or OpenDocument, read by pandoc.

A learner's notes are not all Markdown: a LaTeX write-up of a course, an Org
file, a Word document.  Read as plain text, a ``.tex`` note was titled
``\\documentclass{article}`` and showed its markup; a ``.docx`` was a zip,
skipped.  pandoc reads them all (the pypandoc-binary wheel carries it), and
writes each as HTML under its title and date (:data:`TEMPLATE`), formulas as TeX in ``span.math`` (``--mathjax``), which the
rewrite typesets as every formula; that HTML is then read as an HTML note
(zhsite/load/htmlfile.py), so its pictures beside the file are copied as any
note's.  A Word or OpenDocument file's pictures are inside it: pandoc puts
them in the page as ``data:`` URLs.  pandoc runs in its sandbox, reading the
document alone: a ``\\input{/home/…/secret}`` in an archive someone else made
publishes nothing from the disk it is built on.  What pandoc warns of is a
warning naming the file; a file it cannot read is an error, and the rest builds.
"""
from __future__ import annotations

import codecs
import os
import re
import subprocess
import tempfile
from pathlib import Path, PurePosixPath

from zhsite.load.htmlfile import read_html
from zhsite.load.loaded import Loaded
from zhsite.load.sniff import binary_kind
from zhsite.problems import Problem

# pandoc's reader for each suffix; binary formats get their pictures put inside the page.  RTF is what WordPad and
# macOS's TextEdit save by default (taken for broken JSON, as it opens with "{"); OPML, an outline as 幕布 (Mubu),
# Workflowy and mind-map apps export one (counted as an XML file).
FORMATS = {".tex": "latex", ".latex": "latex", ".org": "org", ".rst": "rst", ".docx": "docx", ".odt": "odt",
           ".rtf": "rtf", ".opml": "opml"}
INSIDE = {"docx", "odt"}
# Documents no reader here takes, by suffix, and how to make one it does: said, where they were counted as binaries.
NOT_READ = "document in a format zhsite does not read"
_NOT_READ = {
    ".doc": "a Word 97–2003 document: save it as .docx (Word or WPS: 另存为 → .docx) and build again",
    ".wps": "a WPS document: save it as .docx (另存为 → .docx) and build again",
    ".one": "a OneNote section: export it from OneNote as a Word document (.docx) and build again",
    ".onepkg": "a OneNote notebook: export its sections from OneNote as Word documents (.docx) and build again",
    ".pages": "a Pages document: export it as Word (.docx) and build again",
    ".notes": "an export in 印象笔记's own encrypted format: export the notes as ENEX (.enex) or HTML instead and build again",
    ".emmx": "a MindMaster (亿图脑图) map: export it as XMind (.xmind) or OPML and build again",
    ".mmap": "a MindManager map: export it as OPML or Word (.docx) and build again",
}
NOT_CONVERTED = "document pandoc could not read"
PANDOC_SAID = "pandoc warning"
LEFT_OUT = "markup pandoc left out"  # a LaTeX command it does not know, with its text
NO_PANDOC = "no pandoc to read this document"
# What pandoc writes: the document's title as the note's <h1> and its date as an HTML note's Date: line, then its text.
TEMPLATE = "$if(title)$<h1>$title$</h1>\n$endif$$if(date)$Date: $date$\n$endif$$body$\n"
# A document pandoc takes longer than this over is a problem of its own (a runaway macro): an error, not a hung build.
TIMEOUT_SECONDS = 60


def document_format(name: str) -> str | None:
    """pandoc's name for the format of the file *name*, when zhsite reads it with pandoc."""
    return FORMATS.get(PurePosixPath(name).suffix.lower())


def unread_document(name: str, head: bytes) -> Problem | None:
    """The warning for a document of a format zhsite does not read (a ``.doc``, a OneNote section), by its suffix
    and its first bytes (*head*) being no text, else None: a ``.doc`` Word saved as HTML, or ``会议.notes`` of plain
    text, is read as what its text is."""
    how = _NOT_READ.get(PurePosixPath(name).suffix.lower())
    return Problem(name, "", NOT_READ, how, severity="warning") if how and binary_kind(head) is not None else None


def is_packaged_document(name: str) -> bool:
    """A Word or OpenDocument file: a zip, read by pandoc as its bytes, never told a side file by them."""
    return document_format(name) in INSIDE


def read_document(data: bytes, name: str) -> Loaded:
    """The document *name* (its bytes *data*, UTF-8 for a text format) as a note, through pandoc's HTML.  A picture it names by path
    stays that path, found beside the file as a Markdown note's is; one inside a Word file is put in the page."""
    reader = document_format(name)
    data = rtf_in_unicode(data) if reader == "rtf" else data
    pandoc = _pandoc()
    if pandoc is None:
        return Loaded(problems=[Problem(name, "", NO_PANDOC, "install it with: pip install pypandoc-binary")])
    with tempfile.TemporaryDirectory() as work:
        source, template = Path(work) / f"document{PurePosixPath(name).suffix.lower()}", Path(work) / "note.html"
        source.write_bytes(data)
        template.write_text(TEMPLATE, encoding="utf-8")
        command = [pandoc, "--from", reader, "--to", "html5", "--standalone", f"--template={template}", "--mathjax",
                   "--wrap=none", "--verbose", "--sandbox", str(source)]  # verbose: what it skipped is said
        if reader in INSIDE:
            command.insert(-1, "--embed-resources")
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, cwd=work, env=_environment())
        except subprocess.TimeoutExpired:
            return Loaded(problems=[Problem(name, "", NOT_CONVERTED, f"pandoc took over {TIMEOUT_SECONDS} s")])
    said = _warnings(done.stderr.decode("utf-8", "replace"), name)
    if done.returncode != 0:
        said_lines = done.stderr.decode("utf-8", "replace").splitlines()  # its error, not what --verbose said before it
        detail = next((line for line in said_lines if line.strip() and not line.startswith("[")), f"exit status {done.returncode}")
        return Loaded(problems=[Problem(name, "", NOT_CONVERTED, detail.strip())])
    note = read_html(_CITATION.sub(_cited, done.stdout.decode("utf-8", "replace")), name)
    note.problems[:0] = said
    return note


# What RTF writes of its text besides ASCII: \'hh bytes in the document's code page (\ansicpg936: GBK, as WordPad on
# Chinese Windows writes every character), \uN (UTF-16, N signed), and \ucN, how many bytes after each \uN are a
# fallback for readers without Unicode.
_RTF_TEXT = re.compile(r"\\uc(\d+) ?|\\u(-?\d+) ?|((?:\\'[0-9a-fA-F]{2})+)|\\ansicpg(\d+)")


def rtf_in_unicode(data: bytes) -> bytes:
    """RTF with its code page's bytes written as the characters they are (\\uN): pandoc reads only Western code pages,
    and garbled a Chinese document's every character.  The fallback bytes after a \\uN stay as they are (skipped)."""
    text = data.decode("latin-1")
    page = re.search(r"\\ansicpg(\d+)", text)
    try:
        codec = codecs.lookup(f"cp{page[1]}").name if page else ""
    except LookupError:
        return data
    if not codec or codec == "cp1252":
        return data
    state = {"skip": 1, "fallback": -1}  # bytes a \uN's fallback takes; where a fallback may start

    def written(found: re.Match) -> str:
        if found[1] is not None:
            state["skip"] = int(found[1])
        elif found[2] is not None:
            state["fallback"] = found.end()
        elif found[3] is not None:
            hexes = bytes.fromhex(found[3].replace("\\'", ""))
            dropped = state["skip"] if found.start() == state["fallback"] else 0
            state["fallback"] = -1
            shown = hexes[dropped:].decode(codec, "replace").encode("utf-16-le")
            units = [int.from_bytes(shown[i:i + 2], "little", signed=True) for i in range(0, len(shown), 2)]
            return found[3][: 4 * dropped] + "".join(f"\\u{unit}?" for unit in units)
        else:
            return "\\ansicpg1252"
        return found[0]
    return _RTF_TEXT.sub(written, text).encode("latin-1")


# A citation (\\cite{bishop2006}) pandoc writes as an empty span without a bibliography it may read (its sandbox reads the
# document alone): shown as its keys, [bishop2006], where the printed note showed its number.
_CITATION = re.compile(r'<span class="citation" data-cites="([^"<>]*)"></span>')


def _cited(citation: re.Match) -> str:
    return f'<span class="citation">[{"; ".join(citation[1].split())}]</span>'


def _pandoc() -> str | None:
    """The pandoc the pypandoc-binary wheel carries, else one on the PATH."""
    try:
        import pypandoc  # imported when a document is read: most archives hold none
        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return None


def _environment() -> dict[str, str]:
    """pandoc reads and writes UTF-8 whatever the locale; no user data file changes what it makes."""
    return {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "XDG_DATA_HOME": os.devnull}


def _warnings(stderr: str, name: str) -> list[Problem]:
    """pandoc's warnings, and the markup it skipped (a LaTeX command it does not know, and its text), each a
    warning naming the file and the line; not the layout commands a page has no use for, nor a package not loaded."""
    found: dict[Problem, None] = {}  # pandoc says some twice
    for line in stderr.splitlines():
        said = _SAID.fullmatch(line)
        if said is None or (said["level"] == "INFO" and not said["what"].startswith("Skipped")):
            continue
        skipped = _SKIPPED.fullmatch(said["what"])
        if skipped is not None and skipped["command"] in LAYOUT_ONLY:
            continue
        where = f"{said['line']}:{said['column']}" if said["file"] not in (None, "chunk") else ""
        kind, what = (LEFT_OUT, f"{skipped['command']}{skipped['rest']}") if skipped is not None else (PANDOC_SAID, said["what"])
        found[Problem(name, where, kind, what, severity="warning")] = None
    return list(found)


# pandoc says where in the file (``at /tmp/…/document.tex line 18 column 23``), or in a piece it parsed apart (``at chunk
# line 1``, ``at line 1``), whose lines are not the file's: then no place is given.
_SAID = re.compile(r"\[(?P<level>INFO|WARNING)\] (?P<what>.*?)(?: at (?:(?P<file>\S+) )?line (?P<line>\d+) column (?P<column>\d+))?")
_SKIPPED = re.compile(r"Skipped '(?P<command>\\[A-Za-z@]+\*?)(?P<rest>.*)'", re.S)
# LaTeX commands that lay out a printed page and say nothing a web page would show.
LAYOUT_ONLY = frozenset(r"""\maketitle \tableofcontents \listoffigures \listoftables \newpage \clearpage \cleardoublepage \pagebreak
    \linebreak \noindent \indent \centering \raggedright \raggedleft \small \footnotesize \scriptsize \tiny \normalsize
    \large \Large \LARGE \huge \Huge \vspace \vspace* \hspace \hspace* \vfill \hfill \smallskip \medskip \bigskip
    \pagestyle \thispagestyle \setlength \setcounter \geometry \hypersetup \graphicspath \onecolumn \twocolumn
    \appendix \frontmatter \mainmatter \backmatter \bibliographystyle \label""".split())
