"""The shapes table: docs/archives.md shows it as it is, and each row's example is read by that row."""
from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest

from zhsite.load.shapes import SHAPES, shape_for, shapes_table
from zhsite.load.sniff import sniff

ARCHIVES_PAGE = Path(__file__).resolve().parents[2] / "docs" / "archives.md"


def test_the_docs_show_the_shapes_table_as_the_registry_makes_it():
    readme = ARCHIVES_PAGE.read_text(encoding="utf-8")
    start = readme.index("<!-- shapes: made by zhsite.load.shapes.shapes_table() -->\n") + len("<!-- shapes: made by zhsite.load.shapes.shapes_table() -->\n")
    end = readme.index("\n<!-- /shapes -->", start)
    assert readme[start:end] == shapes_table(), "paste the output of zhsite.load.shapes.shapes_table() into docs/archives.md"


def parses(example: str) -> bool:
    try:
        json.loads(example)
    except json.JSONDecodeError:
        return False  # elided with {…}: the page shows the outline
    return True


JSON_EXAMPLES = [s for s in SHAPES if s.reads == "json" and parses(s.example)]


def test_most_json_examples_are_whole_files():
    assert len(JSON_EXAMPLES) >= 6


@pytest.mark.parametrize("shape", JSON_EXAMPLES, ids=lambda s: s.name)
def test_each_json_example_is_recognised_by_its_own_row(shape):
    assert sniff(shape.example) == "json"
    assert shape_for("json", json.loads(shape.example)) is shape


@pytest.mark.parametrize("shape", [s for s in SHAPES if s.reads != "json"], ids=lambda s: s.name)
def test_each_text_example_is_sniffed_as_its_kind_and_read_by_its_own_row(shape):
    text = shape.example.replace("\\n", "\n")
    assert sniff(text) == shape.reads
    assert shape_for(shape.reads, text) is shape, "a saved post page's example is no snapshot, a snapshot's is no post"


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: shape.name)
def test_every_shape_is_read_by_a_reader_of_the_one_signature(shape):
    """(the parsed JSON or the text, the file's name) -> Loaded: a new shape is one function and one row, no wrapper."""
    signature = inspect.signature(shape.read)
    assert len(signature.parameters) == 2 and signature.return_annotation == "Loaded"
    assert shape.read.__module__ != "zhsite.load.shapes" or shape.read.__qualname__ == "skipped.<locals>.count"
