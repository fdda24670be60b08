"""Map raw label values to class ids; the class order is fixed here, once."""

from __future__ import annotations

import pandas as pd

from textclf.config import DatasetConfig
from textclf.errors import DataError


def class_names(ds: DatasetConfig) -> list[str]:
    if len(ds.classes) < 2:
        raise DataError(f"dataset.classes must list at least two classes. Received: dataset.classes={ds.classes}")
    return list(ds.classes)


def encode_labels(raw: pd.Series, ds: DatasetConfig) -> pd.Series:
    """Return class ids (``Int64``, ``<NA>`` for values no rule maps)."""
    names = class_names(ds)
    values = raw.astype(str).str.strip()
    if ds.label_map is not None:
        values = values.map({str(k): str(v) for k, v in ds.label_map.items()})
    ids = values.map({name: i for i, name in enumerate(names)})
    return ids.astype("Int64")
