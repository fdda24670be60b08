"""Bag-of-n-grams vectorisers producing scipy CSR matrices (never dense)."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from textclf.features.registry import VECTORIZERS


def whitespace_split(doc: str) -> list[str]:
    """Tokens are already cleaned and space-joined by prepare (jieba output too)."""
    return doc.split()


def _common(num_words: int | None, ngram_range) -> dict:
    return dict(
        tokenizer=whitespace_split,
        token_pattern=None,  # the default pattern drops 1-char tokens such as 好/不
        lowercase=False,
        max_features=num_words,
        ngram_range=tuple(ngram_range),
        dtype=np.float32,
    )


@VECTORIZERS.register("multihot")
def build_multihot(*, num_words: int | None = 10000, ngram_range: tuple[int, int] = (1, 1)) -> CountVectorizer:
    """1 where one of the ``num_words`` most frequent training tokens occurs (Keras ``mode='binary'``)."""
    return CountVectorizer(binary=True, **_common(num_words, ngram_range))


@VECTORIZERS.register("count")
def build_count(*, num_words: int | None = 10000, ngram_range: tuple[int, int] = (1, 1)) -> CountVectorizer:
    """Token counts (Keras ``mode='count'``)."""
    return CountVectorizer(**_common(num_words, ngram_range))


@VECTORIZERS.register("tfidf")
def build_tfidf(*, num_words: int | None = 10000, ngram_range: tuple[int, int] = (1, 1),
                sublinear_tf: bool = True, min_df: int = 1) -> TfidfVectorizer:
    """TF-IDF weights with idf fitted on training rows."""
    return TfidfVectorizer(sublinear_tf=sublinear_tf, min_df=min_df, **_common(num_words, ngram_range))


def vocabulary(vectorizer) -> list[str]:
    """Feature names in column order."""
    return vectorizer.get_feature_names_out().tolist()
