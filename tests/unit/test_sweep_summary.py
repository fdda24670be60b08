"""Sweep summary: every job listed with overrides and metrics, best first; a plot per parameter."""

from __future__ import annotations

import json

from textclf.sweep.summary import main, summary_frame, swept_parameters, write_summary


def fake_sweep(root, values):
    for job, (units, acc) in enumerate(values):
        folder = root / str(job)
        folder.mkdir(parents=True)
        result = {"job": job, "overrides": [f"model.units={units}", "training.epochs=2"], "status": "ok",
                  "seconds": 1.5, "metrics": {"val.acc": acc, "test.acc": acc - 0.01}}
        (folder / "result.json").write_text(json.dumps(result))
    failed = root / str(len(values))
    failed.mkdir()
    (failed / "result.json").write_text(json.dumps(
        {"job": len(values), "overrides": ["model.units=[1]", "training.epochs=2"], "status": "failed",
         "error": "ConfigError: bad | value", "seconds": 0.1}))
    return root


def test_summary_lists_all_jobs_sorted_by_objective(tmp_path):
    sweep = fake_sweep(tmp_path / "sweep", [("[16,16]", 0.80), ("[32,32]", 0.90), ("[8]", 0.70)])
    paths = write_summary(sweep, "val.acc")
    frame = summary_frame(json_results(sweep), "val.acc")
    assert list(frame["job"]) == ["1", "0", "2", "3"]  # best first, the failed job last
    assert list(frame["rank"]) == [1, 2, 3, 4]
    markdown = paths["md"].read_text()
    for units in ("[16,16]", "[32,32]", "[8]", "[1]"):
        assert f"model.units={units} training.epochs=2" in markdown
    assert "bad \\| value" in markdown  # a pipe in a cell does not break the table
    assert paths["csv"].read_text().splitlines()[0].startswith("rank,job,status,val.acc,model.units")
    assert paths["png"].read_bytes()[:4] == b"\x89PNG"


def test_minimize_reverses_the_order(tmp_path):
    sweep = fake_sweep(tmp_path / "sweep", [("[16,16]", 0.80), ("[32,32]", 0.90)])
    frame = summary_frame(json_results(sweep), "val.acc", "minimize")
    assert list(frame["job"])[:2] == ["0", "1"]


def test_swept_parameters_are_the_varying_overrides(tmp_path):
    sweep = fake_sweep(tmp_path / "sweep", [("[16,16]", 0.8), ("[32,32]", 0.9)])
    assert swept_parameters(json_results(sweep)) == ["model.units"]


def test_cli_prints_the_table(tmp_path, capsys):
    sweep = fake_sweep(tmp_path / "sweep", [("[16,16]", 0.8)])
    main([str(sweep), "--objective", "test.acc"])
    assert "sorted by test.acc" in capsys.readouterr().out


def json_results(sweep):
    from textclf.sweep.summary import read_results

    return read_results(sweep)


def test_markdown_shows_headline_metrics_and_csv_keeps_all(tmp_path):
    folder = tmp_path / "sweep/0"
    folder.mkdir(parents=True)
    metrics = {"val.acc": 0.9, "test.acc": 0.8, "test.per_class.pos.f1": 0.7, "train.loss": 0.3}
    (folder / "result.json").write_text(json.dumps(
        {"job": 0, "overrides": ["training.epochs=2"], "status": "ok", "seconds": 1.0, "metrics": metrics}))
    paths = write_summary(tmp_path / "sweep")
    header = paths["md"].read_text().split("\n")[4]
    assert header == "| rank | job | status | val.acc | training.epochs | overrides | test.acc | seconds |"
    assert "test.per_class.pos.f1" in paths["csv"].read_text().splitlines()[0]
