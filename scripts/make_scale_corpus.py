"""Make a large review corpus for scale benchmarks by recombining the bundled real reviews.

Each generated review joins the sentences of two real reviews of the same language and label: the
first part of one, the second part of another, both drawn at random (seeded). English comes from
IMDB (``external/imdb``), Chinese from ChnSentiCorp and online_shopping_10_cats; labels are ``neg``/
``pos``. The vocabulary and the length distribution stay those of real reviews, while texts are new
(few exact duplicates), so prepare and featurize do the work a real corpus of that size needs.

    python scripts/make_scale_corpus.py --rows 1000000 --lang en --out /tmp/scale/en_1000000

writes ``train.csv`` (80 % of the rows) and ``test.csv`` (20 %) with columns ``label,text``,
chunk by chunk (the generator's memory does not grow with ``--rows``).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np
import pandas as pd

EXTERNAL = Path(__file__).resolve().parents[1] / "external"
SOURCES = {  # language -> (file, text column, label column, {raw label: neg/pos})
    "en": [
        ("imdb/train.csv.gz", "text", "label", {"neg": "neg", "pos": "pos"}),
        ("imdb/test.csv.gz", "text", "label", {"neg": "neg", "pos": "pos"}),
    ],
    "zh": [
        ("chnsenticorp/htl_all.csv.gz", "review", "label", {"0": "neg", "1": "pos"}),
        ("online_shopping_10_cats/online_shopping_10_cats.csv.gz", "review", "label", {"0": "neg", "1": "pos"}),
    ],
}
SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*")
CHUNK = 50_000
TEST_SHARE = 0.2


def load_sentences(lang: str) -> dict[str, list[list[str]]]:
    """Per label, each real review split into sentences."""
    out: dict[str, list[list[str]]] = {"neg": [], "pos": []}
    for name, text_column, label_column, labels in SOURCES[lang]:
        frame = pd.read_csv(EXTERNAL / name, dtype=str, keep_default_na=False)
        for text, label in zip(frame[text_column], frame[label_column], strict=False):
            if text.strip() and label in labels:
                out[labels[label]].append([s for s in SENTENCE_END.split(text.strip()) if s])
    return out


def recombine(sentences: list[list[str]], rng: np.random.Generator, n: int, joiner: str) -> list[str]:
    first, second = rng.integers(0, len(sentences), n), rng.integers(0, len(sentences), n)
    out = []
    for a, b in zip(first, second, strict=False):
        head, tail = sentences[a], sentences[b]
        out.append(joiner.join(head[: max(1, len(head) // 2)] + tail[len(tail) // 2 :]))
    return out


def write_corpus(rows: int, lang: str, out: Path, seed: int = 0) -> dict[str, int]:
    """Write ``out/train.csv`` and ``out/test.csv``; return their row counts."""
    sentences = load_sentences(lang)
    rng = np.random.default_rng(seed)
    joiner = " " if lang == "en" else ""
    out.mkdir(parents=True, exist_ok=True)
    counts = {"train": rows - int(rows * TEST_SHARE), "test": int(rows * TEST_SHARE)}
    for split, n in counts.items():
        with open(out / f"{split}.csv", "w", encoding="utf-8", newline="") as fh:
            fh.write("label,text\n")
            for start in range(0, n, CHUNK):
                size = min(CHUNK, n - start)
                labels = np.where(rng.random(size) < 0.5, "neg", "pos")
                texts = np.empty(size, dtype=object)
                for label in ("neg", "pos"):
                    where = np.flatnonzero(labels == label)
                    texts[where] = recombine(sentences[label], rng, len(where), joiner)
                pd.DataFrame({"label": labels, "text": texts}).to_csv(fh, header=False, index=False)
    return counts


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, required=True, help="rows in train + test")
    p.add_argument("--lang", choices=sorted(SOURCES), default="en")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    print(write_corpus(args.rows, args.lang, args.out, args.seed))


if __name__ == "__main__":
    main()
