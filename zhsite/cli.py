"""The ``zhsite`` command."""
from __future__ import annotations

import dataclasses
import gc
import sys
import webbrowser
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from zhsite import __version__
from zhsite.config import CONFIG_FILE, Config, OutputRefused, cache_path, check_output, host_name, load_config
from zhsite.problems import BuildError, Problem, summary
from zhsite.unchanged import BuildResult, unchanged_build

# The stages are imported by the commands that run them, never here: `zhsite build` with nothing changed
# (zhsite/unchanged.py) imports none, which is most of its time saved.
if TYPE_CHECKING:
    from zhsite.deploy import DeployOptions
    from zhsite.images import ImageSummary

CANNOT_READ_OR_WRITE = "cannot read or write"
NOT_A_HOST_NAME = "not a host name"
ADDRESS_WITHOUT_BUILD = "--no-build publishes the site as it was built"

# Checked by each command itself (check_content), so a wrong folder is one line, as a folder without content is.
project_option = click.option("-s", "--project", type=click.Path(path_type=Path), default=".", show_default=True,
                              help="Project folder holding zhsite.toml and content/ (default: the current folder).")


def report(problems: list[Problem], strict: bool = False, verbose: bool = False) -> None:
    if not problems:
        return
    from zhsite.load import UNKNOWN_SHAPE
    from zhsite.load.shapes import supported_shapes

    hints = {UNKNOWN_SHAPE: f"supported archive shapes: {supported_shapes()} (docs/archives.md: Supported archive shapes)"}
    for line in summary(problems, strict, verbose, hints):
        click.echo(line, err=True)


def skipped_line(skipped: Mapping[str, int]) -> str:
    """Side files in one line, most first: ``skipped 771 page snapshots, 57 PDFs``."""
    kinds = sorted(skipped.items(), key=lambda item: (-item[1], item[0]))
    return "skipped " + ", ".join(f"{count:,} {kind}" for kind, count in kinds)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zhsite")
def main() -> None:
    """Turn archived Zhihu columns and study notes into a static site."""


def image_options(command):
    """``--images`` and ``--offline``, the same for build and serve."""
    command = click.option("--offline", is_flag=True, help="Local image copies from the image folders, the cache and posts saved with their "
                           "pictures (.mhtml, .webarchive) only, no network at all (implies --images local).")(command)
    return click.option("--images", "images_mode", type=click.Choice(["local", "remote"]), default=None,
                        help="local: copies in the site, found, cached or downloaded (a picture whose host does not answer keeps its URL); "
                             "remote: pages load images from their original URLs (default: [images] mode, local).")(command)


def image_overrides(images_mode: str | None, offline: bool) -> dict:
    """The ``[images]`` keys the two options change."""
    if offline and images_mode == "remote":
        raise click.UsageError("--offline needs --images local (it only changes where local copies come from)")
    return {"mode": "local", "offline": True} if offline else {"mode": images_mode}


@main.command()
@project_option
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None, help="Output folder (default: output_dir in zhsite.toml, 'site'), replaced whole by each build; "
              "refused (exit status 2) when it holds the project, is, holds or sits in content/, templates/, themes/ or the cache, "
              "or holds files zhsite did not write (no .zhsite-output).")
@click.option("--base-url", default=None, help="Override base_url, the site's public address used in feeds, sitemap and canonical links.")
@click.option("--strict", is_flag=True, help="Show every warning (formulas that failed, markup dropped, …) and fail on any.")
@click.option("-v", "--verbose", is_flag=True, help="List every problem on its own line (by default like problems are grouped by kind, with a count and a few places).")
@image_options
@click.option("--report", "missing_images", is_flag=True, help="After the build, list per article the images that could not be had (with --images local).")
def build(project: Path, output: Path | None, base_url: str | None, strict: bool, verbose: bool, images_mode: str | None, offline: bool, missing_images: bool) -> None:
    """Build the site from the project's content."""
    result = _build_or_exit(project, output, base_url, strict, image_overrides(images_mode, offline), verbose)
    if missing_images:
        _print_missing_images(result.images)
    left_to_the_system()
    if result.errors or (strict and result.problems):
        sys.exit(1)


