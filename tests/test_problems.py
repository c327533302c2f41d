"""The terminal summary: a large archive with many like problems prints a screenful, --verbose all of them."""
from __future__ import annotations

from zhsite.problems import Problem, summary


def broken_files(count: int) -> list[Problem]:
    return [Problem(f"content/q{i:04d}.json", "", f"unknown archive shape: found k{i}") for i in range(count)]


def test_many_errors_of_one_kind_are_one_line_with_a_count_and_a_few_places():
    problems = broken_files(5000) + [Problem("content/bad.json", "1:2", "not valid JSON: Expecting value")]
    lines = summary(problems, hints={"unknown archive shape": "supported archive shapes: column dump; …"})
    assert lines == [
        "content/bad.json:1:2: error: not valid JSON: Expecting value",
        "error: unknown archive shape (5000×): content/q0000.json, content/q0001.json, content/q0002.json and 4997 more",
        "  supported archive shapes: column dump; …",
        "5001 error(s), 0 warning(s) (each one: --verbose)",
    ]


def test_verbose_lists_every_problem_on_its_own_line():
    lines = summary(broken_files(40) + [Problem("content/n.md", "", "empty file", "warning")], verbose=True)
    assert len(lines) == 42
    assert lines[0] == "content/q0000.json: error: unknown archive shape: found k0"
    assert lines[40] == "content/n.md: warning: empty file"
    assert lines[-1] == "40 error(s), 1 warning(s)"


def test_a_grouped_kind_names_each_place_once():
    # Thirty formulas of one answer: the file and answer once, not three times over.
    problems = [Problem("content/a.json", "answer 1", f"formula could not be typeset, shown as TeX: x{i}", "warning") for i in range(30)]
    assert summary(problems)[0] == "warning: formula could not be typeset, shown as TeX (30×): content/a.json:answer 1"
