"""What a rewrite pass may know about the page it works on."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from zhsite.model import Heading
from zhsite.problems import Problem


@dataclass
class RewriteContext:
    # Output path of the page the HTML lands on, e.g. "p/60692852.html".
    page: str
    # Where in the archive the HTML came from, for messages: "content/x.json", "article 60692852".
    source: str = ""
    where: str = ""
    # Every post in the site -> its output path, keyed as Zhihu's URLs name it:
    # "p/<id>" for an article, "answer/<id>" for an answer (see Article.archive_key),
    # "file:<source>" for a note (or a post alone in its file), by the file it was read from ("content/笔记/a.md"); "title:<title>" for an
    # article, answer or note by its title and "name:<file name>" for a note (wikilinks, ``[[标题]]``).
    archived: Mapping[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    toc: list[Heading] = field(default_factory=list)
    # The archived pages this HTML links to, each with its sentence (Body.links), as the link passes find them.
    links: list[tuple[str, str]] = field(default_factory=list)
    # [images] mode = "local": image URL as written -> site path of its copy, None when it
    # could not be had (zhsite/images/); None (mode = "remote"): URLs stay as they are.
    images: Mapping[str, str | None] | None = None
    # Image paths on disk (beside the Markdown, zhsite/images/files.py) and "link:<path>" of the files a note links
    # to -> site path of the copy, None when left out; in either image mode.
    files: Mapping[str, str | None] = field(default_factory=dict)

    def warn(self, kind: str, detail: str = "", line: str | None = None) -> None:
        """A warning about this item; at *line* of its file when the source says where (Markdown does)."""
        self.problems.append(Problem(self.source, line or self.where, kind, detail, severity="warning"))