def left_to_the_system() -> None:
    """What the command made is not freed object by object as this process exits, but with the process.

    The model a build leaves (10,000 articles: 280,000 objects, in cycles) is
    garbage the collector's last walk at exit would find and free, 0.2 s of
    an edit's build; frozen, it is never walked.  Only what ends the process
    may call this: nothing it holds is ever freed after.
    """
    gc.freeze()


def _print_missing_images(summary: ImageSummary | None) -> None:
    """The report on stdout, so it can be saved apart from the build log on stderr."""
    from zhsite.images.report import missing_report

    if summary is None:
        click.echo("no image report: [images] mode is remote, pages load images from their original URLs (use --images local)", err=True)
        return
    for line in missing_report(summary.missing):
        click.echo(line)


@main.command("images")
@project_option
@click.option("--offline", is_flag=True, help="Look in the image folders, the cache and posts saved with their pictures (.mhtml, .webarchive) only, no network at all.")
def images_command(project: Path, offline: bool) -> None:
    """Find, cache or download every image the site shows, without building pages, and list per article the ones that could not be had.

    Whatever [images] mode says, this fills the cache a local build then takes
    its copies from. Exit status 1 when an image is missing or the content has errors.
    """
    from zhsite.build import gather
    from zhsite.session import Session

    config = project_config(project, {"images": {"mode": "local", "offline": offline or None}})
    # The front of the build, as a build runs it (zhsite/build.py gather): the same stages and the same build cache
    # (parsed files, each article's image URLs, the pictures checked), the pictures beside notes too.
    session = Session.in_project(project)
    try:
        front = gather(project, config, session)
        problems = front.problems + front.pictures.files.problems
        report(problems)  # the content's and the pictures beside notes; the downloads' are the report below
        for repaired in session.cache(config).repairs():  # the cache's own warning, once, as a build gives it
            click.echo(str(repaired), err=True)
    finally:
        session.close()
    summary = front.pictures.summary
    click.echo(summary.line(), err=True)
    _print_missing_images(summary)
    if summary.missing or any(p.severity == "error" for p in problems):
        sys.exit(1)


def refuse(exc: BuildError) -> NoReturn:
    """A usage mistake, like a bad option (no content to build, an output folder that is not zhsite's): one line, exit status 2."""
    click.echo(str(exc.problem), err=True)
    sys.exit(2)


def project_config(project: Path, overrides: Mapping | None = None) -> Config:
    """The project's configuration, once it has content to build; else one line and exit status 2, before anything is made."""
    from zhsite.load import NoContent, check_content

    try:
        config = load_config(project, overrides)
        check_content(project, config)
    except NoContent as exc:
        refuse(exc)
    except BuildError as exc:
        report([exc.problem])
        sys.exit(1)
    return config


def _build_or_exit(project: Path, output: Path | None, base_url: str | None, strict: bool = False, images: dict | None = None,
                   verbose: bool = False, replace_on_errors: bool = True) -> BuildResult:
    result, repairs = unchanged_build(project, output, {"base_url": base_url, "images": images})
    if result is None:
        result = _build(project, output, base_url, images, replace_on_errors)
        result.problems += repairs
    report(result.problems, strict, verbose)
    if result.skipped:
        click.echo(skipped_line(result.skipped), err=True)
    if result.images is not None and result.images.counts:  # [images] mode = "local", and the site shows pictures
        click.echo(result.images.line(), err=True)
    counts = result.counts
    unchanged = f"; {len(result.drawn)} files drawn, the rest unchanged since the last build" if result.kept else ""
    asked = f"{counts.questions:,} questions, {counts.answers:,} answers, " if counts.questions else ""
    pins = "".join(f"{number:,} {kind}, " for number, kind in ((counts.pins, "pins"), (counts.videos, "videos")) if number)
    click.echo(
        f"built {counts.pages:,} pages ({counts.columns:,} columns, {counts.articles:,} articles, "
        f"{asked}{pins}{counts.notes:,} notes) into {result.output}{unchanged}",
        err=True,
    )
    return result


