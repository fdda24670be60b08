"""End to end: `dvc repro` with training=kfold (parallel folds, refit) on the tiny fixture."""

import json
import shutil
import sys

import pandas as pd
import pytest

from tests.conftest import ROOT, run

pytestmark = pytest.mark.slow


def use_kfold(repo, **values):
    """Select training=kfold with ``values`` set in conf/training/kfold.yaml, and recompose params.yaml."""
    kfold = repo / "conf/training/kfold.yaml"
    lines = [line for line in kfold.read_text().splitlines() if line.split(":")[0] not in values]
    kfold.write_text("\n".join(lines + [f"{k}: {v}" for k, v in values.items()]) + "\n")
    run([sys.executable, "-m", "textclf.cli", "compose", "training=kfold"], repo)


def set_runtime(repo, n_jobs, threads, chunk_rows="null"):
    (repo / "conf/runtime/local.yaml").write_text(
        f"name: local\nn_jobs: {n_jobs}\nthreads: {threads}\nchunk_rows: {chunk_rows}\n"
    )
    run([sys.executable, "-m", "textclf.cli", "compose", "training=kfold"], repo)


def test_kfold_repro_reports_folds_spread_and_refit_test(tiny_repo):
    shutil.copytree(ROOT / ".dvc/plots", tiny_repo / ".dvc/plots")
    use_kfold(tiny_repo, refit="true", k=3)
    set_runtime(tiny_repo, n_jobs=2, threads="null")  # folds in 2 worker processes; whole splits in memory
    run(["dvc", "repro"], tiny_repo)

    folds = pd.read_csv(tiny_repo / "data/split/folds.csv")
    assert list(folds.columns) == ["repeat_0"] and sorted(folds["repeat_0"].unique()) == [0, 1, 2]
    fits = [f"fold_{i}" for i in range(3)] + ["full"]
    assert json.loads((tiny_repo / "data/features/fits.json").read_text()) == fits
    assert sorted(p.name for p in (tiny_repo / "models").iterdir()) == sorted(fits)
    history = pd.read_csv(tiny_repo / "reports/plots/history.csv")
    assert history["fold"].unique().tolist() == fits

    details = json.loads((tiny_repo / "reports/metrics_details.json").read_text())
    assert set(details) == {"val", "test", "cv"}
    assert set(details["cv"]["folds"]) == set(fits[:-1])
    for name in ("accuracy", "f1_macro", "log_loss", "roc_auc"):
        stats = details["cv"][name]
        scores = [fold[name] for fold in details["cv"]["folds"].values()]
        assert stats["min"] == min(scores) and stats["max"] == max(scores)
        assert stats["mean"] == pytest.approx(sum(scores) / 3, abs=1e-4)
    metrics = json.loads((tiny_repo / "reports/metrics.json").read_text())  # headline: cv mean/std, test
    assert set(metrics) == {"cv", "test"} and metrics["cv"]["acc"] == {
        "mean": details["cv"]["accuracy"]["mean"],
        "std": details["cv"]["accuracy"]["std"],
    }
    assert metrics["cv"]["acc"]["mean"] > 0.7 and metrics["test"]["acc"] > 0.7
    scores = pd.read_csv(tiny_repo / "reports/plots/cv/fold_scores.csv")
    assert set(scores["fold"]) == set(fits[:-1]) and set(scores["metric"]) == {"acc", "f1"}
    shown = json.loads(run(["dvc", "plots", "show", "--json"], tiny_repo).stdout)["data"]
    assert {"loss", "fold_val_loss", "fold_val_accuracy", "fold_scores", "sweep"} <= set(shown)
    curves = shown["fold_val_loss"][0]["content"]
    assert curves["spec"]["encoding"]["color"]["field"] == "fold" and curves["facet"]["field"] == "rev"
    assert {row["fold"] for row in curves["data"]["values"]} == set(fits)
    loss = shown["loss"][0]["content"]  # one line per fold (no zig-zag through all folds), whole epochs
    assert loss["encoding"]["detail"]["field"] == "fold" and loss["encoding"]["x"]["axis"]["format"] == "d"

    assert "Data and pipelines are up to date" in run(["dvc", "repro"], tiny_repo).stdout
    assert json.loads((tiny_repo / "bundle/card.json").read_text())["model"]["fits"] == ["full"]  # the refit

    # Processes, threads and chunk sizes are runtime knobs: changing them reruns nothing and changes
    # no output (here prepare and featurize stream 50 rows at a time instead of whole splits).
    lock, metrics_bytes = (tiny_repo / "dvc.lock").read_text(), (tiny_repo / "reports/metrics.json").read_bytes()
    set_runtime(tiny_repo, n_jobs=1, threads=1, chunk_rows=50)
    assert "Data and pipelines are up to date" in run(["dvc", "status"], tiny_repo).stdout
    run(["dvc", "repro", "--force"], tiny_repo)
    assert (tiny_repo / "dvc.lock").read_text() == lock  # every output hash, models and predictions included
    assert (tiny_repo / "reports/metrics.json").read_bytes() == metrics_bytes

    # Changing k reruns split and everything after it, not prepare; epochs reruns train on.
    run(["git", "add", "-A"], tiny_repo)
    run(["git", "commit", "-qm", "kfold"], tiny_repo)
    out = run(["dvc", "exp", "run", "-S", "training=kfold", "-S", "training.k=2"], tiny_repo).stdout
    assert "Running stage 'split'" in out and "Running stage 'train'" in out
    assert "Running stage 'prepare'" not in out
    details = json.loads((tiny_repo / "reports/metrics_details.json").read_text())
    assert set(details["cv"]["folds"]) == {"fold_0", "fold_1"}
    out = run(
        ["dvc", "exp", "run", "-S", "training=kfold", "-S", "training.k=2", "-S", "training.epochs=2"], tiny_repo
    ).stdout
    assert "Running stage 'train'" in out and "Running stage 'evaluate'" in out
    assert "Running stage 'split'" not in out and "Running stage 'featurize'" not in out


def test_impossible_k_fails_in_the_split_stage_before_training(tiny_repo):
    use_kfold(tiny_repo, k=500)
    result = run(["dvc", "repro"], tiny_repo, check=False)
    assert result.returncode != 0
    assert "error: training.k=500 is larger than the smallest class" in result.stderr
    assert not (tiny_repo / "data/features").exists() and not (tiny_repo / "models").exists()
