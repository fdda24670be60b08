"""English tokenisation equivalent to Keras' ``Tokenizer`` defaults, plus HTML clean-up."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textclf.text.registry import TOKENIZERS

# keras.preprocessing.text.Tokenizer's default `filters`.
KERAS_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
# IMDB reviews mark line breaks with `<br />`; without this, "br" becomes a top token.
_HTML_TAG = re.compile(r"<[^>]{0,100}>")


@dataclass(frozen=True)
class EnglishTokenizer:
    """Callable ``text -> list[str]``: strip HTML tags, lowercase, drop ``filters``, split on spaces.

    Args:
        lower: lowercase the text first (Keras default ``True``).
        strip_html: replace HTML tags such as ``<br />`` with a space.
        filters: characters replaced by a space (Keras default set).

    >>> EnglishTokenizer()("Great film!<br /><br />Loved it.")
    ['great', 'film', 'loved', 'it']
    """

    lower: bool = True
    strip_html: bool = True
    filters: str = KERAS_FILTERS

    def __call__(self, text: str) -> list[str]:
        if self.strip_html:
            text = _HTML_TAG.sub(" ", text)
        if self.lower:
            text = text.lower()
        text = text.translate(str.maketrans(self.filters, " " * len(self.filters)))
        return text.split()


@TOKENIZERS.register("english")
def build_english(*, lower: bool = True, strip_html: bool = True, filters: str = KERAS_FILTERS) -> EnglishTokenizer:
    return EnglishTokenizer(lower=lower, strip_html=strip_html, filters=filters)
