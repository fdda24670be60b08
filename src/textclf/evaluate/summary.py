"""``reports/summary.md``: one page per run with the dataset, config, model, metrics beside the baseline, figures."""

from __future__ import annotations

from typing import Any

from textclf.evaluate.plots import flat_params
from textclf.io import markdown_table

READING_ORDER = [
    "accuracy",
    "balanced_accuracy",
    "f1_macro",
    "precision_macro",
    "recall_macro",
    "f1_weighted",
    "precision_weighted",
    "recall_weighted",
    "roc_auc",
    "average_precision",
    "log_loss",
    "brier",
    "mae",
    "rmse",
    "r2",
]
LOWER_IS_BETTER = {"log_loss", "brier", "mae", "rmse"}
SPLIT_LABELS = {"val": "validation", "test": "test"}


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "—" if value is None else str(value)


def _table(header: list[str], rows: list[list[Any]], align: str = "---:") -> list[str]:
    return markdown_table(header, [[_value(v) for v in row] for row in rows], align)


def scalar_keys(split_metrics: dict[str, Any]) -> list[str]:
    """Metric names present in ``split_metrics``, in reading order, then any others."""
    scalars = [k for k, v in split_metrics.items() if not isinstance(v, dict) and k != "n"]
    return [k for k in READING_ORDER if k in scalars] + sorted(k for k in scalars if k not in READING_ORDER)


def _short(value: Any) -> bool:
    return not isinstance(value, dict) and len(str(value)) <= 40


def config_lines(config: dict[str, Any]) -> list[str]:
    """``- **section**: name (key=value, ...)`` for each params section."""
    lines = []
    for section, values in config.items():
        if not isinstance(values, dict):
            lines.append(f"- **{section}**: {values}")
            continue
        rest = ", ".join(f"{k}={v}" for k, v in values.items() if k != "name" and _short(v))
        lines.append(f"- **{section}**: {values.get('name', '')}" + (f" ({rest})" if rest else ""))
    return lines


def metrics_table(details: dict[str, Any], reported: str = "test") -> list[str]:
    """Validation, CV mean ± std (K-fold), test and the baseline on the ``reported`` split, one row per metric."""
    splits = [s for s in SPLIT_LABELS if s in details]
    cv = details.get("cv", {})
    baseline = details.get(reported, {}).get("baseline", {})
    keys = []
    for split in splits:
        keys += [k for k in scalar_keys(details[split]) if k not in keys]
    header = (
        ["metric"]
        + [SPLIT_LABELS[s] + (" (pooled folds)" if cv and s == "val" else "") for s in splits]
        + (["CV mean ± std"] if cv else [])
        + ([f"baseline ({SPLIT_LABELS[reported]})"] if baseline else [])
    )
    rows = []
    for key in ["n"] + keys:
        label = f"{key} (lower is better)" if key in LOWER_IS_BETTER else key
        row = [label] + [details[s].get(key) for s in splits]
        if cv:
            row.append(f"{cv[key]['mean']:.4f} ± {cv[key]['std']:.4f}" if key in cv else None)
        rows.append(row + ([baseline.get(key)] if baseline else []))
    return _table(header, rows)


def per_class_table(per_class: dict[str, dict[str, Any]]) -> list[str]:
    rows = [[name, s["precision"], s["recall"], s["f1"], s["support"]] for name, s in per_class.items()]
    return _table(["class", "precision", "recall", "f1", "support"], rows)


def confusion_table(confusion: dict[str, dict[str, int]]) -> list[str]:
    classes = list(confusion)
    return _table(["actual \\ predicted"] + classes, [[a] + [confusion[a][p] for p in classes] for a in classes])


def data_lines(duplicates: dict[str, Any], validation: dict[str, int] | None = None) -> list[str]:
    """Exact duplicate texts (``reports/prepare.json``) and validation rows with a copy in their training rows."""
    within = {
        key.removeprefix("within_"): value["rows"] for key, value in duplicates.items() if key.startswith("within_")
    }
    across = duplicates.get("across", {"test_rows_in_train": 0, "of_test_rows": 0})
    lines = [
        "- rows repeating an earlier row's text (exact duplicates): "
        + ", ".join(f"{split} {n}" for split, n in within.items()),
        f"- **test rows also in training: {across['test_rows_in_train']} of {across['of_test_rows']}**",
    ]
    if "dropped" in duplicates:
        dropped = ", ".join(f"{split} {n}" for split, n in duplicates["dropped"].items())
        lines.append(f"- dropped by `dataset.dedupe` (counts above are before dropping): {dropped}")
    elif sum(within.values()) + across["test_rows_in_train"]:
        lines.append("- copies inflate validation and test scores: `dataset.dedupe=true` keeps one copy of each text")
    if validation:
        lines.append(
            f"- validation rows with a copy among their fit's training rows: {validation['rows']} of "
            f"{validation['of_validation_rows']}"
        )
    return lines


