"""Featurize one fit chunk by chunk: count the vocabulary as a map-reduce, write matrices block by block.

For the bag-of-n-grams vectorisers (``multihot``, ``count``, ``freq``, ``tfidf``: scikit-learn's
``CountVectorizer`` family with :class:`~textclf.features.sparse.PortableTopK`) and ``hashing``:

- *map*: each part of the training rows (:class:`~textclf.data.parquet.Part`: a row group's
  positions, read by whoever runs the task) gives its term counts (:func:`count_terms`: summed
  count and document frequency per term);
- *reduce*: counts add up (:meth:`TermCounts.merge`, in any grouping), then :func:`fitted_state`
  applies ``min_df``/``max_df`` and keeps the ``num_words`` most frequent terms in the portable
  order (frequency desc, term asc) -- the vocabulary and idf the in-memory ``fit`` finds;
- each chunk is transformed and appended to the ``.npz`` (:class:`textclf.io.CsrWriter`), so the
  files are byte-identical to :func:`textclf.features.fit.featurize_fit`'s.

Memory holds one chunk of text, the term counts and the row pointers, not the corpus. The other
vectorisers (``sequence``, ``tabular``) are fitted in memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import partial
from numbers import Integral
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer, TfidfVectorizer

from textclf.data.parquet import Part, parts, read_part
from textclf.data.splits import Fit
from textclf.errors import ConfigError
from textclf.features.fit import save_fitted, transform, vectorizer_inputs
from textclf.features.persist import restore_state
from textclf.features.registry import VECTORIZERS
from textclf.features.sparse import top_k_columns
from textclf.io import CsrWriter
from textclf.runtime import ordered_map

IN_FLIGHT = 4  # chunks sent to an engine ahead of the one being merged or written


def streamable(vectorizer) -> bool:
    """Whether :func:`featurize_fit_streaming` can fit ``vectorizer`` (else fit it in memory)."""
    return isinstance(vectorizer, (CountVectorizer, HashingVectorizer))


@dataclass
class TermCounts:
    """Per term: summed count (``total``) and number of documents containing it (``df``)."""

    docs: int = 0
    total: Counter = field(default_factory=Counter)
    df: Counter = field(default_factory=Counter)

    def merge(self, other: TermCounts) -> TermCounts:
        self.docs += other.docs
        self.total.update(other.total)
        self.df.update(other.df)
        return self


def count_terms(vectorizer: CountVectorizer, docs: np.ndarray) -> TermCounts:
    """The map step: term counts of ``docs`` with ``vectorizer``'s analyser (n-grams included)."""
    counts = TermCounts(docs=len(docs))
    if not len(docs):
        return counts
    counter = CountVectorizer(analyzer=vectorizer.build_analyzer(), dtype=np.int64)
    try:
        X = counter.fit_transform(docs)
    except ValueError:  # no term in these documents
        return counts
    terms = counter.get_feature_names_out().tolist()
    df = np.bincount(X.indices, minlength=len(terms))
    total = df if vectorizer.binary else np.asarray(X.sum(axis=0)).ravel()
    counts.df.update(dict(zip(terms, df.tolist(), strict=False)))
    counts.total.update(dict(zip(terms, total.tolist(), strict=False)))
    return counts


