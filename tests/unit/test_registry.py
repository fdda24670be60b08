"""registry: names, keyword validation, suggestions."""

import pytest

from textclf.errors import ConfigError
from textclf.registry import Registry


@pytest.fixture
def things():
    registry = Registry("model")

    @registry.register("mlp")
    def build_mlp(n_features, *, units=(16, 16), activation="relu"):
        return (n_features, tuple(units), activation)

    return registry


def test_build_passes_runtime_args_and_config_keys(things):
    assert things.build({"name": "mlp", "units": [32]}, 10) == (10, (32,), "relu")


def test_unknown_name_suggests_nearest(things):
    with pytest.raises(ConfigError, match="unknown model 'mpl'. Did you mean 'mlp'"):
        things.get("mpl")


def test_unknown_key_lists_valid_keys(things):
    with pytest.raises(ConfigError, match=r"model.unitz .*Did you mean 'units'\? Valid keys: activation, units"):
        things.build({"name": "mlp", "unitz": 32}, 10)


def test_runtime_args_are_not_config_keys(things):
    assert things.hyperparameters("mlp") == {"units": (16, 16), "activation": "relu"}


def test_duplicate_registration_is_refused(things):
    with pytest.raises(ValueError, match="registered twice"):
        things.register("mlp")(lambda: None)
