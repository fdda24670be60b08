"""Turn raw rows into (tokens, label) rows, count every row dropped by reason, hold out a test split."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

import pandas as pd
from sklearn.model_selection import train_test_split

from textclf.config import DatasetConfig
from textclf.data.duplicates import drop_duplicates, duplicate_report
from textclf.data.labels import LABEL_REASONS, class_names, encode_labels
from textclf.errors import ConfigError, DataError
from textclf.text.batch import tokenize_all

log = logging.getLogger(__name__)
EMPTY_TEXT = "empty_text"


def label_and_filter(raw: pd.DataFrame, ds: DatasetConfig) -> tuple[pd.DataFrame, dict]:
    """Drop rows with empty text or a label no rule maps; return ``raw_text``/``label`` rows and counts.

    Empty text is checked first, so a row with both problems counts once, as ``empty_text``.
    """
    text = raw["text"].astype("string")
    empty = (text.isna() | (text.str.strip() == "")).fillna(True).astype(bool)
    labels, reasons = encode_labels(raw["label"], ds)
    reasons = reasons.mask(empty, EMPTY_TEXT)
    keep = reasons.isna().to_numpy()
    dtype = "float64" if ds.task == "regression" else "int64"
    frame = pd.DataFrame({
        "raw_text": text[keep].str.strip().to_numpy(dtype=object),
        "label": labels[keep].to_numpy(dtype=dtype),
    })
    dropped = {reason: int((reasons == reason).sum()) for reason in (EMPTY_TEXT, *LABEL_REASONS)}
    return frame, {"rows_read": int(len(raw)), "rows_kept": int(len(frame)), "dropped": dropped}


def hold_out_test(frame: pd.DataFrame, ds: DatasetConfig, source: str = "train") -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Split ``frame`` into train/test: ``ds.test_size`` of rows, stratified by class, seeded."""
    stratify = ds.task == "classification"
    try:
        train_rows, test_rows = train_test_split(
            range(len(frame)), test_size=ds.test_size, random_state=ds.split_seed,
            stratify=frame["label"] if stratify else None,
        )
    except ValueError as exc:  # e.g. a class with a single row cannot be stratified
        raise DataError(
            f"{source}: cannot hold out a stratified test split of dataset.test_size={ds.test_size} from "
            f"{len(frame)} rows ({exc}). Add rows, drop rare classes, or change test_size."
        ) from None
    train_rows, test_rows = sorted(train_rows), sorted(test_rows)  # keep the file's order within each split
    info = {"from": "train", "test_size": ds.test_size, "split_seed": ds.split_seed, "stratified": stratify,
            "rows": {"train": len(train_rows), "test": len(test_rows)}}
    return (frame.iloc[train_rows].reset_index(drop=True), frame.iloc[test_rows].reset_index(drop=True), info)


def _summary(frame: pd.DataFrame, ds: DatasetConfig) -> dict:
    if ds.task == "regression":
        y = frame["label"]
        return {"label_stats": {"min": float(y.min()), "max": float(y.max()), "mean": round(float(y.mean()), 4)}}
    names = class_names(ds)
    counts = frame["label"].value_counts().reindex(range(len(names)), fill_value=0)
    return {"class_counts": {names[i]: int(c) for i, c in counts.items()}}


def prepare_dataset(raws: Mapping[str, pd.DataFrame], ds: DatasetConfig, tokenizer: Callable[[str], list[str]],
                    n_jobs: int = 1) -> tuple[dict[str, pd.DataFrame], dict]:
    """Prepare every split of ``ds`` from its raw frame (``frame.attrs['path']`` names the file).

    Returns:
        ``({"train": frame, "test": frame}, report)``. Frames have columns ``text``
        (space-joined tokens), ``label`` (class id, or float for regression) and
        ``raw_text`` (the stripped original text). ``report["duplicates"]`` counts exact
        duplicate texts (:mod:`textclf.data.duplicates`), dropped if ``ds.dedupe``.

    Raises:
        ConfigError: no test file and no ``dataset.test_size``.
        DataError: a split left with fewer than two classes.
    """
    if "train" not in raws:
        raise ConfigError(f"dataset.splits of '{ds.name}' must name a 'train' file. Received: {list(raws)}")
    if "test" not in raws and ds.test_size is None:
        raise ConfigError(
            f"dataset '{ds.name}' has no test file: add splits.test, or set dataset.test_size (e.g. 0.2) "
            f"so prepare holds out a stratified test split."
        )
    class_names(ds)  # a bad class list is a config error before any work
    frames, report = {}, {"splits": {}}
    for split, raw in raws.items():
        frames[split], report["splits"][split] = label_and_filter(raw, ds)
        report["splits"][split]["file"] = raw.attrs.get("path", split)
        if "encoding" in raw.attrs:
            report["splits"][split]["encoding"] = raw.attrs["encoding"]
    if "test" not in raws:
        source = raws["train"].attrs.get("path", "train")
        _check_classes(frames["train"], ds, source, report["splits"]["train"])
        frames["train"], frames["test"], report["test_split"] = hold_out_test(frames["train"], ds, source)
    report["duplicates"] = duplicate_report(frames)
    if ds.dedupe:
        frames, report["duplicates"]["dropped"] = drop_duplicates(frames)
        log.info("dataset.dedupe: dropped exact copies (rows per split: %s)", report["duplicates"]["dropped"])
    else:
        warn_about_duplicates(report["duplicates"])
    for split, frame in frames.items():
        source = raws.get(split, raws["train"]).attrs.get("path", split)
        frame.insert(0, "text", tokenize_all(frame["raw_text"].tolist(), tokenizer, n_jobs=n_jobs,
                                             desc=f"tokenise {ds.name}/{split}"))
        frames[split] = frame = frame[["text", "label", "raw_text"]]
        summary = {"rows": int(len(frame)), "empty_after_tokenising": int((frame["text"] == "").sum()),
                   **_summary(frame, ds)}
        report["splits"].setdefault(split, {}).update(summary)
        if split == "train" or split in raws:
            _check_classes(frame, ds, source, report["splits"][split])
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
            f"{split_report.get('dropped')}). Check dataset.label_column, classes and label_map/label_ranges."
        )
