"""textclf.evaluate.error_analysis: which wrong predictions end up in reports/errors.csv."""

import numpy as np
import pandas as pd

from textclf.evaluate.error_analysis import confident_errors, excerpt, largest_errors

TEXTS = pd.Series(["first review", "second<br /><br />review", "third", "fourth " * 100])


def test_confident_errors_most_confident_first():
    proba1 = np.array([0.9, 0.2, 0.6, 0.7])  # predicted: pos, neg, pos, pos
    proba = np.column_stack([1 - proba1, proba1])
    y = np.array([0, 1, 1, 0])  # wrong: rows 0 (0.9), 1 (0.8), 3 (0.7)
    errors = confident_errors(np.arange(4), y, proba, ["neg", "pos"], TEXTS, n=2)
    assert list(errors.columns) == ["row", "true", "predicted", "probability", "text"]
    assert errors["row"].tolist() == [0, 1]
    assert errors["probability"].tolist() == [0.9, 0.8]
    assert errors.iloc[1][["true", "predicted", "text"]].tolist() == ["pos", "neg", "second review"]


def test_confident_errors_use_row_ids_for_texts():
    proba = np.array([[0.1, 0.9]])
    errors = confident_errors(np.array([2]), np.array([0]), proba, ["neg", "pos"], TEXTS)
    assert errors["text"].tolist() == ["third"]


def test_no_errors_gives_an_empty_table():
    proba = np.array([[0.9, 0.1]])
    assert confident_errors(np.array([0]), np.array([0]), proba, ["neg", "pos"], TEXTS).empty


def test_largest_errors_for_regression():
    errors = largest_errors(np.arange(3), np.array([1.0, 2.0, 3.0]), np.array([1.5, 0.0, 3.0]), TEXTS, n=2)
    assert errors["row"].tolist() == [1, 0]
    assert errors["error"].tolist() == [-2.0, 0.5]


def test_excerpt_is_one_short_line():
    assert excerpt("a<br />b\n\tc") == "a b c"
    cut = excerpt("word " * 100, max_chars=20)
    assert len(cut) <= 20 and cut.endswith("…")
