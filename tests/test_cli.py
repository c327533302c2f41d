"""The zhsite command as a user runs it: messages, exit status, no tracebacks."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import make_project

GOOD = {"title": "好专栏", "article": [{"url": "https://zhuanlan.zhihu.com/p/1", "title": "第一篇", "content": "<p>正文</p>"}]}


def zhsite(*args, cwd):
    return subprocess.run([sys.executable, "-m", "zhsite", *args], cwd=cwd, capture_output=True, text=True)


def test_every_command_has_help_and_there_is_a_version(tmp_path):
    assert "build" in zhsite("--help", cwd=tmp_path).stdout
    assert "--output" in zhsite("build", "--help", cwd=tmp_path).stdout
    assert "--cname" in zhsite("deploy", "--help", cwd=tmp_path).stdout
    assert "0.1.0" in zhsite("--version", cwd=tmp_path).stdout


def test_base_url_option_sets_absolute_urls_only_where_they_must_be(tmp_path):
    make_project(tmp_path, {"col.json": json.dumps(GOOD)}, config='base_url = "http://localhost:8000/"\n')
    result = zhsite("build", "--base-url", "https://user.github.io/archive", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "<loc>https://user.github.io/archive/p/1.html</loc>" in (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    page = (tmp_path / "site" / "p" / "1.html").read_text(encoding="utf-8")
    assert 'href="../static/style.css"' in page and page.count("https://user.github.io/archive/") == 2  # the canonical link and og:url
    bad = zhsite("build", "--base-url", "user.github.io", cwd=tmp_path)
    assert bad.returncode == 1 and "base_url: error: wrong value: must start with http:// or https://" in bad.stderr


def test_build_defaults_to_current_folder_into_site(tmp_path):
    make_project(tmp_path, {"col.json": json.dumps(GOOD)})
    result = zhsite("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "p" / "1.html").is_file()
    assert "1 articles" in result.stderr


def test_bad_file_names_file_and_place_exits_nonzero_and_still_builds_the_rest(tmp_path):
    make_project(tmp_path, {"col.json": json.dumps(GOOD), "bad.json": '{"title": "x",\n "article": [}'})
    result = zhsite("build", "-o", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/bad.json:2:14: error: not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "out" / "p" / "1.html").is_file()


def test_bad_configuration_is_one_clear_line(tmp_path):
    make_project(tmp_path, {"col.json": json.dumps(GOOD)}, config='titel = "typo"\n')
    result = zhsite("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "zhsite.toml:titel: error: unknown key" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_template_syntax_error_in_project_override_names_the_template(tmp_path):
    make_project(tmp_path, {"col.json": json.dumps(GOOD)})
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "column.html").write_text("{% block main %}\n{{ oops(\n", encoding="utf-8")
    result = zhsite("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "column.html:" in result.stderr and "template syntax error" in result.stderr
    assert "Traceback" not in result.stderr


def test_template_error_while_rendering_names_the_template_and_line(tmp_path):
    make_project(tmp_path, {"col.json": json.dumps(GOOD)})
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "column.html").write_text("<h1>{{ column.title }}</h1>\n{{ column.kind.missing.deeper }}\n", encoding="utf-8")
    result = zhsite("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "templates/column.html:2: error: template error: 'str object' has no attribute 'missing'" in result.stderr
    assert "Traceback" not in result.stderr


def test_warnings_are_grouped_by_kind_and_strict_shows_and_fails_on_them(tmp_path):
    bad_formula = '<p><img src="https://www.zhihu.com/equation?tex=%5Cfoo%7Bx%7D" eeimg="1"/></p>'
    column = {"title": "专栏", "article": [
        {"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"第{i}篇", "content": bad_formula} for i in range(1, 6)
    ]}
    make_project(tmp_path, {"col.json": json.dumps(column)})
    relaxed = zhsite("build", cwd=tmp_path)
    assert relaxed.returncode == 0
    lines = relaxed.stderr.splitlines()
    assert "warning: formula could not be typeset, shown as TeX (5×): content/col.json:article 1, content/col.json:article 2, content/col.json:article 3 and 2 more" in lines
    assert "0 error(s), 5 warning(s) (each one: --verbose)" in lines
    strict = zhsite("build", "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert sum("warning: formula could not be typeset" in line for line in strict.stderr.splitlines()) == 5


def image_column(*names: str) -> str:
    """One article per image name, each showing that picture of the test host (mirrored to the image server)."""
    articles = [
        {"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"第{i}篇", "content": f'<p><img src="https://img.example.org/{name}"></p>'}
        for i, name in enumerate(names, start=1)
    ]
    return json.dumps({"title": "图片", "article": articles})


def test_images_fetches_without_building_and_lists_what_is_missing(tmp_path, image_server):
    make_project(tmp_path, {"col.json": image_column("fine.png", "missing.png")}, config=image_server.config(mode="remote"))
    result = zhsite("images", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "content/col.json:article 2: 1 image missing",
        "  https://img.example.org/missing.png: HTTP 404",
        "1 image missing, in 1 of the articles and notes",
    ]
    assert "images: 2 pictures, 0 found locally, 0 cached, 1 downloaded" in result.stderr
    assert not (tmp_path / "site").exists(), "no pages are built"
    # What it downloaded is in the cache: an offline run has it, and lacks only the other one again.
    image_server.reset()
    offline = zhsite("images", "--offline", cwd=tmp_path)
    assert offline.returncode == 1 and image_server.total == 0
    assert "images (offline): 2 pictures, 0 found locally, 1 cached, 0 downloaded" in offline.stderr
    assert "  https://img.example.org/missing.png: offline: not in the image folders or the cache" in offline.stdout.splitlines()


def test_images_with_nothing_missing_exits_zero(tmp_path, image_server):
    make_project(tmp_path, {"col.json": image_column("fine.png")}, config=image_server.config())
    result = zhsite("images", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "no images missing\n"


def test_images_with_a_bad_configuration_is_one_clear_line(tmp_path):
    make_project(tmp_path, {"col.json": json.dumps(GOOD)}, config="[images]\nretries = -1\n")
    result = zhsite("images", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "zhsite.toml:images.retries: error: wrong value: expected an int >= 0, got -1"
    assert "Traceback" not in result.stderr


def test_build_report_lists_missing_images_after_the_build(tmp_path, image_server):
    make_project(tmp_path, {"col.json": image_column("fine.png", "missing.png")}, config=image_server.config(mode="remote"))
    result = zhsite("build", "--images", "local", "--report", cwd=tmp_path)
    assert result.returncode == 0, "a missing image never fails a build"
    assert result.stdout.splitlines() == [
        "content/col.json:article 2: 1 image missing",
        "  https://img.example.org/missing.png: HTTP 404",
        "1 image missing, in 1 of the articles and notes",
    ]
    assert (tmp_path / "site" / "p" / "2.html").is_file()
    remote = zhsite("build", "--report", cwd=tmp_path)
    assert remote.returncode == 0 and remote.stdout == ""
    assert "no image report: [images] mode is remote" in remote.stderr
