"""Map raw label values to class ids (or float targets); the class order is fixed here, once.

A label rule turns each raw value into a class id or a reason the row is dropped:

- no rule: the value must be one of ``dataset.classes``;
- ``label_map``: value -> class name (e.g. ``{"1": positive, "0": negative}``);
- ``label_ranges``: class name -> inclusive ``[low, high]`` on a numeric value
  (the Douban rule: ``{negative: [1, 2], positive: [4, 5]}`` drops ratings 3 and 0).

For ``task: regression`` the value is parsed as a float target and there are no classes.
"""

from __future__ import annotations

import itertools

import pandas as pd

from textclf.config import DatasetConfig
from textclf.errors import ConfigError

# Reasons a row's label drops it, in the order they are checked (after empty text).
MISSING = "missing_label"
NON_NUMERIC = "non_numeric_label"
UNMAPPED = "unmapped_label"
LABEL_REASONS = (MISSING, NON_NUMERIC, UNMAPPED)


def class_names(ds: DatasetConfig) -> list[str]:
    """The classes in id order (``[]`` for regression)."""
    if ds.task == "regression":
        if ds.classes or ds.label_map or ds.label_ranges:
            raise ConfigError(
                f"dataset '{ds.name}' has task: regression, which takes the label column as a number: "
                f"remove dataset.classes / label_map / label_ranges."
            )
        return []
    if len(ds.classes) < 2 or len(set(ds.classes)) != len(ds.classes):
        raise ConfigError(
            f"dataset.classes must list at least two distinct classes. Received: dataset.classes={ds.classes}"
        )
    return list(ds.classes)


def _check_rule(ds: DatasetConfig, names: list[str]) -> None:
    if ds.label_map is not None and ds.label_ranges is not None:
        raise ConfigError(f"dataset '{ds.name}' sets both label_map and label_ranges: keep one label rule.")
    targets = list((ds.label_map or {}).values()) + list(ds.label_ranges or {})
    unknown = sorted({str(t) for t in targets} - set(names))
    if unknown:
        raise ConfigError(
            f"dataset '{ds.name}': label rule names class(es) {', '.join(unknown)} not in "
            f"dataset.classes={names}. Add them to classes or fix the rule."
        )
    spans = []
    for name, bounds in (ds.label_ranges or {}).items():
        if (
            not isinstance(bounds, (list, tuple))
            or len(bounds) != 2
            or not all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in bounds)
            or bounds[0] > bounds[1]
        ):
            raise ConfigError(f"dataset.label_ranges.{name} must be [low, high] with low <= high. Received: {bounds}")
        spans.append((float(bounds[0]), float(bounds[1]), name))
    spans.sort()
    for (_, high, a), (low, _, b) in itertools.pairwise(spans):
        if low <= high:
            raise ConfigError(f"dataset.label_ranges: the ranges of {a} and {b} overlap. Make them disjoint.")


def encode_labels(raw: pd.Series, ds: DatasetConfig) -> tuple[pd.Series, pd.Series]:
    """Apply the dataset's label rule.

    Returns:
        ``(labels, reasons)``: labels are class ids (``Int64``) or, for regression,
        floats (``Float64``), ``<NA>`` where the row is dropped; ``reasons`` holds one of
        :data:`LABEL_REASONS` for dropped rows and ``<NA>`` otherwise.
    """
    values = raw.astype("string").str.strip()
    missing = values.isna() | (values == "")
    numeric = pd.to_numeric(values.where(~missing), errors="coerce").astype("Float64")
    reasons = pd.Series(pd.NA, index=raw.index, dtype="string")
    reasons[missing] = MISSING
    names = class_names(ds)
    if ds.task == "regression":
        reasons[~missing & numeric.isna()] = NON_NUMERIC
        return numeric.where(reasons.isna()), reasons
    _check_rule(ds, names)
    ids = {name: i for i, name in enumerate(names)}
    if ds.label_ranges is not None:
        labels = pd.Series(pd.NA, index=raw.index, dtype="Int64")
        for name, (low, high) in ds.label_ranges.items():
            labels[((numeric >= low) & (numeric <= high)).fillna(False).astype(bool)] = ids[name]
        reasons[~missing & numeric.isna()] = NON_NUMERIC
    else:
        mapped = values
        if ds.label_map is not None:
            mapped = values.map({str(k).strip(): str(v) for k, v in ds.label_map.items()})
        labels = mapped.map(ids).astype("Int64")
    reasons[labels.isna() & reasons.isna()] = UNMAPPED
    return labels.where(reasons.isna()), reasons
