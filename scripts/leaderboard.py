"""Leaderboard of the model zoo on the bundled corpora: every row is a DVC experiment; write JSON and tables.

One protocol per corpus (issue 14):

* ``imdb``: the 10,000-review holdout picks the epochs, then ``training.refit=true`` trains on all
  25,000 training reviews; the score is test accuracy on the 25,000 test reviews (``test.acc``).
* ``chnsenticorp``, ``online_shopping`` (binary) and ``online_shopping_cats`` (10 classes): stratified
  5-fold cross-validation over all rows (``dataset.test_size=0``, ``training=kfold``); the score is
  ``cv.acc.mean`` ± ``cv.acc.std`` over the folds.

Each row runs ``dvc exp run --temp -n NAME -S ...`` through :func:`textclf.sweep.experiments.run_experiment`
(the sweep's own job runner: DVC runs the stages, its run cache shares download/prepare between
rows) and reads ``reports/metrics.json`` back from the experiment's git ref. The table prints that command,
so any row can be rerun by hand; ``dvc exp show`` lists the experiments.

Usage (from the repository root, on a committed tree)::

    python scripts/leaderboard.py                                   # every row
    python scripts/leaderboard.py --corpora chnsenticorp --recipes logreg nbsvm
    python scripts/leaderboard.py --list                            # rows and their commands
    python scripts/leaderboard.py --render-only                     # tables from the JSON

Writes ``reports/bench/leaderboard.json`` (rows of earlier runs not rerun are kept) and the tables
between the markers in ``docs/leaderboard.md`` and ``README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

BEGIN, END = "<!-- leaderboard:begin -->", "<!-- leaderboard:end -->"
CHINESE = ["text=jieba", "training=kfold", "dataset.test_size=0"]  # 5-fold CV over every row


class Corpus(NamedTuple):
    overrides: list[str]
    protocol: str
    score: str  # headline metric key (dvc exp show), with ``std`` beside ``mean`` under K-fold


CORPORA = {
    "imdb": Corpus(["training.refit=true"], "train 25k (refit after the 10k holdout), test 25k", "test.acc"),
    "chnsenticorp": Corpus(["dataset=chnsenticorp", *CHINESE], "stratified 5-fold CV, 7,765 rows", "cv.acc.mean"),
    "online_shopping": Corpus(
        ["dataset=online_shopping", *CHINESE], "stratified 5-fold CV, 62,773 rows", "cv.acc.mean"
    ),
    "online_shopping_cats": Corpus(
        ["dataset=online_shopping_cats", *CHINESE], "stratified 5-fold CV, 62,773 rows, 10 classes", "cv.acc.mean"
    ),
}
WORDS_12 = ["features.ngram_range=[1,2]", "features.num_words=null"]
WORD_CHAR = ["features.analyzer=word+char", "features.char_ngram_range=[1,3]"]
IMDB_MLP = [
    "features=tfidf",
    "features.ngram_range=[1,2]",
    "model.units=[16]",
    "model.dropout=0.5",
    "training.batch_size=32",
    "training.epochs=10",
    "training.early_stopping.patience=2",
]
NB_WORDS = ["features=multihot", "features.num_words=null", "features.nb_weight=true"]  # NB-scaled binary n-grams
NB_MLP = [
    "model.units=[16]",
    "model.dropout=0.5",
    "training.batch_size=512",
    "training.epochs=10",
    "training.early_stopping.patience=2",
]
# Sequence models on Chinese: every token kept (the HIT stop words drop negations such as 不过), adam.
SEQUENCE = ["features=sequence", "text.stopwords=null", "training.optimizer=adam"]
CHARS = ["features.analyzer=char"]  # ids of characters instead of jieba words
# name -> (overrides after the corpus's, what it is). Keras MLPs on the Chinese corpora take the
# dataset's `recommended` settings (units [16], dropout 0.5, batch 32, early stopping).
RECIPES: dict[str, tuple[list[str], str]] = {
    "mlp": ([], "the tutorial: multi-hot top-10k words, MLP 16-16, 4 epochs"),
    "logreg": (["model=logreg", "features=tfidf", *WORDS_12], "logistic regression, tf-idf word 1-2-grams"),
    "nbsvm": (["model=nbsvm", "features=multihot", *WORDS_12], "NB-LR (NBSVM), binary word 1-2-grams"),
    "logreg_word_char": (
        ["model=logreg", "features=tfidf", *WORDS_12, *WORD_CHAR],
        "logistic regression, tf-idf word 1-2-grams + char 1-3-grams",
    ),
    "nbsvm_word_char": (
        ["model=nbsvm", "features=multihot", *WORDS_12, *WORD_CHAR],
        "NB-LR, binary word 1-2-grams + char 1-3-grams",
    ),
    "mlp_tfidf": (["features=tfidf"], "MLP on tf-idf word 1-2-grams (top 20k)"),
    "mlp_word_char": (
        ["features=tfidf", *WORD_CHAR, "features.char_num_words=20000"],
        "MLP on tf-idf word 1-2-grams (top 20k) + char 1-3-grams (top 20k)",
    ),
    "imdb_mlp_tfidf": (
        [*IMDB_MLP, "features.num_words=20000"],
        "MLP 16 + dropout 0.5 on tf-idf word 1-2-grams (top 20k), early stopping",
    ),
    "imdb_mlp_tfidf_wide": ([*IMDB_MLP, "features.num_words=100000"], "the same MLP on the top 100k word 1-2-grams"),
    "nblr_13": (
        ["model=logreg", *NB_WORDS, "features.ngram_range=[1,3]", "model.C=1.0"],
        "logistic regression (C 1) on NB-scaled binary word 1-3-grams (NB-LR)",
    ),
    "nbmlp": (
        [*NB_WORDS, "features.ngram_range=[1,2]", *NB_MLP],
        "MLP 16 + dropout 0.5 on NB-scaled binary word 1-2-grams, batch 512, early stopping",
    ),
    "cnn_words": (
        [*SEQUENCE, "model=cnn", "features.maxlen=200"],
        "CNN (embedding 128, 128 filters of width 5, dense 64) on jieba word ids (last 200), adam",
    ),
    "cnn_chars": (
        [*SEQUENCE, *CHARS, "model=cnn", "features.maxlen=300"],
        "CNN (embedding 128, 128 filters of width 5, dense 64) on character ids (last 300), adam",
    ),
    "fasttext_bigrams": (
        [*SEQUENCE, "model=fasttext", "features.ngram_range=[1,2]", "features.maxlen=400"],
        "fastText: averaged embeddings (50) of jieba words + word bigrams, adam",
    ),
    "best": ([], "the preset `experiment=<corpus>_best` (conf/experiment/)"),
}
# Which recipes each corpus runs (2 shared cores: sequence models on ChnSentiCorp only, the smallest corpus;
# bilstm is left out, docs/leaderboard.md).
BOARD = {
    "imdb": ["logreg", "nbsvm", "nblr_13", "mlp", "imdb_mlp_tfidf", "imdb_mlp_tfidf_wide", "nbmlp", "best"],
    "chnsenticorp": [
        "logreg",
        "nbsvm",
        "logreg_word_char",
        "nbsvm_word_char",
        "mlp_tfidf",
        "mlp_word_char",
        "fasttext_bigrams",
        "cnn_chars",
        "cnn_words",
        "best",
    ],
    "online_shopping": ["logreg", "nbsvm", "logreg_word_char", "mlp_tfidf", "best"],
    "online_shopping_cats": ["logreg", "nbsvm", "logreg_word_char", "mlp_tfidf", "mlp_word_char", "best"],
}


def overrides(corpus: str, recipe: str) -> list[str]:
    """The corpus's protocol, then the recipe (``best``: the preset ``conf/experiment/<corpus>_best.yaml``)."""
    return [*CORPORA[corpus].overrides, *([f"experiment={corpus}_best"] if recipe == "best" else RECIPES[recipe][0])]


