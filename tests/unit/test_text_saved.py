"""Tokenisers saved with the files they use (textclf.text.saved) split text exactly as before."""

import json

import pytest

from textclf.errors import DataError
from textclf.text import TOKENIZERS
from textclf.text.saved import load_tokenizer, save_tokenizer

ZH = ["这家酒店服务很好，房间干净", "房间又小又脏，服务态度很差", "  前台小姐姐很热情！ 下次还来  "]


def round_trip(section, folder):
    tokenizer = TOKENIZERS.build(section)
    written = save_tokenizer(section, tokenizer, folder)
    return tokenizer, load_tokenizer(folder), written


def test_english_settings_round_trip(tmp_path):
    section = {"name": "english", "lower": False, "strip_html": True, "filters": "!?"}
    original, loaded, written = round_trip(section, tmp_path)
    assert written == ["text.json"] and loaded == original
    assert loaded("Great<br />film!") == ["Great", "film"]


def test_jieba_stop_words_and_user_dictionary_travel_with_the_settings(tmp_path):
    user_dict = tmp_path / "mine.txt"
    user_dict.write_text("小姐姐 100 n\n", encoding="utf-8")
    section = {
        "name": "jieba",
        "mode": "search",
        "stopwords": ["zh_hit", "en"],
        "user_dict": str(user_dict),
        "drop_whitespace": False,
    }
    original, loaded, written = round_trip(section, tmp_path / "saved")
    assert written == ["stopwords.txt", "text.json", "user_dict.txt"]
    settings = json.loads((tmp_path / "saved/text.json").read_text(encoding="utf-8"))
    assert settings["stopwords"] == "stopwords.txt" and settings["user_dict"] == "user_dict.txt"
    words = (tmp_path / "saved/stopwords.txt").read_text(encoding="utf-8").splitlines()
    assert words == sorted(original.stopwords) and set(words) == original.stopwords
    expected = [original(text) for text in ZH]
    user_dict.unlink()  # the saved copy is what the loaded tokeniser reads
    assert loaded.stopwords == original.stopwords and loaded.mode == "search"
    assert [loaded(text) for text in ZH] == expected
    assert "小姐姐" in expected[2]


def test_settings_may_only_name_the_saved_copies(tmp_path):
    round_trip({"name": "jieba", "stopwords": "zh_hit"}, tmp_path)
    settings = json.loads((tmp_path / "text.json").read_text(encoding="utf-8"))
    (tmp_path / "text.json").write_text(json.dumps({**settings, "stopwords": "../../etc/passwd"}), encoding="utf-8")
    with pytest.raises(DataError, match="stopwords must be 'stopwords.txt' or null"):
        load_tokenizer(tmp_path)
