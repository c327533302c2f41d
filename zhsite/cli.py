"""The ``zhsite`` command."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from zhsite import __version__
from zhsite.build import build as build_site
from zhsite.problems import BuildError, Problem

PROJECT_HELP = "Project folder holding zhsite.toml and content/ (default: the current folder)."


def report(problems: list[Problem]) -> None:
    """Every problem once, errors first, then a one-line tally."""
    for problem in sorted(problems, key=lambda p: (p.severity != "error", p.file, p.where)):
        click.echo(str(problem), err=True)
    if problems:
        tally = Counter(p.severity for p in problems)
        click.echo(f"{tally['error']} error(s), {tally['warning']} warning(s)", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zhsite")
def main() -> None:
    """Turn archived Zhihu columns and study notes into a static site."""


@main.command()
@click.option("-s", "--project", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True, help=PROJECT_HELP)
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None, help="Output folder (default: output_dir in zhsite.toml, 'site').")
def build(project: Path, output: Path | None) -> None:
    """Build the site from the project's content."""
    try:
        result = build_site(project, output)
    except BuildError as exc:
        report([exc.problem])
        sys.exit(1)
    report(result.problems)
    site = result.site
    click.echo(
        f"built {result.pages} pages ({len(site.columns)} columns, {len(site.articles)} articles, "
        f"{len(site.notes)} notes) into {result.output}",
        err=True,
    )
    if result.errors:
        sys.exit(1)