def _build(project: Path, output: Path | None, base_url: str | None, images: dict | None, replace_on_errors: bool) -> BuildResult:
    """The pipeline (zhsite/build.py), imported for a build with something to do; what stops it is said in one line, and the exit."""
    from zhsite.build import build as build_site
    from zhsite.load import NoContent

    try:
        return build_site(project, output, base_url, images, replace_on_errors=replace_on_errors)
    except (OutputRefused, NoContent) as exc:  # nothing touched
        refuse(exc)
    except BuildError as exc:
        report([exc.problem])
        sys.exit(1)
    except OSError as exc:  # one the stages did not name (the site's own writes are named in zhsite/write.py)
        report([Problem(str(exc.filename or project), "", CANNOT_READ_OR_WRITE, f"{exc.strerror or exc}")])
        sys.exit(1)


@main.command()
@project_option
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None, help="Output folder to build into and publish (default: output_dir in zhsite.toml); "
              "refused like build's -o, with --no-build too.")
@click.option("--base-url", default=None, help="The site's public address, for feeds, sitemap and canonical links (overrides base_url); "
              "a base_url on localhost or 127.0.0.1 is refused (exit status 2), with the GitHub Pages address proposed when the remote is on GitHub.")
@click.option("--remote", default="origin", show_default=True, help="Git remote to push to.")
@click.option("--branch", default="gh-pages", show_default=True, help="Branch that holds the published site; never one checked out in a working tree.")
@click.option("-m", "--message", default="", help="Commit message (default: names the project's current commit, and says when it has uncommitted changes).")
@click.option("--push/--no-push", default=True, show_default=True, help="Push the branch after committing.")
@click.option("--cname", default=None, help="Custom domain, written to a CNAME file in the published site (default: cname in zhsite.toml, "
              "else the CNAME already on the branch is kept; --cname '' drops it).")
@click.option("--build/--no-build", "rebuild", default=True, show_default=True, help="Build first (a build with errors is not published and leaves the previous site), "
              "or publish the existing output as it is.")
def deploy(project: Path, output: Path | None, base_url: str | None, remote: str, branch: str, message: str, push: bool, cname: str | None, rebuild: bool) -> None:
    """Publish the site to a GitHub Pages branch (with .nojekyll), then push it.

    Never onto the branch checked out in a working tree. A build with errors
    is not published and leaves the previous site in the output folder, so
    --no-build then publishes what was last good. Uncommitted changes in the
    project are reported, and named in the commit message unless -m gives one.
    """
    from zhsite.deploy import DeployOptions, uncommitted
    from zhsite.deploy import deploy as deploy_site

    options, config = _deploy_options(project, output, base_url, rebuild,
                                      DeployOptions(remote=remote, branch=branch, message=message, push=push, cname=cname))
    if rebuild:
        result = _build_or_exit(project, output, base_url, replace_on_errors=False)
        if result.errors:
            kept = (f"{result.output} still holds the previous site (fix the errors, or publish that last good site with --no-build)"
                    if (result.output / "index.html").is_file() else f"there is no previous site in {result.output} to publish (fix the errors first)")
            click.echo(f"not deployed: the build reported errors; {kept}", err=True)
            sys.exit(1)
    output = output or project / config.output_dir
    changes = uncommitted(project, [output, cache_path(project, config)])
    if changes:
        shown = ", ".join(changes[:5]) + (f" and {len(changes) - 5} more" if len(changes) > 5 else "")
        said = "the commit message is yours (-m)" if message else "named so in the commit message"
        click.echo(f"warning: the project has uncommitted changes, published as they are and {said}: {shown}", err=True)
    try:
        done = deploy_site(project, output, options, dirty=bool(changes))
    except BuildError as exc:
        report([exc.problem])
        sys.exit(1)
    state = f"committed {done.commit[:12]} to '{branch}'" if done.changed else f"site unchanged; '{branch}' stays at {done.commit[:12]}"
    click.echo(state + (f", pushed to '{remote}'" if done.pushed else ""), err=True)


