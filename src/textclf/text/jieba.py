"""Chinese word segmentation with jieba, plus stop-word and token-class filtering.

The tokenizer is a frozen dataclass holding only settings and the stop-word set, so
it pickles cheaply into worker processes. jieba itself is created lazily, once per
process and user dictionary (:func:`_segmenter`), because loading its dictionary
takes about a second.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from textclf.errors import ConfigError
from textclf.text.registry import TOKENIZERS
from textclf.text.stopwords import load_stopwords

MODES = ("precise", "search", "full")
# A whitespace run kept as a token must survive the space-joined output format.
WHITESPACE_TOKEN = "<sp>"
_NUMBER = re.compile(r"^[+\-]?\d[\d.,，．%％]*$")
_SPACE = re.compile(r"\s+")

_SEGMENTERS: dict[str | None, object] = {}  # user_dict -> jieba.Tokenizer, per process


def _segmenter(user_dict: str | None):
    """The process' jieba tokenizer for ``user_dict``, created and initialised on first use."""
    segmenter = _SEGMENTERS.get(user_dict)
    if segmenter is None:
        with warnings.catch_warnings():  # jieba imports pkg_resources, which warns on import
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", UserWarning)
            import jieba
        jieba.setLogLevel(logging.WARNING)  # silence "Building prefix dict ..." on stderr
        segmenter = jieba.Tokenizer()
        segmenter.initialize()
        if user_dict is not None:
            segmenter.load_userdict(user_dict)
        _SEGMENTERS[user_dict] = segmenter
    return segmenter


def _is_punctuation(token: str) -> bool:
    """Every character is Unicode punctuation (P*) or a symbol (S*): ，。！？…、~ ￥ emoji."""
    return all(unicodedata.category(c)[0] in "PS" for c in token)


@dataclass(frozen=True)
class JiebaTokenizer:
    """Callable ``text -> list[str]`` segmenting with jieba, then filtering tokens.

    Args:
        mode: ``precise`` (jieba's default, one segmentation), ``search`` (precise
            plus the shorter words inside long ones) or ``full`` (every dictionary word).
        hmm: let jieba's HMM find words missing from the dictionary (precise/search).
        user_dict: path of a jieba user dictionary (``word [freq] [tag]`` per line).
        stopwords: words to drop (already loaded, see :func:`load_stopwords`).
        lower: lowercase Latin letters (mixed Chinese/English text).
        drop_punctuation: drop tokens made only of punctuation or symbols.
        drop_whitespace: drop whitespace tokens; if ``False`` they become ``<sp>``.
        drop_digits: drop numbers such as ``2``, ``3.5`` or ``100%``.
        drop_single_chars: drop one-character tokens (note: also 好 and 不).

    >>> JiebaTokenizer()("房间很干净，服务也不错！")
    ['房间', '很', '干净', '服务', '也', '不错']
    """

    mode: str = "precise"
    hmm: bool = True
    user_dict: str | None = None
    stopwords: frozenset[str] = field(default_factory=frozenset)
    lower: bool = True
    drop_punctuation: bool = True
    drop_whitespace: bool = True
    drop_digits: bool = False
    drop_single_chars: bool = False

    def segment(self, text: str) -> list[str]:
        """jieba's raw tokens for ``text`` in the configured mode."""
        segmenter = _segmenter(self.user_dict)
        if self.mode == "search":
            return segmenter.lcut_for_search(text, HMM=self.hmm)
        return segmenter.lcut(text, cut_all=self.mode == "full", HMM=self.hmm)

    def __call__(self, text: str) -> list[str]:
        tokens = []
        for token in self.segment(text):
            if token.isspace() or not token:
                if not self.drop_whitespace:
                    tokens.append(WHITESPACE_TOKEN)
                continue
            token = _SPACE.sub("_", token.strip())  # no whitespace inside a token of space-joined output
            if self.lower:
                token = token.lower()
            if (
                token in self.stopwords
                or self.drop_punctuation
                and _is_punctuation(token)
                or self.drop_digits
                and _NUMBER.match(token)
                or self.drop_single_chars
                and len(token) == 1
            ):
                continue
            tokens.append(token)
        return tokens


@TOKENIZERS.register("jieba")
def build_jieba(
    *,
    mode: str = "precise",
    hmm: bool = True,
    user_dict: str | None = None,
    stopwords: str | list[str] | None = "zh_hit",
    lower: bool = True,
    drop_punctuation: bool = True,
    drop_whitespace: bool = True,
    drop_digits: bool = False,
    drop_single_chars: bool = False,
) -> JiebaTokenizer:
    """Build a :class:`JiebaTokenizer`; ``stopwords`` names bundled lists or files (see :func:`load_stopwords`)."""
    if mode not in MODES:
        raise ConfigError(f"text.mode must be one of {', '.join(MODES)}. Received: text.mode={mode!r}")
    if user_dict is not None and not Path(user_dict).expanduser().is_file():
        raise ConfigError(
            f"text.user_dict: no file {user_dict}. Give a jieba user dictionary under external/ "
            f"(one 'word [freq] [tag]' per line, UTF-8) or null."
        )
    return JiebaTokenizer(
        mode=mode,
        hmm=hmm,
        user_dict=user_dict,
        stopwords=load_stopwords(stopwords, lower),
        lower=lower,
        drop_punctuation=drop_punctuation,
        drop_whitespace=drop_whitespace,
        drop_digits=drop_digits,
        drop_single_chars=drop_single_chars,
    )