def command(corpus: str, recipe: str) -> str:
    """The command that reproduces a row."""
    return "dvc exp run " + " ".join(f"-S '{o}'" for o in overrides(corpus, recipe))


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def experiment_result(repo: Path, name: str) -> tuple[str, dict]:
    """The commit of experiment ``name`` and its headline metrics, read from its git ref
    (``refs/exps/.../NAME``), so a row is found whatever commit the workspace is on now."""
    from textclf.sweep.experiments import flatten

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout

    refs = [r for r in git("for-each-ref", "--format=%(refname)", "refs/exps").split() if r.endswith(f"/{name}")]
    if len(refs) != 1:
        raise LookupError(f"experiment {name}: {len(refs)} refs under refs/exps (expected 1)")
    return git("rev-parse", refs[0]).strip(), flatten(json.loads(git("show", f"{refs[0]}:reports/metrics.json")))


def run_row(repo: Path, corpus: str, recipe: str, logs: Path) -> dict:
    """Run one row as a DVC experiment; return its record (raises on failure)."""
    from textclf.sweep.experiments import run_experiment

    name = f"lb-{corpus}-{recipe}-{time.strftime('%Y%m%d-%H%M%S')}".replace("_", "-")
    load_before, start = load_average(), time.perf_counter()
    log = logs / f"{name}.log"
    error = run_experiment(repo, name, overrides(corpus, recipe), log)
    seconds = time.perf_counter() - start
    if error:
        raise RuntimeError(f"{corpus}/{recipe}: {error}")
    ran = re.findall(r"^Running stage '([^']+)'", log.read_text(encoding="utf-8"), flags=re.M)
    rev, metrics = experiment_result(repo, name)
    key = CORPORA[corpus].score
    std = metrics.get(key.replace(".mean", ".std")) if key.endswith(".mean") else None
    return {
        "corpus": corpus,
        "recipe": recipe,
        "about": RECIPES[recipe][1],
        "command": command(corpus, recipe),
        "experiment": name,
        "experiment_rev": rev,
        "metric": key,
        "accuracy": metrics[key],
        "std": std,
        "f1": metrics.get(key.replace(".acc", ".f1")),
        "wall_seconds": round(seconds, 1),
        "stages_run": ran,
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def machine() -> dict:
    from importlib.metadata import version

    packages = {p: version(p) for p in ("scikit-learn", "tensorflow-cpu", "dvc", "jieba", "numpy")}
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "packages": packages,
    }


