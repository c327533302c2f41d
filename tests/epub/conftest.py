"""E-books as a user makes them (``zhsite epub`` in its own process), opened with zipfile and lxml."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

NS = {"x": "http://www.w3.org/1999/xhtml", "m": "http://www.w3.org/1998/Math/MathML",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
EPUBCHECK = ["java", "-jar", "/usr/share/java/epubcheck.jar", "-q"]
SHALLOW_BOOK = "shallow-learning.epub"
CAPTAIN_BOOK = "c_1074249022222409728.epub"  # 船长黑板报: its slug is the column's id


def epub(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`zhsite epub` as a user runs it: what it prints and its exit status."""
    return subprocess.run([sys.executable, "-m", "zhsite", "epub", *args], cwd=project, capture_output=True, text=True)


def epubcheck(book: Path) -> str:
    """What epubcheck says of *book*; fails the test on any error (warnings pass)."""
    checked = subprocess.run([*EPUBCHECK, str(book)], capture_output=True, text=True)
    said = checked.stdout + checked.stderr
    assert checked.returncode == 0 and "ERROR(" not in said and "FATAL(" not in said, said
    return said


class Book:
    """An EPUB opened as a reading system opens it: container, package document, spine, pages."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        self.opf = etree.fromstring(self.zip.read("EPUB/package.opf"))
        self.manifest = {item.get("id"): item for item in self.opf.iterfind(".//opf:item", NS)}

    def spine(self) -> list[str]:
        return [self.manifest[ref.get("idref")].get("href") for ref in self.opf.iterfind(".//opf:itemref", NS)]

    def chapters(self) -> list[str]:
        return [href for href in self.spine() if href not in ("cover.xhtml", "title.xhtml", "nav.xhtml")]

    def page(self, href: str) -> etree._Element:
        return etree.fromstring(self.zip.read(f"EPUB/{href}"))

    def media_types(self) -> dict[str, str]:
        return {item.get("href"): item.get("media-type") for item in self.manifest.values()}


@pytest.fixture(scope="session")
def seed_books(seed_project, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """Every book of the seeds, offline (pictures as placeholders): the folder they are in, and what the command said."""
    folder = tmp_path_factory.mktemp("books")
    return folder, epub(seed_project, "-o", str(folder), "--offline")
