"""Bag-of-n-grams vectorisers producing scipy CSR matrices (never dense)."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer, TfidfVectorizer

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


@VECTORIZERS.register("freq")
def build_freq(*, num_words: int | None = 10000, ngram_range: tuple[int, int] = (1, 1)) -> TfidfVectorizer:
    """Count / number of kept tokens in the document (Keras ``mode='freq'``)."""
    return TfidfVectorizer(use_idf=False, norm="l1", **_common(num_words, ngram_range))


@VECTORIZERS.register("tfidf")
def build_tfidf(*, num_words: int | None = 10000, ngram_range: tuple[int, int] = (1, 1),
                sublinear_tf: bool = True, min_df: int = 1, norm: str | None = "l2") -> TfidfVectorizer:
    """TF-IDF weights with idf fitted on training rows.

    With ``sublinear_tf`` the term weight is ``1 + log(count)`` as in Keras ``mode='tfidf'``; the idf
    is scikit-learn's smoothed ``ln((1 + n) / (1 + df)) + 1`` (Keras: ``ln(1 + n / (1 + df))``) and rows
    are ``norm``-normalised (Keras: not normalised, ``norm: null``).
    """
    return TfidfVectorizer(sublinear_tf=sublinear_tf, min_df=min_df, norm=norm, **_common(num_words, ngram_range))


class HashedNgrams(HashingVectorizer):
    """``HashingVectorizer`` that names its columns, so it fits the featurize contract.

    Stateless: no vocabulary is stored, tokens are hashed into ``n_features`` buckets
    (the Keras ``one_hot``/``hashing_trick`` idea; different tokens may share a bucket).
    """

    def fit(self, X, y=None):
        super().fit(X, y)
        self.input_dim_ = self.n_features
        return self

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.array([f"hash_{i}" for i in range(self.n_features)], dtype=object)


@VECTORIZERS.register("hashing")
def build_hashing(*, n_features: int = 2**14, ngram_range: tuple[int, int] = (1, 1),
                  binary: bool = True) -> HashedNgrams:
    """Hashed n-gram presence (``binary``) or counts in ``n_features`` columns."""
    return HashedNgrams(
        n_features=n_features, binary=binary, norm=None, alternate_sign=False, tokenizer=whitespace_split,
        token_pattern=None, lowercase=False, ngram_range=tuple(ngram_range), dtype=np.float32,
    )


def vocabulary(vectorizer) -> list[str]:
    """Feature names in column order."""
    return vectorizer.get_feature_names_out().tolist()
