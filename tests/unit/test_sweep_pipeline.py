"""The sweep runner's view of dvc.yaml: stage order, shared data stages, per-job model stages."""

from __future__ import annotations

import pytest

from textclf.errors import ConfigError
from textclf.sweep.pipeline import link_inputs, param_values, read_stages, split_shared
from tests.conftest import ROOT


def test_repository_pipeline_splits_into_data_and_model_stages():
    stages = read_stages(ROOT / "dvc.yaml")
    shared, per_job = split_shared(stages)
    assert [s.name for s in shared][-1] == "featurize"
    assert {"download", "prepare", "split", "featurize"} <= {s.name for s in shared}
    assert [s.name for s in per_job][:1] == ["train"] and "evaluate" in [s.name for s in per_job]
    evaluate = next(s for s in per_job if s.name == "evaluate")
    assert "reports/metrics.json" in evaluate.metrics
    for stage in stages:
        assert stage.module.startswith("textclf.stages.")


def test_model_parameters_never_key_a_data_stage():
    shared, _ = split_shared(read_stages(ROOT / "dvc.yaml"))
    for stage in shared:
        assert not any(p == "model" or p.startswith("model.") for p in stage.params), stage


def test_param_values_reads_sections_and_dotted_keys():
    params = {"training": {"seed": 1, "epochs": 4}, "features": {"name": "multihot"}}
    assert param_values(params, ("training.seed", "features", "training.nope")) == {
        "training.seed": 1, "features": {"name": "multihot"}, "training.nope": None}


def test_a_command_that_is_not_a_python_module_is_refused(tmp_path):
    (tmp_path / "dvc.yaml").write_text("stages:\n  train:\n    cmd: bash train.sh\n")
    with pytest.raises(ConfigError, match="stage train: cmd must be `python -m"):
        read_stages(tmp_path / "dvc.yaml")


def test_link_inputs_links_upstream_outputs_and_repository_data_not_code(tmp_path):
    repo, entry, work = tmp_path / "repo", tmp_path / "entry", tmp_path / "work"
    (repo / "external").mkdir(parents=True)
    (repo / "conf").mkdir()
    (entry / "data/prepared").mkdir(parents=True)
    work.mkdir()
    stage = next(s for s in read_stages(ROOT / "dvc.yaml") if s.name == "download")
    link_inputs(stage, work, repo, {})
    assert (work / "external").resolve() == (repo / "external").resolve()
    assert not (work / "conf").exists() and not (work / "src").exists()
    featurize = next(s for s in read_stages(ROOT / "dvc.yaml") if s.name == "featurize")
    link_inputs(featurize, work, repo, {"data/prepared": entry})
    assert (work / "data/prepared").resolve() == (entry / "data/prepared").resolve()


def test_top_level_metrics_are_read_too(tmp_path):
    from textclf.sweep.pipeline import top_level_metrics

    (tmp_path / "dvc.yaml").write_text("stages: {}\nmetrics:\n  - dvclive/metrics.json\n")
    assert top_level_metrics(tmp_path / "dvc.yaml") == ("dvclive/metrics.json",)
    assert all(m.endswith(".json") for m in top_level_metrics(ROOT / "dvc.yaml"))
