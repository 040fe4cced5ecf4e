"""Text folding for search and sanitising of free text; pure functions, no dependencies."""

from __future__ import annotations

import re
import unicodedata

# NFKD does not split these; a French name search must ("coeur" finds "Cœur").
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NON_WORD = re.compile(r"[^0-9a-z]+")
# C0/C1 control characters, except tab and newline, never belong in stored text; nor do
# lone surrogates (undecodable bytes under surrogateescape), which no database can encode.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: "Lefèvre-Cœur" -> "lefevre coeur"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", ascii_only.lower()).split())


def search_words(text: str) -> list[str]:
    return fold(text).split()


def indexed_text(*parts: str) -> str:
    """What a row stores for search: folded words with a leading space, so that a word
    prefix is the pattern '% prefix%'."""
    return " " + fold(" ".join(parts))


def strip_controls(text: str) -> str:
    return _CONTROL.sub("", text)


def clean_line(text: str | None) -> str:
    """One line of free text as stored: no control characters, no newlines, trimmed."""
    if text is None:
        return ""
    return " ".join(strip_controls(str(text)).split())


def clean_text(text: str | None) -> str:
    """Multi-line free text as stored: control characters removed, outer space trimmed."""
    if text is None:
        return ""
    return strip_controls(str(text).replace("\r\n", "\n").replace("\r", "\n")).strip()
