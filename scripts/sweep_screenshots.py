"""Run a small sweep as DVC experiments, then record what a person sees: the tables and the plots page.

Usage (from a repository whose default pipeline has run; needs chromium):
    python scripts/sweep_screenshots.py [--grid 'model.units=[16],[64]' 'training.epochs=2,4'] [--keep]

1. Each grid point is one `dvc exp run --temp -S ...` (the workspace is left alone), with the name
   DVC gives it, as a queued grid would have.
2. `dvc exp show --only-changed` and `textclf exps` are rendered at 120 columns (COLUMNS=120) and
   written, with their measured widths, between the sweep markers of docs/evaluation.md.
3. `dvc plots diff` of the sweep and `dvc plots show` of the workspace are checked offline in
   headless Chromium (scripts/check_plots_offline.py) and saved as docs/img/plots_sweep.png and
   docs/img/dvc_plots_offline.png.
4. The experiments are removed again unless --keep.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from check_plots_offline import check  # a sibling script (scripts/ is on sys.path)

GRID = ["model.units=[16],[64]", "training.epochs=2,4"]
BEGIN, END = "<!-- sweep:begin -->", "<!-- sweep:end -->"
COLUMNS = 120
WINDOW = "1400,3800"  # tall enough for the whole page of ten charts


def grid_points(grid: list[str]) -> list[list[str]]:
    """``["a=1,2", "b=[3],[4]"]`` -> every combination of single overrides (lists kept whole)."""
    axes = []
    for item in grid:
        key, values = item.split("=", 1)
        axes.append([f"{key}={v}" for v in re.findall(r"\[[^\]]*\]|[^,]+", values)])
    return [list(point) for point in itertools.product(*axes)]


def dvc(repo: Path, *args: str, env: dict | None = None) -> str:
    result = subprocess.run(["dvc", *args], cwd=repo, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if result.returncode:
        raise SystemExit(f"dvc {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def tables(repo: Path) -> dict[str, str]:
    """The two tables, rendered as a 120-column terminal would show them."""
    env = {**os.environ, "COLUMNS": str(COLUMNS)}
    plain = dvc(repo, "exp", "show", "--only-changed", "--no-pager", env=env)
    preset = subprocess.run(
        [sys.executable, "-m", "textclf.cli", "exps", "--no-pager"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {"dvc exp show --only-changed": plain, "textclf exps": preset}


def width(table: str) -> int:
    return max((len(line.rstrip()) for line in table.splitlines()), default=0)


def write_docs(doc: Path, grid: list[str], shown: dict[str, str]) -> None:
    blocks = [
        f"_Produced by `python scripts/sweep_screenshots.py --grid {' '.join(repr(g) for g in grid)}` "
        f"(COLUMNS={COLUMNS})._",
        "",
    ]
    for command, table in shown.items():
        blocks += [f"`{command}` ({width(table)} columns wide):", "", "```", table.rstrip(), "```", ""]
    text = doc.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    doc.write_text(text[:start] + "\n" + "\n".join(blocks) + text[end:], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repo", type=Path, default=Path("."))
    p.add_argument("--grid", nargs="+", default=GRID, help="Hydra-style sweeps, e.g. 'model.units=[16],[64]'")
    p.add_argument("--doc", type=Path, default=Path("docs/evaluation.md"))
    p.add_argument("--img", type=Path, default=Path("docs/img"))
    p.add_argument("--keep", action="store_true", help="keep the experiments (default: remove them at the end)")
    args = p.parse_args(argv)
    names = []
    for overrides in grid_points(args.grid):
        before = set(dvc(args.repo, "exp", "ls", "--name-only").split())
        dvc(args.repo, "exp", "run", "--temp", *itertools.chain(*(("-S", o) for o in overrides)))
        names += sorted(set(dvc(args.repo, "exp", "ls", "--name-only").split()) - before)
        print(f"{names[-1]}: {' '.join(overrides)}", flush=True)
    try:
        shown = tables(args.repo)
        write_docs(args.doc, args.grid, shown)
        with tempfile.TemporaryDirectory() as tmp:
            for revs, image, window in ((names, "plots_sweep.png", WINDOW), (None, "dvc_plots_offline.png", WINDOW)):
                expected, drawn, path = check(Path(tmp) / image, args.repo, revs, args.img / image, window)
                print(f"{image}: {drawn} of {expected} plots drawn offline")
                if drawn < expected:
                    return 1
    finally:
        if not args.keep:
            dvc(args.repo, "exp", "remove", *names)
    for command, table in shown.items():
        print(f"{command}: {width(table)} columns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
