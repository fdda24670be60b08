"""Turn raw rows into (tokens, label) rows, count every row dropped by reason, hold out a test split.

Tabular datasets (``dataset.feature_columns``) keep their numeric columns instead of tokens; values
listed in ``dataset.na_values`` become missing (imputed later, on training rows only, by
``features=tabular``).
"""

from __future__ import annotations

import logging
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from tqdm import tqdm

from textclf.config import DatasetConfig
from textclf.data.duplicates import drop_duplicates, duplicate_report
from textclf.data.labels import LABEL_REASONS, class_names, encode_labels
from textclf.data.parquet import ChunkWriter, copy_rows, read_rows
from textclf.errors import ConfigError, DataError
from textclf.text.batch import TokenizerPool

log = logging.getLogger(__name__)
EMPTY_TEXT = "empty_text"
MISSING_VALUE = "(missing)"  # how an empty raw label is shown in the drop counts
MAX_LABEL_VALUES = 30  # raw label values listed per drop reason; the rest are summed


def _by_value(raw: pd.Series) -> dict[str, int]:
    """Counts of raw label values, most frequent first (ties by value), at most ``MAX_LABEL_VALUES``."""
    return _top_values(_value_counts(raw))


def _value_counts(raw: pd.Series) -> Counter:
    values = raw.astype("string").str.strip().fillna(MISSING_VALUE).replace("", MISSING_VALUE)
    return Counter({str(value): int(n) for value, n in values.value_counts().items()})


def _top_values(counts: Counter) -> dict[str, int]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shown = {value: n for value, n in ranked[:MAX_LABEL_VALUES]}
    if len(ranked) > MAX_LABEL_VALUES:
        shown[f"(other {len(ranked) - MAX_LABEL_VALUES} values)"] = int(sum(n for _, n in ranked[MAX_LABEL_VALUES:]))
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
            raise DataError(
                f"{source}: data row {row + 1}, column {column}: {text.iloc[row]!r} is not a number. "
                f"Fix the value, or leave the cell empty (missing values are imputed on training rows)."
            )
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


def label_and_filter(
    raw: pd.DataFrame, ds: DatasetConfig, source: str = "train", full_counts: bool = False
) -> tuple[pd.DataFrame, dict]:
    """Drop rows with empty text or a label no rule maps; return ``raw_text``/``label`` rows and counts.

    Empty text is checked first, so a row with both problems counts once, as ``empty_text``.
    ``dropped_labels`` counts the dropped rows of each reason by their raw label value, so a user can
    check that e.g. the Douban rule dropped the rows rated 3 and 0 (``full_counts``: every value's
    count, to be merged over the chunks of a file by :func:`merge_filter_reports`).
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
    frame = pd.DataFrame(
        {
            "raw_text": text[keep].str.strip().to_numpy(dtype=object),
            "label": labels[keep].to_numpy(dtype=dtype),
        }
    )
    dropped = {reason: int((reasons == reason).sum()) for reason in (EMPTY_TEXT, *LABEL_REASONS)}
    counts = _value_counts if full_counts else _by_value
    by_label = {
        reason: counts(raw["label"][(reasons == reason).fillna(False).to_numpy()]) for reason, n in dropped.items() if n
    }
    report = {"rows_read": int(len(raw)), "rows_kept": int(len(frame)), "dropped": dropped, "dropped_labels": by_label}
    if ds.tabular:
        frame = pd.concat([features[keep].reset_index(drop=True), frame], axis=1)
        report["missing_values"] = {c: int(frame[c].isna().sum()) for c in ds.feature_columns}  # of kept rows
    return frame, report


def merge_filter_reports(reports: list[dict]) -> dict:
    """One :func:`label_and_filter` report (``full_counts``) per chunk of a file -> the file's report."""
    merged = {"rows_read": 0, "rows_kept": 0, "dropped": Counter(), "dropped_labels": {}}
    for report in reports:
        merged["rows_read"] += report["rows_read"]
        merged["rows_kept"] += report["rows_kept"]
        merged["dropped"].update(report["dropped"])
        for reason, counts in report["dropped_labels"].items():
            merged["dropped_labels"].setdefault(reason, Counter()).update(counts)
        if "missing_values" in report:
            merged.setdefault("missing_values", Counter()).update(report["missing_values"])
    dropped = {reason: int(merged["dropped"][reason]) for reason in (EMPTY_TEXT, *LABEL_REASONS)}
    by_label = {reason: _top_values(merged["dropped_labels"][reason]) for reason, n in dropped.items() if n}
    out = {
        "rows_read": merged["rows_read"],
        "rows_kept": merged["rows_kept"],
        "dropped": dropped,
        "dropped_labels": by_label,
    }
    if "missing_values" in merged:
        out["missing_values"] = dict(merged["missing_values"])
    return out


