"""The error matrix: every failure a user can cause ends with one documented `error:` line, exit 1.

A case is a **setup** (writes the user's files and params.yaml into an empty workspace; may run the
earlier stages), a **command** (a stage name, or ``textclf ...``; run in this process through the same
wrapper as on the command line) and a **doc** phrase naming its entry in README.md "Errors you may see".
Each case must exit 1 with exactly one ``error:`` line and no traceback, that line must match its
README entry (``<...>`` there stands for any text), and the command must leave every file of the
workspace as it was. To add a case: a row in ``CASES`` and, for a new message, a README entry;
``test_every_documented_error_has_a_case`` keeps the two in step.

Failures that need ``dvc`` or a signal (interruptions, SIGKILL, concurrent ``dvc repro``) are in
tests/e2e/test_interrupts.py and name their README entries in ``OTHER_TESTS`` below.
"""

from __future__ import annotations

import gzip
import importlib
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT, make_tarball, set_conf_value, synthetic_reviews

CONF = ROOT / "conf"
README = ROOT / "README.md"
SECTION = "## Errors you may see"
STAGES = ["download", "prepare", "split", "featurize", "train", "evaluate"]


def documented_errors() -> list[str]:
    """The messages of README's "Errors you may see": lines of a bullet that start with a ``` `` ``` code span."""
    section = README.read_text(encoding="utf-8").split(SECTION, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^(?:- |  )`` (.+?) ``", section, flags=re.M)


def doc_pattern(message: str) -> re.Pattern:
    """A documented message as a regex: ``<...>`` matches any text (or none), everything else literally."""
    return re.compile(".*?".join(re.escape(part) for part in re.split(r"<[^<>]*>", message)))


def documented(doc: str) -> str:
    matches = [message for message in documented_errors() if doc in message]
    assert len(matches) == 1, f"{doc!r} must name exactly one README error entry, found {matches}"
    return matches[0]


def assert_one_documented_line(stderr: str, doc: str) -> str:
    """``stderr`` has no traceback and exactly one ``error:`` line, which matches README entry ``doc``."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and stderr.rstrip("\n").endswith(lines[0]), f"one error line, last: {stderr}"
    message = documented(doc)
    assert doc_pattern(message).fullmatch(lines[0]), f"\nREADME: {message}\nactual: {lines[0]}"
    return lines[0]


# ---------------------------------------------------------------------------------------------- workspace


@dataclass
class Workspace:
    """An empty folder the command runs in, and the HTTP server (``url``) on 127.0.0.1 that cases may use."""

    root: Path
    url: str
    served: dict[str, bytes]
    truncated: set[str]

    def write(self, name: str, data: bytes | str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path

    def params(self, *overrides: str) -> None:
        """params.yaml composed from conf/ with Hydra overrides, as ``dvc exp run -S`` would write it."""
        from textclf.compose import compose

        self.write("params.yaml", compose(CONF, list(overrides)))

    def stage(self, name: str, *argv: str) -> None:
        """Run an earlier stage, which must succeed."""
        importlib.import_module(f"textclf.stages.{name}").main(list(argv))

    def serve(self, name: str, data: bytes, truncate: bool = False) -> str:
        """Serve ``data`` at ``<url>/<name>``; ``truncate`` announces 100 bytes more than it sends."""
        self.served[f"/{name}"] = data
        if truncate:
            self.truncated.add(f"/{name}")
        return f"{self.url}/{name}"

    def files(self) -> dict[str, bytes]:
        return {str(p.relative_to(self.root)): p.read_bytes() for p in sorted(self.root.rglob("*")) if p.is_file()}


@dataclass(frozen=True)
class Case:
    id: str
    doc: str  # a phrase found in exactly one README entry
    setup: Callable[[Workspace], None]
    command: list[str] = field(default_factory=lambda: ["download"])  # a stage, or ["textclf", ...]


# ------------------------------------------------------------------------------------------------- inputs


def reviews_csv(n: int = 40, labels: tuple[str, str] = ("0", "1"), seed: int = 0) -> bytes:
    """The csv dataset's default layout: columns review, label (0/1 -> negative/positive)."""
    frame = synthetic_reviews(n, seed)
    frame = frame.assign(review=frame["text"], label=frame["label"].map({"neg": labels[0], "pos": labels[1]}))
    return frame[["review", "label"]].to_csv(index=False).encode()


def half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def csv_source(ws: Workspace, data: bytes, *overrides: str, name: str = "in.csv") -> None:
    """The user's file ``external/<name>`` as ``dataset=csv`` (unpinned) plus Hydra ``overrides``."""
    ws.write(f"external/{name}", data)
    ws.params("dataset=csv", f"dataset.path=external/{name}", *overrides)


def archive_source(ws: Workspace, data: bytes) -> None:
    """The user's ``external/a.tar.gz``, to be extracted by the download stage."""
    ws.write("external/a.tar.gz", data)
    ws.params("dataset=csv", "dataset.files=[{name:a.tar.gz,sha256:null,urls:[external/a.tar.gz],extract:true}]")


def downloaded(ws: Workspace, data: bytes, *overrides: str) -> None:
    """The user's CSV through the download stage: ready for prepare."""
    csv_source(ws, data, *overrides)
    ws.stage("download")


def prepared(ws: Workspace, data: bytes, *overrides: str) -> None:
    """The user's CSV through download and prepare: ready for the split stage."""
    downloaded(ws, data, *overrides)
    ws.stage("prepare")


def stale_params(ws: Workspace) -> None:
    shutil.copytree(CONF, ws.root / "conf")
    ws.params()
    set_conf_value(ws.root, "training/holdout.yaml", "epochs", 2)


def douban_lines(n: int = 40) -> bytes:
    """The Douban tutorial's layout: a rating, two spaces, then the already-cut review."""
    return "".join(f"{i % 5 + 1}  {' '.join(['词'] * (3 + i % 7))}\n" for i in range(n)).encode()


def pima_like(n: int = 40, bad_cell: str | None = None) -> bytes:
    """A small numeric table with a diabetes column (pos/neg); ``bad_cell`` replaces one glucose value."""
    rows = ["glucose,mass,diabetes"] + [f"{90 + i * 3},{20 + i % 7},{'pos' if i % 2 else 'neg'}" for i in range(n)]
    if bad_cell is not None:
        rows[5] = f"{bad_cell},25,neg"
    return ("\n".join(rows) + "\n").encode()


TABLE = (
    "+dataset.feature_columns=[glucose,mass]",
    "dataset.label_column=diabetes",
    "dataset.classes=[neg,pos]",
    "dataset.label_map=null",
)


def outside_file(ws: Workspace, *overrides: str) -> None:
    """A file beside the workspace (outside the repository), named by ``overrides``."""
    (ws.root.parent / "outside.csv").write_bytes(reviews_csv())
    ws.params(*overrides)


def corrupt_params(ws: Workspace) -> None:
    ws.write("params.yaml", "dataset:\n  name: imdb\n  files: [\n")  # e.g. an editor crash mid-save


CASES = [
    # download: sources, checksums, archives
    Case("checksum", "checksum mismatch for", lambda ws: csv_source(ws, reviews_csv(), f"dataset.sha256={'0' * 64}")),
    Case(
        "path_outside_repository",
        "is outside the repository (<repository>): bring it in through DVC",
        lambda ws: outside_file(ws, "dataset=csv", "dataset.path=../outside.csv"),
    ),
    Case(
        "path_not_under_external",
        "is not under external/",
        lambda ws: (ws.write("in.csv", reviews_csv()), ws.params("dataset=csv", "dataset.path=in.csv")),
    ),
    Case(
        "raw_name_escapes",
        "must be a file name inside data/raw",
        lambda ws: csv_source(
            ws, reviews_csv(), "dataset.files=[{name:../../escaped.csv,sha256:null,urls:[external/in.csv]}]"
        ),
    ),
    Case("path_not_set", "dataset.path is not set", lambda ws: ws.params("dataset=douban")),
    Case("http_404", "from any source", lambda ws: ws.params("dataset=csv", f"dataset.path={ws.url}/nothing.csv")),
    Case(
        "http_truncated_body",
        "from any source",
        lambda ws: ws.params("dataset=csv", f"dataset.path={ws.serve('in.csv', reviews_csv(), truncate=True)}"),
    ),
    Case(
        "truncated_source_gz",
        "a source is damaged",
        lambda ws: csv_source(ws, half(gzip.compress(reviews_csv(400), mtime=0)), name="in.csv.gz"),
    ),
    Case(
        "truncated_tar_gz",
        "a source is damaged",
        lambda ws: archive_source(ws, half(make_tarball({f"a/{i}.txt": bytes(range(256)) * 8 for i in range(40)}))),
    ),
    Case(
        "unsafe_tar_member",
        "refusing to extract outside",
        lambda ws: archive_source(ws, make_tarball({"../evil.txt": b"x"})),
    ),
    Case("tar_link", "refusing to extract links", lambda ws: archive_source(ws, make_tarball({}, links=("a/link",)))),
    Case("not_an_archive", "cannot read archive", lambda ws: archive_source(ws, b"just text, not a tar archive")),
    # prepare: the user's file and label rule
    Case(
        "missing_column",
        "no column(s)",
        lambda ws: downloaded(ws, reviews_csv(), "dataset.text_column=comment"),
        ["prepare"],
    ),
    Case(
        "unparsable_csv",
        "cannot parse as delimited text",
        lambda ws: downloaded(ws, b"review,label\na,1\nb,1,extra,x\n"),
        ["prepare"],
    ),
    Case(
        "douban_layout_with_a_space_delimiter",
        "cannot parse as delimited text",
        lambda ws: downloaded(ws, douban_lines(), "dataset.delimiter=' '"),
        ["prepare"],
    ),
    Case(
        "invalid_json_line",
        "not valid JSON",
        lambda ws: downloaded(ws, b'{"review": "a", "label": "1"}\n{"review": b}\n', "dataset.format=jsonl"),
        ["prepare"],
    ),
    Case(
        "folder_read_as_a_file",
        "is a folder, but dataset.format",
        lambda ws: (
            ws.write("external/reviews/pos/1.txt", b"good"),
            ws.params("dataset=csv", "dataset.path=external/reviews"),
            ws.stage("download"),
        ),
        ["prepare"],
    ),
    Case(
        "word_list_outside_repository",
        "is outside the repository (<repository>): bring it in through DVC",
        lambda ws: (
            downloaded(ws, reviews_csv(), "text=jieba"),
            outside_file(
                ws, "dataset=csv", "dataset.path=external/in.csv", "text=jieba", "text.stopwords=../outside.csv"
            ),
        ),
        ["prepare"],
    ),
    Case(
        "encoding_not_certain",
        "cannot tell this file's encoding",
        lambda ws: downloaded(ws, "review,label\ncrème brûlée très bien,1\nÇa va mal,0\n".encode("latin-1")),
        ["prepare"],
    ),
    Case(
        "wrong_encoding",
        "it decodes as",
        lambda ws: downloaded(ws, "review,label\n很好,1\n很差,0\n".encode("gbk"), "dataset.encoding=utf-8"),
        ["prepare"],
    ),
    Case(
        "unmapped_labels",
        "class left after mapping labels",
        lambda ws: downloaded(ws, reviews_csv(labels=("neg", "pos"))),
        ["prepare"],
    ),
    Case(
        "one_class",
        "class left after mapping labels",
        lambda ws: downloaded(ws, reviews_csv(labels=("1", "1"))),
        ["prepare"],
    ),
    Case(
        "non_numeric_cell",
        "is not a number",
        lambda ws: downloaded(ws, pima_like(bad_cell="high"), *TABLE),
        ["prepare"],
    ),
    Case(
        "too_few_rows_for_test",
        "cannot hold out a stratified test split",
        lambda ws: downloaded(ws, reviews_csv(4)),
        ["prepare"],
    ),
    # featurize: features for the other kind of data
    Case(
        "text_features_on_a_table",
        "needs text, but the dataset is tabular",
        lambda ws: (prepared(ws, pima_like(), *TABLE, "features=multihot"), ws.stage("split")),
        ["featurize"],
    ),
    Case(
        "tabular_features_on_text",
        "features=tabular needs a tabular dataset",
        lambda ws: (prepared(ws, reviews_csv(), "features=tabular"), ws.stage("split")),
        ["featurize"],
    ),
    # split: too little data for the validation scheme
    Case("six_rows", "too few for a stratified holdout", lambda ws: prepared(ws, reviews_csv(6)), ["split"]),
    Case(
        "k_too_large",
        "is larger than the smallest class",
        lambda ws: prepared(ws, reviews_csv(20), "training=kfold", "training.k=10"),
        ["split"],
    ),
    # configuration
    Case("misspelt_dataset_key", "unknown key", lambda ws: csv_source(ws, reviews_csv(), "+dataset.txt_column=review")),
    Case("misspelt_model_key", "is not a setting of", lambda ws: ws.params("+model.unitz=32"), ["train"]),
    Case("model_needs_other_features", "but features=", lambda ws: ws.params("model=bilstm"), ["train"]),
    Case(
        "tensorboard_outside",
        "textclf writes only inside it",
        lambda ws: ws.params("training.tensorboard=../tb"),
        ["train"],
    ),
    Case("stale_params", "is out of step with conf/", stale_params, ["split"]),
    *[Case(f"corrupt_params_{stage}", "is not valid YAML", corrupt_params, [stage]) for stage in STAGES],
    Case("corrupt_params_compose_check", "is not valid YAML", corrupt_params, ["textclf", "compose", "--check"]),
    Case(
        "params_not_a_mapping",
        "must be a mapping of sections",
        lambda ws: ws.write("params.yaml", "- dataset\n"),
        ["prepare"],
    ),
    Case("params_missing", "not found: run `textclf compose`", lambda ws: None, ["split"]),
    Case(
        "compose_value_override",
        "takes group choices only",
        lambda ws: None,
        ["textclf", "compose", "--conf", str(CONF), "training.epochs=6"],
    ),
    Case(
        "compose_unknown_option",
        "unknown option",
        lambda ws: None,
        ["textclf", "compose", "--conf", str(CONF), "model=mlpp"],
    ),
    Case(
        "compose_check_differs",
        "differs from the composition",
        lambda ws: ws.params("training.epochs=6"),
        ["textclf", "compose", "--conf", str(CONF), "--check"],
    ),
]

# README entries checked in tests/e2e/test_interrupts.py (they need signals or dvc): doc phrase -> test.
OTHER_TESTS = {
    "interrupted by": "test_signal_ends_train_with_one_line_and_keeps_the_last_complete_outputs",
    "Unable to acquire lock": "test_concurrent_repro_fails_cleanly_or_waits_and_corrupts_nothing",
    "is busy, it is being blocked by": "test_concurrent_repro_fails_cleanly_or_waits_and_corrupts_nothing",
}


def run_command(command: list[str]) -> int:
    """Run ``command`` as its console entry point would (same one-line error wrapper); return the exit code."""
    if command[0] == "textclf":
        from textclf.cli import main

        entry = lambda: main(command[1:])  # noqa: E731
    else:
        from textclf.stages._common import run

        entry = lambda: run(importlib.import_module(f"textclf.stages.{command[0]}").main, command[1:])  # noqa: E731
    with pytest.raises(SystemExit) as exit_:
        entry()
    return exit_.value.code


@pytest.fixture
def workspace(tmp_path, monkeypatch, server):
    url, handler = server
    root = tmp_path / "ws"
    root.mkdir()
    monkeypatch.chdir(root)
    return Workspace(root, url, handler.files, handler.lie_about_length)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_error_is_one_documented_line_and_writes_nothing(case, workspace, capsys):
    case.setup(workspace)
    before = workspace.files()
    capsys.readouterr()
    code = run_command(case.command)
    assert code == 1
    assert_one_documented_line(capsys.readouterr().err, case.doc)
    assert workspace.files() == before, "a failed command must leave every file as it was"
    assert not list(workspace.root.rglob(".textclf-tmp"))


def test_every_documented_error_has_a_case():
    docs = [case.doc for case in CASES] + list(OTHER_TESTS)
    for message in documented_errors():
        assert any(doc in message for doc in docs), f"README error entry without a test case: {message}"
    for doc in docs:
        documented(doc)
    from tests.e2e import test_interrupts

    assert all(hasattr(test_interrupts, name) for name in OTHER_TESTS.values())
    assert len({case.id for case in CASES}) == len(CASES)
