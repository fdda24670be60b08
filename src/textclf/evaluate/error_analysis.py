"""Error analysis: the test predictions a model got wrong with the most confidence."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

N_ERRORS = 25
EXCERPT_CHARS = 200
_MARKUP = re.compile(r"(?:<br\s*/?>|\s)+")  # IMDB reviews carry <br /> line breaks


def excerpt(text: str, max_chars: int = EXCERPT_CHARS) -> str:
    """One line of at most ``max_chars`` characters (``…`` marks a cut)."""
    text = _MARKUP.sub(" ", str(text)).strip()
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"


def confident_errors(
    rows: np.ndarray, y: np.ndarray, proba: np.ndarray, classes: list[str], texts: pd.Series, n: int = N_ERRORS
) -> pd.DataFrame:
    """The ``n`` misclassified rows with the highest predicted-class probability.

    Args:
        rows: row ids of the predictions in the prepared test table.
        y: true class ids; ``proba``: class probabilities (arg-max is the prediction).
        texts: original texts in row-id order (``raw_text`` of ``data/prepared/test.parquet``).

    Returns:
        Columns ``row, true, predicted, probability, text``, most confident first (ties by row).
    """
    y = np.asarray(y).astype(np.int64)
    pred = proba.argmax(axis=1)
    names = np.asarray(classes)
    frame = pd.DataFrame(
        {
            "row": np.asarray(rows),
            "true": names[y],
            "predicted": names[pred],
            "probability": proba[np.arange(len(pred)), pred].round(4),
        }
    )
    wrong = frame[pred != y].sort_values(["probability", "row"], ascending=[False, True]).head(n)
    wrong["text"] = [excerpt(texts.iloc[r]) for r in wrong["row"]]
    return wrong.reset_index(drop=True)


def largest_errors(
    rows: np.ndarray, y: np.ndarray, pred: np.ndarray, texts: pd.Series, n: int = N_ERRORS
) -> pd.DataFrame:
    """Regression: the ``n`` rows with the largest absolute error (``row, true, predicted, error, text``)."""
    frame = pd.DataFrame(
        {
            "row": np.asarray(rows),
            "true": np.asarray(y, dtype=float),
            "predicted": np.asarray(pred, dtype=float).round(4),
        }
    )
    frame["error"] = (frame["predicted"] - frame["true"]).round(4)
    order = frame["error"].abs().sort_values(ascending=False, kind="stable").index
    wrong = frame.loc[order].head(n)
    wrong["text"] = [excerpt(texts.iloc[r]) for r in wrong["row"]]
    return wrong.reset_index(drop=True)
