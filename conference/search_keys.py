"""Search keys that match names across scripts: «Ольга Петренко», "Olga Petrenko" and "OLGA petrenko" share one.

Door staff in Vilnius type Latin while badges carry Cyrillic (and the reverse), on phones that make diacritics
hard to type. Both the stored name and the typed query go through `search_key`: Unidecode transliterates every
script to ASCII, then case, apostrophes (Unidecode writes the soft sign ь as ') and punctuation go. Two more
folds make the common spellings of one Cyrillic name meet: y and j read as i (Юлия gives "iuliia", typed as
"yulia" or "julia"), and a doubled letter counts once ("iuliia" and "iulia"). Both sides get the same folds, so
the only cost is a rare extra match, which the door sees by name and type before checking anyone in.
"""

import re

from unidecode import unidecode

APOSTROPHES = re.compile("['`\u2019\u02b9\u02bc]")
NOT_ALPHANUMERIC = re.compile("[^a-z0-9]+")
SAME_LETTER_TWICE = re.compile(r"([a-z])\1+")
LOOK_ALIKE = str.maketrans({"y": "i", "j": "i"})


def search_key(*texts):
    """The texts as one search key: lower-case ASCII words separated by single spaces."""
    text = APOSTROPHES.sub("", unidecode(" ".join(texts)).lower())
    text = NOT_ALPHANUMERIC.sub(" ", text).translate(LOOK_ALIKE)
    return SAME_LETTER_TWICE.sub(r"\1", text).strip()


def search_words(query):
    """The words of a typed query in the form of `search_key`, each of which a match must contain."""
    return search_key(query).split()