def hold_out_test(
    frame: pd.DataFrame, ds: DatasetConfig, source: str = "train"
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Split ``frame`` into train/test: ``ds.test_size`` of rows, stratified by class, seeded.

    ``test_size`` 0 or null: every row is a training row and the test split is empty.
    """
    if not ds.test_size:
        info = {"from": "train", "test_size": ds.test_size, "rows": {"train": len(frame), "test": 0}}
        return frame.reset_index(drop=True), frame.iloc[:0].reset_index(drop=True), info
    stratify = ds.task == "classification"
    try:
        train_rows, test_rows = train_test_split(
            range(len(frame)),
            test_size=ds.test_size,
            random_state=ds.split_seed,
            stratify=frame["label"] if stratify else None,
        )
    except ValueError as exc:  # e.g. a class with a single row cannot be stratified
        raise DataError(
            f"{source}: cannot hold out a stratified test split of dataset.test_size={ds.test_size} from "
            f"{len(frame)} rows ({exc}). Add rows, drop rare classes, or change test_size (0: no test split)."
        ) from None
    train_rows, test_rows = sorted(train_rows), sorted(test_rows)  # keep the file's order within each split
    info = {
        "from": "train",
        "test_size": ds.test_size,
        "split_seed": ds.split_seed,
        "stratified": stratify,
        "rows": {"train": len(train_rows), "test": len(test_rows)},
    }
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


class FrameSplit:
    """A split already in memory, as one chunk (``frame.attrs['source']`` names the user's file)."""

    def __init__(self, frame: pd.DataFrame, split: str):
        self.frame, self.source = frame, frame.attrs.get("source", split)
        self.attrs = {k: v for k, v in frame.attrs.items() if k == "encoding"}

    def chunks(self):
        yield self.frame


def prepare_dataset(
    raws: Mapping[str, pd.DataFrame], ds: DatasetConfig, tokenizer: Callable[[str], list[str]], n_jobs: int = 1
) -> tuple[dict[str, pd.DataFrame], dict]:
    """:func:`prepare_splits` of frames in memory; returns ``({"train": frame, "test": frame}, report)``."""
    with tempfile.TemporaryDirectory() as tmp:
        report = prepare_splits(
            {split: FrameSplit(raw, split) for split, raw in raws.items()}, ds, tokenizer, Path(tmp), n_jobs
        )
        frames = {split: pd.read_parquet(Path(tmp) / f"{split}.parquet") for split in ("train", "test")}
    return frames, report


def _output_frame(labelled: pd.DataFrame, tokens: list[str] | None, ds: DatasetConfig) -> pd.DataFrame:
    if not ds.tabular:
        labelled.insert(0, "text", tokens)
    return labelled[output_columns(ds)]


def _stage(
    raw, ds: DatasetConfig, pool: TokenizerPool, path: Path, bar
) -> tuple[pd.DataFrame, dict, list[int], pd.DataFrame]:
    """Label, filter and tokenise ``raw`` chunk by chunk into ``path``; return the rows' keys and report.

    The key frame has one row per kept row: ``row`` (position in ``path``), ``raw_text`` (a 64-bit hash
    of the text: duplicates are found on it), ``label`` and ``empty`` (no token left).
    """
    keys, reports, empty, waiting = [], [], None, None

    def finish(labelled: pd.DataFrame, tokens: Callable[[], list[str]] | None) -> None:
        frame = _output_frame(labelled, None if tokens is None else tokens(), ds)
        writer.write(frame)
        keys.append(
            pd.DataFrame(
                {
                    "raw_text": pd.util.hash_pandas_object(frame["raw_text"], index=False).to_numpy(),
                    "label": frame["label"].to_numpy(),
                    "empty": (frame["text"] == "").to_numpy() if not ds.tabular else False,
                }
            )
        )

    with ChunkWriter(path) as writer:
        for chunk in raw.chunks():  # the workers tokenise one chunk while this process reads the next
            labelled, report = label_and_filter(chunk, ds, raw.source, full_counts=True)
            reports.append(report)
            if empty is None:  # a zero-row output frame with the columns and types of the first chunk
                empty = _output_frame(labelled.iloc[:0].copy(), [], ds)
            tokens = None if ds.tabular else pool.submit(labelled["raw_text"].tolist(), bar)
            if waiting is not None:
                finish(*waiting)
            waiting = (labelled, tokens)
        if waiting is not None:
            finish(*waiting)
    key_frame = pd.concat(keys, ignore_index=True)
    key_frame.insert(0, "row", np.arange(len(key_frame)))
    return key_frame, merge_filter_reports(reports), writer.group_sizes, empty


def prepare_splits(
    raws: Mapping,
    ds: DatasetConfig,
    tokenizer: Callable[[str], list[str]],
    out: Path,
    n_jobs: int = 1,
    executor: Executor | None = None,
) -> dict:
    """Prepare every split of ``ds`` chunk by chunk; write ``out/{train,test}.parquet``; return the report.

    Args:
        raws: per split, an object with ``chunks()`` (frames of ``text``/``label`` in file order),
            ``source`` (the user's name for the file) and ``attrs`` (``encoding`` once read):
            :class:`textclf.data.stream.RawSplit`, or :class:`FrameSplit` for a frame in memory.
        out: an existing folder.
        n_jobs, executor: where texts are tokenised (:class:`~textclf.text.batch.TokenizerPool`).

    The files have the :func:`output_columns`: ``text`` (space-joined tokens; tabular data: the
    feature columns), ``label`` (class id, or float for regression) and ``raw_text`` (the stripped
    original text), one row group per chunk; a split read in one chunk gives the bytes the
    in-memory pipeline gave. Without a test file and with ``test_size`` 0/null the test file has no
    rows. Held-out test rows, duplicates (``report["duplicates"]``, :mod:`textclf.data.duplicates`)
    and ``ds.dedupe`` are decided on per-row keys (label, text hash), so only one chunk of text is
    in memory at a time; the kept rows are then copied from the staged files.

    Raises:
        ConfigError: no train file.
        DataError: a split left with fewer than two classes.
    """
    if "train" not in raws:
        raise ConfigError(f"dataset.splits of '{ds.name}' must name a 'train' file. Received: {list(raws)}")
    class_names(ds)  # a bad class list is a config error before any work
    sources = {split: raw.source for split, raw in raws.items()}
    keys, staged, report, empty = {}, {}, {"splits": {}}, None
    with TokenizerPool(tokenizer, n_jobs, executor=executor) as pool:
        for split, raw in raws.items():
            staged[split] = out / f".{split}.staged.parquet"
            with tqdm(desc=f"tokenise {ds.name}/{split}", unit="doc", disable=True if ds.tabular else None) as bar:
                keys[split], split_report, groups, empty = _stage(raw, ds, pool, staged[split], bar)
            staged[split] = (staged[split], groups)
            report["splits"][split] = {**split_report, "file": sources[split], **raw.attrs}
    origin = {split: split for split in keys}
    if "test" not in raws:
        _check_classes(keys["train"], ds, sources["train"], report["splits"]["train"])
        keys["train"], keys["test"], report["test_split"] = hold_out_test(keys["train"], ds, sources["train"])
        origin["test"] = "train"

    def text_of(key: int) -> str:  # the text behind a hash, for the duplicate examples
        for split, frame in keys.items():
            rows = frame["row"].to_numpy()[frame["raw_text"].to_numpy() == key]
            if len(rows):
                path, groups = staged[origin[split]]
                return read_rows(path, rows[:1], "raw_text", groups)[0]
        raise KeyError(key)

    report["duplicates"] = duplicate_report(keys, text_of)
    if ds.dedupe:
        keys, report["duplicates"]["dropped"] = drop_duplicates(keys)
        log.info("dataset.dedupe: dropped exact copies (rows per split: %s)", report["duplicates"]["dropped"])
    else:
        warn_about_duplicates(report["duplicates"])
    for split, frame in keys.items():
        summary = {"rows": int(len(frame))}
        if not ds.tabular:
            summary["empty_after_tokenising"] = int(frame["empty"].sum())
        summary.update(_summary(frame, ds))
        report["splits"].setdefault(split, {}).update(summary)
        if split == "train" or split in raws:
            _check_classes(frame, ds, sources.get(split, sources["train"]), report["splits"][split])
    for split in ("train", "test"):
        _write_rows(
            keys[split]["row"].to_numpy(),
            staged[origin[split]],
            out / f"{split}.parquet",
            empty,
            whole=origin[split] == split,
        )
    for path, _ in staged.values():
        path.unlink(missing_ok=True)
    return report


def _write_rows(rows: np.ndarray, staged: tuple[Path, list[int]], path: Path, empty: pd.DataFrame, whole: bool) -> None:
    """Write the staged rows at sorted positions ``rows`` to ``path`` (the staged file itself if all)."""
    source, groups = staged
    if not len(rows):
        empty.to_parquet(path, index=False)
    elif whole and len(rows) == sum(groups):
        source.rename(path)
    else:
        with ChunkWriter(path) as writer:
            copy_rows(source, rows, writer)


def warn_about_duplicates(duplicates: dict) -> None:
    """Log a warning for test rows also in training and for copies within the training rows."""
    shared = duplicates.get("across", {}).get("test_rows_in_train", 0)
    if shared:
        log.warning(
            "%d of %d test rows are exact copies of training rows: test scores are inflated; "
            "dataset.dedupe=true drops the training copies",
            shared,
            duplicates["across"]["of_test_rows"],
        )
    repeats = duplicates["within_train"]["rows"]
    if repeats:
        log.warning(
            "%d training rows repeat an earlier training row's text: copies on both sides of a validation "
            "split inflate validation and CV scores; dataset.dedupe=true keeps one copy",
            repeats,
        )


def _check_classes(frame: pd.DataFrame, ds: DatasetConfig, source: str, split_report: dict) -> None:
    if ds.task == "regression":
        if len(frame) < 2:
            raise DataError(
                f"{source}: fewer than two rows with a numeric label ({split_report.get('dropped')}). "
                f"Check dataset.label_column."
            )
        return
    present = frame["label"].nunique()
    if present < 2:
        counts = _summary(frame, ds)["class_counts"]
        raise DataError(
            f"{source}: only {present} class left after mapping labels ({counts}; dropped "
            f"{split_report.get('dropped')}; dropped by raw label {split_report.get('dropped_labels')}). "
            f"Check dataset.label_column, classes and label_map/label_ranges."
        )
