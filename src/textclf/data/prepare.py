"""Turn raw rows into (tokens, label) rows, count every row dropped by reason, hold out a test split.

Tabular datasets (``dataset.feature_columns``) keep their numeric columns instead of tokens; values
listed in ``dataset.na_values`` become missing (imputed later, on training rows only, by
``features=tabular``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from textclf.config import DatasetConfig
from textclf.data.duplicates import drop_duplicates, duplicate_report
from textclf.data.labels import LABEL_REASONS, class_names, encode_labels
from textclf.errors import ConfigError, DataError
from textclf.text.batch import tokenize_all

log = logging.getLogger(__name__)
EMPTY_TEXT = "empty_text"
MISSING_VALUE = "(missing)"  # how an empty raw label is shown in the drop counts
MAX_LABEL_VALUES = 30  # raw label values listed per drop reason; the rest are summed


def _by_value(raw: pd.Series) -> dict[str, int]:
    """Counts of raw label values, most frequent first (ties by value), at most ``MAX_LABEL_VALUES``."""
    values = raw.astype("string").str.strip().fillna(MISSING_VALUE).replace("", MISSING_VALUE)
    counts = sorted(values.value_counts().items(), key=lambda item: (-item[1], item[0]))
    shown = {str(value): int(n) for value, n in counts[:MAX_LABEL_VALUES]}
    if len(counts) > MAX_LABEL_VALUES:
        shown[f"(other {len(counts) - MAX_LABEL_VALUES} values)"] = int(sum(n for _, n in counts[MAX_LABEL_VALUES:]))
    return shown


def numeric_features(raw: pd.DataFrame, ds: DatasetConfig, source: str) -> pd.DataFrame:
    """The feature columns as float64, with ``na_values`` made missing.

    Raises:
        DataError: a cell that is not a number (naming the source, data row and column).
    """
    out = {}
    for column in ds.feature_columns:
        text = raw[column].astype("string").str.strip()
        values = pd.to_numeric(text, errors="coerce")
        bad = values.isna() & text.notna() & (text != "")
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"{source}: data row {row + 1}, column {column}: {text.iloc[row]!r} is not a number. "
                            f"Fix the value, or leave the cell empty (missing values are imputed on training rows).")
        values = values.astype("float64")
        na = (ds.na_values or {}).get(column)
        if na:
            values = values.mask(values.isin([float(v) for v in na]))
        out[column] = values.to_numpy()
    return pd.DataFrame(out)


def describe_rows(features: pd.DataFrame) -> list[str]:
    """``"glucose=148 mass=33.6 ..."`` per row: the tabular rows' ``raw_text`` (for errors.csv)."""
    cells = [features[c].map(lambda v, c=c: f"{c}={'NA' if pd.isna(v) else f'{v:g}'}") for c in features.columns]
    return [" ".join(parts) for parts in zip(*cells, strict=True)] if cells else [""] * len(features)


def label_and_filter(raw: pd.DataFrame, ds: DatasetConfig, source: str = "train") -> tuple[pd.DataFrame, dict]:
    """Drop rows with empty text or a label no rule maps; return ``raw_text``/``label`` rows and counts.

    Empty text is checked first, so a row with both problems counts once, as ``empty_text``.
    ``dropped_labels`` counts the dropped rows of each reason by their raw label value, so a user can
    check that e.g. the Douban rule dropped the rows rated 3 and 0.
    """
    labels, reasons = encode_labels(raw["label"], ds)
    if ds.tabular:
        features = numeric_features(raw, ds, source)
        text = pd.Series(describe_rows(features), index=raw.index, dtype="string")
    else:
        text = raw["text"].astype("string")
        reasons = reasons.mask((text.isna() | (text.str.strip() == "")).fillna(True).astype(bool), EMPTY_TEXT)
    keep = reasons.isna().to_numpy()
    dtype = "float64" if ds.task == "regression" else "int64"
    frame = pd.DataFrame({
        "raw_text": text[keep].str.strip().to_numpy(dtype=object),
        "label": labels[keep].to_numpy(dtype=dtype),
    })
    dropped = {reason: int((reasons == reason).sum()) for reason in (EMPTY_TEXT, *LABEL_REASONS)}
    by_label = {reason: _by_value(raw["label"][(reasons == reason).fillna(False).to_numpy()])
                for reason, n in dropped.items() if n}
    report = {"rows_read": int(len(raw)), "rows_kept": int(len(frame)), "dropped": dropped, "dropped_labels": by_label}
    if ds.tabular:
        frame = pd.concat([features[keep].reset_index(drop=True), frame], axis=1)
        report["missing_values"] = {c: int(frame[c].isna().sum()) for c in ds.feature_columns}  # of kept rows
    return frame, report


