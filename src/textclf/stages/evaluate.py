"""DVC stage ``evaluate``: headline and detailed metrics (by split, with a baseline), plot data, figures, errors, summary."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import pandas as pd

from textclf.config import load_params
from textclf.data.duplicates import validation_copies
from textclf.evaluate import cv, report
from textclf.evaluate.figures import save_figures
from textclf.evaluate.headline import headline, pick, selection_scores, task_of
from textclf.evaluate.plots import sweep_points
from textclf.evaluate.summary import SPLIT_LABELS, render_summary
from textclf.io import atomic_path, read_json, write_csv, write_json, write_text
from textclf.stages._common import parser, run

log = logging.getLogger("textclf.stages.evaluate")


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__)
    p.add_argument("--predictions", type=Path, default=Path("data/predictions.parquet"))
    p.add_argument("--prepared", type=Path, default=Path("data/prepared"))
    p.add_argument("--features", type=Path, default=Path("data/features"))
    p.add_argument("--history", type=Path, default=Path("reports/plots/history.csv"))
    p.add_argument("--metrics", type=Path, default=Path("reports/metrics.json"))
    p.add_argument("--details", type=Path, default=Path("reports/metrics_details.json"))
    p.add_argument("--architecture", type=Path, default=Path("reports/model/architecture.json"))
    p.add_argument("--sweep-plot", type=Path, default=Path("reports/plots/sweep.csv"))
    p.add_argument("--plots", type=Path, default=Path("reports/plots/eval"))
    p.add_argument("--figures", type=Path, default=Path("reports/figures"))
    p.add_argument("--errors", type=Path, default=Path("reports/errors.csv"))
    p.add_argument("--summary", type=Path, default=Path("reports/summary.md"))
    p.add_argument("--cv-plots", type=Path, default=Path("reports/plots/cv"))
    p.add_argument("--prepare-report", type=Path, default=Path("reports/prepare.json"))
    args = p.parse_args(argv)
    params = load_params("dataset", "text", "features", "model", "training", path=args.params)
    params["dataset"] = {"name": params["dataset"]["name"]}
    classes = read_json(args.prepared / "classes.json")
    predictions = pd.read_parquet(args.predictions)
    # The baseline sees the same training labels as the final model: `full` after a refit, else every fit's.
    fits = read_json(args.features / "fits.json")
    baseline_fits = [cv.FULL] if cv.FULL in fits else fits
    y_train = np.concatenate([np.load(args.features / fit / "y_train.npy") for fit in baseline_fits])

    # K-fold: score each validation fit on its own rows, then keep the pooled out-of-fold validation
    # rows and one final prediction per test row (refit `full`, or the mean of the fold models).
    columns = report.output_columns(predictions, len(classes))
    per_fold = cv.fold_metrics(predictions, columns, report.flat_scorer(len(classes)))
    details, scored = report.evaluate(cv.final_predictions(predictions, columns), classes, y_train)
    if len(per_fold) > 1:
        details["cv"] = cv.cv_summary(per_fold)
    metrics, task = headline(details), task_of(details)
    write_csv(
        cv.fold_scores({fold: pick(scores, task) for fold, scores in per_fold.items()}),
        args.cv_plots / "fold_scores.csv",
    )
    for split, values in metrics.items():
        log.info("%s: %s", split, values)
    write_json(metrics, args.metrics)
    write_json(details, args.details)
    write_csv(sweep_points(params, selection_scores(metrics)), args.sweep_plot)

    split = report.reported_split(scored)  # `val` for datasets without a test split
    test = scored[split]
    data = report.plot_data(test, classes)
    with atomic_path(args.plots) as tmp:
        tmp.mkdir()
        for name, frame in data.items():
            frame.to_csv(tmp / f"{name}.csv", index=False)
    history = pd.read_csv(args.history) if args.history.exists() and args.history.stat().st_size else None
    with atomic_path(args.figures) as tmp:
        tmp.mkdir()
        figure_names = save_figures(
            report.figures(history, test, data, classes, details[split], SPLIT_LABELS[split]), tmp
        )

    train_texts = pd.read_parquet(args.prepared / "train.parquet", columns=["raw_text"])["raw_text"]
    texts = (
        pd.read_parquet(args.prepared / "test.parquet", columns=["raw_text"])["raw_text"]
        if split == "test"
        else train_texts
    )  # validation rows are training rows
    errors = report.errors(test, classes, texts)
    write_csv(errors, args.errors)
    config = {"text": params["text"]["name"], **{s: params[s] for s in ("features", "model", "training")}}
    copies = validation_copies(train_texts, cv.validation_rows(predictions))
    architecture = read_json(args.architecture) if args.architecture.exists() else None
    summary = render_summary(
        params["dataset"]["name"],
        config,
        details,
        figure_names,
        errors_file=os.path.relpath(args.errors, args.summary.parent),
        n_errors=len(errors),
        duplicates=read_json(args.prepare_report).get("duplicates"),
        validation_copies=copies,
        headline=metrics,
        architecture=architecture,
        reported=split,
    )
    write_text(summary, args.summary)
    log.info("wrote %s, %s, %d figures, %s", args.metrics, args.summary, len(figure_names), args.errors)


if __name__ == "__main__":
    run(main)
