"""Tokenise many texts, in a process pool when ``n_jobs > 1``; output order is input order.

The result does not depend on ``n_jobs`` or ``chunk_size``: chunks are contiguous
slices, tokenised independently and concatenated in order.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from tqdm import tqdm

from textclf.runtime import resolve_n_jobs

Tokenizer = Callable[[str], list[str]]
_worker_tokenizer: Tokenizer | None = None
CHUNKS_PER_JOB = 4  # several chunks per worker even out uneven text lengths
MIN_TEXTS_PER_JOB = 1000  # below this a worker's start-up (jieba: ~1 s) costs more than it saves


def _init_worker(tokenizer: Tokenizer) -> None:
    # The tokenizer is pickled to each worker once; jieba then loads its dictionary
    # once per worker, on the first text.
    global _worker_tokenizer
    _worker_tokenizer = tokenizer


def _init_pool_worker(tokenizer: Tokenizer) -> None:
    # Ctrl-C reaches every process of the terminal's group: only the parent handles it (one line,
    # exit 130), workers finish their chunk and are shut down instead of printing tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _init_worker(tokenizer)


def _tokenize_chunk(texts: Sequence[str]) -> list[str]:
    assert _worker_tokenizer is not None, "call _init_worker first"
    return [" ".join(_worker_tokenizer(t)) for t in texts]


def tokenize_all(texts: Sequence[str], tokenizer: Tokenizer, n_jobs: int = 1, chunk_size: int = 2000,
                 desc: str = "tokenise", min_texts_per_job: int = MIN_TEXTS_PER_JOB,
                 progress: bool = True) -> list[str]:
    """Return each text's tokens joined by single spaces.

    Args:
        texts: the documents.
        tokenizer: a picklable callable ``text -> list[str]``.
        n_jobs: worker processes (``-1``: all cores; ``1``: this process only).
        chunk_size: most texts per task sent to a worker (smaller when there are
            few texts, so every worker gets several chunks).
        desc: progress bar label (the bar shows only on a terminal).
        min_texts_per_job: fewer workers than ``n_jobs`` when each would get fewer texts than this.
        progress: ``False`` hides the bar (callers with their own, e.g. predict).
    """
    texts = list(texts)
    n_jobs = min(resolve_n_jobs(n_jobs), max(1, len(texts) // max(1, min_texts_per_job)))
    if n_jobs > 1:
        chunk_size = max(1, min(chunk_size, -(-len(texts) // (n_jobs * CHUNKS_PER_JOB))))
    chunks = [texts[i:i + chunk_size] for i in range(0, len(texts), chunk_size)]
    out: list[str] = []
    with tqdm(total=len(texts), desc=desc, unit="doc", disable=None if progress else True) as bar:
        if n_jobs == 1 or len(chunks) <= 1:
            _init_worker(tokenizer)
            for chunk in chunks:
                out.extend(_tokenize_chunk(chunk))
                bar.update(len(chunk))
        else:
            with ProcessPoolExecutor(n_jobs, initializer=_init_pool_worker, initargs=(tokenizer,)) as pool:
                for chunk, tokens in zip(chunks, pool.map(_tokenize_chunk, chunks), strict=True):
                    out.extend(tokens)
                    bar.update(len(chunk))
    return out
