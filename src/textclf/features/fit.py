"""Fit a vectoriser on one fold's training rows and transform that fold's splits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from textclf.data.splits import Fit
from textclf.errors import ConfigError
from textclf.features.persist import save_vectorizer
from textclf.features.registry import VECTORIZERS
from textclf.io import MatrixRows, load_matrix, read_json, save_matrix, write_json

NOT_INPUTS = ["label", "raw_text"]  # prepared columns no vectoriser reads


def vectorizer_inputs(frame: pd.DataFrame, section: dict[str, Any]) -> np.ndarray | pd.DataFrame:
    """What ``features`` reads from a prepared frame: the token strings, or the numeric feature columns
    (``features=tabular`` on a tabular dataset)."""
    name = section["name"]
    table = VECTORIZERS.spec(name).input == "table"
    if table and "text" in frame:
        raise ConfigError(
            f"features={name} needs a tabular dataset (dataset.feature_columns); this one has text: "
            f"choose e.g. features=multihot or features=tfidf."
        )
    if not table and "text" not in frame:
        raise ConfigError(
            f"features={name} needs text, but the dataset is tabular (numeric columns "
            f"{', '.join(c for c in frame.columns if c not in NOT_INPUTS)}): choose features=tabular."
        )
    return frame.drop(columns=NOT_INPUTS) if table else frame["text"].to_numpy()


def _take(inputs, rows: np.ndarray):
    return inputs.iloc[rows] if isinstance(inputs, pd.DataFrame) else inputs[rows]


def featurize_fit(fit: Fit, train: pd.DataFrame, test: pd.DataFrame, section: dict[str, Any], out: Path) -> None:
    """Write ``X_{train,val,test}``, ``y_*``, ``rows_*``, the vectoriser (JSON) and its vocabulary to ``out``.

    The vectoriser sees only ``fit.train`` rows, so validation tokens (or statistics) never leak in.
    """
    vectorizer = VECTORIZERS.build(section)
    inputs = {"train": vectorizer_inputs(train, section), "test": vectorizer_inputs(test, section)}
    parts = {"train": ("train", fit.train), "val": ("train", fit.val), "test": ("test", np.arange(len(test)))}
    out.mkdir(parents=True)
    vectorizer.fit(_take(inputs["train"], fit.train), train["label"].to_numpy()[fit.train])  # labels: nb_weight
    for split, (table, rows) in parts.items():
        save_matrix(transform(vectorizer, _take(inputs[table], rows)), out / f"X_{split}")
        np.save(out / f"y_{split}.npy", (train if table == "train" else test)["label"].to_numpy()[rows])
        np.save(out / f"rows_{split}.npy", rows)
    save_fitted(vectorizer, section, out)


def save_fitted(vectorizer, section: dict[str, Any], out: Path) -> None:
    """The fitted vectoriser (JSON), its vocabulary and the model's input size, in ``out``."""
    save_vectorizer(vectorizer, section, out / "vectorizer.json")  # JSON, not pickle: see features/persist.py
    write_json(vectorizer.get_feature_names_out().tolist(), out / "vocab.json")
    write_json({"n_features": input_dim(vectorizer)}, out / "meta.json")


def transform(vectorizer, texts):
    """``vectorizer.transform(texts)``; an empty part (``full`` has no validation rows) gives 0 rows."""
    if len(texts) or isinstance(texts, pd.DataFrame):  # tabular vectorisers handle 0 rows themselves
        return vectorizer.transform(texts)
    one = vectorizer.transform(np.array(["x"], dtype=object))  # the output type and width, without data
    return one[:0]


def input_dim(vectorizer) -> int:
    """Model input size: vocabulary size for id sequences (``input_dim_``), else the column count."""
    return int(getattr(vectorizer, "input_dim_", None) or len(vectorizer.get_feature_names_out()))


def load_fit(folder: Path, stream_to: Path | None = None) -> dict[str, Any]:
    """Everything :func:`featurize_fit` wrote, keyed ``n_features``, ``X_train``, ``y_val``, ``rows_test``, ...

    With ``stream_to`` (a scratch folder), the ``X_*`` are :class:`~textclf.io.MatrixRows`: read from
    disk batch by batch, never loaded whole.
    """
    data = {"n_features": read_json(folder / "meta.json")["n_features"]}
    for split in ("train", "val", "test"):
        stem = folder / f"X_{split}"
        data[f"X_{split}"] = load_matrix(stem) if stream_to is None else MatrixRows(stem, stream_to)
        data[f"y_{split}"] = np.load(folder / f"y_{split}.npy")
        data[f"rows_{split}"] = np.load(folder / f"rows_{split}.npy")
    return data
