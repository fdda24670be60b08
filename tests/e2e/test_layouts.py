"""End to end: a tiny file in every layout a user may bring, through `dvc repro`, checking the prepared rows.

One template repository (git + DVC) is built per module and copied per case. The layout cases use
`model=logreg` on tf-idf, so they run without TensorFlow; the Douban and Pima cases run the documented
commands (MLP) with few epochs. Each case also checks that editing the source makes `dvc status` report
the download stage as changed: the file is versioned, not read in place.
"""

import json
import shutil
import sys

import pandas as pd
import pytest
import yaml

from tests.conftest import make_tiny_repo, run, synthetic_reviews

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_tiny_repo(tmp_path_factory.mktemp("template") / "repo", extra=("external/pima",))


@pytest.fixture
def repo(template, tmp_path):
    return shutil.copytree(template, tmp_path / "repo", symlinks=True)


def reviews(n: int, seed: int) -> pd.DataFrame:
    """Synthetic English reviews plus one empty text and one unmapped label (both dropped)."""
    frame = synthetic_reviews(n, seed)[["text", "label"]]
    return pd.concat([frame, pd.DataFrame({"text": ["", "Fine."], "label": ["pos", "meh"]})], ignore_index=True)


def use_dataset(repo, **keys) -> None:
    """conf/dataset/mine.yaml = conf/dataset/csv.yaml with ``keys`` (what docs/data.md tells a user to do)."""
    config = yaml.safe_load((repo / "conf/dataset/csv.yaml").read_text())
    config.update(name="mine", classes=["neg", "pos"], label_map=None, encoding="auto", **keys)
    (repo / "conf/dataset/mine.yaml").write_text(yaml.safe_dump(config, allow_unicode=True))
    run([sys.executable, "-m", "textclf.cli", "compose", "dataset=mine", "features=tfidf", "model=logreg"], repo)


def write_csv(repo, frame, tmp_path):
    """A file outside the repository, brought in with `dvc import-url` (docs/data.md)."""
    outside = tmp_path / "outside/mine.csv"
    outside.parent.mkdir()
    frame.to_csv(outside, index=False)
    run(["dvc", "import-url", str(outside), "external/mine.csv"], repo)
    use_dataset(repo, path="external/mine.csv", text_column="text")

    def edit():
        outside.write_text(outside.read_text() + "A new review.,pos\n")
        run(["dvc", "update", "external/mine.csv.dvc"], repo)

    return edit


def write_jsonl(repo, frame, tmp_path):
    path = repo / "external/mine.jsonl"
    path.write_text("".join(json.dumps({"review": t, "sentiment": s}) + "\n" for t, s in frame.values))
    use_dataset(repo, path="external/mine.jsonl", format="jsonl", text_column="review", label_column="sentiment")
    return lambda: path.write_text(path.read_text() + '{"review": "new", "sentiment": "pos"}\n')


def write_parquet(repo, frame, tmp_path):
    path = repo / "external/mine.parquet"
    frame.rename(columns={"text": "body"}).to_parquet(path)
    use_dataset(repo, path="external/mine.parquet", format="parquet", text_column="body")
    return lambda: frame.iloc[:-1].rename(columns={"text": "body"}).to_parquet(path)


def write_folders(repo, frame, tmp_path):
    """The raw aclImdb layout: train/ and test/, one folder per class (and an unlabelled one), `dvc add`ed."""
    root = repo / "external/mine"
    for i, (text, label) in enumerate(frame.values):
        split, label = ("test" if i % 5 == 0 else "train"), ("unsup" if label == "meh" else label)
        (root / split / label).mkdir(parents=True, exist_ok=True)
        (root / split / label / f"{i}_1.txt").write_text(text)
    run(["dvc", "add", "external/mine"], repo)
    use_dataset(repo, path="external/mine", format="folders", splits={"train": "source/train", "test": "source/test"})
    return lambda: (root / "train/pos/1_1.txt").write_text("Changed.")


