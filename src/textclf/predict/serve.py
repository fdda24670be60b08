"""``textclf serve``: an HTTP JSON API over one bundle (FastAPI on uvicorn).

* ``POST /predict`` ``{"texts": ["...", ...]}`` -> ``{"model": name, "predictions": [{"label", "probabilities"}]}``
  (regression: ``{"value"}``), in the order of the texts.
* ``GET /health`` -> ``{"status": "ok", "model": name}``.
* ``GET /metadata`` -> the model card (``card.json``) and the server's limits.

The bundle is loaded (and verified) once, before the server starts, and warmed up, so the first
request costs what the others do. Bad requests get a 4xx and ``{"detail": "<one clear sentence>"}``:
400 for a body that is not JSON, 422 for JSON of the wrong shape, an empty batch or an empty text,
413 for a body, batch or text over the limits.
"""

import json
import threading
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool

from textclf import __version__

MAX_TEXTS, MAX_CHARS, MAX_BODY_MB = 1000, 100_000, 16
REQUEST_SCHEMA = {
    "type": "object",
    "required": ["texts"],
    "properties": {"texts": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}},
    "example": {"texts": ["A wonderful, moving film.", "Two hours I will never get back."]},
}


def check_request(payload: Any, max_texts: int, max_chars: int) -> list[str]:
    """The texts of a ``/predict`` body, or an ``HTTPException`` saying what is wrong with it."""
    if not isinstance(payload, dict) or not isinstance(payload.get("texts"), list):
        raise HTTPException(422, 'the body must be a JSON object {"texts": ["...", ...]}')
    texts = payload["texts"]
    if not texts:
        raise HTTPException(422, "texts is empty: send at least one text")
    if len(texts) > max_texts:
        raise HTTPException(413, f"{len(texts)} texts in one request; at most {max_texts}: split the batch")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise HTTPException(422, f"texts[{i}] is {json.dumps(text)[:40]}, not a string")
        if not text.strip():
            raise HTTPException(422, f"texts[{i}] is empty or blank: there is nothing to classify")
        if len(text) > max_chars:
            raise HTTPException(413, f"texts[{i}] has {len(text)} characters; at most {max_chars}")
    return texts


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``max_bytes`` (declared or streamed)."""
    too_large = HTTPException(413, f"request body over {max_bytes} bytes: send fewer or shorter texts")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(bundle, max_texts: int = MAX_TEXTS, max_chars: int = MAX_CHARS, max_body_mb: float = MAX_BODY_MB):
    """The FastAPI application serving ``bundle`` (a loaded :class:`~textclf.predict.bundle.Bundle`)."""
    name = bundle.card["name"]
    limits = {"max_texts": max_texts, "max_chars": max_chars, "max_body_bytes": int(max_body_mb * 2**20)}
    lock = threading.Lock()  # one prediction at a time: the model and jieba are shared by all requests
    app = FastAPI(
        title=f"textclf {name}",
        version=__version__,
        description=f"{bundle.card['intended_use']} Model card: GET /metadata.",
    )

    def predict_locked(texts: list[str]) -> list[dict[str, Any]]:
        with lock:
            return bundle.predict(texts).records()

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "model": name}

    @app.get("/metadata")
    def metadata() -> dict[str, Any]:
        return {**bundle.card, "server": limits}

    @app.post(
        "/predict",
        openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": REQUEST_SCHEMA}}}},
    )
    async def predict(request: Request) -> dict[str, Any]:
        body = await read_body(request, limits["max_body_bytes"])
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise HTTPException(400, f'the body is not JSON ({exc}); send {{"texts": ["...", ...]}}') from None
        texts = check_request(payload, max_texts, max_chars)
        return {"model": name, "predictions": await run_in_threadpool(predict_locked, texts)}

    return app


def serve(bundle_path, host: str = "127.0.0.1", port: int = 8000, **limits) -> None:
    """Load and warm up the bundle, then serve it with uvicorn until interrupted."""
    import sys
    import time

    import uvicorn

    from textclf.predict.bundle import load_bundle

    start = time.perf_counter()
    bundle = load_bundle(bundle_path)
    bundle.predict(["warm up"])  # loads jieba's dictionary and builds the model's predict function now
    print(
        f"textclf serve: loaded {bundle.card['name']} from {bundle_path} in {time.perf_counter() - start:.1f} s; "
        f"listening on http://{host}:{port}",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(create_app(bundle, **limits), host=host, port=port, log_level="info")