def cell(row: dict) -> str:
    std = f" ± {row['std']:.4f}" if row.get("std") is not None else ""
    return f"{row['accuracy']:.4f}{std}"


def about(row: dict) -> str:
    if row["recipe"] == "best":
        return f"the preset `experiment={row['corpus']}_best` (`conf/experiment/{row['corpus']}_best.yaml`)"
    return row["about"]


def tables(rows: list[dict]) -> str:
    """One markdown table per corpus, best accuracy first."""
    parts = []
    for corpus, spec in CORPORA.items():
        mine = sorted((r for r in rows if r["corpus"] == corpus), key=lambda r: -r["accuracy"])
        if not mine:
            continue
        parts += [
            f"**{corpus}** ({spec.protocol}; `{spec.score}`" + (" ± std" if ".mean" in spec.score else "") + ")",
            "",
            "| recipe | what | accuracy | macro F1 | wall s | reproduce |",
            "|---|---|---|---|---|---|",
        ]
        parts += [
            f"| {r['recipe']} | {about(r)} | {cell(r)} | {r['f1']:.4f} | {r['wall_seconds']:.0f} | `{r['command']}` |"
            for r in mine
        ]
        parts.append("")
    return "\n".join(parts).rstrip()


def replace_block(path: Path, block: str, begin: str = BEGIN, end: str = END, title: str = "# Leaderboard") -> None:
    """Replace the text between ``begin`` and ``end`` in ``path`` (appending the markers if absent)."""
    from textclf.io import write_text

    text = path.read_text(encoding="utf-8") if path.exists() else f"{title}\n\n{begin}\n{end}\n"
    if begin not in text:
        text += f"\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    write_text(f"{head}{begin}\n{block}\n{end}{rest.split(end, 1)[1]}", path)


def render(saved: dict, docs: list[Path]) -> None:
    meta = saved["meta"]
    block = (
        f"_`{meta['command']}` on {meta['date']} ({meta['machine']}; load average before/after each row "
        f"in `reports/bench/leaderboard.json`, shared machine: wall times are noisy; wall s is the whole `dvc exp run`, "
        f"stages DVC restored from its run cache included)._\n\n{tables(saved['rows'])}"
    )
    for path in docs:
        replace_block(path, block)


def save_row(row: dict, out: Path) -> None:
    """Add ``row`` to ``out``, replacing the earlier row of its corpus and recipe (the file is read again
    just before writing, so rows another invocation wrote meanwhile are kept)."""
    from textclf.io import write_json

    saved = json.loads(out.read_text()) if out.exists() else {"rows": []}
    kept = [r for r in saved["rows"] if (r["corpus"], r["recipe"]) != (row["corpus"], row["recipe"])]
    meta = {"command": "python scripts/leaderboard.py", "date": time.strftime("%Y-%m-%d"), **machine()}
    write_json({"meta": meta, "rows": [*kept, row]}, out)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpora", nargs="+", default=list(BOARD), choices=list(CORPORA))
    p.add_argument("--recipes", nargs="+", choices=sorted(RECIPES), help="only these recipes (of each corpus's list)")
    p.add_argument("--out", type=Path, default=Path("reports/bench/leaderboard.json"))
    p.add_argument(
        "--logs", type=Path, default=Path("reports/bench/logs"), help="DVC output of each row (not committed)"
    )
    p.add_argument("--docs", type=Path, nargs="+", default=[Path("docs/leaderboard.md"), Path("README.md")])
    p.add_argument("--list", action="store_true", help="print the rows and their commands")
    p.add_argument("--render-only", action="store_true", help="rewrite the tables from --out, run nothing")
    args = p.parse_args(argv)
    todo = [(c, r) for c in args.corpora for r in BOARD[c] if not args.recipes or r in args.recipes]
    if args.list:
        for corpus, recipe in todo:
            print(f"{corpus:22s} {recipe:18s} {command(corpus, recipe)}")
        return
    if not args.render_only:
        for corpus, recipe in todo:
            print(f"== {corpus} / {recipe}: {command(corpus, recipe)}", file=sys.stderr, flush=True)
            row = run_row(Path.cwd(), corpus, recipe, args.logs)
            print(json.dumps(row), file=sys.stderr, flush=True)
            save_row(row, args.out)  # after every row: an interrupted run keeps what it measured
    render(json.loads(args.out.read_text()), args.docs)


if __name__ == "__main__":
    main()
