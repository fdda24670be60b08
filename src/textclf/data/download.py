"""Fetch files (or folders) by URL or local path, verify sha256, and extract archives safely.

Local sources must lie under ``external/`` (:func:`check_sources`): that folder is a DVC dependency of
the download stage, so editing a source reruns the pipeline.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import logging
import lzma
import shutil
import tarfile
import urllib.request
import zlib
from pathlib import Path, PurePosixPath

from tqdm import tqdm

from textclf.errors import DataError
from textclf.io import atomic_path
from textclf.paths import is_url, raw_name, repo_file

log = logging.getLogger(__name__)
CHUNK = 1 << 20


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_of(path: str | Path) -> str:
    """A file's sha256; for a folder, the sha256 of its ``sha256sum`` listing (``<hash>  <relative path>``
    lines sorted by path), i.e. ``(cd DIR && find . -type f -printf '%P\\n' | LC_ALL=C sort | xargs -d '\\n'
    sha256sum) | sha256sum``."""
    path = Path(path)
    if not path.is_dir():
        return _file_sha256(path)
    files = sorted((f.relative_to(path).as_posix(), f) for f in path.rglob("*") if f.is_file())
    listing = "".join(f"{_file_sha256(f)}  {name}\n" for name, f in files)
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def archive_folder(name: str) -> str:
    """``aclImdb_v1.tar.gz`` -> ``aclImdb_v1`` (where an extracted archive goes in ``data/raw``)."""
    for suffix in (".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def check_sources(ds, root: str | Path = ".") -> None:
    """Every local source of ``ds`` (a :class:`~textclf.config.DatasetConfig`) lies under ``root/external``,
    and every file name stays inside the download folder.

    Raises:
        ConfigError: naming ``dataset.path`` (or the ``dataset.files`` entry) and the DVC way in.
    """
    for i, source in enumerate(ds.files):
        raw_name(source.name, f"dataset.files[{i}].name")
        for j, url in enumerate(source.urls):
            if not is_url(url):
                repo_file(url, "dataset.path" if url == ds.path else f"dataset.files[{i}].urls[{j}]", root)


def _copy_stream(src, dst, total: int | None, label: str) -> None:
    with tqdm(total=total, unit="B", unit_scale=True, desc=label, leave=False, disable=None) as bar:
        for block in iter(lambda: src.read(CHUNK), b""):
            dst.write(block)
            bar.update(len(block))


def _fetch_one(url: str, tmp: Path, root: Path, timeout: float) -> None:
    if is_url(url):
        with urllib.request.urlopen(url, timeout=timeout) as response, open(tmp, "wb") as out:
            length = response.headers.get("Content-Length")
            expected = int(length) if length else None
            _copy_stream(response, out, expected, Path(url).name)
        if expected is not None and tmp.stat().st_size != expected:
            raise OSError(f"truncated download: got {tmp.stat().st_size} of {expected} bytes")
        return
    local = root / url
    if local.is_dir():
        shutil.copytree(local, tmp, symlinks=False)
        return
    if not local.is_file():
        raise FileNotFoundError(f"no such file or folder: {url}")
    with open(local, "rb") as src, open(tmp, "wb") as out:
        _copy_stream(src, out, local.stat().st_size, local.name)


class DamagedFile(OSError):
    """A fetched file whose compressed stream is cut short or corrupt."""


# Compressed formats, by their magic bytes: readers decompress these later, so check them whole now.
COMPRESSED = {b"\x1f\x8b": ("gzip", gzip.open), b"BZh": ("bzip2", bz2.open), b"\xfd7zXZ\x00": ("xz", lzma.open)}


def check_complete(path: str | Path) -> None:
    """Read a gzip/bzip2/xz file to its end, so a truncated copy fails in download, not in a later stage.

    Raises:
        DamagedFile: the stream ends early or fails its CRC. Plain files and folders are not checked.
    """
    if Path(path).is_dir():  # a folder source (dataset.format=folders)
        return
    with open(path, "rb") as fh:
        magic = fh.read(6)
    for prefix, (kind, opener) in COMPRESSED.items():
        if magic.startswith(prefix):
            try:
                with opener(path, "rb") as stream:
                    while stream.read(CHUNK):
                        pass
            except (OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
                raise DamagedFile(f"truncated or damaged {kind} data ({exc})") from None
            return


def fetch(urls: list[str], sha256: str | None, dest: str | Path, root: str | Path = ".", timeout: float = 60) -> Path:
    """Fetch the first source of ``urls`` that works to ``dest`` and verify its sha256.

    Sources are tried in order; a source that cannot be reached or breaks off is
    skipped, but a checksum mismatch is an error (the source is wrong, not unreachable). Nothing is
    left at ``dest`` unless the checksum matches.

    Args:
        urls: ``https://``/``http://`` URLs or paths (relative to ``root``).
        sha256: expected hex digest of the file; ``None`` skips the check and logs
            the actual digest so the user can pin it.
        dest: output path.
        root: base folder for relative paths (the repository root).
        timeout: seconds to wait on a silent connection.

    Raises:
        DataError: on checksum mismatch, or when no source works (each failure is listed).
    """
    dest, failures, damaged = Path(dest), [], False
    for url in urls:
        try:
            with atomic_path(dest) as tmp:
                _fetch_one(url, tmp, Path(root), timeout)
                check_complete(tmp)
                actual = sha256_of(tmp)
                if sha256 is None:
                    log.warning(
                        "fetched %s without a checksum: its sha256 is %s (pin it with "
                        "dataset.sha256 or files[].sha256)",
                        url,
                        actual,
                    )
                elif actual != sha256.lower():
                    raise DataError(
                        f"checksum mismatch for {url}: expected sha256 {sha256}, got {actual}. "
                        f"Fix the sha256 in conf/dataset/ (or -S dataset.sha256=...) or the source."
                    )
            if sha256 is not None:
                log.info("fetched %s (sha256 ok)", url)
            return dest
        except DataError:
            raise
        except (OSError, ValueError) as exc:  # unreachable, truncated or damaged: try the next source
            log.warning("source %s failed: %s", url, exc)
            failures.append(f"{url}: {exc}")
            damaged = damaged or isinstance(exc, DamagedFile)
    reasons = "; ".join(failures) or "no source given"
    if damaged:  # rerunning would fetch the same broken bytes: the source itself needs fixing
        raise DataError(
            f"could not fetch {dest.name}: a source is damaged ({reasons}). Replace it with a complete "
            f"copy (or fix the URL), then run again."
        )
    raise DataError(f"could not fetch {dest.name} from any source ({reasons}).")


def _check_member(member: tarfile.TarInfo, source: str) -> None:
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts:
        raise DataError(f"unsafe path {member.name!r} in {source}: refusing to extract outside the target folder.")
    if member.issym() or member.islnk():
        raise DataError(f"link {member.name!r} in {source}: refusing to extract links.")
    if not (member.isfile() or member.isdir()):
        raise DataError(f"special file {member.name!r} in {source}: refusing to extract it.")


def extract(archive: str | Path, dest: str | Path, source: str | None = None) -> Path:
    """Extract a tar archive into ``dest`` after checking every member; atomic.

    ``source`` is the user's name for the archive (its URL), used in errors instead of the local copy.
    """
    archive, dest = Path(archive), Path(dest)
    source = source or archive.name
    try:
        with tarfile.open(archive) as tar, atomic_path(dest) as tmp:
            members = tar.getmembers()
            for member in members:
                _check_member(member, source)
            tmp.mkdir()
            tar.extractall(tmp, members=members, filter="data")
    except (tarfile.TarError, EOFError, zlib.error, lzma.LZMAError) as exc:  # EOFError: a truncated .tar.gz
        reason = str(exc).splitlines()[0].rstrip(":")  # tarfile lists every method it tried, one per line
        raise DataError(
            f"cannot read archive {source} ({reason}). Replace its source with a complete tar "
            f"archive, or set extract: false if the file is not an archive."
        ) from None
    return dest
