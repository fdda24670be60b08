"""End to end: a GBK Douban-style CSV with ratings trains with dataset=csv, text=jieba, no conversion."""

import json

import numpy as np
import pandas as pd
import pytest

from tests.conftest import run

pytestmark = pytest.mark.slow

GOOD = ["精彩", "感人", "好看", "推荐", "经典", "喜欢"]
BAD = ["无聊", "难看", "失望", "烂片", "拖沓", "浪费"]
FILLER = ["这部", "电影", "剧情", "演员", "导演", "画面", "音乐", "故事"]


def douban(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        star = [1, 2, 4, 5][i % 4]
        cue = GOOD if star >= 4 else BAD
        words = list(rng.choice(FILLER, 6)) + list(rng.choice(cue, 3))
        rng.shuffle(words)
        rows.append((star, "，".join(words) + "。"))
    rows += [(3, "一般般"), (0, "没评分"), (5, "")]
    return pd.DataFrame(rows, columns=["Star", "Comment"])


def test_gbk_douban_csv_with_the_rating_rule(tiny_repo):
    path = tiny_repo / "external/douban.csv"
    path.write_bytes(douban(300).to_csv(index=False).encode("gbk"))
    run(["git", "add", "-A"], tiny_repo)
    run(["git", "commit", "-qm", "douban"], tiny_repo)
    run(
        [
            "dvc",
            "exp",
            "run",
            "-S",
            "dataset=csv",
            "-S",
            "text=jieba",
            "-S",
            "dataset.path=external/douban.csv",
            "-S",
            "dataset.encoding=auto",
            "-S",
            "dataset.text_column=Comment",
            "-S",
            "dataset.label_column=Star",
            "-S",
            "dataset.label_map=null",
            "-S",
            "dataset.label_ranges={negative:[1,2],positive:[4,5]}",
        ],
        tiny_repo,
    )
    report = json.loads((tiny_repo / "reports/prepare.json").read_text(encoding="utf-8"))
    train = report["splits"]["train"]
    assert train["encoding"] == "gb18030"
    assert train["dropped"] == {"empty_text": 1, "missing_label": 0, "non_numeric_label": 0, "unmapped_label": 2}
    assert report["test_split"]["rows"] == {"train": 240, "test": 60}
    metrics = json.loads((tiny_repo / "reports/metrics.json").read_text())
    assert metrics["test"]["acc"] > 0.7  # the cue words make this easy (as in test_repro)
