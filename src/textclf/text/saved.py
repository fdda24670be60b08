"""A tokeniser's settings written to a folder with the files they name, and rebuilt from it.

``text.json`` holds the ``text`` config section as the prepare stage used it, except that the
settings naming files (``stopwords``: bundled list names or paths; ``user_dict``) point at copies
in the same folder: ``stopwords.txt`` (the loaded stop-word set, one word per line, sorted) and
``user_dict.txt``. Loading rebuilds the tokeniser through :data:`~textclf.text.TOKENIZERS`, the
code prepare ran, so a saved tokeniser splits text exactly as the training data was split.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from textclf.errors import DataError
from textclf.io import read_json, write_json, write_text
from textclf.text import TOKENIZERS

SETTINGS_FILE, STOPWORDS_FILE, USER_DICT_FILE = "text.json", "stopwords.txt", "user_dict.txt"
FILE_SETTINGS = {"stopwords": STOPWORDS_FILE, "user_dict": USER_DICT_FILE}


def save_tokenizer(section: dict[str, Any], tokenizer, folder: str | Path) -> list[str]:
    """Write ``text.json`` (+ ``stopwords.txt``, ``user_dict.txt`` when used) to ``folder``; return their names.

    Args:
        section: the ``text`` settings ``tokenizer`` was built from (runtime knobs removed).
        tokenizer: the built tokeniser; its loaded ``stopwords`` set is what gets saved.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    settings, written = dict(section), [SETTINGS_FILE]
    if "stopwords" in settings:
        words = sorted(getattr(tokenizer, "stopwords", ()) or ())
        settings["stopwords"] = STOPWORDS_FILE if words else None
        if words:
            write_text("".join(f"{w}\n" for w in words), folder / STOPWORDS_FILE)
            written.append(STOPWORDS_FILE)
    if settings.get("user_dict"):
        shutil.copyfile(settings["user_dict"], folder / USER_DICT_FILE)
        settings["user_dict"] = USER_DICT_FILE
        written.append(USER_DICT_FILE)
    write_json(settings, folder / SETTINGS_FILE)
    return sorted(written)


def load_tokenizer(folder: str | Path):
    """Rebuild the tokeniser :func:`save_tokenizer` wrote to ``folder``."""
    folder = Path(folder)
    try:
        settings = read_json(folder / SETTINGS_FILE)
    except (OSError, ValueError) as exc:
        raise DataError(f"{folder / SETTINGS_FILE}: cannot read the tokeniser settings ({exc}).") from None
    for key, name in FILE_SETTINGS.items():
        if settings.get(key) not in (None, name):
            raise DataError(f"{folder / SETTINGS_FILE}: {key} must be {name!r} or null. Received: {settings[key]!r}")
        if settings.get(key):
            settings[key] = str(folder / name)
    return TOKENIZERS.build(settings)
