"""Atomic file output and small readers/writers shared by the stages."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

TMP_DIR = ".textclf-tmp"  # beside each output (same filesystem, so the rename is atomic); gitignored


def _owner_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def remove_stale_temps(folder: Path) -> None:
    """Delete temporaries in ``folder`` whose writing process has died (e.g. a stage killed with SIGKILL)."""
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        pid = entry.name.split("-", 1)[0]
        if not pid.isdigit() or _owner_alive(int(pid)):
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _new_temp(path: Path) -> Path:
    """A fresh, unused name in ``path.parent/.textclf-tmp/``, owned by this process (its pid comes first)."""
    folder = path.parent / TMP_DIR
    remove_stale_temps(folder)
    for _ in range(3):  # a concurrent writer may remove the empty folder between mkdir and mkstemp
        folder.mkdir(parents=True, exist_ok=True)
        try:
            # Keep the real suffix last: some writers (Keras) insist on it.
            fd, tmp = tempfile.mkstemp(prefix=f"{os.getpid()}-{path.name}.", suffix=f".tmp{path.suffix}", dir=folder)
            break
        except FileNotFoundError:
            continue
    else:
        raise FileNotFoundError(f"cannot create a temporary file in {folder}")
    os.close(fd)
    os.unlink(tmp)
    return Path(tmp)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path for ``path``; rename it onto ``path`` on success.

    The temporary lives in ``.textclf-tmp/`` beside ``path`` (gitignored). On any error,
    Ctrl-C or SIGTERM (see :func:`textclf.errors.user_errors`) it is removed, so a failed
    write never leaves a half-written output; one left by a killed process (SIGKILL) is
    removed by the next write into the same folder.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = _new_temp(path)
    try:
        yield tmp_path
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        os.replace(tmp_path, path)
    finally:
        if tmp_path.is_dir():
            shutil.rmtree(tmp_path, ignore_errors=True)
        elif tmp_path.exists():
            tmp_path.unlink()
        with contextlib.suppress(OSError):  # not empty: another writer is using it
            tmp_path.parent.rmdir()


def file_digest(path: str | Path, algorithm: str = "sha256") -> str:
    """Hex digest of a file's bytes (``sha256``, or e.g. ``md5`` as DVC hashes files)."""
    import hashlib

    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, algorithm).hexdigest()


def write_json(obj: Any, path: str | Path) -> None:
    """Write ``obj`` as indented JSON, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_json(path: str | Path) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_text(text: str, path: str | Path) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_parquet(frame, path: str | Path) -> None:
    """Write a pandas DataFrame to parquet, atomically."""
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)


def write_csv(frame, path: str | Path) -> None:
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)


def save_matrix(matrix, path_stem: str | Path) -> Path:
    """Save a scipy sparse matrix as ``.npz`` or a numpy array as ``.npy``; return the path."""
    import numpy as np
    import scipy.sparse as sp

    path_stem = Path(path_stem)
    if sp.issparse(matrix):
        path = path_stem.with_suffix(".npz")
        with atomic_path(path) as tmp:
            _save_csr_reproducibly(sp.csr_matrix(matrix), tmp)
    else:
        path = path_stem.with_suffix(".npy")
        with atomic_path(path) as tmp:
            with open(tmp, "wb") as fh:
                np.save(fh, matrix)
    return path


ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest zip timestamp: archives then depend on content only


def rewrite_zip(path: str | Path, transform: Callable[[str, bytes], tuple[str, bytes]]) -> None:
    """Rewrite the zip archive at ``path`` in place: entries in the same order and compression, each
    ``(name, data)`` passed through ``transform``, every timestamp set to :data:`ZIP_EPOCH`."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            name, data = transform(info.filename, data)
            fixed = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            fixed.compress_type = info.compress_type
            archive.writestr(fixed, data)


def _save_csr_reproducibly(matrix, path: Path) -> None:
    """Like ``scipy.sparse.save_npz`` but with fixed zip timestamps, so equal inputs give equal bytes
    (DVC then sees an unchanged output and skips downstream stages)."""
    with CsrWriter(path) as writer:
        writer.append(matrix)


