"""Stop-word lists: the bundled ones by name, or a user's file (one word per line).

In the pipeline a user's file must lie under ``external/`` (:func:`check_text_paths`, called by the
prepare stage); a saved tokeniser (the bundle) names its own copy wherever the bundle lives.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textclf.errors import ConfigError
from textclf.paths import repo_file

# Bundled lists (external/stopwords, see external/MANIFEST.md): HIT, Baidu, their union, scikit-learn's English.
BUNDLED_STOPWORDS = ("zh_hit", "zh_baidu", "zh", "en")
STOPWORDS_DIR = Path("external/stopwords")


def stopword_file(name: str) -> Path:
    """Path of a bundled list (``zh_hit``, ``zh_baidu``, ``zh``, ``en``) or of a user file under ``external/``."""
    if name in BUNDLED_STOPWORDS:
        if (STOPWORDS_DIR / f"{name}.txt").is_file():
            return STOPWORDS_DIR / f"{name}.txt"
        raise ConfigError(
            f"bundled stop-word list {name!r} not found in {STOPWORDS_DIR}: run from the repository root."
        )
    path = Path(name).expanduser()
    if not path.is_file():
        raise ConfigError(
            f"text.stopwords: no file {name}. Use one of {', '.join(BUNDLED_STOPWORDS)}, a path to a "
            f"UTF-8 file with one word per line under external/, or null. Received: text.stopwords={name!r}"
        )
    return path


def check_text_paths(section: dict, root: str | Path = ".") -> None:
    """The user files a ``text`` section names (``stopwords`` files, ``user_dict``) lie under ``root/external``.

    Raises:
        ConfigError: naming the key and the DVC way to bring the file in (:func:`textclf.paths.repo_file`).
    """
    names = section.get("stopwords")
    for name in [names] if isinstance(names, str) else names or []:
        if str(name) not in BUNDLED_STOPWORDS:
            repo_file(str(name), "text.stopwords", root)
    if section.get("user_dict"):
        repo_file(section["user_dict"], "text.user_dict", root)


def load_stopwords(names: str | Iterable[str] | None, lower: bool = True) -> frozenset[str]:
    """The union of the named lists/files (one word per line; blank lines ignored)."""
    if names is None:
        return frozenset()
    words = set()
    for name in [names] if isinstance(names, str) else names:
        path = stopword_file(str(name))
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: stop-word files must be UTF-8. Re-save it as UTF-8.") from None
        words.update(w.strip().lower() if lower else w.strip() for w in lines if w.strip())
    return frozenset(words)
