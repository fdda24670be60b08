"""scripts/leaderboard.py: every row composes and builds, its command is the row's overrides, tables render."""

import pytest
import yaml

from tests.conftest import ROOT, load_script
from textclf.compose import compose
from textclf.features import VECTORIZERS
from textclf.models.registry import MODELS, check_features

board = load_script("leaderboard")
ROWS = [(corpus, recipe) for corpus, recipes in board.BOARD.items() for recipe in recipes]


@pytest.mark.parametrize(("corpus", "recipe"), ROWS, ids=[f"{c}-{r}" for c, r in ROWS])
def test_every_row_composes_and_builds_through_the_registries(corpus, recipe):
    params = yaml.safe_load(compose(ROOT / "conf", board.overrides(corpus, recipe)))
    assert params["dataset"]["name"] == corpus
    VECTORIZERS.build(params["features"])
    MODELS.check(params["model"])
    check_features(params["model"], params["features"])
    if corpus != "imdb":  # the Chinese protocol: 5-fold CV over every row
        assert params["training"]["name"] == "kfold" and params["dataset"]["test_size"] == 0
    else:
        assert params["training"]["refit"] is True


def test_command_reproduces_the_rows_overrides():
    cmd = board.command("chnsenticorp", "logreg_word_char")
    assert cmd.startswith("dvc exp run -S 'dataset=chnsenticorp' -S 'text=jieba'")
    assert "-S 'features.analyzer=word+char'" in cmd


def row(corpus, recipe, acc, std=None):
    return {
        "corpus": corpus,
        "recipe": recipe,
        "about": "what",
        "accuracy": acc,
        "std": std,
        "f1": acc,
        "wall_seconds": 12.0,
        "command": board.command(corpus, recipe),
    }


def test_tables_go_between_the_markers_best_first(tmp_path):
    docs = tmp_path / "README.md"
    docs.write_text(f"intro\n{board.BEGIN}\nSTALE\n{board.END}\noutro\n")
    saved = {
        "meta": {"command": "python scripts/leaderboard.py", "date": "d", "machine": "m"},
        "rows": [
            row("chnsenticorp", "nbsvm", 0.89, 0.004),
            row("chnsenticorp", "logreg", 0.9, 0.005),
            row("imdb", "nbsvm", 0.915),
        ],
    }
    board.render(saved, [docs])
    text = docs.read_text()
    assert text.startswith("intro\n") and text.endswith("outro\n") and "STALE" not in text
    assert text.index("| logreg |") < text.index("| nbsvm | what | 0.8900 ± 0.0040")
    assert text.index("**imdb**") < text.index("**chnsenticorp**") and "| 0.9150 |" in text


def test_every_corpus_has_a_best_preset_and_the_board_runs_it():
    for corpus in board.CORPORA:
        assert (ROOT / f"conf/experiment/{corpus}_best.yaml").is_file(), f"conf/experiment/{corpus}_best.yaml missing"
        assert "best" in board.BOARD[corpus]
    assert board.command("imdb", "best") == "dvc exp run -S 'training.refit=true' -S 'experiment=imdb_best'"


@pytest.mark.parametrize(("corpus", "recipe"), [("imdb", "nbmlp"), ("online_shopping_cats", "logreg_word_char")])
def test_a_best_preset_equal_to_a_row_composes_exactly_that_row(corpus, recipe):
    """So that row's score is the preset's (the leaderboard runs it once)."""
    preset = yaml.safe_load(compose(ROOT / "conf", board.overrides(corpus, "best")))
    row = yaml.safe_load(compose(ROOT / "conf", board.overrides(corpus, recipe)))
    assert preset.pop("experiment") == f"{corpus}_best" and row.pop("experiment", None) is None
    assert preset == row