def _deploy_options(project: Path, output: Path | None, base_url: str | None, rebuild: bool, options: DeployOptions) -> tuple[DeployOptions, Config]:
    """What deploy refuses before anything is built or committed: a usage mistake in one line (exit status 2), else errors (exit status 1)."""
    from zhsite.deploy import Refused, built_address, check_address, check_repository
    from zhsite.load import NoContent, check_content

    try:
        config = load_config(project, {"base_url": base_url})
        check_content(project, config)
        check_repository(project, options)
        site = output or project / config.output_dir
        if options.cname is not None and options.cname and not host_name(options.cname):
            raise Refused(Problem("--cname", "", NOT_A_HOST_NAME, f"{options.cname!r}; give a domain such as archive.example.org"))
        if base_url and not rebuild:
            raise Refused(Problem("--base-url", "", ADDRESS_WITHOUT_BUILD, "deploy without --no-build to build it with this address"))
        check_output(project, config, site)
        if rebuild:
            advice = "give the address the site will have, such as {}" if base_url else f"deploy with --base-url {{}}, or set base_url in {CONFIG_FILE}"
            check_address(project, options.remote, config.site_url, "--base-url" if base_url else f"{project / CONFIG_FILE}:base_url", advice)
        else:
            check_address(project, options.remote, built_address(site) or config.site_url, str(site), "publish a new build: deploy with --base-url {}")
    except (OutputRefused, Refused, NoContent) as exc:
        refuse(exc)
    except BuildError as exc:
        report([exc.problem])
        sys.exit(1)
    cname = options.cname if options.cname is not None else config.cname or None
    return dataclasses.replace(options, cname=cname), config


