"""Turn raw rows into (tokens, class id) rows and count every row dropped, by reason."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from textclf.config import DatasetConfig
from textclf.data.labels import class_names, encode_labels
from textclf.errors import DataError
from textclf.text.batch import tokenize_all


def prepare_split(raw: pd.DataFrame, ds: DatasetConfig, tokenizer: Callable[[str], list[str]],
                  n_jobs: int = 1, source: str = "") -> tuple[pd.DataFrame, dict]:
    """Return the prepared frame and a report.

    Columns: ``text`` (space-joined tokens), ``label`` (class id), ``raw_text`` (original text).
    """
    text = raw["text"].astype("string")
    empty = text.isna() | (text.str.strip() == "")
    labels = encode_labels(raw["label"], ds)
    unmapped = labels.isna() & ~empty
    keep = ~(empty | unmapped)
    kept = raw.loc[keep]
    frame = pd.DataFrame({
        "text": tokenize_all(kept["text"].tolist(), tokenizer, n_jobs=n_jobs, desc=f"tokenise {source}"),
        "label": labels[keep].astype("int64").to_numpy(),
        "raw_text": kept["text"].str.strip().to_numpy(),  # for error analysis and predict checks
    })
    names = class_names(ds)
    counts = frame["label"].value_counts().reindex(range(len(names)), fill_value=0)
    report = {
        "rows_read": int(len(raw)),
        "rows_kept": int(len(frame)),
        "dropped": {"empty_text": int(empty.sum()), "unmapped_label": int(unmapped.sum())},
        "empty_after_tokenising": int((frame["text"] == "").sum()),
        "class_counts": {names[i]: int(c) for i, c in counts.items()},
    }
    if (counts > 0).sum() < 2:
        raise DataError(
            f"{source}: only one class left after mapping labels ({report['class_counts']}; "
            f"dropped {report['dropped']}). Check dataset.label_column, dataset.classes and dataset.label_map."
        )
    return frame, report
