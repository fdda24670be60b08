"""runtime: processes and threads come from params.yaml's runtime section or the environment."""

import pytest
import yaml

from textclf.errors import ConfigError
from textclf.runtime import ENV_N_JOBS, ENV_THREADS, Runtime, load_runtime, resolve_n_jobs, threads_per_worker


@pytest.fixture
def params(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_N_JOBS, raising=False)
    monkeypatch.delenv(ENV_THREADS, raising=False)
    path = tmp_path / "params.yaml"
    path.write_text(
        yaml.safe_dump({"model": {"name": "mlp"}, "runtime": {"name": "local", "n_jobs": 3, "threads": None}})
    )
    return path


def test_params_section_then_environment(params, monkeypatch):
    assert load_runtime(params) == Runtime(n_jobs=3, threads=None)
    monkeypatch.setenv(ENV_N_JOBS, "1")
    monkeypatch.setenv(ENV_THREADS, "2")
    assert load_runtime(params) == Runtime(n_jobs=1, threads=2)


def test_defaults_without_a_section(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_N_JOBS, raising=False)
    monkeypatch.delenv(ENV_THREADS, raising=False)
    assert load_runtime(tmp_path / "absent.yaml") == Runtime()


@pytest.mark.parametrize(
    "env, value, message",
    [
        (ENV_N_JOBS, "two", "TEXTCLF_N_JOBS must be an integer. Received: TEXTCLF_N_JOBS='two'"),
        (ENV_THREADS, "0", "runtime.threads must be at least 1"),
    ],
)
def test_bad_values_are_one_line_errors(params, monkeypatch, env, value, message):
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError, match=message):
        load_runtime(params)


def test_parallel_workers_share_the_cores():
    assert resolve_n_jobs(-1) >= 1 and resolve_n_jobs(3) == 3
    assert threads_per_worker(Runtime(threads=None), 1) is None
    assert threads_per_worker(Runtime(threads=None), 2) >= 1
    assert threads_per_worker(Runtime(threads=4), 2) == 4
