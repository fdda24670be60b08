"""DVC stage ``export``: the run's final model as a self-contained, verified bundle (``bundle/``).

Declared as the DVC artifact ``text-classifier`` (type model) in dvc.yaml. The data hashes in its
card are computed here from this stage's own inputs (``data/raw``, ``data/prepared``,
``data/split``) the way DVC computes them, so they equal the run's ``dvc.lock`` entries without
the stage reading the lock file it is about to change.
"""

from __future__ import annotations

import logging
from pathlib import Path

from textclf.config import load_params
from textclf.io import read_json
from textclf.predict.export import write_bundle
from textclf.stages._common import parser, run

log = logging.getLogger("textclf.stages.export")
SECTIONS = ("dataset", "text", "features", "model", "training")


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__)
    p.add_argument("--models", type=Path, default=Path("models"))
    p.add_argument("--features", type=Path, default=Path("data/features"))
    p.add_argument("--prepared", type=Path, default=Path("data/prepared"))
    p.add_argument(
        "--data",
        type=Path,
        nargs="+",
        default=[Path("data/raw"), Path("data/prepared"), Path("data/split")],
        help="data folders whose DVC hashes go into the card",
    )
    p.add_argument("--metrics", type=Path, default=Path("reports/metrics_details.json"))
    p.add_argument("--prepare-report", type=Path, default=Path("reports/prepare.json"))
    p.add_argument("--environment", type=Path, default=Path("reports/environment.json"))
    p.add_argument("--out", type=Path, default=Path("bundle"))
    args = p.parse_args(argv)
    params = load_params(*SECTIONS, path=args.params)
    card = write_bundle(
        args.out,
        params=params,
        models=args.models,
        features=args.features,
        prepared=args.prepared,
        metrics=read_json(args.metrics),
        prepare_report=read_json(args.prepare_report),
        environment=read_json(args.environment),
        data_dirs=args.data,
    )
    log.info("wrote %s: %s, %s", args.out, card["name"], card["model"]["combine"])


if __name__ == "__main__":
    run(main)
