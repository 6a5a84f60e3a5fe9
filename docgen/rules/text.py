"""Vietnamese text helpers: NFC normalisation, upper-casing and search folding (design D8)."""

from __future__ import annotations

import re
import unicodedata

# Decomposition leaves đ alone (it is a letter of its own, not d + a mark), so it is mapped
# explicitly; ð/Ð (Icelandic eth) stand in for đ/Đ in text converted from legacy TCVN3 fonts.
_D_MAP = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_TOKEN = re.compile(r"[^\W_]+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the form docgen stores and compares."""
    return unicodedata.normalize("NFC", text)


def upper_vi(text: str) -> str:
    """Return ``text`` upper-cased and in NFC ("Phó Chủ tịch" → "PHÓ CHỦ TỊCH")."""
    return nfc(nfc(text).upper())


def fold(text: str) -> str:
    """Return the search form of ``text``: lower case, no diacritics, đ→d, single spaces.

    "ĐIỂN HÌNH  Tiên Tiến" → "dien hinh tien tien". NFC and NFD inputs fold alike.
    """
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_D_MAP))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(nfc(stripped).lower().split())


def fold_tokens(text: str) -> list[str]:
    """Return the folded words of ``text``, split on anything that is not a letter or digit."""
    return _TOKEN.findall(fold(text))
