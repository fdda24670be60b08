"""download: local and HTTP sources, checksum/truncation errors, safe tar extraction."""

import bz2
import gzip
import hashlib
import lzma
from pathlib import Path

import pytest

from tests.conftest import make_tarball
from textclf.config import DatasetConfig
from textclf.data.download import extract, fetch
from textclf.data.readers import read_split
from textclf.errors import DataError


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


ACLIMDB = {
    "aclImdb/train/pos/1_9.txt": b"A wonderful film.<br />Loved it.",
    "aclImdb/train/neg/0_2.txt": b"Dull and long.",
    "aclImdb/train/neg/10_1.txt": b"Worst ever.",
    "aclImdb/test/pos/3_8.txt": b"Great.",
    "aclImdb/test/neg/4_3.txt": b"Bad.",
}


def test_fetch_local_path_relative_to_root(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src/a.csv").write_bytes(b"x,y\n")
    out = fetch(["src/a.csv"], sha(b"x,y\n"), tmp_path / "out/a.csv", root=tmp_path)
    assert out.read_bytes() == b"x,y\n"


def test_checksum_mismatch_names_file_and_hashes_and_leaves_nothing(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"tampered")
    expected = sha(b"original")
    with pytest.raises(DataError) as err:
        fetch([str(tmp_path / "a.csv")], expected, tmp_path / "out/a.csv")
    message = str(err.value)
    assert "a.csv" in message and expected in message and sha(b"tampered") in message
    assert list((tmp_path / "out").iterdir()) == []


def test_unreachable_sources_are_tried_in_order(tmp_path, server):
    url, handler = server
    handler.files["/data.bin"] = b"payload"
    out = fetch(
        [str(tmp_path / "missing.bin"), f"{url}/nothing", f"{url}/data.bin"], sha(b"payload"), tmp_path / "data.bin"
    )
    assert out.read_bytes() == b"payload"


def test_no_working_source_is_one_error(tmp_path, server):
    url, _ = server
    with pytest.raises(DataError, match="could not fetch data.bin from any source"):
        fetch([f"{url}/nothing"], sha(b""), tmp_path / "data.bin")
    assert not (tmp_path / "data.bin").exists()


def test_truncated_http_download_is_an_error_with_no_output(tmp_path, server):
    url, handler = server
    handler.files["/big.bin"] = b"0123456789"
    handler.lie_about_length.add("/big.bin")
    with pytest.raises(DataError, match="could not fetch big.bin .*truncated download: got 10 of 110 bytes"):
        fetch([f"{url}/big.bin"], sha(b"0123456789"), tmp_path / "big.bin")
    assert list(tmp_path.iterdir()) == []


def test_http_tarball_in_aclimdb_layout_downloads_extracts_and_reads(tmp_path, server):
    url, handler = server
    archive = make_tarball(ACLIMDB)
    handler.files["/aclImdb_v1.tar.gz"] = archive
    path = fetch([f"{url}/aclImdb_v1.tar.gz"], sha(archive), tmp_path / "raw/aclImdb_v1.tar.gz")
    extract(path, tmp_path / "raw/aclImdb_v1")
    ds = DatasetConfig(
        name="t",
        files=[],
        format="aclimdb",
        classes=["neg", "pos"],
        splits={"train": "aclImdb_v1/aclImdb/train", "test": "aclImdb_v1/aclImdb/test"},
    )
    train = read_split(tmp_path / "raw", ds, "train")
    assert train["label"].tolist() == ["neg", "neg", "pos"]  # by class folder, then numeric id: 0_2, 10_1, 1_9
    assert train["text"].tolist() == ["Dull and long.", "Worst ever.", "A wonderful film.<br />Loved it."]
    ratings = DatasetConfig(**{**vars(ds), "label_column": "rating"})
    assert read_split(tmp_path / "raw", ratings, "train")["label"].tolist() == ["2", "1", "9"]


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil.txt", "a/../../evil.txt"])
def test_extract_rejects_paths_outside_target(tmp_path, name):
    archive = tmp_path / "bad.tar.gz"
    archive.write_bytes(make_tarball({name: b"x"}))
    with pytest.raises(DataError, match="unsafe path"):
        extract(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_extract_rejects_links(tmp_path):
    archive = tmp_path / "links.tar.gz"
    archive.write_bytes(make_tarball({}, links=("aclImdb/link",)))
    with pytest.raises(DataError, match="refusing to extract links"):
        extract(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_corrupt_archive_is_a_clear_error(tmp_path):
    archive = tmp_path / "broken.tar.gz"
    archive.write_bytes(b"not a tarball")
    with pytest.raises(DataError, match="cannot read archive"):
        extract(archive, tmp_path / "out")
    assert not Path(tmp_path / "out").exists()


def test_unpinned_file_is_fetched_and_its_sha256_logged(tmp_path, caplog):
    source = tmp_path / "user.csv"
    source.write_bytes(b"label,text\n1,ok\n")
    caplog.set_level("INFO")
    fetch([str(source)], None, tmp_path / "raw/data.csv")
    assert (tmp_path / "raw/data.csv").read_bytes() == source.read_bytes()
    assert f"its sha256 is {sha(source.read_bytes())}" in caplog.text


def test_truncated_unpinned_gzip_is_not_fetched_and_the_message_says_to_replace_the_source(tmp_path):
    whole = gzip.compress(b"text,label\n" + b"a fine film,pos\n" * 2000, mtime=0)
    (tmp_path / "src.csv.gz").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(
        DataError,
        match=r"could not fetch data\.csv: a source is damaged \(.*src\.csv\.gz: truncated "
        r"or damaged gzip data .*Replace it with a complete copy",
    ):
        fetch([str(tmp_path / "src.csv.gz")], None, tmp_path / "raw/data.csv")
    assert list((tmp_path / "raw").iterdir()) == []  # nothing recorded as downloaded: a rerun fetches again


def test_damaged_source_falls_back_to_the_next_one(tmp_path):
    whole = gzip.compress(b"x" * 10000, mtime=0)
    (tmp_path / "cut.gz").write_bytes(whole[:-8])  # CRC and length trailer missing
    (tmp_path / "good.gz").write_bytes(whole)
    out = fetch([str(tmp_path / "cut.gz"), str(tmp_path / "good.gz")], None, tmp_path / "raw/data.gz")
    assert out.read_bytes() == whole


@pytest.mark.parametrize("compress", [bz2.compress, lzma.compress])
def test_truncated_bzip2_and_xz_are_damaged_too(tmp_path, compress):
    data = compress(bytes(range(256)) * 400)
    (tmp_path / "src").write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match="a source is damaged"):
        fetch([str(tmp_path / "src")], None, tmp_path / "raw/src")


def test_truncated_tar_gz_is_a_clear_error_in_extract_too(tmp_path):
    archive = make_tarball({f"aclImdb/{i}.txt": bytes(range(256)) * 40 for i in range(20)})
    (tmp_path / "cut.tar.gz").write_bytes(archive[: len(archive) // 2])
    with pytest.raises(DataError, match=r"cannot read archive cut\.tar\.gz \(Compressed file ended"):
        extract(tmp_path / "cut.tar.gz", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def run_download_stage(repo: Path, dataset: dict) -> None:
    import yaml

    from textclf.stages import download

    (repo / "params.yaml").write_text(
        yaml.safe_dump({"dataset": {"name": "d", "splits": {"train": "source"}, "classes": ["a", "b"], **dataset}})
    )
    download.main(["--params", str(repo / "params.yaml"), "--out", str(repo / "data/raw"), "--root", str(repo)])


@pytest.mark.parametrize(
    "dataset,message",
    [
        (
            {"path": "../../escaped.csv", "files": [{"name": "source", "sha256": None, "urls": ["../../escaped.csv"]}]},
            r"^dataset\.path=\.\./\.\./escaped\.csv is outside the repository .*dvc import-url .*/escaped\.csv "
            r"external/escaped\.csv.*set dataset\.path=external/escaped\.csv",
        ),
        (
            {"files": [{"name": "../../../escaped.csv", "sha256": None, "urls": ["external/a.csv"]}]},
            r"^dataset\.files\[0\]\.name must be a file name inside data/raw",
        ),
        (
            {"files": [{"name": "source", "sha256": None, "urls": ["a.csv"]}]},
            r"^dataset\.files\[0\]\.urls\[0\]=a\.csv is not under external/",
        ),
    ],
)
def test_download_stage_refuses_paths_leaving_the_repository_and_writes_nothing(tmp_path, dataset, message):
    repo = tmp_path / "a/b/repo"
    (repo / "external").mkdir(parents=True)
    (repo / "external/a.csv").write_text("text,label\nx,a\n")
    (repo / "a.csv").write_text("text,label\nx,a\n")
    (tmp_path / "a/escaped.csv").write_text("text,label\nx,a\n")
    from textclf.errors import ConfigError

    with pytest.raises(ConfigError, match=message):
        run_download_stage(repo, dataset)
    assert not (repo / "data").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["a"]
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["b", "escaped.csv"]


def test_a_folder_source_is_copied_and_its_tree_sha256_checked(tmp_path):
    tree = tmp_path / "external/reviews"
    for name, text in {"pos/1.txt": "good", "neg/2.txt": "bad", "neg/sub/3.txt": "worse"}.items():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text(text)
    listing = "".join(
        f"{sha(text.encode())}  {name}\n"
        for name, text in sorted({"pos/1.txt": "good", "neg/2.txt": "bad", "neg/sub/3.txt": "worse"}.items())
    )
    digest = sha(listing.encode())
    run_download_stage(
        tmp_path,
        {"path": "external/reviews", "files": [{"name": "source", "sha256": digest, "urls": ["external/reviews"]}]},
    )
    assert (tmp_path / "data/raw/source/neg/sub/3.txt").read_text() == "worse"
    with pytest.raises(DataError, match=r"checksum mismatch for external/reviews: expected sha256 0+, got " + digest):
        run_download_stage(tmp_path, {"files": [{"name": "source", "sha256": "0" * 64, "urls": ["external/reviews"]}]})
