"""`textclf serve`: the FastAPI app (TestClient, in process) answers good requests and refuses bad ones."""

import json

import pytest
from fastapi.testclient import TestClient

from tests.conftest import make_bundle
from textclf.predict.bundle import load_bundle
from textclf.predict.serve import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    bundle = load_bundle(make_bundle(tmp_path_factory.mktemp("run")))
    return TestClient(create_app(bundle, max_texts=3, max_chars=50, max_body_mb=0.001))


def test_health_and_metadata(client):
    assert client.get("/health").json() == {"status": "ok", "model": "tiny-logreg"}
    meta = client.get("/metadata").json()
    assert meta["classes"] == ["neg", "pos"] and meta["task"] == "binary" and meta["metrics"]["test"]["accuracy"] == 1.0
    assert meta["intended_use"] and meta["limits"] and meta["server"]["max_texts"] == 3


def test_predict_a_batch_in_order(client):
    response = client.post("/predict", json={"texts": ["great wonderful film", "awful boring mess"]})
    assert response.status_code == 200
    body = response.json()
    assert body["model"] == "tiny-logreg" and [p["label"] for p in body["predictions"]] == ["pos", "neg"]
    assert set(body["predictions"][0]["probabilities"]) == {"neg", "pos"}


@pytest.mark.parametrize(
    "body, status, message",
    [
        ('{"texts": ["ok"', 400, "the body is not JSON"),
        ('["just", "a", "list"]', 422, 'must be a JSON object {"texts"'),
        ('{"text": "singular"}', 422, 'must be a JSON object {"texts"'),
        ('{"texts": "not a list"}', 422, 'must be a JSON object {"texts"'),
        ('{"texts": []}', 422, "texts is empty"),
        ('{"texts": ["ok", 7]}', 422, "texts[1] is 7, not a string"),
        ('{"texts": ["ok", "  "]}', 422, "texts[1] is empty or blank"),
        ('{"texts": ["a", "b", "c", "d"]}', 413, "4 texts in one request; at most 3"),
        (json.dumps({"texts": ["x" * 51]}), 413, "texts[0] has 51 characters; at most 50"),
        ('{"texts": ["fine"]' + " " * 2000 + "}", 413, "request body over 1048 bytes"),
    ],
)
def test_bad_requests_get_a_4xx_with_one_clear_message(client, body, status, message):
    response = client.post("/predict", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert message in response.json()["detail"]


def test_a_streamed_body_without_length_is_cut_at_the_limit(client):
    response = client.post(
        "/predict", content=(b" " * 600 for _ in range(3)), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413 and "request body over" in response.json()["detail"]


def test_openapi_documents_the_request_body(client):
    schema = client.get("/openapi.json").json()["paths"]["/predict"]["post"]["requestBody"]
    assert schema["content"]["application/json"]["schema"]["required"] == ["texts"]
