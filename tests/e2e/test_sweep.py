"""End to end on tiny data: textclf-run jobs are DVC experiments (joblib and Dask launchers); DVC queue; a DVC remote."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run

pytestmark = pytest.mark.slow


def textclf_run(repo: Path, *overrides: str):
    return run([sys.executable, "-m", "textclf.sweep.runner", "-m", *overrides], repo)


def experiments(repo: Path) -> dict[str, dict]:
    from textclf.sweep.experiments import parse_exp_show

    return parse_exp_show(json.loads(run(["dvc", "exp", "show", "--json"], repo).stdout))


def sweep_folder(repo: Path, after: set[Path] = frozenset()) -> Path:
    (folder,) = set((repo / "multirun").glob("*/*")) - set(after)
    return folder


def results(folder: Path) -> list[dict]:
    return [
        json.loads((folder / str(job) / "result.json").read_text())
        for job in sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit())
    ]


def test_grid_jobs_are_experiments_with_the_metrics_of_dvc_exp_run(tiny_repo):
    textclf_run(tiny_repo, "model.units=[16,16],[32,32]", "training.seed=1,2", "hydra/launcher=local_parallel")
    folder = sweep_folder(tiny_repo)
    jobs = results(folder)
    assert [j["status"] for j in jobs] == ["ok"] * 4
    shown = experiments(tiny_repo)
    assert sorted(shown) == sorted(j["experiment"] for j in jobs)
    for job in jobs:
        params = shown[job["experiment"]]["params"]
        overrides = dict(o.split("=", 1) for o in job["overrides"])
        assert str(params["model.units"]).replace(" ", "") == overrides["model.units"]
        assert str(params["training.seed"]) == overrides["training.seed"]
        assert shown[job["experiment"]]["metrics"]["val.acc"] == job["value"]
    summary = (folder / "summary.md").read_text()
    assert "4 job(s), 0 failed" in summary and all(j["experiment"] in summary for j in jobs)
    assert (folder / "summary.csv").is_file() and (folder / "summary.png").is_file()

    # The same overrides through plain DVC give the same metrics. Train and evaluate run again (their
    # uncached outputs keep them out of DVC's run cache); the data stages come from the run cache.
    last = jobs[-1]
    rerun = run(["dvc", "exp", "run", *[a for o in last["overrides"] for a in ("-S", o)]], tiny_repo).stdout
    assert "Running stage 'train'" in rerun and "Stage 'featurize' is cached" in rerun
    workspace = json.loads((tiny_repo / "reports/metrics.json").read_text())
    from textclf.sweep.experiments import flatten

    swept = {k: v for k, v in shown[last["experiment"]]["metrics"].items() if k in flatten(workspace)}
    assert swept == flatten(workspace)

    # Experiments compare and keep like any other.
    diff = run(["dvc", "exp", "diff", jobs[0]["experiment"], last["experiment"], "--json"], tiny_repo).stdout
    assert "val.acc" in json.loads(diff)["metrics"]["reports/metrics.json"]
    run(["dvc", "exp", "branch", last["experiment"], "best"], tiny_repo)
    assert "best" in run(["git", "branch"], tiny_repo).stdout


def test_dask_launcher_jobs_are_experiments_with_the_metrics_of_dvc_exp_run(tiny_repo):
    # No scheduler address: the launcher starts a 2-worker local Dask cluster for the sweep.
    textclf_run(tiny_repo, "training.seed=1,2", "hydra/launcher=dask", "hydra.launcher.n_workers=2")
    folder = sweep_folder(tiny_repo)
    jobs = results(folder)
    assert [j["status"] for j in jobs] == ["ok"] * 2
    assert all(json.loads((folder / str(n) / "dask_job.json").read_text())["worker"] for n in (0, 1))
    shown = experiments(tiny_repo)
    assert sorted(shown) == sorted(j["experiment"] for j in jobs)
    for job in jobs:
        assert str(shown[job["experiment"]]["params"]["training.seed"]) == job["overrides"][0].split("=")[1]
        assert shown[job["experiment"]]["metrics"]["val.acc"] == job["value"]

    last = jobs[-1]
    run(["dvc", "exp", "run", *[a for o in last["overrides"] for a in ("-S", o)]], tiny_repo)
    from textclf.sweep.experiments import flatten

    workspace = flatten(json.loads((tiny_repo / "reports/metrics.json").read_text()))
    assert {k: v for k, v in shown[last["experiment"]]["metrics"].items() if k in workspace} == workspace


def test_a_failed_job_is_recorded_and_the_others_complete(tiny_repo):
    # 100000 validation rows cannot come out of 240 training rows: the split stage stops that job.
    textclf_run(tiny_repo, "training.val_size=60,100000", "training.epochs=1", "hydra/launcher=local_parallel")
    folder = sweep_folder(tiny_repo)
    ok, failed = results(folder)
    assert ok["status"] == "ok" and failed["status"] == "failed"
    assert "val_size" in failed["error"] and "exit code" in failed["error"]
    assert sorted(experiments(tiny_repo)) == [ok["experiment"]]
    summary = (folder / "summary.md").read_text()
    assert "2 job(s), 1 failed" in summary and f"| {failed['experiment']} | failed |" in summary


def test_optuna_trials_are_experiments(tiny_repo):
    textclf_run(
        tiny_repo,
        "hparams_search=mlp_optuna",
        "hydra.sweeper.n_trials=2",
        "training.epochs=1",
        "hydra/launcher=local_parallel",
    )
    folder = sweep_folder(tiny_repo)
    jobs = results(folder)
    shown = experiments(tiny_repo)
    assert len(jobs) == 2 and sorted(shown) == sorted(j["experiment"] for j in jobs)
    import yaml

    best = yaml.safe_load((folder / "optimization_results.yaml").read_text())
    assert best["best_value"] == max(j["value"] for j in jobs) and best["failed"] == 0
    for job in jobs:
        assert shown[job["experiment"]]["params"]["training.epochs"] == 1
        assert "hparams_search" not in json.dumps(shown[job["experiment"]]["params"])


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
    run(["dvc", "queue", "stop"], tiny_repo, check=False)
    assert status.count("Success") == 2, status
    shown = experiments(tiny_repo)
    assert sorted(str(e["params"]["model.units"]) for e in shown.values()) == ["[8, 8]", "[8]"]
    assert all("test.acc" in e["metrics"] for e in shown.values())


def sha(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_dvc_push_and_pull_through_the_configured_remote(tiny_repo, tmp_path):
    config = (ROOT / ".dvc/config").read_text()
    remote = config[config.index("['remote \"storage\"']") :]
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