class CsrWriter:
    """Write a CSR matrix to ``path`` (``.npz``, as :func:`save_matrix`) block of rows by block of rows.

    Only the row pointers stay in memory; the blocks' column indices and values wait in temporary
    files beside ``path`` until :meth:`close` writes the archive. The bytes equal those of the whole
    matrix saved at once: the same arrays, dtypes (int64 indices only past 2**31 - 1 entries, as
    scipy chooses) and zip entries (deflate output does not depend on how its input is split).
    """

    BLOCK = 16 << 20  # bytes copied at a time

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._row_nnz: list = []
        self._parts = {
            name: open(self.path.with_name(f"{self.path.name}.{name}.part"), "w+b") for name in ("indices", "data")
        }
        self._dtype = self._n_cols = None
        self._empty = None

    def append(self, block) -> None:
        """Add the rows of the CSR matrix ``block`` (same width and value dtype as the others)."""
        import numpy as np
        import scipy.sparse as sp

        block = sp.csr_matrix(block)
        if self._n_cols is None:
            self._n_cols, self._dtype, self._empty = block.shape[1], block.dtype, block[:0]
        elif (block.shape[1], block.dtype) != (self._n_cols, self._dtype):
            raise ValueError(
                f"block of shape {block.shape} and dtype {block.dtype}; "
                f"expected {self._n_cols} columns of {self._dtype}"
            )
        self._row_nnz.append(np.diff(block.indptr).astype(np.int64))
        self._parts["indices"].write(block.indices.astype(np.int64).tobytes())
        self._parts["data"].write(block.data.tobytes())

    def close(self) -> None:
        import io
        import zipfile

        import numpy as np

        if self._n_cols is None:
            raise ValueError(f"{self.path}: no rows appended")
        row_nnz = np.concatenate(self._row_nnz)
        nnz = int(row_nnz.sum())
        big = max(nnz, len(row_nnz), self._n_cols) > np.iinfo(np.int32).max
        index_dtype = np.dtype(np.int64 if big else self._empty.indices.dtype)
        indptr = np.concatenate([[0], np.cumsum(row_nnz)]).astype(index_dtype)
        small = {"indptr": indptr, "format": np.array("csr"), "shape": np.array((len(row_nnz), self._n_cols))}
        with zipfile.ZipFile(self.path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in ("indices", "indptr", "format", "shape", "data"):
                info = zipfile.ZipInfo(f"{name}.npy", date_time=ZIP_EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                if name in small:
                    buffer = io.BytesIO()
                    np.lib.format.write_array(buffer, small[name], allow_pickle=False)
                    archive.writestr(info, buffer.getvalue())
                else:
                    stored, dtype = (np.int64, index_dtype) if name == "indices" else (self._dtype, self._dtype)
                    self._copy_part(archive, info, self._parts[name], np.dtype(stored), np.dtype(dtype), nnz)
        self._discard()

    def _copy_part(self, archive, info, part, stored, dtype, length: int) -> None:
        """One ``.npy`` entry of ``length`` values of ``dtype`` read from ``part`` (values of ``stored``)."""
        import io

        import numpy as np

        header = io.BytesIO()
        np.lib.format.write_array_header_1_0(
            header, {"descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False, "shape": (length,)}
        )
        info.file_size = len(header.getvalue()) + length * dtype.itemsize  # as writestr sets it
        part.seek(0)
        with archive.open(info, "w") as entry:
            entry.write(header.getvalue())
            step = max(1, self.BLOCK // stored.itemsize) * stored.itemsize
            while chunk := part.read(step):
                entry.write(np.frombuffer(chunk, dtype=stored).astype(dtype, copy=False).tobytes())

    def _discard(self) -> None:
        for part in self._parts.values():
            part.close()
            Path(part.name).unlink(missing_ok=True)

    def __enter__(self) -> CsrWriter:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self.close()
        else:
            self._discard()


def load_matrix(path_stem: str | Path):
    """Load what :func:`save_matrix` wrote under ``path_stem`` (either suffix)."""
    import numpy as np
    import scipy.sparse as sp

    path_stem = Path(path_stem)
    if path_stem.with_suffix(".npz").exists():
        return sp.load_npz(path_stem.with_suffix(".npz")).tocsr()
    return np.load(path_stem.with_suffix(".npy"))


class MatrixRows:
    """Rows of a matrix :func:`save_matrix` wrote, read from disk when asked for, never all at once.

    A ``.npz`` (CSR) keeps its row pointers in memory (8 bytes a row); its column indices and values
    are copied once, uncompressed, into ``scratch`` (a streaming pass) and memory-mapped only while
    :meth:`take` gathers rows, so the process holds the rows asked for, not the matrix. A ``.npy``
    array is mapped the same way. ``take`` returns what indexing the loaded matrix would.
    """

    COPY_BLOCK = 16 << 20

    def __init__(self, path_stem: str | Path, scratch: str | Path):
        import zipfile

        import numpy as np

        path_stem, scratch = Path(path_stem), Path(scratch)
        npz = path_stem.with_suffix(".npz")
        self.sparse = npz.exists()
        if not self.sparse:
            self._files = {"array": path_stem.with_suffix(".npy")}
            array = np.load(self._files["array"], mmap_mode="r")
            self.shape, self.dtype = array.shape, array.dtype
            return
        self._files = {}
        with zipfile.ZipFile(npz) as archive:
            with archive.open("indptr.npy") as fh:
                self.indptr = np.lib.format.read_array(fh)
            with archive.open("shape.npy") as fh:
                self.shape = tuple(int(d) for d in np.lib.format.read_array(fh))
            for name in ("indices", "data"):
                self._files[name] = scratch / f"{npz.stem}.{name}.npy"
                with archive.open(f"{name}.npy") as src, open(self._files[name], "wb") as dst:
                    shutil.copyfileobj(src, dst, self.COPY_BLOCK)
        self.dtype = np.load(self._files["data"], mmap_mode="r").dtype

    def __len__(self) -> int:
        return self.shape[0]

    def take(self, rows):
        """The rows at positions ``rows`` (an integer array), in that order: ``X[rows]``."""
        import numpy as np
        import scipy.sparse as sp

        rows = np.asarray(rows, dtype=np.int64)
        if not self.sparse:
            return np.array(np.load(self._files["array"], mmap_mode="r")[rows])  # a copy; the map closes
        starts = self.indptr[rows]
        lengths = self.indptr[rows + 1] - starts
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        flat = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])  # entries of the rows, in order
        indices = np.load(self._files["indices"], mmap_mode="r")[flat]
        data = np.load(self._files["data"], mmap_mode="r")[flat]
        return sp.csr_matrix((np.asarray(data), np.asarray(indices), indptr), shape=(len(rows), self.shape[1]))

    def blocks(self, block_rows: int) -> Iterator:
        """The rows in order, ``block_rows`` at a time."""
        import numpy as np

        for start in range(0, len(self), block_rows):
            yield self.take(np.arange(start, min(len(self), start + block_rows)))


def markdown_table(header: list[str], rows: list[list[str]], align: str = "---") -> list[str]:
    """GitHub markdown table lines; cells are already text, ``|`` in them is escaped.

    ``align`` is the separator of every column after the first (``---:`` right-aligns numbers).
    """

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    return [line(header), "|" + "|".join(["---"] + [align] * (len(header) - 1)) + "|", *map(line, rows)]
