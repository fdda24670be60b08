"""external/MANIFEST.md, external/SHA256SUMS and the bundled files agree (rows, bytes, sha256)."""

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

EXTERNAL = Path(__file__).resolve().parents[2] / "external"
ROW = re.compile(r"^\| (\S+) \| .* \| ([\d,]+) (?:\(|words).* \| .* \| ([\d,]+) \| ([0-9a-f]{64}) \|$")
MANIFEST = {m[1]: m for m in map(ROW.match, (EXTERNAL / "MANIFEST.md").read_text(encoding="utf-8").splitlines()) if m}
SUMS = dict(reversed(line.split("  ", 1)) for line in (EXTERNAL / "SHA256SUMS").read_text().splitlines())


def bundled() -> list[str]:
    skip = {"MANIFEST.md", "SHA256SUMS", ".gitignore"}
    return sorted(
        p.relative_to(EXTERNAL).as_posix()
        for p in EXTERNAL.rglob("*")
        if p.is_file() and p.name not in skip and p.suffix != ".dvc"
    )


def test_every_bundled_file_is_in_the_manifest_and_the_checksums():
    assert bundled() == sorted(MANIFEST) == sorted(SUMS)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_manifest_row_matches_the_file(name):
    _, rows, size, sha = MANIFEST[name].groups()
    path = EXTERNAL / name
    assert path.stat().st_size == int(size.replace(",", ""))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha == SUMS[name]
    if name.endswith((".csv", ".csv.gz")):
        count = len(pd.read_csv(path, usecols=[0]))
    else:
        count = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    assert count == int(rows.replace(",", ""))


def test_tiny_corpus_is_what_the_test_generator_writes(tmp_path):
    from tests.conftest import synthetic_reviews, write_csv_gz

    for name, (n, seed) in {"train": (240, 1), "test": (120, 2)}.items():
        write_csv_gz(synthetic_reviews(n, seed), tmp_path / f"{name}.csv.gz")
        assert (tmp_path / f"{name}.csv.gz").read_bytes() == (EXTERNAL / f"tiny/{name}.csv.gz").read_bytes()
