"""Training from mini-batches of rows (``training.stream``): the order, the row sources, the ``tf.data`` pipeline.

Each epoch visits every training row once in a seeded permutation (``numpy`` generator seeded by
``[training.seed, epoch]``), ``training.batch_size`` rows at a time; a batch's rows are read in
file order. The rows come from a :class:`~textclf.io.MatrixRows` on disk (streaming: memory holds
a batch, not the matrix) or from a matrix in memory (:class:`InMemoryRows`): the same batches, so
the same model either way (tested).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import scipy.sparse as sp

from textclf.io import MatrixRows
from textclf.models.outputs import keras_input

PREDICT_BLOCK_ROWS = 8192  # rows predicted (and read) at a time when scoring from disk


class InMemoryRows:
    """A loaded matrix behind :class:`~textclf.io.MatrixRows`' interface for training (``take``, ``shape``)."""

    def __init__(self, matrix):
        self.matrix = matrix
        self.sparse = sp.issparse(matrix)
        self.shape, self.dtype = matrix.shape, matrix.dtype

    def __len__(self) -> int:
        return self.shape[0]

    def take(self, rows):
        return self.matrix[np.asarray(rows, dtype=np.int64)]


def as_rows(X):
    """``X`` if it is already a row source, else :class:`InMemoryRows` over it."""
    return X if isinstance(X, (MatrixRows, InMemoryRows)) else InMemoryRows(X)


def epoch_batches(n_rows: int, batch_size: int, seed: int, epoch: int) -> Iterator[np.ndarray]:
    """Row positions of each batch of ``epoch``: a seeded permutation cut into ``batch_size`` pieces,
    each sorted (rows are read in file order; the batch is the same set)."""
    order = np.random.default_rng([seed, epoch]).permutation(n_rows)
    for start in range(0, n_rows, batch_size):
        yield np.sort(order[start : start + batch_size])


def n_batches(n_rows: int, batch_size: int) -> int:
    return -(-n_rows // batch_size)


def predict_blocks(predict, X) -> np.ndarray:
    """``predict(X)``; a row source on disk is predicted block by block (rows in order)."""
    if isinstance(X, InMemoryRows):
        return predict(X.matrix)
    if not isinstance(X, MatrixRows):
        return predict(X)
    return np.concatenate([predict(block) for block in X.blocks(PREDICT_BLOCK_ROWS)])


def _spec(source):
    import tensorflow as tf

    if source.sparse:
        return tf.SparseTensorSpec((None, source.shape[1]), tf.float32)
    return tf.TensorSpec((None, *source.shape[1:]), tf.as_dtype(source.dtype))


def keras_dataset(source, y: np.ndarray, batch_size: int, seed: int | None, epochs: int = 1):
    """A ``tf.data.Dataset`` of ``(X, y)`` batches from ``source``: ``epochs`` shuffled epochs one after
    another (``seed`` set; fit with ``steps_per_epoch=n_batches``), or one pass in order (``seed=None``,
    validation). Batches are read from ``source`` while the previous one trains (``prefetch``)."""
    import tensorflow as tf

    n = len(source)

    def batches():
        for epoch in range(epochs if seed is not None else 1):
            if seed is None:
                rows_of_epoch = (np.arange(s, min(n, s + batch_size)) for s in range(0, n, batch_size))
            else:
                rows_of_epoch = epoch_batches(n, batch_size, seed, epoch)
            for rows in rows_of_epoch:
                X = source.take(rows)
                yield keras_input(X.astype(np.float32) if source.sparse else X), y[rows]

    signature = (_spec(source), tf.TensorSpec((None, *y.shape[1:]), tf.as_dtype(y.dtype)))
    count = n_batches(n, batch_size) * (epochs if seed is not None else 1)  # Keras then knows where an epoch ends
    dataset = tf.data.Dataset.from_generator(batches, output_signature=signature)
    return dataset.apply(tf.data.experimental.assert_cardinality(count)).prefetch(1)
