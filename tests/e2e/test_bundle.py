"""End to end: `dvc repro` writes bundle/, which reproduces the evaluate stage's test metrics exactly,
is fetched with `dvc artifacts get`, and is served over HTTP on 127.0.0.1."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import numpy as np
import pandas as pd
import pytest
import yaml

from tests.conftest import ROOT, load_script, make_bundle, run
from tests.e2e.test_kfold import use_kfold
from textclf import load_bundle

check_bundle = load_script("check_bundle")


def check(repo):
    return check_bundle.check(
        repo / "bundle",
        repo / "data/prepared",
        repo / "data/features",
        repo / "data/predictions.parquet",
        repo / "reports/metrics_details.json",
    )


def lock_hashes(repo, paths):
    lock = yaml.safe_load((repo / "dvc.lock").read_text())
    outs = {o["path"]: o["md5"] for stage in lock["stages"].values() for o in stage.get("outs", [])}
    return {p: outs[p] for p in paths}


def test_repro_writes_a_bundle_that_reproduces_evaluate_and_is_a_dvc_artifact(reproduced_repo, tmp_path):
    result = check(reproduced_repo)
    assert result["metrics_equal"], result["differing_metrics"]
    assert result["max_abs_output_diff"] == 0.0 and result["fits"] == ["holdout"]
    card = json.loads((reproduced_repo / "bundle/card.json").read_text())
    assert card["data_hashes"] == lock_hashes(reproduced_repo, ["data/raw", "data/prepared", "data/split"])
    assert card["metrics"] == json.loads((reproduced_repo / "reports/metrics_details.json").read_text())
    assert card["model"]["framework"] == "keras" and card["config"]["model"]["name"] == "mlp"

    # The CLI on the raw test texts: the same probabilities as data/predictions.parquet, and a quiet stderr.
    test = pd.read_parquet(reproduced_repo / "data/prepared/test.parquet")
    (tmp_path / "test.jsonl").write_text("".join(json.dumps({"text": t}) + "\n" for t in test["raw_text"]))
    cli = run(["textclf", "predict", "--input", str(tmp_path / "test.jsonl"), "--format", "jsonl"], reproduced_repo)
    assert cli.stderr == ""  # no TensorFlow banners, no progress bar off a terminal
    probabilities = np.array([json.loads(line)["probabilities"]["pos"] for line in cli.stdout.splitlines()])
    predictions = pd.read_parquet(reproduced_repo / "data/predictions.parquet")
    assert np.array_equal(probabilities, predictions[predictions["split"] == "test"].sort_values("row")["p_1"])

    assert "Data and pipelines are up to date" in run(["dvc", "repro"], reproduced_repo).stdout

    # Registered as a version (a GTO tag), the artifact is fetched by name.
    run(["git", "add", "-A"], reproduced_repo)
    run(["git", "commit", "-qm", "run"], reproduced_repo)
    run(["git", "tag", "-a", "text-classifier@v0.1.0", "-m", "first model"], reproduced_repo)
    run(["dvc", "artifacts", "get", str(reproduced_repo), "text-classifier", "-o", str(tmp_path / "fetched")], tmp_path)
    fetched = load_bundle(tmp_path / "fetched").predict(test["raw_text"].tolist())
    assert np.array_equal(fetched.probabilities[:, 1], probabilities)


@pytest.mark.slow
def test_kfold_without_refit_bundles_the_fold_ensemble_evaluate_scored(tiny_repo):
    use_kfold(tiny_repo, k=3, refit="false")
    run(["dvc", "repro"], tiny_repo)
    result = check(tiny_repo)
    assert result["fits"] == ["fold_0", "fold_1", "fold_2"]
    assert result["metrics_equal"], result["differing_metrics"]
    assert result["max_abs_output_diff"] < 1e-12  # mean of 3 outputs: numpy vs pandas summation order
    card = json.loads((tiny_repo / "bundle/card.json").read_text())
    assert card["model"]["combine"] == "mean of the 3 fold models' outputs"
    assert any("No refit" in limit for limit in card["limits"])
    assert "cv" in card["metrics"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_uvicorn_serves_the_bundle_on_loopback(tmp_path):
    bundle = make_bundle(tmp_path)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(
        [sys.executable, "-m", "textclf.cli", "serve", "--bundle", str(bundle), "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.stderr.read()
            try:
                if request(f"{base}/health") == (200, {"status": "ok", "model": "tiny-logreg"}):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "server did not come up in 120 s"
            time.sleep(0.5)
        for _ in range(3):
            status, body = request(f"{base}/predict", {"texts": ["great wonderful film", "awful boring mess"]})
            assert status == 200 and [p["label"] for p in body["predictions"]] == ["pos", "neg"]
        assert request(f"{base}/predict", {"texts": []})[0] == 422
        assert request(f"{base}/metadata")[1]["name"] == "tiny-logreg"
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
    assert err.count("textclf serve: loaded tiny-logreg") == 1  # loaded once, before the first request
    assert "Traceback" not in err


REVIEWS = {"这家酒店服务很好，房间干净": "positive", "房间又小又脏，服务态度很差": "negative"}


@pytest.mark.slow
def test_chnsenticorp_bundle_labels_two_hotel_reviews_from_cli_python_and_http(tiny_repo):
    """The real corpus with the default config (about 2 minutes): jieba and its stop words travel in the bundle."""
    import shutil

    from fastapi.testclient import TestClient

    from textclf.predict.serve import create_app

    shutil.copytree(ROOT / "external/chnsenticorp", tiny_repo / "external/chnsenticorp")
    shutil.copy(ROOT / "conf/training/holdout.yaml", tiny_repo / "conf/training/holdout.yaml")  # not the tiny one
    run(["textclf", "compose"], tiny_repo)
    run(["git", "add", "-A"], tiny_repo)
    run(["git", "commit", "-qm", "real holdout"], tiny_repo)
    run(["dvc", "exp", "run", "-S", "dataset=chnsenticorp", "-S", "text=jieba"], tiny_repo)
    result = check(tiny_repo)
    assert result["metrics_equal"] and result["max_abs_output_diff"] == 0.0 and result["test_rows"] == 1553
    assert (tiny_repo / "bundle/text/stopwords.txt").is_file()

    texts = list(REVIEWS)
    cli = run(["textclf", "predict", *texts, "--format", "jsonl"], tiny_repo)
    assert [json.loads(line)["label"] for line in cli.stdout.splitlines()] == list(REVIEWS.values())
    bundle = load_bundle(tiny_repo / "bundle")
    assert bundle.predict(texts).labels == list(REVIEWS.values())
    response = TestClient(create_app(bundle)).post("/predict", json={"texts": texts})
    assert [p["label"] for p in response.json()["predictions"]] == list(REVIEWS.values())
