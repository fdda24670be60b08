"""Pre-tokenised text: the tokens are the whitespace-separated pieces, kept as given."""

from __future__ import annotations

from dataclasses import dataclass, field

from textclf.text.registry import TOKENIZERS
from textclf.text.stopwords import load_stopwords


@dataclass(frozen=True)
class WhitespaceTokenizer:
    """Callable ``text -> list[str]``: split on whitespace runs, nothing re-cut or cleaned.

    For corpora whose words are already segmented (the Douban tutorial's files, or jieba output
    saved earlier). Optional lowercasing and stop-word removal.

    Args:
        lower: lowercase the tokens (Latin letters in mixed text).
        stopwords: words to drop (already loaded, see :func:`textclf.text.stopwords.load_stopwords`).

    >>> WhitespaceTokenizer()("很  好看 ， 推荐")
    ['很', '好看', '，', '推荐']
    """

    lower: bool = False
    stopwords: frozenset[str] = field(default_factory=frozenset)

    def __call__(self, text: str) -> list[str]:
        tokens = text.lower().split() if self.lower else text.split()
        return [t for t in tokens if t not in self.stopwords] if self.stopwords else tokens


@TOKENIZERS.register("whitespace")
def build_whitespace(*, lower: bool = False, stopwords: str | list[str] | None = None) -> WhitespaceTokenizer:
    """Build a :class:`WhitespaceTokenizer`; ``stopwords`` names bundled lists or files under external/."""
    return WhitespaceTokenizer(lower=lower, stopwords=load_stopwords(stopwords, lower))
