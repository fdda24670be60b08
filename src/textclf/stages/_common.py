"""Argument parsing and error handling shared by the stage entry points."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable

from textclf.errors import user_errors


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--params", default="params.yaml", help="composed parameters (default: params.yaml)")
    return p


def run(main: Callable[[list[str] | None], None], argv: list[str] | None = None) -> None:
    """Run a stage ``main``: user errors and interruptions end with one line (see :func:`user_errors`)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    with user_errors():
        main(argv)
