"""End to end on tiny data: a parallel sweep, DVC experiments and a DVC remote in a repository copy."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run

pytestmark = pytest.mark.slow


def sweep(repo: Path, *overrides: str):
    return run([sys.executable, "-m", "textclf.sweep.runner", "-m", *overrides], repo)


def test_sweep_job_dvc_exp_run_and_dvc_repro_give_the_same_metrics(tiny_repo):
    # A misspelt -S fails before any stage runs, naming the key (DVC prints Hydra's message).
    bad = run(["dvc", "exp", "run", "-S", "model.unitz=32"], tiny_repo, check=False)
    assert bad.returncode != 0 and "model.unitz" in bad.stdout + bad.stderr
    assert not (tiny_repo / "reports/metrics.json").exists()

    # Two jobs on two joblib workers; job 0 is the default config.
    sweep(tiny_repo, "hydra/launcher=local_parallel", "training.seed=42,7")
    (sweep_dir,) = (tiny_repo / "multirun").glob("*/*")
    summary = (sweep_dir / "summary.md").read_text()
    assert "training.seed=42" in summary and "training.seed=7" in summary
    assert (sweep_dir / "summary.png").is_file() and (sweep_dir / "summary.csv").is_file()
    job = json.loads((sweep_dir / "0/result.json").read_text())
    assert job["status"] == "ok" and job["overrides"] == ["training.seed=42"]
    assert (sweep_dir / "0/models").is_dir() and (sweep_dir / "1/reports/metrics.json").is_file()
    cache = tiny_repo / ".textclf-cache"
    assert len(list((cache / "prepare").glob("[0-9a-f]*[0-9a-f]"))) == 1  # shared: built once
    assert len(list((cache / "featurize").glob("[0-9a-f]*[0-9a-f]"))) == 2  # the seed changes the split
    swept = json.loads((sweep_dir / "0/reports/metrics.json").read_text())

    run(["dvc", "exp", "run"], tiny_repo)
    via_exp = json.loads((tiny_repo / "reports/metrics.json").read_text())
    run(["dvc", "repro", "--force"], tiny_repo)
    via_repro = json.loads((tiny_repo / "reports/metrics.json").read_text())
    assert swept == via_exp == via_repro


def test_queued_grid_runs_two_at_a_time_and_exp_show_lists_it(tiny_repo):
    out = run(["dvc", "exp", "run", "--queue", "-S", "model.units=[8],[8,8]", "-S", "training.epochs=1"], tiny_repo)
    assert out.stdout.count("Queued experiment") == 2
    run(["dvc", "queue", "start", "-j", "2"], tiny_repo)
    deadline = time.time() + 600
    while time.time() < deadline:
        status = run(["dvc", "queue", "status"], tiny_repo).stdout
        if "Queued" not in status and "Running" not in status:
            break
        time.sleep(3)
    assert status.count("Success") == 2, status
    shown = json.loads(run(["dvc", "exp", "show", "--json"], tiny_repo).stdout)
    experiments = [e for rev in shown for e in (rev.get("experiments") or [])]
    units = sorted(str(e["revs"][0]["data"]["params"]["params.yaml"]["data"]["model"]["units"]) for e in experiments)
    assert units == ["[8, 8]", "[8]"]
    for e in experiments:
        assert "test" in e["revs"][0]["data"]["metrics"]["reports/metrics.json"]["data"]


def sha(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_dvc_push_and_pull_through_the_configured_remote(tiny_repo, tmp_path):
    config = (ROOT / ".dvc/config").read_text()
    remote = config[config.index("['remote \"storage\"']"):]
    (tiny_repo / ".dvc/config").write_text((tiny_repo / ".dvc/config").read_text() + remote)
    storage = tmp_path / "storage"
    run(["dvc", "remote", "modify", "--local", "storage", "url", str(storage)], tiny_repo)
    run(["dvc", "repro", "prepare"], tiny_repo)  # data stages only: no TensorFlow
    before = sha(tiny_repo / "data/prepared")
    pushed = run(["dvc", "push", "-r", "storage"], tiny_repo)
    assert "pushed" in pushed.stdout and any(storage.rglob("*"))

    run(["rm", "-rf", "data/prepared", "data/raw", ".dvc/cache"], tiny_repo)
    run(["dvc", "pull", "-r", "storage", "download", "prepare"], tiny_repo)
    assert sha(tiny_repo / "data/prepared") == before
    status = run(["dvc", "status", "download", "prepare"], tiny_repo).stdout
    assert "up to date" in status


def test_optuna_search_maximises_the_objective_the_jobs_return(tiny_repo):
    sweep(tiny_repo, "hparams_search=mlp_optuna", "hydra.sweeper.n_trials=2", "hydra.sweeper.n_jobs=1",
          "training.epochs=1")
    (sweep_dir,) = (tiny_repo / "multirun").glob("*/*")
    import yaml

    best = yaml.safe_load((sweep_dir / "optimization_results.yaml").read_text())["best_value"]
    values = [json.loads(p.read_text())["value"] for p in sweep_dir.glob("*/result.json")]
    assert len(values) == 2 and best == max(values)
    assert (sweep_dir / "summary.md").read_text().count("hparams_search=mlp_optuna") == 2
