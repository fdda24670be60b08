"""Every conf/training option composes, parses, and has every key dvc.yaml lists for a stage."""

from pathlib import Path

import pytest
import yaml

from textclf.compose import compose
from textclf.config import TrainingConfig, parse

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = sorted(p.stem for p in (ROOT / "conf/training").glob("*.yaml"))


def composed(option: str) -> dict:
    return yaml.safe_load(compose(ROOT / "conf", [f"training={option}"]))


def stage_params() -> list[str]:
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    return [p for stage in stages.values() for p in stage.get("params", []) if isinstance(p, str)]


def test_the_three_schemes_exist():
    assert {"holdout", "kfold", "repeated_kfold"} <= set(OPTIONS)


@pytest.mark.parametrize("option", OPTIONS)
def test_option_composes_to_a_valid_training_config_named_after_its_file(option):
    section = composed(option)["training"]
    config = parse(TrainingConfig, section, "training")
    assert config.name == option
    assert config.k >= 2 and config.repeats >= 1


@pytest.mark.parametrize("option", OPTIONS)
def test_every_dotted_param_in_dvc_yaml_exists_in_the_composition(option):
    params = composed(option)
    for dotted in stage_params():
        node = params
        for part in dotted.split("."):
            assert isinstance(node, dict) and part in node, f"{dotted} missing with training={option}"
            node = node[part]


def test_schemes_differ_only_where_they_should():
    holdout, kfold, repeated = (composed(o)["training"] for o in ("holdout", "kfold", "repeated_kfold"))
    assert {k for k in holdout if holdout[k] != kfold[k]} == {"name"}  # kfold: holdout's keys, k=5
    assert {k for k in kfold if kfold[k] != repeated[k]} == {"name", "repeats"}
    assert repeated["repeats"] == 2 and repeated["k"] == 5
