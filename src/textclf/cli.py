"""The ``textclf`` command: ``compose`` writes params.yaml from conf/; ``predict`` labels texts;
``verify`` reruns the pipeline and compares its numbers with the committed ones.

Nothing here imports TensorFlow until a model is loaded, so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from textclf.errors import ConfigError, user_errors


def _compose(args: argparse.Namespace) -> None:
    from textclf.compose import compose
    from textclf.io import write_text

    value_overrides = [o for o in args.overrides if "=" in o and "." in o.split("=", 1)[0]]
    if value_overrides:
        raise ConfigError(
            f"`textclf compose` takes group choices only (e.g. model=mlp). Received: {' '.join(value_overrides)}. "
            f"Change values in conf/, or run an experiment: dvc exp run -S {value_overrides[0]}"
        )
    if args.check:
        from textclf.config import read_params_file

        read_params_file(args.params)  # a missing or broken file gets its own message
        fresh = compose(args.conf, args.overrides)
        current = args.params.read_text(encoding="utf-8")
        if fresh != current:
            raise ConfigError(f"{args.params} differs from the composition of {args.conf}/: run `textclf compose`.")
        print(f"{args.params} is in step with {args.conf}/")
        return
    import yaml

    from textclf.models.registry import check_features

    text = compose(args.conf, args.overrides)
    params = yaml.safe_load(text)
    check_features(params["model"], params["features"])
    write_text(text, args.params)
    print(f"wrote {args.params}")


def _predict(args: argparse.Namespace) -> None:
    from textclf.predict import Predictor

    predictor = Predictor.load(args.model_dir, params_file=args.params)
    texts = args.text or [line.rstrip("\n") for line in sys.stdin if line.strip()]
    for text, (label, prob) in zip(texts, predictor.predict(texts)):
        print(f"{label}\t{prob:.4f}\t{text[:80]}")


def _verify(args: argparse.Namespace) -> None:
    from textclf.verify import verify

    verify(rev=args.rev, tolerance=args.tolerance, repro=not args.no_repro)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="textclf", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("compose", help="compose params.yaml from conf/ with Hydra")
    p.add_argument("overrides", nargs="*", help="group choices, e.g. dataset=imdb model=mlp")
    p.add_argument("--conf", type=Path, default=Path("conf"))
    p.add_argument("--params", type=Path, default=Path("params.yaml"))
    p.add_argument("--check", action="store_true", help="fail if params.yaml is not the fresh composition")
    p.set_defaults(func=_compose)
    p = sub.add_parser("predict", help="classify texts with a trained model")
    p.add_argument("text", nargs="*", help="texts to classify (default: one per line on stdin)")
    p.add_argument("--model-dir", type=Path, default=Path("models/holdout"))
    p.add_argument("--params", type=Path, default=Path("params.yaml"))
    p.set_defaults(func=_predict)
    p = sub.add_parser("verify", help="rerun `dvc repro` and compare data hashes and metrics with a commit",
                       description="Data outputs must equal the commit's byte for byte; metrics may move by "
                                   "TensorFlow's CPU-dependent float kernels, up to --tolerance.")
    p.add_argument("--rev", default="HEAD", help="the commit to compare with (default: HEAD)")
    p.add_argument("--tolerance", type=float, default=0.003, help="largest allowed change of a metric (default: 0.003)")
    p.add_argument("--no-repro", action="store_true", help="compare the workspace as it is, without `dvc repro`")
    p.set_defaults(func=_verify)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    with user_errors():
        args.func(args)


if __name__ == "__main__":
    main()
