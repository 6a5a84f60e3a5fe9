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


def search_form(text: str) -> str:
    """Return ``text`` in Unicode NFKC, the form words are searched in: "m²" is "m2", "CO₂"
    is "CO2", "①" is "1" (PostgreSQL's parser would drop ² where SQLite keeps it: in NFKC
    both engines see the same words). Vietnamese letters are the same as in NFC."""
    return unicodedata.normalize("NFKC", text)


def fold_tokens(text: str) -> list[str]:
    """Return the folded words of ``text`` (in ``search_form``), split on anything that is
    not a letter or digit."""
    return _TOKEN.findall(fold(search_form(text)))
