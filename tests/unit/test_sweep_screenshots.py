"""scripts/sweep_screenshots.py: the grid it runs and the docs block it rewrites."""

from tests.conftest import load_script

shots = load_script("sweep_screenshots")


def test_grid_points_keep_list_values_whole():
    assert shots.grid_points(["model.units=[16],[8,8]", "training.epochs=2,4"]) == [
        ["model.units=[16]", "training.epochs=2"],
        ["model.units=[16]", "training.epochs=4"],
        ["model.units=[8,8]", "training.epochs=2"],
        ["model.units=[8,8]", "training.epochs=4"],
    ]


def test_docs_block_between_the_markers_is_replaced_with_the_tables_and_their_widths(tmp_path):
    doc = tmp_path / "evaluation.md"
    doc.write_text(f"intro\n{shots.BEGIN}\nold\n{shots.END}\noutro\n")
    shots.write_docs(doc, ["a=1,2"], {"dvc exp show --only-changed": " abc \n  wider line  \n"})
    text = doc.read_text()
    assert text.startswith("intro\n") and text.endswith(f"{shots.END}\noutro\n") and "old" not in text
    assert (
        "`dvc exp show --only-changed` (12 columns wide):" in text
        and "python scripts/sweep_screenshots.py --grid 'a=1,2'" in text
    )
