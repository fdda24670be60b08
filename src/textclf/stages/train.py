"""DVC stage ``train``: fit the configured model on every fit; save models, predictions, history, architecture.

Fits are those featurize wrote (``fits.json``): validation fits, trained ``runtime.n_jobs`` at a
time, then ``full`` (``training.refit``) for the epochs the validation fits chose.
"""

from __future__ import annotations

import logging
from pathlib import Path

from textclf.config import load_params, training_config
from textclf.environment import describe
from textclf.io import atomic_path, read_json, write_csv, write_json, write_parquet
from textclf.models.registry import MODELS, check_features, check_stream
from textclf.paths import output_path
from textclf.runtime import load_runtime
from textclf.stages._common import parser, run
from textclf.train.fits import train_all
from textclf.train.live import LIVE_DIR, open_live

log = logging.getLogger("textclf.stages.train")


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__)
    p.add_argument("--features", type=Path, default=Path("data/features"))
    p.add_argument("--classes", type=Path, default=Path("data/prepared/classes.json"))
    p.add_argument("--models", type=Path, default=Path("models"))
    p.add_argument("--predictions", type=Path, default=Path("data/predictions.parquet"))
    p.add_argument("--history", type=Path, default=Path("reports/plots/history.csv"))
    p.add_argument("--live", type=Path, default=LIVE_DIR)
    p.add_argument("--environment", type=Path, default=Path("reports/environment.json"))
    p.add_argument("--model-report", type=Path, default=Path("reports/model"))
    args = p.parse_args(argv)
    params = load_params("model", "training", "features", path=args.params)
    MODELS.check(params["model"])  # a misspelt key fails before any data is read
    check_features(params["model"], params["features"])  # e.g. bilstm on multi-hot: fail before any fit
    training = training_config(params)
    check_stream(params["model"]["name"], training.stream)  # e.g. logreg with training.stream: before any data
    if training.tensorboard:
        output_path(training.tensorboard, "training.tensorboard")
    runtime = load_runtime(args.params)
    n_classes = len(read_json(args.classes))
    fits = read_json(args.features / "fits.json")
    # reports/live is replaced whole when training ends, never left half-written by an interrupted run.
    with (
        atomic_path(args.models) as models_tmp,
        atomic_path(args.live) as live_tmp,
        atomic_path(args.model_report) as report_tmp,
    ):
        models_tmp.mkdir()
        report_tmp.mkdir()
        live = open_live(live_tmp)
        history, predictions = train_all(
            fits,
            args.features,
            models_tmp,
            params["model"],
            training,
            n_classes,
            runtime=runtime,
            live=live,
            describe_to=report_tmp,
        )
        live.end()
    write_parquet(predictions, args.predictions)
    write_csv(history, args.history)
    write_json(describe(), args.environment)  # what `textclf verify` shows when a rerun elsewhere differs
    log.info("trained %d fit(s): %s", len(fits), ", ".join(fits))


if __name__ == "__main__":
    run(main)
