"""Live training log with DVCLive: one folder per fold, so `dvc exp show` lists per-epoch metrics.

Each fold writes ``<directory>/<fold>/metrics.json`` (the latest epoch: ``train.loss``,
``train.accuracy``, ``eval.loss``, ``eval.accuracy``, ``step``) and
``<directory>/<fold>/plots/metrics/{train,eval}/<metric>.tsv`` (one row per epoch).
DVCLive and TensorFlow are imported only when a callback is built (in the train stage).
"""

from __future__ import annotations

from pathlib import Path

LIVE_DIR = Path("reports/live")


def live_callback(fold: str, directory: str | Path = LIVE_DIR):
    """A Keras callback that logs every epoch of ``fold`` under ``directory/fold``.

    DVCLive is told not to touch ``dvc.yaml`` (the pipeline declares its outputs), not to create
    experiments of its own (``dvc exp run`` already does) and not to write a report.
    """
    from dvclive import Live
    from dvclive.keras import DVCLiveCallback

    live = Live(dir=str(Path(directory) / fold), dvcyaml=None, save_dvc_exp=False, report=None)
    return DVCLiveCallback(live=live)
