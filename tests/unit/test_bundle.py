"""The bundle: verified loading (sha256, version, safe formats) and prediction with training's own code."""

import json
import pickle
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import textclf
from tests.conftest import make_bundle
from tests.unit.test_saved import RunsCode
from textclf.errors import DataError
from textclf.features.fit import load_fit
from textclf.io import write_json
from textclf.models.saved import load_saved
from textclf.predict.bundle import load_bundle
from textclf.predict.export import dvc_md5
from textclf.predict.manifest import MANIFEST, build_manifest


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """(run folder, bundle folder) of a fast scikit-learn run."""
    folder = tmp_path_factory.mktemp("run")
    return folder, make_bundle(folder)


@pytest.fixture
def bundle_copy(made, tmp_path):
    return shutil.copytree(made[1], tmp_path / "bundle")


def test_predicts_the_test_split_exactly_as_the_pipeline(made):
    run, path = made
    bundle = textclf.load_bundle(path)
    test = pd.read_parquet(run / "data/prepared/test.parquet")
    fold = load_fit(run / "data/features/holdout")
    pipeline = load_saved(run / "models/holdout", 2).predict_output(fold["X_test"])
    result = bundle.predict(test["raw_text"].tolist())
    assert np.array_equal(result.probabilities, pipeline)
    assert result.labels == [["neg", "pos"][k] for k in pipeline.argmax(axis=1)]
    assert (np.array(result.labels) == np.where(test["label"] == 1, "pos", "neg")).mean() > 0.8


def test_result_forms_and_card(made):
    bundle = load_bundle(made[1])
    result = bundle.predict(["A great, wonderful film.", "Awful and boring."])
    assert result.labels == ["pos", "neg"] and result.probabilities.shape == (2, 2) and result.values is None
    record = result.records()[0]
    assert set(record) == {"label", "probabilities"} and list(record["probabilities"]) == ["neg", "pos"]
    assert sum(record["probabilities"].values()) == pytest.approx(1)
    assert bundle.card["task"] == "binary" and bundle.card["model"]["fits"] == ["holdout"]
    assert bundle.card["data_hashes"] == {str(made[0] / "data/prepared"): dvc_md5(made[0] / "data/prepared")}
    readme = (made[1] / "README.md").read_text()
    for section in ("## Intended use", "## Limits", "## Metrics", "## Data", "## Config", "## Trust"):
        assert section in readme


def test_no_texts_give_no_predictions(made):
    result = load_bundle(made[1]).predict([])
    assert result.outputs.shape == (0, 2) and result.labels == []


def test_a_regression_bundle_predicts_values(tmp_path, capsys):
    from textclf.cli import main

    bundle = load_bundle(make_bundle(tmp_path, model="majority", regression=True))
    result = bundle.predict(["great film", "awful film"])
    assert bundle.task == "regression" and result.labels is None and result.probabilities is None
    assert result.values.shape == (2,) and result.records()[0] == {"value": pytest.approx(result.values[0])}
    assert "Predicted values are not clipped" in (tmp_path / "bundle/README.md").read_text()
    main(["predict", "--bundle", str(tmp_path / "bundle"), "great film"])
    header, row = capsys.readouterr().out.splitlines()
    assert header == "value,text" and float(row.split(",")[0]) == pytest.approx(result.values[0])


@pytest.mark.parametrize(
    "texts, message",
    [
        ("one string", "takes a list of texts"),
        ([""], "text 1 is empty"),
        (["ok", "  \n"], "text 2 is empty"),
        (["ok", 3], "text 2 is a int"),
    ],
)
def test_empty_or_wrong_texts_are_refused(made, texts, message):
    with pytest.raises(DataError, match=message):
        load_bundle(made[1]).predict(texts)


def test_an_altered_file_is_refused(bundle_copy):
    vectorizer = bundle_copy / "fits/holdout/vectorizer.json"
    vectorizer.write_text(vectorizer.read_text().replace('"great"', '"grate"'))
    with pytest.raises(DataError, match="vectorizer.json was altered: sha256"):
        load_bundle(bundle_copy)


def test_a_missing_file_is_refused(bundle_copy):
    (bundle_copy / "fits/holdout/model.skops").unlink()
    with pytest.raises(DataError, match="model.skops is missing"):
        load_bundle(bundle_copy)


def test_another_textclf_version_is_refused(bundle_copy):
    manifest = json.loads((bundle_copy / MANIFEST).read_text())
    (bundle_copy / MANIFEST).write_text(json.dumps({**manifest, "textclf_version": "0.0.1"}))
    with pytest.raises(DataError, match=f"written by textclf 0.0.1.*this is textclf {textclf.__version__}"):
        load_bundle(bundle_copy)


@pytest.mark.parametrize("make", ["no folder", "no manifest", "bad manifest", "outside path"])
def test_not_a_bundle_is_one_clear_error(bundle_copy, tmp_path, make):
    target = bundle_copy
    if make == "no folder":
        target = tmp_path / "nothing"
    elif make == "no manifest":
        (bundle_copy / MANIFEST).unlink()
    elif make == "bad manifest":
        (bundle_copy / MANIFEST).write_text("{")
    else:
        manifest = json.loads((bundle_copy / MANIFEST).read_text())
        manifest["files"]["../secret"] = "0" * 64
        (bundle_copy / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(DataError):
        load_bundle(target)


def test_unlisted_files_are_never_loaded(bundle_copy, tmp_path):
    marker = tmp_path / "pwned"
    (bundle_copy / "fits/holdout/model.joblib").write_bytes(pickle.dumps(RunsCode(marker)))
    assert load_bundle(bundle_copy).predict(["fine film"]).labels
    assert not marker.exists()


def test_a_rewritten_manifest_still_cannot_make_loading_run_code(bundle_copy, tmp_path):
    """A malicious author can list any file; the formats still refuse code (pickle is never read)."""
    marker = tmp_path / "pwned"
    (bundle_copy / "fits/holdout/model.skops").unlink()
    (bundle_copy / "fits/holdout/model.joblib").write_bytes(pickle.dumps(RunsCode(marker)))
    write_json(build_manifest(bundle_copy), bundle_copy / MANIFEST)
    with pytest.raises(DataError, match="loads only model.skops and model.keras"):
        load_bundle(bundle_copy)
    assert not marker.exists()


def test_a_scikit_learn_bundle_never_imports_tensorflow(made):
    code = (
        f"import sys, textclf\nb = textclf.load_bundle({str(made[1])!r})\nb.predict(['great film'])\n"
        "assert not any(m.split('.')[0] in ('tensorflow', 'keras') for m in sys.modules), 'TF imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