def fitted_state(vectorizer: CountVectorizer, counts: TermCounts) -> dict[str, Any]:
    """The reduce step: the vocabulary (and idf) ``vectorizer.fit`` finds on the counted documents.

    Follows scikit-learn's ``CountVectorizer.fit`` (``min_df``/``max_df`` as counts or fractions,
    its errors) with :class:`~textclf.features.sparse.PortableTopK`'s ``max_features`` cut, and
    ``TfidfTransformer.fit``'s smoothed idf in float64.
    """
    if not counts.df:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    terms = sorted(counts.df)  # scikit-learn's column order before the cut
    df = np.array([counts.df[t] for t in terms], dtype=np.int64)
    total = np.array([counts.total[t] for t in terms], dtype=np.float64)
    n = counts.docs
    high = vectorizer.max_df if isinstance(vectorizer.max_df, Integral) else vectorizer.max_df * n
    low = vectorizer.min_df if isinstance(vectorizer.min_df, Integral) else vectorizer.min_df * n
    if high < low:
        raise ValueError("max_df corresponds to < documents than min_df")
    keep = np.flatnonzero((df <= high) & (df >= low))
    limit = vectorizer.max_features
    if limit is not None and len(keep) > limit:
        keep = keep[top_k_columns(total[keep], limit)]  # the in-memory path's cut (PortableTopK)
    if not len(keep):
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    state: dict[str, Any] = {"vocabulary": [terms[i] for i in keep]}
    if isinstance(vectorizer, TfidfVectorizer) and vectorizer.use_idf:
        smooth = vectorizer.smooth_idf
        kept_df = df[keep].astype(np.float64) + float(smooth)
        idf = np.full_like(kept_df, fill_value=n + int(smooth), dtype=np.float64)
        idf /= kept_df
        np.log(idf, out=idf)
        idf += 1.0
        state.update(idf=idf.tolist(), idf_dtype="float64")
    return state


def _count_part(vectorizer: CountVectorizer, part: Part) -> TermCounts:
    return count_terms(vectorizer, read_part(part))


def _transform_part(vectorizer, part: Part):
    return transform(vectorizer, read_part(part))


def _map(executor: Executor | None, fn, items: Iterable) -> Iterator:
    """``map`` here, or on the engine with a few chunks in flight (results in order either way)."""
    if executor is None:
        yield from map(fn, items)
        return
    try:
        yield from ordered_map(executor, fn, items, window=IN_FLIGHT)
    except FileNotFoundError as exc:  # a worker on another machine reads the parts by path
        raise ConfigError(
            f"a Dask worker cannot read {exc.filename}: workers read the prepared files themselves, so they "
            f"need the repository at the same path (a shared filesystem; docs/scale.md, 'On several machines')."
        ) from None


def fit_streaming(vectorizer, chunks: Iterable[Part], executor: Executor | None = None):
    """Fit ``vectorizer`` (:func:`streamable`) on the documents of the parts ``chunks``; return it."""
    if isinstance(vectorizer, HashingVectorizer):
        return vectorizer.fit(np.array([], dtype=object))  # stateless
    counts = TermCounts()
    for chunk_counts in _map(executor, partial(_count_part, vectorizer), chunks):
        counts.merge(chunk_counts)
    return restore_state(vectorizer, fitted_state(vectorizer, counts))


def featurize_fit_streaming(
    fold: Fit,
    train_file: Path,
    test_file: Path | None,
    labels: dict[str, np.ndarray],
    section: dict[str, Any],
    out: Path,
    chunk_rows: int,
    executor: Executor | None = None,
) -> None:
    """:func:`textclf.features.fit.featurize_fit` with the text read in parts of at most ``chunk_rows``
    rows (each within one row group of the prepared file).

    Args:
        labels: ``{"train": y, "test": y}`` of the prepared files (small: one number per row).
        executor: an engine (:func:`textclf.runtime.engine`) for the per-part reading, counting and
            transforms: a task carries the file's path and row positions, and the worker reads the text
            itself (so workers must see the prepared files' path); ``None``: this process.
    """
    vectorizer_inputs(pd.DataFrame(columns=pq.read_schema(train_file).names), section)  # text, not a table
    vectorizer = VECTORIZERS.build(section)
    out.mkdir(parents=True)
    fit_streaming(vectorizer, parts(train_file, fold.train, chunk_rows), executor)
    n_test = len(labels["test"])
    splits = {"train": (train_file, fold.train), "val": (train_file, fold.val), "test": (test_file, np.arange(n_test))}
    for split, (path, rows) in splits.items():
        with CsrWriter(out / f"X_{split}.npz") as writer:
            chunks = parts(path, rows, chunk_rows) if len(rows) else ()
            for block in _map(executor, partial(_transform_part, vectorizer), chunks):
                writer.append(block)
            if not len(rows):
                writer.append(transform(vectorizer, np.array([], dtype=object)))
        np.save(out / f"y_{split}.npy", labels["train" if path == train_file else "test"][rows])
        np.save(out / f"rows_{split}.npy", rows)
    save_fitted(vectorizer, section, out)
