"""Fit a vectoriser on one fold's training rows and transform that fold's splits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from textclf.features.registry import VECTORIZERS
from textclf.features.persist import save_vectorizer
from textclf.io import load_matrix, read_json, save_matrix, write_json
from textclf.train.splits import Fold


def featurize_fold(fold: Fold, train: pd.DataFrame, test: pd.DataFrame, section: dict[str, Any], out: Path) -> None:
    """Write ``X_{train,val,test}``, ``y_*``, ``rows_*``, the vectoriser (JSON) and its vocabulary to ``out``.

    The vectoriser sees only ``fold.train`` rows, so validation tokens never leak in.
    """
    vectorizer = VECTORIZERS.build(section)
    parts = {"train": (train, fold.train), "val": (train, fold.val), "test": (test, np.arange(len(test)))}
    out.mkdir(parents=True)
    vectorizer.fit(train["text"].to_numpy()[fold.train])
    for split, (frame, rows) in parts.items():
        save_matrix(transform(vectorizer, frame["text"].to_numpy()[rows]), out / f"X_{split}")
        np.save(out / f"y_{split}.npy", frame["label"].to_numpy()[rows])
        np.save(out / f"rows_{split}.npy", rows)
    save_vectorizer(vectorizer, section, out / "vectorizer.json")  # JSON, not pickle: see features/persist.py
    write_json(vectorizer.get_feature_names_out().tolist(), out / "vocab.json")
    write_json({"n_features": input_dim(vectorizer)}, out / "meta.json")


def transform(vectorizer, texts: np.ndarray):
    """``vectorizer.transform(texts)``; an empty part (``full`` has no validation rows) gives 0 rows."""
    if len(texts):
        return vectorizer.transform(texts)
    one = vectorizer.transform(np.array(["x"], dtype=object))  # the output type and width, without data
    return one[:0]


def input_dim(vectorizer) -> int:
    """Model input size: vocabulary size for id sequences (``input_dim_``), else the column count."""
    return int(getattr(vectorizer, "input_dim_", None) or len(vectorizer.get_feature_names_out()))


def load_fold(folder: Path) -> dict[str, Any]:
    """Everything :func:`featurize_fold` wrote, keyed ``n_features``, ``X_train``, ``y_val``, ``rows_test``, ..."""
    data = {"n_features": read_json(folder / "meta.json")["n_features"]}
    for split in ("train", "val", "test"):
        data[f"X_{split}"] = load_matrix(folder / f"X_{split}")
        data[f"y_{split}"] = np.load(folder / f"y_{split}.npy")
        data[f"rows_{split}"] = np.load(folder / f"rows_{split}.npy")
    return data
