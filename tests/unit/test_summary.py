"""textclf.evaluate.summary: the Markdown of reports/summary.md."""

from textclf.evaluate.summary import config_lines, data_lines, render_summary, scalar_keys

METRICS = {
    "validation": {"n": 10, "accuracy": 0.8, "log_loss": 0.4},
    "test": {
        "n": 20, "accuracy": 0.75, "log_loss": 0.5, "zeta": 1.0,
        "confusion": {"neg": {"neg": 8, "pos": 2}, "pos": {"neg": 3, "pos": 7}},
        "per_class": {"neg": {"precision": 0.7273, "recall": 0.8, "f1": 0.7619, "support": 10},
                      "pos": {"precision": 0.7778, "recall": 0.7, "f1": 0.7368, "support": 10}},
        "baseline": {"n": 20, "accuracy": 0.5, "log_loss": 0.6931},
    },
}


def render():
    return render_summary("imdb", {"text": "english", "model": {"name": "mlp", "units": [16, 16], "nested": {"a": 1}}},
                          METRICS, ["loss.png", "roc.png"], errors_file="errors.csv", n_errors=25)


def test_metrics_table_has_splits_and_baseline():
    text = render()
    assert "| metric | validation | test | baseline (test) |" in text
    assert "| accuracy | 0.8000 | 0.7500 | 0.5000 |" in text
    assert "| log_loss (lower is better) | 0.4000 | 0.5000 | 0.6931 |" in text
    assert "| zeta | — | 1.0000 | — |" in text  # a metric only one split has


def test_per_class_confusion_figures_and_errors():
    text = render()
    assert "| neg | 0.7273 | 0.8000 | 0.7619 | 10 |" in text
    assert "| pos | 3 | 7 |" in text
    assert "![loss](figures/loss.png)" in text and "![roc](figures/roc.png)" in text
    assert "[errors.csv](errors.csv): the 25 test predictions" in text
    assert text.startswith("# Run summary: imdb\n")


def test_config_lines_show_names_and_short_values_only():
    lines = config_lines({"text": "english", "model": {"name": "mlp", "units": [16, 16], "nested": {"a": 1}}})
    assert lines == ["- **text**: english", "- **model**: mlp (units=[16, 16])"]


def test_scalar_keys_in_reading_order():
    assert scalar_keys({"n": 1, "brier": 0.1, "zz": 1.0, "accuracy": 0.5, "per_class": {}}) == ["accuracy", "brier", "zz"]


def test_regression_summary_without_confusion():
    metrics = {"test": {"n": 3, "mae": 0.5, "rmse": 0.7, "r2": 0.2, "baseline": {"n": 3, "mae": 1.0, "rmse": 1.2, "r2": 0.0}}}
    text = render_summary("prices", {}, metrics, [])
    assert "| mae (lower is better) | 0.5000 | 1.0000 |" in text
    assert "Confusion" not in text and "## Figures" not in text


DUPLICATES = {"within_train": {"rows": 96}, "within_test": {"rows": 199},
              "across": {"test_rows_in_train": 123, "of_test_rows": 25000}}


def test_data_section_shows_the_cross_split_count_and_validation_copies():
    text = render_summary("imdb", {}, METRICS, [], duplicates=DUPLICATES,
                          validation_copies={"rows": 40, "of_validation_rows": 10000})
    assert "## Data" in text
    assert "exact duplicates): train 96, test 199" in text
    assert "**test rows also in training: 123 of 25000**" in text
    assert "`dataset.dedupe=true` keeps one copy of each text" in text
    assert "validation rows with a copy among their fit's training rows: 40 of 10000" in text


def test_data_section_after_dedupe_says_what_was_dropped():
    lines = data_lines({**DUPLICATES, "dropped": {"train": 219, "test": 199}})
    assert lines[-1] == "- dropped by `dataset.dedupe` (counts above are before dropping): train 219, test 199"
