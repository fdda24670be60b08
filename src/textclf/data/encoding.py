"""Bytes of a raw file (gunzipped when gzipped) and their decoding, given or detected with confidence.

``encoding: auto`` accepts only decodings it can stand behind: a UTF-8 byte-order mark, valid UTF-8,
or GB18030 when the text reads as Chinese (see :func:`reads_as_chinese`). Anything else stops with one
line naming charset-normalizer's best guesses and asking for ``dataset.encoding``, because a wrong
guess (Latin-1 read as GB18030 gives ``cr鑝e br鹟閑``) would train on garbage without a word.
"""

from __future__ import annotations

import gzip
import logging
import re
from pathlib import Path

from textclf.errors import DataError

log = logging.getLogger(__name__)

AUTO = "auto"
_BOM = b"\xef\xbb\xbf"
# Chinese text in GBK/GB18030 is mostly GB2312 characters: both bytes in 0xA1-0xFE. Latin-1/cp1252
# text misread as GB18030 pairs an accented byte with the ASCII letter after it (second byte < 0xA1).
_GB_MULTIBYTE = re.compile(rb"[\x81-\xfe](?:[\x30-\x39][\x81-\xfe][\x30-\x39]|[\x40-\xfe])")
GB2312_SHARE = 0.9
SAMPLE = 4 << 20  # bytes looked at by the detectors
STREAM_BLOCK = 16 << 20  # bytes decoded at a time when checking a file as a stream


def read_bytes(path: Path, source: str) -> bytes:
    """The file's bytes, gunzipped when it starts with the gzip magic number (any file name)."""
    data = Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise DataError(f"{source}: broken gzip data ({exc}). Fetch or re-create the file.") from None
    return data


def open_binary(path: Path):
    """A binary stream of the file's bytes, gunzipped when it starts with the gzip magic number."""
    with open(path, "rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else open(path, "rb")


def _stream_decodes(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes as ``encoding``, read block by block (bounded memory)."""
    import codecs

    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open_binary(path) as fh:
            while block := fh.read(STREAM_BLOCK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    except (OSError, EOFError):
        return False  # broken gzip: the in-memory reader names it
    return True


def stream_encoding(path: Path, encoding: str, source: str) -> str:
    """The encoding :func:`decode` would use for the file at ``path``, found without loading it whole.

    The checks are :func:`detect`'s (validity over all bytes, the detectors on the first ``SAMPLE``
    bytes). A file :func:`decode` would reject is loaded once to raise its exact error.
    A UTF-8 byte-order mark gives ``utf-8-sig``, which drops it as :func:`decode` does.
    """
    with open_binary(path) as fh:
        try:
            sample = fh.read(SAMPLE)
        except (OSError, EOFError):
            sample = None
    if sample is not None:
        if encoding == AUTO:
            if sample.startswith(_BOM):
                chosen = "utf-8-sig"
            elif _stream_decodes(path, "utf-8"):
                chosen = "utf-8"
            elif _stream_decodes(path, "gb18030") and (
                reads_as_chinese(sample) or guesses(sample, most=1) in (["gb18030"], ["gbk"], ["gb2312"])
            ):
                chosen = "gb18030"
            else:
                chosen = None
            if chosen is not None:
                log.info("%s: detected encoding %s", source, chosen)
                return chosen
        elif _stream_decodes(path, encoding):
            is_utf8 = codecs_name(encoding) == "utf-8"
            return "utf-8-sig" if is_utf8 and sample.startswith(_BOM) else encoding
    decode(read_bytes(path, source), encoding, source)  # raises the one-line error
    raise AssertionError(f"{source}: decodes in memory but not as a stream")  # pragma: no cover


def codecs_name(encoding: str) -> str:
    import codecs

    return codecs.lookup(encoding).name


def _decodes(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def reads_as_chinese(data: bytes) -> bool:
    """Whether GB18030-valid ``data`` is mostly GB2312 characters (ordinary simplified Chinese text)."""
    pairs = [m.group() for m in _GB_MULTIBYTE.finditer(data[:SAMPLE])]
    common = sum(len(p) == 2 and p[1] >= 0xA1 for p in pairs)
    return bool(pairs) and common >= GB2312_SHARE * len(pairs)


def guesses(data: bytes, most: int = 5) -> list[str]:
    """charset-normalizer's likely encodings of ``data``, best first (empty if none fits)."""
    from charset_normalizer import from_bytes

    names = [name for match in from_bytes(data[:SAMPLE]) for name in (match.encoding, *match.could_be_from_charset)]
    return list(dict.fromkeys(names))[:most]


def detect(data: bytes) -> str | None:
    """The encoding ``auto`` picks, or ``None`` when it cannot pick one with confidence."""
    if data.startswith(_BOM):
        return "utf-8-sig"
    if _decodes(data, "utf-8") is not None:
        return "utf-8"
    if _decodes(data, "gb18030") is not None and (
        reads_as_chinese(data) or guesses(data, most=1) in (["gb18030"], ["gbk"], ["gb2312"])
    ):
        return "gb18030"
    return None


def _unsure(data: bytes, source: str) -> str:
    guess = guesses(data)
    likely = f"its likely encodings are {', '.join(guess[:4])}" if guess else "no encoding fits it well"
    example = "cp1252" if "cp1252" in guess or not guess else guess[0]  # cp1252: the usual Western European one
    return (
        f"{source}: encoding: auto cannot tell this file's encoding with confidence (it is not UTF-8 and does "
        f"not read as Chinese GB18030/GBK; {likely}). Set dataset.encoding to the file's encoding, e.g. "
        f"dataset.encoding={example}, or re-save it as UTF-8."
    )


def decode(data: bytes, encoding: str, source: str) -> tuple[str, str]:
    """Return ``(text, encoding used)``; ``encoding='auto'`` detects (see the module docstring).

    Raises:
        DataError: naming ``source``: the given encoding fails (with the one ``auto`` would pick), or
            ``auto`` is not confident.
    """
    if encoding == AUTO:
        chosen = detect(data)
        if chosen is None:
            raise DataError(_unsure(data, source))
        log.info("%s: detected encoding %s", source, chosen)
        return data.decode(chosen), chosen
    text = _decodes(data, encoding)
    if text is not None:
        return (text[1:] if text.startswith("\ufeff") else text), encoding
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        where = f"line {line}, byte {exc.start}"
    detected = detect(data)
    if detected is None:
        raise DataError(f"{source}: not valid {encoding} (at {where}). " + _unsure(data, source).split(": ", 1)[1])
    raise DataError(
        f"{source}: not valid {encoding} (at {where}); it decodes as {detected}: "
        f"set dataset.encoding={detected} (or auto)."
    )
