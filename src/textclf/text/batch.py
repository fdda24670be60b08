"""Tokenise many texts, in a process pool when ``n_jobs > 1``; output order is input order."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from tqdm import tqdm

Tokenizer = Callable[[str], list[str]]
_worker_tokenizer: Tokenizer | None = None


def _init_worker(tokenizer: Tokenizer) -> None:
    global _worker_tokenizer
    _worker_tokenizer = tokenizer


def _tokenize_chunk(texts: Sequence[str]) -> list[str]:
    assert _worker_tokenizer is not None
    return [" ".join(_worker_tokenizer(t)) for t in texts]


def resolve_n_jobs(n_jobs: int) -> int:
    """``n_jobs <= 0`` means all cores (``-1`` as in scikit-learn)."""
    return (os.cpu_count() or 1) if n_jobs <= 0 else n_jobs


def tokenize_all(texts: Sequence[str], tokenizer: Tokenizer, n_jobs: int = 1, chunk_size: int = 2000,
                 desc: str = "tokenise") -> list[str]:
    """Return each text's tokens joined by single spaces.

    Each worker receives the tokenizer once (so e.g. jieba loads its dictionary
    once per worker) and chunks of ``chunk_size`` texts.
    """
    n_jobs = resolve_n_jobs(n_jobs)
    chunks = [texts[i:i + chunk_size] for i in range(0, len(texts), chunk_size)]
    out: list[str] = []
    with tqdm(total=len(texts), desc=desc, unit="doc", disable=None) as bar:
        if n_jobs == 1 or len(chunks) <= 1:
            _init_worker(tokenizer)
            for chunk in chunks:
                out.extend(_tokenize_chunk(chunk))
                bar.update(len(chunk))
        else:
            with ProcessPoolExecutor(n_jobs, initializer=_init_worker, initargs=(tokenizer,)) as pool:
                for chunk, tokens in zip(chunks, pool.map(_tokenize_chunk, chunks)):
                    out.extend(tokens)
                    bar.update(len(chunk))
    return out
