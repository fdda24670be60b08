"""Bag-of-n-grams vectorisers producing scipy CSR matrices (never dense).

``num_words`` keeps the most frequent training terms in one total order: frequency (document
frequency for multi-hot, summed weight otherwise, as scikit-learn counts it), then the term itself.
scikit-learn's own ``max_features`` cut uses NumPy's unstable ``argsort``, so terms tied at the
cut-off were kept or dropped depending on the CPU's SIMD sort path (a different vocabulary on
another machine); :class:`PortableTopK` replaces that step.

``analyzer`` picks the terms: word n-grams of the prepared tokens, character n-grams (``char``
across the space-joined tokens, ``char_wb`` inside each token), or both side by side
(``word+char``, ``word+char_wb``: a scikit-learn ``FeatureUnion``, columns ``word__*`` then
``char__*``). Character n-grams help Chinese, where they recover words jieba split wrongly.

``nb_weight`` (binary classification) multiplies each column by its naive-Bayes log-count ratio,
learned from the training rows' labels (:class:`NBWeighted`): the features of NBSVM (Wang & Manning
2012), for any model -- logistic regression on them is NB-LR, an MLP on them an "NB-MLP".
"""

from __future__ import annotations

from functools import partial

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted

from textclf.errors import ConfigError
from textclf.features.registry import VECTORIZERS

ANALYZERS = ("word", "char", "char_wb", "word+char", "word+char_wb")


