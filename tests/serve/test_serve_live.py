"""Edits on disk reach the open page: rebuilt, reloaded, or shown as errors over the last good site."""
from __future__ import annotations

import json
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.serve.helpers import fetch, first_events
from zhsite.serve.watch import plan_for

ARTICLE = "p/60692852.html"
TITLE = "全监督检测之YOLO"
COLUMN = "shallow-learning-column.json"
WAIT_MS = 60_000  # an upper bound for a rebuild on a loaded machine; the waits end as soon as the page changes


def retitled(project: Path, title: str) -> bytes:
    """The column dump with article 60692852 renamed, as an editor would save it."""
    column = json.loads((project / "content" / COLUMN).read_text(encoding="utf-8"))
    for article in column["article"]:
        if article["url"].endswith("/p/60692852"):
            article["title"] = title
    return json.dumps(column, ensure_ascii=False, indent=1).encode("utf-8")


def test_editing_a_title_reloads_the_page(serve, project, in_browser):
    server = serve(project)

    def scenario(page: Page) -> None:
        page.goto(server.url + ARTICLE)
        expect(page.locator("h1")).to_have_text(TITLE)
        (project / "content" / COLUMN).write_bytes(retitled(project, "YOLO，改过的标题"))
        expect(page.locator("h1")).to_have_text("YOLO，改过的标题", timeout=WAIT_MS)

    in_browser(scenario)


def test_a_broken_file_shows_an_overlay_over_the_last_good_page(serve, project, log, in_browser):
    server = serve(project)
    column = project / "content" / COLUMN
    good = column.read_bytes()
    fixed = retitled(project, "YOLO，修好了")

    def scenario(page: Page) -> None:
        page.goto(server.url + ARTICLE)
        expect(page.locator("h1")).to_have_text(TITLE)
        column.write_bytes(good[: len(good) // 2])
        overlay = page.locator("#zhsite-error")
        expect(overlay).to_contain_text(f"content/{COLUMN}", timeout=WAIT_MS)
        expect(overlay).to_contain_text("not valid JSON")
        expect(page.locator("h1")).to_have_text(TITLE)  # the last good page stays underneath

        # A page opened while the build is failing shows the errors too, over the last good site.
        late = page.context.new_page()
        late.goto(server.url + ARTICLE)
        expect(late.locator("h1")).to_have_text(TITLE)
        expect(late.locator("#zhsite-error")).to_contain_text(f"content/{COLUMN}", timeout=WAIT_MS)

        column.write_bytes(fixed)
        for reader in (page, late):
            expect(reader.locator("h1")).to_have_text("YOLO，修好了", timeout=WAIT_MS)
            expect(reader.locator("#zhsite-error")).to_have_count(0)

    in_browser(scenario)
    assert any(f"content/{COLUMN}" in line and "not valid JSON" in line for line in log)


def test_a_burst_of_writes_is_one_rebuild(serve, project):
    # The files must stay still for 2 s, not 50 ms: on a loaded machine the writes
    # below can be descheduled for longer than 50 ms, and two builds would then be right.
    server = serve(project, quiet=2.0)
    assert server.builds == 1
    column = project / "content" / COLUMN
    note = project / "content" / "cv-lecture-notes.md"
    versions = [retitled(project, f"burst {i}") for i in range(10)]
    for data in versions:  # 20 writes, as a save-all or a checkout makes
        column.write_bytes(data)
        note.write_bytes(note.read_bytes())
    assert server.wait_for_builds(2, timeout=120)
    assert "burst 9" in fetch(server.url, "/" + ARTICLE)[2].decode("utf-8")

    # A separate, later edit is one more build; had the burst caused two, this would be the fourth.
    column.write_bytes(retitled(project, "after the burst"))
    assert server.wait_for_builds(3, timeout=120)
    assert "after the burst" in fetch(server.url, "/" + ARTICLE)[2].decode("utf-8")
    assert server.builds == 3


def test_editor_files_and_hidden_files_are_ignored_but_config_is_not(serve, project, log):
    server = serve(project)
    content = project / "content"
    for name in (".shallow.json.swp", ".#shallow.json", ".trash/old.json"):
        (content / name).parent.mkdir(exist_ok=True)
        (content / name).write_text("{", encoding="utf-8")
    (project / "README.txt").write_text("not a source", encoding="utf-8")
    # The config is a source: its change is the next build, and the only one.
    (project / "zhsite.toml").write_text('title = "改名的站点"\n', encoding="utf-8")
    assert server.wait_for_builds(2, timeout=120)
    assert "改名的站点" in fetch(server.url, "/index.html")[2].decode("utf-8")
    assert server.builds == 2
    assert not any("error" in line for line in log)


def test_a_template_error_names_the_template_and_line(serve, project, log):
    server = serve(project)
    (project / "templates").mkdir()  # a folder that did not exist when the server started
    assert server.wait_for_builds(2, timeout=120)
    snapshot = fetch(server.url, "/" + ARTICLE)[2].split(b"?v=")[1].split(b'"')[0].decode()
    (project / "templates" / "article.html").write_text('{% extends "base.html" %}\n{% block main %}\n{% if %}\n{% endblock %}\n', encoding="utf-8")
    assert server.wait_for_builds(3, timeout=120)
    [(event, text)] = first_events(server.url, f"/__zhsite__/events?v={snapshot}", 1)
    assert event == "problem"
    assert "article.html:3: error: template syntax error" in text
    assert any("article.html:3" in line for line in log)
    assert TITLE in fetch(server.url, "/" + ARTICLE)[2].decode("utf-8")  # still the last good page


def test_editing_a_template_again_shows_the_edit(serve, project):
    """The templates are read once a build while none changes; an edited one is read again (zhsite/session.py)."""
    server = serve(project)
    (project / "templates").mkdir()
    override = project / "templates" / "article.html"
    for text in ("第一版模板", "第二版模板"):
        override.write_text('{% extends "base.html" %}\n{% block main %}<p>' + text + '</p>{% endblock %}\n', encoding="utf-8")
        assert server.wait_for_builds(server.builds + 1, timeout=120)
        assert until(lambda text=text: text in fetch(server.url, "/" + ARTICLE)[2].decode("utf-8")), text


def until(shown, seconds: float = 120) -> bool:
    """Whether *shown* becomes true before *seconds* pass: a save can take one rebuild or, merged with the one before, none."""
    deadline = time.monotonic() + seconds
    while not shown():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_what_counts_as_a_change(project):
    plan = plan_for(project)
    content = project / "content"
    assert plan.relevant(str(content / COLUMN))
    assert plan.relevant(str(content / "new" / "note.md"))
    assert plan.relevant(str(content))  # the folder itself, deleted or created
    assert plan.relevant(str(project / "zhsite.toml"))
    assert plan.relevant(str(project / "templates" / "article.html"))
    assert plan.relevant(str(project / "themes" / "mine" / "static" / "style.css"))
    for noise in (".x.md.swp", "x.md.swp", "x.md~", ".#x.md", "#x.md#", "4913", ".git/index", "x.tmp"):
        assert not plan.relevant(str(content / noise)), noise
    for elsewhere in ("README.md", "site/index.html", ".site.building-1/index.html", "zhsite.toml~"):
        assert not plan.relevant(str(project / elsewhere)), elsewhere


def test_polling_sees_an_edit(serve, project, log):
    server = serve(project, poll=True)
    assert any("polling" in line for line in log)
    (project / "content" / COLUMN).write_bytes(retitled(project, "polled"))
    assert server.wait_for_builds(2, timeout=120)
    assert "polled" in fetch(server.url, "/" + ARTICLE)[2].decode("utf-8")
