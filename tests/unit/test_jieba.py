"""jieba tokenizer: modes, stop words, user dictionary, token filters, pickling, quiet start-up."""

import pickle
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from textclf.errors import ConfigError
from textclf.text import TOKENIZERS
from textclf.text.jieba import JiebaTokenizer, load_stopwords

REVIEW = "房间很干净，服务也不错！"


def build(**kwargs) -> JiebaTokenizer:
    return TOKENIZERS.build({"name": "jieba", **kwargs})


def test_precise_mode_drops_punctuation_and_keeps_single_chars():
    assert build(stopwords=None)(REVIEW) == ["房间", "很", "干净", "服务", "也", "不错"]


def test_bundled_stop_words_are_removed():
    tokens = build(stopwords="zh")(REVIEW + "我们的房间")
    assert "也" not in tokens and "我们" not in tokens and "的" not in tokens
    assert {"房间", "干净", "不错"} <= set(tokens)


def test_user_stop_word_file_and_list_of_lists(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the repository root: user files live under external/
    (tmp_path / "external").mkdir()
    (tmp_path / "external/stop.txt").write_text("房间\n\n服务\n", encoding="utf-8")
    assert build(stopwords="external/stop.txt")(REVIEW) == ["很", "干净", "也", "不错"]
    with pytest.raises(ConfigError, match="bundled stop-word list 'zh_hit' not found in external/stopwords"):
        load_stopwords(["zh_hit"])  # bundled lists are read from the repository root, like every path


def test_bundled_lists_combine(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert "the" in load_stopwords(["zh_hit", "en"]) and "的" in load_stopwords(["zh_hit", "en"])


def test_user_dictionary_keeps_a_made_up_word_whole(tmp_path, monkeypatch):
    text = "我爱喝蓝莓酸奶冰真的"
    assert "蓝莓酸奶冰" not in build(stopwords=None)(text)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "external").mkdir()
    (tmp_path / "external/user.txt").write_text("蓝莓酸奶冰 100 n\n", encoding="utf-8")
    assert "蓝莓酸奶冰" in build(stopwords=None, user_dict="external/user.txt")(text)


@pytest.mark.parametrize("key", ["user_dict", "stopwords"])
def test_word_files_outside_external_or_the_repository_are_refused(tmp_path, monkeypatch, key):
    from textclf.text.stopwords import check_text_paths

    (tmp_path / "repo").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    with pytest.raises(ConfigError, match=rf"text\.{key}=\.\./outside\.txt is outside the repository .*dvc import-url"):
        check_text_paths({key: "../outside.txt"})
    with pytest.raises(ConfigError, match=rf"text\.{key}=words\.txt is not under external/"):
        check_text_paths({key: ["zh_hit", "words.txt"] if key == "stopwords" else "words.txt"})
    check_text_paths({"user_dict": "external/w.txt", "stopwords": ["zh_hit", "external/w.txt"]})  # names: not paths


def test_search_and_full_modes_add_sub_words():
    text = "中华人民共和国成立了"
    precise = build(stopwords=None)(text)
    assert precise == ["中华人民共和国", "成立", "了"]
    assert {"中华", "人民", "共和国", "中华人民共和国"} <= set(build(stopwords=None, mode="search")(text))
    assert {"中华人民", "人民共和国"} <= set(build(stopwords=None, mode="full")(text))


def test_filters_for_digits_single_chars_whitespace_and_case():
    text = "买了 2 台 iPhone，花了3.5万 100% 满意"
    default = build(stopwords=None)(text)
    assert "2" in default and "iphone" in default and "，" not in default
    assert "2" not in build(stopwords=None, drop_digits=True)(text)
    assert all(len(t) > 1 for t in build(stopwords=None, drop_single_chars=True)(text))
    assert "<sp>" in build(stopwords=None, drop_whitespace=False)(text)
    assert "，" in build(stopwords=None, drop_punctuation=False)(text)
    assert "iPhone" in build(stopwords=None, lower=False)(text)
    assert all(" " not in t for t in build(stopwords=None, drop_whitespace=False)(text))


def test_tokenizer_pickles_and_gives_the_same_tokens():
    tokenizer = build()
    assert pickle.loads(pickle.dumps(tokenizer))(REVIEW) == tokenizer(REVIEW)


def test_jieba_start_up_is_silent():
    code = "from textclf.text import TOKENIZERS; print(TOKENIZERS.build({'name': 'jieba'})('服务不错'))"
    result = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning:textclf", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "['服务', '不错']" and result.stderr == ""


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"mode": "fast"}, r"text\.mode must be one of precise, search, full\. Received: text\.mode='fast'"),
        ({"stopwords": "zh_hitt"}, r"text\.stopwords: no file zh_hitt\. Use one of zh_hit, zh_baidu, zh, en"),
        ({"user_dict": "nope.txt"}, r"text\.user_dict: no file nope\.txt"),
        ({"stopword": "zh"}, r"Did you mean 'stopwords'"),
    ],
)
def test_bad_settings_are_one_line_config_errors(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        build(**kwargs)
