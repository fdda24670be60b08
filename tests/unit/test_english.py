"""English tokeniser: Keras Tokenizer defaults plus HTML removal."""

import pickle

from textclf.text import TOKENIZERS
from textclf.text.english import KERAS_FILTERS, EnglishTokenizer


def test_matches_keras_text_to_word_sequence_rules():
    # Keras: lower, replace each filter char by a space, split on spaces, drop empties.
    text = "It's GREAT!!! (10/10)\tA must-see...\n"
    expected = text.lower().translate(str.maketrans(KERAS_FILTERS, " " * len(KERAS_FILTERS))).split()
    assert EnglishTokenizer(strip_html=False)(text) == expected == ["it's", "great", "10", "10", "a", "must", "see"]


def test_html_line_breaks_do_not_become_tokens():
    assert EnglishTokenizer()("Good.<br /><br />Bad<br/>ending") == ["good", "bad", "ending"]
    assert "br" in EnglishTokenizer(strip_html=False)("Good.<br />")


def test_registry_builds_from_config_and_result_pickles():
    tokenizer = TOKENIZERS.build({"name": "english", "lower": False})
    assert tokenizer("Hello World") == ["Hello", "World"]
    assert pickle.loads(pickle.dumps(tokenizer)) == tokenizer
