"""Config paths resolve inside the repository, under external/; outside files get the DVC way in."""

import os
from pathlib import Path

import pytest

from textclf.errors import ConfigError
from textclf.paths import output_path, raw_name, repo_file


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "repo/external/sub").mkdir(parents=True)
    (tmp_path / "repo/data").mkdir()
    return tmp_path / "repo"


@pytest.mark.parametrize("value", ["external/a.csv", "external/sub/b.csv", "./external/x/../a.csv", "external"])
def test_paths_under_external_are_returned_relative(repo, value):
    assert repo_file(value, "dataset.path", repo) == Path(os.path.normpath(value))


def test_absolute_path_inside_is_accepted(repo):
    assert repo_file(str(repo / "external/a.csv"), "dataset.path", repo) == Path("external/a.csv")


@pytest.mark.parametrize("value", ["../../escaped.csv", "external/../../escaped.csv", "/etc/passwd", "~/data.csv"])
def test_outside_the_repository_is_one_error_with_the_dvc_commands(repo, value):
    with pytest.raises(ConfigError) as info:
        repo_file(value, "dataset.path", repo)
    message = str(info.value)
    assert message.startswith(f"dataset.path={value} is outside the repository")
    assert "dvc import-url" in message and "dvc add external/" in message and "\n" not in message


def test_inside_the_repository_but_not_under_external_says_where_to_move_it(repo):
    with pytest.raises(
        ConfigError,
        match=r"dataset\.path=data/mine\.csv is not under external/.*"
        r"set dataset\.path=external/mine\.csv",
    ):
        repo_file("data/mine.csv", "dataset.path", repo)


def test_a_link_under_external_is_accepted_because_dvc_hashes_its_target(repo, tmp_path):
    (tmp_path / "cache.csv").write_text("x")  # e.g. DVC's cache outside the repository, linked in
    (repo / "external/link.csv").symlink_to(tmp_path / "cache.csv")
    assert repo_file("external/link.csv", "dataset.path", repo) == Path("external/link.csv")


@pytest.mark.parametrize("name", ["../../../escaped.csv", "/tmp/x.csv", "a/../../x", "", "C:\\x.csv"])
def test_raw_file_names_stay_in_the_download_folder(name):
    with pytest.raises(ConfigError, match=r"dataset\.files\[0\]\.name must be a file name inside data/raw"):
        raw_name(name, "dataset.files[0].name")


def test_plain_and_nested_raw_names_are_fine():
    assert raw_name("data.csv", "k") == "data.csv" and raw_name("a/b.csv", "k") == "a/b.csv"


def test_output_folders_stay_inside_the_repository(repo):
    assert output_path("reports/tensorboard", "training.tensorboard", repo) == Path("reports/tensorboard")
    with pytest.raises(
        ConfigError, match=r"training\.tensorboard=\.\./tb is outside the repository .*writes only inside"
    ):
        output_path("../tb", "training.tensorboard", repo)
