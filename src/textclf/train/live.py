"""Live training log with DVCLive, so `dvc exp show` lists per-epoch training metrics.

One :class:`dvclive.Live` per train stage writes ``reports/live/metrics.json`` (last epoch:
``train.loss``, ``train.accuracy``, ``eval.loss``, ``eval.accuracy``, ``step``) and
``reports/live/plots/metrics/{train,eval}/<metric>.tsv`` (one row per epoch). With several folds,
names get the fold as prefix (``r0f1/train/loss``) and each fold's steps start at 0.
DVCLive and TensorFlow are imported only when the train stage asks for them.
"""

from __future__ import annotations

from pathlib import Path

LIVE_DIR = Path("reports/live")


def open_live(directory: str | Path = LIVE_DIR):
    """A :class:`dvclive.Live` in ``directory`` (emptied first); call ``.end()`` after the last fold.

    The train stage passes a temporary directory and renames it onto ``reports/live`` after
    ``.end()``, so an interrupted run never leaves a mix of old and new files there.

    DVCLive is told not to touch ``dvc.yaml`` (the pipeline declares its outputs), not to create
    experiments of its own (``dvc exp run`` already does) and not to write a report.
    """
    from dvclive import Live

    return Live(dir=str(directory), dvcyaml=None, save_dvc_exp=False, report=None)


def log_history(live, history, fold: str | None = None) -> None:
    """Log a finished fit's per-epoch ``history`` (from a worker process) as the callback would have."""
    from dvclive.utils import standardize_metric_name

    live.step = 0
    for _, epoch in history.drop(columns=["fold", "epoch"], errors="ignore").iterrows():
        for metric, value in epoch.items():
            name = standardize_metric_name(metric, "dvclive.keras")
            live.log_metric(f"{fold}/{name}" if fold else name, round(float(value), 4))
        live.next_step()


def live_callback(live, fold: str | None = None):
    """A Keras callback logging every epoch's ``logs`` to ``live`` (``val_x`` as ``eval/x``, else ``train/x``).

    Args:
        live: from :func:`open_live`, shared by all folds.
        fold: prefix for the metric names (``None`` for a single fit such as holdout).
    """
    from dvclive.keras import DVCLiveCallback
    from dvclive.utils import standardize_metric_name

    class FoldCallback(DVCLiveCallback):
        def on_train_begin(self, logs=None):
            self.live.step = 0

        def on_epoch_end(self, epoch, logs=None):
            for metric, value in (logs or {}).items():
                name = standardize_metric_name(metric, "dvclive.keras")
                self.live.log_metric(f"{fold}/{name}" if fold else name, round(float(value), 4))
            self.live.next_step()

        def on_train_end(self, logs=None):
            pass  # not `live.end()`: the stage ends `live` once, after the last fold

    return FoldCallback(live=live)
