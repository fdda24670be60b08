"""`textclf predict`: inputs (arguments, stdin, CSV/TSV/JSONL/TXT, gzip), outputs (CSV, JSON lines), errors."""

import csv
import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT, make_bundle
from textclf.cli import main
from textclf.predict.stream import escape_controls, interactive

TRICKY = 'line one\nline two\r\n"quoted", comma\ttab\x00nul\x1bESC\u2028sep back\\slash 好'


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return make_bundle(tmp_path_factory.mktemp("run"))


@pytest.fixture
def cli(monkeypatch, capsys):
    """Run ``textclf ARGS`` in this process (in ``cwd``, with ``stdin``); return code, stdout, stderr."""

    def run(args, cwd, stdin=""):
        monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = 0
        try:
            main(args)
        except SystemExit as exit_:
            code = exit_.code
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return run


def one_error_line(result):
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1 and len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_arguments_give_a_csv_row_per_text_with_every_class_probability(bundle, capsys):
    main(["predict", "--bundle", str(bundle), "A great, wonderful film.", "Awful and boring."])
    out = rows(capsys.readouterr().out)
    assert [r["label"] for r in out] == ["pos", "neg"]
    assert list(out[0]) == ["label", "p_neg", "p_pos", "text"] and out[0]["text"] == "A great, wonderful film."
    assert float(out[0]["p_neg"]) + float(out[0]["p_pos"]) == pytest.approx(1)


