"""Padded/truncated integer id sequences for neural text models (Embedding inputs).

Ids 0 and 1 are reserved (padding and out-of-vocabulary); words follow by descending
training frequency; learned n-gram ids (the fastText trick) come after the words.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from textclf.errors import ConfigError
from textclf.features.registry import VECTORIZERS, FeatureSpec

PAD, OOV = 0, 1
PAD_TOKEN, OOV_TOKEN = "<pad>", "<oov>"
SIDES = ("pre", "post")
ANALYZERS = ("word", "char")


def _ngrams(tokens: list[str], n: int) -> list[str]:
    return [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def _ranked(counts: Counter, limit: int | None) -> list[str]:
    """Most frequent first; ties broken alphabetically so the vocabulary is deterministic."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [token for token, _ in ranked[:limit]]


class SequenceVectorizer(TransformerMixin, BaseEstimator):
    """Space-joined token strings -> ``int32`` array of shape ``(n_docs, maxlen)``.

    Args:
        num_words: keep the ``num_words`` most frequent training words (null = all).
        maxlen: output length; longer documents are truncated, shorter ones padded with 0.
        padding: ``pre`` or ``post`` — where padding zeros go (Keras ``pad_sequences``).
        truncating: ``pre`` or ``post`` — which end of a long document is cut.
        oov: map unknown words to id 1 (``True``) or drop them (``False``, Keras ``Tokenizer`` default).
        ngram_range: ``(1, n)`` with ``n > 1`` appends ids of the document's 2..n-grams seen in
            training (keras-io fastText IMDB example), after its word ids.
        num_ngrams: keep the ``num_ngrams`` most frequent training n-grams (null = all).
        min_ngram_count: drop n-grams seen fewer times than this in training.
        analyzer: ``word`` (the prepared tokens) or ``char`` (the characters of the tokens in order,
            the spaces between tokens dropped: character-level models for Chinese, where jieba's word
            boundaries can be wrong); ``num_words`` and ``ngram_range`` then count characters.
    """

    def __init__(
        self,
        num_words: int | None = None,
        maxlen: int = 100,
        padding: str = "pre",
        truncating: str = "pre",
        oov: bool = True,
        ngram_range: tuple[int, int] = (1, 1),
        num_ngrams: int | None = None,
        min_ngram_count: int = 1,
        analyzer: str = "word",
    ):
        self.num_words = num_words
        self.maxlen = maxlen
        self.padding = padding
        self.truncating = truncating
        self.oov = oov
        self.ngram_range = ngram_range
        self.num_ngrams = num_ngrams
        self.min_ngram_count = min_ngram_count
        self.analyzer = analyzer

    def _validate(self) -> None:
        for key, allowed in (("padding", SIDES), ("truncating", SIDES), ("analyzer", ANALYZERS)):
            if getattr(self, key) not in allowed:
                raise ConfigError(
                    f"features.{key} must be one of {', '.join(allowed)}. Received: features.{key}={getattr(self, key)!r}"
                )
        if not (isinstance(self.maxlen, int) and self.maxlen > 0):
            raise ConfigError(f"features.maxlen must be a positive integer. Received: features.maxlen={self.maxlen!r}")
        low, high = tuple(self.ngram_range)
        if low != 1 or high < 1:
            raise ConfigError(
                "features.ngram_range must be [1, n] for sequences (words first, then n-grams). "
                f"Received: features.ngram_range={list(self.ngram_range)}"
            )

    def fit(self, X, y=None):
        """Learn the word (and n-gram) vocabulary from training documents ``X``."""
        self._validate()
        docs = [self._tokens(doc) for doc in X]
        words = _ranked(Counter(t for doc in docs for t in doc), self.num_words)
        self.vocabulary_ = {word: i for i, word in enumerate(words, start=OOV + 1)}
        self.ngram_vocabulary_ = {}
        high = tuple(self.ngram_range)[1]
        if high > 1:
            counts = Counter(g for doc in docs for n in range(2, high + 1) for g in _ngrams(doc, n))
            if self.min_ngram_count > 1:
                counts = Counter({g: c for g, c in counts.items() if c >= self.min_ngram_count})
            start = OOV + 1 + len(self.vocabulary_)
            self.ngram_vocabulary_ = {g: i for i, g in enumerate(_ranked(counts, self.num_ngrams), start=start)}
        self.input_dim_ = OOV + 1 + len(self.vocabulary_) + len(self.ngram_vocabulary_)
        return self

    def _tokens(self, doc) -> list[str]:
        """The units of a space-joined prepared document: its tokens, or their characters."""
        tokens = str(doc).split()
        return list("".join(tokens)) if self.analyzer == "char" else tokens

    def _ids(self, tokens: list[str]) -> list[int]:
        vocab = self.vocabulary_
        if self.oov:
            ids = [vocab.get(t, OOV) for t in tokens]
        else:
            ids = [vocab[t] for t in tokens if t in vocab]
        if self.ngram_vocabulary_:
            grams = self.ngram_vocabulary_
            high = tuple(self.ngram_range)[1]
            ids += [grams[g] for n in range(2, high + 1) for g in _ngrams(tokens, n) if g in grams]
        return ids

    def transform(self, X) -> np.ndarray:
        """Return ``int32`` ids, padded/truncated to ``maxlen``."""
        check_is_fitted(self, "vocabulary_")
        out = np.full((len(X), self.maxlen), PAD, dtype=np.int32)
        for row, doc in enumerate(X):
            ids = self._ids(self._tokens(doc))
            if len(ids) > self.maxlen:
                ids = ids[-self.maxlen :] if self.truncating == "pre" else ids[: self.maxlen]
            if ids:
                if self.padding == "pre":
                    out[row, self.maxlen - len(ids) :] = ids
                else:
                    out[row, : len(ids)] = ids
        return out

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Token of each id, id 0 first (``<pad>``, ``<oov>``, words, n-grams)."""
        check_is_fitted(self, "vocabulary_")
        return np.array([PAD_TOKEN, OOV_TOKEN, *self.vocabulary_, *self.ngram_vocabulary_], dtype=object)


@VECTORIZERS.register("sequence", FeatureSpec(output="sequence"))
def build_sequence(
    *,
    num_words: int | None = 20000,
    maxlen: int = 100,
    padding: str = "pre",
    truncating: str = "pre",
    oov: bool = True,
    ngram_range: tuple[int, int] = (1, 1),
    num_ngrams: int | None = None,
    min_ngram_count: int = 1,
    analyzer: str = "word",
) -> SequenceVectorizer:
    """Id sequences for ``bilstm``, ``cnn`` and ``fasttext`` (see :class:`SequenceVectorizer`)."""
    return SequenceVectorizer(
        num_words=num_words,
        maxlen=maxlen,
        padding=padding,
        truncating=truncating,
        oov=oov,
        ngram_range=tuple(ngram_range),
        num_ngrams=num_ngrams,
        min_ngram_count=min_ngram_count,
        analyzer=analyzer,
    )