def top_k_columns(totals: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the ``limit`` largest ``totals``, in position order; ties go to the earlier position.

    With columns in term order this is the documented total order (frequency desc, then token asc):
    a stable sort, so no CPU's SIMD sort path can pick a different set.
    """
    return np.sort(np.argsort(-totals, kind="stable")[:limit])


class PortableTopK:
    """Mixin for scikit-learn's ``CountVectorizer`` family: ``max_features`` ties broken by term."""

    def _limit_features(self, X, vocabulary, high=None, low=None, limit=None):
        # min_df/max_df first (scikit-learn's masks, order-free), then our top-``limit`` cut.
        X = super()._limit_features(X, vocabulary, high, low, None)
        if limit is None or X.shape[1] <= limit:
            return X
        # Columns are in term order here (scikit-learn sorts them before this step).
        keep = top_k_columns(np.asarray(X.sum(axis=0, dtype=np.float64)).ravel(), limit)  # exact for counts
        new_index = np.full(X.shape[1], -1)
        new_index[keep] = np.arange(len(keep))
        for term, old in list(vocabulary.items()):
            if new_index[old] < 0:
                del vocabulary[term]
            else:
                vocabulary[term] = int(new_index[old])
        return X[:, keep]


class TopKCountVectorizer(PortableTopK, CountVectorizer):
    """``CountVectorizer`` whose ``max_features`` cut is the same on every CPU."""


class TopKTfidfVectorizer(PortableTopK, TfidfVectorizer):
    """``TfidfVectorizer`` whose ``max_features`` cut and weights are the same on every CPU.

    Built with ``dtype=float64``: NumPy's float32 ``log`` takes a different SIMD kernel on CPUs
    without AVX2 and differs in the last bit, while the float64 results agree; the matrices are
    returned as float32, rounded once from those float64 values.
    """

    def fit_transform(self, raw_documents, y=None):
        return super().fit_transform(raw_documents, y).astype(np.float32)

    def transform(self, raw_documents):
        return super().transform(raw_documents).astype(np.float32)


def whitespace_split(doc: str) -> list[str]:
    """Tokens are already cleaned and space-joined by prepare (jieba output too)."""
    return doc.split()


def _common(num_words: int | None, ngram_range, dtype=np.float32) -> dict:
    return dict(
        tokenizer=whitespace_split,
        token_pattern=None,  # the default pattern drops 1-char tokens such as 好/不
        lowercase=False,
        max_features=num_words,
        ngram_range=tuple(ngram_range),
        dtype=dtype,
    )


def _chars(analyzer: str, num_words: int | None, ngram_range, dtype) -> dict:
    return dict(analyzer=analyzer, lowercase=False, max_features=num_words, ngram_range=tuple(ngram_range), dtype=dtype)


def _bag(make, dtype, num_words, ngram_range, analyzer: str, char_num_words, char_ngram_range):
    """``make(**vectoriser kwargs)`` for the words, the characters or both (see the module docstring)."""
    if analyzer not in ANALYZERS:
        raise ConfigError(
            f"features.analyzer must be one of {', '.join(ANALYZERS)}. Received: features.analyzer={analyzer!r}"
        )
    if analyzer == "word":
        return make(**_common(num_words, ngram_range, dtype))
    chars = make(**_chars(analyzer.split("+")[-1], char_num_words, char_ngram_range, dtype))
    if "+" not in analyzer:
        return chars
    return FeatureUnion([("word", make(**_common(num_words, ngram_range, dtype))), ("char", chars)])


class NBWeighted(TransformerMixin, BaseEstimator):
    """``vectorizer``'s columns, each multiplied by its naive-Bayes log-count ratio (binary labels).

    With ``m_c`` the smoothed mean of a column over the training rows of class ``c``,
    ``(alpha + sum of the column over those rows) / (alpha + their number)``, the weight is
    ``r = log(m_1 / m_0)``: large for terms typical of class 1, negative for class 0, near 0 for
    terms both use (on binary features, the log ratio of document frequencies as in Howard's NB-LR;
    Wang & Manning normalise by the summed counts instead). The weights are learned in ``fit`` from
    ``y`` (label ids 0 and 1), on the training rows only like the vocabulary.

    Args:
        vectorizer: an unfitted bag-of-n-grams vectoriser (or a word + character union).
        alpha: additive smoothing of the class means.
    """

    def __init__(self, vectorizer, alpha: float = 1.0):
        self.vectorizer = vectorizer
        self.alpha = alpha

    def fit(self, X, y=None):
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None):
        counts = sp.csr_matrix(self.vectorizer.fit_transform(X), dtype=np.float64)
        self.ratio_ = log_count_ratio(counts, _binary_labels(y, counts.shape[0]), self.alpha)
        return self._scale(counts)

    def transform(self, X):
        check_is_fitted(self, "ratio_")
        return self._scale(sp.csr_matrix(self.vectorizer.transform(X), dtype=np.float64))

    def _scale(self, X: sp.csr_matrix) -> sp.csr_matrix:
        # float64 product, rounded once to float32 (the same bits on every CPU, as TopKTfidfVectorizer)
        return (X @ sp.diags(self.ratio_)).tocsr().astype(np.float32)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return self.vectorizer.get_feature_names_out()


def _binary_labels(y, n_rows: int) -> np.ndarray:
    classes = np.unique(y) if y is not None else np.array([])
    if y is None or len(y) != n_rows or not np.array_equal(classes, [0, 1]):
        got = "no labels" if y is None else f"label ids {classes.tolist()[:10]}"
        raise ConfigError(
            f"features.nb_weight=true needs a binary classification (label ids 0 and 1 in the training rows); "
            f"got {got}. Set features.nb_weight=false."
        )
    return np.asarray(y)


def log_count_ratio(X: sp.csr_matrix, y: np.ndarray, alpha: float) -> np.ndarray:
    """``log(m_1 / m_0)`` per column, ``m_c = (alpha + column sum over class c) / (alpha + rows of c)``."""
    means = [(alpha + np.asarray(X[y == c].sum(axis=0)).ravel()) / (alpha + np.sum(y == c)) for c in (0, 1)]
    return np.log(means[1] / means[0])


def _weighted(vectorizer, nb_weight: bool):
    return NBWeighted(vectorizer) if nb_weight else vectorizer


