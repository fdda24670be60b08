"""Streaming featurize: map-reduce vocabularies and block-wise matrices equal the in-memory fit, byte for byte."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from textclf.data.parquet import ChunkWriter, Part, parts, read_part
from textclf.data.splits import folds_to_fits
from textclf.errors import ConfigError
from textclf.features import VECTORIZERS
from textclf.features.fit import featurize_fit
from textclf.features.stream import TermCounts, count_terms, featurize_fit_streaming, fit_streaming, fitted_state
from textclf.io import CsrWriter, save_matrix

WORDS = "good bad great awful fine plot acting story 好 不 很 电影".split()


def prepared(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    texts = [" ".join(rng.choice(WORDS, size=rng.integers(0, 9))) for _ in range(n)]  # some empty
    return pd.DataFrame({"text": texts, "label": rng.integers(0, 2, n), "raw_text": texts})


def write(frame: pd.DataFrame, path, rows_per_group: int) -> None:
    with ChunkWriter(path, rows_per_group) as writer:
        for start in range(0, len(frame), 33):
            writer.write(frame.iloc[start : start + 33].reset_index(drop=True))


SECTIONS = [
    {"name": "multihot", "num_words": 5, "ngram_range": [1, 1]},  # ties at the cut-off
    {"name": "count", "num_words": 20, "ngram_range": [1, 2]},
    {"name": "freq", "num_words": 7, "ngram_range": [1, 1]},
    {"name": "tfidf", "num_words": 15, "ngram_range": [1, 2], "min_df": 3, "sublinear_tf": True, "norm": "l2"},
    {"name": "tfidf", "num_words": None, "ngram_range": [1, 1], "min_df": 1, "sublinear_tf": False, "norm": None},
    {"name": "hashing", "n_features": 64, "ngram_range": [1, 2]},
    {
        "name": "count",
        "num_words": 30,
        "ngram_range": [1, 1],
        "analyzer": "char_wb",
        "char_ngram_range": [2, 3],
        "char_num_words": 30,
    },
]


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s["name"])
@pytest.mark.parametrize("with_test", [True, False])
def test_streaming_equals_in_memory_byte_for_byte(tmp_path, section, with_test):
    train, test = prepared(230, 1), prepared(70, 2)
    write(train, tmp_path / "train.parquet", 50)
    write(test, tmp_path / "test.parquet", 50)
    folds = np.array([np.arange(len(train)) % 3])  # 3 folds, plus the refit on all rows
    labels = {"train": train["label"].to_numpy(), "test": test["label"].to_numpy() if with_test else np.zeros(0, int)}
    for fold in folds_to_fits(folds, refit=True):
        memory, stream = tmp_path / "memory" / fold.name, tmp_path / "stream" / fold.name
        featurize_fit(fold, train, test if with_test else train.iloc[:0], section, memory)
        featurize_fit_streaming(
            fold,
            tmp_path / "train.parquet",
            tmp_path / "test.parquet" if with_test else None,
            labels,
            section,
            stream,
            chunk_rows=17,
        )
        names = sorted(p.name for p in memory.iterdir())
        assert names == sorted(p.name for p in stream.iterdir())
        for name in names:
            assert (stream / name).read_bytes() == (memory / name).read_bytes(), (fold.name, name)


def test_parts_cover_the_rows_in_order_within_row_groups(tmp_path):
    frame = prepared(100, 4)
    write(frame, tmp_path / "p.parquet", rows_per_group=40)  # groups of 40, 40, 20
    rows = np.array([0, 3, 39, 40, 41, 42, 79, 80, 99])
    pieces = list(parts(tmp_path / "p.parquet", rows, rows_per_part=2))
    assert [(p.group, p.take.tolist()) for p in pieces] == [
        (0, [0, 3]),
        (0, [39]),
        (1, [0, 1]),
        (1, [2, 39]),
        (2, [0, 19]),
    ]
    texts = np.concatenate([read_part(p) for p in pieces])
    assert texts.tolist() == frame["text"].to_numpy()[rows].tolist()


def test_a_worker_without_the_prepared_files_is_a_config_error(tmp_path):
    missing = Part(str(tmp_path / "elsewhere/train.parquet"), 0, np.array([0]))
    vectorizer = VECTORIZERS.build({"name": "multihot", "num_words": 5})
    with ThreadPoolExecutor(1) as executor, pytest.raises(ConfigError, match="same path"):
        fit_streaming(vectorizer, [missing], executor)


def test_counts_merge_in_any_grouping():
    vectorizer = VECTORIZERS.build({"name": "count", "num_words": 6, "ngram_range": [1, 2]})
    docs = prepared(60, 3)["text"].to_numpy()
    whole = count_terms(vectorizer, docs)
    pieces = [count_terms(vectorizer, docs[i : i + 11]) for i in range(0, 60, 11)]
    forwards, backwards = TermCounts(), TermCounts()
    for piece in pieces:
        forwards.merge(piece)
    for piece in reversed(pieces):
        backwards.merge(piece)
    assert forwards == backwards == whole
    assert fitted_state(vectorizer, forwards) == fitted_state(vectorizer, whole)


def test_empty_documents_give_the_in_memory_error():
    vectorizer = VECTORIZERS.build({"name": "multihot", "num_words": 5, "ngram_range": [1, 1]})
    with pytest.raises(ValueError, match="empty vocabulary"):
        fitted_state(vectorizer, count_terms(vectorizer, np.array(["", ""], dtype=object)))


def test_csr_writer_blocks_equal_one_save(tmp_path, monkeypatch):
    matrix = sp.random(400, 30, density=0.2, format="csr", dtype=np.float32, random_state=0)
    save_matrix(matrix, tmp_path / "whole")
    monkeypatch.setattr(CsrWriter, "BLOCK", 64)  # several copies per entry
    with CsrWriter(tmp_path / "blocks.npz") as writer:
        for start in range(0, 400, 37):
            writer.append(matrix[start : start + 37])
    assert (tmp_path / "blocks.npz").read_bytes() == (tmp_path / "whole.npz").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocks.npz", "whole.npz"]  # no block files left
