"""Readers turn a downloaded split into a DataFrame with ``text`` and ``label`` columns."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from textclf.config import DatasetConfig
from textclf.errors import DataError
from textclf.registry import Registry

READERS = Registry("dataset.format")


@READERS.register("csv")
def read_csv(path: Path, ds: DatasetConfig) -> pd.DataFrame:
    """A delimited text file (optionally gzipped) with a header row."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in (ds.text_column, ds.label_column) if c not in frame.columns]
    if missing:
        raise DataError(
            f"{path}: no column(s) {', '.join(missing)}; columns are {', '.join(frame.columns)}. "
            f"Set dataset.text_column / dataset.label_column."
        )
    return frame.rename(columns={ds.text_column: "text", ds.label_column: "label"})


_ACLIMDB_NAME = re.compile(r"^(\d+)_(\d+)\.txt$")


@READERS.register("aclimdb")
def read_aclimdb(path: Path, ds: DatasetConfig) -> pd.DataFrame:
    """The upstream aclImdb layout: ``<split>/{neg,pos}/ID_RATING.txt``, in the CSV's row order."""
    rows = []
    for label in ("neg", "pos"):
        folder = path / label
        if not folder.is_dir():
            raise DataError(f"{folder} not found: expected the aclImdb layout <split>/{{neg,pos}}/ID_RATING.txt.")
        for file in folder.iterdir():
            match = _ACLIMDB_NAME.match(file.name)
            if match:
                rows.append((int(match[1]), match[2], label, file.read_text(encoding="utf-8")))
    rows.sort(key=lambda r: (r[2], r[0]))
    return pd.DataFrame(rows, columns=["id", "rating", "label", "text"]).astype({"id": str})


def read_split(raw_dir: str | Path, ds: DatasetConfig, split: str) -> pd.DataFrame:
    """Read split ``split`` of dataset ``ds`` from the download folder."""
    path = Path(raw_dir) / ds.splits[split]
    if not path.exists():
        raise DataError(f"{path} not found: run the download stage (`dvc repro download`).")
    return READERS.get(ds.format)(path, ds)
