"""The textclf CLI and the stage entry points: one-line errors, non-zero exit, no partial output."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from textclf.cli import main


def test_compose_check_passes_on_committed_params(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    main(["compose", "--check"])
    assert "in step" in capsys.readouterr().out


def test_compose_refuses_value_overrides(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    try:
        main(["compose", "training.epochs=6", "--params", str(tmp_path / "p.yaml")])
    except SystemExit as exit_:
        assert exit_.code == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "dvc exp run -S training.epochs=6" in err
    assert not (tmp_path / "p.yaml").exists()


def test_help_does_not_import_tensorflow():
    code = (
        "import sys\nfrom textclf.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass\n"
        "assert 'tensorflow' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_download_stage_bad_checksum_is_one_line_and_writes_nothing(tmp_path):
    (tmp_path / "external").mkdir()
    (tmp_path / "external/a.csv").write_text("text,label\nhi,pos\n")
    params = {
        "dataset": {
            "name": "d",
            "files": [{"name": "a.csv", "sha256": "0" * 64, "urls": ["external/a.csv"]}],
            "splits": {"train": "a.csv"},
            "classes": ["neg", "pos"],
        }
    }
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params))
    result = subprocess.run(
        [sys.executable, "-m", "textclf.stages.download"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "checksum mismatch for external/a.csv" in errors[0] and "0" * 64 in errors[0]
    assert not Path(tmp_path / "data/raw").exists()


def test_compose_check_on_a_corrupt_params_file_says_so(capsys, tmp_path):
    (tmp_path / "p.yaml").write_text("training:\n  epochs: [4\n")
    with pytest.raises(SystemExit):
        main(["compose", "--check", "--conf", str(ROOT / "conf"), "--params", str(tmp_path / "p.yaml")])
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "p.yaml is not valid YAML (line 3, column 1" in err and err.count("\n") == 1


def test_compose_unknown_option_suggests_the_closest(capsys, tmp_path):
    with pytest.raises(SystemExit):
        main(["compose", "--conf", str(ROOT / "conf"), "--params", str(tmp_path / "p.yaml"), "model=mlpp"])
    assert capsys.readouterr().err == (
        "error: unknown option model=mlpp. Did you mean 'mlp'? Options: bilstm, cnn, fasttext, logreg, majority, mlp, "
        "nbsvm, sgd.\n"
    )
