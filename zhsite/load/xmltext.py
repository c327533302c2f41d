"""An app's XML read as far as it goes: an export cut off by its download keeps the items before the break.

The parser reads no entity, no DTD and nothing from the network (the file is
someone else's), takes huge text nodes (a note of pictures in base64), and
recovers: what it read before the first error is kept, and the error is
given with its place, for the reader to say.
"""
from __future__ import annotations

from typing import NamedTuple

from lxml import etree


class Damage(NamedTuple):
    """Where an XML file breaks (``line:column``) and what the parser said there."""

    where: str
    message: str


def parse_xml(text: str) -> tuple[etree._Element | None, Damage | None]:
    """The file's root (None when nothing could be read) and the first error in it, if any."""
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True, load_dtd=False, recover=True)
    try:
        root = etree.fromstring(text.encode("utf-8", "surrogatepass"), parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (0, 0)
        return None, Damage(f"{line}:{column}", exc.msg or str(exc))
    error = next((entry for entry in parser.error_log if entry.level >= etree.ErrorLevels.ERROR), None)
    return root, Damage(f"{error.line}:{error.column}", error.message) if error is not None else None