@VECTORIZERS.register("multihot")
def build_multihot(
    *,
    num_words: int | None = 10000,
    ngram_range: tuple[int, int] = (1, 1),
    analyzer: str = "word",
    char_ngram_range: tuple[int, int] = (1, 3),
    char_num_words: int | None = None,
    nb_weight: bool = False,
):
    """1 where one of the ``num_words`` most frequent training tokens occurs (Keras ``mode='binary'``).

    Character n-grams: ``analyzer``, ``char_ngram_range``, ``char_num_words``; ``nb_weight``: NB-scaled
    columns (binary classification). Both in the module docstring.
    """
    make = partial(TopKCountVectorizer, binary=True)
    bag = _bag(make, np.float32, num_words, ngram_range, analyzer, char_num_words, char_ngram_range)
    return _weighted(bag, nb_weight)


@VECTORIZERS.register("count")
def build_count(
    *,
    num_words: int | None = 10000,
    ngram_range: tuple[int, int] = (1, 1),
    analyzer: str = "word",
    char_ngram_range: tuple[int, int] = (1, 3),
    char_num_words: int | None = None,
    nb_weight: bool = False,
):
    """Token counts (Keras ``mode='count'``).

    Character n-grams: ``analyzer``, ``char_ngram_range``, ``char_num_words``; ``nb_weight``: NB-scaled
    columns (binary classification). Both in the module docstring.
    """
    bag = _bag(TopKCountVectorizer, np.float32, num_words, ngram_range, analyzer, char_num_words, char_ngram_range)
    return _weighted(bag, nb_weight)


@VECTORIZERS.register("freq")
def build_freq(
    *,
    num_words: int | None = 10000,
    ngram_range: tuple[int, int] = (1, 1),
    analyzer: str = "word",
    char_ngram_range: tuple[int, int] = (1, 3),
    char_num_words: int | None = None,
    nb_weight: bool = False,
):
    """Count / number of kept tokens in the document (Keras ``mode='freq'``).

    Character n-grams: ``analyzer``, ``char_ngram_range``, ``char_num_words``; ``nb_weight``: NB-scaled
    columns (binary classification). Both in the module docstring.
    """
    make = partial(TopKTfidfVectorizer, use_idf=False, norm="l1")
    return _weighted(
        _bag(make, np.float64, num_words, ngram_range, analyzer, char_num_words, char_ngram_range), nb_weight
    )


@VECTORIZERS.register("tfidf")
def build_tfidf(
    *,
    num_words: int | None = 10000,
    ngram_range: tuple[int, int] = (1, 1),
    sublinear_tf: bool = True,
    min_df: int = 1,
    norm: str | None = "l2",
    analyzer: str = "word",
    char_ngram_range: tuple[int, int] = (1, 3),
    char_num_words: int | None = None,
    nb_weight: bool = False,
):
    """TF-IDF weights with idf fitted on training rows.

    With ``sublinear_tf`` the term weight is ``1 + log(count)`` as in Keras ``mode='tfidf'``; the idf
    is scikit-learn's smoothed ``ln((1 + n) / (1 + df)) + 1`` (Keras: ``ln(1 + n / (1 + df))``) and rows
    are ``norm``-normalised (Keras: not normalised, ``norm: null``). With ``word+char`` each part is
    normalised on its own. Character n-grams: ``analyzer``, ``char_ngram_range``,
    ``char_num_words``; ``nb_weight``: NB-scaled columns (binary classification). Both in the module docstring.
    """
    make = partial(TopKTfidfVectorizer, sublinear_tf=sublinear_tf, min_df=min_df, norm=norm)
    return _weighted(
        _bag(make, np.float64, num_words, ngram_range, analyzer, char_num_words, char_ngram_range), nb_weight
    )


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
def build_hashing(
    *, n_features: int = 2**14, ngram_range: tuple[int, int] = (1, 1), binary: bool = True
) -> HashedNgrams:
    """Hashed n-gram presence (``binary``) or counts in ``n_features`` columns."""
    return HashedNgrams(
        n_features=n_features,
        binary=binary,
        norm=None,
        alternate_sign=False,
        tokenizer=whitespace_split,
        token_pattern=None,
        lowercase=False,
        ngram_range=tuple(ngram_range),
        dtype=np.float32,
    )
