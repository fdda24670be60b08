"""conf/ -> params.yaml: the committed file is a fresh composition; every option composes and builds."""

from pathlib import Path

import pytest
import yaml

from textclf.compose import check_in_step, compose
from textclf.config import dataset_config, training_config
from textclf.errors import ConfigError
from textclf.features import VECTORIZERS
from textclf.models import MODELS
from textclf.text import TOKENIZERS

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "conf"
BUILDERS = {"text": TOKENIZERS, "features": VECTORIZERS, "model": MODELS}


def options(group: str) -> list[str]:
    return sorted(p.stem for p in (CONF / group).glob("*.yaml"))


def test_committed_params_equal_fresh_composition():
    assert (ROOT / "params.yaml").read_text() == compose(CONF), "run `textclf compose` and commit params.yaml"


def test_textclf_compose_matches_dvc_hydra_integration(tmp_path):
    from dvc.utils.hydra import compose_and_dump

    out = tmp_path / "params.yaml"
    compose_and_dump(out, str(CONF), None, "config", str(tmp_path), ["model=mlp"])
    assert out.read_text() == compose(CONF, ["model=mlp"])


@pytest.mark.parametrize("group", sorted(BUILDERS))
def test_every_option_is_named_after_its_file_and_its_keys_are_settings(group):
    for option in options(group):
        section = yaml.safe_load(compose(CONF, [f"{group}={option}"]))[group]
        assert section["name"] == option, f"conf/{group}/{option}.yaml must have name: {option}"
        BUILDERS[group].check(section)  # raises on a key the builder does not take


@pytest.mark.parametrize("option", options("text"))
def test_every_text_option_builds_a_tokenizer_that_tokenizes(option, monkeypatch):
    monkeypatch.chdir(ROOT)  # bundled stop-word lists are read from the repository root
    section = yaml.safe_load(compose(CONF, [f"text={option}"]))["text"]
    tokens = TOKENIZERS.build(section)("A <b>great</b> movie! 这部电影 非常 好看")
    assert tokens and all(isinstance(t, str) and t.strip() for t in tokens)
    # Features and models are built and fitted one step per option in tests/configs/test_models.py.


@pytest.mark.parametrize("option", options("dataset"))
def test_every_dataset_validates(option):
    path = yaml.safe_load((CONF / "dataset" / f"{option}.yaml").read_text()).get("path", "unused")
    ds = dataset_config(
        yaml.safe_load(compose(CONF, [f"dataset={option}"] + (["dataset.path=external/x"] if path is None else [])))
    )
    assert ds.name == option and ds.files and ds.splits


@pytest.mark.parametrize("option", options("training"))
def test_every_training_scheme_validates(option):
    assert training_config(yaml.safe_load(compose(CONF, [f"training={option}"]))).name == option


def test_misspelt_override_suggests_valid_key():
    with pytest.raises(ConfigError, match=r"unknown key model\.unitz\. Did you mean 'units'\?"):
        compose(CONF, ["model.unitz=32"])


def test_stale_params_are_refused_with_the_drifted_key(tmp_path):
    params = yaml.safe_load(compose(CONF))
    params["training"]["epochs"] = 99
    with pytest.raises(ConfigError, match=r"out of step with conf/: training\.epochs \(params\.yaml: 99, conf/: 4\)"):
        check_in_step(params, CONF, tmp_path / "params.yaml")


def test_group_choices_in_params_are_in_step():
    params = yaml.safe_load(compose(CONF, ["model=mlp"]))
    check_in_step(params, CONF, ROOT / "params.yaml")


@pytest.mark.parametrize("option", options("experiment"))
def test_every_experiment_composes_is_in_step_and_builds(option):
    from textclf.models.registry import check_features

    params = yaml.safe_load(compose(CONF, [f"experiment={option}"]))
    assert params["experiment"] == option, f"conf/experiment/{option}.yaml must set `experiment: {option}`"
    check_in_step(params, CONF, ROOT / "params.yaml")  # `textclf compose experiment=X && dvc repro` works
    check_features(params["model"], params["features"])
    dataset_config(params), training_config(params)
    for group, registry in BUILDERS.items():
        registry.check(params[group])


def test_experiment_values_drifting_from_conf_are_caught():
    params = yaml.safe_load(compose(CONF, [f"experiment={options('experiment')[0]}"]))
    params["training"]["batch_size"] += 1
    with pytest.raises(ConfigError, match="training.batch_size"):
        check_in_step(params, CONF, ROOT / "params.yaml")
