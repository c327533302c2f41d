"""zhsite.toml is validated once, with messages naming the key."""
from __future__ import annotations

import pytest

from zhsite.config import Config, load_config
from zhsite.problems import BuildError


def write(tmp_path, text):
    (tmp_path / "zhsite.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_no_file_means_defaults(tmp_path):
    assert load_config(tmp_path) == Config()
    assert Config().language == "zh-CN"


def test_keys_are_read(tmp_path):
    config = load_config(write(tmp_path, 'title = "我的存档"\nbase_url = "https://me.github.io/archive"\n'))
    assert config.title == "我的存档"
    assert config.site_url == "https://me.github.io/archive/"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('titel = "x"', "titel: error: unknown key"),
        ("title = 3", "title: error: expected a str, got int 3"),
        ('base_url = "me.github.io"', "base_url: error: must start with http:// or https://"),
        ('title = "unclosed', "error: not valid TOML"),
    ],
)
def test_mistakes_name_the_key(tmp_path, text, message):
    with pytest.raises(BuildError) as error:
        load_config(write(tmp_path, text))
    assert message in str(error.value)
