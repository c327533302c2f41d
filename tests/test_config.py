"""zhsite.toml is validated once, with messages naming the key."""
from __future__ import annotations

import dataclasses
import json

import pytest

from zhsite.config import Config, ImagesConfig, load_config
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
        ("title = 3", "title: error: wrong value: expected a str, got int 3"),
        ('base_url = "me.github.io"', "base_url: error: wrong value: must start with http:// or https://"),
        ('title = "unclosed', "error: not valid TOML"),
        ("search = 'yes'", "search: error: wrong value: expected a bool, got str 'yes'"),
        ("[images]\nper_host = 0", "images.per_host: error: wrong value: expected an int >= 1, got 0"),
        ("[images]\ntimeout = 'soon'", "images.timeout: error: wrong value: expected a positive number of seconds, got str 'soon'"),
        ("[images]\ndirs = ['pictures', 3]", "images.dirs: error: wrong value: expected a str, got int 3"),
        ("[images]\nmirrors = { 'https://a/' = 3 }", "images.mirrors: error: wrong value: expected a str, got int 3"),
        ("[images]\nmirrors = ['https://a/']", "images.mirrors: error: wrong value: expected a table of str = str"),
        ("[images]\nmode = 3", "images.mode: error: wrong value: must be one of 'remote', 'local', got 3"),
    ],
)
def test_mistakes_name_the_key(tmp_path, text, message):
    with pytest.raises(BuildError) as error:
        load_config(write(tmp_path, text))
    assert message in str(error.value)


def toml_value(value):
    """A value of Config as zhsite.toml writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple) and all(isinstance(item, tuple) for item in value):
        return "{ " + ", ".join(f"{toml_value(k)} = {toml_value(v)}" for k, v in value) + " }"
    if isinstance(value, tuple):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    return repr(value)


def test_every_key_reads_back_as_written(tmp_path):
    """Each field is read by the one reader from its type: a new key needs no code to be read and checked."""
    images = ImagesConfig(mode="local", dirs=("图片", "b"), mirrors=(("https://pic1.zhimg.com/", "http://mirror.example/pic1/"),),
                          offline=True, timeout=2.5, retries=0, concurrency=1, per_host=2)
    config = Config(title="存档", description="d", author="我", base_url="", language="en", theme="t", output_dir="out",
                    content_dir="in", cache_dir="缓存", search=False, search_comments=True, images=images)
    top = [f"{f.name} = {toml_value(getattr(config, f.name))}" for f in dataclasses.fields(Config) if f.name not in ("images", "problems")]
    table = [f"{f.name} = {toml_value(getattr(images, f.name))}" for f in dataclasses.fields(ImagesConfig)]
    assert load_config(write(tmp_path, "\n".join([*top, "[images]", *table]))) == config


def test_the_cache_folder_is_a_top_level_key_and_the_images_key_is_read_with_a_warning(tmp_path):
    assert load_config(write(tmp_path, 'cache_dir = "c"\n')) == Config(cache_dir="c")
    assert load_config(tmp_path).problems == ()
    old = load_config(write(tmp_path, '[images]\ncache_dir = "c"\n'))
    assert old == Config(cache_dir="c")
    assert [str(p) for p in old.problems] == [
        f"{tmp_path / 'zhsite.toml'}:images.cache_dir: warning: deprecated key: write cache_dir at the top of zhsite.toml (before any [table]) instead"]
    both = load_config(write(tmp_path, 'cache_dir = "new"\n[images]\ncache_dir = "old"\n'))
    assert both.cache_dir == "new"
    assert [p.message for p in both.problems] == ["deprecated key: ignored, as cache_dir is set at the top"]


def test_a_zhsite_toml_saved_as_gbk_is_read_with_a_warning_and_bytes_of_neither_stop_the_build(tmp_path):
    """Notepad on Chinese Windows saves "ANSI", GBK: the title reads as written, and the user is told to save it as UTF-8."""
    (tmp_path / "zhsite.toml").write_bytes('title = "我的知乎存档"\n'.encode("gbk"))
    config = load_config(tmp_path)
    assert config.title == "我的知乎存档"
    assert [str(p) for p in config.problems] == [f"{tmp_path / 'zhsite.toml'}: warning: not UTF-8: read as GB18030 (GBK); save it as UTF-8, as TOML asks"]
    (tmp_path / "zhsite.toml").write_bytes(b'title = "\x80\xff"\n')
    with pytest.raises(BuildError) as error:
        load_config(tmp_path)
    assert str(error.value).endswith("zhsite.toml: error: not valid TOML: neither UTF-8 nor GB18030 (byte 9)")