LAYOUTS = {"csv": write_csv, "jsonl": write_jsonl, "parquet": write_parquet, "folders": write_folders}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_each_layout_runs_through_dvc_repro_and_its_edits_are_tracked(repo, tmp_path, layout):
    frame = reviews(40, seed=3)
    edit = LAYOUTS[layout](repo, frame, tmp_path)
    run(["git", "add", "-A"], repo)
    run(["git", "commit", "-qm", layout], repo)
    run(["dvc", "repro"], repo)

    prepared = pd.concat([pd.read_parquet(repo / f"data/prepared/{s}.parquet") for s in ("train", "test")])
    kept = frame[(frame["text"] != "") & (frame["label"] != "meh")]
    assert sorted(prepared["raw_text"]) == sorted(kept["text"])
    by_text = dict(zip(kept["text"], kept["label"].map({"neg": 0, "pos": 1}), strict=True))
    assert all(by_text[t] == y for t, y in zip(prepared["raw_text"], prepared["label"], strict=True))
    assert all(t == t.lower() and "<br" not in t for t in prepared["text"])  # text=english tokens
    report = json.loads((repo / "reports/prepare.json").read_text())
    dropped = {k: v for split in report["splits"].values() for k, v in split.get("dropped_labels", {}).items()}
    assert dropped["unmapped_label"] == {"unsup" if layout == "folders" else "meh": 1}
    assert "empty_text" in dropped
    assert report["splits"]["train"]["file"].startswith("external/mine")  # errors and reports name the user's file
    assert json.loads((repo / "reports/metrics_details.json").read_text())["test"]["n"] == len(
        pd.read_parquet(repo / "data/prepared/test.parquet")
    )

    assert "Data and pipelines are up to date" in run(["dvc", "status"], repo).stdout
    edit()
    status = run(["dvc", "status"], repo).stdout
    assert "download:" in status and "external" in status, status


def douban_lines(n: int) -> str:
    """Rating, two spaces, then the already-cut review: ratings 1-5 and 0 (no rating)."""
    good, bad = ["很", "好看", "推荐", "经典"], ["太", "无聊", "失望", "烂片"]
    lines = []
    for i in range(n):
        rating = [5, 4, 1, 2, 3, 0][i % 6]
        words = (good if rating >= 4 else bad) * 2 + ["的", "电影", "，"]
        lines.append(f"{rating}  {' '.join(words[i % 3 :])}")
    return "\n".join(lines) + "\n"


def test_douban_layout_runs_from_the_documented_command(repo):
    (repo / "external/douban.txt").write_bytes(douban_lines(120).encode("gbk"))
    run(["git", "add", "-A"], repo)
    run(["git", "commit", "-qm", "douban"], repo)
    run(
        [
            "dvc",
            "exp",
            "run",
            "-S",
            "dataset=douban",
            "-S",
            "text=whitespace",
            "-S",
            "dataset.path=external/douban.txt",
            "-S",
            "training.epochs=2",
        ],
        repo,
    )
    train = json.loads((repo / "reports/prepare.json").read_text())["splits"]["train"]
    assert train["encoding"] == "gb18030" and train["rows_kept"] == 80
    assert train["dropped_labels"] == {"unmapped_label": {"0": 20, "3": 20}}
    prepared = pd.read_parquet(repo / "data/prepared/train.parquet")
    assert prepared["text"].str.contains("好看|无聊").all()  # the given tokens, not re-cut
    assert set(json.loads((repo / "reports/metrics.json").read_text())) == {"val", "test"}


def test_pima_runs_from_the_documented_command_with_cv_only(repo):
    run(["dvc", "exp", "run", "-S", "experiment=pima", "-S", "training.epochs=2", "-S", "training.k=3"], repo)
    report = json.loads((repo / "reports/prepare.json").read_text())
    assert report["splits"]["train"]["missing_values"]["insulin"] == 374
    assert report["test_split"]["rows"] == {"train": 768, "test": 0}
    prepared = pd.read_parquet(repo / "data/prepared/train.parquet")
    assert list(prepared.columns) == [
        "pregnant",
        "glucose",
        "pressure",
        "triceps",
        "insulin",
        "mass",
        "pedigree",
        "age",
        "label",
        "raw_text",
    ]
    assert prepared["glucose"].isna().sum() == 5 and (prepared["glucose"] == 0).sum() == 0
    assert set(json.loads((repo / "reports/metrics.json").read_text())) == {"cv"}
    details = json.loads((repo / "reports/metrics_details.json").read_text())
    assert set(details) == {"val", "cv"} and details["val"]["n"] == 768
    assert "No test split" in (repo / "reports/summary.md").read_text()
    assert (repo / "reports/figures/roc.png").is_file()
    run(
        ["dvc", "exp", "run", "-S", "experiment=pima", "-S", "model=logreg", "-S", "training.k=3"], repo
    )  # the baseline
    assert json.loads((repo / "reports/metrics.json").read_text())["cv"]["acc"]["mean"] > 0.65
