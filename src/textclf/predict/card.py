"""The model card: intended use and limits derived from a run, and ``README.md`` rendered from ``card.json``."""

from __future__ import annotations

from typing import Any

import yaml

HEADLINE = ("accuracy", "f1_macro", "roc_auc", "log_loss", "mae", "rmse", "r2")


def intended_use(card: dict[str, Any]) -> str:
    classes = ", ".join(card["classes"]) or "a numeric value"
    return (
        f"Label {card['language']} texts like those of the `{card['dataset']['name']}` corpus with "
        f"{'one of: ' if card['classes'] else ''}{classes}. Pass raw text; the bundle cleans and tokenises it "
        f"as training did."
    )


def limits(card: dict[str, Any]) -> list[str]:
    """Honest caveats that follow from the data and config of this run."""
    config, model, rows = card["config"], card["model"], card["dataset"]["rows"]
    features = config["features"]
    fitted = sorted(set(model["fit_rows"].values()))
    span = str(fitted[0]) if len(fitted) == 1 else f"{fitted[0]}-{fitted[-1]}"
    who = f"Each of the {len(model['fits'])} fold models was fitted on" if len(model["fits"]) > 1 else "Fitted on"
    scored = (
        f"the test metrics come from {rows.get('test')} held-out texts of the same corpus"
        if rows.get("test")
        else "there is no test split (dataset.test_size 0): the metrics are out-of-fold validation scores"
    )
    out = [
        f"{who} {span} of the {rows.get('train')} training texts of one corpus; {scored}. Other domains, text "
        f"lengths or languages were not evaluated."
    ]
    if features["name"] == "sequence":
        out.append(
            f"Reads at most {features.get('maxlen')} tokens per text "
            f"({'the last' if features.get('truncating', 'pre') == 'pre' else 'the first'} ones)."
        )
    if features["name"] == "hashing":
        out.append(f"Tokens are hashed into {features.get('n_features')} buckets; different tokens can collide.")
    elif features.get("num_words"):
        out.append(f"Only the {features['num_words']} most frequent training tokens count; other words are ignored.")
    if len(model["fits"]) > 1:
        out.append(
            f"No refit on all training rows (training.refit: false): predictions are the {model['combine']}, "
            f"as the evaluate stage scored the test split."
        )
    if card["classes"]:
        out.append("Probabilities are the model's scores, not calibrated; see the calibration plot of the run.")
    else:
        out.append("Predicted values are not clipped to the range of the training labels.")
    if config["text"]["name"] == "jieba":
        out.append(
            f"Chinese words are split by jieba {card['environment']['packages'].get('jieba', '')} "
            f"({config['text'].get('mode', 'precise')} mode): another jieba version may split differently."
        )
    return out


def _metrics_table(metrics: dict[str, Any]) -> list[str]:
    """Test and validation scores (``reports/metrics_details.json``), their baselines and the CV spread."""
    splits = [s for s in ("test", "val") if s in metrics]
    names = [m for m in HEADLINE if any(m in metrics[s] for s in splits)]
    lines = ["| split | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for split in splits:
        label = "validation" if split == "val" else split
        lines.append(f"| {label} | " + " | ".join(str(metrics[split].get(m, "")) for m in names) + " |")
        baseline = metrics[split].get("baseline", {})
        if baseline:
            lines.append(f"| {label} baseline | " + " | ".join(str(baseline.get(m, "")) for m in names) + " |")
    cv = metrics.get("cv")
    if cv:
        lines.append(
            "| cv (mean ± std) | "
            + " | ".join(f"{cv[m]['mean']} ± {cv[m]['std']}" if m in cv else "" for m in names)
            + " |"
        )
    return lines


def render_card(card: dict[str, Any]) -> str:
    """``README.md`` of the bundle."""
    model, dataset = card["model"], card["dataset"]
    lines = [
        f"# {card['name']}: {card['task']} text classifier ({card['language']})",
        "",
        f"Made by textclf {card['textclf_version']}: model `{model['name']}` ({model['framework']}) on "
        f"`{model['features']}` features, {model['combine']} ({', '.join(model['fits'])}), validated with "
        f"`{model['validation']}`." + (f" Classes: {', '.join(card['classes'])}." if card["classes"] else ""),
        "",
        "## Use",
        "",
        "```bash",
        'textclf predict --bundle PATH "some text"          # or --input file.csv|.jsonl|.txt, or stdin',
        "textclf serve --bundle PATH                         # POST /predict, GET /health, GET /metadata",
        "```",
        "",
        "```python",
        "import textclf",
        'result = textclf.load_bundle("PATH").predict(["some text"])',
        "result.labels, result.probabilities" if card["classes"] else "result.values",
        "```",
        "",
        "## Intended use",
        "",
        intended_use(card),
        "",
        "## Limits",
        "",
        *(f"- {item}" for item in card["limits"]),
        "",
        "## Metrics",
        "",
        *_metrics_table(card["metrics"]),
        "",
        "Full metrics (per class, confusion counts, CV folds) are in `card.json` under `metrics`.",
        "",
        "## Data",
        "",
        f"Corpus `{dataset['name']}` (text column `{dataset['text_column']}`); rows after preparation: "
        + ", ".join(f"{k} {v}" for k, v in dataset["rows"].items())
        + ".",
        "",
        *(f"- source `{s['name']}` sha256 `{s['sha256']}`" for s in dataset["sources"]),
        *(
            f"- class counts ({split}): " + ", ".join(f"{k} {v}" for k, v in counts.items())
            for split, counts in dataset["class_counts"].items()
        ),
        *(f"- `{path}` DVC hash `{md5}` (as in the run's dvc.lock)" for path, md5 in card["data_hashes"].items()),
        "",
        "## Config",
        "",
        "The composed config the model was trained with:",
        "",
        "```yaml",
        yaml.safe_dump(card["config"], sort_keys=False, allow_unicode=True).rstrip(),
        "```",
        "",
        "## Trust",
        "",
        "`manifest.json` lists the sha256 of every file; loading checks them and the textclf version. "
        "The bundle holds no pickle: scikit-learn models are skops files loaded with a fixed list of "
        "trusted types, Keras models load with `safe_mode=True`, vocabularies and settings are JSON. "
        "Still, only use bundles from sources you trust: the manifest detects damage, not a malicious author.",
        "",
        f"Trained with Python {card['environment'].get('python')} on {card['environment'].get('cpu')}: "
        + ", ".join(f"{k} {v}" for k, v in card["environment"].get("packages", {}).items())
        + ".",
        "",
    ]
    return "\n".join(lines)