@main.command()
@click.argument("folder", type=click.Path(path_type=Path), default=".")
@click.option("--force", is_flag=True, help="Also in a folder that is not empty: add the project files that are missing, change no file that exists.")
def init(folder: Path, force: bool) -> None:
    """Start a new archive project in FOLDER (default: the current folder, which must be empty).

    Writes zhsite.toml (every key, commented), content/ with a short example
    note, .gitignore, and .github/workflows/pages.yml, which builds the site on
    every push with the repository's Pages address and publishes it with
    GitHub's Pages actions, installing zhsite from the source this one came
    from, pinned.
    """
    from zhsite.init import InitRefused, init_project

    try:
        created = init_project(folder, force)
    except InitRefused as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except OSError as exc:
        click.echo(f"error: cannot write {exc.filename or folder}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    click.echo(f"created {folder}: " + (", ".join(created.written) or "nothing, every project file was there"), err=True)
    if created.kept:
        click.echo("kept as they were: " + ", ".join(created.kept), err=True)
    if created.source.caveat:
        click.echo(f"warning: {created.source.caveat}", err=True)
    project = "" if folder == Path(".") else f" -s {folder}"
    click.echo(f"next: put your exports and notes into {folder / 'content'}, then run `zhsite build{project}` "
               f"(or `zhsite serve{project}` to preview)", err=True)


@main.command()
@click.argument("names", nargs=-1)
@project_option
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder the books are written to (default: epub/ in the project); other files in it are left alone.")
@click.option("--no-comments", is_flag=True, help="Leave the comments out of the chapters.")
@click.option("--offline", is_flag=True, help="Pictures from the image folders, the cache and posts saved with their pictures (.mhtml, .webarchive) only, no network at all.")
@click.option("--answers", is_flag=True,
              help="Books of questions instead: 问题与回答 (questions.epub, every question with its answers) and each author's "
                   "answers (answers-<author>.epub; unnamed, only authors who answered two questions or more).")
def epub(names: tuple[str, ...], project: Path, output: Path | None, no_comments: bool, offline: bool, answers: bool) -> None:
    """Write one EPUB 3 e-book per column (NAMES: columns by title or slug; none: every column), and one of the notes (学习笔记).

    Chapters in reading order, oldest first, with formulas as MathML, highlighted
    code and the comments; pictures embedded from the same cache and image folders
    as a site built with [images] mode = "local" (downloaded when missing, unless
    --offline). The same archive gives the same bytes. Exit status 1 when the
    content has errors or a name matches no column.
    """
    from zhsite.build import books
    from zhsite.write import write_atomically

    config = project_config(project, {"images": {"mode": "local", "offline": offline or None}})
    try:
        made, unknown, problems = books(project, config, list(names), comments=not no_comments, answers=answers)
    except BuildError as exc:
        report([exc.problem])
        sys.exit(1)
    report(problems)
    folder = output if output is not None else project / "epub"
    for book in made:
        path = folder / book.name
        try:
            write_atomically(path, book.data)
        except OSError as exc:
            click.echo(f"{path}: error: cannot write: {exc.strerror or exc}", err=True)
            sys.exit(1)
        missing = f", {book.missing} missing (shown as a box with their address)" if book.missing else ""
        click.echo(f"wrote {path}: {book.chapters} chapters, {book.pictures} pictures embedded{missing}, {len(book.data):,} bytes", err=True)
    for name in unknown:
        click.echo(f"error: no column or book named {name!r}", err=True)
    if not made and not unknown:
        click.echo(f"no book written: the content has no {'question' if answers else 'column and no notes'}", err=True)
    if unknown or any(p.severity == "error" for p in problems):
        sys.exit(1)


def freeze_what_lives_as_long_as_the_server() -> None:
    """Take what exists now out of the cycle collector's reach, for the rest of this process.

    What the first build read (every article, its rewritten body, the templates) lives as
    long as the server and is freed, when a file changes, by reference counting: frozen, it
    is no longer walked by the cycle collector in every rebuild, a cost that grows with the archive.  Only the process can decide that all it holds now stays: so it is done here,
    in the command, not in :func:`~zhsite.serve.start_server`, which tests and other callers share.
    """
    gc.collect()
    gc.freeze()


@main.command()
@project_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface, with a warning). Requests must name localhost, an IP address or this host.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in the web browser.")
@click.option("--base-path", default="/", show_default=True, help="Serve the site under this path, as GitHub Pages serves a project site (e.g. /repo/).")
@click.option("--poll", is_flag=True, help="Watch by polling the files every second; use it in Docker, WSL or on network mounts, where inotify misses changes.")
@image_options
def serve(project: Path, host: str, port: int, open_browser: bool, base_path: str, poll: bool, images_mode: str | None, offline: bool) -> None:
    """Serve the site from memory and rebuild it, reloading the page, when content, templates or themes change.

    Nothing but the build cache is written to disk. A build with errors leaves the last good site
    on screen and shows the errors over it.
    """
    from zhsite.load import NoContent, check_content
    from zhsite.serve import ServeError, start_server

    images = image_overrides(images_mode, offline)
    try:
        check_content(project, load_config(project))
    except NoContent as exc:
        refuse(exc)
    except BuildError:  # a broken zhsite.toml (so the folder is there): the server shows it, and rebuilds when it is mended
        pass
    try:
        handle = start_server(project, host, port, base_path, poll, echo=lambda text: click.echo(text, err=True), report=report, images=images)
    except ServeError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    freeze_what_lives_as_long_as_the_server()
    try:  # from the line that says where: a Ctrl-C as soon as it is read stops cleanly too
        click.echo(f"serving {handle.url} (Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(handle.url)
        handle.wait()
    except KeyboardInterrupt:
        click.echo("stopping", err=True)
    finally:
        handle.stop()