def hold_out_test(frame: pd.DataFrame, ds: DatasetConfig, source: str = "train") -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Split ``frame`` into train/test: ``ds.test_size`` of rows, stratified by class, seeded.

    ``test_size`` 0 or null: every row is a training row and the test split is empty.
    """
    if not ds.test_size:
        info = {"from": "train", "test_size": ds.test_size, "rows": {"train": len(frame), "test": 0}}
        return frame.reset_index(drop=True), frame.iloc[:0].reset_index(drop=True), info
    stratify = ds.task == "classification"
    try:
        train_rows, test_rows = train_test_split(
            range(len(frame)), test_size=ds.test_size, random_state=ds.split_seed,
            stratify=frame["label"] if stratify else None,
        )
    except ValueError as exc:  # e.g. a class with a single row cannot be stratified
        raise DataError(
            f"{source}: cannot hold out a stratified test split of dataset.test_size={ds.test_size} from "
            f"{len(frame)} rows ({exc}). Add rows, drop rare classes, or change test_size (0: no test split)."
        ) from None
    train_rows, test_rows = sorted(train_rows), sorted(test_rows)  # keep the file's order within each split
    info = {"from": "train", "test_size": ds.test_size, "split_seed": ds.split_seed, "stratified": stratify,
            "rows": {"train": len(train_rows), "test": len(test_rows)}}
    return (frame.iloc[train_rows].reset_index(drop=True), frame.iloc[test_rows].reset_index(drop=True), info)


def _summary(frame: pd.DataFrame, ds: DatasetConfig) -> dict:
    if ds.task == "regression":
        y = frame["label"]
        if y.empty:
            return {"label_stats": None}
        return {"label_stats": {"min": float(y.min()), "max": float(y.max()), "mean": round(float(y.mean()), 4)}}
    names = class_names(ds)
    counts = frame["label"].value_counts().reindex(range(len(names)), fill_value=0)
    return {"class_counts": {names[i]: int(c) for i, c in counts.items()}}


def output_columns(ds: DatasetConfig) -> list[str]:
    """Columns of the prepared frames: tokens (or the feature columns), label, original text."""
    return [*ds.feature_columns, "label", "raw_text"] if ds.tabular else ["text", "label", "raw_text"]


def prepare_dataset(raws: Mapping[str, pd.DataFrame], ds: DatasetConfig, tokenizer: Callable[[str], list[str]],
                    n_jobs: int = 1) -> tuple[dict[str, pd.DataFrame], dict]:
    """Prepare every split of ``ds`` from its raw frame (``frame.attrs['source']`` names the user's file).

    Returns:
        ``({"train": frame, "test": frame}, report)``. Frames have the :func:`output_columns`:
        ``text`` (space-joined tokens; tabular data: the feature columns), ``label`` (class id, or
        float for regression) and ``raw_text`` (the stripped original text). Without a test file
        and with ``test_size`` 0/null the test frame is empty. ``report["duplicates"]`` counts
        exact duplicate texts (:mod:`textclf.data.duplicates`), dropped if ``ds.dedupe``.

    Raises:
        ConfigError: no train file.
        DataError: a split left with fewer than two classes.
    """
    if "train" not in raws:
        raise ConfigError(f"dataset.splits of '{ds.name}' must name a 'train' file. Received: {list(raws)}")
    class_names(ds)  # a bad class list is a config error before any work
    sources = {split: raw.attrs.get("source", split) for split, raw in raws.items()}
    frames, report = {}, {"splits": {}}
    for split, raw in raws.items():
        frames[split], report["splits"][split] = label_and_filter(raw, ds, sources[split])
        report["splits"][split]["file"] = sources[split]
        if "encoding" in raw.attrs:
            report["splits"][split]["encoding"] = raw.attrs["encoding"]
    if "test" not in raws:
        _check_classes(frames["train"], ds, sources["train"], report["splits"]["train"])
        frames["train"], frames["test"], report["test_split"] = hold_out_test(frames["train"], ds, sources["train"])
    report["duplicates"] = duplicate_report(frames)
    if ds.dedupe:
        frames, report["duplicates"]["dropped"] = drop_duplicates(frames)
        log.info("dataset.dedupe: dropped exact copies (rows per split: %s)", report["duplicates"]["dropped"])
    else:
        warn_about_duplicates(report["duplicates"])
    for split, frame in frames.items():
        if not ds.tabular:
            frame.insert(0, "text", tokenize_all(frame["raw_text"].tolist(), tokenizer, n_jobs=n_jobs,
                                                 desc=f"tokenise {ds.name}/{split}"))
        frames[split] = frame = frame[output_columns(ds)]
        summary = {"rows": int(len(frame))}
        if not ds.tabular:
            summary["empty_after_tokenising"] = int((frame["text"] == "").sum())
        summary.update(_summary(frame, ds))
        report["splits"].setdefault(split, {}).update(summary)
        if split == "train" or split in raws:
            _check_classes(frame, ds, sources.get(split, sources["train"]), report["splits"][split])
    return frames, report


def warn_about_duplicates(duplicates: dict) -> None:
    """Log a warning for test rows also in training and for copies within the training rows."""
    shared = duplicates.get("across", {}).get("test_rows_in_train", 0)
    if shared:
        log.warning("%d of %d test rows are exact copies of training rows: test scores are inflated; "
                    "dataset.dedupe=true drops the training copies", shared, duplicates["across"]["of_test_rows"])
    repeats = duplicates["within_train"]["rows"]
    if repeats:
        log.warning("%d training rows repeat an earlier training row's text: copies on both sides of a validation "
                    "split inflate validation and CV scores; dataset.dedupe=true keeps one copy", repeats)


def _check_classes(frame: pd.DataFrame, ds: DatasetConfig, source: str, split_report: dict) -> None:
    if ds.task == "regression":
        if len(frame) < 2:
            raise DataError(f"{source}: fewer than two rows with a numeric label ({split_report.get('dropped')}). "
                            f"Check dataset.label_column.")
        return
    present = frame["label"].nunique()
    if present < 2:
        counts = _summary(frame, ds)["class_counts"]
        raise DataError(
            f"{source}: only {present} class left after mapping labels ({counts}; dropped "
            f"{split_report.get('dropped')}; dropped by raw label {split_report.get('dropped_labels')}). "
            f"Check dataset.label_column, classes and label_map/label_ranges."
        )
