"""text=whitespace: pre-tokenised text keeps its tokens; optional lowercasing and stop words."""

import pickle

from textclf.text import TOKENIZERS


def build(**kwargs):
    return TOKENIZERS.build({"name": "whitespace", **kwargs})


def test_tokens_are_the_whitespace_separated_pieces_as_given():
    assert build()("很  好看\t， 推荐 iPhone\n") == ["很", "好看", "，", "推荐", "iPhone"]


def test_lowercase_and_stop_words():
    assert build(lower=True, stopwords="zh_hit")("很 好看 的 IPHONE") == ["很", "好看", "iphone"]  # HIT keeps 很


def test_pickles_for_worker_processes():
    tokenizer = build(stopwords="en")
    assert pickle.loads(pickle.dumps(tokenizer))("the film") == ["film"]