def test_control_characters_never_split_a_record(bundle, capsys):
    main(["predict", "--bundle", str(bundle), TRICKY, "fine film"])
    csv_out = capsys.readouterr().out
    assert len(csv_out.splitlines()) == 3  # header + two records, even for str.splitlines' separators
    assert rows(csv_out)[0]["text"] == escape_controls(TRICKY)
    main(["predict", "--bundle", str(bundle), "--format", "jsonl", TRICKY, "fine film"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["text"] == TRICKY


def test_escape_controls_is_unambiguous():
    assert escape_controls("a\nb") == "a\\nb" and escape_controls("a\\nb") == "a\\\\nb"
    assert escape_controls("\x00\x7f\u2029") == "\\x00\\x7f\\u2029" and escape_controls("好 plain") == "好 plain"


def test_stdin_one_text_per_line_blank_lines_skipped(bundle, tmp_path):
    """A real process: stdin bytes, exit code."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "textclf.cli", "predict", "--bundle", str(bundle)],
        cwd=tmp_path,
        input="great wonderful film\n\n   \nawful boring mess\n",
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert [r["label"] for r in rows(result.stdout)] == ["pos", "neg"]


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (["predict", ""], "", "argument 1 is empty or blank"),
        (["predict", "fine", "  "], "", "argument 2 is empty or blank"),
        (["predict"], "", "no text to classify"),
        (["predict"], "\n  \n\t\n", "no text to classify"),
        (["predict", "--bundle", "nowhere", "text"], "", "nowhere is not a bundle folder"),
        (["predict", "--input", "missing.csv"], "", "missing.csv not found"),
        (["predict", "--input", "notes.docx"], "", "unknown input type"),
        (["predict", "--input", "t.txt", "text"], "", "not both"),
        (["predict", "--interactive", "text"], "", "--interactive reads texts from the keyboard"),
    ],
)
def test_bad_input_is_one_error_line(cli, bundle, tmp_path, args, stdin, message):
    if "--bundle" not in args:
        args = [*args, "--bundle", str(bundle)]
    assert message in one_error_line(cli(args, tmp_path, stdin))


def test_predict_never_reads_params_yaml(cli, bundle, tmp_path):
    (tmp_path / "params.yaml").write_text("dataset: [unclosed\n")
    result = cli(["predict", "--bundle", str(bundle), "great film"], tmp_path)
    assert result.returncode == 0 and rows(result.stdout)[0]["label"] == "pos", result.stderr


def write_inputs(folder: Path) -> dict[str, Path]:
    texts = ["great wonderful film", 'awful, boring "mess"', "superb\nmoving"]
    frame = pd.DataFrame({"id": [1, 2, 3], "review": texts})
    paths = {
        "csv": folder / "in.csv",
        "tsv": folder / "in.tsv",
        "jsonl": folder / "in.jsonl",
        "txt": folder / "in.txt",
        "csv.gz": folder / "in.csv.gz",
        "jsonl.gz": folder / "in.jsonl.gz",
    }
    frame.to_csv(paths["csv"], index=False)
    frame.to_csv(paths["tsv"], index=False, sep="\t")
    frame.to_csv(paths["csv.gz"], index=False)
    jsonl = "".join(json.dumps({"review": t, "id": i}) + "\n" for i, t in enumerate(texts))
    paths["jsonl"].write_text(jsonl, encoding="utf-8")
    paths["jsonl.gz"].write_bytes(gzip.compress(jsonl.encode()))
    paths["txt"].write_text("great wonderful film\n\nawful boring mess\nsuperb moving\n", encoding="utf-8")
    return paths


@pytest.mark.parametrize("kind", ["csv", "tsv", "jsonl", "txt", "csv.gz", "jsonl.gz"])
def test_files_are_streamed_in_batches_to_an_atomic_output(bundle, tmp_path, kind, capsys):
    path = write_inputs(tmp_path)[kind]
    out = tmp_path / "out.jsonl"
    main(
        [
            "predict",
            "--bundle",
            str(bundle),
            "--input",
            str(path),
            "--text-column",
            "review",
            "--batch-size",
            "2",
            "--output",
            str(out),
        ]
    )
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["label"] for r in records] == ["pos", "neg", "pos"]
    assert set(records[0]) == {"label", "probabilities", "text"}
    assert "wrote 3 predictions" in capsys.readouterr().err
    assert not (tmp_path / ".textclf-tmp").exists()


@pytest.mark.parametrize(
    "content, message",
    [
        ("review\ngood film\n\nbad film\n", None),  # pandas skips blank lines in a CSV
        ("review,id\ngood film,1\n,2\n", "in.csv row 2 is empty or blank"),
        ("text\ngood film\n", "has no column 'review' (columns: text)"),
    ],
)
def test_csv_problems_name_the_row_or_column_and_write_nothing(cli, bundle, tmp_path, content, message):
    (tmp_path / "in.csv").write_text(content)
    result = cli(
        ["predict", "--bundle", str(bundle), "--input", "in.csv", "--text-column", "review", "--output", "out.csv"],
        tmp_path,
    )
    if message is None:
        assert result.returncode == 0 and len(rows((tmp_path / "out.csv").read_text())) == 2
        return
    assert message in one_error_line(result)
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    "line, message",
    [
        ("not json", "line 2 is not valid JSON"),
        ('{"other": "x"}', "line 2 has no string field 'text'"),
        ('{"text": ""}', "line 2 is empty or blank"),
    ],
)
def test_jsonl_problems_name_the_line(cli, bundle, tmp_path, line, message):
    (tmp_path / "in.jsonl").write_text('{"text": "good film"}\n' + line + "\n")
    assert message in one_error_line(cli(["predict", "--bundle", str(bundle), "--input", "in.jsonl"], tmp_path))


def test_default_text_column_is_the_training_datas(bundle, tmp_path, capsys):
    (tmp_path / "in.csv").write_text("text,other\ngreat wonderful film,x\n")
    main(["predict", "--bundle", str(bundle), "--input", str(tmp_path / "in.csv")])
    assert rows(capsys.readouterr().out)[0]["label"] == "pos"


def test_interactive_loop_until_an_empty_line(bundle):
    from textclf.predict.bundle import load_bundle

    answers, out = iter(["great wonderful film", "awful boring mess", ""]), io.StringIO()
    interactive(load_bundle(bundle), read=lambda prompt: next(answers), out=out)
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("pos  (neg 0.") and lines[2].startswith("neg  (neg 0.") and len(lines) == 3


def test_predict_and_serve_help_do_not_import_tensorflow():
    code = (
        "import sys\nfrom textclf.cli import main\nfor cmd in ('predict', 'serve'):\n"
        "    try: main([cmd, '--help'])\n    except SystemExit: pass\n"
        "assert not any(m.split('.')[0] in ('tensorflow', 'keras', 'fastapi') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_ctrl_c_is_one_line_exit_130_and_leaves_no_output(bundle, tmp_path):
    import signal
    import time

    (tmp_path / "many.txt").write_text("great wonderful film\n" * 200_000)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "textclf.cli",
            "predict",
            "--bundle",
            str(bundle),
            "--input",
            "many.txt",
            "--batch-size",
            "1",
            "--output",
            "out.csv",
        ],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # a shell's background job ignores SIGINT, and children inherit that: undo it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not any((tmp_path / ".textclf-tmp").glob("*out.csv*")):  # writing has started
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() else "slow"
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("error: interrupted")  # textclf.errors.user_errors
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many.txt"]
