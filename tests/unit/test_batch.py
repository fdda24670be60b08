"""batch: process-pool tokenisation equals single-process output, in input order."""

import pytest

from textclf.text import TOKENIZERS
from textclf.text.batch import tokenize_all

TEXTS = [f"第{i}个评论：房间{'很' * (i % 3)}干净，早餐一般。Room {i} OK" for i in range(60)] + ["", "！！！"]


@pytest.mark.parametrize("name", ["jieba", "english"])
def test_two_processes_give_the_single_process_output(name):
    tokenizer = TOKENIZERS.build({"name": name})
    single = tokenize_all(TEXTS, tokenizer, n_jobs=1)
    assert tokenize_all(TEXTS, tokenizer, n_jobs=2, chunk_size=7, min_texts_per_job=1) == single
    assert len(single) == len(TEXTS) and single[-2] == ""
    assert single[5].endswith("room 5 ok") and single[5] != single[6]


def test_jieba_tokens_are_space_joined():
    assert tokenize_all(["房间很干净！！"], TOKENIZERS.build({"name": "jieba", "stopwords": None})) == ["房间 很 干净"]


def test_empty_input():
    assert tokenize_all([], TOKENIZERS.build({"name": "english"}), n_jobs=2) == []
