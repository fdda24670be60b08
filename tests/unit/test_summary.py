"""textclf.evaluate.summary: the Markdown of reports/summary.md."""

from textclf.evaluate.summary import config_lines, data_lines, model_lines, render_summary, scalar_keys

METRICS = {
    "val": {"n": 10, "accuracy": 0.8, "log_loss": 0.4},
    "test": {
        "n": 20,
        "accuracy": 0.75,
        "log_loss": 0.5,
        "zeta": 1.0,
        "confusion": {"neg": {"neg": 8, "pos": 2}, "pos": {"neg": 3, "pos": 7}},
        "per_class": {
            "neg": {"precision": 0.7273, "recall": 0.8, "f1": 0.7619, "support": 10},
            "pos": {"precision": 0.7778, "recall": 0.7, "f1": 0.7368, "support": 10},
        },
        "baseline": {"n": 20, "accuracy": 0.5, "log_loss": 0.6931},
    },
}


def render():
    return render_summary(
        "imdb",
        {"text": "english", "model": {"name": "mlp", "units": [16, 16], "nested": {"a": 1}}},
        METRICS,
        ["loss.png", "roc.png"],
        errors_file="errors.csv",
        n_errors=25,
    )


def test_metrics_table_has_splits_and_baseline():
    text = render()
    assert "| metric | validation | test | baseline (test) |" in text
    assert "| accuracy | 0.8000 | 0.7500 | 0.5000 |" in text
    assert "| log_loss (lower is better) | 0.4000 | 0.5000 | 0.6931 |" in text
    assert "| zeta | — | 1.0000 | — |" in text  # a metric only one split has
    assert "| n | 10 | 20 | 20 |" in text


def test_kfold_adds_cv_mean_and_std_and_the_headline_line():
    details = {**METRICS, "cv": {"accuracy": {"mean": 0.79, "std": 0.0123, "min": 0.7, "max": 0.9}, "folds": {}}}
    text = render_summary("imdb", {}, details, [], headline={"cv": {"acc": {"mean": 0.79, "std": 0.0123}}})
    assert "| metric | validation (pooled folds) | test | CV mean ± std | baseline (test) |" in text
    assert "| accuracy | 0.8000 | 0.7500 | 0.7900 ± 0.0123 | 0.5000 |" in text
    assert (
        "Headline (`reports/metrics.json`, what `dvc exp show` compares): `cv.acc.mean` 0.7900, `cv.acc.std` 0.0123."
        in text
    )


KERAS = {
    "fit": "holdout",
    "framework": "keras",
    "name": "mlp",
    "layers": [
        {
            "name": "dense",
            "type": "Dense",
            "output_shape": "(None, 16)",
            "params": 160016,
            "settings": "units=16, activation=relu",
        }
    ],
    "params": {"total": 160305, "trainable": 160305, "non_trainable": 0},
}


def test_keras_layer_table_with_or_without_a_diagram():
    lines = model_lines({**KERAS, "diagram_note": "graphviz's `dot` is not installed"})
    assert lines[0] == "`mlp` (keras), fit `holdout`: 160,305 parameters (160,305 trainable)."
    assert "| dense | Dense | (None, 16) | 160,016 | units=16, activation=relu |" in lines
    assert lines[-1] == "No diagram: graphviz's `dot` is not installed."
    assert model_lines({**KERAS, "diagram": "diagram.png"})[-1] == "![model diagram](model/diagram.png)"
    assert "## Model" in render_summary("imdb", {}, METRICS, [], architecture=KERAS)


def test_sklearn_model_is_described_not_tabulated():
    lines = model_lines(
        {
            "fit": "fold_0",
            "framework": "sklearn",
            "name": "logreg",
            "estimator": "LogisticRegression(C=4.0)",
            "description": "Logistic Regression (aka logit, MaxEnt) classifier.",
            "learned": {"coef_": [1, 100], "intercept_": [1]},
            "params": {"total": 101},
        }
    )
    assert lines[0] == "`logreg` (sklearn), fit `fold_0`: 101 parameters."
    assert "`LogisticRegression(C=4.0)`: Logistic Regression (aka logit, MaxEnt) classifier." in lines
    assert "- `coef_`: shape [1, 100]" in lines


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
    assert scalar_keys({"n": 1, "brier": 0.1, "zz": 1.0, "accuracy": 0.5, "per_class": {}}) == [
        "accuracy",
        "brier",
        "zz",
    ]


def test_regression_summary_without_confusion():
    metrics = {
        "test": {"n": 3, "mae": 0.5, "rmse": 0.7, "r2": 0.2, "baseline": {"n": 3, "mae": 1.0, "rmse": 1.2, "r2": 0.0}}
    }
    text = render_summary("prices", {}, metrics, [])
    assert "| mae (lower is better) | 0.5000 | 1.0000 |" in text
    assert "Confusion" not in text and "## Figures" not in text


DUPLICATES = {
    "within_train": {"rows": 96},
    "within_test": {"rows": 199},
    "across": {"test_rows_in_train": 123, "of_test_rows": 25000},
}


def test_data_section_shows_the_cross_split_count_and_validation_copies():
    text = render_summary(
        "imdb", {}, METRICS, [], duplicates=DUPLICATES, validation_copies={"rows": 40, "of_validation_rows": 10000}
    )
    assert "## Data" in text
    assert "exact duplicates): train 96, test 199" in text
    assert "**test rows also in training: 123 of 25000**" in text
    assert "`dataset.dedupe=true` keeps one copy of each text" in text
    assert "validation rows with a copy among their fit's training rows: 40 of 10000" in text


def test_data_section_after_dedupe_says_what_was_dropped():
    lines = data_lines({**DUPLICATES, "dropped": {"train": 219, "test": 199}})
    assert lines[-1] == "- dropped by `dataset.dedupe` (counts above are before dropping): train 219, test 199"
