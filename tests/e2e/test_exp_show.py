"""A 2×2 sweep as four DVC experiments, read as a person would: tables at 120 columns, plots offline."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import shutil
import sys

import pytest

from tests.conftest import ROOT, chromium, run

pytestmark = pytest.mark.slow
GRID = [("model.units=[8]", "model.units=[8,8]"), ("training.epochs=1", "training.epochs=2")]
HEADLINE = {"val.acc", "val.f1", "test.acc", "test.f1"}  # what varies between the runs (baselines do not)
SWEPT = {"model.units", "training.epochs"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def swept(reproduced_template, tmp_path_factory):
    """The tiny repository after `dvc repro`, a commit and four `dvc exp run -S ... -S ...`."""
    repo = shutil.copytree(reproduced_template, tmp_path_factory.mktemp("sweep") / "repo", symlinks=True)
    shutil.copytree(ROOT / ".dvc/plots", repo / ".dvc/plots")
    run(["dvc", "config", "plots.html_template", "plots/offline.html"], repo)
    run(["git", "add", "-A"], repo)
    run(["git", "commit", "-qm", "baseline"], repo)
    for overrides in itertools.product(*GRID):
        run(["dvc", "exp", "run", *itertools.chain(*(("-S", o) for o in overrides))], repo)
    return repo


def experiments(repo) -> list[str]:
    shown = json.loads(run(["dvc", "exp", "show", "--json"], repo).stdout)
    return [e["name"] for rev in shown for e in (rev.get("experiments") or [])]


def table_at_120(repo, *command: str) -> tuple[list[str], str]:
    """The header cells and the text of a table rendered for a 120-column terminal."""
    text = ANSI.sub("", run(list(command) + ["--no-pager"], repo, env={"COLUMNS": "120"}).stdout)
    lines = [line for line in text.splitlines() if line.strip()]
    assert max(len(line.rstrip()) for line in lines) <= 120, text
    return lines[1].split(), text


def test_exp_show_only_changed_fits_120_columns_with_every_headline_column(swept):
    names = experiments(swept)
    assert len(names) == 4
    varying = run(["dvc", "exp", "show", "--only-changed", "--csv"], swept).stdout.splitlines()[0].split(",")
    assert HEADLINE | SWEPT <= set(varying)
    header, text = table_at_120(swept, "dvc", "exp", "show", "--only-changed")
    assert HEADLINE | SWEPT <= set(header), text  # every headline and swept column whole, none elided to "…"
    assert all(name in text for name in names)


def test_textclf_exps_puts_the_best_run_first(swept):
    header, text = table_at_120(swept, sys.executable, "-m", "textclf.cli", "exps")
    assert HEADLINE | SWEPT <= set(header) and "Created" not in header, text
    assert not [cell for cell in header if "/" in cell or cell == "…"]  # no dependency hashes
    rows = list(csv.DictReader(io.StringIO(run([sys.executable, "-m", "textclf.cli", "exps", "--csv"], swept).stdout)))
    scores = [float(row["val.acc"]) for row in rows if row["typ"] != "baseline"]
    assert len(scores) == 4 and scores == sorted(scores, reverse=True)


def test_plots_diff_compares_the_runs_and_draws_the_sweep_view(swept):
    names = experiments(swept)
    data = json.loads(run(["dvc", "plots", "diff", "--json", *names], swept).stdout)["data"]
    sweep = data["sweep"][0]["content"]["data"]["values"]
    assert {row["rev"] for row in sweep} == set(names)
    values = {param: {row["value"] for row in sweep if row["param"] == param} for param in SWEPT}
    assert values == {"model.units": {"[8]", "[8, 8]"}, "training.epochs": {"1", "2"}}
    loss = data["loss"][0]["content"]
    assert loss["encoding"]["color"]["field"] == "rev" and {r["rev"] for r in loss["data"]["values"]} == set(names)
    chromium()
    out = swept.parent / "plots"
    result = run(
        [sys.executable, str(ROOT / "scripts/check_plots_offline.py"), "--out", str(out), "--revs", *names], swept
    )
    assert "10 of 10 plots drawn offline" in result.stdout
