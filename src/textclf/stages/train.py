"""DVC stage ``train``: fit the configured model on every fold; save models, predictions, history."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from textclf.config import load_params, training_config
from textclf.evaluate.live import LIVE_DIR, live_callback, open_live
from textclf.features.fit import load_fold
from textclf.io import atomic_path, read_json, write_csv, write_parquet
from textclf.models.keras_adapter import KerasEstimator
from textclf.stages._common import parser, run
from textclf.train.loop import fit_fold, make_estimator

log = logging.getLogger("textclf.stages.train")


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__)
    p.add_argument("--features", type=Path, default=Path("data/features"))
    p.add_argument("--classes", type=Path, default=Path("data/prepared/classes.json"))
    p.add_argument("--models", type=Path, default=Path("models"))
    p.add_argument("--predictions", type=Path, default=Path("data/predictions.parquet"))
    p.add_argument("--history", type=Path, default=Path("reports/plots/history.csv"))
    p.add_argument("--live", type=Path, default=LIVE_DIR, help="DVCLive per-epoch log")
    args = p.parse_args(argv)
    params = load_params("model", "training", path=args.params)
    training = training_config(params)
    n_classes = len(read_json(args.classes))
    histories, predictions = [], []
    fits, live = read_json(args.features / "fits.json"), open_live(args.live)
    with atomic_path(args.models) as models_tmp:
        for fold in fits:
            estimator = make_estimator(params["model"], training, n_classes)
            prefix = fold if len(fits) > 1 else None
            callbacks = [live_callback(live, prefix)] if isinstance(estimator, KerasEstimator) else []
            history, preds, _ = fit_fold(estimator, load_fold(args.features / fold), fold, callbacks)
            (models_tmp / fold).mkdir(parents=True)
            estimator.save(models_tmp / fold)
            histories.append(history)
            predictions.append(preds)
    live.end()
    write_parquet(pd.concat(predictions, ignore_index=True), args.predictions)
    write_csv(pd.concat(histories, ignore_index=True), args.history)


if __name__ == "__main__":
    run(main)
