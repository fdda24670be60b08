"""data.duplicates: exact copies within and across splits, deterministic dropping, validation copies."""

import pandas as pd

from textclf.data.duplicates import across, drop_duplicates, duplicate_report, validation_copies, within

TRAIN = pd.DataFrame(
    {"raw_text": ["good", "bad", "good", "ok", "good", "Bad", "shared", "x"], "label": [1, 0, 1, 1, 0, 0, 1, 0]}
)
TEST = pd.DataFrame({"raw_text": ["shared", "new", "ok", "new", "x"], "label": [1, 0, 0, 0, 0]})


def test_within_counts_repeats_texts_and_label_conflicts():
    # "good" three times (labels 1, 1, 0); "bad"/"Bad" differ in case: not exact duplicates.
    assert within(TRAIN) == {
        "rows": 2,
        "texts": 1,
        "conflicting_labels": 1,
        "examples": [{"text": "good", "copies": 3}],
    }


def test_across_counts_test_rows_also_in_train():
    # "shared" (same label), "ok" (train 1, test 0) and "x" (same label) are in both splits.
    assert across(TRAIN, TEST) == {
        "test_rows_in_train": 3,
        "of_test_rows": 5,
        "conflicting_labels": 1,
        "examples": [{"text": "shared"}, {"text": "ok"}, {"text": "x"}],
    }


def test_report_has_both_splits_and_across():
    report = duplicate_report({"train": TRAIN, "test": TEST})
    assert list(report) == ["within_train", "within_test", "across"]
    assert report["within_test"]["rows"] == 1


def test_examples_are_short_and_few():
    frame = pd.DataFrame({"raw_text": [f"{i} " + "long " * 50 for i in range(5)] * 2, "label": 0})
    examples = within(frame)["examples"]
    assert len(examples) == 3 and all(len(e["text"]) == 100 and e["text"].endswith("…") for e in examples)


def test_dedupe_keeps_the_first_copy_in_a_split_and_the_test_copy_across():
    frames, dropped = drop_duplicates({"train": TRAIN, "test": TEST})
    assert frames["train"]["raw_text"].tolist() == ["good", "bad", "Bad"]
    assert frames["train"]["label"].tolist() == [1, 0, 0]  # the first "good" (label 1) is kept
    assert frames["test"]["raw_text"].tolist() == ["shared", "new", "ok", "x"]
    assert dropped == {"train": 5, "test": 1}
    assert drop_duplicates({"train": TRAIN, "test": TEST})[0]["train"].equals(frames["train"])  # deterministic


def test_validation_copies_count_rows_with_a_copy_on_the_training_side():
    texts = pd.Series(["a", "b", "a", "c", "c", "d"])
    # holdout validating rows 0 and 3: "a" has a copy in training (row 2), "c" (row 4) too.
    assert validation_copies(texts, {"holdout": [0, 3]}) == {"rows": 2, "of_validation_rows": 2}
    # Copies validated together are not on the training side; copies split between folds are, both ways.
    folds = {"fold_0": [3, 4, 5], "fold_1": [0, 1, 2]}
    assert validation_copies(texts, folds) == {"rows": 0, "of_validation_rows": 6}
    assert validation_copies(texts, {"fold_0": [0, 3], "fold_1": [1, 2, 4, 5]}) == {"rows": 4, "of_validation_rows": 6}
