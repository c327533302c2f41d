"""The terminal summary: a large archive with many like problems prints a screenful, --verbose all of them.

A problem's kind is data: every problem zhsite raises names its kind by a
constant, never by its wording.  The output groups problems by kind and the
CLI keys its hints on it, so a kind spelled inline (or built from the
particulars) would split one sort of trouble into many lines, and rewording
it would drop a hint.
"""
from __future__ import annotations

import ast
from pathlib import Path

from zhsite.problems import Problem, summary

PACKAGE = Path(__file__).parent.parent / "zhsite"


def broken_files(count: int) -> list[Problem]:
    return [Problem(f"content/q{i:04d}.json", "", "unknown archive shape", f"found k{i}") for i in range(count)]


def test_many_errors_of_one_kind_are_one_line_with_a_count_and_a_few_places():
    problems = broken_files(5000) + [Problem("content/bad.json", "1:2", "not valid JSON", "Expecting value")]
    lines = summary(problems, hints={"unknown archive shape": "supported archive shapes: column dump; …"})
    assert lines == [
        "content/bad.json:1:2: error: not valid JSON: Expecting value",
        "error: unknown archive shape (5000×): content/q0000.json, content/q0001.json, content/q0002.json and 4997 more",
        "  supported archive shapes: column dump; …",
        "5001 error(s), 0 warning(s) (each one: --verbose)",
    ]


def test_verbose_lists_every_problem_on_its_own_line():
    lines = summary(broken_files(40) + [Problem("content/n.md", "", "empty file", severity="warning")], verbose=True)
    assert len(lines) == 42
    assert lines[0] == "content/q0000.json: error: unknown archive shape: found k0"
    assert lines[40] == "content/n.md: warning: empty file"
    assert lines[-1] == "40 error(s), 1 warning(s)"


def test_a_kind_met_once_keeps_its_whole_line_warnings_too():
    # The details say which date, which file name, which link: with one such problem there is room for them.
    lines = summary([Problem("content/x.md", "3", "not a date", "date '2024/02/30'; the note has none", severity="warning")])
    assert lines == ["content/x.md:3: warning: not a date: date '2024/02/30'; the note has none", "0 error(s), 1 warning(s)"]


def test_a_grouped_kind_names_each_place_once():
    # Thirty formulas of one answer: the file and answer once, not three times over.
    problems = [Problem("content/a.json", "answer 1", "formula could not be typeset, shown as TeX", f"x{i}", severity="warning") for i in range(30)]
    assert summary(problems)[0] == "warning: formula could not be typeset, shown as TeX (30×): content/a.json:answer 1"



def _calls(name: str) -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and name in (getattr(node.func, "id", None), getattr(node.func, "attr", None)):
                found.append((f"{path.relative_to(PACKAGE.parent)}:{node.lineno}", node))
    return found


def _a_kind(node: ast.expr | None) -> bool:
    """A constant (``UNKNOWN_SHAPE``, ``images.IMAGE_NOT_SAVED``), or a ``kind`` handed on from a caller checked here."""
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return name == "kind" or (name.isupper() and name.isidentifier())


def _kind_argument(call: ast.Call, position: int) -> ast.expr | None:
    keyword = next((k.value for k in call.keywords if k.arg == "kind"), None)
    return keyword if keyword is not None else call.args[position] if len(call.args) > position else None


def test_every_problem_names_its_kind_by_a_constant():
    calls = _calls("Problem")
    assert len(calls) > 60  # the walk found zhsite's problems
    wrong = [place for place, call in calls if not _a_kind(_kind_argument(call, 2))]
    assert wrong == []


def test_every_warning_a_pass_or_parser_gives_names_its_kind_by_a_constant():
    # ctx.warn in the rewrite passes, and the warn callbacks zhsite/tree.py calls (oversized elements, unsafe values).
    calls = _calls("warn")
    assert len(calls) >= 7
    wrong = [place for place, call in calls if not _a_kind(_kind_argument(call, 0))]
    assert wrong == []


def test_problems_group_by_their_kind_whatever_their_details_say():
    # Details with colons of their own, and details that begin alike, group by the kind they were raised with.
    problems = [Problem(f"content/{i}.md", "", "formula could not be typeset, shown as TeX", f"\\frac{{a}}{{b}}: {i}", severity="warning")
                for i in range(4)]
    problems.append(Problem("content/x.md", "", "unresolved wikilink", "formula could not be typeset, shown as TeX", severity="warning"))
    lines = summary(problems)
    assert lines[0] == "warning: formula could not be typeset, shown as TeX (4×): content/0.md, content/1.md, content/2.md and 1 more"
    assert lines[1] == "content/x.md: warning: unresolved wikilink: formula could not be typeset, shown as TeX"


def test_a_hint_is_keyed_on_the_kind_not_on_the_wording():
    problem = Problem("content/a.json", "", "unknown archive shape", "found: data, paging")
    assert summary([problem], hints={"unknown archive shape": "supported archive shapes: …"})[1] == "  supported archive shapes: …"
    assert summary([problem], hints={"unknown archive shape: found": "never said"})[1:] == ["1 error(s), 0 warning(s)"]
