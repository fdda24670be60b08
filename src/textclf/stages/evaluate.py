"""DVC stage ``evaluate``: metrics JSON (nested by split) and plot data from saved predictions."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from textclf.evaluate import cv
from textclf.evaluate.metrics import classification_metrics
from textclf.evaluate.plots import confusion_pairs, roc_points
from textclf.io import read_json, write_csv, write_json
from textclf.stages._common import parser, run

log = logging.getLogger("textclf.stages.evaluate")
SPLIT_NAMES = {"val": "validation", "test": "test"}


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__)
    p.add_argument("--predictions", type=Path, default=Path("data/predictions.parquet"))
    p.add_argument("--classes", type=Path, default=Path("data/prepared/classes.json"))
    p.add_argument("--metrics", type=Path, default=Path("reports/metrics.json"))
    p.add_argument("--plots", type=Path, default=Path("reports/plots/eval"))
    p.add_argument("--cv-plots", type=Path, default=Path("reports/plots/cv"))
    args = p.parse_args(argv)
    classes = read_json(args.classes)
    predictions = pd.read_parquet(args.predictions)
    proba_columns = [f"p_{k}" for k in range(len(classes))]
    # K-fold (textclf.evaluate.cv): score each validation fit, then keep the pooled out-of-fold
    # validation rows and one final prediction per test row (refit `full`, or the folds' mean).
    per_fold = cv.fold_metrics(predictions, proba_columns)
    write_csv(cv.fold_scores(per_fold), args.cv_plots / "fold_scores.csv")
    predictions = cv.final_predictions(predictions, proba_columns)
    results = {}
    for split, name in SPLIT_NAMES.items():
        rows = predictions[predictions["split"] == split]
        if len(rows):
            results[name] = classification_metrics(rows["y"].to_numpy(), rows[proba_columns].to_numpy())
            log.info("%s: %s", name, results[name])
    if len(per_fold) > 1:
        results["cv"] = cv.cv_summary(per_fold)
    write_json(results, args.metrics)
    test = predictions[predictions["split"] == "test"]
    if not len(test):  # a corpus without a test split: validation scores only
        args.plots.mkdir(parents=True, exist_ok=True)
        return
    y, proba = test["y"].to_numpy(), test[proba_columns].to_numpy()
    if len(classes) == 2:
        write_csv(roc_points(y, proba), args.plots / "roc.csv")
    write_csv(confusion_pairs(y, proba, classes), args.plots / "confusion.csv")


if __name__ == "__main__":
    run(main)
