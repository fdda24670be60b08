"""The ``textclf`` command: ``compose`` writes params.yaml from conf/; ``predict`` and ``serve`` use a
bundle; ``verify`` reruns the pipeline and compares its numbers with the committed ones; ``exps``
compares experiments (``dvc exp show`` with a preset).

Nothing here imports TensorFlow until a model is loaded, so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from textclf.errors import ConfigError, DataError, user_errors
from textclf.predict.stream import FORMATS  # stdlib only: --help stays instant


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
    import itertools

    from textclf.predict import stream

    if args.text and args.input:
        raise DataError("give texts as arguments or --input FILE, not both.")
    if args.interactive and (args.text or args.input or args.output):
        raise DataError(
            "--interactive reads texts from the keyboard and prints to the screen: drop the texts, "
            "--input and --output."
        )
    items = None
    if args.input is not None:  # a wrong suffix or missing file fails before the model loads
        stream.input_kind(args.input)
        if not args.input.is_file():
            raise DataError(f"{args.input} not found: pass an existing .csv, .tsv, .jsonl or .txt file to --input.")
    elif not args.interactive:
        if not args.text and sys.stdin.isatty():
            raise DataError(
                "no text to classify: give texts as arguments, one per line on stdin, --input FILE, or --interactive."
            )
        items = stream.from_arguments(args.text) if args.text else stream.stdin_texts()
        first = next(items, None)  # empty input or an empty first text: say so before loading the model
        if first is None:
            raise DataError(
                "no text to classify: the input is empty or blank. Give texts as arguments, "
                "one per line on stdin, or with --input FILE."
            )
        items = itertools.chain([first], items)
    from textclf.predict.bundle import load_bundle

    bundle = load_bundle(args.bundle)
    if args.interactive:
        stream.interactive(bundle)
        return
    batch_size = args.batch_size or bundle.batch_size
    if items is None:
        column = args.text_column or bundle.card["dataset"]["text_column"]
        items = stream.from_file(args.input, column, args.encoding, batch_size)
    fmt = args.format or ("jsonl" if args.output and args.output.suffix in (".jsonl", ".ndjson") else "csv")
    if args.output is None:
        stream.predict_stream(bundle, items, sys.stdout, fmt, batch_size)
        return
    from textclf.io import atomic_path

    with atomic_path(args.output) as tmp, open(tmp, "w", encoding="utf-8", newline="") as out:
        count = stream.predict_stream(bundle, items, out, fmt, batch_size)
    print(f"wrote {count} predictions to {args.output}", file=sys.stderr)


def _serve(args: argparse.Namespace) -> None:
    from textclf.predict.serve import serve

    serve(
        args.bundle,
        host=args.host,
        port=args.port,
        max_texts=args.max_texts,
        max_chars=args.max_chars,
        max_body_mb=args.max_body_mb,
    )


def _verify(args: argparse.Namespace) -> None:
    from textclf.verify import verify

    verify(rev=args.rev, tolerance=args.tolerance, repro=not args.no_repro)


def _exps(args: argparse.Namespace) -> None:
    import subprocess

    from textclf.exps import exp_show_command

    command = exp_show_command(Path("."), args.dvc_args)
    print(
        "$ " + " ".join(command[:5] + ["'<Created, deps, derived dataset keys, runtime>'"] + command[6:]),
        file=sys.stderr,
    )
    sys.exit(subprocess.run(command).returncode)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="textclf", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("compose", help="compose params.yaml from conf/ with Hydra")
    p.add_argument("overrides", nargs="*", help="group choices, e.g. dataset=imdb model=mlp")
    p.add_argument("--conf", type=Path, default=Path("conf"))
    p.add_argument("--params", type=Path, default=Path("params.yaml"))
    p.add_argument("--check", action="store_true", help="fail if params.yaml is not the fresh composition")
    p.set_defaults(func=_compose)
    p = sub.add_parser(
        "predict",
        help="classify texts with a model bundle",
        description="Classify texts with a model bundle (written by the export stage). Texts come "
        "from the arguments, --input FILE (.csv/.tsv/.jsonl: the --text-column; .txt: "
        "one per line) or stdin (one per line; blank lines skipped). Output: CSV or JSON "
        "lines with the label and every class probability (regression: the value).",
    )
    p.add_argument("text", nargs="*", help="texts to classify")
    p.add_argument("--bundle", type=Path, default=Path("bundle"), help="bundle folder (default: bundle)")
    p.add_argument("--input", type=Path, help="file of texts: .csv, .tsv, .jsonl or .txt")
    p.add_argument("--text-column", help="text column/field of a CSV/JSONL input (default: the training data's)")
    p.add_argument("--encoding", default="utf-8-sig", help="encoding of --input (default: UTF-8)")
    p.add_argument("--output", type=Path, help="write here (atomically) instead of stdout")
    p.add_argument("--format", choices=FORMATS, help="csv (default) or jsonl (default for a .jsonl --output)")
    p.add_argument(
        "--batch-size",
        type=int,
        help="texts per model call (default: the training batch size, "
        "which gives the evaluate stage's outputs bit for bit)",
    )
    p.add_argument("--interactive", action="store_true", help="type texts one by one and see each label")
    p.set_defaults(func=_predict)
    p = sub.add_parser(
        "verify",
        help="rerun `dvc repro` and compare data hashes and metrics with a commit",
        description="Data outputs must equal the commit's byte for byte; metrics may move by "
        "TensorFlow's CPU-dependent float kernels, up to --tolerance.",
    )
    p.add_argument("--rev", default="HEAD", help="the commit to compare with (default: HEAD)")
    p.add_argument("--tolerance", type=float, default=0.003, help="largest allowed change of a metric (default: 0.003)")
    p.add_argument("--no-repro", action="store_true", help="compare the workspace as it is, without `dvc repro`")
    p.set_defaults(func=_verify)
    p = sub.add_parser("serve", help="serve a model bundle over HTTP (POST /predict, GET /health, GET /metadata)")
    p.add_argument("--bundle", type=Path, default=Path("bundle"), help="bundle folder (default: bundle)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--max-texts", type=int, default=1000, help="most texts per request")
    p.add_argument("--max-chars", type=int, default=100_000, help="most characters per text")
    p.add_argument("--max-body-mb", type=float, default=16, help="largest request body in MiB")
    p.set_defaults(func=_serve)
    p = sub.add_parser(
        "exps",
        help="compare experiments: dvc exp show with changed columns only, best first",
        description="dvc exp show --only-changed without the Created, dependency-hash and runtime "
        "columns, sorted by the headline objective (val.acc, cv.acc.mean, val.mae). "
        "Other arguments go to dvc exp show, e.g. textclf exps --md -A.",
    )
    p.set_defaults(func=_exps, takes_extra=True)
    return parser


def main(argv: list[str] | None = None) -> None:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "takes_extra", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.dvc_args = extra
    try:
        with user_errors():
            args.func(args)
    except BrokenPipeError:  # e.g. `textclf predict --input big.csv | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    main()
