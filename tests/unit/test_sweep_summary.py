"""Sweep summary: every job with its experiment's params and metrics, best first, failed jobs listed."""

from __future__ import annotations

import json

from textclf.sweep.summary import main, read_results, summary_frame, swept_parameters, write_summary


def fake_sweep(root, values):
    """Job folders as textclf-run leaves them, and the experiments `dvc exp show` would list."""
    experiments = {}
    for job, (units, acc) in enumerate(values):
        name = f"sw-{job}"
        folder = root / str(job)
        folder.mkdir(parents=True)
        (folder / "result.json").write_text(
            json.dumps(
                {
                    "experiment": name,
                    "overrides": [f"model.units={units}", "training.epochs=2"],
                    "status": "ok",
                    "seconds": 1.5,
                    "value": acc,
                }
            )
        )
        experiments[name] = {
            "rev": f"r{job}",
            "params": {"model.units": json.loads(units), "model.name": "mlp", "training.epochs": 2},
            "metrics": {"val.acc": acc, "test.acc": acc - 0.01, "train.loss": 0.3},
        }
    failed = root / str(len(values))
    failed.mkdir()
    (failed / "result.json").write_text(
        json.dumps(
            {
                "experiment": f"sw-{len(values)}",
                "overrides": ["model.units=[1]", "training.epochs=2"],
                "status": "failed",
                "error": "bad | value (exit code 1; log: dvc.log)",
                "seconds": 0.1,
            }
        )
    )
    return root, experiments


def test_summary_lists_all_jobs_with_their_experiments_best_first(tmp_path):
    sweep, experiments = fake_sweep(tmp_path / "sweep", [("[16,16]", 0.80), ("[32,32]", 0.90), ("[8]", 0.70)])
    paths = write_summary(sweep, tmp_path, "val.acc", experiments=experiments)
    frame = summary_frame(read_results(sweep), experiments, "val.acc")
    assert list(frame["job"]) == ["1", "0", "2", "3"]  # best first, the failed job last
    assert list(frame["experiment"]) == ["sw-1", "sw-0", "sw-2", "sw-3"]
    assert list(frame["rank"]) == [1, 2, 3, 4]
    assert list(frame["model.units"])[:3] == ["[32, 32]", "[16, 16]", "[8]"]  # from the experiments' params
    markdown = paths["md"].read_text()
    assert "4 job(s), 1 failed" in markdown
    for units in ("[16,16]", "[32,32]", "[8]", "[1]"):
        assert f"model.units={units} training.epochs=2" in markdown
    assert "| sw-3 | failed |" in markdown and "bad \\| value" in markdown  # a pipe does not break the table
    header = paths["csv"].read_text().splitlines()[0]
    assert header.startswith("rank,job,experiment,status,val.acc,model.units") and "train.loss" in header
    assert paths["png"].read_bytes()[:4] == b"\x89PNG"


def test_an_experiment_removed_since_is_flagged(tmp_path):
    sweep, experiments = fake_sweep(tmp_path / "sweep", [("[16,16]", 0.80), ("[32,32]", 0.90)])
    del experiments["sw-1"]
    frame = summary_frame(read_results(sweep), experiments, "val.acc")
    row = frame[frame["experiment"] == "sw-1"].iloc[0]
    assert "not listed by `dvc exp show`" in row["error"]


def test_minimize_reverses_the_order(tmp_path):
    sweep, experiments = fake_sweep(tmp_path / "sweep", [("[16,16]", 0.80), ("[32,32]", 0.90)])
    frame = summary_frame(read_results(sweep), experiments, "val.acc", "minimize")
    assert list(frame["job"])[:2] == ["0", "1"]


def test_swept_parameters_are_the_varying_overrides(tmp_path):
    sweep, _ = fake_sweep(tmp_path / "sweep", [("[16,16]", 0.8), ("[32,32]", 0.9)])
    assert swept_parameters(read_results(sweep)) == ["model.units"]


def test_a_group_choice_shows_the_option_name(tmp_path):
    folder = tmp_path / "sweep/0"
    folder.mkdir(parents=True)
    (folder / "result.json").write_text(json.dumps({"experiment": "e", "overrides": ["model=mlp"], "status": "ok"}))
    experiments = {"e": {"rev": "r", "params": {"model.name": "mlp"}, "metrics": {"val.acc": 0.5}}}
    assert summary_frame(read_results(tmp_path / "sweep"), experiments, "val.acc")["model"][0] == "mlp"


def test_cli_reads_dvc_exp_show_and_prints_the_table(tmp_path, capsys, monkeypatch):
    sweep, experiments = fake_sweep(tmp_path / "sweep", [("[16,16]", 0.8)])
    monkeypatch.setattr("textclf.sweep.experiments.show_experiments", lambda repo: experiments)
    main([str(sweep), "--objective", "test.acc", "--repo", str(tmp_path)])
    out = capsys.readouterr().out
    assert "sorted by test.acc" in out and "sw-0" in out


def test_markdown_shows_headline_metrics_and_csv_keeps_all(tmp_path):
    folder = tmp_path / "sweep/0"
    folder.mkdir(parents=True)
    (folder / "result.json").write_text(
        json.dumps(
            {"experiment": "e", "overrides": ["training.epochs=2"], "status": "ok", "seconds": 1.0, "value": 0.9}
        )
    )
    metrics = {"val.acc": 0.9, "test.acc": 0.8, "test.per_class.pos.f1": 0.7, "train.loss": 0.3}
    experiments = {"e": {"rev": "r", "params": {"training.epochs": 2}, "metrics": metrics}}
    paths = write_summary(tmp_path / "sweep", tmp_path, "val.acc", experiments=experiments)
    table = paths["md"].read_text()
    assert "| test.acc |" in table and "per_class" not in table and "train.loss" not in table
    assert "test.per_class.pos.f1" in paths["csv"].read_text().splitlines()[0]
