"""Exact duplicate texts within and across the train/test splits: counted, optionally dropped.

Two rows are *exact duplicates* when their ``raw_text`` is identical: the text cell with leading
and trailing whitespace removed (the ``raw_text`` column of ``data/prepared``), compared character
for character, before any cleaning or tokenisation (no case folding, no HTML or inner-whitespace
normalisation). Near-duplicates are not counted.

Copies inflate scores: a test row also in training is partly memorised, and copies within the
training rows land on both sides of a holdout or K-fold validation split. ``dataset.dedupe``
keeps one copy of each text: the first in file order within a split, and across splits the
test copy, so the test set stays comparable with runs and papers that use the same file.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

EXAMPLES = 3  # duplicated texts shown per count in reports/prepare.json
EXCERPT = 100  # characters of each example


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def _identity(text):
    return text


def within(frame: pd.DataFrame, text_of: Callable = _identity) -> dict:
    """Rows repeating an earlier row's text, the texts concerned, and how many carry two labels.

    ``raw_text`` may hold a key per text instead (e.g. a hash, streaming prepare): ``text_of(key)``
    then gives the text shown in the examples; so for :func:`across` and :func:`duplicate_report`.
    """
    texts = frame["raw_text"]
    repeats = texts.duplicated(keep="first")
    groups = frame[texts.isin(texts[repeats])].groupby("raw_text", sort=False)["label"]
    examples = [{"text": _excerpt(text_of(t)), "copies": int(n)} for t, n in groups.size().head(EXAMPLES).items()]
    return {
        "rows": int(repeats.sum()),
        "texts": int(groups.ngroups),
        "conflicting_labels": int((groups.nunique() > 1).sum()),
        "examples": examples,
    }


def across(train: pd.DataFrame, test: pd.DataFrame, text_of: Callable = _identity) -> dict:
    """Test rows whose text is also a training row's, and how many of those disagree on the label."""
    in_train = test["raw_text"].isin(set(train["raw_text"]))
    shared = test.loc[in_train, ["raw_text", "label"]]
    train_labels = train.drop_duplicates("raw_text").set_index("raw_text")["label"]
    conflicting = shared["label"].to_numpy() != train_labels.reindex(shared["raw_text"]).to_numpy()
    examples = [{"text": _excerpt(text_of(t))} for t in shared["raw_text"].drop_duplicates().head(EXAMPLES)]
    return {
        "test_rows_in_train": int(in_train.sum()),
        "of_test_rows": int(len(test)),
        "conflicting_labels": int(conflicting.sum()),
        "examples": examples,
    }


def duplicate_report(frames: dict[str, pd.DataFrame], text_of: Callable = _identity) -> dict:
    """``within_<split>`` for each split and ``across`` (test rows also in train) when there is a test split."""
    report = {f"within_{split}": within(frame, text_of) for split, frame in frames.items()}
    if "test" in frames:
        report["across"] = across(frames["train"], frames["test"], text_of)
    return report


def drop_duplicates(frames: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], dict[str, int]]:
    """Keep each text once: the first copy within a split; the test copy of a text in both splits.

    Returns the new frames (file order kept) and the rows dropped per split.
    """
    kept = {split: frame.drop_duplicates("raw_text", keep="first") for split, frame in frames.items()}
    if "test" in kept:
        train = kept["train"]
        kept["train"] = train[~train["raw_text"].isin(set(kept["test"]["raw_text"]))]
    dropped = {split: int(len(frames[split]) - len(frame)) for split, frame in kept.items()}
    return {split: frame.reset_index(drop=True) for split, frame in kept.items()}, dropped


def validation_copies(train_texts: pd.Series, validation_rows: dict[str, list[int]]) -> dict:
    """Validation rows whose text is also among their own fit's training rows (holdout or K-fold).

    Args:
        train_texts: ``raw_text`` of every training row, by row id.
        validation_rows: per validation fit, its validation row ids; its training rows are all the others.
    """
    counts = train_texts.value_counts()
    copied = total = 0
    for rows in validation_rows.values():
        texts = train_texts.iloc[rows]
        outside = counts.reindex(texts).to_numpy() - texts.value_counts().reindex(texts).to_numpy()
        copied += int((outside > 0).sum())
        total += len(rows)
    return {"rows": copied, "of_validation_rows": total}