def model_lines(architecture: dict[str, Any], model_dir: str = "model") -> list[str]:
    """The trained model: Keras layer table (and diagram), or a scikit-learn estimator's description."""
    params = architecture.get("params", {})
    lines = [
        f"`{architecture['name']}` ({architecture['framework']}), fit `{architecture['fit']}`: "
        f"{_value(params.get('total'))} parameters"
        + (f" ({_value(params['trainable'])} trainable)" if "trainable" in params else "")
        + ".",
        "",
    ]
    if architecture["framework"] == "sklearn":
        lines += [
            f"`{architecture['estimator']}`"
            + (f": {architecture['description']}" if architecture.get("description") else ""),
            "",
        ]
        lines += [f"- `{name}`: shape {shape}" for name, shape in architecture.get("learned", {}).items()]
        return lines
    rows = [
        [layer["name"], layer["type"], layer["output_shape"], layer["params"], layer["settings"]]
        for layer in architecture["layers"]
    ]
    lines += _table(["layer", "type", "output shape", "parameters", "settings"], rows, align="---")
    diagram = architecture.get("diagram")
    lines += [
        "",
        f"![model diagram]({model_dir}/{diagram})"
        if diagram
        else f"No diagram: {architecture.get('diagram_note', 'graphviz is not installed')}.",
    ]
    return lines


def render_summary(
    dataset: str,
    config: dict[str, Any],
    details: dict[str, Any],
    figures: list[str],
    errors_file: str | None = None,
    n_errors: int = 0,
    duplicates: dict[str, Any] | None = None,
    validation_copies: dict[str, int] | None = None,
    headline: dict[str, Any] | None = None,
    architecture: dict[str, Any] | None = None,
    reported: str = "test",
) -> str:
    """Markdown for ``reports/summary.md``; figure and error paths are relative to ``reports/``.

    Args:
        dataset: dataset name (``dataset.name``).
        config: params sections to highlight, e.g. ``{"model": {...}, "training": {...}}``.
        details: the full metrics (``reports/metrics_details.json``: ``val``, ``test`` with ``baseline``, ``cv``).
        figures: PNG file names under ``figures/``.
        errors_file: the error-analysis CSV (relative path) and ``n_errors`` its row count.
        duplicates: ``reports/prepare.json``'s duplicate counts, and ``validation_copies`` the
            validation rows with a copy among their fit's training rows (the Data section).
        headline: ``reports/metrics.json`` (the numbers DVC compares), listed above the table.
        architecture: the train stage's ``reports/model/architecture.json``.
        reported: the split of the per-class table, confusion matrix, figures and errors: ``test``, or
            ``val`` when the dataset has no test split (metrics are then validation/CV only).
    """
    lines = [f"# Run summary: {dataset}", "", "## Configuration", ""] + config_lines(config)
    if duplicates:
        lines += ["", "## Data", ""] + data_lines(duplicates, validation_copies)
    if architecture:
        lines += ["", "## Model", ""] + model_lines(architecture)
    lines += ["", "## Metrics", ""]
    if headline:
        shown = ", ".join(f"`{k}` {_value(v)}" for k, v in flat_params(headline).items())
        lines += [f"Headline (`reports/metrics.json`, what `dvc exp show` compares): {shown}.", ""]
    lines += [
        "Baseline: a dummy model fitted on the training labels (majority class with the training class "
        "frequencies as probabilities; for regression, the training mean).",
        "",
    ]
    if reported != "test":
        lines += [
            "No test split (dataset.test_size is 0 or null): the numbers below are out-of-fold validation "
            "scores only, and the tables, figures and errors describe the validation rows.",
            "",
        ]
    lines += metrics_table(details, reported)
    test = details.get(reported, {})
    if "per_class" in test:
        lines += ["", f"### Per class ({SPLIT_LABELS[reported]})", ""] + per_class_table(test["per_class"])
    if "confusion" in test:
        lines += ["", f"### Confusion matrix ({SPLIT_LABELS[reported]})", ""] + confusion_table(test["confusion"])
    if figures:
        lines += ["", "## Figures", ""]
        lines += [f"![{name.removesuffix('.png').replace('_', ' ')}](figures/{name})" for name in figures]
    if errors_file:
        lines += [
            "",
            "## Errors",
            "",
            f"[{errors_file}]({errors_file}): the {n_errors} {SPLIT_LABELS[reported]} predictions that were wrong with the "
            "highest confidence (text excerpt, true, predicted, probability).",
        ]
    return "\n".join(lines) + "\n"
